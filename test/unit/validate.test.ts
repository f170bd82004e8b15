import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticCodes } from '../../src/protocol/ids';
import { RULES } from '../../src/language/rules';
import { type FakeFiles, analyze, codes, covered } from './helpers';
import { coveredPairs, messageOf, single } from './builders';

const withField = (key: string, value: unknown, extra = '') =>
  `{"functionName":"my-function"${extra},${JSON.stringify(key)}:${JSON.stringify(value)}}`;

describe('every diagnostic', () => {
  test('carries source lambda-invoke and a code from the list', () => {
    const known = new Set<string>(Object.values(DiagnosticCodes));
    const samples = [
      '{"functionName":"f",}',
      '{"functionNme":"f","invocationType":3}',
      '{"functionName":"a b","qualifier":"$x.y","tenantId":"","durableExecutionName":"","endpoint":"ftp://x"}',
      '{"functionName":"f","invocationType":"Event","logType":"Tail","clientContext":{"x":1}}',
    ];
    let seen = 0;
    for (const text of samples) {
      for (const d of analyze(text).diagnostics) {
        seen++;
        assert.equal(d.source, 'lambda-invoke');
        assert.ok(known.has(String(d.code)), String(d.code));
        assert.ok(messageOf(d).length > 10);
      }
    }
    assert.ok(seen >= 10, `${seen} diagnostics`);
  });

  test('every code in DiagnosticCodes is produced by some document, the account codes aside (accountRules.test.ts)', () => {
    const b64 = (text: string) => JSON.stringify(Buffer.from(text).toString('base64'));
    const samples: Record<string, [string, FakeFiles?]> = {
      'json-syntax': ['{"functionName":"f",}'],
      schema: ['{"functionName":"f","invocationType":"Later"}'],
      'function-name-invalid': ['{"functionName":"my function"}'],
      'function-name-too-long': [`{"functionName":"${'n'.repeat(65)}"}`],
      'qualifier-invalid': ['{"functionName":"f","qualifier":"a.b"}'],
      'qualifier-conflict': ['{"functionName":"f:1","qualifier":"2"}'],
      'region-mismatch': ['{"functionName":"arn:aws:lambda:us-west-2:123456789012:function:f","region":"us-east-1"}'],
      'payload-too-large': ['{"functionName":"f","payloadFile":"big.json"}', { '/ws/tests/big.json': `"${'a'.repeat(6_291_455)}"` }],
      'payload-conflict': ['{"functionName":"f","payload":{},"payloadFile":"a.json"}', { '/ws/tests/a.json': '{}' }],
      'payload-file-missing': ['{"functionName":"f","payloadFile":"none.json"}'],
      'payload-file-outside-workspace': ['{"functionName":"f","payloadFile":"../../x.json"}'],
      'payload-file-not-json': ['{"functionName":"f","payloadFile":"a.json"}', { '/ws/tests/a.json': '{' }],
      'client-context-not-base64': ['{"functionName":"f","clientContext":"%%%"}'],
      'client-context-too-large': [`{"functionName":"f","clientContext":${b64(`{"custom":{"k":"${'x'.repeat(2700)}"}}`)}}`],
      'client-context-not-object': [`{"functionName":"f","clientContext":${b64('[]')}}`],
      'client-context-unknown-key': ['{"functionName":"f","clientContext":{"extra":{}}}'],
      'async-ignores-client-context': ['{"functionName":"f","invocationType":"Event","clientContext":{}}'],
      'async-ignores-log-tail': ['{"functionName":"f","invocationType":"Event","logType":"Tail"}'],
      'tenant-id-invalid': ['{"functionName":"f","tenantId":"a#b"}'],
      'durable-execution-name-invalid': ['{"functionName":"f","durableExecutionName":"a.b"}'],
      'endpoint-invalid': ['{"functionName":"f","endpoint":"ftp://x"}'],
    };
    const typingCodes = RULES.filter((rule) => !rule.check.account).map((rule) => rule.code);
    assert.deepEqual(Object.keys(samples).sort(), typingCodes.sort());
    for (const [code, [text, files]] of Object.entries(samples)) {
      assert.deepEqual(codes(text, files), [code], code);
    }
  });

  test('a complete, valid invocation has none', () => {
    const text = JSON.stringify(
      {
        name: 'Create order',
        functionName: 'arn:aws:lambda:us-west-2:123456789012:function:orders:prod',
        qualifier: 'prod',
        invocationType: 'RequestResponse',
        logType: 'Tail',
        clientContext: { client: { app_title: 'shop' }, custom: { user: 'me' }, env: { locale: 'en' } },
        payload: { id: 1, items: [{ sku: 'a', qty: 2 }] },
        tenantId: 'tenant-1',
        durableExecutionName: 'order-1',
        region: 'us-west-2',
        profile: 'dev',
        endpoint: 'http://127.0.0.1:3001',
      },
      null,
      2,
    );
    assert.deepEqual(analyze(text).diagnostics, []);
  });
});

