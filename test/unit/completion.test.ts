import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { partition } from '@aws-sdk/util-endpoints';
import { type CompletionItem, CompletionItemKind, InsertTextFormat, type MarkupContent, type TextEdit } from 'vscode-languageserver-types';
import type { AccountFactsLookup } from '../../src/language/account';
import { completionFactsNeeded, completions } from '../../src/language/completion';
import { REGIONS } from '../../src/lambda/regions';
import { analyze, cursor } from './helpers';
import { CATALOGUE, NOTHING_KNOWN, arnOf, lookupOf } from './accountFixtures';

interface Completed {
  items: CompletionItem[];
  labels: string[];
  document: TextDocument;
  offset: number;
}

function completeAt(textWithMarker: string, facts?: AccountFactsLookup): Completed {
  const { text, offset } = cursor(textWithMarker);
  const a = analyze(text);
  const items = completions(a.document, a.doc, offset, facts);
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

describe('completion: what the account has', () => {
  const account = lookupOf();
  const item = (c: Completed, label: string) => {
    const found = c.items.find((i) => i.label === label);
    assert.ok(found, `no item ${label} in ${c.labels.join(', ')}`);
    return found;
  };

  test('functionName: the catalogue’s names, with the runtime and the description', () => {
    const c = completeAt('{"functionName": "|"}', account);
    assert.deepEqual(c.labels, CATALOGUE.map((f) => f.name));
    assert.equal(item(c, 'billing').detail, 'python3.13');
    assert.equal(item(c, 'orders-service').documentation, 'Takes orders | pays');
    assert.ok(c.items.every((i) => i.kind === CompletionItemKind.Function));
    assert.equal(accept(c, 'billing'), '{"functionName": "billing"}');
    assert.equal(accept(completeAt('{"functionName": |}', account), 'billing'), '{"functionName": "billing"}');
  });

  test('functionName: full ARNs once "arn:" is typed', () => {
    const c = completeAt('{"functionName": "arn:|"}', account);
    assert.deepEqual(c.labels, CATALOGUE.map((f) => f.arn));
    assert.equal(accept(c, arnOf('workflow')), `{"functionName": "${arnOf('workflow')}"}`);
  });

  test('functionName: after "name:", that function’s qualifiers, in order, the aliases with their versions', () => {
    const c = completeAt('{"functionName": "orders-service:|"}', account);
    assert.deepEqual(c.labels, ['$LATEST', '4', '3', '2', '1', 'prod', 'staging'].map((q) => `orders-service:${q}`));
    assert.equal(item(c, 'orders-service:prod').detail, 'alias → version 3');
    assert.equal(item(c, 'orders-service:4').detail, 'published version');
    assert.deepEqual(c.items.map((i) => i.sortText), [...c.items.map((i) => i.sortText)].sort(), 'items keep this order');
    assert.equal(accept(c, 'orders-service:prod'), '{"functionName": "orders-service:prod"}');
    // An ARN of the catalogue, then ":".
    const arn = completeAt(`{"functionName": "${arnOf('billing')}:|", "region": "us-west-2"}`, lookupOf({ target: { region: 'us-west-2' } }));
    assert.deepEqual(arn.labels, [`${arnOf('billing')}:$LATEST`]);
  });

  test('qualifier: $LATEST, the versions and the aliases; only $LATEST while the function is not known', () => {
    const c = completeAt('{"functionName": "orders-service", "qualifier": "|"}', account);
    assert.deepEqual(c.labels, ['$LATEST', '4', '3', '2', '1', 'prod', 'staging']);
    assert.equal(item(c, 'staging').detail, 'alias → version 4');
    assert.deepEqual(item(c, 'prod').documentation, 'What customers call');
    assert.equal(accept(c, 'prod'), '{"functionName": "orders-service", "qualifier": "prod"}');
    assert.deepEqual(completeAt('{"functionName": "orders-service", "qualifier": |}', NOTHING_KNOWN).labels, ['$LATEST']);
    assert.deepEqual(completeAt('{"functionName": "ghost", "qualifier": "|"}', account).labels, ['$LATEST']);
  });

  test('region: the regions of the partition, by name; the ARN’s partition first, else the catalogue’s', () => {
    const commercial = completeAt('{"functionName": "billing", "region": "|"}', account);
    assert.equal(commercial.labels[0], 'us-east-1');
    assert.ok(!commercial.labels.includes('cn-north-1'), 'the catalogue is in aws: no China regions');
    assert.equal(item(commercial, 'us-west-2').detail, 'US West (Oregon)');
    assert.equal(accept(commercial, 'eu-west-1'), '{"functionName": "billing", "region": "eu-west-1"}');
    const china = completeAt('{"functionName": "arn:aws-cn:lambda:cn-north-1:123456789012:function:f", "region": "|"}', account);
    assert.deepEqual(china.labels, ['cn-north-1', 'cn-northwest-1']);
    // Nothing says which partition: every region.
    assert.equal(completeAt('{"functionName": "billing", "region": "|"}', NOTHING_KNOWN).labels.length, REGIONS.length);
  });

  test('the region table agrees with the SDK’s partition data: each code’s partition and name', () => {
    for (const region of REGIONS) {
      const sdk = partition(region.code) as { name: string; description?: string };
      assert.equal(sdk.name, region.partition, region.code);
      assert.equal(sdk.description, region.name, region.code);
    }
  });

  test('nothing from the account while its facts are unknown, and no account values without a lookup', () => {
    assert.deepEqual(completeAt('{"functionName": "|"}', NOTHING_KNOWN).labels, []);
    assert.deepEqual(completeAt('{"functionName": "|"}').labels, []);
    assert.deepEqual(completeAt('{"functionName": "f", "qualifier": "|"}').labels, []);
    // The schema's enum values stay as they were.
    const c = completeAt('{"functionName": "f", "logType": "|"}', account);
    assert.deepEqual(c.labels, ['None', 'Tail']);
    assert.match((c.items[1]!.documentation as MarkupContent).value, /last 4 KB/);
  });

  test('completionFactsNeeded names what these completions read, so that the server can ask first', () => {
    const needed = (textWithMarker: string, facts: AccountFactsLookup = NOTHING_KNOWN) => {
      const { text, offset } = cursor(textWithMarker);
      return completionFactsNeeded(analyze(text).doc, offset, facts);
    };
    assert.deepEqual(needed('{"functionName": "|", "profile": "dev"}'), [{ kind: 'functions', target: { profile: 'dev' } }]);
    // The function's own facts after "name:" once the catalogue lists it.
    assert.deepEqual(needed('{"functionName": "billing:|"}'), [{ kind: 'functions', target: {} }]);
    assert.deepEqual(needed('{"functionName": "billing:|"}', account), [
      { kind: 'functions', target: {} },
      { kind: 'function', target: {}, functionName: 'billing' },
    ]);
    assert.deepEqual(needed('{"functionName": "billing", "qualifier": "|"}'), [{ kind: 'function', target: {}, functionName: 'billing' }]);
    assert.deepEqual(needed('{"functionName": "billing", "payload": {|}}'), []);
    assert.deepEqual(needed('{"functionName": "billing", "region": "us-|"}'), []);
  });
});
