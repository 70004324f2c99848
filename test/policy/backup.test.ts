import { elasticacheBackupRetention, elasticacheWindowsValid } from "../../policy/backup";
import { UNKNOWN, assertNotApplicable, assertPass, assertUnknown, assertViolations, runResource } from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CL = "aws:elasticache/cluster:Cluster";
const WHO = 'aws.elasticache.ReplicationGroup "cache"';

describe("backup policies", () => {
    describe("elasticache-backup-retention", () => {
        const run = (props: Record<string, unknown>, config?: Record<string, unknown>, type = RG) =>
            runResource(elasticacheBackupRetention, { type, name: "cache", props, config });
        it("passes 1 to 35 days with defaults", async () => {
            assertPass(await run({ snapshotRetentionLimit: 1 }));
            assertPass(await run({ snapshotRetentionLimit: 35 }));
            assertPass(await run({ snapshotRetentionLimit: 7 }, undefined, CL));
        });
        it("flags backups off, explicitly or by AWS's default 0", async () => {
            assertViolations(
                await run({ snapshotRetentionLimit: 0 }),
                WHO,
                /snapshotRetentionLimit is 0; at least 1 day\(s\) required.*0 turns automatic backups off/,
            );
            assertViolations(await run({}), WHO, /not set \(AWS default 0: backups off\)/);
        });
        it("flags more than maxDays, and beyond AWS's own 35", async () => {
            assertViolations(
                await run({ snapshotRetentionLimit: 36 }),
                WHO,
                /36; at most 35 day\(s\) allowed \(AWS's own limit is 35\)/,
            );
            assertViolations(
                await run({ snapshotRetentionLimit: 8 }, { "elasticache-backup-retention": { maxDays: 7 } }),
                WHO,
                /8; at most 7 day\(s\) allowed\. Fix: .*between 1 and 7/,
            );
        });
        it("prod's 35..35 refuses anything less than 35", async () => {
            const config = { "elasticache-backup-retention": { minDays: 35, maxDays: 35 } };
            assertPass(await run({ snapshotRetentionLimit: 35 }, config));
            assertViolations(await run({ snapshotRetentionLimit: 34 }, config), WHO, /at least 35/);
        });
        it("minDays 0 allows backups off", async () =>
            assertPass(await run({}, { "elasticache-backup-retention": { minDays: 0 } })));
        it("skips members and memcached", async () => {
            assertNotApplicable(await run({ replicationGroupId: "rg" }, undefined, CL), /replication group/);
            assertNotApplicable(await run({ engine: "memcached" }, undefined, CL), /memcached/);
        });
        it("unknown: preview advisory", async () =>
            assertUnknown(await run({ snapshotRetentionLimit: UNKNOWN.number }), "snapshotRetentionLimit"));
    });

    describe("elasticache-windows-valid", () => {
        const run = (props: Record<string, unknown>, config?: Record<string, unknown>, type = RG) =>
            runResource(elasticacheWindowsValid, { type, name: "cache", props, config });
        it("passes the tutorial's windows, and absent windows", async () => {
            assertPass(await run({ maintenanceWindow: "mon:00:00-mon:01:00", snapshotWindow: "03:00-04:00" }));
            assertPass(await run({}));
            assertPass(await run({ maintenanceWindow: "sun:05:00-sun:06:00" }, undefined, CL));
        });
        it('passes empty windows: the provider sends none (its window validators accept "")', async () => {
            assertPass(await run({ maintenanceWindow: "", snapshotWindow: "" }));
        });
        it("flags malformed windows", async () => {
            assertViolations(
                await run({ maintenanceWindow: "monday 00:00" }),
                WHO,
                /maintenanceWindow "monday 00:00" is not a weekly window.*Fix: set maintenanceWindow as ddd:hh24:mi-ddd:hh24:mi/,
            );
            assertViolations(
                await run({ snapshotWindow: "3am-4am" }),
                WHO,
                /snapshotWindow "3am-4am" is not a daily window/,
            );
        });
        it("flags windows under 60 minutes", async () => {
            assertViolations(
                await run({ maintenanceWindow: "mon:00:00-mon:00:30" }),
                WHO,
                /lasts 30 min; it must last at least 1 h/,
            );
            assertViolations(await run({ snapshotWindow: "23:30-00:15" }), WHO, /"23:30-00:15" lasts 45 min/);
        });
        it("flags a maintenance window over 24 h", async () =>
            assertViolations(
                await run({ maintenanceWindow: "mon:00:00-wed:00:00" }),
                WHO,
                /lasts 48 h; it must last at most 24 h/,
            ));
        it("flags overlap, including across midnight", async () => {
            assertViolations(
                await run({ maintenanceWindow: "tue:00:00-tue:01:00", snapshotWindow: "23:30-00:30" }),
                WHO,
                /snapshot window "23:30-00:30" overlaps maintenance window "tue:00:00-tue:01:00".*Fix: pick windows/,
            );
        });
        it("reports every problem of one cache", async () =>
            assertViolations(
                await run({ maintenanceWindow: "mon:00:00-mon:00:10", snapshotWindow: "00:00-00:20" }),
                WHO,
                /at least/,
                /at least/,
                /overlaps/,
            ));
        it("follows minMinutes", async () =>
            assertViolations(
                await run({ snapshotWindow: "03:00-04:00" }, { "elasticache-windows-valid": { minMinutes: 120 } }),
                WHO,
                /at least 2 h/,
            ));
        it("unknown: preview advisory", async () =>
            assertUnknown(
                await run({ maintenanceWindow: UNKNOWN.string, snapshotWindow: "03:00-04:00" }),
                "maintenanceWindow",
            ));
    });
});
