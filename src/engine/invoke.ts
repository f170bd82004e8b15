/**
 * Sends one Lambda `Invoke`: builds the HTTP request exactly as Lambda expects, signs it with
 * SigV4 (@smithy/signature-v4), sends it with @smithy/node-http-handler over keep-alive
 * agents, and reads the answer. Retries only what did not run: throttles (after Retry-After)
 * and requests that never left this machine. A request that was sent and then failed is never
 * sent again, because the function may already have run.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Hash } from '@smithy/hash-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpRequest, type HttpResponse } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { applyEdits, format } from 'jsonc-parser';
import { retryAfterMs, serviceError } from './errors';
import {
  type Attempt,
  type InvocationRequest,
  type InvocationResult,
  InvokeError,
  type InvokeOptions,
  type ResolvedTarget,
} from './types';

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** A function runs up to 15 minutes; a synchronous call waits that long, plus a margin. */
export const SYNC_RESPONSE_TIMEOUT_MS = 16 * 60_000;
/** Event and DryRun answer at once; a minute of silence means something is wrong. */
const ASYNC_RESPONSE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 3;
/** A throttle asking for a longer wait than this is reported rather than waited out. */
const MAX_RETRY_WAIT_MS = 30_000;

/** Connection failures that happen before anything is sent, and may clear up on a retry. */
const RETRYABLE_CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * Requests in flight, by their Authorization header (unique per signature), so the agents can
 * tell us when a request's body has been handed to the operating system: from then on the
 * function may run, and the request must not be repeated.
 */
const inFlight = new Map<string, (request: http.ClientRequest) => void>();

// addRequest is how every Node version hands a request to an agent, but @types/node omits it.
declare module 'node:http' {
  interface Agent {
    addRequest(request: http.ClientRequest, options: http.RequestOptions): void;
  }
}

class TrackingHttpAgent extends http.Agent {
  override addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
    notifyInFlight(request);
    super.addRequest(request, options);
  }
}

class TrackingHttpsAgent extends https.Agent {
  override addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
    notifyInFlight(request);
    super.addRequest(request, options);
  }
}

function notifyInFlight(request: http.ClientRequest): void {
  const authorization = request.getHeader('authorization');
  const listener = typeof authorization === 'string' ? inFlight.get(authorization) : undefined;
  listener?.(request);
}

/** Shared keep-alive agents: a second invocation reuses the connection (and TLS session). */
const httpAgent = new TrackingHttpAgent({ keepAlive: true });
const httpsAgent = new TrackingHttpsAgent({ keepAlive: true });

/**
 * Closes every connection the engine holds open (idle keep-alive sockets and any in use), for a
 * host that is shutting down. A later invocation opens new ones.
 */
export function closeConnections(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}

/** The HTTP request for an invocation, before signing. */
export function buildHttpRequest(request: InvocationRequest, endpoint: URL): HttpRequest {
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    host: endpoint.host,
    'content-type': 'application/octet-stream',
    'content-length': String(request.payload.byteLength),
    'x-amz-invocation-type': request.invocationType,
  };
  if (request.logType === 'Tail') headers['x-amz-log-type'] = 'Tail';
  if (request.clientContext !== undefined) headers['x-amz-client-context'] = request.clientContext;
  if (request.tenantId !== undefined) headers['x-amz-tenant-id'] = request.tenantId;
  if (request.durableExecutionName !== undefined) headers['x-amz-durable-execution-name'] = request.durableExecutionName;
  const query: Record<string, string> = {};
  if (request.qualifier !== undefined) query.Qualifier = request.qualifier;
  return new HttpRequest({
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    method: 'POST',
    // Encoded once here; the signer encodes the path again for the canonical request (Lambda is not S3).
    path: `${basePath}/2015-03-31/functions/${encodeLabel(request.functionName)}/invocations`,
    query,
    headers,
    body: request.payload,
  });
}

