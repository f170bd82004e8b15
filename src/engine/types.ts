/**
 * The invoke engine's data: what to send, where and as whom, and what came back.
 * Plain data only, so the extension, the CLI and the tests share one shape. The engine is
 * Node-only and never imports `vscode`.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { InvocationType, LogType } from '../lambda/invocationTypes';
import type { TargetOverrides } from '../protocol/targetOverrides';

export type { LogType };

/** One invocation, read from an `.invoke.json` object and ready to send. */
export interface InvocationRequest {
  /** The `name` label, if any. */
  name?: string;
  /** Position in the file (0 for a single object). */
  index: number;
  functionName: string;
  qualifier?: string;
  invocationType: InvocationType;
  logType: LogType;
  /** `X-Amz-Client-Context`, already base64. */
  clientContext?: string;
  tenantId?: string;
  durableExecutionName?: string;
  /** The body: the payload's bytes exactly as written (or the payload file's bytes). */
  payload: Uint8Array;
  /** Where the payload came from, for display: `inline`, or the payload file's path. */
  payloadSource: 'inline' | 'none' | { file: string };
  /** Overrides written in the file itself (highest precedence). */
  region?: string;
  profile?: string;
  endpoint?: string;
}

/** Overrides from the extension's settings or the CLI's flags (below the file, above the environment). */
export type { TargetOverrides as Overrides };

/** Where a resolved value came from, for messages ("region us-west-2 from AWS_REGION"). */
export type Source = string;

/** Where and as whom to call, after resolution. */
export interface ResolvedTarget {
  region: string;
  regionSource: Source;
  /** The profile used for credentials, region and endpoint lookups. */
  profile: string;
  profileSource: Source;
  /** Base URL; the invoke path is appended to its path. */
  endpoint: URL;
  endpointSource: Source;
  /** True when the endpoint is the partition's standard `https://lambda.{region}.{dnsSuffix}`. */
  isDefaultEndpoint: boolean;
  partition: string;
  credentials: AwsCredentialIdentityProvider;
}

/** One try of the request, reported as it happens (throttles and connection failures are retried). */
export interface Attempt {
  number: number;
  /** Why another try follows, or undefined for the last one. */
  retryReason?: string;
  /** How long the engine waits before the next try. */
  delayMs?: number;
}

/** What Lambda answered for an invocation it accepted (2xx). */
export interface InvocationResult {
  statusCode: number;
  requestId?: string;
  executedVersion?: string;
  /** `X-Amz-Function-Error` (e.g. `Unhandled`): the function ran and failed; status is still 200. */
  functionError?: string;
  durableExecutionArn?: string;
  /** Lambda's response headers as received, lower-case names (the history and saved results show them). */
  headers: Record<string, string>;
  /** `X-Amz-Log-Result`, decoded from base64. */
  logTail?: string;
  /** The response body as received. */
  payload: Uint8Array;
  /** The body as UTF-8 text. */
  payloadText: string;
  /** The body pretty-printed when it is JSON; undefined when it is not. */
  payloadPretty?: string;
  /** Error details when `functionError` is set and the body has them. */
  errorDetails?: { errorType?: string; errorMessage?: string; stackTrace?: string[] };
  durationMs: number;
  bytesSent: number;
  bytesReceived: number;
  attempts: Attempt[];
}

export type InvokeErrorKind =
  /** The file has error diagnostics: nothing was sent. */
  | 'validation'
  /** No region, bad profile, no credentials, expired token… : nothing was sent. */
  | 'configuration'
  | 'credentials'
  /** Lambda (or its front door) answered with an error. */
  | 'service'
  /** The connection failed or broke. */
  | 'network'
  /** No answer in time. */
  | 'timeout'
  /** The user cancelled. */
  | 'cancelled';

/** Every failure of an invocation: what happened, what to do, and whether the function may have run. */
export class InvokeError extends Error {
  override readonly name = 'InvokeError';

  constructor(
    readonly kind: InvokeErrorKind,
    message: string,
    readonly details: {
      /** What to do about it, one line. */
      hint?: string;
      /** The service's error name (`ResourceNotFoundException`). */
      errorType?: string;
      statusCode?: number;
      requestId?: string;
      /** True when the request was sent and the function may have run despite the error. */
      mayHaveRun?: boolean;
      attempts?: Attempt[];
      /** Diagnostics lines (`file:line:col: severity code message`) for validation failures. */
      diagnostics?: string[];
    } = {},
  ) {
    super(message);
  }
}

/** Knobs of one `invoke` call. Tests shorten the clock; the extension passes its cancel signal. */
export interface InvokeOptions {
  signal?: AbortSignal;
  /** Called before each try after the first, with why and how long the engine waits. */
  onAttempt?: (attempt: Attempt) => void;
  /** Waits before a retry; tests pass one that records and resolves at once. */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Milliseconds to establish a connection (default 5 s). */
  connectTimeoutMs?: number;
  /** Milliseconds of silence after which a sent request is given up (default 15 min + 1 min for synchronous calls). */
  responseTimeoutMs?: number;
  /** Tries for throttled or unconnected requests, first included (default 3). */
  maxAttempts?: number;
}
