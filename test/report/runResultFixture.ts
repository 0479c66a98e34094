// A small RunResult built by hand, so every expected figure can be worked out on paper: a 2-shard stream,
// 110 s with 10 s of warmup (100 s of statistics), one SDK producer offering 1000 records/s of 1 KiB + a
// 36-byte key. Shared by the report tests.
import type { LatencySummary } from "../../src/metrics/latency.js";
import type { FirehoseResult, PeakSecond, ProducerResult, RunResult, ShardResult, ShardTraffic, StageTail, StreamRun } from "../../src/result/runResult.js";
import type { Provenance } from "../../src/report/json.js";
import { ScenarioSchema, type ScenarioInput } from "../../src/spec/index.js";

export const S = 1_000_000;
export const MiB = 1_048_576;
export const RECORD_LIMIT = 1_000;
export const HALF = 2n ** 127n;

/** A peak second; utilisation as the tracker computes it: max(records / 1000, bytes / 1 MiB). */
export function peak(atSeconds: number, records: number, bytes: number): PeakSecond {
  return { at: atSeconds < 0 ? -1 : atSeconds * S, records, bytes, utilisation: Math.max(records / RECORD_LIMIT, bytes / MiB) };
}

export function shard(i: number, over: Partial<ShardResult> = {}): ShardResult {
  return {
    id: `shardId-${String(i).padStart(12, "0")}`,
    startingHashKey: (BigInt(i) * HALF).toString(),
    endingHashKey: (BigInt(i + 1) * HALF - 1n).toString(),
    expectedShare: 0.5,
    incomingRecords: 50_000,
    incomingUsers: 50_000,
    incomingBytes: 53_000_000,
    throttledRecords: 0,
    throttledByRecordLimit: 0,
    throttledByByteLimit: 0,
    peakIncoming: peak(20 + i, 600, 636_000),
    peakOffered: peak(20 + i, 600, 636_000),
    // First attempts after warmup: the incoming records and bytes over 100 s (500 records/s, 530,000 B/s).
    demand: { records: 50_000, bytes: 53_000_000, utilisation: Math.max(500 / RECORD_LIMIT, 530_000 / MiB) },
    storedRecords: 55_000,
    ...over,
  };
}

export function latency(over: Partial<LatencySummary> = {}): LatencySummary {
  return { count: 100_000, mean: 25_000, p50: 20_000, p90: 40_000, p99: 100_000, p999: 150_000, max: 200_000, ...over };
}

/** Stage tails that say nothing (no records), for results built by hand. */
export function noStages<S extends string>(names: readonly S[]): { p50: StageTail<S>; p99: StageTail<S>; p999: StageTail<S> } {
  const t = (): StageTail<S> => ({ count: 0, meanUs: 0, stagesUs: Object.fromEntries(names.map((n) => [n, 0])) as Record<S, number> });
  return { p50: t(), p99: t(), p999: t() };
}

export const CDF = Array.from({ length: 200 }, (_, i) => ({ value: (i + 1) * 1_000, fraction: (i + 1) / 200 }));

export function producer(over: Partial<ProducerResult> = {}): ProducerResult {
  return {
    name: "web",
    client: "sdk",
    group: "web",
    instances: 1,
    keys: "random keys (36 B), uniform over the hash key space",
    topKeys: [],
    offered: 110_000,
    accepted: 110_000,
    lost: { throttledPastRetries: 0, tooLarge: 0, expiredKplTtl: 0, failedThrottled: 0 },
    lostAfterWarmupByReason: { throttledPastRetries: 0, tooLarge: 0, expiredKplTtl: 0, failedThrottled: 0 },
    inFlight: { buffered: 0, awaitingRetry: 0 },
    attempts: 100_000,
    throttledAttempts: 0,
    retriedRecords: 0,
    offeredAfterWarmup: 100_000,
    acceptedAfterWarmup: 100_000,
    offeredKinesisAfterWarmup: 100_000,
    offeredWriteBytesAfterWarmup: 106_000_000, // 100,000 × (1024 + 36)
    lostAfterWarmup: 0,
    requests: 1_100,
    putLatency: latency(),
    putLatencyCdf: CDF,
    clientMetrics: {},
    ...over,
  };
}

