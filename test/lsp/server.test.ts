/**
 * End-to-end test of the language server as any editor sees it: `node dist/server.js --stdio`
 * in a child process, spoken to over LSP with vscode-languageserver-protocol. Run after
 * `npm run build`. Nothing here sleeps: every wait is for a specific message from the server,
 * bounded by a timeout that fails with what was awaited and what the server said.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, unlink, writeFile } from 'node:fs/promises';
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
  type CompletionItem,
  CompletionRequest,
  ConfigurationRequest,
  RegistrationRequest,
  type Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type DocumentSymbol,
  DocumentSymbolRequest,
  ExitNotification,
  FileChangeType,
  type Hover,
  HoverRequest,
  type InitializeResult,
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
  ResponseError,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  TextDocumentSyncKind,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { type LargeDocument, largeInvocationDocument } from '../fixtures/largeDocument';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
const LANGUAGE_ID = 'lambda-invoke';
/** How long any single awaited server message may take before the test fails. */
const TIMEOUT_MS = 15_000;
/** The 6 MB document gets more room: serialising and shipping it is part of what is measured. */
const LARGE_TIMEOUT_MS = 60_000;
/** A backstop for anything not covered by the waits above (such as a request never answered). */
const TEST_TIMEOUT_MS = 180_000;

// ---------------------------------------------------------------------------------------
// The server process and what it sends us

const LOG_LEVELS: Readonly<Record<number, string>> = {
  [MessageType.Error]: 'error',
  [MessageType.Warning]: 'warning',
  [MessageType.Info]: 'info',
  [MessageType.Log]: 'log',
  [MessageType.Debug]: 'debug',
};

type ServerMessage =
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'request'; method: string; params: unknown };

interface Waiter {
  what: string;
  accept(message: ServerMessage): boolean;
  reject(error: Error): void;
  /** Stops the timer and forgets the waiter, settling nothing (for teardown). */
  cancel(): void;
}

interface ClientSettings {
  region?: string;
}

class ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly logs: LogMessageParams[] = [];
  readonly publications: PublishDiagnosticsParams[] = [];
  /** What we answer `workspace/configuration` for the `lambdaInvoke` section. */
  settings: ClientSettings = {};
  private stderr = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly waiters = new Set<Waiter>();

  constructor(serverPath: string) {
    this.child = spawn(process.execPath, [serverPath, '--stdio'], { cwd: REPO_ROOT, stdio: 'pipe' });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    // A write after the server died must fail the waiting test, not crash the runner.
    this.child.stdin.on('error', (error) => (this.stderr += `\n[test] writing to the server failed: ${error.message}\n`));
    this.exited = new Promise((resolve) => {
      const ended = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exit) return;
        this.exit = { code, signal };
        for (const waiter of [...this.waiters]) {
          this.waiters.delete(waiter);
          waiter.reject(new Error(`The server exited (code ${code}, signal ${signal}) while the test waited for ${waiter.what}.`));
        }
        // Fails requests still awaiting an answer, instead of leaving them hanging.
        this.connection.dispose();
        resolve({ code, signal });
      };
      this.child.once('exit', ended);
      // A process that could not be started emits 'error' and never 'exit'.
      this.child.once('error', (error) => {
        this.stderr += `\n[test] the server process failed: ${error.message}\n`;
        ended(null, null);
      });
    });

    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.publications.push(params);
      this.dispatch({ kind: 'notification', method: PublishDiagnosticsNotification.method, params });
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
      this.dispatch({ kind: 'notification', method: LogMessageNotification.method, params });
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.dispatch({ kind: 'request', method: ConfigurationRequest.method, params });
      return params.items.map((item) => (item.section === 'lambdaInvoke' ? { ...this.settings } : null));
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.dispatch({ kind: 'request', method: RegistrationRequest.method, params });
    });
    this.connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.dispatch({ kind: 'request', method: CodeLensRefreshRequest.method, params: undefined });
    });
    this.connection.listen();
  }

  /**
   * Resolves with the first message from now on that `pick` maps to a value. Call it before
   * sending whatever should cause the message, then await it.
   */
  waitFor<T>(what: string, pick: (message: ServerMessage) => T | undefined, timeoutMs = TIMEOUT_MS): Promise<T> {
    if (this.exit) {
      return Promise.reject(new Error(`The server has already exited (code ${this.exit.code}); cannot wait for ${what}.`));
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        what,
        accept: (message) => {
          const value = pick(message);
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
        cancel: () => clearTimeout(timer),
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The next publishDiagnostics for `uri` that `accept` takes. */
  diagnostics(uri: string, what: string, accept: (params: PublishDiagnosticsParams) => boolean, timeoutMs = TIMEOUT_MS): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      `publishDiagnostics for ${path.basename(uri)} (${what})`,
      (message) => {
        if (message.method !== PublishDiagnosticsNotification.method) return undefined;
        const params = message.params as PublishDiagnosticsParams;
        return params.uri === uri && accept(params) ? params : undefined;
      },
      timeoutMs,
    );
  }

  /** The next server-to-client request with this method. */
  async request(method: string, timeoutMs = TIMEOUT_MS): Promise<unknown> {
    const found = await this.waitFor(
      `a ${method} request from the server`,
      (message) => (message.kind === 'request' && message.method === method ? { params: message.params } : undefined),
      timeoutMs,
    );
    return found.params;
  }

  /** Everything the server said on stderr and in its log, for a failure message. */
  report(): string {
    const logs = this.logs.slice(-40).map((l) => `[${LOG_LEVELS[l.type] ?? String(l.type)}] ${l.message}`);
    return [
      `--- server stderr (${this.stderr.length} chars) ---`,
      this.stderr.trimEnd() || '(empty)',
      `--- server log (last ${logs.length} of ${this.logs.length} messages) ---`,
      ...(logs.length > 0 ? logs : ['(empty)']),
      `--- server process: ${this.exit ? `exited with code ${this.exit.code}, signal ${this.exit.signal}` : 'running'} ---`,
    ].join('\n');
  }

  /** Teardown: drops every waiter (a failed test may leave one behind) and kills the process. */
  kill(): void {
    for (const waiter of this.waiters) waiter.cancel();
    this.waiters.clear();
    if (this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private dispatch(message: ServerMessage): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.accept(message)) this.waiters.delete(waiter);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Documents: a local mirror of each open document, so expected ranges come from the same text
// the server holds, and every change is sent as an incremental range edit.

class OpenDocument {
  private document: TextDocument;
  /** performance.now() when the last didOpen / didChange was handed to the connection. */
  lastSentAt = 0;

  constructor(
    private readonly server: ServerProcess,
    readonly uri: string,
    text: string,
    version = 1,
  ) {
    this.document = TextDocument.create(uri, LANGUAGE_ID, version, text);
  }

  get text(): string {
    return this.document.getText();
  }

  get version(): number {
    return this.document.version;
  }

  open(): void {
    const textDocument = { uri: this.uri, languageId: LANGUAGE_ID, version: this.version, text: this.text };
    this.lastSentAt = performance.now();
    void this.server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument });
  }

  /** Opens the document and resolves with the diagnostics published for its first version. */
  async openAndWait(timeoutMs = TIMEOUT_MS): Promise<PublishDiagnosticsParams> {
    const published = this.server.diagnostics(this.uri, `didOpen, version ${this.version}`, (p) => p.version === this.version, timeoutMs);
    this.open();
    return published;
  }

  /** Applies range edits (each relative to the text after the ones before it) and sends them. */
  change(changes: { range: Range; text: string }[]): number {
    const version = this.version + 1;
    const contentChanges: TextDocumentContentChangeEvent[] = changes.map((c) => ({ range: c.range, text: c.text }));
    this.document = TextDocument.update(this.document, contentChanges, version);
    this.lastSentAt = performance.now();
    void this.server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri, version },
      contentChanges,
    });
    return version;
  }

  /** Sends the changes and resolves with the diagnostics published for the new version. */
  async changeAndWait(changes: { range: Range; text: string }[], timeoutMs = TIMEOUT_MS): Promise<PublishDiagnosticsParams> {
    const version = this.version + 1;
    const published = this.server.diagnostics(this.uri, `didChange, version ${version}`, (p) => p.version === version, timeoutMs);
    this.change(changes);
    return published;
  }

  /** An edit that replaces the `occurrence`-th (0-based) exact occurrence of `needle`. */
  edit(needle: string, replacement: string, occurrence = 0): { range: Range; text: string } {
    return { range: this.rangeOf(needle, occurrence), text: replacement };
  }

  close(): void {
    void this.server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri } });
  }

  /** Closes the document and resolves once the server has cleared its diagnostics. */
  async closeAndWait(timeoutMs = TIMEOUT_MS): Promise<void> {
    const cleared = this.server.diagnostics(this.uri, 'cleared after didClose', (p) => p.diagnostics.length === 0, timeoutMs);
    this.close();
    await cleared;
  }

  rangeOf(needle: string, occurrence = 0): Range {
    const offset = nthIndexOf(this.text, needle, occurrence);
    return { start: this.document.positionAt(offset), end: this.document.positionAt(offset + needle.length) };
  }

  /** The position `delta` characters into the `occurrence`-th occurrence of `needle`. */
  positionIn(needle: string, delta = 1, occurrence = 0): Position {
    return this.document.positionAt(nthIndexOf(this.text, needle, occurrence) + delta);
  }

  positionAt(offset: number): Position {
    return this.document.positionAt(offset);
  }

  covered(range: Range): string {
    return this.document.getText(range);
  }
}

