/**
 * CloudWatch Logs filter patterns, the subset the local endpoint serves: terms (quoted phrases
 * such as `"START RequestId: 1234"` and unquoted words, every one of which must occur in the
 * message) and JSON patterns (`{ $.requestId = "x" }`, `{ $.record.requestId = "x" }`, compared
 * with = != < > <= >=, joined with && and ||, grouped with parentheses or with braces). Anything
 * else is refused with a message naming the forms that are served, rather than matched wrongly.
 * Pure: pattern text in, a predicate on the message out.
 */

export type MessageFilter = (message: string) => boolean;

export type ParsedPattern = { readonly ok: true; readonly matches: MessageFilter } | { readonly ok: false; readonly message: string };

export const SERVED_FORMS =
  'quoted terms ("START RequestId: 1234"), unquoted words (ERROR), several terms that must all occur, and JSON patterns such as { $.requestId = "x" } or { $.record.requestId = "x" }, compared with = != < > <= >=, joined with && or || and grouped with parentheses';

class PatternError extends Error {}

export function parseFilterPattern(pattern: string): ParsedPattern {
  try {
    const text = pattern.trim();
    if (text === '') return { ok: true, matches: () => true };
    if (text.startsWith('{') || (text.startsWith('(') && text.includes('$'))) return { ok: true, matches: jsonFilter(text) };
    return { ok: true, matches: termFilter(text) };
  } catch (e) {
    if (!(e instanceof PatternError)) throw e;
    return { ok: false, message: `Invalid filter pattern ${JSON.stringify(pattern)}: ${e.message}. This local endpoint serves ${SERVED_FORMS}.` };
  }
}

// ---------------------------------------------------------------------------------------------
// Terms

/** The characters of an unquoted word; `-` and `?` may not start one (CloudWatch's exclusion and "any of" forms, not served). */
const WORD = /^[A-Za-z0-9_.:/@][A-Za-z0-9_.:/@-]*/;

function termFilter(text: string): MessageFilter {
  const terms: string[] = [];
  let rest = text;
  while (rest !== '') {
    if (rest.startsWith('"')) {
      const { value, length } = quoted(rest);
      terms.push(value);
      rest = rest.slice(length);
    } else {
      const word = WORD.exec(rest)?.[0];
      if (word === undefined) throw new PatternError(`"${rest[0]!}" cannot start a term (exclusions with - and alternatives with ? are not served)`);
      terms.push(word);
      rest = rest.slice(word.length);
    }
    const spaces = /^\s*/.exec(rest)![0];
    if (spaces === '' && rest !== '') throw new PatternError(`terms must be separated by spaces, before ${JSON.stringify(rest)}`);
    rest = rest.slice(spaces.length);
  }
  return (message) => terms.every((term) => message.includes(term));
}

/** A double-quoted string at the start of `text`, with \" and \\ escapes. */
function quoted(text: string): { value: string; length: number } {
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
    } else if (c === '"') {
      return { value, length: i + 1 };
    } else {
      value += c;
    }
  }
  throw new PatternError('a quoted term has no closing "');
}

// ---------------------------------------------------------------------------------------------
// JSON patterns

type Token = { kind: 'punct'; text: string } | { kind: 'string'; text: string } | { kind: 'number'; value: number; text: string } | { kind: 'word'; text: string } | { kind: 'selector'; path: (string | number)[]; text: string };

const PUNCTUATION = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '{', '}', '(', ')'] as const;
const COMPARISONS = new Set(['=', '!=', '<', '>', '<=', '>=']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const punct = PUNCTUATION.find((p) => rest.startsWith(p));
    if (punct) {
      tokens.push({ kind: 'punct', text: punct });
      i += punct.length;
      continue;
    }
    if (rest.startsWith('"')) {
      const { value, length } = quoted(rest);
      tokens.push({ kind: 'string', text: value });
      i += length;
      continue;
    }
    const selector = /^\$((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*)/.exec(rest);
    if (selector) {
      const path = [...selector[1]!.matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
      tokens.push({ kind: 'selector', path, text: selector[0] });
      i += selector[0].length;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![A-Za-z0-9_*])/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0] });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z0-9_.:/@*-]+/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    throw new PatternError(`unexpected ${JSON.stringify(rest[0])} at ${JSON.stringify(rest)}`);
  }
  return tokens;
}

