import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AUTH_TOKEN_SPECIAL_CHARACTERS, DEFAULT_USER_NAME, DISABLED_ACCESS_STRING } from "../policy/shared";
import { type AuthConfig, automaticFailover, type CacheConfig, parameterGroupFamily } from "./config";
import { type DataProtectionConfig, finalSnapshotName } from "./config/data-protection";

/**
 * The cache's settings (see `CacheConfig`, as validated from the stack configuration) and where it lives. Who
 * may reach it is the program's wiring (infra/access.ts), so `clientSecurityGroupIds` is not here.
 */
export interface RedisClusterArgs
    extends Omit<CacheConfig, "clientSecurityGroupIds">, DataProtectionConfig, AuthConfig {
    /**
     * Prefix of the RBAC user and user group IDs (iam mode): `<prefix>-default`, `<prefix>-bastion`,
     * `<prefix>-<name>` for each of `users`, and the group `<prefix>-users`. User IDs are unique per account and
     * Region, so it names the stack.
     * @example "redis-prod"
     */
    readonly rbacIdPrefix: string;
    /**
     * SSM parameter (String) holding the replication group ID (iam mode): the cache name `redis-connect` signs
     * its IAM token for.
     * @example "/redis-stack/prod/replication-group-id"
     */
    readonly cacheNameParameterName: string;
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
 * The bastion user's ACL rules: an operator's interactive client (redis-cli -c) and redis-check, on every key and
 * channel, without the @dangerous commands (FLUSHALL, FLUSHDB, KEYS, CONFIG, DEBUG, MONITOR, SHUTDOWN, ACL SETUSER,
 * MIGRATE, RESTORE, ...) except INFO, which redis-check and redis-cli's cluster support read (Redis 7 files INFO
 * under @dangerous). Narrower grants belong to application users (`redisUsers`).
 */
export const BASTION_ACCESS_STRING = "on ~* &* +@all -@dangerous +info";

