// `npm run pr-comment -- [--out FILE] [--max-chars N] [--run-url URL] [--head-sha SHA] [--base SHA] REPORT.json...`: the pull request's
// comment (comment.ts) from `redis-stack-check --format json` output: one run's several-stack document
// (`{ "stacks": [...] }`, CI's `--all-stacks` run), or one stack's report, or a `{ "stack", "error" }` record for
// a stack whose check could not run; stacks in the order of the files and of each document. Exit 0 written, 2 a
// bad argument or report (one line naming it).
import * as fs from "fs";
import { parseArgs } from "util";
import { GITHUB_COMMENT_LIMIT, ReportShapeError, buildComment, parseReportDocument } from "./comment";

/**
 * The largest --max-chars: a job summary takes 1 MiB per step (GitHub docs, "Adding a job summary"); a UTF-16 unit
 * is at most 3 bytes of UTF-8, so this many units always fit.
 */
export const JOB_SUMMARY_MAX_CHARS = Math.floor((1024 * 1024) / 3);

export function main(argv: string[]): number {
    let args;
    try {
        args = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                out: { type: "string" },
                "run-url": { type: "string" },
                "head-sha": { type: "string" },
                base: { type: "string" },
                "max-chars": { type: "string" },
            },
        });
    } catch (e) {
        process.stderr.write(`pr-comment: ${(e as Error).message}\n`);
        return 2;
    }
    const { values, positionals } = args;
    if (positionals.length === 0) {
        process.stderr.write("pr-comment: name at least one report file (redis-stack-check --format json)\n");
        return 2;
    }
    const maxChars = values["max-chars"] === undefined ? GITHUB_COMMENT_LIMIT : Number(values["max-chars"]);
    if (!Number.isInteger(maxChars) || maxChars < 1000 || maxChars > JOB_SUMMARY_MAX_CHARS) {
        process.stderr.write(
            `pr-comment: --max-chars must be a whole number from 1000 to ${JOB_SUMMARY_MAX_CHARS} ` +
                `(${GITHUB_COMMENT_LIMIT} for a comment, the default)\n`,
        );
        return 2;
    }
    try {
        const results = positionals.flatMap((file) => {
            let doc: unknown;
            try {
                doc = JSON.parse(fs.readFileSync(file, "utf8"));
            } catch (e) {
                throw new ReportShapeError(`${file}: ${(e as Error).message}`);
            }
            return parseReportDocument(doc, file);
        });
        const body = buildComment(results, {
            maxChars,
            runUrl: values["run-url"] || undefined,
            headSha: values["head-sha"] || undefined,
            base: values.base || undefined,
        });
        if (values.out) {
            fs.writeFileSync(values.out, body + "\n");
        } else {
            process.stdout.write(body + "\n");
        }
        return 0;
    } catch (e) {
        if (e instanceof ReportShapeError) {
            process.stderr.write(`pr-comment: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
