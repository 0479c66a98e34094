export * from "./latency.js";
export * from "./series.js";
export * from "./peakSecond.js";
export * from "./warmup.js";
