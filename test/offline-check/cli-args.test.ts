import * as assert from "assert";
import * as path from "path";
import { REPO_ROOT, OFFLINE_CHECK_USAGE, parseOfflineCheckArgs } from "../../scripts/offline-check/cli";
import { OfflineCheckError } from "../../scripts/offline-check/offline-check-error";

describe("offline-check/cli: arguments", () => {
    it("defaults to this repository, stack dev, text, the policy/ pack", () => {
        const o = parseOfflineCheckArgs([], "/");
        assert.deepStrictEqual(o, {
            programDir: REPO_ROOT,
            stack: "dev",
            stacks: ["dev"],
            allStacks: false,
            format: "text",
            policyPack: path.join(REPO_ROOT, "policy"),
            timeoutSeconds: 600,
            failOnReplace: false,
            help: false,
        });
        assert.strictEqual(REPO_ROOT, path.resolve(__dirname, "..", ".."));
    });

    it("takes every flag, as `--flag value` or `--flag=value`, paths relative to the working directory", () => {
        const o = parseOfflineCheckArgs(
            [
                "--program=test",
                "--stack",
                "prod",
                "--format",
                "sarif",
                "--policy-config",
                "c.json",
                "--policy-pack=p",
                "--sarif-file",
                "o.sarif",
                "--timeout=2.5",
            ],
            REPO_ROOT,
        );
        assert.strictEqual(o.timeoutSeconds, 2.5);
        // The Pulumi CLI's name for the flag works too.
        assert.strictEqual(
            parseOfflineCheckArgs(["--policy-pack-config", "c.json"], REPO_ROOT).policyConfig,
            path.join(REPO_ROOT, "c.json"),
        );
        assert.strictEqual(o.programDir, path.join(REPO_ROOT, "test"));
        assert.strictEqual(o.stack, "prod");
        assert.strictEqual(o.format, "sarif");
        assert.strictEqual(o.policyConfig, path.join(REPO_ROOT, "c.json"));
        assert.strictEqual(o.policyPack, path.join(REPO_ROOT, "p"));
        assert.strictEqual(o.sarifFile, path.join(REPO_ROOT, "o.sarif"));
        assert.ok(parseOfflineCheckArgs(["-h"]).help);
        // Several stacks: comma-separated, or every Pulumi.<stack>.yaml of the program (sorted).
        assert.deepStrictEqual(parseOfflineCheckArgs(["--stack", "prod,dev"], REPO_ROOT).stacks, ["prod", "dev"]);
        const all = parseOfflineCheckArgs(["--all-stacks"], REPO_ROOT);
        assert.deepStrictEqual([all.stack, all.stacks], ["dev", ["dev", "prod", "staging"]]);
        assert.strictEqual(parseOfflineCheckArgs(["--preview-only"], REPO_ROOT).upPass, false);
        assert.strictEqual(o.upPass, undefined); // the second pass runs by default
        const planned = parseOfflineCheckArgs(["--base=origin/main", "--fail-on-replace"], REPO_ROOT);
        assert.deepStrictEqual([planned.baseRevision, planned.failOnReplace], ["origin/main", true]);
        // --base with several stacks (CI's one run): each stack planned from itself at the revision.
        const allPlanned = parseOfflineCheckArgs(["--all-stacks", "--base", "origin/main"], REPO_ROOT);
        assert.deepStrictEqual(
            [allPlanned.stacks, allPlanned.baseRevision],
            [["dev", "prod", "staging"], "origin/main"],
        );
        assert.strictEqual(
            parseOfflineCheckArgs(["--stack", "dev,prod", "--base=main"], REPO_ROOT).baseRevision,
            "main",
        );
        assert.strictEqual(
            parseOfflineCheckArgs(["--state", "s.json"], REPO_ROOT).stateFile,
            path.join(REPO_ROOT, "s.json"),
        );
        assert.match(OFFLINE_CHECK_USAGE, /--format FORMAT +text \(default\), json, markdown or sarif/);
    });

    it("rejects bad input naming the flag, the value and what is allowed", () => {
        const cases: [string[], RegExp][] = [
            [["--format", "xml"], /^--format 'xml' is not supported \(allowed: text, json, markdown, sarif\)$/],
            [
                ["--stacks", "dev"],
                /^unknown argument '--stacks' \(flags: --program, --stack, --format, --policy-pack-config, --policy-config, --policy-pack, --sarif-file, --timeout, --base, --state, --all-stacks, --fail-on-replace, --preview-only, --help\)$/,
            ],
            [["--stack"], /^--stack needs a value$/],
            [["--stack", "--format", "json"], /^--stack needs a value$/],
            [["--stack="], /^--stack needs a non-empty value$/],
            [["--stack", "a/b"], /^--stack 'a\/b' is not a valid stack name/],
            [["--program", "/nonexistent/dir"], /^--program \/nonexistent\/dir is not a directory$/],
            [["--timeout", "0"], /^--timeout '0' must be a number of seconds, above 0 and at most 86400$/],
            [["--timeout", "ten"], /^--timeout 'ten' must be a number of seconds/],
            [["--base", "main", "--state", "s.json"], /^--base and --state are alternatives/],
            [["--all-stacks", "--state", "s.json"], /^--state plans one stack: give a single --stack$/],
            [["--fail-on-replace"], /^--fail-on-replace needs a plan: add --base REV or --state FILE$/],
            [["--base=--upload-pack=x"], /^--base '--upload-pack=x' is not a git revision$/],
            [["--fail-on-replace=yes", "--base", "main"], /^unknown argument '--fail-on-replace=yes'/],
            [
                ["--sarif-file", "/nonexistent/dir/r.sarif"],
                /^--sarif-file .*: the directory \/nonexistent\/dir does not exist$/,
            ],
        ];
        for (const [args, message] of cases) {
            assert.throws(
                () => parseOfflineCheckArgs(args, REPO_ROOT),
                (e: unknown) => e instanceof OfflineCheckError && message.test(e.message),
                args.join(" "),
            );
        }
    });
});
