// The AWS provider's Check for the EC2 and VPC types the program declares, from terraform-provider-aws
// internal/service/ec2/: vpc_.go, vpc_subnet.go, vpc_route_table.go, vpc_route_table_association.go,
// vpc_internet_gateway.go, vpc_security_group.go (+ validate.go validSecurityGroupRuleDescription),
// vpc_security_group_ingress_rule.go / vpc_security_group_egress_rule.go (Plugin Framework) and
// ec2_instance.go.

import { SECURITY_GROUP_RULE_DESCRIPTION } from "../../../policy/shared";
import {
    cidrNetworkAddress,
    conflictsWith,
    exactlyOneOf,
    frameworkExactlyOneOf,
    frameworkIntBetween,
    intBetween,
    isCidrNetwork,
    knownObject,
    nested,
    stringInSlice,
    stringLenBetween,
} from "./rules";
import { type CheckFailure, type Inputs, isSet, knownItems, knownNumber, knownString } from "./values";

type Check = (inputs: Inputs) => CheckFailure[];

/** vpc_.go cidr_block: validation.IsCIDRNetwork(16, 28) alone (the exact network string, /16 to /28). */
const vpc: Check = (inputs) => [
    ...isCidrNetwork("cidrBlock", knownString(inputs, "cidrBlock"), 16, 28),
    ...conflictsWith(inputs, "cidrBlock", ["ipv4NetmaskLength"]),
    ...intBetween("ipv4NetmaskLength", knownNumber(inputs, "ipv4NetmaskLength"), 16, 28),
    ...stringInSlice("instanceTenancy", knownString(inputs, "instanceTenancy"), ["default", "dedicated"]),
];

const subnet: Check = (inputs) => [
    ...cidrNetworkAddress("cidrBlock", knownString(inputs, "cidrBlock"), "ipv4"),
    ...cidrNetworkAddress("ipv6CidrBlock", knownString(inputs, "ipv6CidrBlock"), "ipv6"),
    ...conflictsWith(inputs, "availabilityZone", ["availabilityZoneId"]),
];

/** Route cidr_block: validation.Any(StringIsEmpty, ValidIPv4CIDRNetworkAddress); ipv6 likewise. */
const routeTable: Check = (inputs) =>
    knownItems(inputs, "routes").flatMap(({ index, value }) => {
        const route = knownObject(value);
        if (!route) {
            return [];
        }
        const v4 = knownString(route, "cidrBlock");
        const v6 = knownString(route, "ipv6CidrBlock");
        return nested(`routes[${index}]`, [
            ...cidrNetworkAddress("cidrBlock", v4 === "" ? undefined : v4, "ipv4"),
            ...cidrNetworkAddress("ipv6CidrBlock", v6 === "" ? undefined : v6, "ipv6"),
        ]);
    });

const routeTableAssociation: Check = (inputs) => exactlyOneOf(inputs, ["gatewayId", "subnetId"]);

/** validate.go validSecurityGroupRuleDescription: EC2's set (SECURITY_GROUP_RULE_DESCRIPTION) and 255 characters. */
const RULE_DESCRIPTION = SECURITY_GROUP_RULE_DESCRIPTION;

export function ruleDescriptionFailures(property: string, v: string | undefined): CheckFailure[] {
    if (v === undefined) {
        return [];
    }
    const failures: CheckFailure[] = [];
    if (v.length > 255) {
        failures.push({ property, reason: `"description" cannot be longer than 255 characters: "${v}"` });
    }
    if (!RULE_DESCRIPTION.test(v)) {
        failures.push({
            property,
            reason: `"description" doesn't comply with restrictions ("${RULE_DESCRIPTION.source}"): "${v}"`,
        });
    }
    return failures;
}

function inlineRuleFailures(inputs: Inputs, key: "ingress" | "egress"): CheckFailure[] {
    return knownItems(inputs, key).flatMap(({ index, value }) => {
        const rule = knownObject(value);
        if (!rule) {
            return [];
        }
        return nested(`${key}[${index}]`, [
            ...knownItems(rule, "cidrBlocks").flatMap(({ index: i, value: cidr }) =>
                typeof cidr === "string" ? nested(`cidrBlocks[${i}]`, cidrNetworkAddress("", cidr, "ipv4")) : [],
            ),
            ...knownItems(rule, "ipv6CidrBlocks").flatMap(({ index: i, value: cidr }) =>
                typeof cidr === "string" ? nested(`ipv6CidrBlocks[${i}]`, cidrNetworkAddress("", cidr, "ipv6")) : [],
            ),
            ...ruleDescriptionFailures("description", knownString(rule, "description")),
        ]);
    });
}

