/**
 * Code lenses above each invocation: `▶ Invoke <label>`, `Dry Run`, and a one-line summary of what
 * would be sent (mode, payload size against its limit, region) and, when the account's facts are
 * known, how long the function may run.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import { InvocationTypeWords } from '../lambda/invocationTypes';
import { CommandIds } from '../protocol/ids';
import { invocationLabel } from '../protocol/invocationLabel';
import { COMMAND_TITLES } from '../protocol/packageManifest';
import type { InvocationRef } from '../protocol/lensArguments';
import type { TargetOverrides } from '../protocol/targetOverrides';
import { formatCount, formatSize } from '../lambda/format';
import { type AccountFactsLookup, knownFunction } from './account';
import { accountSubject } from './accountSubject';
import type { Invocation, ParsedDocument } from './document';
import { type InvocationFacts, type ValidationContext, invocationFacts } from './invocationFacts';
import { formatSeconds } from './wording';

/** The `lambdaInvoke.region` setting, used when neither the file nor the ARN names one. */
export type LensSettings = Pick<TargetOverrides, 'region'>;

export function codeLenses(
  document: TextDocument,
  doc: ParsedDocument,
  ctx: ValidationContext,
  settings: LensSettings = {},
  account?: AccountFactsLookup,
): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const invocation of doc.invocations) {
    const start = document.positionAt(invocation.node.offset);
    const range = { start, end: start };
    const ref: InvocationRef = { uri: document.uri, index: invocation.index };
    const label = invocationLabel({ index: invocation.index, name: invocation.value.name, functionName: invocation.value.functionName });
    const facts = invocationFacts(doc, invocation, ctx);
    lenses.push(
      { range, command: { title: `▶ ${COMMAND_TITLES[CommandIds.invoke]} ${label}`, command: CommandIds.invoke, arguments: [ref] } },
      { range, command: { title: COMMAND_TITLES[CommandIds.dryRun], command: CommandIds.dryRun, arguments: [ref] } },
      { range, command: { title: summary(facts, settings, account && timeoutOf(doc, invocation, account)), command: '' } },
    );
  }
  return lenses;
}

/** `sync · 2.1 KB of 6 MB · us-west-2`, and `· timeout 3 s` when the function's timeout is known. */
export function summary(facts: InvocationFacts, settings: LensSettings, timeoutSeconds?: number): string {
  return [
    InvocationTypeWords[facts.invocationType].short,
    payloadText(facts),
    facts.region ?? (settings.region || 'default region'),
    ...(timeoutSeconds === undefined ? [] : [`timeout ${formatSeconds(timeoutSeconds)}`]),
  ].join(' · ');
}

/** The function's timeout, as the account gave it; undefined while it is not known. */
function timeoutOf(doc: ParsedDocument, invocation: Invocation, account: AccountFactsLookup): number | undefined {
  const subject = accountSubject(doc, invocation);
  const known = subject && knownFunction(account, subject.target, subject.functionName);
  return known === undefined || known === 'not-found' ? undefined : known.configuration.timeoutSeconds;
}

function payloadText(facts: InvocationFacts): string {
  const limit = formatSize(facts.limit);
  const p = facts.payload;
  if (p.kind === 'none') return `empty payload of ${limit}`;
  if (p.kind === 'inline') return sizeOf(p.bytes, facts.limit);
  if (p.outside) return 'payload file outside the workspace';
  if (!p.info || p.info.kind === 'missing') return 'payload file missing';
  return `${sizeOf(p.info.bytes, facts.limit)} from ${p.reference}`;
}

/** `2.1 KB of 6 MB`; past the limit the exact bytes, which rounding would otherwise hide. */
function sizeOf(bytes: number, limit: number): string {
  if (bytes > limit) return `${formatCount(bytes)} B, over the ${formatSize(limit)} limit`;
  return `${formatSize(bytes)} of ${formatSize(limit)}`;
}
