/**
 * The record of one invocation: turns what the engine returned (an outcome, or a failure after
 * sending) into a HistoryEntry and the bytes kept beside it. A call that never left this machine
 * (invalid file, no region or credentials, cancelled before sending) has no record. Only the
 * fields written here reach the entry, so a credential, a signature or a request header cannot
 * ride along with a spread object.
 */
import { createHash, randomBytes } from 'node:crypto';
import { findReport } from '../../lambda/reportLine';
import { isLoopback } from '../resolve';
import type { InvokeFailure, RunOutcome } from '../run';
import type { InvocationRequest, InvokeErrorKind, ResolvedTarget } from '../types';
import type { HistoryBlobs, HistoryEntry } from './types';

/** A log as the history keeps it: Lambda's tail, or the whole log once fetched. */
export interface RecordedLog {
  text: string;
  source: 'tail' | 'full';
  /** True when the REPORT line is in it. */
  complete: boolean;
}

export interface RecordInput {
  outcome?: RunOutcome;
  failure?: InvokeFailure;
  /** Absolute path of the `.invoke.json` file. */
  file: string;
  label: string;
  sentAt: Date;
  /** Whether the payload sent is kept, or only its size and hash. */
  keepPayloads: boolean;
  log?: RecordedLog;
}

/** Failures that stop before anything is signed or sent. */
const NEVER_SENT: ReadonlySet<InvokeErrorKind> = new Set(['validation', 'configuration', 'credentials']);

/**
 * Response headers that could carry a credential if an endpoint echoed the request's back; Lambda
 * sends none of them, so dropping them loses nothing a user needs.
 */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'x-amz-security-token', 'x-amz-content-sha256', 'cookie', 'set-cookie']);

/** The entry and blobs of a call that was sent; undefined when nothing was sent. */
export function historyRecord(input: RecordInput): { entry: HistoryEntry; blobs: HistoryBlobs } | undefined {
  const request = input.outcome?.request ?? input.failure?.request;
  const target = input.outcome?.target ?? input.failure?.target;
  if (request === undefined || target === undefined) return undefined;
  if (input.outcome === undefined && (input.failure === undefined || !wasSent(input.failure))) return undefined;
  const entry: HistoryEntry = {
    id: newEntryId(input.sentAt),
    time: input.sentAt.toISOString(),
    invocation: { file: input.file, index: request.index, label: input.label },
    target: targetFacts(request, target),
    request: requestFacts(request, input.keepPayloads),
    durationMs: 0,
  };
  const blobs: HistoryBlobs = {};
  if (input.keepPayloads) blobs.request = request.payload;
  if (input.outcome !== undefined) {
    const { result } = input.outcome;
    entry.durationMs = Math.round(result.durationMs);
    entry.response = compact({
      statusCode: result.statusCode,
      headers: safeHeaders(result.headers),
      bytes: result.payload.byteLength,
      json: result.payloadPretty !== undefined,
      requestId: result.requestId,
      executedVersion: result.executedVersion,
      functionError: result.functionError,
      errorType: result.errorDetails?.errorType,
      errorMessage: result.errorDetails?.errorMessage,
      durableExecutionArn: result.durableExecutionArn,
    });
    blobs.response = result.payload;
  } else if (input.failure !== undefined) {
    const { details } = input.failure;
    entry.error = compact({
      kind: input.failure.kind,
      message: input.failure.message,
      hint: details.hint,
      errorType: details.errorType,
      statusCode: details.statusCode,
      requestId: details.requestId,
    });
  }
  if (input.log === undefined) return { entry, blobs };
  blobs.log = input.log.text;
  return { entry: withLog(entry, input.log), blobs };
}

/** The entry with the facts of its log (tail or whole), and the REPORT figures the log holds. */
export function withLog(entry: HistoryEntry, log: RecordedLog): HistoryEntry {
  const updated: HistoryEntry = { ...entry, log: { bytes: Buffer.byteLength(log.text, 'utf8'), source: log.source, complete: log.complete } };
  const report = findReport(log.text, entry.response?.requestId ?? entry.error?.requestId);
  if (report !== undefined) updated.report = report;
  return updated;
}

/** `<ms since epoch, base 36>-<random>`: sorts by time, and two calls in one millisecond still differ. */
export function newEntryId(at: Date = new Date()): string {
  return `${at.getTime().toString(36)}-${randomBytes(5).toString('hex')}`;
}

/** The endpoint as a user would name it: no user info, no query, no fragment. */
export function endpointText(url: URL): string {
  const clean = new URL(url.href);
  clean.username = '';
  clean.password = '';
  clean.search = '';
  clean.hash = '';
  return clean.href;
}

/** Whether a failure happened after the request left: a cancel counts only when the function may have run. */
function wasSent(failure: InvokeFailure): boolean {
  if (NEVER_SENT.has(failure.kind)) return false;
  return failure.kind !== 'cancelled' || failure.details.mayHaveRun === true;
}

function targetFacts(request: InvocationRequest, target: ResolvedTarget): HistoryEntry['target'] {
  return compact({
    functionName: request.functionName,
    qualifier: request.qualifier,
    region: target.region,
    profile: target.profile,
    endpoint: endpointText(target.endpoint),
    local: isLoopback(target.endpoint.hostname),
  });
}

function requestFacts(request: InvocationRequest, keep: boolean): HistoryEntry['request'] {
  return compact({
    invocationType: request.invocationType,
    bytes: request.payload.byteLength,
    sha256: createHash('sha256').update(request.payload).digest('hex'),
    kept: keep,
    payloadSource: typeof request.payloadSource === 'string' ? request.payloadSource : { file: request.payloadSource.file },
    tenantId: request.tenantId,
    durableExecutionName: request.durableExecutionName,
  });
}

function safeHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) kept[name.toLowerCase()] = value;
  }
  return kept;
}

/** Without the optional fields that are undefined, so index.json and metadata.json hold no `undefined` holes. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
