/**
 * One recorded invocation, as the extension keeps it in its workspace storage (never in the
 * repository) and as `lambda-invoke run --save` writes its metadata: when, which invocation,
 * where, what was sent (its bytes, or only their size and hash), what came back and the log.
 * Plain data, and by construction free of secrets: no credential, signature, token or request
 * header is ever part of it.
 */
import type { InvocationType } from '../../lambda/invocationTypes';
import type { ReportFacts } from '../../lambda/reportLine';
import type { InvokeErrorKind } from '../types';

export interface HistoryEntry {
  /** Unique and sortable by time: `<ms since epoch, base 36>-<random>`. */
  id: string;
  /** ISO 8601 time the invocation was sent. */
  time: string;
  invocation: {
    /** Absolute path of the `.invoke.json` file. */
    file: string;
    index: number;
    /** As the editor labels it (name → functionName → `invocation #i`). */
    label: string;
  };
  target: {
    functionName: string;
    qualifier?: string;
    region: string;
    /** The profile's name (a name, never its keys). */
    profile: string;
    /** The endpoint's URL without any user info. */
    endpoint: string;
    /** True when the endpoint is this machine (the local endpoint, LocalStack…). */
    local: boolean;
  };
  request: {
    invocationType: InvocationType;
    bytes: number;
    /** Hex SHA-256 of the payload bytes. */
    sha256: string;
    /** Whether the payload bytes are stored (`lambdaInvoke.history.keepPayloads`). */
    kept: boolean;
    payloadSource: 'inline' | 'none' | { file: string };
    tenantId?: string;
    durableExecutionName?: string;
  };
  /** What Lambda answered when it accepted the call. */
  response?: {
    statusCode: number;
    /** Lambda's response headers, lower-case names. */
    headers: Record<string, string>;
    bytes: number;
    /** Whether the payload is JSON (the result view opens it as JSON, else as text). */
    json: boolean;
    requestId?: string;
    executedVersion?: string;
    functionError?: string;
    errorType?: string;
    errorMessage?: string;
    durableExecutionArn?: string;
  };
  /** Set instead of `response` when the call was sent and failed (service, network, timeout). */
  error?: {
    kind: InvokeErrorKind;
    message: string;
    hint?: string;
    errorType?: string;
    statusCode?: number;
    requestId?: string;
  };
  /** From the first try sent to the answer, in milliseconds. */
  durationMs: number;
  /** The REPORT line's figures, once a log with one is known. */
  report?: ReportFacts;
  /** True when the entry alone exceeded the history's byte budget: it is kept without its blobs. */
  blobsDropped?: boolean;
  log?: {
    bytes: number;
    /** `tail`: Lambda's last 4 KB (`X-Amz-Log-Result`); `full`: the whole log from CloudWatch Logs. */
    source: 'tail' | 'full';
    /** True when the REPORT line is in it. */
    complete: boolean;
  };
}

/** The bytes kept beside an entry. */
export interface HistoryBlobs {
  /** The payload sent; absent when payloads are not kept or nothing was sent. */
  request?: Uint8Array;
  /** The response payload exactly as received. */
  response?: Uint8Array;
  /** The log text (tail or full). */
  log?: string;
}

export type BlobName = keyof HistoryBlobs;

export interface HistoryLimits {
  /** Entries kept per invocation (file and index); the oldest go first. Default 50. */
  maxPerInvocation: number;
  /** Bytes kept in all, entries and blobs together; the oldest go first. Default 100 MB. */
  maxBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxPerInvocation: 50, maxBytes: 100 * 1024 * 1024 };
