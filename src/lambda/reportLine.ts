/**
 * The figures of an invocation's REPORT line, read back from its log: Lambda writes
 * `REPORT RequestId: …\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB`
 * (then `Init Duration` on a cold start and `Status` when it failed) in text format, and a
 * `platform.report` record with the same metrics in JSON format. Pure: text in, figures out.
 */

export interface ReportFacts {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Only on a cold start. */
  initDurationMs?: number;
  /** Only when the invocation did not end normally (`timeout`, `error`). */
  status?: string;
}

const TEXT_REPORT = /^REPORT RequestId: (\S+)(.*)$/;
const TEXT_FIELDS: ReadonlyArray<[keyof ReportFacts, RegExp]> = [
  ['durationMs', /\tDuration: ([\d.]+) ms/],
  ['billedDurationMs', /\tBilled Duration: ([\d.]+) ms/],
  ['memorySizeMb', /\tMemory Size: (\d+) MB/],
  ['maxMemoryUsedMb', /\tMax Memory Used: (\d+) MB/],
  ['initDurationMs', /\tInit Duration: ([\d.]+) ms/],
];

/**
 * The REPORT of `requestId` (or, without one, the last REPORT) in `log`, whichever format it is
 * in; undefined when the log has none (a tail cut before it, or a log still arriving).
 */
export function findReport(log: string, requestId?: string): ReportFacts | undefined {
  const lines = log.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    const facts = line.startsWith('{') ? jsonReport(line) : textReport(line);
    if (facts && (requestId === undefined || facts.requestId === requestId)) return facts;
  }
  return undefined;
}

/** True when `line` is the REPORT (text) or `platform.report` (JSON) line of `requestId`. */
export function isReportLine(line: string, requestId: string): boolean {
  return findReport(line, requestId) !== undefined;
}

function textReport(line: string): ReportFacts | undefined {
  const match = TEXT_REPORT.exec(line);
  if (!match) return undefined;
  const rest = `\t${match[2]!.replace(/^\s+/, '')}`.replace(/\s{2,}|\t/g, '\t');
  const facts: Partial<ReportFacts> & { requestId: string } = { requestId: match[1]! };
  for (const [key, pattern] of TEXT_FIELDS) {
    const value = pattern.exec(rest)?.[1];
    if (value !== undefined) (facts as Record<string, unknown>)[key] = Number(value);
  }
  const status = /\tStatus: (\S+)/.exec(rest)?.[1];
  if (status !== undefined) facts.status = status;
  return complete(facts);
}

function jsonReport(line: string): ReportFacts | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.type !== 'platform.report' || !isObject(value.record)) return undefined;
  const record = value.record;
  const metrics = isObject(record.metrics) ? record.metrics : {};
  if (typeof record.requestId !== 'string') return undefined;
  const facts: Partial<ReportFacts> & { requestId: string } = { requestId: record.requestId };
  const pick: ReadonlyArray<[keyof ReportFacts, string]> = [
    ['durationMs', 'durationMs'],
    ['billedDurationMs', 'billedDurationMs'],
    ['memorySizeMb', 'memorySizeMB'],
    ['maxMemoryUsedMb', 'maxMemoryUsedMB'],
    ['initDurationMs', 'initDurationMs'],
  ];
  for (const [key, name] of pick) {
    if (typeof metrics[name] === 'number') (facts as Record<string, unknown>)[key] = metrics[name];
  }
  if (typeof record.status === 'string' && record.status !== 'success') facts.status = record.status;
  return complete(facts);
}

function complete(facts: Partial<ReportFacts> & { requestId: string }): ReportFacts | undefined {
  const { durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb } = facts;
  if (durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined || maxMemoryUsedMb === undefined) return undefined;
  return facts as ReportFacts;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
