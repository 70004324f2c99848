// The second pass reuses the preview's verdicts for a resource whose Analyze request is unchanged
// (analyzer/session.ts Analysis, `earlier`). The oracle is an analysis of the same registrations without an
// earlier one, against a fake pack whose verdict names the exact bytes it received: the verdicts must be the same,
// and the pack must be called for every resource whose inputs changed (or that is new), and only for those.
import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fc from "fast-check";
import { isDeepStrictEqual } from "util";
import { Analysis, type AnalyzerSession, type EncodedRequest } from "../../scripts/offline-check/analyzer/session";
import type { Violation } from "../../scripts/offline-check/analyzer/wire";
import type { RecordedResource } from "../../scripts/offline-check/recorder/recording";

const PROVIDER = "urn:pulumi:dev::p::pulumi:providers:aws::default";

/** A pack that answers each Analyze with one verdict naming the request's bytes, and counts its calls. */
function fakeSession(): { session: AnalyzerSession; analyzed: string[] } {
    const analyzed: string[] = [];
    const session = {
        configureStack: () => Promise.resolve(),
        getAnalyzerInfo: () =>
            Promise.resolve({ name: "fake", displayName: "fake", version: "1", policies: [], initialConfig: {} }),
        configure: () => Promise.resolve(),
        analyzeResource: (r: RecordedResource, request: EncodedRequest): Promise<Violation[]> => {
            analyzed.push(r.urn);
            const bytes = createHash("sha256").update(request.bytes).digest("hex");
            return Promise.resolve([
                {
                    policy: "bytes",
                    enforcementLevel: "advisory",
                    urn: r.urn,
                    message: bytes,
                    description: "",
                    severity: "",
                },
            ]);
        },
        analyzeStack: () => Promise.resolve([]),
    };
    return { session: session as unknown as AnalyzerSession, analyzed };
}

function resource(
    name: string,
    inputs: Record<string, unknown>,
    providerInputs?: Record<string, unknown>,
): RecordedResource {
    const base = {
        parent: "",
        dependencies: [],
        propertyDependencies: {},
        options: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { create: "", update: "", delete: "" },
            additionalSecretOutputs: [],
        },
    };
    if (providerInputs) {
        return {
            ...base,
            urn: PROVIDER,
            type: "pulumi:providers:aws",
            name: "default",
            custom: true,
            provider: "",
            inputs: providerInputs,
        };
    }
    return {
        ...base,
        urn: `urn:pulumi:dev::p::aws:ec2/vpc:Vpc::${name}`,
        type: "aws:ec2/vpc:Vpc",
        name,
        custom: true,
        provider: `${PROVIDER}::id`,
        inputs,
    };
}

async function analyze(resources: RecordedResource[], earlier?: Analysis) {
    const { session, analyzed } = fakeSession();
    const analysis = new Analysis(Promise.resolve(session), "p", "dev", { config: {}, secretKeys: [] }, earlier);
    resources.forEach((r) => analysis.add(r));
    const result = await analysis.finish({ project: "p", stack: "dev", resources, outputs: {} });
    return { analysis, analyzed, violations: result.violations };
}

const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -3, max: 3 }), fc.boolean());
const inputs = fc.dictionary(fc.constantFrom("cidrBlock", "tags", "vpcId", "name"), value, {
    maxKeys: 3,
    noNullPrototype: true,
});

describe("offline check: the second pass reuses verdicts of unchanged Analyze requests (analyzer/session.ts)", () => {
    it("gives the verdicts a fresh analysis gives, calling the pack for exactly the changed and new resources", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.uniqueArray(
                    fc.record({
                        name: fc.string({ minLength: 1, maxLength: 3 }),
                        before: fc.option(inputs, { nil: undefined }),
                        after: fc.option(inputs, { nil: undefined }),
                    }),
                    { selector: (r) => r.name, maxLength: 8 },
                ),
                async (rows) => {
                    const provider = resource("default", {}, { region: "us-east-1" });
                    const first = [provider, ...rows.flatMap((r) => (r.before ? [resource(r.name, r.before)] : []))];
                    // Unchanged inputs are the same object, as a re-run's equal values would serialize alike.
                    const second = [
                        provider,
                        ...rows.map((r) => resource(r.name, r.after === undefined ? (r.before ?? {}) : r.after)),
                    ];
                    const preview = await analyze(first);
                    const reusing = await analyze(second, preview.analysis);
                    const fresh = await analyze(second);
                    assert.deepEqual(reusing.violations, fresh.violations);
                    const changed = rows
                        .filter((r) => !r.before || (r.after !== undefined && !isDeepStrictEqual(r.after, r.before)))
                        .map((r) => resource(r.name, {}).urn);
                    assert.deepEqual([...reusing.analyzed].sort(), changed.sort());
                },
            ),
            { numRuns: 150 },
        );
    });

    it("calls the pack again when only the resource's provider changed", async () => {
        const vpc = resource("v", { cidrBlock: "10.0.0.0/16" });
        const preview = await analyze([resource("default", {}, { region: "us-east-1" }), vpc]);
        const second = await analyze([resource("default", {}, { region: "eu-west-1" }), vpc], preview.analysis);
        assert.deepEqual(second.analyzed, [PROVIDER, vpc.urn]);
    });
});
