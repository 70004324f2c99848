import { strict as assert } from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { BUDGET_POLICY, stackMonthlyBudget } from "../../policy/budget";
import {
    type StackResource,
    UNKNOWN,
    assertPass,
    assertViolations,
    reconcileFile,
    runStack,
    stackUrn,
} from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const provider = (region?: string): StackResource => ({
    type: "pulumi:providers:aws",
    name: "default_7_48_0",
    props: region === undefined ? {} : { region },
});
const dev: StackResource[] = [
    provider("us-east-1"),
    { type: "aws:ec2/vpc:Vpc", name: "vpc", props: {} },
    { type: RG, name: "cache", props: { nodeType: "cache.t3.micro", numCacheClusters: 1, snapshotRetentionLimit: 1 } },
    {
        type: "aws:ec2/instance:Instance",
        name: "bastion",
        props: {
            instanceType: "t3.micro",
            associatePublicIpAddress: true,
            rootBlockDevice: { volumeSize: 8, volumeType: "gp3" },
        },
    },
    { type: "aws:kms/key:Key", name: "key", props: { enableKeyRotation: true } },
];
const prod: StackResource[] = [
    provider("us-east-1"),
    ...dev.slice(1, 2),
    { type: RG, name: "cache", props: { nodeType: "cache.m7g.large", numNodeGroups: 3, replicasPerNodeGroup: 1 } },
    ...dev.slice(3),
];
const DEV_CONFIG = JSON.parse(readFileSync(path.join(__dirname, "../../policy/config/dev.json"), "utf8")) as Record<
    string,
    unknown
>;

