/**
 * Fuzzes the language server through a real LSP connection: `node dist/server.js --stdio`,
 * fed seeded random and mutated documents and random incremental edits. For every version
 * sent, the diagnostics for that version (or for the last version of a burst) must arrive, and
 * equal those of the same text opened afresh (edits inside a payload reuse the previous parse);
 * hover, completion, code lenses, code actions and document symbols at random positions must
 * answer with a result; nothing may be logged at error level; at the end the server must still
 * answer shutdown.
 *
 * CI: `npm run test:fuzz` (fixed seed, FUZZ_ITERATIONS defaults to 1500).
 * Longer: `npm run fuzz` (FUZZ_ITERATIONS=20000, FUZZ_SEED from the environment or random).
 * Reproduce a failure with the seed it prints: `FUZZ_SEED=<seed> FUZZ_ITERATIONS=<n> npm run test:fuzz`.
 * Run after `npm run build`.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  CompletionRequest,
  ConfigurationRequest,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  LSPErrorCodes,
  type LogMessageParams,
  LogMessageNotification,
  MarkupKind,
  MessageType,
  type Position,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  type Range,
  RegistrationRequest,
  ResponseError,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { Random } from '../fixtures/random';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
const LANGUAGE_ID = 'lambda-invoke';

const ITERATIONS = positiveInt(process.env.FUZZ_ITERATIONS, 1500);
/** Fixed unless FUZZ_SEED says otherwise; `FUZZ_SEED=random` (what `npm run fuzz` uses by default) draws one. */
const SEED = seedFrom(process.env.FUZZ_SEED);
/** Depth of the deeply nested documents; lower it (FUZZ_NESTING=1000) to look past a nesting failure. */
const NESTING = positiveInt(process.env.FUZZ_NESTING, 10_000);
/** How long the server may take for any one answer or publication before it counts as hung. */
const WAIT_MS = 10_000;
/** The 10 MB and deep-nesting cases get more room. */
const LARGE_WAIT_MS = 30_000;
/** Backstop for the whole run; a long `npm run fuzz` scales it with the iteration count. */
const TEST_TIMEOUT_MS = Math.max(240_000, ITERATIONS * 100);

