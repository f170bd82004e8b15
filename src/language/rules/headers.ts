/**
 * Rules on the values that travel as request headers: the log type (`X-Amz-Log-Type`, which an
 * Event invocation ignores), the tenant id (`X-Amz-Tenant-Id`) and the durable execution name
 * (`X-Amz-Durable-Execution-Name`), each with the length and characters Lambda allows.
 */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { type DiagnosticCode, DiagnosticCodes as C } from '../../protocol/ids';
import { Limits, Patterns } from '../../lambda/limits';
import { formatCount } from '../../lambda/format';
import { badCharacter } from '../wording';
import { removeIgnoredProperty } from './fixes';
import { type Flaw, type InvocationScope, type Report, type Rule, firstFlaw } from './rule';

function checkLogTailOnEvent(scope: InvocationScope, report: Report): void {
  if (scope.facts.invocationType === 'Event' && scope.invocation.value.logType === 'Tail') {
    report(
      scope.keyOf('logType'),
      'Lambda returns no log for Event invocations: "logType": "Tail" has no effect here. Remove it, or use RequestResponse to see the log.',
    );
  }
}

/** A string property sent as a header, and what Lambda allows in it. */
interface HeaderValue {
  code: DiagnosticCode;
  key: string;
  /** How a message names it, at the start of a sentence. */
  label: string;
  max: number;
  pattern: RegExp;
  /** One allowed character, to find the first that is not. */
  allowed: RegExp;
  allowedText: string;
}

const HEADER_VALUES: readonly HeaderValue[] = [
  {
    code: C.tenantIdInvalid,
    key: 'tenantId',
    label: 'The tenant id',
    max: Limits.tenantIdMaxLength,
    pattern: Patterns.tenantId,
    allowed: /[a-zA-Z0-9._:/=+\-@ ]/,
    allowedText: 'letters, digits, spaces and . _ : / = + - @',
  },
  {
    code: C.durableExecutionNameInvalid,
    key: 'durableExecutionName',
    label: 'The durable execution name',
    max: Limits.durableExecutionNameMaxLength,
    pattern: Patterns.durableExecutionName,
    allowed: /[a-zA-Z0-9\-_]/,
    allowedText: 'letters, digits, - and _',
  },
];

/** What a header value can get wrong, most fundamental first. */
const HEADER_VALUE_FLAWS: readonly Flaw<{ value: string; header: HeaderValue }>[] = [
  {
    applies: ({ value }) => value.length === 0,
    message: ({ header }) => `${header.label} is empty; it needs 1 to ${header.max} characters. Remove the property or give it a value.`,
  },
  {
    applies: ({ value, header }) => value.length > header.max,
    message: ({ value, header }) => `${header.label} is ${formatCount(value.length)} characters; Lambda allows at most ${header.max}.`,
  },
  {
    applies: ({ value, header }) => !header.pattern.test(value),
    message: ({ value, header }) => `${header.label} may hold only ${header.allowedText}.${badCharacter(value, header.allowed)}`,
  },
];

function headerValueRule(header: HeaderValue): Rule {
  const check = (scope: InvocationScope, report: Report): void => {
    const value = scope.invocation.value[header.key];
    if (typeof value !== 'string') return;
    const message = firstFlaw(HEADER_VALUE_FLAWS, { value, header });
    if (message !== undefined) report(scope.valueOf(header.key), message);
  };
  return { code: header.code, severity: DiagnosticSeverity.Error, check: { invocation: check } };
}

export const HEADER_RULES: readonly Rule[] = [
  {
    code: C.asyncIgnoresLogTail,
    severity: DiagnosticSeverity.Warning,
    check: { invocation: checkLogTailOnEvent },
    quickFix: removeIgnoredProperty('logType'),
  },
  ...HEADER_VALUES.map(headerValueRule),
];
