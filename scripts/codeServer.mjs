// A real VS Code for machines without a desktop: code-server (VS Code served to a browser, with
// a real Node extension host) installed on first use into the git-ignored cache
// `.cache/code-server/`, then started on a free port. Used by `npm start` (scripts/start.mjs)
// and meant for the UI tests too. The recipe, and why each step is needed, is in
// ../shared/reference/real-vscode-here.md; in short:
//   - code-server 4.100.3 (VS Code 1.100.3) is the newest release that runs on Node 20;
//   - it builds native modules: Debian's `libkrb5-dev` must be present;
//   - its post-install runs `npm install` in lib/vscode, where @vscode/ripgrep would download
//     `rg` from GitHub; it takes a cached archive instead, which we make from Debian's `rg`;
//   - as root npm needs `--unsafe-perm`, and node-pty's `npx node-gyp` needs `npm_config_yes`.
// Processes are started in their own process groups and stopped by group, never by name.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

/** What @vscode/ripgrep 1.15.11 (used by VS Code 1.100) looks for in `$TMPDIR` before downloading. */
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_VERSION = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

/** Debian packages the install needs, each known by a file it provides. */
export const DEBIAN_PACKAGES = {
  'libkrb5-dev': { file: '/usr/include/gssapi/gssapi.h', why: 'a native module of VS Code includes gssapi/gssapi.h' },
  ripgrep: { file: '/usr/bin/rg', why: "VS Code's search runs rg, which cannot be downloaded here" },
  chromium: { file: '/usr/bin/chromium', why: 'the browser that shows code-server in UI tests' },
};

/** A problem the user fixes (a missing package, a busy port): print the message, no stack. */
export class SetupError extends Error {}

