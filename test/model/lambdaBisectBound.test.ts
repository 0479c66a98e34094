// A lane's bound with BisectBatchOnFunctionError when a full batch times out on every try (src/model/lambda/laneBatch.ts
// laneCycles and laneBatchWithin). Lambda: "If the function returns an error, split the batch in two and retry"
// (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html), and "splitting batches doesn't
// consume the retry quota" (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). The model
// (eventSourceMapping.ts failed(), bisect()): a try the timeout cuts holds the lane the whole timeout; after the retry
// delay the first half (the older records, ⌊n ÷ 2⌋ of them) is invoked, and when it is done the second at once; a half
// the timeout cuts is split again the same way. A lane with a backlog takes a full batch each time, so every full batch
// goes through that: the lane's bound is a full batch ÷ that whole cycle. helper-124: the bound was counted at the best
// batch within the timeout (59 records ÷ 2.96 s = 19.9 a second) as though the lane took batches of 59, where it does
// 11.09, and the verdict named "function errors" with no bound.
import { describe, expect, it } from "vitest";
import { laneBatchWithin, laneCycles, type LaneTimes } from "../../src/model/lambda/laneBatch.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { lambdaScenario } from "../report/lambdaScenario.js";

// 10 ms an invocation + 50 ms a record, no variability, 3 s timeout, 1 s retry delay, bisection on.
const lane = (perRecordUs: number): LaneTimes => ({ perInvocationUs: 10_000, perRecordUs, timeoutUs: 3_000_000, variability: 0, retryDelayUs: 1_000_000, bisect: true });

describe("bisection's halves, by hand", () => {
  it("100 records of 5.01 s: cut at 3 s, 1 s delay, halves of 50 at 2.51 s each: 100 ÷ 9.02 s = 11.0865 a second", () => {
    // 3 + 1 + 2 × (0.01 + 50 × 0.05) = 9.02 s for the 100 records.
    const s = lane(50_000);
    const c = laneCycles(s).cycle(100);
    expect(c.users).toBe(100);
    expect(c.us).toBeCloseTo(9_020_000, 3);
    const b = laneBatchWithin(s, 100);
    // Old: { records: 59, perSecond: 59 ÷ 2.96 s = 19.93 }, the batch within the timeout, which a lane with a backlog never takes.
    expect(b.records).toBe(100);
    expect(b.perSecond).toBeCloseTo(100 / 9.02, 6);
  });

  it("100 records of 10.01 s: halves of 50 (5.01 s) cut too, quarters of 25 (2.51 s) end: 100 ÷ 22.04 s = 4.5372 a second", () => {
    // 3 + 1 + 2 × (3 + 1 + 2 × (0.01 + 25 × 0.1)) = 4 + 2 × 9.02 = 22.04 s.
    const s = lane(100_000);
    expect(laneCycles(s).cycle(100).us).toBeCloseTo(22_040_000, 3);
    expect(laneBatchWithin(s, 100)).toEqual({ records: 100, perSecond: expect.closeTo(100 / 22.04, 6) as number });
  });

  it("a single record past the timeout finishes nothing, bisected or not: the lane's bound is 0", () => {
    // 10 ms + 4 s > 3 s: the single records are cut on every try, retried without a limit (MaximumRetryAttempts −1).
    expect(laneBatchWithin(lane(4_000_000), 100).perSecond).toBe(0);
  });
});

describe("a lane with a backlog of such batches, run", () => {
  // 100 records/s on one shard, batches of 100 records of 5.01 s, 10 min (1 min warmup): the lane takes 9.02 s a batch.
  const r = simulateScenario(
    lambdaScenario({ duration: "10m", warmup: "1m", rate: "100/s", fn: { timeout: "3s", duration: { perInvocation: "10ms", perRecord: "50ms", variability: 0 } }, mapping: { bisectBatchOnFunctionError: true } }),
  );
  const c = r.consumers[0]!;
  const fn = c.lambda!;
  const v = verdictOf(r).consumers[0]!;

  it("each full batch takes 3 invocations (one cut, two halves), and the lane processes its bound, 11.09 a second", () => {
    // 600 s ÷ 9.02 s = 66.5 batches over the run: 66 processed whole. After warmup (the counts of invocations are),
    // 540 s ÷ 9.02 s = 59.9 batches: about 60 cut tries, and twice as many halves besides.
    const batches = c.accounting.processed / 100;
    expect(batches).toBe(66);
    expect(fn.timeouts).toBe(fn.errors);
    expect(fn.errors).toBeGreaterThanOrEqual(59);
    expect(fn.errors).toBeLessThanOrEqual(61);
    expect(Math.abs(fn.invocations - 3 * fn.errors)).toBeLessThanOrEqual(2);
    expect(fn.throughputBound).toBeCloseTo(100 / 9.02, 6);
    // After warmup the run processed 11.1 a second (whole batches of 100 in 540 s): within 1% of the bound.
    expect(Math.abs(v.processedPerSecond / fn.throughputBound - 1)).toBeLessThan(0.01);
  });

  it("the verdict names the function's duration against that bound, and how the halves take the lane", () => {
    expect(v.bottleneck).toBe("function duration");
    expect(v.explanation).toContain(
      "over the 11 records/s the function can process on a shard (1 concurrent batch × 100 records ÷ 9.02 s, the lane's mean time for each full batch it finishes: a batch's mean duration is 5.01 s, over its 3 s timeout: every try of it is cut there, holding the lane 3 s, and after the retry delay it is split in halves tried in turn (BisectBatchOnFunctionError), each half the timeout cuts split again)",
    );
    // 1.1 × 100 ÷ 11.0865 = 9.92: a factor of 10; 100 records in 100 ÷ 110 s = 909 ms: under (909 − 10) ÷ 100 = 8.99 ms a record.
    expect(v.shardBound!.remedy.parallelization).toBe(10);
    expect(v.shardBound!.remedy.perRecordUs! / 1000).toBeCloseTo(8.991, 2);
  });
});
