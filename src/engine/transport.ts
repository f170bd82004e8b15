/**
 * Sends a signed request once and says what happened: the answer with its whole body, or the
 * failure and whether the request's body had been handed to the operating system by then.
 * @smithy/node-http-handler does the sending, over shared keep-alive agents that tell this
 * module when each request is flushed, with connect and response timeouts set per invocation.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import type { InvocationType } from '../lambda/invocationTypes';
import type { InvokeOptions } from './types';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** A function runs up to 15 minutes; a synchronous call waits that long, plus a margin. */
export const SYNC_RESPONSE_TIMEOUT_MS = 16 * 60_000;
/** Event and DryRun answer at once; a minute of silence means something is wrong. */
const ASYNC_RESPONSE_TIMEOUT_MS = 60_000;

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

/** A handler for one invocation's tries: its timeouts depend on how long the call may take. */
export function createHandler(invocationType: InvocationType, options: InvokeOptions): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeout: options.responseTimeoutMs ?? (invocationType === 'RequestResponse' ? SYNC_RESPONSE_TIMEOUT_MS : ASYNC_RESPONSE_TIMEOUT_MS),
    // Without this the handler only logs a warning when the response timeout passes.
    throwOnRequestTimeout: true,
    httpAgent,
    httpsAgent,
  });
}

export type SendOutcome =
  /** An answer, whatever its status; `receivedAt` dates a `Retry-After` given as an HTTP-date. */
  | { kind: 'response'; response: HttpResponse; body: Buffer; receivedAt: number }
  /** No (whole) answer; `written` is true once the request's body was flushed. */
  | { kind: 'failure'; error: unknown; written: boolean };

/** Sends `signed` once; never throws. */
export async function send(handler: NodeHttpHandler, signed: HttpRequest, signal: AbortSignal | undefined): Promise<SendOutcome> {
  let written = false;
  const authorization = signed.headers.authorization ?? signed.headers.Authorization ?? '';
  inFlight.set(authorization, (clientRequest) => clientRequest.once('finish', () => (written = true)));
  try {
    const { response } = await handler.handle(signed, { abortSignal: signal });
    const body = await readBody(response.body as NodeJS.ReadableStream | undefined);
    return { kind: 'response', response, body, receivedAt: Date.now() };
  } catch (error) {
    return { kind: 'failure', error, written };
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

/** A response header by its lower-case name; an empty value counts as absent. */
export function responseHeader(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return value === undefined || value === '' ? undefined : value;
}
