// A hot key judged by what reaches its shard: Kinesis records (after the KPL's aggregation) and bytes with the
// partition key, against one shard's 1,000 records/s and 1 MiB/s. "Whatever the shard count" only when the key
// alone is over a limit; the expectations are worked out by hand from the limits and the KPL's record format.

import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { ScenarioSchema } from "../../src/spec/index.js";
import { keyAboveShardLimit, keyLoads } from "../../src/sweep/hotKey.js";
import { reasonsOf } from "../../src/sweep/summary.js";

const MiB = 1_048_576;

function run(o: { shards: number; client: "sdk" | "kpl"; instances: number; rate: string; size: string; keys: { key: string; share: number }[] }): RunResult {
  return simulateScenario(
    ScenarioSchema.parse({
      name: "hot-key-test",
      seed: 5,
      duration: "40s",
      warmup: "10s",
      stream: { shards: o.shards },
      producers: [
        {
          name: "app",
          client: o.client,
          instances: o.instances,
          rate: { shape: "poisson", value: o.rate },
          recordSize: { dist: "fixed", size: o.size },
          partitionKey: { kind: "hotKeys", keys: o.keys },
        },
      ],
      slo: { writeThrottledPercent: 0.1 },
    }),
  );
}
const writeReasons = (r: RunResult) => reasonsOf(r, judge(r)).filter((x) => x.slo === "writeThrottledPercent").map((x) => x.reason);
const throttled = (r: RunResult) => judge(r).putThrottledPercent;

describe("a KPL hot tenant at 1,800 user records/s (aggregated, 400 B records, 4 processes)", () => {
  // 6,000 user records/s, 30% of them for "tenant-1": 1,800/s, 450 per process per second, λ = 45 more in the
  // 100 ms RecordMaxBufferedTime after a buffer's first record. An aggregate holds up to m = 125 of them:
  // (51,200 − 20 B fixed) ÷ (408 B per record entry: tag, length, key index, data field of 400 B; + 10 B key
  // entry ÷ m). So each buffer goes out as one aggregate of 1 + 45 = 46 records (P(N > 125) is negligible):
  // 1,800 ÷ 46 = 39.1 Kinesis records/s, 1,800 × 408 + 39.1 × (20 + 10 + 1 B key "a") = 735,613 B/s = 0.70 MiB/s.
  // Under both limits: the key alone fits a shard.
  const kpl = (shards: number) => run({ shards, client: "kpl", instances: 4, rate: "6000/s", size: "400B", keys: [{ key: "tenant-1", share: 0.3 }] });
  const two = kpl(2);

  it("the key alone puts 39.1 Kinesis records/s and 0.70 MiB/s on its shard", () => {
    const [k] = keyLoads(two);
    expect(k!.key).toBe("tenant-1");
    expect(k!.userRecordsPerSecond).toBeCloseTo(1_800, 6);
    expect(k!.kinesisRecordsPerSecond).toBeCloseTo(1_800 / 46, 3);
    expect(k!.bytesPerSecond).toBeCloseTo(1_800 * 408 + (1_800 / 46) * 31, 0);
    expect(k!.bytesPerSecond).toBeLessThan(MiB);
  });

  it("with 2 shards its shard throttles, and the reason is the hot shard, not a hot key 'whatever the shard count'", () => {
    expect(throttled(two)).toBeGreaterThan(1);
    const reasons = writeReasons(two);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.join(" ")).not.toContain("hot key");
    expect(reasons.join(" ")).not.toContain("whatever the shard count");
    expect(keyAboveShardLimit(two)).toBeUndefined();
  });

  it("with 16 shards nothing throttles (what 'whatever the shard count' would have denied)", () => {
    expect(throttled(kpl(16))).toBe(0);
  });
});

