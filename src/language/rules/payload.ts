/**
 * Rules on what is sent: one payload, inline or from a file; a file inside the workspace, there,
 * and JSON; and no more bytes than the invocation type accepts.
 */
import type { Node } from 'jsonc-parser';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticCodes as C } from '../../protocol/ids';
import { formatBytes, formatSize, quote } from '../../lambda/format';
import type { InvocationFacts, PayloadSource } from '../invocationFacts';
import { modeText } from '../wording';
import type { InvocationScope, Report, Rule } from './rule';

type FilePayload = Extract<PayloadSource, { kind: 'file' }>;

/** The payload file when it is what would be sent: named by "payloadFile", with no "payload" beside it. */
function sentFile({ facts, invocation }: InvocationScope): FilePayload | undefined {
  return facts.payload.kind === 'file' && !invocation.properties.has('payload') ? facts.payload : undefined;
}

/** The sent payload file when it may be looked at: inside the workspace. */
function fileInside(scope: InvocationScope): FilePayload | undefined {
  const file = sentFile(scope);
  return file && !file.outside ? file : undefined;
}

/** The size of what would be sent, and where to mark it; undefined when there is nothing to count. */
function sentBytes(scope: InvocationScope): { at: Node | undefined; bytes: number } | undefined {
  const payload = scope.facts.payload;
  if (payload.kind === 'inline') return { at: scope.keyOf('payload'), bytes: payload.bytes };
  const file = fileInside(scope);
  return file?.info?.kind === 'json' ? { at: file.node, bytes: file.info.bytes } : undefined;
}

function tooLargeMessage(facts: InvocationFacts, bytes: number): string {
  return (
    `Payload is ${formatBytes(bytes)}; ${modeText(facts.invocationType)} accepts at most ${formatBytes(facts.limit)} (${formatSize(facts.limit)}). ` +
    (facts.invocationType === 'Event'
      ? 'Shrink it, or use RequestResponse (up to 6 MB).'
      : 'Shrink it, or pass a reference (such as an S3 key) instead of the data.')
  );
}

function checkConflict(scope: InvocationScope, report: Report): void {
  if (scope.invocation.properties.has('payload') && scope.invocation.properties.has('payloadFile')) {
    report(scope.keyOf('payloadFile'), 'Both "payload" and "payloadFile" are set, and only one can be sent. Remove one of them.');
  }
}

function checkSize(scope: InvocationScope, report: Report): void {
  const sent = sentBytes(scope);
  if (sent !== undefined && sent.bytes > scope.facts.limit) report(sent.at, tooLargeMessage(scope.facts, sent.bytes));
}

function checkOutside(scope: InvocationScope, report: Report): void {
  const file = sentFile(scope);
  if (file?.outside) {
    report(
      file.node,
      `${quote(file.reference)} leads outside the workspace; a payload file must be inside it, so a repository cannot send your other files. Move the file into the workspace.`,
    );
  }
}

function checkMissing(scope: InvocationScope, report: Report): void {
  const file = fileInside(scope);
  if (file === undefined) return;
  if (file.info === undefined) {
    report(file.node, 'The payload file path is empty: name a JSON file relative to this file.');
  } else if (file.info.kind === 'missing') {
    report(file.node, `No file at ${quote(file.reference)}${file.resolved ? ` (${file.resolved})` : ''}. Paths are relative to this file's folder.`);
  }
}

function checkNotJson(scope: InvocationScope, report: Report): void {
  const file = fileInside(scope);
  if (file?.info?.kind === 'not-json') {
    report(file.node, `${quote(file.reference)} is not valid JSON (${file.info.detail}); Lambda accepts only JSON payloads.`);
  }
}

export const PAYLOAD_RULES: readonly Rule[] = [
  { code: C.payloadConflict, severity: DiagnosticSeverity.Error, check: { invocation: checkConflict } },
  { code: C.payloadTooLarge, severity: DiagnosticSeverity.Error, check: { invocation: checkSize } },
  { code: C.payloadFileOutsideWorkspace, severity: DiagnosticSeverity.Error, check: { invocation: checkOutside } },
  { code: C.payloadFileMissing, severity: DiagnosticSeverity.Error, check: { invocation: checkMissing } },
  { code: C.payloadFileNotJson, severity: DiagnosticSeverity.Error, check: { invocation: checkNotJson } },
];
