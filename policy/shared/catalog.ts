// Rules over the dated catalog (catalog-data.ts) of what ElastiCache and EC2 create. One source for the
// program's config validation, the pack's deployability policies and the offline check.

import {
    ARM64_FAMILIES_WITHOUT_G,
    CATALOG_CHECKED,
    CATALOG_SOURCES,
    type CacheEngine,
    CURRENT_NODE_FAMILIES,
    ENGINE_VERSIONS,
    FREE_TIER_CACHE_NODE_TYPE,
    type NodeFamily,
    PARAMETER_GROUP_FAMILIES,
    PREVIOUS_NODE_FAMILIES,
} from "./catalog-data";

export * from "./catalog-data";

const NODE_TYPE = /^cache\.([a-z0-9-]+)\.([a-z0-9]+)$/;

/** The current-generation family of a node type, or undefined when it is not one. */
export function cacheNodeFamily(nodeType: string): NodeFamily | undefined {
    const m = NODE_TYPE.exec(nodeType);
    if (!m) {
        return undefined;
    }
    const family = CURRENT_NODE_FAMILIES.find((f) => f.family === m[1]);
    return family && family.sizes.includes(m[2]) ? family : undefined;
}

/**
 * Why ElastiCache would refuse to create a cluster of this node type (with this engine, when known), or undefined
 * when it creates one. Source: CATALOG_SOURCES.nodeTypes, .previousGeneration and the generated node families per
 * engine (Graviton4 is Valkey-only; checked
 * CATALOG_CHECKED). An engine that is not known (undefined) is not judged against engine-only families.
 */
export function cacheNodeTypeProblem(nodeType: string, engine?: string): string | undefined {
    const m = NODE_TYPE.exec(nodeType);
    if (!m) {
        return `"${nodeType}" is not an ElastiCache node type (cache.<family>.<size>, e.g. ${FREE_TIER_CACHE_NODE_TYPE})`;
    }
    if (nodeType === "cache.t2.micro") {
        return `cache.t2.micro is a previous-generation node that ElastiCache no longer creates; the free-tier node is ${FREE_TIER_CACHE_NODE_TYPE}`;
    }
    if (PREVIOUS_NODE_FAMILIES.includes(m[1])) {
        return `${nodeType} is a previous-generation node type that ElastiCache no longer creates (use a current generation such as ${FREE_TIER_CACHE_NODE_TYPE}, cache.t4g.small or cache.m7g.large; ${CATALOG_SOURCES.previousGeneration})`;
    }
    const family = cacheNodeFamily(nodeType);
    if (!family) {
        return `${nodeType} is not a node type ElastiCache offers (current generation as of ${CATALOG_CHECKED}: ${CURRENT_NODE_FAMILIES.map((f) => f.family).join(", ")}; ${CATALOG_SOURCES.nodeTypes})`;
    }
    const lower = engine?.toLowerCase();
    // Only the engines the catalog covers are judged (memcached nodes are not in it).
    if ((lower === "redis" || lower === "valkey") && !family.engines.some((e) => e === lower)) {
        return `${nodeType} is offered for ${family.engines.join(", ")} only, not ${lower} (the Price List as of ${CATALOG_CHECKED})`;
    }
    return undefined;
}

/** Whether ElastiCache requires `dataTieringEnabled: true` for this node type (r6gd). */
export function requiresDataTiering(nodeType: string): boolean {
    return cacheNodeFamily(nodeType)?.requiresDataTiering === true;
}

/**
 * The engine-version forms the AWS provider accepts (validRedisVersionString / validValkeyVersionString in
 * terraform-provider-aws internal/service/elasticache/engine_version.go), regexes copied as written there
 * (including the unanchored alternation of the post-6 Redis form).
 */
export const PROVIDER_ENGINE_VERSION_FORMS: Readonly<Record<CacheEngine, RegExp>> = {
    redis: /^[1-5](\.[0-9]+){2}$|^((6)\.x)|([6-9]\.[0-9]+)$/,
    valkey: /^[7-9]\.[0-9]+$/,
};

/**
 * Why ElastiCache (or the provider before it) refuses this engine version, or undefined. Redis OSS ends at 7.1
 * and Valkey starts at 7.2 (CATALOG_SOURCES.engineVersions).
 */
export function engineVersionProblem(engine: CacheEngine, version: string): string | undefined {
    if (ENGINE_VERSIONS[engine].includes(version)) {
        return undefined;
    }
    const major = Number(/^(\d+)\./.exec(version)?.[1] ?? NaN);
    // The replication group's schema takes either engine's form (validation.Any(validRedisVersionString,
    // validValkeyVersionString), replication_group.go): only a version in neither form is the provider's refusal.
    if (!PROVIDER_ENGINE_VERSION_FORMS.redis.test(version) && !PROVIDER_ENGINE_VERSION_FORMS.valkey.test(version)) {
        const form = "<major>.<minor> from 6 on (6.x only for 6), <major>.<minor>.<patch> before 6";
        return `${engine} engine version "${version}" is not in a form the AWS provider accepts (${form}); ElastiCache offers ${ENGINE_VERSIONS[engine].join(", ")}`;
    }
    if (engine === "redis" && major >= 7) {
        return `redis ${version} does not exist on ElastiCache: Redis OSS ends at 7.1, versions from 7.2 on are Valkey (set the engine to valkey)`;
    }
    if (engine === "valkey" && version.startsWith("7.") && version !== "7.2") {
        return `valkey ${version} does not exist on ElastiCache: Valkey starts at 7.2`;
    }
    return `${engine} ${version} is not an engine version ElastiCache offers (as of ${CATALOG_CHECKED}: ${ENGINE_VERSIONS[engine].join(", ")}; ${CATALOG_SOURCES.engineVersions})`;
}

/** The parameter group family of an engine version (redis 7.1 -> redis7, valkey 8.0 -> valkey8), if known. */
export function parameterGroupFamilyFor(engine: CacheEngine, version: string): string | undefined {
    const major = /^(\d+)\./.exec(version)?.[1];
    return major === undefined ? undefined : PARAMETER_GROUP_FAMILIES[engine][major];
}

/**
 * The CPU architecture of an EC2 instance type: Graviton families carry a `g` after the generation digit
 * (t4g, m7g, c7gn, r8g) and a1 is Graviton too (CATALOG_SOURCES.instanceArchitectures).
 */
export function instanceArchitecture(instanceType: string): "x86_64" | "arm64" {
    const family = instanceType.split(".")[0];
    return /^[a-z]+\d+g/.test(family) || ARM64_FAMILIES_WITHOUT_G.includes(family) ? "arm64" : "x86_64";
}
