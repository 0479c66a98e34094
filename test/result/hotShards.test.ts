// The hottest shard is the one most over its limits, by the load its writers' first attempts offered it
// (ShardResult.demand), not the one with the most throttled attempts: those count every retry, and a writer that
// retries often and fast multiplies them. Built on simulated runs: two shards, each written by its own producer group
// through an ExplicitHashKey inside its range.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run.js";
import { ScenarioSchema } from "../../src/spec/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { hottestFirst } from "../../src/result/hotShards.js";
import { peak, PROVENANCE, shard } from "../report/runResultFixture.js";

const HALF = 2n ** 127n;
const STAT_SECONDS = 50; // 60 s, 10 s of warmup

function producer(name: string, rate: string, hashKey: bigint, retry: Record<string, unknown>) {
  return {
    name,
    client: "sdk",
    instances: 4,
    rate: { shape: "constant", value: rate },
    recordSize: { dist: "fixed", size: "100B" },
    partitionKey: { kind: "explicit", hashKeys: [hashKey.toString()], length: 36 },
    retry,
  };
}

function run(shards: number, producers: unknown[]) {
  return runScenario(ScenarioSchema.parse({ name: "hot-rank", seed: 1, duration: "60s", warmup: "10s", stream: { name: "events", shards }, producers }), PROVENANCE);
}

describe("a shard offered 110% by a producer that retries fast, and one offered 200% by a producer that does not retry", () => {
  // shardId-000000000000 (hash keys below 2^127) gets 1,100 records/s from `retrier` (up to 1,000 attempts, 1 ms apart);
  // shardId-000000000001 gets 2,000 records/s from `once` (1 attempt). Both are held at 1,000 records/s.
  const o = run(2, [
    producer("retrier", "1100/s", 1n, { maxAttempts: 1000, base: "1ms", cap: "1ms" }),
    producer("once", "2000/s", HALF + 1n, { maxAttempts: 1 }),
  ]);
  const [s0, s1] = o.result.shards as [(typeof o.result.shards)[number], (typeof o.result.shards)[number]];

  it("each shard's demand is its writer's rate: 110% and 200% of the 1,000 records/s limit", () => {
    expect(s0.demand.records).toBe(1_100 * STAT_SECONDS);
    expect(s1.demand.records).toBe(2_000 * STAT_SECONDS);
    expect(s0.demand.bytes).toBe(s0.demand.records * 136);
    expect(s0.demand.utilisation).toBeCloseTo(1.1, 9);
    expect(s1.demand.utilisation).toBeCloseTo(2, 9);
  });

  it("the verdict, report.json, the hot shard series and report.md name the 200% shard hottest, where ranking by throttled attempts named the other", () => {
    // The retries throttle many more attempts on the 110% shard: the ordering before (most throttled attempts, then
    // peak-second utilisation, retries included in both) named it hottest.
    expect(s1.throttledRecords).toBe(1_000 * STAT_SECONDS); // every record over the limit, once
    expect(s0.throttledRecords).toBeGreaterThan(10 * s1.throttledRecords);
    const old = [0, 1].sort((a, b) => {
      const x = o.result.shards[a]!;
      const y = o.result.shards[b]!;
      return y.throttledRecords - x.throttledRecords || y.peakOffered.utilisation - x.peakOffered.utilisation || a - b;
    });
    expect(old[0]).toBe(0);

    expect(o.verdict.hottestShard!.id).toBe("shardId-000000000001");
    expect(o.verdict.hottestShard!.demand.utilisation).toBeCloseTo(2, 9);
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    expect(json.verdict.hottestShard!.id).toBe("shardId-000000000001");
    expect(json.verdict.hottestShard!.demand).toEqual({ records: 100_000, bytes: 13_600_000, utilisation: 2 });
    expect(json.hottestShards).toEqual(["shardId-000000000001", "shardId-000000000000"]);
    expect(json.shards.map((s) => s.demand.utilisation)).toEqual([1.1, 2]);
    expect(o.result.hotShardSeries.map((s) => s.shard)).toEqual(["shardId-000000000001", "shardId-000000000000"]);
    const bullet = o.files["report.md"].split("\n").find((l) => l.startsWith("- Hottest shard:"))!;
    expect(bullet).toContain("**shardId-000000000001**");
    expect(bullet).toContain("Its writers' first attempts offered it 200.0% of its limit after warmup, retries not counted again.");
  });
});

