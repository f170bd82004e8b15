/**
 * The errors the local endpoint answers with, sent the way Lambda sends them: the name in the
 * `X-Amzn-ErrorType` header, the status from one table, and a JSON body `{"Type","message"}`,
 * so the AWS CLI, the SDKs and this project's engine name the same exception they would for
 * the real service. Statuses follow the "Errors" table of the Lambda Invoke API reference.
 */

/** Fault category in the body's `Type`: who has to act. */
type FaultType = 'User' | 'Service';

interface ErrorShape {
  readonly status: number;
  readonly type: FaultType;
}

/** Every error name this endpoint can answer with, and how it travels. */
export const LOCAL_ERRORS = {
  InvalidParameterValueException: { status: 400, type: 'User' },
  InvalidRequestContentException: { status: 400, type: 'User' },
  /** Lambda's answer to a path label or query value outside the model's constraints. */
  ValidationException: { status: 400, type: 'User' },
  MissingAuthenticationTokenException: { status: 403, type: 'User' },
  IncompleteSignatureException: { status: 403, type: 'User' },
  InvalidSignatureException: { status: 403, type: 'User' },
  UnrecognizedClientException: { status: 403, type: 'User' },
  ResourceNotFoundException: { status: 404, type: 'User' },
  UnknownOperationException: { status: 404, type: 'User' },
  RequestEntityTooLargeException: { status: 413, type: 'User' },
  TooManyRequestsException: { status: 429, type: 'User' },
  ServiceException: { status: 500, type: 'Service' },
} as const satisfies Record<string, ErrorShape>;

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
  const shape: ErrorShape = LOCAL_ERRORS[error.name];
  const body = Buffer.from(JSON.stringify({ ...error.body, Type: shape.type, message: error.message }), 'utf8');
  return {
    status: shape.status,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': requestId,
      'X-Amzn-ErrorType': error.name,
      ...error.headers,
    },
    body,
  };
}
