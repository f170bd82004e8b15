/**
 * Local endpoint benchmark: how long a warm invocation of the built-in local endpoint takes,
 * as the editor and the CLI feel it, each figure against a peer measured in the same run.
 *
 * Over HTTP: `node dist/cli.js serve --port 0 --ready-json DIR` (what Start Local Endpoint runs)
 * with a handler that returns its event, in its warm worker. One client sends the same signed
 * Invoke request (`{"i":N}`) over one keep-alive connection per server, timed from sending the
 * request to reading the whole answer, to ours and to two floors, each a process of its own:
 *
 * - floor: a bare Node http server that answers the same request with the same headers and
 *   the body echoed, at once: the HTTP round trip alone, the least any endpoint costs;
 * - floor with a worker: the same server handing the event to a forked Node process over IPC
 *   and answering with what comes back: the one process hop any endpoint pays that runs each
 *   handler outside its own process (ours does, so a crash or a hang never takes it down).
 *
 * The AWS CLI is not a peer here: it starts a Python process per call (~800 ms, see the invoke
 * section's `aws --version` floor), which would drown a warm invocation of a few milliseconds.
 *
 * Through the engine: `runInvocation` of dist/engine.js (the production bundle the editor loads),
 * as the editor and the CLI call it for an `.invoke.json` file — check the file, resolve the
 * target and credentials, sign, send, read — against `@aws-sdk/client-lambda`'s InvokeCommand
 * with one LambdaClient kept for the whole run, both in this process, against the same endpoint.
 *
 * Requests take turns (ours, floor, floor with a worker, …; engine, SDK, …) after uncounted
 * warm-up rounds, so a slow stretch of the machine falls on all alike; medians are compared.
 * Every counted answer is checked (status, executed version, the payload echoed), so a broken
 * run cannot look fast. Nothing sleeps: each wait is for an answer, a ready line or an exit.
 *
 * Run on its own: `node --import tsx bench/local.ts` (needs `npm run build` first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as readline from 'node:readline';
import aws4 from 'aws4';
import type * as Engine from '../src/engine/index';
import { type LocalEndpointReady, parseReadyLine } from '../src/protocol/localEndpointReady';
import { type Comparison, type Figure, PeerUnavailable, type Section, median, benchAwsEnv, runStandalone } from './report';

const REPO = path.resolve(__dirname, '..');
const OUR_CLI = path.join(REPO, 'dist', 'cli.js');
const OUR_ENGINE = path.join(REPO, 'dist', 'engine.js');
const FUNCTION_NAME = 'echo';
const INVOKE_PATH = `/2015-03-31/functions/${FUNCTION_NAME}/invocations`;
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK0000001', secretAccessKey: 'bench/secret/key/000000000000000000000000' };
/** Uncounted rounds first: workers started, connections open, code compiled. */
const HTTP_WARMUP = 50;
const HTTP_ROUNDS = 400;
const ENGINE_WARMUP = 20;
const ENGINE_ROUNDS = 200;
/** A server that does not print its ready line by then is stuck, not slow. */
const START_TIMEOUT_MS = 30_000;

const FLOOR_LABEL = 'floor: bare Node http server, body echoed';
const WORKER_FLOOR_LABEL = 'floor with a worker: bare Node http server + IPC round trip to a forked Node process';
const SDK_LABEL = '@aws-sdk/client-lambda InvokeCommand, one LambdaClient, same process';

// ---------------------------------------------------------------------------------------------
// The servers

/**
 * The floors, written to the run's temp folder. Each prints the same ready line as
 * `serve --ready-json` (src/protocol/localEndpointReady.ts), so one start-up wait serves all.
 */
