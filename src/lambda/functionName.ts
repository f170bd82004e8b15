/**
 * Function names as Lambda accepts them: plain names, names with a qualifier, full and
 * partial ARNs. Validation follows the service model's pattern exactly; parsing gives the
 * parts shown on hover and used by the qualifier and region checks.
 */
import { Limits, Patterns } from './limits';

export interface FunctionNameParts {
  /** `aws`, `aws-cn`, … — only for a full ARN. */
  partition?: string;
  region?: string;
  account?: string;
  /** The bare function name. */
  name: string;
  /** A version or alias written after the name (`my-function:prod`). */
  qualifier?: string;
  /** Which of the accepted forms this is. */
  form: 'name' | 'full ARN' | 'partial ARN';
}

export type FunctionNameProblem =
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number }
  | { kind: 'pattern' }
  | { kind: 'name-too-long'; name: string; length: number };

export type FunctionNameCheck =
  | { ok: true; parts: FunctionNameParts }
  | { ok: false; problem: FunctionNameProblem; parts?: FunctionNameParts };

/** Splits a function name into its parts, or undefined when it is not in any accepted form. */
export function parseFunctionName(value: string): FunctionNameParts | undefined {
  const m = Patterns.functionNameParts.exec(value);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const isFullArn = value.startsWith('arn:');
  const region = g.arnRegion ?? g.region;
  const account = g.arnAccount ?? g.account;
  const parts: FunctionNameParts = {
    name: g.name!,
    form: isFullArn ? 'full ARN' : region !== undefined || account !== undefined || g.function ? 'partial ARN' : 'name',
  };
  if (isFullArn) parts.partition = g.partition ?? '';
  if (region !== undefined) parts.region = region;
  if (account !== undefined) parts.account = account;
  if (g.qualifier !== undefined) parts.qualifier = g.qualifier;
  return parts;
}

/** Checks a function name as the service would, most fundamental problem first. */
export function checkFunctionName(value: string): FunctionNameCheck {
  if (value.length === 0) return { ok: false, problem: { kind: 'empty' } };
  if (value.length > Limits.functionNameMaxLength) {
    return { ok: false, problem: { kind: 'too-long', length: value.length } };
  }
  const parts = Patterns.functionName.test(value) ? parseFunctionName(value) : undefined;
  if (!parts) return { ok: false, problem: { kind: 'pattern' } };
  if (parts.name.length > Limits.functionNamePartMaxLength) {
    return { ok: false, problem: { kind: 'name-too-long', name: parts.name, length: parts.name.length }, parts };
  }
  return { ok: true, parts };
}
