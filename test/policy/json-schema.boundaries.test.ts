// The config validator at its edges, each result written out: a value equal to each bound, an inclusive and an
// exclusive bound on the same side (which one the message names), keywords that must not apply to another
// type, and the policy-config layer's messages and defaults.

import { strict as assert } from "assert";
import { type JsonSchema, assertSupportedSchema, validateJsonSchema } from "../../policy/shared/json-schema";
import {
    PolicyConfigError,
    policyConfigProblems,
    resolvePolicyConfig,
    schemaDefaults,
} from "../../policy/shared/policy-config";

const CASES: [string, JsonSchema, unknown, string[]][] = [
    ["the minimum itself", { type: "integer", minimum: 1, maximum: 5 }, 1, []],
    ["the maximum itself", { type: "integer", minimum: 1, maximum: 5 }, 5, []],
    ["one over the maximum", { type: "integer", minimum: 1, maximum: 5 }, 6, ["x: must be >= 1 and <= 5, got 6"]],
    ["the exclusive minimum itself", { exclusiveMinimum: 0 }, 0, ["x: must be > 0, got 0"]],
    ["just above the exclusive minimum", { exclusiveMinimum: 0 }, 0.5, []],
    ["the exclusive maximum itself", { exclusiveMaximum: 10 }, 10, ["x: must be < 10, got 10"]],
    ["just below the exclusive maximum", { exclusiveMaximum: 10 }, 9.5, []],
    [
        "a tie below: the exclusive bound",
        { minimum: 0, exclusiveMinimum: 0, maximum: 9 },
        -1,
        ["x: must be > 0 and <= 9, got -1"],
    ],
    ["a tie above: the exclusive bound", { maximum: 9, exclusiveMaximum: 9 }, 9, ["x: must be < 9, got 9"]],
    ["the tighter inclusive maximum", { maximum: 5, exclusiveMaximum: 9 }, 6, ["x: must be <= 5, got 6"]],
    ["the tighter exclusive maximum", { maximum: 9, exclusiveMaximum: 5 }, 6, ["x: must be < 5, got 6"]],
    ["the tighter inclusive minimum", { minimum: 5, exclusiveMinimum: 1 }, 4, ["x: must be >= 5, got 4"]],
    ["an integer is a number", { type: "number" }, 3, []],
    ["a fraction is not an integer", { type: "integer" }, 3.5, ["x: must be an integer, got 3.5"]],
    [
        "number bounds do not apply to a string",
        { minimum: 5, maxLength: 2 },
        "abc",
        ['x: must be at most 2 characters long, got "abc"'],
    ],
    ["string and array keywords do not apply to a number", { minLength: 5, pattern: "^x$", maxItems: 0 }, 3, []],
    ["exactly maxLength", { maxLength: 3 }, "abc", []],
    ["one over maxLength", { maxLength: 3 }, "abcd", ['x: must be at most 3 characters long, got "abcd"']],
    ["one under minLength", { minLength: 3 }, "ab", ['x: must be at least 3 characters long, got "ab"']],
    ["a Unicode property pattern (the u flag)", { pattern: "^\\p{Lu}+$" }, "ABC", []],
    [
        "a value the Unicode pattern refuses",
        { pattern: "^\\p{Lu}+$" },
        "abc",
        ['x: must match /^\\p{Lu}+$/, got "abc"'],
    ],
    ["exactly maxItems", { maxItems: 2 }, [1, 2], []],
    ["one over maxItems", { maxItems: 2 }, [1, 2, 3], ["x: must have at most 2 items, got 3: [1,2,3]"]],
    ["one under minItems", { minItems: 2 }, [1], ["x: must have at least 2 items, got 1: [1]"]],
    ["a binary-fraction multiple", { multipleOf: 0.1 }, 0.3, []],
    ["not a multiple", { multipleOf: 0.1 }, 0.35, ["x: must be a multiple of 0.1, got 0.35"]],
    ["a large multiple, within relative rounding", { multipleOf: 0.1 }, 123456789.1, []],
    ["multipleOf 0 is ignored", { multipleOf: 0 }, 0.35, []],
    ["a negative multipleOf is ignored", { multipleOf: -2 }, 3, []],
    ["an enum member", { enum: [1, "a"] }, "a", []],
    ["not an enum member", { enum: [1, "a"] }, 2, ['x: must be one of 1, "a", got 2']],
    ["the const", { const: 3 }, 3, []],
    ["not the const", { const: 3 }, 4, ["x: must be 3, got 4"]],
    [
        "an undeclared key with additionalProperties false",
        { type: "object", properties: { a: { type: "integer" } }, additionalProperties: false },
        { a: 1, b: 2 },
        ["x.b: is not allowed (allowed: a), got 2"],
    ],
    [
        "an undeclared key against an additionalProperties schema",
        { type: "object", additionalProperties: { type: "string" } },
        { b: 2 },
        ["x.b: must be a string, got 2"],
    ],
    ["a missing required key", { type: "object", required: ["a"] }, {}, ["x.a: is required"]],
];

