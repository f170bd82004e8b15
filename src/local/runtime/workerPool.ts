/**
 * The worker processes behind the local endpoint, one per running invocation, like Lambda's
 * execution environments: forked from the runtime script (runtimeEntry.ts), kept warm and
 * reused for the same function version, region and code, replaced when they exit or crash,
 * killed when an invocation times out, retired when the code or settings change. Whatever a
 * handler does, the endpoint's own process only ever sees messages and exit codes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { RuntimeEntry } from './runtimeEntry';
import type { FunctionErrorBody, InvocationContextFields, ParentMessage, ResultMessage, WorkerMessage } from './workerProtocol';

/** Lambda gives a handler's module 10 seconds to load (the init phase), apart from the timeout. */
export const INIT_TIMEOUT_MS = 10_000;
/** Warm workers nobody used for this long are stopped. */
export const IDLE_TIMEOUT_MS = 10 * 60_000;
/** Output kept per invocation; past it, the oldest half is dropped (a handler logging in a loop must not exhaust the endpoint). */
const OUTPUT_LIMIT_CHARS = 8 * 1024 * 1024;
/** Share of the memory size given to V8's old space, about what Lambda's bootstrap gives it. */
const HEAP_SHARE = 0.9;

/** What a worker is started for. Workers with the same `key` are interchangeable. */
export interface WorkerSpec {
  /** Function, version and region: a newer `key` in the same group retires the older workers. */
  readonly group: string;
  /** `group` plus everything a running worker has baked in: handler file and its stamp, environment, memory. */
  readonly key: string;
  /** For log lines: `hello:$LATEST`. */
  readonly label: string;
  readonly version: string;
  readonly file: string;
  readonly exportPath: readonly string[];
  readonly handlerText: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly memoryMb: number;
}

export interface InvocationInput {
  readonly event: string;
  readonly timeoutMs: number;
  /** The context fields; the log stream is the worker's own. */
  readonly context: Omit<InvocationContextFields, 'logStreamName'>;
}

