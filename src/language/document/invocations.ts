/**
 * From a tree to the invocations it holds: the top-level object, or the objects of the top-level
 * array, each with its properties by key. Shared by both parsing paths, so a document with syntax
 * errors still offers its invocations (as far as jsonc-parser recovered them) to completion.
 */
import type { Node } from 'jsonc-parser';
import type { Invocation, ParsedDocument } from './model';

/** The invocations of a tree, and the top-level array elements that cannot be one. */
export function collectInvocations(root: Node | undefined, value: unknown): Pick<ParsedDocument, 'invocations' | 'strayElements'> {
  const invocations: Invocation[] = [];
  const strayElements: Node[] = [];
  if (root?.type === 'object') {
    invocations.push(makeInvocation(0, root, value));
  } else if (root?.type === 'array') {
    const values = Array.isArray(value) ? value : [];
    root.children?.forEach((element, index) => {
      if (element.type === 'object') invocations.push(makeInvocation(index, element, values[index]));
      else strayElements.push(element);
    });
  }
  return { invocations, strayElements };
}

function makeInvocation(index: number, node: Node, value: unknown): Invocation {
  const properties = new Map<string, Node>();
  const shadowed: Node[] = [];
  for (const property of node.children ?? []) {
    const key: unknown = property.children?.[0]?.value;
    if (typeof key !== 'string') continue;
    const earlier = properties.get(key);
    if (earlier) shadowed.push(earlier);
    properties.set(key, property);
  }
  const objectValue = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return { index, node, properties, shadowed, value: objectValue };
}