/** Where everything lives, under `<repo>/.cache/code-server/`. */
export function codeServerLayout(repoRoot) {
  const root = path.join(repoRoot, '.cache', 'code-server');
  return {
    root,
    /** code-server's `bin` (out/node/entry.js), run with this Node. */
    entry: path.join(root, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    /** Written last by a successful install: its presence means the install is whole. */
    marker: path.join(root, 'installed.json'),
    installLog: path.join(root, 'install.log'),
    /** `$TMPDIR` of the install, holding the ripgrep archive. */
    tmp: path.join(root, 'tmp'),
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    serverLog: path.join(root, 'code-server.log'),
  };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes sure the given Debian packages are installed: as root with apt-get, otherwise by telling
 * the user the exact command to run (throws a SetupError). Only Linux is checked.
 */
export function ensureDebianPackages(names, { log = console.log } = {}) {
  if (process.platform !== 'linux') return;
  const missing = names.filter((name) => !fs.existsSync(DEBIAN_PACKAGES[name].file));
  if (missing.length === 0) return;
  const reasons = missing.map((name) => `  ${name}: ${DEBIAN_PACKAGES[name].why}`).join('\n');
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!isRoot() || !fs.existsSync('/usr/bin/apt-get')) {
    throw new SetupError(
      `code-server needs these Debian packages, which are not installed:\n${reasons}\n` +
        `Install them, then run this again:\n  sudo apt-get update && sudo ${command}`,
    );
  }
  log(`Installing Debian packages: ${missing.join(', ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], command.split(' ').slice(1)]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new SetupError(`apt-get ${args.join(' ')} failed (exit ${result.status}). Install the packages yourself:\n  ${command}`);
  }
  const still = missing.filter((name) => !fs.existsSync(DEBIAN_PACKAGES[name].file));
  if (still.length > 0) throw new SetupError(`apt-get ran, but ${still.join(', ')} still seem missing (no ${still.map((n) => DEBIAN_PACKAGES[n].file).join(', ')}).`);
}

/** The installed version recorded by the marker, or undefined when there is no whole install. */
function installedVersion(layout) {
  try {
    const marker = JSON.parse(fs.readFileSync(layout.marker, 'utf8'));
    return fs.existsSync(layout.entry) ? marker.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs code-server into `.cache/code-server/` unless this version is already there: from
 * one to a few minutes the first time (about 4 on 2 slow cores), instant afterwards.
 * `onSpawn(child)` gets the npm process (in its own process group) as soon as it exists, for a
 * caller that stops everything it started on Ctrl-C.
 * @returns {Promise<{ entry: string, layout: ReturnType<typeof codeServerLayout>, installedNow: boolean, seconds: number }>}
 */
export async function ensureCodeServer({ repoRoot, log = console.log, onSpawn }) {
  const layout = codeServerLayout(repoRoot);
  if (installedVersion(layout) === CODE_SERVER_VERSION) return { entry: layout.entry, layout, installedNow: false, seconds: 0 };

  ensureDebianPackages(['libkrb5-dev', 'ripgrep'], { log });
  const started = Date.now();
  fs.mkdirSync(layout.tmp, { recursive: true });
  fs.rmSync(layout.marker, { force: true });
  const manifest = path.join(layout.root, 'package.json');
  if (!fs.existsSync(manifest)) {
    const description = 'code-server for npm start and the UI tests, installed by scripts/codeServer.mjs; not part of the extension.';
    fs.writeFileSync(manifest, `${JSON.stringify({ name: 'lambda-invoke-code-server', private: true, description }, null, 2)}\n`);
  }
  writeRipgrepArchive(layout.tmp);

  log(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(repoRoot, layout.root)}/ (first run only; one to a few minutes). Log: ${layout.installLog}`);
  const args = ['install', `code-server@${CODE_SERVER_VERSION}`, '--prefix', layout.root, '--no-audit', '--no-fund', '--save-exact'];
  if (isRoot()) args.push('--unsafe-perm');
  // Under `npm start`, npm describes its own run in npm_* variables (the script, the package, the
  // project folder); the nested install must not take them for its own. The user's npm settings
  // (npm_config_registry, _cafile, _cache, proxies…) stay.
  const outerRun = /^npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_local_prefix$)/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !outerRun.test(key)));
  Object.assign(env, { npm_config_yes: 'true', TMPDIR: layout.tmp });
  const [command, prefixArgs] = npmCommand();
  const logFd = fs.openSync(layout.installLog, 'w');
  let code;
  try {
    code = await new Promise((resolve, reject) => {
      // Its own process group, so an interrupted start can stop the whole install tree.
      const child = spawn(command, [...prefixArgs, ...args], { cwd: layout.root, env, stdio: ['ignore', logFd, logFd], detached: process.platform !== 'win32' });
      onSpawn?.(child);
      const stop = () => void stopProcessGroup(child, { graceMs: 2000 });
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(signal ? signal : exitCode);
      });
    });
  } finally {
    fs.closeSync(logFd);
  }
  if (code !== 0 || !fs.existsSync(layout.entry)) {
    throw new SetupError(`Installing code-server failed (${typeof code === 'string' ? `stopped by ${code}` : `exit ${code}`}). The end of ${layout.installLog}:\n${tail(layout.installLog, 25)}`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  fs.writeFileSync(layout.marker, `${JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString(), seconds })}\n`);
  log(`code-server ${CODE_SERVER_VERSION} installed in ${formatSeconds(seconds)}.`);
  return { entry: layout.entry, layout, installedNow: true, seconds };
}

/** The npm to run: the one running `npm start` when known, else `npm` from PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /\.[cm]?js$/.test(cli) && fs.existsSync(cli)) return [process.execPath, [cli]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
}

/** Puts Debian's `rg` where @vscode/ripgrep's post-install looks before it downloads. */
function writeRipgrepArchive(tmpDir) {
  if (process.platform !== 'linux') return;
  const target = RIPGREP_TARGETS[process.arch];
  if (!target) throw new SetupError(`No ripgrep archive name is known for ${process.arch}; code-server's install would try to download rg from GitHub.`);
  const dir = path.join(tmpDir, RIPGREP_CACHE_DIR);
  const archive = path.join(dir, `ripgrep-${RIPGREP_VERSION}-${target}.tar.gz`);
  if (fs.existsSync(archive)) return;
  fs.mkdirSync(dir, { recursive: true });
  const rg = DEBIAN_PACKAGES.ripgrep.file;
  // One file, `rg`, at the top of the archive; -h stores the file even if rg is a symlink.
  const result = spawnSync('tar', ['-czhf', archive, '-C', path.dirname(rg), path.basename(rg)], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new SetupError(`Could not pack ${rg} into ${archive}: ${result.stderr || `tar exited ${result.status}`}`);
}

/** A TCP port nobody listens on now, chosen by the system. */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections at host:port right now. */
export function isListening(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (listening) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

/**
 * Resolves when `check()` resolves true; rejects when the child exits first, or after
 * `timeoutMs`. `check` runs again as soon as the previous one returns false (with a short pause,
 * so a refused connection does not spin).
 */
export function waitUntil(check, { child, what, timeoutMs = 60_000, output }) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child?.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code, signal) => finish(new SetupError(`${what} stopped before it was ready (${signal ?? `exit ${code}`}).${output ? `\n${output()}` : ''}`));
    const timer = setTimeout(() => finish(new SetupError(`${what} was not ready after ${timeoutMs / 1000} s.${output ? `\n${output()}` : ''}`)), timeoutMs);
    child?.once('exit', onExit);
    const attempt = () => {
      if (settled) return;
      check().then(
        (ok) => (ok ? finish() : setTimeout(attempt, 100)),
        () => setTimeout(attempt, 100),
      );
    };
    attempt();
  });
}

/** GET a URL; resolves with the status code (or rejects on a connection error). */
export function httpStatus(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error('timed out')));
  });
}

