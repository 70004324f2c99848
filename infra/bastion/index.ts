import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderUserData } from "./user-data";
import type { BastionConfig } from "../config";
import type { BastionImageConfig } from "../config/bastion-image";

/** The bastion's settings (see `BastionConfig`, as validated from the stack configuration) and where it lives. */
export interface BastionArgs extends BastionConfig, BastionImageConfig {
    /**
     * The VPC of the bastion's security group.
     * @example network.vpcId
     */
    readonly vpcId: pulumi.Input<string>;
    /**
     * A public subnet (routed to an internet gateway): Session Manager and the source download need the internet.
     * @example network.publicSubnetId
     */
    readonly subnetId: pulumi.Input<string>;
    /**
     * SSM parameter (String) `redis-connect` reads the endpoint from at run time (names only: values never enter
     * user-data).
     * @example "/redis-stack/dev/endpoint"
     */
    readonly endpointParameterName: string;
    /**
     * SSM parameter (SecureString) `redis-connect` reads the AUTH token from at run time (token mode).
     * @example "/redis-stack/dev/auth-token"
     */
    readonly authTokenParameterName: string;
    /**
     * How `redis-connect` authenticates: the AUTH token from SSM, or an IAM auth token it signs with the
     * instance role (`redisAuthMode`).
     * @default "token"
     * @example "iam"
     */
    readonly authMode?: "token" | "iam";
    /**
     * Iam mode: the ElastiCache user `redis-connect` authenticates as.
     * @default undefined (token mode)
     * @example "redis-prod-bastion"
     */
    readonly redisUserId?: string;
    /**
     * Iam mode: SSM parameter (String) holding the replication group ID, the cache name IAM tokens are signed for.
     * @example "/redis-stack/prod/replication-group-id"
     */
    readonly cacheNameParameterName: string;
}

/**
 * An Amazon Linux 2023 instance to reach the cache from inside the VPC, reached itself through Session
 * Manager. It builds a TLS-capable redis-cli at boot (see `bastion/install-redis-cli.sh`).
 */
export class Bastion extends pulumi.ComponentResource {
    /**
     * The instance, the target of `aws ssm start-session`.
     * @example "i-0123456789abcdef0"
     */
    readonly instanceId: pulumi.Output<string>;
    /**
     * The bastion's security group: no inbound rule unless `sshAllowedCidrs` is set.
     * @example "sg-0123456789abcdef0"
     */
    readonly securityGroupId: pulumi.Output<string>;
    /**
     * The instance's IAM role, for grants made by the program (infra/access.ts).
     * @example "redis-dev-bastion-role-1a2b3c4"
     */
    readonly roleName: pulumi.Output<string>;
    /**
     * ARN of that role.
     * @example "arn:aws:iam::123456789012:role/redis-dev-bastion-role-1a2b3c4"
     */
    readonly roleArn: pulumi.Output<string>;
    /**
     * The AMI the bastion runs (not secret: the instance is given the parameter's `insecureValue`).
     * @example "ami-0123456789abcdef0"
     */
    readonly amiId: pulumi.Output<string>;
    /**
     * What AL2023's "latest" SSM parameter names today: the AMI a deliberate upgrade would move to.
     * @example "ami-0fedcba9876543210"
     */
    readonly latestAmiId: pulumi.Output<string>;

    constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-stack:bastion:Bastion", name, {}, opts);

        const securityGroup = this.createSecurityGroup(name, args);
        const role = this.createRole(name);
        this.latestAmiId = this.resolveLatestAmi(args);
        const instance = this.createInstance(name, args, securityGroup, role);

        this.instanceId = instance.id;
        this.amiId = instance.ami;
        this.securityGroupId = securityGroup.id;
        this.roleName = role.name;
        this.roleArn = role.arn;
        this.registerOutputs({
            instanceId: this.instanceId,
            securityGroupId: this.securityGroupId,
            roleName: this.roleName,
            roleArn: this.roleArn,
            amiId: this.amiId,
            latestAmiId: this.latestAmiId,
        });
    }

    /**
     * The public SSM parameter always names the current AL2023 image (a name filter can match an image someone
     * else published). Its `value` is always secret, which would hide the AMI id in every diff; an AMI id is
     * public, so `insecureValue` is used.
     */
    private resolveLatestAmi(args: BastionArgs): pulumi.Output<string> {
        return aws.ssm.getParameterOutput(
            { name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${args.architecture}` },
            { parent: this },
        ).insecureValue;
    }

    private createSecurityGroup(name: string, args: BastionArgs): aws.ec2.SecurityGroup {
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description:
                    "redis-stack bastion: no inbound by default; HTTPS out for Session Manager and the Redis source",
                tags: { Name: `${name}-sg` },
            },
            { parent: this },
        );

        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https-out`,
            {
                securityGroupId: group.id,
                description: "HTTPS: Session Manager, package repositories, the Redis source tarball",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );

        args.sshAllowedCidrs.forEach((cidr, i) => {
            const ipv6 = cidr.includes(":");
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-ssh-${i + 1}`,
                {
                    securityGroupId: group.id,
                    description: `SSH from ${cidr} (sshAllowedCidrs)`,
                    ipProtocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                    ...(ipv6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                },
                { parent: this },
            );
        });
        return group;
    }

    private createRole(name: string): aws.iam.Role {
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "redis-stack bastion: Session Manager, and reading the cache's connection parameters",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
                    ],
                }),
            },
            { parent: this },
        );

        new aws.iam.RolePolicyAttachment(
            `${name}-ssm-core`,
            {
                role: role.name,
                // The SDK's ManagedPolicy constant is the aws partition's ARN; aws-cn and aws-us-gov have their own.
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
            },
            { parent: this },
        );
        return role;
    }

    private createInstance(
        name: string,
        args: BastionArgs,
        securityGroup: aws.ec2.SecurityGroup,
        role: aws.iam.Role,
    ): aws.ec2.Instance {
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, { parent: this });

        const burstable = /^t\d/.test(args.instanceType);
        return new aws.ec2.Instance(
            `${name}-instance`,
            {
                ami: args.amiId ?? this.latestAmiId,
                instanceType: args.instanceType,
                subnetId: args.subnetId,
                vpcSecurityGroupIds: [securityGroup.id],
                associatePublicIpAddress: true,
                iamInstanceProfile: profile.name,
                keyName: args.keyName,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    // 1 hop: containers on the host cannot reach the instance's credentials.
                    httpPutResponseHopLimit: 1,
                },
                rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8, deleteOnTermination: true },
                // "unlimited" is the T3 default and bills for surplus CPU: a bastion should never cost extra.
                ...(burstable ? { creditSpecification: { cpuCredits: "standard" } } : {}),
                userData: renderUserData({
                    version: args.redisCliVersion,
                    sourceUrl: args.redisCliSourceUrl,
                    sha256: args.redisCliSha256,
                    endpointParameterName: args.endpointParameterName,
                    authTokenParameterName: args.authTokenParameterName,
                    authMode: args.authMode,
                    redisUserId: args.redisUserId,
                    cacheNameParameterName: args.cacheNameParameterName,
                }),
                // A new redis-cli pin must produce a bastion that actually built it, not a stale one.
                userDataReplaceOnChange: true,
                tags: { Name: `${name}-instance`, Role: "bastion" },
            },
            // Unpinned, every AL2023 release would change `ami` and replace the bastion on a routine `pulumi up`;
            // it keeps the image it was created with until bastionAmiId pins another (the deliberate upgrade).
            { parent: this, ignoreChanges: args.amiId === undefined ? ["ami"] : [] },
        );
    }
}
