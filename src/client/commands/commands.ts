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

export interface CommandServices {
  output: InvocationOutput;
  runner: InvocationRunner;
  store: ProfileRegionStore;
  localEndpoint: LocalEndpoint;
  accountFacts: AccountFacts;
}

export function registerCommands(context: vscode.ExtensionContext, { output, runner, store, localEndpoint, accountFacts }: CommandServices): void {
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
