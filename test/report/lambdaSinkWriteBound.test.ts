// A Lambda function that writes each batch to its sink before it returns: a lane's batch takes its compute and its write,
// so a lane processes at most a full batch's user records ÷ (compute + write), not ÷ compute alone
// (src/model/sinks/batchWrite.ts: the write's mean time with the sink not throttled).
//
// The case, by hand: one shard of 600 records/s of 500 B, batches of 100, 20 ms + 1 ms a record (variability 0): a batch's
// compute is 20 + 100 × 1 = 120 ms, so the compute alone would process 100 ÷ 0.12 s = 833.3 records/s, over the 600.
// - DynamoDB, 40,000 WCU (never throttled), 16 items a request at a fixed 50 ms: ⌈100 ÷ 16⌉ = 7 requests = 350 ms a
//   batch's write, so a lane processes 100 ÷ (0.12 + 0.35) s = 212.8 records/s: under the 600, it falls behind.
//   Remedy, for 1.1 × 600 = 660 records/s: 4 lanes (⌈660 ÷ 212.8⌉ = ⌈3.10⌉); no batch size, for each record costs
//   1 ms + 50 ms ÷ 16 = 4.125 ms (a lane under 1 ÷ 4.125 ms = 242.4 records/s at any batch); no time a record, for
//   20 ms + 350 ms of a batch's invocation and write are more than 100 ÷ 660 = 151.5 ms.
// - S3, one PutObject at a fixed 200 ms: a lane processes 100 ÷ (0.12 + 0.2) s = 312.5 records/s. Remedy: 3 lanes
//   (⌈660 ÷ 312.5⌉ = ⌈2.11⌉), or the smallest batch b with b ÷ (0.02 + 0.001 b + 0.2) ≥ 660: b (1 − 0.66) ≥ 660 × 0.22
//   = 145.2, b ≥ 427.06, so 428 (428 ÷ 0.648 s = 660.5 records/s). Counting compute alone (the old bound), the lane took
//   833 records/s and no remedy was asked for; a batch's size for 660 would have been 39, under the 100 in force.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import { laneRate, lambdaRemedy } from "../../src/result/lambdaRemedy.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

function writing(sink: Record<string, unknown>): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: "3m",
      warmup: "30s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "600/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { duration: { perInvocation: "20ms", perRecord: "1ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink,
        },
      ],
    }),
  );
}

describe("a Lambda lane's bound counts its sink write: DynamoDB, 7 requests of 50 ms a batch", () => {
  const r = writing({ kind: "dynamodb", table: { capacity: "provisioned", write: 40_000 }, itemsPerRequest: 16, requestLatency: { dist: "fixed", value: "50ms" } });
  const l = r.consumers[0]!.lambda!;
  const cv = judge(r).consumers.find((x) => x.name === "f")!;

  it("the bound is 100 ÷ (120 ms + 350 ms) = 212.8 records/s, and the run processes that", () => {
    // Before: 100 ÷ 0.12 s = 833 records/s, the write left out.
    expect(l.fullBatchComputeUs).toBe(120_000);
    expect(l.fullBatchWriteUs).toBe(350_000);
    expect(l.laneThroughput).toBeCloseTo(100 / 0.47, 6);
    expect(l.throughputBound).toBeCloseTo(100 / 0.47, 6);
    expect(l.errors).toBe(0);
    expect(cv.processedPerSecond / (100 / 0.47)).toBeGreaterThan(0.99);
    expect(cv.processedPerSecond / (100 / 0.47)).toBeLessThan(1.01);
  });

  it("the judge: it falls behind, held back by the sink's write (its compute alone would take 833 records/s, over the 600)", () => {
    // Before: "none" (the bound of 833 records/s over the 600, no lane judged over it).
    expect(cv.fallingBehind).toBe(true);
    expect(cv.bottleneck).toBe("sink");
    const sb = cv.shardBound!;
    expect(sb.incomingPerSecond).toBeCloseTo(600, 0);
    expect(sb.boundPerSecond).toBeCloseTo(100 / 0.47, 6);
    expect(sb.write!.computeOnlyPerSecond).toBeCloseTo(100 / 0.12, 6);
    expect(sb.write!.fullBatchWriteUs).toBe(350_000);
  });

  it("the remedy: 4 lanes; no batch size (a lane under 242.4 records/s at any batch); no time a record", () => {
    const m = cv.shardBound!.remedy;
    expect(m.parallelization).toBe(4);
    expect(m.laneCeilingPerSecond).toBeCloseTo(1 / 0.004125, 6);
    expect(m.batchSize).toBeNull();
    // Before (compute alone): under (100 ÷ 660 − 0.02) ÷ 100 = 1.315 ms a record, above the 1 ms it takes already.
    expect(m.perRecordUs).toBeNull();
    expect(m.splitInto).toBe(4);
  });

  it("the verdict names the sink write, with both rates and what would not help", () => {
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain("Lambda consumer f falls behind on shardId-000000000000, held back by its sink's writes to a DynamoDB table");
    expect(text).toContain("over the 213 records/s the function can process on a shard (1 concurrent batch × 100 records ÷ a batch's mean duration, its sink write included: 120 ms of work and 350 ms writing a full batch, the sink not throttled)");
    expect(text).toContain("without the 350 ms a full batch's write takes, its lanes would process 833 records/s");
    expect(text).toContain("a parallelization factor of 4 (4 lanes a shard, 851 records/s)");
    expect(text).toContain("Not a faster time a record: 20 ms an invocation and 350 ms writing a full batch to its sink are more than a batch of 100 may take (151.5 ms for 660 records/s)");
    expect(text).toContain("nor a larger batch (at 1 ms a record and 3.1 ms a record writing it to its sink a lane processes under 242 records/s, whatever its batch)");
  });
});

