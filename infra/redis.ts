import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { automaticFailover, type CacheConfig, parameterGroupFamily } from "./config";

export interface RedisClusterArgs extends CacheConfig {
    /** The VPC of the cache's dedicated security group. */
    readonly vpcId: pulumi.Input<string>;
    /** The ElastiCache subnet group over private subnets in at least 2 AZs. */
    readonly subnetGroupName: pulumi.Input<string>;
    /**
     * The bastion's security group: allowed in on the cache port, and given the matching egress rule (the
     * bastion has no other way out but HTTPS).
     */
    readonly bastionSecurityGroupId: pulumi.Input<string>;
    /** The bastion's IAM role: the only principal granted to read the token and endpoint parameters. */
    readonly bastionRoleName: pulumi.Input<string>;
    readonly bastionRoleArn: pulumi.Input<string>;
    /** SSM parameter (SecureString) the AUTH token is stored in. */
    readonly authTokenParameterName: string;
    /** SSM parameter (String) holding `<endpoint>:<port>`, read by the bastion's `redis-connect`. */
    readonly endpointParameterName: string;
}

/**
 * An ElastiCache replication group as the tutorial builds it, hardened: TLS required, AUTH, at-rest
 * encryption, backups, the Monday 00:00 UTC maintenance window, logs in CloudWatch, and a security group that
 * serves this cache and nothing else.
 */
export class RedisCluster extends pulumi.ComponentResource {
    readonly securityGroupId: pulumi.Output<string>;
    readonly replicationGroupId: pulumi.Output<string>;
    /** Cluster mode disabled only: the writer endpoint, which follows failover. */
    readonly primaryEndpoint?: pulumi.Output<string>;
    /** Cluster mode disabled only: round-robin DNS over the replicas. */
    readonly readerEndpoint?: pulumi.Output<string>;
    /** Cluster mode enabled only. */
    readonly configurationEndpoint?: pulumi.Output<string>;
    /** The address clients connect to: the configuration endpoint in cluster mode, else the primary endpoint. */
    readonly endpoint: pulumi.Output<string>;
    readonly port: number;
    readonly authToken: pulumi.Output<string>;
    readonly authTokenParameterName: pulumi.Output<string>;
    readonly endpointParameterName: pulumi.Output<string>;

    constructor(name: string, args: RedisClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-stack:cache:RedisCluster", name, {}, opts);

        const securityGroup = this.createSecurityGroup(name, args);
        this.authToken = this.createAuthToken(name, args);
        const parameterGroup = this.createParameterGroup(name, args);
        const logGroups = this.createLogGroups(name, args);
        const group = this.createReplicationGroup(name, args, securityGroup, parameterGroup, logGroups);

        this.securityGroupId = securityGroup.id;
        this.replicationGroupId = group.id;
        this.port = args.port;
        if (args.clusterMode === "enabled") {
            this.configurationEndpoint = group.configurationEndpointAddress;
            this.endpoint = group.configurationEndpointAddress;
        } else {
            this.primaryEndpoint = group.primaryEndpointAddress;
            this.readerEndpoint = group.readerEndpointAddress;
            this.endpoint = group.primaryEndpointAddress;
        }
        const parameters = this.publishConnectionParameters(name, args, group);
        this.authTokenParameterName = parameters.authTokenParameterName;
        this.endpointParameterName = parameters.endpointParameterName;

        this.registerOutputs({
            securityGroupId: this.securityGroupId,
            replicationGroupId: this.replicationGroupId,
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            configurationEndpoint: this.configurationEndpoint,
            endpoint: this.endpoint,
            port: this.port,
            authToken: this.authToken,
            authTokenParameterName: this.authTokenParameterName,
            endpointParameterName: this.endpointParameterName,
        });
    }

