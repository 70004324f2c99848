// The plan of an update against a base, as the engine steps it (pulumi/pulumi pkg/resource/deploy/
// step_generator.go): each registration is matched to the base by URN, else by one of its aliases; no match is a
// create; a match is `same`, `update` (the properties that differ) or `replace` (a property the provider's Diff
// forces: replace-rules.ts); a base resource no registration claims is a delete. Pure.
//  - Auto-names: the bridge's Check keeps the old value of an auto-named property whose key is in the old
//    inputs' `__defaults` (pulumi-terraform-bridge pkg/tfbridge/schema.go), so a resource on both sides keeps
//    its base name and never shows a spurious name replace.
//  - Values the program does not know yet (outputs of other resources) are the base's unless a resource they
//    depend on (propertyDependencies) is created or replaced: then they change, as the engine's diff says.
//  - Delete-before-replace: the program's option, else the provider's answer, which the bridge gives for a
//    resource whose auto-nameable property the program set itself (nameRequiresDeleteBeforeReplace).
//  - `protect` on both sides makes a replace an error in preview ("unable to replace resource ... as it is
//    currently marked for protection"), and a delete fails in the update ("cannot be deleted because it is
//    protected", pkg/resource/deploy/step.go DeleteStep).
import { instanceArchitecture } from "../../../policy/shared";
import { AUTO_NAMES } from "../provider-check/autoname";
import { hasUnknown, plain } from "../provider-check/values";
import type { RecordedResource } from "../recorder/recording";
import { REPLACE_RULES, type ReplaceRule } from "./replace-rules";
import { type BaseResource, OPAQUE_SECRET } from "./state";

export type PlanOp = "create" | "update" | "replace" | "delete" | "same";

export interface ReplaceReason {
    property: string;
    rule: ReplaceRule["rule"];
    source: string;
}

export interface PlanStep {
    urn: string;
    type: string;
    op: PlanOp;
    /** Top-level properties that differ (update, replace). */
    changed: string[];
    replaceReasons: ReplaceReason[];
    /** A resource whose replace or delete loses data or breaks what depends on it (statefulKind). */
    stateful: boolean;
    /** Replace only: the old resource goes first (downtime, and nothing to fall back to). */
    deleteBeforeReplace: boolean;
    /** Replace or delete of a stateful resource: what is lost and what is kept (the final snapshot's name). */
    callout?: string;
}

export interface PlanResult {
    steps: PlanStep[];
    /** Why `pulumi up` would fail on this plan, one line each (each names the fix). */
    errors: string[];
}

/** The run's plan against its base (--base or --state): steps, why `pulumi up` would fail, cost before and after. */
export interface OfflinePlan {
    /** What the plan is against: `git <rev> (<sha>)` or `state <file>`. */
    base: string;
    /** Stateful replaces and deletes first, then registration order, then the other deletes. */
    steps: PlanStep[];
    /** One line per reason `pulumi up` would fail (a protected resource replaced or deleted, ...). */
    errors: string[];
    monthlyBefore: number;
    monthlyAfter: number;
}

/** A registration of the head revision: the recorded resource, and the property its Check auto-named. */
export interface HeadResource extends RecordedResource {
    autoNamed?: string;
}

const DEFAULTS_KEY = "__defaults";

/** The property the provider's Check fills in for a registration whose raw inputs leave it unset. */
export function autoNamedProperty(type: string, rawInputs: Readonly<Record<string, unknown>>): string | undefined {
    const rule = AUTO_NAMES[type];
    const set = (k: string) => rawInputs[k] !== undefined && rawInputs[k] !== null;
    if (!rule || set(rule.property) || (rule.property === "name" && set("namePrefix"))) {
        return undefined;
    }
    return rule.property;
}

/**
 * Resources whose replace or delete loses data or breaks what depends on them. VPCs and subnets count when
 * something depends on them.
 */
