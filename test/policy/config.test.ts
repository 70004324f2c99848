import { strict as assert } from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import {
    PolicyConfigError,
    type PolicyConfigSchema,
    resolvePolicyConfig,
    schemaDefaults,
} from "../../policy/shared/policy-config";
import { assertSupportedSchema, validateJsonSchema } from "../../policy/shared/json-schema";
import { policies } from "../../policy/policies";
import { RETENTION_POLICY, retentionSchema } from "../../policy/backup";
import { elasticacheBackupRetention } from "../../policy/backup";
import { OfflineCheckError } from "../../scripts/offline-check/offline-check-error";
import { packInfo, reconcileFile, runResource } from "./harness";

// Each policy module types its schema as lib/config's PolicyConfigSchema; `Policies` only knows @pulumi/policy's wider one.
const schemas = policies.map((p) => ({ name: p.name, configSchema: p.configSchema as PolicyConfigSchema | undefined }));
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const root = path.join(__dirname, "..", "..");
const stackFileName = (stack: string) => path.join(root, "policy", "config", `${stack}.json`);
/** policy/config/<stack>.json reconciled with the real pack, as `pulumi preview --policy-pack-config` does. */
const stackConfig = (stack: string) => reconcileFile(readFileSync(stackFileName(stack), "utf8"), stackFileName(stack));
const reconcile = (file: unknown) => reconcileFile(JSON.stringify(file), "f.json");

/** Asserts `fn` throws the checker's OfflineCheckError, its message matching every pattern. */
function refuses(fn: () => unknown, ...patterns: RegExp[]): void {
    assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof OfflineCheckError, String(e));
        for (const p of patterns) assert.match(e.message, p);
        return true;
    });
}

