/**
 * reparseDocument against parseDocument. For thousands of seeded random edits of small and large
 * documents, the parse that reuses the previous version's structure must equal a fresh parse of
 * the new text in everything the language service can see: the tree, the invocations, the values
 * (the payload's read through its getter), the syntax errors, every diagnostic and the payload's
 * byte count. And reuse must happen for a keystroke inside a payload, and must not for any edit
 * that could move a string or a bracket, or that is not inside a stepped-over container.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Node } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { invocationFacts } from '../../src/language/invocationFacts';
import { type ParsedDocument, type TextChange, nodeText, parseDocument, reparseDocument, valueNode } from '../../src/language/document';
import { validateDocument } from '../../src/language/validate';
import { largeInvocationDocument } from '../fixtures/largeDocument';
import { ASYNC_LIMIT } from './builders';
import { DOC_URI, type FakeFiles, context } from './helpers';
import { Random } from '../fixtures/random';

// ---------------------------------------------------------------------------------------
// Everything observable about a parse, as plain data

const FILES: FakeFiles = { '/ws/tests/events/order.json': '{"orderId": "A-1"}' };

interface Shape {
  type: string;
  offset: number;
  length: number;
  colonOffset?: number;
  value?: unknown;
  children?: Shape[];
}

/** The tree as data; also names each node by its path, and checks every child points back to its parent. */
function treeShape(node: Node, path: string, paths: Map<Node, string>): Shape {
  paths.set(node, path);
  const shape: Shape = { type: node.type, offset: node.offset, length: node.length };
  if ('colonOffset' in node) shape.colonOffset = node.colonOffset;
  if ('value' in node) shape.value = node.value;
  if (node.children) {
    shape.children = node.children.map((child, i) => {
      assert.equal(child.parent, node, `the parent of ${path}/${i}`);
      return treeShape(child, `${path}/${i}`, paths);
    });
  }
  return shape;
}

