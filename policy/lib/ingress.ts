// Port-range logic for ingress rules (the CIDR side is policy/shared/cidr.ts). Pure: no Pulumi imports.

/** The protocol of a rule as AWS accepts it: names (any case) or IANA numbers, "-1"/"all" for all traffic. */
export type ProtocolClass = "all" | "tcp" | "other";

export function classifyProtocol(protocol: string | number): ProtocolClass {
    const p = String(protocol).trim().toLowerCase();
    if (p === "-1" || p === "all") {
        return "all";
    }
    if (p === "tcp" || p === "6") {
        return "tcp";
    }
    return "other";
}

export interface PortRule {
    protocol: string | number;
    /** Absent or -1 means "all ports" (as AWS reads it for tcp/udp when the range is omitted). */
    fromPort?: number;
    toPort?: number;
}

/**
 * Whether traffic to TCP `port` matches the rule. SSH and Redis are TCP, so only "all traffic"
 * and TCP rules count; "all traffic" ignores the port range (AWS requires 0-0 or -1 there anyway).
 */
export function ruleCoversTcpPort(rule: PortRule, port: number): boolean {
    const cls = classifyProtocol(rule.protocol);
    if (cls === "all") {
        return true;
    }
    if (cls !== "tcp") {
        return false;
    }
    const from = rule.fromPort === undefined || rule.fromPort === -1 ? 0 : rule.fromPort;
    const to = rule.toPort === undefined || rule.toPort === -1 ? 65535 : rule.toPort;
    return from <= port && port <= to;
}

/** The guarded ports a rule reaches, in the order given. */
export function coveredPorts(rule: PortRule, ports: readonly number[]): number[] {
    return ports.filter((p) => ruleCoversTcpPort(rule, p));
}

/** Human form of a rule's range for messages: "tcp 0-65535", "all traffic". */
export function describeRule(rule: PortRule): string {
    const cls = classifyProtocol(rule.protocol);
    if (cls === "all") {
        return "all traffic (protocol -1)";
    }
    const from = rule.fromPort === undefined || rule.fromPort === -1 ? 0 : rule.fromPort;
    const to = rule.toPort === undefined || rule.toPort === -1 ? 65535 : rule.toPort;
    return from === to ? `${rule.protocol} port ${from}` : `${rule.protocol} ports ${from}-${to}`;
}
