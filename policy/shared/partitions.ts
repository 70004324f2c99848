// Region -> AWS partition, one source for the pack (`arns-in-stack-partition`), the offline check's invoke
// answers (`aws.getPartition`, `aws.getRegions`) and anything else that builds an ARN or an endpoint.
// Sources: botocore data/partitions.json (python3-botocore 1.29: each partition's regionRegex and dnsSuffix) and
// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html (aws-eusc, the
// European Sovereign Cloud, which that botocore predates).

export interface AwsPartition {
    /** The partition's name in ARNs (`arn:<partition>:...`). */
    readonly partition: string;
    /** The domain of its service endpoints (`ec2.<region>.<dnsSuffix>`). */
    readonly dnsSuffix: string;
    /** `dnsSuffix` reversed, as service principals of some services use it. */
    readonly reverseDnsPrefix: string;
}

/** Region-name prefixes of the partitions other than `aws` (none is a prefix of another). */
const PARTITIONS: readonly (AwsPartition & { readonly regionPrefix: string })[] = [
    { regionPrefix: "cn-", partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" },
    { regionPrefix: "us-gov-", partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" },
    { regionPrefix: "us-iso-", partition: "aws-iso", dnsSuffix: "c2s.ic.gov", reverseDnsPrefix: "gov.ic.c2s" },
    { regionPrefix: "us-isob-", partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", reverseDnsPrefix: "gov.sgov.sc2s" },
    { regionPrefix: "eusc-", partition: "aws-eusc", dnsSuffix: "amazonaws.eu", reverseDnsPrefix: "eu.amazonaws" },
];

const AWS: AwsPartition = { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };

/** Every partition name, `aws` first. */
export const AWS_PARTITION_NAMES: readonly string[] = [AWS.partition, ...PARTITIONS.map((p) => p.partition)];

/** The partition a region belongs to; any region of no other partition is in `aws`. */
export function awsPartitionOf(region: string): AwsPartition {
    const found = PARTITIONS.find((p) => region.startsWith(p.regionPrefix));
    return found
        ? { partition: found.partition, dnsSuffix: found.dnsSuffix, reverseDnsPrefix: found.reverseDnsPrefix }
        : AWS;
}

/** The partition's name for a region: `cn-north-1` -> `aws-cn`. */
export function partitionOfRegion(region: string): string {
    return awsPartitionOf(region).partition;
}
