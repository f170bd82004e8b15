/**
 * The local endpoint's control plane (src/local/http/controlPlane.ts), through HTTP only:
 * ListFunctions, GetFunction, GetFunctionConfiguration, ListAliases and ListVersionsByFunction
 * answer with Lambda's JSON shapes for the functions of lambda-invoke.local.json — fields,
 * ARNs with the signature's region, qualifiers, pagination, errors — and Invoke refuses what a
 * function's tenancy or durability does not allow. Requests are signed with `aws4`, independent of
 * the endpoint's own verifier, and sent with fetch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import aws4 from 'aws4';
import { LocalConfigError, startLocalEndpoint, type LocalEndpoint } from '../../src/local/index';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function`;
const CREDENTIALS = { accessKeyId: 'AKIDCONTROLPLANE0001', secretAccessKey: 'control/plane/secret/for/tests/00000000' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LAMBDA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const NODE_RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
const ARCHITECTURE = process.arch === 'arm64' ? 'arm64' : 'x86_64';
const EMPTY_SHA256 = createHash('sha256').digest('base64');

// ---------------------------------------------------------------------------------------------
// Helpers

interface Reply {
  status: number;
  headers: Headers;
  body: string;
}

interface CallOptions {
  method?: string;
  /** Query parameters, encoded once as SDKs send them. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** Signing credentials; `false` sends no Authorization header. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | false;
}

/** A request to `endpoint` at `requestPath` (path labels already encoded), signed like an SDK signs it. */
async function call(endpoint: LocalEndpoint, requestPath: string, options: CallOptions = {}): Promise<Reply> {
  const query = new URLSearchParams(options.query ?? {}).toString().replace(/\+/g, '%20');
  const fullPath = query === '' ? requestPath : `${requestPath}?${query}`;
  const method = options.method ?? 'GET';
  let headers: Record<string, string> = { ...options.headers };
  if (options.credentials !== false) {
    const signed = aws4.sign(
      { host: endpoint.url.host, path: fullPath, method, service: 'lambda', region: REGION, headers, body: options.body ?? '' },
      options.credentials ?? CREDENTIALS,
    );
    headers = Object.fromEntries(Object.entries(signed.headers ?? {}).map(([name, value]) => [name, String(value)]));
  }
  // fetch sets Host itself, to the same host:port that was signed.
  delete headers.Host;
  const response = await fetch(new URL(fullPath, endpoint.url), { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Encoded once, as SDKs put the label in the path (`:` → %3A). */
const fn = (name: string, operation = ''): string => `/2015-03-31/functions/${encodeURIComponent(name)}${operation}`;

function json(reply: Reply): Record<string, unknown> {
  assert.equal(reply.status, 200, reply.body);
  assert.equal(reply.headers.get('content-type'), 'application/json');
  assert.match(reply.headers.get('x-amzn-requestid') ?? '', UUID);
  return JSON.parse(reply.body) as Record<string, unknown>;
}

type Configuration = Record<string, unknown>;

function list(reply: Reply, member: 'Functions' | 'Aliases' | 'Versions'): { items: Configuration[]; next: string | undefined } {
  const body = json(reply);
  assert.deepEqual(Object.keys(body).sort(), [member, ...('NextMarker' in body ? ['NextMarker'] : [])].sort());
  return { items: body[member] as Configuration[], next: body.NextMarker as string | undefined };
}

/** Asserts a Lambda-style error answer: status, `X-Amzn-ErrorType`, `{"Type","message"}`. */
function assertServiceError(reply: Reply, status: number, name: string, message?: RegExp): void {
  assert.equal(reply.status, status, reply.body);
  assert.equal(reply.headers.get('x-amzn-errortype'), name);
  assert.match(reply.headers.get('x-amzn-requestid') ?? '', UUID);
  const body = JSON.parse(reply.body) as Record<string, unknown>;
  assert.equal(typeof body.message, 'string');
  if (message) assert.match(body.message as string, message);
}

const tempDirs: string[] = [];
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-control-')));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

const endpoints: LocalEndpoint[] = [];
async function start(dir: string): Promise<LocalEndpoint> {
  const endpoint = await startLocalEndpoint({ dir, port: 0, credentials: CREDENTIALS, log: () => undefined });
  endpoints.push(endpoint);
  return endpoint;
}

after(async () => {
  await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** What the handler file says as a deployment package: CodeSize, CodeSha256, LastModified. */
async function codeOf(dir: string, file: string): Promise<{ CodeSize: number; CodeSha256: string; LastModified: string }> {
  const bytes = await readFile(path.join(dir, file));
  const stats = await stat(path.join(dir, file));
  return {
    CodeSize: bytes.length,
    CodeSha256: createHash('sha256').update(bytes).digest('base64'),
    LastModified: stats.mtime.toISOString().replace('Z', '+0000'),
  };
}

// ---------------------------------------------------------------------------------------------
// The functions

const HANDLERS: Record<string, string> = {
  'functions/hello.js': `exports.handler = async (event) => ({ greeting: process.env.GREETING + ', ' + (event.name ?? 'world') });`,
  'functions/runtime.js': `exports.handler = async () => process.env.AWS_EXECUTION_ENV;`,
  'functions/tenant.js': `exports.handler = async (event, context) => ({ tenantId: context.tenantId ?? null, pid: process.pid });`,
  'functions/durable.js': `exports.handler = async (event, context) => context.functionVersion;`,
};

const CONFIG = {
  functions: {
    hello: {
      handler: 'functions/hello.handler',
      description: 'Greets whoever is named',
      runtime: 'nodejs22.x',
      timeout: 5,
      memory: 256,
      environment: { GREETING: 'Hello' },
      versions: { '1': { environment: { GREETING: 'Hi' }, description: 'The first greeting' }, '2': {}, '10': { memory: 512 } },
      aliases: { live: '1', edge: '$LATEST', beta: '2' },
    },
    plain: { handler: 'functions/hello.handler' },
    runtime: { handler: 'functions/runtime.handler', runtime: 'nodejs18.x' },
    tenants: { handler: 'functions/tenant.handler', tenancy: 'PER_TENANT' },
    durable: {
      handler: 'functions/durable.handler',
      durable: { executionTimeout: 900 },
      versions: { '1': {} },
      aliases: { prod: '1' },
    },
    kept: { handler: 'functions/durable.handler', durable: { executionTimeout: 86400, retentionPeriodInDays: 30 } },
    missing: { handler: 'functions/not-written-yet.handler' },
  },
};

let dir: string;
let endpoint: LocalEndpoint;

before(async () => {
  dir = await folder({ ...HANDLERS, 'lambda-invoke.local.json': JSON.stringify(CONFIG, null, 2) });
  endpoint = await start(dir);
});

describe('ListFunctions', () => {
  test("lists every function's $LATEST by name, with unqualified ARNs in the signature's region, on one page", async () => {
    for (const listPath of ['/2015-03-31/functions/', '/2015-03-31/functions']) {
      const { items, next } = list(await call(endpoint, listPath), 'Functions');
      assert.deepEqual(
        items.map((f) => f.FunctionName),
        ['durable', 'hello', 'kept', 'missing', 'plain', 'runtime', 'tenants'],
      );
      for (const f of items) {
        assert.equal(f.FunctionArn, `${ARN}:${String(f.FunctionName)}`);
        assert.equal(f.Version, '$LATEST');
      }
      assert.equal(next, undefined, 'no NextMarker on the last page');
    }
  });

  test('a function configuration carries every field Lambda reports, from the configuration and the handler file', async () => {
    const { items } = list(await call(endpoint, '/2015-03-31/functions/'), 'Functions');
    const hello = items.find((f) => f.FunctionName === 'hello')!;
    assert.match(String(hello.RevisionId), UUID);
    assert.deepEqual(hello, {
      FunctionName: 'hello',
      FunctionArn: `${ARN}:hello`,
      Runtime: 'nodejs22.x',
      Role: `arn:aws:iam::${ACCOUNT}:role/lambda-invoke-local`,
      Handler: 'functions/hello.handler',
      ...(await codeOf(dir, 'functions/hello.js')),
      Description: 'Greets whoever is named',
      Timeout: 5,
      MemorySize: 256,
      Version: '$LATEST',
      Environment: { Variables: { GREETING: 'Hello' } },
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: hello.RevisionId,
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: [ARCHITECTURE],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/hello' },
    });
    assert.match(String(hello.LastModified), LAMBDA_TIMESTAMP);
  });

  test('unset fields get Lambda defaults: empty description, no Environment, the Node.js runtime that runs, 3 s, 128 MB', async () => {
    const plain = json(await call(endpoint, fn('plain', '/configuration')));
    assert.equal(plain.Description, '');
    assert.equal('Environment' in plain, false);
    assert.equal(plain.Runtime, NODE_RUNTIME);
    assert.equal(plain.Timeout, 3);
    assert.equal(plain.MemorySize, 128);
    assert.equal('TenancyConfig' in plain, false);
    assert.equal('DurableConfig' in plain, false);
  });

  test('tenancy and durability appear as TenancyConfig and DurableConfig, only where declared', async () => {
    const { items } = list(await call(endpoint, '/2015-03-31/functions/'), 'Functions');
    const byName = new Map(items.map((f) => [f.FunctionName, f]));
    assert.deepEqual(byName.get('tenants')!.TenancyConfig, { TenantIsolationMode: 'PER_TENANT' });
    assert.deepEqual(byName.get('durable')!.DurableConfig, { ExecutionTimeout: 900, RetentionPeriodInDays: 14 });
    assert.deepEqual(byName.get('kept')!.DurableConfig, { ExecutionTimeout: 86400, RetentionPeriodInDays: 30 });
    for (const name of ['hello', 'plain', 'missing']) {
      assert.equal('TenancyConfig' in byName.get(name)!, false, name);
      assert.equal('DurableConfig' in byName.get(name)!, false, name);
    }
  });

  test('a handler file that does not exist yet reports an empty package dated by the configuration file', async () => {
    const missing = json(await call(endpoint, fn('missing', '/configuration')));
    assert.equal(missing.CodeSize, 0);
    assert.equal(missing.CodeSha256, EMPTY_SHA256);
    assert.equal(missing.LastModified, (await stat(path.join(dir, 'lambda-invoke.local.json'))).mtime.toISOString().replace('Z', '+0000'));
  });

  test('FunctionVersion=ALL lists $LATEST and every published version of each function, with qualified ARNs', async () => {
    const { items } = list(await call(endpoint, '/2015-03-31/functions/', { query: { FunctionVersion: 'ALL' } }), 'Functions');
    assert.deepEqual(
      items.map((f) => f.FunctionArn),
      [
        `${ARN}:durable:$LATEST`,
        `${ARN}:durable:1`,
        `${ARN}:hello:$LATEST`,
        `${ARN}:hello:1`,
        `${ARN}:hello:2`,
        `${ARN}:hello:10`,
        ...['kept', 'missing', 'plain', 'runtime', 'tenants'].map((name) => `${ARN}:${name}:$LATEST`),
      ],
    );
    assertServiceError(
      await call(endpoint, '/2015-03-31/functions/', { query: { FunctionVersion: 'LATEST' } }),
      400,
      'ValidationException',
      /Value 'LATEST' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: \[ALL\]/,
    );
  });

  test('MasterRegion lists Lambda@Edge replicas only: none here; without FunctionVersion=ALL it is refused', async () => {
    assert.deepEqual(list(await call(endpoint, '/2015-03-31/functions/', { query: { MasterRegion: 'us-east-1', FunctionVersion: 'ALL' } }), 'Functions').items, []);
    assertServiceError(await call(endpoint, '/2015-03-31/functions/', { query: { MasterRegion: 'us-east-1' } }), 400, 'InvalidParameterValueException', /FunctionVersion=ALL/);
  });

  test('the ARNs follow the region the request was signed for, in its partition', async () => {
    const signedFor = async (region: string): Promise<unknown> => {
      const requestPath = fn('plain', '/configuration');
      const signed = aws4.sign({ host: endpoint.url.host, path: requestPath, method: 'GET', service: 'lambda', region, headers: {} }, CREDENTIALS);
      const headers = Object.fromEntries(Object.entries(signed.headers ?? {}).filter(([name]) => name !== 'Host').map(([name, value]) => [name, String(value)]));
      const body = (await (await fetch(new URL(requestPath, endpoint.url), { headers })).json()) as Configuration;
      return [body.FunctionArn, body.Role];
    };
    assert.deepEqual(await signedFor('cn-north-1'), [`arn:aws-cn:lambda:cn-north-1:${ACCOUNT}:function:plain`, `arn:aws-cn:iam::${ACCOUNT}:role/lambda-invoke-local`]);
    assert.deepEqual(await signedFor('us-gov-west-1'), [`arn:aws-us-gov:lambda:us-gov-west-1:${ACCOUNT}:function:plain`, `arn:aws-us-gov:iam::${ACCOUNT}:role/lambda-invoke-local`]);
  });
});

describe('GetFunction and GetFunctionConfiguration', () => {
  test('GetFunction answers Configuration and Code (an S3 package, no download Location), no Tags', async () => {
    const body = json(await call(endpoint, fn('hello')));
    assert.deepEqual(Object.keys(body), ['Configuration', 'Code']);
    assert.deepEqual(body.Code, { RepositoryType: 'S3' });
    assert.deepEqual(body.Configuration, json(await call(endpoint, fn('hello', '/configuration'))));
  });

  test('a version, an alias or $LATEST selects that configuration; the ARN keeps the qualifier asked for', async () => {
    const cases: { name: string; query?: Record<string, string>; arn: string; version: string; greeting: string; description: string }[] = [
      { name: 'hello', query: { Qualifier: '1' }, arn: `${ARN}:hello:1`, version: '1', greeting: 'Hi', description: 'The first greeting' },
      { name: 'hello:1', arn: `${ARN}:hello:1`, version: '1', greeting: 'Hi', description: 'The first greeting' },
      { name: 'hello:live', arn: `${ARN}:hello:live`, version: '1', greeting: 'Hi', description: 'The first greeting' },
      { name: 'hello', query: { Qualifier: 'edge' }, arn: `${ARN}:hello:edge`, version: '$LATEST', greeting: 'Hello', description: 'Greets whoever is named' },
      { name: 'hello', query: { Qualifier: '$LATEST' }, arn: `${ARN}:hello:$LATEST`, version: '$LATEST', greeting: 'Hello', description: 'Greets whoever is named' },
      { name: 'hello:beta', query: { Qualifier: 'beta' }, arn: `${ARN}:hello:beta`, version: '2', greeting: 'Hello', description: 'Greets whoever is named' },
    ];
    for (const c of cases) {
      for (const operation of ['', '/configuration']) {
        const body = json(await call(endpoint, fn(c.name, operation), { ...(c.query ? { query: c.query } : {}) }));
        const configuration = (operation === '' ? body.Configuration : body) as Configuration;
        const where = `${c.name} ${JSON.stringify(c.query ?? {})} ${operation || 'GetFunction'}`;
        assert.equal(configuration.FunctionArn, c.arn, where);
        assert.equal(configuration.Version, c.version, where);
        assert.deepEqual(configuration.Environment, { Variables: { GREETING: c.greeting } }, where);
        assert.equal(configuration.Description, c.description, where);
      }
    }
    assert.equal(json(await call(endpoint, fn('hello:10', '/configuration'))).MemorySize, 512);
  });

  test('full and partial ARNs name the function, whatever account and region they were written with', async () => {
    for (const name of [
      `arn:aws:lambda:${REGION}:123456789012:function:hello`,
      'arn:aws:lambda:us-west-2:123456789012:function:hello:live',
      '123456789012:function:hello',
      `${REGION}:123456789012:function:hello:1`,
    ]) {
      const configuration = json(await call(endpoint, fn(name, '/configuration')));
      assert.equal(configuration.FunctionName, 'hello', name);
      assert.match(String(configuration.FunctionArn), new RegExp(`^${ARN}:hello(:live|:1)?$`), name);
    }
  });

  test('an unknown function or qualifier is 404 ResourceNotFoundException naming the ARN, as the service words it', async () => {
    for (const operation of ['', '/configuration']) {
      assertServiceError(await call(endpoint, fn('nope', operation)), 404, 'ResourceNotFoundException', new RegExp(`^Function not found: ${ARN}:nope\\. Functions in `));
      assertServiceError(
        await call(endpoint, fn('hello', operation), { query: { Qualifier: 'staging' } }),
        404,
        'ResourceNotFoundException',
        /^Function not found: arn:aws:lambda:eu-west-1:000000000000:function:hello:staging\. Qualifiers of hello: \$LATEST, 1, 2, 10, live, edge, beta\.$/,
      );
      assertServiceError(await call(endpoint, fn('hello:7', operation)), 404, 'ResourceNotFoundException', /function:hello:7\./);
    }
  });

  test('a bad name or qualifier is refused before anything is looked up, as for Invoke', async () => {
    assertServiceError(await call(endpoint, fn('hello:live'), { query: { Qualifier: '1' } }), 400, 'InvalidParameterValueException', /does not match the specified qualifier/);
    assertServiceError(await call(endpoint, fn('not a name', '/configuration')), 400, 'ValidationException', /at 'functionName' failed to satisfy constraint/);
    assertServiceError(await call(endpoint, fn('hello'), { query: { Qualifier: 'v1.0' } }), 400, 'ValidationException', /at 'qualifier' failed to satisfy constraint/);
  });
});

describe('ListAliases', () => {
  test('lists the aliases by name with their ARN, version, description and revision', async () => {
    const { items, next } = list(await call(endpoint, fn('hello', '/aliases')), 'Aliases');
    assert.equal(next, undefined);
    assert.deepEqual(
      items.map(({ RevisionId, ...alias }) => {
        assert.match(String(RevisionId), UUID);
        return alias;
      }),
      [
        { AliasArn: `${ARN}:hello:beta`, Name: 'beta', FunctionVersion: '2', Description: '' },
        { AliasArn: `${ARN}:hello:edge`, Name: 'edge', FunctionVersion: '$LATEST', Description: '' },
        { AliasArn: `${ARN}:hello:live`, Name: 'live', FunctionVersion: '1', Description: '' },
      ],
    );
    assert.deepEqual(list(await call(endpoint, fn('plain', '/aliases')), 'Aliases').items, []);
  });

  test('FunctionVersion keeps the aliases of that version only', async () => {
    const names = async (version: string): Promise<unknown[]> =>
      list(await call(endpoint, fn(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:hello`, '/aliases'), { query: { FunctionVersion: version } }), 'Aliases').items.map((a) => a.Name);
    assert.deepEqual(await names('1'), ['live']);
    assert.deepEqual(await names('$LATEST'), ['edge']);
    assert.deepEqual(await names('10'), []);
    assertServiceError(await call(endpoint, fn('hello', '/aliases'), { query: { FunctionVersion: 'live' } }), 400, 'ValidationException', /at 'functionVersion' failed to satisfy constraint/);
  });

  test('MaxItems pages through them; NextMarker is absent on the last page', async () => {
    const first = list(await call(endpoint, fn('hello', '/aliases'), { query: { MaxItems: '2' } }), 'Aliases');
    assert.deepEqual(first.items.map((a) => a.Name), ['beta', 'edge']);
    assert.ok(first.next);
    const second = list(await call(endpoint, fn('hello', '/aliases'), { query: { MaxItems: '2', Marker: first.next } }), 'Aliases');
    assert.deepEqual(second.items.map((a) => a.Name), ['live']);
    assert.equal(second.next, undefined);
  });

  test('it takes the function itself: a version or alias in the name, or an unknown function, is refused', async () => {
    assertServiceError(await call(endpoint, fn('hello:live', '/aliases')), 400, 'InvalidParameterValueException', /^ListAliases takes a function, not one of its versions or aliases \("live"\)/);
    assertServiceError(await call(endpoint, fn('nope', '/aliases')), 404, 'ResourceNotFoundException', new RegExp(`^Function not found: ${ARN}:nope\\.`));
  });
});

describe('ListVersionsByFunction', () => {
  test('lists $LATEST first, then the published versions by number, each with its qualified ARN', async () => {
    const { items, next } = list(await call(endpoint, fn('hello', '/versions')), 'Versions');
    assert.equal(next, undefined);
    assert.deepEqual(
      items.map((v) => [v.Version, v.FunctionArn, v.MemorySize]),
      [
        ['$LATEST', `${ARN}:hello:$LATEST`, 256],
        ['1', `${ARN}:hello:1`, 256],
        ['2', `${ARN}:hello:2`, 256],
        ['10', `${ARN}:hello:10`, 512],
      ],
    );
    assert.deepEqual(list(await call(endpoint, fn('plain', '/versions')), 'Versions').items.map((v) => v.Version), ['$LATEST']);
  });

  test('MaxItems pages through them, by ARN as well as by name', async () => {
    const first = list(await call(endpoint, fn(`${ARN}:hello`, '/versions'), { query: { MaxItems: '3' } }), 'Versions');
    assert.deepEqual(first.items.map((v) => v.Version), ['$LATEST', '1', '2']);
    const second = list(await call(endpoint, fn('hello', '/versions'), { query: { MaxItems: '3', Marker: first.next! } }), 'Versions');
    assert.deepEqual(second.items.map((v) => v.Version), ['10']);
    assert.equal(second.next, undefined);
  });

  test('a qualified name or an unknown function is refused', async () => {
    assertServiceError(await call(endpoint, fn('hello:1', '/versions')), 400, 'InvalidParameterValueException', /^ListVersionsByFunction takes a function/);
    assertServiceError(await call(endpoint, fn('nope', '/versions')), 404, 'ResourceNotFoundException');
  });
});

describe('pagination of ListFunctions', () => {
  const COUNT = 120;
  const names = Array.from({ length: COUNT }, (_, i) => `fn-${String(i).padStart(3, '0')}`);
  let paged: LocalEndpoint;

  before(async () => {
    const functions = Object.fromEntries(names.map((name) => [name, { handler: 'functions/hello.handler' }]));
    paged = await start(await folder({ ...HANDLERS, 'lambda-invoke.local.json': JSON.stringify({ functions }) }));
  });

  test('50 per page at most, whatever MaxItems says, as the API reference documents', async () => {
    const absent = list(await call(paged, '/2015-03-31/functions/'), 'Functions');
    assert.equal(absent.items.length, 50);
    assert.ok(absent.next);
    const asked = list(await call(paged, '/2015-03-31/functions/', { query: { MaxItems: '10000' } }), 'Functions');
    assert.equal(asked.items.length, 50);
    assert.equal(list(await call(paged, '/2015-03-31/functions/', { query: { MaxItems: '7' } }), 'Functions').items.length, 7);
  });

  test('following NextMarker returns every function exactly once, in order, and the last page has no NextMarker', async () => {
    for (const maxItems of ['50', '7', '1000']) {
      const seen: unknown[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = list(await call(paged, '/2015-03-31/functions/', { query: { MaxItems: maxItems, ...(marker ? { Marker: marker } : {}) } }), 'Functions');
        seen.push(...page.items.map((f) => f.FunctionName));
        marker = page.next;
        pages++;
      } while (marker);
      assert.deepEqual(seen, names, `MaxItems ${maxItems}`);
      assert.equal(pages, Math.ceil(COUNT / Math.min(50, Number(maxItems))), `MaxItems ${maxItems}`);
    }
  });

  test('MaxItems outside 1–10000 is a ValidationException; one that is not a number, or a Marker not from this operation, InvalidParameterValueException', async () => {
    assertServiceError(await call(paged, '/2015-03-31/functions/', { query: { MaxItems: '0' } }), 400, 'ValidationException', /Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1/);
    assertServiceError(await call(paged, '/2015-03-31/functions/', { query: { MaxItems: '10001' } }), 400, 'ValidationException', /less than or equal to 10000/);
    assertServiceError(await call(paged, '/2015-03-31/functions/', { query: { MaxItems: 'ten' } }), 400, 'InvalidParameterValueException', /MaxItems must be a whole number from 1 to 10000, not 'ten'/);
    assertServiceError(await call(paged, '/2015-03-31/functions/', { query: { Marker: 'not-a-marker' } }), 400, 'InvalidParameterValueException', /^Invalid Marker 'not-a-marker'/);
    const aliasMarker = list(await call(endpoint, fn('hello', '/aliases'), { query: { MaxItems: '1' } }), 'Aliases').next!;
    assertServiceError(await call(paged, '/2015-03-31/functions/', { query: { Marker: aliasMarker } }), 400, 'InvalidParameterValueException', /NextMarker of the previous ListFunctions answer/);
  });

  test('a 404 among many functions names the first 20 and counts the rest', async () => {
    assertServiceError(
      await call(paged, fn('nope', '/configuration')),
      404,
      'ResourceNotFoundException',
      new RegExp(`Functions in .*lambda-invoke\\.local\\.json: ${names.slice(0, 20).join(', ')} and 100 more\\.$`),
    );
  });
});

describe('a listing while the configuration changes', () => {
  test('a page follows on from the last name of the previous one: functions added before it are not repeated', async () => {
    const config = (names: string[]): string => JSON.stringify({ functions: Object.fromEntries(names.map((name) => [name, { handler: 'functions/hello.handler' }])) });
    const changing = await folder({ ...HANDLERS, 'lambda-invoke.local.json': config(['b', 'c', 'd', 'e']) });
    const live = await start(changing);
    const first = list(await call(live, '/2015-03-31/functions/', { query: { MaxItems: '2' } }), 'Functions');
    assert.deepEqual(first.items.map((f) => f.FunctionName), ['b', 'c']);
    await writeFile(path.join(changing, 'lambda-invoke.local.json'), config(['a', 'b', 'c', 'd', 'e', 'f']));
    const second = list(await call(live, '/2015-03-31/functions/', { query: { MaxItems: '2', Marker: first.next! } }), 'Functions');
    assert.deepEqual(second.items.map((f) => f.FunctionName), ['d', 'e']);
    const third = list(await call(live, '/2015-03-31/functions/', { query: { MaxItems: '2', Marker: second.next! } }), 'Functions');
    assert.deepEqual(third.items.map((f) => f.FunctionName), ['f']);
    assert.equal(third.next, undefined);
  });

  test('an edited handler file changes CodeSha256, CodeSize and RevisionId; a broken configuration is a 500 ServiceException', async () => {
    const changing = await folder({ ...HANDLERS, 'lambda-invoke.local.json': JSON.stringify({ functions: { f: { handler: 'functions/hello.handler' } } }) });
    const live = await start(changing);
    const before = json(await call(live, fn('f', '/configuration')));
    await writeFile(path.join(changing, 'functions/hello.js'), `exports.handler = async () => 'edited, and longer than before';`);
    const after = json(await call(live, fn('f', '/configuration')));
    assert.deepEqual({ CodeSize: after.CodeSize, CodeSha256: after.CodeSha256 }, await codeOf(changing, 'functions/hello.js').then(({ CodeSize, CodeSha256 }) => ({ CodeSize, CodeSha256 })));
    assert.notEqual(after.CodeSha256, before.CodeSha256);
    assert.notEqual(after.RevisionId, before.RevisionId);
    await writeFile(path.join(changing, 'lambda-invoke.local.json'), '{ "functions": { "f": { "handler": 7 } } }');
    const broken = await call(live, '/2015-03-31/functions/');
    assert.equal(broken.status, 500);
    assert.equal(broken.headers.get('x-amzn-errortype'), 'ServiceException');
    assert.match((JSON.parse(broken.body) as { message: string }).message, /functions\.f\.handler: The value 7 is not a string\./);
  });
  test('a changed runtime shows in the next answer and the next invocation, even from a warm function', async () => {
    const config = (runtime: string): string => JSON.stringify({ functions: { g: { handler: 'functions/runtime.handler', runtime } } });
    const changing = await folder({ ...HANDLERS, 'lambda-invoke.local.json': config('nodejs20.x') });
    const live = await start(changing);
    const executionEnv = async (): Promise<unknown> => JSON.parse((await call(live, fn('g', '/invocations'), { method: 'POST', body: '{}' })).body);
    assert.equal(await executionEnv(), 'AWS_Lambda_nodejs20.x');
    await writeFile(path.join(changing, 'lambda-invoke.local.json'), config('nodejs24.x'));
    assert.equal(json(await call(live, fn('g', '/configuration'))).Runtime, 'nodejs24.x');
    assert.equal(await executionEnv(), 'AWS_Lambda_nodejs24.x');
  });
});

describe('the front door', () => {
  test('reads are signed like Invoke: unsigned, wrongly signed or with another key they are refused', async () => {
    assertServiceError(await call(endpoint, '/2015-03-31/functions/', { credentials: false }), 403, 'MissingAuthenticationTokenException');
    assertServiceError(await call(endpoint, fn('hello', '/configuration'), { credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' } }), 403, 'InvalidSignatureException');
    assertServiceError(await call(endpoint, fn('hello:live', '/aliases'), { credentials: { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'x' } }), 403, 'UnrecognizedClientException');
    // A label with ":" is encoded twice in the canonical request, and still verifies.
    assert.equal((await call(endpoint, fn(`${ARN}:hello:live`, '/configuration'))).status, 200);
  });

  test('a path or method naming no operation served is 404 UnknownOperationException, listing what is served', async () => {
    for (const [method, requestPath] of [
      ['DELETE', fn('hello')],
      ['POST', fn('hello')],
      ['PUT', fn('hello', '/configuration')],
      ['GET', fn('hello', '/policy')],
      ['GET', fn('hello', '/invocations')],
      ['GET', '/2015-03-31/layers'],
    ] as const) {
      assertServiceError(
        await call(endpoint, requestPath, { method }),
        404,
        'UnknownOperationException',
        /^Unknown operation: .* This endpoint serves Lambda's Invoke \(POST .*\), ListFunctions \(GET .*GetFunction.*GetFunctionConfiguration.*ListAliases.*ListVersionsByFunction/,
      );
    }
  });
});

describe('what a function declares, on Invoke', () => {
  const invoke = (name: string, options: { tenant?: string; qualifier?: string; type?: string } = {}): Promise<Reply> =>
    call(endpoint, fn(name, '/invocations'), {
      method: 'POST',
      body: '{}',
      ...(options.qualifier ? { query: { Qualifier: options.qualifier } } : {}),
      headers: {
        'Content-Type': 'application/json',
        ...(options.tenant !== undefined ? { 'X-Amz-Tenant-Id': options.tenant } : {}),
        ...(options.type ? { 'X-Amz-Invocation-Type': options.type } : {}),
      },
    });

  test('a tenant-isolated function invoked without a tenant id is 400 InvalidParameterValueException, and nothing runs', async () => {
    for (const type of [undefined, 'DryRun', 'Event']) {
      assertServiceError(
        await invoke('tenants', type ? { type } : {}),
        400,
        'InvalidParameterValueException',
        new RegExp(`^The function ${ARN}:tenants uses tenant isolation mode \\(TenantIsolationMode PER_TENANT\\), so every invocation must name a tenant\\. Send X-Amz-Tenant-Id`),
      );
    }
  });

  test('a tenant id sent to a function without tenancy is 400 InvalidParameterValueException', async () => {
    assertServiceError(
      await invoke('plain', { tenant: 'blue' }),
      400,
      'InvalidParameterValueException',
      new RegExp(`^The function ${ARN}:plain does not use tenant isolation mode, so it takes no tenant ID\\..*"tenancy": "PER_TENANT"`),
    );
  });

  test("a tenant id outside the model constraints is the front door's ValidationException", async () => {
    assertServiceError(await invoke('tenants', { tenant: 'blue#1' }), 400, 'ValidationException', /Value 'blue#1' at 'tenantId' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    assertServiceError(await invoke('tenants', { tenant: 't'.repeat(257) }), 400, 'ValidationException', /Member must have length between 1 and 256/);
  });

  test('with a tenant id the handler sees context.tenantId, and each tenant gets workers of its own', async () => {
    const run = async (tenant: string): Promise<{ tenantId: string; pid: number }> => json(await invoke('tenants', { tenant })) as { tenantId: string; pid: number };
    const blue = await run('blue');
    assert.equal(blue.tenantId, 'blue');
    const green = await run('green team/eu=1');
    assert.equal(green.tenantId, 'green team/eu=1');
    assert.notEqual(green.pid, blue.pid, 'tenants never share a worker');
    assert.equal((await run('blue')).pid, blue.pid, "a tenant's warm worker is reused");
    assert.equal((await invoke('tenants', { tenant: 'blue', type: 'DryRun' })).status, 204);
  });

  test('a durable function invoked unqualified is 400 InvalidParameterValueException; through a version, an alias or $LATEST it runs', async () => {
    for (const type of [undefined, 'DryRun']) {
      assertServiceError(
        await invoke('durable', type ? { type } : {}),
        400,
        'InvalidParameterValueException',
        new RegExp(`^You cannot invoke a durable function using an unqualified ARN\\. Name a version, an alias or \\$LATEST: ${ARN}:durable:\\$LATEST`),
      );
    }
    assertServiceError(await invoke(`${ARN}:durable`), 400, 'InvalidParameterValueException', /unqualified ARN/);
    for (const [name, qualifier, version] of [
      ['durable:1', undefined, '1'],
      ['durable', '1', '1'],
      ['durable:prod', undefined, '1'],
      ['durable:$LATEST', undefined, '$LATEST'],
      ['durable', '$LATEST', '$LATEST'],
    ] as const) {
      const reply = await invoke(name, qualifier ? { qualifier } : {});
      assert.equal(reply.status, 200, `${name} ${qualifier ?? ''}: ${reply.body}`);
      assert.equal(reply.headers.get('x-amz-executed-version'), version);
    }
  });

  test('the declared runtime is the one AWS_EXECUTION_ENV names', async () => {
    assert.equal(JSON.parse((await invoke('runtime')).body), 'AWS_Lambda_nodejs18.x');
  });
});

describe('the new settings of lambda-invoke.local.json', () => {
  test('each is checked, with the place and what to write', async () => {
    const bad = await folder({
      'lambda-invoke.local.json': JSON.stringify({
        functions: {
          a: { handler: 'a.handler', description: 'd'.repeat(257), runtime: 'python3.12' },
          b: { handler: 'b.handler', tenancy: 'SHARED', durable: { retentionPeriodInDays: 91 } },
          c: { handler: 'c.handler', versions: { '1': { tenancy: 'PER_TENANT' } } },
        },
      }),
    });
    await assert.rejects(startLocalEndpoint({ dir: bad, port: 0 }), (error: Error) => {
      assert.ok(error instanceof LocalConfigError);
      const message = error.message;
      assert.match(message, /functions\.a\.description: The value "d{257}" is longer than 256 characters\. What the function is for/);
      assert.match(message, /functions\.a\.runtime: The value "python3\.12" is not one of "nodejs18\.x", "nodejs20\.x", "nodejs22\.x", "nodejs24\.x", "nodejs26\.x"\. The Lambda runtime the function reports/);
      assert.match(message, /functions\.b\.tenancy: The value "SHARED" is not one of "PER_TENANT"\. Tenant isolation/);
      assert.match(message, /functions\.b\.durable: "executionTimeout" is missing\. Makes this a durable function/);
      assert.match(message, /functions\.b\.durable\.retentionPeriodInDays: The value 91 is more than 90\./);
      assert.match(message, /functions\.c\.versions\.1: "tenancy" is not a known setting here \(known: handler, timeout, memory, environment, description, runtime\)/);
      return true;
    });
  });
});
