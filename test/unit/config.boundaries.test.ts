// Config validation at its exact edges, with whole messages written out: the last value allowed and the first
// refused, valid values with junk before or after them (an unanchored pattern would take those), and the
// notes a message must not carry.

import * as assert from "assert";
import { nodeCount, parameterGroupFamily, parseConfig } from "../../infra/config";
import { instanceArchitecture } from "../../policy/shared";
import { configProblems, problemsWith, projectDefaults, withConfig } from "../infra/stack-config";

describe("config boundaries", () => {
    it("takes a /24 VPC and refuses a /25 and a /15", () => {
        assert.deepStrictEqual(problemsWith({ vpcCidr: "10.42.7.0/24" }), []);
        assert.strictEqual(parseConfig(withConfig({ vpcCidr: "10.42.7.0/24" })).network.vpcCidr.prefixLength, 24);
        const allowed = "must be an IPv4 network from /16 to /24 with no host bits set, e.g. 10.42.0.0/16";
        assert.deepStrictEqual(problemsWith({ vpcCidr: "10.42.7.0/25" }), [
            `redis-stack:vpcCidr ${allowed}, got "10.42.7.0/25"`,
        ]);
        assert.deepStrictEqual(problemsWith({ vpcCidr: "10.42.0.0/15" }), [
            `redis-stack:vpcCidr ${allowed}, got "10.42.0.0/15"`,
        ]);
    });

    it("takes exactly 500 nodes in cluster mode and refuses 501", () => {
        const config = parseConfig(
            withConfig({ redisClusterMode: "enabled", redisShards: 250, redisReplicasPerShard: 1 }),
        );
        assert.strictEqual(nodeCount(config.cache), 500);
        assert.deepStrictEqual(
            problemsWith({ redisClusterMode: "enabled", redisShards: 167, redisReplicasPerShard: 2 }),
            [
                "redis-stack:redisShards times 3 nodes per shard must stay within ElastiCache's 500 nodes per cluster, got 167",
            ],
        );
        assert.strictEqual(
            nodeCount(
                parseConfig(withConfig({ redisClusterMode: "enabled", redisShards: 4, redisReplicasPerShard: 2 }))
                    .cache,
            ),
            12,
        );
    });

    it("refuses cache.t1 nodes as previous generation whatever the backup retention, and backs up a t3", () => {
        // The catalog is the one rule for node types: no separate t1 backup rule adds a second problem.
        const previous =
            "redis-stack:redisNodeType: cache.t1.micro is a previous-generation node type that ElastiCache no longer creates (use a current generation such as cache.t3.micro, cache.t4g.small or cache.m7g.large; https://aws.amazon.com/elasticache/previous-generation/)";
        assert.deepStrictEqual(problemsWith({ redisNodeType: "cache.t1.micro", snapshotRetentionDays: 0 }), [previous]);
        assert.deepStrictEqual(problemsWith({ redisNodeType: "cache.t1.micro", snapshotRetentionDays: 1 }), [previous]);
        assert.deepStrictEqual(problemsWith({ redisNodeType: "cache.t3.micro", snapshotRetentionDays: 1 }), []);
    });

    it("refuses a `7.x` valkey version by the provider's form, and valkey 7.1; takes 7.2", () => {
        assert.deepStrictEqual(problemsWith({ redisEngine: "valkey", redisEngineVersion: "7.x" }), [
            'redis-stack:redisEngineVersion: valkey engine version "7.x" is not in a form the AWS provider accepts (<major>.<minor> from 6 on (6.x only for 6), <major>.<minor>.<patch> before 6); ElastiCache offers 7.2, 8.0, 8.1, 8.2, 9.0, 9.1',
        ]);
        // The provider takes either engine's form for a replication group: valkey 6.x is ElastiCache's refusal.
        assert.deepStrictEqual(problemsWith({ redisEngine: "valkey", redisEngineVersion: "6.x" }), [
            "redis-stack:redisEngineVersion: valkey 6.x is not an engine version ElastiCache offers (as of 2026-12-04: 7.2, 8.0, 8.1, 8.2, 9.0, 9.1; https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html)",
        ]);
        assert.deepStrictEqual(problemsWith({ redisEngine: "valkey", redisEngineVersion: "7.1" }), [
            "redis-stack:redisEngineVersion: valkey 7.1 does not exist on ElastiCache: Valkey starts at 7.2",
        ]);
        assert.deepStrictEqual(problemsWith({ redisEngine: "valkey", redisEngineVersion: "7.2" }), []);
        assert.strictEqual(parameterGroupFamily("valkey", "8.0"), "valkey8");
        assert.strictEqual(parameterGroupFamily("redis", "7.1"), "redis7");
    });

    it("reads redis `6.x` as 6.0, below the TLS minimum of 7.0; takes 7.0", () => {
        const tls = "transitEncryptionMode (TLS required) needs redis >= 7.0.5 or valkey >= 7.2";
        assert.deepStrictEqual(problemsWith({ redisEngineVersion: "6.x" }), [
            `redis-stack:redisEngineVersion must be redis 7.0 or later: ${tls}, got "6.x"`,
        ]);
        assert.deepStrictEqual(problemsWith({ redisEngineVersion: "7.0" }), []);
    });

    it("falls back to disabled cluster mode on a bad mode, so no follow-on problems appear", () => {
        assert.deepStrictEqual(problemsWith({ redisClusterMode: "on", redisReplicasPerShard: 0 }), [
            'redis-stack:redisClusterMode must be one of enabled, disabled, got "on"',
        ]);
    });

    it("trims values and list items", () => {
        const config = parseConfig(
            withConfig({ redisNodeType: " cache.t3.small ", sshAllowedCidrs: [" 203.0.113.7/32 "] }),
        );
        assert.strictEqual(config.cache.nodeType, "cache.t3.small");
        assert.deepStrictEqual(config.bastion.sshAllowedCidrs, ["203.0.113.7/32"]);
    });

    it("reads an empty list as no items, and a non-list as one bad value", () => {
        assert.deepStrictEqual(parseConfig(withConfig({ sshAllowedCidrs: "" })).bastion.sshAllowedCidrs, []);
        const allowed = "must be a list of strings (YAML list in the stack file)";
        assert.deepStrictEqual(problemsWith({ sshAllowedCidrs: "203.0.113.7/32" }), [
            `redis-stack:sshAllowedCidrs ${allowed}, got "203.0.113.7/32"`,
        ]);
        assert.deepStrictEqual(problemsWith({ sshAllowedCidrs: "[1]" }), [
            `redis-stack:sshAllowedCidrs ${allowed}, got [1]`,
        ]);
    });

    it("names a missing key instead of reading it as empty", () => {
        const raw = projectDefaults();
        delete raw["redis-stack:redisNodeType"];
        assert.deepStrictEqual(configProblems(raw), [
            "redis-stack:redisNodeType is missing (Pulumi.yaml declares its default; is the project file intact?)",
            'redis-stack:redisNodeType: "" is not an ElastiCache node type (cache.<family>.<size>, e.g. cache.t3.micro)',
        ]);
    });

    it("suggests the key meant by a near miss, only for this project's keys", () => {
        const raw = { ...projectDefaults(), "redis-stack:redisnodetype": "x", "redis-stack:redisNodeTpye": "x" };
        assert.deepStrictEqual(configProblems(raw), [
            "redis-stack:redisnodetype is not a key of this project (did you mean redisNodeType?); the keys are listed in Pulumi.yaml",
            "redis-stack:redisNodeTpye is not a key of this project (did you mean redisNodeType?); the keys are listed in Pulumi.yaml",
        ]);
        // Three edits away: no suggestion. Other namespaces and keys without one are not this project's.
        assert.deepStrictEqual(configProblems({ ...projectDefaults(), "redis-stack:zzzzz": "x" }), [
            "redis-stack:zzzzz is not a key of this project; the keys are listed in Pulumi.yaml",
        ]);
        assert.deepStrictEqual(
            configProblems({ ...projectDefaults(), "aws:region": "us-east-1", "redis-stack": "x" }),
            [],
        );
    });

    it("refuses a source URL with junk before or after it", () => {
        const allowed =
            "must be an https:// URL of a Redis source tarball (empty for download.redis.io), in printable ASCII without blanks (percent-encode anything else)";
        const sha = "a".repeat(64);
        assert.deepStrictEqual(
            problemsWith({ redisCliSourceUrl: "https://mirror.example/redis.tar.gz", redisCliSha256: sha }),
            [],
        );
        for (const url of ["see https://mirror.example/redis.tar.gz", "https://mirror.example/redis.tar.gz now"]) {
            assert.deepStrictEqual(problemsWith({ redisCliSourceUrl: url, redisCliSha256: sha }), [
                `redis-stack:redisCliSourceUrl ${allowed}, got "${url}"`,
            ]);
        }
    });

    it("describes a bad auth token without echoing it, and says 'other characters' only when there are some", () => {
        assert.deepStrictEqual(problemsWith({ redisAuthToken: "tooShort" }), [
            "redis-stack:redisAuthToken must be 16 to 128 characters of letters, digits and !&#$^<>- only, got a value of 8 characters",
        ]);
        assert.deepStrictEqual(problemsWith({ redisAuthToken: "a long enough token" }), [
            "redis-stack:redisAuthToken must be 16 to 128 characters of letters, digits and !&#$^<>- only, got a value of 19 characters with other characters",
        ]);
    });

    it("needs vpcId with existing subnets, and a public subnet with vpcId", () => {
        const subnets = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"];
        assert.deepStrictEqual(problemsWith({ publicSubnetId: "subnet-0123456789abcdef0" }), [
            'redis-stack:vpcId must be set when privateSubnetIds or publicSubnetId is (they belong to an existing VPC), got ""',
        ]);
        assert.deepStrictEqual(problemsWith({ vpcId: "vpc-0123456789abcdef0", privateSubnetIds: subnets }), [
            `redis-stack:publicSubnetId must name the bastion's public subnet when vpcId is set, got ""`,
        ]);
        assert.deepStrictEqual(
            problemsWith({
                vpcId: "vpc-0123456789abcdef0",
                privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-x"],
            }),
            [
                'redis-stack:privateSubnetIds items must look like subnet-0123456789abcdef0, got "subnet-x"',
                `redis-stack:publicSubnetId must name the bastion's public subnet when vpcId is set, got ""`,
            ],
        );
        const existing = parseConfig(
            withConfig({
                vpcId: "vpc-0123456789abcdef0",
                privateSubnetIds: subnets,
                publicSubnetId: "subnet-0123456789abcdef2",
            }),
        ).network.existing;
        assert.deepStrictEqual(existing, {
            vpcId: "vpc-0123456789abcdef0",
            privateSubnetIds: subnets,
            publicSubnetId: "subnet-0123456789abcdef2",
        });
    });

    it("recognises Graviton families by the g right after the generation digits, at the start only", () => {
        assert.strictEqual(instanceArchitecture("im4gn.large"), "arm64");
        assert.strictEqual(instanceArchitecture("x10g.large"), "arm64");
        assert.strictEqual(instanceArchitecture("4t4g.micro"), "x86_64");
        assert.strictEqual(instanceArchitecture("t3.micro"), "x86_64");
    });

    it("lists every problem in the error's message, one per line", () => {
        assert.throws(
            () => parseConfig(withConfig({ redisPort: 80, redisClusterMode: "on" })),
            (e: Error) =>
                e.message ===
                'invalid stack configuration:\n  - redis-stack:redisClusterMode must be one of enabled, disabled, got "on"\n  - redis-stack:redisPort must be a whole number from 1024 to 65535, got "80"',
        );
    });
});
