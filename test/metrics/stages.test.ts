// StageBreakdown: the stages of the slowest observations, on hand-computed cases.
import { describe, expect, it } from "vitest";
import { StageBreakdown } from "../../src/metrics/stages.js";

describe("StageBreakdown", () => {
  it("the tail above a threshold averages each stage over the observations in it (hand-computed)", () => {
    const b = new StageBreakdown(3);
    b.recordAt(0, [10, 20, 30], 2); // total 60 µs, twice
    b.recordAt(0, [1_000, 500, 500], 1); // total 2,000 µs
    b.recordAt(0, [-5, 3_000, 1_000], 3); // a negative stage counts 0: total 4,000 µs, three times
    expect(b.count).toBe(6);
    const tail = b.tail(1_500);
    expect(tail.count).toBe(4);
    expect(tail.meanUs).toBe((2_000 + 3 * 4_000) / 4);
    expect(tail.stageMeansUs).toEqual([1_000 / 4, (500 + 9_000) / 4, (500 + 3_000) / 4]);
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
    for (const threshold of [0, 1_000, 5_000_000]) expect(b.tail(threshold)).toEqual(a.tail(threshold));
    expect(b.count).toBe(9);
    expect(() => new StageBreakdown(2).record3At(0, 1, 2, 3, 1)).toThrow(/2 stages/);
  });
});
