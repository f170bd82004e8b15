/**
 * What happens to an invocation's result once Lambda answered: it is recorded in the history,
 * shown in its result tab (the 4 KB tail at once), and — after a synchronous call, unless
 * `lambdaInvoke.results.fullLog` is `onDemand` — its whole log is fetched from CloudWatch Logs
 * (dist/catalog.js reads where the function logs, dist/logs.js polls for the lines) and replaces
 * the tail as it arrives. Also: opening a recorded result, re-running, comparing two responses,
 * and a durable execution's status.
 */
import * as vscode from 'vscode';
import type { InvokeFailure, RunOutcome } from '../../engine/index';
import type { HistoryEntry } from '../../engine/history/types';
import type { InvocationLog } from '../../engine/logs/types';
import type { ResolvedTarget } from '../../engine/types';
import { parseFunctionName } from '../../lambda/functionName';
import { findReport } from '../../lambda/reportLine';
import { CommandIds, DocumentSchemes } from '../../protocol/ids';
import type { InvocationRef } from '../../protocol/lensArguments';
import { catalogBundle, logsBundle } from '../accountBundles';
import { CommandError } from '../commands/commandError';
import { Config } from '../config';
import { type EngineModule, loadEngine } from '../engineLoader';
import type { History } from '../history/history';
import { buildOverrides } from '../profileRegion/overrides';
import type { ProfileRegionStore } from '../profileRegion/profileRegionStore';
import { DurableView } from './durableView';
import { type ResultState, countLines, errorText, resultKey } from './resultState';
import { type ResultRef, ResultView, fileSafe } from './resultView';

/** What the runner hands over when a call has ended. */
export interface FinishedCall {
  engine: EngineModule;
  file: string;
  /** The invoke file's URI, for re-running. */
  uri: string;
  index: number;
  label: string;
  sentAt: Date;
  outcome?: RunOutcome;
  failure?: InvokeFailure;
}

