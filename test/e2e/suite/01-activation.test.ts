/** The extension activates when a `.invoke.json` file opens, and its API is there for the tests. */
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { extension, openDocument } from './helpers';

suite('activation', () => {
  test('opening a .invoke.json file activates the extension and its language server', async () => {
    const ext = extension();
    // Nothing of ours is open before this test, and the only activation event is onLanguage.
    assert.equal(ext.isActive, false, 'the extension is active before any .invoke.json file was opened');
    const document = await openDocument('hello.invoke.json');
    assert.equal(document.languageId, 'lambda-invoke', 'the language of hello.invoke.json');
    await vscode.window.showTextDocument(document);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(await api.serverReady, true, 'the language server started');
    assert.equal(api.client?.isRunning(), true, 'the language client is running');
    assert.equal(typeof api.outputText, 'function');
    assert.equal(api.lastResult(), undefined, 'no invocation has run yet');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['lambdaInvoke.invoke', 'lambdaInvoke.dryRun', 'lambdaInvoke.showOutput']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });
});
