// What a sweep keeps of one run: the metrics that SLOs and the comparison use, which SLOs it met, and why it
// missed the others. Small, plain data: it crosses worker threads and goes into partial result files.

import { build } from "../model/build.js";
import { simulate } from "../model/simulate.js";
import { summarise } from "../result/summarise.js";
import type { RunResult } from "../result/runResult.js";
import { judge, noDataKind, type FirehoseVerdict, type NoDataKind, type SloVerdict, type Verdict } from "../result/judge.js";
import type { Trace } from "../workload/trace.js";
import { writeRemedy } from "../result/writeRemedy.js";
import { scalingReaction } from "../result/scalingReaction.js";
import { clock } from "../report/format.js";
import { soFarWords } from "../report/verdict.js";
import { soFarOf, type SoFar } from "../result/metSoFar.js";
import { keyAboveShardLimit, type HotKeyExcess } from "./hotKey.js";
import { configScenario, type SweepConfig, type SweepTask } from "./plan.js";
import type { Vary } from "./vary.js";

export interface MetricDef {
  name: string;
  label: string;
  unit: "%" | "ms" | "USD/month";
  /** The SLO (scenario `slo:` key) that bounds this metric, if any. */
  slo?: string;
}

export const WRITE_METRICS: MetricDef[] = [
  { name: "writeThrottledPercent", label: "put attempts throttled", unit: "%", slo: "writeThrottledPercent" },
  { name: "recordsLostPercent", label: "records lost", unit: "%", slo: "recordsLostPercent" },
  { name: "putLatencyP50Ms", label: "put latency p50", unit: "ms", slo: "putLatencyP50" },
  { name: "putLatencyP99Ms", label: "put latency p99", unit: "ms", slo: "putLatencyP99" },
  { name: "putLatencyP999Ms", label: "put latency p99.9", unit: "ms", slo: "putLatencyP999" },
];
export const CONSUMER_METRICS: MetricDef[] = [
  { name: "endToEndP50Ms", label: "end-to-end latency p50 (worst consumer)", unit: "ms", slo: "endToEndP50" },
  { name: "endToEndP99Ms", label: "end-to-end latency p99 (worst consumer)", unit: "ms", slo: "endToEndP99" },
  { name: "maxIteratorAgeMs", label: "max iterator age (worst consumer)", unit: "ms", slo: "maxIteratorAge" },
  { name: "maxOldestUnprocessedAgeMs", label: "oldest unprocessed record, max age (worst consumer)", unit: "ms", slo: "maxOldestUnprocessedAge" },
  { name: "consumerLostPercent", label: "records a consumer lost unprocessed: expired, skipped or discarded (worst)", unit: "%", slo: "consumerLostPercent" },
];
export const FIREHOSE_METRICS: MetricDef[] = [
  { name: "deliveryP99Ms", label: "delivery latency p99 (worst delivery stream)", unit: "ms", slo: "deliveryP99" },
  { name: "maxDataFreshnessMs", label: "max DataFreshness (worst delivery stream)", unit: "ms", slo: "dataFreshness" },
  { name: "firehoseNotDeliveredPercent", label: "records a delivery stream did not deliver (worst)", unit: "%", slo: "firehoseNotDeliveredPercent" },
];
export const COST_METRIC: MetricDef = { name: "monthlyCostUsd", label: "monthly cost", unit: "USD/month" };

export interface RunSummary {
  task: number;
  config: number;
  replication: number;
  seed: number;
  metrics: Record<string, number>;
  /**
   * noData: the SLO had no data in the run (see SloVerdict.noData): not met. soFar: met so far only (soFarOf: a lower
   * bound on a growing backlog, or a shard's write burst that runs out after the end), why and in a few words.
   */
  slos: { name: string; met: boolean; noData?: true; soFar?: RunSoFar }[];
  /** Why each missed SLO was missed ("hot shard …", "consumer x: lease table", …), by SLO. */
  reasons: RunReason[];
  events: number;
}

/** Why a run met an SLO so far only: the reason's kind (soFarOf) and its words ("shardId-…'s write burst runs out at 0:05:00 at the run's pace"). */
export interface RunSoFar {
  kind: SoFar;
  words: string;
}

/** A reason a run missed an SLO. */
export interface RunReason {
  slo: string;
  reason: string;
  /**
   * The reason without what varies from run to run within its kind, set where the reason is written: which shard is hot
   * and its share ("a hot shard at the shard write records limit"), on how many shards the write capacity ran out
   * ("write capacity: shard write records"), which key alone is too hot for any shard ("a key of gateways alone over one
   * shard's 1,000 records/s"). A sweep that recommends nothing counts what binds by kind (each placement of hot keys makes
   * another shard hot with another share: helper-57). Other reasons are their own kind.
   */
  kind: string;
}

