/**
 * The CLI, which holds the credentials, prints none of them: `lambda-invoke run` (its `main`) with
 * known fake keys in the environment or in a profile of the shared credentials file, against a
 * recording stand-in for Lambda, with and without --json, on success and on each kind of failure
 * (function error, bad signature, a signature mismatch that quotes the session token, the
 * service's validation error, a refused connection, an invalid file). Its stdout and stderr must
 * hold no secret access key, session token or request signature.
 */
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../../src/cli/main';
import { runCli } from '../support/cliRun';
import { type LambdaAnswer, assertNoSecret, lambdaAnswers, signaturesIn } from '../support/secretScan';
import { isolatedAwsEnv } from './engineFixtures';
import { freePort } from './holdingServer';
import { RecordingEndpoint, TEST_CREDENTIALS, verifySignature } from './recordingEndpoint';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
afterEach(() => assert.deepEqual(unhandled, [], 'no unhandled rejection'));

/** Other fake keys, in a profile: a leak of either set is caught whichever signed. */
const PROFILE = 'canary';
const PROFILE_CREDENTIALS = {
  accessKeyId: 'AKIDPROFILECANARY001',
  secretAccessKey: 'pr0f1leSecretCANARY/K7MDENG+bPxRfiCYEXAMPLE',
  sessionToken: 'IQoJb3JpZ2luX2VjEPROFILECANARYTOKEN//example==',
};
const ALL_CREDENTIALS = [TEST_CREDENTIALS, PROFILE_CREDENTIALS];
const REGION = 'us-west-2';

const endpoint = new RecordingEndpoint();
let url: URL;
let dir: string;
let refusedUrl: string;

/** Where the CLI takes its credentials from, and the arguments and environment that say so. */
interface CredentialSource {
  name: string;
  credentials: typeof TEST_CREDENTIALS;
  args: string[];
  env: () => NodeJS.ProcessEnv;
}

const sources: CredentialSource[] = [
  { name: 'keys in the environment', credentials: TEST_CREDENTIALS, args: [], env: () => isolatedAwsEnv(dir, TEST_CREDENTIALS, REGION) },
  {
    name: `profile "${PROFILE}" in the shared credentials file`,
    credentials: PROFILE_CREDENTIALS,
    args: ['--profile', PROFILE],
    env: () => {
      const env = isolatedAwsEnv(dir, TEST_CREDENTIALS, REGION);
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      delete env.AWS_SESSION_TOKEN;
      env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
      return env;
    },
  },
];

interface Case {
  name: string;
  /** What the stand-in answers; undefined: nothing is sent. */
  answer?: LambdaAnswer;
  /** The file's invocation, for cases that are not about the answer. */
  invocation?: Record<string, unknown>;
  refused?: boolean;
  exitCode: number;
}

/** Every case, for the credentials of one source (a quoted canonical request quotes their token). */
function cases(credentials: typeof TEST_CREDENTIALS): Case[] {
  return [
    ...lambdaAnswers(credentials).map(({ name, answer, exitCode }) => ({ name, answer, exitCode })),
    { name: 'network failure (connection refused)', refused: true, exitCode: ExitCode.failure },
    { name: 'invalid file (nothing sent)', invocation: { functionName: 'my function', payload: { a: 1 } }, exitCode: ExitCode.invalid },
  ];
}

before(async () => {
  url = await endpoint.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-cli-secrets-'));
  fs.writeFileSync(
    path.join(dir, 'credentials'),
    `[${PROFILE}]\naws_access_key_id = ${PROFILE_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${PROFILE_CREDENTIALS.secretAccessKey}\naws_session_token = ${PROFILE_CREDENTIALS.sessionToken}\n`,
  );
  refusedUrl = `http://127.0.0.1:${await freePort()}`;
});
after(async () => {
  await endpoint.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  endpoint.requests.length = 0;
});

for (const source of sources) {
  describe(`lambda-invoke run prints no secret: ${source.name}`, () => {
    for (const c of cases(source.credentials)) {
      for (const json of [false, true]) {
        test(`${c.name}${json ? ' (--json)' : ''}`, async () => {
          const answer = c.answer ?? { status: 200, body: '{}' };
          endpoint.responder = () => answer;
          const file = 'secrets.invoke.json';
          const invocation = c.invocation ?? { functionName: 'hello', logType: 'Tail', endpoint: c.refused ? refusedUrl : url.href, payload: { a: 1 } };
          fs.writeFileSync(path.join(dir, file), JSON.stringify(invocation));

          const run = await runCli(['run', file, ...(json ? ['--json'] : []), ...source.args], { cwd: dir, env: source.env() });

          assert.equal(run.code, c.exitCode, `exit code; stderr:\n${run.stderr}`);
          assert.ok(run.stdout.length + run.stderr.length > 0, 'the CLI said something');
          if (json) assert.doesNotThrow(() => JSON.parse(run.stdout), `--json prints one JSON object: ${run.stdout}`);
          if (c.answer) {
            // The credentials were in play: the request carried their token and their signature.
            const request = endpoint.requests[0];
            assert.ok(request, 'the request was sent');
            assert.equal(request.headers['x-amz-security-token'], source.credentials.sessionToken, 'the token was in play');
            assert.ok(verifySignature(request, REGION, source.credentials).ok, `signed with the credentials of ${source.name}`);
          } else {
            assert.equal(endpoint.requests.length, 0, 'nothing reached the endpoint');
          }
          const signatures = signaturesIn(endpoint.requests.map((r) => r.headers.authorization));
          assertNoSecret(run.stdout, 'stdout', ALL_CREDENTIALS, signatures);
          assertNoSecret(run.stderr, 'stderr', ALL_CREDENTIALS, signatures);
        });
      }
    }
  });
}
