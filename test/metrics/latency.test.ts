// Latency histograms on hand-made sets of values. HDR with 3 significant digits reports each value as the
// highest value equivalent to it, within 0.1% (values below 2,048 µs are kept exactly).
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/metrics/latency.js";

const withinHdr = (actual: number, expected: number) => {
  expect(actual).toBeGreaterThanOrEqual(expected);
  expect(actual).toBeLessThanOrEqual(expected * 1.001);
};

/** 1..n µs, each once. */
function oneToN(n: number, scale = 1): LatencyHistogram {
  const h = new LatencyHistogram();
  for (let v = 1; v <= n; v++) h.record(v * scale);
  return h;
}

describe("LatencyHistogram", () => {
  it("1..1000 µs each once: count 1000, mean 500.5, p50 500, p90 900, p99 990, p99.9 999, max 1000", () => {
    const s = oneToN(1_000).summary();
    expect(s.count).toBe(1_000);
    withinHdr(s.mean, 500.5);
    withinHdr(s.p50, 500);
    withinHdr(s.p90, 900);
    withinHdr(s.p99, 990);
    withinHdr(s.p999, 999);
    withinHdr(s.max, 1_000);
  });

  it("1..1000 ms (in µs) each once: p50 ≈ 500 ms, p99 ≈ 990 ms, max ≈ 1 s within 0.1%", () => {
    const s = oneToN(1_000, 1_000).summary();
    withinHdr(s.p50, 500_000);
    withinHdr(s.p99, 990_000);
    withinHdr(s.max, 1_000_000);
    expect(Math.abs(s.mean - 500_500) / 500_500).toBeLessThan(0.001);
  });

  it("percentile(25) of 1..1000 µs is 250", () => {
    withinHdr(oneToN(1_000).percentile(25), 250);
  });

  it("record(100, 999) and record(10000, 1): p50 = p99 = p99.9 = 100, max ≈ 10000, mean ≈ 109.9", () => {
    const h = new LatencyHistogram();
    h.record(100, 999);
    h.record(10_000, 1);
    const s = h.summary();
    expect(s.count).toBe(1_000);
    withinHdr(s.p50, 100);
    withinHdr(s.p99, 100);
    withinHdr(s.p999, 100);
    withinHdr(s.max, 10_000);
    expect(Math.abs(s.mean - (999 * 100 + 10_000) / 1_000) / 109.9).toBeLessThan(0.001);
  });

  it("record(v, 0) records nothing; record of a negative value counts as 0 µs; fractions are rounded", () => {
    const h = new LatencyHistogram();
    h.record(500, 0);
    expect(h.count).toBe(0);
    h.record(-5);
    h.record(2.6);
    expect(h.count).toBe(2);
    expect(h.percentile(50)).toBe(0);
    expect(h.summary().max).toBe(3);
  });

  it("add() of 1..500 and 501..1000 gives the summary of 1..1000", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let v = 1; v <= 500; v++) a.record(v);
    for (let v = 501; v <= 1_000; v++) b.record(v);
    a.add(b);
    expect(a.summary()).toEqual(oneToN(1_000).summary());
    expect(b.count).toBe(500);
  });

  it("an empty histogram's summary is all zeros, its percentiles 0 and its cdf empty", () => {
    const h = new LatencyHistogram();
    expect(h.summary()).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
    expect(h.percentile(99)).toBe(0);
    expect(h.cdf()).toEqual([]);
  });

  it("cdf() of 1..1000 µs has 200 points, values non-decreasing, fractions rising to 1 at the max", () => {
    const h = oneToN(1_000);
    const c = h.cdf();
    expect(c).toHaveLength(200);
    for (let i = 1; i < c.length; i++) {
      expect(c[i]!.value).toBeGreaterThanOrEqual(c[i - 1]!.value);
      expect(c[i]!.fraction).toBeGreaterThan(c[i - 1]!.fraction);
    }
    expect(c.at(-1)!.fraction).toBe(1);
    withinHdr(c.at(-1)!.value, 1_000);
    // Point i is the value at fraction i/200: the 100th is the median.
    withinHdr(c[99]!.value, 500);
  });

  it("cdf(4) of 1..1000 µs is 250, 500, 750, 1000 at fractions 0.25, 0.5, 0.75, 1", () => {
    const c = oneToN(1_000).cdf(4);
    expect(c.map((p) => p.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
    [250, 500, 750, 1_000].forEach((v, i) => withinHdr(c[i]!.value, v));
  });

  it("a value beyond a year is clamped to 366 days", () => {
    const h = new LatencyHistogram();
    const year = 366 * 24 * 3_600 * 1_000_000;
    h.record(year * 2);
    withinHdr(h.summary().max, year);
  });
});
