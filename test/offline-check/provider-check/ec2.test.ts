import * as assert from "assert";
import { fails, passes, secret, UNKNOWN } from "./helpers";

const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    gateway: "aws:ec2/internetGateway:InternetGateway",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    instance: "aws:ec2/instance:Instance",
};

describe("provider-check: EC2 and VPC (internal/service/ec2)", () => {
    it("refuses host bits in CIDRs with the provider's 'did you mean'", () => {
        // vpc_.go: validation.IsCIDRNetwork(16, 28), the exact network string.
        fails(
            T.vpc,
            { cidrBlock: "198.51.100.9/24" },
            /expected cidr_block to contain a valid network Value, expected 198.51.100.0\/24, got 198.51.100.9\/24/,
        );
        fails(
            T.vpc,
            { cidrBlock: "10.0.0.0" },
            /expected cidr_block to contain a valid Value, got: 10.0.0.0 with err: invalid CIDR address/,
        );
        fails(T.vpc, { cidrBlock: "2001:db8::/32" }, /between 16 and 28 significant bits, got: 32/);
        fails(
            T.vpc,
            { cidrBlock: "10.0.0.0/8" },
            /expected "cidr_block" to contain a network Value with between 16 and 28 significant bits, got: 8/,
        );
        fails(T.vpc, { cidrBlock: "10.0.0.0/29" }, /between 16 and 28 significant bits, got: 29/);
        fails(T.vpc, { cidrBlock: "10.0.0.1/8" }, /expected 10.0.0.0\/8, got 10.0.0.1\/8/, /got: 8/);
        passes(T.vpc, { cidrBlock: "10.0.0.0/16" });
        passes(T.vpc, { cidrBlock: "10.0.0.0/28" });
        fails(T.subnet, { cidrBlock: "10.42.0.1/24", vpcId: UNKNOWN }, /did you mean "10.42.0.0\/24"/);
        fails(T.subnet, { ipv6CidrBlock: "2001:db8::1/64" }, /did you mean "2001:db8::\/64"/);
        fails(
            T.routeTable,
            { routes: [{ cidrBlock: "0.0.0.1/0", gatewayId: UNKNOWN }] },
            /did you mean "0.0.0.0\/0"\?\. Examine values at 'thing\.routes\[0\]\.cidrBlock'\./,
        );
        passes(T.vpc, { cidrBlock: "10.42.0.0/16", enableDnsHostnames: true });
        passes(T.routeTable, { vpcId: UNKNOWN, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }] });
        passes(T.gateway, { vpcId: UNKNOWN });
    });

    it("checks VPC and subnet enums, ranges and conflicts", () => {
        fails(
            T.vpc,
            { cidrBlock: "10.0.0.0/16", instanceTenancy: "host" },
            /expected instance_tenancy to be one of \["default" "dedicated"\], got host/,
        );
        fails(T.vpc, { ipv4NetmaskLength: 29 }, /expected ipv4_netmask_length to be in the range \(16 - 28\), got 29/);
        fails(
            T.vpc,
            { cidrBlock: "10.0.0.0/16", ipv4NetmaskLength: 16 },
            /"cidr_block": conflicts with ipv4_netmask_length/,
        );
        fails(
            T.subnet,
            { availabilityZone: "us-east-1a", availabilityZoneId: "use1-az1" },
            /"availability_zone": conflicts with availability_zone_id/,
        );
    });

    it("needs exactly one of subnet and gateway on a route table association", () => {
        fails(
            T.association,
            { routeTableId: UNKNOWN },
            /"gateway_id": one of `gateway_id,subnet_id` must be specified/,
        );
        fails(
            T.association,
            { routeTableId: UNKNOWN, subnetId: "subnet-1", gatewayId: "igw-1" },
            /only one of `gateway_id,subnet_id` can be specified/,
        );
        passes(T.association, { routeTableId: UNKNOWN, subnetId: UNKNOWN });
        // An unknown value counts neither as specified nor as missing (validateExactlyOneAttribute).
        passes(T.association, { routeTableId: UNKNOWN, subnetId: UNKNOWN, gatewayId: UNKNOWN });
        passes(T.association, { routeTableId: UNKNOWN, subnetId: "subnet-1", gatewayId: UNKNOWN });
    });

    it("checks security group names, descriptions and inline rules", () => {
        fails(T.sg, { name: "x".repeat(256) }, /expected length of name to be in the range \(0 - 255\)/);
        fails(T.sg, { namePrefix: "x".repeat(101) }, /expected length of name_prefix to be in the range \(0 - 100\)/);
        fails(T.sg, { name: "a", namePrefix: "b" }, /"name": conflicts with name_prefix/);
        fails(T.sg, { description: "d".repeat(256) }, /expected length of description to be in the range \(0 - 255\)/);
        fails(
            T.defaultSg,
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.7/24"] }] },
            /did you mean "203.0.113.0\/24"\?\. Examine values at 'thing\.ingress\[0\]\.cidrBlocks\[0\]'/,
        );
        fails(
            T.defaultSg,
            { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, description: "naïve" }] },
            /doesn't comply with restrictions.*Examine values at 'thing\.egress\[0\]\.description'/,
        );
        fails(
            T.sg,
            { ingress: [{ protocol: "tcp", fromPort: 1, toPort: 1, ipv6CidrBlocks: ["::1/0"] }] },
            /did you mean "::\/0"/,
        );
        fails(T.sg, { ingress: [{ description: "x".repeat(256) }] }, /cannot be longer than 255 characters/);
        passes(T.sg, {
            vpcId: UNKNOWN,
            description: "redis-stack cache: port 6379 from its clients only",
            tags: { Name: "x" },
        });
        passes(T.defaultSg, { vpcId: UNKNOWN });
    });

    it("checks the standalone rule resources (Plugin Framework validators)", () => {
        const rule = { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 6379, toPort: 6379 };
        passes(T.ingress, { ...rule, referencedSecurityGroupId: UNKNOWN, description: "Redis (TLS) from bastion" });
        passes(T.egress, { ...rule, cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 });
        fails(
            T.ingress,
            rule,
            /No attribute specified when one \(and only one\) of \[cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id\] is required/,
        );
        fails(
            T.ingress,
            { ...rule, cidrIpv4: "10.0.0.0/8", referencedSecurityGroupId: "sg-1" },
            /2 attributes specified when one \(and only one\)/,
        );
        // The framework's ExactlyOneOf gives no verdict while any of them is unknown.
        passes(T.ingress, { ...rule, cidrIpv4: "10.0.0.0/8", referencedSecurityGroupId: UNKNOWN });
        fails(T.egress, { ...rule, cidrIpv4: "10.0.0.1/8" }, /did you mean "10.0.0.0\/8"/);
        fails(T.ingress, { ...rule, cidrIpv6: "10.0.0.0/8" }, /is not a valid IPv6 CIDR block/);
        fails(
            T.ingress,
            { ...rule, cidrIpv4: "10.0.0.0/8", toPort: 70000 },
            /Attribute to_port value must be between -1 and 65535, got: 70000/,
        );
        fails(
            T.ingress,
            { ...rule, cidrIpv4: "10.0.0.0/8", fromPort: -2 },
            /Attribute from_port value must be between -1 and 65535, got: -2/,
        );
    });

    it("checks the instance: AMI or launch template, user data, metadata options, root volume, credits", () => {
        const bastion = {
            ami: "ami-0a3c14e1ddbe7f23c",
            instanceType: "t3.micro",
            userData: "#!/bin/bash\n",
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8 },
        };
        passes(T.instance, bastion);
        fails(T.instance, { ...bastion, ami: undefined }, /"ami": one of `ami,launch_template` must be specified/);
        fails(
            T.instance,
            { ...bastion, userData: "x".repeat(16385) },
            /expected length of user_data to be in the range \(0 - 16384\)/,
        );
        // A secret input's text never reaches the line: the bridge's format with the value masked.
        const [masked] = fails(
            T.instance,
            { ...bastion, userData: secret(`#!/bin/sh\n${"s".repeat(16385)}`) },
            /expected length of user_data to be in the range \(0 - 16384\), got \[secret\]\. Examine values at 'thing\.userData'\.$/,
        );
        assert.doesNotMatch(masked.message, /sss/);
        fails(T.instance, { ...bastion, userDataBase64: "eA==" }, /"user_data": conflicts with user_data_base64/);
        const metadataFails = (metadataOptions: Record<string, unknown>, message: RegExp) =>
            fails(T.instance, { ...bastion, metadataOptions }, message);
        metadataFails(
            { httpTokens: "require" },
            /has a problem: expected http_tokens to be one of \["optional" "required"\], got require\. Examine values at 'thing\.metadataOptions\.httpTokens'\./,
        );
        metadataFails({ httpEndpoint: "on" }, /expected http_endpoint to be one of/);
        metadataFails({ httpProtocolIpv6: "on" }, /expected http_protocol_ipv6 to be one of/);
        metadataFails({ instanceMetadataTags: "on" }, /expected instance_metadata_tags to be one of/);
        metadataFails(
            { httpPutResponseHopLimit: 65 },
            /expected http_put_response_hop_limit to be in the range \(1 - 64\), got 65/,
        );
        fails(T.instance, { ...bastion, rootBlockDevice: { volumeType: "gp4" } }, /expected volume_type to be one of/);
        fails(
            T.instance,
            { ...bastion, creditSpecification: { cpuCredits: "burst" } },
            /expected cpu_credits to be one of \["standard" "unlimited"\]/,
        );
    });
});
