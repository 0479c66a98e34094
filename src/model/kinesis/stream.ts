// A provisioned Kinesis data stream: its shards' hash key ranges (as CreateStream makes them) and their
// write limits, enforced by two token buckets per shard — bytes (data + partition key, 1 MiB/s) and records
// (1,000/s) — with a burst capacity of `writeBurst` seconds at those rates (Kinesis quotas and limits; docs/limits.md).
// A batch offered to a shard is accepted oldest records first, up to what both buckets allow; the rest is
// throttled (ProvisionedThroughputExceededException for each of those records).
//
// Large records (a stream's maxRecordSize may be up to 10 MiB since 2025-10): the shard's write rate stays 1 MiB/s,
// and a large record makes the stream "burst beyond its sustained write throughput, then return to its baseline
// rate": its write capacity is "a tank that refills at a steady rate", which a large record drains (Kinesis
// developer guide, "Handle large records", https://docs.aws.amazon.com/streams/latest/dev/large-records.html).
// "It then immediately begins to refill, meaning you can continue to send smaller records as capacity becomes
// available." How the service does it is not documented; shardcast's assumption, when maxRecordSize is larger
// than the byte bucket (writeBurst × 1 MiB/s): each shard also has that tank, holding maxRecordSize and refilling
// at 1 MiB/s, which every byte written draws on. A large record (larger than the byte bucket) needs the tank to
// hold it and draws on the tank alone; a small record needs both the byte bucket (so bursts of small records are
// no more tolerant than on a 1 MiB stream) and the tank. After a 10 MiB record empties the tank, small records get
// in as it refills, at 1 MiB/s; the next large record waits until the tank holds it again. Over time the shard
// still writes 1 MiB/s. A batch whose mean record is larger than the byte bucket is a batch of large records.

import { TokenBuckets } from "../../engine/tokenBucket.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { SeriesBank, ShardSeriesBank, type MetricView } from "../../metrics/series.js";
import { PeakSecondTracker } from "../../metrics/peakSecond.js";
import { RowsAfterWarmup } from "../../metrics/warmup.js";
import type { StreamSpec } from "../../spec/index.js";
import { usersIn, type Batch } from "../batch.js";
import { shardIdName, type HashKeyRange } from "./hashing.js";
import {
  PUT_RECORDS_MAX_BYTES_2025,
  SHARD_READ_BYTES_PER_SECOND,
  SHARD_READ_CALL_BURST,
  SHARD_READ_CALLS_PER_SECOND,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
} from "../../aws/limits.js";
import { ShardLog } from "./shardLog.js";
import { ReshardRefused, ShardMap, type PendingReshard, type ShardInfo } from "../../aws/shardMap.js";
import type { PutTarget } from "../putTarget.js";
import type { ScalingPolicy } from "../scaling/types.js";

export type ThrottleCause = "records" | "bytes";
/** Metrics of Stream.shardSeries. */
const SHARD_SERIES = { records: 0, bytes: 1, throttled: 2 } as const;
/** Rows of Stream.totals. */
export const TOTALS = { records: 0, bytes: 1, readBytes: 2 } as const;
/** A GetRecords call: allowed, or refused by the read byte budget (in debt) or by the 5 calls/s. */
export type ReadAdmission = "ok" | "bytes" | "calls";

/** A reshard the scenario schedules, with how long it keeps the stream UPDATING. */
export type ScheduledReshard =
  | { kind: "split"; at: Micros; duration: Micros; shard: string | number; hashKey: bigint | undefined }
  | { kind: "merge"; at: Micros; duration: Micros; shards: readonly [string | number, string | number] }
  | { kind: "update-shard-count"; at: Micros; duration: Micros; target: number }
  /** The on-demand service's own splits (src/model/scaling/onDemand.ts): each shard into `pieces` even children. */
  | { kind: "on-demand-split"; at: Micros; duration: Micros; parts: readonly { shard: number; pieces: number }[] };

/**
 * The on-demand service's splits stopped at the mode's ceiling (src/model/scaling/onDemand.ts): the shards what the
 * mode's most write throughput needs at 1 MiB/s a shard, On-demand's 10 GB/s or the warm throughput when more.
 */