function seedFrom(value: string | undefined): number {
  if (!value) return 0x5eed2024;
  if (value === 'random') return Math.floor(Math.random() * 2 ** 32) >>> 0;
  const n = Number(value);
  assert.ok(Number.isInteger(n), `FUZZ_SEED must be an integer or "random", not ${JSON.stringify(value)}`);
  return n >>> 0;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = value ? Number.parseInt(value, 10) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

// ---------------------------------------------------------------------------------------
// The server process

const LEVEL: Readonly<Record<number, string>> = {
  [MessageType.Error]: 'error',
  [MessageType.Warning]: 'warning',
  [MessageType.Info]: 'info',
  [MessageType.Log]: 'log',
  [MessageType.Debug]: 'debug',
};

interface DiagnosticsWaiter {
  uri: string;
  version: number | undefined;
  resolve(params: PublishDiagnosticsParams): void;
  reject(error: Error): void;
}

class Server {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  readonly exited: Promise<void>;
  readonly logs: LogMessageParams[] = [];
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  publications = 0;
  stderr = '';
  exitInfo: string | undefined;
  private readonly waiters = new Set<DiagnosticsWaiter>();
  /** Rejects whoever is waiting as soon as the server logs an error or exits. */
  private readonly failures = new Set<(error: Error) => void>();

  constructor() {
    this.child = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: REPO_ROOT, stdio: 'pipe' });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      if (this.stderr.length < 100_000) this.stderr += chunk;
    });
    this.child.stdin.on('error', (error) => (this.stderr += `\n[fuzz] writing to the server failed: ${error.message}\n`));
    this.exited = new Promise((resolve) => {
      const ended = (why: string) => {
        if (this.exitInfo !== undefined) return;
        this.exitInfo = why;
        this.failAll(new Error(`The server exited (${why}).`));
        this.connection.dispose();
        resolve();
      };
      this.child.once('exit', (code, signal) => ended(`code ${code}, signal ${signal}`));
      this.child.once('error', (error) => ended(`failed to start: ${error.message}`));
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.publications++;
      this.latest.set(params.uri, params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.version === params.version) {
          this.waiters.delete(waiter);
          waiter.resolve(params);
        }
      }
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
      if (this.logs.length > 500) this.logs.splice(0, 250);
      if (params.type === MessageType.Error) this.failAll(new Error(`The server logged an error: ${params.message}`));
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'lambdaInvoke' ? { region: 'eu-west-1' } : null)));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(CodeLensRefreshRequest.type, () => undefined);
    this.connection.listen();
  }

  /** Resolves with the publication for exactly this version (undefined: an unversioned clear). */
  diagnostics(uri: string, version: number | undefined, timeoutMs: number): Promise<PublishDiagnosticsParams> {
    return this.guard(
      new Promise<PublishDiagnosticsParams>((resolve, reject) => {
        const waiter: DiagnosticsWaiter = { uri, version, resolve, reject };
        this.waiters.add(waiter);
        setTimeout(() => {
          if (this.waiters.delete(waiter)) reject(new Error(`Hang: no publishDiagnostics for version ${version} within ${timeoutMs} ms.`));
        }, timeoutMs).unref();
      }),
    );
  }

  /** Races `promise` against a timeout, an error in the server's log and the server's exit. */
  guard<T>(promise: Promise<T>, timeoutMs = WAIT_MS * 3, what = 'an answer'): Promise<T> {
    if (this.exitInfo !== undefined) return Promise.reject(new Error(`The server has exited (${this.exitInfo}).`));
    return new Promise<T>((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        this.failures.delete(fail);
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`Hang: no ${what} within ${timeoutMs} ms.`)), timeoutMs);
      this.failures.add(fail);
      promise.then(
        (value) => {
          clearTimeout(timer);
          this.failures.delete(fail);
          resolve(value);
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  errorLogs(): LogMessageParams[] {
    return this.logs.filter((l) => l.type === MessageType.Error);
  }

  report(): string {
    const logs = this.logs.slice(-20).map((l) => `[${LEVEL[l.type] ?? l.type}] ${l.message.slice(0, 2000)}`);
    return [
      `--- server stderr (${this.stderr.length} chars) ---`,
      this.stderr.slice(-4000).trimEnd() || '(empty)',
      `--- server log (last ${logs.length}) ---`,
      ...(logs.length > 0 ? logs : ['(empty)']),
      `--- server process: ${this.exitInfo ?? 'running'} ---`,
    ].join('\n');
  }

  kill(): void {
    for (const waiter of this.waiters) waiter.reject(new Error('torn down'));
    this.waiters.clear();
    if (this.exitInfo === undefined) this.child.kill('SIGKILL');
  }

  private failAll(error: Error): void {
    for (const fail of [...this.failures]) fail(error);
  }
}

// ---------------------------------------------------------------------------------------
// Documents: the client's own copy, updated with the same edits it sends.

class FuzzDocument {
  document: TextDocument;
  isOpen = false;

  constructor(
    private readonly server: Server,
    readonly uri: string,
  ) {
    this.document = TextDocument.create(uri, LANGUAGE_ID, 0, '');
  }

  get text(): string {
    return this.document.getText();
  }

  /** Opens with `text` as the next version, returning that version. */
  open(text: string): number {
    const version = this.document.version + 1;
    this.document = TextDocument.create(this.uri, LANGUAGE_ID, version, text);
    this.isOpen = true;
    void this.server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: this.uri, languageId: LANGUAGE_ID, version, text },
    });
    return version;
  }

  /** Sends one didChange with these edits (each against the text after the previous ones). */
  change(changes: TextDocumentContentChangeEvent[]): number {
    const version = this.document.version + 1;
    this.document = TextDocument.update(this.document, changes, version);
    void this.server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uri, version }, contentChanges: changes });
    return version;
  }

  close(): void {
    this.isOpen = false;
    void this.server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri } });
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.document.positionAt(start), end: this.document.positionAt(end) };
  }

  describe(): string {
    const text = this.text;
    return `${path.basename(this.uri)} version ${this.document.version}, ${text.length} UTF-16 units, ${this.document.lineCount} lines, starts ${JSON.stringify(text.slice(0, 200))}`;
  }
}

