// The invoke answers a program supplies for itself. Some invokes ask for data only the program knows the shape
// of (an SSM parameter name, an AMI filter); the checker must not know them, or it would only work for one
// program. A program answers them in a module named `offline-mocks` next to its entry (`infra/offline-mocks.ts`
// for `main: infra/`), exporting `invokes: OfflineInvokes`; the checker loads it, when present, in the program's
// process (with the program's TypeScript settings) before the program runs.
import * as fs from "fs";
import * as path from "path";

/** What an answer may use: the stack's region and partition. */
export interface InvokeContext {
    /** `aws:region` from the merged stack config, if set. */
    readonly region?: string;
    /** The AWS partition of the region ("aws" when no region is set). */
    readonly partition: string;
    /** The region, or an error naming the config key to set (for answers that cannot do without one). */
    requireRegion(token: string): string;
}

/**
 * One invoke's answer: the invoke's inputs in, its result out (as the provider would return it). Throw to fail
 * the invoke (e.g. for an input the program does not use); the message reaches the user as the program error.
 */
export type InvokeAnswer = (inputs: Record<string, unknown>, ctx: InvokeContext) => Record<string, unknown>;

/** Invoke token (`aws:ssm/getParameter:getParameter`) -> answer. */
export type OfflineInvokes = Readonly<Record<string, InvokeAnswer>>;

/** What an `offline-mocks` module exports. */
export interface OfflineMocksModule {
    readonly invokes: OfflineInvokes;
}

export const OFFLINE_MOCKS_MODULE = "offline-mocks";

/** The offline-mocks file next to a program entry (a directory, or a file), or undefined when there is none. */
export function findOfflineMocks(entry: string): string | undefined {
    const dir = fs.existsSync(entry) && fs.statSync(entry).isDirectory() ? entry : path.dirname(entry);
    return [".ts", ".js"].map((ext) => path.join(dir, OFFLINE_MOCKS_MODULE + ext)).find((f) => fs.existsSync(f));
}

/** Checks a loaded offline-mocks module's shape; throws one line naming the file and what to export. */
export function programInvokesOf(loaded: unknown, file: string): OfflineInvokes {
    const invokes = (loaded as { invokes?: unknown } | null)?.invokes;
    if (typeof invokes !== "object" || invokes === null || Array.isArray(invokes)) {
        throw new Error(`${file} must export \`invokes\`: an object mapping invoke tokens to answer functions`);
    }
    for (const [token, answer] of Object.entries(invokes)) {
        if (typeof answer !== "function") {
            throw new Error(`${file}: invokes['${token}'] must be a function (inputs, ctx) => result`);
        }
    }
    return invokes as OfflineInvokes;
}