export interface OnDemandCeiling {
  /** The first check whose splits the ceiling cut short (or stopped). */
  at: Micros;
  /** The ceiling: the shards the mode's most write throughput needs at 1 MiB/s a shard, and that throughput (bytes/s). */
  shards: number;
  bytesPerSecond: number;
  /**
   * The open shards at that check: the ceiling's, or more when the stream held more than it (a stated stream.shards, or
   * a provisioned stream's shards kept at a switch to on-demand: AWS keeps them, and gives on-demand shards no upper limit).
   */
  openShards: number;
  /** Whose ceiling: on-demand's documented maximum, or the stream's warm throughput (On-demand Advantage) above it. */
  by: "on-demand maximum" | "warm throughput";
  /** The write load its writers' first attempts offered over that check's interval, per second. */
  offeredBytesPerSecond: number;
  offeredRecordsPerSecond: number;
  /**
   * What the service would have held at the last check the ceiling stopped (the most: the peak only grows): twice the
   * stream's peak offered load, bytes/s and records/s, and the shards that needs at 1 MiB/s and 1,000 records/s a shard.
   */
  neededBytesPerSecond: number;
  neededRecordsPerSecond: number;
  neededShards: number;
}

/** A resharding call on a shard map (refused with ReshardRefused when it breaks the service's rules). */
export function callOn(map: ShardMap, op: ScheduledReshard): PendingReshard {
  if (op.kind === "split") return map.split(op.shard, op.hashKey, op.at, op.duration);
  if (op.kind === "merge") return map.merge(op.shards[0], op.shards[1], op.at, op.duration);
  if (op.kind === "on-demand-split") return map.serviceSplit(op.parts, op.at, op.duration);
  return map.updateShardCount(op.target, op.at, op.duration);
}

/**
 * A reshard past the shards the run sized its per-shard arrays for (build.ts shardPlan: for an autoscaling policy, twice
 * what its stream's writers' peak needs at its threshold): the simulator cannot go on, and says so with what to change
 * (the CLI: a bad-input exit, no stack trace), not as an internal error.
 */
export class ShardBoundError extends Error {}

export class Stream implements PutTarget {
  readonly name: string;
  /** Each shard created so far: when it opened (0 for the first), when a reshard closed it, the shards it came from. */
  readonly lives: { openedAt: Micros; closedAt: Micros | null; parents: readonly number[] }[] = [];
  /** The run's reshards, in order: when called and done, the shards closed and the ranges opened; and the calls refused. */
  readonly reshards: (PendingReshard & { kind: ScheduledReshard["kind"]; by: string })[] = [];
  /** A refused call: what it asked for (UpdateShardCount's target; the shards a split, merge or service split named) and the service's rule and words. */
  readonly refusedReshards: { at: Micros; kind: ScheduledReshard["kind"]; by: string; target?: number; shards?: string[]; rule: string; message: string }[] = [];
  /**
   * The same facts as `lives` in arrays that readers test on every call (a few kilobytes for thousands of shards, where
   * the life objects are scattered): when each shard closed (Infinity while open, and for shards not created yet), and
   * how many parents it has. Kept with `lives` by adopt and completeReshard.
   */
  readonly closedAtOf: Float64Array;
  readonly parentCount: Uint8Array;
  /** Whether each shard is open (takes writes) now: updated as reshards complete. */
  private readonly openNow: boolean[] = [];
  /** The stream's shards as the service sees them (ranges, ids, the reshard under way). */
  private readonly map: ShardMap;
  /** The autoscaling policies that scale it (their events go to the results). */
  readonly policies: ScalingPolicy[] = [];
  /** Whether the run can reshard this stream (scheduled reshards, a policy): routing then follows the open shards. */
  readonly reshardsDuringRun: boolean;
  /** The capacity mode from each time on (the first from 0; a switch-mode event adds one): what the bill splits by. */
  readonly modes: { at: Micros; mode: StreamSpec["mode"] }[];
  /** When the on-demand service's splits first stopped at the mode's ceiling, and the most it would have needed; null when they never did. */
  onDemandCeiling: OnDemandCeiling | null = null;
  /**
   * An on-demand stream's busiest check interval (src/model/scaling/onDemand.ts): the write load its writers' first
   * attempts offered over it (per second; the previous peak it started from not counted) and when it ended; null
   * before a check while on-demand.
   */
  onDemandPeakOffered: { at: Micros; bytesPerSecond: number; recordsPerSecond: number } | null = null;
  private readonly reshardListeners: ((t: Micros, opened: readonly number[]) => void)[] = [];
  readonly keyed = true;
  /** PutRecords' request limit with the 2025-10 API (10 MiB; a producer's maxRequestSize may be lower). */
  readonly maxRequestBytes = PUT_RECORDS_MAX_BYTES_2025;
  readonly shardCount: number;
  /** Each created shard's hash key range and id, by index. */
  readonly ranges: HashKeyRange[];
  readonly shardIds: string[];
  readonly maxRecordSize: number;
  readonly writeBurstSeconds: number;
  /**
   * Capacity of each shard's byte bucket (1 MiB/s × writeBurst). Records (data + partition key) larger than this
   * are large records, admitted one at a time into debt (see above); producers send them in batches of their own.
   */
  readonly largeRecordBytes: number;
  readonly retention: Micros;
  /** Each shard's stored records, kept only when some consumer reads them. */
  readonly logs: ShardLog[] | null;

