/**
 * The catalogue's reads behind the result view (src/engine/catalog) against a recording Lambda
 * control plane answering REST-JSON: a durable execution's status, outcome and whole history
 * (pages followed) as plain data with ISO times and one-line event details, which statuses end
 * the watch, and failures that say what happened; and where a function logs (its LoggingConfig
 * for the invoked qualifier, else Lambda's default with the reason).
 */
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DurableReadError, describeDurableExecution, functionLogLocation, isTerminalDurableStatus } from '../../src/engine/catalog/index';
import { isolatedAwsEnv, testTarget } from './engineFixtures';
import { type RecordedRequest, RecordingEndpoint, type ScriptedResponse, TEST_CREDENTIALS } from './recordingEndpoint';

const REGION = 'us-west-2';
const ARN = 'arn:aws:lambda:us-west-2:123456789012:function:orders:$LATEST/durable-execution/order-42/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0) / 1000;

let lambda: RecordingEndpoint;
let url: URL;
let home: string;
const savedEnv = process.env;

before(async () => {
  lambda = new RecordingEndpoint();
  url = await lambda.start();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-durable-'));
});
after(async () => {
  await lambda.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  lambda.requests.length = 0;
  process.env = isolatedAwsEnv(home, TEST_CREDENTIALS, REGION);
});
afterEach(() => {
  process.env = savedEnv;
});

function json(body: unknown): ScriptedResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function serviceError(status: number, type: string, message: string): ScriptedResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ Type: 'User', Message: message }) };
}

const EXECUTION = {
  DurableExecutionArn: ARN,
  DurableExecutionName: 'order-42',
  FunctionArn: 'arn:aws:lambda:us-west-2:123456789012:function:orders:$LATEST',
  Status: 'FAILED',
  StartTimestamp: T0,
  EndTimestamp: T0 + 90,
  Version: '$LATEST',
  Error: { ErrorType: 'PaymentDeclined', ErrorMessage: 'card expired' },
};

const PAGE_ONE = {
  Events: [
    { EventId: 1, EventType: 'ExecutionStarted', EventTimestamp: T0, ExecutionStartedDetails: { Input: { Payload: '{"order":42}' }, ExecutionTimeout: 3600 } },
    { EventId: 2, EventType: 'StepSucceeded', Name: 'reserve', SubType: 'Step', EventTimestamp: T0 + 1, StepSucceededDetails: { Result: { Payload: '"reserved"' }, RetryDetails: { CurrentAttempt: 1 } } },
    { EventId: 3, EventType: 'WaitStarted', Name: 'cool-off', EventTimestamp: T0 + 2, WaitStartedDetails: { Duration: 60, ScheduledEndTimestamp: T0 + 62 } },
  ],
  NextMarker: 'page-2',
};
const PAGE_TWO = {
  Events: [
    { EventId: 4, EventType: 'StepFailed', Name: 'charge', EventTimestamp: T0 + 63, StepFailedDetails: { Error: { Payload: { ErrorType: 'PaymentDeclined', ErrorMessage: 'card\nexpired' } }, RetryDetails: { CurrentAttempt: 3, NextAttemptDelaySeconds: 10 } } },
    { EventId: 5, EventType: 'ExecutionFailed', EventTimestamp: T0 + 90, ExecutionFailedDetails: { Error: { Payload: { ErrorType: 'PaymentDeclined', ErrorMessage: 'card expired' } } } },
  ],
};

/** Answers GetDurableExecution and both pages of GetDurableExecutionHistory. */
function durableControlPlane(request: RecordedRequest): ScriptedResponse {
  const [pathname, query = ''] = request.url.split('?');
  const params = new URLSearchParams(query);
  if (pathname === `/2025-12-01/durable-executions/${encodeURIComponent(ARN)}`) return json(EXECUTION);
  if (pathname === `/2025-12-01/durable-executions/${encodeURIComponent(ARN)}/history`) return json(params.get('Marker') === 'page-2' ? PAGE_TWO : PAGE_ONE);
  return serviceError(404, 'ResourceNotFoundException', `no route ${request.url}`);
}

