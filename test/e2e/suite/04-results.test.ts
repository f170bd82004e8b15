/**
 * The result tab, the whole log and the history, against the local endpoint the launcher
 * started for this workspace: an invocation's result opens beside it as a read-only JSON
 * document with its facts above it; running it again updates the same tab; both runs are in
 * the history and compare in a diff editor; the whole log of a handler that logs 20 KB arrives
 * from the endpoint's CloudWatch Logs API and shows the lines the 4 KB tail lost. A recorder
 * standing in for Lambda proves numbers are shown exactly as returned and text opens as text.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { LambdaInvokeApi } from '../../../src/client/extension';
import type { ResultState } from '../../../src/client/results/resultState';
import { WAIT_MS, api, fileUri, openDocument, writeAndOpen, closeServer, listenOnLoopback } from './helpers';

const RESULT_SCHEME = 'lambda-invoke-result';

/** Tabs showing a result document, with the key each shows. */
function resultTabs(): { key: string | null; uri: vscode.Uri }[] {
  const tabs: { key: string | null; uri: vscode.Uri }[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === RESULT_SCHEME) tabs.push({ key: new URLSearchParams(tab.input.uri.query).get('key'), uri: tab.input.uri });
    }
  }
  return tabs;
}

/** Runs Invoke on the document's invocation and resolves with the result tab it showed. */
async function invokeAndShow(lambdaInvoke: LambdaInvokeApi, document: vscode.TextDocument, index = 0): Promise<{ state: ResultState; editor: vscode.TextEditor }> {
  const shown = new Promise<{ state: ResultState; editor: vscode.TextEditor }>((resolve) => {
    const subscription = lambdaInvoke.onDidShowResult((event) => {
      if (event.state.entry.invocation.file === document.uri.fsPath && event.state.entry.invocation.index === index) {
        subscription.dispose();
        resolve(event);
      }
    });
  });
  await vscode.commands.executeCommand('lambdaInvoke.invoke', { uri: document.uri.toString(), index });
  return shown;
}

