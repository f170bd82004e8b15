/**
 * What an error answer from Lambda (or from whatever answered in its place) means, and what to
 * do about it. Every error type the Invoke operation is documented to return, plus the front
 * door's signature and credential errors, lives in one table, `SERVICE_ERRORS`; `serviceError`
 * reads a non-2xx response into an `InvokeError` through it. Facts: the "Errors" section of
 * the project's Lambda Invoke API reference.
 */
import { STATUS_CODES } from 'node:http';
import { formatCount, formatWait } from '../lambda/format';
import { Limits } from '../lambda/limits';
import { InvokeError } from './types';

/** One error type: the status Lambda answers it with, what it means and what to do. */
export interface ServiceErrorInfo {
  /** The HTTP status Lambda sends this error with. */
  readonly status: number;
  /** What happened, one sentence. */
  readonly meaning: string;
  /** What to do about it, one sentence. */
  readonly action: string;
  /**
   * True when the request reached the function (or may have): retrying could run it twice.
   * Absent for errors raised before the handler starts (throttles, setup, permissions).
   */
  readonly mayHaveRun?: true;
}

const MB = 1024 * 1024;
const SIZE_LIMITS =
  `${Limits.syncPayloadBytes / MB} MB (${formatCount(Limits.syncPayloadBytes)} bytes) for RequestResponse and DryRun, ` +
  `${Limits.asyncPayloadBytes / MB} MB (${formatCount(Limits.asyncPayloadBytes)} bytes) for Event, counted in UTF-8 bytes of the body`;
const SHRINK_PAYLOAD = 'Make the payload smaller, for example by putting large data in S3 and passing its key.';
const CHECK_LOGS = "Look in the function's CloudWatch Logs for this request id to see what happened.";

/**
 * Every error of the Errors table, keyed by the name in `X-Amzn-ErrorType`. The statuses are
 * the reference's; texts are this project's own.
 */
