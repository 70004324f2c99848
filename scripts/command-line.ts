// The command-line tokenizer both CLIs share (redis-stack-check, redis-stack-redis-check): Node's util.parseArgs
// reads argv against the CLI's flags (`--flag value`, `--flag=value`, `-h`), and each CLI applies its own rules
// to the tokens in order (which values it accepts, which errors and exit codes it gives).
import { parseArgs } from "util";

/** A flag a CLI declares: a value flag (`--stack NAME`) or a switch (`--json`), maybe with a one-letter alias. */
export interface FlagSpec {
    readonly type: "string" | "boolean";
    readonly short?: string;
}

export type ArgToken =
    /** One of the declared flags; `flag` as typed (`--help` or `-h`); a value flag's value if one was given. */
    | {
          readonly kind: "flag";
          readonly name: string;
          readonly flag: string;
          readonly value?: string;
          readonly inline: boolean;
      }
    /** Anything else, as typed: a positional, `--`, an undeclared flag (with its `=value`), grouped short flags. */
    | { readonly kind: "unknown"; readonly arg: string };

/**
 * argv (without node and script) as tokens, in order. A value flag takes the next argument as its value
 * whatever it looks like (`--stack --format` gives `--stack` the value `--format`), as util.parseArgs does
 * outside strict mode; each CLI decides which values to refuse.
 */
export function argTokens(argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>): ArgToken[] {
    const { tokens } = parseArgs({
        args: [...argv],
        // parseArgs refuses a `short` that is present but undefined.
        options: Object.fromEntries(
            Object.entries(flags).map(([name, f]) => [
                name,
                f.short ? { type: f.type, short: f.short } : { type: f.type },
            ]),
        ),
        strict: false,
        allowPositionals: true,
        tokens: true,
    });
    const out: ArgToken[] = [];
    let lastUnknown = -1;
    for (const t of tokens) {
        const arg = argv[t.index];
        // A short flag typed with others (`-ah`, `-h=x`) is not a flag of either CLI: one unknown argument.
        const known =
            t.kind === "option" && Object.hasOwn(flags, t.name) && (t.rawName.startsWith("--") || arg === t.rawName);
        if (t.kind === "option" && known) {
            out.push({ kind: "flag", name: t.name, flag: t.rawName, value: t.value, inline: t.inlineValue ?? false });
        } else if (t.index !== lastUnknown) {
            out.push({ kind: "unknown", arg });
            lastUnknown = t.index;
        }
    }
    return out;
}
