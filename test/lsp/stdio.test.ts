/**
 * The smoke test of the real entry point: `node dist/server.js --stdio`, as any editor starts it
 * (the other language server tests build the same server in process). It initializes, reports a
 * mistake file of examples/ read from disk, sends nothing that carries the AWS credentials in its
 * environment (with its trace on, verbose), and ends with code 0 on shutdown and exit.
 * Run after `npm run build`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe } from 'node:test';
import { CodeLensRequest, DiagnosticSeverity, HoverRequest, TextDocumentSyncKind } from 'vscode-languageserver-protocol/node';
import { PACKAGE_VERSION } from '../../src/protocol/packageManifest';
import { type StdioServer, spawnServer } from '../support/lspHarness';
import { OpenDocument, messageOf, serverTest as lspTest } from '../support/lspClient';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const MISTAKE = path.join(EXAMPLES, 'mistakes', 'endpoint-invalid.invoke.json');
/** Fake credentials, distinctive enough that any copy of them in the server's output is found. */
const ACCESS_KEY_ID = 'AKIDLEAKCANARY000001';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYLEAKCANARY01';
const TOKEN = 'FwoGZXIvYXdzLEAKCANARYSESSIONTOKEN0123456789';

let server: StdioServer | undefined;

/** A test whose failure message carries the server's stderr and log. */
const serverTest = (name: string, body: () => Promise<void> | void) => lspTest(name, () => server, body);

function lsp(): StdioServer {
  assert.ok(server, 'the server was not started');
  return server;
}

void describe('language server over stdio (node dist/server.js --stdio)', () => {
  before(async () => {
    server = await spawnServer({
      env: { ...process.env, AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN },
      workspaceFolders: [EXAMPLES],
      trace: 'verbose',
      transcript: true,
    });
  });

  after(() => server?.close());

  serverTest('initialize: the server names itself and its version, and wants incremental sync', () => {
    const result = lsp().initializeResult;
    assert.equal(result?.serverInfo?.name, 'lambda-invoke');
    assert.equal(result?.serverInfo?.version, PACKAGE_VERSION);
    const sync = result?.capabilities.textDocumentSync;
    assert.equal(typeof sync === 'number' ? sync : sync?.change, TextDocumentSyncKind.Incremental);
  });

  serverTest('a mistake file from examples/: its diagnostic, with code, range and version', async () => {
    const doc = new OpenDocument(lsp(), pathToFileURL(MISTAKE).href, readFileSync(MISTAKE, 'utf8'), 3);
    const published = await doc.openAndWait();
    assert.equal(published.version, 3);
    assert.deepEqual(
      published.diagnostics.map((d) => ({ code: d.code, covered: doc.covered(d.range), severity: d.severity })),
      [{ code: 'endpoint-invalid', covered: '"localhost:3001"', severity: DiagnosticSeverity.Error }],
    );
    assert.match(messageOf(published.diagnostics[0]!), /http:\/\/ or https:\/\//);
    // Requests are answered as well: the lenses of its one invocation, and a hover.
    const lenses = await lsp().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc.uri } });
    assert.equal(lenses?.[0]?.command?.title, '▶ Invoke Mistake: an endpoint without http://');
    assert.ok(await lsp().connection.sendRequest(HoverRequest.type, { textDocument: { uri: doc.uri }, position: doc.positionIn('"functionName"', 2) }));
    await doc.closeAndWait();
  });

  serverTest('nothing it sent (log, trace, diagnostics, lenses, hovers) carries the credentials in its environment', () => {
    const everything = lsp().transcript();
    assert.ok(everything.includes('endpoint-invalid'), 'the scan saw the server at work');
    // The trace is on (verbose), so a $/logTrace the server sent would be in the scan too. Today it
    // sends none: the trace an editor shows is written by its client from these very messages.
    assert.ok(!everything.includes(SECRET), 'the secret access key must never appear');
    assert.ok(!everything.includes(TOKEN), 'the session token must never appear');
    assert.ok(!everything.includes(ACCESS_KEY_ID), 'the access key id has no business in what the server sends either');
  });

  serverTest('shutdown, then exit: the process ends with code 0', async () => {
    await lsp().shutdown();
    const { code, signal } = await lsp().exitProcess();
    assert.equal(signal, null);
    assert.equal(code, 0);
  });
});
