// A metric's mean over replications, with confidence bounds that stay inside the metric's range.
//
// Each replication gives one value; the replications are independent (their own seeds), so the mean's
// standard error is se = sd/√n, known to n − 1 degrees of freedom. The bounds are score (Wilson-type) bounds: the
// means μ that the observed mean x̄ does not rule out, |x̄ − μ| ≤ t·√(V(μ)/n), where V is a variance that
// shrinks to 0 at the edges of the metric's range, scaled to the variance the replications show
// (V(x̄)/n = se²; quasi-likelihood's dispersion):
//   - percentages (0–100 %): V(μ) ∝ μ(100 − μ), the quasi-binomial variance: Wilson's interval for a
//     proportion, with the replications' own variance in place of the binomial one;
//   - latencies and costs (≥ 0): V(μ) ∝ μ, the quasi-Poisson variance;
//   - anything else: V constant, the Student t bounds x̄ ∓ t·se.
// Each is a quadratic in μ with both roots in range. Near an edge the bounds are asymmetric, as the
// uncertainty is — 0.9% with se 0.5% reaches 3.6%, not −0.5% — and when se is small against the mean (and the
// distance to 100%) they are the plain t bounds x̄ ∓ t·se. docs/sweeps.md says why not clipped t bounds, a
// log or logit transform, or a bootstrap.
//
// Each bound is one-sided at the confidence level C: the mean is at most `upper` with confidence C, at least
// `lower` with confidence C; together [lower, upper] is a two-sided interval of level 2C − 1. An SLO is met at
// confidence C when `upper` is within its target.

import jStat from "jstat";

/** A metric's range: a percentage (0–100), a non-negative amount (latency, cost), or any real number. */
export type MetricScale = "percent" | "positive" | "real";

export interface Estimate {
  n: number;
  mean: number;
  /** Sample standard deviation (0 for one value). */
  sd: number;
  /** The one-sided lower and upper confidence bounds [lower, upper], or null with one replication. */
  ci: [number, number] | null;
}

/** The t quantile of a one-sided bound at `confidence` with n − 1 degrees of freedom. */
export function tQuantile(confidence: number, n: number): number {
  return jStat.studentt.inv(confidence, n - 1);
}

export function estimate(values: readonly number[], confidence: number, scale: MetricScale = "real"): Estimate {
  const n = values.length;
  // Shifted by the first value, so equal values give exactly that value and sd 0 (a plain sum/n turns three
  // replications of 0.1 into 0.10000000000000002, and an SLO every replication meets exactly into a miss).
  const shift = values[0] ?? 0;
  const mean = shift + values.reduce((a, b) => a + (b - shift), 0) / n;
  if (n < 2) return { n, mean, sd: 0, ci: null };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, ci: bounds(mean, sd / Math.sqrt(n), tQuantile(confidence, n), scale, values) };
}

function bounds(mean: number, se: number, t: number, scale: MetricScale, values: readonly number[]): [number, number] {
  // Every replication gave the same value: nothing to widen.
  if (se === 0) return [mean, mean];
  const inRange = (lo: number, hi: number) => values.every((v) => v >= lo && v <= hi);
  if (scale === "percent" && inRange(0, 100)) {
    // Not all equal, all within [0, 100]: 0 < p < 1. (p − π)² = a·π(1 − π) with a = t²·var(p)/(p(1 − p)).
    const p = mean / 100;
    const a = (t * t * (se / 100) ** 2) / (p * (1 - p));
    const hi = (2 * p + a + Math.sqrt(a * a + 4 * a * p * (1 - p))) / (2 * (1 + a));
    // The roots' product is p²/(1 + a): the lower one without cancellation.
    const lo = (p * p) / ((1 + a) * hi);
    return [100 * lo, Math.min(100, 100 * hi)];
  }
  if (scale === "positive" && inRange(0, Infinity)) {
    // Not all equal, all ≥ 0: mean > 0. (x̄ − μ)² = k·μ with k = t²·se²/x̄.
    const k = (t * t * se * se) / mean;
    const hi = mean + k / 2 + Math.sqrt((k * k) / 4 + k * mean);
    // The roots' product is x̄².
    return [(mean * mean) / hi, hi];
  }
  return [mean - t * se, mean + t * se];
}

/** Half the width of the interval (0 without one). */
export function halfWidth(e: Estimate): number {
  return e.ci ? (e.ci[1] - e.ci[0]) / 2 : 0;
}
