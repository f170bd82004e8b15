/**
 * Resolution (issue 3): profile, region, endpoint and credentials, each precedence step with
 * the next-higher source absent and the next-lower one present, against temporary config and
 * credentials files. The SDK reads `process.env` itself, so each case also runs with
 * `process.env` set to its environment (HOME and both file variables always point into the
 * case's temporary directory, never at the developer's ~/.aws), and restored afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_PLACEHOLDER_CREDENTIALS, listProfiles, listRegions, regionDescription, resolveTarget } from '../../src/engine/resolve';
import { InvokeError, type Overrides, type ResolvedTarget } from '../../src/engine/types';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKENdGhpcyBpcyBub3QgYSByZWFsIHRva2Vu';
const ENV_SECRET = 'envSecretAccessKeyEXAMPLE0123456789abcdef';
const PROCESS_SECRET = 'processSecretAccessKeyEXAMPLE0123456789ab';
const ALL_SECRETS = [SECRET, SESSION_TOKEN, ENV_SECRET, PROCESS_SECRET];
const FUNCTION = 'my-function';

// ---------------------------------------------------------------------------------------------
// Sandboxes: a temporary HOME with its own shared files and environment

const dirs: string[] = [];

interface Sandbox {
  dir: string;
  config: string;
  credentials: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh directory (fresh paths, so the SDK's per-path file cache never carries over). */
function sandbox(files: { config?: string; credentials?: string } = {}, vars: NodeJS.ProcessEnv = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-invoke-resolve-'));
  dirs.push(dir);
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  if (files.config !== undefined) writeFileSync(config, files.config);
  if (files.credentials !== undefined) writeFileSync(credentials, files.credentials);
  const env: NodeJS.ProcessEnv = {
    HOME: dir,
    USERPROFILE: dir,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    // Nothing in these tests may ask 169.254.169.254 for credentials.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...vars,
  };
  return { dir, config, credentials, env };
}

/** Runs `fn` with process.env holding no AWS_ variable but the sandbox's, then restores it. */
async function inEnv<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

interface Case {
  functionName?: string;
  file?: { region?: string; profile?: string; endpoint?: string };
  overrides?: Overrides;
}

function resolveIn(box: Sandbox, c: Case = {}): Promise<ResolvedTarget> {
  return inEnv(box.env, () =>
    resolveTarget({ request: { functionName: c.functionName ?? FUNCTION, ...c.file }, overrides: c.overrides ?? {}, env: box.env }),
  );
}

async function credentialsIn(box: Sandbox, c: Case = {}) {
  return inEnv(box.env, async () => {
    const target = await resolveTarget({
      request: { functionName: c.functionName ?? FUNCTION, region: 'us-east-1', ...c.file },
      overrides: c.overrides ?? {},
      env: box.env,
    });
    return target.credentials();
  });
}

