// Bundles the extension, its language client, the language server, the invoke engine, the
// function catalogue, the CloudWatch Logs reader, the CLI, the local endpoint and the local
// endpoint's worker into dist/ with
// esbuild. One bundle per entry point, CommonJS for Node, `vscode` left to the extension host.
// .vscodeignore lets each bundle into the .vsix by name: a new entry here needs a line there.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/**
 * package.json is imported for its version and command titles only (src/protocol/packageManifest.ts):
 * bundle just those, not the whole manifest with every setting's description.
 */
const manifestSubset = {
  name: 'package-json-subset',
  setup(build) {
    build.onLoad({ filter: /[\\/]package\.json$/ }, (args) => {
      const manifest = JSON.parse(readFileSync(args.path, 'utf8'));
      const subset = {
        version: manifest.version,
        contributes: { commands: (manifest.contributes?.commands ?? []).map(({ command, title }) => ({ command, title })) },
      };
      return { contents: JSON.stringify(subset), loader: 'json' };
    });
  },
};

/**
 * Code that dist/cli.js loads at run time, from its own bundle beside it, for the commands that
 * need it only: the CLI's `await import(…)` of each source below becomes a runtime require of the
 * bundle instead of being inlined, so `run` and `check` never parse the local endpoint or the
 * AWS SDK's Lambda client. From source (tsx) the import loads the module itself.
 */
/** The local endpoint, for `serve` (src/cli/main.ts). */
const LOCAL_ENDPOINT = { specifier: /^\.\.\/local\/index(\.js)?$/, bundle: 'localEndpoint.js', source: 'src/local' };
/** The function catalogue, for `functions` and `check --account` (src/cli/accountCommands.ts). */
const CATALOG = { specifier: /^\.\.\/engine\/catalog\/index(\.js)?$/, bundle: 'catalog.js', source: 'src/engine/catalog' };
/** The CloudWatch Logs reader, for `run --logs` (src/cli/wholeLog.ts). */
const LOGS = { specifier: /^\.\.\/engine\/logs\/index(\.js)?$/, bundle: 'logs.js', source: 'src/engine/logs' };
const CLI_APART = [LOCAL_ENDPOINT, CATALOG, LOGS];

const apartFromCli = {
  name: 'apart-from-cli',
  setup(build) {
    for (const { specifier, bundle } of CLI_APART) {
      build.onResolve({ filter: specifier }, (args) =>
        path.basename(path.dirname(args.importer)) === 'cli' ? { path: `./${bundle}`, external: true } : undefined,
      );
    }
  },
};

/** The AWS SDK's Lambda client: only dist/catalog.js may hold it. */
const LAMBDA_CLIENT = { source: 'node_modules/@aws-sdk/client-lambda', bundle: 'catalog.js' };
/** The AWS SDK's CloudWatch Logs client: only dist/logs.js may hold it. */
const LOGS_CLIENT = { source: 'node_modules/@aws-sdk/client-cloudwatch-logs', bundle: 'logs.js' };

/**
 * A check that a bundle holds none of `excluded` (folders, relative to the repository): each is
 * loaded from its own bundle at run time, and a leak means the split was undone.
 */
function leavesOut(excluded) {
  return (result, outfile) => {
    const output = Object.entries(result.metafile.outputs).find(([file]) => path.resolve(file) === path.resolve(outfile))?.[1];
    if (output === undefined) throw new Error(`esbuild's metafile does not describe ${outfile}: cannot check what it leaves out.`);
    for (const { source, bundle } of excluded) {
      const folder = `${path.resolve(source)}${path.sep}`;
      const leaked = Object.keys(output.inputs).filter((input) => path.resolve(input).startsWith(folder));
      if (leaked.length > 0) {
        throw new Error(`${outfile} contains ${source} (${leaked.slice(0, 5).join(', ')}${leaked.length > 5 ? ', …' : ''}); it must load dist/${bundle} at run time instead.`);
      }
    }
  };
}

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  // jsonc-parser ships a UMD build as `main`; its ESM build bundles and tree-shakes cleanly.
  mainFields: ['module', 'main'],
  plugins: [manifestSubset],
};

const entries = [
  { entryPoints: ['src/client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], metafile: true },
  // Loaded by the extension just after activation (require('./languageClient.js')).
  { entryPoints: ['src/client/languageClient.ts'], outfile: 'dist/languageClient.js', external: ['vscode'] },
  { entryPoints: ['src/server/serverMain.ts'], outfile: 'dist/server.js' },
  // Loaded by the extension on first use (require('./engine.js'), src/client/engineLoader.ts).
  // dist/cli.js holds its own copy of the engine, so the CLI runs from one file plus, for
  // `serve`, dist/localEndpoint.js, for its account commands dist/catalog.js and, for
  // `run --logs`, dist/logs.js.
  { entryPoints: ['src/engine/index.ts'], outfile: 'dist/engine.js', metafile: true },
  {
    entryPoints: ['src/cli/bin.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [...common.plugins, apartFromCli],
    metafile: true,
  },
  // Loaded by dist/cli.js for `serve` only (see CLI_APART).
  { entryPoints: ['src/local/index.ts'], outfile: `dist/${LOCAL_ENDPOINT.bundle}` },
  // The function catalogue with the AWS SDK's Lambda client: required by the extension on first
  // use (src/client/account/accountFacts.ts), loaded by dist/cli.js for its account commands.
  { entryPoints: ['src/engine/catalog/index.ts'], outfile: `dist/${CATALOG.bundle}`, metafile: true },
  // The CloudWatch Logs reader with the AWS SDK's CloudWatch Logs client: an invocation's whole
  // log, required by the extension on first use (src/client/accountBundles.ts) and loaded by
  // dist/cli.js for `run --logs`.
  { entryPoints: ['src/engine/logs/index.ts'], outfile: `dist/${LOGS.bundle}`, metafile: true },
  // The worker process the local endpoint forks for each function; found beside the bundle that starts it.
  { entryPoints: ['src/local/runtime/localRuntime.ts'], outfile: 'dist/localRuntime.js' },
];

/** What a build's output must hold, checked after each one-off build (a watch only rebuilds). */
const checks = {
  'dist/cli.js': leavesOut([...CLI_APART, LAMBDA_CLIENT, LOGS_CLIENT]),
  'dist/engine.js': leavesOut([CATALOG, LOGS, LAMBDA_CLIENT, LOGS_CLIENT]),
  'dist/extension.js': leavesOut([CATALOG, LOGS, LAMBDA_CLIENT, LOGS_CLIENT]),
  [`dist/${CATALOG.bundle}`]: leavesOut([LOGS, LOGS_CLIENT]),
  [`dist/${LOGS.bundle}`]: leavesOut([CATALOG, LAMBDA_CLIENT]),
};

if (watch) {
  for (const entry of entries) {
    const ctx = await esbuild.context({ ...common, ...entry });
    await ctx.watch();
  }
} else {
  await Promise.all(
    entries.map(async (entry) => {
      const result = await esbuild.build({ ...common, ...entry });
      checks[entry.outfile]?.(result, entry.outfile);
    }),
  );
}
