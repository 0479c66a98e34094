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
// A sink that serves one write at a time for every lane of every shard (a Redshift cluster's COPYs into one table, which
// wait for each other's write lock: "Concurrent write examples",
// https://docs.aws.amazon.com/redshift/latest/dg/r_Serializable_isolation_example.html; an OpenSearch domain's bulk
// requests as the model serves them: src/model/sinks/batchWrite.ts oneAtATimeWriteOf) lets all the lanes together write
// at most a batch's records ÷ that write's time a second, whatever the lanes. A remedy is proposed only if the sink
// carries the consumer's records with it (REMEDY_HEADROOM × all its shards' rate): more lanes, a faster function or
// more shards leave the sink's limit as it is, so when it is short at the batch in force they are sized with the
// smallest batch at which it is not (a larger batch shares a COPY's fixed time among more records), and proposed with
// it; a batch size alone only if the sink carries them at it too. 8 shards of 60 records/s on lanes of 40 and COPYs of
// 250 ms a batch of 100: a factor of 2 alone asks 640 records/s of a sink that loads 400 (rerun, it processed 400, held
// by the sink), so it is proposed with a batch of ⌈1.1 × 480 × 0.25 s⌉ = 132 records (528 records/s).

import { LAMBDA_ESM_BATCH_SIZE_MAX, LAMBDA_ESM_PARALLELIZATION_MAX, LAMBDA_SYNC_PAYLOAD_MAX_BYTES } from "../aws/limits.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import { writeUsOf, type WriteTime } from "../model/sinks/batchWrite.js";
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

/**
 * A sink that serves one write at a time for every lane of every shard (LambdaResult.sinkWriteBound): the one-at-a-time
 * part of a write (a COPY, a bulk request) as a function of its user records, and the user records a second all the
 * consumer's shards take (their mean after warmup, or, with an end-to-end p99 SLO, what its stream's peaks need when
 * that is more: the per-shard SloNeed's rule on the stream's arrivals).
 */
export interface SharedSink {
  write: WriteTime;
  /** All the consumer's shards' user records a second after warmup. */
  meanPerSecond: number;
  /** With an end-to-end p99 SLO, the rate the stream's arrivals need through its peaks (SloNeed.perSecond; null: none). */
  sloPerSecond: number | null;
}

