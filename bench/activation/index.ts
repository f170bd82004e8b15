/**
 * The extension-host side of the activation benchmark (bundled into out/bench/activation/ and
 * loaded by the workbench as extensionTestsPath). In a fresh window where neither is active yet,
 * it activates Lambda Invoke and VS Code's own JSON support (vscode.json-language-features), in
 * the order the runner asks for, and times each `activate()` as the extension host runs it:
 * loading the extension's code, running its activate function, and waiting for what it returns.
 * For ours it also times until its language server runs (`serverReady`): the peer's activate
 * already waits for its server's start, so that is the like-for-like figure.
 * The figures go to the file named by LAMBDA_INVOKE_BENCH_RESULTS, one JSON line per window.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { OURS, PEER } from './ids';


export async function run(): Promise<void> {
  const resultsFile = process.env.LAMBDA_INVOKE_BENCH_RESULTS;
  const orderFile = process.env.LAMBDA_INVOKE_BENCH_ORDER;
  if (!resultsFile || !orderFile) throw new Error('LAMBDA_INVOKE_BENCH_RESULTS and LAMBDA_INVOKE_BENCH_ORDER must name files');
  const order = fs.readFileSync(orderFile, 'utf8').trim() === 'peer-first' ? [PEER, OURS] : [OURS, PEER];
  const times: Record<string, number> = {};
  try {
    for (const id of order) {
      const extension = vscode.extensions.getExtension(id);
      if (extension === undefined) throw new Error(`${id} is not installed in this VS Code`);
      if (extension.isActive) throw new Error(`${id} was already active: the window activated it before the benchmark could`);
      const started = performance.now();
      const exports: unknown = await extension.activate();
      times[id] = performance.now() - started;
      if (id === OURS) {
        const ready = (exports as { serverReady?: Promise<boolean> }).serverReady;
        if (ready === undefined || !(await ready)) throw new Error('the language server of Lambda Invoke did not start');
        times[`${id}.serverReady`] = performance.now() - started;
      }
    }
    fs.appendFileSync(resultsFile, `${JSON.stringify({ order, times })}\n`);
  } catch (error) {
    fs.appendFileSync(resultsFile, `${JSON.stringify({ order, error: error instanceof Error ? error.message : String(error) })}\n`);
    throw error;
  }
}
