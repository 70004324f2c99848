// CIDR rules shared by the program's config validation and the pack. Pure: no Pulumi imports.
//
// "The whole internet" is judged on the union of ranges, not on a `/0` prefix: `0.0.0.0/1` + `128.0.0.0/1` (or
// any finer split) admits every IPv4 address just as `0.0.0.0/0` does (issue #10.2). Addresses are BigInts so
// that IPv4 and IPv6 share one implementation.

import { isIP } from "net";

export type IpFamily = "IPv4" | "IPv6";

/** Address width of each family, in bits. */
export const FAMILY_BITS: Readonly<Record<IpFamily, number>> = { IPv4: 32, IPv6: 128 };

export interface CidrRange {
    readonly family: IpFamily;
    /** The address as written (host bits may be set: AWS normalises `10.0.0.1/8` to `10.0.0.0/8` in rules). */
    readonly address: bigint;
    readonly prefixLength: number;
    /** First and last address the range admits. */
    readonly first: bigint;
    readonly last: bigint;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): bigint | undefined {
    const match = IPV4.exec(text);
    if (!match) {
        return undefined;
    }
    const octets = match.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) {
        return undefined;
    }
    return octets.reduce((acc, o) => acc * 256n + BigInt(o), 0n);
}

/** An IPv6 address (already checked by `isIP`), with `::` and an embedded IPv4 tail, as a 128-bit number. */
function parseIpv6(text: string): bigint {
    let groups = text;
    const lastColon = groups.lastIndexOf(":");
    const tail = groups.slice(lastColon + 1);
    if (tail.includes(".")) {
        const v4 = parseIpv4(tail) ?? 0n;
        groups = `${groups.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
    }
    const [head, rest] = groups.split("::");
    const left = head === "" ? [] : head.split(":");
    const right = rest === undefined || rest === "" ? [] : rest.split(":");
    const all =
        rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
    return all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** Parses an IPv4 (`a.b.c.d/n`) or IPv6 (`x::y/n`) CIDR; undefined when `text` is not one. */
export function parseCidr(text: string): CidrRange | undefined {
    const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
    if (!match) {
        return undefined;
    }
    const prefixLength = Number(match[2]);
    const v4 = parseIpv4(match[1]);
    const family: IpFamily | undefined = v4 !== undefined ? "IPv4" : isIP(match[1]) === 6 ? "IPv6" : undefined;
    if (family === undefined || prefixLength > FAMILY_BITS[family]) {
        return undefined;
    }
    const address = v4 ?? parseIpv6(match[1]);
    const hostBits = BigInt(FAMILY_BITS[family] - prefixLength);
    const first = (address >> hostBits) << hostBits;
    return { family, address, prefixLength, first, last: first + (1n << hostBits) - 1n };
}

/** Whether the ranges together admit every address of `family` (the union of their intervals has no gap). */
export function coversFamily(ranges: readonly CidrRange[], family: IpFamily): boolean {
    const sorted = ranges.filter((r) => r.family === family).sort((a, b) => (a.first < b.first ? -1 : 1));
    let next = 0n;
    for (const r of sorted) {
        if (r.first > next) {
            return false;
        }
        if (r.last + 1n > next) {
            next = r.last + 1n;
        }
    }
    return next === 1n << BigInt(FAMILY_BITS[family]);
}

export interface WorldCoverage {
    readonly family: IpFamily;
    /**
     * The CIDRs (as given) to name: those that admit the whole space alone (a `/0`) if any, else every CIDR of
     * the family, whose union is the whole space.
     */
    readonly cidrs: string[];
}

/**
 * The families whose whole address space the CIDRs admit together, each with the CIDRs of that family. Texts
 * that are not CIDRs admit nothing and are ignored (validating them is the caller's business).
 */
export function worldCoverage(cidrs: readonly string[]): WorldCoverage[] {
    const parsed = cidrs.map((text) => ({ text, range: parseCidr(text.trim()) }));
    return (["IPv4", "IPv6"] as const).flatMap((family) => {
        const mine = parsed.filter((p) => p.range?.family === family);
        const ranges = mine.map((p) => p.range).filter((r): r is CidrRange => r !== undefined);
        if (!coversFamily(ranges, family)) {
            return [];
        }
        const alone = mine.filter((p) => p.range?.prefixLength === 0);
        return [{ family, cidrs: (alone.length > 0 ? alone : mine).map((p) => p.text) }];
    });
}
