/**
 * isJsonText (the byte-level check of payload files) against the judge it stands in for:
 * `JSON.parse(bytes.toString('utf8'))`. They must agree on every input: hand-picked edge cases,
 * every byte in each context, deep nesting, and generated JSON texts with random mutations
 * (a fixed seed, so a failure repeats). Also formatCount against Intl, which it stands in for.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount } from '../../src/lambda/format';
import { isJsonText } from '../../src/language/jsonText';

function parses(bytes: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(bytes).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Fails with the input (as hex and as text) where the two disagree. */
function agree(bytes: Uint8Array): boolean {
  const expected = parses(bytes);
  const actual = isJsonText(bytes);
  if (actual !== expected) {
    const buffer = Buffer.from(bytes);
    assert.fail(`isJsonText says ${actual}, JSON.parse says ${expected} for ${JSON.stringify(buffer.toString('latin1').slice(0, 120))} (hex ${buffer.toString('hex').slice(0, 120)})`);
  }
  return expected;
}

/** A small deterministic PRNG (xorshift32). */
function prng(seed: number): { int(n: number): number; chance(p: number): boolean; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, chance: (p) => next() < p, pick: (items) => items[int(items.length)]! };
}

describe('isJsonText agrees with JSON.parse', () => {
  test('on hand-picked edge cases', () => {
    const cases = [
      '', ' ', '{}', '[]', '"', '""', '0', '-', '-0', '00', '01', '1.', '.1', '1e', '1e+', '+1', '1E2', '1e400', '-0.0e0',
      '123456789012345678901234567890', 'tru', 'true', 'truex', 'nul', 'null ', ' null', '\uFEFFnull', '\u00a0null', '[1,]', '[,1]',
      '{"a":1,}', '{"a"}', '{"a":}', '{1:2}', "{'a':1}", '"\\x"', '"\\u12"', '"\\u12g4"', '"\\uD800"', '"a\u0000"', '"a\u001f"',
      '"a\u007f"', '[1 2]', '1 2', '[[[]]]', '[[[]]', '[]]', '{"a":[{"b":null}]}', 'NaN', 'Infinity', '-Infinity', '"\t"', '"\n"',
      '[\f]', '[\v]', '1\u0000', '"\\/"', "\"\\'\"", '"é東😀\u2028"', '{"a":1}\n', '\r\n[ 1 ,\t2 ]\r\n',
    ];
    const valid = cases.filter((text) => agree(Buffer.from(text))).length;
    assert.ok(valid > 10 && valid < cases.length, `both kinds are covered (${valid} of ${cases.length} valid)`);
  });

  test('on every byte, alone, in a string, in an array, after a backslash and after a number', () => {
    for (let b = 0; b < 256; b++) {
      for (const bytes of [[b], [0x22, b, 0x22], [0x5b, b, 0x5d], [0x22, 0x5c, b, 0x22], [0x31, b]]) agree(Buffer.from(bytes));
    }
  });

  test('on invalid UTF-8 inside strings and a UTF-8 byte-order mark', () => {
    for (const bytes of [[0x22, 0xe2, 0x22], [0x22, 0xff, 0xfe, 0x22], [0x22, 0xc3, 0x22], [0xef, 0xbb, 0xbf, 0x31], [0x22, 0xf0, 0x9f, 0x98, 0x80, 0x22]]) {
      agree(Buffer.from(bytes));
    }
  });

  test('on 100,000-deep nesting, balanced and not', () => {
    assert.equal(agree(Buffer.from('['.repeat(100_000) + ']'.repeat(100_000))), true);
    assert.equal(agree(Buffer.from('['.repeat(100_000) + ']'.repeat(99_999))), false);
    assert.equal(agree(Buffer.from('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000))), true);
  });

  test('on 30,000 generated JSON texts and 60,000 mutations of them (seed 1)', () => {
    const random = prng(1);
    const pieces = ['a', 'é', '東', '😀', '\\n', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\r', '\\t', '\\u00e9', '\\uD83D', '\\uDE00', '\\uabcd', ' ', '\u007f', '\u2028'];
    const space = () => random.pick(['', ' ', '\n', '\t', '\r\n  ']);
    const value = (depth: number): string => {
      switch (random.int(depth > 4 ? 4 : 7)) {
        case 0:
          return random.pick(['0', '-0', '1', '-1', '12.5', '1e5', '1E+5', '1e-5', '-0.0e0', '0.1', '1.5E308', '1e400', '123456789012345678901234567890']);
        case 1:
          return random.pick(['true', 'false', 'null']);
        case 2:
        case 3:
          return `"${Array.from({ length: random.int(6) }, () => random.pick(pieces)).join('')}"`;
        case 4:
        case 5:
          return `[${space()}${Array.from({ length: random.int(4) }, () => value(depth + 1)).join(`${space()},${space()}`)}${space()}]`;
        default:
          return `{${space()}${Array.from({ length: random.int(4) }, () => `"k${random.int(9)}"${space()}:${space()}${value(depth + 1)}`).join(`,${space()}`)}${space()}}`;
      }
    };
    const noise = [...Buffer.from(' \t\n\r\f\v{}[],:"\\/-+.0123456789eEtrufalsn x\u0000\u001f\u007f'), 0x80, 0xbf, 0xc0, 0xc3, 0xa9, 0xe2, 0xef, 0xbb, 0xf0, 0x9f, 0xff, 0xa0];
    const snippets = ['true', 'null', '-', '1e', '\\u12', '\uFEFF', '\u00a0', '\u2028', '01', '.5', '[', ']', '{}', '""'].map((s) => [...Buffer.from(s)]);
    const mutate = (bytes: Buffer): Buffer => {
      const out = [...bytes];
      for (let m = 1 + random.int(3); m > 0; m--) {
        const at = random.int(out.length + 1);
        const last = Math.min(at, out.length - 1);
        switch (random.int(5)) {
          case 0:
            if (out.length > 0) out.splice(last, 1);
            break;
          case 1:
            out.splice(at, 0, random.pick(noise));
            break;
          case 2:
            if (out.length > 0) out[last] = random.pick(noise);
            break;
          case 3:
            out.length = at;
            break;
          default:
            out.splice(at, 0, ...random.pick(snippets));
        }
      }
      return Buffer.from(out);
    };
    let valid = 0;
    let invalid = 0;
    for (let n = 0; n < 30_000; n++) {
      const text = Buffer.from(`${random.chance(0.3) ? space() : ''}${value(0)}${random.chance(0.3) ? space() : ''}`);
      for (const bytes of [text, mutate(text), mutate(text)]) {
        if (agree(bytes)) valid++;
        else invalid++;
      }
    }
    assert.ok(valid > 20_000 && invalid > 20_000, `both kinds are well covered: ${valid} valid, ${invalid} invalid`);
  });
});

describe('formatCount writes numbers as Intl does in en-US', () => {
  const intl = new Intl.NumberFormat('en-US');
  test('for whole numbers around every grouping boundary and the limits', () => {
    const numbers = [0, 1, 999, 1000, 9999, 10_000, 999_999, 1_000_000, 3583, 6_291_456, 6_291_457, 1_048_576, Number.MAX_SAFE_INTEGER];
    for (let digits = 1; digits <= 16; digits++) numbers.push(10 ** digits - 1, 10 ** digits);
    for (const n of numbers) assert.equal(formatCount(n), intl.format(n), `formatCount(${n})`);
  });

  test('for negative and fractional numbers, through Intl itself', () => {
    for (const n of [-1, -1000, -1234567, 0.5, 1234.5678, 1e21]) assert.equal(formatCount(n), intl.format(n), `formatCount(${n})`);
  });
});
