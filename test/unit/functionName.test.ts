import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { checkFunctionName, parseFunctionName } from '../../src/lambda/functionName';
import { Patterns } from '../../src/lambda/limits';
import { analyze, codes, covered } from './helpers';
import { messageOf, single } from './builders';

const doc = (functionName: string, extra = '') => `{"functionName": ${JSON.stringify(functionName)}${extra}}`;

describe('functionName: accepted forms', () => {
  const accepted = [
    'my-function',
    'my.function',
    'my_function',
    'My-Function_v2.0',
    'a',
    'my-function:v1',
    'my-function:1',
    'my-function:$LATEST',
    'my-function:$LATEST.PUBLISHED',
    'my-function:prod_blue-2',
    'arn:aws:lambda:us-west-2:123456789012:function:my-function',
    'arn:aws:lambda:us-west-2:123456789012:function:my-function:prod',
    'arn:aws:lambda:us-west-2:123456789012:function:my-function:7',
    'arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST',
    'arn:aws-cn:lambda:cn-north-1:123456789012:function:my-function',
    'arn:aws-cn:lambda:cn-northwest-1:123456789012:function:my-function:v1',
    'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:my-function',
    'arn:aws-us-gov:lambda:us-gov-east-1:123456789012:function:my-function:$LATEST.PUBLISHED',
    'arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:my-function',
    'arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:my-function:live',
    '123456789012:function:my-function',
    '123456789012:function:my-function:v1',
    'us-west-2:123456789012:function:my-function',
    'us-west-2:123456789012:function:my-function:3',
  ];
  for (const name of accepted) {
    test(`accepts ${name}`, () => {
      assert.deepEqual(codes(doc(name)), []);
      assert.equal(checkFunctionName(name).ok, true);
      assert.ok(Patterns.functionName.test(name));
    });
  }

  test('a plain name has only a name', () => {
    assert.deepEqual(parseFunctionName('my.function_x-1'), { name: 'my.function_x-1', form: 'name' });
  });

  test('a name with an alias or version splits off the qualifier', () => {
    assert.deepEqual(parseFunctionName('my-function:v1'), { name: 'my-function', qualifier: 'v1', form: 'name' });
    assert.deepEqual(parseFunctionName('my-function:1'), { name: 'my-function', qualifier: '1', form: 'name' });
    assert.equal(parseFunctionName('my-function:$LATEST')?.qualifier, '$LATEST');
    assert.equal(parseFunctionName('my-function:$LATEST.PUBLISHED')?.qualifier, '$LATEST.PUBLISHED');
  });

  test('a full ARN gives partition, region, account, name and qualifier', () => {
    assert.deepEqual(parseFunctionName('arn:aws:lambda:us-west-2:123456789012:function:my-function:prod'), {
      partition: 'aws',
      region: 'us-west-2',
      account: '123456789012',
      name: 'my-function',
      qualifier: 'prod',
      form: 'full ARN',
    });
  });

  test('aws-cn, aws-us-gov and aws-eusc ARNs give their partition and region', () => {
    const cn = parseFunctionName('arn:aws-cn:lambda:cn-north-1:210987654321:function:orders');
    assert.deepEqual(cn, { partition: 'aws-cn', region: 'cn-north-1', account: '210987654321', name: 'orders', form: 'full ARN' });
    const gov = parseFunctionName('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders:$LATEST');
    assert.equal(gov?.partition, 'aws-us-gov');
    assert.equal(gov?.region, 'us-gov-west-1');
    assert.equal(gov?.qualifier, '$LATEST');
    const eusc = parseFunctionName('arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:orders');
    assert.equal(eusc?.partition, 'aws-eusc');
    assert.equal(eusc?.region, 'eusc-de-east-1');
    assert.equal(eusc?.name, 'orders');
  });

  test('partial ARNs give account, and region when written', () => {
    assert.deepEqual(parseFunctionName('123456789012:function:my-function'), {
      account: '123456789012',
      name: 'my-function',
      form: 'partial ARN',
    });
    assert.deepEqual(parseFunctionName('us-west-2:123456789012:function:my-function:v2'), {
      region: 'us-west-2',
      account: '123456789012',
      name: 'my-function',
      qualifier: 'v2',
      form: 'partial ARN',
    });
  });

  test('a name shaped like a region, with a qualifier, is read as name and qualifier', () => {
    // "my-function-2" has the shape of a region code (xx-word-N); it must stay the name.
    assert.deepEqual(parseFunctionName('my-function-2:prod'), { name: 'my-function-2', qualifier: 'prod', form: 'name' });
    assert.deepEqual(codes(doc('my-function-2:prod', ', "region": "us-east-1"')), []);
    const a = analyze(doc('my-function-2:prod', ', "qualifier": "dev"'));
    assert.equal(covered(a, single(a, 'qualifier-conflict')), '"dev"');
  });
});

