// The traffic of the hottest throttled shards by hash key, from the finished model: each writer's offered load
// after warmup (measured) divided among its keys by their exact routing (src/model/kinesis/keyRouting.ts). What the
// split proposal (splitProposal.ts) balances. Bounded: at most SPLIT_SHARDS shards of a stream, SHARD_TRAFFIC_KEYS
// keys each, the lighter keys beyond them counted as spread over the range.
//
// A KPL writer with aggregation is divided by its user records, not its Kinesis records: its processes' buffers
// make a shard's Kinesis records of the user records they have for that shard (aggregatedLoad.ts), so a key's share
// of its user records is not its share of the aggregates.

import type { Model } from "../model/build.js";
import type { HashKeyRange } from "../model/kinesis/hashing.js";
import { trafficOnRange } from "../model/kinesis/keyRouting.js";
import type { Stream } from "../model/kinesis/stream.js";
import { hottestFirst } from "./hotShards.js";
import { aggregatedUsers, type PartUsers } from "./aggregatedLoad.js";
import type { AggregatingWriter, Load, ShardResult, ShardTraffic, UserRecords } from "./runResult.js";

/** How many throttled shards of a stream get their traffic by hash key (hottest first). */
export const SPLIT_SHARDS = 3;
/** How many discrete keys of a shard are listed; lighter ones count as spread over the range. */
export const SHARD_TRAFFIC_KEYS = 10_000;

/** A writer of the stream as the traffic needs it: its keys, routing, and measured offered load after warmup. */
interface WriterLoad {
  name: string;
  population: Parameters<typeof trafficOnRange>[0];
  shardOfKey: Int32Array;
  /** Its routing's per-shard shares and mean key bytes. */
  shares: Float64Array;
  meanKeyBytes: Float64Array;
  /** Kinesis records and bytes (data + keys) offered after warmup, per second. */
  recordsPerSecond: number;
  bytesPerSecond: number;
  peakToMean: number;
  /** A KPL writer with aggregation: its settings, and its user records offered after warmup per second. */
  aggregating?: AggregatingWriter & { usersPerSecond: number };
}

const zero = (): Load => ({ recordsPerSecond: 0, bytesPerSecond: 0, peakRecordsPerSecond: 0, peakBytesPerSecond: 0 });

/** The hottest throttled shards' traffic by hash key (empty when no shard of the stream throttled). */
export function hotShardTraffic(model: Model, stream: Stream, shards: readonly ShardResult[]): ShardTraffic[] {
  const hot = hottestFirst(shards)
    // Only a shard still open at the end can be split (a reshard's closed parents are history).
    .filter((i) => shards[i]!.throttledRecords > 0 && (shards[i]!.life?.closedAt ?? null) === null)
    .slice(0, SPLIT_SHARDS);
  if (hot.length === 0) return [];
  const statSeconds = Math.max(1e-9, (model.duration - model.warmup) / 1e6);
  const writers: WriterLoad[] = [];
  for (const { model: p, stream: to } of model.producers) {
    if (to !== stream) continue;
    const mean = p.traffic.rate.meanRate(model.duration);
    const peakToMean = mean > 0 ? Math.max(1, p.traffic.rate.peakRate(model.duration) / mean) : 1;
    const spec = p.spec;
    writers.push({
      name: p.name,
      population: p.traffic.population,
      shardOfKey: p.traffic.routing.shardOfKey,
      shares: p.traffic.routing.shares,
      meanKeyBytes: p.traffic.routing.meanKeyBytes,
      recordsPerSecond: p.stats.offeredKinesisAfterWarmup / statSeconds,
      bytesPerSecond: p.stats.offeredWriteBytesAfterWarmup / statSeconds,
      peakToMean,
      ...(spec.client === "kpl" && spec.kpl.aggregationEnabled
        ? {
            aggregating: {
              name: p.name,
              instances: spec.instances,
              recordMaxBufferedTimeUs: spec.kpl.recordMaxBufferedTime,
              aggregationMaxSize: spec.kpl.aggregationMaxSize,
              meanDataBytes: p.traffic.sizes.mean,
              peakToMean,
              usersPerSecond: p.stats.offeredAfterWarmup / statSeconds,
            },
          }
        : {}),
    });
  }
  for (const w of model.writers) {
    if (w.stream !== stream) continue;
    writers.push({
      name: w.name,
      population: w.population,
      shardOfKey: w.routing.shardOfKey,
      shares: w.routing.shares,
      meanKeyBytes: w.routing.meanKeyBytes,
      recordsPerSecond: w.after.offered.value / statSeconds,
      bytesPerSecond: w.after.offeredWriteBytes.value / statSeconds,
      peakToMean: 1,
    });
  }
  return hot.map((s) => trafficOf(writers, stream, s, shards[s]!));
}

