/**
 * What an error answer from Lambda (or from whatever answered in its place) means, and what to
 * do about it: one explanation for every error the Invoke operation is documented to return and
 * for the front door's signature and routing errors, the reasons of a throttle, and what a bare
 * status means when the error has no name this project knows. The statuses are Lambda's
 * (src/lambda/serviceErrors.ts); the texts are this project's own.
 */
import { formatCount } from '../lambda/format';
import { Limits } from '../lambda/limits';
import { SERVICE_ERROR_STATUS, type ServiceErrorName } from '../lambda/serviceErrors';

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

/** An error's meaning without its status: what the tables below hold. */
export type Explanation = Omit<ServiceErrorInfo, 'status'>;

const MB = 1024 * 1024;
const SIZE_LIMITS =
  `${Limits.syncPayloadBytes / MB} MB (${formatCount(Limits.syncPayloadBytes)} bytes) for RequestResponse and DryRun, ` +
  `${Limits.asyncPayloadBytes / MB} MB (${formatCount(Limits.asyncPayloadBytes)} bytes) for Event, counted in UTF-8 bytes of the body`;
const SHRINK_PAYLOAD = 'Make the payload smaller, for example by putting large data in S3 and passing its key.';
const CHECK_LOGS = "Look in the function's CloudWatch Logs for this request id to see what happened.";

/**
 * Every name of src/lambda/serviceErrors.ts, explained, in that table's order. `satisfies`
 * makes a name added there without an explanation here (or the reverse) a compile error.
 */
