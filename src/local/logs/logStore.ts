/**
 * The local endpoint's CloudWatch Logs, in memory: log groups (one per function, or the group its
 * configuration names), one log stream per worker process, one event per line Lambda writes, each
 * with its timestamp, ingestion time and event id. Bounded, oldest events dropped first, so a
 * chatty function or a long session cannot exhaust the endpoint: a group keeps at most
 * `maxEventsPerGroup` events and all groups together about `maxBytes` of messages. Pure data: the
 * queries (FilterLogEvents, GetLogEvents) are in logsApi.ts.
 */

export interface LogStoreLimits {
  readonly maxEventsPerGroup: number;
  /** Message bytes (UTF-8) kept in all groups together. */
  readonly maxBytes: number;
}

export const DEFAULT_LOG_STORE_LIMITS: LogStoreLimits = { maxEventsPerGroup: 10_000, maxBytes: 64 * 1024 * 1024 };

export interface LogEventInput {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly message: string;
}

export interface StoredLogEvent {
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  /** Digits, as CloudWatch's event ids are; unique in the store. */
  readonly eventId: string;
  /** Store-wide arrival order: ties between equal timestamps keep it. */
  readonly seq: number;
  /** Its place in its stream, counted from the stream's first event ever (drops do not renumber). */
  readonly position: number;
  readonly bytes: number;
}

export class LogStream {
  private events: StoredLogEvent[] = [];
  private head = 0;
  /** Position of the next event appended. */
  nextPosition = 0;

  constructor(
    readonly name: string,
    readonly creationTime: number,
  ) {}

  /** The events kept, oldest first. */
  all(): readonly StoredLogEvent[] {
    if (this.head > 0) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return this.events;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  oldest(): StoredLogEvent | undefined {
    return this.events[this.head];
  }

  push(event: StoredLogEvent): void {
    this.events.push(event);
    this.nextPosition = event.position + 1;
  }

  dropOldest(): StoredLogEvent | undefined {
    const dropped = this.events[this.head];
    if (dropped === undefined) return undefined;
    this.head++;
    // Compacted lazily: dropping one event at a time must not copy the array each time.
    if (this.head > 1024 && this.head * 2 > this.events.length) this.all();
    return dropped;
  }
}

export class LogGroup {
  readonly streams = new Map<string, LogStream>();
  eventCount = 0;

  constructor(
    readonly name: string,
    readonly creationTime: number,
  ) {}

  /** The stream whose oldest event is the group's oldest. */
  oldestStream(): LogStream | undefined {
    let oldest: LogStream | undefined;
    for (const stream of this.streams.values()) {
      const first = stream.oldest();
      if (first && (!oldest || first.seq < oldest.oldest()!.seq)) oldest = stream;
    }
    return oldest;
  }
}

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();
  private seq = 0;
  private bytes = 0;

  constructor(
    private readonly limits: LogStoreLimits = DEFAULT_LOG_STORE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  group(name: string): LogGroup | undefined {
    return this.groups.get(name);
  }

  /** Appends events to a stream, creating the group and stream on first use, then drops what is over the limits. */
  append(groupName: string, streamName: string, events: readonly LogEventInput[]): void {
    const ingestionTime = this.now();
    let group = this.groups.get(groupName);
    if (!group) {
      group = new LogGroup(groupName, ingestionTime);
      this.groups.set(groupName, group);
    }
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = new LogStream(streamName, ingestionTime);
      group.streams.set(streamName, stream);
    }
    for (const event of events) {
      const seq = ++this.seq;
      const bytes = Buffer.byteLength(event.message, 'utf8');
      stream.push({
        timestamp: event.timestamp,
        // CloudWatch never ingests an event before it happened.
        ingestionTime: Math.max(ingestionTime, event.timestamp),
        message: event.message,
        eventId: String(seq).padStart(56, '0'),
        seq,
        position: stream.nextPosition,
        bytes,
      });
      group.eventCount++;
      this.bytes += bytes;
      while (group.eventCount > this.limits.maxEventsPerGroup) this.dropOldest(group);
    }
    while (this.bytes > this.limits.maxBytes && this.dropOldestAnywhere()) {
      // each round drops the store's oldest event
    }
  }

  private dropOldest(group: LogGroup): boolean {
    const stream = group.oldestStream();
    const dropped = stream?.dropOldest();
    if (!stream || !dropped) return false;
    group.eventCount--;
    this.bytes -= dropped.bytes;
    // A worker's stream that has lost all its events goes too: workers come and go all session.
    if (stream.size === 0) group.streams.delete(stream.name);
    return true;
  }

  private dropOldestAnywhere(): boolean {
    let oldest: { group: LogGroup; seq: number } | undefined;
    for (const group of this.groups.values()) {
      const seq = group.oldestStream()?.oldest()?.seq;
      if (seq !== undefined && (!oldest || seq < oldest.seq)) oldest = { group, seq };
    }
    return oldest ? this.dropOldest(oldest.group) : false;
  }
}
