// The hot shard remedy judges a shard's share of the stream's records by key routing against an even spread's. A stream
// that reshards has no one routing for the run: its shards' expectedShare is what each took after warmup, and its
// shardCount counts the closed parents. Judged on those, a child opened late, hot for its keys, took little of the run's
// records and was "about an even spread's 16.7%: the stream is short of capacity rather than this shard hot" (6 shards
// seen, 5 open) on a stream offered 78% of its capacity. Its share is by key routing over the shards open at the end.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import { PROVENANCE } from "./runResultFixture.js";

// md5("user-1") = 285573413173782752570879317399258818820: on shard 3 of 4 (from 3 × 2^126), in the lower half of
// its range, below the midpoint 3.5 × 2^126 where the scenario splits it.
const MID_OF_SHARD_3 = ((7n * 2n ** 128n) / 8n).toString();

describe("a stream of 4 shards whose shard 3 is split at its midpoint 5 minutes in (key user-1 25% of 3,500 records/s, the rest random)", () => {
  const o = runScenario(
    ScenarioSchema.parse({
      name: "resharded-share",
      seed: 5,
      duration: "10m",
      warmup: "1m",
      stream: { name: "events", shards: 4 },
      producers: [
        { name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: "3500/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "hotKeys", keys: [{ key: "user-1", share: 0.25 }] } },
      ],
      reshards: [{ at: "5m", kind: "split", shard: "shardId-000000000003", hashKey: MID_OF_SHARD_3 }],
    }),
    PROVENANCE,
  );
  const child = o.result.shards.find((s) => s.id === "shardId-000000000004")!;
  const p = o.verdict.hotShardSplits.find((x) => x.shard === child.id);

  it("the child holding user-1 carries 34.4% of the records by key routing over 5 open shards (by hand: 25% + 75% ÷ 8), hot for its keys", () => {
    expect(BigInt("285573413173782752570879317399258818820") < BigInt(MID_OF_SHARD_3)).toBe(true);
    expect(child.life).toMatchObject({ parents: ["shardId-000000000003"], closedAt: null });
    expect(child.throttledRecords).toBeGreaterThan(0);
    // What it took after warmup is far less: it was open for half of the time after warmup, throttled.
    expect(child.expectedShare).toBeLessThan(0.2);
    expect(p).toBeDefined();
    expect(p!.shareOfStream).toBeCloseTo(0.25 + 0.75 / 8, 12);
    expect(p!.evenShare).toBe(1 / 5);
    expect(p).toMatchObject({ evenlyLoaded: false, belowEven: false });
    // Closed: nothing routed to it at the end.
    expect(o.result.shards.find((s) => s.id === "shardId-000000000003")!.routedShareAtEnd).toBe(0);
    expect(o.result.shards.find((s) => s.id === "shardId-000000000005")!.routedShareAtEnd).toBeCloseTo(0.75 / 8, 12);
  });

  it("the report does not call the stream short of capacity: it was offered 78% of it (3,500 records/s over 4.5 open shards on average)", () => {
    expect(Math.abs(o.verdict.streamUtilisation.records / (3_500 / (o.result.stream.openShards.meanAfterWarmup * 1_000)) - 1)).toBeLessThan(0.02);
    expect(o.result.stream.openShards.meanAfterWarmup).toBeCloseTo(4.5, 1);
    const md = o.files["report.md"];
    expect(md).not.toContain("short of capacity");
    expect(md).not.toMatch(/It carries [\d.]+% of the stream's records/);
  });
});
