// Go's net.ParseCIDR as the AWS provider's CIDR validators use it: parse "address/prefix", mask the address,
// and print the network the way Go's IPNet.String() does, for the "did you mean" hint.

export interface CidrNetwork {
    readonly family: "ipv4" | "ipv6";
    /** The masked network in Go's notation, e.g. 198.51.100.0/24 or 2001:db8::/32. */
    readonly network: string;
    /** Whether the text already was that network (no host bits set, same spelling of the address). */
    readonly canonical: boolean;
}

export function cidrNetwork(text: string): CidrNetwork | undefined {
    const slash = text.indexOf("/");
    if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1))) {
        return undefined;
    }
    const address = text.slice(0, slash);
    const prefix = Number(text.slice(slash + 1));
    const v4 = parseIpv4(address);
    if (v4) {
        if (prefix > 32) {
            return undefined;
        }
        const network = v4.map((byte, i) => byte & maskByte(prefix, i));
        return {
            family: "ipv4",
            network: `${network.join(".")}/${prefix}`,
            canonical: network.every((b, i) => b === v4[i]),
        };
    }
    const v6 = parseIpv6(address);
    if (!v6 || prefix > 128) {
        return undefined;
    }
    const network = v6.map((group, i) => group & maskGroup(prefix, i));
    return {
        family: "ipv6",
        network: `${formatIpv6(network)}/${prefix}`,
        canonical: network.every((g, i) => g === v6[i]),
    };
}

function maskByte(prefix: number, index: number): number {
    const bits = Math.max(0, Math.min(8, prefix - index * 8));
    return (0xff << (8 - bits)) & 0xff;
}

function maskGroup(prefix: number, index: number): number {
    const bits = Math.max(0, Math.min(16, prefix - index * 16));
    return (0xffff << (16 - bits)) & 0xffff;
}

/** Go accepts only dotted decimal without leading zeros. */
function parseIpv4(text: string): number[] | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) {
        return undefined;
    }
    return parts.map(Number);
}

function parseIpv6(text: string): number[] | undefined {
    if (!text.includes(":")) {
        return undefined;
    }
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (s: string) => (s === "" ? [] : s.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const fill = 8 - head.length - tail.length;
    if ((halves.length === 2 && fill < 1) || (halves.length === 1 && fill !== 0)) {
        return undefined;
    }
    const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill("0"), ...tail];
    if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) {
        return undefined;
    }
    return all.map((g) => parseInt(g, 16));
}

/** RFC 5952 form, as Go prints: the longest run of two or more zero groups becomes "::". */
function formatIpv6(groups: number[]): string {
    let bestStart = -1;
    let bestLength = 1;
    for (let i = 0; i < 8;) {
        let j = i;
        while (j < 8 && groups[j] === 0) {
            j++;
        }
        if (j - i > bestLength) {
            bestStart = i;
            bestLength = j - i;
        }
        i = j === i ? i + 1 : j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestStart < 0) {
        return hex.join(":");
    }
    return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
