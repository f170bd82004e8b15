import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'jsonc-parser';
import { type ParsedDocument, keyNode, nodeText, parseDocument, valueNode } from '../../src/language/document';
import { analyze } from './helpers';
import { messageOf, single, SYNC_LIMIT } from './builders';

/** The same document with a syntax error after the root, so it takes the error path. */
const broken = (text: string) => `${text} }`;

interface Shape {
  type: string;
  offset: number;
  length: number;
  value?: unknown;
  children?: Shape[];
}

/** A node without parents, and with children only where both paths build them. */
function shape(node: Node, deep: boolean): Shape {
  const s: Shape = { type: node.type, offset: node.offset, length: node.length };
  if (node.type !== 'object' && node.type !== 'array' && node.type !== 'property') s.value = node.value as unknown;
  if (node.children && (deep || node.type === 'property')) s.children = node.children.map((c) => shape(c, false));
  return s;
}

function invocationShapes(doc: ParsedDocument) {
  return doc.invocations.map((inv) => ({
    index: inv.index,
    node: { type: inv.node.type, offset: inv.node.offset, length: inv.node.length },
    keys: [...inv.properties.keys()],
    properties: inv.node.children!.map((p) => shape(p, false)),
    clientContext: inv.properties.has('clientContext') ? shape(valueNode(inv.properties.get('clientContext')!)!, true) : undefined,
    shadowed: inv.shadowed.map((p) => p.offset),
    // jsonc-parser builds objects without a prototype; compare the data.
    value: JSON.parse(JSON.stringify(inv.value)) as unknown,
  }));
}

const tricky = [
  '{"s": "]}\\"{[", "t": "\\\\", "u": "\\u005d\\u007b", "v": "tab\\tnew\\nline"}',
  '["}", "\\"", [[]], {}, "\\\\\\"]"]',
  '"a string with } and ] and \\" inside"',
  '12345678901234567890',
  '1.50',
  '-0.0e+10',
  'null',
  'true',
  '{ "nested" : {\n    "deep" : [ 1 , { "x" : "\\\\\\"" } ]\n  }\n}',
  '"C:\\\\path\\\\"',
  '{"emoji": "😀é", "empty": "", "obj": {"": {"": []}}}',
];

describe('parser: the fast path and the error path agree', () => {
  const documents = [
    '{\n  "name": "one",\n  "functionName": "f",\n  "payload": {"a": [1, 2, {"b": "]"}]},\n  "region": "us-east-1"\n}',
    '[\n  {"functionName": "a", "payload": [1, "}", {"c": "\\"{"}]},\n  {"functionName": "b", "clientContext": {"custom": {"k": [1, {"z": "]"}]}}},\n  7,\n  "x",\n  {}\n]',
    '{"functionName":"a","functionName":"b","payload":1.50,"payload":12345678901234567890}',
    '\r\n\t{ "functionName" :\t"f" ,\r\n "payload" : { } , "logType":"Tail" }\r\n',
    ...tricky.map((payload) => `{"functionName":"f","payload":${payload},"region":"us-west-2"}`),
    `[${tricky.map((payload, i) => `{"functionName":"f${i}","payload":${payload}}`).join(',')}]`,
  ];

  documents.forEach((text, i) => {
    test(`document ${i + 1}: same invocations, properties, ranges and values`, () => {
      const fast = parseDocument(text);
      const slow = parseDocument(broken(text));
      assert.deepEqual(fast.syntaxErrors, []);
      assert.ok(slow.syntaxErrors.length > 0, 'the broken copy goes through the error path');
      assert.equal(slow.syntaxErrors[0]!.offset, text.length + 1);
      assert.ok(fast.invocations.length > 0);
      assert.deepEqual(invocationShapes(slow), invocationShapes(fast));
      assert.deepEqual(
        slow.strayElements.map((n) => [n.type, n.offset, n.length]),
        fast.strayElements.map((n) => [n.type, n.offset, n.length]),
      );
      assert.equal(slow.root?.length, fast.root?.length);
    });
  });

  test('the fast path keeps JSON.parse’s value of the document', () => {
    const text = '[{"functionName":"f","payload":{"n":1.50}}]';
    assert.deepEqual(parseDocument(text).value, JSON.parse(text));
    assert.equal(parseDocument(broken(text)).value, undefined);
  });

  test('a repeated key keeps the last property and lists the earlier as shadowed', () => {
    const text = '{"functionName":"a","region":"x","functionName":"b"}';
    const inv = parseDocument(text).invocations[0]!;
    assert.equal(valueNode(inv.properties.get('functionName')!)!.value, 'b');
    assert.deepEqual(
      inv.shadowed.map((p) => nodeText(text, p)),
      ['"functionName":"a"'],
    );
    assert.equal(inv.value.functionName, 'b');
  });
});

