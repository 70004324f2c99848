// infra/cidr.ts at its edges: the AZ counts the plan takes.

import * as assert from "assert";
import { parseIpv4Cidr, planSubnets } from "../../infra/cidr";

describe("cidr boundaries", () => {
    it("plans 1 to 8 private subnets and refuses 0 and 9", () => {
        const vpc = parseIpv4Cidr("10.0.0.0/16")!;
        assert.deepStrictEqual(planSubnets(vpc, 1), { publicCidr: "10.0.0.0/20", privateCidrs: ["10.0.128.0/20"] });
        assert.deepStrictEqual(planSubnets(vpc, 8).privateCidrs, [
            "10.0.128.0/20",
            "10.0.144.0/20",
            "10.0.160.0/20",
            "10.0.176.0/20",
            "10.0.192.0/20",
            "10.0.208.0/20",
            "10.0.224.0/20",
            "10.0.240.0/20",
        ]);
        for (const n of [0, 9]) {
            assert.throws(
                () => planSubnets(vpc, n),
                (e: Error) => e.message === `cannot plan ${n} private subnets: 1 to 8 fit beside the public one`,
            );
        }
    });

    it("splits a /24 into /28s and refuses a /25", () => {
        assert.deepStrictEqual(planSubnets(parseIpv4Cidr("192.168.5.0/24")!, 2), {
            publicCidr: "192.168.5.0/28",
            privateCidrs: ["192.168.5.128/28", "192.168.5.144/28"],
        });
        assert.throws(
            () => planSubnets(parseIpv4Cidr("192.168.5.0/25")!, 2),
            (e: Error) => e.message === "a /25 VPC is too small to split into /29 subnets (AWS's smallest is /28)",
        );
    });
});
