/**
 * The "Lambda Invoke" output channel, where invocation results go. It is created on first use,
 * so opening an invocation file does not add an empty channel to the Output panel.
 */
import * as vscode from 'vscode';

const INVOCATION_OUTPUT_NAME = 'Lambda Invoke';

export class InvocationOutput implements vscode.Disposable {
  private channel: vscode.OutputChannel | undefined;

  /** The channel, created the first time it is asked for. */
  get(): vscode.OutputChannel {
    this.channel ??= vscode.window.createOutputChannel(INVOCATION_OUTPUT_NAME);
    return this.channel;
  }

  show(): void {
    this.get().show();
  }

  dispose(): void {
    this.channel?.dispose();
    this.channel = undefined;
  }
}
