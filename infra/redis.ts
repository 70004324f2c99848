import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AUTH_TOKEN_SPECIAL_CHARACTERS } from "../policy/shared";
import { automaticFailover, type CacheConfig, parameterGroupFamily } from "./config";
import { type DataProtectionConfig, finalSnapshotName } from "./config/data-protection";

/**
 * The cache's settings (see `CacheConfig`, as validated from the stack configuration) and where it lives. Who
 * may reach it is the program's wiring (infra/access.ts), so `clientSecurityGroupIds` is not here.
 */
export interface RedisClusterArgs extends Omit<CacheConfig, "clientSecurityGroupIds">, DataProtectionConfig {
    /**
     * The VPC of the cache's dedicated security group.
     * @example network.vpcId
     */
    readonly vpcId: pulumi.Input<string>;
    /**
     * The ElastiCache subnet group over private subnets in at least 2 AZs.
     * @example network.cacheSubnetGroupName
     */
    readonly subnetGroupName: pulumi.Input<string>;
    /**
     * SSM parameter (SecureString) the AUTH token is stored in.
     * @example "/redis-stack/dev/auth-token"
     */
    readonly authTokenParameterName: string;
    /**
     * SSM parameter (String) holding `<endpoint>:<port>`, read by the bastion's `redis-connect`.
     * @example "/redis-stack/dev/endpoint"
     */
    readonly endpointParameterName: string;
}

/**
 * An ElastiCache replication group as the tutorial builds it, hardened: TLS required, AUTH, at-rest
 * encryption, backups, the Monday 00:00 UTC maintenance window, logs in CloudWatch, and a security group that
 * serves this cache and nothing else.
 */
