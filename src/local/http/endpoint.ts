/**
 * The local Lambda endpoint: an HTTP server answering Lambda's Invoke API
 * (POST /2015-03-31/functions/{FunctionName}/invocations) the way the service does — statuses,
 * headers, error names and bodies, limits, signatures — and running the functions declared in
 * DIR/lambda-invoke.local.json in worker processes; on the same port, the control plane's read
 * operations (ListFunctions, GetFunction, …) describe those functions, CloudWatch Logs'
 * FilterLogEvents and GetLogEvents serve their execution logs, and GetDurableExecution(History)
 * the durable executions their invocations started. This module only wires HTTP to the routes
 * (routes.ts), the pure checks (invokeRequest.ts, signature.ts), the control plane
 * (controlPlane.ts), the log store (logs/), the durable executions (durable/), the configuration
 * (configStore.ts) and the workers (workerPool.ts).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { executionLogLines, joinLogLines, logTail } from '../runtime/executionLog';
import type { FunctionVersionConfig, LocalConfig, LocalFunctionConfig } from '../config/config';
import { missingMessage, outsideMessage, resolveHandlerFile } from '../config/config';
import { ConfigStore, type ConfigState } from '../config/configStore';
import { DurableExecutionStore, type DurableExecution } from '../durable/durableExecutions';
import { invocationLogEvents } from '../logs/invocationLogs';
import { LogStore } from '../logs/logStore';
import { answerLogs, type LogsFailure, type LogsOperation } from '../logs/logsApi';
import { answerControlPlane, type ControlPlaneOperation } from './controlPlane';
import { answerDurableRead, type DurableReadOperation } from './durableReads';
import {
  bodyLimitFor,
  checkBodySize,
  checkInvocationRules,
  functionArn,
  parseInvokeRequest,
  parsePayload,
  resolveTarget,
  RESPONSE_PAYLOAD_LIMIT,
  type Checked,
  type InvokeParameters,
} from './invokeRequest';
import { routeRequest, type OperationName, type WireProtocol } from './routes';
import { LocalEndpointDefaults } from '../../protocol/ids';
import { locateRuntime } from '../runtime/runtimeEntry';
import { errorResponse, failure, json11ErrorResponse, JSON_1_1_CONTENT_TYPE, type ServiceFailure, type WireResponse } from './serviceErrors';
import { checkSignature, type ExpectedCredentials } from './signature';
import { logStreamName, PoolClosedError, WorkerPool, type InvocationInput, type InvocationRecord, type WorkerSpec } from '../runtime/workerPool';
import type { FunctionErrorBody } from '../runtime/workerProtocol';

/** Workers alive at once, all functions together; more synchronous calls are throttled (429). */
export const DEFAULT_MAX_WORKERS = 10;

export interface LocalEndpointOptions {
  /** The folder holding lambda-invoke.local.json and the handler files. */
  readonly dir: string;
  /** Default LocalEndpointDefaults.port (3001); 0 picks a free port. */
  readonly port?: number;
  /** Default LocalEndpointDefaults.host (127.0.0.1). */
  readonly host?: string;
  /** When given, requests must be signed with these (SigV4); otherwise any well-formed signature passes. */
  readonly credentials?: ExpectedCredentials;
  /** Receives the endpoint's log: Lambda's execution logs, workers starting and stopping, refused requests. */
  readonly log?: (line: string) => void;
  /** Workers alive at once (default 10). */
  readonly maxWorkers?: number;
}

export interface LocalEndpoint {
  /** Where it listens: pass it as the endpoint URL (`--endpoint-url`, `lambdaInvoke.endpoint`). */
  readonly url: URL;
  /** The functions the configuration declared when it started listening (it is read again on every request). */
  readonly functions: readonly string[];
  /** Stops listening, kills every worker and waits for them to exit. */
  close(): Promise<void>;
}

/** Environment variables handed through from the endpoint's own environment: just enough for Node and the AWS SDK's profile files. */
const INHERITED_ENV = ['PATH', 'HOME', 'USERPROFILE', 'SystemRoot', 'TEMP', 'TMP', 'TMPDIR'] as const;

