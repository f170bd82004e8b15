/**
 * Lambda's control-plane read API (API version 2015-03-31) for the endpoint's own functions:
 * ListFunctions, GetFunction, GetFunctionConfiguration, ListAliases and ListVersionsByFunction,
 * with the service's query parameters, JSON shapes, pagination and errors, so the AWS CLI, the
 * SDKs and the editor can list and look up functions without an AWS account. Each operation is
 * one entry of a table; like the service, it checks its parameters before it looks anything up,
 * and only then reads the configuration as of this request.
 *
 * Pages are cut by key, not by position: a marker holds the last key its page ended on, so a
 * listing stays whole and without repeats while lambda-invoke.local.json changes between pages.
 */
import { LATEST, type FunctionVersionConfig, type LocalConfig, type LocalFunctionConfig } from '../config/config';
import { aliasConfiguration, codeFacts, functionConfiguration, type FunctionConfiguration } from './functionConfiguration';
import { parseFunctionLabel, resolveTarget, validation, type Checked, type NamedFunction } from './invokeRequest';
import type { LambdaOperationName } from './routes';
import { failure, type ServiceFailure } from './serviceErrors';

export type ControlPlaneOperation = Exclude<LambdaOperationName, 'Invoke' | 'GetDurableExecution' | 'GetDurableExecutionHistory'>;

export interface ControlPlaneRequest {
  readonly operation: ControlPlaneOperation;
  /** The FunctionName path label, still percent-encoded; absent for ListFunctions. */
  readonly rawLabel: string | undefined;
  readonly query: URLSearchParams;
  /** From the signature scope: the region of every ARN in the answer. */
  readonly region: string;
  /** The configuration as of this request, or why there is none. */
  readonly config: () => Promise<Checked<LocalConfig>>;
}

/** The JSON body of a successful answer, or the error to send. */
export function answerControlPlane(request: ControlPlaneRequest): Promise<Checked<object>> {
  return OPERATIONS[request.operation](request);
}

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (f: ServiceFailure): Checked<never> => ({ ok: false, failure: f });

// ---------------------------------------------------------------------------------------------
// Pagination

type ListOperation = 'ListFunctions' | 'ListAliases' | 'ListVersionsByFunction';

/** MaxItems' range in the service model (MaxListItems). */
const MAX_ITEMS_RANGE = { min: 1, max: 10_000 } as const;

/**
 * Items on a page when MaxItems is absent, and the most a page holds whatever MaxItems says.
 * The API reference documents the cap of 50 for ListFunctions and ListVersionsByFunction
 * ("returns a maximum of 50 items in each response, even if you set the number higher"), and none
 * for ListAliases, where MaxItems is the limit as asked.
 */
const PAGE_SIZES: Readonly<Record<ListOperation, { readonly absent: number; readonly most: number }>> = {
  ListFunctions: { absent: 50, most: 50 },
  ListVersionsByFunction: { absent: 50, most: 50 },
  ListAliases: { absent: 50, most: MAX_ITEMS_RANGE.max },
};

interface Paging {
  /** The key the previous page ended on. */
  readonly after: string | undefined;
  readonly size: number;
}

/** An item and the key it is sorted and paged by. */
interface Keyed<T> {
  readonly key: string;
  readonly item: T;
}

function parsePaging(query: URLSearchParams, operation: ListOperation): Checked<Paging> {
  const maxItems = query.get('MaxItems') ?? undefined;
  let size = PAGE_SIZES[operation].absent;
  if (maxItems !== undefined) {
    if (!/^-?\d+$/.test(maxItems)) {
      return fail(failure('InvalidParameterValueException', `MaxItems must be a whole number from ${MAX_ITEMS_RANGE.min} to ${MAX_ITEMS_RANGE.max}, not '${maxItems}'.`));
    }
    const asked = Number(maxItems);
    if (asked < MAX_ITEMS_RANGE.min) return fail(failure('ValidationException', validation(maxItems, 'maxItems', `Member must have value greater than or equal to ${MAX_ITEMS_RANGE.min}`)));
    if (asked > MAX_ITEMS_RANGE.max) return fail(failure('ValidationException', validation(maxItems, 'maxItems', `Member must have value less than or equal to ${MAX_ITEMS_RANGE.max}`)));
    size = Math.min(asked, PAGE_SIZES[operation].most);
  }
  const marker = query.get('Marker') ?? undefined;
  if (marker === undefined) return ok({ after: undefined, size });
  const after = markerKey(marker, operation);
  if (after === undefined) {
    return fail(
      failure(
        'InvalidParameterValueException',
        `Invalid Marker '${marker}': pass the NextMarker of the previous ${operation} answer, unchanged, or no Marker to start from the first page.`,
      ),
    );
  }
  return ok({ after, size });
}

