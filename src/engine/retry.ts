/**
 * Whether to send an invocation again, decided from what happened to one try and nothing else:
 * no I/O, no clock, no timers, so every case is a row of a test table. Only what did not run is
 * retried: a throttle (429), after the wait Lambda asks for, and a failure to connect before any
 * of the request was sent. Anything after the body was sent may have run the function, and is
 * never sent again: running it twice is worse than reporting.
 */
import { formatWait } from '../lambda/format';
import { retryAfterMs } from './serviceErrorReader';

/** The failure code of a try the user cancelled (Node's code for an AbortError). */
export const CANCELLED_CODE = 'ABORT_ERR';

/** Failures to connect that happen before anything is sent, and may clear up on a retry. */
const RETRYABLE_CONNECT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** An answer came back, whatever its status. */
export interface AnsweredTry {
  readonly kind: 'response';
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The error's name when the answer has one (from the header or the body). */
  readonly errorType?: string;
  /** When the answer arrived (ms since the epoch): dates a `Retry-After` given as an HTTP-date. */
  readonly receivedAt: number;
}

/** No answer came back. */
export interface FailedTry {
  readonly kind: 'failure';
  /** An errno code (`ECONNREFUSED`), `ETIMEDOUT` for any timeout, `CANCELLED_CODE`, or '' when unknown. */
  readonly code: string;
  /** True once the request's body was delivered: from then on the function may have run. */
  readonly bodyWritten: boolean;
  /** What went wrong, in words, for the reason of a retry. */
  readonly description: string;
}

export type TryOutcome = AnsweredTry | FailedTry;

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  /** A throttle asking for a longer wait than this is reported rather than waited out. */
  readonly maxWaitMs: number;
  /** The wait after the first throttle without `Retry-After`; it doubles with each try. */
  readonly throttleBackoffMs: number;
  /** The wait after the first failure to connect; it doubles with each try. */
  readonly connectBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ maxAttempts: 3, maxWaitMs: 30_000, throttleBackoffMs: 1000, connectBackoffMs: 250 });

/** `reason` says why, for the user when there is a retry, for a reader of the code when not. */
export type RetryDecision = { readonly retry: false; readonly reason: string } | { readonly retry: true; readonly delayMs: number; readonly reason: string };

/** What a rule sees: the try's number (1 for the first), what happened, and the policy. */
interface Facts<T extends TryOutcome> {
  readonly attempt: number;
  readonly outcome: T;
  readonly policy: RetryPolicy;
}

/** A row of a decision table: the first row that applies decides. */
interface Rule<T extends TryOutcome> {
  readonly applies: (facts: Facts<T>) => boolean;
  readonly decide: (facts: Facts<T>) => RetryDecision;
}

const stop = (reason: string): RetryDecision => ({ retry: false, reason });
const backoff = (firstMs: number, attempt: number) => firstMs * 2 ** (attempt - 1);
const isThrottle = ({ outcome }: Facts<AnsweredTry>) => outcome.status === 429;
/** What a throttle asks to wait: its `Retry-After`, else the exponential backoff. */
const throttleWait = ({ outcome, attempt, policy }: Facts<AnsweredTry>) =>
  retryAfterMs(outcome.headers, outcome.receivedAt) ?? backoff(policy.throttleBackoffMs, attempt);
const lastTry = ({ attempt, policy }: Facts<TryOutcome>) => attempt >= policy.maxAttempts;

const ANSWER_RULES: readonly Rule<AnsweredTry>[] = [
  { applies: ({ outcome }) => outcome.status >= 200 && outcome.status < 300, decide: () => stop('Lambda accepted the call') },
  {
    applies: (facts) => !isThrottle(facts),
    decide: ({ outcome }) => stop(`HTTP ${outcome.status} is an answer, not a throttle: sending again would get it again, or run the function twice`),
  },
  { applies: lastTry, decide: ({ attempt }) => stop(`throttled on all ${attempt} tries`) },
  {
    applies: (facts) => throttleWait(facts) > facts.policy.maxWaitMs,
    decide: (facts) => stop(`Lambda asks to wait ${formatWait(throttleWait(facts))}, longer than the ${formatWait(facts.policy.maxWaitMs)} worth waiting out`),
  },
  {
    applies: () => true,
    decide: (facts) => ({ retry: true, delayMs: throttleWait(facts), reason: `throttled (429 ${facts.outcome.errorType ?? 'TooManyRequestsException'})` }),
  },
];

const FAILURE_RULES: readonly Rule<FailedTry>[] = [
  { applies: ({ outcome }) => outcome.code === CANCELLED_CODE, decide: () => stop('cancelled') },
  { applies: ({ outcome }) => outcome.bodyWritten, decide: () => stop('the request was sent, so the function may have run: it is not sent again') },
  {
    applies: ({ outcome }) => !RETRYABLE_CONNECT_CODES.has(outcome.code),
    decide: ({ outcome }) => stop(`${outcome.code || 'this failure'} does not clear up on a retry`),
  },
  { applies: lastTry, decide: ({ attempt }) => stop(`could not connect on all ${attempt} tries`) },
  {
    applies: () => true,
    decide: ({ outcome, attempt, policy }) => ({
      retry: true,
      delayMs: backoff(policy.connectBackoffMs, attempt),
      reason: `could not connect (${outcome.description})`,
    }),
  },
];

/** Whether to try again after try number `attempt` (1 for the first) ended in `outcome`. */
export function decideRetry(attempt: number, outcome: TryOutcome, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  return outcome.kind === 'response' ? firstApplying(ANSWER_RULES, { attempt, outcome, policy }) : firstApplying(FAILURE_RULES, { attempt, outcome, policy });
}

function firstApplying<T extends TryOutcome>(rules: readonly Rule<T>[], facts: Facts<T>): RetryDecision {
  // The last row of each table applies always, so a rule is always found.
  return rules.find((rule) => rule.applies(facts))!.decide(facts);
}
