// `npm run pulumi-cli:flags -- <pulumi/pulumi git dir> <tag>`:
// rewrites test/fixtures/pulumi-cli/flags.json with the commands and flags of the families the READMEs may use
// (README_FAMILIES) and the root, read from the tag's cobra definitions (extract.ts). Needs only `git`.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { extractCommands } from "./extract";

/** The command families the README may use; the fixture holds them and their subcommands. */
export const README_FAMILIES = [
    "",
    "login",
    "logout",
    "whoami",
    "stack",
    "config",
    "preview",
    "up",
    "destroy",
    "refresh",
    "policy",
    "state",
    "cancel",
    "version",
    "about",
];

function main(): void {
    const [repo, tag] = process.argv.slice(2);
    if (!repo || !tag) {
        process.stderr.write("usage: refresh.ts <pulumi/pulumi git dir> <tag, e.g. v3.259.0>\n");
        process.exit(2);
    }
    const git = (...args: string[]): string =>
        execFileSync("git", ["--git-dir", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
    const files: Record<string, string> = {};
    for (const file of git("ls-tree", "-r", "--name-only", tag, "pkg/cmd/pulumi").split("\n")) {
        if (file.endsWith(".go") && !file.endsWith("_test.go") && !file.includes("/testdata/")) {
            files[file] = git("show", `${tag}:${file}`);
        }
    }
    const all = extractCommands(files, "NewPulumiCmd");
    const commands = Object.fromEntries(
        Object.entries(all).filter(([name]) => README_FAMILIES.includes(name.split(" ")[0])),
    );
    const out = path.join(__dirname, "..", "..", "test", "fixtures", "pulumi-cli", "flags.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const doc = {
        cli: "pulumi",
        version: tag.replace(/^v/, ""),
        source: `pulumi/pulumi ${tag} pkg/cmd/pulumi (cobra definitions), read by scripts/pulumi-cli-flags/extract.ts`,
        commands,
    };
    fs.writeFileSync(out, JSON.stringify(doc, null, 2) + "\n");
    process.stdout.write(`${out}: ${Object.keys(commands).length} commands of pulumi ${tag}\n`);
}

if (require.main === module) {
    main();
}
