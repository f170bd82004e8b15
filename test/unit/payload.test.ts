import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { analyze, codes, covered } from './helpers';
import { ASYNC_LIMIT, messageOf, payloadDoc, single, stringOfBytes, SYNC_LIMIT } from './builders';

describe('payload-too-large: inline payloads', () => {
  test('a synchronous payload of exactly 6,291,456 bytes passes', () => {
    assert.deepEqual(codes(payloadDoc(SYNC_LIMIT)), []);
  });

  test('a synchronous payload of 6,291,457 bytes is too large, on the "payload" key', () => {
    const a = analyze(payloadDoc(SYNC_LIMIT + 1));
    const d = single(a, 'payload-too-large');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"payload"');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'lambda-invoke');
    assert.match(messageOf(d), /Payload is 6,291,457 bytes/);
    assert.match(messageOf(d), /a synchronous invocation accepts at most 6,291,456 bytes \(6 MB\)/);
  });

  test('RequestResponse written out has the same limit as the default', () => {
    assert.deepEqual(codes(payloadDoc(SYNC_LIMIT, { invocationType: 'RequestResponse' })), []);
    assert.deepEqual(codes(payloadDoc(SYNC_LIMIT + 1, { invocationType: 'RequestResponse' })), ['payload-too-large']);
  });

  test('an Event payload of exactly 1,048,576 bytes passes, 1,048,577 is too large', () => {
    assert.deepEqual(codes(payloadDoc(ASYNC_LIMIT, { invocationType: 'Event' })), []);
    const a = analyze(payloadDoc(ASYNC_LIMIT + 1, { invocationType: 'Event' }));
    const d = single(a, 'payload-too-large');
    assert.match(messageOf(d), /Payload is 1,048,577 bytes/);
    assert.match(messageOf(d), /an asynchronous \(Event\) invocation accepts at most 1,048,576 bytes \(1 MB\)/);
    assert.equal(covered(a, d), '"payload"');
  });

  test('DryRun uses the synchronous limit', () => {
    assert.deepEqual(codes(payloadDoc(SYNC_LIMIT, { invocationType: 'DryRun' })), []);
    const a = analyze(payloadDoc(SYNC_LIMIT + 1, { invocationType: 'DryRun' }));
    const d = single(a, 'payload-too-large');
    assert.match(messageOf(d), /Payload is 6,291,457 bytes; a DryRun invocation accepts at most 6,291,456 bytes/);
  });

  test('the same payload is re-judged when invocationType changes', () => {
    const payload = stringOfBytes(ASYNC_LIMIT + 1);
    const withType = (type: string | undefined) =>
      `{"functionName":"f",${type ? `"invocationType":"${type}",` : ''}"payload":${payload}}`;
    assert.deepEqual(codes(withType(undefined)), []);
    assert.deepEqual(codes(withType('RequestResponse')), []);
    assert.deepEqual(codes(withType('DryRun')), []);
    assert.deepEqual(codes(withType('Event')), ['payload-too-large']);
    // An invalid type is a schema error; the payload is then judged by the default (sync) limit.
    assert.deepEqual(codes(withType('Evnt')), ['schema']);
  });

  test('the size is the bytes of the source text, spacing and quotes included', () => {
    const compact = '{"a":1}';
    // 7 bytes as written; pad with spaces inside the payload to land on the Event limit.
    const spaced = `{"a":${' '.repeat(ASYNC_LIMIT - compact.length)}1}`;
    assert.equal(spaced.length, ASYNC_LIMIT);
    const doc = (payload: string) => `{"functionName":"f","invocationType":"Event","payload":${payload}}`;
    assert.deepEqual(codes(doc(spaced)), []);
    assert.deepEqual(codes(doc(spaced.replace('{', '{ '))), ['payload-too-large']);
  });

  test('a payload that is an object or array is measured the same way', () => {
    const inner = stringOfBytes(ASYNC_LIMIT - '{"k":}'.length);
    const object = `{"k":${inner}}`;
    assert.equal(Buffer.byteLength(object), ASYNC_LIMIT);
    const doc = (payload: string) => `{"functionName":"f","invocationType":"Event","payload":${payload}}`;
    assert.deepEqual(codes(doc(object)), []);
    assert.deepEqual(codes(doc(`{"k":${inner.replace('"a', '"aa')}}`)), ['payload-too-large']);
    const array = `[${stringOfBytes(ASYNC_LIMIT - 2)}]`;
    assert.deepEqual(codes(doc(array)), []);
    assert.deepEqual(codes(doc(`[${stringOfBytes(ASYNC_LIMIT - 1)}]`)), ['payload-too-large']);
  });

  test('12345678901234567890 and 1.50 in a payload are fine as written', () => {
    const a = analyze('{\n  "functionName": "f",\n  "payload": {"id": 12345678901234567890, "price": 1.50, "list": [1.0, -0, 2e10]}\n}');
    assert.deepEqual(a.diagnostics, []);
  });
});

