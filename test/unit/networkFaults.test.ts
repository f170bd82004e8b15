/**
 * Network faults against the invoke engine: every failure ends in one specific InvokeError,
 * nothing is sent twice except a throttled request, and no promise is left rejected unhandled.
 * Servers here are scripted per test; waits are for server events or short client timeouts.
 */
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { invoke } from '../../src/engine/invoke';
import { SYNC_RESPONSE_TIMEOUT_MS } from '../../src/engine/transport';
import type { InvocationRequest, InvokeOptions } from '../../src/engine/types';
import { invocationRequest, invokeFailure, recordingDelay, testTarget } from './engineFixtures';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
afterEach(() => assert.deepEqual(unhandled, [], 'no unhandled rejection'));

const target = testTarget;

const request = (overrides: Partial<InvocationRequest> = {}): InvocationRequest => invocationRequest(overrides);


const failure = invokeFailure;

/** A server scripted per test, counting connections and complete requests. */
interface Stub {
  url: URL;
  connections: number;
  requests: number;
  close(): Promise<void>;
}

const open: Stub[] = [];
after(async () => {
  for (const stub of open.splice(0)) await stub.close();
});

async function listen(server: net.Server, protocol: 'http' | 'https'): Promise<Stub> {
  const sockets = new Set<net.Socket>();
  const stub: Stub = {
    url: new URL('http://127.0.0.1'),
    connections: 0,
    requests: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on(protocol === 'https' ? 'secureConnection' : 'connection', () => stub.connections++);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', () => stub.requests++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = new URL(`${protocol}://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
  open.push(stub);
  return stub;
}

/** An HTTP server that reads each request's body and then calls `answer`. */
function httpStub(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Stub> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  return listen(server, 'http');
}

function reply(res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { 'content-length': String(bytes.length), 'x-amzn-requestid': 'req-fault', ...headers });
  res.end(bytes);
}

describe('connection faults', () => {
  test('connection refused: retried (nothing was sent), then reported with what to do', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(new URL(`http://127.0.0.1:${port}`)), { delay }));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /Connection refused by http:\/\/127\.0\.0\.1:\d+: nothing is listening there/);
    assert.match(e.details.hint ?? '', /Start the endpoint/);
    assert.notEqual(e.details.mayHaveRun, true);
    assert.equal(e.details.attempts?.length, 3);
    assert.equal(delays.length, 2);
  });

  test('DNS failure: a host that never resolves is reported as such, within the connect timeout', async () => {
    const { delay } = recordingDelay();
    const e = await failure(invoke(request(), target(new URL('http://lambda-invoke-test.invalid')), { delay, connectTimeoutMs: 1000 }));
    assert.equal(e.kind, 'network');
    // Offline machines may answer EAI_AGAIN, or not at all (then the connect timeout speaks).
    assert.match(e.message, /lambda-invoke-test\.invalid.*(could not be found \(DNS\)|could not be looked up|within 1 s)|could not be (found|looked up).*DNS/);
    assert.notEqual(e.details.mayHaveRun, true);
  });

  test('TLS failure: https:// addressed to a plain http server says so and is not retried', async () => {
    const stub = await httpStub((_req, res) => reply(res, 200, '{}'));
    const https = new URL(stub.url.href.replace(/^http:/, 'https:'));
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(https), { delay }));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed \(is it an http:\/\/ endpoint addressed as https:\/\/\?\)/);
    assert.match(e.details.hint ?? '', /http or https/);
    assert.notEqual(e.details.mayHaveRun, true, 'a failed handshake delivered nothing');
    assert.equal(stub.requests, 0);
    assert.deepEqual(delays, []);
  });

  test('TLS failure: a self-signed certificate is not trusted', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-tls-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    const made = await new Promise<boolean>((resolve) =>
      execFile(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-days', '1'],
        { timeout: 20_000 },
        (error) => resolve(error === null),
      ),
    );
    if (!made) {
      t.skip('openssl could not make a certificate here');
      return;
    }
    const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
      req.resume();
      req.on('end', () => reply(res, 200, '{}'));
    });
    const stub = await listen(server, 'https');
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(stub.url), { delay }));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /TLS certificate of https:\/\/127\.0\.0\.1:\d+ is self-signed and not trusted/);
    assert.notEqual(e.details.mayHaveRun, true, 'a failed handshake delivered nothing');
    assert.doesNotMatch(e.message, /may have run/);
    assert.equal(stub.requests, 0, 'nothing reached the server');
    assert.deepEqual(delays, []);
  });

  test('reset before the body was sent: retried, then reported; the function did not run', async () => {
    const server = net.createServer((socket) => socket.resetAndDestroy());
    const stub = await listen(server, 'http');
    const { delays, delay } = recordingDelay();
    const reasons: string[] = [];
    // Far more than the loopback buffers hold, so the body cannot have left before the reset.
    const big = Buffer.alloc(32 * 1024 * 1024, 0x20);
    const e = await failure(invoke(request({ payload: big }), target(stub.url), { delay, onAttempt: (a) => reasons.push(a.retryReason ?? '') }));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /connection to http:\/\/127\.0\.0\.1:\d+ was (reset|closed while sending)/);
    assert.doesNotMatch(e.message, /may have run/);
    assert.notEqual(e.details.mayHaveRun, true);
    assert.equal(stub.connections, 3, 'three tries, each a new connection');
    assert.equal(delays.length, 2);
    assert.ok(reasons.every((r) => /could not connect/.test(r)), reasons.join('; '));
  });

  test('reset after the body was sent: not retried, and the function may have run', async () => {
    const server = http.createServer((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    const stub = await listen(server, 'http');
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(stub.url), { delay }));
    assert.equal(e.kind, 'network');
    assert.equal(e.details.mayHaveRun, true);
    assert.match(e.message, /The request had been sent, so the function may have run/);
    assert.equal(stub.requests, 1);
    assert.deepEqual(delays, []);
  });
});

