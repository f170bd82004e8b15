/**
 * Hostile workspaces (issue 6): a remote `endpoint` written in the file is refused unless the
 * user or the command line allows it, before anything is signed or sent; `payloadFile` cannot
 * leave the workspace; and the editor's vscode-free guard (remembered origins, texts).
 * No traffic ever goes to a non-loopback address: connects are intercepted and fail at once.
 */
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../../src/cli/main';
import { runCli } from '../support/cliRun';
import { FILE_ENDPOINT_SOURCE } from '../../src/engine/resolve';
import { needsEndpointConfirmation, runInvocation } from '../../src/engine/run';
import { InvokeError } from '../../src/engine/types';
import {
  ALLOWED_ORIGINS_KEY,
  AllowedOrigins,
  type OriginMemento,
  SEND,
  SEND_ALWAYS,
  decideEndpoint,
  endpointConfirmationMessage,
  untrustedMessage,
} from '../../src/client/invoke/endpointTrust';
import { isolatedAwsEnv } from './engineFixtures';
import { RecordingEndpoint, TEST_CREDENTIALS } from './recordingEndpoint';

const REMOTE = 'http://192.0.2.1:3001';
const REMOTE_ORIGIN = new URL(REMOTE).origin;

const endpoint = new RecordingEndpoint();
let local: URL;
let dir: string;
let workspace: string;

/** Every Socket#connect while a test runs; connects to anything but loopback fail at once, unsent. */
let connects: string[] = [];
const realConnect = Object.getOwnPropertyDescriptor(net.Socket.prototype, 'connect')!;
const connectFor = realConnect.value as (this: net.Socket, ...args: unknown[]) => net.Socket;

function interceptConnects(): void {
  connects = [];
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const host = typeof first === 'object' && first !== null ? String((first as { host?: string }).host ?? 'localhost') : typeof args[1] === 'string' ? args[1] : 'localhost';
    connects.push(host);
    if (host === '127.0.0.1' || host === 'localhost') return connectFor.apply(this, args);
    process.nextTick(() => this.destroy(Object.assign(new Error(`connect ECONNREFUSED ${host} (blocked by the test)`), { code: 'ECONNREFUSED' })));
    return this;
  };
}

const env = (): NodeJS.ProcessEnv => isolatedAwsEnv(dir, TEST_CREDENTIALS, 'us-west-2');

function write(relative: string, content: unknown): string {
  const file = path.join(workspace, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, { cwd: workspace, env: env() });
}

before(async () => {
  local = await endpoint.start();
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-hostile-')));
  workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
});
after(async () => {
  await endpoint.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  endpoint.requests.length = 0;
  interceptConnects();
});
afterEach(() => {
  Object.defineProperty(net.Socket.prototype, 'connect', realConnect);
});

describe('needsEndpointConfirmation', () => {
  const target = (endpoint: string, endpointSource: string) => ({ endpoint: new URL(endpoint), endpointSource });

  test('a non-loopback endpoint written in the file needs it', () => {
    assert.equal(FILE_ENDPOINT_SOURCE, '"endpoint" in the file');
    assert.equal(needsEndpointConfirmation(target(REMOTE, FILE_ENDPOINT_SOURCE)), true);
    assert.equal(needsEndpointConfirmation(target('https://lambda.attacker.example', FILE_ENDPOINT_SOURCE)), true);
  });

  test('loopback file endpoints never ask', () => {
    for (const url of ['http://127.0.0.1:3001', 'http://localhost:3001', 'http://[::1]:3001', 'http://127.5.6.7', 'http://api.localhost']) {
      assert.equal(needsEndpointConfirmation(target(url, FILE_ENDPOINT_SOURCE)), false, url);
    }
  });

  test('endpoints from settings, flags, the environment, profiles or the default never ask', () => {
    for (const source of ['setting/flag', 'AWS_ENDPOINT_URL_LAMBDA', 'AWS_ENDPOINT_URL', 'endpoint_url of profile "dev"', 'default']) {
      assert.equal(needsEndpointConfirmation(target(REMOTE, source)), false, source);
    }
  });
});

