/**
 * Resolution: where and as whom an invocation runs (issue 3, "Resolution").
 *
 * Every value follows one order: what the `.invoke.json` object says, then the extension's
 * settings or the CLI's flags (`Overrides`), then the environment and the shared AWS config
 * files. The files are read with the AWS SDK's own loader and credentials come from the SDK's own
 * providers; this module only decides the order and says, when something is missing, where it
 * looked and what to do. Node only: no `vscode` import.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { partition } from '@aws-sdk/util-endpoints';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, IniSection, ParsedIniData, SharedConfigFiles } from '@smithy/types';
import { parseFunctionName } from '../lambda/functionName';
import { Patterns } from '../lambda/limits';
import { AwsEnvironment } from '../lambda/environment';
import { SettingIds } from '../protocol/ids';
import type { TargetOverrides } from '../protocol/targetOverrides';
import { InvokeError, type Overrides, type ResolvedTarget, type Source } from './types';

/** What resolution reads from an invocation: its function name and the file's own overrides. */
export interface ResolveInput {
  request: { functionName: string } & TargetOverrides;
  overrides: Overrides;
  /** Defaults to `process.env`. The SDK's credential providers read `process.env` themselves. */
  env?: NodeJS.ProcessEnv;
}

/** Environment variables resolution reads, by role. */
const Env = AwsEnvironment;

/** Where a value came from, as `ResolvedTarget` reports it ("us-west-2 (from AWS_REGION)"). */
const Sources = {
  file: (key: string): Source => `"${key}" in the file`,
  overrides: 'setting/flag',
  arn: 'the function ARN',
  defaultProfile: 'default',
  profile: (name: string): Source => `profile "${name}"`,
  servicesSection: (services: string, name: string): Source => `services "${services}" of profile "${name}"`,
  profileEndpoint: (name: string): Source => `endpoint_url of profile "${name}"`,
  standardEndpoint: 'default',
} as const;

/** `endpointSource` of an endpoint written in the `.invoke.json` file itself. */
export const FILE_ENDPOINT_SOURCE: Source = Sources.file('endpoint');

const DEFAULT_PROFILE = 'default';
/** Lambda's key in a `[services NAME]` section: `lambda =`, then an indented `endpoint_url = …`. */
const SERVICES_KEY = 'lambda.endpoint_url';
/** Config-file sections that are not profiles (`[sso-session x]`, `[services x]`). */
const NON_PROFILE_SECTION = /^(?:sso-session|services)\./;

/**
 * Where and as whom to call: region, profile, endpoint and a credentials provider, each by the
 * precedence of issue 3. Throws `InvokeError('configuration')` when no region is found or a value
 * is malformed. Credentials are fetched only when the returned provider is called; its failures
 * are `InvokeError('credentials')`.
 */
export async function resolveTarget(input: ResolveInput): Promise<ResolvedTarget> {
  const { request, overrides } = input;
  const env = input.env ?? process.env;
  const profile = firstOf([
    [request.profile, Sources.file('profile')],
    [overrides.profile, Sources.overrides],
    [env[Env.profile], Env.profile],
  ]) ?? { value: DEFAULT_PROFILE, source: Sources.defaultProfile };
  const shared = await readSharedConfig(env);

  const region = resolveRegion(input, env, profile.value, shared);
  const { name: partitionName, dnsSuffix } = partition(region.value);
  const standard = new URL(`https://lambda.${region.value}.${dnsSuffix}`);
  const endpoint = resolveEndpoint(input, env, profile.value, shared) ?? { url: standard, source: Sources.standardEndpoint };

  return {
    region: region.value,
    regionSource: region.source,
    profile: profile.value,
    profileSource: profile.source,
    endpoint: endpoint.url,
    endpointSource: endpoint.source,
    isDefaultEndpoint: endpoint.url.href === standard.href,
    partition: partitionName,
    credentials: localFallback(
      endpoint.url,
      credentialsProvider({
        profile: profile.value,
        region: region.value,
        profileSource: profile.source,
        named: profile.source !== Sources.defaultProfile,
        env,
        shared,
      }),
    ),
  };
}

/**
 * Placeholder credentials for an endpoint on this machine when none are configured: a local
 * endpoint accepts any well-formed signature, and trying one needs no AWS account. Never used
 * for a remote endpoint, where the missing-credentials error stands.
 */
