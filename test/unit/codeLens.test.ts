import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver-types';
import type { AccountFactsLookup } from '../../src/language/account';
import { type LensSettings, codeLenses } from '../../src/language/codeLens';
import { CommandIds } from '../../src/protocol/ids';
import { DOC_URI, type FakeFiles, analyze } from './helpers';
import { ASYNC_LIMIT, stringOfBytes } from './builders';
import { NOTHING_KNOWN, functionFacts, lookupOf } from './accountFixtures';

function lensesOf(text: string, settings: LensSettings = {}, files: FakeFiles = {}, account?: AccountFactsLookup): CodeLens[] {
  const a = analyze(text, files);
  return codeLenses(a.document, a.doc, a.ctx, settings, account);
}

const titles = (lenses: CodeLens[]) => lenses.map((l) => l.command?.title);

describe('code lenses', () => {
  test('three per invocation: Invoke, Dry Run (titled as the commands are) and a summary, at the object', () => {
    const text = `\n  {"functionName": "f", "payload": ${stringOfBytes(2150)}}`;
    const lenses = lensesOf(text, { region: 'us-west-2' });
    assert.deepEqual(titles(lenses), ['▶ Invoke f', 'Dry Run', 'sync · 2.1 KB of 6 MB · us-west-2']);
    for (const lens of lenses) assert.deepEqual(lens.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } });
    assert.equal(lenses[0]!.command!.command, CommandIds.invoke);
    assert.equal(lenses[1]!.command!.command, CommandIds.dryRun);
  });

  test('the Invoke lens names the invocation as everything else does: its name, else its function, else its position', () => {
    assert.equal(lensesOf('{"name": "Create order", "functionName": "f"}')[0]!.command!.title, '▶ Invoke Create order');
    assert.equal(lensesOf('{"name": "", "functionName": "f"}')[0]!.command!.title, '▶ Invoke f');
    assert.equal(lensesOf('[{"functionName": "f"}, {"payload": 1}]')[3]!.command!.title, '▶ Invoke invocation #1');
  });

  test('commands carry [{uri, index}] and survive a JSON round trip', () => {
    const lenses = lensesOf('{"functionName": "f"}');
    for (const lens of lenses.slice(0, 2)) {
      assert.deepEqual(lens.command!.arguments, [{ uri: DOC_URI, index: 0 }]);
      assert.deepEqual(JSON.parse(JSON.stringify(lens.command!.arguments)), lens.command!.arguments);
    }
  });

  test('an array file gets lenses per element, each with its index and position', () => {
    const text = '[\n  {"functionName": "a"},\n  {"functionName": "b", "invocationType": "Event"},\n  {"functionName": "c", "invocationType": "DryRun"}\n]';
    const lenses = lensesOf(text);
    assert.equal(lenses.length, 9);
    const invokes = lenses.filter((l) => l.command?.command === CommandIds.invoke);
    assert.deepEqual(
      invokes.map((l) => [l.range.start.line, (l.command!.arguments![0] as { index: number }).index]),
      [
        [1, 0],
        [2, 1],
        [3, 2],
      ],
    );
    const dryRuns = lenses.filter((l) => l.command?.command === CommandIds.dryRun);
    assert.deepEqual(
      dryRuns.map((l) => l.command!.arguments),
      [0, 1, 2].map((index) => [{ uri: DOC_URI, index }]),
    );
    assert.deepEqual(titles(lenses).filter((_, i) => i % 3 === 2), [
      'sync · empty payload of 6 MB · default region',
      'async · empty payload of 1 MB · default region',
      'dry run · empty payload of 6 MB · default region',
    ]);
  });

  test('array elements that are not objects take their index but get no lens', () => {
    const lenses = lensesOf('[1, {"functionName": "f"}]');
    assert.equal(lenses.length, 3);
    assert.deepEqual(lenses[0]!.command!.arguments, [{ uri: DOC_URI, index: 1 }]);
  });
});

