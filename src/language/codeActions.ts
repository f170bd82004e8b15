/**
 * Code actions where the fix is obvious: each diagnostic's quick fix, which its rule declares
 * (rules/: drop what an Event invocation ignores, take a suggested name or value, and for the
 * account checks add or remove a tenant id or a qualifier), and at the
 * cursor, encode or decode a client context and move a qualifier out of the function name.
 * Edits are computed from the tree, never by re-parsing the document, so a cursor move in a
 * 6 MB file costs nothing.
 */
import type { Node } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type CodeAction, CodeActionKind, type Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../protocol/ids';
import { decodeClientContext, encodeClientContext } from '../lambda/clientContext';
import { parseFunctionName } from '../lambda/functionName';
import { type Invocation, type ParsedDocument, nodeText, valueNode } from './document';
import { propertyAt } from './navigation';
import { withoutQualifier } from './accountSubject';
import { type DiagnosticData, ruleFor } from './rules';
import { insertAfter } from './rules/fixes';
import type { Fix, OffsetEdit } from './rules/rule';

export function codeActions(document: TextDocument, doc: ParsedDocument, offset: number, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = document.uri;
  const range = (start: number, end: number) => ({ start: document.positionAt(start), end: document.positionAt(end) });
  const action = ({ title, edits }: Fix, diagnostic?: Diagnostic): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    edit: { changes: { [uri]: edits.map((e) => ({ range: range(e.start, e.end), newText: e.text })) } },
    ...(diagnostic ? { diagnostics: [diagnostic], isPreferred: true } : {}),
  });

  // Each diagnostic's own fix, from its rule.
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    const invocation = data && doc.invocations.find((inv) => inv.index === data.index);
    const quickFix = ruleFor(diagnostic.code)?.quickFix;
    if (!invocation || !quickFix) continue;
    const start = document.offsetAt(diagnostic.range.start);
    const end = document.offsetAt(diagnostic.range.end);
    const fix = quickFix({ doc, invocation, data, start, end });
    if (fix) actions.push(action(fix, diagnostic));
  }

  // Changes that depend on where the cursor is rather than on a diagnostic.
  const at = propertyAt(doc, offset);
  if (!at) return actions;
  const value = valueNode(at.property);
  if (at.key === 'clientContext' && value) {
    const replaceValue = (title: string, text: string): Fix => ({ title, edits: [{ start: value.offset, end: value.offset + value.length, text }] });
    if (value.type === 'object') {
      actions.push(action(replaceValue('Encode client context as base64', JSON.stringify(encodeClientContext(nodeText(doc.text, value))))));
    } else if (value.type === 'string' && typeof value.value === 'string') {
      const decoded = decodeClientContext(value.value);
      if (decoded.ok) actions.push(action(replaceValue('Decode client context to an object', decoded.json)));
    }
  }
  if (at.key === 'functionName' && value && typeof value.value === 'string') {
    const fix = moveQualifier(doc.text, at.invocation, value, value.value);
    if (fix) actions.push(action(fix));
  }
  return actions;
}

/** `my-function:prod` → `my-function` plus `"qualifier": "prod"`. */
function moveQualifier(text: string, invocation: Invocation, nameNode: Node, name: string): Fix | undefined {
  const parts = parseFunctionName(name);
  if (parts?.qualifier === undefined) return undefined;
  const edits: OffsetEdit[] = [{ start: nameNode.offset, end: nameNode.offset + nameNode.length, text: JSON.stringify(withoutQualifier(name, parts)) }];
  const existing = invocation.properties.get('qualifier');
  const existingValue = existing && valueNode(existing);
  if (existingValue) {
    edits.push({ start: existingValue.offset, end: existingValue.offset + existingValue.length, text: JSON.stringify(parts.qualifier) });
  } else {
    edits.push(insertAfter(text, nameNode.parent!, 'qualifier', parts.qualifier));
  }
  return { title: `Move ":${parts.qualifier}" into "qualifier"`, edits };
}
