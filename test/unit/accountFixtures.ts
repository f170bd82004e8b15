/**
 * A fake account for the account features' tests: a catalogue of functions at one target, each
 * function's facts, and an AccountFactsLookup that answers from them as the extension would (a
 * function it does not hold is `not-found`), or says nothing for what it was not given. The
 * language server tests answer lambdaInvoke/accountFacts from the same account.
 */
import type { AccountFactsLookup } from '../../src/language/account';
import { factsKey } from '../../src/language/accountSubject';
import type {
  AccountFactsParams,
  AccountFactsResult,
  FactsTarget,
  FunctionConfigurationFacts,
  FunctionFacts,
  FunctionSummary,
} from '../../src/protocol/accountFacts';
import { parseFunctionName } from '../../src/lambda/functionName';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-west-2';

export function arnOf(name: string, region = REGION, account = ACCOUNT_ID): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

/** A function's facts: Active, nodejs, 3 s, with the given configuration, aliases and versions on top. */
export function functionFacts(name: string, configuration: Partial<FunctionConfigurationFacts> = {}, more: Partial<Omit<FunctionFacts, 'configuration'>> = {}): FunctionFacts {
  return {
    configuration: {
      name,
      arn: arnOf(name),
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      architectures: ['arm64'],
      memoryMb: 128,
      timeoutSeconds: 3,
      ephemeralStorageMb: 512,
      state: 'Active',
      lastModified: '2025-11-30T10:00:00.000+0000',
      codeSize: 2150,
      logGroup: `/aws/lambda/${name}`,
      logFormat: 'JSON',
      ...configuration,
    },
    aliases: more.aliases ?? [],
    versions: more.versions ?? [],
  };
}

/** The sample account's functions, by name. */
export const FUNCTIONS: Readonly<Record<string, FunctionFacts>> = {
  'orders-service': functionFacts('orders-service', { description: 'Takes orders | pays', timeoutSeconds: 30, memoryMb: 1024 }, {
    aliases: [
      { name: 'prod', version: '3', description: 'What customers call' },
      { name: 'staging', version: '4' },
    ],
    versions: ['1', '2', '3', '4'],
  }),
  billing: functionFacts('billing', { runtime: 'python3.13' }),
  'tenant-api': functionFacts('tenant-api', { tenancy: 'PER_TENANT' }, { versions: ['1'] }),
  workflow: functionFacts('workflow', { durable: { executionTimeoutSeconds: 86_400, retentionPeriodDays: 14 } }, { versions: ['1', '2', '7'] }),
  'new-workflow': functionFacts('new-workflow', { durable: {} }),
  broken: functionFacts('broken', { state: 'Failed', stateReason: 'The role defined for the function cannot be assumed by Lambda.' }),
};

export function summaryOf(facts: FunctionFacts): FunctionSummary {
  const c = facts.configuration;
  return { name: c.name, arn: c.arn, runtime: c.runtime, description: c.description };
}

export const CATALOGUE: readonly FunctionSummary[] = Object.values(FUNCTIONS).map(summaryOf);

/** What a fake account answers, and where. */
export interface FakeAccount {
  /** Where the catalogue is (default: a file that names no target). */
  target?: FactsTarget;
  /** Default: CATALOGUE; undefined when only the catalogue is unknown. */
  catalogue?: readonly FunctionSummary[] | 'unknown';
  truncated?: boolean;
  /** The functions' own facts (default: FUNCTIONS); `unknown` when they are not known yet. */
  functions?: Readonly<Record<string, FunctionFacts>> | 'unknown';
  /** Every answer is this instead. */
  everything?: AccountFactsResult;
}

/** The answer the fake account gives to one request, or undefined for a target it knows nothing of. */
export function answer(account: FakeAccount, params: AccountFactsParams): AccountFactsResult | undefined {
  if (account.everything) return account.everything;
  if (factsKey({ kind: 'functions', target: params.target }) !== factsKey({ kind: 'functions', target: account.target ?? {} })) return undefined;
  if (params.kind === 'functions') {
    const catalogue = account.catalogue ?? CATALOGUE;
    return catalogue === 'unknown' ? undefined : { kind: 'functions', functions: [...catalogue], truncated: account.truncated };
  }
  const functions = account.functions ?? FUNCTIONS;
  if (functions === 'unknown') return undefined;
  const name = parseFunctionName(params.functionName)?.name;
  const facts = name === undefined ? undefined : functions[name];
  return facts ? { kind: 'function', facts } : { kind: 'not-found' };
}

/** The fake account as the language service reads it. */
export function lookupOf(account: FakeAccount = {}): AccountFactsLookup {
  return {
    functions: (target) => answer(account, { kind: 'functions', target }),
    function: (target, functionName) => answer(account, { kind: 'function', target, functionName }),
  };
}

/** An account that knows nothing yet. */
export const NOTHING_KNOWN: AccountFactsLookup = { functions: () => undefined, function: () => undefined };