/** What a shared sink (SharedSink) lets through for the remedies: at the batch in force, and the batch at which it carries them. */
export interface SinkRemedy {
  /**
   * All the shards' user records a second: their mean (SharedSink.meanPerSecond), or what an end-to-end p99 SLO needs
   * through their peaks when that is more (`throughPeaks`); and REMEDY_HEADROOM × that: what it must carry.
   */
  streamPerSecond: number;
  throughPeaks: boolean;
  needPerSecond: number;
  /** At the batch the lanes finish now (LambdaResult.laneBatchRecords): its user records, its one-at-a-time write (µs), and records ÷ write a second. */
  batchUsers: number;
  writeUs: number;
  perSecond: number;
  /** Whether perSecond ≥ needPerSecond: then the lane remedies alone do, as without such a sink. */
  carries: boolean;
  /**
   * When it does not: the smallest BatchSize above the one in force at which it does (b u ÷ (F + b u w') ≥ need), within
   * 10,000 records, the 6 MB payload and the function's timeout (null: none; or it carries them already).
   */
  batchSize: number | null;
  /** At batchSize: what it carries (user records a second; null with no batchSize). */
  batchSizePerSecond: number | null;
  /** The one-at-a-time write of the batch in force under which it would carry them: batchUsers ÷ needPerSecond (µs). */
  writeUnderUs: number;
  /**
   * A lane's user records a second at the batch in force with that write shortened to writeUnderUs (each invocation writes
   * its batch before it returns, so a faster write speeds the lanes too), its cut tries counted; and the smallest
   * ParallelizationFactor whose lanes then take the busiest shard's records (REMEDY_HEADROOM × them: targetPerSecond),
   * the factor in force when it does already (null: none up to 10, or more than the shard's partition keys allow).
   */
  writeUnderLanePerSecond: number;
  writeUnderParallelization: number | null;
  /** The most it carries at any batch: 1 ÷ the write's time a record (Infinity: none). */
  ceilingPerSecond: number;
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
  /**
   * With a sink serving one write at a time for all the lanes (SharedSink): what it carries, and at what batch it would
   * carry the consumer's records (null: no such sink).
   */
  sink: SinkRemedy | null;
  /**
   * The BatchSize the lane remedies (parallelization, perRecordUs, splitInto) are counted at, and to be applied with: the
   * one in force, or, when a shared sink is short at it, sink.batchSize (null: the sink carries them at no batch, and no
   * lane remedy alone or with a batch is proposed: parallelization and perRecordUs are null).
   */
  lanesAtBatch: number | null;
  /** A lane's user records a second at lanesAtBatch, its cut tries counted (null with no lanesAtBatch). */
  lanePerSecond: number | null;
  /** The smallest ParallelizationFactor whose lanes, sharing the shard's records evenly, take them (null: none up to 10, or more than the shard's partition keys allow). */
  parallelization: number | null;
  /**
   * The smallest BatchSize above the one in force whose lanes (at the factor in force) take them, up to 10,000, within the
   * 6 MB payload and its batch's mean duration within the timeout; or, when a full batch's mean duration is already over
   * the timeout, the smaller one within it that processes the most, if that takes them (null: none). With a shared sink,
   * only one at which it carries the consumer's records too.
   */
  batchSize: number | null;
  /** A lane's user records a second at `batchSize`, its cut tries counted (null with no batchSize). */
  batchSizePerSecond: number | null;
  /** What a shared sink (`sink`) carries at `batchSize`, user records a second (null with no batchSize or no such sink). */
  batchSizeSinkPerSecond: number | null;
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
export function lambdaRemedy(
  s: LaneSettings,
  busiestPerSecond: number,
  bytesPerRecord: number,
  openShards: number,
  sloNeed: SloNeed | null = null,
  shared: SharedSink | null = null,
): LambdaRemedy {
  // The most a lane finishes a second: at a full batch, or the batch within the timeout when a full one is not.
  const within = laneBatchWithin(s, s.batchSize);
  const timeout = s.timeoutUs ?? Infinity;
  const fits = (b: number) => batchMeanUs(s, b) <= timeout;
  // An SLO's need through the peaks, when more than the mean rate (helper-124: remedies sized to the mean kept a consumer
  // from falling behind, and its p99 was still 64 s against a 30 s SLO after a 2-minute spike).
  const slo = sloNeed !== null && sloNeed.perSecond > busiestPerSecond ? sloNeed : null;
  const target = REMEDY_HEADROOM * (slo && Number.isFinite(slo.perSecond) ? slo.perSecond : busiestPerSecond);
  // Per lane, at the lanes in force: bu ÷ (I + bu p) ≥ need ⇔ bu (1 − need p) ≥ need I (u user records a batch record).
  const need = target / s.lanes;
  const p = s.perRecordUs / MICROS_PER_SECOND;
  const i = s.perInvocationUs / MICROS_PER_SECOND;
  // A batch record holds u user records (a KPL aggregate): its payload, and its user records' time, u times a user record's.
  const u = s.usersPerRecord ?? 1;
  const payloadMax = bytesPerRecord > 0 ? Math.floor(LAMBDA_SYNC_PAYLOAD_MAX_BYTES / Math.ceil((u * bytesPerRecord * 4) / 3)) : LAMBDA_ESM_BATCH_SIZE_MAX;
  const largest = Math.min(LAMBDA_ESM_BATCH_SIZE_MAX, payloadMax);
  // A sink writing one batch at a time for all the lanes: what it carries at a batch, and the batch the lane remedies
  // are counted at (the one in force, or the smallest at which it carries the consumer's records; null: none does).
  const sink = shared ? sinkRemedyOf(shared, s, within.records, u, largest, fits, target) : null;
  const carried = (b: number) => (shared ? carriedAt(shared.write, b * u) : Infinity);
  const sinkNeed = sink?.needPerSecond ?? 0;
  const lanesAtBatch = !sink || sink.carries ? s.batchSize : sink.batchSize;
  const lanes = lanesAtBatch === null ? null : laneRemediesAt(s, lanesAtBatch, target, need, openShards);
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
  // With a shared sink short at the batch in force, from the batch at which it carries them (it carries more at larger).
  let b = Infinity;
  let before = -Infinity;
  const sinkFrom = sink && !sink.carries ? (sink.batchSize ?? Infinity) : 0;
  for (let x = Math.max(low, s.batchSize + 1, sinkFrom); x <= largest && fits(x); x++) {
    const r = rateAt(x);
    if (r >= need && carried(x) >= sinkNeed) {
      b = x;
      break;
    }
    if (x > high && r <= before) break;
    before = r;
  }
  const larger = b > s.batchSize && b <= largest && fits(b) ? b : null;
  // A full batch outlasting the timeout: the batch within it that processes the most, if that is enough.
  // A smaller batch writes fewer records a COPY: only if a shared sink still carries them.
  const smaller = within.records < s.batchSize && within.records > 0 && within.perSecond >= need && carried(within.records) >= sinkNeed ? within.records : null;
  // A full batch within it on average whose tries the timeout cuts: the smaller batch that processes the most, if enough.
  const fewer = within.records === s.batchSize && tryOf(s.batchSize).doneChance < 1 && s.batchSize > 1 ? bestBatch(rateAt, 1, s.batchSize - 1, toothOf(s)) : null;
  const lessCut = fewer !== null && fewer.perSecond >= need && fewer.perSecond > within.perSecond && carried(fewer.records) >= sinkNeed ? fewer.records : null;
  const batchSize = within.records < s.batchSize ? smaller : (larger ?? lessCut);
  return {
    targetPerSecond: target,
    slo,
    sink,
    lanesAtBatch,
    lanePerSecond: lanes?.lanePerSecond ?? null,
    parallelization: lanes?.parallelization ?? null,
    batchSize,
    batchSizePerSecond: batchSize === null ? null : rateAt(batchSize),
    batchSizeSinkPerSecond: batchSize === null || !shared ? null : carried(batchSize),
    laneCeilingPerSecond: p + wRecord > 0 ? 1 / (p + wRecord) : Infinity,
    perRecordUs: lanes?.perRecordUs ?? null,
    splitInto: (lanes ?? laneRemediesAt(s, s.batchSize, target, need, openShards)).splitInto,
    concurrencyNeeded: lanes?.concurrencyNeeded ?? null,
  };
}

/**
 * The lane remedies counted at BatchSize `at` (the one in force, or the larger one a shared sink needs): the smallest
 * factor whose lanes take `target`, the time a record under which the lanes in force do (`need` a lane), and the parts the
 * shard's records would be split into.
 */
function laneRemediesAt(
  s: LaneSettings,
  at: number,
  target: number,
  need: number,
  openShards: number,
): Pick<LambdaRemedy, "parallelization" | "perRecordUs" | "splitInto" | "concurrencyNeeded"> & { lanePerSecond: number } {
  const sAt = { ...s, batchSize: at };
  const lane = laneBatchWithin(sAt, at).perSecond;
  const factor = lane > 0 ? Math.ceil(target / lane) : Infinity;
  const keys = s.partitionKeysPerShard ?? Infinity;
  const parallelization = factor <= LAMBDA_ESM_PARALLELIZATION_MAX && factor <= keys ? factor : null;
  // bu ÷ (I + bu p' + W(bu)) ≥ need ⇔ p' ≤ (bu ÷ need − I − W(bu)) ÷ bu; and the batch within the timeout T:
  // I + bu p' + W(bu) ≤ T ⇔ p' ≤ (T − I − W(bu)) ÷ bu. With tries cut, the lane's rate falls as p' grows: the largest p'
  // under that whose rate, its cut tries counted, reaches `need` (by bisection, to 0.1 µs).
  const users = at * (s.usersPerRecord ?? 1);
  const w = s.write ?? null;
  const writeS = w ? writeUsOf(w, users) / MICROS_PER_SECOND : 0;
  const room = Math.min(users / need, (s.timeoutUs ?? Infinity) / MICROS_PER_SECOND) - s.perInvocationUs / MICROS_PER_SECOND - writeS;
  const meanPerRecordUs = room > 0 ? (room / users) * MICROS_PER_SECOND : null;
  const perRecordUs = meanPerRecordUs === null ? null : fasterEnough(sAt, meanPerRecordUs, need);
  return {
    lanePerSecond: lane,
    parallelization,
    perRecordUs,
    splitInto: lane > 0 ? Math.ceil(target / (s.lanes * lane)) : Infinity,
    concurrencyNeeded: parallelization === null ? null : openShards * parallelization,
  };
}

/** User records a second a sink writing one at a time carries at writes of `users` user records: users ÷ the write's time. */
function carriedAt(w: WriteTime, users: number): number {
  const us = writeUsOf(w, users);
  return us > 0 ? users / (us / MICROS_PER_SECOND) : users > 0 ? Infinity : 0;
}

/**
 * A shared sink (SharedSink) against REMEDY_HEADROOM × the consumer's records: what it carries at the batch the lanes
 * finish (`inForce` records of `u` user records), and, short of it, the smallest BatchSize above `batchSize` at which it
 * does, b u ÷ (F + b u w') ≥ need ⇔ b u (1 − need w') ≥ need F (w' a user record's write, F the write's fixed time), at
 * most `largest` and within the timeout (`fits`).
 */
function sinkRemedyOf(shared: SharedSink, s: LaneSettings, inForce: number, u: number, largest: number, fits: (b: number) => boolean, target: number): SinkRemedy {
  const batchSize = s.batchSize;
  const w = shared.write;
  const slo = shared.sloPerSecond;
  const throughPeaks = slo !== null && Number.isFinite(slo) && slo > shared.meanPerSecond;
  const streamPerSecond = throughPeaks ? slo : shared.meanPerSecond;
  const needPerSecond = REMEDY_HEADROOM * streamPerSecond;
  const batchUsers = inForce * u;
  const writeUs = writeUsOf(w, batchUsers);
  const perSecond = carriedAt(w, batchUsers);
  const carries = perSecond >= needPerSecond;
  // One-at-a-time writes have no per-request part (oneAtATimeWriteOf): F + x w'.
  const wRecord = (w.perRequestUs / w.recordsPerRequest + w.perRecordUs) / MICROS_PER_SECOND;
  const fixed = (w.fixedUs + w.perRequestUs) / MICROS_PER_SECOND;
  let sinkBatch: number | null = null;
  if (!carries && needPerSecond * wRecord < 1) {
    // The closed form, then up while rounding leaves it a hair short.
    let b = Math.max(batchSize + 1, Math.ceil((needPerSecond * fixed) / ((1 - needPerSecond * wRecord) * u)));
    while (b <= largest && carriedAt(w, b * u) < needPerSecond) b++;
    if (b <= largest && fits(b)) sinkBatch = b;
  }
  const writeUnderUs = needPerSecond > 0 ? (batchUsers / needPerSecond) * MICROS_PER_SECOND : Infinity;
  // The lanes at the batch in force with that write: the lane's write (LaneSettings.write, the one-at-a-time part and
  // any other, a Redshift staging put) shortened by what the one-at-a-time part saves at that batch.
  const saved = Math.max(0, writeUs - writeUnderUs);
  const faster = s.write && Number.isFinite(saved) ? { ...s, write: { ...s.write, fixedUs: Math.max(0, s.write.fixedUs - saved) } } : s;
  const writeUnderLanePerSecond = laneBatchWithin(faster, batchSize).perSecond;
  const factor = writeUnderLanePerSecond > 0 ? Math.max(s.lanes, Math.ceil(target / writeUnderLanePerSecond)) : Infinity;
  const writeUnderParallelization = factor <= LAMBDA_ESM_PARALLELIZATION_MAX && factor <= (s.partitionKeysPerShard ?? Infinity) ? factor : null;
  return {
    streamPerSecond,
    throughPeaks,
    needPerSecond,
    batchUsers,
    writeUs,
    perSecond,
    carries,
    batchSize: sinkBatch,
    batchSizePerSecond: sinkBatch === null ? null : carriedAt(w, sinkBatch * u),
    writeUnderUs,
    writeUnderLanePerSecond,
    writeUnderParallelization,
    ceilingPerSecond: wRecord > 0 ? 1 / wRecord : Infinity,
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
