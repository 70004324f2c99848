// Deployability of ElastiCache: what the ElastiCache API refuses at `pulumi up` although the provider's
// Check (and so a real preview) lets it through. Mandatory: a violation here is a failed deployment.

import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    cacheNodeTypeProblem,
    engineVersionProblem,
    parameterGroupFamilyFor,
    requiresDataTiering,
} from "./shared/catalog";
import {
    DEFAULT_USER_ID,
    DEFAULT_USER_NAME,
    userGroupLacksDefaultUser,
    userGroupMemberNames,
} from "./shared/elasticache-users";
import {
    NO_CONFIG,
    T,
    dependenciesOf,
    forTypes,
    isReplicationGroupMember,
    isSet,
    isUnknown,
    knownValue,
    label,
    rawProps,
} from "./lib/util";

// --- elasticache-cluster-mode-failover ---

export const CLUSTER_MODE_FAILOVER_POLICY = "elasticache-cluster-mode-failover";

/**
 * Source: CreateReplicationGroup, AutomaticFailoverEnabled: "must be enabled for Redis OSS (cluster mode
 * enabled) replication groups" (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html).
 */
export const elasticacheClusterModeFailover: ResourceValidationPolicy = {
    name: CLUSTER_MODE_FAILOVER_POLICY,
    description:
        "Cluster mode requires automatic failover (CreateReplicationGroup refuses it off), even without replicas.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes([T.replicationGroup], (args, report) => {
        const props = args.props;
        if (knownValue<string>(props, "clusterMode") !== "enabled") {
            args.notApplicable("cluster mode is not enabled");
        }
        if (
            knownValue<boolean>(props, "automaticFailoverEnabled") !== true &&
            !isUnknown(rawProps(props).automaticFailoverEnabled)
        ) {
            report(
                `${label(args.type, args.name)}: clusterMode "enabled" with automaticFailoverEnabled off; ElastiCache ` +
                    `refuses it. Fix: set automaticFailoverEnabled: true.`,
            );
        }
    }),
};

// --- elasticache-creatable ---

export const CREATABLE_POLICY = "elasticache-creatable";

/**
 * Node types and engine versions ElastiCache creates today, from the dated catalog (shared/catalog-data.ts):
 * previous-generation nodes (cache.t2.micro included), r6gd without data tiering, Redis OSS after 7.1,
 * Valkey before 7.2.
 */
export const elasticacheCreatable: ResourceValidationPolicy = {
    name: CREATABLE_POLICY,
    description:
        "ElastiCache must be able to create the cache: a current-generation node type (cache.t3.micro, not cache.t2.micro), data tiering where the family requires it, and an engine version it offers.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes([T.replicationGroup, T.cacheCluster], (args, report) => {
        const props = args.props;
        if (isReplicationGroupMember(args.type, props)) {
            args.notApplicable("the cluster belongs to a replication group, which is checked");
        }
        const who = label(args.type, args.name);
        const nodeType = knownValue<string>(props, "nodeType");
        // An engine unknown until apply is not judged; an absent one is the provider's default, redis.
        const engineKnown = isUnknown(rawProps(props).engine)
            ? undefined
            : (knownValue<string>(props, "engine") ?? "redis");
        if (nodeType !== undefined) {
            const problem = cacheNodeTypeProblem(nodeType, engineKnown);
            if (problem) {
                report(`${who}: ${problem}. Fix: set nodeType to a current-generation type.`);
            } else if (requiresDataTiering(nodeType) && knownValue<boolean>(props, "dataTieringEnabled") !== true) {
                report(
                    `${who}: ${nodeType} requires data tiering (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html). ` +
                        `Fix: set dataTieringEnabled: true, or use an r7g node.`,
                );
            }
        }
        const engine = engineKnown?.toLowerCase();
        const version = knownValue<string>(props, "engineVersion");
        if (version !== undefined && (engine === "redis" || engine === "valkey")) {
            const problem = engineVersionProblem(engine, version);
            if (problem) {
                report(`${who}: ${problem}. Fix: set engineVersion to one ElastiCache offers.`);
            }
        }
        // Source: CreateReplicationGroup/CreateCacheCluster DataTieringEnabled, "only supported for ... the r6gd
        // node type" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html).
        if (
            nodeType !== undefined &&
            !requiresDataTiering(nodeType) &&
            knownValue<boolean>(props, "dataTieringEnabled") === true
        ) {
            report(
                `${who}: dataTieringEnabled on ${nodeType}; ElastiCache offers data tiering only on r6gd nodes. Fix: drop dataTieringEnabled, or use a cache.r6gd node.`,
            );
        }
        // Source: CreateReplicationGroup/CreateCacheCluster CacheSecurityGroupNames, "Use this parameter only when
        // you are creating a cluster outside of an Amazon Virtual Private Cloud"; with CacheSubnetGroupName
        // ElastiCache fails with InvalidParameterCombination.
        const cacheSecurityGroups = knownValue<unknown[]>(props, "securityGroupNames");
        if (Array.isArray(cacheSecurityGroups) && cacheSecurityGroups.length > 0 && isSet(props, "subnetGroupName")) {
            report(
                `${who}: securityGroupNames (cache security groups) with a subnet group; ElastiCache refuses cache security groups in a VPC. Fix: use securityGroupIds.`,
            );
        }
        const arns = knownValue<unknown[]>(props, "snapshotArns") ?? [];
        for (const arn of arns.filter((a): a is string => typeof a === "string" && a.includes(","))) {
            report(
                `${who}: snapshotArns item "${arn}" contains a comma; ElastiCache splits the list on commas ` +
                    `(https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html). Fix: rename the S3 object.`,
            );
        }
    }),
};

