/**
 * The local endpoint's child process as the Start/Stop Local Endpoint commands run it
 * (src/client/localEndpoint/localEndpointProcess.ts), against a stand-in for `dist/cli.js serve` that listens,
 * talks, fails or hangs as each test needs: the arguments it gets, when it counts as listening
 * (its ready line, src/protocol/localEndpointReady.ts, and nothing else), what a failed start
 * says, and that Stop ends it even when it ignores SIGINT.
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
  portInUse,
  serveArguments,
} from '../../src/client/localEndpoint/localEndpointProcess';
import { parseReadyLine, readyLine } from '../../src/protocol/localEndpointReady';
import { freePort } from './holdingServer';

/**
 * The stand-in CLI. FAKE_MODE: `ready` listens, then prints the human line on stderr and the
 * ready line on stdout, as the real one does; `pieces` does the same with the ready line
 * written in two parts; `human` listens and prints only the human line (on both streams), then
 * exits 0; `fail` exits 3 with a message; `stubborn` is `ready` and ignores SIGINT. It first
 * prints what it was started with.
 */
const FAKE_CLI = `
const net = require('node:net');
const [, , command, portFlag, port, readyFlag, folder] = process.argv;
console.log('ARGS ' + JSON.stringify({ command, portFlag, port, readyFlag, folder, electronRunAsNode: process.env.ELECTRON_RUN_AS_NODE, cwd: process.cwd() }));
const mode = process.env.FAKE_MODE;
if (mode === 'fail') {
  console.error('lambda-invoke serve: no lambda-invoke.local.json in ' + folder);
  process.exit(3);
}
const url = 'http://127.0.0.1:' + port + '/';
const human = 'Local Lambda endpoint listening on ' + url + ', serving hello from ' + folder + '.';
const ready = JSON.stringify({ event: 'ready', url, port: Number(port), functions: ['hello'] }) + '\\n';
const server = net.createServer((socket) => socket.end());
server.listen(Number(port), '127.0.0.1', () => {
  console.error(human);
  if (mode === 'human') {
    process.stdout.write(human + '\\n', () => server.close(() => process.exit(0)));
  } else if (mode === 'pieces') {
    process.stdout.write(ready.slice(0, 20), () => process.stdout.write(ready.slice(20)));
  } else {
    process.stdout.write(ready);
  }
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
  test('node dist/cli.js serve --port N --ready-json FOLDER', () => {
    assert.deepEqual(serveArguments('/ext/dist/cli.js', '/ws', 3001), ['/ext/dist/cli.js', 'serve', '--port', '3001', '--ready-json', '/ws']);
  });

  test('the CLI gets those arguments, runs in the folder, and with ELECTRON_RUN_AS_NODE (Electron then runs as Node)', async () => {
    const started = await start('ready');
    try {
      await started.outputContains('ARGS ');
      const line = started.output().split('\n').find((l) => l.startsWith('ARGS '))!;
      assert.deepEqual(JSON.parse(line.slice(5)), {
        command: 'serve',
        portFlag: '--port',
        port: String(started.port),
        readyFlag: '--ready-json',
        folder: dir,
        electronRunAsNode: '1',
        cwd: dir,
      });
    } finally {
      await started.endpoint.stop();
    }
  });
});

describe('the ready line', () => {
  test('what the CLI prints is read back whole', () => {
    const line = readyLine(new URL('http://127.0.0.1:3001/'), ['hello', 'fail']);
    assert.equal(line, '{"event":"ready","url":"http://127.0.0.1:3001/","port":3001,"functions":["hello","fail"]}');
    assert.deepEqual(parseReadyLine(line), { event: 'ready', url: 'http://127.0.0.1:3001/', port: 3001, functions: ['hello', 'fail'] });
    assert.equal(parseReadyLine(`  ${line}\r`)?.url, 'http://127.0.0.1:3001/', 'a line break of another system and spaces around it');
    assert.equal(parseReadyLine(readyLine(new URL('http://[::1]:4000'), []))?.url, 'http://[::1]:4000/', 'an IPv6 address, no functions');
  });

  test('the human "listening on" line is not a ready line, nor is any other output', () => {
    for (const line of [
      'Local Lambda endpoint listening on http://127.0.0.1:3001/, serving hello, fail from /ws.',
      'START RequestId: 1 Version: $LATEST',
      'ARGS {"command":"serve"}',
      '',
    ]) {
      assert.equal(parseReadyLine(line), undefined, line);
    }
  });

  test('a line that says "ready" but breaks the shape is not one', () => {
    const good = { event: 'ready', url: 'http://127.0.0.1:3001/', port: 3001, functions: ['hello'] };
    for (const [why, value] of [
      ['another event', { ...good, event: 'stopped' }],
      ['no url', { ...good, url: undefined }],
      ['a url that is not one', { ...good, url: 'not a url' }],
      ['not http', { ...good, url: 'ftp://127.0.0.1:3001/' }],
      ['a port the url does not name', { ...good, port: 3002 }],
      ['a port as text', { ...good, port: '3001' }],
      ['functions not a list', { ...good, functions: 'hello' }],
      ['a function name that is not text', { ...good, functions: ['hello', 7] }],
      ['a list, not an object', [good]],
    ] as const) {
      assert.equal(parseReadyLine(JSON.stringify(value)), undefined, why);
    }
    assert.equal(parseReadyLine(JSON.stringify(good).slice(0, -1)), undefined, 'a cut-off line');
  });
});

describe('when it counts as listening', () => {
  test('it resolves with the URL of its ready line, the port open; the human line is shown, the ready line is not', async () => {
    const started = await start('ready');
    try {
      assert.equal(started.endpoint.url.href, `http://127.0.0.1:${started.port}/`);
      assert.equal(started.endpoint.running, true);
      assert.equal(await portInUse('127.0.0.1', started.port), true);
      await started.outputContains('listening on');
      assert.doesNotMatch(started.output(), /"event":"ready"/);
    } finally {
      await started.endpoint.stop();
    }
  });

  test('a ready line that arrives in pieces still counts', async () => {
    const started = await start('pieces');
    try {
      assert.equal(started.endpoint.url.href, `http://127.0.0.1:${started.port}/`);
    } finally {
      await started.endpoint.stop();
    }
  });

  test('the human "listening on" line alone, with the port open, does not count: the start fails when the endpoint exits', async () => {
    await assert.rejects(start('human'), (error: unknown) => {
      assert.ok(error instanceof LocalEndpointStartError);
      assert.match(error.message, /stopped before it was listening \(exit code 0\)/);
      assert.match(error.message, /Local Lambda endpoint listening on http:\/\/127\.0\.0\.1:\d+\//);
      return true;
    });
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
      await assert.rejects(start('ready', port), (error: unknown) => {
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
    const started = await start('ready');
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
    const started = await start('ready');
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
