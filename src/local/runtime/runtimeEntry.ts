/**
 * Where the worker runtime (localRuntime) is and how to start it. Bundled, it is
 * dist/localRuntime.js beside the bundle that contains this module (dist/localEndpoint.js;
 * esbuild's `__dirname` is the bundle's folder), started with plain `node`. Run from source
 * under tsx (tests, `tsx src/cli/bin.ts`), only localRuntime.ts exists beside this file: it is
 * started with tsx's loader, given by absolute URL because the worker's working folder is the
 * function folder, where `tsx` does not resolve. One check, no build flag, no environment.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RuntimeEntry {
  /** The script to fork. */
  readonly file: string;
  /** Node options it needs (the loader that lets Node run TypeScript, from source). */
  readonly execArgv: readonly string[];
}

export const RUNTIME_BUNDLE_NAME = 'localRuntime.js';
const RUNTIME_SOURCE_NAME = 'localRuntime.ts';

export function locateRuntime(here: string = __dirname): RuntimeEntry {
  const bundled = path.join(here, RUNTIME_BUNDLE_NAME);
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = path.join(here, RUNTIME_SOURCE_NAME);
  if (existsSync(source)) return { file: source, execArgv: ['--import', pathToFileURL(createRequire(source).resolve('tsx')).href] };
  throw new Error(
    `The local endpoint's worker runtime is missing: expected ${bundled}. Rebuild with \`npm run build\` (scripts/build.mjs bundles src/local/runtime/localRuntime.ts to dist/${RUNTIME_BUNDLE_NAME}).`,
  );
}
