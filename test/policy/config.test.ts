import { strict as assert } from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import {
    PolicyConfigError, assertSupportedSchema, reconcilePolicyPackConfig, resolvePolicyConfig, schemaDefaults, validateSchema,
} from "../../policy/lib/config";
import type { PolicyMeta } from "../../policy/lib/config";
import { policies } from "../../policy/policies";
import { RETENTION_POLICY, retentionSchema } from "../../policy/backup";
import { elasticacheBackupRetention } from "../../policy/backup";
import { runResource } from "./harness";

const metas = policies as unknown as PolicyMeta[];
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const root = path.join(__dirname, "..", "..");
const stackFile = (stack: string) => JSON.parse(readFileSync(path.join(root, "policy", "config", `${stack}.json`), "utf8"));

describe("policy config", () => {
    describe("validateSchema (the JSON-schema subset)", () => {
        it("checks types, integer vs number, bounds, enum", () => {
            assert.deepEqual(validateSchema({ type: "integer", minimum: 0, maximum: 35 }, 35, "x"), []);
            assert.match(validateSchema({ type: "integer" }, 1.5, "x")[0], /x: expected integer, got number 1.5/);
            assert.deepEqual(validateSchema({ type: "number" }, 2, "x"), []);
            assert.match(validateSchema({ type: "integer", maximum: 35 }, 40, "x")[0], /40 is above the maximum 35/);
            assert.match(validateSchema({ type: "integer", minimum: 1 }, 0, "x")[0], /0 is below the minimum 1/);
            assert.match(validateSchema({ enum: ["a", "b"] }, "c", "x")[0], /"c" is not one of "a", "b"/);
        });
        it("checks arrays: items, minItems, uniqueItems", () => {
            const s = { type: "array" as const, items: { type: "string" as const, minLength: 1 }, minItems: 1, uniqueItems: true };
            assert.deepEqual(validateSchema(s, ["a"], "x"), []);
            assert.match(validateSchema(s, [], "x")[0], /at least 1 required/);
            assert.match(validateSchema(s, ["a", "a"], "x")[0], /"a" appears more than once/);
            assert.match(validateSchema(s, ["a", 3], "x")[0], /x\[1\]: expected string/);
        });
        it("checks objects: required and additionalProperties false, naming the allowed keys", () => {
            const s = { type: "object" as const, properties: { a: { type: "boolean" as const } }, required: ["a"], additionalProperties: false };
            assert.deepEqual(validateSchema(s, { a: true }, "p"), []);
            assert.deepEqual(validateSchema(s, { b: 1 }, "p"), ['p: "a" is required', 'p: unknown key "b"; allowed keys: a']);
        });
        it("refuses schema keywords it would not enforce", () => {
            assert.throws(() => assertSupportedSchema({ oneOf: [] } as never), /keyword "oneOf" is not supported/);
        });
    });

    describe("the pack's schemas", () => {
        for (const p of metas) {
            it(`${p.name}: has a schema, only supported keywords, a default for every key, defaults valid`, () => {
                assert.ok(p.configSchema, "configSchema missing");
                for (const [k, s] of Object.entries(p.configSchema.properties)) {
                    assertSupportedSchema(s, `${p.name}.${k}`);
                    assert.notEqual(s.default, undefined, `${p.name}.${k} has no default`);
                    assert.deepEqual(validateSchema(s, s.default, k), []);
                }
                assert.deepEqual(Object.keys(resolvePolicyConfig(p.name, p.configSchema, {})), Object.keys(p.configSchema.properties));
            });
        }
        it("retention defaults: minDays 1 (backups on), maxDays 35", () =>
            assert.deepEqual(schemaDefaults(retentionSchema), { minDays: 1, maxDays: 35 }));
        it("no schema declares enforcementLevel (the server exits if one does)", () => {
            for (const p of metas) assert.equal("enforcementLevel" in (p.configSchema?.properties ?? {}), false);
        });
    });

    describe("reconcilePolicyPackConfig (what the CLI does with --policy-pack-config)", () => {
        it("fills every policy's defaults and keeps its level", () => {
            const { config, errors } = reconcilePolicyPackConfig(metas, undefined);
            assert.deepEqual(errors, []);
            assert.deepEqual(config[RETENTION_POLICY], { enforcementLevel: "mandatory", properties: { minDays: 1, maxDays: 35 } });
            assert.equal(config["elasticache-free-tier-hours"].enforcementLevel, "advisory");
        });
        it("rejects maxDays 40: the schema caps it at 35", () => {
            const { errors, config } = reconcilePolicyPackConfig(metas, { [RETENTION_POLICY]: { maxDays: 40 } });
            assert.deepEqual(errors, [`${RETENTION_POLICY}.maxDays: 40 is above the maximum 35`]);
            assert.deepEqual(config, {});
        });
        it("accepts maxDays 35 and overlays given values on defaults", () => {
            const { errors, config } = reconcilePolicyPackConfig(metas, { [RETENTION_POLICY]: { maxDays: 35, minDays: 7 } });
            assert.deepEqual(errors, []);
            assert.deepEqual(config[RETENTION_POLICY].properties, { minDays: 7, maxDays: 35 });
        });
        it("takes a bare level string, and an enforcementLevel key beside properties", () => {
            const { config } = reconcilePolicyPackConfig(metas, {
                "elasticache-free-tier-hours": "disabled",
                [RETENTION_POLICY]: { enforcementLevel: "advisory", minDays: 0 },
            });
            assert.equal(config["elasticache-free-tier-hours"].enforcementLevel, "disabled");
            assert.deepEqual(config[RETENTION_POLICY], { enforcementLevel: "advisory", properties: { minDays: 0, maxDays: 35 } });
        });
        it("applies \"all\" first, then per-policy levels", () => {
            const { config } = reconcilePolicyPackConfig(metas, { [RETENTION_POLICY]: "mandatory", all: "advisory" });
            assert.equal(config[RETENTION_POLICY].enforcementLevel, "mandatory");
            assert.equal(config["elasticache-encryption-at-rest"].enforcementLevel, "advisory");
        });
        it("names bad levels, wrong value types, unknown policies and unknown keys", () => {
            const { errors } = reconcilePolicyPackConfig(metas, {
                [RETENTION_POLICY]: "strict",
                "elasticache-auth-required": 3,
                "elasticache-free-tier-node-typo": "disabled",
                "elasticache-encryption-at-rest": { requireCMK: true },
            });
            assert.equal(errors.length, 4);
            assert.match(errors[0], /"strict" is not a valid enforcement level; use one of advisory, mandatory, remediate, disabled/);
            assert.match(errors[1], /3 is not a valid value; must be a string or object/);
            assert.match(errors[2], /elasticache-free-tier-node-typo: no such policy in the pack/);
            assert.match(errors[3], /unknown key "requireCMK"; allowed keys: requireCustomerManagedKey/);
        });
        it("refuses a file that is not an object", () =>
            assert.match(reconcilePolicyPackConfig(metas, [1]).errors[0], /must be a JSON object/));
    });

    describe("policies apply the same rules to what getConfig() returns", () => {
        it("a config that bypassed the CLI's check (maxDays 40) fails the policy with a clear error", async () => {
            await assert.rejects(
                runResource(elasticacheBackupRetention, { type: RG, props: { snapshotRetentionLimit: 1 }, rawConfig: { maxDays: 40 } }),
                (e: Error) => e instanceof PolicyConfigError && /elasticache-backup-retention\.maxDays: 40 is above the maximum 35/.test(e.message));
        });
        it("an unknown key in getConfig() is refused, not ignored", async () => {
            await assert.rejects(
                runResource(elasticacheBackupRetention, { type: RG, props: { snapshotRetentionLimit: 1 }, rawConfig: { maxDay: 7 } }),
                /unknown key "maxDay"; allowed keys: minDays, maxDays/);
        });
        it("served without Configure, a policy falls back to its schema defaults", async () => {
            const out = await runResource(elasticacheBackupRetention, { type: RG, props: {}, unconfigured: true });
            assert.match(out.violations[0], /at least 1 day/);
        });
        it("minDays above maxDays is refused at run time, naming both", async () => {
            await assert.rejects(runResource(elasticacheBackupRetention, {
                type: RG, props: { snapshotRetentionLimit: 5 }, config: { [RETENTION_POLICY]: { minDays: 10, maxDays: 5 } },
            }), /minDays \(10\) is greater than maxDays \(5\)/);
        });
    });

    describe("per-stack config files", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            it(`policy/config/${stack}.json is valid for the pack`, () =>
                assert.deepEqual(reconcilePolicyPackConfig(metas, stackFile(stack)).errors, []));
        }

        // The stacks' own settings (Pulumi.<stack>.yaml) must pass their stack's policy config.
        const stackSetting = (stack: string, key: string): string | undefined => {
            const text = readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8");
            return new RegExp(`^\\s*redis-stack:${key}:\\s*(\\S+)\\s*$`, "m").exec(text)?.[1];
        };
        for (const stack of ["dev", "staging", "prod"]) {
            it(`${stack}: the stack's node type, instance type and retention are within its policy config`, () => {
                const { config } = reconcilePolicyPackConfig(metas, stackFile(stack));
                const nodeType = stackSetting(stack, "redisNodeType");
                const instanceType = stackSetting(stack, "bastionInstanceType");
                const retention = Number(stackSetting(stack, "snapshotRetentionDays"));
                assert.ok(nodeType && instanceType && !Number.isNaN(retention), `Pulumi.${stack}.yaml lacks a setting`);
                assert.ok((config["elasticache-free-tier-node-type"].properties.allowedNodeTypes as string[]).includes(nodeType));
                assert.ok((config["ec2-free-tier-instance-type"].properties.allowedInstanceTypes as string[]).includes(instanceType));
                const r = config[RETENTION_POLICY].properties as { minDays: number; maxDays: number };
                assert.ok(r.minDays <= retention && retention <= r.maxDays, `${retention} not in ${r.minDays}..${r.maxDays}`);
            });
        }
        it("dev must stay in the free tier: the node-hours policy is mandatory there", () =>
            assert.equal(reconcilePolicyPackConfig(metas, stackFile("dev")).config["elasticache-free-tier-hours"].enforcementLevel, "mandatory"));
        it("staging and prod run several nodes by design: node-hours policy disabled", () => {
            for (const s of ["staging", "prod"]) {
                assert.equal(reconcilePolicyPackConfig(metas, stackFile(s)).config["elasticache-free-tier-hours"].enforcementLevel, "disabled");
            }
        });
        it("prod keeps exactly 35 days of backups and makes the engine-version policy mandatory", () => {
            const { config } = reconcilePolicyPackConfig(metas, stackFile("prod"));
            assert.deepEqual(config[RETENTION_POLICY].properties, { minDays: 35, maxDays: 35 });
            assert.equal(config["elasticache-supported-engine-version"].enforcementLevel, "mandatory");
        });
    });
});
