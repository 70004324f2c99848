// One pack process serving several stacks (analyzer/pack-process.ts PackHost, pack-entry.js): each stack's pack
// sees its own stack config, name and project through @pulumi/pulumi, when it loads and when the Analyzer
// handlers run; one stack's pack failing to load fails that stack alone; the host's death fails every stack
// still starting; it is one process, stopped with its last stack, its env file removed.
import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PackHost, type PackProcess, packEnv } from "../../scripts/offline-check/analyzer/pack-process";
import { AnalyzerSession } from "../../scripts/offline-check/analyzer/session";
import { FIXTURES, checkTempDirs, processesInGroup } from "./run-cli";

const CONFIG_PACK = path.join(FIXTURES, "config-pack");
const STACK_NAME_PACK = path.join(FIXTURES, "stack-name-pack");

/** What the pack's stack policies report for an empty stack (each message without the policy's description). */
async function stackMessages(pack: PackProcess): Promise<string[]> {
    const session = new AnalyzerSession(pack);
    try {
        return (await session.analyzeStack([], new Map(), "")).map((v) => v.message.split("\n").slice(1).join("\n"));
    } finally {
        session.close();
    }
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

describe("policy pack host: one process serving several stacks", function () {
    this.timeout(120_000);
    let tmpdir: string;
    let savedTmpdir: string | undefined;
    const hosts: PackHost[] = [];
    /**
     * The live processes of the hosts these tests started (each in a process group of its own): other test files
     * run packs from the same fixture directories at the same time (`npm test` runs files in parallel).
     */
    const ownProcesses = (): number[] =>
        hosts.flatMap((h) => (h.child?.pid === undefined ? [] : processesInGroup(h.child.pid)));
    beforeEach(() => {
        // The host's env file goes under os.tmpdir(): a dir of this test's own, to see it removed.
        tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "check-pack-host-"));
        savedTmpdir = process.env.TMPDIR;
        process.env.TMPDIR = tmpdir;
    });
    afterEach(async () => {
        await Promise.all(hosts.splice(0).map((h) => h.stop()));
        if (savedTmpdir === undefined) {
            delete process.env.TMPDIR;
        } else {
            process.env.TMPDIR = savedTmpdir;
        }
        fs.rmSync(tmpdir, { recursive: true, force: true });
    });

    function start(
        dir: string,
        stacks: { stack: string; config?: Record<string, string> }[],
        timeoutMs?: number,
    ): PackHost {
        const host = PackHost.start(
            dir,
            stacks.map(({ stack, config }) => ({ stack, env: packEnv("fixture-project", stack, config ?? {}) })),
            timeoutMs,
        );
        hosts.push(host);
        return host;
    }

    it("config-pack for two stacks: each stack's AnalyzeStack sees its own config, from one process", async () => {
        const dev = "d".repeat(10);
        const prod = "p".repeat(2000);
        const host = start(CONFIG_PACK, [
            { stack: "dev", config: { "fixture-big-config:blob": dev } },
            { stack: "prod", config: { "fixture-big-config:blob": prod } },
        ]);
        const [devPack, prodPack] = await Promise.all([host.pack("dev"), host.pack("prod")]);
        assert.notStrictEqual(devPack.port, prodPack.port);
        assert.deepStrictEqual(ownProcesses(), [host.child!.pid], "one pack process for both stacks");
        // Both stacks at once: each handler runs in its own stack's context.
        const [devSeen, prodSeen] = await Promise.all([stackMessages(devPack), stackMessages(prodPack)]);
        assert.deepStrictEqual(devSeen, [`blob: 10 chars, sha256 ${sha256(dev)}`]);
        assert.deepStrictEqual(prodSeen, [`blob: 2000 chars, sha256 ${sha256(prod)}`]);
        // The env file was read and removed; the host stops with its last stack.
        assert.deepStrictEqual(checkTempDirs(tmpdir), []);
        await devPack.stop();
        assert.strictEqual(await devPack.exited(), undefined, "the host stopped while a stack still uses it");
        await prodPack.stop();
        assert.ok(await prodPack.exited(5000), "the host runs on after its last stack stopped");
        assert.deepStrictEqual(ownProcesses(), []);
    });

    it("pulumi.getStack(), getProject() and Config per stack, at load time and in the handlers after an await; a pack's stdout never reaches the checker's channel", async () => {
        const stacks = ["dev", "staging", "prod"];
        const host = start(
            STACK_NAME_PACK,
            stacks.map((stack) => ({ stack, config: { "fixture:name": `${stack}-config` } })),
        );
        const packs = await Promise.all(stacks.map((s) => host.pack(s)));
        assert.deepStrictEqual(ownProcesses(), [host.child!.pid], "one pack process for three stacks");
        const seen = await Promise.all(packs.map(stackMessages));
        assert.deepStrictEqual(
            seen,
            // The documented deviation: process.env, read directly at analysis time, is the last loaded stack's.
            stacks.map((s) => [
                `loaded for ${s} with ${s}-config; analyzing ${s}/${s} of fixture-project with ${s}-config; process.env says prod`,
            ]),
        );
        await Promise.all(packs.map((p) => p.stop()));
        assert.deepStrictEqual(ownProcesses(), []);
    });

    it("a pack that fails to load for one stack fails that stack alone", async () => {
        const host = start(STACK_NAME_PACK, [{ stack: "dev" }, { stack: "bad" }, { stack: "prod" }]);
        await assert.rejects(host.pack("bad"), (e: Error) => {
            assert.strictEqual(
                e.message.split("\n")[0],
                `policy pack in ${STACK_NAME_PACK} failed to start (its entry threw while loading): Error: stack-name-fixture-pack: refuses stack bad`,
            );
            return true;
        });
        const [dev, prod] = await Promise.all([host.pack("dev"), host.pack("prod")]);
        assert.deepStrictEqual(
            [...(await stackMessages(dev)), ...(await stackMessages(prod))].map((m) => m.split(";")[0]),
            ["loaded for dev with undefined", "loaded for prod with undefined"],
        );
        await Promise.all([dev.stop(), prod.stop()]);
        assert.deepStrictEqual(ownProcesses(), []);
    });

    it("every stack failing to load: the last one fails as a pack process of its own would (exit 1)", async () => {
        const host = start(STACK_NAME_PACK, [{ stack: "bad" }, { stack: "bad-too" }]);
        const [bad, badToo] = await Promise.allSettled([host.pack("bad"), host.pack("bad-too")]);
        assert.ok(bad.status === "rejected" && badToo.status === "rejected");
        assert.match(
            (bad.reason as Error).message,
            /failed to start \(its entry threw while loading\): Error: stack-name-fixture-pack: refuses stack bad\n/,
        );
        assert.match(
            (badToo.reason as Error).message,
            /failed to start \(exit 1\): Error: stack-name-fixture-pack: refuses stack bad-too\n/,
        );
        assert.strictEqual(await host.exited(5000), "exit 1");
        assert.deepStrictEqual(checkTempDirs(tmpdir), []);
    });

    it("the host's death while loading fails every stack still starting with its exit status", async () => {
        const host = start(STACK_NAME_PACK, [{ stack: "dev" }, { stack: "exit" }, { stack: "prod" }]);
        const outcomes = await Promise.allSettled(["dev", "exit", "prod"].map((s) => host.pack(s)));
        for (const o of outcomes) {
            assert.strictEqual(o.status, "rejected");
            assert.strictEqual(
                (o.reason as Error).message,
                `policy pack in ${STACK_NAME_PACK} failed to start (exit 5)`,
            );
        }
        assert.deepStrictEqual(ownProcesses(), []);
        assert.deepStrictEqual(checkTempDirs(tmpdir), []);
    });

    it("a stack that prints no port in time fails alone while others are served; with none served the host is killed", async () => {
        const host = start(STACK_NAME_PACK, [{ stack: "dev" }, { stack: "silent" }], 5000);
        const dev = await host.pack("dev");
        await assert.rejects(
            host.pack("silent"),
            new RegExp(`: policy pack in ${STACK_NAME_PACK} failed to start: no port printed within 5 s\n`),
        );
        assert.strictEqual((await stackMessages(dev))[0].split(";")[0], "loaded for dev with undefined");
        await dev.stop();
        assert.deepStrictEqual(ownProcesses(), []);

        const alone = start(STACK_NAME_PACK, [{ stack: "silent" }], 3000);
        await assert.rejects(alone.pack("silent"), /failed to start: no port printed within 3 s\n/);
        assert.strictEqual(await alone.exited(5000), "killed by SIGKILL");
        assert.deepStrictEqual(checkTempDirs(tmpdir), []);
    });

    it("refuses a stack list that is empty or names a stack twice", () => {
        assert.throws(() => PackHost.start(STACK_NAME_PACK, []), /distinct and at least one/);
        const env = packEnv("p", "dev", {});
        assert.throws(
            () =>
                PackHost.start(STACK_NAME_PACK, [
                    { stack: "dev", env },
                    { stack: "dev", env },
                ]),
            /distinct and at least one/,
        );
    });
});
