/**
 * Registers the extension's commands. Invoke and Dry Run come from a code lens (with the
 * invocation it sits on) or from the Command Palette (the invocation under the cursor, else a
 * pick); the others are palette commands. Every handler goes through one wrapper, so no
 * failure is silent: the user is told what happened and what to do.
 */
import * as vscode from 'vscode';
import { CommandIds } from '../../protocol/ids';
import { type CommandId, commandTitles } from '../../protocol/manifest';
import { CommandError } from './commandError';
import { copyAwsCliCommand } from './copyAwsCliCommand';
import { MANAGE_TRUST, MANAGE_TRUST_COMMAND, untrustedMessage } from '../invoke/endpointTrust';
import { loadEngine } from '../engineLoader';
import { locateInvocation } from '../invoke/invocationLocator';
import type { InvocationOutput } from '../output/invocationOutput';
import type { InvocationRunner } from '../invoke/invocationRunner';
import type { LocalEndpoint } from '../localEndpoint/localEndpoint';
import { newInvokeFile } from './newInvokeFile';
import { selectProfile, selectProfileOrRegion, selectRegion } from '../profileRegion/profileRegionPickers';
import type { ProfileRegionStore } from '../profileRegion/profileRegionStore';
import { showError, showInfo, showWarning } from '../output/notifications';
import type { FunctionSummary } from '../../protocol/accountFacts';
import type { AccountFacts } from '../account/accountFacts';
import { FunctionItem } from '../account/functionsView';
import type { History } from '../history/history';
import { HistoryEntryItem } from '../history/historyView';
import type { Results } from '../results/results';
import type { ResultRef } from '../results/resultView';
import type { HistoryEntry } from '../../engine/history/types';
import { DocumentSchemes } from '../../protocol/ids';

export interface CommandServices {
  output: InvocationOutput;
  runner: InvocationRunner;
  store: ProfileRegionStore;
  localEndpoint: LocalEndpoint;
  accountFacts: AccountFacts;
  results: Results;
  history: History;
}

export function registerCommands(context: vscode.ExtensionContext, { output, runner, store, localEndpoint, accountFacts, results, history }: CommandServices): void {
  const titles = commandTitles(context.extension.packageJSON as object);
  const invokeWith = (title: string, dryRun: boolean) => async (argument: unknown) => {
    const engine = loadEngine();
    const located = await locateInvocation(engine, argument, title);
    if (located !== undefined) await runner.run(engine, located, dryRun);
  };
  const handlers: Readonly<Record<CommandId, (argument: unknown) => Promise<void> | void>> = {
    [CommandIds.invoke]: trusted(titles[CommandIds.invoke], invokeWith(titles[CommandIds.invoke], false)),
    [CommandIds.dryRun]: trusted(titles[CommandIds.dryRun], invokeWith(titles[CommandIds.dryRun], true)),
    [CommandIds.showOutput]: () => output.show(),
    [CommandIds.selectProfile]: () => selectProfile(store),
    [CommandIds.selectRegion]: () => selectRegion(store),
    [CommandIds.selectProfileOrRegion]: () => selectProfileOrRegion(store),
    [CommandIds.newInvokeFile]: () => newInvokeFile(),
    [CommandIds.copyAsAwsCliCommand]: trusted(titles[CommandIds.copyAsAwsCliCommand], (argument) => copyAwsCliCommand(loadEngine(), store, argument, output, titles[CommandIds.copyAsAwsCliCommand])),
    [CommandIds.startLocalEndpoint]: trusted(titles[CommandIds.startLocalEndpoint], () => localEndpoint.start()),
    [CommandIds.stopLocalEndpoint]: () => localEndpoint.stop(),
    [CommandIds.refreshFunctions]: () => accountFacts.refresh(),
    [CommandIds.newInvokeFileForFunction]: (argument) => newInvokeFile(functionOf(argument, titles[CommandIds.newInvokeFileForFunction]).name),
    [CommandIds.copyFunctionArn]: async (argument) => {
      const fn = functionOf(argument, titles[CommandIds.copyFunctionArn]);
      await vscode.env.clipboard.writeText(fn.arn);
      void showInfo(`Lambda Invoke: copied the ARN of ${fn.name}.`);
    },
    [CommandIds.rerunLast]: trusted(titles[CommandIds.rerunLast], () => results.rerunLast()),
    [CommandIds.rerun]: trusted(titles[CommandIds.rerun], (argument) => results.rerun(resultOrEntry(results, argument, titles[CommandIds.rerun]))),
    [CommandIds.showLog]: (argument) => results.showLog(resultOf(results, argument, titles[CommandIds.showLog])),
    [CommandIds.fetchLog]: trusted(titles[CommandIds.fetchLog], (argument) => results.fetchLog(resultOf(results, argument, titles[CommandIds.fetchLog]))),
    [CommandIds.cancelLogFetch]: (argument) => results.cancelLogFetch(resultOf(results, argument, titles[CommandIds.cancelLogFetch])),
    [CommandIds.showDurableExecution]: trusted(titles[CommandIds.showDurableExecution], (argument) =>
      results.showDurableExecution(resultOf(results, argument, titles[CommandIds.showDurableExecution])),
    ),
    [CommandIds.compareWithPrevious]: (argument) => results.compareWithPrevious(resultOrEntry(results, argument, titles[CommandIds.compareWithPrevious])),
    [CommandIds.compareWith]: (argument) => results.compareWith(resultOrEntry(results, argument, titles[CommandIds.compareWith])),
    [CommandIds.openHistoryEntry]: (argument) => results.open(entryOf(argument, titles[CommandIds.openHistoryEntry])),
    [CommandIds.deleteHistoryEntry]: (argument) => history.delete(entryOf(argument, titles[CommandIds.deleteHistoryEntry]).id),
    [CommandIds.clearHistory]: async () => {
      const CLEAR = 'Clear History';
      const choice = await vscode.window.showWarningMessage('Delete every recorded invocation of this workspace (responses, payloads and logs)?', { modal: true }, CLEAR);
      if (choice === CLEAR) await history.clear();
    },
  };
  for (const [id, run] of Object.entries(handlers) as [CommandId, (argument: unknown) => Promise<void> | void][]) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (argument: unknown) => guarded(titles[id], () => run(argument))));
  }
}

