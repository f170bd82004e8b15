/**
 * Secrets never leak from the language server: started with known fake AWS credentials in its
 * environment and a verbose trace, it is given documents and requests, and nothing it sends —
 * log messages, traces, diagnostics, lenses, hovers — may contain those credentials.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  CodeLensRequest,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  SetTraceNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';

const SERVER_JS = path.resolve(__dirname, '..', '..', 'dist', 'server.js');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYLEAKCANARY01';
const TOKEN = 'FwoGZXIvYXdzLEAKCANARYSESSIONTOKEN0123456789';

let child: ChildProcessWithoutNullStreams;
let connection: ProtocolConnection;
/** Every message the server sent, serialised, plus its stderr. */
const seen: string[] = [];
/** Resolvers waiting for a document's diagnostics. */
const published = new Map<string, () => void>();

before(async () => {
  child = spawn(process.execPath, [SERVER_JS, '--stdio'], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDLEAKCANARY000001', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN },
    stdio: 'pipe',
  });
  // Everything the server writes, raw: protocol messages, log messages and traces alike.
  child.stdout.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
  connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => published.get(p.uri)?.());
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, trace: 'verbose' });
  await connection.sendNotification(InitializedNotification.type, {});
  await connection.sendNotification(SetTraceNotification.type, { value: 'verbose' });
});

after(async () => {
  await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
  connection.dispose();
  child.kill();
});

test('nothing the server sends carries the credentials in its environment', async () => {
  const uri = 'file:///tmp/secrets/leak.invoke.json';
  const diagnostics = new Promise<void>((resolve) => published.set(uri, resolve));
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'lambda-invoke', version: 1, text: '{"functionName": "hello", "endpoint": "ftp://x", "clientContext": "not base64!", "payload": {"a": 1}}' },
  });
  await diagnostics;
  await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 4 } });
  const everything = seen.join('\n');
  assert.ok(everything.includes('endpoint-invalid'), 'the scan saw the server at work');
  assert.ok(!everything.includes(SECRET), 'the secret access key must never appear');
  assert.ok(!everything.includes(TOKEN), 'the session token must never appear');
});