export function metricsFor(hasConsumers: boolean, hasFirehose = false): MetricDef[] {
  return [...WRITE_METRICS, ...(hasConsumers ? CONSUMER_METRICS : []), ...(hasFirehose ? FIREHOSE_METRICS : []), COST_METRIC];
}

export function summarize(task: SweepTask, r: RunResult, traces: ReadonlyMap<string, Trace> = new Map()): RunSummary {
  const v = judge(r);
  const worst = (f: (c: RunResult["consumers"][number]) => number) => Math.max(0, ...r.consumers.map(f));
  const metrics: Record<string, number> = {
    writeThrottledPercent: v.putThrottledPercent,
    recordsLostPercent: v.recordsLostPercent,
    putLatencyP50Ms: r.putLatency.p50 / 1_000,
    putLatencyP99Ms: r.putLatency.p99 / 1_000,
    putLatencyP999Ms: r.putLatency.p999 / 1_000,
    monthlyCostUsd: r.cost.total,
  };
  if (r.consumers.length > 0) {
    metrics.endToEndP50Ms = worst((c) => c.endToEnd.p50) / 1_000;
    metrics.endToEndP99Ms = worst((c) => c.endToEnd.p99) / 1_000;
    metrics.maxIteratorAgeMs = worst((c) => c.maxIteratorAge) / 1_000;
    metrics.maxOldestUnprocessedAgeMs = worst((c) => c.maxOldestUnprocessedAge) / 1_000;
    metrics.consumerLostPercent = Math.max(0, ...v.consumers.map((c) => c.lostPercent));
  }
  if (r.firehose.length > 0) {
    metrics.deliveryP99Ms = Math.max(...r.firehose.map((f) => f.deliveryLatency.p99)) / 1_000;
    metrics.maxDataFreshnessMs = Math.max(...r.firehose.map((f) => f.maxDataFreshness)) / 1_000;
    metrics.firehoseNotDeliveredPercent = Math.max(...v.firehose.map((f) => f.notDeliveredPercent));
  }
  return {
    task: task.index,
    config: task.config,
    replication: task.replication,
    seed: task.seed,
    metrics,
    slos: v.slos.map((s) => {
      const soFar = soFarOf(s);
      return { name: s.name, met: s.met, ...(s.noData ? { noData: true as const } : {}), ...(soFar ? { soFar: { kind: soFar, words: runSoFarWords(s) } } : {}) };
    }),
    reasons: reasonsOf(r, v, traces),
    events: r.engine.events,
  };
}

/** A met-so-far SLO's words in a sweep: when its shard's write burst runs out (soFarWords), or whose backlog its lower bound is on. */
function runSoFarWords(s: SloVerdict): string {
  const g = s.onGrowingBacklog;
  if (s.onWriteBurst || !g || g.ageRise) return soFarWords(s);
  return `a lower bound on ${"consumer" in g ? `consumer ${g.consumer}` : `delivery stream ${g.deliveryStream}`}'s growing backlog`;
}

/** Firehose SLOs: what a reason calls each, and a delivery stream's own value in the SLO's unit (ms or %). */
const FIREHOSE_SLOS = {
  deliveryP99: ["delivery latency p99", (f: RunResult["firehose"][number]) => f.deliveryLatency.p99 / 1_000],
  dataFreshness: ["DataFreshness", (f: RunResult["firehose"][number]) => f.maxDataFreshness / 1_000],
  firehoseNotDeliveredPercent: ["records not delivered", (_: RunResult["firehose"][number], fv: FirehoseVerdict) => fv.notDeliveredPercent],
} as const;

/** A "no data" SLO's reason in a sweep (noDataKind). */
const NO_DATA_REASON: Record<NoDataKind, string> = {
  getRecords: "no GetRecords call after warmup (no iterator age to judge)",
  iteratorAge: "no invocation with records after warmup (no IteratorAge to judge)",
  processed: "no record processed after warmup (no end-to-end latency to judge)",
};

