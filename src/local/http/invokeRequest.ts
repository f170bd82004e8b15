/**
 * What an HTTP request asks the local endpoint to do, checked the way Lambda checks an Invoke
 * request: route, function name, qualifier, invocation and log type, client context, tenant id,
 * body size and payload, the function the name and qualifier point at, and what that function's
 * tenancy and durability demand of the call. Each problem comes back as the error Lambda answers
 * with, worded like the service's. Pure: request parts in, parameters or a `ServiceFailure` out.
 * The control plane (controlPlane.ts) names functions the same way, with `parseFunctionLabel`.
 */
import { checkFunctionName } from '../../lambda/functionName';
import { decodeClientContext } from '../../lambda/clientContext';
import { DEFAULT_INVOCATION_TYPE, DEFAULT_LOG_TYPE, INVOCATION_TYPES, LOG_TYPES, type InvocationType } from '../../lambda/invocationTypes';
import { Limits, Patterns, payloadLimit } from '../../lambda/limits';
import { CONFIG_FILE_NAME, findFunctionVersion, LATEST, type FunctionVersionConfig, type LocalConfig, type LocalFunctionConfig } from '../config/config';
import { routeRequest, unknownOperation } from './routes';
import { failure, type ServiceFailure } from './serviceErrors';

/** The account in every ARN the endpoint makes up. */
export const LOCAL_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/** The largest response body Lambda returns from a synchronous invocation. */
export const RESPONSE_PAYLOAD_LIMIT = 6_291_556;

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ServiceFailure };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (f: ServiceFailure): Checked<never> => ({ ok: false, failure: f });

/** The parts of a request the checks look at. Header names are lower-case. */
export interface RequestHead {
  readonly method: string;
  /** The path as received, still percent-encoded. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export type LogType = 'None' | 'Tail';

export interface InvokeParameters extends NamedFunction {
  readonly invocationType: InvocationType;
  readonly logType: LogType;
  readonly clientContext: Record<string, unknown> | undefined;
  /** `X-Amz-Tenant-Id`, when sent. */
  readonly tenantId?: string;
  /** `X-Amz-Durable-Execution-Name`, when sent. */
  readonly durableExecutionName?: string;
}

const TENANT_ID_HEADER = 'x-amz-tenant-id';
const DURABLE_EXECUTION_NAME_HEADER = 'x-amz-durable-execution-name';

/** Accepted values of the enum headers, in the service model's order. */
const HEADER_ENUMS = {
  invocationType: { header: 'x-amz-invocation-type', values: INVOCATION_TYPES, fallback: DEFAULT_INVOCATION_TYPE },
  logType: { header: 'x-amz-log-type', values: LOG_TYPES, fallback: DEFAULT_LOG_TYPE },
} as const;

/** The body limit for a request, from its (possibly invalid) invocation type header. */
export function bodyLimitFor(headers: Readonly<Record<string, string | undefined>>): number {
  return headers[HEADER_ENUMS.invocationType.header] === 'Event' ? payloadLimit('Event') : payloadLimit('RequestResponse');
}

