/**
 * The language server as an editor sees it, over LSP: diagnostics with codes, ranges and versions
 * through incremental edits, code lenses with the region from workspace/configuration, hover,
 * completion, quick fixes, document symbols, watched payload files, a 6 MB document (timings
 * printed) and cancellation. The server is built in this process (test/support/inProcessServer.ts);
 * stdio.test.ts proves the same server behind `node dist/server.js --stdio`. Nothing here sleeps:
 * every wait is for a specific message from the server, bounded by a timeout that fails with what
 * was awaited and what the server said.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, unlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { after, before, describe } from 'node:test';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  CompletionRequest,
  ConfigurationRequest,
  RegistrationRequest,
  type Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type DocumentSymbol,
  DocumentSymbolRequest,
  FileChangeType,
  HoverRequest,
  LSPErrorCodes,
  MessageType,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  ResponseError,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import { type LargeDocument, largeInvocationDocument } from '../fixtures/largeDocument';
import { type InProcessServer, buildServer } from '../support/inProcessServer';
import { OpenDocument, completionItems, markdownOf, messageOf, serverTest as lspTest } from '../support/lspClient';

/** The 6 MB document gets more room than the default wait: serialising and shipping it is part of what is measured. */
const LARGE_TIMEOUT_MS = 60_000;
/** A backstop for anything not covered by the waits (such as a request never answered). */
const TEST_TIMEOUT_MS = 180_000;

/** Diagnostics as code and range, in document order, for deepEqual against expectations. */
function codesAndRanges(diagnostics: Diagnostic[]): { code: string; range: Range }[] {
  return diagnostics
    .map((d) => ({ code: String(d.code), range: d.range }))
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function expectDiagnostic(doc: OpenDocument, code: string, needle: string, occurrence = 0): { code: string; range: Range } {
  return { code, range: doc.rangeOf(needle, occurrence) };
}

function bytesText(n: number): string {
  return `${new Intl.NumberFormat('en-US').format(n)} bytes`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// A realistic 6 MB payload (test/fixtures/largeDocument.ts): deterministic, so every run
// measures the same document.
let largeDocument: LargeDocument | undefined;

/** The same ~6 MB document for every test that needs one, generated once. */
function large(): LargeDocument {
  largeDocument ??= largeInvocationDocument(6_000_000);
  return largeDocument;
}

let server: InProcessServer | undefined;
let workspace = '';

function lsp(): InProcessServer {
  assert.ok(server, 'the server was not started');
  return server;
}

function fileUri(...segments: string[]): string {
  return pathToFileURL(path.join(workspace, ...segments)).href;
}

/** A test whose failure message carries the server's log. */
const serverTest = (name: string, body: () => Promise<void> | void) => lspTest(name, () => server, body, TEST_TIMEOUT_MS);

void describe('language server (in process): what an editor sees over LSP', () => {
  before(async () => {
    workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-lsp-')));
    await mkdir(path.join(workspace, 'tests'));
    await mkdir(path.join(workspace, 'events'));
    server = await buildServer({
      workspaceFolders: [workspace],
      configuration: { region: 'eu-west-1' },
      watchedFiles: true,
      codeLensRefresh: true,
    });
  });

  after(async () => {
    await server?.close();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  serverTest('initialize: incremental sync, code lenses, hover, completion, code actions, document symbols', async () => {
    const capabilities = lsp().initializeResult?.capabilities;
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
    assert.equal(lsp().initializeResult?.serverInfo?.name, 'lambda-invoke');

    // Once initialized, a client that can register watchers is asked to watch JSON files (any may be a payloadFile).
    const params = (await lsp().firstRequest(RegistrationRequest.method)) as { registrations: { method: string; registerOptions?: unknown }[] };
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
});