export function statefulKind(type: string): "always" | "with-dependents" | undefined {
    switch (type) {
        case "aws:elasticache/replicationGroup:ReplicationGroup":
        case "aws:kms/key:Key":
        case "aws:ssm/parameter:Parameter":
            return "always";
        case "aws:ec2/vpc:Vpc":
        case "aws:ec2/subnet:Subnet":
            return "with-dependents";
        default:
            return undefined;
    }
}

function isDefaultProviderUrn(urn: string, type: string): boolean {
    return type.startsWith("pulumi:providers:") && (urn.split("::")[3] ?? "").startsWith("default");
}

/** Terraform sees an unset optional and its zero value alike: "", [], {} and null are all "unset". */
function normalize(v: unknown): unknown {
    const p = plain(v);
    if (p === null || p === undefined || p === "") {
        return undefined;
    }
    if (Array.isArray(p)) {
        if (p.length === 0) {
            return undefined;
        }
        const items = p.map(normalize);
        // Collections of strings are sets in every schema here (security groups, subnets, ARNs, CIDRs).
        return items.every((x) => typeof x === "string") ? [...items].sort() : items;
    }
    if (typeof p === "object") {
        const entries = Object.entries(p as Record<string, unknown>)
            .map(([k, x]) => [k, normalize(x)] as const)
            .filter(([, x]) => x !== undefined);
        return entries.length === 0 ? undefined : Object.fromEntries(entries);
    }
    return p;
}

/** Deep equality of normalized values; a value the export holds encrypted equals anything (it cannot be told). */
export function sameValue(a: unknown, b: unknown): boolean {
    const [x, y] = [normalize(a), normalize(b)];
    return equal(x, y);
}

function equal(x: unknown, y: unknown): boolean {
    if (x === OPAQUE_SECRET || y === OPAQUE_SECRET) {
        return true;
    }
    if (Array.isArray(x) || Array.isArray(y)) {
        return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => equal(v, y[i]));
    }
    if (typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
        const [a, b] = [x as Record<string, unknown>, y as Record<string, unknown>];
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].every((k) => equal(a[k], b[k]));
    }
    return x === y;
}

function at(v: unknown, path: string[]): unknown {
    let cur = plain(v);
    for (const p of path) {
        if (Array.isArray(cur)) {
            cur = cur[0];
        }
        if (typeof cur !== "object" || cur === null) {
            return undefined;
        }
        cur = (cur as Record<string, unknown>)[p];
    }
    return cur;
}

function defaultsOf(inputs: Readonly<Record<string, unknown>>): string[] {
    const d = plain(inputs[DEFAULTS_KEY]);
    return Array.isArray(d) ? d.filter((x): x is string => typeof x === "string") : [];
}