function trafficOf(writers: readonly WriterLoad[], stream: Stream, s: number, shard: ShardResult): ShardTraffic {
  const range: HashKeyRange = { start: BigInt(shard.startingHashKey), end: BigInt(shard.endingHashKey) };
  // The aggregating writers with traffic on the shard are known only once their keys are: each writer's keys first.
  const ranges = writers.map((w) => {
    // The keys its routing put on this shard (when the routing is of this stream's shards: it is checked again by range).
    const routed = w.shares.length === stream.ranges.length;
    const candidates = routed ? [...w.shardOfKey.keys()].filter((i) => w.shardOfKey[i] === s) : undefined;
    return trafficOnRange(w.population, range, { maxKeys: SHARD_TRAFFIC_KEYS, ...(candidates ? { candidates } : {}) });
  });
  const on = (i: number) => {
    const t = ranges[i]!;
    return t.keys.length > 0 || t.rest.share > 0 || t.random.share > 0;
  };
  const aggregating: AggregatingWriter[] = [];
  const slot = writers.map((w, i) => {
    if (!w.aggregating || !on(i)) return -1;
    const { usersPerSecond: _, ...a } = w.aggregating;
    aggregating.push(a);
    return aggregating.length - 1;
  });
  const n = aggregating.length;
  const noUsers = (): UserRecords[] => Array.from({ length: n }, () => ({ recordsPerSecond: 0, keyBytesPerSecond: 0 }));
  type Entry = Load & { users: UserRecords[] };
  const entry = (): Entry => ({ ...zero(), users: noUsers() });
  const add = (to: Entry, l: Entry) => {
    to.recordsPerSecond += l.recordsPerSecond;
    to.bytesPerSecond += l.bytesPerSecond;
    to.peakRecordsPerSecond += l.peakRecordsPerSecond;
    to.peakBytesPerSecond += l.peakBytesPerSecond;
    l.users.forEach((u, j) => {
      to.users[j]!.recordsPerSecond += u.recordsPerSecond;
      to.users[j]!.keyBytesPerSecond += u.keyBytesPerSecond;
    });
  };
  const byHashKey = new Map<bigint, Entry & { key: string; hashKey: string }>();
  const spread = entry();
  let aggregatedKeys = 0;
  const out: ShardTraffic["writers"] = [];
  writers.forEach((w, i) => {
    const t = ranges[i]!;
    const j = slot[i]!;
    // Bytes per record: the writer's mean (data + key), with the key's own bytes in place of its mean key bytes.
    let meanKey = 0;
    w.shares.forEach((share, i) => (meanKey += share * w.meanKeyBytes[i]!));
    const meanWrite = w.recordsPerSecond > 0 ? w.bytesPerSecond / w.recordsPerSecond : 0;
    const meanData = Math.max(0, meanWrite - meanKey);
    /** A share of its records with keys of `keyBytes`: Kinesis records, or an aggregating writer's user records. */
    const load = (share: number, keyBytes: number): Entry => {
      const e = entry();
      if (j >= 0) {
        const users = share * w.aggregating!.usersPerSecond;
        e.users[j] = { recordsPerSecond: users, keyBytesPerSecond: users * keyBytes };
        return e;
      }
      const records = share * w.recordsPerSecond;
      const bytes = records * (meanData + keyBytes);
      return Object.assign(e, { recordsPerSecond: records, bytesPerSecond: bytes, peakRecordsPerSecond: records * w.peakToMean, peakBytesPerSecond: bytes * w.peakToMean });
    };
    const total = entry();
    // An aggregating writer's user records on the shard: its keys each one, its spread's each distinct (aggregatedLoad.ts).
    const users: PartUsers = { records: 0, keyBytes: 0, distinct: 0, squares: 0 };
    for (const k of t.keys) {
      const l = load(k.share, k.keyBytes);
      add(total, l);
      if (j >= 0) users.squares += l.users[j]!.recordsPerSecond ** 2;
      const e = byHashKey.get(k.hashKey);
      if (e) add(e, l);
      else byHashKey.set(k.hashKey, { key: w.population.partitionKeyAt(k.index), hashKey: k.hashKey.toString(), ...l });
    }
    for (const l of [load(t.rest.share, t.rest.keyBytes), load(t.random.share, t.random.keyBytes)]) {
      add(total, l);
      add(spread, l);
      if (j >= 0) users.distinct += l.users[j]!.recordsPerSecond;
    }
    aggregatedKeys += t.rest.count;
    if (j >= 0) {
      users.records = total.users[j]!.recordsPerSecond;
      users.keyBytes = total.users[j]!.keyBytesPerSecond;
      const a = aggregating[j]!;
      const mean = aggregatedUsers(a, users);
      const peak = aggregatedUsers(a, users, a.peakToMean);
      if (mean.records > 0) out.push({ name: w.name, recordsPerSecond: mean.records, bytesPerSecond: mean.bytes, peakRecordsPerSecond: peak.records, peakBytesPerSecond: peak.bytes, peakToMean: w.peakToMean });
    } else if (total.recordsPerSecond > 0) out.push({ name: w.name, recordsPerSecond: total.recordsPerSecond, bytesPerSecond: total.bytesPerSecond, peakRecordsPerSecond: total.peakRecordsPerSecond, peakBytesPerSecond: total.peakBytesPerSecond, peakToMean: w.peakToMean });
  });
  // Several writers: keep the heaviest SHARD_TRAFFIC_KEYS hash keys in all (by records, an aggregating writer's user records), the others spread.
  const weight = (e: Entry) => e.recordsPerSecond + e.users.reduce((s, u) => s + u.recordsPerSecond, 0);
  let keys = [...byHashKey.entries()];
  if (keys.length > SHARD_TRAFFIC_KEYS) {
    keys.sort((a, b) => weight(b[1]) - weight(a[1]) || (a[0] < b[0] ? -1 : 1));
    for (const [, k] of keys.slice(SHARD_TRAFFIC_KEYS)) {
      add(spread, k);
      aggregatedKeys++;
    }
    keys = keys.slice(0, SHARD_TRAFFIC_KEYS);
  }
  keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // Without aggregating writers, the entries are Loads as before (no `users`).
  const plain = <T extends Entry>(e: T): Omit<T, "users"> & { users?: UserRecords[] } => {
    if (n > 0) return e;
    const { users: _, ...rest } = e;
    return rest;
  };
  return {
    shard: shard.id,
    startingHashKey: shard.startingHashKey,
    endingHashKey: shard.endingHashKey,
    writers: out,
    keys: keys.map(([, k]) => plain(k)),
    spread: plain(spread),
    aggregatedKeys,
    ...(n > 0 ? { aggregating } : {}),
  };
}
