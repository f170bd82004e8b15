/**
 * The HTTP request of one Lambda `Invoke`, built exactly as Lambda expects it (path, query,
 * headers, the payload's bytes as the body) and signed with SigV4 by @smithy/signature-v4.
 * No I/O but fetching the credentials the signature needs.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { InvocationRequest, ResolvedTarget } from './types';

/** The HTTP request for an invocation, before signing. */
export function buildHttpRequest(request: InvocationRequest, endpoint: URL): HttpRequest {
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    host: endpoint.host,
    'content-type': 'application/octet-stream',
    'content-length': String(request.payload.byteLength),
    'x-amz-invocation-type': request.invocationType,
  };
  if (request.logType === 'Tail') headers['x-amz-log-type'] = 'Tail';
  if (request.clientContext !== undefined) headers['x-amz-client-context'] = request.clientContext;
  if (request.tenantId !== undefined) headers['x-amz-tenant-id'] = request.tenantId;
  if (request.durableExecutionName !== undefined) headers['x-amz-durable-execution-name'] = request.durableExecutionName;
  const query: Record<string, string> = {};
  if (request.qualifier !== undefined) query.Qualifier = request.qualifier;
  return new HttpRequest({
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    method: 'POST',
    // Encoded once here; the signer encodes the path again for the canonical request (Lambda is not S3).
    path: `${basePath}/2015-03-31/functions/${encodeLabel(request.functionName)}/invocations`,
    query,
    headers,
    body: request.payload,
  });
}

/** encodeURIComponent, plus the characters it leaves alone that SigV4 wants escaped. */
function encodeLabel(label: string): string {
  return encodeURIComponent(label).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The request signed for Lambda in the target's region, with the target's credentials. */
export async function signRequest(request: HttpRequest, target: ResolvedTarget): Promise<HttpRequest> {
  const signer = new SignatureV4({
    service: 'lambda',
    region: target.region,
    credentials: target.credentials,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
  });
  return (await signer.sign(request)) as HttpRequest;
}
