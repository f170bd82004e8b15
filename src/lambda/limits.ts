/**
 * Lambda's own limits and patterns for the Invoke operation, as one table.
 * Source: the Lambda service model (2015-03-31) and API reference; see README "Limits".
 * The model's regexes carry no anchors, so each is wrapped in ^(?:…)$ here.
 */
import type { InvocationType } from './invocationTypes';

export const Limits = {
  /** Request body of a synchronous (RequestResponse or DryRun) invocation. */
  syncPayloadBytes: 6 * 1024 * 1024,
  /** Request body of an asynchronous (Event) invocation. */
  asyncPayloadBytes: 1024 * 1024,
  /** `X-Amz-Client-Context`, measured as base64 text. */
  clientContextBase64Bytes: 3583,
  functionNameMaxLength: 256,
  functionNamePartMaxLength: 64,
  qualifierMaxLength: 128,
  tenantIdMaxLength: 256,
  durableExecutionNameMaxLength: 64,
} as const;

const REGION = String.raw`(?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d`;
const QUALIFIER_IN_NAME = String.raw`\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9_-]+`;

export const Patterns = {
  /** The model's FunctionName pattern, verbatim but anchored. */
  functionName: new RegExp(
    String.raw`^(?:(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:|(((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?))(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?)$`,
  ),
  /**
   * The same language with named parts, for hover and the qualifier checks.
   * Kept equivalent to `functionName` by the unit tests. The optional region of a partial
   * ARN is lazy (`??`): `my-function-2:prod` has the shape of a region too, and is read as
   * name and qualifier; a region is taken only when nothing else matches.
   */
  functionNameParts: new RegExp(
    String.raw`^(?:arn:(?<partition>aws[a-zA-Z-]*)?:lambda:(?<arnRegion>${REGION}):(?<arnAccount>\d{12}):|(?:(?<region>${REGION}):)??(?:(?<account>\d{12}):)?)(?<function>function:)?(?<name>[a-zA-Z0-9_.-]+)(?::(?<qualifier>${QUALIFIER_IN_NAME}))?$`,
  ),
  qualifier: /^(?:\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+)$/,
  tenantId: /^(?:[a-zA-Z0-9._:/=+\-@ ]+)$/,
  durableExecutionName: /^(?:[a-zA-Z0-9-_]+)$/,
  /** Strict base64 with padding, as `X-Amz-Client-Context` carries it. */
  base64: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  region: new RegExp(`^${REGION}$`),
} as const;

/** The most a body may hold for an invocation type. */
export function payloadLimit(type: InvocationType): number {
  return type === 'Event' ? Limits.asyncPayloadBytes : Limits.syncPayloadBytes;
}

/** Keys Lambda defines for a client context object. */
export const CLIENT_CONTEXT_KEYS: readonly string[] = ['client', 'custom', 'env'];