// --- elasticache-user-group-default-user ---

export const USER_GROUP_DEFAULT_USER_POLICY = "elasticache-user-group-default-user";
const USER_GROUP = "aws:elasticache/userGroup:UserGroup";
const USER = "aws:elasticache/user:User";

/** Rule and source: shared/elasticache-users.ts (userGroupLacksDefaultUser). */
export const elasticacheUserGroupDefaultUser: StackValidationPolicy = {
    name: USER_GROUP_DEFAULT_USER_POLICY,
    description: "A Redis OSS user group must contain a user named default (CreateUserGroup: DefaultUserRequired).",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateStack: (args, report) => {
        const groups = args.resources.filter((r) => r.type === USER_GROUP);
        if (groups.length === 0) {
            args.notApplicable("the stack has no ElastiCache user group");
        }
        for (const group of groups) {
            const raw = rawProps(group.props);
            if (isUnknown(raw.userIds)) {
                continue;
            }
            const ids = Array.isArray(raw.userIds) ? raw.userIds : [];
            const users = dependenciesOf(group, "userIds").filter((d) => d.type === USER);
            const lacks = userGroupLacksDefaultUser({
                engine: isUnknown(raw.engine) ? undefined : knownValue<string>(group.props, "engine"),
                memberNames: userGroupMemberNames(
                    ids.map((id) => (typeof id === "string" && !isUnknown(id) ? id : undefined)),
                    users.map((u) => ({
                        userId: knownValue<string>(u.props, "userId"),
                        userName: knownValue<string>(u.props, "userName"),
                    })),
                ),
            });
            if (lacks === true) {
                report(
                    `${label(group.type, group.name)}: no user named "${DEFAULT_USER_NAME}"; ElastiCache refuses a Redis OSS user group without one (DefaultUserRequired). ` +
                        `Fix: add the "${DEFAULT_USER_ID}" user id, or a user of your own with userName "${DEFAULT_USER_NAME}" (its access string can be "off").`,
                    group.urn,
                );
            }
        }
    },
};

// --- elasticache-parameter-group-family ---

export const PARAMETER_GROUP_FAMILY_POLICY = "elasticache-parameter-group-family";

const CLUSTER_ENABLED = "cluster-enabled";

function parameterValue(group: PolicyResource, name: string): string | undefined {
    const parameters = knownValue<unknown[]>(group.props, "parameters") ?? [];
    for (const p of parameters) {
        const item = p as { name?: unknown; value?: unknown };
        if (item.name === name && typeof item.value === "string") {
            return item.value;
        }
    }
    return undefined;
}

/**
 * Source: "Parameter groups: the parameter group family must match the engine version"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.html) and cluster-enabled
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html): a cluster-mode group
 * needs a parameter group with cluster-enabled yes, and a non-cluster group one with no.
 */
export const elasticacheParameterGroupFamily: StackValidationPolicy = {
    name: PARAMETER_GROUP_FAMILY_POLICY,
    description:
        "A replication group's parameter group must be of its engine version's family, with cluster-enabled matching its cluster mode.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateStack: (args, report) => {
        const groups = args.resources.filter((r) => r.type === T.replicationGroup);
        if (groups.length === 0) {
            args.notApplicable("the stack has no replication group");
        }
        for (const group of groups) {
            const [parameters] = dependenciesOf(group, "parameterGroupName").filter(
                (d) => d.type === "aws:elasticache/parameterGroup:ParameterGroup",
            );
            if (!parameters) {
                continue; // a default or existing parameter group: AWS picks or owns it.
            }
            const who = label(group.type, group.name);
            const engine = (knownValue<string>(group.props, "engine") ?? "redis").toLowerCase();
            const version = knownValue<string>(group.props, "engineVersion");
            const family = knownValue<string>(parameters.props, "family");
            const expected =
                version !== undefined && (engine === "redis" || engine === "valkey")
                    ? parameterGroupFamilyFor(engine, version)
                    : undefined;
            if (expected !== undefined && family !== undefined && family !== expected) {
                report(
                    `${who}: parameter group "${parameters.name}" is family ${family}, but ${engine} ${version} needs ${expected}. Fix: set family to ${expected}.`,
                    group.urn,
                );
            }
            const clusterMode = knownValue<string>(group.props, "clusterMode");
            // Families default cluster-enabled to no (default.redis7 vs default.redis7.cluster.on).
            const enabled = parameterValue(parameters, CLUSTER_ENABLED) ?? "no";
            // An unknown list or value (set from another resource's output) is only known at `pulumi up`.
            if (
                clusterMode !== undefined &&
                clusterMode !== "compatible" &&
                !isUnknown(rawProps(parameters.props).parameters) &&
                !isUnknown(enabled)
            ) {
                const wanted = clusterMode === "enabled" ? "yes" : "no";
                if (enabled !== wanted) {
                    report(
                        `${who}: clusterMode "${clusterMode}" with parameter group "${parameters.name}" setting ${CLUSTER_ENABLED} ${enabled}. Fix: set ${CLUSTER_ENABLED} to ${wanted}.`,
                        group.urn,
                    );
                }
            }
        }
    },
};
