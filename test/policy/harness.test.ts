// The harness must give policies what the engine gives them: the same cases through the harness and
// through @pulumi/policy's own Analyze/AnalyzeStack RPC functions must produce the same verdicts.

import { strict as assert } from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import {
    type EngineResult,
    type StackResource,
    UNKNOWN,
    type WireProps,
    engineAnalyze,
    engineAnalyzeStack,
    runResource,
    runStack,
    secret,
    stackUrn,
} from "./harness";

const U = UNKNOWN.string;
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";

const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);

interface Verdicts {
    diagnostics: { policy: string; level: string; message: string; urn: string }[];
    notApplicable: { policy: string; reason: string }[];
}

function sorted(v: Verdicts): Verdicts {
    const key = (x: object) => JSON.stringify(x);
    return {
        diagnostics: [...v.diagnostics].sort((a, b) => key(a).localeCompare(key(b))),
        notApplicable: [...v.notApplicable].sort((a, b) => key(a).localeCompare(key(b))),
    };
}

function fromEngine(r: EngineResult): Verdicts {
    return { diagnostics: r.diagnostics, notApplicable: r.notApplicable };
}

async function viaHarness(
    ps: (ResourceValidationPolicy | StackValidationPolicy)[],
    run: (p: ResourceValidationPolicy | StackValidationPolicy) => ReturnType<typeof runResource>,
): Promise<Verdicts> {
    const v: Verdicts = { diagnostics: [], notApplicable: [] };
    for (const p of ps) {
        const o = await run(p);
        o.violations.forEach((m, i) =>
            v.diagnostics.push({
                policy: p.name,
                level: p.enforcementLevel ?? "advisory",
                message: `${p.description}\n${m}`,
                urn: o.violationUrns[i] ?? "",
            }),
        );
        o.unknowns.forEach((m) => v.diagnostics.push({ policy: p.name, level: "advisory", message: m, urn: "" }));
        o.notApplicable.forEach((reason) => v.notApplicable.push({ policy: p.name, reason }));
    }
    return v;
}

const resourceCases: { title: string; type: string; props: WireProps }[] = [
    {
        title: "a compliant tutorial cache",
        type: RG,
        props: {
            nodeType: "cache.t3.micro",
            engine: "redis",
            engineVersion: "7.1",
            numCacheClusters: 1,
            transitEncryptionEnabled: true,
            atRestEncryptionEnabled: true,
            authToken: secret("Abcdefgh12345678"),
            snapshotRetentionLimit: 1,
            maintenanceWindow: "mon:00:00-mon:01:00",
            snapshotWindow: "03:00-04:00",
            securityGroupIds: [U],
            port: 6379,
        },
    },
    {
        title: "a cache violating most policies",
        type: RG,
        props: {
            nodeType: "cache.m5.large",
            engineVersion: "5.0.6",
            transitEncryptionEnabled: true,
            transitEncryptionMode: "preferred",
            snapshotRetentionLimit: 0,
            maintenanceWindow: "mon:03:00-mon:03:30",
            snapshotWindow: "03:00-04:00",
        },
    },
    {
        title: "a cache in preview with unknowns",
        type: RG,
        props: {
            nodeType: U,
            authToken: secret(U),
            transitEncryptionEnabled: UNKNOWN.bool,
            snapshotRetentionLimit: UNKNOWN.number,
        },
    },
    {
        title: "a world-open security group",
        type: SG,
        props: {
            ingress: [
                { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [U] },
            ],
        },
    },
    {
        title: "an IMDSv1 bastion with a plain root volume",
        type: "aws:ec2/instance:Instance",
        props: {
            instanceType: "t3.small",
            metadataOptions: { httpTokens: "optional" },
            rootBlockDevice: { encrypted: false },
        },
    },
    {
        title: "a launch template",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        props: { metadataOptions: { httpTokens: U } },
    },
    { title: "an unrelated resource", type: "aws:s3/bucket:Bucket", props: { bucket: "b" } },
];

describe("harness fidelity (same verdicts as @pulumi/policy's Analyze/AnalyzeStack)", () => {
    for (const c of resourceCases) {
        it(`Analyze: ${c.title}`, async () => {
            const engine = await engineAnalyze(policies, { type: c.type, name: "r", props: c.props });
            const harness = await viaHarness(resourcePolicies, (p) =>
                runResource(p, {
                    type: c.type,
                    name: "r",
                    props: c.props,
                    unconfigured: true,
                }),
            );
            assert.deepEqual(sorted(harness), sorted(fromEngine(engine)));
            assert.ok(engine.diagnostics.length + engine.notApplicable.length > 0, "the case exercises nothing");
        });
    }

    const sg: StackResource = { type: SG, name: "cache-sg", props: { vpcId: U } };
    const stackCases: { title: string; resources: StackResource[] }[] = [
        {
            title: "the project's shape, ids unknown",
            resources: [
                sg,
                {
                    type: RG,
                    name: "cache",
                    props: { securityGroupIds: [U], numCacheClusters: 1 },
                    propertyDependencies: { securityGroupIds: [stackUrn(sg)] },
                },
            ],
        },
        {
            title: "shared group and two nodes",
            resources: [
                sg,
                {
                    type: RG,
                    name: "cache",
                    props: { securityGroupIds: [U], numCacheClusters: 2 },
                    propertyDependencies: { securityGroupIds: [stackUrn(sg)] },
                },
                {
                    type: "aws:ec2/instance:Instance",
                    name: "bastion",
                    props: { vpcSecurityGroupIds: [U] },
                    propertyDependencies: { vpcSecurityGroupIds: [stackUrn(sg)] },
                    parent: stackUrn(sg),
                    dependencies: [stackUrn(sg)],
                },
            ],
        },
        {
            title: "unknown ids and counts",
            resources: [
                { type: RG, name: "cache", props: { securityGroupIds: [U], numCacheClusters: UNKNOWN.number } },
            ],
        },
        { title: "no cache", resources: [sg] },
    ];
    for (const c of stackCases) {
        it(`AnalyzeStack: ${c.title}`, async () => {
            const engine = await engineAnalyzeStack(policies, c.resources);
            const harness = await viaHarness(stackPolicies, (p) =>
                runStack(p as StackValidationPolicy, c.resources, { unconfigured: true }),
            );
            assert.deepEqual(sorted(harness), sorted(fromEngine(engine)));
        });
    }
});
