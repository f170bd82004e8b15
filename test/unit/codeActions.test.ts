import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CodeAction, CodeActionKind } from 'vscode-languageserver-types';
import { codeActions } from '../../src/language/codeActions';
import { analyze, codes } from './helpers';
import { actionTitled, applyAction } from './builders';

/** Code actions for the diagnostics with `code`, the cursor at `at` (first occurrence). */
function actionsFor(text: string, at: string, code?: string): { actions: CodeAction[]; apply: (a: CodeAction) => string } {
  const a = analyze(text);
  const offset = text.indexOf(at);
  assert.ok(offset >= 0, `no ${at} in the text`);
  const diagnostics = code ? a.diagnostics.filter((d) => d.code === code) : [];
  if (code) assert.ok(diagnostics.length > 0, `no ${code} diagnostic`);
  const actions = codeActions(a.document, a.doc, offset, diagnostics);
  return { actions, apply: (action) => applyAction(a.document, action) };
}

const parsed = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('quick fixes for Event invocations', () => {
  test('remove logType: the result is valid JSON without the key and without the warning', () => {
    const text = '{\n  "functionName": "f",\n  "invocationType": "Event",\n  "logType": "Tail",\n  "payload": {"a": 1}\n}';
    const { actions, apply } = actionsFor(text, '"logType"', 'async-ignores-log-tail');
    const action = actionTitled(actions, 'Remove "logType"');
    assert.equal(action.kind, CodeActionKind.QuickFix);
    assert.equal(action.isPreferred, true);
    assert.equal(action.diagnostics?.[0]?.code, 'async-ignores-log-tail');
    const result = apply(action);
    assert.deepEqual(parsed(result), { functionName: 'f', invocationType: 'Event', payload: { a: 1 } });
    assert.equal(result, '{\n  "functionName": "f",\n  "invocationType": "Event",\n  "payload": {"a": 1}\n}');
    assert.deepEqual(codes(result), []);
  });

  test('remove clientContext when it is the last property', () => {
    const text = '{\n  "functionName": "f",\n  "invocationType": "Event",\n  "clientContext": {"custom": {"a": 1}}\n}';
    const { actions, apply } = actionsFor(text, '"clientContext"', 'async-ignores-client-context');
    const result = apply(actionTitled(actions, 'Remove "clientContext"'));
    assert.equal(result, '{\n  "functionName": "f",\n  "invocationType": "Event"\n}');
    assert.deepEqual(codes(result), []);
  });

  test('remove clientContext when it is the first property, on one line', () => {
    const text = '{"clientContext":"e30=","invocationType":"Event","functionName":"f"}';
    const { actions, apply } = actionsFor(text, '"clientContext"', 'async-ignores-client-context');
    const result = apply(actionTitled(actions, 'Remove "clientContext"'));
    assert.deepEqual(parsed(result), { invocationType: 'Event', functionName: 'f' });
  });

  test('in an array file, the fix edits the right element', () => {
    const text = '[{"functionName":"a","logType":"Tail"},{"functionName":"b","invocationType":"Event","logType":"Tail"}]';
    const { actions, apply } = actionsFor(text, '"b"', 'async-ignores-log-tail');
    const result = JSON.parse(apply(actionTitled(actions, 'Remove "logType"'))) as unknown[];
    assert.deepEqual(result, [
      { functionName: 'a', logType: 'Tail' },
      { functionName: 'b', invocationType: 'Event' },
    ]);
  });
});