describe("policy config", () => {
    describe("the pack's schemas", () => {
        for (const p of schemas) {
            it(`${p.name}: has a schema, only supported keywords, a default for every key, defaults valid`, () => {
                assert.ok(p.configSchema, "configSchema missing");
                for (const [k, s] of Object.entries(p.configSchema.properties)) {
                    assertSupportedSchema(s, `${p.name}.${k}`);
                    assert.notEqual(s.default, undefined, `${p.name}.${k} has no default`);
                    assert.deepEqual(validateJsonSchema(s, s.default, k), []);
                }
                assert.deepEqual(
                    Object.keys(resolvePolicyConfig(p.name, p.configSchema, {})),
                    Object.keys(p.configSchema.properties),
                );
            });
        }
        it("retention defaults: minDays 1 (backups on), maxDays 35", () =>
            assert.deepEqual(schemaDefaults(retentionSchema), { minDays: 1, maxDays: 35 }));
        it("no schema declares enforcementLevel (the server exits if one does)", () => {
            for (const p of policies) assert.equal("enforcementLevel" in (p.configSchema?.properties ?? {}), false);
        });
    });

    describe("the checker's reconciliation (what the CLI does with --policy-pack-config) over the real pack", () => {
        it("sees every policy, its level and its schema as GetAnalyzerInfo reports them", () => {
            const info = packInfo();
            assert.deepEqual(
                info.policies.map((p) => p.name),
                policies.map((p) => p.name),
            );
            assert.deepEqual(
                info.policies.map((p) => p.enforcementLevel),
                policies.map((p) => p.enforcementLevel),
            );
            assert.deepEqual(
                info.policies.map((p) => p.configSchema?.properties),
                policies.map((p) => p.configSchema?.properties),
            );
        });
        it("fills every policy's defaults and keeps its level", () => {
            const config = reconcile({});
            assert.deepEqual(config[RETENTION_POLICY], {
                enforcementLevel: "mandatory",
                properties: { minDays: 1, maxDays: 35 },
            });
            assert.equal(config["elasticache-free-tier-hours"].enforcementLevel, "advisory");
        });
        it("rejects maxDays 40: the schema caps it at 35", () =>
            refuses(
                () => reconcile({ [RETENTION_POLICY]: { maxDays: 40 } }),
                new RegExp(
                    `^invalid policy config \\(f\\.json\\):\n  ${RETENTION_POLICY}: maxDays: must be >= 0 and <= 35, got 40$`,
                ),
            ));
        it("accepts maxDays 35 and overlays given values on defaults", () =>
            assert.deepEqual(
                reconcile({ [RETENTION_POLICY]: { maxDays: 35, minDays: 7 } })[RETENTION_POLICY].properties,
                { minDays: 7, maxDays: 35 },
            ));
        it("takes a bare level string, and an enforcementLevel key beside properties", () => {
            const config = reconcile({
                "elasticache-free-tier-hours": "disabled",
                [RETENTION_POLICY]: { enforcementLevel: "advisory", minDays: 0 },
            });
            assert.equal(config["elasticache-free-tier-hours"].enforcementLevel, "disabled");
            assert.deepEqual(config[RETENTION_POLICY], {
                enforcementLevel: "advisory",
                properties: { minDays: 0, maxDays: 35 },
            });
        });
        it('applies "all" first, then per-policy levels', () => {
            const config = reconcile({ [RETENTION_POLICY]: "mandatory", all: "advisory" });
            assert.equal(config[RETENTION_POLICY].enforcementLevel, "mandatory");
            assert.equal(config["elasticache-encryption-at-rest"].enforcementLevel, "advisory");
        });
        it("names bad levels and wrong value types", () => {
            refuses(
                () => reconcile({ [RETENTION_POLICY]: "strict" }),
                /elasticache-backup-retention: "strict" is not a valid enforcement level \(allowed: advisory, mandatory, remediate, disabled\)/,
            );
            refuses(
                () => reconcile({ "elasticache-auth-required": 3 }),
                /elasticache-auth-required: 3 is not valid; must be an enforcement level string or an object/,
            );
        });
        it("names unknown policies and unknown keys, all in one error", () =>
            refuses(
                () =>
                    reconcile({
                        "elasticache-free-tier-node-typo": "disabled",
                        "elasticache-encryption-at-rest": { requireCMK: true },
                    }),
                /elasticache-free-tier-node-typo: no such policy in the pack \(policies: elasticache-free-tier-node-type, /,
                /elasticache-encryption-at-rest: requireCMK: the policy has no such setting \(settings: requireCustomerManagedKey\)/,
            ));
        it("refuses a file that is not an object", () =>
            refuses(() => reconcileFile("[1]", "f.json"), /policy config f\.json must be a JSON object/));
    });

    describe("policies apply the same rules to what getConfig() returns", () => {
        it("a config that bypassed the CLI's check (maxDays 40) fails the policy with a clear error", async () => {
            await assert.rejects(
                runResource(elasticacheBackupRetention, {
                    type: RG,
                    props: { snapshotRetentionLimit: 1 },
                    rawConfig: { maxDays: 40 },
                }),
                (e: Error) =>
                    e instanceof PolicyConfigError &&
                    e.message ===
                        "invalid policy config: elasticache-backup-retention: maxDays: must be >= 0 and <= 35, got 40",
            );
        });
        it("an unknown key in getConfig() is refused, not ignored", async () => {
            await assert.rejects(
                runResource(elasticacheBackupRetention, {
                    type: RG,
                    props: { snapshotRetentionLimit: 1 },
                    rawConfig: { maxDay: 7 },
                }),
                /elasticache-backup-retention: maxDay: the policy has no such setting \(settings: minDays, maxDays\)/,
            );
        });
        it("served without Configure, a policy falls back to its schema defaults", async () => {
            const out = await runResource(elasticacheBackupRetention, { type: RG, props: {}, unconfigured: true });
            assert.match(out.violations[0], /at least 1 day/);
        });
        it("minDays above maxDays is refused at run time, naming both", async () => {
            await assert.rejects(
                runResource(elasticacheBackupRetention, {
                    type: RG,
                    props: { snapshotRetentionLimit: 5 },
                    config: { [RETENTION_POLICY]: { minDays: 10, maxDays: 5 } },
                }),
                /minDays \(10\) is greater than maxDays \(5\)/,
            );
        });
    });

    describe("per-stack config files", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            it(`policy/config/${stack}.json is valid for the pack`, () =>
                assert.deepEqual(
                    Object.keys(stackConfig(stack)),
                    policies.map((p) => p.name),
                ));
        }

        // The stacks' own settings (Pulumi.<stack>.yaml) must pass their stack's policy config.
        const stackSetting = (stack: string, key: string): string | undefined => {
            const text = readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8");
            return new RegExp(`^\\s*redis-stack:${key}:\\s*(\\S+)\\s*$`, "m").exec(text)?.[1];
        };
        for (const stack of ["dev", "staging", "prod"]) {
            it(`${stack}: the stack's node type, instance type and retention are within its policy config`, () => {
                const config = stackConfig(stack);
                const nodeType = stackSetting(stack, "redisNodeType");
                const instanceType = stackSetting(stack, "bastionInstanceType");
                const retention = Number(stackSetting(stack, "snapshotRetentionDays"));
                assert.ok(nodeType && instanceType && !Number.isNaN(retention), `Pulumi.${stack}.yaml lacks a setting`);
                assert.ok(
                    (config["elasticache-free-tier-node-type"].properties.allowedNodeTypes as string[]).includes(
                        nodeType,
                    ),
                );
                assert.ok(
                    (config["ec2-free-tier-instance-type"].properties.allowedInstanceTypes as string[]).includes(
                        instanceType,
                    ),
                );
                const r = config[RETENTION_POLICY].properties as { minDays: number; maxDays: number };
                assert.ok(
                    r.minDays <= retention && retention <= r.maxDays,
                    `${retention} not in ${r.minDays}..${r.maxDays}`,
                );
            });
        }
        it("dev must stay in the free tier: the node-hours policy is mandatory there", () =>
            assert.equal(stackConfig("dev")["elasticache-free-tier-hours"].enforcementLevel, "mandatory"));
        it("staging and prod run several nodes by design: node-hours policy disabled", () => {
            for (const s of ["staging", "prod"]) {
                assert.equal(stackConfig(s)["elasticache-free-tier-hours"].enforcementLevel, "disabled");
            }
        });
        it("prod keeps exactly 35 days of backups and makes the engine-version policy mandatory", () => {
            const config = stackConfig("prod");
            assert.deepEqual(config[RETENTION_POLICY].properties, { minDays: 35, maxDays: 35 });
            assert.equal(config["elasticache-supported-engine-version"].enforcementLevel, "mandatory");
        });
    });
});
