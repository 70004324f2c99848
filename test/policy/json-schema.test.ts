import { strict as assert } from "assert";
import {
    ANNOTATION_KEYWORDS,
    ENFORCED_KEYWORDS,
    type EnforcedKeyword,
    type JsonSchema,
    assertSupportedSchema,
    validateJsonSchema,
} from "../../policy/shared/json-schema";

describe("policy/shared/json-schema", () => {
    describe("validateJsonSchema", () => {
        it("checks types: integer vs number, type lists, null", () => {
            assert.deepEqual(validateJsonSchema({ type: "integer", minimum: 0, maximum: 35 }, 35), []);
            assert.deepEqual(validateJsonSchema({ type: "integer" }, 2.5), [": must be an integer, got 2.5"]);
            assert.deepEqual(validateJsonSchema({ type: "number" }, 2), []);
            assert.deepEqual(validateJsonSchema({ type: ["string", "null"] }, null), []);
            assert.deepEqual(validateJsonSchema({ type: ["string", "null"] }, 3), [
                ": must be a string or a null, got 3",
            ]);
            // A type mismatch is the only message: the other keywords would only repeat it.
            assert.deepEqual(validateJsonSchema({ type: "string", minLength: 3 }, 1), [": must be a string, got 1"]);
        });

        it("checks numeric bounds, naming the tighter bound on each side", () => {
            assert.deepEqual(validateJsonSchema({ maximum: 35 }, 40), [": must be <= 35, got 40"]);
            assert.deepEqual(validateJsonSchema({ minimum: 1 }, 0), [": must be >= 1, got 0"]);
            assert.deepEqual(validateJsonSchema({ minimum: 1, maximum: 35 }, 40), [": must be >= 1 and <= 35, got 40"]);
            assert.deepEqual(validateJsonSchema({ exclusiveMinimum: 0, exclusiveMaximum: 1 }, 1), [
                ": must be > 0 and < 1, got 1",
            ]);
            assert.deepEqual(validateJsonSchema({ minimum: 0, exclusiveMinimum: 5 }, 3), [": must be > 5, got 3"]);
            assert.deepEqual(validateJsonSchema({ minimum: 5, exclusiveMinimum: 5 }, 5), [": must be > 5, got 5"]);
            assert.deepEqual(validateJsonSchema({ exclusiveMinimum: 0 }, 0.5), []);
        });

        it("checks multipleOf, allowing binary fractions", () => {
            assert.deepEqual(validateJsonSchema({ multipleOf: 5 }, 12), [": must be a multiple of 5, got 12"]);
            assert.deepEqual(validateJsonSchema({ multipleOf: 5 }, 15), []);
            assert.deepEqual(validateJsonSchema({ multipleOf: 0.1 }, 0.3), []);
            assert.deepEqual(validateJsonSchema({ multipleOf: 0.1 }, 0.35), [": must be a multiple of 0.1, got 0.35"]);
        });

        it("checks enum and const, by JSON value", () => {
            assert.deepEqual(validateJsonSchema({ enum: ["a", "b"] }, "c"), [': must be one of "a", "b", got "c"']);
            assert.deepEqual(validateJsonSchema({ enum: [[1, 2]] }, [1, 2]), []);
            assert.deepEqual(validateJsonSchema({ const: 6379 }, 6380), [": must be 6379, got 6380"]);
        });

        it("checks strings: length and pattern", () => {
            assert.deepEqual(validateJsonSchema({ minLength: 2 }, "a"), [
                ': must be at least 2 characters long, got "a"',
            ]);
            assert.deepEqual(validateJsonSchema({ maxLength: 2 }, "abc"), [
                ': must be at most 2 characters long, got "abc"',
            ]);
            assert.deepEqual(validateJsonSchema({ type: "string", pattern: "^cache\\." }, "t3.micro"), [
                ': must match /^cache\\./, got "t3.micro"',
            ]);
            assert.deepEqual(validateJsonSchema({ pattern: "^cache\\." }, "cache.t3.micro"), []);
        });

        it("checks arrays: items (with their index), minItems, maxItems, uniqueItems naming the repeats", () => {
            const s: JsonSchema = {
                type: "array",
                items: { type: "string", minLength: 1 },
                minItems: 1,
                uniqueItems: true,
            };
            assert.deepEqual(validateJsonSchema(s, ["a"]), []);
            assert.deepEqual(validateJsonSchema(s, []), [": must have at least 1 items, got 0: []"]);
            assert.deepEqual(validateJsonSchema(s, ["a", "a", "b", "b"]), [
                ': items must be unique, got ["a","a","b","b"] (repeated: "a", "b")',
            ]);
            assert.deepEqual(validateJsonSchema(s, ["a", 3]), ["[1]: must be a string, got 3"]);
            assert.deepEqual(
                validateJsonSchema({ type: "array", items: { type: "integer", maximum: 65535 } }, [22, 70000]),
                ["[1]: must be <= 65535, got 70000"],
            );
            assert.deepEqual(validateJsonSchema({ type: "array", uniqueItems: true, minItems: 3 }, [1, 1]), [
                ": must have at least 3 items, got 2: [1,1]",
                ": items must be unique, got [1,1] (repeated: 1)",
            ]);
            assert.deepEqual(validateJsonSchema({ maxItems: 1 }, [1, 2]), [
                ": must have at most 1 items, got 2: [1,2]",
            ]);
        });

        it("checks objects: properties, required, additionalProperties false (naming the allowed keys) or a schema", () => {
            const s: JsonSchema = {
                type: "object",
                properties: { a: { type: "boolean" } },
                required: ["b"],
                additionalProperties: false,
            };
            assert.deepEqual(validateJsonSchema(s, { a: true, b: true }, "p"), [
                "p.b: is not allowed (allowed: a), got true",
            ]);
            assert.deepEqual(validateJsonSchema(s, { a: 1, c: 2 }), [
                ".a: must be a boolean, got 1",
                ".c: is not allowed (allowed: a), got 2",
                ".b: is required",
            ]);
            assert.deepEqual(validateJsonSchema({ additionalProperties: { type: "integer" } }, { x: 1, y: "2" }, "m"), [
                'm.y: must be an integer, got "2"',
            ]);
            assert.deepEqual(validateJsonSchema({ properties: { a: { type: "boolean" } } }, { z: 1 }), []);
        });

        // ENFORCED_KEYWORDS is what assertSupportedSchema lets through: each must really reject something, and the
        // Record type makes a keyword added to the list without a case here fail to compile.
        const violations: Record<EnforcedKeyword, [JsonSchema, unknown]> = {
            type: [{ type: "string" }, 1],
            enum: [{ enum: [1] }, 2],
            const: [{ const: 1 }, 2],
            minimum: [{ minimum: 1 }, 0],
            maximum: [{ maximum: 1 }, 2],
            exclusiveMinimum: [{ exclusiveMinimum: 1 }, 1],
            exclusiveMaximum: [{ exclusiveMaximum: 1 }, 1],
            multipleOf: [{ multipleOf: 2 }, 3],
            minLength: [{ minLength: 2 }, "a"],
            maxLength: [{ maxLength: 1 }, "ab"],
            pattern: [{ pattern: "^a" }, "b"],
            items: [{ items: { type: "string" } }, [1]],
            minItems: [{ minItems: 1 }, []],
            maxItems: [{ maxItems: 0 }, [1]],
            uniqueItems: [{ uniqueItems: true }, [1, 1]],
            properties: [{ properties: { a: { type: "string" } } }, { a: 1 }],
            required: [{ required: ["a"] }, {}],
            additionalProperties: [{ additionalProperties: false }, { a: 1 }],
        };
        for (const k of ENFORCED_KEYWORDS) {
            it(`enforces "${k}": the value fails with it and passes without it`, () => {
                const [schema, value] = violations[k];
                assert.deepEqual(Object.keys(schema), [k]);
                assert.equal(
                    validateJsonSchema(schema, value).length,
                    1,
                    JSON.stringify(validateJsonSchema(schema, value)),
                );
                assert.deepEqual(validateJsonSchema({}, value), []);
            });
        }
        it("annotations constrain nothing", () =>
            assert.deepEqual(validateJsonSchema({ title: "t", description: "d", default: 1 }, "x"), []));
    });

    describe("assertSupportedSchema", () => {
        it("accepts exactly the enforced keywords and the annotations", () => {
            const all = Object.fromEntries([...ENFORCED_KEYWORDS, ...ANNOTATION_KEYWORDS].map((k) => [k, undefined]));
            assert.doesNotThrow(() => assertSupportedSchema(all));
        });
        it("refuses a keyword the validator would not enforce, at any depth, naming its path and the supported ones", () => {
            assert.throws(
                () => assertSupportedSchema({ oneOf: [] } as never),
                /^Error: schema: JSON-schema keyword "oneOf" is not supported \(supported: type, enum, const,/,
            );
            assert.throws(
                () => assertSupportedSchema({ items: { format: "ipv4" } } as never, "p.ports"),
                /p\.ports\.items: JSON-schema keyword "format"/,
            );
            assert.throws(
                () => assertSupportedSchema({ properties: { a: { $ref: "#/x" } } } as never),
                /schema\.properties\.a: JSON-schema keyword "\$ref"/,
            );
            assert.throws(
                () => assertSupportedSchema({ additionalProperties: { not: {} } } as never),
                /schema\.additionalProperties: JSON-schema keyword "not"/,
            );
        });
        it("refuses what the validator would misread: an unknown type, tuple items, a bad pattern", () => {
            assert.throws(
                () => assertSupportedSchema({ type: "int" } as never),
                /schema\.type: "int" is not a JSON type \(types: null, boolean, integer,/,
            );
            assert.throws(
                () => assertSupportedSchema({ items: [{ type: "string" }] } as never),
                /schema\.items: must be one schema \(the tuple form is not supported\)/,
            );
            assert.throws(
                () => assertSupportedSchema({ pattern: "(" }),
                /schema\.pattern: "\(" is not a valid regular expression/,
            );
            assert.throws(
                () => assertSupportedSchema({ additionalProperties: "no" } as never),
                /must be a boolean or a schema, got "no"/,
            );
        });
    });
});