describe("the ordering (hottestFirst), on shards built by hand", () => {
  const d = (utilisation: number) => ({ records: 0, bytes: 0, utilisation });

  it("shards that throttled first, each group by demand; equal demand by throttled attempts, then peak second, then shard order", () => {
    const shards = [
      shard(0, { demand: d(0.95) }), // the highest demand, but it did not throttle: last
      shard(1, { demand: d(0.5), throttledRecords: 10 }), // the most throttled attempts, the lowest demand of those that throttled
      shard(2, { demand: d(0.8), throttledRecords: 5, peakOffered: peak(20, 900, 0) }),
      shard(3, { demand: d(0.8), throttledRecords: 5, peakOffered: peak(20, 950, 0) }),
      shard(4, { demand: d(0.8), throttledRecords: 6, peakOffered: peak(20, 900, 0) }),
      shard(5, { demand: d(0.8), throttledRecords: 5, peakOffered: peak(20, 900, 0) }),
    ];
    expect(hottestFirst(shards)).toEqual([4, 3, 2, 5, 1, 0]);
  });
});

describe("a shard's demand counts the records first attempts offered after warmup", () => {
  it("500 records/s of 100 B + 36 B keys on one shard, no throttling: 500 × 50 s = 25,000 records, all of them accepted", () => {
    const o = run(1, [producer("steady", "500/s", 1n, {})]);
    const s = o.result.shards[0]!;
    expect(s.throttledRecords).toBe(0);
    expect(s.demand.records).toBe(500 * STAT_SECONDS);
    expect(s.demand.bytes).toBe(500 * STAT_SECONDS * 136);
    expect(s.demand.utilisation).toBeCloseTo(0.5, 9);
    // Stamped as the accepted records are (a producer window's at its start): the same records after warmup.
    expect(s.demand.records).toBe(s.incomingRecords);
    expect(s.demand.bytes).toBe(s.incomingBytes);
  });

  it("1,500 records/s on one shard: the demand is the same with 1 attempt or 10, while throttled attempts grow with the retries", () => {
    const once = run(1, [producer("p", "1500/s", 1n, { maxAttempts: 1 })]).result.shards[0]!;
    const retried = run(1, [producer("p", "1500/s", 1n, { maxAttempts: 10, base: "5ms", cap: "20ms" })]).result.shards[0]!;
    expect(once.demand.records).toBe(1_500 * STAT_SECONDS);
    expect(retried.demand).toEqual(once.demand);
    expect(retried.demand.utilisation).toBeCloseTo(1.5, 9);
    expect(retried.throttledRecords).toBeGreaterThan(2 * once.throttledRecords);
  });
});

describe("a resharded stream's shards: demand per second of their life after warmup", () => {
  it("1,200 records/s on one shard split at 30 s into halves: the parent at 120% while open, each child at 60%", () => {
    const o = runScenario(
      ScenarioSchema.parse({
        name: "hot-rank-split",
        seed: 1,
        duration: "60s",
        warmup: "10s",
        stream: { name: "events", shards: 1, reshardDuration: { splitMerge: "0s" } },
        reshards: [{ at: "30s", kind: "split", shard: 0, hashKey: HALF.toString() }],
        // 600 records/s at each end of the hash key space: one to each child.
        producers: [producer("low", "600/s", 0n, {}), producer("high", "600/s", HALF, {})],
      }),
      PROVENANCE,
    );
    const [parent, a, b] = o.result.shards;
    expect(parent!.life!.closedAt).toBe(30e6);
    expect(a!.life!.openedAt).toBe(30e6);
    // 1,200 records/s over the 20 s the parent was open after warmup, 600 records/s on each child over 30 s.
    expect(parent!.demand.records).toBe(1_200 * 20);
    expect(parent!.demand.utilisation).toBeCloseTo(1.2, 9);
    expect(a!.demand.records).toBe(600 * 30);
    expect(a!.demand.utilisation).toBeCloseTo(0.6, 9);
    expect(b!.demand.utilisation).toBeCloseTo(0.6, 9);
    expect(o.verdict.hottestShard!.id).toBe(parent!.id);
  });
});
