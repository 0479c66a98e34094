// Partition key populations: which keys producers use and how often. A population is a set of discrete keys
// (partition key strings, or ExplicitHashKeys) with traffic shares, plus a share of fresh random keys that
// fall uniformly over the hash key space. Routing keys to shards is the model's job (src/model/keyRouting.ts).

import type { RandomStream } from "../engine/random.js";
import { zipfProbabilities } from "../engine/zipf.js";
import type { PartitionKeySpec } from "../spec/index.js";

export interface KeyPopulation {
  /** Number of discrete keys. */
  readonly count: number;
  /** Traffic share of each discrete key (together ≤ 1). */
  readonly shares: Float64Array;
  /** The i-th discrete key's partition key string (what is hashed, unless it has an explicit hash key). */
  partitionKeyAt(i: number): string;
  /** The i-th key's ExplicitHashKey, when the population uses explicit hash keys. */
  explicitHashKeyAt?(i: number): bigint;
  /** UTF-8 bytes of the partition key sent with the i-th key's records. */
  keyBytesAt(i: number): number;
  /** Share of traffic with fresh random keys, uniform over the hash key space. */
  readonly randomShare: number;
  /** UTF-8 bytes of those random keys. */
  readonly randomKeyBytes: number;
  readonly description: string;
}

/** Number of bytes of a string in UTF-8. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else n += 3; // includes a lone surrogate, which UTF-8 encoders replace by U+FFFD (3 bytes)
  }
  return n;
}

/**
 * A run's key population. `names`: the run's stream for naming (RandomStream.fork("key names") of its root): a Zipf
 * population with shuffled names draws which name each rank gets from it, keyed by the prefix and count, so every
 * producer and writer of a run naming the same keys gives the same key the same popularity.
 */
export function keyPopulation(spec: PartitionKeySpec, names: RandomStream): KeyPopulation {
  switch (spec.kind) {
    case "random":
      return {
        count: 0,
        shares: new Float64Array(0),
        partitionKeyAt: () => {
          throw new RangeError("a random key population has no discrete keys");
        },
        keyBytesAt: () => spec.length,
        randomShare: 1,
        randomKeyBytes: spec.length,
        description: `random keys (${spec.length} B), uniform over the hash key space`,
      };
    case "zipf": {
      const prefixBytes = utf8Length(spec.prefix);
      // The number in the name of the key of rank i (from 0): i + 1, or the shuffle's.
      const numberOf = spec.names === "ranked" ? (i: number) => i + 1 : shuffledNumbers(spec.keys, names.fork(`${spec.prefix}/${spec.keys}`));
      return {
        count: spec.keys,
        shares: zipfProbabilities(spec.keys, spec.exponent),
        partitionKeyAt: (i) => `${spec.prefix}${numberOf(i)}`,
        keyBytesAt: (i) => prefixBytes + String(numberOf(i)).length,
        randomShare: 0,
        randomKeyBytes: 0,
        description: `${spec.keys} keys "${spec.prefix}1".."${spec.prefix}${spec.keys}", Zipf exponent ${spec.exponent}${spec.names === "ranked" ? ", key i of rank i" : ", names shuffled over the ranks"}`,
      };
    }
    case "hotKeys": {
      const shares = Float64Array.from(spec.keys.map((k) => k.share));
      const hot = shares.reduce((s, x) => s + x, 0);
      return {
        count: spec.keys.length,
        shares,
        partitionKeyAt: (i) => spec.keys[i]!.key,
        keyBytesAt: (i) => utf8Length(spec.keys[i]!.key),
        randomShare: Math.max(0, 1 - hot),
        randomKeyBytes: spec.otherLength,
        description: `${spec.keys.length} hot key(s) with ${(hot * 100).toFixed(1)}% of traffic, the rest random`,
      };
    }
    case "explicit": {
      const weights = spec.shares ?? spec.hashKeys.map(() => 1);
      const total = weights.reduce((s, x) => s + x, 0);
      const hashKeys = spec.hashKeys.map((h) => BigInt(h));
      return {
        count: spec.hashKeys.length,
        shares: Float64Array.from(weights.map((w) => w / total)),
        partitionKeyAt: (i) => `explicit-${i}`,
        explicitHashKeyAt: (i) => hashKeys[i]!,
        keyBytesAt: () => spec.length,
        randomShare: 0,
        randomKeyBytes: 0,
        description: `${spec.hashKeys.length} explicit hash key(s)`,
      };
    }
  }
}

/** The numbers 1..k in an order drawn from `rng` (Fisher–Yates), as the rank → number of a shuffled naming. */
function shuffledNumbers(k: number, rng: RandomStream): (i: number) => number {
  const order = new Int32Array(k);
  for (let i = 0; i < k; i++) order[i] = i + 1;
  for (let i = k - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const x = order[i]!;
    order[i] = order[j]!;
    order[j] = x;
  }
  return (i) => order[i]!;
}

/**
 * The mean UTF-8 bytes of the partition key a record of this population carries (what counts with its data in a shard's
 * 1 MiB/s): random and explicit keys their length; hot keys each its own by its share, the rest `otherLength`; Zipf
 * keys prefix + the digits of their number, weighted by popularity — for shuffled names, the mean over every order the
 * seed may draw (each number equally likely at each rank), for ranked names the key of rank i is number i.
 */
export function meanKeyBytes(spec: PartitionKeySpec): number {
  switch (spec.kind) {
    case "random":
    case "explicit":
      return spec.length;
    case "hotKeys": {
      const hot = spec.keys.reduce((s, k) => s + k.share, 0);
      return spec.keys.reduce((s, k) => s + k.share * utf8Length(k.key), 0) + Math.max(0, 1 - hot) * spec.otherLength;
    }
    case "zipf": {
      const prefix = utf8Length(spec.prefix);
      if (spec.names === "ranked") {
        const p = zipfProbabilities(spec.keys, spec.exponent);
        let digits = 0;
        for (let i = 0; i < spec.keys; i++) digits += p[i]! * String(i + 1).length;
        return prefix + digits;
      }
      // 1..K: 9 numbers of 1 digit, 90 of 2, … up to K.
      let digits = 0;
      for (let d = 1, lo = 1; lo <= spec.keys; d++, lo *= 10) digits += d * (Math.min(spec.keys, lo * 10 - 1) - lo + 1);
      return prefix + digits / spec.keys;
    }
  }
}