/** Opaque to callers, as Lambda's markers are: base64url of the operation and the last key. */
function makeMarker(operation: ListOperation, key: string): string {
  return Buffer.from(JSON.stringify([operation, key]), 'utf8').toString('base64url');
}

function markerKey(marker: string, operation: ListOperation): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded[0] === operation && typeof decoded[1] === 'string') return decoded[1];
  } catch {
    // Not a marker this endpoint made: refused below.
  }
  return undefined;
}

/** One page of `entries` (sorted by key); NextMarker only when more follow. */
function paginate<T>(entries: readonly Keyed<T>[], paging: Paging, operation: ListOperation): { page: T[]; nextMarker?: string } {
  const after = paging.after;
  const start = after === undefined ? 0 : firstAfter(entries, after);
  const slice = entries.slice(start, start + paging.size);
  const last = slice.at(-1);
  const more = start + slice.length < entries.length;
  return { page: slice.map((entry) => entry.item), ...(more && last ? { nextMarker: makeMarker(operation, last.key) } : {}) };
}

/** Index of the first entry whose key sorts after `key` (binary search: the entries are sorted). */
function firstAfter(entries: readonly Keyed<unknown>[], key: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.key <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}

const byKey = (a: Keyed<unknown>, b: Keyed<unknown>): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** `$LATEST` first, then published versions by number, as ListVersionsByFunction orders them. */
function versionKey(version: string): string {
  return version === LATEST ? '' : version.padStart(10, '0');
}

// ---------------------------------------------------------------------------------------------
// What the operations list

/** A version as a list shows it, and what its ARN ends with there. */
interface Listed {
  readonly fn: LocalFunctionConfig;
  readonly version: FunctionVersionConfig;
  readonly arnQualifier: string | undefined;
}

/** A function's versions in ListVersionsByFunction's order; `$LATEST` carries its qualifier in the ARN, as there. */
function versionsOf(fn: LocalFunctionConfig): Keyed<Listed>[] {
  return [fn.latest, ...fn.versions.values()]
    .map((version) => ({ key: versionKey(version.version), item: { fn, version, arnQualifier: version.version } }))
    .sort(byKey);
}

/** Sorted once per configuration: a listing of thousands of functions pages through the same array. */
const sortedFunctions = new WeakMap<LocalConfig, { readonly latest: Keyed<Listed>[]; readonly all: Keyed<Listed>[] }>();

