// Prototype keys in the policy config (issue #20, class 7): `__proto__`, `constructor` and `prototype` name an
// object's prototype machinery, not a policy or a setting. JSON.parse keeps `"__proto__"` as an own key, which
// was silently ignored (assigned as a prototype); each is now one clear line and exit 2, through the bin, and the
// pack's own check (policy/shared policyConfigProblems) refuses them too.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policyConfigProblems } from "../../policy/shared";
import { FIXTURES, runCli } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "compliant");
const PACK = path.join(FIXTURES, "policy-pack");

describe("policy config: prototype keys are refused with one line", function () {
    this.timeout(180_000);
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-proto-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const cases: [string, string, string][] = [
        ["a policy named __proto__", '{"__proto__": "disabled"}', "__proto__"],
        [
            "a setting named __proto__",
            '{"fixture-retention": {"__proto__": {"minDays": 30}}}',
            "fixture-retention.__proto__",
        ],
        ["a policy named constructor", '{"constructor": "mandatory"}', "constructor"],
        [
            "a nested prototype key",
            '{"fixture-retention": {"minDays": 2, "mode": {"prototype": 1}}}',
            "fixture-retention.mode.prototype",
        ],
    ];
    for (const [what, json, at] of cases) {
        it(`${what}: exit 2 naming it`, async () => {
            const file = path.join(tmp, `${at}.json`);
            fs.writeFileSync(file, json);
            const r = await runCli([
                "--program",
                PROGRAM,
                "--stack",
                "test",
                "--policy-pack",
                PACK,
                "--policy-pack-config",
                file,
            ]);
            assert.strictEqual(r.code, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.strictEqual(
                r.stderr,
                `redis-stack-check: error: policy config ${file}: ${at}: the key is not allowed (it names an object's prototype, not a policy or setting)\n`,
            );
        });
    }

    it("the pack's own check refuses them as settings, and never takes a schema from the prototype", () => {
        const schema = { properties: { minDays: { type: "integer" as const } } };
        const props = JSON.parse('{"__proto__": {"minDays": 30}, "constructor": 1, "toString": 2}') as Record<
            string,
            unknown
        >;
        assert.deepStrictEqual(policyConfigProblems("p", schema, props), [
            "p: __proto__: is not allowed (it names an object's prototype, not a setting)",
            "p: constructor: is not allowed (it names an object's prototype, not a setting)",
            "p: toString: the policy has no such setting (settings: minDays)",
        ]);
    });
});
