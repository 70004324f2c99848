/**
 * The program's wiring between components: who may reach the cache, and who may read its connection parameters.
 * A component changes only its own resources, so the grants that touch two components (the cache's security
 * group and the bastion's, the cache's parameters and the bastion's role) live here, where both are in view.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Bastion } from "./bastion";
import type { RedisCluster } from "./redis";

export interface CacheAccessArgs {
    readonly cache: RedisCluster;
    readonly bastion: Bastion;
    /** Further security groups allowed in on the cache port (`clientSecurityGroupIds`). */
    readonly clientSecurityGroupIds: readonly string[];
}

/**
 * Grants the bastion (and the configured client groups) the cache port, and the bastion's role the token and
 * endpoint parameters. Resources are named after the cache, `${cacheName}-...`.
 *
 * These resources were children of the cache component before they moved here. The alias to that parent keeps
 * their URNs' history, so an existing stack updates them in place rather than deleting and recreating them (a
 * moment without the ingress rule would cut the bastion off from the cache).
 */
export function grantCacheAccess(cacheName: string, args: CacheAccessArgs): void {
    const { cache, bastion } = args;
    const opts: pulumi.CustomResourceOptions = { aliases: [{ parent: cache }] };

    const allowIn = (role: string, clientGroupId: pulumi.Input<string>) =>
        new aws.vpc.SecurityGroupIngressRule(
            `${cacheName}-from-${role}`,
            {
                securityGroupId: cache.securityGroupId,
                referencedSecurityGroupId: clientGroupId,
                description: `Redis (TLS) from ${role}`,
                ipProtocol: "tcp",
                fromPort: cache.port,
                toPort: cache.port,
            },
            opts,
        );
    allowIn("bastion", bastion.securityGroupId);
    args.clientSecurityGroupIds.forEach((id) => allowIn(id, id));

    // The bastion has no way out but HTTPS: it needs the matching egress rule to reach the cache.
    new aws.vpc.SecurityGroupEgressRule(
        `${cacheName}-bastion-out`,
        {
            securityGroupId: bastion.securityGroupId,
            referencedSecurityGroupId: cache.securityGroupId,
            description: `Redis (TLS) to the cache ${cacheName}`,
            ipProtocol: "tcp",
            fromPort: cache.port,
            toPort: cache.port,
        },
        opts,
    );

    new aws.iam.RolePolicy(
        `${cacheName}-bastion-read`,
        {
            role: bastion.roleName,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: bastionStatements(cache) }),
        },
        opts,
    );
}

/**
 * Token mode: read the endpoint and the token parameters, and decrypt the token. The token key's policy delegates
 * to IAM (its account-administration statement), so this is the bastion's only grant; kms:ViaService keeps
 * decryption to reads through SSM. Iam mode: read the endpoint and cache-name parameters, and
 * `elasticache:Connect` on this replication group as the bastion's user only (both ARNs are required: AWS
 * auth-iam "Setup"), never `Resource: "*"`.
 */
function bastionStatements(cache: RedisCluster): object[] {
    if (cache.bastionUserArn !== undefined && cache.cacheNameParameterArn !== undefined) {
        return [
            {
                Effect: "Allow",
                Action: ["ssm:GetParameter"],
                Resource: [cache.endpointParameterArn, cache.cacheNameParameterArn],
            },
            {
                Effect: "Allow",
                Action: ["elasticache:Connect"],
                Resource: [cache.replicationGroupArn, cache.bastionUserArn],
            },
        ];
    }
    const region = aws.getRegionOutput().region;
    return [
        {
            Effect: "Allow",
            Action: ["ssm:GetParameter"],
            Resource: [cache.authTokenParameterArn, cache.endpointParameterArn],
        },
        {
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [cache.tokenKeyArn],
            Condition: {
                StringEquals: { "kms:ViaService": pulumi.interpolate`ssm.${region}.amazonaws.com` },
            },
        },
    ];
}
