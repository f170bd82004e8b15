/**
 * The messages between the local endpoint and its worker processes (localRuntime.ts), over
 * the IPC channel of child_process.fork. Declared once here and imported by both sides.
 */

/** An error as Lambda reports it in an `Unhandled` response body. */
export interface FunctionErrorBody {
  errorType: string;
  errorMessage: string;
  /** Stack lines; absent for errors the sandbox reports (timeouts, exits). */
  trace?: string[];
}

/** Endpoint → worker: load this handler. Sent once, right after the fork. */
export interface InitMessage {
  type: 'init';
  /** Real path of the handler file. */
  file: string;
  exportPath: string[];
  /** The handler as written, for messages (`functions/hello.handler`). */
  handlerText: string;
}

/** The `context` fields that come from the endpoint. */
export interface InvocationContextFields {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  clientContext?: Record<string, unknown>;
  /** The tenant of a tenant-isolated function's invocation (`X-Amz-Tenant-Id`). */
  tenantId?: string;
}

/** Endpoint → worker: run one invocation. The worker runs one at a time. */
export interface InvokeMessage {
  type: 'invoke';
  /** The event as JSON text, exactly as the request body carried it. */
  event: string;
  /** Epoch milliseconds when the invocation times out, for `getRemainingTimeInMillis`. */
  deadline: number;
  context: InvocationContextFields;
}

export type ParentMessage = InitMessage | InvokeMessage;

/** Worker → endpoint: the handler is loaded; invocations may start. */
export interface ReadyMessage {
  type: 'ready';
  maxRssKb: number;
}

/** Worker → endpoint: loading the handler failed; the worker exits after sending this. */
export interface InitErrorMessage {
  type: 'initError';
  error: FunctionErrorBody;
  maxRssKb: number;
}

/** Worker → endpoint: output the handler (or the runtime) wrote, already in log format. */
export interface LogMessage {
  type: 'log';
  text: string;
}

/** Worker → endpoint: the invocation ended. */
export interface ResultMessage {
  type: 'result';
  requestId: string;
  /** The response body (JSON text) when the handler succeeded. */
  payload?: string;
  error?: FunctionErrorBody;
  /** Measured in the worker, from calling the handler to its result. */
  durationMs: number;
  maxRssKb: number;
  /** The process is going down after this (an uncaught exception): do not reuse it. */
  exiting?: boolean;
}

export type WorkerMessage = ReadyMessage | InitErrorMessage | LogMessage | ResultMessage;
