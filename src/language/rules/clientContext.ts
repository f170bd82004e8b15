/**
 * Rules on the client context (`X-Amz-Client-Context`): written as an object the tool encodes, or
 * as the base64 text itself, it must decode to a JSON object, fit Lambda's limit, hold only the
 * keys that reach the function, and go to a synchronous invocation, the only kind that gets it.
 */
import type { Node } from 'jsonc-parser';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticCodes as C } from '../../protocol/ids';
import { type DecodedClientContext, decodeClientContext, encodeClientContext } from '../../lambda/clientContext';
import { CLIENT_CONTEXT_KEYS, Limits } from '../../lambda/limits';
import { formatBytes, formatCount, quote } from '../../lambda/format';
import { keyNode, nodeText } from '../document';
import { removeIgnoredProperty } from './fixes';
import type { InvocationScope, Report, Rule } from './rule';

const LIMIT = `${formatCount(Limits.clientContextBase64Bytes)} bytes`;

/** The client context written as base64 text, with what it decodes to; undefined when it is written otherwise. */
function readBase64(scope: InvocationScope): { node: Node; base64: string; decoded: DecodedClientContext } | undefined {
  const node = scope.valueOf('clientContext');
  if (node?.type !== 'string' || typeof node.value !== 'string') return undefined;
  return { node, base64: node.value, decoded: decodeClientContext(node.value) };
}

/** The base64 form, decoded once per invocation for the rules that read it. */
function base64Of(scope: InvocationScope): ReturnType<typeof readBase64> {
  return scope.shared(readBase64);
}

function checkIgnoredForEvent(scope: InvocationScope, report: Report): void {
  if (scope.facts.invocationType === 'Event' && scope.valueOf('clientContext')) {
    report(
      scope.keyOf('clientContext'),
      'Lambda passes the client context to synchronous invocations only: it is ignored for Event. Remove it, or use RequestResponse.',
    );
  }
}

function checkSize(scope: InvocationScope, report: Report): void {
  const node = scope.valueOf('clientContext');
  if (node?.type === 'object') {
    const encoded = encodeClientContext(nodeText(scope.doc.text, node));
    if (encoded.length > Limits.clientContextBase64Bytes) {
      report(
        scope.keyOf('clientContext'),
        `The client context encodes to ${formatBytes(encoded.length)} of base64; Lambda accepts at most ${LIMIT}. Move large values into the payload.`,
      );
    }
    return;
  }
  const written = base64Of(scope);
  if (written && written.base64.length > Limits.clientContextBase64Bytes) {
    report(
      written.node,
      `The client context is ${formatBytes(written.base64.length)} of base64; Lambda accepts at most ${LIMIT}. Move large values into the payload.`,
    );
  }
}

function checkKeys(scope: InvocationScope, report: Report): void {
  const node = scope.valueOf('clientContext');
  if (node?.type === 'object') {
    for (const child of node.children ?? []) {
      const key = keyNode(child);
      if (typeof key.value === 'string' && !CLIENT_CONTEXT_KEYS.includes(key.value)) {
        report(
          key,
          `Lambda's client context has "client", "custom" and "env"; ${quote(key.value)} will not reach context.clientContext. Put your own values under "custom".`,
        );
      }
    }
    return;
  }
  const written = base64Of(scope);
  if (!written?.decoded.ok) return;
  for (const key of Object.keys(written.decoded.value)) {
    if (!CLIENT_CONTEXT_KEYS.includes(key)) {
      report(
        written.node,
        `The decoded client context has ${quote(key)}; Lambda's client context has "client", "custom" and "env", so it will not reach context.clientContext.`,
      );
    }
  }
}

function checkBase64(scope: InvocationScope, report: Report): void {
  const written = base64Of(scope);
  if (written && !written.decoded.ok && written.decoded.reason === 'not-base64') {
    report(
      written.node,
      'The client context string is not base64. Write it as an object ({"custom": {…}}) and it is encoded for you, or paste the base64 text.',
    );
  }
}

/** What a decoded client context that is not an object is, in words. */
const NOT_AN_OBJECT: Readonly<Record<'not-json' | 'not-object', string>> = {
  'not-json': 'is not JSON',
  'not-object': 'is JSON but not an object',
};

function checkDecodesToObject(scope: InvocationScope, report: Report): void {
  const written = base64Of(scope);
  if (written === undefined || written.decoded.ok || written.decoded.reason === 'not-base64') return;
  const { text, reason } = written.decoded;
  report(
    written.node,
    `The client context decodes to ${quote(text, 60)}, which ${NOT_AN_OBJECT[reason]}; Lambda expects a JSON object with "client", "custom" and "env".`,
  );
}

export const CLIENT_CONTEXT_RULES: readonly Rule[] = [
  {
    code: C.asyncIgnoresClientContext,
    severity: DiagnosticSeverity.Warning,
    check: { invocation: checkIgnoredForEvent },
    quickFix: removeIgnoredProperty('clientContext'),
  },
  { code: C.clientContextTooLarge, severity: DiagnosticSeverity.Error, check: { invocation: checkSize } },
  { code: C.clientContextUnknownKey, severity: DiagnosticSeverity.Warning, check: { invocation: checkKeys } },
  { code: C.clientContextNotBase64, severity: DiagnosticSeverity.Error, check: { invocation: checkBase64 } },
  { code: C.clientContextNotObject, severity: DiagnosticSeverity.Error, check: { invocation: checkDecodesToObject } },
];
