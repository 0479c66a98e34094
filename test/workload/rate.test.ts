// Rate shapes against their closed forms, worked by hand from the shape's definition (the integral of the
// rate), and the arrival counts against Λ: exact whole counts for even arrivals, Poisson moments for
// Poisson arrivals (fixed seeds, 4-sigma tolerances).
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../src/engine/random.js";
import { RateShapeSchema } from "../../src/spec/index.js";
import { arrivalTimes, arrivalsIn, rateModel, type RateModel } from "../../src/workload/rate.js";

const S = 1_000_000;
const MIN = 60 * S;
const H = 60 * MIN;

/** Parses a rate shape the way a scenario file gives it ("1000/s", "10m"). */
function model(input: unknown, duration: number): RateModel {
  return rateModel(RateShapeSchema.parse(input), duration);
}

function rng(name: string): RandomStream {
  return RandomStream.root(20_240_601).fork(name);
}

describe("constant", () => {
  const m = model({ shape: "constant", value: "1000/s" }, 10 * MIN);

  it("cumulative(1.5 s) of 1000/s is 1500 records", () => {
    expect(m.cumulative(1.5 * S)).toBe(1_500);
  });

  it("rateAt, meanRate and peakRate of 1000/s are all 1000", () => {
    expect(m.rateAt(7 * S)).toBe(1_000);
    expect(m.meanRate(10 * MIN)).toBe(1_000);
    expect(m.peakRate(10 * MIN)).toBe(1_000);
  });

  it('rate "90000/m" is 1500 records/s and its arrivals default to even', () => {
    const per = model({ shape: "constant", value: "90000/m" }, MIN);
    expect(per.rateAt(0)).toBe(1_500);
    expect(per.cumulative(MIN)).toBe(90_000);
    expect(per.arrivals).toBe("even");
  });

  it('shape "poisson" is a constant mean with Poisson arrivals', () => {
    const p = model({ shape: "poisson", value: "250/s" }, MIN);
    expect(p.arrivals).toBe("poisson");
    expect(p.cumulative(4 * S)).toBe(1_000);
  });
});

describe("step with 3 levels (100/s from 0, 500/s from 10m, 200/s from 30m)", () => {
  const m = model(
    {
      shape: "step",
      levels: [
        { at: "0s", value: "100/s" },
        { at: "10m", value: "500/s" },
        { at: "30m", value: "200/s" },
      ],
    },
    H,
  );

  it.each([
    [0, 0],
    [5 * MIN, 30_000], // 100 × 300
    [10 * MIN, 60_000], // 100 × 600
    [20 * MIN, 360_000], // 60,000 + 500 × 600
    [30 * MIN, 660_000], // 60,000 + 500 × 1,200
    [45 * MIN, 840_000], // 660,000 + 200 × 900
    [H, 1_020_000], // 660,000 + 200 × 1,800
  ])("cumulative(%s µs) is %s", (t, expected) => {
    expect(m.cumulative(t)).toBeCloseTo(expected, 6);
  });

  it("rateAt switches exactly at each level's start", () => {
    expect([m.rateAt(10 * MIN - 1), m.rateAt(10 * MIN), m.rateAt(30 * MIN - 1), m.rateAt(30 * MIN)]).toEqual([100, 500, 500, 200]);
  });

  it("meanRate(1 h) is 1,020,000 / 3,600 s and peakRate(1 h) is 500", () => {
    expect(m.meanRate(H)).toBeCloseTo(1_020_000 / 3_600, 9);
    expect(m.peakRate(H)).toBe(500);
  });

  it("peakRate(10 min) is 100: the 500/s level starts only at the end", () => {
    expect(m.peakRate(10 * MIN)).toBe(100);
  });

  it("arrivals default to poisson", () => {
    expect(m.arrivals).toBe("poisson");
  });
});

