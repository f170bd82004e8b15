/**
 * Credentials for an invocation: the AWS SDK's own providers (the profile's link of the
 * standard chain, or the whole chain), cached while temporary credentials last, with every
 * failure explained by what the profile uses (SSO, assumed role, access keys, …) and scrubbed of
 * any secret the files or the environment hold. An endpoint on this machine gets placeholder
 * credentials when none are configured.
 */
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, IniSection } from '@smithy/types';
import { AwsEnvironment as Env } from '../../lambda/environment';
import { SettingIds } from '../../protocol/ids';
import { InvokeError, type Source } from '../types';
import { type SharedConfig, profileNames, profileSection } from './sharedConfig';

/**
 * Placeholder credentials for an endpoint on this machine when none are configured: a local
 * endpoint accepts any well-formed signature, and trying one needs no AWS account. Never used
 * for a remote endpoint, where the missing-credentials error stands.
 */
export const LOCAL_PLACEHOLDER_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'LOCALPLACEHOLDER', secretAccessKey: 'local-placeholder' };

/** `provider`, except that for an endpoint on this machine a credentials failure yields the placeholder. */
export function localFallback(endpoint: URL, provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  if (!isLoopback(endpoint.hostname)) return provider;
  return async (properties) => {
    try {
      return await provider(properties);
    } catch (error) {
      if (error instanceof InvokeError && error.kind === 'credentials') return LOCAL_PLACEHOLDER_CREDENTIALS;
      throw error;
    }
  };
}

/** localhost, 127.0.0.0/8 and ::1: addresses that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** What a credentials provider is made for: the profile, where it came from, and the files read. */
export interface CredentialContext {
  profile: string;
  /** The invocation's region: inner STS calls (assumed roles, web identity) use its partition. */
  region: string;
  profileSource: Source;
  /** Named by the file, the overrides or `AWS_PROFILE`, rather than the implicit `default`. */
  named: boolean;
  env: NodeJS.ProcessEnv;
  shared: SharedConfig;
}

interface Explanation {
  message: string;
  hint: string;
}

/** What a failure of a profile's credentials means, and what to do, by what the profile uses. */
interface ProfileKind {
  id: 'assumeRole' | 'accessKeys' | 'webIdentity' | 'process' | 'sso' | 'login';
  matches: (section: IniSection) => boolean;
  explain: (profile: string, section: IniSection, reason: string, ctx: CredentialContext) => Explanation;
}

const ssoLogin = (profile: string) => `Run \`aws sso login --profile ${profile}\`, then invoke again.`;
const configure = (profile: string) =>
  `Run \`aws configure --profile ${profile}\` to store access keys, or \`aws configure sso --profile ${profile}\` for IAM Identity Center.`;

/** In the order the SDK tries them (credential-provider-ini's resolveProfileData). */
const PROFILE_KINDS: readonly ProfileKind[] = [
  {
    id: 'assumeRole',
    matches: (s) => s.role_arn !== undefined && (s.source_profile !== undefined || s.credential_source !== undefined),
    explain: (profile, section, reason) => ({
      message: `Assuming role ${section.role_arn} for profile "${profile}" failed: ${reason}`,
      hint: 'Check that the source_profile (or credential_source) has valid credentials and that the role trusts them.',
    }),
  },
  {
    id: 'accessKeys',
    matches: (s) => s.aws_access_key_id !== undefined,
    explain: (profile, _section, reason) => ({
      message: `The access keys of profile "${profile}" could not be used: ${reason}`,
      hint: `Both aws_access_key_id and aws_secret_access_key must be set. ${configure(profile)}`,
    }),
  },
  {
    id: 'webIdentity',
    matches: (s) => s.web_identity_token_file !== undefined,
    explain: (profile, _section, reason) => ({
      message: `Web identity credentials for profile "${profile}" failed: ${reason}`,
      hint: 'Check the profile\'s web_identity_token_file (it must exist and hold a current token) and role_arn.',
    }),
  },
  {
    id: 'process',
    matches: (s) => s.credential_process !== undefined,
    explain: (profile, _section, reason, ctx) => ({
      message: `The credential_process of profile "${profile}" failed: ${reason}`,
      hint: `Run the command in a terminal to see why, then fix it or the profile's credential_process in ${ctx.shared.paths.config}.`,
    }),
  },
  {
    id: 'sso',
    matches: (s) => ['sso_session', 'sso_start_url', 'sso_account_id', 'sso_region', 'sso_role_name'].some((key) => s[key] !== undefined),
    explain: (profile, _section, reason) => ({
      message: /sso login|expired|token/i.test(reason)
        ? `The IAM Identity Center (SSO) sign-in of profile "${profile}" has expired or was never made. The AWS SDK says: ${reason}`
        : `IAM Identity Center (SSO) credentials for profile "${profile}" could not be loaded: ${reason}`,
      hint: ssoLogin(profile),
    }),
  },
  {
    id: 'login',
    matches: (s) => s.login_session !== undefined,
    explain: (profile, _section, reason) => ({
      message: `The console sign-in session of profile "${profile}" could not be used: ${reason}`,
      hint: `Run \`aws login --profile ${profile}\`, then invoke again.`,
    }),
  },
];

