// The one module of the pack that code outside `policy/` may import: pure rules shared by the program's config
// validation, the pack and the offline check, so that each rule has one source. `policy/` itself imports nothing
// from outside (it is the unit `pulumi policy publish` packages).

export * from "./auth-token";
export * from "./cidr";
export * from "./json-schema";
export * from "./log-retention";
export * from "./policy-config";
export * from "./windows";
export * from "./catalog";
export * from "./names";
export * from "./partitions";
export * from "./cost";
export * from "./iam-policy";
export * from "./geometry";
export * from "./elasticache-users";
export * from "./partitions";
export * from "./aws-api";
export * from "./secrets";
export * from "./escape";
