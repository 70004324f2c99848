// The pinned price table: on-demand list prices in USD for the regions the stacks use. Data only.
//
// Pinned by hand on 2026-12-01 from AWS's public price pages, because the machine that built it had no network to
// read the Price List bulk offer files; `npm run cost:prices` (scripts/price-list/update-prices.ts) regenerates this file
// from those files (AmazonElastiCache, AmazonEC2, awskms, AmazonCloudWatch, AmazonVPC) and drops these notes.
// Each figure is "checked" (a cited public source gives the same number), "corroborated" (the same number appears in
// public code said to be read from the AWS Price List, found through a search index that does not name the
// repository, so it cannot be cited), or "unchecked" (the author's reading of the AWS price pages). Checked 2026-12
// with no network: AWS's own price tables are rendered by script and were not in the stored page copies.
//   us-east-1, checked:
//     EC2 t2.micro $0.0116, t3.micro $0.0104, t3.small $0.0208, t4g.micro $0.0084, t4g.small $0.0168 per hour:
//       github.com/aws/karpenter-provider-aws/blob/1d927085dd81a9df9301e613f371dac5b4d16bfe/pkg/providers/pricing/
//       zz_generated.pricing_aws.go (generated 2026-07-20 from the AWS Pricing API, us-east-1 Linux on-demand).
//     cache.t3.micro $0.017/h (dragonflydb.io/finops/elasticache/cache.t3.micro, US East); KMS key $1/month
//       (aws.amazon.com/kms/pricing); public IPv4 $0.005/h and gp3 $0.08/GB-month (cloud-bench.com/blog/
//       aws-free-tier-ec2: "~$0.005/hr", "~$0.08/GB/month for gp3").
//   us-east-1, corroborated: every Redis OSS and Valkey node price below (a table of all node types "from the AWS
//     Price List API ... read 2026-10-02": cache.m7g.large 0.158 / Valkey 0.1264, cache.r7g.xlarge 0.437, etc.; the
//     Valkey rows are 0.8 x Redis OSS), and EBS gp2 0.10, st1 0.045, sc1 0.015, standard 0.05, NAT gateway $0.045/h
//     (the same code's fallback table).
//   us-east-1, unchecked: Memcached node prices (taken equal to Redis OSS), ElastiCache backup $0.085/GB-month,
//     gp3 IOPS and throughput, NAT gateway data, CloudWatch alarms and Logs.
//   ap-northeast-2 (Seoul), corroborated: EC2 t2.micro 0.0144, t3.micro 0.013, t3.small 0.026, t4g.micro 0.0104,
//     t4g.small 0.0208 (several public Seoul price tables, one "checked with the AWS Pricing API" for t3.micro).
//   ap-northeast-2, checked only where region-independent: KMS key, public IPv4. Every other Seoul figure unchecked.
// The figures that set the shipped stacks' budgets are pinned literally, with these sources, in
// test/policy/cost-estimate.test.ts ("pins dev's and prod's list prices to the cited figures").
// Valkey node prices are the Redis OSS prices less 20% (AWS: node-based Valkey is priced 20% lower).

import { type PriceTable } from "./price-table";

