// The base of a plan read from `pulumi stack export` (apitype.UntypedDeployment with a DeploymentV3,
// pulumi/pulumi sdk/go/common/apitype/core.go): each resource's URN, type, inputs (the provider-checked inputs the
// last update stored, with `__defaults`), outputs, parent, protect, dependencies and propertyDependencies. Secrets
// in an export are `{SIG_KEY: SECRET_SIG, plaintext: "<JSON>"}` (`--show-secrets`) or `{..., ciphertext: "..."}`;
// they become wire-form secrets, a ciphertext one holding OPAQUE_SECRET (comparable to nothing). Pure; every bad
// input is one OfflineCheckError line naming the file and what is wrong.
import { OfflineCheckError } from "../offline-check-error";
import { SECRET_SIG, SIG_KEY } from "../recorder/recording";

/** The value of a secret the export holds encrypted: the plan cannot tell whether it changed. */
export const OPAQUE_SECRET = "[ciphertext]";

/** One resource of a base (a deployed stack, or a recording of the program at another revision). */
export interface BaseResource {
    urn: string;
    type: string;
    custom: boolean;
    parent: string;
    /** Wire form: secrets `{SIG_KEY: SECRET_SIG, value}`. */
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    protect: boolean;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

const SUPPORTED_VERSION = 3;
/** Deeper values are refused, not recursed into until the stack overflows. */
const MAX_DEPTH = 500;

function fail(file: string, what: string): never {
    throw new OfflineCheckError(
        `--state ${file}: ${what} (expected \`pulumi stack export\` output, deployment version 3)`,
    );
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Export form -> wire form, recursively (secrets decoded; anything else kept). */
function toWire(v: unknown, file: string, where: string, depth = 0): unknown {
    if (depth > MAX_DEPTH) {
        fail(file, `${where.slice(0, 80)}...: values nested deeper than ${MAX_DEPTH} levels`);
    }
    if (Array.isArray(v)) {
        return v.map((x, i) => toWire(x, file, `${where}[${i}]`, depth + 1));
    }
    if (!isRecord(v)) {
        return v;
    }
    if (SIG_KEY in v) {
        if (v[SIG_KEY] !== SECRET_SIG) {
            // Assets, archives and resource references keep their own signatures: compared as they are.
            return v;
        }
        if (typeof v.plaintext === "string") {
            try {
                return { [SIG_KEY]: SECRET_SIG, value: JSON.parse(v.plaintext) as unknown };
            } catch {
                fail(file, `${where}: a secret's plaintext is not JSON`);
            }
        }
        if (typeof v.ciphertext === "string") {
            return { [SIG_KEY]: SECRET_SIG, value: OPAQUE_SECRET };
        }
        fail(file, `${where}: a secret has neither plaintext nor ciphertext`);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x, file, `${where}.${k}`, depth + 1)]));
}

function stringList(v: unknown, file: string, where: string): string[] {
    if (v === undefined || v === null) {
        return [];
    }
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
        fail(file, `${where} is not a list of URNs`);
    }
    return v;
}

function optionalString(v: unknown, file: string, where: string): string {
    if (v === undefined || v === null) {
        return "";
    }
    if (typeof v !== "string") {
        fail(file, `${where} is not a string`);
    }
    return v;
}

function bag(v: unknown, file: string, where: string): Record<string, unknown> {
    if (v === undefined || v === null) {
        return {};
    }
    if (!isRecord(v)) {
        fail(file, `${where} is not an object`);
    }
    return toWire(v, file, where) as Record<string, unknown>;
}

/**
 * Parses `pulumi stack export` text. Resources pending deletion (`delete: true`) are left out: the engine deletes
 * them before anything else, whatever the program says.
 */
export function parseStackExport(text: string, file: string): BaseResource[] {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        fail(file, `not JSON (${(e as Error).message.split("\n")[0]})`);
    }
    if (!isRecord(doc)) {
        fail(file, "not a JSON object");
    }
    if (doc.version !== SUPPORTED_VERSION) {
        fail(file, `deployment version ${JSON.stringify(doc.version) ?? "missing"} is not supported`);
    }
    const deployment = doc.deployment;
    if (!isRecord(deployment)) {
        fail(file, "no `deployment` object");
    }
    const resources = deployment.resources ?? [];
    if (!Array.isArray(resources)) {
        fail(file, "`deployment.resources` is not a list");
    }
    const seen = new Set<string>();
    const out: BaseResource[] = [];
    resources.forEach((r: unknown, i) => {
        const where = `deployment.resources[${i}]`;
        if (!isRecord(r)) {
            fail(file, `${where} is not an object`);
        }
        if (typeof r.urn !== "string" || !r.urn.startsWith("urn:pulumi:") || r.urn.split("::").length < 4) {
            fail(file, `${where}.urn is not a Pulumi URN`);
        }
        if (typeof r.type !== "string" || r.type === "") {
            fail(file, `${where}.type is missing`);
        }
        if (r.custom !== undefined && typeof r.custom !== "boolean") {
            fail(file, `${where}.custom is not a boolean`);
        }
        if (r.protect !== undefined && typeof r.protect !== "boolean") {
            fail(file, `${where}.protect is not a boolean`);
        }
        if (r.delete === true) {
            return;
        }
        if (seen.has(r.urn)) {
            fail(file, `${where}.urn ${r.urn} appears twice`);
        }
        seen.add(r.urn);
        const deps = r.propertyDependencies ?? {};
        if (!isRecord(deps)) {
            fail(file, `${where}.propertyDependencies is not an object`);
        }
        out.push({
            urn: r.urn,
            type: r.type,
            custom: r.custom === true,
            parent: optionalString(r.parent, file, `${where}.parent`),
            inputs: bag(r.inputs, file, `${where}.inputs`),
            outputs: bag(r.outputs, file, `${where}.outputs`),
            protect: r.protect === true,
            dependencies: stringList(r.dependencies, file, `${where}.dependencies`),
            propertyDependencies: Object.fromEntries(
                Object.entries(deps).map(([k, v]) => [k, stringList(v, file, `${where}.propertyDependencies.${k}`)]),
            ),
        });
    });
    return out;
}
