/**
 * The AWS Regions Lambda runs in, each with its partition and its name, as one table: what a
 * `region` value completes to, and which regions belong with an ARN's partition. A fact about
 * Lambda rather than about any one side, so the language service, the engine's region picker
 * and the CLI can share it; the unit tests hold it equal to the SDK's partition data.
 */

export interface RegionInfo {
  code: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`: the first field after `arn:` in this region's ARNs. */
  partition: string;
  /** The name the AWS console gives it, "US West (Oregon)". */
  name: string;
}

/** Commercial regions first, then China, GovCloud and the European Sovereign Cloud: the order a list offers them in. */
export const REGIONS: readonly RegionInfo[] = [
  { code: 'us-east-1', partition: 'aws', name: 'US East (N. Virginia)' },
  { code: 'us-east-2', partition: 'aws', name: 'US East (Ohio)' },
  { code: 'us-west-1', partition: 'aws', name: 'US West (N. California)' },
  { code: 'us-west-2', partition: 'aws', name: 'US West (Oregon)' },
  { code: 'af-south-1', partition: 'aws', name: 'Africa (Cape Town)' },
  { code: 'ap-east-1', partition: 'aws', name: 'Asia Pacific (Hong Kong)' },
  { code: 'ap-east-2', partition: 'aws', name: 'Asia Pacific (Taipei)' },
  { code: 'ap-northeast-1', partition: 'aws', name: 'Asia Pacific (Tokyo)' },
  { code: 'ap-northeast-2', partition: 'aws', name: 'Asia Pacific (Seoul)' },
  { code: 'ap-northeast-3', partition: 'aws', name: 'Asia Pacific (Osaka)' },
  { code: 'ap-south-1', partition: 'aws', name: 'Asia Pacific (Mumbai)' },
  { code: 'ap-south-2', partition: 'aws', name: 'Asia Pacific (Hyderabad)' },
  { code: 'ap-southeast-1', partition: 'aws', name: 'Asia Pacific (Singapore)' },
  { code: 'ap-southeast-2', partition: 'aws', name: 'Asia Pacific (Sydney)' },
  { code: 'ap-southeast-3', partition: 'aws', name: 'Asia Pacific (Jakarta)' },
  { code: 'ap-southeast-4', partition: 'aws', name: 'Asia Pacific (Melbourne)' },
  { code: 'ap-southeast-5', partition: 'aws', name: 'Asia Pacific (Malaysia)' },
  { code: 'ap-southeast-6', partition: 'aws', name: 'Asia Pacific (New Zealand)' },
  { code: 'ap-southeast-7', partition: 'aws', name: 'Asia Pacific (Thailand)' },
  { code: 'ca-central-1', partition: 'aws', name: 'Canada (Central)' },
  { code: 'ca-west-1', partition: 'aws', name: 'Canada West (Calgary)' },
  { code: 'eu-central-1', partition: 'aws', name: 'Europe (Frankfurt)' },
  { code: 'eu-central-2', partition: 'aws', name: 'Europe (Zurich)' },
  { code: 'eu-north-1', partition: 'aws', name: 'Europe (Stockholm)' },
  { code: 'eu-south-1', partition: 'aws', name: 'Europe (Milan)' },
  { code: 'eu-south-2', partition: 'aws', name: 'Europe (Spain)' },
  { code: 'eu-west-1', partition: 'aws', name: 'Europe (Ireland)' },
  { code: 'eu-west-2', partition: 'aws', name: 'Europe (London)' },
  { code: 'eu-west-3', partition: 'aws', name: 'Europe (Paris)' },
  { code: 'il-central-1', partition: 'aws', name: 'Israel (Tel Aviv)' },
  { code: 'me-central-1', partition: 'aws', name: 'Middle East (UAE)' },
  { code: 'me-south-1', partition: 'aws', name: 'Middle East (Bahrain)' },
  { code: 'mx-central-1', partition: 'aws', name: 'Mexico (Central)' },
  { code: 'sa-east-1', partition: 'aws', name: 'South America (Sao Paulo)' },
  { code: 'cn-north-1', partition: 'aws-cn', name: 'China (Beijing)' },
  { code: 'cn-northwest-1', partition: 'aws-cn', name: 'China (Ningxia)' },
  { code: 'us-gov-east-1', partition: 'aws-us-gov', name: 'AWS GovCloud (US-East)' },
  { code: 'us-gov-west-1', partition: 'aws-us-gov', name: 'AWS GovCloud (US-West)' },
  { code: 'eusc-de-east-1', partition: 'aws-eusc', name: 'AWS European Sovereign Cloud (Germany)' },
];

const BY_CODE: ReadonlyMap<string, RegionInfo> = new Map(REGIONS.map((region) => [region.code, region]));

/** The region of a code; undefined for a code this table does not know. */
export function regionInfo(code: string): RegionInfo | undefined {
  return BY_CODE.get(code);
}

/** The regions of a partition, in the table's order; every region for a partition it does not know. */
export function regionsOfPartition(partition: string | undefined): readonly RegionInfo[] {
  const regions = REGIONS.filter((region) => region.partition === partition);
  return regions.length > 0 ? regions : REGIONS;
}
