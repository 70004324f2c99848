// The workflow's actions/github-script step: keeps ONE comment on the pull request, found by its hidden marker
// (the body's first line) and edited in place on every push, created on the first. A fork's pull request gets a
// read-only token (GitHub refuses the write with 403): the body then goes to the job summary instead, and the
// step still succeeds; the verdicts are in the summary either way. Plain JavaScript: github-script requires it
// as is. `github` is Octokit (rest.issues.listComments/updateComment/createComment, paginate), `core` the
// actions toolkit's core.
"use strict";
const fs = require("fs");

/** The first of `comments` (oldest first) that starts with `marker` and was written by a bot, or undefined. */
function findMarkedComment(comments, marker) {
    return comments.find((c) => typeof c.body === "string" && c.body.startsWith(marker) && c.user?.type === "Bot");
}

/**
 * Creates or edits the marked comment with the body in `bodyFile`, whose first line is the marker (an HTML
 * comment, comment.ts COMMENT_MARKER). Returns "updated", "created" or "summary" (written to the job summary
 * instead: a fork's pull request, or a token without write access).
 */
async function upsertComment({ github, context, core, bodyFile, readOnly }) {
    const body = fs.readFileSync(bodyFile, "utf8");
    const marker = body.split("\n", 1)[0];
    if (!/^<!--.*-->$/.test(marker)) {
        throw new Error(
            `${bodyFile} must start with its hidden marker line (<!-- ... -->), got ${JSON.stringify(marker)}`,
        );
    }
    const toSummary = async (why) => {
        core.info(`Pull-request comment not written (${why}); the job summary has it.`);
        await core.summary.addRaw(body).write();
        return "summary";
    };
    if (readOnly) {
        return toSummary("a fork's pull request gets a read-only token");
    }
    const { owner, repo } = context.repo;
    const issue_number = context.issue.number;
    try {
        const comments = await github.paginate(github.rest.issues.listComments, {
            owner,
            repo,
            issue_number,
            per_page: 100,
        });
        const mine = findMarkedComment(comments, marker);
        if (mine) {
            await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            return "updated";
        }
        await github.rest.issues.createComment({ owner, repo, issue_number, body });
        return "created";
    } catch (e) {
        if (e && (e.status === 403 || e.status === 404)) {
            return toSummary(`GitHub answered ${e.status}: the token may not write to this pull request`);
        }
        throw e;
    }
}

module.exports = { findMarkedComment, upsertComment };
