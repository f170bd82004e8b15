// The packaged extension, as a user gets it: packs the .vsix, looks inside it, installs it into a
// real VS Code (code-server 4.100 = VS Code 1.100, installed on first use by
// scripts/codeServer.mjs) and uses it there from Chromium (playwright-core). The recipe is
// ../shared/reference/real-vscode-here.md.
//
//   1. packs the extension with vsce (`vsce package --no-dependencies`, which runs the production
//      build of `vscode:prepublish`) into a temp folder, then rebuilds dist/ for development;
//   2. reads the .vsix's zip central directory and prints its entries: at most 2 MB, none of
//      node_modules, sources, source maps, tests or examples, and every file the extension needs
//      and its manifest names;
//   3. installs it with code-server's `--install-extension` into fresh extensions and user-data
//      folders, and compares the installed folder with the .vsix;
//   4. starts the local endpoint from the installed copy's CLI on a fresh copy of examples/, and
//      code-server with those extensions and a fresh user-data folder, and no development path:
//      opens hello.invoke.json, waits for the `▶ Invoke Say hello to Ada` lens (the extension
//      activated and its language server runs), clicks it and waits for `200 OK` in the Output
//      panel (the packaged engine invoked); then checks that the language server that runs is
//      the installed copy's;
//   5. stops everything it started (by process group, never by name), also on a failure and on
//      Ctrl-C. The last line is `N passed, M failed`; the exit code is 0 only when all passed.
//
// Options: --keep (keep the temp folder; it is kept anyway after a failure), --headed (a visible
// browser, for debugging on a desktop).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as zlib from 'node:zlib';
import { SetupError, ensureCodeServer, ensureDebianPackages, startCodeServer, stopProcessGroup, tail, workbenchUrl } from '../../scripts/codeServer.mjs';
import { copyExamples, isolatedAwsEnv, launchChromium, makeShutdown, pointSettingsAt, recordConsole, runCommand, startEndpoint, waitForOutputText } from '../e2e/shared.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
/** The folder `--install-extension` makes: `<publisher>.<name>-<version>`. */
const INSTALLED_FOLDER = `${MANIFEST.publisher}.${MANIFEST.name}-${MANIFEST.version}`.toLowerCase();
const EXTENSION_ID = `${MANIFEST.publisher}.${MANIFEST.name}`.toLowerCase();

/** What the .vsix may weigh: the bundles are minified and hold no node_modules. */
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
/** Entries every .vsix of the extension holds (vsce renames README, CHANGELOG and LICENSE). */
const REQUIRED_ENTRIES = [
  'extension.vsixmanifest',
  '[Content_Types].xml',
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/languageClient.js',
  'extension/dist/server.js',
  'extension/dist/engine.js',
  'extension/dist/cli.js',
  'extension/dist/localEndpoint.js',
  'extension/dist/catalog.js',
  'extension/dist/logs.js',
  'extension/dist/localRuntime.js',
  'extension/schemas/invoke.schema.json',
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/license(\.txt|\.md)?$/i,
];
/** Folders of the repository that have no place in the .vsix. */
const FORBIDDEN_FOLDERS = ['node_modules', 'test', 'bench', 'client', 'server', 'local', 'scripts', 'examples', 'docs', 'out', '.cache', '.vscode-test', '.vscode', '.git', '.github'];
/** Kinds of files that have no place in it either: source maps, TypeScript sources, packages. */
const FORBIDDEN_FILES = [/\.map$/i, /\.[cm]?tsx?$/i, /\.vsix$/i];

/** Deadlines: generous for a loaded 2-core CI machine; each failure says what it waited for. */
const PACKAGE_TIMEOUT_MS = 5 * 60_000;
const INSTALL_TIMEOUT_MS = 2 * 60_000;
const UI_STEP_TIMEOUT_MS = 120_000;

const args = process.argv.slice(2);
const KEEP = args.includes('--keep');
const HEADED = args.includes('--headed');

