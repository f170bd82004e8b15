/**
 * The quick fixes more than one rule offers: remove a property that Lambda ignores or refuses,
 * add one beside the function name, and take the name or value a diagnostic suggests. Edits come
 * from the tree, never from parsing the text again, so asking for fixes in a 6 MB file costs
 * nothing.
 */
import type { Node } from 'jsonc-parser';
import type { OffsetEdit, QuickFix } from './rule';

/** Removes `key` from the invocation; `why` ends the title: `Remove "logType" (ignored for Event invocations)`. */
export function removeProperty(key: string, why: string): QuickFix {
  return ({ invocation }) => {
    const property = invocation.properties.get(key);
    if (!property) return undefined;
    const [start, end] = removalRange(invocation.node, property);
    return { title: `Remove "${key}" (${why})`, edits: [{ start, end, text: '' }] };
  };
}

/** Removes `key` from the invocation, for a property an Event invocation ignores. */
export function removeIgnoredProperty(key: string): QuickFix {
  return removeProperty(key, 'ignored for Event invocations');
}

/** Replaces what the diagnostic covers with its suggestion, for a misspelt name or value. */
export const takeSuggestion: QuickFix = ({ data, start, end }) =>
  data.suggestion ? { title: `Change to "${data.suggestion}"`, edits: [{ start, end, text: JSON.stringify(data.suggestion) }] } : undefined;

/** The span to delete so that a property and one comma go, and the rest stays valid JSON. */
export function removalRange(object: Node, property: Node): [number, number] {
  const siblings = object.children ?? [];
  const i = siblings.indexOf(property);
  const next = siblings[i + 1];
  if (next) return [property.offset, next.offset];
  const previous = siblings[i - 1];
  if (previous) return [previous.offset + previous.length, property.offset + property.length];
  return [property.offset, property.offset + property.length];
}

/** Inserts `"key": value` right after `property`, on a line of its own when the object has one property per line. */
export function insertAfter(text: string, property: Node, key: string, value: string): OffsetEdit {
  const end = property.offset + property.length;
  return { start: end, end, text: `,${indentationBefore(text, property)}"${key}": ${JSON.stringify(value)}` };
}

/** The line break and indentation that stand before a property, to place a sibling alike. */
function indentationBefore(text: string, property: Node): string {
  const lineStart = text.lastIndexOf('\n', property.offset - 1);
  if (lineStart < 0) return ' ';
  const between = text.slice(lineStart, property.offset);
  return /^\n[ \t]*$/.test(between) ? (text[lineStart - 1] === '\r' ? '\r' : '') + between : ' ';
}
