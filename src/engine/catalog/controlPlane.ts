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
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AliasFact, FunctionConfigurationFacts, FunctionFacts, FunctionSummary } from '../../protocol/accountFacts';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../transport';

/** Items asked per page: the most ListFunctions returns in one answer, whatever MaxItems says. */
export const PAGE_SIZE = 50;
/**
 * Pages followed at most for one list: 100 pages of 50 are 5,000 functions. An account with more
 * gets the first 5,000 and `truncated: true` rather than a wait of minutes for every lookup.
 */
export const MAX_PAGES = 100;
/** A read that stays silent this long is given up (the SDK then retries it). */
const READ_TIMEOUT_MS = 30_000;

/** Where and as whom the reads go, as resolution found them. */
export interface ControlPlaneTarget {
  region: string;
  endpoint: URL;
  credentials: AwsCredentialIdentityProvider;
}

/** The SDK's documented opt-out of its warning that its releases after January 2027 need Node 22. */
const NODE_VERSION_WARNING_OPT_OUT = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * One client for one fetch; the caller destroys it, which closes its connections. This project
 * supports Node 20, so the SDK's warning about future Node versions would only be noise on the
 * CLI's stderr and in the extension host's console: the opt-out is set while the client is built
 * (the only moment the SDK reads it), then the environment is as it was.
 */
export function controlPlaneClient(target: ControlPlaneTarget): LambdaClient {
  const before = process.env[NODE_VERSION_WARNING_OPT_OUT];
  process.env[NODE_VERSION_WARNING_OPT_OUT] = 'true';
  try {
    return newClient(target);
  } finally {
    if (before === undefined) delete process.env[NODE_VERSION_WARNING_OPT_OUT];
    else process.env[NODE_VERSION_WARNING_OPT_OUT] = before;
  }
}

function newClient(target: ControlPlaneTarget): LambdaClient {
  return new LambdaClient({
    region: target.region,
    // Always the resolved endpoint, standard or not: the SDK's own endpoint lookup reads other
    // sources (AWS_PROFILE's profile only) and must not undo the precedence resolution applied.
    endpoint: target.endpoint.href,
    credentials: target.credentials,
    // The SDK waits for a connection without limit by default; a blackholed host must not hang a lookup.
    requestHandler: { connectionTimeout: DEFAULT_CONNECT_TIMEOUT_MS, requestTimeout: READ_TIMEOUT_MS },
  });
}

interface Page<T> {
  items: T[];
  nextMarker?: string;
}

/** Follows Marker/NextMarker for at most MAX_PAGES pages. */
async function allPages<T>(fetchPage: (marker: string | undefined) => Promise<Page<T>>): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
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
 * One function's configuration ($LATEST), its aliases and its published versions, read at once.
 * When one read fails the others are aborted and awaited: nothing of this lookup is still sent,
 * or retried by the SDK, once it has answered.
 */
export async function functionFacts(client: LambdaClient, functionName: string, signal: AbortSignal): Promise<FunctionFacts> {
  const siblings = new AbortController();
  const abort = () => siblings.abort();
  signal.addEventListener('abort', abort, { once: true });
  const options = { abortSignal: siblings.signal };
  const configuration = client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }), options);
  const aliases = allPages(async (Marker) => {
    const answer = await client.send(new ListAliasesCommand({ FunctionName: functionName, Marker, MaxItems: PAGE_SIZE }), options);
    return { items: (answer.Aliases ?? []).map(aliasOf), nextMarker: answer.NextMarker };
  });
  const versions = allPages(async (Marker) => {
    const answer = await client.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker, MaxItems: PAGE_SIZE }), options);
    return { items: (answer.Versions ?? []).map((v) => v.Version ?? ''), nextMarker: answer.NextMarker };
  });
  try {
    const [c, a, v] = await Promise.all([configuration, aliases, versions]);
    return { configuration: configurationOf(c), aliases: a.items, versions: publishedInOrder(v.items) };
  } catch (error) {
    siblings.abort();
    await Promise.allSettled([configuration, aliases, versions]);
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

/** The object without its undefined and empty-string fields: the facts are plain JSON, and Lambda sends "" for "none". */
function present<T extends object>(value: T): T {
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
