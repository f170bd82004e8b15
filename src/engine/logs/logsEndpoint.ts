/**
 * Where an invocation's log is read from: the CloudWatch Logs endpoint for the invocation's
 * target, with where that choice came from. The configured sources come first, in the order and
 * with the switches Lambda's endpoint uses (src/engine/resolve/precedence.ts); then, when Lambda
 * itself is on this machine (the built-in local endpoint, LocalStack), that same endpoint, since
 * a stand-in for Lambda on loopback keeps its logs there too and the real service never saw the
 * call; else the region's standard `https://logs.{region}.{dnsSuffix}`.
 */
import { AwsEnvironment as Env } from '../../lambda/environment';
import { isLoopback } from '../resolve/credentials';
import { type ServiceEndpointKeys, configuredEndpoint } from '../resolve/precedence';
import { standardEndpoint } from '../resolve/regions';
import { readSharedConfig } from '../resolve/sharedConfig';
import type { ResolvedTarget } from '../types';

/** `AWS_ENDPOINT_URL_` + the SDK's service id, upper-cased with underscores. */
export const LOGS_ENDPOINT_VARIABLE = 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS';

/**
 * CloudWatch Logs in a `[services NAME]` section: `logs =` (the service's endpoint prefix), or
 * `cloudwatch_logs =` (the SDK's service id, as the AWS SDKs' documentation spells the key).
 */
const LOGS_SERVICE: ServiceEndpointKeys = { envVar: LOGS_ENDPOINT_VARIABLE, servicesKeys: ['logs', 'cloudwatch_logs'] };

/** `endpointSource` when the logs are read where Lambda was called, on this machine. */
export const SAME_AS_LAMBDA_SOURCE = 'the Lambda endpoint (on this machine)';
/** `endpointSource` of the region's standard endpoint. */
export const STANDARD_LOGS_SOURCE = 'default';

export interface LogsEndpoint {
  url: URL;
  source: string;
}

/**
 * The CloudWatch Logs endpoint for `target`. Throws `InvokeError('configuration')` when a
 * configured value is not a URL, or the profile names a services section that is missing.
 */
export async function logsEndpoint(target: Pick<ResolvedTarget, 'region' | 'profile' | 'endpoint'>, env: NodeJS.ProcessEnv = process.env): Promise<LogsEndpoint> {
  const shared = await readSharedConfig(env);
  const configured = configuredEndpoint(LOGS_SERVICE, env, target.profile, shared);
  if (configured) return configured;
  if (isLoopback(target.endpoint.hostname)) return { url: new URL(target.endpoint.origin), source: SAME_AS_LAMBDA_SOURCE };
  return { url: standardEndpoint(target.region, 'logs').url, source: STANDARD_LOGS_SOURCE };
}

/** The places looked at, for a hint about reading the logs from somewhere else. */
export const LOGS_ENDPOINT_SETTINGS = `${LOGS_ENDPOINT_VARIABLE} or ${Env.endpoint}`;
