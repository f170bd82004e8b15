/** Document symbols: one per invocation, named as everywhere else (protocol/invocationLabel), for the outline. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import { invocationLabel } from '../protocol/invocationLabel';
import type { ParsedDocument } from './document';
import { stringValue } from './navigation';

export function documentSymbols(document: TextDocument, doc: ParsedDocument): DocumentSymbol[] {
  return doc.invocations.map((invocation) => {
    const fn = stringValue(invocation, 'functionName');
    const label = invocationLabel({ index: invocation.index, name: invocation.value.name, functionName: invocation.value.functionName });
    const type = stringValue(invocation, 'invocationType') ?? 'RequestResponse';
    const node = invocation.node;
    const range = { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) };
    const symbol: DocumentSymbol = {
      name: label,
      detail: [label !== fn ? fn : undefined, type].filter(Boolean).join(' · '),
      kind: SymbolKind.Function,
      range,
      selectionRange: { start: range.start, end: range.start },
    };
    return symbol;
  });
}
