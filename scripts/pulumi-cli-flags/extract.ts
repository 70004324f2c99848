// The Pulumi CLI's commands and flags, read from its cobra definitions in pulumi/pulumi's Go source
// (pkg/cmd/pulumi/**.go): `x := &cobra.Command{ Use: "name ..." }`, `x.Flags()` / `x.PersistentFlags()` flag
// definitions (`BoolVarP(&v, "name", "s", ...)`, `StringVar(&v, "name", ...)`, `String("name", ...)`),
// `x.AddCommand(newChildCmd(...))`, and the root's `Commands: []*cobra.Command{ pkg.NewXCmd(...) }` groups.
// A command accepts its own flags, its persistent flags and every ancestor's persistent flags (cobra). Pure:
// takes the files' text, so refresh.ts can feed it a git tag and the tests a small fixture.
// Known gap: flags added through helpers that take the flag set (`outputflag.VarP(cmd.Flags(), ...)`,
// `RemoteArgs.ApplyFlags(cmd)`) are not read; a README line using one fails the check, never passes wrongly.

export interface Flag {
    name: string;
    short?: string;
    /** Takes a value (`--stack dev`); false for booleans and counters (`--yes`). */
    value: boolean;
    persistent: boolean;
}

export interface CommandFlags {
    /** Where the command is defined: `path#function`. */
    source: string;
    /** Other names of the command (`Aliases`: `stack init` is `stack new`). */
    aliases?: string[];
    /** Every flag the command accepts (own, persistent and inherited), sorted by name. */
    flags: { name: string; short?: string; value: boolean }[];
}

interface GoFunction {
    name: string;
    file: string;
    body: string;
}

interface CommandDef {
    fn: GoFunction;
    variable: string;
    name: string;
    aliases: string[];
    flags: Flag[];
    children: CommandDef[];
}

const FLAG_METHOD =
    /^(?:Bool|String|Int|Int32|Int64|Uint|Uint32|Float64|Duration|StringSlice|StringArray|IntSlice|StringToString|Count)?(?:Var)?P?$/;

/** Top-level functions (and methods) of one Go file, each with its body up to the next top-level `func`. */
export function goFunctions(file: string, text: string): GoFunction[] {
    const starts = [...text.matchAll(/^func (?:\([^)]*\)\s*)?(\w+)\s*\(/gm)];
    return starts.map((m, i) => ({
        name: m[1],
        file,
        body: text.slice(m.index, i + 1 < starts.length ? starts[i + 1].index : text.length),
    }));
}

/** The flag definitions on `variable` in a function body. */
function flagsOf(body: string, variable: string): Flag[] {
    const out: Flag[] = [];
    const re = new RegExp(
        `\\b${variable}\\.(PersistentFlags|Flags)\\(\\)\\.(\\w+)\\(\\s*(?:&[^,]+,\\s*)?"([\\w-]+)"(?:\\s*,\\s*"(\\w?)")?`,
        "g",
    );
    for (const m of body.matchAll(re)) {
        const [, set, method, name, short] = m;
        if (!FLAG_METHOD.test(method)) {
            continue;
        }
        const takesShort = method.endsWith("P");
        out.push({
            name,
            value: !/^(?:Bool|Count)/.test(method),
            persistent: set === "PersistentFlags",
            ...(takesShort && short ? { short } : {}),
        });
    }
    return out;
}

/** The commands a function defines: `v := &cobra.Command{...}` with its `Use` (or a later `v.Use = "..."`). */
function commandsIn(fn: GoFunction): { variable: string; name: string; aliases: string[] }[] {
    const out: { variable: string; name: string; aliases: string[] }[] = [];
    for (const m of fn.body.matchAll(/\b(\w+)\s*:?=\s*&cobra\.Command\s*\{/g)) {
        const variable = m[1];
        const literal = balanced(fn.body, m.index + m[0].length - 1);
        // The literal's own fields only: nested function bodies (RunE) come after them.
        const assigned = new RegExp(`\\b${variable}\\.Use\\s*=\\s*"([^"]+)"`).exec(fn.body);
        const use = assigned?.[1] ?? /\bUse:\s*"([^"]+)"/.exec(literal)?.[1];
        const aliases = /\bAliases:\s*\[\]string\{([^}]*)\}/.exec(literal)?.[1] ?? "";
        if (use) {
            out.push({
                variable,
                name: use.split(/\s+/)[0],
                aliases: [...aliases.matchAll(/"([^"]+)"/g)].map((a) => a[1]),
            });
        }
    }
    return out;
}

