// The spellings users type besides the ones pure.test.ts covers: aliases, switches, and what is not a flag.
import * as assert from "assert";
import { RedisCheckError, parseRedisCheckArgs } from "../../scripts/redis-check";

function usage(argv: string[], message: RegExp): void {
    assert.throws(
        () => parseRedisCheckArgs(argv),
        (e: unknown) => e instanceof RedisCheckError && e.kind === "usage" && message.test(e.message),
        argv.join(" "),
    );
}

describe("redis-check/cli: aliases and spellings", () => {
    it("takes -h and --help, and switches given twice", () => {
        assert.strictEqual(parseRedisCheckArgs(["-h"]).help, true);
        assert.strictEqual(parseRedisCheckArgs(["--help"]).help, true);
        assert.strictEqual(parseRedisCheckArgs(["--json", "--json"]).json, true);
    });

    it("refuses a value on a switch, grouped short flags, positionals and `--`, as typed", () => {
        for (const arg of ["-hj", "dev", "--"]) {
            usage([arg], new RegExp(`^unknown argument '${arg}' \\(allowed: --host, .* --help, -h\\)$`));
        }
        // Named without the value, which may be a password.
        usage(["--tls=yes"], /^unknown argument '--tls=\.\.\.' \(allowed: --host, /);
    });

    it("refuses every spelling of the password as a flag, naming it", () => {
        usage(["--auth", "x"], /^--auth: the AUTH token is never a flag/);
        usage(["-a", "x"], /^-a: the AUTH token is never a flag/);
        usage(["--password=x"], /^--password: the AUTH token is never a flag/);
    });

    it("takes `--` as a value but not another flag", () => {
        usage(["--port", "--"], /^--port must be an integer in 1..65535, got '--'$/);
        usage(["--port", "--tls"], /^--port needs a value$/);
    });
});
