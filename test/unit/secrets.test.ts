/**
 * Secrets never leak: invocations run through the CLI with known fake keys, and everything it
 * prints, the rendered output-channel text, and everything the language server sends (with
 * a verbose trace) is scanned for the secret key, the session token and the request signature.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { serviceError } from '../../src/engine/errors';
import { renderError, renderResult } from '../../src/engine/render';
import { runInvocation } from '../../src/engine/run';
import { InvokeError } from '../../src/engine/types';
import { isolatedAwsEnv } from './engineFixtures';
import { RecordingEndpoint, type Responder, TEST_CREDENTIALS } from './recordingEndpoint';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
afterEach(() => assert.deepEqual(unhandled, [], 'no unhandled rejection'));

const endpoint = new RecordingEndpoint();
let url: URL;
let dir: string;
let refusedUrl: string;

const env = (): NodeJS.ProcessEnv => isolatedAwsEnv(dir, TEST_CREDENTIALS, 'us-west-2');

/** Every signature the endpoint has seen so far. */
function signatures(): string[] {
  return endpoint.requests.map((r) => /Signature=([0-9a-f]+)/.exec(String(r.headers.authorization ?? ''))?.[1] ?? '').filter((s) => s !== '');
}

function assertClean(text: string, what: string): void {
  const secrets: [string, string][] = [
    ['the secret access key', TEST_CREDENTIALS.secretAccessKey],
    ['the session token', TEST_CREDENTIALS.sessionToken],
    ...signatures().map((s): [string, string] => ['a request signature', s]),
  ];
  for (const [name, value] of secrets) assert.ok(!text.includes(value), `${what} contains ${name}:\n${text}`);
  assert.doesNotMatch(text, /Signature=/, `${what} contains a Signature= value`);
}

async function cli(...args: string[]): Promise<string> {
  let out = '';
  const saved = process.env;
  process.env = env();
  try {
    await main(args, {
      stdout: (t) => (out += Buffer.from(t).toString('utf8')),
      stderr: (t) => (out += t),
      cwd: dir,
      env: process.env,
      delay: () => Promise.resolve(),
    });
  } finally {
    process.env = saved;
  }
  return out;
}

function write(name: string, content: unknown): string {
  fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  return name;
}

const scenarios: { name: string; respond: Responder; refused?: boolean }[] = [
  { name: 'success', respond: () => ({ status: 200, headers: { 'x-amz-log-result': Buffer.from('START\nEND\n').toString('base64') }, body: '{"ok":true}' }) },
  { name: 'function error', respond: () => ({ status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"Error","errorMessage":"boom","trace":[]}' }) },
  {
    name: 'service error (403 InvalidSignatureException)',
    respond: () => ({
      status: 403,
      headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
      body: '{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}',
    }),
  },
  { name: 'network error', respond: () => ({ status: 200 }), refused: true },
];

before(async () => {
  url = await endpoint.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-secrets-'));
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
after(async () => {
  await endpoint.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the CLI prints no secret', () => {
  for (const scenario of scenarios) {
    for (const json of [false, true]) {
      test(`${scenario.name}${json ? ' (--json)' : ''}`, async () => {
        endpoint.requests.length = 0;
        endpoint.responder = scenario.respond;
        const file = write('s.invoke.json', { functionName: 'hello', logType: 'Tail', endpoint: scenario.refused ? refusedUrl : url.href, payload: { a: 1 } });
        const printed = await cli('run', file, ...(json ? ['--json'] : []));
        assert.ok(printed.length > 0);
        if (!scenario.refused) {
          assert.ok(endpoint.requests.length >= 1, 'the request was sent');
          assert.equal(endpoint.requests[0]!.headers['x-amz-security-token'], TEST_CREDENTIALS.sessionToken, 'the token was in play');
        }
        assertClean(printed, 'CLI output');
      });
    }
  }
});

describe('the rendered output-channel text holds no secret', () => {
  for (const scenario of scenarios) {
    test(scenario.name, async () => {
      endpoint.requests.length = 0;
      endpoint.responder = scenario.respond;
      const filePath = path.join(dir, 'r.invoke.json');
      const text = JSON.stringify({ functionName: 'hello', endpoint: scenario.refused ? refusedUrl : url.href });
      const saved = process.env;
      process.env = env();
      let rendered: string;
      try {
        const outcome = await runInvocation({ filePath, text, workspaceRoots: [dir], env: process.env }, { delay: () => Promise.resolve() });
        rendered = renderResult(outcome.request, outcome.target, outcome.result);
      } catch (e) {
        assert.ok(e instanceof InvokeError, String(e));
        const failure = e as InvokeError & { request?: Parameters<typeof renderError>[0]; target?: Parameters<typeof renderError>[1] };
        rendered = renderError(failure.request, failure.target, failure) + JSON.stringify(failure.details);
      } finally {
        process.env = saved;
      }
      assertClean(rendered, 'rendered text');
    });
  }
});

describe('a signature mismatch that quotes the canonical request', () => {
  test('never passes the quoted signed headers (with the session token) on to the user', () => {
    const quoted =
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. ' +
      `The Canonical String for this request should have been\n'POST\n/2015-03-31/functions/f/invocations\n\nhost:lambda.us-west-2.amazonaws.com\nx-amz-security-token:${TEST_CREDENTIALS.sessionToken}\n'`;
    const error = serviceError(403, { 'x-amzn-errortype': 'InvalidSignatureException' }, Buffer.from(JSON.stringify({ message: quoted })));
    assert.ok(!error.message.includes(TEST_CREDENTIALS.sessionToken), error.message);
    assert.match(error.message, /does not match the signature you provided/);
    assert.match(error.message, /canonical request the service quoted is left out/);
  });
});
