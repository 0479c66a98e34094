// The load a part of a shard's traffic (some of its keys, a stretch of its spread) puts on a shard, for the split
// proposal (splitProposal.ts). Writers that send one Kinesis record per user record add up: a part's load is the sum
// of its keys' and its spread's. A KPL writer that aggregates does not: each of its processes packs the user records it
// has for a shard into one aggregated record when RecordMaxBufferedTime has passed since the first of them, or sooner
// when the aggregate reaches AggregationMaxSize (KPL default_config.properties: RecordMaxBufferedTime, AggregationMaxSize;
// aggregator.h, reducer.h). When its buffers fill by time, each process sends a shard about one aggregate per
// RecordMaxBufferedTime whatever the shard's share of its keys: two children of a split get twice the aggregates of
// their parent between them. So a part's Kinesis records from such a writer are what its processes' buffers make of
// the part's user records — the KPL model's own expected-value arithmetic (src/model/producers/kplAggregation.ts
// expectedAggregation, with λ = the part's user records per process within RecordMaxBufferedTime, as
// src/model/producers/kpl.ts sends them) — not its Kinesis records times the part's share.

import { expectedAggregation } from "../model/producers/kplAggregation.js";
import type { AggregatingWriter, Load, ShardTraffic, UserRecords } from "./runResult.js";

/**
 * An aggregating writer's user records in a part, per second: their partition keys' bytes, how many have keys that are
 * each distinct (random keys and the lighter keys counted as spread), and Σ records² over its discrete keys (for their
 * effective number, as the KPL model counts the distinct keys of an aggregate).
 */
export interface PartUsers {
  records: number;
  keyBytes: number;
  distinct: number;
  squares: number;
}

/** A part of a shard's traffic: the Load of the writers that do not aggregate, and each aggregating writer's user records (by index of ShardTraffic.aggregating). */
export interface Part {
  plain: Load;
  users: PartUsers[];
}

const zeroLoad = (): Load => ({ recordsPerSecond: 0, bytesPerSecond: 0, peakRecordsPerSecond: 0, peakBytesPerSecond: 0 });
const noUsers = (): PartUsers => ({ records: 0, keyBytes: 0, distinct: 0, squares: 0 });

export function emptyPart(writers: number): Part {
  return { plain: zeroLoad(), users: Array.from({ length: writers }, noUsers) };
}

/** A discrete key's entry (one hash key) as a part. */
export function keyPart(k: Load & { users?: UserRecords[] }, writers: number): Part {
  const users = Array.from({ length: writers }, (_, j): PartUsers => {
    const u = k.users?.[j];
    return u ? { records: u.recordsPerSecond, keyBytes: u.keyBytesPerSecond, distinct: 0, squares: u.recordsPerSecond * u.recordsPerSecond } : noUsers();
  });
  return { plain: { recordsPerSecond: k.recordsPerSecond, bytesPerSecond: k.bytesPerSecond, peakRecordsPerSecond: k.peakRecordsPerSecond, peakBytesPerSecond: k.peakBytesPerSecond }, users };
}

/** The whole spread as a part (its keys each distinct). */
export function spreadPart(s: ShardTraffic["spread"], writers: number): Part {
  const users = Array.from({ length: writers }, (_, j): PartUsers => {
    const u = s.users?.[j];
    return u ? { records: u.recordsPerSecond, keyBytes: u.keyBytesPerSecond, distinct: u.recordsPerSecond, squares: 0 } : noUsers();
  });
  return { plain: { recordsPerSecond: s.recordsPerSecond, bytesPerSecond: s.bytesPerSecond, peakRecordsPerSecond: s.peakRecordsPerSecond, peakBytesPerSecond: s.peakBytesPerSecond }, users };
}

/** a + f·b (f: a stretch of the spread, whose squares are 0; keys are added whole). */
export function addPart(a: Part, b: Part, f = 1): Part {
  return {
    plain: {
      recordsPerSecond: a.plain.recordsPerSecond + f * b.plain.recordsPerSecond,
      bytesPerSecond: a.plain.bytesPerSecond + f * b.plain.bytesPerSecond,
      peakRecordsPerSecond: a.plain.peakRecordsPerSecond + f * b.plain.peakRecordsPerSecond,
      peakBytesPerSecond: a.plain.peakBytesPerSecond + f * b.plain.peakBytesPerSecond,
    },
    users: a.users.map((u, j) => {
      const v = b.users[j]!;
      return { records: u.records + f * v.records, keyBytes: u.keyBytes + f * v.keyBytes, distinct: u.distinct + f * v.distinct, squares: u.squares + f * v.squares };
    }),
  };
}

