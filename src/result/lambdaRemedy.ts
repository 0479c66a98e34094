// What would let a Lambda consumer's lanes keep up with its busiest shard, from the event source mapping's settings
// and the function's duration (perInvocation + records × perRecord, the model's mean: src/spec/lambda.ts): a lane
// processes BatchSize ÷ that mean records a second at most (LambdaResult.laneThroughput), and a shard has up to
// ParallelizationFactor lanes (Lambda: "concurrent batches per shard", 1 to 10, each batch up to 10,000 records within
// the 6 MB synchronous payload; https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html).
// Lambda "still ensures in-order processing at the partition-key level" (the same page), so a key's records stay in one
// lane (as in the model: src/model/lambda/keyLanes.ts): a key that alone takes more than a lane processes is not
// helped by more lanes or more shards (it is in one shard too), only by a faster lane.

import { LAMBDA_ESM_BATCH_SIZE_MAX, LAMBDA_ESM_PARALLELIZATION_MAX, LAMBDA_SYNC_PAYLOAD_MAX_BYTES } from "../aws/limits.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";

/** The share above the busiest shard's rate a remedy leaves its lanes: a lane's bound is its mean at full batches. */
export const REMEDY_HEADROOM = 1.1;

/** Settings that would let the lanes take `busiestPerSecond` on one shard with REMEDY_HEADROOM to spare, each alone (the others as they are). */
export interface LambdaRemedy {
  /** The smallest ParallelizationFactor whose lanes, sharing the shard's records evenly, take them (null: none up to 10, or more than the shard's partition keys allow). */
  parallelization: number | null;
  /** The smallest BatchSize whose lanes (at the factor in force) take them, up to 10,000 and within the 6 MB payload (null: none). */
  batchSize: number | null;
  /** The most a lane processes at any batch size: 1 ÷ perRecord, records/s (Infinity with perRecord 0). */
  laneCeilingPerSecond: number;
  /** The per-record time under which the lanes (at the batch size and factor in force) take them, µs (null: perInvocation alone is too long). */
  perRecordUs: number | null;
  /** Parts the busiest shard's records would be split into for each part to fit its lanes' bound in force (as far as its keys spread). */
  splitInto: number;
  /** The concurrent executions `parallelization` asks for at most: open shards × that factor. */
  concurrencyNeeded: number | null;
}

export interface LaneSettings {
  batchSize: number;
  /** Lanes a shard has now (the factor, or fewer with fewer partition keys: LambdaResult.concurrentBatchesPerShard). */
  lanes: number;
  /** Distinct partition keys in a shard's records, when the scenario states them (the most lanes a shard can use). */
  partitionKeysPerShard?: number | undefined;
  perInvocationUs: number;
  perRecordUs: number;
  /**
   * User records in each record a batch counts (BatchSize counts Kinesis records: a KPL aggregate holds several user
   * records, each taking perRecord; LambdaResult.userRecordsPerRecord). 1 without aggregation.
   */
  usersPerRecord?: number;
}

/** A lane's user records a second at batch size `b` (records of usersPerRecord user records each): u ÷ (perInvocation + u × perRecord), u = b × usersPerRecord. */
export function laneRate(s: Pick<LaneSettings, "perInvocationUs" | "perRecordUs" | "usersPerRecord">, b: number): number {
  const users = b * (s.usersPerRecord ?? 1);
  const us = s.perInvocationUs + users * s.perRecordUs;
  return us > 0 ? users / (us / MICROS_PER_SECOND) : Infinity;
}

/**
 * The remedies for lanes short of `busiestPerSecond` records a second on a shard of user records of `bytesPerRecord`
 * (a batch's payload is its records' data in base64: 4 bytes for every 3), over `openShards` shards.
 */
export function lambdaRemedy(s: LaneSettings, busiestPerSecond: number, bytesPerRecord: number, openShards: number): LambdaRemedy {
  const lane = laneRate(s, s.batchSize);
  const target = REMEDY_HEADROOM * busiestPerSecond;
  const factor = Math.ceil(target / lane);
  const keys = s.partitionKeysPerShard ?? Infinity;
  const parallelization = factor <= LAMBDA_ESM_PARALLELIZATION_MAX && factor <= keys ? factor : null;
  // Per lane, at the lanes in force: bu ÷ (I + bu p) ≥ need ⇔ bu (1 − need p) ≥ need I (u user records a batch record).
  const need = target / s.lanes;
  const p = s.perRecordUs / MICROS_PER_SECOND;
  const i = s.perInvocationUs / MICROS_PER_SECOND;
  // A batch record holds u user records (a KPL aggregate): its payload, and its user records' time, u times a user record's.
  const u = s.usersPerRecord ?? 1;
  const payloadMax = bytesPerRecord > 0 ? Math.floor(LAMBDA_SYNC_PAYLOAD_MAX_BYTES / Math.ceil((u * bytesPerRecord * 4) / 3)) : LAMBDA_ESM_BATCH_SIZE_MAX;
  const b = need * p < 1 ? Math.ceil((need * i) / ((1 - need * p) * u)) : Infinity;
  const batchSize = b > s.batchSize && b <= Math.min(LAMBDA_ESM_BATCH_SIZE_MAX, payloadMax) ? b : null;
  // bu ÷ (I + bu p') ≥ need ⇔ p' ≤ (bu ÷ need − I) ÷ bu.
  const users = s.batchSize * u;
  const room = users / need - i;
  const perRecordUs = room > 0 ? (room / users) * MICROS_PER_SECOND : null;
  return {
    parallelization,
    batchSize,
    laneCeilingPerSecond: p > 0 ? 1 / p : Infinity,
    perRecordUs,
    splitInto: Math.ceil(target / (s.lanes * lane)),
    concurrencyNeeded: parallelization === null ? null : openShards * parallelization,
  };
}
