// multi-stack.ts without processes: stacks run at most `parallel` at once, outcomes in the order named whatever
// order they finish in, one stack's failure kept as its outcome, and the exit code the worst of them.
import * as assert from "assert";
import { OfflineCheckError } from "../../scripts/offline-check/offline-check-error";
import {
    type StackOutcome,
    parseStackList,
    reportVerdict,
    runStacks,
    worstExitCode,
} from "../../scripts/offline-check/multi-stack";
import type { OfflineCheckReport } from "../../scripts/offline-check/report/report";
import type { OfflineCheckRun } from "../../scripts/offline-check/run";

const request = { programDir: "/p", policyPack: "/p/policy" };

/** A run with the given enforcement levels of its violations (only what offlineCheckReport reads). */
function fakeRun(levels: string[]): OfflineCheckRun {
    return {
        project: { name: "p", dir: "/p", main: "index.ts" },
        stackConfig: { stackFile: "/p/Pulumi.s.yaml" },
        recording: { outputs: {}, resources: [] },
        analysis: { pack: {}, violations: levels.map((enforcementLevel) => ({ enforcementLevel, message: "" })) },
        cost: {},
        atUp: [],
    } as unknown as OfflineCheckRun;
}

/** A report with the given enforcement levels of its violations (only what the exit code reads). */
function report(levels: string[]): OfflineCheckReport {
    return { violations: levels.map((enforcementLevel) => ({ enforcementLevel })) } as unknown as OfflineCheckReport;
}

describe("offline-check/multi-stack", () => {
    it("keeps outcomes in the order named, one stack's failure (or a report that cannot be made) its own", async () => {
        const stacks = ["a", "b", "c", "d", "e"];
        const outcomes = await runStacks(request, stacks, async (_req, named) =>
            named.map((stack) =>
                stack === "c"
                    ? { stack, error: new OfflineCheckError("c failed") }
                    : // Only what offlineCheckReport reads of a run: "e" has none, so its report cannot be made.
                      {
                          stack,
                          run:
                              stack === "e"
                                  ? ({} as OfflineCheckRun)
                                  : fakeRun(stack === "d" ? ["mandatory"] : ["advisory"]),
                      },
            ),
        );
        assert.deepStrictEqual(
            outcomes.map((o) => o.stack),
            stacks,
        );
        const c = outcomes[2];
        assert.ok("error" in c && c.error.message === "c failed");
        assert.ok("error" in outcomes[4]);
        assert.strictEqual(worstExitCode(outcomes.slice(0, 4)), 2);
        assert.strictEqual(worstExitCode(outcomes.filter((o) => o.stack !== "c" && o.stack !== "e")), 1);
        assert.strictEqual(worstExitCode(outcomes.filter((o) => o.stack === "a" || o.stack === "b")), 0);
    });

    it("worst exit code: 2 over 1 over 0, 0 for no stack", () => {
        const ok: StackOutcome = { stack: "ok", report: report([]) };
        const bad: StackOutcome = { stack: "bad", report: report(["advisory", "mandatory"]) };
        const err: StackOutcome = { stack: "err", error: new Error("x") };
        assert.deepStrictEqual(
            [[], [ok], [ok, bad], [bad, ok], [err, ok], [ok, bad, err]].map((o) => worstExitCode(o)),
            [0, 0, 1, 1, 2, 2],
        );
    });

    it("a report's verdict: the second pass's findings exit 2 and its skip is a note, each naming the stack", () => {
        const failing = {
            ...report([]),
            wouldFailAtUp: [{ message: "cache: port refused" }],
        } as unknown as OfflineCheckReport;
        const v = reportVerdict(failing, false, "prod");
        assert.strictEqual(v.code, 2);
        assert.match(v.stderr, /^redis-stack-check: error: stack 'prod': would fail at `pulumi up`: 1 problem /);
        assert.match(v.stderr, /\n {4}cache: port refused\n$/);
        const skipped = { ...report(["mandatory"]), upPassSkipped: "boom" } as unknown as OfflineCheckReport;
        const n = reportVerdict(skipped);
        assert.strictEqual(n.code, 1);
        assert.match(n.stderr, /^redis-stack-check: note: the second pass .* was skipped: .*boom\n$/);
        assert.deepStrictEqual(reportVerdict(report(["advisory"])), { code: 0, stderr: "" });
    });

    it("parses --stack lists: in the order given, each name valid, none twice", () => {
        assert.deepStrictEqual(parseStackList("prod,dev"), ["prod", "dev"]);
        assert.deepStrictEqual(parseStackList("dev"), ["dev"]);
        assert.throws(() => parseStackList("dev,"), /--stack '' is not a valid stack name/);
        assert.throws(() => parseStackList("dev,dev"), /--stack names 'dev' twice/);
    });
});
