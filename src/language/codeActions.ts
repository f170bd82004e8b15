/**
 * Quick fixes where the fix is obvious: drop what an Event invocation ignores, take a
 * suggested name or value, encode or decode a client context, move a qualifier out of the
 * function name. Edits are computed from the tree, never by re-parsing the document, so a
 * cursor move in a 6 MB file costs nothing.
 */
import type { Node } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type CodeAction, CodeActionKind, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, type DiagnosticCode, DiagnosticCodes as C } from '../protocol/ids';
import { decodeClientContext, encodeClientContext } from '../lambda/clientContext';
import { parseFunctionName } from '../lambda/functionName';
import { type Invocation, type ParsedDocument, nodeText, valueNode } from './jsonDocument';
import { propertyAt } from './navigation';
import type { DiagnosticData } from './validate';

/** Diagnostics whose fix is to remove the property they sit on. */
const REMOVE_PROPERTY: Partial<Record<DiagnosticCode, string>> = {
  [C.asyncIgnoresClientContext]: 'clientContext',
  [C.asyncIgnoresLogTail]: 'logType',
};

export function codeActions(document: TextDocument, doc: ParsedDocument, offset: number, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = document.uri;
  const edit = (title: string, edits: TextEdit[], diagnostic?: Diagnostic): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    edit: { changes: { [uri]: edits } },
    ...(diagnostic ? { diagnostics: [diagnostic], isPreferred: true } : {}),
  });
  const range = (start: number, end: number) => ({ start: document.positionAt(start), end: document.positionAt(end) });

  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    const invocation = data && doc.invocations.find((inv) => inv.index === data.index);
    if (!invocation) continue;
    const code = diagnostic.code as DiagnosticCode;
    const removable = REMOVE_PROPERTY[code];
    const property = removable ? invocation.properties.get(removable) : undefined;
    if (removable && property) {
      const [start, end] = removalRange(invocation.node, property);
      actions.push(edit(`Remove "${removable}" (ignored for Event invocations)`, [{ range: range(start, end), newText: '' }], diagnostic));
    }
    if (code === C.schema && data.suggestion) {
      const start = document.offsetAt(diagnostic.range.start);
      const end = document.offsetAt(diagnostic.range.end);
      actions.push(edit(`Change to "${data.suggestion}"`, [{ range: range(start, end), newText: JSON.stringify(data.suggestion) }], diagnostic));
    }
  }

  const at = propertyAt(doc, offset);
  if (!at) return actions;
  const value = valueNode(at.property);
  if (at.key === 'clientContext' && value) {
    if (value.type === 'object') {
      const encoded = encodeClientContext(nodeText(doc.text, value));
      actions.push(edit('Encode client context as base64', [{ range: range(value.offset, value.offset + value.length), newText: JSON.stringify(encoded) }]));
    } else if (value.type === 'string' && typeof value.value === 'string') {
      const decoded = decodeClientContext(value.value);
      if (decoded.ok) {
        actions.push(edit('Decode client context to an object', [{ range: range(value.offset, value.offset + value.length), newText: decoded.json }]));
      }
    }
  }
  if (at.key === 'functionName' && value && typeof value.value === 'string') {
    const action = moveQualifier(doc.text, at.invocation, value, value.value);
    if (action) actions.push(edit(action.title, action.edits.map((e) => ({ range: range(e.start, e.end), newText: e.text }))));
  }
  return actions;
}

interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** `my-function:prod` → `my-function` plus `"qualifier": "prod"`. */
function moveQualifier(text: string, invocation: Invocation, nameNode: Node, name: string): { title: string; edits: OffsetEdit[] } | undefined {
  const parts = parseFunctionName(name);
  if (parts?.qualifier === undefined) return undefined;
  const bare = name.slice(0, name.length - parts.qualifier.length - 1);
  const edits: OffsetEdit[] = [{ start: nameNode.offset, end: nameNode.offset + nameNode.length, text: JSON.stringify(bare) }];
  const existing = invocation.properties.get('qualifier');
  const existingValue = existing && valueNode(existing);
  if (existingValue) {
    edits.push({ start: existingValue.offset, end: existingValue.offset + existingValue.length, text: JSON.stringify(parts.qualifier) });
  } else {
    const property = nameNode.parent!;
    const indent = indentationBefore(text, property);
    const end = property.offset + property.length;
    edits.push({ start: end, end, text: `,${indent}"qualifier": ${JSON.stringify(parts.qualifier)}` });
  }
  return { title: `Move ":${parts.qualifier}" into "qualifier"`, edits };
}

/** The line break and indentation that stand before a property, to place a sibling alike. */
function indentationBefore(text: string, property: Node): string {
  const lineStart = text.lastIndexOf('\n', property.offset - 1);
  if (lineStart < 0) return ' ';
  const between = text.slice(lineStart, property.offset);
  return /^\n[ \t]*$/.test(between) ? (text[lineStart - 1] === '\r' ? '\r' : '') + between : ' ';
}

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
