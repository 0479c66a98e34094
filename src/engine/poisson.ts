// Poisson variates. For a mean below 10, multiplication of uniforms (Knuth); from 10 up, Hörmann's
// transformed rejection with squeeze (PTRS, "The transformed rejection method for generating Poisson
// random variables", Insurance: Mathematics and Economics 12, 1993), O(1) per draw. Ported from NumPy's
// random/src/distributions/distributions.c (BSD-3-Clause), which uses the same constants.

import { logGamma } from "./logGamma.js";

export function poisson(next: () => number, mean: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite and ≥ 0, got ${mean}`);
  if (mean === 0) return 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = next();
    while (product > limit) {
      k++;
      product *= next();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = next() - 0.5;
    const v = next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logGamma(k + 1)) {
      return k;
    }
  }
}

/**
 * How far either side of a Poisson mean its terms are summed: 12 standard deviations, plus 12 (beyond them the
 * probabilities are below 1e-30).
 */
export function poissonReach(mean: number): number {
  return 12 * Math.sqrt(mean) + 12;
}

/** P(X = k) for X ~ Poisson(mean), k ≥ 0 whole (a sum's first term; the next by P(X = k + 1) = P(X = k)·mean/(k + 1)). */
export function poissonPmf(mean: number, k: number): number {
  return Math.exp(k * Math.log(mean) - mean - logGamma(k + 1));
}

/**
 * E[min(X, c)] for X ~ Poisson(mean) and a whole c ≥ 0: c − Σ_{j<c} (c − j)·P(X = j). Only the terms within
 * 12 standard deviations (+12) of the mean are summed; beyond them the probabilities are below 1e-30, so a c far
 * above the mean gives the mean and one far below gives c.
 */
export function poissonMinMean(mean: number, c: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite and ≥ 0, got ${mean}`);
  if (c <= 0 || mean === 0) return 0;
  const reach = poissonReach(mean);
  if (c > mean + reach) return mean;
  const lo = Math.max(0, Math.floor(mean - reach));
  if (c <= lo) return c;
  // P(X = lo), then the recurrence P(X = j + 1) = P(X = j) · mean / (j + 1).
  let p = poissonPmf(mean, lo);
  let short = 0;
  for (let j = lo; j < c; j++) {
    short += (c - j) * p;
    p *= mean / (j + 1);
  }
  return c - short;
}
