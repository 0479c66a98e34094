// The verdict a reviewer reads first: whether each SLO is met, which limit binds, the hottest shard, how each
// consumer and each Firehose delivery stream fares. Pure function of a RunResult.

import { max, min, quantile, sum } from "d3-array";
import { hottestFirst } from "../result/hotShards.js";
import type { FirehoseResult, RunResult, ShardResult } from "../result/runResult.js";
import { deliveryStreamOf } from "../spec/index.js";
import { bytesHuman, humanDuration, pct, thousands } from "./format.js";
import type { SloJson } from "./reportTypes.js";

/** An SLO's verdict: the same shape report.json carries. */
export type SloVerdict = SloJson;

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

/** How a Firehose delivery stream fares: its flush rhythm, which buffering hint binds, what it did not deliver. */
export interface FirehoseVerdict {
  name: string;
  /** The buffering hint that triggered most flushes (whole run; size on a tie); null when nothing was flushed. */
  binds: "size" | "interval" | null;
  /** Mean time between flushes after warmup (µs), from the flush series; null with fewer than two flushes. */
  flushEveryUs: number | null;
  /** After warmup, per second. */
  incomingRecordsPerSecond: number;
  incomingBytesPerSecond: number;
  deliveredRecordsPerSecond: number;
  deliveredBytesPerSecond: number;
  /** Records that came in after warmup and were not delivered (processing-failed, given up, expired), %. */
  notDeliveredPercent: number;
  /** Direct PUT: records throttled ÷ records offered (attempts, retries included) after warmup, %; 0 otherwise. */
  throttledPercent: number;
  /** One sentence for the report. */
  explanation: string;
}

export interface Verdict {
  consumers: ConsumerVerdict[];
  firehose: FirehoseVerdict[];
  /** null when the scenario states no SLOs. */
  slosMet: boolean | null;
  slos: SloVerdict[];
  /** Stream-wide figures after warmup. */
  /** Put attempts to the Kinesis stream throttled, %. */
  writeThrottledPercent: number;
  /** Every put attempt throttled, the stream's and Firehose Direct PUT's alike, % (what the writeThrottledPercent SLO judges). */
  putThrottledPercent: number;
  /** Whether any producer writes to the Kinesis stream (every producer may write to delivery streams instead). */
  streamWritten: boolean;
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
  let allAttempts = 0;
  let allThrottled = 0;
  let streamWritten = false;
  for (const p of r.producers) {
    offered += p.offeredAfterWarmup;
    lost += p.lostAfterWarmup;
    allAttempts += p.attempts;
    allThrottled += p.throttledAttempts;
    // Producers writing to a Firehose delivery stream (Direct PUT) neither load nor get throttled by the Kinesis stream.
    if (!writesToStream(r, p.name)) continue;
    streamWritten = true;
    offeredKinesis += p.offeredKinesisAfterWarmup;
    attempts += p.attempts;
    throttled += p.throttledAttempts;
    offeredBytes += p.offeredWriteBytesAfterWarmup;
  }
  const writeThrottledPercent = attempts > 0 ? (100 * throttled) / attempts : 0;
  const putThrottledPercent = allAttempts > 0 ? (100 * allThrottled) / allAttempts : 0;
  const recordsLostPercent = offered > 0 ? (100 * lost) / offered : 0;
  const statSeconds = (r.durationUs - r.warmupUs) / 1e6;
  const n = r.stream.shardCount;
  const streamUtilisation =
    n > 0
      ? { records: offeredKinesis / statSeconds / (n * r.stream.limits.recordsPerSecond), bytes: offeredBytes / statSeconds / (n * r.stream.limits.bytesPerSecond) }
      : { records: 0, bytes: 0 };

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
    const description = allAttempts > attempts ? (attempts > 0 ? "put attempts throttled (stream and Direct PUT)" : "put attempts throttled (Direct PUT)") : "put attempts throttled";
    slos.push({ name: "writeThrottledPercent", description, unit: "%", target: slo.writeThrottledPercent, actual: putThrottledPercent, met: putThrottledPercent <= slo.writeThrottledPercent });
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
  const firehose = r.firehose.map((f) => firehoseVerdict(r, f, statSeconds));
  if (r.firehose.length > 0) {
    const worst = (f: (x: FirehoseResult) => number) => Math.max(...r.firehose.map(f));
    latencySlo("deliveryP99", "delivery latency p99 (worst delivery stream)", slo.deliveryP99, worst((f) => f.deliveryLatency.p99));
    latencySlo("dataFreshness", "max DataFreshness (worst delivery stream)", slo.dataFreshness, worst((f) => f.maxDataFreshness));
    if (slo.firehoseNotDeliveredPercent !== undefined) {
      const notDelivered = Math.max(...firehose.map((f) => f.notDeliveredPercent));
      slos.push({
        name: "firehoseNotDeliveredPercent",
        description: "records a delivery stream did not deliver (worst delivery stream)",
        unit: "%",
        target: slo.firehoseNotDeliveredPercent,
        actual: notDelivered,
        met: notDelivered <= slo.firehoseNotDeliveredPercent,
      });
    }
  }

  return {
    consumers,
    firehose,
    slosMet: slos.length === 0 ? null : slos.every((s) => s.met),
    perShardRecordsPerSecond: {
      min: min(perShard) ?? 0,
      median: quantile(perShard, 0.5) ?? 0,
      p90: quantile(perShard, 0.9) ?? 0,
      max: max(perShard) ?? 0,
    },
    slos,
    writeThrottledPercent,
    putThrottledPercent,
    streamWritten,
    recordsLostPercent,
    streamUtilisation,
    binding: { limit, throttling: byRecords + byBytes > 0, throttledByRecords: byRecords, throttledByBytes: byBytes, shardsThrottled },
    hottestShard: hs
      ? { index: hot, id: hs.id, expectedShare: hs.expectedShare, throttledRecords: hs.throttledRecords, peakOffered: hs.peakOffered }
      : null,
  };
}

