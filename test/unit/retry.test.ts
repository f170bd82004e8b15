/**
 * The retry decision (src/engine/retry.ts) as a table: for each try's number and what happened
 * to it, whether the engine sends the invocation again, after how long, and the reason the user
 * sees in the output and the progress notification. Only a throttle and a failure to connect
 * before anything was sent are retried; whatever failed after the body was sent never is.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type AnsweredTry, CANCELLED_CODE, DEFAULT_RETRY_POLICY, type FailedTry, type RetryDecision, type RetryPolicy, decideRetry } from '../../src/engine/retry';

/** When the answers below arrived: far from today, so a decision that read the clock would show it. */
const RECEIVED_AT = Date.UTC(2001, 0, 1, 12, 0, 0);
const httpDate = (offsetMs: number) => new Date(RECEIVED_AT + offsetMs).toUTCString();

const answer = (status: number, headers: Record<string, string> = {}, errorType?: string): AnsweredTry => ({
  kind: 'response',
  status,
  headers,
  receivedAt: RECEIVED_AT,
  ...(errorType === undefined ? {} : { errorType }),
});
const throttle = (headers: Record<string, string> = {}) => answer(429, headers, 'TooManyRequestsException');
const failure = (code: string, bodyWritten: boolean, description = `failed with ${code}`): FailedTry => ({ kind: 'failure', code, bodyWritten, description });

interface Row {
  name: string;
  attempt: number;
  outcome: AnsweredTry | FailedTry;
  policy?: RetryPolicy;
  /** The wait before the next try, or 'no retry'. */
  expect: number | 'no retry';
  /** What the reason must say. */
  reason: RegExp;
}

const CONNECT_CODES = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN'];

const ROWS: readonly Row[] = [
  // Answers other than a throttle are final: sending again gets the same answer, or runs the function twice.
  { name: '200 accepted', attempt: 1, outcome: answer(200), expect: 'no retry', reason: /accepted/ },
  { name: '202 queued', attempt: 1, outcome: answer(202), expect: 'no retry', reason: /accepted/ },
  { name: '204 dry run passed', attempt: 1, outcome: answer(204), expect: 'no retry', reason: /accepted/ },
  { name: '400 InvalidRequestContentException', attempt: 1, outcome: answer(400, {}, 'InvalidRequestContentException'), expect: 'no retry', reason: /HTTP 400 is an answer, not a throttle/ },
  { name: '403 ExpiredTokenException', attempt: 1, outcome: answer(403, {}, 'ExpiredTokenException'), expect: 'no retry', reason: /HTTP 403/ },
  { name: '404 ResourceNotFoundException', attempt: 1, outcome: answer(404, {}, 'ResourceNotFoundException'), expect: 'no retry', reason: /HTTP 404/ },
  { name: '413 RequestEntityTooLargeException', attempt: 1, outcome: answer(413), expect: 'no retry', reason: /HTTP 413/ },
  { name: '500 ServiceException (may have run)', attempt: 1, outcome: answer(500, {}, 'ServiceException'), expect: 'no retry', reason: /run the function twice/ },
  { name: '502 from a proxy', attempt: 1, outcome: answer(502), expect: 'no retry', reason: /HTTP 502/ },
  { name: '503 even with Retry-After', attempt: 1, outcome: answer(503, { 'retry-after': '1' }), expect: 'no retry', reason: /HTTP 503/ },

  // Throttles: after Retry-After, else 1 s doubling; at most three tries, waits of at most 30 s.
  { name: '429 with Retry-After in seconds', attempt: 1, outcome: throttle({ 'retry-after': '2' }), expect: 2000, reason: /^throttled \(429 TooManyRequestsException\)$/ },
  { name: '429 with fractional Retry-After', attempt: 1, outcome: throttle({ 'retry-after': '1.5' }), expect: 1500, reason: /^throttled/ },
  { name: '429 with Retry-After 0', attempt: 1, outcome: throttle({ 'retry-after': '0' }), expect: 0, reason: /^throttled/ },
  { name: '429 with Retry-After as an HTTP-date, counted from the answer', attempt: 1, outcome: throttle({ 'retry-after': httpDate(5000) }), expect: 5000, reason: /^throttled/ },
  { name: '429 with Retry-After as a date already past', attempt: 1, outcome: throttle({ 'retry-after': httpDate(-60_000) }), expect: 0, reason: /^throttled/ },
  { name: '429 without Retry-After, first try: 1 s', attempt: 1, outcome: throttle(), expect: 1000, reason: /^throttled/ },
  { name: '429 without Retry-After, second try: 2 s', attempt: 2, outcome: throttle(), expect: 2000, reason: /^throttled/ },
  { name: '429 with an unreadable Retry-After backs off', attempt: 1, outcome: throttle({ 'retry-after': 'soon' }), expect: 1000, reason: /^throttled/ },
  { name: '429 with Retry-After of exactly 30 s is waited out', attempt: 1, outcome: throttle({ 'retry-after': '30' }), expect: 30_000, reason: /^throttled/ },
  { name: '429 asking for 31 s is reported instead', attempt: 1, outcome: throttle({ 'retry-after': '31' }), expect: 'no retry', reason: /wait 31 s, longer than the 30 s/ },
  { name: '429 asking for a date a minute away is reported instead', attempt: 1, outcome: throttle({ 'retry-after': httpDate(60_000) }), expect: 'no retry', reason: /wait 60 s/ },
  { name: '429 on the third try is reported', attempt: 3, outcome: throttle({ 'retry-after': '1' }), expect: 'no retry', reason: /throttled on all 3 tries/ },
  { name: '429 without a name says TooManyRequestsException', attempt: 1, outcome: answer(429), expect: 1000, reason: /^throttled \(429 TooManyRequestsException\)$/ },
  { name: '429 names the error it came with', attempt: 1, outcome: answer(429, {}, 'SlowDown'), expect: 1000, reason: /^throttled \(429 SlowDown\)$/ },
  { name: '429 with maxAttempts 1 is never retried', attempt: 1, outcome: throttle(), policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }, expect: 'no retry', reason: /all 1 tries/ },
  { name: '429 with a longer allowed wait', attempt: 1, outcome: throttle({ 'retry-after': '45' }), policy: { ...DEFAULT_RETRY_POLICY, maxWaitMs: 60_000 }, expect: 45_000, reason: /^throttled/ },

  // Failures before anything was sent: retried after 250 ms, then 500 ms; the third is reported.
  ...CONNECT_CODES.map((code): Row => ({ name: `${code} before sending, first try`, attempt: 1, outcome: failure(code, false), expect: 250, reason: new RegExp(`^could not connect \\(failed with ${code}\\)$`) })),
  { name: 'ECONNREFUSED before sending, second try', attempt: 2, outcome: failure('ECONNREFUSED', false), expect: 500, reason: /^could not connect/ },
  { name: 'ECONNREFUSED before sending, third try', attempt: 3, outcome: failure('ECONNREFUSED', false), expect: 'no retry', reason: /could not connect on all 3 tries/ },
  {
    name: 'the reason quotes what failed',
    attempt: 1,
    outcome: failure('ECONNREFUSED', false, 'Connection refused by http://127.0.0.1:9: nothing is listening there.'),
    expect: 250,
    reason: /^could not connect \(Connection refused by http:\/\/127\.0\.0\.1:9: nothing is listening there\.\)$/,
  },
  { name: 'a longer backoff and more tries', attempt: 4, outcome: failure('ECONNRESET', false), policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 5, connectBackoffMs: 100 }, expect: 800, reason: /^could not connect/ },

  // Failures that a retry does not clear up.
  { name: 'ENOTFOUND (no such host)', attempt: 1, outcome: failure('ENOTFOUND', false), expect: 'no retry', reason: /ENOTFOUND does not clear up/ },
  { name: 'an untrusted certificate', attempt: 1, outcome: failure('DEPTH_ZERO_SELF_SIGNED_CERT', false), expect: 'no retry', reason: /does not clear up/ },
  { name: 'a failure without a code', attempt: 1, outcome: failure('', false), expect: 'no retry', reason: /this failure does not clear up/ },

  // After the body was sent the function may have run: never again, whatever the failure.
  ...CONNECT_CODES.map((code): Row => ({ name: `${code} after sending`, attempt: 1, outcome: failure(code, true), expect: 'no retry', reason: /the request was sent, so the function may have run/ })),
  { name: 'a failure without a code after sending', attempt: 1, outcome: failure('', true), expect: 'no retry', reason: /may have run/ },

  // A cancel is final, sent or not.
  { name: 'cancelled before sending', attempt: 1, outcome: failure(CANCELLED_CODE, false), expect: 'no retry', reason: /^cancelled$/ },
  { name: 'cancelled after sending', attempt: 1, outcome: failure(CANCELLED_CODE, true), expect: 'no retry', reason: /^cancelled$/ },
];

