/**
 * A durable execution as the result view shows it: its status and outcome (GetDurableExecution)
 * and its history of steps, waits, callbacks and chained invokes (GetDurableExecutionHistory,
 * page after page up to a bound), mapped to plain data: times as ISO strings, each event's
 * details as one line. Reads only; a failure is explained as the catalogue's lookups are.
 */
import {
  type ErrorObject,
  type Event,
  GetDurableExecutionCommand,
  type GetDurableExecutionCommandOutput,
  GetDurableExecutionHistoryCommand,
} from '@aws-sdk/client-lambda';
import type { FactsUnavailableReason } from '../../protocol/accountFacts';
import { recordingSecrets } from '../resolve/sdkClients';
import type { ResolvedTarget } from '../types';
import { allPages, controlPlaneClient, present, readTogether } from './controlPlane';
import { type ReadPurpose, lookupFailure } from './lookupFailures';

export interface DurableEvent {
  /** `EventId` (a number) when Lambda numbered the event, else its operation `Id`. */
  id: number | string;
  type: string;
  name?: string;
  time?: string;
  subType?: string;
  /** The event's details in one line: its error, result, wait, callback, retry… */
  detail?: string;
}

export interface DurableExecutionDescription {
  arn: string;
  name?: string;
  functionArn?: string;
  status: string;
  startTime?: string;
  endTime?: string;
  version?: string;
  result?: string;
  error?: { type?: string; message?: string };
  events: DurableEvent[];
}

/** Events asked per history page. */
const HISTORY_PAGE_SIZE = 100;
/** History pages followed at most: 2,000 events, enough to show where a long execution stands. */
export const MAX_HISTORY_PAGES = 20;
/** The longest one-line summary of an event's details. */
const MAX_DETAIL_LENGTH = 200;

/** Statuses after which the execution changes no more (`RUNNING` is the only other). */
const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED']);

/** True when an execution in `status` has ended: its view stops reading it again. */
export function isTerminalDurableStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status.toUpperCase());
}

const DURABLE_READS: ReadPurpose = {
  what: 'read the durable execution',
  actions: 'lambda:GetDurableExecution and lambda:GetDurableExecutionHistory',
  afterThrottle: 'read it again in a moment.',
};

/** Why a durable execution could not be read; `reason` as the catalogue's lookups give it. */
export class DurableReadError extends Error {
  override readonly name = 'DurableReadError';

  constructor(
    readonly reason: FactsUnavailableReason | 'not-found',
    message: string,
  ) {
    super(message);
  }
}

/** The execution `arn`'s status, outcome and history. Rejects with `DurableReadError`, or as the SDK does when `signal` aborted. */
export async function describeDurableExecution(target: ResolvedTarget, arn: string, signal?: AbortSignal): Promise<DurableExecutionDescription> {
  const { target: sdkTarget, secrets } = recordingSecrets(target);
  const client = controlPlaneClient(sdkTarget);
  try {
    const [execution, history] = await readTogether<[GetDurableExecutionCommandOutput, { items: Event[] }]>(signal, (options) => [
      client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }), options),
      allPages(async (Marker) => {
        const page = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, Marker, MaxItems: HISTORY_PAGE_SIZE }), options);
        return { items: page.Events ?? [], nextMarker: page.NextMarker };
      }, MAX_HISTORY_PAGES),
    ]);
    return present({
      arn: execution.DurableExecutionArn ?? arn,
      name: execution.DurableExecutionName,
      functionArn: execution.FunctionArn,
      status: execution.Status ?? 'UNKNOWN',
      startTime: iso(execution.StartTimestamp),
      endTime: iso(execution.EndTimestamp),
      version: execution.Version,
      result: execution.Result,
      error: errorOf(execution.Error),
      events: history.items.map(eventOf),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    if ((error as { name?: unknown } | null)?.name === 'ResourceNotFoundException') {
      throw new DurableReadError('not-found', `There is no durable execution ${arn} at ${target.endpoint.origin}: it may have passed its retention period, or be in another region or account.`);
    }
    const failure = lookupFailure(error, target, secrets, DURABLE_READS);
    throw new DurableReadError(failure.reason, failure.message ?? `Could not read the durable execution ${arn}.`);
  } finally {
    client.destroy();
  }
}

