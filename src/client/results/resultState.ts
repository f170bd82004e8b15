/**
 * What a result tab shows, as plain data: one recorded invocation (a live one, or one opened
 * from the history), the payload text the editor holds, the log and how far its fetch got, and
 * the one-line summary its code lenses carry above the payload. Pure logic, no `vscode` import;
 * unit-tested in test/unit/resultState.test.ts.
 */
import type { HistoryEntry } from '../../engine/history/types';
import { formatDuration, formatSize } from '../../lambda/format';

/** How far fetching the whole log from CloudWatch Logs got. */
export type LogFetchState =
  /** Not asked: an Event call (fetched on demand), a dry run, or `lambdaInvoke.results.fullLog` is `onDemand`. */
  | { state: 'idle' }
  | { state: 'fetching'; lines: number }
  | { state: 'done' }
  /** The wait ended before the REPORT line, or the fetch failed: why, in a sentence. The tail stays. */
  | { state: 'failed'; message: string };

export interface ResultState {
  /** One per invocation: its file and index. */
  key: string;
  entry: HistoryEntry;
  /** The editor's text: the payload re-indented when it is JSON (digits untouched), else as text. */
  text: string;
  json: boolean;
  /** The log as known: Lambda's 4 KB tail, then the whole log. */
  log?: { text: string; source: 'tail' | 'full'; complete: boolean };
  logFetch: LogFetchState;
  /** True when opened from the history rather than just run. */
  past: boolean;
}

/** The key of an invocation's result tab: its file and index. */
export function resultKey(file: string, index: number): string {
  return `${file}#${index}`;
}

/** The status and what it means: `200 OK`, `✖ Unhandled: OrderRejected — Order A-1002 has no items`, `404 ResourceNotFoundException`. */
export function statusTitle(entry: HistoryEntry): string {
  const { response, error } = entry;
  if (error !== undefined) {
    const name = error.errorType ?? error.kind;
    return `$(error) ${error.statusCode !== undefined ? `${error.statusCode} ` : ''}${name}`;
  }
  if (response === undefined) return '$(question) no answer';
  if (response.functionError !== undefined) {
    const what = [response.errorType, response.errorMessage].filter((part) => part !== undefined && part !== '').join(': ');
    return `$(error) ${response.statusCode} ${response.functionError}${what === '' ? '' : ` — ${shorten(what, 120)}`}`;
  }
  return `$(pass) ${response.statusCode} ${STATUS_WORDS[response.statusCode] ?? ''}`.trimEnd();
}

const STATUS_WORDS: Readonly<Record<number, string>> = { 200: 'OK', 202: 'Accepted', 204: 'No Content (dry run)' };

/**
 * The facts shown above the payload, each a short phrase: status, executed version, duration
 * (the REPORT line's, with billed duration and memory, else the round trip), bytes, target,
 * request id and when it ran (for a past result).
 */
export function summaryParts(state: ResultState, now: Date = new Date()): string[] {
  const { entry } = state;
  const parts = [statusTitle(entry)];
  if (entry.response?.executedVersion !== undefined) parts.push(`version ${entry.response.executedVersion}`);
  const report = entry.report;
  if (report !== undefined) {
    parts.push(`${formatMs(report.durationMs)} (billed ${formatMs(report.billedDurationMs)})`);
    parts.push(`${report.maxMemoryUsedMb} of ${report.memorySizeMb} MB`);
    if (report.initDurationMs !== undefined) parts.push(`cold start ${formatMs(report.initDurationMs)}`);
  } else {
    parts.push(`${formatDuration(entry.durationMs)} round trip`);
  }
  if (entry.response !== undefined) parts.push(formatSize(entry.response.bytes));
  parts.push(targetText(entry));
  const requestId = entry.response?.requestId ?? entry.error?.requestId;
  if (requestId !== undefined) parts.push(`request ${requestId}`);
  if (state.past) parts.push(`ran ${ago(new Date(entry.time), now)}`);
  return parts;
}

/** `hello:prod in us-east-1 (local endpoint)`. */
export function targetText(entry: HistoryEntry): string {
  const { target } = entry;
  const name = target.qualifier !== undefined ? `${target.functionName}:${target.qualifier}` : target.functionName;
  return `${name} in ${target.region}${target.local ? ` (${target.endpoint})` : ''}`;
}

/** What the log lens says: where the log stands. */
export function logTitle(state: ResultState): string {
  const fetch = state.logFetch;
  if (fetch.state === 'fetching') return `$(sync~spin) Fetching the full log… (${fetch.lines} ${fetch.lines === 1 ? 'line' : 'lines'})`;
  const log = state.log;
  if (log === undefined) return fetch.state === 'failed' ? '$(warning) No log' : 'No log';
  const lines = countLines(log.text);
  const what = log.source === 'full' ? `Full log (${lines} ${lines === 1 ? 'line' : 'lines'})` : `Log tail (last ${formatSize(Buffer.byteLength(log.text, 'utf8'))})`;
  return fetch.state === 'failed' ? `$(warning) ${what}` : what;
}

/** Whether the "Fetch Log" action applies: the call ran at AWS or locally, and no whole log is here yet. */
export function canFetchLog(state: ResultState): boolean {
  const { entry } = state;
  if (entry.request.invocationType === 'DryRun') return false;
  const requestId = entry.response?.requestId;
  if (requestId === undefined || entry.response?.statusCode === 204) return false;
  return state.logFetch.state !== 'fetching' && !(state.log?.source === 'full' && state.log.complete);
}

/** `2 min ago`, `3 h ago`, `on 2026-12-01`. */
export function ago(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `on ${then.toISOString().slice(0, 10)}`;
}

/** The text a failed call's tab holds: what happened and what to do. */
export function errorText(entry: HistoryEntry): string {
  const error = entry.error;
  if (error === undefined) return '';
  return [error.message, error.hint].filter((line) => line !== undefined && line !== '').join('\n\n') + '\n';
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Number(ms.toFixed(2))} ms` : formatDuration(ms);
}

/** Lines of a log, a last line without its newline included. */
export function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