    /** The tutorial's "later a security group dedicated to the Redis cluster must be created", done first. */
    private createSecurityGroup(name: string, args: RedisClusterArgs): aws.ec2.SecurityGroup {
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `redis-stack cache ${name}: port ${args.port} from its clients only; attach to nothing else`,
                tags: { Name: `${name}-sg` },
            },
            { parent: this },
        );

        const allow = (role: string, clientGroupId: pulumi.Input<string>) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-from-${role}`,
                {
                    securityGroupId: group.id,
                    referencedSecurityGroupId: clientGroupId,
                    description: `Redis (TLS) from ${role}`,
                    ipProtocol: "tcp",
                    fromPort: args.port,
                    toPort: args.port,
                },
                { parent: this },
            );

        allow("bastion", args.bastionSecurityGroupId);
        args.clientSecurityGroupIds.forEach((id) => allow(id, id));

        new aws.vpc.SecurityGroupEgressRule(
            `${name}-bastion-out`,
            {
                securityGroupId: args.bastionSecurityGroupId,
                referencedSecurityGroupId: group.id,
                description: `Redis (TLS) to the cache ${name}`,
                ipProtocol: "tcp",
                fromPort: args.port,
                toPort: args.port,
            },
            { parent: this },
        );
        return group;
    }

    private createAuthToken(name: string, args: RedisClusterArgs): pulumi.Output<string> {
        if (args.authToken !== undefined) {
            return pulumi.secret(args.authToken);
        }
        const generated = new random.RandomPassword(
            `${name}-auth-token`,
            {
                length: 64,
                special: true,
                // The only non-alphanumerics ElastiCache accepts in an AUTH token.
                overrideSpecial: "!&#$^<>-",
            },
            { parent: this },
        );
        return generated.result;
    }

    private createParameterGroup(name: string, args: RedisClusterArgs): aws.elasticache.ParameterGroup {
        return new aws.elasticache.ParameterGroup(
            `${name}-params`,
            {
                family: parameterGroupFamily(args.engine, args.engineVersion),
                description: `redis-stack ${name}: cluster mode ${args.clusterMode}`,
                parameters: [{ name: "cluster-enabled", value: args.clusterMode === "enabled" ? "yes" : "no" }],
            },
            { parent: this },
        );
    }

    private createLogGroups(name: string, args: RedisClusterArgs) {
        const logGroup = (kind: string) =>
            new aws.cloudwatch.LogGroup(
                `${name}-${kind}`,
                // 0 means never expire: no retention policy at all.
                { retentionInDays: args.logRetentionDays === 0 ? undefined : args.logRetentionDays },
                { parent: this },
            );
        return { slowLog: logGroup("slow-log"), engineLog: logGroup("engine-log") };
    }

    private createReplicationGroup(
        name: string,
        args: RedisClusterArgs,
        securityGroup: aws.ec2.SecurityGroup,
        parameterGroup: aws.elasticache.ParameterGroup,
        logGroups: ReturnType<RedisCluster["createLogGroups"]>,
    ): aws.elasticache.ReplicationGroup {
        const hasReplica = args.replicasPerShard > 0;
        const topology: Pick<
            aws.elasticache.ReplicationGroupArgs,
            "clusterMode" | "numNodeGroups" | "replicasPerNodeGroup" | "numCacheClusters"
        > =
            args.clusterMode === "enabled"
                ? { clusterMode: "enabled", numNodeGroups: args.shards, replicasPerNodeGroup: args.replicasPerShard }
                : { clusterMode: "disabled", numCacheClusters: 1 + args.replicasPerShard };

        return new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                ...topology,
                description: `redis-stack ${name}: ${args.engine} ${args.engineVersion}, ${args.shards} shard(s) x ${1 + args.replicasPerShard} node(s)`,
                engine: args.engine,
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                port: args.port,
                parameterGroupName: parameterGroup.name,
                subnetGroupName: args.subnetGroupName,
                securityGroupIds: [securityGroup.id],
                // Cluster mode requires automatic failover even without replicas; Multi-AZ needs a replica.
                automaticFailoverEnabled: automaticFailover(args),
                multiAzEnabled: hasReplica,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                atRestEncryptionEnabled: true,
                authToken: this.authToken,
                // ROTATE keeps the previous token valid next to the new one, so clients survive a token change.
                authTokenUpdateStrategy: "ROTATE",
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                autoMinorVersionUpgrade: true,
                notificationTopicArn: args.notificationTopicArn,
                snapshotArns: args.snapshotArns.length > 0 ? args.snapshotArns : undefined,
                logDeliveryConfigurations: [
                    {
                        logType: "slow-log",
                        destinationType: "cloudwatch-logs",
                        destination: logGroups.slowLog.name,
                        logFormat: "json",
                    },
                    {
                        logType: "engine-log",
                        destinationType: "cloudwatch-logs",
                        destination: logGroups.engineLog.name,
                        logFormat: "json",
                    },
                ],
                tags: { Name: `${name}-group` },
            },
            { parent: this },
        );
    }

    /**
     * The token (SecureString) and the endpoint go to SSM Parameter Store, so that the bastion's `redis-connect`
     * finds them at run time and they never pass through user-data. The token is encrypted with a key of its
     * own that only the bastion role may use: AmazonSSMManagedInstanceCore lets every managed instance of the
     * account call ssm:GetParameter on any parameter, and the AWS-managed aws/ssm key would decrypt for all of
     * them.
     */
    private publishConnectionParameters(name: string, args: RedisClusterArgs, group: aws.elasticache.ReplicationGroup) {
        const key = this.createTokenKey(name, args);

        const token = new aws.ssm.Parameter(
            `${name}-token-param`,
            {
                name: args.authTokenParameterName,
                type: "SecureString",
                keyId: key.arn,
                value: this.authToken,
                description: `AUTH token of the cache ${name} (read by the bastion's redis-connect)`,
            },
            { parent: this },
        );

        const endpoint = new aws.ssm.Parameter(
            `${name}-endpoint-param`,
            {
                name: args.endpointParameterName,
                type: "String",
                value: pulumi.interpolate`${this.endpoint}:${args.port}`,
                description: `Endpoint of the cache ${name} as host:port`,
            },
            { parent: this, dependsOn: [group] },
        );

        new aws.iam.RolePolicy(
            `${name}-bastion-read`,
            {
                role: args.bastionRoleName,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [token.arn, endpoint.arn] },
                        { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [key.arn] },
                    ],
                }),
            },
            { parent: this },
        );

        return { authTokenParameterName: token.name, endpointParameterName: endpoint.name };
    }

    /**
     * The key policy keeps the account's administrators in control (without that statement a key can become
     * unmanageable) and lets the bastion role decrypt through SSM only; no other principal gets kms:Decrypt
     * unless an administrator grants it on purpose.
     */
    private createTokenKey(name: string, args: RedisClusterArgs): aws.kms.Key {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        return new aws.kms.Key(
            `${name}-token-key`,
            {
                description: `Encrypts the AUTH token parameter of the cache ${name}; decrypt: the bastion role only`,
                enableKeyRotation: true,
                deletionWindowInDays: 7,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AccountAdministration",
                            Effect: "Allow",
                            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
                            Action: "kms:*",
                            Resource: "*",
                        },
                        {
                            Sid: "BastionReadsTheTokenThroughSsm",
                            Effect: "Allow",
                            Principal: { AWS: args.bastionRoleArn },
                            Action: "kms:Decrypt",
                            Resource: "*",
                            Condition: {
                                StringEquals: { "kms:ViaService": pulumi.interpolate`ssm.${region}.amazonaws.com` },
                            },
                        },
                    ],
                }),
            },
            { parent: this },
        );
    }
}
