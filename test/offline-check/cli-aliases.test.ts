// The spellings users type besides the ones cli-args.test.ts covers: aliases, repeats, and what is not a flag.
import * as assert from "assert";
import * as path from "path";
import { REPO_ROOT, parseOfflineCheckArgs } from "../../scripts/offline-check/cli";
import { OfflineCheckError } from "../../scripts/offline-check/offline-check-error";

describe("offline-check/cli: aliases and spellings", () => {
    it("takes -h and --help (a value given to --help is ignored)", () => {
        for (const argv of [["-h"], ["--help"], ["--help=yes"], ["--stack", "prod", "-h"]]) {
            assert.strictEqual(parseOfflineCheckArgs(argv, REPO_ROOT).help, true, argv.join(" "));
        }
    });

    it("takes --policy-config as --policy-pack-config, and the last of a repeated flag", () => {
        const o = parseOfflineCheckArgs(["--policy-config=a.json", "--policy-pack-config", "b.json"], REPO_ROOT);
        assert.strictEqual(o.policyConfig, path.join(REPO_ROOT, "b.json"));
        assert.strictEqual(parseOfflineCheckArgs(["--stack", "a", "--stack=b"], REPO_ROOT).stack, "b");
    });

    it("refuses positionals, `--`, grouped or unknown short flags, as typed", () => {
        for (const arg of ["dev", "--", "-x", "-hx", "--stacks=dev"]) {
            assert.throws(
                () => parseOfflineCheckArgs([arg], REPO_ROOT),
                (e: unknown) =>
                    e instanceof OfflineCheckError && e.message.startsWith(`unknown argument '${arg}' (flags: `),
                arg,
            );
        }
        assert.throws(
            () => parseOfflineCheckArgs(["--stack", "--"], REPO_ROOT),
            /^Error: --stack needs a value$|--stack needs a value/,
        );
    });
});
