// `npm run test:e2e`: the extension-host suite (test/e2e/suite/) and a UI test, in a real VS Code
// on this machine: code-server (VS Code 1.100 with a Node extension host; installed on first use
// by scripts/codeServer.mjs) driven by Debian's Chromium through playwright-core. The recipe is
// ../shared/reference/real-vscode-here.md.
//
//   1. builds the extension (scripts/build.mjs) and the suite (test/e2e/build.mjs, into out/e2e/);
//   2. copies examples/ to a fresh temp folder (with the generated 1.1 MB payload) and points its
//      .vscode/settings.json at a local endpoint started on a free port for it;
//   3. starts code-server on a free port with fresh user-data and extensions folders;
//   4. opens the workbench with the suite as extensionTestsPath and waits for the exit code the
//      workbench reports through `codeAutomationExit`; the suite writes its results to a file
//      (a remote extension host's console does not reach us), printed here;
//   5. the Restricted Mode suite (test/e2e/untrusted/) the same way, in a second code-server that keeps
//      Workspace Trust on, so its copy of examples/ opens untrusted;
//   6. the UI test, in a fresh browser context on a second copy of examples/: opens a mistake
//      file and hello.invoke.json from the explorer, waits for the ▶ Invoke lens, clicks it and
//      reads the response and log tail in the Output panel; screenshots go to docs/;
//   7. stops everything it started (by process group, never by name) and exits non-zero on any
//      failure. The last line is `N passed, M failed`.
//
// Options: --keep (keep the temp folder), --no-ui (suite only), --headed (a visible browser, for
// debugging on a desktop).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { SetupError, ensureDebianPackages, startCodeServer, stopProcessGroup, tail, workbenchUrl } from '../../scripts/codeServer.mjs';
import { SUITE_ENTRY, UNTRUSTED_ENTRY, buildSuite } from './build.mjs';
import { copyExamples, isolatedAwsEnv, launchChromium, makeShutdown, pointSettingsAt, recordConsole, runCommand, startEndpoint, waitForOutputText } from './shared.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCS = path.join(REPO, 'docs');

/** Deadlines: generous for a loaded 2-core CI machine; each failure says what it waited for. */
const SUITE_TIMEOUT_MS = 10 * 60_000;
const UI_STEP_TIMEOUT_MS = 120_000;

const args = process.argv.slice(2);
const KEEP = args.includes('--keep');
const NO_UI = args.includes('--no-ui');
const HEADED = args.includes('--headed');

/** What runs, newest last; stopped in reverse order. */
const running = [];
let stopping = false;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[e2e ${elapsed()}] ${line}`);

/** Results of the whole run: the suite's tests and the UI test's steps. */
const tally = { passed: 0, failed: 0 };

async function main() {
  process.on('SIGINT', () => void shutdown('SIGINT', 130, `${tally.passed} passed, ${tally.failed + 1} failed`));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 143, `${tally.passed} passed, ${tally.failed + 1} failed`));

  ensureDebianPackages(['chromium'], { log });
  await runNode([path.join(REPO, 'scripts', 'build.mjs')], 'the extension build (scripts/build.mjs)');
  await buildSuite();
  log('Built the extension (dist/) and the suite (out/e2e/).');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-e2e-'));
  running.push({ name: 'the temp folder', stop: async () => (KEEP || tally.failed > 0 ? log(`Kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })) });
  const suiteWorkspace = await copyExamples(path.join(tmp, 'suite-workspace'));
  const uiWorkspace = await copyExamples(path.join(tmp, 'ui-workspace'));
  const untrustedWorkspace = await copyExamples(path.join(tmp, 'untrusted-workspace'));

  const endpointLog = path.join(tmp, 'endpoint.log');
  const endpointPort = await startEndpoint({
    cli: path.join(REPO, 'dist', 'cli.js'),
    workspace: suiteWorkspace,
    logFile: endpointLog,
    onSpawn: (child) => running.push({ name: 'the local endpoint', child, stop: () => stopProcessGroup(child, { signal: 'SIGINT' }) }),
  });
  log(`Local endpoint on http://127.0.0.1:${endpointPort}/ for ${suiteWorkspace} (log: ${endpointLog})`);
  for (const workspace of [suiteWorkspace, uiWorkspace, untrustedWorkspace]) pointSettingsAt(workspace, endpointPort);

  const resultsFile = path.join(tmp, 'suite-results.txt');
  const server = await startCodeServerIn(tmp, 'code-server', suiteWorkspace, resultsFile);

  const browser = await launchChromium({ headed: HEADED });
  running.push({ name: 'Chromium', stop: () => browser.close().catch(() => undefined) });

  await runSuite(browser, server, suiteWorkspace, SUITE_ENTRY, resultsFile, path.join(tmp, 'browser-suite.log'));

  const untrustedResults = path.join(tmp, 'untrusted-results.txt');
  const untrustedServer = await startCodeServerIn(tmp, 'code-server-untrusted', untrustedWorkspace, untrustedResults, { workspaceTrust: true });
  await runSuite(browser, untrustedServer, untrustedWorkspace, UNTRUSTED_ENTRY, untrustedResults, path.join(tmp, 'browser-untrusted.log'));

  if (!NO_UI) await runUiTest(browser, server, uiWorkspace, path.join(tmp, 'browser-ui.log'));
}

