/**
 * The floor for any language server of `.invoke.json` files, the peer bench/lsp.ts measures the
 * real server against: a real LSP server (vscode-languageserver over stdio, incremental document
 * sync) that does the least any validator must do per edit — apply the edit to its copy of the
 * document, run V8's `JSON.parse` on the whole text, and publish (empty) diagnostics for that
 * version. It publishes synchronously, as soon as the edit is applied: no scheduling, no tree,
 * no schema. Plain JavaScript, so no transpiler sits between it and V8.
 *
 *   node bench/peers/floorServer.mjs --stdio
 */
import { TextDocumentSyncKind, TextDocuments, createConnection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const connection = createConnection();
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'floor-server', version: '1.0.0' },
}));

/** Parses the document as JSON (the one check no validator can skip) and publishes for its version. */
function validate(document) {
  try {
    JSON.parse(document.getText());
  } catch {
    // A syntax error would be a diagnostic; the floor only needs to have looked.
  }
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [] });
}

// Fired for didOpen and for every didChange, after the edit has been applied.
documents.onDidChangeContent((event) => validate(event.document));
documents.onDidClose((event) => void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }));

documents.listen(connection);
connection.listen();
