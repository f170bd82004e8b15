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
import { credentialFailureOf, scrubSecrets } from '../resolve/sdkClients';
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

/** What a failed read was for, in the words its messages use. */
export interface ReadPurpose {
  /** What was read, after "not allowed to" and "Could not": `read the account's functions`. */
  what: string;
  /** The IAM actions the read needs, as a policy must allow them. */
  actions: string;
  /** What happens after a throttle the SDK's own retries did not get past. */
  afterThrottle: string;
}

/** The catalogue's reads. */
const CATALOGUE_READS: ReadPurpose = {
  what: "read the account's functions",
  actions: 'lambda:ListFunctions, lambda:GetFunctionConfiguration, lambda:ListAliases and lambda:ListVersionsByFunction',
  afterThrottle: 'the facts are asked for again later.',
};

/** Answers the service gives a read that mean something other than for Invoke. */
const READ_EXPLANATIONS: Readonly<Record<string, (purpose: ReadPurpose) => string>> = {
  AccessDeniedException: ({ what, actions }) => `The credentials are not allowed to ${what}: their IAM policy must allow ${actions}.`,
  TooManyRequestsException: ({ afterThrottle }) => `Lambda throttled the reads (the SDK already tried again); ${afterThrottle}`,
};

function unavailable(reason: FactsUnavailableReason, message: string, secrets: readonly string[]): Unavailable {
  return { kind: 'unavailable', reason, message: scrubSecrets(message.replace(/\s*\n\s*/g, ' ').trim(), secrets) };
}

/** `InvokeError`'s message and what to do, as one text. */
function withHint(error: InvokeError): string {
  return error.details.hint ? `${error.message} ${error.details.hint}` : error.message;
}

/**
 * The answer for a lookup that failed. `target` is where it went (absent when resolution itself
 * failed); `secrets` are the credentials it signed with, never to be shown; `purpose` what the
 * read was for (the catalogue's reads unless said).
 */
export function lookupFailure(error: unknown, target: ResolvedTarget | undefined, secrets: readonly string[], purpose: ReadPurpose = CATALOGUE_READS): Unavailable {
  // Resolution and the resolved credentials provider explain their own failures, with what to run.
  if (error instanceof InvokeError) return unavailable(error.kind === 'credentials' ? 'credentials' : 'unreachable', withHint(error), secrets);
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorShape;
  const name = e.name ?? 'Error';
  const said = withoutCanonicalRequest(e.message) ?? '';
  const credentialFailure = credentialFailureOf(name);
  if (credentialFailure === 'provider') return unavailable('credentials', `AWS credentials could not be loaded: ${said}`, secrets);
  const where = target?.endpoint.origin ?? 'Lambda';
  if (e.$fault !== undefined) {
    const status = e.$metadata?.httpStatusCode;
    const answered = `${where} answered ${status ?? ''} ${name}`.replace(/\s+/g, ' ');
    if (credentialFailure === 'service') {
      const known = SERVICE_ERRORS[name];
      const profile = target?.profile ?? 'NAME';
      const explanation = known ? `${known.meaning} ${known.action.replace('--profile …', `--profile ${profile}`)}` : said;
      return unavailable('credentials', `${answered} to the credentials of profile "${profile}": ${explanation}`, secrets);
    }
    const explanation = READ_EXPLANATIONS[name]?.(purpose);
    return unavailable('unreachable', `${answered}${said ? `: ${said}` : ''}${explanation ? ` ${explanation}` : ''}`, secrets);
  }
  // No answer at all: refused, unknown host, TLS, timeout. Nothing of a read can have run, so "not sent" wording applies.
  if (target && e.code !== undefined) return unavailable('unreachable', withHint(describeFailure(error, false, target, {}).error), secrets);
  return unavailable('unreachable', `Could not ${purpose.what} at ${where}: ${said || name}`, secrets);
}
