// The shipped stacks, recorded by the real program, pass the provider check: no false positives.
import * as assert from "assert";
import { checkResource, findDuplicateUrns, seededSuffix } from "../../../scripts/offline-check/provider-check";
import { recordStack } from "../../infra/program";

describe("provider-check: shipped stacks", function () {
    this.timeout(180_000);
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: no problem, no duplicate URN, and the replication group gets a valid auto-name`, async () => {
            const recording = await recordStack(stack);
            const suffix = seededSuffix(stack);
            const checked = recording.resources.map((r) => checkResource(r, suffix));
            assert.deepStrictEqual(
                checked.flatMap((c) => c.problems.map((p) => p.message)),
                [],
            );
            assert.deepStrictEqual(findDuplicateUrns(recording.resources), []);
            const group = recording.resources.findIndex((r) => r.type.endsWith("ReplicationGroup"));
            assert.match(
                String(checked[group].inputs.replicationGroupId),
                new RegExp(`^redis-${stack}-cache-group-[0-9a-f]{7}$`),
            );
        });
    }
});