const EXPLANATIONS = {
  InvalidParameterValueException: {
    meaning: 'Lambda rejected one of the request parameters.',
    action:
      'Check the field the message names: a qualifier that differs from the one in the function name, the client context (base64 of a JSON object), the tenant id, or the durable execution name.',
  },
  InvalidRequestContentException: {
    meaning: 'Lambda could not read the request body as JSON (or a request header is malformed).',
    action: 'The payload must be valid JSON: fix `payload` or the `payloadFile` it points to, and check the header values.',
  },
  ModeNotSupportedException: {
    meaning: 'The function does not accept this invocation type (for example a synchronous call to a function set up for asynchronous invocation only, or the reverse).',
    action: 'Change `invocationType` to one the function supports, or change how the function is configured to be invoked.',
  },
  NoPublishedVersionException: {
    meaning: 'The function has no published version to run.',
    action: 'Publish a version (`aws lambda publish-version`), or invoke `$LATEST` or a specific version or alias instead.',
  },
  RecursiveInvocationException: {
    meaning: 'Lambda found this function in a recursive loop with other AWS resources and stopped the invocation.',
    action: "Break the loop (the function should not trigger itself through a queue, topic or bucket), or set the function's recursive loop detection to Allow if the loop is intended.",
  },
  SnapStartException: {
    meaning: "The function's after-restore runtime hook failed while Lambda resumed it from its SnapStart snapshot.",
    action: 'Fix the after-restore hook; its error is in CloudWatch Logs.',
  },
  ValidationException: {
    meaning: 'A parameter fails the pattern or length the API requires (the function name or the qualifier, usually).',
    action: 'Fix the value the message names; the editor marks such values before anything is sent.',
  },
  ServiceQuotaExceededException: {
    meaning: 'The request would go over a Lambda service quota of the account.',
    action: 'Find the quota in the message and the Service Quotas console, then reduce usage or request an increase.',
  },
  EFSMountFailureException: {
    meaning: "Lambda could not mount the function's EFS file system because of a permission or configuration problem.",
    action:
      "Check the function's file system configuration: the EFS access point exists, the file system policy allows it, and the execution role has elasticfilesystem:ClientMount (and ClientWrite to write).",
  },
  S3FilesMountFailureException: {
    meaning: "Lambda could not mount the function's S3 Files access point because of a permission or configuration problem.",
    action: "Check the function's file system configuration for the S3 Files access point, and that the execution role is allowed to use it.",
  },
  InvalidSignatureException: {
    meaning: 'AWS could not verify the request signature: the secret key does not match the access key id, the clock is off, or something changed the request in transit.',
    action: "Check the system clock (SigV4 allows 5 minutes of skew), the credentials' secret key, and any proxy that rewrites requests.",
  },
  UnrecognizedClientException: {
    meaning: 'AWS does not know the access key id or security token the request was signed with.',
    action:
      'Check which credentials the profile provides (`aws sts get-caller-identity --profile …`): keys may be deleted, from another partition, or meant for a local emulator.',
  },
  ExpiredTokenException: {
    meaning: 'The temporary credentials (session token) have expired.',
    action: 'Refresh the credentials: run `aws sso login --profile …` for an SSO profile, or get new keys from your credentials source, then invoke again.',
  },
  AccessDeniedException: {
    meaning: 'The identity behind the credentials is not allowed to invoke this function.',
    action:
      "Grant lambda:InvokeFunction on the function's ARN (with the qualifier, e.g. `…:function:my-function:prod`, when you invoke a version or alias) in the caller's IAM policy, or in the function's resource policy for another account; check for explicit denies and SCPs.",
  },
  SignatureDoesNotMatch: {
    meaning: 'The signature AWS computed for the request differs from the one sent.',
    action: 'Check the secret key of the credentials, and that no proxy alters the request (path, query, headers or body) after it is signed.',
  },
  IncompleteSignatureException: {
    meaning: 'The request signature is missing parts AWS needs (credential scope, signed headers or the signature itself).',
    action: 'Check that nothing between you and AWS strips or rewrites the Authorization, X-Amz-Date or X-Amz-Security-Token headers.',
  },
  MissingAuthenticationTokenException: {
    meaning: 'The request arrived without a signature, or at a path the endpoint does not serve.',
    action: 'Check the endpoint URL (it should be the Lambda endpoint, with no extra path) and that the request is signed.',
  },
  UnknownOperationException: {
    meaning: 'The endpoint does not know this operation: it is probably not a Lambda endpoint, or the URL has an extra path.',
    action: 'Check the endpoint URL: it should be the service root, such as http://127.0.0.1:3001, with no path.',
  },
  ResourceNotFoundException: {
    meaning: 'Lambda found no such function, version or alias where the request looked.',
    action:
      'Check the function name, the qualifier (version or alias), the region and the account the credentials belong to: a function exists in one region of one account.',
  },
  EFSMountConnectivityException: {
    meaning: "Lambda could not open a network connection to the function's EFS file system.",
    action:
      "Check the function's VPC configuration: its security groups must allow NFS (TCP 2049) to the mount targets, and each of its subnets' Availability Zones needs a mount target.",
  },
  EFSMountTimeoutException: {
    meaning: "Lambda reached the function's EFS file system, but mounting it timed out.",
    action: 'Try again; if it persists, check the EFS file system and its mount targets are available and not throttled.',
  },
  SnapStartTimeoutException: {
    meaning: "Lambda could not restore the function's SnapStart snapshot in time (after-restore hooks get 10 seconds).",
    action: 'Make the after-restore hooks faster; their logs are in CloudWatch Logs.',
  },
  S3FilesMountConnectivityException: {
    meaning: "Lambda could not open a network connection to the function's S3 Files access point.",
    action: "Check the function's VPC configuration: subnets, route tables and security groups must reach the S3 Files mount targets.",
  },
  S3FilesMountTimeoutException: {
    meaning: "Lambda reached the function's S3 Files access point, but mounting it timed out.",
    action: 'Try again; if it persists, check that the S3 Files file system and its mount targets are available.',
  },
  ResourceConflictException: {
    meaning: 'The function is not in a state that allows invoking it now (for example Pending or being updated).',
    action: 'Wait until the function is Active and its last update Successful (`aws lambda get-function-configuration`), then invoke again.',
  },
  CodeArtifactUserDeletedException: {
    meaning: "The function's optimized container image code is scheduled for deletion.",
    action: "Update the function's code (deploy the image again) to give it a fresh code artifact.",
  },
  CodeArtifactUserPendingException: {
    meaning: "Lambda is still optimizing the function's container image; the function becomes Active when that finishes.",
    action: 'Wait until the function state is Active, then invoke again.',
  },
  CodeArtifactUserFailedException: {
    meaning: "Lambda failed to optimize the function's container image.",
    action: "Check the image (its architecture, entry point and layers), fix it and update the function's code again.",
  },
  SnapStartNotReadyException: {
    meaning: 'Lambda is still initializing this SnapStart version (new, or idle long enough to become Inactive).',
    action: 'Wait until the version is Active again, then invoke it.',
  },
  SnapStartRegenerationFailureException: {
    meaning: "Lambda failed to regenerate the function's SnapStart snapshot after its runtime or dependencies changed.",
    action: "Wait for Lambda to try again, or update the function's configuration (publish a new version) to take a new snapshot.",
  },
  DurableExecutionAlreadyStartedException: {
    meaning: 'A durable execution with this name has already been started for the function.',
    action: 'Use a new `durableExecutionName` (names are unique per function), or look up the status of the existing execution.',
  },
  EFSIOException: {
    meaning: "Reading from or writing to the function's EFS file system failed while the function was running.",
    action: `Check the file system's health and throughput limits; the function ran at least in part. ${CHECK_LOGS}`,
    mayHaveRun: true,
  },
  RequestTooLargeException: {
    meaning: `The request body is over Lambda's Invoke limit: ${SIZE_LIMITS}.`,
    action: SHRINK_PAYLOAD,
  },
  SerializedRequestEntityTooLargeException: {
    meaning: `The request as Lambda serializes it (payload plus what travels with it, such as the client context) is over the limit: ${SIZE_LIMITS}.`,
    action: `${SHRINK_PAYLOAD} An Event invocation also counts its client context.`,
  },
  RequestEntityTooLargeException: {
    meaning: `Lambda's front door refused the body as too large: ${SIZE_LIMITS}.`,
    action: SHRINK_PAYLOAD,
  },
  UnsupportedMediaTypeException: {
    meaning: 'Lambda did not accept the content type of the request body.',
    action: 'Send the payload as JSON (no Content-Type header or application/json); check that no proxy rewrites the Content-Type.',
  },
  TooManyRequestsException: {
    meaning: 'Lambda throttled the call; the function did not run.',
    action: 'Wait and invoke again; if it keeps happening, lower the call rate or raise the concurrency that limits it.',
  },
  ServiceException: {
    meaning: 'Lambda had an internal error; the function may or may not have run.',
    action: `${CHECK_LOGS} Invoke again only if it did not run, or if running it twice is harmless.`,
    mayHaveRun: true,
  },
  ResourceNotReadyException: {
    meaning: 'The function is Inactive and its VPC connection is not available yet.',
    action: 'Wait a minute for Lambda to set the VPC connection up again (the function state returns to Active), then invoke again.',
  },
  EC2AccessDeniedException: {
    meaning: "Lambda could not set up the function's VPC networking: its execution role lacks EC2 permissions.",
    action:
      "Give the function's execution role ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DeleteNetworkInterface (the AWSLambdaVPCAccessExecutionRole managed policy has them).",
  },
  EC2ThrottledException: {
    meaning: "Amazon EC2 throttled Lambda while it set up the function's VPC networking with the execution role.",
    action: 'Invoke again after a short wait; if it persists, look for other workloads using the same role heavily against the EC2 API.',
  },
  EC2UnexpectedException: {
    meaning: "Amazon EC2 returned an unexpected error while Lambda set up the function's VPC networking.",
    action: "Read the EC2 error code in the message; check the function's VPC, subnets and security groups still exist, then invoke again.",
  },
  ENILimitReachedException: {
    meaning: "Lambda could not create a network interface in the function's VPC: the account's network interface limit is reached.",
    action: 'Delete unused network interfaces in the region or request a higher network interface quota; functions sharing subnets and security groups share interfaces.',
  },
  ENINotReadyException: {
    meaning: "The network interface of the function's VPC connection is not ready yet.",
    action: 'Wait a few moments and invoke again.',
  },
  InvalidRuntimeException: {
    meaning: "The function's runtime (or runtime version) is not supported.",
    action: "Update the function's runtime setting to a supported runtime and deploy again.",
  },
  InvalidSecurityGroupIDException: {
    meaning: "A security group in the function's VPC configuration is not valid.",
    action: "Check the security group ids in the function's VPC configuration: each must exist in the function's VPC.",
  },
  InvalidSubnetIDException: {
    meaning: "A subnet in the function's VPC configuration is not valid.",
    action: "Check the subnet ids in the function's VPC configuration: each must exist, in the same VPC as its security groups.",
  },
  InvalidZipFileException: {
    meaning: "Lambda could not unzip the function's deployment package.",
    action: 'Rebuild the .zip (a standard zip archive, files readable) and update the function code again.',
  },
  KMSAccessDeniedException: {
    meaning: "Lambda could not decrypt the function's environment variables: access to the KMS key was denied.",
    action: "Check the KMS key in the function's configuration: the key policy must let the execution role use kms:Decrypt.",
  },
  KMSDisabledException: {
    meaning: "Lambda could not decrypt the function's environment variables: the KMS key is disabled.",
    action: "Enable the KMS key set in the function's configuration, or switch the function to another key.",
  },
  KMSInvalidStateException: {
    meaning: "Lambda could not decrypt the function's environment variables: the KMS key is in a state that does not allow Decrypt (for example pending deletion).",
    action: "Check the state of the KMS key in the function's configuration; cancel a pending deletion or choose another key.",
  },
  KMSNotFoundException: {
    meaning: "Lambda could not decrypt the function's environment variables: the KMS key was not found.",
    action: "Point the function's configuration at an existing KMS key (or the AWS managed key) and save its environment variables again.",
  },
  SubnetIPAddressLimitReachedException: {
    meaning: "Lambda could not set up the function's VPC access: a configured subnet has no free IP addresses.",
    action: "Free addresses in the function's subnets, or add subnets with more free addresses to its VPC configuration.",
  },
} as const satisfies Record<ServiceErrorName, Explanation>;

