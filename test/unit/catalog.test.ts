/**
 * The function catalogue (src/engine/catalog) against a fake Lambda control plane: long lists
 * come back whole (pages followed) up to the bound, answers are kept for their lifetime and
 * shared by identical lookups asked together, a function that is gone drops the cached list,
 * a cancel stops the paging, an ARN's region is where its function is read, and every way of
 * having no facts (no credentials, an SSO sign-in to make, an MFA profile, an endpoint from the
 * file that was not allowed, an endpoint that does not answer, an error of the service) is an
 * `unavailable` answer that says what to do and holds no secret.
 *
 * The AWS SDK reads `process.env` itself, so each test runs with `process.env` set to an
 * environment isolated from the developer's ~/.aws (test/unit/engineFixtures.ts), restored after.
 */
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CatalogContext, FunctionCatalog, MAX_PAGES, PAGE_SIZE, answerAccountFacts } from '../../src/engine/catalog/index';
import type { AccountFactsResult, FunctionFacts, FunctionSummary } from '../../src/protocol/accountFacts';
import { FAKE_ACCOUNT, FakeControlPlane, type FakeFunction, manyFunctions } from '../support/fakeControlPlane';
import { assertNoSecret, signaturesIn } from '../support/secretScan';
import { isolatedAwsEnv } from './engineFixtures';
import { freePort } from './holdingServer';
import { TEST_CREDENTIALS } from './recordingEndpoint';

const REGION = 'us-west-2';
const FIVE_MINUTES = 5 * 60_000;

let fake: FakeControlPlane;
let home: string;
let env: NodeJS.ProcessEnv;
const savedEnv = process.env;

before(async () => {
  fake = await FakeControlPlane.start();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-catalog-'));
});
after(async () => {
  await fake.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  fake.functions = [];
  fake.failWith(undefined);
  fake.reset();
  env = isolatedAwsEnv(home, TEST_CREDENTIALS, REGION);
  process.env = env;
});
afterEach(() => {
  fake.release();
  process.env = savedEnv;
});

/** Looks things up at the fake, chosen as the CLI's --endpoint or the editor's setting would. */
function atFake(extra: Partial<CatalogContext> = {}): CatalogContext {
  return { overrides: { endpoint: fake.url.href }, env, ...extra };
}

function listed(result: AccountFactsResult): FunctionSummary[] {
  assert.equal(result.kind, 'functions', `expected the list, got ${JSON.stringify(result)}`);
  return result.functions;
}

function factsOf(result: AccountFactsResult): FunctionFacts {
  assert.equal(result.kind, 'function', `expected a function's facts, got ${JSON.stringify(result)}`);
  return result.facts;
}

function unavailable(result: AccountFactsResult, reason: string): string {
  assert.equal(result.kind, 'unavailable', `expected no facts, got ${JSON.stringify(result).slice(0, 300)}`);
  const { reason: actual, message } = result;
  assert.equal(actual, reason, message);
  return message ?? '';
}

