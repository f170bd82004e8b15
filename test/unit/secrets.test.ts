/**
 * Secrets never leak into what the extension shows: an invocation run with known fake keys, on
 * each kind of answer and on a network failure, is rendered as the "Lambda Invoke" output
 * channel shows it, and that text is scanned for the secret key, the session token and the
 * request signature. (What the CLI prints is cliSecrets.test.ts's; the extension host itself,
 * test/e2e/suite/04-secrets.test.ts's.)
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serviceError } from '../../src/engine/serviceErrorReader';
import { renderError, renderResult } from '../../src/engine/render';
import { runInvocation } from '../../src/engine/run';
import { InvokeError } from '../../src/engine/types';
import { assertNoSecret, lambdaAnswers, signaturesIn } from '../support/secretScan';
import { isolatedAwsEnv } from './engineFixtures';
import { freePort } from './holdingServer';
import { RecordingEndpoint, type Responder, TEST_CREDENTIALS } from './recordingEndpoint';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
afterEach(() => assert.deepEqual(unhandled, [], 'no unhandled rejection'));

const endpoint = new RecordingEndpoint();
let url: URL;
let dir: string;
let refusedUrl: string;

const env = (): NodeJS.ProcessEnv => isolatedAwsEnv(dir, TEST_CREDENTIALS, 'us-west-2');

function assertClean(text: string, what: string): void {
  assertNoSecret(text, what, [TEST_CREDENTIALS], signaturesIn(endpoint.requests.map((r) => r.headers.authorization)));
}

const scenarios: { name: string; respond: Responder; refused?: boolean }[] = [
  ...lambdaAnswers(TEST_CREDENTIALS).map(({ name, answer }) => ({ name, respond: () => answer })),
  { name: 'network error', respond: () => ({ status: 200 }), refused: true },
];

before(async () => {
  url = await endpoint.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-secrets-'));
  refusedUrl = `http://127.0.0.1:${await freePort()}`;
});
after(async () => {
  await endpoint.stop();
  fs.rmSync(dir, { recursive: true, force: true });
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
