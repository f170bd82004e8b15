/**
 * The function catalogue: what the user's account holds at a (profile, region, endpoint), read
 * with the AWS SDK's Lambda client and kept in memory for a while, for the extension (which
 * answers the language server's account-facts request from it) and for the CLI.
 *
 * Where to look is resolved exactly as for Invoke: the file's fields, then the caller's overrides
 * (the editor's selection and settings, or the CLI's flags), then the environment and the
 * profile; an ARN's region beats the overrides. An endpoint written in the file that is not this
 * machine is not read until the caller allows it. Credentials come from the SDK's providers
 * without any prompt: no MFA code provider and no browser sign-in is ever given to them, so a
 * profile that needs one is a `credentials` answer that says what to run.
 */
import { parseFunctionName } from '../../lambda/functionName';
import type { AccountFactsResult, FactsTarget } from '../../protocol/accountFacts';
import type { TargetOverrides } from '../../protocol/targetOverrides';
import { needsEndpointConfirmation, resolveTarget } from '../resolve';
import { recordingSecrets } from '../resolve/sdkClients';
import type { ResolvedTarget } from '../types';
import { controlPlaneClient, functionFacts, listFunctions } from './controlPlane';
import { ExpiringCache } from './expiringCache';
import { type Unavailable, lookupFailure } from './lookupFailures';

export interface CatalogContext {
  /** The editor's selection and settings, or the CLI's flags: below the file's own fields. */
  overrides: TargetOverrides;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Asked when the file names an endpoint that is not this machine; anything but true refuses it. */
  allowEndpoint?(endpoint: URL): boolean;
}