/** A code-server of its own (fresh user data and extensions under tmp/name) on the workspace; stopped at the end. */
async function startCodeServerIn(tmp, name, workspace, resultsFile, { workspaceTrust = false } = {}) {
  const server = await startCodeServer({
    repoRoot: REPO,
    workspace,
    userDataDir: path.join(tmp, name, 'user-data'),
    extensionsDir: path.join(tmp, name, 'extensions'),
    logFile: path.join(tmp, `${name}.log`),
    env: extensionHostEnv(tmp, resultsFile),
    workspaceTrust,
    log,
    onSpawn: (child) => running.push({ name, child, stop: () => stopProcessGroup(child) }),
  });
  log(`${name}${workspaceTrust ? ' (Workspace Trust on)' : ''}: ${server.baseUrl} (log: ${server.logFile})`);
  return server;
}

/** Runs a Node script of the repository; its output is shown only when it fails. */
function runNode(scriptArgs, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, scriptArgs, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new SetupError(`${what} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

/**
 * The environment code-server (and so the extension host) runs with: placeholder credentials
 * and no AWS files of the user's (see isolatedAwsEnv); and where the suite writes its results.
 */
function extensionHostEnv(tmp, resultsFile) {
  return { ...isolatedAwsEnv(tmp), LAMBDA_INVOKE_E2E_RESULTS: resultsFile };
}

/** The extension-host suite in the workbench; its results file is printed and counted. */
async function runSuite(browser, server, workspace, entry, resultsFile, consoleLog) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleStream = recordConsole(page, consoleLog);
  let reportExit;
  const exitCode = new Promise((resolve) => (reportExit = resolve));
  // The workbench calls this when the suite's run() settles: 0 when it resolved.
  await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
  const url = workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: REPO, extensionTestsPath: entry });
  log(`Running the extension-host suite ${path.relative(REPO, path.dirname(entry))} in code-server…`);
  await page.goto(url);
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS)));
  const outcome = await Promise.race([exitCode, timedOut]);
  clearTimeout(timer);

  const results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
  console.log(`\n${results.split('\n').filter((line) => !line.startsWith('RESULT ')).join('\n').trimEnd() || '(the suite wrote no results)'}\n`);
  const summary = results.split('\n').reverse().find((line) => line.startsWith('RESULT '));
  const counts = summary ? JSON.parse(summary.slice('RESULT '.length)) : { passed: 0, failed: 0 };
  tally.passed += counts.passed;
  tally.failed += counts.failed;
  if (outcome === 'timeout') {
    tally.failed += 1;
    log(`FAILED: the suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} min. The browser console: ${consoleLog}; code-server's log ends:\n${tail(server.logFile, 20)}`);
  } else if (outcome !== 0) {
    // The workbench reports a failure; make sure it counts even if no test did (a suite that could not load).
    if (counts.failed === 0) tally.failed += 1;
    log(`The suite exited with code ${outcome}.${summary ? '' : ` It reported no results; the browser console: ${consoleLog}; code-server's log ends:\n${tail(server.logFile, 20)}`}`);
  } else if (!summary || counts.passed === 0) {
    tally.failed += 1;
    log('FAILED: the suite exited with 0 but reported no passing tests.');
  }
  await context.close();
  consoleStream.end();
}

/** One step of the UI test, counted as a test. */
async function uiStep(title, body) {
  const stepStarted = Date.now();
  try {
    await body();
    tally.passed += 1;
    console.log(`    ✔ ${title} (${Date.now() - stepStarted} ms)`);
    return true;
  } catch (error) {
    tally.failed += 1;
    console.log(`    ✖ ${title}\n${String(error?.stack ?? error).split('\n').map((line) => `        ${line}`).join('\n')}`);
    return false;
  }
}

