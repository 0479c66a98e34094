// Statistical checks of the engine's distributions, with fixed seeds (so each test is deterministic) and
// stated tolerances. Discrete distributions are checked by a chi-square goodness-of-fit test against the
// exact pmf computed here independently of src/ (ln n! by summing logs, not src's logGamma); continuous
// ones by chi-square over bins with exact probabilities, plus moments within 4 standard errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AliasTable } from "../../src/engine/alias.js";
import { binomial } from "../../src/engine/binomial.js";
import { multinomial, MultinomialSampler } from "../../src/engine/multinomial.js";
import { poisson, poissonMinMean } from "../../src/engine/poisson.js";
import { RandomStream, lognormalFromMedianP99 } from "../../src/engine/random.js";
import { ZipfSampler, zipfProbabilities } from "../../src/engine/zipf.js";

// Upper 0.1% points of the chi-square distribution, χ²(0.999; df) for df = 1..100, i.e. the critical value
// of a test at significance p = 0.001. Same as the NIST/SEMATECH e-Handbook table 1.3.6.7.4 ("upper-tail
// critical values of chi-square", column 0.001); reproduced with scipy.stats.chi2.ppf(0.999, df), 3 decimals.
const CHI2_CRITICAL_P001 = [
  NaN, 10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588,
  31.264, 32.909, 34.528, 36.123, 37.697, 39.252, 40.79, 42.312, 43.82, 45.315,
  46.797, 48.268, 49.728, 51.179, 52.62, 54.052, 55.476, 56.892, 58.301, 59.703,
  61.098, 62.487, 63.87, 65.247, 66.619, 67.985, 69.346, 70.703, 72.055, 73.402,
  74.745, 76.084, 77.419, 78.75, 80.077, 81.4, 82.72, 84.037, 85.351, 86.661,
  87.968, 89.272, 90.573, 91.872, 93.168, 94.461, 95.751, 97.039, 98.324, 99.607,
  100.888, 102.166, 103.442, 104.716, 105.988, 107.258, 108.526, 109.791, 111.055, 112.317,
  113.577, 114.835, 116.092, 117.346, 118.599, 119.85, 121.1, 122.348, 123.594, 124.839,
  126.083, 127.324, 128.565, 129.804, 131.041, 132.277, 133.512, 134.745, 135.978, 137.208,
  138.438, 139.666, 140.893, 142.119, 143.344, 144.567, 145.789, 147.01, 148.23, 149.449,
];

interface ChiSquare {
  stat: number;
  df: number;
  critical: number;
}

/**
 * Pearson's chi-square of observed counts against cell probabilities (same indexing; the probabilities
 * must cover all the mass). Adjacent cells are merged left to right until each expected count is at least
 * max(5, total/80), so df ≤ 80 and the table above applies.
 */
function chiSquare(observed: ArrayLike<number>, probs: ArrayLike<number>): ChiSquare {
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i]!;
  const minExpected = Math.max(5, total / 80);
  const cells: { o: number; e: number }[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < probs.length; i++) {
    o += observed[i]!;
    e += probs[i]! * total;
    if (e >= minExpected) {
      cells.push({ o, e });
      o = 0;
      e = 0;
    }
  }
  if (cells.length === 0) throw new Error("not enough data for a chi-square test");
  const last = cells[cells.length - 1]!;
  last.o += o;
  last.e += e;
  let stat = 0;
  for (const c of cells) stat += ((c.o - c.e) * (c.o - c.e)) / c.e;
  const df = cells.length - 1;
  const critical = CHI2_CRITICAL_P001[df]!;
  if (!(df >= 1 && df <= 100)) throw new Error(`df ${df} outside the table`);
  return { stat, df, critical };
}

function expectFits(observed: ArrayLike<number>, probs: ArrayLike<number>): ChiSquare {
  const result = chiSquare(observed, probs);
  expect(result.stat, `chi-square ${result.stat.toFixed(2)} with ${result.df} df`).toBeLessThan(result.critical);
  return result;
}

/** ln k! for k = 0..n, by summing logs. */
function lnFactorials(n: number): Float64Array {
  const f = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) f[k] = f[k - 1]! + Math.log(k);
  return f;
}

/** Exact binomial pmf P(X = k), k = 0..n, from ln C(n, k) + k ln p + (n − k) ln(1 − p). */
function binomialPmf(n: number, p: number): Float64Array {
  const lf = lnFactorials(n);
  const pmf = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    pmf[k] = Math.exp(lf[n]! - lf[k]! - lf[n - k]! + k * Math.log(p) + (n - k) * Math.log1p(-p));
  }
  return pmf;
}

