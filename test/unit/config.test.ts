import * as assert from "assert";
import * as fc from "fast-check";
import {
    automaticFailover,
    autoNamedReplicationGroupId,
    DEFAULT_REDIS_CLI_SHA256,
    nodeCount,
    parameterGroupFamily,
    parseConfig,
    stackNameProblems,
} from "../../infra/config";
import { replicationGroupIdProblem } from "../../policy/shared";
import { problemsWith, projectDefaults, stackConfig, withConfig } from "../infra/stack-config";

/** Asserts exactly one problem, naming the key, and matching `pattern`. */
function rejects(overrides: Record<string, unknown>, key: string, pattern: RegExp): void {
    const found = problemsWith(overrides);
    assert.strictEqual(found.length, 1, `expected one problem, got: ${JSON.stringify(found)}`);
    assert.ok(found[0].startsWith(`redis-stack:${key}`), found[0]);
    assert.match(found[0], pattern);
}

describe("config", () => {
    it("accepts the Pulumi.yaml defaults: the tutorial's cache", () => {
        const config = parseConfig(projectDefaults());
        assert.strictEqual(config.cache.nodeType, "cache.t3.micro");
        assert.strictEqual(config.cache.engine, "redis");
        assert.strictEqual(config.cache.engineVersion, "7.1");
        assert.strictEqual(config.cache.port, 6379);
        assert.strictEqual(config.cache.maintenanceWindow, "mon:00:00-mon:01:00");
        assert.strictEqual(config.cache.authToken, undefined);
        assert.strictEqual(config.bastion.instanceType, "t3.micro");
        assert.deepStrictEqual(config.bastion.sshAllowedCidrs, []);
        assert.strictEqual(config.bastion.redisCliSha256, DEFAULT_REDIS_CLI_SHA256);
        assert.strictEqual(config.bastion.redisCliSourceUrl, "https://download.redis.io/releases/redis-7.2.15.tar.gz");
        assert.strictEqual(config.network.existing, undefined);
        assert.strictEqual(config.network.availabilityZoneCount, 2);
    });

    it("accepts the shipped stacks with their shapes", () => {
        const dev = parseConfig(stackConfig("dev"));
        assert.deepStrictEqual([dev.cache.clusterMode, nodeCount(dev.cache)], ["disabled", 1]);
        const staging = parseConfig(stackConfig("staging"));
        assert.strictEqual(staging.cache.clusterMode, "enabled");
        assert.ok(staging.cache.shards >= 2 && staging.cache.replicasPerShard >= 1);
        const prod = parseConfig(stackConfig("prod"));
        assert.strictEqual(prod.cache.clusterMode, "enabled");
        assert.ok(prod.cache.shards >= 2 && prod.cache.replicasPerShard >= 1);
        assert.strictEqual(prod.cache.snapshotRetentionDays, 35);
    });

    it("reads typed values", () => {
        const config = parseConfig(
            withConfig({
                redisClusterMode: "enabled",
                redisShards: 3,
                redisReplicasPerShard: 2,
                sshAllowedCidrs: ["203.0.113.7/32", "2001:db8::/48"],
                redisEngine: "valkey",
                redisAuthToken: "a-valid-token-with-<special>#$!",
            }),
        );
        assert.strictEqual(config.cache.shards, 3);
        assert.strictEqual(config.cache.replicasPerShard, 2);
        assert.strictEqual(config.cache.engineVersion, "8.0");
        assert.deepStrictEqual(config.bastion.sshAllowedCidrs, ["203.0.113.7/32", "2001:db8::/48"]);
        assert.strictEqual(config.cache.authToken, "a-valid-token-with-<special>#$!");
    });

    describe("refuses, naming the key, the value and what is allowed", () => {
        it("backup retention outside 0..35", () => {
            rejects({ snapshotRetentionDays: 36 }, "snapshotRetentionDays", /from 0 to 35, got "36"/);
            rejects({ snapshotRetentionDays: -1 }, "snapshotRetentionDays", /from 0 to 35/);
            rejects({ snapshotRetentionDays: "7.5" }, "snapshotRetentionDays", /whole number/);
            assert.deepStrictEqual(problemsWith({ snapshotRetentionDays: 0 }), []);
            assert.deepStrictEqual(problemsWith({ snapshotRetentionDays: 35 }), []);
        });

        it("node types ElastiCache no longer creates: the tutorial's cache.t2.micro names cache.t3.micro", () => {
            rejects(
                { redisNodeType: "cache.t2.micro" },
                "redisNodeType",
                /cache.t2.micro is a previous-generation node .* the free-tier node is cache.t3.micro/,
            );
            rejects({ redisNodeType: "cache.t1.micro" }, "redisNodeType", /previous-generation/);
            rejects({ redisNodeType: "cache.m3.medium" }, "redisNodeType", /previous-generation/);
            rejects({ redisNodeType: "cache.m7g.tiny" }, "redisNodeType", /not a node type ElastiCache offers/);
        });

        it("malformed node and instance types", () => {
            rejects({ redisNodeType: "t3.micro" }, "redisNodeType", /e.g. cache.t3.micro/);
            rejects({ redisNodeType: "cache.T3.micro" }, "redisNodeType", /node type/);
            rejects({ bastionInstanceType: "t3" }, "bastionInstanceType", /such as t3.micro/);
        });

        it("a snapshot window overlapping the maintenance window", () => {
            const found = problemsWith({ snapshotWindow: "23:30-00:30" });
            assert.strictEqual(found.length, 1, JSON.stringify(found));
            assert.match(found[0], /^redis-stack:maintenanceWindow and redis-stack:snapshotWindow: .*overlaps/);
        });

        it("windows shorter than 60 minutes or malformed", () => {
            rejects({ maintenanceWindow: "mon:00:00-mon:00:30" }, "maintenanceWindow", /at least 1 h/);
            rejects({ snapshotWindow: "05:00-05:59" }, "snapshotWindow", /at least 1 h/);
            rejects({ maintenanceWindow: "monday 00:00" }, "maintenanceWindow", /monday 00:00/);
            rejects({ snapshotWindow: "5-6" }, "snapshotWindow", /5-6/);
        });

        it("shards and replicas outside AWS's ranges", () => {
            rejects(
                { redisClusterMode: "enabled", redisShards: 0, redisReplicasPerShard: 1 },
                "redisShards",
                /from 1 to 500/,
            );
            rejects(
                { redisClusterMode: "enabled", redisShards: 501, redisReplicasPerShard: 1 },
                "redisShards",
                /from 1 to 500/,
            );
            rejects({ redisReplicasPerShard: 6 }, "redisReplicasPerShard", /from 0 to 5/);
            rejects(
                { redisClusterMode: "enabled", redisShards: 200, redisReplicasPerShard: 2 },
                "redisShards",
                /500 nodes/,
            );
            rejects({ redisShards: 2 }, "redisShards", /must be 1 when redisClusterMode is disabled/);
        });

        it("but not cluster mode without replicas: valid, with automatic failover on", () => {
            const config = parseConfig(
                withConfig({ redisClusterMode: "enabled", redisShards: 2, redisReplicasPerShard: 0 }),
            );
            assert.strictEqual(automaticFailover(config.cache), true);
            assert.strictEqual(automaticFailover({ clusterMode: "disabled", replicasPerShard: 0 }), false);
            assert.strictEqual(automaticFailover({ clusterMode: "disabled", replicasPerShard: 1 }), true);
        });

        it("an unknown cluster mode or engine", () => {
            rejects(
                { redisClusterMode: "compatible" },
                "redisClusterMode",
                /one of enabled, disabled, got "compatible"/,
            );
            rejects({ redisEngine: "memcached" }, "redisEngine", /one of redis, valkey/);
        });

        it("a world-open SSH CIDR", () => {
            rejects({ sshAllowedCidrs: ["0.0.0.0/0"] }, "sshAllowedCidrs", /whole internet.*got "0.0.0.0\/0"/);
            rejects({ sshAllowedCidrs: ["203.0.113.7/32", "::/0"] }, "sshAllowedCidrs", /whole internet.*got "::\/0"/);
            rejects({ sshAllowedCidrs: ["my-laptop"] }, "sshAllowedCidrs", /IPv4 or IPv6 CIDRs/);
            rejects({ sshAllowedCidrs: "203.0.113.7/32" }, "sshAllowedCidrs", /list of strings/);
        });

        it("SSH CIDRs that cover the whole internet only together (issue #10.2), judged as the policy does", () => {
            rejects(
                { sshAllowedCidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
                "sshAllowedCidrs",
                /whole internet \(together these cover all of IPv4\).*got \["0.0.0.0\/1","128.0.0.0\/1"\]/,
            );
            rejects(
                { sshAllowedCidrs: ["::/1", "203.0.113.7/32", "8000::/2", "c000::/2"] },
                "sshAllowedCidrs",
                /all of IPv6.*got \["::\/1","8000::\/2","c000::\/2"\]/,
            );
            assert.deepStrictEqual(problemsWith({ sshAllowedCidrs: ["0.0.0.0/1", "128.0.0.0/2", "::/1"] }), []);
            const both = problemsWith({ sshAllowedCidrs: ["0.0.0.0/1", "128.0.0.0/1", "::/0"] });
            assert.strictEqual(both.length, 2, JSON.stringify(both));
        });

        it("a token outside AWS's rules, without echoing it", () => {
            rejects({ redisAuthToken: "short" }, "redisAuthToken", /16 to 128 characters.*5 characters/);
            rejects({ redisAuthToken: "x".repeat(129) }, "redisAuthToken", /129 characters/);
            const found = problemsWith({ redisAuthToken: "has spaces and @ signs 1234" });
            assert.match(found[0], /with other characters/);
            assert.ok(!found[0].includes("spaces"), "the token must not be echoed");
        });

        it("a token update strategy other than ROTATE or SET (DELETE is a move to RBAC, not a rotation)", () => {
            rejects({ redisAuthTokenUpdateStrategy: "DELETE" }, "redisAuthTokenUpdateStrategy", /ROTATE, SET/);
            rejects({ redisAuthTokenUpdateStrategy: "rotate" }, "redisAuthTokenUpdateStrategy", /ROTATE, SET/);
            assert.deepStrictEqual(problemsWith({ redisAuthTokenUpdateStrategy: "SET" }), []);
        });

        it("transit encryption mode on an engine version that lacks it", () => {
            rejects({ redisEngineVersion: "6.2" }, "redisEngineVersion", /redis 7.0 or later.*transitEncryptionMode/);
            rejects({ redisEngineVersion: "6.x" }, "redisEngineVersion", /7.0 or later/);
            rejects({ redisEngine: "valkey", redisEngineVersion: "7.1" }, "redisEngineVersion", /Valkey starts at 7.2/);
            rejects({ redisEngineVersion: "latest" }, "redisEngineVersion", /not in a form the AWS provider accepts/);
        });

        it("engine versions ElastiCache does not offer, or in a form the provider refuses", () => {
            rejects({ redisEngineVersion: "7.2" }, "redisEngineVersion", /Redis OSS ends at 7.1.*valkey/);
            rejects({ redisEngineVersion: "7.1.0" }, "redisEngineVersion", /<major>.<minor> from 6 on/);
            rejects(
                { redisEngine: "valkey", redisEngineVersion: "9.9" },
                "redisEngineVersion",
                /not an engine version/,
            );
            assert.deepStrictEqual(problemsWith({ redisEngine: "valkey", redisEngineVersion: "8.1" }), []);
            assert.deepStrictEqual(problemsWith({ redisEngineVersion: "7.0" }), []);
            assert.deepStrictEqual(problemsWith({ redisEngine: "valkey", redisEngineVersion: "7.2" }), []);
        });

        it("a redis-cli pin that cannot be verified", () => {
            rejects({ redisCliVersion: "7.4.1" }, "redisCliSha256", /must be set to the tarball's SHA-256/);
            for (const version of ["7.2", "7.2.15-rc1", "v7.2.15", "12345.1.1", "7.2.15; rm -rf /", "$(id)"]) {
                rejects(
                    { redisCliVersion: version, redisCliSha256: "a".repeat(64) },
                    "redisCliVersion",
                    /such as 7.2.15/,
                );
            }
            rejects(
                { redisCliSourceUrl: "https://mirror.example.com/redis-7.2.15.tar.gz" },
                "redisCliSha256",
                /must be set/,
            );
            rejects({ redisCliSha256: "abc" }, "redisCliSha256", /64 hexadecimal/);
            rejects({ redisCliVersion: "stable", redisCliSha256: "a".repeat(64) }, "redisCliVersion", /such as 7.2.15/);
            rejects(
                { redisCliSourceUrl: "http://download.redis.io/redis-stable.tar.gz", redisCliSha256: "a".repeat(64) },
                "redisCliSourceUrl",
                /https/,
            );
            assert.deepStrictEqual(problemsWith({ redisCliVersion: "7.4.1", redisCliSha256: "A".repeat(64) }), []);
            assert.deepStrictEqual(
                problemsWith({
                    redisCliSourceUrl: "https://mirror.example.com/r/redis-7.2.15.tar.gz?x=1",
                    redisCliSha256: "a".repeat(64),
                }),
                [],
            );
        });

        it("a redis-cli source URL that is not plain https, without echoing credentials", () => {
            const sha = { redisCliSha256: "a".repeat(64) };
            for (const url of [
                "ftp://download.redis.io/r.tar.gz",
                "file:///tmp/r.tar.gz",
                "HTTPS://download.redis.io/r.tar.gz",
                "https://",
                "https://download.redis.io",
                "download.redis.io/r.tar.gz",
                "http://127.0.0.1/r.tar.gz",
            ]) {
                rejects({ redisCliSourceUrl: url, ...sha }, "redisCliSourceUrl", /must be an https:\/\/ URL/);
            }
            const credentials = problemsWith({
                redisCliSourceUrl: "https://user:pw@mirror.example.com/r.tar.gz",
                ...sha,
            });
            assert.strictEqual(credentials.length, 1, JSON.stringify(credentials));
            assert.match(
                credentials[0],
                /^redis-stack:redisCliSourceUrl .*without '@': credentials never go into user-data/,
            );
            assert.ok(!credentials[0].includes("pw"), "the password is not echoed");
            for (const url of [
                "https://mirror.example.com/rédis.tar.gz",
                "https://example.com/a b.tar.gz",
                "https://example.com/r'\n$(id)",
            ]) {
                rejects({ redisCliSourceUrl: url, ...sha }, "redisCliSourceUrl", /printable ASCII without blanks/);
            }
            rejects(
                { redisCliSourceUrl: `https://example.com/${"a".repeat(2048)}`, ...sha },
                "redisCliSourceUrl",
                /at most 2048 characters/,
            );
        });

        it("network settings", () => {
            rejects({ vpcCidr: "10.0.0.1/16" }, "vpcCidr", /no host bits/);
            rejects({ vpcCidr: "10.0.0.0/8" }, "vpcCidr", /\/16 to \/24/);
            rejects({ availabilityZoneCount: 1 }, "availabilityZoneCount", /from 2 to 6/);
            rejects(
                {
                    vpcId: "vpc-0123456789abcdef0",
                    privateSubnetIds: ["subnet-0123456789abcdef0"],
                    publicSubnetId: "subnet-0123456789abcdef1",
                },
                "privateSubnetIds",
                /at least 2 distinct/,
            );
            rejects(
                {
                    vpcId: "vpc-0123456789abcdef0",
                    privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef2"],
                },
                "publicSubnetId",
                /when vpcId is set/,
            );
            rejects({ privateSubnetIds: ["subnet-0123456789abcdef0"] }, "vpcId", /must be set when/);
            rejects(
                {
                    vpcId: "my-vpc",
                    privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef2"],
                    publicSubnetId: "subnet-0123456789abcdef1",
                },
                "vpcId",
                /vpc-0123456789abcdef0/,
            );
            const existing = parseConfig(
                withConfig({
                    vpcId: "vpc-0123456789abcdef0",
                    privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef2"],
                    publicSubnetId: "subnet-0123456789abcdef1",
                }),
            );
            assert.deepStrictEqual(existing.network.existing, {
                vpcId: "vpc-0123456789abcdef0",
                privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef2"],
                publicSubnetId: "subnet-0123456789abcdef1",
            });
        });

        it("other keys", () => {
            rejects({ redisPort: 80 }, "redisPort", /from 1024 to 65535/);
            rejects({ logRetentionDays: 10 }, "logRetentionDays", /one of 0, 1, 3, 5, 7, 14.*\(0: never expire\)/);
            assert.deepStrictEqual(problemsWith({ logRetentionDays: 0 }), []);
            rejects({ notificationTopicArn: "my-topic" }, "notificationTopicArn", /SNS topic ARN/);
            rejects({ snapshotArns: ["s3://bucket/key.rdb"] }, "snapshotArns", /S3 object ARNs/);
            rejects({ clientSecurityGroupIds: ["sg-1"] }, "clientSecurityGroupIds", /sg-0123456789abcdef0/);
        });

        it("unknown keys in the project's namespace, with a suggestion", () => {
            const found = problemsWith({ redisNodeTyp: "cache.t3.micro" });
            assert.deepStrictEqual(found, [
                "redis-stack:redisNodeTyp is not a key of this project (did you mean redisNodeType?); the keys are listed in Pulumi.yaml",
            ]);
        });
    });

    it("reports every problem at once", () => {
        const found = problemsWith({ snapshotRetentionDays: 99, redisPort: 1, sshAllowedCidrs: ["0.0.0.0/0"] });
        assert.strictEqual(found.length, 3, JSON.stringify(found));
        assert.throws(
            () => parseConfig(withConfig({ redisPort: 1 })),
            /^ConfigError: invalid stack configuration:\n {2}- redis-stack:redisPort/,
        );
    });

    it("ignores other namespaces", () => {
        assert.doesNotThrow(() => parseConfig({ ...projectDefaults(), "aws:region": "eu-west-1", "other:thing": "x" }));
    });

    it("derives the AMI architecture and parameter group family", () => {
        const arch = (type: string) => parseConfig(withConfig({ bastionInstanceType: type })).bastion.architecture;
        assert.strictEqual(arch("t3.micro"), "x86_64");
        assert.strictEqual(arch("t4g.micro"), "arm64");
        assert.strictEqual(arch("a1.medium"), "arm64");
        assert.strictEqual(parameterGroupFamily("redis", "7.1"), "redis7");
        assert.strictEqual(parameterGroupFamily("redis", "6.2"), "redis6.x");
        assert.strictEqual(parameterGroupFamily("valkey", "8.0"), "valkey8");
    });

    describe("stack names", () => {
        it("accepts the shipped stacks and refuses names whose auto-named replication group ID AWS refuses", () => {
            for (const stack of ["dev", "staging", "prod", "Prod-EU-1"]) {
                assert.deepStrictEqual(stackNameProblems(stack), [], stack);
            }
            const [long] = stackNameProblems("prod-ap-northeast-2");
            assert.match(
                long,
                /^stack name "prod-ap-northeast-2" cannot be deployed: .*45 characters long.*at most 14 letters/,
            );
            assert.match(stackNameProblems("qa.eu")[0], /only letters, digits and hyphens/);
            assert.match(stackNameProblems("a-")[0], /two consecutive hyphens/);
        });

        it("accepts exactly the stack names whose auto-named ID is valid, for every suffix", () => {
            fc.assert(
                fc.property(
                    fc.stringMatching(/^[A-Za-z0-9_.-]{1,30}$/),
                    fc.stringMatching(/^[0-9a-f]{7}$/),
                    (stack, suffix) => {
                        const valid =
                            replicationGroupIdProblem(autoNamedReplicationGroupId(stack, suffix)) === undefined;
                        assert.strictEqual(stackNameProblems(stack).length === 0, valid);
                        if (valid) {
                            assert.ok(stack.length <= 14 && /^[A-Za-z0-9-]+$/.test(stack));
                        }
                    },
                ),
            );
        });
    });
});
