/**
 * Entry point of the Lambda Invoke extension: registers its commands and the status bar item,
 * and starts the language server for `*.invoke.json` files. Activation stays cheap: nothing
 * heavier than vscode-languageclient is loaded here; the invoke engine (dist/engine.js, with the
 * AWS SDK) is loaded by the first command that needs it.
 */
import type * as vscode from 'vscode';
import { DidChangeConfigurationNotification, type LanguageClient } from 'vscode-languageclient/node';
import type { InvokeError } from '../../server/src/engine/types';
import type { RunOutcome } from '../../server/src/engine/index';
import { registerCommands } from './commands';
import { InvocationOutput } from './invocationOutput';
import { InvocationRunner } from './invocationRunner';
import { createLanguageClient, startLanguageClient } from './languageClient';
import { LocalEndpoint } from './localEndpoint';
import { ProfileRegionStore } from './profileRegionStore';
import { ProfileRegionStatusBar } from './statusBar';

/** What `activate` resolves to, for tests that need to reach the running client and the results. */
export interface LambdaInvokeApi {
  readonly client: LanguageClient;
  /** Everything written to the "Lambda Invoke" output channel (the newest blocks, up to a bound). */
  outputText(): string;
  /** What the last invocation came to; undefined before the first. */
  lastResult(): { outcome?: RunOutcome; error?: InvokeError } | undefined;
}

let client: LanguageClient | undefined;
let localEndpoint: LocalEndpoint | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<LambdaInvokeApi> {
  const output = new InvocationOutput();
  const store = new ProfileRegionStore(context.workspaceState);
  const runner = new InvocationRunner(output, store, context.workspaceState);
  const endpoint = new LocalEndpoint();
  localEndpoint = endpoint;
  context.subscriptions.push(output, store, new ProfileRegionStatusBar(store), endpoint);
  // Commands first, so code lenses and the palette find them even if the server fails to start.
  registerCommands(context, { output, runner, store, localEndpoint: endpoint });

  const languageClient = createLanguageClient(context, () => store.current);
  client = languageClient;
  // The server reads the region for its lenses through workspace/configuration, where the
  // selection is laid over the settings; tell it to read again when the selection changes.
  context.subscriptions.push(
    store.onDidChange(() => {
      if (languageClient.isRunning()) void languageClient.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }),
  );
  // A failed start is already reported to the user; the extension stays active so its commands work.
  await startLanguageClient(context, languageClient);
  return { client: languageClient, outputText: () => output.text(), lastResult: () => runner.lastResult() };
}

export async function deactivate(): Promise<void> {
  // The local endpoint is a child process: stop it (and wait) rather than leave it running.
  await localEndpoint?.shutDown();
  localEndpoint = undefined;
  // stop() throws unless the client is running (for instance after a failed start).
  if (client?.isRunning() === true) {
    await client.stop();
  }
  client = undefined;
}
