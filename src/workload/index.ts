export * from "./rate.js";
export * from "./recordSize.js";
export * from "./partitionKeys.js";
