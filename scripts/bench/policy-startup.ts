// Start-up of the policy pack (spawn -> port printed), as the offline checker starts it, side by side
// with the same pack when it also loads the @pulumi/aws classes that `validateResourceOfType(aws.x.Y, ...)`
// would reference. Prints medians and their ratio. Run: npm run bench:policy-startup [-- <runs>]

import { spawn } from "child_process";
import * as path from "path";

const policyDir = path.join(__dirname, "..", "..", "policy");

function startOnce(extra: string[]): Promise<number> {
    return new Promise((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", ...extra, "index.ts"], {
            cwd: policyDir,
            stdio: ["ignore", "pipe", "inherit"],
        });
        const timer = setTimeout(() => {
            child.kill();
            reject(new Error("no port within 60 s"));
        }, 60000);
        child.stdout.on("data", (d) => {
            if (/^\d+\s*$/m.test(String(d))) {
                clearTimeout(timer);
                const ms = Number(process.hrtime.bigint() - t0) / 1e6;
                child.kill();
                resolve(ms);
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`pack exited ${code}`));
        });
    });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
    const runs = Number(process.argv[2] ?? 5);
    if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
        throw new Error(`runs must be an integer 1..50, got ${process.argv[2]}`);
    }
    const plain: number[] = [];
    const withAws: number[] = [];
    for (let i = 0; i < runs; i++) {
        plain.push(await startOnce([]));
        withAws.push(await startOnce(["-r", path.join(__dirname, "load-aws-classes.ts")]));
    }
    const a = median(plain);
    const b = median(withAws);
    console.log(
        `policy pack start-up, median of ${runs}: ${a.toFixed(0)} ms as shipped (type tokens as strings), ` +
            `${b.toFixed(0)} ms when @pulumi/aws is loaded too; ratio ${(b / a).toFixed(2)}x`,
    );
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
