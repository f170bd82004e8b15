/**
 * The local endpoint's control plane driven by independent clients: the AWS CLI v2 (list-functions,
 * get-function, get-function-configuration, list-aliases, list-versions-by-function, `--output
 * json`) and @aws-sdk/client-lambda, whose deserializers keep only the members its model names —
 * so a field spelled differently from Lambda's would vanish here. Both page through 2,000
 * functions by following NextMarker themselves; the test reports how long each takes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  paginateListAliases,
  paginateListFunctions,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { startLocalEndpoint, type LocalEndpoint } from '../../src/local/index';
import { isolatedAwsEnv } from '../unit/engineFixtures';

const run = promisify(execFile);
const AWS = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => fs.existsSync(p));
const CREDENTIALS = { accessKeyId: 'AKIDCONTROLPLANEE2E01', secretAccessKey: 'control/plane/e2e/secret/0000000000000' };
const REGION = 'us-east-1';
const ARN = `arn:aws:lambda:${REGION}:000000000000:function`;
const MANY = 2000;
/** Most of the 2,000-function listings' time is 40 signed round trips (and, for the CLI, Python starting): generous, so a slow machine does not fail it. */
const LISTING_TIMEOUT_MS = 120_000;

const HANDLERS: Record<string, string> = {
  'functions/hello.js': `exports.handler = async (event) => ({ greeting: process.env.GREETING + ', ' + (event.name ?? 'world') });`,
  'functions/tenant.js': `exports.handler = async (event, context) => ({ tenantId: context.tenantId });`,
};

const CONFIG = {
  functions: {
    hello: {
      handler: 'functions/hello.handler',
      description: 'Greets whoever is named',
      runtime: 'nodejs22.x',
      timeout: 7,
      memory: 256,
      environment: { GREETING: 'Hello' },
      versions: { '1': { environment: { GREETING: 'Hi' } }, '2': {} },
      aliases: { live: '1', edge: '$LATEST' },
    },
    tenants: { handler: 'functions/tenant.handler', tenancy: 'PER_TENANT' },
    durable: {
      handler: 'functions/hello.handler',
      environment: { GREETING: 'Welcome back' },
      durable: { executionTimeout: 3600, retentionPeriodInDays: 7 },
      versions: { '1': {} },
    },
  },
};

const tempDirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-control-e2e-')));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

let dir: string;
let endpoint: LocalEndpoint;
/** 2,000 functions sharing one handler file, named so their order is easy to state. */
let many: LocalEndpoint;
const manyNames = Array.from({ length: MANY }, (_, i) => `fn-${String(i).padStart(4, '0')}`);

before(async () => {
  dir = folder({ ...HANDLERS, 'lambda-invoke.local.json': JSON.stringify(CONFIG) });
  endpoint = await startLocalEndpoint({ dir, port: 0, credentials: CREDENTIALS, log: () => undefined });
  const functions = Object.fromEntries(manyNames.map((name) => [name, { handler: 'functions/hello.handler', description: `function ${name}` }]));
  many = await startLocalEndpoint({ dir: folder({ ...HANDLERS, 'lambda-invoke.local.json': JSON.stringify({ functions }) }), port: 0, credentials: CREDENTIALS, log: () => undefined });
});

after(async () => {
  await Promise.all([endpoint?.close(), many?.close()]);
  for (const tempDir of tempDirs) fs.rmSync(tempDir, { recursive: true, force: true });
});

/** The environment both clients sign with: test keys, a region, and none of the developer's own files. */
const env = (): NodeJS.ProcessEnv => isolatedAwsEnv(dir, CREDENTIALS, REGION);

