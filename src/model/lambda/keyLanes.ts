// Which of a shard's concurrent batches (lanes) a record goes to. With a parallelization factor above 1 Lambda keeps each
// partition key's records in order ("If you increase the number of concurrent batches per shard, Lambda still ensures
// in-order processing at the partition-key level", Lambda developer guide, "Using Lambda with Kinesis":
// https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html), so all of a key's records go to one lane. How Lambda
// picks the lane is not documented: shardcast takes a fixed, uniform hash of the partition key — its MD5 hash key, as
// Kinesis computes it for routing (src/model/kinesis/hashing.ts), modulo the lanes. A shard's lanes then get the shares
// of its records whose keys hash to each: a hot key's lane takes all of the key's records whatever the factor, and
// random keys spread evenly. A population of ExplicitHashKeys (`kind: explicit`) says which shard its records go to, not
// which partition keys they carry: its records are spread evenly over the lanes too.

import { hashKeyOf, rangeShare, shardIndexFor, type HashKeyRange } from "../kinesis/hashing.js";
import type { KeyPopulation } from "../../workload/partitionKeys.js";

/** A writer of a stream as a Lambda mapping's lanes see it: its partition keys, and the user records a second it writes (its mean). */
export interface KeyedWriter {
  population: KeyPopulation;
  recordsPerSecond: number;
  /**
   * The partition key every Kinesis record it writes carries, whatever its user records' keys: a KPL with aggregation on
   * sends each aggregate with the partition key "a" and an ExplicitHashKey that routes it (KPL kinesis_record.cc,
   * KinesisRecord::partition_key: "We will always set an explicit hash key if we created an aggregated record. We will
   * therefore use a single byte as the partition key"), so on each shard all its records are one key to Lambda, in one
   * lane. (The few a KPL sends plain, a buffer of one user record, carry their own keys: counted with the aggregates.)
   */
  recordKey?: string;
}

/** KinesisRecord::partition_key's key of an aggregated record (KPL kinesis_record.cc). */
export const KPL_AGGREGATE_PARTITION_KEY = "a";

/** The lane of a key whose partition key has hash key `hashKey` (hashKeyOf), among `lanes`. */
export function laneOfHashKey(hashKey: bigint, lanes: number): number {
  return Number(hashKey % BigInt(lanes));
}

/**
 * Per range of `ranges` (sorted by hash key and covering the space: a stream's open shards), per lane, the share of a
 * population's records that go to that shard and, in it, to that lane: each discrete key's share to the shard its hash
 * key falls in and to the lane of its partition key; an ExplicitHashKey's share to its shard, evenly over the lanes (its
 * partition keys are not modelled); random keys over the shards by their ranges' shares and evenly over the lanes.
 * Shares of the population's records (all the shards' together sum to 1).
 */
export function keyLaneShares(pop: KeyPopulation, ranges: readonly HashKeyRange[], lanes: number, recordKey?: string): Float64Array[] {
  const out = ranges.map(() => new Float64Array(lanes));
  // Records that all carry one partition key (recordKey): routed by the user records' keys, all in that key's lane.
  const lane = recordKey === undefined ? -1 : laneOfHashKey(hashKeyOf(recordKey), lanes);
  let total = pop.randomShare;
  for (let i = 0; i < pop.count; i++) total += pop.shares[i]!;
  if (total <= 0) return out;
  for (let i = 0; i < pop.count; i++) {
    const w = pop.shares[i]!;
    if (w <= 0) continue;
    if (pop.explicitHashKeyAt) {
      const byLane = out[shardIndexFor(ranges, pop.explicitHashKeyAt(i))]!;
      if (lane >= 0) byLane[lane]! += w / total;
      else for (let l = 0; l < lanes; l++) byLane[l]! += w / total / lanes;
      continue;
    }
    const hashKey = hashKeyOf(pop.partitionKeyAt(i));
    out[shardIndexFor(ranges, hashKey)]![lane >= 0 ? lane : laneOfHashKey(hashKey, lanes)]! += w / total;
  }
  if (pop.randomShare > 0) {
    ranges.forEach((r, s) => {
      const share = (pop.randomShare / total) * rangeShare(r);
      if (lane >= 0) out[s]![lane]! += share;
      else for (let l = 0; l < lanes; l++) out[s]![l]! += share / lanes;
    });
  }
  return out;
}

/**
 * Per range of `ranges` (as keyLaneShares), the lanes' shares of the records the writers put on that shard: each writer's
 * keyLaneShares weighted by its records a second, summing to 1 over the lanes; null for a shard expected to get none.
 */
export function laneSharesOf(writers: readonly KeyedWriter[], ranges: readonly HashKeyRange[], lanes: number): (Float64Array | null)[] {
  const sums = ranges.map(() => new Float64Array(lanes));
  for (const w of writers) {
    if (!(w.recordsPerSecond > 0)) continue;
    keyLaneShares(w.population, ranges, lanes, w.recordKey).forEach((byLane, s) => {
      for (let l = 0; l < lanes; l++) sums[s]![l]! += w.recordsPerSecond * byLane[l]!;
    });
  }
  return sums.map((byLane) => {
    let n = 0;
    for (let l = 0; l < lanes; l++) n += byLane[l]!;
    if (!(n > 0)) return null;
    for (let l = 0; l < lanes; l++) byLane[l] = byLane[l]! / n;
    return byLane;
  });
}

/**
 * Splits `n` records among lanes by their shares, keeping each lane's count within a record of its share of all the
 * records split so far: `owed` (per lane, carried from one call to the next) is what each lane is owed, in records, after
 * the last call. Largest remainder first; returns the counts, which sum to `n`.
 */
export function allotByShares(owed: Float64Array, shares: Float64Array, n: number): number[] {
  const lanes = shares.length;
  const counts = new Array<number>(lanes);
  let given = 0;
  for (let l = 0; l < lanes; l++) {
    owed[l] = owed[l]! + shares[l]! * n;
    counts[l] = Math.max(0, Math.floor(owed[l]!));
    given += counts[l]!;
  }
  // Fewer than n (the fractions owed): one more each to the lanes owed most; more (rounding), one less to those owed least.
  while (given !== n) {
    const more = given < n;
    let pick = -1;
    for (let l = 0; l < lanes; l++) {
      if (!more && counts[l]! === 0) continue;
      const left = owed[l]! - counts[l]!;
      if (pick < 0 || (more ? left > owed[pick]! - counts[pick]! : left < owed[pick]! - counts[pick]!)) pick = l;
    }
    counts[pick] = counts[pick]! + (more ? 1 : -1);
    given += more ? 1 : -1;
  }
  for (let l = 0; l < lanes; l++) owed[l] = owed[l]! - counts[l]!;
  return counts;
}
