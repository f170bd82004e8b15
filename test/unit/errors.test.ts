import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_ERRORS, THROTTLE_REASONS, lookupServiceError } from '../../src/engine/serviceErrorExplanations';
import { retryAfterMs, serviceError } from '../../src/engine/serviceErrorReader';
import { SERVICE_ERROR_STATUS } from '../../src/lambda/serviceErrors';
import { LOCAL_ERRORS, type LocalErrorName, errorResponse, failure } from '../../src/local/http/serviceErrors';

const bytes = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown) => bytes(JSON.stringify(value));
const NOT_KNOWN = 'is not an error this extension knows';

/** The reference's Errors table, row by row (status → names), copied from lambda-invoke-api.md. */
const REFERENCE_ERRORS: Readonly<Record<number, readonly string[]>> = {
  400: [
    'InvalidParameterValueException',
    'InvalidRequestContentException',
    'ModeNotSupportedException',
    'NoPublishedVersionException',
    'RecursiveInvocationException',
    'SnapStartException',
  ],
  402: ['ServiceQuotaExceededException'],
  403: [
    'EFSMountFailureException',
    'S3FilesMountFailureException',
    'InvalidSignatureException',
    'UnrecognizedClientException',
    'ExpiredTokenException',
    'AccessDeniedException',
  ],
  404: ['ResourceNotFoundException'],
  408: [
    'EFSMountConnectivityException',
    'EFSMountTimeoutException',
    'SnapStartTimeoutException',
    'S3FilesMountConnectivityException',
    'S3FilesMountTimeoutException',
  ],
  409: [
    'ResourceConflictException',
    'CodeArtifactUserDeletedException',
    'CodeArtifactUserPendingException',
    'CodeArtifactUserFailedException',
    'SnapStartNotReadyException',
    'SnapStartRegenerationFailureException',
    'DurableExecutionAlreadyStartedException',
  ],
  410: ['EFSIOException'],
  413: ['RequestTooLargeException', 'SerializedRequestEntityTooLargeException', 'RequestEntityTooLargeException'],
  415: ['UnsupportedMediaTypeException'],
  429: ['TooManyRequestsException'],
  500: ['ServiceException'],
  502: [
    'ResourceNotReadyException',
    'EC2AccessDeniedException',
    'EC2ThrottledException',
    'EC2UnexpectedException',
    'ENILimitReachedException',
    'ENINotReadyException',
    'InvalidRuntimeException',
    'InvalidSecurityGroupIDException',
    'InvalidSubnetIDException',
    'InvalidZipFileException',
    'KMSAccessDeniedException',
    'KMSDisabledException',
    'KMSInvalidStateException',
    'KMSNotFoundException',
    'SubnetIPAddressLimitReachedException',
  ],
};

/** invoke-method.txt's "May throw" list: every one must be in the reference table too. */
const MAY_THROW = [
  'DurableExecutionAlreadyStartedException', 'EC2AccessDeniedException', 'EC2ThrottledException', 'EC2UnexpectedException',
  'EFSIOException', 'EFSMountConnectivityException', 'EFSMountFailureException', 'EFSMountTimeoutException',
  'ENILimitReachedException', 'InvalidParameterValueException', 'InvalidRequestContentException', 'InvalidRuntimeException',
  'InvalidSecurityGroupIDException', 'InvalidSubnetIDException', 'InvalidZipFileException', 'KMSAccessDeniedException',
  'KMSDisabledException', 'KMSInvalidStateException', 'KMSNotFoundException', 'NoPublishedVersionException',
  'RecursiveInvocationException', 'RequestTooLargeException', 'ResourceConflictException', 'ResourceNotFoundException',
  'ResourceNotReadyException', 'S3FilesMountConnectivityException', 'S3FilesMountFailureException', 'S3FilesMountTimeoutException',
  'SerializedRequestEntityTooLargeException', 'ServiceException', 'SnapStartException', 'SnapStartNotReadyException',
  'SnapStartTimeoutException', 'SubnetIPAddressLimitReachedException', 'TooManyRequestsException', 'UnsupportedMediaTypeException',
];

const ALL_REFERENCE = Object.entries(REFERENCE_ERRORS).flatMap(([status, names]) => names.map((name) => ({ name, status: Number(status) })));