describe("an SDK hot key of 300 records/s of 4 KiB", () => {
  // 300 × (4,096 B + 8 B key "sensor-7") = 1,231,200 B/s = 1.17 MiB/s > 1 MiB/s, though 300 records/s is far
  // under 1,000: bytes bind, on any number of shards.
  const sdk = (shards: number) => run({ shards, client: "sdk", instances: 2, rate: "400/s", size: "4KiB", keys: [{ key: "sensor-7", share: 0.75 }] });
  const four = sdk(4);

  it("the key alone puts 300 records/s and 1,231,200 B/s (key bytes included) on its shard", () => {
    const [k] = keyLoads(four);
    expect(k!.kinesisRecordsPerSecond).toBeCloseTo(300, 9);
    expect(k!.bytesPerSecond).toBeCloseTo(300 * (4_096 + 8), 6);
  });

  it("the reason names the byte limit it exceeds and says no shard count helps", () => {
    expect(throttled(four)).toBeGreaterThan(1);
    // One shard takes 1,048,576 ÷ 4,104 = 255.50 of its records/s: 44.50/s over, 1,334.97 in the 30 s after warmup.
    const hot = keyAboveShardLimit(four)!;
    expect(hot.excessUsers).toBeCloseTo((300 - MiB / 4_104) * 30, 6);
    const offered = four.producers[0]!.offeredAfterWarmup;
    expect(offered).toBeGreaterThan(11_500);
    expect(writeReasons(four)).toEqual([
      `hot key: "sensor-7" of app alone puts 1.17 MiB/s (300 records/s of 4,096 B data + 8 B key) on its shard, more than one shard accepts (1 MiB/s): at least ${+((100 * hot.excessUsers) / offered).toPrecision(3)}% of the records offered after warmup throttle whatever the shard count`,
    ]);
  });

  it("it is true: 16 shards throttle as much as 4", () => {
    expect(throttled(sdk(16))).toBeGreaterThan(1);
  });
});

describe("the limits, at their edges", () => {
  it("256 records/s of 4 KiB is exactly 1 MiB/s of data: over the limit only with the key's 8 bytes", () => {
    const r = run({ shards: 2, client: "sdk", instances: 1, rate: "256/s", size: "4KiB", keys: [{ key: "sensor-7", share: 1 }] });
    const [k] = keyLoads(r);
    expect(k!.userRecordsPerSecond * 4_096).toBe(MiB);
    expect(k!.bytesPerSecond).toBe(256 * (4_096 + 8));
    expect(keyAboveShardLimit(r)!.reason).toContain("more than one shard accepts (1 MiB/s)");
    // 256 − 1,048,576 ÷ 4,104 = 0.499 records/s over: 14.97 in 30 s, 0.195% of 7,680 (the run's Poisson count, near it).
    expect(keyAboveShardLimit(r)!.excessUsers).toBeCloseTo((256 - MiB / 4_104) * 30, 6);
  });

  it("an SDK key at 1,200 records/s of 100 B is over the records limit, and the reason says records", () => {
    const r = run({ shards: 4, client: "sdk", instances: 2, rate: "2000/s", size: "100B", keys: [{ key: "k", share: 0.6 }] });
    // 200 records/s over the limit: 6,000 in the 30 s after warmup, 10% of about 60,000 offered.
    const hot = keyAboveShardLimit(r)!;
    expect(hot.excessUsers).toBeCloseTo(6_000, 6);
    expect(hot.excessKinesis).toBeCloseTo(6_000, 6);
    const share = +((100 * 6_000) / r.producers[0]!.offeredAfterWarmup).toPrecision(3);
    expect(share).toBeGreaterThan(9.7);
    expect(share).toBeLessThan(10.3);
    expect(hot.reason).toBe(
      `hot key: "k" of app alone puts 1,200 records/s on its shard, more than one shard accepts (1,000 records/s): at least ${share}% of the records offered after warmup throttle whatever the shard count`,
    );
    // Its kind, what a sweep counts: without the key and the share (with shuffled names each placement names another key).
    expect(hot.kind).toBe("a key of app alone over one shard's 1,000 records/s");
    expect(reasonsOf(r, judge(r)).find((x) => x.reason === hot.reason)?.kind).toBe(hot.kind);
  });

  it("the same 1,200 records/s through the KPL (1 process) are about 1,200 ÷ 121 = 10 Kinesis records/s: no hot key", () => {
    // λ = 1,200 × 0.1 s = 120 more records per buffer; an aggregate of 100 B records holds (51,180) ÷ (107 + 3/m)
    // = 478, so a buffer sends 1 + 120 = 121 of them.
    const r = run({ shards: 4, client: "kpl", instances: 1, rate: "2000/s", size: "100B", keys: [{ key: "k", share: 0.6 }] });
    const [k] = keyLoads(r);
    expect(k!.kinesisRecordsPerSecond).toBeCloseTo(1_200 / 121, 3);
    expect(keyAboveShardLimit(r)).toBeUndefined();
  });
});

