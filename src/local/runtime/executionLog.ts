/**
 * The execution log of one invocation, laid out as Lambda writes it: START, the handler's
 * console output, END and REPORT (with the fields, separators and number formats of the
 * service) in Text format, or `platform.start`, the console lines as JSON objects,
 * `platform.runtimeDone` and `platform.report` in JSON format; and the base64 tail of it that
 * `X-Amz-Log-Result` carries. The log is a list of lines because CloudWatch keeps each line as
 * one event (logs/logStore.ts) and the tail is the same lines, joined. Pure: numbers in, text out.
 */
import type { LogFormat } from '../config/config';

/** How much of the log `X-Amz-Log-Result` carries: the last 4 KB, as Lambda sends it. */
export const TAIL_BYTES = 4 * 1024;

/** What the REPORT line says about one invocation. */
export interface ReportFacts {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start: how long the worker took to start and load the handler. */
  readonly initDurationMs?: number;
  /** Only when the invocation did not end normally. */
  readonly status?: 'timeout' | 'error';
  /** With `status: 'error'`, the kind of failure (`Runtime.ExitError`). */
  readonly errorType?: string;
}

export interface ExecutionLogParts {
  readonly requestId: string;
  /** `$LATEST` or a version number. */
  readonly version: string;
  /** Output written while the worker loaded the handler: Lambda shows it before START. */
  readonly initOutput: string;
  /** Everything the invocation wrote (already in Lambda's line format), plus the runtime's own lines. */
  readonly output: string;
  readonly report: ReportFacts;
  /** Default Text. */
  readonly format?: LogFormat;
  /** When the invocation started and ended, for the JSON platform lines' `time`; default now. */
  readonly startedAt?: Date;
  readonly endedAt?: Date;
}

/**
 * The lines of one invocation's log, without line ends, empty lines left out (CloudWatch keeps
 * no empty events). A console line's in-line carriage returns are still in it, as Lambda sends
 * them in the tail; CloudWatch shows them as line breaks inside the one event.
 */
export function executionLogLines(parts: ExecutionLogParts): string[] {
  const platform = parts.format === 'JSON' ? jsonPlatformLines(parts) : textPlatformLines(parts);
  return [...splitLines(parts.initOutput), platform.start, ...splitLines(parts.output), ...platform.end];
}

/** The whole log of one invocation, each line ending in `\n`. */
export function formatExecutionLog(parts: ExecutionLogParts): string {
  return joinLogLines(executionLogLines(parts));
}

export function joinLogLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

function splitLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

function textPlatformLines(parts: ExecutionLogParts): { start: string; end: string[] } {
  return {
    start: `START RequestId: ${parts.requestId} Version: ${parts.version}`,
    end: [`END RequestId: ${parts.requestId}`, formatReport(parts.report)],
  };
}

/** The platform events Lambda writes in JSON format in place of START, END and REPORT. */
function jsonPlatformLines(parts: ExecutionLogParts): { start: string; end: string[] } {
  const { requestId, report } = parts;
  const start = (parts.startedAt ?? new Date()).toISOString();
  const end = (parts.endedAt ?? new Date()).toISOString();
  // Text's REPORT has no Status for a normal end; JSON says "success", and src/lambda/reportLine.ts reads both the same way.
  const status = report.status ?? 'success';
  const errorType = report.errorType !== undefined ? { errorType: report.errorType } : {};
  const metrics = {
    durationMs: round2(report.durationMs),
    billedDurationMs: billedMs(report),
    memorySizeMB: report.memorySizeMb,
    maxMemoryUsedMB: report.maxMemoryUsedMb,
    ...(report.initDurationMs !== undefined ? { initDurationMs: round2(report.initDurationMs) } : {}),
  };
  return {
    start: JSON.stringify({ time: start, type: 'platform.start', record: { requestId, version: parts.version } }),
    end: [
      JSON.stringify({ time: end, type: 'platform.runtimeDone', record: { requestId, status, ...errorType } }),
      JSON.stringify({ time: end, type: 'platform.report', record: { requestId, metrics, status, ...errorType } }),
    ],
  };
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Billing rounds up to the millisecond and, as Lambda bills since August 2025, counts the init phase of a cold start too. */
function billedMs(facts: ReportFacts): number {
  return Math.ceil(facts.durationMs + (facts.initDurationMs ?? 0));
}

/**
 * `REPORT RequestId: …\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB`,
 * then `Init Duration` on a cold start and `Status` when the invocation failed, as Lambda
 * appends them.
 */
export function formatReport(facts: ReportFacts): string {
  const fields = [
    `REPORT RequestId: ${facts.requestId}`,
    `Duration: ${facts.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedMs(facts)} ms`,
    `Memory Size: ${facts.memorySizeMb} MB`,
    `Max Memory Used: ${facts.maxMemoryUsedMb} MB`,
  ];
  if (facts.initDurationMs !== undefined) fields.push(`Init Duration: ${facts.initDurationMs.toFixed(2)} ms`);
  if (facts.status !== undefined) fields.push(`Status: ${facts.status}`);
  if (facts.errorType !== undefined) fields.push(`Error Type: ${facts.errorType}`);
  return fields.join('\t');
}

/**
 * One console line as Lambda's Node.js runtime writes it. Text: ISO time, request id, level,
 * text, with newlines inside the text turned into carriage returns so that one call stays one
 * log event. JSON: `{"timestamp","level","requestId","message"}` (no requestId during init),
 * then `extra` (the runtime's error fields); JSON escapes the newlines itself.
 */
export function formatConsoleLine(
  time: Date,
  requestId: string | undefined,
  level: string,
  text: string,
  format: LogFormat = 'Text',
  extra: Readonly<Record<string, unknown>> = {},
): string {
  if (format === 'JSON') {
    return `${JSON.stringify({ timestamp: time.toISOString(), level, ...(requestId !== undefined ? { requestId } : {}), message: text, ...extra })}\n`;
  }
  return `${time.toISOString()}\t${String(requestId)}\t${level}\t${text}`.replace(/\n/g, '\r') + '\n';
}

/** `X-Amz-Log-Result`: base64 of the last `TAIL_BYTES` bytes of the log (cut on bytes, as Lambda does). */
export function logTail(log: string, bytes: number = TAIL_BYTES): string {
  const all = Buffer.from(log, 'utf8');
  return all.subarray(Math.max(0, all.length - bytes)).toString('base64');
}

