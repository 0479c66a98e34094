// A hot partition key: what one key alone puts on its shard, in the units the shard's limits count. All of a
// key's records go to one shard, so a key that alone offers more than a shard accepts — 1,000 records/s, or
// 1 MiB/s of data and partition keys (Kinesis Data Streams quotas) — throttles whatever the shard count; a key
// under both limits only throttles when other keys share its shard, which more shards can change.
//
// The key's load is taken at the producer's peak rate, as Kinesis records reach the shard:
//   - SDK: one record per user record; bytes = records × (mean data size + the key's bytes);
//   - Kinesis Agent: records are linesPerRecord lines (the rate is in lines), lines × size × sizeFactor bytes;
//   - KPL with aggregation: the key's user records packed into aggregates as each process's buffer for the key's
//     shard would pack them if the key had the shard to itself (the key's λ = its records per process within
//     RecordMaxBufferedTime; at most AggregationMaxSize, 51,200 B by default, per aggregate; the model's own
//     expected-value arithmetic, kplAggregation.ts); bytes = the aggregates' format bytes + their 1-byte key "a".
// This is the least the key costs its shard: other keys' records only add to it.

import { agentTraffic } from "../model/producers/agent.js";
import { expectedAggregation } from "../model/producers/kplAggregation.js";
import { sizeSource } from "../model/producers/producer.js";
import { formatBytes, formatSloValue, thousands } from "../report/format.js";
import type { RunResult } from "../result/runResult.js";
import { producerStreams } from "../scenario/index.js";
import { utf8Length } from "../workload/partitionKeys.js";
import { rateModel, rateSummary, type RateModel } from "../workload/rate.js";
import type { Trace } from "../workload/trace.js";

export interface KeyLoad {
  /** The producer (group, or "group → stream" part) and the key. */
  producer: string;
  key: string;
  client: "sdk" | "kpl" | "agent";
  /** User records (SDK: records; Agent: records of linesPerRecord lines) per second of the key at the peak. */
  userRecordsPerSecond: number;
  /** Kinesis records per second the key alone puts on its shard. */
  kinesisRecordsPerSecond: number;
  /** Bytes per second the key alone puts on its shard: data (with the KPL's aggregate framing) and partition keys. */
  bytesPerSecond: number;
  /** Mean data bytes of one user record, and the key's own bytes. */
  recordBytes: number;
  keyBytes: number;
  /** Whether the peak is above the producer's mean rate (the load is the peak's). */
  atPeak: boolean;
  /** The shard limits of the key's stream. */
  limits: { recordsPerSecond: number; bytesPerSecond: number };
}

/** A key's load on its shard at a producer's rate of `rate` (its records per second, before the key's share). */
type LoadAt = (rate: number) => { users: number; kinesis: number; bytes: number };

interface KeyOfProducer {
  load: KeyLoad;
  /** The key's load at any rate of its producer, and the producer's rate model (rates before the Agent's divisor and the part's share). */
  at: LoadAt;
  rate: RateModel;
}

function keysOf(r: RunResult, traces: ReadonlyMap<string, Trace>, stream?: string): KeyOfProducer[] {
  const out: KeyOfProducer[] = [];
  for (const p of r.producers) {
    if (p.topKeys.length === 0 || p.stream === undefined || (stream !== undefined && p.stream !== stream)) continue;
    const spec = r.scenario.producers.find((x) => x.name === p.group);
    if (!spec) continue;
    const part = producerStreams(r.scenario, spec).find((x) => x.name === p.stream);
    const share = part?.share ?? 1;
    const limits = (r.streams.find((s) => s.stream.name === p.stream) ?? r).stream.limits;
    const trace = spec.rate.shape === "trace" ? traces.get(spec.rate.file) : undefined;
    // The run's peak: the largest rate in [0, duration), which a diurnal's peak outside the run is not.
    const rate = rateSummary(spec.rate, r.durationUs, trace);
    const agent = spec.client === "agent" ? agentTraffic(spec) : { rateDivisor: 1, sizeFactor: 1 };
    const recordBytes = sizeSource(spec, trace, agent.sizeFactor).mean;
    const model = rateModel(spec.rate, r.durationUs, trace);
    for (const k of p.topKeys) {
      const keyBytes = spec.partitionKey.kind === "explicit" ? spec.partitionKey.length : utf8Length(k.key);
      const at: LoadAt = (lines) => {
        const users = k.share * (lines / agent.rateDivisor) * share;
        if (spec.client !== "kpl" || users <= 0) return { users, kinesis: users, bytes: users * (recordBytes + keyBytes) };
        const kpl = spec.kpl;
        const lambda = (users * (kpl.recordMaxBufferedTime / 1_000_000)) / spec.instances;
        const agg = expectedAggregation({ users, dataBytes: users * recordBytes, keyBytes, lambda, enabled: kpl.aggregationEnabled, maxSize: kpl.aggregationMaxSize, distinctKeys: () => 1 });
        return { users, kinesis: agg.kinesis, bytes: agg.bytes + agg.keyBytes };
      };
      const peak = at(rate.peak);
      out.push({
        load: {
          producer: p.name,
          key: k.key,
          client: spec.client,
          userRecordsPerSecond: peak.users,
          kinesisRecordsPerSecond: peak.kinesis,
          bytesPerSecond: peak.bytes,
          recordBytes,
          keyBytes,
          atPeak: rate.peak > rate.mean * (1 + 1e-9),
          limits,
        },
        at,
        rate: model,
      });
    }
  }
  return out;
}