function nthIndexOf(text: string, needle: string, occurrence: number): number {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times in the document`);
  }
  return offset;
}

/** Diagnostics as code and range, in document order, for deepEqual against expectations. */
function codesAndRanges(diagnostics: Diagnostic[]): { code: string; range: Range }[] {
  return diagnostics
    .map((d) => ({ code: String(d.code), range: d.range }))
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function expectDiagnostic(doc: OpenDocument, code: string, needle: string, occurrence = 0): { code: string; range: Range } {
  return { code, range: doc.rangeOf(needle, occurrence) };
}

/** A diagnostic's message as text (LSP 3.18 also allows MarkupContent). */
function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function bytesText(n: number): string {
  return `${new Intl.NumberFormat('en-US').format(n)} bytes`;
}

function markdownOf(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover, got null');
  const contents = hover.contents;
  assert.ok(typeof contents === 'object' && 'kind' in contents, 'expected MarkupContent');
  assert.equal(contents.kind, MarkupKind.Markdown);
  return contents.value;
}

function completionItems(result: CompletionItem[] | { items: CompletionItem[] } | null): CompletionItem[] {
  if (result === null) return [];
  return Array.isArray(result) ? result : result.items;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// ---------------------------------------------------------------------------------------
// A realistic 6 MB payload (test/fixtures/largeDocument.ts): deterministic, so every run
// measures the same document.

let largeDocument: LargeDocument | undefined;

/** The same ~6 MB document for every test that needs one, generated once. */
function large(): LargeDocument {
  largeDocument ??= largeInvocationDocument(6_000_000);
  return largeDocument;
}

// ---------------------------------------------------------------------------------------

let server: ServerProcess | undefined;
let workspace = '';
let workspaceUri = '';
let initializeResult: InitializeResult | undefined;
let firstRegistration: Promise<unknown> | undefined;

function lsp(): ServerProcess {
  assert.ok(server, 'the server was not started');
  return server;
}

function fileUri(...segments: string[]): string {
  return pathToFileURL(path.join(workspace, ...segments)).href;
}

/** `promise`, or a failure naming `what` when it takes longer than `timeoutMs`. */
function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A test whose failure message carries the server's stderr and log. */
function serverTest(name: string, body: () => Promise<void> | void): void {
  void it(name, { timeout: TEST_TIMEOUT_MS }, async () => {
    try {
      await body();
    } catch (error) {
      throw withServerOutput(error);
    }
  });
}

function withServerOutput(error: unknown): Error {
  const report = server ? server.report() : '(the server was not started)';
  if (error instanceof Error) {
    // Read the stack before touching the message: V8 formats it on first access.
    const stack = error.stack;
    error.message = `${error.message}\n${report}`;
    if (stack) error.stack = `${stack}\n${report}`;
    return error;
  }
  return new Error(`${String(error)}\n${report}`);
}

void describe('language server over stdio (node dist/server.js --stdio)', () => {
  before(async () => {
    try {
      assert.ok(existsSync(SERVER_JS), `${SERVER_JS} is missing: run \`npm run build\` before \`npm run test:lsp\`.`);
      workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-lsp-')));
      workspaceUri = pathToFileURL(workspace).href;
      await mkdir(path.join(workspace, 'tests'));
      await mkdir(path.join(workspace, 'events'));

      server = new ServerProcess(SERVER_JS);
      server.settings = { region: 'eu-west-1' };
      initializeResult = await withTimeout(server.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: 'lambda-invoke lsp test' },
        rootUri: workspaceUri,
        workspaceFolders: [{ uri: workspaceUri, name: path.basename(workspace) }],
        capabilities: {
          workspace: {
            configuration: true,
            codeLens: { refreshSupport: true },
            workspaceFolders: true,
            didChangeWatchedFiles: { dynamicRegistration: true },
            didChangeConfiguration: { dynamicRegistration: false },
          },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: false, willSave: false },
            publishDiagnostics: { versionSupport: true, dataSupport: true, relatedInformation: false },
            hover: { contentFormat: [MarkupKind.Markdown, MarkupKind.PlainText] },
            completion: { completionItem: { snippetSupport: true, documentationFormat: [MarkupKind.Markdown] } },
            codeLens: {},
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
            documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          },
        },
      }), 'the initialize response');
      // Once initialized, the server asks to watch JSON files (any may be a payloadFile).
      firstRegistration = server.request(RegistrationRequest.method);
      // Only the first test awaits it; a run that skips that test must not see an unhandled rejection.
      firstRegistration.catch(() => undefined);
      await server.connection.sendNotification(InitializedNotification.type, {});
    } catch (error) {
      throw withServerOutput(error);
    }
  }, { timeout: TEST_TIMEOUT_MS });

  after(async () => {
    server?.connection.dispose();
    server?.kill();
    await server?.exited;
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  serverTest('initialize: incremental sync, code lenses, hover, completion, code actions, document symbols', async () => {
    const capabilities = initializeResult?.capabilities;
    assert.ok(capabilities, 'initialize returned no capabilities');
    const sync = capabilities.textDocumentSync;
    const syncKind = typeof sync === 'number' ? sync : sync?.change;
    assert.equal(syncKind, TextDocumentSyncKind.Incremental, 'text document sync must be incremental');
    if (typeof sync === 'object') assert.equal(sync.openClose, true, 'the server must want didOpen/didClose');
    assert.ok(capabilities.codeLensProvider, 'codeLensProvider');
    assert.ok(capabilities.hoverProvider, 'hoverProvider');
    assert.ok(capabilities.completionProvider, 'completionProvider');
    assert.ok(capabilities.codeActionProvider, 'codeActionProvider');
    assert.ok(capabilities.documentSymbolProvider, 'documentSymbolProvider');
    assert.equal(initializeResult?.serverInfo?.name, 'lambda-invoke');

    // workspace.configuration: true → the server pulls the lambdaInvoke section.
    const params = (await firstRegistration) as { registrations: { method: string; registerOptions?: unknown }[] };
    assert.deepEqual(
      params.registrations.map((r) => [r.method, r.registerOptions]),
      [['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/*.json' }] }]],
    );
  });

  serverTest('didOpen of an invalid file publishes one diagnostic per problem, with code, range and version', async () => {
    const doc = new OpenDocument(
      lsp(),
      fileUri('tests', 'broken.invoke.json'),
      [
        '{',
        '  "functionName": "my function",',
        '  "invocationType": "Sometimes",',
        '  "clientContext": "not base64!",',
        '  "tenantId": "",',
        '  "endpoint": "ftp://example.com",',
        '  "colour": "blue"',
        '}',
        '',
      ].join('\n'),
      7,
    );
    const published = await doc.openAndWait();
    assert.equal(published.version, 7, 'the publish carries the version of the document it was computed for');
    assert.deepEqual(codesAndRanges(published.diagnostics), [
      expectDiagnostic(doc, 'function-name-invalid', '"my function"'),
      expectDiagnostic(doc, 'schema', '"Sometimes"'),
      expectDiagnostic(doc, 'client-context-not-base64', '"not base64!"'),
      expectDiagnostic(doc, 'tenant-id-invalid', '""'),
      expectDiagnostic(doc, 'endpoint-invalid', '"ftp://example.com"'),
      expectDiagnostic(doc, 'schema', '"colour"'),
    ]);
    for (const d of published.diagnostics) {
      assert.equal(d.source, 'lambda-invoke', `source of ${String(d.code)}`);
      assert.equal(d.severity, DiagnosticSeverity.Error, `severity of ${String(d.code)}`);
      assert.ok(messageOf(d).length > 20, `a message that says what to do, for ${String(d.code)}`);
    }
    const byCovered = new Map(published.diagnostics.map((d) => [doc.covered(d.range), messageOf(d)]));
    assert.match(byCovered.get('"Sometimes"') ?? '', /"RequestResponse", "Event", "DryRun"/);
    assert.match(byCovered.get('"colour"') ?? '', /Unknown property "colour"/);

    // Strict JSON: a trailing comma is a json-syntax error on the comma itself.
    const syntax = new OpenDocument(lsp(), fileUri('tests', 'syntax.invoke.json'), '{\n  "functionName": "f",\n  "payload": {"a": 1,}\n}\n');
    const syntaxPublished = await syntax.openAndWait();
    assert.deepEqual(codesAndRanges(syntaxPublished.diagnostics), [expectDiagnostic(syntax, 'json-syntax', ',', 1)]);
    assert.match(messageOf(syntaxPublished.diagnostics[0]!), /[Tt]railing comma/);

    // didClose clears what was published for a document.
    await doc.closeAndWait();
    await syntax.closeAndWait();
  });

  serverTest('incremental didChange: invocationType re-evaluates the payload limit; each publish carries its version', async () => {
    // 600,000 two-byte characters: 1.2 MB of UTF-8, fewer UTF-16 characters than bytes.
    const payload = `{"blob": "${'é'.repeat(600_000)}", "n": 12345678901234567890}`;
    const payloadBytes = Buffer.byteLength(payload, 'utf8');
    const doc = new OpenDocument(
      lsp(),
      fileUri('tests', 'big.invoke.json'),
      [
        '{',
        '  "name": "big",',
        '  "functionName": "arn:aws:lambda:us-west-2:123456789012:function:ingest",',
        '  "invocationType": "RequestResponse",',
        `  "payload": ${payload}`,
        '}',
        '',
      ].join('\n'),
    );
    const opened = await doc.openAndWait();
    assert.deepEqual(opened.diagnostics, [], '1.2 MB is within the synchronous limit');

    // RequestResponse → Event: the same payload is now over the 1 MB asynchronous limit.
    const asEvent = await doc.changeAndWait([doc.edit('RequestResponse', 'Event')]);
    assert.equal(asEvent.version, 2);
    assert.deepEqual(codesAndRanges(asEvent.diagnostics), [expectDiagnostic(doc, 'payload-too-large', '"payload"')]);
    const tooLarge = messageOf(asEvent.diagnostics[0]!);
    assert.ok(tooLarge.includes(bytesText(payloadBytes)), `message names the exact size: ${tooLarge}`);
    assert.ok(tooLarge.includes(bytesText(1_048_576)), `message names the limit: ${tooLarge}`);

    // Hover on the payload: the exact byte size against the Event limit.
    const hover = await lsp().connection.sendRequest(HoverRequest.type, { textDocument: { uri: doc.uri }, position: doc.positionIn('"payload"') });
    const markdown = markdownOf(hover);
    assert.ok(markdown.includes(bytesText(payloadBytes)), `hover shows ${bytesText(payloadBytes)}: ${markdown}`);
    assert.match(markdown, /asynchronous \(Event\)/);

    // Fixed: DryRun has the synchronous limit again.
    const fixed = await doc.changeAndWait([doc.edit('"Event"', '"DryRun"')]);
    assert.equal(fixed.version, 3);
    assert.deepEqual(fixed.diagnostics, []);

    // Two edits in one didChange, each relative to the text after the one before: add
    // "logType": "Tail" above invocationType, then make it an Event.
    const insertAt = doc.positionIn('  "invocationType"', 0);
    const dryRun = doc.rangeOf('"DryRun"');
    const oneLineDown = (p: Position): Position => ({ line: p.line + 1, character: p.character });
    const twoEdits = await doc.changeAndWait([
      { range: { start: insertAt, end: insertAt }, text: '  "logType": "Tail",\n' },
      { range: { start: oneLineDown(dryRun.start), end: oneLineDown(dryRun.end) }, text: '"Event"' },
    ]);
    assert.equal(twoEdits.version, 4);
    // The mirror applied the same edits, so the expected ranges come from the server's text.
    assert.deepEqual(codesAndRanges(twoEdits.diagnostics), [
      expectDiagnostic(doc, 'async-ignores-log-tail', '"logType"'),
      expectDiagnostic(doc, 'payload-too-large', '"payload"'),
    ]);
    const logTail = twoEdits.diagnostics.find((d) => d.code === 'async-ignores-log-tail')!;
    assert.equal(logTail.severity, DiagnosticSeverity.Warning);

    // The quick fix for it removes the logType line; applying its edit clears the warning.
    const actions = await lsp().connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: doc.uri },
      range: logTail.range,
      context: { diagnostics: [logTail] },
    });
    const removeLogType = (actions ?? []).find((a) => 'title' in a && a.title.includes('logType'));
    assert.ok(removeLogType && 'edit' in removeLogType && removeLogType.edit?.changes, `a quick fix that removes logType; got ${JSON.stringify(actions)}`);
    const edits = removeLogType.edit.changes[doc.uri];
    assert.ok(edits && edits.length > 0, 'the quick fix edits this document');
    // TextEdits of one WorkspaceEdit refer to the original text: apply them from the end.
    const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    const applied = await doc.changeAndWait(ordered.map((e) => ({ range: e.range, text: e.newText })));
    assert.ok(!doc.text.includes('logType'), 'the quick fix removed the logType property');
    assert.deepEqual(codesAndRanges(applied.diagnostics), [expectDiagnostic(doc, 'payload-too-large', '"payload"')]);

    // A burst: two versions sent back to back. The server may skip the first, but whatever it
    // publishes must be right for the version it names, and the newest version comes last.
    const firstVersion = doc.version + 1;
    const newest = firstVersion + 1;
    const fromBurst = lsp().publications.length;
    const newestPublished = lsp().diagnostics(doc.uri, `the newest version ${newest} of a burst`, (p) => p.version === newest);
    doc.change([doc.edit('"Event"', '"RequestResponse"')]); // fixes it
    doc.change([doc.edit('"RequestResponse"', '"Event"')]); // breaks it again
    const last = await newestPublished;
    assert.deepEqual(last.diagnostics.map((d) => d.code), ['payload-too-large']);
    const burst = lsp().publications.slice(fromBurst).filter((p) => p.uri === doc.uri);
    for (const p of burst) {
      assert.ok(p.version === firstVersion || p.version === newest, `a publish for a version that was sent: ${p.version}`);
      if (p.version === firstVersion) assert.deepEqual(p.diagnostics, [], 'the RequestResponse version has no diagnostics');
    }
    assert.equal(burst[burst.length - 1], last, 'the newest version is the last one published');

    // Over the whole test, versions published for this document never go backwards.
    const versions = lsp().publications.filter((p) => p.uri === doc.uri && p.version !== undefined).map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published versions in order: ${versions.join(', ')}`);

    await doc.closeAndWait();
  });

  serverTest('code lenses, document symbols, hover and completion', async () => {
    const doc = new OpenDocument(
      lsp(),
      fileUri('tests', 'lenses.invoke.json'),
      [
        '[',
        '  {',
        '    "name": "Say hello",',
        '    "functionName": "greeter",',
        '    "payload": {"who": "world"}',
        '  },',
        '  {',
        '    "functionName": "arn:aws:lambda:us-west-2:123456789012:function:ingest:prod",',
        '    "invocationType": "Event",',
        '    "payload": [1, 2, 3]',
        '  }',
        ']',
        '',
      ].join('\n'),
    );
    const opened = await doc.openAndWait();
    assert.deepEqual(opened.diagnostics, []);

    // Settings are read per document (the region may differ per folder).
    const configuration = lsp().request(ConfigurationRequest.method);
    const lenses = await lsp().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc.uri } });
    assert.ok(lenses);
    assert.deepEqual(await configuration, { items: [{ scopeUri: doc.uri, section: 'lambdaInvoke' }] });
    const first = doc.positionIn('{', 0, 0);
    const second = doc.positionIn('{', 0, 2);
    assert.deepEqual(
      lenses.map((l) => ({ line: l.range.start.line, character: l.range.start.character, title: l.command?.title, command: l.command?.command, arguments: l.command?.arguments })),
      [
        { ...first, title: '▶ Invoke Say hello', command: 'lambdaInvoke.invoke', arguments: [{ uri: doc.uri, index: 0 }] },
        { ...first, title: 'Dry Run', command: 'lambdaInvoke.dryRun', arguments: [{ uri: doc.uri, index: 0 }] },
        // No region in the file or the name: the lambdaInvoke.region setting, from workspace/configuration.
        { ...first, title: 'sync · 16 B of 6 MB · eu-west-1', command: '', arguments: undefined },
        { ...second, title: '▶ Invoke arn:aws:lambda:us-west-2:123456789012:function:ingest:prod', command: 'lambdaInvoke.invoke', arguments: [{ uri: doc.uri, index: 1 }] },
        { ...second, title: 'Dry Run', command: 'lambdaInvoke.dryRun', arguments: [{ uri: doc.uri, index: 1 }] },
        // The ARN's region wins over the setting.
        { ...second, title: 'async · 9 B of 1 MB · us-west-2', command: '', arguments: undefined },
      ],
    );
    // Arguments survive JSON: they are plain data any client can pass back.
    assert.deepEqual(JSON.parse(JSON.stringify(lenses[0]!.command!.arguments)), [{ uri: doc.uri, index: 0 }]);

    // A settings change: the server pulls the configuration again and asks for a lens refresh.
    lsp().settings = { region: 'ap-south-1' };
    const refreshed = lsp().request(CodeLensRefreshRequest.method);
    await lsp().connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await refreshed;
    const afterRefresh = await lsp().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc.uri } });
    assert.equal(afterRefresh?.[2]?.command?.title, 'sync · 16 B of 6 MB · ap-south-1');
    lsp().settings = { region: 'eu-west-1' };
    const restored = lsp().request(CodeLensRefreshRequest.method);
    await lsp().connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await restored;

    const symbols = (await lsp().connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: doc.uri } })) as DocumentSymbol[] | null;
    assert.deepEqual(
      symbols?.map((s) => s.name),
      ['Say hello', 'arn:aws:lambda:us-west-2:123456789012:function:ingest:prod'],
    );

    // Hover on functionName shows the parsed ARN; on payload, the exact bytes of the source text.
    const fnHover = markdownOf(
      await lsp().connection.sendRequest(HoverRequest.type, { textDocument: { uri: doc.uri }, position: doc.positionIn('arn:aws', 3) }),
    );
    assert.match(fnHover, /\| Region \| `us-west-2` \|/);
    assert.match(fnHover, /\| Account \| `123456789012` \|/);
    assert.match(fnHover, /\| Qualifier \| `prod` \|/);
    const payloadHover = markdownOf(
      await lsp().connection.sendRequest(HoverRequest.type, { textDocument: { uri: doc.uri }, position: doc.positionIn('"payload"', 2, 0) }),
    );
    assert.ok(payloadHover.includes('**16 bytes**'), payloadHover);

    await doc.closeAndWait();

    // Completion: property names not yet present, with snippets; enum values of invocationType.
    const typing = new OpenDocument(lsp(), fileUri('tests', 'typing.invoke.json'), '{\n  "functionName": "f",\n  ""\n}\n');
    await typing.openAndWait();
    const keys = completionItems(
      await lsp().connection.sendRequest(CompletionRequest.type, { textDocument: { uri: typing.uri }, position: typing.positionIn('""', 1) }),
    );
    const labels = keys.map((k) => k.label);
    for (const expected of ['name', 'qualifier', 'invocationType', 'logType', 'clientContext', 'payload', 'payloadFile', 'region', 'endpoint']) {
      assert.ok(labels.includes(expected), `completion offers ${expected}; got ${labels.join(', ')}`);
    }
    assert.ok(!labels.includes('functionName'), 'a property already present is not offered again');
    const invocationType = keys.find((k) => k.label === 'invocationType');
    assert.ok(invocationType?.textEdit && 'newText' in invocationType.textEdit);
    assert.equal(invocationType.textEdit.newText, '"invocationType": "${1|RequestResponse,Event,DryRun|}"');

    const enumDoc = new OpenDocument(lsp(), fileUri('tests', 'enum.invoke.json'), '{\n  "functionName": "f",\n  "invocationType": ""\n}\n');
    await enumDoc.openAndWait();
    const values = completionItems(
      await lsp().connection.sendRequest(CompletionRequest.type, { textDocument: { uri: enumDoc.uri }, position: enumDoc.positionIn('""', 1) }),
    );
    assert.deepEqual(
      values.map((v) => v.label),
      ['RequestResponse', 'Event', 'DryRun'],
    );
    await typing.closeAndWait();
    await enumDoc.closeAndWait();
  });

  serverTest('payloadFile on disk: watched-file events update the diagnostics of the documents that use it', async () => {
    const payloadPath = path.join(workspace, 'events', 'order.json');
    const payloadUri = pathToFileURL(payloadPath).href;
    const valid = '{"orderId": 42, "items": ["a", "b"]}';
    await writeFile(payloadPath, valid);
    const doc = new OpenDocument(
      lsp(),
      fileUri('tests', 'order.invoke.json'),
      '{\n  "functionName": "orders",\n  "payloadFile": "../events/order.json"\n}\n',
    );
    const opened = await doc.openAndWait();
    assert.deepEqual(opened.diagnostics, []);
    const lenses = await lsp().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc.uri } });
    assert.equal(lenses?.[2]?.command?.title, `sync · ${Buffer.byteLength(valid)} B of 6 MB from ../events/order.json · eu-west-1`);

    const watched = async (type: FileChangeType, what: string, accept: (p: PublishDiagnosticsParams) => boolean) => {
      const published = lsp().diagnostics(doc.uri, what, accept);
      await lsp().connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: payloadUri, type }] });
      return published;
    };

    // Rewritten on disk as invalid JSON.
    await writeFile(payloadPath, '{"orderId": 42, "items": ["a", "b"]');
    const notJson = await watched(FileChangeType.Changed, 'payload-file-not-json', (p) => p.diagnostics.length > 0);
    assert.equal(notJson.version, 1, 'the document itself did not change');
    assert.deepEqual(codesAndRanges(notJson.diagnostics), [expectDiagnostic(doc, 'payload-file-not-json', '"../events/order.json"')]);

    // Deleted.
    await unlink(payloadPath);
    const missing = await watched(FileChangeType.Deleted, 'payload-file-missing', (p) => p.diagnostics.some((d) => d.code === 'payload-file-missing'));
    assert.deepEqual(codesAndRanges(missing.diagnostics), [expectDiagnostic(doc, 'payload-file-missing', '"../events/order.json"')]);

    // Created again, valid.
    await writeFile(payloadPath, valid);
    await watched(FileChangeType.Created, 'cleared after the file is created', (p) => p.diagnostics.length === 0);

    // Made too large for an Event invocation (the limit applies to payload files too).
    const big = JSON.stringify({ data: 'x'.repeat(1_100_000) });
    await writeFile(payloadPath, big);
    await watched(FileChangeType.Changed, 'still valid for RequestResponse', (p) => p.diagnostics.length === 0);
    const asEvent = await doc.changeAndWait([
      { range: { start: doc.positionIn('  "payloadFile"', 0), end: doc.positionIn('  "payloadFile"', 0) }, text: '  "invocationType": "Event",\n' },
    ]);
    assert.deepEqual(codesAndRanges(asEvent.diagnostics), [expectDiagnostic(doc, 'payload-too-large', '"../events/order.json"')]);
    const tooLarge = messageOf(asEvent.diagnostics[0]!);
    assert.ok(tooLarge.includes(bytesText(Buffer.byteLength(big))), tooLarge);

    // A path that leaves the workspace is refused without being read.
    const outside = await doc.changeAndWait([doc.edit('"../events/order.json"', '"../../outside.json"')]);
    assert.deepEqual(codesAndRanges(outside.diagnostics), [expectDiagnostic(doc, 'payload-file-outside-workspace', '"../../outside.json"')]);

    await doc.closeAndWait();
  });

  serverTest('requests for a document the server does not have return their fallback, not an error', async () => {
    const uri = fileUri('tests', 'never-opened.invoke.json');
    const textDocument = { uri };
    const position = { line: 0, character: 1 };
    const range = { start: position, end: position };
    assert.equal(await lsp().connection.sendRequest(HoverRequest.type, { textDocument, position }), null);
    assert.deepEqual(await lsp().connection.sendRequest(CodeLensRequest.type, { textDocument }), []);
    assert.deepEqual(completionItems(await lsp().connection.sendRequest(CompletionRequest.type, { textDocument, position })), []);
    assert.deepEqual(await lsp().connection.sendRequest(DocumentSymbolRequest.type, { textDocument }), []);
    assert.deepEqual(await lsp().connection.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics: [] } }), []);
  });

  serverTest('a 6 MB document: didOpen → diagnostics and single-character edits (timings printed)', async () => {
    const { text, payloadBytes } = large();
    const bytes = Buffer.byteLength(text);
    assert.ok(payloadBytes > 5_500_000 && payloadBytes <= 6_291_456, `the generated payload is ${payloadBytes} bytes`);
    const doc = new OpenDocument(lsp(), fileUri('tests', 'large.invoke.json'), text);

    const openPublished = lsp().diagnostics(doc.uri, 'didOpen of the 6 MB document', (p) => p.version === 1, LARGE_TIMEOUT_MS);
    doc.open();
    const openStart = doc.lastSentAt;
    const opened = await openPublished;
    const openMs = performance.now() - openStart;
    assert.deepEqual(opened.diagnostics, [], 'the 6 MB payload is within the synchronous limit');

    // Type into a string in the middle of the payload, one character per didChange, waiting
    // for each version's diagnostics before the next keystroke.
    const notes = '"notes": "Leave at the door';
    let offset = text.indexOf(notes, Math.floor(text.length / 2)) + notes.length;
    const typed = 'Knock twice';
    const samples: number[] = [];
    for (const ch of typed) {
      const at = doc.positionAt(offset);
      const version = doc.version + 1;
      const published = lsp().diagnostics(doc.uri, `edit to version ${version}`, (p) => p.version === version, LARGE_TIMEOUT_MS);
      doc.change([{ range: { start: at, end: at }, text: ch }]);
      const sentAt = doc.lastSentAt;
      const result = await published;
      samples.push(performance.now() - sentAt);
      assert.deepEqual(result.diagnostics, []);
      offset += ch.length;
    }
    assert.ok(doc.text.includes(`"notes": "Leave at the door${typed}`), 'the edits landed where intended');

    // A big file is still checked exactly: one byte over the synchronous limit is caught.
    const sizeNow = payloadBytes + Buffer.byteLength(typed);
    const at = doc.positionAt(offset);
    const over = await doc.changeAndWait([{ range: { start: at, end: at }, text: 'x'.repeat(6_291_456 - sizeNow + 1) }], LARGE_TIMEOUT_MS);
    assert.deepEqual(over.diagnostics.map((d) => d.code), ['payload-too-large']);
    assert.ok(messageOf(over.diagnostics[0]!).includes(bytesText(6_291_457)), messageOf(over.diagnostics[0]!));

    const lensStart = performance.now();
    const lenses = await lsp().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc.uri } });
    const lensMs = performance.now() - lensStart;
    assert.equal(lenses?.length, 3);

    const round = (ms: number) => ms.toFixed(1);
    console.log(
      `[timing] 6 MB document: ${bytes.toLocaleString('en-US')} bytes, ${doc.positionAt(text.length).line + 1} lines, ` +
        `payload ${payloadBytes.toLocaleString('en-US')} bytes`,
    );
    console.log(`[timing] didOpen → publishDiagnostics: ${round(openMs)} ms`);
    console.log(
      `[timing] single-character incremental didChange → publishDiagnostics: median ${round(median(samples))} ms over ${samples.length} edits ` +
        `(min ${round(Math.min(...samples))}, max ${round(Math.max(...samples))}; all: ${samples.map(round).join(', ')})`,
    );
    console.log(`[timing] codeLens request on it: ${round(lensMs)} ms`);

    await doc.closeAndWait(LARGE_TIMEOUT_MS);
  });

  serverTest('a cancelled request is answered RequestCancelled and the server stays healthy', async () => {
    // The server is kept busy re-validating a 6 MB document, so a request and its
    // $/cancelRequest both arrive before it gets to the request: the outcome is certain.
    const busy = new OpenDocument(lsp(), fileUri('tests', 'busy.invoke.json'), large().text);
    await busy.openAndWait(LARGE_TIMEOUT_MS);
    const params = { textDocument: { uri: busy.uri }, position: busy.positionIn('"functionName"', 2) };

    const busyVersion = busy.version + 1;
    const revalidated = lsp().diagnostics(busy.uri, 'the edit that keeps the server busy', (p) => p.version === busyVersion, LARGE_TIMEOUT_MS);
    busy.change([busy.edit('"Orders batch"', '"Orders batch 2"')]);
    const source = new CancellationTokenSource();
    const hover = lsp().connection.sendRequest(HoverRequest.type, params, source.token);
    source.cancel();
    await assert.rejects(hover, (error: unknown) => {
      assert.ok(error instanceof ResponseError, `a ResponseError, got ${String(error)}`);
      assert.equal(error.code, LSPErrorCodes.RequestCancelled);
      return true;
    });
    await revalidated;

    // Cancelled right after it was sent to an idle server, which may already have answered:
    // the outcome is RequestCancelled or the normal result, never another error.
    const late = new CancellationTokenSource();
    const pending = lsp().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: busy.uri } }, late.token);
    late.cancel();
    try {
      const lenses = await pending;
      assert.ok(Array.isArray(lenses), 'an uncancelled answer is the lenses');
    } catch (error) {
      assert.ok(error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled, `RequestCancelled, got ${String(error)}`);
    }

    // Still healthy: the same request is answered, and edits are validated.
    assert.match(markdownOf(await lsp().connection.sendRequest(HoverRequest.type, params)), /\| Name \| `orders-ingest` \|/);
    const changed = await busy.changeAndWait([busy.edit('"orders-ingest:live"', '"orders ingest"')], LARGE_TIMEOUT_MS);
    assert.deepEqual(codesAndRanges(changed.diagnostics), [expectDiagnostic(busy, 'function-name-invalid', '"orders ingest"')]);
    await busy.closeAndWait(LARGE_TIMEOUT_MS);
  });

  serverTest('no handler failed during the session (nothing logged at error level)', () => {
    const errors = lsp().logs.filter((l) => l.type === MessageType.Error);
    assert.deepEqual(errors, []);
  });

  serverTest('shutdown, then exit: the process ends with code 0', async () => {
    await lsp().connection.sendRequest(ShutdownRequest.type);
    const exited = withTimeout(lsp().exited, 'the process to exit after the exit notification');
    await lsp().connection.sendNotification(ExitNotification.type);
    const { code, signal } = await exited;
    assert.equal(signal, null);
    assert.equal(code, 0);
  });
});