/** What runs, newest last; stopped in reverse order. */
const running = [];
let stopping = false;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[vsix ${elapsed()}] ${line}`);

const tally = { passed: 0, failed: 0 };

/** One checked step, counted as a test; resolves with whether it passed. */
async function step(title, body) {
  const stepStarted = Date.now();
  log(`${title}…`);
  try {
    await body();
    tally.passed += 1;
    console.log(`    ✔ ${title} (${Date.now() - stepStarted} ms)`);
    return true;
  } catch (error) {
    tally.failed += 1;
    const text = error instanceof SetupError || error instanceof CheckError ? error.message : String(error?.stack ?? error);
    console.log(`    ✖ ${title}\n${text.split('\n').map((line) => `        ${line}`).join('\n')}`);
    return false;
  }
}

/** A check that failed for a reason the message says in full (printed without a stack). */
class CheckError extends Error {}

async function main() {
  process.on('SIGINT', () => void shutdown('SIGINT', 130, `${tally.passed} passed, ${tally.failed + 1} failed`));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 143, `${tally.passed} passed, ${tally.failed + 1} failed`));
  process.on('SIGHUP', () => void shutdown('SIGHUP', 129, `${tally.passed} passed, ${tally.failed + 1} failed`));

  ensureDebianPackages(['chromium'], { log });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-vsix-'));
  running.push({ name: 'the temp folder', stop: async () => (KEEP || tally.failed > 0 ? log(`Kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })) });
  log(`Temp folder: ${tmp}`);

  // 1. Package.
  const vsix = path.join(tmp, `${MANIFEST.name}.vsix`);
  const packaged = await step('vsce packages the extension', async () => {
    const vsceLog = path.join(tmp, 'vsce.log');
    // Put back once vsce is done, or stopped (on Ctrl-C, just after vsce: entries stop newest first).
    const restore = { name: 'the development build of dist/', stop: () => restoreDevelopmentBuild(tmp) };
    running.push(restore);
    try {
      await runToExit({
        what: 'vsce package',
        args: [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix],
        cwd: REPO,
        logFile: vsceLog,
        timeoutMs: PACKAGE_TIMEOUT_MS,
      });
    } finally {
      if (!stopping) {
        running.splice(running.indexOf(restore), 1);
        restoreDevelopmentBuild(tmp);
      }
    }
    if (!fs.existsSync(vsix)) throw new CheckError(`vsce exited 0 but wrote no ${vsix}. The end of ${vsceLog}:\n${tail(vsceLog, 20)}`);
    log(`Packaged ${vsix} (${formatBytes(fs.statSync(vsix).size)}).`);
  });
  if (!packaged) return;

  // 2. Inspect. The later steps are worth running even when this one finds a problem.
  await step('the .vsix holds the bundles and files the extension needs, and nothing else', () => inspectVsix(vsix));

  // 3. Install.
  const extensionsDir = path.join(tmp, 'extensions');
  const installedPath = path.join(extensionsDir, INSTALLED_FOLDER);
  const installed = await step(`code-server --install-extension installs it as ${INSTALLED_FOLDER}`, async () => {
    const { entry } = await ensureCodeServer({ repoRoot: REPO, log, onSpawn: (child) => running.push({ name: 'the code-server install', child, stop: () => stopProcessGroup(child) }) });
    await installVsix(entry, vsix, extensionsDir, path.join(tmp, 'install-user-data'), path.join(tmp, 'install.log'));
    compareInstalledWithVsix(vsix, installedPath);
  });
  if (!installed) return;

  // 4. Run the installed copy.
  await runInstalled(tmp, extensionsDir, installedPath);
}

/**
 * Runs `node <args>` in its own process group (stopped with everything else on Ctrl-C) until it
 * exits; its output goes to `logFile`. Rejects, with the end of the log, on a non-zero exit or
 * when `timeoutMs` passes first.
 */
