// A Lambda lane's bound counts only batches that can finish. The mapping retries a timed-out batch whole (without
// BisectBatchOnFunctionError), so a full batch whose mean duration is over the function's timeout never finishes: the
// lane finishes only smaller batches, and its bound is the batch within the timeout that processes the most a second.
//
// The case (helper-112): batches of 100 records of 100 B, 20 ms of compute a batch, each written to a DynamoDB table
// (never throttled) in BatchWriteItem requests of 16 items, 200 ms each, a 1 s timeout. A batch of b records takes
// 20 ms + ⌈b ÷ 16⌉ × 200 ms: a full batch 20 + 7 × 200 = 1,420 ms, over the timeout; 64 records 20 + 4 × 200 = 820 ms,
// 65 records 1,020 ms. Of the batches within 1 s, b ÷ (0.02 + ⌈b ÷ 16⌉ × 0.2) is largest at b = 64: 78.05 records/s
// (48: 77.4, 32: 76.2, 16: 72.7). The report said 100 ÷ 1.42 = 70.4 a lane.
import { describe, expect, it } from "vitest";
import { laneBatchWithin } from "../../src/model/lambda/laneBatch.js";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { lambdaRemedy } from "../../src/result/lambdaRemedy.js";
import { simulateScenario } from "../../src/run.js";
import { producerPerShard, scenarioOf } from "../model/scenarioOf.js";

const write = { fixedUs: 0, perRequestUs: 200_000, recordsPerRequest: 16, perRecordUs: 0 };
const lane = { perInvocationUs: 20_000, perRecordUs: 0, usersPerRecord: 1, write, timeoutUs: 1_000_000 };

describe("laneBatchWithin", () => {
  it("batches of 100 over a 1 s timeout: 64 records, 64 ÷ 0.82 s = 78.05 a second (not 100 ÷ 1.42 = 70.4)", () => {
    const w = laneBatchWithin(lane, 100);
    expect(w.records).toBe(64);
    expect(w.perSecond).toBeCloseTo(64 / 0.82, 9);
  });

  it("a full batch within the timeout is the one counted, even if a smaller one would process more (48: 48 ÷ 0.62 = 77.4)", () => {
    const w = laneBatchWithin(lane, 50); // 20 + 4 × 200 = 820 ms: 50 ÷ 0.82 = 61.0, under 48's 77.4
    expect(w).toEqual({ records: 50, perSecond: 50 / 0.82 });
  });

  it("none within the timeout (the write of one record alone, 1.2 s): 0", () => {
    expect(laneBatchWithin({ ...lane, write: { ...write, perRequestUs: 1_200_000 } }, 100)).toEqual({ records: 0, perSecond: 0 });
  });
});

describe("the remedy counts only batches that finish", () => {
  it("busiest 65 records/s on 1 lane (need 1.1 × 65 = 71.5): BatchSize 64 (78.05), not 102, and one lane is enough", () => {
    // Before: a lane 70.4 → a factor of ⌈71.5 ÷ 70.4⌉ = 2; a batch of 102 (102 ÷ 1.42 = 71.8), whose invocation takes
    // 1.42 s, over the timeout: it would never finish.
    const m = lambdaRemedy({ batchSize: 100, lanes: 1, ...lane }, 65, 100, 1);
    expect(m.batchSize).toBe(64);
    expect(m.parallelization).toBe(1);
    // A faster function cannot bring the write's 1.4 s within the 1 s timeout.
    expect(m.perRecordUs).toBeNull();
  });

  it("a time a record is proposed only with the full batch within the timeout: 50 records, 150 ms + 4 × 200 ms writes", () => {
    // 1 lane, batches of 50 (⌈50 ÷ 16⌉ = 4 requests, 800 ms), 150 ms an invocation, busiest 40/s → need 44: by the rate
    // alone p ≤ (50 ÷ 44 − 0.15 − 0.8) ÷ 50 = 3.727 ms; within the 1 s timeout p ≤ (1 − 0.15 − 0.8) ÷ 50 = 1 ms.
    const m = lambdaRemedy({ batchSize: 50, lanes: 1, ...lane, perInvocationUs: 150_000, perRecordUs: 2_000 }, 40, 100, 1);
    expect(m.perRecordUs).toBeCloseTo(1_000, 6);
  });
});

describe("the report's bound", () => {
  const r = simulateScenario(
    scenarioOf({
      duration: "2m",
      warmup: "30s",
      stream: { shards: 2 },
      producers: producerPerShard(2, 20),
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "1s", duration: { perInvocation: "20ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 40_000 }, itemsPerRequest: 16, requestLatency: { dist: "fixed", value: "200ms" } },
        },
      ],
    }),
  );
  const fn = r.consumers[0]!.lambda!;

  it("two shards of 20 records/s (batches of ~20, 420 ms, in time): 2 × 78.05 = 156.1, not 2 × 70.4 = 140.8", () => {
    expect(fn.blockedAtEnd).toEqual([]);
    expect(fn.laneBatchRecords).toBe(64);
    expect(fn.laneThroughput).toBeCloseTo(64 / 0.82, 6);
    expect(buildReportJson(r, { scenarioFile: "t.yaml", scenarioSha256: "0" }).consumers[0]!.lambda!.throughputBoundPerSecond).toBeCloseTo((2 * 64) / 0.82, 3);
  });

  it("the table's note says the full batch never finishes and what the figure counts", () => {
    const md = buildReportMarkdown(r, { scenarioFile: "t.yaml", scenarioSha256: "0" });
    expect(md).toContain("| 156 records/s (processed 40/s) |");
    expect(md).toContain(
      "f's full batch of 100 takes longer than its 1 s timeout on average and never finishes (Lambda retries a timed-out batch whole), so its figure counts batches of 64, of those within the timeout the one that processes the most a second.",
    );
  });
});
