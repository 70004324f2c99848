import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPLACE_RULES, REPLACE_RULES_AS_OF } from "../../../scripts/offline-check/plan/replace-rules";

const MODULES = path.resolve(__dirname, "..", "..", "..", "node_modules");

/** The installed SDK's declaration file of a type token (`aws:ec2/vpc:Vpc` -> @pulumi/aws/ec2/vpc.d.ts). */
function declarations(type: string): string {
    const [pkg, mod] = type.split(":");
    const [dir, file] = mod.split("/");
    const rel = dir === "index" ? `${file}.d.ts` : path.join(dir, `${file}.d.ts`);
    return fs.readFileSync(path.join(MODULES, "@pulumi", pkg, rel), "utf8");
}

describe("plan: replace rules (replace-rules.ts)", () => {
    it("is dated", () => {
        assert.match(REPLACE_RULES_AS_OF, /^\d{4}-\d{2}-\d{2}$/);
    });

    it("names only properties the installed SDK declares for the type (Terraform -> Pulumi names checked)", () => {
        const missing: string[] = [];
        for (const [type, rules] of Object.entries(REPLACE_RULES)) {
            const d = declarations(type);
            for (const r of rules) {
                const top = r.property.split(".")[0];
                if (!new RegExp(`readonly ${top}\\??:`).test(d)) {
                    missing.push(`${type} ${r.property}`);
                }
            }
        }
        assert.deepStrictEqual(missing, []);
    });

    it("gives every rule a source file, and every CustomizeDiff rule its condition", () => {
        for (const [type, rules] of Object.entries(REPLACE_RULES)) {
            for (const r of rules) {
                assert.match(r.source, /^hashicorp\/terraform-provider-(aws|random) \S+\.go/, `${type} ${r.property}`);
                assert.strictEqual(r.rule === "CustomizeDiff", typeof r.forces === "function", `${type} ${r.property}`);
            }
        }
    });
});
