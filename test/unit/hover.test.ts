import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Hover, MarkupKind, type MarkupContent } from 'vscode-languageserver-types';
import type { AccountFactsLookup } from '../../src/language/account';
import { hover } from '../../src/language/hover';
import { type FakeFiles, analyze, cursor } from './helpers';
import { ASYNC_LIMIT, SYNC_LIMIT, stringOfBytes } from './builders';
import { NOTHING_KNOWN, lookupOf } from './accountFixtures';

function hoverAt(textWithMarker: string, files: FakeFiles = {}, facts?: AccountFactsLookup): { hover: Hover | null; hovered: string; markdown: string } {
  const { text, offset } = cursor(textWithMarker);
  const a = analyze(text, files);
  const result = hover(a.document, a.doc, offset, a.ctx, facts);
  const contents = result?.contents as MarkupContent | undefined;
  if (contents) assert.equal(contents.kind, MarkupKind.Markdown);
  return { hover: result, hovered: result?.range ? a.document.getText(result.range) : '', markdown: contents?.value ?? '' };
}

describe('hover: descriptions', () => {
  test('a key shows its description, and the range is the key', () => {
    const h = hoverAt('{"functionName": "f", "re|gion": "us-east-1"}');
    assert.equal(h.hovered, '"region"');
    assert.match(h.markdown, /The AWS Region to call/);
  });

  test('every known key has a description', () => {
    const keys = ['name', 'functionName', 'qualifier', 'invocationType', 'logType', 'clientContext', 'payload', 'payloadFile', 'tenantId', 'durableExecutionName', 'region', 'profile', 'endpoint'];
    for (const key of keys) {
      const h = hoverAt(`{"functionName": "f", "${key}|": "x"}`);
      assert.ok(h.markdown.length > 20, key);
    }
  });

  test('an enum value shows what it means', () => {
    const h = hoverAt('{"functionName": "f", "invocationType": "Ev|ent"}');
    assert.equal(h.hovered, '"Event"');
    assert.match(h.markdown, /\*\*Event\*\*: Asynchronous/);
    assert.match(hoverAt('{"functionName": "f", "logType": "|Tail"}').markdown, /\*\*Tail\*\*: Return the last 4 KB/);
  });

  test('unknown keys and places outside any property have no hover', () => {
    assert.equal(hoverAt('{"functionName": "f", "bo|gus": 1}').hover, null);
    assert.equal(hoverAt('|{"functionName": "f"}').hover, null);
    assert.equal(hoverAt('[{"functionName": "f"}, | {"functionName": "g"}]').hover, null);
  });
});

describe('hover: functionName', () => {
  test('a full ARN shows its parts in a table', () => {
    const h = hoverAt('{"functionName": "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders:prod|"}');
    assert.match(h.markdown, /\| Part \| Value \|/);
    assert.match(h.markdown, /\| Form \| `full ARN` \|/);
    assert.match(h.markdown, /\| Partition \| `aws-us-gov` \|/);
    assert.match(h.markdown, /\| Region \| `us-gov-west-1` \|/);
    assert.match(h.markdown, /\| Account \| `123456789012` \|/);
    assert.match(h.markdown, /\| Name \| `orders` \|/);
    assert.match(h.markdown, /\| Qualifier \| `prod` \|/);
  });

  test('a plain name shows only the rows it has', () => {
    const h = hoverAt('{"function|Name": "my-function:$LATEST"}');
    assert.equal(h.hovered, '"functionName"');
    assert.match(h.markdown, /\| Name \| `my-function` \|/);
    assert.match(h.markdown, /\| Qualifier \| `\$LATEST` \|/);
    assert.doesNotMatch(h.markdown, /Partition|Account|Region/);
  });

  test('an invalid name shows the description without a table', () => {
    const h = hoverAt('{"functionName": "my fun|ction"}');
    assert.match(h.markdown, /The function to call/);
    assert.doesNotMatch(h.markdown, /\| Part \|/);
  });
});

describe('hover: payload size', () => {
  test('an inline payload shows its exact bytes against the synchronous limit', () => {
    const h = hoverAt('{"functionName": "f", "pay|load": {"price": 1.50, "id": 12345678901234567890}}');
    const bytes = Buffer.byteLength('{"price": 1.50, "id": 12345678901234567890}');
    assert.match(h.markdown, new RegExp(`\\*\\*${bytes} bytes\\*\\*`));
    assert.match(h.markdown, /the limit for a synchronous invocation is 6,291,456 bytes \(6 MB\)/);
  });

  test('the limit follows the invocation type', () => {
    const h = hoverAt('{"functionName": "f", "invocationType": "Event", "payload": {"a": |"é"}}');
    assert.match(h.markdown, /\*\*11 bytes\*\*/);
    assert.match(h.markdown, /the limit for an asynchronous \(Event\) invocation is 1,048,576 bytes \(1 MB\)/);
    assert.match(hoverAt('{"functionName": "f", "invocationType": "DryRun", "payl|oad": 1}').markdown, /a DryRun invocation is 6,291,456 bytes/);
  });

  test('a payload over the limit shows its size and by how many bytes it is over', () => {
    const text = `{"functionName": "f", "invocationType": "Event", "pay|load": ${stringOfBytes(ASYNC_LIMIT + 1)}}`;
    const h = hoverAt(text);
    assert.match(h.markdown, /\*\*1,048,577 bytes\*\*: 1 byte over the limit/);
  });

  test('a payload at exactly the limit is 100%', () => {
    const h = hoverAt(`{"functionName": "f", "pay|load": ${stringOfBytes(SYNC_LIMIT, 'é')}}`);
    assert.match(h.markdown, /\*\*6,291,456 bytes\*\* \(6 MB, 100% of the limit\)/);
    // One byte less must not round up to 100%.
    const under = hoverAt(`{"functionName": "f", "pay|load": ${stringOfBytes(SYNC_LIMIT - 1)}}`);
    assert.match(under.markdown, /\*\*6,291,455 bytes\*\* \(6 MB, 99\.9% of the limit\)/);
  });

  test('a payload file shows the file size', () => {
    const files = { '/ws/tests/e.json': stringOfBytes(1500, '😀') };
    const h = hoverAt('{"functionName": "f", "payloadFile": "e.js|on"}', files);
    assert.equal(h.hovered, '"e.json"');
    assert.match(h.markdown, /\*\*1,500 bytes\*\*/);
    assert.match(h.markdown, /6,291,456 bytes/);
  });

  test('a missing payload file says there is nothing to count', () => {
    const h = hoverAt('{"functionName": "f", "payload|File": "none.json"}');
    assert.match(h.markdown, /No payload bytes to count yet/);
  });
});