describe('the summary lens', () => {
  const summaryOf = (text: string, settings: LensSettings = {}, files: FakeFiles = {}) => lensesOf(text, settings, files)[2]!.command!.title;

  test('shows the mode: sync, async, dry run', () => {
    assert.match(summaryOf('{"functionName":"f","invocationType":"RequestResponse"}'), /^sync · /);
    assert.match(summaryOf('{"functionName":"f","invocationType":"Event"}'), /^async · .* of 1 MB · /);
    assert.match(summaryOf('{"functionName":"f","invocationType":"DryRun"}'), /^dry run · .* of 6 MB · /);
  });

  test('shows the payload size against the limit of the mode', () => {
    assert.equal(summaryOf('{"functionName":"f","payload":{"a":1}}'), 'sync · 7 B of 6 MB · default region');
    const big = `{"functionName":"f","invocationType":"Event","payload":${stringOfBytes(ASYNC_LIMIT + ASYNC_LIMIT / 2)}}`;
    // Over the limit the exact bytes show: rounding to "1 MB of 1 MB" would hide the problem.
    assert.equal(summaryOf(big), 'async · 1,572,864 B, over the 1 MB limit · default region');
    const mb = `{"functionName":"f","payload":${stringOfBytes(3 * 1024 * 1024 + 512 * 1024)}}`;
    assert.equal(summaryOf(mb), 'sync · 3.5 MB of 6 MB · default region');
  });

  test('takes the region from the field, then the ARN, then the setting, then says default', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:f';
    assert.match(summaryOf(`{"functionName":"${arn}","region":"eu-west-1"}`, { region: 'ap-south-1' }), / · eu-west-1$/);
    assert.match(summaryOf(`{"functionName":"f","region":"ca-central-1"}`, { region: 'ap-south-1' }), / · ca-central-1$/);
    assert.match(summaryOf(`{"functionName":"${arn}"}`, { region: 'ap-south-1' }), / · eu-west-1$/);
    assert.match(summaryOf('{"functionName":"us-east-2:123456789012:function:f"}'), / · us-east-2$/);
    assert.match(summaryOf('{"functionName":"f"}', { region: 'ap-south-1' }), / · ap-south-1$/);
    assert.match(summaryOf('{"functionName":"f"}', { region: '' }), / · default region$/);
    assert.match(summaryOf('{"functionName":"f"}'), / · default region$/);
  });

  test('a name shaped like a region is not taken for one', () => {
    assert.match(summaryOf('{"functionName":"my-orders-2:prod"}'), / · default region$/);
  });

  test('describes a payload file: its size and path, or that it is missing or outside', () => {
    const files = { '/ws/tests/events/order.json': stringOfBytes(2150) };
    assert.equal(
      summaryOf('{"functionName":"f","payloadFile":"events/order.json"}', {}, files),
      'sync · 2.1 KB of 6 MB from events/order.json · default region',
    );
    assert.match(summaryOf('{"functionName":"f","payloadFile":"events/none.json"}'), /payload file missing/);
    assert.match(summaryOf('{"functionName":"f","payloadFile":"../../etc/passwd"}'), /payload file outside the workspace/);
  });

  test('lenses appear while the file has a syntax error', () => {
    const lenses = lensesOf('{"functionName": "f", "payload": {"a": 1,}}');
    assert.deepEqual(titles(lenses).slice(0, 2), ['▶ Invoke f', 'Dry Run']);
  });
});

describe('the summary lens, with the account', () => {
  const summaryOf = (text: string, account?: AccountFactsLookup, settings: LensSettings = {}) => lensesOf(text, settings, {}, account)[2]!.command!.title;

  test('ends with the function’s timeout once it is known: how long a call may wait', () => {
    const text = `{"functionName": "billing", "payload": ${stringOfBytes(2150)}}`;
    assert.equal(summaryOf(text, lookupOf(), { region: 'us-west-2' }), 'sync · 2.1 KB of 6 MB · us-west-2 · timeout 3 s');
    assert.match(summaryOf('{"functionName": "orders-service:prod"}', lookupOf()), / · timeout 30 s$/);
    const long = lookupOf({ functions: { f: functionFacts('f', { timeoutSeconds: 900 }) } });
    assert.match(summaryOf('{"functionName": "f", "invocationType": "Event"}', long), /^async · .* · timeout 15 min$/);
  });

  test('without the facts, or for a function the account lacks, the summary is as before', () => {
    const before = summaryOf('{"functionName": "billing"}');
    assert.equal(before, 'sync · empty payload of 6 MB · default region');
    assert.equal(summaryOf('{"functionName": "billing"}', NOTHING_KNOWN), before);
    assert.equal(summaryOf('{"functionName": "ghost"}', lookupOf()), 'sync · empty payload of 6 MB · default region');
  });
});
