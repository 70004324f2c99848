/**
 * `npm run connect -- --stack NAME` (bin redis-stack-connect): the README's connect step made to work on the
 * first try. It checks its prerequisites (the AWS CLI, the Session Manager plugin, and the pulumi CLI when the
 * target comes from stack outputs), waits — bounded, with progress — until the bastion is registered with Session
 * Manager and its redis-cli build has finished (or shows the build log's tail when it failed), then opens the
 * session straight into `redis-connect`. No secret is on any command line: the token never leaves the bastion.
 */
import { type ChildProcess, execFile, spawn } from "child_process";
import { parseArgs } from "util";
import { onPath } from "../redis-check/stack-outputs";
import { formatLogTail, isOnline, oneLine, parsePingStatus, parseProbeInvocation, READINESS_PROBE } from "./readiness";

export const CONNECT_EXIT = { ok: 0, buildFailed: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

export const CONNECT_USAGE = `usage: npm run connect -- [--stack S] [--instance-id ID --region R] [--timeout SEC] [--poll-interval SEC]
  --stack S            Pulumi stack whose outputs name the bastion (bastionInstanceId, region); default: the selected stack
  --instance-id ID     the bastion instance (i-...), instead of reading stack outputs (needs --region)
  --region R           its AWS region
  --timeout SEC        how long to wait for Session Manager and the redis-cli build (default 900)
  --poll-interval SEC  seconds between checks (default 5)
  --no-wait            open the session without waiting
Needs the AWS CLI v2 and the Session Manager plugin on PATH, and AWS credentials allowed ssm:DescribeInstanceInformation,
ssm:SendCommand (AWS-RunShellScript on the bastion), ssm:GetCommandInvocation and ssm:StartSession.
Exit status: the session's; 1 the redis-cli build failed on the bastion; 2 usage, a missing prerequisite, an AWS CLI
error or the timeout; 130/143 interrupted.`;

/** What to install, one line each (the AWS docs' install pages). */
export const PREREQUISITES = {
    aws: "the AWS CLI v2 is not on PATH: install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)",
    "session-manager-plugin":
        "the Session Manager plugin is not on PATH: install it (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html)",
    pulumi: "the pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/install/), or pass --instance-id and --region",
} as const;

export interface ConnectArgs {
    readonly stack?: string;
    readonly instanceId?: string;
    readonly region?: string;
    readonly timeoutSec: number;
    readonly pollSec: number;
    readonly wait: boolean;
    readonly help: boolean;
}

export class ConnectError extends Error {
    constructor(
        message: string,
        readonly exitCode: number = CONNECT_EXIT.usage,
    ) {
        super(message);
    }
}

function positiveSeconds(flag: string, value: string | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 86_400) {
        throw new ConnectError(`${flag} must be a number of seconds from 0 to 86400, got "${value}"`);
    }
    return n;
}

/** Parses argv (without node and script); throws ConnectError naming the bad flag. */
export function parseConnectArgs(argv: readonly string[]): ConnectArgs {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                stack: { type: "string", short: "s" },
                "instance-id": { type: "string" },
                region: { type: "string" },
                timeout: { type: "string" },
                "poll-interval": { type: "string" },
                "no-wait": { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (e) {
        throw new ConnectError(`${(e as Error).message.split("\n")[0]}; see --help`);
    }
    const instanceId = values["instance-id"];
    if (instanceId !== undefined && !/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(instanceId)) {
        throw new ConnectError(`--instance-id must be an EC2 instance id (i-...), got "${oneLine(instanceId)}"`);
    }
    const region = values.region;
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
        throw new ConnectError(`--region must be an AWS region name such as us-east-1, got "${oneLine(region)}"`);
    }
    if (instanceId !== undefined && region === undefined) {
        throw new ConnectError("--instance-id needs --region");
    }
    if (instanceId !== undefined && values.stack !== undefined) {
        throw new ConnectError("give either --stack or --instance-id, not both");
    }
    return {
        stack: values.stack,
        instanceId,
        region,
        timeoutSec: positiveSeconds("--timeout", values.timeout, 900),
        pollSec: positiveSeconds("--poll-interval", values["poll-interval"], 5),
        wait: !values["no-wait"],
        help: values.help === true,
    };
}

export interface Target {
    readonly instanceId: string;
    readonly region: string;
}

