// What each resource type costs a month: the pricing rules of the estimate, one per billed type, and the types
// AWS does not charge for. Pure: no Pulumi imports. Properties are plain values, as a stack policy sees them in a
// preview: the planned outputs, where every output the provider computes and the program left unset is unknown
// until apply. An unknown value is priced only when AWS documents what it will be (its default, or the one value
// the rest of the resource allows; each basis names that assumption), or when every value it can take is priced
// (then the highest); otherwise the resource is unpriced (never silently free). Sources: the price pages listed
// in prices.ts; the defaults' sources next to each.

import {
    type FreeTierPool,
    legacyFreeTierInstanceType,
    FREE_TIER_NODE_HOURS_TYPES,
    FREE_TIER_VOLUME_TYPES,
} from "./free-tier";
import { type PricedCacheEngine, type RegionPrices } from "./price-table";

/** Hours in the month the estimate prices (AWS's own calculator uses 730). */
export const HOURS_PER_MONTH = 730;

/** Volumes and data the program does not declare: stated in every basis that uses them. */
export interface CostAssumptions {
    /** GB of data in each cache, the size of each backup. */
    cacheDataGb: number;
    /** GB ingested a month by each CloudWatch log group. */
    logIngestionGbPerGroup: number;
    /** GB processed a month by each NAT gateway. */
    natDataGbPerGateway: number;
}
export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
    cacheDataGb: 1,
    logIngestionGbPerGroup: 0.5,
    natDataGbPerGateway: 10,
};

/** One billed quantity of a resource. */
export interface Charge {
    /** "6 nodes x 730 h x $0.158/h (cache.m7g.large, Redis OSS)". */
    basis: string;
    quantity: number;
    unitPrice: number;
    /** The unit of `quantity`, for the free-tier note ("node-hours"). */
    unit: string;
    /** The free-tier allowance the quantity draws on, if any. */
    pool?: FreeTierPool;
}

/** A resource the estimate cannot price: the reason is reported, the resource is never counted as free. */
export class Unpriceable extends Error {}

export interface RuleContext {
    prices: RegionPrices;
    region: string;
    assumptions: CostAssumptions;
    isUnknown: (v: unknown) => boolean;
    /**
     * Whether the stack may declare a VPC of dedicated instance tenancy (set so, or unknown): then an instance's
     * unknown tenancy is not assumed `default`.
     */
    dedicatedVpc?: boolean;
    /** Keys of this resource the program set from other resources' outputs (see CostResource.setFromOutputs). */
    setFromOutputs?: ReadonlySet<string>;
}

/**
 * Whether `key` is an output the provider computes that the program left unset: unknown, and not set by the
 * program from another resource's output (an unknown of the program's own is never assumed to be a default).
 */
export function isComputedUnset(props: Record<string, unknown>, key: string, ctx: RuleContext): boolean {
    return ctx.isUnknown(props[key]) && !(ctx.setFromOutputs?.has(key) ?? false);
}

type Rule = (props: Record<string, unknown>, ctx: RuleContext) => Charge[];

/** Types AWS does not charge for (their traffic and the resources inside them are billed elsewhere). */
const NO_CHARGE_TYPES = new Set([
    "aws:ec2/vpc:Vpc",
    "aws:ec2/defaultVpc:DefaultVpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/defaultRouteTable:DefaultRouteTable",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ec2/keyPair:KeyPair",
    "aws:elasticache/parameterGroup:ParameterGroup",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:elasticache/user:User",
    "aws:elasticache/userGroup:UserGroup",
    "aws:kms/alias:Alias",
]);
/** Whole packages with no charge: IAM, and `random` (computed by the provider, nothing in the cloud). */
const NO_CHARGE_PREFIXES = ["aws:iam/", "random:"];

/**
 * SSM's PutParameter without a tier "assigns the tier based on the current Parameter Store default tier
 * configuration"; "the default tier when you begin using Parameter Store is the standard-parameter tier"
 * (botocore ssm PutParameterRequest.Tier). A tier unknown until apply is priced as that default.
 */
export const SSM_TIER_ASSUMPTION =
    "tier unknown until apply: AWS's default Standard, unless the account's default tier was changed to Advanced or Intelligent-Tiering";

