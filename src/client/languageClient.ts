/**
 * Builds and starts the client for the Lambda Invoke language server, which runs `dist/server.js`
 * in its own Node process and talks to it over IPC. A server that cannot start is reported to the
 * user with what to do; it never leaves the extension silently without diagnostics.
 *
 * Bundled on its own as dist/languageClient.js (vscode-languageclient is most of the extension's
 * code) and loaded just after activation, so activation itself stays short. It holds no state of
 * its own: what it shows goes through the `showError` it is given.
 */
import { access } from 'node:fs/promises';
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, ResponseError, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AccountFactsChangedNotification, type AccountFactsInitOptions, type AccountFactsParams, AccountFactsRequest } from '../protocol/accountFacts';
import { LANGUAGE_ID, OutputChannels, SettingIds } from '../protocol/ids';
import type { AccountFacts } from './account/accountFacts';
import { type ProfileRegionSelection, overlaySelection } from './profileRegion/overrides';

/** How a failure is shown to the user (the extension's notifications, which keep a record). */
export type ShowError = (text: string, ...buttons: string[]) => Thenable<string | undefined>;

/** Name of the output channel with the server's log and, when enabled, the protocol trace. */
const SERVER_OUTPUT_NAME = OutputChannels.languageServer;

/** The bundled server, relative to the extension's root (see scripts/build.mjs). */
const SERVER_MODULE = 'dist/server.js';

/** Port the server's inspector listens on when the extension host runs in debug mode. */
const SERVER_DEBUG_PORT = 6009;

/**
 * @param selection the profile and region picked for the workspace: the server sees them as its
 * settings (they take the settings' place in the precedence), so its lenses name the region an
 * invocation will use.
 */
export function createLanguageClient(context: vscode.ExtensionContext, selection: () => ProfileRegionSelection, accountFacts: AccountFacts): LanguageClient {
  const serverModule = context.asAbsolutePath(SERVER_MODULE);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', `--inspect=${SERVER_DEBUG_PORT}`] },
    },
  };

  // Created here rather than by the client so a failed start can still point the user at it.
  const outputChannel = vscode.window.createOutputChannel(SERVER_OUTPUT_NAME, { log: true });
  context.subscriptions.push(outputChannel);
  // Invocation files name payload files (`payloadFile`). The server watches them itself, through
  // dynamic registration as for any LSP client, and re-checks the invocations that reference a
  // file when it is created, changed or deleted: nothing to synchronise from here.

  // This client answers the server's account-facts request: say so, or the server never asks.
  const initializationOptions: AccountFactsInitOptions = { accountFacts: true };
  const clientOptions: LanguageClientOptions = {
    initializationOptions,
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    synchronize: {
      configurationSection: SettingIds.section,
    },
    outputChannel,
    middleware: {
      workspace: {
        // The selection sits where the settings sit in the precedence (file > selection > setting),
        // so the server's lens summary names the region invocations will use.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (result instanceof ResponseError) return result;
          return result.map((value: unknown, i) => (params.items[i]?.section === SettingIds.section ? overlaySelection(value, selection()) : value));
        },
      },
    },
  };

  // The client's id must be the settings section: the client reads `<id>.trace.server` itself.
  const client = new LanguageClient(SettingIds.section, SERVER_OUTPUT_NAME, serverOptions, clientOptions);
  // The server holds no credentials: it asks, and the extension answers from its catalogue.
  context.subscriptions.push(
    client.onRequest(AccountFactsRequest.method, (params: AccountFactsParams, token: vscode.CancellationToken) => accountFacts.answer(params, token)),
    accountFacts.onDidChangeFacts(() => {
      if (client.isRunning()) void client.sendNotification(AccountFactsChangedNotification.method);
    }),
  );
  return client;
}

/**
 * Starts the server. Resolves to whether it is running; a failure has been logged and shown to
 * the user by then, so the caller only decides what else to skip.
 */
export async function startLanguageClient(context: vscode.ExtensionContext, client: LanguageClient, showError: ShowError): Promise<boolean> {
  const serverModule = context.asAbsolutePath(SERVER_MODULE);
  try {
    await access(serverModule);
  } catch {
    // Forking a missing module only shows up later as a crashed server; say what is wrong now.
    reportStartFailure(client, `its program ${serverModule} is missing`, showError);
    return false;
  }
  try {
    await client.start();
    return true;
  } catch (error) {
    reportStartFailure(client, error instanceof Error ? error.message : String(error), showError);
    return false;
  }
}

/** Asks the server to read its settings again (the profile and region selection changed). */
export function settingsChanged(client: LanguageClient): void {
  if (client.isRunning()) void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}

function reportStartFailure(client: LanguageClient, reason: string, showError: ShowError): void {
  const message =
    `Lambda Invoke: the language server did not start (${reason}), so invocation files are not ` +
    `checked and have no code lenses. Reinstall the extension; if that does not help, the ` +
    `"${SERVER_OUTPUT_NAME}" output has the details.`;
  client.outputChannel.error(message);
  const showLog = 'Show Log';
  // Not awaited: activation must not wait for the user to answer.
  void showError(message, showLog).then((choice) => {
    if (choice === showLog) {
      client.outputChannel.show();
    }
  });
}