export interface CatalogOptions {
  /** How long facts are kept, in milliseconds (default 5 minutes). */
  lifetimeMs?: number;
  /**
   * How long a failure is kept before the service is asked again (default 30 s): a language
   * server asks on every change, and without credentials each ask would walk the whole chain.
   */
  failureLifetimeMs?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`); tests move it by hand. */
  now?: () => number;
}

const DEFAULT_LIFETIME_MS = 5 * 60_000;
const DEFAULT_FAILURE_LIFETIME_MS = 30_000;

const CANCELLED: Unavailable = { kind: 'unavailable', reason: 'unreachable', message: 'The lookup was cancelled.' };

/** What is looked up: the list, or one function by its unqualified name. */
type Subject = { kind: 'functions' } | { kind: 'function'; name: string };

export class FunctionCatalog {
  private readonly cache: ExpiringCache<AccountFactsResult>;
  private readonly lifetimeMs: number;
  private readonly failureLifetimeMs: number;
  /** Resolutions under way, per environment: identical lookups asked together read the shared files once. */
  private readonly resolving = new WeakMap<NodeJS.ProcessEnv, Map<string, Promise<ResolvedTarget>>>();

  constructor(options: CatalogOptions = {}) {
    this.cache = new ExpiringCache(options.now ?? Date.now);
    this.lifetimeMs = options.lifetimeMs ?? DEFAULT_LIFETIME_MS;
    this.failureLifetimeMs = options.failureLifetimeMs ?? DEFAULT_FAILURE_LIFETIME_MS;
  }

  /** The functions at the target: `functions` (with `truncated` past 5,000), or `unavailable`. */
  functions(target: FactsTarget, context: CatalogContext, signal?: AbortSignal): Promise<AccountFactsResult> {
    return this.lookup(target, { kind: 'functions' }, context, signal);
  }

  /**
   * One function's configuration, aliases and published versions: `function`, `not-found`, or
   * `unavailable`. `functionName` is a name, a partial or a full ARN; a qualifier is ignored.
   */
  function(target: FactsTarget, functionName: string, context: CatalogContext, signal?: AbortSignal): Promise<AccountFactsResult> {
    const parts = parseFunctionName(functionName);
    if (parts === undefined) {
      return Promise.resolve({ kind: 'unavailable', reason: 'unreachable', message: `${JSON.stringify(functionName)} is not a function name Lambda accepts: nothing was looked up.` });
    }
    const name = parts.qualifier === undefined ? functionName : functionName.slice(0, -(parts.qualifier.length + 1));
    return this.lookup(target, { kind: 'function', name }, context, signal);
  }

  /** Forgets every fact and failure: the next lookups ask the service. */
  refresh(): void {
    this.cache.clear();
  }

  private async lookup(target: FactsTarget, subject: Subject, context: CatalogContext, signal: AbortSignal | undefined): Promise<AccountFactsResult> {
    let resolved: ResolvedTarget;
    try {
      resolved = await this.resolve(target, subject.kind === 'function' ? subject.name : '', context);
    } catch (error) {
      return lookupFailure(error, undefined, []);
    }
    // No await from here to shared(): lookups that resolved together join one fetch.
    if (needsEndpointConfirmation(resolved) && context.allowEndpoint?.(resolved.endpoint) !== true) {
      return {
        kind: 'unavailable',
        reason: 'unconfirmed-endpoint',
        message: `The file names the endpoint ${resolved.endpoint.origin}, which is not this machine and has not been allowed: nothing was looked up there.`,
      };
    }
    const keys = keysOf(resolved);
    const key = subject.kind === 'functions' ? keys.list : keys.function(subject.name);
    const known = this.cache.fresh(key) ?? this.cache.fresh(keys.credentials);
    if (known !== undefined) return known;
    const generation = this.cache.generation;
    try {
      return await this.cache.shared(
        key,
        async (fetchSignal) => {
          const result = await fetchFacts(resolved, subject, fetchSignal);
          this.remember(key, keys, result, generation);
          return result;
        },
        signal,
      );
    } catch (error) {
      if (signal?.aborted) return CANCELLED;
      return lookupFailure(error, resolved, []);
    }
  }

  private remember(key: string, keys: Keys, result: AccountFactsResult, generation: number): void {
    if (result.kind === 'unavailable') {
      // A credential problem is the same for every lookup at this target: one answer serves them all.
      this.cache.store(result.reason === 'credentials' ? keys.credentials : key, result, this.failureLifetimeMs, generation);
      return;
    }
    // A function that is gone makes the cached list stale too.
    if (result.kind === 'not-found') this.cache.delete(keys.list);
    this.cache.store(key, result, this.lifetimeMs, generation);
  }

  private resolve(target: FactsTarget, functionName: string, context: CatalogContext): Promise<ResolvedTarget> {
    const env = context.env ?? process.env;
    let pending = this.resolving.get(env);
    if (pending === undefined) this.resolving.set(env, (pending = new Map<string, Promise<ResolvedTarget>>()));
    const { overrides } = context;
    const key = JSON.stringify([target.region, target.profile, target.endpoint, functionName, overrides.region, overrides.profile, overrides.endpoint]);
    const running = pending.get(key);
    if (running !== undefined) return running;
    const request = { functionName, region: target.region, profile: target.profile, endpoint: target.endpoint };
    const started = resolveTarget({ request, overrides, env });
    const waiting = pending;
    pending.set(key, started);
    const done = () => waiting.delete(key);
    started.then(done, done);
    return started;
  }
}


interface Keys {
  list: string;
  credentials: string;
  function(name: string): string;
}

/** Cache keys of a resolved (profile, region, endpoint). */
function keysOf(resolved: ResolvedTarget): Keys {
  const place = [resolved.profile, resolved.region, resolved.endpoint.href];
  return {
    list: JSON.stringify([...place, 'functions']),
    credentials: JSON.stringify([...place, 'credentials']),
    function: (name) => JSON.stringify([...place, 'function', name]),
  };
}

/** Reads the facts with a client of its own; rejects only when `signal` aborted. */
async function fetchFacts(resolved: ResolvedTarget, subject: Subject, signal: AbortSignal): Promise<AccountFactsResult> {
  // The credentials signed with, so that no message can quote them.
  const { target, secrets } = recordingSecrets(resolved);
  const client = controlPlaneClient(target);
  try {
    if (subject.kind === 'functions') {
      const { functions, truncated } = await listFunctions(client, signal);
      return truncated ? { kind: 'functions', functions, truncated } : { kind: 'functions', functions };
    }
    return { kind: 'function', facts: await functionFacts(client, subject.name, signal) };
  } catch (error) {
    if (signal.aborted) throw error;
    if ((error as { name?: unknown } | null)?.name === 'ResourceNotFoundException') return { kind: 'not-found' };
    return lookupFailure(error, resolved, secrets);
  } finally {
    client.destroy();
  }
}
