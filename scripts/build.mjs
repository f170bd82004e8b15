// Bundles the extension, its language client, the language server, the invoke engine, the CLI,
// the local endpoint and the local endpoint's worker into dist/ with esbuild. One bundle per
// entry point, CommonJS for Node, `vscode` left to the extension host. .vscodeignore lets each
// bundle into the .vsix by name: a new entry here needs a line there.
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

/** The local endpoint's own bundle, which dist/cli.js loads for `serve` only. */
const LOCAL_ENDPOINT_BUNDLE = 'localEndpoint.js';

/**
 * The CLI's `await import('../local/index.js')` (src/cli/main.ts) becomes a runtime require of
 * ./localEndpoint.js, beside dist/cli.js, instead of being inlined: `run` and `check` then
 * never parse the endpoint's code. From source (tsx) the import loads the module itself.
 */
const localEndpointApart = {
  name: 'local-endpoint-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/local\/index(\.js)?$/ }, (args) =>
      path.basename(path.dirname(args.importer)) === 'cli' ? { path: `./${LOCAL_ENDPOINT_BUNDLE}`, external: true } : undefined,
    );
  },
};

/** Fails the build when the CLI bundle holds any of src/local: the split above was undone. */
function assertNoLocalEndpointIn(result, outfile) {
  const output = Object.entries(result.metafile.outputs).find(([file]) => path.resolve(file) === path.resolve(outfile))?.[1];
  if (output === undefined) throw new Error(`esbuild's metafile does not describe ${outfile}: cannot check that it leaves the local endpoint out.`);
  const local = `${path.resolve('src', 'local')}${path.sep}`;
  const leaked = Object.keys(output.inputs).filter((input) => path.resolve(input).startsWith(local));
  if (leaked.length > 0) {
    throw new Error(`${outfile} contains the local endpoint (${leaked.join(', ')}); it must load dist/${LOCAL_ENDPOINT_BUNDLE} at run time instead (see src/cli/main.ts, serve).`);
  }
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
  { entryPoints: ['src/client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // Loaded by the extension just after activation (require('./languageClient.js')).
  { entryPoints: ['src/client/languageClient.ts'], outfile: 'dist/languageClient.js', external: ['vscode'] },
  { entryPoints: ['src/server/serverMain.ts'], outfile: 'dist/server.js' },
  // Loaded by the extension on first use (require('./engine.js'), src/client/engineLoader.ts).
  // dist/cli.js holds its own copy of the engine, so the CLI runs from one file plus, for
  // `serve`, dist/localEndpoint.js.
  { entryPoints: ['src/engine/index.ts'], outfile: 'dist/engine.js' },
  {
    entryPoints: ['src/cli/bin.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [...common.plugins, localEndpointApart],
    metafile: true,
  },
  // Loaded by dist/cli.js for `serve` only (see localEndpointApart).
  { entryPoints: ['src/local/index.ts'], outfile: `dist/${LOCAL_ENDPOINT_BUNDLE}` },
  // The worker process the local endpoint forks for each function; found beside the bundle that starts it.
  { entryPoints: ['src/local/runtime/localRuntime.ts'], outfile: 'dist/localRuntime.js' },
];

/** What a build's output must hold, checked after each one-off build (a watch only rebuilds). */
const checks = { 'dist/cli.js': assertNoLocalEndpointIn };

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
