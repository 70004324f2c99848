// The real pack, served the way the offline checker and the Pulumi CLI start it
// (`node -r ts-node/register/transpile-only index.ts`, cwd policy/), spoken to over its gRPC Analyzer service.

import { strict as assert } from "assert";
import { type ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { PACK_NAME } from "../../policy/policies";
import { UNKNOWN, secret, urnOf } from "./harness";

/* eslint-disable @typescript-eslint/no-require-imports */
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
    AnalyzerClient: new (addr: string, creds: grpc.ChannelCredentials) => grpc.Client;
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, resp: never) => void) => void;
const LEVEL: Record<number, string> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("the policy pack served over gRPC", function () {
    this.timeout(30000);
    let child: ChildProcess | undefined;
    let client: grpc.Client & Record<string, Unary>;
    let stderr = "";

    const call = <T>(method: string, req: unknown) =>
        new Promise<T>((resolve, reject) =>
            client[method].call(client, req, (err, resp) => (err ? reject(err) : resolve(resp as T))),
        );

    before(async () => {
        child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
            cwd: path.join(__dirname, "..", "..", "policy"),
            stdio: ["ignore", "pipe", "pipe"],
        });
        child.stderr?.on("data", (d) => (stderr += String(d)));
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no port within 20 s; stderr: ${stderr}`)), 20000);
            let out = "";
            child?.stdout?.on("data", (d) => {
                out += String(d);
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child?.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`pack exited ${code}: ${stderr}`));
            });
        });
        client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as typeof client;
    });

    after(() => {
        client?.close();
        if (child && child.exitCode === null) child.kill("SIGTERM");
    });

    function analyzeRequest(props: Record<string, unknown>) {
        const req = new pb.AnalyzeRequest();
        req.setType(RG);
        req.setName("cache");
        req.setUrn(urnOf(RG, "cache"));
        req.setProperties(Struct.fromJavaScript(props as never));
        req.setOptions(new pb.AnalyzerResourceOptions());
        return req;
    }
    type Diag = { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string };
    const diagnostics = async (props: Record<string, unknown>) =>
        (await call<{ getDiagnosticsList(): Diag[] }>("analyze", analyzeRequest(props)))
            .getDiagnosticsList()
            .map((d) => ({
                policy: d.getPolicyname(),
                level: LEVEL[d.getEnforcementlevel()],
                message: d.getMessage(),
            }));

    async function configure(config: Record<string, Record<string, unknown>>) {
        const req = new pb.ConfigureAnalyzerRequest();
        for (const [name, { enforcementLevel, ...props }] of Object.entries(config)) {
            const c = new pb.PolicyConfig();
            c.setEnforcementlevel(enforcementLevel === "mandatory" ? 1 : enforcementLevel === "disabled" ? 2 : 0);
            c.setProperties(Struct.fromJavaScript(props as never));
            req.getPolicyconfigMap().set(name, c);
        }
        await call("configure", req);
    }

    it("lists the 29 policies with the issues' names and levels", async () => {
        type Info = {
            getName(): string;
            getPoliciesList(): { getName(): string; getEnforcementlevel(): number; getConfigschema(): unknown }[];
        };
        const info = await call<Info>("getAnalyzerInfo", new Empty());
        assert.equal(info.getName(), PACK_NAME);
        const got = Object.fromEntries(
            info.getPoliciesList().map((p) => [p.getName(), LEVEL[p.getEnforcementlevel()]]),
        );
        assert.deepEqual(got, {
            "elasticache-free-tier-node-type": "mandatory",
            "ec2-free-tier-instance-type": "mandatory",
            "elasticache-dedicated-security-group": "mandatory",
            "elasticache-backup-retention": "mandatory",
            "elasticache-encryption-in-transit": "mandatory",
            "elasticache-encryption-at-rest": "mandatory",
            "elasticache-auth-required": "mandatory",
            "elasticache-windows-valid": "mandatory",
            "no-world-ingress-to-ssh-or-redis": "mandatory",
            "bastion-imdsv2-required": "mandatory",
            "bastion-root-volume-encrypted": "mandatory",
            "elasticache-supported-engine-version": "advisory",
            "elasticache-free-tier-hours": "advisory",
            "elasticache-data-protection": "advisory",
            "elasticache-creatable": "mandatory",
            "elasticache-cluster-mode-failover": "mandatory",
            "elasticache-parameter-group-family": "mandatory",
            "security-group-rule-ports": "mandatory",
            "security-group-descriptions": "mandatory",
            "no-duplicate-security-group-rules": "mandatory",
            "kms-key-policy-keeps-admins": "mandatory",
            "instance-root-volume-fits-ami": "mandatory",
            "arns-in-stack-partition": "mandatory",
            "iam-policy-grammar": "mandatory",
            "vpc-subnet-geometry": "mandatory",
            "security-group-rules-quota": "mandatory",
            "elasticache-user-group-default-user": "mandatory",
            "cloudwatch-alarm-statistic": "mandatory",
            "stack-monthly-budget": "advisory",
        });
        assert.ok(
            info.getPoliciesList().every((p) => p.getConfigschema()),
            "every policy publishes a config schema",
        );
    });

    const compliant = {
        nodeType: "cache.t3.micro",
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        authToken: secret("Abcdefgh12345678"),
        snapshotRetentionLimit: 7,
        finalSnapshotIdentifier: "cache-final",
        securityGroupIds: [UNKNOWN.string],
    };

    it("passes a compliant cache, and reports violations as mandatory diagnostics", async () => {
        assert.deepEqual(await diagnostics(compliant), []);
        const d = await diagnostics({ ...compliant, nodeType: "cache.m5.large" });
        assert.deepEqual(
            d.map((x) => [x.policy, x.level]),
            [["elasticache-free-tier-node-type", "mandatory"]],
        );
        assert.match(d[0].message, /nodeType "cache\.m5\.large" is not allowed/);
    });

    it("turns an unknown value into the engine's advisory", async () => {
        const d = await diagnostics({ ...compliant, nodeType: UNKNOWN.string });
        assert.deepEqual(
            d.map((x) => [x.policy, x.level]),
            [["elasticache-free-tier-node-type", "advisory"]],
        );
        assert.match(
            d[0].message,
            /can't run policy 'elasticache-free-tier-node-type' from policy pack 'redis-stack-guardrails@v0\.1\.0' during preview/,
        );
    });

    it("applies config sent through Configure (prod: 35..35 days)", async () => {
        await configure({
            "elasticache-backup-retention": { enforcementLevel: "mandatory", minDays: 35, maxDays: 35 },
        });
        const d = await diagnostics(compliant);
        assert.deepEqual(
            d.map((x) => x.policy),
            ["elasticache-backup-retention"],
        );
        assert.match(d[0].message, /snapshotRetentionLimit is 7; at least 35 day\(s\) required/);
    });

    it("fails the analysis, naming key and limit, when Configure delivers maxDays 40", async () => {
        await configure({ "elasticache-backup-retention": { enforcementLevel: "mandatory", minDays: 1, maxDays: 40 } });
        await assert.rejects(
            diagnostics(compliant),
            /invalid policy config: elasticache-backup-retention: maxDays: must be >= 0 and <= 35, got 40/,
        );
        await configure({});
    });
});