/**
 * The basis of a resource AWS does not charge for ("no charge", or with the assumption it rests on), else
 * undefined.
 */
export function noChargeBasis(
    type: string,
    props: Record<string, unknown>,
    isUnknown: (v: unknown) => boolean,
    setFromOutputs: ReadonlySet<string> = new Set(),
): string | undefined {
    if (NO_CHARGE_TYPES.has(type) || NO_CHARGE_PREFIXES.some((p) => type.startsWith(p))) return "no charge";
    if (type === "aws:ssm/parameter:Parameter") {
        // Standard parameters are free; advanced ones are not in the price table (unpriced by the rule below).
        const tier = props.tier;
        if (tier === undefined || tier === null || tier === "Standard") return "no charge";
        return isUnknown(tier) && !setFromOutputs.has("tier") ? `no charge (${SSM_TIER_ASSUMPTION})` : undefined;
    }
    // A replication group's member clusters are billed as the group's nodes. The program sets a member's
    // replicationGroupId (known, or from the group's output); a standalone cluster's is computed, unknown in a
    // preview.
    if (type === "aws:elasticache/cluster:Cluster" && props.replicationGroupId != null) {
        if (!isUnknown(props.replicationGroupId) || setFromOutputs.has("replicationGroupId")) {
            return "no charge";
        }
    }
    return undefined;
}

const usd = (p: number) => `$${p}`;
// One formatter for all quantities: toLocaleString builds a new Intl formatter per call, too slow for big stacks.
const QUANTITY = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });
/** 1460 -> "1,460", 0.2333 -> "0.233". */
export const fmtNum = (n: number) => QUANTITY.format(n);
const plural = (n: number, word: string) => `${fmtNum(n)} ${word}${n === 1 ? "" : "s"}`;

/** A known input value, or Unpriceable naming the input when it is unknown until apply. */
function known(props: Record<string, unknown>, key: string, ctx: RuleContext): unknown {
    const v = props[key];
    if (ctx.isUnknown(v)) throw new Unpriceable(`${key} is unknown until apply`);
    if (Array.isArray(v) && v.some((x) => ctx.isUnknown(x))) throw new Unpriceable(`${key} is unknown until apply`);
    return v;
}
function knownNumber(props: Record<string, unknown>, key: string, ctx: RuleContext, dflt: number): number {
    const v = known(props, key, ctx);
    return v === undefined || v === null ? dflt : Number(v);
}
function knownString(props: Record<string, unknown>, key: string, ctx: RuleContext): string | undefined {
    const v = known(props, key, ctx);
    return v === undefined || v === null ? undefined : String(v);
}

const ENGINE_NAMES: Record<PricedCacheEngine, string> = {
    redis: "Redis OSS",
    valkey: "Valkey",
    memcached: "Memcached",
};

function nodeHourly(ctx: RuleContext, engine: string, nodeType: string): number {
    const byType = ctx.prices.cacheNodeHourly[engine as PricedCacheEngine];
    if (!byType) throw new Unpriceable(`engine "${engine}" is not in the price table (redis, valkey, memcached)`);
    const price = byType[nodeType];
    if (price === undefined) {
        throw new Unpriceable(
            `no price for node type ${nodeType} (${ENGINE_NAMES[engine as PricedCacheEngine]}) in ${ctx.region}`,
        );
    }
    return price;
}

/** A set, known value (not absent, null or unknown until apply). */
function isKnownSet(props: Record<string, unknown>, key: string, ctx: RuleContext): boolean {
    const v = props[key];
    return v !== undefined && v !== null && !ctx.isUnknown(v);
}

/** A replication group's node count, and the assumption it rests on when part of it is unknown until apply. */
export interface NodeCount {
    nodes: number;
    assumed?: string;
}

/**
 * Nodes of a replication group. In a preview of its create the provider computes whichever of `numCacheClusters`,
 * `numNodeGroups`, `replicasPerNodeGroup` and `nodeGroupConfigurations` the program left unset (unknown until
 * apply), from the ones it set: `numCacheClusters` nodes when it is known (it conflicts with the other three in
 * terraform-provider-aws), else `numNodeGroups` shards (AWS's default 1) of 1 primary + `replicasPerNodeGroup`
 * replicas, else one node per `nodeGroupConfigurations` entry plus its replicas; with none of them known,
 * CreateReplicationGroup's NumCacheClusters "will default to 1" without automatic failover (botocore elasticache
 * CreateReplicationGroupMessage). The same counting as the elasticache-free-tier-hours policy.
 */
