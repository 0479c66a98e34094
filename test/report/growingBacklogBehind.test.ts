// A consumer whose backlog grows at the end falls behind, whatever the age of its records so far. A reviewer found a
// Lambda consumer offered 200 records/s and processing 170 read "keeps up (IteratorAge at most 46.3 s)": the age rule
// of fallingBehind needs the last quarter's oldest unprocessed record over a minute old. By hand, P processed of A
// arriving (FIFO): the backlog grows A − P a second, and the oldest unprocessed record's age (A − P) ÷ A seconds a
// second (the backlog holds that many seconds of arrivals).
//
// A. One shard of 200 records/s of 500 B; a Lambda consumer, batches of 17 records at 100 ms an invocation: its lane
//    does 17 ÷ 0.1 s = 170 records/s. Backlog 200 − 170 = 30 records/s, age (200 − 170) ÷ 200 = 0.15 s a second (9 s a
//    minute); run to 5 min its records are at most about 0.15 × 300 = 45 s old. Its bottleneck is the function's
//    duration on that shard, with the remedies the verdict gives a shard over its lanes' bound: a parallelization factor
//    of 2 (340 records/s), or a batch that makes a lane take 200 × 1.1 = 220 records/s: 100 ms for 22 records is 220,
//    so 23 (230 records/s).
// B. opensearchSinkBusy.test's case C: 4 shards of 50 records/s, the OpenSearch domain one bulk request of 100 ms +
//    50,000 B at 100 KiB/s at a time, at most 100 ÷ 0.58828 s = 170 records/s: 30 records/s of growth again, held back by
//    its sink. The 4 lanes share the domain unevenly, so the oldest record's age (the highest of the 4 shards') rises at
//    least the mean pace, 0.15 s a second.
// C. A KCL application: one shard of 200 records/s, one record processor at 5.5 ms a record, calls of up to 100 records
//    every 200 ms (500 records/s, more than it processes): 1 ÷ 5.5 ms = 181.8 records/s, a backlog growing 18.2 a
//    second, its age 18.2 ÷ 200 = 0.091 s a second; run to 4 min, under a minute old. Held back by processing.
// D. Draining a spike is no growth: one shard of 100 records/s with a spike of 600/s from 3:00 to 3:20, the lane of A
//    (170 records/s). The spike's 12,000 records are through by about 3:00 + 12,000 ÷ 170 s = 4:11, and the age falls
//    from then at 1 − 100 ÷ 170 = 0.59 s a second; at 5:00 it has not worked off the backlog (8,600 more records than
//    arrived at 3:20, less 70 a second: 3,000 left), so it processed under 98% of the last half's arrivals (about
//    20,400 of 22,000), but its backlog shrinks at the end: it keeps up, and its SLO figures are not "met so far".
// E. A's lane, each invocation failing with probability 1/2 (errors.share 0.5), MaximumRetryAttempts 0 and an SQS
//    on-failure destination: a failed batch is discarded at once, its details sent there, so the lane still takes
//    170 records/s off the shard, half processed (85) and half given up (85). The backlog grows 200 − 85 − 85 = 30
//    records/s, not 200 − 85 = 115, and its age rises 30 ÷ 200 = 0.15 s a second as in A (helper-135).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { buildReportJson } from "../../src/report/json.js";
import { judge } from "../../src/result/judge.js";
import { growsAtEnd } from "../../src/result/metSoFar.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const lambdaLane = {
  name: "f",
  kind: "lambda",
  startingPosition: "TRIM_HORIZON",
  batchSize: 17,
  poll: { latency: { dist: "fixed", value: "20ms" } },
  function: { timeout: "30s", duration: { perInvocation: "100ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
};

function oneShard(rate: Record<string, unknown>, consumer: Record<string, unknown>, duration = "5m"): RunResult {
  return simulateScenario(
    scenarioOf({
      duration,
      warmup: "1m",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [consumer],
    }),
  );
}

describe("A. a Lambda consumer whose lane does 170 of the 200 records/s arriving", () => {
  const r = oneShard({ shape: "constant", value: "200/s" }, lambdaLane);
  const v = verdictOf(r).consumers[0]!;

  it("falls behind though its records are under a minute old: 30 records/s, its age rising 0.15 s a second", () => {
    expect(r.consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(60_000_000);
    expect(v.fallingBehind).toBe(true);
    expect(v.backlogGrowth!.arrivingPerSecond).toBeCloseTo(200, 0);
    expect(v.backlogGrowth!.processedPerSecond).toBeCloseTo(170, 0);
    expect(v.backlogGrowth!.perSecond).toBeCloseTo(30, 0);
    expect(Math.abs(v.backlogGrowth!.ageRisePerSecond - 0.15)).toBeLessThan(0.005);
  });

  it("is held back by its function's duration on its shard, with the remedies for a shard over its lanes' bound", () => {
    expect(v.bottleneck).toBe("function duration");
    expect(v.shardBound!.boundPerSecond).toBeCloseTo(170, 6);
    expect(v.shardBound!.incomingPerSecond).toBeCloseTo(200, 0);
    expect(v.shardBound!.remedy.parallelization).toBe(2);
    expect(v.shardBound!.remedy.batchSize).toBe(23);
  });

  it("says so, not 'keeps up'", () => {
    expect(v.explanation).not.toContain("keeps up");
    expect(v.explanation).toMatch(/^Lambda consumer f falls behind on shardId-000000000000: /);
    expect(v.explanation).toContain("a parallelization factor of 2");
    expect(v.explanation).toContain(
      "Its backlog grew 30 records/s over the last half after warmup: it processed 170 of the 200 records/s that arrived then, and the age of its oldest unprocessed record rose 9 s a minute, still rising at the end, so a longer run falls further behind.",
    );
  });

  it("report.json carries the figures", () => {
    const c = buildReportJson(r, { scenarioFile: "t.yaml", scenarioSha256: "0" }, verdictOf(r)).consumers[0]!;
    expect(c.fallingBehind).toBe(true);
    expect(c.backlogGrowth!.arrivingPerSecond).toBeCloseTo(200, 0);
    expect(c.backlogGrowth!.processedPerSecond).toBeCloseTo(170, 0);
    expect(c.backlogGrowth!.perSecond).toBeCloseTo(30, 0);
  });
});

describe("B. an OpenSearch sink at 170 of 200 records/s (opensearchSinkBusy.test's case C)", () => {
  const r = simulateScenario(
    scenarioOf({
      duration: "5m",
      warmup: "1m",
      stream: { shards: 4 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "30s", duration: { perInvocation: "20ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink: { kind: "opensearch", requestLatency: { dist: "fixed", value: "100ms" }, throughput: "100KiB/s" },
        },
      ],
    }),
  );
  const v = verdictOf(r).consumers[0]!;

  it("falls behind, held back by its sink: 30 records/s, its age rising at least 0.15 s a second", () => {
    expect(r.consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(60_000_000);
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("sink");
    expect(Math.abs(v.backlogGrowth!.perSecond - 30)).toBeLessThan(1);
    expect(v.backlogGrowth!.ageRisePerSecond).toBeGreaterThan(0.15 - 0.005);
    expect(v.backlogGrowth!.ageRisePerSecond).toBeLessThan(0.2);
    expect(v.explanation).toMatch(/^Consumer f is held back by its sink, Amazon OpenSearch Service/);
    expect(v.explanation).toContain(", so it falls behind (");
  });
});

describe("C. a KCL application processing 181.8 of 200 records/s", () => {
  const r = oneShard({ shape: "constant", value: "200/s" }, { name: "f", kind: "kcl", workers: 1, processing: { perRecord: "5.5ms" }, poll: { interval: "200ms", maxRecords: 100 } }, "4m");
  const v = judge(r).consumers[0]!;

  it("falls behind, held back by processing: 18.2 records/s, its age rising 0.091 s a second", () => {
    expect(r.consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(60_000_000);
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("processing");
    expect(v.processingBound).toBeCloseTo(1000 / 5.5, 6);
    // Records count when their batch of 100 is done: the last half's 90 s hold a batch more or less (1.1 a second).
    expect(Math.abs(v.backlogGrowth!.perSecond - (200 - 1000 / 5.5))).toBeLessThan(1.2);
    expect(Math.abs(v.backlogGrowth!.ageRisePerSecond - (200 - 1000 / 5.5) / 200)).toBeLessThan(0.01);
  });
});

describe("D. a Lambda consumer draining a spike's backlog at the end", () => {
  const r = oneShard({ shape: "spikes", base: "100/s", spikes: [{ at: "180s", for: "20s", value: "600/s" }] }, lambdaLane);
  const v = judge(r);

  it("processed under 98% of the last half's arrivals, but its backlog shrinks at the end: it keeps up", () => {
    const c = r.consumers[0]!;
    const half = Math.floor((c.series.recordsProcessed.length - 60) / 2);
    const processed = c.series.recordsProcessed.slice(-half).reduce((a, b) => a + b, 0);
    expect(processed).toBeLessThan(0.98 * 22_000);
    expect(v.consumers[0]!.fallingBehind).toBe(false);
    expect(v.consumers[0]!.backlogGrowth).toBeUndefined();
    expect(growsAtEnd(v, "f")).toBe(false);
    expect(verdictOf(r).consumers[0]!.explanation).toMatch(/^Lambda consumer f keeps up/);
  });
});

describe("E. A's lane discarding half its batches at once to its on-failure destination", () => {
  const r = oneShard({ shape: "constant", value: "200/s" }, {
    ...lambdaLane,
    maximumRetryAttempts: 0,
    retryDelay: "0s",
    onFailure: { destination: "sqs" },
    function: { ...lambdaLane.function, errors: { share: 0.5 } },
  });
  const v = verdictOf(r).consumers[0]!;

  it("grows 200 − 85 − 85 = 30 records/s: those given up leave the backlog too", () => {
    const g = v.backlogGrowth!;
    expect(v.fallingBehind).toBe(true);
    expect(g.arrivingPerSecond).toBeCloseTo(200, 0);
    // Half of 170 a second each way, to within the coin's luck over 90 s (about 2 records/s).
    expect(Math.abs(g.processedPerSecond - 85)).toBeLessThan(3);
    expect(Math.abs(g.leftPerSecond - 85)).toBeLessThan(3);
    expect(Math.abs(g.perSecond - 30)).toBeLessThan(1);
    expect(Math.abs(g.ageRisePerSecond - 0.15)).toBeLessThan(0.005);
    expect(v.explanation).toMatch(/Its backlog grew 30 records\/s over the last half after warmup: it processed \d+ and left \d+ unprocessed \(given up or skipped\) of the 200 records\/s that arrived then/);
  });

  it("report.json carries what left: arriving − processed − left = perSecond", () => {
    const c = buildReportJson(r, { scenarioFile: "t.yaml", scenarioSha256: "0" }, verdictOf(r)).consumers[0]!;
    const g = c.backlogGrowth!;
    expect(g.arrivingPerSecond - g.processedPerSecond - g.leftPerSecond).toBeCloseTo(g.perSecond, 0);
    expect(Math.abs(g.perSecond - 30)).toBeLessThan(1);
  });
});
