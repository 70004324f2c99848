// Free-tier guardrails: free-tier node and instance types, and the free tier's node-hours (the cost estimate and
// the budget are policy/shared/cost/ and budget.ts).

import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { FREE_TIER_CACHE_NODE_TYPE } from "./shared/catalog-data";
import { type PolicyConfigSchema } from "./shared/policy-config";
import {
    CACHE_TYPES,
    T,
    configHint,
    forTypes,
    fmtList,
    isReplicationGroupMemberInStack,
    isSet,
    label,
    policyConfig,
    programSetProps,
    skipReplicationGroupMembers,
} from "./lib/util";

import { FREE_PLAN_INSTANCE_TYPES, FREE_TIER_INSTANCE_TYPES } from "./shared/cost/free-tier";

/**
 * AWS's ElastiCache free-tier node that can still be created: cache.t2.micro is previous generation (see
 * FREE_TIER_CACHE_NODE_TYPE in shared/catalog-data.ts).
 */
export const FREE_TIER_NODE_TYPES = [FREE_TIER_CACHE_NODE_TYPE];
// The EC2 free tier's types are defined once, with the estimate's free-tier accounting.
export { FREE_PLAN_INSTANCE_TYPES, FREE_TIER_INSTANCE_TYPES };

const typeList = (description: string, defaults: string[]) => ({
    type: "array" as const,
    items: { type: "string" as const, minLength: 1 },
    minItems: 1,
    uniqueItems: true,
    default: defaults,
    description,
});

// --- elasticache-free-tier-node-type ---

export const NODE_TYPE_POLICY = "elasticache-free-tier-node-type";
export interface NodeTypeConfig {
    allowedNodeTypes: string[];
}
export const nodeTypeSchema: PolicyConfigSchema = {
    properties: {
        allowedNodeTypes: typeList("ElastiCache node types allowed (default: AWS's free tier).", FREE_TIER_NODE_TYPES),
    },
};

interface NodeTypeProps {
    nodeType?: string;
    globalReplicationGroupId?: string;
}

export const elasticacheFreeTierNodeType: ResourceValidationPolicy = {
    name: NODE_TYPE_POLICY,
    description:
        "ElastiCache node types must be in the allow-list (by default AWS's free-tier node that can be created: cache.t3.micro).",
    enforcementLevel: "mandatory",
    configSchema: nodeTypeSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        const props = args.props as NodeTypeProps;
        skipReplicationGroupMembers(args, "node type");
        const { allowedNodeTypes } = policyConfig<NodeTypeConfig>(args, NODE_TYPE_POLICY, nodeTypeSchema);
        const who = label(args.type, args.name);
        if (!isSet(args.props, "nodeType")) {
            if (isSet(args.props, "globalReplicationGroupId")) {
                args.notApplicable("the node type comes from the global replication group");
            }
            report(
                `${who}: nodeType is not set; allowed: ${fmtList(allowedNodeTypes)}. ` +
                    `Fix: set nodeType to one of them.`,
            );
            return;
        }
        const nodeType = String(props.nodeType);
        if (!allowedNodeTypes.includes(nodeType)) {
            report(
                `${who}: nodeType "${nodeType}" is not allowed; allowed: ${fmtList(allowedNodeTypes)}. ` +
                    `Fix: use one of them, or allow it in ${configHint(NODE_TYPE_POLICY, "allowedNodeTypes")}.`,
            );
        }
    }),
};

// --- ec2-free-tier-instance-type ---

export const INSTANCE_TYPE_POLICY = "ec2-free-tier-instance-type";
export interface InstanceTypeConfig {
    allowedInstanceTypes: string[];
    includeFreePlanTypes: boolean;
}
export const instanceTypeSchema: PolicyConfigSchema = {
    properties: {
        allowedInstanceTypes: typeList(
            "EC2 instance types allowed (default: AWS's free tier).",
            FREE_TIER_INSTANCE_TYPES,
        ),
        includeFreePlanTypes: {
            type: "boolean",
            default: false,
            description: `Also allow the free plan's types (accounts created from 15 July 2025): ${FREE_PLAN_INSTANCE_TYPES.join(", ")}.`,
        },
    },
};

export function allowedInstanceTypes(c: InstanceTypeConfig): string[] {
    const all = c.includeFreePlanTypes
        ? [...c.allowedInstanceTypes, ...FREE_PLAN_INSTANCE_TYPES]
        : c.allowedInstanceTypes;
    return [...new Set(all)];
}

interface InstanceTypeProps {
    instanceType?: string;
}

