// `npm start`: the whole product on this machine, with no AWS account. Builds the extension,
// starts the local Lambda endpoint on examples/ (`lambda-invoke serve --port 3001 --ready-json
// examples`, ready once it prints its ready line),
// and opens a real VS Code with the extension loaded in development mode on examples/: the
// desktop VS Code when `code` is on PATH, otherwise code-server (installed on first use into
// .cache/code-server/, see scripts/codeServer.mjs), whose address it prints.
// Ctrl-C stops everything it started. Each child runs in its own process group and is stopped
// by group; nothing is ever stopped by name.
//
//   npm start                    desktop VS Code if `code` is on PATH, else code-server
//   npm start -- --code-server   code-server even when `code` is on PATH
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makeLargePayload } from '../examples/mistakes/make-large-payload.mjs';
import { SetupError, ensureCodeServer, isListening, startCodeServer, stopProcessGroup, waitUntil, workbenchUrl } from './codeServer.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = path.join(REPO, 'examples');
const CLI = path.join(REPO, 'dist', 'cli.js');
/** The endpoint examples/.vscode/settings.json points the extension at. */
const ENDPOINT_HOST = '127.0.0.1';
const ENDPOINT_PORT = 3001;

const USAGE = `Usage: npm start [-- --code-server]

Builds, starts the local Lambda endpoint on examples/ at http://${ENDPOINT_HOST}:${ENDPOINT_PORT}, and
opens VS Code with the extension on examples/: the desktop VS Code when \`code\` is on PATH,
otherwise code-server in your browser (installed on first use into .cache/code-server/).
  --code-server   use code-server even when \`code\` is on PATH
Ctrl-C stops everything it started.`;

/** What is running, newest last; stopped in reverse order. */
const running = [];
let stopping = false;

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = args.filter((a) => a !== '--code-server');
  if (unknown.length > 0) throw new SetupError(`Unknown argument ${unknown.join(' ')}.\n\n${USAGE}`);
  const forceCodeServer = args.includes('--code-server');

  process.on('SIGINT', () => void shutdown('Ctrl-C', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGHUP', () => void shutdown('SIGHUP', 0));

  await build();
  if (stopping) return;
  makeLargePayload();
  const { env, placeholder } = withCredentials(process.env);

  const code = forceCodeServer ? undefined : findOnPath('code');
  // The first time, code-server is installed before anything starts: a missing Debian package
  // then stops the start cleanly, and the endpoint does not sit idle through the install.
  if (code === undefined) {
    const install = { name: 'the code-server install', stop: () => Promise.resolve() };
    running.push(install);
    await ensureCodeServer({
      repoRoot: REPO,
      log: (line) => console.log(line),
      onSpawn: (child) => Object.assign(install, { child, stop: () => stopProcessGroup(child, { graceMs: 2000 }) }),
    });
    running.splice(running.indexOf(install), 1);
  }
  if (stopping) return;

  const endpoint = await startEndpoint(env);
  if (stopping) return;

  let editorLines;
  if (code !== undefined) {
    openDesktopVsCode(code, env);
    editorLines = [
      `  VS Code         a new window on examples/ (extension in development mode), opened by ${code}`,
      '                  it stays open when this stops',
    ];
  } else {
    const server = await startCodeServer({
      repoRoot: REPO,
      workspace: EXAMPLES,
      env,
      log: (line) => console.log(line),
      onSpawn: (child) => running.push({ name: 'code-server', child, stop: () => stopProcessGroup(child) }),
    });
    watchUnexpectedExit('code-server', server.child);
    if (stopping) return;
    const url = workbenchUrl({ port: server.port, folder: EXAMPLES, extensionDevelopmentPath: REPO, openFile: path.join(EXAMPLES, 'hello.invoke.json') });
    editorLines = [
      `  VS Code         code-server at ${server.baseUrl} (log: ${path.relative(REPO, server.logFile)})`,
      '',
      '  Open this in your browser (it loads the extension from this folder in development mode):',
      `  ${url}`,
    ];
  }
  console.log(
    [
      '',
      'Lambda Invoke is running',
      `  local endpoint  ${endpoint.url}  functions: ${endpoint.functions.join(', ') || '(none declared)'}  (its log follows, as "endpoint │ …")`,
      `  AWS             ${placeholder ? 'no credentials configured: placeholder ones for these processes (the local endpoint needs no AWS account)' : 'your configured credentials sign the requests (the local endpoint accepts any signature)'}`,
      ...editorLines,
      '',
      'Press Ctrl-C to stop everything started here.',
      '',
    ].join('\n'),
  );
}

/** `node scripts/build.mjs`, in the foreground (Ctrl-C reaches it with us); its report only when it fails. */
function build() {
  console.log('Building (node scripts/build.mjs)…');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let report = '';
    child.stdout.on('data', (chunk) => (report += chunk));
    child.stderr.on('data', (chunk) => (report += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0 || stopping) {
        resolve();
        return;
      }
      process.stderr.write(report);
      reject(new SetupError(`The build failed (${signal ?? `exit ${code}`}); see its errors above.`));
    });
  });
}

