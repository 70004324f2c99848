// Renders a check report as text (what `pulumi preview --policy-pack` prints: the plan tree, outputs, policy
// verdicts), json, markdown (pull-request comment / job summary) and SARIF 2.1.0 (code scanning). Pure.
import { createHash } from "crypto";
import type { PackInfo, Violation } from "./analyzer";
import { type RecordedResource, type Recording, isSecret } from "./recording";

export type Format = "text" | "json" | "markdown" | "sarif";
export const FORMATS: readonly Format[] = ["text", "json", "markdown", "sarif"];

export interface CheckReport {
    recording: Recording;
    pack: PackInfo;
    violations: Violation[];
    /** Repository-relative path (forward slashes) of the program's main file, for SARIF locations. */
    mainFile: string;
    /** Repository-relative path of Pulumi.<stack>.yaml. */
    stackFile: string;
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

function visible(resources: RecordedResource[]): RecordedResource[] {
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

function pad(s: string, n: number): string {
    return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function counts(report: CheckReport): { mandatory: number; advisory: number; creates: number } {
    return {
        mandatory: report.violations.filter((v) => v.enforcementLevel === "mandatory").length,
        advisory: report.violations.filter((v) => v.enforcementLevel === "advisory").length,
        creates: visible(report.recording.resources).length,
    };
}

function byPolicy(violations: Violation[]): Map<string, Violation[]> {
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

export function summaryLine(report: CheckReport): string {
    const c = counts(report);
    const verdict = c.mandatory > 0 ? "FAILED" : "passed";
    return (
        `Policy check ${verdict} for stack ${report.recording.stack}: ${c.creates} resources to create, ` +
        `${c.mandatory} mandatory and ${c.advisory} advisory policy violation${c.advisory === 1 ? "" : "s"} ` +
        `(${report.pack.name}@v${report.pack.version}, ${report.pack.policies.length} policies)`
    );
}

function planText(report: CheckReport, indent: string): string[] {
    const lines = treeLines(report.recording.resources);
    const typeWidth = Math.max(4, ...lines.map((l) => (l.prefix + displayType(l.resource.type)).length)) + 2;
    const out = [`${indent}    ${pad("Type", typeWidth)}Name`];
    for (const l of lines) {
        const r = l.resource;
        out.push(`${indent} +  ${pad(l.prefix + displayType(r.type), typeWidth)}${r.name}`);
        const keys = Object.keys(r.inputs)
            .filter((k) => !k.startsWith("__"))
            .sort();
        const inputPrefix = `${indent}    ${l.childPrefix}${treeHasChildren(report, r) ? "│  " : "   "}`;
        const keyWidth = Math.max(0, ...keys.map((k) => k.length));
        for (const k of keys) {
            out.push(`${inputPrefix}  ${pad(k, keyWidth)}: ${renderValue(r.inputs[k])}`);
        }
    }
    return out;
}

function treeHasChildren(report: CheckReport, r: RecordedResource): boolean {
    return report.recording.resources.some((x) => x.parent === r.urn && !x.defaultProvider);
}

export function formatText(report: CheckReport): string {
    const out: string[] = [];
    out.push(
        `Previewing update (${report.recording.stack}) of ${report.recording.project}, offline: mock runtime in preview mode, no cloud calls`,
    );
    out.push("");
    out.push(...planText(report, ""));
    const outputs = Object.keys(report.recording.outputs).sort();
    if (outputs.length > 0) {
        out.push("");
        out.push("Outputs:");
        const w = Math.max(...outputs.map((k) => k.length));
        for (const k of outputs) {
            out.push(`    ${pad(k, w)}: ${renderValue(report.recording.outputs[k], 120)}`);
        }
    }
    out.push("");
    const groups = byPolicy(report.violations);
    out.push(`Policies (${report.pack.name}@v${report.pack.version}):`);
    if (groups.size === 0) {
        out.push(`    no violations (${report.pack.policies.length} policies)`);
    }
    for (const [policy, vs] of groups) {
        out.push(`    [${vs[0].enforcementLevel}] ${policy}  (${vs.length} violation${vs.length === 1 ? "" : "s"})`);
        if (vs[0].description) {
            out.push(`        ${vs[0].description}`);
        }
        for (const v of vs) {
            out.push(`        - ${shortUrn(v.urn)}: ${violationDetail(v).split("\n").join("\n          ")}`);
        }
    }
    out.push("");
    out.push(summaryLine(report));
    return out.join("\n") + "\n";
}

/** The JSON contract: resources as recorded, violations with policy, enforcementLevel, urn and message. */
export function formatJson(report: CheckReport): string {
    const c = counts(report);
    const doc = {
        project: report.recording.project,
        stack: report.recording.stack,
        policyPack: { name: report.pack.name, version: report.pack.version },
        // Resources the plan creates: every registration except the engine's default providers.
        summary: { toCreate: c.creates, mandatory: c.mandatory, advisory: c.advisory },
        resources: report.recording.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            custom: r.custom,
            provider: r.provider,
            defaultProvider: r.defaultProvider === true,
            inputs: r.inputs,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            options: r.options,
            ...(r.outputs ? { outputs: r.outputs } : {}),
        })),
        outputs: report.recording.outputs,
        violations: [...byPolicy(report.violations).values()].flat().map((v) => ({
            policy: v.policy,
            enforcementLevel: v.enforcementLevel,
            urn: v.urn,
            message: v.message,
        })),
    };
    return JSON.stringify(doc, null, 2) + "\n";
}

/** Text for a markdown table cell: GitHub would render `<stack>` as an HTML tag and `|` as a column break. */
function mdEscape(s: string): string {
    return s
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\|/g, "\\|")
        .replace(/\r?\n/g, "<br>");
}

