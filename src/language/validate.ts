/**
 * Diagnostics for an `.invoke.json` document: the checks Lambda itself makes, run before
 * anything is sent. Document in, LSP diagnostics out; no connection in sight. What is checked
 * is the rules table (rules/index.ts); this module runs its document and invocation checks and
 * turns what they report into diagnostics (account.ts runs the account checks the same way).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../protocol/ids';
import { type Invocation, type ParsedDocument, keyNode, valueNode } from './document';
import { type InvocationFacts, type ValidationContext, invocationFacts } from './invocationFacts';
import { RULES } from './rules';
import type { Check, DiagnosticData, InvocationScope, PropertyNodes, Report, Rule } from './rules/rule';

export type { DiagnosticData } from './rules/rule';

/** A rule with the one kind of check it is run for. */
type Bound<K extends keyof Check> = { rule: Rule; run: NonNullable<Check[K]> };

/** The rules with a check of `kind`, each with that check. */
export function bound<K extends keyof Check>(kind: K): Bound<K>[] {
  return RULES.flatMap((rule) => {
    const run = rule.check[kind];
    return run ? [{ rule, run }] : [];
  });
}

const DOCUMENT_CHECKS = bound('document');
const INVOCATION_CHECKS = bound('invocation');

export function validateDocument(document: TextDocument, doc: ParsedDocument, ctx: ValidationContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reporter = diagnosticReporter(document, diagnostics);
  for (const { rule, run } of DOCUMENT_CHECKS) run(doc, reporter(rule));
  // Past a syntax error, values are jsonc-parser's guesses: only the syntax is worth a word.
  if (doc.syntaxErrors.length > 0) return diagnostics;
  for (const invocation of doc.invocations) {
    const scope = invocationScope(doc, invocation, invocationFacts(doc, invocation, ctx));
    for (const { rule, run } of INVOCATION_CHECKS) run(scope, reporter(rule, invocation.index));
  }
  return diagnostics;
}

/**
 * What a rule reports, as diagnostics of `document` pushed onto `diagnostics`: `reporter(rule, index)`
 * is the Report of `rule`, `index` the invocation's for problems inside one.
 */
export function diagnosticReporter(document: TextDocument, diagnostics: Diagnostic[]): (rule: Rule, index?: number) => Report {
  return (rule, index) => (at, message, options) => {
    if (!at) return;
    const diagnostic: Diagnostic = {
      range: { start: document.positionAt(at.offset), end: document.positionAt(at.offset + at.length) },
      severity: options?.severity ?? rule.severity,
      code: rule.code,
      source: DIAGNOSTIC_SOURCE,
      message,
    };
    if (index !== undefined) {
      const data: DiagnosticData = options?.suggestion ? { index, suggestion: options.suggestion } : { index };
      diagnostic.data = data;
    }
    diagnostics.push(diagnostic);
  };
}

/** An invocation's top-level key and value nodes, by key. */
export function propertyNodes(invocation: Invocation): PropertyNodes {
  return {
    valueOf: (key) => {
      const property = invocation.properties.get(key);
      return property && valueNode(property);
    },
    keyOf: (key) => {
      const property = invocation.properties.get(key);
      return property && keyNode(property);
    },
  };
}

function invocationScope(doc: ParsedDocument, invocation: Invocation, facts: InvocationFacts): InvocationScope {
  /** The shared readings made so far, by the function that reads each. */
  const readings = new Map<(scope: InvocationScope) => unknown, unknown>();
  const scope: InvocationScope = {
    doc,
    invocation,
    facts,
    ...propertyNodes(invocation),
    shared: <T>(read: (scope: InvocationScope) => T): T => {
      if (readings.has(read)) return readings.get(read) as T;
      const reading = read(scope);
      readings.set(read, reading);
      return reading;
    },
  };
  return scope;
}
