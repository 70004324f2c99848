// Properties of the VPC subnet plan over every VPC size the program accepts (/16 to /24) and 2 to 6
// availability zones: every subnet inside the VPC, none overlapping, and adding an AZ never renumbers one.

import * as assert from "assert";
import fc from "fast-check";
import { formatIpv4Cidr, isCanonicalIpv4, type Ipv4Cidr, parseIpv4Cidr, planSubnets } from "../../infra/cidr";

/** A canonical VPC block: any address, host bits cleared. */
const vpcOf = (prefixMin: number, prefixMax: number): fc.Arbitrary<Ipv4Cidr> =>
    fc
        .record({
            raw: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
            prefixLength: fc.integer({ min: prefixMin, max: prefixMax }),
        })
        .map(({ raw, prefixLength }) => {
            const size = 2 ** (32 - prefixLength);
            return { address: raw - (raw % size), prefixLength };
        });

const azCount = fc.integer({ min: 2, max: 6 });

/** Every VPC size the program accepts, each with its own run of random addresses and AZ counts. */
const VPC_PREFIXES = [16, 17, 18, 19, 20, 21, 22, 23, 24];

interface Block {
    readonly first: number;
    /** One past the last address. */
    readonly end: number;
}

function blockOf(text: string): Block {
    const cidr = parseIpv4Cidr(text);
    assert.ok(cidr, `${text} does not parse`);
    assert.ok(isCanonicalIpv4(cidr), `${text} has host bits set`);
    return { first: cidr.address, end: cidr.address + 2 ** (32 - cidr.prefixLength) };
}

describe("cidr properties", () => {
    it("plans every subnet inside the VPC, four bits longer than it", () => {
        for (const prefix of VPC_PREFIXES) {
            fc.assert(
                fc.property(vpcOf(prefix, prefix), azCount, (vpc, azs) => {
                    const plan = planSubnets(vpc, azs);
                    const outer = { first: vpc.address, end: vpc.address + 2 ** (32 - vpc.prefixLength) };
                    assert.strictEqual(plan.privateCidrs.length, azs);
                    for (const text of [plan.publicCidr, ...plan.privateCidrs]) {
                        const b = blockOf(text);
                        assert.ok(
                            b.first >= outer.first && b.end <= outer.end,
                            `${text} outside ${formatIpv4Cidr(vpc)}`,
                        );
                        assert.strictEqual(parseIpv4Cidr(text)!.prefixLength, vpc.prefixLength + 4);
                    }
                }),
                { numRuns: 40 },
            );
        }
    });

    it("plans subnets that do not overlap", () => {
        for (const prefix of VPC_PREFIXES) {
            fc.assert(
                fc.property(vpcOf(prefix, prefix), azCount, (vpc, azs) => {
                    const plan = planSubnets(vpc, azs);
                    const blocks = [plan.publicCidr, ...plan.privateCidrs].map(blockOf);
                    for (let i = 0; i < blocks.length; i++) {
                        for (let j = i + 1; j < blocks.length; j++) {
                            const a = blocks[i];
                            const b = blocks[j];
                            assert.ok(a.end <= b.first || b.end <= a.first, `subnets ${i} and ${j} overlap`);
                        }
                    }
                }),
                { numRuns: 40 },
            );
        }
    });

    it("keeps every existing subnet when an AZ is added", () => {
        fc.assert(
            fc.property(vpcOf(16, 24), fc.integer({ min: 2, max: 5 }), (vpc, azs) => {
                const before = planSubnets(vpc, azs);
                const after = planSubnets(vpc, azs + 1);
                assert.strictEqual(after.publicCidr, before.publicCidr);
                assert.deepStrictEqual(after.privateCidrs.slice(0, azs), before.privateCidrs);
            }),
        );
    });

    it("puts the public subnet at the VPC's first address and the private ones from its second half", () => {
        fc.assert(
            fc.property(vpcOf(16, 24), azCount, (vpc, azs) => {
                const plan = planSubnets(vpc, azs);
                const half = vpc.address + 2 ** (32 - vpc.prefixLength) / 2;
                assert.strictEqual(blockOf(plan.publicCidr).first, vpc.address);
                assert.strictEqual(blockOf(plan.privateCidrs[0]).first, half);
            }),
        );
    });

    it("refuses a VPC smaller than /24, whose subnets would be under AWS's /28 minimum", () => {
        fc.assert(
            fc.property(vpcOf(25, 32), azCount, (vpc, azs) => {
                assert.throws(
                    () => planSubnets(vpc, azs),
                    new RegExp(
                        `^Error: a /${vpc.prefixLength} VPC is too small to split into /${vpc.prefixLength + 4} subnets`,
                    ),
                );
            }),
        );
    });

    it("formats and parses canonical CIDRs as inverses", () => {
        fc.assert(
            fc.property(vpcOf(0, 32), (cidr) => {
                assert.deepStrictEqual(parseIpv4Cidr(formatIpv4Cidr(cidr)), cidr);
            }),
        );
    });
});