const FLOOR_SERVER = `
const http = require('node:http');
const worker = process.argv[2] ? require('node:child_process').fork(process.argv[2]) : undefined;
const waiting = new Map();
let n = 0;
worker?.on('message', ({ id, body }) => waiting.get(id)?.(body));
function answer(res, id, body) {
  res.writeHead(200, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'floor-' + id, 'X-Amz-Executed-Version': '$LATEST', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const id = ++n;
    const text = Buffer.concat(chunks).toString('utf8');
    if (!worker) return answer(res, id, text);
    JSON.parse(text); // the endpoint's one check of the event before it hands it on
    waiting.set(id, (body) => { waiting.delete(id); answer(res, id, body); });
    worker.send({ id, body: text });
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ event: 'ready', url: 'http://127.0.0.1:' + port + '/', port, functions: ['${FUNCTION_NAME}'] }) + '\\n');
});
process.on('SIGINT', () => { worker?.kill(); server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

/** The floor's worker: the event parsed, the handler's result (the event) serialized, as a Lambda runtime does. */
const FLOOR_WORKER = `process.on('message', ({ id, body }) => process.send({ id, body: JSON.stringify(JSON.parse(body)) }));`;

interface Server {
  label: string;
  ready: LocalEndpointReady;
  /** One keep-alive connection: every request reuses it. */
  agent: http.Agent;
  /** A wrong answer from a peer makes it unavailable; from ours, it is a bug. */
  isPeer: boolean;
  stop(): Promise<void>;
}

/** Spawns a server and resolves once it prints its ready line; its stderr is drained, the end kept for errors. */
async function startServer(label: string, args: string[], isPeer: boolean, cwd: string): Promise<Server> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const fail = (reason: string) => (isPeer ? new PeerUnavailable(label, reason) : new Error(`Our local endpoint did not start: ${reason}`));
  const ready = await new Promise<LocalEndpointReady>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    const finish = (outcome: LocalEndpointReady | Error) => {
      clearTimeout(timer);
      lines.close();
      child.off('exit', onExit);
      if (outcome instanceof Error) {
        child.kill('SIGKILL');
        reject(outcome);
      } else {
        resolve(outcome);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => finish(fail(`it exited (${signal ?? code}) before its ready line: ${stderr.trim() || '(no output)'}`));
    const timer = setTimeout(() => finish(fail(`no ready line within ${START_TIMEOUT_MS / 1000} s: ${stderr.trim() || '(no output)'}`)), START_TIMEOUT_MS);
    child.once('exit', onExit);
    child.once('error', (error) => finish(fail(error.message)));
    lines.on('line', (line) => {
      const parsed = parseReadyLine(line);
      if (parsed) finish(parsed);
    });
  });
  // Keep reading stdout so a chatty server never blocks on a full pipe.
  child.stdout.resume();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return { label, ready, agent, isPeer, stop: () => stopServer(child, agent) };
}

/** Ctrl-C, as its user would stop it, then waits for the exit (SIGKILL if it lingers). */
function stopServer(child: ChildProcess, agent: http.Agent): Promise<void> {
  agent.destroy();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

// ---------------------------------------------------------------------------------------------
// Over HTTP

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The same Invoke request for every server, signed as an SDK would sign it (ours checks the signature). */
function signedInvoke(server: Server, body: string): http.RequestOptions {
  const url = new URL(server.ready.url);
  const signed = aws4.sign(
    { host: url.host, path: INVOKE_PATH, method: 'POST', service: 'lambda', region: REGION, headers: { 'Content-Type': 'application/json' }, body },
    CREDENTIALS,
  );
  return { hostname: url.hostname, port: url.port, path: INVOKE_PATH, method: 'POST', headers: signed.headers, agent: server.agent };
}

/** One request, timed from sending it to the answer's last byte. */
function timedRequest(options: http.RequestOptions, body: string): Promise<{ ms: number; answer: Answer }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ ms: performance.now() - started, answer: { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') } }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Why an answer is not Lambda's for the echo invocation of `sent`, or undefined when it is. */
function problemWith(answer: Answer, sent: string): string | undefined {
  if (answer.status !== 200) return `status ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.headers['x-amz-function-error'] !== undefined) return `a function error: ${answer.body.slice(0, 300)}`;
  if (answer.headers['x-amz-executed-version'] !== '$LATEST') return `executed version ${String(answer.headers['x-amz-executed-version'])}, not $LATEST`;
  if (answer.body !== sent) return `the payload ${JSON.stringify(answer.body.slice(0, 300))}, not the event ${sent}`;
  return undefined;
}

