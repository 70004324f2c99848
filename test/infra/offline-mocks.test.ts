// This program's own invoke answers for the offline check (infra/offline-mocks.ts), through the checker's
// dispatcher as a program run uses them.
import * as assert from "assert";
import * as path from "path";
import { AL2023_AMI_PARAMETERS, invokes } from "../../infra/offline-mocks";
import { answerInvoke, invokeContext } from "../../scripts/offline-check/recorder/mocks";
import { findOfflineMocks, programInvokesOf } from "../../scripts/offline-check/recorder/program-mocks";
import { ROOT } from "./program";

describe("infra/offline-mocks: the program's invoke answers", () => {
    const ctx = invokeContext("eu-west-1");
    const getParameter = "aws:ssm/getParameter:getParameter";

    it("answers the bastion's AL2023 AMI parameters, one AMI per architecture, in the stack's partition", () => {
        const x86 = answerInvoke(
            getParameter,
            { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
            ctx,
            invokes,
        );
        const arm = answerInvoke(
            getParameter,
            { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" },
            ctx,
            invokes,
        );
        assert.match(x86.value as string, /^ami-[0-9a-f]{17}$/);
        assert.notStrictEqual(x86.value, arm.value);
        assert.strictEqual(
            x86.arn,
            "arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        );
        assert.strictEqual(Object.keys(AL2023_AMI_PARAMETERS).length, 2);
    });

    it("refuses parameters the program does not read, naming the known ones", () => {
        assert.throws(
            () => answerInvoke(getParameter, { name: "/my/secret" }, ctx, invokes),
            /knows no SSM parameter "\/my\/secret"; known: .*x86_64/,
        );
    });

    it("is the module the checker finds next to the program's entry (main: infra/), with a valid shape", () => {
        const file = findOfflineMocks(path.join(ROOT, "infra"));
        assert.strictEqual(file, path.join(ROOT, "infra", "offline-mocks.ts"));
        assert.strictEqual(programInvokesOf({ invokes }, file), invokes);
    });
});
