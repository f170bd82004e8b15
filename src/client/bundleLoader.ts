/**
 * Loads a bundle that sits beside dist/extension.js (dist/engine.js, dist/catalog.js,
 * dist/languageClient.js) the first time it is needed. A runtime require of a file outside the
 * bundle is the point: esbuild leaves it alone, so the AWS SDK and vscode-languageclient are not
 * parsed at activation, for users who only edit files.
 */
import * as path from 'node:path';

export interface LazyBundle<T> {
  /** The module, loaded on first call; throws `failure(file, reason)` when it cannot be loaded. */
  load(): T;
  /** The module if something loaded it already, without loading it. */
  loaded(): T | undefined;
}

export function lazyBundle<T>(fileName: string, failure: (file: string, reason: string) => Error): LazyBundle<T> {
  let module: T | undefined;
  return {
    load() {
      if (module === undefined) {
        const file = path.join(__dirname, fileName);
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          module = require(file) as T;
        } catch (error) {
          throw failure(file, error instanceof Error ? error.message : String(error));
        }
      }
      return module;
    },
    loaded: () => module,
  };
}