describe('a server that never answers', () => {
  test('cancel aborts the call and says the function may still be running', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const stub = await httpStub(() => arrived());
    const controller = new AbortController();
    const pending = failure(invoke(request(), target(stub.url), { signal: controller.signal }));
    await received;
    controller.abort();
    const e = await pending;
    assert.equal(e.kind, 'cancelled');
    assert.equal(e.details.mayHaveRun, true);
    assert.match(e.message, /Cancelled after the request was sent: the function may still be running/);
    assert.equal(stub.requests, 1);
  });

  test('the response timeout says the request was sent and nothing came back; not retried', async () => {
    const stub = await httpStub(() => undefined);
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(stub.url), { delay, responseTimeoutMs: 200 }));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /No answer from http:\/\/127\.0\.0\.1:\d+: the request was sent/);
    assert.equal(e.details.mayHaveRun, true);
    assert.match(e.details.hint ?? '', /may have run/);
    assert.equal(stub.requests, 1);
    assert.deepEqual(delays, []);
  });
});

describe('broken and unusual responses', () => {
  test('a response cut off mid-body is a network error after sending, not retried', async () => {
    const stub = await httpStub((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(10, 0x61), () => res.destroy());
    });
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(stub.url), { delay }));
    assert.equal(e.kind, 'network');
    assert.equal(e.details.mayHaveRun, true);
    assert.match(e.message, /http:\/\/127\.0\.0\.1:\d+/);
    assert.match(e.message, /may have run/);
    assert.equal(stub.requests, 1);
    assert.deepEqual(delays, []);
  });

  test('a 6 MB response body is read to the last byte', async () => {
    const body = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = 0x61 + (i % 26);
    const stub = await httpStub((_req, res) => reply(res, 200, body));
    const result = await invoke(request(), target(stub.url));
    assert.equal(result.bytesReceived, body.length);
    assert.ok(Buffer.from(result.payload).equals(body), 'payload bytes as sent');
    assert.equal(stub.requests, 1);
  });

  test('a malformed error body (500 with "{") is reported by status, not a parse crash', async () => {
    const stub = await httpStub((_req, res) => reply(res, 500, '{', { 'content-type': 'application/json' }));
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(stub.url), { delay }));
    assert.equal(e.kind, 'service');
    assert.equal(e.details.statusCode, 500);
    assert.match(e.message, /HTTP 500 Internal Server Error/);
    assert.match(e.message, /non-JSON body/);
    assert.equal(stub.requests, 1);
    assert.deepEqual(delays, []);
  });

  test('an empty error body is reported by status', async () => {
    const stub = await httpStub((_req, res) => reply(res, 500, ''));
    const e = await failure(invoke(request(), target(stub.url), { delay: recordingDelay().delay }));
    assert.equal(e.kind, 'service');
    assert.equal(e.details.statusCode, 500);
    assert.match(e.message, /^HTTP 500 Internal Server Error/);
    assert.equal(e.details.requestId, 'req-fault');
    assert.equal(stub.requests, 1);
  });

  test('HTML from a proxy (502 text/html) is named as such, with the page title', async () => {
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    const stub = await httpStub((_req, res) => reply(res, 502, page, { 'content-type': 'text/html' }));
    const e = await failure(invoke(request(), target(stub.url), { delay: recordingDelay().delay }));
    assert.equal(e.kind, 'service');
    assert.equal(e.details.statusCode, 502);
    assert.match(e.message, /HTTP 502 Bad Gateway with an HTML page from something between you and Lambda/);
    assert.match(e.message, /"502 Bad Gateway"/);
    assert.doesNotMatch(e.message, /<html|<title/);
    assert.match(e.details.hint ?? '', /proxy/);
    assert.equal(stub.requests, 1);
  });
});