/** Parses `pulumi stack output --json`: the bastion's instance id and the stack's region. */
export function parseConnectTarget(text: string): Target {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        throw new ConnectError(`pulumi stack output printed no JSON: ${oneLine(text)}`);
    }
    const o = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    const instanceId = o.bastionInstanceId;
    const region = o.region;
    if (typeof instanceId !== "string" || !/^i-[0-9a-f]+$/.test(instanceId)) {
        throw new ConnectError(
            `stack output bastionInstanceId must be an instance id, got ${oneLine(JSON.stringify(instanceId) ?? "nothing")} (has the stack been deployed with pulumi up?)`,
        );
    }
    if (typeof region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
        throw new ConnectError(
            `stack output region must be an AWS region, got ${oneLine(JSON.stringify(region) ?? "nothing")} (run pulumi up once more to add it)`,
        );
    }
    return { instanceId, region };
}

/** The session: Session Manager straight into the bastion's redis-connect (the stack's connectCommand). */
export function startSessionArgs(target: Target): string[] {
    return [
        "ssm",
        "start-session",
        "--region",
        target.region,
        "--target",
        target.instanceId,
        "--document-name",
        "AWS-StartInteractiveCommand",
        "--parameters",
        "command=redis-connect",
    ];
}

interface Io {
    readonly env: NodeJS.ProcessEnv;
    readonly err: (line: string) => void;
    readonly out: (line: string) => void;
}

/** The one child running at a time, killed on SIGINT/SIGTERM and on the timeout. */
class Runner {
    private child: ChildProcess | undefined;
    stopped: NodeJS.Signals | undefined;

    constructor(private readonly env: NodeJS.ProcessEnv) {}

    /** Runs a command to completion with a bound; resolves its stdout, rejects with its first stderr line. */
    capture(command: string, args: string[], timeoutMs: number): Promise<string> {
        return new Promise((resolve, reject) => {
            const child = execFile(
                command,
                args,
                {
                    env: { ...this.env, AWS_PAGER: "" },
                    timeout: timeoutMs,
                    killSignal: "SIGKILL",
                    maxBuffer: 4 * 1024 * 1024,
                    encoding: "utf8",
                },
                (error, stdout, stderr) => {
                    this.child = undefined;
                    if (error) {
                        const why = (error as { killed?: boolean }).killed
                            ? `timed out after ${Math.round(timeoutMs / 1000)} s`
                            : oneLine(stderr.trim().split("\n").pop() || error.message);
                        reject(new ConnectError(`${command} ${args.slice(0, 2).join(" ")} failed: ${why}`));
                    } else resolve(stdout);
                },
            );
            this.child = child;
        });
    }

    /** Runs the session with the terminal; resolves its exit status. */
    interactive(command: string, args: string[]): Promise<number> {
        return new Promise((resolve, reject) => {
            const child = spawn(command, args, { stdio: "inherit", env: { ...this.env, AWS_PAGER: "" } });
            this.child = child;
            child.on("error", (e) => reject(new ConnectError(`${command} could not start: ${e.message}`)));
            child.on("exit", (code, signal) => {
                this.child = undefined;
                resolve(code ?? 128 + (signal === "SIGINT" ? 2 : 15));
            });
        });
    }