type JsonTest = (value: unknown) => boolean;

class JsonParser {
  private at = 0;
  /** Comparisons are only allowed inside braces, as CloudWatch requires. */
  private braces = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): JsonTest {
    const test = this.or();
    const extra = this.tokens[this.at];
    if (extra) throw new PatternError(`unexpected ${JSON.stringify(extra.text)} after a complete pattern`);
    return test;
  }

  private peek(text: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === 'punct' && token.text === text;
  }

  private expect(text: string): void {
    if (!this.peek(text)) throw new PatternError(`expected "${text}" ${this.tokens[this.at] ? `before ${JSON.stringify(this.tokens[this.at]!.text)}` : 'at the end'}`);
    this.at++;
  }

  private or(): JsonTest {
    return this.joined('||', () => this.and(), (parts, value) => parts.some((part) => part(value)));
  }

  private and(): JsonTest {
    return this.joined('&&', () => this.primary(), (parts, value) => parts.every((part) => part(value)));
  }

  /** `next (op next)*`, combined by `combine` when there is more than one. */
  private joined(op: '||' | '&&', next: () => JsonTest, combine: (parts: readonly JsonTest[], value: unknown) => boolean): JsonTest {
    const parts = [next()];
    while (this.peek(op)) {
      this.at++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0]! : (value) => combine(parts, value);
  }

  private primary(): JsonTest {
    for (const [open, close] of [
      ['{', '}'],
      ['(', ')'],
    ] as const) {
      if (!this.peek(open)) continue;
      this.at++;
      if (open === '{') this.braces++;
      const inner = this.or();
      this.expect(close);
      if (open === '{') this.braces--;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): JsonTest {
    const selector = this.tokens[this.at];
    if (selector?.kind !== 'selector') throw new PatternError(`expected a selector such as $.requestId ${selector ? `instead of ${JSON.stringify(selector.text)}` : 'at the end'}`);
    if (this.braces === 0) throw new PatternError(`${selector.text} must be inside { }`);
    const op = this.tokens[this.at + 1];
    if (op?.kind !== 'punct' || !COMPARISONS.has(op.text)) throw new PatternError(`expected = != < > <= or >= after ${selector.text}`);
    const operand = this.tokens[this.at + 2];
    if (!operand || operand.kind === 'punct' || operand.kind === 'selector') throw new PatternError(`expected a value after ${selector.text} ${op.text}`);
    this.at += 3;
    const read = (value: unknown): unknown => valueAt(value, selector.path);
    if (operand.kind === 'number') return numberTest(read, op.text, operand.value);
    if (op.text !== '=' && op.text !== '!=') throw new PatternError(`${op.text} compares numbers, not ${JSON.stringify(operand.text)}`);
    const equal = stringTest(operand.text);
    return op.text === '=' ? (value) => equal(read(value)) : (value) => {
      const found = read(value);
      return found !== undefined && !equal(found);
    };
  }
}

function numberTest(read: (value: unknown) => unknown, op: string, target: number): JsonTest {
  const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
    '=': (a, b) => a === b,
    '!=': (a, b) => a !== b,
    '<': (a, b) => a < b,
    '>': (a, b) => a > b,
    '<=': (a, b) => a <= b,
    '>=': (a, b) => a >= b,
  };
  const compare = COMPARE[op]!;
  return (value) => {
    const found = read(value);
    return typeof found === 'number' && compare(found, target);
  };
}

/** Equality with a string value; `*` matches any run of characters, as in CloudWatch. */
function stringTest(expected: string): (found: unknown) => boolean {
  if (!expected.includes('*')) return (found) => (typeof found === 'string' || typeof found === 'number' || typeof found === 'boolean') && String(found) === expected;
  const regex = new RegExp(`^${expected.split('*').map(escapeRegex).join('.*')}$`, 's');
  return (found) => typeof found === 'string' && regex.test(found);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function jsonFilter(text: string): MessageFilter {
  const test = new JsonParser(tokenize(text)).parse();
  return (message) => {
    if (!message.trimStart().startsWith('{')) return false;
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return false;
    }
    return test(value);
  };
}