describe("ramp from 1000/s to 3000/s over 10 min (from 5m to 15m, run 20m)", () => {
  const m = model({ shape: "ramp", from: "1000/s", to: "3000/s", start: "5m", end: "15m" }, 20 * MIN);

  it("cumulative(15m) − cumulative(5m) is 1,200,000 records (mean 2000/s × 600 s)", () => {
    expect(m.cumulative(15 * MIN) - m.cumulative(5 * MIN)).toBeCloseTo(1_200_000, 6);
  });

  it("cumulative(5m) is 300,000 (1000/s before the ramp)", () => {
    expect(m.cumulative(5 * MIN)).toBeCloseTo(300_000, 6);
  });

  it("cumulative(10m) − cumulative(5m) is 450,000 (1000 × 300 + ½ × 10/3 per s² × 300²)", () => {
    expect(m.cumulative(10 * MIN) - m.cumulative(5 * MIN)).toBeCloseTo(450_000, 6);
  });

  it("cumulative(20m) is 2,400,000 (300,000 + 1,200,000 + 3000 × 300)", () => {
    expect(m.cumulative(20 * MIN)).toBeCloseTo(2_400_000, 6);
  });

  it("rateAt is 1000 before, 2000 halfway, 3000 at the end and after", () => {
    expect([m.rateAt(MIN), m.rateAt(5 * MIN), m.rateAt(10 * MIN), m.rateAt(15 * MIN), m.rateAt(19 * MIN)]).toEqual([1_000, 1_000, 2_000, 3_000, 3_000]);
  });

  it("meanRate(20m) is 2000 and peakRate is 3000", () => {
    expect(m.meanRate(20 * MIN)).toBeCloseTo(2_000, 9);
    expect(m.peakRate(20 * MIN)).toBe(3_000);
  });

  it("a ramp with no end runs to the end of the run: cumulative(10m) is 1,200,000", () => {
    const whole = model({ shape: "ramp", from: "1000/s", to: "3000/s" }, 10 * MIN);
    expect(whole.cumulative(10 * MIN)).toBeCloseTo(1_200_000, 6);
    expect(whole.rateAt(5 * MIN)).toBeCloseTo(2_000, 9);
  });

  it("peakRate is the largest rate in [0, d): 1000 before the ramp starts, 2000 halfway up (10m), 3000 from its end", () => {
    expect(m.peakRate(5 * MIN)).toBe(1_000);
    expect(m.peakRate(10 * MIN)).toBeCloseTo(2_000, 9);
    expect(m.peakRate(15 * MIN)).toBe(3_000);
    expect(m.peakRate(20 * MIN)).toBe(3_000);
  });

  it("a falling ramp (3000/s → 1000/s over 10 min) also offers 1,200,000 records, peakRate 3000", () => {
    const down = model({ shape: "ramp", from: "3000/s", to: "1000/s", end: "10m" }, 10 * MIN);
    expect(down.cumulative(10 * MIN)).toBeCloseTo(1_200_000, 6);
    expect(down.peakRate(10 * MIN)).toBe(3_000);
  });

  it("cumulative is the integral of rateAt (midpoint rule, 1 s steps)", () => {
    let sum = 0;
    for (let k = 0; k < 1_200; k++) sum += m.rateAt(k * S + S / 2);
    // The midpoint rule is exact for piecewise-linear rates whose kinks fall on step boundaries.
    expect(m.cumulative(20 * MIN)).toBeCloseTo(sum, 6);
  });
});