export const SERVICE_ERRORS: Readonly<Record<string, ServiceErrorInfo>> = Object.freeze({
  // 400
  InvalidParameterValueException: {
    status: 400,
    meaning: 'Lambda rejected one of the request parameters.',
    action:
      'Check the field the message names: a qualifier that differs from the one in the function name, the client context (base64 of a JSON object), the tenant id, or the durable execution name.',
  },
  InvalidRequestContentException: {
    status: 400,
    meaning: 'Lambda could not read the request body as JSON (or a request header is malformed).',
    action: 'The payload must be valid JSON: fix `payload` or the `payloadFile` it points to, and check the header values.',
  },
  ModeNotSupportedException: {
    status: 400,
    meaning: 'The function does not accept this invocation type (for example a synchronous call to a function set up for asynchronous invocation only, or the reverse).',
    action: 'Change `invocationType` to one the function supports, or change how the function is configured to be invoked.',
  },
  NoPublishedVersionException: {
    status: 400,
    meaning: 'The function has no published version to run.',
    action: 'Publish a version (`aws lambda publish-version`), or invoke `$LATEST` or a specific version or alias instead.',
  },
  RecursiveInvocationException: {
    status: 400,
    meaning: 'Lambda found this function in a recursive loop with other AWS resources and stopped the invocation.',
    action: "Break the loop (the function should not trigger itself through a queue, topic or bucket), or set the function's recursive loop detection to Allow if the loop is intended.",
  },
  SnapStartException: {
    status: 400,
    meaning: "The function's after-restore runtime hook failed while Lambda resumed it from its SnapStart snapshot.",
    action: 'Fix the after-restore hook; its error is in CloudWatch Logs.',
  },
  // 402
  ServiceQuotaExceededException: {
    status: 402,
    meaning: 'The request would go over a Lambda service quota of the account.',
    action: 'Find the quota in the message and the Service Quotas console, then reduce usage or request an increase.',
  },
  // 403
  EFSMountFailureException: {
    status: 403,
    meaning: "Lambda could not mount the function's EFS file system because of a permission or configuration problem.",
    action:
      "Check the function's file system configuration: the EFS access point exists, the file system policy allows it, and the execution role has elasticfilesystem:ClientMount (and ClientWrite to write).",
  },
  S3FilesMountFailureException: {
    status: 403,
    meaning: "Lambda could not mount the function's S3 Files access point because of a permission or configuration problem.",
    action: "Check the function's file system configuration for the S3 Files access point, and that the execution role is allowed to use it.",
  },
  InvalidSignatureException: {
    status: 403,
    meaning: 'AWS could not verify the request signature: the secret key does not match the access key id, the clock is off, or something changed the request in transit.',
    action: "Check the system clock (SigV4 allows 5 minutes of skew), the credentials' secret key, and any proxy that rewrites requests.",
  },
  UnrecognizedClientException: {
    status: 403,
    meaning: 'AWS does not know the access key id or security token the request was signed with.',
    action:
      'Check which credentials the profile provides (`aws sts get-caller-identity --profile …`): keys may be deleted, from another partition, or meant for a local emulator.',
  },
  ExpiredTokenException: {
    status: 403,
    meaning: 'The temporary credentials (session token) have expired.',
    action: 'Refresh the credentials: run `aws sso login --profile …` for an SSO profile, or get new keys from your credentials source, then invoke again.',
  },
  AccessDeniedException: {
    status: 403,
    meaning: 'The identity behind the credentials is not allowed to invoke this function.',
    action:
      "Grant lambda:InvokeFunction on the function's ARN (with the qualifier, e.g. `…:function:my-function:prod`, when you invoke a version or alias) in the caller's IAM policy, or in the function's resource policy for another account; check for explicit denies and SCPs.",
  },
  SignatureDoesNotMatch: {
    status: 403,
    meaning: 'The signature AWS computed for the request differs from the one sent.',
    action: 'Check the secret key of the credentials, and that no proxy alters the request (path, query, headers or body) after it is signed.',
  },
  IncompleteSignatureException: {
    status: 403,
    meaning: 'The request signature is missing parts AWS needs (credential scope, signed headers or the signature itself).',
    action: 'Check that nothing between you and AWS strips or rewrites the Authorization, X-Amz-Date or X-Amz-Security-Token headers.',
  },
  MissingAuthenticationTokenException: {
    status: 403,
    meaning: 'The request arrived without a signature, or at a path the endpoint does not serve.',
    action: 'Check the endpoint URL (it should be the Lambda endpoint, with no extra path) and that the request is signed.',
  },
  // 404
  ValidationException: {
    status: 400,
    meaning: 'A parameter fails the pattern or length the API requires (the function name or the qualifier, usually).',
    action: 'Fix the value the message names; the editor marks such values before anything is sent.',
  },
  UnknownOperationException: {
    status: 404,
    meaning: 'The endpoint does not know this operation: it is probably not a Lambda endpoint, or the URL has an extra path.',
    action: 'Check the endpoint URL: it should be the service root, such as http://127.0.0.1:3001, with no path.',
  },
  ResourceNotFoundException: {
    status: 404,
    meaning: 'Lambda found no such function, version or alias where the request looked.',
    action:
      'Check the function name, the qualifier (version or alias), the region and the account the credentials belong to: a function exists in one region of one account.',
  },
  // 408
  EFSMountConnectivityException: {
    status: 408,
    meaning: "Lambda could not open a network connection to the function's EFS file system.",
    action:
      "Check the function's VPC configuration: its security groups must allow NFS (TCP 2049) to the mount targets, and each of its subnets' Availability Zones needs a mount target.",
  },
  EFSMountTimeoutException: {
    status: 408,
    meaning: "Lambda reached the function's EFS file system, but mounting it timed out.",
    action: 'Try again; if it persists, check the EFS file system and its mount targets are available and not throttled.',
  },
  SnapStartTimeoutException: {
    status: 408,
    meaning: "Lambda could not restore the function's SnapStart snapshot in time (after-restore hooks get 10 seconds).",
    action: 'Make the after-restore hooks faster; their logs are in CloudWatch Logs.',
  },
  S3FilesMountConnectivityException: {
    status: 408,
    meaning: "Lambda could not open a network connection to the function's S3 Files access point.",
    action: "Check the function's VPC configuration: subnets, route tables and security groups must reach the S3 Files mount targets.",
  },
  S3FilesMountTimeoutException: {
    status: 408,
    meaning: "Lambda reached the function's S3 Files access point, but mounting it timed out.",
    action: 'Try again; if it persists, check that the S3 Files file system and its mount targets are available.',
  },
  // 409
  ResourceConflictException: {
    status: 409,
    meaning: 'The function is not in a state that allows invoking it now (for example Pending or being updated).',
    action: 'Wait until the function is Active and its last update Successful (`aws lambda get-function-configuration`), then invoke again.',
  },
  CodeArtifactUserDeletedException: {
    status: 409,
    meaning: "The function's optimized container image code is scheduled for deletion.",
    action: "Update the function's code (deploy the image again) to give it a fresh code artifact.",
  },
  CodeArtifactUserPendingException: {
    status: 409,
    meaning: "Lambda is still optimizing the function's container image; the function becomes Active when that finishes.",
    action: 'Wait until the function state is Active, then invoke again.',
  },
  CodeArtifactUserFailedException: {
    status: 409,
    meaning: "Lambda failed to optimize the function's container image.",
    action: "Check the image (its architecture, entry point and layers), fix it and update the function's code again.",
  },
  SnapStartNotReadyException: {
    status: 409,
    meaning: 'Lambda is still initializing this SnapStart version (new, or idle long enough to become Inactive).',
    action: 'Wait until the version is Active again, then invoke it.',
  },
  SnapStartRegenerationFailureException: {
    status: 409,
    meaning: "Lambda failed to regenerate the function's SnapStart snapshot after its runtime or dependencies changed.",
    action: "Wait for Lambda to try again, or update the function's configuration (publish a new version) to take a new snapshot.",
  },
  DurableExecutionAlreadyStartedException: {
    status: 409,
    meaning: 'A durable execution with this name has already been started for the function.',
    action: 'Use a new `durableExecutionName` (names are unique per function), or look up the status of the existing execution.',
  },
  // 410
  EFSIOException: {
    status: 410,
    meaning: "Reading from or writing to the function's EFS file system failed while the function was running.",
    action: `Check the file system's health and throughput limits; the function ran at least in part. ${CHECK_LOGS}`,
    mayHaveRun: true,
  },
  // 413
  RequestTooLargeException: {
    status: 413,
    meaning: `The request body is over Lambda's Invoke limit: ${SIZE_LIMITS}.`,
    action: SHRINK_PAYLOAD,
  },
  SerializedRequestEntityTooLargeException: {
    status: 413,
    meaning: `The request as Lambda serializes it (payload plus what travels with it, such as the client context) is over the limit: ${SIZE_LIMITS}.`,
    action: `${SHRINK_PAYLOAD} An Event invocation also counts its client context.`,
  },
  RequestEntityTooLargeException: {
    status: 413,
    meaning: `Lambda's front door refused the body as too large: ${SIZE_LIMITS}.`,
    action: SHRINK_PAYLOAD,
  },
  // 415
  UnsupportedMediaTypeException: {
    status: 415,
    meaning: 'Lambda did not accept the content type of the request body.',
    action: 'Send the payload as JSON (no Content-Type header or application/json); check that no proxy rewrites the Content-Type.',
  },
  // 429
  TooManyRequestsException: {
    status: 429,
    meaning: 'Lambda throttled the call; the function did not run.',
    action: 'Wait and invoke again; if it keeps happening, lower the call rate or raise the concurrency that limits it.',
  },
  // 500
  ServiceException: {
    status: 500,
    meaning: 'Lambda had an internal error; the function may or may not have run.',
    action: `${CHECK_LOGS} Invoke again only if it did not run, or if running it twice is harmless.`,
    mayHaveRun: true,
  },
  // 502
  ResourceNotReadyException: {
    status: 502,
    meaning: 'The function is Inactive and its VPC connection is not available yet.',
    action: 'Wait a minute for Lambda to set the VPC connection up again (the function state returns to Active), then invoke again.',
  },
  EC2AccessDeniedException: {
    status: 502,
    meaning: "Lambda could not set up the function's VPC networking: its execution role lacks EC2 permissions.",
    action:
      "Give the function's execution role ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DeleteNetworkInterface (the AWSLambdaVPCAccessExecutionRole managed policy has them).",
  },
  EC2ThrottledException: {
    status: 502,
    meaning: "Amazon EC2 throttled Lambda while it set up the function's VPC networking with the execution role.",
    action: 'Invoke again after a short wait; if it persists, look for other workloads using the same role heavily against the EC2 API.',
  },
  EC2UnexpectedException: {
    status: 502,
    meaning: "Amazon EC2 returned an unexpected error while Lambda set up the function's VPC networking.",
    action: "Read the EC2 error code in the message; check the function's VPC, subnets and security groups still exist, then invoke again.",
  },
  ENILimitReachedException: {
    status: 502,
    meaning: "Lambda could not create a network interface in the function's VPC: the account's network interface limit is reached.",
    action: 'Delete unused network interfaces in the region or request a higher network interface quota; functions sharing subnets and security groups share interfaces.',
  },
  ENINotReadyException: {
    status: 502,
    meaning: "The network interface of the function's VPC connection is not ready yet.",
    action: 'Wait a few moments and invoke again.',
  },
  InvalidRuntimeException: {
    status: 502,
    meaning: "The function's runtime (or runtime version) is not supported.",
    action: "Update the function's runtime setting to a supported runtime and deploy again.",
  },
  InvalidSecurityGroupIDException: {
    status: 502,
    meaning: "A security group in the function's VPC configuration is not valid.",
    action: "Check the security group ids in the function's VPC configuration: each must exist in the function's VPC.",
  },
  InvalidSubnetIDException: {
    status: 502,
    meaning: "A subnet in the function's VPC configuration is not valid.",
    action: "Check the subnet ids in the function's VPC configuration: each must exist, in the same VPC as its security groups.",
  },
  InvalidZipFileException: {
    status: 502,
    meaning: "Lambda could not unzip the function's deployment package.",
    action: 'Rebuild the .zip (a standard zip archive, files readable) and update the function code again.',
  },
  KMSAccessDeniedException: {
    status: 502,
    meaning: "Lambda could not decrypt the function's environment variables: access to the KMS key was denied.",
    action: "Check the KMS key in the function's configuration: the key policy must let the execution role use kms:Decrypt.",
  },
  KMSDisabledException: {
    status: 502,
    meaning: "Lambda could not decrypt the function's environment variables: the KMS key is disabled.",
    action: "Enable the KMS key set in the function's configuration, or switch the function to another key.",
  },
  KMSInvalidStateException: {
    status: 502,
    meaning: "Lambda could not decrypt the function's environment variables: the KMS key is in a state that does not allow Decrypt (for example pending deletion).",
    action: "Check the state of the KMS key in the function's configuration; cancel a pending deletion or choose another key.",
  },
  KMSNotFoundException: {
    status: 502,
    meaning: "Lambda could not decrypt the function's environment variables: the KMS key was not found.",
    action: "Point the function's configuration at an existing KMS key (or the AWS managed key) and save its environment variables again.",
  },
  SubnetIPAddressLimitReachedException: {
    status: 502,
    meaning: "Lambda could not set up the function's VPC access: a configured subnet has no free IP addresses.",
    action: "Free addresses in the function's subnets, or add subnets with more free addresses to its VPC configuration.",
  },
} satisfies Record<string, ServiceErrorInfo>);

