// The offline check's orchestration, stage by stage: project and stack config (project/) -> the program under
// the mock runtime, streaming its registrations (recorder/) -> the provider's Check and the engine's duplicate-URN
// refusal (provider-check/) -> the real pack over the Analyzer protocol (analyzer/) -> a report with the stack's
// monthly cost (report/, policy/shared's estimator). Like the engine, the pack starts before the program runs and
// each resource is checked, then analyzed, as its registration arrives, while the program goes on (on two cores
// the program and the pack run side by side).
import * as fs from "fs";
import * as path from "path";
import {
    type CostEstimate,
    type CostResource,
    type CostSettings,
    DEFAULT_COST_SETTINGS,
    costOptions,
    costRegion,
    BUDGET_POLICY,
    estimateMonthlyCost,
    maskSecrets,
} from "../../policy/shared";
import { PackHost, type PackProcess, packEnv } from "./analyzer/pack-process";
import { plannedOutputs } from "./analyzer/planned-outputs";
import type { PolicyConfig } from "./analyzer/policy-config";
import type { AnalyzeOptions } from "./analyzer/session";
import type * as Session from "./analyzer/session";
import type { AnalysisResult } from "./analyzer/wire";
import { OfflineCheckError, addKnownSecrets } from "./offline-check-error";
import { type UpFinding, runUpPass } from "./up-pass";
import { type Project, loadProject, mainSourceFile } from "./project/project-file";
import { type StackConfigValues, loadStackConfigValues } from "./project/stack-config";
import {
    type AutonamingConfig,
    ProviderCheckStage,
    parseAutonamingConfig,
    plain,
    randomSuffix,
} from "./provider-check";
import { recordRuns } from "./recorder/program-process";
import {
    PROVIDER_TYPE_PREFIX,
    type RecordedResource,
    type Recording,
    UNKNOWN,
    secretStrings,
} from "./recorder/recording";
import type { OfflineCheckReport } from "./report/report";
import { type PlanBase, readStateBase, recordBaseRevision } from "./plan/base";
import type { BaseResource } from "./plan/state";
import { type HeadResource, type OfflinePlan, autoNamedProperty, planSteps } from "./plan/planner";

/** What a run needs: the program, the stack, the pack and its config (the CLI's flags, resolved). */
export interface OfflineCheckRequest {
    programDir: string;
    stack: string;
    policyPack: string;
    /** Policy config file; default: <policy pack>/config/<stack>.json when it exists. */
    policyConfig?: string;
    /** Run the second pass with every output known (default: true; up-pass.ts). */
    upPass?: boolean;
    /** Plan against this git revision of the program's repository (--base). */
    baseRevision?: string;
    /** Plan against this `pulumi stack export` file (--state). */
    stateFile?: string;
}

export interface OfflineCheckRun {
    project: Project;
    stackConfig: StackConfigValues;
    /** Every registration, custom resources with the inputs their provider's Check passed on (auto-names). */
    recording: Recording;
    analysis: AnalysisResult;
    cost: CostEstimate;
    /** What `pulumi up` would refuse although the preview passed (up-pass.ts); empty without the second pass. */
    atUp: UpFinding[];
    /** Why the second pass did not finish (the program failed on mock outputs), if it did not. */
    upPassSkipped?: string;
    plan?: OfflinePlan;
}

/**
 * The stack's `pulumi:autonaming` config as the engine parses it before the program runs; a bad one stops the
 * run as it stops the CLI. `${organization}` is "organization" offline (the mock runtime's organization).
 */
function stackAutonaming(projectName: string, stackConfig: StackConfigValues): AutonamingConfig | undefined {
    try {
        return parseAutonamingConfig(stackConfig.config["pulumi:autonaming"], {
            organization: "organization",
            project: projectName,
            stack: stackConfig.stack,
            config: stackConfig.config,
        });
    } catch (error) {
        throw new OfflineCheckError(`${stackConfig.stackFile}: ${(error as Error).message}`);
    }
}

/** One stack's run, or the error that stopped its check. */
export type StackRun = { stack: string; run: OfflineCheckRun } | { stack: string; error: Error };

/** What a stack's check needs before anything starts. */
interface StackSetup {
    readonly stack: string;
    readonly stackConfig: StackConfigValues;
    readonly autonaming: AutonamingConfig | undefined;
    readonly policyConfigFile: string | undefined;
}