describe('payload-too-large: bytes, not characters', () => {
  for (const [label, unit] of [
    ['2-byte é', 'é'],
    ['4-byte 😀', '😀'],
  ] as const) {
    test(`${label}: exactly 1,048,576 bytes passes an Event invocation`, () => {
      const doc = payloadDoc(ASYNC_LIMIT, { invocationType: 'Event', unit });
      assert.ok(doc.length < ASYNC_LIMIT, 'far fewer UTF-16 units than bytes');
      assert.deepEqual(codes(doc), []);
    });

    test(`${label}: 1,048,577 bytes is too large for Event though its characters are far fewer`, () => {
      const doc = payloadDoc(ASYNC_LIMIT + 1, { invocationType: 'Event', unit });
      // The whole document, in characters and in code points, is under the limit.
      assert.ok(doc.length < ASYNC_LIMIT);
      assert.ok([...doc].length < ASYNC_LIMIT);
      const a = analyze(doc);
      assert.match(messageOf(single(a, 'payload-too-large')), /Payload is 1,048,577 bytes/);
    });

    test(`${label}: 6,291,456 bytes passes a synchronous invocation, 6,291,457 does not`, () => {
      assert.deepEqual(codes(payloadDoc(SYNC_LIMIT, { unit })), []);
      const over = payloadDoc(SYNC_LIMIT + 1, { unit });
      assert.ok(over.length < SYNC_LIMIT);
      const a = analyze(over);
      assert.match(messageOf(single(a, 'payload-too-large')), /Payload is 6,291,457 bytes; .*at most 6,291,456 bytes/);
    });
  }
});

