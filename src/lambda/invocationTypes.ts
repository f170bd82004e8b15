/**
 * The Invoke operation's invocation and log types, as the service model lists them, with the
 * words every side uses for each. The one list that the language service, the engine and the
 * local endpoint check values against.
 */

/** In the service model's order. */
export const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
export type InvocationType = (typeof INVOCATION_TYPES)[number];

/** What Lambda assumes when a request names none. */
export const DEFAULT_INVOCATION_TYPE: InvocationType = 'RequestResponse';

export const LOG_TYPES = ['None', 'Tail'] as const;
export type LogType = (typeof LOG_TYPES)[number];
export const DEFAULT_LOG_TYPE: LogType = 'None';

/** How each type is named: `short` in a lens summary, `phrase` in a sentence. */
export const InvocationTypeWords: Readonly<Record<InvocationType, { short: string; phrase: string }>> = {
  RequestResponse: { short: 'sync', phrase: 'a synchronous invocation' },
  Event: { short: 'async', phrase: 'an asynchronous (Event) invocation' },
  DryRun: { short: 'dry run', phrase: 'a DryRun invocation' },
};

export function isInvocationType(value: unknown): value is InvocationType {
  return typeof value === 'string' && (INVOCATION_TYPES as readonly string[]).includes(value);
}

export function isLogType(value: unknown): value is LogType {
  return typeof value === 'string' && (LOG_TYPES as readonly string[]).includes(value);
}
