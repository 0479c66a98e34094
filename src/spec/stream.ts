// The Kinesis data stream.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { H, MS, NAME, NAME_MESSAGE, S } from "./common.js";
import { duration, size } from "./fields.js";

// ---------------------------------------------------------------------------------------------------------
// Stream.

export const StreamSchema = z.strictObject({
  name: z.string().regex(NAME, `stream ${NAME_MESSAGE}`).optional().describe("Default: the scenario name."),
  mode: z.literal("provisioned").default("provisioned").describe("Capacity mode (on-demand comes later)."),
  shards: z.int().min(1).max(L.MAX_SHARDS_PER_STREAM).describe(`Open shards (1..${L.MAX_SHARDS_PER_STREAM}).`),
  retention: duration(L.RETENTION_MIN_HOURS * H, L.RETENTION_MAX_HOURS * H)
    .prefault(`${L.RETENTION_DEFAULT_HOURS}h`)
    .describe("Retention period: 24h (default) to 8760h."),
  maxRecordSize: size(L.DEFAULT_MAX_RECORD_SIZE, L.MAX_RECORD_SIZE_LIMIT)
    .prefault("1MiB")
    .describe(
      "Largest record (data + partition key): 1 MiB by default, up to 10 MiB (since 2025-10). The shard still writes 1 MiB/s: a record larger than its byte bucket (writeBurst × 1 MiB/s) draws on a tank of maxRecordSize refilling at 1 MiB/s, which small records draw on too (an assumption after the AWS guide's tank; AWS: keep large records under 2% of the traffic).",
    ),
  writeBurst: duration(1 * MS, 60 * S)
    .prefault(`${L.DEFAULT_WRITE_BURST_SECONDS}s`)
    .describe("Burst capacity of each shard's write buckets, in time at the limit rate. AWS does not document it (assumption: 1 s)."),
  readBurst: duration(0, 60 * S)
    .prefault(`${L.DEFAULT_READ_BURST_SECONDS}s`)
    .describe("Credit each shard's 2 MiB/s read budget saves while idle, in time at that rate (assumption: 1 s). A GetRecords call the credit covers spends it; a call returning more overdraws the budget and is repaid in full, so the shard refuses calls for bytes ÷ 2 MiB/s: 5 s after a 10 MiB call (GetRecords API reference)."),
});

/** A stream of a `streams:` list: the same settings, with a name of its own (required). */
export const NamedStreamSchema = StreamSchema.extend({
  name: z.string().regex(NAME, `stream ${NAME_MESSAGE}`).describe("The stream's name, unique in the scenario; producers, consumers and delivery streams name it."),
});

export type StreamSpec = z.output<typeof StreamSchema>;
