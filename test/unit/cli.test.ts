import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode, main } from '../../src/cli/main';
import { isolatedAwsEnv } from './engineFixtures';
import { RecordingEndpoint, TEST_CREDENTIALS, verifySignature } from './recordingEndpoint';

const endpoint = new RecordingEndpoint();
let url: URL;
let dir: string;

/** Known fake credentials and no trace of the developer's own ~/.aws. */
const env = (): NodeJS.ProcessEnv => isolatedAwsEnv(dir, TEST_CREDENTIALS, 'us-west-2');

interface Run {
  code: number;
  stdout: Buffer;
  stderr: string;
}

async function cli(...args: string[]): Promise<Run> {
  const out: Buffer[] = [];
  let stderr = '';
  // The SDK's credential chain reads process.env itself: run with the test environment in place.
  const saved = process.env;
  process.env = env();
  try {
    const code = await main(args, {
      stdout: (t) => out.push(Buffer.from(t)),
      stderr: (t) => (stderr += t),
      cwd: dir,
      env: process.env,
      delay: () => Promise.resolve(),
    });
    return { code, stdout: Buffer.concat(out), stderr };
  } finally {
    process.env = saved;
  }
}

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return name;
}

before(async () => {
  url = await endpoint.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-cli-'));
});
after(async () => {
  await endpoint.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  endpoint.requests.length = 0;
  endpoint.responder = () => ({ status: 200, body: '{"greeting":"hello, Ada","n":12345678901234567890}' });
});