export function replicationGroupNodes(props: Record<string, unknown>, ctx: RuleContext): NodeCount {
    if (isKnownSet(props, "numCacheClusters", ctx)) {
        return { nodes: Number(props.numCacheClusters) };
    }
    if (isKnownSet(props, "numNodeGroups", ctx) || isKnownSet(props, "replicasPerNodeGroup", ctx)) {
        // Either set: the other, when computed, is what an unset one gives: NumNodeGroups "Default: 1"; no
        // replicas (ReplicasPerNodeGroup documents no default; an unset one reads as 0 here and in the
        // elasticache-free-tier-hours policy).
        const assumed: string[] = [];
        const count = (key: string, dflt: number): number => {
            if (!isComputedUnset(props, key, ctx)) return knownNumber(props, key, ctx, dflt);
            assumed.push(`${key} unknown until apply: ${dflt}, as when not set`);
            return dflt;
        };
        const nodes = count("numNodeGroups", 1) * (1 + count("replicasPerNodeGroup", 0));
        return assumed.length > 0 ? { nodes, assumed: assumed.join("; ") } : { nodes };
    }
    if (isKnownSet(props, "nodeGroupConfigurations", ctx)) {
        const groups = known(props, "nodeGroupConfigurations", ctx) as Record<string, unknown>[];
        return { nodes: groups.reduce((n, g) => n + 1 + knownNumber(g, "replicaCount", ctx, 0), 0) };
    }
    const counts = ["numCacheClusters", "numNodeGroups", "replicasPerNodeGroup", "nodeGroupConfigurations"];
    for (const k of counts) {
        // The program's own unknown count: unpriced (known() throws).
        if (!isComputedUnset(props, k, ctx)) known(props, k, ctx);
    }
    if (!counts.some((k) => ctx.isUnknown(props[k]))) return { nodes: 1 };
    if (known(props, "automaticFailoverEnabled", ctx) === true) {
        throw new Unpriceable("numCacheClusters is unknown until apply (2 to 6 nodes with automatic failover)");
    }
    return { nodes: 1, assumed: "node count unknown until apply: AWS's default 1 node without automatic failover" };
}

/**
 * The engine of a replication group. An unknown one is priced as Redis OSS: a replication group runs redis or
 * valkey (botocore 1.29's CreateReplicationGroupMessage.Engine: "Must be Redis", from before Valkey; AWS's
 * engine-versions page adds valkey), and Redis OSS nodes cost more than Valkey's in the price table.
 */
function replicationGroupEngine(
    props: Record<string, unknown>,
    ctx: RuleContext,
): { engine: string; assumed?: string } {
    if (ctx.isUnknown(props.engine)) {
        return {
            engine: "redis",
            assumed: "engine unknown until apply: priced as Redis OSS, the dearer of redis and valkey",
        };
    }
    return { engine: (knownString(props, "engine", ctx) ?? "redis").toLowerCase() };
}

