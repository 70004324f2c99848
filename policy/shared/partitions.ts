// AWS partitions: which partition a region belongs to, and its DNS suffix. One source for the pack
// (arns-in-stack-partition) and the offline check's invoke answers (aws:index/getPartition).
// Sources: https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html and the
// SDKs' partitions.json (botocore data/partitions.json: regionRegex, dnsSuffix per partition).

export interface Partition {
    readonly partition: string;
    readonly dnsSuffix: string;
    readonly reverseDnsPrefix: string;
}

/** Region prefix -> partition, most specific first (us-iso- before us-isob-, etc. do not overlap). */
const PARTITIONS: readonly (Partition & { readonly prefix: string })[] = [
    { prefix: "cn-", partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" },
    { prefix: "us-gov-", partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" },
    { prefix: "us-iso-", partition: "aws-iso", dnsSuffix: "c2s.ic.gov", reverseDnsPrefix: "gov.ic.c2s" },
    { prefix: "us-isob-", partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", reverseDnsPrefix: "gov.sgov.sc2s" },
    { prefix: "eu-isoe-", partition: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", reverseDnsPrefix: "uk.adc-e.cloud" },
    { prefix: "us-isof-", partition: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", reverseDnsPrefix: "gov.ic.hci.csp" },
    { prefix: "eusc-", partition: "aws-eusc", dnsSuffix: "amazonaws.eu", reverseDnsPrefix: "eu.amazonaws" },
];

const COMMERCIAL: Partition = { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };

/** Every partition name. */
export const PARTITION_NAMES: readonly string[] = [COMMERCIAL.partition, ...PARTITIONS.map((p) => p.partition)];

/** The partition of a region, with its DNS suffix (commercial `aws` for every other region). */
export function partitionInfo(region: string): Partition {
    const found = PARTITIONS.find((p) => region.startsWith(p.prefix));
    return found
        ? { partition: found.partition, dnsSuffix: found.dnsSuffix, reverseDnsPrefix: found.reverseDnsPrefix }
        : COMMERCIAL;
}

/** The partition name of a region. */
export function partitionOfRegion(region: string): string {
    return partitionInfo(region).partition;
}
