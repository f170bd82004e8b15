// Helpers shared by the tests that drive a real VS Code (code-server in Chromium):
// test/e2e/runInCodeServer.mjs (the extension-host suites and the UI test, on the development
// copy) and test/vsix/runVsixTest.mjs (the packaged .vsix, installed). What starts and stops
// code-server itself is in scripts/codeServer.mjs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SetupError, freePort } from '../../scripts/codeServer.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES = path.join(REPO, 'examples');

/** Debian's Chromium, and the switches it needs here (root, no GPU, no network of its own). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/**
 * Debian's Chromium through playwright-core. Playwright's own Ctrl-C handler would close the
 * browser and exit this process at once (code 130), before the caller stops code-server and the
 * endpoint: it is left out, and the callers close the browser with everything else they started.
 */
export async function launchChromium({ headed = false } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: !headed, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}

/** A fresh copy of examples/ (without what git ignores there), with the generated oversized payload. */
export async function copyExamples(target) {
  const generated = path.join(EXAMPLES, 'mistakes', 'generated');
  fs.cpSync(EXAMPLES, target, { recursive: true, filter: (source) => source !== generated });
  const generator = path.join(target, 'mistakes', 'make-large-payload.mjs');
  const { makeLargePayload } = await import(pathToFileURL(generator).href);
  makeLargePayload();
  return target;
}

/** The copy's .vscode/settings.json, pointed at this run's endpoint. */
export function pointSettingsAt(workspace, port) {
  const file = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  settings['lambdaInvoke.endpoint'] = `http://127.0.0.1:${port}`;
  settings['lambdaInvoke.localEndpoint.port'] = port;
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * This process's environment for code-server (and so the extension host): placeholder
 * credentials (the local endpoint takes any signature) and no AWS profile or files of the
 * user's (they point into `tmp`, where there are none), so a run is the same on every machine.
 */
export function isolatedAwsEnv(tmp) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_CONFIG_FILE: path.join(tmp, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'no-aws-credentials'),
  };
}

/**
 * The ready line `serve --ready-json` prints on stdout once it listens, as an object, or
 * undefined for any other line. The shape is declared in src/protocol/localEndpointReady.ts
 * ({"event":"ready","url","port","functions"}); TypeScript cannot be imported from here, so
 * this takes the line by its `event`, as that file says.
 */
export function parseReadyLine(line) {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line);
    return value?.event === 'ready' && typeof value.url === 'string' && typeof value.port === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `node <cli> serve --port P --ready-json <workspace>` on a free port, in its own process group
 * (handed to `onSpawn` at once, for the caller to stop); resolves with the port once the
 * endpoint prints its ready line. Its output goes to `logFile`.
 */
export async function startEndpoint({ cli, workspace, logFile, onSpawn, timeoutMs = 60_000 }) {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--ready-json', workspace], {
    cwd: workspace,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  onSpawn?.(child);
  const out = fs.createWriteStream(logFile);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    const finish = (error) => {
      clearTimeout(timer);
      lines.close();
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code, signal) => finish(new SetupError(`The local endpoint (${cli}) stopped before it listened (${signal ?? `exit ${code}`}); its log: ${logFile}`));
    const timer = setTimeout(() => finish(new SetupError(`The local endpoint (${cli}) printed no ready line within ${timeoutMs / 1000} s; its log: ${logFile}`)), timeoutMs);
    child.once('exit', onExit);
    lines.on('line', (line) => {
      const ready = parseReadyLine(line);
      if (ready === undefined) return;
      finish(ready.port === port ? undefined : new SetupError(`The local endpoint (${cli}) listens on port ${ready.port}, not the ${port} it was given; its log: ${logFile}`));
    });
  });
  return port;
}

/** Writes the page's console messages and errors to a file, for when something goes wrong. */
export function recordConsole(page, file) {
  const stream = fs.createWriteStream(file);
  page.on('console', (message) => stream.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => stream.write(`[pageerror] ${error.stack ?? error.message}\n`));
  return stream;
}

/** Runs a command from the Command Palette by its title. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Waits until the Output panel's text holds every one of `needles`; on the deadline, throws
 * with what the panel shows instead.
 */
export async function waitForOutputText(page, needles, timeoutMs) {
  await page.waitForFunction(
    (wanted) => {
      // The editor renders spaces as no-break spaces.
      const text = (globalThis.document.querySelector('.output-view .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ');
      return wanted.every((needle) => text.includes(needle));
    },
    needles,
    { timeout: timeoutMs, polling: 100 },
  ).catch(async (error) => {
    const seen = (await page.locator('.output-view .view-lines').textContent().catch(() => '')) ?? '';
    throw new Error(`The Output panel did not show ${needles.map((needle) => `"${needle}"`).join(' and ')} within ${timeoutMs / 1000} s; it shows:\n${seen.slice(0, 2000)}\n(${error.message.split('\n')[0]})`);
  });
}

/**
 * The shutdown of a launcher: stops everything in `running` (entries `{ name, stop() }`), newest
 * first, then prints `finalLine` (CI reads it) and exits with `exitCode`. Called once; later calls
 * get the same promise. `onStopping` runs first, so the launcher can tell its own failures from
 * the ones stopping causes.
 */
export function makeShutdown(running, log, onStopping = () => undefined) {
  let shutdownPromise;
  return (reason, exitCode, finalLine) => {
    shutdownPromise ??= (async () => {
      onStopping();
      if (reason) log(`${reason}: stopping…`);
      for (const entry of [...running].reverse()) {
        try {
          await entry.stop();
        } catch (error) {
          console.error(`Could not stop ${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (finalLine) console.log(finalLine);
      process.exit(exitCode);
    })();
    return shutdownPromise;
  };
}