export interface Build {
  slo?: ScenarioInput["slo"];
  description?: string;
  shards?: ShardResult[];
  producers?: ProducerResult[];
  putLatency?: Partial<LatencySummary>;
  /** The first-try puts' latency (the same as putLatency unless given). */
  putLatencyRoundTrip?: Partial<LatencySummary>;
  /** Scenario fields beyond the defaults (e.g. firehose, producers). */
  scenario?: Partial<ScenarioInput>;
  firehose?: FirehoseResult[];
  /** The throttled shards' traffic by hash key (none by default). */
  hotShardTraffic?: ShardTraffic[];
}

export function runResult(b: Build = {}): RunResult {
  const shards = b.shards ?? [shard(0), shard(1)];
  const scenario = ScenarioSchema.parse({
    name: "unit-test",
    ...(b.description ? { description: b.description } : {}),
    seed: 5,
    duration: "110s",
    warmup: "10s",
    stream: { name: "clicks", shards: shards.length },
    producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    slo: b.slo ?? {},
    ...b.scenario,
  });
  const points = 11; // 110 s at 10 s
  const series = (v: number) => Array.from({ length: points }, () => v);
  const stream: StreamRun = {
    stream: { declared: true, name: "clicks", shardCount: shards.length, modes: [{ atUs: 0, mode: "provisioned" }], openShards: { atStart: shards.length, atEnd: shards.length, meanAfterWarmup: shards.length }, writeBurstSeconds: 1, maxRecordSize: MiB, limits: { bytesPerSecond: MiB, recordsPerSecond: RECORD_LIMIT } },
    shards,
    reshards: [],
    series: { incomingRecords: series(10_000), incomingBytes: series(10_600_000), throttledRecords: series(0), maxShardUtilisation: series(0.6) },
    hotShardSeries: [{ shard: shards[0]!.id, incomingRecords: series(5_000), incomingBytes: series(5_300_000), throttledRecords: series(0) }],
    hotShardTraffic: b.hotShardTraffic ?? [],
    heatmap: { binSeconds: 10, shards: [], utilisation: [], throttled: [] },
    shardReads: [],
    accounting: { offered: 110_000, accepted: 110_000, inFlight: 0, lost: 0, balanced: true },
  };
  const { accounting: _, ...first } = stream;
  return {
    scenario,
    seed: 5,
    durationUs: 110 * S,
    warmupUs: 10 * S,
    resolutionUs: 10 * S,
    granularity: "batch",
    windowUs: 100_000,
    ...first,
    // Each producer writes to the stream unless the scenario gives it a delivery stream (Direct PUT).
    producers: (b.producers ?? [producer()]).map((p) => {
      const spec = scenario.producers.find((x) => x.name === p.group) as { deliveryStream?: string } | undefined;
      return spec?.deliveryStream !== undefined || p.stream !== undefined ? p : { ...p, stream: "clicks" };
    }),
    putLatency: latency(b.putLatency),
    putLatencyCdf: CDF,
    putLatencyRoundTrip: latency(b.putLatencyRoundTrip ?? b.putLatency),
    // No wait for a connection: the round trips are all sent → response.
    putLatencyConnectionWait: { ...latency(b.putLatencyRoundTrip ?? b.putLatency), mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    putLatencyRoundTripSent: latency(b.putLatencyRoundTrip ?? b.putLatency),
    putLatencyWaits: { ...latency(b.putLatency), mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    accounting: { offered: 110_000, accepted: 110_000, inFlight: { buffered: 0, awaitingRetry: 0 }, lost: { throttledPastRetries: 0, tooLarge: 0, expiredKplTtl: 0, failedThrottled: 0 }, balanced: true },
    streams: [stream],
    writers: [],
    sinks: [],
    consumers: [],
    firehose: b.firehose ?? [],
    faults: [],
    cost: { total: 43.8, items: [{ item: "shard-hours", usd: 43.8 }], prices: "test prices", priceTable: { id: "us-east-1", compiled: "2026-12-05", overridden: [] }, hints: [] },
    engine: { events: 1_234, batches: 5_678 },
  };
}

export const PROVENANCE: Provenance = { scenarioFile: "scenarios/unit-test.yaml", scenarioSha256: "ab".repeat(32) };
