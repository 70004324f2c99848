import * as assert from "assert";
import { type FlagSpec, argTokens } from "../../scripts/command-line";

const FLAGS: Record<string, FlagSpec> = { stack: { type: "string" }, help: { type: "boolean", short: "h" } };

describe("scripts/command-line: argv as util.parseArgs reads it", () => {
    it("gives each declared flag as typed, with its value separate or inline", () => {
        assert.deepStrictEqual(argTokens(["--stack", "dev", "--stack=prod", "-h", "--help"], FLAGS), [
            { kind: "flag", name: "stack", flag: "--stack", value: "dev", inline: false },
            { kind: "flag", name: "stack", flag: "--stack", value: "prod", inline: true },
            { kind: "flag", name: "help", flag: "-h", value: undefined, inline: false },
            { kind: "flag", name: "help", flag: "--help", value: undefined, inline: false },
        ]);
    });

    it("takes the next argument as the value whatever it looks like, and none at the end", () => {
        assert.deepStrictEqual(argTokens(["--stack", "--help", "--stack"], FLAGS), [
            { kind: "flag", name: "stack", flag: "--stack", value: "--help", inline: false },
            { kind: "flag", name: "stack", flag: "--stack", value: undefined, inline: false },
        ]);
        assert.deepStrictEqual(argTokens(["--stack="], FLAGS), [
            { kind: "flag", name: "stack", flag: "--stack", value: "", inline: true },
        ]);
    });

    it("gives everything else as one unknown argument, as typed", () => {
        for (const arg of ["dev", "-", "--", "--stacks=dev", "-x", "-hx", "-h=x", "--=x"]) {
            assert.deepStrictEqual(argTokens([arg], FLAGS), [{ kind: "unknown", arg }], arg);
        }
        assert.deepStrictEqual(argTokens(["--", "--help"], FLAGS), [
            { kind: "unknown", arg: "--" },
            { kind: "unknown", arg: "--help" },
        ]);
    });
});
