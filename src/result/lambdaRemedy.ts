// What would let a Lambda consumer's lanes keep up with its busiest shard, from the event source mapping's settings
// and the function's duration (perInvocation + records × perRecord, the model's mean: src/spec/lambda.ts): a lane
// processes BatchSize ÷ that mean records a second at most (LambdaResult.laneThroughput), and a shard has up to
// ParallelizationFactor lanes (Lambda: "concurrent batches per shard", 1 to 10, each batch up to 10,000 records within
// the 6 MB synchronous payload; https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html).
// Lambda "still ensures in-order processing at the partition-key level" (the same page), so a key's records stay in one
// lane (as in the model: src/model/lambda/keyLanes.ts): a key that alone takes more than a lane processes is not
// helped by more lanes or more shards (it is in one shard too), only by a faster lane.
// With a sink, each invocation writes its batch before it returns, so a batch takes its write besides
// (src/model/sinks/batchWrite.ts: the sink not throttled): a BatchWriteItem request for every 16 items (a DynamoDB
// table), an object (S3), a bulk request (OpenSearch), a COPY (Redshift). A remedy counts it: no batch size or time a
// record is proposed that the write would leave short.
// A batch whose mean duration is over the function's timeout never finishes (the mapping retries it whole:
// src/model/lambda/laneBatch.ts), so a lane's rate is counted at the batch within the timeout that processes the most
// (laneBatchWithin), and no batch size or time a record is proposed whose batch would outlast the timeout; when a full
// batch already does, the batch size proposed is that smaller one.
// A lane's rate counts the tries the timeout cuts (laneCycles: each a timeout's time and a retry delay for nothing, by
// the model's duration and write distributions), and so does every remedy: a batch size or time a record is proposed
// only if a lane at it, its cut tries counted, takes the records; when a full batch's tries are cut, a smaller batch,
// whose tries the timeout cuts less often, is proposed if one does (the one that processes the most).

import { LAMBDA_ESM_BATCH_SIZE_MAX, LAMBDA_ESM_PARALLELIZATION_MAX, LAMBDA_SYNC_PAYLOAD_MAX_BYTES } from "../aws/limits.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import { writeUsOf } from "../model/sinks/batchWrite.js";
import { batchMeanUs, batchRate, bestBatch, laneBatchWithin, laneCycles, toothOf, type LaneTimes } from "../model/lambda/laneBatch.js";

/** The share above the busiest shard's rate a remedy leaves its lanes: a lane's bound is its mean at full batches. */
export const REMEDY_HEADROOM = 1.1;

/**
 * An end-to-end latency SLO the lanes must meet through the busiest shard's peaks, not only keep up on average
 * (backlogWait.ts): the lowest rate a shard's lanes need for the p99 of the waits its arrivals have in a backlog to be
 * within the SLO less what a record takes once read (the batching window and a batch's time).
 */
export interface SloNeed {
  /** The SLO: p99 end-to-end latency (µs). */
  p99Us: number;
  /** What a record takes beyond its wait in the backlog: the batching window and the lane's mean time for a batch (µs). */
  baseUs: number;
  /** The lowest rate a shard's lanes need (user records a second; Infinity: none, baseUs alone is over the SLO). */
  perSecond: number;
  /** At the remedy's rate (REMEDY_HEADROOM × perSecond): the p99 wait, the longest, and the time from the largest backlog until it drained (µs). */
  p99WaitUs: number;
  longestWaitUs: number;
  drainUs: number;
}

/** Settings that would let the lanes take `busiestPerSecond` on one shard with REMEDY_HEADROOM to spare, each alone (the others as they are). */
export interface LambdaRemedy {
  /**
   * The shard's records a second the remedies are sized to, headroom included: REMEDY_HEADROOM × the busiest shard's
   * mean rate, or × the rate an end-to-end p99 SLO needs through its peaks (`slo`) when that is more.
   */
  targetPerSecond: number;
  /** The SLO's need when it is more than the mean rate (null: none, or the mean rate is enough). */
  slo: SloNeed | null;
  /** The smallest ParallelizationFactor whose lanes, sharing the shard's records evenly, take them (null: none up to 10, or more than the shard's partition keys allow). */
  parallelization: number | null;
  /**
   * The smallest BatchSize above the one in force whose lanes (at the factor in force) take them, up to 10,000, within the
   * 6 MB payload and its batch's mean duration within the timeout; or, when a full batch's mean duration is already over
   * the timeout, the smaller one within it that processes the most, if that takes them (null: none).
   */
  batchSize: number | null;
  /** A lane's user records a second at `batchSize`, its cut tries counted (null with no batchSize). */
  batchSizePerSecond: number | null;
  /** The most a lane processes at any batch size: 1 ÷ (perRecord + the write's time a record), records/s (Infinity when both are 0). */
  laneCeilingPerSecond: number;
  /** The per-record time under which the lanes (at the batch size and factor in force) take them, µs (null: perInvocation and the batch's write alone are too long). */
  perRecordUs: number | null;
  /** Parts the busiest shard's records would be split into for each part to fit its lanes' bound in force (as far as its keys spread). */
  splitInto: number;
  /** The concurrent executions `parallelization` asks for at most: open shards × that factor. */
  concurrencyNeeded: number | null;
}

