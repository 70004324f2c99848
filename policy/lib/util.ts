// Helpers shared by the policy modules: type tokens, applicability, config, unknown-aware reads.

import type {
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidationArgs,
} from "@pulumi/policy";
import { type PolicyConfigSchema, resolvePolicyConfig } from "../shared/policy-config";

// The published proxy.d.ts is empty, so the module is typed here. Only the sentinels and the
// proxy-target key are used: they let a policy *see* that a value is unknown without reading it
// through the unknown-checking proxy (which would throw and turn the policy into an advisory).
interface ProxyModule {
    getSpecialProxyTarget: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    unknownObjectValue: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as ProxyModule;

const SENTINELS = new Set<unknown>([
    proxy.unknownBooleanValue,
    proxy.unknownNumberValue,
    proxy.unknownStringValue,
    proxy.unknownArrayValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
    proxy.unknownObjectValue,
]);

/** Resource type tokens (strings, so the pack does not load all of @pulumi/aws at start-up). */
export const T = {
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheCluster: "aws:elasticache/cluster:Cluster",
    instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    vpcIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    vpcEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    vpc: "aws:ec2/vpc:Vpc",
    defaultVpc: "aws:ec2/defaultVpc:DefaultVpc",
    networkInterface: "aws:ec2/networkInterface:NetworkInterface",
    lambdaFunction: "aws:lambda/function:Function",
} as const;

export const CACHE_TYPES: readonly string[] = [T.replicationGroup, T.cacheCluster];

/** Whether `v` is one of the engine's "unknown during preview" sentinels. */
export function isUnknown(v: unknown): boolean {
    return SENTINELS.has(v);
}

/**
 * The plain object behind the unknown-checking proxy (or `props` itself when it is not proxied).
 * Reading from it never throws; use it only to decide *whether* a key is set or unknown, and read
 * values that matter through the proxy so unknowns keep the engine's semantics.
 */
export function rawProps(props: Record<string, unknown>): Record<string, unknown> {
    const target = props[proxy.getSpecialProxyTarget];
    return (target ?? props) as Record<string, unknown>;
}

/** Whether the input `key` is set at all (known or unknown), without reading its value. */
export function isSet(props: Record<string, unknown>, key: string): boolean {
    const raw = rawProps(props);
    return raw[key] !== undefined && raw[key] !== null;
}

/**
 * The known value of `key` (read raw, never through the unknown-checking proxy), or undefined when it is
 * unset or unknown: for rules that must stay silent on what a preview does not know.
 */
export function knownValue<V>(props: Record<string, unknown>, key: string): V | undefined {
    const v = rawProps(props)[key];
    return v === undefined || v === null || isUnknown(v) ? undefined : (v as V);
}

/** "aws:elasticache/replicationGroup:ReplicationGroup" -> "aws.elasticache.ReplicationGroup". */
export function shortType(type: string): string {
    const m = /^([^:]+):([^/:]+)\/[^:]+:(.+)$/.exec(type);
    return m ? `${m[1]}.${m[2]}.${m[3]}` : type;
}

export function label(type: string, name: string): string {
    return `${shortType(type)} "${name}"`;
}

/**
 * A resource validation for one or more types. Other types are marked not applicable through
 * `args.notApplicable` (which throws), as `validateResourceOfType` does; with a single type the
 * `__pulumiType` tag lets the server skip the call entirely.
 */
export function forTypes(
    types: readonly string[],
    validate: (args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
    const fn: ResourceValidation & { __pulumiType?: string } = (args, report) => {
        if (!types.includes(args.type)) {
            args.notApplicable(`Policy only applies to resources of type ${types.map((t) => `'${t}'`).join(" or ")}`);
        }
        validate(args, report);
    };
    if (types.length === 1) {
        fn.__pulumiType = types[0];
    }
    return fn;
}

/** The config schema of a policy that takes no settings: what it checks is AWS's rule, not negotiable. */
export const NO_CONFIG: PolicyConfigSchema = { properties: {} };

/** The policy's effective config: schema defaults + `getConfig()`, validated (throws PolicyConfigError). */
export function policyConfig<C>(
    args: ResourceValidationArgs | StackValidationArgs,
    policyName: string,
    schema: PolicyConfigSchema,
): C {
    return resolvePolicyConfig<C>(policyName, schema, args.getConfig<Record<string, unknown>>());
}

/** Where to tune a policy, for violation messages. */
export function configHint(policyName: string, key: string): string {
    return `policy/config/<stack>.json ("${policyName}": { "${key}": ... })`;
}

/** Whether an aws.elasticache.Cluster belongs to a replication group (whose settings then apply). */
export function isReplicationGroupMember(type: string, props: Record<string, unknown>): boolean {
    return type === T.cacheCluster && isSet(props, "replicationGroupId");
}

/**
 * Members of a replication group inherit `setting` from the group, which is checked instead: the policy does
 * not apply to them.
 */
export function skipReplicationGroupMembers(args: ResourceValidationArgs, setting: string): void {
    if (isReplicationGroupMember(args.type, args.props)) {
        args.notApplicable(`the cluster belongs to a replication group, which is checked for its ${setting}`);
    }
}

/** The engine of a cache, lower-cased; ReplicationGroup's default is "redis". Reads through the proxy. */
export function cacheEngine(type: string, props: { engine?: string }): string {
    const engine = props.engine;
    if (engine === undefined || engine === null) {
        return type === T.replicationGroup ? "redis" : "";
    }
    return String(engine).toLowerCase();
}

/** Resources that `r` depends on through input `key`, from the engine's propertyDependencies. */
export function dependenciesOf(r: PolicyResource, key: string): PolicyResource[] {
    return r.propertyDependencies?.[key] ?? [];
}

/**
 * Whether a stack policy's `key` of `r` is an output the provider computes that the program left unset. In a
 * preview AnalyzeStack gets each new resource's planned outputs (pulumi/pulumi step_generator.go: "AnalyzeStack
 * is called on the final outputs"), where such an output is unknown; the program's own unknowns come from other
 * resources' outputs, so they have property dependencies (the SDK sends them per input). Such a value is known
 * at creation wherever AWS documents it (a default, or what the set inputs imply), which is what a stack policy
 * may judge instead of answering "can't run during preview".
 */
export function isComputedUnset(r: PolicyResource, key: string): boolean {
    return isUnknown(rawProps(r.props)[key]) && dependenciesOf(r, key).length === 0;
}

/**
 * `r`'s raw properties without the outputs the provider computes that the program left unset (see
 * isComputedUnset): what the program set, as a resource policy sees it.
 */
export function programSetProps(r: PolicyResource): Record<string, unknown> {
    const raw = rawProps(r.props);
    return Object.fromEntries(Object.entries(raw).filter(([k]) => !isComputedUnset(r, k)));
}

/**
 * In a stack policy: whether a cache cluster belongs to a replication group. A standalone cluster's
 * replicationGroupId is computed, so unknown in a preview; the program sets a member's.
 */
export function isReplicationGroupMemberInStack(r: PolicyResource): boolean {
    return isReplicationGroupMember(r.type, r.props) && !isComputedUnset(r, "replicationGroupId");
}

export function fmtList(xs: readonly unknown[]): string {
    return `[${xs.map((x) => String(x)).join(", ")}]`;
}
