/**
 * An invocation's whole log, read from CloudWatch Logs after the call: the 4 KB tail Lambda
 * returns cuts off the start of every long log. CloudWatch takes seconds to ingest what the
 * function wrote, so the reads are repeated with a growing pause until the invocation's REPORT
 * line is there or the wait runs out; whatever was found by then is returned, marked incomplete.
 *
 * Text format: the invocation's `START RequestId:` line is found with FilterLogEvents, then its
 * stream is read in order with GetLogEvents, from START to its REPORT; a warm environment writes
 * many invocations into one stream, and only this one's lines are kept. JSON format: every record
 * of the invocation carries its request id (`requestId`, or `record.requestId` for the platform's
 * records), so one filter finds them all.
 */
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  type FilteredLogEvent,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { isReportLine } from '../../lambda/reportLine';
import { buildQuietly, recordingSecrets, sdkClientConfig } from '../resolve/sdkClients';
import { InvokeError } from '../types';
import { explainFailure } from './logFailures';
import { type LogsEndpoint, logsEndpoint } from './logsEndpoint';
import { type InvocationLog, type InvocationLogRequest, type LogFetchOptions, LogFetchError } from './types';

/** Pauses between reads while CloudWatch ingests: quick at first, then every 3 s. */
export const POLL_BACKOFF_MS: readonly number[] = [500, 1000, 2000, 3000];
export const DEFAULT_MAX_WAIT_MS = 30_000;
/** The search starts this long before the call was sent: the caller's clock and the service's differ. */
const LOOK_BEHIND_MS = 60_000;
/** Pages followed in one read; a search can answer empty pages while it scans many streams. */
const MAX_PAGES_PER_READ = 50;

/** The requests of one fetch, each checked against the cancel signal first. */
interface LogReads {
  filter(input: FilterLogEventsCommandInput): Promise<FilteredLogEvent[]>;
  stream(logStreamName: string, startTime: number, token: string | undefined): Promise<{ messages: string[]; token?: string }>;
}

/** What one format's reader has found so far. */
interface Reader {
  readonly lines: readonly string[];
  readonly complete: boolean;
  readonly logStream?: string;
  /** True once the reader knows where the invocation's lines are (its START line, or any record). */
  readonly found: boolean;
  read(reads: LogReads): Promise<void>;
}

/**
 * The whole log of `request`'s invocation, as far as it arrived within `maxWaitMs`. Throws
 * `LogFetchError` when it cannot be read (no permission, no log group, no credentials, no
 * answer) or the signal aborted.
 */
export async function fetchInvocationLog(request: InvocationLogRequest, options: LogFetchOptions = {}): Promise<InvocationLog> {
  const { signal, onProgress, maxWaitMs = DEFAULT_MAX_WAIT_MS, delay = sleep } = options;
  throwIfCancelled(signal);
  const endpoint = await endpointFor(request);
  const { target, secrets } = recordingSecrets(request.target, endpoint.url);
  const client = buildQuietly(() => new CloudWatchLogsClient(sdkClientConfig(target)));
  const { logGroup, logFormat } = request.location;
  let action = 'logs:FilterLogEvents';
  const reads: LogReads = {
    filter: async (input) => {
      action = 'logs:FilterLogEvents';
      const events: FilteredLogEvent[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
        throwIfCancelled(signal);
        const answer = await client.send(new FilterLogEventsCommand({ ...input, nextToken }), { abortSignal: signal });
        events.push(...(answer.events ?? []));
        nextToken = answer.nextToken;
        if (!nextToken) break;
      }
      return events;
    },
    stream: async (logStreamName, startTime, token) => {
      action = 'logs:GetLogEvents';
      const messages: string[] = [];
      let nextToken = token;
      for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
        throwIfCancelled(signal);
        const answer = await client.send(
          new GetLogEventsCommand({ logGroupName: logGroup, logStreamName, startTime, startFromHead: true, nextToken }),
          { abortSignal: signal },
        );
        messages.push(...(answer.events ?? []).map((event) => event.message ?? ''));
        // The end of the stream so far: the service hands back the token it was given.
        if (!answer.nextForwardToken || answer.nextForwardToken === nextToken) break;
        nextToken = answer.nextForwardToken;
      }
      return nextToken === undefined ? { messages } : { messages, token: nextToken };
    },
  };
  const reader: Reader = logFormat === 'JSON' ? new JsonReader(logGroup, request.requestId, request.sentAt) : new TextReader(logGroup, request.requestId, request.sentAt);
  const snapshot = (): InvocationLog => ({
    text: reader.lines.join(''),
    complete: reader.complete,
    logGroup,
    ...(reader.logStream === undefined ? {} : { logStream: reader.logStream }),
    format: logFormat,
    endpoint: endpoint.url.origin,
    endpointSource: endpoint.source,
  });
  try {
    const started = Date.now();
    let waited = 0;
    let shown = 0;
    for (let poll = 0; ; poll++) {
      await reader.read(reads);
      const log = snapshot();
      if (reader.lines.length > shown) {
        shown = reader.lines.length;
        onProgress?.(log);
      }
      if (reader.complete) return log;
      const wait = POLL_BACKOFF_MS[Math.min(poll, POLL_BACKOFF_MS.length - 1)]!;
      // Waits count as they were asked for, so that a test's instant delay still ends the polling.
      if (Math.max(Date.now() - started, waited) + wait > maxWaitMs) return { ...log, incomplete: incompleteReason(reader, request, maxWaitMs) };
      await pause(delay, wait, signal);
      waited += wait;
    }
  } catch (error) {
    if (error instanceof LogFetchError) throw error;
    throwIfCancelled(signal);
    throw explainFailure(error, { action, logGroup, endpoint: endpoint.url.origin, profile: request.target.profile, secrets });
  } finally {
    client.destroy();
  }
}