export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  const log = options.log ?? (() => undefined);
  const requested = path.resolve(options.dir);
  let dir: string;
  try {
    dir = await fs.realpath(requested);
  } catch {
    throw new Error(`The folder to serve, ${requested}, does not exist: create it with a lambda-invoke.local.json, or give another folder.`);
  }
  const store = await ConfigStore.open(dir, log);
  const maxWorkers = options.maxWorkers ?? DEFAULT_MAX_WORKERS;
  const pool = new WorkerPool({ runtime: locateRuntime(), maxWorkers, log });
  const background = new Set<Promise<void>>();
  const context: EndpointContext = {
    dir,
    store,
    pool,
    background,
    maxWorkers,
    credentials: options.credentials,
    log,
    logs: new LogStore(),
    durable: new DurableExecutionStore(),
  };

  const server = http.createServer((req, res) => void serve(context, req, res));
  const host = options.host ?? LocalEndpointDefaults.host;
  const port = options.port ?? LocalEndpointDefaults.port;
  try {
    await listen(server, port, host);
  } catch (e) {
    await pool.close();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const url = new URL(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
  const current = await store.current();
  const functions = current.ok ? [...current.config.functions.keys()] : [];
  log(`Local Lambda endpoint listening on ${url.href}, serving ${current.ok ? functions.join(', ') : '(configuration invalid)'} from ${dir}.`);

  let closing: Promise<void> | undefined;
  return {
    url,
    functions,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await pool.close();
        await Promise.allSettled([...background]);
        server.closeAllConnections();
        await closed;
      })()),
  };
}

interface EndpointContext {
  readonly dir: string;
  readonly store: ConfigStore;
  readonly pool: WorkerPool;
  readonly background: Set<Promise<void>>;
  readonly maxWorkers: number;
  readonly credentials: ExpectedCredentials | undefined;
  readonly log: (line: string) => void;
  /** The functions' CloudWatch logs, served by FilterLogEvents and GetLogEvents. */
  readonly logs: LogStore;
  readonly durable: DurableExecutionStore;
}

/** A refusal: a Lambda error, or on the Logs routes (protocol `json-1.1`) a Logs error too. */
type Refuse = (f: ServiceFailure | LogsFailure, protocol?: WireProtocol) => WireResponse;

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const reasons: Record<string, string> = {
        EADDRINUSE: `port ${port} on ${host} is already in use: stop what listens there, or choose another port (0 picks a free one)`,
        EACCES: `this user may not listen on port ${port}: choose a port above 1023`,
        EADDRNOTAVAIL: `${host} is not an address of this machine: listen on ${LocalEndpointDefaults.host} (the default) or another local address`,
      };
      reject(new Error(`The local endpoint could not start: ${reasons[error.code ?? ''] ?? error.message}.`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function serve(context: EndpointContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const request: Received = {
    method: req.method ?? '',
    rawPath: queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt),
    rawQuery: queryAt < 0 ? '' : rawUrl.slice(queryAt + 1),
    headers: singleHeaders(req),
    headersDistinct: req.headersDistinct as Record<string, string[]>,
  };
  // Every refusal is built here, once, and goes to the endpoint's log too: the caller may not show it.
  // Only the Logs routes (json-1.1) produce Logs errors, so a rest-json refusal is always a Lambda one.
  const refuse: Refuse = (f, protocol = 'rest-json') => {
    const response = protocol === 'json-1.1' ? json11ErrorResponse(f.name, f.message, requestId) : errorResponse(f as ServiceFailure, requestId);
    context.log(`${request.method} ${request.rawPath} → ${response.status} ${f.name}: ${f.message}`);
    return response;
  };
  let response: WireResponse;
  try {
    const body = await readBody(req, bodyLimitFor(request.headers));
    response = await answer(context, requestId, request, body, refuse);
  } catch (e) {
    if ((e as { code?: string }).code === 'ECONNRESET' || req.destroyed) return; // the client went away mid-body
    // A request caught by close() is expected and says so; anything else is our bug, logged with its stack.
    const closed = e instanceof PoolClosedError;
    if (!closed) context.log(`Request ${requestId} failed: ${(e as Error).stack ?? String(e)}`);
    response = refuse(
      failure(
        'ServiceException',
        closed
          ? e.message
          : `The local endpoint failed while handling the request: ${(e as Error).message}. See the endpoint's log; this is a bug in the local endpoint worth reporting.`,
      ),
    );
  }
  if (res.destroyed) return;
  res.writeHead(response.status, { ...response.headers, 'Content-Length': String(response.body.length) });
  res.end(response.body);
}

/** The request line and headers, as received. */
interface Received {
  readonly method: string;
  /** Still percent-encoded. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Lower-case names, repeated headers joined. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Lower-case names, every value of a repeated header. */
  readonly headersDistinct: Readonly<Record<string, readonly string[]>>;
}

/** The request's body, and its full length; bytes past `limit` are counted, not kept. */
function readBody(req: http.IncomingMessage, limit: number): Promise<{ bytes: Buffer; length: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: length <= limit ? Buffer.concat(chunks) : Buffer.alloc(0), length }));
    req.on('error', reject);
  });
}

