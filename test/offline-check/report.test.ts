import * as assert from "assert";
import { type PackInfo, type Violation } from "../../scripts/offline-check/analyzer/wire";
import { type RecordedResource, SECRET_SIG, SIG_KEY, UNKNOWN } from "../../scripts/offline-check/recorder/recording";
import { formatJson } from "../../scripts/offline-check/report/json";
import { formatMarkdown } from "../../scripts/offline-check/report/markdown";
import {
    type OfflineCheckReport,
    displayType,
    renderValue,
    shortUrn,
    treeLines,
    violationDetail,
} from "../../scripts/offline-check/report/report";
import { formatSarif } from "../../scripts/offline-check/report/sarif";
import { formatText } from "../../scripts/offline-check/report/text";
import { estimateMonthlyCost } from "../../policy/shared";

const STACK = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
const opts = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { create: "", update: "", delete: "" },
    additionalSecretOutputs: [],
};

function res(
    type: string,
    name: string,
    parent: string,
    inputs: Record<string, unknown> = {},
    extra: Partial<RecordedResource> = {},
): RecordedResource {
    const urn =
        parent && parent !== STACK
            ? `urn:pulumi:dev::demo::${parent.split("::")[2]}$${type}::${name}`
            : `urn:pulumi:dev::demo::${type}::${name}`;
    return {
        urn,
        type,
        name,
        parent,
        custom: true,
        provider: "",
        inputs,
        dependencies: [],
        propertyDependencies: {},
        options: opts,
        ...extra,
    };
}

const stack = res("pulumi:pulumi:Stack", "demo-dev", "", {}, { custom: false });
const provider = res("pulumi:providers:aws", "default_7_48_0", "", { region: "eu-west-1" }, { defaultProvider: true });
const net = res("demo:index:Network", "net", STACK, {}, { custom: false });
const vpc = res("aws:ec2/vpc:Vpc", "vpc", net.urn, { cidrBlock: "10.0.0.0/16", id: UNKNOWN });
const cache = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", STACK, {
    authToken: { [SIG_KEY]: SECRET_SIG, value: "hunter2-hunter2-hunter2" },
    securityGroupIds: [UNKNOWN],
    userData: "x".repeat(300),
    nodeType: "cache.t3.micro",
    numCacheClusters: 1,
});
const pack: PackInfo = {
    name: "guardrails",
    displayName: "",
    version: "0.1.0",
    initialConfig: {},
    policies: [
        {
            name: "at-rest",
            displayName: "At rest",
            description: "Encrypt at rest.",
            enforcementLevel: "mandatory",
            policyType: "resource",
            severity: "high",
        },
        {
            name: "hours",
            displayName: "",
            description: "Free hours.",
            enforcementLevel: "advisory",
            policyType: "stack",
            severity: "",
        },
    ],
};
const violations: Violation[] = [
    {
        policy: "hours",
        enforcementLevel: "advisory",
        urn: STACK,
        message: "Free hours.\n2 nodes",
        description: "Free hours.",
        severity: "",
    },
    {
        policy: "at-rest",
        enforcementLevel: "mandatory",
        urn: cache.urn,
        message: "Encrypt at rest.\natRestEncryptionEnabled is false",
        description: "Encrypt at rest.",
        severity: "high",
    },
];
const report: OfflineCheckReport = {
    recording: {
        project: "demo",
        stack: "dev",
        resources: [stack, provider, net, vpc, cache],
        outputs: { endpoint: UNKNOWN, port: 6379 },
    },
    pack,
    violations,
    cost: estimateMonthlyCost(
        [stack, provider, net, vpc, cache].map((r) => ({
            urn: r.urn,
            type: r.type,
            props: r.inputs,
            custom: r.custom,
        })),
        { region: "us-east-1", freeTier: "always-free-only" },
    ),
    mainFile: "infra/index.ts",
    stackFile: "Pulumi.dev.yaml",
};