export const LOCAL_PLACEHOLDER_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'LOCALPLACEHOLDER', secretAccessKey: 'local-placeholder' };

function localFallback(endpoint: URL, provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
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

/** Profile names from both shared files, `default` first, for a "Select Profile" picker. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return profileNames((await readSharedConfig(env)).files);
}

/**
 * Region codes for a "Select Region" picker: the commercial regions, then China, GovCloud and the
 * European Sovereign Cloud. The SDK's partition data has no list of regions to read, so this is a
 * constant; the unit tests check that the SDK knows every code in it.
 */
export function listRegions(): string[] {
  return [...REGIONS];
}

/**
 * The region's name from the SDK's partition data ("US West (Oregon)"), for the picker; undefined
 * for a code the SDK does not know. The SDK returns it without declaring it in its type.
 */
export function regionDescription(region: string): string | undefined {
  const description: unknown = (partition(region) as { description?: unknown }).description;
  return typeof description === 'string' ? description : undefined;
}

const REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3',
  'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1',
  'cn-north-1', 'cn-northwest-1',
  'us-gov-east-1', 'us-gov-west-1',
  'eusc-de-east-1',
];

// ---------------------------------------------------------------------------------------------
// Precedence

/** A candidate value and where it comes from; a function is read only when its turn comes. */
type Candidate = readonly [value: string | undefined | (() => string | undefined), source: Source];

/** The first candidate that is set (empty or blank counts as unset: settings default to ""). */
function firstOf(candidates: readonly Candidate[]): { value: string; source: Source } | undefined {
  for (const [candidate, source] of candidates) {
    const value = (typeof candidate === 'function' ? candidate() : candidate)?.trim();
    if (value) return { value, source };
  }
  return undefined;
}

function resolveRegion(input: ResolveInput, env: NodeJS.ProcessEnv, profile: string, shared: SharedConfig) {
  const { request, overrides } = input;
  const found = firstOf([
    [request.region, Sources.file('region')],
    [parseFunctionName(request.functionName)?.region, Sources.arn],
    [overrides.region, Sources.overrides],
    [env[Env.region], Env.region],
    [env[Env.defaultRegion], Env.defaultRegion],
    // The SDK's own region loader prefers the credentials file when both files set it.
    [profileSection(shared.files, profile, 'credentials')?.region, Sources.profile(profile)],
  ]);
  if (!found) throw noRegion(profile, shared);
  if (!Patterns.region.test(found.value)) {
    throw new InvokeError('configuration', `Region "${found.value}" (from ${found.source}) is not an AWS Region code.`, {
      hint: 'Use a code such as us-east-1, eu-west-1 or cn-north-1.',
    });
  }
  return found;
}

function noRegion(profile: string, shared: SharedConfig): InvokeError {
  const inProfile = profileExists(shared.files, profile)
    ? `and profile "${profile}" in ${shared.paths.config} sets no region`
    : `and profile "${profile}" is in neither ${shared.paths.config} nor ${shared.paths.credentials}`;
  return new InvokeError(
    'configuration',
    'No AWS Region for this invocation. Looked at: "region" in the file; the function name (not an ARN with a region); ' +
      `the setting ${SettingIds.region} or the flag --region; the environment variables ${Env.region} and ${Env.defaultRegion}; ` +
      `${inProfile}.`,
    {
      hint:
        `Add "region": "us-east-1" to the invocation, set ${SettingIds.region} (or pass --region), set ${Env.region}, ` +
        `or run \`aws configure set region us-east-1 --profile ${profile}\`.`,
    },
  );
}

/**
 * The endpoint when something names one: the file, the overrides, then (unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's `ignore_configured_endpoint_urls` is
 * true) `AWS_ENDPOINT_URL_LAMBDA`, `AWS_ENDPOINT_URL`, the profile's `services` section and its
 * `endpoint_url`. The same order and keys as the SDK's own configured-endpoint lookup, which it does
 * not export and which reads only `AWS_PROFILE`'s profile; here it is the profile chosen above.
 */