describe('throttles and server errors: only a throttle is sent twice', () => {
  const throttled = { 'x-amzn-errortype': 'TooManyRequestsException', 'content-type': 'application/json' };

  test('429 with Retry-After waits what it says, then succeeds', async () => {
    let n = 0;
    const stub = await httpStub((_req, res) => (++n === 1 ? reply(res, 429, '{"message":"Rate exceeded"}', { ...throttled, 'retry-after': '3' }) : reply(res, 200, '"ok"')));
    const { delays, delay } = recordingDelay();
    const result = await invoke(request(), target(stub.url), { delay });
    assert.equal(result.payloadText, '"ok"');
    assert.deepEqual(delays, [3000]);
    assert.equal(stub.requests, 2);
    assert.equal(result.attempts.length, 2);
    assert.match(result.attempts[0]!.retryReason ?? '', /throttled \(429 TooManyRequestsException\)/);
  });

  test('429 without Retry-After backs off exponentially, then reports the throttle', async () => {
    const stub = await httpStub((_req, res) => reply(res, 429, '{"message":"Rate exceeded","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}', throttled));
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(stub.url), { delay }));
    assert.equal(e.kind, 'service');
    assert.equal(e.details.errorType, 'TooManyRequestsException');
    assert.match(e.message, /Rate exceeded/);
    assert.deepEqual(delays, [1000, 2000]);
    assert.equal(stub.requests, 3);
  });

  for (const [status, errorType] of [
    [500, 'ServiceException'],
    [502, 'EC2UnexpectedException'],
    [503, undefined],
  ] as const) {
    test(`${status} is reported once and never sent again`, async () => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (errorType) headers['x-amzn-errortype'] = errorType;
      const stub = await httpStub((_req, res) => reply(res, status, '{"message":"something broke"}', headers));
      const { delays, delay } = recordingDelay();
      const e = await failure(invoke(request(), target(stub.url), { delay }));
      assert.equal(e.kind, 'service');
      assert.equal(e.details.statusCode, status);
      if (errorType) assert.equal(e.details.errorType, errorType);
      else assert.match(e.message, new RegExp(`^HTTP ${status}`));
      assert.match(e.message, /something broke/);
      assert.equal(stub.requests, 1, 'not retried');
      assert.deepEqual(delays, []);
    });
  }
});

describe('long calls', () => {
  test('an answer slower than the connect timeout but within the response timeout succeeds', async () => {
    let waited = 0;
    const stub = await httpStub((_req, res) => {
      const start = performance.now();
      // The server takes its time: well past the client's 50 ms connect timeout.
      setTimeout(() => {
        waited = performance.now() - start;
        reply(res, 200, '"slow but fine"');
      }, 250);
    });
    const options: InvokeOptions = { connectTimeoutMs: 50, responseTimeoutMs: 5000, delay: recordingDelay().delay };
    const result = await invoke(request(), target(stub.url), options);
    assert.ok(waited >= 50, `the server answered after ${waited} ms`);
    assert.equal(result.payloadText, '"slow but fine"');
    assert.equal(stub.requests, 1);
  });

  test('the default response timeout of a synchronous call outlasts a 15-minute function', () => {
    assert.ok(SYNC_RESPONSE_TIMEOUT_MS >= 15 * 60_000, `${SYNC_RESPONSE_TIMEOUT_MS} ms`);
  });
});
