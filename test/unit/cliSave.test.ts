/**
 * `lambda-invoke run FILE --save DIR`: the result written to a folder, as a user or a script
 * reads it back: the payload's bytes exactly, metadata.json with the status and request id, the
 * log tail, and a clear message (and exit code) when the folder cannot be written.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../../src/cli/main';
import type { HistoryEntry } from '../../src/engine/history/types';
import { runCli } from '../support/cliRun';
import { isolatedAwsEnv } from './engineFixtures';
import { RecordingEndpoint, TEST_CREDENTIALS } from './recordingEndpoint';

const endpoint = new RecordingEndpoint();
let dir: string;
let file: string;
let outputs = 0;

const PAYLOAD = '{"greeting":"hello, Ada","n":12345678901234567890}';

before(async () => {
  const url = await endpoint.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-cli-save-'));
  file = 'hello.invoke.json';
  fs.writeFileSync(path.join(dir, file), JSON.stringify({ functionName: 'hello', endpoint: url.href, payload: { n: 1 } }));
});
after(async () => {
  await endpoint.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  endpoint.requests.length = 0;
  endpoint.responder = () => ({ status: 200, body: PAYLOAD });
});

function cli(...args: string[]) {
  return runCli(args, { cwd: dir, env: isolatedAwsEnv(dir, TEST_CREDENTIALS, 'us-west-2') });
}

/** A folder name not used yet, relative to the working folder (as a user types it). */
function outDir(): string {
  return path.join('results', `run-${++outputs}`);
}

type SavedMetadata = HistoryEntry & { kind: string; version: number };

function metadata(out: string): SavedMetadata {
  return JSON.parse(fs.readFileSync(path.join(dir, out, 'metadata.json'), 'utf8')) as SavedMetadata;
}

describe('lambda-invoke run --save', () => {
  test('writes the payload byte for byte and metadata.json with status and request id; says so on stderr', async () => {
    const out = outDir();
    const run = await cli('run', file, '--save', out);
    assert.equal(run.code, ExitCode.ok, run.stderr);
    assert.equal(run.stdout, PAYLOAD, 'stdout still has the payload');
    assert.equal(fs.readFileSync(path.join(dir, out, 'response.json'), 'utf8'), PAYLOAD, '12345678901234567890 intact');
    const meta = metadata(out);
    assert.equal(meta.kind, 'lambda-invoke.result');
    assert.equal(meta.version, 1);
    assert.equal(meta.response?.statusCode, 200);
    assert.equal(meta.response?.requestId, 'req-1');
    assert.equal(meta.invocation.file, path.join(dir, file));
    assert.equal(meta.invocation.label, 'hello');
    assert.equal(meta.target.functionName, 'hello');
    assert.equal(meta.request.kept, false);
    assert.match(run.stderr, new RegExp(`^saved response\\.json, metadata\\.json to ${escape(path.join(dir, out))}$`, 'm'));
    assert.deepEqual(fs.readdirSync(path.join(dir, out)).sort(), ['metadata.json', 'response.json']);
  });

  test('a log tail goes to log.txt, a function error is saved too (exit 1)', async () => {
    const tail = 'START RequestId: req-1\nboom\nEND RequestId: req-1\nREPORT RequestId: req-1\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\n';
    endpoint.responder = () => ({
      status: 200,
      headers: { 'x-amz-function-error': 'Unhandled', 'x-amz-log-result': Buffer.from(tail).toString('base64') },
      body: '{"errorType":"Error","errorMessage":"boom"}',
    });
    const out = outDir();
    const run = await cli('run', file, '--save', out);
    assert.equal(run.code, ExitCode.functionError, run.stderr);
    assert.equal(fs.readFileSync(path.join(dir, out, 'log.txt'), 'utf8'), tail);
    const meta = metadata(out);
    assert.equal(meta.response?.functionError, 'Unhandled');
    assert.equal(meta.response?.errorMessage, 'boom');
    assert.equal(meta.report?.maxMemoryUsedMb, 40);
    assert.match(run.stderr, /^saved response\.json, metadata\.json, log\.txt to /m);
  });

  test('a call sent that failed: only metadata.json, with the error (exit 2)', async () => {
    endpoint.responder = () => ({ status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: '{"message":"Function not found"}' });
    const out = outDir();
    const run = await cli('run', file, '--save', out);
    assert.equal(run.code, ExitCode.failure, run.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, out)), ['metadata.json']);
    const meta = metadata(out);
    assert.equal(meta.error?.kind, 'service');
    assert.equal(meta.error?.errorType, 'ResourceNotFoundException');
    assert.equal(meta.response, undefined);
  });

  test('text that is not JSON goes to response.txt, bytes that are not UTF-8 to response.bin', async () => {
    endpoint.responder = () => ({ status: 200, body: 'plain words' });
    const text = outDir();
    assert.equal((await cli('run', file, '--save', text)).code, ExitCode.ok);
    assert.equal(fs.readFileSync(path.join(dir, text, 'response.txt'), 'utf8'), 'plain words');
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    endpoint.responder = () => ({ status: 200, body: bytes });
    const binary = outDir();
    assert.equal((await cli('run', file, '--save', binary)).code, ExitCode.ok);
    assert.deepEqual(fs.readFileSync(path.join(dir, binary, 'response.bin')), bytes);
  });

  test('with --json, the paths written are in the JSON object as "saved"', async () => {
    const out = outDir();
    const run = await cli('run', file, '--json', '--save', out);
    assert.equal(run.code, ExitCode.ok, run.stderr);
    const printed = JSON.parse(run.stdout) as { payload: string; saved: string[] };
    assert.equal(printed.payload, PAYLOAD);
    assert.deepEqual(printed.saved, [path.join(dir, out, 'response.json'), path.join(dir, out, 'metadata.json')]);
    assert.doesNotMatch(run.stderr, /^saved /m, 'the paths are in the JSON, not on stderr');
  });

  test('a folder that cannot be written: a clear message, the payload still on stdout, exit 3', async () => {
    fs.writeFileSync(path.join(dir, 'a-file'), 'not a folder');
    const out = path.join('a-file', 'results');
    const run = await cli('run', file, '--save', out);
    assert.equal(run.code, ExitCode.invalid);
    assert.equal(run.stdout, PAYLOAD);
    assert.match(run.stderr, new RegExp(`could not save the result to ${escape(path.join(dir, out))}: .+ give --save a folder you can write`));
    assert.doesNotMatch(run.stderr, /^saved /m);
  });

  test('a folder that cannot be written after a function error keeps the function error’s exit code', async () => {
    endpoint.responder = () => ({ status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorMessage":"boom"}' });
    const run = await cli('run', file, '--save', path.join('a-file', 'results'));
    assert.equal(run.code, ExitCode.functionError);
    assert.match(run.stderr, /could not save the result/);
  });

  test('nothing sent (an invalid file): nothing saved, and it says so', async () => {
    fs.writeFileSync(path.join(dir, 'bad.invoke.json'), '{"payload": {}}');
    const out = outDir();
    const run = await cli('run', 'bad.invoke.json', '--save', out);
    assert.equal(run.code, ExitCode.invalid);
    assert.ok(!fs.existsSync(path.join(dir, out)));
    assert.match(run.stderr, /nothing saved to .*: the invocation was not sent/);
    assert.equal(endpoint.requests.length, 0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