/** Credentials that expire within this window are fetched again. */
const REFRESH_BEFORE_MS = 5 * 60 * 1000;
/**
 * Temporary credentials (SSO, assumed roles, `credential_process` with an expiry, container and
 * instance roles) by where they came from, so each invocation does not call the SSO portal or
 * STS again. Credentials without an expiry are never kept: the files are re-read each time.
 */
const temporaryCredentials = new Map<string, AwsCredentialIdentity>();

/**
 * The SDK's providers behind one that checks first what they cannot explain (a profile that does
 * not exist), refuses expired credentials, and turns every failure into `InvokeError('credentials')`
 * with what to do and without any secret.
 *
 * A profile named explicitly (or a `default` profile that holds credentials while the environment
 * has none) is read with `fromIni`: exactly the link of the standard chain that would answer, but
 * without falling through, on failure, to container or EC2 instance metadata, which would hide
 * the profile's own error behind a network timeout. Otherwise it is the whole standard chain,
 * `fromNodeProviderChain`: environment, `default` profile, web identity, container, instance.
 */
export function credentialsProvider(ctx: CredentialContext): AwsCredentialIdentityProvider {
  const { profile, env, shared } = ctx;
  const section = profileSection(shared.files, profile, 'credentials');
  const envHasKeys = Boolean(env[Env.accessKeyId] && env[Env.secretAccessKey]);
  const kind = section && PROFILE_KINDS.find((k) => k.matches(section));
  const fromProfile = ctx.named || (!envHasKeys && kind !== undefined);
  const init = { filepath: shared.paths.credentials, configFilepath: shared.paths.config, ignoreCache: true };
  const sdkProvider = fromProfile ? fromIni({ ...init, profile }) : fromNodeProviderChain(init);
  const cacheKey = JSON.stringify([fromProfile, profile, shared.paths.config, shared.paths.credentials]);

  const fail = (explanation: Explanation) =>
    new InvokeError('credentials', redact(explanation.message, ctx), { hint: redact(explanation.hint, ctx) });

  return async (identityProperties) => {
    if (fromProfile && !section) throw fail(missingProfile(ctx));
    const cached = temporaryCredentials.get(cacheKey);
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS && !identityProperties?.forceRefresh) {
      return cached;
    }
    let credentials: AwsCredentialIdentity;
    try {
      // As an SDK client would pass its own config: inner STS clients then use this region's partition.
      credentials = await sdkProvider({ ...identityProperties, callerClientConfig: { region: () => Promise.resolve(ctx.region) } });
    } catch (error) {
      const reason = reasonOf(error);
      if (fromProfile) throw fail(section && kind ? kind.explain(profile, section, reason, ctx) : noCredentialsInProfile(reason, ctx));
      throw fail(/from any providers/i.test(reason) ? noCredentialsAnywhere(ctx) : chainFailed(reason, ctx));
    }
    if (credentials.expiration && credentials.expiration.getTime() <= Date.now()) {
      temporaryCredentials.delete(cacheKey);
      throw fail(expired(credentials.expiration, fromProfile, envHasKeys, kind, ctx));
    }
    if (credentials.expiration) temporaryCredentials.set(cacheKey, credentials);
    else temporaryCredentials.delete(cacheKey);
    return credentials;
  };
}

