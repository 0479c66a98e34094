// Routes a producer's key population onto a stream's shards, exactly as Kinesis does (MD5 of each key, or
// its ExplicitHashKey; random keys by the shards' shares of the hash key space). The result is each shard's
// share of the producer's records and the mean partition key size of the records it gets; for per-record
// runs, a sampler that draws a record's shard and key size.

import { AliasTable } from "../../engine/alias.js";
import type { RandomStream } from "../../engine/random.js";
import type { KeyPopulation } from "../../workload/partitionKeys.js";
import { hashKeyOf, rangeShare, shardIndexFor, type HashKeyRange } from "./hashing.js";

export interface KeyRouting {
  /** Probability that a record goes to each shard (sums to 1). */
  readonly shares: Float64Array;
  /** Mean UTF-8 partition key bytes of the records going to each shard. */
  readonly meanKeyBytes: Float64Array;
  /** Shard of each discrete key (for reports: where the hot keys live). */
  readonly shardOfKey: Int32Array;
  /** Draws one record's shard and key bytes. */
  sample(rng: RandomStream): { shard: number; keyBytes: number };
}

export function routeKeys(pop: KeyPopulation, ranges: readonly HashKeyRange[]): KeyRouting {
  const n = ranges.length;
  const shares = new Float64Array(n);
  const keyWeight = new Float64Array(n); // Σ share × key bytes per shard
  const rangeShares = Float64Array.from(ranges.map(rangeShare));
  const shardOfKey = new Int32Array(pop.count);
  const keyBytes = new Float64Array(pop.count);

  for (let i = 0; i < pop.count; i++) {
    const hk = pop.explicitHashKeyAt ? pop.explicitHashKeyAt(i) : hashKeyOf(pop.partitionKeyAt(i));
    const s = shardIndexFor(ranges, hk);
    shardOfKey[i] = s;
    const w = pop.shares[i]!;
    const kb = pop.keyBytesAt(i);
    keyBytes[i] = kb;
    shares[s]! += w;
    keyWeight[s]! += w * kb;
  }
  if (pop.randomShare > 0) {
    for (let s = 0; s < n; s++) {
      const w = pop.randomShare * rangeShares[s]!;
      shares[s]! += w;
      keyWeight[s]! += w * pop.randomKeyBytes;
    }
  }
  let total = 0;
  for (let s = 0; s < n; s++) total += shares[s]!;
  const meanKeyBytes = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    meanKeyBytes[s] = shares[s]! > 0 ? keyWeight[s]! / shares[s]! : pop.randomKeyBytes || 1;
    shares[s] = shares[s]! / total;
  }

  // Per-record sampling: one alias table over the discrete keys plus one "random key" slot.
  let table: AliasTable | undefined;
  let randomTable: AliasTable | undefined;
  const sample = (rng: RandomStream) => {
    table ??= new AliasTable([...pop.shares, pop.randomShare]);
    const k = table.draw(rng.uniform());
    if (k < pop.count) return { shard: shardOfKey[k]!, keyBytes: keyBytes[k]! };
    randomTable ??= new AliasTable(rangeShares);
    return { shard: randomTable.draw(rng.uniform()), keyBytes: pop.randomKeyBytes };
  };

  return { shares, meanKeyBytes, shardOfKey, sample };
}

/**
 * Routes a population onto the open shards of a stream that reshards: routeKeys over the open ranges (in hash key
 * order, covering the space), with each open shard's figures put at its index among all `shardCount` shards the
 * run sees (closed and future shards get none).
 */
export function routeOpen(pop: KeyPopulation, open: { shards: readonly number[]; ranges: readonly HashKeyRange[] }, shardCount: number): KeyRouting {
  const r = routeKeys(pop, open.ranges);
  const shares = new Float64Array(shardCount);
  const meanKeyBytes = new Float64Array(shardCount).fill(pop.randomKeyBytes || 1);
  open.shards.forEach((s, i) => {
    shares[s] = r.shares[i]!;
    meanKeyBytes[s] = r.meanKeyBytes[i]!;
  });
  const shardOfKey = r.shardOfKey.map((i) => open.shards[i]!);
  return { shares, meanKeyBytes, shardOfKey, sample: (rng) => { const x = r.sample(rng); return { shard: open.shards[x.shard]!, keyBytes: x.keyBytes }; } };
}

/** A population's traffic on one hash key range: what a split of that range needs to know. */
export interface RangeTraffic {
  /**
   * The heaviest discrete keys routed to the range (at most `maxKeys`), sorted by hash key (then key index): each
   * key's index in the population, hash key, share of the population's records and partition key bytes.
   */
  readonly keys: { index: number; hashKey: bigint; share: number; keyBytes: number }[];
  /** The lighter discrete keys routed to the range beyond `maxKeys`: how many, their share, their mean key bytes. */
  readonly rest: { count: number; share: number; keyBytes: number };
  /** Random keys landing in the range (uniform over it): their share of the population's records, and key bytes. */
  readonly random: { share: number; keyBytes: number };
}

/**
 * The traffic a key population puts on one hash key range, shares normalised as routeKeys normalises them (of the
 * population's records). `candidates` (e.g. the keys routeKeys put on the range's shard) saves hashing the others;
 * keys outside the range are left out either way. The heaviest `maxKeys` keys are listed, the rest aggregated.
 */
export function trafficOnRange(
  pop: KeyPopulation,
  range: HashKeyRange,
  options: { maxKeys?: number; candidates?: Iterable<number> } = {},
): RangeTraffic {
  const maxKeys = options.maxKeys ?? 10_000;
  let total = pop.randomShare;
  for (let i = 0; i < pop.count; i++) total += pop.shares[i]!;
  if (total <= 0) total = 1;
  const hashOf = (i: number) => (pop.explicitHashKeyAt ? pop.explicitHashKeyAt(i) : hashKeyOf(pop.partitionKeyAt(i)));
  const inRange: { index: number; hashKey: bigint }[] = [];
  const indices = options.candidates ?? Array.from({ length: pop.count }, (_, i) => i);
  for (const i of indices) {
    const hashKey = hashOf(i);
    if (hashKey >= range.start && hashKey <= range.end) inRange.push({ index: i, hashKey });
  }
  // The heaviest first (ties by index), to keep maxKeys of them.
  inRange.sort((a, b) => pop.shares[b.index]! - pop.shares[a.index]! || a.index - b.index);
  const kept = inRange.slice(0, maxKeys);
  let restShare = 0;
  let restKeyWeight = 0;
  for (const { index } of inRange.slice(maxKeys)) {
    const w = pop.shares[index]! / total;
    restShare += w;
    restKeyWeight += w * pop.keyBytesAt(index);
  }
  const keys = kept
    .sort((a, b) => (a.hashKey < b.hashKey ? -1 : a.hashKey > b.hashKey ? 1 : a.index - b.index))
    .map(({ index, hashKey }) => ({ index, hashKey, share: pop.shares[index]! / total, keyBytes: pop.keyBytesAt(index) }));
  return {
    keys,
    rest: { count: inRange.length - kept.length, share: restShare, keyBytes: restShare > 0 ? restKeyWeight / restShare : 0 },
    random: { share: (pop.randomShare / total) * rangeShare(range), keyBytes: pop.randomKeyBytes },
  };
}
