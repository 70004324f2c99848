/**
 * redisAuthMode iam under the mock runtime (the program runs in a child process): what prod registers, and the
 * token -> iam migration as a plan: which resources appear and go, and that the replication group keeps its
 * URN and changes only inputs the provider updates in place (terraform-provider-aws replication_group.go:
 * auth_token, auth_token_update_strategy and user_group_ids are not ForceNew; user_group_ids additions go out
 * as ModifyReplicationGroup UserGroupIdsToAdd with AuthTokenUpdateStrategy DELETE, "Transitioning to RBAC").
 *
 * Not provable offline (no AWS here): that ElastiCache accepts the modification on a live group and when it
 * takes effect (redisApplyImmediately false defers some modifications to the maintenance window), that a real
 * cache accepts a token signed by the bastion or redis:check (the signers are checked against AWS's published
 * examples and the AWS SDK instead, test/bastion/iam-auth-token.int.test.ts), and that AWS enforces each rule the
 * offline check applies to users and groups exactly as documented.
 */
import * as assert from "assert";
import { BASTION_ACCESS_STRING } from "../../infra/redis";
import { type Recording } from "../../scripts/offline-check";
import { Plan, recordStack, recordWith, TYPES, UNKNOWN } from "./program";

const USER = "aws:elasticache/user:User";
const USER_GROUP = "aws:elasticache/userGroup:UserGroup";

describe("redisAuthMode iam: the prod stack", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = new Plan(await recordStack("prod"));
    });

    it("creates a disabled default user and the bastion's IAM user (ID = name), in one user group", () => {
        const def = plan.one(USER, "-user-default").inputs;
        assert.deepStrictEqual(
            { ...def },
            {
                userId: "redis-prod-default",
                userName: "default",
                engine: "redis",
                accessString: "off -@all",
                authenticationMode: { type: "no-password-required" },
            },
        );
        const bastion = plan.one(USER, "-user-bastion").inputs;
        assert.strictEqual(bastion.userId, "redis-prod-bastion");
        assert.strictEqual(bastion.userName, bastion.userId);
        assert.deepStrictEqual(bastion.authenticationMode, { type: "iam" });
        assert.strictEqual(bastion.accessString, BASTION_ACCESS_STRING);
        const group = plan.one(USER_GROUP);
        assert.deepStrictEqual(group.inputs.userIds, ["redis-prod-default", "redis-prod-bastion"]);
        assert.strictEqual(group.inputs.userGroupId, "redis-prod-users");
        const users = plan.all(USER).map((u) => u.urn);
        assert.ok(
            users.every((u) => group.dependencies.includes(u)),
            "the group is created after its users",
        );
    });

    it("the replication group takes the user group and no AUTH token; no token, key or password exists", () => {
        const rg = plan.one(TYPES.replicationGroup);
        assert.deepStrictEqual(rg.inputs.userGroupIds, ["redis-prod-users"]);
        assert.strictEqual(rg.inputs.authToken, undefined);
        assert.strictEqual(rg.inputs.authTokenUpdateStrategy, "DELETE");
        assert.strictEqual(rg.inputs.transitEncryptionEnabled, true);
        assert.ok(rg.dependencies.includes(plan.one(USER_GROUP).urn));
        assert.deepStrictEqual(plan.all(TYPES.randomPassword), []);
        assert.deepStrictEqual(plan.all(TYPES.kmsKey), []);
        const params = plan.all(TYPES.ssmParameter).map((p) => p.inputs.name);
        assert.deepStrictEqual(params.sort(), ["/redis-stack/prod/endpoint", "/redis-stack/prod/replication-group-id"]);
        assert.strictEqual(plan.recording.outputs.redisAuthToken, undefined);
        assert.strictEqual(plan.recording.outputs.redisAuthMode, "iam");
        assert.strictEqual(plan.recording.outputs.redisUserId, "redis-prod-bastion");
    });

    it("the bastion role may connect to this replication group as its user only", () => {
        const policy = plan.one(TYPES.rolePolicy, "-bastion-read");
        // The ARNs are unknown in a preview; what the document is computed from is known.
        assert.strictEqual(policy.inputs.policy, UNKNOWN);
        const sources = plan.dependenciesOf(policy, "policy").map((r) => r.type);
        assert.ok(sources.includes(TYPES.replicationGroup), sources.join(", "));
        assert.ok(sources.includes(USER), sources.join(", "));
        assert.ok(!sources.includes(TYPES.kmsKey));
    });

    it("renders redis-connect for IAM: user, cache-name parameter and the signer in user-data, no secret", () => {
        const userData = String(plan.one(TYPES.instance).inputs.userData);
        assert.match(userData, /DEFAULT_AUTH_MODE='\\''iam'\\''/);
        assert.match(userData, /DEFAULT_USER='\\''redis-prod-bastion'\\''/);
        assert.match(userData, /replication-group-id/);
        assert.match(userData, /def presign\(/);
        assert.doesNotMatch(userData, /\/redis-stack\/prod\/auth-token/);
    });
});