describe("stack-monthly-budget", () => {
    it("dev's own config (mandatory, $1 after the free tier) passes dev with its t2.micro bastion: only the KMS key costs", async () => {
        const devStack = dev.map((r) =>
            r.name === "bastion" ? { ...r, props: { ...r.props, instanceType: "t2.micro" } } : r,
        );
        assertPass(
            await runStack(stackMonthlyBudget, devStack, { config: { [BUDGET_POLICY]: DEV_CONFIG[BUDGET_POLICY] } }),
        );
    });
    it("dev's own config refuses a t3.micro bastion in us-east-1 ($7.59 beyond the free tier)", async () => {
        const o = await runStack(stackMonthlyBudget, dev, { config: { [BUDGET_POLICY]: DEV_CONFIG[BUDGET_POLICY] } });
        assertViolations(
            o,
            "stack",
            /^stack: estimated monthly cost \$8\.59 \(after the free tier, us-east-1\) exceeds the budget \$1\.00/,
        );
    });
    it("dev's config passes dev's planned outputs (what the provider computes unknown) on AWS's defaults", async () => {
        const U = UNKNOWN.string;
        const planned = dev.map((r) => {
            if (r.name === "bastion") {
                return { ...r, props: { ...r.props, instanceType: "t2.micro", tenancy: U, ebsBlockDevices: U } };
            }
            if (r.type === RG) {
                return { ...r, props: { ...r.props, engine: U, numNodeGroups: U, replicasPerNodeGroup: U } };
            }
            return r;
        });
        const config = { config: { [BUDGET_POLICY]: DEV_CONFIG[BUDGET_POLICY] } };
        assertPass(await runStack(stackMonthlyBudget, planned, config));
        // The same unknown count, set by the program from another resource's output: unpriced, a violation here.
        const setFromOutput = planned.map((r) =>
            r.type === RG
                ? {
                      ...r,
                      props: { ...r.props, numCacheClusters: U },
                      propertyDependencies: { numCacheClusters: [stackUrn(dev[1])] },
                  }
                : r,
        );
        assertViolations(
            await runStack(stackMonthlyBudget, setFromOutput, config),
            "stack",
            /could not be priced.*cache \(numCacheClusters is unknown until apply\)/,
        );
    });
    it("names the total, the budget and the three largest items", async () => {
        const o = await runStack(stackMonthlyBudget, prod, { config: { [BUDGET_POLICY]: { maxMonthlyUsd: 50 } } });
        assertViolations(
            o,
            "stack",
            /^stack: estimated monthly cost \$704\.92 \(list price, us-east-1\) exceeds the budget \$50\.00; largest: aws\.elasticache\.ReplicationGroup cache \$692\.04, aws\.ec2\.Instance bastion \$11\.88, aws\.kms\.Key key \$1\.00; free tier: legacy-12-month\. Fix: .*maxMonthlyUsd/,
        );
    });
    it("lists the three largest by cost whatever the stack order, and only priced items", async () => {
        const key = (name: string): StackResource => ({ type: "aws:kms/key:Key", name, props: {} });
        const [vpc, cache, bastion] = prod.slice(1, 4);
        const config = { config: { [BUDGET_POLICY]: { maxMonthlyUsd: 50 } } };
        assertViolations(
            await runStack(
                stackMonthlyBudget,
                [provider("us-east-1"), key("k1"), vpc, bastion, cache, key("k2")],
                config,
            ),
            "stack",
            /; largest: aws\.elasticache\.ReplicationGroup cache \$692\.04, aws\.ec2\.Instance bastion \$11\.88, aws\.kms\.Key k1 \$1\.00; free tier: /,
        );
        const tight = { config: { [BUDGET_POLICY]: { maxMonthlyUsd: 0.5 } } };
        assertViolations(
            await runStack(stackMonthlyBudget, [provider("us-east-1"), vpc, key("k1")], tight),
            "stack",
            /; largest: aws\.kms\.Key k1 \$1\.00; free tier: /,
        );
    });
    it("says none are largest when nothing is priced, and leaves components (not billed) out", async () => {
        const o = await runStack(
            stackMonthlyBudget,
            [
                provider("us-east-1"),
                { type: "redis-stack:cache:Cache", name: "cache", props: {} },
                { type: "aws:rds/instance:Instance", name: "db", props: {} },
                { type: "aws:rds/instance:Instance", name: "db2", props: {} },
            ],
            { config: { [BUDGET_POLICY]: { unpricedIsViolation: true } } },
        );
        assertViolations(
            o,
            "stack",
            /but 2 resource\(s\) could not be priced; largest: none; unpriced: db \([^)]*\), db2 \(/,
        );
    });
    it("takes the region from the aws provider only, not from another resource's region input", async () => {
        const elsewhere: StackResource = { type: "aws:kms/key:Key", name: "k", props: { region: "ap-northeast-2" } };
        const o = await runStack(stackMonthlyBudget, [elsewhere, provider("us-east-1")], {
            config: { [BUDGET_POLICY]: { maxMonthlyUsd: 0.5 } },
        });
        assert.match(o.violations[0], /\(list price, us-east-1\)/);
    });
    it("applies to the after-free-tier figure when configured", async () => {
        const config = { [BUDGET_POLICY]: { maxMonthlyUsd: 0.5, appliesTo: "afterFreeTier" } };
        assertViolations(
            await runStack(stackMonthlyBudget, dev, { config }),
            "stack",
            /\$8\.59 \(after the free tier, us-east-1\) exceeds the budget \$0\.50; largest: aws\.ec2\.Instance bastion \$7\.59, aws\.kms\.Key key \$1\.00;/,
        );
    });
    it("prices the configured region, else the provider's, else us-east-1 said to be assumed", async () => {
        const tight = { maxMonthlyUsd: 1 };
        const seoul = await runStack(stackMonthlyBudget, dev, {
            config: { [BUDGET_POLICY]: { ...tight, region: "ap-northeast-2" } },
        });
        assert.match(seoul.violations[0], /\(list price, ap-northeast-2\)/);
        const fromProvider = await runStack(stackMonthlyBudget, [provider("ap-northeast-2"), ...dev.slice(1)], {
            config: { [BUDGET_POLICY]: tight },
        });
        assert.match(fromProvider.violations[0], /\(list price, ap-northeast-2\)/);
        const none = await runStack(stackMonthlyBudget, [provider(), ...dev.slice(1)], {
            config: { [BUDGET_POLICY]: tight },
        });
        assert.match(
            none.violations[0],
            /\(list price, us-east-1, assumed: set "region" in policy\/config\/<stack>\.json \("stack-monthly-budget": \{ "region": \.\.\. \}\)\)/,
        );
    });
    it("an unknown region or an unpriced resource is reported, never taken as free", async () => {
        const o = await runStack(
            stackMonthlyBudget,
            [...dev, { type: "aws:rds/instance:Instance", name: "db", props: {} }],
            {
                config: { [BUDGET_POLICY]: { maxMonthlyUsd: 1000, unpricedIsViolation: true } },
            },
        );
        assertViolations(
            o,
            "stack",
            /within the budget \$1000\.00 but 1 resource\(s\) could not be priced.*unpriced: db \(the estimate has no pricing rule/,
        );
        const r = await runStack(stackMonthlyBudget, dev, {
            config: { [BUDGET_POLICY]: { maxMonthlyUsd: 1000, region: "xx-nowhere-1", unpricedIsViolation: true } },
        });
        assert.match(r.violations[0], /no prices for region "xx-nowhere-1"/);
        // Unless told to, a stack within the budget passes with unpriced resources (the report lists them).
        assertPass(
            await runStack(stackMonthlyBudget, dev, { config: { [BUDGET_POLICY]: { region: "xx-nowhere-1" } } }),
        );
    });
    it("an input unknown in preview makes that resource unpriced rather than failing the policy", async () => {
        const o = await runStack(
            stackMonthlyBudget,
            [provider("us-east-1"), { type: RG, name: "c", props: { nodeType: UNKNOWN.string } }],
            { config: { [BUDGET_POLICY]: { unpricedIsViolation: true } } },
        );
        assert.deepEqual(o.unknowns, []);
        assert.match(o.violations[0], /unpriced: c \(nodeType is unknown until apply\)/);
    });
    it("is advisory by default and refuses a bad setting", () => {
        assert.equal(stackMonthlyBudget.enforcementLevel, "advisory");
        assert.throws(
            () => reconcileFile(JSON.stringify({ [BUDGET_POLICY]: { appliesTo: "net" } }), "test"),
            /appliesTo/,
        );
    });
});
