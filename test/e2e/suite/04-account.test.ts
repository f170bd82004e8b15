/**
 * The account in a real VS Code: the suite's workspace points at the built-in local endpoint,
 * which serves Lambda's ListFunctions / GetFunctionConfiguration / ListAliases /
 * ListVersionsByFunction for the examples' functions. Completion, the function-not-found check
 * and its quick fix, the configuration hover and the Lambda Functions view all come from there.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { LambdaInvokeApi } from '../../../src/client/extension';
import { api, codeOf, describeDiagnostics, markdownOf, openDocument, positionIn, waitForDiagnostics, writeAndOpen } from './helpers';

/** The functions examples/lambda-invoke.local.json declares. */
const EXAMPLE_FUNCTIONS = ['hello', 'fail', 'slow', 'echo-context', 'tenant-greeting', 'order-workflow', 'chatty', 'json-logger'];

function labelsOf(list: vscode.CompletionList): string[] {
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

suite('the account: completion, checks, hovers and the Lambda Functions view', () => {
  let lambdaInvoke: LambdaInvokeApi;

  suiteSetup(async () => {
    lambdaInvoke = await api();
    assert.equal(await lambdaInvoke.serverReady, true, 'the language server runs');
  });

  test('a misspelt function name gets function-not-found, and its quick fix corrects it', async () => {
    const document = await writeAndOpen('{\n  "functionName": "helo",\n  "payload": { "name": "Ada" }\n}\n', 'scratch-account-misspelt.invoke.json');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => all.some((d) => codeOf(d) === 'function-not-found'), 'function-not-found on "helo"');
    const notFound = diagnostics.find((d) => codeOf(d) === 'function-not-found')!;
    assert.equal(document.getText(notFound.range), '"helo"', `the warning sits on the name:\n${describeDiagnostics(diagnostics, document)}`);
    assert.equal(notFound.severity, vscode.DiagnosticSeverity.Warning, 'a warning: the account may have changed, Invoke is not blocked');
    assert.match(notFound.message, /hello/, 'it says which function was meant');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, notFound.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.edit !== undefined && a.title.includes('hello'));
    assert.ok(fix?.edit, `a quick fix naming "hello"; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
    assert.match(document.getText(), /"functionName": "hello"/);
    await waitForDiagnostics(document.uri, (all) => !all.some((d) => codeOf(d) === 'function-not-found'), 'the warning to clear once the name is right');
    assert.ok(await document.save());
  });

  test('completion in functionName lists the functions of the account', async () => {
    const document = await writeAndOpen('{\n  "functionName": ""\n}\n', 'scratch-account-completion.invoke.json');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, positionIn(document, '""', 1));
    const labels = labelsOf(list);
    for (const name of EXAMPLE_FUNCTIONS) assert.ok(labels.includes(name), `completion offers ${name}; got ${JSON.stringify(labels)}`);
  });

  test('completion in qualifier lists $LATEST, the versions and the aliases', async () => {
    const document = await writeAndOpen('{\n  "functionName": "hello",\n  "qualifier": ""\n}\n', 'scratch-account-qualifier.invoke.json');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, positionIn(document, '""', 1));
    const labels = labelsOf(list);
    for (const qualifier of ['$LATEST', '1', 'live']) assert.ok(labels.includes(qualifier), `completion offers ${qualifier}; got ${JSON.stringify(labels)}`);
  });

  test('hover on functionName shows the function’s configuration, its timeout among it', async () => {
    const document = await writeAndOpen('{\n  "functionName": "slow",\n  "payload": {}\n}\n', 'scratch-account-hover.invoke.json');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionIn(document, '"slow"', 2));
    const text = markdownOf(hovers);
    // examples/lambda-invoke.local.json gives slow a 1-second timeout.
    assert.match(text, /[Tt]imeout[^\n]*\b1 s\b/, `the timeout in the hover:\n${text}`);
    assert.match(text, /nodejs/, `the runtime in the hover:\n${text}`);
  });

  test('the Lambda Functions view lists the functions', async () => {
    const listed = new Promise<readonly { name: string }[]>((resolve) => {
      const subscription = lambdaInvoke.onDidListFunctions((functions) => {
        if (functions.length === 0) return;
        subscription.dispose();
        resolve(functions);
      });
    });
    await vscode.commands.executeCommand('lambdaInvoke.functions.focus');
    const functions = await listed;
    assert.deepEqual([...functions.map((f) => f.name)].sort(), [...EXAMPLE_FUNCTIONS].sort());
    assert.equal(lambdaInvoke.accountProblem(), undefined, 'no credential problem is shown');
  });

  for (const [name, covers] of [
    ['function-not-found', '"helo"'],
    ['qualifier-not-found', '"2"'],
    ['tenant-id-required', '"tenant-greeting"'],
    ['tenant-id-not-accepted', '"acme"'],
    ['durable-requires-qualifier', '"order-workflow"'],
  ] as const) {
    test(`mistakes/account/${name}.invoke.json: the account's warning ${name} arrives`, async () => {
      const document = await openDocument('mistakes', 'account', `${name}.invoke.json`);
      const diagnostics = await waitForDiagnostics(document.uri, (all) => all.some((d) => codeOf(d) === name), `${name} from the account`);
      const found = diagnostics.filter((d) => codeOf(d) === name);
      assert.equal(found.length, 1, describeDiagnostics(diagnostics, document));
      assert.equal(found[0]!.severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(document.getText(found[0]!.range).includes(covers.replace(/"/g, '')), `${name} covers ${covers}:\n${describeDiagnostics(diagnostics, document)}`);
      assert.deepEqual(diagnostics.map(codeOf), [name], 'and nothing else');
    });
  }
});