    kill(): void {
        this.child?.kill("SIGKILL");
    }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readTarget(args: ConnectArgs, runner: Runner, env: NodeJS.ProcessEnv): Promise<Target> {
    if (args.instanceId !== undefined && args.region !== undefined) {
        return { instanceId: args.instanceId, region: args.region };
    }
    if (!onPath("pulumi", env.PATH)) throw new ConnectError(PREREQUISITES.pulumi);
    const text = await runner.capture(
        "pulumi",
        ["stack", "output", "--json", ...(args.stack ? ["--stack", args.stack] : [])],
        60_000,
    );
    return parseConnectTarget(text);
}

/** Waits until the instance is Online in Session Manager and its redis-cli build is done. */
async function waitUntilReady(target: Target, args: ConnectArgs, runner: Runner, io: Io): Promise<void> {
    const started = Date.now();
    const deadline = started + args.timeoutSec * 1000;
    const region = ["--region", target.region];
    const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s of ${args.timeoutSec} s`;
    const callTimeout = () => Math.max(1000, Math.min(30_000, deadline - Date.now()));
    let said = "";
    const progress = (line: string) => {
        if (line !== said) io.err(`connect: ${line} (${elapsed()})`);
        said = line;
    };
    const timedOut = (what: string) =>
        new ConnectError(`${what} within ${args.timeoutSec} s; raise --timeout, or see the instance's console output`);

    for (;;) {
        const status = parsePingStatus(
            await runner.capture(
                "aws",
                [
                    "ssm",
                    "describe-instance-information",
                    ...region,
                    "--filters",
                    `Key=InstanceIds,Values=${target.instanceId}`,
                    "--query",
                    "InstanceInformationList[0].PingStatus",
                    "--output",
                    "text",
                ],
                callTimeout(),
            ),
        );
        if (isOnline(status)) break;
        progress(`waiting for ${target.instanceId} to come online in Session Manager (${status})`);
        if (Date.now() + args.pollSec * 1000 > deadline) {
            throw timedOut(`${target.instanceId} did not come online in Session Manager`);
        }
        await sleep(args.pollSec * 1000);
    }
    progress(`${target.instanceId} is online in Session Manager; checking the redis-cli build`);

    for (;;) {
        const commandId = (
            await runner.capture(
                "aws",
                [
                    "ssm",
                    "send-command",
                    ...region,
                    "--instance-ids",
                    target.instanceId,
                    "--document-name",
                    "AWS-RunShellScript",
                    "--comment",
                    "redis-stack connect: is redis-cli built?",
                    "--parameters",
                    JSON.stringify({ commands: [READINESS_PROBE] }),
                    "--query",
                    "Command.CommandId",
                    "--output",
                    "text",
                ],
                callTimeout(),
            )
        ).trim();
        if (!/^[0-9a-f-]{36}$/.test(commandId)) {
            throw new ConnectError(`aws ssm send-command printed no command id: ${oneLine(commandId)}`);
        }
        for (;;) {
            await sleep(Math.min(args.pollSec * 1000, 2000));
            let text: string;
            try {
                text = await runner.capture(
                    "aws",
                    [
                        "ssm",
                        "get-command-invocation",
                        ...region,
                        "--command-id",
                        commandId,
                        "--instance-id",
                        target.instanceId,
                        "--query",
                        "[Status,StandardOutputContent]",
                        "--output",
                        "json",
                    ],
                    callTimeout(),
                );
            } catch (e) {
                // Right after send-command the invocation may not exist yet (InvocationDoesNotExist).
                if (!/InvocationDoesNotExist/.test((e as Error).message) || Date.now() > deadline) throw e;
                continue;
            }
            const state = parseProbeInvocation(text);
            if (state.state === "ready") {
                progress("redis-cli is built; opening the session");
                return;
            }
            if (state.state === "failed") {
                io.err(`connect: the redis-cli build on ${target.instanceId} failed; the end of its log:`);
                for (const line of formatLogTail(state.logTail)) io.err(line);
                throw new ConnectError(
                    `the bastion's redis-cli build failed; fix the cause above and replace the bastion (pulumi up --replace <bastion urn>)`,
                    CONNECT_EXIT.buildFailed,
                );
            }
            if (state.state === "building") {
                progress(`redis-cli is still building on the bastion${state.lastLine ? `: ${state.lastLine}` : ""}`);
                break;
            }
            if (Date.now() > deadline) throw timedOut("the readiness probe did not finish");
        }
        if (Date.now() + args.pollSec * 1000 > deadline) throw timedOut("the redis-cli build did not finish");
        await sleep(args.pollSec * 1000);
    }
}

/** Runs one connect; returns the exit status. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
    let args: ConnectArgs;
    try {
        args = parseConnectArgs(argv);
    } catch (e) {
        io.err(`connect: ${(e as Error).message}`);
        return CONNECT_EXIT.usage;
    }
    if (args.help) {
        io.out(CONNECT_USAGE);
        return CONNECT_EXIT.ok;
    }
    for (const tool of ["aws", "session-manager-plugin"] as const) {
        if (!onPath(tool, io.env.PATH)) {
            io.err(`connect: ${PREREQUISITES[tool]}`);
            return CONNECT_EXIT.usage;
        }
    }
    const runner = new Runner(io.env);
    let session = false;
    const onSignal = (signal: NodeJS.Signals) => {
        // During the session the terminal's Ctrl-C belongs to the remote redis-cli (the plugin forwards it).
        if (session) return;
        runner.stopped = signal;
        runner.kill();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
        const target = await readTarget(args, runner, io.env);
        if (args.wait) await waitUntilReady(target, args, runner, io);
        if (runner.stopped) throw new ConnectError("stopped");
        session = true;
        return await runner.interactive("aws", startSessionArgs(target));
    } catch (e) {
        if (runner.stopped) return runner.stopped === "SIGINT" ? CONNECT_EXIT.interrupted : CONNECT_EXIT.terminated;
        if (e instanceof ConnectError) {
            io.err(`connect: ${e.message}`);
            return e.exitCode;
        }
        throw e;
    } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
    }
}

function defaultIo(): Io {
    return {
        env: process.env,
        err: (line) => process.stderr.write(`${line}\n`),
        out: (line) => process.stdout.write(`${line}\n`),
    };
}
