// Partition key → hash key → shard, as Kinesis does it (Kinesis developer guide, "Key concepts"): the hash key is the MD5 of the
// partition key's UTF-8 bytes read as an unsigned 128-bit big-endian integer; an ExplicitHashKey replaces it;
// the record goes to the open shard whose [StartingHashKey, EndingHashKey] contains the hash key.
// CreateStream with N shards gives shard i the range [h·i, h·(i+1) − 1] with h = floor(2^128 / N), and the
// last shard ends at 2^128 − 1 (kinesalite actions/createStream.js; verified for N = 3 against the AWS CLI
// describe-stream example).

import { createHash } from "node:crypto";
import { HASH_KEY_SPACE } from "../../aws/limits.js";

export const MAX_HASH_KEY = HASH_KEY_SPACE - 1n;

export interface HashKeyRange {
  readonly start: bigint;
  readonly end: bigint; // inclusive
}

/** The hash key of a partition key: MD5 of its UTF-8 bytes as an unsigned 128-bit big-endian integer. */
export function hashKeyOf(partitionKey: string): bigint {
  const digest = createHash("md5").update(partitionKey, "utf8").digest("hex");
  return BigInt(`0x${digest}`);
}

/** The hash key ranges CreateStream gives N shards. */
export function createStreamRanges(shardCount: number): HashKeyRange[] {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new RangeError(`shard count must be ≥ 1, got ${shardCount}`);
  const n = BigInt(shardCount);
  const h = HASH_KEY_SPACE / n;
  const ranges: HashKeyRange[] = [];
  for (let i = 0n; i < n; i++) {
    ranges.push({ start: h * i, end: i === n - 1n ? MAX_HASH_KEY : h * (i + 1n) - 1n });
  }
  return ranges;
}

/** Shard ids as Kinesis names them: shardId-000000000000, shardId-000000000001, … */
export function shardIdName(index: number): string {
  return `shardId-${String(index).padStart(12, "0")}`;
}

/** Index of the range containing `hashKey` (ranges sorted by start and covering the whole space). */
export function shardIndexFor(ranges: readonly HashKeyRange[], hashKey: bigint): number {
  if (hashKey < 0n || hashKey > MAX_HASH_KEY) throw new RangeError(`hash key ${hashKey} is outside 0..2^128−1`);
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ranges[mid]!.start <= hashKey) lo = mid;
    else hi = mid - 1;
  }
  const r = ranges[lo]!;
  if (hashKey < r.start || hashKey > r.end) throw new RangeError(`hash key ${hashKey} is in no shard's range`);
  return lo;
}

/** Fraction of the hash key space a range covers (its share of uniformly random keys). */
export function rangeShare(range: HashKeyRange): number {
  // Exact to double precision: scale the 128-bit width down to 53 bits before dividing.
  const width = range.end - range.start + 1n;
  return Number(width >> 75n) / 2 ** 53 + Number(width & ((1n << 75n) - 1n)) / 2 ** 128;
}
