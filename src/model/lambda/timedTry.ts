// One try of a batch against the function's timeout, by the model's own distributions (LambdaFunction.invoke, the sink's
// write): the chance that it ends in time and the mean time it holds its lane. An invocation computes for C, lognormal
// around its mean m with the function's variability v (C = m·exp(σZ − σ²/2), σ = √ln(1 + v²); constant when v is 0),
// then, with a sink, writes its batch for W (a constant part and one or more latency draws: an S3 PutObject, a bulk
// request, the Redshift staging put; a BatchWriteItem request after another for DynamoDB, src/model/sinks/batchWrite.ts);
// the timeout T ends it at T whatever it was doing ("an invocation still running then fails with a timeout error",
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html). So a try ends in time with
// P(C + W ≤ T) and holds its lane E[min(C + W, T)].
// Given W = w both are closed forms of the lognormal: P(C ≤ a) = Φ((ln(a/m) + σ²/2)/σ) and
// E[min(C, a)] = m·Φ((ln(a/m) − σ²/2)/σ) + a·(1 − P(C ≤ a)), at a = T − w. W's distribution below T is a lattice of
// SPREAD_STEPS steps (a deterministic quadrature, no sampling): each step's mass from the latency's CDF, split between
// the step's two ends so that its mean is kept; a sum of draws is the lattice convolved with itself, the mass past T kept
// apart. With no variability and a constant write, both are exact (0 or 1, and min(m + w, T)).

import { normalCdf } from "../../engine/normal.js";
import { lognormalFromMedianP99 } from "../../engine/random.js";
import type { LatencyDraw as LatencySpec } from "../sinks/batchWrite.js";

/** Steps of the lattice a write's time below the timeout is spread on: with a 3 s timeout, steps of 5.9 ms. */
export const SPREAD_STEPS = 512;

/** A write's random part below a limit: masses at 0, step, 2 × step, … (SPREAD_STEPS + 1 points), and the mass past the limit. */
export interface Spread {
  stepUs: number;
  mass: Float64Array;
  beyond: number;
}

/** A latency draw's P(L ≤ x) and E[L; L ≤ x] (its partial mean), x in µs. */
function drawOf(spec: LatencySpec): (x: number) => { cdf: number; partial: number } {
  switch (spec.dist) {
    case "fixed":
      return (x) => (x >= spec.value ? { cdf: 1, partial: spec.value } : { cdf: 0, partial: 0 });
    case "uniform": {
      const { min, max } = spec;
      if (max <= min) return (x) => (x >= min ? { cdf: 1, partial: min } : { cdf: 0, partial: 0 });
      return (x) => {
        const y = Math.min(Math.max(x, min), max);
        const cdf = (y - min) / (max - min);
        return { cdf, partial: (cdf * (min + y)) / 2 };
      };
    }
    case "lognormal": {
      const { mu, sigma } = lognormalFromMedianP99(spec.median, spec.p99);
      const median = Math.exp(mu);
      if (sigma === 0) return (x) => (x >= median ? { cdf: 1, partial: median } : { cdf: 0, partial: 0 });
      const mean = Math.exp(mu + (sigma * sigma) / 2);
      return (x) => {
        if (x <= 0) return { cdf: 0, partial: 0 };
        const z = (Math.log(x) - mu) / sigma;
        return { cdf: normalCdf(z), partial: mean * normalCdf(z - sigma) };
      };
    }
  }
}

/** Whether a latency is always the same (fixed; uniform with min = max; lognormal with p99 = median): no spread. */
export function constantLatency(spec: LatencySpec): boolean {
  return spec.dist === "fixed" || (spec.dist === "uniform" && spec.max <= spec.min) || (spec.dist === "lognormal" && spec.p99 <= spec.median);
}

