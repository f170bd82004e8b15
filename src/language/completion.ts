/**
 * Completion: property names and enum values from the schema, and a snippet for a whole
 * new invocation. Works on text that does not parse yet, as while typing. Given what is known
 * of the user's account, also the values the account has: function names (and ARNs) from the
 * catalogue, a function's versions and aliases, and the regions of its partition.
 * completionFactsNeeded says which facts a completion would read, so that the server can ask
 * for them first.
 */
import { type Location, type Node, getLocation } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type CompletionItem,
  CompletionItemKind,
  InsertTextFormat,
  type MarkupContent,
  MarkupKind,
  type Range,
} from 'vscode-languageserver-types';
import type { AccountFactsParams, FactsTarget, FunctionFacts } from '../protocol/accountFacts';
import { checkFunctionName, parseFunctionName } from '../lambda/functionName';
import { regionsOfPartition } from '../lambda/regions';
import { type AccountFactsLookup, knownCatalogue, knownFunction } from './account';
import { invocationSubject, invocationTarget, targetBesidesRegion } from './accountSubject';
import { cataloguePartition, listing } from './catalogue';
import type { Invocation, ParsedDocument } from './document';
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

/** Where the cursor is, as jsonc-parser locates it; undefined for a document nested too deep to locate in. */
function locate(text: string, offset: number): Location | undefined {
  try {
    return getLocation(text, offset);
  } catch (error) {
    // jsonc-parser recurses once per nesting level; thousands of levels exhaust the stack.
    // Such a document has nothing to complete.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The string or property node the cursor is in, which an accepted item replaces. */
function nodeUnderCursor(location: Location, offset: number): Node | undefined {
  const previous = location.previousNode;
  return previous && (previous.type === 'string' || previous.type === 'property') && offset >= previous.offset && offset <= previous.offset + previous.length
    ? previous
    : undefined;
}

/** A top-level property's value being completed: its key, its invocation and what is typed of it so far. */
interface ValueAt {
  key: string;
  invocation: Invocation;
  typed: string;
}

function valueAt(doc: ParsedDocument, offset: number, location: Location): ValueAt | undefined {
  const path = location.path;
  const depth = typeof path[0] === 'number' ? path.length - 1 : path.length;
  const key = path[path.length - 1];
  if (location.isAtPropertyKey || depth !== 1 || typeof key !== 'string') return undefined;
  const invocation = invocationAt(doc, offset);
  if (!invocation) return undefined;
  const under = nodeUnderCursor(location, offset);
  const typed = under?.type === 'string' ? doc.text.slice(under.offset + 1, offset) : '';
  return { key, invocation, typed };
}

/**
 * A function name typed up to a `:` after which its qualifier comes: `orders:`, or a full ARN and
 * `:`, when the catalogue lists that function. The target is the one the finished name would have.
 */
function qualifiedBase(value: ValueAt, facts: AccountFactsLookup): { target: FactsTarget; functionName: string } | undefined {
  const colon = value.typed.lastIndexOf(':');
  if (colon < 0) return undefined;
  const functionName = value.typed.slice(0, colon);
  const check = checkFunctionName(functionName);
  if (!check.ok || check.parts.qualifier !== undefined) return undefined;
  const target = invocationTarget(value.invocation, check.parts.region);
  const catalogue = target && knownCatalogue(facts, target);
  return target && catalogue && listing(catalogue, check.parts) === 'listed' ? { target, functionName } : undefined;
}

/** The function whose qualifiers a `qualifier` value completes to. */
function qualifiedFunction(value: ValueAt): { target: FactsTarget; functionName: string } | undefined {
  const subject = invocationSubject(value.invocation);
  return subject && { target: subject.target, functionName: subject.functionName };
}

/** The facts the completion at `offset` would read, as far as `facts` already tells which (ask, then call again). */
export function completionFactsNeeded(doc: ParsedDocument, offset: number, facts: AccountFactsLookup): AccountFactsParams[] {
  const location = locate(doc.text, offset);
  const value = location && valueAt(doc, offset, location);
  if (!value) return [];
  if (value.key === 'functionName') {
    const target = invocationTarget(value.invocation);
    const base = qualifiedBase(value, facts);
    return [
      ...(target ? [{ kind: 'functions' as const, target }] : []),
      ...(base ? [{ kind: 'function' as const, target: base.target, functionName: base.functionName }] : []),
    ];
  }
  if (value.key === 'qualifier') {
    const fn = qualifiedFunction(value);
    return fn ? [{ kind: 'function', target: fn.target, functionName: fn.functionName }] : [];
  }
  return [];
}

export function completions(document: TextDocument, doc: ParsedDocument, offset: number, facts?: AccountFactsLookup): CompletionItem[] {
  const text = doc.text;
  const location = locate(text, offset);
  if (!location) return [];
  const path = location.path;
  const inArray = typeof path[0] === 'number';
  const depth = inArray ? path.length - 1 : path.length;
  const previous = nodeUnderCursor(location, offset);
  const replace: Range | undefined = previous
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
    if (schema?.enum) return schema.enum.map((value, i) => valueItem({ label: value, documentation: markdown(schema.enumDescriptions?.[i]) }, replace));
    const value = facts && valueAt(doc, offset, location);
    const complete = value && ACCOUNT_VALUES[value.key];
    return complete && facts ? complete(value, facts).map((item, i) => valueItem(item, replace, i)) : [];
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

/** A value completion before it is placed: what it shows, and the string it inserts when that is not the label. */
interface ValueChoice {
  label: string;
  value?: string;
  kind?: CompletionItemKind;
  detail?: string;
  /** Markdown from the schema; the account's own texts (descriptions) as plain text. */
  documentation?: string | MarkupContent;
}

function markdown(text: string | undefined): MarkupContent | undefined {
  return text ? { kind: MarkupKind.Markdown, value: text } : undefined;
}

/** How the values of each property the account knows are completed. */
const ACCOUNT_VALUES: Readonly<Record<string, (value: ValueAt, facts: AccountFactsLookup) => ValueChoice[]>> = {
  functionName: functionNameChoices,
  qualifier: (value, facts) => {
    const fn = qualifiedFunction(value);
    const known = fn && knownFunction(facts, fn.target, fn.functionName);
    return qualifierChoices(known === 'not-found' ? undefined : known, '');
  },
  region: regionChoices,
};

/** The catalogue's functions by name, by ARN once `arn:` is typed, or after `name:` that function's qualifiers. */
function functionNameChoices(value: ValueAt, facts: AccountFactsLookup): ValueChoice[] {
  const base = qualifiedBase(value, facts);
  if (base) {
    const known = knownFunction(facts, base.target, base.functionName);
    return known === 'not-found' || known === undefined ? [] : qualifierChoices(known, `${base.functionName}:`);
  }
  const target = invocationTarget(value.invocation);
  const catalogue = target && knownCatalogue(facts, target);
  if (!catalogue) return [];
  const byArn = value.typed.startsWith('arn:');
  return catalogue.functions.map((fn) => ({
    label: byArn ? fn.arn : fn.name,
    kind: CompletionItemKind.Function,
    detail: fn.runtime,
    documentation: fn.description || undefined,
  }));
}

/** `$LATEST`, then the published versions (newest first), then the aliases; `$LATEST` alone while the function's facts are not known. */
function qualifierChoices(facts: FunctionFacts | undefined, prefix: string): ValueChoice[] {
  const choice = (qualifier: string, detail: string, documentation?: string): ValueChoice => ({
    label: `${prefix}${qualifier}`,
    kind: CompletionItemKind.Value,
    detail,
    documentation,
  });
  return [
    choice('$LATEST', 'unpublished: the code as last deployed'),
    ...[...(facts?.versions ?? [])].reverse().map((version) => choice(version, 'published version')),
    ...(facts?.aliases ?? []).map((alias) => choice(alias.name, `alias → version ${alias.version}`, alias.description || undefined)),
  ];
}

/** The regions of the partition the invocation is in: its function ARN's, else the catalogue's, else every region. */
function regionChoices(value: ValueAt, facts: AccountFactsLookup): ValueChoice[] {
  const written = value.invocation.value.functionName;
  const arnPartition = typeof written === 'string' ? parseFunctionName(written)?.partition : undefined;
  const target = targetBesidesRegion(value.invocation);
  const catalogue = target && knownCatalogue(facts, target);
  const partition = arnPartition || (catalogue && cataloguePartition(catalogue));
  return regionsOfPartition(partition).map((region) => ({ label: region.code, kind: CompletionItemKind.Value, detail: region.name }));
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

/** A string value, inserted with its quotes over the string being typed; items keep the order given. */
function valueItem(choice: ValueChoice, replace: Range | undefined, order?: number): CompletionItem {
  const quoted = JSON.stringify(choice.value ?? choice.label);
  const item: CompletionItem = { label: choice.label, kind: choice.kind ?? CompletionItemKind.EnumMember, filterText: quoted };
  if (replace) item.textEdit = { range: replace, newText: quoted };
  else item.insertText = quoted;
  if (choice.detail) item.detail = choice.detail;
  if (choice.documentation) item.documentation = choice.documentation;
  if (order !== undefined) item.sortText = String(order).padStart(5, '0');
  return item;
}
