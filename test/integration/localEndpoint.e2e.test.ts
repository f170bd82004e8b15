/**
 * End to end against the built-in local endpoint: our engine (through runInvocation, as the
 * editor and CLI use it) and the AWS CLI v2, an independent client, both against the same
 * functions. Its warm-invoke latency is measured by `npm run bench` (bench/local.ts), not here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { runInvocation, type RunOutcome } from '../../src/engine/run';
import { InvokeError } from '../../src/engine/types';
import { startLocalEndpoint } from '../../src/local/index';
import { isolatedAwsEnv } from '../unit/engineFixtures';

const run = promisify(execFile);
const AWS = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => fs.existsSync(p));
const CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST0000001', secretAccessKey: 'local/test/secret/key/0000000000000000' };

let dir: string;
let endpoint: { url: URL; close(): Promise<void> };

const HANDLERS: Record<string, string> = {
  'functions/hello.js': `exports.handler = async (event, context) => {
  console.log('greeting', event.name);
  return { greeting: 'Hello, ' + event.name + '!', version: context.functionVersion, big: 12345678901234567890 };
};`,
  'functions/fail.js': `exports.handler = async () => { throw new TypeError('no such order'); };`,
  'functions/slow.js': `exports.handler = () => new Promise(() => {});`,
  'functions/crash.js': `exports.handler = async () => { process.exit(3); };`,
  'functions/context.js': `exports.handler = (event, context, callback) => callback(null, { clientContext: context.clientContext, body: event });`,
  'functions/echo.js': `exports.handler = async (event) => event;`,
};

const CONFIG = {
  functions: {
    hello: { handler: 'functions/hello.handler', versions: { '1': {} }, aliases: { live: '1' } },
    fail: { handler: 'functions/fail.handler' },
    slow: { handler: 'functions/slow.handler', timeout: 1 },
    crash: { handler: 'functions/crash.handler' },
    context: { handler: 'functions/context.handler' },
    echo: { handler: 'functions/echo.handler' },
  },
};

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** The environment both clients sign with: test keys, a region, and none of the developer's own files. */
const env = (): NodeJS.ProcessEnv => isolatedAwsEnv(dir, CREDENTIALS, 'us-east-1');

async function ours(invocation: Record<string, unknown>): Promise<RunOutcome> {
  const file = write(`inv-${Math.random().toString(36).slice(2)}.invoke.json`, JSON.stringify({ endpoint: endpoint.url.href, ...invocation }));
  const saved = process.env;
  process.env = env();
  try {
    return await runInvocation({ filePath: file, workspaceRoots: [dir], env: process.env });
  } finally {
    process.env = saved;
  }
}

async function oursFails(invocation: Record<string, unknown>): Promise<InvokeError> {
  try {
    await ours(invocation);
  } catch (e) {
    assert.ok(e instanceof InvokeError);
    return e;
  }
  assert.fail('expected the invocation to fail');
}

before(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-e2e-')));
  for (const [name, content] of Object.entries(HANDLERS)) write(name, content);
  write('lambda-invoke.local.json', JSON.stringify(CONFIG));
  endpoint = await startLocalEndpoint({ dir, port: 0, credentials: CREDENTIALS, log: () => undefined });
});

