import { strict as assert } from "assert";
import { elasticacheSupportedEngineVersion, majorVersion } from "../../policy/engine";
import { UNKNOWN, assertNotApplicable, assertPass, assertUnknown, assertViolations, runResource } from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CL = "aws:elasticache/cluster:Cluster";
const WHO = 'aws.elasticache.ReplicationGroup "cache"';

describe("elasticache-supported-engine-version", () => {
    const run = (props: Record<string, unknown>, type = RG, config?: Record<string, unknown>) =>
        runResource(elasticacheSupportedEngineVersion, { type, name: "cache", props, config });
    it("parses major versions", () => {
        assert.deepEqual(["7.1", "6.x", "5.0.6", "10.2", "x", "", "v7"].map(majorVersion), [
            7,
            6,
            5,
            10,
            undefined,
            undefined,
            undefined,
        ]);
    });
    it("passes 6.x, 7.1 and an unset version (AWS's current default)", async () => {
        assertPass(await run({ engineVersion: "6.x" }));
        assertPass(await run({ engine: "redis", engineVersion: "7.1" }));
        assertPass(await run({}));
        assertPass(await run({ engine: "redis", engineVersion: "7.0" }, CL));
    });
    it("flags Redis 5 and 4 (paid extended support)", async () => {
        assertViolations(
            await run({ engineVersion: "5.0.6" }),
            WHO,
            /engineVersion "5\.0\.6" is Redis 5; the oldest allowed is 6.*Fix: upgrade/,
        );
        assertViolations(await run({ engine: "REDIS", engineVersion: "4.0.10" }), WHO, /Redis 4/);
    });
    it("flags a version that is not one", async () =>
        assertViolations(await run({ engineVersion: "latest" }), WHO, /"latest" is not a version/));
    it("follows minRedisMajorVersion (6 from 31 Jan 2027)", async () =>
        assertViolations(
            await run({ engineVersion: "6.2" }, RG, {
                "elasticache-supported-engine-version": { minRedisMajorVersion: 7 },
            }),
            WHO,
            /Redis 6; the oldest allowed is 7/,
        ));
    it("does not apply to valkey or memcached, nor to group members", async () => {
        assertNotApplicable(await run({ engine: "valkey", engineVersion: "7.2" }), /"valkey" is not Redis OSS/);
        assertNotApplicable(await run({ engine: "memcached", engineVersion: "1.6.22" }, CL), /memcached/);
        assertNotApplicable(await run({ replicationGroupId: "rg" }, CL), /replication group/);
    });
    it("unknown: preview advisory", async () => {
        assertUnknown(await run({ engineVersion: UNKNOWN.string }), "engineVersion");
        assertUnknown(await run({ engine: UNKNOWN.string, engineVersion: "5.0.6" }), "engine");
    });
});