const securityGroup: Check = (inputs) => [
    ...stringLenBetween("name", knownString(inputs, "name"), 0, 255),
    ...stringLenBetween("namePrefix", knownString(inputs, "namePrefix"), 0, 100),
    ...conflictsWith(inputs, "name", ["namePrefix"]),
    ...stringLenBetween("description", knownString(inputs, "description"), 0, 255),
    ...inlineRuleFailures(inputs, "ingress"),
    ...inlineRuleFailures(inputs, "egress"),
];

const defaultSecurityGroup: Check = (inputs) => [
    ...inlineRuleFailures(inputs, "ingress"),
    ...inlineRuleFailures(inputs, "egress"),
];

/** vpc_security_group_ingress_rule.go: ConfigValidators ExactlyOneOf + port and CIDR validators. */
const securityGroupRule: Check = (inputs) => [
    ...frameworkExactlyOneOf(inputs, ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"]),
    ...cidrNetworkAddress("cidrIpv4", knownString(inputs, "cidrIpv4"), "ipv4"),
    ...cidrNetworkAddress("cidrIpv6", knownString(inputs, "cidrIpv6"), "ipv6"),
    ...frameworkIntBetween("fromPort", knownNumber(inputs, "fromPort"), -1, 65535),
    ...frameworkIntBetween("toPort", knownNumber(inputs, "toPort"), -1, 65535),
];

/** ec2_instance.go schema validators. */
const instance: Check = (inputs) => {
    const failures: CheckFailure[] = [
        ...(isSet(inputs, "ami") || isSet(inputs, "launchTemplate")
            ? []
            : [{ property: "ami", reason: '"ami": one of `ami,launch_template` must be specified' }]),
        ...conflictsWith(inputs, "userData", ["userDataBase64"]),
        ...stringLenBetween("userData", knownString(inputs, "userData"), 0, 16384),
    ];
    const metadata = knownObject(inputs.metadataOptions);
    if (metadata) {
        failures.push(
            ...nested("metadataOptions", [
                ...stringInSlice("httpEndpoint", knownString(metadata, "httpEndpoint"), ["enabled", "disabled"]),
                ...stringInSlice("httpTokens", knownString(metadata, "httpTokens"), ["optional", "required"]),
                ...stringInSlice("httpProtocolIpv6", knownString(metadata, "httpProtocolIpv6"), [
                    "enabled",
                    "disabled",
                ]),
                ...stringInSlice("instanceMetadataTags", knownString(metadata, "instanceMetadataTags"), [
                    "enabled",
                    "disabled",
                ]),
                ...intBetween("httpPutResponseHopLimit", knownNumber(metadata, "httpPutResponseHopLimit"), 1, 64),
            ]),
        );
    }
    const root = knownObject(inputs.rootBlockDevice);
    if (root) {
        failures.push(
            ...nested(
                "rootBlockDevice",
                stringInSlice("volumeType", knownString(root, "volumeType"), [
                    "standard",
                    "gp2",
                    "gp3",
                    "io1",
                    "io2",
                    "sc1",
                    "st1",
                ]),
            ),
        );
    }
    const credits = knownObject(inputs.creditSpecification);
    if (credits) {
        failures.push(
            ...nested(
                "creditSpecification",
                stringInSlice("cpuCredits", knownString(credits, "cpuCredits"), ["standard", "unlimited"]),
            ),
        );
    }
    return failures;
};

export const EC2_CHECKS: Readonly<Record<string, Check>> = {
    "aws:ec2/vpc:Vpc": vpc,
    "aws:ec2/subnet:Subnet": subnet,
    "aws:ec2/routeTable:RouteTable": routeTable,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": routeTableAssociation,
    // vpc_internet_gateway.go declares no validators (vpc_id is optional and unknown in a preview).
    "aws:ec2/internetGateway:InternetGateway": () => [],
    "aws:ec2/securityGroup:SecurityGroup": securityGroup,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": defaultSecurityGroup,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRule,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": securityGroupRule,
    "aws:ec2/instance:Instance": instance,
};