describe("diurnal (mean 6000/s, peak 11000/s, period 24h)", () => {
  const duration = 2 * 24 * H;
  const m = model({ shape: "diurnal", mean: "6000/s", peak: "11000/s", period: "24h", peakAt: "3h" }, duration);

  it("a whole period from any start offers mean × period = 518,400,000 records", () => {
    for (const a of [0, 3 * H, 7 * H + 123_456, 24 * H]) {
      expect(m.cumulative(a + 24 * H) - m.cumulative(a)).toBeCloseTo(518_400_000, 3);
    }
  });

  it("rateAt(peakAt) is the peak, 11000", () => {
    expect(m.rateAt(3 * H)).toBeCloseTo(11_000, 9);
  });

  it("rateAt(peakAt + period/2) is 2·mean − peak = 1000", () => {
    expect(m.rateAt(15 * H)).toBeCloseTo(1_000, 9);
  });

  it("rateAt(peakAt ± period/4) is the mean", () => {
    expect(m.rateAt(9 * H)).toBeCloseTo(6_000, 6);
    expect(m.rateAt(21 * H)).toBeCloseTo(6_000, 6);
  });

  it("cumulative(peakAt + period/4) − cumulative(peakAt) is mean·P/4 + amp·P/(2π)", () => {
    // ∫₀^{P/4} (mean + amp cos(2πu/P)) du = mean·P/4 + amp·P/(2π), with P = 86,400 s and amp = 5000.
    expect(m.cumulative(9 * H) - m.cumulative(3 * H)).toBeCloseTo(6_000 * 21_600 + (5_000 * 86_400) / (2 * Math.PI), 3);
  });

  it("cumulative(0) is 0", () => {
    expect(m.cumulative(0)).toBeCloseTo(0, 6);
  });

  it("meanRate over two whole periods is 6000 and peakRate is 11000", () => {
    expect(m.meanRate(duration)).toBeCloseTo(6_000, 9);
    expect(m.peakRate(duration)).toBe(11_000);
  });

  it("the default peakAt is the middle of the run: a 2 h run with a 24 h period peaks at 1 h", () => {
    const d = model({ shape: "diurnal", mean: "6000/s", peak: "11000/s", period: "24h" }, 2 * H);
    expect(d.rateAt(H)).toBeCloseTo(11_000, 9);
    expect(d.rateAt(H - 10 * MIN)).toBeLessThan(11_000);
    expect(d.rateAt(H + 10 * MIN)).toBeCloseTo(d.rateAt(H - 10 * MIN), 9);
  });

  it("peakRate(d) is the peak only when [0, d) reaches peakAt + k·period; otherwise the rate at an end of the run", () => {
    // peakAt 3 h: a run of 2 h ends before it, rising: 6000 + 5000·cos(2π·(2 h − 3 h) ÷ 24 h) = 6000 + 5000·cos(15°).
    expect(m.peakRate(2 * H)).toBeCloseTo(6_000 + 5_000 * Math.cos(Math.PI / 12), 6);
    expect(m.peakRate(3 * H)).toBeCloseTo(6_000 + 5_000 * Math.cos(0), 6); // the limit as d reaches 3 h
    expect(m.peakRate(3 * H + 1)).toBe(11_000);
    // peakAt 20 h: over a 1 h run the rate falls from 6000 + 5000·cos(2π·(0 − 20 h) ÷ 24 h) = 8500 at 0, its largest.
    const late = model({ shape: "diurnal", mean: "6000/s", peak: "11000/s", period: "24h", peakAt: "20h" }, H);
    expect(late.peakRate(H)).toBeCloseTo(6_000 + 5_000 * Math.cos((-20 * Math.PI) / 12), 6);
    // peakAt 25 h of a 24 h period: its peaks are at 1 h, 25 h, …: a 2 h run reaches the first.
    const next = model({ shape: "diurnal", mean: "6000/s", peak: "11000/s", period: "24h", peakAt: "25h" }, 2 * H);
    expect(next.peakRate(2 * H)).toBe(11_000);
    expect(next.peakRate(H)).toBeCloseTo(6_000 + 5_000 * Math.cos(0), 6);
  });
});

describe("spikes (base 1000/s; 5000/s at 1m for 30s; 200/s at 5m for 10s)", () => {
  const m = model(
    {
      shape: "spikes",
      base: "1000/s",
      spikes: [
        { at: "1m", for: "30s", value: "5000/s" },
        { at: "5m", for: "10s", value: "200/s" },
      ],
    },
    10 * MIN,
  );

  it.each([
    [MIN, 60_000], // before the spike
    [MIN + 15 * S, 135_000], // 75,000 + (5000 − 1000) × 15 (half the spike)
    [MIN + 30 * S, 210_000], // 90,000 + 4000 × 30
    [5 * MIN + 10 * S, 422_000], // 310,000 + 120,000 − 800 × 10
    [10 * MIN, 712_000], // 600,000 + 120,000 − 8,000
  ])("cumulative(%s µs) is %s (base × t + (value − base) × overlap)", (t, expected) => {
    expect(m.cumulative(t)).toBeCloseTo(expected, 6);
  });

  it("rateAt is the spike's value inside it and the base outside", () => {
    expect([m.rateAt(MIN - 1), m.rateAt(MIN), m.rateAt(MIN + 30 * S - 1), m.rateAt(MIN + 30 * S), m.rateAt(5 * MIN + 5 * S)]).toEqual([
      1_000, 5_000, 5_000, 1_000, 200,
    ]);
  });

  it("peakRate is 5000 and meanRate(10m) is 712,000 / 600 s", () => {
    expect(m.peakRate(10 * MIN)).toBe(5_000);
    expect(m.meanRate(10 * MIN)).toBeCloseTo(712_000 / 600, 9);
  });
});