/** Loads, runs and judges one stack; the pack is stopped whatever happens. */
export async function runOfflineCheck(req: OfflineCheckRequest): Promise<OfflineCheckRun> {
    const [outcome] = await runOfflineChecks(req, [req.stack]);
    if ("error" in outcome) {
        throw outcome.error;
    }
    return outcome.run;
}

/**
 * Checks several stacks of one program in one run, results in the order named (a stack's failure is its own).
 * One program child runs every program run, each stack's preview first, then each stack's second pass
 * (recordRuns); one policy pack process serves every stack, each loaded with its own stack's environment
 * (PackHost); a `--base` revision is checked out once, every stack's base recorded in it. `req.stack` is ignored.
 */
export async function runOfflineChecks(
    req: Omit<OfflineCheckRequest, "stack">,
    stacks: readonly string[],
): Promise<StackRun[]> {
    const project = loadProject(req.programDir);
    const setups = stacks.map((stack): StackSetup | Error => {
        try {
            return stackSetup(project, req, stack);
        } catch (e) {
            return e as Error;
        }
    });
    const ready = setups.filter((s): s is StackSetup => !(s instanceof Error));
    // A bad --state file fails before anything starts; a --base revision is recorded beside the head's runs.
    const stateBase = req.stateFile ? readStateBase(req.stateFile) : undefined;
    const base = req.baseRevision
        ? recordBaseRevision(
              req.programDir,
              ready.map((s) => s.stack),
              req.baseRevision,
          )
        : { bases: ready.map(() => Promise.resolve(stateBase)), removed: Promise.resolve() };

    // Each stack's Check runs as its registrations arrive, then its analysis (set once the session module has
    // loaded, right after the spawns below; registrations stream in only once this function awaits).
    const stages = ready.map((s) => ({
        providerCheck: new ProviderCheckStage(randomSuffix(), s.autonaming),
        analysis: undefined as Session.Analysis | undefined,
    }));
    // The children are spawned by these calls' synchronous part; their events (the packs' ports, the program's
    // registrations) come later, once this function awaits.
    const host =
        ready.length > 0
            ? PackHost.start(
                  req.policyPack,
                  ready.map((s) => ({ stack: s.stack, env: packEnv(project.name, s.stack, s.stackConfig.config) })),
              )
            : undefined;
    const packs = ready.map((s) => host!.pack(s.stack));
    const recordings = recordRuns(project, [
        ...ready.map((s, i) => ({
            stackConfig: s.stackConfig,
            onResource: (r: RecordedResource) => {
                const { providerCheck, analysis } = stages[i];
                const passed = providerCheck.add(r);
                if (passed && providerCheck.problems.length === 0) {
                    analysis?.add(passed);
                }
            },
        })),
        ...(req.upPass === false ? [] : ready.map((s) => ({ stackConfig: s.stackConfig, withOutputs: true }))),
    ]);
    // gRPC and the protobuf modules (a third of the checker's start-up) load while the children start, not before.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately after the spawns above
    const session = require("./analyzer/session") as typeof import("./analyzer/session");
    const runs = ready.map((setup, i) => {
        const sessionStart = packs[i].then((pack) => new session.AnalyzerSession(pack));
        sessionStart.catch(() => undefined);
        const analyzeOptions: AnalyzeOptions = {
            config: setup.stackConfig.config,
            secretKeys: setup.stackConfig.secretKeys,
            policyConfigFile: setup.policyConfigFile,
            tags: stackTags(project),
        };
        const analysis = new session.Analysis(sessionStart, project.name, setup.stack, analyzeOptions);
        stages[i].analysis = analysis;
        return checkStack({
            project,
            setup,
            providerCheck: stages[i].providerCheck,
            pack: packs[i],
            sessionStart,
            analysis,
            analyzeOptions,
            analysisClass: session.Analysis,
            preview: recordings[i],
            up: req.upPass === false ? undefined : recordings[ready.length + i],
            base: base.bases[i],
        });
    });
    const settled = await Promise.allSettled(runs);
    // Each stack released its pack; the host is gone before the run ends, whatever happened.
    await host?.stop();
    // The base's worktree is removed before the run ends, whatever happened to the head.
    await base.removed;
    let next = 0;
    return setups.map((s, i): StackRun => {
        if (s instanceof Error) {
            return { stack: stacks[i], error: s };
        }
        const r = settled[next++];
        return r.status === "fulfilled"
            ? { stack: s.stack, run: r.value }
            : { stack: s.stack, error: r.reason as Error };
    });
}

