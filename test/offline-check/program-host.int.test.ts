// Several runs of a program in one child (recorder/program-process.ts recordRuns, program-child.ts): each run sees
// its own stack, config and SDK state and requires the program's modules afresh; a run that fails, hangs or kills
// the child takes only itself along (the runs after it get a new child); a second pass prints nothing and is not
// run after its stack's preview failed.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { loadProject } from "../../scripts/offline-check/project/project-file";
import { type StackConfigValues, loadStackConfigValues } from "../../scripts/offline-check/project/stack-config";
import { type ProgramRun, recordRuns } from "../../scripts/offline-check/recorder/program-process";
import type { Recording } from "../../scripts/offline-check/recorder/recording";
import { FIXTURES } from "./run-cli";

const DIR = path.join(FIXTURES, "multi-run");
const project = loadProject(DIR);

/** Stack `stack`'s config with the fixture's `mode` set. */
function stackConfig(stack: string, mode = "ok"): StackConfigValues {
    const values = loadStackConfigValues(project, stack);
    return { ...values, config: { ...values.config, "fixture-multi-run:mode": mode } };
}

/** Runs in one call, each settled: the recording or the error's message. */
async function record(runs: ProgramRun[]): Promise<(Recording | string)[]> {
    const settled = await Promise.allSettled(recordRuns(project, runs));
    return settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message));
}

function outputs(r: Recording | string): Record<string, unknown> {
    assert.ok(typeof r !== "string", `the run failed: ${String(r)}`);
    return r.outputs;
}

/**
 * Runs `runs` in a process of its own and returns what it wrote to stderr: the checker echoes the program's
 * output there (the recorder is driven through ts-node, as the tests are).
 */
function stderrOf(runs: { stack: string; mode?: string; withOutputs?: boolean }[]): string {
    const script = `
        const { loadProject } = require(${JSON.stringify(path.resolve(__dirname, "../../scripts/offline-check/project/project-file"))});
        const { loadStackConfigValues } = require(${JSON.stringify(path.resolve(__dirname, "../../scripts/offline-check/project/stack-config"))});
        const { recordRuns } = require(${JSON.stringify(path.resolve(__dirname, "../../scripts/offline-check/recorder/program-process"))});
        const project = loadProject(${JSON.stringify(DIR)});
        const runs = ${JSON.stringify(runs)}.map((r) => {
            const values = loadStackConfigValues(project, r.stack);
            const config = { ...values.config, "fixture-multi-run:mode": r.mode ?? "ok" };
            return { stackConfig: { ...values, config }, withOutputs: r.withOutputs };
        });
        Promise.allSettled(recordRuns(project, runs)).then(() => process.exit(0));
    `;
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
        cwd: path.resolve(__dirname, "../.."),
        encoding: "utf8",
        timeout: 120_000,
    });
    assert.strictEqual(result.status, 0, result.stderr);
    return result.stderr;
}

describe("offline-check/recorder: several runs in one program child", function () {
    this.timeout(120_000);

    it("each run: its own stack and config, the program's modules afresh, in the same process", async () => {
        const [a, b, c] = await record([
            { stackConfig: stackConfig("a") },
            { stackConfig: stackConfig("b") },
            { stackConfig: stackConfig("c"), withOutputs: true },
        ]);
        assert.deepStrictEqual(
            [a, b, c].map((r) => outputs(r).stackName),
            ["a", "b", "c"],
        );
        // counter.ts is evaluated once per run (its module count is 1 each time) in one process (the global grows).
        assert.deepStrictEqual(
            [a, b, c].map((r) => [outputs(r).moduleLoads, outputs(r).globalLoads]),
            [
                [1, 1],
                [1, 2],
                [1, 3],
            ],
        );
        const labels = [a, b, c].map((r) => {
            assert.ok(typeof r !== "string");
            return (r.resources.find((x) => x.type === "aws:ec2/vpc:Vpc")?.inputs.tags as Record<string, unknown>)
                .label;
        });
        assert.deepStrictEqual(labels, ["label-a", "label-b", "label-c"]);
        assert.ok(typeof c !== "string");
        // The second pass knows every output; the preview does not.
        assert.match(String(outputs(c).vpcId), /^vpc-/);
        assert.strictEqual(outputs(a).vpcId, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        // Each run's URNs name its own stack.
        assert.ok(c.resources.every((r) => r.urn.startsWith("urn:pulumi:c::fixture-multi-run::")));
    });

    it("a run that throws, logs an error or never settles fails alone; the runs after it get a new child", async () => {
        const [thrown, afterThrow, logged, afterLog, pending, afterPending] = await record([
            { stackConfig: stackConfig("a", "throw") },
            { stackConfig: stackConfig("b") },
            { stackConfig: stackConfig("a", "log-error") },
            { stackConfig: stackConfig("b") },
            { stackConfig: stackConfig("a", "pending") },
            { stackConfig: stackConfig("c") },
        ]);
        assert.match(String(thrown), /failed for stack 'a': multi-run: thrown for stack a/);
        assert.match(String(logged), /failed for stack 'a': the program logged errors/);
        assert.match(String(pending), /failed for stack 'a': the program stopped with work still pending/);
        // After each failure a new process (its global count starts again): nothing a failed run left behind
        // (its error count, a rejection still to come, a timer) reaches the next.
        assert.deepStrictEqual(
            [afterThrow, afterLog, afterPending].map((r) => [outputs(r).stackName, outputs(r).globalLoads]),
            [
                ["b", 1],
                ["b", 1],
                ["c", 1],
            ],
        );
    });

    it("a run that kills the child fails with its exit; the runs after it go to a new child", async () => {
        const [before, died, after, again] = await record([
            { stackConfig: stackConfig("a") },
            { stackConfig: stackConfig("b", "exit") },
            { stackConfig: stackConfig("c") },
            { stackConfig: stackConfig("a"), withOutputs: true },
        ]);
        assert.strictEqual(outputs(before).globalLoads, 1);
        assert.match(String(died), /the program run for stack 'b' died \(exit 7\) before finishing/);
        // A new process: its global count starts again.
        assert.deepStrictEqual(
            [after, again].map((r) => [outputs(r).stackName, outputs(r).globalLoads]),
            [
                ["c", 1],
                ["a", 2],
            ],
        );
    });

    it("a second pass is not run after its stack's preview failed, and fails alone when only it fails", async () => {
        const [preview, up, otherPreview, otherUp] = await record([
            { stackConfig: stackConfig("a", "throw") },
            { stackConfig: stackConfig("b", "fail-with-outputs") },
            { stackConfig: stackConfig("a", "throw"), withOutputs: true },
            { stackConfig: stackConfig("b", "fail-with-outputs"), withOutputs: true },
        ]);
        assert.match(String(preview), /thrown for stack a/);
        assert.strictEqual(outputs(up).stackName, "b");
        assert.match(String(otherPreview), /the second pass for stack 'a' was not run: its preview failed/);
        assert.match(String(otherUp), /failed for stack 'b': multi-run: thrown with every output known for stack b/);
    });

    it("what a program prints shows once: its preview's output, not its second pass's", () => {
        const stderr = stderrOf([
            { stack: "a" },
            { stack: "b" },
            { stack: "a", withOutputs: true },
            { stack: "b", withOutputs: true },
        ]);
        assert.deepStrictEqual(stderr.match(/multi-run: .*/g), [
            "multi-run: stack a (preview)",
            "multi-run: stack b (preview)",
        ]);
    });
});
