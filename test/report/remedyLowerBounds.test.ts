// The hot shard remedy's words where its figures cannot carry the old sentences (helper-62's findings 1 and 2):
// - a stream written by an application (`output:`) whose throttled puts held its record processors, so the
//   application fell behind and its writer offered only what the stream let through: the remedy's loads are lower
//   bounds, and it must not say a split's children fit (rehearsed, they did not);
// - a throttled shard carrying clearly less than an even spread's share: it is neither hot by key routing nor the
//   stream's shortage ("about an even spread's 50.0%: the stream is short of capacity" was said of a cold shard).
// Counterfactuals keep the old words where they are true: a writer whose application keeps up offers all it needs; an
// evenly loaded shard on a stream over its capacity is the stream's shortage; a producer's hot shard keeps its split.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runScenario, type RunOutputs } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { PROVENANCE } from "./runResultFixture.js";

const MiB = 1_048_576;

/** raw (2 shards) ← web, 500 records/s of 1,000 B → enricher (KCL) → enriched: each record 5 × larger. */
function pipeline(o: { enrichedShards: number; output?: Record<string, unknown>; reshards?: unknown[] }): Record<string, unknown> {
  return {
    name: "held-back",
    seed: 5,
    duration: "4m",
    warmup: "1m",
    streams: [
      { name: "raw", shards: 2 },
      { name: "enriched", shards: o.enrichedShards },
    ],
    producers: [{ name: "web", client: "sdk", stream: "raw", instances: 2, rate: { shape: "poisson", value: "500/s" }, recordSize: { dist: "fixed", size: "1000B" }, partitionKey: { kind: "random", length: 16 } }],
    consumers: [{ name: "enricher", kind: "kcl", stream: "raw", workers: 2, processing: { perRecord: "0.1ms", perBatch: "5ms" }, output: { stream: "enriched", sizeFactor: 5, ...o.output } }],
    ...(o.reshards ? { reshards: o.reshards } : {}),
  };
}

const runIt = (data: Record<string, unknown>): RunOutputs => runScenario(ScenarioSchema.parse(data), PROVENANCE);

/** The ```yaml block of report.md, parsed. */
const yamlBlock = (md: string) => parseYaml(/```yaml\n([\s\S]*?)```/.exec(md)![1]!) as { reshards: unknown[] };

// What enricher needs to write, worked out by hand: 500 records/s, each 5 × 1,000 B of data and its 36 B random key:
// 2,518,000 B/s, 240.1% of a shard's 1 MiB/s; split evenly (random keys), 120.1% a child.
const NEED = (500 * (5 * 1_000 + 36)) / MiB;

describe("an application's writer held back by its output stream's throttling (1 enriched shard)", () => {
  const o = runIt(pipeline({ enrichedShards: 1 }));
  const enriched = o.verdict.streams[1]!;
  const [p] = enriched.hotShardSplits;
  const md = o.files["report.md"];

  it("its figures are lower bounds and the remedy does not say the children fit; rehearsed, they do not", () => {
    // The application fell behind, held back by its throttled puts: its writer offered under half what it needs.
    expect(o.verdict.consumers[0]).toMatchObject({ bottleneck: "output stream", fallingBehind: true });
    expect(p!.load.utilisation).toBeLessThan(NEED / 2);
    expect(enriched.heldBackWriters).toEqual(["enricher → enriched"]);
    expect(p!.heldBack).toEqual(["enricher → enriched"]);
    expect(md).not.toContain("both within a shard's limits");
    expect(md).not.toContain("Both children would be within a shard's limits");
    expect(md).toContain(`would leave its children at least ${Math.round(p!.split!.children[0].recordsPerSecond)} records/s and ${Math.round(p!.split!.children[1].recordsPerSecond)} records/s expected: enricher → enriched was held back by this stream's throttling, so whether they fit is not shown`);
    expect(md).toContain("- These are lower bounds of what its writers need: enricher → enriched was held back by this stream's throttling");
    expect(md).toContain("- Whether both children would be within a shard's limits is not shown: their loads are lower bounds (above).");
    expect(md).toContain(`retries not counted again: a lower bound of their demand, as enricher → enriched was held back by this stream's throttling.`);
    expect(md).toContain(`(mean offered load after warmup): a lower bound of its writers' demand, as enricher → enriched was held back by this stream's throttling.`);
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    expect(json.verdict.hotShardSplits![0]!.heldBack).toEqual(["enricher → enriched"]);
    // The split the report offers to rehearse: each child needs 120% of a shard, and both throttle still.
    const rehearsed = runIt(pipeline({ enrichedShards: 1, reshards: yamlBlock(md).reshards }));
    const children = rehearsed.result.streams[1]!.shards.filter((s) => s.life?.parents.includes(p!.shard));
    expect(children).toHaveLength(2);
    for (const c of children) expect(c.throttledRecords).toBeGreaterThan(c.incomingRecords);
    expect(rehearsed.verdict.streams[1]!.writeThrottledPercent).toBeGreaterThan(50);
  });
});