function stackSetup(project: Project, req: Omit<OfflineCheckRequest, "stack">, stack: string): StackSetup {
    const stackConfig = loadStackConfigValues(project, stack);
    addKnownSecrets(stackConfig.secretKeys.map((k) => stackConfig.config[k]));
    const defaultPolicyConfig = path.join(req.policyPack, "config", `${stack}.json`);
    return {
        stack,
        stackConfig,
        autonaming: stackAutonaming(project.name, stackConfig),
        policyConfigFile: req.policyConfig ?? (fs.existsSync(defaultPolicyConfig) ? defaultPolicyConfig : undefined),
    };
}

/** The stack tags the engine sends the pack (ConfigureStack and AnalyzeStack). */
function stackTags(project: Project): Record<string, string> {
    const tags: Record<string, string> = { "pulumi:project": project.name, "pulumi:runtime": project.runtime };
    if (project.description) {
        tags["pulumi:description"] = project.description;
    }
    return tags;
}

/** What judging one stack needs once its processes are started. */
interface StackCheck {
    readonly project: Project;
    readonly setup: StackSetup;
    readonly providerCheck: ProviderCheckStage;
    readonly pack: Promise<PackProcess>;
    readonly sessionStart: Promise<Session.AnalyzerSession>;
    /** The preview's analysis, fed by its registrations as they come. */
    readonly analysis: Session.Analysis;
    readonly analyzeOptions: AnalyzeOptions;
    readonly analysisClass: typeof Session.Analysis;
    readonly preview: Promise<Recording>;
    /** The second pass's run (already under way), unless --preview-only. */
    readonly up: Promise<Recording> | undefined;
    readonly base: Promise<PlanBase | undefined>;
}

/** Judges one stack: its preview, its second pass, its plan; its pack is stopped whatever happens. */
async function checkStack(c: StackCheck): Promise<OfflineCheckRun> {
    const { project, setup, providerCheck } = c;
    const { stackConfig } = setup;
    const [packResult, recordResult] = await Promise.allSettled([c.pack, c.preview]);
    const pack = packResult.status === "fulfilled" ? packResult.value : undefined;
    let upPass: Promise<UpFinding[]> | undefined;
    try {
        if (recordResult.status === "rejected") {
            throw recordResult.reason;
        }
        // Every registration streamed through providerCheck.add, before the recording was returned.
        const recorded = recordResult.value;
        if (providerCheck.problems.length > 0) {
            throw providerCheckError(providerCheck.problems);
        }
        if (packResult.status === "rejected") {
            throw packResult.reason;
        }
        const recording = { ...recorded, resources: recorded.resources.map((r) => providerCheck.passedOn(r)) };
        const previewResult = c.analysis.finish(recording);
        const previewViolations = previewResult.then((r) => r.violations);
        // Read only at the second pass's end: it may fail before then.
        previewViolations.catch(() => undefined);
        // The second pass is analyzed beside the preview's AnalyzeStack; only its last step reads the preview's
        // verdicts. A program that fails on mock outputs (e.g. it parses an ARN's digits) is not a refusal
        // `pulumi up` would make: the second pass is then skipped with a note, and the preview's verdict stands.
        upPass = c.up
            ? runUpPass({
                  project,
                  stackConfig,
                  autonaming: setup.autonaming,
                  // The preview's suffixes: the same resource gets the same name in both passes.
                  suffix: providerCheck.suffix,
                  recording: c.up,
                  session: c.sessionStart,
                  analysisClass: c.analysisClass,
                  analyzeOptions: c.analyzeOptions,
                  previewAnalysis: c.analysis,
                  previewViolations,
              })
            : Promise.resolve([]);
        upPass.catch(() => undefined);
        const result = await previewResult;
        const costOf = costEstimator(recording, stackConfig, result.policyConfig);
        const cost = costOf(recording.resources.map(headCostResource));
        let atUp: UpFinding[] = [];
        let upPassSkipped: string | undefined;
        try {
            atUp = await upPass;
        } catch (e) {
            upPassSkipped = (e as Error).message.split("\n")[0];
        }
        const base = await c.base;
        if (!base) {
            return { project, stackConfig, recording, analysis: result, cost, atUp, upPassSkipped };
        }
        const head: HeadResource[] = recording.resources.map((r, i) => {
            const named = r.custom ? autoNamedProperty(r.type, recorded.resources[i].inputs) : undefined;
            return named && r.inputs[named] !== undefined ? { ...r, autoNamed: named } : r;
        });
        const { steps, errors } = planSteps(base.resources, head);
        const plan: OfflinePlan = {
            base: base.label,
            steps,
            errors,
            monthlyBefore: costOf(base.resources.map(baseCostResource)).monthly,
            monthlyAfter: cost.monthly,
        };
        return { project, stackConfig, recording, analysis: result, cost, atUp, upPassSkipped, plan };
    } finally {
        // The second pass's calls end before the session does (its result is not needed when the preview failed).
        await Promise.allSettled([upPass]);
        if (pack) {
            (await c.sessionStart).close();
            await pack.stop();
        }
        // A base that failed after the head did is not this stack's news any more.
        await Promise.allSettled([c.base]);
    }
}

