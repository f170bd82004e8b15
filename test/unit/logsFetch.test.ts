/**
 * An invocation's whole log from CloudWatch Logs (src/engine/logs) against a fake CloudWatch Logs
 * in this file, speaking its JSON 1.1 protocol (POST /, `X-Amz-Target: Logs_20140328.…`): lines
 * that arrive late are waited for with a growing pause and shown as they come, lines that never
 * arrive end the wait with what was found, only the invocation's own lines are kept, failures say
 * what to do, a cancel stops at once, and the endpoint is chosen as the user configured it.
 * No test waits on a clock: the delay option resolves at once and records what was asked.
 */
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import aws4 from 'aws4';
import { DEFAULT_MAX_WAIT_MS, LogFetchError, fetchInvocationLog, logsEndpoint } from '../../src/engine/logs/index';
import type { InvocationLog, InvocationLogRequest, LogLocation } from '../../src/engine/logs/types';
import { isolatedAwsEnv, testTarget } from './engineFixtures';
import { type RecordedRequest, RecordingEndpoint, type ScriptedResponse, TEST_CREDENTIALS } from './recordingEndpoint';

const REGION = 'us-west-2';
const ID = '8f5b3a1c-0d6e-4c2a-9b7f-1e2d3c4b5a69';
const OTHER = '11111111-2222-3333-4444-555555555555';
const SENT_AT = Date.UTC(2026, 0, 15, 12, 0, 0);
const STREAM = '2026/01/15/[$LATEST]0123456789abcdef';
const TEXT_GROUP = '/aws/lambda/orders';

const report = (id: string) => `REPORT RequestId: ${id}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\t\n`;

/** One invocation's text-format log, as Lambda writes it. */
function textInvocation(id: string, at: number): FakeEvent[] {
  return [
    { stream: STREAM, timestamp: at, message: `START RequestId: ${id} Version: $LATEST\n` },
    { stream: STREAM, timestamp: at + 1, message: `2026-01-15T12:00:00.001Z\t${id}\tINFO\tprocessing order 42\n` },
    { stream: STREAM, timestamp: at + 2, message: `2026-01-15T12:00:00.002Z\t${id}\tINFO\tdone\n` },
    { stream: STREAM, timestamp: at + 3, message: `END RequestId: ${id}\n` },
    { stream: STREAM, timestamp: at + 3, message: report(id) },
  ];
}

interface FakeEvent {
  stream: string;
  timestamp: number;
  message: string;
}

/** A CloudWatch Logs stand-in: log groups of events, of which the first `visible` per group are ingested. */
class FakeLogs {
  readonly endpoint = new RecordingEndpoint();
  groups = new Map<string, FakeEvent[]>();
  /** How many events of each group CloudWatch has ingested so far (all unless set). */
  visible = Number.POSITIVE_INFINITY;
  /** An error to answer every request with. */
  failure: { type: string; message: string } | undefined;
  /** Events per answer page, small so that paging is exercised. */
  pageSize = 2;

  constructor() {
    this.endpoint.responder = (request) => this.answer(request);
  }

  get requests(): RecordedRequest[] {
    return this.endpoint.requests;
  }

  /** The bodies of the requests of one operation. */
  calls(operation: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.headers['x-amz-target'] === `Logs_20140328.${operation}`).map((r) => JSON.parse(r.body.toString()) as Record<string, unknown>);
  }

  private answer(request: RecordedRequest): ScriptedResponse {
    if (this.failure) return json(400, { __type: this.failure.type, message: this.failure.message });
    const operation = String(request.headers['x-amz-target'] ?? '').replace('Logs_20140328.', '');
    const body = JSON.parse(request.body.toString()) as Record<string, string | number | boolean | undefined>;
    const group = this.groups.get(String(body.logGroupName));
    if (!group) return json(400, { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    const events = group.slice(0, this.visible).filter((e) => e.timestamp >= Number(body.startTime ?? 0));
    const from = Number(String(body.nextToken ?? 'f/0').slice(2));
    if (operation === 'FilterLogEvents') {
      const matching = events.filter((e) => matches(String(body.filterPattern), e.message));
      const page = matching.slice(from, from + this.pageSize);
      const next = from + page.length < matching.length ? `f/${from + page.length}` : undefined;
      return json(200, {
        events: page.map((e, i) => ({ logStreamName: e.stream, timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp + 500, eventId: `${e.stream}/${from + i}` })),
        searchedLogStreams: [],
        ...(next ? { nextToken: next } : {}),
      });
    }
    if (operation === 'GetLogEvents') {
      const inStream = events.filter((e) => e.stream === body.logStreamName);
      const page = inStream.slice(from, from + this.pageSize);
      return json(200, { events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp + 500 })), nextForwardToken: `f/${from + page.length}`, nextBackwardToken: 'b/0' });
    }
    return json(400, { __type: 'UnknownOperationException', message: operation });
  }
}