/** ListFunctions' entries: each function's `$LATEST` (unqualified ARN), or with FunctionVersion=ALL every version. */
function functionEntries(config: LocalConfig, allVersions: boolean): readonly Keyed<Listed>[] {
  let sorted = sortedFunctions.get(config);
  if (!sorted) {
    const functions = [...config.functions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sorted = {
      latest: functions.map((fn) => ({ key: fn.name, item: { fn, version: fn.latest, arnQualifier: undefined } })),
      // NUL sorts before every character a name may hold, so each function's versions stay together, in name order.
      all: functions.flatMap((fn) => versionsOf(fn).map((entry) => ({ key: `${fn.name}\0${entry.key}`, item: entry.item }))),
    };
    sortedFunctions.set(config, sorted);
  }
  return allVersions ? sorted.all : sorted.latest;
}

async function configurationOf(config: LocalConfig, listed: Listed, region: string): Promise<FunctionConfiguration> {
  return functionConfiguration(listed.fn, listed.version, { region, arnQualifier: listed.arnQualifier, code: await codeFacts(config, listed.version) });
}

// ---------------------------------------------------------------------------------------------
// The operations

/** The function a per-function operation names, found in the configuration, with the version it selects. */
async function namedVersion(
  request: ControlPlaneRequest,
  named: NamedFunction,
): Promise<Checked<{ config: LocalConfig; fn: LocalFunctionConfig; version: FunctionVersionConfig }>> {
  const config = await request.config();
  if (!config.ok) return config;
  const version = resolveTarget(config.value, named, request.region);
  if (!version.ok) return version;
  return ok({ config: config.value, fn: config.value.functions.get(named.functionName)!, version: version.value });
}

/** The configuration of the version (or alias) a GetFunction or GetFunctionConfiguration request names; the ARN keeps the qualifier asked for. */
async function namedConfiguration(request: ControlPlaneRequest): Promise<Checked<FunctionConfiguration>> {
  const named = parseFunctionLabel(request.rawLabel ?? '', request.query);
  if (!named.ok) return named;
  const found = await namedVersion(request, named.value);
  if (!found.ok) return found;
  const { config, fn, version } = found.value;
  return ok(await configurationOf(config, { fn, version, arnQualifier: named.value.qualifier }, request.region));
}

/** For ListAliases and ListVersionsByFunction, which take the function itself: no version or alias, no Qualifier. */
function unqualifiedFunction(request: ControlPlaneRequest): Checked<NamedFunction> {
  const named = parseFunctionLabel(request.rawLabel ?? '', new URLSearchParams());
  if (!named.ok || named.value.qualifier === undefined) return named;
  return fail(
    failure(
      'InvalidParameterValueException',
      `${request.operation} takes a function, not one of its versions or aliases ("${named.value.qualifier}"): give ${named.value.functionName} by name or by unqualified ARN.`,
    ),
  );
}

/** A version as the model writes it (Version shape): `$LATEST` or digits. */
const VERSION = /^(?:\$LATEST|[0-9]+)$/;
const VERSION_MAX_LENGTH = 1024;

/** ListFunctions' FunctionVersion and ListAliases' FunctionVersion, checked against their model shapes. */
function checkFunctionVersion(value: string | undefined, accepts: 'ALL' | 'version'): ServiceFailure | undefined {
  if (value === undefined) return undefined;
  if (accepts === 'ALL') {
    return value === 'ALL' ? undefined : failure('ValidationException', validation(value, 'functionVersion', 'Member must satisfy enum value set: [ALL]'));
  }
  if (value.length < 1 || value.length > VERSION_MAX_LENGTH) {
    return failure('ValidationException', validation(value, 'functionVersion', `Member must have length between 1 and ${VERSION_MAX_LENGTH}`));
  }
  return VERSION.test(value) ? undefined : failure('ValidationException', validation(value, 'functionVersion', 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)'));
}

const OPERATIONS: Readonly<Record<ControlPlaneOperation, (request: ControlPlaneRequest) => Promise<Checked<object>>>> = {
  async ListFunctions(request) {
    const functionVersion = request.query.get('FunctionVersion') ?? undefined;
    const badVersion = checkFunctionVersion(functionVersion, 'ALL');
    if (badVersion) return fail(badVersion);
    const masterRegion = request.query.get('MasterRegion') ?? undefined;
    if (masterRegion !== undefined && functionVersion === undefined) {
      return fail(failure('InvalidParameterValueException', 'MasterRegion lists Lambda@Edge replicas and needs FunctionVersion=ALL: add it, or leave MasterRegion out.'));
    }
    const paging = parsePaging(request.query, 'ListFunctions');
    if (!paging.ok) return paging;
    const config = await request.config();
    if (!config.ok) return config;
    // MasterRegion keeps only Lambda@Edge replicas, and no local function is one.
    const entries = masterRegion !== undefined ? [] : functionEntries(config.value, functionVersion === 'ALL');
    const { page, nextMarker } = paginate(entries, paging.value, 'ListFunctions');
    const functions = await Promise.all(page.map((listed) => configurationOf(config.value, listed, request.region)));
    return ok({ Functions: functions, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  },

  async GetFunction(request) {
    const configuration = await namedConfiguration(request);
    if (!configuration.ok) return configuration;
    // No download Location: the code is the handler file in the served folder, not a package in S3.
    return ok({ Configuration: configuration.value, Code: { RepositoryType: 'S3' } });
  },

  GetFunctionConfiguration: namedConfiguration,

  async ListAliases(request) {
    const named = unqualifiedFunction(request);
    if (!named.ok) return named;
    const functionVersion = request.query.get('FunctionVersion') ?? undefined;
    const badVersion = checkFunctionVersion(functionVersion, 'version');
    if (badVersion) return fail(badVersion);
    const paging = parsePaging(request.query, 'ListAliases');
    if (!paging.ok) return paging;
    const found = await namedVersion(request, named.value);
    if (!found.ok) return found;
    const { fn } = found.value;
    const entries = [...fn.aliases]
      .filter(([, target]) => functionVersion === undefined || target === functionVersion)
      .map(([alias]) => ({ key: alias, item: alias }))
      .sort(byKey);
    const { page, nextMarker } = paginate(entries, paging.value, 'ListAliases');
    return ok({ Aliases: page.map((alias) => aliasConfiguration(fn, alias, request.region)), ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  },

  async ListVersionsByFunction(request) {
    const named = unqualifiedFunction(request);
    if (!named.ok) return named;
    const paging = parsePaging(request.query, 'ListVersionsByFunction');
    if (!paging.ok) return paging;
    const found = await namedVersion(request, named.value);
    if (!found.ok) return found;
    const { config, fn } = found.value;
    const { page, nextMarker } = paginate(versionsOf(fn), paging.value, 'ListVersionsByFunction');
    const versions = await Promise.all(page.map((listed) => configurationOf(config, listed, request.region)));
    return ok({ Versions: versions, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  },
};
