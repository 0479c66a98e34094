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

/**
 * The draw of one bucket (rate, fullUnits) by a shard's accepted series: the first that ran out after warmup, having
 * drawn for WRITE_BURST_MIN_SECONDS or more at CREDIT_DRAWN_SHARE of the rate or more over it; else, the draw under way
 * at the end, as long and as steep, that took CREDIT_KEPT_SHARE of the bucket or more without a throttled step. A
 * bucket is empty under CREDIT_SPENT_SECONDS of the rate or CREDIT_KEPT_SHARE of its fill, as a sink table's credit is.
 */
export function bucketDraw(
  accepted: ArrayLike<number>,
  throttled: ArrayLike<number>,
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
  let level = fullUnits;
  // The draw under way: the last step that ended full (−1: full from the start), what it accepted since, whether it ran out.
  let lastFull = -1;
  let taken = 0;
  let out = false;
  let throttledSince = false;
  const over = (fromUs: number, toUs: number, sum: number) => sum / ((toUs - fromUs) / MICROS_PER_SECOND) - rate;
  for (let k = 0; k < n; k++) {
    const a = accepted[k]!;
    level = Math.min(fullUnits, level + (rate * (endOf(k) - startOf(k))) / MICROS_PER_SECOND - a);
    if (level >= fullUnits) {
      lastFull = k;
      taken = 0;
      out = false;
      throttledSince = false;
      continue;
    }
    if ((throttled[k] ?? 0) > 0) throttledSince = true;
    if (out || !((throttled[k] ?? 0) > 0 && level < empty)) {
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
  shards: readonly ShardWriteSeries[],
  limits: { recordsPerSecond: number; bytesPerSecond: number },
  writeBurstSeconds: number,
  warmup: number,
  duration: number,
  resolution: number,
): WriteBurstDraw[] {
  const when = (d: Omit<WriteBurstDraw, "shard" | "limit">) => (d.ranOutAtUs !== null ? d.ranOutAtUs : d.lastsUntilUs!);
  const out: WriteBurstDraw[] = [];
  for (const s of shards) {
    const r = bucketDraw(s.records, s.throttled, limits.recordsPerSecond, limits.recordsPerSecond * writeBurstSeconds, warmup, duration, resolution);
    const b = bucketDraw(s.bytes, s.throttled, limits.bytesPerSecond, limits.bytesPerSecond * writeBurstSeconds, warmup, duration, resolution);
    const pick = r && b ? ((r.ranOutAtUs !== null) !== (b.ranOutAtUs !== null) ? (r.ranOutAtUs !== null ? "records" : "bytes") : when(r) <= when(b) ? "records" : "bytes") : r ? "records" : b ? "bytes" : null;
    if (pick) out.push({ shard: s.shard, limit: pick, ...(pick === "records" ? r! : b!) });
  }
  return out.sort((x, y) => Number(x.ranOutAtUs === null) - Number(y.ranOutAtUs === null) || when(x) - when(y));
}
