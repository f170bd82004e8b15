/**
 * The worker runtime: a Node process of its own (forked by workerPool.ts) that plays the
 * part of Lambda's Node.js runtime for one function version. It loads the handler once (async,
 * callback or ES module style), then runs the invocations the endpoint sends over IPC, one at
 * a time: it builds `context`, captures console and stdout/stderr output in Lambda's log
 * format, and reports results and errors in Lambda's shapes. Whatever the handler does —
 * throw, hang, exit — happens in this process, never in the endpoint's.
 *
 * Bundled as dist/localRuntime.js; under tsx it runs from this file (see runtimeEntry.ts).
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { LogFormat } from '../config/config';
import { formatConsoleLine } from './executionLog';
import type { FunctionErrorBody, InitMessage, InvokeMessage, ParentMessage, WorkerMessage } from './workerProtocol';

type Callback = (error?: unknown, result?: unknown) => void;

/** The `context` a handler receives, as Lambda's Node.js runtime shapes it. */
interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity: undefined;
  clientContext: Record<string, unknown> | undefined;
  /** Only on a tenant-isolated function's invocations, as in Lambda's Node.js runtime. */
  tenantId?: string;
  getRemainingTimeInMillis(): number;
  done: Callback;
  succeed(result?: unknown): void;
  fail(error: unknown): void;
}

type Handler = (event: unknown, context: LambdaContext, callback: Callback) => unknown;

/** The request id console lines carry: the current or last invocation's (`undefined` during init, as in Lambda). */
let currentRequestId: string | undefined;
/** The invocation that has not reported its result yet, and when it started. */
let running: string | undefined;
let runningSince = 0;
let handler: Handler | undefined;

function send(message: WorkerMessage, then?: () => void): void {
  if (!process.connected || !process.send) {
    then?.();
    return;
  }
  process.send(message, undefined, {}, () => then?.());
}

function emit(text: string): void {
  if (text !== '') send({ type: 'log', text });
}

function maxRssKb(): number {
  return process.resourceUsage().maxRSS;
}

// ---------------------------------------------------------------------------------------------
// Output capture: console methods get Lambda's prefix (or become JSON objects when the function's
// log format is JSON, which Lambda announces in AWS_LAMBDA_LOG_FORMAT); raw stream writes are kept as written.

const LOG_FORMAT: LogFormat = process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON' ? 'JSON' : 'Text';

const CONSOLE_LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;

for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [keyof typeof CONSOLE_LEVELS, string][]) {
  console[method] = (...args: unknown[]) => emit(formatConsoleLine(new Date(), currentRequestId, level, format(...args), LOG_FORMAT));
}

function captureStream(stream: NodeJS.WriteStream): void {
  const write = (chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    emit(typeof chunk === 'string' ? Buffer.from(chunk, encoding).toString('utf8') : Buffer.from(chunk).toString('utf8'));
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (done) process.nextTick(done);
    return true;
  };
  stream.write = write;
}
captureStream(process.stdout);
captureStream(process.stderr);

// ---------------------------------------------------------------------------------------------
// Errors, in the shapes Lambda reports them

/** `{errorType, errorMessage, trace}` for anything thrown, rejected or passed to the callback. */
function errorBody(error: unknown): FunctionErrorBody {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n').filter((line) => line !== '') };
  }
  return { errorType: typeof error, errorMessage: typeof error === 'string' ? error : String(JSON.stringify(error) ?? error), trace: [] };
}

/** Lambda's error types for a handler that cannot be loaded, by what went wrong. */
const INIT_ERROR_TYPES: readonly { test: (error: unknown) => boolean; errorType: string }[] = [
  { test: (e) => ['MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND'].includes(String((e as NodeJS.ErrnoException)?.code)), errorType: 'Runtime.ImportModuleError' },
  { test: (e) => e instanceof SyntaxError, errorType: 'Runtime.UserCodeSyntaxError' },
];

