// What producers send: rate shapes over time, record sizes and partition keys.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { H, S } from "./common.js";
import { duration, recordRate, size } from "./fields.js";

// ---------------------------------------------------------------------------------------------------------
// Traffic shapes: how many records per second a producer offers over time.

const arrivalsField = (dflt: "even" | "poisson") =>
  z
    .enum(["even", "poisson"])
    .default(dflt)
    .describe("even: records evenly spaced at the rate; poisson: a Poisson process with that rate (random gaps, per-second bursts).");

/**
 * The most records per second a producer group may offer (any rate shape, a trace's periods × scale): 100 times what
 * the largest stream accepts, 10,000 shards × 1,000 records/s (MAX_SHARDS_PER_STREAM × SHARD_WRITE_RECORDS_PER_SECOND),
 * room for KPL user records and for overload. A bound of the simulator that keeps every count of a run exact: at it,
 * a run passes 2^53 records only after 104 days, which the resource guard refuses (src/sweep/resources.ts).
 */
export const MAX_OFFERED_RECORDS_PER_SECOND = 100 * L.MAX_SHARDS_PER_STREAM * L.SHARD_WRITE_RECORDS_PER_SECOND;

const rateValue = recordRate(0, MAX_OFFERED_RECORDS_PER_SECOND);

/** The largest record a stream may take (maxRecordSize's ceiling): what a trace's bytes per record may not pass. */
export const MAX_RECORD_BYTES = L.MAX_RECORD_SIZE_LIMIT;

