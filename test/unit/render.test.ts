import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceError } from '../../src/engine/serviceErrorReader';
import { prettyJson } from '../../src/engine/invocationResult';
import { renderError, renderResult } from '../../src/engine/render';
import { type InvocationRequest, type InvocationResult, InvokeError, type ResolvedTarget } from '../../src/engine/types';

const bytes = (text: string) => new TextEncoder().encode(text);
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';

function request(overrides: Partial<InvocationRequest> = {}): InvocationRequest {
  return {
    name: 'get-user',
    index: 0,
    functionName: 'user-service',
    qualifier: 'prod',
    invocationType: 'RequestResponse',
    logType: 'None',
    payload: bytes('{"id":42}'),
    payloadSource: 'inline',
    ...overrides,
  };
}

function target(overrides: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return {
    region: 'eu-west-1',
    regionSource: 'AWS_REGION',
    profile: 'dev',
    profileSource: 'setting lambdaInvoke.profile',
    endpoint: new URL('https://lambda.eu-west-1.amazonaws.com'),
    endpointSource: 'the partition default',
    isDefaultEndpoint: true,
    partition: 'aws',
    credentials: () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN }),
    ...overrides,
  };
}

function result(overrides: Partial<InvocationResult> = {}): InvocationResult {
  const text = overrides.payloadText ?? '{"id":42,"name":"Ada"}';
  return {
    statusCode: 200,
    requestId: '6bc28136-2d9e-4c3a-9a1f-0e1d2c3b4a59',
    executedVersion: '7',
    headers: { 'x-amzn-requestid': '6bc28136-2d9e-4c3a-9a1f-0e1d2c3b4a59', 'x-amz-executed-version': '7' },
    payload: bytes(text),
    payloadText: text,
    payloadPretty: '{\n  "id": 42,\n  "name": "Ada"\n}',
    durationMs: 1234.5,
    bytesSent: 9,
    bytesReceived: 12345,
    attempts: [{ number: 1 }],
    ...overrides,
  };
}

/** The value on a `Label:   value` row. */
function row(text: string, label: string): string | undefined {
  const match = new RegExp(`^ {2}${label}: +(.*)$`, 'm').exec(text);
  return match?.[1];
}

function assertNoSecrets(text: string): void {
  for (const secret of [SECRET, TOKEN, 'AKIDEXAMPLE', 'hunter2', 'Signature=', 'Authorization']) assert.ok(!text.includes(secret), secret);
}

