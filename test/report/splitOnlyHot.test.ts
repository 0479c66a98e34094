// The hot shard remedy proposes a split, and a `reshards:` entry to rehearse it, only for a shard hot for its keys (more
// than 10% over an even spread's share of the stream's records by key routing). An evenly loaded or cold shard over a
// shard's limits shows the stream short of capacity: every shard at an even share is over too, so a split of it leaves
// the others as short, and adding shards to the whole stream is what removes the throttling. Counterfactuals: the
// splits the report used to offer for such shards (the same arithmetic, splitProposal with the shard taken alone),
// rehearsed, against the stream with twice the shards.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runScenario, type RunOutputs } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import { splitProposal } from "../../src/result/splitProposal.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { PROVENANCE } from "./runResultFixture.js";

/** One stream, one SDK producer group of 4 instances, 100 B records, 5 minutes with 1 of warmup. */
function scenario(o: { shards: number; rate: string; partitionKey?: Record<string, unknown>; reshards?: unknown[] }): Record<string, unknown> {
  return {
    name: "split-only-hot",
    seed: 5,
    duration: "5m",
    warmup: "1m",
    stream: { name: "events", shards: o.shards },
    producers: [
      { name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: o.rate }, recordSize: { dist: "fixed", size: "100B" }, ...(o.partitionKey ? { partitionKey: o.partitionKey } : {}) },
    ],
    ...(o.reshards ? { reshards: o.reshards } : {}),
  };
}
const runIt = (data: Record<string, unknown>): RunOutputs => runScenario(ScenarioSchema.parse(data), PROVENANCE);

/** The split the remedy offered before it judged hotness: the balancing split of the shard's traffic, taken alone. */
function oldSplit(o: RunOutputs, shard: string): string {
  const run = o.result.streams[0]!;
  const t = run.hotShardTraffic.find((x) => x.shard === shard)!;
  return splitProposal(run.stream.name, t, run.stream.limits).split!.hashKey;
}

const yamlBlock = (md: string) => {
  const m = /```yaml\n([\s\S]*?)```/.exec(md);
  return m ? (parseYaml(m[1]!) as { reshards: { shard: string }[] }) : null;
};

const throttledOn = (o: RunOutputs, id: string) => o.result.shards.find((s) => s.id === id)!.throttledRecords;

describe("a cold throttled shard: 4 shards offered 6,000 records/s (150% of their capacity), Zipf keys (200, exponent 0.6)", () => {
  const keys = { kind: "zipf", keys: 200, exponent: 0.6 };
  const o = runIt(scenario({ shards: 4, rate: "6000/s", partitionKey: keys }));
  const cold = o.verdict.hotShardSplits.find((p) => p.belowEven)!;
  const md = o.files["report.md"];

  it("shard 2 carries 21.3% of the records, under an even 25%, and is over a shard's limits at that share", () => {
    expect(cold.shard).toBe("shardId-000000000002");
    expect(cold.shareOfStream).toBeCloseTo(0.2128, 4);
    // By hand: its share of what the producer offered after warmup.
    const offered = o.result.producers[0]!.offeredKinesisAfterWarmup / 240;
    expect(Math.abs(offered / 6_000 - 1)).toBeLessThan(0.01);
    expect(cold.load.recordsPerSecond).toBeCloseTo(cold.shareOfStream * offered, 6);
    expect(cold.load.utilisation).toBeGreaterThan(1.2);
    expect(o.result.shards.every((s) => s.throttledRecords > 0)).toBe(true);
  });

  it("gets no split and no reshards: entry; the two shards hot for their keys keep theirs", () => {
    expect(cold.split).toBeNull();
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    const j = json.verdict.hotShardSplits!.find((p) => p.shard === cold.shard)!;
    expect(j).toMatchObject({ belowEven: true, split: null, reshard: null, fits: false });
    expect(md).toContain(
      "- It carries 21.3% of the stream's records by key routing, under an even spread's 25.0%, yet its writers offered it 12",
    );
    expect(md).toContain("the stream as a whole is short of capacity, and adding shards to it lowers this shard's load with every other's (update-shard-count; doubling to 8 halves every shard's hash key range).");
    expect(md).toContain("- No split of it is proposed: a split is the remedy for a shard hot for its keys, more than 10% over an even spread's share of the stream's records, and this one is not (above).");
    const hot = o.verdict.hotShardSplits.filter((p) => p !== cold);
    expect(hot.map((p) => p.shard)).toEqual(["shardId-000000000001", "shardId-000000000003"]);
    for (const p of hot) expect(p.shareOfStream).toBeGreaterThan(1.1 / 4);
    expect(yamlBlock(md)!.reshards.map((e) => e.shard)).toEqual(["shardId-000000000001", "shardId-000000000003"]);
    expect(md).toContain("It leaves out shardId-000000000002, not hot for its keys (above): these splits do not change its load.");
  });

  it("counterfactual: the split once offered for it, rehearsed, leaves the stream throttling nearly as much; 8 shards throttle nothing", () => {
    const rehearsed = runIt(scenario({ shards: 4, rate: "6000/s", partitionKey: keys, reshards: [{ at: "1m", kind: "split", shard: cold.shard, hashKey: oldSplit(o, cold.shard) }] }));
    // Its own range stops throttling (its children take 649 and 627 records/s)...
    const children = rehearsed.result.shards.filter((s) => s.life?.parents.includes(cold.shard));
    expect(children).toHaveLength(2);
    for (const c of children) expect(c.throttledRecords).toBe(0);
    // ...but the shortage is the stream's: shard 0, as cold (21.2%), throttles as much as before, and so do the others.
    for (const id of ["shardId-000000000000", "shardId-000000000001", "shardId-000000000003"]) expect(Math.abs(throttledOn(rehearsed, id) / throttledOn(o, id) - 1)).toBeLessThan(0.02);
    expect(o.verdict.writeThrottledPercent).toBeGreaterThan(65);
    expect(rehearsed.verdict.writeThrottledPercent).toBeGreaterThan(60);
    // Adding shards to the whole stream, as the remedy says.
    const doubled = runIt(scenario({ shards: 8, rate: "6000/s", partitionKey: keys }));
    expect(doubled.verdict.writeThrottledPercent).toBe(0);
  });
});

