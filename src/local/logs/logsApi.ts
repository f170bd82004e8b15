/**
 * The CloudWatch Logs operations the local endpoint serves over its log store (logStore.ts):
 * FilterLogEvents and GetLogEvents, in the JSON 1.1 protocol (`POST /`, `X-Amz-Target:
 * Logs_20140328.<Operation>`), with CloudWatch's member names, defaults, limits, paging tokens and
 * errors (`{"__type","message"}`, status 400), so the AWS CLI (`aws logs filter-log-events`,
 * `get-log-events`) and the SDK's CloudWatchLogsClient read them as they read the service's.
 * Pure apart from the store: request body in, response body or failure out.
 */
import { parseFilterPattern } from './filterPattern';
import type { LogGroup, LogStore, LogStream, StoredLogEvent } from './logStore';

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

export type LogsOperation = 'FilterLogEvents' | 'GetLogEvents';
export const LOGS_OPERATIONS: readonly LogsOperation[] = ['FilterLogEvents', 'GetLogEvents'];

/** The error names these operations answer with, as CloudWatch Logs spells them. */
export type LogsErrorName = 'ResourceNotFoundException' | 'InvalidParameterException' | 'SerializationException';

export interface LogsFailure {
  readonly name: LogsErrorName;
  readonly message: string;
}

export type LogsAnswer = { readonly ok: true; readonly value: object } | { readonly ok: false; readonly failure: LogsFailure };

/** CloudWatch's page size: the default and the most one call returns. */
export const MAX_EVENTS_PER_CALL = 10_000;

