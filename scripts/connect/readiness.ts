/**
 * What `npm run connect` waits for before it opens a Session Manager session on the bastion, as pure functions
 * over what the AWS CLI prints: the instance registered with Session Manager (PingStatus Online), then the
 * bastion's redis-cli build finished (the install script's marker) or failed (then the log's tail).
 */
import { escapeControl } from "../../policy/shared";

/** Where infra/bastion/install-redis-cli.sh writes its marker and log (its REDIS_CLI_MARKER / REDIS_CLI_LOG_FILE defaults). */
export const BASTION_READY_MARKER = "/var/lib/redis-stack/redis-cli.ready";
export const BASTION_INSTALL_LOG = "/var/log/redis-cli-install.log";

/** Lines of the install log shown when the build failed. */
export const LOG_TAIL_LINES = 20;

/**
 * The shell the probe runs on the bastion (AWS-RunShellScript, as root). Its first line is READY, FAILED or
 * BUILDING; FAILED and BUILDING are followed by the log's last lines. cloud-init's own `status: error` counts as
 * a failure: user-data that died before the install script ran leaves no marker and no FAILED line.
 */
export const READINESS_PROBE = [
    `if [ -f ${BASTION_READY_MARKER} ]; then echo READY;`,
    `elif grep -q 'FAILED\\|ERROR:' ${BASTION_INSTALL_LOG} 2>/dev/null || cloud-init status 2>/dev/null | grep -q 'status: error'; then echo FAILED; tail -n ${LOG_TAIL_LINES} ${BASTION_INSTALL_LOG} 2>/dev/null;`,
    `else echo BUILDING; tail -n 1 ${BASTION_INSTALL_LOG} 2>/dev/null; fi`,
].join(" ");

export type BuildState =
    | { readonly state: "ready" }
    | { readonly state: "building"; readonly lastLine: string }
    | { readonly state: "failed"; readonly logTail: string }
    | { readonly state: "pending"; readonly status: string };

/** `aws ssm describe-instance-information ... --query 'InstanceInformationList[0].PingStatus' --output text`. */
export function parsePingStatus(text: string): string {
    const status = text.trim();
    // The CLI prints "None" for a query that matched nothing: the agent has not registered yet.
    return status === "" || status === "None" ? "not registered" : status;
}

export function isOnline(pingStatus: string): boolean {
    return pingStatus === "Online";
}

/**
 * `aws ssm get-command-invocation ... --query '[Status,StandardOutputContent]' --output json`: the probe's state.
 * A command still queued or running is "pending"; one that ended without the probe's first line is a failure to
 * run it, reported as such (never taken for ready).
 */
export function parseProbeInvocation(text: string): BuildState {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        throw new Error(`aws ssm get-command-invocation printed no JSON: ${oneLine(text)}`);
    }
    if (!Array.isArray(data) || typeof data[0] !== "string") {
        throw new Error(`aws ssm get-command-invocation printed an unexpected shape: ${oneLine(text)}`);
    }
    const [status, output] = data as [string, unknown];
    if (["Pending", "InProgress", "Delayed"].includes(status)) return { state: "pending", status };
    const lines = (typeof output === "string" ? output : "").replace(/\r/g, "").split("\n");
    const first = lines[0]?.trim();
    const rest = lines.slice(1).join("\n").trim();
    if (status === "Success" && first === "READY") return { state: "ready" };
    if (status === "Success" && first === "BUILDING") return { state: "building", lastLine: oneLine(rest) };
    if (status === "Success" && first === "FAILED") return { state: "failed", logTail: rest };
    throw new Error(`the readiness probe on the bastion ended with status ${status}: ${oneLine(String(output ?? ""))}`);
}

/** A single printable line: control characters (terminal escapes) shown escaped, bounded in length. */
export function oneLine(text: string, max = 200): string {
    const flat = escapeControl(text.replace(/\s+/g, " ").trim());
    return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** The log tail as shown to the user: each line escaped, at most LOG_TAIL_LINES. */
export function formatLogTail(tail: string): string[] {
    return tail
        .split("\n")
        .slice(-LOG_TAIL_LINES)
        .map((line) => `  | ${oneLine(line, 400)}`);
}
