// A value beside an SLO's target prints on the side of the target it is: rounding must not turn a missed SLO's
// 1.00046% into "1%" (≤ 1%, read as met) in the sweep table or its sentences (helper-57's 12).

import { describe, expect, it } from "vitest";
import { cell, show, showTarget } from "../../src/sweep/format.js";
import type { Estimate } from "../../src/sweep/stats.js";

const estimate = (mean: number, lower: number, upper: number): Estimate => ({ n: 3, mean, sd: 0.1, ci: [lower, upper] });

describe("values against an SLO's target", () => {
  it("enrichment-pipeline's 2 shards: upper bound 1.00046% against ≤ 1% is 1.0005 (3 decimals round it to 1, 4 do not)", () => {
    expect(cell(estimate(0.264, 0.069, 1.00046), "%", 1)).toBe("0.264% [0.069, 1.0005]");
    expect(show(1.00046, "%", undefined, 1)).toBe("1.0005%");
    // Nothing to compare with: the usual 3 decimals.
    expect(cell(estimate(0.264, 0.069, 1.00046), "%")).toBe("0.264% [0.069, 1]");
  });

  it("a mean just over the target, on average over it: 1.0004% is not '1%'", () => {
    expect(show(1.0004, "%", undefined, 1)).toBe("1.0004%");
    // At or under the target, rounding up to it keeps its side: 0.9996% against ≤ 1% is 1 (≤ 1).
    expect(show(0.9996, "%", undefined, 1)).toBe("1%");
  });

  it("a value under the target that 3 decimals would carry over it: 0.09996% against ≤ 0.09998% is 0.09996, and the target prints as set", () => {
    expect(show(0.09996, "%", undefined, 0.09998)).toBe("0.09996%");
    expect(showTarget(0.09998, "%")).toBe("0.09998%");
    expect(showTarget(1, "%")).toBe("1%");
  });

  it("in seconds: an upper bound of 30.02 s against ≤ 30 s is 30.02, not 30", () => {
    expect(cell(estimate(20_000, 19_000, 30_020), "ms", 30_000)).toBe("20 s [19, 30.02]");
    expect(show(30_020, "ms", undefined, 30_000)).toBe("30.02 s");
    expect(showTarget(30_000, "ms")).toBe("30 s");
  });
});

describe("a monthly cost and its bounds", () => {
  it("group thousands in the bounds as in the mean, with cents (stop 38 left '$12,345.60 [11980.25, 12710.95]')", () => {
    expect(cell(estimate(12_345.6, 11_980.25, 12_710.95), "USD/month")).toBe("$12,345.60 [11,980.25, 12,710.95]");
    expect(cell(estimate(186.67, 175.55, 198.5), "USD/month")).toBe("$186.67 [175.55, 198.50]");
  });
});
