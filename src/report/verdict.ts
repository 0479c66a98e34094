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

/** What holds a consumer back, most serious first. */
export type ConsumerBottleneck = "retention" | "skipped records" | "lease table" | "shard read calls" | "shard read bytes" | "processing" | "none";

export interface ConsumerVerdict {
  name: string;
  bottleneck: ConsumerBottleneck;
  /** One sentence for the report. */
  explanation: string;
  lostPercent: number;
  readThrottledPercent: number;
  /** Records processed per second after warmup. */
  processedPerSecond: number;
}

export interface Verdict {
  consumers: ConsumerVerdict[];
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
  let offeredKinesis = 0;
  for (const p of r.producers) {
    offeredKinesis += p.offeredKinesisAfterWarmup;
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
    records: offeredKinesis / statSeconds / (n * r.stream.limits.recordsPerSecond),
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
  const consumers = r.consumers.map((c) => consumerVerdict(r, c, statSeconds));
  if (r.consumers.length > 0) {
    const worst = (f: (c: RunResult["consumers"][number]) => number) => Math.max(...r.consumers.map(f));
    latencySlo("endToEndP50", "end-to-end latency p50 (worst consumer)", slo.endToEndP50, worst((c) => c.endToEnd.p50));
    latencySlo("endToEndP99", "end-to-end latency p99 (worst consumer)", slo.endToEndP99, worst((c) => c.endToEnd.p99));
    latencySlo("maxIteratorAge", "iterator age, max (worst consumer)", slo.maxIteratorAge, worst((c) => c.maxIteratorAge));
    if (slo.consumerLostPercent !== undefined) {
      const lost = Math.max(...consumers.map((c) => c.lostPercent));
      slos.push({ name: "consumerLostPercent", description: "records a consumer never processed (worst consumer)", unit: "%", target: slo.consumerLostPercent, actual: lost, met: lost <= slo.consumerLostPercent });
    }
  }

  return {
    consumers,
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

function consumerVerdict(r: RunResult, c: RunResult["consumers"][number], statSeconds: number): ConsumerVerdict {
  const a = c.accounting;
  const lostPercent = a.accepted > 0 ? (100 * (a.expiredUnread + a.skipped)) / a.accepted : 0;
  const readThrottledPercent = c.getRecordsCalls > 0 ? (100 * c.readThrottles) / c.getRecordsCalls : 0;
  const processedPerSecond = sum(c.series.recordsProcessed.slice(Math.floor(r.warmupUs / r.resolutionUs))) / statSeconds;
  const base = { name: c.name, lostPercent, readThrottledPercent, processedPerSecond };
  const age = (us: number) => (us >= 60_000_000 ? `${(us / 60_000_000).toFixed(1)} min` : `${(us / 1_000_000).toFixed(1)} s`);
  if (a.expiredUnread > 0) {
    return { ...base, bottleneck: "retention", explanation: `${c.name} fell more than the retention period behind: ${a.expiredUnread} records expired before it processed them (iterator age reached ${age(c.maxIteratorAge)}).` };
  }
  const l = c.leases;
  if (l.renewalsThrottled + l.checkpointsThrottled + l.takesThrottled > 0) {
    const cap = c.leaseTable.provisioned ? `${c.leaseTable.provisioned.write} WCU` : "on-demand";
    return {
      ...base,
      bottleneck: "lease table",
      explanation: `${c.name}'s lease table (${cap}) throttled ${l.renewalsThrottled} lease renewals and ${l.checkpointsThrottled} checkpoints; ${l.lost} leases were lost and ${c.reprocessed} records processed again.`,
    };
  }
  if (readThrottledPercent > 1) {
    const readBytesPerSecond = sum(r.shardReads, (s) => s.bytes) / statSeconds / Math.max(1, r.stream.shardCount);
    const bytes = readBytesPerSecond >= 0.8 * 2_097_152;
    return {
      ...base,
      bottleneck: bytes ? "shard read bytes" : "shard read calls",
      explanation: `${readThrottledPercent.toFixed(1)}% of ${c.name}'s GetRecords calls were throttled: the polling consumers together need more than the shared ${bytes ? "2 MiB/s" : "5 calls/s"} per shard.`,
    };
  }
  const series = c.series.iteratorAge.slice(Math.floor(r.warmupUs / r.resolutionUs));
  const q = Math.max(1, Math.floor(series.length / 4));
  const early = sum(series.slice(0, q)) / q;
  const late = sum(series.slice(-q)) / q;
  if (late > 60_000_000 && late > 2 * early) {
    return { ...base, bottleneck: "processing", explanation: `${c.name} falls further behind: its iterator age grew to ${age(c.maxIteratorAge)}; it processes ${processedPerSecond.toFixed(0)} records/s.` };
  }
  if (a.skipped > 0) {
    return { ...base, bottleneck: "skipped records", explanation: `${c.name} skipped ${a.skipped} records: a lease changed hands with no checkpoint and the new owner started at LATEST.` };
  }
  return { ...base, bottleneck: "none", explanation: `${c.name} keeps up (iterator age at most ${age(c.maxIteratorAge)}).` };
}