/** The binding reasons behind each missed SLO of a run, by SLO (an SLO may have several; several SLOs may share one). */
export function reasonsOf(r: RunResult, v: Verdict, traces: ReadonlyMap<string, Trace> = new Map()): RunReason[] {
  const out: RunReason[] = [];
  const seen = new Set<string>();
  const add = (slo: string, reason: string, kind = reason) => {
    const key = `${slo}\u0000${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ slo, reason, kind });
  };
  const writeSlos = new Set(["writeThrottledPercent", "recordsLostPercent", "putLatencyP50", "putLatencyP99", "putLatencyP999"]);
  for (const s of v.slos) {
    if (s.met) continue;
    if (s.noData) {
      add(s.name, `consumer ${s.of ?? "?"}: ${NO_DATA_REASON[noDataKind(r, s)]}`);
      continue;
    }
    if (writeSlos.has(s.name)) {
      for (const { reason, kind } of writeReasonsOf(r, v, traces, s)) add(s.name, reason, kind);
    } else if (s.name in FIREHOSE_SLOS) {
      // The delivery streams that miss this SLO on their own.
      const [what, valueOf] = FIREHOSE_SLOS[s.name as keyof typeof FIREHOSE_SLOS];
      r.firehose.forEach((f, i) => {
        if (valueOf(f, v.firehose[i]!) > s.target) add(s.name, `delivery stream ${f.name}: ${what}`);
      });
    } else {
      const bad = v.consumers.filter((c) => c.bottleneck !== "none");
      if (bad.length === 0) add(s.name, "consumer latency (no single bottleneck)");
      for (const c of bad) add(s.name, `consumer ${c.name}: ${c.bottleneck}`);
    }
  }
  return out;
}

/**
 * Whether a key too hot for any shard misses `slo` on its own, whatever the shard count: what of it no shard accepts
 * after warmup (a lower bound of what it throttles) is already over the SLO's target.
 * - writeThrottledPercent: those Kinesis records over every first attempt after warmup (the writers' attempts, retries
 *   included, counted as first attempts: the bound only gets lower). Retries do not lower the share below it: each
 *   retry of a throttled record is an attempt at the key's full shard, and every other retry follows a throttled attempt.
 * - recordsLostPercent: those user records, less every record still in flight at the end, over the records offered.
 * - put latency at percentile q: those user records are more than 100 − q % of the records offered (the percentile is a
 *   throttled record's, retried).
 */
function hotKeyMisses(r: RunResult, hot: HotKeyExcess, slo: SloVerdict): boolean {
  const offered = r.producers.reduce((n, p) => n + p.offeredAfterWarmup, 0);
  if (offered <= 0) return false;
  if (slo.name === "writeThrottledPercent") {
    const first = r.producers.reduce((n, p) => n + p.offeredKinesisAfterWarmup, 0) + r.writers.reduce((n, w) => n + w.attempts, 0);
    return first > 0 && (100 * hot.excessKinesis) / first > slo.target;
  }
  if (slo.name === "recordsLostPercent") {
    const inFlight = r.producers.reduce((n, p) => n + p.inFlight.buffered + p.inFlight.awaitingRetry, 0);
    return (100 * (hot.excessUsers - inFlight)) / offered > slo.target;
  }
  const q = { putLatencyP50: 50, putLatencyP99: 99, putLatencyP999: 99.9 }[slo.name];
  return q !== undefined && (100 * hot.excessUsers) / offered > 100 - q;
}

/** Why a run's writes miss `slo`: Direct PUT quotas, a key too hot for any shard, a hot shard, or write capacity. */
function writeReasonsOf(r: RunResult, v: Verdict, traces: ReadonlyMap<string, Trace>, slo: SloVerdict): { reason: string; kind: string }[] {
  const out = new Map<string, string>();
  const add = (reason: string, kind = reason) => {
    if (!out.has(reason)) out.set(reason, kind);
  };
  // Direct PUT producers throttled by a delivery stream's quotas.
  r.firehose.forEach((f) => {
    if (f.directPut && f.directPut.throttled > 0) add(`delivery stream ${f.name}: Direct PUT quotas`);
  });
  // Every stream that throttles writes (the only one, usually), named when the scenario has several.
  const several = r.streams.length > 1;
  const throttling = r.streams.map((run, i) => ({ run, sv: v.streams[i]! })).filter(({ sv }) => sv.binding.throttling);
  for (const { run, sv } of throttling) {
    // A key of this stream's producers that no shard can take binds whatever the shard count, when what of it no shard
    // accepts alone misses the SLO (a key just over the limit leaves the rest to the keys sharing its shard).
    const hot = keyAboveShardLimit(r, traces, run.stream.name);
    const hotKey = hot && hotKeyMisses(r, hot, slo) ? hot : undefined;
    const hs = sv.hottestShard;
    const on = several ? ` of stream ${run.stream.name}` : "";
    // A stream that resharded has no one set of shards for the run: its hottest shard is a hot shard only when it
    // throttled alone or took most of the throttled attempts (at least half, and twice an even share among the
    // throttled shards); otherwise the capacity came too late or too little.
    const resharded = run.reshards.length > 0;
    const reaction = resharded ? scalingReaction(r, run) : null;
    const throttledTotal = run.shards.reduce((n, x) => n + x.throttledRecords, 0);
    const hsTook = hs && throttledTotal > 0 ? hs.throttledRecords / throttledTotal : 0;
    const hotShard = `a hot shard${on} at the ${sv.binding.limit} limit`;
    const capacity = `write capacity${on}: ${sv.binding.limit}`;
    const capacityReason = `${capacity} on ${sv.binding.shardsThrottled} of ${run.stream.shardCount} shards`;
    if (hotKey) add(hotKey.reason, hotKey.kind);
    else if (resharded && hs && (sv.binding.shardsThrottled === 1 || hsTook >= Math.max(0.5, 2 / sv.binding.shardsThrottled))) {
      add(`hot shard: ${hs.id}${on} took ${(hsTook * 100).toFixed(0)}% of the throttled attempts (${sv.binding.limit} limit; the stream resharded during the run)`, hotShard);
    } else if (resharded && reaction) {
      // Throttled mostly before its policy's scale-ups completed: the policy's reaction time, not a capacity it could not
      // reach (helper-94: "write capacity" for 185 s throttled before a scale-up decided at 9:00 completed at 11:00).
      const w = reaction.windows[0]!;
      const more = reaction.windows.length > 1 ? ` and ${reaction.windows.length - 1} more` : "";
      add(
        `autoscaling reaction${on}: ${Math.round(reaction.waitingSeconds)} of the ${Math.round(reaction.throttledSeconds)} s throttled came before scale-ups completed (throttled from ${clock(w.throttledFromUs)}, ${w.from} → ${w.to} shards decided at ${clock(w.decidedAtUs)}, done at ${clock(w.doneAtUs)}${more}; ${sv.binding.limit} limit)`,
        `autoscaling reaction${on}`,
      );
    } else if (resharded) {
      add(`${capacity} on ${sv.binding.shardsThrottled} of the ${run.stream.shardCount} shards the run saw (the stream resharded: ${run.stream.openShards.atStart} → ${run.stream.openShards.atEnd} open)`, capacity);
    } else {
      // What the single run's hot shard remedy calls it (writeRemedy, which report.md reads too): a shard hot for its keys
      // (hotForKeys: more than EVEN_SPREAD over an even spread's share; within it the stream is short of capacity:
      // helper-51's 7 shards with random keys, 14.3% each, was a "hot shard" that 8 shards fixed), however many shards
      // throttled (4 shards at 3,200 records/s of Zipf keys: 2 hot shards throttled, called write capacity, and their
      // splits, rehearsed, throttled none); a cold shard's bursts; and the stream short of capacity, besides or instead.
      const remedy = writeRemedy(run, sv);
      const hot = remedy.hotShards[0];
      const bursts = remedy.burstShards[0];
      if (hot) add(`hot shard: ${hot.shard}${on} gets ${(hot.shareOfStream * 100).toFixed(1)}% of the records (${sv.binding.limit} limit)`, hotShard);
      if (bursts) {
        add(
          `bursts: ${bursts.shard}${on} throttled in bursts at ${(bursts.load.utilisation * 100).toFixed(1)}% of its limits on average, ${bursts.split ? "a split for them proposed" : "its keys do not divide them"} (${sv.binding.limit} limit)`,
          `bursts on a shard at the ${sv.binding.limit} limit`,
        );
      }
      if (remedy.shortOfCapacity || remedy.evenBursts || (!hot && !bursts)) add(capacityReason, capacity);
    }
  }
  if (throttling.length === 0 && v.putThrottledPercent === 0) add("put latency (no throttling)");
  return [...out].map(([reason, kind]) => ({ reason, kind }));
}

/** One run of a sweep, as a worker thread does it: build the configuration, simulate, summarize. */
export function runTask(input: { data: unknown; varies: Vary[]; config: SweepConfig; task: SweepTask; traces?: ReadonlyMap<string, Trace> }): RunSummary {
  const scenario = configScenario(input.data, input.varies, input.config);
  return summarize(input.task, summarise(simulate(build(scenario, { seed: input.task.seed, traces: input.traces }))), input.traces);
}
