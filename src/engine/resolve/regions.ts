/**
 * AWS Regions: the list a "Select Region" picker offers, each one's name, and the partition a
 * region belongs to with its standard Lambda endpoint, from the SDK's partition data
 * (@aws-sdk/util-endpoints).
 */
import { partition } from '@aws-sdk/util-endpoints';
import { REGIONS } from '../../lambda/regions';


/**
 * Region codes for a "Select Region" picker: the commercial regions, then China, GovCloud and the
 * European Sovereign Cloud, from the one table in src/lambda/regions.ts (the SDK's partition data
 * has no list of regions to read; the unit tests hold the table equal to it).
 */
export function listRegions(): string[] {
  return REGIONS.map((region) => region.code);
}

/**
 * The region's name from the SDK's partition data ("US West (Oregon)"), for the picker; undefined
 * for a code the SDK does not know. The SDK returns it without declaring it in its type.
 */
export function regionDescription(region: string): string | undefined {
  const description: unknown = (partition(region) as { description?: unknown }).description;
  return typeof description === 'string' ? description : undefined;
}

/**
 * The region's partition (`aws`, `aws-cn`, …) and a service's standard
 * `https://{service}.{region}.{dnsSuffix}` (Lambda's unless said; `logs` for CloudWatch Logs).
 */
export function standardEndpoint(region: string, service = 'lambda'): { partition: string; url: URL } {
  const { name, dnsSuffix } = partition(region);
  return { partition: name, url: new URL(`https://${service}.${region}.${dnsSuffix}`) };
}
