// The traffic of the hottest throttled shards by hash key, from the finished model: each writer's offered load
// after warmup (measured) divided among its keys by their exact routing (src/model/kinesis/keyRouting.ts). What the
// split proposal (splitProposal.ts) balances. Bounded: at most SPLIT_SHARDS shards of a stream, SHARD_TRAFFIC_KEYS
// keys each, the lighter keys beyond them counted as spread over the range.

import type { Model } from "../model/build.js";
import type { HashKeyRange } from "../model/kinesis/hashing.js";
import { trafficOnRange } from "../model/kinesis/keyRouting.js";
import type { Stream } from "../model/kinesis/stream.js";
import { hottestFirst } from "./hotShards.js";
import type { Load, ShardResult, ShardTraffic } from "./runResult.js";

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
    writers.push({
      name: p.name,
      population: p.traffic.population,
      shardOfKey: p.traffic.routing.shardOfKey,
      shares: p.traffic.routing.shares,
      meanKeyBytes: p.traffic.routing.meanKeyBytes,
      recordsPerSecond: p.stats.offeredKinesisAfterWarmup / statSeconds,
      bytesPerSecond: p.stats.offeredWriteBytesAfterWarmup / statSeconds,
      peakToMean: mean > 0 ? Math.max(1, p.traffic.rate.peakRate(model.duration) / mean) : 1,
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
  const byHashKey = new Map<bigint, ShardTraffic["keys"][number]>();
  const spread = zero();
  let aggregatedKeys = 0;
  const out: ShardTraffic["writers"] = [];
  for (const w of writers) {
    // The keys its routing put on this shard (when the routing is of this stream's shards: it is checked again by range).
    const routed = w.shares.length === stream.ranges.length;
    const candidates = routed ? [...w.shardOfKey.keys()].filter((i) => w.shardOfKey[i] === s) : undefined;
    const t = trafficOnRange(w.population, range, { maxKeys: SHARD_TRAFFIC_KEYS, ...(candidates ? { candidates } : {}) });
    // Bytes per record: the writer's mean (data + key), with the key's own bytes in place of its mean key bytes.
    let meanKey = 0;
    w.shares.forEach((share, i) => (meanKey += share * w.meanKeyBytes[i]!));
    const meanWrite = w.recordsPerSecond > 0 ? w.bytesPerSecond / w.recordsPerSecond : 0;
    const meanData = Math.max(0, meanWrite - meanKey);
    const load = (share: number, keyBytes: number): Load => {
      const records = share * w.recordsPerSecond;
      const bytes = records * (meanData + keyBytes);
      return { recordsPerSecond: records, bytesPerSecond: bytes, peakRecordsPerSecond: records * w.peakToMean, peakBytesPerSecond: bytes * w.peakToMean };
    };
    const total = zero();
    const add = (to: Load, l: Load) => {
      to.recordsPerSecond += l.recordsPerSecond;
      to.bytesPerSecond += l.bytesPerSecond;
      to.peakRecordsPerSecond += l.peakRecordsPerSecond;
      to.peakBytesPerSecond += l.peakBytesPerSecond;
    };
    for (const k of t.keys) {
      const l = load(k.share, k.keyBytes);
      add(total, l);
      const entry = byHashKey.get(k.hashKey);
      if (entry) add(entry, l);
      else byHashKey.set(k.hashKey, { key: w.population.partitionKeyAt(k.index), hashKey: k.hashKey.toString(), ...l });
    }
    for (const l of [load(t.rest.share, t.rest.keyBytes), load(t.random.share, t.random.keyBytes)]) {
      add(total, l);
      add(spread, l);
    }
    aggregatedKeys += t.rest.count;
    if (total.recordsPerSecond > 0) out.push({ name: w.name, ...total, peakToMean: w.peakToMean });
  }
  // Several writers: keep the heaviest SHARD_TRAFFIC_KEYS hash keys in all, the others spread.
  let keys = [...byHashKey.entries()];
  if (keys.length > SHARD_TRAFFIC_KEYS) {
    keys.sort((a, b) => b[1].recordsPerSecond - a[1].recordsPerSecond || (a[0] < b[0] ? -1 : 1));
    for (const [, k] of keys.slice(SHARD_TRAFFIC_KEYS)) {
      spread.recordsPerSecond += k.recordsPerSecond;
      spread.bytesPerSecond += k.bytesPerSecond;
      spread.peakRecordsPerSecond += k.peakRecordsPerSecond;
      spread.peakBytesPerSecond += k.peakBytesPerSecond;
      aggregatedKeys++;
    }
    keys = keys.slice(0, SHARD_TRAFFIC_KEYS);
  }
  keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { shard: shard.id, startingHashKey: shard.startingHashKey, endingHashKey: shard.endingHashKey, writers: out, keys: keys.map(([, k]) => k), spread, aggregatedKeys };
}
