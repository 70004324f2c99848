import { strict as assert } from "assert";
import { authTokenProblem } from "../../policy/shared/auth-token";
import {
    elasticacheAuthRequired,
    elasticacheEncryptionAtRest,
    elasticacheEncryptionInTransit,
} from "../../policy/encryption";
import {
    UNKNOWN,
    assertNotApplicable,
    assertPass,
    assertUnknown,
    assertViolations,
    runResource,
    secret,
} from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CL = "aws:elasticache/cluster:Cluster";
const WHO = 'aws.elasticache.ReplicationGroup "cache"';
const TOKEN = "Abcdefgh12345678!&#$^<>-";

describe("encryption and auth policies", () => {
    describe("elasticache-encryption-in-transit", () => {
        const run = (props: Record<string, unknown>, type = RG, config?: Record<string, unknown>) =>
            runResource(elasticacheEncryptionInTransit, { type, name: "cache", props, config });
        it("passes TLS on, mode absent (AWS: required) or required; standalone clusters with TLS", async () => {
            assertPass(await run({ transitEncryptionEnabled: true }));
            assertPass(await run({ transitEncryptionEnabled: true, transitEncryptionMode: "required" }));
            assertPass(await run({ transitEncryptionEnabled: true }, CL));
        });
        it("flags TLS off or unset", async () => {
            assertViolations(
                await run({ transitEncryptionEnabled: false }),
                WHO,
                /transitEncryptionEnabled is false; it must be true/,
            );
            assertViolations(await run({}), WHO, /not set \(defaults to false\)/);
        });
        it("flags mode preferred, unless the migration step is allowed", async () => {
            assertViolations(
                await run({ transitEncryptionEnabled: true, transitEncryptionMode: "preferred" }),
                WHO,
                /transitEncryptionMode is "preferred"; it must be "required".*allowPreferredMode/,
            );
            assertPass(
                await run({ transitEncryptionEnabled: true, transitEncryptionMode: "preferred" }, RG, {
                    "elasticache-encryption-in-transit": { allowPreferredMode: true },
                }),
            );
        });
        it("skips group members", async () =>
            assertNotApplicable(await run({ replicationGroupId: "rg" }, CL), /replication group/));
        it("unknown: preview advisory", async () => {
            assertUnknown(await run({ transitEncryptionEnabled: UNKNOWN.bool }), "transitEncryptionEnabled");
            assertUnknown(
                await run({ transitEncryptionEnabled: true, transitEncryptionMode: UNKNOWN.string }),
                "transitEncryptionMode",
            );
        });
    });

    describe("elasticache-encryption-at-rest", () => {
        const run = (props: Record<string, unknown>, type = RG, config?: Record<string, unknown>) =>
            runResource(elasticacheEncryptionAtRest, { type, name: "cache", props, config });
        it("passes explicit true, and valkey's default", async () => {
            assertPass(await run({ atRestEncryptionEnabled: true }));
            assertPass(await run({ engine: "valkey" }));
        });
        it("flags false, and redis's default (false)", async () => {
            assertViolations(await run({ atRestEncryptionEnabled: false }), WHO, /atRestEncryptionEnabled is false/);
            assertViolations(await run({}), WHO, /not set \(defaults to false for engine redis\)/);
            assertViolations(await run({ engine: "valkey", atRestEncryptionEnabled: false }), WHO, /is false/);
        });
        it("flags standalone clusters, which cannot encrypt at rest", async () =>
            assertViolations(
                await run({ engine: "redis" }, CL),
                'aws.elasticache.Cluster "cache"',
                /cannot encrypt data at rest/,
            ));
        it("requires a customer managed key when configured", async () => {
            const config = { "elasticache-encryption-at-rest": { requireCustomerManagedKey: true } };
            assertViolations(await run({ atRestEncryptionEnabled: true }, RG, config), WHO, /kmsKeyId is not set/);
            assertPass(await run({ atRestEncryptionEnabled: true, kmsKeyId: UNKNOWN.string }, RG, config));
        });
        it("unknown: preview advisory (an unset flag with an unknown engine too)", async () => {
            assertUnknown(await run({ atRestEncryptionEnabled: UNKNOWN.bool }), "atRestEncryptionEnabled");
            assertUnknown(await run({ engine: UNKNOWN.string }), "engine");
        });
    });

    describe("elasticache-auth-required", () => {
        const run = (props: Record<string, unknown>, type = RG, config?: Record<string, unknown>) =>
            runResource(elasticacheAuthRequired, { type, name: "cache", props, config });
        it("passes a valid token sent as a secret, a write-only token, or an RBAC user group", async () => {
            assertPass(await run({ authToken: secret(TOKEN) }));
            assertPass(await run({ authTokenWo: secret(UNKNOWN.string) }));
            assertPass(await run({ userGroupIds: ["ug-1"] }));
            assertPass(await run({ userGroupIds: [UNKNOWN.string] }));
        });
        it("flags no authentication at all", async () => {
            assertViolations(await run({}), WHO, /neither authToken nor userGroupIds is set/);
            assertViolations(await run({ userGroupIds: [] }), WHO, /neither authToken/);
        });
        it("flags a user group when RBAC is not accepted", async () =>
            assertViolations(
                await run({ userGroupIds: ["ug-1"] }, RG, {
                    "elasticache-auth-required": { allowRbacUserGroups: false },
                }),
                WHO,
                /neither authToken nor authTokenWo/,
            ));
        it("flags tokens AWS would refuse, without echoing them", async () => {
            const short = await run({ authToken: secret("short-token") });
            assertViolations(
                short,
                WHO,
                /authToken \(secret, not shown\) is invalid: it has 11 characters; AWS requires 16 to 128/,
            );
            assert.ok(!short.violations[0].includes("short-token"));
            const bad = await run({ authToken: secret("abcdefghijklmnop@/ ") });
            assertViolations(bad, WHO, /contains 3 character\(s\) AWS refuses/);
            assert.ok(!bad.violations[0].includes("abcdefghijklmnop"));
            assertViolations(await run({ authToken: secret("") }), WHO, /authToken is empty/);
        });
        it("format checking can be turned off", async () =>
            assertPass(
                await run({ authToken: secret("short") }, RG, {
                    "elasticache-auth-required": { checkTokenFormat: false },
                }),
            ));
        it("flags standalone clusters", async () =>
            assertViolations(await run({}, CL), 'aws.elasticache.Cluster "cache"', /cannot require AUTH/));
        it("a token generated in this preview (unknown secret) is set, so authentication is required: a pass", async () => {
            assertPass(await run({ authToken: secret(UNKNOWN.string) }));
            assertPass(await run({ authToken: UNKNOWN.string }));
        });
        it("an unknown user group list with no token gives the preview advisory", async () =>
            assertUnknown(await run({ userGroupIds: UNKNOWN.array }), "userGroupIds"));
        it("authTokenProblem follows AWS's rules", () => {
            assert.equal(authTokenProblem("a".repeat(16)), undefined);
            assert.equal(authTokenProblem("a".repeat(128)), undefined);
            assert.match(authTokenProblem("a".repeat(129)) ?? "", /129 characters/);
            assert.match(authTokenProblem("a".repeat(15) + "@") ?? "", /1 character/);
        });
    });
});
