// A pack as published packs ship (PulumiPolicy.yaml, package.json, a short index.ts, no tsconfig.json) must start
// the way `pulumi preview --policy-pack` starts it: with the CLI's TypeScript defaults, not with whatever
// tsconfig.json ts-node would find above it. Run from a directory outside this repository, as users have it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OFFLINE_CHECK_EXIT } from "../../scripts/offline-check/offline-check-error";
import { hostTypeScriptOptions } from "../../scripts/offline-check/typescript-host";
import { FIXTURES, REPO, mandatory, parseReport, runCli } from "./run-cli";

describe("offline-check: a third-party pack without tsconfig.json", function () {
    this.timeout(120_000);
    let packDir: string;
    before(() => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "third-party-pack-"));
        packDir = path.join(tmp, "pack");
        fs.cpSync(path.join(FIXTURES, "third-party-pack"), packDir, { recursive: true });
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(packDir, "node_modules"), "dir");
    });
    after(() => fs.rmSync(path.dirname(packDir), { recursive: true, force: true }));

    it("uses the CLI host's defaults without a tsconfig.json, the pack's tsconfig.json with one", () => {
        const none = hostTypeScriptOptions(packDir);
        assert.strictEqual(none.skipProject, true);
        assert.deepStrictEqual(none.compilerOptions, {
            target: "ES2020",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: true,
        });
        const withConfig = hostTypeScriptOptions(REPO);
        assert.strictEqual(withConfig.skipProject, false);
        assert.strictEqual(withConfig.compilerOptions.module, "commonjs", "the tsconfig's options win");
        assert.strictEqual(withConfig.compilerOptions.target, "ES2022");
    });

    it("starts it and gets its verdicts", async () => {
        const r = await runCli([
            "--program",
            path.join(FIXTURES, "compliant"),
            "--stack",
            "test",
            "--policy-pack",
            packDir,
            "--format",
            "json",
        ]);
        assert.strictEqual(r.code, OFFLINE_CHECK_EXIT.mandatoryViolation, r.stderr);
        const report = parseReport(r);
        assert.deepStrictEqual(mandatory(report), ["no-vpc"]);
        assert.deepStrictEqual(
            report.violations.map((v) => v.urn),
            ["urn:pulumi:test::fixture-compliant::aws:ec2/vpc:Vpc::vpc"],
        );
    });
});
