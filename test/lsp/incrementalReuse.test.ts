/**
 * The server's incremental reuse, seen from an editor: the server (built in this process) is sent
 * keystrokes inside a payload (where it carries the previous version's structure and payload size
 * over), edits that rule reuse out, bursts, several changes in one didChange and whole-text
 * changes. After each version, its diagnostics must equal those the server publishes for a freshly
 * opened document with the same text.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { largeInvocationDocument } from '../fixtures/largeDocument';
import { type InProcessServer, buildServer } from '../support/inProcessServer';
import { FreshReference, type LspClient, type OffsetEdit, OpenDocument, TIMEOUT_MS, messageOf } from '../support/lspClient';

const FOLDER = path.join(os.tmpdir(), 'lambda-invoke-incremental');
/** The 6 MB document is shipped whole for each fresh open. */
const LARGE_TIMEOUT_MS = 60_000;
const ASYNC_LIMIT = 1_048_576;

// ---------------------------------------------------------------------------------------
// An open document edited as an editor edits it, checked against a fresh open after each version

class EditedDocument {
  private readonly document: OpenDocument;
  private readonly reference: FreshReference;

  constructor(
    private readonly server: LspClient,
    uri: string,
    text: string,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {
    this.document = new OpenDocument(server, uri, text);
    this.reference = new FreshReference(server, pathToFileURL(path.join(FOLDER, 'reference.invoke.json')).href);
  }

  get text(): string {
    return this.document.text;
  }

  async open(): Promise<Diagnostic[]> {
    return (await this.document.openAndWait(this.timeoutMs)).diagnostics;
  }

  /** Sends one didChange (without waiting); each edit applies to the text the ones before it left. */
  send(edits: OffsetEdit[]): number {
    return this.document.change(this.document.rangeChanges(edits));
  }

  /** Sends a whole-text change (no range). */
  sendWhole(text: string): number {
    return this.document.change([{ text }]);
  }

  /**
   * Sends changes, awaits the diagnostics of the (last) version they make, and checks them against a
   * fresh open of the same text. Waiting starts right after sending: nothing arrives before this turn ends.
   */
  async expectSameAsFresh(what: string, send: () => number): Promise<Diagnostic[]> {
    const published = this.server.published(this.document.uri, send(), this.timeoutMs);
    const diagnostics = (await published).diagnostics;
    assert.deepEqual(diagnostics, await this.reference.diagnosticsOf(this.text, this.timeoutMs), `${what}: the edited document's diagnostics differ from a fresh open's`);
    return diagnostics;
  }
}

// ---------------------------------------------------------------------------------------
// Documents

/** An Event invocation whose payload is exactly `bytes` UTF-8 bytes, with strings that hold brackets, escapes and non-ASCII. */
function eventDocument(bytes: number): string {
  const records = Array.from({ length: 200 }, (_, i) => ({ id: i, note: `Größe ${i} — ]}[{ "q" \\ 😀`, tags: ['a', `b${i}`] }));
  const head = `{\n  "functionName": "orders",\n  "invocationType": "Event",\n  "payload": {"records": ${JSON.stringify(records)}, "padding": "`;
  const tail = '"}\n}\n';
  const payloadSoFar = Buffer.byteLength(`{"records": ${JSON.stringify(records)}, "padding": "` + '"}');
  return head + 'p'.repeat(bytes - payloadSoFar) + tail;
}

let server: InProcessServer | undefined;

void describe('language server: edits inside a payload give the diagnostics of a fresh parse', () => {
  before(async () => {
    server = await buildServer({ rootPath: FOLDER });
  });

  after(() => server?.close());

  test('an Event payload on the 1 MB limit: keystrokes, deletions, surrogates, bursts, and edits that rule reuse out', async () => {
    const s = server!;
    const doc = new EditedDocument(s, pathToFileURL(path.join(FOLDER, 'event.invoke.json')).href, eventDocument(ASYNC_LIMIT));
    assert.deepEqual(await doc.open(), []);
    const padding = () => doc.text.indexOf('"padding": "') + '"padding": "'.length + 10;
    const note = (i: number) => doc.text.indexOf(`Größe ${i} `) + 'Größe'.length;
    const tooLarge = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'payload-too-large').map(messageOf);

    let diagnostics = await doc.expectSameAsFresh('a letter typed: one byte over', () => doc.send([{ offset: padding(), insert: 'x' }]));
    assert.deepEqual(tooLarge(diagnostics).length, 1);
    assert.match(tooLarge(diagnostics)[0]!, /Payload is 1,048,577 bytes/);
    diagnostics = await doc.expectSameAsFresh('backspace: on the limit again', () => doc.send([{ offset: padding(), remove: 1, insert: '' }]));
    assert.deepEqual(diagnostics, []);
    /** Where a step typed, for the step after it: its anchor text may no longer be there. */
    let spot = 0;
    const steps: [string, () => number][] = [
      ['two letters deleted', () => doc.send([{ offset: padding(), remove: 2, insert: '' }])],
      ['a two-byte letter typed', () => doc.send([{ offset: note(3), insert: 'ü' }])],
      ['an emoji typed', () => doc.send([{ offset: note(4), insert: '😀' }])],
      ['a high surrogate typed alone', () => doc.send([{ offset: (spot = note(5)), insert: '\uD83D' }])],
      ['its low surrogate typed after it', () => doc.send([{ offset: spot + 1, insert: '\uDE03' }])],
      ['the low half of a pair deleted', () => doc.send([{ offset: doc.text.indexOf('😀', note(6)) + 1, remove: 1, insert: '' }])],
      ['a letter typed into the broken pair', () => doc.send([{ offset: doc.text.indexOf('\uD83D"', note(6)) + 1, insert: 'k' }])],
      ['two cursors in one didChange', () => doc.send([{ offset: note(7), insert: 'ab' }, { offset: note(9), insert: 'é' }])],
      ['a word replaced', () => doc.send([{ offset: note(10) - 'Größe'.length, remove: 'Größe'.length, insert: 'Size' }])],
      ['an escaped quote typed (no reuse)', () => doc.send([{ offset: (spot = note(11)), insert: '\\"' }])],
      ['typing on after it', () => doc.send([{ offset: spot + 2, insert: 'z' }])],
      ['a bracket typed into a string (no reuse)', () => doc.send([{ offset: note(12), insert: '[' }])],
      ['a line break typed into a string: invalid JSON', () => doc.send([{ offset: (spot = note(13)), insert: '\n' }])],
      ['the line break deleted', () => doc.send([{ offset: spot, remove: 1, insert: '' }])],
      ['typing on after the broken version', () => doc.send([{ offset: spot, insert: 'q' }])],
      ['a space between payload tokens', () => doc.send([{ offset: doc.text.indexOf(', "tags"', note(14)) + 1, insert: '  ' }])],
      ['an edit outside the payload (no reuse)', () => doc.send([{ offset: doc.text.indexOf('orders') + 6, insert: '-v2' }])],
      ['a whole-text change (no reuse)', () => doc.sendWhole(doc.text.replace('"padding": "', '"padding": "ww'))],
      ['typing after the whole-text change', () => doc.send([{ offset: padding(), insert: 'y' }])],
    ];
    for (const [what, send] of steps) await doc.expectSameAsFresh(what, send);

    // A burst: several didChange notifications sent together, checked at the last version.
    await doc.expectSameAsFresh('a burst of keystrokes', () => {
      for (const ch of 'burst') doc.send([{ offset: note(20), insert: ch }]);
      return doc.send([{ offset: note(21), insert: '!' }]);
    });
    assert.deepEqual(s.errorLogs(), []);
  });

  test('an array file: keystrokes in one invocation’s payload, with another invocation after it', async () => {
    const s = server!;
    const text = [
      '[',
      '  {"functionName": "first", "payload": {"message": "hello", "nested": {"list": [1, 2, "]"]}}},',
      '  {"functionName": "second", "invocationType": "Event", "payload": ["x"], "qualifier": "bad qualifier!"},',
      '  42',
      ']',
    ].join('\n');
    const doc = new EditedDocument(s, pathToFileURL(path.join(FOLDER, 'array.invoke.json')).href, text);
    const opened = await doc.open();
    assert.ok(opened.length >= 2, 'the qualifier and the stray element are reported');
    for (const ch of ', world') {
      await doc.expectSameAsFresh(`typing ${JSON.stringify(ch)}`, () => doc.send([{ offset: doc.text.indexOf('", "nested"'), insert: ch }]));
    }
    await doc.expectSameAsFresh('typing in the second payload', () => doc.send([{ offset: doc.text.indexOf('"x"') + 2, insert: 'yz' }]));
    assert.deepEqual(s.errorLogs(), []);
  });

  test('the 6 MB document: keystrokes deep in its payload', { timeout: 4 * LARGE_TIMEOUT_MS }, async () => {
    const s = server!;
    const large = largeInvocationDocument(6_000_000).text;
    const doc = new EditedDocument(s, pathToFileURL(path.join(FOLDER, 'large.invoke.json')).href, large, LARGE_TIMEOUT_MS);
    assert.deepEqual(await doc.open(), []);
    const anchor = '"notes": "Leave at the door';
    const at = large.indexOf(anchor, Math.floor(large.length / 2)) + anchor.length;
    for (const ch of ' now') doc.send([{ offset: at + ' now'.indexOf(ch), insert: ch }]);
    await doc.expectSameAsFresh('a keystroke after a burst', () => doc.send([{ offset: at + 4, insert: '!' }]));
    assert.deepEqual(s.errorLogs(), []);
  });
});
