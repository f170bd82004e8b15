/**
 * Completion: property names and enum values from the schema, and a snippet for a whole
 * new invocation. Works on text that does not parse yet, as while typing.
 */
import { getLocation } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type CompletionItem,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type Range,
} from 'vscode-languageserver-types';
import type { ParsedDocument } from './document';
import { invocationAt } from './navigation';
import { type PropertySchema, invocationKeys, propertySchema } from './schema';

/** What each property's value starts as when completed. */
const VALUE_SNIPPETS: Readonly<Record<string, string>> = {
  payload: '{$1}',
  clientContext: '{"custom": {$1}}',
};

const NEW_INVOCATION = [
  '{',
  '\t"name": "${1:Say hello}",',
  '\t"functionName": "${2:my-function}",',
  '\t"invocationType": "${3|RequestResponse,Event,DryRun|}",',
  '\t"logType": "Tail",',
  '\t"payload": {$0}',
  '}',
].join('\n');

export function completions(document: TextDocument, doc: ParsedDocument, offset: number): CompletionItem[] {
  const text = doc.text;
  let location: ReturnType<typeof getLocation>;
  try {
    location = getLocation(text, offset);
  } catch (error) {
    // jsonc-parser recurses once per nesting level; thousands of levels exhaust the stack.
    // Such a document has nothing to complete.
    if (error instanceof RangeError) return [];
    throw error;
  }
  const path = location.path;
  const inArray = typeof path[0] === 'number';
  const depth = inArray ? path.length - 1 : path.length;
  const previous = location.previousNode;
  const replace: Range | undefined =
    previous && (previous.type === 'string' || previous.type === 'property') && offset >= previous.offset && offset <= previous.offset + previous.length
      ? { start: document.positionAt(previous.offset), end: document.positionAt(previous.offset + previous.length) }
      : undefined;

  if (location.isAtPropertyKey && depth === 1) {
    const invocation = invocationAt(doc, offset);
    const present = new Set(invocation ? invocation.properties.keys() : []);
    const typing = typeof path[path.length - 1] === 'string' ? (path[path.length - 1] as string) : '';
    present.delete(typing);
    // Renaming a key that already has a value: complete the name only.
    const end = previous && replace ? previous.offset + previous.length : offset;
    const hasValue = /^[ \t\r\n]*:/.test(text.slice(end, end + 64));
    return invocationKeys
      .filter((key) => !present.has(key))
      .map((key) => propertyItem(key, propertySchema(key)!, replace, document, offset, hasValue));
  }
  if (!location.isAtPropertyKey && depth === 1) {
    const key = path[path.length - 1];
    const schema = typeof key === 'string' ? propertySchema(key) : undefined;
    if (schema?.enum) return schema.enum.map((value, i) => enumItem(value, schema.enumDescriptions?.[i], replace));
    return [];
  }
  if (depth === 0 && !location.isAtPropertyKey && (path.length === 0 || inArray)) {
    return [
      {
        label: 'New invocation',
        kind: CompletionItemKind.Snippet,
        detail: 'Lambda Invoke',
        documentation: 'An invocation object: a function to call and its payload.',
        insertTextFormat: InsertTextFormat.Snippet,
        insertText: NEW_INVOCATION,
      },
    ];
  }
  return [];
}

function propertyItem(
  key: string,
  schema: PropertySchema,
  replace: Range | undefined,
  document: TextDocument,
  offset: number,
  nameOnly: boolean,
): CompletionItem {
  const value = VALUE_SNIPPETS[key] ?? (schema.enum ? `"\${1|${schema.enum.join(',')}|}"` : '"$1"');
  const insertText = nameOnly ? `"${key}"` : `"${key}": ${value}`;
  const range = replace ?? { start: document.positionAt(offset), end: document.positionAt(offset) };
  const item: CompletionItem = {
    label: key,
    kind: CompletionItemKind.Property,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: insertText },
    filterText: `"${key}"`,
  };
  if (schema.description) item.documentation = { kind: MarkupKind.Markdown, value: schema.description };
  return item;
}

function enumItem(value: string, description: string | undefined, replace: Range | undefined): CompletionItem {
  const item: CompletionItem = { label: value, kind: CompletionItemKind.EnumMember, filterText: `"${value}"` };
  if (replace) item.textEdit = { range: replace, newText: `"${value}"` };
  else item.insertText = `"${value}"`;
  if (description) item.documentation = { kind: MarkupKind.Markdown, value: description };
  return item;
}
