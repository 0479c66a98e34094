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
  mergeOldLogEntries: z
    .boolean()
    .default(true)
    .describe(
      "Merge a shard log's entries that arrived more than a minute before its newest into one a second (more than an hour: one a minute), so a log that a reader far behind holds stays bounded; such a reader sees its records' born times spread over a second instead of a window. false keeps every window's entry (memory grows with the backlog).",
    ),
});
