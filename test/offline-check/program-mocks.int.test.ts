// Program-supplied invoke answers: found next to the program's entry, checked for shape, consulted before the
// generic answers; and programs without any still get the generic ones.
import * as assert from "assert";
import * as path from "path";
import { GENERIC_INVOKES, answerInvoke, invokeContext } from "../../scripts/offline-check/recorder/mocks";
import {
    type OfflineInvokes,
    findOfflineMocks,
    programInvokesOf,
} from "../../scripts/offline-check/recorder/program-mocks";
import { recordProgram } from "../../scripts/offline-check/recorder/program-process";
import { FIXTURES } from "./run-cli";

describe("offline-check/program-mocks", function () {
    this.timeout(60_000);
    const ctx = invokeContext("eu-west-1");

    it("finds offline-mocks next to the entry: in an entry directory, or beside an entry file", () => {
        const dir = path.join(FIXTURES, "program-invokes");
        assert.strictEqual(findOfflineMocks(dir), path.join(dir, "offline-mocks.ts"));
        assert.strictEqual(findOfflineMocks(path.join(dir, "index.ts")), path.join(dir, "offline-mocks.ts"));
        assert.strictEqual(findOfflineMocks(path.join(FIXTURES, "generic-invokes")), undefined);
    });

    it("refuses a module that does not export `invokes` as token -> function, naming the file", () => {
        assert.throws(() => programInvokesOf({}, "m.ts"), /^Error: m\.ts must export `invokes`/);
        assert.throws(() => programInvokesOf({ invokes: [] }, "m.ts"), /must export `invokes`/);
        assert.throws(
            () => programInvokesOf({ invokes: { "a:b:c": 1 } }, "m.ts"),
            /m\.ts: invokes\['a:b:c'\] must be a function/,
        );
    });

    it("prefers the program's answer, falls back to the generic ones, and lists both when neither knows", () => {
        const program: OfflineInvokes = {
            "aws:index/getRegion:getRegion": () => ({ region: "program-answer" }),
            "acme:index/getThing:getThing": (inputs) => ({ thing: inputs.name }),
        };
        assert.strictEqual(answerInvoke("aws:index/getRegion:getRegion", {}, ctx, program).region, "program-answer");
        assert.strictEqual(answerInvoke("acme:index/getThing:getThing", { name: "x" }, ctx, program).thing, "x");
        assert.strictEqual(
            answerInvoke("aws:index/getCallerIdentity:getCallerIdentity", {}, ctx, program).accountId,
            "123456789012",
        );
        assert.throws(
            () => answerInvoke("aws:ec2/getAmi:getAmi", {}, ctx, program),
            (e: Error) => {
                for (const token of [...Object.keys(program), ...Object.keys(GENERIC_INVOKES)]) {
                    assert.ok(e.message.includes(token), token);
                }
                assert.match(e.message, /program's offline-mocks module/);
                return true;
            },
        );
    });

    it("runs a program without offline-mocks on the generic answers", async () => {
        const rec = await recordProgram({ programDir: path.join(FIXTURES, "generic-invokes"), stack: "test" });
        assert.deepStrictEqual(rec.outputs, {
            accountId: "123456789012",
            partition: "aws",
            region: "eu-west-1",
            zones: ["eu-west-1-bos-1a", "eu-west-1-wl1-bos-wlz-1", "eu-west-1a", "eu-west-1b", "eu-west-1c"],
        });
    });

    it("runs a program with its own offline-mocks on its answers", async () => {
        const rec = await recordProgram({ programDir: path.join(FIXTURES, "program-invokes"), stack: "test" });
        const instance = rec.resources.find((r) => r.type === "aws:ec2/instance:Instance")!;
        assert.strictEqual(instance.inputs.ami, "ami-0123456789abcdef0");
        assert.deepStrictEqual(rec.outputs.zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });
});
