// A shard that took more than its write limit for a while on the burst its write buckets hold, until the burst ran out
// or to the end of the run. Kinesis states a shard's write limits per second, 1 MiB/s and 1,000 records/s (Kinesis
// quotas and limits, https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html; AWS recommends
// watching for sub-minute spikes, https://repost.aws/knowledge-center/kinesis-data-stream-throttling), and does not
// document how it enforces them; shardcast's assumption is a token bucket per limit holding `stream.writeBurst` at the
// limit rate (src/model/kinesis/stream.ts). A bucket is a credit like DynamoDB's (burstCredit.ts): a shard whose writers
// offer more than its limit gets it all in while the bucket lasts, burst ÷ (offered − limit) (60 s of burst at 1,000
// records/s, 60,000 records, lasts 120 s at 1,500 records/s offered), and throttles the excess from then. The bucket's
// level is not a series of the model: it is rebuilt from the shard's accepted series, from full at the start (the
// buckets start full, a reshard's children too), L(k) = min(full, L(k−1) + rate × step − accepted(k)), which is the
// bucket's own arithmetic except that a bucket reaching full within a step stops filling earlier than the step's end
// (the rebuilt level is then at most a step's refill too high, never too low while the bucket is below full).
// The shard's throttled series counts the writes either limit refused, so a bucket ran out only in a step whose
// refusals were its own: the model refuses by records when the records bucket admits no more records than the byte
// bucket does at the batch's size (src/model/kinesis/stream.ts, admit), and throttleCauses applies that rule to the
// two rebuilt levels at the step's mean accepted record size. A records bucket drawn under its empty threshold while
// the byte limit refuses large records has not run out (helper-115).
// Numbers only: src/report words them.

import { S as MICROS_PER_SECOND } from "../spec/index.js";
import { CREDIT_DRAWN_SHARE, CREDIT_KEPT_SHARE, CREDIT_SPENT_SECONDS } from "./burstCredit.js";

/** One shard's draw on a write bucket: what it took over the limit, from when, and when the bucket ran out (or runs out). */
export interface WriteBurstDraw {
  shard: string;
  /** The limit whose bucket it drew on. */
  limit: "records" | "bytes";
  /** The bucket when full: stream.writeBurst × the limit (records or bytes). */
  fullUnits: number;
  /** When the bucket was last full before the draw (µs; 0: full from the start). */
  fromUs: number;
  /** Accepted above the limit, a second, from `fromUs` to the end of the draw (records or bytes). */
  overPerSecond: number;
  /** When it ran out: the start of the first step with a throttled write and the bucket empty (µs); null while some is left at the end. */
  ranOutAtUs: number | null;
  /** With some left at the end: the level then, and when it runs out at the draw's pace, the end + left ÷ overPerSecond (µs). */
  leftAtEnd: number | null;
  lastsUntilUs: number | null;
}

/** A draw shorter than this is a spike's, which the shard's throttled seconds show (the hot shard remedy's bursts). */
export const WRITE_BURST_MIN_SECONDS = 10;

/** A shard's series, whole run, one value per step: accepted records and bytes (with partition keys), throttled records. */
export interface ShardWriteSeries {
  shard: string;
  records: ArrayLike<number>;
  bytes: ArrayLike<number>;
  throttled: ArrayLike<number>;
}

/** A bucket's level (rate, fullUnits) at the end of each step, rebuilt from its accepted series (see the top of this file). */
export function bucketLevels(accepted: ArrayLike<number>, rate: number, fullUnits: number, duration: number, resolution: number): Float64Array {
  const levels = new Float64Array(accepted.length);
  let level = fullUnits;
  for (let k = 0; k < accepted.length; k++) {
    const stepUs = Math.min((k + 1) * resolution, duration) - k * resolution;
    level = Math.min(fullUnits, level + (rate * stepUs) / MICROS_PER_SECOND - accepted[k]!);
    levels[k] = level;
  }
  return levels;
}

/**
 * A shard's throttled series split by the limit that refused: in each throttled step, the bucket that had room for
 * fewer records at the end of the step (the byte bucket's level ÷ the step's mean accepted record size; with nothing
 * accepted, the mean over the run), records on a tie, as the model's admission decides (stream.ts, admit).
 */
export function throttleCauses(
  s: ShardWriteSeries,
  lr: ArrayLike<number>,
  lb: ArrayLike<number>,
  limits: { recordsPerSecond: number; bytesPerSecond: number },
): { records: Float64Array; bytes: Float64Array } {
  const n = s.throttled.length;
  const byRecords = new Float64Array(n);
  const byBytes = new Float64Array(n);
  let allRecords = 0;
  let allBytes = 0;
  for (let k = 0; k < n; k++) {
    allRecords += s.records[k] ?? 0;
    allBytes += s.bytes[k] ?? 0;
  }
  const runMean = allRecords > 0 ? allBytes / allRecords : limits.bytesPerSecond / limits.recordsPerSecond;
  for (let k = 0; k < n; k++) {
    const t = s.throttled[k] ?? 0;
    if (!(t > 0)) continue;
    const a = s.records[k] ?? 0;
    const mean = a > 0 ? (s.bytes[k] ?? 0) / a : runMean;
    if ((lr[k] ?? 0) <= (lb[k] ?? 0) / mean) byRecords[k] = t;
    else byBytes[k] = t;
  }
  return { records: byRecords, bytes: byBytes };
}

