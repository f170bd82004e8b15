/**
 * The whole log of one invocation, fetched from CloudWatch Logs after the call: what is asked
 * (which function, request and log group, as whom) and what comes back. Plain data, shared by
 * the extension's result view, the CLI's `run --logs` and the tests.
 */
import type { ResolvedTarget } from '../types';

/** `LoggingConfig.LogFormat`: Lambda writes plain lines (`Text`) or one JSON object a line (`JSON`). */
export type LogFormat = 'Text' | 'JSON';

/** Where the function's log goes: its `LoggingConfig`, or Lambda's default. */
export interface LogLocation {
  /** `LoggingConfig.LogGroup`, else `/aws/lambda/<name>`. */
  logGroup: string;
  logFormat: LogFormat;
  /** `configuration` when read from GetFunctionConfiguration; `default` when that read failed or was not made. */
  source: 'configuration' | 'default';
  /** Why the configuration was not read, when `source` is `default` because a read failed. */
  problem?: string;
}

export interface InvocationLogRequest {
  /** The invocation's target, as it was resolved for Invoke: region, credentials, the Lambda endpoint. */
  target: ResolvedTarget;
  /** The function's name (unqualified, as Lambda names its log group). */
  functionName: string;
  /** `x-amzn-RequestId` of the invocation. */
  requestId: string;
  /** When the invocation was sent, in milliseconds since the epoch: the search starts a little before. */
  sentAt: number;
  location: LogLocation;
  /** Defaults to `process.env` (for `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` and the shared config files). */
  env?: NodeJS.ProcessEnv;
}

export interface InvocationLog {
  /** The lines found so far, each ending in `\n`, in the order Lambda wrote them. */
  text: string;
  /** True once the invocation's REPORT line (`platform.report` in JSON format) is among them. */
  complete: boolean;
  logGroup: string;
  /** The stream the lines came from, once found. */
  logStream?: string;
  format: LogFormat;
  /** The CloudWatch Logs endpoint asked (origin), and where that choice came from. */
  endpoint: string;
  endpointSource: string;
  /** Set when the wait ended before the REPORT line arrived: what happened, in a sentence. */
  incomplete?: string;
}

export interface LogFetchOptions {
  signal?: AbortSignal;
  /** Called each time more lines arrived (and once with the first lines found). */
  onProgress?: (log: InvocationLog) => void;
  /** Longest wait for the REPORT line, in milliseconds (default 30 s). */
  maxWaitMs?: number;
  /** Waits between polls; tests pass one that resolves at once and records the waits. */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type LogFetchErrorKind =
  /** The caller lacks `logs:FilterLogEvents` (or `logs:GetLogEvents`) on the log group. */
  | 'access-denied'
  /** The log group does not exist (the function never logged, or logs elsewhere). */
  | 'no-log-group'
  /** No credentials, or expired ones. */
  | 'credentials'
  /** The endpoint could not be reached or answered with another error. */
  | 'unreachable'
  | 'cancelled';

/** Why there is no full log; the 4 KB tail, when there is one, stays what the user sees. */
export class LogFetchError extends Error {
  override readonly name = 'LogFetchError';

  constructor(
    readonly kind: LogFetchErrorKind,
    message: string,
    /** What to do about it, one line. */
    readonly hint?: string,
  ) {
    super(message);
  }
}