describe('renderResult', () => {
  test('a successful synchronous invocation', () => {
    const text = renderResult(request(), target(), result());
    const lines = text.split('\n');
    assert.equal(lines[0], '✔ get-user — 200 OK');
    assert.equal(row(text, 'Function'), 'user-service');
    assert.equal(row(text, 'Qualifier'), 'prod');
    assert.equal(row(text, 'Invocation'), 'RequestResponse');
    assert.equal(row(text, 'Region'), 'eu-west-1 (from AWS_REGION)');
    assert.equal(row(text, 'Profile'), 'dev (from setting lambdaInvoke.profile)');
    assert.equal(row(text, 'Endpoint'), undefined, 'the default endpoint is not shown');
    assert.equal(row(text, 'Status'), '200 OK');
    assert.equal(row(text, 'Request id'), '6bc28136-2d9e-4c3a-9a1f-0e1d2c3b4a59');
    assert.equal(row(text, 'Duration'), '1.23 s round trip');
    assert.equal(row(text, 'Sent'), '9 bytes (inline payload)');
    assert.equal(row(text, 'Received'), '12,345 bytes');
    assert.equal(row(text, 'Version'), '7');
    assert.equal(row(text, 'Attempts'), undefined, 'a single attempt is not listed');
    assert.ok(text.includes('\n  Payload (JSON):\n    {\n      "id": 42,\n      "name": "Ada"\n    }\n'), text);
    assert.ok(!/\d{4}-\d\d-\d\dT/.test(text), 'no timestamps');
    assert.ok(text.endsWith('\n'));
    assertNoSecrets(text);
  });

  test('the label is the function name without a name, wherever the invocation sits', () => {
    assert.match(renderResult(request({ name: undefined }), target(), result()), /^✔ user-service — 200 OK/);
    assert.match(renderResult(request({ name: undefined, index: 3 }), target(), result()), /^✔ user-service — 200 OK/);
  });

  test('a non-default endpoint is shown with its source, without user info', () => {
    const t = target({ endpoint: new URL('http://admin:hunter2@localhost:4566/base?token=abc'), endpointSource: 'AWS_ENDPOINT_URL', isDefaultEndpoint: false });
    const text = renderResult(request(), t, result());
    assert.equal(row(text, 'Endpoint'), 'http://localhost:4566/base (from AWS_ENDPOINT_URL); user info not shown');
    assert.ok(!text.includes('admin') && !text.includes('token=abc'));
    assertNoSecrets(text);
  });

  test('a function error is a FAILED invocation with type, message and stack trace', () => {
    const payload = '{"errorType":"ValueError","errorMessage":"bad id","stackTrace":["  File \\"/var/task/app.py\\", line 3, in handler\\n    raise ValueError(\\"bad id\\")\\n"]}';
    const text = renderResult(
      request({ logType: 'Tail' }),
      target(),
      result({
        functionError: 'Unhandled',
        payloadText: payload,
        payloadPretty: JSON.stringify(JSON.parse(payload), null, 2),
        errorDetails: {
          errorType: 'ValueError',
          errorMessage: 'bad id',
          stackTrace: ['  File "/var/task/app.py", line 3, in handler\n    raise ValueError("bad id")\n', 'Error: second\n    at handler (/var/task/index.js:3:9)'],
        },
        logTail: 'START RequestId: 6bc2 Version: 7\n[ERROR] ValueError: bad id\nEND RequestId: 6bc2\n',
      }),
    );
    assert.equal(text.split('\n')[0], '✖ get-user — FAILED: the function returned an error (Unhandled) — 200 OK');
    assert.ok(text.includes('\n  FAILED INVOCATION — the function ran and returned an error (Unhandled).\n'), text);
    assert.match(text, /^ {4}Error type: +ValueError$/m);
    assert.match(text, /^ {4}Error message: +bad id$/m);
    assert.ok(
      text.includes(
        '    Stack trace:\n' +
          '        File "/var/task/app.py", line 3, in handler\n' +
          '          raise ValueError("bad id")\n' +
          '      Error: second\n' +
          '          at handler (/var/task/index.js:3:9)\n',
      ),
      text,
    );
    assert.ok(text.includes('  Log tail (last 4 KB):\n    START RequestId: 6bc2 Version: 7\n    [ERROR] ValueError: bad id\n    END RequestId: 6bc2\n\n'), text);
  });

  test('a function error without details points at the payload', () => {
    const text = renderResult(request(), target(), result({ functionError: 'Unhandled', payloadText: 'Task timed out', payloadPretty: undefined, payload: bytes('Task timed out') }));
    assert.match(text, /The error payload is below\./);
    assert.match(text, /Payload \(text, not JSON\):\n {4}Task timed out\n/);
  });

  test('a 6 MB JSON response of a million lines renders (re-indented, digits kept), without overflowing the stack', () => {
    const text = JSON.stringify({ items: Array.from({ length: 150_000 }, (_, i) => ({ id: i, big: 'BIG', price: 'PRICE' })) })
      .replace(/"BIG"/g, '12345678901234567890')
      .replace(/"PRICE"/g, '1.50');
    const pretty = prettyJson(text);
    assert.ok(pretty !== undefined && pretty.split('\n').length > 600_000, 'one line per member');
    assert.ok(pretty.includes('"big": 12345678901234567890') && pretty.includes('"price": 1.50'), 'numbers as returned');
    const rendered = renderResult(request(), target(), result({ payloadText: text, payloadPretty: pretty, payload: bytes(text) }));
    assert.ok(rendered.endsWith('      ]\n    }\n') && rendered.includes('"price": 1.50'), rendered.slice(-40));
    const capped = renderResult(request(), target(), result({ payloadText: text, payloadPretty: pretty, payload: bytes(text) }), { payloadLimit: 256 * 1024 });
    assert.match(capped, /Payload: [\d,]+ bytes of JSON, too long to copy here: it is in the result tab\.\n$/);
  });

  test('an Event invocation: 202 Accepted (queued), no payload section', () => {
    const text = renderResult(
      request({ invocationType: 'Event' }),
      target(),
      result({ statusCode: 202, executedVersion: undefined, payload: new Uint8Array(), payloadText: '', payloadPretty: undefined, bytesReceived: 0 }),
    );
    assert.equal(text.split('\n')[0], '✔ get-user — 202 Accepted (queued)');
    assert.equal(row(text, 'Invocation'), 'Event');
    assert.equal(row(text, 'Status'), '202 Accepted (queued)');
    assert.equal(row(text, 'Version'), undefined);
    assert.match(text, /Lambda queued the event; the function runs on its own\./);
    assert.ok(!text.includes('Payload'), text);
  });

  test('a DryRun: 204 No Content (dry run passed)', () => {
    const text = renderResult(
      request({ invocationType: 'DryRun' }),
      target(),
      result({ statusCode: 204, payload: new Uint8Array(), payloadText: '', payloadPretty: undefined }),
    );
    assert.equal(text.split('\n')[0], '✔ get-user — 204 No Content (dry run passed)');
    assert.match(text, /the function did not run\./);
    assert.ok(!text.includes('Payload'), text);
  });

  test('a payload that is not JSON is shown as text, line by line', () => {
    const text = renderResult(request(), target(), result({ payload: bytes('hello\nworld'), payloadText: 'hello\nworld', payloadPretty: undefined }));
    assert.ok(text.includes('  Payload (text, not JSON):\n    hello\n    world\n'), text);
  });

  test('an empty 200 payload', () => {
    const text = renderResult(request(), target(), result({ payload: new Uint8Array(), payloadText: '', payloadPretty: undefined }));
    assert.match(text, /Payload: \(empty\)/);
  });

  test('the log tail, indented; or why there is none', () => {
    const withTail = renderResult(request({ logType: 'Tail' }), target(), result({ logTail: 'START\r\nline two\r\nEND\r\n' }));
    assert.equal(row(withTail, 'Invocation'), 'RequestResponse, log Tail');
    assert.ok(withTail.includes('  Log tail (last 4 KB):\n    START\n    line two\n    END\n\n  Payload'), withTail);
    assert.match(renderResult(request({ logType: 'Tail' }), target(), result()), /Log tail: none returned\./);
    const event = renderResult(
      request({ logType: 'Tail', invocationType: 'Event' }),
      target(),
      result({ statusCode: 202, payload: new Uint8Array(), payloadText: '', payloadPretty: undefined }),
    );
    assert.match(event, /Log tail: Lambda returns it for RequestResponse invocations only\./);
    assert.ok(!renderResult(request(), target(), result()).includes('Log tail'));
  });

  test('retries are listed with their reasons and waits', () => {
    const text = renderResult(
      request(),
      target(),
      result({
        attempts: [
          { number: 1, retryReason: 'throttled (429 TooManyRequestsException)', delayMs: 1500 },
          { number: 2, retryReason: 'could not connect (ECONNREFUSED)', delayMs: 250 },
          { number: 3 },
        ],
      }),
    );
    assert.ok(
      text.includes(
        '  Attempts:   3\n' +
          '              1: throttled (429 TooManyRequestsException), retried after 1.5 s\n' +
          '              2: could not connect (ECONNREFUSED), retried after 250 ms\n' +
          '              3: final\n',
      ),
      text,
    );
  });

  test('durable execution, tenant, payload file and long durations', () => {
    const text = renderResult(
      request({ tenantId: 'acme', durableExecutionName: 'order-1', payloadSource: { file: '/ws/payloads/order.json' } }),
      target(),
      result({ durableExecutionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f:7/durable-execution/order-1/abc', durationMs: 754_300 }),
    );
    assert.equal(row(text, 'Durable execution'), 'arn:aws:lambda:eu-west-1:123456789012:function:f:7/durable-execution/order-1/abc');
    assert.equal(row(text, 'Tenant'), 'acme');
    assert.equal(row(text, 'Durable name'), 'order-1');
    assert.equal(row(text, 'Sent'), '9 bytes (payload file /ws/payloads/order.json)');
    assert.equal(row(text, 'Duration'), '12 min 34.3 s round trip');
  });
});

describe('renderError', () => {
  test('a service error: name and status in the header, message, hint, request id', () => {
    const error = serviceError(
      404,
      { 'x-amzn-errortype': 'ResourceNotFoundException', 'x-amzn-requestid': 'req-404' },
      bytes('{"Type":"User","Message":"Function not found: arn:aws:lambda:eu-west-1:123456789012:function:user-service:prod"}'),
    );
    const text = renderError(request(), target(), error);
    assert.equal(text.split('\n')[0], '✖ get-user — ResourceNotFoundException (HTTP 404 Not Found)');
    assert.equal(row(text, 'Function'), 'user-service');
    assert.equal(row(text, 'Region'), 'eu-west-1 (from AWS_REGION)');
    assert.match(row(text, 'Error') ?? '', /^ResourceNotFoundException: Function not found: arn:.* — Lambda found no such function/);
    assert.match(row(text, 'What to do') ?? '', /function name, the qualifier .* region and the account/);
    assert.equal(row(text, 'Status'), 'HTTP 404 Not Found');
    assert.equal(row(text, 'Error type'), 'ResourceNotFoundException');
    assert.equal(row(text, 'Request id'), 'req-404');
    assert.ok(!text.includes('may have run'));
    assertNoSecrets(text);
  });

  test('an error after sending warns that the function may have run', () => {
    const error = serviceError(500, { 'x-amzn-errortype': 'ServiceException' }, bytes('{"Message":"internal"}'), 'req-500');
    const text = renderError(request(), target(), error);
    assert.match(text, /\n\n {2}⚠ The request was sent, so the function may have run\. Check its logs before invoking again: a retry could run it twice\.\n/);
    const timeout = new InvokeError('timeout', 'No answer within 16 minutes after the request was sent.', { mayHaveRun: true, hint: 'Do not simply retry.' });
    const timeoutText = renderError(request(), target(), timeout);
    assert.equal(timeoutText.split('\n')[0], '✖ get-user — no answer in time');
    assert.match(timeoutText, /may have run/);
  });

  test('a validation error lists its diagnostics; nothing about a target it never reached', () => {
    const error = new InvokeError('validation', 'Not sent: the invocation has 2 errors that Lambda would reject.', {
      diagnostics: ['/ws/a.invoke.json:3:17: error qualifier-pattern Qualifier must match …', '/ws/a.invoke.json:5:3: error payload-too-large Payload is 7 MB'],
    });
    const text = renderError(request(), undefined, error);
    assert.equal(text.split('\n')[0], '✖ get-user — not sent: the invocation has errors');
    assert.equal(row(text, 'Region'), undefined);
    assert.ok(
      text.endsWith(
        '\n  Diagnostics:\n    /ws/a.invoke.json:3:17: error qualifier-pattern Qualifier must match …\n    /ws/a.invoke.json:5:3: error payload-too-large Payload is 7 MB\n',
      ),
      text,
    );
  });

  test('without a request or target', () => {
    const text = renderError(undefined, undefined, new InvokeError('configuration', 'No region found.', { hint: 'Set lambdaInvoke.region.' }));
    assert.equal(text, '✖ Lambda Invoke — not sent: configuration problem\n  Error:      No region found.\n  What to do: Set lambdaInvoke.region.\n');
  });

  test('a proxy page is not called a Lambda error in the header', () => {
    const error = serviceError(502, { 'content-type': 'text/html' }, bytes('<html><title>Bad Gateway</title></html>'));
    const text = renderError(request(), target(), error);
    assert.equal(text.split('\n')[0], '✖ get-user — HTTP 502 Bad Gateway');
    assert.match(row(text, 'Error') ?? '', /something between you and Lambda/);
  });

  test('retries before the failure are listed', () => {
    const error = new InvokeError('service', 'TooManyRequestsException: Rate exceeded', {
      errorType: 'TooManyRequestsException',
      statusCode: 429,
      attempts: [
        { number: 1, retryReason: 'throttled', delayMs: 1000 },
        { number: 2, retryReason: 'throttled', delayMs: 2000 },
        { number: 3 },
      ],
    });
    const text = renderError(request(), target(), error);
    assert.equal(row(text, 'Attempts'), '3');
    assert.match(text, /1: throttled, retried after 1 s\n +2: throttled, retried after 2 s\n +3: final\n/);
  });

  test('every kind has a title', () => {
    for (const kind of ['validation', 'configuration', 'credentials', 'service', 'network', 'timeout', 'cancelled'] as const) {
      const first = renderError(request(), undefined, new InvokeError(kind, 'm')).split('\n')[0] ?? '';
      assert.match(first, /^✖ get-user — \S/, kind);
      assert.ok(!first.includes('undefined'), kind);
    }
  });
});
