// Records the shipped program for every stack (and with the optional alarm topic) and fails when it declares a
// custom resource type the replace-rule table lacks: a plan would otherwise call its replaces updates.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPLACE_RULES } from "../../../scripts/offline-check/plan/replace-rules";
import { recordProgram } from "../../../scripts/offline-check/recorder/program-process";

const REPO = path.resolve(__dirname, "..", "..", "..");

describe("plan: replace rules cover every type the program declares (records the program)", function () {
    this.timeout(240_000);

    it("dev, staging, prod and a stack with alarm email: no custom type without rules", async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-coverage-"));
        try {
            // A copy of the project whose only stack turns on what no shipped stack does (the alarm topic).
            for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "package.json", "tsconfig.json", "infra", "policy"]) {
                fs.cpSync(path.join(REPO, f), path.join(tmp, f), {
                    recursive: true,
                    filter: (src) => !src.includes("node_modules"),
                });
            }
            fs.symlinkSync(path.join(REPO, "node_modules"), path.join(tmp, "node_modules"), "dir");
            fs.appendFileSync(path.join(tmp, "Pulumi.dev.yaml"), "  redis-stack:alarmEmail: ops@example.com\n");
            const runs = await Promise.all([
                ...["dev", "staging", "prod"].map((stack) => recordProgram({ programDir: REPO, stack })),
                recordProgram({ programDir: tmp, stack: "dev" }),
            ]);
            const types = new Set(
                runs.flatMap((r) =>
                    r.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:")).map((x) => x.type),
                ),
            );
            assert.ok(types.has("aws:sns/topic:Topic"), "the alarm-email variant declares its topic");
            assert.deepStrictEqual(
                [...types].filter((t) => !(t in REPLACE_RULES)).sort(),
                [],
                "types the program declares but the replace-rule table lacks",
            );
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