export const RateShapeSchema = z.discriminatedUnion("shape", [
  z
    .strictObject({
      shape: z.literal("constant"),
      value: rateValue.describe("Records per second for the whole group, e.g. 2000/s."),
      arrivals: arrivalsField("even"),
    })
    .describe("A constant rate."),
  z
    .strictObject({
      shape: z.literal("poisson"),
      value: rateValue.describe("Mean records per second."),
      arrivals: z.literal("poisson").default("poisson"),
    })
    .describe("Poisson arrivals at a constant mean rate."),
  z
    .strictObject({
      shape: z.literal("step"),
      levels: z
        .array(z.strictObject({ at: duration(0, 366 * 24 * H).describe("When this level starts."), value: rateValue.describe("Rate from then on.") }))
        .min(1)
        .describe("Rate levels from their start time on; the first starts at 0s; times ascending."),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A piecewise-constant rate."),
  z
    .strictObject({
      shape: z.literal("ramp"),
      from: rateValue.describe("Rate before and at the start of the ramp."),
      to: rateValue.describe("Rate at the end of the ramp and after."),
      start: duration(0, 366 * 24 * H).prefault("0s").describe("When the ramp starts (rate is `from` before)."),
      end: duration(0, 366 * 24 * H).optional().describe("When the ramp ends (rate is `to` after). Default: end of the run."),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A linear ramp from one rate to another."),
  z
    .strictObject({
      shape: z.literal("diurnal"),
      mean: rateValue.describe("Mean rate over a period."),
      peak: rateValue.describe("Peak rate (≥ mean, ≤ 2 × mean so the trough stays ≥ 0)."),
      period: duration(1 * S, 366 * 24 * H).prefault("24h"),
      peakAt: duration(0, 366 * 24 * H).optional().describe("Time of the (first) peak. Default: the middle of the run, so the run sees the peak."),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A sinusoid: mean + (peak − mean)·cos(2π(t − peakAt)/period)."),
  z
    .strictObject({
      shape: z.literal("spikes"),
      base: rateValue.describe("Rate outside spikes."),
      spikes: z
        .array(
          z.strictObject({
            at: duration(0, 366 * 24 * H).describe("When the spike starts."),
            for: duration(1, 366 * 24 * H).describe("How long the spike lasts."),
            value: rateValue.describe("Rate during the spike."),
          }),
        )
        .min(1),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A base rate with spikes of a given rate and length."),
  z
    .strictObject({
      shape: z.literal("trace"),
      file: z
        .string()
        .min(1)
        .describe("A traffic trace: the CSV `shardcast import cloudwatch` writes (time,records,bytes per period), relative to the scenario file."),
      scale: z.number().gt(0).max(1e6).default(1).describe("Multiplies the trace's records (and bytes): growth planning."),
      within: z
        .enum(["even", "poisson", "bursty"])
        .default("poisson")
        .describe("How a period's records spread inside it, which one-minute sums hide: even, Poisson arrivals at the period's mean rate, or bursty (see peakToMean)."),
      peakToMean: z
        .number()
        .gt(1)
        .max(1_000)
        .default(4)
        .describe("For bursty: each period's records arrive within 1/peakToMean of it, at peakToMean × its mean rate (Poisson), at a random offset."),
      repeat: z
        .boolean()
        .default(false)
        .describe("Replay the trace again from its start when it ends. Default false: after the trace's last period the rate is 0 (a run can go on to watch the backlog drain)."),
    })
    .describe("Traffic replayed from a trace of real metrics (a CloudWatch export): period i of the trace covers [i·period, (i+1)·period) of the run."),
]);

// ---------------------------------------------------------------------------------------------------------
// Record sizes (data blob bytes, not counting the partition key).

const recordBytes = size(1, L.MAX_RECORD_SIZE_LIMIT);

export const RecordSizeSchema = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("fixed"), size: recordBytes }).describe("Every record has the same size."),
  z.strictObject({ dist: z.literal("uniform"), min: recordBytes, max: recordBytes }).describe("Sizes uniform between min and max."),
  z
    .strictObject({
      dist: z.literal("lognormal"),
      median: recordBytes,
      p99: recordBytes,
    })
    .describe("Lognormal sizes with the given median and 99th percentile."),
]);

// ---------------------------------------------------------------------------------------------------------
// Partition keys: which shard each record goes to (MD5 of the key, as the Kinesis developer guide describes).

const keyLength = z
  .int()
  .min(1)
  .max(L.PARTITION_KEY_MAX_LENGTH)
  .describe(`Partition key length in bytes (1..${L.PARTITION_KEY_MAX_LENGTH}); counts toward the 1 MiB/s shard write limit.`);

export const PartitionKeySchema = z.discriminatedUnion("kind", [
  z
    .strictObject({ kind: z.literal("random"), length: keyLength.default(36) })
    .describe("A fresh random key per record (e.g. a UUID): uniform over the hash key space."),
  z
    .strictObject({
      kind: z.literal("zipf"),
      keys: z.int().min(1).max(10_000_000).describe("Number of distinct keys K."),
      exponent: z.number().min(0).max(10).default(1).describe("Zipf exponent s: key of rank i has weight i^-s."),
      prefix: z.string().max(200).default("key-").describe("The keys are the strings prefix + 1 .. prefix + K."),
      names: z
        .enum(["shuffled", "ranked"])
        .default("shuffled")
        .describe(
          "Which name has which popularity. shuffled: the names go to the ranks in an order drawn from the run's seed, so where the most popular keys hash to (and so which shards they load) differs from seed to seed, and a sweep's replications cover it, as it differs between real namings of the same keys. ranked: the key of rank i is prefix + i (keys whose names follow their popularity). Producers and writers of a run with the same prefix and number of keys share the order.",
        ),
    })
    .describe("K keys with Zipf popularity, each routed by the MD5 of its actual string."),
  z
    .strictObject({
      kind: z.literal("hotKeys"),
      keys: z
        .array(z.strictObject({ key: z.string().min(1).max(L.PARTITION_KEY_MAX_LENGTH), share: z.number().gt(0).max(1) }))
        .min(1)
        .describe("Keys and their share of the traffic; the rest of the traffic uses random keys."),
      otherLength: keyLength.default(36).describe("Length of the random keys used by the remaining traffic."),
    })
    .describe("A few hot keys with stated traffic shares; the rest random."),
  z
    .strictObject({
      kind: z.literal("explicit"),
      hashKeys: z
        .array(z.string().regex(/^(0|[1-9]\d{0,38})$/, "an ExplicitHashKey is a decimal string of at most 39 digits"))
        .min(1)
        .describe("ExplicitHashKey values (decimal, 0..2^128−1), used in turn with equal shares unless `shares` is given."),
      shares: z.array(z.number().gt(0)).optional().describe("Relative weight of each hash key."),
      length: keyLength.default(36).describe("Length of the partition key still sent with each record."),
    })
    .describe("ExplicitHashKey overrides the MD5 routing."),
]);

export type RateShape = z.output<typeof RateShapeSchema>;
export type RecordSizeSpec = z.output<typeof RecordSizeSchema>;
export type PartitionKeySpec = z.output<typeof PartitionKeySchema>;
