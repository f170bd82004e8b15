/**
 * The execution log of one invocation, laid out as Lambda writes it: START, the handler's
 * console output, END and REPORT (with the fields, separators and number formats of the
 * service), and the base64 tail of it that `X-Amz-Log-Result` carries. Pure: numbers in,
 * text out.
 */

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
}

/** The whole log of one invocation, each line ending in `\n`. */
export function formatExecutionLog(parts: ExecutionLogParts): string {
  return [
    withNewline(parts.initOutput),
    `START RequestId: ${parts.requestId} Version: ${parts.version}\n`,
    withNewline(parts.output),
    `END RequestId: ${parts.requestId}\n`,
    `${formatReport(parts.report)}\n`,
  ].join('');
}

/**
 * `REPORT RequestId: …\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB`,
 * then `Init Duration` on a cold start and `Status` when the invocation failed, as Lambda
 * appends them. Billing rounds up to the millisecond and, as Lambda bills since August 2025,
 * counts the init phase of a cold start too.
 */
export function formatReport(facts: ReportFacts): string {
  const billed = Math.ceil(facts.durationMs + (facts.initDurationMs ?? 0));
  const fields = [
    `REPORT RequestId: ${facts.requestId}`,
    `Duration: ${facts.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${facts.memorySizeMb} MB`,
    `Max Memory Used: ${facts.maxMemoryUsedMb} MB`,
  ];
  if (facts.initDurationMs !== undefined) fields.push(`Init Duration: ${facts.initDurationMs.toFixed(2)} ms`);
  if (facts.status !== undefined) fields.push(`Status: ${facts.status}`);
  if (facts.errorType !== undefined) fields.push(`Error Type: ${facts.errorType}`);
  return fields.join('\t');
}

/**
 * One console line as Lambda's Node.js runtime writes it: ISO time, request id, level, text.
 * Newlines inside the text become carriage returns so that one call stays one log event.
 */
export function formatConsoleLine(time: Date, requestId: string | undefined, level: string, text: string): string {
  return `${time.toISOString()}\t${String(requestId)}\t${level}\t${text}`.replace(/\n/g, '\r') + '\n';
}

/** `X-Amz-Log-Result`: base64 of the last `TAIL_BYTES` bytes of the log (cut on bytes, as Lambda does). */
export function logTail(log: string, bytes: number = TAIL_BYTES): string {
  const all = Buffer.from(log, 'utf8');
  return all.subarray(Math.max(0, all.length - bytes)).toString('base64');
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
