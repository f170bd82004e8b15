/**
 * The CLI's account commands against a fake Lambda control plane (test/support/fakeControlPlane.ts):
 * `functions` prints the catalogue as aligned columns or as JSON, and fails with exit 2 saying
 * what to run when there are no usable credentials; `check --account` prints the account
 * warnings after a file's own diagnostics in the same format, reads a function several files call
 * once, and without credentials says so once and checks the files alone, its exit code unchanged.
 * No output holds a secret key, a session token or a request signature.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../../src/cli/main';
import type { FunctionSummary } from '../../src/protocol/accountFacts';
import { type CliRun, runCli } from '../support/cliRun';
import { FAKE_ACCOUNT, FakeControlPlane, fakeArn } from '../support/fakeControlPlane';
import { assertNoSecret, signaturesIn } from '../support/secretScan';
import { isolatedAwsEnv } from './engineFixtures';
import { TEST_CREDENTIALS } from './recordingEndpoint';

const REGION = 'us-west-2';

let fake: FakeControlPlane;
let dir: string;

before(async () => {
  fake = await FakeControlPlane.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-cli-account-'));
});
after(async () => {
  await fake.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  fake.failWith(undefined);
  fake.functions = [
    { name: 'orders', configuration: { Runtime: 'python3.13', Description: 'Takes orders\nfrom the shop' } },
    { name: 'a-much-longer-function-name', configuration: { Description: 'Sends mail' } },
    // A container image: no runtime.
    { name: 'resize', configuration: { Runtime: undefined, PackageType: 'Image' } },
    { name: 'eastern', region: 'us-east-1' },
  ];
});

/** Known fake credentials (with a session token) and no trace of the developer's own ~/.aws. */
function withKeys(): NodeJS.ProcessEnv {
  return isolatedAwsEnv(dir, TEST_CREDENTIALS, REGION);
}

function withoutCredentials(): NodeJS.ProcessEnv {
  const env = withKeys();
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  return env;
}

async function cli(args: string[], env = withKeys()): Promise<CliRun> {
  const run = await runCli(args, { cwd: dir, env });
  assertNoSecret(run.stdout + run.stderr, `lambda-invoke ${args.join(' ')}`, [TEST_CREDENTIALS], signaturesIn(fake.requests.map((r) => r.authorization)));
  return run;
}

function write(name: string, invocations: unknown): string {
  fs.writeFileSync(path.join(dir, name), JSON.stringify(invocations, null, 2));
  return name;
}

describe('lambda-invoke functions', () => {
  test('prints name, runtime and description in aligned columns, one function a line; exit 0', async () => {
    const run = await cli(['functions', '--endpoint', fake.url.href]);
    assert.equal(run.code, ExitCode.ok, run.stderr);
    assert.equal(
      run.stdout,
      [
        'NAME                         RUNTIME     DESCRIPTION',
        'orders                       python3.13  Takes orders from the shop',
        'a-much-longer-function-name  nodejs22.x  Sends mail',
        'resize                       -',
        '',
      ].join('\n'),
    );
    assert.match(run.stderr, new RegExp(`3 functions in account ${FAKE_ACCOUNT}, ${REGION}\\.`));
  });

  test('--json prints the list of functions as JSON', async () => {
    const run = await cli(['functions', '--endpoint', fake.url.href, '--json']);
    assert.equal(run.code, ExitCode.ok, run.stderr);
    const listed = JSON.parse(run.stdout) as FunctionSummary[];
    assert.deepEqual(listed, [
      { name: 'orders', arn: fakeArn(fake.functions[0]!), runtime: 'python3.13', description: 'Takes orders\nfrom the shop' },
      { name: 'a-much-longer-function-name', arn: fakeArn(fake.functions[1]!), runtime: 'nodejs22.x', description: 'Sends mail' },
      { name: 'resize', arn: fakeArn(fake.functions[2]!) },
    ]);
  });

  test('--region and --profile choose where to list', async () => {
    const run = await cli(['functions', '--endpoint', fake.url.href, '--region', 'us-east-1', '--json']);
    assert.deepEqual((JSON.parse(run.stdout) as FunctionSummary[]).map((f) => f.name), ['eastern']);
    const missing = await cli(['functions', '--endpoint', 'https://lambda.us-west-2.amazonaws.com', '--profile', 'nobody'], withoutCredentials());
    assert.equal(missing.code, ExitCode.failure);
    assert.match(missing.stderr, /Profile "nobody"/);
    assert.match(missing.stderr, /aws configure --profile nobody/);
  });

  test('no credentials: exit 2, nothing on stdout, and stderr says what to run', async () => {
    const run = await cli(['functions'], withoutCredentials());
    assert.equal(run.code, ExitCode.failure);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /No AWS credentials found/);
    assert.match(run.stderr, /aws configure --profile default/);
  });

  test('credentials the service refuses, in a message quoting the session token: exit 2, no secret shown', async () => {
    fake.failWith({
      status: 403,
      errorType: 'InvalidSignatureException',
      message: `Signature mismatch. The Canonical String for this request should have been\n'GET\n/2015-03-31/functions\n\nx-amz-security-token:${TEST_CREDENTIALS.sessionToken}\n'`,
    });
    const run = await cli(['functions', '--endpoint', fake.url.href]);
    assert.equal(run.code, ExitCode.failure);
    assert.match(run.stderr, /InvalidSignatureException/);
    assert.equal(fake.requests.length, 1, 'the request was sent, and signed');
  });

  test('usage errors exit 3 and send nothing', async () => {
    for (const args of [['functions', 'extra.invoke.json'], ['functions', '--endpoint', 'not-a-url'], ['functions', '--region', 'nowhere']]) {
      const run = await cli([...args]);
      assert.equal(run.code, ExitCode.invalid, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /lambda-invoke functions: /);
    }
    assert.equal(fake.requests.length, 0);
  });

  test('the usage text names both account commands', async () => {
    const run = await cli(['--help']);
    assert.match(run.stdout, /lambda-invoke functions \[--profile P\] \[--region R\] \[--endpoint URL\] \[--json\]/);
    assert.match(run.stdout, /lambda-invoke check \[--account/);
  });
});