/** 40 s (10 s warmup) of 2 SDK instances sending 100 B records, `share` of them for key "k", the rest random. */
function sdkRun(o: { name: string; seed: number; shards: number; rate: Record<string, unknown>; share: number; retry?: Record<string, unknown>; slo: Record<string, unknown> }): RunResult {
  return simulateScenario(
    ScenarioSchema.parse({
      name: o.name,
      seed: o.seed,
      duration: "40s",
      warmup: "10s",
      stream: { shards: o.shards },
      producers: [
        {
          name: "app",
          client: "sdk",
          instances: 2,
          rate: o.rate,
          recordSize: { dist: "fixed", size: "100B" },
          partitionKey: { kind: "hotKeys", keys: [{ key: "k", share: o.share }] },
          ...(o.retry ? { retry: o.retry } : {}),
        },
      ],
      slo: o.slo,
    }),
  );
}

describe("a key over the limit judged by what it alone throttles, against the SLO", () => {
  // 2,000 records/s of 100 B, 50.5% of them for "k": 1,010/s, 10/s over one shard's 1,000 (0.5% of the records); the
  // rest spread. No retries (maxAttempts 1): a throttled attempt is a throttled record.
  const justOver = (shards: number) =>
    sdkRun({ name: "just-over", seed: 3, shards, rate: { shape: "constant", value: "2000/s" }, share: 0.505, retry: { maxAttempts: 1 }, slo: { writeThrottledPercent: 5 } });

  it("on 2 shards the key's shard takes about 1,505 records/s and throttles; the key's own 0.5% is not the reason", () => {
    const two = justOver(2);
    const hot = keyAboveShardLimit(two)!;
    expect(hot.excessUsers).toBeCloseTo(10 * 30, 6);
    expect(throttled(two)).toBeGreaterThan(20);
    const reasons = writeReasons(two);
    expect(reasons.length).toBe(1);
    expect(reasons[0]).not.toContain("hot key");
    expect(reasons[0]).toMatch(/^hot shard: /);
  });

  it("it is true: on 64 shards the key's shard takes about 1,026 records/s and the 5% SLO is met", () => {
    expect(throttled(justOver(64))).toBeLessThan(5);
  });
});

describe("a diurnal key over the limit only at the day's peak, outside the run", () => {
  // Mean 2,000/s, peak 4,000/s at 6 h of a 24 h period; the run is the first 40 s, where the rate is about 2,000/s
  // (2,000 + 2,000·cos(2π·(40 s − 6 h) ÷ 24 h) = 2,005.8 at 40 s, its largest in the run). "k" takes 40%: 802/s
  // in the run, 1,600/s at the day's peak.
  const diurnal = (shards: number) =>
    sdkRun({ name: "diurnal-key", seed: 4, shards, rate: { shape: "diurnal", mean: "2000/s", peak: "4000/s", period: "24h", peakAt: "6h" }, share: 0.4, slo: { writeThrottledPercent: 0.1 } });

  it("the key's load is the run's peak, 802 records/s: under the limit, so no hot key; one shard is short of capacity", () => {
    const one = diurnal(1);
    const [k] = keyLoads(one);
    expect(k!.userRecordsPerSecond).toBeCloseTo(0.4 * (2_000 + 2_000 * Math.cos((2 * Math.PI * (40 - 6 * 3_600)) / 86_400)), 6);
    expect(keyAboveShardLimit(one)).toBeUndefined();
    expect(throttled(one)).toBeGreaterThan(1);
    expect(writeReasons(one)).toEqual(["write capacity: shard write records on 1 of 1 shards"]);
  });

  it("it is true: 16 shards throttle nothing (the key's shard takes about 800 + 1,200 ÷ 16 = 875 records/s)", () => {
    expect(throttled(diurnal(16))).toBe(0);
  });
});