/** The function a Lambda Functions view item stands for; these commands come only from there. */
function functionOf(argument: unknown, title: string): FunctionSummary {
  if (argument instanceof FunctionItem) return argument.fn;
  throw new CommandError(`Lambda Invoke: ${title} works on a function of the Lambda Functions view (Explorer). Pick one there.`);
}

/** A result lens's `{key}`, else the result in the active editor (palette). */
function resultOf(results: Results, argument: unknown, title: string): ResultRef {
  if (typeof argument === 'object' && argument !== null && typeof (argument as ResultRef).key === 'string') return { key: (argument as ResultRef).key };
  const uri = vscode.window.activeTextEditor?.document.uri;
  const state = uri?.scheme === DocumentSchemes.result || uri?.scheme === DocumentSchemes.log ? results.view.stateOf(uri) : undefined;
  if (state !== undefined) return { key: state.key };
  throw new CommandError(`Lambda Invoke: ${title} works on a result tab. Invoke something, or open a result from the Lambda Invoke History view.`);
}

/** A History view entry, else a result (lens or active editor). */
function resultOrEntry(results: Results, argument: unknown, title: string): ResultRef | { entry: HistoryEntry } {
  if (argument instanceof HistoryEntryItem) return { entry: argument.entry };
  return resultOf(results, argument, title);
}

function entryOf(argument: unknown, title: string): HistoryEntry {
  if (argument instanceof HistoryEntryItem) return argument.entry;
  throw new CommandError(`Lambda Invoke: ${title} works on an entry of the Lambda Invoke History view (Explorer). Pick one there.`);
}

/**
 * In an untrusted workspace (Workspace Trust), commands that send requests or run workspace code
 * do nothing but say why, with a way to trust the workspace. Validation is the server's and stays on.
 */
function trusted(title: string, run: (argument: unknown) => Promise<void> | void): (argument: unknown) => Promise<void> | void {
  return (argument) => {
    if (vscode.workspace.isTrusted) return run(argument);
    void showWarning(untrustedMessage(title), MANAGE_TRUST).then((choice) => {
      if (choice === MANAGE_TRUST) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
    });
  };
}

/** Runs a command, showing any failure (a CommandError as it is; anything else as a failure of the command). */
async function guarded(title: string, run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message =
      error instanceof CommandError
        ? error.message
        : `Lambda Invoke: ${title} failed: ${error instanceof Error ? error.message : String(error)}`;
    void showError(message);
  }
}
