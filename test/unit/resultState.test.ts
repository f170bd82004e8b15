/**
 * What a result tab says above its payload and in its log lens (src/client/results/resultState.ts):
 * the status and function error, the REPORT line's figures when known (else the round trip),
 * the target, the request id, and where the log stands.
 */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryEntry } from '../../src/engine/history/types';
import { type ResultState, ago, canFetchLog, logTitle, resultKey, statusTitle, summaryParts } from '../../src/client/results/resultState';

function entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'k1-abc',
    time: '2026-12-02T10:00:00.000Z',
    invocation: { file: '/ws/hello.invoke.json', index: 0, label: 'Say hello' },
    target: { functionName: 'hello', region: 'us-east-1', profile: 'default', endpoint: 'http://127.0.0.1:3001/', local: true },
    request: { invocationType: 'RequestResponse', bytes: 15, sha256: 'ab', kept: true, payloadSource: 'inline' },
    response: { statusCode: 200, headers: {}, bytes: 2048, json: true, requestId: 'req-1', executedVersion: '$LATEST' },
    durationMs: 42,
    ...over,
  };
}

function state(over: Partial<ResultState> = {}): ResultState {
  return { key: resultKey('/ws/hello.invoke.json', 0), entry: entry(), text: '{}', json: true, logFetch: { state: 'idle' }, past: false, ...over };
}

describe('result tab summary', () => {
  test('a success: status, version, round trip, size, target, request id', () => {
    assert.deepEqual(summaryParts(state()), ['$(pass) 200 OK', 'version $LATEST', '42 ms round trip', '2 KB', 'hello in us-east-1 (http://127.0.0.1:3001/)', 'request req-1']);
  });

  test('the REPORT line replaces the round trip with duration, billed duration and memory', () => {
    const parts = summaryParts(state({ entry: entry({ report: { requestId: 'req-1', durationMs: 12.345, billedDurationMs: 13, memorySizeMb: 128, maxMemoryUsedMb: 45, initDurationMs: 150.5 } }) }));
    assert.ok(parts.includes('12.35 ms (billed 13 ms)'), parts.join(' · '));
    assert.ok(parts.includes('45 of 128 MB'), parts.join(' · '));
    assert.ok(parts.includes('cold start 150.5 ms'), parts.join(' · '));
    assert.ok(!parts.some((p) => p.includes('round trip')));
  });

  test('a function error shows its type and message', () => {
    const failed = entry({ response: { statusCode: 200, headers: {}, bytes: 90, json: true, requestId: 'r', functionError: 'Unhandled', errorType: 'OrderRejected', errorMessage: 'Order A-1002 has no items' } });
    assert.equal(statusTitle(failed), '$(error) 200 Unhandled — OrderRejected: Order A-1002 has no items');
  });

  test('a service error shows its status and name', () => {
    const failed = entry({ response: undefined, error: { kind: 'service', message: 'Function not found', statusCode: 404, errorType: 'ResourceNotFoundException' } });
    assert.equal(statusTitle(failed), '$(error) 404 ResourceNotFoundException');
  });

  test('a past result says when it ran', () => {
    const parts = summaryParts(state({ past: true }), new Date('2026-12-02T10:05:00.000Z'));
    assert.equal(parts.at(-1), 'ran 5 min ago');
    assert.equal(ago(new Date('2026-11-01T00:00:00Z'), new Date('2026-12-02T00:00:00Z')), 'on 2026-11-01');
  });

  test('a qualified target names its qualifier', () => {
    const parts = summaryParts(state({ entry: entry({ target: { functionName: 'order-workflow', qualifier: 'prod', region: 'eu-west-1', profile: 'dev', endpoint: 'https://lambda.eu-west-1.amazonaws.com/', local: false } }) }));
    assert.ok(parts.includes('order-workflow:prod in eu-west-1'), parts.join(' · '));
  });
});

describe('log lens', () => {
  test('tail, fetching, full, failed', () => {
    assert.equal(logTitle(state({ log: { text: 'a\nb\n', source: 'tail', complete: false } })), 'Log tail (last 4 B)');
    assert.equal(logTitle(state({ logFetch: { state: 'fetching', lines: 3 } })), '$(sync~spin) Fetching the full log… (3 lines)');
    assert.equal(logTitle(state({ log: { text: 'a\nb\nc\n', source: 'full', complete: true }, logFetch: { state: 'done' } })), 'Full log (3 lines)');
    assert.equal(logTitle(state({ log: { text: 'a\n', source: 'tail', complete: false }, logFetch: { state: 'failed', message: 'denied' } })), '$(warning) Log tail (last 2 B)');
  });

  test('Fetch Log is offered until the whole log is here, never for a dry run', () => {
    assert.equal(canFetchLog(state()), true);
    assert.equal(canFetchLog(state({ log: { text: 'x', source: 'full', complete: true } })), false);
    assert.equal(canFetchLog(state({ logFetch: { state: 'fetching', lines: 0 } })), false);
    const dry = entry({ request: { invocationType: 'DryRun', bytes: 0, sha256: '', kept: true, payloadSource: 'none' }, response: { statusCode: 204, headers: {}, bytes: 0, json: false, requestId: 'r' } });
    assert.equal(canFetchLog(state({ entry: dry })), false);
  });
});
