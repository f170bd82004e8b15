/**
 * Resolution: where and as whom an invocation runs (issue 3, "Resolution"). This entry puts the
 * parts together: the order of sources (precedence.ts), the shared files (sharedConfig.ts), the
 * region's partition and standard endpoint (regions.ts) and the credentials (credentials.ts).
 * The files are read with the AWS SDK's own loader and credentials come from the SDK's own
 * providers; resolution only decides the order and says, when something is missing, where it
 * looked and what to do. Node only: no `vscode` import.
 */
import type { ResolvedTarget } from '../types';
import { credentialsProvider, isLoopback, localFallback } from './credentials';
import { FILE_ENDPOINT_SOURCE, type ResolveInput, Sources, resolveEndpoint, resolveProfile, resolveRegion } from './precedence';
import { standardEndpoint } from './regions';
import { readSharedConfig } from './sharedConfig';

export { LOCAL_PLACEHOLDER_CREDENTIALS, isLoopback } from './credentials';
export { FILE_ENDPOINT_SOURCE, type ResolveInput } from './precedence';
export { listRegions, regionDescription } from './regions';
export { listProfiles } from './sharedConfig';

/**
 * True when the endpoint was written in the `.invoke.json` file itself and is not this machine:
 * a repository must not route signed requests (an Invoke, or an account lookup) to its own server
 * unless the user allowed it.
 */
export function needsEndpointConfirmation(target: Pick<ResolvedTarget, 'endpoint' | 'endpointSource'>): boolean {
  return target.endpointSource === FILE_ENDPOINT_SOURCE && !isLoopback(target.endpoint.hostname);
}

/**
 * Where and as whom to call: region, profile, endpoint and a credentials provider, each by the
 * precedence of issue 3. Throws `InvokeError('configuration')` when no region is found or a value
 * is malformed. Credentials are fetched only when the returned provider is called; its failures
 * are `InvokeError('credentials')`.
 */
export async function resolveTarget(input: ResolveInput): Promise<ResolvedTarget> {
  const env = input.env ?? process.env;
  const profile = resolveProfile(input, env);
  const shared = await readSharedConfig(env);

  const region = resolveRegion(input, env, profile.value, shared);
  const standard = standardEndpoint(region.value);
  const endpoint = resolveEndpoint(input, env, profile.value, shared) ?? { url: standard.url, source: Sources.standardEndpoint };

  return {
    region: region.value,
    regionSource: region.source,
    profile: profile.value,
    profileSource: profile.source,
    endpoint: endpoint.url,
    endpointSource: endpoint.source,
    isDefaultEndpoint: endpoint.url.href === standard.url.href,
    partition: standard.partition,
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
