/**
 * What a try that got no answer means: the code the retry decision reads (retry.ts) and the
 * `InvokeError` the user reads, which says what failed, what to do, and whether the function may
 * have run. Also the one wording of a cancel, by how far the request had got.
 */
import { CANCELLED_CODE, type FailedTry } from './retry';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './transport';
import { InvokeError, type InvokeOptions, type ResolvedTarget } from './types';

/** A failed try, described for both readers. */
export interface SendFailure {
  readonly outcome: FailedTry;
  readonly error: InvokeError;
}

/**
 * How far a cancelled invocation had got, and what that tells the user. Only a try that did not
 * run is ever retried (retry.ts), so a cancel during the wait before a retry finds nothing running.
 */
const CANCELLED = {
  beforeSending: { message: 'Cancelled before the request was sent: the function did not run.', mayHaveRun: false },
  whileWaitingToRetry: { message: 'Cancelled while waiting to try again: the function did not run, and nothing more was sent.', mayHaveRun: false },
  afterSending: {
    message: 'Cancelled after the request was sent: the function may still be running, or may have run already; cancelling stops only the wait for its answer.',
    mayHaveRun: true,
  },
} as const satisfies Record<string, { message: string; mayHaveRun: boolean }>;

export type CancelPoint = keyof typeof CANCELLED;

export function cancelledError(point: CancelPoint): InvokeError {
  const { message, mayHaveRun } = CANCELLED[point];
  return new InvokeError('cancelled', message, { mayHaveRun });
}

/** Errors of a TLS handshake that did not complete: nothing was delivered. */
const TLS_HANDSHAKE_CODE = /^(EPROTO|ERR_SSL_|ERR_TLS_CERT_ALTNAME_INVALID$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_)/;

const NETWORK_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused by {where}: nothing is listening there.',
  ENOTFOUND: 'The host of {where} could not be found (DNS).',
  EAI_AGAIN: 'The host of {where} could not be looked up right now (DNS).',
  ECONNRESET: 'The connection to {where} was reset.',
  EPIPE: 'The connection to {where} was closed while sending.',
  EHOSTUNREACH: 'The host of {where} is unreachable.',
  ENETUNREACH: 'The network of {where} is unreachable.',
  CERT_HAS_EXPIRED: 'The TLS certificate of {where} has expired.',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The TLS certificate of {where} is self-signed and not trusted.',
  SELF_SIGNED_CERT_IN_CHAIN: 'The TLS certificate chain of {where} has a self-signed certificate that is not trusted.',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The TLS certificate of {where} could not be verified.',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The TLS certificate of {where} is for another host name.',
  EPROTO: 'The TLS handshake with {where} failed (is it an http:// endpoint addressed as https://?).',
};

/** What to do about a failure to connect, by its code; the first pattern that matches. */
const NETWORK_HINTS: readonly (readonly [pattern: RegExp, hint: string])[] = [
  [/^ECONNREFUSED$/, 'Start the endpoint, or check the endpoint URL and port.'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'Check the endpoint URL or region, and your network.'],
  [/CERT|TLS|EPROTO/, 'Check the endpoint URL (http or https) and any proxy that intercepts TLS.'],
  [/(?:)/, 'Check your network, proxy or VPN, and the endpoint.'],
];

const NOT_RETRIED = 'it was not retried so it does not run twice.';

/** `written`: the transport saw the request's body flushed before the failure. */
export function describeFailure(error: unknown, written: boolean, target: ResolvedTarget, options: InvokeOptions): SendFailure {
  const e = error as NodeJS.ErrnoException & { name?: string };
  // A TLS socket reports the body as written while the handshake is still under way; a
  // handshake that failed delivered nothing, so the function cannot have run.
  const sent = written && !TLS_HANDSHAKE_CODE.test(e.code ?? '');
  const failed = (code: string, invokeError: InvokeError): SendFailure => ({
    outcome: { kind: 'failure', code, bodyWritten: sent, description: invokeError.message },
    error: invokeError,
  });
  if (error instanceof InvokeError) return failed('', error);
  if (options.signal?.aborted || e.name === 'AbortError') return failed(CANCELLED_CODE, cancelledError(sent ? 'afterSending' : 'beforeSending'));

  const where = target.endpoint.origin;
  const code = e.code ?? '';
  // The handler names a reset socket 'TimeoutError' too; a known socket error code says what really happened.
  const timedOut = NETWORK_MESSAGES[code] === undefined && (e.name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed out/i.test(e.message ?? ''));
  if (timedOut && !sent) {
    const seconds = (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000;
    return failed('ETIMEDOUT', new InvokeError('network', `Could not connect to ${where} within ${seconds} s.`, { hint: 'Check the endpoint, your network and any proxy or VPN.' }));
  }
  if (timedOut) {
    return failed(
      'ETIMEDOUT',
      new InvokeError('timeout', `No answer from ${where}: the request was sent, then the connection stayed silent until the client gave up.`, {
        hint: `The function may have run. Check its logs before invoking again; ${NOT_RETRIED}`,
        mayHaveRun: true,
      }),
    );
  }
  const template = NETWORK_MESSAGES[code];
  const message = template ? template.replace('{where}', where) : `The request to ${where} failed: ${e.message ?? String(error)}.`;
  if (sent) {
    return failed(code, new InvokeError('network', `${message} The request had been sent, so the function may have run.`, {
      hint: `Check the function's logs before invoking again; ${NOT_RETRIED}`,
      mayHaveRun: true,
    }));
  }
  return failed(code, new InvokeError('network', message, { hint: NETWORK_HINTS.find(([pattern]) => pattern.test(code))![1] }));
}
