// A stream written only by an application (a consumer's `output:`, StreamWriter) scales as one written by producers:
// the shards the on-demand service (or an autoscaling policy) may open are sized from what the stream's writers write
// at their peak, and an application writes what it reads (the peak into the stream it reads, followed up the
// pipeline) times its output's recordsPerRecord (records) and recordsPerRecord × sizeFactor (data bytes).
// On-demand ("Choose the data stream capacity mode", https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html):
// the service adds capacity as the traffic grows, up to twice the previous peak at once and more within about 15 minutes.
// Before the bound counted applications, an application's stream was sized for its first shards only: the service
// never split it (4 shards, 99.4% of the writes throttled for 28 minutes) and a policy that scaled it up crashed the run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shardPlan, writersPeak } from "../../src/model/build.js";
import { simulateScenario } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/index.js";
import { streamsOf, type Scenario } from "../../src/spec/index.js";
import { resourceEstimate } from "../../src/sweep/resources.js";
import { scenarioOf } from "./scenarioOf.js";

const S = 1_000_000;
const MIN = 60 * S;
const MiB = 1_048_576;
const keys = { kind: "random", length: 36 };

type Writer = "application" | "sdk";

/**
 * Two streams, raw (8 shards) and enriched. `application`: web writes `rate` records of 1,000 B to raw, and the
 * enricher (8 KCL workers) writes each record it reads to enriched, sizeFactor 1.5 (1,500 B). `sdk`: the
 * counterfactual, web writes the same records (1,500 B) to enriched itself.
 */
function pipeline(writer: Writer, rate: unknown, enriched: Record<string, unknown>, extra: Record<string, unknown> = {}, sizeFactor = 1.5): Scenario {
  const size = writer === "application" ? "1000B" : `${1000 * sizeFactor}B`;
  return scenarioOf({
    seed: 11,
    duration: "30m",
    warmup: "2m",
    streams: [{ name: "raw", shards: 8 }, { name: "enriched", ...enriched }],
    producers: [{ name: "web", client: "sdk", stream: writer === "application" ? "raw" : "enriched", instances: 8, rate, recordSize: { dist: "fixed", size }, partitionKey: keys }],
    consumers:
      writer === "application"
        ? [{ name: "enricher", kind: "kcl", stream: "raw", workers: 8, processing: { perRecord: "0.01ms", perBatch: "1ms" }, checkpoint: { every: "30s" }, output: { stream: "enriched", sizeFactor, partitionKey: keys } }]
        : [],
    ...extra,
  });
}

const enrichedOf = (r: ReturnType<typeof simulateScenario>) => r.streams.find((s) => s.stream.name === "enriched")!;

/** The end of the last series step with throttled writes on enriched (µs), or null. */
function throttlingEnds(r: ReturnType<typeof simulateScenario>): number | null {
  const t = enrichedOf(r).series.throttledRecords;
  let last = -1;
  t.forEach((x, i) => (x > 0 ? (last = i) : undefined));
  return last < 0 ? null : (last + 1) * r.resolutionUs;
}

const planOf = (s: Scenario, name: string) => shardPlan(s, name, streamsOf(s).find((x) => x.name === name)!.spec, undefined);