/** The InvokeError a promise rejects with; fails the test when it resolves or throws anything else. */
async function failure(promise: Promise<unknown>): Promise<InvokeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InvokeError, `expected an InvokeError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

/** Neither the message, the hint nor anything else the error carries holds a secret. */
function assertNoSecrets(error: InvokeError): void {
  const text = `${error.message}\n${JSON.stringify(error.details)}\n${error.stack ?? ''}`;
  for (const secret of ALL_SECRETS) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
}

/** Keeps every connection to the instance metadata service from leaving the test. */
type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const originalConnect = Reflect.get(net.Socket.prototype, 'connect') as Connect;
let metadataAttempts = 0;
before(() => {
  const guarded: Connect = function (...args) {
    const target = JSON.stringify(args.filter((a) => typeof a !== 'function'));
    if (target.includes('169.254.169.254') || target.includes('fd00:ec2::254')) {
      metadataAttempts++;
      throw new Error('a test tried to reach the EC2 instance metadata service');
    }
    return originalConnect.apply(this, args);
  };
  Reflect.set(net.Socket.prototype, 'connect', guarded);
});
after(() => {
  Reflect.set(net.Socket.prototype, 'connect', originalConnect);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A config file where each listed profile has its own region, so the profile read is visible. */
function regionsConfig(profiles: Record<string, string>): string {
  return Object.entries(profiles)
    .map(([name, region]) => `[${name === 'default' ? 'default' : `profile ${name}`}]\nregion = ${region}\n`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------

describe('resolve: profile precedence', () => {
  const config = regionsConfig({ default: 'us-east-1', 'file-p': 'eu-west-1', 'flag-p': 'eu-west-2', 'env-p': 'eu-west-3' });

  test('"profile" in the file wins over the setting/flag', async () => {
    const t = await resolveIn(sandbox({ config }, { AWS_PROFILE: 'env-p' }), { file: { profile: 'file-p' }, overrides: { profile: 'flag-p' } });
    assert.equal(t.profile, 'file-p');
    assert.equal(t.profileSource, '"profile" in the file');
    assert.equal(t.region, 'eu-west-1');
    assert.equal(t.regionSource, 'profile "file-p"');
  });

  test('the setting/flag wins over AWS_PROFILE', async () => {
    const t = await resolveIn(sandbox({ config }, { AWS_PROFILE: 'env-p' }), { overrides: { profile: 'flag-p' } });
    assert.equal(t.profile, 'flag-p');
    assert.equal(t.profileSource, 'setting/flag');
    assert.equal(t.region, 'eu-west-2');
  });

  test('AWS_PROFILE wins over the default profile', async () => {
    const t = await resolveIn(sandbox({ config }, { AWS_PROFILE: 'env-p' }), { overrides: { profile: '' } });
    assert.equal(t.profile, 'env-p');
    assert.equal(t.profileSource, 'AWS_PROFILE');
    assert.equal(t.region, 'eu-west-3');
  });

  test('with nothing naming one, the profile is default', async () => {
    const t = await resolveIn(sandbox({ config }));
    assert.equal(t.profile, 'default');
    assert.equal(t.profileSource, 'default');
    assert.equal(t.region, 'us-east-1');
  });
});

describe('resolve: region precedence', () => {
  const arn = 'arn:aws:lambda:us-west-2:123456789012:function:my-function';

  test('"region" in the file wins over the ARN\'s region', async () => {
    const t = await resolveIn(sandbox(), { functionName: arn, file: { region: 'eu-west-1' }, overrides: { region: 'eu-west-3' } });
    assert.equal(t.region, 'eu-west-1');
    assert.equal(t.regionSource, '"region" in the file');
  });

  test('a full ARN\'s region wins over the setting/flag', async () => {
    const t = await resolveIn(sandbox(), { functionName: arn, overrides: { region: 'eu-west-3' } });
    assert.equal(t.region, 'us-west-2');
    assert.equal(t.regionSource, 'the function ARN');
  });

  test('a partial ARN\'s region counts too', async () => {
    const t = await resolveIn(sandbox(), { functionName: 'ap-south-1:123456789012:function:my-function', overrides: { region: 'eu-west-3' } });
    assert.equal(t.region, 'ap-south-1');
    assert.equal(t.regionSource, 'the function ARN');
  });

  test('the setting/flag wins over AWS_REGION', async () => {
    const t = await resolveIn(sandbox({}, { AWS_REGION: 'ca-central-1' }), { overrides: { region: 'eu-west-3' } });
    assert.equal(t.region, 'eu-west-3');
    assert.equal(t.regionSource, 'setting/flag');
  });

  test('AWS_REGION wins over AWS_DEFAULT_REGION', async () => {
    const t = await resolveIn(sandbox({}, { AWS_REGION: 'ca-central-1', AWS_DEFAULT_REGION: 'sa-east-1' }), { overrides: { region: '' } });
    assert.equal(t.region, 'ca-central-1');
    assert.equal(t.regionSource, 'AWS_REGION');
  });

  test('AWS_DEFAULT_REGION wins over the profile\'s region', async () => {
    const t = await resolveIn(sandbox({ config: regionsConfig({ default: 'us-east-1' }) }, { AWS_DEFAULT_REGION: 'sa-east-1' }));
    assert.equal(t.region, 'sa-east-1');
    assert.equal(t.regionSource, 'AWS_DEFAULT_REGION');
  });

  test('the region of the profile chosen (not of AWS_PROFILE\'s, not of default) comes last', async () => {
    const box = sandbox({ config: regionsConfig({ default: 'us-east-1', dev: 'eu-central-1', other: 'eu-north-1' }) }, { AWS_PROFILE: 'other' });
    const t = await resolveIn(box, { overrides: { profile: 'dev' } });
    assert.equal(t.region, 'eu-central-1');
    assert.equal(t.regionSource, 'profile "dev"');
  });

  test('a region in the credentials file\'s profile counts as the profile\'s', async () => {
    const t = await resolveIn(sandbox({ credentials: '[dev]\nregion = ap-northeast-1\n' }), { file: { profile: 'dev' } });
    assert.equal(t.region, 'ap-northeast-1');
  });

  test('no region anywhere: a configuration error naming every place looked and what to do', async () => {
    const box = sandbox({ config: '[profile dev]\noutput = json\n' });
    const error = await failure(resolveIn(box, { overrides: { profile: 'dev' } }));
    assert.equal(error.kind, 'configuration');
    for (const place of ['"region" in the file', 'function name', 'lambdaInvoke.region', '--region', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'profile "dev"', box.config]) {
      assert.ok(error.message.includes(place), `the message names ${place}: ${error.message}`);
    }
    assert.match(error.details.hint ?? '', /Add "region"/);
    assert.match(error.details.hint ?? '', /lambdaInvoke\.region/);
    assert.match(error.details.hint ?? '', /`aws configure set region us-east-1 --profile dev`/);
  });

  test('the files are read again on each resolution: an edit is seen without a restart', async () => {
    const box = sandbox({ config: regionsConfig({ default: 'us-east-1' }) });
    assert.equal((await resolveIn(box)).region, 'us-east-1');
    writeFileSync(box.config, regionsConfig({ default: 'eu-south-1' }));
    assert.equal((await resolveIn(box)).region, 'eu-south-1');
  });

  test('no region and a profile that does not exist: the message says so', async () => {
    const box = sandbox();
    const error = await failure(resolveIn(box, { file: { profile: 'ghost' } }));
    assert.equal(error.kind, 'configuration');
    assert.ok(error.message.includes(`profile "ghost" is in neither ${box.config} nor ${box.credentials}`), error.message);
  });

  test('a region that is not a region code is a configuration error naming where it came from', async () => {
    const error = await failure(resolveIn(sandbox({}, { AWS_REGION: 'us-east-1/../evil' })));
    assert.equal(error.kind, 'configuration');
    assert.match(error.message, /"us-east-1\/\.\.\/evil" \(from AWS_REGION\)/);
  });
});

describe('resolve: endpoint precedence', () => {
  const base = { AWS_REGION: 'us-east-1' };
  const servicesConfig = [
    '[default]',
    'services = local',
    'endpoint_url = http://profile.example:1111',
    '',
    '[services local]',
    'lambda =',
    '  endpoint_url = http://services.example:2222',
    '',
  ].join('\n');

  test('"endpoint" in the file wins over the setting/flag', async () => {
    const t = await resolveIn(sandbox({}, { ...base, AWS_ENDPOINT_URL_LAMBDA: 'http://env-lambda:3' }), {
      file: { endpoint: 'http://localhost:3001' },
      overrides: { endpoint: 'http://localhost:4566' },
    });
    assert.equal(t.endpoint.href, 'http://localhost:3001/');
    assert.equal(t.endpointSource, '"endpoint" in the file');
    assert.equal(t.isDefaultEndpoint, false);
  });

  test('the setting/flag wins over AWS_ENDPOINT_URL_LAMBDA', async () => {
    const t = await resolveIn(sandbox({}, { ...base, AWS_ENDPOINT_URL_LAMBDA: 'http://env-lambda:3' }), { overrides: { endpoint: 'http://localhost:4566' } });
    assert.equal(t.endpoint.href, 'http://localhost:4566/');
    assert.equal(t.endpointSource, 'setting/flag');
  });

  test('AWS_ENDPOINT_URL_LAMBDA wins over AWS_ENDPOINT_URL', async () => {
    const t = await resolveIn(sandbox({}, { ...base, AWS_ENDPOINT_URL_LAMBDA: 'http://env-lambda:3', AWS_ENDPOINT_URL: 'http://env-all:4' }), {
      overrides: { endpoint: '' },
    });
    assert.equal(t.endpoint.href, 'http://env-lambda:3/');
    assert.equal(t.endpointSource, 'AWS_ENDPOINT_URL_LAMBDA');
  });

  test('AWS_ENDPOINT_URL wins over the profile\'s services section', async () => {
    const t = await resolveIn(sandbox({ config: servicesConfig }, { ...base, AWS_ENDPOINT_URL: 'http://env-all:4' }));
    assert.equal(t.endpoint.href, 'http://env-all:4/');
    assert.equal(t.endpointSource, 'AWS_ENDPOINT_URL');
  });

  test('the services section\'s lambda endpoint_url wins over the profile\'s endpoint_url', async () => {
    const t = await resolveIn(sandbox({ config: servicesConfig }, base));
    assert.equal(t.endpoint.href, 'http://services.example:2222/');
    assert.equal(t.endpointSource, 'services "local" of profile "default"');
  });

  test('a services section without lambda falls to the profile\'s endpoint_url', async () => {
    const config = '[default]\nservices = other\nendpoint_url = http://profile.example:1111\n\n[services other]\ns3 =\n  endpoint_url = http://s3.example\n';
    const t = await resolveIn(sandbox({ config }, base));
    assert.equal(t.endpoint.href, 'http://profile.example:1111/');
    assert.equal(t.endpointSource, 'endpoint_url of profile "default"');
  });

  test('the profile\'s endpoint_url wins over the standard endpoint', async () => {
    const t = await resolveIn(sandbox({ config: '[default]\nendpoint_url = http://profile.example:1111\n' }, base));
    assert.equal(t.endpoint.href, 'http://profile.example:1111/');
    assert.equal(t.isDefaultEndpoint, false);
  });

  test('with nothing configured, the standard endpoint of the region', async () => {
    const t = await resolveIn(sandbox({}, { AWS_REGION: 'eu-west-1' }));
    assert.equal(t.endpoint.href, 'https://lambda.eu-west-1.amazonaws.com/');
    assert.equal(t.endpointSource, 'default');
    assert.equal(t.isDefaultEndpoint, true);
    assert.equal(t.partition, 'aws');
  });

  test('an endpoint written out that equals the standard one is the default endpoint', async () => {
    const t = await resolveIn(sandbox({}, base), { file: { endpoint: 'https://lambda.us-east-1.amazonaws.com' } });
    assert.equal(t.isDefaultEndpoint, true);
    assert.equal(t.endpointSource, '"endpoint" in the file');
  });

  test('the services section and endpoint_url read are the chosen profile\'s, not AWS_PROFILE\'s', async () => {
    const config = [
      '[profile other]',
      'endpoint_url = http://other.example:9',
      '[profile dev]',
      'services = dev-services',
      '[services dev-services]',
      'lambda =',
      '  endpoint_url = http://dev.example:8',
      '',
    ].join('\n');
    const t = await resolveIn(sandbox({ config }, { ...base, AWS_PROFILE: 'other' }), { file: { profile: 'dev' } });
    assert.equal(t.endpoint.href, 'http://dev.example:8/');
    assert.equal(t.endpointSource, 'services "dev-services" of profile "dev"');
  });

  test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns off the environment and config-file endpoints', async () => {
    const box = sandbox({ config: servicesConfig }, {
      ...base,
      AWS_ENDPOINT_URL_LAMBDA: 'http://env-lambda:3',
      AWS_ENDPOINT_URL: 'http://env-all:4',
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
    });
    const t = await resolveIn(box);
    assert.equal(t.endpoint.href, 'https://lambda.us-east-1.amazonaws.com/');
    assert.equal(t.isDefaultEndpoint, true);
  });

  test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS leaves the file\'s and the setting\'s endpoints alone', async () => {
    const box = sandbox({}, { ...base, AWS_ENDPOINT_URL: 'http://env-all:4', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' });
    assert.equal((await resolveIn(box, { overrides: { endpoint: 'http://localhost:4566' } })).endpoint.href, 'http://localhost:4566/');
    assert.equal((await resolveIn(box, { file: { endpoint: 'http://localhost:3001' } })).endpoint.href, 'http://localhost:3001/');
  });

  test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false keeps them', async () => {
    const t = await resolveIn(sandbox({}, { ...base, AWS_ENDPOINT_URL: 'http://env-all:4', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }));
    assert.equal(t.endpoint.href, 'http://env-all:4/');
  });

  test('ignore_configured_endpoint_urls = true in the profile does the same', async () => {
    const t = await resolveIn(sandbox({ config: `${servicesConfig}\n[default]\nignore_configured_endpoint_urls = true\n` }, { ...base, AWS_ENDPOINT_URL: 'http://env-all:4' }));
    assert.equal(t.isDefaultEndpoint, true);
  });

  test('a profile naming a services section that does not exist is a configuration error', async () => {
    const box = sandbox({ config: '[default]\nservices = missing\n' }, base);
    const error = await failure(resolveIn(box));
    assert.equal(error.kind, 'configuration');
    assert.ok(error.message.includes(`services section "missing", which is not in ${box.config}`), error.message);
    assert.match(error.details.hint ?? '', /\[services missing\]/);
  });

  test('an endpoint that is not an http(s) URL is a configuration error naming where it came from', async () => {
    const error = await failure(resolveIn(sandbox({}, base), { overrides: { endpoint: 'localhost:4566' } }));
    assert.equal(error.kind, 'configuration');
    assert.match(error.message, /"localhost:4566" \(from setting\/flag\) is not an http:\/\/ or https:\/\/ URL/);
  });
});

describe('resolve: partitions', () => {
  const cases = [
    { region: 'cn-north-1', partition: 'aws-cn', endpoint: 'https://lambda.cn-north-1.amazonaws.com.cn/' },
    { region: 'us-gov-west-1', partition: 'aws-us-gov', endpoint: 'https://lambda.us-gov-west-1.amazonaws.com/' },
    { region: 'eusc-de-east-1', partition: 'aws-eusc', endpoint: 'https://lambda.eusc-de-east-1.amazonaws.eu/' },
    { region: 'ap-southeast-2', partition: 'aws', endpoint: 'https://lambda.ap-southeast-2.amazonaws.com/' },
  ];
  for (const c of cases) {
    test(`${c.region} is in ${c.partition}, at ${c.endpoint}`, async () => {
      const t = await resolveIn(sandbox(), { file: { region: c.region } });
      assert.equal(t.partition, c.partition);
      assert.equal(t.endpoint.href, c.endpoint);
      assert.equal(t.isDefaultEndpoint, true);
    });
  }

  test('an aws-cn ARN gives its region and the China endpoint', async () => {
    const t = await resolveIn(sandbox(), { functionName: 'arn:aws-cn:lambda:cn-northwest-1:123456789012:function:f' });
    assert.equal(t.endpoint.href, 'https://lambda.cn-northwest-1.amazonaws.com.cn/');
    assert.equal(t.partition, 'aws-cn');
  });
});

describe('resolve: pickers', () => {
  test('listProfiles lists both files\' profiles once each, default first, and no sso-session or services sections', async () => {
    const box = sandbox({
      config: '[default]\nregion = us-east-1\n[profile zeta]\noutput = json\n[profile alpha]\nsso_session = corp\n[sso-session corp]\nsso_region = us-east-1\n[services local]\nlambda =\n  endpoint_url = http://x\n',
      credentials: '[alpha]\naws_access_key_id = AKIAEXAMPLE\n[beta]\naws_access_key_id = AKIAEXAMPLE\n',
    });
    assert.deepEqual(await inEnv(box.env, () => listProfiles(box.env)), ['default', 'alpha', 'beta', 'zeta']);
  });

  test('listProfiles with no files is empty', async () => {
    const box = sandbox();
    assert.deepEqual(await inEnv(box.env, () => listProfiles(box.env)), []);
  });

  test('listRegions has each partition\'s regions, once, all known to the SDK', () => {
    const regions = listRegions();
    for (const r of ['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'eusc-de-east-1']) assert.ok(regions.includes(r), r);
    assert.equal(new Set(regions).size, regions.length);
    for (const r of regions) assert.ok(regionDescription(r), `the SDK's partition data knows ${r}`);
    assert.equal(regionDescription('us-west-2'), 'US West (Oregon)');
  });
});