describe('functionName: rejected forms', () => {
  const rejected: [string, string][] = [
    ['a space', 'my function'],
    ['an S3 ARN', 'arn:aws:s3:::my-bucket'],
    ['an S3-service ARN with the Lambda shape', 'arn:aws:s3:us-west-2:123456789012:function:my-function'],
    ['a bad region', 'arn:aws:lambda:uswest2:123456789012:function:my-function'],
    ['an upper-case region', 'arn:aws:lambda:US-WEST-2:123456789012:function:my-function'],
    ['an 11-digit account', 'arn:aws:lambda:us-west-2:12345678901:function:my-function'],
    ['a 13-digit account', 'arn:aws:lambda:us-west-2:1234567890123:function:my-function'],
    ['an 11-digit partial account', '12345678901:function:my-function'],
    ['an empty qualifier', 'my-function:'],
    ['two qualifiers', 'my-function:a:b'],
    ['a bad $ qualifier', 'my-function:$LATEST.DRAFT'],
    ['a slash', 'team/my-function'],
  ];
  for (const [what, name] of rejected) {
    test(`rejects ${what}: ${name}`, () => {
      const a = analyze(doc(name));
      const d = single(a, 'function-name-invalid');
      assert.equal(covered(a, d), JSON.stringify(name));
      assert.equal(d.severity, DiagnosticSeverity.Error);
      assert.match(messageOf(d), /Not a function name Lambda accepts/);
      assert.equal(parseFunctionName(name), undefined);
    });
  }

  test('an empty name is invalid, and says it is empty', () => {
    const a = analyze(doc(''));
    const d = single(a, 'function-name-invalid');
    assert.equal(covered(a, d), '""');
    assert.match(messageOf(d), /empty/);
  });

  test('256 characters in all is accepted, 257 is function-name-invalid', () => {
    const prefix = 'arn:aws:lambda:us-west-2:123456789012:function:';
    const name = 'n'.repeat(64);
    const at256 = `${prefix}${name}:${'q'.repeat(256 - prefix.length - name.length - 1)}`;
    assert.equal(at256.length, 256);
    assert.deepEqual(codes(doc(at256)), []);
    const at257 = `${at256}q`;
    const a = analyze(doc(at257));
    const d = single(a, 'function-name-invalid');
    assert.match(messageOf(d), /257 characters/);
    assert.match(messageOf(d), /at most 256/);
    assert.equal(covered(a, d), JSON.stringify(at257));
    assert.deepEqual(checkFunctionName(at257), { ok: false, problem: { kind: 'too-long', length: 257 } });
  });

  test('a bare name of 64 characters is accepted, 65 is function-name-too-long', () => {
    assert.deepEqual(codes(doc('x'.repeat(64))), []);
    const a = analyze(doc('x'.repeat(65)));
    const d = single(a, 'function-name-too-long');
    assert.equal(covered(a, d), JSON.stringify('x'.repeat(65)));
    assert.match(messageOf(d), /65 characters/);
    assert.match(messageOf(d), /at most 64/);
    assert.equal(a.diagnostics.length, 1);
  });

  test('the name part of an ARN is held to 64 characters too', () => {
    const arn = (n: number) => `arn:aws:lambda:us-west-2:123456789012:function:${'x'.repeat(n)}:prod`;
    assert.deepEqual(codes(doc(arn(64))), []);
    const a = analyze(doc(arn(65)));
    const d = single(a, 'function-name-too-long');
    assert.match(messageOf(d), /65 characters/);
    assert.equal(a.diagnostics.length, 1);
    const partial = analyze(doc(`123456789012:function:${'y'.repeat(65)}`));
    assert.match(messageOf(single(partial, 'function-name-too-long')), /65 characters/);
  });

  test('a functionName that is not a string is one schema error, not a name error', () => {
    const a = analyze('{"functionName": 42}');
    assert.deepEqual(
      a.diagnostics.map((d) => [d.code, covered(a, d)]),
      [['schema', '42']],
    );
  });
});

