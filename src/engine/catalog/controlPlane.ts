/**
 * The Lambda control-plane reads behind the function catalogue, made with the AWS SDK's own
 * client: the function list (ListFunctions, page after page up to a bound), and one function's
 * configuration, aliases and published versions, mapped to the plain shapes of
 * src/protocol/accountFacts.ts. Reads only: the SDK's own retries apply.
 */
import {
  type AliasConfiguration,
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import type { AliasFact, FunctionConfigurationFacts, FunctionFacts, FunctionSummary } from '../../protocol/accountFacts';
import { type SdkTarget, buildQuietly, sdkClientConfig } from '../resolve/sdkClients';

/** Items asked per page: the most ListFunctions returns in one answer, whatever MaxItems says. */
export const PAGE_SIZE = 50;
/**
 * Pages followed at most for one list: 100 pages of 50 are 5,000 functions. An account with more
 * gets the first 5,000 and `truncated: true` rather than a wait of minutes for every lookup.
 */
export const MAX_PAGES = 100;

/** Where and as whom the reads go, as resolution found them. */
export type ControlPlaneTarget = SdkTarget;

/** One client for one fetch; the caller destroys it, which closes its connections. */
export function controlPlaneClient(target: ControlPlaneTarget): LambdaClient {
  return buildQuietly(() => new LambdaClient(sdkClientConfig(target)));
}

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

/** Follows Marker/NextMarker for at most `maxPages` pages (MAX_PAGES unless said). */
export async function allPages<T>(fetchPage: (marker: string | undefined) => Promise<Page<T>>, maxPages = MAX_PAGES): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let marker: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await fetchPage(marker);
    items.push(...answer.items);
    marker = answer.nextMarker;
    if (!marker) return { items, truncated: false };
  }
  return { items, truncated: true };
}

/** The functions at the target ($LATEST of each, as ListFunctions lists them by default). */
export async function listFunctions(client: LambdaClient, signal: AbortSignal): Promise<{ functions: FunctionSummary[]; truncated: boolean }> {
  const { items, truncated } = await allPages(async (Marker) => {
    const answer = await client.send(new ListFunctionsCommand({ Marker, MaxItems: PAGE_SIZE }), { abortSignal: signal });
    return { items: (answer.Functions ?? []).map(summaryOf), nextMarker: answer.NextMarker };
  });
  return { functions: items, truncated };
}

/**
 * Reads started together, each with `options` (one abort signal of their own, following
 * `signal`). When one fails the others are aborted and awaited: nothing of a lookup is still
 * sent, or retried by the SDK, once it has answered.
 */
export async function readTogether<T extends readonly unknown[]>(
  signal: AbortSignal | undefined,
  start: (options: { abortSignal: AbortSignal }) => { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const siblings = new AbortController();
  const abort = () => siblings.abort();
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) siblings.abort();
  const reads = start({ abortSignal: siblings.signal });
  try {
    return await Promise.all(reads);
  } catch (error) {
    siblings.abort();
    await Promise.allSettled(reads);
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/** One function's configuration ($LATEST), its aliases and its published versions, read at once. */
export async function functionFacts(client: LambdaClient, functionName: string, signal: AbortSignal): Promise<FunctionFacts> {
  const [c, a, v] = await readTogether<[FunctionConfiguration, { items: AliasFact[] }, { items: string[] }]>(signal, (options) => [
    client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }), options),
    allPages(async (Marker) => {
      const answer = await client.send(new ListAliasesCommand({ FunctionName: functionName, Marker, MaxItems: PAGE_SIZE }), options);
      return { items: (answer.Aliases ?? []).map(aliasOf), nextMarker: answer.NextMarker };
    }),
    allPages(async (Marker) => {
      const answer = await client.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker, MaxItems: PAGE_SIZE }), options);
      return { items: (answer.Versions ?? []).map((v) => v.Version ?? ''), nextMarker: answer.NextMarker };
    }),
  ]);
  return { configuration: configurationOf(c), aliases: a.items, versions: publishedInOrder(v.items) };
}

/** The object without its undefined and empty-string fields: the facts are plain JSON, and Lambda sends "" for "none". */
export function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

function summaryOf(f: FunctionConfiguration): FunctionSummary {
  return present({ name: f.FunctionName ?? '', arn: f.FunctionArn ?? '', runtime: f.Runtime, description: f.Description });
}

function aliasOf(a: AliasConfiguration): AliasFact {
  return present({ name: a.Name ?? '', version: a.FunctionVersion ?? '', description: a.Description });
}

function configurationOf(c: FunctionConfiguration): FunctionConfigurationFacts {
  const name = c.FunctionName ?? '';
  const durable = c.DurableConfig && present({ executionTimeoutSeconds: c.DurableConfig.ExecutionTimeout, retentionPeriodDays: c.DurableConfig.RetentionPeriodInDays });
  return present({
    name,
    arn: c.FunctionArn ?? '',
    runtime: c.Runtime,
    handler: c.Handler,
    description: c.Description,
    architectures: c.Architectures,
    memoryMb: c.MemorySize,
    timeoutSeconds: c.Timeout,
    ephemeralStorageMb: c.EphemeralStorage?.Size,
    state: c.State,
    stateReason: c.StateReason,
    lastModified: c.LastModified,
    codeSize: c.CodeSize,
    // Lambda's default when the function names no log group of its own.
    logGroup: c.LoggingConfig?.LogGroup || `/aws/lambda/${name}`,
    logFormat: c.LoggingConfig?.LogFormat,
    tenancy: c.TenancyConfig?.TenantIsolationMode,
    durable,
  });
}

/** Published version numbers, oldest first: `$LATEST` (and anything not a number) left out. */
function publishedInOrder(versions: string[]): string[] {
  return versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b));
}