describe('runInvocation with an endpoint in the file', () => {
  test('a remote one without confirmEndpoint is refused before any connection', async () => {
    const filePath = write('remote.invoke.json', { functionName: 'hello', endpoint: REMOTE, payload: { secret: 'do-not-send' } });
    await assert.rejects(
      runInvocation({ filePath, workspaceRoots: [workspace], env: env() }),
      (e: unknown) => {
        assert.ok(e instanceof InvokeError);
        assert.equal(e.kind, 'configuration');
        assert.match(e.message, /asks to send the signed request and payload to http:\/\/192\.0\.2\.1:3001/);
        assert.match(e.message, /Nothing was sent/);
        assert.match(e.details.hint ?? '', /--allow-endpoint http:\/\/192\.0\.2\.1:3001/);
        assert.match(e.details.hint ?? '', /--allow-file-endpoints/);
        return true;
      },
    );
    assert.deepEqual(connects, []);
  });

  test('a remote one the user declines is refused; the question names the endpoint and where it came from', async () => {
    const filePath = write('remote.invoke.json', { functionName: 'hello', endpoint: REMOTE });
    const asked: [string, string][] = [];
    await assert.rejects(
      runInvocation({ filePath, workspaceRoots: [workspace], env: env(), confirmEndpoint: (url, source) => (asked.push([url.href, source]), Promise.resolve(false)) }),
      /Not sent: .* asks to send the signed request and payload to http:\/\/192\.0\.2\.1:3001/,
    );
    assert.deepEqual(asked, [['http://192.0.2.1:3001/', FILE_ENDPOINT_SOURCE]]);
    assert.deepEqual(connects, []);
  });

  test('a loopback one is sent without asking', async () => {
    const filePath = write('local.invoke.json', { functionName: 'hello', endpoint: local.href });
    let asked = 0;
    const outcome = await runInvocation({ filePath, workspaceRoots: [workspace], env: env(), confirmEndpoint: () => (asked++, Promise.resolve(false)) });
    assert.equal(outcome.result.statusCode, 200);
    assert.equal(asked, 0);
    assert.equal(endpoint.requests.length, 1);
  });

  test('an endpoint from settings is never asked about', async () => {
    const filePath = write('plain.invoke.json', { functionName: 'hello' });
    let asked = 0;
    const outcome = await runInvocation({
      filePath,
      workspaceRoots: [workspace],
      env: env(),
      overrides: { endpoint: local.href },
      confirmEndpoint: () => (asked++, Promise.resolve(false)),
    });
    assert.equal(outcome.result.statusCode, 200);
    assert.equal(asked, 0);
  });
});

describe('lambda-invoke run and a remote endpoint in the file', () => {
  test('refused without a flag: exit 3, the way to allow it, no connection', async () => {
    write('remote.invoke.json', { functionName: 'hello', endpoint: REMOTE });
    const run = await cli('run', 'remote.invoke.json');
    assert.equal(run.code, ExitCode.invalid, run.stderr);
    assert.match(run.stderr, /asks to send the signed request and payload to http:\/\/192\.0\.2\.1:3001/);
    assert.match(run.stderr, /--allow-endpoint http:\/\/192\.0\.2\.1:3001/);
    assert.equal(run.stdout, '');
    assert.deepEqual(connects, []);
  });

  test('--allow-endpoint for another origin still refuses', async () => {
    write('remote.invoke.json', { functionName: 'hello', endpoint: REMOTE });
    const run = await cli('run', 'remote.invoke.json', '--allow-endpoint', 'http://192.0.2.1:9999', '--allow-endpoint', 'https://192.0.2.1:3001');
    assert.equal(run.code, ExitCode.invalid, run.stderr);
    assert.deepEqual(connects, []);
  });

  test('--allow-endpoint must be an http(s) origin', async () => {
    write('remote.invoke.json', { functionName: 'hello', endpoint: REMOTE });
    const run = await cli('run', 'remote.invoke.json', '--allow-endpoint', 'not a url');
    assert.equal(run.code, ExitCode.invalid);
    assert.match(run.stderr, /--allow-endpoint takes an http\(s\) origin/);
    assert.deepEqual(connects, []);
  });

  for (const flags of [['--allow-endpoint', 'http://192.0.2.1:3001/some/path'], ['--allow-file-endpoints']]) {
    test(`allowed with ${flags[0]}: it goes on to connect (the test's interceptor refuses the connect; nothing leaves)`, async () => {
      write('remote.invoke.json', { functionName: 'hello', endpoint: REMOTE });
      const run = await cli('run', 'remote.invoke.json', ...flags);
      assert.ok(connects.length > 0 && connects.every((host) => host === '192.0.2.1'), `connects: ${connects.join(', ')}`);
      assert.equal(run.code, ExitCode.failure, run.stderr);
      assert.doesNotMatch(run.stderr, /asks to send the signed request/);
    });
  }
});