describe('payloadFile', () => {
  const doc = (file: string, extra = '') => `{"functionName":"f"${extra},"payloadFile":${JSON.stringify(file)}}`;
  const fileOf = (bytes: number, unit = 'a') => stringOfBytes(bytes, unit);

  test('a file of exactly the synchronous limit passes, one byte more is too large, on the path', () => {
    assert.deepEqual(codes(doc('events/big.json'), { '/ws/tests/events/big.json': fileOf(SYNC_LIMIT) }), []);
    const a = analyze(doc('events/big.json'), { '/ws/tests/events/big.json': fileOf(SYNC_LIMIT + 1) });
    const d = single(a, 'payload-too-large');
    assert.equal(covered(a, d), '"events/big.json"');
    assert.match(messageOf(d), /Payload is 6,291,457 bytes; a synchronous invocation accepts at most 6,291,456 bytes/);
  });

  test('the Event limit applies to file contents, counted in bytes', () => {
    const files = { '/ws/tests/e.json': fileOf(ASYNC_LIMIT, '😀') };
    assert.deepEqual(codes(doc('e.json', ',"invocationType":"Event"'), files), []);
    const over = { '/ws/tests/e.json': fileOf(ASYNC_LIMIT + 1, 'é') };
    const a = analyze(doc('e.json', ',"invocationType":"Event"'), over);
    assert.match(messageOf(single(a, 'payload-too-large')), /Payload is 1,048,577 bytes/);
    // The same file under a synchronous invocation is fine.
    assert.deepEqual(codes(doc('e.json'), over), []);
  });

  test('paths are relative to the document folder, and may climb inside the workspace', () => {
    assert.deepEqual(codes(doc('../events/order.json'), { '/ws/events/order.json': '{"id": 1}' }), []);
    assert.deepEqual(codes(doc('./order.json'), { '/ws/tests/order.json': '[]' }), []);
  });

  test('a missing file is payload-file-missing, naming the resolved path', () => {
    const a = analyze(doc('events/nope.json'));
    const d = single(a, 'payload-file-missing');
    assert.equal(covered(a, d), '"events/nope.json"');
    assert.match(messageOf(d), /\/ws\/tests\/events\/nope\.json/);
    assert.equal(d.severity, DiagnosticSeverity.Error);
  });

  test('an empty path is payload-file-missing', () => {
    const a = analyze(doc(''));
    const d = single(a, 'payload-file-missing');
    assert.equal(covered(a, d), '""');
    assert.match(messageOf(d), /empty/);
  });

  test('../../.aws/credentials is outside the workspace, and is not read', () => {
    const files = { '/.aws/credentials': '{"secret": true}' };
    const a = analyze(doc('../../.aws/credentials'), files);
    const d = single(a, 'payload-file-outside-workspace');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"../../.aws/credentials"');
    assert.match(messageOf(d), /outside the workspace/);
  });

  test('a folder inside the workspace whose name starts with two dots (..data) is inside it', () => {
    const files = { '/ws/..data/event.json': '{"ok": true}' };
    assert.deepEqual(codes(doc('../..data/event.json'), files), []);
    assert.deepEqual(codes(doc('/ws/..data/event.json'), files), []);
    // `..` itself and a path through it are still outside.
    assert.deepEqual(codes(doc('../../event.json'), { '/event.json': '{}' }), ['payload-file-outside-workspace']);
  });

  test('an absolute path outside the workspace is refused', () => {
    const a = analyze(doc('/etc/passwd'), { '/etc/passwd': '{}' });
    assert.equal(covered(a, single(a, 'payload-file-outside-workspace')), '"/etc/passwd"');
    // An absolute path inside the workspace is fine.
    assert.deepEqual(codes(doc('/ws/events/a.json'), { '/ws/events/a.json': '{}' }), []);
  });

  test('a sibling folder whose name starts like the workspace is outside it', () => {
    const a = analyze(doc('../../ws-other/a.json'), { '/ws-other/a.json': '{}' });
    assert.deepEqual(a.diagnostics.map((d) => d.code), ['payload-file-outside-workspace']);
  });

  test('a symlink inside the workspace that points outside is refused', () => {
    const files = { '/ws/tests/link.json': { link: '/home/me/secret.json' }, '/home/me/secret.json': '{"k": 1}' };
    const a = analyze(doc('link.json'), files);
    assert.equal(covered(a, single(a, 'payload-file-outside-workspace')), '"link.json"');
    // A link that stays inside is followed and its target measured.
    const inside = { '/ws/tests/link.json': { link: '/ws/data/big.json' }, '/ws/data/big.json': fileOf(SYNC_LIMIT + 1) };
    assert.deepEqual(codes(doc('link.json'), inside), ['payload-too-large']);
  });

  test('a file that is not JSON is payload-file-not-json, with the parser detail', () => {
    const a = analyze(doc('bad.json'), { '/ws/tests/bad.json': '{"a": 1,}' });
    const d = single(a, 'payload-file-not-json');
    assert.equal(covered(a, d), '"bad.json"');
    assert.match(messageOf(d), /"bad\.json" is not valid JSON/);
    assert.match(messageOf(d), /only JSON payloads/);
  });

  test('payload and payloadFile together is payload-conflict, on the payloadFile key', () => {
    const a = analyze('{"functionName":"f","payload":{"a":1},"payloadFile":"a.json"}', { '/ws/tests/a.json': '{}' });
    const d = single(a, 'payload-conflict');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"payloadFile"');
    assert.match(messageOf(d), /Both "payload" and "payloadFile"/);
  });

  test('with payload-conflict, the inline payload is still measured', () => {
    const text = `{"functionName":"f","invocationType":"Event","payloadFile":"a.json","payload":${stringOfBytes(ASYNC_LIMIT + 1)}}`;
    assert.deepEqual(codes(text, { '/ws/tests/a.json': '{}' }).sort(), ['payload-conflict', 'payload-too-large']);
  });
});
