// The report formats of `--format` and the one function the CLI renders a report with.
import { formatJson } from "./json";
import { formatMarkdown } from "./markdown";
import type { OfflineCheckReport } from "./report";
import { formatSarif } from "./sarif";
import { formatText } from "./text";

export type ReportFormat = "text" | "json" | "markdown" | "sarif";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "markdown", "sarif"];

/** Renders a report in a format (SARIF names the tool's version). */
export function formatOfflineReport(report: OfflineCheckReport, format: ReportFormat, toolVersion: string): string {
    switch (format) {
        case "text":
            return formatText(report);
        case "json":
            return formatJson(report);
        case "markdown":
            return formatMarkdown(report);
        case "sarif":
            return formatSarif(report, toolVersion);
    }
}
