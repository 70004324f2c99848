// The offline check's orchestration, stage by stage: project and stack config (project/) -> the program under
// the mock runtime, streaming its registrations (recorder/) -> [the provider's Check: provider-check/, to come]
// -> the real pack over the Analyzer protocol (analyzer/) -> a report (report/). Like the engine, the pack starts
// before the program runs and each resource is analyzed as its registration arrives, while the program goes on
// (on two cores the program and the pack run side by side).
import * as fs from "fs";
import * as path from "path";
import { PackProcess, packEnv } from "./analyzer/pack-process";
import { Analysis, AnalyzerSession } from "./analyzer/session";
import type { AnalysisResult } from "./analyzer/wire";
import { type Project, loadProject, mainSourceFile } from "./project/project-file";
import { type StackConfigValues, loadStackConfigValues } from "./project/stack-config";
import { runRecorder } from "./recorder/program-process";
import type { Recording } from "./recorder/recording";
import type { OfflineCheckReport } from "./report/report";

/** What a run needs: the program, the stack, the pack and its config (the CLI's flags, resolved). */
export interface OfflineCheckRequest {
    programDir: string;
    stack: string;
    policyPack: string;
    /** Policy config file; default: <policy pack>/config/<stack>.json when it exists. */
    policyConfig?: string;
}

export interface OfflineCheckRun {
    project: Project;
    stackConfig: StackConfigValues;
    recording: Recording;
    analysis: AnalysisResult;
}

/** Loads, runs and judges; the pack is stopped whatever happens. */
export async function runOfflineCheck(req: OfflineCheckRequest): Promise<OfflineCheckRun> {
    const project = loadProject(req.programDir);
    const stackConfig = loadStackConfigValues(project, req.stack);
    const defaultPolicyConfig = path.join(req.policyPack, "config", `${req.stack}.json`);
    const policyConfigFile = req.policyConfig ?? (fs.existsSync(defaultPolicyConfig) ? defaultPolicyConfig : undefined);

    const tags: Record<string, string> = { "pulumi:project": project.name, "pulumi:runtime": project.runtime };
    if (project.description) {
        tags["pulumi:description"] = project.description;
    }
    const packStart = PackProcess.start(req.policyPack, packEnv(project.name, req.stack, stackConfig.config));
    const sessionStart = packStart.then((pack) => new AnalyzerSession(pack));
    sessionStart.catch(() => undefined);
    const analysis = new Analysis(sessionStart, project.name, req.stack, {
        config: stackConfig.config,
        secretKeys: stackConfig.secretKeys,
        policyConfigFile,
        tags,
    });
    const [packResult, recordResult] = await Promise.allSettled([
        packStart,
        runRecorder(project, stackConfig, (r) => analysis.add(r)),
    ]);
    const pack = packResult.status === "fulfilled" ? packResult.value : undefined;
    try {
        if (recordResult.status === "rejected") {
            throw recordResult.reason;
        }
        if (packResult.status === "rejected") {
            throw packResult.reason;
        }
        const result = await analysis.finish(recordResult.value);
        return { project, stackConfig, recording: recordResult.value, analysis: result };
    } finally {
        if (pack) {
            (await sessionStart).close();
            await pack.stop();
        }
    }
}

function repoRelative(file: string): string {
    return path.relative(process.cwd(), file).split(path.sep).join("/");
}

/** The report of a run (file paths relative to the working directory, as SARIF wants them). */
export function offlineCheckReport(run: OfflineCheckRun): OfflineCheckReport {
    return {
        recording: run.recording,
        pack: run.analysis.pack,
        violations: run.analysis.violations,
        mainFile: repoRelative(mainSourceFile(run.project)),
        stackFile: repoRelative(run.stackConfig.stackFile),
    };
}