describe('client context: encode and decode', () => {
  test('encode an object to base64, then decode it back', () => {
    const text = '{\n  "functionName": "f",\n  "clientContext": { "custom": { "user": "me", "n": 1.50 }, "env": {"locale": "de-DE"} }\n}';
    const encode = actionsFor(text, '"custom"');
    const encoded = encode.apply(actionTitled(encode.actions, 'Encode client context as base64'));
    const base64 = parsed(encoded).clientContext as string;
    assert.equal(Buffer.from(base64, 'base64').toString('utf8'), '{"custom":{"user":"me","n":1.50},"env":{"locale":"de-DE"}}');
    assert.deepEqual(codes(encoded), []);

    const decode = actionsFor(encoded, base64);
    const decoded = decode.apply(actionTitled(decode.actions, 'Decode client context to an object'));
    assert.deepEqual(parsed(decoded).clientContext, { custom: { user: 'me', n: 1.5 }, env: { locale: 'de-DE' } });
    assert.ok(decoded.includes('"n":1.50'), 'numbers stay as written');
    assert.deepEqual(codes(decoded), []);
  });

  test('no decode for a string that is not base64 of an object', () => {
    const { actions } = actionsFor('{"functionName":"f","clientContext":"WzFd"}', 'WzFd');
    assert.deepEqual(actions.map((a) => a.title), []);
  });

  test('the cursor on the clientContext key offers the encoding too', () => {
    const { actions } = actionsFor('{"functionName":"f","clientContext":{"custom":{}}}', 'clientContext');
    assert.deepEqual(actions.map((a) => a.title), ['Encode client context as base64']);
  });
});

describe('move a qualifier out of the function name', () => {
  test('my-function:prod becomes my-function plus "qualifier": "prod", on its own line', () => {
    const text = '{\n  "functionName": "my-function:prod",\n  "payload": {}\n}';
    const { actions, apply } = actionsFor(text, 'my-function');
    const result = apply(actionTitled(actions, 'Move ":prod" into "qualifier"'));
    assert.equal(result, '{\n  "functionName": "my-function",\n  "qualifier": "prod",\n  "payload": {}\n}');
    assert.deepEqual(codes(result), []);
  });

  test('an ARN with $LATEST, on one line', () => {
    const arn = 'arn:aws:lambda:us-west-2:123456789012:function:f';
    const { actions, apply } = actionsFor(`{"functionName":"${arn}:$LATEST"}`, 'arn:');
    const result = parsed(apply(actionTitled(actions, 'into "qualifier"')));
    assert.deepEqual(result, { functionName: arn, qualifier: '$LATEST' });
  });

  test('an existing, conflicting qualifier is replaced', () => {
    const text = '{"functionName":"f:2","qualifier":"1"}';
    assert.deepEqual(codes(text), ['qualifier-conflict']);
    const { actions, apply } = actionsFor(text, 'f:2');
    const result = apply(actionTitled(actions, 'Move ":2"'));
    assert.deepEqual(parsed(result), { functionName: 'f', qualifier: '2' });
    assert.deepEqual(codes(result), []);
  });

  test('a name ending in a digit group keeps its whole name', () => {
    const { actions, apply } = actionsFor('{"functionName":"my-orders-2:live"}', 'orders');
    assert.deepEqual(parsed(apply(actionTitled(actions, 'Move ":live"'))), { functionName: 'my-orders-2', qualifier: 'live' });
  });

  test('nothing to move without a qualifier', () => {
    assert.deepEqual(actionsFor('{"functionName":"arn:aws:lambda:us-west-2:123456789012:function:f"}', 'arn').actions, []);
  });
});

describe('suggestions for schema errors', () => {
  test('an unknown property is renamed to the suggestion', () => {
    const text = '{"functionNme":"f","payload":{}}';
    const { actions, apply } = actionsFor(text, 'functionNme', 'schema');
    const action = actionTitled(actions, 'Change to "functionName"');
    assert.equal(action.isPreferred, true);
    assert.equal(actions.length, 1, 'the missing functionName has no quick fix of its own');
    const result = apply(action);
    assert.equal(result, '{"functionName":"f","payload":{}}');
    assert.deepEqual(codes(result), []);
  });

  test('a misspelt enum value is replaced by the nearest one', () => {
    const { actions, apply } = actionsFor('{"functionName":"f","invocationType":"dryrun"}', 'dryrun', 'schema');
    assert.deepEqual(parsed(apply(actionTitled(actions, 'Change to "DryRun"'))).invocationType, 'DryRun');
  });

  test('no rename without a likely suggestion', () => {
    const { actions } = actionsFor('{"functionName":"f","zzzzzzzz":1}', 'zzz', 'schema');
    assert.deepEqual(actions, []);
  });
});
