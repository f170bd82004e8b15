/**
 * Every diagnostic rule, in one table: each code of DiagnosticCodes (src/protocol/ids.ts) exactly
 * once, with its severity, its check and its quick fix. The order is the order in which an
 * invocation's diagnostics are reported; the account rules come last, as their diagnostics
 * follow the others in a publication. README's table of diagnostic codes lists the same codes
 * and severities; test/unit/rulesTable.test.ts holds the three together.
 */
import type { Rule } from './rule';
import { STRUCTURE_RULES } from './structure';
import { FUNCTION_NAME_RULES } from './functionName';
import { PAYLOAD_RULES } from './payload';
import { CLIENT_CONTEXT_RULES } from './clientContext';
import { HEADER_RULES } from './headers';
import { ENDPOINT_RULES } from './endpoint';
import { ACCOUNT_RULES } from './account';

export type { DiagnosticData, Rule } from './rule';

export const RULES: readonly Rule[] = [
  ...STRUCTURE_RULES,
  ...FUNCTION_NAME_RULES,
  ...PAYLOAD_RULES,
  ...CLIENT_CONTEXT_RULES,
  ...HEADER_RULES,
  ...ENDPOINT_RULES,
  ...ACCOUNT_RULES,
];

const RULES_BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.code, rule]));

/** The rule of a diagnostic's code; undefined for a code that is not ours. */
export function ruleFor(code: unknown): Rule | undefined {
  return typeof code === 'string' ? RULES_BY_CODE.get(code) : undefined;
}
