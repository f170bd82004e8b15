/**
 * What every AWS SDK client built for a resolved target shares, whichever service it calls (the
 * Lambda control plane in dist/catalog.js, CloudWatch Logs in dist/logs.js): the endpoint,
 * region, credentials and connection limits it is built with, the Node-version-warning opt-out,
 * the credentials it signed with (kept so that no message can quote them), and which of the SDK's
 * errors mean the credentials are wrong. Imports no SDK client, so each bundle keeps only its own.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../transport';
import type { ResolvedTarget } from '../types';

/** A read that stays silent this long is given up (the SDK then retries it). */
const READ_TIMEOUT_MS = 30_000;

/** Where and as whom an SDK client's requests go, as resolution found them. */
export interface SdkTarget {
  region: string;
  endpoint: URL;
  credentials: AwsCredentialIdentityProvider;
}

/** The configuration every client is built with, whatever its service. */
export function sdkClientConfig(target: SdkTarget): {
  region: string;
  endpoint: string;
  credentials: AwsCredentialIdentityProvider;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
} {
  return {
    region: target.region,
    // Always the resolved endpoint, standard or not: the SDK's own endpoint lookup reads other
    // sources (AWS_PROFILE's profile only) and must not undo the precedence resolution applied.
    endpoint: target.endpoint.href,
    credentials: target.credentials,
    // The SDK waits for a connection without limit by default; a blackholed host must not hang a read.
    requestHandler: { connectionTimeout: DEFAULT_CONNECT_TIMEOUT_MS, requestTimeout: READ_TIMEOUT_MS },
  };
}

/** The SDK's documented opt-out of its warning that its releases after January 2027 need Node 22. */
const NODE_VERSION_WARNING_OPT_OUT = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Builds an SDK client without the SDK's Node-version warning. This project supports Node 20, so
 * the warning would only be noise on the CLI's stderr and in the extension host's console: the
 * opt-out is set while the client is built (the only moment the SDK reads it), then the
 * environment is as it was.
 */
export function buildQuietly<T>(build: () => T): T {
  const before = process.env[NODE_VERSION_WARNING_OPT_OUT];
  process.env[NODE_VERSION_WARNING_OPT_OUT] = 'true';
  try {
    return build();
  } finally {
    if (before === undefined) delete process.env[NODE_VERSION_WARNING_OPT_OUT];
    else process.env[NODE_VERSION_WARNING_OPT_OUT] = before;
  }
}

/**
 * A client's target for `resolved`, whose credentials provider remembers every secret it hands
 * out (`secrets`), so that an error message can be scrubbed of them.
 */
export function recordingSecrets(resolved: Pick<ResolvedTarget, 'region' | 'endpoint' | 'credentials'>, endpoint = resolved.endpoint): { target: SdkTarget; secrets: string[] } {
  const secrets: string[] = [];
  const target: SdkTarget = {
    region: resolved.region,
    endpoint,
    credentials: async (properties) => {
      const credentials = await resolved.credentials(properties);
      secrets.push(credentials.secretAccessKey, ...(credentials.sessionToken ? [credentials.sessionToken] : []));
      return credentials;
    },
  };
  return { target, secrets };
}

/** A secret of at least this length is replaced wherever it appears; shorter strings are not secrets. */
const MIN_SECRET_LENGTH = 8;

/** `text` with every secret replaced by `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join('[redacted]');
  return result;
}

/** Errors the SDK's own credential and token providers throw (the resolved provider wraps most of them). */
const PROVIDER_ERRORS: ReadonlySet<string> = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** The services' answers that mean the credentials themselves are wrong, not the request. */
const SERVICE_CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
]);

/**
 * Whether an error (by its name) is about the credentials: `provider` when none could be loaded,
 * `service` when the service refused the ones signed with, undefined otherwise.
 */
export function credentialFailureOf(name: string): 'provider' | 'service' | undefined {
  if (PROVIDER_ERRORS.has(name)) return 'provider';
  if (SERVICE_CREDENTIAL_ERRORS.has(name)) return 'service';
  return undefined;
}
