/**
 * Account benchmark: what the account features cost a user, each figure against a named peer
 * measured in the same run, on a local endpoint (dist/localEndpoint.js, started in this process
 * with credentials it checks) whose lambda-invoke.local.json declares 2,000 functions sharing one
 * handler file (one of them, FOCUS_FUNCTION, with a published version and the alias `live`).
 *
 * 1. The first catalogue fetch (ListFunctions, 40 pages of 50): `new FunctionCatalog()` of
 *    dist/catalog.js (the bundle the extension and the CLI load) and its `functions()`, cold (a
 *    new catalogue every round), against two peers on the same endpoint with the same keys:
 *    - the AWS SDK's own loop: `paginateListFunctions` with a new LambdaClient every round
 *      (given the keys directly: it resolves nothing), in this process;
 *    - the AWS CLI v2, `aws lambda list-functions` as a whole process (it follows the pages
 *      itself), with `aws --version` timed in the same rounds as its start-up floor.
 *    The three take turns, in each of their orders in turn, for one uncounted round and
 *    FETCH_ROUNDS counted ones; every run must return exactly the 2,000 names declared, each once.
 * 2. Completion from a warm catalogue over LSP: `node dist/server.js --stdio` initialized with
 *    `accountFacts: true`, its `lambdaInvoke/accountFacts` requests answered here by
 *    `answerAccountFacts` from a FunctionCatalog on the endpoint (as the extension answers them).
 *    Inside the quotes of `{"functionName": ""}`: one completion that warms (the server asks for
 *    the catalogue then), then counted ones, each taking turns with the peer: completion of
 *    `invocationType`'s values in the same server (the schema's enum; no account facts read).
 *    Each function-name result must list exactly the 2,000 names, and no counted one may make
 *    the server ask the editor again.
 * 3. A keystroke's diagnostics with account facts on against off: the 6 MB document of
 *    bench/lsp.ts (test/fixtures/largeDocument.ts) naming FOCUS_FUNCTION, typed into as
 *    bench/lsp.ts does (same anchor, same characters, one range change per keystroke, waiting for
 *    the publication of that version), in a server with account facts (the catalogue and the
 *    function's facts asked for, answered and republished before the clock starts) and one
 *    without, taking turns keystroke by keystroke after uncounted warm-up keystrokes. Every
 *    version must publish no diagnostics, the server with facts must ask nothing while typing,
 *    and a last edit to a name the catalogue lacks must draw its function-not-found warning there
 *    (and nothing in the other), so a server that ignored its facts cannot look fast.
 *
 * Nothing sleeps: each wait is for a message, an answer or an exit, bounded by a deadline.
 * Run on its own: `node --import tsx bench/account.ts` (needs `npm run build` first).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompletionRequest, type Position, type TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import type * as Catalog from '../src/engine/catalog/index';
import type * as Local from '../src/local/index';
import { type AccountFactsParams, AccountFactsRequest, type AccountFactsResult } from '../src/protocol/accountFacts';
import { DiagnosticCodes } from '../src/protocol/ids';
import { largeInvocationDocument } from '../test/fixtures/largeDocument';
import { OpenDocument, completionItems } from '../test/support/lspClient';
import { type StdioServer, spawnServer } from '../test/support/lspHarness';
import { type Comparison, type Figure, PeerUnavailable, type ProcessRun, type Section, median, ratio, timeProcess, benchAwsEnv, runStandalone, withoutAwsSettings } from './report';
import { MEASURED_EDITS, WARMUP_EDITS, keystroke, typingStart } from './typing';

const REPO = path.resolve(__dirname, '..');
const OUR_SERVER = path.join(REPO, 'dist', 'server.js');
const OUR_CATALOG = path.join(REPO, 'dist', 'catalog.js');
const LOCAL_ENDPOINT = path.join(REPO, 'dist', 'localEndpoint.js');
const AWS_CLI = '/usr/bin/aws';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIDBENCHACCOUNT0001', secretAccessKey: 'bench/account/secret/0000000000000000000000' };
const FUNCTION_COUNT = 2000;
const FUNCTION_NAMES = Array.from({ length: FUNCTION_COUNT }, (_, i) => `fn-${String(i).padStart(4, '0')}`);
/** The function the 6 MB document invokes, through an alias, as the fixture's own does. */
const FOCUS_FUNCTION = 'fn-1000';
const FOCUS_QUALIFIER = 'live';