export const ec2FreeTierInstanceType: ResourceValidationPolicy = {
    name: INSTANCE_TYPE_POLICY,
    description:
        "EC2 instance and launch template types must be in the allow-list (by default AWS's free tier: t2.micro, t3.micro).",
    enforcementLevel: "mandatory",
    configSchema: instanceTypeSchema,
    validateResource: forTypes([T.instance, T.launchTemplate], (args, report) => {
        const props = args.props as InstanceTypeProps;
        const allowed = allowedInstanceTypes(
            policyConfig<InstanceTypeConfig>(args, INSTANCE_TYPE_POLICY, instanceTypeSchema),
        );
        const who = label(args.type, args.name);
        if (!isSet(args.props, "instanceType")) {
            if (args.type === T.launchTemplate) {
                args.notApplicable("the launch template leaves the instance type to whoever launches it");
            }
            if (isSet(args.props, "launchTemplate")) {
                args.notApplicable("the instance type comes from its launch template, which is checked");
            }
            report(
                `${who}: instanceType is not set; allowed: ${fmtList(allowed)}. Fix: set instanceType to one of them.`,
            );
            return;
        }
        const instanceType = String(props.instanceType);
        if (!allowed.includes(instanceType)) {
            report(
                `${who}: instanceType "${instanceType}" is not allowed; allowed: ${fmtList(allowed)}. ` +
                    `Fix: use one of them, or allow it in ${configHint(INSTANCE_TYPE_POLICY, "allowedInstanceTypes")}` +
                    ` (or "includeFreePlanTypes": true for accounts on the post-July-2025 free plan).`,
            );
        }
    }),
};

// --- elasticache-free-tier-hours ---

export const FREE_HOURS_POLICY = "elasticache-free-tier-hours";
export interface FreeHoursConfig {
    freeNodeHours: number;
    hoursPerMonth: number;
}
export const freeHoursSchema: PolicyConfigSchema = {
    properties: {
        freeNodeHours: {
            type: "integer",
            minimum: 0,
            default: 750,
            description: "Node-hours a month the free tier covers.",
        },
        hoursPerMonth: {
            type: "integer",
            minimum: 672,
            maximum: 744,
            default: 744,
            description: "Hours in the month to plan for (744 = 31 days, the worst case).",
        },
    },
};

interface NodeCountProps {
    numCacheClusters?: number;
    numNodeGroups?: number;
    replicasPerNodeGroup?: number;
    nodeGroupConfigurations?: { replicaCount?: number }[];
    numCacheNodes?: number;
}

/**
 * Nodes a cache runs, with the provider's defaults: a replication group has `numCacheClusters` nodes when it is
 * set (it conflicts with the shard settings in terraform-provider-aws), else `numNodeGroups` shards (default 1)
 * of 1 primary + `replicasPerNodeGroup` replicas when either is set, else one node per `nodeGroupConfigurations`
 * entry plus its replicas, else 1 (CreateReplicationGroup's NumCacheClusters default); a standalone cluster has
 * `numCacheNodes` (default 1). `raw` holds what the program set (in a stack policy, without the outputs the
 * provider computes: programSetProps); values are read through the proxy: the program's unknown counts keep the
 * engine's "can't run during preview" semantics.
 */
export function cacheNodeCount(type: string, props: NodeCountProps, raw: Record<string, unknown>): number {
    if (type === T.cacheCluster) {
        return raw.numCacheNodes === undefined ? 1 : Number(props.numCacheNodes);
    }
    if (raw.numCacheClusters !== undefined) {
        return Number(props.numCacheClusters);
    }
    if (raw.numNodeGroups !== undefined || raw.replicasPerNodeGroup !== undefined) {
        const shards = raw.numNodeGroups === undefined ? 1 : Number(props.numNodeGroups);
        const replicas = raw.replicasPerNodeGroup === undefined ? 0 : Number(props.replicasPerNodeGroup);
        return shards * (1 + replicas);
    }
    if (raw.nodeGroupConfigurations !== undefined) {
        const groups = props.nodeGroupConfigurations ?? [];
        let n = 0;
        for (const g of groups) {
            n += 1 + (g.replicaCount === undefined ? 0 : Number(g.replicaCount));
        }
        return n;
    }
    return 1;
}

export const elasticacheFreeTierHours: StackValidationPolicy = {
    name: FREE_HOURS_POLICY,
    description: "All cache nodes together must fit the ElastiCache free tier's 750 node-hours a month.",
    enforcementLevel: "advisory",
    configSchema: freeHoursSchema,
    validateStack: (args, report) => {
        const caches = args.resources.filter(
            (r) => CACHE_TYPES.includes(r.type) && !isReplicationGroupMemberInStack(r),
        );
        if (caches.length === 0) {
            args.notApplicable("the stack has no ElastiCache cache");
        }
        const { freeNodeHours, hoursPerMonth } = policyConfig<FreeHoursConfig>(
            args,
            FREE_HOURS_POLICY,
            freeHoursSchema,
        );
        const counts = caches.map((r) => ({
            r,
            nodes: cacheNodeCount(r.type, r.props as NodeCountProps, programSetProps(r)),
        }));
        const total = counts.reduce((s, c) => s + c.nodes, 0);
        const hours = total * hoursPerMonth;
        if (hours > freeNodeHours) {
            const detail = counts.map((c) => `${label(c.r.type, c.r.name)}: ${c.nodes}`).join(", ");
            report(
                `${total} cache node(s) (${detail}) run ${hours} node-hours in a ${hoursPerMonth}-hour month; ` +
                    `the free tier covers ${freeNodeHours}. Fix: one node (numCacheClusters 1, no replicas, no extra shards), ` +
                    `or accept the cost and disable this policy for the stack in policy/config/<stack>.json.`,
            );
        }
    },
};