describe("counterfactual: the same writer giving records up after 3 attempts, so its application keeps up", () => {
  const o = runIt(pipeline({ enrichedShards: 1, output: { retry: { maxAttempts: 3 } } }));
  const enriched = o.verdict.streams[1]!;
  const [p] = enriched.hotShardSplits;

  it("offers what it needs (240.1% of a shard, by hand), no lower bound is said, and one split is not enough", () => {
    expect(o.verdict.consumers[0]!.fallingBehind).toBe(false);
    expect(Math.abs(p!.load.utilisation / NEED - 1)).toBeLessThan(0.02);
    expect(enriched.heldBackWriters).toBeUndefined();
    expect(p!.heldBack).toBeUndefined();
    expect(p!.fits).toBe(false);
    expect(o.files["report.md"]).not.toMatch(/a lower bound of|lower bounds of what|whether they fit is not shown/);
    expect(o.files["report.md"]).toContain("- **One split is not enough**: the busier child would run at 120.");
  });
});

describe("a cold shard of a held-back writer (4 enriched shards, 70% of its records on key user-1)", () => {
  const o = runIt(pipeline({ enrichedShards: 4, output: { partitionKey: { kind: "hotKeys", keys: [{ key: "user-1", share: 0.7 }] } } }));
  const enriched = o.verdict.streams[1]!;
  const cold = enriched.hotShardSplits.filter((p) => p.shareOfStream < 0.25);

  it("is not hot by key routing, and its lower-bound load does not make the stream short of capacity", () => {
    expect(cold.length).toBeGreaterThan(0);
    const md = o.files["report.md"];
    for (const p of cold) {
      // The random 30% over four shards: 7.5% each, under an even 25%.
      expect(p.shareOfStream).toBeCloseTo(0.075, 12);
      expect(p).toMatchObject({ evenlyLoaded: false, belowEven: true, heldBack: ["enricher → enriched"] });
      // Within a shard's limits on a lower bound, it is not shown to have throttled in bursts: no split for them.
      expect(p.split).toBeNull();
      expect(p.bursts).toBeUndefined();
    }
    // The hot shard's split alone, replayed at the end of the warmup (not after splits withdrawn).
    expect(yamlBlock(md).reshards).toEqual([{ at: "1m", kind: "split", shard: enriched.hotShardSplits[0]!.shard, hashKey: enriched.hotShardSplits[0]!.split!.hashKey, stream: "enriched" }]);
    expect(md).not.toContain("short of capacity rather than this shard hot");
    expect(md).toContain(
      "- It carries 7.5% of the stream's records by key routing, under an even spread's 25.0%: it is not hot by key routing, and its load, a lower bound (above), does not show whether the stream is short of capacity.",
    );
  });
});

