/**
 * The local endpoint's child process as the Start/Stop Local Endpoint commands run it
 * (src/client/localEndpoint/localEndpointProcess.ts), against a stand-in for `dist/cli.js serve` that listens,
 * talks, fails or hangs as each test needs: the arguments it gets, when it counts as listening,
 * what a failed start says, and that Stop ends it even when it ignores SIGINT.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LocalEndpointProcess,
  LocalEndpointStartError,
  describeExit,
  isValidPort,
  listeningUrl,
  portInUse,
  serveArguments,
} from '../../src/client/localEndpoint/localEndpointProcess';
import { freePort } from './holdingServer';

/**
 * The stand-in CLI. FAKE_MODE: `line` listens and says so as the real one does; `silent`
 * listens without a word; `fail` exits 3 with a message; `stubborn` listens, says so and
 * ignores SIGINT. It first prints what it was started with.
 */
const FAKE_CLI = `
const net = require('node:net');
const [, , command, portFlag, port, folder] = process.argv;
console.log('ARGS ' + JSON.stringify({ command, portFlag, port, folder, electronRunAsNode: process.env.ELECTRON_RUN_AS_NODE, cwd: process.cwd() }));
const mode = process.env.FAKE_MODE;
if (mode === 'fail') {
  console.error('lambda-invoke serve: no lambda-invoke.local.json in ' + folder);
  process.exit(3);
}
const server = net.createServer((socket) => socket.end());
server.listen(Number(port), '127.0.0.1', () => {
  if (mode !== 'silent') console.error('Local Lambda endpoint listening on http://127.0.0.1:' + port + '/, serving hello from ' + folder + '.');
});
process.on('SIGINT', () => {
  if (mode === 'stubborn') return;
  console.error('Local Lambda endpoint stopped.');
  server.close(() => process.exit(0));
});
`;

let dir: string;
let cliPath: string;

before(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'local-endpoint-process-')));
  cliPath = path.join(dir, 'cli.js');
  fs.writeFileSync(cliPath, FAKE_CLI);
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});


interface Started {
  endpoint: LocalEndpointProcess;
  port: number;
  output: () => string;
  exits: string[];
  /** Resolves when the output holds `text` (output arrives asynchronously). */
  outputContains: (text: string) => Promise<void>;
  /** Resolves at the first unexpected exit reported by onExit. */
  exited: Promise<void>;
}

async function start(mode: string, port?: number): Promise<Started> {
  const chosen = port ?? (await freePort());
  let text = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const exits: string[] = [];
  let exitedResolve!: () => void;
  const exited = new Promise<void>((resolve) => (exitedResolve = resolve));
  const endpoint = await LocalEndpointProcess.start({
    nodePath: process.execPath,
    cliPath,
    folder: dir,
    port: chosen,
    env: { ...process.env, FAKE_MODE: mode },
    onOutput: (chunk) => {
      text += chunk;
      for (const waiter of waiters.filter((w) => text.includes(w.text))) waiter.resolve();
    },
    onExit: (how) => {
      exits.push(how);
      exitedResolve();
    },
    timeoutMs: 10_000,
  });
  const outputContains = (expected: string) =>
    text.includes(expected) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text: expected, resolve }));
  return { endpoint, port: chosen, output: () => text, exits, outputContains, exited };
}

describe('the command line it runs', () => {
  test('node dist/cli.js serve --port N FOLDER', () => {
    assert.deepEqual(serveArguments('/ext/dist/cli.js', '/ws', 3001), ['/ext/dist/cli.js', 'serve', '--port', '3001', '/ws']);
  });

  test('the CLI gets those arguments, runs in the folder, and with ELECTRON_RUN_AS_NODE (Electron then runs as Node)', async () => {
    const started = await start('line');
    try {
      await started.outputContains('ARGS ');
      const line = started.output().split('\n').find((l) => l.startsWith('ARGS '))!;
      assert.deepEqual(JSON.parse(line.slice(5)), { command: 'serve', portFlag: '--port', port: String(started.port), folder: dir, electronRunAsNode: '1', cwd: dir });
    } finally {
      await started.endpoint.stop();
    }
  });
});