describe("hot shards on a stream offered more than its capacity (the cold case's stream: 150%)", () => {
  const keys = { kind: "zipf", keys: 200, exponent: 0.6 };
  const o = runIt(scenario({ shards: 4, rate: "6000/s", partitionKey: keys }));
  const md = o.files["report.md"];
  const hot = o.verdict.hotShardSplits.filter((p) => p.split !== null);

  it("each hot shard's split comes with the stream's shortage: the shards not hot for their keys over their limits, and adding shards as well", () => {
    expect(hot.map((p) => p.shard)).toEqual(["shardId-000000000001", "shardId-000000000003"]);
    // By hand: 6,000 records/s of 100 B and a key against 4 × 1,000 records/s.
    const offered = o.result.producers[0]!.offeredKinesisAfterWarmup / 240 / 4_000;
    expect(offered).toBeCloseTo(1.5, 2);
    // Shards 2 (analysed: its writers at their peak rates) and 0 (past the section's 3: its first attempts' mean load),
    // 21.3% and 21.2% of 6,000 records/s: about 1,275 records/s each, over their 1,000.
    const cold = o.verdict.hotShardSplits.find((p) => p.shard === "shardId-000000000002")!;
    const zero = o.result.shards[0]!;
    expect(o.verdict.hotShardSplits.some((p) => p.shard === zero.id)).toBe(false);
    expect(zero.expectedShare).toBeLessThan(1.1 / 4);
    const sentence =
      `- The stream is short of capacity besides this shard's keys: shardId-000000000002 and shardId-000000000000, not hot for their keys, are over a shard's limits too (${(100 * cold.load.peakUtilisation).toFixed(1)}% and ${(100 * zero.demand.utilisation).toFixed(1)}% of them), ` +
      `and a split of this shard leaves them so; adding shards to the stream (update-shard-count) is needed as well (the stream as a whole was offered ${(100 * offered).toFixed(1)}% of its capacity on average).`;
    expect(md.split(sentence).length - 1).toBe(2);
  });

  it("counterfactual: the two hot shards' splits, rehearsed, leave the stream throttling; 8 shards throttle nothing", () => {
    const reshards = hot.map((p, i) => ({ at: ["1m", "2m"][i], kind: "split", shard: p.shard, hashKey: p.split!.hashKey }));
    const rehearsed = runIt(scenario({ shards: 4, rate: "6000/s", partitionKey: keys, reshards }));
    expect(rehearsed.verdict.writeThrottledPercent).toBeGreaterThan(20);
    expect(runIt(scenario({ shards: 8, rate: "6000/s", partitionKey: keys })).verdict.writeThrottledPercent).toBe(0);
  });

  it("nor of a stream offered more than its capacity whose shards not hot for their keys fit (4,600 records/s of 200 keys, 115%): the splits, rehearsed, leave none throttling", () => {
    // Before, its mean over its capacity alone said so; each split adds a shard, and the hot shards carry the excess.
    const keys200 = { kind: "zipf", keys: 200, exponent: 1 };
    const over = runIt(scenario({ shards: 4, rate: "4600/s", partitionKey: keys200 }));
    expect(over.verdict.streamUtilisation.records).toBeGreaterThan(1.1);
    const splits = over.verdict.hotShardSplits.filter((p) => p.split !== null);
    expect(splits.map((p) => p.shard)).toEqual(["shardId-000000000001", "shardId-000000000003"]);
    for (const s of over.result.shards.filter((x) => !splits.some((p) => p.shard === x.id))) expect(s.demand.utilisation).toBeLessThan(1);
    const text = over.files["report.md"];
    expect(text).not.toContain("short of capacity");
    const after = runIt(scenario({ shards: 4, rate: "4600/s", partitionKey: keys200, reshards: yamlBlock(text)!.reshards }));
    const open = after.result.shards.filter((s) => (s.life?.closedAt ?? null) === null);
    expect(open).toHaveLength(6);
    for (const s of open) expect(s.throttledRecords).toBe(0);
  });

  it("is not said of a hot shard on a stream within its capacity", () => {
    const within = runIt(scenario({ shards: 4, rate: "3000/s", partitionKey: { kind: "zipf", keys: 20, exponent: 1.2 } }));
    expect(within.verdict.hotShardSplits.some((p) => p.split !== null)).toBe(true);
    expect(within.files["report.md"]).not.toContain("The stream as a whole was offered");
  });
});