describe('resolve: credentials', () => {
  const staticProfile = `[dev]\naws_access_key_id = AKIADEVEXAMPLE\naws_secret_access_key = ${SECRET}\naws_session_token = ${SESSION_TOKEN}\n`;

  test('a named profile with static keys gives its access key id', async () => {
    const box = sandbox({ credentials: staticProfile }, { AWS_ACCESS_KEY_ID: 'AKIAENVEXAMPLE', AWS_SECRET_ACCESS_KEY: ENV_SECRET });
    const creds = await credentialsIn(box, { overrides: { profile: 'dev' } });
    assert.equal(creds.accessKeyId, 'AKIADEVEXAMPLE');
    assert.equal(creds.sessionToken, SESSION_TOKEN);
  });

  test('with no profile named, the environment\'s keys come first', async () => {
    const box = sandbox({ credentials: '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = x\n' }, {
      AWS_ACCESS_KEY_ID: 'AKIAENVEXAMPLE',
      AWS_SECRET_ACCESS_KEY: ENV_SECRET,
    });
    const creds = await credentialsIn(box);
    assert.equal(creds.accessKeyId, 'AKIAENVEXAMPLE');
  });

  test('with no profile named and nothing in the environment, the default profile\'s keys', async () => {
    const creds = await credentialsIn(sandbox({ credentials: `[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = ${SECRET}\n` }));
    assert.equal(creds.accessKeyId, 'AKIADEFAULT');
  });

  test('credential_process: the JSON the command prints', async () => {
    const box = sandbox();
    const script = join(box.dir, 'creds.js');
    writeFileSync(script, `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESS', SecretAccessKey: '${PROCESS_SECRET}' }));\n`);
    writeFileSync(box.config, `[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n`);
    const creds = await credentialsIn(box, { file: { profile: 'proc' } });
    assert.equal(creds.accessKeyId, 'AKIAPROCESS');
  });

  test('credential_process that fails: its error, what to do, and no secret even when it prints one', async () => {
    const box = sandbox({ credentials: staticProfile });
    const script = join(box.dir, 'fail.js');
    writeFileSync(script, `process.stderr.write('vault unreachable: token ${SECRET} refused\\n'); process.exit(3);\n`);
    writeFileSync(box.config, `[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n`);
    const error = await failure(credentialsIn(box, { file: { profile: 'proc' } }));
    assert.equal(error.kind, 'credentials');
    assert.match(error.message, /credential_process of profile "proc" failed/);
    assert.match(error.message, /vault unreachable/);
    assert.match(error.message, /\[redacted\]/);
    assert.match(error.details.hint ?? '', /Run the command in a terminal/);
    assertNoSecrets(error);
  });

  test('a named profile whose credential_process fails is not followed by instance metadata, even when that is enabled', async () => {
    const box = sandbox({}, { AWS_EC2_METADATA_DISABLED: undefined });
    const script = join(box.dir, 'fail.js');
    writeFileSync(script, "process.stderr.write('no session'); process.exit(1);\n");
    writeFileSync(box.config, `[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n`);
    const before = metadataAttempts;
    const error = await failure(credentialsIn(box, { overrides: { profile: 'proc' } }));
    assert.match(error.message, /credential_process of profile "proc" failed: .*no session/);
    assert.equal(metadataAttempts, before);
  });

  test('a profile that does not exist: named, with the files looked in and the profiles there', async () => {
    const box = sandbox({ config: '[profile staging]\nregion = us-east-1\n', credentials: staticProfile });
    const error = await failure(credentialsIn(box, { overrides: { profile: 'prod' } }));
    assert.equal(error.kind, 'credentials');
    assert.ok(error.message.includes('Profile "prod" (from setting/flag)'), error.message);
    assert.ok(error.message.includes(box.config) && error.message.includes(box.credentials), error.message);
    assert.match(error.message, /Profiles there: dev, staging\./);
    assert.match(error.details.hint ?? '', /`aws configure --profile prod`/);
    assertNoSecrets(error);
  });

  test('a profile without credentials says which keys it lacks', async () => {
    const box = sandbox({ config: '[profile bare]\nregion = us-east-1\n' });
    const error = await failure(credentialsIn(box, { file: { profile: 'bare' } }));
    assert.equal(error.kind, 'credentials');
    assert.match(error.message, /Profile "bare" holds no credentials/);
    assert.match(error.details.hint ?? '', /`aws configure --profile bare`/);
  });

  test('no credentials anywhere: every place looked and what to run or set', async () => {
    const box = sandbox();
    const error = await failure(credentialsIn(box));
    assert.equal(error.kind, 'credentials');
    for (const place of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'profile "default"', box.config, box.credentials, 'AWS_WEB_IDENTITY_TOKEN_FILE', 'container', 'instance metadata']) {
      assert.ok(error.message.includes(place), `the message names ${place}: ${error.message}`);
    }
    const hint = error.details.hint ?? '';
    assert.match(hint, /`aws configure --profile default`/);
    assert.match(hint, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    assert.match(hint, /`aws sso login/);
  });

  test('no credentials and an endpoint on this machine: placeholder credentials, so a local endpoint works without an AWS account', async () => {
    const box = sandbox();
    for (const endpoint of ['http://127.0.0.1:3001', 'http://localhost:3001', 'http://[::1]:3001']) {
      const credentials = await credentialsIn(box, { file: { endpoint } });
      assert.equal(credentials.accessKeyId, LOCAL_PLACEHOLDER_CREDENTIALS.accessKeyId, endpoint);
    }
    // Anywhere else, the missing credentials are an error: nothing is signed with a placeholder.
    for (const endpoint of ['http://192.0.2.10:3001', 'https://lambda.example.com', 'http://127.0.0.1.example.com']) {
      const error = await failure(credentialsIn(box, { file: { endpoint } }));
      assert.equal(error.kind, 'credentials', endpoint);
    }
  });

  test('an expired SSO token: aws sso login --profile for that profile, and no token in the message', async () => {
    const box = sandbox({
      config: [
        '[profile sso-dev]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = Developer',
        'region = us-east-1',
        '',
        '[sso-session corp]',
        'sso_start_url = https://example.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
      ].join('\n'),
    });
    const cache = join(box.dir, '.aws', 'sso', 'cache');
    mkdirSync(cache, { recursive: true });
    const tokenFile = join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`);
    // No refresh token or client registration: the SDK cannot refresh, so it asks for nothing on the network.
    writeFileSync(tokenFile, JSON.stringify({ accessToken: SESSION_TOKEN, expiresAt: '2020-01-01T00:00:00Z', region: 'us-east-1', startUrl: 'https://example.awsapps.com/start' }));
    const error = await failure(credentialsIn(box, { file: { profile: 'sso-dev' } }));
    assert.equal(error.kind, 'credentials');
    assert.match(error.message, /IAM Identity Center \(SSO\) sign-in of profile "sso-dev" has expired/);
    assert.equal(error.details.hint, 'Run `aws sso login --profile sso-dev`, then invoke again.');
    assertNoSecrets(error);
  });

  test('an expired session token in the environment is refused, without the token in the message', async () => {
    const box = sandbox({}, {
      AWS_ACCESS_KEY_ID: 'AKIAENVEXAMPLE',
      AWS_SECRET_ACCESS_KEY: ENV_SECRET,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z',
    });
    const error = await failure(credentialsIn(box));
    assert.equal(error.kind, 'credentials');
    assert.match(error.message, /credentials in the environment \(AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN\) expired at 2020-01-01T00:00:00\.000Z/);
    assert.match(error.details.hint ?? '', /Refresh your credentials/);
    assertNoSecrets(error);
  });
});
