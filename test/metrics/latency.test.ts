// Latency histograms on hand-made sets of values. HDR with 3 significant digits reports each value as the
// highest value equivalent to it, within 0.1% (values below 2,048 µs are kept exactly).
import fc from "fast-check";
import * as hdr from "hdr-histogram-js";
import { describe, expect, it } from "vitest";
import { LatencyHistogram, hdrHistogramsAlive, hdrIndex, hdrLowest, releasingHistograms } from "../../src/metrics/latency.js";
import { simulateScenario } from "../../src/run.js";
import { ScenarioSchema } from "../../src/spec/index.js";

const YEAR_US = 366 * 24 * 3_600 * 1_000_000;

/** hdr-histogram-js itself, as LatencyHistogram configures it. */
function plainHdr(useWebAssembly: boolean): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: YEAR_US, numberOfSignificantValueDigits: 3, bitBucketSize: 64, useWebAssembly });
}

/** What LatencyHistogram.record does to a value before HDR sees it. */
const asRecorded = (v: number) => Math.min(YEAR_US, v < 0 ? 0 : Math.round(v));

/** Everything a read can see of an HDR histogram. */
function view(h: hdr.Histogram) {
  const pct = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100].map((p) => h.getValueAtPercentile(p));
  return { total: h.totalCount, mean: h.mean, max: h.maxValue, min: h.minNonZeroValue, pct };
}

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

  it("a percentile never reads above the maximum: 98 × 394 ms and 2 × 835.8 ms give p99 = p99.9 = max = 835.8 ms, not HDR's 836.1 ms (helper-57's 13)", () => {
    const h = new LatencyHistogram();
    h.record(394_000, 98);
    h.record(835_800, 2);
    // HDR answers a percentile with the highest value of its bucket: 835.8 ms's bucket (512 µs wide here) ends at 836,095 µs.
    const plain = plainHdr(true);
    plain.recordValueWithCount(394_000, 98);
    plain.recordValueWithCount(835_800, 2);
    expect(plain.getValueAtPercentile(99)).toBeGreaterThan(835_800);
    plain.destroy();
    const s = h.summary();
    expect(s.max).toBe(835_800);
    expect(s.p99).toBe(835_800);
    expect(s.p999).toBe(835_800);
    expect(h.percentile(99)).toBe(835_800);
    expect(h.cdf(100).at(-1)!.value).toBe(835_800);
    withinHdr(s.p50, 394_000);
  });

  it("a value beyond a year is clamped to 366 days", () => {
    const h = new LatencyHistogram();
    const year = 366 * 24 * 3_600 * 1_000_000;
    h.record(year * 2);
    withinHdr(h.summary().max, year);
  });

  describe("counting in JS, handed to HDR when read, is recording each observation into HDR", () => {
    it("hdrIndex is hdr-histogram-js's countsArrayIndex, and hdrLowest its lowest equivalent value (every power of two ± 3, 0..5,000, random values)", () => {
      const js = plainHdr(false) as unknown as { countsArrayIndex(v: number): number; lowestEquivalentValue(v: number): number };
      const values: number[] = [];
      for (let v = 0; v <= 5_000; v++) values.push(v);
      for (let e = 11; e <= 45; e++) for (let d = -3; d <= 3; d++) values.push(2 ** e + d);
      for (let i = 0; i < 20_000; i++) values.push(Math.floor(2 ** ((i * 0.618034) % 44.8)));
      for (const v of values.filter((x) => x >= 0 && x <= YEAR_US)) {
        expect(hdrIndex(v), `index of ${v}`).toBe(js.countsArrayIndex(v));
        expect(hdrLowest(hdrIndex(v)), `lowest of ${v}`).toBe(js.lowestEquivalentValue(v));
      }
    });

    const observation = fc.record({
      value: fc.oneof(fc.integer({ min: -10, max: 5_000 }), fc.double({ min: 0, max: 1e14, noNaN: true })),
      count: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.constantFrom(0.5, 2.75)),
    });

    it("the same total, mean, maximum, minimum and percentiles as HDR fed every observation, read once or between records (fast-check)", () => {
      fc.assert(
        fc.property(fc.array(observation, { maxLength: 60 }), fc.array(fc.nat(60), { maxLength: 3 }), (obs, readsAt) => {
          const mine = new LatencyHistogram();
          const plain = plainHdr(true);
          const inside = mine as unknown as { hdr(): hdr.Histogram };
          obs.forEach((o, i) => {
            mine.record(o.value, o.count);
            if (o.count > 0) plain.recordValueWithCount(asRecorded(o.value), o.count);
            if (readsAt.includes(i)) expect(mine.count).toBe(plain.totalCount);
            if (readsAt.includes(i)) expect(view(inside.hdr())).toEqual(view(plain));
          });
          expect(mine.count).toBe(plain.totalCount);
          // Each figure as HDR's, never above the maximum (see "a percentile never reads above the maximum").
          const upToMax = (v: number) => Math.min(v, plain.maxValue);
          const at = (p: number) => upToMax(plain.getValueAtPercentile(p));
          if (plain.totalCount > 0) expect(mine.summary()).toEqual({ count: plain.totalCount, mean: upToMax(plain.mean), p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: plain.maxValue });
          expect(view(inside.hdr())).toEqual(view(plain));
          plain.destroy();
        }),
        { numRuns: 300 },
      );
    });

    it("a bucket's lowest value below the minimum does not become the minimum (2,049..2,051 µs share a bucket from 2,048)", () => {
      const h = new LatencyHistogram();
      h.record(2_049, 3);
      h.record(2_051, 2);
      const inside = (h as unknown as { hdr(): hdr.Histogram }).hdr();
      expect(hdrLowest(hdrIndex(2_049))).toBe(2_048);
      expect(inside.minNonZeroValue).toBe(2_049);
      expect(inside.maxValue).toBe(2_051);
      expect(inside.totalCount).toBe(5);
    });

    it("add() hands both sides over: the sum of two histograms read and recorded in turn", () => {
      const a = new LatencyHistogram();
      const b = new LatencyHistogram();
      const plain = plainHdr(true);
      for (const [h, v, c] of [[a, 10, 3], [b, 70_000, 2], [a, 3_000_001, 1], [b, 5, 4]] as const) {
        h.record(v, c);
        plain.recordValueWithCount(v, c);
      }
      expect(b.summary().count).toBe(6);
      b.record(123_456, 7);
      plain.recordValueWithCount(123_456, 7);
      a.add(b);
      expect(view((a as unknown as { hdr(): hdr.Histogram }).hdr())).toEqual(view(plain));
      plain.destroy();
    });
  });
});

