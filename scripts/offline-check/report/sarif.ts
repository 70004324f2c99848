// The SARIF 2.1.0 report (code scanning): one rule per policy, one result per violation. Pure.
import { createHash } from "crypto";
import { jsonText } from "../../../policy/shared";
import { type OfflineCheckReport, byPolicy, shortUrn } from "./report";

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
    return jsonText(JSON.stringify(doc, null, 2)) + "\n";
}
