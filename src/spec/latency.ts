// Latency distributions (put round trips, GetRecords calls, S3 puts, ...).

import { z } from "zod";
import { S } from "./common.js";
import { duration } from "./fields.js";

// ---------------------------------------------------------------------------------------------------------
// Latency distributions.

export const LatencySchema = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("fixed"), value: duration(0, 600 * S) }).describe("Always the same latency."),
  z.strictObject({ dist: z.literal("uniform"), min: duration(0, 600 * S), max: duration(0, 600 * S) }).describe("Latency uniform between min and max."),
  z
    .strictObject({ dist: z.literal("lognormal"), median: duration(1, 600 * S), p99: duration(1, 600 * S) })
    .describe("Lognormal latency with the given median and 99th percentile."),
]);

export type LatencySpec = z.output<typeof LatencySchema>;
