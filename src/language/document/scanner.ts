/**
 * The valid-document path's tree builder: a small scanner for text that JSON.parse has already
 * accepted. It builds nodes for the invocation structure only and steps over the inside of
 * payloads with a native regex, since checking needs their extent and not their contents. It never
 * meets a syntax error: JSON.parse is the judge, and a rejected text goes to syntaxErrors.ts.
 */
import type { Node } from 'jsonc-parser';
import type { MutableNode } from './model';

/** How deep the scanner builds nodes; deeper containers are stepped over. */
const MAX_TREE_DEPTH = 64;

/** Keys of an invocation whose object or array values are kept whole in the tree. */
const DESCEND_INTO = new Set(['clientContext']);

/** JSON's whitespace: space, line feed, carriage return, tab. */
export function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

const STRING = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/**
 * Everything up to and including the next bracket outside a string: enough to find where an
 * already-valid container ends. Used with `test` rather than `exec`, which allocates a match
 * per token and made this step three times slower (measured on an 11 MB payload). reparse.ts
 * relies on which characters this turns on (its STRUCTURAL).
 */
const UP_TO_BRACKET = /[^"[\]{}]*(?:"[^"\\]*(?:\\[\s\S][^"\\]*)*"[^"[\]{}]*)*[[\]{}]/g;

/** The tree of a text JSON.parse accepted; undefined for a text of whitespace only. */
export function scanTree(text: string): Node | undefined {
  return new Scanner(text).document();
}

class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): Node | undefined {
    this.skipSpace();
    if (this.pos >= this.text.length) return undefined;
    return this.value(undefined, 0);
  }

  /**
   * `depth` is 0 for the root and counts containers. Invocation objects sit at depth 0
   * (a lone object) or 1 (array elements); their property values other than clientContext
   * are stepped over rather than built, since only their extent matters.
   */
  private value(parent: MutableNode | undefined, depth: number, shallow = false): MutableNode {
    const start = this.pos;
    const c = this.text.charCodeAt(start);
    if (c === 0x7b || c === 0x5b) {
      const type = c === 0x7b ? 'object' : 'array';
      // Past MAX_TREE_DEPTH nothing needs positions, and recursing on would risk the stack.
      if (shallow || depth > MAX_TREE_DEPTH) return this.skipContainer(type, parent);
      return type === 'object' ? this.object(parent, depth) : this.array(parent, depth);
    }
    if (c === 0x22) return this.string(parent);
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      this.pos += word.length;
      const literal = word === 'null' ? null : word === 'true';
      return { type: word === 'null' ? 'null' : 'boolean', offset: start, length: word.length, parent, value: literal };
    }
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(this.text)!;
    this.pos = start + m[0].length;
    return { type: 'number', offset: start, length: m[0].length, parent, value: Number(m[0]) };
  }

  private string(parent: MutableNode | undefined): MutableNode {
    const start = this.pos;
    STRING.lastIndex = start;
    const m = STRING.exec(this.text)!;
    this.pos = start + m[0].length;
    return { type: 'string', offset: start, length: m[0].length, parent, value: JSON.parse(m[0]) as string };
  }

  private object(parent: MutableNode | undefined, depth: number): MutableNode {
    const node: MutableNode = { type: 'object', offset: this.pos, length: 0, parent, children: [] };
    const isInvocation = depth === 0 || (depth === 1 && parent?.type === 'array' && parent.parent === undefined);
    this.pos++; // {
    this.skipSpace();
    while (this.text.charCodeAt(this.pos) !== 0x7d) {
      const property: MutableNode = { type: 'property', offset: this.pos, length: 0, parent: node, children: [] };
      const key = this.string(property);
      property.children!.push(key);
      this.skipSpace();
      property.colonOffset = this.pos;
      this.pos++; // :
      this.skipSpace();
      const shallow = isInvocation && !DESCEND_INTO.has(key.value as string);
      property.children!.push(this.value(property, depth + 1, shallow));
      property.length = this.pos - property.offset;
      node.children!.push(property);
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === 0x2c) {
        this.pos++;
        this.skipSpace();
      }
    }
    this.pos++; // }
    node.length = this.pos - node.offset;
    return node;
  }

  private array(parent: MutableNode | undefined, depth: number): MutableNode {
    const node: MutableNode = { type: 'array', offset: this.pos, length: 0, parent, children: [] };
    this.pos++; // [
    this.skipSpace();
    while (this.text.charCodeAt(this.pos) !== 0x5d) {
      node.children!.push(this.value(node, depth + 1));
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === 0x2c) {
        this.pos++;
        this.skipSpace();
      }
    }
    this.pos++; // ]
    node.length = this.pos - node.offset;
    return node;
  }

  /** Steps over a container JSON.parse has accepted, without building its children. */
  private skipContainer(type: 'object' | 'array', parent: MutableNode | undefined): MutableNode {
    const start = this.pos;
    const text = this.text;
    UP_TO_BRACKET.lastIndex = start;
    let depth = 0;
    while (UP_TO_BRACKET.test(text)) {
      const c = text.charCodeAt(UP_TO_BRACKET.lastIndex - 1);
      if (c === 0x7b || c === 0x5b) depth++;
      else if (--depth === 0) break;
    }
    this.pos = UP_TO_BRACKET.lastIndex;
    return { type, offset: start, length: this.pos - start, parent };
  }

  private skipSpace(): void {
    const text = this.text;
    while (isJsonSpace(text.charCodeAt(this.pos))) this.pos++;
  }
}
