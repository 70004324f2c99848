// The second pass's provider answers: inputs as given, a mock for every always-present output the SDK declares.
import * as assert from "assert";
import { declaredOutputs, upState } from "../../scripts/offline-check/recorder/up-outputs";
import { REPO_ROOT } from "../../scripts/offline-check/cli";

const CTX = { projectDir: REPO_ROOT, region: "eu-west-1", partition: "aws", account: "123456789012" };
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("offline check: outputs at `pulumi up` for the second pass (recorder/up-outputs.ts)", () => {
    it("reads the always-present string and string-list outputs from the installed SDK's declarations", () => {
        const { strings, lists } = declaredOutputs(REPO_ROOT, RG);
        assert.ok(strings.includes("arn") && strings.includes("primaryEndpointAddress"), strings.join(","));
        assert.ok(lists.includes("memberClusters"), lists.join(","));
        // `finalSnapshotIdentifier` is `Output<string | undefined>`: a plain optional input, never mocked.
        assert.ok(!strings.includes("finalSnapshotIdentifier"));
        assert.deepStrictEqual(declaredOutputs(REPO_ROOT, "aws:nosuch/thing:Thing"), { strings: [], lists: [] });
    });

    it("keeps the inputs and fills the rest with values shaped like the real ones", () => {
        const { id, state } = upState(RG, "cache", { description: "d", engine: "valkey" }, CTX);
        assert.strictEqual(id, "replicationGroup-cache");
        assert.strictEqual(state.description, "d");
        assert.strictEqual(state.engine, "valkey");
        assert.strictEqual(state.arn, "arn:aws:elasticache:eu-west-1:123456789012:replicationGroup/cache");
        assert.strictEqual(state.primaryEndpointAddress, "cache-primaryEndpointAddress");
        assert.deepStrictEqual(state.memberClusters, ["cache-memberClusters"]);
        assert.strictEqual(state.finalSnapshotIdentifier, undefined);
        const role = upState("aws:iam/role:Role", "app", { name: "given" }, CTX).state;
        assert.strictEqual(role.name, "given");
        assert.match(String(role.uniqueId), /^role-app$/);
    });
});