  // Shared read limits of polling consumers (GetRecords): 5 calls/s and 2 MiB/s per shard.
  private readonly readCalls: TokenBuckets;
  private readonly readBytes: TokenBuckets;
  /**
   * After warmup: GetRecords calls per shard (all polling consumers), those refused (in all, and by the limit that
   * refused them: the byte budget in debt, or no call left of the 5 per second), bytes returned.
   */
  private readonly reads: { calls: RowsAfterWarmup; throttled: RowsAfterWarmup; byBytes: RowsAfterWarmup; byCalls: RowsAfterWarmup; bytes: RowsAfterWarmup };
  readonly getRecordsCalls: Float64Array;
  readonly readThrottled: Float64Array;
  readonly readThrottledByBytes: Float64Array;
  readonly readThrottledByCalls: Float64Array;
  readonly bytesRead: Float64Array;

  /** Batches offered to shards (the unit of simulation work below the event queue). */
  batchesOffered = 0;

  private readonly recordBuckets: TokenBuckets;
  private readonly byteBuckets: TokenBuckets;
  /** Per shard, the tank large records draw on (capacity maxRecordSize); null when no record can be large. */
  private readonly tanks: TokenBuckets | null;

  // Per-shard statistics after warmup.
  private readonly writes: {
    records: RowsAfterWarmup;
    users: RowsAfterWarmup;
    bytes: RowsAfterWarmup;
    throttled: RowsAfterWarmup;
    byRecords: RowsAfterWarmup;
    byBytes: RowsAfterWarmup;
    demandRecords: RowsAfterWarmup;
    demandBytes: RowsAfterWarmup;
  };
  readonly acceptedRecords: Float64Array;
  /** User records accepted (a KPL aggregate's records each; acceptedRecords counts the aggregate once). */
  readonly acceptedUsers: Float64Array;
  readonly acceptedBytes: Float64Array;
  readonly throttledRecords: Float64Array;
  readonly throttledByRecords: Float64Array;
  readonly throttledByBytes: Float64Array;
  /**
   * The load offered by first attempts (a retry of a throttled record does not count again): records, and bytes with
   * partition keys. What the shard was asked to take, whatever its writers' retry policies (the hot shard ranking).
   */
  readonly demandRecords: Float64Array;
  readonly demandBytes: Float64Array;
  // Whole-run per-shard totals (accounting).
  readonly storedRecords: Float64Array;
  readonly storedBytes: Float64Array;
  /** User records in the stored records (more than storedRecords when KPL-aggregated). */
  readonly storedUsers: Float64Array;
  /**
   * Per shard, the sequence number of its first record that arrived after the warmup (−1 until one has): consumers count
   * what they give up of the records that arrived after warmup from it, as their latencies count those records.
   */
  private readonly warmupSeq: Float64Array;

  // Series over the whole run (warmup included, marked in reports).
  /** Per shard and step: accepted records and bytes, throttled records (one step-major bank: see ShardSeriesBank). */
  private readonly shardSeries: ShardSeriesBank;
  readonly incomingRecordsSeries: MetricView;
  readonly incomingBytesSeries: MetricView;
  readonly throttledSeries: MetricView;
  /** Per series step, the whole stream's accepted records and bytes and the bytes GetRecords returned (rows: TOTALS): CloudWatch's stream-level metrics. */
  readonly totals: SeriesBank;
  readonly incomingPeak: PeakSecondTracker;
  readonly offeredPeak: PeakSecondTracker;