/**
 * The environment for the children. Signing needs credentials even for the local endpoint, so
 * when none are configured anywhere the SDK would look, placeholder ones are set for the
 * children only (never printed, never written anywhere).
 */
function withCredentials(env) {
  const home = os.homedir();
  const configured =
    ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'].some((key) => env[key]) ||
    [env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config')].some((file) => fs.existsSync(file));
  if (configured) return { env, placeholder: false };
  return { env: { ...env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }, placeholder: true };
}

/**
 * The ready line `serve --ready-json` prints on stdout once it listens, as an object, or
 * undefined for any other line. The shape is declared in src/protocol/localEndpointReady.ts
 * ({"event":"ready","url","port","functions"}); TypeScript cannot be imported from here, so
 * this takes the line by its `event`, as that file says.
 */
function parseReadyLine(line) {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line);
    return value?.event === 'ready' && typeof value.url === 'string' && Array.isArray(value.functions) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `lambda-invoke serve` on examples/ and resolves with its URL and functions once it prints its ready line. */
async function startEndpoint(env) {
  if (await isListening(ENDPOINT_HOST, ENDPOINT_PORT)) {
    throw new SetupError(
      `Port ${ENDPOINT_PORT} on ${ENDPOINT_HOST} is already in use. Is another \`npm start\` or \`lambda-invoke serve\` running? ` +
        `Stop it and run npm start again (examples/.vscode/settings.json points the extension at this port).`,
    );
  }
  console.log(`Starting the local endpoint (node dist/cli.js serve --port ${ENDPOINT_PORT} --ready-json examples)…`);
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(ENDPOINT_PORT), '--ready-json', EXAMPLES], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  // SIGINT, as Ctrl-C in its own terminal would: `serve` then closes the endpoint and its workers.
  running.push({ name: 'the local endpoint', child, stop: () => stopProcessGroup(child, { signal: 'SIGINT' }) });
  const recent = [];
  let ready;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (stream === child.stdout && ready === undefined) {
        ready = parseReadyLine(line);
        // The ready line is for us; the summary printed once everything runs says what it says.
        if (ready !== undefined) return;
      }
      recent.push(line);
      if (recent.length > 20) recent.shift();
      console.log(`endpoint │ ${line}`);
    });
  }
  await waitUntil(() => Promise.resolve(ready !== undefined), {
    child,
    what: 'The local endpoint',
    timeoutMs: 30_000,
    output: () => (recent.length > 0 ? `Its last output:\n${recent.map((l) => `  ${l}`).join('\n')}` : ''),
  });
  watchUnexpectedExit('The local endpoint', child);
  // Shown as examples/.vscode/settings.json writes it: no lone trailing slash.
  return { url: ready.url.replace(/\/$/, ''), functions: ready.functions };
}

/** A child that stops on its own takes the rest down with it: half a setup only confuses. */
function watchUnexpectedExit(name, child) {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`\n${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest.`);
    void shutdown(undefined, 1);
  });
}

/** The desktop VS Code, in a new window with the extension in development mode. It stays open after we stop. */
function openDesktopVsCode(code, env) {
  const args = [`--extensionDevelopmentPath=${REPO}`, '--new-window', EXAMPLES, path.join(EXAMPLES, 'hello.invoke.json')];
  const windows = process.platform === 'win32';
  // code.cmd on Windows runs only through a shell, which then needs the arguments quoted.
  const child = spawn(windows ? `"${code}"` : code, windows ? args.map((a) => `"${a}"`) : args, { env, stdio: 'ignore', detached: true, shell: windows });
  child.once('error', (error) => console.error(`Could not start ${code}: ${error.message}`));
  child.unref();
}

/** An executable of that name on PATH (code.cmd and such on Windows), or undefined. */
function findOnPath(name) {
  const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension.toLowerCase());
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

let stoppingSince = 0;

/**
 * Stops everything started here (newest first), then exits. A second Ctrl-C kills what is left
 * and exits at once; a repeat within a second is the same Ctrl-C (npm may relay the terminal's
 * signal to us on top of the terminal itself).
 */
async function shutdown(reason, exitCode) {
  if (stopping) {
    if (reason !== undefined && Date.now() - stoppingSince > 1000) {
      for (const { child } of running) {
        if (child?.pid === undefined) continue;
        try {
          if (process.platform === 'win32') child.kill('SIGKILL');
          else process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      process.exit(exitCode === 0 ? 130 : exitCode);
    }
    return;
  }
  stopping = true;
  stoppingSince = Date.now();
  if (reason !== undefined) console.log(`\n${reason}: stopping ${running.length > 0 ? running.map((r) => r.name).join(' and ') : 'the start'}…`);
  for (const entry of [...running].reverse()) await entry.stop();
  if (running.length > 0) console.log('Stopped.');
  process.exit(exitCode);
}

main().catch(async (error) => {
  // After Ctrl-C, a step that was cut short fails: that is no news.
  if (!stopping) console.error(error instanceof SetupError ? `\n${error.message}` : error);
  await shutdown(undefined, stopping ? 0 : 1);
});
