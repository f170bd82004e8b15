/**
 * The invocation history: the record a call leaves (src/engine/history/record.ts) and the
 * bounded store that keeps it (historyStore.ts). Real invocations go through the engine to a
 * recording server with known fake credentials, so "no secret in the history" is checked on the
 * bytes the store actually wrote.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryStore, historyRecord, withLog } from '../../src/engine/history';
import { newEntryId } from '../../src/engine/history/record';
import type { HistoryBlobs, HistoryEntry } from '../../src/engine/history/types';
import { invoke } from '../../src/engine/invoke';
import type { InvokeFailure, RunOutcome } from '../../src/engine/run';
import { type InvocationRequest, InvokeError } from '../../src/engine/types';
import { assertNoSecret, lambdaAnswers, signaturesIn } from '../support/secretScan';
import { invocationRequest, recordingDelay, testTarget } from './engineFixtures';
import { RecordingEndpoint, TEST_CREDENTIALS } from './recordingEndpoint';

const endpoint = new RecordingEndpoint();
let url: URL;
let tmp: string;
let folders = 0;

const FILE = '/work/project/hello.invoke.json';
const REQUEST_ID = 'req-1';
const REPORT = `REPORT RequestId: ${REQUEST_ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB`;

before(async () => {
  url = await endpoint.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-history-'));
});
after(async () => {
  await endpoint.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  endpoint.requests.length = 0;
});

/** A fresh folder for one store. */
function storeDir(): string {
  return path.join(tmp, `store-${++folders}`);
}

/** Invokes through the engine; a failure comes back with its request and target, as runInvocation attaches them. */
async function call(request: InvocationRequest = invocationRequest()): Promise<{ outcome?: RunOutcome; failure?: InvokeFailure }> {
  const target = testTarget(url);
  try {
    return { outcome: { request, target, result: await invoke(request, target, { delay: recordingDelay().delay }) } };
  } catch (error) {
    assert.ok(error instanceof InvokeError, String(error));
    return { failure: Object.assign(error, { request, target }) };
  }
}

function record(from: { outcome?: RunOutcome; failure?: InvokeFailure }, keepPayloads = true) {
  const tail = from.outcome?.result.logTail;
  return historyRecord({
    ...from,
    file: FILE,
    label: 'hello',
    sentAt: new Date('2025-01-02T03:04:05.678Z'),
    keepPayloads,
    ...(tail === undefined ? {} : { log: { text: tail, source: 'tail' as const, complete: tail.includes('REPORT') } }),
  });
}

/** A stored-shaped entry of `file`/`index`, without sending anything: for the bounds. */
function entryOf(file: string, index: number): HistoryEntry {
  return {
    id: newEntryId(),
    time: new Date().toISOString(),
    invocation: { file, index, label: `invocation #${index}` },
    target: { functionName: 'f', region: 'us-west-2', profile: 'default', endpoint: 'http://127.0.0.1:1/', local: true },
    request: { invocationType: 'RequestResponse', bytes: 0, sha256: createHash('sha256').digest('hex'), kept: false, payloadSource: 'none' },
    response: { statusCode: 200, headers: {}, bytes: 2, json: true },
    durationMs: 1,
  };
}

/** Every file under `dir`, with its size. */
function filesUnder(dir: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) found.set(name, fs.statSync(file).size);
  }
  return found;
}