// ---------------------------------------------------------------------------------------
// Inputs

const VALID: readonly string[] = [
  '{\n  "name": "Say hello to Ada",\n  "functionName": "hello",\n  "logType": "Tail",\n  "payload": { "name": "Ada" }\n}\n',
  '{\n  "name": "Background",\n  "functionName": "hello",\n  "invocationType": "Event",\n  "payload": { "name": "Linus", "tags": ["a", "b"], "n": 1.5e3 }\n}\n',
  '{\n  "functionName": "hello",\n  "logType": "Tail",\n  "payloadFile": "events/order.json"\n}\n',
  '{\n  "name": "Context",\n  "functionName": "arn:aws:lambda:eu-west-1:123456789012:function:echo-context:live",\n  "clientContext": {\n    "client": { "installation_id": "i-1", "app_title": "t" },\n    "custom": { "tenant": "acme" },\n    "env": { "platform": "linux" }\n  },\n  "payload": { "orderId": "A-1001" }\n}\n',
  '[\n  { "name": "one", "functionName": "hello", "payload": {} },\n  { "name": "two", "functionName": "orders:prod", "qualifier": "prod", "invocationType": "DryRun", "payload": [1, 2, 3] }\n]\n',
  '{\n  // a comment\n  "functionName": "hello", /* another */\n  "region": "eu-west-1",\n  "payload": "plain string",\n}\n',
  '{\n  "functionName": "my-function",\n  "invocationType": "RequestResponse",\n  "tenantId": "tenant-1",\n  "payload": null\n}\n',
];

const hundredDigits = '1234567890'.repeat(10);

const SNIPPETS: readonly string[] = [
  '{', '}', '[', ']', '"', ':', ',', '\\', '\\u', '\\ud800', '"\\udc00"', '\n', '\r\n', '\r', ' ', '\t',
  '\uD800', '\uDC00', '\uDBFF', '\uDFFF', '😀', '\u{10FFFF}', 'é', '\u0301', '\uFEFF', '\u2028', '\u2029', '\u00A0',
  '\u0000', '\u0001', '\u0007', '\u0008', '\u000B', '\u000C', '\u001B', '\u001F', '\u007F', '\u0085',
  '1e999999', '-1e999999', '1e-999999', hundredDigits, `-${hundredDigits}`, `${hundredDigits}.${hundredDigits}e${hundredDigits}`,
  '-0', '0.', '.5', '01', 'NaN', 'Infinity', 'true', 'false', 'null', 'undefined',
  '/*', '*/', '//', '/* c */', '// c\n',
  '"payload": ', '"payloadFile": ', '"functionName": ', '"qualifier": ', '"invocationType": ', '"logType": ', '"clientContext": ', '"region": ', '"endpoint": ', '"name": ',
  '"events/order.json"', '"../../../../etc/passwd"', '"/etc/hostname"', '"events"', '""', '"Event"', '"DryRun"', '"Tail"', '"http://127.0.0.1:1"',
  '"arn:aws:lambda:us-west-2:123456789012:function:f:1"', '"f:$LATEST"', '"__proto__"', '"constructor"', '{"__proto__": {"x": 1}}',
];

