// What ElastiCache and EC2 accept, as data: node types, engine versions, parameter group families and CPU
// architectures. Dated and sourced so that a reviewer can re-check it against the pages it was read from; the
// rules that read it live in catalog.ts.

/** When this catalog was last checked against its sources. */
export const CATALOG_CHECKED = "2026-12-01";

/** Where each part of the catalog comes from. */
export const CATALOG_SOURCES = {
    nodeTypes: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html",
    previousGeneration: "https://aws.amazon.com/elasticache/previous-generation/",
    dataTiering: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html",
    engineVersions: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html",
    graviton4: "AWS Price List, AmazonElastiCache offers for cache.m8g/r8g/c8gn (engine Valkey only)",
    engineVersionForms:
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/elasticache/engine_version.go",
    parameterGroupFamilies: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html",
    instanceArchitectures: "https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-type-specifications.html",
} as const;

/** A node family ElastiCache still creates clusters with, and the sizes it offers. */
export interface NodeFamily {
    readonly family: string;
    readonly sizes: readonly string[];
    /** r6gd: the SSD tier is the point of the family; ElastiCache requires data tiering on (and cluster mode). */
    readonly requiresDataTiering?: boolean;
    /** The engines ElastiCache offers the family for, when not every engine (Graviton4: Valkey only). */
    readonly engines?: readonly CacheEngine[];
}

const SIZES_LARGE_16 = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];

/** Current generation (source: nodeTypes). */
export const CURRENT_NODE_FAMILIES: readonly NodeFamily[] = [
    { family: "t4g", sizes: ["micro", "small", "medium"] },
    { family: "t3", sizes: ["micro", "small", "medium"] },
    { family: "m7g", sizes: SIZES_LARGE_16 },
    { family: "m6g", sizes: SIZES_LARGE_16 },
    { family: "m5", sizes: ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"] },
    { family: "m4", sizes: ["large", "xlarge", "2xlarge", "4xlarge", "10xlarge"] },
    { family: "r7g", sizes: SIZES_LARGE_16 },
    { family: "r6g", sizes: SIZES_LARGE_16 },
    {
        family: "r6gd",
        sizes: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
        requiresDataTiering: true,
    },
    { family: "r5", sizes: ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"] },
    { family: "r4", sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"] },
    { family: "c7gn", sizes: SIZES_LARGE_16 },
    // Graviton4 (source: graviton4): Valkey only.
    { family: "m8g", sizes: [...SIZES_LARGE_16, "24xlarge"], engines: ["valkey"] },
    { family: "r8g", sizes: [...SIZES_LARGE_16, "24xlarge"], engines: ["valkey"] },
    { family: "c8gn", sizes: SIZES_LARGE_16, engines: ["valkey"] },
];

/**
 * Previous generation: no new cluster can be created with these (source: previousGeneration). T2 moved here,
 * which is why the tutorial's cache.t2.micro no longer works and cache.t3.micro is the free-tier node.
 */
export const PREVIOUS_NODE_FAMILIES: readonly string[] = ["t1", "t2", "m1", "m2", "m3", "c1", "r3"];

/** The free-tier node that can be created today (cache.t2.micro is previous generation). */
export const FREE_TIER_CACHE_NODE_TYPE = "cache.t3.micro";

export type CacheEngine = "redis" | "valkey";

/**
 * Engine versions ElastiCache creates, in the form the provider accepts (source: engineVersions): Redis OSS ends
 * at 7.1 and Valkey starts at 7.2. From 6 on the provider wants `<major>.<minor>` (and `6.x` for 6 only); before
 * 6 the full `<major>.<minor>.<patch>` (source: engineVersionForms).
 */
export const ENGINE_VERSIONS: Readonly<Record<CacheEngine, readonly string[]>> = {
    redis: ["4.0.10", "5.0.6", "6.x", "6.0", "6.2", "7.0", "7.1"],
    valkey: ["7.2", "8.0", "8.1", "8.2", "9.0", "9.1"],
};

/** Parameter group family of each major version (source: parameterGroupFamilies). */
export const PARAMETER_GROUP_FAMILIES: Readonly<Record<CacheEngine, Readonly<Record<string, string>>>> = {
    redis: { "4": "redis4.0", "5": "redis5.0", "6": "redis6.x", "7": "redis7" },
    valkey: { "7": "valkey7", "8": "valkey8", "9": "valkey9" },
};

/**
 * EC2 families whose processors are AWS Graviton (arm64) although their name carries no `g` after the
 * generation digit (source: instanceArchitectures): a1 is the first Graviton family.
 */
export const ARM64_FAMILIES_WITHOUT_G: readonly string[] = ["a1"];