describe('schema', () => {
  test('an unknown property is reported on its key, with a suggestion', () => {
    const a = analyze('{"functionName":"f","payloadfile":"a.json"}');
    const d = single(a, 'schema');
    assert.equal(covered(a, d), '"payloadfile"');
    assert.match(messageOf(d), /Unknown property "payloadfile"\. Did you mean "payloadFile"\?/);
    assert.deepEqual(d.data, { index: 0, suggestion: 'payloadFile' });
  });

  test('an unknown property with no near name lists the known ones', () => {
    const a = analyze('{"functionName":"f","zzzzzzzz":1}');
    const d = single(a, 'schema');
    assert.equal(covered(a, d), '"zzzzzzzz"');
    assert.match(messageOf(d), /Known properties: name, functionName, qualifier/);
  });

  test('a wrong type is one diagnostic, not two, on the value', () => {
    const a = analyze('{"functionName":"f","invocationType":3}');
    assert.deepEqual(coveredPairs(a), [['schema', '3']]);
    assert.match(messageOf(a.diagnostics[0]!), /"invocationType" must be a string, not a number/);
  });

  test('wrong types on other fields', () => {
    const a = analyze('{"functionName":"f","region":["us-east-1"],"payloadFile":null,"name":true}');
    assert.deepEqual(coveredPairs(a).sort(), [
      ['schema', '["us-east-1"]'],
      ['schema', 'null'],
      ['schema', 'true'],
    ]);
  });

  test('a bad enum value names the allowed ones and suggests the nearest', () => {
    const a = analyze('{"functionName":"f","invocationType":"event"}');
    const d = single(a, 'schema');
    assert.equal(covered(a, d), '"event"');
    assert.match(messageOf(d), /must be one of "RequestResponse", "Event", "DryRun"; got "event"/);
    assert.equal((d.data as { suggestion?: string }).suggestion, 'Event');
    const log = analyze('{"functionName":"f","logType":"tail"}');
    assert.match(messageOf(single(log, 'schema')), /"logType" must be one of "None", "Tail"/);
  });

  test('a missing functionName is reported on the opening brace', () => {
    const a = analyze('{\n  "payload": {}\n}');
    const d = single(a, 'schema');
    assert.equal(covered(a, d), '{');
    assert.deepEqual(d.range.start, { line: 0, character: 0 });
    assert.match(messageOf(d), /Missing "functionName"/);
  });

  test('a missing functionName in an array element is on that element', () => {
    const a = analyze('[\n  {"functionName": "f"},\n  {"payload": 1}\n]');
    const d = single(a, 'schema');
    assert.deepEqual(d.range.start, { line: 2, character: 2 });
    assert.deepEqual(d.data, { index: 1 });
  });

  test('a duplicate key is reported on the first occurrence, the one JSON drops', () => {
    const text = '{"functionName":"a","region":"us-east-1","functionName":"b"}';
    const a = analyze(text);
    const d = single(a, 'schema');
    assert.equal(covered(a, d), '"functionName"');
    assert.equal(a.document.offsetAt(d.range.start), 1);
    assert.match(messageOf(d), /"functionName" appears more than once/);
  });

  test('the top level must be an object or an array', () => {
    for (const text of ['"my-function"', '42', 'null', 'true']) {
      const a = analyze(text);
      const d = single(a, 'schema');
      assert.equal(covered(a, d), text);
      assert.match(messageOf(d), /one invocation object, or an array of them/);
    }
  });

  test('every array element must be an object', () => {
    const a = analyze('[{"functionName":"f"}, "g", 3, [], null]');
    assert.deepEqual(coveredPairs(a), [
      ['schema', '"g"'],
      ['schema', '3'],
      ['schema', '[]'],
      ['schema', 'null'],
    ]);
    assert.match(messageOf(a.diagnostics[0]!), /must be an invocation object, not a string/);
    assert.match(messageOf(a.diagnostics[2]!), /not an array/);
  });

  test('an empty array is a warning', () => {
    const a = analyze('[ ]');
    const d = single(a, 'schema');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(d), /holds no invocations/);
  });

  test('each element of an array file is validated, with its index', () => {
    const a = analyze('[{"functionName":"ok"}, {"functionName":"bad name"}, {"functionName":"f","qualifier":"a.b"}]');
    assert.deepEqual(
      a.diagnostics.map((d) => [d.code, (d.data as { index: number }).index]),
      [
        ['function-name-invalid', 1],
        ['qualifier-invalid', 2],
      ],
    );
  });
});