const TOP_KEYS = ['"name"', '"functionName"', '"payload"', '"payloadFile"', '"invocationType"', '"logType"', '"qualifier"', '"clientContext"', '"region"', '"endpoint"', '"tenantId"', '"x"'];

function randomString(rng: Random, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rng.next();
    if (r < 0.5) s += String.fromCharCode(32 + rng.int(95));
    else if (r < 0.65) s += String.fromCharCode(rng.int(32));
    else if (r < 0.75) s += String.fromCharCode(0xd800 + rng.int(0x800));
    else if (r < 0.9) s += rng.pick(SNIPPETS);
    else s += String.fromCodePoint(rng.int(0x110000));
  }
  return s;
}

function randomJson(rng: Random, depth: number): string {
  const r = rng.int(depth > 3 ? 5 : 8);
  switch (r) {
    case 0: return rng.pick(['1', '-2.5e10', '1e999999', hundredDigits, '0', '-0', '3.14']);
    case 1: return JSON.stringify(randomString(rng, rng.int(12)));
    case 2: return rng.pick(['true', 'false', 'null']);
    case 3: return `"${rng.pick(SNIPPETS).replace(/["\\]/g, '')}"`;
    case 4: return rng.pick(['{}', '[]', '""']);
    case 5: return `[${Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1)).join(', ')}]`;
    default: return `{${Array.from({ length: rng.int(4) }, () => `${rng.chance(0.5) ? rng.pick(TOP_KEYS) : JSON.stringify(randomString(rng, 4))}: ${randomJson(rng, depth + 1)}`).join(', ')}}`;
  }
}

function deepNesting(rng: Random, depth: number): string {
  const kind = rng.int(4);
  if (kind === 0) return '['.repeat(depth) + ']'.repeat(depth);
  if (kind === 1) return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  if (kind === 2) return '[{"a":'.repeat(depth / 2) + 'null' + '}]'.repeat(depth / 2);
  return rng.pick(['[', '{', '{"a":[']).repeat(depth); // unclosed
}

/** A whole new document: a mutation of a valid one, or something generated outright. */
function generateDocument(rng: Random): string {
  const r = rng.int(100);
  const base = rng.pick(VALID);
  if (r < 45) return mutate(rng, base, 1 + rng.int(6));
  if (r < 55) return flip(base);
  if (r < 65) return `{"functionName": "hello", "payload": ${randomJson(rng, 0)}}`;
  if (r < 70) return `{"functionName": "hello", "payload": ${deepNesting(rng, NESTING)}}`;
  if (r < 72) return deepNesting(rng, NESTING);
  if (r < 78) return `{"functionName": ${rng.pick(['1e999999', hundredDigits, '-1e999999', '[]', '{}', 'null'])}, "payload": ${rng.pick(['1e999999', `-${hundredDigits}`, `[${hundredDigits}, 1e-999999]`])}}`;
  if (r < 84) return randomString(rng, rng.int(300));
  if (r < 88) return `[${Array.from({ length: rng.int(30) }, () => rng.pick(VALID).trim().replace(/^\[|\]$/g, '')).join(',\n')}]`;
  if (r < 92) return rng.pick(['', ' ', '\n', '{', '[', '"', '{}', '[]', 'null', '0', '\uFEFF{}', '\u0000', '\uD800']);
  return mutate(rng, randomJson(rng, 0), 1 + rng.int(3));
}

/** Object ↔ array: wrap an object in an array, or unwrap an array's first element. */
function flip(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const inner = trimmed.slice(1, -1).trim();
    const end = matchingBrace(inner);
    return end > 0 ? inner.slice(0, end + 1) : inner;
  }
  return `[\n${text}]\n`;
}

