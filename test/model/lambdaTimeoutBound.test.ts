// A Lambda lane's bound counts the tries its timeout cuts (src/model/lambda/laneBatch.ts laneCycles, timedTry.ts):
// helper-116's run read "at most 1,640 records/s" (4 lanes × 1,000 records ÷ a batch's mean duration of 2.44 s) beside
// 1,324 processed, for 17% of its tries outlasted the 3 s timeout, each holding its lane 3 s and the 1 s retry delay and
// its batch tried again whole ("If your function returns an error, Lambda retries the batch until processing succeeds or
// the data expires", https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html).
import { describe, expect, it } from "vitest";
import { normalCdf } from "../../src/engine/normal.js";
import { batchRate, laneBatchWithin, laneCycles, type LaneTimes } from "../../src/model/lambda/laneBatch.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const S3_TAIL = { fixedUs: 0, perRequestUs: 0, recordsPerRequest: 1, perRecordUs: 0 };

describe("a lane's bound with no variability is its batch ÷ its mean duration, as before", () => {
  it("1,000 records at 20 ms + 2 ms a record and a fixed 400 ms S3 put, 3 s timeout: 1,000 ÷ 2.42 s = 413.22 a second", () => {
    const s: LaneTimes = {
      perInvocationUs: 20_000,
      perRecordUs: 2_000,
      write: { ...S3_TAIL, fixedUs: 400_000, spread: { latency: { dist: "fixed", value: 400_000 }, per: "write" } },
      timeoutUs: 3_000_000,
      variability: 0,
      retryDelayUs: 1_000_000,
    };
    const b = laneBatchWithin(s, 1000);
    expect(b.records).toBe(1000);
    // The old bound, batchRate (1,000 ÷ the mean duration), and the new one are the same number.
    expect(b.perSecond).toBe(batchRate(s, 1000));
    expect(b.perSecond).toBeCloseTo(1000 / 2.42, 9);
  });
});

describe("a lane whose compute alone outlasts the timeout now and then", () => {
  // 1,000 records at 2 ms: mean m = 2 s, variability 0.3: σ = √ln(1.09) = 0.29356; T = 3 s. By the lognormal's CDF,
  // P(C > 3 s) = 1 − Φ((ln 1.5 + σ²/2) ÷ σ) = 1 − Φ(1.52798) = 0.063259; E[min(C, 3 s)] = m Φ((ln 1.5 − σ²/2) ÷ σ) + 3 s ×
  // 0.063259 = 2 × Φ(1.23442) + 0.18978 = 1.972730 s. Retried whole after 1 s: a lane processes 1,000 × 0.936741 ÷
  // (1.972730 + 0.063259 × 1) = 460.09 a second, not 1,000 ÷ 2 = 500.
  const s: LaneTimes = { perInvocationUs: 0, perRecordUs: 2_000, timeoutUs: 3_000_000, variability: 0.3, retryDelayUs: 1_000_000 };

  it("a try ends in time with Φ(1.52798) = 0.936741 and holds its lane 1.972730 s on average", () => {
    const t = laneCycles(s).tryOf(1000);
    expect(t.doneChance).toBeCloseTo(0.936741, 6);
    expect(t.meanUs / 1e6).toBeCloseTo(1.97273, 5);
  });

  it("retried whole without a limit: 460.09 records a second, not 500", () => {
    expect(laneBatchWithin(s, 1000).perSecond).toBeCloseTo(460.0915, 3);
  });

  it("MaximumRetryAttempts 0 (a cut try's batch discarded, no delay): 1,000 × 0.936741 ÷ 1.972730 = 474.85", () => {
    expect(laneBatchWithin({ ...s, maximumRetryAttempts: 0 }, 1000).perSecond).toBeCloseTo(474.845, 2);
  });
});

describe("a lane whose compute and S3 put together outlast the timeout now and then", () => {
  // helper-116's lane: 20 ms + 1,000 × 2 ms (variability 0.3), then an S3 put of median 300 ms, p99 2 s (lognormal, σ_w =
  // ln(2 ÷ 0.3) ÷ 2.32635 = 0.81549), against 3 s. An independent quadrature: over the put's z (Simpson, 4,000 panels on
  // [−8, z at 3 s]), P(C ≤ 3 s − w) and w + E[min(C, 3 s − w)] in closed form; a put past 3 s ends the try at 3 s.
  const put = { dist: "lognormal" as const, median: 300_000, p99: 2_000_000 };
  const s: LaneTimes = {
    perInvocationUs: 20_000,
    perRecordUs: 2_000,
    write: { ...S3_TAIL, fixedUs: 300_000 * Math.exp(0.5 * (Math.log(2 / 0.3) / 2.3263478740408408) ** 2), spread: { latency: put, per: "write" } },
    timeoutUs: 3_000_000,
    variability: 0.3,
    retryDelayUs: 1_000_000,
  };
  const byHand = () => {
    const sc = Math.sqrt(Math.log(1.09));
    const m = 2.02;
    const sw = Math.log(2 / 0.3) / 2.3263478740408408;
    const zEnd = (Math.log(3) - Math.log(0.3)) / sw;
    const n = 4000;
    const h = (zEnd + 8) / n;
    let done = 0;
    let mean = 0;
    for (let i = 0; i <= n; i++) {
      const z = -8 + i * h;
      const w = 0.3 * Math.exp(sw * z);
      const a = Math.max(1e-12, 3 - w);
      const cdf = normalCdf((Math.log(a / m) + sc * sc / 2) / sc);
      const eMin = m * normalCdf((Math.log(a / m) - sc * sc / 2) / sc) + a * (1 - cdf);
      const f = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
      const k = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
      done += (k * h * f * cdf) / 3;
      mean += (k * h * f * (w + eMin)) / 3;
    }
    mean += 3 * (1 - normalCdf(zEnd));
    return { done, mean };
  };

  it("a try ends in time and holds its lane as the independent quadrature says (within 0.1%)", () => {
    const t = laneCycles(s).tryOf(1000);
    const h = byHand();
    // About 19% of the tries are cut (the run: 116 of 674, 17.2%).
    expect(h.done).toBeGreaterThan(0.8);
    expect(h.done).toBeLessThan(0.82);
    expect(Math.abs(t.doneChance - h.done)).toBeLessThan(1e-3);
    expect(Math.abs(t.meanUs / 1e6 - h.mean) / h.mean).toBeLessThan(1e-3);
  });

  it("the lane's bound is 1,000 × p ÷ (E[min] + (1 − p) × 1 s), under 1,000 ÷ the mean 2.438 s = 410.1", () => {
    const h = byHand();
    const expected = (1000 * h.done) / (h.mean + (1 - h.done));
    const got = laneBatchWithin(s, 1000).perSecond;
    expect(Math.abs(got - expected) / expected).toBeLessThan(2e-3);
    expect(got).toBeLessThan(0.8 * batchRate(s, 1000));
  });
});

