// AWS's API rules per Pulumi type: constraints generated from AWS's API models, and the rules only its
// documentation states.

export * from "./constraints";
export * from "./constraints.generated";
export * from "./documented";
