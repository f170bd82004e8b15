/**
 * Parses an `.invoke.json` document into a position-aware tree plus the invocations it holds.
 *
 * Two paths, chosen by measurement (README "How it stays fast"): a 6 MB payload takes V8's
 * `JSON.parse` about 20 ms, a full jsonc-parser tree about 370 ms. So a valid document is
 * checked by `JSON.parse`, and a small hand-written scanner (scanner.ts) then builds nodes for
 * the invocation structure only, stepping over the inside of payloads with a native regex.
 * A document with syntax errors goes through jsonc-parser in strict mode (syntaxErrors.ts), which
 * recovers and reports every error with its position. The values of stepped-over containers are
 * not kept either: they are read from the text again when asked for (see readSteppedOverOnDemand).
 * An edit inside a stepped-over container, a keystroke in the payload above all, need not scan
 * at all: reparseDocument (reparse.ts) carries the previous version's structure over.
 */
import type { Node } from 'jsonc-parser';
import { collectInvocations } from './invocations';
import { type Invocation, type ParsedDocument, nodeText, valueNode } from './model';
import { scanTree } from './scanner';
import { parseWithErrors } from './syntaxErrors';

export function parseDocument(text: string): ParsedDocument {
  return judgedDocument(text, () => scanTree(text));
}

/**
 * The document of `text` as JSON.parse judges it: a text it accepts gets the tree `tree` builds,
 * one it rejects takes the error path. Both parsing from scratch and reparsing come through here.
 */
export function judgedDocument(text: string, tree: () => Node | undefined): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return parseWithErrors(text, e);
  }
  return validDocument(text, tree(), value);
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
export function steppedOverValues(invocation: Invocation): [string, Node][] {
  const values: [string, Node][] = [];
  for (const [key, property] of invocation.properties) {
    const node = valueNode(property);
    if (node !== undefined && node.children === undefined && (node.type === 'object' || node.type === 'array')) values.push([key, node]);
  }
  return values;
}
