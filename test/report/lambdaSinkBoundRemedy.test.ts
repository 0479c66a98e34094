// A Lambda consumer whose Redshift sink (one COPY at a time for all the lanes) is already its bound: the "sink" verdict
// offers what would raise that bound — a larger batch (each COPY carries more records for its fixed time) or a faster
// COPY — sized as lambdaRemedy sizes a shared sink for lanes over their bound (REMEDY_HEADROOM × the stream's records),
// with the lanes taking the busiest shard's records at it. Each offered remedy, rerun, keeps up.
//
// lambdaSinkSharedWrites.test.ts's B: 8 shards of 60 records/s (480/s, random keys, 500 B), batches of 100, 1.2 s of
// compute an invocation and none a record, a staging put of 100 ms and a COPY of 250 ms. By hand:
// - the COPYs load at most 100 ÷ 0.25 s = 400 records/s; the lanes alone 8 × 100 ÷ 1.55 s = 516.1: the sink binds;
// - the sink must carry 1.1 × 480 = 528 records/s: at batches of b records, b ÷ 0.25 s ≥ 528 ⇔ b ≥ 132; a lane at 132
//   takes 132 ÷ 1.55 s = 85.2 records/s, over 1.1 × the busiest shard's ~60 (66);
// - or a COPY of a batch of 100 under 100 ÷ 528 s = 189.39 ms: a lane then takes 100 ÷ (1.2 + 0.1 + 0.18939) s = 67.14
//   records/s, over 66 (the busiest shard's rate, about 60, with 10% to spare: at most 61.0 for one lane to do).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

function run(o: { batchSize?: number; copy?: string; shards?: number; rate?: string; compute?: string; duration?: string }): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: o.duration ?? "10m",
      warmup: "1m",
      stream: { shards: o.shards ?? 8 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: o.rate ?? "480/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: o.batchSize ?? 100,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "30s", duration: { perInvocation: o.compute ?? "1200ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink: { kind: "redshift", putLatency: { dist: "fixed", value: "100ms" }, copy: { fixed: o.copy ?? "250ms", perMiB: "0ms" } },
        },
      ],
    }),
  );
}

describe("a Redshift sink that is a Lambda consumer's bound: the sink verdict offers a larger batch or a faster COPY", () => {
  const r = run({});
  const cv = judge(r).consumers.find((x) => x.name === "f")!;
  const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;

  it("the sink binds: 400 records/s processed of 480, the verdict 'sink'", () => {
    expect(cv.bottleneck).toBe("sink");
    expect(cv.fallingBehind).toBe(true);
    expect(cv.processedPerSecond / 400).toBeGreaterThan(0.99);
    expect(cv.processedPerSecond / 400).toBeLessThan(1.01);
  });

  it("the remedy by hand: a batch of 132 (528 records/s loaded), or a COPY of a batch of 100 under 189.39 ms with a lane at 67.14 records/s", () => {
    const sr = cv.sinkRemedy!;
    expect(sr).toBeDefined();
    const sl = sr.remedy.sink!;
    expect(sl.carries).toBe(false);
    expect(sl.perSecond).toBeCloseTo(400, 9);
    // The stream's mean (480 by its producer's constant rate) × 1.1.
    expect(sl.needPerSecond / 528).toBeGreaterThan(0.995);
    expect(sl.needPerSecond / 528).toBeLessThan(1.002);
    expect(sl.batchSize).toBe(132);
    expect(sr.remedy.batchSize).toBe(132);
    expect(sr.remedy.batchSizeSinkPerSecond).toBeCloseTo(528, 9);
    expect(sr.remedy.batchSizePerSecond).toBeCloseTo(132 / 1.55, 6);
    expect(sl.writeUnderUs).toBeCloseTo((100 / sl.needPerSecond) * 1e6, 3);
    expect(sl.writeUnderLanePerSecond).toBeCloseTo(100 / (1.3 + sl.writeUnderUs / 1e6), 6);
    expect(sl.writeUnderParallelization).toBe(1);
  });

  it("the verdict says both, after the sink's limit", () => {
    expect(text).toContain("its cluster runs one COPY at a time for all 8 of its lanes, so it writes at most 400 records/s whatever the lanes");
    // The busiest shard took 60.8 records/s in this run (random keys over 8 shards of 480/s): 66.88 with 10% to spare.
    expect(text).toContain(
      "What would raise that to the 528 records/s its shards need (their 480 records/s with 10% to spare), with its lanes taking 66.9 records/s on shardId-000000000000, its busiest shard (60.8 records/s with 10% to spare), each alone: a batch of 132 records (its cluster then loads 528 records/s; a lane 85.2 records/s); or a COPY of a batch of 100 records under 189.3 ms (it takes 250 ms; a lane then 67.1 records/s).",
    );
  });

  it("each remedy rerun keeps up: a batch of 132, or COPYs of 189 ms; the sink no longer binds", () => {
    for (const rerun of [run({ batchSize: 132 }), run({ copy: "189ms" })]) {
      const v = judge(rerun).consumers.find((x) => x.name === "f")!;
      expect(v.fallingBehind).toBe(false);
      expect(v.bottleneck).toBe("none");
      expect(v.processedPerSecond / 480).toBeGreaterThan(0.99);
      expect(rerun.consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(10_000_000);
    }
  });
});

describe("named by its lanes waiting for flushes (lambdaSinkSharedWrites A): the same remedies", () => {
  // 4 shards of 50 records/s, 20 ms of compute, COPYs of 1 s: at most 100 records/s loaded, the lanes waiting for flushes
  // all their time. The sink must carry 1.1 × 200 = 220 records/s: b ÷ 1 s ≥ 220 ⇔ b ≥ 220 (221 on the run's own mean,
  // a hair over 200); or a COPY of a batch of 100 under 100 ÷ 220 s = 454.5 ms, a lane then 100 ÷ (0.02 + 0.1 + 0.4545) s
  // = 174 records/s, far over the busiest shard's ~55.
  const a = (o: { batchSize?: number; copy?: string }) => run({ shards: 4, rate: "200/s", compute: "20ms", copy: "1s", duration: "5m", ...o });
  const r = a({});
  const cv = judge(r).consumers.find((x) => x.name === "f")!;

  it("offers a batch of 220 or so, or a COPY under 454 ms, and each rerun keeps up", () => {
    expect(cv.bottleneck).toBe("sink");
    expect(cv.sinkLanes).toBeDefined();
    const sr = cv.sinkRemedy!;
    expect([220, 221]).toContain(sr.remedy.batchSize);
    expect(sr.remedy.sink!.writeUnderUs / 454_545).toBeGreaterThan(0.995);
    expect(sr.remedy.sink!.writeUnderUs / 454_545).toBeLessThan(1.001);
    expect(sr.remedy.sink!.writeUnderParallelization).toBe(1);
    expect(verdictOf(r).consumers.find((x) => x.name === "f")!.explanation).toContain(`each alone: a batch of ${sr.remedy.batchSize} records`);
    for (const rerun of [a({ batchSize: sr.remedy.batchSize! }), a({ copy: "450ms" })]) {
      const v = judge(rerun).consumers.find((x) => x.name === "f")!;
      expect(v.fallingBehind).toBe(false);
      expect(v.processedPerSecond / 200).toBeGreaterThan(0.99);
    }
  });
});