describe('parser: the payload node covers exactly the payload source', () => {
  for (const payload of tricky) {
    test(`payload ${payload.length > 40 ? `${payload.slice(0, 40)}…` : payload}`, () => {
      const text = `{\n  "functionName": "f",\n  "payload": ${payload},\n  "qualifier": "1"\n}`;
      for (const source of [text, broken(text)]) {
        const doc = parseDocument(source);
        const node = valueNode(doc.invocations[0]!.properties.get('payload')!)!;
        assert.equal(nodeText(source, node), payload);
        // The property after it is found where it is.
        assert.equal(keyNode(doc.invocations[0]!.properties.get('qualifier')!).value, 'qualifier');
      }
      // And what is measured is exactly those bytes.
      assert.deepEqual(analyze(text).diagnostics, []);
    });
  }

  test('in an array file, each element’s payload', () => {
    const text = `[${tricky.map((p) => `{"functionName":"f","payload":${p}}`).join(',\n ')}]`;
    const doc = parseDocument(text);
    assert.deepEqual(
      doc.invocations.map((inv) => nodeText(text, valueNode(inv.properties.get('payload')!)!)),
      tricky,
    );
  });
});

describe('parser: large and unusual documents', () => {
  test('a 10 MB single-line string value parses, is measured, and does not throw', () => {
    const n = 10 * 1024 * 1024;
    const text = `{"functionName":"f","payload":"${'x'.repeat(n)}","region":"us-east-1"}`;
    const started = performance.now();
    const a = analyze(text);
    const elapsed = performance.now() - started;
    const payload = valueNode(a.doc.invocations[0]!.properties.get('payload')!)!;
    assert.equal(payload.length, n + 2);
    assert.equal(keyNode(a.doc.invocations[0]!.properties.get('region')!).offset, text.indexOf('"region"'));
    assert.match(messageOf(single(a, 'payload-too-large')), /Payload is 10,485,762 bytes/);
    assert.ok(elapsed < 5000, `${elapsed.toFixed(0)} ms`);
  });

  test('a 10 MB string in a broken document gives syntax errors, not an exception', () => {
    const text = `{"functionName":"f","payload":"${'x'.repeat(10 * 1024 * 1024)}",}`;
    const a = analyze(text);
    assert.deepEqual(
      a.diagnostics.map((d) => [d.code, a.document.offsetAt(d.range.start)]),
      [['json-syntax', text.length - 2]],
    );
  });

  test('a payload of a million escaped quotes is stepped over', () => {
    const inner = `{"body":"${'\\"'.repeat(1_000_000)}"}`;
    const text = `{"functionName":"f","payload":${inner},"region":"eu-west-1"}`;
    const doc = parseDocument(text);
    assert.equal(nodeText(text, valueNode(doc.invocations[0]!.properties.get('payload')!)!), inner);
    assert.equal(doc.invocations[0]!.value.region, 'eu-west-1');
  });

  test('a payload just under 6 MB spread over many lines is fine', () => {
    const line = '  "k": "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",\n';
    const count = Math.floor((SYNC_LIMIT - 20) / line.length);
    const payload = `{\n${line.repeat(count)}  "end": 1\n}`;
    assert.ok(Buffer.byteLength(payload) <= SYNC_LIMIT);
    const a = analyze(`{"functionName": "f", "payload": ${payload}}`);
    assert.deepEqual(a.diagnostics, []);
  });

  test('a document that is only whitespace has no root and no invocations', () => {
    const doc = parseDocument('   ');
    assert.equal(doc.root, undefined);
    assert.deepEqual(doc.invocations, []);
    assert.equal(doc.syntaxErrors.length, 1);
  });
});
