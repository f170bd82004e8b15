// Bundles the extension, its language client, the language server, the invoke engine, the CLI
// and the local endpoint's worker into dist/ with esbuild. One bundle per entry point,
// CommonJS for Node, `vscode` left to the extension host.
import { readFileSync } from 'node:fs';
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
  // Loaded by the extension on first use (require('./engine.js')), and by the CLI.
  { entryPoints: ['src/engine/index.ts'], outfile: 'dist/engine.js' },
  { entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The worker process the local endpoint forks for each function; found beside the bundle that starts it.
  { entryPoints: ['src/local/runtime/localRuntime.ts'], outfile: 'dist/localRuntime.js' },
];

if (watch) {
  for (const entry of entries) {
    const ctx = await esbuild.context({ ...common, ...entry });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));
}
