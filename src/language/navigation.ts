/**
 * Finding your way in a parsed document: which invocation and which of its properties an
 * offset falls in. Used by hover and code actions.
 */
import { type Node, findNodeAtOffset } from 'jsonc-parser';
import { type Invocation, type ParsedDocument, keyNode } from './document';

export interface PropertyAt {
  invocation: Invocation;
  /** The invocation's top-level property the offset is in. */
  property: Node;
  key: string;
  /** True when the offset is on the key rather than the value. */
  onKey: boolean;
  /** The innermost node at the offset. */
  node: Node;
}

export function invocationAt(doc: ParsedDocument, offset: number): Invocation | undefined {
  return doc.invocations.find((inv) => offset >= inv.node.offset && offset <= inv.node.offset + inv.node.length);
}

export function propertyAt(doc: ParsedDocument, offset: number): PropertyAt | undefined {
  const invocation = invocationAt(doc, offset);
  if (!invocation) return undefined;
  const property = invocation.node.children?.find((p) => offset >= p.offset && offset <= p.offset + p.length);
  if (!property) return undefined;
  const key = keyNode(property);
  if (typeof key.value !== 'string') return undefined;
  const node = innermostNode(property, offset);
  const onKey = offset >= key.offset && offset <= key.offset + key.length;
  return { invocation, property, key: key.value, onKey, node };
}

/**
 * The innermost node at an offset. jsonc-parser walks down recursively, one call per nesting
 * level; in a document nested thousands deep that exhausts the stack, and the property itself
 * is answer enough there.
 */
function innermostNode(property: Node, offset: number): Node {
  try {
    return findNodeAtOffset(property, offset, true) ?? property;
  } catch (error) {
    if (error instanceof RangeError) return property;
    throw error;
  }
}

/** The invocation's value for a key, as JSON.parse read it. */
export function stringValue(invocation: Invocation, key: string): string | undefined {
  const value = invocation.value[key];
  return typeof value === 'string' ? value : undefined;
}
