// A sweep row's write reason "hot shard" only for a shard that takes more than an even spread's share of the records
// (helper-51: 7 shards of random keys, one throttled at 14.3% = 1/7, was "hot shard: … gets 14.3%"; the single run's
// remedy called it "short of capacity", and 8 shards met the SLO). Hand-built results, so each share is set exactly.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runScenario } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import { judge } from "../../src/result/judge.js";
import type { ShardResult, ShardTraffic } from "../../src/result/runResult.js";
import { hotForKeys } from "../../src/result/splitProposal.js";
import { reasonsOf } from "../../src/sweep/summary.js";
import { PROVENANCE, producer, runResult, shard } from "../report/runResultFixture.js";

/** A throttled shard's traffic as a run gives it: 1,050 records/s of 100 B random keys spread over its range (over its 1,000). */
function traffic(s: ShardResult): ShardTraffic {
  const l = { recordsPerSecond: 1_050, bytesPerSecond: 105_000, peakRecordsPerSecond: 1_050, peakBytesPerSecond: 105_000 };
  return { shard: s.id, startingHashKey: s.startingHashKey, endingHashKey: s.endingHashKey, writers: [{ name: "web", ...l, peakToMean: 1 }], keys: [], spread: l, aggregatedKeys: 0 };
}

/** 8 shards with the given shares; shard 3 throttled 500 attempts by the records limit. */
function run(shares: number[]) {
  const shards = shares.map((share, i) => shard(i, { expectedShare: share, ...(i === 3 ? { throttledRecords: 500, throttledByRecordLimit: 500 } : {}) }));
  const r = runResult({ shards, slo: { writeThrottledPercent: 0.1 }, producers: [producer({ attempts: 100_000, throttledAttempts: 500 })], hotShardTraffic: [traffic(shards[3]!)] });
  return reasonsOf(r, judge(r)).filter((x) => x.slo === "writeThrottledPercent").map((x) => x.reason);
}

describe("a sweep row's write reason with one throttled shard of 8", () => {
  it("at an even spread's 12.5%, the stream's capacity, not a hot shard", () => {
    expect(run(Array.from({ length: 8 }, () => 0.125))).toEqual(["write capacity: shard write records on 1 of 8 shards"]);
  });

  it("at 13.7% (within 1.1 × 12.5%), still the stream's capacity", () => {
    const rest = (1 - 0.137) / 7;
    expect(run(Array.from({ length: 8 }, (_, i) => (i === 3 ? 0.137 : rest)))).toEqual(["write capacity: shard write records on 1 of 8 shards"]);
  });

  it("at 5%, a cold shard (under 12.5% ÷ 1.1), the stream's capacity, not a hot shard", () => {
    const rest = 0.95 / 7;
    expect(run(Array.from({ length: 8 }, (_, i) => (i === 3 ? 0.05 : rest)))).toEqual(["write capacity: shard write records on 1 of 8 shards"]);
  });

  it("a hot shard exactly when the remedy proposes a split of it (hotForKeys), either side of 13.75%", () => {
    for (const share of [0.05, 0.1136, 0.125, 0.1375, 0.1376, 0.2, 0.4]) {
      const rest = (1 - share) / 7;
      const [reason] = run(Array.from({ length: 8 }, (_, i) => (i === 3 ? share : rest)));
      expect(reason!.startsWith("hot shard: ")).toBe(hotForKeys(share, 8));
    }
    expect(hotForKeys(0.1375, 8)).toBe(false);
    expect(hotForKeys(0.1376, 8)).toBe(true);
  });

  it("at 40%, a hot shard", () => {
    const rest = 0.6 / 7;
    expect(run(Array.from({ length: 8 }, (_, i) => (i === 3 ? 0.4 : rest)))).toEqual(["hot shard: shardId-000000000003 gets 40.0% of the records (shard write records limit)"]);
  });
});

describe("a run reason's kind, set where the reason is written (what a sweep that recommends nothing counts)", () => {
  const kinds = (shares: number[], throttledShards: number[]) => {
    const shards = shares.map((share, i) => shard(i, { expectedShare: share, ...(throttledShards.includes(i) ? { throttledRecords: 500, throttledByRecordLimit: 500 } : {}) }));
    const hotShardTraffic = throttledShards.slice(0, 3).map((i) => traffic(shards[i]!));
    const r = runResult({ shards, slo: { writeThrottledPercent: 0.1 }, producers: [producer({ attempts: 100_000, throttledAttempts: 500 * throttledShards.length })], hotShardTraffic });
    return reasonsOf(r, judge(r)).filter((x) => x.slo === "writeThrottledPercent");
  };

  it("a hot shard's kind leaves out which shard and its share", () => {
    const rest = 0.6 / 7;
    expect(kinds(Array.from({ length: 8 }, (_, i) => (i === 3 ? 0.4 : rest)), [3])).toEqual([
      { slo: "writeThrottledPercent", reason: "hot shard: shardId-000000000003 gets 40.0% of the records (shard write records limit)", kind: "a hot shard at the shard write records limit" },
    ]);
    const rest2 = 0.7 / 7;
    expect(kinds(Array.from({ length: 8 }, (_, i) => (i === 5 ? 0.3 : rest2)), [5])[0]!.kind).toBe("a hot shard at the shard write records limit");
  });

  it("write capacity's kind leaves out on how many shards it ran out", () => {
    expect(kinds(Array.from({ length: 8 }, () => 0.125), [1, 2, 3])).toEqual([
      { slo: "writeThrottledPercent", reason: "write capacity: shard write records on 3 of 8 shards", kind: "write capacity: shard write records" },
    ]);
  });
});