/** Counted fetch rounds; one more, first, warms the modules, the connections and the interpreters. */
const FETCH_ROUNDS = 7;
/** Counted completions of each kind, after WARM_COMPLETIONS uncounted ones of each. */
const COMPLETIONS = 41;
const WARM_COMPLETIONS = 3;
/** As bench/lsp.ts: the 6 MB document, typed into as bench/typing.ts says. */
const DOCUMENT_BYTES = 6_000_000;
/** A wait longer than this is a broken run, not a slow one. */
const DEADLINE_MS = 60_000;
const MB = 1_000_000;

const CATALOG_LABEL = 'ours: new FunctionCatalog().functions() (dist/catalog.js)';
const SDK_PEER = '@aws-sdk/client-lambda paginateListFunctions, new LambdaClient, same process';
const AWS_PEER = 'AWS CLI v2 (aws lambda list-functions), whole process';
const AWS_FLOOR = 'AWS CLI start-up alone (aws --version)';
const ENUM_PEER = 'invocationType value completion, same server (no account facts)';
const FACTS_OFF_PEER = 'same server without account facts';

// ---------------------------------------------------------------------------------------------
// The endpoint and the environment

interface Fixture {
  dir: string;
  endpoint: Local.LocalEndpoint;
  /** What every client signs with: the endpoint's keys, a region, none of the user's AWS files. */
  env: NodeJS.ProcessEnv;
  /** The language servers' environment: this process's as it started, without NODE_OPTIONS or AWS_*. */
  serverEnv: NodeJS.ProcessEnv;
}

