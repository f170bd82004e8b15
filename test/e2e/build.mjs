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
/** The suite for a window whose folder is not trusted: test/e2e/untrusted/, with the same entry point. */
export const UNTRUSTED_DIR = path.join(REPO, 'test', 'e2e', 'untrusted');
export const UNTRUSTED_OUT_DIR = path.join(OUT_DIR, 'untrusted');
export const UNTRUSTED_ENTRY = path.join(UNTRUSTED_OUT_DIR, 'index');

export async function buildSuite() {
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  // Output name → source: index.js and the suite's *.test.js side by side, as index.js expects.
  const entries = (dir) => ({
    index: path.join(SUITE_DIR, 'index.ts'),
    ...Object.fromEntries(fs.readdirSync(dir).filter((name) => name.endsWith('.test.ts')).map((name) => [name.replace(/\.ts$/, ''), path.join(dir, name)])),
  });
  await bundle(entries(SUITE_DIR), OUT_DIR);
  await bundle(entries(UNTRUSTED_DIR), UNTRUSTED_OUT_DIR);
  return OUT_DIR;
}

async function bundle(entryPoints, outdir) {
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildSuite();
  console.log(`Built the extension-host suite into ${path.relative(process.cwd(), OUT_DIR) || '.'}/`);
}