describe("a sweep's write reason is what the run's hot shard remedy says (writeRemedy), however many shards throttle", () => {
  /** 4 shards of 700 B records keyed by 500 pages (Zipf, exponent 1), 20 SDK instances, 3 minutes after a minute of warmup. */
  const pages = (o: { rate: string; seed: number; reshards?: unknown[] }) =>
    runScenario(
      ScenarioSchema.parse({
        name: "pages",
        seed: o.seed,
        duration: "4m",
        warmup: "1m",
        stream: { name: "clicks", shards: 4 },
        producers: [{ name: "web", client: "sdk", instances: 20, rate: { shape: "poisson", value: o.rate }, recordSize: { dist: "fixed", size: "700B" }, partitionKey: { kind: "zipf", keys: 500, exponent: 1, prefix: "page-" } }],
        slo: { writeThrottledPercent: 0.1 },
        ...(o.reshards ? { reshards: o.reshards } : {}),
      }),
      PROVENANCE,
    );
  const writeReasons = (o: ReturnType<typeof pages>) => reasonsOf(o.result, o.verdict).filter((x) => x.slo === "writeThrottledPercent").map((x) => x.reason);

  it("2 of 4 shards throttled, both hot for their keys (33.6% and 34.7%), the stream at 80%: hot shard, not write capacity, as the run splits them", () => {
    // Before, more than a quarter of the shards throttling made it "write capacity: shard write records on 2 of 4 shards".
    const o = pages({ rate: "3200/s", seed: 1 });
    const throttled = o.result.shards.filter((s) => s.throttledRecords > 0);
    expect(throttled.map((s) => s.id)).toEqual(["shardId-000000000002", "shardId-000000000003"]);
    for (const s of throttled) expect(hotForKeys(s.expectedShare, 4)).toBe(true);
    expect(o.verdict.streamUtilisation.records).toBeCloseTo(0.8, 2);
    expect(writeReasons(o)).toEqual(["hot shard: shardId-000000000003 gets 34.7% of the records (shard write records limit)"]);
    const md = o.files["report.md"];
    expect(md).not.toContain("short of capacity");
    // The run's splits, rehearsed: no shard throttles once they are done.
    const entries = (parseYaml(/```yaml\n([\s\S]*?)```/.exec(md)![1]!) as { reshards: { shard: string }[] }).reshards;
    expect(entries.map((e) => e.shard)).toEqual(["shardId-000000000003", "shardId-000000000002"]);
    const after = pages({ rate: "3200/s", seed: 1, reshards: entries });
    const open = after.result.shards.filter((s) => (s.life?.closedAt ?? null) === null);
    expect(open).toHaveLength(6);
    for (const s of open) expect(s.throttledRecords).toBe(0);
  });

  it("the same shards at 4,800 records/s (120% of the stream's capacity), the others within their limits: hot shard alone, as the run's splits suffice", () => {
    const o = pages({ rate: "4800/s", seed: 1 });
    expect(o.verdict.streamUtilisation.records).toBeGreaterThan(1.1);
    expect(writeReasons(o)).toEqual(["hot shard: shardId-000000000003 gets 34.7% of the records (shard write records limit)"]);
    expect(o.files["report.md"]).not.toContain("short of capacity");
    const entries = (parseYaml(/```yaml\n([\s\S]*?)```/.exec(o.files["report.md"])![1]!) as { reshards: unknown[] }).reshards;
    const after = pages({ rate: "4800/s", seed: 1, reshards: entries });
    for (const s of after.result.shards.filter((x) => (x.life?.closedAt ?? null) === null)) expect(s.throttledRecords).toBe(0);
  });

  it("at 6,000 records/s shard 1, not hot for its keys (18.6%), is over its limits too: hot shard and write capacity, as the run says both", () => {
    const o = pages({ rate: "6000/s", seed: 1 });
    const one = o.result.shards[1]!;
    expect(hotForKeys(one.expectedShare, 4)).toBe(false);
    expect(one.expectedShare * 6_000).toBeGreaterThan(1_000);
    expect(writeReasons(o)).toEqual(["hot shard: shardId-000000000003 gets 34.7% of the records (shard write records limit)", "write capacity: shard write records on 3 of 4 shards"]);
    expect(o.files["report.md"]).toContain("adding shards to the stream (update-shard-count) is needed as well");
  });
});
