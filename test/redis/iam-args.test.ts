// redis:check --iam: its flags and the stack outputs it reads (pure).
import { strict as assert } from "assert";
import { parseRedisCheckArgs } from "../../scripts/redis-check/cli";
import { parseStackOutputs } from "../../scripts/redis-check/stack-outputs";

describe("redis-check --iam arguments and stack outputs", () => {
    it("reads --iam with --cache-name and --region", () => {
        const a = parseRedisCheckArgs([
            "--iam",
            "--user",
            "redis-prod-bastion",
            "--cache-name",
            "redis-prod-cache-group-1a2b3c4",
            "--region",
            "eu-west-1",
        ]);
        assert.equal(a.iam, true);
        assert.equal(a.user, "redis-prod-bastion");
        assert.equal(a.cacheName, "redis-prod-cache-group-1a2b3c4");
        assert.equal(a.region, "eu-west-1");
    });
    it("refuses --cache-name and --region without --iam, and bad values, naming them", () => {
        assert.throws(() => parseRedisCheckArgs(["--cache-name", "x"]), /--cache-name needs --iam/);
        assert.throws(() => parseRedisCheckArgs(["--region", "us-east-1"]), /--region needs --iam/);
        assert.throws(
            () => parseRedisCheckArgs(["--iam", "--cache-name", "1bad"]),
            /--cache-name must be a replication group ID.*'1bad'/,
        );
        assert.throws(
            () => parseRedisCheckArgs(["--iam", "--region", "mars"]),
            /--region must be an AWS Region such as us-east-1, got 'mars'/,
        );
    });
    it("reads the iam mode's outputs; a token stack's outputs have none of them", () => {
        const iam = parseStackOutputs(
            JSON.stringify({
                redisEndpoint: "clustercfg.x.cache.amazonaws.com",
                redisPort: 6379,
                redisAuthMode: "iam",
                redisUserId: "redis-prod-bastion",
                redisReplicationGroupId: "redis-prod-cache-group-1a2b3c4",
                region: "us-east-1",
            }),
        );
        assert.deepEqual(
            [iam.authMode, iam.userId, iam.replicationGroupId, iam.region],
            ["iam", "redis-prod-bastion", "redis-prod-cache-group-1a2b3c4", "us-east-1"],
        );
        const token = parseStackOutputs(
            JSON.stringify({ redisEndpoint: "h", redisPort: 6379, redisAuthTokenParameter: "/p" }),
        );
        assert.ok(!("authMode" in token) && !("userId" in token));
        assert.throws(
            () => parseStackOutputs(JSON.stringify({ redisEndpoint: "h", redisPort: 6379, redisAuthMode: "password" })),
            /redisAuthMode must be "token" or "iam", got "password"/,
        );
    });
});
