// Data protection: a cache that keeps backups must not lose its data to a delete or a replace.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type PolicyConfigSchema } from "./shared/policy-config";
import {
    CACHE_TYPES,
    T,
    cacheEngine,
    forTypes,
    isSet,
    knownValue,
    label,
    skipReplicationGroupMembers,
} from "./lib/util";

export const DATA_PROTECTION_POLICY = "elasticache-data-protection";
/** Nothing to tune: the rule is whether backups are kept, and the level says how much that matters per stack. */
export const dataProtectionSchema: PolicyConfigSchema = { properties: {} };

interface DataProtectionProps {
    snapshotRetentionLimit?: number;
    finalSnapshotIdentifier?: string;
    engine?: string;
}

/**
 * Backups are deleted with their cache (ElastiCache removes automatic snapshots when the group goes), so the
 * retention a stack pays for protects nothing against `pulumi destroy` or a replacing change unless the delete
 * takes a final snapshot (`finalSnapshotIdentifier`, DeleteReplicationGroup's FinalSnapshotIdentifier) or the
 * engine refuses the delete (Pulumi `protect`, which CrossGuard passes as `args.opts.protect`). `retainOnDelete`
 * is not among the options CrossGuard passes (@pulumi/policy 1.21 `PolicyResourceOptions`), so it cannot count.
 */
export const elasticacheDataProtection: ResourceValidationPolicy = {
    name: DATA_PROTECTION_POLICY,
    description:
        "An ElastiCache cache that keeps backups must take a final snapshot on delete (finalSnapshotIdentifier) " +
        "or be protected (Pulumi protect): its automatic backups are deleted with it.",
    enforcementLevel: "advisory",
    configSchema: dataProtectionSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        skipReplicationGroupMembers(args, "data protection");
        const props = args.props as DataProtectionProps;
        if (args.type === T.cacheCluster && cacheEngine(args.type, props) === "memcached") {
            args.notApplicable("memcached has no backups");
        }
        // AWS's default retention is 0: no backups, nothing kept to lose.
        if (!isSet(args.props, "snapshotRetentionLimit") || Number(props.snapshotRetentionLimit) === 0) {
            return;
        }
        if (args.opts.protect) {
            return;
        }
        // Present is enough when the value is unknown in preview: the program computed it (redis-stack appends a
        // per-deploy random suffix), and an identifier computed from another resource is a name, not "". Read raw
        // (knownValue), so an unknown gives a verdict instead of "can't run policy during preview".
        if (isSet(args.props, "finalSnapshotIdentifier") && knownValue(args.props, "finalSnapshotIdentifier") !== "") {
            return;
        }
        report(
            `${label(args.type, args.name)}: keeps ${Number(props.snapshotRetentionLimit)} day(s) of backups, but a ` +
                "delete or replace would drop them with the cache: no finalSnapshotIdentifier and not protected. " +
                "Fix: set finalSnapshotIdentifier (redis-stack:redisFinalSnapshot true) or protect the resource " +
                "(redis-stack:redisProtect true).",
        );
    }),
};
