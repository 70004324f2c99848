// The redis-stack CrossGuard pack. Only assembles: constructing a PolicyPack starts the analyzer
// gRPC server and prints its port, so nothing else may import this file.

import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
    description:
        "Guardrails for redis-stack: free-tier sizing, a dedicated security group, TLS, encryption at rest, " +
        "AUTH, backups and windows for ElastiCache; IMDSv2 and encrypted volumes for the bastion; no world ingress.",
    provider: "aws",
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    policies,
});
