/**
 * Entry point of the Lambda Invoke extension: registers its commands and the status bar item,
 * and starts the language server for `*.invoke.json` files. Activation stays short: the language
 * client (dist/languageClient.js) is loaded and started just after it, and the invoke engine
 * (dist/engine.js, with the AWS SDK) by the first command that needs it.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { InvokeError } from '../engine/types';
import type { RunOutcome } from '../engine/index';
import type { AccountFactsResult, FunctionSummary } from '../protocol/accountFacts';
import { AccountFacts } from './account/accountFacts';
import { FunctionsView } from './account/functionsView';
import { registerCommands } from './commands/commands';
import { AllowedOrigins } from './invoke/endpointTrust';
import { loadedEngine } from './engineLoader';
import { showError, shownMessages } from './output/notifications';
import { InvocationOutput } from './output/invocationOutput';
import { InvocationRunner } from './invoke/invocationRunner';
import { loadLanguageClientModule } from './languageClientLoader';
import { LocalEndpoint } from './localEndpoint/localEndpoint';
import { ProfileRegionStore } from './profileRegion/profileRegionStore';
import { ProfileRegionStatusBar } from './profileRegion/statusBar';
import { History } from './history/history';
import { HistoryView } from './history/historyView';
import { Results } from './results/results';
import { type ResultState, resultKey } from './results/resultState';
import type { HistoryEntry } from '../engine/history/types';
import { ContextKeys } from '../protocol/ids';

/** What `activate` resolves to, for tests that need to reach the running client and the results. */
export interface LambdaInvokeApi {
  /** The language client, once loaded (just after activation). */
  readonly client: LanguageClient | undefined;
  /** Settles once the language server runs (true) or failed to start (false, already reported). */
  readonly serverReady: Promise<boolean>;
  /** Everything written to the "Lambda Invoke" output channel (the newest blocks, up to a bound). */
  outputText(): string;
  /** What the last invocation came to; undefined before the first. */
  lastResult(): { outcome?: RunOutcome; error?: InvokeError } | undefined;
  /** How many invocations are in flight. */
  running(): number;
  /** The texts of the latest notifications the extension showed, oldest first. */
  messages(): readonly string[];
  /** What the Lambda Functions view lists (after it last loaded). */
  listedFunctions(): readonly FunctionSummary[];
  /** Fires each time the Lambda Functions view has listed the catalogue. */
  readonly onDidListFunctions: vscode.Event<readonly FunctionSummary[]>;
  /** Fires with every answer to an account-facts request (the server's or the view's). */
  readonly onDidAnswerAccountFacts: vscode.Event<AccountFactsResult>;
  /** The credential problem account lookups ran into, shown in the status bar; undefined when none. */
  accountProblem(): string | undefined;
  /** Fires when a result tab was shown or updated in place (the editor showing it, and what it shows). */
  readonly onDidShowResult: vscode.Event<{ state: ResultState; editor: vscode.TextEditor }>;
  /** Fires with every new state of a result (shown, log arriving, log fetch ended). */
  readonly onDidChangeResult: vscode.Event<ResultState>;
  /** The result an invocation (file path and index) shows now; undefined before it ran in this window. */
  result(file: string, index: number): ResultState | undefined;
  /** Fires after every change of the history. */
  readonly onDidChangeHistory: vscode.Event<void>;
  /** Every recorded invocation, newest first. */
  history(): Promise<readonly HistoryEntry[]>;
}

let client: LanguageClient | undefined;
let localEndpoint: LocalEndpoint | undefined;
let runner: InvocationRunner | undefined;
let serverStart: Promise<boolean> | undefined;

export function activate(context: vscode.ExtensionContext): LambdaInvokeApi {
  const output = new InvocationOutput();
  const store = new ProfileRegionStore(context.workspaceState);
  const invocations = new InvocationRunner(output, store, context.workspaceState);
  runner = invocations;
  const endpoint = new LocalEndpoint();
  localEndpoint = endpoint;
  const accountFacts = new AccountFacts(store, new AllowedOrigins(context.workspaceState));
  const functionsView = new FunctionsView(accountFacts);
  invocations.onResourceNotFound = () => accountFacts.refresh();
  // Workspace storage: the history belongs to this workspace, and never to its repository.
  const history = new History(context.storageUri ?? context.globalStorageUri);
  const results = new Results(history, store);
  invocations.onFinished = (call) => results.finished(call);
  context.subscriptions.push(output, store, accountFacts, functionsView, new ProfileRegionStatusBar(store, accountFacts), endpoint, history, results, new HistoryView(history));
  void vscode.commands.executeCommand('setContext', ContextKeys.historyViewEnabled, true);
  // Commands first, so code lenses and the palette find them even if the server fails to start.
  registerCommands(context, { output, runner: invocations, store, localEndpoint: endpoint, accountFacts, results, history });

  // Activation ends here; the client is loaded and the server started on the next turn. A failed
  // start is reported to the user; the extension stays active so its commands work.
  const serverReady = new Promise<boolean>((resolve) => setImmediate(() => resolve(startServer(context, store, accountFacts))));
  serverStart = serverReady;
  return {
    get client() {
      return client;
    },
    serverReady,
    outputText: () => output.text(),
    lastResult: () => invocations.lastResult(),
    running: () => invocations.running,
    messages: shownMessages,
    listedFunctions: () => functionsView.functions,
    onDidListFunctions: functionsView.onDidList,
    onDidAnswerAccountFacts: accountFacts.onDidAnswer,
    accountProblem: () => accountFacts.problem,
    onDidShowResult: results.view.onDidShow,
    onDidChangeResult: results.view.onDidChangeResult,
    result: (file, index) => results.view.get(resultKey(file, index)),
    onDidChangeHistory: history.onDidChange,
    history: () => history.list(),
  };
}

/** Loads the language client and starts the server; resolves to whether it runs. */
async function startServer(context: vscode.ExtensionContext, store: ProfileRegionStore, accountFacts: AccountFacts): Promise<boolean> {
  let clientModule: ReturnType<typeof loadLanguageClientModule>;
  try {
    clientModule = loadLanguageClientModule();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void showError(`Lambda Invoke: the language server did not start (${reason}), so invocation files are not checked and have no code lenses. Reinstall the extension.`);
    return false;
  }
  const languageClient = clientModule.createLanguageClient(context, () => store.current, accountFacts);
  client = languageClient;
  // The server reads the region for its lenses through workspace/configuration, where the
  // selection is laid over the settings; tell it to read again when the selection changes.
  context.subscriptions.push(store.onDidChange(() => clientModule.settingsChanged(languageClient)));
  return clientModule.startLanguageClient(context, languageClient, showError);
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
  // A server still starting is let finish, then stopped; stop() throws unless the client is running.
  await serverStart;
  serverStart = undefined;
  if (client?.isRunning() === true) {
    await client.stop();
  }
  client = undefined;
}
