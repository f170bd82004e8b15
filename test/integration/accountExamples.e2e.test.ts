/**
 * The examples against the account, with no AWS account: the built-in local endpoint serves
 * examples/lambda-invoke.local.json's functions through Lambda's read API, and
 * `lambda-invoke check --account` checks the examples against it as the editor does. Every file
 * of examples/mistakes/account/ raises exactly the account warning it is named after; the clean
 * examples raise none; the warnings never change the exit code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../../src/cli/main';
import { startLocalEndpoint, type LocalEndpoint } from '../../src/local/index';
import { runCli } from '../support/cliRun';
import { isolatedAwsEnv } from '../unit/engineFixtures';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const ACCOUNT_MISTAKES = path.join(EXAMPLES, 'mistakes', 'account');
const CREDENTIALS = { accessKeyId: 'AKIDACCOUNTEXAMPLES1', secretAccessKey: 'account/examples/secret/0000000000000000' };

let endpoint: LocalEndpoint;
let home: string;

before(async () => {
  endpoint = await startLocalEndpoint({ dir: EXAMPLES, port: 0, credentials: CREDENTIALS });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-account-examples-'));
});
after(async () => {
  await endpoint.close();
  fs.rmSync(home, { recursive: true, force: true });
});

function checkAccount(files: string[]) {
  return runCli(['check', '--account', '--endpoint', endpoint.url.href, ...files], { cwd: EXAMPLES, env: isolatedAwsEnv(home, CREDENTIALS, 'us-east-1') });
}

/** The codes of the `warning` lines a check printed. */
function warningCodes(stdout: string): string[] {
  return [...stdout.matchAll(/: warning (\S+) /g)].map((m) => m[1]!);
}

describe('examples/mistakes/account against the local endpoint', () => {
  const files = fs.readdirSync(ACCOUNT_MISTAKES).filter((f) => f.endsWith('.invoke.json'));

  test('there is one, at least, for every account check the local endpoint can show', () => {
    assert.deepEqual(
      files.map((f) => f.replace('.invoke.json', '')).sort(),
      ['durable-requires-qualifier', 'function-not-found', 'qualifier-not-found', 'tenant-id-not-accepted', 'tenant-id-required'],
    );
  });

  for (const file of files) {
    const code = file.replace('.invoke.json', '');
    test(`${file}: check --account warns ${code}, and only that; exit 0`, async () => {
      const run = await checkAccount([path.join('mistakes', 'account', file)]);
      assert.equal(run.code, ExitCode.ok, `${run.stdout}\n${run.stderr}`);
      assert.deepEqual(warningCodes(run.stdout), [code], run.stdout);
    });
  }

  test('the examples themselves: no account warning', async () => {
    const clean = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.invoke.json'));
    const run = await checkAccount(clean);
    assert.equal(run.code, ExitCode.ok, `${run.stdout}\n${run.stderr}`);
    assert.deepEqual(warningCodes(run.stdout), [], run.stdout);
    assert.doesNotMatch(run.stderr, /not available|could not/i, run.stderr);
  });
});