/** encodeURIComponent, plus the characters it leaves alone that SigV4 wants escaped. */
function encodeLabel(label: string): string {
  return encodeURIComponent(label).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export async function signRequest(request: HttpRequest, target: ResolvedTarget): Promise<HttpRequest> {
  const signer = new SignatureV4({
    service: 'lambda',
    region: target.region,
    credentials: target.credentials,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
  });
  return (await signer.sign(request)) as HttpRequest;
}

export async function invoke(request: InvocationRequest, target: ResolvedTarget, options: InvokeOptions = {}): Promise<InvocationResult> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const delay = options.delay ?? defaultDelay;
  const handler = new NodeHttpHandler({
    connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeout: options.responseTimeoutMs ?? (request.invocationType === 'RequestResponse' ? SYNC_RESPONSE_TIMEOUT_MS : ASYNC_RESPONSE_TIMEOUT_MS),
    // Without this the handler only logs a warning when the response timeout passes.
    throwOnRequestTimeout: true,
    httpAgent,
    httpsAgent,
  });
  const attempts: Attempt[] = [];
  const started = performance.now();
  for (let number = 1; ; number++) {
    throwIfCancelled(options.signal, false, attempts);
    // Signed anew for each try: the signature carries the time.
    const signed = await signRequest(buildHttpRequest(request, target.endpoint), target);
    const outcome = await send(handler, signed, options.signal);
    const attempt: Attempt = { number };
    attempts.push(attempt);
    let retry: { reason: string; ms: number } | undefined;
    if (outcome.kind === 'response') {
      const { response, body } = outcome;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return toResult(response, body, request, performance.now() - started, attempts);
      }
      const error = serviceError(response.statusCode, response.headers, body, header(response, 'x-amzn-requestid'));
      if (response.statusCode !== 429 || number >= maxAttempts) throw withAttempts(error, attempts);
      const wait = retryAfterMs(response.headers) ?? 1000 * 2 ** (number - 1);
      if (wait > MAX_RETRY_WAIT_MS) throw withAttempts(error, attempts);
      retry = { reason: `throttled (429 ${error.details.errorType ?? 'TooManyRequestsException'})`, ms: wait };
    } else {
      const failure = describeFailure(outcome.error, outcome.sent, target, options);
      if (failure.kind === 'cancelled' || outcome.sent || !failure.retryable || number >= maxAttempts) {
        throw withAttempts(failure.error, attempts);
      }
      retry = { reason: `could not connect (${failure.error.message})`, ms: 250 * 2 ** (number - 1) };
    }
    attempt.retryReason = retry.reason;
    attempt.delayMs = retry.ms;
    options.onAttempt?.(attempt);
    try {
      await delay(retry.ms, options.signal);
    } catch {
      throwIfCancelled(options.signal, false, attempts);
    }
  }
}

type SendOutcome =
  | { kind: 'response'; response: HttpResponse; body: Buffer }
  | { kind: 'failure'; error: unknown; sent: boolean };

async function send(handler: NodeHttpHandler, signed: HttpRequest, signal: AbortSignal | undefined): Promise<SendOutcome> {
  let sent = false;
  const authorization = signed.headers.authorization ?? signed.headers.Authorization ?? '';
  inFlight.set(authorization, (clientRequest) => clientRequest.once('finish', () => (sent = true)));
  try {
    const { response } = await handler.handle(signed, { abortSignal: signal });
    const body = await readBody(response.body as NodeJS.ReadableStream | undefined);
    return { kind: 'response', response, body };
  } catch (error) {
    return { kind: 'failure', error, sent };
  } finally {
    inFlight.delete(authorization);
  }
}

async function readBody(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return value === undefined || value === '' ? undefined : value;
}