describe('lambda-invoke run', () => {
  test('payload to stdout byte for byte; status and decoded log tail to stderr; exit 0', async () => {
    endpoint.responder = () => ({
      status: 200,
      headers: { 'x-amz-executed-version': '$LATEST', 'x-amz-log-result': Buffer.from('START\nhello from hello\nEND\n').toString('base64') },
      body: '{"greeting":"hello, Ada","n":12345678901234567890}',
    });
    const file = write('hello.invoke.json', `{"functionName": "hello", "logType": "Tail", "endpoint": "${url.href}", "payload": {"name": "Ada", "id": 12345678901234567890}}`);
    const run = await cli('run', file);
    assert.equal(run.code, ExitCode.ok, run.stderr);
    assert.equal(run.stdout.toString(), '{"greeting":"hello, Ada","n":12345678901234567890}');
    assert.match(run.stderr, /^200 · version \$LATEST · request req-1 · \d+ ms$/m);
    assert.match(run.stderr, /hello from hello/);
    const r = endpoint.requests[0]!;
    assert.equal(r.body.toString(), '{"name": "Ada", "id": 12345678901234567890}');
    assert.ok(verifySignature(r, 'us-west-2').ok, 'signed with the environment credentials for AWS_REGION');
  });

  test('--json prints one object with every response field', async () => {
    endpoint.responder = () => ({ status: 200, headers: { 'x-amz-executed-version': '3' }, body: '[1,2]' });
    const file = write('json.invoke.json', { functionName: 'hello', qualifier: '3', payload: {} });
    const run = await cli('run', file, '--json', '--endpoint', url.href, '--region', 'eu-west-1');
    assert.equal(run.code, ExitCode.ok, run.stderr);
    const out = JSON.parse(run.stdout.toString()) as Record<string, unknown>;
    assert.equal(out.statusCode, 200);
    assert.equal(out.executedVersion, '3');
    assert.equal(out.requestId, 'req-1');
    assert.equal(out.payload, '[1,2]');
    assert.equal(out.bytesSent, 2);
    assert.deepEqual(out.target, { region: 'eu-west-1', profile: 'default', endpoint: url.href });
    assert.ok(verifySignature(endpoint.requests[0]!, 'eu-west-1').ok, '--region is the signing region');
  });

  test('a function error exits 1 and names the error', async () => {
    endpoint.responder = () => ({ status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"TypeError","errorMessage":"boom","trace":[]}' });
    const run = await cli('run', write('fail.invoke.json', { functionName: 'hello', endpoint: url.href }));
    assert.equal(run.code, ExitCode.functionError);
    assert.match(run.stderr, /Function error \(Unhandled\): TypeError: boom/);
  });

  test('a service error exits 2 with what to do', async () => {
    endpoint.responder = () => ({ status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: '{"Type":"User","message":"Function not found"}' });
    const run = await cli('run', write('missing.invoke.json', { functionName: 'nope', endpoint: url.href }));
    assert.equal(run.code, ExitCode.failure);
    assert.match(run.stderr, /ResourceNotFoundException/);
    assert.match(run.stderr, /Function not found/);
  });

  test('a network error exits 2', async () => {
    const run = await cli('run', write('down.invoke.json', { functionName: 'hello', endpoint: 'http://127.0.0.1:1' }));
    assert.equal(run.code, ExitCode.failure);
    assert.match(run.stderr, /refused|could not connect/i);
  });

  test('an invalid file exits 3, prints file:line:col diagnostics, and sends nothing', async () => {
    const big = `{"functionName": "hello", "invocationType": "Event", "endpoint": "${url.href}",\n "payload": "${'x'.repeat(1024 * 1024)}"}`;
    const run = await cli('run', write('big.invoke.json', big));
    assert.equal(run.code, ExitCode.invalid);
    assert.match(run.stderr, /big\.invoke\.json:2:2: error payload-too-large Payload is 1,048,578 bytes/);
    assert.equal(endpoint.requests.length, 0);
  });

  test('array files: --index and --name pick one; without them the choices are listed', async () => {
    const file = write('many.invoke.json', [
      { name: 'first', functionName: 'one', endpoint: url.href },
      { name: 'second', functionName: 'two', endpoint: url.href },
    ]);
    const ambiguous = await cli('run', file);
    assert.equal(ambiguous.code, ExitCode.invalid);
    assert.match(ambiguous.stderr, /holds 2 invocations/);
    assert.match(ambiguous.stderr, /\[1\] second/);
    assert.equal((await cli('run', file, '--index', '1')).code, ExitCode.ok);
    assert.equal((await cli('run', file, '--name', 'first')).code, ExitCode.ok);
    assert.deepEqual(endpoint.requests.map((r) => r.url.split('/')[3]), ['two', 'one']);
    assert.equal((await cli('run', file, '--index', '5')).code, ExitCode.invalid);
  });

  test('--dry-run sends a DryRun', async () => {
    endpoint.responder = () => ({ status: 204 });
    const run = await cli('run', write('dry.invoke.json', { functionName: 'hello', endpoint: url.href }), '--dry-run');
    assert.equal(run.code, ExitCode.ok, run.stderr);
    assert.equal(endpoint.requests[0]!.headers['x-amz-invocation-type'], 'DryRun');
    assert.match(run.stderr, /^204/m);
  });

  test('the payloadFile bytes are sent as they are on disk', async () => {
    write('events/order.json', '{ "order": 1.50 }\n');
    await cli('run', write('withfile.invoke.json', { functionName: 'hello', endpoint: url.href, payloadFile: 'events/order.json' }));
    assert.equal(endpoint.requests[0]!.body.toString(), '{ "order": 1.50 }\n');
  });

  test('usage mistakes exit 3 with the usage', async () => {
    for (const args of [[], ['frobnicate'], ['run'], ['run', 'a', 'b'], ['run', 'x.invoke.json', '--index', 'one'], ['run', 'x', '--bogus']]) {
      const run = await cli(...args);
      assert.equal(run.code, ExitCode.invalid, args.join(' '));
      assert.ok(run.stderr.length > 0, `a message for: ${args.join(' ')}`);
    }
    const missing = await cli('run', 'nowhere.invoke.json');
    assert.match(missing.stderr, /cannot read .*nowhere\.invoke\.json: no such file/);
  });
});

describe('lambda-invoke check', () => {
  test('prints the editor\'s diagnostics and exits 3 on any error', async () => {
    const bad = write('bad.invoke.json', '{\n  "functionName": "my function",\n  "invocationType": "Event",\n  "logType": "Tail"\n}');
    const good = write('good.invoke.json', { functionName: 'hello' });
    const run = await cli('check', bad, good);
    assert.equal(run.code, ExitCode.invalid);
    const lines = run.stdout.toString().trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      ['bad.invoke.json:2:19: error function-name-invalid', 'bad.invoke.json:4:3: warning async-ignores-log-tail'],
    );
    assert.match(run.stderr, /2 files checked: 1 error, 1 warning/);
  });

  test('warnings alone exit 0', async () => {
    const run = await cli('check', write('warn.invoke.json', { functionName: 'hello', invocationType: 'Event', logType: 'Tail' }));
    assert.equal(run.code, ExitCode.ok);
  });
});
