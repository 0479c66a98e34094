// A sweep row's write reason "hot shard" only for a shard that takes more than an even spread's share of the records
// (helper-51: 7 shards of random keys, one throttled at 14.3% = 1/7, was "hot shard: … gets 14.3%"; the single run's
// remedy called it "short of capacity", and 8 shards met the SLO). Hand-built results, so each share is set exactly.
import { describe, expect, it } from "vitest";
import { judge } from "../../src/result/judge.js";
import { hotForKeys } from "../../src/result/splitProposal.js";
import { reasonsOf } from "../../src/sweep/summary.js";
import { producer, runResult, shard } from "../report/runResultFixture.js";

/** 8 shards with the given shares; shard 3 throttled 500 attempts by the records limit. */
function run(shares: number[]) {
  const shards = shares.map((share, i) => shard(i, { expectedShare: share, ...(i === 3 ? { throttledRecords: 500, throttledByRecordLimit: 500 } : {}) }));
  const r = runResult({ shards, slo: { writeThrottledPercent: 0.1 }, producers: [producer({ attempts: 100_000, throttledAttempts: 500 })] });
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
    const r = runResult({ shards, slo: { writeThrottledPercent: 0.1 }, producers: [producer({ attempts: 100_000, throttledAttempts: 500 * throttledShards.length })] });
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
