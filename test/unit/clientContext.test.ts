import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compactJson, decodeClientContext, encodeClientContext } from '../../src/lambda/clientContext';
import { analyze, codes, covered } from './helpers';
import { CLIENT_CONTEXT_LIMIT, messageOf, single } from './builders';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const withContext = (clientContext: string, extra = '') => `{"functionName":"f"${extra},"clientContext":${clientContext}}`;

/** Compact JSON of exactly `bytes` bytes: {"custom":{"k":"xxx…"}}. */
function contextJson(bytes: number): string {
  const frame = '{"custom":{"k":""}}';
  const json = `{"custom":{"k":"${'x'.repeat(bytes - frame.length)}"}}`;
  assert.equal(json.length, bytes);
  return json;
}

describe('client-context-too-large', () => {
  test('the longest valid base64 under the limit (3,580 characters) passes', () => {
    const base64 = b64(contextJson(2685));
    assert.equal(base64.length, 3580);
    assert.deepEqual(codes(withContext(JSON.stringify(base64))), []);
  });

  test('a string of exactly 3,583 characters is within the size limit', () => {
    // 3,583 is not a multiple of 4, so no padded base64 has that length: only the base64
    // check speaks, never the size check.
    const text = 'A'.repeat(CLIENT_CONTEXT_LIMIT);
    assert.deepEqual(codes(withContext(JSON.stringify(text))), ['client-context-not-base64']);
  });

  test('a base64 string of 3,584 characters is too large, on the value, with both numbers', () => {
    const base64 = b64(contextJson(2688));
    assert.equal(base64.length, 3584);
    const a = analyze(withContext(JSON.stringify(base64)));
    const d = single(a, 'client-context-too-large');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), JSON.stringify(base64));
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.match(messageOf(d), /3,584 bytes of base64/);
    assert.match(messageOf(d), /at most 3,583 bytes/);
  });

  test('an object is measured by its compact encoding, whatever its spacing', () => {
    // Compact JSON of 2,685 bytes encodes to 3,580 characters; 2,686 to 3,584.
    const spaced = (bytes: number) => contextJson(bytes).replace(/[{:,]/g, (c) => `${c}\n      `).replace(/}/g, '\n    }');
    const fits = spaced(2685);
    assert.ok(fits.length > 2700, 'the source is larger than its encoding allows, only the compact form counts');
    assert.equal(encodeClientContext(fits).length, 3580);
    assert.deepEqual(codes(withContext(fits)), []);

    const a = analyze(withContext(spaced(2686)));
    const d = single(a, 'client-context-too-large');
    assert.equal(covered(a, d), '"clientContext"');
    assert.match(messageOf(d), /encodes to 3,584 bytes of base64/);
    assert.match(messageOf(d), /at most 3,583 bytes/);
  });

  test('spaces inside strings count, and are kept by the encoding', () => {
    const source = '{ "custom" : { "greeting" : "hello,  world" } }';
    assert.equal(compactJson(source), '{"custom":{"greeting":"hello,  world"}}');
    assert.equal(Buffer.from(encodeClientContext(source), 'base64').toString('utf8'), '{"custom":{"greeting":"hello,  world"}}');
    // Escaped quotes do not end a string early.
    assert.equal(compactJson('{ "custom": { "q": "a \\" b" } }'), '{"custom":{"q":"a \\" b"}}');
  });
});