function matchingBrace(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function mutate(rng: Random, text: string, count: number): string {
  let s = text;
  for (let i = 0; i < count; i++) {
    const at = rng.int(s.length + 1);
    const end = Math.min(s.length, at + rng.int(20));
    switch (rng.int(5)) {
      case 0: s = s.slice(0, at) + rng.pick(SNIPPETS) + s.slice(at); break;
      case 1: s = s.slice(0, at) + s.slice(end); break;
      case 2: s = s.slice(0, at) + randomString(rng, 1 + rng.int(8)) + s.slice(end); break;
      case 3: s = s.slice(0, at) + s.slice(at, end) + s.slice(at); break;
      default: s = flip(s);
    }
  }
  return s;
}

/** A random incremental edit against `doc`'s current text (after `pending` edits are applied). */
function randomEdit(rng: Random, text: string): { start: number; end: number; text: string } {
  const start = rng.int(text.length + 1);
  const end = rng.chance(0.5) ? start : Math.min(text.length, start + rng.int(rng.chance(0.9) ? 16 : 400));
  const r = rng.int(10);
  let inserted: string;
  if (r < 4) inserted = rng.pick(SNIPPETS);
  else if (r < 7) inserted = randomString(rng, rng.int(6));
  else if (r < 8) inserted = '';
  else if (r < 9) inserted = randomJson(rng, 1);
  else inserted = rng.chance(0.5) ? '[' : '{';
  return { start, end, text: inserted };
}

function randomPosition(rng: Random, doc: TextDocument): Position {
  const r = rng.int(20);
  if (r === 0) return { line: doc.lineCount + rng.int(5), character: rng.int(10) };
  if (r === 1) return { line: rng.int(Math.max(1, doc.lineCount)), character: 1_000_000 };
  // Any UTF-16 offset, including the middle of a surrogate pair or of \r\n.
  return doc.positionAt(rng.int(doc.getText().length + 1));
}

// ---------------------------------------------------------------------------------------
// Requests at random positions

type Kind = 'hover' | 'completion' | 'codeLens' | 'codeAction' | 'documentSymbol';
const KINDS: readonly Kind[] = ['hover', 'completion', 'codeLens', 'codeAction', 'documentSymbol'];

function sendRequest(server: Server, kind: Kind, doc: FuzzDocument, rng: Random, token: CancellationTokenSource['token']): Promise<unknown> {
  const textDocument = { uri: doc.uri };
  const c = server.connection;
  switch (kind) {
    case 'hover': return c.sendRequest(HoverRequest.type, { textDocument, position: randomPosition(rng, doc.document) }, token);
    case 'completion': return c.sendRequest(CompletionRequest.type, { textDocument, position: randomPosition(rng, doc.document) }, token);
    case 'codeLens': return c.sendRequest(CodeLensRequest.type, { textDocument }, token);
    case 'documentSymbol': return c.sendRequest(DocumentSymbolRequest.type, { textDocument }, token);
    case 'codeAction': {
      const published: Diagnostic[] = server.latest.get(doc.uri)?.diagnostics ?? [];
      const diagnostics = published.length > 0 && rng.chance(0.7) ? [rng.pick(published)] : [];
      const range = diagnostics[0]?.range ?? (() => {
        const a = randomPosition(rng, doc.document);
        return { start: a, end: a };
      })();
      return c.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics } }, token);
    }
  }
}

function checkResult(kind: Kind, result: unknown): void {
  switch (kind) {
    case 'hover':
      assert.ok(result === null || (typeof result === 'object' && 'contents' in result), `hover answered ${JSON.stringify(result)?.slice(0, 200)}`);
      break;
    case 'completion':
      assert.ok(result === null || Array.isArray(result) || (typeof result === 'object' && 'items' in result), `completion answered ${JSON.stringify(result)?.slice(0, 200)}`);
      break;
    default:
      assert.ok(result === null || Array.isArray(result), `${kind} answered ${JSON.stringify(result)?.slice(0, 200)}`);
  }
}