function cacheCharges(
    props: Record<string, unknown>,
    ctx: RuleContext,
    nodes: number,
    engine: string,
    assumed: (string | undefined)[] = [],
): Charge[] {
    const nodeType = knownString(props, "nodeType", ctx);
    if (nodeType === undefined) throw new Unpriceable("nodeType is not set (a global replication group sets it)");
    const hourly = nodeHourly(ctx, engine, nodeType);
    const notes = assumed.filter((a): a is string => a !== undefined);
    const charges: Charge[] = [
        {
            basis:
                `${plural(nodes, "node")} x ${HOURS_PER_MONTH} h x ${usd(hourly)}/h (${nodeType}, ${ENGINE_NAMES[engine as PricedCacheEngine]})` +
                notes.map((n) => ` [assumed: ${n}]`).join(""),
            quantity: nodes * HOURS_PER_MONTH,
            unitPrice: hourly,
            unit: "node-hours",
            pool: FREE_TIER_NODE_HOURS_TYPES.includes(nodeType) ? "cacheNodeHours" : undefined,
        },
    ];
    // One automatic backup a day, kept `snapshotRetentionLimit` days; ElastiCache stores one backup per cluster
    // free, so (retention - 1) full copies of the data are billed.
    const retention = engine === "memcached" ? 0 : knownNumber(props, "snapshotRetentionLimit", ctx, 0);
    if (retention > 1) {
        const gb = (retention - 1) * ctx.assumptions.cacheDataGb;
        charges.push({
            basis:
                `backups ${retention - 1} x ${fmtNum(ctx.assumptions.cacheDataGb)} GB x ${usd(ctx.prices.cacheBackupGbMonth)}/GB-month ` +
                `(retention ${retention} days, one backup free, assumed ${fmtNum(ctx.assumptions.cacheDataGb)} GB of data: cacheDataGb)`,
            quantity: gb,
            unitPrice: ctx.prices.cacheBackupGbMonth,
            unit: "GB-months",
        });
    }
    return charges;
}

function volumeCharges(
    ctx: RuleContext,
    what: string,
    sizeGb: number,
    type: string,
    iops = 0,
    throughput = 0,
): Charge[] {
    const price = ctx.prices.ebsGbMonth[type];
    if (price === undefined) throw new Unpriceable(`no price for EBS volume type ${type} in ${ctx.region}`);
    const charges: Charge[] = [
        {
            basis: `${what} ${fmtNum(sizeGb)} GB ${type} x ${usd(price)}/GB-month`,
            quantity: sizeGb,
            unitPrice: price,
            unit: "GB-months",
            pool: FREE_TIER_VOLUME_TYPES.includes(type) ? "ebsGb" : undefined,
        },
    ];
    if (type === "gp3" && iops > 3000) {
        const extra = iops - 3000;
        charges.push({
            basis: `${fmtNum(extra)} IOPS above 3,000 x ${usd(ctx.prices.gp3IopsMonth)}/IOPS-month`,
            quantity: extra,
            unitPrice: ctx.prices.gp3IopsMonth,
            unit: "IOPS-months",
        });
    }
    if (type === "gp3" && throughput > 125) {
        const extra = throughput - 125;
        charges.push({
            basis: `${fmtNum(extra)} MiB/s above 125 x ${usd(ctx.prices.gp3ThroughputMibpsMonth)}/MiB/s-month`,
            quantity: extra,
            unitPrice: ctx.prices.gp3ThroughputMibpsMonth,
            unit: "MiB/s-months",
        });
    }
    return charges;
}

function publicIpv4(ctx: RuleContext): Charge {
    return {
        basis: `public IPv4 ${HOURS_PER_MONTH} h x ${usd(ctx.prices.publicIpv4Hourly)}/h`,
        quantity: HOURS_PER_MONTH,
        unitPrice: ctx.prices.publicIpv4Hourly,
        unit: "address-hours",
        pool: "publicIpv4Hours",
    };
}

function blockDevice(d: Record<string, unknown>, ctx: RuleContext, what: string, dfltType: string): Charge[] {
    const size = knownNumber(d, "volumeSize", ctx, Number.NaN);
    if (Number.isNaN(size)) throw new Unpriceable(`${what}: volumeSize is not set (it comes from the AMI or snapshot)`);
    const type = knownString(d, "volumeType", ctx) ?? dfltType;
    return volumeCharges(ctx, what, size, type, knownNumber(d, "iops", ctx, 0), knownNumber(d, "throughput", ctx, 0));
}

/**
 * An instance's tenancy. Unset, it is computed: the VPC's instance tenancy, whose default is `default` ("instances
 * are launched with shared tenancy by default"; a `dedicated` VPC launches dedicated instances: botocore ec2
 * CreateVpcRequest.InstanceTenancy). An unknown tenancy is priced as `default` unless the stack may declare a
 * dedicated VPC.
 */
function instanceTenancy(props: Record<string, unknown>, ctx: RuleContext): { tenancy?: string; assumed?: string } {
    if (!isComputedUnset(props, "tenancy", ctx)) return { tenancy: knownString(props, "tenancy", ctx) };
    if (ctx.dedicatedVpc) throw new Unpriceable("tenancy is unknown until apply (the stack has a dedicated VPC)");
    return {
        tenancy: "default",
        assumed: "tenancy unknown until apply: AWS's default (shared), as no VPC of the stack is dedicated",
    };
}

