// A Lambda consumer's sink writes are part of its invocations, against hand computations: the handler writes its batch
// before it returns, so the write is inside the invocation: its Duration, its timeout, its concurrency and its bill
// ("Timeout is the maximum amount of time in seconds that a Lambda function can run"; among its common causes, "A
// function makes a request to another service, which takes longer to respond": Lambda developer guide,
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), and a write the timeout cuts fails the
// invocation (a timeout is a function error: "The runtime terminated your function because it ran out of time",
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html), the batch tried again (at least once: what the
// cut write wrote is written again).
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const run = (input: Record<string, unknown>): RunResult => simulateScenario(scenarioOf(input));

/** One SDK producer of `rate` records a second of 500 B (1 WCU an item) at a constant rate, with random keys. */
const writes = (rate: number, partitionKey: Record<string, unknown> = { kind: "random" }) => ({
  name: "p",
  client: "sdk",
  rate: { shape: "constant", value: `${rate}/s` },
  recordSize: { dist: "fixed", size: "500B" },
  partitionKey,
});

/** A Lambda consumer with a fixed duration (no variability, no cold start) and a fixed 20 ms GetRecords. */
function fn(extra: Record<string, unknown>, duration: Record<string, unknown>, fnExtra: Record<string, unknown> = {}) {
  return {
    name: "f",
    kind: "lambda",
    startingPosition: "TRIM_HORIZON",
    poll: { latency: { dist: "fixed", value: "20ms" } },
    ...extra,
    function: { duration: { ...duration, variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } }, ...fnExtra },
  };
}

/** A DynamoDB table that never throttles, BatchWriteItem of 16 items taking `latency` each. */
const table = (latency: string) => ({
  kind: "dynamodb",
  table: { capacity: "provisioned", write: 40_000 },
  itemsPerRequest: 16,
  requestLatency: { dist: "fixed", value: latency },
  retry: { limit: 3, backoff: "1s" },
});

describe("a Lambda function's sink writes are part of its invocation", () => {
  it("Duration is the compute and the writes: 20 ms + 4 BatchWriteItem of 16 items at 10 ms = 60 ms, each billed 60 ms", () => {
    // 50 records/s polled about once a second: batches of 49..64 records, 4 requests of at most 16 items each.
    // Before: Duration 20 ms, the compute alone; the writes came after the invocation had ended.
    const r = run({ duration: "3m", warmup: "30s", stream: { shards: 1 }, producers: [writes(50)], consumers: [fn({ sink: table("10ms") }, { perInvocation: "20ms", perRecord: "0ms" })] });
    const l = r.consumers[0]!.lambda!;
    expect(l.invocations).toBeGreaterThan(140);
    expect(Math.abs(l.duration.p50 - 60_000) / 60_000).toBeLessThan(0.002);
    expect(Math.abs(l.duration.max - 60_000) / 60_000).toBeLessThan(0.002);
    expect(Math.abs(l.duration.mean - 60_000) / 60_000).toBeLessThan(0.002);
    expect(l.billedDurationUs).toBe(l.invocations * 60_000);
    expect(l.errors).toBe(0);
    expect(r.accounting.balanced).toBe(true);
  });

  it("a write the 1 s timeout cuts fails the invocation; the halves (bisection) write the batch again: per 100 records, 3 invocations, 1 timeout, 180 items written, 80 processed again", () => {
    // Batches of 100 (the lane is always behind: 200 records/s offered, it takes about 27/s): 20 ms of compute, then 7
    // BatchWriteItem requests of 16 items at 200 ms each. By the 1 s timeout 5 have been sent (at 20, 220, 420, 620,
    // 820 ms): 80 items written, the other 20 interrupted, and the invocation times out. Bisected, each half of 50
    // writes in 4 requests: 20 ms + 800 ms = 820 ms, within the timeout. So each 100 records take 3 invocations (1 timed
    // out at 1 s, 2 of 820 ms), 180 items written, and the 80 the cut write wrote are written again (processed again).
    // Before: 100 records, one 20 ms invocation (the writes after it), no timeout, 100 items written once.
    const r = run({
      duration: "5m",
      warmup: "30s",
      stream: { shards: 1 },
      producers: [writes(200)],
      consumers: [fn({ batchSize: 100, bisectBatchOnFunctionError: true, sink: table("200ms") }, { perInvocation: "20ms", perRecord: "0ms" }, { timeout: "1s" })],
    });
    const c = r.consumers[0]!;
    const l = c.lambda!;
    expect(l.timeouts).toBeGreaterThan(60);
    expect(l.errors).toBe(l.timeouts);
    expect(Math.abs(l.invocations / l.timeouts - 3)).toBeLessThan(0.05);
    expect(Math.abs(l.duration.max - 1_000_000) / 1_000_000).toBeLessThan(0.002);
    expect(Math.abs(l.duration.p50 - 820_000) / 820_000).toBeLessThan(0.002);
    const processed = c.accounting.processed;
    expect(processed).toBeGreaterThan(6_000);
    expect(Math.abs(c.reprocessed / processed - 0.8)).toBeLessThan(0.02);
    const sk = r.sinks.find((x) => x.consumer === "f")!;
    expect(Math.abs(sk.accounting.written / processed - 1.8)).toBeLessThan(0.03);
    expect(Math.abs(sk.accounting.interrupted / processed - 0.2)).toBeLessThan(0.02);
    expect(sk.accounting.balanced).toBe(true);
    expect(c.accounting.balanced).toBe(true);
    expect(r.accounting.balanced).toBe(true);
  });
});
