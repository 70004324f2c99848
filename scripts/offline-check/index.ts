// The offline check's entry module: what tests, benchmarks and other tools import (never the stage files
// directly). The stages are described in README.md.
export { OFFLINE_CHECK_EXIT, OfflineCheckError } from "./offline-check-error";
export { OFFLINE_CHECK_USAGE, type OfflineCheckOptions, REPO_ROOT, main, parseOfflineCheckArgs } from "./cli";
export { type OfflineCheckRequest, type OfflineCheckRun, offlineCheckReport, runOfflineCheck } from "./run";

// project/: Pulumi.yaml and the stack config merge
export {
    type ConfigTypeName,
    MAX_YAML_VALUES,
    type Project,
    expandedValues,
    fullTypeName,
    listStacks,
    loadProject,
    mainSourceFile,
    parseProject,
    programEntry,
    validateConfigValue,
} from "./project/project-file";
export {
    type StackConfigValues,
    configValueText,
    loadStackConfigValues,
    mergeStackConfig,
    namespacedKey,
} from "./project/stack-config";

// recorder/: the program under the mock runtime, and what it records
export { RecordError, recordProgram, runRecorder } from "./recorder/program-process";
export { describeProgramError } from "./recorder/program-child";
export {
    type CustomTimeouts,
    PROVIDER_TYPE_PREFIX,
    ROOT_STACK_TYPE,
    type RecordedOptions,
    type RecordedResource,
    type Recording,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    defaultProviderInputs,
    defaultProviderName,
    engineUrn,
    isSecret,
    providerRefUrn,
} from "./recorder/recording";
export {
    GENERIC_INVOKES,
    MOCK_ACCOUNT_ID,
    answerInvoke,
    createMocks,
    invokeContext,
    partitionOf,
    previewResource,
    zoneIdPrefix,
} from "./recorder/mocks";
export {
    type InvokeAnswer,
    type InvokeContext,
    OFFLINE_MOCKS_MODULE,
    type OfflineInvokes,
    type OfflineMocksModule,
    findOfflineMocks,
    programInvokesOf,
} from "./recorder/program-mocks";
export {
    type PropertyResolver,
    SETTLED_BY_REGISTRATION,
    type SdkInternals,
    loadSdkInternals,
    skipPromiseStacks,
    skipResourceStackTraces,
} from "./recorder/sdk-internals";
export { lazyOutputProperties } from "./recorder/lazy-outputs";

// analyzer/: the real pack over the Analyzer protocol
export { PackProcess, packEnv } from "./analyzer/pack-process";
export { type AnalyzeOptions, Analysis, AnalyzerSession, analyzeRecording } from "./analyzer/session";
export {
    type AnalysisResult,
    type PackInfo,
    type Violation,
    convertAnalyzerInfo,
    durationSeconds,
    skipInternalKeys,
} from "./analyzer/wire";
export {
    COMPUTED_OUTPUTS_FILE,
    type ComputedOutputs,
    computedOutputs,
    plannedOutputs,
} from "./analyzer/planned-outputs";
export {
    ENFORCEMENT_LEVELS,
    type EnforcementLevel,
    type PolicyConfig,
    type PolicyInfo,
    loadPolicyConfigFile,
    parsePolicyConfig,
    reconcilePolicyConfig,
} from "./analyzer/policy-config";

// report/: the renderings
export {
    type OfflineCheckReport,
    displayType,
    renderValue,
    shortUrn,
    summaryLine,
    treeLines,
    violationDetail,
} from "./report/report";
export { REPORT_FORMATS, type ReportFormat, formatOfflineReport } from "./report/formats";
export { formatText } from "./report/text";
export { formatJson } from "./report/json";
export { formatMarkdown } from "./report/markdown";
export { formatSarif } from "./report/sarif";
export { hostTypeScriptOptions, programDirectory } from "./typescript-host";
