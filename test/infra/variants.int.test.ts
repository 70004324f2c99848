/**
 * The program under the mock runtime with configurations other than the shipped stacks': options that change
 * what is created, and bad values that must stop the program before anything is registered.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { recordProgram } from "../../scripts/offline-check/recorder/program-process";
import { isSecret, Plan, recordWith, tempProject, TYPES } from "./program";

describe("program variants under the mock runtime", function () {
    it("opens SSH only to the configured CIDRs, IPv4 and IPv6", async () => {
        const plan = new Plan(await recordWith({ sshAllowedCidrs: ["203.0.113.7/32", "2001:db8::/48"] }));
        const bastionSg = plan.one(TYPES.securityGroup, "-bastion-sg");
        const rules = plan
            .usersOf(bastionSg)
            .filter((u) => u.resource.type === TYPES.ingressRule && u.key === "securityGroupId")
            .map((u) => u.resource.inputs);
        assert.deepStrictEqual(
            rules.map((r) => [r.fromPort, r.toPort, r.cidrIpv4, r.cidrIpv6]),
            [
                [22, 22, "203.0.113.7/32", undefined],
                [22, 22, undefined, "2001:db8::/48"],
            ],
        );
    });

    it("attaches the SSM managed policy of the stack's partition (aws-us-gov, aws-cn), not the aws one", async () => {
        for (const [region, partition] of [
            ["us-gov-west-1", "aws-us-gov"],
            ["cn-north-1", "aws-cn"],
            ["eu-west-1", "aws"],
        ]) {
            const dir = tempProject({});
            try {
                const file = path.join(dir, "Pulumi.test.yaml");
                fs.writeFileSync(
                    file,
                    fs.readFileSync(file, "utf8").replace(/aws:region: .*/, `aws:region: ${region}`),
                );
                const plan = new Plan(await recordProgram({ programDir: dir, stack: "test" }));
                const arns = plan.all(TYPES.rolePolicyAttachment).map((a) => a.inputs.policyArn);
                assert.deepStrictEqual(arns, [`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`], region);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
    });

    it("uses a configured AUTH token as a secret everywhere and generates none", async () => {
        const token = "a-configured-token-0123456789";
        const plan = new Plan(await recordWith({ redisAuthToken: token }));
        assert.deepStrictEqual(plan.all(TYPES.randomPassword), []);
        const group = plan.one(TYPES.replicationGroup);
        assert.ok(isSecret(group.inputs.authToken), "the replication group's token is a secret");
        assert.strictEqual(group.inputs.authToken.value, token);
        const parameter = plan.all(TYPES.ssmParameter).find((p) => p.inputs.type === "SecureString")!;
        assert.ok(isSecret(parameter.inputs.value));
        assert.ok(isSecret(plan.recording.outputs.redisAuthToken), "the stack output is a secret");
        const userData = String(plan.one(TYPES.instance).inputs.userData);
        assert.ok(!userData.includes(token), "the token never enters user-data");
    });

    it("brings an existing VPC: creates no network, uses the given subnets", async () => {
        const plan = new Plan(
            await recordWith({
                vpcId: "vpc-0123456789abcdef0",
                privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                publicSubnetId: "subnet-0bbbbbbbbbbbbbbb1",
            }),
        );
        for (const type of [
            TYPES.vpc,
            TYPES.subnet,
            TYPES.internetGateway,
            TYPES.routeTable,
            TYPES.defaultSecurityGroup,
        ]) {
            assert.deepStrictEqual(plan.all(type), [], `no ${type}`);
        }
        assert.deepStrictEqual(plan.one(TYPES.cacheSubnetGroup).inputs.subnetIds, [
            "subnet-0aaaaaaaaaaaaaaa1",
            "subnet-0aaaaaaaaaaaaaaa2",
        ]);
        assert.strictEqual(plan.one(TYPES.instance).inputs.subnetId, "subnet-0bbbbbbbbbbbbbbb1");
        assert.strictEqual(plan.one(TYPES.securityGroup, "-cache-sg").inputs.vpcId, "vpc-0123456789abcdef0");
        assert.strictEqual(plan.recording.outputs.vpcId, "vpc-0123456789abcdef0");
    });

    it("runs valkey with its parameter group family, a Graviton bastion on the arm64 AMI, extra clients and options", async () => {
        const plan = new Plan(
            await recordWith({
                redisEngine: "valkey",
                bastionInstanceType: "t4g.small",
                clientSecurityGroupIds: ["sg-0123456789abcdef0"],
                notificationTopicArn: "arn:aws:sns:us-east-1:123456789012:ops",
                snapshotArns: ["arn:aws:s3:::backups/redis.rdb"],
                redisPort: 6380,
            }),
        );
        const group = plan.one(TYPES.replicationGroup);
        assert.deepStrictEqual(
            [group.inputs.engine, group.inputs.engineVersion, group.inputs.port],
            ["valkey", "8.0", 6380],
        );
        assert.strictEqual(plan.one(TYPES.parameterGroup).inputs.family, "valkey8");
        assert.strictEqual(group.inputs.notificationTopicArn, "arn:aws:sns:us-east-1:123456789012:ops");
        assert.deepStrictEqual(group.inputs.snapshotArns, ["arn:aws:s3:::backups/redis.rdb"]);
        const instance = plan.one(TYPES.instance);
        assert.strictEqual(
            instance.inputs.ami,
            "ami-0f9d5a6c8a1b2e3d4",
            "the mock's answer for the AL2023 arm64 parameter",
        );
        const cacheSg = plan.one(TYPES.securityGroup, "-cache-sg");
        const ingress = plan
            .usersOf(cacheSg)
            .filter((u) => u.resource.type === TYPES.ingressRule)
            .map((u) => u.resource.inputs);
        assert.deepStrictEqual(
            ingress.map((i) => [i.fromPort, i.referencedSecurityGroupId]).sort(),
            [
                [6380, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"],
                [6380, "sg-0123456789abcdef0"],
            ],
            "the bastion's group (unknown id) and the extra client",
        );
    });

    /** Runs the real program on `overrides`; it must fail with every pattern named and register nothing. */
    async function stopsBeforeRegistering(overrides: Record<string, unknown>, patterns: RegExp[]): Promise<void> {
        // The real program, entered through a wrapper that counts what reaches the (mock) engine.
        const counter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "redis-stack-count-")), "count.json");
        const wrapper = path.join(path.dirname(counter), "index.ts");
        fs.writeFileSync(
            wrapper,
            `
            const settings = require(${JSON.stringify(require.resolve("@pulumi/pulumi/runtime/settings"))});
            const fs = require("fs");
            const monitor = settings.getMonitor();
            const registered: string[] = [];
            const register = monitor.registerResource.bind(monitor);
            monitor.registerResource = (req: any, cb: any) => { registered.push(req.getType()); return register(req, cb); };
            try {
                module.exports = require(${JSON.stringify(path.resolve(__dirname, "../../infra"))});
            } finally {
                fs.writeFileSync(${JSON.stringify(counter)}, JSON.stringify(registered));
            }
        `,
        );
        const dir = tempProject(overrides, wrapper);
        try {
            await assert.rejects(recordProgram({ programDir: dir, stack: "test" }), (error: Error) => {
                for (const pattern of patterns) {
                    assert.match(error.message, pattern);
                }
                return true;
            });
            const registered = JSON.parse(fs.readFileSync(counter, "utf8")) as string[];
            assert.deepStrictEqual(
                registered.filter((t) => t !== "pulumi:pulumi:Stack"),
                [],
                "nothing but the root stack was registered",
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            fs.rmSync(path.dirname(counter), { recursive: true, force: true });
        }
    }

    it("stops on bad config with every problem named, before registering any resource", () =>
        stopsBeforeRegistering(
            { snapshotRetentionDays: 40, sshAllowedCidrs: ["0.0.0.0/0"], redisEngineVersion: "6.2" },
            [
                /redis-stack:snapshotRetentionDays must be a whole number from 0 to 35, got "40"/,
                /redis-stack:sshAllowedCidrs must not open SSH to the whole internet/,
                /redis-stack:redisEngineVersion must be redis 7.0 or later/,
            ],
        ));

    it("judges the redis-cli pin in the config layer, beside other problems (issue #8): version, credentials", () =>
        stopsBeforeRegistering(
            {
                redisCliVersion: "12345.1.1",
                redisCliSourceUrl: "https://user:pw@mirror.example.com/redis.tar.gz",
                redisCliSha256: "a".repeat(64),
                sshAllowedCidrs: ["0.0.0.0/1", "128.0.0.0/1"],
            },
            [
                /redis-stack:redisCliVersion must be a Redis release such as 7.2.15 .*got "12345.1.1"/,
                /redis-stack:redisCliSourceUrl .*credentials never go into user-data/,
                /redis-stack:sshAllowedCidrs must not open SSH to the whole internet \(together these cover all of IPv4\)/,
            ],
        ));

    it("judges a non-ASCII redis-cli source URL in the config layer, beside other problems", () =>
        stopsBeforeRegistering(
            {
                redisCliSourceUrl: "https://mirror.example.com/rédis.tar.gz",
                redisCliSha256: "a".repeat(64),
                redisPort: 80,
            },
            [
                /redis-stack:redisCliSourceUrl .*printable ASCII without blanks/,
                /redis-stack:redisPort must be a whole number from 1024 to 65535/,
            ],
        ));
});