after(async () => {
  await endpoint?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the engine against the local endpoint', () => {
  test('a synchronous call with Tail: payload, executed version, Lambda-style log', async () => {
    const { result } = await ours({ functionName: 'hello', logType: 'Tail', payload: { name: 'Ada' } });
    assert.equal(result.statusCode, 200);
    assert.equal(result.executedVersion, '$LATEST');
    assert.match(result.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(JSON.parse(result.payloadText), { greeting: 'Hello, Ada!', version: '$LATEST', big: 12345678901234567000 });
    assert.match(result.logTail ?? '', /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    assert.match(result.logTail ?? '', /\tINFO\tgreeting Ada$/m);
    assert.match(result.logTail ?? '', /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/m);
  });

  test('an alias runs its version; a qualifier that does not exist is ResourceNotFoundException', async () => {
    const viaAlias = await ours({ functionName: 'hello', qualifier: 'live', payload: { name: 'Bo' } });
    assert.equal(viaAlias.result.executedVersion, '1');
    const viaName = await ours({ functionName: 'hello:1', payload: { name: 'Bo' } });
    assert.equal(viaName.result.executedVersion, '1');
    const missing = await oursFails({ functionName: 'hello', qualifier: 'nope' });
    assert.equal(missing.kind, 'service');
    assert.equal(missing.details.errorType, 'ResourceNotFoundException');
  });

  test('Event answers 202 at once; DryRun 204', async () => {
    assert.equal((await ours({ functionName: 'hello', invocationType: 'Event', payload: { name: 'Cy' } })).result.statusCode, 202);
    assert.equal((await ours({ functionName: 'hello', invocationType: 'DryRun' })).result.statusCode, 204);
  });

  test('a function error comes back as Unhandled with type, message and trace', async () => {
    const { result } = await ours({ functionName: 'fail' });
    assert.equal(result.functionError, 'Unhandled');
    assert.equal(result.errorDetails?.errorType, 'TypeError');
    assert.equal(result.errorDetails?.errorMessage, 'no such order');
    assert.ok((result.errorDetails?.stackTrace ?? []).some((line) => line.includes('fail.js')));
  });

  test('a hanging handler times out, a crashing one fails, and the endpoint keeps serving', async () => {
    const slow = await ours({ functionName: 'slow' });
    assert.equal(slow.result.functionError, 'Unhandled');
    assert.match(slow.result.errorDetails?.errorMessage ?? '', /Task timed out after 1\.00 seconds/);
    const crash = await ours({ functionName: 'crash' });
    assert.equal(crash.result.functionError, 'Unhandled');
    const after = await ours({ functionName: 'echo', payload: { still: 'here' } });
    assert.equal(after.result.payloadText, '{"still":"here"}');
  });

  test('a payload file and a client context object arrive as written', async () => {
    write('events/order.json', '{ "order": 1.50 }');
    const fromFile = await ours({ functionName: 'echo', payloadFile: 'events/order.json' });
    assert.deepEqual(JSON.parse(fromFile.result.payloadText), { order: 1.5 });
    const withContext = await ours({ functionName: 'context', clientContext: { custom: { tenant: 'acme' } }, payload: [] });
    assert.deepEqual(JSON.parse(withContext.result.payloadText), { clientContext: { custom: { tenant: 'acme' } }, body: [] });
  });

  test('wrong credentials are refused with InvalidSignatureException', async () => {
    const file = write('wrong.invoke.json', JSON.stringify({ endpoint: endpoint.url.href, functionName: 'hello' }));
    const saved = process.env;
    process.env = { ...env(), AWS_SECRET_ACCESS_KEY: 'not-the-right-secret' };
    try {
      await assert.rejects(runInvocation({ filePath: file, workspaceRoots: [dir], env: process.env }), (e: unknown) => {
        assert.ok(e instanceof InvokeError);
        assert.equal(e.details.errorType, 'InvalidSignatureException');
        return true;
      });
    } finally {
      process.env = saved;
    }
  });
});

// CI installs the AWS CLI (.ci/run), so there a missing one fails loudly instead of skipping.
describe('the AWS CLI v2 against the local endpoint', { skip: AWS === undefined && !process.env.CI ? 'AWS CLI v2 not installed: apt-get install awscli' : false }, () => {
  async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(AWS!, ['lambda', 'invoke', '--endpoint-url', endpoint.url.href, ...args], { env: env(), cwd: dir });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  test('invoke with Tail: status, version, log and payload as the AWS CLI reads them', async () => {
    const r = await aws('--function-name', 'hello', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"name":"Cli"}', '--log-type', 'Tail', 'out.json');
    assert.equal(r.code, 0, r.stderr);
    const meta = JSON.parse(r.stdout) as { StatusCode: number; ExecutedVersion: string; LogResult: string };
    assert.equal(meta.StatusCode, 200);
    assert.equal(meta.ExecutedVersion, '$LATEST');
    assert.match(Buffer.from(meta.LogResult, 'base64').toString(), /^START RequestId: .* Version: \$LATEST$/m);
    assert.equal((JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { greeting: string }).greeting, 'Hello, Cli!');
  });

  test('the AWS CLI names the service errors the endpoint sends', async () => {
    const missing = await aws('--function-name', 'nope', 'out.json');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ResourceNotFoundException/);
    const badJson = await aws('--function-name', 'hello', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{not json', 'out.json');
    assert.notEqual(badJson.code, 0);
    assert.match(badJson.stderr, /InvalidRequestContentException/);
  });

  test('an Event call and a function error, as the AWS CLI sees them', async () => {
    const event = await aws('--function-name', 'hello', '--invocation-type', 'Event', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"name":"E"}', 'out.json');
    assert.equal(event.code, 0, event.stderr);
    assert.equal((JSON.parse(event.stdout) as { StatusCode: number }).StatusCode, 202);
    const failed = await aws('--function-name', 'fail', 'out.json');
    assert.equal(failed.code, 0, failed.stderr);
    assert.equal((JSON.parse(failed.stdout) as { FunctionError: string }).FunctionError, 'Unhandled');
  });

  test('a request signed by botocore verifies; a wrong secret is InvalidSignatureException', async () => {
    const good = await aws('--function-name', 'echo', '--qualifier', '$LATEST', 'out.json');
    assert.equal(good.code, 0, good.stderr);
    const saved = env();
    try {
      await run(AWS!, ['lambda', 'invoke', '--endpoint-url', endpoint.url.href, '--function-name', 'echo', 'out.json'], {
        env: { ...saved, AWS_SECRET_ACCESS_KEY: 'wrong' },
        cwd: dir,
      });
      assert.fail('a wrong secret must be refused');
    } catch (e) {
      assert.match((e as { stderr: string }).stderr, /InvalidSignatureException/);
    }
  });
});