export function formatMarkdown(report: CheckReport): string {
    const c = counts(report);
    const out: string[] = [];
    const icon = c.mandatory > 0 ? "❌" : c.advisory > 0 ? "⚠️" : "✅";
    out.push(`### ${icon} Policy check: stack \`${report.recording.stack}\``);
    out.push("");
    out.push(`${summaryLine(report)}.`);
    out.push("");
    const groups = byPolicy(report.violations);
    if (groups.size > 0) {
        out.push("| Level | Policy | Resource | Message |");
        out.push("| --- | --- | --- | --- |");
        for (const [policy, vs] of groups) {
            for (const v of vs) {
                out.push(
                    `| ${v.enforcementLevel} | \`${policy}\` | \`${mdEscape(shortUrn(v.urn))}\` | ${mdEscape(violationDetail(v))} |`,
                );
            }
        }
        out.push("");
    }
    out.push(`<details><summary>Plan: ${c.creates} resources to create</summary>`);
    out.push("");
    out.push("```");
    out.push(...planText(report, ""));
    out.push("```");
    out.push("");
    out.push("</details>");
    return out.join("\n") + "\n";
}

/** SARIF 2.1.0: one rule per policy, one result per violation located at the program and its URN. */
export function formatSarif(report: CheckReport, toolVersion: string): string {
    const policies = [...report.pack.policies].sort((a, b) => a.name.localeCompare(b.name));
    const ruleIndex = new Map(policies.map((p, i) => [p.name, i]));
    const rules = policies.map((p) => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: p.displayName || p.name },
        fullDescription: { text: p.description || p.name },
        help: { text: `${p.description} (policy pack ${report.pack.name}, enforcement level ${p.enforcementLevel})` },
        defaultConfiguration: {
            level: p.enforcementLevel === "mandatory" || p.enforcementLevel === "remediate" ? "error" : "warning",
        },
        properties: {
            enforcementLevel: p.enforcementLevel,
            policyType: p.policyType,
            ...(p.severity ? { severity: p.severity } : {}),
        },
    }));
    const results = [...byPolicy(report.violations).values()].flat().map((v) => {
        // A violation may come from a policy the pack did not list (it cannot, but do not produce invalid SARIF).
        const index = ruleIndex.get(v.policy);
        return {
            ruleId: v.policy,
            ...(index !== undefined ? { ruleIndex: index } : {}),
            level: v.enforcementLevel === "mandatory" ? "error" : "warning",
            message: { text: `${v.message} (${shortUrn(v.urn)}, stack ${report.recording.stack})` },
            locations: [
                {
                    physicalLocation: {
                        artifactLocation: { uri: report.mainFile, uriBaseId: "%SRCROOT%" },
                        region: { startLine: 1 },
                    },
                    logicalLocations: [{ fullyQualifiedName: v.urn, name: v.urn.split("::").pop(), kind: "resource" }],
                },
            ],
            partialFingerprints: {
                "redisStackCheck/v1": createHash("sha256")
                    .update(`${report.recording.stack}\0${v.policy}\0${v.urn}\0${v.message}`)
                    .digest("hex"),
            },
        };
    });
    const doc = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "redis-stack-check",
                        version: toolVersion,
                        informationUri: "https://www.pulumi.com/docs/using-pulumi/crossguard/",
                        rules,
                    },
                },
                automationDetails: { id: `redis-stack-check/${report.recording.stack}/` },
                originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
                artifacts: [{ location: { uri: report.mainFile, uriBaseId: "%SRCROOT%" } }],
                results,
            },
        ],
    };
    return JSON.stringify(doc, null, 2) + "\n";
}

export function formatReport(report: CheckReport, format: Format, toolVersion: string): string {
    switch (format) {
        case "text":
            return formatText(report);
        case "json":
            return formatJson(report);
        case "markdown":
            return formatMarkdown(report);
        case "sarif":
            return formatSarif(report, toolVersion);
    }
}