describe('describeDurableExecution', () => {
  test('the status, outcome and whole history, as plain data with ISO times and one-line details', async () => {
    lambda.responder = durableControlPlane;
    const description = await describeDurableExecution(testTarget(url, REGION), ARN);

    assert.equal(description.arn, ARN);
    assert.equal(description.name, 'order-42');
    assert.equal(description.status, 'FAILED');
    assert.equal(description.startTime, '2026-01-15T12:00:00.000Z');
    assert.equal(description.endTime, '2026-01-15T12:01:30.000Z');
    assert.equal(description.version, '$LATEST');
    assert.deepEqual(description.error, { type: 'PaymentDeclined', message: 'card expired' });
    assert.deepEqual(
      description.events.map((e) => [e.id, e.type, e.name, e.time, e.detail]),
      [
        [1, 'ExecutionStarted', undefined, '2026-01-15T12:00:00.000Z', 'input {"order":42}, execution timeout 3600 s'],
        [2, 'StepSucceeded', 'reserve', '2026-01-15T12:00:01.000Z', 'result "reserved", attempt 1'],
        [3, 'WaitStarted', 'cool-off', '2026-01-15T12:00:02.000Z', 'wait 60 s, until 2026-01-15T12:01:02.000Z'],
        [4, 'StepFailed', 'charge', '2026-01-15T12:01:03.000Z', 'PaymentDeclined: card expired, attempt 3, next attempt in 10 s'],
        [5, 'ExecutionFailed', undefined, '2026-01-15T12:01:30.000Z', 'PaymentDeclined: card expired'],
      ],
    );
    assert.equal(description.events[1]!.subType, 'Step');
    const history = lambda.requests.filter((r) => r.url.includes('/history'));
    assert.equal(history.length, 2, 'both history pages were read');
    assert.ok(lambda.requests.every((r) => r.method === 'GET'));
    assert.doesNotThrow(() => JSON.stringify(description));
  });

  test('only RUNNING goes on: the other statuses end the watch', () => {
    assert.equal(isTerminalDurableStatus('RUNNING'), false);
    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED']) assert.equal(isTerminalDurableStatus(status), true, status);
  });

  test('an execution that is not there says so, and where it was looked for', async () => {
    lambda.responder = () => serviceError(404, 'ResourceNotFoundException', 'Durable execution not found');
    await assert.rejects(describeDurableExecution(testTarget(url, REGION), ARN), (error: unknown) => {
      assert.ok(error instanceof DurableReadError);
      assert.equal(error.reason, 'not-found');
      assert.match(error.message, new RegExp(`no durable execution .* at ${url.origin}.*retention`));
      return true;
    });
  });

  test('access denied names the permissions the reads need', async () => {
    lambda.responder = () => serviceError(403, 'AccessDeniedException', 'User is not authorized to perform: lambda:GetDurableExecution');
    await assert.rejects(describeDurableExecution(testTarget(url, REGION), ARN), (error: unknown) => {
      assert.ok(error instanceof DurableReadError);
      assert.equal(error.reason, 'unreachable');
      assert.match(error.message, /lambda:GetDurableExecution and lambda:GetDurableExecutionHistory/);
      assert.ok(!error.message.includes(TEST_CREDENTIALS.secretAccessKey));
      return true;
    });
  });
});

describe('functionLogLocation', () => {
  test("the function's LoggingConfig for the qualifier invoked", async () => {
    lambda.responder = () => json({ FunctionName: 'orders', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/orders' } });
    const location = await functionLogLocation(testTarget(url, REGION), 'arn:aws:lambda:us-west-2:123456789012:function:orders', 'live');
    assert.deepEqual(location, { logGroup: '/custom/orders', logFormat: 'JSON', source: 'configuration' });
    // A read of the previous test may still land here: the one that matters is the configuration's.
    const configuration = lambda.requests.find((r) => r.url.startsWith('/2015-03-31/'));
    assert.equal(configuration?.url, `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:us-west-2:123456789012:function:orders')}/configuration?Qualifier=live`);
  });

  test("a function without a log group of its own logs to Lambda's default, in text", async () => {
    lambda.responder = () => json({ FunctionName: 'orders', LoggingConfig: { LogFormat: 'Text' } });
    assert.deepEqual(await functionLogLocation(testTarget(url, REGION), 'orders', undefined), { logGroup: '/aws/lambda/orders', logFormat: 'Text', source: 'configuration' });
  });

  test("when the configuration cannot be read, Lambda's default for the bare name, and why", async () => {
    lambda.responder = () => serviceError(403, 'AccessDeniedException', 'not authorized');
    const location = await functionLogLocation(testTarget(url, REGION), '123456789012:function:orders', '3');
    assert.equal(location.logGroup, '/aws/lambda/orders');
    assert.equal(location.logFormat, 'Text');
    assert.equal(location.source, 'default');
    assert.match(location.problem ?? '', /lambda:GetFunctionConfiguration/);
  });
});
