// What a finished offline check hands its renderers, and the pieces every rendering shares (types as the CLI
// displays them, wire values on one line, the plan tree, violations grouped by policy, the summary line). Pure.
import type { CostEstimate } from "../../../policy/shared";
import type { PackInfo, Violation } from "../analyzer/wire";
import type { OfflinePlan } from "../plan/planner";
import { type RecordedResource, type Recording, isSecret } from "../recorder/recording";
import type { UpFinding } from "../up-pass";

/** The lines of the "would fail at `pulumi up`" section (none when the second pass found nothing). */
export function atUpLines(report: OfflineCheckReport): string[] {
    const findings = report.wouldFailAtUp ?? [];
    if (findings.length === 0) {
        return [];
    }
    return [
        `Would fail at \`pulumi up\` (${findings.length}; judged with every output known, on what does not depend on their values):`,
        ...findings.map((f) => `    - [${f.source}] ${shortUrn(f.urn)}: ${f.message}`),
    ];
}

export interface OfflineCheckReport {
    recording: Recording;
    pack: PackInfo;
    violations: Violation[];
    /** The stack's monthly cost (policy/shared's estimator, with the budget policy's settings). */
    cost: CostEstimate;
    /** Repository-relative path (forward slashes) of the program's main file, for SARIF locations. */
    mainFile: string;
    /** Repository-relative path of Pulumi.<stack>.yaml. */
    stackFile: string;
    /** What `pulumi up` would refuse although the preview passed (the second pass, up-pass.ts). */
    wouldFailAtUp?: readonly UpFinding[];
    /** Why the second pass was skipped (the program failed with mock outputs), if it was. */
    upPassSkipped?: string;
    /** The plan against --base or --state; absent without either. */
    plan?: OfflinePlan;
}

const UNKNOWN_SENTINELS = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
]);

/** `aws:ec2/vpc:Vpc` -> `aws:ec2:Vpc`, as the Pulumi CLI displays types. */
export function displayType(type: string): string {
    const parts = type.split(":");
    if (parts.length === 3) {
        const slash = parts[1].indexOf("/");
        if (slash >= 0) {
            parts[1] = parts[1].slice(0, slash);
        }
    }
    return parts.join(":");
}

/** One-line rendering of a wire-form value: secrets `[secret]`, unknowns `[unknown]`, long values cut. */
export function renderValue(v: unknown, max = 100): string {
    const full = render(v);
    return full.length > max ? `${full.slice(0, max - 1)}… (${full.length} chars)` : full;
}

function render(v: unknown): string {
    if (isSecret(v)) {
        return "[secret]";
    }
    if (typeof v === "string") {
        return UNKNOWN_SENTINELS.has(v) ? "[unknown]" : JSON.stringify(v);
    }
    if (Array.isArray(v)) {
        return `[${v.map(render).join(", ")}]`;
    }
    if (typeof v === "object" && v !== null) {
        return `{${Object.entries(v)
            .map(([k, x]) => `${k}: ${render(x)}`)
            .join(", ")}}`;
    }
    return String(v);
}

export function visible(resources: RecordedResource[]): RecordedResource[] {
    // Like `pulumi preview`, the plan does not show the engine's default providers.
    return resources.filter((r) => !r.defaultProvider);
}

interface TreeLine {
    prefix: string;
    childPrefix: string;
    resource: RecordedResource;
}

/** Resources in tree order (children under parents, registration order among siblings) with box prefixes. */
export function treeLines(resources: RecordedResource[]): TreeLine[] {
    const shown = visible(resources);
    const urns = new Set(shown.map((r) => r.urn));
    const children = new Map<string, RecordedResource[]>();
    const roots: RecordedResource[] = [];
    for (const r of shown) {
        if (r.parent && urns.has(r.parent)) {
            const list = children.get(r.parent) ?? [];
            list.push(r);
            children.set(r.parent, list);
        } else {
            roots.push(r);
        }
    }
    const out: TreeLine[] = [];
    const walk = (r: RecordedResource, prefix: string, childPrefix: string): void => {
        out.push({ prefix, childPrefix, resource: r });
        const kids = children.get(r.urn) ?? [];
        kids.forEach((k, i) => {
            const last = i === kids.length - 1;
            walk(k, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
        });
    };
    for (const r of roots) {
        walk(r, "", "");
    }
    return out;
}

export function pad(s: string, n: number): string {
    return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function counts(report: OfflineCheckReport): { mandatory: number; advisory: number; creates: number } {
    return {
        mandatory: report.violations.filter((v) => v.enforcementLevel === "mandatory").length,
        advisory: report.violations.filter((v) => v.enforcementLevel === "advisory").length,
        creates: visible(report.recording.resources).length,
    };
}

export function byPolicy(violations: Violation[]): Map<string, Violation[]> {
    const m = new Map<string, Violation[]>();
    const sorted = [...violations].sort(
        (a, b) =>
            (a.enforcementLevel === b.enforcementLevel ? 0 : a.enforcementLevel === "mandatory" ? -1 : 1) ||
            a.policy.localeCompare(b.policy) ||
            a.urn.localeCompare(b.urn) ||
            a.message.localeCompare(b.message),
    );
    for (const v of sorted) {
        const list = m.get(v.policy) ?? [];
        list.push(v);
        m.set(v.policy, list);
    }
    return m;
}

/**
 * The part of a violation message beyond the policy description: the pack sends "<description>\n<message>"
 * (pulumi-policy makeReportViolationFun), and the text and markdown reports show the description once per policy.
 */
export function violationDetail(v: Violation): string {
    return v.description && v.message.startsWith(`${v.description}\n`)
        ? v.message.slice(v.description.length + 1)
        : v.message;
}

/** `aws:elasticache:ReplicationGroup redis` for a URN. */
export function shortUrn(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return urn;
    }
    const type = parts[2].split("$").pop() ?? parts[2];
    return `${displayType(type)} ${parts.slice(3).join("::")}`;
}

export function summaryLine(report: OfflineCheckReport): string {
    const c = counts(report);
    const verdict = c.mandatory > 0 ? "FAILED" : "passed";
    return (
        `Policy check ${verdict} for stack ${report.recording.stack}: ${c.creates} resources to create, ` +
        `${c.mandatory} mandatory and ${c.advisory} advisory policy violation${c.advisory === 1 ? "" : "s"} ` +
        `(${report.pack.name}@v${report.pack.version}, ${report.pack.policies.length} policies)`
    );
}
