/**
 * Why an invocation's whole log could not be read, as one `LogFetchError` that says what happened
 * and what to do: a missing permission names the IAM action and the log group, a missing group
 * says where it was looked for, credential problems say what to run, and anything else names the
 * endpoint. The 4 KB tail Lambda returned stays what the user sees. Every message is scrubbed of
 * the credentials the reads signed with and of a quoted canonical request.
 */
import { credentialFailureOf, scrubSecrets } from '../resolve/sdkClients';
import { SERVICE_ERRORS } from '../serviceErrorExplanations';
import { withoutCanonicalRequest } from '../serviceErrorReader';
import { InvokeError } from '../types';
import { LOGS_ENDPOINT_SETTINGS } from './logsEndpoint';
import { LogFetchError, type LogFetchErrorKind } from './types';

/** Where the failed read went and what it was. */
export interface FailureContext {
  /** The IAM action of the read that failed (`logs:FilterLogEvents`, `logs:GetLogEvents`). */
  action: string;
  logGroup: string;
  /** The CloudWatch Logs endpoint's origin. */
  endpoint: string;
  profile: string;
  /** The credentials signed with: never shown. */
  secrets: readonly string[];
}

const TAIL_KEPT = 'The 4 KB tail Lambda returned is still shown.';

/** The service's answers that mean something particular here, by error name. */
const SERVICE_ANSWERS: Readonly<Record<string, (c: FailureContext) => { kind: LogFetchErrorKind; message: string; hint: string }>> = {
  AccessDeniedException: (c) => ({
    kind: 'access-denied',
    message: `The credentials of profile "${c.profile}" are not allowed to read log group ${c.logGroup}: their IAM policy must allow ${c.action}.`,
    hint: `Allow logs:FilterLogEvents and logs:GetLogEvents on the log group ${c.logGroup}. ${TAIL_KEPT}`,
  }),
  ResourceNotFoundException: (c) => ({
    kind: 'no-log-group',
    message: `There is no log group ${c.logGroup} at ${c.endpoint}.`,
    hint: `The function has never logged, or it logs elsewhere: its LoggingConfig names the log group (or set ${LOGS_ENDPOINT_SETTINGS} if the logs are at another endpoint). ${TAIL_KEPT}`,
  }),
};

function failure(kind: LogFetchErrorKind, message: string, hint: string | undefined, c: FailureContext): LogFetchError {
  const clean = (text: string) => scrubSecrets(text.replace(/\s*\n\s*/g, ' ').trim(), c.secrets);
  return new LogFetchError(kind, clean(message), hint === undefined ? undefined : clean(hint));
}

/** The error for a read of the log that failed (not for a cancel: the caller checks that first). */
export function explainFailure(error: unknown, c: FailureContext): LogFetchError {
  // The resolved credentials provider explains its own failures, with what to run.
  if (error instanceof InvokeError) return failure(error.kind === 'credentials' ? 'credentials' : 'unreachable', error.message, error.details.hint, c);
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as {
    name?: string;
    message?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.name ?? 'Error';
  const said = withoutCanonicalRequest(e.message) ?? '';
  const credentials = credentialFailureOf(name);
  if (credentials === 'provider') return failure('credentials', `AWS credentials could not be loaded: ${said}`, TAIL_KEPT, c);
  if (e.$fault === undefined) {
    return failure('unreachable', `CloudWatch Logs at ${c.endpoint} could not be reached: ${said || name}`, `Check the network, or set ${LOGS_ENDPOINT_SETTINGS} to where the logs are. ${TAIL_KEPT}`, c);
  }
  const answered = `${c.endpoint} answered ${e.$metadata?.httpStatusCode ?? ''} ${name}`.replace(/\s+/g, ' ');
  if (credentials === 'service') {
    const known = SERVICE_ERRORS[name];
    return failure(
      'credentials',
      `${answered} to the credentials of profile "${c.profile}": ${known?.meaning ?? said}`,
      known ? known.action.replace('--profile …', `--profile ${c.profile}`) : TAIL_KEPT,
      c,
    );
  }
  const particular = SERVICE_ANSWERS[name]?.(c);
  if (particular) return failure(particular.kind, particular.message, particular.hint, c);
  return failure('unreachable', `${answered}${said ? `: ${said}` : ''}`, TAIL_KEPT, c);
}
