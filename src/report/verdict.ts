// The verdict a reviewer reads first: whether each SLO is met, which limit binds, and the hottest shard.
// Pure function of a RunResult.

import { max, min, quantile, sum } from "d3-array";
import { hottestFirst } from "../model/hotShards.js";
import type { RunResult, ShardResult } from "../model/runResult.js";

export interface SloVerdict {
  name: string;
  description: string;
  unit: "%" | "ms";
  target: number;
  actual: number;
  met: boolean;
}

export interface Verdict {
  /** null when the scenario states no SLOs. */
  slosMet: boolean | null;
  slos: SloVerdict[];
  /** Stream-wide figures after warmup. */
  writeThrottledPercent: number;
  recordsLostPercent: number;
  /** How evenly accepted records spread over the shards after warmup: records/s per shard. */
  perShardRecordsPerSecond: { min: number; median: number; p90: number; max: number };
  /** Mean offered load as a share of the whole stream's write capacity (records or bytes, whichever is higher). */
  streamUtilisation: { records: number; bytes: number };
  binding: {
    /** The limit that throttled writes, or the one closest to doing so. */
    limit: "shard write records" | "shard write bytes";
    throttling: boolean;
    /** Throttled attempts due to each limit (after warmup). */
    throttledByRecords: number;
    throttledByBytes: number;
    shardsThrottled: number;
  };
  hottestShard: {
    index: number;
    id: string;
    expectedShare: number;
    throttledRecords: number;
    peakOffered: ShardResult["peakOffered"];
  } | null;
}

export function verdictOf(r: RunResult): Verdict {
  let attempts = 0;
  let throttled = 0;
  let offered = 0;
  let lost = 0;
  let offeredBytes = 0;
  for (const p of r.producers) {
    attempts += p.attempts;
    throttled += p.throttledAttempts;
    offered += p.offeredAfterWarmup;
    lost += p.lostAfterWarmup;
    offeredBytes += p.offeredWriteBytesAfterWarmup;
  }
  const writeThrottledPercent = attempts > 0 ? (100 * throttled) / attempts : 0;
  const recordsLostPercent = offered > 0 ? (100 * lost) / offered : 0;
  const statSeconds = (r.durationUs - r.warmupUs) / 1e6;
  const n = r.stream.shardCount;
  const streamUtilisation = {
    records: offered / statSeconds / (n * r.stream.limits.recordsPerSecond),
    bytes: offeredBytes / statSeconds / (n * r.stream.limits.bytesPerSecond),
  };

  const byRecords = sum(r.shards, (s) => s.throttledByRecordLimit);
  const byBytes = sum(r.shards, (s) => s.throttledByByteLimit);
  const shardsThrottled = r.shards.filter((s) => s.throttledRecords > 0).length;
  const hot = r.shards.length > 0 ? hottestFirst(r.shards)[0]! : -1;
  const hs = hot >= 0 ? r.shards[hot]! : undefined;
  let limit: Verdict["binding"]["limit"];
  if (byRecords + byBytes > 0) limit = byRecords >= byBytes ? "shard write records" : "shard write bytes";
  else if (hs && hs.peakOffered.at >= 0) {
    limit = hs.peakOffered.records / r.stream.limits.recordsPerSecond >= hs.peakOffered.bytes / r.stream.limits.bytesPerSecond ? "shard write records" : "shard write bytes";
  } else limit = streamUtilisation.records >= streamUtilisation.bytes ? "shard write records" : "shard write bytes";

  const slos: SloVerdict[] = [];
  const slo = r.scenario.slo;
  if (slo.writeThrottledPercent !== undefined) {
    slos.push({ name: "writeThrottledPercent", description: "put attempts throttled", unit: "%", target: slo.writeThrottledPercent, actual: writeThrottledPercent, met: writeThrottledPercent <= slo.writeThrottledPercent });
  }
  if (slo.recordsLostPercent !== undefined) {
    slos.push({ name: "recordsLostPercent", description: "offered records lost", unit: "%", target: slo.recordsLostPercent, actual: recordsLostPercent, met: recordsLostPercent <= slo.recordsLostPercent });
  }
  const latencySlo = (name: string, description: string, target: number | undefined, actualUs: number) => {
    if (target === undefined) return;
    slos.push({ name, description, unit: "ms", target: target / 1_000, actual: actualUs / 1_000, met: actualUs <= target });
  };
  latencySlo("putLatencyP50", "put latency p50", slo.putLatencyP50, r.putLatency.p50);
  latencySlo("putLatencyP99", "put latency p99", slo.putLatencyP99, r.putLatency.p99);
  latencySlo("putLatencyP999", "put latency p99.9", slo.putLatencyP999, r.putLatency.p999);

  const perShard = r.shards.map((s) => s.incomingRecords / statSeconds);
  return {
    slosMet: slos.length === 0 ? null : slos.every((s) => s.met),
    perShardRecordsPerSecond: {
      min: min(perShard) ?? 0,
      median: quantile(perShard, 0.5) ?? 0,
      p90: quantile(perShard, 0.9) ?? 0,
      max: max(perShard) ?? 0,
    },
    slos,
    writeThrottledPercent,
    recordsLostPercent,
    streamUtilisation,
    binding: { limit, throttling: byRecords + byBytes > 0, throttledByRecords: byRecords, throttledByBytes: byBytes, shardsThrottled },
    hottestShard: hs
      ? { index: hot, id: hs.id, expectedShare: hs.expectedShare, throttledRecords: hs.throttledRecords, peakOffered: hs.peakOffered }
      : null,
  };
}
