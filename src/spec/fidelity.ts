// How finely the simulation runs.

import { z } from "zod";
import { MS, S } from "./common.js";
import { duration } from "./fields.js";


export const FidelitySchema = z.strictObject({
  granularity: z
    .enum(["batch", "record"])
    .default("batch")
    .describe("batch: records travel as batches (fast, the default); record: every record is its own batch (slow; for checking)."),
  window: duration(1 * MS, 10 * S)
    .prefault("100ms")
    .describe("In batch mode, the interval at which each producer group's traffic is handed to the shards."),
});
