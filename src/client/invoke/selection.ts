/**
 * Which invocation a command is about: the one a code lens names (`{uri, index}`, checked because
 * it arrives as JSON), the one under the cursor, or one the user picks from a list. Pure logic,
 * no `vscode` import, so it is unit-tested without an editor (test/unit/clientLogic.test.ts).
 */
import * as path from 'node:path';
import { invocationLabel } from '../../protocol/invocationLabel';
import type { InvocationRef } from '../../protocol/lensArguments';

/** One invocation of a file, as much as the commands need to point at it and name it. */
export interface InvocationSummary {
  /** Position in an array file; 0 for a file holding one object. */
  index: number;
  /** Where the invocation's object starts and how long it is, in the document's text. */
  offset: number;
  length: number;
  /** The `name` label, when the file gives one. */
  name?: string;
  /** The `functionName` as written, when it is a string. */
  functionName?: string;
}

/** The shape of an invocation as the engine's checkFile returns it (only what is read here). */
export interface CheckedInvocation {
  index: number;
  node: { offset: number; length: number };
  value: Record<string, unknown>;
}

/** Reduces the engine's parsed invocations to what the commands show. */
export function summarizeInvocations(invocations: readonly CheckedInvocation[]): InvocationSummary[] {
  return invocations.map((invocation) => {
    const summary: InvocationSummary = { index: invocation.index, offset: invocation.node.offset, length: invocation.node.length };
    const { name, functionName } = invocation.value;
    if (typeof name === 'string' && name !== '') summary.name = name;
    if (typeof functionName === 'string' && functionName !== '') summary.functionName = functionName;
    return summary;
  });
}

/**
 * The invocation the cursor is in (its braces included), or the only one of the file wherever
 * the cursor is. Undefined when the file holds several and the cursor is in none of them: the
 * caller then asks.
 */
export function invocationAtOffset(invocations: readonly InvocationSummary[], offset: number): InvocationSummary | undefined {
  const containing = invocations.find((inv) => offset >= inv.offset && offset <= inv.offset + inv.length);
  if (containing !== undefined) return containing;
  return invocations.length === 1 ? invocations[0] : undefined;
}


/** What the QuickPick of an array file lists for each invocation. */
export interface InvocationPickItem {
  label: string;
  description?: string;
  detail: string;
  index: number;
}

export function invocationPickItems(invocations: readonly InvocationSummary[]): InvocationPickItem[] {
  return invocations.map((inv) => {
    const item: InvocationPickItem = { label: invocationLabel(inv), detail: `#${inv.index} in the file`, index: inv.index };
    // The function is already the label when the invocation has no name.
    if (inv.name !== undefined && inv.functionName !== undefined) item.description = inv.functionName;
    return item;
  });
}

/**
 * A lens's argument, checked: it crosses the protocol as JSON, so anything may arrive (another
 * client, a keybinding with `args`). Undefined when it is not a `{uri, index}`.
 */
export function parseInvocationRef(value: unknown): InvocationRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { uri, index } = value as Record<string, unknown>;
  if (typeof uri !== 'string' || uri === '' || typeof index !== 'number' || !Number.isInteger(index) || index < 0) return undefined;
  return { uri, index };
}

/** The parts of a document's URI that say where it lives. */
export interface DocumentLocation {
  scheme: string;
  /** The file system path, for `file` URIs. */
  fsPath: string;
  /** The URI's path (`Untitled-1` for an untitled document). */
  path: string;
}

/**
 * The file path the engine is given for a document: its own for a saved file; for an untitled
 * one, a name in the first workspace folder, so `payloadFile` resolves against that folder as the
 * editor's diagnostics do. Undefined when there is no such place (untitled with no folder open,
 * or a virtual file system the engine cannot read).
 */
export function documentFilePath(location: DocumentLocation, workspaceRoots: readonly string[]): string | undefined {
  if (location.scheme === 'file') return location.fsPath;
  const root = workspaceRoots[0];
  if (location.scheme !== 'untitled' || root === undefined) return undefined;
  return path.join(root, path.posix.basename(location.path) || 'Untitled');
}