function toResult(response: HttpResponse, body: Buffer, request: InvocationRequest, durationMs: number, attempts: Attempt[]): InvocationResult {
  const payloadText = body.toString('utf8');
  const result: InvocationResult = {
    statusCode: response.statusCode,
    payload: body,
    payloadText,
    durationMs,
    bytesSent: request.payload.byteLength,
    bytesReceived: body.byteLength,
    attempts,
  };
  const set = <K extends keyof InvocationResult>(key: K, value: InvocationResult[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set('requestId', header(response, 'x-amzn-requestid'));
  set('executedVersion', header(response, 'x-amz-executed-version'));
  set('functionError', header(response, 'x-amz-function-error'));
  set('durableExecutionArn', header(response, 'x-amz-durable-execution-arn'));
  const log = header(response, 'x-amz-log-result');
  set('logTail', log === undefined ? undefined : Buffer.from(log, 'base64').toString('utf8'));
  set('payloadPretty', prettyJson(payloadText));
  if (result.functionError !== undefined) set('errorDetails', functionErrorDetails(payloadText));
  return result;
}

/**
 * Re-indents JSON text without re-serialising it, so 12345678901234567890 and 1.50 are shown
 * as the function returned them. Undefined when the text is not JSON.
 */
export function prettyJson(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return applyEdits(text, format(text, undefined, { tabSize: 2, insertSpaces: true, eol: '\n' }));
}

function functionErrorDetails(text: string): InvocationResult['errorDetails'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trim() ? { errorMessage: text.trim() } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const trace = v.stackTrace ?? v.trace;
  const details: NonNullable<InvocationResult['errorDetails']> = {};
  if (typeof v.errorType === 'string') details.errorType = v.errorType;
  if (typeof v.errorMessage === 'string') details.errorMessage = v.errorMessage;
  if (Array.isArray(trace)) details.stackTrace = trace.map(String);
  else if (typeof trace === 'string') details.stackTrace = trace.split('\n');
  return details;
}

interface Failure {
  kind: InvokeError['kind'];
  error: InvokeError;
  retryable: boolean;
}

function describeFailure(error: unknown, written: boolean, target: ResolvedTarget, options: InvokeOptions): Failure {
  if (error instanceof InvokeError) return { kind: error.kind, error, retryable: false };
  const e = error as NodeJS.ErrnoException & { name?: string };
  // A TLS socket reports the body as written while the handshake is still under way; a
  // handshake that failed delivered nothing, so the function cannot have run.
  const sent = written && !TLS_HANDSHAKE_CODE.test(e.code ?? '');
  const where = target.endpoint.origin;
  if (options.signal?.aborted || e.name === 'AbortError') {
    return {
      kind: 'cancelled',
      retryable: false,
      error: new InvokeError(
        'cancelled',
        sent ? 'Cancelled after the request was sent: the function may still be running.' : 'Cancelled before the request was sent: the function did not run.',
        { mayHaveRun: sent },
      ),
    };
  }
  const code = e.code ?? '';
  // The handler names a reset socket 'TimeoutError' too; a known socket error code says what really happened.
  const timedOut = NETWORK_MESSAGES[code] === undefined && (e.name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed out/i.test(e.message ?? ''));
  if (timedOut) {
    if (!sent) {
      return {
        kind: 'network',
        retryable: true,
        error: new InvokeError('network', `Could not connect to ${where} within ${(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000} s.`, {
          hint: 'Check the endpoint, your network and any proxy or VPN.',
        }),
      };
    }
    return {
      kind: 'timeout',
      retryable: false,
      error: new InvokeError('timeout', `No answer from ${where}: the request was sent, then the connection stayed silent until the client gave up.`, {
        hint: 'The function may have run. Check its logs before invoking again; it was not retried so it does not run twice.',
        mayHaveRun: true,
      }),
    };
  }
  const message = networkMessage(code, e.message ?? String(error), where);
  if (sent) {
    return {
      kind: 'network',
      retryable: false,
      error: new InvokeError('network', `${message} The request had been sent, so the function may have run.`, {
        hint: 'Check the function\'s logs before invoking again; it was not retried so it does not run twice.',
        mayHaveRun: true,
      }),
    };
  }
  return {
    kind: 'network',
    retryable: RETRYABLE_CONNECT_CODES.has(code),
    error: new InvokeError('network', message, { hint: networkHint(code) }),
  };
}

/** Errors of a TLS handshake that did not complete: nothing was delivered. */
const TLS_HANDSHAKE_CODE = /^(EPROTO|ERR_SSL_|ERR_TLS_CERT_ALTNAME_INVALID$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_)/;

const NETWORK_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused by {where}: nothing is listening there.',
  ENOTFOUND: 'The host of {where} could not be found (DNS).',
  EAI_AGAIN: 'The host of {where} could not be looked up right now (DNS).',
  ECONNRESET: 'The connection to {where} was reset.',
  EPIPE: 'The connection to {where} was closed while sending.',
  EHOSTUNREACH: 'The host of {where} is unreachable.',
  ENETUNREACH: 'The network of {where} is unreachable.',
  CERT_HAS_EXPIRED: 'The TLS certificate of {where} has expired.',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The TLS certificate of {where} is self-signed and not trusted.',
  SELF_SIGNED_CERT_IN_CHAIN: 'The TLS certificate chain of {where} has a self-signed certificate that is not trusted.',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The TLS certificate of {where} could not be verified.',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The TLS certificate of {where} is for another host name.',
  EPROTO: 'The TLS handshake with {where} failed (is it an http:// endpoint addressed as https://?).',
};

function networkMessage(code: string, detail: string, where: string): string {
  const template = NETWORK_MESSAGES[code];
  return template ? template.replace('{where}', where) : `The request to ${where} failed: ${detail}.`;
}

function networkHint(code: string): string {
  if (code === 'ECONNREFUSED') return 'Start the endpoint, or check the endpoint URL and port.';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Check the endpoint URL or region, and your network.';
  if (/CERT|TLS|EPROTO/.test(code)) return 'Check the endpoint URL (http or https) and any proxy that intercepts TLS.';
  return 'Check your network, proxy or VPN, and the endpoint.';
}

function withAttempts(error: InvokeError, attempts: Attempt[]): InvokeError {
  error.details.attempts = attempts;
  return error;
}

function throwIfCancelled(signal: AbortSignal | undefined, sent: boolean, attempts: Attempt[]): void {
  if (!signal?.aborted) return;
  throw withAttempts(
    new InvokeError('cancelled', sent ? 'Cancelled: the function may still be running.' : 'Cancelled before the request was sent: the function did not run.', {
      mayHaveRun: sent,
    }),
    attempts,
  );
}

function defaultDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