/** A temporary folder with shared AWS files, and an environment that reads them and holds no keys. */
function withSharedFiles(files: { config?: string; credentials?: string }): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(home, 'aws-'));
  const filesEnv = isolatedAwsEnv(dir, TEST_CREDENTIALS, REGION);
  delete filesEnv.AWS_ACCESS_KEY_ID;
  delete filesEnv.AWS_SECRET_ACCESS_KEY;
  if (files.config !== undefined) fs.writeFileSync((filesEnv.AWS_CONFIG_FILE = path.join(dir, 'config')), files.config);
  if (files.credentials !== undefined) fs.writeFileSync((filesEnv.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials')), files.credentials);
  process.env = env = filesEnv;
  return filesEnv;
}

describe('the function list', () => {
  test('an account with 2,000 functions: every one comes back once, all 40 pages followed', async () => {
    fake.functions = manyFunctions(2000);
    const functions = listed(await new FunctionCatalog().functions({}, atFake()));
    assert.equal(functions.length, 2000);
    assert.equal(new Set(functions.map((f) => f.name)).size, 2000, 'no function twice');
    assert.deepEqual(functions[1999], { name: 'fn-1999', arn: `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:fn-1999`, runtime: 'nodejs22.x', description: 'function 1999' });
    const pages = fake.of('ListFunctions');
    assert.equal(pages.length, 2000 / PAGE_SIZE);
    assert.ok(pages.every((p) => p.query.get('MaxItems') === String(PAGE_SIZE)));
    assert.ok(pages.slice(1).every((p) => p.query.has('Marker')), 'each page after the first continues from the last NextMarker');
  });

  test(`stops after ${MAX_PAGES} pages (${MAX_PAGES * PAGE_SIZE} functions) and says the list is truncated`, async () => {
    fake.functions = manyFunctions(MAX_PAGES * PAGE_SIZE + 1);
    const result = await new FunctionCatalog().functions({}, atFake());
    assert.equal(listed(result).length, MAX_PAGES * PAGE_SIZE);
    assert.equal(result.kind === 'functions' && result.truncated, true);
    assert.equal(fake.of('ListFunctions').length, MAX_PAGES);
  });

  test('a complete list says nothing of truncation, and a function without a description has none', async () => {
    fake.functions = [{ name: 'plain' }];
    const result = await answerAccountFacts(new FunctionCatalog(), { kind: 'functions', target: {} }, atFake());
    assert.deepEqual(result, { kind: 'functions', functions: [{ name: 'plain', arn: `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:plain`, runtime: 'nodejs22.x' }] });
  });
});

describe('the cache', () => {
  test('within five minutes a second lookup sends nothing; after them it reads the account again', async () => {
    let now = Date.parse('2025-06-01T12:00:00Z');
    const catalog = new FunctionCatalog({ now: () => now });
    fake.functions = [{ name: 'first' }];
    assert.deepEqual(listed(await catalog.functions({}, atFake())).map((f) => f.name), ['first']);
    fake.functions = [{ name: 'first' }, { name: 'second' }];
    now += FIVE_MINUTES - 1;
    assert.deepEqual(listed(await catalog.functions({}, atFake())).map((f) => f.name), ['first'], 'still the kept answer');
    assert.equal(fake.requests.length, 1, 'nothing sent for the second lookup');
    now += 1;
    assert.deepEqual(listed(await catalog.functions({}, atFake())).map((f) => f.name), ['first', 'second']);
    assert.equal(fake.requests.length, 2);
  });

  test('refresh() makes the next lookup read the account again', async () => {
    const catalog = new FunctionCatalog();
    fake.functions = [{ name: 'old' }];
    await catalog.functions({}, atFake());
    fake.functions = [{ name: 'new' }];
    catalog.refresh();
    assert.deepEqual(listed(await catalog.functions({}, atFake())).map((f) => f.name), ['new']);
    assert.equal(fake.requests.length, 2);
  });

  test('two identical lookups asked together share one read of the account', async () => {
    const catalog = new FunctionCatalog();
    fake.functions = manyFunctions(3);
    fake.hold();
    const both = Promise.all([catalog.functions({}, atFake()), catalog.functions({}, atFake())]);
    await fake.arrived(1);
    fake.release();
    const [first, second] = await both;
    assert.equal(listed(first).length, 3);
    assert.deepEqual(second, first);
    assert.equal(fake.requests.length, 1);
  });

  test('another profile, region or endpoint is another catalogue', async () => {
    const catalog = new FunctionCatalog();
    fake.functions = [{ name: 'west' }, { name: 'east', region: 'us-east-1' }];
    assert.deepEqual(listed(await catalog.functions({}, atFake())).map((f) => f.name), ['west']);
    assert.deepEqual(listed(await catalog.functions({ region: 'us-east-1' }, atFake())).map((f) => f.name), ['east']);
    assert.equal(fake.requests.length, 2);
  });

  test('a function deleted since the list was read: not found, and the next list is read again without it', async () => {
    const catalog = new FunctionCatalog();
    fake.functions = [{ name: 'keep' }, { name: 'gone' }];
    assert.equal(listed(await catalog.functions({}, atFake())).length, 2);
    fake.functions = [{ name: 'keep' }];
    assert.deepEqual(await catalog.function({}, 'gone', atFake()), { kind: 'not-found' });
    const before = fake.of('ListFunctions').length;
    assert.deepEqual(listed(await catalog.functions({}, atFake())).map((f) => f.name), ['keep']);
    assert.equal(fake.of('ListFunctions').length, before + 1, 'the stale list was dropped');
  });
});

describe("one function's facts", () => {
  const orders: FakeFunction = {
    name: 'orders',
    configuration: {
      Runtime: 'python3.13',
      Handler: 'app.handler',
      Description: 'Takes orders',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 30,
      EphemeralStorage: { Size: 2048 },
      State: 'Failed',
      StateReason: 'The function could not be created.',
      LastModified: '2025-05-04T10:00:00.000+0000',
      CodeSize: 4096,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/orders' },
      TenancyConfig: { TenantIsolationMode: 'PER_TENANT' },
      DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 7 },
    },
    // More than a page of each: every page is read.
    aliases: Array.from({ length: 60 }, (_, i) => ({ Name: `alias-${i}`, FunctionVersion: String(i + 1), ...(i === 0 ? { Description: 'first' } : {}) })),
    versions: Array.from({ length: 75 }, (_, i) => String(75 - i)),
  };

  test('configuration, every alias and every published version (numeric order, no $LATEST)', async () => {
    fake.functions = [orders];
    const facts = factsOf(await new FunctionCatalog().function({}, 'orders', atFake()));
    assert.deepEqual(facts.configuration, {
      name: 'orders',
      arn: `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:orders`,
      runtime: 'python3.13',
      handler: 'app.handler',
      description: 'Takes orders',
      architectures: ['arm64'],
      memoryMb: 1024,
      timeoutSeconds: 30,
      ephemeralStorageMb: 2048,
      state: 'Failed',
      stateReason: 'The function could not be created.',
      lastModified: '2025-05-04T10:00:00.000+0000',
      codeSize: 4096,
      logGroup: '/custom/orders',
      logFormat: 'JSON',
      tenancy: 'PER_TENANT',
      durable: { executionTimeoutSeconds: 3600, retentionPeriodDays: 7 },
    });
    assert.equal(facts.aliases.length, 60);
    assert.deepEqual(facts.aliases[0], { name: 'alias-0', version: '1', description: 'first' });
    assert.deepEqual(facts.aliases[59], { name: 'alias-59', version: '60' });
    assert.deepEqual(facts.versions, Array.from({ length: 75 }, (_, i) => String(i + 1)));
  });

  test("a function with no log group of its own logs to Lambda's default one", async () => {
    fake.functions = [{ name: 'plain' }];
    const { configuration } = factsOf(await new FunctionCatalog().function({}, 'plain', atFake()));
    assert.equal(configuration.logGroup, '/aws/lambda/plain');
    assert.equal(configuration.durable, undefined);
    assert.equal(configuration.tenancy, undefined);
  });

  test('a qualifier in the name is left off: the function itself is read', async () => {
    fake.functions = [{ name: 'orders', aliases: [{ Name: 'prod', FunctionVersion: '3' }] }];
    const facts = factsOf(await new FunctionCatalog().function({}, 'orders:prod', atFake()));
    assert.deepEqual(facts.aliases, [{ name: 'prod', version: '3' }]);
    assert.deepEqual(new Set(fake.requests.map((r) => r.functionName)), new Set(['orders']));
  });

  test("an ARN's region is where its function is read, whatever region is selected", async () => {
    fake.functions = [
      { name: 'orders', configuration: { Runtime: 'nodejs22.x' } },
      { name: 'orders', region: 'eu-west-1', configuration: { Runtime: 'python3.13' } },
    ];
    const arn = `arn:aws:lambda:eu-west-1:${FAKE_ACCOUNT}:function:orders:live`;
    const result = await answerAccountFacts(new FunctionCatalog(), { kind: 'function', target: {}, functionName: arn }, atFake({ overrides: { endpoint: fake.url.href, region: REGION } }));
    assert.equal(factsOf(result).configuration.runtime, 'python3.13');
    assert.deepEqual(new Set(fake.requests.map((r) => r.region)), new Set(['eu-west-1']), 'signed for the ARN\'s region');
    assert.deepEqual(new Set(fake.requests.map((r) => r.functionName)), new Set([arn.slice(0, -':live'.length)]));
  });

  test('a name that is not a function name is not looked up', async () => {
    const message = unavailable(await new FunctionCatalog().function({}, 'not a name', atFake()), 'unreachable');
    assert.match(message, /not a function name/);
    assert.equal(fake.requests.length, 0);
  });
});

