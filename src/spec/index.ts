// The scenario language: its parts, the assembled schema, units and field builders.
export * from "./common.js";
export * from "./consumers.js";
export * from "./faults.js";
export * from "./fidelity.js";
export * from "./fields.js";
export * from "./firehose.js";
export * from "./latency.js";
export * from "./producers.js";
export * from "./recordFit.js";
export * from "./scenario.js";
export * from "./slo.js";
export * from "./stream.js";
export * from "./topology.js";
export * from "./traffic.js";
export * from "./warnings.js";
export * from "./writtenUnits.js";