function singleHeaders(req: http.IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** Checks the request in Lambda's order, then runs (or queues, or only checks) the invocation. */
async function answer(
  context: EndpointContext,
  requestId: string,
  request: Received,
  body: { bytes: Buffer; length: number },
  refuse: Refuse,
): Promise<WireResponse> {
  const { method, rawPath, rawQuery, headers } = request;
  // Routed first: the route says which service the signature must name and how errors are sent.
  const routed = routeRequest(method, rawPath, headers['x-amz-target']);
  const protocol = routed.ok ? routed.value.protocol : routed.protocol;
  const tooLarge = checkBodySize(headers, body.length);
  if (tooLarge) return refuse(tooLarge, protocol);

  const services = routed.ok ? [routed.value.service] : routed.services;
  const signature = await checkSignature({ method, rawPath, rawQuery, headers: request.headersDistinct, body: body.bytes }, context.credentials, undefined, services);
  if (!signature.ok) return refuse(signature.failure, protocol);
  const region = signature.region;

  if (!routed.ok) return refuse(routed.failure, protocol);
  const base = { 'x-amzn-RequestId': requestId };
  const { operation, rawLabel } = routed.value;
  if (isLogsOperation(operation)) {
    const answered = answerLogs(context.logs, operation, body.bytes);
    if (!answered.ok) return refuse(answered.failure, 'json-1.1');
    return { status: 200, headers: { ...base, 'Content-Type': JSON_1_1_CONTENT_TYPE }, body: Buffer.from(JSON.stringify(answered.value), 'utf8') };
  }
  if (isDurableRead(operation)) {
    const answered = answerDurableRead(context.durable, operation, rawLabel ?? '', new URLSearchParams(rawQuery));
    if (!answered.ok) return refuse(answered.failure);
    return jsonAnswer(base, answered.value);
  }
  if (operation !== 'Invoke') return answerRead(context, base, operation, rawLabel, rawQuery, region, refuse);

  const params = parseInvokeRequest({ method, rawPath, query: new URLSearchParams(rawQuery), headers });
  if (!params.ok) return refuse(params.failure);

  const state = configOf(await context.store.current());
  if (!state.ok) return refuse(state.failure);
  const target = resolveTarget(state.value, params.value, region);
  if (!target.ok) return refuse(target.failure);
  const unfit = checkInvocationRules(state.value, params.value, region);
  if (unfit) return refuse(unfit);

  if (params.value.invocationType === 'DryRun') return { status: 204, headers: base, body: Buffer.alloc(0) };

  const event = parsePayload(body.bytes);
  if (!event.ok) return refuse(event.failure);

  const fn = state.value.functions.get(target.value.functionName)!;
  const started = startDurable(context, requestId, region, fn, params.value, target.value, event.value);
  if (!started.ok) return refuse(started.failure);
  const execution = started.value;
  const durableHeader: Record<string, string> = execution ? { 'X-Amz-Durable-Execution-Arn': execution.arn } : {};

  const run = (queue: boolean): Promise<InvocationRecord | undefined> =>
    runInvocation(context, requestId, region, params.value, target.value, event.value, queue);

  if (params.value.invocationType === 'Event') {
    const job = run(true).then(
      (record) => {
        if (!record) return;
        recordLog(context, requestId, target.value, record);
        if (execution) finishDurable(context, execution, record.error, record.payload ?? 'null', record.status);
      },
      (e: unknown) => {
        context.log(`Event invocation ${requestId} of ${target.value.functionName} did not run: ${(e as Error).message}`);
        if (execution) finishDurable(context, execution, { errorType: 'ServiceException', errorMessage: (e as Error).message }, '', undefined);
      },
    );
    const tracked = job.finally(() => context.background.delete(tracked));
    context.background.add(tracked);
    return { status: 202, headers: { ...base, ...durableHeader }, body: Buffer.alloc(0) };
  }

  const record = await run(false);
  if (!record) {
    if (execution) context.durable.discard(execution);
    return refuse(
      failure('TooManyRequestsException', `Rate Exceeded. All ${context.maxWorkers} workers of the local endpoint are busy; invoke again when one is free.`, {
        body: { Reason: 'ConcurrentInvocationLimitExceeded' },
        headers: { 'Retry-After': '1' },
      }),
    );
  }
  const log = recordLog(context, requestId, target.value, record);

  let error = record.error;
  let payload = record.payload ?? '';
  if (!error && Buffer.byteLength(payload, 'utf8') > RESPONSE_PAYLOAD_LIMIT) {
    error = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_LIMIT} bytes).`,
    };
  }
  if (execution) finishDurable(context, execution, error, payload, record.status);
  if (error) payload = JSON.stringify(errorPayload(error));
  return {
    status: 200,
    headers: {
      ...base,
      ...durableHeader,
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': target.value.version,
      ...(error ? { 'X-Amz-Function-Error': 'Unhandled' } : {}),
      ...(params.value.logType === 'Tail' ? { 'X-Amz-Log-Result': logTail(log) } : {}),
    },
    body: Buffer.from(payload, 'utf8'),
  };
}

/** The configuration, or the 500 every operation answers while lambda-invoke.local.json is broken. */
function configOf(state: ConfigState): Checked<LocalConfig> {
  if (state.ok) return { ok: true, value: state.config };
  return {
    ok: false,
    failure: failure('ServiceException', `${state.error.message}\nNothing ran. Fix the file: the endpoint reads it again on the next request.`),
  };
}

/** A control-plane read: its JSON answer, or its refusal. */
async function answerRead(
  context: EndpointContext,
  base: Record<string, string>,
  operation: ControlPlaneOperation,
  rawLabel: string | undefined,
  rawQuery: string,
  region: string,
  refuse: (f: ServiceFailure) => WireResponse,
): Promise<WireResponse> {
  const answer = await answerControlPlane({
    operation,
    rawLabel,
    query: new URLSearchParams(rawQuery),
    region,
    config: async () => configOf(await context.store.current()),
  });
  if (!answer.ok) return refuse(answer.failure);
  return jsonAnswer(base, answer.value);
}

function jsonAnswer(base: Record<string, string>, value: object): WireResponse {
  return { status: 200, headers: { ...base, 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

const LOGS_OPERATIONS_SERVED: readonly OperationName[] = ['FilterLogEvents', 'GetLogEvents'] satisfies LogsOperation[];
const DURABLE_READS: readonly OperationName[] = ['GetDurableExecution', 'GetDurableExecutionHistory'] satisfies DurableReadOperation[];

function isLogsOperation(operation: OperationName): operation is LogsOperation {
  return LOGS_OPERATIONS_SERVED.includes(operation);
}

function isDurableRead(operation: OperationName): operation is DurableReadOperation {
  return DURABLE_READS.includes(operation);
}

/**
 * A durable function's invocation starts a durable execution, named by X-Amz-Durable-Execution-Name
 * or by the endpoint; a name already in use for the same function and qualifier is refused, as
 * Lambda refuses it. Other functions start none.
 */
function startDurable(
  context: EndpointContext,
  requestId: string,
  region: string,
  fn: LocalFunctionConfig,
  params: InvokeParameters,
  target: FunctionVersionConfig,
  event: string,
): Checked<DurableExecution | undefined> {
  if (!fn.durable) return { ok: true, value: undefined };
  const qualifiedArn = functionArn(region, fn.name, params.qualifier);
  if (params.durableExecutionName !== undefined && context.durable.named(qualifiedArn, params.durableExecutionName)) {
    return {
      ok: false,
      failure: failure(
        'DurableExecutionAlreadyStartedException',
        `A durable execution named ${params.durableExecutionName} has already been started for ${qualifiedArn}. Give each execution its own name (X-Amz-Durable-Execution-Name, "durableExecutionName" in the invoke file), or leave it out for a generated one.`,
      ),
    };
  }
  const execution = context.durable.start({
    functionArn: qualifiedArn,
    version: target.version,
    requestId,
    name: params.durableExecutionName,
    inputPayload: event,
    executionTimeoutSeconds: fn.durable.executionTimeoutSeconds,
    retentionPeriodDays: fn.durable.retentionPeriodDays,
  });
  return { ok: true, value: execution };
}

function finishDurable(context: EndpointContext, execution: DurableExecution, error: FunctionErrorBody | undefined, payload: string, status: InvocationRecord['status']): void {
  context.durable.finish(execution, error ? { error, timedOut: status === 'timeout' } : { payload });
}

/** `{"errorType","errorMessage","trace"}` in that order; no trace for the sandbox's own errors. */
function errorPayload(error: FunctionErrorBody): FunctionErrorBody {
  return error.trace === undefined
    ? { errorType: error.errorType, errorMessage: error.errorMessage }
    : { errorType: error.errorType, errorMessage: error.errorMessage, trace: error.trace };
}

async function runInvocation(
  context: EndpointContext,
  requestId: string,
  region: string,
  params: InvokeParameters,
  target: FunctionVersionConfig,
  event: string,
  queue: boolean,
): Promise<InvocationRecord | undefined> {
  const found = await resolveHandlerFile(context.dir, target.handler);
  if (found.kind !== 'found') {
    // As Lambda reports a handler file it cannot load; a file that now resolves outside DIR is not loaded at all.
    const reason = found.kind === 'missing' ? missingMessage(target.handler, found.tried, context.dir) : outsideMessage(target.handler, found, context.dir);
    return {
      error: { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${reason}`, trace: [] },
      status: 'error',
      initOutput: '',
      output: '',
      durationMs: 0,
      maxMemoryUsedMb: 0,
      pid: undefined,
      // No worker started, but Lambda still writes the failed invocation's log to a stream of its own.
      logStreamName: logStreamName(target.version),
      startedAt: Date.now(),
      endedAt: Date.now(),
    };
  }
  // A tenant-isolated function's tenants never share a worker, as they never share an execution environment in Lambda.
  const group = [target.functionName, target.version, region, params.tenantId ?? ''].join('\0');
  const spec: WorkerSpec = {
    group,
    key: JSON.stringify([group, found.file, found.mtimeMs, found.size, target.environment, target.memoryMb, target.runtime, target.handler.exportPath]),
    label: `${target.functionName}:${target.version}${params.tenantId !== undefined ? ` (tenant ${params.tenantId})` : ''}`,
    version: target.version,
    file: found.file,
    exportPath: target.handler.exportPath,
    handlerText: target.handler.text,
    cwd: context.dir,
    env: workerEnvironment(target, region, context.dir),
    memoryMb: target.memoryMb,
  };
  const input: InvocationInput = {
    event,
    timeoutMs: target.timeoutSeconds * 1000,
    context: {
      awsRequestId: requestId,
      functionName: target.functionName,
      functionVersion: target.version,
      invokedFunctionArn: functionArn(region, target.functionName, params.qualifier),
      memoryLimitInMB: String(target.memoryMb),
      logGroupName: target.logging.group,
      ...(params.tenantId !== undefined ? { tenantId: params.tenantId } : {}),
      // Lambda passes a client context to synchronous invocations only.
      ...(params.invocationType === 'RequestResponse' && params.clientContext ? { clientContext: params.clientContext } : {}),
    },
  };
  return context.pool.invoke(spec, requestId, input, queue);
}