describe('json-syntax', () => {
  test('a line comment is an error on the comment', () => {
    const a = analyze('// my test\n{"functionName":"f"}');
    const d = single(a, 'json-syntax');
    assert.equal(covered(a, d), '// my test');
    assert.match(messageOf(d), /Comments are not allowed/);
    assert.equal(a.diagnostics.length, 1, 'no schema errors while the JSON is broken');
  });

  test('a block comment is an error too', () => {
    const a = analyze('{"functionName":"f" /* later */}');
    const d = single(a, 'json-syntax');
    assert.equal(covered(a, d), '/* later */');
  });

  test('a trailing comma in an object is reported on the comma', () => {
    const text = '{\n  "functionName": "f",\n  "payload": {}, \n}';
    const a = analyze(text);
    const d = single(a, 'json-syntax');
    assert.equal(covered(a, d), ',');
    assert.equal(a.document.offsetAt(d.range.start), text.lastIndexOf(','));
    assert.match(messageOf(d), /Trailing comma/);
  });

  test('a trailing comma in an array, and inside a payload, is reported on the comma', () => {
    const text = '[{"functionName":"f","payload":[1,2,]},]';
    const a = analyze(text);
    assert.deepEqual(coveredPairs(a), [
      ['json-syntax', ','],
      ['json-syntax', ','],
    ]);
    assert.deepEqual(
      a.diagnostics.map((d) => a.document.offsetAt(d.range.start)),
      [text.indexOf(',]'), text.lastIndexOf(',')],
    );
  });

  test('an unterminated string is reported from its opening quote', () => {
    const a = analyze('{"functionName": "my-func');
    const d = a.diagnostics[0]!;
    assert.equal(d.code, 'json-syntax');
    assert.equal(covered(a, d), '"my-func');
    assert.match(messageOf(d), /Unterminated string/);
  });

  test('an empty or blank file is one error saying so', () => {
    for (const text of ['', '  \n\t']) {
      const a = analyze(text);
      const d = single(a, 'json-syntax');
      assert.equal(a.diagnostics.length, 1);
      assert.match(messageOf(d), /The file is empty/);
      assert.deepEqual(d.range.start, { line: 0, character: 0 });
    }
  });

  test('single quotes, a missing comma and text after the root are errors', () => {
    assert.deepEqual(codes("{'functionName': 'f'}").slice(0, 1), ['json-syntax']);
    const missing = analyze('{"functionName":"f"\n"region":"us-east-1"}');
    assert.match(messageOf(single(missing, 'json-syntax')), /Expected ','/);
    const after = analyze('{"functionName":"f"} {"functionName":"g"}');
    assert.match(messageOf(after.diagnostics[0]!), /Expected the end of the file/);
    assert.equal(covered(after, after.diagnostics[0]!)[0], '{');
  });
});

