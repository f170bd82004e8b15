/**
 * Which operation a request asks for, as one table: by method and path for Lambda's REST-JSON
 * operations (Invoke, the read operations of the control plane the endpoint serves for its own
 * functions, and the durable-execution reads), and by `X-Amz-Target` for the CloudWatch Logs
 * operations (JSON 1.1, `POST /`) that serve the functions' logs on the same port. Each route
 * names the service its requests must be signed for and the protocol its errors are sent in.
 * The paths are the service models' (Lambda 2015-03-31 and 2025-12-01, Logs 2014-03-28);
 * anything else is answered the way the front door answers an operation it does not serve.
 */
import { LOGS_OPERATIONS, LOGS_TARGET_PREFIX, type LogsOperation } from '../logs/logsApi';
import { failure, type ServiceFailure } from './serviceErrors';

export type LambdaOperationName =
  | 'Invoke'
  | 'ListFunctions'
  | 'GetFunction'
  | 'GetFunctionConfiguration'
  | 'ListAliases'
  | 'ListVersionsByFunction'
  | 'GetDurableExecution'
  | 'GetDurableExecutionHistory';
export type OperationName = LambdaOperationName | LogsOperation;

/** The SigV4 signing name of a route's service. */
export type SigningService = 'lambda' | 'logs';
/** How a route's answers and errors are put on the wire. */
export type WireProtocol = 'rest-json' | 'json-1.1';

interface RouteEntry {
  readonly operation: LambdaOperationName;
  readonly method: string;
  /** Matches the raw (still percent-encoded) path; group 1, when there is one, is the path label. */
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
  // The ARN is one label: its `/`s travel as %2F.
  {
    operation: 'GetDurableExecution',
    method: 'GET',
    path: new RegExp(`^/2025-12-01/durable-executions/${LABEL}$`),
    shape: 'GET /2025-12-01/durable-executions/{DurableExecutionArn}',
  },
  {
    operation: 'GetDurableExecutionHistory',
    method: 'GET',
    path: new RegExp(`^/2025-12-01/durable-executions/${LABEL}/history$`),
    shape: 'GET /2025-12-01/durable-executions/{DurableExecutionArn}/history',
  },
];

export interface Routed {
  readonly operation: OperationName;
  /** The path label, still percent-encoded; absent for ListFunctions and the Logs operations. */
  readonly rawLabel: string | undefined;
  readonly service: SigningService;
  readonly protocol: WireProtocol;
}

export type RouteResult =
  | { readonly ok: true; readonly value: Routed }
  | { readonly ok: false; readonly failure: ServiceFailure; readonly protocol: WireProtocol; readonly services: readonly SigningService[] };

/**
 * The operation `method rawPath` (and, for `POST /`, the `X-Amz-Target` header) names, or the
 * front door's refusal, with the protocol to send it in and the services a signature may name.
 */
export function routeRequest(method: string, rawPath: string, target?: string): RouteResult {
  if (method === 'POST' && rawPath === '/' && target !== undefined) {
    const operation = target.startsWith(LOGS_TARGET_PREFIX) ? target.slice(LOGS_TARGET_PREFIX.length) : undefined;
    if (operation !== undefined && (LOGS_OPERATIONS as readonly string[]).includes(operation)) {
      return { ok: true, value: { operation: operation as LogsOperation, rawLabel: undefined, service: 'logs', protocol: 'json-1.1' } };
    }
    return {
      ok: false,
      protocol: 'json-1.1',
      services: ['lambda', 'logs'],
      failure: failure(
        'UnknownOperationException',
        `Unknown X-Amz-Target: ${target}. This endpoint serves ${logsServed()}, and Lambda's operations by path (${lambdaServed()}).`,
      ),
    };
  }
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.path.exec(rawPath);
    if (match) return { ok: true, value: { operation: route.operation, rawLabel: match[1], service: 'lambda', protocol: 'rest-json' } };
  }
  return { ok: false, failure: unknownOperation(method, rawPath), protocol: 'rest-json', services: ['lambda', 'logs'] };
}

function lambdaServed(): string {
  return ROUTES.map((r) => `${r.operation} (${r.shape})`).join(', ');
}

function logsServed(): string {
  return `CloudWatch Logs' ${LOGS_OPERATIONS.join(', ')} (POST / with X-Amz-Target: ${LOGS_OPERATIONS.map((op) => `${LOGS_TARGET_PREFIX}${op}`).join(' or ')})`;
}

export function unknownOperation(method: string, rawPath: string): ServiceFailure {
  return failure(
    'UnknownOperationException',
    `Unknown operation: ${method} ${rawPath}. This endpoint serves Lambda's ${lambdaServed()}, and ${logsServed()}; check the endpoint URL has no extra path.`,
  );
}
