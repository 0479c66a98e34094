// Record sizes (data blob bytes). A batch of n records needs the total bytes of those that fit the stream's
// record size limit and the count of those that do not (rejected client-side). Small batches draw every
// size; large batches use the exact truncated moments and a normal approximation of the sum (central limit
// theorem, n > EXACT_BATCH), so cost follows batches, not records. A stream that allows large records (more than
// its shard's byte bucket holds, Kinesis developer guide "Large records") admits them one at a time, so a batch
// can also be split at a size: the records above it are counted, with their bytes, apart from the others.

import type { RandomStream } from "../engine/random.js";
import { lognormalFromMedianP99 } from "../engine/random.js";
import { normalCdf } from "../engine/normal.js";
import type { RecordSizeSpec } from "../spec/index.js";

/** Batches up to this many records draw every record's size. */
export const EXACT_BATCH = 32;

export interface BatchSizes {
  /** Records that fit the limit. */
  fit: number;
  /** Their total bytes. */
  bytes: number;
  /** Records larger than the limit. */
  tooLarge: number;
  /**
   * With a split below the limit: the records of `fit` larger than the split, and their bytes (included in
   * `fit` and `bytes`). Absent without a split.
   */
  large?: number;
  largeBytes?: number;
}

export interface SizeModel {
  readonly mean: number;
  /** One record's size in whole bytes (≥ 1). */
  sample(rng: RandomStream): number;
  /** P(size > limit). */
  pOver(limit: number): number;
  /** Mean and variance of a size given it is ≤ limit. */
  truncated(limit: number): { mean: number; variance: number };
  /**
   * Sizes of a batch of n records against a limit; with `split` < limit, also how many of those that fit are
   * larger than `split` (and their bytes). Without a split (or with split ≥ limit) the draws are the same as
   * before splits existed. With `out`, the sizes are written into it (and it is returned): a caller drawing a batch per
   * shard per window reuses one object instead of allocating one each time.
   */
  batch(n: number, limit: number, rng: RandomStream, split?: number, out?: BatchSizes): BatchSizes;
}

export function sizeModel(spec: RecordSizeSpec): SizeModel {
  switch (spec.dist) {
    case "fixed":
      return withBatch({
        mean: spec.size,
        sample: () => spec.size,
        pOver: (limit) => (spec.size > limit ? 1 : 0),
        truncated: () => ({ mean: spec.size, variance: 0 }),
      });
    case "uniform": {
      const { min, max } = spec;
      return withBatch({
        mean: (min + max) / 2,
        sample: (rng) => min + rng.int(max - min + 1),
        pOver: (limit) => (limit >= max ? 0 : limit < min ? 1 : (max - limit) / (max - min + 1)),
        truncated: (limit) => {
          const hi = Math.min(max, limit);
          const n = hi - min + 1;
          return { mean: (min + hi) / 2, variance: (n * n - 1) / 12 };
        },
      });
    }
    case "lognormal": {
      const { mu, sigma } = lognormalFromMedianP99(spec.median, spec.p99);
      const s2 = sigma * sigma;
      const mean = Math.exp(mu + s2 / 2);
      return withBatch({
        mean,
        sample: (rng) => Math.max(1, Math.round(rng.lognormal(mu, sigma))),
        pOver: (limit) => (sigma === 0 ? (Math.exp(mu) > limit ? 1 : 0) : 1 - normalCdf((Math.log(limit) - mu) / sigma)),
        truncated: (limit) => {
          if (sigma === 0) return { mean: Math.exp(mu), variance: 0 };
          const z = (Math.log(limit) - mu) / sigma;
          const pIn = normalCdf(z);
          if (pIn <= 0) return { mean: limit, variance: 0 };
          const m1 = (Math.exp(mu + s2 / 2) * normalCdf(z - sigma)) / pIn;
          const m2 = (Math.exp(2 * mu + 2 * s2) * normalCdf(z - 2 * sigma)) / pIn;
          return { mean: m1, variance: Math.max(0, m2 - m1 * m1) };
        },
      });
    }
  }
}