export class Results implements vscode.Disposable {
  readonly view = new ResultView();
  private readonly durable = new DurableView();
  /** The targets of this window's calls, by result key: a log or durable read goes where the call went, as whom. */
  private readonly targets = new Map<string, ResolvedTarget>();
  /** Files' URIs by result key, for re-running. */
  private readonly uris = new Map<string, string>();
  private readonly fetches = new Map<string, AbortController>();
  private last: InvocationRef | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly history: History,
    private readonly selection: ProfileRegionStore,
  ) {
    this.subscriptions = [this.view, this.durable, vscode.workspace.registerTextDocumentContentProvider(DocumentSchemes.recorded, { provideTextDocumentContent: (uri) => this.recordedText(uri) })];
  }

  /** The last invocation run in this window, for Re-run Last. */
  get lastRun(): InvocationRef | undefined {
    return this.last;
  }

  /** Records and shows a call that was sent; a call that never left (invalid file, no credentials) has no result tab. */
  async finished(call: FinishedCall): Promise<void> {
    const { engine, outcome } = call;
    this.last = { uri: call.uri, index: call.index };
    const tail = outcome?.result.logTail;
    const record = engine.historyRecord({
      ...(outcome ? { outcome } : {}),
      ...(call.failure ? { failure: call.failure } : {}),
      file: call.file,
      label: call.label,
      sentAt: call.sentAt,
      keepPayloads: new Config().keepPayloads,
      ...(tail !== undefined ? { log: { text: tail, source: 'tail' as const, complete: findReport(tail) !== undefined } } : {}),
    });
    if (record === undefined) return;
    const entry = (await this.history.add(record.entry, record.blobs)) ?? record.entry;
    const key = resultKey(call.file, call.index);
    this.fetches.get(key)?.abort();
    const target = outcome?.target ?? call.failure?.target;
    if (target !== undefined) this.targets.set(key, target);
    this.uris.set(key, call.uri);
    // The engine re-indented the payload already; a 6 MB response is not re-indented twice.
    const state = this.stateFor(engine, entry, record.blobs.response, tail, false, outcome?.result.payloadPretty);
    await this.view.show(state);
    const synchronous = entry.request.invocationType === 'RequestResponse' && entry.response !== undefined;
    if (synchronous && new Config().fullLog === 'auto') void this.fetchLog({ key });
  }

  /** Fetches the whole log of a result from CloudWatch Logs, updating its tab as lines arrive. */
  async fetchLog(ref: ResultRef): Promise<void> {
    const state = this.stateOf(ref);
    const requestId = state.entry.response?.requestId;
    if (requestId === undefined) throw new CommandError('Lambda Invoke: this result has no request id, so its log cannot be found.');
    this.fetches.get(state.key)?.abort();
    const controller = new AbortController();
    this.fetches.set(state.key, controller);
    const { key, entry } = state;
    this.view.update(key, (s) => ({ ...s, logFetch: { state: 'fetching', lines: 0 } }));
    const tail = state.log?.source === 'tail' ? state.log.text : undefined;
    try {
      const engine = loadEngine();
      const target = this.targets.get(key) ?? (await this.resolve(engine, entry));
      const catalog = catalogBundle.load();
      const logs = logsBundle.load();
      const location = await catalog.functionLogLocation(target, entry.target.functionName, entry.target.qualifier, controller.signal);
      const shown = (log: InvocationLog) => (tail !== undefined && !log.complete && log.text.length < tail.length ? { text: tail, source: 'tail' as const, complete: false } : { text: log.text, source: 'full' as const, complete: log.complete });
      const log = await logs.fetchInvocationLog(
        { target, functionName: bareName(entry), requestId, sentAt: Date.parse(entry.time), location, env: process.env },
        {
          signal: controller.signal,
          onProgress: (partial) => this.view.update(key, (s) => ({ ...s, log: shown(partial), logFetch: { state: 'fetching', lines: countLines(partial.text) } })),
        },
      );
      const kept = shown(log);
      const updated = engine.withLog(entry, kept);
      const problem = log.complete ? undefined : (log.incomplete ?? 'The whole log did not arrive in time.');
      this.view.update(key, (s) => ({ ...s, entry: updated, log: kept, logFetch: problem === undefined ? { state: 'done' } : { state: 'failed', message: problem } }));
      await this.history.setLog(updated, kept.text);
    } catch (error) {
      const cancelled = controller.signal.aborted;
      const message = cancelled ? 'Stopped waiting for the whole log; the tail stays.' : describeFailure(error, bareName(entry));
      this.view.update(key, (s) => ({ ...s, logFetch: { state: 'failed', message } }));
    } finally {
      if (this.fetches.get(key) === controller) this.fetches.delete(key);
    }
  }

  cancelLogFetch(ref: ResultRef): void {
    this.fetches.get(ref.key)?.abort();
  }

  async showLog(ref: ResultRef): Promise<void> {
    await this.view.showLog(this.stateOf(ref));
  }

  /** Runs a result's invocation again, from its file as it is now. */
  async rerun(ref: ResultRef | { entry: HistoryEntry }): Promise<void> {
    const entry = 'entry' in ref ? ref.entry : this.stateOf(ref).entry;
    const uri = ('key' in ref ? this.uris.get(ref.key) : undefined) ?? vscode.Uri.file(entry.invocation.file).toString();
    await vscode.commands.executeCommand(CommandIds.invoke, { uri, index: entry.invocation.index } satisfies InvocationRef);
  }

  async rerunLast(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const state = active?.scheme === DocumentSchemes.result ? this.view.stateOf(active) : undefined;
    if (state !== undefined) return this.rerun({ key: state.key });
    if (this.last === undefined) throw new CommandError('Lambda Invoke: nothing was invoked in this window yet. Invoke one with the ▶ Invoke lens, or re-run one from the Lambda Invoke History view.');
    await vscode.commands.executeCommand(CommandIds.invoke, this.last);
  }

  /** Opens a recorded result in its invocation's result tab. */
  async open(entry: HistoryEntry): Promise<void> {
    const engine = loadEngine();
    const [response, log] = await Promise.all([this.history.readBlob(entry.id, 'response'), this.history.readBlob(entry.id, 'log')]);
    await this.view.show(this.stateFor(engine, entry, response, log?.toString('utf8'), true));
  }

  /** Diffs an entry's response payload with the one recorded before it for the same invocation. */
  async compareWithPrevious(ref: ResultRef | { entry: HistoryEntry }): Promise<void> {
    const entry = 'entry' in ref ? ref.entry : this.stateOf(ref).entry;
    const all = await this.history.forInvocation(entry.invocation.file, entry.invocation.index);
    const at = all.findIndex((e) => e.id === entry.id);
    const previous = at >= 0 ? all[at + 1] : all[0];
    if (previous === undefined || previous.id === entry.id) {
      throw new CommandError(`Lambda Invoke: ${entry.invocation.label} has no earlier recorded result to compare with. Invoke it again, then compare.`);
    }
    await this.compare(previous, entry);
  }

  /** Diffs an entry's response payload with another recorded one the user picks. */
  async compareWith(ref: ResultRef | { entry: HistoryEntry }): Promise<void> {
    const entry = 'entry' in ref ? ref.entry : this.stateOf(ref).entry;
    const others = (await this.history.list()).filter((e) => e.id !== entry.id && e.response !== undefined);
    if (others.length === 0) throw new CommandError('Lambda Invoke: the history holds no other result to compare with.');
    const picked = await vscode.window.showQuickPick(
      others.map((e) => ({ label: e.invocation.label, description: `${e.response?.statusCode ?? ''} · ${new Date(e.time).toLocaleString()}`, detail: e.invocation.file, entry: e })),
      { title: `Compare ${entry.invocation.label} with…`, matchOnDescription: true, matchOnDetail: true },
    );
    if (picked !== undefined) await this.compare(picked.entry, entry);
  }

  /** VS Code's diff editor on two recorded response payloads, older on the left. */
  async compare(left: HistoryEntry, right: HistoryEntry): Promise<void> {
    const [older, newer] = Date.parse(left.time) <= Date.parse(right.time) ? [left, right] : [right, left];
    const title = `${older.invocation.label} ${stamp(older)} ↔ ${newer.invocation.label === older.invocation.label ? '' : `${newer.invocation.label} `}${stamp(newer)}`;
    await vscode.commands.executeCommand('vscode.diff', recordedUri(older), recordedUri(newer), title, { preview: false });
  }

  async showDurableExecution(ref: ResultRef): Promise<void> {
    const state = this.stateOf(ref);
    const arn = state.entry.response?.durableExecutionArn;
    if (arn === undefined) throw new CommandError('Lambda Invoke: this result started no durable execution.');
    const target = this.targets.get(state.key) ?? (await this.resolve(loadEngine(), state.entry));
    await this.durable.show(arn, target);
  }

  /** The state for a result tab, from a recorded entry and its bytes. */
  private stateFor(engine: EngineModule, entry: HistoryEntry, response: Uint8Array | undefined, log: string | undefined, past: boolean, pretty?: string): ResultState {
    const text = entry.error !== undefined ? errorText(entry) : (pretty ?? payloadText(engine, response));
    const json = entry.error === undefined && entry.response?.json === true;
    const state: ResultState = { key: resultKey(entry.invocation.file, entry.invocation.index), entry, text, json, logFetch: { state: 'idle' }, past };
    if (log !== undefined && entry.log !== undefined) state.log = { text: log, source: entry.log.source, complete: entry.log.complete };
    return state;
  }

  private stateOf(ref: ResultRef): ResultState {
    const key = typeof ref === 'object' && ref !== null && typeof ref.key === 'string' ? ref.key : undefined;
    const state = key === undefined ? undefined : this.view.get(key);
    if (state === undefined) throw new CommandError('Lambda Invoke: that result is no longer open. Open it again from the Lambda Invoke History view.');
    return state;
  }

  /** Where and as whom a recorded call went, resolved again (a result from an earlier window). */
  private async resolve(engine: EngineModule, entry: HistoryEntry): Promise<ResolvedTarget> {
    const overrides = { ...buildOverrides(this.selection.current, new Config().target), region: entry.target.region, profile: entry.target.profile };
    return engine.resolveTarget({ request: { functionName: entry.target.functionName, ...(entry.target.local ? { endpoint: entry.target.endpoint } : {}) }, overrides, env: process.env });
  }

  private async recordedText(uri: vscode.Uri): Promise<string> {
    const id = new URLSearchParams(uri.query).get('id');
    const entry = id === null ? undefined : await this.history.get(id);
    if (entry === undefined) return 'This result is no longer in the history.\n';
    if (entry.error !== undefined) return errorText(entry);
    return payloadText(loadEngine(), await this.history.readBlob(entry.id, 'response'));
  }

  dispose(): void {
    for (const fetch of this.fetches.values()) fetch.abort();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The payload as the editor shows it: JSON re-indented without touching a digit, else the text as received. */
function payloadText(engine: EngineModule, bytes: Uint8Array | undefined): string {
  if (bytes === undefined || bytes.byteLength === 0) return '';
  const text = Buffer.from(bytes).toString('utf8');
  return engine.prettyJson(text) ?? text;
}

function recordedUri(entry: HistoryEntry): vscode.Uri {
  return vscode.Uri.from({ scheme: DocumentSchemes.recorded, path: `/${fileSafe(entry.invocation.label)} ${stamp(entry).replace(/:/g, '-')}.json`, query: new URLSearchParams({ id: entry.id }).toString() });
}

/** `14:03:07` today, else `2026-12-01 14:03`. */
function stamp(entry: HistoryEntry): string {
  const time = new Date(entry.time);
  const today = new Date().toDateString() === time.toDateString();
  return today ? time.toLocaleTimeString() : time.toLocaleString();
}

/** The function's bare name (its log group's), whether the file names it, a partial ARN or a full one. */
function bareName(entry: HistoryEntry): string {
  return parseFunctionName(entry.target.functionName)?.name ?? entry.target.functionName;
}

/** A failed fetch in one sentence, with what to do; the tail stays. */
function describeFailure(error: unknown, functionName: string): string {
  if (error instanceof Error && error.name === 'LogFetchError') {
    const hint = (error as Error & { hint?: string }).hint;
    return `${error.message}${hint ? ` ${hint}` : ''}`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `The whole log of ${functionName} could not be fetched (${reason}); the tail stays.`;
}
