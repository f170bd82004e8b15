/**
 * Fuzzes the language server through a real LSP connection to the server built in this process
 * (test/support/inProcessServer.ts), fed seeded random and mutated documents and random
 * incremental edits. For every version sent, the diagnostics for that version (or for the last
 * version of a burst) must arrive, and
 * equal those of the same text opened afresh (edits inside a payload reuse the previous parse);
 * hover, completion, code lenses, code actions and document symbols at random positions must
 * answer with a result; nothing may be logged at error level; at the end the server must still
 * answer shutdown.
 *
 * CI: `npm run test:fuzz` (fixed seed, FUZZ_ITERATIONS defaults to 1500).
 * Longer: `npm run fuzz` (FUZZ_ITERATIONS=20000, FUZZ_SEED from the environment or random).
 * Reproduce a failure with the seed it prints: `FUZZ_SEED=<seed> FUZZ_ITERATIONS=<n> npm run test:fuzz`.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  type Diagnostic,
  DocumentSymbolRequest,
  HoverRequest,
  LSPErrorCodes,
  type Position,
  type PublishDiagnosticsParams,
  ResponseError,
} from 'vscode-languageserver-protocol/node';
import { Random } from '../fixtures/random';
import { type InProcessServer, buildServer } from '../support/inProcessServer';
import { FreshReference, type LspClient, type OffsetEdit, OpenDocument, messageOf } from '../support/lspClient';

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

function randomPosition(rng: Random, doc: OpenDocument): Position {
  const r = rng.int(20);
  if (r === 0) return { line: doc.lineCount + rng.int(5), character: rng.int(10) };
  if (r === 1) return { line: rng.int(Math.max(1, doc.lineCount)), character: 1_000_000 };
  // Any UTF-16 offset, including the middle of a surrogate pair or of \r\n.
  return doc.positionAt(rng.int(doc.text.length + 1));
}

// ---------------------------------------------------------------------------------------
// Requests at random positions

type Kind = 'hover' | 'completion' | 'codeLens' | 'codeAction' | 'documentSymbol';
const KINDS: readonly Kind[] = ['hover', 'completion', 'codeLens', 'codeAction', 'documentSymbol'];

function sendRequest(server: LspClient, kind: Kind, doc: OpenDocument, rng: Random, token: CancellationTokenSource['token']): Promise<unknown> {
  const textDocument = { uri: doc.uri };
  const c = server.connection;
  switch (kind) {
    case 'hover': return c.sendRequest(HoverRequest.type, { textDocument, position: randomPosition(rng, doc) }, token);
    case 'completion': return c.sendRequest(CompletionRequest.type, { textDocument, position: randomPosition(rng, doc) }, token);
    case 'codeLens': return c.sendRequest(CodeLensRequest.type, { textDocument }, token);
    case 'documentSymbol': return c.sendRequest(DocumentSymbolRequest.type, { textDocument }, token);
    case 'codeAction': {
      const published: Diagnostic[] = server.latest.get(doc.uri)?.diagnostics ?? [];
      const diagnostics = published.length > 0 && rng.chance(0.7) ? [rng.pick(published)] : [];
      const range = diagnostics[0]?.range ?? (() => {
        const a = randomPosition(rng, doc);
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
async function randomRequests(server: LspClient, doc: OpenDocument, rng: Random, stats: Stats, max = 3): Promise<void> {
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
  await server.within(Promise.all(asked), 'answer to the requests', WAIT_MS);
}

function checkDiagnostics(doc: OpenDocument, params: PublishDiagnosticsParams): void {
  for (const d of params.diagnostics) {
    const { start, end } = d.range;
    assert.ok(start.line >= 0 && start.character >= 0 && end.line >= 0 && end.character >= 0, `negative range in ${JSON.stringify(d)}`);
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `inverted range in ${JSON.stringify(d.range)}`);
    assert.ok(end.line <= doc.lineCount, `range past the end of the document: ${JSON.stringify(d.range)} (published for version ${String(params.version)}, document version ${doc.version}, ${doc.lineCount} lines; ${String(d.code)}: ${messageOf(d)})`);
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

let server: InProcessServer | undefined;
let workspace: string | undefined;

void describe('language server fuzzing (in process)', () => {
  before(async () => {
    workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-fuzz-')));
    await mkdir(path.join(workspace, 'events'));
    await writeFile(path.join(workspace, 'events', 'order.json'), '{ "orderId": "A-1", "items": [1, 2, 3] }\n');
    await writeFile(path.join(workspace, 'events', 'broken.json'), '{ "orderId": \n');
    server = await buildServer({
      workspaceFolders: [workspace],
      configuration: { region: 'eu-west-1' },
      watchedFiles: true,
      codeLensRefresh: true,
      // The first error the server logs ends the run at once, with the document that caused it.
      failOnErrorLog: true,
      // Thousands of versions: only the newest publication of each document is needed.
      keepPublications: false,
    });
  });

  after(async () => {
    await server?.close();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it(`survives ${ITERATIONS} random documents and edits (seed ${SEED})`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = server!;
    const rng = new Random(SEED);
    const stats: Stats = { versions: 0, documents: 0, edits: 0, bursts: 0, requests: 0, cancelled: 0, reopens: 0 };
    const docs = ['a', 'b', 'c'].map((name) => new OpenDocument(s, pathToFileURL(path.join(workspace!, `${name}.invoke.json`)).href, '', 0));
    const started = performance.now();
    let current: OpenDocument = docs[0]!;
    let step = 'start';
    console.log(`[fuzz] seed ${SEED}, ${ITERATIONS} iterations (reproduce: FUZZ_SEED=${SEED} FUZZ_ITERATIONS=${ITERATIONS} npm run test:fuzz)`);

    /** A document opened with each checked version's text, to compare with: it is parsed from scratch. */
    const reference = new FreshReference(s, pathToFileURL(path.join(workspace!, 'reference.invoke.json')).href);
    /** The diagnostics published for a version must be those of its text opened afresh. */
    const checkSameAsFresh = async (doc: OpenDocument, params: PublishDiagnosticsParams): Promise<void> => {
      const fresh = await reference.diagnosticsOf(doc.text, doc.text.length > 5000 ? LARGE_WAIT_MS : WAIT_MS);
      assert.deepEqual(params.diagnostics, fresh, `the diagnostics of version ${String(params.version)} differ from those of its text opened afresh`);
    };

    /** Sends `send` (which returns the version it produced) and waits for that version's diagnostics. */
    const expect = async (doc: OpenDocument, send: () => number, timeoutMs = WAIT_MS): Promise<void> => {
      const version = doc.version + 1;
      const published = s.published(doc.uri, version, timeoutMs);
      const sent = send();
      assert.equal(sent, version);
      const params = await published;
      checkDiagnostics(doc, params);
      await checkSameAsFresh(doc, params);
      stats.versions++;
    };

    try {
      // The large cases, once each, on their own document so later edits stay cheap.
      const big = new OpenDocument(s, pathToFileURL(path.join(workspace!, 'big.invoke.json')).href, '', 0);
      current = big;
      step = '10 MB single-line string payload';
      const tenMb = `{"functionName": "hello", "payload": "${'x'.repeat(10 * 1024 * 1024)}"}`;
      await expect(big, () => big.open(tenMb), LARGE_WAIT_MS);
      await randomRequests(s, big, rng, stats, 2);
      step = 'edit in the middle of the 10 MB line';
      await expect(big, () => big.change([{ range: big.rangeAt(5_000_000, 5_000_001), text: '\u0000"\uD800' }]), LARGE_WAIT_MS);
      step = '10 MB line of random junk';
      const junk = randomString(rng, 4096).replace(/[\r\n\u2028\u2029]/g, ' ');
      await expect(big, () => big.change([{ range: big.rangeAt(0, big.text.length), text: junk.repeat(Math.ceil((10 * 1024 * 1024) / junk.length)) }]), LARGE_WAIT_MS);
      await randomRequests(s, big, rng, stats, 2);
      step = 'close the 10 MB document';
      const cleared = s.published(big.uri, undefined, WAIT_MS);
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
          await expect(doc, () => doc.change([{ range: doc.rangeAt(0, doc.text.length), text }]), text.length > 5000 ? LARGE_WAIT_MS : WAIT_MS);
          stats.documents++;
        } else if (r < 65) {
          // One didChange with 1–4 edits, each against the text after the previous ones.
          step = `iteration ${i}: one didChange with several edits`;
          await expect(doc, () => {
            // Each edit is drawn against the text the ones before it leave.
            let text = doc.text;
            const edits: OffsetEdit[] = [];
            for (let n = 1 + rng.int(4); n > 0; n--) {
              const edit = randomEdit(rng, text);
              edits.push({ offset: edit.start, remove: edit.end - edit.start, insert: edit.text });
              text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
            }
            return doc.change(doc.rangeChanges(edits));
          });
          stats.edits++;
        } else if (r < 85) {
          // A burst of didChange notifications, with requests in between; diagnostics for the last.
          step = `iteration ${i}: burst of edits`;
          const count = 2 + rng.int(5);
          const last = doc.version + count;
          const published = s.published(doc.uri, last, WAIT_MS);
          const inFlight: Promise<void>[] = [];
          for (let n = 0; n < count; n++) {
            const edit = randomEdit(rng, doc.text);
            doc.change([{ range: doc.rangeAt(edit.start, edit.end), text: edit.text }]);
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
          const cleared = s.published(doc.uri, undefined, WAIT_MS);
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
          await expect(doc, () => doc.change([{ range: doc.rangeAt(edit.start, edit.end), text: edit.text }]));
          stats.edits++;
        }
        step += ', then requests';
        await randomRequests(s, doc, rng, stats);
      }

      step = 'shutdown';
      current = docs[0]!;
      assert.deepEqual(s.errorLogs(), [], 'nothing may be logged at error level');
      // Still serving after it all: shutdown is answered. (That the process then exits on the exit
      // notification is test/lsp/stdio.test.ts's, on the real entry point.)
      await s.shutdown(WAIT_MS);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `[fuzz] seed ${SEED}: ${stats.versions} versions checked (${stats.documents} whole documents, ${stats.edits} edits, ${stats.bursts} bursts, ${stats.reopens} reopens), ` +
          `${stats.requests} requests (${stats.cancelled} cancelled), ${s.publicationCount} publications in ${seconds} s`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The whole last document, JSON-escaped so control characters and lone surrogates survive.
      const saved = path.join(os.tmpdir(), `lambda-invoke-fuzz-${SEED}.json`);
      await writeFile(saved, JSON.stringify({ seed: SEED, step, uri: current.uri, version: current.version, text: current.text }));
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