/** A value as JSON text: jsonc-parser's objects have no prototype, and a megabyte compares faster as a string. */
function plain(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

function observe(doc: ParsedDocument, text: string) {
  assert.equal(doc.text, text);
  const paths = new Map<Node, string>();
  const tree = doc.root && treeShape(doc.root, 'root', paths);
  const where = (node: Node) => paths.get(node) ?? `detached ${node.type} at ${node.offset}`;
  const ctx = context(FILES);
  const document = TextDocument.create(DOC_URI, 'lambda-invoke', 1, text);
  return {
    tree,
    syntaxErrors: doc.syntaxErrors,
    value: plain(doc.value), // reads each payload through its getter
    strayElements: doc.strayElements.map(where),
    invocations: doc.invocations.map((invocation) => {
      const payload = invocationFacts(doc, invocation, ctx).payload;
      const payloadNode = invocation.properties.get('payload');
      return {
        index: invocation.index,
        node: where(invocation.node),
        properties: [...invocation.properties].map(([key, property]) => [key, where(property)]),
        shadowed: invocation.shadowed.map(where),
        keys: Object.keys(invocation.value),
        readOnDemand: Object.entries(Object.getOwnPropertyDescriptors(invocation.value))
          .filter(([, descriptor]) => descriptor.get !== undefined)
          .map(([key]) => key),
        // The invocation's value is the one in the document's, so `value` above has read its payload through the getter.
        inDocumentValue: doc.value === invocation.value || (Array.isArray(doc.value) && doc.value[invocation.index] === invocation.value),
        payloadBytes: payload.kind === 'inline' ? payload.bytes : undefined,
        payloadBytesCounted: payloadNode && valueNode(payloadNode) ? Buffer.byteLength(nodeText(text, valueNode(payloadNode)!)) : undefined,
      };
    }),
    diagnostics: validateDocument(document, doc, ctx),
  };
}

/** reparsed must be what parseDocument makes of the text, in every observable respect; returns what was seen. */
function assertSameAsFresh(reparsed: ParsedDocument, text: string, label: string): ReturnType<typeof observe> {
  const seen = observe(reparsed, text);
  assert.deepEqual(seen, observe(parseDocument(text), text), label);
  for (const invocation of seen.invocations) assert.equal(invocation.payloadBytes ?? invocation.payloadBytesCounted, invocation.payloadBytesCounted, label);
  return seen;
}

// ---------------------------------------------------------------------------------------
// Edits

interface Edited {
  changes: TextChange[];
  text: string;
  /** The changes that take the text back, in order. */
  undo: TextChange[];
}

/** Applies changes in order, each to the text the ones before it left. */
function apply(text: string, changes: readonly TextChange[]): Edited {
  const undo: TextChange[] = [];
  for (const change of changes) {
    undo.unshift({ offset: change.offset, length: change.text.length, text: text.slice(change.offset, change.offset + change.length) });
    text = text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
  }
  return { changes: [...changes], text, undo };
}

/** One change: `remove` units at `needle`'s start + `skip` replaced by `insert`. */
function at(text: string, needle: string, options: { skip?: number; remove?: number; insert?: string; from?: number } = {}): TextChange {
  const found = text.indexOf(needle, options.from ?? 0);
  assert.ok(found >= 0, `no ${JSON.stringify(needle)} in the test document`);
  return { offset: found + (options.skip ?? 0), length: options.remove ?? 0, text: options.insert ?? '' };
}

/** Changes made one after another, each placed in the text the ones before it left. */
function inTurn(text: string, ...makers: ((text: string) => TextChange)[]): TextChange[] {
  const changes: TextChange[] = [];
  for (const make of makers) {
    const change = make(text);
    changes.push(change);
    text = apply(text, [change]).text;
  }
  return changes;
}

/** The stepped-over containers an invocation reads on demand: where reuse may happen. */
function steppedOver(doc: ParsedDocument): Node[] {
  return doc.invocations.flatMap((invocation) =>
    [...invocation.properties.values()]
      .map(valueNode)
      .filter((node): node is Node => node !== undefined && node.children === undefined && (node.type === 'object' || node.type === 'array')),
  );
}

/** Mostly what a user types; now and then a character that moves structure or breaks the JSON. */
const TYPED: readonly string[] = [
  'a', 'b', 'x', 'Z', '0', '7', ' ', ' ', '-', '.', 'e', ',', ':', 'é', 'ß', '漢', '😀', '\uD83D', '\uDE00', '\u2028', 'true',
  'null', 'lorem ipsum', '42', '"', '\\', '[', ']', '{', '}', '\n', '\t', '\\n', '""', '[]', '{}', ', 1', ', "k": 2',
];

/** What can be typed into a string and leave it a string. */
const TYPED_IN_STRINGS = TYPED.filter((typed) => !/["\\[\]{}\n\t]/.test(typed));

function randomChange(rng: Random, text: string, doc: ParsedDocument | undefined): TextChange {
  const containers = doc ? steppedOver(doc) : [];
  let offset: number;
  if (containers.length > 0 && rng.chance(0.8)) {
    // Inside (or on the brackets of) a stepped-over container.
    const container = rng.pick(containers);
    offset = container.offset + rng.int(Math.min(container.length, text.length - container.offset) + 1);
  } else {
    offset = rng.int(text.length + 1);
  }
  const length = rng.chance(0.5) ? 0 : Math.min(text.length - offset, 1 + rng.int(rng.chance(0.9) ? 4 : 40));
  const inserted = rng.chance(0.3) ? '' : Array.from({ length: 1 + rng.int(rng.chance(0.8) ? 1 : 4) }, () => rng.pick(TYPED)).join('');
  return { offset, length, text: inserted };
}

/** One to three changes, each against the text the ones before it left. */
function randomEdit(rng: Random, text: string, doc: ParsedDocument): Edited {
  const changes: TextChange[] = [];
  let current = text;
  for (let n = rng.chance(0.85) ? 1 : 2 + rng.int(2); n > 0; n--) {
    const change = randomChange(rng, current, changes.length === 0 ? doc : parseDocumentOrUndefined(current));
    changes.push(change);
    current = apply(current, [change]).text;
  }
  return apply(text, changes);
}

/** What typing in a large payload mostly is: characters typed into, or deleted from, one of its strings. */
function typingEdit(rng: Random, text: string, doc: ParsedDocument): Edited {
  const containers = steppedOver(doc);
  if (containers.length === 0 || rng.chance(0.1)) return randomEdit(rng, text, doc);
  const container = rng.pick(containers);
  const open = text.indexOf('": "', container.offset + rng.int(container.length));
  if (open < 0 || open >= container.offset + container.length) return randomEdit(rng, text, doc);
  const start = open + '": "'.length;
  const close = text.indexOf('"', start);
  const offset = start + rng.int(close - start + 1);
  if (offset < close && rng.chance(0.5)) return apply(text, [{ offset, length: 1 + rng.int(Math.min(3, close - offset)), text: '' }]);
  return apply(text, [{ offset, length: 0, text: rng.pick(TYPED_IN_STRINGS) }]);
}

/** A later change of a multi-change edit aims at the containers of the text so far, when it parses. */
function parseDocumentOrUndefined(text: string): ParsedDocument | undefined {
  const doc = parseDocument(text);
  return doc.syntaxErrors.length === 0 ? doc : undefined;
}

// ---------------------------------------------------------------------------------------
// Documents

const TRICKY_PAYLOAD =
  '{"note": "Leave at the door", "brackets": "]}[{ \\"quoted\\" \\\\", "path": "C:\\\\temp\\\\", "unicode": "\\u005d\\u007b é 漢 😀",' +
  ' "items": [1, -2.5e3, {"sku": "A-1", "tags": ["x", "}"]}, [], {}], "flag": true, "none": null}';

const SMALL = `{\n  "name": "Tricky",\n  "functionName": "orders:live",\n  "payload": ${TRICKY_PAYLOAD},\n  "region": "us-east-1"\n}\n`;

const ARRAY_FILE = [
  '[',
  `  {"name": "one", "functionName": "orders", "payload": ${TRICKY_PAYLOAD}},`,
  '  {"functionName": "events", "invocationType": "Event", "payload": [1, "two", {"three": "]"}], "logType": "Tail"},',
  '  {"functionName": "file", "payloadFile": "events/order.json", "clientContext": {"custom": {"k": [1, {"z": "]"}]}}},',
  '  {"functionName": "twice", "payload": {"first": "[old]"}, "payload": {"second": "{new}"}},',
  '  {"functionName": "named", "name": {"not": "a string"}, "payload": []},',
  '  7,',
  '  "stray",',
  '  {}',
  ']',
].join('\r\n');

/** A payload past the depth the scanner builds: its inner containers are stepped over too, but read from JSON.parse's value. */
const DEEP = `[{"functionName": "deep", "clientContext": {"custom": ${'['.repeat(70)}1, "a b"${']'.repeat(70)}}, "payload": {"x": 1, "text": "plenty of room to type in, [and] {brackets}", "list": [1, 2, 3]}}, ${'['.repeat(70)}"c d"${']'.repeat(70)}]`;

/** An Event invocation whose payload sits on the 1 MB limit, so a keystroke can cross it either way. */
function onTheEventLimit(): string {
  const large = largeInvocationDocument(ASYNC_LIMIT + 4096);
  const payloadStart = large.text.indexOf('"payload": ') + '"payload": '.length;
  const payloadEnd = large.text.length - '\n}\n'.length;
  // Trim to the limit by dropping hex digits from the receipt handles (ASCII: a unit is a byte).
  const handle = '"receiptHandle": "AQEB';
  let trimmed = large.text.slice(payloadStart, payloadEnd);
  let excess = Buffer.byteLength(trimmed) - ASYNC_LIMIT;
  assert.ok(excess > 0, 'the generated payload is over the limit');
  for (let at = 0; excess > 0; ) {
    at = trimmed.indexOf(handle, at);
    assert.ok(at >= 0, 'enough receipt handles to trim');
    at += handle.length;
    const take = Math.min(excess, 90);
    trimmed = trimmed.slice(0, at) + trimmed.slice(at + take);
    excess -= take;
  }
  assert.equal(Buffer.byteLength(trimmed), ASYNC_LIMIT);
  return large.text.slice(0, payloadStart).replace('"RequestResponse"', '"Event"') + trimmed + large.text.slice(payloadEnd);
}

// ---------------------------------------------------------------------------------------
// The random walk

interface WalkStats {
  steps: number;
  reused: number;
  refused: number;
  invalid: number;
  /** Valid versions with a payload over its limit. */
  tooLarge: number;
}

/**
 * `steps` random edits from `start`, each reparsed from the previous version's reparse (so reuse
 * builds on reuse) and compared with a fresh parse. A version is sometimes compared only after the
 * next one is built from it, so that one starts without a counted payload size and counts its own.
 * An edit that breaks the JSON is mostly undone, again through reparseDocument; a broken version
 * that is kept is edited once more and then replaced whole by the last valid text.
 */
function walk(start: string, steps: number, seed: number, makeEdit = randomEdit): WalkStats {
  const rng = new Random(seed);
  const stats: WalkStats = { steps: 0, reused: 0, refused: 0, invalid: 0, tooLarge: 0 };
  let text = start;
  let lastValid = start;
  let doc = parseDocument(text);
  let deferred: (() => void) | undefined;
  const check = (reparsed: ParsedDocument, version: string, label: string) => {
    const run = () => {
      const seen = assertSameAsFresh(reparsed, version, label);
      if (seen.diagnostics.some((d) => d.code === 'payload-too-large')) stats.tooLarge++;
    };
    if (rng.chance(0.25)) {
      deferred = run;
    } else {
      run();
    }
  };
  for (let step = 0; step < steps; step++) {
    const edit = makeEdit(rng, text, doc);
    const label = `seed ${seed}, step ${step}: ${JSON.stringify(edit.changes)}`;
    const reparsed = reparseDocument(doc, edit.changes, edit.text);
    const earlier = deferred;
    deferred = undefined;
    earlier?.();
    stats.steps++;
    if (reparsed.reused) stats.reused++;
    else stats.refused++;
    if (reparsed.syntaxErrors.length > 0) {
      stats.invalid++;
      assertSameAsFresh(reparsed, edit.text, label);
      const wasBroken = doc.syntaxErrors.length > 0;
      const restore = wasBroken ? [{ offset: 0, length: edit.text.length, text: lastValid }] : rng.chance(0.85) ? edit.undo : undefined;
      if (restore) {
        const restored = reparseDocument(reparsed, restore, apply(edit.text, restore).text);
        assert.equal(restored.reused, undefined, `${label}: leaving a broken version scans`);
        assertSameAsFresh(restored, restored.text, `${label}, restored`);
        doc = restored;
        text = restored.text;
        continue;
      }
    } else {
      lastValid = edit.text;
      check(reparsed, edit.text, label);
    }
    doc = reparsed;
    text = edit.text;
  }
  deferred?.();
  return stats;
}

describe('reparseDocument: the same as parsing anew, for random edits', () => {
  const documents: [string, string, number][] = [
    ['one invocation with a tricky payload', SMALL, 3000],
    ['an array file with CRLF, stray elements, a repeated payload and a clientContext', ARRAY_FILE, 2500],
    ['containers nested past the scanner’s depth', DEEP, 1000],
  ];
  documents.forEach(([name, text, steps], i) => {
    test(`${name}: ${steps} edits`, () => {
      const stats = walk(text, steps, 1000 + i);
      // The walk must exercise both paths, or it proves little.
      assert.ok(stats.reused > steps / 5, `reused ${stats.reused} of ${steps}`);
      assert.ok(stats.refused > steps / 10, `refused ${stats.refused} of ${steps}`);
    });
  });

  test('an Event invocation whose 1 MB payload sits on the limit: 80 edits, the size check follows every byte', () => {
    const text = onTheEventLimit();
    assert.equal(parseDocument(text).syntaxErrors.length, 0);
    const stats = walk(text, 80, 77, typingEdit);
    assert.ok(stats.reused > 40, `reused ${stats.reused} of 80`);
    // The walk crosses the limit both ways: some valid versions are over it, others not.
    assert.ok(stats.tooLarge > 0 && stats.tooLarge < stats.steps - stats.invalid, `${stats.tooLarge} versions over the limit`);
  });
});

// ---------------------------------------------------------------------------------------
// When reuse happens, and when it must not

/** Reparses `previous` with `changes` and checks it against a fresh parse; returns the result. */
function reparse(previous: string | ParsedDocument, changes: TextChange[], label: string, newText?: string): ParsedDocument {
  const doc = typeof previous === 'string' ? parseDocument(previous) : previous;
  const text = newText ?? apply(doc.text, changes).text;
  const reparsed = reparseDocument(doc, changes, text);
  assertSameAsFresh(reparsed, text, label);
  return reparsed;
}

describe('reparseDocument: reuses the structure for edits inside a stepped-over container', () => {
  const cases: [string, string, (text: string) => TextChange[]][] = [
    ['a letter typed into a payload string', SMALL, (t) => [at(t, 'the door', { skip: 8, insert: 's' })]],
    ['a letter deleted from a payload string', SMALL, (t) => [at(t, 'the door', { skip: 4, remove: 1 })]],
    ['a word replaced', SMALL, (t) => [at(t, 'Leave', { remove: 5, insert: 'Drop it' })]],
    ['a digit typed into a payload number', SMALL, (t) => [at(t, '-2.5e3', { skip: 2, insert: '7' })]],
    ['spaces between payload tokens', SMALL, (t) => [at(t, ', "flag"', { skip: 1, insert: '\n      ' })]],
    ['non-ASCII and a surrogate pair typed', SMALL, (t) => [at(t, 'the door', { insert: 'ü😀漢 ' })]],
    ['next to a string’s escapes, not after a backslash', SMALL, (t) => [at(t, '\\"quoted', { skip: 2, insert: 'un' })]],
    ['just after the opening bracket', SMALL, (t) => [at(t, TRICKY_PAYLOAD, { skip: 1, insert: ' ' })]],
    ['just before the closing bracket', SMALL, (t) => [at(t, TRICKY_PAYLOAD, { skip: TRICKY_PAYLOAD.length - 1, insert: ' ' })]],
    ['a whole string’s contents removed', SMALL, (t) => [at(t, 'Leave at the door', { remove: 17 })]],
    [
      'three changes in one payload, in one didChange',
      SMALL,
      (t) => {
        const [first, second] = inTurn(t, (u) => at(u, 'the door', { insert: 'X' }), (u) => at(u, '"A-1"', { skip: 2, remove: 1, insert: '2' }));
        return [first!, second!, { offset: first!.offset + 1, length: 0, text: 'Y' }];
      },
    ],
    ['a keystroke in an array file’s second payload', ARRAY_FILE, (t) => [at(t, '"two"', { skip: 2, insert: 'o' })]],
    ['a keystroke in the value that counts of a repeated payload', ARRAY_FILE, (t) => [at(t, '{new}', { skip: 2, insert: 'er' })]],
    ['a keystroke in another stepped-over property', ARRAY_FILE, (t) => [at(t, 'a string', { insert: 'not ' })]],
  ];
  for (const [name, text, changes] of cases) {
    test(name, () => {
      assert.equal(reparse(text, changes(text), name).reused, true);
    });
  }

  test('reuse builds on reuse, keystroke after keystroke', () => {
    let doc = parseDocument(SMALL);
    for (const ch of ' Ring twice, then wait.') {
      const endOfNote = doc.text.indexOf('", "brackets"');
      doc = reparse(doc, [{ offset: endOfNote, length: 0, text: ch }], `typing ${ch}`);
      assert.equal(doc.reused, true);
    }
    assert.equal((doc.invocations[0]!.value.payload as { note: string }).note, 'Leave at the door Ring twice, then wait.');
  });
});

describe('reparseDocument: parses anew whenever reuse is not proven safe', () => {
  const withBrackets = SMALL.replace('"Leave at the door"', '"Leave [at] {the} door"');
  const cases: [string, string, (text: string) => TextChange[]][] = [
    ['a quote typed (a new property, still valid)', SMALL, (t) => [at(t, ' the door', { insert: '", "x": "' })]],
    ['a quote removed (two strings joined, still valid)', SMALL, (t) => [at(t, '", "brackets": "', { remove: 16, insert: ' ' })]],
    ['a backslash typed (an escape, still valid)', SMALL, (t) => [at(t, 'the door', { insert: '\\n' })]],
    ['a backslash removed (an escape undone, still valid)', SMALL, (t) => [at(t, 'C:\\\\temp', { skip: 2, remove: 2 })]],
    ['an edit right after an escaped backslash (still valid)', SMALL, (t) => [at(t, 'C:\\\\temp', { skip: 4, insert: 'x' })]],
    ['an edit right after an escaping backslash (\\\\ becomes \\n\\, still valid)', SMALL, (t) => [at(t, 'C:\\\\temp', { skip: 3, insert: 'n' })]],
    ['[ typed into a string', SMALL, (t) => [at(t, 'the door', { insert: '[' })]],
    ['] typed into a string', SMALL, (t) => [at(t, 'the door', { insert: ']' })]],
    ['{ typed into a string', SMALL, (t) => [at(t, 'the door', { insert: '{' })]],
    ['} typed into a string', SMALL, (t) => [at(t, 'the door', { insert: '}' })]],
    ['[ removed from a string', withBrackets, (t) => [at(t, '[at]', { remove: 1 })]],
    ['] removed from a string', withBrackets, (t) => [at(t, '[at]', { skip: 3, remove: 1 })]],
    ['{ removed from a string', withBrackets, (t) => [at(t, '{the}', { remove: 1 })]],
    ['} removed from a string', withBrackets, (t) => [at(t, '{the}', { skip: 4, remove: 1 })]],
    ['an element added ([] inserted)', SMALL, (t) => [at(t, '[1, -2.5e3', { skip: 1, insert: '[], ' })]],
    ['an element removed ({} deleted)', SMALL, (t) => [at(t, ', {}]', { remove: 4 })]],
    ['a space before the payload’s opening bracket', SMALL, (t) => [at(t, TRICKY_PAYLOAD, { insert: ' ' })]],
    ['a space after the payload’s closing bracket', SMALL, (t) => [at(t, TRICKY_PAYLOAD, { skip: TRICKY_PAYLOAD.length, insert: ' ' })]],
    ['the opening bracket retyped', SMALL, (t) => [at(t, TRICKY_PAYLOAD, { remove: 1, insert: '{' })]],
    ['the closing bracket retyped', SMALL, (t) => [at(t, TRICKY_PAYLOAD, { skip: TRICKY_PAYLOAD.length - 1, remove: 1, insert: '}' })]],
    ['an edit outside any container (the function name)', SMALL, (t) => [at(t, 'orders:live', { skip: 6, insert: 'x' })]],
    ['an edit in the built clientContext', ARRAY_FILE, (t) => [at(t, '"k"', { skip: 1, insert: 'x' })]],
    ['an edit in the earlier of a repeated payload', ARRAY_FILE, (t) => [at(t, '[old]', { skip: 1, insert: 'er' })]],
    ['an edit in a container nested past the scanner’s depth', DEEP, (t) => [at(t, 'a b', { skip: 1, insert: 'x' })]],
    ['an edit in a stray element nested past the scanner’s depth', DEEP, (t) => [at(t, 'c d', { skip: 1, insert: 'x' })]],
    [
      'changes in one payload and outside it',
      SMALL,
      (t) => inTurn(t, (u) => at(u, 'the door', { insert: 'x' }), (u) => at(u, 'us-east-1', { skip: 9, insert: 'x' })),
    ],
    [
      'a keystroke inside, then a space before the same payload’s opening bracket',
      SMALL,
      (t) => inTurn(t, (u) => at(u, 'the door', { insert: 'x' }), (u) => at(u, '"payload": {', { skip: 11, insert: ' ' })),
    ],
    [
      'a keystroke inside, then a space after the same payload’s closing bracket',
      SMALL,
      (t) => inTurn(t, (u) => at(u, 'the door', { insert: 'x' }), (u) => at(u, ',\n  "region"', { insert: ' ' })),
    ],
    [
      'changes in two invocations’ payloads',
      ARRAY_FILE,
      (t) => inTurn(t, (u) => at(u, 'the door', { insert: 'x' }), (u) => at(u, '"two"', { skip: 2, insert: 'x' })),
    ],
    ['a whole-text change', SMALL, (t) => [{ offset: 0, length: t.length, text: t.replace('the door', 'the back door') }]],
    ['no changes at all', SMALL, () => []],
  ];
  for (const [name, text, changes] of cases) {
    test(name, () => {
      const reparsed = reparse(text, changes(text), name);
      assert.equal(reparsed.reused, undefined);
      assert.equal(reparsed.syntaxErrors.length, 0, 'each case keeps the JSON valid, so only the conditions refuse');
    });
  }

  test('the previous version had syntax errors', () => {
    const broken = SMALL.replace('"us-east-1"', '"us-east-1",');
    const previous = parseDocument(broken);
    assert.ok(previous.syntaxErrors.length > 0);
    const reparsed = reparse(previous, [at(broken, 'the door', { insert: 'x' })], 'after a broken version');
    assert.equal(reparsed.reused, undefined);
  });

  test('the new text fails JSON.parse although no string or bracket moved', () => {
    for (const change of [
      at(SMALL, 'the door', { insert: '\n' }), // a raw line break in a string
      at(SMALL, '-2.5e3', { skip: 6, insert: ' 4' }), // two numbers without a comma
      at(SMALL, 'true', { skip: 2, insert: 'x' }), // a broken literal
      at(SMALL, ', "flag"', { remove: 1 }), // a comma removed
    ]) {
      const reparsed = reparse(SMALL, [change], JSON.stringify(change));
      assert.equal(reparsed.reused, undefined);
      assert.ok(reparsed.syntaxErrors.length > 0);
    }
  });

  test('changes that do not give the new text', () => {
    const change = at(SMALL, 'the door', { insert: 'x' });
    const other = apply(SMALL, [at(SMALL, 'the door', { insert: 'y' })]).text;
    const longer = apply(SMALL, [at(SMALL, 'the door', { insert: 'xy' })]).text;
    assert.equal(reparse(SMALL, [change], 'another letter', other).reused, undefined);
    assert.equal(reparse(SMALL, [change], 'another length', longer).reused, undefined);
  });

  test('changes with offsets that are not whole numbers or lengths below zero', () => {
    const change = at(SMALL, 'the door', { insert: 'x' });
    const text = apply(SMALL, [change]).text;
    for (const bad of [{ ...change, offset: change.offset + 0.5 }, { ...change, offset: Number.NaN }, { ...change, length: -1 }]) {
      assert.equal(reparse(SMALL, [bad], JSON.stringify(bad), text).reused, undefined);
    }
  });

  test('changes spread wider than it is worth following', () => {
    const text = `{"functionName": "f", "payload": ["${'a'.repeat(100_000)}"]}`;
    const changes = [at(text, 'aaa', { insert: 'x' }), { offset: text.length - 4, length: 0, text: 'y' }];
    assert.equal(reparse(text, changes, 'cursors 100,000 apart').reused, undefined);
    const paste = [at(text, 'aaa', { insert: 'b'.repeat(70_000) })];
    assert.equal(reparse(text, paste, 'a 70,000-character paste').reused, undefined);
  });
});

describe('reparseDocument: the payload’s UTF-8 size', () => {
  const text = '{"functionName": "f", "invocationType": "Event", "payload": {"s": "ab😀cd", "t": "\uD83D", "u": "x\uDE00"}}';
  const payloadBytes = (doc: ParsedDocument) => {
    const payload = invocationFacts(doc, doc.invocations[0]!, context()).payload;
    assert.equal(payload.kind, 'inline');
    return payload.kind === 'inline' ? payload.bytes : -1;
  };
  const pair = text.indexOf('😀');
  const cases: [string, TextChange][] = [
    ['a letter between the halves of a pair', { offset: pair + 1, length: 0, text: 'x' }],
    ['the low half of a pair removed', { offset: pair + 1, length: 1, text: '' }],
    ['the high half of a pair removed', { offset: pair, length: 1, text: '' }],
    ['a high half replaced by another', { offset: pair, length: 1, text: '\uD83E' }],
    ['a low half typed after a lone high half, joining them', { offset: text.indexOf('"\uD83D"') + 2, length: 0, text: '\uDE03' }],
    ['a high half typed before a lone low half, joining them', { offset: text.indexOf('x\uDE00') + 1, length: 0, text: '\uD83D' }],
    ['a letter typed between a lone low half and the quote', { offset: text.indexOf('x\uDE00') + 2, length: 0, text: 'é' }],
    ['a whole pair replaced by three bytes', { offset: pair, length: 2, text: '漢' }],
    ['a letter typed right after a pair', { offset: pair + 2, length: 0, text: 'z' }],
    ['a letter typed right before a pair', { offset: pair, length: 0, text: 'z' }],
    ['the letters around a pair replaced', { offset: pair - 1, length: 4, text: 'yy😀z' }],
  ];
  for (const [name, change] of cases) {
    test(`${name}: carried over, and right`, () => {
      const previous = parseDocument(text);
      payloadBytes(previous); // counted, so the reparse carries the count over
      const edited = apply(text, [change]).text;
      const reparsed = reparse(previous, [change], name, edited);
      assert.equal(reparsed.reused, true);
      const payload = valueNode(reparsed.invocations[0]!.properties.get('payload')!)!;
      assert.equal(payloadBytes(reparsed), Buffer.byteLength(nodeText(edited, payload)));
    });
  }

  test('a keystroke in a 6 MB payload counts no more than the edit', (t) => {
    const large = largeInvocationDocument(6_000_000).text;
    const previous = parseDocument(large);
    const ctx = context();
    validateDocument(TextDocument.create(DOC_URI, 'lambda-invoke', 1, large), previous, ctx);
    const change = at(large, '"notes": "Leave at the door', { skip: 27, insert: 'ü', from: Math.floor(large.length / 2) });
    const edited = apply(large, [change]).text;
    const counted = t.mock.method(Buffer, 'byteLength');
    const reparsed = reparseDocument(previous, [change], edited);
    validateDocument(TextDocument.create(DOC_URI, 'lambda-invoke', 2, edited), reparsed, ctx);
    const longest = Math.max(0, ...counted.mock.calls.map(({ arguments: [value] }) => (typeof value === 'string' ? value.length : value.byteLength)));
    counted.mock.restore();
    assert.equal(reparsed.reused, true);
    assert.ok(longest < 100, `counted a string of ${longest} units`);
    assert.equal(payloadBytes(reparsed), payloadBytes(previous) + Buffer.byteLength('ü'));
  });
});
