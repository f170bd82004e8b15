/**
 * Builders for test documents: payloads of an exact byte size, single diagnostics by code,
 * and edits applied the way an editor applies them.
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { type Analyzed, DOC_URI, covered } from './helpers';

export const SYNC_LIMIT = 6_291_456;
export const ASYNC_LIMIT = 1_048_576;
export const CLIENT_CONTEXT_LIMIT = 3_583;

/**
 * A JSON string literal (quotes included) of exactly `bytes` UTF-8 bytes, made of as many
 * `unit` characters as fit, padded with `a`. The quotes count: they are sent too.
 */
export function stringOfBytes(bytes: number, unit = 'a'): string {
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  const inner = bytes - 2;
  assert.ok(inner >= 0, 'a string literal takes at least 2 bytes');
  const count = Math.floor(inner / unitBytes);
  const literal = `"${unit.repeat(count)}${'a'.repeat(inner - count * unitBytes)}"`;
  assert.equal(Buffer.byteLength(literal, 'utf8'), bytes);
  return literal;
}

/** An invocation whose inline payload is a string literal of exactly `bytes` bytes. */
export function payloadDoc(bytes: number, options: { invocationType?: string; unit?: string } = {}): string {
  const type = options.invocationType ? `"invocationType":"${options.invocationType}",` : '';
  return `{"functionName":"f",${type}"payload":${stringOfBytes(bytes, options.unit)}}`;
}

/** The one diagnostic with `code`; fails when there is none or more than one. */
export function single(a: Analyzed, code: string): Diagnostic {
  const found = a.diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(a.diagnostics.map((d) => d.code))}`);
  return found[0]!;
}

/** The text each diagnostic covers, as [code, text] pairs. */
export function coveredPairs(a: Analyzed): [string, string][] {
  return a.diagnostics.map((d) => [String(d.code), covered(a, d)]);
}

/** Applies a code action's edits for the test document and returns the new text. */
export function applyAction(document: TextDocument, action: CodeAction): string {
  const edits = action.edit?.changes?.[DOC_URI];
  assert.ok(edits && edits.length > 0, `action ${action.title} carries no edits for the document`);
  return TextDocument.applyEdits(document, edits);
}

/** The first action whose title contains `title`; fails when none does. */
export function actionTitled(actions: CodeAction[], title: string): CodeAction {
  const action = actions.find((a) => a.title.includes(title));
  assert.ok(action, `no action titled "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

/** A diagnostic's message, which this server always sends as plain text. */
export function messageOf(d: Diagnostic): string {
  assert.equal(typeof d.message, 'string');
  return d.message as string;
}
