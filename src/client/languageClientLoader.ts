/**
 * Loads the language client (dist/languageClient.js, bundled on its own by scripts/build.mjs) just
 * after activation. vscode-languageclient is four fifths of the extension's code: keeping it out of
 * dist/extension.js keeps activation short, while the server still starts at once.
 */
import { lazyBundle } from './bundleLoader';
import type * as LanguageClientModule from './languageClient';

export type { LanguageClientModule };

const clientModule = lazyBundle<typeof LanguageClientModule>('languageClient.js', (file, reason) => new Error(`its client ${file} could not be loaded (${reason})`));

/** The module; throws with the file's path and the reason when it cannot be loaded. */
export function loadLanguageClientModule(): typeof LanguageClientModule {
  return clientModule.load();
}
