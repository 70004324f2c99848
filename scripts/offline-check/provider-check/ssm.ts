// The AWS provider's Check for SSM parameters, from terraform-provider-aws internal/service/ssm/parameter.go
// (schema validators; exactly one of insecure_value, value and value_wo).

import { exactlyOneOf, stringInSlice, stringLenBetween } from "./rules";
import { type CheckFailure, type Inputs, knownString } from "./values";

const parameter = (inputs: Inputs): CheckFailure[] => {
    const type = knownString(inputs, "type");
    return [
        ...stringLenBetween("name", knownString(inputs, "name"), 1, 2048),
        ...stringLenBetween("description", knownString(inputs, "description"), 0, 1024),
        ...stringLenBetween("allowedPattern", knownString(inputs, "allowedPattern"), 0, 1024),
        ...stringInSlice("type", type, ["String", "StringList", "SecureString"]),
        ...stringInSlice("tier", knownString(inputs, "tier"), ["Standard", "Advanced", "Intelligent-Tiering"]),
        ...stringInSlice("dataType", knownString(inputs, "dataType"), ["aws:ec2:image", "aws:ssm:integration", "text"]),
        // parameter.go: insecure_value, value and value_wo are ExactlyOneOf.
        ...exactlyOneOf(inputs, ["insecureValue", "value", "valueWo"]),
        ...(type === "SecureString" && inputs.insecureValue !== undefined
            ? [
                  {
                      property: "insecureValue",
                      reason: `invalid configuration, cannot set type = SecureString and provide insecure_value`,
                  },
              ]
            : []),
    ];
};

export const SSM_CHECKS: Readonly<Record<string, (inputs: Inputs) => CheckFailure[]>> = {
    "aws:ssm/parameter:Parameter": parameter,
};
