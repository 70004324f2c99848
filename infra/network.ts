import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formatIpv4Cidr, planSubnets } from "./cidr";
import type { NetworkConfig } from "./config";

/** What the network is made of: `NetworkConfig`, as validated from the stack configuration. */
export type NetworkArgs = NetworkConfig;

/**
 * The VPC of the stack: a public subnet routed to an internet gateway for the bastion (which needs the
 * internet for Session Manager and for downloading the Redis source), private subnets in several AZs with no
 * route out for the cache, and the cache's subnet group over them. The VPC's default security group is taken
 * over and emptied, so that nothing can be attached to it by accident and gain access.
 */
export class Network extends pulumi.ComponentResource {
    /**
     * The created VPC, or `existing.vpcId`.
     * @example "vpc-0123456789abcdef0"
     */
    readonly vpcId: pulumi.Output<string>;
    /**
     * The bastion's subnet, routed to the internet gateway.
     * @example "subnet-0bbbbbbbbbbbbbbb1"
     */
    readonly publicSubnetId: pulumi.Output<string>;
    /**
     * The cache's subnets, one per availability zone, with no route out.
     * @example ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
     */
    readonly privateSubnetIds: pulumi.Output<string>[];
    /**
     * The ElastiCache subnet group over the private subnets.
     * @example "redis-dev-net-cache-subnets-1a2b3c4"
     */
    readonly cacheSubnetGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-stack:network:Network", name, {}, opts);

        const subnets = args.existing ? existingSubnets(args.existing) : this.createVpc(name, args);
        this.vpcId = subnets.vpcId;
        this.publicSubnetId = subnets.publicSubnetId;
        this.privateSubnetIds = subnets.privateSubnetIds;
        this.cacheSubnetGroupName = this.createCacheSubnetGroup(name);

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetId: this.publicSubnetId,
            privateSubnetIds: this.privateSubnetIds,
            cacheSubnetGroupName: this.cacheSubnetGroupName,
        });
    }

    private createVpc(name: string, args: NetworkArgs) {
        const plan = planSubnets(args.vpcCidr, args.availabilityZoneCount);
        const zones = availabilityZones(args.availabilityZoneCount, this);

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: formatIpv4Cidr(args.vpcCidr),
                // ElastiCache endpoints are DNS names; TLS clients need them to resolve inside the VPC.
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: { Name: `${name}-vpc` },
            },
            { parent: this },
        );

        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            {
                vpcId: vpc.id,
                tags: { Name: `${name}-default-sg (unused, no rules)` },
            },
            { parent: this },
        );

        const internetGateway = new aws.ec2.InternetGateway(
            `${name}-igw`,
            {
                vpcId: vpc.id,
                tags: { Name: `${name}-igw` },
            },
            { parent: this },
        );

        const publicSubnet = new aws.ec2.Subnet(
            `${name}-public`,
            {
                vpcId: vpc.id,
                cidrBlock: plan.publicCidr,
                availabilityZone: zones.apply((z) => z[0]),
                mapPublicIpOnLaunch: false,
                tags: { Name: `${name}-public`, Tier: "public" },
            },
            { parent: this },
        );

        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
                tags: { Name: `${name}-public-rt` },
            },
            { parent: this },
        );

        new aws.ec2.RouteTableAssociation(
            `${name}-public-rta`,
            {
                subnetId: publicSubnet.id,
                routeTableId: publicRoutes.id,
            },
            { parent: this },
        );

        const privateSubnets = plan.privateCidrs.map(
            (cidrBlock, i) =>
                new aws.ec2.Subnet(
                    `${name}-private-${i + 1}`,
                    {
                        vpcId: vpc.id,
                        cidrBlock,
                        availabilityZone: zones.apply((z) => z[i]),
                        tags: { Name: `${name}-private-${i + 1}`, Tier: "private" },
                    },
                    { parent: this },
                ),
        );

        return {
            vpcId: vpc.id,
            publicSubnetId: publicSubnet.id,
            privateSubnetIds: privateSubnets.map((s) => s.id),
        };
    }

    private createCacheSubnetGroup(name: string): pulumi.Output<string> {
        const group = new aws.elasticache.SubnetGroup(
            `${name}-cache-subnets`,
            {
                description: `Private subnets of ${name} for ElastiCache`,
                subnetIds: this.privateSubnetIds,
            },
            { parent: this },
        );
        return group.name;
    }
}

/** A VPC brought by the stack configuration: nothing to create. */
function existingSubnets(existing: NonNullable<NetworkArgs["existing"]>) {
    return {
        vpcId: pulumi.output(existing.vpcId),
        publicSubnetId: pulumi.output(existing.publicSubnetId),
        privateSubnetIds: existing.privateSubnetIds.map((id) => pulumi.output(id)),
    };
}

/**
 * The first `count` available AZs of the region; fails the deployment when there are fewer. `state` alone also
 * returns opted-in Local and Wavelength zones, whose names (us-east-1-bos-1a) sort before the real AZs and which
 * offer neither ElastiCache nor most instance types: only zones of type `availability-zone` count.
 */
function availabilityZones(count: number, parent: pulumi.Resource): pulumi.Output<string[]> {
    const available = aws.getAvailabilityZonesOutput(
        { state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] },
        { parent },
    );
    return available.names.apply((names) => {
        if (names.length < count) {
            throw new Error(
                `redis-stack:availabilityZoneCount is ${count}, but the region has only ${names.length} available AZs (${names.join(", ")})`,
            );
        }
        return names.slice(0, count);
    });
}