/** The two filter patterns the reader sends: a quoted phrase, or the JSON request-id test. */
function matches(pattern: string, message: string): boolean {
  const phrase = /^"(.*)"$/.exec(pattern);
  if (phrase) return message.includes(phrase[1]!);
  const id = /\$\.requestId = "([^"]+)"/.exec(pattern)?.[1];
  try {
    const record = JSON.parse(message) as { requestId?: string; record?: { requestId?: string } };
    return record.requestId === id || record.record?.requestId === id;
  } catch {
    return false;
  }
}

function json(status: number, body: unknown): ScriptedResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) };
}

let fake: FakeLogs;
let url: URL;
let home: string;
let env: NodeJS.ProcessEnv;
const savedEnv = process.env;

before(async () => {
  fake = new FakeLogs();
  url = await fake.endpoint.start();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-logs-'));
});
after(async () => {
  await fake.endpoint.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  fake.endpoint.requests.length = 0;
  fake.groups = new Map();
  fake.visible = Number.POSITIVE_INFINITY;
  fake.failure = undefined;
  env = isolatedAwsEnv(home, TEST_CREDENTIALS, REGION);
  // The SDK reads its own settings (retries, defaults mode) from process.env and the shared files.
  process.env = env;
});
afterEach(() => {
  process.env = savedEnv;
});

const TEXT_LOCATION: LogLocation = { logGroup: TEXT_GROUP, logFormat: 'Text', source: 'configuration' };

/** A fetch of request ID's log at the fake (Lambda on loopback, so its logs are read there too). */
function requestFor(location: LogLocation = TEXT_LOCATION, requestId = ID): InvocationLogRequest {
  return { target: testTarget(url, REGION), functionName: 'orders', requestId, sentAt: SENT_AT, location, env };
}

/** A delay that records each wait and lets `onWait` change what CloudWatch has ingested. */
function clock(onWait: (waitNumber: number) => void = () => undefined): { waits: number[]; delay: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, delay: (ms) => (waits.push(ms), onWait(waits.length), Promise.resolve()) };
}

/** The LogFetchError the fetch rejects with. */
async function rejection(promise: Promise<unknown>): Promise<LogFetchError> {
  let caught: unknown;
  await assert.rejects(promise, (error) => ((caught = error), error instanceof LogFetchError));
  return caught as LogFetchError;
}

