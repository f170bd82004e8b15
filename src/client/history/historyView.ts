/**
 * The Lambda Invoke History view (Explorer): every recorded invocation, by invoke file and
 * invocation, newest first, each with its status and duration. An entry opens in its result
 * tab; its context menu re-runs it, compares it with the previous response or another one, or
 * deletes it; the title bar clears the whole history.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../engine/history/types';
import { formatDuration } from '../../lambda/format';
import { CommandIds, ViewIds } from '../../protocol/ids';
import { ago, statusTitle } from '../results/resultState';
import type { History } from './history';

/** A recorded invocation in the view; the commands of its context menu receive it. */
export class HistoryEntryItem extends vscode.TreeItem {
  constructor(
    readonly entry: HistoryEntry,
    now: Date,
  ) {
    super(statusTitle(entry).replace(/^\$\([^)]*\)\s*/, ''), vscode.TreeItemCollapsibleState.None);
    const failed = entry.error !== undefined || entry.response?.functionError !== undefined;
    this.iconPath = new vscode.ThemeIcon(failed ? 'error' : 'pass', new vscode.ThemeColor(failed ? 'testing.iconFailed' : 'testing.iconPassed'));
    const duration = entry.report !== undefined ? `${Number(entry.report.durationMs.toFixed(2))} ms` : formatDuration(entry.durationMs);
    this.description = `${duration} · ${ago(new Date(entry.time), now)}`;
    this.tooltip = `${entry.invocation.label} — ${new Date(entry.time).toLocaleString()}\n${entry.target.functionName} in ${entry.target.region}${entry.response?.requestId ? `\nrequest ${entry.response.requestId}` : ''}`;
    this.contextValue = 'lambdaInvokeHistoryEntry';
    this.id = `entry:${entry.id}`;
    this.command = { command: CommandIds.openHistoryEntry, title: 'Open Result', arguments: [this] };
  }
}

type Node = { kind: 'file'; file: string } | { kind: 'invocation'; file: string; index: number; label: string } | { kind: 'entry'; entry: HistoryEntry };

export class HistoryView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries: readonly HistoryEntry[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly history: History) {
    this.subscriptions = [this.changed, vscode.window.createTreeView(ViewIds.history, { treeDataProvider: this, showCollapseAll: true }), history.onDidChange(() => this.changed.fire())];
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node === undefined) {
      this.entries = await this.history.list();
      return unique(this.entries.map((e) => e.invocation.file)).map((file) => ({ kind: 'file', file }));
    }
    if (node.kind === 'file') {
      const invocations = this.entries.filter((e) => e.invocation.file === node.file);
      return unique(invocations.map((e) => String(e.invocation.index))).map((index) => {
        const newest = invocations.find((e) => String(e.invocation.index) === index)!;
        return { kind: 'invocation', file: node.file, index: newest.invocation.index, label: newest.invocation.label };
      });
    }
    if (node.kind === 'invocation') {
      return this.entries.filter((e) => e.invocation.file === node.file && e.invocation.index === node.index).map((entry) => ({ kind: 'entry', entry }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'entry') return new HistoryEntryItem(node.entry, new Date());
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(path.basename(node.file), vscode.TreeItemCollapsibleState.Expanded);
      item.resourceUri = vscode.Uri.file(node.file);
      // The folder it is in, relative to the workspace; nothing for the workspace's top level.
      const folder = path.dirname(vscode.workspace.asRelativePath(node.file, false));
      item.description = folder === '.' ? '' : folder;
      item.id = `file:${node.file}`;
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
    item.description = `#${node.index}`;
    item.iconPath = new vscode.ThemeIcon('symbol-event');
    item.id = `invocation:${node.file}#${node.index}`;
    return item;
  }

  /** The entries the view shows (after it last listed them), newest first. */
  get shown(): readonly HistoryEntry[] {
    return this.entries;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