function missingProfile({ profile, profileSource, shared }: CredentialContext): Explanation {
  const existing = profileNames(shared.files);
  return {
    message:
      `Profile "${profile}" (from ${profileSource}) is in neither ${shared.paths.config} nor ${shared.paths.credentials}. ` +
      (existing.length > 0 ? `Profiles there: ${existing.join(', ')}.` : 'There are no profiles in them.'),
    hint:
      (existing.length > 0 ? 'Choose one of those profiles, or create this one: ' : 'Create it: ') +
      `\`aws configure --profile ${profile}\` (or \`aws configure sso --profile ${profile}\`).`,
  };
}

function noCredentialsInProfile(reason: string, { profile, shared }: CredentialContext): Explanation {
  return {
    message:
      `Profile "${profile}" holds no credentials: it sets none of aws_access_key_id, role_arn, web_identity_token_file, ` +
      `credential_process, sso_session or login_session (in ${shared.paths.config} or ${shared.paths.credentials}). ` +
      `The AWS SDK says: ${reason}`,
    hint: configure(profile),
  };
}

function noCredentialsAnywhere({ profile, shared }: CredentialContext): Explanation {
  return {
    message:
      `No AWS credentials found. Looked at: the environment variables ${Env.accessKeyId} and ${Env.secretAccessKey}; ` +
      `profile "${profile}" in ${shared.paths.config} and ${shared.paths.credentials}; a web identity token (${Env.webIdentityTokenFile}); ` +
      'container credentials; EC2 instance metadata.',
    hint:
      `Run \`aws configure --profile ${profile}\`, set ${Env.accessKeyId} and ${Env.secretAccessKey}, ` +
      `or run \`aws sso login --profile NAME\` and choose that profile (${SettingIds.profile} or --profile).`,
  };
}

function chainFailed(reason: string, { profile }: CredentialContext): Explanation {
  return {
    message: `AWS credentials could not be loaded: ${reason}`,
    hint: `Check the credentials in the environment, or choose a profile (${SettingIds.profile} or --profile). ${configure(profile)}`,
  };
}

function expired(
  at: Date,
  fromProfile: boolean,
  envHasKeys: boolean,
  kind: ProfileKind | undefined,
  { profile, env }: CredentialContext,
): Explanation {
  const where = fromProfile
    ? `of profile "${profile}"`
    : envHasKeys
      ? `in the environment (${Env.accessKeyId}${env[Env.sessionToken] ? `, ${Env.sessionToken}` : ''})`
      : 'found by the standard credential chain';
  return {
    message: `The AWS credentials ${where} expired at ${at.toISOString()}.`,
    hint:
      fromProfile && kind?.id === 'sso'
        ? ssoLogin(profile)
        : 'Refresh your credentials (get a new session token, or sign in again), then invoke again.',
  };
}

/** The provider's own words, on one line and not too long. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s*\n\s*/g, ' ').trim() || 'no reason given';
  return line.length > 600 ? `${line.slice(0, 600)}…` : line;
}

/** Removes every secret the files and the environment hold, should a provider's message quote one. */
function redact(text: string, { env, shared }: CredentialContext): string {
  const secrets = new Set<string>();
  for (const value of [env[Env.secretAccessKey], env[Env.sessionToken]]) if (value) secrets.add(value);
  for (const data of [shared.files.configFile, shared.files.credentialsFile]) {
    for (const section of Object.values(data)) {
      for (const key of ['aws_secret_access_key', 'aws_session_token']) {
        const value = section[key];
        if (value) secrets.add(value);
      }
    }
  }
  let result = text;
  for (const secret of secrets) if (secret.length >= 8) result = result.split(secret).join('[redacted]');
  return result;
}
