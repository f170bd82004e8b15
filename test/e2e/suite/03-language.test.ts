/**
 * What the language server gives the editor, through VS Code's own provider commands: code
 * lenses, completion, hover, and a quick fix whose edit, applied, corrects the file.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { api, codeOf, markdownOf, openDocument, positionIn, waitForCodes, writeAndOpen } from './helpers';

suite('lenses, completion, hover and quick fixes', () => {
  suiteSetup(async () => {
    await api();
  });

  test('code lenses: ▶ Invoke, Dry Run and the summary above the invocation', async () => {
    const document = await openDocument('hello.invoke.json');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const titles = lenses.map((lens) => lens.command?.title ?? '(unresolved)');
    assert.equal(lenses.length, 3, `three lenses on hello.invoke.json; got ${JSON.stringify(titles)}`);
    assert.equal(titles[0], '▶ Invoke Say hello to Ada');
    assert.equal(titles[1], 'Dry Run');
    assert.match(titles[2] ?? '', /^sync · \d+ B of 6 MB · us-east-1( · timeout 3 s)?$/, 'the summary: mode, payload size against its limit, region (and the timeout, once the account answered)');
    assert.equal(lenses[0]!.command?.command, 'lambdaInvoke.invoke');
    assert.deepEqual(lenses[0]!.command?.arguments, [{ uri: document.uri.toString(), index: 0 }]);
    assert.equal(lenses[1]!.command?.command, 'lambdaInvoke.dryRun');
    for (const lens of lenses) assert.equal(lens.range.start.line, 0, 'the lenses sit on the invocation’s first line');
  });

  test('code lenses: one set per invocation of an array file', async () => {
    const document = await openDocument('smoke.invoke.json');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 30);
    const invokes = lenses.filter((lens) => lens.command?.command === 'lambdaInvoke.invoke');
    assert.deepEqual(
      invokes.map((lens) => lens.command?.title),
      ['Hello, Ada ($LATEST)', 'Hello, Grace (version 1, named in functionName)', 'Hello, Linus (alias live, as a qualifier)', 'Hello by ARN', 'Hello in the background', 'Who is calling'].map((n) => `▶ Invoke ${n}`),
    );
    assert.ok(lenses.some((lens) => /^async · .* of 1 MB · /.test(lens.command?.title ?? '')), 'the Event call’s summary names the 1 MB limit');
  });

  test('completion: the values of invocationType inside its quotes', async () => {
    const document = await writeAndOpen('{\n  "functionName": "hello",\n  "invocationType": ""\n}\n', 'scratch-completion.invoke.json');
    await waitForCodes(document, ['schema'], { exact: false });
    const position = positionIn(document, '""', 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const value of ['RequestResponse', 'Event', 'DryRun']) assert.ok(labels.includes(value), `completion offers ${value}; got ${JSON.stringify(labels)}`);
  });

  test('completion: property names in an empty invocation', async () => {
    const document = await writeAndOpen('{\n  "functionName": "hello",\n  \n}\n', 'scratch-properties.invoke.json');
    const position = new vscode.Position(2, 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const key of ['payload', 'invocationType', 'qualifier', 'logType']) assert.ok(labels.includes(key), `completion offers ${key}; got ${JSON.stringify(labels)}`);
    assert.ok(!labels.includes('functionName'), 'a property already present is not offered again');
  });

  test('hover: the payload size against the limit of the invocation type', async () => {
    const document = await openDocument('hello.invoke.json');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionIn(document, '"payload"', 2));
    const text = markdownOf(hovers);
    assert.ok(text.length > 0, 'a hover on "payload"');
    assert.match(text, /6 MB|6,291,456/, `the synchronous 6 MB limit in the hover:\n${text}`);
  });

  test('quick fix: Change to "payload" corrects the misspelt key and clears its diagnostic', async () => {
    // A copy, so the mistake file itself stays as it is for the UI test.
    const source = await openDocument('mistakes', 'schema.invoke.json');
    const document = await writeAndOpen(source.getText(), 'mistakes', 'scratch-schema-fix.invoke.json');
    const diagnostics = await waitForCodes(document, ['schema', 'schema']);
    const paylod = diagnostics.find((d) => document.getText(d.range) === '"paylod"');
    assert.ok(paylod, 'a diagnostic on "paylod"');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, paylod.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === 'Change to "payload"');
    assert.ok(fix?.edit, `a quick fix "Change to \\"payload\\"" with an edit; got ${JSON.stringify(titles)}`);
    assert.ok(fix.kind?.contains(vscode.CodeActionKind.QuickFix) ?? false, 'it is a quick fix');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
    assert.ok(document.getText().includes('"payload": { "name": "Ada" }'), `the key is corrected:\n${document.getText()}`);
    assert.ok(!document.getText().includes('paylod'));
    const after = await waitForCodes(document, ['schema']);
    assert.equal(document.getText(after[0]!.range), '"tail"', 'only the logType mistake is left');
    assert.equal(codeOf(after[0]!), 'schema');
    // Saved, so no dirty editor is left behind in the workspace.
    assert.ok(await document.save(), 'the corrected copy saves');
  });
});