/** `TooManyRequestsException`'s `Reason`, one sentence each. */
export const THROTTLE_REASONS: Readonly<Record<string, string>> = Object.freeze({
  ConcurrentInvocationLimitExceeded:
    'The account is running as many instances at once as its concurrency quota allows in this region (all functions together).',
  FunctionInvocationRateLimitExceeded: 'The function received more requests per second than Lambda allows for it.',
  ReservedFunctionConcurrentInvocationLimitExceeded:
    'The function is running as many instances at once as its reserved concurrency allows (a reserved concurrency of 0 throttles every call).',
  ReservedFunctionInvocationRateLimitExceeded: 'The function received more requests per second than its reserved concurrency allows.',
  CallerRateLimitExceeded: 'The caller sent Invoke requests faster than Lambda accepts from it.',
  ConcurrentSnapshotCreateLimitExceeded: 'Too many SnapStart snapshots are being created at the same time.',
});

/** Errors with no known name: the meaning of their status, or of their status class. */
const GENERIC_BY_STATUS: Readonly<Record<number, Omit<ServiceErrorInfo, 'status'>>> = {
  400: { meaning: 'The request was rejected as invalid.', action: 'Read the message; check the fields of the invocation it names.' },
  401: { meaning: 'The request was not authenticated.', action: 'Check the credentials of the profile.' },
  403: {
    meaning: 'The request was refused: authentication or authorization failed.',
    action: 'Check the credentials and that they allow lambda:InvokeFunction on the function.',
  },
  404: { meaning: 'Nothing was found at the requested path.', action: 'Check the endpoint URL, the function name, the qualifier and the region.' },
  408: { meaning: 'The server timed out waiting for the request.', action: 'Invoke again; check the network between you and the endpoint.' },
  413: { meaning: `The request was too large; Lambda's limits are ${SIZE_LIMITS}.`, action: SHRINK_PAYLOAD },
  429: { meaning: 'The call was throttled; the function did not run.', action: 'Wait and invoke again.' },
};

