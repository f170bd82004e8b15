/**
 * An invocation's log lines as CloudWatch events: one event per line, its carriage returns (how
 * Lambda keeps a multi-line console message on one line) turned back into line breaks inside the
 * one event, each stamped with the time the line itself carries (a console line's ISO time, a
 * JSON line's `timestamp` or `time`) or, for START, END and REPORT, when the invocation started or
 * ended. Times never go backwards within an invocation, so reading a stream in order (GetLogEvents)
 * and by time (FilterLogEvents) agree. Pure.
 */
import type { LogEventInput } from './logStore';

const TEXT_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)[\t ]/;
const ENDING = /^(?:END|REPORT) RequestId: /;

function ownTime(line: string): number | undefined {
  const text = TEXT_TIME.exec(line)?.[1];
  if (text !== undefined) return Date.parse(text);
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { timestamp?: unknown; time?: unknown };
    const stamp = typeof value.timestamp === 'string' ? value.timestamp : typeof value.time === 'string' ? value.time : undefined;
    const parsed = stamp !== undefined ? Date.parse(stamp) : NaN;
    return Number.isNaN(parsed) ? undefined : parsed;
  } catch {
    return undefined;
  }
}

export function invocationLogEvents(lines: readonly string[], startedAt: number, endedAt: number): LogEventInput[] {
  let last = startedAt;
  return lines.map((line) => {
    const stamp = ENDING.test(line) ? endedAt : (ownTime(line) ?? last);
    last = Math.max(last, stamp);
    return { timestamp: last, message: line.replace(/\r/g, '\n') };
  });
}
