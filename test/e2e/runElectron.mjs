// `npm run test:electron`: the same extension-host suite as `npm run test:e2e`, in the desktop
// VS Code (Electron) that @vscode/test-electron downloads into .vscode-test/. That needs the VS
// Code update service (update.code.visualstudio.com), so it runs on machines with internet; on
// machines that reach only the npm registry, use `npm run test:e2e` (code-server).
//
// Builds the extension and the suite, copies examples/ to a fresh temp folder, starts the local
// endpoint for it, runs the suite with that folder open, stops the endpoint. The last line is
// `N passed, M failed`. VS Code version: VSCODE_TEST_VERSION (default `stable`).
// On Linux without a display, run it under xvfb-run.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { stopProcessGroup } from '../../scripts/codeServer.mjs';
import { SUITE_ENTRY, buildSuite } from './build.mjs';
import { startEndpoint } from './shared.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function runNode(scriptArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, scriptArgs, { cwd: REPO, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${scriptArgs.join(' ')} exited ${code}`))));
  });
}

async function main() {
  await runNode([path.join(REPO, 'scripts', 'build.mjs')]);
  await buildSuite();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-electron-'));
  const workspace = path.join(tmp, 'workspace');
  const generated = path.join(REPO, 'examples', 'mistakes', 'generated');
  fs.cpSync(path.join(REPO, 'examples'), workspace, { recursive: true, filter: (source) => source !== generated });
  const { makeLargePayload } = await import(pathToFileURL(path.join(workspace, 'mistakes', 'make-large-payload.mjs')).href);
  makeLargePayload();
  // The same start as the code-server launchers': it waits for the endpoint's ready line.
  let endpointChild;
  const stopEndpoint = () => (endpointChild ? stopProcessGroup(endpointChild, { signal: 'SIGINT' }) : Promise.resolve());
  const endpointPort = await startEndpoint({
    cli: path.join(REPO, 'dist', 'cli.js'),
    workspace,
    logFile: path.join(tmp, 'endpoint.log'),
    onSpawn: (child) => (endpointChild = child),
  }).catch(async (error) => {
    await stopEndpoint();
    throw error;
  });
  const endpoint = { port: endpointPort, stop: stopEndpoint };
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  Object.assign(settings, { 'lambdaInvoke.endpoint': `http://127.0.0.1:${endpoint.port}`, 'lambdaInvoke.localEndpoint.port': endpoint.port });
  fs.writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  const resultsFile = path.join(tmp, 'suite-results.txt');
  let exitCode = 1;
  try {
    exitCode = await runTests({
      version: process.env.VSCODE_TEST_VERSION || 'stable',
      extensionDevelopmentPath: REPO,
      extensionTestsPath: SUITE_ENTRY,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(tmp, 'user-data')],
      extensionTestsEnv: {
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_PROFILE: '',
        AWS_CONFIG_FILE: path.join(tmp, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'no-aws-credentials'),
        LAMBDA_INVOKE_E2E_RESULTS: resultsFile,
      },
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  } finally {
    await endpoint.stop();
  }
  const results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
  const summary = results.split('\n').reverse().find((line) => line.startsWith('RESULT '));
  const counts = summary ? JSON.parse(summary.slice('RESULT '.length)) : { passed: 0, failed: 1 };
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  if (exitCode === 0 && counts.failed === 0) fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(exitCode === 0 && counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