/** One stream, one SDK producer group. */
function stream(o: { shards: number; rate: string; size: string; partitionKey: Record<string, unknown>; linger?: string; record?: boolean }): RunOutputs {
  return runIt({
    name: "share",
    seed: 5,
    duration: "3m",
    warmup: "1m",
    stream: { name: "events", shards: o.shards },
    producers: [
      { name: "app", client: "sdk", instances: 1, ...(o.linger ? { linger: o.linger } : {}), rate: { shape: "poisson", value: o.rate }, recordSize: { dist: "fixed", size: o.size }, partitionKey: o.partitionKey },
    ],
    ...(o.record ? { fidelity: { granularity: "record" } } : {}),
  });
}

describe("a cold shard that throttled in bursts (2 shards, 70% on one key, 100 KiB records sent in PutRecords of 10 MiB)", () => {
  // Record granularity, 20 s of linger: each request of about 100 records (10 MiB) reaches the shards at once, about 15 of them (1.5 MiB) on the
  // shard without the key, over its 1 MiB bucket, though it is offered 0.15 × 16 × 102,436 B/s = 23.4% of 1 MiB/s on
  // average, and the stream 16 × 102,436 B/s = 78.2% of its 2 MiB/s.
  const o = stream({ shards: 2, rate: "16/s", size: "100KiB", partitionKey: { kind: "hotKeys", keys: [{ key: "user-1", share: 0.7 }] }, linger: "20s", record: true });
  const cold = o.verdict.hotShardSplits.find((p) => p.shareOfStream < 0.5);

  it("carries less than an even share and is offered well within its limits: bursts, not its keys, and not the stream's capacity", () => {
    expect(cold).toBeDefined();
    const p = cold!;
    expect(p.shareOfStream).toBeCloseTo(0.15, 12);
    expect(p).toMatchObject({ evenlyLoaded: false, belowEven: true });
    expect(Math.abs(p.load.utilisation / ((0.15 * 16 * 102_436) / MiB) - 1)).toBeLessThan(0.1);
    const u = o.verdict.streamUtilisation.bytes;
    expect(Math.abs(u / ((16 * 102_436) / (2 * MiB)) - 1)).toBeLessThan(0.05);
    const shard = o.result.shards.find((s) => s.id === p.shard)!;
    expect(shard.throttledRecords).toBeGreaterThan(0);
    expect(shard.peakOffered.utilisation).toBeGreaterThan(1);
    const md = o.files["report.md"];
    expect(md).not.toContain("short of capacity rather than this shard hot");
    expect(md).toContain(
      `- It carries 15.0% of the stream's records by key routing, under an even spread's 50.0%, and its writers offered it ${(100 * p.load.utilisation).toFixed(1)}% of a shard's limits after warmup: ` +
        `it throttled in bursts above them (its busiest second, at`,
    );
    // The stream's mean load is stated, and nothing concluded from it (helper-65: an even spread's "so it is not short of
    // capacity either" was refuted by one more shard).
    expect(md).toContain(`retries included), not for its share of the keys; the stream as a whole was offered ${(100 * u).toFixed(1)}% of its capacity on average.`);
  });
});

describe("an evenly loaded shard that throttled in bursts within its limits (helper-65: 2 shards, 17 records/s of 100 KiB, Poisson)", () => {
  // 17 × 102,436 B/s over 2 shards is 83% of each shard's 1 MiB/s on average; Poisson seconds go over it. With 3 shards
  // (55%) nothing throttles: the stream is short of capacity for its bursts, and adding shards is the remedy.
  const two = stream({ shards: 2, rate: "17/s", size: "100KiB", partitionKey: { kind: "random" }, record: true });

  it("says every shard carries about as much and adding shards spreads the bursts, not 'not short of capacity'; 3 shards do not throttle", () => {
    const p = two.verdict.hotShardSplits.find((x) => x.evenlyLoaded);
    expect(p).toBeDefined();
    expect(p!.load.peakUtilisation).toBeLessThanOrEqual(1);
    expect(Math.abs(p!.load.utilisation / ((0.5 * 17 * 102_436) / MiB) - 1)).toBeLessThan(0.1);
    const md = two.files["report.md"];
    expect(md).toMatch(
      /it throttled in bursts above them \(its busiest second, at [\d:]+, received [\d.]+% of its limit in put attempts, retries included\)\. Every shard carries about as much, so these bursts are every shard's rather than this shard hot: adding shards to the whole stream spreads them over more shards \(update-shard-count; doubling to 4 halves every shard's hash key range\), and a rehearsal shows whether that is enough; bursts the writers make \(batching, linger\) they can smooth themselves\./,
    );
    expect(md).not.toContain("not short of capacity");
    const three = stream({ shards: 3, rate: "17/s", size: "100KiB", partitionKey: { kind: "random" }, record: true });
    expect(three.result.shards.every((sh) => sh.throttledRecords === 0)).toBe(true);
  });
});

