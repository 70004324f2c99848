import * as assert from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { OfflineCheckError } from "../../../scripts/offline-check/offline-check-error";
import { OPAQUE_SECRET, parseStackExport } from "../../../scripts/offline-check/plan/state";
import { SECRET_SIG, SIG_KEY } from "../../../scripts/offline-check/recorder/recording";

const FIXTURE = path.resolve(__dirname, "..", "..", "fixtures", "stack-export", "dev.json");

function exportOf(resources: unknown[]): string {
    return JSON.stringify({
        version: 3,
        deployment: { manifest: { time: "2026-11-02T09:21:51Z", magic: "m", version: "v3.205.0" }, resources },
    });
}

describe("plan: `pulumi stack export` parser (state.ts)", () => {
    it("reads the dev fixture: every resource with URN, type, inputs with __defaults, protect, dependencies", () => {
        const resources = parseStackExport(fs.readFileSync(FIXTURE, "utf8"), FIXTURE);
        const group = resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.ok(group);
        assert.deepStrictEqual(group.inputs.__defaults, ["replicationGroupId"]);
        assert.strictEqual(group.inputs.port, 6379);
        // The token is encrypted in the export: a secret whose value cannot be compared.
        assert.deepStrictEqual(group.inputs.authToken, { [SIG_KEY]: SECRET_SIG, value: OPAQUE_SECRET });
        assert.ok(group.dependencies.length > 0);
        assert.ok(resources.some((r) => r.type === "pulumi:pulumi:Stack" && !r.custom));
    });

    it("decodes --show-secrets plaintext (JSON text) into wire-form secrets, and skips pending deletes", () => {
        const secret = { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify({ a: [1] }) };
        const [r, ...rest] = parseStackExport(
            exportOf([
                { urn: "urn:pulumi:s::p::t:m:T::a", type: "t:m:T", custom: true, inputs: { x: secret } },
                { urn: "urn:pulumi:s::p::t:m:T::b", type: "t:m:T", custom: true, delete: true },
            ]),
            "f",
        );
        assert.deepStrictEqual(r.inputs.x, { [SIG_KEY]: SECRET_SIG, value: { a: [1] } });
        assert.deepStrictEqual(rest, []);
    });

    const bad: [string, string, RegExp][] = [
        ["not JSON", "{", /not JSON/],
        ["version 4", JSON.stringify({ version: 4, deployment: {} }), /deployment version 4 is not supported/],
        ["no deployment", JSON.stringify({ version: 3 }), /no `deployment` object/],
        ["resources not a list", JSON.stringify({ version: 3, deployment: { resources: {} } }), /not a list/],
        ["bad urn", exportOf([{ urn: "x", type: "t" }]), /resources\[0\]\.urn is not a Pulumi URN/],
        [
            "duplicate",
            exportOf([
                { urn: "urn:pulumi:s::p::t::a", type: "t" },
                { urn: "urn:pulumi:s::p::t::a", type: "t" },
            ]),
            /appears twice/,
        ],
        [
            "bad secret",
            exportOf([{ urn: "urn:pulumi:s::p::t::a", type: "t", inputs: { x: { [SIG_KEY]: SECRET_SIG } } }]),
            /neither plaintext nor ciphertext/,
        ],
        [
            "bad deps",
            exportOf([{ urn: "urn:pulumi:s::p::t::a", type: "t", dependencies: [1] }]),
            /dependencies is not a list of URNs/,
        ],
    ];
    for (const [what, text, message] of bad) {
        it(`refuses ${what} with one line naming the file`, () => {
            assert.throws(
                () => parseStackExport(text, "state.json"),
                (e: Error) =>
                    e instanceof OfflineCheckError &&
                    message.test(e.message) &&
                    /^--state state\.json: /.test(e.message) &&
                    !e.message.includes("\n"),
            );
        });
    }

    it("refuses values nested too deep with one line, not a stack overflow", () => {
        const deep = "[".repeat(3000) + "1" + "]".repeat(3000);
        const text = exportOf([{ urn: "urn:pulumi:s::p::t::a", type: "t", inputs: { x: "DEEP" } }]).replace(
            '"DEEP"',
            deep,
        );
        assert.throws(() => parseStackExport(text, "f"), /nested deeper than 500 levels/);
    });

    it("fuzz: any input either parses or fails with one OfflineCheckError line, never anything else", () => {
        const anyResource = fc.record(
            {
                urn: fc.oneof(fc.string(), fc.constant("urn:pulumi:s::p::t:m:T::n")),
                type: fc.oneof(fc.string(), fc.constant("t:m:T")),
                custom: fc.anything(),
                protect: fc.anything(),
                delete: fc.anything(),
                parent: fc.anything(),
                inputs: fc.anything(),
                outputs: fc.anything(),
                dependencies: fc.anything(),
                propertyDependencies: fc.anything(),
            },
            { requiredKeys: [] },
        );
        const doc = fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.array(anyResource, { maxLength: 4 }).map(exportOf),
            fc.array(anyResource, { maxLength: 4 }).map((rs) => exportOf(rs).slice(0, -3)),
        );
        fc.assert(
            fc.property(doc, (text) => {
                try {
                    const resources = parseStackExport(text, "f");
                    assert.ok(Array.isArray(resources));
                } catch (e) {
                    assert.ok(e instanceof OfflineCheckError, String(e));
                    assert.ok(!e.message.includes("\n"), e.message);
                }
            }),
            { numRuns: 2000 },
        );
    });
});
