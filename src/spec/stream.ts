// The Kinesis data stream.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { DEFAULT_REGION, H, MS, NAME, NAME_MESSAGE, S } from "./common.js";
import { byteRate, duration, size } from "./fields.js";
import { parsesAs } from "./parsedAs.js";
import { CAPACITY_MODES } from "./reshards.js";

// ---------------------------------------------------------------------------------------------------------
// Stream.

const StreamFields = z.strictObject({
  name: z.string().regex(NAME, `stream ${NAME_MESSAGE}`).optional().describe("Default: the scenario name."),
  mode: z
    .enum(CAPACITY_MODES)
    .default("provisioned")
    .describe("Capacity mode: provisioned (you set the shards), on-demand (Standard: the service adds shards as the traffic needs them), or on-demand-advantage (warm throughput, no per-stream fee)."),
  shards: z
    .int()
    .min(1)
    .max(L.MAX_SHARDS_PER_STREAM)
    .optional()
    .describe(
      `Open shards at the start (1..${L.MAX_SHARDS_PER_STREAM}: more needs a limit increase). Required for a provisioned stream. On-demand: the shards the service holds at the start; default what twice onDemand.previousPeak needs at 1 MiB/s a shard, at least 4 (a new stream's 4 MB/s), at most what on-demand's maximum write throughput (onDemand.maxWriteThroughput) needs: ${L.ON_DEMAND_MAX_SHARDS.toLocaleString("en-US")} for 10 GB/s in ${L.ON_DEMAND_LARGE_REGIONS.join(", ")}, ${L.onDemandMaxShards(L.ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND_OTHER_REGIONS)} for 200 MB/s elsewhere. A stated count is held as given, past that too (AWS keeps a provisioned stream's shards when it switches to on-demand, and gives on-demand shards no upper limit), but the service's own splits stop there. On-demand Advantage holds at least what its warmThroughput needs (up to ${L.ON_DEMAND_ADVANTAGE_MAX_WARM_SHARDS.toLocaleString("en-US")} for 10 GiB/s).`,
    ),
  onDemand: z
    .strictObject({
      previousPeak: byteRate(0, L.ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND)
        .optional()
        .describe("The stream's peak write throughput over the previous 30 days, at most maxWriteThroughput: it takes up to twice that at once. Default: none, a new stream (4 MB/s)."),
      maxWriteThroughput: byteRate(L.ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND_OTHER_REGIONS, L.ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND)
        .optional()
        .describe(
          `The most on-demand writes, where the service's splits stop (at 1 MiB/s a shard). Default: the documented maximum in the scenario's region: 10 GB/s in ${L.ON_DEMAND_LARGE_REGIONS.join(", ")}, 200 MB/s in other Regions (Kinesis quotas and limits). State it for a Region whose maximum a support ticket raised (up to 10 GB/s).`,
        ),
      scaleDelay: duration(0, 24 * H)
        .prefault(`${L.ON_DEMAND_SCALE_DELAY_SECONDS}s`)
        .describe("How long the service takes to add capacity once a shard's traffic calls for it (AWS: within 15 minutes; an assumption on the exact lag)."),
      warmThroughput: byteRate(0, L.ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND)
        .optional()
        .describe(
          `On-demand Advantage: write throughput kept ready (UpdateStreamWarmThroughput, up to 10 GiB/s: 10,240 MiB/s, not 10 GB/s): the stream holds ceil(warm ÷ 1 MiB/s) shards from the start, up to ${L.ON_DEMAND_ADVANTAGE_MAX_WARM_SHARDS.toLocaleString("en-US")}.`,
        ),
      splitTrigger: byteRate(1, L.SHARD_WRITE_BYTES_PER_SECOND)
        .prefault(`${L.ON_DEMAND_SPLIT_TRIGGER_BYTES_PER_SECOND}B/s`)
        .describe("A shard whose offered write bytes (first attempts, accepted or throttled; retries do not count again) exceed this is split by the service (the 2022 AWS guide: 500 KB/s; an assumption, the current guide does not say)."),
      splitTriggerRecords: z
        .number()
        .min(1)
        .max(L.SHARD_WRITE_RECORDS_PER_SECOND)
        .default(L.ON_DEMAND_SPLIT_TRIGGER_RECORDS_PER_SECOND)
        .describe("A shard whose offered records per second exceed this is split too (an assumption: half the shard's 1,000 records/s, as 500 KB/s is about half its 1 MiB/s)."),
      checkInterval: duration(1 * S, H)
        .prefault("1m")
        .describe("How often the service looks at each shard's traffic and decides to split (an assumption: AWS does not say). A split it decides completes scaleDelay − checkInterval later, so a surge throttles for at most about scaleDelay."),
      warmDelay: duration(0, H)
        .prefault("0s")
        .describe("How long a warm-throughput change (UpdateStreamWarmThroughput) takes to open its shards (an assumption: AWS says the capacity is ready for the traffic, not how soon)."),
    })
    .prefault({})
    .describe("On-demand capacity (ignored for a provisioned stream)."),
  reshardDuration: z
    .strictObject({
      splitMerge: duration(0, 24 * H).prefault("30s").describe("How long a SplitShard or MergeShards keeps the stream UPDATING before the children open (an assumption: AWS gives no figure)."),
      uniformScaling: duration(0, 24 * H)
        .prefault("5m")
        .describe("How long an UpdateShardCount takes (AWS: \"a few minutes\"; an assumption)."),
      uniformScalingQuarter: duration(0, 24 * H)
        .prefault("2m")
        .describe("How long an UpdateShardCount to a multiple of 25% of the open shards takes (AWS: such targets finish faster; an assumption)."),
    })
    .prefault({})
    .describe("How long resharding takes (assumptions to set from your own measurements)."),
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

/**
 * The shards an on-demand stream holds at the start: what twice its previous peak needs at 1 MiB/s a shard, at most
 * what on-demand's maximum write throughput (`maxWrite`, bytes/s: 10 GB/s by default, 200 MB/s outside us-east-1,
 * us-west-2 and eu-west-1) needs (9,537 shards for 10 GB/s, 191 for 200 MB/s: where the service's own splits stop too,
 * src/model/scaling/onDemand.ts), at least a new stream's 4 MB/s (4 shards), and On-demand Advantage's warm throughput's.
 */
export function onDemandShardsAtStart(previousPeak: number | undefined, warmThroughput?: number, maxWrite = L.ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND): number {
  const bytes = Math.max(L.ON_DEMAND_NEW_STREAM_WRITE_BYTES_PER_SECOND, L.ON_DEMAND_PEAK_MULTIPLE * (previousPeak ?? 0));
  return Math.max(Math.min(L.onDemandMaxShards(maxWrite), Math.max(1, Math.ceil(bytes / L.SHARD_WRITE_BYTES_PER_SECOND))), warmShards(warmThroughput ?? 0));
}

/**
 * On-demand's maximum write throughput (bytes/s) of a stream in `region` (the scenario's; us-east-1 when it states
 * none): its stated onDemand.maxWriteThroughput (a raised maximum), else the Region's documented one
 * (L.onDemandDefaultMaxWrite: 10 GB/s in us-east-1, us-west-2 and eu-west-1, 200 MB/s elsewhere).
 */
export function onDemandMaxWrite(spec: Pick<StreamSpec, "onDemand">, region: string | undefined): number {
  return spec.onDemand.maxWriteThroughput ?? L.onDemandDefaultMaxWrite(region ?? DEFAULT_REGION);
}

/**
 * A stream in the scenario's `region`: an on-demand stream's shards at the start, when not stated, capped at what its
 * maximum write throughput there needs (the stream schema alone takes us-east-1's); `shardsStated`, which says so, left
 * out (the parsed scenario, which report.json echoes, does not carry it).
 */
export function inRegion<T extends StreamSpec>(spec: T, region: string | undefined): T {
  const { shardsStated, ...rest } = spec;
  if (shardsStated === true || spec.mode === "provisioned") return rest as T;
  const warm = spec.mode === "on-demand-advantage" ? spec.onDemand.warmThroughput : undefined;
  return { ...rest, shards: onDemandShardsAtStart(spec.onDemand.previousPeak, warm, onDemandMaxWrite(spec, region)) } as T;
}

/**
 * The shards warm throughput keeps open, at 1 MiB/s a shard: 10,240 for the documented 10 GiB/s
 * (ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND), bounded neither by UpdateShardCount's 10,000 shards (a provisioned
 * stream's call) nor by On-demand Standard's 10 GB/s.
 */
export function warmShards(warmThroughput: number): number {
  return Math.ceil(warmThroughput / L.SHARD_WRITE_BYTES_PER_SECOND);
}

/**
 * A provisioned stream states its shards; an on-demand one starts with what its capacity needs in us-east-1
 * (`shardsStated` false: the scenario's region may lower it, inRegion, which leaves the marker out).
 */
function withShards<T extends z.output<typeof StreamFields>>(s: T, ctx: z.RefinementCtx): T & { shards: number; shardsStated?: boolean } {
  // On-demand Advantage keeps the warm throughput's shards open from the start (at 1 MiB/s a shard).
  const warm = s.mode === "on-demand-advantage" ? warmShards(s.onDemand.warmThroughput ?? 0) : 0;
  if (s.shards !== undefined) return { ...s, shards: Math.max(s.shards, warm), shardsStated: true };
  if (s.mode === "provisioned") ctx.addIssue({ code: "custom", path: ["shards"], message: "missing required field `shards` (a provisioned stream states its shard count); expected a whole number (1..10000), or mode: on-demand" });
  const shards = onDemandShardsAtStart(s.onDemand.previousPeak, s.mode === "on-demand-advantage" ? s.onDemand.warmThroughput : undefined, onDemandMaxWrite(s, undefined));
  return { ...s, shards, shardsStated: false };
}

/** A stream of a `streams:` list: the same settings, with a name of its own (required). */
const NamedStreamFields = StreamFields.extend({
  name: z.string().regex(NAME, `stream ${NAME_MESSAGE}`).describe("The stream's name, unique in the scenario; producers, consumers and delivery streams name it."),
});

/**
 * The shards a parsed stream holds at the start (withShards, inRegion), as report.json's echo of the scenario gives
 * them: at most On-demand Advantage's 10,240 for 10 GiB/s of warm throughput, past a stated count's 10,000 and
 * on-demand's 9,537 for 10 GB/s.
 */
const PARSED_SHARDS = z
  .int()
  .min(1)
  .max(Math.max(L.MAX_SHARDS_PER_STREAM, L.ON_DEMAND_MAX_SHARDS, L.ON_DEMAND_ADVANTAGE_MAX_WARM_SHARDS))
  .describe(
    "Open shards at the start: the stated count (at least what On-demand Advantage's warmThroughput keeps open), or, for an on-demand stream that states none, what its capacity needs in the scenario's region.",
  );

// The stream as the parsed scenario holds it, for JSON Schema only (the transform's output, which JSON Schema cannot
// derive; report.json echoes it): the same fields, parsed, with `shards` always there and no `shardsStated` (inRegion
// leaves it out).
export const StreamSchema = parsesAs(StreamFields.transform(withShards), StreamFields.extend({ shards: PARSED_SHARDS }));
export const NamedStreamSchema = parsesAs(NamedStreamFields.transform(withShards), NamedStreamFields.extend({ shards: PARSED_SHARDS }));

export type StreamSpec = z.output<typeof StreamSchema>;