/** Sends 0–3 requests, some cancelled at once; each must answer with a result. */
async function randomRequests(server: Server, doc: FuzzDocument, rng: Random, stats: Stats, max = 3): Promise<void> {
  const asked: Promise<void>[] = [];
  for (let i = rng.int(max + 1); i > 0; i--) {
    const kind = rng.pick(KINDS);
    const source = new CancellationTokenSource();
    const cancel = rng.chance(0.1);
    const answer = sendRequest(server, kind, doc, rng, source.token);
    if (cancel) source.cancel();
    stats.requests++;
    asked.push(
      answer.then(
        (result) => checkResult(kind, result),
        (error: unknown) => {
          if (cancel && error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) {
            stats.cancelled++;
            return;
          }
          const detail = error instanceof ResponseError ? `${error.code} ${error.message}` : String(error);
          throw new Error(`${kind} request failed${cancel ? ' (cancelled)' : ''}: ${detail}`);
        },
      ),
    );
  }
  await server.guard(Promise.all(asked), WAIT_MS, 'answer to the requests');
}

function checkDiagnostics(doc: FuzzDocument, params: PublishDiagnosticsParams): void {
  for (const d of params.diagnostics) {
    const { start, end } = d.range;
    assert.ok(start.line >= 0 && start.character >= 0 && end.line >= 0 && end.character >= 0, `negative range in ${JSON.stringify(d)}`);
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `inverted range in ${JSON.stringify(d.range)}`);
    assert.ok(end.line <= doc.document.lineCount, `range past the end of the document: ${JSON.stringify(d.range)} (published for version ${String(params.version)}, document version ${doc.document.version}, ${doc.document.lineCount} lines; ${String(d.code)}: ${typeof d.message === 'string' ? d.message : d.message.value})`);
  }
}

// ---------------------------------------------------------------------------------------
// The run

interface Stats {
  versions: number;
  documents: number;
  edits: number;
  bursts: number;
  requests: number;
  cancelled: number;
  reopens: number;
}

let server: Server | undefined;
let workspace: string | undefined;