/** What a person does: open files from the explorer, see the lens, click it, read the output. */
async function runUiTest(browser, server, workspace, consoleLog) {
  log('Running the UI test…');
  console.log('  UI test (code-server in Chromium)');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(UI_STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const consoleStream = recordConsole(page, consoleLog);
  try {
    await page.goto(workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: REPO }));
    const explorerRow = (name) => page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }) });
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    const invokeLens = (name) => editor.locator('.codelens-decoration a', { hasText: `▶ Invoke ${name}` });

    const lensesShown = await uiStep('a mistake file opened from the explorer shows the ▶ Invoke lens and its diagnostic', async () => {
      await explorerRow('mistakes').click();
      await explorerRow('payload-too-large.invoke.json').click();
      await invokeLens('Mistake: a 1.1 MB event').waitFor({ state: 'visible' });
      await editor.locator('.codelens-decoration', { hasText: 'over the 1 MB limit' }).waitFor({ state: 'visible' });
      await editor.locator('.squiggly-error').first().waitFor({ state: 'visible' });
      // The Problems panel, so the screenshot shows the diagnostic's message too.
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'payload-too-large' }).first().waitFor({ state: 'visible' });
      await page.screenshot({ path: path.join(DOCS, 'editor-lenses.png') });
    });
    if (!lensesShown) return;

    await uiStep('clicking ▶ Invoke on hello.invoke.json shows 200 OK and the log tail in the Output panel', async () => {
      // The expanded mistakes/ folder pushes the top-level files out of the (virtual) list: fold it.
      await runCommand(page, 'Collapse Folders in Explorer');
      await explorerRow('hello.invoke.json').click();
      const lens = invokeLens('Say hello to Ada');
      await lens.waitFor({ state: 'visible' });
      await lens.click();
      // The extension reveals its channel after an invocation; make sure the Output panel shows it.
      await page.locator('.output-view').waitFor({ state: 'visible' });
      await runCommand(page, 'View: Toggle Maximized Panel');
      await waitForOutputText(page, ['200 OK', 'Saying hello to Ada'], UI_STEP_TIMEOUT_MS);
      const channel = await page.locator('.panel .monaco-select-box, .panel select').first().inputValue().catch(() => '');
      if (channel && !channel.includes('Lambda Invoke')) throw new Error(`The Output panel shows the channel "${channel}", not "Lambda Invoke".`);
      // Cosmetic: let the finished "Invoking…" progress toast go before the screenshot.
      await page.locator('.notification-toast', { hasText: 'Invoking Say hello to Ada' }).waitFor({ state: 'hidden', timeout: 30_000 }).catch(() => undefined);
      await page.screenshot({ path: path.join(DOCS, 'output-after-invoke.png') });
    });

    await uiStep('the account: a misspelt function name is underlined, and the Lambda Functions view lists the functions', async () => {
      await runCommand(page, 'View: Toggle Maximized Panel');
      await runCommand(page, 'Collapse Folders in Explorer');
      await explorerRow('mistakes').click();
      await explorerRow('account').click();
      await explorerRow('function-not-found.invoke.json').click();
      // The warning comes once the local endpoint has answered ListFunctions.
      await editor.locator('.squiggly-warning').first().waitFor({ state: 'visible' });
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'function-not-found' }).first().waitFor({ state: 'visible' });
      await runCommand(page, 'Focus on Lambda Functions View');
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Lambda Functions' }) });
      await view.locator('.monaco-list-row', { hasText: 'chatty' }).waitFor({ state: 'visible' });
      await view.locator('.monaco-list-row', { hasText: 'hello' }).first().waitFor({ state: 'visible' });
      await page.screenshot({ path: path.join(DOCS, 'account.png') });
    });

    await uiStep('the result tab beside hello.invoke.json shows the payload under its facts, and the History view lists the run', async () => {
      await runCommand(page, 'View: Hide Panel');
      await runCommand(page, 'Collapse Folders in Explorer');
      await explorerRow('hello.invoke.json').click();
      const lens = invokeLens('Say hello to Ada');
      await lens.waitFor({ state: 'visible' });
      await lens.click();
      const result = page.locator('.editor-group-container .monaco-editor', { has: page.locator('.codelens-decoration', { hasText: '200 OK' }) }).first();
      await result.locator('.codelens-decoration', { hasText: 'Re-run' }).waitFor({ state: 'visible' });
      await result.locator('.view-line', { hasText: 'Hello, Ada!' }).first().waitFor({ state: 'visible' });
      await runCommand(page, 'Focus on Lambda Invoke History View');
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Lambda Invoke History' }) });
      await view.locator('.monaco-list-row', { hasText: 'Say hello to Ada' }).first().waitFor({ state: 'visible' });
      await view.locator('.monaco-list-row', { hasText: '200 OK' }).first().waitFor({ state: 'visible' });
      await page.screenshot({ path: path.join(DOCS, 'result-view.png') });
    });
  } finally {
    await context.close();
    consoleStream.end();
  }
}

/** Stops everything started here, newest first, then exits. */
const shutdown = makeShutdown(running, log, () => (stopping = true));

main().then(
  async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`\nextension-host suite and UI test in code-server: ${seconds} s; screenshots in docs/`);
    await shutdown(undefined, tally.failed > 0 || tally.passed === 0 ? 1 : 0, `${tally.passed} passed, ${tally.failed} failed`);
  },
  async (error) => {
    if (!stopping) console.error(error instanceof SetupError ? `\n${error.message}` : error);
    tally.failed += 1;
    await shutdown(undefined, 1, `${tally.passed} passed, ${tally.failed} failed`);
  },
);