describe("offline-check/report", () => {
    it("renders values: secrets and unknowns never show their content, long values are cut", () => {
        assert.strictEqual(renderValue({ [SIG_KEY]: SECRET_SIG, value: "pw" }), "[secret]");
        assert.strictEqual(renderValue([UNKNOWN, "a"]), '[[unknown], "a"]');
        assert.strictEqual(renderValue({ a: 1, b: { c: true } }), "{a: 1, b: {c: true}}");
        assert.match(renderValue("y".repeat(500), 40), /^"y{38}… \(502 chars\)$/);
        assert.strictEqual(
            displayType("aws:elasticache/replicationGroup:ReplicationGroup"),
            "aws:elasticache:ReplicationGroup",
        );
        assert.strictEqual(shortUrn(vpc.urn), "aws:ec2:Vpc vpc");
        assert.strictEqual(violationDetail(violations[1]), "atRestEncryptionEnabled is false");
    });

    it("orders the tree by parent and hides default providers, as pulumi preview does", () => {
        const lines = treeLines(report.recording.resources).map((l) => l.prefix + l.resource.name);
        assert.deepStrictEqual(lines, ["demo-dev", "├─ net", "│  └─ vpc", "└─ cache"]);
    });

    it("text: plan with create markers and key inputs, outputs, verdicts grouped by policy, summary", () => {
        const text = formatText(report);
        assert.match(text, /^ \+ {2}pulumi:pulumi:Stack +demo-dev$/m);
        assert.match(text, /^ \+ {2}│ {2}└─ aws:ec2:Vpc +vpc$/m);
        assert.match(text, /cidrBlock: "10\.0\.0\.0\/16"/);
        assert.match(text, /authToken +: \[secret\]/);
        assert.ok(!text.includes("hunter2"));
        assert.match(text, /securityGroupIds: \[\[unknown\]\]/);
        assert.ok(!text.includes("default_7_48_0"));
        assert.match(text, /Outputs:\n {4}endpoint: \[unknown\]\n {4}port {4}: 6379/);
        assert.ok(text.indexOf("[mandatory] at-rest") < text.indexOf("[advisory] hours"), "mandatory first");
        assert.match(text, /- aws:elasticache:ReplicationGroup cache: atRestEncryptionEnabled is false/);
        assert.match(
            text,
            /Policy check FAILED for stack dev: 4 resources to create, 1 mandatory and 1 advisory policy violation \(guardrails@v0\.1\.0, 2 policies\)\n$/,
        );
    });

    it("json: resources as recorded and violations with policy, enforcementLevel, urn and message", () => {
        const doc = JSON.parse(formatJson(report));
        assert.strictEqual(doc.resources.length, 5);
        assert.strictEqual(doc.resources[4].inputs.authToken, "[secret]");
        assert.doesNotMatch(formatJson(report), /hunter2/);
        assert.deepStrictEqual(doc.violations, [
            {
                policy: "at-rest",
                enforcementLevel: "mandatory",
                urn: cache.urn,
                message: "Encrypt at rest.\natRestEncryptionEnabled is false",
            },
            { policy: "hours", enforcementLevel: "advisory", urn: STACK, message: "Free hours.\n2 nodes" },
        ]);
        assert.deepStrictEqual(doc.summary, { toCreate: 4, mandatory: 1, advisory: 1 });
        assert.deepStrictEqual(doc.cost, JSON.parse(JSON.stringify(report.cost)));
    });

    it("text and markdown show the cost table and totals; SARIF has no cost", () => {
        const [line] = report.cost.resources.filter((l) => l.monthly > 0);
        assert.ok(line, "the cache is priced");
        const money = `$${line.monthly.toFixed(2)}`;
        const text = formatText(report);
        assert.match(
            text,
            new RegExp(`^Cost: \\${money}/month at list price, .*\\(us-east-1, 730 h, prices as of `, "m"),
        );
        assert.match(
            text,
            new RegExp(`^ +\\${money} +\\${money} {2}aws\\.elasticache\\.ReplicationGroup cache: `, "m"),
        );
        assert.match(text, /^ {2}free tier: /m);
        const md = formatMarkdown(report);
        assert.match(md, /^### Monthly cost$/m);
        assert.match(md, new RegExp(`^\\| aws\\.elasticache\\.ReplicationGroup cache \\| \\${money} \\|`, "m"));
        assert.match(md, /^\| \*\*total\*\* \|/m);
        assert.ok(md.indexOf("### Monthly cost") < md.indexOf("<details>"), "the cost before the folded plan");
        const sarif = formatSarif(report, "1.2.3");
        assert.ok(!/cost|monthly/i.test(sarif), "SARIF carries verdicts only");
    });

    it("markdown: verdict, a table of violations with escaped cells, the plan folded", () => {
        const md = formatMarkdown({
            ...report,
            violations: [{ ...violations[1], message: "a | b\nc in policy/config/<stack>.json & more" }],
        });
        assert.match(md, /^### ❌ Policy check: stack `dev`/);
        assert.match(
            md,
            /\| mandatory \| `at-rest` \| `aws:elasticache:ReplicationGroup cache` \| a \\\| b<br>c in policy\/config\/&lt;stack&gt;\.json &amp; more \|/,
        );
        assert.match(md, /<details><summary>Plan: 4 resources to create<\/summary>\n\n```\n/);
        assert.match(formatMarkdown({ ...report, violations: [] }), /^### ✅/);
        assert.match(
            formatText({ ...report, violations: [] }),
            /^Policies \(guardrails@v0\.1\.0\):\n {4}no violations \(2 policies\)$/m,
        );
    });

    it("sarif: a valid 2.1.0 log, one rule per policy, error/warning results located in the program and at the URN", () => {
        const log = JSON.parse(formatSarif(report, "1.2.3"));
        assert.strictEqual(log.version, "2.1.0");
        assert.match(log.$schema, /sarif-2\.1\.0/);
        assert.strictEqual(log.runs.length, 1);
        const run = log.runs[0];
        assert.strictEqual(run.tool.driver.name, "redis-stack-check");
        assert.strictEqual(run.tool.driver.version, "1.2.3");
        assert.deepStrictEqual(
            run.tool.driver.rules.map((r: { id: string }) => r.id),
            ["at-rest", "hours"],
        );
        assert.strictEqual(run.tool.driver.rules[0].fullDescription.text, "Encrypt at rest.");
        assert.strictEqual(run.tool.driver.rules[0].defaultConfiguration.level, "error");
        assert.strictEqual(run.tool.driver.rules[1].defaultConfiguration.level, "warning");
        assert.strictEqual(run.automationDetails.id, "redis-stack-check/dev/");
        const [first, second] = run.results;
        assert.strictEqual(first.ruleId, "at-rest");
        assert.strictEqual(first.ruleIndex, 0);
        assert.strictEqual(first.level, "error");
        assert.strictEqual(second.level, "warning");
        assert.strictEqual(second.ruleIndex, 1);
        assert.match(first.message.text, /atRestEncryptionEnabled is false/);
        const loc = first.locations[0];
        assert.deepStrictEqual(loc.physicalLocation.artifactLocation, {
            uri: "infra/index.ts",
            uriBaseId: "%SRCROOT%",
        });
        assert.strictEqual(loc.physicalLocation.region.startLine, 1);
        assert.strictEqual(loc.logicalLocations[0].fullyQualifiedName, cache.urn);
        assert.match(first.partialFingerprints["redisStackCheck/v1"], /^[0-9a-f]{64}$/);
        assert.notStrictEqual(
            first.partialFingerprints["redisStackCheck/v1"],
            second.partialFingerprints["redisStackCheck/v1"],
        );
    });
});
