/**
 * Rules on what is called: the function name or ARN as Lambda's pattern and lengths take it,
 * the qualifier (version or alias), and whether the name, the qualifier and the region agree.
 */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { type DiagnosticCode, DiagnosticCodes as C } from '../../protocol/ids';
import { type FunctionNameCheck, type FunctionNameProblem, checkFunctionName } from '../../lambda/functionName';
import { Limits, Patterns } from '../../lambda/limits';
import { formatCount, quote } from '../../lambda/format';
import { badCharacter } from '../wording';
import { type Flaw, type InvocationScope, type Report, type Rule, firstFlaw } from './rule';

type ProblemKind = FunctionNameProblem['kind'];
type ProblemOf<K extends ProblemKind> = Extract<FunctionNameProblem, { kind: K }>;

/** Which code each problem of a function name is reported under, and in what words. */
const NAME_PROBLEMS: { readonly [K in ProblemKind]: { code: DiagnosticCode; message: (problem: ProblemOf<K>) => string } } = {
  empty: {
    code: C.functionNameInvalid,
    message: () => 'The function name is empty: write a name such as "my-function", or an ARN.',
  },
  'too-long': {
    code: C.functionNameInvalid,
    message: (p) => `The function name is ${formatCount(p.length)} characters; Lambda allows at most ${Limits.functionNameMaxLength}, ARN included.`,
  },
  pattern: {
    code: C.functionNameInvalid,
    message: () =>
      'Not a function name Lambda accepts. Use a name (letters, digits, -, _, .), optionally with :version or :alias, or an ARN such as arn:aws:lambda:us-west-2:123456789012:function:my-function.',
  },
  'name-too-long': {
    code: C.functionNameTooLong,
    message: (p) =>
      `The function name ${quote(p.name)} is ${p.length} characters; Lambda allows at most ${Limits.functionNamePartMaxLength}. Check for a pasted value or use the function's real name.`,
  },
};

function describeNameProblem<K extends ProblemKind>(problem: ProblemOf<K>): { code: DiagnosticCode; message: string } {
  const entry = NAME_PROBLEMS[problem.kind];
  return { code: entry.code, message: entry.message(problem) };
}

/** The function name as Lambda checks it; undefined when there is no name string to check. */
function readNameCheck({ invocation }: InvocationScope): FunctionNameCheck | undefined {
  const name = invocation.value.functionName;
  return typeof name === 'string' ? checkFunctionName(name) : undefined;
}

/** The name check, made once per invocation for the four rules that read it. */
function nameCheck(scope: InvocationScope): FunctionNameCheck | undefined {
  return scope.shared(readNameCheck);
}

/** The check for one of the codes a function name's own problems are reported under. */
function nameProblemsOf(code: DiagnosticCode): (scope: InvocationScope, report: Report) => void {
  return (scope, report) => {
    const check = nameCheck(scope);
    if (check === undefined || check.ok) return;
    const problem = describeNameProblem(check.problem);
    if (problem.code === code) report(scope.valueOf('functionName'), problem.message);
  };
}

function checkQualifierConflict(scope: InvocationScope, report: Report): void {
  const inName = nameCheck(scope)?.parts?.qualifier;
  const qualifier = scope.invocation.value.qualifier;
  if (inName !== undefined && typeof qualifier === 'string' && qualifier !== inName) {
    report(
      scope.valueOf('qualifier'),
      `The function name already selects ${quote(inName)}, but "qualifier" says ${quote(qualifier)}; Lambda rejects the call. Keep one of them.`,
    );
  }
}

function checkRegionMismatch(scope: InvocationScope, report: Report): void {
  const check = nameCheck(scope);
  const arnRegion = check?.ok ? check.parts.region : undefined;
  const region = scope.invocation.value.region;
  if (arnRegion !== undefined && typeof region === 'string' && region !== '' && region !== arnRegion) {
    report(
      scope.valueOf('region'),
      `The function's ARN is in ${arnRegion}, but "region" is ${region}: the call goes to ${region}, where this ARN does not exist. Make them agree.`,
    );
  }
}

/** What a qualifier can get wrong, its length first. */
const QUALIFIER_FLAWS: readonly Flaw<string>[] = [
  {
    applies: (q) => q.length > Limits.qualifierMaxLength,
    message: (q) => `The qualifier is ${q.length} characters; Lambda allows at most ${Limits.qualifierMaxLength}.`,
  },
  {
    applies: (q) => !Patterns.qualifier.test(q),
    message: (q) =>
      `${quote(q)} is not a version or alias: use $LATEST, $LATEST.PUBLISHED, a version number, or an alias name (letters, digits, -, _).${badCharacter(q, /[a-zA-Z0-9\-_$]/)}`,
  },
];

function checkQualifier(scope: InvocationScope, report: Report): void {
  const qualifier = scope.invocation.value.qualifier;
  if (typeof qualifier !== 'string') return;
  const message = firstFlaw(QUALIFIER_FLAWS, qualifier);
  if (message !== undefined) report(scope.valueOf('qualifier'), message);
}

export const FUNCTION_NAME_RULES: readonly Rule[] = [
  { code: C.functionNameTooLong, severity: DiagnosticSeverity.Error, check: { invocation: nameProblemsOf(C.functionNameTooLong) } },
  { code: C.functionNameInvalid, severity: DiagnosticSeverity.Error, check: { invocation: nameProblemsOf(C.functionNameInvalid) } },
  { code: C.qualifierConflict, severity: DiagnosticSeverity.Error, check: { invocation: checkQualifierConflict } },
  { code: C.regionMismatch, severity: DiagnosticSeverity.Warning, check: { invocation: checkRegionMismatch } },
  { code: C.qualifierInvalid, severity: DiagnosticSeverity.Error, check: { invocation: checkQualifier } },
];
