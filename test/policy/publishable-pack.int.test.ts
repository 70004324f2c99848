// The pack as `pulumi policy publish` ships it: `npm pack` of policy/ alone, unpacked in a temp dir outside the
// workspace and installed there with its own package.json only (what the CLI does with a published pack it
// downloads: pkg/backend/httpstate/policypack.go installs its dependencies in the pack's directory), then started
// the way the nodejs language host starts a policy pack (sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin:
// `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <pack dir>`, which registers ts-node
// with type checking and the pack's own `typescript`, else its vendored TypeScript 3.8.3). Every policy must come
// back from GetAnalyzerInfo. Before policy/package.json listed `typescript`, the host fell back to 3.8.3 and the
// pack died on `import { type X }` (issue 18).
import * as assert from "assert";
import { type ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { policies, PACK_NAME } from "../../policy/policies";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");

/** The environment without what an enclosing `npm run`/`npm test` sets (npm_config_*, npm_package_*). */
function npmEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function run(cmd: string, args: string[], cwd: string, timeout: number): string {
    const r = spawnSync(cmd, args, {
        cwd,
        encoding: "utf8",
        timeout,
        env: npmEnv(),
    });
    assert.strictEqual(
        r.status,
        0,
        `${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`,
    );
    return r.stdout;
}

describe("policy/ as published: packed, installed alone, started by the CLI's policy host", function () {
    this.timeout(400_000);
    let tmp: string;
    let pack: ChildProcess | undefined;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "publishable-pack-"));
    });
    after(() => {
        pack?.kill("SIGKILL");
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("lists typescript 5.x, @pulumi/policy and @pulumi/pulumi as its own dependencies", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
        assert.match(pkg.dependencies.typescript, /^[~^]?5\./);
        assert.ok(pkg.dependencies["@pulumi/policy"] && pkg.dependencies["@pulumi/pulumi"]);
    });

    it("returns every policy from GetAnalyzerInfo", async () => {
        const tarball = run("npm", ["pack", "--json", "--pack-destination", tmp], POLICY_DIR, 120_000);
        const file = (JSON.parse(tarball) as { filename: string }[])[0].filename;
        run("tar", ["xzf", path.join(tmp, path.basename(file))], tmp, 60_000);
        const dir = path.join(tmp, "package");
        assert.ok(fs.existsSync(path.join(dir, "PulumiPolicy.yaml")), "PulumiPolicy.yaml is in the tarball");
        // Alone: no workspace above it, no lock file; npm's cache and the registry may serve it.
        run(
            "npm",
            ["install", "--omit=dev", "--no-audit", "--no-fund", "--no-package-lock", "--prefer-offline"],
            dir,
            300_000,
        );
        const ts = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "typescript", "package.json"), "utf8"));
        assert.match(ts.version, /^5\./, "the host finds the pack's own TypeScript 5");

        const host = path.join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        const env = {
            PATH: process.env.PATH,
            HOME: tmp,
            PULUMI_CONFIG: "{}",
            PULUMI_NODEJS_PROJECT: "redis-stack",
            PULUMI_NODEJS_STACK: "dev",
            PULUMI_NODEJS_DRY_RUN: "true",
        };
        pack = spawn(process.execPath, [host, "127.0.0.1:1", dir], {
            cwd: dir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        pack.stderr!.on("data", (d: Buffer) => (err += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            pack!.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            pack!.on("exit", (code) => reject(new Error(`policy pack failed to start (exit ${code}):\n${err}`)));
        });
        const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            const info = await new Promise<{ getName(): string; getPoliciesList(): { getName(): string }[] }>(
                (resolve, reject) =>
                    client.getAnalyzerInfo(new emptypb.Empty(), (e: Error | null, r: never) =>
                        e ? reject(e) : resolve(r),
                    ),
            );
            assert.strictEqual(info.getName(), PACK_NAME);
            assert.deepStrictEqual(
                info
                    .getPoliciesList()
                    .map((p) => p.getName())
                    .sort(),
                policies.map((p) => p.name).sort(),
            );
        } finally {
            client.close();
        }
    });
});
