// Mean, sample standard deviation and the one-sided confidence bounds, against hand computation and the printed
// t-table (one-sided: t(0.95, 1) = 6.314, t(0.95, 2) = 2.920, t(0.95, 4) = 2.132, t(0.95, 9) = 1.833,
// t(0.975, 2) = 4.303, t(0.90, 2) = 1.886). Percentages get Wilson-type bounds with the replications' variance
// (quasi-binomial), latencies and costs quasi-Poisson score bounds (stats.ts): the roots of a quadratic, written
// out below, inside the metric's range.

import { describe, expect, it } from "vitest";
import { estimate, halfWidth, tQuantile } from "../../src/sweep/stats.js";

const T2 = 2.919986; // t(0.95, 2), one-sided, to 6 decimals
const T1 = 6.313752; // t(0.95, 1)

/** Roots of (p − π)² = a·π(1 − π): Wilson's interval with z²/n = a. */
function wilson(p: number, a: number): [number, number] {
  const root = Math.sqrt(a * a + 4 * a * p * (1 - p));
  return [(2 * p + a - root) / (2 * (1 + a)), (2 * p + a + root) / (2 * (1 + a))];
}
/** Roots of (x − μ)² = k·μ. */
function poisson(x: number, k: number): [number, number] {
  const root = Math.sqrt(k * k + 4 * k * x);
  return [(2 * x + k - root) / 2, (2 * x + k + root) / 2];
}

describe("tQuantile (one-sided)", () => {
  it.each([
    [0.95, 2, 6.314],
    [0.95, 3, 2.92],
    [0.95, 5, 2.132],
    [0.95, 10, 1.833],
    [0.975, 3, 4.303],
    [0.9, 3, 1.886],
    [0.99, 5, 3.747],
  ])("a one-sided %s bound from %i values uses the t-table's %s", (confidence, n, table) => {
    // The table prints 3 decimals.
    expect(Math.abs(tQuantile(confidence, n) - table)).toBeLessThan(0.0005);
  });
});

describe("estimate on the plain scale (no range)", () => {
  it("[2, 4, 6] at 95%: mean 4, sd 2, bounds 4 ∓ 2.920·2/√3 = [0.628, 7.372]", () => {
    const e = estimate([2, 4, 6], 0.95);
    expect(e.n).toBe(3);
    expect(e.mean).toBe(4);
    expect(e.sd).toBe(2);
    const t = tQuantile(0.95, 3);
    expect(e.ci![0]).toBeCloseTo(4 - (t * 2) / Math.sqrt(3), 10);
    expect(e.ci![1]).toBeCloseTo(4 + (t * 2) / Math.sqrt(3), 10);
    expect(e.ci![0]).toBeCloseTo(0.628, 3);
    expect(e.ci![1]).toBeCloseTo(7.372, 3);
  });

  it("1..10 at 95%: mean 5.5, sd √(82.5/9) = 3.0277, bounds 5.5 ∓ 1.833·3.0277/√10 = [3.745, 7.255]", () => {
    const e = estimate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95);
    expect(e.mean).toBe(5.5);
    expect(e.sd).toBeCloseTo(3.02765, 5);
    expect(e.ci![0]).toBeCloseTo(3.745, 3);
    expect(e.ci![1]).toBeCloseTo(7.255, 3);
  });
});

describe("estimate of a percentage (Wilson-type bounds)", () => {
  // The enrichment sweep's 2-shard row: two replications throttle 1.4% of attempts, one 0%.
  it("[0, 1.4, 1.4] % at 95%: mean 0.9333, se 0.46667; bounds [0.2400%, 3.5586%], not 0.933 ∓ 1.363 (below 0)", () => {
    const e = estimate([0, 1.4, 1.4], 0.95, "percent");
    const mean = 2.8 / 3;
    const se = Math.sqrt(((0 - mean) ** 2 + 2 * (1.4 - mean) ** 2) / 2) / Math.sqrt(3);
    expect(e.mean).toBeCloseTo(mean, 12);
    expect(se).toBeCloseTo(0.466667, 6);
    // (p − π)² = a·π(1 − π), p = mean/100, a = t²·(se/100)² / (p(1 − p)).
    const p = mean / 100;
    const a = (T2 * T2 * (se / 100) ** 2) / (p * (1 - p));
    const [lo, hi] = wilson(p, a);
    expect(e.ci![0]).toBeCloseTo(100 * lo, 4);
    expect(e.ci![1]).toBeCloseTo(100 * hi, 4);
    expect(e.ci![0]).toBeCloseTo(0.24, 3);
    expect(e.ci![1]).toBeCloseTo(3.5586, 3);
    // The plain t bounds would say 0.933 ∓ 1.363: a negative percentage.
    expect(mean - T2 * se).toBeLessThan(0);
  });

  it("[0, 0, 0.3] %: both bounds inside (0, 100), the upper further from the mean than the lower", () => {
    const e = estimate([0, 0, 0.3], 0.95, "percent");
    expect(e.ci![0]).toBeGreaterThan(0);
    expect(e.ci![1]).toBeLessThan(100);
    expect(e.ci![1] - e.mean).toBeGreaterThan(e.mean - e.ci![0]);
  });

  it("[99.8, 100, 100] %: the upper bound stays under 100, the lower stretches further from the mean", () => {
    const e = estimate([99.8, 100, 100], 0.95, "percent");
    expect(e.ci![1]).toBeLessThan(100);
    expect(e.mean - e.ci![0]).toBeGreaterThan(e.ci![1] - e.mean);
  });

  it("away from 0 and 100 it agrees with the plain t bounds: [50, 51, 52] % → 51 ∓ 1.686 within 0.01", () => {
    const e = estimate([50, 51, 52], 0.95, "percent");
    const half = (T2 * 1) / Math.sqrt(3);
    expect(e.ci![0]).toBeCloseTo(51 - half, 2);
    expect(e.ci![1]).toBeCloseTo(51 + half, 2);
  });

  it("all replications 0% (or all at 100%) give the exact value as both bounds", () => {
    expect(estimate([0, 0, 0], 0.95, "percent")).toEqual({ n: 3, mean: 0, sd: 0, ci: [0, 0] });
    expect(estimate([100, 100], 0.95, "percent")).toEqual({ n: 2, mean: 100, sd: 0, ci: [100, 100] });
  });
});

