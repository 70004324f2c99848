// What this program's invokes answer in the offline check (`npm run preview`), for the invokes only this program
// knows the inputs of; the checker answers the generic ones (account, region, partition, availability zones)
// itself and refuses any other (scripts/offline-check/README.md, "Program invoke answers"). Never read by a
// real `pulumi preview`, where the invokes reach AWS.
import type { OfflineInvokes } from "../scripts/offline-check";

/** The AL2023 AMI public parameters the bastion reads (bastion.ts), with the AMI id answered for each. */
export const AL2023_AMI_PARAMETERS: Readonly<Record<string, string>> = {
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64": "ami-0a3c14e1ddbe7f23c",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64": "ami-0f9d5a6c8a1b2e3d4",
};

export const invokes: OfflineInvokes = {
    "aws:ssm/getParameter:getParameter": (inputs, ctx) => {
        const region = ctx.requireRegion("aws:ssm/getParameter:getParameter");
        const name = inputs.name;
        if (typeof name !== "string" || !(name in AL2023_AMI_PARAMETERS)) {
            throw new Error(
                `the offline check knows no SSM parameter ${JSON.stringify(name)}; known: ${Object.keys(AL2023_AMI_PARAMETERS).join(", ")} (infra/offline-mocks.ts)`,
            );
        }
        return {
            ...inputs,
            arn: `arn:${ctx.partition}:ssm:${region}::parameter${name}`,
            id: name,
            name,
            type: "String",
            value: AL2023_AMI_PARAMETERS[name],
            insecureValue: AL2023_AMI_PARAMETERS[name],
            version: 1,
            withDecryption: inputs.withDecryption ?? true,
        };
    },
};
