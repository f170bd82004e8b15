/**
 * Shows a Notice (outcomes.ts) the way its severity asks: a passing status bar message, or a
 * notification whose button opens the Problems view or the "Lambda Invoke" output.
 */
import * as vscode from 'vscode';
import type { InvocationOutput } from './invocationOutput';
import type { Notice, NoticeAction } from './outcomes';

/** VS Code's command that opens the Problems view. */
const SHOW_PROBLEMS_COMMAND = 'workbench.actions.view.problems';

/** How long a success stays in the status bar. */
const STATUS_MESSAGE_MS = 10_000;

const ACTION_LABELS: Readonly<Record<NoticeAction, string>> = { showProblems: 'Show Problems', showOutput: 'Show Output' };

/** How many of the latest notification texts are kept for the extension's API. */
const SHOWN_KEPT = 50;
const shown: string[] = [];

function record(text: string): void {
  shown.push(text);
  if (shown.length > SHOWN_KEPT) shown.shift();
}

/** The texts of the latest notifications the extension showed, oldest first (for tests through its API). */
export function shownMessages(): readonly string[] {
  return [...shown];
}

/** Every notification of the extension goes through these three (and showModalWarning), so each is recorded. */
export function showInfo(text: string, ...buttons: string[]): Thenable<string | undefined> {
  record(text);
  return vscode.window.showInformationMessage(text, ...buttons);
}

export function showWarning(text: string, ...buttons: string[]): Thenable<string | undefined> {
  record(text);
  return vscode.window.showWarningMessage(text, ...buttons);
}

export function showError(text: string, ...buttons: string[]): Thenable<string | undefined> {
  record(text);
  return vscode.window.showErrorMessage(text, ...buttons);
}

/** A modal question with a detail line under it. */
export function showModalWarning(text: string, detail: string, ...buttons: string[]): Thenable<string | undefined> {
  record(text);
  return vscode.window.showWarningMessage(text, { modal: true, detail }, ...buttons);
}

/** The notification for each severity of a Notice. */
const SHOW_MESSAGE: Readonly<Record<Exclude<Notice['severity'], 'status'>, (text: string, buttons: string[]) => Thenable<string | undefined>>> = {
  info: (text, buttons) => showInfo(text, ...buttons),
  warning: (text, buttons) => showWarning(text, ...buttons),
  error: (text, buttons) => showError(text, ...buttons),
};

export function showNotice(notice: Notice, output: InvocationOutput): void {
  if (notice.severity === 'status') {
    vscode.window.setStatusBarMessage(notice.text, STATUS_MESSAGE_MS);
    return;
  }
  const action = notice.action;
  // Not awaited: the command is done; the button acts whenever it is pressed.
  void SHOW_MESSAGE[notice.severity](notice.text, action === undefined ? [] : [ACTION_LABELS[action]]).then((choice) => {
    if (choice === undefined) return;
    if (action === 'showProblems') void vscode.commands.executeCommand(SHOW_PROBLEMS_COMMAND);
    else output.show();
  });
}