const GENERIC_BY_CLASS: Readonly<Record<number, Omit<ServiceErrorInfo, 'status'>>> = {
  3: {
    meaning: 'The endpoint answered with a redirect, which Lambda never does.',
    action: 'Check the endpoint URL (scheme, host and path): it should be the Lambda endpoint itself.',
  },
  4: { meaning: 'The request was rejected.', action: 'Read the message; check the invocation and the credentials.' },
  5: {
    meaning: 'The server failed while handling the request; the function may or may not have run.',
    action: `${CHECK_LOGS} Invoke again only if it did not run, or if running it twice is harmless.`,
    mayHaveRun: true,
  },
};

const UNKNOWN_CLASS: Omit<ServiceErrorInfo, 'status'> = {
  meaning: 'The endpoint answered with a status Lambda does not use.',
  action: 'Check the endpoint URL: it should be the Lambda endpoint.',
};

/** The longest piece of a response body quoted in a message. */
const MAX_QUOTE = 300;

/** The known entry for an error name, also when a local emulator leaves off `Exception`. */
export function lookupServiceError(name: string | undefined): (ServiceErrorInfo & { name: string }) | undefined {
  if (!name) return undefined;
  for (const candidate of [name, `${name}Exception`]) {
    if (Object.hasOwn(SERVICE_ERRORS, candidate)) return { name: candidate, ...SERVICE_ERRORS[candidate]! };
  }
  return undefined;
}