void describe('language server fuzzing (node dist/server.js --stdio)', () => {
  before(async () => {
    assert.ok(existsSync(SERVER_JS), `${SERVER_JS} is missing: run \`npm run build\` first.`);
    workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-fuzz-')));
    await mkdir(path.join(workspace, 'events'));
    await writeFile(path.join(workspace, 'events', 'order.json'), '{ "orderId": "A-1", "items": [1, 2, 3] }\n');
    await writeFile(path.join(workspace, 'events', 'broken.json'), '{ "orderId": \n');
    const workspaceUri = pathToFileURL(workspace).href;
    server = new Server();
    await server.guard(
      server.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: workspaceUri,
        workspaceFolders: [{ uri: workspaceUri, name: 'fuzz' }],
        capabilities: {
          workspace: { configuration: true, codeLens: { refreshSupport: true }, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
          textDocument: {
            publishDiagnostics: { versionSupport: true },
            hover: { contentFormat: [MarkupKind.Markdown] },
            completion: { completionItem: { snippetSupport: true } },
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
            documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          },
        },
      }),
      WAIT_MS,
      'initialize response',
    );
    await server.connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    server?.connection.dispose();
    server?.kill();
    await server?.exited;
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it(`survives ${ITERATIONS} random documents and edits (seed ${SEED})`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = server!;
    const rng = new Random(SEED);
    const stats: Stats = { versions: 0, documents: 0, edits: 0, bursts: 0, requests: 0, cancelled: 0, reopens: 0 };
    const docs = ['a', 'b', 'c'].map((name) => new FuzzDocument(s, pathToFileURL(path.join(workspace!, `${name}.invoke.json`)).href));
    const started = performance.now();
    let current: FuzzDocument = docs[0]!;
    let step = 'start';
    console.log(`[fuzz] seed ${SEED}, ${ITERATIONS} iterations (reproduce: FUZZ_SEED=${SEED} FUZZ_ITERATIONS=${ITERATIONS} npm run test:fuzz)`);

    /** A document opened with each checked version's text, to compare with: it is parsed from scratch. */
    const reference = new FuzzDocument(s, pathToFileURL(path.join(workspace!, 'reference.invoke.json')).href);
    /** The diagnostics published for a version must be those of its text opened afresh. */
    const checkSameAsFresh = async (doc: FuzzDocument, params: PublishDiagnosticsParams): Promise<void> => {
      const timeoutMs = doc.text.length > 5000 ? LARGE_WAIT_MS : WAIT_MS;
      const published = s.diagnostics(reference.uri, reference.document.version + 1, timeoutMs);
      reference.open(doc.text);
      const fresh = await published;
      const cleared = s.diagnostics(reference.uri, undefined, timeoutMs);
      reference.close();
      await cleared;
      assert.deepEqual(params.diagnostics, fresh.diagnostics, `the diagnostics of version ${String(params.version)} differ from those of its text opened afresh`);
    };

    /** Sends `send` (which returns the version it produced) and waits for that version's diagnostics. */
    const expect = async (doc: FuzzDocument, send: () => number, timeoutMs = WAIT_MS): Promise<void> => {
      const version = doc.document.version + 1;
      const published = s.diagnostics(doc.uri, version, timeoutMs);
      const sent = send();
      assert.equal(sent, version);
      const params = await published;
      checkDiagnostics(doc, params);
      await checkSameAsFresh(doc, params);
      stats.versions++;
    };

    try {
      // The large cases, once each, on their own document so later edits stay cheap.
      const big = new FuzzDocument(s, pathToFileURL(path.join(workspace!, 'big.invoke.json')).href);
      current = big;
      step = '10 MB single-line string payload';
      const tenMb = `{"functionName": "hello", "payload": "${'x'.repeat(10 * 1024 * 1024)}"}`;
      await expect(big, () => big.open(tenMb), LARGE_WAIT_MS);
      await randomRequests(s, big, rng, stats, 2);
      step = 'edit in the middle of the 10 MB line';
      await expect(big, () => big.change([{ range: big.rangeOf(5_000_000, 5_000_001), text: '\u0000"\uD800' }]), LARGE_WAIT_MS);
      step = '10 MB line of random junk';
      const junk = randomString(rng, 4096).replace(/[\r\n\u2028\u2029]/g, ' ');
      await expect(big, () => big.change([{ range: big.rangeOf(0, big.text.length), text: junk.repeat(Math.ceil((10 * 1024 * 1024) / junk.length)) }]), LARGE_WAIT_MS);
      await randomRequests(s, big, rng, stats, 2);
      step = 'close the 10 MB document';
      const cleared = s.diagnostics(big.uri, undefined, WAIT_MS);
      big.close();
      await cleared;
      stats.documents += 2;

      current = docs[0]!;
      for (const doc of docs) await expect(doc, () => doc.open(rng.pick(VALID)));

      for (let i = 0; i < ITERATIONS; i++) {
        const doc = rng.pick(docs);
        current = doc;
        const r = rng.int(100);
        if (r < 30) {
          // A whole new document, sent as one incremental edit over the full range.
          const text = generateDocument(rng);
          step = `iteration ${i}: replace the whole document`;
          await expect(doc, () => doc.change([{ range: doc.rangeOf(0, doc.text.length), text }]), text.length > 5000 ? LARGE_WAIT_MS : WAIT_MS);
          stats.documents++;
        } else if (r < 65) {
          // One didChange with 1–4 edits, each against the text after the previous ones.
          step = `iteration ${i}: one didChange with several edits`;
          await expect(doc, () => {
            // TextDocument.update changes the document it is given: work on a copy, or every edit lands twice.
            let scratch = TextDocument.create(doc.uri, LANGUAGE_ID, doc.document.version, doc.text);
            const changes: TextDocumentContentChangeEvent[] = [];
            for (let n = 1 + rng.int(4); n > 0; n--) {
              const edit = randomEdit(rng, scratch.getText());
              const change = { range: { start: scratch.positionAt(edit.start), end: scratch.positionAt(edit.end) }, text: edit.text };
              changes.push(change);
              scratch = TextDocument.update(scratch, [change], scratch.version);
            }
            return doc.change(changes);
          });
          stats.edits++;
        } else if (r < 85) {
          // A burst of didChange notifications, with requests in between; diagnostics for the last.
          step = `iteration ${i}: burst of edits`;
          const count = 2 + rng.int(5);
          const last = doc.document.version + count;
          const published = s.diagnostics(doc.uri, last, WAIT_MS);
          const inFlight: Promise<void>[] = [];
          for (let n = 0; n < count; n++) {
            const edit = randomEdit(rng, doc.text);
            doc.change([{ range: doc.rangeOf(edit.start, edit.end), text: edit.text }]);
            if (rng.chance(0.3)) inFlight.push(randomRequests(s, doc, rng, stats, 1));
          }
          const [, params] = await Promise.all([Promise.all(inFlight), published]);
          checkDiagnostics(doc, params);
          await checkSameAsFresh(doc, params);
          stats.versions++;
          stats.bursts++;
          stats.edits += count;
        } else if (r < 88) {
          // Close and reopen (with a fresh document) to exercise the open/close bookkeeping.
          step = `iteration ${i}: close and reopen`;
          const cleared = s.diagnostics(doc.uri, undefined, WAIT_MS);
          doc.close();
          await cleared;
          const text = generateDocument(rng);
          await expect(doc, () => doc.open(text), text.length > 5000 ? LARGE_WAIT_MS : WAIT_MS);
          stats.reopens++;
          stats.documents++;
        } else {
          // A single small edit, typing-like.
          step = `iteration ${i}: single edit`;
          const edit = randomEdit(rng, doc.text);
          await expect(doc, () => doc.change([{ range: doc.rangeOf(edit.start, edit.end), text: edit.text }]));
          stats.edits++;
        }
        step += ', then requests';
        await randomRequests(s, doc, rng, stats);
      }

      step = 'shutdown';
      current = docs[0]!;
      assert.deepEqual(s.errorLogs(), [], 'nothing may be logged at error level');
      assert.equal(s.exitInfo, undefined, 'the server must still be running');
      await s.guard(s.connection.sendRequest(ShutdownRequest.type), WAIT_MS, 'shutdown response');
      const exited = s.exited;
      await s.connection.sendNotification(ExitNotification.type);
      // Not through guard(): guard fails on the server exiting, which is what is awaited here.
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), WAIT_MS)))]);
      clearTimeout(timer);
      assert.notEqual(exit, 'timeout', 'the server must exit after the exit notification');
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `[fuzz] seed ${SEED}: ${stats.versions} versions checked (${stats.documents} whole documents, ${stats.edits} edits, ${stats.bursts} bursts, ${stats.reopens} reopens), ` +
          `${stats.requests} requests (${stats.cancelled} cancelled), ${s.publications} publications in ${seconds} s`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The whole last document, JSON-escaped so control characters and lone surrogates survive.
      const saved = path.join(os.tmpdir(), `lambda-invoke-fuzz-${SEED}.json`);
      await writeFile(saved, JSON.stringify({ seed: SEED, step, uri: current.uri, version: current.document.version, text: current.text }));
      const failure = new Error(
        [
          `Fuzzing failed with seed ${SEED} at ${step}: ${message}`,
          `Reproduce: FUZZ_SEED=${SEED} FUZZ_ITERATIONS=${ITERATIONS} npm run test:fuzz`,
          `Last document: ${current.describe()} (saved whole to ${saved})`,
          s.report(),
        ].join('\n'),
      );
      if (error instanceof Error && error.stack) failure.stack = `${failure.message}\n--- original stack ---\n${error.stack}`;
      throw failure;
    }
  });
});
