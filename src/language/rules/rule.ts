/**
 * What a diagnostic rule is: one diagnostic code, the severity it is reported with, the check that
 * finds its problems and, where the fix is obvious, the quick fix that mends one. The rules live
 * in the modules beside this one, one per area, and rules/index.ts lists them all; validate.ts runs
 * the document and invocation checks as the user types, account.ts the account checks against
 * what is known of the user's functions, and codeActions.ts offers the fixes of both.
 */
import type { Node } from 'jsonc-parser';
import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { DiagnosticCode } from '../../protocol/ids';
import type { FunctionFacts, FunctionSummary } from '../../protocol/accountFacts';
import type { AccountSubject } from '../accountSubject';
import type { Invocation, ParsedDocument } from '../document';
import type { InvocationFacts } from '../invocationFacts';

/** Extra facts a diagnostic carries for its quick fixes. */
export interface DiagnosticData {
  /** Invocation index in the file. */
  index: number;
  /** A replacement the quick fix may offer (a property name or enum value). */
  suggestion?: string;
}

/** A stretch of the document, in UTF-16 offsets. */
export interface Span {
  offset: number;
  length: number;
}

export interface ReportOptions {
  /** A replacement for the rule's quick fix to offer. */
  suggestion?: string;
  /** For the rare case of a code that is milder than the rule's severity (schema: an empty array). */
  severity?: DiagnosticSeverity;
}

/**
 * Reports one problem of the rule's code on `at`. No node, no report: a property whose value is
 * still being typed has nothing to mark yet.
 */
export type Report = (at: Span | undefined, message: string, options?: ReportOptions) => void;

/** One invocation as the invocation checks see it. */
export interface InvocationScope extends PropertyNodes {
  readonly doc: ParsedDocument;
  readonly invocation: Invocation;
  readonly facts: InvocationFacts;
  /**
   * What `read` makes of this invocation, made once however many rules ask: a reading that
   * several rules of an area share, such as the function name checked or the client context
   * decoded, costs one rule's work per invocation.
   */
  shared<T>(read: (scope: InvocationScope) => T): T;
}

/** The valueOf and keyOf of a scope: an invocation's top-level nodes by key. */
export interface PropertyNodes {
  /** The value node of a top-level property, when it is written. */
  valueOf(key: string): Node | undefined;
  /** The key node of a top-level property, when it is written. */
  keyOf(key: string): Node | undefined;
}

/** What the account says about the function one invocation calls, as the account checks see it. */
export interface AccountScope extends PropertyNodes {
  readonly doc: ParsedDocument;
  readonly invocation: Invocation;
  /** Where the invocation goes and what it calls there (accountSubject.ts). */
  readonly subject: AccountSubject;
  /** The catalogue of functions at the target, when it is known. */
  readonly catalogue: { functions: readonly FunctionSummary[]; truncated: boolean } | undefined;
  /**
   * The function's own facts: its configuration, aliases and versions; `not-found` when Lambda
   * has no such function; undefined while that is not known.
   */
  readonly function: FunctionFacts | 'not-found' | undefined;
}

/** The functions that find a rule's problems, by what they look at. */
export interface Check {
  /** Once per document, before its invocations; also for a document with syntax errors. */
  readonly document?: (doc: ParsedDocument, report: Report) => void;
  /** Once per invocation of a document that is valid JSON. */
  readonly invocation?: (scope: InvocationScope, report: Report) => void;
  /**
   * Once per invocation whose function name is sound, against the facts known of the user's
   * account; never on the keystroke path of validateDocument (account.ts runs these).
   */
  readonly account?: (scope: AccountScope, report: Report) => void;
}

/** A replacement of the text between two offsets. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** A code action's content before it is placed in a document: what it is called and what it changes. */
export interface Fix {
  title: string;
  edits: OffsetEdit[];
}

/** The diagnostic a quick fix is asked to mend. */
export interface FixTarget {
  doc: ParsedDocument;
  /** The invocation the diagnostic is in. */
  invocation: Invocation;
  data: DiagnosticData;
  /** Where the diagnostic sits, in offsets of the current text. */
  start: number;
  end: number;
}

/** The fix for one diagnostic, or undefined when there is none for this one. */
export type QuickFix = (target: FixTarget) => Fix | undefined;

export interface Rule {
  readonly code: DiagnosticCode;
  readonly severity: DiagnosticSeverity;
  readonly check: Check;
  readonly quickFix?: QuickFix;
}

/** One thing a value can get wrong, in lists where the first that applies is the one reported. */
export interface Flaw<T> {
  applies: (subject: T) => boolean;
  message: (subject: T) => string;
}

/** The message of the first flaw that applies to `subject`, or undefined when none does. */
export function firstFlaw<T>(flaws: readonly Flaw<T>[], subject: T): string | undefined {
  return flaws.find((flaw) => flaw.applies(subject))?.message(subject);
}
