/**
 * Rules against what the user's account says (account.ts runs them once facts are known, never
 * validateDocument): the function exists at the target, the qualifier is one of its versions or
 * aliases, a tenant id goes to tenant-isolated functions and to them only, a durable function is
 * called with a qualifier, and $LATEST is ready to run. All are warnings: the account may have
 * changed since it was read, and the call itself is what Lambda judges.
 */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { FunctionFacts, FactsTarget } from '../../protocol/accountFacts';
import { DiagnosticCodes as C } from '../../protocol/ids';
import { quote } from '../../lambda/format';
import { withName, withQualifier } from '../accountSubject';
import { listing, nearestListed } from '../catalogue';
import { closest, listText } from '../wording';
import { insertAfter, removeProperty, takeSuggestion } from './fixes';
import type { AccountScope, QuickFix, Report, Rule } from './rule';

/** The function's facts, once Lambda has given them. */
function factsOf(scope: AccountScope): FunctionFacts | undefined {
  return scope.function === 'not-found' ? undefined : scope.function;
}

/** `in us-west-2 for profile "dev"`: where a function was looked for, as far as the file says. */
function placeText(target: FactsTarget): string {
  return [
    target.region ? `in ${target.region}` : 'in the selected region',
    target.profile ? `for profile ${quote(target.profile)}` : undefined,
    target.endpoint ? `at ${target.endpoint}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}

function checkFunctionExists(scope: AccountScope, report: Report): void {
  const { subject, catalogue } = scope;
  // Lambda's own answer for the function outweighs a catalogue that may be older.
  if (factsOf(scope)) return;
  const absent = scope.function === 'not-found' || (catalogue !== undefined && listing(catalogue, subject.parts) === 'absent');
  if (!absent) return;
  const near = catalogue && nearestListed(catalogue, subject.parts);
  const meant = near !== undefined && near !== subject.parts.name ? near : undefined;
  report(
    scope.valueOf('functionName'),
    `Lambda has no function ${quote(subject.parts.name)} ${placeText(subject.target)}.` +
      (meant ? ` Did you mean ${quote(meant)}?` : ' Check the name, and the region and profile it is looked up with.'),
    { suggestion: meant && withName(subject.written, subject.parts, meant) },
  );
}

/** Every qualifier the function answers to. */
function qualifiersOf(facts: FunctionFacts): string[] {
  return ['$LATEST', ...(facts.versions.length > 0 ? ['$LATEST.PUBLISHED'] : []), ...facts.versions, ...facts.aliases.map((a) => a.name)];
}

/** What the function has, for a message: `$LATEST, versions 1, 2 and 3, and the aliases "prod" and "beta"`. */
function inventoryText(facts: FunctionFacts): string {
  if (facts.aliases.length === 0 && facts.versions.length === 0) return 'it has only $LATEST: no version is published and no alias made';
  const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
  const has = [
    '$LATEST',
    facts.versions.length > 0 ? `${plural(facts.versions.length, 'version', 'versions')} ${listText(facts.versions)}` : undefined,
    facts.aliases.length > 0 ? `the ${plural(facts.aliases.length, 'alias', 'aliases')} ${listText(facts.aliases.map((a) => quote(a.name)))}` : undefined,
  ].filter((part) => part !== undefined);
  // A comma before the last part keeps the lists inside apart.
  return `it has ${has.length === 2 ? has.join(' and ') : `${has.slice(0, -1).join(', ')}, and ${has[has.length - 1]}`}`;
}

/**
 * The qualifier a wrong one most likely meant: for a version number, the newest published version
 * (any other number is as near as the next one); for a name, the nearest alias or version.
 */
function nearestQualifier(qualifier: string, facts: FunctionFacts): string | undefined {
  if (/^\d+$/.test(qualifier)) return facts.versions[facts.versions.length - 1];
  return closest(qualifier, [...facts.aliases.map((a) => a.name), ...facts.versions]);
}

function checkQualifierExists(scope: AccountScope, report: Report): void {
  const facts = factsOf(scope);
  const selected = scope.subject.qualifier;
  if (!facts || selected.kind !== 'written' || qualifiersOf(facts).includes(selected.value)) return;
  const near = nearestQualifier(selected.value, facts);
  // Written twice, the fix would have to change both; the message still says what to write.
  const suggestion = near === undefined || selected.in === 'both' ? undefined : selected.in === 'qualifier' ? near : withQualifier(scope.subject.written, scope.subject.parts, near);
  report(
    scope.valueOf(selected.in === 'functionName' ? 'functionName' : 'qualifier'),
    `${quote(scope.subject.parts.name)} has no version or alias ${quote(selected.value)}: ${inventoryText(facts)}.` +
      (near !== undefined ? ` Did you mean ${quote(near)}?` : ' Publish the version or create the alias, or use one of these.'),
    { suggestion },
  );
}

function checkTenantIdGiven(scope: AccountScope, report: Report): void {
  const mode = factsOf(scope)?.configuration.tenancy;
  if (!mode || scope.invocation.properties.has('tenantId')) return;
  report(
    scope.valueOf('functionName'),
    `${quote(scope.subject.parts.name)} is tenant-isolated (${mode}): Lambda rejects a call to it without a tenant id. Add "tenantId" with the tenant to run for.`,
  );
}

function checkTenantIdAccepted(scope: AccountScope, report: Report): void {
  const facts = factsOf(scope);
  if (!facts || facts.configuration.tenancy || typeof scope.invocation.value.tenantId !== 'string') return;
  report(
    scope.valueOf('tenantId'),
    `${quote(scope.subject.parts.name)} is not tenant-isolated: Lambda takes a tenant id only for a function with tenant isolation. Remove "tenantId".`,
  );
}

function checkDurableQualified(scope: AccountScope, report: Report): void {
  const facts = factsOf(scope);
  if (!facts?.configuration.durable || scope.subject.qualifier.kind !== 'none') return;
  const newest = facts.versions[facts.versions.length - 1];
  report(
    scope.valueOf('functionName'),
    `${quote(scope.subject.parts.name)} is a durable function: Lambda invokes it only by a version, an alias or $LATEST, so that every replay of an execution runs the same code. ` +
      (newest !== undefined
        ? `Add "qualifier": "${newest}" (its newest published version) or an alias.`
        : 'Add "qualifier": "$LATEST", or publish a version and use that: $LATEST changes under a running execution.'),
    { suggestion: newest ?? '$LATEST' },
  );
}

/** What each state that cannot take an invocation means to the caller. */
const NOT_ACTIVE: Readonly<Record<string, string>> = {
  Pending: 'is still being set up (Pending): invocations fail until it is Active. Invoke it again in a moment.',
  Inactive:
    'is Inactive: it was idle long enough for Lambda to reclaim its resources, and invocations fail while Lambda restores them. Invoke it again once it is Active.',
  Failed: 'could not be set up (Failed): invocations fail. Fix what the reason says and deploy it again.',
  // The SDK's newer states; their names say that they take no invocations.
  ActiveNonInvocable: 'is active but cannot be invoked (ActiveNonInvocable): invocations fail until it can be.',
  Deactivating: 'is being deactivated (Deactivating): invocations fail.',
  Deactivated: 'is deactivated (Deactivated): invocations fail until it is activated again.',
  Deleting: 'is being deleted (Deleting): invocations fail.',
};

function checkActive(scope: AccountScope, report: Report): void {
  const configuration = factsOf(scope)?.configuration;
  const selected = scope.subject.qualifier;
  // The state read is $LATEST's: a published version or an alias has a state of its own.
  const callsLatest = selected.kind === 'none' || (selected.kind === 'written' && selected.value === '$LATEST');
  const meaning = configuration?.state !== undefined ? NOT_ACTIVE[configuration.state] : undefined;
  if (!callsLatest || meaning === undefined) return;
  const reason = configuration?.stateReason ? ` Lambda says: ${quote(configuration.stateReason, 300)}` : '';
  report(scope.valueOf('functionName'), `${quote(scope.subject.parts.name)} ${meaning}${reason}`);
}

/** Adds `"tenantId": ""` after the function name: an empty id the tenant-id-invalid error asks to fill in, rather than one that would be sent. */
const addTenantId: QuickFix = ({ doc, invocation }) => {
  const name = invocation.properties.get('functionName');
  return name && { title: 'Add "tenantId" (then fill in the tenant)', edits: [insertAfter(doc.text, name, 'tenantId', '')] };
};

/** Why each qualifier the durable fix may add is the one to add. */
const DURABLE_QUALIFIER_WHY: Readonly<Record<string, string>> = { $LATEST: 'no version is published yet' };

/** Adds the qualifier the diagnostic suggests after the function name. */
const addQualifier: QuickFix = ({ doc, invocation, data }) => {
  const name = invocation.properties.get('functionName');
  if (!name || data.suggestion === undefined) return undefined;
  const why = DURABLE_QUALIFIER_WHY[data.suggestion] ?? 'the newest published version';
  return { title: `Add "qualifier": "${data.suggestion}" (${why})`, edits: [insertAfter(doc.text, name, 'qualifier', data.suggestion)] };
};

export const ACCOUNT_RULES: readonly Rule[] = [
  { code: C.functionNotFound, severity: DiagnosticSeverity.Warning, check: { account: checkFunctionExists }, quickFix: takeSuggestion },
  { code: C.qualifierNotFound, severity: DiagnosticSeverity.Warning, check: { account: checkQualifierExists }, quickFix: takeSuggestion },
  { code: C.tenantIdRequired, severity: DiagnosticSeverity.Warning, check: { account: checkTenantIdGiven }, quickFix: addTenantId },
  {
    code: C.tenantIdNotAccepted,
    severity: DiagnosticSeverity.Warning,
    check: { account: checkTenantIdAccepted },
    quickFix: removeProperty('tenantId', 'the function is not tenant-isolated'),
  },
  { code: C.durableRequiresQualifier, severity: DiagnosticSeverity.Warning, check: { account: checkDurableQualified }, quickFix: addQualifier },
  { code: C.functionNotActive, severity: DiagnosticSeverity.Warning, check: { account: checkActive } },
];