async function startFixture(log: (line: string) => void): Promise<Fixture> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-bench-account-')));
  try {
    fs.mkdirSync(path.join(dir, 'functions'));
    fs.writeFileSync(path.join(dir, 'functions', 'hello.js'), 'exports.handler = async (event) => ({ hello: event.name ?? "world" });\n');
    const functions = Object.fromEntries(
      FUNCTION_NAMES.map((name) => [
        name,
        name === FOCUS_FUNCTION
          ? { handler: 'functions/hello.handler', description: `function ${name}`, versions: { '1': {} }, aliases: { [FOCUS_QUALIFIER]: '1' } }
          : { handler: 'functions/hello.handler', description: `function ${name}` },
      ]),
    );
    fs.writeFileSync(path.join(dir, 'lambda-invoke.local.json'), JSON.stringify({ functions }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle `lambda-invoke serve` loads
    const local = require(LOCAL_ENDPOINT) as typeof Local;
    const endpoint = await local.startLocalEndpoint({ dir, port: 0, credentials: CREDENTIALS, log: () => undefined });
    if (endpoint.functions.length !== FUNCTION_COUNT) throw new Error(`The local endpoint declares ${endpoint.functions.length} functions, not ${FUNCTION_COUNT}.`);
    log(`account: local endpoint at ${endpoint.url.href} with ${FUNCTION_COUNT} functions`);
    return { dir, endpoint, env: benchAwsEnv(dir, CREDENTIALS, REGION), serverEnv: withoutAwsSettings() };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}


/** What the extension hands its catalogue: the endpoint and region as overrides, the keys in the environment. */
function catalogContext(fixture: Fixture): Catalog.CatalogContext {
  return { overrides: { endpoint: fixture.endpoint.url.href, region: REGION }, env: fixture.env };
}

/** Why `names` is not the 2,000 functions declared, each once, or undefined when it is. */
function namesProblem(names: readonly string[]): string | undefined {
  const distinct = new Set(names);
  if (names.length !== FUNCTION_COUNT || distinct.size !== FUNCTION_COUNT) return `${names.length} names (${distinct.size} distinct), not the ${FUNCTION_COUNT} declared`;
  const stranger = FUNCTION_NAMES.find((name) => !distinct.has(name));
  return stranger === undefined ? undefined : `no ${stranger} among the names`;
}

function loadCatalog(): typeof Catalog {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the production bundle the extension and the CLI load, as they load it
  return require(OUR_CATALOG) as typeof Catalog;
}

// ---------------------------------------------------------------------------------------------
// 1. The first catalogue fetch

interface FetchTimes {
  ours: number[];
  sdk: number[];
  aws: number[];
  awsFloor: number[];
  /** Pages the SDK's paginator read in its last run (the same 40 for every client). */
  sdkPages: number;
}


async function fetchOurs(catalog: typeof Catalog, fixture: Fixture): Promise<number> {
  const started = performance.now();
  const result = await new catalog.FunctionCatalog().functions({}, catalogContext(fixture));
  const ms = performance.now() - started;
  if (result.kind !== 'functions') throw new Error(`Our catalogue answered ${JSON.stringify(result).slice(0, 400)}, not the functions.`);
  if (result.truncated) throw new Error('Our catalogue says its list of 2,000 functions is truncated.');
  const problem = namesProblem(result.functions.map((f) => f.name));
  if (problem !== undefined) throw new Error(`Our catalogue listed ${problem}.`);
  return ms;
}

async function fetchSdk(sdk: typeof import('@aws-sdk/client-lambda'), fixture: Fixture): Promise<{ ms: number; pages: number }> {
  const started = performance.now();
  const client = new sdk.LambdaClient({ region: REGION, endpoint: fixture.endpoint.url.href, credentials: CREDENTIALS });
  const names: string[] = [];
  let pages = 0;
  try {
    for await (const page of sdk.paginateListFunctions({ client }, {})) {
      pages++;
      for (const fn of page.Functions ?? []) names.push(fn.FunctionName ?? '');
    }
  } catch (error) {
    throw new PeerUnavailable(SDK_PEER, errorMessage(error));
  } finally {
    client.destroy();
  }
  const ms = performance.now() - started;
  const problem = namesProblem(names);
  if (problem !== undefined) throw new PeerUnavailable(SDK_PEER, `it listed ${problem}`);
  return { ms, pages };
}

async function fetchAwsCli(fixture: Fixture): Promise<number> {
  const args = ['lambda', 'list-functions', '--endpoint-url', fixture.endpoint.url.href, '--region', REGION, '--output', 'json', '--no-cli-pager'];
  let run: ProcessRun;
  try {
    run = await timeProcess(AWS_CLI, args, fixture.dir, fixture.env, DEADLINE_MS);
  } catch (error) {
    throw new PeerUnavailable(AWS_PEER, `it could not start: ${errorMessage(error)}`);
  }
  if (run.code !== 0) throw new PeerUnavailable(AWS_PEER, `it exited with ${run.code ?? run.signal}: ${(run.stderr.trim() || run.stdout.trim()).slice(-600) || '(no output)'}`);
  const listed = parseJson(run.stdout) as { Functions?: { FunctionName?: string }[] } | undefined;
  if (!Array.isArray(listed?.Functions)) throw new PeerUnavailable(AWS_PEER, `it printed no Functions: ${run.stdout.slice(0, 300)}`);
  const problem = namesProblem(listed.Functions.map((f) => f.FunctionName ?? ''));
  if (problem !== undefined) throw new PeerUnavailable(AWS_PEER, `it listed ${problem}`);
  return run.ms;
}

async function awsFloor(fixture: Fixture): Promise<number> {
  const run = await timeProcess(AWS_CLI, ['--version'], fixture.dir, fixture.env, DEADLINE_MS);
  if (run.code !== 0) throw new PeerUnavailable(AWS_FLOOR, `it exited with ${run.code ?? run.signal}: ${run.stderr.trim().slice(-300)}`);
  return run.ms;
}

async function measureFetch(fixture: Fixture, log: (line: string) => void): Promise<FetchTimes> {
  const catalog = loadCatalog();
  let sdk: typeof import('@aws-sdk/client-lambda');
  try {
    sdk = await import('@aws-sdk/client-lambda');
  } catch (error) {
    throw new PeerUnavailable(SDK_PEER, `@aws-sdk/client-lambda could not be loaded (npm install): ${errorMessage(error)}`);
  }
  try {
    fs.accessSync(AWS_CLI, fs.constants.X_OK);
  } catch {
    throw new PeerUnavailable(AWS_PEER, `${AWS_CLI} is missing or not executable (apt-get install awscli).`);
  }
  const times: FetchTimes = { ours: [], sdk: [], aws: [], awsFloor: [], sdkPages: 0 };
  type Key = 'ours' | 'sdk' | 'aws';
  const runs: Record<Key, () => Promise<number>> = {
    ours: () => fetchOurs(catalog, fixture),
    sdk: async () => {
      const { ms, pages } = await fetchSdk(sdk, fixture);
      times.sdkPages = pages;
      return ms;
    },
    aws: () => fetchAwsCli(fixture),
  };
  // Every order of the three in turn, so that each goes first, second and last, and after each
  // of the others, alike (a run after the AWS CLI's pays for the garbage of serving it).
  const orders: Key[][] = [
    ['ours', 'sdk', 'aws'],
    ['sdk', 'aws', 'ours'],
    ['aws', 'ours', 'sdk'],
    ['ours', 'aws', 'sdk'],
    ['aws', 'sdk', 'ours'],
    ['sdk', 'ours', 'aws'],
  ];
  for (let round = 0; round <= FETCH_ROUNDS; round++) {
    const order = orders[round % orders.length]!;
    const line: string[] = [];
    for (const key of order) {
      const ms = await runs[key]();
      if (round > 0) times[key].push(ms);
      line.push(`${key} ${ms.toFixed(0)} ms`);
    }
    const floor = await awsFloor(fixture);
    if (round > 0) times.awsFloor.push(floor);
    line.push(`aws --version ${floor.toFixed(0)} ms`);
    log(`account: fetch ${round === 0 ? 'warm-up' : `round ${round}/${FETCH_ROUNDS}`}: ${line.join(', ')}`);
  }
  return times;
}

// ---------------------------------------------------------------------------------------------
// The editor's side of lambdaInvoke/accountFacts

/** Answers a server's account-facts requests from a catalogue, as the extension does, and keeps what it answered. */
class FactsAnswerer {
  readonly asked: { params: AccountFactsParams; answer: Promise<AccountFactsResult> }[] = [];
  /** Called as each request comes, before it is answered. */
  onAsk: ((params: AccountFactsParams) => void) | undefined;
  private readonly catalogue: Catalog.FunctionCatalog;

  constructor(
    private readonly catalog: typeof Catalog,
    private readonly context: Catalog.CatalogContext,
  ) {
    this.catalogue = new catalog.FunctionCatalog();
  }

  readonly answers = {
    [AccountFactsRequest.method]: (params: unknown): Promise<AccountFactsResult> => {
      const asked = params as AccountFactsParams;
      this.onAsk?.(asked);
      const answer = this.catalog.answerAccountFacts(this.catalogue, asked, this.context);
      this.asked.push({ params: asked, answer });
      return answer;
    },
  };

  /** Waits for every answer so far; fails unless each one is facts. */
  async settled(): Promise<void> {
    const results = await Promise.all(this.asked.map((a) => a.answer));
    const unavailable = results.find((r) => r.kind !== 'functions' && r.kind !== 'function');
    if (unavailable) throw new Error(`The catalogue answered the server with ${JSON.stringify(unavailable).slice(0, 400)}, not facts.`);
  }
}

/** A language server as an editor starts it; it holds no credentials, so it gets none of the bench's. */
async function startServer(fixture: Fixture, answerer: FactsAnswerer | undefined): Promise<StdioServer> {
  return spawnServer({
    env: fixture.serverEnv,
    keepPublications: false,
    ...(answerer ? { initializationOptions: { accountFacts: true }, answers: answerer.answers } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Completion from a warm catalogue

interface CompletionTimes {
  functionNames: number[];
  invocationType: number[];
  /** Items in each function-name completion (all the same). */
  items: number;
}

/** The position just inside the quotes of `key`'s empty string value. */
function insideEmptyValue(document: OpenDocument, key: string): Position {
  const needle = `"${key}": ""`;
  return document.positionIn(needle, needle.length - 1);
}

async function timedCompletion(server: StdioServer, uri: string, position: Position): Promise<{ ms: number; labels: string[] }> {
  const started = performance.now();
  const result = await server.within(server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }), `a completion in ${uri}`, DEADLINE_MS);
  const ms = performance.now() - started;
  return { ms, labels: completionItems(result).map((item) => item.label) };
}

async function measureCompletion(fixture: Fixture, log: (line: string) => void): Promise<CompletionTimes> {
  const answerer = new FactsAnswerer(loadCatalog(), catalogContext(fixture));
  const server = await startServer(fixture, answerer);
  try {
    const names = new OpenDocument(server, 'file:///bench/account/names.invoke.json', '{"functionName": ""}');
    const types = new OpenDocument(server, 'file:///bench/account/types.invoke.json', '{"invocationType": ""}');
    await names.openAndWait(DEADLINE_MS);
    await types.openAndWait(DEADLINE_MS);
    const namesAt = insideEmptyValue(names, 'functionName');
    const typesAt = insideEmptyValue(types, 'invocationType');
    const enumValues = invocationTypes();

    const checkNames = (labels: string[], what: string) => {
      const problem = namesProblem(labels);
      if (problem !== undefined) throw new Error(`The ${what} completion of functionName offered ${problem}.`);
    };
    const checkTypes = (labels: string[]) => {
      if (labels.length !== enumValues.length || !enumValues.every((value) => labels.includes(value))) {
        throw new PeerUnavailable(ENUM_PEER, `it offered ${JSON.stringify(labels)}, not ${JSON.stringify(enumValues)}`);
      }
    };

    // The first completion asks for the catalogue (and waits up to 1.5 s for it): once answered, the server knows it.
    log('account: completion: warming (the server asks for the catalogue)');
    let first = await timedCompletion(server, names.uri, namesAt);
    await answerer.settled();
    if (!answerer.asked.some((a) => a.params.kind === 'functions')) throw new Error('The server completed functionName without asking for the catalogue.');
    if (namesProblem(first.labels) !== undefined) first = await timedCompletion(server, names.uri, namesAt);
    checkNames(first.labels, 'warm-up');
    log(`account: completion: warm (first completion ${first.ms.toFixed(0)} ms, ${answerer.asked.length} account-facts requests answered)`);
    for (let i = 0; i < WARM_COMPLETIONS; i++) {
      checkNames((await timedCompletion(server, names.uri, namesAt)).labels, 'warm-up');
      checkTypes((await timedCompletion(server, types.uri, typesAt)).labels);
    }

    const askedBefore = answerer.asked.length;
    const times: CompletionTimes = { functionNames: [], invocationType: [], items: first.labels.length };
    for (let i = 0; i < COMPLETIONS; i++) {
      // Taking turns, each going first every other time, so noise on the machine hits both.
      for (const kind of i % 2 === 0 ? (['names', 'types'] as const) : (['types', 'names'] as const)) {
        if (kind === 'names') {
          const { ms, labels } = await timedCompletion(server, names.uri, namesAt);
          checkNames(labels, 'counted');
          times.functionNames.push(ms);
        } else {
          const { ms, labels } = await timedCompletion(server, types.uri, typesAt);
          checkTypes(labels);
          times.invocationType.push(ms);
        }
      }
    }
    if (answerer.asked.length !== askedBefore) {
      throw new Error(`The server asked for account facts ${answerer.asked.length - askedBefore} times during the counted completions: the catalogue was not warm.`);
    }
    return times;
  } catch (error) {
    throw server.withReport(error);
  } finally {
    await server.close();
  }
}

/** invocationType's values, as the schema lists them. */
function invocationTypes(): string[] {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'invoke.schema.json'), 'utf8')) as unknown;
  const found: string[][] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const property = (node as Record<string, unknown>).invocationType as { enum?: unknown } | undefined;
      if (Array.isArray(property?.enum)) found.push(property.enum as string[]);
      Object.values(node).forEach(visit);
    }
  };
  visit(schema);
  if (found.length === 0) throw new Error('schemas/invoke.schema.json lists no invocationType values.');
  return found[0]!;
}

