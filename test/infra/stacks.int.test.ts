/**
 * The real program under the preview-mode mock runtime, for each shipped stack: every property the foundation
 * promises, asserted on what the engine would receive.
 */
import * as assert from "assert";
import { DEFAULT_REDIS_CLI_SHA256, parseConfig, nodeCount } from "../../infra/config";
import { stackConfig } from "./stack-config";
import { isSecret, Plan, recordStack, TYPES, UNKNOWN } from "./program";

const STACKS = ["dev", "staging", "prod"] as const;

for (const stack of STACKS) {
    describe(`stack ${stack} under the mock runtime`, function () {
        const config = parseConfig(stackConfig(stack));
        /** Token mode (dev): one AUTH token in SSM. Iam mode (staging, prod): test/infra/iam-mode.int.test.ts. */
        const tokenMode = config.cache.authMode === "token";
        let plan: Plan;
        before(async () => {
            plan = new Plan(await recordStack(stack));
        });

        it("is composed of the four components under the stack", () => {
            const components = plan.recording.resources.filter((r) => r.type.startsWith("redis-stack:"));
            assert.deepStrictEqual(components.map((c) => [c.type, c.name]).sort(), [
                ["redis-stack:bastion:Bastion", `redis-${stack}-bastion`],
                ["redis-stack:cache:RedisCluster", `redis-${stack}-cache`],
                ["redis-stack:monitoring:Alarms", `redis-${stack}-alarms`],
                ["redis-stack:network:Network", `redis-${stack}-net`],
            ]);
            const cache = plan.one("redis-stack:cache:RedisCluster");
            for (const r of plan.recording.resources.filter(
                (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
            )) {
                if (r.parent === plan.recording.resources.find((x) => x.type === "pulumi:pulumi:Stack")!.urn) {
                    // The program's grants (infra/access.ts): named after the cache, aliased to their former parent.
                    assert.ok(r.name.startsWith(`${cache.name}-`), `${r.name} at the root is not a grant`);
                    const former = r.urn.replace("::aws:", `::redis-stack:cache:RedisCluster$aws:`);
                    assert.deepStrictEqual(r.options.aliases, [former], `${r.name} keeps its URN's history`);
                    continue;
                }
                const parent = plan.byUrn(r.parent);
                assert.ok(
                    parent.type.startsWith("redis-stack:"),
                    `${r.name} should be a child of a component, is under ${parent.type}`,
                );
                assert.ok(
                    r.name.startsWith(`${parent.name}-`),
                    `${r.name} should be named after its component ${parent.name}`,
                );
            }
        });

        describe("Network", () => {
            it("has a DNS-enabled VPC, private subnets in distinct AZs and a public subnet routed to an internet gateway", () => {
                const vpc = plan.one(TYPES.vpc);
                assert.strictEqual(vpc.inputs.cidrBlock, `${stackConfig(stack)["redis-stack:vpcCidr"]}`);
                assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
                assert.strictEqual(vpc.inputs.enableDnsSupport, true);

                const privates = plan.all(TYPES.subnet).filter((s) => s.name.includes("-private-"));
                assert.strictEqual(privates.length, config.network.availabilityZoneCount);
                assert.ok(privates.length >= 2);
                const zones = privates.map((s) => s.inputs.availabilityZone);
                assert.ok(
                    zones.every((z) => typeof z === "string" && z.startsWith("us-east-1")),
                    JSON.stringify(zones),
                );
                assert.strictEqual(new Set(zones).size, privates.length, "one private subnet per AZ");

                const publicSubnet = plan.one(TYPES.subnet, "-public");
                const routes = plan.one(TYPES.routeTable, "-public-rt");
                const igw = plan.one(TYPES.internetGateway);
                assert.deepStrictEqual(
                    plan.dependenciesOf(routes, "routes").map((r) => r.urn),
                    [igw.urn],
                );
                assert.strictEqual((routes.inputs.routes as { cidrBlock: string }[])[0].cidrBlock, "0.0.0.0/0");
                const association = plan.one(TYPES.routeTableAssociation);
                assert.deepStrictEqual(
                    plan.dependenciesOf(association, "subnetId").map((r) => r.urn),
                    [publicSubnet.urn],
                );
                assert.deepStrictEqual(
                    plan.dependenciesOf(association, "routeTableId").map((r) => r.urn),
                    [routes.urn],
                );
                assert.ok(
                    !plan
                        .all(TYPES.routeTableAssociation)
                        .some((a) => plan.dependenciesOf(a, "subnetId").some((s) => s.name.includes("-private-"))),
                    "private subnets have no route to the internet",
                );
            });

            it("puts the cache subnet group over the private subnets only", () => {
                const group = plan.one(TYPES.cacheSubnetGroup);
                const subnets = plan
                    .dependenciesOf(group, "subnetIds")
                    .map((s) => s.name)
                    .sort();
                assert.deepStrictEqual(
                    subnets,
                    plan
                        .all(TYPES.subnet)
                        .filter((s) => s.name.includes("-private-"))
                        .map((s) => s.name)
                        .sort(),
                );
            });

            it("takes over the VPC's default security group with no rules", () => {
                const defaultGroup = plan.one(TYPES.defaultSecurityGroup);
                assert.strictEqual(defaultGroup.inputs.ingress, undefined);
                assert.strictEqual(defaultGroup.inputs.egress, undefined);
            });
        });

        describe("Bastion", () => {
            it("runs AL2023 from the public SSM parameter on the configured type, IMDSv2 only, encrypted gp3 root", () => {
                const instance = plan.one(TYPES.instance);
                assert.strictEqual(
                    instance.inputs.ami,
                    "ami-0a3c14e1ddbe7f23c",
                    "the mock's answer for the AL2023 x86_64 parameter",
                );
                assert.strictEqual(instance.inputs.instanceType, config.bastion.instanceType);
                assert.deepStrictEqual(instance.inputs.metadataOptions, {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                });
                const root = instance.inputs.rootBlockDevice as Record<string, unknown>;
                assert.strictEqual(root.encrypted, true);
                assert.strictEqual(root.volumeType, "gp3");
                assert.deepStrictEqual(instance.inputs.creditSpecification, { cpuCredits: "standard" });
                assert.deepStrictEqual(
                    plan.dependenciesOf(instance, "subnetId").map((s) => s.name),
                    [`redis-${stack}-net-public`],
                );
            });

            it("connects through Session Manager: a role with AmazonSSMManagedInstanceCore and an instance profile", () => {
                const instance = plan.one(TYPES.instance);
                const profile = plan.one(TYPES.instanceProfile);
                assert.deepStrictEqual(
                    plan.dependenciesOf(instance, "iamInstanceProfile").map((r) => r.urn),
                    [profile.urn],
                );
                const role = plan.one(TYPES.role, "-bastion-role");
                assert.match(String(role.inputs.assumeRolePolicy), /ec2\.amazonaws\.com/);
                const attachment = plan.one(TYPES.rolePolicyAttachment);
                assert.strictEqual(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
                assert.deepStrictEqual(
                    plan.dependenciesOf(attachment, "role").map((r) => r.urn),
                    [role.urn],
                );
            });

            it("has its own security group with no inbound rule and only HTTPS and the cache port out", () => {
                const group = plan.one(TYPES.securityGroup, "-bastion-sg");
                const instance = plan.one(TYPES.instance);
                assert.deepStrictEqual(
                    plan.dependenciesOf(instance, "vpcSecurityGroupIds").map((r) => r.urn),
                    [group.urn],
                );
                assert.strictEqual(group.inputs.ingress, undefined);
                const inbound = plan
                    .usersOf(group)
                    .filter((u) => u.resource.type === TYPES.ingressRule && u.key === "securityGroupId");
                assert.deepStrictEqual(inbound, [], "no inbound rule by default");
                const outbound = plan
                    .usersOf(group)
                    .filter((u) => u.resource.type === TYPES.egressRule && u.key === "securityGroupId")
                    .map((u) => [
                        u.resource.inputs.fromPort,
                        u.resource.inputs.toPort,
                        u.resource.inputs.cidrIpv4 ?? "sg",
                    ]);
                assert.deepStrictEqual(outbound.sort(), [
                    [443, 443, "0.0.0.0/0"],
                    [6379, 6379, "sg"],
                ]);
            });

            it("builds a pinned, verified TLS redis-cli from user-data, replacing the instance when it changes", () => {
                const instance = plan.one(TYPES.instance);
                const userData = String(instance.inputs.userData);
                assert.ok(userData.startsWith("#!/bin/bash"));
                assert.ok(userData.includes(DEFAULT_REDIS_CLI_SHA256));
                assert.ok(userData.includes("https://download.redis.io/releases/redis-7.2.15.tar.gz"));
                assert.match(userData, /BUILD_TLS=yes/);
                assert.match(userData, /sha256sum/);
                const parameter = tokenMode ? "auth-token" : "replication-group-id";
                assert.ok(userData.includes(`/redis-stack/${stack}/${parameter}`), `names the ${parameter} parameter`);
                assert.strictEqual(instance.inputs.userDataReplaceOnChange, true);
            });
        });

        describe("RedisCluster", () => {
            it("is a replication group of the configured engine, node type, port and topology", () => {
                const group = plan.one(TYPES.replicationGroup);
                assert.strictEqual(group.inputs.engine, "redis");
                assert.strictEqual(group.inputs.engineVersion, "7.1");
                assert.strictEqual(group.inputs.nodeType, config.cache.nodeType);
                assert.strictEqual(group.inputs.port, 6379);
                assert.strictEqual(group.inputs.clusterMode, config.cache.clusterMode);
                if (config.cache.clusterMode === "enabled") {
                    assert.strictEqual(group.inputs.numNodeGroups, config.cache.shards);
                    assert.strictEqual(group.inputs.replicasPerNodeGroup, config.cache.replicasPerShard);
                    assert.strictEqual(group.inputs.numCacheClusters, undefined);
                    assert.ok(
                        config.cache.shards >= 2 && config.cache.replicasPerShard >= 1,
                        "staging and prod: at least 2 shards x 1 replica",
                    );
                } else {
                    assert.strictEqual(group.inputs.numCacheClusters, 1 + config.cache.replicasPerShard);
                    assert.strictEqual(group.inputs.numNodeGroups, undefined);
                }
                const replicated = config.cache.replicasPerShard > 0;
                assert.strictEqual(
                    group.inputs.automaticFailoverEnabled,
                    replicated || config.cache.clusterMode === "enabled",
                );
                assert.strictEqual(group.inputs.multiAzEnabled, replicated);
                if (stack === "dev") {
                    assert.deepStrictEqual(
                        [nodeCount(config.cache), group.inputs.nodeType],
                        [1, "cache.t3.micro"],
                        "dev is one free-tier node",
                    );
                }
            });

            it("requires TLS, encrypts at rest and requires a secret AUTH token (iam mode: the user group)", () => {
                const group = plan.one(TYPES.replicationGroup);
                assert.strictEqual(group.inputs.transitEncryptionEnabled, true);
                assert.strictEqual(group.inputs.transitEncryptionMode, "required");
                assert.strictEqual(group.inputs.atRestEncryptionEnabled, true);
                if (!tokenMode) {
                    assert.deepStrictEqual(group.inputs.userGroupIds, [`redis-${stack}-users`]);
                    assert.strictEqual(group.inputs.authToken, undefined);
                    assert.deepStrictEqual(plan.all(TYPES.randomPassword), []);
                    return;
                }
                assert.strictEqual(group.inputs.authTokenUpdateStrategy, "ROTATE");
                // Generated: unknown until the random provider runs, and a dependency on the generator.
                const password = plan.one(TYPES.randomPassword);
                assert.deepStrictEqual(
                    plan.dependenciesOf(group, "authToken").map((r) => r.urn),
                    [password.urn],
                );
                assert.strictEqual(password.inputs.overrideSpecial, "!&#$^<>-");
                assert.ok((password.inputs.length as number) >= 16 && (password.inputs.length as number) <= 128);
            });

            it("backs up daily and keeps the tutorial's Monday 00:00 UTC one-hour maintenance window", () => {
                const group = plan.one(TYPES.replicationGroup);
                assert.strictEqual(group.inputs.snapshotRetentionLimit, config.cache.snapshotRetentionDays);
                assert.strictEqual(group.inputs.snapshotWindow, "03:00-04:00");
                assert.strictEqual(group.inputs.maintenanceWindow, "mon:00:00-mon:01:00");
                assert.strictEqual(group.inputs.autoMinorVersionUpgrade, true);
                assert.strictEqual(group.inputs.notificationTopicArn, undefined, "SNS notifications off by default");
                assert.strictEqual(group.inputs.snapshotArns, undefined);
                if (stack === "prod") {
                    assert.strictEqual(group.inputs.snapshotRetentionLimit, 35);
                }
            });

            it("uses its own parameter group of the right family", () => {
                const group = plan.one(TYPES.replicationGroup);
                const params = plan.one(TYPES.parameterGroup);
                assert.deepStrictEqual(
                    plan.dependenciesOf(group, "parameterGroupName").map((r) => r.urn),
                    [params.urn],
                );
                assert.strictEqual(params.inputs.family, "redis7");
                assert.deepStrictEqual(params.inputs.parameters, [
                    { name: "cluster-enabled", value: config.cache.clusterMode === "enabled" ? "yes" : "no" },
                ]);
            });

            it("delivers slow-log and engine-log to CloudWatch log groups with a retention", () => {
                const group = plan.one(TYPES.replicationGroup);
                const logs = group.inputs.logDeliveryConfigurations as Record<string, unknown>[];
                assert.deepStrictEqual(
                    logs.map((l) => [l.logType, l.destinationType]),
                    [
                        ["slow-log", "cloudwatch-logs"],
                        ["engine-log", "cloudwatch-logs"],
                    ],
                );
                const logGroups = plan.dependenciesOf(group, "logDeliveryConfigurations");
                assert.deepStrictEqual(
                    logGroups.map((l) => l.type),
                    [TYPES.logGroup, TYPES.logGroup],
                );
                for (const logGroup of logGroups) {
                    assert.strictEqual(logGroup.inputs.retentionInDays, config.cache.logRetentionDays);
                }
            });

            it("sits behind a dedicated security group reachable on the cache port from the bastion's group only", () => {
                const group = plan.one(TYPES.replicationGroup);
                const cacheSg = plan.one(TYPES.securityGroup, "-cache-sg");
                const bastionSg = plan.one(TYPES.securityGroup, "-bastion-sg");
                assert.deepStrictEqual(
                    plan.dependenciesOf(group, "securityGroupIds").map((r) => r.urn),
                    [cacheSg.urn],
                );
                assert.deepStrictEqual(
                    plan.dependenciesOf(group, "subnetGroupName").map((r) => r.type),
                    [TYPES.cacheSubnetGroup],
                );

                const attachments = plan
                    .usersOf(cacheSg)
                    .filter((u) => ["securityGroupIds", "vpcSecurityGroupIds", "securityGroupId"].includes(u.key));
                const attachedTo = attachments.map((u) => `${u.resource.type}:${u.key}`).sort();
                assert.deepStrictEqual(
                    attachedTo,
                    [`${TYPES.replicationGroup}:securityGroupIds`, `${TYPES.ingressRule}:securityGroupId`],
                    "the cache's group is used by the cache and carries only its own ingress rule",
                );
                const ingress = plan
                    .usersOf(cacheSg)
                    .filter((u) => u.resource.type === TYPES.ingressRule)
                    .map((u) => u.resource);
                assert.strictEqual(ingress.length, 1);
                assert.deepStrictEqual(
                    [ingress[0].inputs.ipProtocol, ingress[0].inputs.fromPort, ingress[0].inputs.toPort],
                    ["tcp", 6379, 6379],
                );
                assert.deepStrictEqual(
                    plan.dependenciesOf(ingress[0], "referencedSecurityGroupId").map((r) => r.urn),
                    [bastionSg.urn],
                );
                assert.strictEqual(ingress[0].inputs.cidrIpv4, undefined);
            });

            it("stores the token as a SecureString only the bastion role may read, and the endpoint beside it", () => {
                if (!tokenMode) {
                    // No token to store: the endpoint and the cache name, both plain Strings; no key.
                    const names = plan.all(TYPES.ssmParameter).map((p) => [p.inputs.name, p.inputs.type]);
                    assert.deepStrictEqual(names.sort(), [
                        [`/redis-stack/${stack}/endpoint`, "String"],
                        [`/redis-stack/${stack}/replication-group-id`, "String"],
                    ]);
                    assert.deepStrictEqual(plan.all(TYPES.kmsKey), []);
                    return;
                }
                const token = plan.all(TYPES.ssmParameter).find((p) => p.inputs.type === "SecureString");
                const endpoint = plan.all(TYPES.ssmParameter).find((p) => p.inputs.type === "String");
                assert.ok(token && endpoint);
                assert.strictEqual(token.inputs.name, `/redis-stack/${stack}/auth-token`);
                assert.strictEqual(endpoint.inputs.name, `/redis-stack/${stack}/endpoint`);
                assert.ok(token.inputs.value === UNKNOWN || isSecret(token.inputs.value), "never plain text");
                assert.deepStrictEqual(
                    plan.dependenciesOf(endpoint, "value").map((r) => r.type),
                    [TYPES.replicationGroup],
                );

                const key = plan.one(TYPES.kmsKey);
                assert.deepStrictEqual(
                    plan.dependenciesOf(token, "keyId").map((r) => r.urn),
                    [key.urn],
                    "its own key, not aws/ssm",
                );
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                const role = plan.one(TYPES.role, "-bastion-role");
                assert.deepStrictEqual(
                    plan.dependenciesOf(key, "policy").map((r) => r.urn),
                    [],
                    "the key policy names no principal of the stack: it delegates to IAM",
                );

                const readers = plan.all(TYPES.rolePolicy);
                assert.strictEqual(readers.length, 1, "one grant, and only one");
                assert.deepStrictEqual(
                    plan.dependenciesOf(readers[0], "role").map((r) => r.urn),
                    [role.urn],
                );
                assert.deepStrictEqual(
                    plan
                        .dependenciesOf(readers[0], "policy")
                        .map((r) => r.urn)
                        .sort(),
                    [token.urn, endpoint.urn, key.urn].sort(),
                );
            });
        });

        it("exports the endpoints of its mode, the port, the token parameter and a connect command", () => {
            const outputs = plan.recording.outputs;
            const endpoints = Object.keys(outputs)
                .filter((k) => /Endpoint$/.test(k))
                .sort();
            if (config.cache.clusterMode === "enabled") {
                assert.deepStrictEqual(endpoints, ["redisConfigurationEndpoint", "redisEndpoint"]);
            } else {
                assert.deepStrictEqual(endpoints, ["redisEndpoint", "redisPrimaryEndpoint", "redisReaderEndpoint"]);
            }
            assert.strictEqual(outputs.redisEndpoint, UNKNOWN, "endpoints are known only after apply");
            assert.strictEqual(outputs.redisPort, 6379);
            assert.strictEqual(outputs.redisClusterMode, config.cache.clusterMode);
            if (tokenMode) {
                assert.strictEqual(outputs.redisAuthTokenParameter, `/redis-stack/${stack}/auth-token`);
            } else {
                assert.strictEqual(outputs.redisAuthTokenParameter, undefined);
                assert.strictEqual(outputs.redisUserId, `redis-${stack}-bastion`);
            }
            assert.strictEqual(outputs.redisAuthMode, config.cache.authMode);
            assert.strictEqual(outputs.vpcId, UNKNOWN);
            assert.strictEqual(outputs.bastionInstanceId, UNKNOWN);
            assert.ok("connectCommand" in outputs);
        });
    });
}