/** Every error Lambda's Invoke answers with, keyed by the name in `X-Amzn-ErrorType`. */
export const SERVICE_ERRORS: Readonly<Record<string, ServiceErrorInfo>> = Object.freeze(
  Object.fromEntries(
    (Object.entries(EXPLANATIONS) as [ServiceErrorName, Explanation][]).map(([name, explanation]) => [name, { status: SERVICE_ERROR_STATUS[name], ...explanation }]),
  ),
);

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
const GENERIC_BY_STATUS: Readonly<Record<number, Explanation>> = {
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

const GENERIC_BY_CLASS: Readonly<Record<number, Explanation>> = {
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

const UNKNOWN_CLASS: Explanation = {
  meaning: 'The endpoint answered with a status Lambda does not use.',
  action: 'Check the endpoint URL: it should be the Lambda endpoint.',
};

/** The known entry for an error name, also when a local emulator leaves off `Exception`. */
export function lookupServiceError(name: string | undefined): (ServiceErrorInfo & { name: string }) | undefined {
  if (!name) return undefined;
  for (const candidate of [name, `${name}Exception`]) {
    if (Object.hasOwn(SERVICE_ERRORS, candidate)) return { name: candidate, ...SERVICE_ERRORS[candidate]! };
  }
  return undefined;
}

/** What an error means when its name is unknown: by its status, else by its status class. */
export function genericFor(statusCode: number): Explanation {
  return GENERIC_BY_STATUS[statusCode] ?? GENERIC_BY_CLASS[Math.floor(statusCode / 100)] ?? UNKNOWN_CLASS;
}