describe("the shards planned for a stream count what applications write to it", () => {
  it("an application writing each record it reads 1.5 times larger: 4,000 records/s and 6 MB/s; on-demand may open 24 shards", () => {
    const s = pipeline("application", { shape: "poisson", value: "4000/s" }, { mode: "on-demand" });
    expect(writersPeak(s, "enriched", undefined)).toEqual({ records: 4000, bytes: 6_000_000 });
    // Twice what 6 MB/s needs at the 500 KB/s split trigger (12 shards; 4,000 records/s needs 8 at 500/s). It was the
    // 4 shards of a new stream: the producers write nothing to enriched. The arrays hold the first 4 and twice 24.
    expect(planOf(s, "enriched")).toEqual({ onDemand: true, maxOpen: 24, shardCapacity: 4 + 2 * 24 });
    // The counterfactual: the same load from a producer.
    const sdk = pipeline("sdk", { shape: "poisson", value: "4000/s" }, { mode: "on-demand" });
    expect(planOf(sdk, "enriched")).toEqual(planOf(s, "enriched"));
  });

  it("follows the pipeline: raw → a (2 records a record, half the size) → mid (and a producer) → b (half the records, 3 times the size) → out", () => {
    const s = scenarioOf({
      duration: "10m",
      streams: [{ name: "raw", shards: 2 }, { name: "mid", shards: 2 }, { name: "out", mode: "on-demand" }],
      producers: [
        { name: "web", client: "sdk", stream: "raw", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "800B" } },
        { name: "side", client: "sdk", stream: "mid", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "400B" } },
      ],
      consumers: [
        // Listed downstream first: the order of the consumers does not matter.
        { name: "b", kind: "kcl", stream: "mid", output: { stream: "out", recordsPerRecord: 0.5, sizeFactor: 3 } },
        { name: "a", kind: "kcl", stream: "raw", output: { stream: "mid", recordsPerRecord: 2, sizeFactor: 0.5 } },
      ],
    });
    // mid: 1,000 × 2 + 500 = 2,500 records/s; 800,000 B/s × 2 × 0.5 + 500 × 400 = 1,000,000 B/s.
    expect(writersPeak(s, "mid", undefined)).toEqual({ records: 2500, bytes: 1_000_000 });
    // out: 2,500 × 0.5 = 1,250 records/s; 1,000,000 × 0.5 × 3 = 1,500,000 B/s: 2 × max(3, 2.5) = 6 shards (more than a new stream's 4).
    expect(writersPeak(s, "out", undefined)).toEqual({ records: 1250, bytes: 1_500_000 });
    expect(planOf(s, "out").maxOpen).toBe(6);
  });

  it("an autoscaling policy on an application's stream: 10 calls of up to twice what 6 MB/s needs at its 75% threshold", () => {
    const s = pipeline("application", { shape: "poisson", value: "4000/s" }, { shards: 1 }, { autoscaling: [scalingUtils] });
    // 6,000,000 B/s needs 5.72 shards at 1 MiB/s (4,000 records/s, 4 at 1,000/s); ceil(5.72 ÷ 0.75) = 8, each call opens
    // at most 2 × 8 + 1 = 17, and the run (under 24 h) allows 10 calls: 1 + 170. It was 1 + 10 × 1.
    expect(planOf(s, "enriched").shardCapacity).toBe(1 + 170);
  });

  it("the run's memory estimate counts the per-shard arrays of the shards the service may open (52, not 12)", () => {
    const s = pipeline("application", { shape: "poisson", value: "4000/s" }, { mode: "on-demand" });
    const part = resourceEstimate(s).parts.find((p) => p.what.startsWith("stream enriched:"))!;
    expect(part.what).toMatch(/^stream enriched: 52 shard\(s\) × /);
    expect(part.bytes).toBe(52 * resourceEstimate(s).parts.find((p) => p.what.startsWith("stream raw:"))!.bytes / 8);
  });
});

const scalingUtils = {
  policy: "scaling-utils",
  stream: "enriched",
  scaleOnOperation: ["PUT"],
  checkInterval: 60,
  scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 1, scalePct: 200, coolOffMins: 1 },
  scaleDown: { scaleThresholdPct: 25, scaleAfterMins: 30, scalePct: 50, coolOffMins: 60 },
};

describe("an on-demand stream written only by an application, 4,000 records/s × 1,500 B from the start (app-od, run 35 min)", () => {
  const app = simulateScenario(pipeline("application", { shape: "poisson", value: "4000/s" }, { mode: "on-demand" }, { duration: "35m" }));
  const sdk = simulateScenario(pipeline("sdk", { shape: "poisson", value: "4000/s" }, { mode: "on-demand" }, { duration: "35m" }));

  it("the service splits it at its first check (1:00), done at 15:00, to at least twice the 4 shards; then again", () => {
    const splits = enrichedOf(app).reshards.filter((x) => x.by === "on-demand");
    expect(splits[0]).toMatchObject({ calledAtUs: 1 * MIN, doneAtUs: 15 * MIN });
    expect(splits[0]!.openAfter).toBeGreaterThanOrEqual(8);
    expect(splits.length).toBeGreaterThanOrEqual(2);
    expect(enrichedOf(app).accounting.balanced).toBe(true);
  });

  it("its writes stop throttling before the end, once the backlog of the first 15 minutes is written (about 29½ min)", () => {
    // Until 15:00 the 4 shards take 4 MiB/s of 1,572 B (1,500 B and a 36 B key): 2,668 records/s of the 4,000/s the
    // enricher reads, so it falls behind by about 1,332 records/s × 880 s (throttled from 0:20) = 1.17 M records. From
    // 15:00 the 8 shards take 5,336 records/s: 1,336/s more than arrive, so the backlog is written 877 s later, 29:37.
    // (It was throttled to the end of the run, 35:00.)
    const end = throttlingEnds(app)!;
    expect(end).toBeGreaterThan(27.5 * MIN);
    expect(end).toBeLessThan(31.5 * MIN);
    // Its records wait for their writes: none is lost.
    expect(app.writers[0]!.lostRetriesExhausted).toBe(0);
  });

  it("the counterfactual, the same load from an SDK producer: split at 1:00 too, throttled until it completes (15:00), dropping records instead of falling behind", () => {
    const split = enrichedOf(sdk).reshards.find((x) => x.by === "on-demand")!;
    expect(split).toMatchObject({ calledAtUs: 1 * MIN, doneAtUs: 15 * MIN });
    // Its first attempts offer 6.14 MB/s, 3.07 times the trigger a shard: 4 children each.
    expect(split.openAfter).toBe(16);
    const end = throttlingEnds(sdk)!;
    expect(end).toBeGreaterThan(14.5 * MIN);
    expect(end).toBeLessThanOrEqual(16 * MIN);
    expect(sdk.producers[0]!.lost.throttledPastRetries).toBeGreaterThan(0);
  });
});