function runToExit({ what, args: nodeArgs, cwd, env = process.env, logFile, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(logFile, 'w');
    const child = spawn(process.execPath, nodeArgs, { cwd, env, stdio: ['ignore', fd, fd], detached: process.platform !== 'win32' });
    fs.closeSync(fd);
    const entry = { name: what, child, stop: () => stopProcessGroup(child) };
    running.push(entry);
    let settled = false;
    let timedOut = false;
    /** True the first time: the child is no longer ours to stop. */
    const done = () => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      running.splice(running.indexOf(entry), 1);
      return true;
    };
    const timer = setTimeout(() => {
      timedOut = true;
      void stopProcessGroup(child).then(() => {
        if (done()) reject(new CheckError(`${what} did not exit within ${timeoutMs / 1000} s. The end of ${logFile}:\n${tail(logFile, 25)}`));
      });
    }, timeoutMs);
    child.once('error', (error) => {
      if (done()) reject(error);
    });
    child.once('exit', (code, signal) => {
      // Stopped by the deadline (which rejects) or by Ctrl-C (the process exits): nothing to say here.
      if (stopping || timedOut || !done()) return;
      if (code === 0) resolve();
      else reject(new CheckError(`${what} failed (${signal ?? `exit ${code}`}). The end of ${logFile}:\n${tail(logFile, 25)}`));
    });
  });
}

/**
 * vsce's `vscode:prepublish` leaves the production build (minified, no source maps) in dist/;
 * the development build goes back, as `npm run build` leaves it, for whoever runs or debugs the
 * repository next. Synchronous (a second or two), so that it also runs while stopping on Ctrl-C.
 * Not a checked step: a failure is only reported.
 */
function restoreDevelopmentBuild(tmp) {
  const buildLog = path.join(tmp, 'build-development.log');
  const fd = fs.openSync(buildLog, 'w');
  const result = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: ['ignore', fd, fd], timeout: PACKAGE_TIMEOUT_MS });
  fs.closeSync(fd);
  if (result.status === 0) log('Rebuilt dist/ for development (packaging leaves the production build there).');
  else log(`Warning: could not rebuild dist/ for development (${result.error?.message ?? result.signal ?? `exit ${result.status}`}); run \`npm run build\`. The end of ${buildLog}:\n${tail(buildLog, 10)}`);
}

// ---------------------------------------------------------------------------------------------
// Step 2: the .vsix's contents.

/**
 * The entries of a zip file, from its central directory (APPNOTE.TXT 4.3.12 and 4.3.16): the
 * "end of central directory" record at the end of the file says where the directory starts and
 * how many entries it lists; each directory entry gives a name, sizes, compression method and
 * where the entry's data (after its local header) is. ZIP64 archives (over 4 GB or 65,535
 * entries) are not read: no .vsix of this extension comes near.
 * @returns {{ name: string, size: number, compressedSize: number, method: number, localHeaderOffset: number }[]}
 */