describe("arrivalsIn", () => {
  it("even arrivals of 1000/s give exactly 100 records in each of 100,000 windows of 100 ms", () => {
    const m = model({ shape: "constant", value: "1000/s" }, 100_000 * 100_000);
    const r = rng("even-100ms");
    const counts = new Set<number>();
    for (let k = 0; k < 100_000; k++) counts.add(arrivalsIn(m, k * 100_000, (k + 1) * 100_000, r));
    expect([...counts]).toEqual([100]);
  });

  it.each([333.3, 1 / 3, 7_777.77, 0.1])(
    "even arrivals of %s/s over 100,000 windows of 12,345 µs sum to floor(Λ(end)), each window floor or ceil of its share",
    (rate) => {
      const w = 12_345;
      const m = model({ shape: "constant", value: `${rate}/s` }, 100_000 * w); // `${rate}` round-trips the number exactly
      const r = rng("even-odd");
      const perWindow = (rate * w) / S;
      let sum = 0;
      let outside = 0;
      for (let k = 0; k < 100_000; k++) {
        const n = arrivalsIn(m, k * w, (k + 1) * w, r);
        sum += n;
        if (n < Math.floor(perWindow) || n > Math.ceil(perWindow)) outside++;
      }
      expect(outside).toBe(0);
      // Λ(end) = rate × 1234.5 s, computed here directly.
      expect(sum).toBe(Math.floor((rate * 100_000 * w) / S));
    },
  );

  it("even arrivals of a ramp sum over 1 s windows to floor(Λ(end)) = 1,200,000", () => {
    const m = model({ shape: "ramp", from: "1000/s", to: "3000/s", arrivals: "even" }, 10 * MIN);
    const r = rng("even-ramp");
    let sum = 0;
    for (let k = 0; k < 600; k++) sum += arrivalsIn(m, k * S, (k + 1) * S, r);
    expect(sum).toBe(1_200_000);
  });

  it("an empty window [a, a) has no arrivals", () => {
    const m = model({ shape: "poisson", value: "1000/s" }, MIN);
    expect(arrivalsIn(m, 5 * S, 5 * S, rng("empty"))).toBe(0);
  });

  it.each([
    ["3.7 (multiplication branch)", 3.7],
    ["250 (transformed rejection branch)", 250],
  ])("Poisson arrivals with Λ = %s per window have mean and variance Λ within 4 sigma", (_, lambda) => {
    // 1 s windows of a constant rate `lambda`/s.
    const m = model({ shape: "poisson", value: `${lambda}/s` }, 20_000 * S);
    const r = rng(`poisson-${lambda}`);
    const n = 20_000;
    let s1 = 0;
    let s2 = 0;
    for (let k = 0; k < n; k++) {
      const x = arrivalsIn(m, k * S, (k + 1) * S, r);
      s1 += x;
      s2 += x * x;
    }
    const mean = s1 / n;
    const variance = (s2 - n * mean * mean) / (n - 1);
    // Standard errors for a Poisson(λ) sample: mean √(λ/n); variance √((λ + 2λ²)/n) (μ₄ = λ + 3λ²).
    expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / n));
    expect(Math.abs(variance - lambda)).toBeLessThan(4 * Math.sqrt((lambda + 2 * lambda * lambda) / n));
  });

  it("Poisson arrivals on a ramp window have mean Λ(b) − Λ(a) (450,000 over the first 5 min of 1000→3000/s in 10 min), within 4 sigma", () => {
    const m = model({ shape: "ramp", from: "1000/s", to: "3000/s" }, 10 * MIN);
    const r = rng("poisson-ramp");
    let sum = 0;
    for (let k = 0; k < 300; k++) sum += arrivalsIn(m, k * S, (k + 1) * S, r);
    // Each window is an independent Poisson draw, so the sum is Poisson(450,000).
    expect(Math.abs(sum - 450_000)).toBeLessThan(4 * Math.sqrt(450_000));
  });
});