describe('the whole log of a text-format invocation', () => {
  test('arrives late: empty reads, then START only, then the rest; the wait grows and the partial log is shown', async () => {
    fake.groups.set(TEXT_GROUP, textInvocation(ID, SENT_AT + 40));
    fake.visible = 0;
    const { waits, delay } = clock((n) => (fake.visible = n < 2 ? 0 : n === 2 ? 1 : Number.POSITIVE_INFINITY));
    const progress: InvocationLog[] = [];
    const log = await fetchInvocationLog(requestFor(), { delay, onProgress: (l) => progress.push(l) });

    assert.equal(log.complete, true);
    assert.equal(log.incomplete, undefined);
    assert.equal(log.text, textInvocation(ID, 0).map((e) => e.message).join(''));
    assert.equal(log.logStream, STREAM);
    assert.equal(log.logGroup, TEXT_GROUP);
    assert.equal(log.format, 'Text');
    assert.deepEqual(waits, [500, 1000, 2000]);
    assert.equal(progress.length, 2, 'once with START alone, once complete');
    assert.equal(progress[0]!.text, `START RequestId: ${ID} Version: $LATEST\n`);
    assert.equal(progress[0]!.complete, false);
    assert.equal(progress[1]!.complete, true);

    const filter = fake.calls('FilterLogEvents')[0]!;
    assert.equal(filter.logGroupName, TEXT_GROUP);
    assert.equal(filter.filterPattern, `"START RequestId: ${ID}"`);
    assert.equal(filter.startTime, SENT_AT - 60_000);
    const reads = fake.calls('GetLogEvents');
    assert.equal(reads[0]!.logStreamName, STREAM);
    assert.equal(reads[0]!.startFromHead, true);
    assert.equal(reads[0]!.startTime, SENT_AT + 40);
  });

  test('never arrives: the wait ends after 30 s of pauses with what was found, marked incomplete', async () => {
    fake.groups.set(TEXT_GROUP, []);
    const { waits, delay } = clock();
    const log = await fetchInvocationLog(requestFor(), { delay });

    assert.equal(log.complete, false);
    assert.equal(log.text, '');
    assert.match(log.incomplete ?? '', new RegExp(`No log of request ${ID} arrived in ${TEXT_GROUP} within 30 s`));
    assert.match(log.incomplete ?? '', /4 KB tail/);
    assert.deepEqual(waits.slice(0, 5), [500, 1000, 2000, 3000, 3000]);
    assert.ok(waits.reduce((a, b) => a + b, 0) <= DEFAULT_MAX_WAIT_MS);
    assert.equal(fake.calls('FilterLogEvents').length, waits.length + 1, 'one search per pause, and one before the first');
  });

  test('a START without its REPORT within the wait is shown, and says the rest may still come', async () => {
    fake.groups.set(TEXT_GROUP, textInvocation(ID, SENT_AT).slice(0, 3));
    const { delay } = clock();
    const log = await fetchInvocationLog(requestFor(), { delay, maxWaitMs: 5000 });
    assert.equal(log.complete, false);
    assert.match(log.text, /processing order 42/);
    assert.match(log.incomplete ?? '', /had no REPORT line after 5 s/);
  });

  test("only this invocation's lines when the stream holds the ones before and after it", async () => {
    fake.groups.set(TEXT_GROUP, [...textInvocation(OTHER, SENT_AT), ...textInvocation(ID, SENT_AT + 3), ...textInvocation(OTHER, SENT_AT + 10)]);
    const log = await fetchInvocationLog(requestFor(), { delay: clock().delay });
    assert.equal(log.complete, true);
    assert.equal(log.text, textInvocation(ID, 0).map((e) => e.message).join(''));
    assert.doesNotMatch(log.text, new RegExp(OTHER));
  });

  test('a log group of its own (LoggingConfig) is where the lines are read', async () => {
    fake.groups.set('/custom/orders-app', textInvocation(ID, SENT_AT));
    const log = await fetchInvocationLog(requestFor({ logGroup: '/custom/orders-app', logFormat: 'Text', source: 'configuration' }), { delay: clock().delay });
    assert.equal(log.complete, true);
    assert.equal(log.logGroup, '/custom/orders-app');
    assert.ok(fake.calls('FilterLogEvents').every((body) => body.logGroupName === '/custom/orders-app'));
    assert.ok(fake.calls('GetLogEvents').every((body) => body.logGroupName === '/custom/orders-app'));
  });

  test('the requests are signed for the service `logs` in the region', async () => {
    fake.groups.set(TEXT_GROUP, textInvocation(ID, SENT_AT));
    await fetchInvocationLog(requestFor(), { delay: clock().delay });
    for (const request of fake.requests) {
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/');
      const authorization = String(request.headers.authorization);
      assert.match(authorization, new RegExp(`Credential=${TEST_CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/logs/aws4_request`));
      assert.ok(signatureHolds(request), 'the signature checks out for logs');
    }
  });
});

describe('the whole log of a JSON-format invocation', () => {
  const JSON_GROUP = '/aws/lambda/orders-json';
  const record = (at: number, value: object) => ({ stream: STREAM, timestamp: at, message: JSON.stringify(value) });
  const reportRecord = (id: string) => ({ type: 'platform.report', record: { requestId: id, status: 'success', metrics: { durationMs: 12.3, billedDurationMs: 13, memorySizeMB: 128, maxMemoryUsedMB: 45 } } });

  test("finds every record of the request id, the platform's and the function's, in time order", async () => {
    fake.groups.set(JSON_GROUP, [
      record(SENT_AT + 5, reportRecord(ID)),
      record(SENT_AT + 1, { type: 'platform.start', record: { requestId: ID, version: '$LATEST' } }),
      record(SENT_AT + 2, { level: 'INFO', requestId: OTHER, message: 'not this one' }),
      record(SENT_AT + 3, { level: 'INFO', requestId: ID, message: 'processing order 42' }),
    ]);
    const location: LogLocation = { logGroup: JSON_GROUP, logFormat: 'JSON', source: 'configuration' };
    const log = await fetchInvocationLog(requestFor(location), { delay: clock().delay });

    assert.equal(log.complete, true);
    assert.equal(log.format, 'JSON');
    const lines = log.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { type?: string; message?: string });
    assert.deepEqual(lines.map((l) => l.type ?? l.message), ['platform.start', 'processing order 42', 'platform.report']);
    assert.equal(fake.calls('FilterLogEvents')[0]!.filterPattern, `{ ($.requestId = "${ID}") || ($.record.requestId = "${ID}") }`);
    assert.equal(fake.calls('GetLogEvents').length, 0);
  });
});

