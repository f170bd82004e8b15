/**
 * One window of a benchmark in code-server: a fresh browser context opens the workbench on a
 * folder with an extension-host test entry (extensionTestsPath), and the call resolves with the
 * code the entry exits with, or 'timeout'. Shared by the activation and result-view sections.
 */
import type { Browser } from 'playwright-core';

export interface WindowOptions {
  browser: Browser;
  /** The workbench URL (scripts/codeServer.mjs workbenchUrl). */
  url: string;
  timeoutMs: number;
}

export async function runWindow({ browser, url, timeoutMs }: WindowOptions): Promise<number | 'timeout'> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (process.env.BENCH_WINDOW_CONSOLE) page.on('console', (message) => console.error(`[window] ${message.text()}`));
    let exited!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exit, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
    clearTimeout(timer);
    return code;
  } finally {
    await context.close();
  }
}