  constructor(
    spec: StreamSpec,
    fallbackName: string,
    duration: Micros,
    resolution: Micros,
    warmup: Micros,
    /**
     * shardCapacity: every shard the run may create (the first ones, those scheduled reshards open, those a policy
     * may open), for which the per-shard arrays are sized; reshardable: whether anything may reshard it.
     */
    options: { keepRecords?: boolean; mergeOldLogEntries?: boolean; shardCapacity?: number; reshardable?: boolean; quota?: number } = {},
  ) {
    this.name = spec.name ?? fallbackName;
    this.map = new ShardMap(spec.shards, options.quota ?? Number.POSITIVE_INFINITY);
    this.reshardsDuringRun = options.reshardable ?? false;
    this.modes = [{ at: 0, mode: spec.mode }];
    this.shardCount = Math.max(spec.shards, options.shardCapacity ?? spec.shards);
    this.ranges = [];
    this.shardIds = [];
    this.closedAtOf = new Float64Array(this.shardCount).fill(Infinity);
    this.parentCount = new Uint8Array(this.shardCount);
    for (const s of this.map.shards) this.adopt(s);
    this.maxRecordSize = spec.maxRecordSize;
    this.writeBurstSeconds = spec.writeBurst / MICROS_PER_SECOND;
    this.retention = spec.retention;
    const n = this.shardCount;
    this.logs = options.keepRecords ? Array.from({ length: n }, () => new ShardLog(options.mergeOldLogEntries ?? true)) : null;
    this.readCalls = new TokenBuckets(n, SHARD_READ_CALLS_PER_SECOND, SHARD_READ_CALL_BURST);
    this.readBytes = new TokenBuckets(n, SHARD_READ_BYTES_PER_SECOND, (SHARD_READ_BYTES_PER_SECOND * spec.readBurst) / MICROS_PER_SECOND);
    const rows = () => new RowsAfterWarmup(warmup, n);
    this.reads = { calls: rows(), throttled: rows(), byBytes: rows(), byCalls: rows(), bytes: rows() };
    this.getRecordsCalls = this.reads.calls.values;
    this.readThrottled = this.reads.throttled.values;
    this.readThrottledByBytes = this.reads.byBytes.values;
    this.readThrottledByCalls = this.reads.byCalls.values;
    this.bytesRead = this.reads.bytes.values;
    // The byte bucket holds writeBurst at 1 MiB/s however large maxRecordSize is; larger records draw on the tank.
    this.largeRecordBytes = SHARD_WRITE_BYTES_PER_SECOND * this.writeBurstSeconds;
    const tankBytes = this.maxRecordSize;
    this.recordBuckets = new TokenBuckets(n, SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND * this.writeBurstSeconds);
    this.byteBuckets = new TokenBuckets(n, SHARD_WRITE_BYTES_PER_SECOND, this.largeRecordBytes);
    this.tanks = tankBytes > this.largeRecordBytes ? new TokenBuckets(n, SHARD_WRITE_BYTES_PER_SECOND, tankBytes) : null;
    this.writes = { records: rows(), users: rows(), bytes: rows(), throttled: rows(), byRecords: rows(), byBytes: rows(), demandRecords: rows(), demandBytes: rows() };
    this.acceptedRecords = this.writes.records.values;
    this.acceptedUsers = this.writes.users.values;
    this.acceptedBytes = this.writes.bytes.values;
    this.throttledRecords = this.writes.throttled.values;
    this.throttledByRecords = this.writes.byRecords.values;
    this.throttledByBytes = this.writes.byBytes.values;
    this.demandRecords = this.writes.demandRecords.values;
    this.demandBytes = this.writes.demandBytes.values;
    this.storedRecords = new Float64Array(n);
    this.storedBytes = new Float64Array(n);
    this.storedUsers = new Float64Array(n);
    this.warmupSeq = new Float64Array(n).fill(-1);
    this.shardSeries = new ShardSeriesBank(3, n, duration, resolution);
    this.incomingRecordsSeries = this.shardSeries.metric(SHARD_SERIES.records);
    this.incomingBytesSeries = this.shardSeries.metric(SHARD_SERIES.bytes);
    this.throttledSeries = this.shardSeries.metric(SHARD_SERIES.throttled);
    this.totals = new SeriesBank(3, duration, resolution);
    this.incomingPeak = new PeakSecondTracker(n, SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND, warmup);
    this.offeredPeak = new PeakSecondTracker(n, SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND, warmup);
    this.windowRecords = new Float64Array(n);
    this.windowBytes = new Float64Array(n);
    this.windowGranted = new Float64Array(n);
    this.windowCumulative = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.windowMark = new Float64Array(n);
    this.offeredBytesSince = new Float64Array(n);
    this.offeredRecordsSince = new Float64Array(n);
  }

  /**
   * Per shard, the write load offered by first attempts (bytes with partition keys, and records; a retry of a
   * throttled record does not count again) since the last call of takeOffered: what the on-demand service sees
   * of a shard's incoming traffic.
   */
  private readonly offeredBytesSince: Float64Array;
  private readonly offeredRecordsSince: Float64Array;

  /** The offered write load per shard since the previous call (then reset): bytes and records. */
  takeOffered(): { bytes: Float64Array; records: Float64Array } {
    const out = { bytes: this.offeredBytesSince.slice(), records: this.offeredRecordsSince.slice() };
    this.offeredBytesSince.fill(0);
    this.offeredRecordsSince.fill(0);
    return out;
  }

