// Mean and a Student-t confidence interval over replications.

import jStat from "jstat";

export interface Estimate {
  n: number;
  mean: number;
  /** Sample standard deviation (0 for one value). */
  sd: number;
  /** The confidence interval [low, high], or null with one replication. */
  ci: [number, number] | null;
}

/** The t quantile for a two-sided interval at `confidence` with n − 1 degrees of freedom. */
export function tQuantile(confidence: number, n: number): number {
  return jStat.studentt.inv(1 - (1 - confidence) / 2, n - 1);
}

export function estimate(values: readonly number[], confidence: number): Estimate {
  const n = values.length;
  // Shifted by the first value, so equal values give exactly that value and sd 0 (a plain sum/n turns three
  // replications of 0.1 into 0.10000000000000002, and an SLO every replication meets exactly into a miss).
  const shift = values[0] ?? 0;
  const mean = shift + values.reduce((a, b) => a + (b - shift), 0) / n;
  if (n < 2) return { n, mean, sd: 0, ci: null };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(confidence, n) * (sd / Math.sqrt(n));
  return { n, mean, sd, ci: [mean - half, mean + half] };
}