/** a − b for b a part of a, never below 0 (rounding). */
export function subtractPart(a: Part, b: Part): Part {
  const d = (x: number, y: number) => Math.max(0, x - y);
  return {
    plain: {
      recordsPerSecond: d(a.plain.recordsPerSecond, b.plain.recordsPerSecond),
      bytesPerSecond: d(a.plain.bytesPerSecond, b.plain.bytesPerSecond),
      peakRecordsPerSecond: d(a.plain.peakRecordsPerSecond, b.plain.peakRecordsPerSecond),
      peakBytesPerSecond: d(a.plain.peakBytesPerSecond, b.plain.peakBytesPerSecond),
    },
    users: a.users.map((u, j) => {
      const v = b.users[j]!;
      return { records: d(u.records, v.records), keyBytes: d(u.keyBytes, v.keyBytes), distinct: d(u.distinct, v.distinct), squares: d(u.squares, v.squares) };
    }),
  };
}

/** A part times f: f of each of its keys' records, as an even split into 1 ÷ f pieces would give each (its keys' effective number kept). */
export function scalePart(a: Part, f: number): Part {
  const p = addPart(emptyPart(a.users.length), a, f);
  p.users.forEach((u, j) => (u.squares = a.users[j]!.squares * f * f));
  return p;
}

/** Whether the part holds any load. */
export function partHasLoad(p: Part): boolean {
  return p.plain.recordsPerSecond > 0 || p.plain.bytesPerSecond > 0 || p.users.some((u) => u.records > 0);
}

/** User records of the part (a record of a writer that does not aggregate counts one). */
export function partRecords(p: Part): number {
  return p.plain.recordsPerSecond + p.users.reduce((s, u) => s + u.records, 0);
}

/**
 * The Kinesis records and bytes (data, aggregate framing and partition keys) per second that `w`'s processes make of
 * the user records `u` on a shard of their own, at `scale` times their rate (the peak's peakToMean): expectedAggregation
 * with λ = user records per process within RecordMaxBufferedTime, the distinct keys of m records as the KPL model
 * counts them (its keys each distinct, or among discrete keys of effective number (Σ records)² ÷ Σ records²).
 */
export function aggregatedUsers(w: AggregatingWriter, u: PartUsers, scale = 1): { records: number; bytes: number } {
  const users = u.records * scale;
  if (!(users > 0)) return { records: 0, bytes: 0 };
  const lambda = (users * (w.recordMaxBufferedTimeUs / 1_000_000)) / Math.max(1, w.instances);
  const random = Math.min(1, Math.max(0, u.distinct / u.records));
  const discrete = u.records - u.distinct;
  const k = discrete > 0 && u.squares > 0 ? Math.max(1, (discrete * discrete) / u.squares) : 1;
  const distinctKeys = (m: number) => m * random + (random < 1 ? k * (1 - Math.pow(1 - 1 / k, m * (1 - random))) : 0);
  const a = expectedAggregation({ users, dataBytes: users * w.meanDataBytes, keyBytes: u.keyBytes / u.records, lambda, enabled: true, maxSize: w.aggregationMaxSize, distinctKeys });
  return { records: a.kinesis, bytes: a.bytes + a.keyBytes };
}

/**
 * The part's load on a shard of its own: the plain writers' load plus each aggregating writer's aggregates (mean; at the
 * writers' peak rates, unless `meanOnly`: then the peak fields are the plain writers' alone).
 */
export function partLoad(p: Part, writers: readonly AggregatingWriter[], meanOnly = false): Load {
  const l = { ...p.plain };
  writers.forEach((w, j) => {
    const u = p.users[j]!;
    if (!(u.records > 0)) return;
    const mean = aggregatedUsers(w, u);
    l.recordsPerSecond += mean.records;
    l.bytesPerSecond += mean.bytes;
    if (meanOnly) return;
    const peak = w.peakToMean === 1 ? mean : aggregatedUsers(w, u, w.peakToMean);
    l.peakRecordsPerSecond += peak.records;
    l.peakBytesPerSecond += peak.bytes;
  });
  return l;
}
