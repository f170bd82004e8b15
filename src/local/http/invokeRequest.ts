/**
 * What an HTTP request asks the local endpoint to do, checked the way Lambda checks an Invoke
 * request: route, function name, qualifier, invocation and log type, client context, body
 * size and payload, and the function the name and qualifier point at. Each problem comes back
 * as the error Lambda answers with, worded like the service's. Pure: request parts in,
 * parameters or a `ServiceFailure` out.
 */
import { checkFunctionName } from '../../lambda/functionName';
import { decodeClientContext } from '../../lambda/clientContext';
import { DEFAULT_INVOCATION_TYPE, DEFAULT_LOG_TYPE, INVOCATION_TYPES, LOG_TYPES, type InvocationType } from '../../lambda/invocationTypes';
import { Limits, Patterns, payloadLimit } from '../../lambda/limits';
import { findFunctionVersion, LATEST, type FunctionVersionConfig, type LocalConfig } from '../config/config';
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

export interface InvokeParameters {
  /** The bare function name. */
  readonly functionName: string;
  /** The qualifier from the name or the `Qualifier` query, whichever was given. */
  readonly qualifier: string | undefined;
  readonly invocationType: InvocationType;
  readonly logType: LogType;
  readonly clientContext: Record<string, unknown> | undefined;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

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
  const route = INVOKE_PATH.exec(head.rawPath);
  if (!route || head.method !== 'POST') {
    return fail(
      failure(
        'UnknownOperationException',
        `Unknown operation: ${head.method} ${head.rawPath}. This endpoint serves Lambda's Invoke: POST /2015-03-31/functions/{FunctionName}/invocations; check the endpoint URL has no extra path.`,
      ),
    );
  }
  let label: string;
  try {
    label = decodeURIComponent(route[1]!);
  } catch {
    return fail(failure('ValidationException', `The function name in the path is not valid percent-encoding: ${route[1]!}. Encode it once with encodeURIComponent.`));
  }

  const name = checkFunctionName(label);
  if (!name.ok) return fail(failure('ValidationException', functionNameMessage(label, name.problem.kind)));

  const queryQualifier = head.query.get('Qualifier') ?? undefined;
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

  const invocationType = headerEnum(head, 'invocationType');
  if (!invocationType.ok) return invocationType;
  const logType = headerEnum(head, 'logType');
  if (!logType.ok) return logType;

  const clientContext = parseClientContext(head.headers['x-amz-client-context']);
  if (!clientContext.ok) return clientContext;

  return ok({
    functionName: name.parts.name,
    qualifier: nameQualifier ?? queryQualifier,
    invocationType: invocationType.value as InvocationType,
    logType: logType.value as LogType,
    clientContext: clientContext.value,
  });
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
function validation(value: string, member: string, constraint: string): string {
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

/** `arn:aws:lambda:us-east-1:000000000000:function:hello[:qualifier]`. */
export function functionArn(region: string, name: string, qualifier?: string): string {
  const partition = PARTITION_BY_REGION_PREFIX.find(([prefix]) => prefix.test(region))?.[1] ?? 'aws';
  const base = `arn:${partition}:lambda:${region}:${LOCAL_ACCOUNT}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** The function version a request names, or Lambda's 404. */
export function resolveTarget(config: LocalConfig, params: InvokeParameters, region: string): Checked<FunctionVersionConfig> {
  const version = findFunctionVersion(config, params.functionName, params.qualifier);
  if (version) return ok(version);
  const known = [...config.functions.keys()];
  const fn = config.functions.get(params.functionName);
  const hint = fn
    ? `Qualifiers of ${fn.name}: ${[LATEST, ...fn.versions.keys(), ...fn.aliases.keys()].join(', ')}.`
    : `Functions in ${config.file}: ${known.length > 0 ? known.join(', ') : 'none'}.`;
  return fail(failure('ResourceNotFoundException', `Function not found: ${functionArn(region, params.functionName, params.qualifier)}. ${hint}`));
}
