// The generated table (scripts/offline-check/analyzer/computed-outputs.json) is what the generator gives for the
// installed SDKs: never edited by hand. Reads and parses every declaration file of @pulumi/aws (about 5 s), so it
// runs in the full suite only.
import { strict as assert } from "assert";
import * as path from "path";
import { computedOutputs } from "../../scripts/offline-check";
import { computedOutputsTable } from "../../scripts/sdk-outputs/sdk-declarations";

const REPO = path.resolve(__dirname, "../..");
const SDKS = ["@pulumi/aws", "@pulumi/random"];
const installedDir = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`, { paths: [REPO] }));

describe("sdk-outputs: the generated table", () => {
    it("the generated table is what the generator gives for the installed SDKs (never edited by hand)", function () {
        this.timeout(60_000);
        const fresh = computedOutputsTable(SDKS.map(installedDir), computedOutputs().generated);
        const table = computedOutputs();
        assert.equal(table.types.size, Object.keys(fresh.types).length);
        for (const [token, names] of Object.entries(fresh.types)) {
            assert.deepEqual(table.types.get(token), names === "" ? [] : names.split(" "), token);
        }
    });
});
