/**
 * The status bar item `$(cloud) profile · region`: where invocations go, shown while an
 * `.invoke.json` editor is active; a click offers Select Profile and Select Region. When account
 * lookups cannot get credentials (none, or an expired SSO token), it says so here, once, with
 * what to run: `$(warning) profile · region`, the reason in its tooltip.
 */
import * as vscode from 'vscode';
import { CommandIds, LANGUAGE_ID } from '../../protocol/ids';
import { Config } from '../config';
import { statusBarText, statusBarTooltip } from './overrides';
import type { ProfileRegionStore } from './profileRegionStore';

/** Left of the language mode, among the items about the active file. */
const PRIORITY = 100;

export class ProfileRegionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lambdaInvoke.target', vscode.StatusBarAlignment.Right, PRIORITY);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: ProfileRegionStore,
    private readonly accountProblem?: { readonly problem: string | undefined; onDidChangeProblem: vscode.Event<string | undefined> },
  ) {
    this.item.name = 'Lambda Invoke Profile and Region';
    this.item.command = CommandIds.selectProfileOrRegion;
    this.subscriptions.push(
      this.item,
      store.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      // Changing a document's language mode closes and reopens it.
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (document === vscode.window.activeTextEditor?.document) this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Config.affectsTarget(event)) this.update();
      }),
    );
    if (accountProblem) this.subscriptions.push(accountProblem.onDidChangeProblem(() => this.update()));
    this.update();
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId !== LANGUAGE_ID) {
      this.item.hide();
      return;
    }
    const settings = new Config(document.uri).target;
    const selection = this.store.current;
    const problem = this.accountProblem?.problem;
    const text = statusBarText(selection, settings, process.env);
    const tooltip = statusBarTooltip(selection, settings, process.env);
    this.item.text = problem === undefined ? text : text.replace('$(cloud)', '$(warning)');
    this.item.tooltip = problem === undefined ? tooltip : `${tooltip}\n\nAccount lookups (completion and checks of function names) are paused: ${problem}`;
    this.item.backgroundColor = problem === undefined ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