/** The engine's step for one matched pair, given the ops already decided for what it depends on. */
function diffPair(
    head: HeadResource,
    base: BaseResource,
    opOf: (urn: string) => PlanOp | undefined,
    rules: readonly ReplaceRule[],
): { changed: string[]; reasons: ReplaceReason[]; news: Record<string, unknown> } {
    const news: Record<string, unknown> = { ...head.inputs };
    // The Check keeps the old auto-name (bridge: only when the old inputs list it in __defaults).
    if (
        head.autoNamed &&
        base.inputs[head.autoNamed] !== undefined &&
        defaultsOf(base.inputs).includes(head.autoNamed)
    ) {
        news[head.autoNamed] = base.inputs[head.autoNamed];
    }
    const baseDefaults = new Set(defaultsOf(base.inputs));
    const ignored = new Set(head.options.ignoreChanges.map((p) => p.split(/[.[]/)[0]));
    const keys = new Set([...Object.keys(news), ...Object.keys(base.inputs)]);
    const changed: string[] = [];
    for (const key of [...keys].sort()) {
        if (key.startsWith("__") || ignored.has(key)) {
            continue;
        }
        const [oldValue, newValue] = [base.inputs[key], news[key]];
        if (newValue === undefined && baseDefaults.has(key)) {
            // A provider default the base's Check filled in: the head's Check fills it in again.
            continue;
        }
        if (newValue !== undefined && hasUnknown(newValue)) {
            const deps = head.propertyDependencies[key] ?? [];
            const moved = deps.some((d) => {
                const op = opOf(d);
                return op === "create" || op === "replace";
            });
            if (moved || oldValue === undefined) {
                changed.push(key);
            }
            continue;
        }
        if (!sameValue(oldValue, newValue)) {
            changed.push(key);
        }
    }
    const reasons: ReplaceReason[] = [];
    const olds = plain(base.inputs) as Record<string, unknown>;
    const plainNews = plain(news) as Record<string, unknown>;
    for (const rule of rules) {
        const [top, ...rest] = rule.property.split(".");
        if (!changed.includes(top)) {
            continue;
        }
        const unknown = hasUnknown(news[top]);
        if (rest.length > 0 && !unknown && sameValue(at(base.inputs[top], rest), at(news[top], rest))) {
            continue;
        }
        if (rule.rule === "CustomizeDiff") {
            const change = { old: at(olds, [top, ...rest]), new: at(plainNews, [top, ...rest]), olds, news: plainNews };
            if (unknown || !rule.forces?.(change)) {
                continue;
            }
        }
        reasons.push({ property: rule.property, rule: rule.rule, source: rule.source });
    }
    return { changed, reasons, news };
}

function finalSnapshotCallout(inputs: Readonly<Record<string, unknown>>, what: string): string {
    const snapshot = plain(inputs.finalSnapshotIdentifier);
    if (inputs.finalSnapshotIdentifier !== undefined && hasUnknown(inputs.finalSnapshotIdentifier)) {
        // A name computed at deploy (redis-stack: <group>-final-<random suffix>): the state has it, a preview not.
        return `${what}: its data is kept only in its final snapshot (its name is computed at deploy: the stack's state has it; billed until you delete it)`;
    }
    return typeof snapshot === "string" && snapshot !== ""
        ? `${what}: its data is kept only in the final snapshot ${snapshot} (billed until you delete it)`
        : `${what}: no final snapshot (finalSnapshotIdentifier unset), its data is lost`;
}

function calloutFor(step: PlanStep, base: BaseResource): string {
    const what = step.op === "delete" ? "deleted" : "replaced by a new, empty resource";
    switch (step.type) {
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return finalSnapshotCallout(base.inputs, `cache ${what}, with a new endpoint`);
        case "aws:kms/key:Key":
            return `KMS key ${what}: the old key is scheduled for deletion; what it encrypted is unreadable after that`;
        case "aws:ssm/parameter:Parameter":
            return `SSM parameter ${what}: readers see no value until it is written again`;
        default:
            return `${what}: every resource inside it is ${step.op === "delete" ? "deleted" : "replaced"} with it`;
    }
}

/**
 * An instance whose `ami` is ignored keeps its image; moving it to an instance type of another architecture
 * stops it and AWS refuses to start it (the image's architecture must match the type's: EC2 ModifyInstanceAttribute
 * / StartInstances "The instance configuration for this AWS Marketplace product is not supported" class of errors).
 */
function architectureTrap(head: HeadResource, base: BaseResource): string | undefined {
    if (head.type !== "aws:ec2/instance:Instance" || !head.options.ignoreChanges.includes("ami")) {
        return undefined;
    }
    const [was, now] = [plain(base.inputs.instanceType), plain(head.inputs.instanceType)];
    if (typeof was !== "string" || typeof now !== "string") {
        return undefined;
    }
    const [a, b] = [instanceArchitecture(was), instanceArchitecture(now)];
    if (a === b) {
        return undefined;
    }
    return (
        `${head.urn}: instanceType ${was} -> ${now} moves the bastion from ${a} to ${b}, but its unpinned AMI is ` +
        `ignored and stays ${a}, which AWS refuses to start on ${now}: pin bastionAmiId to a ${b} AMI ` +
        `(pulumi config set bastionAmiId ami-...) in the same change`
    );
}

/** The plan of `head` (registration order) against `base`. */
export function planSteps(
    base: readonly BaseResource[],
    head: readonly HeadResource[],
    rules: Readonly<Record<string, readonly ReplaceRule[]>> = REPLACE_RULES,
): PlanResult {
    const baseByUrn = new Map(base.filter((b) => !isDefaultProviderUrn(b.urn, b.type)).map((b) => [b.urn, b]));
    const claimed = new Set<string>();
    const ops = new Map<string, PlanOp>();
    const steps: PlanStep[] = [];
    const errors: string[] = [];
    const dependents = (urn: string, among: readonly { dependencies: string[] }[]) =>
        among.some((r) => r.dependencies.includes(urn));

    for (const h of head) {
        if (h.defaultProvider || isDefaultProviderUrn(h.urn, h.type)) {
            continue;
        }
        const oldUrn = [h.urn, ...h.options.aliases].find((u) => baseByUrn.has(u) && !claimed.has(u));
        const b = oldUrn === undefined ? undefined : baseByUrn.get(oldUrn);
        const kind = statefulKind(h.type);
        const step: PlanStep = {
            urn: h.urn,
            type: h.type,
            op: "create",
            changed: [],
            replaceReasons: [],
            stateful: kind === "always" || (kind === "with-dependents" && dependents(h.urn, head)),
            deleteBeforeReplace: false,
        };
        if (b && oldUrn) {
            claimed.add(oldUrn);
            step.op = "same";
            if (h.custom && !h.type.startsWith("pulumi:providers:")) {
                const { changed, reasons } = diffPair(h, b, (u) => ops.get(u), rules[h.type] ?? []);
                step.changed = changed;
                step.replaceReasons = reasons;
                step.op = reasons.length > 0 ? "replace" : changed.length > 0 ? "update" : "same";
                const trap = architectureTrap(h, b);
                if (trap) {
                    errors.push(trap);
                }
            }
            if (step.op === "replace") {
                const providerDbr =
                    AUTO_NAMES[h.type] !== undefined &&
                    h.autoNamed === undefined &&
                    h.inputs[AUTO_NAMES[h.type].property] !== undefined;
                step.deleteBeforeReplace = h.options.deleteBeforeReplace ?? providerDbr;
                if (h.options.protect && b.protect) {
                    errors.push(
                        `unable to replace resource "${h.urn}" as it is currently marked for protection ` +
                            `(${step.replaceReasons.map((r) => r.property).join(", ")} forces it): change it back, ` +
                            "or unprotect it first (`pulumi state unprotect`) if losing it is intended",
                    );
                }
                if (step.stateful) {
                    step.callout = calloutFor(step, b);
                }
            }
        }
        ops.set(h.urn, step.op);
        steps.push(step);
    }
    const deletes: PlanStep[] = [];
    for (const b of baseByUrn.values()) {
        if (claimed.has(b.urn)) {
            continue;
        }
        const kind = statefulKind(b.type);
        const step: PlanStep = {
            urn: b.urn,
            type: b.type,
            op: "delete",
            changed: [],
            replaceReasons: [],
            stateful: kind === "always" || (kind === "with-dependents" && dependents(b.urn, base)),
            deleteBeforeReplace: false,
        };
        if (step.stateful) {
            step.callout = calloutFor(step, b);
        }
        if (b.protect) {
            errors.push(
                `resource "${b.urn}" cannot be deleted because it is protected: keep it in the program (an ` +
                    "`aliases` entry if it was renamed), or `pulumi state unprotect` it first if deleting it is intended",
            );
        }
        deletes.unshift(step);
    }
    const all = [...steps, ...deletes];
    const loud = (s: PlanStep) => s.stateful && (s.op === "replace" || s.op === "delete");
    return { steps: [...all.filter(loud), ...all.filter((s) => !loud(s))], errors };
}
