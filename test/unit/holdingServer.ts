/**
 * A loopback HTTP server standing in for Lambda that holds every request until the test answers
 * it, and says when each of its connections closes: for calls caught in flight; and a free
 * loopback port. Shared by the unit tests and the extension-host suite (which bundles it).
 */
import * as http from 'node:http';
import * as net from 'node:net';
export interface HoldingServer {
  readonly endpoint: string;
  /** `endpoint` as a URL, for an engine target. */
  readonly url: URL;
  /** How many requests arrived. */
  readonly requests: number;
  /** Resolves with the response of the next request to arrive (at once if one is waiting). */
  nextRequest(): Promise<http.ServerResponse>;
  /** Connections open now. */
  readonly openConnections: number;
  /** Resolves when every connection open now has closed. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startHoldingServer(): Promise<HoldingServer> {
  const waiting: http.ServerResponse[] = [];
  const takers: ((response: http.ServerResponse) => void)[] = [];
  const open = new Map<net.Socket, Promise<void>>();
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests++;
    request.resume();
    request.on('end', () => {
      const taker = takers.shift();
      if (taker) taker(response);
      else waiting.push(response);
    });
  });
  server.on('connection', (socket: net.Socket) => {
    open.set(socket, new Promise((resolve) => socket.once('close', () => (open.delete(socket), resolve()))));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    endpoint,
    url: new URL(endpoint),
    get requests() {
      return requests;
    },
    get openConnections() {
      return open.size;
    },
    nextRequest: () => {
      const ready = waiting.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => takers.push(resolve));
    },
    allClosed: async () => {
      await Promise.all(open.values());
    },
    close: async () => {
      for (const socket of open.keys()) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Holding servers started as a suite needs them, closed together when it ends (in its `after`). */
export function holdingServers(): { start(): Promise<HoldingServer>; closeAll(): Promise<void> } {
  const started: HoldingServer[] = [];
  return {
    start: async () => {
      const server = await startHoldingServer();
      started.push(server);
      return server;
    },
    closeAll: async () => {
      for (const server of started.splice(0)) await server.close();
    },
  };
}

/** Answers a held request as Lambda answers a synchronous call. */
export function answerAsLambda(response: http.ServerResponse, payload: unknown): void {
  const body = JSON.stringify(payload);
  response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'held-request', 'x-amz-executed-version': '$LATEST', 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/** Answers a held request as Lambda throttles a call: 429, TooManyRequestsException, Retry-After. */
export function answerThrottled(response: http.ServerResponse, retryAfterSeconds: number): void {
  const body = JSON.stringify({ Type: 'User', message: 'Rate exceeded', Reason: 'ConcurrentInvocationLimitExceeded' });
  response.writeHead(429, {
    'content-type': 'application/json',
    'x-amzn-requestid': 'held-request',
    'x-amzn-errortype': 'TooManyRequestsException',
    'retry-after': String(retryAfterSeconds),
    'content-length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
