import * as assert from "assert";
import { formatIpv4Cidr, isCanonicalIpv4, parseIpv4Cidr, planSubnets } from "../../infra/cidr";

describe("cidr", () => {
    it("parses and formats IPv4 CIDRs", () => {
        const cidr = parseIpv4Cidr("10.42.0.0/16");
        assert.deepStrictEqual(cidr, { address: 10 * 2 ** 24 + 42 * 2 ** 16, prefixLength: 16 });
        assert.strictEqual(formatIpv4Cidr(cidr), "10.42.0.0/16");
        assert.strictEqual(formatIpv4Cidr(parseIpv4Cidr("255.255.255.255/32")!), "255.255.255.255/32");
    });

    it("rejects malformed IPv4 CIDRs", () => {
        for (const bad of [
            "10.0.0.0",
            "10.0.0/16",
            "256.0.0.0/8",
            "10.0.0.0/33",
            "a.b.c.d/8",
            " 10.0.0.0/8",
            "10.0.0.0/16/1",
        ]) {
            assert.strictEqual(parseIpv4Cidr(bad), undefined, bad);
        }
    });

    it("knows host bits from network addresses", () => {
        assert.ok(isCanonicalIpv4(parseIpv4Cidr("10.0.0.0/16")!));
        assert.ok(!isCanonicalIpv4(parseIpv4Cidr("10.0.0.1/16")!));
        assert.ok(isCanonicalIpv4(parseIpv4Cidr("10.0.0.1/32")!));
    });

    describe("planSubnets", () => {
        it("puts the public subnet first and private subnets at a fixed offset", () => {
            assert.deepStrictEqual(planSubnets(parseIpv4Cidr("10.42.0.0/16")!, 3), {
                publicCidr: "10.42.0.0/20",
                privateCidrs: ["10.42.128.0/20", "10.42.144.0/20", "10.42.160.0/20"],
            });
        });

        it("never renumbers existing private subnets when AZs are added", () => {
            const vpc = parseIpv4Cidr("172.16.0.0/20")!;
            const two = planSubnets(vpc, 2);
            const four = planSubnets(vpc, 4);
            assert.deepStrictEqual(four.privateCidrs.slice(0, 2), two.privateCidrs);
            assert.strictEqual(four.publicCidr, two.publicCidr);
        });

        it("keeps every subnet inside the VPC and disjoint", () => {
            const vpc = parseIpv4Cidr("10.1.2.0/24")!;
            const plan = planSubnets(vpc, 8);
            const all = [plan.publicCidr, ...plan.privateCidrs].map((c) => parseIpv4Cidr(c)!);
            const size = 2 ** (32 - all[0].prefixLength);
            for (const s of all) {
                assert.ok(s.address >= vpc.address && s.address + size <= vpc.address + 2 ** 8, formatIpv4Cidr(s));
            }
            assert.strictEqual(new Set(all.map((s) => s.address)).size, all.length);
        });

        it("refuses VPCs too small and AZ counts that do not fit", () => {
            assert.throws(() => planSubnets(parseIpv4Cidr("10.0.0.0/25")!, 2), /too small/);
            assert.throws(() => planSubnets(parseIpv4Cidr("10.0.0.0/16")!, 9), /1 to 8/);
        });
    });
});