function initErrorBody(error: unknown): FunctionErrorBody {
  const body = errorBody(error);
  const known = INIT_ERROR_TYPES.find((entry) => entry.test(error));
  return known ? { errorType: known.errorType, errorMessage: `${body.errorType}: ${body.errorMessage}`, trace: body.trace } : body;
}

/** The runtime's own ERROR line, as Lambda writes it for `Invoke Error`, `Uncaught Exception`, … */
function logError(label: string, body: FunctionErrorBody): void {
  if (LOG_FORMAT === 'JSON') {
    const fields = { errorType: body.errorType, errorMessage: body.errorMessage, stackTrace: body.trace ?? [] };
    emit(formatConsoleLine(new Date(), currentRequestId, 'ERROR', label, LOG_FORMAT, fields));
    return;
  }
  const json = JSON.stringify({ errorType: body.errorType, errorMessage: body.errorMessage, stack: body.trace ?? [] });
  emit(formatConsoleLine(new Date(), currentRequestId, 'ERROR', `${label} \t${json}`));
}

// ---------------------------------------------------------------------------------------------
// Loading the handler

const ESM_ONLY = new Set(['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE']);

/** `.mjs` is imported; `.js` and `.cjs` are required, and imported when they turn out to be ES modules. */
async function loadModule(file: string): Promise<unknown> {
  if (file.endsWith('.mjs')) return import(pathToFileURL(file).href);
  try {
    const loaded: unknown = createRequire(file)(file);
    return loaded;
  } catch (error) {
    if (ESM_ONLY.has(String((error as NodeJS.ErrnoException).code))) return import(pathToFileURL(file).href);
    throw error;
  }
}

function exportAt(module: unknown, exportPath: readonly string[]): unknown {
  let value: unknown = module;
  for (const name of exportPath) {
    value = value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as Record<string, unknown>)[name] : undefined;
  }
  return value;
}

