/**
 * AWS Regions: the list a "Select Region" picker offers, each one's name, and the partition a
 * region belongs to with its standard Lambda endpoint, from the SDK's partition data
 * (@aws-sdk/util-endpoints).
 */
import { partition } from '@aws-sdk/util-endpoints';

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

/** The region's partition (`aws`, `aws-cn`, …) and its standard `https://lambda.{region}.{dnsSuffix}`. */
export function standardEndpoint(region: string): { partition: string; url: URL } {
  const { name, dnsSuffix } = partition(region);
  return { partition: name, url: new URL(`https://lambda.${region}.${dnsSuffix}`) };
}
