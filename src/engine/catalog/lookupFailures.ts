/**
 * Why a catalogue lookup has no facts, as one `unavailable` answer: credential problems (none
 * found, an expired SSO sign-in, keys the service does not know) say what to run; everything that
 * kept the service from answering says what happened. Every message is scrubbed of the
 * credentials the lookup signed with and of a quoted canonical request.
 */
import type { AccountFactsResult, FactsUnavailableReason } from '../../protocol/accountFacts';
import { describeFailure } from '../sendFailures';
import { SERVICE_ERRORS } from '../serviceErrorExplanations';
import { withoutCanonicalRequest } from '../serviceErrorReader';
import { InvokeError, type ResolvedTarget } from '../types';

export type Unavailable = Extract<AccountFactsResult, { kind: 'unavailable' }>;

/** What an error of the SDK (or of resolution) carries that tells its kind. */
interface ErrorShape {
  name?: string;
  message?: string;
  code?: string;
  /** Set on the errors the service answered with (`client` or `server`). */
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Errors the SDK's own credential and token providers throw (the resolved provider wraps most of them). */
const PROVIDER_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** The service's answers that mean the credentials themselves are wrong, not the request. */
const SERVICE_CREDENTIAL_ERRORS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
]);

/** The catalogue's reads, as an IAM policy must allow them. */
const READ_ACTIONS = 'lambda:ListFunctions, lambda:GetFunctionConfiguration, lambda:ListAliases and lambda:ListVersionsByFunction';

/** Answers the service gives a read that mean something other than for Invoke. */
const READ_EXPLANATIONS: Readonly<Record<string, string>> = {
  AccessDeniedException: `The credentials are not allowed to read the account's functions: their IAM policy must allow ${READ_ACTIONS}.`,
  TooManyRequestsException: 'Lambda throttled the reads of the account (the SDK already tried again); the facts are asked for again later.',
};

/** A secret of at least this length is replaced wherever it appears; shorter strings are not secrets. */
const MIN_SECRET_LENGTH = 8;

function unavailable(reason: FactsUnavailableReason, message: string, secrets: readonly string[]): Unavailable {
  let text = message.replace(/\s*\n\s*/g, ' ').trim();
  for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) text = text.split(secret).join('[redacted]');
  return { kind: 'unavailable', reason, message: text };
}

/** `InvokeError`'s message and what to do, as one text. */
function withHint(error: InvokeError): string {
  return error.details.hint ? `${error.message} ${error.details.hint}` : error.message;
}

/**
 * The answer for a lookup that failed. `target` is where it went (absent when resolution itself
 * failed); `secrets` are the credentials it signed with, never to be shown.
 */
export function lookupFailure(error: unknown, target: ResolvedTarget | undefined, secrets: readonly string[]): Unavailable {
  // Resolution and the resolved credentials provider explain their own failures, with what to run.
  if (error instanceof InvokeError) return unavailable(error.kind === 'credentials' ? 'credentials' : 'unreachable', withHint(error), secrets);
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorShape;
  const name = e.name ?? 'Error';
  const said = withoutCanonicalRequest(e.message) ?? '';
  if (PROVIDER_ERRORS.has(name)) return unavailable('credentials', `AWS credentials could not be loaded: ${said}`, secrets);
  const where = target?.endpoint.origin ?? 'Lambda';
  if (e.$fault !== undefined) {
    const status = e.$metadata?.httpStatusCode;
    const answered = `${where} answered ${status ?? ''} ${name}`.replace(/\s+/g, ' ');
    if (SERVICE_CREDENTIAL_ERRORS.has(name)) {
      const known = SERVICE_ERRORS[name];
      const profile = target?.profile ?? 'NAME';
      const explanation = known ? `${known.meaning} ${known.action.replace('--profile …', `--profile ${profile}`)}` : said;
      return unavailable('credentials', `${answered} to the credentials of profile "${profile}": ${explanation}`, secrets);
    }
    const explanation = READ_EXPLANATIONS[name];
    return unavailable('unreachable', `${answered}${said ? `: ${said}` : ''}${explanation ? ` ${explanation}` : ''}`, secrets);
  }
  // No answer at all: refused, unknown host, TLS, timeout. Nothing of a read can have run, so "not sent" wording applies.
  if (target && e.code !== undefined) return unavailable('unreachable', withHint(describeFailure(error, false, target, {}).error), secrets);
  return unavailable('unreachable', `Could not read the functions at ${where}: ${said || name}`, secrets);
}
