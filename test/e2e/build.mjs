// Bundles the extension-host suite (test/e2e/suite/) into out/e2e/: index.js, the entry point
// that extensionTestsPath names, and one bundle per *.test.ts that index.js hands to mocha.
// `vscode` comes from the extension host and `mocha` from node_modules at run time.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SUITE_DIR = path.join(REPO, 'test', 'e2e', 'suite');
export const OUT_DIR = path.join(REPO, 'out', 'e2e');
/** What extensionTestsPath names (without the .js, as the test runners take it). */
export const SUITE_ENTRY = path.join(OUT_DIR, 'index');

export async function buildSuite() {
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  const entryPoints = fs
    .readdirSync(SUITE_DIR)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(SUITE_DIR, name));
  await esbuild.build({
    entryPoints,
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  return OUT_DIR;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildSuite();
  console.log(`Built the extension-host suite into ${path.relative(process.cwd(), OUT_DIR) || '.'}/`);
}