describe("LatencyHistogram.recordAllOf", () => {
  // The KPL fills its round trip from send from its round trip when a request first waits (kpl.ts recordFirstRoundTrip):
  // what recordAllOf gives must be what recording the same observations there gives, to the summary's last digit.
  it("gives the summary that recording the same observations gives, before and after more are recorded", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5e9 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5e9 }), fc.integer({ min: 1, max: 1000 })), { maxLength: 40 }),
        (first, later) => {
          const source = new LatencyHistogram();
          const copied = new LatencyHistogram();
          const direct = new LatencyHistogram();
          for (const [v, n] of first) {
            source.record(v, n);
            direct.record(v, n);
          }
          copied.recordAllOf(source);
          for (const [v, n] of later) {
            copied.record(v, n);
            direct.record(v, n);
          }
          expect(copied.summary()).toEqual(direct.summary());
          expect(copied.count).toBe(first.reduce((t, [, n]) => t + n, 0) + later.reduce((t, [, n]) => t + n, 0));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("after its source was read (its counts handed to HDR), adds what it holds", () => {
    const source = new LatencyHistogram();
    source.record(1_000, 3);
    source.record(250_000, 1);
    expect(source.summary().max).toBe(250_000);
    const copied = new LatencyHistogram();
    copied.recordAllOf(source);
    expect(copied.count).toBe(4);
    expect(copied.summary().p50).toBeCloseTo(1_000, -1);
  });
});

describe("the WebAssembly memory of HDR histograms", () => {
  it("releasingHistograms frees the HDR histograms made while it ran; reading one afterwards throws, others are untouched", () => {
    const before = hdrHistogramsAlive();
    const outside = new LatencyHistogram();
    outside.record(5);
    expect(outside.summary().count).toBe(1); // made outside any release scope
    const inside = new LatencyHistogram();
    const summary = releasingHistograms(() => {
      inside.record(1_000, 3);
      const s = inside.summary();
      expect(hdrHistogramsAlive()).toBe(before + 2);
      return s;
    });
    expect(summary).toMatchObject({ count: 3, max: 1_000 });
    expect(hdrHistogramsAlive()).toBe(before + 1);
    expect(() => inside.summary()).toThrow(/read after its run's summary released it/);
    expect(outside.summary().count).toBe(1);
  });

  it("a run leaves none alive: its summary frees them (a loop of runs in one call stays flat)", () => {
    const scenario = ScenarioSchema.parse({
      name: "t",
      seed: 1,
      duration: "2m",
      stream: { shards: 2 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "100B" } }],
      consumers: [{ name: "c", kind: "kcl", workers: 1 }],
      firehose: [{ name: "f", source: "t", buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "s3" } }],
    });
    const before = hdrHistogramsAlive();
    for (let i = 0; i < 3; i++) simulateScenario(scenario);
    expect(hdrHistogramsAlive()).toBe(before);
  });
});