/** One latency draw on the lattice of [0, limitUs] (limitUs > 0). */
export function spreadOf(spec: LatencySpec, limitUs: number): Spread {
  const n = SPREAD_STEPS;
  const step = limitUs / n;
  const mass = new Float64Array(n + 1);
  const at = drawOf(spec);
  let lo = at(0);
  mass[0] = lo.cdf;
  for (let j = 0; j < n; j++) {
    const hi = at((j + 1) * step);
    const m = hi.cdf - lo.cdf;
    if (m > 0) {
      // The step's mass at its two ends, in proportion to where its mean lies between them.
      const frac = Math.min(1, Math.max(0, (hi.partial - lo.partial) / m / step - j));
      mass[j]! += m * (1 - frac);
      mass[j + 1]! += m * frac;
    }
    lo = hi;
  }
  return { stepUs: step, mass, beyond: Math.max(0, 1 - lo.cdf) };
}

/** The sum of two independent draws on the same lattice, the mass past its limit apart. */
function convolve(a: Spread, b: Spread): Spread {
  const n = a.mass.length;
  const mass = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a.mass[i]!;
    if (x === 0) continue;
    for (let j = 0; i + j < n; j++) mass[i + j]! += x * b.mass[j]!;
  }
  let inside = 0;
  for (const x of mass) inside += x;
  return { stepUs: a.stepUs, mass, beyond: Math.max(0, 1 - inside) };
}

/** The sum of `k` ≥ 1 independent draws of `one`'s (by doubling), `powers` keeping one, two, four … draws for the next call. */
export function spreadOfSum(one: Spread, k: number, powers: Spread[] = []): Spread {
  if (powers.length === 0) powers.push(one);
  let sum: Spread | null = null;
  for (let bit = 0; 1 << bit <= k; bit++) {
    if (bit >= powers.length) powers.push(convolve(powers[bit - 1]!, powers[bit - 1]!));
    if (k & (1 << bit)) sum = sum ? convolve(sum, powers[bit]!) : powers[bit]!;
  }
  return sum!;
}

/** The function's compute: its mean (µs) and the lognormal's σ (0: always the mean). */
export interface Compute {
  meanUs: number;
  sigma: number;
}

/** σ of the lognormal whose coefficient of variation is `variability` (LambdaFunction: √ln(1 + v²)). */
export function sigmaOf(variability: number): number {
  return Math.sqrt(Math.log(1 + variability * variability));
}

/** P(C ≤ a) and E[min(C, a)] for a ≥ 0. */
function computeWithin(c: Compute, a: number): { cdf: number; meanMin: number } {
  if (a <= 0) return { cdf: 0, meanMin: 0 };
  if (c.sigma === 0 || c.meanUs <= 0) return c.meanUs <= a ? { cdf: 1, meanMin: c.meanUs } : { cdf: 0, meanMin: a };
  const l = Math.log(a / c.meanUs);
  const s2 = (c.sigma * c.sigma) / 2;
  const cdf = normalCdf((l + s2) / c.sigma);
  return { cdf, meanMin: c.meanUs * normalCdf((l - s2) / c.sigma) + a * (1 - cdf) };
}

/** One try's outcome: the chance that it ends within the timeout, and the mean time it holds its lane (µs, at most the timeout). */
export interface TryOutcome {
  doneChance: number;
  meanUs: number;
}

/**
 * A try of compute `c` then a write of `constUs` plus `spread`'s random part (null: no random part; constUs 0 and null: no
 * write), against `timeoutUs`: P(C + W ≤ T) and E[min(C + W, T)].
 */
export function tryWithin(c: Compute, constUs: number, spread: Spread | null, timeoutUs: number): TryOutcome {
  const t = timeoutUs;
  const at = (w: number) => {
    if (w > t) return { cdf: 0, meanMin: 0, minTry: t };
    const x = computeWithin(c, t - w);
    return { cdf: x.cdf, meanMin: x.meanMin, minTry: w + x.meanMin };
  };
  if (!spread) {
    const x = at(constUs);
    return { doneChance: x.cdf, meanUs: x.minTry };
  }
  let done = 0;
  let mean = spread.beyond * t;
  for (let j = 0; j < spread.mass.length; j++) {
    const m = spread.mass[j]!;
    if (m === 0) continue;
    const x = at(constUs + j * spread.stepUs);
    done += m * x.cdf;
    mean += m * x.minTry;
  }
  return { doneChance: Math.min(1, done), meanUs: Math.min(t, mean) };
}
