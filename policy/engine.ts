// Engine lifecycle: avoid Redis OSS versions in paid extended support.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type PolicyConfigSchema } from "./shared/policy-config";
import {
    CACHE_TYPES,
    cacheEngine,
    configHint,
    forTypes,
    isSet,
    label,
    policyConfig,
    skipReplicationGroupMembers,
} from "./lib/util";

export const ENGINE_VERSION_POLICY = "elasticache-supported-engine-version";
export interface EngineVersionConfig {
    minRedisMajorVersion: number;
}
export const engineVersionSchema: PolicyConfigSchema = {
    properties: {
        minRedisMajorVersion: {
            type: "integer",
            minimum: 2,
            maximum: 99,
            default: 6,
            description:
                "Oldest Redis OSS major version allowed (4 and 5 are in paid extended support since 31 Jan 2026, " +
                "6 from 31 Jan 2027).",
        },
    },
};

/** The major version of "7.1", "6.x", "5.0.6"; undefined when it is not a version. */
export function majorVersion(v: string): number | undefined {
    const m = /^([0-9]+)(\.|$)/.exec(v.trim());
    return m ? Number(m[1]) : undefined;
}

interface EngineProps {
    engine?: string;
    engineVersion?: string;
}

export const elasticacheSupportedEngineVersion: ResourceValidationPolicy = {
    name: ENGINE_VERSION_POLICY,
    description: "ElastiCache Redis OSS engines older than 6 are in paid extended support; use 7.x or Valkey.",
    enforcementLevel: "advisory",
    configSchema: engineVersionSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        skipReplicationGroupMembers(args, "engine");
        const props = args.props as EngineProps;
        const engine = cacheEngine(args.type, props);
        if (engine !== "redis") {
            args.notApplicable(`engine "${engine || "(not set)"}" is not Redis OSS`);
        }
        if (!isSet(args.props, "engineVersion")) {
            return; // AWS picks its current default version.
        }
        const { minRedisMajorVersion } = policyConfig<EngineVersionConfig>(
            args,
            ENGINE_VERSION_POLICY,
            engineVersionSchema,
        );
        const version = String(props.engineVersion);
        const major = majorVersion(version);
        const who = label(args.type, args.name);
        if (major === undefined) {
            report(
                `${who}: engineVersion "${version}" is not a version (expected e.g. 7.1 or 6.x). Fix: set engineVersion to 7.1.`,
            );
        } else if (major < minRedisMajorVersion) {
            report(
                `${who}: engineVersion "${version}" is Redis ${major}; the oldest allowed is ${minRedisMajorVersion} ` +
                    `(older majors cost extra in AWS's extended support). Fix: upgrade to engineVersion "7.1" (or engine "valkey"), ` +
                    `or lower ${configHint(ENGINE_VERSION_POLICY, "minRedisMajorVersion")}.`,
            );
        }
    }),
};
