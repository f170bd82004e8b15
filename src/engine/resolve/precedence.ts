/**
 * The order every value of a target is taken in, with where it came from: what the
 * `.invoke.json` object says, then the extension's selection or settings or the CLI's flags
 * (`Overrides`), then the environment and the profile in the shared files, then a default.
 * Profile, region and endpoint each have their own list of candidates here; when no candidate
 * is set and there is no default, the error says every place that was looked at.
 */
import { parseFunctionName } from '../../lambda/functionName';
import { Patterns } from '../../lambda/limits';
import { AwsEnvironment as Env } from '../../lambda/environment';
import { SettingIds } from '../../protocol/ids';
import type { TargetOverrides } from '../../protocol/targetOverrides';
import { InvokeError, type Overrides, type Source } from '../types';
import { DEFAULT_PROFILE, LAMBDA_SERVICES_KEY, type SharedConfig, profileExists, profileSection, servicesEndpoint } from './sharedConfig';

/** What resolution reads from an invocation: its function name and the file's own overrides. */
export interface ResolveInput {
  request: { functionName: string } & TargetOverrides;
  overrides: Overrides;
  /** Defaults to `process.env`. The SDK's credential providers read `process.env` themselves. */
  env?: NodeJS.ProcessEnv;
}

/** Where a value came from, as `ResolvedTarget` reports it ("us-west-2 (from AWS_REGION)"). */
export const Sources = {
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

/** A candidate value and where it comes from; a function is read only when its turn comes. */
type Candidate = readonly [value: string | undefined | (() => string | undefined), source: Source];

/** A value and where it came from. */
export interface Resolved {
  value: string;
  source: Source;
}

/** The first candidate that is set (empty or blank counts as unset: settings default to ""). */
function firstOf(candidates: readonly Candidate[]): Resolved | undefined {
  for (const [candidate, source] of candidates) {
    const value = (typeof candidate === 'function' ? candidate() : candidate)?.trim();
    if (value) return { value, source };
  }
  return undefined;
}

/** The profile: the file's, the overrides', `AWS_PROFILE`'s, else `default`. */
export function resolveProfile(input: ResolveInput, env: NodeJS.ProcessEnv): Resolved {
  const { request, overrides } = input;
  return (
    firstOf([
      [request.profile, Sources.file('profile')],
      [overrides.profile, Sources.overrides],
      [env[Env.profile], Env.profile],
    ]) ?? { value: DEFAULT_PROFILE, source: Sources.defaultProfile }
  );
}

/**
 * The region: the file's, the function ARN's, the overrides', `AWS_REGION`, `AWS_DEFAULT_REGION`,
 * then the profile's. Throws when there is none, or when it is not a Region code.
 */
export function resolveRegion(input: ResolveInput, env: NodeJS.ProcessEnv, profile: string, shared: SharedConfig): Resolved {
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
export function resolveEndpoint(input: ResolveInput, env: NodeJS.ProcessEnv, profile: string, shared: SharedConfig): { url: URL; source: Source } | undefined {
  const { request, overrides } = input;
  const found = firstOf([
    [request.endpoint, Sources.file('endpoint')],
    [overrides.endpoint, Sources.overrides],
    ...configuredCandidates(LAMBDA_SERVICE, env, profile, shared),
  ]);
  return found && { url: parseEndpoint(found.value, found.source), source: found.source };
}

/** How a service's endpoint is named in the environment and in a `[services NAME]` section. */
export interface ServiceEndpointKeys {
  /** `AWS_ENDPOINT_URL_<SERVICE>`. */
  envVar: string;
  /** The section's keys for the service, the first set wins. */
  servicesKeys: readonly string[];
}

const LAMBDA_SERVICE: ServiceEndpointKeys = { envVar: Env.lambdaEndpoint, servicesKeys: [LAMBDA_SERVICES_KEY] };

/**
 * A service's configured endpoint, from the environment and the profile only (nothing in the
 * file or the settings names one for a service other than Lambda): the same order and switches
 * as Lambda's below the file and the overrides.
 */
export function configuredEndpoint(service: ServiceEndpointKeys, env: NodeJS.ProcessEnv, profile: string, shared: SharedConfig): { url: URL; source: Source } | undefined {
  const found = firstOf(configuredCandidates(service, env, profile, shared));
  return found && { url: parseEndpoint(found.value, found.source), source: found.source };
}

/**
 * Unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's `ignore_configured_endpoint_urls`
 * is true: the service's variable, `AWS_ENDPOINT_URL`, the profile's `services` section and its
 * `endpoint_url`.
 */
function configuredCandidates(service: ServiceEndpointKeys, env: NodeJS.ProcessEnv, profile: string, shared: SharedConfig): Candidate[] {
  // The SDK's endpoint loader prefers the config file when both files set a key.
  const section = profileSection(shared.files, profile, 'config');
  const ignoreConfigured = firstOf([
    [env[Env.ignoreConfiguredEndpoints], Env.ignoreConfiguredEndpoints],
    [section?.ignore_configured_endpoint_urls, Sources.profile(profile)],
  ])?.value.toLowerCase() === 'true';
  if (ignoreConfigured) return [];
  return [
    [env[service.envVar], service.envVar],
    [env[Env.endpoint], Env.endpoint],
    [() => servicesEndpoint(shared, profile, section, service.servicesKeys), Sources.servicesSection(section?.services ?? '', profile)],
    [section?.endpoint_url, Sources.profileEndpoint(profile)],
  ];
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

