// The two bases a plan can have: `--base REV`, the same stack (stacks) of the same program at a git revision of its
// repository (program, stack files and pack config as of REV, checked out in a temporary `git worktree` that every
// exit path removes: lifecycle.ts), and `--state FILE`, `pulumi stack export` output (state.ts).
import { execFile, execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    OWN_PROCESS_GROUP,
    makeNamedTempDir,
    makeTempDir,
    registerCleanUp,
    removeTempDir,
    trackChild,
} from "../lifecycle";
import { OfflineCheckError } from "../offline-check-error";
import { loadProject } from "../project/project-file";
import { type StackConfigValues, loadStackConfigValues } from "../project/stack-config";
import { ProviderCheckStage } from "../provider-check";
import { recordRuns } from "../recorder/program-process";
import type { RecordedResource } from "../recorder/recording";
import { autoNamedProperty } from "./planner";
import { type BaseResource, parseStackExport } from "./state";

export interface PlanBase {
    /** What the plan is against, for reports: `git <rev> (<sha>)` or `state <file>`. */
    label: string;
    resources: BaseResource[];
}

/** Runs git, tracked by lifecycle.ts so that a signal or timeout mid-checkout stops it too. */
function git(cwd: string, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        // In a process group of its own, so that a kill reaches what git starts (worktree add runs a checkout).
        const opts = { cwd, maxBuffer: 16 * 1024 * 1024, ...OWN_PROCESS_GROUP };
        const child = execFile("git", args, opts, (err, stdout, stderr) => {
            if (err) {
                reject(new Error((stderr || err.message).trim().split("\n")[0]));
                return;
            }
            resolve(stdout.trim());
        });
        trackChild(child);
    });
}

/** A recorded registration as a base resource (the state the engine would hold after deploying it). */
export function baseFromRecorded(r: RecordedResource): BaseResource {
    return {
        urn: r.urn,
        type: r.type,
        custom: r.custom,
        parent: r.parent,
        inputs: r.inputs,
        outputs: r.outputs ?? {},
        protect: r.options.protect,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
    };
}

/**
 * Records `stacks` of the program in `programDir` as of git revision `rev`: a base per stack, in order. The
 * revision's checkout lives in one temporary worktree, removed (and unregistered from the repository) once every
 * stack's base is recorded, or on error, timeout or signal; `removed` settles once it is gone. The bases' program
 * runs in one child (recordRuns) with this checkout's node_modules (the SDK the head is checked with). A stack
 * whose base fails rejects alone.
 */
export function recordBaseRevision(
    programDir: string,
    stacks: readonly string[],
    rev: string,
): { bases: Promise<PlanBase>[]; removed: Promise<void> } {
    let removed!: Promise<void>;
    const recorded = recordBases(programDir, stacks, rev, (r) => {
        removed = r;
    });
    const bases = stacks.map((_stack, i) => recorded.then((all) => all[i]));
    for (const b of bases) {
        b.catch(() => undefined);
    }
    return {
        bases,
        removed: recorded.then(
            () => removed,
            () => removed ?? Promise.resolve(),
        ),
    };
}

