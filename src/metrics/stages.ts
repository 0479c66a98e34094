// Where the time went: observations of a latency made of consecutive stages (for a record processed by a
// consumer: before the stream, waiting to be read, processing), kept as the stages' sums per bucket of the total
// latency, so that after the run the stages of the slowest records — those at or above a percentile of the
// total — can be averaged. The stages add up to the total for every observation, so their means over the tail add
// up to the tail's mean: an exact decomposition of where the slow records spent their time.
//
// Buckets are logarithmic, eight to a doubling (each about 9% wide): a tail cut at a percentile is exact to a
// bucket. Memory is fixed (about 330 buckets × (stages + 1) numbers) whatever the run's length.

import type { Micros } from "../engine/time.js";

const PER_DOUBLING = 8;
const BUCKETS = 42 * PER_DOUBLING; // 1 µs … 2^42 µs (50 days)

export interface StageTail {
  /** Observations in the tail (a fraction of one when its last bucket is taken in part). */
  count: number;
  /** Mean total latency of the tail (µs). */
  meanUs: number;
  /** Mean time in each stage over the tail (µs); they add up to meanUs. */
  stageMeansUs: number[];
}

export class StageBreakdown {
  private readonly counts = new Float64Array(BUCKETS);
  private readonly totals = new Float64Array(BUCKETS);
  /** Per bucket, the largest total recorded in it (where its slowest observations end). */
  private readonly maxes = new Float64Array(BUCKETS);
  private readonly sums: Float64Array[];

  /** `stages`: how many stages an observation has; `from`: observations made before it (the warmup) are left out. */
  constructor(
    readonly stages: number,
    readonly from: Micros = 0,
  ) {
    this.sums = Array.from({ length: stages }, () => new Float64Array(BUCKETS));
  }

  /** `count` observations made at `at` whose stages took `stageUs` (µs each, negative read as 0). */
  recordAt(at: Micros, stageUs: readonly number[], count: number): void {
    if (at < this.from || count <= 0) return;
    let total = 0;
    for (let i = 0; i < this.stages; i++) total += Math.max(0, stageUs[i]!);
    const b = bucketOf(total);
    this.counts[b]! += count;
    this.totals[b]! += total * count;
    if (total > this.maxes[b]!) this.maxes[b] = total;
    for (let i = 0; i < this.stages; i++) this.sums[i]![b]! += Math.max(0, stageUs[i]!) * count;
  }

  /** recordAt for three stages, without an array: the same sums. */
  record3At(at: Micros, a: number, b: number, c: number, count: number): void {
    if (this.stages !== 3) throw new Error(`record3At on a breakdown of ${this.stages} stages`);
    if (at < this.from || count <= 0) return;
    const s0 = Math.max(0, a);
    const s1 = Math.max(0, b);
    const s2 = Math.max(0, c);
    const total = 0 + s0 + s1 + s2;
    const k = bucketOf(total);
    this.counts[k]! += count;
    this.totals[k]! += total * count;
    if (total > this.maxes[k]!) this.maxes[k] = total;
    const sums = this.sums;
    sums[0]![k]! += s0 * count;
    sums[1]![k]! += s1 * count;
    sums[2]![k]! += s2 * count;
  }

  /** Adds `other`'s observations (the same stages): as if each had been recorded here. */
  add(other: StageBreakdown): void {
    if (other.stages !== this.stages) throw new Error(`adding a breakdown of ${other.stages} stages to one of ${this.stages}`);
    for (let b = 0; b < BUCKETS; b++) {
      this.counts[b]! += other.counts[b]!;
      this.totals[b]! += other.totals[b]!;
      if (other.maxes[b]! > this.maxes[b]!) this.maxes[b] = other.maxes[b]!;
      for (let i = 0; i < this.stages; i++) this.sums[i]![b]! += other.sums[i]![b]!;
    }
  }

  get count(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }

  /**
   * The slowest `share` of the observations (0 < share ≤ 1), whose least total is `atLeastUs` (the percentile, from the
   * latency's own histogram): the buckets from the top down, and of the bucket where that share is reached the part it
   * needs. That part's observations are the bucket's slowest, at or above `atLeastUs`: their mean total is taken midway
   * between it (or the bucket's mean, if higher) and the largest total recorded in the bucket, its stages in the
   * bucket's proportions. A tail
   * taken by whole buckets would hold up to a bucket's worth more (9% wide: a buffer interval's records all in one), and
   * its mean could fall under the percentile it describes.
   */
  slowest(share: number, atLeastUs = 0): StageTail {
    const want = share * this.count;
    let count = 0;
    let total = 0;
    const stage = new Array<number>(this.stages).fill(0);
    for (let b = BUCKETS - 1; b >= 0 && count < want; b--) {
      const c = this.counts[b]!;
      if (c === 0) continue;
      const f = Math.min(1, (want - count) / c);
      // In part: the bucket's slowest, scaled from the bucket's mean to theirs.
      const mean = this.totals[b]! / c;
      const top = this.maxes[b]!;
      const scale = f < 1 && mean > 0 && top > mean ? Math.min(top, (Math.max(atLeastUs, mean) + top) / 2) / mean : 1;
      count += f * c;
      total += f * scale * this.totals[b]!;
      for (let i = 0; i < this.stages; i++) stage[i]! += f * scale * this.sums[i]![b]!;
    }
    return { count, meanUs: count > 0 ? total / count : 0, stageMeansUs: stage.map((x) => (count > 0 ? x / count : 0)) };
  }
}

/** The bucket of a total: floor(log2(us) × PER_DOUBLING), 0 below 1 µs, at most BUCKETS − 1 (the definition). */
export function bucketByLog(us: number): number {
  if (us < 1) return 0;
  const b = Math.floor(Math.log2(us) * PER_DOUBLING);
  return b >= BUCKETS ? BUCKETS - 1 : b;
}

const TWO_32 = 4_294_967_296;
const bits = new Float64Array(1);
const bitsInt = new BigInt64Array(bits.buffer);
/** The next double after a positive finite x (up) or before it (down). */
function nextDouble(x: number, step: 1n | -1n): number {
  bits[0] = x;
  bitsInt[0]! += step;
  return bits[0]!;
}

/**
 * LOWEST[k]: the least double whose bucketByLog is k or more (k = 1 … BUCKETS − 1), found once by stepping from 2^(k/8)
 * one double at a time to where bucketByLog turns: bucketOf then finds a bucket with a few comparisons instead of a
 * logarithm, and the same bucket (test/metrics/stages.test.ts checks that the two agree within 64 doubles of every edge
 * 2^(k/8), and on values of every size).
 */
const LOWEST = new Float64Array(BUCKETS + PER_DOUBLING + 1).fill(Infinity);
for (let k = 1; k < BUCKETS; k++) {
  let x = 2 ** (k / PER_DOUBLING);
  while (bucketByLog(x) < k) x = nextDouble(x, 1n);
  while (bucketByLog(nextDouble(x, -1n)) >= k) x = nextDouble(x, -1n);
  LOWEST[k] = x;
}

/** bucketByLog by the table: the doubling from the highest bit, then the eighths within it. */
export function bucketOf(us: number): number {
  if (!(us >= 1)) return us < 1 ? 0 : bucketByLog(us); // NaN as the definition has it
  if (us >= LOWEST[BUCKETS - 1]!) return BUCKETS - 1;
  const doubling = us < TWO_32 ? 31 - Math.clz32(us) : 63 - Math.clz32(us / TWO_32);
  let k = doubling * PER_DOUBLING;
  while (LOWEST[k + 1]! <= us) k++;
  return k;
}
