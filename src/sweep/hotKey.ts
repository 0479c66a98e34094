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
import { formatBytes, thousands } from "../report/format.js";
import type { RunResult } from "../result/runResult.js";
import { producerStreams } from "../scenario/index.js";
import { utf8Length } from "../workload/partitionKeys.js";
import { rateSummary } from "../workload/rate.js";
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

/** Each producer's most popular keys (RunResult's topKeys), with what each alone puts on its shard; only `stream`'s producers when given. */
export function keyLoads(r: RunResult, traces: ReadonlyMap<string, Trace> = new Map(), stream?: string): KeyLoad[] {
  const out: KeyLoad[] = [];
  for (const p of r.producers) {
    if (p.topKeys.length === 0 || p.stream === undefined || (stream !== undefined && p.stream !== stream)) continue;
    const spec = r.scenario.producers.find((x) => x.name === p.group);
    if (!spec) continue;
    const part = producerStreams(r.scenario, spec).find((x) => x.name === p.stream);
    const share = part?.share ?? 1;
    const limits = (r.streams.find((s) => s.stream.name === p.stream) ?? r).stream.limits;
    const trace = spec.rate.shape === "trace" ? traces.get(spec.rate.file) : undefined;
    const rate = rateSummary(spec.rate, r.durationUs, trace);
    const agent = spec.client === "agent" ? agentTraffic(spec) : { rateDivisor: 1, sizeFactor: 1 };
    const peak = (rate.peak / agent.rateDivisor) * share;
    const recordBytes = sizeSource(spec, trace, agent.sizeFactor).mean;
    for (const k of p.topKeys) {
      const users = k.share * peak;
      const keyBytes = spec.partitionKey.kind === "explicit" ? spec.partitionKey.length : utf8Length(k.key);
      let kinesis = users;
      let bytes = users * (recordBytes + keyBytes);
      if (spec.client === "kpl" && users > 0) {
        const kpl = spec.kpl;
        const lambda = (users * (kpl.recordMaxBufferedTime / 1_000_000)) / spec.instances;
        const agg = expectedAggregation({ users, dataBytes: users * recordBytes, keyBytes, lambda, enabled: kpl.aggregationEnabled, maxSize: kpl.aggregationMaxSize, distinctKeys: () => 1 });
        kinesis = agg.kinesis;
        bytes = agg.bytes + agg.keyBytes;
      }
      out.push({
        producer: p.name,
        key: k.key,
        client: spec.client,
        userRecordsPerSecond: users,
        kinesisRecordsPerSecond: kinesis,
        bytesPerSecond: bytes,
        recordBytes,
        keyBytes,
        atPeak: rate.peak > rate.mean * (1 + 1e-9),
        limits,
      });
    }
  }
  return out;
}

/**
 * The first key that alone offers more than a shard accepts, in records or in bytes, as a reason naming the
 * limit it exceeds; undefined when every key fits a shard of its own (then more shards can help).
 */
export function keyAboveShardLimit(r: RunResult, traces: ReadonlyMap<string, Trace> = new Map(), stream?: string): string | undefined {
  for (const k of keyLoads(r, traces, stream)) {
    const overRecords = k.kinesisRecordsPerSecond > k.limits.recordsPerSecond;
    const overBytes = k.bytesPerSecond > k.limits.bytesPerSecond;
    if (!overRecords && !overBytes) continue;
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
    return (
      `hot key: "${k.key}" of ${k.producer} alone puts ${what.join(" and ")} on its shard${k.atPeak ? " at the peak rate" : ""}, ` +
      `more than one shard accepts (${limit}), whatever the shard count`
    );
  }
  return undefined;
}