export const PRICE_TABLE: PriceTable = {
    pricesAsOf: "2026-12-01",
    sources: [
        "https://aws.amazon.com/elasticache/pricing/",
        "https://aws.amazon.com/ec2/pricing/on-demand/",
        "https://aws.amazon.com/ebs/pricing/",
        "https://aws.amazon.com/vpc/pricing/",
        "https://aws.amazon.com/kms/pricing/",
        "https://aws.amazon.com/cloudwatch/pricing/",
    ],
    regions: {
        "us-east-1": {
            cacheNodeHourly: {
                redis: {
                    "cache.t2.micro": 0.017,
                    "cache.t3.micro": 0.017,
                    "cache.t3.small": 0.034,
                    "cache.t4g.micro": 0.016,
                    "cache.t4g.small": 0.032,
                    "cache.t4g.medium": 0.065,
                    "cache.m7g.large": 0.158,
                    "cache.m7g.xlarge": 0.315,
                    "cache.r7g.large": 0.219,
                    "cache.r7g.xlarge": 0.437,
                },
                valkey: {
                    "cache.t3.micro": 0.0136,
                    "cache.t3.small": 0.0272,
                    "cache.t4g.micro": 0.0128,
                    "cache.t4g.small": 0.0256,
                    "cache.t4g.medium": 0.052,
                    "cache.m7g.large": 0.1264,
                    "cache.m7g.xlarge": 0.252,
                    "cache.r7g.large": 0.1752,
                    "cache.r7g.xlarge": 0.3496,
                },
                memcached: {
                    "cache.t3.micro": 0.017,
                    "cache.t4g.micro": 0.016,
                    "cache.m7g.large": 0.158,
                },
            },
            cacheBackupGbMonth: 0.085,
            ec2InstanceHourly: {
                "t2.micro": 0.0116,
                "t3.micro": 0.0104,
                "t3.small": 0.0208,
                "t4g.micro": 0.0084,
                "t4g.small": 0.0168,
            },
            ebsGbMonth: { gp3: 0.08, gp2: 0.1, st1: 0.045, sc1: 0.015, standard: 0.05 },
            gp3IopsMonth: 0.005,
            gp3ThroughputMibpsMonth: 0.04,
            publicIpv4Hourly: 0.005,
            natGatewayHourly: 0.045,
            natGatewayGb: 0.045,
            kmsKeyMonthly: 1,
            alarmStandardMonthly: 0.1,
            alarmHighResolutionMonthly: 0.3,
            logsIngestionGb: 0.5,
            logsStorageGbMonth: 0.03,
        },
        "ap-northeast-2": {
            cacheNodeHourly: {
                redis: {
                    "cache.t2.micro": 0.026,
                    "cache.t3.micro": 0.025,
                    "cache.t3.small": 0.05,
                    "cache.t4g.micro": 0.024,
                    "cache.t4g.small": 0.047,
                    "cache.t4g.medium": 0.094,
                    "cache.m7g.large": 0.204,
                    "cache.m7g.xlarge": 0.408,
                    "cache.r7g.large": 0.282,
                    "cache.r7g.xlarge": 0.563,
                },
                valkey: {
                    "cache.t3.micro": 0.02,
                    "cache.t3.small": 0.04,
                    "cache.t4g.micro": 0.0192,
                    "cache.t4g.small": 0.0376,
                    "cache.t4g.medium": 0.0752,
                    "cache.m7g.large": 0.1632,
                    "cache.m7g.xlarge": 0.3264,
                    "cache.r7g.large": 0.2256,
                    "cache.r7g.xlarge": 0.4504,
                },
                memcached: {
                    "cache.t3.micro": 0.025,
                    "cache.t4g.micro": 0.024,
                    "cache.m7g.large": 0.204,
                },
            },
            cacheBackupGbMonth: 0.085,
            ec2InstanceHourly: {
                "t2.micro": 0.0144,
                "t3.micro": 0.013,
                "t3.small": 0.026,
                "t4g.micro": 0.0104,
                "t4g.small": 0.0208,
            },
            ebsGbMonth: { gp3: 0.0912, gp2: 0.114, st1: 0.051, sc1: 0.029, standard: 0.08 },
            gp3IopsMonth: 0.0057,
            gp3ThroughputMibpsMonth: 0.0456,
            publicIpv4Hourly: 0.005,
            natGatewayHourly: 0.059,
            natGatewayGb: 0.059,
            kmsKeyMonthly: 1,
            alarmStandardMonthly: 0.1,
            alarmHighResolutionMonthly: 0.3,
            logsIngestionGb: 0.76,
            logsStorageGbMonth: 0.0314,
        },
    },
};
