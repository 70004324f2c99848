// The cost estimate: pinned prices, free-tier accounting, the estimator and its report formatting.

export * from "./estimate";
export * from "./format";
export * from "./free-tier";
export * from "./price-table";
export * from "./prices";
export * from "./settings";
export { type CostAssumptions, DEFAULT_ASSUMPTIONS, HOURS_PER_MONTH } from "./rules";