/** Poisson pmf for k = 0..kMax − 1 and the upper tail P(X ≥ kMax) in the last cell. */
function poissonPmf(mean: number, kMax: number): Float64Array {
  const lf = lnFactorials(kMax);
  const pmf = new Float64Array(kMax + 1);
  let sum = 0;
  for (let k = 0; k < kMax; k++) {
    pmf[k] = Math.exp(-mean + k * Math.log(mean) - lf[k]!);
    sum += pmf[k]!;
  }
  pmf[kMax] = Math.max(0, 1 - sum);
  return pmf;
}

/** Counts of draws 0..cells−1, anything ≥ cells−1 lumped into the last cell. */
function tally(n: number, cells: number, draw: () => number): Float64Array {
  const counts = new Float64Array(cells);
  for (let i = 0; i < n; i++) counts[Math.min(draw(), cells - 1)]!++;
  return counts;
}

/** A uniform source that counts how many uniforms each draw consumed (to tell which branch ran). */
function counting(s: RandomStream): { next: () => number; used: () => number } {
  let n = 0;
  return {
    next: () => {
      n++;
      return s.next();
    },
    used: () => {
      const u = n;
      n = 0;
      return u;
    },
  };
}

function meanVar(xs: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  const mean = sum / xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i]! - mean) ** 2;
  return { mean, variance: ss / (xs.length - 1) };
}

const SEEDED = RandomStream.root("distributions-test");

describe("chi-square helper (negative controls: the check can fail)", () => {
  it("rejects binomial(20, 0.3) draws tested against the pmf of binomial(20, 0.32)", () => {
    const s = SEEDED.fork("control-binomial");
    const counts = tally(100_000, 21, () => binomial(s.next, 20, 0.3));
    const r = chiSquare(counts, binomialPmf(20, 0.32));
    expect(r.stat).toBeGreaterThan(r.critical);
  });

  it("rejects poisson(40) draws tested against the pmf of poisson(40.5)", () => {
    const s = SEEDED.fork("control-poisson");
    const counts = tally(100_000, 121, () => poisson(s.next, 40));
    const r = chiSquare(counts, poissonPmf(40.5, 120));
    expect(r.stat).toBeGreaterThan(r.critical);
  });
});

describe("binomial", () => {
  it.each([
    [0, 0.3, 0],
    [10, 0, 0],
    [10, 1, 10],
    [1_000_000, 0, 0],
    [1_000_000, 1, 1_000_000],
  ])("binomial(next, %s, %s) is always %s", (n, p, expected) => {
    const s = SEEDED.fork("degenerate");
    for (let i = 0; i < 10; i++) expect(binomial(s.next, n, p)).toBe(expected);
  });

  it.each([
    [-1, 0.5],
    [2.5, 0.5],
    [Number.NaN, 0.5],
    [10, -0.1],
    [10, 1.1],
    [10, Number.NaN],
  ])("binomial(next, %s, %s) throws a RangeError", (n, p) => {
    expect(() => binomial(() => 0.5, n, p)).toThrow(RangeError);
  });

  // Which branch ran shows in the uniforms used: inversion takes one per draw (a restart past its bound,
  // ~10 sd out, never happens in 10 000 draws); BTPE takes two per attempt, so always an even number.
  it.each([
    [100, 0.3, "inversion", "one uniform per draw"],
    [40, 0.8, "inversion", "one uniform per draw"],
    [310, 0.1, "BTPE", "an even number of uniforms per draw"],
    [200, 0.7, "BTPE", "an even number of uniforms per draw"],
  ])("binomial(next, %s, %s) takes the %s branch: %s", (n, p, branch) => {
    const c = counting(SEEDED.fork(`binomial-branch:${n}:${p}`));
    const used = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      binomial(c.next, n, p);
      used.add(c.used());
    }
    if (branch === "inversion") expect([...used]).toEqual([1]);
    else expect([...used].every((u) => u >= 2 && u % 2 === 0)).toBe(true);
  });

  // n·min(p, 1 − p) ≤ 30 takes the inversion branch, above it BTPE; p > 0.5 is drawn as n − X(n, 1 − p).
  it.each([
    ["inversion, p < 0.5", 20, 0.3],
    ["inversion, n·p = 30 exactly", 100, 0.3],
    ["inversion, p > 0.5", 40, 0.8],
    ["inversion, tiny p", 100_000, 0.00005],
    ["BTPE, p < 0.5", 1000, 0.1],
    ["BTPE, n·p just above 30", 310, 0.1],
    ["BTPE, p = 0.5", 200, 0.5],
    ["BTPE, p > 0.5", 200, 0.7],
    ["BTPE, large n, small p", 50_000, 0.001],
    ["BTPE, large n, p > 0.5", 100_000, 0.9],
  ])("binomial (%s): n = %s, p = %s fits the exact pmf (chi-square, p = 0.001)", (_branch, n, p) => {
    const s = SEEDED.fork(`binomial:${n}:${p}`);
    const draws = 1_000_000;
    const counts = new Float64Array(n + 1);
    const xs = new Float64Array(draws);
    let invalid = 0;
    for (let i = 0; i < draws; i++) {
      const x = binomial(s.next, n, p);
      if (!(Number.isInteger(x) && x >= 0 && x <= n)) invalid++;
      counts[x]!++;
      xs[i] = x;
    }
    expect(invalid).toBe(0);
    const r = expectFits(counts, binomialPmf(n, p));
    expect(r.df).toBeGreaterThanOrEqual(5);
    // And the mean within 4 standard errors of n·p (the comment in binomial.ts cites a library biased here).
    const { mean } = meanVar(xs);
    expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / draws));
  });
});

