/**
 * The account half of the language service, as pure as the rest: the facts about the user's
 * functions that a document's invocations need (accountFactsNeeded), and the warnings those facts
 * give (accountDiagnostics: the rules with an `account` check). Whoever holds the credentials looks
 * the facts up and hands them in as an AccountFactsLookup: the extension answers the language
 * server's lambdaInvoke/accountFacts request, and the CLI asks its catalogue.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { AccountFactsParams, AccountFactsResult, FactsTarget, FunctionFacts } from '../protocol/accountFacts';
import { parseFunctionName } from '../lambda/functionName';
import { accountSubject, factsKey, subjectFacts } from './accountSubject';
import { type Catalogue, listing } from './catalogue';
import type { ParsedDocument } from './document';
import type { AccountScope } from './rules/rule';
import { bound, diagnosticReporter, propertyNodes } from './validate';

/** What is known of the account; undefined from either: not known yet. */
export interface AccountFactsLookup {
  functions(target: FactsTarget): AccountFactsResult | undefined;
  function(target: FactsTarget, functionName: string): AccountFactsResult | undefined;
}

const ACCOUNT_CHECKS = bound('account');

/** The distinct facts the account checks of a document's invocations read, each once. */
export function accountFactsNeeded(doc: ParsedDocument): AccountFactsParams[] {
  const needed = new Map<string, AccountFactsParams>();
  for (const invocation of doc.invocations) {
    const subject = accountSubject(doc, invocation);
    if (!subject) continue;
    for (const params of subjectFacts(subject)) needed.set(factsKey(params), params);
  }
  return [...needed.values()];
}

/** The warnings of the account rules for what `facts` knows; nothing for an invocation whose facts are not known. */
export function accountDiagnostics(document: TextDocument, doc: ParsedDocument, facts: AccountFactsLookup): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reporter = diagnosticReporter(document, diagnostics);
  for (const invocation of doc.invocations) {
    const subject = accountSubject(doc, invocation);
    if (!subject) continue;
    const catalogue = knownCatalogue(facts, subject.target);
    const fn = knownFunction(facts, subject.target, subject.functionName);
    if (catalogue === undefined && fn === undefined) continue;
    const scope: AccountScope = { doc, invocation, subject, catalogue, function: fn, ...propertyNodes(invocation) };
    for (const { rule, run } of ACCOUNT_CHECKS) run(scope, reporter(rule, invocation.index));
  }
  return diagnostics;
}

/** The catalogue at `target`, when it is known. */
export function knownCatalogue(facts: AccountFactsLookup, target: FactsTarget): Catalogue | undefined {
  const result = facts.functions(target);
  return result?.kind === 'functions' ? { functions: result.functions, truncated: result.truncated === true } : undefined;
}

/** A function's facts when known; `not-found` when Lambda has no such function. */
export function knownFunction(facts: AccountFactsLookup, target: FactsTarget, functionName: string): FunctionFacts | 'not-found' | undefined {
  const result = facts.function(target, functionName);
  if (result?.kind === 'function') return result.facts;
  return result?.kind === 'not-found' ? 'not-found' : undefined;
}

/**
 * Whether a needed fact is worth asking for now. A function's own facts are, once the catalogue
 * at its target is known and lists it (or cannot tell): while a name is typed, each prefix is
 * another function, and the catalogue already says that none of them exists.
 */
export function worthAsking(params: AccountFactsParams, facts: AccountFactsLookup): boolean {
  if (params.kind === 'functions') return true;
  const catalogue = knownCatalogue(facts, params.target);
  const parts = parseFunctionName(params.functionName);
  return catalogue !== undefined && parts !== undefined && listing(catalogue, parts) !== 'absent';
}