/**
 * The draw of one bucket (rate, fullUnits) by a shard's accepted series: the first that ran out after warmup, having
 * drawn for WRITE_BURST_MIN_SECONDS or more at CREDIT_DRAWN_SHARE of the rate or more over it; else, the draw under way
 * at the end, as long and as steep, that took CREDIT_KEPT_SHARE of the bucket or more without a throttled step. A
 * bucket is empty under CREDIT_SPENT_SECONDS of the rate or CREDIT_KEPT_SHARE of its fill, as a sink table's credit is.
 * `levels`: the bucket's level at the end of each step (bucketLevels); `throttled`: the shard's throttled records per step
 * (either limit); `refused`: those this bucket's limit refused (throttleCauses), the steps it can have run out in.
 */
export function bucketDraw(
  accepted: ArrayLike<number>,
  levels: ArrayLike<number>,
  throttled: ArrayLike<number>,
  refused: ArrayLike<number>,
  rate: number,
  fullUnits: number,
  warmup: number,
  duration: number,
  resolution: number,
): Omit<WriteBurstDraw, "shard" | "limit"> | null {
  const n = accepted.length;
  if (n === 0 || fullUnits <= 0 || rate <= 0) return null;
  const startOf = (k: number) => k * resolution;
  const endOf = (k: number) => Math.min((k + 1) * resolution, duration);
  const empty = Math.max(CREDIT_SPENT_SECONDS * rate, CREDIT_KEPT_SHARE * fullUnits);
  const warmStep = Math.floor(warmup / resolution);
  // The draw under way: the last step that ended full (−1: full from the start), what it accepted since, whether it ran out.
  let lastFull = -1;
  let taken = 0;
  let out = false;
  let throttledSince = false;
  const over = (fromUs: number, toUs: number, sum: number) => sum / ((toUs - fromUs) / MICROS_PER_SECOND) - rate;
  for (let k = 0; k < n; k++) {
    const a = accepted[k]!;
    const level = levels[k]!;
    if (level >= fullUnits) {
      lastFull = k;
      taken = 0;
      out = false;
      throttledSince = false;
      continue;
    }
    if ((throttled[k] ?? 0) > 0) throttledSince = true;
    if (out || !((refused[k] ?? 0) > 0 && level < empty)) {
      taken += a;
      continue;
    }
    // The bucket ran out in step k: a draw of the steps after lastFull up to k.
    out = true;
    const fromUs = endOf(lastFull);
    const atUs = startOf(k);
    const perSecond = atUs > fromUs ? over(fromUs, atUs, taken) : 0;
    if (k >= warmStep && atUs - fromUs >= WRITE_BURST_MIN_SECONDS * MICROS_PER_SECOND && perSecond >= CREDIT_DRAWN_SHARE * rate) {
      return { fullUnits, fromUs, overPerSecond: perSecond, ranOutAtUs: atUs, leftAtEnd: null, lastsUntilUs: null };
    }
    taken += a;
  }
  // A draw under way at the end, none of it throttled.
  const level = levels[n - 1]!;
  if (out || throttledSince || level >= fullUnits) return null;
  const fromUs = endOf(lastFull);
  if (duration <= warmup || duration - fromUs < WRITE_BURST_MIN_SECONDS * MICROS_PER_SECOND || fullUnits - level < CREDIT_KEPT_SHARE * fullUnits) return null;
  const perSecond = over(fromUs, duration, taken);
  if (!(perSecond >= CREDIT_DRAWN_SHARE * rate)) return null;
  const left = Math.max(0, level);
  return { fullUnits, fromUs, overPerSecond: perSecond, ranOutAtUs: null, leftAtEnd: left, lastsUntilUs: Math.round(duration + (left / perSecond) * MICROS_PER_SECOND) };
}

/**
 * The shards that drew on a write bucket for a while (bucketDraw), each by the bucket that ran out first (or runs out
 * first at its pace): those that ran out first, by when, then those still drawing at the end, by when they run out.
 */
export function writeBurstDraws(
  shards: Iterable<ShardWriteSeries>,
  limits: { recordsPerSecond: number; bytesPerSecond: number },
  writeBurstSeconds: number,
  warmup: number,
  duration: number,
  resolution: number,
): WriteBurstDraw[] {
  const when = (d: Omit<WriteBurstDraw, "shard" | "limit">) => (d.ranOutAtUs !== null ? d.ranOutAtUs : d.lastsUntilUs!);
  const out: WriteBurstDraw[] = [];
  for (const s of shards) {
    // Each bucket's levels, worked out once for both the refusals' causes and the draws.
    const lr = bucketLevels(s.records, limits.recordsPerSecond, limits.recordsPerSecond * writeBurstSeconds, duration, resolution);
    const lb = bucketLevels(s.bytes, limits.bytesPerSecond, limits.bytesPerSecond * writeBurstSeconds, duration, resolution);
    const by = throttleCauses(s, lr, lb, limits);
    const r = bucketDraw(s.records, lr, s.throttled, by.records, limits.recordsPerSecond, limits.recordsPerSecond * writeBurstSeconds, warmup, duration, resolution);
    const b = bucketDraw(s.bytes, lb, s.throttled, by.bytes, limits.bytesPerSecond, limits.bytesPerSecond * writeBurstSeconds, warmup, duration, resolution);
    const pick = r && b ? ((r.ranOutAtUs !== null) !== (b.ranOutAtUs !== null) ? (r.ranOutAtUs !== null ? "records" : "bytes") : when(r) <= when(b) ? "records" : "bytes") : r ? "records" : b ? "bytes" : null;
    if (pick) out.push({ shard: s.shard, limit: pick, ...(pick === "records" ? r! : b!) });
  }
  return out.sort((x, y) => Number(x.ranOutAtUs === null) - Number(y.ranOutAtUs === null) || when(x) - when(y));
}