describe('client-context-not-base64 and client-context-not-object', () => {
  test('text that is not base64 is client-context-not-base64, on the value', () => {
    const a = analyze(withContext('"not base64!"'));
    const d = single(a, 'client-context-not-base64');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"not base64!"');
    assert.match(messageOf(d), /not base64/);
  });

  test('base64 with bad padding is not base64', () => {
    assert.deepEqual(codes(withContext('"e30"')), ['client-context-not-base64']);
    assert.deepEqual(codes(withContext('"e30=="')), ['client-context-not-base64']);
    assert.equal(decodeClientContext('e30=').ok, true);
  });

  test('base64 of text that is not JSON is client-context-not-object, quoting the text', () => {
    const a = analyze(withContext(JSON.stringify(b64('hello there'))));
    const d = single(a, 'client-context-not-object');
    assert.equal(covered(a, d), JSON.stringify(b64('hello there')));
    assert.match(messageOf(d), /decodes to "hello there", which is not JSON/);
  });

  test('base64 of a JSON array is client-context-not-object', () => {
    const a = analyze(withContext(JSON.stringify(b64('[{"custom":{}}]'))));
    const d = single(a, 'client-context-not-object');
    assert.match(messageOf(d), /is JSON but not an object/);
  });

  test('base64 of JSON null or a number is not an object either', () => {
    assert.deepEqual(codes(withContext(JSON.stringify(b64('null')))), ['client-context-not-object']);
    assert.deepEqual(codes(withContext(JSON.stringify(b64('42')))), ['client-context-not-object']);
  });

  test('a good base64 object passes, and decodes to what was encoded', () => {
    const json = '{"client":{"app_title":"shop"},"custom":{"user":"ü"},"env":{"locale":"de"}}';
    assert.deepEqual(codes(withContext(JSON.stringify(b64(json)))), []);
    const decoded = decodeClientContext(b64(json));
    assert.ok(decoded.ok);
    assert.equal(decoded.json, json);
  });

  test('a clientContext that is neither string nor object is one schema error', () => {
    const a = analyze(withContext('42'));
    assert.deepEqual(
      a.diagnostics.map((d) => [d.code, covered(a, d)]),
      [['schema', '42']],
    );
    assert.match(messageOf(a.diagnostics[0]!), /must be a string or an object, not a number/);
  });
});

describe('client-context-unknown-key', () => {
  test('an unknown key in the object form is a warning on that key', () => {
    const a = analyze(withContext('{"custom": {"any": 1}, "user": "me"}'));
    const d = single(a, 'client-context-unknown-key');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"user"');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(d), /"user" will not reach context\.clientContext/);
  });

  test('client, custom and env are known, and keys below them are free', () => {
    assert.deepEqual(codes(withContext('{"client": {"x": 1}, "custom": {"anything": [1]}, "env": {"locale": "en"}}')), []);
  });

  test('an unknown key in a decoded base64 string is a warning on the string', () => {
    const value = JSON.stringify(b64('{"custom":{},"tenant":"a"}'));
    const a = analyze(withContext(value));
    const d = single(a, 'client-context-unknown-key');
    assert.equal(covered(a, d), value);
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(d), /decoded client context has "tenant"/);
  });

  test('a wrongly typed known key is a schema error on its value', () => {
    const a = analyze(withContext('{"custom": "text"}'));
    const d = single(a, 'schema');
    assert.equal(covered(a, d), '"text"');
    assert.match(messageOf(d), /"clientContext\.custom" must be an object, not a string/);
  });
});

describe('Event invocations: what Lambda ignores', () => {
  test('clientContext on Event is async-ignores-client-context, a warning on the key', () => {
    const a = analyze(withContext('{"custom": {"a": 1}}', ',"invocationType":"Event"'));
    const d = single(a, 'async-ignores-client-context');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"clientContext"');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(d), /synchronous invocations only/);
  });

  test('the warning applies to the base64 form too', () => {
    assert.deepEqual(codes(withContext(JSON.stringify(b64('{"custom":{}}')), ',"invocationType":"Event"')), [
      'async-ignores-client-context',
    ]);
  });

  test('no such warning for RequestResponse or DryRun', () => {
    assert.deepEqual(codes(withContext('{"custom": {}}', ',"invocationType":"RequestResponse"')), []);
    assert.deepEqual(codes(withContext('{"custom": {}}', ',"invocationType":"DryRun"')), []);
  });

  test('logType Tail on Event is async-ignores-log-tail, a warning on the key', () => {
    const a = analyze('{"functionName":"f","invocationType":"Event","logType":"Tail"}');
    const d = single(a, 'async-ignores-log-tail');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"logType"');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(d), /no log for Event invocations/);
  });

  test('logType Tail on a synchronous call, and None on Event, are fine', () => {
    assert.deepEqual(codes('{"functionName":"f","logType":"Tail"}'), []);
    assert.deepEqual(codes('{"functionName":"f","invocationType":"Event","logType":"None"}'), []);
  });

  test('an invocation with both gets both warnings', () => {
    assert.deepEqual(
      codes('{"functionName":"f","invocationType":"Event","logType":"Tail","clientContext":{"custom":{}}}').sort(),
      ['async-ignores-client-context', 'async-ignores-log-tail'],
    );
  });
});
