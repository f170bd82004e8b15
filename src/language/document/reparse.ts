/**
 * The incremental path: a new version of a document from the previous one and the edits between
 * them. An edit inside a container the scanner stepped over (a keystroke in the payload, above
 * all) carries the previous tree over with the nodes after it moved, instead of scanning again.
 * This is the per-keystroke path: it must stay no more than JSON.parse plus the edit's own size.
 */
import type { Node } from 'jsonc-parser';
import { type MutableNode, type ParsedDocument, type TextChange, carryUtf8Length } from './model';
import { judgedDocument, parseDocument, steppedOverValues } from './parse';

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
  const document = judgedDocument(text, () => movedTree(root, edit));
  // Only the valid path has no syntax errors (the error path always reports one): the tree is previous's.
  if (document.syntaxErrors.length === 0) document.reused = true;
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
/** The characters the scan for a container's end (scanner.ts, UP_TO_BRACKET) turns on: quotes, escapes, brackets. */
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
 * over deeper than the scanner's MAX_TREE_DEPTH keep their values in JSON.parse's value, and a
 * repeated key's earlier value in no value at all, so an edit there is simply parsed anew.
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
    carryUtf8Length(node, moved, holds ? bytes : 0);
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