function resolveEndpoint(input: ResolveInput, env: NodeJS.ProcessEnv, profile: string, shared: SharedConfig) {
  const { request, overrides } = input;
  // The SDK's endpoint loader prefers the config file when both files set a key.
  const section = profileSection(shared.files, profile, 'config');
  const ignoreConfigured = firstOf([
    [env[Env.ignoreConfiguredEndpoints], Env.ignoreConfiguredEndpoints],
    [section?.ignore_configured_endpoint_urls, Sources.profile(profile)],
  ])?.value.toLowerCase() === 'true';
  const configured: Candidate[] = ignoreConfigured
    ? []
    : [
        [env[Env.lambdaEndpoint], Env.lambdaEndpoint],
        [env[Env.endpoint], Env.endpoint],
        [() => servicesEndpoint(shared, profile, section), Sources.servicesSection(section?.services ?? '', profile)],
        [section?.endpoint_url, Sources.profileEndpoint(profile)],
      ];
  const found = firstOf([[request.endpoint, Sources.file('endpoint')], [overrides.endpoint, Sources.overrides], ...configured]);
  return found && { url: parseEndpoint(found.value, found.source), source: found.source };
}

/** `lambda = endpoint_url = …` in the `[services NAME]` section the profile names. */
function servicesEndpoint(shared: SharedConfig, profile: string, section: IniSection | undefined): string | undefined {
  const services = section?.services;
  if (!services) return undefined;
  const servicesSection = own(shared.files.configFile, `services.${services}`);
  if (!servicesSection) {
    throw new InvokeError(
      'configuration',
      `Profile "${profile}" names the services section "${services}", which is not in ${shared.paths.config}.`,
      { hint: `Add a [services ${services}] section (lambda =, then an indented endpoint_url = …), or remove "services" from the profile.` },
    );
  }
  return servicesSection[SERVICES_KEY];
}

function parseEndpoint(value: string, source: Source): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InvokeError('configuration', `Endpoint "${value}" (from ${source}) is not an http:// or https:// URL.`, {
      hint: 'Write the endpoint as a full URL, for example http://localhost:4566 or https://lambda.us-east-1.amazonaws.com.',
    });
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// The shared config and credentials files

interface SharedConfig {
  paths: { config: string; credentials: string };
  files: SharedConfigFiles;
}

/**
 * Reads both shared files with the SDK's loader. `ignoreCache`: the SDK keeps each file's first
 * read for the life of the process, and the language server lives as long as the window, so an
 * `aws configure` or `aws sso login` would otherwise go unseen until a restart.
 */
async function readSharedConfig(env: NodeJS.ProcessEnv): Promise<SharedConfig> {
  const paths = sharedConfigPaths(env);
  const files = await loadSharedConfigFiles({ configFilepath: paths.config, filepath: paths.credentials, ignoreCache: true });
  return { paths, files };
}

/** The files' paths as the SDK finds them, but from `env`: `AWS_CONFIG_FILE`, `~/.aws/config`, … */
function sharedConfigPaths(env: NodeJS.ProcessEnv): SharedConfig['paths'] {
  const home = env.HOME || env.USERPROFILE || (env.HOMEPATH ? `${env.HOMEDRIVE ?? 'C:'}${env.HOMEPATH}` : homedir());
  const expand = (path: string) => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    config: expand(env[Env.configFile] || join(home, '.aws', 'config')),
    credentials: expand(env[Env.credentialsFile] || join(home, '.aws', 'credentials')),
  };
}

function own(data: ParsedIniData, key: string): IniSection | undefined {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

function profileExists(files: SharedConfigFiles, name: string): boolean {
  return own(files.configFile, name) !== undefined || own(files.credentialsFile, name) !== undefined;
}

/** A profile's keys from both files; `prefer` wins where both set one (the SDK varies by key). */
function profileSection(files: SharedConfigFiles, name: string, prefer: 'config' | 'credentials'): IniSection | undefined {
  const config = own(files.configFile, name);
  const credentials = own(files.credentialsFile, name);
  if (!config && !credentials) return undefined;
  return prefer === 'config' ? { ...credentials, ...config } : { ...config, ...credentials };
}

function profileNames(files: SharedConfigFiles): string[] {
  const names = new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)]);
  return [...names]
    .filter((name) => !NON_PROFILE_SECTION.test(name))
    .sort((a, b) => Number(b === DEFAULT_PROFILE) - Number(a === DEFAULT_PROFILE) || a.localeCompare(b));
}

// ---------------------------------------------------------------------------------------------
// Credentials

interface CredentialContext {
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
function credentialsProvider(ctx: CredentialContext): AwsCredentialIdentityProvider {
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
