/**
 * Shared helpers of the extension-host suite: the extension's API, the workspace, and waits
 * that follow events (diagnostics changed) rather than sleeping. Every wait has a generous
 * deadline and fails with a message that says what it was waiting for and what it saw.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { LambdaInvokeApi } from '../../../src/client/extension';

export const EXTENSION_ID = 'lambda-invoke.lambda-invoke';
/** Deadline of one wait: far above what a slow 2-core CI machine needs. */
export const WAIT_MS = 60_000;

export function extension(): vscode.Extension<LambdaInvokeApi> {
  const found = vscode.extensions.getExtension<LambdaInvokeApi>(EXTENSION_ID);
  assert.ok(found, `extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the repository root?)`);
  return found;
}

/** The API `activate()` resolved to (activating the extension if it is not yet). */
export async function api(): Promise<LambdaInvokeApi> {
  return extension().activate();
}

/** The examples workspace copy the suite runs on. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs the examples workspace open as the first folder');
  return folder.uri;
}

export function fileUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export async function openDocument(...segments: string[]): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fileUri(...segments));
}

/** Writes a file of the workspace (for scratch files the suite edits), then opens it. */
export async function writeAndOpen(text: string, ...segments: string[]): Promise<vscode.TextDocument> {
  const uri = fileUri(...segments);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return vscode.workspace.openTextDocument(uri);
}

/** The text of hovers as VS Code's hover provider command returns them. */
export function markdownOf(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const { code } = diagnostic;
  if (code === undefined) return '(no code)';
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[], document?: vscode.TextDocument): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map((d) => {
      const where = `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;
      const covered = document ? ` ${JSON.stringify(document.getText(d.range)).slice(0, 60)}` : '';
      return `  ${where} ${codeOf(d)}${covered}: ${d.message.slice(0, 120)}`;
    })
    .join('\n');
}

/**
 * Resolves with the diagnostics of `uri` once `accept` takes them: at once when the current ones
 * do, else at the first onDidChangeDiagnostics for that URI that brings acceptable ones.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  const current = vscode.languages.getDiagnostics(uri);
  if (accept(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === key)) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(diagnostics);
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      const seen = vscode.languages.getDiagnostics(uri);
      reject(new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what} in ${vscode.workspace.asRelativePath(uri)}. Its diagnostics now:\n${describeDiagnostics(seen)}`));
    }, timeoutMs);
  });
}

/** Waits for diagnostics of the document that include every one of `codes` (and, when `exact`, nothing else). */
export function waitForCodes(document: vscode.TextDocument, codes: string[], { exact = true } = {}): Promise<vscode.Diagnostic[]> {
  const wanted = [...codes].sort();
  return waitForDiagnostics(
    document.uri,
    (diagnostics) => {
      const got = diagnostics.map(codeOf).sort();
      return exact ? JSON.stringify(got) === JSON.stringify(wanted) : wanted.every((code) => got.includes(code));
    },
    `diagnostics ${exact ? 'exactly ' : ''}[${wanted.join(', ')}]`,
  );
}

/** The range of the `occurrence`-th `needle` in the document, searched from the start of `line` (0-based) when given. */
export function rangeOf(document: vscode.TextDocument, needle: string, { line, occurrence = 0 }: { line?: number; occurrence?: number } = {}): vscode.Range {
  const text = document.getText();
  let from = line === undefined ? 0 : document.offsetAt(new vscode.Position(line, 0));
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, from);
    assert.notEqual(at, -1, `${JSON.stringify(needle)} (occurrence ${occurrence}) is not in ${vscode.workspace.asRelativePath(document.uri)}`);
    from = at + needle.length;
  }
  return new vscode.Range(document.positionAt(at), document.positionAt(at + needle.length));
}

/** A position inside `needle` (at `offsetInNeedle` characters from its start). */
export function positionIn(document: vscode.TextDocument, needle: string, offsetInNeedle = 1): vscode.Position {
  const range = rangeOf(document, needle);
  return document.positionAt(document.offsetAt(range.start) + offsetInNeedle);
}

/** The output appended since `before` was read (the whole text if the buffer dropped old blocks). */
export function appendedSince(before: string, now: string): string {
  return now.startsWith(before) ? now.slice(before.length) : now;
}

/** Runs Invoke (or Dry Run) on invocation `index` of the document, as its lens does; resolves when the result is in the output. */
export async function invokeFromLens(document: vscode.TextDocument, index = 0, command = 'lambdaInvoke.invoke'): Promise<{ output: string; result: ReturnType<LambdaInvokeApi['lastResult']> }> {
  const lambdaInvoke = await api();
  const before = lambdaInvoke.outputText();
  const resultBefore = lambdaInvoke.lastResult();
  await vscode.commands.executeCommand(command, { uri: document.uri.toString(), index });
  const result = lambdaInvoke.lastResult();
  const output = appendedSince(before, lambdaInvoke.outputText());
  assert.notEqual(result, resultBefore, `${command} on ${vscode.workspace.asRelativePath(document.uri)} recorded no new result; the output since the command:\n${output || '(nothing)'}`);
  return { output, result };
}

export function assertIncludes(text: string, expected: string | RegExp, what: string): void {
  const ok = typeof expected === 'string' ? text.includes(expected) : expected.test(text);
  assert.ok(ok, `${what}: expected ${String(expected)} in:\n${text}`);
}


export { type HoldingServer, answerAsLambda, startHoldingServer } from '../../unit/holdingServer';

/** Listens on a free loopback port; resolves with the server's base URL. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
