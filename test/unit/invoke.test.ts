import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invoke } from '../../src/engine/invoke';
import type { InvocationRequest } from '../../src/engine/types';
import { invocationRequest, invokeFailure, recordingDelay, testTarget } from './engineFixtures';
import { RecordingEndpoint, TEST_CREDENTIALS, verifySignature } from './recordingEndpoint';

const target = testTarget;

const request = (overrides: Partial<InvocationRequest> = {}): InvocationRequest => invocationRequest(overrides);


const failure = invokeFailure;

const endpoint = new RecordingEndpoint();
let url: URL;

before(async () => {
  url = await endpoint.start();
});
after(() => endpoint.stop());
beforeEach(() => {
  endpoint.requests.length = 0;
  endpoint.responder = () => ({ status: 200, body: '{}' });
});

describe('the request on the wire', () => {
  test('method, path, query, every header and the exact body bytes; the signature verifies with aws4', async () => {
    const payload = '{"id": 12345678901234567890, "total": 1.50,\n  "name": "Zoë 😀 東京"}';
    await invoke(
      request({
        functionName: 'arn:aws:lambda:us-west-2:123456789012:function:orders',
        qualifier: '$LATEST',
        logType: 'Tail',
        clientContext: Buffer.from('{"custom":{"a":1}}').toString('base64'),
        tenantId: 'tenant one/a=b+c@d',
        durableExecutionName: 'run-42',
        payload: Buffer.from(payload, 'utf8'),
      }),
      target(url),
    );
    assert.equal(endpoint.requests.length, 1);
    const r = endpoint.requests[0]!;
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Aorders/invocations?Qualifier=%24LATEST');
    assert.equal(r.headers['x-amz-invocation-type'], 'RequestResponse');
    assert.equal(r.headers['x-amz-log-type'], 'Tail');
    assert.equal(r.headers['x-amz-client-context'], 'eyJjdXN0b20iOnsiYSI6MX19');
    assert.equal(r.headers['x-amz-tenant-id'], 'tenant one/a=b+c@d');
    assert.equal(r.headers['x-amz-durable-execution-name'], 'run-42');
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(payload)));
    assert.equal(r.headers['x-amz-security-token'], TEST_CREDENTIALS.sessionToken);
    assert.match(String(r.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDTESTEXAMPLE0001\/\d{8}\/us-west-2\/lambda\/aws4_request, SignedHeaders=/);
    // The payload arrives byte for byte as written: big integers, trailing zeros, spacing, UTF-8.
    assert.deepEqual(r.body, Buffer.from(payload, 'utf8'));
    const check = verifySignature(r, 'us-west-2');
    assert.ok(check.ok, `signature ${check.actual} does not verify (aws4 computes ${check.expected})`);
  });

  test('optional headers and the query are absent when not set', async () => {
    await invoke(request({ functionName: 'my-function:v2' }), target(url));
    const r = endpoint.requests[0]!;
    assert.equal(r.url, '/2015-03-31/functions/my-function%3Av2/invocations');
    for (const name of ['x-amz-log-type', 'x-amz-client-context', 'x-amz-tenant-id', 'x-amz-durable-execution-name']) {
      assert.equal(r.headers[name], undefined, `${name} must not be sent`);
    }
    assert.ok(verifySignature(r, 'us-west-2').ok);
  });

  test('an endpoint with a path prefix keeps it; the signature covers it', async () => {
    await invoke(request(), target(new URL('/prefix/', url), 'eu-central-1'));
    const r = endpoint.requests[0]!;
    assert.equal(r.url, '/prefix/2015-03-31/functions/my-function/invocations');
    assert.ok(verifySignature(r, 'eu-central-1').ok);
  });

  test('an empty payload sends an empty body', async () => {
    await invoke(request({ payload: new Uint8Array(0), payloadSource: 'none' }), target(url));
    assert.equal(endpoint.requests[0]!.body.length, 0);
    assert.equal(endpoint.requests[0]!.headers['content-length'], '0');
  });
});