  /**
   * Offers a batch to its shard at `now`. Returns how many of its records (oldest first) were accepted;
   * the rest were throttled. Used when records arrive one request at a time (record granularity).
   */
  put(batch: Batch, now: Micros): number {
    this.batchesOffered++;
    if (this.reshardsDuringRun) batch.shard = this.openShardFor(batch.shard);
    const writeBytes = batch.bytes + batch.keyBytes;
    if (!batch.retry) this.noteDemand(batch.shard, batch.records, writeBytes, now >= this.writes.records.from);
    const accepted = this.admit(batch.shard, now, batch.records, writeBytes);
    this.note(batch.shard, now, batch.records, writeBytes, accepted, this.lastAcceptedBytes);
    if (accepted > 0) this.store(batch, accepted, now);
    return accepted;
  }

  /**
   * Offers the batches that reached the stream during one window, ending at `now` (batch granularity).
   * Arrivals within a window are spread over it, so no offer is first in line: each shard admits what its
   * buckets allow for the window's total, and shares the accepted records among the offers in proportion
   * to their size (whole records, exactly adding up). Batches of large records (a mean record larger than the
   * byte bucket) come after the shard's other offers and are admitted one record at a time, into debt. Writes
   * into `accepted` how many records of each batch (oldest first) were accepted. Series and statistics are
   * stamped at `windowStart`, so a window's traffic lands in the second it was sent in, not the next one.
   */
  admitWindow(batches: readonly Batch[], now: Micros, accepted: number[], windowStart: Micros = now): void {
    const resharded = this.reshardsDuringRun;
    // Usually every offer is for a shard of its own and none is of large records (one producer, no retry due): each
    // shard then admits its one offer whole, which the general path below would do with its sums and shares.
    const mark = this.windowMark;
    const window = ++this.windowCount;
    let alone = true;
    // The window's statistics are stamped at its start (stampAt below): so is its demand.
    const afterWarmup = windowStart >= this.writes.records.from;
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      this.batchesOffered++;
      if (resharded) b.shard = this.openShardFor(b.shard);
      if (!b.retry) this.noteDemand(b.shard, b.records, b.bytes + b.keyBytes, afterWarmup);
      if (mark[b.shard] === window || this.isLarge(b)) alone = false;
      mark[b.shard] = window;
    }
    // Admission happens at the window's end; its statistics belong to the window, stamped at its start.
    this.stampAt(windowStart);
    accepted.length = batches.length;
    if (alone) {
      for (let i = 0; i < batches.length; i++) {
        const b = batches[i]!;
        const s = b.shard;
        const writeBytes = b.bytes + b.keyBytes;
        const k = this.admit(s, now, b.records, writeBytes);
        this.noteStamped(s, b.records, writeBytes, k, this.lastAcceptedBytes);
        accepted[i] = k;
        if (k > 0) this.store(b, k, now);
      }
      return;
    }
    const recs = this.windowRecords;
    const bytes = this.windowBytes;
    const touched = this.touched;
    let nTouched = 0;
    let anyLarge = false;
    for (const b of batches) {
      if (this.isLarge(b)) {
        anyLarge = true;
        continue;
      }
      const s = b.shard;
      if (recs[s] === 0) touched[nTouched++] = s;
      recs[s]! += b.records;
      bytes[s]! += b.bytes + b.keyBytes;
    }
    const granted = this.windowGranted;
    for (let i = 0; i < nTouched; i++) {
      const s = touched[i]!;
      const k = this.admit(s, now, recs[s]!, bytes[s]!);
      granted[s] = k;
      this.noteStamped(s, recs[s]!, bytes[s]!, k, this.lastAcceptedBytes);
    }
    // Proportional shares by cumulative rounding: batch i gets floor(K·C_i/N) − floor(K·C_{i−1}/N).
    const cum = this.windowCumulative;
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      if (anyLarge && this.isLarge(b)) continue;
      const s = b.shard;
      const n = recs[s]!;
      const k = granted[s]!;
      const before = cum[s]!;
      const after = before + b.records;
      cum[s] = after;
      const share = k === n ? b.records : Math.floor((k * after) / n) - Math.floor((k * before) / n);
      accepted[i] = share;
      if (share > 0) this.store(b, share, now);
    }
    for (let i = 0; i < nTouched; i++) {
      const s = touched[i]!;
      recs[s] = 0;
      bytes[s] = 0;
      cum[s] = 0;
      granted[s] = 0;
    }
    if (!anyLarge) return;
    // Large records last, in the order offered: each gets in if its shard's tank holds it.
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      if (!this.isLarge(b)) continue;
      const writeBytes = b.bytes + b.keyBytes;
      const k = this.admit(b.shard, now, b.records, writeBytes);
      this.note(b.shard, windowStart, b.records, writeBytes, k, this.lastAcceptedBytes);
      accepted[i] = k;
      if (k > 0) this.store(b, k, now);
    }
  }

  /** Whether a batch's records are large records: their mean (data + partition key) exceeds the byte bucket. */
  private isLarge(b: Batch): boolean {
    return b.records > 0 && b.bytes + b.keyBytes > b.records * this.largeRecordBytes;
  }

  /** Stores the oldest `k` records of an accepted batch in its shard's log. */
  private store(b: Batch, k: number, now: Micros): void {
    const n = b.records;
    const users = usersIn(b, k);
    this.storedUsers[b.shard]! += users;
    // Stamped as the admission's statistics were (stampAt, called before every store).
    if (this.stamp.afterWarmup) this.writes.users.addAfterWarmup(b.shard, users);
    if (!this.logs) return;
    const bytes = k === n ? b.bytes + b.keyBytes : Math.round(((b.bytes + b.keyBytes) * k) / n);
    const keyBytes = k === n ? b.keyBytes : Math.round((b.keyBytes * k) / n);
    const lastBorn = k === n ? b.lastBorn : b.firstBorn + Math.round(((b.lastBorn - b.firstBorn) * k) / n);
    const log = this.logs[b.shard]!;
    if (this.warmupSeq[b.shard]! < 0 && now >= this.writes.records.from) this.warmupSeq[b.shard] = log.endSeq;
    log.append(now, k, users, bytes, b.firstBorn, lastBorn, keyBytes);
  }

  /**
   * The sequence number from which a shard's records arrived after the warmup, as known now: its first such record's,
   * or, before any arrived, its next record's (every record it holds arrived before the warmup). A consumer counts
   * what it gives up at or past it as given up of the records that arrived after warmup.
   */
  seqAtWarmup(s: number): number {
    const w = this.warmupSeq[s]!;
    return w >= 0 ? w : this.logs ? this.logs[s]!.endSeq : 0;
  }

  /**
   * A GetRecords call on a shard at `now`: allowed when the shard's read byte budget is not in debt and it has a
   * call token (5/s); the caller then charges the bytes it read with chargeRead. A refused call is
   * ReadProvisionedThroughputExceeded and returns nothing; the result says which limit refused it.
   */
  getRecordsCall(shard: number, now: Micros): ReadAdmission {
    this.reads.calls.add(shard, now);
    const cause: ReadAdmission = this.readBytes.available(shard, now) < -1e-6 ? "bytes" : this.readCalls.tryTake(shard, now, 1) ? "ok" : "calls";
    if (cause !== "ok") {
      this.reads.throttled.add(shard, now);
      (cause === "bytes" ? this.reads.byBytes : this.reads.byCalls).add(shard, now);
    }
    return cause;
  }

  /**
   * Charges a GetRecords call's bytes to the shard's 2 MiB/s read budget. A call the budget covers spends its
   * credit; a call returning more overdraws it and is repaid in full, from nothing: the shard's calls are refused
   * for bytes ÷ 2 MiB/s (API Reference GetRecords: after a call that returns 10 MiB, calls within the next 5 s are
   * throttled).
   */
  chargeRead(shard: number, now: Micros, bytes: number): void {
    const budget = this.readBytes;
    const held = budget.available(shard, now);
    budget.take(shard, now, held >= bytes ? bytes : Math.max(0, held) + bytes);
    this.reads.bytes.add(shard, now, bytes);
    this.totals.add(TOTALS.readBytes, now, bytes);
  }

  private lastAcceptedBytes = 0;
  private readonly windowRecords: Float64Array;
  private readonly windowBytes: Float64Array;
  private readonly windowGranted: Float64Array;
  private readonly windowCumulative: Float64Array;
  private readonly touched: Int32Array;
  /** Per shard, the last window (windowCount) that offered it a batch: how admitWindow sees a shard offered twice. */
  private readonly windowMark: Float64Array;
  private windowCount = 0;

  /** How many of n records (writeBytes in all) the shard's buckets accept at `now`; takes their tokens. */
  private admit(s: number, now: Micros, n: number, writeBytes: number): number {
    const rb = this.recordBuckets;
    const bb = this.byteBuckets;
    const tank = this.tanks;
    const recTokens = rb.available(s, now);
    const avg = writeBytes / n;
    const large = avg > this.largeRecordBytes;
    // Small records need the byte bucket and the tank; large ones the tank alone (see the top of this file).
    const byteTokens = large ? (tank ? tank.available(s, now) : bb.available(s, now)) : tank ? Math.min(bb.available(s, now), tank.available(s, now)) : bb.available(s, now);
    let accepted: number;
    let acceptedBytes: number;
    const byRecords = recTokens >= n ? n : Math.max(0, Math.floor(recTokens + 1e-9));
    if (byteTokens >= writeBytes && byRecords === n) {
      accepted = n;
      acceptedBytes = writeBytes;
    } else {
      const byBytes = byteTokens >= writeBytes ? n : Math.max(0, Math.floor(byteTokens / avg + 1e-9));
      accepted = Math.min(n, byRecords, byBytes);
      this.lastCause = byRecords <= byBytes ? "records" : "bytes";
      acceptedBytes = accepted === n ? writeBytes : Math.round(avg * accepted);
    }
    if (accepted > 0) {
      rb.take(s, now, accepted);
      if (!large) bb.take(s, now, acceptedBytes);
      tank?.take(s, now, acceptedBytes);
    }
    this.lastAcceptedBytes = acceptedBytes;
    return accepted;
  }

  private lastCause: ThrottleCause = "records";

  /**
   * A first attempt's records and bytes on shard `s`: the demand the on-demand service's split check sees (takeOffered),
   * and, when it counts after the warmup (stamped as its admission is), the shard's demand (demandRecords, demandBytes).
   */
  private noteDemand(s: number, records: number, bytes: number, afterWarmup: boolean): void {
    this.offeredBytesSince[s]! += bytes;
    this.offeredRecordsSince[s]! += records;
    if (!afterWarmup) return;
    this.demandRecords[s]! += records;
    this.demandBytes[s]! += bytes;
  }

  /**
   * Where a time falls in the statistics (see stampAt): its step in the shard series and in the totals, whether it is
   * after the warmup, and its second. A window stamps every shard's statistics at its start, so admitWindow works
   * this out once for all the shards it touches.
   */
  private readonly stamp = { shardStep: 0, totalStep: 0, afterWarmup: false, second: 0 };

  private stampAt(t: Micros): void {
    const st = this.stamp;
    st.shardStep = this.shardSeries.bucketOf(t);
    st.totalStep = this.totals.bucketOf(t);
    st.afterWarmup = t >= this.writes.records.from; // the warmup: every after-warmup count and peak tracker starts there
    st.second = Math.floor(t / MICROS_PER_SECOND);
  }

  /** Metrics for an admission decision at `now`. */
  private note(s: number, now: Micros, offered: number, offeredBytes: number, accepted: number, acceptedBytes: number): void {
    this.stampAt(now);
    this.noteStamped(s, offered, offeredBytes, accepted, acceptedBytes);
  }

  /** Metrics for an admission decision at the time stampAt was last given. */
  private noteStamped(s: number, offered: number, offeredBytes: number, accepted: number, acceptedBytes: number): void {
    const st = this.stamp;
    const throttled = offered - accepted;
    this.storedRecords[s]! += accepted;
    this.storedBytes[s]! += acceptedBytes;
    this.shardSeries.addAt(SHARD_SERIES.records, s, st.shardStep, accepted);
    this.totals.addAt(TOTALS.records, st.totalStep, accepted);
    this.totals.addAt(TOTALS.bytes, st.totalStep, acceptedBytes);
    this.shardSeries.addAt(SHARD_SERIES.bytes, s, st.shardStep, acceptedBytes);
    if (throttled > 0) this.shardSeries.addAt(SHARD_SERIES.throttled, s, st.shardStep, throttled);
    // The after-warmup counts and the peak trackers count from the warmup on.
    if (!st.afterWarmup) return;
    const w = this.writes;
    w.records.addAfterWarmup(s, accepted);
    w.bytes.addAfterWarmup(s, acceptedBytes);
    if (throttled > 0) {
      w.throttled.addAfterWarmup(s, throttled);
      (this.lastCause === "records" ? w.byRecords : w.byBytes).addAfterWarmup(s, throttled);
    }
    this.incomingPeak.addInSecond(s, st.second, accepted, acceptedBytes);
    this.offeredPeak.addInSecond(s, st.second, offered, offeredBytes);
  }

  finish(): void {
    this.incomingPeak.finish();
    this.offeredPeak.finish();
  }

  /** The open shards now, in hash key order, with their ranges (they cover the hash key space). */
  openRanges(): { shards: number[]; ranges: HashKeyRange[] } {
    const shards = this.openNow.flatMap((open, i) => (open ? [i] : [])).sort((a, b) => (this.ranges[a]!.start < this.ranges[b]!.start ? -1 : 1));
    return { shards, ranges: shards.map((i) => this.ranges[i]!) };
  }

  /** Shards created so far (the first ones and every child since): what results list. */
  get createdShards(): number {
    return this.lives.length;
  }

  /** Whether a shard takes writes now. */
  isOpen(s: number): boolean {
    return this.openNow[s] ?? false;
  }

  /** Open shards now. */
  get openShards(): number {
    return this.map.open().length;
  }

  /** DescribeStreamSummary's StreamStatus: UPDATING while a reshard runs. */
  get status(): "ACTIVE" | "UPDATING" {
    return this.map.updating ? "UPDATING" : "ACTIVE";
  }

  /** Called when a reshard completes (producers route by the new map from then on; readers find the children). */
  onReshard(listener: (t: Micros, opened: readonly number[]) => void): void {
    this.reshardListeners.push(listener);
  }

  /**
   * A resharding call at `t` (SplitShard, MergeShards, UpdateShardCount), by the scenario or a policy: refused
   * with the service's rule, or accepted and completed `duration` later through `at` (the simulator's scheduler).
   * UpdateShardCount's duration is the faster one for a multiple of 25% of the open shards.
   */
  reshard(op: ScheduledReshard, by: string, at: (t: Micros, action: () => void) => void): "ok" | ReshardRefused["rule"] {
    // A call at the instant the reshard under way completes (its event may come after this one): that reshard completes
    // first, here, with its children adopted. The map would otherwise complete it on its own, and the stream never open
    // its children (helper-44: three splits 30 s apart, each called as the one before completed).
    const due = this.map.updating;
    if (due && due.doneAt <= op.at) this.completeReshard(due.doneAt);
    let p: PendingReshard;
    try {
      p = callOn(this.map, op);
    } catch (e) {
      if (!(e instanceof ReshardRefused)) throw e;
      const named = (ref: string | number) => (typeof ref === "number" ? shardIdName(ref) : ref);
      const asked =
        op.kind === "update-shard-count"
          ? { target: op.target }
          : { shards: op.kind === "split" ? [named(op.shard)] : op.kind === "merge" ? op.shards.map(named) : op.parts.map((x) => shardIdName(x.shard)) };
      this.refusedReshards.push({ at: op.at, kind: op.kind, by, ...asked, rule: e.rule, message: e.message });
      return e.rule;
    }
    if (this.map.shards.length + p.opens.length > this.shardCount) {
      throw new ShardBoundError(
        `stream ${this.name}: ${by === "scenario" ? "a reshard" : `the ${by} policy's reshard`} at ${(op.at / 1e6).toFixed(0)} s would bring the shards it has had to ${this.map.shards.length + p.opens.length}, past the ${this.shardCount} this run sized it for ` +
          `(from its writers' peak rates and its scaling policy's threshold: retries or a backlog written faster than the peak can pass them); ` +
          `bound the policy with autoscaling.maxShards, or lower the load it scales for`,
      );
    }
    this.reshards.push({ ...p, kind: op.kind, by });
    at(p.doneAt, () => this.completeReshard(p.doneAt));
    return "ok";
  }

  /** Completes the reshard under way, due at `t`; nothing when it has completed already (a call at `t` completed it). */
  private completeReshard(t: Micros): void {
    const pending = this.map.updating;
    if (!pending || pending.doneAt > t) return;
    const closing = pending.closes;
    const created = this.map.complete(t);
    for (const i of closing) {
      this.openNow[i] = false;
      this.lives[i]!.closedAt = t;
      this.closedAtOf[i] = t;
    }
    for (const s of created) this.adopt(s);
    const opened = created.map((s) => s.index);
    for (const l of this.reshardListeners) l(t, opened);
  }

  /** A shard the map created: its range, id and life (open from its start). */
  private adopt(s: ShardInfo): void {
    this.ranges[s.index] = { start: s.start, end: s.end };
    this.shardIds[s.index] = shardIdName(s.index);
    this.lives[s.index] = { openedAt: s.openedAt, closedAt: s.closedAt, parents: s.parents };
    this.closedAtOf[s.index] = s.closedAt ?? Infinity;
    this.parentCount[s.index] = s.parents.length;
    this.openNow[s.index] = s.closedAt === null;
  }

  /**
   * The open shard a batch addressed to a closed shard goes to: the one holding the middle of its range. Kinesis
   * routes each record by its hash key when it arrives, so records a producer had addressed (or is retrying) to a
   * parent land in its children; a batch stands for records whose keys it does not keep, so it goes whole to the
   * child holding the middle of the parent's range (an approximation for the few batches in flight at a reshard).
   */
  openShardFor(s: number): number {
    if (this.openNow[s]) return s;
    const r = this.ranges[s]!;
    const mid = r.start + (r.end - r.start) / 2n;
    for (let i = 0; i < this.openNow.length; i++) if (this.openNow[i] && this.ranges[i]!.start <= mid && this.ranges[i]!.end >= mid) return i;
    return s;
  }

  /** Mean open shards over [from, to): what shard-hours bill. */
  meanOpenShards(from: Micros, to: Micros): number {
    if (to <= from) return 0;
    let total = 0;
    for (const l of this.lives) {
      const a = Math.max(from, l.openedAt);
      const b = Math.min(to, l.closedAt ?? to);
      if (b > a) total += b - a;
    }
    return total / (to - from);
  }
}