describe("poisson", () => {
  it("poisson(next, 0) is 0", () => {
    expect(poisson(() => 0.5, 0)).toBe(0);
  });

  it.each([-1, Number.NaN, Infinity])("poisson(next, %s) throws a RangeError", (mean) => {
    expect(() => poisson(() => 0.5, mean)).toThrow(RangeError);
  });

  it("poisson(next, 1) multiplies uniforms until the product is ≤ e⁻¹: 0.5·0.9 → 1 (hand trace)", () => {
    // e⁻¹ = 0.3679: 0.9 > it (k = 1), 0.9·0.5 = 0.45 > it (k = 2), 0.45·0.5 = 0.225 ≤ it → 2.
    const us = [0.9, 0.5, 0.5];
    let i = 0;
    expect(poisson(() => us[i++]!, 1)).toBe(2);
    expect(i).toBe(3);
    // A first uniform ≤ e⁻¹ gives 0 at once.
    expect(poisson(() => 0.3, 1)).toBe(0);
  });

  it("poisson(next, 9.99) multiplies uniforms: a draw of k uses exactly k + 1 of them", () => {
    const c = counting(SEEDED.fork("poisson-branch-small"));
    const mismatches: [number, number][] = [];
    for (let i = 0; i < 10_000; i++) {
      const k = poisson(c.next, 9.99);
      const used = c.used();
      if (used !== k + 1) mismatches.push([k, used]);
    }
    expect(mismatches).toEqual([]);
  });

  it("poisson(next, 10) takes PTRS: two uniforms per attempt, so an even number per draw", () => {
    const c = counting(SEEDED.fork("poisson-branch-ptrs"));
    const used = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      poisson(c.next, 10);
      used.add(c.used());
    }
    expect([...used].every((u) => u >= 2 && u % 2 === 0)).toBe(true);
    expect(used.has(2)).toBe(true);
  });

  // Mean < 10: multiplication of uniforms; mean ≥ 10: PTRS.
  it.each([
    ["multiplication", 0.2],
    ["multiplication", 3.5],
    ["multiplication", 9.99],
    ["PTRS, at the boundary", 10],
    ["PTRS", 45],
    ["PTRS", 1000],
  ])("poisson (%s) with mean %s fits the exact pmf (chi-square, p = 0.001)", (_branch, mean) => {
    const s = SEEDED.fork(`poisson:${mean}`);
    const draws = 500_000;
    const kMax = Math.ceil(mean + 12 * Math.sqrt(mean) + 10);
    const xs = new Float64Array(draws);
    const counts = new Float64Array(kMax + 1);
    let invalid = 0;
    for (let i = 0; i < draws; i++) {
      const x = poisson(s.next, mean);
      if (!(Number.isInteger(x) && x >= 0)) invalid++;
      counts[Math.min(x, kMax)]!++;
      xs[i] = x;
    }
    expect(invalid).toBe(0);
    expectFits(counts, poissonPmf(mean, kMax));
    const mv = meanVar(xs);
    expect(Math.abs(mv.mean - mean)).toBeLessThan(4 * Math.sqrt(mean / draws));
    // Var of the sample variance ≈ (μ4 − σ⁴)/N with μ4 = λ(1 + 3λ) for a Poisson.
    expect(Math.abs(mv.variance - mean)).toBeLessThan(4 * Math.sqrt((mean * (1 + 3 * mean) - mean * mean) / draws));
  });

  it("RandomStream.poisson and .binomial draw from the stream's own uniforms", () => {
    const a = SEEDED.fork("methods");
    const b = SEEDED.fork("methods");
    for (let i = 0; i < 100; i++) {
      expect(a.poisson(25)).toBe(poisson(b.next, 25));
      expect(a.binomial(500, 0.2)).toBe(binomial(b.next, 500, 0.2));
    }
  });
});

