// The pr-comment fixtures (test/fixtures/pr-comment/): one stack's `redis-stack-check --format json` report each
// (dev without a plan, prod with one) and a `{ stack, error }` record (staging).
import * as fs from "fs";
import * as path from "path";

export const PR_COMMENT_FIXTURES = path.join(__dirname, "..", "fixtures", "pr-comment");

/** A fixture's parsed JSON, a fresh copy on each call. */
export function loadFixture(name: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(path.join(PR_COMMENT_FIXTURES, name), "utf8")) as Record<string, unknown>;
}