export class RedisCluster extends pulumi.ComponentResource {
    /**
     * The cache's own security group; the program allows clients in (infra/access.ts).
     * @example "sg-0123456789abcdef0"
     */
    readonly securityGroupId: pulumi.Output<string>;
    /**
     * The replication group's id.
     * @example "redis-dev-cache-group-1a2b3c4"
     */
    readonly replicationGroupId: pulumi.Output<string>;
    /**
     * Cluster mode disabled only: the writer endpoint, which follows failover.
     * @default undefined (cluster mode enabled)
     * @example "master.redis-dev-cache-group-1a2b3c4.abcdef.use1.cache.amazonaws.com"
     */
    readonly primaryEndpoint?: pulumi.Output<string>;
    /**
     * Cluster mode disabled only: round-robin DNS over the replicas.
     * @default undefined (cluster mode enabled)
     * @example "replica.redis-dev-cache-group-1a2b3c4.abcdef.use1.cache.amazonaws.com"
     */
    readonly readerEndpoint?: pulumi.Output<string>;
    /**
     * Cluster mode enabled only: the endpoint cluster-aware clients discover the shards from.
     * @default undefined (cluster mode disabled)
     * @example "clustercfg.redis-prod-cache-group-1a2b3c4.abcdef.use1.cache.amazonaws.com"
     */
    readonly configurationEndpoint?: pulumi.Output<string>;
    /**
     * The address clients connect to: the configuration endpoint in cluster mode, else the primary endpoint.
     * @example "master.redis-dev-cache-group-1a2b3c4.abcdef.use1.cache.amazonaws.com"
     */
    readonly endpoint: pulumi.Output<string>;
    /**
     * The cache port (`redisPort`).
     * @example 6379
     */
    readonly port: number;
    /**
     * The AUTH token, secret: the configured one, else a generated one (64 characters).
     * @example pulumi.secret("...")
     */
    readonly authToken: pulumi.Output<string>;
    /**
     * Name of the SSM SecureString parameter holding the token.
     * @example "/redis-stack/dev/auth-token"
     */
    readonly authTokenParameterName: pulumi.Output<string>;
    /**
     * ARN of that parameter, for IAM grants.
     * @example "arn:aws:ssm:us-east-1:123456789012:parameter/redis-stack/dev/auth-token"
     */
    readonly authTokenParameterArn: pulumi.Output<string>;
    /**
     * Name of the SSM String parameter holding `<endpoint>:<port>`.
     * @example "/redis-stack/dev/endpoint"
     */
    readonly endpointParameterName: pulumi.Output<string>;
    /**
     * ARN of that parameter, for IAM grants.
     * @example "arn:aws:ssm:us-east-1:123456789012:parameter/redis-stack/dev/endpoint"
     */
    readonly endpointParameterArn: pulumi.Output<string>;
    /**
     * The KMS key encrypting the token parameter; decrypting needs an IAM grant (infra/access.ts).
     * @example "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
     */
    readonly tokenKeyArn: pulumi.Output<string>;

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
        const { token, endpoint, key } = this.publishConnectionParameters(name, args, group);
        this.authTokenParameterName = token.name;
        this.authTokenParameterArn = token.arn;
        this.endpointParameterName = endpoint.name;
        this.endpointParameterArn = endpoint.arn;
        this.tokenKeyArn = key.arn;

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
            authTokenParameterArn: this.authTokenParameterArn,
            endpointParameterName: this.endpointParameterName,
            endpointParameterArn: this.endpointParameterArn,
            tokenKeyArn: this.tokenKeyArn,
        });
    }

    /**
     * The tutorial's "later a security group dedicated to the Redis cluster must be created", done first. Its
     * ingress rules are granted by the program (infra/access.ts).
     */
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
                overrideSpecial: AUTH_TOKEN_SPECIAL_CHARACTERS,
            },
            { parent: this },
        );
        return generated.result;
    }

    /**
     * The final snapshot's name, `<group>-final-<8 hex digits>`: the suffix is drawn once per life of the stack's
     * cache (a RandomId, destroyed with it), so the snapshot a `pulumi destroy` leaves never blocks the next
     * stack's destroy (snapshot names are unique per account and region). The suffix never changes while the
     * stack lives, so it causes no diff; and `final_snapshot_identifier` is not ForceNew anyway
     * (terraform-provider-aws internal/service/elasticache/replication_group.go), so a change would be an
     * in-place update, never a replace.
     */
    private finalSnapshotIdentifier(
        name: string,
        groupName: string,
        args: RedisClusterArgs,
    ): pulumi.Output<string> | undefined {
        if (!args.finalSnapshot) {
            return undefined;
        }
        const suffix = new random.RandomId(`${name}-final-snapshot-suffix`, { byteLength: 4 }, { parent: this });
        return pulumi.interpolate`${finalSnapshotName(groupName)}-${suffix.hex}`;
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

        const groupName = `${name}-group`;
        return new aws.elasticache.ReplicationGroup(
            groupName,
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
                // ROTATE keeps the previous token valid next to the new one, so clients survive a token change;
                // SET, deployed once clients have moved, revokes the previous one (the provider sends a change of
                // the strategy alone as a ModifyReplicationGroup with the same token).
                authTokenUpdateStrategy: args.authTokenUpdateStrategy,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                autoMinorVersionUpgrade: true,
                applyImmediately: args.applyImmediately,
                finalSnapshotIdentifier: this.finalSnapshotIdentifier(name, groupName, args),
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
                tags: { Name: groupName },
            },
            { parent: this, protect: args.protect },
        );
    }

    /**
     * The token (SecureString) and the endpoint go to SSM Parameter Store, so that the bastion's `redis-connect`
     * finds them at run time and they never pass through user-data. The token is encrypted with a key of its
     * own that only principals granted on purpose may use (the program grants the bastion role, infra/access.ts):
     * AmazonSSMManagedInstanceCore lets every managed instance of the account call ssm:GetParameter on any
     * parameter, and the AWS-managed aws/ssm key would decrypt for all of them.
     */
    private publishConnectionParameters(name: string, args: RedisClusterArgs, group: aws.elasticache.ReplicationGroup) {
        const key = this.createTokenKey(name);

        const token = new aws.ssm.Parameter(
            `${name}-token-param`,
            {
                name: args.authTokenParameterName,
                type: "SecureString",
                keyId: key.arn,
                value: this.authToken,
                description: `AUTH token of the cache ${name} (read by the bastion's redis-connect)`,
            },
            // Written only once the cache accepts the token (the group's update waits until it is available), so
            // the parameter never names a token the cache would refuse.
            { parent: this, dependsOn: [group] },
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

        return { token, endpoint, key };
    }

    /**
     * The key policy keeps the account's administrators in control (without that statement a key can become
     * unmanageable) and delegates everything else to IAM: no principal gets kms:Decrypt unless an IAM policy
     * grants it on purpose (the program grants the bastion role, through SSM only: infra/access.ts).
     */
    private createTokenKey(name: string): aws.kms.Key {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        return new aws.kms.Key(
            `${name}-token-key`,
            {
                description: `Encrypts the AUTH token parameter of the cache ${name}; decrypt: as granted by IAM (the bastion role)`,
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
                    ],
                }),
            },
            { parent: this },
        );
    }
}