// ---------------------------------------------------------------------------------------------
// 3. A keystroke's diagnostics with account facts on and off

type Side = 'on' | 'off';

interface KeystrokeTimes {
  on: number[];
  off: number[];
  documentBytes: number;
  /** Account-facts requests the server with facts answered before the typing. */
  factsRequests: number;
}

/** One didChange → the publication of its version, in ms, and its diagnostics. */
async function timedChange(server: StdioServer, document: OpenDocument, change: TextDocumentContentChangeEvent): Promise<{ ms: number; codes: string[] }> {
  const version = document.version + 1;
  let arrivedAt = Number.NaN;
  const published = server.diagnostics(
    document.uri,
    `version ${version}`,
    (params) => {
      if (params.version !== version) return false;
      arrivedAt = performance.now();
      return true;
    },
    DEADLINE_MS,
  );
  // The client's mirror is updated before lastSentAt is taken: its cost is not the server's.
  document.change([change]);
  const sentAt = document.lastSentAt;
  const params = await published;
  return { ms: arrivedAt - sentAt, codes: params.diagnostics.map((d) => String(d.code)) };
}

async function measureKeystrokes(fixture: Fixture, log: (line: string) => void): Promise<KeystrokeTimes> {
  const fixtureText = largeInvocationDocument(DOCUMENT_BYTES).text;
  const written = '"functionName": "orders-ingest:live"';
  if (fixtureText.split(written).length !== 2) throw new Error(`The 6 MB document should name its function once as ${written}.`);
  const text = fixtureText.replace(written, `"functionName": "${FOCUS_FUNCTION}:${FOCUS_QUALIFIER}"`);
  const uri = 'file:///bench/account/orders.invoke.json';
  const start = typingStart(uri, text);

  const answerer = new FactsAnswerer(loadCatalog(), catalogContext(fixture));
  const servers: Partial<Record<Side, StdioServer>> = {};
  try {
    servers.on = await startServer(fixture, answerer);
    servers.off = await startServer(fixture, undefined);
    const live: Record<Side, StdioServer> = { on: servers.on, off: servers.off };
    const documents: Record<Side, OpenDocument> = { on: new OpenDocument(live.on, uri, text), off: new OpenDocument(live.off, uri, text) };

    // With facts: open, then the server asks for the catalogue once the document is quiet, then
    // for the function's own facts once the catalogue lists it, republishing after each answer.
    // The clock starts only after the republication that follows the function's answer.
    log(`account: keystrokes: opening the ${DOCUMENT_BYTES / MB} MB document in both servers, waiting for the facts`);
    let republished: Promise<unknown> | undefined;
    const functionAsked = new Promise<void>((resolve) => {
      answerer.onAsk = (params) => {
        if (params.kind !== 'function') return;
        republished ??= live.on.published(uri, 1, DEADLINE_MS);
        resolve();
      };
    });
    for (const side of ['on', 'off'] as const) {
      const { diagnostics } = await documents[side].openAndWait(DEADLINE_MS);
      if (diagnostics.length !== 0) throw new Error(`The server with account facts ${side} published ${diagnostics.length} diagnostics for the opened document.`);
    }
    await live.on.within(functionAsked, `the server's request for the facts of ${FOCUS_FUNCTION}`, DEADLINE_MS);
    await answerer.settled();
    await republished;
    answerer.onAsk = undefined;
    const kinds = new Set(answerer.asked.map((a) => a.params.kind));
    if (!kinds.has('functions') || !kinds.has('function')) throw new Error(`The server asked for ${[...kinds].join(', ')}, not the catalogue and the function.`);
    if (live.on.latest.get(uri)?.diagnostics.length !== 0) throw new Error('With the facts known, the document should have no diagnostics.');
    const factsRequests = answerer.asked.length;

    log(`account: keystrokes: typing ${WARMUP_EDITS} + ${MEASURED_EDITS} characters into each server, taking turns`);
    const times: KeystrokeTimes = { on: [], off: [], documentBytes: Buffer.byteLength(text), factsRequests };
    for (let i = 0; i < WARMUP_EDITS + MEASURED_EDITS; i++) {
      for (const side of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const { ms, codes } = await timedChange(live[side], documents[side], keystroke(start, i));
        if (codes.length !== 0) throw new Error(`The server with account facts ${side} published ${codes.join(', ')} for version ${documents[side].version}; the typing keeps the document valid.`);
        if (i >= WARMUP_EDITS) times[side].push(ms);
      }
    }
    if (answerer.asked.length !== factsRequests) throw new Error(`The server with account facts asked ${answerer.asked.length - factsRequests} more times while typing.`);

    // Proof that the facts were in use: a name the catalogue lacks is flagged there, and only there.
    const missing = `${FOCUS_FUNCTION}x`;
    for (const side of ['on', 'off'] as const) {
      const edit = documents[side].edit(`"${FOCUS_FUNCTION}:`, `"${missing}:`);
      const { codes } = await timedChange(live[side], documents[side], edit);
      const flagged = codes.includes(DiagnosticCodes.functionNotFound);
      if (side === 'on' && !flagged) throw new Error(`With account facts, renaming the function to ${missing} published ${JSON.stringify(codes)}, without ${DiagnosticCodes.functionNotFound}: the facts were not in use.`);
      if (side === 'off' && codes.length !== 0) throw new Error(`Without account facts, renaming the function published ${JSON.stringify(codes)}.`);
    }
    return times;
  } catch (error) {
    throw servers.on ? servers.on.withReport(error) : error;
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  }
}

