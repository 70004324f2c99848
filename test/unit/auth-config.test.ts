// redisAuthMode and redisUsers through parseConfig: every rule the config layer applies, with a failing input.
import { strict as assert } from "assert";
import { parseConfig } from "../../infra/config";
import { configProblems, stackConfig, withConfig } from "../infra/stack-config";

describe("config: redisAuthMode and redisUsers", () => {
    it("defaults to token with no users; staging and prod set iam", () => {
        const dev = parseConfig(withConfig({}));
        assert.equal(dev.cache.authMode, "token");
        assert.deepEqual(dev.cache.users, []);
        assert.equal(parseConfig(stackConfig("staging")).cache.authMode, "iam");
        assert.equal(parseConfig(stackConfig("prod")).cache.authMode, "iam");
        assert.equal(parseConfig(stackConfig("dev")).cache.authMode, "token");
    });

    it("reads users as {name, accessString}", () => {
        const c = parseConfig(
            withConfig({ redisAuthMode: "iam", redisUsers: [{ name: "app", accessString: " on ~app:* +@read " }] }),
        );
        assert.deepEqual(c.cache.users, [{ name: "app", accessString: "on ~app:* +@read" }]);
    });

    const fails = (overrides: Record<string, unknown>, pattern: RegExp) => {
        const problems = configProblems(withConfig(overrides));
        assert.ok(
            problems.some((p) => pattern.test(p)),
            problems.join("\n"),
        );
    };

    it("refuses an unknown mode", () =>
        fails({ redisAuthMode: "password" }, /redisAuthMode must be one of token, iam/));
    it("refuses users in token mode", () =>
        fails(
            { redisUsers: [{ name: "app", accessString: "on ~* +@read" }] },
            /redisUsers needs redis-stack:redisAuthMode iam/,
        ));
    it("refuses redisAuthToken in iam mode (iam uses no token)", () =>
        fails({ redisAuthMode: "iam", redisAuthToken: "Abcdefgh12345678" }, /redisAuthToken is set but .*iam/));
    it("refuses IAM on engines older than redis 7.0 (the engine version rules run first)", () => {
        // 6.x is refused for TLS mode already; the IAM rule is checked on its own through the shared function.
        const problems = configProblems(withConfig({ redisAuthMode: "iam", redisEngineVersion: "6.2" }));
        assert.ok(
            problems.some((p) => /IAM authentication needs redis 7.0 or later, got 6.2/.test(p)),
            problems.join("\n"),
        );
    });
    it("refuses a user list that is not a list of objects", () => {
        fails(
            { redisAuthMode: "iam", redisUsers: ["app"] },
            /item 0 must be a list of \{ name, accessString \} objects/,
        );
        fails({ redisAuthMode: "iam", redisUsers: { name: "app" } }, /redisUsers must be a list/);
    });
    it("refuses passwords or other keys on a user", () =>
        fails(
            { redisAuthMode: "iam", redisUsers: [{ name: "app", accessString: "on ~* +@read", password: "x" }] },
            /has "password".*never configured/,
        ));
    it("refuses bad, reserved and repeated names", () => {
        fails(
            { redisAuthMode: "iam", redisUsers: [{ name: "App", accessString: "on ~* +@read" }] },
            /name must be lower-case/,
        );
        fails(
            { redisAuthMode: "iam", redisUsers: [{ name: "a_b", accessString: "on ~* +@read" }] },
            /name must be lower-case/,
        );
        fails({ redisAuthMode: "iam", redisUsers: [{ name: "default", accessString: "off" }] }, /reserved/);
        fails({ redisAuthMode: "iam", redisUsers: [{ name: "bastion", accessString: "on ~* +@read" }] }, /reserved/);
        fails(
            {
                redisAuthMode: "iam",
                redisUsers: [
                    { name: "app", accessString: "on ~* +@read" },
                    { name: "app", accessString: "on ~* +@write" },
                ],
            },
            /item 1 name is given twice/,
        );
    });
    it("refuses access strings AWS refuses, without echoing a password", () => {
        const problems = configProblems(
            withConfig({
                redisAuthMode: "iam",
                redisUsers: [{ name: "app", accessString: "on >hunter2hunter2 ~* +@all" }],
            }),
        );
        assert.ok(
            problems.some((p) => /accessString sets a password/.test(p)),
            problems.join("\n"),
        );
        assert.ok(!problems.join("\n").includes("hunter2"), "the password is echoed");
        fails({ redisAuthMode: "iam", redisUsers: [{ name: "app", accessString: "reset on ~* +@all" }] }, /"reset"/);
        fails(
            { redisAuthMode: "iam", redisUsers: [{ name: "app", accessString: "on ~* +@all sudo" }] },
            /"sudo", which is not an ACL rule/,
        );
    });
});