describe("a run whose lanes are the limit throughout processes about its bound", () => {
  // 8 shards of 600 records/s each against lanes of about 322 (helper-116's function and S3 put, 3 s timeout): every
  // lane has a backlog from the start. The bound is the lane's long-run mean; a run of n tries sees it within its
  // noise: per try, records 1,000 × 1{in time} − 322 × (lane time) has a standard deviation of about 636 (0.81 × (302² +
  // 145²) + 0.19 × 1,286² ≈ 636²), so the run's rate deviates by about 636 ÷ (√n × 2.52 s × 322) = 0.785 ÷ √n: with
  // n ≈ 8 × 19 min ÷ 2.52 s ≈ 3,600 tries, 1.3%. Tolerance 4% (three of those); the old bound, 8 × 410.1 = 3,281, is 27% over.
  const r = simulateScenario(
      scenarioOf({
        name: "lanes-at-bound",
        seed: 5,
        duration: "20m",
        warmup: "1m",
        stream: { name: "orders", shards: 8 },
        producers: [
          {
            name: "shop",
            client: "sdk",
            instances: 8,
            rate: { shape: "constant", value: "4800/s" },
            recordSize: { dist: "fixed", size: "400B" },
            partitionKey: { kind: "random" },
          },
        ],
        consumers: [
          {
            name: "archiver",
            kind: "lambda",
            startingPosition: "TRIM_HORIZON",
            batchSize: 1000,
            batchingWindow: "1s",
            function: { memory: "512MiB", timeout: "3s", duration: { perInvocation: "20ms", perRecord: "2ms", variability: 0.3 } },
            sink: { kind: "s3", putLatency: { dist: "lognormal", median: "300ms", p99: "2s" } },
          },
        ],
      }),
  );
  const c = r.consumers[0]!;
  const fn = c.lambda!;
  // Records processed after warmup a second, as the judge counts them.
  const processed = c.series.recordsProcessed.slice(Math.floor(r.warmupUs / r.resolutionUs)).reduce((a, b) => a + b, 0) / (19 * 60);

  it("its processed rate is within 4% of its bound, which counts the tries the timeout cuts", () => {
    expect(fn.timeouts / fn.invocations).toBeGreaterThan(0.15);
    expect(Math.abs(processed / fn.throughputBound - 1)).toBeLessThan(0.04);
  });
});

describe("a batch that almost never ends in time, with a retry limit", () => {
  // 1,000 records of 71.5 user records (KPL aggregates) at 10 ms + 0.5 ms a user record: a mean of 35.77 s against a
  // 3 s timeout, variability 0.3: P(done) = Φ((ln(3 / 35.77) + σ²/2) ÷ σ), σ = √ln(1.09) = 0.2936: about 5e-17, so
  // 1 − p is 1 in floating point. With MaximumRetryAttempts 2 the batch is tried 3 times (each cut at 3 s) with a 1 s
  // retry delay between: 3 × 3 s + 2 × 1 s = 11 s of lane time, and about 3p of its records processed. The old
  // arithmetic, (1 − q³) ÷ p with q = 1, read 0 tries and −1 s (the property test's seed 1156151751: a bound of Infinity).
  const s: LaneTimes = { perInvocationUs: 10_000, perRecordUs: 500, usersPerRecord: 71.5298, timeoutUs: 3_000_000, variability: 0.3, retryDelayUs: 1_000_000, maximumRetryAttempts: 2 };
  it("is tried three times, 11 s of lane time, nearly nothing processed", () => {
    const c = laneCycles(s).cycle(1000);
    expect(c.us).toBeCloseTo(11_000_000, 0);
    expect(c.users).toBeGreaterThanOrEqual(0);
    expect(c.users).toBeLessThan(1e-9);
  });
  it("leaves a finite bound, counted at a batch that ends in time", () => {
    const b = laneBatchWithin(s, 1000);
    expect(Number.isFinite(b.perSecond)).toBe(true);
    expect(b.records).toBeLessThan(1000);
    expect(b.perSecond).toBeGreaterThan(0);
  });
});
