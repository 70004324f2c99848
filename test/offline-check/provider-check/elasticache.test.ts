import * as assert from "assert";
import { check, fails, passes, secret, UNKNOWN } from "./helpers";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
/** The dev stack's replication group as recorded (unknowns where the program passes outputs). */
const DEV = {
    clusterMode: "disabled",
    numCacheClusters: 1,
    description: "redis-stack redis-dev-cache: redis 7.1, 1 shard(s) x 1 node(s)",
    engine: "redis",
    engineVersion: "7.1",
    nodeType: "cache.t3.micro",
    port: 6379,
    parameterGroupName: UNKNOWN,
    subnetGroupName: UNKNOWN,
    securityGroupIds: [UNKNOWN],
    automaticFailoverEnabled: false,
    multiAzEnabled: false,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    atRestEncryptionEnabled: true,
    authToken: UNKNOWN,
    authTokenUpdateStrategy: "ROTATE",
    snapshotRetentionLimit: 1,
    snapshotWindow: "03:00-04:00",
    maintenanceWindow: "mon:00:00-mon:01:00",
    logDeliveryConfigurations: [
        { logType: "slow-log", destinationType: "cloudwatch-logs", destination: UNKNOWN, logFormat: "json" },
        { logType: "engine-log", destinationType: "cloudwatch-logs", destination: UNKNOWN, logFormat: "json" },
    ],
};

