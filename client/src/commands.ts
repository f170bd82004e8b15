/**
 * The extension's commands. Invoke and Dry Run come from a code lens (with the invocation it sits
 * on) or from the Command Palette (with nothing). Until the invoke engine lands they only say
 * which invocation they were asked to run and that running it is not available yet.
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { CommandIds, LANGUAGE_ID, type InvocationRef } from '../../server/src/protocol';
import { InvocationOutput } from './invocationOutput';

/** What each command that is not available yet says instead of running. */
const unavailableMessages = {
  [CommandIds.invoke]: 'Invoking is not available yet in this version of Lambda Invoke',
  [CommandIds.dryRun]: 'Dry runs are not available yet in this version of Lambda Invoke',
} as const;

export function registerCommands(context: vscode.ExtensionContext): void {
  const invocationOutput = new InvocationOutput();
  context.subscriptions.push(invocationOutput);
  for (const [command, message] of Object.entries(unavailableMessages)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(command, (target: unknown) => {
        const described = describeTarget(target);
        const text = described === undefined ? `${message}.` : `${message}: ${described} was not run.`;
        void vscode.window.showInformationMessage(text);
      }),
    );
  }
  context.subscriptions.push(vscode.commands.registerCommand(CommandIds.showOutput, () => invocationOutput.show()));
}

/** Names the invocation a command was given or, from the Command Palette, the active file. */
function describeTarget(target: unknown): string | undefined {
  if (isInvocationRef(target)) {
    return `the invocation at index ${target.index} in ${fileName(vscode.Uri.parse(target.uri))}`;
  }
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === LANGUAGE_ID) {
    return fileName(document.uri);
  }
  return undefined;
}

/** Lens arguments cross the protocol as JSON, so they are checked rather than trusted. */
function isInvocationRef(value: unknown): value is InvocationRef {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { uri, index } = value as Record<string, unknown>;
  return typeof uri === 'string' && typeof index === 'number' && Number.isInteger(index) && index >= 0;
}

function fileName(uri: vscode.Uri): string {
  return posix.basename(uri.path);
}