function sdk(target: LocalEndpoint): LambdaClient {
  return new LambdaClient({ endpoint: target.url.href, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
}

// CI installs the AWS CLI (.ci/run), so there a missing one fails loudly instead of skipping.
describe('the AWS CLI v2 against the control plane', { skip: AWS === undefined && !process.env.CI ? 'AWS CLI v2 not installed: apt-get install awscli' : false }, () => {
  async function aws(target: LocalEndpoint, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(AWS!, ['lambda', ...args, '--endpoint-url', target.url.href, '--output', 'json'], { env: env(), cwd: dir, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  async function awsJson<T>(target: LocalEndpoint, ...args: string[]): Promise<T> {
    const r = await aws(target, ...args);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as T;
  }

  test('list-functions: every function, with the fields Lambda reports', async () => {
    const { Functions } = await awsJson<{ Functions: FunctionConfiguration[] }>(endpoint, 'list-functions');
    assert.deepEqual(
      Functions.map((f) => f.FunctionName),
      ['durable', 'hello', 'tenants'],
    );
    const hello = Functions.find((f) => f.FunctionName === 'hello')!;
    assert.equal(hello.FunctionArn, `${ARN}:hello`);
    assert.equal(hello.Runtime, 'nodejs22.x');
    assert.equal(hello.Handler, 'functions/hello.handler');
    assert.equal(hello.Description, 'Greets whoever is named');
    assert.equal(hello.Timeout, 7);
    assert.equal(hello.MemorySize, 256);
    assert.equal(hello.Version, '$LATEST');
    assert.equal(hello.CodeSize, fs.statSync(path.join(dir, 'functions/hello.js')).size);
    assert.match(hello.LastModified ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.deepEqual(hello.Environment, { Variables: { GREETING: 'Hello' } });
    assert.equal(hello.State, 'Active');
    assert.equal(hello.PackageType, 'Zip');
  });

  test('get-function and get-function-configuration, by name, qualifier and ARN', async () => {
    const got = await awsJson<{ Configuration: FunctionConfiguration; Code: { RepositoryType: string } }>(endpoint, 'get-function', '--function-name', 'hello', '--qualifier', 'live');
    assert.equal(got.Configuration.FunctionArn, `${ARN}:hello:live`);
    assert.equal(got.Configuration.Version, '1');
    assert.deepEqual(got.Configuration.Environment, { Variables: { GREETING: 'Hi' } });
    assert.equal(got.Code.RepositoryType, 'S3');
    const byArn = await awsJson<FunctionConfiguration>(endpoint, 'get-function-configuration', '--function-name', `arn:aws:lambda:${REGION}:123456789012:function:hello:2`);
    assert.equal(byArn.FunctionArn, `${ARN}:hello:2`);
    assert.equal(byArn.Version, '2');
    const missing = await aws(endpoint, 'get-function-configuration', '--function-name', 'nope');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope/);
  });

  test('list-aliases and list-versions-by-function', async () => {
    const { Aliases } = await awsJson<{ Aliases: { Name: string; FunctionVersion: string; AliasArn: string }[] }>(endpoint, 'list-aliases', '--function-name', 'hello');
    assert.deepEqual(
      Aliases.map((a) => [a.Name, a.FunctionVersion, a.AliasArn]),
      [
        ['edge', '$LATEST', `${ARN}:hello:edge`],
        ['live', '1', `${ARN}:hello:live`],
      ],
    );
    const filtered = await awsJson<{ Aliases: { Name: string }[] }>(endpoint, 'list-aliases', '--function-name', 'hello', '--function-version', '1');
    assert.deepEqual(filtered.Aliases.map((a) => a.Name), ['live']);
    const { Versions } = await awsJson<{ Versions: FunctionConfiguration[] }>(endpoint, 'list-versions-by-function', '--function-name', 'hello');
    assert.deepEqual(
      Versions.map((v) => [v.Version, v.FunctionArn]),
      [
        ['$LATEST', `${ARN}:hello:$LATEST`],
        ['1', `${ARN}:hello:1`],
        ['2', `${ARN}:hello:2`],
      ],
    );
  });

  test(`list-functions over ${MANY} functions: the CLI follows NextMarker and gets each once; --max-items 120 gives 120 and a NextToken`, { timeout: LISTING_TIMEOUT_MS }, async (t) => {
    const started = performance.now();
    const { Functions } = await awsJson<{ Functions: FunctionConfiguration[] }>(many, 'list-functions');
    const elapsed = performance.now() - started;
    t.diagnostic(`AWS CLI list-functions, ${MANY} functions (40 pages): ${elapsed.toFixed(0)} ms`);
    const names = Functions.map((f) => f.FunctionName);
    assert.equal(names.length, MANY);
    assert.equal(new Set(names).size, MANY, 'no function twice');
    assert.deepEqual(names, manyNames);

    const limited = await awsJson<{ Functions: FunctionConfiguration[]; NextToken?: string }>(many, 'list-functions', '--max-items', '120');
    assert.deepEqual(limited.Functions.map((f) => f.FunctionName), manyNames.slice(0, 120));
    assert.ok(limited.NextToken, 'NextToken to go on from');
    const next = await awsJson<{ Functions: FunctionConfiguration[] }>(many, 'list-functions', '--max-items', '120', '--starting-token', limited.NextToken);
    assert.deepEqual(next.Functions.map((f) => f.FunctionName), manyNames.slice(120, 240));
  });
});

describe('@aws-sdk/client-lambda against the control plane', () => {
  test(`paginateListFunctions over ${MANY} functions: 40 pages of at most 50, every function once`, { timeout: LISTING_TIMEOUT_MS }, async (t) => {
    const client = sdk(many);
    try {
      const started = performance.now();
      const names: string[] = [];
      const pageSizes: number[] = [];
      for await (const page of paginateListFunctions({ client }, {})) {
        pageSizes.push(page.Functions?.length ?? 0);
        names.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
      }
      const elapsed = performance.now() - started;
      t.diagnostic(`SDK paginateListFunctions, ${MANY} functions (${pageSizes.length} pages): ${elapsed.toFixed(0)} ms`);
      assert.deepEqual(names, manyNames);
      assert.equal(pageSizes.length, MANY / 50);
      assert.ok(pageSizes.every((size) => size === 50));

      // Asking for pages of 1000 still gets 50 at a time, as Lambda documents.
      const big: number[] = [];
      for await (const page of paginateListFunctions({ client, pageSize: 1000 }, {})) big.push(page.Functions?.length ?? 0);
      assert.deepEqual(big, Array<number>(MANY / 50).fill(50));
    } finally {
      client.destroy();
    }
  });

  test("the SDK's model reads every member the endpoint sends: TenancyConfig, DurableConfig, LoggingConfig and the rest", async () => {
    const client = sdk(endpoint);
    try {
      const tenants = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'tenants' }));
      assert.deepEqual(tenants.TenancyConfig, { TenantIsolationMode: 'PER_TENANT' });
      assert.deepEqual(tenants.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/tenants' });
      assert.deepEqual(tenants.EphemeralStorage, { Size: 512 });
      assert.deepEqual(tenants.Architectures, [process.arch === 'arm64' ? 'arm64' : 'x86_64']);
      assert.equal(tenants.Role, 'arn:aws:iam::000000000000:role/lambda-invoke-local');
      assert.equal(tenants.LastUpdateStatus, 'Successful');
      assert.equal(tenants.CodeSha256?.length, 44);
      const durable = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'durable', Qualifier: '1' }));
      assert.deepEqual(durable.DurableConfig, { ExecutionTimeout: 3600, RetentionPeriodInDays: 7 });
      assert.equal(durable.FunctionArn, `${ARN}:durable:1`);

      const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'hello', MaxItems: 2 }));
      assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1']);
      assert.ok(versions.NextMarker);
      const aliases: string[] = [];
      for await (const page of paginateListAliases({ client, pageSize: 1 }, { FunctionName: 'hello' })) aliases.push(...(page.Aliases ?? []).map((a) => a.Name!));
      assert.deepEqual(aliases, ['edge', 'live']);
    } finally {
      client.destroy();
    }
  });

  test('Invoke follows what the function declares: a tenant id for tenancy, a qualifier for durability', async () => {
    const client = sdk(endpoint);
    const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
    try {
      await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'tenants' })), (e: Error) => {
        assert.equal(e.name, 'InvalidParameterValueException');
        assert.match(e.message, /uses tenant isolation mode/);
        return true;
      });
      const withTenant = await client.send(new InvokeCommand({ FunctionName: 'tenants', TenantId: 'blue' }));
      assert.deepEqual(decode(withTenant.Payload), { tenantId: 'blue' });
      await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'hello', TenantId: 'blue' })), { name: 'InvalidParameterValueException' });
      await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'durable' })), (e: Error) => {
        assert.equal(e.name, 'InvalidParameterValueException');
        assert.match(e.message, /^You cannot invoke a durable function using an unqualified ARN/);
        return true;
      });
      const qualified = await client.send(new InvokeCommand({ FunctionName: 'durable', Qualifier: '1', Payload: Buffer.from('{"name":"Ada"}') }));
      assert.equal(qualified.ExecutedVersion, '1');
      assert.deepEqual(decode(qualified.Payload), { greeting: 'Welcome back, Ada' });
    } finally {
      client.destroy();
    }
  });
});
