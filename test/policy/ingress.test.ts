import { strict as assert } from "assert";
import { classifyProtocol, coveredPorts, describeRule, ruleCoversTcpPort } from "../../policy/lib/ingress";

describe("policy/lib/ingress", () => {
    describe("protocols", () => {
        it("classifies names and numbers, any case", () => {
            assert.deepEqual(
                ["-1", "all", "ALL", "tcp", "TCP", "6", "udp", "17", "icmp", 6, -1].map(classifyProtocol),
                ["all", "all", "all", "tcp", "tcp", "tcp", "other", "other", "other", "tcp", "all"],
            );
        });
    });

    describe("port coverage", () => {
        it("a tcp range covers the ports inside it, bounds included", () => {
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 22, toPort: 22 }, 22), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 0, toPort: 65535 }, 6379), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 6000, toPort: 6379 }, 6379), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 6380, toPort: 7000 }, 6379), false);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: 443, toPort: 443 }, 22), false);
        });
        it("protocol -1 covers every port whatever the range says", () =>
            assert.equal(ruleCoversTcpPort({ protocol: "-1", fromPort: 0, toPort: 0 }, 22), true));
        it("udp and icmp never reach a TCP port", () => {
            assert.equal(ruleCoversTcpPort({ protocol: "udp", fromPort: 0, toPort: 65535 }, 22), false);
            assert.equal(ruleCoversTcpPort({ protocol: "icmp", fromPort: -1, toPort: -1 }, 22), false);
        });
        it("a tcp rule without a range (or -1) covers all ports", () => {
            assert.equal(ruleCoversTcpPort({ protocol: "tcp" }, 6379), true);
            assert.equal(ruleCoversTcpPort({ protocol: "tcp", fromPort: -1, toPort: -1 }, 22), true);
        });
        it("coveredPorts lists the guarded ports reached", () =>
            assert.deepEqual(
                coveredPorts({ protocol: "tcp", fromPort: 20, toPort: 6379 }, [22, 6379, 6380]),
                [22, 6379],
            ));
        it("describes rules for messages", () => {
            assert.equal(describeRule({ protocol: "tcp", fromPort: 22, toPort: 22 }), "tcp port 22");
            assert.equal(describeRule({ protocol: "tcp", fromPort: 0, toPort: 65535 }), "tcp ports 0-65535");
            assert.equal(describeRule({ protocol: "-1", fromPort: 0, toPort: 0 }), "all traffic (protocol -1)");
        });
    });
});