describe('the record of an invocation', () => {
  test('a result: status, lower-case headers, request id, sizes, REPORT figures and the bytes as sent and received', async () => {
    const log = `START RequestId: ${REQUEST_ID}\nhello\nEND RequestId: ${REQUEST_ID}\n${REPORT}\n`;
    endpoint.responder = () => ({
      status: 200,
      headers: { 'X-Amz-Executed-Version': '7', 'x-amz-log-result': Buffer.from(log).toString('base64') },
      body: '{"n":12345678901234567890}',
    });
    const recorded = record(await call(invocationRequest({ qualifier: 'live', tenantId: 'tenant-a' }, '{"a":1}')));
    assert.ok(recorded);
    const { entry, blobs } = recorded;
    assert.match(entry.id, /^[0-9a-z]+-[0-9a-f]+$/);
    assert.equal(entry.id.split('-')[0], Date.parse('2025-01-02T03:04:05.678Z').toString(36));
    assert.equal(entry.time, '2025-01-02T03:04:05.678Z');
    assert.deepEqual(entry.invocation, { file: FILE, index: 0, label: 'hello' });
    assert.deepEqual(entry.target, { functionName: 'my-function', qualifier: 'live', region: 'us-west-2', profile: 'test', endpoint: url.href, local: true });
    assert.equal(entry.request.bytes, 7);
    assert.equal(entry.request.kept, true);
    assert.equal(entry.request.tenantId, 'tenant-a');
    assert.equal(entry.response?.statusCode, 200);
    assert.equal(entry.response?.requestId, REQUEST_ID);
    assert.equal(entry.response?.executedVersion, '7');
    assert.equal(entry.response?.json, true);
    assert.equal(entry.response?.bytes, 26);
    assert.equal(entry.response?.headers['x-amz-executed-version'], '7', 'header names are lower case');
    assert.equal(entry.error, undefined);
    assert.deepEqual(entry.report, { requestId: REQUEST_ID, durationMs: 12.34, billedDurationMs: 13, memorySizeMb: 128, maxMemoryUsedMb: 45 });
    assert.deepEqual(entry.log, { bytes: Buffer.byteLength(log), source: 'tail', complete: true });
    assert.equal(Buffer.from(blobs.request!).toString(), '{"a":1}');
    assert.equal(Buffer.from(blobs.response!).toString(), '{"n":12345678901234567890}');
    assert.equal(blobs.log, log);
  });

  test('the endpoint is kept without user info, query or fragment; a remote one is not local', async () => {
    endpoint.responder = () => ({ status: 200, body: '{}' });
    const { outcome } = await call();
    const remote = { ...outcome!, target: testTarget(new URL('https://user:pass@lambda.example.com/base?X-Amz-Security-Token=abc#frag')) };
    const entry = record({ outcome: remote })!.entry;
    assert.equal(entry.target.endpoint, 'https://lambda.example.com/base');
    assert.equal(entry.target.local, false);
  });

  test('a function error: the answer is recorded with its error type and message', async () => {
    endpoint.responder = () => ({ status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"TypeError","errorMessage":"boom"}' });
    const { entry, blobs } = record(await call())!;
    assert.equal(entry.response?.functionError, 'Unhandled');
    assert.equal(entry.response?.errorType, 'TypeError');
    assert.equal(entry.response?.errorMessage, 'boom');
    assert.equal(Buffer.from(blobs.response!).toString(), '{"errorType":"TypeError","errorMessage":"boom"}');
  });

  test('a service error is recorded as an error, with no response', async () => {
    endpoint.responder = () => ({ status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: '{"message":"Function not found: my-function"}' });
    const { entry, blobs } = record(await call())!;
    assert.equal(entry.response, undefined);
    assert.equal(entry.error?.kind, 'service');
    assert.equal(entry.error?.statusCode, 404);
    assert.equal(entry.error?.errorType, 'ResourceNotFoundException');
    assert.equal(entry.error?.requestId, REQUEST_ID);
    assert.equal(blobs.response, undefined);
  });

  test('nothing sent, nothing recorded: validation, configuration, credentials, a cancel before sending', () => {
    const request = invocationRequest();
    const target = testTarget(url);
    for (const failure of [
      new InvokeError('validation', 'Not sent: the invocation has an error.'),
      new InvokeError('configuration', 'No region.'),
      new InvokeError('credentials', 'No credentials.'),
      new InvokeError('cancelled', 'Cancelled before the request was sent.', { mayHaveRun: false }),
    ]) {
      assert.equal(record({ failure: Object.assign(failure, { request, target }) }), undefined, failure.kind);
    }
    const afterSending = Object.assign(new InvokeError('cancelled', 'Cancelled after the request was sent.', { mayHaveRun: true }), { request, target });
    assert.equal(record({ failure: afterSending })?.entry.error?.kind, 'cancelled', 'a cancel after sending is recorded: the function may have run');
  });

  test('with keepPayloads off, the payload is not kept: only its size and SHA-256', async () => {
    endpoint.responder = () => ({ status: 200, body: '{}' });
    const payload = '{"card":"4111 1111 1111 1111"}';
    const { entry, blobs } = record(await call(invocationRequest({}, payload)), false)!;
    assert.equal(blobs.request, undefined);
    assert.equal(entry.request.kept, false);
    assert.equal(entry.request.bytes, Buffer.byteLength(payload));
    assert.equal(entry.request.sha256, createHash('sha256').update(payload).digest('hex'));
    assert.ok(!JSON.stringify(entry).includes('4111'));
  });

  test('withLog adds the log facts and the REPORT figures of that request', () => {
    const entry = entryOf(FILE, 0);
    entry.response!.requestId = REQUEST_ID;
    const other = REPORT.replace(REQUEST_ID, 'someone-else');
    const updated = withLog(entry, { text: `${REPORT}\n${other}\n`, source: 'full', complete: true });
    assert.equal(updated.report?.requestId, REQUEST_ID);
    assert.deepEqual(updated.log, { bytes: REPORT.length + other.length + 2, source: 'full', complete: true });
    assert.equal(entry.log, undefined, 'the entry given is not changed');
  });
});

describe('no secret in the history', () => {
  for (const { name, answer } of lambdaAnswers(TEST_CREDENTIALS)) {
    test(`${name}: index.json and every blob hold no key, token or signature`, async () => {
      endpoint.responder = () => ({ ...answer, headers: { ...answer.headers, 'x-amz-log-result': Buffer.from(`${REPORT}\n`).toString('base64') } });
      const request = invocationRequest({ logType: 'Tail', clientContext: Buffer.from('{"custom":{}}').toString('base64') });
      const recorded = record(await call(request));
      assert.ok(recorded, 'every answer was sent, so recorded');
      const dir = storeDir();
      const { store } = await HistoryStore.open(dir);
      await store.add(recorded.entry, recorded.blobs);
      const signatures = signaturesIn(endpoint.requests.map((r) => r.headers.authorization));
      assert.ok(signatures.length > 0, 'the requests were signed');
      const files = [...filesUnder(dir).keys()];
      assert.ok(files.includes('index.json'));
      for (const file of files) {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        assertNoSecret(text, file, [TEST_CREDENTIALS], signatures);
        assert.doesNotMatch(text, /authorization|x-amz-security-token|AWS4-HMAC-SHA256/i, `${file} holds a request header`);
      }
    });
  }
});

describe('the history store', () => {
  test('add, list newest first, get, forInvocation, readBlob; reopened it holds the same', async () => {
    const dir = storeDir();
    const { store, warning } = await HistoryStore.open(dir);
    assert.equal(warning, undefined);
    const first = entryOf(FILE, 0);
    const second = entryOf(FILE, 1);
    const third = entryOf(FILE, 0);
    await store.add(first, { response: Buffer.from('{"one":1}') });
    await store.add(second, {});
    await store.add(third, { response: Buffer.from('[3]'), log: 'START\n' });
    assert.deepEqual(store.list().map((e) => e.id), [third.id, second.id, first.id]);
    assert.deepEqual(store.forInvocation(FILE, 0).map((e) => e.id), [third.id, first.id]);
    assert.equal(store.get(second.id)?.invocation.index, 1);
    assert.equal((await store.readBlob(first.id, 'response'))?.toString(), '{"one":1}');
    assert.equal((await store.readBlob(third.id, 'log'))?.toString(), 'START\n');
    assert.equal(await store.readBlob(second.id, 'response'), undefined);
    assert.equal(await store.readBlob('nope-00', 'response'), undefined);
    const reopened = (await HistoryStore.open(dir)).store;
    assert.deepEqual(reopened.list(), store.list());
    assert.equal(reopened.totalBytes, store.totalBytes);
  });

  test('update replaces the entry and the blob given, and keeps the others', async () => {
    const { store } = await HistoryStore.open(storeDir());
    const entry = entryOf(FILE, 0);
    await store.add(entry, { response: Buffer.from('{}'), log: 'tail' });
    const updated = withLog(entry, { text: `whole log\n${REPORT}\n`, source: 'full', complete: true });
    await store.update(updated, { log: `whole log\n${REPORT}\n` });
    assert.equal(store.get(entry.id)?.log?.source, 'full');
    assert.equal((await store.readBlob(entry.id, 'log'))?.toString(), `whole log\n${REPORT}\n`);
    assert.equal((await store.readBlob(entry.id, 'response'))?.toString(), '{}');
  });

  test('setLog keeps a log that arrived later: its text, its facts and the REPORT figures, on disk too', async () => {
    const dir = storeDir();
    const { store } = await HistoryStore.open(dir);
    const entry = entryOf(FILE, 0);
    entry.response!.requestId = REQUEST_ID;
    await store.add(entry, { response: Buffer.from('{}') });
    const whole = `START RequestId: ${REQUEST_ID}\nwhole log\n${REPORT}\n`;
    const stored = await store.setLog(entry.id, { text: whole, source: 'full', complete: true });
    assert.deepEqual(stored?.log, { bytes: Buffer.byteLength(whole), source: 'full', complete: true });
    assert.equal(stored?.report?.maxMemoryUsedMb, 45);
    const reopened = (await HistoryStore.open(dir)).store;
    assert.equal(reopened.get(entry.id)?.report?.billedDurationMs, 13);
    assert.equal((await reopened.readBlob(entry.id, 'log'))?.toString(), whole);
    assert.equal(await store.setLog('gone-00', { text: whole, source: 'full', complete: true }), undefined, 'an entry no longer kept is left alone');
  });

  test('the 51st entry of an invocation drops that invocation’s oldest, and no other', async () => {
    const dir = storeDir();
    const { store } = await HistoryStore.open(dir);
    const other = entryOf('/work/project/other.invoke.json', 0);
    await store.add(other, { response: Buffer.from('{}') });
    const mine: HistoryEntry[] = [];
    for (let i = 0; i < 51; i++) {
      mine.push(entryOf(FILE, 2));
      await store.add(mine[i]!, { response: Buffer.from(`{"i":${i}}`) });
    }
    const kept = store.forInvocation(FILE, 2);
    assert.equal(kept.length, 50);
    assert.equal(kept.at(-1)?.id, mine[1]!.id, 'the oldest went');
    assert.equal(store.get(mine[0]!.id), undefined);
    assert.ok(!fs.existsSync(path.join(dir, mine[0]!.id)), 'and its folder with it');
    assert.ok(store.get(other.id), 'the other invocation keeps its entry though it is older');
  });

  test('the byte budget drops the oldest across invocations, and counts what is on disk', async () => {
    const dir = storeDir();
    const { store } = await HistoryStore.open(dir, { maxBytes: 35_000 });
    const entries = [0, 1, 2, 3].map((i) => entryOf(`/work/project/f${i}.invoke.json`, 0));
    for (const entry of entries) await store.add(entry, { response: Buffer.alloc(10_000, 'x') });
    assert.deepEqual(store.list().map((e) => e.id), entries.slice(1).reverse().map((e) => e.id));
    assert.ok(!fs.existsSync(path.join(dir, entries[0]!.id)));
    const onDisk = [...filesUnder(dir).values()].reduce((a, b) => a + b, 0);
    assert.equal(store.totalBytes, onDisk, 'totalBytes is the index and the blobs as written');
    assert.ok(store.totalBytes <= 35_000);

    await store.setLimits({ maxBytes: 25_000 });
    assert.deepEqual(store.list().map((e) => e.id), [entries[3]!.id, entries[2]!.id], 'a smaller budget applies at once');
  });

  test('an entry bigger than the whole budget is kept without its blobs', async () => {
    const { store } = await HistoryStore.open(storeDir(), { maxBytes: 5_000 });
    const small = entryOf(FILE, 0);
    await store.add(small, {});
    const big = entryOf(FILE, 1);
    const stored = await store.add(big, { request: Buffer.alloc(6_000), response: Buffer.alloc(6_000) });
    assert.equal(stored.blobsDropped, true);
    assert.equal(stored.request.kept, false);
    assert.equal(store.get(big.id)?.blobsDropped, true);
    assert.equal(await store.readBlob(big.id, 'response'), undefined);
    assert.ok(store.get(small.id), 'and it did not push out what fits');
  });

  for (const [what, text] of [
    ['not JSON', '{"kind": "lambda-invoke.history", "records": ['],
    ['a foreign JSON file', '{"hello": "world"}'],
    ['an entry whose id climbs out of the folder', JSON.stringify({ kind: 'lambda-invoke.history', version: 1, records: [{ entry: { ...entryOf(FILE, 0), id: '../../etc' }, sizes: {} }] })],
  ] as const) {
    test(`an index.json that is ${what} is moved aside with a warning, and the store starts empty`, async () => {
      const dir = storeDir();
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'index.json'), text);
      const { store, warning } = await HistoryStore.open(dir);
      assert.match(warning ?? '', /damaged.*moved to .*index\.broken-.*\.json.*starts empty/);
      assert.deepEqual(store.list(), []);
      const broken = fs.readdirSync(dir).filter((name) => /^index\.broken-.+\.json$/.test(name));
      assert.equal(broken.length, 1);
      assert.equal(fs.readFileSync(path.join(dir, broken[0]!), 'utf8'), text, 'kept as it was');
      await store.add(entryOf(FILE, 0), {});
      assert.equal((await HistoryStore.open(dir)).store.list().length, 1, 'and the new index works');
    });
  }

  test('index.json always parses after many concurrent adds, and holds every one', async () => {
    const dir = storeDir();
    const { store } = await HistoryStore.open(dir);
    const entries = Array.from({ length: 40 }, (_, i) => entryOf(FILE, i % 4));
    const parsedEachTime: boolean[] = [];
    await Promise.all(
      entries.map(async (entry, i) => {
        await store.add(entry, { response: Buffer.from(`{"i":${i}}`), log: `log ${i}` });
        parsedEachTime.push(JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) !== undefined);
      }),
    );
    assert.equal(parsedEachTime.length, 40);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { records: unknown[] };
    assert.equal(index.records.length, 40);
    assert.deepEqual(new Set((await HistoryStore.open(dir)).store.list().map((e) => e.id)), new Set(entries.map((e) => e.id)));
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left');
  });

  test('delete and clear remove the entries and their blob folders', async () => {
    const dir = storeDir();
    const { store } = await HistoryStore.open(dir);
    const entries = [entryOf(FILE, 0), entryOf(FILE, 1), entryOf(FILE, 2)];
    const blobs: HistoryBlobs = { request: Buffer.from('{}'), response: Buffer.from('{}'), log: 'log' };
    for (const entry of entries) await store.add(entry, blobs);
    assert.deepEqual(fs.readdirSync(path.join(dir, entries[0]!.id)).sort(), ['log.txt', 'request.bin', 'response.bin']);
    await store.delete(entries[0]!.id);
    assert.equal(store.get(entries[0]!.id), undefined);
    assert.ok(!fs.existsSync(path.join(dir, entries[0]!.id)));
    assert.ok(fs.existsSync(path.join(dir, entries[1]!.id)));
    await store.clear();
    assert.deepEqual(store.list(), []);
    assert.deepEqual(fs.readdirSync(dir), ['index.json']);
    assert.deepEqual((await HistoryStore.open(dir)).store.list(), []);
  });
});
