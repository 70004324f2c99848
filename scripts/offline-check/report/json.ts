// The JSON report, a contract for scripts: resources as recorded, violations with policy, enforcementLevel, urn
// and message, and the stack's monthly cost in the estimator's shape. Pure.
import { SECRET_MASK, jsonText } from "../../../policy/shared";
import { isSecret } from "../recorder/recording";
import type { OfflinePlan } from "../plan/planner";
import { type OfflineCheckReport, byPolicy, counts } from "./report";

/** What a secret shows in every format (text, markdown and SARIF render it the same way): the one mask. */
export const SECRET_MARK = SECRET_MASK;

/**
 * A wire-form value with every secret (`{ [SIG_KEY]: SECRET_SIG, value }`) replaced by "[secret]": a report is
 * printed in CI logs and uploaded as an artifact, and Pulumi itself never shows a secret's value in a preview
 * (issue #10: the AUTH token was printed in clear, in the replication group, its SSM parameter and the stack
 * output).
 */
export function redactSecrets(v: unknown): unknown {
    if (isSecret(v)) {
        return SECRET_MARK;
    }
    if (Array.isArray(v)) {
        return v.map(redactSecrets);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactSecrets(x)]));
    }
    return v;
}

/**
 * The JSON contract: resources as recorded (secrets as "[secret]"), violations with policy, enforcementLevel, urn
 * and message, cost.
 */
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
            inputs: redactSecrets(r.inputs),
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            options: r.options,
            ...(r.outputs ? { outputs: redactSecrets(r.outputs) } : {}),
        })),
        outputs: redactSecrets(report.recording.outputs),
        violations: [...byPolicy(report.violations).values()].flat().map((v) => ({
            policy: v.policy,
            enforcementLevel: v.enforcementLevel,
            urn: v.urn,
            message: v.message,
        })),
        wouldFailAtUp: report.wouldFailAtUp ?? [],
        cost: report.cost,
        // Only with --base or --state: a CI script tests `plan` for presence (README: the JSON report).
        ...(report.plan ? { plan: jsonPlan(report.plan) } : {}),
    };
    return jsonText(JSON.stringify(doc, null, 2)) + "\n";
}

/**
 * The plan's contract: `base`, `steps` (stateful replaces and deletes first) each exactly `{ urn, type, op,
 * changed, replaceReasons: [{ property, rule, source }], stateful }`, `monthlyBefore`, `monthlyAfter`; beside them
 * `errors` (why `pulumi up` would fail), `callouts` (what each stateful replace or delete does to its data, the
 * final snapshot's name) and `deleteBeforeReplace` (URNs replaced delete-first).
 */
function jsonPlan(plan: OfflinePlan) {
    return {
        base: plan.base,
        steps: plan.steps.map((s) => ({
            urn: s.urn,
            type: s.type,
            op: s.op,
            changed: s.changed,
            replaceReasons: s.replaceReasons.map((r) => ({ property: r.property, rule: r.rule, source: r.source })),
            stateful: s.stateful,
        })),
        monthlyBefore: plan.monthlyBefore,
        monthlyAfter: plan.monthlyAfter,
        errors: plan.errors,
        callouts: plan.steps
            .filter((s) => s.callout !== undefined)
            .map((s) => ({ urn: s.urn, op: s.op, message: s.callout })),
        deleteBeforeReplace: plan.steps.filter((s) => s.deleteBeforeReplace).map((s) => s.urn),
    };
}