/** What the function sees in `process.env`: its own variables, then Lambda's reserved ones. */
function workerEnvironment(target: FunctionVersionConfig, region: string, dir: string): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    const known = INHERITED_ENV.find((wanted) => wanted.toLowerCase() === name.toLowerCase());
    if (known && value !== undefined) inherited[name] = value;
  }
  return {
    ...inherited,
    ...target.environment,
    AWS_LAMBDA_FUNCTION_NAME: target.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: target.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(target.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: target.logging.group,
    AWS_LAMBDA_LOG_FORMAT: target.logging.format,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${target.runtime}`,
    LAMBDA_TASK_ROOT: dir,
    _HANDLER: target.handler.text,
    TZ: ':UTC',
  };
}

/**
 * The invocation's execution log: kept in the log store as CloudWatch would keep it, printed to
 * the endpoint's log, and returned whole for the Tail header (the same lines).
 */
function recordLog(context: EndpointContext, requestId: string, target: FunctionVersionConfig, record: InvocationRecord): string {
  const lines = logLinesOf(requestId, target, record);
  context.logs.append(target.logging.group, record.logStreamName, invocationLogEvents(lines, record.startedAt, record.endedAt));
  const log = joinLogLines(lines);
  printLog(context, log);
  return log;
}

function logLinesOf(requestId: string, target: FunctionVersionConfig, record: InvocationRecord): string[] {
  return executionLogLines({
    requestId,
    version: target.version,
    format: target.logging.format,
    startedAt: new Date(record.startedAt),
    endedAt: new Date(record.endedAt),
    initOutput: record.initOutput,
    output: record.output,
    report: {
      requestId,
      durationMs: record.durationMs,
      memorySizeMb: target.memoryMb,
      maxMemoryUsedMb: record.maxMemoryUsedMb,
      ...(record.initDurationMs !== undefined ? { initDurationMs: record.initDurationMs } : {}),
      ...(record.status ? { status: record.status } : {}),
      ...(record.status === 'error' && record.error ? { errorType: record.error.errorType } : {}),
    },
  });
}

/** An execution log to `options.log`, line by line; Lambda's in-line carriage returns become line breaks there. */
function printLog(context: EndpointContext, log: string): void {
  for (const line of log.replace(/\r/g, '\n').replace(/\n$/, '').split('\n')) context.log(line);
}
