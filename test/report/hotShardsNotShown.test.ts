// The hot shard remedy works out the hottest 3 throttled shards of a stream (SPLIT_SHARDS): when more throttle, report.md
// says how many it does not show and how many of those are hot for their keys, and report.json holds the counts. Before,
// 6 throttled shards, 5 of them hot for their keys, read as if the 3 splits shown were all there was to do.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runScenario, type RunOutputs } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { PROVENANCE } from "./runResultFixture.js";

const SHARDS = 8;
/** Keys that hash to shards 1, 2, 3, 4 and 5 of 8 (0.06 of the records each), and device-1 to shard 6 (0.035). */
const HOT = ["device-2", "device-3", "device-11", "device-12", "device-9"];
const shardOf = (key: string) => Number(BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`) / (2n ** 128n / BigInt(SHARDS)));

function scenario(reshards?: unknown[]): Record<string, unknown> {
  return {
    name: "not-shown",
    seed: 5,
    duration: "4m",
    warmup: "1m",
    stream: { name: "events", shards: SHARDS },
    producers: [
      {
        name: "app",
        client: "sdk",
        instances: 8,
        rate: { shape: "poisson", value: "8800/s" },
        recordSize: { dist: "fixed", size: "100B" },
        partitionKey: { kind: "hotKeys", keys: [...HOT.map((key) => ({ key, share: 0.06 })), { key: "device-1", share: 0.035 }] },
      },
    ],
    ...(reshards ? { reshards } : {}),
  };
}
const runIt = (data: Record<string, unknown>): RunOutputs => runScenario(ScenarioSchema.parse(data), PROVENANCE);

describe("6 throttled shards of 8: five with a hot key (14.3% of the records each), one evenly loaded (11.8%)", () => {
  const o = runIt(scenario());
  const sv = o.verdict.streams[0]!;
  const md = o.files["report.md"];

  it("the keys' shards and shares, by hand: the random keys' 0.665 ÷ 8 = 8.3125% on every shard, 0.06 more on five (over 1.1 × 12.5%), 0.035 on one (within it)", () => {
    expect(HOT.map(shardOf)).toEqual([1, 2, 3, 4, 5]);
    expect(shardOf("device-1")).toBe(6);
    const share = (i: number) => o.result.shards[i]!.expectedShare;
    for (const i of [1, 2, 3, 4, 5]) expect(share(i)).toBeCloseTo(0.143125, 3);
    expect(share(6)).toBeCloseTo(0.118125, 3);
    for (const i of [0, 7]) expect(share(i)).toBeCloseTo(0.083125, 3);
    // 8,800 records/s × 14.3125% = 1,260 and × 11.8125% = 1,040, over 1,000; × 8.3125% = 732, under it.
    const throttled = o.result.shards.filter((s) => s.throttledRecords > 0).map((s) => s.id.slice(-1));
    expect(throttled).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it("the verdict analyses the 3 hottest and counts the other 3 throttled shards, 2 of them hot for their keys", () => {
    expect(sv.hotShardSplits).toHaveLength(3);
    for (const p of sv.hotShardSplits) expect(HOT.map(shardOf)).toContain(Number(p.shard.slice(-1)));
    expect(sv.hotShardsNotShown).toEqual({ throttled: 3, hotForKeys: 2 });
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    expect(json.verdict.hotShardsNotShown).toEqual([{ stream: "events", throttled: 3, hotForKeys: 2 }]);
  });

  it("report.md says how many are not shown and how many of those are hot for their keys", () => {
    expect(md).toContain(
      "3 of the 6 throttled shards are shown, the hottest: of the 3 not shown, 2 are hot for their keys too, each with a split of its own that this section does not work out; the splits below do not change their load.",
    );
  });

  it("rehearsed, the snippet's 3 splits leave the load of the 3 shards not shown as it was, and they throttle about as before", () => {
    const m = /```yaml\n([\s\S]*?)```/.exec(md)!;
    const entries = (parseYaml(m[1]!) as { reshards: { shard: string }[] }).reshards;
    expect(entries.map((e) => e.shard)).toEqual(sv.hotShardSplits.map((p) => p.shard));
    const after = runIt(scenario(entries));
    const shown = new Set(entries.map((e) => e.shard));
    const left = o.result.shards.filter((s) => s.throttledRecords > 0 && !shown.has(s.id));
    expect(left).toHaveLength(3);
    for (const s of left) {
      const a = after.result.shards.find((x) => x.id === s.id)!;
      // Their writers' first attempts and what they accepted, within the draws' noise (the records of a window are dealt out
      // over the open shards' routing, which the splits change); the retries of requests that also held records for the
      // split shards come at other times, so the throttled attempts move a little more.
      expect(Math.abs(a.demand.records / s.demand.records - 1)).toBeLessThan(0.01);
      expect(Math.abs(a.incomingRecords / s.incomingRecords - 1)).toBeLessThan(0.01);
      expect(Math.abs(a.throttledRecords / s.throttledRecords - 1)).toBeLessThan(0.1);
    }
  });
});

describe("no more throttled shards than the section shows", () => {
  it("no count and no sentence (3 throttled shards of 8)", () => {
    const data = scenario();
    const p = (data.producers as Record<string, unknown>[])[0]!;
    p.partitionKey = { kind: "hotKeys", keys: HOT.slice(0, 3).map((key) => ({ key, share: 0.06 })) };
    const o = runIt(data);
    expect(o.result.shards.filter((s) => s.throttledRecords > 0)).toHaveLength(3);
    expect(o.verdict.streams[0]!.hotShardsNotShown).toBeUndefined();
    expect((JSON.parse(o.files["report.json"]) as ReportJson).verdict.hotShardsNotShown).toBeUndefined();
    expect(o.files["report.md"]).not.toContain("throttled shards are shown");
  });
});
