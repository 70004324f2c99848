import { strict as assert } from "assert";
import { parseConnectArgs, parseConnectTarget, startSessionArgs } from "../../scripts/connect/cli";
import {
    formatLogTail,
    isOnline,
    oneLine,
    parsePingStatus,
    parseProbeInvocation,
    READINESS_PROBE,
} from "../../scripts/connect/readiness";

describe("connect: readiness parsing", () => {
    it("reads Session Manager's ping status; an unregistered instance is not online", () => {
        assert.strictEqual(parsePingStatus("None\n"), "not registered");
        assert.strictEqual(parsePingStatus(""), "not registered");
        assert.strictEqual(parsePingStatus("ConnectionLost\n"), "ConnectionLost");
        assert.ok(isOnline(parsePingStatus("Online\n")));
        assert.ok(!isOnline(parsePingStatus("Inactive")));
    });

    it("reads the probe's invocation: pending, building, ready, failed", () => {
        assert.deepStrictEqual(parseProbeInvocation('["InProgress", ""]'), { state: "pending", status: "InProgress" });
        assert.deepStrictEqual(parseProbeInvocation('["Success", "READY\\n"]'), { state: "ready" });
        assert.deepStrictEqual(parseProbeInvocation('["Success", "BUILDING\\n[12:00] building: make redis-cli\\n"]'), {
            state: "building",
            lastLine: "[12:00] building: make redis-cli",
        });
        assert.deepStrictEqual(parseProbeInvocation('["Success", "FAILED\\nline 1\\nFAILED (exit 2)\\n"]'), {
            state: "failed",
            logTail: "line 1\nFAILED (exit 2)",
        });
    });

    it("never takes a probe that did not run for ready", () => {
        assert.throws(() => parseProbeInvocation('["Failed", "bash: oops"]'), /ended with status Failed: bash: oops/);
        assert.throws(() => parseProbeInvocation('["Success", "something else"]'), /ended with status Success/);
        assert.throws(() => parseProbeInvocation("not json"), /printed no JSON/);
        assert.throws(() => parseProbeInvocation('{"Status": "Success"}'), /unexpected shape/);
    });

    it("shows log lines escaped (no terminal escapes from the instance) and bounded", () => {
        assert.strictEqual(oneLine("a\u001b[31mred\u0007"), "a\\x1b[31mred\\x07");
        assert.strictEqual(oneLine("x".repeat(300)).length, 200);
        const tail = formatLogTail(Array.from({ length: 30 }, (_, i) => `l${i}`).join("\n"));
        assert.strictEqual(tail.length, 20);
        assert.strictEqual(tail[19], "  | l29");
    });

    it("probes the install script's marker and log, and cloud-init's own failure", () => {
        assert.match(READINESS_PROBE, /\/var\/lib\/redis-stack\/redis-cli\.ready/);
        assert.match(READINESS_PROBE, /\/var\/log\/redis-cli-install\.log/);
        assert.match(READINESS_PROBE, /cloud-init status/);
    });
});

describe("connect: arguments and target", () => {
    it("takes --stack, or --instance-id with --region, and bounded seconds", () => {
        assert.deepStrictEqual(parseConnectArgs(["--stack", "dev"]), {
            stack: "dev",
            instanceId: undefined,
            region: undefined,
            timeoutSec: 900,
            pollSec: 5,
            wait: true,
            help: false,
        });
        const direct = parseConnectArgs(["--instance-id", "i-0123456789abcdef0", "--region", "eu-west-1", "--no-wait"]);
        assert.strictEqual(direct.instanceId, "i-0123456789abcdef0");
        assert.strictEqual(direct.wait, false);
        assert.strictEqual(parseConnectArgs(["--timeout", "1.5"]).timeoutSec, 1.5);
    });

    it("refuses bad input with one line naming the flag", () => {
        assert.throws(() => parseConnectArgs(["--bogus"]), /Unknown option '--bogus'; see --help/);
        assert.throws(() => parseConnectArgs(["--instance-id", "i-0123456789abcdef0"]), /--instance-id needs --region/);
        assert.throws(
            () => parseConnectArgs(["--instance-id", "sg-1", "--region", "us-east-1"]),
            /--instance-id must be/,
        );
        assert.throws(() => parseConnectArgs(["--region", "Mars"]), /--region must be/);
        assert.throws(() => parseConnectArgs(["--timeout", "0"]), /--timeout must be/);
        assert.throws(() => parseConnectArgs(["--timeout", "1e3"]), /--timeout must be/);
        assert.throws(
            () => parseConnectArgs(["--stack", "dev", "--instance-id", "i-0123456789abcdef0", "--region", "us-east-1"]),
            /either --stack or --instance-id/,
        );
    });

    it("reads the bastion and the region from stack outputs, naming what is missing", () => {
        assert.deepStrictEqual(parseConnectTarget('{"bastionInstanceId": "i-0abc", "region": "us-east-1"}'), {
            instanceId: "i-0abc",
            region: "us-east-1",
        });
        assert.throws(() => parseConnectTarget('{"region": "us-east-1"}'), /bastionInstanceId .* got nothing/);
        assert.throws(() => parseConnectTarget('{"bastionInstanceId": "i-0abc"}'), /stack output region/);
        assert.throws(() => parseConnectTarget("oops"), /no JSON/);
    });

    it("opens the stack's connect command: Session Manager into redis-connect", () => {
        assert.deepStrictEqual(
            startSessionArgs({ instanceId: "i-0abc", region: "us-east-1" }).join(" "),
            "ssm start-session --region us-east-1 --target i-0abc --document-name AWS-StartInteractiveCommand --parameters command=redis-connect",
        );
    });
});