describe('the response', () => {
  test('status, request id, executed version, decoded log tail, payload as returned and pretty-printed', async () => {
    const log = 'START RequestId: abc Version: 7\nhello from the function\nEND RequestId: abc\n';
    endpoint.responder = () => ({
      status: 200,
      headers: { 'x-amz-executed-version': '7', 'x-amz-log-result': Buffer.from(log).toString('base64') },
      body: '{"big":12345678901234567890,"price":1.50}',
    });
    const result = await invoke(request({ logType: 'Tail' }), target(url));
    assert.equal(result.statusCode, 200);
    assert.equal(result.requestId, 'req-1');
    assert.equal(result.executedVersion, '7');
    assert.equal(result.logTail, log);
    assert.equal(result.payloadText, '{"big":12345678901234567890,"price":1.50}');
    // Pretty-printing keeps numbers exactly as the function returned them.
    assert.equal(result.payloadPretty, '{\n  "big": 12345678901234567890,\n  "price": 1.50\n}');
    assert.equal(result.functionError, undefined);
    assert.equal(result.bytesSent, Buffer.byteLength('{"hello": "world"}'));
    assert.equal(result.bytesReceived, Buffer.byteLength('{"big":12345678901234567890,"price":1.50}'));
    assert.equal(result.attempts.length, 1);
  });

  test('a function error is a 200 with X-Amz-Function-Error; its type, message and trace are read', async () => {
    endpoint.responder = () => ({
      status: 200,
      headers: { 'x-amz-function-error': 'Unhandled' },
      body: JSON.stringify({ errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'id')", trace: ['TypeError: …', '    at handler (/var/task/index.js:3:20)'] }),
    });
    const result = await invoke(request(), target(url));
    assert.equal(result.functionError, 'Unhandled');
    assert.deepEqual(result.errorDetails, {
      errorType: 'TypeError',
      errorMessage: "Cannot read properties of undefined (reading 'id')",
      stackTrace: ['TypeError: …', '    at handler (/var/task/index.js:3:20)'],
    });
  });

  test('Event answers 202 and DryRun 204, with empty bodies', async () => {
    endpoint.responder = (r) => ({ status: r.headers['x-amz-invocation-type'] === 'Event' ? 202 : 204 });
    const queued = await invoke(request({ invocationType: 'Event' }), target(url));
    assert.equal(queued.statusCode, 202);
    assert.equal(queued.payloadPretty, undefined);
    const dry = await invoke(request({ invocationType: 'DryRun' }), target(url));
    assert.equal(dry.statusCode, 204);
    assert.deepEqual(endpoint.requests.map((r) => r.headers['x-amz-invocation-type']), ['Event', 'DryRun']);
  });

  test('a non-JSON body is kept as text', async () => {
    endpoint.responder = () => ({ status: 200, body: 'plain words' });
    const result = await invoke(request(), target(url));
    assert.equal(result.payloadText, 'plain words');
    assert.equal(result.payloadPretty, undefined);
  });

  test('a service error becomes an InvokeError with its type, status, request id and what to do', async () => {
    endpoint.responder = () => ({
      status: 404,
      headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/' },
      body: JSON.stringify({ Type: 'User', Message: 'Function not found: arn:aws:lambda:us-west-2:123456789012:function:nope' }),
    });
    const e = await failure(invoke(request({ functionName: 'nope' }), target(url)));
    assert.equal(e.kind, 'service');
    assert.equal(e.details.errorType, 'ResourceNotFoundException');
    assert.equal(e.details.statusCode, 404);
    assert.equal(e.details.requestId, 'req-1');
    assert.match(e.message, /Function not found/);
    assert.ok(e.details.hint && /region/i.test(e.details.hint), `the hint should point at the region: ${e.details.hint}`);
    assert.equal(endpoint.requests.length, 1, 'a service error is not retried');
  });
});

describe('retries: only what did not run', () => {
  test('a throttled call is retried after Retry-After, each attempt reported', async () => {
    endpoint.responder = (_r, n) =>
      n === 1
        ? { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException', 'retry-after': '2' }, body: '{"message":"Rate exceeded","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}' }
        : { status: 200, body: '"ok"' };
    const { delays, delay } = recordingDelay();
    const reported: string[] = [];
    const result = await invoke(request(), target(url), { delay, onAttempt: (a) => reported.push(`${a.number}: ${a.retryReason ?? ''}`) });
    assert.equal(result.payloadText, '"ok"');
    assert.deepEqual(delays, [2000]);
    assert.equal(endpoint.requests.length, 2);
    assert.equal(reported.length, 1);
    assert.match(reported[0]!, /^1: throttled/);
    assert.equal(result.attempts.length, 2);
    // Each try is signed anew and verifies.
    assert.ok(endpoint.requests.every((r) => verifySignature(r, 'us-west-2').ok));
  });

  test('a call throttled every time gives up after three tries and says so', async () => {
    endpoint.responder = () => ({ status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' }, body: '{"message":"Rate exceeded"}' });
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(url), { delay }));
    assert.equal(e.kind, 'service');
    assert.equal(e.details.errorType, 'TooManyRequestsException');
    assert.equal(endpoint.requests.length, 3);
    assert.equal(delays.length, 2);
    assert.equal(e.details.attempts?.length, 3);
  });

  test('a call that was sent and then timed out is not retried: the function may have run', async () => {
    endpoint.responder = () => ({ status: 200, hang: true });
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(url), { delay, responseTimeoutMs: 300 }));
    assert.equal(e.kind, 'timeout');
    assert.equal(e.details.mayHaveRun, true);
    assert.match(e.details.hint ?? '', /may have run/);
    assert.equal(endpoint.requests.length, 1);
    assert.deepEqual(delays, []);
  });

  test('a connection reset after the body was sent is not retried', async () => {
    const resetting = http.createServer((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    let received = 0;
    resetting.on('request', () => received++);
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const port = (resetting.address() as AddressInfo).port;
    try {
      const { delay } = recordingDelay();
      const e = await failure(invoke(request(), target(new URL(`http://127.0.0.1:${port}`)), { delay }));
      assert.equal(e.kind, 'network');
      assert.equal(e.details.mayHaveRun, true);
      assert.match(e.message, /may have run/);
      assert.equal(received, 1);
    } finally {
      resetting.closeAllConnections();
      await new Promise<void>((resolve) => resetting.close(() => resolve()));
    }
  });

  test('connection refused is retried (nothing was sent), then reported with what to do', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { delays, delay } = recordingDelay();
    const e = await failure(invoke(request(), target(new URL(`http://127.0.0.1:${port}`)), { delay }));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /Connection refused/);
    assert.match(e.details.hint ?? '', /Start the endpoint/);
    assert.equal(e.details.mayHaveRun, undefined);
    assert.equal(delays.length, 2, 'three tries in all');
  });
});

describe('cancellation', () => {
  test('cancel aborts a request in flight and says the function may still be running', async () => {
    endpoint.responder = () => ({ status: 200, hang: true });
    const controller = new AbortController();
    const arrived = endpoint.nextRequest();
    const pending = failure(invoke(request(), target(url), { signal: controller.signal }));
    await arrived;
    controller.abort();
    const e = await pending;
    assert.equal(e.kind, 'cancelled');
    assert.equal(e.details.mayHaveRun, true);
    assert.match(e.message, /may still be running/);
    assert.equal(endpoint.requests.length, 1);
  });

  test('cancel before sending sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await failure(invoke(request(), target(url), { signal: controller.signal }));
    assert.equal(e.kind, 'cancelled');
    assert.equal(e.details.mayHaveRun, false);
    assert.match(e.message, /did not run/);
    assert.equal(endpoint.requests.length, 0);
  });
});