const instance: Rule = (props, ctx) => {
    const type = knownString(props, "instanceType", ctx);
    if (type === undefined) throw new Unpriceable("instanceType is not set (it comes from a launch template)");
    const { tenancy, assumed: tenancyAssumed } = instanceTenancy(props, ctx);
    if (tenancy === "dedicated" || tenancy === "host") {
        throw new Unpriceable("dedicated tenancy is not in the price table");
    }
    const hourly = ctx.prices.ec2InstanceHourly[type];
    if (hourly === undefined) throw new Unpriceable(`no price for instance type ${type} in ${ctx.region}`);
    const charges: Charge[] = [
        {
            basis:
                `1 instance x ${HOURS_PER_MONTH} h x ${usd(hourly)}/h (${type}, Linux)` +
                (tenancyAssumed ? ` [assumed: ${tenancyAssumed}]` : ""),
            quantity: HOURS_PER_MONTH,
            unitPrice: hourly,
            unit: "instance-hours",
            pool:
                type === legacyFreeTierInstanceType(ctx.prices.ec2InstanceHourly["t2.micro"] !== undefined)
                    ? "ec2InstanceHours"
                    : undefined,
        },
    ];
    // Unset (unknown until apply in a preview), the root volume and any other EBS volumes are the AMI's block
    // device mappings, which the estimate does not see: an 8 GB gp3 root volume and no other volume is assumed.
    const root = isComputedUnset(props, "rootBlockDevice", ctx)
        ? undefined
        : (known(props, "rootBlockDevice", ctx) as Record<string, unknown> | undefined);
    const amiVolumes = isComputedUnset(props, "ebsBlockDevices", ctx)
        ? " [assumed: ebsBlockDevices unknown until apply: the AMI's block device mappings, assumed to add none]"
        : "";
    charges.push(
        ...(root
            ? blockDevice(root, ctx, "root volume", "gp2")
            : volumeCharges(ctx, "root volume (the AMI's, assumed)", 8, "gp3")
        ).map((c, i) => (i === 0 ? { ...c, basis: c.basis + amiVolumes } : c)),
    );
    const extra = isComputedUnset(props, "ebsBlockDevices", ctx)
        ? []
        : ((known(props, "ebsBlockDevices", ctx) as Record<string, unknown>[] | undefined) ?? []);
    extra.forEach((d, i) => charges.push(...blockDevice(d, ctx, `volume ${i + 1}`, "gp2")));
    // Unknown until apply, a public address comes from the subnet's mapPublicIpOnLaunch: charged, the higher figure.
    const publicIp = props.associatePublicIpAddress;
    if (ctx.isUnknown(publicIp)) {
        const charge = publicIpv4(ctx);
        charges.push({
            ...charge,
            basis: `${charge.basis} [assumed: associatePublicIpAddress unknown until apply (the subnet's mapPublicIpOnLaunch decides): charged]`,
        });
    } else if (known(props, "associatePublicIpAddress", ctx) === true) {
        charges.push(publicIpv4(ctx));
    }
    return charges;
};

