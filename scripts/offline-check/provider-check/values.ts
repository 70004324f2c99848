// Reading recorded inputs (Pulumi's wire form) the way a provider's Check sees them: unknowns are skipped
// (a real preview validates only what it knows), secrets are validated by their plain value but never printed.

import { isSecret, UNKNOWN } from "./wire";

export type Inputs = Readonly<Record<string, unknown>>;

/** One failure as a provider's Check returns it (pulumirpc CheckFailure): the Pulumi property path and reason. */
export interface CheckFailure {
    /** Pulumi property path (`replicationGroupId`, `ingress[0].cidrBlocks[1]`); "" for the whole resource. */
    readonly property: string;
    readonly reason: string;
    /**
     * The verdict depends only on which inputs are set and a document's structure, not on the values of other
     * resources' outputs: the second pass ("beyond a real preview", run with mock outputs) keeps only these.
     */
    readonly structural?: boolean;
}

/** Whether `v` is, or contains, the engine's unknown sentinel. */
export function hasUnknown(v: unknown): boolean {
    if (v === UNKNOWN) {
        return true;
    }
    if (isSecret(v)) {
        return hasUnknown(v.value);
    }
    if (Array.isArray(v)) {
        return v.some(hasUnknown);
    }
    if (typeof v === "object" && v !== null) {
        return Object.values(v).some(hasUnknown);
    }
    return false;
}

/** The value with every secret wrapper removed. */
export function plain(v: unknown): unknown {
    if (isSecret(v)) {
        return plain(v.value);
    }
    if (Array.isArray(v)) {
        return v.map(plain);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}

/** Whether the input is set in the program's inputs at all (known or not), as Terraform's raw config sees it. */
export function isSet(inputs: Inputs, key: string): boolean {
    return inputs[key] !== undefined && inputs[key] !== null;
}

/** A known string input (secrets unwrapped); undefined when absent, unknown or not a string. */
export function knownString(inputs: Inputs, key: string): string | undefined {
    const v = inputs[key];
    if (v === undefined || hasUnknown(v)) {
        return undefined;
    }
    const p = plain(v);
    return typeof p === "string" ? p : undefined;
}

/** A known number input. */
export function knownNumber(inputs: Inputs, key: string): number | undefined {
    const v = inputs[key];
    return typeof v === "number" ? v : undefined;
}

/** A known boolean input; `fallback` (the schema default) when absent. Undefined when unknown. */
export function knownBool(inputs: Inputs, key: string, fallback: boolean): boolean | undefined {
    const v = inputs[key];
    if (v === undefined || v === null) {
        return fallback;
    }
    return typeof v === "boolean" ? v : undefined;
}

/**
 * The items of a list input with their index, secrets unwrapped; unknown items (and unknown lists) are
 * skipped, while an object item keeps its unknown fields for the field-level reads to skip.
 */
export function knownItems(inputs: Inputs, key: string): { index: number; value: unknown }[] {
    const v = inputs[key];
    if (!Array.isArray(v)) {
        return [];
    }
    return v.flatMap((item, index) => {
        const value = plain(item);
        return value === UNKNOWN ? [] : [{ index, value }];
    });
}

/** Terraform's attribute name of a Pulumi property (replicationGroupId -> replication_group_id). */
export function tfName(property: string): string {
    return property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
