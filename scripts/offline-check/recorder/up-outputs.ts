// What a provider hands back at `pulumi up`, for the offline check's second pass ("beyond a real preview"): every
// output known. The inputs come back as given; each output the installed SDK declares as always present
// (`readonly x: pulumi.Output<string>` or `<string[]>` in its .d.ts, not `| undefined`) and the program did not set
// gets a mock value shaped like the real one (an ARN for `arn`/`*Arn`, an id for `*Id`). Rules that judge these
// values' digits must not be run on them; the run keeps only verdicts on a document's structure.
import * as fs from "fs";
import * as path from "path";

/** Output names the SDK always fills, per type token, read from its declarations (cached). */
const declared = new Map<string, { strings: string[]; lists: string[] }>();

/** The .d.ts of a type token's class (aws:elasticache/replicationGroup:ReplicationGroup -> elasticache/replicationGroup.d.ts). */
function declarationFile(projectDir: string, type: string): string | undefined {
    const m = /^([^:]+):([^/:]+)\/([^:]+):/.exec(type);
    if (!m) {
        return undefined;
    }
    const [, pkg, module, file] = m;
    const rel = module === "index" ? `${file}.d.ts` : `${module}/${file}.d.ts`;
    try {
        const root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`, { paths: [projectDir] }));
        const candidate = path.join(root, rel);
        return fs.existsSync(candidate) ? candidate : undefined;
    } catch {
        return undefined;
    }
}

export function declaredOutputs(projectDir: string, type: string): { strings: string[]; lists: string[] } {
    const cached = declared.get(type);
    if (cached) {
        return cached;
    }
    const found = { strings: [] as string[], lists: [] as string[] };
    const file = declarationFile(projectDir, type);
    if (file) {
        const text = fs.readFileSync(file, "utf8");
        const start = text.indexOf("export declare class ");
        const body = start < 0 ? "" : text.slice(start, text.indexOf("\n}", start));
        for (const m of body.matchAll(/^ {4}readonly (\w+): pulumi\.Output<([^>]*)>;$/gm)) {
            if (m[2] === "string") {
                found.strings.push(m[1]);
            } else if (m[2] === "string[]") {
                found.lists.push(m[1]);
            }
        }
    }
    declared.set(type, found);
    return found;
}

export interface UpContext {
    readonly projectDir: string;
    readonly region: string;
    readonly partition: string;
    readonly account: string;
}

/** A mock value for an output, shaped after its name. */
function mockValue(type: string, name: string, key: string, ctx: UpContext): string {
    const m = /^[^:]+:([^/:]+)\/([^:]+):/.exec(type);
    const service = m?.[1] ?? "mock";
    const kind = m?.[2] ?? "resource";
    if (key === "arn" || key.endsWith("Arn")) {
        return `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.account}:${kind}/${name}`;
    }
    if (key.endsWith("Id") || key === "id") {
        return `${kind}-${name}`;
    }
    return `${name}-${key}`;
}

/** The state a provider returns at `pulumi up`: the inputs, and a mock for every always-present output missing. */
export function upState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    ctx: UpContext,
): { id: string; state: Record<string, unknown> } {
    const state: Record<string, unknown> = { ...inputs };
    const { strings, lists } = declaredOutputs(ctx.projectDir, type);
    for (const key of strings) {
        if (state[key] === undefined) {
            state[key] = mockValue(type, name, key, ctx);
        }
    }
    for (const key of lists) {
        if (state[key] === undefined) {
            state[key] = [mockValue(type, name, key, ctx)];
        }
    }
    return { id: mockValue(type, name, "id", ctx), state };
}