describe("a Lambda lane's bound counts its sink write: S3, an object of 200 ms a batch", () => {
  const r = writing({ kind: "s3", putLatency: { dist: "fixed", value: "200ms" } });
  const l = r.consumers[0]!.lambda!;
  const cv = judge(r).consumers.find((x) => x.name === "f")!;

  it("the bound is 100 ÷ (120 ms + 200 ms) = 312.5 records/s, and the run processes that; the sink holds it back", () => {
    expect(l.fullBatchWriteUs).toBe(200_000);
    expect(l.laneThroughput).toBeCloseTo(312.5, 6);
    expect(cv.processedPerSecond / 312.5).toBeGreaterThan(0.99);
    expect(cv.processedPerSecond / 312.5).toBeLessThan(1.01);
    expect(cv.bottleneck).toBe("sink");
  });

  it("the remedy's batch is 428, whose lane takes 660.5 records/s with its write (427 would not)", () => {
    // Before (compute alone): 39, under the 100 in force, so none proposed.
    const m = cv.shardBound!.remedy;
    expect(m.batchSize).toBe(428);
    expect(m.parallelization).toBe(3);
    const s = { perInvocationUs: 20_000, perRecordUs: 1_000, write: l.writeTime };
    expect(laneRate(s, 428)).toBeCloseTo(428 / 0.648, 6);
    expect(laneRate(s, 427)).toBeLessThan(660);
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain("or a batch of 428 records (a lane then 660 records/s, its larger write included)");
  });
});

describe("lambdaRemedy with a write of a request for every 16 records: the batch found is the smallest that works", () => {
  // 10 ms an invocation, 0.1 ms a record, a request of 30 ms for every 16 records: a batch of b takes 10 + 0.1 b +
  // ⌈b ÷ 16⌉ × 30 ms. For 1.1 × 450 = 495 records/s the smallest b, found by hand: b = 160 → 10 + 16 + 300 = 326 ms,
  // 490.8/s; b = 161 → 10 + 16.1 + 330 = 356.1 ms, 452.1/s (a request more); … up to b = 176 → 10 + 17.6 + 330 ms, 491.1/s;
  // b = 177 → 10 + 17.7 + 360 ms, 456.6/s; … b = 192 → 10 + 19.2 + 360 = 389.2 ms, 493.3/s; b = 208 → 10 + 20.8 + 390 =
  // 420.8 ms, 494.3/s; b = 224 → 10 + 22.4 + 420 = 452.4 ms, 495.1/s: the first at 495 or more.
  it("is 224 records", () => {
    const write = { fixedUs: 0, perRequestUs: 30_000, recordsPerRequest: 16, perRecordUs: 0 };
    const m = lambdaRemedy({ batchSize: 100, lanes: 1, perInvocationUs: 10_000, perRecordUs: 100, write }, 450, 100, 1);
    expect(m.batchSize).toBe(224);
    expect(laneRate({ perInvocationUs: 10_000, perRecordUs: 100, write }, 224)).toBeGreaterThanOrEqual(495);
    for (let b = 101; b < 224; b++) expect(laneRate({ perInvocationUs: 10_000, perRecordUs: 100, write }, b)).toBeLessThan(495);
  });
});
