/**
 * Parses an `.invoke.json` document into a position-aware tree plus the invocations it holds.
 *
 * Two paths, chosen by measurement (README "How it stays fast"): a 6 MB payload takes V8's
 * `JSON.parse` about 20 ms, a full jsonc-parser tree about 370 ms. So a valid document is
 * checked by `JSON.parse`, and a small hand-written scanner then builds nodes for the
 * invocation structure only, stepping over the inside of payloads with a native regex.
 * A document with syntax errors goes through jsonc-parser in strict mode, which recovers
 * and reports every error with its position. The values of stepped-over containers are not
 * kept either: they are read from the text again when asked for (see readSteppedOverOnDemand).
 *
 * Nodes have jsonc-parser's `Node` shape, so its helpers (findNodeAtOffset, …) work on both.
 */
import { type Node, type NodeType, type ParseError, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';

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
}

/** How deep the fast path builds nodes; deeper containers are stepped over. */
const MAX_TREE_DEPTH = 64;

/** Keys of an invocation whose object or array values are kept whole in the tree. */
const DESCEND_INTO = new Set(['clientContext']);

export function parseDocument(text: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return parseWithErrors(text, e);
  }
  const root = new Scanner(text).document();
  const { invocations, strayElements } = collectInvocations(root, value);
  for (const invocation of invocations) readSteppedOverOnDemand(text, invocation);
  return { text, root, syntaxErrors: [], value, invocations, strayElements };
}

/**
 * Lets go of JSON.parse's values of the containers the scanner stepped over (the payload, above
 * all): their properties become getters that parse the node's text again on each access. The
 * object graph of a 6 MB payload takes tens of megabytes that no check reads — its size comes
 * from the text, and the text is what is sent — and keeping it for the open document's version
 * left the server holding ~1.6× the memory of a server that only parses (bench/lsp.ts).
 */
function readSteppedOverOnDemand(text: string, invocation: Invocation): void {
  for (const [key, property] of invocation.properties) {
    const node = valueNode(property);
    if (node === undefined || node.children !== undefined || (node.type !== 'object' && node.type !== 'array')) continue;
    Object.defineProperty(invocation.value, key, {
      enumerable: true,
      configurable: true,
      get: () => JSON.parse(nodeText(text, node)) as unknown,
    });
  }
}

/** The exact source text of a node: what is sent when the node is a payload. */
export function nodeText(text: string, node: Node): string {
  return text.slice(node.offset, node.offset + node.length);
}

/** The key node of a property node. */
export function keyNode(property: Node): Node {
  return property.children![0]!;
}

/** The value node of a property node (undefined while the user is still typing it). */
export function valueNode(property: Node): Node | undefined {
  return property.children?.[1];
}

function collectInvocations(root: Node | undefined, value: unknown): Pick<ParsedDocument, 'invocations' | 'strayElements'> {
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

// ---------------------------------------------------------------------------------------
// Error path: jsonc-parser in strict mode.

const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'Unexpected character.',
  InvalidNumberFormat: 'Not a valid JSON number.',
  PropertyNameExpected: 'Expected a property name in double quotes.',
  ValueExpected: 'Expected a value.',
  ColonExpected: "Expected ':' after the property name.",
  CommaExpected: "Expected ',' between values.",
  CloseBraceExpected: "Expected '}' to close the object.",
  CloseBracketExpected: "Expected ']' to close the array.",
  EndOfFileExpected: 'Expected the end of the file: a file holds one object or one array of objects.',
  InvalidCommentToken: 'Comments are not allowed: the file is strict JSON, because the payload is sent exactly as written.',
  UnexpectedEndOfComment: 'Comments are not allowed: the file is strict JSON, because the payload is sent exactly as written.',
  UnexpectedEndOfString: 'Unterminated string: add the closing double quote.',
  UnexpectedEndOfNumber: 'Unexpected end of number.',
  InvalidUnicode: 'Invalid \\u escape: it needs four hexadecimal digits.',
  InvalidEscapeCharacter: 'Invalid escape: JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.',
  InvalidCharacter: 'Control characters must be escaped inside strings (\\n, \\t, \\u0000, …).',
};

function parseWithErrors(text: string, thrown: unknown): ParsedDocument {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses per nesting level; thousands of levels exhaust the stack. Report
    // the fault V8 found and go without a tree (no lenses) until the document parses again.
    return { text, root: undefined, syntaxErrors: [fromJsonParseError(text, thrown)], value: undefined, invocations: [], strayElements: [] };
  }
  // jsonc-parser may report one fault twice as it recovers; keep the first word on each spot.
  const seen = new Set<number>();
  const syntaxErrors = errors
    .map((error) => describeSyntaxError(text, error))
    .filter((error) => !seen.has(error.offset) && seen.add(error.offset));
  if (syntaxErrors.length === 0) {
    // JSON.parse is the judge of what Lambda's JSON parser will take; jsonc-parser is only
    // a locator. Should it miss what JSON.parse rejects, use the position V8 reports.
    syntaxErrors.push(fromJsonParseError(text, thrown));
  }
  if (text.trim().length === 0) {
    syntaxErrors.splice(0, syntaxErrors.length, {
      offset: 0,
      length: 0,
      message: 'The file is empty: write an invocation object, such as {"functionName": "my-function"}.',
    });
  }
  const value = root ? safeNodeValue(root) : undefined;
  return { text, root, syntaxErrors, value: undefined, ...collectInvocations(root, value) };
}

function safeNodeValue(root: Node): unknown {
  try {
    return getNodeValue(root);
  } catch {
    return undefined;
  }
}

function describeSyntaxError(text: string, error: ParseError): SyntaxProblem {
  const name = printParseErrorCode(error.error);
  // A trailing comma shows up as a missing name or value before '}' or ']'; say so plainly.
  if (name === 'PropertyNameExpected' || name === 'ValueExpected') {
    const comma = trailingCommaBefore(text, error.offset);
    if (comma !== undefined) {
      return { offset: comma, length: 1, message: "Trailing comma: strict JSON allows none. Remove the ','." };
    }
  }
  const message = SYNTAX_MESSAGES[name] ?? `Invalid JSON (${name}).`;
  return { offset: error.offset, length: Math.max(error.length, 1), message };
}

function trailingCommaBefore(text: string, offset: number): number | undefined {
  const close = text.charCodeAt(offset);
  if (close !== 0x7d && close !== 0x5d) return undefined;
  let i = offset - 1;
  while (i >= 0 && isJsonSpace(text.charCodeAt(i))) i--;
  return text.charCodeAt(i) === 0x2c ? i : undefined;
}

function fromJsonParseError(text: string, thrown: unknown): SyntaxProblem {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const at = /position (\d+)/.exec(message);
  const offset = at ? Math.min(Number(at[1]), text.length) : 0;
  return { offset, length: 1, message: `Invalid JSON: ${message}.` };
}

// ---------------------------------------------------------------------------------------
// Valid path: a scanner for text JSON.parse has already accepted.

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

const STRING = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/**
 * Everything up to and including the next bracket outside a string: enough to find where an
 * already-valid container ends. Used with `test` rather than `exec`, which allocates a match
 * per token and made this step three times slower (measured on an 11 MB payload).
 */
const UP_TO_BRACKET = /[^"[\]{}]*(?:"[^"\\]*(?:\\[\s\S][^"\\]*)*"[^"[\]{}]*)*[[\]{}]/g;

interface MutableNode {
  type: NodeType;
  offset: number;
  length: number;
  parent?: MutableNode;
  children?: MutableNode[];
  value?: unknown;
  colonOffset?: number;
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