describe('the retry decision', () => {
  for (const row of ROWS) {
    test(`${row.name}: ${row.expect === 'no retry' ? 'no retry' : `retry after ${row.expect} ms`}`, () => {
      const decision = decideRetry(row.attempt, row.outcome, row.policy);
      if (row.expect === 'no retry') assert.equal(decision.retry, false, decision.reason);
      else assert.deepEqual(decision, { retry: true, delayMs: row.expect, reason: decision.reason });
      assert.match(decision.reason, row.reason);
    });
  }

  test('a failure after the body was sent is never retried, on any try, whatever its code', () => {
    for (const code of [...CONNECT_CODES, 'ENOTFOUND', 'EPROTO', '', CANCELLED_CODE]) {
      for (let attempt = 1; attempt <= DEFAULT_RETRY_POLICY.maxAttempts; attempt++) {
        const decision = decideRetry(attempt, failure(code, true), { ...DEFAULT_RETRY_POLICY, maxAttempts: 10 });
        assert.equal(decision.retry, false, `${code || '(no code)'} on try ${attempt}`);
      }
    }
  });

  test('no status but 429 is ever retried', () => {
    for (let status = 100; status < 600; status++) {
      if (status === 429) continue;
      assert.equal(decideRetry(1, answer(status, { 'retry-after': '1' })).retry, false, `HTTP ${status}`);
    }
  });

  test('by default an invocation is tried three times at most', () => {
    const tries = (outcome: AnsweredTry | FailedTry) => {
      let attempt = 1;
      const waits: number[] = [];
      for (let decision: RetryDecision = decideRetry(attempt, outcome); decision.retry; decision = decideRetry(++attempt, outcome)) waits.push(decision.delayMs);
      return { attempts: attempt, waits };
    };
    assert.deepEqual(tries(throttle()), { attempts: 3, waits: [1000, 2000] });
    assert.deepEqual(tries(failure('ECONNREFUSED', false)), { attempts: 3, waits: [250, 500] });
    assert.deepEqual(tries(failure('ECONNRESET', true)), { attempts: 1, waits: [] });
  });
});
