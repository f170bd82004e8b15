/**
 * Entry point of the Lambda Invoke extension: registers its commands and starts the language
 * server for `*.invoke.json` files. Activation stays cheap: nothing heavier than
 * vscode-languageclient is loaded here.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { createLanguageClient, startLanguageClient } from './languageClient';

/** What `activate` resolves to, for tests that need to reach the running client. */
export interface LambdaInvokeApi {
  readonly client: LanguageClient;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<LambdaInvokeApi> {
  // Commands first, so code lenses and the palette find them even if the server fails to start.
  registerCommands(context);
  client = createLanguageClient(context);
  // A failed start is already reported to the user; the extension stays active so its commands work.
  await startLanguageClient(context, client);
  return { client };
}

export async function deactivate(): Promise<void> {
  // stop() throws unless the client is running (for instance after a failed start).
  if (client?.isRunning() === true) {
    await client.stop();
  }
  client = undefined;
}