describe('qualifier', () => {
  for (const q of ['$LATEST', '$LATEST.PUBLISHED', '1', '42', 'prod', 'blue_green-2', 'a'.repeat(128)]) {
    test(`accepts ${q.length > 20 ? `${q.length} characters` : q}`, () => {
      assert.deepEqual(codes(withField('qualifier', q)), []);
    });
  }

  test('129 characters is qualifier-invalid, with the numbers', () => {
    const a = analyze(withField('qualifier', 'a'.repeat(129)));
    const d = single(a, 'qualifier-invalid');
    assert.equal(covered(a, d), JSON.stringify('a'.repeat(129)));
    assert.match(messageOf(d), /129 characters; Lambda allows at most 128/);
  });

  test('a bad character is qualifier-invalid, naming it', () => {
    const a = analyze(withField('qualifier', 'v1.2'));
    const d = single(a, 'qualifier-invalid');
    assert.equal(covered(a, d), '"v1.2"');
    assert.match(messageOf(d), /"\." is not allowed/);
    assert.deepEqual(codes(withField('qualifier', 'my alias')), ['qualifier-invalid']);
    assert.deepEqual(codes(withField('qualifier', '$LATEST.DRAFT')), ['qualifier-invalid']);
  });

  test('an empty qualifier is qualifier-invalid', () => {
    assert.deepEqual(codes(withField('qualifier', '')), ['qualifier-invalid']);
  });

  test('a qualifier in the name and a different one in "qualifier" is qualifier-conflict, on "qualifier"', () => {
    const a = analyze('{"functionName":"my-function:1","qualifier":"2"}');
    const d = single(a, 'qualifier-conflict');
    assert.equal(covered(a, d), '"2"');
    assert.match(messageOf(d), /already selects "1", but "qualifier" says "2"/);
    const arn = analyze('{"functionName":"arn:aws:lambda:us-west-2:123456789012:function:f:prod","qualifier":"$LATEST"}');
    assert.equal(covered(arn, single(arn, 'qualifier-conflict')), '"$LATEST"');
  });

  test('the same qualifier in both places, or only one, is fine', () => {
    assert.deepEqual(codes('{"functionName":"my-function:prod","qualifier":"prod"}'), []);
    assert.deepEqual(codes('{"functionName":"my-function","qualifier":"prod"}'), []);
    assert.deepEqual(codes('{"functionName":"123456789012:function:f:$LATEST","qualifier":"$LATEST"}'), []);
  });
});

describe('region-mismatch', () => {
  test("an ARN's region differing from \"region\" is a warning on the region value", () => {
    const a = analyze('{"functionName":"arn:aws:lambda:us-west-2:123456789012:function:f","region":"eu-central-1"}');
    const d = single(a, 'region-mismatch');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(covered(a, d), '"eu-central-1"');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(d), /ARN is in us-west-2, but "region" is eu-central-1/);
  });

  test('a partial ARN with a region is checked too', () => {
    assert.deepEqual(codes('{"functionName":"us-west-2:123456789012:function:f","region":"us-east-1"}'), ['region-mismatch']);
  });

  test('agreeing regions, an empty region, and plain names give nothing', () => {
    assert.deepEqual(codes('{"functionName":"arn:aws:lambda:us-west-2:123456789012:function:f","region":"us-west-2"}'), []);
    assert.deepEqual(codes('{"functionName":"arn:aws:lambda:us-west-2:123456789012:function:f","region":""}'), []);
    assert.deepEqual(codes('{"functionName":"my-function","region":"ap-south-1"}'), []);
    assert.deepEqual(codes('{"functionName":"123456789012:function:f","region":"ap-south-1"}'), []);
  });
});

