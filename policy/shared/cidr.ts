// CIDR rules shared by the program's config validation and the pack. Pure: no Pulumi imports.

import { isIP } from "net";

/**
 * Whether `cidr` admits every address of its family: any valid IPv4 or IPv6 address with prefix
 * length 0 (0.0.0.0/0, ::/0, but also 10.0.0.0/0 or ::0/0, which AWS normalises to the same thing).
 * Returns false for anything that is not a well-formed CIDR.
 */
export function isWorldCidr(cidr: string): boolean {
    const m = /^([^/\s]+)\/([0-9]{1,3})$/.exec(cidr.trim());
    if (!m) {
        return false;
    }
    return isIP(m[1]) !== 0 && Number(m[2]) === 0;
}
