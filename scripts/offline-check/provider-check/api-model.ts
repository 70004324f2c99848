// What AWS's API would refuse at `pulumi up`, judged on the inputs the provider's Check passes on: the
// constraints generated from AWS's API models (policy/shared/aws-api/constraints.generated.ts) and the rules only
// AWS's documentation states (policy/shared/aws-api/documented.ts). The same code serves the pack and the
// program's config through policy/shared. Unknowns are never judged; secrets are judged by their plain value and
// never printed.

import { AWS_API_CONSTRAINTS, apiConstraintFailures, DOCUMENTED_RULES } from "../../../policy/shared";
import { type CheckFailure, type Inputs, hasUnknown, plain } from "./values";

/** The API's failures for one resource of `type` (none for a type without constraints). */
export function apiModelFailures(type: string, inputs: Inputs): CheckFailure[] {
    const constraints = AWS_API_CONSTRAINTS[type];
    const documented = DOCUMENTED_RULES[type];
    if (constraints === undefined && documented === undefined) {
        return [];
    }
    const values = plain(inputs) as Inputs;
    return [
        ...apiConstraintFailures(constraints, values, hasUnknown),
        ...(documented ? documented(values, hasUnknown) : []),
    ];
}

/** Every type the API rules judge. */
export const API_MODEL_TYPES: readonly string[] = [
    ...new Set([...Object.keys(AWS_API_CONSTRAINTS), ...Object.keys(DOCUMENTED_RULES)]),
];

type Check = (inputs: Inputs) => CheckFailure[];

/**
 * Each type's provider Check followed by the API's rules; one reason per property, the provider's first (as in a
 * real run, where the Check stops the preview before AWS is called).
 */
export function withApiModelChecks(providerChecks: Readonly<Record<string, Check>>): Record<string, Check> {
    const types = new Set([...Object.keys(providerChecks), ...API_MODEL_TYPES]);
    return Object.fromEntries(
        [...types].map((type): [string, Check] => {
            const provider = providerChecks[type];
            return [
                type,
                (inputs) => {
                    const failures = provider ? provider(inputs) : [];
                    const refused = new Set(failures.map((f) => f.property));
                    for (const f of apiModelFailures(type, inputs)) {
                        // AWS stops at the first refusal of a value: one reason per property.
                        if (!refused.has(f.property)) {
                            refused.add(f.property);
                            failures.push(f);
                        }
                    }
                    return failures;
                },
            ];
        }),
    );
}
