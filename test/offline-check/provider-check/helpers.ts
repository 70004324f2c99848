// Calls the provider check the way the checker does, on one recorded-shape resource.
import * as assert from "assert";
import { type ProviderProblem, providerCheck, seededSuffix } from "../../../scripts/offline-check/provider-check";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../../../scripts/offline-check/recorder/recording";

export { UNKNOWN };

export const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

export function urnOf(type: string, name: string, stack = "dev"): string {
    return `urn:pulumi:${stack}::redis-stack::${type}::${name}`;
}

export function check(type: string, inputs: Record<string, unknown>, name = "thing"): ProviderProblem[] {
    return providerCheck({ urn: urnOf(type, name), type, name, inputs }, seededSuffix("test"));
}

export function passes(type: string, inputs: Record<string, unknown>, name?: string): void {
    assert.deepStrictEqual(
        check(type, inputs, name).map((p) => p.message),
        [],
    );
}

/** Exactly the problems whose messages match `expected`, in order. */
export function fails(type: string, inputs: Record<string, unknown>, ...expected: RegExp[]): ProviderProblem[] {
    const problems = check(type, inputs);
    assert.strictEqual(problems.length, expected.length, problems.map((p) => p.message).join("\n"));
    problems.forEach((p, i) => assert.match(p.message, expected[i]));
    return problems;
}