describe('payloadFile cannot leave the workspace', () => {
  const secret = () => {
    const file = path.join(dir, '.aws', 'credentials');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '[default]\naws_secret_access_key = SHOULD-NEVER-BE-SENT\n');
    return file;
  };
  const cases: [string, () => string][] = [
    ['a ../.. path', () => (secret(), '../../.aws/credentials')],
    ['an absolute path', () => secret()],
    [
      'a symlink pointing out',
      () => {
        const link = path.join(workspace, 'nested', 'payload.json');
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.rmSync(link, { force: true });
        fs.symlinkSync(secret(), link);
        return 'payload.json';
      },
    ],
  ];
  for (const [label, payloadFile] of cases) {
    test(`${label} is refused with payload-file-outside-workspace and nothing is sent`, async () => {
      write('nested/out.invoke.json', { functionName: 'hello', endpoint: local.href, payloadFile: payloadFile() });
      const run = await cli('run', 'nested/out.invoke.json', '--workspace', '.');
      assert.equal(run.code, ExitCode.invalid, run.stderr);
      assert.match(run.stderr, /payload-file-outside-workspace/);
      assert.doesNotMatch(run.stderr + run.stdout, /SHOULD-NEVER-BE-SENT/);
      assert.equal(endpoint.requests.length, 0);
    });
  }
});

describe('the editor guard (src/client/invoke/endpointTrust)', () => {
  class FakeMemento implements OriginMemento {
    readonly values = new Map<string, unknown>();
    get<T>(key: string): T | undefined {
      return this.values.get(key) as T | undefined;
    }
    update(key: string, value: unknown): Promise<void> {
      this.values.set(key, value);
      return Promise.resolve();
    }
  }

  test('Send allows once; nothing is remembered', async () => {
    const allowed = new AllowedOrigins(new FakeMemento());
    let asked = 0;
    assert.equal(await decideEndpoint(REMOTE_ORIGIN, allowed, () => (asked++, Promise.resolve(SEND))), true);
    assert.equal(await decideEndpoint(REMOTE_ORIGIN, allowed, () => (asked++, Promise.resolve(SEND))), true);
    assert.equal(asked, 2);
    assert.deepEqual(allowed.list(), []);
  });

  test("Send and don't ask again remembers the origin for this workspace, and only that origin", async () => {
    const state = new FakeMemento();
    const allowed = new AllowedOrigins(state);
    let asked = 0;
    assert.equal(await decideEndpoint(REMOTE_ORIGIN, allowed, () => (asked++, Promise.resolve(SEND_ALWAYS))), true);
    assert.equal(await decideEndpoint(REMOTE_ORIGIN, new AllowedOrigins(state), () => (asked++, Promise.resolve(undefined))), true);
    assert.equal(asked, 1);
    assert.deepEqual(state.get(ALLOWED_ORIGINS_KEY), [REMOTE_ORIGIN]);
    assert.equal(await decideEndpoint('https://other.example', allowed, () => (asked++, Promise.resolve(undefined))), false);
    assert.equal(asked, 2);
  });

  test('dismissing the question refuses', async () => {
    assert.equal(await decideEndpoint(REMOTE_ORIGIN, new AllowedOrigins(new FakeMemento()), () => Promise.resolve(undefined)), false);
  });

  test('a corrupt stored value counts as nothing allowed', () => {
    const state = new FakeMemento();
    state.values.set(ALLOWED_ORIGINS_KEY, 'https://x.example');
    assert.deepEqual(new AllowedOrigins(state).list(), []);
  });

  test('the texts say what, where and why', () => {
    assert.equal(
      endpointConfirmationMessage('hello.invoke.json', REMOTE_ORIGIN),
      'hello.invoke.json asks to send your signed request and payload to http://192.0.2.1:3001, which is not this machine. Send?',
    );
    assert.match(untrustedMessage('Invoke'), /Invoke is disabled because this workspace is not trusted/);
    assert.match(untrustedMessage('Invoke'), /still works/);
  });
});