describe("redisAuthMode token -> iam on an existing stack (the plan between the two)", function () {
    this.timeout(120_000);
    let before_: Recording;
    let after: Recording;
    before(async () => {
        [before_, after] = await Promise.all([
            recordWith({}),
            recordWith({ redisAuthMode: "iam", redisUsers: [{ name: "app", accessString: "on ~app:* +@read" }] }),
        ]);
    });

    /** "<type>::<name>" of a URN (its parent chain dropped). */
    const short = (urn: string) => {
        const [type, name] = urn.split("::").slice(-2);
        return `${type.split("$").pop()}::${name}`;
    };
    const urns = (r: Recording) => new Set(r.resources.filter((x) => x.custom).map((x) => x.urn));

    it("creates the users and the group, deletes the token, its parameter and its key, keeps everything else", () => {
        const was = urns(before_);
        const now = urns(after);
        const created = [...now].filter((u) => !was.has(u)).map(short);
        const deleted = [...was].filter((u) => !now.has(u)).map(short);
        assert.deepStrictEqual(created.sort(), [
            "aws:elasticache/user:User::redis-test-cache-user-app",
            "aws:elasticache/user:User::redis-test-cache-user-bastion",
            "aws:elasticache/user:User::redis-test-cache-user-default",
            "aws:elasticache/userGroup:UserGroup::redis-test-cache-users",
            "aws:ssm/parameter:Parameter::redis-test-cache-cache-name-param",
        ]);
        assert.deepStrictEqual(deleted.sort(), [
            "aws:kms/key:Key::redis-test-cache-token-key",
            "aws:ssm/parameter:Parameter::redis-test-cache-token-param",
            "random:index/randomPassword:RandomPassword::redis-test-cache-auth-token",
        ]);
    });

    it("updates the replication group in place: only the auth inputs change, none of them ForceNew", () => {
        const find = (r: Recording) => new Plan(r).one(TYPES.replicationGroup);
        const [a, b] = [find(before_), find(after)];
        assert.strictEqual(a.urn, b.urn);
        const keys = new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)]);
        const changed = [...keys].filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k])).sort();
        assert.deepStrictEqual(changed, ["authToken", "authTokenUpdateStrategy", "userGroupIds"]);
        assert.strictEqual(b.inputs.authTokenUpdateStrategy, "DELETE");
    });

    it("the bastion's user-data changes (it is replaced, userDataReplaceOnChange) and grants follow the mode", () => {
        const inst = (r: Recording) => new Plan(r).one(TYPES.instance);
        assert.notStrictEqual(inst(before_).inputs.userData, inst(after).inputs.userData);
        assert.strictEqual(inst(after).inputs.userDataReplaceOnChange, true);
        const app = new Plan(after).one(USER, "-user-app").inputs;
        assert.strictEqual(app.userId, "redis-test-app");
        assert.strictEqual(app.userName, "redis-test-app");
        assert.deepStrictEqual(new Plan(after).one(USER_GROUP).inputs.userIds, [
            "redis-test-default",
            "redis-test-bastion",
            "redis-test-app",
        ]);
    });
});
