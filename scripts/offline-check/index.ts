// The offline check as a module: what other tools use. A program's `offline-mocks.ts` types its invoke answers
// with `OfflineInvokes`; a tool runs the check (`runOfflineCheck`, or `main` with the command line's arguments)
// and renders its report, or records a program alone (`recordProgram`, the benchmarks). Tests import the stage
// modules they test directly; the stages are described in README.md.
export { OFFLINE_CHECK_EXIT, OfflineCheckError } from "./offline-check-error";
export { OFFLINE_CHECK_USAGE, type OfflineCheckOptions, main, parseOfflineCheckArgs } from "./cli";
export { type OfflineCheckRequest, type OfflineCheckRun, offlineCheckReport, runOfflineCheck } from "./run";
export {
    type InvokeAnswer,
    type InvokeContext,
    type OfflineInvokes,
    type OfflineMocksModule,
} from "./recorder/program-mocks";
export { RecordError, recordProgram } from "./recorder/program-process";
export { type RecordedResource, type Recording } from "./recorder/recording";
export { type AnalysisResult, type Violation } from "./analyzer/wire";
export { type OfflineCheckReport } from "./report/report";
export { REPORT_FORMATS, type ReportFormat, formatOfflineReport } from "./report/formats";
