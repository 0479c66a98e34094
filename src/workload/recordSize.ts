// Record sizes (data blob bytes). A batch of n records needs the total bytes of those that fit the stream's
// record size limit and the count of those that do not (rejected client-side). Small batches draw every
// size; large batches use the exact truncated moments and a normal approximation of the sum (central limit
// theorem, n > EXACT_BATCH), so cost follows batches, not records.

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
}

export interface SizeModel {
  readonly mean: number;
  /** One record's size in whole bytes (≥ 1). */
  sample(rng: RandomStream): number;
  /** P(size > limit). */
  pOver(limit: number): number;
  /** Mean and variance of a size given it is ≤ limit. */
  truncated(limit: number): { mean: number; variance: number };
  /** Sizes of a batch of n records against a limit. */
  batch(n: number, limit: number, rng: RandomStream): BatchSizes;
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
  // Cache the truncated moments for the (usually single) limit in use.
  let cachedLimit = -1;
  let pOver = 0;
  let tMean = 0;
  let tSd = 0;
  return {
    ...m,
    batch(n, limit, rng) {
      if (n <= EXACT_BATCH) {
        let fit = 0;
        let bytes = 0;
        for (let i = 0; i < n; i++) {
          const s = m.sample(rng);
          if (s > limit) continue;
          fit++;
          bytes += s;
        }
        return { fit, bytes, tooLarge: n - fit };
      }
      if (limit !== cachedLimit) {
        cachedLimit = limit;
        pOver = m.pOver(limit);
        const t = m.truncated(limit);
        tMean = t.mean;
        tSd = Math.sqrt(t.variance);
      }
      const tooLarge = pOver > 0 ? rng.binomial(n, pOver) : 0;
      const fit = n - tooLarge;
      if (fit === 0) return { fit: 0, bytes: 0, tooLarge };
      let bytes = fit * tMean;
      if (tSd > 0) bytes += Math.sqrt(fit) * tSd * rng.standardNormal();
      bytes = Math.round(bytes);
      // The sum of `fit` sizes lies in [fit, fit × limit].
      if (bytes < fit) bytes = fit;
      if (bytes > fit * limit) bytes = fit * limit;
      return { fit, bytes, tooLarge };
    },
  };
}