function readZipDirectory(buffer) {
  const EOCD_SIGNATURE = 0x06054b50;
  const EOCD_SIZE = 22;
  // The record ends with a comment of up to 65,535 bytes: look for its signature from the end back.
  let eocd = -1;
  for (let at = buffer.length - EOCD_SIZE; at >= Math.max(0, buffer.length - EOCD_SIZE - 0xffff); at--) {
    if (buffer.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new CheckError('Not a zip file: no end-of-central-directory record.');
  const count = buffer.readUInt16LE(eocd + 10); // total number of entries
  const directoryOffset = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new CheckError('A ZIP64 archive: not expected for a .vsix this small.');

  const CENTRAL_SIGNATURE = 0x02014b50;
  const entries = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (buffer.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new CheckError(`Broken zip central directory at byte ${at} (entry ${index + 1} of ${count}).`);
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10); // 0 stored, 8 deflated
    const compressedSize = buffer.readUInt32LE(at + 20);
    const size = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const localHeaderOffset = buffer.readUInt32LE(at + 42);
    // Flag bit 11: the name is UTF-8; otherwise code page 437, which equals ASCII for our names.
    const name = buffer.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    entries.push({ name, size, compressedSize, method, localHeaderOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry: its data follows its local header (APPNOTE 4.3.7). */
function readZipEntry(buffer, entry) {
  const LOCAL_SIGNATURE = 0x04034b50;
  const at = entry.localHeaderOffset;
  if (buffer.readUInt32LE(at) !== LOCAL_SIGNATURE) throw new CheckError(`Broken zip local header for ${entry.name}.`);
  // The local header's own name and extra-field lengths (the extra field may differ from the directory's).
  const dataStart = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  const data = buffer.subarray(dataStart, dataStart + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method === 8) return zlib.inflateRawSync(data);
  throw new CheckError(`${entry.name} uses zip compression method ${entry.method}, which this test does not read.`);
}

/** The files the extension's manifest names, as paths inside the package (relative to extension/). */
function filesTheManifestNames(manifest) {
  const named = [];
  const add = (what, file) => {
    if (typeof file === 'string' && !/^[a-z]+:\/\//i.test(file)) named.push({ what, file: path.posix.normalize(file.replace(/^\.\//, '')) });
  };
  add('main', manifest.main);
  add('icon', manifest.icon);
  const contributes = manifest.contributes ?? {};
  for (const language of contributes.languages ?? []) add(`the language ${language.id}'s configuration`, language.configuration);
  for (const grammar of contributes.grammars ?? []) add(`the grammar ${grammar.scopeName}`, grammar.path);
  for (const validation of contributes.jsonValidation ?? []) add(`the JSON schema for ${String(validation.fileMatch)}`, validation.url);
  for (const walkthrough of contributes.walkthroughs ?? []) {
    for (const walkthroughStep of walkthrough.steps ?? []) {
      const media = walkthroughStep.media ?? {};
      const what = `walkthrough step ${walkthrough.id}/${walkthroughStep.id}`;
      add(what, media.markdown);
      add(what, media.svg);
      if (typeof media.image === 'string') add(what, media.image);
      else for (const image of Object.values(media.image ?? {})) add(what, image);
    }
  }
  return named;
}

function inspectVsix(vsix) {
  const buffer = fs.readFileSync(vsix);
  const entries = readZipDirectory(buffer);
  const files = entries.filter((entry) => !entry.name.endsWith('/'));

  // The list, as vsce's tree shows it but flat, with sizes.
  const total = files.reduce((sum, entry) => sum + entry.size, 0);
  const totalCompressed = files.reduce((sum, entry) => sum + entry.compressedSize, 0);
  console.log(`\n      ${'size'.padStart(10)} ${'in zip'.padStart(10)}  entry`);
  for (const entry of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    console.log(`      ${formatBytes(entry.size).padStart(10)} ${formatBytes(entry.compressedSize).padStart(10)}  ${entry.name}`);
  }
  console.log(`      ${formatBytes(total).padStart(10)} ${formatBytes(totalCompressed).padStart(10)}  ${files.length} files; the .vsix is ${formatBytes(buffer.length)} (${buffer.length} bytes)\n`);

  const problems = [];
  if (buffer.length > MAX_VSIX_BYTES) problems.push(`The .vsix is ${formatBytes(buffer.length)}, over the ${formatBytes(MAX_VSIX_BYTES)} limit.`);
  for (const entry of files) {
    const inside = entry.name.replace(/^extension\//, '');
    // node_modules nowhere; the repository's other folders not at the top of the extension.
    const folder = inside.split('/').includes('node_modules') ? 'node_modules' : FORBIDDEN_FOLDERS.find((name) => inside.startsWith(`${name}/`));
    if (folder) problems.push(`${entry.name}: nothing under ${folder}/ belongs in the package.`);
    else if (FORBIDDEN_FILES.some((pattern) => pattern.test(entry.name))) problems.push(`${entry.name}: no source maps, TypeScript sources or packages belong in the package.`);
  }
  for (const required of REQUIRED_ENTRIES) {
    const found = files.some((entry) => (typeof required === 'string' ? entry.name === required : required.test(entry.name)));
    if (!found) problems.push(`Missing: ${typeof required === 'string' ? required : required.source.replace(/^\^|\$$|\\/g, '')}.`);
  }

  // The packaged manifest: the same extension, and every file it names is in the package.
  const manifestEntry = files.find((entry) => entry.name === 'extension/package.json');
  if (manifestEntry) {
    const packagedManifest = JSON.parse(readZipEntry(buffer, manifestEntry).toString('utf8'));
    for (const key of ['publisher', 'name', 'version', 'main']) {
      if (packagedManifest[key] !== MANIFEST[key]) problems.push(`extension/package.json has ${key} ${JSON.stringify(packagedManifest[key])}, the repository's package.json ${JSON.stringify(MANIFEST[key])}.`);
    }
    const names = new Set(files.map((entry) => entry.name));
    const named = filesTheManifestNames(packagedManifest);
    for (const { what, file } of named) {
      if (!names.has(`extension/${file}`)) problems.push(`The manifest names ${file} (${what}), which is not in the package.`);
    }
    log(`The packaged manifest names ${named.length} files; ${named.length - problems.filter((problem) => problem.startsWith('The manifest names')).length} of them are in the package.`);
  }
  if (problems.length > 0) throw new CheckError(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${vsix}:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// Step 3: the install.

/** `code-server --install-extension`, as a user installs a .vsix, into fresh folders. */
async function installVsix(entry, vsix, extensionsDir, userDataDir, logFile) {
  // code-server's own settings from the environment would change where it installs: leave them out.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|VSCODE_|CODE_SERVER_)/i.test(key)));
  await runToExit({
    what: 'code-server --install-extension',
    args: [entry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    cwd: path.dirname(vsix),
    env,
    logFile,
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  const output = fs.readFileSync(logFile, 'utf8');
  if (!/successfully installed/i.test(output)) throw new CheckError(`code-server exited 0 but did not say the extension was installed. Its output:\n${tail(logFile, 25)}`);
  log(`code-server: ${output.trim().split('\n').pop()}`);

  const folders = fs.readdirSync(extensionsDir).filter((name) => name !== 'extensions.json' && !name.startsWith('.'));
  if (!folders.includes(INSTALLED_FOLDER)) throw new CheckError(`No ${INSTALLED_FOLDER} in ${extensionsDir}; it holds: ${folders.join(', ') || 'nothing'}.`);
  if (folders.length !== 1) throw new CheckError(`${extensionsDir} should hold only ${INSTALLED_FOLDER}; it holds: ${folders.join(', ')}.`);
  // VS Code's list of installed extensions: this one, from a .vsix, at that folder.
  const listFile = path.join(extensionsDir, 'extensions.json');
  const list = fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : [];
  const listed = list.find((item) => item.identifier?.id?.toLowerCase() === EXTENSION_ID);
  if (!listed) throw new CheckError(`${listFile} does not list ${EXTENSION_ID}: ${JSON.stringify(list)}`);
  if (listed.version !== MANIFEST.version || listed.relativeLocation !== INSTALLED_FOLDER) {
    throw new CheckError(`${listFile} lists ${EXTENSION_ID} ${listed.version} at ${listed.relativeLocation}, not ${MANIFEST.version} at ${INSTALLED_FOLDER}.`);
  }
  log(`Installed ${EXTENSION_ID} ${listed.version} (source: ${listed.metadata?.source ?? 'unknown'}) in ${path.join(extensionsDir, INSTALLED_FOLDER)}`);
}

/**
 * Every file under extension/ in the .vsix is in the installed folder, with its size; and no
 * other code is. VS Code rewrites package.json on install (tab-indented, with `__metadata` of its
 * own): that one must hold the same manifest.
 */
function compareInstalledWithVsix(vsix, installedPath) {
  const buffer = fs.readFileSync(vsix);
  const files = readZipDirectory(buffer).filter((entry) => entry.name.startsWith('extension/') && !entry.name.endsWith('/'));
  const problems = [];
  for (const entry of files) {
    const file = path.join(installedPath, ...entry.name.slice('extension/'.length).split('/'));
    if (!fs.existsSync(file)) {
      problems.push(`${entry.name} was not installed (no ${file}).`);
    } else if (entry.name === 'extension/package.json') {
      const installedManifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete installedManifest.__metadata;
      const packagedManifest = JSON.parse(readZipEntry(buffer, entry).toString('utf8'));
      if (!isDeepStrictEqual(installedManifest, packagedManifest)) problems.push(`${file} (without __metadata) is not the .vsix's manifest.`);
    } else if (fs.statSync(file).size !== entry.size) {
      problems.push(`${file} has ${fs.statSync(file).size} bytes, the .vsix's ${entry.name} ${entry.size}.`);
    }
  }
  // VS Code may add files of its own (a .vsixmanifest copy): only what could run counts.
  const expected = new Set(files.map((entry) => entry.name.slice('extension/'.length)));
  for (const relative of listFiles(installedPath)) {
    if (!expected.has(relative) && /\.(js|cjs|mjs|node)$/.test(relative)) problems.push(`${relative} is installed but not in the .vsix.`);
  }
  if (problems.length > 0) throw new CheckError(`The installed folder differs from the .vsix:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  log(`The installed folder holds the .vsix's ${files.length} files.`);
}

/** The files under `root`, as `/`-separated relative paths. */
function listFiles(root, prefix = '') {
  return fs.readdirSync(path.join(root, prefix), { withFileTypes: true }).flatMap((dirent) => {
    const relative = prefix ? `${prefix}/${dirent.name}` : dirent.name;
    return dirent.isDirectory() ? listFiles(root, relative) : [relative];
  });
}

// ---------------------------------------------------------------------------------------------
// Step 4: the installed extension at work.

async function runInstalled(tmp, extensionsDir, installedPath) {
  const workspace = await copyExamples(path.join(tmp, 'workspace'));
  // The endpoint from the installed copy's CLI: the packaged cli.js and localRuntime.js run without node_modules.
  const endpointLog = path.join(tmp, 'endpoint.log');
  const endpointPort = await startEndpoint({
    cli: path.join(installedPath, 'dist', 'cli.js'),
    workspace,
    logFile: endpointLog,
    onSpawn: (child) => running.push({ name: 'the local endpoint', child, stop: () => stopProcessGroup(child, { signal: 'SIGINT' }) }),
  });
  pointSettingsAt(workspace, endpointPort);
  log(`Local endpoint (the installed dist/cli.js) on http://127.0.0.1:${endpointPort}/ for ${workspace} (log: ${endpointLog})`);

  const userDataDir = path.join(tmp, 'user-data');
  const server = await startCodeServer({
    repoRoot: REPO,
    workspace,
    userDataDir,
    extensionsDir,
    logFile: path.join(tmp, 'code-server.log'),
    env: isolatedAwsEnv(tmp),
    log,
    onSpawn: (child) => running.push({ name: 'code-server', child, stop: () => stopProcessGroup(child) }),
  });
  log(`code-server: ${server.baseUrl} with the extensions in ${extensionsDir} (log: ${server.logFile})`);

  const consoleLog = path.join(tmp, 'browser.log');
  /** What to read when a step in the workbench fails. */
  const diagnostics = () => {
    const parts = [`The end of code-server's log ${server.logFile}:\n${tail(server.logFile, 15)}`];
    for (const file of findFiles(path.join(userDataDir, 'logs'), (name) => name === 'remoteexthost.log' || /Lambda Invoke/.test(name))) {
      parts.push(`The end of ${file}:\n${tail(file, 15)}`);
    }
    parts.push(`The browser console: ${consoleLog}; the endpoint's log: ${endpointLog}`);
    return parts.join('\n');
  };

  const browser = await launchChromium({ headed: HEADED });
  running.push({ name: 'Chromium', stop: () => browser.close().catch(() => undefined) });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(UI_STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const consoleStream = recordConsole(page, consoleLog);
  /** A failed step: a screenshot of the moment, and the logs to read. */
  const explain = async (error, name) => {
    const screenshot = path.join(tmp, `failed-${name}.png`);
    await page.screenshot({ path: screenshot }).catch(() => undefined);
    return new CheckError(`${error instanceof Error ? error.message : String(error)}\nScreenshot: ${screenshot}\n${diagnostics()}`);
  };

  try {
    const helloFile = path.join(workspace, 'hello.invoke.json');
    // No extensionDevelopmentPath: the only Lambda Invoke this window can load is the installed one.
    const url = workbenchUrl({ port: server.port, folder: workspace, openFile: helloFile });
    if (/extensionDevelopmentPath/.test(decodeURIComponent(url))) throw new Error(`The workbench URL names a development path: ${url}`);
    log(`Opening ${url}`);
    await page.goto(url);

    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    const lens = editor.locator('.codelens-decoration a', { hasText: '▶ Invoke Say hello to Ada' });
    const lensShown = await step('the installed extension activates on hello.invoke.json and its language server shows the ▶ Invoke Say hello to Ada lens', async () => {
      await page.locator('.tab', { hasText: 'hello.invoke.json' }).first().waitFor({ state: 'visible' }).catch(async (error) => {
        throw await explain(new Error(`hello.invoke.json did not open in an editor tab within ${UI_STEP_TIMEOUT_MS / 1000} s (${error.message.split('\n')[0]})`), 'open');
      });
      await lens.waitFor({ state: 'visible' }).catch(async (error) => {
        throw await explain(new Error(`The "▶ Invoke Say hello to Ada" code lens did not show within ${UI_STEP_TIMEOUT_MS / 1000} s (${error.message.split('\n')[0]})`), 'lens');
      });
    });
    if (!lensShown) return;

    await step('clicking ▶ Invoke runs the packaged engine against the local endpoint: 200 OK in the Output panel', async () => {
      await lens.click();
      // The extension reveals its channel after an invocation.
      await page.locator('.output-view').waitFor({ state: 'visible' }).catch(async (error) => {
        throw await explain(new Error(`The Output panel did not open within ${UI_STEP_TIMEOUT_MS / 1000} s of the click (${error.message.split('\n')[0]})`), 'output');
      });
      // The editor renders only the lines in view, and the channel scrolls to its end: with the
      // panel maximized the whole report (its first line holds the status) is in view.
      await runCommand(page, 'View: Toggle Maximized Panel');
      await waitForOutputText(page, ['200 OK', 'Saying hello to Ada'], UI_STEP_TIMEOUT_MS).catch(async (error) => {
        throw await explain(error, 'invoke');
      });
      const channel = await page.locator('.panel .monaco-select-box, .panel select').first().inputValue().catch(() => '');
      if (channel && !channel.includes('Lambda Invoke')) throw await explain(new Error(`The Output panel shows the channel "${channel}", not "Lambda Invoke".`), 'channel');
    });

    await step('what runs is the installed copy: its language server, no development path', () => {
      checkInstalledCopyRuns(server.child.pid, installedPath, userDataDir);
    });
  } finally {
    await context.close().catch(() => undefined);
    consoleStream.end();
  }
}

/**
 * The processes of code-server's tree (Linux: /proc) include the language server the extension
 * started, whose command line names the installed folder's dist/server.js; none names the
 * repository's dist/. And the extension host's log shows the extension activated.
 */
function checkInstalledCopyRuns(rootPid, installedPath, userDataDir) {
  const repoDist = `${path.join(REPO, 'dist')}${path.sep}`;
  if (process.platform === 'linux') {
    const tree = processTree(rootPid);
    const servers = tree.filter((proc) => proc.cmdline.some((arg) => arg.endsWith(`${path.sep}dist${path.sep}server.js`)));
    const fromRepo = tree.filter((proc) => proc.cmdline.some((arg) => arg.startsWith(repoDist)));
    const describe = (list) => list.map((proc) => `  ${proc.pid}: ${proc.cmdline.join(' ')}`).join('\n');
    if (fromRepo.length > 0) throw new CheckError(`code-server runs something from the repository's dist/:\n${describe(fromRepo)}`);
    if (servers.length === 0) throw new CheckError(`No language server (dist/server.js) among code-server's ${tree.length} processes:\n${describe(tree)}`);
    const installedServer = path.join(installedPath, 'dist', 'server.js');
    const elsewhere = servers.filter((proc) => !proc.cmdline.includes(installedServer));
    if (elsewhere.length > 0) throw new CheckError(`A language server runs from somewhere other than ${installedServer}:\n${describe(elsewhere)}`);
    log(`The language server runs from the installed copy: ${servers.map((proc) => `pid ${proc.pid}`).join(', ')} (${installedServer}).`);
  } else {
    log('(Not Linux: the language server process is not looked up.)');
  }
  // The extension host's log, written by code-server in this run's user-data folder.
  const activation = `_doActivateExtension ${EXTENSION_ID},`;
  const needle = activation.toLowerCase();
  const hostLogs = findFiles(path.join(userDataDir, 'logs'), (name) => name === 'remoteexthost.log');
  const hostLog = hostLogs.find((file) => fs.readFileSync(file, 'utf8').toLowerCase().includes(needle));
  if (!hostLog) throw new CheckError(`No extension host log under ${path.join(userDataDir, 'logs')} says "${activation}" (${hostLogs.length} logs read).`);
  const text = fs.readFileSync(hostLog, 'utf8');
  if (text.includes(repoDist)) throw new CheckError(`The extension host log ${hostLog} names the repository's dist/.`);
  log(`Extension host log: ${text.split('\n').find((line) => line.toLowerCase().includes(needle))?.trim()}`);
}

/** `rootPid` and all its descendants, from /proc. */
function processTree(rootPid) {
  const all = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so split after the last ')'.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      all.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = all.filter((proc) => proc.pid === rootPid);
  for (let index = 0; index < tree.length; index++) {
    for (const proc of all) if (proc.ppid === tree[index].pid) tree.push(proc);
  }
  return tree;
}

/** Files under `root` whose name passes `test`, as absolute paths (none when `root` is missing). */
function findFiles(root, test) {
  if (!fs.existsSync(root)) return [];
  return listFiles(root).filter((relative) => test(path.posix.basename(relative))).map((relative) => path.join(root, ...relative.split('/')));
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** Stops everything started here, newest first, then exits. */
const shutdown = makeShutdown(running, log, () => (stopping = true));

main().then(
  async () => {
    console.log(`\npackaged, installed and used the .vsix in code-server: ${elapsed()}`);
    await shutdown(undefined, tally.failed > 0 || tally.passed === 0 ? 1 : 0, `${tally.passed} passed, ${tally.failed} failed`);
  },
  async (error) => {
    if (!stopping) console.error(error instanceof SetupError || error instanceof CheckError ? `\n${error.message}` : error);
    tally.failed += 1;
    await shutdown(undefined, 1, `${tally.passed} passed, ${tally.failed} failed`);
  },
);
