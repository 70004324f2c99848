// Every `pulumi ...` command the READMEs show (code blocks and inline code) checked against the Pulumi CLI's own
// command tree and flags, as of the version the README documents: test/fixtures/pulumi-cli/flags.json, read from
// pulumi/pulumi's cobra definitions by scripts/pulumi-cli-flags (refresh.ts). And no block sets a known secret.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { CommandFlags } from "../../scripts/pulumi-cli-flags/extract";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), "utf8");
const FIXTURE = JSON.parse(read("test/fixtures/pulumi-cli/flags.json")) as {
    version: string;
    source: string;
    commands: Record<string, CommandFlags>;
};
const DOCS = ["README.md", "policy/README.md"];

/** The code blocks' lines and the inline code spans of a markdown file. */
export function codeOf(markdown: string): string[] {
    const out: string[] = [];
    const prose = markdown.replace(/^```[^\n]*\n([\s\S]*?)^```$/gm, (_, block: string) => {
        out.push(...block.split("\n"));
        return "";
    });
    for (const m of prose.matchAll(/`([^`\n]+)`/g)) {
        out.push(m[1]);
    }
    return out;
}

/**
 * Shell words of every `pulumi` command in a line: at its start, after `$(`, `|`, `&&`, `||` or `;`. Quotes are
 * removed; a command ends at `)`, `|`, `&`, `;`, a redirection or a comment.
 */
export function pulumiCommands(line: string): string[][] {
    const commands: string[][] = [];
    const starts = [...line.matchAll(/(?:^|\$\(|\|\|?|&&|;)\s*(?=pulumi\s)/g)].map((m) => m.index + m[0].length);
    for (const start of starts) {
        const words: string[] = [];
        let word = "";
        let quote = "";
        let i = start;
        for (; i < line.length; i++) {
            const c = line[i];
            if (quote) {
                if (c === quote) quote = "";
                else word += c;
            } else if (c === "'" || c === '"') {
                quote = c;
            } else if (/\s/.test(c)) {
                if (word) words.push(word);
                word = "";
            } else if (")|&;<>".includes(c) || (c === "#" && word === "")) {
                break;
            } else {
                word += c;
            }
        }
        if (word) words.push(word);
        commands.push(words);
    }
    return commands;
}

/**
 * What is wrong with a command (words after `pulumi`), or undefined: each word left to right, as cobra reads it: a
 * flag (with its value when it takes one), a subcommand while the command has subcommands, else an argument; then
 * every flag against what the command found accepts (its own, its persistent and its ancestors' persistent flags).
 */
export function checkCommand(words: string[], commands: Record<string, CommandFlags>): string | undefined {
    const children = (prefix: string): Map<string, string> => {
        const m = new Map<string, string>();
        for (const [name, c] of Object.entries(commands)) {
            const parts = name.split(" ");
            if (name !== "" && parts.slice(0, -1).join(" ") === prefix) {
                for (const alias of [parts[parts.length - 1], ...(c.aliases ?? [])]) {
                    m.set(alias, name);
                }
            }
        }
        return m;
    };
    const find = (command: string, w: string) => {
        const long = /^--([\w-]+)(=.*)?$/.exec(w);
        const short = /^-(\w)$/.exec(w);
        const flag = commands[command].flags.find((f) => (long ? f.name === long[1] : short && f.short === short[1]));
        return { flag, inline: long?.[2] !== undefined, readable: Boolean(long || short) };
    };
    let current = "";
    let argsOnly = false;
    const flags: string[] = [];
    for (let i = 0; i < words.length; i++) {
        const w = words[i];
        if (w === "--") {
            argsOnly = true;
        } else if (!argsOnly && w.startsWith("-") && !/^-\d/.test(w)) {
            const { flag, inline, readable } = find(current, w);
            if (!readable) {
                return `"pulumi ${current}": cannot read the flag ${w}`;
            }
            flags.push(w);
            if (flag?.value && !inline) {
                i++;
            }
        } else {
            const kids = children(current);
            if (kids.size > 0 && !argsOnly) {
                const child = kids.get(w);
                if (!child) {
                    return `"pulumi ${current ? current + " " : ""}${w}": no such command in pulumi ${FIXTURE.version}`;
                }
                current = child;
            }
        }
    }
    for (const w of flags) {
        if (!find(current, w).flag) {
            return `"pulumi ${current}" has no flag ${w.replace(/=.*/, "")} in pulumi ${FIXTURE.version}`;
        }
    }
    return undefined;
}

const documented = DOCS.flatMap((file) =>
    codeOf(read(file)).flatMap((line) => pulumiCommands(line).map((words) => ({ file, line, words }))),
);

describe("the READMEs' pulumi commands, against the CLI's flags", () => {
    it(`the fixture is pulumi ${FIXTURE.version}, the version the README documents and CI installs`, () => {
        assert.match(FIXTURE.source, new RegExp(`pulumi/pulumi v${FIXTURE.version.replace(/\./g, "\\.")} `));
        assert.match(read("README.md"), new RegExp(`Pulumi CLI \\*\\*${FIXTURE.version.replace(/\./g, "\\.")}\\*\\*`));
        const workflow = yaml.load(read(".github/workflows/pull-request.yml")) as {
            jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
        };
        const action = workflow.jobs["pulumi-preview"].steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.strictEqual(String(action?.with?.["pulumi-version"]), FIXTURE.version);
    });

    it("finds the commands (every deploy step, config, policy, state)", () => {
        const seen = new Set(documented.map((d) => d.words.slice(1, 3).join(" ")));
        for (const c of [
            "login --local",
            "stack select",
            "config set",
            "config set-all",
            "preview --policy-pack",
            "up --policy-pack",
            "policy publish",
            "policy enable",
            "state unprotect",
        ]) {
            assert.ok(seen.has(c), `no "pulumi ${c}" found in the READMEs`);
        }
    });

    for (const { file, line, words } of documented) {
        it(`${file}: ${words.join(" ")}`, () => {
            assert.strictEqual(words[0], "pulumi");
            const problem = checkCommand(words.slice(1), FIXTURE.commands);
            assert.strictEqual(problem, undefined, `${line}\n${problem}`);
        });
    }

    it("the check fails what the CLI refuses: config set --json, an unknown command, a misspelt flag", () => {
        assert.match(checkCommand(["config", "set", "--json", "k", "[]"], FIXTURE.commands)!, /no flag --json/);
        assert.match(checkCommand(["stack", "create-or-select", "dev"], FIXTURE.commands)!, /no such command/);
        assert.match(checkCommand(["up", "--policy-packs", "policy"], FIXTURE.commands)!, /no flag --policy-packs/);
        assert.strictEqual(checkCommand(["stack", "init", "dev"], FIXTURE.commands), undefined, "an alias");
        assert.strictEqual(checkCommand(["-C", "x", "stack", "select", "-c", "dev"], FIXTURE.commands), undefined);
        assert.deepStrictEqual(pulumiCommands('echo $(pulumi stack output x) | pulumi config set --secret "k"'), [
            ["pulumi", "stack", "output", "x"],
            ["pulumi", "config", "set", "--secret", "k"],
        ]);
    });

    it("no block sets a known passphrase or token: both are generated, never typed", () => {
        for (const file of DOCS) {
            for (const line of codeOf(read(file))) {
                assert.doesNotMatch(line, /PULUMI_CONFIG_PASSPHRASE=\s*['"]?[^'"$\s]/, `${file}: ${line}`);
                for (const words of pulumiCommands(line)) {
                    if (words[1] === "config" && words[2] === "set" && words.includes("--secret")) {
                        const args = words.slice(3).filter((w) => !w.startsWith("-"));
                        // Only the key: the value comes from standard input (a generator piped in), never a literal.
                        assert.ok(args.length <= 1 || args[1] === "...", `${file}: a literal secret in: ${line}`);
                    }
                }
            }
        }
        assert.match(read("README.md"), /openssl rand -base64 32 > "\$HOME\/\.config\/redis-stack\/passphrase"/);
        // Generated only when the stack has none, so pasting the block again keeps the token.
        assert.match(
            read("README.md"),
            /^pulumi config get redisAuthToken > \/dev\/null 2>&1 \|\| openssl rand -hex 32 \| pulumi config set --secret redisAuthToken$/m,
        );
    });
});