describe("an evenly loaded shard whose bursts its producer makes (helper-67: a 20 s linger, 16 records/s of 100 KiB on 2 shards)", () => {
  // Each 20 s request of about 320 records (32 MiB) reaches both shards at once: far over a shard's 1 MiB/s bucket
  // whatever the shard count, though the mean is 78% of 2 shards' limits. Adding shards is not "the remedy": at 4 shards
  // most attempts still throttle.
  const two = stream({ shards: 2, rate: "16/s", size: "100KiB", partitionKey: { kind: "random" }, linger: "20s", record: true });

  it("says adding shards spreads the bursts and a rehearsal shows whether enough, and names the writers' batching; 4 shards still throttle", () => {
    const md = two.files["report.md"];
    expect(md).toContain("Every shard carries about as much, so these bursts are every shard's rather than this shard hot: adding shards to the whole stream spreads them over more shards");
    expect(md).toContain("bursts the writers make (batching, linger) they can smooth themselves.");
    expect(md).not.toContain("is the remedy for all its shards at once (update-shard-count; doubling to 4");
    const four = stream({ shards: 4, rate: "16/s", size: "100KiB", partitionKey: { kind: "random" }, linger: "20s", record: true });
    const throttled = four.result.shards.reduce((n, sh) => n + sh.throttledRecords, 0);
    const accepted = four.result.shards.reduce((n, sh) => n + sh.incomingRecords, 0);
    expect(throttled).toBeGreaterThan(accepted);
  });
});

describe("counterfactuals: the old words where they are true", () => {
  it("an evenly loaded shard of a stream over its capacity is the stream's shortage (2 shards, random keys, 2,600 records/s)", () => {
    // 1,300 records/s a shard (by hand: half of 2,600), over its 1,000.
    const o = stream({ shards: 2, rate: "2600/s", size: "100B", partitionKey: { kind: "random" } });
    expect(o.verdict.hotShardSplits.length).toBeGreaterThan(0);
    for (const p of o.verdict.hotShardSplits) {
      expect(p).toMatchObject({ evenlyLoaded: true, belowEven: false });
      expect(Math.abs(p.load.recordsPerSecond / 1_300 - 1)).toBeLessThan(0.02);
    }
    expect(o.files["report.md"]).toContain(
      "about an even spread's 50.0%: the stream is short of capacity rather than this shard hot, and adding shards to the whole stream is the remedy for all its shards at once (update-shard-count; doubling to 4 halves every shard's hash key range).",
    );
  });

  it("a producer's hot shard keeps its split proposal (1 shard, random keys, 1,300 records/s: 650 a child)", () => {
    const o = stream({ shards: 1, rate: "1300/s", size: "100B", partitionKey: { kind: "random" } });
    const [p] = o.verdict.hotShardSplits;
    expect(p!.heldBack).toBeUndefined();
    expect(p!.fits).toBe(true);
    for (const c of p!.split!.children) expect(Math.abs(c.recordsPerSecond / 650 - 1)).toBeLessThan(0.02);
    const md = o.files["report.md"];
    expect(md).toMatch(/would leave its children \d[\d,]* records\/s and \d[\d,]* records\/s expected: both within a shard's limits/);
    expect(md).toContain("- Both children would be within a shard's limits.");
    expect(md).not.toMatch(/a lower bound of|lower bounds of what|whether they fit is not shown/);
  });
});
