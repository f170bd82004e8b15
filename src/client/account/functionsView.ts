/**
 * The Lambda Functions view (Explorer side bar): the catalogue of the current profile, region
 * and endpoint, as the status bar shows them. Each function offers "New Invoke File for This
 * Function" and "Copy ARN"; the title bar has Refresh. Shown once an invoke file has been opened
 * (the extension activates on one) and while account lookups are on.
 */
import * as vscode from 'vscode';
import type { FunctionSummary } from '../../protocol/accountFacts';
import { ContextKeys, SettingIds, ViewIds } from '../../protocol/ids';
import { Config } from '../config';
import type { AccountFacts } from './accountFacts';

export class FunctionItem extends vscode.TreeItem {
  constructor(readonly fn: FunctionSummary) {
    super(fn.name, vscode.TreeItemCollapsibleState.None);
    this.description = fn.runtime;
    this.tooltip = new vscode.MarkdownString([`**${fn.name}**`, fn.description, `\`${fn.arn}\``].filter(Boolean).join('\n\n'));
    this.contextValue = 'lambdaFunction';
    this.iconPath = new vscode.ThemeIcon('symbol-function');
  }
}

export class FunctionsView implements vscode.TreeDataProvider<FunctionItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listed = new vscode.EventEmitter<readonly FunctionSummary[]>();
  /** The view listed the catalogue (after it was shown, or refreshed). */
  readonly onDidList = this.listed.event;
  private readonly view: vscode.TreeView<FunctionItem>;
  private readonly subscriptions: vscode.Disposable[] = [this.changed, this.listed];
  /** What the last listing showed, for tests and for the commands' arguments. */
  private shown: FunctionSummary[] = [];

  constructor(private readonly facts: AccountFacts) {
    this.view = vscode.window.createTreeView(ViewIds.functions, { treeDataProvider: this, showCollapseAll: false });
    this.subscriptions.push(
      this.view,
      facts.onDidChangeFacts(() => this.changed.fire()),
      facts.onDidChangeTarget(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SettingIds.accountLookups)) this.updateEnabled();
      }),
    );
    this.updateEnabled();
  }

  /** The functions the view lists now (after its last refresh). */
  get functions(): readonly FunctionSummary[] {
    return this.shown;
  }

  getTreeItem(item: FunctionItem): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: FunctionItem): Promise<FunctionItem[]> {
    if (item !== undefined) return [];
    const result = await this.facts.answer({ kind: 'functions', target: {} });
    if (result.kind !== 'functions') {
      this.shown = [];
      this.view.message = result.kind === 'unavailable' ? result.message : 'No functions.';
      this.listed.fire(this.shown);
      return [];
    }
    this.shown = result.functions;
    this.listed.fire(this.shown);
    this.view.message =
      result.functions.length === 0 ? 'No functions in this account and region.' : result.truncated === true ? `Showing the first ${result.functions.length} functions.` : undefined;
    return result.functions.map((fn) => new FunctionItem(fn));
  }

  private updateEnabled(): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.functionsViewEnabled, new Config().accountLookups !== 'off');
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
