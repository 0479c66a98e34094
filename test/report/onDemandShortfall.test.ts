// An on-demand stream that throttles because its traffic passed what its open shards take, before the service's split
// completed, says so and what would have taken the traffic at once (helper-94's p3: "Why missed" named only the byte
// limit). On-demand "accommodates up to double its previous peak write throughput" at once, and traffic above it may be
// throttled while the service adds shards (Choose the data stream capacity mode,
// https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

// 1,500 records/s of 2,000 B (24 B keys) stepping to 6,000/s at 3 min: 6,000 × 2,024 B = 11.58 MiB/s. A previous peak
// of 4 MiB/s starts the stream with 8 shards (8 MiB/s); the service's check at 4 min (every minute) finds its shards
// over the split trigger and splits them, the stream UPDATING until 4 + 14 = 18 min. By hand, what would take 11.58
// MiB/s at once: a previous peak of half of it, 5.79 MiB/s; warm throughput of 12 MiB/s; 12 provisioned shards.
const run = (stream: Record<string, unknown>, key: Record<string, unknown> = { kind: "random", length: 24 }) =>
  verdictOf(
    simulateScenario(
      scenarioOf({
        duration: "20m",
        warmup: "1m",
        stream: { name: "s", ...stream },
        producers: [
          {
            name: "p",
            client: "sdk",
            instances: 4,
            rate: { shape: "step", levels: [{ at: "0s", value: "1500/s" }, { at: "3m", value: "6000/s" }] },
            recordSize: { dist: "fixed", size: "2000B" },
            partitionKey: key,
          },
        ],
        slo: { writeThrottledPercent: 0.1 },
      }),
    ),
  );
const cause = (v: ReturnType<typeof run>) => {
  const c = v.slos[0]!.cause;
  return c?.kind === "writes" ? c.onDemand : undefined;
};

describe("an on-demand stream whose traffic passes twice its previous peak", () => {
  const v = run({ mode: "on-demand", onDemand: { previousPeak: "4MiB/s" } });
  const o = cause(v)!;

  it("throttled from the step until the service's split completed, on the 8 shards it started with", () => {
    expect(o.mode).toBe("on-demand");
    expect(o.fromUs / 1e6).toBeGreaterThanOrEqual(180);
    expect(o.fromUs / 1e6).toBeLessThan(185);
    expect(o.untilUs).toBe(1_080_000_000);
    expect([o.openShards, o.startShards]).toEqual([8, true]);
    expect(o.split).toMatchObject({ calledAtUs: 240_000_000, doneAtUs: 1_080_000_000, done: true });
    expect(o.peakOffered!.bytesPerSecond / (6000 * 2024)).toBeGreaterThan(0.99);
    expect(o.peakOffered!.bytesPerSecond / (6000 * 2024)).toBeLessThan(1.01);
  });

  it("the missed SLO says so, with the remedies worked out by hand", () => {
    const why = v.slos[0]!.why!;
    expect(why).toContain(". Stream s is On-demand Standard: from 0:03:0");
    expect(why).toMatch(/ to 0:18:00 its traffic passed what its 8 open shards take, 8 MiB\/s and 8,000 records\/s, twice the previous peak it started from \(4 MiB\/s\), while the service's split, decided at 0:04:00, was under way \(it completed at 0:18:00: \d+ open shards\)\./);
    expect(why).toMatch(/What would have taken it at once: a previous peak of 5\.[78]\d MiB\/s or more \(traffic that high within the 30 days before: pre-warming\); or warm throughput of 12 MiB\/s on On-demand Advantage, capacity ready at once; or a provisioned stream of 12 shards or more \(at an even spread of keys\)$/);
  });

  it("each remedy alone takes the traffic", () => {
    for (const stream of [
      { mode: "on-demand", onDemand: { previousPeak: "5.8MiB/s" } },
      { mode: "on-demand-advantage", onDemand: { previousPeak: "4MiB/s", warmThroughput: "12MiB/s" } },
      { mode: "provisioned", shards: 12 },
    ]) {
      expect(run(stream).putThrottledPercent).toBe(0);
    }
  });
});

describe("an on-demand stream throttled by one hot key", () => {
  it("is not short of shards: no on-demand cause (the split line of the remedy says the service does not isolate keys)", () => {
    // Every record under one key: one shard takes 11.58 MiB/s, the stream's 8 shards far more.
    const v = run({ mode: "on-demand", onDemand: { previousPeak: "4MiB/s" } }, { kind: "hotKeys", keys: [{ key: "k", share: 1 }] });
    expect(v.putThrottledPercent).toBeGreaterThan(1);
    expect(cause(v)).toBeUndefined();
  });
});

// A surge bound by its records: 2,000 → 6,000 records/s of 100 B (24 B keys) at 3 min, 6,000 × 124 B = 727 KiB/s, far
// under a shard's bytes. Warm throughput opens ceil(warm ÷ 1 MiB/s) shards of 1,000 records/s each, so by hand taking
// the busiest minute's ~6,0xx records/s at once needs 7 shards, 7 MiB/s of warm throughput (the byte rate alone said
// 1 MiB/s, one shard of 1,000 records/s), and 7 provisioned shards.
describe("an on-demand surge bound by the records limit", () => {
  const v = verdictOf(
    simulateScenario(
      scenarioOf({
        duration: "20m",
        warmup: "1m",
        stream: { name: "s", mode: "on-demand", onDemand: { previousPeak: "2MiB/s" } },
        producers: [
          {
            name: "p",
            client: "sdk",
            instances: 4,
            rate: { shape: "step", levels: [{ at: "0s", value: "2000/s" }, { at: "3m", value: "6000/s" }] },
            recordSize: { dist: "fixed", size: "100B" },
            partitionKey: { kind: "random", length: 24 },
          },
        ],
        slo: { writeThrottledPercent: 0.1 },
      }),
    ),
  );

  it("names the records limit in the top figures and the why, and asks for the warm throughput its records need", () => {
    expect(v.binding.limit).toBe("shard write records");
    const why = v.slos[0]!.why!;
    expect(why).toContain("mainly by its shard write records limit");
    expect(why).toContain("or warm throughput of 7 MiB/s on On-demand Advantage");
    expect(why).toContain("or a provisioned stream of 7 shards or more");
  });

  it("asks for a previous peak in bytes, the scenario's unit: half the 7 MiB/s that opens the 7 shards, 3.5 MiB/s", () => {
    // stream.onDemand.previousPeak is a byte rate and the service holds shards for twice it at 1 MiB/s a shard: 7 shards
    // need 7 MiB/s, so a previous peak of 3.5 MiB/s (half the ~6,0xx records/s, a records rate, cannot be stated).
    const why = v.slos[0]!.why!;
    expect(why).toContain("What would have taken it at once: a previous peak of 3.5 MiB/s (stream.onDemand.previousPeak is a byte rate: twice it opens 7 shards at 1 MiB/s, each taking 1,000 records/s) or more");
    expect(why).not.toMatch(/previous peak of [\d,.]+ records\/s/);
  });
});
