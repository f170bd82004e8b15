/**
 * Sends one Lambda `Invoke` and reports every try: signs the request anew for each try
 * (httpRequest.ts), sends it (transport.ts), reads an accepted answer (invocationResult.ts) or
 * explains a failed one (serviceErrorReader.ts, sendFailures.ts), and asks retry.ts whether to
 * try again. Only what did not run is retried; a request that was sent and then failed is never
 * sent again, because the function may already have run.
 */
import { buildHttpRequest, signRequest } from './httpRequest';
import { toResult } from './invocationResult';
import { DEFAULT_RETRY_POLICY, type TryOutcome, decideRetry } from './retry';
import { type CancelPoint, cancelledError, describeFailure } from './sendFailures';
import { serviceError } from './serviceErrorReader';
import { type SendOutcome, createHandler, responseHeader, send } from './transport';
import type { Attempt, InvocationRequest, InvocationResult, InvokeError, InvokeOptions, ResolvedTarget } from './types';

export async function invoke(request: InvocationRequest, target: ResolvedTarget, options: InvokeOptions = {}): Promise<InvocationResult> {
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts };
  const delay = options.delay ?? defaultDelay;
  const handler = createHandler(request.invocationType, options);
  const attempts: Attempt[] = [];
  const started = performance.now();
  const cancelled = (point: CancelPoint) => withAttempts(cancelledError(point), attempts);
  for (let number = 1; ; number++) {
    // Before this try is sent, a cancel finds nothing running: an earlier try is retried only if it did not run.
    const unsent: CancelPoint = number === 1 ? 'beforeSending' : 'whileWaitingToRetry';
    if (options.signal?.aborted) throw cancelled(unsent);
    // Signed anew for each try: the signature carries the time.
    const signed = await signRequest(buildHttpRequest(request, target.endpoint), target);
    // Fetching credentials can take a while (an SSO or STS call): a cancel meanwhile sends nothing.
    if (options.signal?.aborted) throw cancelled(unsent);
    const sent = await send(handler, signed, options.signal);
    const attempt: Attempt = { number };
    attempts.push(attempt);
    if (sent.kind === 'response' && sent.response.statusCode >= 200 && sent.response.statusCode < 300) {
      return toResult(sent.response, sent.body, request, performance.now() - started, attempts);
    }
    const { outcome, error } = explain(sent, target, options);
    const decision = decideRetry(number, outcome, policy);
    if (!decision.retry) throw withAttempts(error, attempts);
    attempt.retryReason = decision.reason;
    attempt.delayMs = decision.delayMs;
    options.onAttempt?.(attempt);
    try {
      await delay(decision.delayMs, options.signal);
    } catch {
      // A delay that fails without a cancel just ends the wait early.
      if (options.signal?.aborted) throw cancelled('whileWaitingToRetry');
    }
  }
}

/** A try that was not accepted, for the retry decision and for the user. */
function explain(sent: SendOutcome, target: ResolvedTarget, options: InvokeOptions): { outcome: TryOutcome; error: InvokeError } {
  if (sent.kind === 'failure') return describeFailure(sent.error, sent.written, target, options);
  const { response, body, receivedAt } = sent;
  const error = serviceError(response.statusCode, response.headers, body, responseHeader(response, 'x-amzn-requestid'));
  return { outcome: { kind: 'response', status: response.statusCode, headers: response.headers, errorType: error.details.errorType, receivedAt }, error };
}

function withAttempts(error: InvokeError, attempts: Attempt[]): InvokeError {
  error.details.attempts = attempts;
  return error;
}

/** Waits `ms`, or rejects as soon as `signal` aborts (at once when it already has). */
function defaultDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