describe('SERVICE_ERRORS covers the reference', () => {
  test('the copied list is the whole table (48 names) and includes every "May throw"', () => {
    assert.equal(ALL_REFERENCE.length, 48);
    const names = new Set(ALL_REFERENCE.map((e) => e.name));
    for (const name of MAY_THROW) assert.ok(names.has(name), name);
  });

  for (const { name, status } of ALL_REFERENCE) {
    test(`${name} → ${status}, explained`, () => {
      const info = SERVICE_ERRORS[name];
      assert.ok(info, `${name} is missing from SERVICE_ERRORS`);
      assert.equal(info.status, status);
      assert.match(info.meaning, /^[A-Z].{20,}\.$/);
      assert.match(info.action, /^[A-Z].{15,}\.$/);

      const error = serviceError(status, { 'x-amzn-errortype': name, 'x-amzn-requestid': 'req-1' }, json({ Type: 'User', message: 'from Lambda' }));
      assert.equal(error.kind, 'service');
      assert.equal(error.details.errorType, name);
      assert.equal(error.details.statusCode, status);
      assert.equal(error.details.requestId, 'req-1');
      assert.ok(error.message.startsWith(`${name}: from Lambda — `), error.message);
      assert.ok(error.message.includes(info.meaning), error.message);
      assert.ok(error.details.hint?.endsWith(info.action), error.details.hint);
      assert.ok(!error.message.includes(NOT_KNOWN));
    });
  }

  test('no two error types share an explanation', () => {
    const meanings = Object.values(SERVICE_ERRORS).map((info) => info.meaning);
    assert.equal(new Set(meanings).size, meanings.length);
  });

  test('the extra front-door errors are there too', () => {
    for (const name of ['SignatureDoesNotMatch', 'IncompleteSignatureException', 'MissingAuthenticationTokenException']) {
      assert.equal(SERVICE_ERRORS[name]?.status, 403, name);
    }
  });
});

describe('one table of statuses for the engine and the local endpoint', () => {
  test('every name Lambda answers with is explained, at the status src/lambda/serviceErrors.ts gives it', () => {
    assert.deepEqual(Object.keys(SERVICE_ERRORS).sort(), Object.keys(SERVICE_ERROR_STATUS).sort());
    for (const [name, status] of Object.entries(SERVICE_ERROR_STATUS)) assert.equal(SERVICE_ERRORS[name]?.status, status, name);
  });

  for (const name of Object.keys(LOCAL_ERRORS) as LocalErrorName[]) {
    test(`the local endpoint's ${name} reads back as the same error, at Lambda's status`, () => {
      const wire = errorResponse(failure(name, 'from the local endpoint'), 'local-1');
      const lowerCased = Object.fromEntries(Object.entries(wire.headers).map(([key, value]) => [key.toLowerCase(), value]));
      const error = serviceError(wire.status, lowerCased, wire.body);
      assert.equal(wire.status, SERVICE_ERRORS[name]!.status);
      assert.equal(error.details.errorType, name);
      assert.equal(error.details.requestId, 'local-1');
      assert.ok(error.message.startsWith(`${name}: from the local endpoint — ${SERVICE_ERRORS[name]!.meaning}`), error.message);
    });
  }
});

