// Put attempts throttled, met while a shard keeps pace only on its write burst, with KPL producers (aggregation on).
// The KPL retries a refused record until RecordTtl, with no count, but every Kinesis record it sends to a shard, retries
// too, passes its per-shard rate limiter at RateLimit % of the shard's limits (amazon-kinesis-producer limiter.h; the
// processes' limiters act as one of their sum: src/model/producers/kpl.ts). So once the burst runs out, the shard is
// tried at most cap = processes × RateLimit ÷ 100 times its limit a second, and refuses at most (cap − 1) ÷ cap of its
// attempts, however long the run — not all of them, as a client retrying without a limiter would (the rule said 100%
// for any KPL, and flagged any target).
//
// The surge of burstThrottleAndPutLatency.test, in 1,000 B records (aggregated, the shard's byte limit binds): one shard,
// stream.writeBurst 60 s, 500 records/s until 3:00, then 1,500 records/s, about 1.58 MB/s of aggregates against
// 1 MiB/s: the shard refuses s ≈ 1/3 of what it is offered once the burst runs out (0:04:59).
// - One process (cap 1.5): at most 0.5 ÷ 1.5 = 1/3 of the attempts refused. A 40% target is above it: met outright; to
//   15:00 the model throttles 26.7% (≤ 1/3) and to 30:00 30.1%. A 20% target is under it: met so far (to 15:00, 26.7%:
//   missed).
// - Four processes (cap 6): at most 5 ÷ 6 = 83% refused: a 40% target is met so far; to 15:00 the model throttles
//   76.2%, missed.
// - A KPL process beside an SDK producer (3 attempts, no limiter) on the shard: the cap holds the KPL's attempts only,
//   the SDK's retries come on top of it, so no bound under all of them holds. 1,200 + 600 records/s from 3:00 (the
//   KPL's 1,200 alone fit its cap of 1.5 MiB/s); to 15:00 the model throttles 59% (over the 1/3 the cap alone would
//   allow): at 4:00, nothing refused yet and the burst lasting to 4:15, a 40% target is met so far, not met outright
//   (helper-135; 0% then: the shard refuses about 44% of what it is offered once the burst is out).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const run = (duration: string, instances: number, target: number) =>
  verdictOf(
    simulateScenario(
      scenarioOf({
        duration,
        warmup: "1m",
        stream: { shards: 1, writeBurst: "60s" },
        producers: [
          {
            name: "p",
            client: "kpl",
            instances,
            rate: { shape: "step", levels: [{ at: "0s", value: "500/s" }, { at: "3m", value: "1500/s" }] },
            recordSize: { dist: "fixed", size: "1000B" },
            partitionKey: { kind: "random", length: 36 },
          },
        ],
        slo: { writeThrottledPercent: target },
      }),
    ),
  ).slos.find((s) => s.name === "writeThrottledPercent")!;

describe("KPL producers on a write burst: put attempts throttled judged by their rate limiters' cap", () => {
  it("one process (cap 1.5, at most a third refused): a 40% target is met outright at 4:30, not met so far", () => {
    const s = run("270s", 1, 40);
    expect(s.met).toBe(true);
    expect(s.onWriteBurst).toBeUndefined();
    expect(s.onGrowingBacklog).toBeUndefined();
  });

  it("one process: a 20% target, under a third, is met so far at 4:30", () => {
    const s = run("270s", 1, 20);
    expect(s.met).toBe(true);
    expect(s.onWriteBurst?.shard).toBe("shardId-000000000000");
  });

  it("is true of a longer run: to 15:00 one process throttles between 20% and a third", () => {
    const s = run("900s", 1, 40);
    expect(s.actual).toBeGreaterThan(20);
    expect(s.actual).toBeLessThanOrEqual(100 / 3 + 0.1);
  });

  it("four processes (cap 6, at most 83% refused): a 40% target is met so far, and missed to 15:00 (under 5/6)", () => {
    expect(run("270s", 4, 40).onWriteBurst?.shard).toBe("shardId-000000000000");
    const long = run("900s", 4, 40);
    expect(long.met).toBe(false);
    expect(long.actual).toBeLessThanOrEqual((100 * 5) / 6 + 0.1);
  });
});

describe("a KPL process and an SDK producer on one shard: the cap does not bound the SDK's retries", () => {
  const mixed = (duration: string) =>
    verdictOf(
      simulateScenario(
        scenarioOf({
          duration,
          warmup: "1m",
          stream: { shards: 1, writeBurst: "60s" },
          producers: [
            {
              name: "p",
              client: "kpl",
              instances: 1,
              rate: { shape: "step", levels: [{ at: "0s", value: "500/s" }, { at: "3m", value: "1200/s" }] },
              recordSize: { dist: "fixed", size: "1000B" },
              partitionKey: { kind: "random", length: 36 },
            },
            {
              name: "q",
              client: "sdk",
              rate: { shape: "step", levels: [{ at: "0s", value: "100/s" }, { at: "3m", value: "600/s" }] },
              recordSize: { dist: "fixed", size: "1000B" },
              partitionKey: { kind: "random" },
            },
          ],
          slo: { writeThrottledPercent: 40 },
        }),
      ),
    ).slos.find((s) => s.name === "writeThrottledPercent")!;

  it("a 40% target is met so far at 4:00, and missed to 15:00 (over the third the KPL's cap alone allows)", () => {
    const short = mixed("240s");
    expect(short.met).toBe(true);
    expect(short.onWriteBurst?.shard).toBe("shardId-000000000000");
    const long = mixed("900s");
    expect(long.met).toBe(false);
    expect(long.actual).toBeGreaterThan(100 / 3);
  });
});
