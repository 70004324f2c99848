// The AWS API constraint generator on a fixture cut from botocore's models (test/fixtures/aws-models, in
// service-2.json's format; one pattern made Java-only), and the hand-kept member mapping against the installed SDK.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { API_MEMBERS, type OperationMapping } from "../../scripts/aws-models/api-members";
import {
    generateConstraints,
    renderConstraints,
    resolveMember,
    sdkEnumValues,
    type ServiceModel,
    translatePattern,
} from "../../scripts/aws-models/generate";
import { AWS_API_CONSTRAINTS, AWS_API_MODELS, apiConstraintFailures } from "../../policy/shared";

const FIXTURES = path.join(__dirname, "../fixtures/aws-models");
const model = (service: string, version: string): ServiceModel =>
    JSON.parse(fs.readFileSync(path.join(FIXTURES, service, version, "service-2.json"), "utf8"));
const MODELS = { iam: model("iam", "2010-05-08"), ssm: model("ssm", "2014-11-06") };
const SSM_ENUMS = fs.readFileSync(path.join(FIXTURES, "ssm-enums.d.ts"), "utf8");
const sdkEnums = (module: string, name: string) => (module === "ssm" ? sdkEnumValues(SSM_ENUMS, name) : undefined);

const MAPPING: Record<string, OperationMapping[]> = {
    "aws:iam/role:Role": [
        {
            service: "iam",
            operation: "CreateRole",
            members: [
                { member: "Path", property: "path" },
                { member: "RoleName", property: "name", filledBy: "auto-name" },
                { member: "AssumeRolePolicyDocument", property: "assumeRolePolicy" },
                { member: "MaxSessionDuration", property: "maxSessionDuration" },
                { member: "Tags", property: "tags" },
                { member: "Tags.member.Key", property: "tags", target: "keys" },
                { member: "Tags.member.Value", property: "tags", target: "values" },
            ],
        },
    ],
    "aws:ssm/parameter:Parameter": [
        {
            service: "ssm",
            operation: "PutParameter",
            members: [
                { member: "Name", property: "name", filledBy: "auto-name" },
                { member: "Type", property: "type", sdkEnum: { module: "ssm", name: "ParameterType" } },
                { member: "Tier", property: "tier", skip: { enum: "test: left out" } },
                { member: "DataType", property: "dataType" },
            ],
        },
    ],
};

const none = () => false;

