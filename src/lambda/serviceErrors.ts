/**
 * The errors Lambda's Invoke answers with, by the name it puts in `X-Amzn-ErrorType`, and the
 * HTTP status each one travels with. One table, so the engine that explains an error and the
 * local endpoint that sends one agree on every status. Source: the "Errors" table of the Lambda
 * Invoke API reference, plus the signature and routing errors of the service's front door,
 * which answers before Lambda itself sees the request.
 */
export const SERVICE_ERROR_STATUS = {
  InvalidParameterValueException: 400,
  InvalidRequestContentException: 400,
  ModeNotSupportedException: 400,
  NoPublishedVersionException: 400,
  RecursiveInvocationException: 400,
  SnapStartException: 400,
  /** The front door's answer to a path label or query value outside the model's constraints. */
  ValidationException: 400,

  ServiceQuotaExceededException: 402,

  EFSMountFailureException: 403,
  S3FilesMountFailureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  ExpiredTokenException: 403,
  AccessDeniedException: 403,
  SignatureDoesNotMatch: 403,
  IncompleteSignatureException: 403,
  MissingAuthenticationTokenException: 403,

  ResourceNotFoundException: 404,
  /** The front door's answer to a path that names no operation. */
  UnknownOperationException: 404,

  EFSMountConnectivityException: 408,
  EFSMountTimeoutException: 408,
  SnapStartTimeoutException: 408,
  S3FilesMountConnectivityException: 408,
  S3FilesMountTimeoutException: 408,

  ResourceConflictException: 409,
  CodeArtifactUserDeletedException: 409,
  CodeArtifactUserPendingException: 409,
  CodeArtifactUserFailedException: 409,
  SnapStartNotReadyException: 409,
  SnapStartRegenerationFailureException: 409,
  DurableExecutionAlreadyStartedException: 409,

  EFSIOException: 410,

  RequestTooLargeException: 413,
  SerializedRequestEntityTooLargeException: 413,
  RequestEntityTooLargeException: 413,

  UnsupportedMediaTypeException: 415,

  TooManyRequestsException: 429,

  ServiceException: 500,

  ResourceNotReadyException: 502,
  EC2AccessDeniedException: 502,
  EC2ThrottledException: 502,
  EC2UnexpectedException: 502,
  ENILimitReachedException: 502,
  ENINotReadyException: 502,
  InvalidRuntimeException: 502,
  InvalidSecurityGroupIDException: 502,
  InvalidSubnetIDException: 502,
  InvalidZipFileException: 502,
  KMSAccessDeniedException: 502,
  KMSDisabledException: 502,
  KMSInvalidStateException: 502,
  KMSNotFoundException: 502,
  SubnetIPAddressLimitReachedException: 502,
} as const satisfies Record<string, number>;

export type ServiceErrorName = keyof typeof SERVICE_ERROR_STATUS;