/** Whether a producer writes to the Kinesis stream (not to a delivery stream with Direct PUT). */
export function writesToStream(r: RunResult, producer: string): boolean {
  const spec = r.scenario.producers.find((p) => p.name === producer);
  return !spec || deliveryStreamOf(spec) === undefined;
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

/** A figure for a sentence, to about three digits: "850 ms", "10.5 s", "2 min 5 s". */
export function roughDuration(us: number): string {
  if (us < 1_000_000) return `${Math.round(us / 1_000)} ms`;
  if (us < 100_000_000) return `${+(us / 1_000_000).toFixed(1)} s`;
  return humanDuration(us);
}

/** A size for a sentence, to three significant digits: "5 MiB", "1.25 MiB", "512 KiB". */
export function roughBytes(b: number): string {
  const [unit, per] = b >= 1_073_741_824 ? ["GiB", 1_073_741_824] : b >= 1_048_576 ? ["MiB", 1_048_576] : b >= 1_024 ? ["KiB", 1_024] : ["B", 1];
  return `${+(b / per).toPrecision(3)} ${unit}`;
}

/** Mean time between flushes after warmup (µs): from the first flush's step to the last's, over the gaps between. */
export function flushEvery(r: RunResult, f: FirehoseResult): number | null {
  const from = Math.ceil(r.warmupUs / r.resolutionUs);
  let n = 0;
  let first = -1;
  let last = -1;
  for (let i = from; i < f.series.flushesBySize.length; i++) {
    const k = f.series.flushesBySize[i]! + f.series.flushesByInterval[i]!;
    if (k === 0) continue;
    if (first < 0) first = i;
    last = i;
    n += k;
  }
  return n >= 2 ? ((last - first) * r.resolutionUs) / (n - 1) : null;
}

/** What one delivery is called at each destination. */
export const DELIVERIES = { s3: "objects", redshift: "staged objects", opensearch: "bulk requests" } as const;

const GAVE_UP = {
  s3: "given up",
  opensearch: "to the S3 backup (the OpenSearch retry duration ran out)",
  redshift: "skipped to errors/ (the Redshift COPY retry duration ran out)",
} as const;

function firehoseVerdict(r: RunResult, f: FirehoseResult, statSeconds: number): FirehoseVerdict {
  const total = f.flushes.size + f.flushes.interval;
  const binds = total === 0 ? null : f.flushes.size >= f.flushes.interval ? "size" : "interval";
  const flushEveryUs = flushEvery(r, f);
  const notDeliveredPercent = f.incoming.records > 0 ? (100 * f.notDelivered) / f.incoming.records : 0;
  const dp = f.directPut;
  const throttledPercent = dp && dp.offered > 0 ? (100 * dp.throttled) / dp.offered : 0;

  let what: string;
  if (f.objects.count === 0) {
    what = `wrote no object after warmup (${thousands(f.incoming.records)} records came in)`;
  } else {
    const noun = DELIVERIES[f.destination];
    const every = flushEveryUs === null ? "" : ` every ~${roughDuration(flushEveryUs)}`;
    const hint =
      binds === null
        ? ""
        : binds === "interval" && f.buffer.intervalUs === 0
          ? " (interval 0: no buffering)"
          : ` (the ${binds} hint binds${f.flushes.size > 0 && f.flushes.interval > 0 ? `: ${thousands(f.flushes[binds])} of ${thousands(total)} flushes` : ""})`;
    what = `delivers ${noun} of ~${roughBytes(f.objects.bytes.mean)}${every}${hint}`;
  }
  const latency = f.deliveryLatency.count > 0 ? `, delivery p99 ${roughDuration(f.deliveryLatency.p99)}` : "";
  let text = `Delivery stream ${f.name} ${what}${latency}, DataFreshness at most ${roughDuration(f.maxDataFreshness)}; ${thousands(f.notDelivered)} records not delivered`;
  if (f.notDelivered > 0) text += ` (${pct(notDeliveredPercent, 3)} of those that came in after warmup)`;
  const a = f.accounting;
  const why = [
    ...(a.processingFailed > 0 ? [`${thousands(a.processingFailed)} to processing-failed/ (failed by the transformation)`] : []),
    ...(a.gaveUp > 0 ? [`${thousands(a.gaveUp)} ${GAVE_UP[f.destination]}`] : []),
    ...(a.expired > 0 ? [`${thousands(a.expired)} lost: S3 deliveries kept failing past the retention`] : []),
  ];
  if (why.length > 0) text += `; over the whole run ${why.join(", ")}`;
  if (a.droppedByTransform > 0) text += `; ${thousands(a.droppedByTransform)} dropped by the transformation on purpose`;
  if (dp && dp.throttled > 0) text += `; Direct PUT throttled ${pct(throttledPercent, 2)} of the records offered (quotas ${bytesHuman(dp.quotas.bytes)}/s, ${thousands(dp.quotas.records)} records/s, ${thousands(dp.quotas.requests)} requests/s)`;
  return {
    name: f.name,
    binds,
    flushEveryUs,
    incomingRecordsPerSecond: f.incoming.records / statSeconds,
    incomingBytesPerSecond: f.incoming.bytes / statSeconds,
    deliveredRecordsPerSecond: f.delivered.records / statSeconds,
    deliveredBytesPerSecond: f.delivered.bytes / statSeconds,
    notDeliveredPercent,
    throttledPercent,
    explanation: `${text}.`,
  };
}