describe("a surge on an on-demand stream written by an application, and its counterfactual from a producer", () => {
  // previousPeak 2 MiB/s: 4 shards. 1,000 records/s of 1,000 B (and a 36 B key) until 10:00, then 5,000/s: 1,250 a shard,
  // above a shard's 1,000 records/s. sizeFactor 1: the application writes what the producer writes in the counterfactual.
  const surge = { shape: "step", levels: [{ at: "0s", value: "1000/s" }, { at: "10m", value: "5000/s" }] };
  const stream = { mode: "on-demand", onDemand: { previousPeak: "2MiB/s" } };
  const app = simulateScenario(pipeline("application", surge, stream, { duration: "35m" }, 1));
  const sdk = simulateScenario(pipeline("sdk", surge, stream, { duration: "35m" }, 1));

  it("both are split at the first check that saw the surge (11:00) into 12 shards, done at 25:00", () => {
    // The producer offers 1,250 records/s a shard (1.30 MB/s): 2.59 times the 500 KB/s trigger. The application,
    // waiting for its writes, offers what the shard takes, 1,000 records/s (1.04 MB/s): 2.07 times. 3 children each.
    for (const r of [app, sdk]) {
      expect(enrichedOf(r).reshards.find((x) => x.by === "on-demand")).toMatchObject({ calledAtUs: 11 * MIN, doneAtUs: 25 * MIN, openAfter: 12 });
    }
  });

  it("the producer's throttling stops when the split completes; the application's a little later, its backlog written", () => {
    const sdkEnd = throttlingEnds(sdk)!;
    expect(sdkEnd).toBeGreaterThan(24.5 * MIN);
    expect(sdkEnd).toBeLessThanOrEqual(26 * MIN);
    // 15 minutes at 4,000 of 5,000 records/s: 900,000 behind; 12 shards take 7,000/s more than arrive: 129 s, 27:09.
    const appEnd = throttlingEnds(app)!;
    expect(appEnd).toBeGreaterThan(26 * MIN);
    expect(appEnd).toBeLessThan(29 * MIN);
  });
});

describe("an autoscaling policy on a stream written only by an application", () => {
  // scaling-utils doubling the shards (scalePct 200) after each minute above 75%, from 1 shard, under 6 MB/s.
  const app = () => simulateScenario(pipeline("application", { shape: "poisson", value: "4000/s" }, { shards: 1 }, { autoscaling: [scalingUtils] }));
  const sdk = simulateScenario(pipeline("sdk", { shape: "poisson", value: "4000/s" }, { shards: 1 }, { autoscaling: [scalingUtils] }));

  it("scales up as it does for the same load from a producer (it crashed the run: more shards than planned)", () => {
    const r = app();
    const ups = (x: ReturnType<typeof simulateScenario>) => (enrichedOf(x).scaling ?? []).filter((e) => e.reason === "scale-up" && e.outcome === "ok").map((e) => e.to);
    expect(ups(sdk)).toEqual([2, 4, 8, 16, 32]);
    expect(ups(r)).toEqual(ups(sdk));
    expect(enrichedOf(r).refusedReshards).toBeUndefined();
    expect(enrichedOf(r).accounting.balanced).toBe(true);
  });
});

describe("scenarios/enrichment-pipeline.yaml with the enriched stream on-demand", () => {
  const file = join(import.meta.dirname, "..", "..", "scenarios", "enrichment-pipeline.yaml");
  const text = readFileSync(file, "utf8");
  const from = "{ name: enriched, shards: 1 }";
  if (!text.includes(from)) throw new Error(`scenarios/enrichment-pipeline.yaml no longer contains ${from}`);
  const r = simulateScenario(parseScenario(text.replace(from, "{ name: enriched, shards: 1, mode: on-demand }"), file));
  const enriched = enrichedOf(r);

  it("the service splits enriched at 1:00 and its shards take more than one shard's 1 MiB/s once the split completes", () => {
    // About 1,200 records/s × 1.5 × 850 B: 1.5 MB/s, more than its one shard takes. It was never split.
    const split = enriched.reshards.find((x) => x.by === "on-demand")!;
    expect(split).toMatchObject({ calledAtUs: 1 * MIN, doneAtUs: 15 * MIN });
    expect(split.openAfter).toBeGreaterThanOrEqual(2);
    const step = r.resolutionUs / S;
    const after = enriched.series.incomingBytes.slice(Math.ceil((16 * MIN) / r.resolutionUs));
    const perSecond = after.reduce((a, b) => a + b, 0) / (after.length * step);
    expect(perSecond).toBeGreaterThan(1.2 * MiB);
  });
});
