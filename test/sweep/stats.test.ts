// Mean, sample standard deviation and the Student-t confidence interval, against hand computation and the
// printed t-table (two-sided 95%: t(0.975, 2) = 4.303, t(0.975, 4) = 2.776, t(0.975, 9) = 2.262).

import { describe, expect, it } from "vitest";
import { estimate, tQuantile } from "../../src/sweep/stats.js";

describe("tQuantile", () => {
  it.each([
    [0.95, 3, 4.303],
    [0.95, 5, 2.776],
    [0.95, 10, 2.262],
    [0.95, 31, 2.042],
    [0.9, 3, 2.92],
    [0.99, 5, 4.604],
  ])("a %s interval from %i values uses the t-table's %s", (confidence, n, table) => {
    // The table prints 3 decimals.
    expect(Math.abs(tQuantile(confidence, n) - table)).toBeLessThan(0.0005);
  });
});

describe("estimate", () => {
  it("[2, 4, 6] at 95%: mean 4, sd 2, interval 4 ± 4.303·2/√3 = [−0.9687, 8.9687]", () => {
    const e = estimate([2, 4, 6], 0.95);
    expect(e.n).toBe(3);
    expect(e.mean).toBe(4);
    expect(e.sd).toBe(2);
    const half = (4.303 * 2) / Math.sqrt(3); // 4.96867
    expect(e.ci![0]).toBeCloseTo(4 - half, 3);
    expect(e.ci![1]).toBeCloseTo(4 + half, 3);
  });

  it("[1, 2, 3, 4, 5] at 95%: mean 3, sd √2.5 = 1.5811, interval 3 ± 2.776·1.5811/√5 = [1.0371, 4.9629]", () => {
    const e = estimate([1, 2, 3, 4, 5], 0.95);
    expect(e.mean).toBe(3);
    expect(e.sd).toBeCloseTo(1.581139, 6);
    expect(e.ci![0]).toBeCloseTo(1.0371, 3);
    expect(e.ci![1]).toBeCloseTo(4.9629, 3);
  });

  it("1..10 at 95%: mean 5.5, sd √(82.5/9) = 3.0277, interval 5.5 ± 2.262·3.0277/√10 = [3.3343, 7.6657]", () => {
    const e = estimate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95);
    expect(e.n).toBe(10);
    expect(e.mean).toBe(5.5);
    expect(e.sd).toBeCloseTo(3.027650, 6);
    expect(e.ci![0]).toBeCloseTo(3.3343, 3);
    expect(e.ci![1]).toBeCloseTo(7.6657, 3);
  });

  it("[10, 12] at 90%: mean 11, sd √2, interval 11 ± 6.314·√2/√2 = [4.686, 17.314] (t(0.95, 1) = 6.314)", () => {
    const e = estimate([10, 12], 0.9);
    expect(e.mean).toBe(11);
    expect(e.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(e.ci![0]).toBeCloseTo(4.686, 3);
    expect(e.ci![1]).toBeCloseTo(17.314, 3);
  });

  it("one value: that value as the mean, sd 0 and no interval (ci null)", () => {
    expect(estimate([3.5], 0.95)).toEqual({ n: 1, mean: 3.5, sd: 0, ci: null });
  });

  it("three replications of 0.1 give exactly 0.1 as the mean, sd 0 and the interval [0.1, 0.1]", () => {
    // (0.1 + 0.1 + 0.1) / 3 is 0.10000000000000002 in floating point: an SLO of 0.1 that every replication
    // meets exactly would then be missed.
    expect(estimate([0.1, 0.1, 0.1], 0.95)).toEqual({ n: 3, mean: 0.1, sd: 0, ci: [0.1, 0.1] });
  });

  it("equal values give exactly that value as the mean whatever the value and count", () => {
    for (const x of [0.3, 0.7, 1.1, 20.48, 99.9]) {
      for (const n of [2, 3, 5, 7, 10]) {
        const e = estimate(Array<number>(n).fill(x), 0.95);
        expect(e.mean).toBe(x);
        expect(e.sd).toBe(0);
        expect(e.ci).toEqual([x, x]);
      }
    }
  });

  it("the interval is symmetric about the mean and widens with the confidence", () => {
    const values = [3, 7, 4, 9, 6];
    const e90 = estimate(values, 0.9);
    const e99 = estimate(values, 0.99);
    expect(e90.mean - e90.ci![0]).toBeCloseTo(e90.ci![1] - e90.mean, 12);
    // Half-widths scale with t: t(0.95, 4) = 2.132, t(0.995, 4) = 4.604.
    expect((e99.ci![1] - e99.mean) / (e90.ci![1] - e90.mean)).toBeCloseTo(4.604 / 2.132, 2);
  });
});
