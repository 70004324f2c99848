// The JSON report, a contract for scripts: resources as recorded, violations with policy, enforcementLevel, urn
// and message, and the stack's monthly cost in the estimator's shape. Pure.
import { type OfflineCheckReport, byPolicy, counts } from "./report";

/** The JSON contract: resources as recorded, violations with policy, enforcementLevel, urn and message, cost. */
export function formatJson(report: OfflineCheckReport): string {
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
        cost: report.cost,
    };
    return JSON.stringify(doc, null, 2) + "\n";
}
