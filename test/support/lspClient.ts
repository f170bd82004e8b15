/**
 * The client side of the language server tests: one small LSP client over any message transport.
 * It records what the server sends (diagnostics, log messages, traces, its own requests), waits
 * for a specific message without sleeping (every wait bounded by a timeout that says what was
 * awaited), answers `workspace/configuration` and the custom requests a test gives answers for
 * (counting each), and mirrors open documents so that expected ranges
 * come from the very text the server holds. lspHarness.ts runs it against
 * `node dist/server.js --stdio`, inProcessServer.ts against startServer in this process; tests use
 * the same API either way.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type ClientCapabilities,
  CodeLensRefreshRequest,
  type CompletionItem,
  ConfigurationRequest,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type Hover,
  type InitializeParams,
  InitializeRequest,
  type InitializeResult,
  InitializedNotification,
  type LogMessageParams,
  LogMessageNotification,
  LogTraceNotification,
  type LogTraceParams,
  MarkupKind,
  type MessageReader,
  type MessageWriter,
  MessageType,
  type Position,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  type Range,
  RegistrationRequest,
  SetTraceNotification,
  ShowMessageNotification,
  ShutdownRequest,
  type TextDocumentContentChangeEvent,
  UnregistrationRequest,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { ServerSettings } from '../../src/protocol/messages';

export const LANGUAGE_ID = 'lambda-invoke';
/** How long any one awaited server message may take before the test fails. */
export const TIMEOUT_MS = 15_000;
/** Log messages kept for a failure report; error-level ones are all kept (see errorLogs). */
const LOGS_KEPT = 1000;

/**
 * What the client declares and does. Only what a test asks for is declared, so a test that leaves
 * out `watchedFiles` sees a server that never asks to watch files.
 */
export interface ServerSetup {
  /** Folders (paths) sent as workspaceFolders, the first also as rootUri; declares workspace.workspaceFolders. */
  workspaceFolders?: string[];
  /** A rootUri without workspace folders, as an editor without folder support opens a folder. */
  rootPath?: string;
  /** The `lambdaInvoke` section answered to workspace/configuration; declares workspace.configuration. */
  configuration?: ServerSettings;
  /** Declares dynamic registration of watched files: the server then asks to watch JSON files. */
  watchedFiles?: boolean;
  /** Declares workspace/codeLens/refresh support: the server then asks for it when settings or files change. */
  codeLensRefresh?: boolean;
  /** Turns the server's protocol trace on ($/logTrace), from initialize on. */
  trace?: 'messages' | 'verbose';
  /** Keeps every byte the server writes, for `transcript()` (a scan for what must never be sent). */
  transcript?: boolean;
  /** Every wait fails as soon as the server logs at error level, instead of at its timeout. */
  failOnErrorLog?: boolean;
  /** Keeps every publishDiagnostics in `publications` (a long fuzz run keeps only `latest`). */
  keepPublications?: boolean;
  /** Sent as `initializationOptions` (e.g. `{ accountFacts: true }`, what a client that answers lambdaInvoke/accountFacts says). */
  initializationOptions?: unknown;
  /**
   * Answers to the server's custom requests, by method: each request is recorded in
   * `serverRequests` (count them with `requestsOf`), then answered with what the function returns.
   */
  answers?: Readonly<Record<string, (params: unknown) => unknown>>;
}

/** A message from the server, as waiters see it. */
export type ServerMessage =
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'request'; method: string; params: unknown };

interface Waiter {
  what: string;
  /** Takes a message, settling the wait; false when the message is not the one awaited. */
  accept(message: ServerMessage): boolean;
  fail(error: Error): void;
  /** Stops the timer, settling nothing (teardown). */
  cancel(): void;
}

const LOG_LEVELS: Readonly<Record<number, string>> = {
  [MessageType.Error]: 'error',
  [MessageType.Warning]: 'warning',
  [MessageType.Info]: 'info',
  [MessageType.Log]: 'log',
  [MessageType.Debug]: 'debug',
};

