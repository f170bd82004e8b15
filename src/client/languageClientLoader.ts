/**
 * Loads the language client (dist/languageClient.js, bundled on its own by scripts/build.mjs) just
 * after activation. vscode-languageclient is four fifths of the extension's code: keeping it out of
 * dist/extension.js keeps activation short, while the server still starts at once.
 */
import * as path from 'node:path';
import type * as LanguageClientModule from './languageClient';

export type { LanguageClientModule };

/** The client module's file, next to dist/extension.js. */
const CLIENT_FILE = 'languageClient.js';

/** The module; throws with the file's path and the reason when it cannot be loaded. */
export function loadLanguageClientModule(): typeof LanguageClientModule {
  const file = path.join(__dirname, CLIENT_FILE);
  try {
    // A runtime require of a file outside the bundle is the point: esbuild leaves it alone.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as typeof LanguageClientModule;
  } catch (error) {
    throw new Error(`its client ${file} could not be loaded (${error instanceof Error ? error.message : String(error)})`);
  }
}
