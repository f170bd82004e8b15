/**
 * The durable executions the local endpoint has started: one per invocation of a durable
 * function, named by `X-Amz-Durable-Execution-Name` (or a generated name), identified by an ARN
 * shaped like Lambda's (`<qualified function ARN>/durable-execution/<name>/<uuid>`), kept in
 * memory (the newest `maxKept`), and described the way GetDurableExecution and
 * GetDurableExecutionHistory (API version 2025-12-01, as @aws-sdk/client-lambda models them)
 * answer: status, timestamps as epoch seconds (REST-JSON's timestamp format), input, result or
 * error, and the history events ExecutionStarted, InvocationCompleted and ExecutionSucceeded,
 * ExecutionFailed or ExecutionTimedOut. The endpoint runs a durable function's handler once, as a
 * plain invocation: there are no steps, waits or replays to record. Pure apart from the store.
 */
import { randomUUID } from 'node:crypto';
import type { FunctionErrorBody } from '../runtime/workerProtocol';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

/** Lambda's ErrorObject. */
export interface ErrorObject {
  readonly ErrorType: string;
  readonly ErrorMessage: string;
  readonly StackTrace?: readonly string[];
}

export interface DurableExecution {
  readonly arn: string;
  readonly name: string;
  readonly id: string;
  /** The qualified ARN of the function version or alias invoked. */
  readonly functionArn: string;
  /** The version that ran (`$LATEST` or a number). */
  readonly version: string;
  readonly requestId: string;
  readonly inputPayload: string;
  readonly executionTimeoutSeconds: number;
  readonly retentionPeriodDays: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  status: ExecutionStatus;
  endedAt?: number;
  result?: string;
  error?: ErrorObject;
}

export interface StartExecution {
  readonly functionArn: string;
  readonly version: string;
  readonly requestId: string;
  /** From X-Amz-Durable-Execution-Name; generated when absent. */
  readonly name: string | undefined;
  readonly inputPayload: string;
  readonly executionTimeoutSeconds: number;
  readonly retentionPeriodDays: number;
}

/** How the one invocation of an execution ended. */
export type ExecutionOutcome = { readonly payload: string } | { readonly error: FunctionErrorBody; readonly timedOut: boolean };

/** Executions kept at most; the oldest is forgotten first. */
export const DEFAULT_EXECUTIONS_KEPT = 1_000;

export class DurableExecutionStore {
  private readonly executions = new Map<string, DurableExecution>();

  constructor(private readonly maxKept: number = DEFAULT_EXECUTIONS_KEPT) {}

  /** The kept execution of `functionArn` with that name, if any: Lambda refuses to start a second one. */
  named(functionArn: string, name: string): DurableExecution | undefined {
    return [...this.executions.values()].find((e) => e.functionArn === functionArn && e.name === name);
  }

  start(input: StartExecution): DurableExecution {
    const id = randomUUID();
    const name = input.name ?? randomUUID();
    const execution: DurableExecution = {
      arn: `${input.functionArn}/durable-execution/${name}/${id}`,
      name,
      id,
      functionArn: input.functionArn,
      version: input.version,
      requestId: input.requestId,
      inputPayload: input.inputPayload,
      executionTimeoutSeconds: input.executionTimeoutSeconds,
      retentionPeriodDays: input.retentionPeriodDays,
      startedAt: Date.now(),
      status: 'RUNNING',
    };
    this.executions.set(execution.arn, execution);
    for (const oldest of this.executions.keys()) {
      if (this.executions.size <= this.maxKept) break;
      this.executions.delete(oldest);
    }
    return execution;
  }

  finish(execution: DurableExecution, outcome: ExecutionOutcome): void {
    execution.endedAt = Date.now();
    if ('payload' in outcome) {
      execution.status = 'SUCCEEDED';
      execution.result = outcome.payload;
      return;
    }
    execution.status = outcome.timedOut ? 'TIMED_OUT' : 'FAILED';
    execution.error = {
      ErrorType: outcome.error.errorType,
      ErrorMessage: outcome.error.errorMessage,
      ...(outcome.error.trace && outcome.error.trace.length > 0 ? { StackTrace: outcome.error.trace } : {}),
    };
  }

  /** Forgets an execution whose invocation never ran (throttled): Lambda would not have started it. */
  discard(execution: DurableExecution): void {
    this.executions.delete(execution.arn);
  }

  get(arn: string): DurableExecution | undefined {
    return this.executions.get(arn);
  }
}

/** REST-JSON sends timestamps as epoch seconds. */
const seconds = (ms: number): number => ms / 1000;

/** GetDurableExecution's answer; `includeData` (default true) says whether input, result and error come with it. */
export function describeExecution(execution: DurableExecution, includeData: boolean): object {
  return {
    DurableExecutionArn: execution.arn,
    DurableExecutionName: execution.name,
    FunctionArn: execution.functionArn,
    ...(includeData ? { InputPayload: execution.inputPayload } : {}),
    ...(includeData && execution.result !== undefined ? { Result: execution.result } : {}),
    ...(includeData && execution.error ? { Error: execution.error } : {}),
    StartTimestamp: seconds(execution.startedAt),
    Status: execution.status,
    ...(execution.endedAt !== undefined ? { EndTimestamp: seconds(execution.endedAt) } : {}),
    Version: execution.version,
    ExecutionDataIncluded: includeData,
    DurableConfig: { ExecutionTimeout: execution.executionTimeoutSeconds, RetentionPeriodInDays: execution.retentionPeriodDays },
  };
}

/** The history events of an execution, oldest first, in the SDK's Event shape. */
export function historyEvents(execution: DurableExecution, includeData: boolean): object[] {
  const common = (eventId: number, at: number) => ({ EventId: eventId, Id: execution.id, Name: execution.name, EventTimestamp: seconds(at) });
  const payload = (text: string | undefined) => (includeData && text !== undefined ? { Payload: text, Truncated: false } : {});
  const errorPart = () => (execution.error ? { Error: { ...(includeData ? { Payload: execution.error } : {}), Truncated: false } } : {});
  const events: object[] = [
    {
      EventType: 'ExecutionStarted',
      ...common(1, execution.startedAt),
      ExecutionStartedDetails: { Input: payload(execution.inputPayload), ExecutionTimeout: execution.executionTimeoutSeconds },
    },
  ];
  if (execution.endedAt === undefined) return events;
  const endedAt = execution.endedAt;
  events.push({
    EventType: 'InvocationCompleted',
    ...common(2, endedAt),
    InvocationCompletedDetails: { StartTimestamp: seconds(execution.startedAt), EndTimestamp: seconds(endedAt), RequestId: execution.requestId, ...errorPart() },
  });
  const FINAL: Readonly<Record<Exclude<ExecutionStatus, 'RUNNING'>, () => object>> = {
    SUCCEEDED: () => ({ EventType: 'ExecutionSucceeded', ExecutionSucceededDetails: { Result: payload(execution.result) } }),
    FAILED: () => ({ EventType: 'ExecutionFailed', ExecutionFailedDetails: errorPart() }),
    TIMED_OUT: () => ({ EventType: 'ExecutionTimedOut', ExecutionTimedOutDetails: errorPart() }),
  };
  if (execution.status !== 'RUNNING') events.push({ ...FINAL[execution.status](), ...common(3, endedAt) });
  return events;
}