/** The client half of a session with one server. Subclasses own the transport and how it ends. */
export abstract class LspClient {
  readonly connection: ProtocolConnection;
  readonly logs: LogMessageParams[] = [];
  readonly traces: LogTraceParams[] = [];
  /** Every publishDiagnostics so far, oldest first (unless the setup said not to keep them). */
  readonly publications: PublishDiagnosticsParams[] = [];
  /** The newest publishDiagnostics of each URI. */
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  /** Requests the server sent to the client, oldest first. */
  readonly serverRequests: { method: string; params: unknown }[] = [];
  publicationCount = 0;
  /** What the client answers workspace/configuration with for the `lambdaInvoke` section. */
  settings: ServerSettings;
  initializeResult: InitializeResult | undefined;
  private readonly errors: LogMessageParams[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly written: string[] = [];
  /** Why the session ended, once it has. */
  private endedBecause: string | undefined;

  protected constructor(
    reader: MessageReader,
    writer: MessageWriter,
    readonly setup: ServerSetup,
  ) {
    this.settings = { ...setup.configuration };
    this.connection = createProtocolConnection(reader, writer);
    // Every notification and request this server sends; each is recorded, then handed to the waiters.
    for (const type of [PublishDiagnosticsNotification.type, LogMessageNotification.type, LogTraceNotification.type, ShowMessageNotification.type]) {
      this.connection.onNotification(type.method, (params: unknown) => this.notified(type.method, params));
    }
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.requested(ConfigurationRequest.method, params);
      return params.items.map((item) => (item.section === 'lambdaInvoke' ? { ...this.settings } : null));
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => this.requested(RegistrationRequest.method, params));
    this.connection.onRequest(UnregistrationRequest.type, (params) => this.requested(UnregistrationRequest.method, params));
    this.connection.onRequest(CodeLensRefreshRequest.type, () => this.requested(CodeLensRefreshRequest.method, undefined));
    for (const [method, answer] of Object.entries(setup.answers ?? {})) {
      this.connection.onRequest(method, (params: unknown) => {
        this.requested(method, params);
        return answer(params);
      });
    }
    this.connection.listen();
  }

