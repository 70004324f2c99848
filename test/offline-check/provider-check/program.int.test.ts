// Edits users make, through the real program's recording and the provider check: what a real preview refuses
// is refused, and the config rules that were too strict now give deployable plans.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { recordProgram, RecordError } from "../../../scripts/offline-check/recorder/program-process";
import { checkResource, findDuplicateUrns, seededSuffix } from "../../../scripts/offline-check/provider-check";
import { Plan, recordWith, tempProject, TYPES } from "../../infra/program";

function problems(recording: Awaited<ReturnType<typeof recordWith>>): string[] {
    const suffix = seededSuffix("program");
    return [
        ...findDuplicateUrns(recording.resources),
        ...recording.resources.flatMap((r) => checkResource(r, suffix).problems.map((p) => p.message)),
    ];
}

describe("provider-check on program edits", function () {
    this.timeout(180_000);

    it("a repeated clientSecurityGroupIds entry is a duplicate URN, as the engine says", async () => {
        const sg = "sg-0123456789abcdef0";
        const found = problems(await recordWith({ clientSecurityGroupIds: [sg, sg] }));
        assert.deepStrictEqual(found.length, 1, found.join("\n"));
        assert.match(
            found[0],
            /^Duplicate resource URN '.*::redis-test-cache-from-sg-0123456789abcdef0'; try giving it a unique name$/,
        );
    });

    it("cluster mode with 0 replicas plans automatic failover on, Multi-AZ off, and passes the provider check", async () => {
        const recording = await recordWith({ redisClusterMode: "enabled", redisShards: 2, redisReplicasPerShard: 0 });
        const group = new Plan(recording).one(TYPES.replicationGroup);
        assert.deepStrictEqual(
            [group.inputs.automaticFailoverEnabled, group.inputs.multiAzEnabled, group.inputs.numNodeGroups],
            [true, false, 2],
        );
        assert.deepStrictEqual(problems(recording), []);
    });

    it("logRetentionDays 0 gives log groups without retention (never expire)", async () => {
        const recording = await recordWith({ logRetentionDays: 0 });
        for (const logGroup of new Plan(recording).all(TYPES.logGroup)) {
            assert.strictEqual(logGroup.inputs.retentionInDays, undefined);
        }
        assert.deepStrictEqual(problems(recording), []);
    });

    it("a stack name whose replication group ID AWS would refuse stops the program in one line", async () => {
        const dir = tempProject({});
        try {
            fs.renameSync(path.join(dir, "Pulumi.test.yaml"), path.join(dir, "Pulumi.qa.eu.yaml"));
            await assert.rejects(recordProgram({ programDir: dir, stack: "qa.eu" }), (e: Error) => {
                assert.ok(e instanceof RecordError, String(e));
                assert.match(e.message, /stack name "qa.eu" cannot be deployed: .*only letters, digits and hyphens/);
                return true;
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
