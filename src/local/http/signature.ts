/**
 * SigV4 at the local endpoint's front door. The scope must name the service of the route asked
 * for (`lambda` for Lambda's operations, `logs` for CloudWatch Logs'), as each service's front
 * door insists. Without expected credentials, any other well-formed `Authorization` header
 * passes (its scope still gives the region). With them, the signature
 * is computed again with @smithy/signature-v4 from the request as received — same
 * `X-Amz-Date`, scope and signed headers, the raw path (encoded once on the wire; the signer
 * encodes it a second time for the canonical request, as Lambda does, unlike S3) — and
 * compared. Problems come back as the front door's 403 errors.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { failure, type ServiceFailure } from './serviceErrors';

export interface ExpectedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The request as it arrived. Header names are lower-case; repeated headers keep every value. */
export interface ReceivedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: Uint8Array;
}

export type SignatureCheck = { readonly ok: true; readonly region: string } | { readonly ok: false; readonly failure: ServiceFailure };

/** How far the signing clock may be from this one, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const DEFAULT_SERVICES: readonly string[] = ['lambda'];
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

interface Authorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly amzDate: string;
}

const incomplete = (message: string): SignatureCheck => ({ ok: false, failure: failure('IncompleteSignatureException', message) });
const invalid = (message: string): SignatureCheck => ({ ok: false, failure: failure('InvalidSignatureException', message) });

/** Reads the `Authorization` header; a string result is the reason it is not well-formed. */
function parseAuthorization(request: ReceivedRequest): Authorization | string {
  const header = first(request, 'authorization') ?? '';
  const amzDate = first(request, 'x-amz-date');
  const [algorithm = '', ...rest] = header.trim().split(/\s+/);
  const fields = new Map<string, string>();
  for (const part of rest.join(' ').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing: string[] = [];
  if (algorithm !== ALGORITHM) missing.push(`Authorization header must start with '${ALGORITHM}'.`);
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (amzDate === undefined) missing.push("Authorization header requires existence of an 'X-Amz-Date' header.");
  if (missing.length > 0) return `${missing.join(' ')} Authorization=${header}. Sign the request with SigV4 (any AWS SDK or the AWS CLI does).`;

  const credential = fields.get('Credential')!.split('/');
  if (credential.length !== 5 || credential.some((part) => part === '') || credential[4] !== 'aws4_request') {
    return `Credential should be <access key id>/<yyyymmdd>/<region>/<service>/aws4_request, not '${fields.get('Credential')!}'.`;
  }
  if (!/^\d{8}T\d{6}Z$/.test(amzDate!)) return `X-Amz-Date must be in ISO-8601 basic format (20260131T235959Z), not '${amzDate!}'.`;
  const signature = fields.get('Signature')!;
  if (!/^[0-9a-f]{64}$/.test(signature)) return `Signature must be 64 lower-case hexadecimal digits, not '${signature}'.`;
  const [accessKeyId, date, region, service] = credential as [string, string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: fields.get('SignedHeaders')!.split(';'), signature, amzDate: amzDate! };
}

/**
 * Checks the request's signature. `now` is for tests; `services` are the signing names the
 * route accepts (both, for a request that names no operation: its refusal says so next).
 * Without `expected`, only the form and the service are checked (and the region read from the scope).
 */
export async function checkSignature(
  request: ReceivedRequest,
  expected: ExpectedCredentials | undefined,
  now: Date = new Date(),
  services: readonly string[] = DEFAULT_SERVICES,
): Promise<SignatureCheck> {
  if (first(request, 'authorization') === undefined) {
    return { ok: false, failure: failure('MissingAuthenticationTokenException', 'Missing Authentication Token. Sign the request with SigV4 (any AWS SDK or the AWS CLI does).') };
  }
  const auth = parseAuthorization(request);
  if (typeof auth === 'string') return incomplete(auth);
  // Checked before the credentials: a Lambda client pointed at the Logs operations (or the reverse) is the likelier mistake.
  if (!services.includes(auth.service)) {
    return invalid(`Credential should be scoped to correct service: '${services.join("' or '")}'. (This request was signed for '${auth.service}': use a ${services.join(' or ')} client for it.)`);
  }
  if (!expected) return { ok: true, region: auth.region };

  if (auth.accessKeyId !== expected.accessKeyId) {
    return {
      ok: false,
      failure: failure(
        'UnrecognizedClientException',
        `The security token included in the request is invalid. (This local endpoint expects access key id ${expected.accessKeyId}; use the credentials it was started with.)`,
      ),
    };
  }
  if (auth.date !== auth.amzDate.slice(0, 8)) {
    return invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`);
  }
  if (!auth.signedHeaders.includes('host')) return invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const signedAt = parseAmzDate(auth.amzDate);
  const skew = signedAt.getTime() - now.getTime();
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    const limit = formatAmzDate(new Date(now.getTime() + Math.sign(skew) * MAX_CLOCK_SKEW_MS));
    const text =
      skew < 0
        ? `Signature expired: ${auth.amzDate} is now earlier than ${limit} (${formatAmzDate(now)} - 5 min.)`
        : `Signature not yet current: ${auth.amzDate} is still later than ${limit} (${formatAmzDate(now)} + 5 min.)`;
    return invalid(`${text} Check the clock of the machine that signed the request.`);
  }

  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimedHash = first(request, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== UNSIGNED_PAYLOAD && claimedHash !== bodyHash) {
    return invalid('The provided x-amz-content-sha256 header does not match what was computed. Something changed the body after it was signed.');
  }

  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const values = request.headers[name];
    if (values !== undefined) headers[name] = values.join(',');
  }
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: { accessKeyId: expected.accessKeyId, secretAccessKey: expected.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    // The raw path is encoded once; the signer's escaping makes the canonical path encoded twice, as Lambda's is.
    uriEscapePath: true,
    applyChecksum: false,
  });
  const host = headers.host ?? '';
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path: request.rawPath,
      query: parseQuery(request.rawQuery),
      headers,
      body: request.body,
    }),
    { signingDate: signedAt, signableHeaders: new Set(auth.signedHeaders) },
  );
  const computed = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
  if (computed.length === auth.signature.length && timingSafeEqual(Buffer.from(computed), Buffer.from(auth.signature))) {
    return { ok: true, region: auth.region };
  }
  return invalid(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}

function first(request: ReceivedRequest, name: string): string | undefined {
  return request.headers[name]?.[0];
}

/** Query parameters, decoded once, repeated names kept as lists. */
function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseAmzDate(text: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text)!;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