  /** Initialize and initialized, with the capabilities and folders the setup asks for, then the trace. */
  async start(processId: number | null): Promise<this> {
    const folders = this.setup.workspaceFolders;
    const root = folders?.[0] ?? this.setup.rootPath;
    const params: InitializeParams = {
      processId,
      clientInfo: { name: 'lambda-invoke tests' },
      rootUri: root === undefined ? null : pathToFileURL(root).href,
      workspaceFolders: folders?.map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })) ?? null,
      capabilities: clientCapabilities(this.setup),
      ...(this.setup.trace ? { trace: this.setup.trace } : {}),
      ...(this.setup.initializationOptions !== undefined ? { initializationOptions: this.setup.initializationOptions } : {}),
    };
    this.initializeResult = await this.within(this.connection.sendRequest(InitializeRequest.type, params), 'the initialize response');
    await this.connection.sendNotification(InitializedNotification.type, {});
    if (this.setup.trace) await this.connection.sendNotification(SetTraceNotification.type, { value: this.setup.trace });
    return this;
  }

  /** Ends the session and frees what it holds; safe to call more than once. */
  abstract close(): Promise<void>;

  /** What the transport can add to a failure report (a process's stderr, how it ended). */
  protected abstract transportReport(): string[];

  /**
   * Resolves with the first message from now on that `pick` maps to a value. Call it before
   * sending whatever should cause the message, then await it.
   */
  waitFor<T>(what: string, pick: (message: ServerMessage) => T | undefined, timeoutMs = TIMEOUT_MS): Promise<T> {
    return this.wait(what, timeoutMs, (settle) => (message) => {
      const value = pick(message);
      if (value === undefined) return false;
      settle(value);
      return true;
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

  /** The publication for exactly this version of `uri`; undefined: the unversioned clear after a didClose. */
  published(uri: string, version: number | undefined, timeoutMs = TIMEOUT_MS): Promise<PublishDiagnosticsParams> {
    return this.diagnostics(uri, version === undefined ? 'cleared after didClose' : `version ${version}`, (p) => p.version === version, timeoutMs);
  }

  /** The params of the next request the server sends with this method. */
  request(method: string, timeoutMs = TIMEOUT_MS): Promise<unknown> {
    return this.waitFor(
      `a ${method} request from the server`,
      (message) => (message.kind === 'request' && message.method === method ? { params: message.params } : undefined),
      timeoutMs,
    ).then((found) => found.params);
  }

  /** The params of every request with this method the server has sent so far, oldest first. */
  requestsOf(method: string): unknown[] {
    return this.serverRequests.filter((r) => r.method === method).map((r) => r.params);
  }

  /** The params of the first request with this method the server sent, or sends. */
  firstRequest(method: string, timeoutMs = TIMEOUT_MS): Promise<unknown> {
    const sent = this.serverRequests.find((r) => r.method === method);
    return sent ? Promise.resolve(sent.params) : this.request(method, timeoutMs);
  }

  /** `promise`, failing instead when it takes longer than `timeoutMs`, the session ends, or (failOnErrorLog) the server logs an error. */
  within<T>(promise: Promise<T>, what: string, timeoutMs = TIMEOUT_MS): Promise<T> {
    return this.wait(what, timeoutMs, (settle, fail) => {
      promise.then(settle, (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
      return () => false;
    });
  }

  /** Sends shutdown and awaits its answer. */
  async shutdown(timeoutMs = TIMEOUT_MS): Promise<void> {
    await this.within(this.connection.sendRequest(ShutdownRequest.type), 'the shutdown response', timeoutMs);
  }

  /** Every error-level log message of the session. */
  errorLogs(): LogMessageParams[] {
    return [...this.errors];
  }

  /** Everything the server wrote, raw, when the setup asked for a transcript. */
  transcript(): string {
    assert.ok(this.setup.transcript, 'the server was built without { transcript: true }');
    return this.written.join('');
  }

  /** What the server said, for a failure message. */
  report(): string {
    const logs = this.logs.slice(-40).map((l) => `[${LOG_LEVELS[l.type] ?? String(l.type)}] ${l.message.slice(0, 2000)}`);
    return [...this.transportReport(), `--- server log (last ${logs.length} of ${this.logs.length} messages) ---`, ...(logs.length > 0 ? logs : ['(empty)'])].join('\n');
  }

  /** `error` with the server's report appended to its message and stack. */
  withReport(error: unknown): Error {
    const report = this.report();
    if (!(error instanceof Error)) return new Error(`${String(error)}\n${report}`);
    // Read the stack before touching the message: V8 formats it on first access.
    const stack = error.stack;
    error.message = `${error.message}\n${report}`;
    if (stack) error.stack = `${stack}\n${report}`;
    return error;
  }

  /** For subclasses that see the server's raw output. */
  protected recordWritten(chunk: Buffer | string): void {
    if (this.setup.transcript) this.written.push(chunk.toString());
  }

  /** For subclasses: the server is gone; every wait fails now with `why`. */
  protected ended(why: string): void {
    if (this.endedBecause !== undefined) return;
    this.endedBecause = why;
    this.failAll((what) => new Error(`The server ended (${why}) while the test waited for ${what}.`));
  }

  /** Teardown: forgets every wait (a failed test may leave one behind) without settling it. */
  protected dropWaiters(): void {
    for (const waiter of this.waiters) waiter.cancel();
    this.waiters.clear();
  }

  private wait<T>(
    what: string,
    timeoutMs: number,
    make: (settle: (value: T) => void, fail: (error: Error) => void) => (message: ServerMessage) => boolean,
  ): Promise<T> {
    if (this.endedBecause !== undefined) return Promise.reject(new Error(`The server has ended (${this.endedBecause}); cannot wait for ${what}.`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`)), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const settle = (value: T) => (done(), resolve(value));
      const fail = (error: Error) => (done(), reject(error));
      const waiter: Waiter = { what, accept: make(settle, fail), fail, cancel: () => clearTimeout(timer) };
      this.waiters.add(waiter);
    });
  }

  private failAll(error: (what: string) => Error): void {
    for (const waiter of [...this.waiters]) waiter.fail(error(waiter.what));
  }

  private notified(method: string, params: unknown): void {
    if (method === PublishDiagnosticsNotification.method) {
      const published = params as PublishDiagnosticsParams;
      this.publicationCount++;
      this.latest.set(published.uri, published);
      if (this.setup.keepPublications !== false) this.publications.push(published);
    } else if (method === LogMessageNotification.method) {
      const log = params as LogMessageParams;
      this.logs.push(log);
      if (this.logs.length > LOGS_KEPT) this.logs.splice(0, this.logs.length - LOGS_KEPT / 2);
      if (log.type === MessageType.Error) {
        this.errors.push(log);
        if (this.setup.failOnErrorLog) this.failAll(() => new Error(`The server logged an error: ${log.message}`));
      }
    } else if (method === LogTraceNotification.type.method) {
      this.traces.push(params as LogTraceParams);
    }
    this.dispatch({ kind: 'notification', method, params });
  }

  private requested(method: string, params: unknown): void {
    this.serverRequests.push({ method, params });
    this.dispatch({ kind: 'request', method, params });
  }

  private dispatch(message: ServerMessage): void {
    for (const waiter of [...this.waiters]) waiter.accept(message);
  }
}

/** What an editor declares: the text document features always; the workspace ones as the setup asks. */
function clientCapabilities(setup: ServerSetup): ClientCapabilities {
  return {
    workspace: {
      configuration: setup.configuration !== undefined,
      codeLens: { refreshSupport: setup.codeLensRefresh === true },
      workspaceFolders: setup.workspaceFolders !== undefined,
      didChangeWatchedFiles: { dynamicRegistration: setup.watchedFiles === true },
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
  };
}

/** A node:test test whose failure message carries the log (and stderr) of the server `current` returns. */
export function serverTest(name: string, current: () => LspClient | undefined, body: () => Promise<void> | void, timeoutMs?: number): void {
  void it(name, { timeout: timeoutMs }, async () => {
    try {
      await body();
    } catch (error) {
      throw current()?.withReport(error) ?? error;
    }
  });
}

// ---------------------------------------------------------------------------------------
// Documents: a local mirror of each open document, updated with the very changes sent, so
// expected ranges come from the text the server holds.

/** A change by offsets in the text just before it (after the edits before it in the same didChange). */
export interface OffsetEdit {
  offset: number;
  remove?: number;
  insert: string;
}

export class OpenDocument {
  private document: TextDocument;
  isOpen = false;
  /** performance.now() when the last didOpen / didChange was handed to the connection. */
  lastSentAt = 0;

  constructor(
    private readonly client: LspClient,
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

  get lineCount(): number {
    return this.document.lineCount;
  }

  /** Sends didOpen; with `text`, the document is that text at the next version (a reopen). Returns the version sent. */
  open(text?: string): number {
    if (text !== undefined) this.document = TextDocument.create(this.uri, LANGUAGE_ID, this.version + 1, text);
    this.isOpen = true;
    this.lastSentAt = performance.now();
    void this.client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: this.uri, languageId: LANGUAGE_ID, version: this.version, text: this.text },
    });
    return this.version;
  }

  /** Opens the document and resolves with the diagnostics published for the version opened. */
  async openAndWait(timeoutMs = TIMEOUT_MS, text?: string): Promise<PublishDiagnosticsParams> {
    const version = text === undefined ? this.version : this.version + 1;
    const published = this.client.published(this.uri, version, timeoutMs);
    this.open(text);
    return published;
  }

  /** Applies changes (range edits, each relative to the text after the ones before it, or whole texts) and sends them in one didChange. */
  change(changes: TextDocumentContentChangeEvent[]): number {
    const version = this.version + 1;
    this.document = TextDocument.update(this.document, changes, version);
    this.lastSentAt = performance.now();
    void this.client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uri, version }, contentChanges: changes });
    return version;
  }

  /** Sends the changes and resolves with the diagnostics published for the new version. */
  async changeAndWait(changes: TextDocumentContentChangeEvent[], timeoutMs = TIMEOUT_MS): Promise<PublishDiagnosticsParams> {
    const published = this.client.published(this.uri, this.version + 1, timeoutMs);
    this.change(changes);
    return published;
  }

  /** Offset edits as the range changes of one didChange: each against the text the ones before it left. */
  rangeChanges(edits: OffsetEdit[]): TextDocumentContentChangeEvent[] {
    const changes: TextDocumentContentChangeEvent[] = [];
    let scratch = TextDocument.create(this.uri, LANGUAGE_ID, 0, this.text);
    for (const edit of edits) {
      const range = { start: scratch.positionAt(edit.offset), end: scratch.positionAt(edit.offset + (edit.remove ?? 0)) };
      changes.push({ range, text: edit.insert });
      // TextDocument.update changes the document it is given: a scratch copy, or every edit lands twice.
      scratch = TextDocument.update(scratch, [{ range, text: edit.insert }], 0);
    }
    return changes;
  }

  /** An edit that replaces the `occurrence`-th (0-based) exact occurrence of `needle`. */
  edit(needle: string, replacement: string, occurrence = 0): { range: Range; text: string } {
    return { range: this.rangeOf(needle, occurrence), text: replacement };
  }

  close(): void {
    this.isOpen = false;
    void this.client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri } });
  }

  /** Closes the document and resolves once the server has cleared its diagnostics. */
  async closeAndWait(timeoutMs = TIMEOUT_MS): Promise<void> {
    const cleared = this.client.published(this.uri, undefined, timeoutMs);
    this.close();
    const params = await cleared;
    assert.deepEqual(params.diagnostics, [], `a didClose clears the diagnostics of ${path.basename(this.uri)}`);
  }

  rangeOf(needle: string, occurrence = 0): Range {
    const offset = nthIndexOf(this.text, needle, occurrence);
    return this.rangeAt(offset, offset + needle.length);
  }

  rangeAt(start: number, end: number): Range {
    return { start: this.document.positionAt(start), end: this.document.positionAt(end) };
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

  /** One line about the document, for a failure message. */
  describe(): string {
    return `${path.basename(this.uri)} version ${this.version}, ${this.text.length} UTF-16 units, ${this.lineCount} lines, starts ${JSON.stringify(this.text.slice(0, 200))}`;
  }
}

/**
 * A document opened afresh with a given text, and closed again, for what the server publishes
 * for that text with no earlier version to reuse: what an edited document's diagnostics must equal.
 */
export class FreshReference {
  private readonly document: OpenDocument;

  constructor(client: LspClient, uri: string) {
    this.document = new OpenDocument(client, uri, '', 0);
  }

  /** The diagnostics published for `text` opened afresh (each call opens the next version, then closes it). */
  async diagnosticsOf(text: string, timeoutMs = TIMEOUT_MS): Promise<Diagnostic[]> {
    const { diagnostics } = await this.document.openAndWait(timeoutMs, text);
    await this.document.closeAndWait(timeoutMs);
    return diagnostics;
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

// ---------------------------------------------------------------------------------------
// Reading what the server answers

/** A diagnostic's message as text (LSP 3.18 also allows MarkupContent). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** A hover's Markdown; fails the test unless the hover is Markdown. */
export function markdownOf(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover, got null');
  const contents = hover.contents;
  assert.ok(typeof contents === 'object' && 'kind' in contents, 'expected MarkupContent');
  assert.equal(contents.kind, MarkupKind.Markdown);
  return contents.value;
}

export function completionItems(result: CompletionItem[] | { items: CompletionItem[] } | null): CompletionItem[] {
  if (result === null) return [];
  return Array.isArray(result) ? result : result.items;
}