describe('what each explanation tells the user', () => {
  const hintOf = (name: string) => serviceError(SERVICE_ERRORS[name]!.status, { 'x-amzn-errortype': name }, new Uint8Array()).details.hint ?? '';

  test('ResourceNotFoundException: name, qualifier, region and account', () => {
    const hint = hintOf('ResourceNotFoundException');
    for (const word of ['function name', 'qualifier', 'region', 'account']) assert.ok(hint.includes(word), word);
  });

  test("configuration errors point into the function's configuration", () => {
    const names = Object.keys(SERVICE_ERRORS).filter((n) => /^(KMS|EFS|ENI|EC2|S3Files|Subnet|InvalidSubnet|InvalidSecurityGroup)/.test(n));
    assert.ok(names.length >= 19, `${names.length}`);
    for (const name of names) {
      const info = SERVICE_ERRORS[name]!;
      assert.match(`${info.meaning} ${info.action}`, /function's (configuration|VPC|execution role|subnets|EFS|S3 Files|file system|network)/, name);
    }
    for (const name of names.filter((n) => n.startsWith('KMS'))) assert.match(hintOf(name), /KMS key/, name);
    assert.match(hintOf('EC2AccessDeniedException'), /ec2:CreateNetworkInterface/);
    assert.match(hintOf('EFSMountConnectivityException'), /2049/);
  });

  test('InvalidRequestContentException: the payload must be JSON', () => {
    assert.match(hintOf('InvalidRequestContentException'), /payload must be valid JSON/);
  });

  test('too-large errors give both limits in MB and bytes', () => {
    for (const name of ['RequestTooLargeException', 'RequestEntityTooLargeException', 'SerializedRequestEntityTooLargeException']) {
      const { meaning } = SERVICE_ERRORS[name]!;
      assert.match(meaning, /6 MB \(6,291,456 bytes\)/, name);
      assert.match(meaning, /1 MB \(1,048,576 bytes\)/, name);
    }
  });

  test('ExpiredTokenException: refresh, aws sso login', () => {
    assert.match(hintOf('ExpiredTokenException'), /aws sso login/);
  });

  test('AccessDeniedException: lambda:InvokeFunction on the ARN, with the qualifier', () => {
    const hint = hintOf('AccessDeniedException');
    assert.match(hint, /lambda:InvokeFunction/);
    assert.match(hint, /ARN/);
    assert.match(hint, /qualifier/);
  });

  test('InvalidSignatureException mentions the clock', () => {
    assert.match(hintOf('InvalidSignatureException'), /clock/);
  });
});

describe('may the function have run?', () => {
  const run = (status: number, name?: string) =>
    serviceError(status, name ? { 'x-amzn-errortype': name } : {}, json({ message: 'x' })).details.mayHaveRun === true;

  test('ServiceException says it may or may not have run', () => {
    const error = serviceError(500, { 'x-amzn-errortype': 'ServiceException' }, json({ Message: 'internal' }));
    assert.equal(error.details.mayHaveRun, true);
    assert.match(error.message, /may or may not have run/);
  });

  test('EFSIOException happens while the function runs', () => assert.equal(run(410, 'EFSIOException'), true));

  test('throttles, permissions and setup failures did not run it', () => {
    for (const name of ['TooManyRequestsException', 'AccessDeniedException', 'ResourceNotFoundException', 'KMSDisabledException', 'ENILimitReachedException']) {
      assert.equal(run(SERVICE_ERRORS[name]!.status, name), false, name);
    }
  });

  test('an unknown 5xx may have run; an unknown 4xx did not', () => {
    assert.equal(run(503), true);
    assert.equal(run(504, 'GatewayTimeoutException'), true);
    assert.equal(run(400, 'SomethingNewException'), false);
  });
});

describe('reading the error name', () => {
  const nameOf = (headers: Record<string, string | undefined>, body: Uint8Array = new Uint8Array()) => serviceError(404, headers, body).details.errorType;

  test('X-Amzn-ErrorType with a URL after the colon', () => {
    assert.equal(nameOf({ 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/' }), 'ResourceNotFoundException');
  });

  test('a namespace before #', () => {
    assert.equal(nameOf({ 'x-amzn-errortype': 'aws.protocol#ResourceNotFoundException' }), 'ResourceNotFoundException');
    assert.equal(nameOf({ 'x-amzn-errortype': 'com.amazonaws.lambda#ResourceNotFoundException:http://x/' }), 'ResourceNotFoundException');
    assert.equal(nameOf({ 'x-amzn-errortype': '  ResourceNotFoundException  ' }), 'ResourceNotFoundException');
  });

  test('a header map with other casing still works', () => {
    assert.equal(nameOf({ 'X-Amzn-ErrorType': 'ResourceNotFoundException' }), 'ResourceNotFoundException');
  });

  test('falls back to the body: __type, then code', () => {
    assert.equal(nameOf({}, json({ __type: 'com.amazon.coral.service#ExpiredTokenException', message: 'x' })), 'ExpiredTokenException');
    assert.equal(nameOf({}, json({ code: 'AccessDeniedException' })), 'AccessDeniedException');
    assert.equal(nameOf({ 'x-amzn-errortype': 'ResourceNotFoundException' }, json({ __type: 'ServiceException' })), 'ResourceNotFoundException');
  });

  test("the body's Type is a fault category, never the name", () => {
    const error = serviceError(400, {}, json({ Type: 'User', message: 'bad' }));
    assert.equal(error.details.errorType, undefined);
    assert.ok(!error.message.includes('User'), error.message);
    assert.match(error.message, /^HTTP 400 Bad Request: bad — /);
  });

  test("a local emulator's name without the Exception suffix", () => {
    assert.equal(nameOf({ 'x-amzn-errortype': 'ResourceNotFound' }, json({ Type: 'User', Message: 'Function not found: f' })), 'ResourceNotFoundException');
  });

  test('names that are also Object.prototype keys are just unknown', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal(lookupServiceError(name), undefined, name);
      const error = serviceError(400, { 'x-amzn-errortype': name }, new Uint8Array());
      assert.equal(error.details.errorType, name);
      assert.ok(error.message.includes(NOT_KNOWN), error.message);
    }
  });
});

describe('reading the message', () => {
  test('message or Message', () => {
    const a = serviceError(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }, json({ Type: 'User', message: 'lower' }));
    const b = serviceError(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }, json({ Type: 'User', Message: 'Upper' }));
    assert.ok(a.message.startsWith('ResourceNotFoundException: lower — '));
    assert.ok(b.message.startsWith('ResourceNotFoundException: Upper — '));
  });

  test('the request id argument wins over the header', () => {
    const headers = { 'x-amzn-errortype': 'ServiceException', 'x-amzn-requestid': 'from-header' };
    assert.equal(serviceError(500, headers, new Uint8Array(), 'from-arg').details.requestId, 'from-arg');
    assert.equal(serviceError(500, headers, new Uint8Array()).details.requestId, 'from-header');
  });

  test('a long or multi-line message is folded and clipped', () => {
    const error = serviceError(400, { 'x-amzn-errortype': 'InvalidParameterValueException' }, json({ message: `a\n\n b ${'x'.repeat(5000)}` }));
    assert.ok(!error.message.includes('\n'));
    assert.ok(error.message.startsWith('InvalidParameterValueException: a b xxx'));
    assert.ok(error.message.length < 700, `${error.message.length}`);
  });
});

