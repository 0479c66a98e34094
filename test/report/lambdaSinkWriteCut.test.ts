// What a Lambda consumer's sink write does when its function's timeout cuts it, told as it happened:
// 1. The handler's retry of throttled items waits its backoff (10 s by default) inside the invocation, so a 1 s timeout
//    cuts the write before any retry: the items "came back unprocessed", none "tried again after 10 s"; the batch goes
//    back to the event source mapping, retried or discarded as its settings say.
// 2. A shard blocked by batches that time out on every try finishes no batch: "can process, at most" counts its lanes 0.
// 3. A batch the table's full burst credit could write in time, every try of which is cut once that credit is spent,
//    is blocked from when the credit ran out: the write then gets at most what the table has held since.
//
// The cases, a 1 s timeout, 20 ms of compute a batch (variability 0), records of 500 B (1 WCU an item), 16 items a
// BatchWriteItem request (the handler's default):
// - A: 400 records/s to a 1-WCU table (300 s of burst: 300 units at most), batches of up to 500, requests of a fixed
//   10 ms. Each try of the held batch (400 records, read at 1 s) sends ⌈400 ÷ 16⌉ = 25 requests in 250 ms, most items
//   throttled; their retry would come 10 s later, at 20 ms + 250 ms + 10 s = 10.27 s into an invocation cut at 1 s.
// - B: 200 records/s to a table of 40,000 WCU (never throttled), batches of 100, requests of a fixed 200 ms: a batch's
//   write takes ⌈100 ÷ 16⌉ × 200 ms = 1.4 s at the least, over the 1 s timeout on every try; the report said the lane
//   could process 100 ÷ (0.02 + 1.4) s = 70.4 records/s. A full batch never finishes (retried whole), so a lane's bound
//   is counted at the batch within the timeout that processes the most: 64 records, 20 + 4 × 200 = 820 ms, 78.0/s
//   (helper-112; test/report/lambdaLaneWithinTimeout.test.ts).
// - C: 200 records/s to the 1-WCU table, batches of 200, requests of 10 ms: with its full credit a batch's 200 units
//   take 13 × 10 ms = 130 ms (in time); see its describe for the credit running out.
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { producerPerShard, scenarioOf } from "../model/scenarioOf.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };

function lambdaWriting(producers: Record<string, unknown>[], shards: number, batchSize: number, sink: Record<string, unknown>, mapping: Record<string, unknown> = {}): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: "5m",
      warmup: "30s",
      stream: { shards },
      producers,
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "1s", duration: { perInvocation: "20ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink,
          ...mapping,
        },
      ],
    }),
  );
}

const producer = (rate: string) => [{ name: "p", client: "sdk", rate: { shape: "constant", value: rate }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }];
const oneWcu = (retry?: Record<string, unknown>) => ({ kind: "dynamodb", table: { capacity: "provisioned", write: 1 }, requestLatency: { dist: "fixed", value: "10ms" }, ...(retry ? { retry } : {}) });
const slowRequests = { kind: "dynamodb", table: { capacity: "provisioned", write: 40_000 }, itemsPerRequest: 16, requestLatency: { dist: "fixed", value: "200ms" } };
const explain = (r: RunResult) => verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;

