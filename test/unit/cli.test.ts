import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode, main } from '../../src/cli/main';
import { runCli } from '../support/cliRun';
import { LocalEndpointDefaults } from '../../src/protocol/ids';
import { parseReadyLine, type LocalEndpointReady } from '../../src/protocol/localEndpointReady';
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
  const { code, stdoutBytes, stderr } = await runCli(args, { cwd: dir, env: env() });
  return { code, stdout: stdoutBytes, stderr };
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

describe('lambda-invoke serve', () => {
  interface Serving {
    stdout: () => string;
    stderr: () => string;
    /** Resolves once `holds` is true of the output so far; rejects if serve exits first. */
    until: (holds: () => boolean, what: string) => Promise<void>;
    /** Ctrl-C, as bin.ts relays it; resolves with the exit code. */
    stop: () => Promise<number>;
  }

  function serve(...args: string[]): Serving {
    let stdout = '';
    let stderr = '';
    let exited = false;
    const waiters: Array<() => void> = [];
    const changed = (): void => {
      for (const waiter of waiters.splice(0)) waiter();
    };
    const controller = new AbortController();
    const code = main(['serve', ...args], {
      stdout: (t) => {
        stdout += Buffer.from(t).toString();
        changed();
      },
      stderr: (t) => {
        stderr += t;
        changed();
      },
      cwd: dir,
      env: process.env,
      signal: controller.signal,
    }).finally(() => {
      exited = true;
      changed();
    });
    const until = (holds: () => boolean, what: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (holds()) resolve();
          else if (exited) reject(new Error(`serve exited before ${what}: ${stderr}`));
          else waiters.push(check);
        };
        check();
      });
    return {
      stdout: () => stdout,
      stderr: () => stderr,
      until,
      stop: () => {
        controller.abort();
        return code;
      },
    };
  }

  let served: string;
  before(() => {
    served = path.join(dir, 'served');
    fs.mkdirSync(path.join(served, 'functions'), { recursive: true });
    fs.writeFileSync(path.join(served, 'lambda-invoke.local.json'), JSON.stringify({ functions: { hello: { handler: 'functions/hello.handler' }, bye: { handler: 'functions/hello.handler' } } }));
    fs.writeFileSync(path.join(served, 'functions', 'hello.js'), 'exports.handler = async () => "hi";');
  });

  test('--ready-json prints one ready line on stdout once it listens; the human line goes to stderr; Ctrl-C stops it', async () => {
    const serving = serve('--port', '0', '--ready-json', 'served');
    let ready: LocalEndpointReady | undefined;
    try {
      await serving.until(() => serving.stdout().includes('\n'), 'a line on stdout');
      ready = parseReadyLine(serving.stdout().split('\n')[0]!);
      assert.ok(ready, `a ready line: ${serving.stdout()}`);
      assert.deepEqual(ready.functions, ['hello', 'bye']);
      assert.equal(ready.url, `http://127.0.0.1:${ready.port}/`);
      assert.notEqual(ready.port, 0, 'the port the system picked');
      // It listens where the line says: an unsigned request gets Lambda's answer for one.
      const reply = await fetch(new URL('/2015-03-31/functions/hello/invocations', ready.url), { method: 'POST', body: '{}' });
      assert.equal(reply.status, 403);
      assert.equal(reply.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
      assert.match(serving.stderr(), new RegExp(`Local Lambda endpoint listening on ${ready.url.replace(/[.]/g, '\\.')}, serving hello, bye from `));
    } finally {
      assert.equal(await serving.stop(), ExitCode.ok);
    }
    assert.equal(serving.stdout().split('\n').filter((line) => line !== '').length, 1, 'nothing else on stdout');
    assert.match(serving.stderr(), /Local Lambda endpoint stopped\./);
  });

  test('without --ready-json, stdout stays empty', async () => {
    const serving = serve('--port', '0', 'served');
    try {
      await serving.until(() => serving.stderr().includes('listening on'), 'the human line');
    } finally {
      assert.equal(await serving.stop(), ExitCode.ok);
    }
    assert.equal(serving.stdout(), '');
  });

  test('--help shows the default port and address, and --ready-json', async () => {
    const run = await cli('--help');
    assert.equal(run.code, ExitCode.ok);
    const usage = run.stdout.toString();
    assert.match(usage, new RegExp(`serve \\[--port ${LocalEndpointDefaults.port}\\] \\[--host ${LocalEndpointDefaults.host.replace(/[.]/g, '\\.')}\\] \\[--ready-json\\]`));
    assert.match(usage, new RegExp(`--port N +serve: the port \\(default ${LocalEndpointDefaults.port};`));
    assert.match(usage, /--ready-json +serve: once listening, print one line of JSON/);
  });

  test('a port that is not a number, or two folders, exit 3 and start nothing', async () => {
    const port = await cli('serve', '--port', 'http', 'served');
    assert.equal(port.code, ExitCode.invalid);
    assert.match(port.stderr, /--port takes a port number, not "http"/);
    const two = await cli('serve', 'served', 'other');
    assert.equal(two.code, ExitCode.invalid);
    assert.match(two.stderr, /give at most one folder \(got 2\)/);
  });
});
