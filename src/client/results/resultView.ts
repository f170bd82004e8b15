/**
 * The result tabs: a read-only editor per invocation (file and index) holding the response
 * payload as a real document — JSON, with VS Code's folding, search, bracket matching and Save
 * As, or text — and the facts of the call as a code-lens line above it, with its actions
 * (re-run, the log, compare, a durable execution). Not a webview: the editor's own text model
 * keeps a 6 MB payload fast. Running the invocation again updates the same tab in place. Each
 * result's log is a second read-only document, opened on demand and updated as the whole log
 * arrives.
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { CommandIds, DocumentSchemes } from '../../protocol/ids';
import { type ResultState, canFetchLog, logTitle, summaryParts } from './resultState';

/** What a result lens's command is given: the result's key. */
export interface ResultRef {
  key: string;
}

export class ResultView implements vscode.Disposable {
  private readonly states = new Map<string, ResultState>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly shown = new vscode.EventEmitter<{ state: ResultState; editor: vscode.TextEditor }>();
  /** Fires when a result tab was shown (opened or updated), with its editor: tests and the bench wait on it. */
  readonly onDidShow = this.shown.event;
  private readonly stateChanged = new vscode.EventEmitter<ResultState>();
  /** Fires with every new state of a result: shown, its log arriving, its fetch ending. */
  readonly onDidChangeResult = this.stateChanged.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const provider: vscode.TextDocumentContentProvider = {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.content(uri),
    };
    this.subscriptions = [
      this.changed,
      this.lensesChanged,
      this.shown,
      this.stateChanged,
      vscode.workspace.registerTextDocumentContentProvider(DocumentSchemes.result, provider),
      vscode.workspace.registerTextDocumentContentProvider(DocumentSchemes.log, provider),
      vscode.languages.registerCodeLensProvider({ scheme: DocumentSchemes.result }, { onDidChangeCodeLenses: this.lensesChanged.event, provideCodeLenses: (document) => this.lenses(document) }),
    ];
  }

  /** The result of an invocation, if one was shown in this window. */
  get(key: string): ResultState | undefined {
    return this.states.get(key);
  }

  /** The result a result or log document shows. */
  stateOf(uri: vscode.Uri): ResultState | undefined {
    const key = new URLSearchParams(uri.query).get('key');
    return key === null ? undefined : this.states.get(key);
  }

  /** The result tab's URI: stable per invocation, named after it (Save As offers that name). */
  resultUri(state: ResultState): vscode.Uri {
    return vscode.Uri.from({ scheme: DocumentSchemes.result, path: `/${fileSafe(state.entry.invocation.label)} · result.json`, query: new URLSearchParams({ key: state.key }).toString() });
  }

  logUri(state: ResultState): vscode.Uri {
    return vscode.Uri.from({ scheme: DocumentSchemes.log, path: `/${fileSafe(state.entry.invocation.label)} · log`, query: new URLSearchParams({ key: state.key }).toString() });
  }

  /**
   * Shows a result in its tab, beside the invoke file: where the tab already is, else in the
   * next column; the focus stays where it was. The open tab's text is replaced in place.
   */
  async show(state: ResultState): Promise<vscode.TextEditor> {
    this.states.set(state.key, state);
    const uri = this.resultUri(state);
    this.refresh(state);
    let document = await vscode.workspace.openTextDocument(uri);
    const language = state.json ? 'json' : 'plaintext';
    if (document.languageId !== language) document = await vscode.languages.setTextDocumentLanguage(document, language);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: columnOf(uri) ?? vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    this.shown.fire({ state, editor });
    this.stateChanged.fire(state);
    return editor;
  }

  /** Applies a change to a result (its log arrived, its fetch failed) and redraws what shows it. */
  update(key: string, change: (state: ResultState) => ResultState): ResultState | undefined {
    const before = this.states.get(key);
    if (before === undefined) return undefined;
    const after = change(before);
    this.states.set(key, after);
    this.refresh(after, before.text !== after.text);
    this.stateChanged.fire(after);
    return after;
  }

  /** Opens a result's log beside its tab. */
  async showLog(state: ResultState): Promise<vscode.TextEditor> {
    const uri = this.logUri(state);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'log') document = await vscode.languages.setTextDocumentLanguage(document, 'log');
    return vscode.window.showTextDocument(document, { viewColumn: columnOf(uri) ?? vscode.ViewColumn.Beside, preserveFocus: false, preview: false });
  }

  private refresh(state: ResultState, textChanged = true): void {
    if (textChanged) this.changed.fire(this.resultUri(state));
    this.changed.fire(this.logUri(state));
    this.lensesChanged.fire();
  }

  private content(uri: vscode.Uri): string {
    const state = this.stateOf(uri);
    if (state === undefined) return 'This result is from an earlier window: open it again from the Lambda Invoke History view.\n';
    if (uri.scheme === DocumentSchemes.log) return logText(state);
    return state.text;
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const state = this.stateOf(document.uri);
    if (state === undefined) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const ref: ResultRef = { key: state.key };
    const lens = (title: string, command = '', args: unknown[] = [], tooltip?: string) => new vscode.CodeLens(top, { title, command, arguments: args, ...(tooltip ? { tooltip } : {}) });
    const lenses = [
      lens(summaryParts(state).join(' · '), '', [], state.entry.error?.hint ?? state.entry.response?.errorMessage),
      lens('$(debug-rerun) Re-run', CommandIds.rerun, [ref]),
      lens(logTitle(state), CommandIds.showLog, [ref], state.logFetch.state === 'failed' ? state.logFetch.message : 'Open the log beside the result'),
    ];
    if (state.logFetch.state === 'fetching') lenses.push(lens('Cancel', CommandIds.cancelLogFetch, [ref], 'Stop waiting for the whole log; the tail stays'));
    else if (canFetchLog(state)) lenses.push(lens('$(cloud-download) Fetch Log', CommandIds.fetchLog, [ref], 'Fetch the whole log of this invocation from CloudWatch Logs'));
    lenses.push(lens('$(diff) Compare with Previous', CommandIds.compareWithPrevious, [ref]));
    if (state.entry.response?.durableExecutionArn !== undefined) lenses.push(lens('$(history) Show Durable Execution', CommandIds.showDurableExecution, [ref], state.entry.response.durableExecutionArn));
    return lenses;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The log document's text: the log, or why there is none. */
function logText(state: ResultState): string {
  if (state.log !== undefined && state.log.text !== '') return state.log.text;
  if (state.logFetch.state === 'fetching') return 'Fetching the whole log from CloudWatch Logs…\n';
  if (state.logFetch.state === 'failed') return `${state.logFetch.message}\n`;
  if (state.entry.request.invocationType === 'Event') return 'An Event call returns no log. Use "Fetch Log" above the result to fetch it from CloudWatch Logs once the function has run.\n';
  if (state.entry.request.invocationType === 'DryRun') return 'A dry run does not run the function, so there is no log.\n';
  return 'No log: the call asked for none ("logType": "Tail" adds the last 4 KB), and the whole log was not fetched. Use "Fetch Log" above the result.\n';
}

/** The column of the tab already showing `uri`, if any. */
function columnOf(uri: vscode.Uri): vscode.ViewColumn | undefined {
  const wanted = uri.toString();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === wanted) return group.viewColumn;
    }
  }
  return undefined;
}

/** A label as one path segment: no slashes, no control characters. */
export function fileSafe(label: string): string {
  const safe = label.replace(/[\\/\p{Cc}]+/gu, '-').trim();
  return posix.basename(safe === '' ? 'result' : safe).slice(0, 80);
}