describe('TooManyRequestsException', () => {
  const throttle = (headers: Record<string, string>, body: object) =>
    serviceError(429, { 'x-amzn-errortype': 'TooManyRequestsException', ...headers }, json({ Type: 'User', message: 'Rate Exceeded.', ...body }));

  test('each of the six reasons has its own sentence', () => {
    const reasons = [
      'ConcurrentInvocationLimitExceeded',
      'FunctionInvocationRateLimitExceeded',
      'ReservedFunctionConcurrentInvocationLimitExceeded',
      'ReservedFunctionInvocationRateLimitExceeded',
      'CallerRateLimitExceeded',
      'ConcurrentSnapshotCreateLimitExceeded',
    ];
    assert.deepEqual(Object.keys(THROTTLE_REASONS).sort(), [...reasons].sort());
    assert.equal(new Set(Object.values(THROTTLE_REASONS)).size, 6);
    for (const reason of reasons) {
      const error = throttle({}, { Reason: reason });
      assert.ok(error.message.includes(THROTTLE_REASONS[reason]!), reason);
      assert.equal(error.details.mayHaveRun, undefined);
    }
    assert.match(THROTTLE_REASONS.ReservedFunctionConcurrentInvocationLimitExceeded!, /reserved concurrency of 0/);
  });

  test('an unknown reason is shown as is', () => {
    assert.match(throttle({}, { Reason: 'BrandNewLimit' }).message, /Reason: BrandNewLimit\./);
  });

  test('Retry-After in seconds', () => {
    const error = throttle({ 'retry-after': '7' }, { Reason: 'CallerRateLimitExceeded' });
    assert.match(error.details.hint ?? '', /^Lambda asks to wait 7 s before trying again \(Retry-After\)\./);
  });

  test('Retry-After as an HTTP-date', () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const error = throttle({ 'retry-after': at }, {});
    assert.match(error.details.hint ?? '', /^Lambda asks to wait 120 s/);
  });

  test("the body's retryAfterSeconds when there is no header", () => {
    assert.match(throttle({}, { retryAfterSeconds: '3' }).details.hint ?? '', /wait 3 s/);
  });

  test('no Retry-After: the plain advice', () => {
    assert.equal(throttle({}, {}).details.hint, SERVICE_ERRORS.TooManyRequestsException!.action);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const wait = (value: string | undefined) => retryAfterMs({ 'retry-after': value }, now);

  test('delay-seconds', () => {
    assert.equal(wait('5'), 5000);
    assert.equal(wait('0'), 0);
    assert.equal(wait(' 2 '), 2000);
    assert.equal(wait('1.5'), 1500);
  });

  test('HTTP-date, IMF-fixdate and RFC 850', () => {
    assert.equal(wait('Sun, 01 Mar 2026 12:00:30 GMT'), 30_000);
    assert.equal(wait('Sunday, 01-Mar-26 12:01:00 GMT'), 60_000);
  });

  test('a date in the past means now', () => {
    assert.equal(wait('Sun, 01 Mar 2026 11:00:00 GMT'), 0);
  });

  test('absent or unreadable', () => {
    assert.equal(retryAfterMs({}), undefined);
    for (const value of [undefined, '', 'soon', '-1', '1e3', '5s']) assert.equal(wait(value), undefined, String(value));
  });

  test('finds the header in any casing', () => {
    assert.equal(retryAfterMs({ 'Retry-After': '4' }), 4000);
  });
});

describe('bodies that are not what Lambda sends', () => {
  test('malformed JSON with a known name: the known explanation, never a throw', () => {
    const error = serviceError(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }, bytes('{"message": "Function not fou'));
    assert.equal(error.details.errorType, 'ResourceNotFoundException');
    assert.ok(error.message.includes(SERVICE_ERRORS.ResourceNotFoundException!.meaning));
    assert.match(error.message, /not JSON/);
  });

  test('an empty body: known name, or the status alone', () => {
    const known = serviceError(403, { 'x-amzn-errortype': 'ExpiredTokenException' }, new Uint8Array());
    assert.equal(known.message, `ExpiredTokenException — ${SERVICE_ERRORS.ExpiredTokenException!.meaning}`);
    const bare = serviceError(403, {}, new Uint8Array());
    assert.equal(bare.details.errorType, undefined);
    assert.match(bare.message, /^HTTP 403 Forbidden — /);
    assert.match(bare.details.hint ?? '', /lambda:InvokeFunction/);
  });

  test('HTML from a proxy: said to come from something in between, with its first line', () => {
    const page =
      '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>' +
      '<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    const error = serviceError(502, { 'content-type': 'text/html' }, bytes(page), 'r-9');
    assert.equal(error.kind, 'service');
    assert.equal(error.details.errorType, undefined);
    assert.equal(error.details.statusCode, 502);
    assert.equal(error.details.requestId, 'r-9');
    assert.match(error.message, /^HTTP 502 Bad Gateway with an HTML page from something between you and Lambda/);
    assert.ok(error.message.endsWith('"502 Bad Gateway"'), error.message);
    assert.match(error.details.hint ?? '', /proxy/);
    assert.equal(error.details.mayHaveRun, true);
  });

  test('HTML without a content type, with entities and comments, from a 403 proxy', () => {
    const page = '  <!-- blocked -->\n<html><body>\n<p>Access &amp; use policy: &quot;denied&quot; &#8212; call IT</p></body></html>';
    const error = serviceError(403, {}, bytes(page));
    assert.ok(error.message.endsWith('"Access & use policy: "denied" — call IT"'), error.message);
    assert.equal(error.details.mayHaveRun, undefined);
  });

  test('plain text with no error name', () => {
    const error = serviceError(503, {}, bytes('\n\nService Unavailable\nretry later'));
    assert.match(error.message, /a non-JSON body from something between you and Lambda.*"Service Unavailable"$/);
  });

  test('JSON that is not an object, and bytes that are not UTF-8', () => {
    for (const body of [bytes('[]'), bytes('null'), bytes('"oops"'), bytes('42'), new Uint8Array([0xff, 0xfe, 0x00, 0xc3])]) {
      const error = serviceError(400, { 'x-amzn-errortype': 'InvalidRequestContentException' }, body);
      assert.equal(error.details.errorType, 'InvalidRequestContentException');
    }
  });
});

describe('unknown error names', () => {
  test('a 4xx: the generic text of its status, naming the error', () => {
    const error = serviceError(400, { 'x-amzn-errortype': 'BrandNewException' }, json({ message: 'new thing' }));
    assert.equal(error.details.errorType, 'BrandNewException');
    assert.match(error.message, /^BrandNewException: new thing — BrandNewException is not an error this extension knows for Invoke\. The request was rejected as invalid\./);
  });

  test('by status class when the status has no text of its own', () => {
    assert.match(serviceError(422, { 'x-amzn-errortype': 'X' }, new Uint8Array()).message, /The request was rejected\./);
    assert.match(serviceError(507, { 'x-amzn-errortype': 'Y' }, new Uint8Array()).message, /may or may not have run/);
    assert.match(serviceError(301, {}, new Uint8Array()).message, /redirect/);
    assert.match(serviceError(199, {}, new Uint8Array()).message, /status Lambda does not use/);
  });
});
