// StageBreakdown: the stages of the slowest observations, on hand-computed cases.
import { describe, expect, it } from "vitest";
import { bucketByLog, bucketOf, StageBreakdown } from "../../src/metrics/stages.js";

describe("StageBreakdown", () => {
  it("the slowest share averages each stage over the observations in it, the last bucket's in proportion (hand-computed)", () => {
    const b = new StageBreakdown(3);
    b.recordAt(0, [10, 20, 30], 2); // total 60 µs, twice
    b.recordAt(0, [1_000, 500, 500], 1); // total 2,000 µs
    b.recordAt(0, [-5, 3_000, 1_000], 3); // a negative stage counts 0: total 4,000 µs, three times
    expect(b.count).toBe(6);
    // The slowest two thirds: the three of 4,000 µs and the one of 2,000 µs.
    const tail = b.slowest(4 / 6);
    expect(tail.count).toBeCloseTo(4, 12);
    expect(tail.meanUs).toBeCloseTo((2_000 + 3 * 4_000) / 4, 9);
    expect(tail.stageMeansUs[0]).toBeCloseTo(1_000 / 4, 9);
    expect(tail.stageMeansUs[1]).toBeCloseTo((500 + 9_000) / 4, 9);
    expect(tail.stageMeansUs[2]).toBeCloseTo((500 + 3_000) / 4, 9);
    // The slowest sixth: half of the bucket of 4,000 µs, whose observations are alike.
    const top = b.slowest(1 / 6);
    expect(top.count).toBeCloseTo(1, 12);
    expect(top.meanUs).toBeCloseTo(4_000, 9);
    expect(top.stageMeansUs.map((x) => Math.round(x))).toEqual([0, 3_000, 1_000]);
  });

  it("record3At adds exactly what recordAt adds with the same three stages, warmup included", () => {
    const a = new StageBreakdown(3, 100);
    const b = new StageBreakdown(3, 100);
    const obs: [number, number, number, number, number][] = [
      [50, 1, 2, 3, 4], // before the warmup: left out
      [100, 0.5, 1_234.25, -7, 3],
      [200, 7_000_000, 1, 2, 1],
      [300, 0, 0, 0, 5],
    ];
    for (const [at, x, y, z, n] of obs) {
      a.recordAt(at, [x, y, z], n);
      b.record3At(at, x, y, z, n);
    }
    for (const share of [1, 0.5, 0.01]) expect(b.slowest(share)).toEqual(a.slowest(share));
    expect(b.count).toBe(9);
    expect(() => new StageBreakdown(2).record3At(0, 1, 2, 3, 1)).toThrow(/2 stages/);
  });
});

describe("bucketOf", () => {
  const bits = new Float64Array(1);
  const bitsInt = new BigInt64Array(bits.buffer);
  const step = (x: number, n: number) => {
    bits[0] = x;
    bitsInt[0]! += BigInt(n);
    return bits[0]!;
  };

  it("finds the bucket floor(log2(us) × 8) (its definition) on each side of every bucket's edge, to 64 doubles away", () => {
    let checked = 0;
    const wrong: number[] = [];
    for (let k = 1; k <= 42 * 8; k++) {
      const edge = 2 ** (k / 8);
      for (let n = -64; n <= 64; n++) {
        const x = step(edge, n);
        if (bucketOf(x) !== bucketByLog(x)) wrong.push(x);
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(336 * 129);
    // A doubling starts at its power of two (the double just below it may round up to it in log2: the checks above).
    for (let e = 0; e < 42; e++) expect(bucketOf(2 ** e)).toBe(8 * e);
  });

  it("agrees with the definition on values of every size, whole and fractional, and on the edge cases", () => {
    let x = 0.37;
    const wrong: number[] = [];
    let highest = 0;
    for (let i = 0; i < 200_000; i++) {
      x = (x * 1.000_713 + 0.611) % 5e13;
      highest = Math.max(highest, x); // walks from below 1 µs past 2^42 µs, fractions included
      if (bucketOf(x) !== bucketByLog(x)) wrong.push(x);
      if (bucketOf(Math.floor(x)) !== bucketByLog(Math.floor(x))) wrong.push(Math.floor(x));
    }
    expect(wrong).toEqual([]);
    expect(highest).toBeGreaterThan(2 ** 42); // the walk got there
    for (const v of [0, -3, 0.999, 1, 1.5, 2 ** 31 - 0.5, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 0.5, 2 ** 42 - 1, 2 ** 42, 1e300, Infinity, -Infinity]) {
      expect(bucketOf(v), `${v}`).toBe(bucketByLog(v));
    }
    expect(bucketOf(2 ** 42)).toBe(42 * 8 - 1);
    expect(bucketOf(NaN)).toBeNaN();
  });
});
