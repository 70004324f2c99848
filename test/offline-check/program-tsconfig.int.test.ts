// The program is compiled like the CLI's Node host compiles it: with the tsconfig.json of the directory it runs
// from (Pulumi.yaml `main`), not the project root's, else the host's defaults.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { recordProgram } from "../../scripts/offline-check/recorder/program-process";
import { hostTypeScriptOptions, programDirectory } from "../../scripts/offline-check/typescript-host";
import { FIXTURES, REPO } from "./run-cli";

describe("offline-check: the program's tsconfig.json", function () {
    this.timeout(60_000);
    const fixture = path.join(FIXTURES, "program-tsconfig");

    it("is looked up in the main directory: a directory entry itself, a file entry's directory", () => {
        assert.strictEqual(programDirectory(path.join(REPO, "infra")), path.join(REPO, "infra"));
        assert.strictEqual(programDirectory(path.join(REPO, "infra", "index.ts")), path.join(REPO, "infra"));
        assert.strictEqual(
            hostTypeScriptOptions(programDirectory(path.join(REPO, "infra"))).project,
            path.join(REPO, "infra", "tsconfig.json"),
        );
    });

    it("main: src/ compiles with src/tsconfig.json, not the project root's", async () => {
        const rec = await recordProgram({ programDir: fixture, stack: "test" });
        assert.strictEqual(rec.outputs.definesClassFields, true);
    });

    it("without a tsconfig.json in the main directory, the host's defaults (ES2020), not the root's", async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "program-tsconfig-"));
        try {
            fs.cpSync(fixture, tmp, { recursive: true });
            fs.rmSync(path.join(tmp, "src", "tsconfig.json"));
            fs.writeFileSync(
                path.join(tmp, "tsconfig.json"),
                JSON.stringify({ compilerOptions: { target: "ES2022", useDefineForClassFields: true } }),
            );
            fs.symlinkSync(path.join(REPO, "node_modules"), path.join(tmp, "node_modules"), "dir");
            const rec = await recordProgram({ programDir: tmp, stack: "test" });
            assert.strictEqual(rec.outputs.definesClassFields, false);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