describe('when it counts as listening', () => {
  test('the "listening on" line gives the URL', () => {
    assert.equal(listeningUrl('Local Lambda endpoint listening on http://127.0.0.1:3001/ for /ws')?.href, 'http://127.0.0.1:3001/');
    assert.equal(listeningUrl('Local Lambda endpoint listening on http://127.0.0.1:3001/, serving hello, fail from /ws.')?.href, 'http://127.0.0.1:3001/');
    assert.equal(listeningUrl('listening on http://127.0.0.1:3001.')?.href, 'http://127.0.0.1:3001/');
    assert.equal(listeningUrl('START RequestId: 1 Version: $LATEST'), undefined);
    assert.equal(listeningUrl('listening on nothing'), undefined);
  });

  test('it resolves with the URL of its line, the port open', async () => {
    const started = await start('line');
    try {
      assert.equal(started.endpoint.url.href, `http://127.0.0.1:${started.port}/`);
      assert.equal(started.endpoint.running, true);
      assert.equal(await portInUse('127.0.0.1', started.port), true);
      await started.outputContains('listening on');
    } finally {
      await started.endpoint.stop();
    }
  });

  test('without the line, the port answering is enough', async () => {
    const started = await start('silent');
    try {
      assert.equal(started.endpoint.url.href, `http://127.0.0.1:${started.port}/`);
      assert.doesNotMatch(started.output(), /listening/);
    } finally {
      await started.endpoint.stop();
    }
  });
});

describe('a start that fails says why', () => {
  test('the CLI exits first: its exit code and its last output', async () => {
    await assert.rejects(start('fail'), (error: unknown) => {
      assert.ok(error instanceof LocalEndpointStartError);
      assert.match(error.message, /stopped before it was listening \(exit code 3\)/);
      assert.match(error.message, /no lambda-invoke\.local\.json in /);
      return true;
    });
  });

  test('the port is taken: nothing is started, and the message names the setting', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await assert.rejects(start('line', port), (error: unknown) => {
        assert.ok(error instanceof LocalEndpointStartError);
        assert.match(error.message, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
        assert.match(error.message, /lambdaInvoke\.localEndpoint\.port/);
        return true;
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('a Node that does not exist', async () => {
    const port = await freePort();
    await assert.rejects(
      LocalEndpointProcess.start({ nodePath: path.join(dir, 'no-such-node'), cliPath, folder: dir, port, onOutput: () => undefined, timeoutMs: 5000 }),
      (error: unknown) => error instanceof LocalEndpointStartError && /could not be started|stopped before/.test(error.message),
    );
  });
});

describe('stopping', () => {
  test('stop() sends SIGINT: the CLI closes the endpoint and exits; the port is free again', async () => {
    const started = await start('line');
    await started.endpoint.stop();
    assert.equal(started.endpoint.running, false);
    assert.equal(await portInUse('127.0.0.1', started.port), false);
    await started.outputContains('Local Lambda endpoint stopped.');
    assert.deepEqual(started.exits, [], 'a stop that was asked for is not reported as an unexpected exit');
  });

  test('an endpoint that ignores SIGINT is killed after the grace period', async () => {
    const started = await start('stubborn');
    await started.endpoint.stop(300);
    assert.equal(started.endpoint.running, false);
    assert.equal(await portInUse('127.0.0.1', started.port), false);
  });

  test('stopped from outside: onExit says how', async () => {
    const started = await start('line');
    process.kill(started.endpoint.pid!, 'SIGTERM');
    await started.exited;
    assert.deepEqual(started.exits, ['signal SIGTERM']);
    assert.equal(started.endpoint.running, false);
    await started.endpoint.stop();
  });
});

describe('small helpers', () => {
  test('describeExit', () => {
    assert.equal(describeExit(1, null), 'exit code 1');
    assert.equal(describeExit(null, 'SIGKILL'), 'signal SIGKILL');
  });

  test('isValidPort: whole numbers from 1 to 65535', () => {
    for (const ok of [1, 3001, 65535]) assert.equal(isValidPort(ok), true, String(ok));
    for (const bad of [0, -1, 65536, 3001.5, '3001', undefined, null]) assert.equal(isValidPort(bad), false, String(bad));
  });
});
