/**
 * The "Lambda Invoke" output channel, where invocation results go: one block per invocation,
 * separated by a blank line. It is created on first use, so opening an invocation file does not
 * add an empty channel to the Output panel. What is appended is also kept in a buffer, for the
 * extension's API (tests read the output from it: an output channel cannot be read back); the
 * buffer keeps the newest blocks up to a bound, so a long session of large payloads does not
 * hold every one of them in memory twice.
 */
import * as vscode from 'vscode';
import { OutputChannels } from '../../protocol/ids';

const INVOCATION_OUTPUT_NAME = OutputChannels.invocations;

/** Characters of output kept for `text()`; older blocks are dropped first (the newest always stays). */
const BUFFER_LIMIT = 32 * 1024 * 1024;

export class InvocationOutput implements vscode.Disposable {
  private channel: vscode.OutputChannel | undefined;
  private readonly appended: string[] = [];
  private appendedLength = 0;

  /** The channel, created the first time it is asked for. */
  get(): vscode.OutputChannel {
    this.channel ??= vscode.window.createOutputChannel(INVOCATION_OUTPUT_NAME);
    return this.channel;
  }

  /** Adds one invocation's block (text ending in a newline), after a blank line if others came before. */
  appendBlock(block: string): void {
    const text = `${this.appended.length > 0 ? '\n' : ''}${block.endsWith('\n') ? block : `${block}\n`}`;
    this.appended.push(text);
    this.appendedLength += text.length;
    while (this.appendedLength > BUFFER_LIMIT && this.appended.length > 1) {
      this.appendedLength -= this.appended.shift()!.length;
    }
    this.get().append(text);
  }

  /** Brings the channel to the front without taking the focus from the editor. */
  reveal(): void {
    this.get().show(true);
  }

  show(): void {
    this.get().show();
  }

  /** What was appended (the newest blocks, up to the bound), as the channel shows it. */
  text(): string {
    return this.appended.join('');
  }

  dispose(): void {
    this.channel?.dispose();
    this.channel = undefined;
  }
}
