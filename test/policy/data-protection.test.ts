import { elasticacheDataProtection } from "../../policy/data-protection";
import { UNKNOWN, assertNotApplicable, assertPass, assertUnknown, assertViolations, runResource } from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CL = "aws:elasticache/cluster:Cluster";
const WHO = 'aws.elasticache.ReplicationGroup "cache"';

describe("elasticache-data-protection", () => {
    const run = (props: Record<string, unknown>, protect = false, type = RG) =>
        runResource(elasticacheDataProtection, { type, name: "cache", props, protect });

    it("passes backups with a final snapshot, or with protect", async () => {
        assertPass(await run({ snapshotRetentionLimit: 7, finalSnapshotIdentifier: "redis-prod-cache-group-final" }));
        assertPass(await run({ snapshotRetentionLimit: 35 }, true));
        assertPass(await run({ snapshotRetentionLimit: 1, finalSnapshotIdentifier: "c-final" }, false, CL));
    });

    it("passes a cache that keeps no backups (nothing to lose that it promised to keep)", async () => {
        assertPass(await run({}));
        assertPass(await run({ snapshotRetentionLimit: 0 }));
    });

    it("flags backups with neither a final snapshot nor protect, naming both fixes", async () => {
        assertViolations(
            await run({ snapshotRetentionLimit: 7 }),
            WHO,
            /keeps 7 day\(s\) of backups.*no finalSnapshotIdentifier and not protected.*redisFinalSnapshot.*redisProtect/,
        );
        assertViolations(await run({ snapshotRetentionLimit: 7, finalSnapshotIdentifier: "" }), WHO, /not protected/);
    });

    it("skips replication group members and memcached", async () => {
        assertNotApplicable(
            await run({ replicationGroupId: "rg", snapshotRetentionLimit: 1 }, false, CL),
            /replication group, which is checked for its data protection/,
        );
        assertNotApplicable(await run({ engine: "memcached", snapshotRetentionLimit: 1 }, false, CL), /memcached/);
    });

    it("judges a replication group whatever its engine reads (it is never memcached), even unknown", async () =>
        assertViolations(await run({ engine: UNKNOWN.string, snapshotRetentionLimit: 7 }), WHO, /not protected/));

    it("unknown retention: preview advisory rather than a guess", async () => {
        assertUnknown(await run({ snapshotRetentionLimit: UNKNOWN.number }), "snapshotRetentionLimit");
    });

    it("a final snapshot name unknown in preview (redis-stack's per-deploy suffix) is set: a verdict, not can't-run", async () => {
        assertPass(await run({ snapshotRetentionLimit: 7, finalSnapshotIdentifier: UNKNOWN.string }));
    });
});
