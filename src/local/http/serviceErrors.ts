/**
 * The errors the local endpoint answers with, sent the way Lambda sends them: the name in the
 * `X-Amzn-ErrorType` header, the status Lambda uses for that name (src/lambda/serviceErrors.ts,
 * the table the engine explains errors by), and a JSON body `{"Type","message"}`, so the AWS
 * CLI, the SDKs and this project's engine name the same exception they would for the real
 * service. On the CloudWatch Logs routes, errors go out as JSON 1.1 services send them:
 * status 400 (500 for the endpoint's own failure) and `{"__type","message"}`.
 */
import { SERVICE_ERROR_STATUS, type ServiceErrorName } from '../../lambda/serviceErrors';

/** Fault category in the body's `Type`: who has to act. */
type FaultType = 'User' | 'Service';

/** Every error name this endpoint can answer with, and the fault category its body names. */
export const LOCAL_ERRORS = {
  InvalidParameterValueException: 'User',
  InvalidRequestContentException: 'User',
  ValidationException: 'User',
  MissingAuthenticationTokenException: 'User',
  IncompleteSignatureException: 'User',
  InvalidSignatureException: 'User',
  UnrecognizedClientException: 'User',
  ResourceNotFoundException: 'User',
  DurableExecutionAlreadyStartedException: 'User',
  UnknownOperationException: 'User',
  RequestEntityTooLargeException: 'User',
  TooManyRequestsException: 'User',
  ServiceException: 'Service',
} as const satisfies Partial<Record<ServiceErrorName, FaultType>>;

export type LocalErrorName = keyof typeof LOCAL_ERRORS;

/** An error answer, before it is put on the wire. */
export interface ServiceFailure {
  readonly name: LocalErrorName;
  readonly message: string;
  /** Extra body members, such as a throttle's `Reason`. */
  readonly body?: Readonly<Record<string, string>>;
  /** Extra response headers, such as `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export function failure(name: LocalErrorName, message: string, extra: Pick<ServiceFailure, 'body' | 'headers'> = {}): ServiceFailure {
  return { name, message, ...extra };
}

/** A response ready to write: status, headers and body bytes. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** The bytes Lambda would send for `error`. */
export function errorResponse(error: ServiceFailure, requestId: string): WireResponse {
  const body = Buffer.from(JSON.stringify({ ...error.body, Type: LOCAL_ERRORS[error.name], message: error.message }), 'utf8');
  return {
    status: SERVICE_ERROR_STATUS[error.name],
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': requestId,
      'X-Amzn-ErrorType': error.name,
      ...error.headers,
    },
    body,
  };
}

/** Content type of the JSON 1.1 protocol (CloudWatch Logs). */
export const JSON_1_1_CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * The bytes a JSON 1.1 service (CloudWatch Logs) sends for an error named `name`: the name in
 * the body's `__type` and in `X-Amzn-ErrorType`, either of which the AWS CLI and the SDKs read.
 */
export function json11ErrorResponse(name: string, message: string, requestId: string): WireResponse {
  return {
    status: name === 'ServiceException' ? 500 : 400,
    headers: { 'Content-Type': JSON_1_1_CONTENT_TYPE, 'x-amzn-RequestId': requestId, 'X-Amzn-ErrorType': name },
    body: Buffer.from(JSON.stringify({ __type: name, message }), 'utf8'),
  };
}