/** A lane's settings (LaneTimes: the function's duration, variability and timeout, the write, the retries) and the mapping's batch and lanes. */
export interface LaneSettings extends LaneTimes {
  batchSize: number;
  /** Lanes a shard has now (the factor, or fewer with fewer partition keys: LambdaResult.concurrentBatchesPerShard). */
  lanes: number;
  /** Distinct partition keys in a shard's records, when the scenario states them (the most lanes a shard can use). */
  partitionKeysPerShard?: number | undefined;
}

/**
 * A lane's user records a second at batch size `b` (records of usersPerRecord user records each): u ÷ (perInvocation + u ×
 * perRecord + the write of u records), u = b × usersPerRecord.
 */
export function laneRate(s: Pick<LaneSettings, "perInvocationUs" | "perRecordUs" | "usersPerRecord" | "write">, b: number): number {
  return batchRate(s, b);
}

/**
 * The remedies for lanes short of `busiestPerSecond` records a second on a shard of user records of `bytesPerRecord`
 * (a batch's payload is its records' data in base64: 4 bytes for every 3), over `openShards` shards.
 */
export function lambdaRemedy(s: LaneSettings, busiestPerSecond: number, bytesPerRecord: number, openShards: number, sloNeed: SloNeed | null = null): LambdaRemedy {
  // The most a lane finishes a second: at a full batch, or the batch within the timeout when a full one is not.
  const within = laneBatchWithin(s, s.batchSize);
  const lane = within.perSecond;
  const timeout = s.timeoutUs ?? Infinity;
  const fits = (b: number) => batchMeanUs(s, b) <= timeout;
  // An SLO's need through the peaks, when more than the mean rate (helper-124: remedies sized to the mean kept a consumer
  // from falling behind, and its p99 was still 64 s against a 30 s SLO after a 2-minute spike).
  const slo = sloNeed !== null && sloNeed.perSecond > busiestPerSecond ? sloNeed : null;
  const target = REMEDY_HEADROOM * (slo && Number.isFinite(slo.perSecond) ? slo.perSecond : busiestPerSecond);
  const factor = lane > 0 ? Math.ceil(target / lane) : Infinity;
  const keys = s.partitionKeysPerShard ?? Infinity;
  const parallelization = factor <= LAMBDA_ESM_PARALLELIZATION_MAX && factor <= keys ? factor : null;
  // Per lane, at the lanes in force: bu ÷ (I + bu p) ≥ need ⇔ bu (1 − need p) ≥ need I (u user records a batch record).
  const need = target / s.lanes;
  const p = s.perRecordUs / MICROS_PER_SECOND;
  const i = s.perInvocationUs / MICROS_PER_SECOND;
  // A batch record holds u user records (a KPL aggregate): its payload, and its user records' time, u times a user record's.
  const u = s.usersPerRecord ?? 1;
  const payloadMax = bytesPerRecord > 0 ? Math.floor(LAMBDA_SYNC_PAYLOAD_MAX_BYTES / Math.ceil((u * bytesPerRecord * 4) / 3)) : LAMBDA_ESM_BATCH_SIZE_MAX;
  const largest = Math.min(LAMBDA_ESM_BATCH_SIZE_MAX, payloadMax);
  const w = s.write ?? null;
  // The write of x user records takes F + ⌈x ÷ R⌉ Q + x w': at most F + Q + x (Q ÷ R + w'), at least F + x (Q ÷ R + w'),
  // so it adds F (+ Q) to the time an invocation and Q ÷ R + w' to the time a record.
  const wFixed = w ? w.fixedUs / MICROS_PER_SECOND : 0;
  const wRequest = w ? w.perRequestUs / MICROS_PER_SECOND : 0;
  const wRecord = w ? (w.perRequestUs / w.recordsPerRequest + w.perRecordUs) / MICROS_PER_SECOND : 0;
  const smallest = (fixed: number) => (need * (p + wRecord) < 1 ? Math.ceil((need * fixed) / ((1 - need * (p + wRecord)) * u)) : Infinity);
  // The smallest batch whose lane rate reaches `need`: between those of the write's least and most per invocation (the
  // same without a write), the first that does.
  const low = smallest(i + wFixed);
  const high = w ? smallest(i + wFixed + wRequest) : low;
  // A lane's rate at batch size x, its tries the timeout cuts counted (laneCycles); without any cut, laneRate.
  const { cycle, tryOf } = laneCycles(s);
  const rateAt = (x: number) => {
    const c = cycle(x);
    return c.us > 0 ? c.users / (c.us / MICROS_PER_SECOND) : Infinity;
  };
  // A batch's mean duration grows with its records: past the first that outlasts the timeout, none fits. The first
  // batch from `low` up that reaches `need`, its cut tries counted: with none cut, `low` itself without a write; past
  // `high` (where the mean alone reaches it), only while a larger batch still gains (the timeout cutting more of them).
  let b = Infinity;
  let before = -Infinity;
  for (let x = Math.max(low, s.batchSize + 1); x <= largest && fits(x); x++) {
    const r = rateAt(x);
    if (r >= need) {
      b = x;
      break;
    }
    if (x > high && r <= before) break;
    before = r;
  }
  const larger = b > s.batchSize && b <= largest && fits(b) ? b : null;
  // A full batch outlasting the timeout: the batch within it that processes the most, if that is enough.
  const smaller = within.records < s.batchSize && within.records > 0 && within.perSecond >= need ? within.records : null;
  // A full batch within it on average whose tries the timeout cuts: the smaller batch that processes the most, if enough.
  const fewer = within.records === s.batchSize && tryOf(s.batchSize).doneChance < 1 && s.batchSize > 1 ? bestBatch(rateAt, 1, s.batchSize - 1, toothOf(s)) : null;
  const lessCut = fewer !== null && fewer.perSecond >= need && fewer.perSecond > within.perSecond ? fewer.records : null;
  const batchSize = within.records < s.batchSize ? smaller : (larger ?? lessCut);
  // bu ÷ (I + bu p' + W(bu)) ≥ need ⇔ p' ≤ (bu ÷ need − I − W(bu)) ÷ bu; and the batch within the timeout T:
  // I + bu p' + W(bu) ≤ T ⇔ p' ≤ (T − I − W(bu)) ÷ bu. With tries cut, the lane's rate falls as p' grows: the largest p'
  // under that whose rate, its cut tries counted, reaches `need` (by bisection, to 0.1 µs).
  const users = s.batchSize * u;
  const writeS = w ? writeUsOf(w, users) / MICROS_PER_SECOND : 0;
  const room = Math.min(users / need, timeout / MICROS_PER_SECOND) - i - writeS;
  const meanPerRecordUs = room > 0 ? (room / users) * MICROS_PER_SECOND : null;
  const perRecordUs = meanPerRecordUs === null ? null : fasterEnough(s, meanPerRecordUs, need);
  return {
    targetPerSecond: target,
    slo,
    parallelization,
    batchSize,
    batchSizePerSecond: batchSize === null ? null : rateAt(batchSize),
    laneCeilingPerSecond: p + wRecord > 0 ? 1 / (p + wRecord) : Infinity,
    perRecordUs,
    splitInto: lane > 0 ? Math.ceil(target / (s.lanes * lane)) : Infinity,
    concurrencyNeeded: parallelization === null ? null : openShards * parallelization,
  };
}

/**
 * The largest time a record, at most `meanUs` (where the mean duration alone reaches `need`), at which a lane at the
 * batch size in force, its cut tries counted, processes `need` a second (null: not even at 0).
 */
function fasterEnough(s: LaneSettings, meanUs: number, need: number): number | null {
  const rateWith = (perRecordUs: number) => {
    const c = laneCycles({ ...s, perRecordUs }).cycle(s.batchSize);
    return c.us > 0 ? c.users / (c.us / MICROS_PER_SECOND) : Infinity;
  };
  if (rateWith(meanUs) >= need) return meanUs;
  if (rateWith(0) < need) return null;
  let lo = 0;
  let hi = meanUs;
  while (hi - lo > 0.1) {
    const mid = (lo + hi) / 2;
    if (rateWith(mid) >= need) lo = mid;
    else hi = mid;
  }
  return lo;
}
