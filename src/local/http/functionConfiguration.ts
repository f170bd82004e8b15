/**
 * What Lambda's control plane says about one of the endpoint's functions: a version's
 * `FunctionConfiguration` and an alias's `AliasConfiguration`, with the service's field names and
 * value formats (API version 2015-03-31, as @aws-sdk/client-lambda models them), filled from
 * lambda-invoke.local.json and the handler file. The handler file stands in for the deployment
 * package: its size is `CodeSize`, its SHA-256 `CodeSha256`, its modification time `LastModified`.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { resolveHandlerFile, type FunctionVersionConfig, type LocalConfig, type LocalFunctionConfig, type LogFormat } from '../config/config';
import { functionArn, LOCAL_ACCOUNT, partitionOf } from './invokeRequest';

export interface FunctionConfiguration {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly Runtime: string;
  readonly Role: string;
  readonly Handler: string;
  readonly CodeSize: number;
  readonly Description: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly LastModified: string;
  readonly CodeSha256: string;
  readonly Version: string;
  readonly Environment?: { readonly Variables: Readonly<Record<string, string>> };
  readonly TracingConfig: { readonly Mode: 'PassThrough' };
  readonly RevisionId: string;
  readonly State: 'Active';
  readonly LastUpdateStatus: 'Successful';
  readonly PackageType: 'Zip';
  readonly Architectures: readonly string[];
  readonly EphemeralStorage: { readonly Size: number };
  readonly SnapStart: { readonly ApplyOn: 'None'; readonly OptimizationStatus: 'Off' };
  readonly LoggingConfig: { readonly LogFormat: LogFormat; readonly LogGroup: string };
  readonly TenancyConfig?: { readonly TenantIsolationMode: string };
  readonly DurableConfig?: { readonly ExecutionTimeout: number; readonly RetentionPeriodInDays: number };
}

export interface AliasConfiguration {
  readonly AliasArn: string;
  readonly Name: string;
  readonly FunctionVersion: string;
  readonly Description: string;
  readonly RevisionId: string;
}

/** The deployment package, as far as the endpoint has one: the handler file. */
export interface CodeFacts {
  readonly size: number;
  /** Base64, as Lambda writes `CodeSha256`. */
  readonly sha256: string;
  readonly lastModified: Date;
}

/** Lambda's default `/tmp` size, which the endpoint does not limit. */
const EPHEMERAL_STORAGE_MB = 512;
/** The workers run on this machine, so this machine's instruction set is the function's. */
const ARCHITECTURE = process.arch === 'arm64' ? 'arm64' : 'x86_64';
const EMPTY_SHA256 = createHash('sha256').digest('base64');

/** The execution role every local function reports: the endpoint runs handlers with no AWS identity of their own. */
export function localRoleArn(region: string): string {
  return `arn:${partitionOf(region)}:iam::${LOCAL_ACCOUNT}:role/lambda-invoke-local`;
}

/** `2024-01-01T00:00:00.000+0000`: Lambda's timestamp format, not JavaScript's `…Z`. */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '+0000');
}

/** A revision id shaped like Lambda's (a UUID) that changes exactly when `parts` change. */
function revisionId(parts: unknown): string {
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
}

/**
 * Hashes by real path and stamp. Listing thousands of functions that share one handler file
 * reads it once; an edited file has a new stamp and is read again. The promise is kept, so the
 * fifty configurations of a page ask for the same file at once and it is still read once.
 */
const hashes = new Map<string, { readonly stamp: string; readonly sha256: Promise<string> }>();
/** Handler files remembered at most; past it the cache starts over (files come and go while the endpoint runs). */
const HASHES_KEPT = 10_000;

function sha256Of(file: string, stamp: string): Promise<string> {
  const cached = hashes.get(file);
  if (cached?.stamp === stamp) return cached.sha256;
  if (hashes.size >= HASHES_KEPT) hashes.clear();
  const entry = { stamp, sha256: fs.readFile(file).then((bytes) => createHash('sha256').update(bytes).digest('base64')) };
  hashes.set(file, entry);
  // A failed read is not remembered: the next request tries again.
  void entry.sha256.catch(() => hashes.get(file) === entry && hashes.delete(file));
  return entry.sha256;
}

/**
 * The code facts of a version. A handler file that is missing, or that now leads outside the
 * folder, is never read: the function reports an empty package, dated by the configuration file
 * (invoking it fails the way Lambda reports a module it cannot load).
 */
export async function codeFacts(config: LocalConfig, version: FunctionVersionConfig): Promise<CodeFacts> {
  const found = await resolveHandlerFile(config.dir, version.handler);
  if (found.kind === 'found') {
    const sha256 = await sha256Of(found.file, `${found.mtimeMs}:${found.size}`);
    // Rounded to the millisecond as fs.Stats.mtime is, so the date is the one `ls` and editors show.
    return { size: found.size, sha256, lastModified: new Date(Math.round(found.mtimeMs)) };
  }
  const configStat = await fs.stat(config.file).catch(() => undefined);
  return { size: 0, sha256: EMPTY_SHA256, lastModified: configStat?.mtime ?? new Date(0) };
}

export interface ConfigurationContext {
  /** From the request's signature scope. */
  readonly region: string;
  /** What `FunctionArn` ends with: none for the unqualified function, else the version or alias asked for. */
  readonly arnQualifier: string | undefined;
  readonly code: CodeFacts;
}

export function functionConfiguration(fn: LocalFunctionConfig, version: FunctionVersionConfig, context: ConfigurationContext): FunctionConfiguration {
  const environment = Object.keys(version.environment).length > 0 ? { Environment: { Variables: { ...version.environment } } } : {};
  const tenancy = fn.tenancy ? { TenancyConfig: { TenantIsolationMode: fn.tenancy } } : {};
  const durable = fn.durable
    ? { DurableConfig: { ExecutionTimeout: fn.durable.executionTimeoutSeconds, RetentionPeriodInDays: fn.durable.retentionPeriodDays } }
    : {};
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(context.region, fn.name, context.arnQualifier),
    Runtime: version.runtime,
    Role: localRoleArn(context.region),
    Handler: version.handler.text,
    CodeSize: context.code.size,
    Description: version.description,
    Timeout: version.timeoutSeconds,
    MemorySize: version.memoryMb,
    LastModified: lambdaTimestamp(context.code.lastModified),
    CodeSha256: context.code.sha256,
    Version: version.version,
    ...environment,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionId([version, fn.tenancy, fn.durable, context.code.sha256]),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [ARCHITECTURE],
    EphemeralStorage: { Size: EPHEMERAL_STORAGE_MB },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: version.logging.format, LogGroup: version.logging.group },
    ...tenancy,
    ...durable,
  };
}

export function aliasConfiguration(fn: LocalFunctionConfig, alias: string, region: string): AliasConfiguration {
  const target = fn.aliases.get(alias) ?? '';
  return {
    AliasArn: functionArn(region, fn.name, alias),
    Name: alias,
    FunctionVersion: target,
    // The configuration gives aliases no description; Lambda reports an empty one.
    Description: '',
    RevisionId: revisionId([fn.name, alias, target]),
  };
}
