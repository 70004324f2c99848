/** Reading the endpoint from `pulumi stack output --json`: a pure parser plus a thin exec. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface StackOutputs {
    readonly endpoint: string;
    readonly port: number;
    readonly clusterMode?: "enabled" | "disabled";
    readonly authTokenParameter?: string;
    /** `token` or `iam` (redisAuthMode); absent on stacks from before it existed (token). */
    readonly authMode?: "token" | "iam";
    /** Iam mode: the bastion's IAM-authenticated ElastiCache user (redisUserId). */
    readonly userId?: string;
    /** The replication group ID, the cache name IAM tokens are signed for (redisReplicationGroupId). */
    readonly replicationGroupId?: string;
    /** The stack's Region (output `region`). */
    readonly region?: string;
}

export class StackOutputsError extends Error {}

/** Parses the JSON that `pulumi stack output --json` prints; throws StackOutputsError naming the bad key. */
export function parseStackOutputs(text: string): StackOutputs {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (e) {
        throw new StackOutputsError(`pulumi stack output is not JSON: ${(e as Error).message}`);
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
        throw new StackOutputsError("pulumi stack output must be a JSON object of outputs");
    }
    const o = data as Record<string, unknown>;
    const endpoint = o.redisEndpoint;
    if (typeof endpoint !== "string" || endpoint.trim() === "") {
        throw new StackOutputsError(
            `stack output redisEndpoint must be a non-empty string, got ${JSON.stringify(endpoint) ?? "nothing"}`,
        );
    }
    const rawPort = o.redisPort;
    const port = typeof rawPort === "string" && /^\d+$/.test(rawPort) ? Number(rawPort) : rawPort;
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new StackOutputsError(
            `stack output redisPort must be a port number 1..65535, got ${JSON.stringify(rawPort) ?? "nothing"}`,
        );
    }
    const mode = o.redisClusterMode;
    if (mode !== undefined && mode !== "enabled" && mode !== "disabled") {
        throw new StackOutputsError(
            `stack output redisClusterMode must be "enabled" or "disabled", got ${JSON.stringify(mode)}`,
        );
    }
    const param = o.redisAuthTokenParameter;
    const authMode = o.redisAuthMode;
    if (authMode !== undefined && authMode !== "token" && authMode !== "iam") {
        throw new StackOutputsError(
            `stack output redisAuthMode must be "token" or "iam", got ${JSON.stringify(authMode)}`,
        );
    }
    const stringOutput = (key: string): string | undefined => (typeof o[key] === "string" ? o[key] : undefined);
    return {
        endpoint: endpoint.trim(),
        port,
        clusterMode: mode,
        authTokenParameter: typeof param === "string" ? param : undefined,
        ...defined({
            authMode,
            userId: stringOutput("redisUserId"),
            replicationGroupId: stringOutput("redisReplicationGroupId"),
            region: stringOutput("region"),
        }),
    };
}

export type StackRead = { outputs: StackOutputs } | { outputs?: undefined; problem: string };

export function onPath(command: string, pathVar: string | undefined): boolean {
    return (pathVar ?? "").split(path.delimiter).some((dir) => {
        if (!dir) return false;
        try {
            fs.accessSync(path.join(dir, command), fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
}

/** Runs the pulumi CLI when it is on PATH; never throws, says why when there are no outputs. */
export function readStackOutputs(
    stack: string | undefined,
    timeoutMs: number,
    env: NodeJS.ProcessEnv = process.env,
): StackRead {
    if (!onPath("pulumi", env.PATH)) return { problem: "no pulumi CLI on PATH" };
    const args = ["stack", "output", "--json", ...(stack ? ["--stack", stack] : [])];
    let text: string;
    try {
        text = execFileSync("pulumi", args, {
            encoding: "utf8",
            timeout: timeoutMs,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (e) {
        const err = e as { stderr?: string; message: string };
        const detail = (err.stderr || err.message).trim().split("\n")[0];
        return { problem: `pulumi ${args.join(" ")} failed: ${detail}` };
    }
    try {
        return { outputs: parseStackOutputs(text) };
    } catch (e) {
        return { problem: (e as Error).message };
    }
}

/** The entries whose value is set (outputs a stack does not have stay absent, not undefined). */
function defined<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
