/**
 * The local Lambda endpoint (src/local), through HTTP only: each behaviour the service has
 * and the endpoint copies — statuses, headers, error names and bodies, limits, logs, context,
 * signatures — with small handler files in a temporary folder. Requests are signed with
 * `aws4`, independent of the endpoint's own verifier. Every worker started is checked to be
 * gone at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import aws4 from 'aws4';
import { LocalConfigError, startLocalEndpoint, type LocalEndpoint } from '../../src/local/index';

const REGION = 'eu-west-1';
const ANY_CREDENTIALS = { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'anything-at-all' };
const EXPECTED_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST000001', secretAccessKey: 'local/Secret+Key/For/Tests0000000000000' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SYNC_LIMIT = 6_291_456;
const EVENT_LIMIT = 1_048_576;

// ---------------------------------------------------------------------------------------------
// Helpers

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface InvokeOptions {
  body?: string | Buffer;
  qualifier?: string;
  headers?: Record<string, string>;
  /** Signing credentials; `false` sends no Authorization header. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | false;
}

function signedRequest(url: URL, functionName: string, options: InvokeOptions): { path: string; headers: http.OutgoingHttpHeaders; body: string | Buffer } {
  const query = options.qualifier === undefined ? '' : `?Qualifier=${encodeURIComponent(options.qualifier)}`;
  // The path label encoded once, as SDKs send it (`:` → %3A).
  const requestPath = `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations${query}`;
  const body = options.body ?? '';
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json', ...options.headers };
  if (options.credentials === false) return { path: requestPath, headers: { ...headers, Host: url.host }, body };
  const signed = aws4.sign({ host: url.host, path: requestPath, method: 'POST', service: 'lambda', region: REGION, headers, body }, options.credentials ?? ANY_CREDENTIALS);
  return { path: requestPath, headers: signed.headers ?? {}, body };
}

function send(url: URL, request: { path: string; headers: http.OutgoingHttpHeaders; body: string | Buffer; method?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: url.hostname, port: url.port, path: request.path, method: request.method ?? 'POST', headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

function invoke(endpoint: LocalEndpoint, functionName: string, options: InvokeOptions = {}): Promise<Reply> {
  return send(endpoint.url, signedRequest(endpoint.url, functionName, options));
}

/** The body as JSON, any value. */
function value(reply: Reply): unknown {
  return JSON.parse(reply.body);
}

/** The body as a JSON object. */
function json(reply: Reply): Record<string, unknown> {
  return value(reply) as Record<string, unknown>;
}

function header(reply: Reply, name: string): string | undefined {
  const value = reply.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function decodedLog(reply: Reply): string {
  const value = header(reply, 'x-amz-log-result');
  assert.ok(value, 'X-Amz-Log-Result is present');
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Asserts a Lambda-style error answer: status, `X-Amzn-ErrorType`, `{"Type","message"}`. */
function assertServiceError(reply: Reply, status: number, name: string, message?: RegExp): void {
  assert.equal(reply.status, status, reply.body);
  assert.equal(header(reply, 'x-amzn-errortype'), name);
  assert.match(header(reply, 'x-amzn-requestid') ?? '', UUID);
  const body = json(reply);
  assert.equal(body.Type, 'User');
  assert.equal(typeof body.message, 'string');
  if (message) assert.match(body.message as string, message);
}

const tempDirs: string[] = [];
/** A fresh folder holding `files` (path → content). */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-local-')));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** Resolves when `file` exists, watching its folder (no polling sleeps). */
function fileAppears(file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = fs.watch(path.dirname(file), () => check());
    const check = (): void => {
      if (fs.existsSync(file)) {
        watcher.close();
        resolve();
      }
    };
    check();
  });
}

const logLines: string[] = [];
const logWaiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
function log(line: string): void {
  logLines.push(line);
  for (const waiter of logWaiters.filter((w) => w.pattern.test(line))) {
    logWaiters.splice(logWaiters.indexOf(waiter), 1);
    waiter.resolve(line);
  }
}

/** The first log line, past or future, that matches `pattern`. */
function logLine(pattern: RegExp): Promise<string> {
  const seen = logLines.find((line) => pattern.test(line));
  return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => logWaiters.push({ pattern, resolve }));
}

