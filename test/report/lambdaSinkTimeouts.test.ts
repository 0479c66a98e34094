// A Lambda function's invocations timed out while writing their batches to its sink, their own work done: the write is
// part of the invocation ("A function makes a request to another service, which takes longer to respond" is among a
// timeout's common causes: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), so the sink, not the
// function, runs them out of time (helper-100's a1: "function errors" for 157 timeouts writing to a 100-WCU table, a full
// batch's work 20 ms).
//
// The case, by hand: one shard of 200 records/s of 500 B; batches of 100 (the lane is always behind); 20 ms of compute,
// then 7 BatchWriteItem requests of 16 items at 200 ms each, against a 1 s timeout. By the timeout 5 have been sent (at
// 20, 220, 420, 620, 820 ms): 80 items written, the other 20 interrupted, and every invocation times out while writing.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };

/** The case above, with MaximumRetryAttempts `retries` and no bisection. */
function cutEveryWrite(retries: number): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: "3m",
      warmup: "30s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          maximumRetryAttempts: retries,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "1s", duration: { perInvocation: "20ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 40_000 }, itemsPerRequest: 16, requestLatency: { dist: "fixed", value: "200ms" }, retry: { limit: 3, backoff: "1s" } },
        },
      ],
    }),
  );
}

describe("invocations that time out writing to the sink (MaximumRetryAttempts 0: each batch discarded at its timeout)", () => {
  const r = cutEveryWrite(0);
  const c = r.consumers[0]!;
  const l = c.lambda!;

  it("every timeout is counted as one while writing: timeoutsWriting = timeouts = errors = the invocations ended", () => {
    // Before: no such count.
    expect(l.invocations).toBeGreaterThan(100);
    // The last invocation may still be writing at the end (counted invoked, not failed yet).
    expect(l.invocations - l.errors).toBeLessThanOrEqual(1);
    expect(l.timeouts).toBe(l.errors);
    expect(l.timeoutsWriting).toBe(l.timeouts);
    expect(l.fullBatchComputeUs).toBe(20_000);
  });

  it("the judge names the sink, not the function's errors", () => {
    // Before: "function errors".
    const cv = judge(r).consumers.find((x) => x.name === "f")!;
    expect(cv.bottleneck).toBe("sink");
    expect(cv.timedOutWriting).toBe(true);
  });

  it("the verdict says they timed out writing, the function's own work taking 20 ms a full batch", () => {
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain(`all ${l.errors.toLocaleString("en-US")} of them timed out at its 1 s timeout while writing their batches to the sink, the function's own work taking 20 ms a full batch`);
    expect(text).toContain("a timed-out batch is discarded at once, not retried (MaximumRetryAttempts 0)");
    expect(buildReportMarkdown(r, provenance)).toContain("Lambda consumer f is held back by its sink, a DynamoDB table");
  });
});

describe("the sink accounting note, for a Lambda function's sink", () => {
  const md = buildReportMarkdown(cutEveryWrite(0), provenance);
  const note = md.split("\n").find((x) => x.startsWith("offered = written + buffered + being written + lost + interrupted."))!;

  it("says a cut batch is written again only if it is tried again, not when discarded", () => {
    // Before: "they are processed and written again by the lease's next owner" (a KCL record processor's words).
    expect(note).toContain("the batch is written again, whole, only if it is tried again (retried, or bisected into halves), not when it is discarded past MaximumRetryAttempts");
    expect(note).not.toContain("lease's next owner");
  });
});

describe("records discarded after a cut write: 80 of each 100 are in the table already", () => {
  const r = cutEveryWrite(0);
  const c = r.consumers[0]!;
  const sk = r.sinks[0]!;

  it("writtenThenGivenUp is 80% of the discarded (5 of 7 requests of 16 sent by the timeout), and the sink wrote those", () => {
    // Before: no such count; nothing said the "lost" records were in the table.
    const discarded = c.accounting.discarded!;
    expect(discarded).toBeGreaterThan(10_000);
    expect(discarded % 100).toBe(0);
    expect(c.lambda!.writtenThenGivenUp).toBe(0.8 * discarded);
    expect(c.accounting.processed).toBe(0);
    expect(c.reprocessed).toBe(0);
    // Every record written was written by a cut write of a batch then discarded (but the last write, still going).
    expect(sk.accounting.written - c.lambda!.writtenThenGivenUp).toBeLessThanOrEqual(80);
  });

  it("the verdict and the sink accounting note say so", () => {
    const text = verdictOf(r).consumers[0]!.explanation;
    const n = c.lambda!.writtenThenGivenUp.toLocaleString("en-US");
    expect(text).toContain(`records were discarded after failing with no on-failure destination (lost), ${n} of them already written to the sink by the writes the timeout cut`);
    const md = buildReportMarkdown(r, provenance);
    expect(md).toContain(`f's sink wrote ${sk.accounting.written.toLocaleString("en-US")} records to 0 processed (at least once, ${n} written by cut writes of batches then given up).`);
  });
});

describe("reprocessed counts a cut write's records only when the batch tried again is processed", () => {
  it("MaximumRetryAttempts 1, every try cut: each batch tried twice, then discarded; none processed, so none processed again", () => {
    // Before: the first try's cut write counted 80 records "reprocessed" for each batch tried again, though the retry is
    // cut too and the batch discarded (helper-100's a4b: 0 processed, 61 reprocessed).
    const r = cutEveryWrite(1);
    const c = r.consumers[0]!;
    expect(c.accounting.discarded!).toBeGreaterThan(5_000);
    expect(c.accounting.processed).toBe(0);
    expect(c.reprocessed).toBe(0);
    expect(c.lambda!.errors).toBeGreaterThan(50);
  });
});