describe("JSON-schema validation at its edges", () => {
    for (const [why, schema, value, expected] of CASES) {
        it(why, () => assert.deepEqual(validateJsonSchema(schema, value, "x"), expected));
    }

    it("refuses unsupported schemas with one message each, and takes boolean or schema additionalProperties", () => {
        const refused: [unknown, string][] = [
            [3, "schema: a schema must be an object, got 3"],
            [{ pattern: 3 }, "schema.pattern: must be a string, got 3"],
            [
                { pattern: "\\a" },
                // Valid without the u flag, invalid with it; the engine's own wording follows the colon.
                'schema.pattern: "\\\\a" is not a valid regular expression: ',
            ],
            [{ additionalProperties: 3 }, "schema.additionalProperties: must be a boolean or a schema, got 3"],
            [{ items: [] }, "schema.items: must be one schema (the tuple form is not supported), got []"],
        ];
        for (const [schema, message] of refused) {
            assert.throws(
                () => assertSupportedSchema(schema as JsonSchema),
                (e: Error) => e.message === message || (message.endsWith(": ") && e.message.startsWith(message)),
                message,
            );
        }
        assertSupportedSchema({ additionalProperties: true });
        assertSupportedSchema({ additionalProperties: { type: "integer" } });
    });
});

describe("policy config at its edges", () => {
    it("takes defaults only from properties that declare one", () => {
        assert.deepEqual(schemaDefaults(undefined), {});
        assert.deepEqual(schemaDefaults({ properties: { a: { type: "integer" }, b: { default: [1] } } }), { b: [1] });
    });

    it("names the settings a policy has, or that it has none", () => {
        assert.deepEqual(policyConfigProblems("p", undefined, { a: 1 }), [
            "p: a: the policy has no such setting (it takes no settings)",
        ]);
        assert.deepEqual(policyConfigProblems("p", { properties: { a: {} } }, { b: 1 }), [
            "p: b: the policy has no such setting (settings: a)",
        ]);
    });

    it("requires required keys, and only when they are missing", () => {
        assert.deepEqual(policyConfigProblems("p", { properties: { a: {} }, required: ["a"] }, {}), [
            "p: a: is required",
        ]);
        assert.deepEqual(policyConfigProblems("p", { properties: { a: {} }, required: ["a"] }, { a: 1 }), []);
    });

    it("throws one PolicyConfigError listing every problem", () => {
        assert.throws(
            () => resolvePolicyConfig("p", { properties: { a: { type: "integer" } } }, { a: "x", b: 1 }),
            (e: Error) =>
                e instanceof PolicyConfigError &&
                e.name === "PolicyConfigError" &&
                e.message ===
                    'invalid policy config: p: a: must be an integer, got "x"; p: b: the policy has no such setting (settings: a)',
        );
    });
});
