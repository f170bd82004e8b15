/**
 * What an invocation asks of the user's account: the target it goes to (its own `region`,
 * `profile` and `endpoint`, as the file writes them) and the function it calls there, with the
 * qualifier it selects. The account checks, completion, hover and the lens all read an
 * invocation through here, so they agree on which facts belong to it; the server and the CLI
 * key what they remember on factsKey.
 */
import { type FunctionNameParts, checkFunctionName } from '../lambda/functionName';
import { Limits, Patterns } from '../lambda/limits';
import type { AccountFactsParams, FactsTarget } from '../protocol/accountFacts';
import type { Invocation, ParsedDocument } from './document';
import { endpointProblem } from './rules/endpoint';

/** The version or alias an invocation selects, and where it is written. */
export type SelectedQualifier =
  | { kind: 'none' }
  /** `both`: in `qualifier` and, the same, after the name. */
  | { kind: 'written'; value: string; in: 'qualifier' | 'functionName' | 'both' }
  /** Written, with a problem of its own (qualifier-invalid, qualifier-conflict, a schema error): no account check reads it. */
  | { kind: 'unusable' };

export interface AccountSubject {
  target: FactsTarget;
  /** The function name as written, qualifier and all. */
  written: string;
  /** The function as the `function` kind names it: the name or ARN as written, without its `:qualifier`. */
  functionName: string;
  parts: FunctionNameParts;
  qualifier: SelectedQualifier;
}

const TARGET_KEYS = ['region', 'profile', 'endpoint'] as const;
type TargetKey = (typeof TARGET_KEYS)[number];

/**
 * Written target values nothing can be looked up at: a region that is not a region code (yet:
 * while it is typed, each prefix would be a new target) and an endpoint the endpoint rule rejects.
 */
const UNUSABLE_TARGET: Readonly<Record<TargetKey, (value: string) => boolean>> = {
  region: (value) => !Patterns.region.test(value),
  profile: () => false,
  endpoint: (value) => endpointProblem(value) !== undefined,
};

const NO_QUALIFIER: SelectedQualifier = { kind: 'none' };
const UNUSABLE_QUALIFIER: SelectedQualifier = { kind: 'unusable' };

/**
 * The target an invocation names, or undefined when a field of it cannot be used. Blank fields
 * count as unset, as Invoke counts them. Without a `region`, the function ARN's region is the
 * target's, as Invoke takes it before the editor's selection: the catalogue to look in is that
 * region's.
 */
export function invocationTarget(invocation: Invocation, arnRegion?: string): FactsTarget | undefined {
  const target = readTarget(invocation, TARGET_KEYS);
  if (target && target.region === undefined && arnRegion !== undefined) target.region = arnRegion;
  return target;
}

/** The target without its region: where the editor's own region applies, as while a `region` is being typed. */
export function targetBesidesRegion(invocation: Invocation): FactsTarget | undefined {
  return readTarget(invocation, ['profile', 'endpoint']);
}

function readTarget(invocation: Invocation, keys: readonly TargetKey[]): FactsTarget | undefined {
  const target: FactsTarget = {};
  for (const key of keys) {
    const written = invocation.value[key];
    if (written === undefined) continue;
    if (typeof written !== 'string') return undefined;
    const value = written.trim();
    if (value === '') continue;
    if (UNUSABLE_TARGET[key](value)) return undefined;
    target[key] = value;
  }
  return target;
}

/**
 * What the invocation calls and where, when the account may be asked about it: the document is
 * valid JSON, the function name has no problem of its own, and the target is usable and agrees
 * with the ARN's region (region-mismatch says so otherwise).
 */
export function accountSubject(doc: ParsedDocument, invocation: Invocation): AccountSubject | undefined {
  return doc.syntaxErrors.length > 0 ? undefined : invocationSubject(invocation);
}

/**
 * accountSubject without the document's verdict, for completion: a value being typed often
 * leaves the document invalid for a moment, and the function named beside it is still sound.
 */
export function invocationSubject(invocation: Invocation): AccountSubject | undefined {
  const written = invocation.value.functionName;
  if (typeof written !== 'string') return undefined;
  const check = checkFunctionName(written);
  if (!check.ok) return undefined;
  const { parts } = check;
  const region = invocation.value.region;
  if (parts.region !== undefined && typeof region === 'string' && region !== '' && region !== parts.region) return undefined;
  const target = invocationTarget(invocation, parts.region);
  if (!target) return undefined;
  return { target, written, functionName: withoutQualifier(written, parts), parts, qualifier: selectedQualifier(invocation, parts) };
}

function selectedQualifier(invocation: Invocation, parts: FunctionNameParts): SelectedQualifier {
  const field = invocation.value.qualifier;
  const inName = parts.qualifier;
  if (field === undefined) return inName === undefined ? NO_QUALIFIER : { kind: 'written', value: inName, in: 'functionName' };
  if (typeof field !== 'string' || field.length > Limits.qualifierMaxLength || !Patterns.qualifier.test(field)) return UNUSABLE_QUALIFIER;
  if (inName === undefined) return { kind: 'written', value: field, in: 'qualifier' };
  return inName === field ? { kind: 'written', value: field, in: 'both' } : UNUSABLE_QUALIFIER;
}

/** Where the name part sits in the written function name: it ends where `:qualifier` starts. */
function nameSpan(written: string, parts: FunctionNameParts): [number, number] {
  const end = written.length - (parts.qualifier === undefined ? 0 : parts.qualifier.length + 1);
  return [end - parts.name.length, end];
}

/** `orders:prod` → `orders`; an ARN keeps its form: `arn:…:function:orders:prod` → `arn:…:function:orders`. */
export function withoutQualifier(written: string, parts: FunctionNameParts): string {
  return written.slice(0, nameSpan(written, parts)[1]);
}

/** The written function name with another name part, its ARN form and qualifier kept. */
export function withName(written: string, parts: FunctionNameParts, name: string): string {
  const [start, end] = nameSpan(written, parts);
  return written.slice(0, start) + name + written.slice(end);
}

/** The written function name with another qualifier after it. */
export function withQualifier(written: string, parts: FunctionNameParts, qualifier: string): string {
  return `${withoutQualifier(written, parts)}:${qualifier}`;
}

/** The facts an invocation's account checks read: the catalogue at its target, and its function's own. */
export function subjectFacts(subject: AccountSubject): AccountFactsParams[] {
  return [
    { kind: 'functions', target: subject.target },
    { kind: 'function', target: subject.target, functionName: subject.functionName },
  ];
}

/** One string per distinct fact, for a map of answers: equal targets with fields in any order give the same key. */
export function factsKey(params: AccountFactsParams): string {
  const { region, profile, endpoint } = params.target;
  return JSON.stringify([params.kind, region ?? null, profile ?? null, endpoint ?? null, params.kind === 'function' ? params.functionName : null]);
}