function withBatch(m: Omit<SizeModel, "batch">): SizeModel {
  // Cache the truncated moments for the (usually single) limit and split in use.
  let cachedLimit = -1;
  let pOver = 0;
  let tMean = 0;
  let tSd = 0;
  let cachedSplit = -1;
  let split: { pLarge: number; smallMean: number; smallSd: number; largeMean: number; largeSd: number } | null = null;
  return {
    ...m,
    batch(n, limit, rng, splitAt, out) {
      const splitting = splitAt !== undefined && splitAt < limit;
      const r: BatchSizes = out ?? { fit: 0, bytes: 0, tooLarge: 0 };
      if (n <= EXACT_BATCH) {
        let fit = 0;
        let bytes = 0;
        let large = 0;
        let largeBytes = 0;
        for (let i = 0; i < n; i++) {
          const s = m.sample(rng);
          if (s > limit) continue;
          fit++;
          bytes += s;
          if (splitting && s > splitAt) {
            large++;
            largeBytes += s;
          }
        }
        return result(r, fit, bytes, n - fit, splitting, large, largeBytes);
      }
      if (limit !== cachedLimit) {
        cachedLimit = limit;
        cachedSplit = -1;
        pOver = m.pOver(limit);
        const t = m.truncated(limit);
        tMean = t.mean;
        tSd = Math.sqrt(t.variance);
      }
      const tooLarge = pOver > 0 ? rng.binomial(n, pOver) : 0;
      const fit = n - tooLarge;
      if (splitting && splitAt !== cachedSplit) {
        cachedSplit = splitAt;
        split = splitMoments(m, splitAt, limit);
      }
      if (splitting && split) {
        // Records that fit, split at `splitAt`: a binomial count above it, each part's sum from its own moments.
        const large = fit > 0 ? rng.binomial(fit, split.pLarge) : 0;
        const small = fit - large;
        const smallBytes = sumOf(small, split.smallMean, split.smallSd, 1, splitAt, rng);
        const largeBytes = sumOf(large, split.largeMean, split.largeSd, Math.floor(splitAt) + 1, limit, rng);
        return result(r, fit, smallBytes + largeBytes, tooLarge, true, large, largeBytes);
      }
      if (fit === 0) return result(r, 0, 0, tooLarge, splitting, 0, 0);
      return result(r, fit, sumOf(fit, tMean, tSd, 1, limit, rng), tooLarge, splitting, 0, 0);
    },
  };
}

/** Fills a batch's sizes in `r` (large and largeBytes only with a split; without one they are left out). */
function result(r: BatchSizes, fit: number, bytes: number, tooLarge: number, splitting: boolean, large: number, largeBytes: number): BatchSizes {
  r.fit = fit;
  r.bytes = bytes;
  r.tooLarge = tooLarge;
  if (splitting) {
    r.large = large;
    r.largeBytes = largeBytes;
  } else if (r.large !== undefined) {
    delete r.large;
    delete r.largeBytes;
  }
  return r;
}

/** The sum of `count` sizes with the given mean and standard deviation (normal approximation), whole bytes in [count·lo, count·hi]. */
function sumOf(count: number, mean: number, sd: number, lo: number, hi: number, rng: RandomStream): number {
  if (count === 0) return 0;
  let bytes = count * mean;
  if (sd > 0) bytes += Math.sqrt(count) * sd * rng.standardNormal();
  bytes = Math.round(bytes);
  if (bytes < count * lo) bytes = count * lo;
  if (bytes > count * hi) bytes = count * hi;
  return bytes;
}

/**
 * Of the sizes ≤ limit: the probability of one being > split, and the mean and standard deviation of the sizes on
 * each side, from the truncated moments at the two points (null when no size lies in (split, limit]).
 */
function splitMoments(m: Omit<SizeModel, "batch">, split: number, limit: number) {
  const pIn = 1 - m.pOver(limit);
  const pSmall = 1 - m.pOver(split);
  const pMid = pIn - pSmall;
  if (!(pIn > 0) || !(pMid > 0)) return null;
  const s = m.truncated(split);
  const t = m.truncated(limit);
  const e1 = (pIn * t.mean - (pSmall > 0 ? pSmall * s.mean : 0)) / pMid;
  const e2 = (pIn * (t.variance + t.mean * t.mean) - (pSmall > 0 ? pSmall * (s.variance + s.mean * s.mean) : 0)) / pMid;
  const largeMean = Math.min(limit, Math.max(split, e1));
  return {
    pLarge: pMid / pIn,
    smallMean: s.mean,
    smallSd: Math.sqrt(Math.max(0, s.variance)),
    largeMean,
    largeSd: Math.sqrt(Math.max(0, e2 - largeMean * largeMean)),
  };
}
