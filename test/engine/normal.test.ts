// erfc and Φ against reference values printed by CPython 3.11 (repr, so every digit of the double), all
// independent of Cody's rational approximations in src/engine/normal.ts:
//   math.erfc(x) (the C library's erfc; mpmath.erfc at 40 digits agrees within 2e-16)   for ERFC_CASES
//   mpmath.ncdf(x) at 40 digits                                                          for CDF_CASES
//   statistics.NormalDist().cdf(x)                                                       for NORMALDIST_CASES
import { describe, expect, it } from "vitest";
import { erfc, normalCdf } from "../../src/engine/normal.js";

// [x, math.erfc(x)]. The points straddle Cody's three ranges (|x| ≤ 0.46875, ≤ 4, > 4) on both signs.
const ERFC_CASES: [number, number][] = [
  [-3, 1.9999779095030015],
  [-1, 1.842700792949715],
  [-0.5, 1.5204998778130465],
  [-0.46875, 1.492613473217938],
  [-0.2, 1.2227025892104786],
  [0, 1.0],
  [1e-20, 1.0],
  [0.2, 0.7772974107895215],
  [0.46875, 0.507386526782062],
  [0.47, 0.5062549491139179],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [2, 0.004677734981047265],
  [3.9, 3.479224859723177e-8],
  [4, 1.541725790028002e-8],
  [4.01, 1.4196939421371052e-8],
  [5, 1.5374597944280351e-12],
  [6, 2.1519736712498916e-17],
  [8, 1.1224297172982928e-29],
  [10, 2.088487583762545e-45],
  [26, 5.663192408856143e-296],
];

// [x, Φ(x)] from mpmath.ncdf(x) at 40 digits, rounded to a double. statistics.NormalDist().cdf(x) agrees
// with these to within an ulp for x ≥ −2, but it computes 0.5·(1 + erf(x/√2)), which cancels in the lower
// tail: it gives 6.106e-16 at x = −8 where the true value is 6.221e-16 (and 2.86651571868e-7 at −5, off by
// 4e-11 relative). So the lower tail is checked against mpmath, and the NormalDist values are checked below
// where they are accurate.
const CDF_CASES: [number, number][] = [
  [-8, 6.220960574271784e-16],
  [-6, 9.86587645037698e-10],
  [-5, 2.866515718791939e-7],
  [-4, 3.1671241833119924e-5],
  [-3, 0.0013498980316300946],
  [-2.5, 0.006209665325776135],
  [-2, 0.02275013194817921],
  [-1.5, 0.06680720126885807],
  [-1, 0.15865525393145705],
  [-0.5, 0.3085375387259869],
  [-0.25, 0.4012936743170763],
  [0, 0.5],
  [0.1, 0.539827837277029],
  [0.25, 0.5987063256829237],
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [1.5, 0.9331927987311419],
  [2, 0.9772498680518208],
  [2.5, 0.9937903346742238],
  [3, 0.9986501019683699],
  [4, 0.9999683287581669],
  [5, 0.9999997133484281],
  [6, 0.9999999990134123],
  [8, 0.9999999999999993],
];

// [x, statistics.NormalDist().cdf(x)] where that formula does not cancel (x ≥ −2).
const NORMALDIST_CASES: [number, number][] = [
  [-2, 0.02275013194817921],
  [-1, 0.15865525393145707],
  [0.5, 0.6914624612740131],
  [2, 0.9772498680518208],
  [5, 0.9999997133484282],
];

const REL = 1e-14;

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe("erfc", () => {
  it.each(ERFC_CASES)("erfc(%s) is %s to 1e-14 relative", (x, expected) => {
    expect(relativeError(erfc(x), expected)).toBeLessThan(REL);
  });

  it("erfc(27) is 0 (math.erfc(27) is the subnormal 5.24e-319; Cody's approximation stops at 26.6)", () => {
    expect(erfc(27)).toBe(0);
  });

  it("erfc(-30) is 2", () => {
    expect(erfc(-30)).toBe(2);
  });

  it("erfc(-x) + erfc(x) is 2 at 0.3, 1.7, 3.2 and 5.5", () => {
    for (const x of [0.3, 1.7, 3.2, 5.5]) expect(erfc(-x) + erfc(x)).toBeCloseTo(2, 15);
  });
});

describe("normalCdf", () => {
  it.each(CDF_CASES)("normalCdf(%s) is %s to 1e-14 relative", (x, expected) => {
    expect(relativeError(normalCdf(x), expected)).toBeLessThan(REL);
  });

  it.each(NORMALDIST_CASES)("normalCdf(%s) is NormalDist().cdf = %s to 1e-14 relative", (x, expected) => {
    expect(relativeError(normalCdf(x), expected)).toBeLessThan(REL);
  });

  it("normalCdf(-8) + normalCdf(8) is 1 within an ulp of 1", () => {
    expect(Math.abs(normalCdf(-8) + normalCdf(8) - 1)).toBeLessThanOrEqual(2 ** -52);
  });

  it("normalCdf(2.3263478740408408) is 0.99 (the 99th percentile)", () => {
    // NormalDist().inv_cdf(0.99) == 2.3263478740408408
    expect(normalCdf(2.3263478740408408)).toBeCloseTo(0.99, 15);
  });
});
