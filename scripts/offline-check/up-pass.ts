// The second pass, "beyond a real preview": some values are unknown in a preview yet AWS judges them at `pulumi up`,
// e.g. a KMS key policy built from a role's ARN, or an IAM policy whose Resource list comes from outputs. The
// program runs again (in the preview's child, right after it: run.ts) with every output known (mock ids, ARNs and names: recorder/up-outputs.ts), through the
// provider's Check and the pack, and only verdicts that do not depend on those mock values are kept: a provider
// failure marked structural (which inputs are set, a policy document's JSON) and the mandatory violations of the
// policies listed below that the preview could not give. They are reported as "would fail at `pulumi up`".

import type { Analysis, AnalyzeOptions, AnalyzerSession } from "./analyzer/session";
import type { Violation } from "./analyzer/wire";
import type { Project } from "./project/project-file";
import type { StackConfigValues } from "./project/stack-config";
import { type AutonamingConfig, type SuffixSource, checkResource } from "./provider-check";
import type { RecordedResource, Recording } from "./recorder/recording";

/**
 * Policies whose verdict reads a document's structure, which inputs are set, or the program's own CIDRs and
 * counts, never an id's or ARN's digits or a mock name: kept from the second pass.
 */
export const UP_PASS_POLICIES: readonly string[] = [
    "iam-policy-grammar",
    "kms-key-policy-keeps-admins",
    "cloudwatch-alarm-statistic",
    "security-group-rule-ports",
    "vpc-subnet-geometry",
    "security-group-rules-quota",
    "elasticache-user-group-default-user",
];

/** One thing `pulumi up` would refuse although the preview passed. */
export interface UpFinding {
    /** The pack's policy, or "provider" for the provider's Check. */
    readonly source: string;
    readonly urn: string;
    readonly message: string;
}

export interface UpPassInput {
    readonly project: Project;
    readonly stackConfig: StackConfigValues;
    readonly autonaming: AutonamingConfig | undefined;
    /** The preview's auto-name suffixes: a resource is named as in the preview. */
    readonly suffix: SuffixSource;
    /** The program's run with every output known (RunSpec.withOutputs). */
    readonly recording: Promise<Recording>;
    readonly session: Promise<AnalyzerSession>;
    readonly analysisClass: typeof Analysis;
    readonly analyzeOptions: AnalyzeOptions;
    /** The preview's analysis: a resource sent to the pack unchanged gets its verdicts again (session.ts Analysis). */
    readonly previewAnalysis: Analysis;
    /** The preview's violations: a finding the preview already reported is not repeated. */
    readonly previewViolations: Promise<readonly Violation[]>;
}

/** Runs the second pass and returns what it finds (none when the preview already judged everything). */
export async function runUpPass(input: UpPassInput): Promise<UpFinding[]> {
    const analysis = new input.analysisClass(
        input.session,
        input.project.name,
        input.stackConfig.stack,
        input.analyzeOptions,
        input.previewAnalysis,
    );
    const provider: UpFinding[] = [];
    const passOn = (r: RecordedResource): RecordedResource => {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) {
            return r;
        }
        const { inputs, problems } = checkResource(r, input.suffix, input.autonaming);
        for (const p of problems.filter((x) => x.structural)) {
            provider.push({ source: "provider", urn: r.urn, message: p.message });
        }
        return inputs === r.inputs ? r : { ...r, inputs };
    };
    const recorded = await input.recording;
    const resources = recorded.resources.map(passOn);
    resources.forEach((r) => analysis.add(r));
    // One AnalyzeStack at a time: the pack holds every resource of the one it answers.
    const previewViolations = await input.previewViolations;
    const result = await analysis.finish({ ...recorded, resources });
    const seen = new Set(previewViolations.map((v) => `${v.policy}\0${v.urn}`));
    const policy = result.violations
        .filter(
            (v) =>
                v.enforcementLevel === "mandatory" &&
                UP_PASS_POLICIES.includes(v.policy) &&
                !seen.has(`${v.policy}\0${v.urn}`),
        )
        .map((v) => ({ source: v.policy, urn: v.urn, message: v.message }));
    const unique = new Map([...provider, ...policy].map((f) => [`${f.source}\0${f.urn}\0${f.message}`, f]));
    return [...unique.values()];
}