describe("poissonMinMean: E[min(X, c)] for X ~ Poisson(mean)", () => {
  // Against the sum Σ_j min(j, c)·P(X = j) over j = 0 .. mean + 40√mean + 100 with ln j! from CPython's math.lgamma.
  it.each([
    [1, 1, 0.6321205588285577],
    [1, 440, 1],
    [0.5, 1, 0.3934693402873666],
    [3, 2, 1.7510646581606808],
    [50, 50, 47.18374968374034],
    [1000, 990, 981.7798125294465],
  ])("mean %s, c %s: %s", (mean, c, expected) => {
    expect(poissonMinMean(mean, c)).toBeCloseTo(expected, 9);
  });

  it("is 0 for c = 0, the mean for c far above it and c for c far below it", () => {
    expect(poissonMinMean(7, 0)).toBe(0);
    expect(poissonMinMean(7, 1_000)).toBe(7);
    expect(poissonMinMean(1e6, 10)).toBe(10);
  });
});

describe("RandomStream continuous distributions", () => {
  it("exponential(2): mean 0.5 and variance 0.25 within 4 SE; 20 equiprobable bins fit (chi-square, p = 0.001)", () => {
    const s = SEEDED.fork("exponential");
    const rate = 2;
    const draws = 100_000;
    const xs = new Float64Array(draws);
    const bins = 20;
    const counts = new Float64Array(bins);
    for (let i = 0; i < draws; i++) {
      const x = s.exponential(rate);
      xs[i] = x;
      // Bin j holds F(x) in [j/20, (j+1)/20) with F(x) = 1 − e^(−rate·x), the exact CDF.
      counts[Math.min(bins - 1, Math.floor((1 - Math.exp(-rate * x)) * bins))]!++;
    }
    const r = expectFits(counts, new Float64Array(bins).fill(1 / bins));
    expect(r.df).toBe(19);
    const mv = meanVar(xs);
    // SE of the mean: σ/√N = 0.5/√N. SE of the variance: √((μ4 − σ⁴)/N) with μ4 = 9/λ⁴, σ⁴ = 1/λ⁴.
    expect(Math.abs(mv.mean - 0.5)).toBeLessThan((4 * 0.5) / Math.sqrt(draws));
    expect(Math.abs(mv.variance - 0.25)).toBeLessThan(4 * Math.sqrt(8 / rate ** 4 / draws));
  });

  it("normal(3, 2): mean 3 and variance 4 within 4 SE; decile bins fit (chi-square, p = 0.001)", () => {
    const s = SEEDED.fork("normal");
    const draws = 100_000;
    // Φ⁻¹(0.1), …, Φ⁻¹(0.9) from scipy.stats.norm.ppf.
    const deciles = [
      -1.2815515655446004, -0.8416212335729142, -0.5244005127080409, -0.2533471031357997, 0,
      0.2533471031357997, 0.5244005127080407, 0.8416212335729143, 1.2815515655446004,
    ];
    const counts = new Float64Array(10);
    const xs = new Float64Array(draws);
    for (let i = 0; i < draws; i++) {
      const x = s.normal(3, 2);
      xs[i] = x;
      const z = (x - 3) / 2;
      let bin = 0;
      while (bin < 9 && z >= deciles[bin]!) bin++;
      counts[bin]!++;
    }
    const r = expectFits(counts, new Float64Array(10).fill(0.1));
    expect(r.df).toBe(9);
    const mv = meanVar(xs);
    // SE of the mean σ/√N; of the variance σ²·√(2/N) (normal: μ4 = 3σ⁴).
    expect(Math.abs(mv.mean - 3)).toBeLessThan((4 * 2) / Math.sqrt(draws));
    expect(Math.abs(mv.variance - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / draws));
  });

  it.each([
    // [description, predicate on z, exact probability (scipy.stats.norm.cdf)]
    ["z ≤ −1.96", (z: number) => z <= -1.96, 0.024997895148220435],
    ["z ≤ 0", (z: number) => z <= 0, 0.5],
    ["|z| ≤ 1", (z: number) => Math.abs(z) <= 1, 0.6826894921370859],
    ["z ≤ 1", (z: number) => z <= 1, 0.8413447460685429],
    ["z > 2.3263478740408408", (z: number) => z > 2.3263478740408408, 0.01],
  ])("standardNormal(): frequency of %s is within 4 SE of its probability", (_label, pred, prob) => {
    const s = SEEDED.fork("standard-normal-quantiles");
    const draws = 100_000;
    let hits = 0;
    for (let i = 0; i < draws; i++) if (pred(s.standardNormal())) hits++;
    expect(Math.abs(hits / draws - prob)).toBeLessThan(4 * Math.sqrt((prob * (1 - prob)) / draws));
  });

  it("lognormal from lognormalFromMedianP99(700, 6144): sampled median and p99 within 4 SE of 700 and 6144", () => {
    const s = SEEDED.fork("lognormal");
    const { mu, sigma } = lognormalFromMedianP99(700, 6144);
    const draws = 200_000;
    const xs = new Float64Array(draws);
    for (let i = 0; i < draws; i++) xs[i] = s.lognormal(mu, sigma);
    xs.sort();
    const median = xs[Math.floor(0.5 * draws)]!;
    const p99 = xs[Math.floor(0.99 * draws)]!;
    // Asymptotic SE of a sample q-quantile of ln X ~ N(mu, sigma²): sigma·√(q(1−q)/N)/φ(z_q), φ the normal pdf.
    const phi = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    const seMedian = (sigma * Math.sqrt(0.25 / draws)) / phi(0);
    const seP99 = (sigma * Math.sqrt(0.0099 / draws)) / phi(2.3263478740408408);
    expect(Math.abs(Math.log(median / 700))).toBeLessThan(4 * seMedian); // ≈ 1.0% relative
    expect(Math.abs(Math.log(p99 / 6144))).toBeLessThan(4 * seP99); // ≈ 3.1% relative
  });
});