/** What happened in one invocation, for the response and the log. */
export interface InvocationRecord {
  /** The response body, when the handler succeeded. */
  readonly payload?: string;
  readonly error?: FunctionErrorBody;
  /** For REPORT: `timeout`, or `error` when the runtime itself failed (exit, init). */
  readonly status?: 'timeout' | 'error';
  /** Output from loading the handler (a cold start's), shown before START. */
  readonly initOutput: string;
  /** Output during the invocation, including the runtime's own lines. */
  readonly output: string;
  readonly durationMs: number;
  readonly initDurationMs?: number;
  readonly maxMemoryUsedMb: number;
  readonly pid: number | undefined;
  /** The worker's log stream (one per worker process, as Lambda has one per execution environment). */
  readonly logStreamName: string;
  /** Epoch milliseconds: when the invocation was handed to its worker, and when it ended. */
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface PoolOptions {
  readonly runtime: RuntimeEntry;
  /** Workers alive at once, all functions together. */
  readonly maxWorkers: number;
  readonly log: (line: string) => void;
  readonly initTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

/** Thrown by `invoke` once `close` has been called. */
export class PoolClosedError extends Error {
  constructor() {
    super('The local endpoint is shutting down; start it again to invoke.');
  }
}

type ReadyOutcome = { ok: true } | { ok: false; error: FunctionErrorBody; status: 'error' | 'timeout' };
type RunOutcome = { kind: 'result'; message: ResultMessage } | { kind: 'timeout' } | { kind: 'exit'; description: string };
/** How an invocation ended, and everything it wrote. */
type RunEnd = RunOutcome & { output: string };

interface Running {
  readonly requestId: string;
  output: string;
  settle(outcome: RunOutcome): void;
}

class Worker {
  readonly child: ChildProcess;
  readonly started = performance.now();
  readonly logStreamName: string;
  readonly ready: Promise<ReadyOutcome>;
  readonly exited: Promise<void>;
  state: 'starting' | 'idle' | 'busy' | 'dead' = 'starting';
  /** Not to be reused: its code or settings changed, or it is going down. */
  retired = false;
  /** False until its first invocation, which reports the cold start. */
  used = false;
  maxRssKb = 0;
  initDurationMs = 0;
  initOutput = '';
  private idleOutput = '';
  private running: Running | undefined;
  private settleReady!: (outcome: ReadyOutcome) => void;
  private idleTimer: NodeJS.Timeout | undefined;
  private exitDescription: string | undefined;

  constructor(
    readonly spec: WorkerSpec,
    runtime: RuntimeEntry,
    private readonly onExit: (worker: Worker, description: string) => void,
  ) {
    this.logStreamName = logStreamName(spec.version);
    const heapMb = Math.max(64, Math.floor(spec.memoryMb * HEAP_SHARE));
    this.child = fork(runtime.file, [], {
      cwd: spec.cwd,
      env: { ...spec.env, AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName },
      execArgv: [...runtime.execArgv, `--max-old-space-size=${heapMb}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.ready = new Promise((resolve) => (this.settleReady = resolve));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.ended(describeExit(code, signal));
        resolve();
      });
      this.child.once('error', (error) => {
        // Spawning failed: no 'exit' follows.
        if (this.child.pid === undefined) {
          this.ended(`failed to start: ${error.message}`);
          resolve();
        }
      });
    });
    this.child.on('message', (message: WorkerMessage) => (this.received[message.type] as (m: WorkerMessage) => void)(message));
    // Output that bypassed the runtime's capture (Node's own fatal errors, native code).
    const raw = (chunk: Buffer): void => this.output(chunk.toString('utf8'));
    this.child.stdout?.on('data', raw);
    this.child.stderr?.on('data', raw);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts loading the handler; `ready` says how that went. */
  init(initTimeoutMs: number): void {
    const timer = setTimeout(() => {
      this.settleReady({
        ok: false,
        status: 'timeout',
        error: { errorType: 'Sandbox.Timedout', errorMessage: `Init phase timed out after ${(initTimeoutMs / 1000).toFixed(2)} seconds` },
      });
      this.kill();
    }, initTimeoutMs);
    void this.ready.then(() => clearTimeout(timer));
    this.send({ type: 'init', file: this.spec.file, exportPath: [...this.spec.exportPath], handlerText: this.spec.handlerText });
  }

  /** Runs one invocation; ends with its result, a timeout (the worker is then killed) or an exit. */
  run(requestId: string, input: InvocationInput): Promise<RunEnd> {
    this.state = 'busy';
    clearTimeout(this.idleTimer);
    return new Promise((resolve) => {
      const running: Running = {
        requestId,
        // What the worker wrote while idle (after its last invocation answered) shows here, as in Lambda.
        output: this.idleOutput,
        settle: (outcome) => {
          if (this.running !== running) return;
          clearTimeout(timer);
          this.running = undefined;
          resolve({ ...outcome, output: running.output });
        },
      };
      const timer = setTimeout(() => {
        this.maxRssKb = Math.max(this.maxRssKb, peakRssKb(this.pid));
        running.settle({ kind: 'timeout' });
        this.kill();
      }, input.timeoutMs);
      this.running = running;
      this.idleOutput = '';
      this.send({
        type: 'invoke',
        event: input.event,
        deadline: Date.now() + input.timeoutMs,
        context: { ...input.context, logStreamName: this.logStreamName },
      });
    });
  }

  parkIdle(idleTimeoutMs: number): void {
    this.state = 'idle';
    this.idleTimer = setTimeout(() => this.kill(), idleTimeoutMs).unref();
  }

  kill(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    clearTimeout(this.idleTimer);
    this.child.kill('SIGKILL');
  }

  private send(message: ParentMessage): void {
    if (!this.child.connected) return; // the exit handler reports what happened
    this.child.send(message, (error) => {
      if (error) this.kill();
    });
  }

  /** What each message from the worker does. */
  private readonly received: { [K in WorkerMessage['type']]: (message: Extract<WorkerMessage, { type: K }>) => void } = {
    log: (message) => this.output(message.text),
    ready: (message) => {
      this.maxRssKb = message.maxRssKb;
      this.initDurationMs = performance.now() - this.started;
      // Started for a caller, who runs an invocation on it next.
      this.state = 'busy';
      this.settleReady({ ok: true });
    },
    initError: (message) => {
      this.maxRssKb = message.maxRssKb;
      this.initDurationMs = performance.now() - this.started;
      this.retired = true;
      this.settleReady({ ok: false, status: 'error', error: message.error });
    },
    result: (message) => {
      this.maxRssKb = Math.max(this.maxRssKb, message.maxRssKb);
      if (message.exiting) this.retired = true;
      if (this.running?.requestId === message.requestId) this.running.settle({ kind: 'result', message });
    },
  };

  private output(text: string): void {
    if (this.running) this.running.output = capped(this.running.output + text);
    else if (this.state === 'starting') this.initOutput = capped(this.initOutput + text);
    else this.idleOutput = capped(this.idleOutput + text);
  }

  private ended(description: string): void {
    if (this.exitDescription !== undefined) return;
    this.exitDescription = description;
    this.state = 'dead';
    clearTimeout(this.idleTimer);
    this.settleReady({
      ok: false,
      status: 'error',
      error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${description}` },
    });
    this.running?.settle({ kind: 'exit', description });
    this.onExit(this, description);
  }
}

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private readonly exits = new Set<Promise<void>>();
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly initTimeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: PoolOptions) {
    this.initTimeoutMs = options.initTimeoutMs ?? INIT_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  }