function iso(time: Date | undefined): string | undefined {
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : undefined;
}

function errorOf(error: ErrorObject | undefined): { type?: string; message?: string } | undefined {
  if (!error || (error.ErrorType === undefined && error.ErrorMessage === undefined)) return undefined;
  return present({ type: error.ErrorType, message: error.ErrorMessage });
}

function eventOf(event: Event): DurableEvent {
  return present({
    id: event.EventId ?? event.Id ?? '',
    type: event.EventType ?? 'Unknown',
    name: event.Name,
    time: iso(event.EventTimestamp),
    subType: event.SubType,
    detail: detailOf(event),
  });
}

/** A details object of any event type: the fields the summary reads, all optional. */
interface AnyDetails {
  Error?: { Payload?: ErrorObject; Truncated?: boolean };
  Result?: { Payload?: string; Truncated?: boolean };
  Input?: { Payload?: string; Truncated?: boolean };
  Duration?: number;
  ScheduledEndTimestamp?: Date;
  CallbackId?: string;
  Timeout?: number;
  HeartbeatTimeout?: number;
  ExecutionTimeout?: number;
  FunctionName?: string;
  RequestId?: string;
  StartTimestamp?: Date;
  EndTimestamp?: Date;
  RetryDetails?: { CurrentAttempt?: number; NextAttemptDelaySeconds?: number };
}

const truncated = (part: { Truncated?: boolean } | undefined) => (part?.Truncated ? ' (truncated)' : '');

/** How each field of an event's details reads in its one-line summary, in the order shown. */
const DETAIL_PARTS: ReadonlyArray<(d: AnyDetails) => string | undefined> = [
  (d) => {
    const e = d.Error?.Payload;
    if (!e) return undefined;
    return `${[e.ErrorType, e.ErrorMessage].filter(Boolean).join(': ') || 'error'}${truncated(d.Error)}`;
  },
  (d) => (d.Result?.Payload === undefined ? undefined : `result ${d.Result.Payload}${truncated(d.Result)}`),
  (d) => (d.Input?.Payload === undefined ? undefined : `input ${d.Input.Payload}${truncated(d.Input)}`),
  (d) => d.FunctionName && `function ${d.FunctionName}`,
  (d) => d.CallbackId && `callback ${d.CallbackId}`,
  (d) => (d.Duration === undefined ? undefined : `wait ${d.Duration} s`),
  (d) => (d.ScheduledEndTimestamp ? `until ${iso(d.ScheduledEndTimestamp)}` : undefined),
  (d) => (d.Timeout === undefined ? undefined : `timeout ${d.Timeout} s`),
  (d) => (d.HeartbeatTimeout === undefined ? undefined : `heartbeat ${d.HeartbeatTimeout} s`),
  (d) => (d.ExecutionTimeout === undefined ? undefined : `execution timeout ${d.ExecutionTimeout} s`),
  (d) => d.RequestId && `request ${d.RequestId}`,
  (d) => (d.StartTimestamp && d.EndTimestamp ? `${d.EndTimestamp.getTime() - d.StartTimestamp.getTime()} ms` : undefined),
  (d) => (d.RetryDetails?.CurrentAttempt === undefined ? undefined : `attempt ${d.RetryDetails.CurrentAttempt}`),
  (d) => (d.RetryDetails?.NextAttemptDelaySeconds === undefined ? undefined : `next attempt in ${d.RetryDetails.NextAttemptDelaySeconds} s`),
];

/** The event's `…Details` object (each event carries the one of its type) in one line. */
function detailOf(event: Event): string | undefined {
  const details = Object.entries(event).find(([key, value]) => key.endsWith('Details') && typeof value === 'object' && value !== null)?.[1] as AnyDetails | undefined;
  if (!details) return undefined;
  const line = DETAIL_PARTS.map((part) => part(details))
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(', ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return undefined;
  return line.length > MAX_DETAIL_LENGTH ? `${line.slice(0, MAX_DETAIL_LENGTH - 1)}…` : line;
}
