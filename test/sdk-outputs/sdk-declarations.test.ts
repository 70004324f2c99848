// The generator of the planned-outputs table (scripts/sdk-outputs), on a fixture SDK in @pulumi/aws's generated
// format, and the generated table (scripts/offline-check/analyzer/computed-outputs.json) pinned to the installed
// SDKs as the SDK patch points are pinned.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { computedOutputs, plannedOutputs } from "../../scripts/offline-check/analyzer/planned-outputs";
import { UNKNOWN } from "../../scripts/offline-check/recorder/recording";
import {
    computedOutputsTable,
    declaredOutputs,
    renderComputedOutputs,
    resourceToken,
    sdkResources,
} from "../../scripts/sdk-outputs/sdk-declarations";

const REPO = path.resolve(__dirname, "../..");
const FIXTURE = path.join(REPO, "test/fixtures/sdk-outputs");
const SDKS = ["@pulumi/aws", "@pulumi/random"];
const installedDir = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`, { paths: [REPO] }));
const installedVersion = (pkg: string) =>
    (JSON.parse(fs.readFileSync(path.join(installedDir(pkg), "package.json"), "utf8")) as { version: string }).version;

describe("sdk-outputs: required-or-computed outputs from an SDK's declarations", () => {
    it("splits a resource's outputs into Output<T> (required or computed) and Output<T | undefined> (optional)", () => {
        assert.deepEqual(sdkResources(FIXTURE), [
            {
                token: "fixture:ec2/widget:Widget",
                requiredOrComputed: ["arn", "tenancy", "blocks", "tagsAll", "size"],
                optional: ["hibernation", "extraBlocks", "tags", "note"],
            },
            { token: "fixture:index/gadget:Gadget", requiredOrComputed: [], optional: ["keepers"] },
        ]);
    });

    it("takes the token from the compiled class (static field or assignment), skipping invokes and providers", () => {
        assert.equal(resourceToken("class A { static __pulumiType = 'aws:ec2/vpc:Vpc'; }"), "aws:ec2/vpc:Vpc");
        assert.equal(
            resourceToken('A.__pulumiType = "random:index/randomId:RandomId";'),
            "random:index/randomId:RandomId",
        );
        assert.equal(resourceToken("function getVpc() {}"), undefined);
        // The provider declares a token too, but is a ProviderResource: no class the generator reads.
        assert.equal(
            declaredOutputs("provider.d.ts", fs.readFileSync(path.join(FIXTURE, "provider.d.ts"), "utf8")),
            undefined,
        );
    });

    it("writes a dated table pinned to the package versions it read", () => {
        const table = computedOutputsTable([FIXTURE], "2026-12-04");
        assert.equal(table.generated, "2026-12-04");
        assert.deepEqual(table.sdks, { "@fixture/sdk": "1.2.3" });
        assert.deepEqual(table.types, {
            "fixture:ec2/widget:Widget": "arn tenancy blocks tagsAll size",
            "fixture:index/gadget:Gadget": "",
        });
        assert.deepEqual(JSON.parse(renderComputedOutputs(table)), table);
    });

    it("the generated table is for the installed @pulumi/aws and @pulumi/random (else: npm run sdk-outputs:refresh)", () => {
        const { sdks } = computedOutputs();
        assert.deepEqual(
            sdks,
            Object.fromEntries(SDKS.map((p) => [p, installedVersion(p)])),
            "the installed SDKs differ from the ones computed-outputs.json was generated from: run npm run sdk-outputs:refresh",
        );
    });
});

describe("planned outputs: what AnalyzeStack sees of a resource in a preview of its create", () => {
    const table = {
        generated: "2026-12-04",
        sdks: {},
        types: new Map([["fixture:ec2/widget:Widget", ["arn", "tenancy", "size"]]]),
    };
    const widget = { type: "fixture:ec2/widget:Widget", custom: true };

    it("a custom resource: its checked inputs, then id and every unset required-or-computed output unknown", () => {
        assert.deepEqual(plannedOutputs({ ...widget, inputs: { size: 2, tenancy: null, hibernation: true } }, table), {
            size: 2,
            hibernation: true,
            tenancy: UNKNOWN,
            id: UNKNOWN,
            arn: UNKNOWN,
        });
        // The program's own unknown stays as it is; a plain optional output the program left unset stays absent.
        assert.deepEqual(plannedOutputs({ ...widget, inputs: { size: UNKNOWN } }, table), {
            size: UNKNOWN,
            id: UNKNOWN,
            arn: UNKNOWN,
            tenancy: UNKNOWN,
        });
    });

    it("components and the stack: their registered outputs; providers and types the table lacks: their inputs", () => {
        assert.deepEqual(plannedOutputs({ type: "x:y:Z", custom: false, inputs: {}, outputs: { o: 1 } }, table), {
            o: 1,
        });
        assert.deepEqual(
            plannedOutputs({ type: "pulumi:providers:fixture", custom: true, inputs: { region: "r" } }, table),
            {
                region: "r",
            },
        );
        assert.deepEqual(plannedOutputs({ type: "other:a/b:C", custom: true, inputs: { a: 1 } }, table), { a: 1 });
    });
});