/** 413 as Lambda's front door sends it, when the body is over the limit. */
export function checkBodySize(headers: Readonly<Record<string, string | undefined>>, bodyBytes: number): ServiceFailure | undefined {
  const limit = bodyLimitFor(headers);
  if (bodyBytes <= limit) return undefined;
  return failure('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
}

export function parseInvokeRequest(head: RequestHead): Checked<InvokeParameters> {
  const routed = routeRequest(head.method, head.rawPath);
  if (!routed.ok) return fail(routed.failure);
  if (routed.value.operation !== 'Invoke' || routed.value.rawLabel === undefined) return fail(unknownOperation(head.method, head.rawPath));
  const target = parseFunctionLabel(routed.value.rawLabel, head.query);
  if (!target.ok) return target;

  const invocationType = headerEnum(head, 'invocationType');
  if (!invocationType.ok) return invocationType;
  const logType = headerEnum(head, 'logType');
  if (!logType.ok) return logType;

  const clientContext = parseClientContext(head.headers['x-amz-client-context']);
  if (!clientContext.ok) return clientContext;

  const tenantId = checkedHeader(head.headers[TENANT_ID_HEADER], 'tenantId', Limits.tenantIdMaxLength, Patterns.tenantId);
  if (!tenantId.ok) return tenantId;

  const durableExecutionName = checkedHeader(head.headers[DURABLE_EXECUTION_NAME_HEADER], 'durableExecutionName', Limits.durableExecutionNameMaxLength, Patterns.durableExecutionName);
  if (!durableExecutionName.ok) return durableExecutionName;

  return ok({
    ...target.value,
    invocationType: invocationType.value as InvocationType,
    logType: logType.value as LogType,
    clientContext: clientContext.value,
    ...(tenantId.value !== undefined ? { tenantId: tenantId.value } : {}),
    ...(durableExecutionName.value !== undefined ? { durableExecutionName: durableExecutionName.value } : {}),
  });
}

/** A function named in a path label and, maybe, a `Qualifier` query: the bare name and the one qualifier. */
export interface NamedFunction {
  /** The bare function name. */
  readonly functionName: string;
  /** The qualifier from the name or the `Qualifier` query, whichever was given. */
  readonly qualifier: string | undefined;
}

/**
 * The FunctionName label (still percent-encoded) and the `Qualifier` query checked as Lambda
 * checks them: every name form (name, name:qualifier, partial and full ARN), the qualifier's
 * constraints, and one qualifier at most.
 */
export function parseFunctionLabel(rawLabel: string, query: URLSearchParams): Checked<NamedFunction> {
  let label: string;
  try {
    label = decodeURIComponent(rawLabel);
  } catch {
    return fail(failure('ValidationException', `The function name in the path is not valid percent-encoding: ${rawLabel}. Encode it once with encodeURIComponent.`));
  }

  const name = checkFunctionName(label);
  if (!name.ok) return fail(failure('ValidationException', functionNameMessage(label, name.problem.kind)));

  const queryQualifier = query.get('Qualifier') ?? undefined;
  if (queryQualifier !== undefined) {
    if (queryQualifier.length < 1 || queryQualifier.length > Limits.qualifierMaxLength) {
      return fail(failure('ValidationException', validation(queryQualifier, 'qualifier', `Member must have length between 1 and ${Limits.qualifierMaxLength}`)));
    }
    if (!Patterns.qualifier.test(queryQualifier)) {
      return fail(failure('ValidationException', validation(queryQualifier, 'qualifier', 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)')));
    }
  }
  const nameQualifier = name.parts.qualifier;
  if (nameQualifier !== undefined && queryQualifier !== undefined && nameQualifier !== queryQualifier) {
    return fail(
      failure(
        'InvalidParameterValueException',
        `The derived qualifier from the function name does not match the specified qualifier. The name says "${nameQualifier}", Qualifier says "${queryQualifier}": give the qualifier in one place only.`,
      ),
    );
  }
  return ok({ functionName: name.parts.name, qualifier: nameQualifier ?? queryQualifier });
}

/** A string header checked against its model member's length and pattern (the front door's ValidationException). */
function checkedHeader(header: string | undefined, member: string, maxLength: number, pattern: RegExp): Checked<string | undefined> {
  if (header === undefined) return ok(undefined);
  if (header.length < 1 || header.length > maxLength) {
    return fail(failure('ValidationException', validation(header, member, `Member must have length between 1 and ${maxLength}`)));
  }
  if (!pattern.test(header)) {
    // The model's pattern, without the anchors Patterns wraps it in.
    return fail(failure('ValidationException', validation(header, member, `Member must satisfy regular expression pattern: ${pattern.source.slice(4, -2)}`)));
  }
  return ok(header);
}

function headerEnum(head: RequestHead, which: keyof typeof HEADER_ENUMS): Checked<string> {
  const spec = HEADER_ENUMS[which];
  const value = head.headers[spec.header];
  if (value === undefined) return ok(spec.fallback);
  if ((spec.values as readonly string[]).includes(value)) return ok(value);
  return fail(
    failure('InvalidParameterValueException', validation(value, which, `Member must satisfy enum value set: [${spec.values.join(', ')}]`)),
  );
}

function parseClientContext(header: string | undefined): Checked<Record<string, unknown> | undefined> {
  if (header === undefined || header === '') return ok(undefined);
  const limit = Limits.clientContextBase64Bytes;
  if (Buffer.byteLength(header, 'utf8') > limit) {
    return fail(
      failure(
        'InvalidRequestContentException',
        `Client context must be at most ${limit} bytes of base64; this one is ${Buffer.byteLength(header, 'utf8')}. Shorten the client context object.`,
      ),
    );
  }
  const decoded = decodeClientContext(header);
  if (!decoded.ok) return fail(failure('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.'));
  return ok(decoded.value);
}

/** The event text for the worker: the body as sent, `{}` when it is empty. */
export function parsePayload(body: Buffer): Checked<string> {
  if (body.length === 0) return ok('{}');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return fail(payloadError('the body is not valid UTF-8'));
  }
  try {
    JSON.parse(text);
  } catch (e) {
    return fail(payloadError((e as Error).message));
  }
  return ok(text);
}

function payloadError(reason: string): ServiceFailure {
  return failure(
    'InvalidRequestContentException',
    `Could not parse request body into json: ${reason}. Send one JSON value as the payload (an empty body reaches the function as {}).`,
  );
}

/** The standard AWS wording for a value outside a member's constraints. */
export function validation(value: string, member: string, constraint: string): string {
  return `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`;
}

const FUNCTION_NAME_CONSTRAINTS: Readonly<Record<string, string>> = {
  empty: 'Member must have length greater than or equal to 1',
  'too-long': `Member must have length less than or equal to ${Limits.functionNameMaxLength}`,
  'name-too-long': `Member must name a function of at most ${Limits.functionNamePartMaxLength} characters`,
  pattern: `Member must satisfy regular expression pattern: ${Patterns.functionName.source.slice(4, -2)}`,
};

function functionNameMessage(value: string, problem: string): string {
  return validation(value, 'functionName', FUNCTION_NAME_CONSTRAINTS[problem] ?? 'Member is not a function name');
}

/** The partition of a region, for ARNs. */
const PARTITION_BY_REGION_PREFIX: readonly (readonly [RegExp, string])[] = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-iso-/, 'aws-iso'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^eusc-/, 'aws-eusc'],
];

