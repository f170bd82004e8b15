/**
 * The extension-host side of the result-view benchmark (bundled into out/bench/resultView/ and
 * loaded by the workbench as extensionTestsPath). A server in this extension host answers Invoke
 * with a 6 MB JSON payload; each round invokes it and times, from the command to the result tab
 * shown with the payload in it, the whole call and the part after the answer arrived. The peer:
 * VS Code opening the same JSON (as the tab shows it) from a file on disk, timed the same way.
 * The figures go to the file named by LAMBDA_INVOKE_BENCH_RESULTS, one JSON line.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LambdaInvokeApi } from '../../src/client/extension';

const ROUNDS = Number(process.env.LAMBDA_INVOKE_BENCH_ROUNDS ?? 7);

/** A 6 MB response payload: the synchronous limit is 6 MB (6,291,456 bytes) in and out. */
function sixMegabytes(): string {
  const items: string[] = [];
  let length = 2;
  for (let i = 0; length < 6_200_000; i++) {
    const item = `{"id":${i},"sku":"SKU-${String(i).padStart(8, '0')}","price":${(i % 997) + 0.5},"big":1234567890123456789${i % 10},"tags":["a","b","c"]}`;
    items.push(item);
    length += item.length + 1;
  }
  return `{"items":[${items.join(',')}]}`;
}

export async function run(): Promise<void> {
  const resultsFile = process.env.LAMBDA_INVOKE_BENCH_RESULTS;
  if (!resultsFile) throw new Error('LAMBDA_INVOKE_BENCH_RESULTS must name a file');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder === undefined) throw new Error('the benchmark needs a folder open');
  const payload = Buffer.from(sixMegabytes(), 'utf8');
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': `bench-${Date.now()}`, 'x-amz-executed-version': '$LATEST', 'content-length': String(payload.length) });
      response.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const extension = vscode.extensions.getExtension<LambdaInvokeApi>('lambda-invoke.lambda-invoke');
    if (extension === undefined) throw new Error('Lambda Invoke is not installed in this VS Code');
    const file = path.join(folder, 'big-response.invoke.json');
    fs.writeFileSync(file, `${JSON.stringify({ name: 'Six megabytes back', functionName: 'bench', region: 'us-east-1', endpoint, payload: {} }, null, 2)}\n`);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const api = await extension.activate();
    const ours: number[] = [];
    const afterAnswer: number[] = [];
    const peer: number[] = [];
    let shownText = '';
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const shown = new Promise<{ editor: vscode.TextEditor; durationMs: number }>((resolve) => {
        const subscription = api.onDidShowResult(({ state, editor }) => {
          subscription.dispose();
          resolve({ editor, durationMs: state.entry.durationMs });
        });
      });
      await vscode.commands.executeCommand('lambdaInvoke.invoke', { uri: document.uri.toString(), index: 0 });
      // The command resolves once the tab is shown; a call that failed before sending shows none.
      const failed = api.lastResult()?.error;
      if (failed !== undefined) throw new Error(`the invocation failed: ${failed.message}`);
      const { editor, durationMs } = await shown;
      const total = performance.now() - started;
      if (editor.document.getText().length < payload.length) throw new Error(`the result tab holds ${editor.document.getText().length} characters, not the whole payload`);
      shownText = editor.document.getText();
      ours.push(total);
      afterAnswer.push(total - durationMs);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.window.showTextDocument(document, vscode.ViewColumn.One);

      // The peer: the same text, opened from disk in a fresh editor beside.
      const copy = path.join(folder, `peer-${round}.json`);
      fs.writeFileSync(copy, shownText);
      const peerStarted = performance.now();
      const opened = await vscode.workspace.openTextDocument(copy);
      await vscode.window.showTextDocument(opened, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
      peer.push(performance.now() - peerStarted);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    }
    fs.appendFileSync(resultsFile, `${JSON.stringify({ ours, afterAnswer, peer, bytes: payload.length, shownBytes: Buffer.byteLength(shownText) })}\n`);
  } catch (error) {
    fs.appendFileSync(resultsFile, `${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
    throw error;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