/**
 * An error name as the wire carries it, bare: `X-Amzn-ErrorType` may append a URL after `:`
 * (`ResourceNotFoundException:http://internal.amazon.com/…`), and a body's `__type` may prefix
 * a namespace before `#` (`com.amazonaws.lambda#ResourceNotFoundException`).
 */
export function normalizeErrorType(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const beforeColon = raw.split(':', 1)[0] ?? '';
  const name = beforeColon.slice(beforeColon.lastIndexOf('#') + 1).trim();
  return name === '' ? undefined : name;
}

/**
 * How long `Retry-After` asks to wait, in milliseconds: delay-seconds or an HTTP-date.
 * Undefined when the header is absent or unreadable. `now` is for tests.
 */
export function retryAfterMs(headers: Record<string, string | undefined>, now: number = Date.now()): number | undefined {
  const value = headerValue(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP-date has a weekday and month name; requiring a letter keeps Date.parse from
  // reading bare numbers such as "-1" or "1e3" as years.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The `InvokeError` for a non-2xx answer. `headers` have lower-case names. Never throws,
 * whatever the body holds.
 */
export function serviceError(statusCode: number, headers: Record<string, string | undefined>, body: Uint8Array, requestId?: string): InvokeError {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  const json = parseObject(text);
  const headerName = normalizeErrorType(headerValue(headers, 'x-amzn-errortype'));
  // The body's `Type` is a fault category (`User`, `Service`), never the error's name.
  const bodyName = json && normalizeErrorType(stringField(json, ['__type', 'code', 'Code']));
  const rawName = headerName ?? bodyName;
  const known = lookupServiceError(rawName);
  const errorType = known?.name ?? rawName;
  const id = requestId ?? headerValue(headers, 'x-amzn-requestid') ?? headerValue(headers, 'x-amz-request-id');
  const status = describeStatus(statusCode);

  const markup = json === undefined && isMarkup(text, headerValue(headers, 'content-type'));
  const firstLine = json === undefined ? firstTextLine(text, markup) : undefined;

  if (errorType === undefined && json === undefined && firstLine !== undefined) {
    // No error name and a body that is not JSON: Lambda always names its errors, so a proxy,
    // gateway, firewall or emulator answered in its place.
    const generic = genericFor(statusCode);
    const what = markup ? 'an HTML page' : 'a non-JSON body';
    return new InvokeError(
      'service',
      `${status} with ${what} from something between you and Lambda (a proxy, gateway, firewall or local emulator), not from Lambda itself: "${firstLine}"`,
      {
        statusCode,
        requestId: id,
        hint: `Check the endpoint URL and any proxy settings (HTTPS_PROXY, VS Code's http.proxy). ${generic.meaning}`,
        ...(generic.mayHaveRun ? { mayHaveRun: true } : {}),
      },
    );
  }

  const serviceMessage = withoutCanonicalRequest(json ? oneLine(stringField(json, ['message', 'Message', 'errorMessage'])) : firstLine);
  const info = known ?? genericFor(statusCode);
  let meaning = info.meaning;
  let hint = info.action;
  if (errorType === 'TooManyRequestsException' || (errorType === undefined && statusCode === 429)) {
    const reason = json && stringField(json, ['Reason', 'reason']);
    if (reason) meaning += ` ${THROTTLE_REASONS[reason] ?? `Reason: ${reason}.`}`;
    const waitMs = retryAfterMs(headers) ?? secondsField(json, 'retryAfterSeconds');
    if (waitMs !== undefined) hint = `Lambda asks to wait ${formatWait(waitMs)} before trying again (Retry-After). ${hint}`;
  }
  if (errorType !== undefined && !known) {
    meaning = `${errorType} is not an error this extension knows for Invoke. ${meaning}`;
  }
  if (json === undefined && firstLine !== undefined && errorType !== undefined) {
    meaning += ' (The error body was not JSON.)';
  }

  const head = errorType ?? status;
  const message = [serviceMessage ? `${head}: ${serviceMessage}` : head, meaning].join(' — ');
  return new InvokeError('service', message, {
    errorType,
    statusCode,
    requestId: id,
    hint,
    ...(info.mayHaveRun ? { mayHaveRun: true } : {}),
  });
}

function genericFor(statusCode: number): Omit<ServiceErrorInfo, 'status'> {
  return GENERIC_BY_STATUS[statusCode] ?? GENERIC_BY_CLASS[Math.floor(statusCode / 100)] ?? UNKNOWN_CLASS;
}

/** `HTTP 404 Not Found`. */
export function describeStatus(statusCode: number): string {
  const phrase = STATUS_CODES[statusCode];
  return phrase ? `HTTP ${statusCode} ${phrase}` : `HTTP ${statusCode}`;
}

/** A header by its lower-case name; tolerates other casings from hand-built header maps. */
function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(json: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = json[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function secondsField(json: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = json?.[key];
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/** Whitespace folded to single spaces, clipped for a one-line message. */
function oneLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded === '') return undefined;
  return folded.length > MAX_QUOTE ? `${folded.slice(0, MAX_QUOTE)}…` : folded;
}

function isMarkup(text: string, contentType: string | undefined): boolean {
  return /html|xml/i.test(contentType ?? '') || /^\s*</.test(text);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The first non-blank line of a body; for HTML or XML, of its text with the tags taken out. */
function firstTextLine(text: string, markup: boolean): string | undefined {
  let plain = text;
  if (markup) {
    plain = text
      .replace(/<!--[\s\S]*?-->/g, '\n')
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '\n')
      .replace(/<[^>]*>/g, '\n')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
        if (entity.startsWith('#')) {
          const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
          return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
        return ENTITIES[entity.toLowerCase()] ?? whole;
      });
  }
  for (const line of plain.split(/\r?\n|\r/)) {
    const one = oneLine(line);
    if (one !== undefined) return one;
  }
  return undefined;
}

/**
 * A signature mismatch message may quote the canonical request the service expected, and that
 * carries the signed headers — the session token among them. It never reaches the user.
 */
export function withoutCanonicalRequest(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const at = message.search(/The Canonical String for this request should have been/i);
  return at < 0 ? message : `${message.slice(0, at).trimEnd()} (the canonical request the service quoted is left out: it carries your signed headers)`;
}