describe("provider-check: ElastiCache replication group (replication_group.go)", () => {
    it("passes the dev stack's group, auto-named in lower case", () => {
        passes(RG, DEV, "redis-dev-cache-group");
    });

    it("auto-names the id from the logical name: too long for 40 characters is the bridge's error", () => {
        const problems = check(RG, DEV, "redis-prod-ap-northeast-2-cache-group");
        assert.strictEqual(problems.length, 1);
        assert.match(
            problems[0].message,
            /has a problem: could not make instance of 'aws:elasticache\/replicationGroup:ReplicationGroup': name 'redis-prod-ap-northeast-2-cache-group-' plus 7 random chars is longer than maximum length 40/,
        );
    });

    it("refuses ids with characters, starts or hyphens AWS refuses", () => {
        const rg = (name: string) => check(RG, DEV, name).map((p) => p.reason);
        assert.deepStrictEqual(rg("redis-qa.eu-cache-group"), [
            "invalid value for replication_group_id (must contain only alphanumeric characters and hyphens)",
        ]);
        assert.deepStrictEqual(rg("1redis"), ["invalid value for replication_group_id (must begin with a letter)"]);
        assert.deepStrictEqual(rg("redis--x"), [
            "invalid value for replication_group_id (cannot contain two consecutive hyphens)",
        ]);
        fails(RG, { ...DEV, replicationGroupId: "redis-" }, /cannot end with a hyphen/);
        fails(
            RG,
            { ...DEV, replicationGroupId: "" },
            /expected length of replication_group_id to be in the range \(1 - 40\)/,
            /must contain only alphanumeric characters and hyphens/,
            /must begin with a letter/,
        );
    });

    it("checks the engine, and the replication group's engine version in either engine's form (validation.Any)", () => {
        fails(RG, { ...DEV, engine: "memcached" }, /expected engine to be one of \["redis" "valkey"\], got memcached/);
        fails(
            RG,
            { ...DEV, engineVersion: "7.1.0" },
            /engine_version: 7.1.0 is invalid. For Redis v6 or higher, use <major>.<minor>/,
            /engine_version: 7.1.0 is invalid. For Valkey use <major>.<minor>/,
        );
        fails(
            RG,
            { ...DEV, engine: "valkey", engineVersion: "8.0.1" },
            /For Redis v6/,
            /For Valkey use <major>.<minor>/,
        );
        passes(RG, { ...DEV, engine: "valkey", engineVersion: "8.0" });
        passes(RG, { ...DEV, engineVersion: "6.x" });
        // Either form passes whatever the engine: the provider's schema validator cannot see the engine.
        passes(RG, { ...DEV, engine: "valkey", engineVersion: "6.x" });
        passes(RG, { ...DEV, engine: "redis", engineVersion: "5.0.6" });
        passes(RG, { ...DEV, engine: "valkey", engineVersion: "5.0.6" });
    });

    it("checks a cache cluster's engine version per engine (validateClusterEngineVersion), not for an unknown engine", () => {
        const CL = "aws:elasticache/cluster:Cluster";
        passes(CL, { engine: "memcached", engineVersion: "1.6.22", nodeType: "cache.t3.micro", numCacheNodes: 2 });
        fails(
            CL,
            { engine: "memcached", engineVersion: "1.6" },
            /must be a version string matching <major>.<minor>.<patch>/,
        );
        fails(CL, { engine: "valkey", engineVersion: "6.x" }, /For Valkey use <major>.<minor>/);
        fails(CL, { engine: "redis", engineVersion: "7" }, /For Redis v6 or higher/);
        passes(CL, { engine: "redis", engineVersion: "7.1" });
        passes(CL, { engine: UNKNOWN, engineVersion: "7.1" });
    });

    it("refuses num_cache_nodes > 1 on a redis or valkey cache cluster (cluster.go CustomizeDiff), not when unknown", () => {
        const CL = "aws:elasticache/cluster:Cluster";
        fails(CL, { engine: "redis", numCacheNodes: 2 }, /engine "redis" does not support num_cache_nodes > 1/);
        fails(CL, { engine: "valkey", numCacheNodes: 3 }, /engine "valkey" does not support num_cache_nodes > 1/);
        passes(CL, { engine: "redis", numCacheNodes: 1 });
        passes(CL, { engine: UNKNOWN, numCacheNodes: 2 });
        passes(CL, { engine: "redis", numCacheNodes: UNKNOWN });
        fails(CL, { engine: "memcached", numCacheNodes: 1, azMode: "cross-az" }, /az_mode "cross-az" is not supported/);
    });

    it("checks a known AUTH token without printing it", () => {
        const problems = fails(
            RG,
            { ...DEV, authToken: secret("short/@token") },
            /"auth_token" must contain from 16 to 128/,
            /only alphanumeric characters or symbols \(excluding @, ", and \/\) allowed in "auth_token"/,
        );
        assert.ok(problems.every((p) => !p.message.includes("short/@token")));
    });

    it("runs the CustomizeDiff rules: Multi-AZ needs failover, failover needs two nodes, strategy needs a token", () => {
        fails(
            RG,
            { ...DEV, multiAzEnabled: true },
            /automatic_failover_enabled must be true if multi_az_enabled is true/,
        );
        fails(
            RG,
            { ...DEV, automaticFailoverEnabled: true },
            /"num_cache_clusters": must be at least 2 if automatic_failover_enabled is true/,
        );
        fails(RG, { ...DEV, authToken: undefined }, /"auth_token_update_strategy": "auth_token" must be specified/);
        fails(
            RG,
            { ...DEV, authTokenUpdateStrategy: "DELETE" },
            /"auth_token" must not be specified when "auth_token_update_strategy" is "DELETE"/,
        );
        passes(RG, { ...DEV, automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 2 });
    });

    it("refuses conflicting inputs (ConflictsWith)", () => {
        fails(
            RG,
            { ...DEV, numNodeGroups: 2 },
            /"num_cache_clusters": conflicts with num_node_groups/,
            /"num_node_groups": conflicts with num_cache_clusters/,
        );
        fails(
            RG,
            { ...DEV, authToken: secret("a".repeat(16)), userGroupIds: ["g"] },
            /"auth_token": conflicts with user_group_ids/,
            /"user_group_ids": conflicts with auth_token/,
        );
        // The SDK checks ConflictsWith only between wholly known values (helper/schema validate).
        passes(RG, { ...DEV, userGroupIds: ["g"] });
        passes(RG, { ...DEV, authToken: secret("a".repeat(16)), userGroupIds: [UNKNOWN] });
    });

    it("checks enums, ranges, windows, ARNs and log delivery blocks", () => {
        fails(
            RG,
            { ...DEV, transitEncryptionMode: "on" },
            /expected transit_encryption_mode to be one of \["preferred" "required"\]/,
        );
        fails(RG, { ...DEV, clusterMode: "yes" }, /expected cluster_mode to be one of/);
        fails(RG, { ...DEV, authTokenUpdateStrategy: "KEEP" }, /expected auth_token_update_strategy to be one of/);
        fails(
            RG,
            { ...DEV, snapshotRetentionLimit: 40 },
            /expected snapshot_retention_limit to be at most \(35\), got 40/,
        );
        fails(
            RG,
            { ...DEV, snapshotWindow: "3:00-4:00" },
            /"snapshot_window" must satisfy the format of "hh24:mi-hh24:mi"/,
        );
        fails(
            RG,
            { ...DEV, maintenanceWindow: "monday:00:00-mon:01:00" },
            /"maintenance_window" must satisfy the format of "ddd:hh24:mi-ddd:hh24:mi"/,
        );
        fails(RG, { ...DEV, notificationTopicArn: "ops" }, /is an invalid ARN: arn: invalid prefix/);
        fails(
            RG,
            { ...DEV, snapshotArns: ["arn:aws:s3:::b/a.rdb,b.rdb"] },
            /to not contain any of ",".*Examine values at 'thing\.snapshotArns\[0\]'/,
        );
        fails(
            RG,
            {
                ...DEV,
                logDeliveryConfigurations: [
                    { logType: "slowlog", destinationType: "cloudwatch-logs", destination: "g", logFormat: "json" },
                ],
            },
            /has a problem: expected log_type to be one of .*Examine values at 'thing\.logDeliveryConfigurations\[0\]\.logType'/,
        );
        fails(
            RG,
            { ...DEV, replicasPerNodeGroup: -1, numCacheClusters: undefined },
            /expected replicas_per_node_group to be at least \(0\), got -1/,
        );
        fails(RG, { ...DEV, description: "" }, /expected "description" to not be an empty string/);
    });

    it("names the property of each failure and accepts every value the provider does", () => {
        const at = (property: string, reason: string) =>
            new RegExp(`has a problem: ${reason}.*\\. Examine values at 'thing\\.${property}'\\.$`);
        fails(
            RG,
            { ...DEV, engine: undefined, engineVersion: "7.1.0" },
            at("engineVersion", "engine_version: 7\\.1\\.0 is invalid\\. For Redis"),
            at("engineVersion", "engine_version: 7\\.1\\.0 is invalid\\. For Valkey"),
        );
        fails(
            RG,
            { ...DEV, engine: "valkey", engineVersion: "8" },
            at("engineVersion", "engine_version: 8 is invalid\\. For Redis"),
            at("engineVersion", "engine_version: 8 is invalid\\. For Valkey"),
        );
        passes(RG, { ...DEV, engine: "Valkey", engineVersion: "8.0" });
        fails(
            RG,
            { ...DEV, authToken: secret("abcdefghijklmno") },
            at("authToken", '"auth_token" must contain from 16 to 128'),
        );
        fails(RG, { ...DEV, authToken: secret("a".repeat(129)) }, at("authToken", '"auth_token" must contain from 16'));
        fails(RG, { ...DEV, authToken: secret("abcdefghijklmnop@") }, at("authToken", "only alphanumeric characters"));
        passes(RG, { ...DEV, authToken: secret("a".repeat(16)) });
        passes(RG, { ...DEV, authToken: secret("a".repeat(128)) });
        fails(RG, { ...DEV, snapshotWindow: "3:00-4:00" }, at("snapshotWindow", '"snapshot_window"'));
        fails(RG, { ...DEV, maintenanceWindow: "mon:0-mon:1" }, at("maintenanceWindow", '"maintenance_window"'));
        passes(RG, { ...DEV, snapshotWindow: undefined, maintenanceWindow: undefined });
        // timestamp.ValidateOnceADayWindowFormat / ...AWeek...: the patterns end in `|)$`, so "" is valid.
        passes(RG, { ...DEV, snapshotWindow: "", maintenanceWindow: "" });
        fails(
            RG,
            { ...DEV, ipDiscovery: "ipv5" },
            at("ipDiscovery", 'expected ip_discovery to be one of \\["ipv4" "ipv6"\\]'),
        );
        fails(
            RG,
            { ...DEV, networkType: "x" },
            at("networkType", 'expected network_type to be one of \\["ipv4" "ipv6" "dual_stack"\\]'),
        );
        fails(
            RG,
            { ...DEV, notificationTopicArn: "ops" },
            at("notificationTopicArn", '"notification_topic_arn" \\(ops\\) is an invalid ARN'),
        );
        fails(
            RG,
            { ...DEV, snapshotArns: ["nope"] },
            at("snapshotArns\\[0\\]", '"snapshot_arns" \\(nope\\) is an invalid ARN'),
        );
        for (const clusterMode of ["enabled", "compatible"]) passes(RG, { ...DEV, clusterMode });
        for (const ipDiscovery of ["ipv4", "ipv6"]) passes(RG, { ...DEV, ipDiscovery });
        for (const networkType of ["ipv4", "ipv6", "dual_stack"]) passes(RG, { ...DEV, networkType });
        passes(RG, { ...DEV, authTokenUpdateStrategy: "SET" });
    });

    it("checks log delivery blocks: at most two, each field against its set, unknown blocks skipped", () => {
        const slow = DEV.logDeliveryConfigurations[0];
        fails(
            RG,
            { ...DEV, logDeliveryConfigurations: [slow, slow, slow] },
            /has a problem: Too many log_delivery_configuration blocks.*Examine values at 'thing\.logDeliveryConfigurations'\./,
        );
        fails(
            RG,
            { ...DEV, logDeliveryConfigurations: [{ ...slow, destinationType: "s3", logFormat: "xml" }] },
            /has a problem: expected destination_type to be one of \["cloudwatch-logs" "kinesis-firehose"\], got s3\. Examine values at 'thing\.logDeliveryConfigurations\[0\]\.destinationType'/,
            /has a problem: expected log_format to be one of \["text" "json"\], got xml\. Examine values at 'thing\.logDeliveryConfigurations\[0\]\.logFormat'/,
        );
        passes(RG, {
            ...DEV,
            logDeliveryConfigurations: [{ ...slow, destinationType: "kinesis-firehose", logFormat: "text" }, UNKNOWN],
        });
    });

    it("applies the CustomizeDiff rules only to what is set", () => {
        passes(RG, { ...DEV, multiAzEnabled: undefined, automaticFailoverEnabled: undefined });
        passes(RG, { ...DEV, authToken: undefined, authTokenUpdateStrategy: undefined });
        passes(RG, { ...DEV, authToken: undefined, authTokenUpdateStrategy: "DELETE" });
        fails(
            RG,
            { ...DEV, multiAzEnabled: true },
            /has a problem: .*Examine values at 'thing\.automaticFailoverEnabled'\./,
        );
        fails(
            RG,
            { ...DEV, automaticFailoverEnabled: true },
            /has a problem: .*Examine values at 'thing\.numCacheClusters'\./,
        );
        fails(
            RG,
            { ...DEV, authToken: undefined },
            /has a problem: .*Examine values at 'thing\.authTokenUpdateStrategy'\./,
        );
        fails(
            RG,
            { ...DEV, authTokenUpdateStrategy: "DELETE" },
            /has a problem: .*Examine values at 'thing\.authToken'\./,
        );
    });

    it("refuses every input a global replication group owns", () => {
        const owned = {
            parameterGroupName: "p",
            engine: "redis",
            engineVersion: "7.1",
            nodeType: "cache.t3.micro",
            securityGroupNames: ["s"],
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            atRestEncryptionEnabled: true,
            snapshotArns: ["arn:aws:s3:::b/a.rdb"],
            snapshotName: "s",
        };
        const base = { description: "d", numCacheClusters: 1 };
        const problems = check(RG, { ...base, ...owned, globalReplicationGroupId: "g" }, "cache").map((p) => p.reason);
        assert.deepStrictEqual(
            problems.map((m) => /conflicts with (\w+)$/.exec(m)?.[1]),
            Object.keys(owned).map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
        );
        fails(
            RG,
            { ...base, numCacheClusters: undefined, numNodeGroups: 2, globalReplicationGroupId: "g" },
            /"num_node_groups": conflicts with global_replication_group_id/,
            /"global_replication_group_id": conflicts with num_node_groups/,
        );
    });

    it("refuses replicasPerNodeGroup beside numCacheClusters, and a comma in a snapshot ARN by name", () => {
        fails(RG, { ...DEV, replicasPerNodeGroup: 1 }, /"num_cache_clusters": conflicts with replicas_per_node_group/);
        fails(
            RG,
            { ...DEV, snapshotArns: ["arn:aws:s3:::b/a,b.rdb"] },
            /expected value of snapshot_arns to not contain any of ","/,
        );
    });

    it("declares no checks of its own for parameter and subnet groups", () => {
        passes("aws:elasticache/parameterGroup:ParameterGroup", { family: "redis7" }, "params");
        passes("aws:elasticache/subnetGroup:SubnetGroup", { subnetIds: [UNKNOWN] }, "subnets");
    });

    it("never fails on unknown values", () => {
        passes(RG, {
            ...DEV,
            engineVersion: UNKNOWN,
            multiAzEnabled: UNKNOWN,
            numCacheClusters: UNKNOWN,
            snapshotArns: [UNKNOWN],
            notificationTopicArn: UNKNOWN,
        });
    });
});
