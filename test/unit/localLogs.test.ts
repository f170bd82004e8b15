/**
 * The local endpoint's CloudWatch logs: the log store and filter patterns on their own (pure),
 * then FilterLogEvents and GetLogEvents over HTTP with @aws-sdk/client-cloudwatch-logs against an
 * in-process endpoint — an invocation's lines and only its own, in Text and JSON format, the
 * Tail header carrying the same lines, the REPORT figures read back by src/lambda/reportLine.ts,
 * the errors CloudWatch sends, and the signing service each route demands.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import aws4 from 'aws4';
import { CloudWatchLogsClient, FilterLogEventsCommand, GetLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { LocalConfigError, type LocalEndpoint } from '../../src/local/index';
import { parseFilterPattern } from '../../src/local/logs/filterPattern';
import { LogStore } from '../../src/local/logs/logStore';
import { findReport } from '../../src/lambda/reportLine';
import { parseLocalConfig } from '../../src/local/config/config';
import { executionLogLines, TAIL_BYTES, type ExecutionLogParts } from '../../src/local/runtime/executionLog';
import { startLoggedEndpoint, type LoggedEndpoint } from './localEndpointLog';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIDLOCALLOGS0000001', secretAccessKey: 'local/logs/secret/for/tests/000000000' };
const STREAM_NAME = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;

// ---------------------------------------------------------------------------------------------
// Pure parts

describe('filter patterns', () => {
  const matches = (pattern: string, message: string): boolean => {
    const parsed = parseFilterPattern(pattern);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    return parsed.matches(message);
  };

  test('a quoted term matches the phrase; several terms must all occur; an empty pattern matches all', () => {
    assert.equal(matches('"START RequestId: 1234"', 'START RequestId: 1234 Version: $LATEST'), true);
    assert.equal(matches('"START RequestId: 1234"', 'END RequestId: 1234'), false);
    assert.equal(matches('ERROR "order A-1"', '2026-01-01T00:00:00.000Z\tid\tERROR\torder A-1 failed'), true);
    assert.equal(matches('ERROR "order A-2"', '2026-01-01T00:00:00.000Z\tid\tERROR\torder A-1 failed'), false);
    assert.equal(matches('', 'anything'), true);
  });

  test('JSON patterns select members, joined with || and && and grouped', () => {
    const start = JSON.stringify({ time: 't', type: 'platform.start', record: { requestId: 'abc', version: '$LATEST' } });
    const line = JSON.stringify({ timestamp: 't', level: 'INFO', requestId: 'abc', message: 'hi' });
    const other = JSON.stringify({ timestamp: 't', level: 'INFO', requestId: 'xyz', message: 'hi' });
    const either = '{ $.requestId = "abc" } || { $.record.requestId = "abc" }';
    assert.deepEqual([start, line, other, 'abc plain text'].map((m) => matches(either, m)), [true, true, false, false]);
    assert.equal(matches('{ ($.requestId = "abc") && ($.level = "INFO") }', line), true);
    assert.equal(matches('{ $.requestId = "abc" && $.level = WARN }', line), false);
    assert.equal(matches('{ $.requestId = "ab*" }', line), true);
    assert.equal(matches('{ $.record.version != "1" }', start), true);
  });

  test('a form that is not served is refused, naming the forms that are', () => {
    for (const pattern of ['?ERROR ?WARN', '-DEBUG', '[ip, user]', '{ $.a = "x"', '{ $.a IS TRUE }', '$.a = "x"']) {
      const parsed = parseFilterPattern(pattern);
      assert.equal(parsed.ok, false, pattern);
      if (!parsed.ok) assert.match(parsed.message, /This local endpoint serves quoted terms .* JSON patterns such as \{ \$\.requestId = "x" \}/, pattern);
    }
  });
});

describe('the log store', () => {
  test('keeps events per group and stream, and drops the oldest first past its limits', () => {
    const store = new LogStore({ maxEventsPerGroup: 3, maxBytes: 1_000 });
    store.append('/g', 's1', [1, 2].map((i) => ({ timestamp: i, message: `m${i}` })));
    store.append('/g', 's2', [3, 4].map((i) => ({ timestamp: i, message: `m${i}` })));
    const group = store.group('/g')!;
    // s1's first event, the group's oldest, went; the rest stay, each stream in its own order.
    assert.deepEqual(
      [...group.streams.values()].map((s) => [s.name, s.all().map((e) => e.message)]),
      [
        ['s1', ['m2']],
        ['s2', ['m3', 'm4']],
      ],
    );
    const ids = [...group.streams.values()].flatMap((s) => s.all().map((e) => e.eventId));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => /^\d{56}$/.test(id)));
  });

  test('drops whole streams once they are empty, and keeps the total size under maxBytes', () => {
    const store = new LogStore({ maxEventsPerGroup: 100, maxBytes: 10 });
    store.append('/a', 'old', [{ timestamp: 1, message: '12345' }]);
    store.append('/b', 'new', [{ timestamp: 2, message: '123456' }]);
    assert.equal(store.group('/a')!.streams.size, 0);
    assert.deepEqual(store.group('/b')!.streams.get('new')!.all().map((e) => e.message), ['123456']);
  });
});

describe('the execution log in both formats', () => {
  const parts = (format: 'Text' | 'JSON', report: Partial<ExecutionLogParts['report']> = {}): ExecutionLogParts => ({
    requestId: 'req-1',
    version: '$LATEST',
    format,
    initOutput: '',
    output: '',
    startedAt: new Date(0),
    endedAt: new Date(12),
    report: { requestId: 'req-1', durationMs: 11.5, memorySizeMb: 256, maxMemoryUsedMb: 40, initDurationMs: 100.25, ...report },
  });

  test('src/lambda/reportLine.ts reads the same figures from the Text REPORT and the JSON platform.report', () => {
    for (const extra of [{}, { status: 'timeout' as const }, { status: 'error' as const, errorType: 'Runtime.ExitError' }]) {
      const text = findReport(executionLogLines(parts('Text', extra)).join('\n'), 'req-1');
      const json = findReport(executionLogLines(parts('JSON', extra)).join('\n'), 'req-1');
      assert.ok(text && json);
      assert.deepEqual(json, text);
      assert.deepEqual(
        [text.durationMs, text.billedDurationMs, text.memorySizeMb, text.maxMemoryUsedMb, text.initDurationMs, text.status],
        [11.5, 112, 256, 40, 100.25, extra.status],
      );
    }
  });

  test('JSON format: platform.start, runtimeDone and report, one object a line, with the invocation\'s times', () => {
    const lines = executionLogLines(parts('JSON')).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.type, l.time]),
      [
        ['platform.start', '1970-01-01T00:00:00.000Z'],
        ['platform.runtimeDone', '1970-01-01T00:00:00.012Z'],
        ['platform.report', '1970-01-01T00:00:00.012Z'],
      ],
    );
    assert.deepEqual(lines[1]!.record, { requestId: 'req-1', status: 'success' });
  });
});

describe('logFormat and logGroup in lambda-invoke.local.json', () => {
  const parse = (fn: object) => parseLocalConfig(JSON.stringify({ functions: { orders: { handler: 'orders.handler', ...fn } } }), '/srv/lambda-invoke.local.json', '/srv');

  test('default to Text and /aws/lambda/<name>; both can be set', () => {
    assert.deepEqual(parse({}).functions.get('orders')!.latest.logging, { format: 'Text', group: '/aws/lambda/orders' });
    assert.deepEqual(parse({ logFormat: 'JSON', logGroup: '/custom/orders', versions: { '1': {} } }).functions.get('orders')!.versions.get('1')!.logging, {
      format: 'JSON',
      group: '/custom/orders',
    });
  });

  test('a value Lambda would not take is refused, saying where and what is accepted', () => {
    assert.throws(
      () => parse({ logFormat: 'json' }),
      (e: unknown) => e instanceof LocalConfigError && /functions\.orders\.logFormat: The value "json" is not one of "Text", "JSON"\./.test(e.message),
    );
    assert.throws(() => parse({ logGroup: 'has spaces' }), (e: unknown) => e instanceof LocalConfigError && /functions\.orders\.logGroup: /.test(e.message));
  });
});

// ---------------------------------------------------------------------------------------------
// Over HTTP

const HANDLERS: Record<string, string> = {
  'functions/talk.js': `exports.handler = async (event) => {
    console.log('first line of ' + event.name);
    console.log('two lines\\nin one call for ' + event.name);
    console.error('last line of ' + event.name);
    return { name: event.name };
  };`,
  'functions/big.js': `exports.handler = async () => { for (let i = 1; i <= 200; i++) console.log('big line ' + i + ' ' + '.'.repeat(40)); return 200; };`,
};

const CONFIG = {
  functions: {
    talk: { handler: 'functions/talk.handler' },
    'talk-json': { handler: 'functions/talk.handler', logFormat: 'JSON', logGroup: '/custom/talk' },
    big: { handler: 'functions/big.handler' },
  },
};

let local: LoggedEndpoint;
let endpoint: LocalEndpoint;

before(async () => {
  local = await startLoggedEndpoint(HANDLERS, CONFIG, CREDENTIALS);
  endpoint = local.endpoint;
});

after(() => local?.close());

const lambda = (): LambdaClient => new LambdaClient({ endpoint: endpoint.url.href, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
const logs = (): CloudWatchLogsClient => new CloudWatchLogsClient({ endpoint: endpoint.url.href, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });

async function invoke(name: string, payload: object): Promise<{ requestId: string; output: InvokeCommandOutput; tail: string }> {
  const output = await lambda().send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), LogType: 'Tail' }));
  return { requestId: output.$metadata.requestId!, output, tail: Buffer.from(output.LogResult ?? '', 'base64').toString('utf8') };
}

async function filter(logGroupName: string, filterPattern: string): Promise<FilteredLogEvent[]> {
  const answer = await logs().send(new FilterLogEventsCommand({ logGroupName, filterPattern }));
  return answer.events ?? [];
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  assert.fail('the request succeeded');
}

describe('FilterLogEvents and GetLogEvents', () => {
  test('Text format: a request id finds that request\'s START, console lines, END and REPORT, and not the other request\'s on the same worker', async () => {
    const config = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'talk' }));
    assert.deepEqual(config.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/talk' });
    const first = await invoke('talk', { name: 'one' });
    const second = await invoke('talk', { name: 'two' });
    const events = await filter('/aws/lambda/talk', `"${first.requestId}"`);
    assert.deepEqual(
      events.map((e) => e.message!.replace(/^\S+\t\S+\t/, '')),
      [
        `START RequestId: ${first.requestId} Version: $LATEST`,
        'INFO\tfirst line of one',
        // The carriage return Lambda keeps a multi-line message on one line with is a line break again in CloudWatch.
        'INFO\ttwo lines\nin one call for one',
        'ERROR\tlast line of one',
        `END RequestId: ${first.requestId}`,
        events.at(-1)!.message!,
      ],
    );
    assert.match(events.at(-1)!.message!, new RegExp(`^REPORT RequestId: ${first.requestId}\\tDuration: `));
    assert.ok(events.every((e) => !e.message!.includes(second.requestId)));
    // Both ran on the one warm worker, so both are in the one stream.
    const stream = events[0]!.logStreamName!;
    assert.match(stream, STREAM_NAME);
    const secondEvents = await filter('/aws/lambda/talk', `"START RequestId: ${second.requestId}"`);
    assert.deepEqual(secondEvents.map((e) => [e.logStreamName, e.message]), [[stream, `START RequestId: ${second.requestId} Version: $LATEST`]]);
    for (const e of events) {
      assert.equal(typeof e.timestamp, 'number');
      assert.ok(e.ingestionTime! >= e.timestamp!);
    }
    assert.ok(events.every((e, i) => i === 0 || e.timestamp! >= events[i - 1]!.timestamp!));
    assert.deepEqual(findReport(events.map((e) => e.message).join('\n'), first.requestId)?.memorySizeMb, 128);
  });

  test('GetLogEvents reads the stream in order from the head; the forward token comes back unchanged when nothing is newer', async () => {
    const call = await invoke('talk', { name: 'three' });
    const [start] = await filter('/aws/lambda/talk', `"START RequestId: ${call.requestId}"`);
    const client = logs();
    const page = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/talk', logStreamName: start!.logStreamName, startFromHead: true }));
    const messages = page.events!.map((e) => e.message!);
    const from = messages.indexOf(`START RequestId: ${call.requestId} Version: $LATEST`);
    assert.ok(from >= 0);
    assert.match(messages.at(-1)!, new RegExp(`^REPORT RequestId: ${call.requestId}\\t`));
    assert.match(page.nextForwardToken!, /^f\/\d{56}$/);
    assert.match(page.nextBackwardToken!, /^b\/\d{56}$/);
    const again = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/talk', logStreamName: start!.logStreamName, nextToken: page.nextForwardToken }));
    assert.deepEqual(again.events, []);
    assert.equal(again.nextForwardToken, page.nextForwardToken);
    const last = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/talk', logStreamName: start!.logStreamName, limit: 2 }));
    assert.deepEqual(last.events!.map((e) => e.message!.split('\t')[0]), [`END RequestId: ${call.requestId}`, `REPORT RequestId: ${call.requestId}`]);
  });

  test('JSON format: one JSON object a line, in the group the function names; JSON patterns find the request, and the REPORT parses', async () => {
    const config = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'talk-json' }));
    assert.deepEqual(config.LoggingConfig, { LogFormat: 'JSON', LogGroup: '/custom/talk' });
    const first = await invoke('talk-json', { name: 'uno' });
    const second = await invoke('talk-json', { name: 'dos' });
    const events = await filter('/custom/talk', `{ $.requestId = "${first.requestId}" } || { $.record.requestId = "${first.requestId}" }`);
    const parsed = events.map((e) => JSON.parse(e.message!) as Record<string, unknown>);
    assert.deepEqual(
      parsed.map((p) => p.type ?? `${String(p.level)} ${String(p.message)}`),
      ['platform.start', 'INFO first line of uno', 'INFO two lines\nin one call for uno', 'ERROR last line of uno', 'platform.runtimeDone', 'platform.report'],
    );
    assert.deepEqual(parsed[0]!.record, { requestId: first.requestId, version: '$LATEST' });
    assert.deepEqual(parsed[4]!.record, { requestId: first.requestId, status: 'success' });
    assert.equal(parsed[1]!.requestId, first.requestId);
    assert.ok(events.every((e) => !e.message!.includes(second.requestId)));
    const report = findReport(first.tail, first.requestId);
    assert.ok(report, first.tail);
    assert.equal(report.memorySizeMb, 128);
    assert.equal(report.status, undefined);
    assert.deepEqual(Object.keys((parsed[5]!.record as { metrics: object }).metrics).slice(0, 4), ['durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB']);
    // The tail is the same lines (the multi-line message still on one line, as Lambda sends it).
    assert.deepEqual(first.tail.trimEnd().split('\n'), events.map((e) => e.message!.replace(/\n/g, '\\n')));
  });

  test('the Tail header is the last 4 KB of the very lines CloudWatch keeps', async () => {
    const call = await invoke('big', {});
    const [start] = await filter('/aws/lambda/big', `"START RequestId: ${call.requestId}"`);
    const page = await logs().send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/big', logStreamName: start!.logStreamName, startFromHead: true }));
    const whole = Buffer.from(page.events!.map((e) => `${e.message!}\n`).join(''), 'utf8');
    assert.ok(whole.length > 3 * TAIL_BYTES);
    assert.equal(Buffer.byteLength(call.tail, 'utf8'), TAIL_BYTES);
    assert.equal(call.tail, whole.subarray(whole.length - TAIL_BYTES).toString('utf8'));
    assert.equal(findReport(call.tail, call.requestId)?.requestId, call.requestId);
  });

  test('an Event invocation\'s log is kept too, once the worker has finished', async () => {
    const output = await lambda().send(new InvokeCommand({ FunctionName: 'talk', InvocationType: 'Event', Payload: Buffer.from('{"name":"later"}') }));
    const requestId = output.$metadata.requestId!;
    await local.logged((line) => line.startsWith(`REPORT RequestId: ${requestId}`));
    const events = await filter('/aws/lambda/talk', `"${requestId}" "INFO"`);
    assert.deepEqual(events.map((e) => e.message!.split('\t').slice(2).join('\t')), ['INFO\tfirst line of later', 'INFO\ttwo lines\nin one call for later']);
  });

  test('an unknown group or stream: ResourceNotFoundException, as CloudWatch words it', async () => {
    const group = await rejection(logs().send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nobody' })));
    assert.equal(group.name, 'ResourceNotFoundException');
    assert.equal(group.message, 'The specified log group does not exist.');
    assert.equal(group.$metadata?.httpStatusCode, 400);
    await invoke('talk', { name: 'x' });
    const stream = await rejection(logs().send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/talk', logStreamName: 'no/such/stream' })));
    assert.equal(stream.name, 'ResourceNotFoundException');
    assert.equal(stream.message, 'The specified log stream does not exist.');
  });

  test('a filter pattern that is not served: InvalidParameterException saying which forms are', async () => {
    await invoke('talk', { name: 'y' });
    const error = await rejection(logs().send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/talk', filterPattern: '[ip, user, ...]' })));
    assert.equal(error.name, 'InvalidParameterException');
    assert.match(error.message, /This local endpoint serves quoted terms/);
    const limit = await rejection(logs().send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/talk', limit: 10_001 })));
    assert.equal(limit.name, 'InvalidParameterException');
  });

  test('pages of FilterLogEvents follow nextToken without losing or repeating an event', async () => {
    const call = await invoke('big', {});
    const client = logs();
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/big', filterPattern: `"${call.requestId}"`, limit: 50, nextToken }));
      seen.push(...page.events!.map((e) => e.eventId!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.equal(seen.length, 203);
    assert.equal(new Set(seen).size, 203);
  });
});

describe('signing for the Logs operations', () => {
  /** A request signed with `aws4` for `service`, independent of the endpoint's own verifier. */
  async function signed(service: string, requestPath: string, options: { method: string; headers?: Record<string, string>; body?: string }) {
    const request = aws4.sign({ host: endpoint.url.host, path: requestPath, service, region: REGION, ...options }, CREDENTIALS);
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name, String(value)]));
    delete headers.Host;
    return fetch(new URL(requestPath, endpoint.url), { method: options.method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  }

  async function post(service: string, target: string): Promise<{ status: number; errorType: string | null; body: Record<string, unknown> }> {
    const body = JSON.stringify({ logGroupName: '/aws/lambda/talk' });
    const response = await signed(service, '/', { method: 'POST', body, headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target } });
    assert.equal(response.headers.get('content-type'), 'application/x-amz-json-1.1');
    return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: (await response.json()) as Record<string, unknown> };
  }

  test("a Logs request signed for 'lambda' is refused; signed for 'logs' it is answered", async () => {
    const wrong = await post('lambda', 'Logs_20140328.FilterLogEvents');
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.__type, 'InvalidSignatureException');
    assert.equal(wrong.errorType, 'InvalidSignatureException');
    assert.match(String(wrong.body.message), /Credential should be scoped to correct service: 'logs'/);
    const right = await post('logs', 'Logs_20140328.FilterLogEvents');
    assert.equal(right.status, 200);
    assert.ok(Array.isArray(right.body.events));
  });

  test('an X-Amz-Target that is not served gets an error listing what is', async () => {
    const unknown = await post('logs', 'Logs_20140328.PutLogEvents');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.__type, 'UnknownOperationException');
    assert.match(String(unknown.body.message), /Logs_20140328\.FilterLogEvents or Logs_20140328\.GetLogEvents/);
  });

  test("a Lambda request signed for 'logs' is refused as Lambda refuses it", async () => {
    const response = await signed('logs', '/2015-03-31/functions/talk/configuration', { method: 'GET' });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
    assert.match(String(((await response.json()) as { message: string }).message), /scoped to correct service: 'lambda'/);
  });
});