describe('when the log cannot be read', () => {
  test('access denied names the missing permission and the log group, and keeps the tail', async () => {
    fake.failure = { type: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: logs:FilterLogEvents' };
    const error = await rejection(fetchInvocationLog(requestFor(), { delay: clock().delay }));
    assert.equal(error.kind, 'access-denied');
    assert.match(error.message, /logs:FilterLogEvents/);
    assert.match(error.message, new RegExp(TEXT_GROUP));
    assert.match(error.hint ?? '', /4 KB tail/);
    assert.doesNotMatch(`${error.message} ${error.hint}`, new RegExp(TEST_CREDENTIALS.secretAccessKey.replace(/[/+]/g, '.')));
  });

  test('no log group says which one, where, and that the function may log elsewhere', async () => {
    const error = await rejection(fetchInvocationLog(requestFor(), { delay: clock().delay }));
    assert.equal(error.kind, 'no-log-group');
    assert.equal(error.message, `There is no log group ${TEXT_GROUP} at ${url.origin}.`);
    assert.match(error.hint ?? '', /LoggingConfig/);
  });

  test('a cancel during a pause stops the fetch at once', async () => {
    fake.groups.set(TEXT_GROUP, []);
    const controller = new AbortController();
    const delay = () => (controller.abort(), new Promise<void>(() => undefined));
    const error = await rejection(fetchInvocationLog(requestFor(), { delay, signal: controller.signal }));
    assert.equal(error.kind, 'cancelled');
    assert.equal(fake.requests.length, 1, 'nothing is read after the cancel');
  });
});

describe('the CloudWatch Logs endpoint', () => {
  const remote = testTarget(new URL(`https://lambda.${REGION}.amazonaws.com`), REGION);
  const withConfig = (config: string): NodeJS.ProcessEnv => {
    const dir = fs.mkdtempSync(path.join(home, 'aws-'));
    fs.writeFileSync(path.join(dir, 'config'), config);
    return { ...isolatedAwsEnv(dir, TEST_CREDENTIALS, REGION), AWS_CONFIG_FILE: path.join(dir, 'config') };
  };

  test('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS comes first, then AWS_ENDPOINT_URL', async () => {
    const both = { ...env, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://logs.test:4566', AWS_ENDPOINT_URL: 'http://all.test:4566' };
    assert.deepEqual(await logsEndpoint(remote, both), { url: new URL('http://logs.test:4566'), source: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS' });
    const general = await logsEndpoint(remote, { ...env, AWS_ENDPOINT_URL: 'http://all.test:4566' });
    assert.equal(general.url.href, 'http://all.test:4566/');
    assert.equal(general.source, 'AWS_ENDPOINT_URL');
  });

  test("the profile's services section names the logs endpoint", async () => {
    const config = withConfig('[profile test]\nservices = dev\n[services dev]\nlambda =\n  endpoint_url = http://lambda.test:1\nlogs =\n  endpoint_url = http://logs.dev.test:2\n');
    const found = await logsEndpoint(remote, config);
    assert.equal(found.url.href, 'http://logs.dev.test:2/');
    assert.equal(found.source, 'services "dev" of profile "test"');
  });

  test('the ignore switch leaves the configured endpoints out', async () => {
    const found = await logsEndpoint(remote, { ...env, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://logs.test:4566', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' });
    assert.equal(found.url.href, `https://logs.${REGION}.amazonaws.com/`);
  });

  test('a Lambda endpoint on this machine (the local endpoint, LocalStack) is where its logs are read', async () => {
    const local = testTarget(new URL('http://127.0.0.1:3001/some/path'), REGION);
    const found = await logsEndpoint(local, env);
    assert.equal(found.url.href, 'http://127.0.0.1:3001/');
    assert.match(found.source, /Lambda endpoint/);
  });

  test("otherwise the region's standard endpoint, in its partition", async () => {
    assert.equal((await logsEndpoint(remote, env)).url.href, `https://logs.${REGION}.amazonaws.com/`);
    assert.equal((await logsEndpoint(remote, { ...env, AWS_ENDPOINT_URL_LAMBDA: 'http://lambda.test:1' })).url.href, `https://logs.${REGION}.amazonaws.com/`, "Lambda's own variable is not for logs");
    const china = testTarget(new URL('https://lambda.cn-north-1.amazonaws.com.cn'), 'cn-north-1');
    assert.equal((await logsEndpoint(china, env)).url.href, 'https://logs.cn-north-1.amazonaws.com.cn/');
  });
});

/** Re-signs the request with `aws4` for the service `logs` and compares the signatures. */
function signatureHolds(request: RecordedRequest): boolean {
  const authorization = String(request.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
  const resigned = aws4.sign(
    { method: request.method, host: headers.host, path: request.url, headers, body: request.body, service: 'logs', region: REGION },
    { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String((resigned.headers as Record<string, string>).Authorization))?.[1];
  return expected !== undefined && authorization.endsWith(`Signature=${expected}`);
}