async function invokeOnce(server: Server, n: number): Promise<number> {
  const body = JSON.stringify({ i: n });
  // Signed before the clock starts: the client's cost is not the server's.
  const options = signedInvoke(server, body);
  const { ms, answer } = await timedRequest(options, body);
  const problem = problemWith(answer, body);
  if (problem !== undefined) throw server.isPeer ? new PeerUnavailable(server.label, problem) : new Error(`Our local endpoint answered wrongly: ${problem}`);
  return ms;
}

/** Warm-up, then counted rounds of one request to each server in turn; the counted times in ms by server. */
async function measureHttp(servers: readonly Server[], log: (line: string) => void): Promise<number[][]> {
  const times = servers.map((): number[] => []);
  for (let round = 0; round < HTTP_WARMUP + HTTP_ROUNDS; round++) {
    for (const [index, server] of servers.entries()) {
      const ms = await invokeOnce(server, round);
      if (round >= HTTP_WARMUP) times[index]!.push(ms);
    }
    if ((round + 1) % 100 === 0) log(`local: HTTP round ${round + 1}/${HTTP_WARMUP + HTTP_ROUNDS}`);
  }
  return times;
}

// ---------------------------------------------------------------------------------------------
// Through the engine

interface EngineTimes {
  ours: number[];
  sdk: number[];
}


async function measureEngine(ours: Server, dir: string, log: (line: string) => void): Promise<EngineTimes> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the production bundle the editor loads, as it loads it
  const engine = require(OUR_ENGINE) as typeof Engine;
  let sdk: typeof import('@aws-sdk/client-lambda');
  try {
    sdk = await import('@aws-sdk/client-lambda');
  } catch (error) {
    throw new PeerUnavailable(SDK_LABEL, `@aws-sdk/client-lambda could not be loaded (npm install, it is a devDependency): ${(error as Error).message}`);
  }
  const filePath = path.join(dir, 'bench.invoke.json');
  // The SDK's credential chain reads process.env itself: both clients run with the bench's in place.
  const saved = process.env;
  process.env = benchAwsEnv(dir, CREDENTIALS, REGION);
  const client = new sdk.LambdaClient({ region: REGION, endpoint: ours.ready.url });
  const times: EngineTimes = { ours: [], sdk: [] };
  try {
    for (let round = 0; round < ENGINE_WARMUP + ENGINE_ROUNDS; round++) {
      const event = JSON.stringify({ i: round });
      const text = JSON.stringify({ functionName: FUNCTION_NAME, endpoint: ours.ready.url, payload: { i: round } });

      let started = performance.now();
      const outcome = await engine.runInvocation({ filePath, text, workspaceRoots: [dir], env: process.env });
      const oursMs = performance.now() - started;
      if (outcome.result.statusCode !== 200 || outcome.result.payloadText !== event) {
        throw new Error(`Our engine got status ${outcome.result.statusCode} and ${JSON.stringify(outcome.result.payloadText.slice(0, 300))}, not 200 and ${event}`);
      }

      started = performance.now();
      const response = await client.send(new sdk.InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: Buffer.from(event) }));
      const sdkMs = performance.now() - started;
      const payload = Buffer.from(response.Payload ?? new Uint8Array(0)).toString('utf8');
      if (response.StatusCode !== 200 || payload !== event) throw new PeerUnavailable(SDK_LABEL, `status ${response.StatusCode} and ${JSON.stringify(payload.slice(0, 300))}, not 200 and ${event}`);

      if (round >= ENGINE_WARMUP) {
        times.ours.push(oursMs);
        times.sdk.push(sdkMs);
      }
      if ((round + 1) % 50 === 0) log(`local: engine round ${round + 1}/${ENGINE_WARMUP + ENGINE_ROUNDS}`);
    }
  } finally {
    client.destroy();
    engine.closeConnections();
    process.env = saved;
  }
  return times;
}

// ---------------------------------------------------------------------------------------------
// The section

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function spread(values: readonly number[]): string {
  return `p90 ${percentile(values, 90).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms`;
}

