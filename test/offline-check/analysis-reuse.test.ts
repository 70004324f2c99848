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
import { head, urnOf } from "./plan/helpers";

const VPC = "aws:ec2/vpc:Vpc";
const PROVIDER = urnOf("pulumi:providers:aws", "default");

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

/** A VPC of the default provider, as the recorder records it. */
function vpc(name: string, inputs: Record<string, unknown>): RecordedResource {
    return head(VPC, name, inputs, { provider: `${PROVIDER}::id` });
}

function provider(inputs: Record<string, unknown>): RecordedResource {
    return head("pulumi:providers:aws", "default", inputs);
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
                    const aws = provider({ region: "us-east-1" });
                    const first = [aws, ...rows.flatMap((r) => (r.before ? [vpc(r.name, r.before)] : []))];
                    // Unchanged inputs are the same object, as a re-run's equal values would serialize alike.
                    const second = [
                        aws,
                        ...rows.map((r) => vpc(r.name, r.after === undefined ? (r.before ?? {}) : r.after)),
                    ];
                    const preview = await analyze(first);
                    const reusing = await analyze(second, preview.analysis);
                    const fresh = await analyze(second);
                    assert.deepEqual(reusing.violations, fresh.violations);
                    const changed = rows
                        .filter((r) => !r.before || (r.after !== undefined && !isDeepStrictEqual(r.after, r.before)))
                        .map((r) => urnOf(VPC, r.name));
                    assert.deepEqual([...reusing.analyzed].sort(), changed.sort());
                },
            ),
            { numRuns: 150 },
        );
    });

    it("calls the pack again when only the resource's provider changed", async () => {
        const v = vpc("v", { cidrBlock: "10.0.0.0/16" });
        const preview = await analyze([provider({ region: "us-east-1" }), v]);
        const second = await analyze([provider({ region: "eu-west-1" }), v], preview.analysis);
        assert.deepEqual(second.analyzed, [PROVIDER, v.urn]);
    });
});