/** Every worker pid the endpoints announced. */
function startedPids(): number[] {
  return logLines.flatMap((line) => {
    const match = /^Worker (\d+) started for /.exec(line);
    return match ? [Number(match[1])] : [];
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const endpoints: LocalEndpoint[] = [];
async function start(dir: string, credentials?: { accessKeyId: string; secretAccessKey: string }): Promise<LocalEndpoint> {
  const endpoint = await startLocalEndpoint({ dir, port: 0, log, ...(credentials ? { credentials } : {}) });
  endpoints.push(endpoint);
  return endpoint;
}

after(async () => {
  await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  const pids = startedPids();
  assert.ok(pids.length > 0, 'workers were started');
  assert.deepEqual(
    pids.filter((pid) => isAlive(pid)),
    [],
    'no worker process outlives its endpoint',
  );
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// ---------------------------------------------------------------------------------------------
// The functions most tests invoke

const FUNCTIONS: Record<string, string> = {
  'functions/hello.js': `
    exports.handler = async (event) => {
      console.log('Hello from hello');
      return { greeting: process.env.GREETING + ', ' + (event.name ?? 'world') };
    };`,
  'functions/callback.js': `
    exports.handler = (event, context, callback) => { callback(null, { style: 'callback', got: event }); };`,
  'functions/module.mjs': `
    export const handler = async (event) => ({ style: 'esm', got: event });`,
  'functions/context.js': `
    exports.handler = async (event, context) => ({
      awsRequestId: context.awsRequestId,
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      remaining: context.getRemainingTimeInMillis(),
      clientContext: context.clientContext ?? null,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
      env: process.env,
    });`,
  'functions/errors.js': `
    exports.thrown = async () => { throw new Error('boom'); };
    exports.callbackError = (event, context, callback) => callback(new RangeError('out of range'));
    exports.rejected = () => Promise.reject(new TypeError('rejected'));
    exports.uncaught = () => new Promise(() => { setTimeout(() => { throw new Error('thrown later'); }, 1); });
    exports.floating = async () => { Promise.reject(new Error('nobody waits for me')); await new Promise((r) => setTimeout(r, 1000)); return 'late'; };`,
  'functions/hang.js': `exports.handler = () => new Promise(() => {});`,
  'functions/crash.js': `exports.handler = async () => { console.log('about to exit'); process.exit(3); };`,
  'functions/streams.js': `
    exports.handler = async () => {
      console.info('info line');
      console.warn('warn line');
      console.error('error', { code: 7 });
      console.log('two\\nlines');
      process.stdout.write('raw stdout\\n');
      process.stderr.write('raw stderr\\n');
      return 'written';
    };`,
  'functions/pid.js': `exports.handler = async () => process.pid;`,
  'functions/chatty.js': `
    exports.handler = async () => { for (let i = 0; i < 100; i++) console.log('line ' + i + ' ' + 'x'.repeat(100)); return 'done'; };`,
  'functions/size.js': `exports.handler = async (event) => typeof event === 'string' ? event.length : event;`,
  'functions/background.js': `
    const fs = require('node:fs');
    exports.handler = async (event) => {
      // Finishes only after the test saw the 202 and created the "go" file.
      while (!fs.existsSync(event.go)) await new Promise((resolve) => setTimeout(resolve, 5));
      // Written aside, then renamed: the file appears complete.
      fs.writeFileSync(event.done + '.tmp', 'ran for ' + event.go);
      fs.renameSync(event.done + '.tmp', event.done);
    };`,
  'functions/loaded.js': `
    require('node:fs').writeFileSync(require('node:path').join(__dirname, 'loaded.marker'), 'loaded');
    exports.handler = async () => 'ran';`,
  'functions/trivial.js': `exports.handler = async () => 'ok';`,
  'functions/noexport.js': `exports.other = async () => 'x';`,
};

const CONFIG = {
  functions: {
    hello: {
      handler: 'functions/hello.handler',
      environment: { GREETING: 'Hello' },
      versions: { '1': { environment: { GREETING: 'Hi' } }, '2': {} },
      aliases: { live: '1', edge: '$LATEST' },
    },
    callback: { handler: 'functions/callback.handler' },
    module: { handler: 'functions/module.mjs.handler' },
    context: { handler: 'functions/context.handler', memory: 256, timeout: 5, environment: { COLOUR: 'blue' } },
    thrown: { handler: 'functions/errors.thrown' },
    callbackError: { handler: 'functions/errors.callbackError' },
    rejected: { handler: 'functions/errors.rejected' },
    uncaught: { handler: 'functions/errors.uncaught' },
    floating: { handler: 'functions/errors.floating' },
    hang: { handler: 'functions/hang.handler', timeout: 1 },
    crash: { handler: 'functions/crash.handler' },
    pid: { handler: 'functions/pid.handler' },
    streams: { handler: 'functions/streams.handler' },
    chatty: { handler: 'functions/chatty.handler' },
    size: { handler: 'functions/size.handler' },
    background: { handler: 'functions/background.handler' },
    loaded: { handler: 'functions/loaded.handler' },
    trivial: { handler: 'functions/trivial.handler' },
    missing: { handler: 'functions/nothing-here.handler' },
    noexport: { handler: 'functions/noexport.handler' },
  },
};

let dir: string;
let endpoint: LocalEndpoint;

before(async () => {
  process.env.LOCAL_ENDPOINT_TEST_SECRET = 'must-not-leak';
  dir = await folder({ ...FUNCTIONS, 'lambda-invoke.local.json': JSON.stringify(CONFIG, null, 2) });
  endpoint = await start(dir);
});

// ---------------------------------------------------------------------------------------------

describe('handlers', () => {
  test('an async handler answers 200 with its JSON result, the executed version and a request id', async () => {
    const reply = await invoke(endpoint, 'hello', { body: '{"name":"Ada"}' });
    assert.equal(reply.status, 200);
    assert.deepEqual(json(reply), { greeting: 'Hello, Ada' });
    assert.equal(header(reply, 'x-amz-executed-version'), '$LATEST');
    assert.match(header(reply, 'x-amzn-requestid') ?? '', UUID);
    assert.equal(header(reply, 'content-type'), 'application/json');
    assert.equal(header(reply, 'x-amz-function-error'), undefined);
    assert.equal(header(reply, 'x-amz-log-result'), undefined, 'no log without Tail');
  });

  test('a callback-style handler answers with what it passes to the callback', async () => {
    const reply = await invoke(endpoint, 'callback', { body: '{"n":1}' });
    assert.equal(reply.status, 200);
    assert.deepEqual(json(reply), { style: 'callback', got: { n: 1 } });
  });

  test('an ES module handler (.mjs, export const handler) runs', async () => {
    const reply = await invoke(endpoint, 'module', { body: '[1,2]' });
    assert.equal(reply.status, 200);
    assert.deepEqual(json(reply), { style: 'esm', got: [1, 2] });
  });

  test('an empty body reaches the handler as the event {}', async () => {
    const reply = await invoke(endpoint, 'callback');
    assert.deepEqual(json(reply), { style: 'callback', got: {} });
  });

  test('context carries the request id, names, version, ARN (region from the signature), memory, remaining time and log names', async () => {
    const reply = await invoke(endpoint, 'context');
    const context = json(reply);
    assert.equal(context.awsRequestId, header(reply, 'x-amzn-requestid'));
    assert.equal(context.functionName, 'context');
    assert.equal(context.functionVersion, '$LATEST');
    assert.equal(context.invokedFunctionArn, `arn:aws:lambda:${REGION}:000000000000:function:context`);
    assert.equal(context.memoryLimitInMB, '256');
    assert.ok(typeof context.remaining === 'number' && context.remaining > 4000 && context.remaining <= 5000, `remaining ${String(context.remaining)}`);
    assert.equal(context.clientContext, null);
    assert.equal(context.logGroupName, '/aws/lambda/context');
    assert.match(String(context.logStreamName), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(context.callbackWaitsForEmptyEventLoop, true);
  });

  test('invokedFunctionArn keeps the qualifier the caller used', async () => {
    const context = json(await invoke(endpoint, 'hello:live'));
    assert.deepEqual(context, { greeting: 'Hi, world' });
    const viaQuery = json(await invoke(endpoint, 'context', { qualifier: '$LATEST' }));
    assert.equal(viaQuery.invokedFunctionArn, `arn:aws:lambda:${REGION}:000000000000:function:context:$LATEST`);
  });

  test('the client context reaches the handler decoded', async () => {
    const clientContext = { client: { installation_id: 'abc' }, custom: { flag: true }, env: { locale: 'en' } };
    const reply = await invoke(endpoint, 'context', { headers: { 'X-Amz-Client-Context': Buffer.from(JSON.stringify(clientContext)).toString('base64') } });
    assert.deepEqual(json(reply).clientContext, clientContext);
  });

  test("the environment holds the function's variables and Lambda's, and nothing else of the endpoint's", async () => {
    const env = json(await invoke(endpoint, 'context')).env as Record<string, string>;
    assert.equal(env.COLOUR, 'blue');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'context');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(env.AWS_REGION, REGION);
    assert.equal(env.LOCAL_ENDPOINT_TEST_SECRET, undefined);
  });

  test('a warm worker is reused: the same process answers two calls', async () => {
    const first = value(await invoke(endpoint, 'pid'));
    const second = value(await invoke(endpoint, 'pid'));
    assert.equal(typeof first, 'number');
    assert.equal(second, first);
  });

  test('an alias runs the version it points at and reports that version', async () => {
    const alias = await invoke(endpoint, 'hello:live');
    assert.equal(header(alias, 'x-amz-executed-version'), '1');
    assert.deepEqual(json(alias), { greeting: 'Hi, world' });
    const query = await invoke(endpoint, 'hello', { qualifier: 'live' });
    assert.equal(header(query, 'x-amz-executed-version'), '1');
    const version = await invoke(endpoint, 'hello', { qualifier: '2' });
    assert.equal(header(version, 'x-amz-executed-version'), '2');
    assert.deepEqual(json(version), { greeting: 'Hello, world' }, 'a version without overrides takes the function settings');
    const latestAlias = await invoke(endpoint, 'hello:edge');
    assert.equal(header(latestAlias, 'x-amz-executed-version'), '$LATEST');
  });

  test('full and partial ARNs name the function', async () => {
    for (const name of [`arn:aws:lambda:${REGION}:123456789012:function:hello`, '123456789012:function:hello', `${REGION}:123456789012:function:hello:live`]) {
      const reply = await invoke(endpoint, name);
      assert.equal(reply.status, 200, `${name}: ${reply.body}`);
    }
  });
});

describe('logs', () => {
  const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;

  test('Tail returns a log laid out like Lambda: START, prefixed console lines, END, REPORT', async () => {
    const reply = await invoke(endpoint, 'hello', { headers: { 'X-Amz-Log-Type': 'Tail' } });
    const id = header(reply, 'x-amzn-requestid')!;
    const lines = decodedLog(reply).split('\n');
    assert.equal(lines.pop(), '', 'the log ends with a newline');
    const start = lines.findIndex((line) => line.startsWith('START '));
    assert.match(lines[start]!, new RegExp(`^START RequestId: ${id} Version: \\$LATEST$`));
    assert.match(lines[start + 1]!, new RegExp(`^${ISO}\\t${id}\\tINFO\\tHello from hello$`));
    assert.match(lines[start + 2]!, new RegExp(`^END RequestId: ${id}$`));
    assert.match(
      lines[start + 3]!,
      new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB(\\tInit Duration: \\d+\\.\\d{2} ms)?$`),
    );
    assert.equal(lines.length, start + 4);
  });

  test('console levels get their own tags, multi-line text stays one line, raw stream writes are kept as written', async () => {
    const reply = await invoke(endpoint, 'streams', { headers: { 'X-Amz-Log-Type': 'Tail' } });
    const id = header(reply, 'x-amzn-requestid')!;
    const log = decodedLog(reply);
    const body = log.slice(log.indexOf('\n') + 1, log.indexOf('END RequestId'));
    assert.match(
      body,
      new RegExp(
        [
          `^${ISO}\\t${id}\\tINFO\\tinfo line`,
          `${ISO}\\t${id}\\tWARN\\twarn line`,
          `${ISO}\\t${id}\\tERROR\\terror \\{ code: 7 \\}`,
          `${ISO}\\t${id}\\tINFO\\ttwo\\rlines`,
          'raw stdout',
          'raw stderr',
          '$',
        ].join('\\n'),
      ),
    );
  });

  test('the same log goes to options.log', async () => {
    const reply = await invoke(endpoint, 'hello');
    const id = header(reply, 'x-amzn-requestid')!;
    assert.ok(logLines.includes(`START RequestId: ${id} Version: $LATEST`));
    assert.ok(logLines.some((line) => new RegExp(`^${ISO}\\t${id}\\tINFO\\tHello from hello$`).test(line)));
    assert.ok(logLines.includes(`END RequestId: ${id}`));
    assert.ok(logLines.some((line) => line.startsWith(`REPORT RequestId: ${id}\tDuration: `)));
  });

  test('a cold start adds Init Duration to REPORT; a warm call does not', async () => {
    const cold = decodedLog(await invoke(endpoint, 'trivial', { headers: { 'X-Amz-Log-Type': 'Tail' } }));
    assert.match(cold, /\tInit Duration: \d+\.\d{2} ms\n$/);
    const warm = decodedLog(await invoke(endpoint, 'trivial', { headers: { 'X-Amz-Log-Type': 'Tail' } }));
    assert.match(warm, /\tMax Memory Used: \d+ MB\n$/);
  });

  test('X-Amz-Log-Result carries only the last 4 KB of a longer log', async () => {
    const reply = await invoke(endpoint, 'chatty', { headers: { 'X-Amz-Log-Type': 'Tail' } });
    const tail = Buffer.from(header(reply, 'x-amz-log-result')!, 'base64');
    assert.equal(tail.length, 4096);
    const text = tail.toString('utf8');
    assert.ok(!text.includes('START RequestId'), 'the start is cut off');
    assert.match(text, /line 99 x+\nEND RequestId: [0-9a-f-]+\nREPORT RequestId: [^\n]+\n$/);
  });
});

describe('function errors', () => {
  test('a thrown error answers 200 with X-Amz-Function-Error: Unhandled and {errorType, errorMessage, trace}', async () => {
    const reply = await invoke(endpoint, 'thrown', { headers: { 'X-Amz-Log-Type': 'Tail' } });
    assert.equal(reply.status, 200);
    assert.equal(header(reply, 'x-amz-function-error'), 'Unhandled');
    const body = json(reply);
    assert.deepEqual(Object.keys(body), ['errorType', 'errorMessage', 'trace']);
    assert.equal(body.errorType, 'Error');
    assert.equal(body.errorMessage, 'boom');
    assert.ok(Array.isArray(body.trace));
    assert.equal((body.trace as string[])[0], 'Error: boom');
    assert.match((body.trace as string[])[1]!, /errors\.js/);
    assert.match(decodedLog(reply), /\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"boom"/);
  });

  test('callback(error) and a rejected promise are unhandled errors too', async () => {
    const callback = await invoke(endpoint, 'callbackError');
    assert.equal(header(callback, 'x-amz-function-error'), 'Unhandled');
    assert.deepEqual([json(callback).errorType, json(callback).errorMessage], ['RangeError', 'out of range']);
    const rejected = await invoke(endpoint, 'rejected');
    assert.equal(header(rejected, 'x-amz-function-error'), 'Unhandled');
    assert.deepEqual([json(rejected).errorType, json(rejected).errorMessage], ['TypeError', 'rejected']);
  });

  test('an exception or rejection nobody handles fails the invocation and the worker is replaced', async () => {
    const first = await invoke(endpoint, 'uncaught');
    assert.equal(header(first, 'x-amz-function-error'), 'Unhandled');
    assert.equal(json(first).errorMessage, 'thrown later');
    const again = await invoke(endpoint, 'uncaught');
    assert.equal(json(again).errorMessage, 'thrown later', 'a fresh worker ran it');
    const floating = await invoke(endpoint, 'floating');
    assert.equal(header(floating, 'x-amz-function-error'), 'Unhandled');
    assert.deepEqual([json(floating).errorType, json(floating).errorMessage], ['Runtime.UnhandledPromiseRejection', 'Error: nobody waits for me']);
  });

  test('a timeout answers Sandbox.Timedout, kills the worker, and the endpoint keeps serving', async () => {
    const started = performance.now();
    const reply = await invoke(endpoint, 'hang', { headers: { 'X-Amz-Log-Type': 'Tail' } });
    assert.ok(performance.now() - started >= 1000, 'it waited for the 1-second timeout');
    assert.equal(reply.status, 200);
    assert.equal(header(reply, 'x-amz-function-error'), 'Unhandled');
    assert.equal(json(reply).errorType, 'Sandbox.Timedout');
    assert.match(String(json(reply).errorMessage), /Task timed out after 1\.00 seconds$/);
    assert.match(decodedLog(reply), /\tDuration: 1000\.00 ms\t.*\tStatus: timeout\n$/);
    const hello = await invoke(endpoint, 'hello');
    assert.equal(hello.status, 200);
    assert.deepEqual(json(hello), { greeting: 'Hello, world' });
    const pid = /^Worker (\d+)/.exec(await logLine(/^Worker \d+ started for hang:\$LATEST/))![1]!;
    await logLine(new RegExp(`^Worker ${pid} for hang:\\$LATEST stopped: signal: killed\\.$`));
    assert.equal(isAlive(Number(pid)), false, 'the hanging worker is gone');
  });

  test('a handler that exits the process answers Runtime.ExitError, and the endpoint keeps serving', async () => {
    const reply = await invoke(endpoint, 'crash', { headers: { 'X-Amz-Log-Type': 'Tail' } });
    assert.equal(reply.status, 200);
    assert.equal(header(reply, 'x-amz-function-error'), 'Unhandled');
    assert.equal(json(reply).errorType, 'Runtime.ExitError');
    assert.match(String(json(reply).errorMessage), /Runtime exited with error: exit status 3$/);
    const log = decodedLog(reply);
    assert.match(log, /\tINFO\tabout to exit\n/, 'output before the exit is kept');
    assert.match(log, /\tStatus: error\tError Type: Runtime\.ExitError\n$/);
    const again = await invoke(endpoint, 'crash');
    assert.equal(json(again).errorType, 'Runtime.ExitError', 'a replacement worker ran it');
    assert.equal((await invoke(endpoint, 'pid')).status, 200);
  });

  test('a missing handler file or export fails like Lambda: ImportModuleError, HandlerNotFound', async () => {
    const missing = await invoke(endpoint, 'missing');
    assert.equal(header(missing, 'x-amz-function-error'), 'Unhandled');
    assert.equal(json(missing).errorType, 'Runtime.ImportModuleError');
    assert.match(String(json(missing).errorMessage), /functions\/nothing-here\.js/);
    const noExport = await invoke(endpoint, 'noexport');
    assert.equal(json(noExport).errorType, 'Runtime.HandlerNotFound');
    assert.match(String(json(noExport).errorMessage), /functions\/noexport\.handler is undefined or not exported/);
  });
});

describe('invocation types', () => {
  test('Event answers 202 at once and runs the function in the background', async () => {
    const go = path.join(dir, 'event.go');
    const done = path.join(dir, 'event.done');
    const reply = await invoke(endpoint, 'background', { body: JSON.stringify({ go, done }), headers: { 'X-Amz-Invocation-Type': 'Event' } });
    assert.equal(reply.status, 202);
    assert.equal(reply.body, '');
    assert.match(header(reply, 'x-amzn-requestid') ?? '', UUID);
    assert.equal(fs.existsSync(done), false, 'the 202 came before the function finished');
    await writeFile(go, 'go');
    await fileAppears(done);
    assert.equal(fs.readFileSync(done, 'utf8'), `ran for ${go}`);
  });

  test('DryRun answers 204 for an existing function and runs nothing', async () => {
    const reply = await invoke(endpoint, 'loaded', { headers: { 'X-Amz-Invocation-Type': 'DryRun' } });
    assert.equal(reply.status, 204);
    assert.equal(reply.body, '');
    assert.equal(fs.existsSync(path.join(dir, 'functions', 'loaded.marker')), false, 'the handler module was never loaded');
    assert.ok(!logLines.includes(`START RequestId: ${header(reply, 'x-amzn-requestid')} Version: $LATEST`));
    assertServiceError(await invoke(endpoint, 'nope', { headers: { 'X-Amz-Invocation-Type': 'DryRun' } }), 404, 'ResourceNotFoundException');
  });

  test('an unknown invocation type or log type is a 400 InvalidParameterValueException', async () => {
    assertServiceError(
      await invoke(endpoint, 'hello', { headers: { 'X-Amz-Invocation-Type': 'Later' } }),
      400,
      'InvalidParameterValueException',
      /Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: \[Event, RequestResponse, DryRun\]/,
    );
    assertServiceError(await invoke(endpoint, 'hello', { headers: { 'X-Amz-Log-Type': 'All' } }), 400, 'InvalidParameterValueException', /'logType'/);
  });
});

describe('service errors', () => {
  test('an unknown function is 404 ResourceNotFoundException with the ARN Lambda would name', async () => {
    assertServiceError(await invoke(endpoint, 'nope'), 404, 'ResourceNotFoundException', new RegExp(`^Function not found: arn:aws:lambda:${REGION}:000000000000:function:nope\\. `));
  });

  test('an unknown qualifier is 404, in the name or in Qualifier', async () => {
    assertServiceError(await invoke(endpoint, 'hello:7'), 404, 'ResourceNotFoundException', new RegExp(`^Function not found: arn:aws:lambda:${REGION}:000000000000:function:hello:7\\. `));
    assertServiceError(await invoke(endpoint, 'hello', { qualifier: 'staging' }), 404, 'ResourceNotFoundException', /function:hello:staging\. Qualifiers of hello: \$LATEST, 1, 2, live, edge/);
  });

  test('a qualifier in the name that differs from Qualifier is 400 InvalidParameterValueException; the same one is fine', async () => {
    assertServiceError(await invoke(endpoint, 'hello:live', { qualifier: '1' }), 400, 'InvalidParameterValueException', /derived qualifier from the function name does not match/);
    assert.equal((await invoke(endpoint, 'hello:live', { qualifier: 'live' })).status, 200);
  });

  test('a body at the synchronous limit runs; one byte more is 413 RequestEntityTooLargeException', async () => {
    const atLimit = `"${'a'.repeat(SYNC_LIMIT - 2)}"`;
    const ok = await invoke(endpoint, 'size', { body: atLimit });
    assert.equal(ok.status, 200);
    assert.equal(value(ok), SYNC_LIMIT - 2);
    assertServiceError(
      await invoke(endpoint, 'size', { body: `"${'a'.repeat(SYNC_LIMIT - 1)}"` }),
      413,
      'RequestEntityTooLargeException',
      /^Request must be smaller than 6291456 bytes for the InvokeFunction operation$/,
    );
  });

  test('an Event body at 1 MB is accepted; one byte more is 413', async () => {
    const event = { headers: { 'X-Amz-Invocation-Type': 'Event' } };
    assert.equal((await invoke(endpoint, 'size', { ...event, body: `"${'b'.repeat(EVENT_LIMIT - 2)}"` })).status, 202);
    assertServiceError(
      await invoke(endpoint, 'size', { ...event, body: `"${'b'.repeat(EVENT_LIMIT - 1)}"` }),
      413,
      'RequestEntityTooLargeException',
      /^Request must be smaller than 1048576 bytes for the InvokeFunction operation$/,
    );
  });

  test('a body that is not JSON is 400 InvalidRequestContentException', async () => {
    assertServiceError(await invoke(endpoint, 'hello', { body: '{"name":' }), 400, 'InvalidRequestContentException', /^Could not parse request body into json: /);
    assertServiceError(await invoke(endpoint, 'hello', { body: Buffer.from([0x22, 0xff, 0x22]) }), 400, 'InvalidRequestContentException', /not valid UTF-8/);
  });

  test('a client context that is not base64 of a JSON object, or too long, is 400', async () => {
    const message = /^Client context must be a valid Base64-encoded JSON object\.$/;
    for (const value of ['not base64!', Buffer.from('[1,2]').toString('base64'), Buffer.from('{"a":').toString('base64')]) {
      assertServiceError(await invoke(endpoint, 'hello', { headers: { 'X-Amz-Client-Context': value } }), 400, 'InvalidRequestContentException', message);
    }
    const long = Buffer.from(JSON.stringify({ custom: { text: 'c'.repeat(2700) } })).toString('base64');
    assert.ok(long.length > 3583);
    assertServiceError(await invoke(endpoint, 'hello', { headers: { 'X-Amz-Client-Context': long } }), 400, 'InvalidRequestContentException', /at most 3583 bytes/);
  });

  test('a path other than the Invoke operation is 404 UnknownOperationException', async () => {
    const request = signedRequest(endpoint.url, 'hello', {});
    assertServiceError(await send(endpoint.url, { ...request, path: '/2015-03-31/functions/hello' }), 404, 'UnknownOperationException');
  });
});

describe('signatures', () => {
  test('without expected credentials any well-formed signature passes, and a missing or malformed one is refused', async () => {
    assert.equal((await invoke(endpoint, 'hello', { credentials: { accessKeyId: 'SOMEONE', secretAccessKey: 'whatever' } })).status, 200);
    assertServiceError(await invoke(endpoint, 'hello', { credentials: false }), 403, 'MissingAuthenticationTokenException');
    const malformed = signedRequest(endpoint.url, 'hello', { credentials: false });
    malformed.headers.Authorization = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request';
    assertServiceError(await send(endpoint.url, malformed), 403, 'IncompleteSignatureException', /requires 'SignedHeaders' parameter/);
  });

  describe('with expected credentials', () => {
    let secured: LocalEndpoint;
    before(async () => {
      secured = await start(dir, EXPECTED_CREDENTIALS);
    });

    test('a request signed with them passes, also with a qualifier in the name (the path is double-encoded when signed)', async () => {
      const plain = await invoke(secured, 'hello', { credentials: EXPECTED_CREDENTIALS });
      assert.equal(plain.status, 200, plain.body);
      const qualified = await invoke(secured, 'hello:live', { credentials: EXPECTED_CREDENTIALS, headers: { 'X-Amz-Log-Type': 'Tail' } });
      assert.equal(qualified.status, 200, qualified.body);
      assert.equal(header(qualified, 'x-amz-executed-version'), '1');
      const query = await invoke(secured, 'hello', { credentials: EXPECTED_CREDENTIALS, qualifier: '$LATEST' });
      assert.equal(query.status, 200, query.body);
    });

    test('a wrong secret is 403 InvalidSignatureException', async () => {
      assertServiceError(
        await invoke(secured, 'hello', { credentials: { ...EXPECTED_CREDENTIALS, secretAccessKey: 'not-the-secret' } }),
        403,
        'InvalidSignatureException',
        /^The request signature we calculated does not match the signature you provided/,
      );
    });

    test('a body changed after signing is 403 InvalidSignatureException', async () => {
      const request = signedRequest(secured.url, 'hello', { credentials: EXPECTED_CREDENTIALS, body: '{"name":"A"}' });
      assertServiceError(await send(secured.url, { ...request, body: '{"name":"B"}' }), 403, 'InvalidSignatureException');
    });

    test('an unknown access key id is 403 UnrecognizedClientException', async () => {
      assertServiceError(
        await invoke(secured, 'hello', { credentials: { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: EXPECTED_CREDENTIALS.secretAccessKey } }),
        403,
        'UnrecognizedClientException',
        /^The security token included in the request is invalid\./,
      );
    });
  });
});

describe('configuration', () => {
  test('a handler path that leaves the folder is refused at startup', async () => {
    const escaping = await folder({
      'lambda-invoke.local.json': JSON.stringify({ functions: { evil: { handler: '../outside.handler' } } }),
    });
    await assert.rejects(startLocalEndpoint({ dir: escaping, port: 0 }), (error: Error) => {
      assert.ok(error instanceof LocalConfigError);
      assert.match(error.message, new RegExp(`^${escaping.replace(/[/\\.]/g, '\\$&')}/lambda-invoke\\.local\\.json: functions\\.evil\\.handler: .*points outside`));
      return true;
    });
  });

  test('a handler file that is a symbolic link to outside the folder is refused at startup', async () => {
    const outside = await folder({ 'evil.js': 'exports.handler = async () => "escaped";' });
    const linked = await folder({ 'lambda-invoke.local.json': JSON.stringify({ functions: { evil: { handler: 'functions/evil.handler' } } }) });
    await mkdir(path.join(linked, 'functions'));
    await symlink(path.join(outside, 'evil.js'), path.join(linked, 'functions', 'evil.js'));
    await assert.rejects(startLocalEndpoint({ dir: linked, port: 0 }), /functions\.evil\.handler: "functions\/evil\.handler" resolves to .*evil\.js .*outside/);
  });

  test('a bad configuration names the file, the place in it and what to write', async () => {
    const bad = await folder({
      'lambda-invoke.local.json': JSON.stringify({ functions: { hello: { handler: 'functions/hello.handler', timeout: '3', environment: { AWS_REGION: 'x' } } } }),
    });
    await assert.rejects(startLocalEndpoint({ dir: bad, port: 0 }), (error: Error) => {
      assert.ok(error instanceof LocalConfigError);
      assert.ok(error.message.startsWith(`${path.join(bad, 'lambda-invoke.local.json')} has 2 problems:`), error.message);
      assert.match(error.message, /functions\.hello\.timeout: The value "3" is not an integer\. Seconds an invocation may run .* a whole number from 1 to 900/);
      assert.match(error.message, /functions\.hello\.environment\.AWS_REGION: The name "AWS_REGION" is reserved\./);
      return true;
    });
    const syntax = await folder({ 'lambda-invoke.local.json': '{\n  "functions": {,\n}' });
    await assert.rejects(startLocalEndpoint({ dir: syntax, port: 0 }), /lambda-invoke\.local\.json: line 2, column 17: a value was expected\. Fix the JSON there/);
    const aliasToNothing = await folder({
      'lambda-invoke.local.json': JSON.stringify({ functions: { f: { handler: 'f.handler', aliases: { live: '3' } } } }),
    });
    await assert.rejects(startLocalEndpoint({ dir: aliasToNothing, port: 0 }), /functions\.f\.aliases\.live: points at version "3", which functions\.f\.versions does not declare/);
    const none = await folder({});
    await assert.rejects(startLocalEndpoint({ dir: none, port: 0 }), /lambda-invoke\.local\.json: the file: the file does not exist\. Create it/);
  });

  test('changes to the configuration and to handler code apply on the next request', async () => {
    const live = await folder({
      'lambda-invoke.local.json': JSON.stringify({ functions: { a: { handler: 'a.handler' } } }),
      'a.js': 'exports.handler = async () => "a1";',
      'b.js': 'exports.handler = async () => "b1";',
    });
    const reloading = await start(live);
    assert.equal(value(await invoke(reloading, 'a')), 'a1');
    assertServiceError(await invoke(reloading, 'b'), 404, 'ResourceNotFoundException');
    await writeFile(path.join(live, 'lambda-invoke.local.json'), JSON.stringify({ functions: { a: { handler: 'a.handler' }, b: { handler: 'b.handler' } } }));
    assert.equal(value(await invoke(reloading, 'b')), 'b1');
    await writeFile(path.join(live, 'a.js'), 'exports.handler = async () => "a2, edited";');
    assert.equal(value(await invoke(reloading, 'a')), 'a2, edited');
    await writeFile(path.join(live, 'lambda-invoke.local.json'), '{ "functions": { "a": { "handler": 7 } } }');
    const broken = await invoke(reloading, 'a');
    assert.equal(broken.status, 500);
    assert.equal(header(broken, 'x-amzn-errortype'), 'ServiceException');
    assert.match(String(json(broken).message), /functions\.a\.handler: The value 7 is not a string\..*Nothing ran\. Fix the file/s);
  });
});
