// Deployability of IAM policy documents: the grammar IAM refuses at `pulumi up` (MalformedPolicyDocument)
// although the provider's Check only wants a JSON object. Mandatory. The rules and their sources are in
// shared/iam-policy.ts.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type IamPolicyKind, iamPolicyGrammarProblems } from "./shared/iam-policy";
import { NO_CONFIG, forTypes, knownValue, label } from "./lib/util";

export const IAM_GRAMMAR_POLICY = "iam-policy-grammar";

/** The policy documents of each IAM type: property, kind (trust or identity). */
const DOCUMENTS: Readonly<Record<string, readonly { key: string; kind: IamPolicyKind }[]>> = {
    "aws:iam/role:Role": [{ key: "assumeRolePolicy", kind: "trust" }],
    "aws:iam/policy:Policy": [{ key: "policy", kind: "identity" }],
    "aws:iam/rolePolicy:RolePolicy": [{ key: "policy", kind: "identity" }],
    "aws:iam/userPolicy:UserPolicy": [{ key: "policy", kind: "identity" }],
    "aws:iam/groupPolicy:GroupPolicy": [{ key: "policy", kind: "identity" }],
};

export const iamPolicyGrammar: ResourceValidationPolicy = {
    name: IAM_GRAMMAR_POLICY,
    description:
        "IAM policy documents IAM accepts: no Resource in a trust policy, a Resource (or NotResource) in every identity policy statement, alphanumeric and unique Sids.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes(Object.keys(DOCUMENTS), (args, report) => {
        const documents: { where: string; text: string; kind: IamPolicyKind }[] = [];
        for (const { key, kind } of DOCUMENTS[args.type]) {
            const text = knownValue<string>(args.props, key);
            if (typeof text === "string") {
                documents.push({ where: key, text, kind });
            }
        }
        // A role's inline policies are identity policies too.
        const inline =
            args.type === "aws:iam/role:Role" ? knownValue<unknown[]>(args.props, "inlinePolicies") : undefined;
        (Array.isArray(inline) ? inline : []).forEach((p, i) => {
            const text = (p as { policy?: unknown } | null)?.policy;
            if (typeof text === "string") {
                documents.push({ where: `inlinePolicies[${i}].policy`, text, kind: "identity" });
            }
        });
        for (const { where, text, kind } of documents) {
            for (const problem of iamPolicyGrammarProblems(text, kind)) {
                report(
                    `${label(args.type, args.name)}: ${where} ${problem.replace(/\.$/, "")}; IAM refuses it (MalformedPolicyDocument). Fix: ${fixFor(problem)}.`,
                );
            }
        }
    }),
};

function fixFor(problem: string): string {
    if (problem.includes("prohibited field")) {
        return "drop Resource from the trust policy (a role's trust policy names principals, not resources)";
    }
    if (problem.includes("must contain resources")) {
        return 'add "Resource" (e.g. the ARNs the statement is about, or "*")';
    }
    return "use only letters and digits in each Sid, and a different Sid per statement";
}