describe('tenant-id-invalid', () => {
  test('256 characters with spaces and ._:/=+-@ are accepted', () => {
    const base = 'Tenant 1._:/=+-@ ';
    const id = base.repeat(16).slice(0, 256);
    assert.equal(id.length, 256);
    assert.deepEqual(codes(withField('tenantId', id)), []);
  });

  test('257 characters is too long, with the numbers, on the value', () => {
    const a = analyze(withField('tenantId', 't'.repeat(257)));
    const d = single(a, 'tenant-id-invalid');
    assert.equal(covered(a, d), JSON.stringify('t'.repeat(257)));
    assert.match(messageOf(d), /257 characters; Lambda allows at most 256/);
  });

  test('"#" is not allowed, and the message names it', () => {
    const a = analyze(withField('tenantId', 'team#1'));
    assert.match(messageOf(single(a, 'tenant-id-invalid')), /"#" is not allowed/);
  });

  test('an empty tenant id is invalid', () => {
    const a = analyze(withField('tenantId', ''));
    assert.match(messageOf(single(a, 'tenant-id-invalid')), /empty; it needs 1 to 256 characters/);
  });
});

describe('durable-execution-name-invalid', () => {
  test('64 characters of letters, digits, - and _ are accepted', () => {
    const name = 'Order_run-1'.repeat(6).slice(0, 64);
    assert.equal(name.length, 64);
    assert.deepEqual(codes(withField('durableExecutionName', name)), []);
  });

  test('65 characters is too long', () => {
    const a = analyze(withField('durableExecutionName', 'd'.repeat(65)));
    const d = single(a, 'durable-execution-name-invalid');
    assert.equal(covered(a, d), JSON.stringify('d'.repeat(65)));
    assert.match(messageOf(d), /65 characters; Lambda allows at most 64/);
  });

  test('a bad character is named', () => {
    const a = analyze(withField('durableExecutionName', 'order.1'));
    assert.match(messageOf(single(a, 'durable-execution-name-invalid')), /"\." is not allowed/);
    assert.deepEqual(codes(withField('durableExecutionName', 'two words')), ['durable-execution-name-invalid']);
  });

  test('an empty name is invalid', () => {
    assert.match(messageOf(single(analyze(withField('durableExecutionName', '')), 'durable-execution-name-invalid')), /empty/);
  });
});

describe('endpoint-invalid', () => {
  test('http and https URLs are accepted', () => {
    for (const url of ['http://127.0.0.1:3001', 'https://lambda.example.com', 'http://localhost:4566/', 'https://[::1]:8443/base']) {
      assert.deepEqual(codes(withField('endpoint', url)), [], url);
    }
  });

  test('ftp:// is refused, naming the scheme, on the value', () => {
    const a = analyze(withField('endpoint', 'ftp://files.example.com'));
    const d = single(a, 'endpoint-invalid');
    assert.equal(covered(a, d), '"ftp://files.example.com"');
    assert.match(messageOf(d), /http:\/\/ or https:\/\/ URL, not ftp:/);
  });

  test('something that is not a URL is refused', () => {
    for (const text of ['localhost:3001', '127.0.0.1', '', 'not a url']) {
      const a = analyze(withField('endpoint', text));
      assert.equal(single(a, 'endpoint-invalid').code, 'endpoint-invalid', text);
    }
    assert.match(messageOf(single(analyze(withField('endpoint', 'not a url')), 'endpoint-invalid')), /is not a URL/);
  });
});