  /**
   * Runs one invocation on a warm worker of `spec`, or a new one. When `maxWorkers` are busy,
   * resolves `undefined` at once (`queue: false`, Lambda's throttle for a synchronous call) or
   * waits for one to free up (`queue: true`, Lambda's queue for Event calls).
   */
  async invoke(spec: WorkerSpec, requestId: string, input: InvocationInput, queue: boolean): Promise<InvocationRecord | undefined> {
    const worker = await this.acquire(spec, queue);
    if (!worker) return undefined;
    try {
      return await this.runOn(worker, requestId, input);
    } finally {
      this.release(worker);
    }
  }

  /** Stops every worker and waits until each has exited. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    for (const worker of this.workers) worker.kill();
    await Promise.all([...this.exits]);
  }

  private async runOn(worker: Worker, requestId: string, input: InvocationInput): Promise<InvocationRecord> {
    const cold = !worker.used;
    worker.used = true;
    const ready = await worker.ready;
    const startedAt = Date.now();
    const times = (): Pick<InvocationRecord, 'logStreamName' | 'startedAt' | 'endedAt'> => ({ logStreamName: worker.logStreamName, startedAt, endedAt: Date.now() });
    const base = { initOutput: cold ? worker.initOutput : '', ...(cold ? { initDurationMs: worker.initDurationMs } : {}), pid: worker.pid };
    if (!ready.ok) {
      worker.kill();
      const error = { ...ready.error, errorMessage: `RequestId: ${requestId} Error: ${ready.error.errorMessage}` };
      return { ...base, ...times(), error, status: ready.status, output: '', durationMs: 0, maxMemoryUsedMb: toMb(worker.maxRssKb) };
    }
    const runStarted = performance.now();
    const end = await worker.run(requestId, input);
    const elapsed = performance.now() - runStarted;
    const memory = toMb(worker.maxRssKb);
    const seconds = (input.timeoutMs / 1000).toFixed(2);
    const RECORDS: { [K in RunEnd['kind']]: (end: Extract<RunEnd, { kind: K }>) => InvocationRecord } = {
      result: ({ message, output }) => ({
        ...base,
        ...times(),
        ...(message.error ? { error: message.error } : { payload: message.payload ?? 'null' }),
        output,
        durationMs: message.durationMs,
        maxMemoryUsedMb: memory,
      }),
      timeout: ({ output }) => ({
        ...base,
        ...times(),
        error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds` },
        status: 'timeout',
        output: `${withNewline(output)}${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds\n`,
        durationMs: input.timeoutMs,
        maxMemoryUsedMb: memory,
      }),
      exit: ({ description, output }) => {
        const errorMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${description}`;
        return {
          ...base,
          ...times(),
          error: { errorType: 'Runtime.ExitError', errorMessage },
          status: 'error',
          output: `${withNewline(output)}${errorMessage}\nRuntime.ExitError\n`,
          durationMs: elapsed,
          maxMemoryUsedMb: memory,
        };
      },
    };
    return (RECORDS[end.kind] as (e: RunEnd) => InvocationRecord)(end);
  }

  private async acquire(spec: WorkerSpec, queue: boolean): Promise<Worker | undefined> {
    for (;;) {
      if (this.closed) throw new PoolClosedError();
      this.retireOutdated(spec);
      const warm = [...this.workers].find((w) => w.spec.key === spec.key && w.state === 'idle' && !w.retired);
      if (warm) {
        warm.state = 'busy';
        return warm;
      }
      if (this.workers.size >= this.options.maxWorkers) {
        // Make room by stopping the longest-idle worker of any function.
        const idle = [...this.workers].find((w) => w.state === 'idle');
        idle?.kill();
        if (idle) this.workers.delete(idle);
      }
      if (this.workers.size < this.options.maxWorkers) return this.spawn(spec);
      if (!queue) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private spawn(spec: WorkerSpec): Worker {
    const worker = new Worker(spec, this.options.runtime, (w, description) => {
      this.workers.delete(w);
      this.options.log(`Worker ${w.pid ?? '(none)'} for ${w.spec.label} stopped: ${description}.`);
      this.wakeOne();
    });
    this.workers.add(worker);
    const exit = worker.exited.then(() => void this.exits.delete(exit));
    this.exits.add(exit);
    this.options.log(`Worker ${worker.pid ?? '(none)'} started for ${spec.label} (cold start).`);
    worker.init(this.initTimeoutMs);
    return worker;
  }

  /** Workers of the same function version running older code or settings are not reused. */
  private retireOutdated(spec: WorkerSpec): void {
    for (const worker of this.workers) {
      if (worker.spec.group !== spec.group || worker.spec.key === spec.key) continue;
      worker.retired = true;
      if (worker.state === 'idle') worker.kill();
    }
  }

  private release(worker: Worker): void {
    if (worker.state === 'dead') return;
    if (worker.retired || this.closed) {
      worker.kill();
      return;
    }
    // Most recently used last: `acquire` evicts from the front.
    this.workers.delete(worker);
    this.workers.add(worker);
    worker.parkIdle(this.idleTimeoutMs);
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }
}

/** `exit status 3` or `signal: killed`, as Lambda words a runtime's end. */
function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'signal: killed';
  if (signal) return `signal: ${signal}`;
  return `exit status ${code ?? 0}`;
}

/** `2026/01/31/[$LATEST]0123…` (32 hex digits), Lambda's log stream name for an execution environment. */
export function logStreamName(version: string): string {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return `${date}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** The process's peak resident set (Linux), for a worker about to be killed; 0 when unknown. */
function peakRssKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function capped(output: string): string {
  if (output.length <= OUTPUT_LIMIT_CHARS) return output;
  const kept = output.slice(-OUTPUT_LIMIT_CHARS / 2);
  return `[${output.length - kept.length} characters of earlier output dropped]\n${kept}`;
}

function toMb(kb: number): number {
  return Math.max(1, Math.round(kb / 1024));
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
