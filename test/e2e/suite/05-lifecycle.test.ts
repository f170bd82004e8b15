/**
 * Calls caught in flight. Closing the document a call came from does not cut the call short: its
 * result still reaches the output. Closing the window (the extension's deactivate, the very hook
 * VS Code calls then) aborts the call in flight and closes its connection, stops the local
 * endpoint the user started and the language server: nothing outlives the window.
 *
 * This file runs last (suite files run in name order), and its last test deactivates the extension.
 */
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { LambdaInvokeApi } from '../../../src/client/extension';
import { freePort } from '../../unit/holdingServer';
import { type HoldingServer, answerAsLambda, api, appendedSince, assertIncludes, extension, startHoldingServer, writeAndOpen } from './helpers';

/** Resolves true when something accepts a TCP connection on the port, false when it is refused. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}


function invocationText(name: string, endpoint: string): string {
  return `${JSON.stringify({ name, functionName: 'held', endpoint, payload: { from: name } }, null, 2)}\n`;
}

suite('calls in flight', () => {
  let lambdaInvoke: LambdaInvokeApi;
  let server: HoldingServer;

  suiteSetup(async () => {
    lambdaInvoke = await api();
    server = await startHoldingServer();
    // The holding server holds every request, the editor's account lookups for these files too:
    // this suite counts only the invocation's own request and connection.
    await vscode.workspace.getConfiguration('lambdaInvoke').update('accountLookups', 'off', vscode.ConfigurationTarget.Workspace);
    // And the whole-log fetch after each synchronous call: it would be held there too.
    await vscode.workspace.getConfiguration('lambdaInvoke').update('results.fullLog', 'onDemand', vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('lambdaInvoke').update('accountLookups', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('lambdaInvoke').update('results.fullLog', undefined, vscode.ConfigurationTarget.Workspace);
    await server.close();
  });

  test('closing the document during a call: the call completes and its result is in the output', async () => {
    const document = await writeAndOpen(invocationText('Closed while running', server.endpoint), 'scratch-closed.invoke.json');
    await vscode.window.showTextDocument(document);
    const before = lambdaInvoke.outputText();
    const command = vscode.commands.executeCommand('lambdaInvoke.invoke', { uri: document.uri.toString(), index: 0 });
    const held = await server.nextRequest();
    assert.equal(lambdaInvoke.running(), 1, 'the call is in flight');

    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.ok(
      !vscode.window.visibleTextEditors.some((editor) => editor.document.uri.toString() === document.uri.toString()),
      'the document is no longer shown',
    );
    assert.equal(lambdaInvoke.running(), 1, 'closing the document did not abort the call');

    answerAsLambda(held, { answered: 'after the document closed' });
    await command;
    const output = appendedSince(before, lambdaInvoke.outputText());
    const result = lambdaInvoke.lastResult();
    assert.equal(result?.outcome?.result.statusCode, 200, `the call completed; the output:\n${output}`);
    assertIncludes(output, 'Closed while running', 'the invocation’s name');
    assertIncludes(output, 'after the document closed', 'the response payload');
    assert.equal(lambdaInvoke.running(), 0, 'nothing is in flight');
  });

  test('closing the window during a call: the call is aborted, its connection closed, the local endpoint and the language server stopped', async () => {
    // The user started the local endpoint (a child process) on a port of its own.
    const port = await freePort();
    await vscode.workspace.getConfiguration('lambdaInvoke').update('localEndpoint.port', port, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('lambdaInvoke.startLocalEndpoint');
    assert.ok(await accepts(port), `the local endpoint listens on port ${port}`);

    // A call is in flight when the window closes.
    const document = await writeAndOpen(invocationText('Running when the window closed', server.endpoint), 'scratch-window.invoke.json');
    const before = lambdaInvoke.outputText();
    const command = vscode.commands.executeCommand('lambdaInvoke.invoke', { uri: document.uri.toString(), index: 0 });
    await server.nextRequest();
    assert.equal(lambdaInvoke.running(), 1, 'the call is in flight');
    assert.equal(server.openConnections, 1);
    const languageClient = lambdaInvoke.client;
    assert.ok(languageClient, 'the language client is loaded');
    assert.equal(languageClient.isRunning(), true);

    // What VS Code calls when the window closes: the extension module's deactivate.
    const main = createRequire(__filename)(path.join(extension().extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
    await main.deactivate();

    await server.allClosed();
    assert.equal(server.openConnections, 0, 'no connection to the server is left open');
    await command;
    assert.equal(lambdaInvoke.running(), 0, 'no call is left in flight');
    assert.equal(server.requests, 2, 'the aborted request was not sent again');
    assert.equal(lambdaInvoke.outputText(), before, 'nothing was written to the closing output channel');
    assert.equal(await accepts(port), false, `the local endpoint's port ${port} is free: its process stopped`);
    assert.equal(languageClient.isRunning(), false, 'the language server was shut down');
  });
});
