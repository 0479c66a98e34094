// Record size models: moments and tail probabilities against closed forms and enumeration (fixed, uniform),
// against CPython's statistics.NormalDist and a numerical integration done here (lognormal), and batches
// against record-by-record draws (small n) and the truncated moments (large n, fixed seeds, 4 sigma).
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../src/engine/random.js";
import { RecordSizeSchema } from "../../src/spec/index.js";
import { EXACT_BATCH, sizeModel, type SizeModel } from "../../src/workload/recordSize.js";

const MiB = 1_048_576;

function sizes(input: unknown): SizeModel {
  return sizeModel(RecordSizeSchema.parse(input));
}

function rng(name: string): RandomStream {
  return RandomStream.root(99).fork(name);
}

/** Mean and variance of the whole numbers lo..hi, each equally likely, by enumeration. */
function enumerate(lo: number, hi: number): { mean: number; variance: number } {
  let s1 = 0;
  let n = 0;
  for (let x = lo; x <= hi; x++) {
    s1 += x;
    n++;
  }
  const mean = s1 / n;
  let s2 = 0;
  for (let x = lo; x <= hi; x++) s2 += (x - mean) ** 2;
  return { mean, variance: s2 / n };
}

// The lognormal used below: median 700 B, p99 6 KiB. In CPython:
//   mu = math.log(700); sigma = math.log(6144 / 700) / NormalDist().inv_cdf(0.99)
//   → mu = 6.551080335043404, sigma = 0.9337171641535714
const MU = 6.551080335043404;
const SIGMA = 0.9337171641535714;
const LOGNORMAL = { dist: "lognormal", median: "700B", p99: "6KiB" };

/**
 * E[X^k · 1{X ≤ limit}] for X = exp(MU + SIGMA·Z), by composite Simpson's rule over z ∈ [−12, z(limit)]
 * with the standard normal density written out here (no src code involved).
 */
function partialMoment(k: number, limit: number): number {
  const lo = -12;
  const hi = (Math.log(limit) - MU) / SIGMA;
  const n = 20_000; // even
  const h = (hi - lo) / n;
  const f = (z: number) => Math.exp(k * (MU + SIGMA * z)) * (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI));
  let sum = f(lo) + f(hi);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe("fixed size (512 B)", () => {
  const m = sizes({ dist: "fixed", size: "512B" });

  it("mean is 512", () => {
    expect(m.mean).toBe(512);
  });

  it("pOver(511) is 1 and pOver(512) is 0", () => {
    expect(m.pOver(511)).toBe(1);
    expect(m.pOver(512)).toBe(0);
  });

  it("truncated(1 MiB) is mean 512, variance 0", () => {
    expect(m.truncated(MiB)).toEqual({ mean: 512, variance: 0 });
  });

  it.each([1, 10, EXACT_BATCH, EXACT_BATCH + 1, 1_000, 1_000_000])("batch(%s, 1 MiB) is n × 512 bytes exactly, none too large", (n) => {
    expect(m.batch(n, MiB, rng("fixed"))).toEqual({ fit: n, bytes: n * 512, tooLarge: 0 });
  });

  it.each([10, 1_000])("batch(%s, 500) has every record too large", (n) => {
    expect(m.batch(n, 500, rng("fixed-over"))).toEqual({ fit: 0, bytes: 0, tooLarge: n });
  });

  it("batch(0, 1 MiB) is empty", () => {
    expect(m.batch(0, MiB, rng("fixed-empty"))).toEqual({ fit: 0, bytes: 0, tooLarge: 0 });
  });
});

describe("uniform sizes (100 B to 200 B, whole bytes)", () => {
  const m = sizes({ dist: "uniform", min: "100B", max: "200B" });

  it("mean is 150", () => {
    expect(m.mean).toBe(150);
  });

  it.each([
    [99, 1],
    [100, 100 / 101], // 101..200 of 101 values
    [150, 50 / 101], // 151..200
    [199, 1 / 101],
    [200, 0],
    [MiB, 0],
  ])("pOver(%s) is %s", (limit, expected) => {
    expect(m.pOver(limit)).toBeCloseTo(expected, 15);
  });

  it.each([150, 100, 200, MiB])("truncated(%s) is the mean and variance of 100..min(200, limit) by enumeration", (limit) => {
    const e = enumerate(100, Math.min(200, limit));
    const t = m.truncated(limit);
    expect(t.mean).toBeCloseTo(e.mean, 12);
    expect(t.variance).toBeCloseTo(e.variance, 9);
  });

  it("sample draws whole numbers covering exactly 100..200", () => {
    const r = rng("uniform-sample");
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) seen.add(m.sample(r));
    expect(Math.min(...seen)).toBe(100);
    expect(Math.max(...seen)).toBe(200);
    expect(seen.size).toBe(101);
  });
});