/** The one error a failed Check gives: a real preview stops there, before any policy verdict. */
function providerCheckError(problems: string[]): OfflineCheckError {
    return new OfflineCheckError(
        `preview failed: ${problems.length} problem${problems.length === 1 ? "" : "s"} a real \`pulumi preview\` reports before any policy runs:\n` +
            problems.map((p) => `    ${p}`).join("\n"),
    );
}

/**
 * The stack's monthly cost, with the settings of the pack's reconciled `stack-monthly-budget` config (the
 * estimator's defaults for a pack without it), priced in its region, else the stack's `aws:region`, else an
 * explicit AWS provider's. Estimated from what AnalyzeStack sees: every resource's planned outputs. A plan's base
 * is priced by the same estimator with the same settings, so before and after differ only by the resources.
 */
function costEstimator(
    recording: Recording,
    stackConfig: StackConfigValues,
    policyConfig: Record<string, Required<PolicyConfig>>,
): (resources: readonly CostResource[]) => CostEstimate {
    const settings: CostSettings = {
        ...DEFAULT_COST_SETTINGS,
        ...(policyConfig[BUDGET_POLICY]?.properties as Partial<CostSettings> | undefined),
    };
    const provider = recording.resources.find(
        (r) => r.type === `${PROVIDER_TYPE_PREFIX}aws` && typeof plain(r.inputs.region) === "string",
    );
    const providerRegion =
        stackConfig.config["aws:region"] ?? (provider ? String(plain(provider.inputs.region)) : undefined);
    const { region } = costRegion(settings.region, providerRegion === UNKNOWN ? undefined : providerRegion);
    return (resources) => estimateMonthlyCost(resources, costOptions(settings, region));
}

/** A head registration as the estimator sees it: its planned outputs, and which of them come from other resources. */
function headCostResource(r: RecordedResource): CostResource {
    return {
        urn: r.urn,
        type: r.type,
        props: plain(plannedOutputs(r)) as Record<string, unknown>,
        custom: r.custom,
        setFromOutputs: Object.entries(r.propertyDependencies)
            .filter(([, urns]) => urns.length > 0)
            .map(([k]) => k),
    };
}

/** A base resource as the estimator sees it: deployed inputs and outputs, else (a recorded base) planned outputs. */
function baseCostResource(b: BaseResource): CostResource {
    const deployed = b.custom && Object.keys(b.outputs).length > 0;
    const props = deployed ? { ...b.inputs, ...b.outputs } : plannedOutputs({ ...b, outputs: undefined });
    return {
        urn: b.urn,
        type: b.type,
        props: plain(props) as Record<string, unknown>,
        custom: b.custom,
        setFromOutputs: Object.entries(b.propertyDependencies)
            .filter(([, urns]) => urns.length > 0)
            .map(([k]) => k),
    };
}

function repoRelative(file: string): string {
    return path.relative(process.cwd(), file).split(path.sep).join("/");
}

/** The report of a run (file paths relative to the working directory, as SARIF wants them). */
export function offlineCheckReport(run: OfflineCheckRun): OfflineCheckReport {
    const secrets = new Set(
        [run.recording.outputs, ...run.recording.resources.flatMap((r) => [r.inputs, r.outputs])].flatMap((v) =>
            secretStrings(v),
        ),
    );
    return {
        recording: run.recording,
        pack: run.analysis.pack,
        // A policy's message may quote an input: the recording's secrets are masked in every one.
        violations: run.analysis.violations.map((v) => ({ ...v, message: maskSecrets(v.message, secrets) })),
        cost: run.cost,
        wouldFailAtUp: run.atUp.map((f) => ({ ...f, message: maskSecrets(f.message, secrets) })),
        upPassSkipped: run.upPassSkipped === undefined ? undefined : maskSecrets(run.upPassSkipped, secrets),
        mainFile: repoRelative(mainSourceFile(run.project)),
        stackFile: repoRelative(run.stackConfig.stackFile),
        ...(run.plan ? { plan: run.plan } : {}),
    };
}
