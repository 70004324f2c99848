// The SARIF 2.1.0 report (code scanning): one rule per policy, one result per violation. Pure.
import { createHash } from "crypto";
import { jsonText } from "../../../policy/shared";
import { type OfflineCheckReport, byPolicy, shortUrn } from "./report";
import { statefulLines } from "./plan";

/** The plan's own rules (--base / --state), after the pack's so that the policies' indexes stay put. */
const PLAN_RULES = [
    {
        id: "plan-stateful-change",
        text: "A stateful resource (cache, KMS key, SSM parameter, VPC or subnet with dependents) is replaced or deleted",
    },
    { id: "plan-up-fails", text: "pulumi up would fail on this plan" },
] as const;

/** SARIF 2.1.0: one rule per policy, one result per violation located at the program and its URN. */
export function formatSarif(report: OfflineCheckReport, toolVersion: string): string {
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
    const planResult = (id: (typeof PLAN_RULES)[number]["id"], text: string) => ({
        ruleId: id,
        ruleIndex: rules.length + PLAN_RULES.findIndex((r) => r.id === id),
        level: "error",
        message: { text: `${text} (stack ${report.recording.stack}, plan against ${report.plan?.base})` },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: { uri: report.stackFile, uriBaseId: "%SRCROOT%" },
                    region: { startLine: 1 },
                },
            },
        ],
        partialFingerprints: {
            "redisStackCheck/v1": createHash("sha256")
                .update(`${report.recording.stack}\0${id}\0${text}`)
                .digest("hex"),
        },
    });
    // Stateful replaces and deletes first, then why the up would fail, then the pack's verdicts.
    const planResults = report.plan
        ? [
              ...statefulLines(report.plan).map((l) => planResult("plan-stateful-change", l)),
              ...report.plan.errors.map((e) => planResult("plan-up-fails", e)),
          ]
        : [];
    const planRules = report.plan
        ? PLAN_RULES.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.text },
              fullDescription: { text: r.text },
              help: { text: `${r.text} (redis-stack-check --base/--state)` },
              defaultConfiguration: { level: "error" },
          }))
        : [];
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
                        rules: [...rules, ...planRules],
                    },
                },
                automationDetails: { id: `redis-stack-check/${report.recording.stack}/` },
                originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
                artifacts: [{ location: { uri: report.mainFile, uriBaseId: "%SRCROOT%" } }],
                results: [...planResults, ...results],
            },
        ],
    };
    return jsonText(JSON.stringify(doc, null, 2)) + "\n";
}
