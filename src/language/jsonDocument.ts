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
 * An edit inside a stepped-over container, a keystroke in the payload above all, need not scan
 * at all: reparseDocument carries the previous version's structure over (see reusableEdit).
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
  /** True when reparseDocument carried the previous version's structure over instead of scanning. */
  reused?: true;
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
  return validDocument(text, new Scanner(text).document(), value);
}

/** The document of a text JSON.parse accepted, from its tree and JSON.parse's value of it. */
function validDocument(text: string, root: Node | undefined, value: unknown): ParsedDocument {
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
  for (const [key, node] of steppedOverValues(invocation)) {
    Object.defineProperty(invocation.value, key, {
      enumerable: true,
      configurable: true,
      get: () => JSON.parse(nodeText(text, node)) as unknown,
    });
  }
}

/**
 * The values the scanner stepped over among an invocation's properties (the last of each key,
 * as JSON.parse keeps it), by key: the objects and arrays whose values are read on demand.
 */
function steppedOverValues(invocation: Invocation): [string, Node][] {
  const values: [string, Node][] = [];
  for (const [key, property] of invocation.properties) {
    const node = valueNode(property);
    if (node !== undefined && node.children === undefined && (node.type === 'object' || node.type === 'array')) values.push([key, node]);
  }
  return values;
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

// ---------------------------------------------------------------------------------------
// Incremental path: edits inside a container the scanner stepped over.

/** One edit of a text. Offsets count UTF-16 units of the text just before the edit, as LSP's do. */
export interface TextChange {
  offset: number;
  /** How many units it replaces. */
  length: number;
  /** What it puts in their place. */
  text: string;
}

/**
 * What `parseDocument(text)` returns, for a text that `changes` made from `previous.text` (applied
 * in order, each to the text the ones before it left). When every change falls inside one
 * container the scanner stepped over, such as the payload, and cannot have moved a string or a
 * bracket (see reusableEdit), the tree is previous's with the nodes after the edit moved: the
 * megabytes of a payload are neither scanned nor counted again for a keystroke. JSON.parse still
 * reads the whole text: it is the judge of validity, and every value outside the container comes
 * from it as it does on the valid path.
 */
export function reparseDocument(previous: ParsedDocument, changes: readonly TextChange[], text: string): ParsedDocument {
  const root = previous.root;
  const edit = root && reusableEdit(previous, changes, text);
  if (!root || !edit) return parseDocument(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return parseWithErrors(text, e);
  }
  const document = validDocument(text, movedTree(root, edit), value);
  document.reused = true;
  return document;
}

/** What the changes did to the one stepped-over container they all fell inside. */
interface ReusableEdit {
  /** The container, as a node of the previous tree. */
  container: Node;
  /** UTF-16 units it grew by (negative when it shrank). */
  units: number;
  /** UTF-8 bytes it grew by. */
  bytes: number;
}

const BACKSLASH = 0x5c;
/** The characters the scan for a container's end (UP_TO_BRACKET) turns on: quotes, escapes, brackets. */
const STRUCTURAL = /["\\[\]{}]/;
/**
 * The most text the changes of one reparse may span, in UTF-16 units: following them is then
 * cheap next to a scan. Wider edits (a large paste, cursors far apart) are parsed anew.
 */
const MAX_EDITED_SPAN = 1 << 16;

/**
 * The edit, when previous's structure provably is what scanning the new text would build;
 * otherwise undefined. The conditions, and why together they suffice:
 *  - previous took the valid path (no syntax errors), so its tree is the scanner's;
 *  - every change lies strictly inside one container: an object or array that the scanner stepped
 *    over as the value of an invocation's property, read on demand through a getter, and not on
 *    its brackets. The text before the container is unchanged, so the scanner reaches it in the
 *    same state; nothing in the tree or in JSON.parse's value (whose copy of the container the
 *    getter replaces) holds anything from inside it;
 *  - neither the removed nor the inserted text holds `"`, `\`, `[`, `]`, `{` or `}`, and the
 *    character before each change is not `\` (even an escaped one: this does not look further
 *    back). Stepping over the container moves between inside and outside a string, and up and down
 *    its nesting, on exactly those characters, and a character right after a `\` is escaped
 *    whatever it is. A change that touches none of them, and is not preceded by `\`, leaves the
 *    step in the state it was in before the change, so it finds the same closing bracket, moved by
 *    the change's length, and reads the same text after it;
 *  - applied to previous's text, the changes give `text` (checked around them and by length);
 *  - JSON.parse accepts the new text, checked by reparseDocument: a change that moves no string or
 *    bracket can still break the JSON (a line break in a string, a letter between two numbers),
 *    and such a text takes the error path, as it would from scratch.
 */
function reusableEdit(previous: ParsedDocument, changes: readonly TextChange[], text: string): ReusableEdit | undefined {
  const first = changes[0];
  if (first === undefined || previous.syntaxErrors.length > 0) return undefined;
  const container = steppedOverContaining(previous, first.offset, first.offset + first.length);
  if (container === undefined) return undefined;
  const edited = new EditedText(previous.text, first.offset);
  /** Where the container ends in the text as the changes so far left it. */
  let end = container.offset + container.length;
  for (const change of changes) {
    const from = change.offset;
    const to = from + change.length;
    if (!Number.isInteger(from) || !Number.isInteger(change.length) || change.length < 0) return undefined;
    if (from <= container.offset || to >= end || change.text.length > MAX_EDITED_SPAN) return undefined;
    if (!edited.include(from - 1, to + 1)) return undefined;
    if (edited.charCodeAt(from - 1) === BACKSLASH) return undefined;
    if (STRUCTURAL.test(edited.slice(from, to)) || STRUCTURAL.test(change.text)) return undefined;
    edited.replace(from, to, change.text);
    end += change.text.length - change.length;
  }
  if (!edited.gives(text)) return undefined;
  return { container, units: end - (container.offset + container.length), bytes: edited.utf8Growth() };
}

/**
 * The container that strictly encloses [from, to): after its opening bracket, before its closing
 * one. Only the stepped-over values that invocations read on demand qualify; containers stepped
 * over deeper than MAX_TREE_DEPTH keep their values in JSON.parse's value, and a repeated key's
 * earlier value in no value at all, so an edit there is simply parsed anew.
 */
function steppedOverContaining(doc: ParsedDocument, from: number, to: number): Node | undefined {
  for (const invocation of doc.invocations) {
    const { offset, length } = invocation.node;
    if (from <= offset || to >= offset + length) continue;
    for (const [, node] of steppedOverValues(invocation)) {
      if (from > node.offset && to < node.offset + node.length) return node;
    }
  }
  return undefined;
}

/**
 * A copy of previous's tree for the edited text: nodes after the container move by the edit's
 * length, and the container and the nodes that hold it grow by it. A copy rather than a change in
 * place, so previous stays what it was. The UTF-8 sizes already counted come along.
 */
function movedTree(root: Node, edit: ReusableEdit): Node {
  const { container, units, bytes } = edit;
  const containerEnd = container.offset + container.length;
  const copy = (node: Node, parent: MutableNode | undefined): MutableNode => {
    const after = node.offset > container.offset;
    const holds = !after && node.offset + node.length >= containerEnd;
    const moved: MutableNode = {
      ...node,
      parent,
      offset: after ? node.offset + units : node.offset,
      length: holds ? node.length + units : node.length,
    };
    if (node.colonOffset !== undefined && node.colonOffset > container.offset) moved.colonOffset = node.colonOffset + units;
    if (node.children) moved.children = node.children.map((child) => copy(child, moved));
    const counted = utf8Lengths.get(node);
    if (counted !== undefined) utf8Lengths.set(moved, holds ? counted + bytes : counted);
    return moved;
  };
  return copy(root, undefined);
}

/**
 * A text as changes leave it, held as the original with one window of it rewritten: checking a
 * change reads only the window, never the megabytes around it. Positions are in the edited text;
 * callers bring a range into the window (include) before reading or replacing it.
 */
class EditedText {
  /** The window stands for original[start, end): the edited text is original[0, start) + window + original[end, …). */
  private start: number;
  private end: number;
  private window = '';

  constructor(
    private readonly original: string,
    at: number,
  ) {
    this.start = at;
    this.end = at;
  }

  /** Widens the window to cover [from, to) of the edited text; false if it would grow past MAX_EDITED_SPAN. */
  include(from: number, to: number): boolean {
    const before = Math.max(0, this.start - from);
    const after = Math.max(0, to - (this.start + this.window.length));
    if (this.window.length + before + after > MAX_EDITED_SPAN) return false;
    if (before > 0) {
      this.window = this.original.slice(from, this.start) + this.window;
      this.start = from;
    }
    if (after > 0) {
      this.window += this.original.slice(this.end, this.end + after);
      this.end += after;
    }
    return true;
  }

  charCodeAt(at: number): number {
    return this.window.charCodeAt(at - this.start);
  }

  slice(from: number, to: number): string {
    return this.window.slice(from - this.start, to - this.start);
  }

  replace(from: number, to: number, text: string): void {
    this.window = this.window.slice(0, from - this.start) + text + this.window.slice(to - this.start);
  }

  /** Whether `text` is this edited text, as far as can be told without reading all of it: its length and the window. */
  gives(text: string): boolean {
    return text.length === this.original.length - (this.end - this.start) + this.window.length && text.startsWith(this.window, this.start);
  }

  /**
   * UTF-8 bytes the changes added (negative: removed): the window's count less the count of the
   * text it replaced. UTF-8 counts a surrogate pair as one 4-byte character but a lone half as 3
   * bytes, so an edge of the window that splits a pair miscounts it, yet by the same amount in both
   * counts, and the difference stays exact: the unit at each edge is one no change touched (include
   * always takes one more unit on each side of a change), beside the same unit outside the window.
   */
  utf8Growth(): number {
    return Buffer.byteLength(this.window, 'utf8') - Buffer.byteLength(this.original.slice(this.start, this.end), 'utf8');
  }
}