describe("AliasTable", () => {
  it.each([
    ["[]", []],
    ["[1, -1]", [1, -1]],
    ["[0, 0, 0]", [0, 0, 0]],
    ["[1, NaN]", [1, Number.NaN]],
    ["[1, Infinity]", [1, Infinity]],
  ])("new AliasTable(%s) throws a RangeError", (_label, weights) => {
    expect(() => new AliasTable(weights)).toThrow(RangeError);
  });

  it("AliasTable([5]).draw(u) is 0 for any u", () => {
    const t = new AliasTable([5]);
    expect([0, 0.25, 0.999999].map((u) => t.draw(u))).toEqual([0, 0, 0]);
  });

  it("AliasTable([1, 1]).draw(0.25) is 0 and draw(0.75) is 1 (equal weights need no aliases)", () => {
    const t = new AliasTable([1, 1]);
    expect(t.draw(0)).toBe(0);
    expect(t.draw(0.25)).toBe(0);
    expect(t.draw(0.75)).toBe(1);
    expect(t.size).toBe(2);
  });

  it("AliasTable([1, 3]): u in [0, 0.25) gives 0, the rest gives 1 (hand-built: column 0 keeps 1/2, aliases to 1)", () => {
    // Scaled weights 0.5 and 1.5: column 0 keeps item 0 for x − 0 < 0.5, i.e. u < 0.25, else item 1.
    const t = new AliasTable([1, 3]);
    expect([0, 0.2499, 0.25, 0.4, 0.5, 0.99].map((u) => t.draw(u))).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it("implied probabilities over a fine grid of u equal weight/total for any weights (property)", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1000, noNaN: true })), {
            minLength: 1,
            maxLength: 24,
          })
          .filter((w) => w.some((x) => x > 0)),
        (weights) => {
          const k = weights.length;
          const t = new AliasTable(weights);
          // 4096 grid points per column: column edges fall between grid points, so only each column's
          // threshold is off by at most one grid point, an error of at most k/M per item.
          const m = 4096 * k;
          const hits = new Float64Array(k);
          for (let j = 0; j < m; j++) hits[t.draw((j + 0.5) / m)]!++;
          const total = weights.reduce((a, b) => a + b, 0);
          for (let i = 0; i < k; i++) {
            expect(Math.abs(hits[i]! / m - weights[i]! / total)).toBeLessThanOrEqual(k / m + 1e-12);
            if (weights[i] === 0) expect(hits[i]).toBe(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("AliasTable([1, 2, 3, 4, 0, 10]) frequencies fit weight/total (chi-square, p = 0.001)", () => {
    const s = SEEDED.fork("alias");
    const weights = [1, 2, 3, 4, 0, 10];
    const t = new AliasTable(weights);
    const counts = tally(100_000, weights.length, () => t.draw(s.uniform()));
    expect(counts[4]).toBe(0);
    const r = expectFits(
      counts.filter((_, i) => i !== 4),
      [1, 2, 3, 4, 10].map((w) => w / 20),
    );
    expect(r.df).toBe(4);
  });
});

describe("zipfProbabilities", () => {
  it("zipfProbabilities(3, 1) is [6/11, 3/11, 2/11]", () => {
    const p = zipfProbabilities(3, 1);
    [6 / 11, 3 / 11, 2 / 11].forEach((q, i) => expect(p[i]).toBeCloseTo(q, 15));
  });

  it("zipfProbabilities(4, 2) is [144, 36, 16, 9]/205 (1, 1/4, 1/9, 1/16 over 205/144)", () => {
    const p = zipfProbabilities(4, 2);
    [144, 36, 16, 9].forEach((w, i) => expect(p[i]).toBeCloseTo(w / 205, 15));
  });

  it("zipfProbabilities(5, 0) is uniform and zipfProbabilities(1, 1.1) is [1]", () => {
    expect(Array.from(zipfProbabilities(5, 0))).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(Array.from(zipfProbabilities(1, 1.1))).toEqual([1]);
  });

  it("zipfProbabilities(50000, 1.1) sums to 1 within 1e-12 and falls as rank^−1.1", () => {
    const p = zipfProbabilities(50_000, 1.1);
    let sum = 0;
    for (const x of p) sum += x;
    expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
    // P(rank 1)/P(rank 10) = 10^1.1.
    expect(p[0]! / p[9]!).toBeCloseTo(10 ** 1.1, 10);
  });

  it.each([
    [0, 1],
    [2.5, 1],
    [10, -0.5],
    [10, Number.NaN],
    [10, Infinity],
  ])("zipfProbabilities(%s, %s) throws a RangeError", (k, s) => {
    expect(() => zipfProbabilities(k, s)).toThrow(RangeError);
  });
});

describe("ZipfSampler", () => {
  it("new ZipfSampler(20, 1.1) frequencies fit i^−1.1/H(20, 1.1) (chi-square, p = 0.001)", () => {
    const s = SEEDED.fork("zipf");
    const k = 20;
    const sampler = new ZipfSampler(k, 1.1);
    // Expected probabilities computed here from the definition, not from sampler.probabilities.
    let h = 0;
    for (let i = 1; i <= k; i++) h += i ** -1.1;
    const expected = Array.from({ length: k }, (_, i) => (i + 1) ** -1.1 / h);
    const counts = tally(100_000, k, () => sampler.draw(s.uniform()));
    expectFits(counts, expected);
  });

  it("new ZipfSampler(3, 1).probabilities is [6/11, 3/11, 2/11] and draw(0) is rank index 0", () => {
    const sampler = new ZipfSampler(3, 1);
    expect(sampler.probabilities[0]).toBeCloseTo(6 / 11, 15);
    expect(sampler.draw(0)).toBe(0);
  });
});

describe("AliasTable.drawFrom (two uniforms: column, then coin)", () => {
  it("AliasTable([1, 3]): column 0 with coin < 1/2 gives 0, coin ≥ 1/2 gives its alias 1; column 1 keeps all and takes one uniform", () => {
    const t = new AliasTable([1, 3]);
    const seq = (...us: number[]) => {
      let i = 0;
      return () => us[i++]!;
    };
    expect(t.drawFrom(seq(0.25, 0.49))).toBe(0);
    expect(t.drawFrom(seq(0.25, 0.5))).toBe(1);
    // Column 1 keeps its whole mass: the next uniform is not taken (it would throw past the end of the list).
    const one = seq(0.75);
    expect(t.drawFrom(one)).toBe(1);
    expect(one()).toBeUndefined();
  });

  it("AliasTable over 1,000 unequal weights: drawFrom frequencies fit weight/total (chi-square, p = 0.001)", () => {
    const s = SEEDED.fork("alias-drawFrom");
    const weights = Array.from({ length: 1000 }, (_, i) => 1 + (i % 7) + (i === 3 ? 500 : 0));
    const total = weights.reduce((a, b) => a + b, 0);
    const t = new AliasTable(weights);
    const counts = new Float64Array(1000);
    for (let i = 0; i < 400_000; i++) counts[t.drawFrom(s.next)]!++;
    expectFits(counts, weights.map((w) => w / total));
  });
});

describe("multinomial and MultinomialSampler", () => {
  /** Zipf-like shares over k categories with every fifth one zero (a closed shard), summing to 1. */
  const uneven = (k: number): Float64Array => {
    const w = Array.from({ length: k }, (_, i) => (i % 5 === 4 ? 0 : 1 / (1 + i) ** 0.7));
    const sum = w.reduce((a, b) => a + b, 0);
    return Float64Array.from(w, (x) => x / sum);
  };

  it("below 64 categories with a positive share the sampler makes multinomial()'s very draws (conditional binomials)", () => {
    const p = uneven(79); // 64 of 79 positive: one more zero makes 63
    p[0] = p[0]! + p[3]!;
    p[3] = 0;
    const a = SEEDED.fork("sampler-small");
    const b = SEEDED.fork("sampler-small");
    const sampler = new MultinomialSampler();
    const x = new Float64Array(79);
    const y = new Float64Array(79);
    for (const n of [0, 1, 50, 5_000, 400_000]) {
      sampler.draw(a, n, p, x);
      multinomial(b, n, p, y);
      expect([...x]).toEqual([...y]);
    }
    expect(sampler.ways).toEqual({ binomials: 5, placed: 0, filled: 0, thinned: 0 });
  });

  it("every draw puts exactly n records in all and none in a category of share 0, by every way (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 400 }), fc.integer({ min: 0, max: 300_000 }), fc.constantFrom(3, 0, -3), fc.integer(), (k, n, sds, seed) => {
        const p = uneven(Math.ceil((k * 5) / 4));
        const out = new Float64Array(p.length).fill(7);
        new MultinomialSampler({ low: sds, high: sds }, Infinity).draw(RandomStream.root(seed), n, p, out);
        let sum = 0;
        for (let i = 0; i < p.length; i++) {
          if (!(Number.isInteger(out[i]) && out[i]! >= 0)) return false;
          if (p[i] === 0 && out[i] !== 0) return false;
          sum += out[i]!;
        }
        return sum === n;
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  // Each way must give multinomial(n, p): a category's count is binomial(n, p_i), a group of categories' count is
  // binomial(n, Σp_i), and two categories' counts have covariance −n·p_i·p_j (their correlation, −√(p_i p_j /
  // ((1 − p_i)(1 − p_j))), is checked within 4 standard errors of a sample correlation, (1 − ρ²)/√draws).
  it.each([
    ["Poisson fill, then single draws (the usual way)", 3, 20_000, "filled"],
    ["Poisson fill above n, then thinning", -3, 20_000, "thinned"],
    ["single draws only (n ≤ categories / 2)", 3, 90, "placed"],
  ] as const)("MultinomialSampler by %s fits multinomial(n, p): marginals, a group's sum and a covariance", (_way, sds, n, way) => {
    const p = uneven(250); // 200 positive shares, from 0.027 down to 0.0006
    const s = SEEDED.fork(`sampler-fit:${way}`);
    const sampler = sds === 3 ? new MultinomialSampler() : new MultinomialSampler({ low: sds, high: sds }, Infinity);
    const draws = 20_000;
    const out = new Float64Array(p.length);
    const first = new Float64Array(draws);
    const small = new Float64Array(draws);
    const group = new Float64Array(draws);
    const iSmall = 248;
    for (let d = 0; d < draws; d++) {
      sampler.draw(s, n, p, out);
      first[d] = out[0]!;
      small[d] = out[iSmall]!;
      let g = 0;
      for (let i = 10; i < 60; i++) g += out[i]!;
      group[d] = g;
    }
    expect(sampler.ways[way]).toBeGreaterThan(draws * 0.95);
    let pGroup = 0;
    for (let i = 10; i < 60; i++) pGroup += p[i]!;
    const fitOf = (xs: Float64Array, q: number) => {
      const counts = new Float64Array(n + 1);
      for (const x of xs) counts[x]!++;
      return expectFits(counts, binomialPmf(n, q));
    };
    fitOf(first, p[0]!);
    fitOf(group, pGroup);
    if (n * p[iSmall]! > 1) fitOf(small, p[iSmall]!);
    const a = meanVar(first);
    const b = meanVar(group);
    let cov = 0;
    for (let d = 0; d < draws; d++) cov += (first[d]! - a.mean) * (group[d]! - b.mean);
    cov /= draws - 1;
    const rho = cov / Math.sqrt(a.variance * b.variance);
    const expected = -Math.sqrt((p[0]! * pGroup) / ((1 - p[0]!) * (1 - pGroup)));
    expect(Math.abs(rho - expected)).toBeLessThan((4 * (1 - expected * expected)) / Math.sqrt(draws));
  });

  it("equal shares over 1,000 categories and windows of about 80,000: each category's count fits binomial(n, 1/1000)", () => {
    const k = 1000;
    const p = new Float64Array(k).fill(1 / k);
    const s = SEEDED.fork("sampler-equal");
    const sampler = new MultinomialSampler();
    const out = new Float64Array(k);
    const n = 80_000;
    const counts = new Float64Array(n + 1);
    for (let d = 0; d < 300; d++) {
      sampler.draw(s, n, p, out);
      for (let i = 0; i < k; i++) counts[out[i]!]!++;
    }
    // 300,000 counts, each binomial(80,000, 1/1000) (dependent across a draw only through their fixed sum).
    expectFits(counts, binomialPmf(n, 1 / k));
    expect(sampler.ways.filled + sampler.ways.thinned).toBe(300);
  });

  /** Zipf-like shares over k categories, all distinct: a table set holds a table per category. */
  const distinct = (k: number): Float64Array => uneven(k).map((_, i) => 1 / (1 + i) ** 0.8).map((x, _, a) => x / a.reduce((s, y) => s + y, 0));

  it("windows at a steady rate (totals Poisson around 80,000) share a few table sets; totals that jump share the sets kept", () => {
    const p = distinct(1000);
    const s = SEEDED.fork("sampler-steady");
    const totals = SEEDED.fork("sampler-steady-n");
    const sampler = new MultinomialSampler();
    const out = new Float64Array(p.length);
    for (let d = 0; d < 500; d++) sampler.draw(s, totals.poisson(80_000), p, out);
    // A fill is kept (or a kept set's taken) while it lies 2.5 to 6 standard deviations below the total: the first, at
    // 4.25 below a total near the mean, serves totals from 1.75 below the mean to 1.75 above, about 92% of them; a few
    // more sets cover the rest.
    expect(sampler.tableBuilds).toBeLessThanOrEqual(4);
    // Until a further set is paid for (see the next test), a total outside the kept sets' range takes binomials.
    expect(sampler.ways.filled + sampler.ways.thinned).toBeGreaterThanOrEqual(475);
    expect(sampler.ways.filled + sampler.ways.thinned + sampler.ways.binomials).toBe(500);
    // Two sizes in turn: a set each, kept (four sets are kept). The second waits for its budget (its entries ≤ 2 per
    // category and draw since the first: about 75 draws), its size drawn by binomials meanwhile; then no more builds.
    const jumping = new MultinomialSampler();
    for (let d = 0; d < 400; d++) jumping.draw(s, d % 2 === 0 ? 20_000 : 80_000, p, out);
    expect(jumping.tableBuilds).toBe(2);
    expect(jumping.ways.binomials).toBeLessThanOrEqual(60);
    expect(jumping.ways.filled + jumping.ways.thinned).toBeGreaterThanOrEqual(340);
  });

  it("totals that jump about at random do not rebuild tables every draw: a build waits until binomials would have cost as much", () => {
    const p = distinct(1000); // a set holds about 24·√m·Σ√p + 13·1000 entries: 230,000 at m = 80,000
    const s = SEEDED.fork("sampler-bursty");
    const sampler = new MultinomialSampler();
    const out = new Float64Array(p.length);
    const draws = 400;
    for (let d = 0; d < draws; d++) {
      const n = 1_000 + Math.floor(s.uniform() * 99_000);
      sampler.draw(s, n, p, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(n);
    }
    // Each build after the first waits until its entries are at most 2 × 1,000 categories × the draws since the last
    // one, so all builds after the first hold at most 2 entries per category and draw: at most 800,000 in all.
    const first = new MultinomialSampler();
    first.draw(SEEDED.fork("sampler-bursty-first"), 100_000, p, out);
    expect(sampler.tableBuilds).toBeGreaterThanOrEqual(2);
    expect(sampler.tableEntriesBuilt).toBeLessThanOrEqual(first.tableEntriesBuilt + 2 * 1000 * draws);
  });
});
