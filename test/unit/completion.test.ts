import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type CompletionItem, CompletionItemKind, InsertTextFormat, type TextEdit } from 'vscode-languageserver-types';
import { completions } from '../../src/language/completion';
import { analyze, cursor } from './helpers';

interface Completed {
  items: CompletionItem[];
  labels: string[];
  document: TextDocument;
  offset: number;
}

function completeAt(textWithMarker: string): Completed {
  const { text, offset } = cursor(textWithMarker);
  const a = analyze(text);
  const items = completions(a.document, a.doc, offset);
  return { items, labels: items.map((i) => i.label), document: a.document, offset };
}

/** A snippet as the editor inserts it when the user accepts every default. */
function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

/** Accepts an item: applies its edit (or inserts its text at the cursor), defaults taken. */
function accept(c: Completed, label: string): string {
  const item = c.items.find((i) => i.label === label);
  assert.ok(item, `no item ${label} in ${c.labels.join(', ')}`);
  const edit = item.textEdit as TextEdit | undefined;
  const range = edit?.range ?? { start: c.document.positionAt(c.offset), end: c.document.positionAt(c.offset) };
  const newText = edit?.newText ?? item.insertText ?? item.label;
  const text = item.insertTextFormat === InsertTextFormat.Snippet ? expandSnippet(newText) : newText;
  return TextDocument.applyEdits(c.document, [{ range, newText: text }]);
}

const ALL_KEYS = ['name', 'functionName', 'qualifier', 'invocationType', 'logType', 'clientContext', 'payload', 'payloadFile', 'tenantId', 'durableExecutionName', 'region', 'profile', 'endpoint'];

describe('completion: property names', () => {
  test('offers every property not yet present', () => {
    const c = completeAt('{"functionName": "f", "region": "us-east-1", |}');
    assert.deepEqual(c.labels, ALL_KEYS.filter((k) => k !== 'functionName' && k !== 'region'));
    assert.ok(c.items.every((i) => i.kind === CompletionItemKind.Property));
  });

  test('in an empty object, offers them all, with descriptions', () => {
    const c = completeAt('{|}');
    assert.deepEqual(c.labels, ALL_KEYS);
    const payload = c.items.find((i) => i.label === 'payload')!;
    assert.match(JSON.stringify(payload.documentation), /sent exactly as written/);
  });

  test('on a new line of a formatted object', () => {
    const c = completeAt('{\n  "functionName": "f",\n  |\n}');
    assert.ok(c.labels.includes('payload'));
    assert.ok(!c.labels.includes('functionName'));
  });

  test('in an element of an array file, excluding that element’s keys only', () => {
    const c = completeAt('[{"functionName": "a", "payload": {}}, {"functionName": "b", |}]');
    assert.ok(c.labels.includes('payload'));
    assert.ok(!c.labels.includes('functionName'));
  });

  test('accepting a property inserts the key and a value that validates', () => {
    const c = completeAt('{"functionName": "f", |}');
    const withType = accept(c, 'invocationType');
    assert.equal(withType, '{"functionName": "f", "invocationType": "RequestResponse"}');
    assert.deepEqual(analyze(withType).diagnostics, []);
    assert.equal(accept(c, 'payload'), '{"functionName": "f", "payload": {}}');
    assert.equal(accept(c, 'clientContext'), '{"functionName": "f", "clientContext": {"custom": {}}}');
    assert.deepEqual(analyze(accept(c, 'logType')).diagnostics, []);
  });

  test('inside a half-typed key, the key being typed is replaced', () => {
    const c = completeAt('{"functionName": "f", "payl|"}');
    assert.ok(c.labels.includes('payloadFile'));
    assert.equal(accept(c, 'payload'), '{"functionName": "f", "payload": {}}');
  });

  test('renaming a key that already has a value completes the name only', () => {
    const c = completeAt('{"functionName": "f", "regio|": "us-east-1"}');
    assert.equal(accept(c, 'region'), '{"functionName": "f", "region": "us-east-1"}');
  });

  test('nothing inside the payload or the client context', () => {
    assert.deepEqual(completeAt('{"functionName": "f", "payload": {|}}').labels, []);
    assert.deepEqual(completeAt('{"functionName": "f", "payload": {"a": [|]}}').labels, []);
    assert.deepEqual(completeAt('[{"functionName": "f", "payload": {"invocationType": |}}]').labels, []);
  });
});

describe('completion: enum values', () => {
  test('invocationType after the colon', () => {
    const c = completeAt('{"functionName": "f", "invocationType": |}');
    assert.deepEqual(c.labels, ['RequestResponse', 'Event', 'DryRun']);
    assert.ok(c.items.every((i) => i.kind === CompletionItemKind.EnumMember));
    assert.equal(accept(c, 'Event'), '{"functionName": "f", "invocationType": "Event"}');
    assert.match(JSON.stringify(c.items[1]!.documentation), /Asynchronous/);
  });

  test('logType inside quotes, replacing what is typed', () => {
    const c = completeAt('{"functionName": "f", "logType": "T|"}');
    assert.deepEqual(c.labels, ['None', 'Tail']);
    assert.equal(accept(c, 'Tail'), '{"functionName": "f", "logType": "Tail"}');
  });

  test('in an array file', () => {
    assert.deepEqual(completeAt('[{"functionName": "f", "invocationType": "|"}]').labels, ['RequestResponse', 'Event', 'DryRun']);
  });

  test('no values for free-text fields', () => {
    assert.deepEqual(completeAt('{"functionName": "f", "region": |}').labels, []);
  });
});

describe('completion: a new invocation', () => {
  const snippetResult = (textWithMarker: string) => {
    const c = completeAt(textWithMarker);
    assert.deepEqual(c.labels, ['New invocation']);
    const item = c.items[0]!;
    assert.equal(item.kind, CompletionItemKind.Snippet);
    assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
    return accept(c, 'New invocation');
  };

  test('in an empty file, inserts an invocation that validates', () => {
    const text = snippetResult('|');
    const value = JSON.parse(text) as Record<string, unknown>;
    assert.equal(value.functionName, 'my-function');
    assert.equal(value.invocationType, 'RequestResponse');
    assert.deepEqual(analyze(text).diagnostics, []);
  });

  test('in an array, as a new element', () => {
    const text = snippetResult('[{"functionName": "a"}, |]');
    const value = JSON.parse(text) as unknown[];
    assert.equal(value.length, 2);
    assert.deepEqual(analyze(text).diagnostics, []);
    assert.deepEqual(completeAt('[|]').labels, ['New invocation']);
  });
});