/** Each producer's most popular keys (RunResult's topKeys), with what each alone puts on its shard at the run's peak rate; only `stream`'s producers when given. */
export function keyLoads(r: RunResult, traces: ReadonlyMap<string, Trace> = new Map(), stream?: string): KeyLoad[] {
  return keysOf(r, traces, stream).map((k) => k.load);
}

/** Steps of the integral over the statistics window (at most; one a second for shorter runs). */
const EXCESS_STEPS = 3_600;

/**
 * What of a key one shard cannot accept after warmup, had the key its shard to itself: at each moment, its
 * Kinesis records beyond max(records limit, bytes limit ÷ its bytes per record), integrated over the run's rate
 * shape. A lower bound of what the key throttles whatever the shard count (the keys sharing its shard only take
 * more of the shard).
 */
function excessOf(k: KeyOfProducer, from: number, to: number): { kinesis: number; users: number } {
  const span = to - from;
  if (span <= 0) return { kinesis: 0, users: 0 };
  const n = Math.max(1, Math.min(EXCESS_STEPS, Math.ceil(span / 1_000_000)));
  const dt = span / n;
  let kinesis = 0;
  let users = 0;
  const { recordsPerSecond, bytesPerSecond } = k.load.limits;
  for (let i = 0; i < n; i++) {
    const a = from + i * dt;
    // The producer's mean rate over the step (exact for a rate constant within it).
    const lines = (k.rate.cumulative(a + dt) - k.rate.cumulative(a)) / (dt / 1_000_000);
    const l = k.at(lines);
    if (l.kinesis <= 0) continue;
    const fits = Math.min(recordsPerSecond / l.kinesis, l.bytes > 0 ? bytesPerSecond / l.bytes : Infinity);
    if (fits >= 1) continue;
    const over = 1 - fits;
    kinesis += over * l.kinesis * (dt / 1_000_000);
    users += over * l.users * (dt / 1_000_000);
  }
  return { kinesis, users };
}

/** A key that alone offers more than a shard accepts: why, and how much of it throttles after warmup whatever the shard count. */
export interface HotKeyExcess {
  /** "hot key: … whatever the shard count" (the excess as a share of the records offered after warmup). */
  reason: string;
  /** The reason without the key and the share: "a key of <producer> alone over one shard's <limit>" (RunReason.kind). */
  kind: string;
  load: KeyLoad;
  /** After warmup: the key's Kinesis records, and its user records, beyond what one shard accepts (a lower bound of what it throttles). */
  excessKinesis: number;
  excessUsers: number;
}

/**
 * The key that alone offers more than a shard accepts (in records or in bytes, at the run's peak rate) with the most
 * left over after warmup, as a reason naming the limit it exceeds and the share of the records offered after warmup
 * that it throttles whatever the shard count; undefined when every key fits a shard of its own after warmup (then
 * more shards can help).
 */
export function keyAboveShardLimit(r: RunResult, traces: ReadonlyMap<string, Trace> = new Map(), stream?: string): HotKeyExcess | undefined {
  let best: { k: KeyOfProducer; excess: { kinesis: number; users: number } } | undefined;
  for (const k of keysOf(r, traces, stream)) {
    const l = k.load;
    if (l.kinesisRecordsPerSecond <= l.limits.recordsPerSecond && l.bytesPerSecond <= l.limits.bytesPerSecond) continue;
    const excess = excessOf(k, r.warmupUs, r.durationUs);
    if (excess.users > 0 && (!best || excess.users > best.excess.users)) best = { k, excess };
  }
  if (!best) return undefined;
  const k = best.k.load;
  const overRecords = k.kinesisRecordsPerSecond > k.limits.recordsPerSecond;
  const overBytes = k.bytesPerSecond > k.limits.bytesPerSecond;
  const kpl = k.client === "kpl" && k.kinesisRecordsPerSecond !== k.userRecordsPerSecond;
  const what: string[] = [];
  if (overRecords) {
    const records = `${thousands(Math.round(k.kinesisRecordsPerSecond))} ${kpl ? "Kinesis " : ""}records/s`;
    what.push(kpl ? `${records} (its ${thousands(Math.round(k.userRecordsPerSecond))} user records/s aggregated)` : records);
  }
  if (overBytes) {
    const per = kpl
      ? `its ${thousands(Math.round(k.userRecordsPerSecond))} user records/s aggregated, key bytes included`
      : `${thousands(Math.round(k.userRecordsPerSecond))} records/s of ${thousands(Math.round(k.recordBytes))} B data + ${k.keyBytes} B key`;
    what.push(`${formatBytes(k.bytesPerSecond, "rough")}/s (${per})`);
  }
  const limit = [overRecords ? `${thousands(k.limits.recordsPerSecond)} records/s` : "", overBytes ? `${formatBytes(k.limits.bytesPerSecond)}/s` : ""].filter(Boolean).join(" and ");
  const offered = r.producers.reduce((n, p) => n + (stream === undefined || p.stream === stream ? p.offeredAfterWarmup : 0), 0);
  const share = offered > 0 ? (100 * best.excess.users) / offered : 0;
  return {
    reason:
      `hot key: "${k.key}" of ${k.producer} alone puts ${what.join(" and ")} on its shard${k.atPeak ? " at the run's peak rate" : ""}, ` +
      `more than one shard accepts (${limit}): at least ${formatSloValue(share, "%")} of the records offered after warmup throttle whatever the shard count`,
    kind: `a key of ${k.producer} alone over one shard's ${limit}`,
    load: k,
    excessKinesis: best.excess.kinesis,
    excessUsers: best.excess.users,
  };
}