describe("1. throttled items of a write the timeout cuts are not 'tried again after 10 s'", () => {
  const r = lambdaWriting(producer("400/s"), 1, 500, oneWcu());
  const fn = r.consumers[0]!.lambda!;
  const sk = r.sinks[0]!;

  it("no write is tried again: every timed-out write was cut before its first retry, after its 25 requests", () => {
    // Before: no count of cut writes (afterWarmup.cut undefined).
    expect(sk.retries).toBe(0);
    expect(fn.timeoutsWriting).toBeGreaterThan(100);
    expect(sk.afterWarmup.cut.writes).toBe(fn.timeoutsWriting);
    expect(sk.afterWarmup.cut.beforeRetry).toBe(fn.timeoutsWriting);
    // ⌈400 ÷ 16⌉ = 25 requests a try.
    expect(sk.afterWarmup.cut.beforeRetryRequests).toBe(25 * fn.timeoutsWriting);
  });

  it("the sentence says the timeout cut the write before its retry, and what Lambda did with the batch", () => {
    const text = explain(r);
    // Before: "(they came back unprocessed and were tried again after 10 s, up to 3 tries)".
    expect(text).not.toContain("were tried again after 10 s");
    expect(text).toContain(
      `it throttled 99.5% of the items sent (they came back unprocessed, to be tried again after 10 s, but none was: ${fn.timeoutsWriting} writes were cut by the function's 1 s timeout before their first retry, after sending 25 BatchWriteItem requests, and Lambda retried their batches (MaximumRetryAttempts −1, without a limit))`,
    );
  });

  it("with MaximumRetryAttempts 0 Lambda discarded their batches", () => {
    const r0 = lambdaWriting(producer("400/s"), 1, 500, oneWcu(), { maximumRetryAttempts: 0 });
    const text = explain(r0);
    expect(text).not.toContain("were tried again after 10 s");
    // Each batch discarded, the next is what arrived meanwhile (up to 500 records, ⌈500 ÷ 16⌉ = 32 requests): on average
    // between 25 and 32 requests a cut write.
    expect(text).toMatch(/to be tried again after 10 s, but none was: [\d,]+ writes were cut by the function's 1 s timeout before their first retry, after sending (2[5-9]|3[0-2])(\.\d)? BatchWriteItem requests( on average)?, and Lambda discarded their batches \(MaximumRetryAttempts 0\)/);
  });

  it("control: batches of 400 and a 100 ms backoff fit in the timeout (20 + 250 + 100 + 250 + 100 + 250 = 970 ms): tried again, nothing cut", () => {
    // A batch of at most 400 records: at most 25 requests of 10 ms a pass, 3 passes 100 ms apart.
    const rq = lambdaWriting(producer("400/s"), 1, 400, oneWcu({ backoff: "100ms" }));
    const s = rq.sinks[0]!;
    expect(s.retries).toBeGreaterThan(0);
    expect(s.afterWarmup.cut.writes).toBe(0);
    expect(explain(rq)).toContain("they came back unprocessed and were tried again after 100 ms, up to 3 tries");
  });
});

describe("2. a blocked shard's lanes count 0 in what the function can process", () => {
  it("one shard, blocked: 0 records/s, not 100 ÷ 1.42 s = 70.4 (nor 64 ÷ 0.82 s = 78.0)", () => {
    const r = lambdaWriting(producer("200/s"), 1, 100, slowRequests);
    const fn = r.consumers[0]!.lambda!;
    expect(fn.blockedAtEnd).toEqual(["shardId-000000000000"]);
    // The lane's bound, at the batch within the timeout, stays the judge's: 64 ÷ (0.02 + 0.8) s.
    expect(fn.throughputBound).toBeCloseTo(64 / 0.82, 6);
    // Before: report.json 70.4225, the table "70 records/s (processed 0/s)".
    expect(fn.throughputBoundUnblocked).toBe(0);
    expect(buildReportJson(r, provenance).consumers[0]!.lambda!.throughputBoundPerSecond).toBe(0);
    const md = buildReportMarkdown(r, provenance);
    expect(md).toContain("| 0 records/s, shardId-000000000000 blocked (processed 0/s) |");
    expect(md).toContain("A shard blocked at the end by batches that time out on every try counts 0: its lanes finish no batch while it is blocked");
  });

  it("two shards, one blocked: the other's lane, 64 ÷ 0.82 s = 78.0 records/s, not 2 × 78.0", () => {
    // Shard 0 takes 20 records/s: a batch of ~20 records writes in ⌈20 ÷ 16⌉ × 200 = 400 ms (+ 20 ms), in time. Shard 1
    // takes 200/s: its batches of 100 take 1.4 s at the least, blocked. (Records of 100 B: ⌈100 ÷ 16⌉ = 7 requests still.)
    const r = lambdaWriting(producerPerShard(2, [20, 200]), 2, 100, slowRequests);
    const fn = r.consumers[0]!.lambda!;
    expect(fn.blockedAtEnd).toEqual(["shardId-000000000001"]);
    expect(fn.throughputBound).toBeCloseTo((2 * 64) / 0.82, 6);
    expect(fn.throughputBoundUnblocked).toBeCloseTo(64 / 0.82, 6);
    expect(buildReportJson(r, provenance).consumers[0]!.lambda!.throughputBoundPerSecond).toBeCloseTo(78.0488, 4);
    expect(buildReportMarkdown(r, provenance)).toMatch(/\| 78 records\/s, shardId-000000000001 blocked \(processed 2\d\/s\) \|/);
  });

  it("control: nothing blocked, every lane counted (2 × 64 ÷ 0.82 s)", () => {
    const r = lambdaWriting(producerPerShard(2, [20, 20]), 2, 100, slowRequests);
    const fn = r.consumers[0]!.lambda!;
    expect(fn.blockedAtEnd).toEqual([]);
    expect(fn.throughputBoundUnblocked).toBeNull();
    expect(buildReportJson(r, provenance).consumers[0]!.lambda!.throughputBoundPerSecond).toBeCloseTo(156.098, 3);
  });
});

describe("3. a batch its table's full credit could write in time, every try cut once that credit is spent: blocked", () => {
  // By hand: the table starts with 300 units. Batch 1 (the 200 records of the first second, read at 1 s) takes 200: about
  // 101 left by 2 s. Batch 2 (200 records, at 2 s) gets those 101, its other 99 items come back, their retry due 10 s
  // later: the 1 s timeout cuts it. From then each try (one every 2 s: 1 s cut, then the mapping's retry) finds what
  // the table gained since, 1 unit a second, and takes it. The credit ends a step under 30 units (10% of the full 300,
  // src/result/burstCredit.ts) first in the step 2–3 s: spent by 0:00:03, and the table has held at most a few units at
  // any moment since (the highest step end since, plus a step's 1 unit). A batch's write then takes at least
  // (200 − a few) ÷ 1 WCU ≈ 197 s, or the handler's 2 backoffs of 10 s until it gives up, 20 s: over the 1 s timeout.
  const r = lambdaWriting(producer("200/s"), 1, 200, oneWcu());
  const fn = r.consumers[0]!.lambda!;

  it("the shard is blocked by its sink's writes from when the credit ran out, the write's least 20 s", () => {
    // Before: blockedAtEnd [], blockedBy null ("held back by its sink"), the full credit's least 130 ms in time.
    expect(r.consumers[0]!.accounting.processed).toBe(200);
    expect(fn.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(fn.blockedBy).toBe("sink write");
    const w = fn.blockedByTimeout!.write!;
    expect(fn.blockedByTimeout!.records).toBe(200);
    expect(w.units).toBe(200);
    expect(w.creditSpentSinceUs).toBe(3_000_000);
    expect(fn.blockedSinceUs).toEqual([3_000_000]);
    expect(w.heldUnits!).toBeGreaterThan(1);
    expect(w.heldUnits!).toBeLessThan(5);
    expect(w.leastBy).toBe("retries");
    expect(w.leastUs).toBe(20_000_000);
    const j = buildReportJson(r, provenance).consumers[0]!.lambda!;
    expect(j.blockedByTimeout!.sinkWriteLeastSeconds).toBe(20);
  });

  it("the verdict names it blocked since the credit ran out, with the credit held since and the write's least time", () => {
    const text = explain(r);
    expect(text).toMatch(/^Lambda consumer f is blocked by its sink's writes/);
    expect(text).toContain("At the end of the run shardId-000000000000 (since its table's burst credit ran out, by 0:00:03) was blocked by its sink's writes");
    expect(text).toMatch(
      /then writing it to the sink takes at least 20 s \(the table cannot give the 200 write units of its items in time, holding at most \d\.\d at any moment since its burst credit ran out \(by 0:00:03\), so the write ends only when the handler gives up after its backoffs between tries\), over its 1 s timeout/,
    );
  });

  it("control: with one try (retry.limit 1) the handler gives up after its 130 ms pass, in time: not blocked", () => {
    const r1 = lambdaWriting(producer("200/s"), 1, 200, oneWcu({ limit: 1 }));
    expect(r1.consumers[0]!.lambda!.blockedAtEnd).toEqual([]);
  });
});