describe("lognormal sizes (median 700 B, p99 6 KiB)", () => {
  const m = sizes(LOGNORMAL);

  it("mean is exp(mu + sigma²/2) = 1082.4629212042476 B (CPython)", () => {
    expect(relativeError(m.mean, 1082.4629212042476)).toBeLessThan(1e-14);
  });

  // [limit, 1 − NormalDist().cdf((log(limit) − mu) / sigma)] in CPython.
  it.each([
    [100, 0.9814220389660945],
    [700, 0.5],
    [1_000, 0.3512326733837501],
    [6_144, 0.010000000000000009],
    [20_000, 0.00016509282933685476],
  ])("pOver(%s) is 1 − Φ((ln limit − μ)/σ) = %s", (limit, expected) => {
    expect(relativeError(m.pOver(limit), expected)).toBeLessThan(1e-12);
  });

  it("pOver(1 MiB) is 2.42e-15 within 1e-16 absolute (the 1 − Φ form keeps no relative precision that far out)", () => {
    // 0.5 * math.erfc(z / math.sqrt(2)) = 2.4215874250882562e-15 (exact tail); 1 − Φ(z) loses digits to cancellation.
    expect(Math.abs(m.pOver(MiB) - 2.4215874250882562e-15)).toBeLessThan(1e-16 + 2 ** -52);
  });

  it.each([1_000, 6_144, 20_000, MiB])("truncated(%s) matches a numerical integration of the density up to the limit", (limit) => {
    const p = partialMoment(0, limit);
    const m1 = partialMoment(1, limit) / p;
    const m2 = partialMoment(2, limit) / p;
    const t = m.truncated(limit);
    expect(relativeError(t.mean, m1)).toBeLessThan(1e-9);
    expect(relativeError(t.variance, m2 - m1 * m1)).toBeLessThan(1e-8);
  });

  it("truncated(6144) is mean 1003.885, variance 907,857.19 (scipy.integrate.quad of the density, CPython)", () => {
    const t = m.truncated(6_144);
    expect(relativeError(t.mean, 1003.8851383049443)).toBeLessThan(1e-9);
    expect(relativeError(t.variance, 907857.1881310877)).toBeLessThan(1e-8);
  });

  it("truncated(6144) matches the sample moments of 200,000 draws conditioned on ≤ 6144, within 4 standard errors", () => {
    const r = rng("lognormal-sample");
    const kept: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const x = m.sample(r);
      if (x <= 6_144) kept.push(x);
    }
    const n = kept.length;
    const mean = kept.reduce((s, x) => s + x, 0) / n;
    let c2 = 0;
    let c4 = 0;
    for (const x of kept) {
      const d = (x - mean) ** 2;
      c2 += d;
      c4 += d * d;
    }
    const variance = c2 / (n - 1);
    const mu4 = c4 / n;
    const t = m.truncated(6_144);
    expect(Math.abs(mean - t.mean)).toBeLessThan(4 * Math.sqrt(variance / n));
    // Var of the sample variance ≈ (μ₄ − σ⁴)/n. Whole-byte rounding adds 1/12 B², far inside that.
    expect(Math.abs(variance - t.variance)).toBeLessThan(4 * Math.sqrt((mu4 - variance * variance) / n));
    // and the share kept is 1 − pOver(6144) = 0.99 within 4 sigma
    expect(Math.abs(n / 200_000 - 0.99)).toBeLessThan(4 * Math.sqrt((0.99 * 0.01) / 200_000));
  });

  it("sample is a whole number ≥ 1", () => {
    const r = rng("lognormal-whole");
    for (let i = 0; i < 1_000; i++) {
      const x = m.sample(r);
      expect(Number.isInteger(x) && x >= 1).toBe(true);
    }
  });
});

