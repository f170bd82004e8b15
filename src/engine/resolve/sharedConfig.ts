/**
 * The shared AWS `config` and `credentials` files, read with the AWS SDK's own loader: where
 * they are, a profile's keys from both, the profile names, and the `[services NAME]` section a
 * profile can point at for a service's endpoint (Lambda's, CloudWatch Logs').
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { IniSection, ParsedIniData, SharedConfigFiles } from '@smithy/types';
import { AwsEnvironment as Env } from '../../lambda/environment';
import { InvokeError } from '../types';

export const DEFAULT_PROFILE = 'default';
/** Lambda's key in a `[services NAME]` section: `lambda =`, then an indented `endpoint_url = …`. */
export const LAMBDA_SERVICES_KEY = 'lambda';
/** Config-file sections that are not profiles (`[sso-session x]`, `[services x]`). */
const NON_PROFILE_SECTION = /^(?:sso-session|services)\./;

export interface SharedConfig {
  paths: { config: string; credentials: string };
  files: SharedConfigFiles;
}

/**
 * Reads both shared files with the SDK's loader. `ignoreCache`: the SDK keeps each file's first
 * read for the life of the process, and the language server lives as long as the window, so an
 * `aws configure` or `aws sso login` would otherwise go unseen until a restart.
 */
export async function readSharedConfig(env: NodeJS.ProcessEnv): Promise<SharedConfig> {
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

export function profileExists(files: SharedConfigFiles, name: string): boolean {
  return own(files.configFile, name) !== undefined || own(files.credentialsFile, name) !== undefined;
}

/** A profile's keys from both files; `prefer` wins where both set one (the SDK varies by key). */
export function profileSection(files: SharedConfigFiles, name: string, prefer: 'config' | 'credentials'): IniSection | undefined {
  const config = own(files.configFile, name);
  const credentials = own(files.credentialsFile, name);
  if (!config && !credentials) return undefined;
  return prefer === 'config' ? { ...credentials, ...config } : { ...config, ...credentials };
}

/** Profile names from both files, `default` first. */
export function profileNames(files: SharedConfigFiles): string[] {
  const names = new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)]);
  return [...names]
    .filter((name) => !NON_PROFILE_SECTION.test(name))
    .sort((a, b) => Number(b === DEFAULT_PROFILE) - Number(a === DEFAULT_PROFILE) || a.localeCompare(b));
}

/** Profile names from both shared files, `default` first, for a "Select Profile" picker. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return profileNames((await readSharedConfig(env)).files);
}

/**
 * `<service> = endpoint_url = …` in the `[services NAME]` section the profile names (`lambda`
 * unless said; the first of `keys` that is set). A profile naming a section that is not there is
 * a configuration error, not a silent fall-through.
 */
export function servicesEndpoint(
  shared: SharedConfig,
  profile: string,
  section: IniSection | undefined,
  keys: readonly string[] = [LAMBDA_SERVICES_KEY],
): string | undefined {
  const services = section?.services;
  if (!services) return undefined;
  const servicesSection = own(shared.files.configFile, `services.${services}`);
  if (!servicesSection) {
    throw new InvokeError(
      'configuration',
      `Profile "${profile}" names the services section "${services}", which is not in ${shared.paths.config}.`,
      { hint: `Add a [services ${services}] section (${keys[0]} =, then an indented endpoint_url = …), or remove "services" from the profile.` },
    );
  }
  // The SDK's loader reads an indented `endpoint_url` under `lambda =` as the key `lambda.endpoint_url`.
  return keys.map((key) => servicesSection[`${key}.endpoint_url`]).find((value) => value !== undefined && value.trim() !== '');
}