/** The constructor calls among `x.AddCommand(...)` arguments and a `Commands: []*cobra.Command{...}` list. */
function childCalls(body: string, variable: string | undefined): string[] {
    const names: string[] = [];
    const lists: string[] = [];
    if (variable) {
        for (const m of body.matchAll(new RegExp(`\\b${variable}\\.AddCommand\\(`, "g"))) {
            lists.push(balanced(body, m.index + m[0].length - 1));
        }
    }
    for (const m of body.matchAll(/Commands:\s*\[\]\*cobra\.Command\{/g)) {
        lists.push(balanced(body, m.index + m[0].length - 1));
    }
    for (const list of lists) {
        // Top-level calls only: `pkg.NewXCmd(args(...))` gives NewXCmd.
        let depth = 0;
        let token = "";
        for (let i = 1; i < list.length - 1; i++) {
            const c = list[i];
            if (c === "(" || c === "{" || c === "[") {
                if (depth === 0 && /^[\w.]+$/.test(token.trim())) {
                    names.push(token.trim().split(".").pop()!);
                }
                depth++;
            } else if (c === ")" || c === "}" || c === "]") {
                depth--;
            }
            token = depth === 0 && /[\w.]/.test(c) ? token + c : depth === 0 ? "" : token;
        }
    }
    return names;
}

/** The text from the bracket at `open` to its match (inclusive), ignoring brackets inside strings. */
function balanced(text: string, open: number): string {
    let depth = 0;
    let quote = "";
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === "\\" && quote === '"') {
                i++;
            } else if (c === quote) {
                quote = "";
            }
            continue;
        }
        if (c === '"' || c === "`") {
            quote = c;
        } else if ("({[".includes(c)) {
            depth++;
        } else if (")}]".includes(c) && --depth === 0) {
            return text.slice(open, i + 1);
        }
    }
    return text.slice(open);
}

/**
 * Every command reachable from `rootFunction` (e.g. NewPulumiCmd) in `files` (path -> Go source), by full name
 * ("config set"), with every flag it accepts. Constructors are looked up by name, in the caller's directory
 * first.
 */
export function extractCommands(files: Record<string, string>, rootFunction: string): Record<string, CommandFlags> {
    const fns = Object.entries(files).flatMap(([file, text]) => goFunctions(file, text));
    const byName = new Map<string, GoFunction[]>();
    for (const f of fns) {
        byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
    }
    const dirOf = (file: string): string => file.slice(0, file.lastIndexOf("/"));
    const lookup = (name: string, from: GoFunction): GoFunction | undefined => {
        const all = byName.get(name) ?? [];
        return all.find((f) => dirOf(f.file) === dirOf(from.file)) ?? (all.length === 1 ? all[0] : undefined);
    };
    const build = (fn: GoFunction, seen: Set<string>): CommandDef | undefined => {
        const cmds = commandsIn(fn);
        const returned = /\breturn\s+(\w+)\b/.exec(fn.body)?.[1];
        const main = cmds.find((c) => c.variable === returned) ?? cmds[0];
        if (!main || seen.has(fn.file + fn.name)) {
            return undefined;
        }
        const next = new Set(seen).add(fn.file + fn.name);
        const children = childCalls(fn.body, main.variable)
            .map((n) => lookup(n, fn))
            .filter((f): f is GoFunction => f !== undefined)
            .map((f) => build(f, next))
            .filter((c): c is CommandDef => c !== undefined);
        return {
            fn,
            variable: main.variable,
            name: main.name,
            aliases: main.aliases,
            flags: flagsOf(fn.body, main.variable),
            children,
        };
    };
    const rootFn = fns.find((f) => f.name === rootFunction);
    if (!rootFn) {
        throw new Error(`no function ${rootFunction} in the given files`);
    }
    const root = build(rootFn, new Set());
    if (!root) {
        throw new Error(`${rootFunction} defines no cobra command`);
    }
    const out: Record<string, CommandFlags> = {};
    const walk = (c: CommandDef, path: string[], inherited: Flag[]): void => {
        const key = path.join(" ");
        const all = new Map<string, Flag>();
        for (const f of [...inherited, ...c.flags]) {
            all.set(f.name, f);
        }
        out[key] = {
            source: `${c.fn.file}#${c.fn.name}`,
            ...(c.aliases.length > 0 ? { aliases: c.aliases } : {}),
            flags: [...all.values()]
                .map((f) => ({ name: f.name, ...(f.short ? { short: f.short } : {}), value: f.value }))
                .sort((a, b) => a.name.localeCompare(b.name)),
        };
        const passDown = [...inherited, ...c.flags.filter((f) => f.persistent)];
        for (const child of c.children) {
            walk(child, [...path, child.name], passDown);
        }
    };
    walk(root, [], []);
    return out;
}