describe("arrivalTimes", () => {
  /** Times that are not whole µs, fall outside [a, b) or come before their predecessor (one expect, so it stays fast). */
  const ascendingInside = (times: number[], a: number, b: number) => {
    const bad = times.filter((t, i) => !Number.isInteger(t) || t < a || t >= b || (i > 0 && t < times[i - 1]!));
    expect(bad).toEqual([]);
  };

  it("even arrivals of 1000/s in [0, 10 ms) are born where Λ crosses 1..10: every 1000 µs, the last clamped inside the window", () => {
    const m = model({ shape: "constant", value: "1000/s" }, S);
    const n = arrivalsIn(m, 0, 10_000, rng("t"));
    expect(n).toBe(10);
    expect(arrivalTimes(m, 0, 10_000, n, rng("t"))).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 9_999]);
  });

  it("even arrivals of 400/s in [1 s, 1.01 s) are born at 1.0025, 1.005 and 1.0075 s (Λ crosses 401, 402, 403)", () => {
    const m = model({ shape: "constant", value: "400/s" }, 2 * S);
    const n = arrivalsIn(m, S, S + 10_000, rng("t"));
    expect(n).toBe(4);
    const times = arrivalTimes(m, S, S + 10_000, n, rng("t"));
    expect(times.slice(0, 3)).toEqual([S + 2_500, S + 5_000, S + 7_500]);
    ascendingInside(times, S, S + 10_000);
  });

  it("even arrivals of a ramp are ascending and inside [a, b) in every 100 ms window", () => {
    const m = model({ shape: "ramp", from: "10/s", to: "3000/s", arrivals: "even" }, 10 * S);
    const r = rng("ramp-times");
    for (let k = 0; k < 100; k++) {
      const a = k * 100_000;
      const b = a + 100_000;
      const n = arrivalsIn(m, a, b, r);
      const times = arrivalTimes(m, a, b, n, r);
      expect(times).toHaveLength(n);
      ascendingInside(times, a, b);
    }
  });

  it("Poisson arrivals are ascending and inside [a, b) for windows of 1 µs to 1 s", () => {
    const m = model({ shape: "poisson", value: "5000/s" }, 10 * S);
    const r = rng("poisson-times");
    for (const [a, b] of [
      [0, 1],
      [7, 19],
      [123_456, 223_456],
      [2 * S, 3 * S],
    ] as const) {
      const times = arrivalTimes(m, a, b, 500, r);
      expect(times).toHaveLength(500);
      ascendingInside(times, a, b);
    }
  });

  it("Poisson arrival times of 20,000 records in [0, 1 s) have mean 0.5 s within 4 sigma (uniform order statistics)", () => {
    const m = model({ shape: "poisson", value: "20000/s" }, S);
    const times = arrivalTimes(m, 0, S, 20_000, rng("poisson-uniform"));
    const mean = times.reduce((s, t) => s + t, 0) / times.length;
    // floor(U × 1e6) has mean 499,999.5 and sd 1e6/√12.
    expect(Math.abs(mean - 499_999.5)).toBeLessThan((4 * S) / Math.sqrt(12 * 20_000));
  });

  it("arrivalTimes of 0 records is empty", () => {
    const m = model({ shape: "constant", value: "1000/s" }, S);
    expect(arrivalTimes(m, 0, S, 0, rng("none"))).toEqual([]);
  });
});

describe("spikes: peakRate", () => {
  it("overlapping spikes add up: base 100/s, +400/s over 10–20 s and +200/s over 15–25 s peak at 700/s", () => {
    const m = rateModel(
      RateShapeSchema.parse({ shape: "spikes", base: "100/s", spikes: [{ at: "10s", for: "10s", value: "500/s" }, { at: "15s", for: "10s", value: "300/s" }] }),
      60_000_000,
    );
    expect(m.rateAt(16_000_000)).toBe(700);
    expect(m.peakRate(60_000_000)).toBe(700);
    expect(m.peakRate(12_000_000)).toBe(500); // the second spike starts after 12 s
    expect(m.peakRate(5_000_000)).toBe(100);
  });
});