async function init(message: InitMessage): Promise<void> {
  try {
    const loaded = await loadModule(message.file);
    // An ES module's namespace, or a CommonJS module seen through `import` (its exports are `default`).
    const found = exportAt(loaded, message.exportPath) ?? exportAt((loaded as { default?: unknown }).default, message.exportPath);
    if (typeof found !== 'function') {
      const error: FunctionErrorBody = {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${message.handlerText} is undefined or not exported`,
        trace: [],
      };
      logError('Uncaught Exception', error);
      send({ type: 'initError', error, maxRssKb: maxRssKb() }, () => process.exit(1));
      return;
    }
    handler = found as Handler;
    send({ type: 'ready', maxRssKb: maxRssKb() });
  } catch (error) {
    const body = initErrorBody(error);
    logError('Uncaught Exception', body);
    send({ type: 'initError', error: body, maxRssKb: maxRssKb() }, () => process.exit(1));
  }
}

// ---------------------------------------------------------------------------------------------
// Running an invocation

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** Live handles and requests by kind, without the immediates this module polls with. */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind !== 'Immediate') counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

/**
 * Resolves once nothing the invocation started is still pending: Lambda's "empty event loop"
 * (the IPC channel and whatever was alive before the invocation do not count).
 */
async function eventLoopEmptied(baseline: Map<string, number>): Promise<void> {
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = activeResources();
    if ([...now].every(([kind, count]) => count <= (baseline.get(kind) ?? 0))) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 1).unref());
  }
}

/**
 * Calls the handler the way Lambda's Node.js runtime does: a returned promise settles the
 * invocation; otherwise the callback (or `context.done/succeed/fail`) does, after the event
 * loop empties when `callbackWaitsForEmptyEventLoop` is true; a handler that neither returns
 * a promise nor calls back answers `null` once the event loop is empty.
 */
type HandlerOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function callHandler(fn: Handler, event: unknown, context: LambdaContext): Promise<HandlerOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const baseline = activeResources();
    // Anything may be thrown or passed to the callback, not only Errors: Lambda reports a
    // string as `errorType: "string"`, so the reason travels as is.
    const finish = (error: unknown, value: unknown): void => {
      if (settled) return;
      settled = true;
      resolve(error !== null && error !== undefined ? { ok: false, error } : { ok: true, value });
    };
    let calledBack = false;
    const callback: Callback = (error, value) => {
      calledBack = true;
      if (context.callbackWaitsForEmptyEventLoop) void eventLoopEmptied(baseline).then(() => finish(error, value));
      else finish(error, value);
    };
    context.done = callback;
    context.succeed = (value) => callback(null, value);
    context.fail = (error) => callback(error ?? new Error('context.fail was called without an error'));

    let returned: unknown;
    try {
      returned = fn(event, context, callback);
    } catch (error) {
      finish(error, undefined);
      return;
    }
    if (isThenable(returned)) {
      returned.then(
        (value) => finish(null, value),
        (error: unknown) => finish(error ?? new Error('The handler rejected with no reason'), undefined),
      );
      return;
    }
    // A handler that neither returns a promise nor calls back ends with null once its work is
    // done; once it has called back, the callback's own result wins (it also waits for the loop).
    void eventLoopEmptied(baseline).then(() => {
      if (!calledBack) finish(null, null);
    });
  });
}

function makeContext(message: InvokeMessage): LambdaContext {
  const fields = message.context;
  const notYet = (): void => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fields.functionName,
    functionVersion: fields.functionVersion,
    invokedFunctionArn: fields.invokedFunctionArn,
    memoryLimitInMB: fields.memoryLimitInMB,
    awsRequestId: fields.awsRequestId,
    logGroupName: fields.logGroupName,
    logStreamName: fields.logStreamName,
    identity: undefined,
    clientContext: fields.clientContext,
    ...(fields.tenantId !== undefined ? { tenantId: fields.tenantId } : {}),
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    done: notYet,
    succeed: notYet,
    fail: notYet,
  };
}

async function invoke(message: InvokeMessage): Promise<void> {
  const requestId = message.context.awsRequestId;
  currentRequestId = requestId;
  running = requestId;
  runningSince = performance.now();
  let outcome: { payload: string } | { error: FunctionErrorBody };
  try {
    if (!handler) throw new Error('The worker received an invocation before its handler was loaded.');
    const result = await callHandler(handler, JSON.parse(message.event), makeContext(message));
    if (!result.ok) throw result.error;
    outcome = { payload: JSON.stringify(result.value) ?? 'null' };
  } catch (error) {
    const body = errorBody(error);
    logError('Invoke Error', body);
    outcome = { error: body };
  }
  const durationMs = performance.now() - runningSince;
  if (running !== requestId) return; // already reported by the uncaught-error path
  running = undefined;
  send({ type: 'result', requestId, durationMs, maxRssKb: maxRssKb(), ...outcome });
}

/**
 * An exception nobody caught, or a rejection nobody handled: as in Lambda, the running
 * invocation (if any) fails with it and the process exits; the endpoint starts a fresh one.
 */
function fatal(label: string, body: FunctionErrorBody): void {
  logError(label, body);
  const requestId = running;
  running = undefined;
  if (requestId === undefined) {
    setImmediate(() => process.exit(1));
    return;
  }
  send({ type: 'result', requestId, durationMs: performance.now() - runningSince, maxRssKb: maxRssKb(), error: body, exiting: true }, () => process.exit(1));
}

process.on('uncaughtException', (error) => fatal('Uncaught Exception', errorBody(error)));
process.on('unhandledRejection', (reason) => {
  const body = errorBody(reason);
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : body.errorMessage;
  fatal('Unhandled Promise Rejection', { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: text, trace: body.trace ?? [] });
});

// The endpoint went away (closed, or killed): nothing will ever read from this worker again.
process.on('disconnect', () => process.exit(0));

const MESSAGE_HANDLERS: { [K in ParentMessage['type']]: (message: Extract<ParentMessage, { type: K }>) => Promise<void> } = {
  init,
  invoke,
};

process.on('message', (message: ParentMessage) => {
  const run = MESSAGE_HANDLERS[message.type] as (m: ParentMessage) => Promise<void>;
  void run(message);
});
