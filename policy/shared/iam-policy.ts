// IAM policy documents as AWS reads them: action wildcards, NotAction, and the grammar IAM and KMS refuse at
// `pulumi up` (the provider's Check only wants a JSON object). Pure; the pack and the offline check share it.
// Sources (each rule names its own):
// - IAM policy grammar and elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
//   and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
// - KMS key policy lockout safety check: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key

export interface PolicyStatement {
    readonly Sid?: unknown;
    readonly Effect?: unknown;
    readonly Action?: unknown;
    readonly NotAction?: unknown;
    readonly Resource?: unknown;
    readonly NotResource?: unknown;
    readonly Principal?: unknown;
}

/** The statements of a parsed policy document (a single statement object counts as one), or undefined. */
export function policyStatements(doc: unknown): PolicyStatement[] | undefined {
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
        return undefined;
    }
    const statement = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
    return list.filter((s): s is PolicyStatement => typeof s === "object" && s !== null && !Array.isArray(s));
}

/** The strings of an Action/NotAction/Resource element (a string or a list of them). */
function strings(v: unknown): string[] {
    return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
}

/**
 * Whether an IAM action pattern matches an action: case-insensitive, `*` any run of characters, `?` any one
 * (reference_policies_elements_action.html: "You can use wildcards (* or ?) ... action names are case
 * insensitive").
 */
export function actionMatches(pattern: string, action: string): boolean {
    const source = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
        .join("");
    return new RegExp(`^${source}$`, "i").test(action);
}

/**
 * Whether a statement allows `action`: Effect Allow, and either an Action pattern matching it, or a NotAction
 * none of whose patterns matches it (NotAction allows every action it does not list).
 */
export function statementAllows(statement: PolicyStatement, action: string): boolean {
    if (statement.Effect !== "Allow") {
        return false;
    }
    if (statement.Action !== undefined) {
        return strings(statement.Action).some((p) => actionMatches(p, action));
    }
    if (statement.NotAction !== undefined) {
        return !strings(statement.NotAction).some((p) => actionMatches(p, action));
    }
    return false;
}

/** The action KMS's lockout safety check requires a new key policy to allow (to someone). */
export const KMS_ADMIN_ACTION = "kms:PutKeyPolicy";

/**
 * Whether a key policy allows nobody kms:PutKeyPolicy, which CreateKey/PutKeyPolicy refuse ("The new key policy
 * will not allow you to update the key policy in the future") unless BypassPolicyLockoutSafetyCheck is set.
 * Wildcards (`kms:Put*`, the console's administrator list; `kms:*`; `*`) and NotAction are evaluated as IAM does.
 * Undefined when the text is not a JSON object (the provider's Check refuses that first).
 */
export function keyPolicyLocksOut(text: string): boolean | undefined {
    let statements: PolicyStatement[] | undefined;
    try {
        statements = policyStatements(JSON.parse(text));
    } catch {
        return undefined;
    }
    return statements === undefined ? undefined : !statements.some((s) => statementAllows(s, KMS_ADMIN_ACTION));
}

/** Which kind of IAM policy document a property holds. */
export type IamPolicyKind = "trust" | "identity";

/**
 * What IAM refuses (MalformedPolicyDocument) in a policy document, in IAM's words:
 * - a trust (assume-role) policy statement with Resource or NotResource: "Has prohibited field Resource";
 * - an identity policy statement with neither Resource nor NotResource: "Policy statement must contain resources.";
 * - a Sid outside [0-9A-Za-z]: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the
 *   regular expression [0-9A-Za-z]*"; two statements with one Sid: "Statement IDs (SID) in a single policy must be
 *   unique." (reference_policies_elements_sid.html: IAM's Sid supports ASCII letters and digits only).
 * Returns [] for a text that is not a JSON object (the provider's Check refuses that first).
 */
export function iamPolicyGrammarProblems(text: string, kind: IamPolicyKind): string[] {
    let statements: PolicyStatement[] | undefined;
    try {
        statements = policyStatements(JSON.parse(text));
    } catch {
        return [];
    }
    if (statements === undefined) {
        return [];
    }
    const problems: string[] = [];
    const sids = new Set<string>();
    statements.forEach((s, i) => {
        const where = `Statement[${i}]`;
        const hasResource = s.Resource !== undefined || s.NotResource !== undefined;
        if (kind === "trust" && hasResource) {
            problems.push(`${where}: Has prohibited field ${s.Resource !== undefined ? "Resource" : "NotResource"}`);
        }
        if (kind === "identity" && !hasResource) {
            problems.push(`${where}: Policy statement must contain resources.`);
        }
        if (typeof s.Sid === "string") {
            if (!/^[0-9A-Za-z]*$/.test(s.Sid)) {
                problems.push(
                    `${where}: Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]* (Sid "${s.Sid}")`,
                );
            } else if (s.Sid !== "" && sids.has(s.Sid)) {
                problems.push(`${where}: Statement IDs (SID) in a single policy must be unique. (Sid "${s.Sid}")`);
            }
            sids.add(s.Sid);
        }
    });
    return problems;
}