/** The bastion's IAM-authenticated user (iam mode): its ID, and its name, which IAM requires to be the same. */
export function bastionUserId(rbacIdPrefix: string): string {
    return `${rbacIdPrefix}-bastion`;
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
     * Token mode only: the AUTH token, secret: the configured one, else a generated one (64 characters).
     * @default undefined (iam mode)
     * @example pulumi.secret("...")
     */
    readonly authToken?: pulumi.Output<string>;
    /**
     * Token mode only: name of the SSM SecureString parameter holding the token.
     * @default undefined (iam mode)
     * @example "/redis-stack/dev/auth-token"
     */
    readonly authTokenParameterName?: pulumi.Output<string>;
    /**
     * Token mode only: ARN of that parameter, for IAM grants.
     * @default undefined (iam mode)
     * @example "arn:aws:ssm:us-east-1:123456789012:parameter/redis-stack/dev/auth-token"
     */
    readonly authTokenParameterArn?: pulumi.Output<string>;
    /**
     * The replication group's ARN: with the user's, the resource of an `elasticache:Connect` grant.
     * @example "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:redis-prod-cache-group-1a2b3c4"
     */
    readonly replicationGroupArn: pulumi.Output<string>;
    /**
     * Iam mode only: the RBAC user group (its `default` user disabled).
     * @default undefined (token mode)
     * @example "redis-prod-users"
     */
    readonly userGroupId?: string;
    /**
     * Iam mode only: the bastion's IAM-authenticated user; its ID is also its name, the `--user` of redis-cli.
     * @default undefined (token mode)
     * @example "redis-prod-bastion"
     */
    readonly bastionUserId?: string;
    /**
     * Iam mode only: ARN of that user, for the bastion's `elasticache:Connect` grant.
     * @default undefined (token mode)
     * @example "arn:aws:elasticache:us-east-1:123456789012:user:redis-prod-bastion"
     */
    readonly bastionUserArn?: pulumi.Output<string>;
    /**
     * Iam mode only: name of the SSM String parameter holding the replication group ID (the cache name IAM tokens
     * are signed for).
     * @default undefined (token mode)
     * @example "/redis-stack/prod/replication-group-id"
     */
    readonly cacheNameParameterArn?: pulumi.Output<string>;
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
     * Token mode only: the KMS key encrypting the token parameter; decrypting needs an IAM grant (infra/access.ts).
     * @default undefined (iam mode)
     * @example "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
     */
    readonly tokenKeyArn?: pulumi.Output<string>;

    constructor(name: string, args: RedisClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-stack:cache:RedisCluster", name, {}, opts);

        const securityGroup = this.createSecurityGroup(name, args);
        const rbac = args.authMode === "iam" ? this.createUserGroup(name, args) : undefined;
        this.authToken = rbac ? undefined : this.createAuthToken(name, args);
        const parameterGroup = this.createParameterGroup(name, args);
        const logGroups = this.createLogGroups(name, args);
        const group = this.createReplicationGroup(name, args, securityGroup, parameterGroup, logGroups, rbac);

        this.securityGroupId = securityGroup.id;
        this.replicationGroupId = group.id;
        this.replicationGroupArn = group.arn;
        this.port = args.port;
        if (args.clusterMode === "enabled") {
            this.configurationEndpoint = group.configurationEndpointAddress;
            this.endpoint = group.configurationEndpointAddress;
        } else {
            this.primaryEndpoint = group.primaryEndpointAddress;
            this.readerEndpoint = group.readerEndpointAddress;
            this.endpoint = group.primaryEndpointAddress;
        }
        const { token, endpoint, key, cacheName } = this.publishConnectionParameters(name, args, group);
        this.authTokenParameterName = token?.name;
        this.authTokenParameterArn = token?.arn;
        this.endpointParameterName = endpoint.name;
        this.endpointParameterArn = endpoint.arn;
        this.tokenKeyArn = key?.arn;
        this.cacheNameParameterArn = cacheName?.arn;
        this.userGroupId = rbac?.userGroupId;
        this.bastionUserId = rbac?.bastionUserId;
        this.bastionUserArn = rbac?.bastionUser.arn;

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
            replicationGroupArn: this.replicationGroupArn,
            userGroupId: this.userGroupId,
            bastionUserId: this.bastionUserId,
            bastionUserArn: this.bastionUserArn,
            cacheNameParameterArn: this.cacheNameParameterArn,
        });
    }

    /**
     * Iam mode: the users and their group. The group holds a `default` user (AWS requires one in a redis user
     * group: every unauthenticated connection is that user) that is disabled and granted nothing, the bastion's
     * IAM-authenticated user, and the configured ones. Users and group use engine redis on either engine: a
     * Redis OSS cache takes only redis user groups, a Valkey cache takes both, and a valkey group could not hold
     * a password-less default user (RBAC docs). IAM users have no password; the default user requires none and
     * is off. No user has a password, so nothing secret exists in state.
     */
    private createUserGroup(name: string, args: RedisClusterArgs) {
        const engine = "redis";
        const user = (role: string, userId: string, userName: string, accessString: string, type: string) =>
            new aws.elasticache.User(
                `${name}-user-${role}`,
                { userId, userName, engine, accessString, authenticationMode: { type } },
                { parent: this },
            );
        const prefix = args.rbacIdPrefix;
        const defaultUser = user(
            "default",
            `${prefix}-default`,
            DEFAULT_USER_NAME,
            DISABLED_ACCESS_STRING,
            "no-password-required",
        );
        const bastionId = bastionUserId(prefix);
        const bastionUser = user("bastion", bastionId, bastionId, BASTION_ACCESS_STRING, "iam");
        const extra = args.users.map((u) => {
            const id = `${prefix}-${u.name}`;
            return user(u.name, id, id, u.accessString, "iam");
        });
        const users = [defaultUser, bastionUser, ...extra];
        const userGroupId = `${prefix}-users`;
        const group = new aws.elasticache.UserGroup(
            `${name}-users`,
            {
                userGroupId,
                engine,
                // The IDs as given (known in preview, so the plan shows the members); dependsOn orders the creates.
                userIds: [`${prefix}-default`, bastionId, ...args.users.map((u) => `${prefix}-${u.name}`)],
            },
            { parent: this, dependsOn: users },
        );
        return { group, userGroupId, bastionUser, bastionUserId: bastionId };
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
        rbac: ReturnType<RedisCluster["createUserGroup"]> | undefined,
    ): aws.elasticache.ReplicationGroup {
        // Token mode: AUTH with redisAuthTokenUpdateStrategy: ROTATE keeps the previous token valid next to the new
        // one, so clients survive a token change; SET, deployed once clients have moved, revokes the previous one
        // (the provider sends a change of the strategy alone as a ModifyReplicationGroup with the same token). Iam mode: the user group and no token; DELETE is the provider's "transitioning
        // to RBAC" path (ModifyReplicationGroup with UserGroupIdsToAdd and AuthTokenUpdateStrategy DELETE), so an
        // existing token-mode group moves to the user group in place (README: Migrating from token to iam).
        const auth: Pick<
            aws.elasticache.ReplicationGroupArgs,
            "authToken" | "authTokenUpdateStrategy" | "userGroupIds"
        > =
            rbac === undefined
                ? { authToken: this.authToken, authTokenUpdateStrategy: args.authTokenUpdateStrategy }
                : { userGroupIds: [rbac.userGroupId], authTokenUpdateStrategy: "DELETE" };
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
                ...auth,
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
            { parent: this, protect: args.protect, dependsOn: rbac ? [rbac.group] : [] },
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
        const key = this.authToken === undefined ? undefined : this.createTokenKey(name);

        const token =
            key === undefined
                ? undefined
                : new aws.ssm.Parameter(
                      `${name}-token-param`,
                      {
                          name: args.authTokenParameterName,
                          type: "SecureString",
                          keyId: key.arn,
                          value: this.authToken,
                          description: `AUTH token of the cache ${name} (read by the bastion's redis-connect)`,
                      },
                      // Written only once the cache accepts the token (the group's update waits until it is
                      // available), so the parameter never names a token the cache would refuse.
                      { parent: this, dependsOn: [group] },
                  );

        // Iam mode: the cache name IAM tokens are signed for (the replication group ID, known once it exists).
        const cacheName =
            args.authMode === "iam"
                ? new aws.ssm.Parameter(
                      `${name}-cache-name-param`,
                      {
                          name: args.cacheNameParameterName,
                          type: "String",
                          value: group.id,
                          description: `Replication group ID of the cache ${name}: the cache name of its IAM auth tokens`,
                      },
                      { parent: this },
                  )
                : undefined;

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

        return { token, endpoint, key, cacheName };
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
