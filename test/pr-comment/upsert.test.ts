import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { COMMENT_MARKER } from "../../scripts/pr-comment/comment";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { upsertComment, findMarkedComment } = require("../../scripts/pr-comment/upsert.js");

interface Comment {
    id: number;
    body: string;
    user: { type: string };
}

/** Octokit as github-script hands it, answering from `comments`; `denyWrites` answers 403 like a fork's token. */
function fakeGithub(comments: Comment[], denyWrites = false) {
    const calls: string[] = [];
    const deny = (): never => {
        throw Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
    };
    const listComments = (): void => undefined;
    return {
        calls,
        github: {
            paginate: async (fn: unknown, args: { issue_number: number }) => {
                assert.strictEqual(fn, listComments);
                calls.push(`list ${args.issue_number}`);
                return comments;
            },
            rest: {
                issues: {
                    listComments,
                    updateComment: async (a: { comment_id: number; body: string }) => {
                        calls.push(`update ${a.comment_id}`);
                        if (denyWrites) deny();
                    },
                    createComment: async (a: { issue_number: number; body: string }) => {
                        calls.push(`create ${a.issue_number}`);
                        if (denyWrites) deny();
                    },
                },
            },
        },
    };
}

function fakeCore() {
    const summary: string[] = [];
    const core = {
        info: (): void => undefined,
        summary: {
            addRaw(s: string) {
                summary.push(s);
                return core.summary;
            },
            write: async () => undefined,
        },
    };
    return { core, summary };
}

const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 } };

describe("pr-comment/upsert.js (the workflow's github-script step)", () => {
    let dir: string;
    let bodyFile: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "upsert-"));
        bodyFile = path.join(dir, "comment.md");
        fs.writeFileSync(bodyFile, `${COMMENT_MARKER}\n## Offline policy check\n`);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("edits the bot's marked comment instead of posting another; a person's quote of the marker is left alone", async () => {
        const comments = [
            { id: 1, body: `${COMMENT_MARKER}\nquoted by a person`, user: { type: "User" } },
            { id: 2, body: "unrelated", user: { type: "Bot" } },
            { id: 3, body: `${COMMENT_MARKER}\nold`, user: { type: "Bot" } },
        ];
        assert.strictEqual(findMarkedComment(comments, COMMENT_MARKER).id, 3);
        const { github, calls } = fakeGithub(comments);
        const { core, summary } = fakeCore();
        assert.strictEqual(await upsertComment({ github, context, core, bodyFile, readOnly: false }), "updated");
        assert.deepStrictEqual(calls, ["list 7", "update 3"]);
        assert.deepStrictEqual(summary, []);
    });

    it("creates the comment on the first push", async () => {
        const { github, calls } = fakeGithub([{ id: 2, body: "unrelated", user: { type: "Bot" } }]);
        const { core } = fakeCore();
        assert.strictEqual(await upsertComment({ github, context, core, bodyFile, readOnly: false }), "created");
        assert.deepStrictEqual(calls, ["list 7", "create 7"]);
    });

    it("a fork's pull request (read-only token) gets the job summary, and so does a refused write", async () => {
        const fork = fakeGithub([]);
        const a = fakeCore();
        assert.strictEqual(
            await upsertComment({ ...fork, context, core: a.core, bodyFile, readOnly: true }),
            "summary",
        );
        assert.deepStrictEqual(fork.calls, []);
        assert.match(a.summary[0], /^<!-- redis-stack-check/);
        const denied = fakeGithub([], true);
        const b = fakeCore();
        assert.strictEqual(
            await upsertComment({ ...denied, context, core: b.core, bodyFile, readOnly: false }),
            "summary",
        );
        assert.strictEqual(b.summary.length, 1);
    });

    it("refuses a body without its marker line (it could never be found again)", async () => {
        fs.writeFileSync(bodyFile, "## no marker\n");
        const { github } = fakeGithub([]);
        await assert.rejects(
            upsertComment({ github, context, core: fakeCore().core, bodyFile, readOnly: false }),
            /must start with its hidden marker line/,
        );
    });
});