describe('hover: clientContext', () => {
  test('an object shows its encoded length and the base64', () => {
    const h = hoverAt('{"functionName": "f", "client|Context": { "custom": { "a": 1 } }}');
    const encoded = Buffer.from('{"custom":{"a":1}}').toString('base64');
    assert.match(h.markdown, new RegExp(`Encoded: \\*\\*${encoded.length}\\*\\* of 3,583 bytes of base64`));
    assert.ok(h.markdown.includes(encoded));
  });

  test('a base64 string shows its length and the decoded JSON', () => {
    const base64 = Buffer.from('{"custom":{"user":"me"}}').toString('base64');
    const h = hoverAt(`{"functionName": "f", "clientContext": "${base64}|"}`);
    assert.match(h.markdown, new RegExp(`Encoded: \\*\\*${base64.length}\\*\\* of 3,583`));
    assert.ok(h.markdown.includes('```json\n{\n  "custom": {\n    "user": "me"\n  }\n}\n```'));
  });

  test('a string that does not decode shows the length only', () => {
    const h = hoverAt('{"functionName": "f", "clientContext": "nope|"}');
    assert.match(h.markdown, /Encoded: \*\*4\*\* of 3,583/);
    assert.doesNotMatch(h.markdown, /Decoded/);
  });
});

describe('hover: the function’s configuration, from the account', () => {
  const account = lookupOf();

  test('after the name’s parts: runtime, handler, architecture, memory, timeout, storage, state, size, logs, aliases, versions', () => {
    const h = hoverAt('{"functionName": "orders-serv|ice:prod"}', {}, account);
    const [parts, configuration] = h.markdown.split('\n\n---\n\n').slice(-2);
    assert.match(parts!, /\| Qualifier \| `prod` \|/);
    const rows = configuration!.split('\n');
    assert.equal(rows[0], '**orders-service** (`$LATEST`)');
    assert.deepEqual(rows.slice(2), [
      '| Setting | Value |',
      '|---|---|',
      // A "|" of the account's own would end the cell: it is escaped.
      '| Description | Takes orders \\| pays |',
      '| Runtime | `nodejs22.x` |',
      '| Handler | `index.handler` |',
      '| Architecture | arm64 |',
      '| Memory | 1,024 MB |',
      '| Timeout | 30 s |',
      '| Ephemeral storage | 512 MB |',
      '| State | Active |',
      '| Last modified | 2025-11-30T10:00:00.000+0000 |',
      '| Code size | 2.1 KB (2,150 bytes) |',
      '| Log group | `/aws/lambda/orders-service` |',
      '| Log format | JSON |',
      '| Aliases | `prod` → 3, `staging` → 4 |',
      '| Versions | 4, 3, 2 and 1 |',
    ]);
  });

  test('tenancy, durable settings, and a state with its reason', () => {
    assert.match(hoverAt('{"functionName": "tenant-|api"}', {}, account).markdown, /\| Tenancy \| tenant isolation, PER_TENANT \|/);
    assert.match(hoverAt('{"functionName": "work|flow"}', {}, account).markdown, /\| Durable \| yes: executions time out after 1 day, history kept 14 days \|/);
    assert.match(hoverAt('{"functionName": "bro|ken"}', {}, account).markdown, /\| State \| Failed: The role defined for the function cannot be assumed by Lambda\. \|/);
  });

  test('nothing more while the function is unknown, not found, or without a lookup; the hover stays as it was', () => {
    const plain = hoverAt('{"functionName": "bill|ing"}').markdown;
    assert.equal(hoverAt('{"functionName": "bill|ing"}', {}, NOTHING_KNOWN).markdown, plain);
    assert.equal(hoverAt('{"functionName": "gho|st"}', {}, account).markdown, hoverAt('{"functionName": "gho|st"}').markdown);
    assert.doesNotMatch(plain, /Setting/);
    // Other fields are not about the function's configuration.
    assert.doesNotMatch(hoverAt('{"functionName": "billing", "re|gion": "us-east-1"}', {}, account).markdown, /Setting/);
  });
});
