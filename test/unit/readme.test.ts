import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { CONFIG_KEYS } from "../../infra/config";

const ROOT = path.resolve(__dirname, "../..");

describe("documentation stays true to the project file", () => {
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, { type: string; default: unknown; description: string }>;
    };
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

    it("declares exactly the keys the program reads, each with type, default and description", () => {
        assert.deepStrictEqual(Object.keys(project.config).sort(), [...CONFIG_KEYS].sort());
        for (const [key, decl] of Object.entries(project.config)) {
            assert.ok(
                decl.type && decl.default !== undefined && decl.description,
                `${key} needs type, default and description`,
            );
        }
    });

    it("lists every key in the README's config table with its type and default", () => {
        for (const [key, decl] of Object.entries(project.config)) {
            const row = readme.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
            assert.ok(row, `README has no row for ${key}`);
            const [, , type, shownDefault] = row.split("|").map((cell) => cell.trim());
            assert.strictEqual(type, decl.type, key);
            const expected =
                decl.default === "" ? "(empty)" : Array.isArray(decl.default) ? "`[]`" : `\`${decl.default}\``;
            assert.strictEqual(shownDefault, expected, key);
        }
    });

    it("shows the two commands of a fresh machine", () => {
        assert.ok(readme.includes("npm ci && npm run preview"));
        assert.ok(readme.includes("npm test"));
    });
});