describe('functionName: the anchored model pattern and the named-parts pattern agree', () => {
  test('on a generated corpus of valid and invalid names', () => {
    const prefixes = ['', 'arn:aws:lambda:', 'arn:aws-cn:lambda:', 'arn:aws-us-gov:lambda:', 'arn:aws-eusc:lambda:', 'arn::lambda:', 'arn:aws:s3:', 'arn:AWS:lambda:', 'arn:aws:lambda'];
    const regions = ['', 'us-west-2:', 'eusc-de-east-1:', 'us-gov-west-1:', 'us-iso-east-1:', 'us-isob-east-1:', 'us-west-22:', 'US-west-2:', 'my-fn-2:', 'west-2:'];
    const accounts = ['', '123456789012:', '12345678901:', '1234567890123:'];
    const functions = ['', 'function:', 'func:'];
    const names = ['my-function', 'my.fn_1', 'a', '', 'my function', '123456789012', 'x'.repeat(65)];
    const qualifiers = ['', ':v1', ':1', ':$LATEST', ':$LATEST.PUBLISHED', ':$LATEST.X', ':', ':a:b', ':$latest', ':a.b'];
    let total = 0;
    let valid = 0;
    const disagreements: string[] = [];
    for (const p of prefixes)
      for (const r of regions)
        for (const a of accounts)
          for (const f of functions)
            for (const n of names)
              for (const q of qualifiers) {
                const s = p + r + a + f + n + q;
                total++;
                const model = Patterns.functionName.test(s);
                const parts = Patterns.functionNameParts.test(s);
                if (model !== parts) disagreements.push(s);
                if (model) {
                  valid++;
                  // Every accepted string is split into parts that rebuild it.
                  const split = parseFunctionName(s);
                  assert.ok(split, s);
                  assert.ok(s.includes(split.name), s);
                  if (split.qualifier !== undefined) assert.ok(s.endsWith(`:${split.qualifier}`), s);
                }
              }
    assert.deepEqual(disagreements, []);
    assert.ok(total > 3000, `corpus of ${total}`);
    // Both kinds well represented, so the comparison means something.
    assert.ok(valid > 1000, `${valid} valid`);
    assert.ok(total - valid > 1000, `${total - valid} invalid`);
  });

  test('on random strings over the alphabet of function names', () => {
    const pieces = ['arn', ':', 'aws', '-cn', 'lambda', 'us', '-west', '-2', 'eusc-', 'gov', '-iso', 'b', '123456789012', 'function', '$LATEST', '.PUBLISHED', 'x', '_', '.', '9', ' '];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    let valid = 0;
    for (let i = 0; i < 4000; i++) {
      let s = '';
      const length = 1 + (next() % 12);
      for (let j = 0; j < length; j++) s += pieces[next() % pieces.length];
      const model = Patterns.functionName.test(s);
      assert.equal(Patterns.functionNameParts.test(s), model, s);
      if (model) valid++;
    }
    assert.ok(valid > 100, `${valid} valid`);
  });
});