async function recordBases(
    programDir: string,
    stacks: readonly string[],
    rev: string,
    onRemoval: (removed: Promise<void>) => void,
): Promise<Promise<PlanBase>[]> {
    let top: string;
    let sha: string;
    try {
        // One git call for both: the repository's top and the revision's commit.
        [top, sha] = (
            await git(programDir, ["rev-parse", "--show-toplevel", "--verify", "--end-of-options", `${rev}^{commit}`])
        ).split("\n");
    } catch (e) {
        throw new OfflineCheckError(
            /not a git repository/.test((e as Error).message)
                ? `--base ${rev}: ${programDir} is not inside a git repository`
                : `--base ${rev}: not a commit of the repository ${await git(programDir, ["rev-parse", "--show-toplevel"])}`,
        );
    }
    // The same path on every run against this repository, when free: the base's files then hit the transpile
    // cache (keyed by path) from the second run on instead of compiling cold.
    const stable = `redis-stack-check-base-${createHash("sha256").update(top).digest("hex").slice(0, 12)}`;
    const tmp = makeNamedTempDir(stable) ?? makeTempDir("redis-stack-check-base-");
    const worktree = path.join(tmp, "worktree");
    /**
     * Unregisters the worktree from the repository, also when its checkout was cut short (git leaves it locked
     * while `worktree add` runs, and prune skips locked worktrees). Synchronous: it also runs from a signal.
     */
    const unregisterWorktree = (): void => {
        // A checkout cut short by a signal may still have a git process writing in it: removed before and after.
        const remove = () => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
        remove();
        for (const args of [
            ["worktree", "unlock", worktree],
            ["worktree", "prune"],
        ]) {
            try {
                execFileSync("git", args, { cwd: top, stdio: "ignore", timeout: 30_000 });
            } catch {
                // Not locked, or the repository is gone or read-only: nothing of ours is left to unregister.
            }
        }
        remove();
    };
    // On a signal or timeout, lifecycle removes the directory first, then this unregisters it.
    const unregister = registerCleanUp(unregisterWorktree);
    const removeWorktree = async (): Promise<void> => {
        // The directory goes, then one prune unregisters it (unlocking is needed only after a cut-short checkout).
        removeTempDir(tmp);
        await git(top, ["worktree", "prune"]).catch(() => undefined);
        unregister();
    };
    let bases: Promise<PlanBase>[];
    try {
        try {
            await git(top, ["worktree", "add", "--detach", "--quiet", worktree, sha]);
        } catch (e) {
            throw new OfflineCheckError(`--base ${rev}: git worktree add failed: ${(e as Error).message}`);
        }
        const modules = path.join(top, "node_modules");
        if (fs.existsSync(modules) && !fs.existsSync(path.join(worktree, "node_modules"))) {
            fs.symlinkSync(modules, path.join(worktree, "node_modules"), "dir");
        }
        const label = `git ${rev} (${sha.slice(0, 12)})`;
        const baseDir = path.join(worktree, path.relative(top, fs.realpathSync(programDir)));
        bases = recordStacksAt(baseDir, stacks, rev, label);
    } catch (e) {
        const removal = removeWorktree();
        onRemoval(removal);
        await removal;
        throw e;
    }
    // The worktree goes once every base is recorded, whatever happened to each.
    onRemoval(Promise.allSettled(bases).then(removeWorktree));
    return bases;
}

/** The bases of `stacks` of the program checked out in `baseDir` (everything a create where it did not exist). */
function recordStacksAt(baseDir: string, stacks: readonly string[], rev: string, label: string): Promise<PlanBase>[] {
    if (!fs.existsSync(path.join(baseDir, "Pulumi.yaml"))) {
        // The project did not exist yet: everything is a create.
        return stacks.map(() => Promise.resolve({ label: `${label}, no project`, resources: [] }));
    }
    const project = loadProject(baseDir);
    const configs = stacks.map((stack): StackConfigValues | PlanBase | Error => {
        if (![`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].some((f) => fs.existsSync(path.join(baseDir, f)))) {
            return { label: `${label}, no stack ${stack}`, resources: [] };
        }
        try {
            return loadStackConfigValues(project, stack);
        } catch (e) {
            return e as Error;
        }
    });
    const isConfig = (c: StackConfigValues | PlanBase | Error): c is StackConfigValues => "stackFile" in c;
    const recordings = recordRuns(
        project,
        configs.filter(isConfig).map((stackConfig) => ({ stackConfig })),
    );
    let next = 0;
    return configs.map(async (c) => {
        if (c instanceof Error) {
            throw new OfflineCheckError(`--base ${rev}: ${c.message}`);
        }
        if (!isConfig(c)) {
            return c;
        }
        let recording;
        try {
            recording = await recordings[next++];
        } catch (e) {
            throw new OfflineCheckError(`--base ${rev}: ${(e as Error).message}`);
        }
        return { label, resources: baseResources(recording.resources) };
    });
}

/** The base as it would have been deployed: its Check's auto-names, recorded in __defaults as the bridge does. */
function baseResources(recorded: readonly RecordedResource[]): BaseResource[] {
    const check = new ProviderCheckStage();
    return recorded.map((r) => {
        const passed = check.passedOn(check.add(r) ?? r);
        const named = passed.custom ? autoNamedProperty(r.type, r.inputs) : undefined;
        const inputs =
            named && passed.inputs[named] !== undefined ? { ...passed.inputs, __defaults: [named] } : passed.inputs;
        return baseFromRecorded({ ...passed, inputs });
    });
}

/** Reads `pulumi stack export` output from FILE. */
export function readStateBase(file: string): PlanBase {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new OfflineCheckError(`--state ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return { label: `state ${path.basename(file)}`, resources: parseStackExport(text, file) };
}
