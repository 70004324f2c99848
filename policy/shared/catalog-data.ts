// What ElastiCache and EC2 accept, as data: node types, engine versions, parameter group families and CPU
// architectures. Engine versions, families and node types per engine are generated (catalog-data.generated.ts,
// `npm run catalog:refresh` from DescribeCacheEngineVersions and the Price List); this file adds what no model
// states, each with its source. The rules that read it live in catalog.ts.

import {
    GENERATED_CATALOG,
    GENERATED_ENGINE_VERSIONS,
    GENERATED_NODE_FAMILIES,
    GENERATED_PARAMETER_GROUP_FAMILIES,
} from "./catalog-data.generated";

/** When this catalog was last generated from its sources. */
export const CATALOG_CHECKED: string = GENERATED_CATALOG.generatedOn;

/** Where each part of the catalog comes from. */
export const CATALOG_SOURCES = {
    nodeTypes: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html",
    previousGeneration: "https://aws.amazon.com/elasticache/previous-generation/",
    dataTiering: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html",
    engineVersions: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html",
    engineVersionForms:
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/elasticache/engine_version.go",
    parameterGroupFamilies: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html",
    instanceArchitectures: "https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-type-specifications.html",
    generated: GENERATED_CATALOG.sources,
} as const;

export type CacheEngine = "redis" | "valkey";

/** A node family ElastiCache still creates clusters with, the sizes it offers and the engines that offer it. */
export interface NodeFamily {
    readonly family: string;
    readonly sizes: readonly string[];
    /** E.g. the Graviton4 families (m8g, r8g, c8gn) are Valkey-only. */
    readonly engines: readonly CacheEngine[];
    /** r6gd: the SSD tier is the point of the family; ElastiCache requires data tiering on (and cluster mode). */
    readonly requiresDataTiering?: boolean;
}

/** Families whose nodes require data tiering (source: dataTiering; the Price List does not say). */
const DATA_TIERING_FAMILIES: readonly string[] = ["r6gd"];

/** Current generation (source: generated, from the Price List). */
export const CURRENT_NODE_FAMILIES: readonly NodeFamily[] = GENERATED_NODE_FAMILIES.map((f) =>
    DATA_TIERING_FAMILIES.includes(f.family) ? { ...f, requiresDataTiering: true } : f,
);

/**
 * Previous generation: no new cluster can be created with these (source: previousGeneration). T2 moved here,
 * which is why the tutorial's cache.t2.micro no longer works and cache.t3.micro is the free-tier node.
 */
export const PREVIOUS_NODE_FAMILIES: readonly string[] = ["t1", "t2", "m1", "m2", "m3", "c1", "r3"];

/** The free-tier node that can be created today (cache.t2.micro is previous generation). */
export const FREE_TIER_CACHE_NODE_TYPE = "cache.t3.micro";

/**
 * Engine versions ElastiCache creates, in the form the provider accepts (source: generated, from
 * DescribeCacheEngineVersions): Redis OSS ends at 7.1 and Valkey starts at 7.2. From 6 on the provider wants
 * `<major>.<minor>` (and `6.x` for 6 only); before 6 the full `<major>.<minor>.<patch>` (source: engineVersionForms).
 */
export const ENGINE_VERSIONS: Readonly<Record<CacheEngine, readonly string[]>> = GENERATED_ENGINE_VERSIONS;

/** Parameter group family of each major version (source: generated, from DescribeCacheEngineVersions). */
export const PARAMETER_GROUP_FAMILIES: Readonly<Record<CacheEngine, Readonly<Record<string, string>>>> =
    GENERATED_PARAMETER_GROUP_FAMILIES;

/**
 * EC2 families whose processors are AWS Graviton (arm64) although their name carries no `g` after the
 * generation digit (source: instanceArchitectures): a1 is the first Graviton family.
 */
export const ARM64_FAMILIES_WITHOUT_G: readonly string[] = ["a1"];