describe("estimate of a latency or a cost (quasi-Poisson score bounds)", () => {
  it("[1800, 1900, 2000] ms at 95%: (1900 − μ)² = k·μ, k = t²·se²/1900 = 14.96 → [1738.7, 2076.2] (plain t: 1900 ∓ 168.6)", () => {
    const e = estimate([1800, 1900, 2000], 0.95, "positive");
    const k = (T2 * T2 * (100 * 100)) / 3 / 1900;
    expect(k).toBeCloseTo(14.96, 2);
    const [lo, hi] = poisson(1900, k);
    expect(e.ci![0]).toBeCloseTo(lo, 4);
    expect(e.ci![1]).toBeCloseTo(hi, 4);
    expect(e.ci![0]).toBeCloseTo(1738.7, 1);
    expect(e.ci![1]).toBeCloseTo(2076.2, 1);
  });

  it("[10, 200] ms with 2 replications: the bounds are [3.03, 3633] (the plain t bounds: −495 and 705)", () => {
    const e = estimate([10, 200], 0.95, "positive");
    expect(e.mean).toBe(105);
    const se = e.sd / Math.SQRT2;
    expect(se).toBeCloseTo(95, 9);
    const [lo, hi] = poisson(105, (T1 * T1 * se * se) / 105);
    expect(e.ci![0]).toBeGreaterThan(0);
    expect(e.ci![0]).toBeCloseTo(lo, 3);
    expect(e.ci![1]).toBeCloseTo(hi, 2);
    expect(e.ci![0]).toBeCloseTo(3.03, 2);
    expect(e.ci![1]).toBeCloseTo(3633.3, 1);
    expect(105 - T1 * se).toBeLessThan(-494);
  });
});

describe("estimate, common cases", () => {
  it("one value: that value as the mean, sd 0 and no bounds (ci null)", () => {
    expect(estimate([3.5], 0.95, "positive")).toEqual({ n: 1, mean: 3.5, sd: 0, ci: null });
    expect(halfWidth(estimate([3.5], 0.95))).toBe(0);
  });

  it("three replications of 0.1 give exactly 0.1 as the mean, sd 0 and the bounds [0.1, 0.1]", () => {
    // (0.1 + 0.1 + 0.1) / 3 is 0.10000000000000002 in floating point: an SLO of 0.1 that every replication
    // meets exactly would then be missed.
    expect(estimate([0.1, 0.1, 0.1], 0.95, "percent")).toEqual({ n: 3, mean: 0.1, sd: 0, ci: [0.1, 0.1] });
  });

  it("equal values give exactly that value as the mean and both bounds, whatever the value, count and scale", () => {
    for (const scale of ["percent", "positive", "real"] as const) {
      for (const x of [0.3, 0.7, 1.1, 20.48, 99.9]) {
        for (const n of [2, 3, 5, 7, 10]) {
          const e = estimate(Array<number>(n).fill(x), 0.95, scale);
          expect(e.mean).toBe(x);
          expect(e.sd).toBe(0);
          expect(e.ci).toEqual([x, x]);
        }
      }
    }
  });

  it("a higher confidence widens the bounds: t(0.99, 4) / t(0.95, 4) = 3.747 / 2.132 on the plain scale", () => {
    const values = [3, 7, 4, 9, 6];
    const e95 = estimate(values, 0.95);
    const e99 = estimate(values, 0.99);
    expect(e95.mean - e95.ci![0]).toBeCloseTo(e95.ci![1] - e95.mean, 12);
    expect((e99.ci![1] - e99.mean) / (e95.ci![1] - e95.mean)).toBeCloseTo(3.747 / 2.132, 2);
  });

  it("halfWidth is half the distance between the bounds", () => {
    const e = estimate([0, 1.4, 1.4], 0.95, "percent");
    expect(halfWidth(e)).toBeCloseTo((e.ci![1] - e.ci![0]) / 2, 12);
  });
});
