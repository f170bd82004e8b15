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
import { loadedEngine } from './engineLoader';
import { shownMessages } from './notifications';
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
  /** How many invocations are in flight. */
  running(): number;
  /** The texts of the latest notifications the extension showed, oldest first. */
  messages(): readonly string[];
}

let client: LanguageClient | undefined;
let localEndpoint: LocalEndpoint | undefined;
let runner: InvocationRunner | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<LambdaInvokeApi> {
  const output = new InvocationOutput();
  const store = new ProfileRegionStore(context.workspaceState);
  const invocations = new InvocationRunner(output, store, context.workspaceState);
  runner = invocations;
  const endpoint = new LocalEndpoint();
  localEndpoint = endpoint;
  context.subscriptions.push(output, store, new ProfileRegionStatusBar(store), endpoint);
  // Commands first, so code lenses and the palette find them even if the server fails to start.
  registerCommands(context, { output, runner: invocations, store, localEndpoint: endpoint });

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
  return { client: languageClient, outputText: () => output.text(), lastResult: () => invocations.lastResult(), running: () => invocations.running, messages: shownMessages };
}

/**
 * The window is closing (or the extension is being disabled): nothing the extension started may
 * outlive it. Calls in flight are aborted and the engine's sockets closed, the local endpoint's
 * process is stopped, and the language server is shut down.
 */
export async function deactivate(): Promise<void> {
  runner?.dispose();
  runner = undefined;
  loadedEngine()?.closeConnections();
  // The local endpoint is a child process: stop it (and wait) rather than leave it running.
  await localEndpoint?.shutDown();
  localEndpoint = undefined;
  // stop() throws unless the client is running (for instance after a failed start).
  if (client?.isRunning() === true) {
    await client.stop();
  }
  client = undefined;
}
