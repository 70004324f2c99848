import { strict as assert } from "assert";
import fc from "fast-check";
import { type IpFamily, FAMILY_BITS, coversFamily, parseCidr, worldCoverage } from "../../policy/shared/cidr";

/** `first/prefix` in the family's text form (IPv6 fully written out, so no parser shortcut is involved). */
function format(family: IpFamily, first: bigint, prefixLength: number): string {
    if (family === "IPv4") {
        return `${[24n, 16n, 8n, 0n].map((s) => (first >> s) & 255n).join(".")}/${prefixLength}`;
    }
    const groups = Array.from({ length: 8 }, (_, i) => ((first >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
    return `${groups.join(":")}/${prefixLength}`;
}

/**
 * Splits the range `first/prefix` into pieces: each step either keeps a block or halves it, driven by `choices`.
 * The pieces are disjoint and their union is exactly the range.
 */
function split(family: IpFamily, first: bigint, prefixLength: number, choices: boolean[]): string[] {
    const bits = FAMILY_BITS[family];
    if (prefixLength === bits || choices.length === 0 || !choices[0]) {
        return [format(family, first, prefixLength)];
    }
    const half = 1n << BigInt(bits - prefixLength - 1);
    const rest = choices.slice(1);
    return [
        ...split(
            family,
            first,
            prefixLength + 1,
            rest.filter((_, i) => i % 2 === 0),
        ),
        ...split(
            family,
            first + half,
            prefixLength + 1,
            rest.filter((_, i) => i % 2 === 1),
        ),
    ];
}

const family = fc.constantFrom<IpFamily>("IPv4", "IPv6");

describe("policy/shared/cidr", () => {
    describe("parseCidr", () => {
        it("parses IPv4 and IPv6, keeping the written address and the range it admits", () => {
            const v4 = parseCidr("10.1.2.3/8")!;
            assert.deepEqual(
                [v4.family, v4.address, v4.prefixLength, v4.first, v4.last],
                ["IPv4", 0x0a010203n, 8, 0x0a000000n, 0x0affffffn],
            );
            const v6 = parseCidr("2001:db8::1/32")!;
            assert.deepEqual([v6.family, v6.first, v6.last], ["IPv6", 0x20010db8n << 96n, (0x20010db9n << 96n) - 1n]);
            assert.equal(parseCidr("::ffff:203.0.113.7/128")!.address, (0xffffn << 32n) + 0xcb007107n);
            assert.equal(parseCidr("::/0")!.last, (1n << 128n) - 1n);
            assert.equal(parseCidr("1::/16")!.first, 1n << 112n);
            assert.equal(parseCidr("::1/128")!.first, 1n);
        });

        it("refuses what is not a CIDR", () => {
            for (const bad of [
                "10.0.0.0",
                "10.0.0/16",
                "256.0.0.0/8",
                "10.0.0.0/33",
                "::/129",
                "2001::db8::/64",
                "g::/8",
                " 10.0.0.0/8",
                "/0",
                "",
                "not-a-cidr/0",
            ]) {
                assert.equal(parseCidr(bad), undefined, bad);
            }
        });

        it("agrees with the family's text form for any address and prefix", () =>
            fc.assert(
                fc.property(family, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.nat(128), (f, n, p) => {
                    const bits = FAMILY_BITS[f];
                    const address = n & ((1n << BigInt(bits)) - 1n);
                    const prefixLength = p % (bits + 1);
                    const r = parseCidr(format(f, address, prefixLength))!;
                    assert.equal(r.family, f);
                    assert.equal(r.address, address);
                    assert.equal(r.last - r.first + 1n, 1n << BigInt(bits - prefixLength));
                    assert.ok(r.first <= address && address <= r.last);
                }),
            ));
    });

    describe("worldCoverage", () => {
        it("finds a /0 of either family, whatever its address", () => {
            for (const [cidrs, families] of [
                [["0.0.0.0/0"], ["IPv4"]],
                [["::/0"], ["IPv6"]],
                [
                    ["10.1.2.3/0", "::0/0"],
                    ["IPv4", "IPv6"],
                ],
                [
                    ["0:0:0:0:0:0:0:0/0", " 0.0.0.0/0 "],
                    ["IPv4", "IPv6"],
                ],
            ] as const) {
                assert.deepEqual(
                    worldCoverage(cidrs).map((w) => w.family),
                    families,
                    JSON.stringify(cidrs),
                );
            }
        });

        it("finds the halves and finer splits of the issue, naming the CIDRs of the family", () => {
            assert.deepEqual(worldCoverage(["0.0.0.0/1", "203.0.113.7/32", "128.0.0.0/1", "::/1"]), [
                { family: "IPv4", cidrs: ["0.0.0.0/1", "203.0.113.7/32", "128.0.0.0/1"] },
            ]);
            assert.deepEqual(worldCoverage(["::/1", "8000::/1"]), [{ family: "IPv6", cidrs: ["::/1", "8000::/1"] }]);
            assert.deepEqual(
                worldCoverage(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]).map((w) => w.family),
                ["IPv4"],
            );
            // Overlaps and host bits count as AWS reads them.
            assert.deepEqual(
                worldCoverage(["0.0.0.1/1", "100.0.0.0/2", "200.0.0.0/1"]).map((w) => w.family),
                ["IPv4"],
            );
        });

        it("names only the CIDRs that admit the world alone, when there are some", () =>
            assert.deepEqual(worldCoverage(["10.0.0.0/8", "0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1"]), [
                { family: "IPv4", cidrs: ["0.0.0.0/0"] },
            ]));

        it("is empty for gaps, single families and non-CIDRs", () => {
            for (const cidrs of [
                [],
                ["0.0.0.0/1"],
                ["0.0.0.0/1", "128.0.0.0/2"],
                ["0.0.0.0/1", "::/1", "8000::/2", "c000::/3"],
                ["128.0.0.0/1", "8000::/1"],
                ["0.0.0.0", "/0", "any"],
                ["0.0.0.0/1", "::/1"],
            ]) {
                assert.deepEqual(worldCoverage(cidrs), [], JSON.stringify(cidrs));
            }
        });

        it("property: splitting any range into pieces, in any order, preserves its coverage", () =>
            fc.assert(
                fc.property(family, fc.array(fc.boolean(), { maxLength: 64 }), fc.integer(), (f, choices, seed) => {
                    const pieces = split(f, 0n, 0, choices);
                    const shuffled = pieces
                        .map((p, i) => ({ p, k: Math.imul(i + 1, seed | 1) >>> 0 }))
                        .sort((a, b) => a.k - b.k)
                        .map((x) => x.p);
                    assert.deepEqual(
                        worldCoverage(shuffled).map((w) => w.family),
                        [f],
                    );
                }),
            ));

        it("property: pieces missing any single address never cover the family", () =>
            fc.assert(
                fc.property(
                    family,
                    fc.array(fc.boolean(), { maxLength: 64 }),
                    fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
                    (f, choices, n) => {
                        const bits = FAMILY_BITS[f];
                        const hole = n & ((1n << BigInt(bits)) - 1n);
                        // Replace the piece holding `hole` by its split down to /bits, minus `hole` itself.
                        const pieces = split(f, 0n, 0, choices).flatMap((text) => {
                            const r = parseCidr(text)!;
                            if (hole < r.first || hole > r.last) {
                                return [text];
                            }
                            const out: string[] = [];
                            for (let p = r.prefixLength + 1; p <= bits; p++) {
                                const sibling = ((hole >> BigInt(bits - p)) ^ 1n) << BigInt(bits - p);
                                out.push(format(f, sibling, p));
                            }
                            return out;
                        });
                        assert.deepEqual(worldCoverage(pieces), []);
                        const ranges = pieces.map((p) => parseCidr(p)!);
                        assert.equal(coversFamily([...ranges, parseCidr(format(f, hole, bits))!], f), true);
                    },
                ),
            ));
    });
});
