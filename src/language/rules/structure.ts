/**
 * Rules on the file's structure: it is strict JSON (json-syntax), and it is what the format's
 * JSON Schema describes (schema): one invocation object or an array of them, with known
 * properties of the right types, each key once.
 */
import type { ErrorObject } from 'ajv';
import { type Node, findNodeAtLocation } from 'jsonc-parser';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticCodes as C } from '../../protocol/ids';
import { quote } from '../../lambda/format';
import { type ParsedDocument, keyNode } from '../document';
import { invocationKeys, validateInvocationValue } from '../schema';
import { article, closest, describeType } from '../wording';
import { takeSuggestion } from './fixes';
import type { InvocationScope, Report, ReportOptions, Rule, Span } from './rule';

function reportSyntaxErrors(doc: ParsedDocument, report: Report): void {
  for (const error of doc.syntaxErrors) report(error, error.message);
}

function checkTopLevel(doc: ParsedDocument, report: Report): void {
  const root = doc.root;
  // With syntax errors the tree is jsonc-parser's recovery, a guess; those errors are the news.
  if (!root || doc.syntaxErrors.length > 0) return;
  if (root.type !== 'object' && root.type !== 'array') {
    report(root, 'An invoke file holds one invocation object, or an array of them, such as {"functionName": "my-function"}.');
    return;
  }
  if (root.type === 'array' && (root.children?.length ?? 0) === 0) {
    report(
      { offset: root.offset, length: 1 },
      'This array holds no invocations: add an object such as {"functionName": "my-function"}.',
      // Nothing would be sent, but nothing is wrong either: the file is only not done yet.
      { severity: DiagnosticSeverity.Warning },
    );
  }
  for (const element of doc.strayElements) {
    report(element, `Each element of the array must be an invocation object, not ${describeType(element.type)}.`);
  }
}

function checkSchema({ invocation }: InvocationScope, report: Report): void {
  for (const shadowed of invocation.shadowed) {
    const key = keyNode(shadowed);
    report(key, `${quote(String(key.value))} appears more than once; JSON keeps only the last one. Remove one of them.`);
  }
  const errors = validateInvocationValue(invocation.value);
  // A value of the wrong type also fails its enum; the type is the one problem to report.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword === 'enum' && wrongType.has(error.instancePath)) continue;
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const node = findNodeAtLocation(invocation.node, path) ?? invocation.node;
    const where = path.length > 0 ? quote(path.join('.')) : 'The invocation';
    const problem = (SCHEMA_WORDING.get(error.keyword) ?? otherSchemaError)(error, { node, path, where });
    report(problem.at, problem.message, problem.options);
  }
}

/** Where a schema error points: the node, its path from the invocation, and that path as a message names it. */
interface SchemaPlace {
  node: Node;
  path: string[];
  where: string;
}

interface SchemaProblem {
  at: Span;
  message: string;
  options?: ReportOptions;
}

type SchemaWording = (error: ErrorObject, place: SchemaPlace) => SchemaProblem;

/** How each kind of schema error (ajv's keyword) is marked and said. */
const SCHEMA_WORDING = new Map<string, SchemaWording>([
  [
    'additionalProperties',
    (error, { node, path }) => {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      const property = node.children?.find((p) => keyNode(p).value === name);
      const known = path.length === 0 ? invocationKeys : [];
      const suggestion = closest(name, known);
      const hint = suggestion ? ` Did you mean ${quote(suggestion)}?` : ` Known properties: ${known.join(', ')}.`;
      return {
        at: property ? keyNode(property) : node,
        message: `Unknown property ${quote(name)}.${known.length > 0 ? hint : ''}`,
        options: { suggestion },
      };
    },
  ],
  [
    'required',
    (error, { node }) => {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return {
        at: { offset: node.offset, length: 1 },
        message: `Missing ${quote(missing)}: every invocation names the function to call, such as "functionName": "my-function".`,
      };
    },
  ],
  [
    'type',
    (error, { node, where }) => {
      const expected = String((error.params as { type: string | string[] }).type).split(',');
      return { at: node, message: `${where} must be ${expected.map(article).join(' or ')}, not ${describeType(node.type)}.` };
    },
  ],
  [
    'enum',
    (error, { node, where }) => {
      const allowed = (error.params as { allowedValues: string[] }).allowedValues;
      const got = typeof node.value === 'string' ? quote(node.value) : describeType(node.type);
      const suggestion = typeof node.value === 'string' ? closest(node.value, allowed) : undefined;
      return { at: node, message: `${where} must be one of ${allowed.map((a) => quote(a)).join(', ')}; got ${got}.`, options: { suggestion } };
    },
  ],
]);

/** Any other schema error, in ajv's own words. */
const otherSchemaError: SchemaWording = (error, { node, where }) => ({ at: node, message: `${where} ${error.message ?? 'is not valid'}.` });

export const STRUCTURE_RULES: readonly Rule[] = [
  { code: C.jsonSyntax, severity: DiagnosticSeverity.Error, check: { document: reportSyntaxErrors } },
  {
    code: C.schema,
    severity: DiagnosticSeverity.Error,
    check: { document: checkTopLevel, invocation: checkSchema },
    quickFix: takeSuggestion,
  },
];
