// Edges of the pack's shared helpers: ports left open at one end, protocols with spaces around them, CIDRs
// and type tokens with junk before or after (an unanchored pattern would accept them), null versus absent.

import { strict as assert } from "assert";
import { describeRule, classifyProtocol, ruleCoversTcpPort } from "../../policy/lib/ingress";
import {
    T,
    cacheEngine,
    dependenciesOf,
    forTypes,
    isReplicationGroupMember,
    isSet,
    shortType,
} from "../../policy/lib/util";
import { parseCidr } from "../../policy/shared/cidr";
import { elasticacheBackupRetention } from "../../policy/backup";
import { runResource } from "./harness";

describe("policy helpers at their edges", () => {
    describe("ingress", () => {
        it("reads a protocol with spaces around it", () => {
            assert.equal(classifyProtocol(" TCP "), "tcp");
            assert.equal(classifyProtocol(" -1 "), "all");
        });
        it("reads an absent or -1 port as the open end of the range", () => {
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", toPort: 100 }, 22), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 22 }, 6379), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: -1, toPort: 21 }, 0), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 23, toPort: -1 }, 65535), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 23, toPort: -1 }, 22), false);
        });
        it("describes open-ended ranges with their real ends", () => {
            assert.equal(describeRule({ protocol: "tcp" }), "tcp ports 0-65535");
            assert.equal(describeRule({ protocol: "tcp", fromPort: -1, toPort: -1 }), "tcp ports 0-65535");
            assert.equal(describeRule({ protocol: "tcp", fromPort: -1, toPort: 22 }), "tcp ports 0-22");
            assert.equal(describeRule({ protocol: "tcp", fromPort: 22 }), "tcp ports 22-65535");
            assert.equal(describeRule({ protocol: "6", fromPort: 65535, toPort: -1 }), "6 port 65535");
        });
    });

    describe("parseCidr", () => {
        it("refuses junk before or after a CIDR", () => {
            assert.equal(parseCidr("0.0.0.0/0")?.prefixLength, 0);
            assert.equal(parseCidr(" 0.0.0.0/0"), undefined);
            assert.equal(parseCidr("any 0.0.0.0/0"), undefined);
            assert.equal(parseCidr("0.0.0.0/0 or so"), undefined);
            assert.equal(parseCidr("x::/0"), undefined);
            assert.equal(parseCidr("2001:db8::/32/1"), undefined);
        });
        it("reads the prefix length as a number of up to three digits, within the family's bits", () => {
            assert.equal(parseCidr("0.0.0.0/00")?.prefixLength, 0);
            assert.equal(parseCidr("::/000")?.prefixLength, 0);
            assert.equal(parseCidr("::/0000"), undefined);
            assert.equal(parseCidr("10.0.0.0/32")?.prefixLength, 32);
            assert.equal(parseCidr("10.0.0.0/33"), undefined);
            assert.equal(parseCidr("::/128")?.prefixLength, 128);
            assert.equal(parseCidr("::/129"), undefined);
        });
    });

    describe("util", () => {
        it("treats null as not set, and 0 or false as set", () => {
            assert.equal(isSet({ a: null }, "a"), false);
            assert.equal(isSet({}, "a"), false);
            assert.equal(isSet({ a: 0 }, "a"), true);
            assert.equal(isSet({ a: false }, "a"), true);
        });
        it("shortens only a whole type token", () => {
            assert.equal(shortType("aws:ec2/instance:Instance"), "aws.ec2.Instance");
            assert.equal(shortType("x:aws:ec2/instance:Instance"), "x:aws:ec2/instance:Instance");
            assert.equal(shortType("pulumi:pulumi:Stack"), "pulumi:pulumi:Stack");
        });
        it("knows a replication group member only among cache clusters", () => {
            assert.equal(isReplicationGroupMember(T.cacheCluster, { replicationGroupId: "rg" }), true);
            assert.equal(isReplicationGroupMember(T.replicationGroup, { replicationGroupId: "rg" }), false);
            assert.equal(isReplicationGroupMember(T.cacheCluster, {}), false);
        });
        it("defaults the engine to redis for replication groups only, and lower-cases a set one", () => {
            assert.equal(cacheEngine(T.replicationGroup, {}), "redis");
            assert.equal(cacheEngine(T.cacheCluster, {}), "");
            assert.equal(cacheEngine(T.cacheCluster, { engine: null as unknown as string }), "");
            assert.equal(cacheEngine(T.cacheCluster, { engine: "Valkey" }), "valkey");
        });
        it("has no dependencies for a resource without propertyDependencies", () => {
            const r = { type: T.cacheCluster, name: "c", urn: "u", props: {} } as unknown as Parameters<
                typeof dependenciesOf
            >[0];
            assert.deepEqual(dependenciesOf(r, "securityGroupIds"), []);
        });
        it("names every type a policy applies to when it does not apply", async () => {
            const o = await runResource(elasticacheBackupRetention, { type: T.instance, name: "i", props: {} });
            assert.deepEqual(o.notApplicable, [
                "Policy only applies to resources of type 'aws:elasticache/replicationGroup:ReplicationGroup' or 'aws:elasticache/cluster:Cluster'",
            ]);
        });
        it("tags a single-type validation with its type, so the server can skip other types", () => {
            const tag = (types: string[]) =>
                (forTypes(types, () => undefined) as { __pulumiType?: string }).__pulumiType;
            assert.equal(tag([T.instance]), T.instance);
            assert.equal(tag([T.instance, T.cacheCluster]), undefined);
        });
    });
});
