// Which subtask reads a shard. Flink's legacy FlinkKinesisConsumer hashes the shard
// (StreamShardHandle.hashCode: 17, then × 37 + streamName.hashCode(), then × 37 + shardId.hashCode(), Java int
// arithmetic) and a subtask reads the shards with abs(hash % parallelism) == its index
// (KinesisDataFetcher.isThisSubtaskShouldSubscribeTo). KinesisStreamsSource's UniformShardAssigner takes the middle
// of the shard's hash key range: abs(mid × parallelism / 2^128) (enumerator/assigner/UniformShardAssigner.java).

import type { HashKeyRange } from "../kinesis/hashing.js";

/** Java's String.hashCode: s[0]·31^(n−1) + … + s[n−1], in 32-bit two's complement. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** FlinkKinesisConsumer's default assignment: the subtask of a shard, by StreamShardHandle.hashCode. */
export function hashAssign(streamName: string, shardId: string, parallelism: number): number {
  let hash = 17;
  hash = (Math.imul(37, hash) + javaStringHash(streamName)) | 0;
  hash = (Math.imul(37, hash) + javaStringHash(shardId)) | 0;
  // Java's % keeps the dividend's sign; Math.abs of it.
  return Math.abs(hash % parallelism);
}

const HASH_KEY_BOUND = 2n ** 128n;

/** KinesisStreamsSource's UniformShardAssigner: the subtask of a shard by the middle of its hash key range. */
export function uniformAssign(range: HashKeyRange, parallelism: number): number {
  const mid = (range.start + range.end) / 2n;
  return Number((mid * BigInt(parallelism)) / HASH_KEY_BOUND);
}