function buildSection(servers: readonly Server[], overHttp: number[][], engine: EngineTimes): Section {
  const [ours, floor, workerFloor] = overHttp.map((values) => median(values)) as [number, number, number];
  const what = `warm invoke over keep-alive (request → whole answer), median of ${HTTP_ROUNDS} alternating requests`;
  const oursLabel = servers[0]!.label;
  const comparisons: Comparison[] = [
    { what, peer: FLOOR_LABEL, unit: 'ms', ours, theirs: floor },
    { what, peer: WORKER_FLOOR_LABEL, unit: 'ms', ours, theirs: workerFloor },
    {
      what: `warm invoke of an .invoke.json through the engine, median of ${ENGINE_ROUNDS} alternating calls`,
      peer: SDK_LABEL,
      unit: 'ms',
      ours: median(engine.ours),
      theirs: median(engine.sdk),
    },
  ];
  const figures: Figure[] = [
    ...servers.map((server, index) => ({ what: `${server.label}: median`, value: median(overHttp[index]!), unit: 'ms', note: spread(overHttp[index]!) })),
    { what: 'through the engine: ours (runInvocation of dist/engine.js): median', value: median(engine.ours), unit: 'ms', note: spread(engine.ours) },
    { what: `through the engine: ${SDK_LABEL}: median`, value: median(engine.sdk), unit: 'ms', note: spread(engine.sdk) },
    { what: 'counted requests per server over HTTP (after uncounted warm-up ones)', value: HTTP_ROUNDS, unit: 'requests', note: `${HTTP_WARMUP} warm-up` },
  ];
  const notes = [
    `Over HTTP, ${oursLabel} verifies the SigV4 signature, checks the request as Lambda does, stats lambda-invoke.local.json and the handler file (edits apply on the next request), runs the handler in its warm worker and logs START/END/REPORT; the floors do none of that, so the ratio to the floor with a worker is what all of it adds beyond the process hop.`,
    'The AWS CLI is not a peer for a warm invocation: each call is a new Python process whose start-up alone takes longer than hundreds of these (the invoke section compares it whole-process).',
    'Through the engine, ours checks the .invoke.json text as the editor does (JSON, schema, limits), resolves the target and credentials for every invocation (a profile or a setting may have changed since the last one; only temporary credentials are kept) and signs; the SDK client is built once and resolves its credentials once.',
  ];
  return { title: 'Local endpoint: warm invoke latency', comparisons, figures, notes };
}

function checkPrerequisites(): void {
  for (const file of [OUR_CLI, OUR_ENGINE, path.join(REPO, 'dist', 'localEndpoint.js'), path.join(REPO, 'dist', 'localRuntime.js')]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  }
}

export async function run(log: (line: string) => void): Promise<Section> {
  checkPrerequisites();
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-bench-local-')));
  const servers: Server[] = [];
  try {
    fs.writeFileSync(path.join(dir, 'lambda-invoke.local.json'), JSON.stringify({ functions: { [FUNCTION_NAME]: { handler: 'echo.handler' } } }));
    fs.writeFileSync(path.join(dir, 'echo.js'), 'exports.handler = async (event) => event;\n');
    fs.writeFileSync(path.join(dir, 'floorServer.js'), FLOOR_SERVER);
    fs.writeFileSync(path.join(dir, 'floorWorker.js'), FLOOR_WORKER);
    servers.push(await startServer('ours (lambda-invoke serve, dist/cli.js)', [OUR_CLI, 'serve', '--port', '0', '--ready-json', dir], false, dir));
    servers.push(await startServer(FLOOR_LABEL, [path.join(dir, 'floorServer.js')], true, dir));
    servers.push(await startServer(WORKER_FLOOR_LABEL, [path.join(dir, 'floorServer.js'), path.join(dir, 'floorWorker.js')], true, dir));
    log(`local: ours at ${servers[0]!.ready.url}, floors at ${servers[1]!.ready.url} and ${servers[2]!.ready.url}`);
    const overHttp = await measureHttp(servers, log);
    const throughEngine = await measureEngine(servers[0]!, dir, log);
    return buildSection(servers, overHttp, throughEngine);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runStandalone(run);
