// RBAC and IAM-authentication policies through the harness (the engine's argument building) and the pack list.
import { strict as assert } from "assert";
import {
    coversConnect,
    elasticacheConnectNotWildcard,
    elasticacheDefaultUserDisabled,
    elasticacheUserNoPlaintextPassword,
    wildcardConnectStatements,
} from "../../policy/rbac";
import { elasticacheAuthRequired } from "../../policy/encryption";
import { UNKNOWN, assertPass, assertViolations, runResource, runStack, secret } from "./harness";

const USER = "aws:elasticache/user:User";
const GROUP = "aws:elasticache/userGroup:UserGroup";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

const disabledDefault = {
    userId: "redis-prod-default",
    userName: "default",
    engine: "redis",
    accessString: "off -@all",
    authenticationMode: { type: "no-password-required" },
};
const bastion = {
    userId: "redis-prod-bastion",
    userName: "redis-prod-bastion",
    engine: "redis",
    accessString: "on ~* &* +@all -@dangerous +info",
    authenticationMode: { type: "iam" },
};
const group = {
    userGroupId: "redis-prod-users",
    engine: "redis",
    userIds: ["redis-prod-default", "redis-prod-bastion"],
};

describe("RBAC policies", () => {
    describe("elasticache-default-user-disabled (stack)", () => {
        const run = (defaultProps: Record<string, unknown>, groupProps: Record<string, unknown> = group) =>
            runStack(elasticacheDefaultUserDisabled, [
                { type: USER, name: "default", props: defaultProps },
                { type: USER, name: "bastion", props: bastion },
                { type: GROUP, name: "users", props: groupProps },
            ]);
        it("passes the program's iam mode: default user off, nothing granted, no password", async () => {
            assertPass(await run(disabledDefault));
        });
        it("flags a default user that is on, has a password, or grants access while off", async () => {
            assertViolations(
                await run({ ...disabledDefault, accessString: "on ~* +@all" }),
                'aws.elasticache.User "default"',
                /which enables it; use "off -@all"/,
            );
            assertViolations(
                await run({
                    ...disabledDefault,
                    authenticationMode: { type: "password", passwords: [secret("x".repeat(20))] },
                }),
                'aws.elasticache.User "default"',
                /has a password/,
            );
            assertViolations(
                await run({ ...disabledDefault, accessString: "off ~* +get" }),
                'aws.elasticache.User "default"',
                /grants keys, channels or commands/,
            );
            // Neither on nor off means off (AWS RBAC docs), but a grant still counts as access.
            assertViolations(await run({ ...disabledDefault, accessString: "+@read" }), "default", /grants/);
        });
        it("flags a group that holds ElastiCache's built-in, open default user", async () => {
            assertViolations(
                await run(disabledDefault, { ...group, userIds: ["default", "redis-prod-bastion"] }),
                'aws.elasticache.UserGroup "users"',
                /built-in user/,
            );
        });
        it("stays silent on what the preview does not know", async () => {
            assertPass(await run({ ...disabledDefault, accessString: UNKNOWN.string }));
        });
    });

    describe("elasticache-user-no-plaintext-password", () => {
        const run = (props: Record<string, unknown>) =>
            runResource(elasticacheUserNoPlaintextPassword, { type: USER, name: "app", props });
        it("passes IAM users, no-password users and write-only passwords", async () => {
            assertPass(await run(bastion));
            assertPass(await run(disabledDefault));
            const { authenticationMode: _iam, ...noMode } = bastion;
            void _iam;
            assertPass(
                await run({
                    ...noMode,
                    passwordsWo: secret("y".repeat(20)),
                    passwordsWoVersion: 1,
                }),
            );
        });
        it("flags passwords and authenticationMode.passwords, secret or not (the state keeps them in plain text)", async () => {
            const who = 'aws.elasticache.User "app"';
            assertViolations(await run({ ...bastion, passwords: ["p".repeat(20)] }), who, /passwords is set/);
            assertViolations(await run({ ...bastion, passwords: [secret("p".repeat(20))] }), who, /passwords is set/);
            assertViolations(
                await run({ ...bastion, authenticationMode: { type: "password", passwords: ["p".repeat(20)] } }),
                who,
                /authenticationMode.passwords is set/,
            );
        });
    });

    describe("elasticache-connect-not-wildcard", () => {
        const doc = (statement: Record<string, unknown>) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
        const run = (policy: unknown, type = "aws:iam/rolePolicy:RolePolicy") =>
            runResource(elasticacheConnectNotWildcard, { type, name: "bastion-read", props: { role: "r", policy } });
        const scoped = [
            "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:redis-prod-cache-group-1a2b3c4",
            "arn:aws:elasticache:us-east-1:123456789012:user:redis-prod-bastion",
        ];
        it("passes Connect on the group and the user", async () => {
            assertPass(await run(doc({ Effect: "Allow", Action: ["elasticache:Connect"], Resource: scoped })));
            assertPass(await run(doc({ Effect: "Deny", Action: "elasticache:Connect", Resource: "*" })));
            assertPass(await run(doc({ Effect: "Allow", Action: "ssm:GetParameter", Resource: "*" })));
            assertPass(await run(UNKNOWN.string));
        });
        it('flags Connect, elasticache:* or * on Resource "*", on every cache, or with NotResource', async () => {
            const who = 'aws.iam.RolePolicy "bastion-read"';
            assertViolations(
                await run(doc({ Effect: "Allow", Action: "elasticache:Connect", Resource: "*" })),
                who,
                /statement 0/,
            );
            assertViolations(
                await run(doc({ Effect: "Allow", Action: ["elasticache:*"], Resource: ["*"] })),
                who,
                /Connect/,
            );
            assertViolations(
                await run(doc({ Effect: "Allow", Action: "*", Resource: "*" }), "aws:iam/policy:Policy"),
                'aws.iam.Policy "bastion-read"',
                /Connect/,
            );
            assertViolations(
                await run(
                    doc({
                        Effect: "Allow",
                        Action: "elasticache:conn*",
                        Resource: "arn:aws:elasticache:us-east-1:123456789012:*",
                    }),
                ),
                who,
                /Connect/,
            );
            assertViolations(
                await run(doc({ Effect: "Allow", Action: "elasticache:Connect", NotResource: scoped })),
                who,
                /Connect/,
            );
        });
        it("matches IAM action wildcards case-insensitively", () => {
            assert.ok(coversConnect("elasticache:connect"));
            assert.ok(coversConnect("elasticache:Con?ect"));
            assert.ok(!coversConnect("elasticache:Describe*"));
            assert.ok(!coversConnect("rds-db:connect"));
            assert.deepEqual(wildcardConnectStatements("not json"), []);
        });
    });

    describe("elasticache-auth-required accepts either mode", () => {
        it("passes a user group without a token, and a token without a user group", async () => {
            const base = { transitEncryptionEnabled: true };
            assertPass(
                await runResource(elasticacheAuthRequired, {
                    type: RG,
                    name: "cache",
                    props: { ...base, userGroupIds: ["redis-prod-users"], authTokenUpdateStrategy: "DELETE" },
                }),
            );
            assertPass(
                await runResource(elasticacheAuthRequired, {
                    type: RG,
                    name: "cache",
                    props: { ...base, authToken: secret("Abcdefgh12345678!&#$^<>-") },
                }),
            );
        });
    });
});
