/**
 * Workspace Trust in a real VS Code: this suite runs in a window whose folder is not trusted
 * (Restricted Mode; the launcher starts this code-server without --disable-workspace-trust).
 * Checking files works as anywhere else; everything that would send a request or run the
 * workspace's code says why it is off, and nothing reaches the endpoint a file names.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { LambdaInvokeApi } from '../../../src/client/extension';
import type { AccountFactsResult } from '../../../src/protocol/accountFacts';
import { type HoldingServer, api, codeOf, extension, openDocument, positionIn, startHoldingServer, waitForCodes, writeAndOpen } from '../suite/helpers';

const REFUSED = (title: string) => `Lambda Invoke: ${title} is disabled because this workspace is not trusted.`;

suite('an untrusted workspace (Restricted Mode)', () => {
  let lambdaInvoke: LambdaInvokeApi;
  let server: HoldingServer;
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    server = await startHoldingServer();
  });

  suiteTeardown(async () => {
    await server.close();
  });

  test('the workspace is not trusted, and the extension activates in it', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this window must open the folder untrusted');
    const hello = await openDocument('hello.invoke.json');
    await vscode.window.showTextDocument(hello);
    lambdaInvoke = await api();
    assert.equal(extension().isActive, true);
    assert.equal(await lambdaInvoke.serverReady, true, 'the language server started');
    assert.equal(lambdaInvoke.client?.isRunning(), true, 'the language server runs');
  });

  test('validation works: a mistake file shows its diagnostic', async () => {
    const mistake = await openDocument('mistakes', 'function-name-too-long.invoke.json');
    const diagnostics = await waitForCodes(mistake, ['function-name-too-long']);
    assert.equal(codeOf(diagnostics[0]!), 'function-name-too-long');
  });

  test('the ▶ Invoke lens is still shown, so the user can learn why it does nothing', async () => {
    document = await writeAndOpen(`${JSON.stringify({ name: 'Untrusted call', functionName: 'hello', endpoint: server.endpoint, payload: { name: 'Ada' } }, null, 2)}\n`, 'scratch-untrusted.invoke.json');
    await waitForCodes(document, []);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.ok(titles.some((title) => title.startsWith('▶ Invoke')), `the lenses: ${JSON.stringify(titles)}`);
  });

  for (const [command, title] of [
    ['lambdaInvoke.invoke', 'Invoke'],
    ['lambdaInvoke.dryRun', 'Dry Run'],
    ['lambdaInvoke.copyAsAwsCliCommand', 'Copy as AWS CLI Command'],
    ['lambdaInvoke.startLocalEndpoint', 'Start Local Endpoint'],
  ] as const) {
    test(`${title} explains that the workspace is not trusted, and sends or starts nothing`, async () => {
      const shownBefore = lambdaInvoke.messages().length;
      await vscode.commands.executeCommand(command, { uri: document.uri.toString(), index: 0 });
      const shown = lambdaInvoke.messages().slice(shownBefore);
      assert.ok(
        shown.some((text) => text.startsWith(REFUSED(title)) && text.includes('Trust the workspace')),
        `the notification says why; shown: ${JSON.stringify(shown)}`,
      );
      assert.equal(server.requests, 0, 'nothing reached the endpoint the file names');
      assert.equal(lambdaInvoke.lastResult(), undefined, 'no invocation ran');
      assert.equal(lambdaInvoke.running(), 0);
    });
  }

  test('no account lookup: the server asks, the extension answers "untrusted", and the endpoint the file names hears nothing', async () => {
    const answered = new Promise<AccountFactsResult>((resolve) => {
      const subscription = lambdaInvoke.onDidAnswerAccountFacts((result) => {
        subscription.dispose();
        resolve(result);
      });
    });
    const scratch = await writeAndOpen(`${JSON.stringify({ functionName: 'helo', endpoint: server.endpoint }, null, 2)}\n`, 'scratch-untrusted-account.invoke.json');
    // Completion of the name would list the account's functions: it asks for them.
    await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', scratch.uri, positionIn(scratch, 'helo', 1));
    const result = await answered;
    assert.equal(result.kind, 'unavailable');
    assert.equal(result.kind === 'unavailable' ? result.reason : undefined, 'untrusted');
    assert.equal(server.requests, 0, 'nothing reached the endpoint the file names');
    const codes = vscode.languages.getDiagnostics(scratch.uri).map(codeOf);
    assert.ok(!codes.includes('function-not-found'), `no account check without lookups; got ${JSON.stringify(codes)}`);
  });
});