const GROUP_NOT_FOUND: LogsFailure = { name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' };
const STREAM_NOT_FOUND: LogsFailure = { name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' };
const invalid = (message: string): LogsAnswer => ({ ok: false, failure: { name: 'InvalidParameterException', message } });

type MemberType = 'string' | 'number' | 'boolean' | 'string[]';

/** The members each operation reads, and their JSON types; others are ignored, as the service ignores members it does not model. */
const MEMBERS: Readonly<Record<LogsOperation, Readonly<Record<string, MemberType>>>> = {
  FilterLogEvents: {
    logGroupName: 'string',
    logGroupIdentifier: 'string',
    logStreamNames: 'string[]',
    logStreamNamePrefix: 'string',
    startTime: 'number',
    endTime: 'number',
    filterPattern: 'string',
    nextToken: 'string',
    limit: 'number',
    interleaved: 'boolean',
    unmask: 'boolean',
  },
  GetLogEvents: {
    logGroupName: 'string',
    logGroupIdentifier: 'string',
    logStreamName: 'string',
    startTime: 'number',
    endTime: 'number',
    nextToken: 'string',
    limit: 'number',
    startFromHead: 'boolean',
    unmask: 'boolean',
  },
};

type Params = Readonly<Record<string, unknown>>;

/** Answers one operation; `body` is the request body as received. */
export function answerLogs(store: LogStore, operation: LogsOperation, body: Uint8Array): LogsAnswer {
  let params: unknown;
  try {
    params = body.length === 0 ? {} : JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (e) {
    return { ok: false, failure: { name: 'SerializationException', message: `The request body is not JSON: ${(e as Error).message}. Send a JSON object.` } };
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return { ok: false, failure: { name: 'SerializationException', message: 'The request body must be a JSON object.' } };
  }
  const typed = checkTypes(operation, params as Params);
  if (typed) return typed;
  return OPERATIONS[operation](store, params as Params);
}

const OPERATIONS: Readonly<Record<LogsOperation, (store: LogStore, params: Params) => LogsAnswer>> = { FilterLogEvents: filterLogEvents, GetLogEvents: getLogEvents };

function checkTypes(operation: LogsOperation, params: Params): LogsAnswer | undefined {
  for (const [member, type] of Object.entries(MEMBERS[operation])) {
    const value = params[member];
    if (value === undefined || value === null) continue;
    const fits = type === 'string[]' ? Array.isArray(value) && value.every((v) => typeof v === 'string') : typeof value === type;
    if (!fits) return { ok: false, failure: { name: 'SerializationException', message: `${member} must be ${type === 'string[]' ? 'a list of strings' : `a ${type}`}, not ${JSON.stringify(value)}.` } };
  }
  return undefined;
}

const str = (params: Params, member: string): string | undefined => (typeof params[member] === 'string' ? (params[member]) : undefined);
const num = (params: Params, member: string): number | undefined => (typeof params[member] === 'number' ? (params[member]) : undefined);

/** `arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/hello[:*]`, or the name itself. */
const GROUP_ARN = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/;

function findGroup(store: LogStore, params: Params): { ok: true; group: LogGroup } | { ok: false; answer: LogsAnswer } {
  const name = str(params, 'logGroupName');
  const identifier = str(params, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) return { ok: false, answer: invalid('LogGroupName and LogGroupIdentifier are mutually exclusive: give one of them.') };
  const wanted = name ?? (identifier !== undefined ? (GROUP_ARN.exec(identifier)?.[1] ?? identifier) : undefined);
  if (wanted === undefined) return { ok: false, answer: invalid('Either logGroupName or logGroupIdentifier must be given: the function\'s log group, such as /aws/lambda/hello.') };
  const group = store.group(wanted);
  return group ? { ok: true, group } : { ok: false, answer: { ok: false, failure: GROUP_NOT_FOUND } };
}

function checkLimit(params: Params): number | LogsAnswer {
  const limit = num(params, 'limit');
  if (limit === undefined) return MAX_EVENTS_PER_CALL;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PER_CALL) {
    return invalid(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_EVENTS_PER_CALL}`);
  }
  return limit;
}

/** startTime and endTime, both inclusive, as FilterLogEvents reads them; GetLogEvents excludes endTime itself. */
function inWindow(params: Params, endInclusive: boolean): (event: StoredLogEvent) => boolean {
  const start = num(params, 'startTime');
  const end = num(params, 'endTime');
  return (event) => (start === undefined || event.timestamp >= start) && (end === undefined || (endInclusive ? event.timestamp <= end : event.timestamp < end));
}

// ---------------------------------------------------------------------------------------------
// FilterLogEvents

function encodeFilterToken(event: StoredLogEvent): string {
  return Buffer.from(`${event.timestamp}/${event.seq}`, 'utf8').toString('base64url');
}

function decodeFilterToken(token: string): { timestamp: number; seq: number } | undefined {
  const match = /^(-?\d+)\/(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? { timestamp: Number(match[1]), seq: Number(match[2]) } : undefined;
}

function byTime(a: StoredLogEvent, b: StoredLogEvent): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

function filterLogEvents(store: LogStore, params: Params): LogsAnswer {
  const found = findGroup(store, params);
  if (!found.ok) return found.answer;
  const names = params.logStreamNames as string[] | undefined;
  const prefix = str(params, 'logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) return invalid('You cannot specify both LogStreamNames and LogStreamNamePrefix: give one of them.');
  if (names !== undefined && (names.length < 1 || names.length > 100)) return invalid('logStreamNames must list from 1 to 100 log streams.');
  const limit = checkLimit(params);
  if (typeof limit !== 'number') return limit;
  const pattern = parseFilterPattern(str(params, 'filterPattern') ?? '');
  if (!pattern.ok) return invalid(pattern.message);
  const token = str(params, 'nextToken');
  const after = token !== undefined ? decodeFilterToken(token) : undefined;
  if (token !== undefined && !after) return invalid('The specified nextToken is invalid: pass the nextToken of the previous response unchanged.');

  const streams = [...found.group.streams.values()].filter((s) => (names ? names.includes(s.name) : prefix === undefined || s.name.startsWith(prefix)));
  const window = inWindow(params, true);
  const matching = streams
    .flatMap((stream) => stream.all().map((event) => ({ stream, event })))
    .filter(({ event }) => window(event) && (!after || byTime(event, { ...event, ...after }) > 0) && pattern.matches(event.message))
    .sort((a, b) => byTime(a.event, b.event));
  const page = matching.slice(0, limit);
  const last = page[page.length - 1];
  return {
    ok: true,
    value: {
      events: page.map(({ stream, event }) => ({
        logStreamName: stream.name,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: event.eventId,
      })),
      searchedLogStreams: streams.map((stream) => ({ logStreamName: stream.name, searchedCompletely: true })),
      ...(matching.length > limit && last ? { nextToken: encodeFilterToken(last.event) } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// GetLogEvents

/** `f/…` and `b/…` with 56 digits, shaped like CloudWatch's; the digits are a position in the stream. */
function positionToken(direction: 'f' | 'b', position: number): string {
  return `${direction}/${String(position).padStart(56, '0')}`;
}

function getLogEvents(store: LogStore, params: Params): LogsAnswer {
  const found = findGroup(store, params);
  if (!found.ok) return found.answer;
  const streamName = str(params, 'logStreamName');
  if (streamName === undefined) return invalid('logStreamName must be given: the stream to read, as filter-log-events or the function\'s context.logStreamName names it.');
  const stream: LogStream | undefined = found.group.streams.get(streamName);
  if (!stream) return { ok: false, failure: STREAM_NOT_FOUND };
  const limit = checkLimit(params);
  if (typeof limit !== 'number') return limit;
  const token = str(params, 'nextToken');
  const parsed = token !== undefined ? /^([fb])\/(\d{1,56})$/.exec(token) : undefined;
  if (token !== undefined && !parsed) return invalid('The specified nextToken is invalid: pass nextForwardToken or nextBackwardToken of the previous response unchanged.');

  const window = inWindow(params, false);
  const events = stream.all().filter(window);
  let page: readonly StoredLogEvent[];
  if (parsed) {
    const position = Number(parsed[2]);
    page = parsed[1] === 'f' ? events.filter((e) => e.position >= position).slice(0, limit) : events.filter((e) => e.position < position).slice(-limit);
  } else {
    page = params.startFromHead === true ? events.slice(0, limit) : events.slice(-limit);
  }
  const first = page[0];
  const last = page[page.length - 1];
  // At either end the token asked with comes back, so a reader polling forward sees "nothing newer" as CloudWatch says it.
  const atEnd = parsed ? Number(parsed[2]) : stream.nextPosition;
  const forward = last ? last.position + 1 : atEnd;
  const backward = first ? first.position : parsed ? Number(parsed[2]) : (events[0]?.position ?? stream.nextPosition);
  return {
    ok: true,
    value: {
      events: page.map((event) => ({ timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime })),
      nextForwardToken: positionToken('f', forward),
      nextBackwardToken: positionToken('b', backward),
    },
  };
}