describe("aws-models generator (fixture in botocore's format)", () => {
    const generated = generateConstraints(MODELS, MAPPING, sdkEnums);
    const role = generated.constraints["aws:iam/role:Role"];
    const byMember = (member: string) => role.find((c) => c.member === `iam CreateRole.${member}`);

    it("string lengths, numeric ranges, list counts and patterns come from the member's shape", () => {
        assert.deepStrictEqual(byMember("Path"), {
            property: "path",
            target: "value",
            member: "iam CreateRole.Path",
            minLength: 1,
            maxLength: 512,
            pattern: "(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)",
            jsPattern: "^(?:(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F))$",
        });
        assert.deepStrictEqual(
            [byMember("MaxSessionDuration")?.min, byMember("MaxSessionDuration")?.max],
            [3600, 43200],
        );
        assert.strictEqual(byMember("Tags")?.maxLength, 50);
        assert.strictEqual(byMember("Tags.member.Value")?.target, "values");
    });

    it("required only where nothing fills the member (auto-name, provider default, SDK)", () => {
        assert.strictEqual(byMember("AssumeRolePolicyDocument")?.required, true);
        assert.strictEqual(byMember("RoleName")?.required, undefined);
        assert.strictEqual(byMember("Path")?.required, undefined);
    });

    it("enums: the model's plus the SDK's (newer) values; a skipped enum is left out", () => {
        const ssm = generated.constraints["aws:ssm/parameter:Parameter"];
        assert.deepStrictEqual(ssm.find((c) => c.property === "type")?.enum, [
            "String",
            "StringList",
            "SecureString",
            "FutureType",
        ]);
        assert.strictEqual(
            ssm.find((c) => c.property === "tier"),
            undefined,
        );
    });

    it("a Java-only pattern is skipped and counted, not half-translated", () => {
        assert.deepStrictEqual(generated.skippedPatterns, [
            { member: "ssm PutParameter.DataType", pattern: "[a-z:]++", why: "possessive quantifier" },
        ]);
        const dataType = generated.constraints["aws:ssm/parameter:Parameter"].find((c) => c.property === "dataType");
        assert.strictEqual(dataType?.jsPattern, undefined);
        assert.strictEqual(dataType?.maxLength, 128);
    });

    it("coverage counts mapped members against the operation's input members", () => {
        assert.deepStrictEqual(generated.coverage["aws:iam/role:Role"], { mapped: 5, members: 7, rules: 7 });
    });

    it("the generated constraints judge values as AWS does (whole-value match, Unicode classes)", () => {
        const judge = (inputs: Record<string, unknown>) =>
            apiConstraintFailures(role, { assumeRolePolicy: "{}", ...inputs }, none).map((f) => f.property);
        assert.deepStrictEqual(judge({ path: "/" }), []);
        assert.deepStrictEqual(judge({ path: "/a/b/" }), []);
        assert.deepStrictEqual(judge({ path: "a/" }), ["path"]);
        assert.deepStrictEqual(judge({ path: "/a" }), ["path"]);
        assert.deepStrictEqual(judge({ tags: { Équipe: "café" } }), []);
        assert.deepStrictEqual(judge({ tags: { team: "a|b" } }), ["tags.team"]);
        assert.deepStrictEqual(judge({ maxSessionDuration: 43201 }), ["maxSessionDuration"]);
        assert.deepStrictEqual(apiConstraintFailures(role, {}, none), [
            {
                property: "assumeRolePolicy",
                reason: "AWS's iam CreateRole would refuse it at `pulumi up`: Value at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null",
            },
        ]);
    });

    it("renders a module with its provenance", () => {
        const text = renderConstraints(generated, {
            botocoreVersion: "1.2.3",
            generatedOn: "2026-12-04",
            apiVersions: { iam: "2010-05-08" },
            sdkVersion: "7.0.0",
        });
        assert.match(text, /botocoreVersion": "1\.2\.3"/);
        assert.match(text, /export const AWS_API_CONSTRAINTS/);
        assert.match(text, /"sdkEnumsFrom": "@pulumi\/aws 7\.0\.0"/);
    });

    it("an unknown member path is an error naming it", () => {
        assert.throws(() => resolveMember(MODELS.iam, "CreateRole", "Paths"), /CreateRole\.Paths: no step 'Paths'/);
    });
});

describe("translatePattern", () => {
    for (const [pattern, good, bad] of [
        ["[\\w+=,.@-]+", "a.b@c", "a b"],
        ["^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$", "Équipe 1", "a|b"],
        ["[a-zA-Z][a-zA-Z0-9\\-]*", "user-1", "1user"],
        [".*\\S.*", " on ", "   "],
    ] as const) {
        it(`${pattern} matches whole values`, () => {
            const t = translatePattern(pattern);
            assert.ok("source" in t, JSON.stringify(t));
            const r = new RegExp(t.source, "u");
            assert.ok(r.test(good), good);
            assert.ok(!r.test(bad), bad);
        });
    }
    for (const pattern of ["(?i)abc", "\\Aabc\\z", "[a-z&&[^b]]", "\\p{javaLowerCase}+", "\\p{Alpha}"]) {
        it(`${pattern} is not translated`, () => assert.ok("why" in translatePattern(pattern)));
    }
});

describe("sdkEnumValues", () => {
    it("reads an SDK enums declaration", () => {
        assert.deepStrictEqual(sdkEnumValues(SSM_ENUMS, "ParameterType"), [
            "String",
            "StringList",
            "SecureString",
            "FutureType",
        ]);
        assert.strictEqual(sdkEnumValues(SSM_ENUMS, "Nope"), undefined);
    });
});

describe("the member mapping and the committed table", () => {
    const SDK = path.join(__dirname, "../../node_modules/@pulumi/aws");
    /** The input properties of a type's Args interface in the installed SDK's declarations. */
    function argsOf(type: string): Set<string> {
        const [, mod, resource] = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):/.exec(type) ?? [];
        const text = fs.readFileSync(path.join(SDK, mod, `${resource}.d.ts`), "utf8");
        const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? "";
        return new Set([...args.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]));
    }

    for (const [type, operations] of Object.entries(API_MEMBERS)) {
        it(`${type}: every mapped property is an input of the SDK's resource`, () => {
            const args = argsOf(type);
            for (const m of operations.flatMap((o) => o.members)) {
                assert.ok(args.has(m.property), `${m.member} -> ${m.property} is not in ${type}'s Args`);
            }
        });
    }

    it("the committed table covers exactly the mapped types, and says where and when it was generated", () => {
        assert.deepStrictEqual(Object.keys(AWS_API_CONSTRAINTS).sort(), Object.keys(API_MEMBERS).sort());
        assert.match(AWS_API_MODELS.generatedOn, /^\d{4}-\d{2}-\d{2}$/);
        assert.match(AWS_API_MODELS.botocoreVersion, /^\d+\.\d+\.\d+$/);
    });
});
