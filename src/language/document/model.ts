/**
 * What a parsed `.invoke.json` document is: its tree, its syntax problems and the invocations it
 * holds, and the helpers that read a node. Every other part of the language service works on
 * these shapes; how they are built lives beside this module (parse, scanner, syntaxErrors,
 * reparse).
 *
 * Nodes have jsonc-parser's `Node` shape, so its helpers (findNodeAtOffset, …) work on trees from
 * either parsing path.
 */
import type { Node, NodeType } from 'jsonc-parser';

export interface SyntaxProblem {
  offset: number;
  length: number;
  message: string;
}

export interface Invocation {
  /** Position in an array file; 0 for a file holding one object. */
  index: number;
  /** The invocation's object node. */
  node: Node;
  /** Property nodes by key; the last one when a key is repeated (as JSON.parse keeps it). */
  properties: Map<string, Node>;
  /** Property nodes whose key appears again later in the same object. */
  shadowed: Node[];
  /**
   * The object's value as JSON.parse reads it. A property whose value the scanner stepped over
   * (an object or array, such as the payload) reads it from the text on each access.
   */
  value: Record<string, unknown>;
}

export interface ParsedDocument {
  text: string;
  root: Node | undefined;
  syntaxErrors: SyntaxProblem[];
  /** The document's value; undefined when it has syntax errors. */
  value: unknown;
  invocations: Invocation[];
  /** Top-level array elements that are not objects (schema problems). */
  strayElements: Node[];
  /** True when reparseDocument carried the previous version's structure over instead of scanning. */
  reused?: true;
}

/** One edit of a text. Offsets count UTF-16 units of the text just before the edit, as LSP's do. */
export interface TextChange {
  offset: number;
  /** How many units it replaces. */
  length: number;
  /** What it puts in their place. */
  text: string;
}

/** A node while the scanner builds it, or while reparse copies it: `Node` with its fields writable. */
export interface MutableNode {
  type: NodeType;
  offset: number;
  length: number;
  parent?: MutableNode;
  children?: MutableNode[];
  value?: unknown;
  colonOffset?: number;
}

/** The exact source text of a node: what is sent when the node is a payload. */
export function nodeText(text: string, node: Node): string {
  return text.slice(node.offset, node.offset + node.length);
}

/**
 * UTF-8 sizes of nodes' source text (a payload's is its size as sent), counted at most once per
 * node: diagnostics, lenses and hovers share the count, and reparseDocument carries it over to
 * the next version's nodes, adding what the edit added, so a keystroke does not count 6 MB again.
 */
const utf8Lengths = new WeakMap<Node, number>();

/** The UTF-8 size of a node's source text; `text` is the text the node was parsed from. */
export function nodeUtf8Length(text: string, node: Node): number {
  let bytes = utf8Lengths.get(node);
  if (bytes === undefined) {
    bytes = Buffer.byteLength(nodeText(text, node), 'utf8');
    utf8Lengths.set(node, bytes);
  }
  return bytes;
}

/** Gives `to` the UTF-8 size already counted for `from`, grown by `growth` bytes; nothing when none was counted. */
export function carryUtf8Length(from: Node, to: Node, growth: number): void {
  const counted = utf8Lengths.get(from);
  if (counted !== undefined) utf8Lengths.set(to, counted + growth);
}

/** The key node of a property node. */
export function keyNode(property: Node): Node {
  return property.children![0]!;
}

/** The value node of a property node (undefined while the user is still typing it). */
export function valueNode(property: Node): Node | undefined {
  return property.children?.[1];
}
