/**
 * How diagnostics and hovers put things into words: an invocation type as a phrase, a JSON type
 * with its article, the first character a pattern refuses, the "did you mean" guess for a
 * misspelt name, a list in a sentence and a function's timeout. Shared so one thing is said the
 * same way in every message.
 */
import { type InvocationType, InvocationTypeWords } from '../lambda/invocationTypes';

export function modeText(type: InvocationType): string {
  return InvocationTypeWords[type].phrase;
}

/** A JSON type as a sentence names it: `an object`, `a string`, `null`. */
export function describeType(type: string): string {
  return type === 'null' ? 'null' : article(type);
}

export function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Names the first character a pattern rejects, so the user sees what to change. */
export function badCharacter(value: string, allowed: RegExp): string {
  for (const ch of value) {
    if (!allowed.test(ch)) return ` ${JSON.stringify(ch)} is not allowed.`;
  }
  return '';
}

/** The known word nearest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Edit distance (Levenshtein); words past 64 characters are no typo of a known name, and are not compared. */
function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`; past `max` items, the first ones and how many more. */
export function listText(items: readonly string[], max = 6): string {
  const shown = items.length > max ? [...items.slice(0, max - 1), `${items.length - max + 1} more`] : items;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Units a duration is said in, the largest first. */
const TIME_UNITS: readonly [seconds: number, say: (n: number) => string][] = [
  [86_400, (n) => `${n} day${n === 1 ? '' : 's'}`],
  [3_600, (n) => `${n} h`],
  [60, (n) => `${n} min`],
  [1, (n) => `${n} s`],
];

/** A timeout or retention in its largest unit and the next: `3 s`, `15 min`, `1 min 30 s`, `14 days`. */
export function formatSeconds(seconds: number): string {
  const i = TIME_UNITS.findIndex(([size]) => seconds >= size);
  if (i < 0) return `${seconds} s`;
  const [size, say] = TIME_UNITS[i]!;
  const whole = Math.floor(seconds / size);
  const next = TIME_UNITS[i + 1];
  const part = next ? Math.floor((seconds - whole * size) / next[0]) : 0;
  return next && part > 0 ? `${say(whole)} ${next[1](part)}` : say(whole);
}
