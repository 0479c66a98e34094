// Resharding and capacity-mode events at given times: SplitShard, MergeShards, UpdateShardCount (UNIFORM_SCALING),
// a switch of capacity mode, and On-demand Advantage's UpdateStreamWarmThroughput. The rules the service enforces
// (a target between half and twice the open shards, 10 scaling operations per rolling 24 h, the shard quotas, two
// UpdateStreamMode switches per 24 h, an account's on-demand streams in one mode) are checked where the scenario is assembled (src/spec/scenario.ts) and when they happen.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { H, streamRef } from "./common.js";
import { byteRate, duration } from "./fields.js";

const at = () => duration(0, 366 * 24 * H).describe("When the operation is called.");
const stream = () => streamRef().optional().describe("The stream (required when the scenario has several).");
/** A shard: its id as ListShards gives it (shardId-000000000003) or its index (3). */
const shardRef = () =>
  z
    .union([z.int().min(0).max(1_000_000), z.string().regex(/^shardId-\d{12}$/, "a shard id such as shardId-000000000003, or its index")])
    .meta({ "x-expected": "a shard index (a whole number 0..1000000) or a shard id such as shardId-000000000003" })
    .describe("A shard: shardId-000000000003, or its index 3. Child shards continue the numbering.");

export const CAPACITY_MODES = ["provisioned", "on-demand", "on-demand-advantage"] as const;

export const ReshardSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({
      at: at(),
      kind: z.literal("split"),
      stream: stream(),
      shard: shardRef(),
      hashKey: z
        .string()
        .regex(/^\d{1,39}$/, "a hash key is a decimal integer between the shard's starting hash key + 1 and its ending hash key")
        .optional()
        .describe("NewStartingHashKey: the first hash key of the second child (decimal). Default: the middle of the shard's range."),
    })
    .describe("SplitShard: an open shard becomes two children at a hash key; the parent is closed (readable, no writes)."),
  z
    .strictObject({
      at: at(),
      kind: z.literal("merge"),
      stream: stream(),
      shards: z.tuple([shardRef(), shardRef()]).describe("Two adjacent open shards (their hash key ranges touch)."),
    })
    .describe("MergeShards: two adjacent open shards become one child; both parents are closed."),
  z
    .strictObject({
      at: at(),
      kind: z.literal("update-shard-count"),
      stream: stream(),
      target: z.int().min(1).max(L.MAX_SHARDS_PER_STREAM).describe("TargetShardCount: between half and twice the open shards."),
    })
    .describe("UpdateShardCount (UNIFORM_SCALING): splits and merges to the target, evenly over the hash key space."),
  z
    .strictObject({
      at: at(),
      kind: z.literal("switch-mode"),
      stream: stream(),
      mode: z.enum(CAPACITY_MODES).describe("The capacity mode to switch to."),
    })
    .describe(
      "Switch capacity mode; the shard count is kept. Between provisioned and on-demand (either) it is UpdateStreamMode, at most twice per rolling 24 hours; between on-demand and on-demand-advantage it is the account's setting (UpdateAccountSettings), which does not count and covers every on-demand stream of the account: switch them all at once. An account that entered On-demand Advantage at a switch-mode leaves it (to on-demand, or its last Advantage stream to provisioned) 24 hours later at the earliest: its minimum throughput commitment lasts that long (MinimumThroughputBillingCommitmentInput API reference).",
    ),
  z
    .strictObject({
      at: at(),
      kind: z.literal("warm-throughput"),
      stream: stream(),
      value: byteRate(0, L.ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND).describe("Write throughput kept ready (On-demand Advantage, up to 10 GiB/s)."),
    })
    .describe("UpdateStreamWarmThroughput (On-demand Advantage): write throughput ready at once."),
]);

export type ReshardSpec = z.output<typeof ReshardSchema>;