describe('cancelling', () => {
  test('a cancel while a page is on its way stops the paging; the next lookup reads afresh', async () => {
    const catalog = new FunctionCatalog();
    fake.functions = manyFunctions(200);
    fake.hold();
    const controller = new AbortController();
    const lookup = catalog.functions({}, atFake(), controller.signal);
    await fake.arrived(1);
    controller.abort();
    assert.match(unavailable(await lookup, 'unreachable'), /cancelled/);
    fake.release();
    assert.equal(fake.requests.length, 1, 'no page after the cancel');
    assert.equal(listed(await catalog.functions({}, atFake())).length, 200, 'the cancelled lookup was not kept');
  });

  test('one of two callers cancelling leaves the other its answer', async () => {
    const catalog = new FunctionCatalog();
    fake.functions = manyFunctions(3);
    fake.hold();
    const controller = new AbortController();
    const cancelled = catalog.functions({}, atFake(), controller.signal);
    const kept = catalog.functions({}, atFake());
    await fake.arrived(1);
    controller.abort();
    assert.match(unavailable(await cancelled, 'unreachable'), /cancelled/);
    fake.release();
    assert.equal(listed(await kept).length, 3);
    assert.equal(fake.requests.length, 1);
  });
});

describe('no facts, and why', () => {
  test('no credentials anywhere: says what to run, and asks the chain without prompting', async () => {
    const noKeys = isolatedAwsEnv(home, TEST_CREDENTIALS, REGION);
    delete noKeys.AWS_ACCESS_KEY_ID;
    delete noKeys.AWS_SECRET_ACCESS_KEY;
    process.env = env = noKeys;
    // The region's standard endpoint: credentials are needed before anything could be sent.
    const message = unavailable(await new FunctionCatalog().functions({}, { overrides: {}, env }), 'credentials');
    assert.match(message, /No AWS credentials found/);
    assert.match(message, /aws configure --profile default/);
    assert.match(message, /aws sso login/);
  });

  test('an SSO profile never signed in: says to run aws sso login for it', async () => {
    withSharedFiles({
      config: [
        '[profile dev]',
        'sso_session = corp',
        `sso_account_id = ${FAKE_ACCOUNT}`,
        'sso_role_name = ReadOnly',
        `region = ${REGION}`,
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        '',
      ].join('\n'),
    });
    const message = unavailable(await new FunctionCatalog().functions({ profile: 'dev' }, { overrides: {}, env }), 'credentials');
    assert.match(message, /aws sso login --profile dev/);
  });

  test('a profile whose role needs an MFA code: no prompt, a credentials answer', async () => {
    withSharedFiles({
      credentials: `[base]\naws_access_key_id = AKIDBASEEXAMPLE\naws_secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}\n`,
      config: `[profile admin]\nrole_arn = arn:aws:iam::${FAKE_ACCOUNT}:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::${FAKE_ACCOUNT}:mfa/me\nregion = ${REGION}\n`,
    });
    const message = unavailable(await new FunctionCatalog().functions({}, { overrides: { profile: 'admin' }, env }), 'credentials');
    assert.match(message, /multi-factor/i);
    assertNoSecret(message, 'the message', [TEST_CREDENTIALS], []);
  });

  test('an endpoint written in the file that is not this machine: nothing looked up until it is allowed', async () => {
    const asked: string[] = [];
    const target = { endpoint: 'https://lambda.example.com' };
    const refused = await new FunctionCatalog().functions(target, { overrides: {}, env, allowEndpoint: (url) => (asked.push(url.origin), false) });
    assert.match(unavailable(refused, 'unconfirmed-endpoint'), /https:\/\/lambda\.example\.com/);
    assert.deepEqual(asked, ['https://lambda.example.com']);
    unavailable(await new FunctionCatalog().function(target, 'orders', { overrides: {}, env }), 'unconfirmed-endpoint');
  });

  test('an endpoint in the file on this machine needs no confirmation', async () => {
    fake.functions = [{ name: 'local' }];
    assert.deepEqual(listed(await new FunctionCatalog().functions({ endpoint: fake.url.href }, { overrides: {}, env })).map((f) => f.name), ['local']);
  });

  test('an endpoint nothing listens on: unreachable, saying so', async () => {
    const port = await freePort();
    const message = unavailable(await new FunctionCatalog().functions({}, { overrides: { endpoint: `http://127.0.0.1:${port}` }, env }), 'unreachable');
    assert.match(message, new RegExp(`Connection refused by http://127\\.0\\.0\\.1:${port}`));
  });

  test('credentials the service refuses: a credentials answer that quotes neither the secret nor the token', async () => {
    process.env = env = { ...env, AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken };
    fake.failWith({
      status: 403,
      errorType: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. The Canonical String for this request should have been\n' +
        `'GET\n/2015-03-31/functions\n\nx-amz-security-token:${TEST_CREDENTIALS.sessionToken}\n'`,
    });
    const message = unavailable(await new FunctionCatalog().functions({}, atFake()), 'credentials');
    assert.match(message, /InvalidSignatureException/);
    assertNoSecret(message, 'the message', [TEST_CREDENTIALS], signaturesIn(fake.requests.map((r) => r.authorization)));
  });

  test('permissions that do not allow reading: unreachable, naming the actions to allow', async () => {
    fake.failWith({ status: 403, errorType: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/me is not authorized to perform: lambda:ListFunctions' });
    const message = unavailable(await new FunctionCatalog().functions({}, atFake()), 'unreachable');
    assert.match(message, /AccessDeniedException/);
    assert.match(message, /lambda:ListFunctions, lambda:GetFunctionConfiguration, lambda:ListAliases and lambda:ListVersionsByFunction/);
  });

  test('a failure is kept a short while, then the service is asked again', async () => {
    let now = 0;
    const catalog = new FunctionCatalog({ now: () => now, failureLifetimeMs: 30_000 });
    fake.failWith({ status: 403, errorType: 'AccessDeniedException' });
    unavailable(await catalog.functions({}, atFake()), 'unreachable');
    fake.failWith(undefined);
    fake.functions = [{ name: 'allowed' }];
    unavailable(await catalog.functions({}, atFake()), 'unreachable');
    assert.equal(fake.requests.length, 1);
    now += 30_000;
    assert.deepEqual(listed(await catalog.functions({}, atFake())).map((f) => f.name), ['allowed']);
  });
});