export function partitionOf(region: string): string {
  return PARTITION_BY_REGION_PREFIX.find(([prefix]) => prefix.test(region))?.[1] ?? 'aws';
}

/** `arn:aws:lambda:us-east-1:000000000000:function:hello[:qualifier]`. */
export function functionArn(region: string, name: string, qualifier?: string): string {
  const base = `arn:${partitionOf(region)}:lambda:${region}:${LOCAL_ACCOUNT}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** The function version a request names, or Lambda's 404. */
export function resolveTarget(config: LocalConfig, params: NamedFunction, region: string): Checked<FunctionVersionConfig> {
  const version = findFunctionVersion(config, params.functionName, params.qualifier);
  if (version) return ok(version);
  const fn = config.functions.get(params.functionName);
  const hint = fn
    ? `Qualifiers of ${fn.name}: ${[LATEST, ...fn.versions.keys(), ...fn.aliases.keys()].join(', ')}.`
    : `Functions in ${config.file}: ${someOf([...config.functions.keys()])}.`;
  return fail(failure('ResourceNotFoundException', `Function not found: ${functionArn(region, params.functionName, params.qualifier)}. ${hint}`));
}

/** Names the hint lists at most: a folder may declare thousands of functions. */
const HINT_NAMES = 20;

function someOf(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const listed = names.slice(0, HINT_NAMES).join(', ');
  return names.length > HINT_NAMES ? `${listed} and ${names.length - HINT_NAMES} more` : listed;
}

/**
 * What a function's own settings demand of an invocation, checked after the function is found
 * and before anything runs (a DryRun too). Lambda refuses each with InvalidParameterValueException:
 * the request is well-formed, but one of its parameters does not fit this function.
 */
const INVOCATION_RULES: readonly {
  readonly broken: (fn: LocalFunctionConfig, params: InvokeParameters) => boolean;
  readonly message: (arn: string) => string;
}[] = [
  {
    broken: (fn, params) => fn.tenancy !== undefined && params.tenantId === undefined,
    message: (arn) =>
      `The function ${arn} uses tenant isolation mode (TenantIsolationMode PER_TENANT), so every invocation must name a tenant. Send X-Amz-Tenant-Id: "tenantId" in an invoke file, --tenant-id in the AWS CLI.`,
  },
  {
    broken: (fn, params) => fn.tenancy === undefined && params.tenantId !== undefined,
    message: (arn) =>
      `The function ${arn} does not use tenant isolation mode, so it takes no tenant ID. Remove X-Amz-Tenant-Id ("tenantId" in the invoke file), or declare "tenancy": "PER_TENANT" for the function in ${CONFIG_FILE_NAME}.`,
  },
  {
    broken: (fn, params) => fn.durable !== undefined && params.qualifier === undefined,
    message: (arn) =>
      `You cannot invoke a durable function using an unqualified ARN. Name a version, an alias or $LATEST: ${arn}:$LATEST, or "qualifier" in the invoke file.`,
  },
];

export function checkInvocationRules(config: LocalConfig, params: InvokeParameters, region: string): ServiceFailure | undefined {
  const fn = config.functions.get(params.functionName);
  const rule = fn && INVOCATION_RULES.find((r) => r.broken(fn, params));
  return rule && failure('InvalidParameterValueException', rule.message(functionArn(region, params.functionName, params.qualifier)));
}