/** Resolves with the first state of the result for which `done` holds (now or later). */
function resultWhere(lambdaInvoke: LambdaInvokeApi, file: string, index: number, done: (state: ResultState) => boolean, what: string): Promise<ResultState> {
  const now = lambdaInvoke.result(file, index);
  if (now !== undefined && done(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for ${what}; the result is now ${JSON.stringify(lambdaInvoke.result(file, index)?.logFetch)}`));
    }, WAIT_MS);
    const subscription = lambdaInvoke.onDidChangeResult((state) => {
      if (state.entry.invocation.file === file && state.entry.invocation.index === index && done(state)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(state);
      }
    });
  });
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((lens) => lens.command?.title ?? '');
}

suite('Results', () => {
  let lambdaInvoke: LambdaInvokeApi;
  suiteSetup(async () => {
    lambdaInvoke = await api();
  });

  test('hello.invoke.json: the result opens beside it as JSON, its facts above; again: the same tab, updated; both in the history', async () => {
    const document = await openDocument('hello.invoke.json');
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const first = await invokeAndShow(lambdaInvoke, document);
    assert.equal(first.editor.document.languageId, 'json', 'the payload is a JSON document');
    assert.match(first.editor.document.getText(), /"Hello, Ada!"/, 'the payload is in the tab');
    assert.notEqual(first.editor.viewColumn, vscode.ViewColumn.One, 'the result is beside the invoke file');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), document.uri.toString(), 'the focus stays in the invoke file');
    const titles = (await lensTitles(first.editor.document.uri)).join(' | ');
    assert.match(titles, /200 OK/, `the status is above the payload: ${titles}`);
    assert.match(titles, /version \$LATEST/, `the executed version: ${titles}`);
    assert.match(titles, /request [0-9a-f-]{36}/, `the request id: ${titles}`);
    assert.match(titles, /Re-run/, `the re-run action: ${titles}`);

    const second = await invokeAndShow(lambdaInvoke, document);
    const key = second.state.key;
    assert.equal(resultTabs().filter((tab) => tab.key === key).length, 1, `one tab for the invocation, not one per run: ${JSON.stringify(resultTabs())}`);
    assert.equal(second.editor.document.uri.toString(), first.editor.document.uri.toString(), 'the same document');
    assert.notEqual(second.state.entry.response?.requestId, first.state.entry.response?.requestId, 'updated with the second run');
    const after = (await lensTitles(second.editor.document.uri)).join(' | ');
    assert.ok(after.includes(second.state.entry.response!.requestId!), `the lens shows the second run's request id: ${after}`);

    const history = (await lambdaInvoke.history()).filter((entry) => entry.invocation.file === document.uri.fsPath && entry.invocation.index === 0);
    const ids = history.map((entry) => entry.id);
    assert.ok(ids.includes(first.state.entry.id) && ids.includes(second.state.entry.id), `both runs are in the history: ${JSON.stringify(ids)}`);
    assert.equal(history[0]!.id, second.state.entry.id, 'newest first');

    await vscode.commands.executeCommand('lambdaInvoke.compareWithPrevious', { key });
    const diff = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(diff instanceof vscode.TabInputTextDiff, `a diff editor opened: ${String(vscode.window.tabGroups.activeTabGroup.activeTab?.label)}`);
    assert.equal(new URLSearchParams(diff.original.query).get('id'), first.state.entry.id, 'the earlier response on the left');
    assert.equal(new URLSearchParams(diff.modified.query).get('id'), second.state.entry.id, 'the later response on the right');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('chatty.invoke.json: the whole log replaces the 4 KB tail and shows the handler’s first lines', async () => {
    const document = await openDocument('chatty.invoke.json');
    const { state } = await invokeAndShow(lambdaInvoke, document);
    assert.ok(state.log?.source === 'tail', 'the tail is shown at once');
    assert.ok(!state.log.text.includes('chatty line 1 of 200'), 'the 4 KB tail has lost the first lines');
    const full = await resultWhere(lambdaInvoke, document.uri.fsPath, 0, (s) => s.entry.id === state.entry.id && s.logFetch.state !== 'fetching' && s.logFetch.state !== 'idle', 'the whole log');
    assert.equal(full.logFetch.state, 'done', `the fetch ended well: ${JSON.stringify(full.logFetch)}`);
    assert.equal(full.log?.source, 'full');
    await vscode.commands.executeCommand('lambdaInvoke.showLog', { key: full.key });
    const log = vscode.window.activeTextEditor!.document;
    assert.equal(log.uri.scheme, 'lambda-invoke-log', 'the log opened');
    const text = log.getText();
    assert.ok(text.includes('chatty line 1 of 200'), `the first line, past the 4 KB tail:\n${text.slice(0, 500)}`);
    assert.ok(text.includes('chatty line 200 of 200'), 'the last line');
    assert.match(text, new RegExp(`^START RequestId: ${state.entry.response!.requestId}`, 'm'), 'from its START line');
    assert.match(text, new RegExp(`^REPORT RequestId: ${state.entry.response!.requestId}`, 'm'), 'to its REPORT line');
    assert.ok(Buffer.byteLength(text) > 16 * 1024, `the whole log is over 16 KB (${Buffer.byteLength(text)} bytes)`);
    const tab = resultTabs().find((t) => t.key === full.key);
    assert.ok(tab !== undefined, 'the result tab is open');
    const titles = (await lensTitles(tab.uri)).join(' | ');
    assert.match(titles, /billed \d+ ms/, `the REPORT line's billed duration is above the payload: ${titles}`);
    assert.match(titles, /Full log \(\d+ lines\)/, `the log lens says the log is whole: ${titles}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  suite('against a recorder standing in for Lambda', () => {
    let recorder: http.Server;
    let endpoint: string;
    let body = '';

    suiteSetup(async () => {
      recorder = http.createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          if (!request.url?.includes('/invocations')) {
            response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'logs-1' });
            response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' }));
            return;
          }
          response.writeHead(200, { 'x-amzn-RequestId': `recorded-${Date.now()}`, 'x-amz-executed-version': '$LATEST', 'content-type': 'application/json' });
          response.end(body);
        });
      });
      endpoint = await listenOnLoopback(recorder);
    });

    suiteTeardown(async () => {
      await closeServer(recorder);
    });

    test('numbers are shown exactly as returned; text opens as text', async () => {
      const document = await writeAndOpen(JSON.stringify({ name: 'Exact numbers', functionName: 'hello', endpoint, payload: {} }, null, 2) + '\n', 'scratch-results.invoke.json');
      body = '{"big":12345678901234567890,"price":1.50,"tiny":1e-7}';
      const json = await invokeAndShow(lambdaInvoke, document);
      const text = json.editor.document.getText();
      for (const digits of ['12345678901234567890', '1.50', '1e-7']) assert.ok(text.includes(digits), `${digits} as returned:\n${text}`);
      assert.equal(json.editor.document.languageId, 'json');

      body = 'plain words, not JSON';
      const plain = await invokeAndShow(lambdaInvoke, document);
      assert.equal(plain.editor.document.getText(), 'plain words, not JSON');
      assert.equal(plain.editor.document.languageId, 'plaintext', 'a payload that is not JSON opens as text');
      assert.equal(plain.editor.document.uri.toString(), json.editor.document.uri.toString(), 'still the same tab');
      // The recorder serves no logs: the fetch says so and nothing is lost.
      const ended = await resultWhere(lambdaInvoke, document.uri.fsPath, 0, (s) => s.entry.id === plain.state.entry.id && s.logFetch.state === 'failed', 'the log fetch to fail');
      assert.match(ended.logFetch.state === 'failed' ? ended.logFetch.message : '', /log group/i, 'the failure says the log group is not there');
      assert.equal(lambdaInvoke.result(document.uri.fsPath, 0)?.text, 'plain words, not JSON', 'the payload stays');
      await vscode.workspace.fs.delete(fileUri('scratch-results.invoke.json'));
    });
  });
});
