/**
 * What an invocation amounts to once read: its type and limit, its target, and where its
 * payload comes from and how many bytes it is. Shared by diagnostics, hovers and lenses so
 * they can never disagree about a size or a limit.
 */
import type { Node } from 'jsonc-parser';
import { type FunctionNameParts, parseFunctionName } from '../lambda/functionName';
import { type Invocation, type ParsedDocument, nodeUtf8Length, valueNode } from './document';
import { DEFAULT_INVOCATION_TYPE, type InvocationType, isInvocationType } from '../lambda/invocationTypes';
import { payloadLimit } from '../lambda/limits';
import { isInside } from '../protocol/workspacePaths';
import { type PayloadFileInfo, type PayloadFileReader, resolvePayloadPath } from './payloadFiles';

export interface ValidationContext {
  /** File system path of the document; undefined for an unsaved (untitled) document. */
  documentPath?: string;
  /** File system paths of the workspace folders. */
  workspaceRoots: readonly string[];
  files: PayloadFileReader;
}

export type PayloadSource =
  | { kind: 'none' }
  | { kind: 'inline'; node: Node; bytes: number }
  | { kind: 'file'; node: Node; reference: string; resolved?: string; outside: boolean; info?: PayloadFileInfo };

export interface InvocationFacts {
  invocationType: InvocationType;
  limit: number;
  target?: FunctionNameParts;
  /** The `region` field, else the ARN's region. */
  region?: string;
  payload: PayloadSource;
}

export function invocationFacts(doc: ParsedDocument, invocation: Invocation, ctx: ValidationContext): InvocationFacts {
  const v = invocation.value;
  const invocationType = isInvocationType(v.invocationType) ? v.invocationType : DEFAULT_INVOCATION_TYPE;
  const target = typeof v.functionName === 'string' ? parseFunctionName(v.functionName) : undefined;
  const region = typeof v.region === 'string' && v.region !== '' ? v.region : target?.region;
  return { invocationType, limit: payloadLimit(invocationType), target, region, payload: payloadSource(doc, invocation, ctx) };
}

function payloadSource(doc: ParsedDocument, invocation: Invocation, ctx: ValidationContext): PayloadSource {
  const inline = invocation.properties.get('payload');
  const inlineValue = inline && valueNode(inline);
  if (inlineValue) {
    // Counted once per node and carried across edits inside the payload (nodeUtf8Length).
    return { kind: 'inline', node: inlineValue, bytes: nodeUtf8Length(doc.text, inlineValue) };
  }
  const fileProperty = invocation.properties.get('payloadFile');
  const fileValue = fileProperty && valueNode(fileProperty);
  if (!fileValue || typeof invocation.value.payloadFile !== 'string') return { kind: 'none' };
  return { kind: 'file', node: fileValue, ...resolvePayloadFile(invocation.value.payloadFile, ctx) };
}

/** Resolves and reads a payload file, refusing to look outside the workspace. */
export function resolvePayloadFile(
  reference: string,
  ctx: ValidationContext,
): { reference: string; resolved?: string; outside: boolean; info?: PayloadFileInfo } {
  const base = ctx.documentPath ?? (ctx.workspaceRoots[0] !== undefined ? `${ctx.workspaceRoots[0]}/.` : undefined);
  if (base === undefined || reference === '') return { reference, outside: false };
  const resolved = resolvePayloadPath(base, reference);
  const roots = ctx.workspaceRoots.length > 0 ? ctx.workspaceRoots : ctx.documentPath ? [resolvePayloadPath(ctx.documentPath, '.')] : [];
  const within = (p: string) => roots.some((root) => isInside(ctx.files.realPath(root) ?? root, p) || isInside(root, p));
  if (!within(resolved)) return { reference, resolved, outside: true };
  // Follow symlinks: a link inside the workspace must not lead out of it.
  const real = ctx.files.realPath(resolved);
  if (real !== undefined && !within(real)) return { reference, resolved, outside: true };
  return { reference, resolved, outside: false, info: ctx.files.read(real ?? resolved) };
}
