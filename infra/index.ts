/**
 * The redis-stack program: validated config -> Network -> Bastion -> RedisCluster -> stack outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Bastion } from "./bastion";
import { ConfigError, parseConfig, PROJECT, StackConfig } from "./config";
import { Network } from "./network";
import { RedisCluster } from "./redis";

const stack = pulumi.getStack();
const config = loadConfig();
const name = `redis-${stack}`;
const parameterPrefix = `/${PROJECT}/${stack}`;

const network = new Network(`${name}-net`, config.network);

const bastion = new Bastion(`${name}-bastion`, {
    vpcId: network.vpcId,
    subnetId: network.publicSubnetId,
    instanceType: config.bastion.instanceType,
    architecture: config.bastion.architecture,
    keyName: config.bastion.keyName,
    sshAllowedCidrs: config.bastion.sshAllowedCidrs,
    redisCli: {
        version: config.bastion.redisCliVersion,
        sourceUrl: config.bastion.redisCliSourceUrl,
        sha256: config.bastion.redisCliSha256,
    },
    endpointParameterName: `${parameterPrefix}/endpoint`,
    authTokenParameterName: `${parameterPrefix}/auth-token`,
});

const cache = new RedisCluster(`${name}-cache`, {
    ...config.cache,
    vpcId: network.vpcId,
    subnetGroupName: network.cacheSubnetGroupName,
    bastionSecurityGroupId: bastion.securityGroupId,
    bastionRoleName: bastion.roleName,
    endpointParameterName: `${parameterPrefix}/endpoint`,
    authTokenParameterName: `${parameterPrefix}/auth-token`,
});

const region = aws.getRegionOutput().region;

export const vpcId = network.vpcId;
export const bastionInstanceId = bastion.instanceId;
export const redisClusterMode = config.cache.clusterMode;
export const redisPrimaryEndpoint = cache.primaryEndpoint;
export const redisReaderEndpoint = cache.readerEndpoint;
export const redisConfigurationEndpoint = cache.configurationEndpoint;
export const redisEndpoint = cache.endpoint;
export const redisPort = cache.port;
export const redisAuthToken = cache.authToken;
export const redisAuthTokenParameter = cache.authTokenParameterName;
export const redisEndpointParameter = cache.endpointParameterName;
/** Session Manager straight into the bastion's `redis-connect` (redis-cli --tls -c with the token from SSM). */
export const connectCommand = pulumi.interpolate`aws ssm start-session --region ${region} --target ${bastion.instanceId} --document-name AWS-StartInteractiveCommand --parameters command=redis-connect`;

/** Validates the whole stack configuration before any resource exists; a bad value ends the program with every problem listed. */
function loadConfig(): StackConfig {
    try {
        return parseConfig(pulumi.runtime.allConfig());
    } catch (error) {
        if (error instanceof ConfigError) {
            throw new pulumi.RunError(error.message);
        }
        throw error;
    }
}