describe("evenly loaded throttled shards: 4 shards of random keys offered 4,400 records/s (helper-44: 110% each)", () => {
  const o = runIt(scenario({ shards: 4, rate: "4400/s" }));
  const md = o.files["report.md"];

  it("every proposal is for an evenly loaded shard, with no split; no reshards: snippet, and the stream's shortage said instead", () => {
    expect(o.verdict.hotShardSplits).toHaveLength(3);
    for (const p of o.verdict.hotShardSplits) {
      expect(p).toMatchObject({ shareOfStream: 0.25, evenlyLoaded: true, split: null });
      // By hand: a quarter of 4,400.
      expect(Math.abs(p.load.recordsPerSecond / 1_100 - 1)).toBeLessThan(0.02);
    }
    expect(yamlBlock(md)).toBeNull();
    expect(md).not.toContain("Split at");
    expect(md).toContain(
      "No split is proposed: no shard here is hot for its keys (above). The stream as a whole is short of capacity: adding shards to it (update-shard-count) lowers every shard's load at once.",
    );
    expect(md).toContain("It is not hot for its keys, so no split of it is proposed (see Hot shard remedy).");
  });

  it("counterfactual: the three splits once offered, rehearsed, leave the fourth shard throttling as before; 8 shards throttle nothing", () => {
    const left = ["0", "1", "2", "3"].map((i) => `shardId-00000000000${i}`).find((id) => !o.verdict.hotShardSplits.some((p) => p.shard === id))!;
    const reshards = o.verdict.hotShardSplits.map((p, i) => ({ at: ["1m", "90s", "2m"][i], kind: "split", shard: p.shard, hashKey: oldSplit(o, p.shard) }));
    const rehearsed = runIt(scenario({ shards: 4, rate: "4400/s", reshards }));
    expect(throttledOn(o, left)).toBeGreaterThan(0);
    expect(Math.abs(throttledOn(rehearsed, left) / throttledOn(o, left) - 1)).toBeLessThan(0.02);
    expect(rehearsed.verdict.writeThrottledPercent).toBeGreaterThan(0);
    expect(runIt(scenario({ shards: 8, rate: "4400/s" })).verdict.writeThrottledPercent).toBe(0);
  });
});