describe('lambda-invoke check --account', () => {
  test("prints the account's warnings after the file's own diagnostics, in the same format; exit 0", async () => {
    const file = write('shop.invoke.json', [
      { functionName: 'orders', payload: {} },
      { functionName: 'orderz', payload: {} },
    ]);
    const run = await cli(['check', '--account', '--endpoint', fake.url.href, file]);
    assert.equal(run.code, ExitCode.ok, run.stderr);
    // One line, for the misspelt name (with the listed one it likely means): the function that exists draws none.
    assert.match(run.stdout, /^shop\.invoke\.json:7:21: warning function-not-found .*"orderz".*"orders".*\n$/);
    assert.match(run.stderr, /1 file checked: 0 errors, 1 warning\./);
    const plain = await cli(['check', '--endpoint', fake.url.href, file]);
    assert.equal(plain.stdout, '', 'without --account nothing of the account is checked');
  });

  test('a file with errors still exits 3; its account warnings follow its errors', async () => {
    const file = write('broken.invoke.json', [{ functionName: 'orderz', invocationType: 'Sometimes', payload: {} }]);
    const run = await cli(['check', '--account', '--endpoint', fake.url.href, file]);
    assert.equal(run.code, ExitCode.invalid);
    const lines = run.stdout.trim().split('\n');
    const firstWarning = lines.findIndex((l) => / warning function-not-found /.test(l));
    assert.ok(firstWarning > 0, run.stdout);
    assert.ok(lines.slice(0, firstWarning).some((l) => / error /.test(l)), 'the error comes first');
  });

  test('a function several files call is read from the account once', async () => {
    const first = write('one.invoke.json', { functionName: 'orders', payload: {} });
    const second = write('two.invoke.json', { functionName: 'orders:prod', payload: {} });
    const run = await cli(['check', '--account', '--endpoint', fake.url.href, first, second]);
    assert.equal(run.code, ExitCode.ok, run.stderr);
    assert.equal(fake.of('ListFunctions').length, 1);
    assert.equal(fake.of('GetFunctionConfiguration').length, 1);
  });

  test('no credentials: said once on stderr, the files checked alone, the exit code unchanged', async () => {
    const first = write('first.invoke.json', { functionName: 'orders', payload: {} });
    const second = write('second.invoke.json', [{ functionName: 'orderz', payload: {} }, { functionName: 'other', region: 'eu-west-1', payload: {} }]);
    const run = await cli(['check', '--account', first, second], withoutCredentials());
    assert.equal(run.code, ExitCode.ok, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.match(/account checks skipped/g)?.length, 1, run.stderr);
    assert.match(run.stderr, /aws configure --profile default/);
    assert.match(run.stderr, /2 files checked: 0 errors, 0 warnings\./);
  });

  test("an endpoint written in the file that is not this machine is not read unless the command line allows it", async () => {
    const file = write('remote.invoke.json', { functionName: 'orders', endpoint: 'https://lambda.example.com', payload: {} });
    const run = await cli(['check', '--account', file]);
    assert.match(run.stderr, /account checks skipped: .*https:\/\/lambda\.example\.com.*--allow-endpoint/);
    assert.doesNotMatch(run.stdout, /function-not-found/);
    assert.equal(run.code, ExitCode.ok, run.stderr);
  });
});