/** The endpoint, with a configuration mistake (a malformed URL, a missing services section) explained. */
async function endpointFor(request: InvocationLogRequest): Promise<LogsEndpoint> {
  try {
    return await logsEndpoint(request.target, request.env ?? process.env);
  } catch (error) {
    if (error instanceof InvokeError) throw new LogFetchError('unreachable', error.message, error.details.hint);
    throw error;
  }
}

function incompleteReason(reader: Reader, request: InvocationLogRequest, maxWaitMs: number): string {
  const seconds = `${Math.round(maxWaitMs / 1000)} s`;
  const group = request.location.logGroup;
  if (!reader.found) {
    return `No log of request ${request.requestId} arrived in ${group} within ${seconds}: CloudWatch Logs may still be ingesting it. The 4 KB tail is shown; fetch the log again later.`;
  }
  return `The log of request ${request.requestId} in ${group} had no REPORT line after ${seconds}: the rest may still be arriving (or the invocation still runs). What arrived is shown; fetch the log again later.`;
}

/** One line of the log as shown: each ends in a newline, as Lambda wrote it. */
function asLine(message: string): string {
  return message.endsWith('\n') ? message : `${message}\n`;
}

/** Text format: finds the START line, then reads its stream from there to the REPORT line. */
class TextReader implements Reader {
  lines: string[] = [];
  complete = false;
  logStream?: string;
  private startTime = 0;
  private token?: string;
  private inside = false;
  private readonly startPrefix: string;

  constructor(
    private readonly logGroup: string,
    private readonly requestId: string,
    private readonly sentAt: number,
  ) {
    this.startPrefix = `START RequestId: ${requestId}`;
  }

  get found(): boolean {
    return this.logStream !== undefined;
  }

  async read(reads: LogReads): Promise<void> {
    if (this.logStream === undefined) {
      const events = await reads.filter({ logGroupName: this.logGroup, filterPattern: `"${this.startPrefix}"`, startTime: this.sentAt - LOOK_BEHIND_MS });
      const start = events.find((event) => this.isStart(event.message ?? ''));
      if (start?.logStreamName === undefined) return;
      this.logStream = start.logStreamName;
      this.startTime = start.timestamp ?? this.sentAt - LOOK_BEHIND_MS;
    }
    const { messages, token } = await reads.stream(this.logStream, this.startTime, this.token);
    this.token = token;
    for (const message of messages) this.take(message);
  }

  /** `START RequestId: <id>` followed by the version, not a longer id that begins the same. */
  private isStart(message: string): boolean {
    return message.startsWith(this.startPrefix) && /^(?:\s|$)/.test(message.slice(this.startPrefix.length));
  }

  /** Keeps the lines from this invocation's START to its REPORT; other invocations' lines around them are not its log. */
  private take(message: string): void {
    if (this.complete) return;
    if (!this.inside) {
      if (!this.isStart(message)) return;
      this.inside = true;
    }
    this.lines.push(asLine(message));
    if (isReportLine(message, this.requestId)) this.complete = true;
  }
}

/** JSON format: every record that names the request id, in time order. */
class JsonReader implements Reader {
  lines: string[] = [];
  complete = false;
  logStream?: string;

  constructor(
    private readonly logGroup: string,
    private readonly requestId: string,
    private readonly sentAt: number,
  ) {}

  get found(): boolean {
    return this.lines.length > 0;
  }

  async read(reads: LogReads): Promise<void> {
    const id = JSON.stringify(this.requestId);
    const events = await reads.filter({
      logGroupName: this.logGroup,
      filterPattern: `{ ($.requestId = ${id}) || ($.record.requestId = ${id}) }`,
      startTime: this.sentAt - LOOK_BEHIND_MS,
    });
    // Each read searches again from the start: the events found before are among the answer.
    const seen = new Set<string>();
    const unique = events.filter((event) => {
      const key = event.eventId ?? `${event.logStreamName}\u0000${event.timestamp}\u0000${event.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    unique.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    this.lines = unique.map((event) => asLine(event.message ?? ''));
    this.logStream = unique[0]?.logStreamName;
    this.complete = this.lines.some((line) => isReportLine(line, this.requestId));
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LogFetchError('cancelled', 'Fetching the log was cancelled.');
}

/** The caller's delay, ended early by the signal whether or not the delay itself listens to it. */
async function pause(delay: NonNullable<LogFetchOptions['delay']>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfCancelled(signal);
  if (!signal) return delay(ms);
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([delay(ms, signal), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  throwIfCancelled(signal);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