/**
 * Starts code-server on `workspace` and waits until it answers. Its output goes to `logFile`
 * (default `.cache/code-server/code-server.log`); `userDataDir` and `extensionsDir` default to
 * folders in the cache, which tests replace with fresh ones. `workspaceTrust: true` keeps Workspace Trust on, so
 * a folder opens untrusted (Restricted Mode) until the user trusts it. `onSpawn(child)` is called as soon as the process
 * exists, so a caller interrupted during the wait can still stop it.
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, host: string, port: number, baseUrl: string, logFile: string, stop(): Promise<void> }>}
 */
export async function startCodeServer({ repoRoot, workspace, host = '127.0.0.1', port, env = process.env, log = console.log, onSpawn, userDataDir, extensionsDir, logFile, workspaceTrust = false }) {
  const { entry, layout } = await ensureCodeServer({ repoRoot, log });
  const chosenPort = port ?? (await freePort(host));
  // Tests pass fresh folders of their own; `npm start` keeps its state in the cache.
  const dataDir = userDataDir ?? layout.userDataDir;
  const extDir = extensionsDir ?? layout.extensionsDir;
  const serverLog = logFile ?? layout.serverLog;
  fs.mkdirSync(extDir, { recursive: true });
  writeDefaultUserSettings(dataDir);
  const logFd = fs.openSync(serverLog, 'w');
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `${host}:${chosenPort}`,
    '--user-data-dir', dataDir,
    '--extensions-dir', extDir,
    '--disable-telemetry',
    '--disable-update-check',
    // Workspace Trust is off unless asked for (the Restricted Mode test): a folder of examples needs no prompt.
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    workspace,
  ];
  // Only code-server's own settings are dropped; everything else (AWS_*, PATH) reaches the extension host.
  const childEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !/^(npm_|VSCODE_)/i.test(key)));
  const child = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', logFd, logFd], detached: process.platform !== 'win32' });
  fs.closeSync(logFd);
  onSpawn?.(child);
  const baseUrl = `http://${host}:${chosenPort}/`;
  try {
    await waitUntil(
      async () => (await httpStatus(new URL('healthz', baseUrl))) === 200,
      { child, what: 'code-server', output: () => `The end of ${serverLog}:\n${tail(serverLog, 20)}` },
    );
  } catch (error) {
    await stopProcessGroup(child);
    throw error;
  }
  return { child, host, port: chosenPort, baseUrl, logFile: serverLog, stop: () => stopProcessGroup(child) };
}

/**
 * The user settings of this code-server, written once: no prompts that have nothing to do with
 * the extension (the repository's git folder above the workspace, a welcome page) and no
 * update checks against a marketplace these machines cannot reach.
 */
function writeDefaultUserSettings(userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = {
    'git.openRepositoryInParentFolders': 'never',
    'workbench.startupEditor': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
  };
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * The address that opens the workbench on `folder` with the extension at
 * `extensionDevelopmentPath` loaded in development mode (and, for tests, `extensionTestsPath`).
 * code-server's extension host is remote: these paths must be vscode-remote:// URIs whose
 * authority is the server's host:port; plain file paths find no extension host. `openFile`
 * opens that file in the editor once the workbench is up.
 */
export function workbenchUrl({ host = '127.0.0.1', port, folder, extensionDevelopmentPath, extensionTestsPath, openFile, skipWelcome = true }) {
  const remote = (file) => `vscode-remote://${host}:${port}${encodeURI(toUrlPath(file))}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (openFile) payload.push(['openFile', remote(openFile)]);
  if (skipWelcome) payload.push(['skipWelcome', 'true']);
  // The folder keeps its slashes readable; every other special character is escaped.
  const query = [`folder=${encodeURIComponent(toUrlPath(folder)).replace(/%2F/g, '/')}`];
  if (payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://${host}:${port}/?${query.join('&')}`;
}

function toUrlPath(file) {
  const absolute = path.resolve(file).split(path.sep).join('/');
  return absolute.startsWith('/') ? absolute : `/${absolute}`;
}

/**
 * Stops a child started with `detached: true` together with everything it started: `signal`
 * (SIGTERM unless told) to its process group, SIGKILL to whatever of the group is left after
 * `graceMs`. Resolves when the group is gone. Never looks processes up by name.
 */
export async function stopProcessGroup(child, { graceMs = 5000, signal: first = 'SIGTERM' } = {}) {
  if (child.pid === undefined) return;
  const pid = child.pid;
  const groupAlive = () => {
    if (process.platform === 'win32') return child.exitCode === null && child.signalCode === null;
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (name) => {
    try {
      if (process.platform === 'win32') child.kill(name);
      else process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  if (!groupAlive()) return;
  signal(first);
  const deadline = Date.now() + graceMs;
  while (groupAlive() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (groupAlive()) {
    signal('SIGKILL');
    while (groupAlive() && Date.now() < deadline + 2000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The last `lines` lines of a text file (for error messages). */
export function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((line) => `  ${line}`).join('\n');
  } catch {
    return '  (no log)';
  }
}

export function formatSeconds(seconds) {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}
