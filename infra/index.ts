/**
 * The redis-stack program: validated config -> Network -> Bastion -> RedisCluster -> access grants -> Alarms -> stack outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { grantCacheAccess } from "./access";
import { Alarms } from "./alarms";
import { Bastion } from "./bastion";
import { ConfigError, parseConfig, PROJECT, stackNameProblems, type StackConfig } from "./config";
import { Network } from "./network";
import { bastionUserId, RedisCluster } from "./redis";

const stack = pulumi.getStack();
const config = loadConfig();
const name = `redis-${stack}`;
/** SSM parameters the cache publishes and the bastion's `redis-connect` reads. */
const parameters = {
    endpointParameterName: `/${PROJECT}/${stack}/endpoint`,
    authTokenParameterName: `/${PROJECT}/${stack}/auth-token`,
    cacheNameParameterName: `/${PROJECT}/${stack}/replication-group-id`,
};
const iam = config.cache.authMode === "iam";

const network = new Network(`${name}-net`, config.network);

const bastion = new Bastion(`${name}-bastion`, {
    ...config.bastion,
    ...parameters,
    authMode: config.cache.authMode,
    // The IAM user redis-connect authenticates as (the RedisCluster below creates it).
    redisUserId: iam ? bastionUserId(name) : undefined,
    vpcId: network.vpcId,
    subnetId: network.publicSubnetId,
});

const cacheName = `${name}-cache`;
const cache = new RedisCluster(cacheName, {
    ...config.cache,
    ...parameters,
    rbacIdPrefix: name,
    vpcId: network.vpcId,
    subnetGroupName: network.cacheSubnetGroupName,
});

grantCacheAccess(cacheName, {
    cache,
    bastion,
    clientSecurityGroupIds: config.cache.clientSecurityGroupIds,
});

new Alarms(`${name}-alarms`, {
    ...config.alarms,
    clusterMode: config.cache.clusterMode,
    shards: config.cache.shards,
    replicasPerShard: config.cache.replicasPerShard,
    nodeType: config.cache.nodeType,
    replicationGroupId: cache.replicationGroupId,
    bastionInstanceId: bastion.instanceId,
    notificationTopicArn: config.cache.notificationTopicArn,
});

const region = aws.getRegionOutput().region;

/** Session Manager straight into the bastion's `redis-connect` (redis-cli --tls -c, authenticated as set up). */
const connectCommand = pulumi.interpolate`aws ssm start-session --region ${region} --target ${bastion.instanceId} --document-name AWS-StartInteractiveCommand --parameters command=redis-connect`;

/** Stack outputs; each mode exports only the endpoints it has. */
export = {
    vpcId: network.vpcId,
    bastionInstanceId: bastion.instanceId,
    bastionAmiId: bastion.amiId,
    bastionLatestAmiId: bastion.latestAmiId,
    redisClusterMode: config.cache.clusterMode,
    ...(config.cache.clusterMode === "enabled"
        ? { redisConfigurationEndpoint: cache.configurationEndpoint }
        : { redisPrimaryEndpoint: cache.primaryEndpoint, redisReaderEndpoint: cache.readerEndpoint }),
    redisEndpoint: cache.endpoint,
    redisPort: cache.port,
    redisAuthMode: config.cache.authMode,
    redisReplicationGroupId: cache.replicationGroupId,
    ...(iam
        ? { redisUserId: cache.bastionUserId, redisUserGroupId: cache.userGroupId }
        : { redisAuthToken: cache.authToken, redisAuthTokenParameter: cache.authTokenParameterName }),
    redisEndpointParameter: cache.endpointParameterName,
    /** The stack's AWS region (`npm run connect` and the AWS CLI calls it makes need it). */
    region,
    connectCommand,
};

/**
 * Validates the stack name and the whole stack configuration before any resource exists; a bad value ends the
 * program with every problem listed.
 */
function loadConfig(): StackConfig {
    try {
        const nameProblems = stackNameProblems(stack);
        if (nameProblems.length > 0) {
            throw new ConfigError(nameProblems);
        }
        return parseConfig(pulumi.runtime.allConfig());
    } catch (error) {
        if (error instanceof ConfigError) {
            throw new pulumi.RunError(error.message);
        }
        throw error;
    }
}
