/**
 * The editor's side of account facts: answers the language server's `lambdaInvoke/accountFacts`
 * request (and the Lambda Functions view) from the function catalogue, dist/catalog.js, loaded
 * on first use. The credentials stay here, in the extension host; the server gets plain facts.
 *
 * Nothing is looked up when `lambdaInvoke.accountLookups` is off, in an untrusted workspace, or
 * for an endpoint written in a file that the user has not allowed for this workspace. A
 * credential problem (no credentials, an expired SSO token) is said once, as a state of the
 * status bar with what to run, never as a notification per keystroke.
 */
import * as vscode from 'vscode';
import type { AccountFactsParams, AccountFactsResult } from '../../protocol/accountFacts';
import { type CatalogModule, catalogBundle } from '../accountBundles';
import { Config } from '../config';
import type { AllowedOrigins } from '../invoke/endpointTrust';
import { buildOverrides } from '../profileRegion/overrides';
import type { ProfileRegionStore } from '../profileRegion/profileRegionStore';

export class AccountFacts implements vscode.Disposable {
  private catalog: InstanceType<CatalogModule['FunctionCatalog']> | undefined;
  private problemText: string | undefined;
  private readonly problemChanged = new vscode.EventEmitter<string | undefined>();
  private readonly factsChanged = new vscode.EventEmitter<void>();
  private readonly targetChanged = new vscode.EventEmitter<void>();
  /** The credential problem to show in the status bar, or undefined once lookups work again. */
  readonly onDidChangeFacts = this.factsChanged.event;
  /**
   * Where lookups go, or whether they happen, changed (profile, region, endpoint, the
   * accountLookups setting). The catalogue is keyed by the resolved target, so nothing cached is
   * wrong; the language server hears of it as a configuration change, and the view lists again.
   */
  readonly onDidChangeTarget = this.targetChanged.event;
  readonly onDidChangeProblem = this.problemChanged.event;
  private readonly answered = new vscode.EventEmitter<AccountFactsResult>();
  /** Every answer given, to the server or the view (tests wait on it). */
  readonly onDidAnswer = this.answered.event;
  private readonly subscriptions: vscode.Disposable[] = [this.problemChanged, this.factsChanged, this.targetChanged, this.answered];

  constructor(
    private readonly store: ProfileRegionStore,
    private readonly allowedOrigins: AllowedOrigins,
  ) {
    this.subscriptions.push(
      store.onDidChange(() => this.targetChanged.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Config.affectsAccountLookups(event)) this.targetChanged.fire();
      }),
      // No configuration change tells the server this one: its "untrusted" answers must go.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.factsChanged.fire()),
    );
  }

  get problem(): string | undefined {
    return this.problemText;
  }

  /** Whether lookups may happen at all for `scope`; the reason when not. */
  blocked(scope?: vscode.Uri): AccountFactsResult | undefined {
    if (new Config(scope).accountLookups === 'off') return { kind: 'unavailable', reason: 'off', message: 'Account lookups are off (lambdaInvoke.accountLookups).' };
    if (!vscode.workspace.isTrusted) return { kind: 'unavailable', reason: 'untrusted', message: 'The workspace is not trusted: no account lookups until you trust it.' };
    return undefined;
  }

  /** Answers one request; never throws (a failure is an `unavailable` answer with its reason). */
  async answer(params: AccountFactsParams, token?: vscode.CancellationToken): Promise<AccountFactsResult> {
    const result = await this.lookUp(params, token);
    this.answered.fire(result);
    return result;
  }

  private async lookUp(params: AccountFactsParams, token?: vscode.CancellationToken): Promise<AccountFactsResult> {
    const scope = params.uri !== undefined ? vscode.Uri.parse(params.uri) : vscode.workspace.workspaceFolders?.[0]?.uri;
    const refused = this.blocked(scope);
    if (refused) return refused;
    const controller = new AbortController();
    const cancelled = token?.onCancellationRequested(() => controller.abort());
    try {
      const module = catalogBundle.load();
      this.catalog ??= new module.FunctionCatalog();
      const result = await module.answerAccountFacts(this.catalog, params, {
        overrides: buildOverrides(this.store.current, new Config(scope).target),
        env: process.env,
        // An endpoint written in the file is looked up only once the user allowed it for this workspace.
        allowEndpoint: (endpoint: URL) => this.allowedOrigins.has(endpoint.origin),
      }, controller.signal);
      this.noteProblem(result);
      return result;
    } catch (error) {
      return { kind: 'unavailable', reason: 'unreachable', message: error instanceof Error ? error.message : String(error) };
    } finally {
      cancelled?.dispose();
    }
  }

  /** Drops every cached fact (Refresh Functions, or Lambda said a function does not exist) and tells who asks to ask again. */
  refresh(): void {
    this.catalog?.refresh();
    this.factsChanged.fire();
  }

  private noteProblem(result: AccountFactsResult): void {
    if (result.kind === 'unavailable' && result.reason !== 'credentials') return; // says nothing about the credentials
    const problem = result.kind === 'unavailable' ? (result.message ?? 'No AWS credentials for account lookups.') : undefined;
    if (problem === this.problemText) return;
    this.problemText = problem;
    this.problemChanged.fire(problem);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