describe("batch", () => {
  it.each([
    ["uniform 100..200", { dist: "uniform", min: "100B", max: "200B" }, 150],
    ["lognormal 700 B / 6 KiB", LOGNORMAL, 6_144],
  ])("batch(n ≤ 32, limit) of %s is the exact sum of the sizes that fit and the count of those that do not", (_, spec, limit) => {
    const m = sizes(spec);
    for (const n of [1, 2, 7, 31, EXACT_BATCH]) {
      // The same stream, twice: once record by record with sample(), once with batch().
      const one = rng(`exact-${n}`);
      const all = rng(`exact-${n}`);
      let fit = 0;
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        const s = m.sample(one);
        if (s <= limit) {
          fit++;
          bytes += s;
        }
      }
      expect(m.batch(n, limit, all)).toEqual({ fit, bytes, tooLarge: n - fit });
    }
  });

  it.each([
    ["uniform 100..200, limit 150", { dist: "uniform", min: "100B", max: "200B" }, 150],
    ["lognormal 700 B / 6 KiB, limit 6144", LOGNORMAL, 6_144],
    ["lognormal 700 B / 6 KiB, limit 1000", LOGNORMAL, 1_000],
  ])("batch(500, limit) of %s: bytes/fit averages the truncated mean and tooLarge/n averages pOver, within 4 sigma", (_, spec, limit) => {
    const m = sizes(spec);
    const r = rng(`large-${limit}`);
    const batches = 2_000;
    const n = 500;
    let fit = 0;
    let bytes = 0;
    let tooLarge = 0;
    for (let b = 0; b < batches; b++) {
      const x = m.batch(n, limit, r);
      expect(x.fit + x.tooLarge).toBe(n);
      fit += x.fit;
      bytes += x.bytes;
      tooLarge += x.tooLarge;
    }
    const p = m.pOver(limit);
    const t = m.truncated(limit);
    const total = batches * n;
    expect(Math.abs(tooLarge / total - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / total));
    // The bytes of all fitting records: mean fit × E[X | X ≤ limit], variance fit × Var[X | X ≤ limit]
    // (plus ≤ 1/12 per batch from rounding to whole bytes).
    const se = Math.sqrt(fit * t.variance + batches / 12) / fit;
    expect(Math.abs(bytes / fit - t.mean)).toBeLessThan(4 * se);
  });

  it("batch(n, limit) bytes are whole and within [fit, fit × limit] even where the normal approximation would leave that range", () => {
    // Median 1 B, p99 1 MiB: the truncated sd dwarfs the mean, so fit × mean ± √fit × sd often falls below fit.
    const m = sizes({ dist: "lognormal", median: "1B", p99: "1MiB" });
    const r = rng("bounds");
    let clampedLow = 0;
    for (let i = 0; i < 2_000; i++) {
      const n = EXACT_BATCH + 1 + (i % 200);
      const limit = [2, 10, 1_000, MiB][i % 4]!;
      const x = m.batch(n, limit, r);
      expect(Number.isInteger(x.bytes)).toBe(true);
      expect(x.fit + x.tooLarge).toBe(n);
      expect(x.bytes).toBeGreaterThanOrEqual(x.fit);
      expect(x.bytes).toBeLessThanOrEqual(x.fit * limit);
      if (x.fit > 0 && x.bytes === x.fit) clampedLow++;
    }
    expect(clampedLow).toBeGreaterThan(0); // the lower clamp was exercised
  });
});

describe("a batch split at a size (large records above the shard's 1 MiB byte bucket on a 10 MiB stream)", () => {
  // Lognormal, median 100 KiB, p99 2 MiB: σ = ln(20.48) / 2.32635 = 1.297935. With 16-byte keys the limit is
  // 10 MiB − 16 B and the split 1 MiB − 16 B. From CPython's statistics.NormalDist:
  //   P(split < X ≤ limit | X ≤ limit) = 0.0363682; the mean of those sizes, e^(μ+σ²/2)·[Φ(z_L − σ) − Φ(z_S − σ)] / [Φ(z_L) − Φ(z_S)]
  //   = 1,954,146 B, their standard deviation 1,184,889 B; the mean size at or below the split 170,137 B.
  const m = sizes({ dist: "lognormal", median: "100KiB", p99: "2MiB" });
  const limit = 10 * MiB - 16;
  const split = MiB - 16;

  it("large batches (normal approximation): the share above the split and the mean of those sizes, within 4 standard errors", () => {
    const r = rng("split-large");
    let fit = 0;
    let large = 0;
    let largeBytes = 0;
    let bytes = 0;
    for (let i = 0; i < 400; i++) {
      const b = m.batch(5_000, limit, r, split);
      fit += b.fit;
      large += b.large!;
      largeBytes += b.largeBytes!;
      bytes += b.bytes;
    }
    const p = 0.0363682;
    expect(Math.abs(large / fit - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / fit));
    expect(Math.abs(largeBytes / large - 1_954_146)).toBeLessThan(4 * (1_184_889 / Math.sqrt(large)));
    const small = fit - large;
    expect(Math.abs((bytes - largeBytes) / small - 170_137)).toBeLessThan(0.01 * 170_137);
  });

  it("small batches (record by record): the same share and mean, within 4 standard errors", () => {
    const r = rng("split-small");
    let fit = 0;
    let large = 0;
    let largeBytes = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = m.batch(EXACT_BATCH, limit, r, split);
      fit += b.fit;
      large += b.large!;
      largeBytes += b.largeBytes!;
    }
    const p = 0.0363682;
    expect(Math.abs(large / fit - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / fit));
    expect(Math.abs(largeBytes / large - 1_954_146)).toBeLessThan(4 * (1_184_889 / Math.sqrt(large)));
  });

  it("without a split (or a split at the limit) the result has no large part and the draws are unchanged", () => {
    const a = m.batch(5_000, limit, rng("same"));
    const b = m.batch(5_000, limit, rng("same"), limit);
    expect(b).toEqual(a);
    expect(a.large).toBeUndefined();
  });

  it("with an `out` object the same draws are written into it, split or not, and it is what is returned", () => {
    const out = { fit: -1, bytes: -1, tooLarge: -1 };
    for (const [n, sp] of [[5_000, split], [5_000, undefined], [EXACT_BATCH, split], [EXACT_BATCH, undefined]] as const) {
      const fresh = m.batch(n, limit, rng(`out-${n}-${sp}`), sp);
      const reused = m.batch(n, limit, rng(`out-${n}-${sp}`), sp, out);
      expect(reused).toBe(out);
      expect({ ...reused }).toEqual(fresh);
    }
  });
});
