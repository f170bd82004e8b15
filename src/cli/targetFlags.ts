/**
 * The flags that say where a command looks or sends (--profile, --region, --endpoint) and which
 * endpoints written in a file it may use (--allow-endpoint, --allow-file-endpoints), checked as
 * usage: a malformed value is the command line's mistake (exit 3), not a failure of the service.
 */
import { Patterns } from '../lambda/limits';
import type { TargetOverrides } from '../protocol/targetOverrides';
import type { Io } from './io';

export interface TargetFlagValues {
  profile?: string;
  region?: string;
  endpoint?: string;
  'allow-endpoint'?: string[];
  'allow-file-endpoints'?: boolean;
}

/** `https://host:port` of an http(s) URL, or undefined. */
export function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The overrides the flags give, or undefined (said on stderr) when one is malformed. */
export function targetOverrides(values: TargetFlagValues, command: string, io: Io): TargetOverrides | undefined {
  if (values.region !== undefined && !Patterns.region.test(values.region)) {
    io.stderr(`lambda-invoke ${command}: --region takes a Region code such as us-east-1, not ${JSON.stringify(values.region)}.\n`);
    return undefined;
  }
  if (values.endpoint !== undefined && originOf(values.endpoint) === undefined) {
    io.stderr(`lambda-invoke ${command}: --endpoint takes an http:// or https:// URL such as http://127.0.0.1:3001, not ${JSON.stringify(values.endpoint)}.\n`);
    return undefined;
  }
  return { profile: values.profile, region: values.region, endpoint: values.endpoint };
}

/**
 * Whether an endpoint written in a file may be used, by --allow-endpoint (each an origin) and
 * --allow-file-endpoints; undefined (said on stderr) when an --allow-endpoint is not an origin.
 */
export function endpointAllowance(values: TargetFlagValues, command: string, io: Io): ((endpoint: URL) => boolean) | undefined {
  const allowed = new Set<string>();
  for (const value of values['allow-endpoint'] ?? []) {
    const origin = originOf(value);
    if (origin === undefined) {
      io.stderr(`lambda-invoke ${command}: --allow-endpoint takes an http(s) origin such as https://lambda.example.com, not ${JSON.stringify(value)}.\n`);
      return undefined;
    }
    allowed.add(origin);
  }
  const everything = values['allow-file-endpoints'] === true;
  return (endpoint) => everything || allowed.has(endpoint.origin);
}