// ---------------------------------------------------------------------------------------------
// The section

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function buildSection(fetch: FetchTimes, completion: CompletionTimes, keystrokes: KeystrokeTimes): Section {
  const fetchWhat = `first catalogue fetch of ${FUNCTION_COUNT.toLocaleString('en-US')} functions (cold), median of ${FETCH_ROUNDS} alternating rounds`;
  const vsSdk: Comparison = { what: fetchWhat, peer: SDK_PEER, unit: 'ms', ours: median(fetch.ours), theirs: median(fetch.sdk) };
  const vsAws: Comparison = { what: fetchWhat, peer: AWS_PEER, unit: 'ms', ours: median(fetch.ours), theirs: median(fetch.aws) };
  const completions: Comparison = {
    what: `functionName completion over LSP from a warm catalogue (${completion.items.toLocaleString('en-US')} items), median of ${COMPLETIONS}`,
    peer: ENUM_PEER,
    unit: 'ms',
    ours: median(completion.functionNames),
    theirs: median(completion.invocationType),
    target: 'median at most 30 ms',
  };
  completions.met = completions.ours <= 30;
  const diagnostics: Comparison = {
    what: `edit → diagnostics over LSP, 6 MB document, account facts on, median of ${MEASURED_EDITS} keystrokes`,
    peer: FACTS_OFF_PEER,
    unit: 'ms',
    ours: median(keystrokes.on),
    theirs: median(keystrokes.off),
    target: 'at most 1.1× without facts',
  };
  diagnostics.met = ratio(diagnostics) <= 1.1;

  const spread = (values: readonly number[]) => `p90 ${percentile(values, 90).toFixed(1)} ms, fastest ${Math.min(...values).toFixed(1)} ms`;
  const figures: Figure[] = [
    { what: `fetch: ${CATALOG_LABEL}`, value: median(fetch.ours), unit: 'ms', note: spread(fetch.ours) },
    { what: `fetch: ${SDK_PEER}`, value: median(fetch.sdk), unit: 'ms', note: `${spread(fetch.sdk)}; ${fetch.sdkPages} pages` },
    { what: `fetch: ${AWS_PEER}`, value: median(fetch.aws), unit: 'ms', note: spread(fetch.aws) },
    { what: `fetch: ${AWS_FLOOR}, timed in the same rounds`, value: median(fetch.awsFloor), unit: 'ms', note: 'for reference' },
    { what: 'functionName completion from a warm catalogue: p90', value: percentile(completion.functionNames, 90), unit: 'ms', note: `peer’s p90 ${percentile(completion.invocationType, 90).toFixed(1)} ms` },
    { what: 'edit → diagnostics with account facts: p90', value: percentile(keystrokes.on, 90), unit: 'ms', note: `without: p90 ${percentile(keystrokes.off, 90).toFixed(1)} ms` },
    { what: 'document typed into', value: keystrokes.documentBytes / MB, unit: 'MB', note: `names ${FOCUS_FUNCTION}:${FOCUS_QUALIFIER}; ${keystrokes.factsRequests} account-facts requests answered before the typing` },
  ];

  const notes = [
    `The local endpoint (dist/localEndpoint.js) runs in the bench process and checks every request's SigV4 signature; ListFunctions pages hold at most 50 functions, so every client reads ${fetch.sdkPages} pages, and every run must return exactly the ${FUNCTION_COUNT.toLocaleString('en-US')} names declared.`,
    'Ours resolves the target and the credentials (from the environment, as the extension does) and builds a client for each fetch; the SDK peer is handed the keys and builds its client once a round; the AWS CLI starts Python every run (its start-up alone is the aws --version figure).',
    `Completion is timed from sending textDocument/completion to its parsed answer; after ${WARM_COMPLETIONS} uncounted completions of each kind the two take turns, and no counted one may make the server ask for facts again.`,
    `Keystrokes are bench/lsp.ts's (one character deep in the payload, one range change, waiting for that version's publication), ${WARMUP_EDITS} warm-up ones each, then the two servers take turns; the server with facts has its catalogue and ${FOCUS_FUNCTION}'s facts before the clock starts and asks nothing while typing.`,
  ];
  if (completions.met === false) {
    notes.push(`Completion of ${completion.items} names misses 30 ms: most of it is serializing and parsing the items (the invocationType completion in the same server takes ${completions.theirs.toFixed(1)} ms); profile the server's completion handler.`);
  }
  if (diagnostics.met === false) {
    notes.push('A keystroke with account facts costs more than 1.1× one without: profile accountDiagnostics (src/language/account.ts) on the 6 MB document; it should look up the catalogue once per invocation, not walk the payload.');
  }
  return { title: 'Account facts: the function catalogue, completion and diagnostics', comparisons: [vsSdk, vsAws, completions, diagnostics], figures, notes };
}

function checkPrerequisites(): void {
  for (const file of [OUR_SERVER, OUR_CATALOG, LOCAL_ENDPOINT]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(REPO, file)} is missing: run \`npm run build\` first.`);
  }
}

export async function run(log: (line: string) => void): Promise<Section> {
  checkPrerequisites();
  const fixture = await startFixture(log);
  // The SDK's credential chain (which the catalogue's resolution ends in) reads its keys from
  // process.env itself, not from the context's env: this process runs with the bench's in place,
  // as the extension host runs with the user's. The servers and the CLI get theirs explicitly.
  const saved = process.env;
  process.env = fixture.env;
  try {
    const fetch = await measureFetch(fixture, log);
    const completion = await measureCompletion(fixture, log);
    const keystrokes = await measureKeystrokes(fixture, log);
    return buildSection(fetch, completion, keystrokes);
  } finally {
    process.env = saved;
    await fixture.endpoint.close();
    fs.rmSync(fixture.dir, { recursive: true, force: true });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module) runStandalone(run);
