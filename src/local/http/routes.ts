/**
 * Which of Lambda's operations a request asks for, by method and path, as one table: Invoke,
 * and the read operations of the control plane the endpoint serves for its own functions. The
 * paths are the service model's (API version 2015-03-31); anything else is answered the way the
 * service's front door answers a path that names no operation it serves.
 */
import { failure, type ServiceFailure } from './serviceErrors';

export type OperationName = 'Invoke' | 'ListFunctions' | 'GetFunction' | 'GetFunctionConfiguration' | 'ListAliases' | 'ListVersionsByFunction';

interface RouteEntry {
  readonly operation: OperationName;
  readonly method: string;
  /** Matches the raw (still percent-encoded) path; group 1, when there is one, is the FunctionName label. */
  readonly path: RegExp;
  /** For the message listing what is served. */
  readonly shape: string;
}

const LABEL = '([^/]+)';

export const ROUTES: readonly RouteEntry[] = [
  { operation: 'Invoke', method: 'POST', path: new RegExp(`^/2015-03-31/functions/${LABEL}/invocations$`), shape: 'POST /2015-03-31/functions/{FunctionName}/invocations' },
  // The AWS CLI v2 sends the path with its trailing slash, newer SDKs without it.
  { operation: 'ListFunctions', method: 'GET', path: /^\/2015-03-31\/functions\/?$/, shape: 'GET /2015-03-31/functions/' },
  { operation: 'GetFunction', method: 'GET', path: new RegExp(`^/2015-03-31/functions/${LABEL}$`), shape: 'GET /2015-03-31/functions/{FunctionName}' },
  {
    operation: 'GetFunctionConfiguration',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${LABEL}/configuration$`),
    shape: 'GET /2015-03-31/functions/{FunctionName}/configuration',
  },
  { operation: 'ListAliases', method: 'GET', path: new RegExp(`^/2015-03-31/functions/${LABEL}/aliases$`), shape: 'GET /2015-03-31/functions/{FunctionName}/aliases' },
  {
    operation: 'ListVersionsByFunction',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${LABEL}/versions$`),
    shape: 'GET /2015-03-31/functions/{FunctionName}/versions',
  },
];

export interface Routed {
  readonly operation: OperationName;
  /** The FunctionName path label, still percent-encoded; absent for ListFunctions. */
  readonly rawLabel: string | undefined;
}

/** The operation `method rawPath` names, or the front door's 404. */
export function routeRequest(method: string, rawPath: string): { ok: true; value: Routed } | { ok: false; failure: ServiceFailure } {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.path.exec(rawPath);
    if (match) return { ok: true, value: { operation: route.operation, rawLabel: match[1] } };
  }
  return { ok: false, failure: unknownOperation(method, rawPath) };
}

export function unknownOperation(method: string, rawPath: string): ServiceFailure {
  return failure(
    'UnknownOperationException',
    `Unknown operation: ${method} ${rawPath}. This endpoint serves Lambda's ${ROUTES.map((r) => `${r.operation} (${r.shape})`).join(', ')}; check the endpoint URL has no extra path.`,
  );
}