const RULES: Record<string, Rule> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": (props, ctx) => {
        const { nodes, assumed } = replicationGroupNodes(props, ctx);
        const engine = replicationGroupEngine(props, ctx);
        return cacheCharges(props, ctx, nodes, engine.engine, [assumed, engine.assumed]);
    },
    "aws:elasticache/cluster:Cluster": (props, ctx) => {
        const engine = knownString(props, "engine", ctx);
        if (engine === undefined) throw new Unpriceable("engine is not set");
        // Redis OSS and Valkey clusters have exactly one node (botocore elasticache CreateCacheClusterMessage
        // NumCacheNodes: "For clusters running Redis, this value must be 1").
        const oneNode = engine.toLowerCase() !== "memcached" && isComputedUnset(props, "numCacheNodes", ctx);
        return cacheCharges(
            props,
            ctx,
            oneNode ? 1 : knownNumber(props, "numCacheNodes", ctx, 1),
            engine.toLowerCase(),
        );
    },
    "aws:ec2/instance:Instance": instance,
    "aws:ebs/volume:Volume": (props, ctx) =>
        blockDevice({ ...props, volumeSize: props.size, volumeType: props.type }, ctx, "volume", "gp2"),
    "aws:ec2/eip:Eip": (_props, ctx) => [publicIpv4(ctx)],
    "aws:ec2/natGateway:NatGateway": (_props, ctx) => [
        {
            basis: `1 gateway x ${HOURS_PER_MONTH} h x ${usd(ctx.prices.natGatewayHourly)}/h`,
            quantity: HOURS_PER_MONTH,
            unitPrice: ctx.prices.natGatewayHourly,
            unit: "gateway-hours",
        },
        {
            basis: `${fmtNum(ctx.assumptions.natDataGbPerGateway)} GB processed x ${usd(ctx.prices.natGatewayGb)}/GB (assumed: natDataGbPerGateway)`,
            quantity: ctx.assumptions.natDataGbPerGateway,
            unitPrice: ctx.prices.natGatewayGb,
            unit: "GB",
        },
    ],
    "aws:kms/key:Key": (props, ctx) => [
        {
            basis:
                `1 key x ${usd(ctx.prices.kmsKeyMonthly)}/month` +
                (known(props, "enableKeyRotation", ctx) === true
                    ? " (each of the first two yearly rotations adds $1/month)"
                    : ""),
            quantity: 1,
            unitPrice: ctx.prices.kmsKeyMonthly,
            unit: "key-months",
        },
    ],
    "aws:kms/replicaKey:ReplicaKey": (_props, ctx) => [
        {
            basis: `1 replica key x ${usd(ctx.prices.kmsKeyMonthly)}/month`,
            quantity: 1,
            unitPrice: ctx.prices.kmsKeyMonthly,
            unit: "key-months",
        },
    ],
    "aws:cloudwatch/metricAlarm:MetricAlarm": (props, ctx) => {
        const queries = (known(props, "metricQueries", ctx) as Record<string, unknown>[] | undefined) ?? [];
        const metrics = Math.max(1, queries.filter((q) => q.metric != null).length);
        const highRes = knownNumber(props, "period", ctx, 60) < 60;
        const price = highRes ? ctx.prices.alarmHighResolutionMonthly : ctx.prices.alarmStandardMonthly;
        return [
            {
                basis: `${plural(metrics, "alarm metric")} x ${usd(price)}/month (${highRes ? "high resolution" : "standard resolution"})`,
                quantity: metrics,
                unitPrice: price,
                unit: "alarm metrics",
                pool: highRes ? undefined : "alarms",
            },
        ];
    },
    "aws:cloudwatch/logGroup:LogGroup": (props, ctx) => {
        const gb = ctx.assumptions.logIngestionGbPerGroup;
        const days = knownNumber(props, "retentionInDays", ctx, 0);
        // Steady state: `retention` days of ingestion are kept (capped at a year); "never expire" counts the first month.
        const stored = gb * (days > 0 ? Math.min(days, 365) / 30 : 1);
        return [
            {
                basis: `${fmtNum(gb)} GB ingested x ${usd(ctx.prices.logsIngestionGb)}/GB (assumed: logIngestionGbPerGroup)`,
                quantity: gb,
                unitPrice: ctx.prices.logsIngestionGb,
                unit: "GB of logs",
                pool: "logsGb",
            },
            {
                basis: `${fmtNum(stored)} GB stored x ${usd(ctx.prices.logsStorageGbMonth)}/GB-month (retention ${days > 0 ? `${days} days, steady state` : "never expires: first month"})`,
                quantity: stored,
                unitPrice: ctx.prices.logsStorageGbMonth,
                unit: "GB of logs",
                pool: "logsGb",
            },
        ];
    },
    "aws:ssm/parameter:Parameter": (props, ctx) => {
        known(props, "tier", ctx);
        throw new Unpriceable("advanced and intelligent-tiering parameters are not in the price table");
    },
};

/** The charges of a priced type, or undefined when the estimate has no rule for it. */
export function ruleFor(type: string): Rule | undefined {
    return RULES[type];
}
