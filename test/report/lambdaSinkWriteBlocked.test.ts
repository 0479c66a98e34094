// A Lambda function whose batch's sink write outlasts its timeout on every try: the shard never moves past that batch
// (the mapping retries it until MaximumRetryAttempts or MaximumRecordAgeInSeconds, by default −1: until its records
// expire), so the shard is blocked by the sink's writes, not by "function errors" (the function's own work ends in time).
// Each invocation writes its batch before it returns, and a write the timeout cuts fails the invocation.
//
// The cases, by hand, a 1 s timeout and 20 ms of compute a batch (variability 0):
// - DynamoDB at a fixed 200 ms a BatchWriteItem of 16 items, 40,000 WCU (never throttled): a batch of n records takes
//   ⌈n ÷ 16⌉ × 200 ms at the least; 100 records: 7 × 200 = 1.4 s, and 20 ms + 1.4 s > 1 s on every try.
// - DynamoDB of 1 WCU (300 s of burst: 300 units unused at most), 400 records/s of 500 B (1 WCU an item), batches of up
//   to 500: the first batch (about 400 records, read at 1 s) needs its ~400 units, 100 beyond what the table can hold, so
//   writing them all takes at least 100 s at 1 WCU; the handler gives up after 3 tries 10 s apart, 20 s: the write takes
//   at least 20 s, whatever the table's history, over the 1 s timeout.
// Before: "held back by its sink", a timed-out batch "held its shard's lane while it is retried", no shard named blocked.
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };

function cut(rate: string, batchSize: number, sink: Record<string, unknown>, mapping: Record<string, unknown> = {}): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: "5m",
      warmup: "30s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: rate }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
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

const slowRequests = { kind: "dynamodb", table: { capacity: "provisioned", write: 40_000 }, itemsPerRequest: 16, requestLatency: { dist: "fixed", value: "200ms" } };

describe("a batch whose write takes 7 requests of 200 ms against a 1 s timeout: blocked by the sink's writes", () => {
  const r = cut("200/s", 100, slowRequests);
  const c = r.consumers[0]!;
  const l = c.lambda!;

  it("the mapping names the shard blocked by the sink write, the write's least time ⌈n ÷ 16⌉ × 200 ms", () => {
    // Before: blockedAtEnd [], blockedBy null.
    expect(l.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(l.blockedBy).toBe("sink write");
    const t = l.blockedByTimeout!;
    expect(t.durationUs).toBe(20_000);
    expect(t.write!.leastBy).toBe("requests");
    expect(t.write!.leastUs).toBe(Math.ceil(t.records / 16) * 200_000);
    expect(t.write!.leastUs + t.durationUs).toBeGreaterThan(1_000_000);
    expect(t.successChance).toBe(0);
    // The shard never moved past its first batch: since its first try, within the first read's second or two.
    expect(c.accounting.processed).toBe(0);
    expect(l.blockedSinceUs[0]!).toBeGreaterThanOrEqual(0);
    expect(l.blockedSinceUs[0]!).toBeLessThan(2_000_000);
  });

  it("the verdict (the judge's sink, not function errors) names the shard blocked, since when, on the write's least time against the timeout", () => {
    const cv = judge(r).consumers.find((x) => x.name === "f")!;
    expect(cv.bottleneck).toBe("sink");
    expect(cv.timedOutWriting).toBe(true);
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    // The batch held is a full one: the first read (at 1 s, 200 records there) fills it.
    expect(l.blockedByTimeout!.records).toBe(100);
    expect(text).toMatch(/^Lambda consumer f is blocked by its sink's writes, a DynamoDB table/);
    expect(text).toMatch(/At the end of the run shardId-000000000000 \(timing out since 0:00:0[01]\) was blocked by its sink's writes, every invocation timing out while it writes its batch/);
    expect(text).toContain("its own work takes 20 ms for a batch of 100 records, then writing it to the sink takes at least 1.4 s (7 BatchWriteItem requests one after another, at 200 ms each at the least), over its 1 s timeout");
    expect(text).toContain("Lambda retries the same batch without a limit (MaximumRetryAttempts −1, MaximumRecordAgeInSeconds −1) until its records expire at the stream's retention, 24 h after they arrived");
    expect(text).toContain("the shard stays blocked while its batches' writes outlast the timeout");
    expect(text).not.toContain("poison record");
    expect(text).not.toContain("function errors");
  });

  it("report.json's blockedByTimeout gives the write's least time beside the function's own", () => {
    const j = buildReportJson(r, provenance).consumers[0]!.lambda!.blockedByTimeout!;
    expect(j.meanDurationSeconds).toBe(0.02);
    // 7 requests × 200 ms.
    expect(j.sinkWriteLeastSeconds).toBe(1.4);
  });

  it("with MaximumRetryAttempts 2 each batch is given up after 3 tries: the words say so, and what ends it", () => {
    const r2 = cut("200/s", 100, slowRequests, { maximumRetryAttempts: 2 });
    const l2 = r2.consumers[0]!.lambda!;
    expect(l2.blockedBy).toBe("sink write");
    const text = verdictOf(r2).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain("Lambda retries a failed batch 2 times (MaximumRetryAttempts 2), then discards it with no on-failure destination (lost), and the next batch fails the same way");
    expect(text).toContain("until its batches' writes end within the timeout");
  });
});

describe("the same writes with MaximumRetryAttempts 0: no shard blocked, each batch discarded as its write times out", () => {
  it("names the write against the timeout, not the function's 20 ms as 'above its timeout'", () => {
    // Before: nothing said why (discardedByTimeout null); then, counting the write, "its duration, 20 ms for a batch of
    // 100 records with no variability, is above its timeout, 1 s" (the compute's words for the write's cause).
    const r = cut("200/s", 100, slowRequests, { maximumRetryAttempts: 0 });
    const l = r.consumers[0]!.lambda!;
    expect(l.blockedAtEnd).toEqual([]);
    expect(l.discardedByTimeout!.write!.leastUs).toBe(1_400_000);
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain(
      "At the end of the run every invocation of its function timed out while writing its batch to the sink (its own work takes 20 ms for a batch of 100 records, then writing it to the sink takes at least 1.4 s (7 BatchWriteItem requests one after another, at 200 ms each at the least), over its 1 s timeout), and Lambda discards every batch at its first failure (MaximumRetryAttempts 0)",
    );
    expect(text).not.toContain("is above its timeout");
  });
});

describe("a batch of ~400 items against a 1-WCU table (300 units of burst at most): blocked by the sink's writes", () => {
  const r = cut("400/s", 500, { kind: "dynamodb", table: { capacity: "provisioned", write: 1 }, requestLatency: { dist: "fixed", value: "10ms" } });
  const l = r.consumers[0]!.lambda!;

  it("the write's least time is the handler's 2 backoffs of 10 s (the table would take (units − 300) s at 1 WCU)", () => {
    expect(l.blockedBy).toBe("sink write");
    const w = l.blockedByTimeout!.write!;
    expect(w.units).toBe(l.blockedByTimeout!.records);
    expect(w.units!).toBeGreaterThan(320);
    expect(w.heldUnits).toBe(300);
    expect(w.leastBy).toBe("retries");
    expect(w.leastUs).toBe(20_000_000);
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain(
      `then writing it to the sink takes at least 20 s (the table cannot give the ${w.units} write units of its items in time, holding 300 unused at most, so the write ends only when the handler gives up after its backoffs between tries), over its 1 s timeout`,
    );
  });

  it("with one try (retry.limit 1), the least is the table's: (units − 300) ÷ 1 WCU seconds", () => {
    const r1 = cut("400/s", 500, { kind: "dynamodb", table: { capacity: "provisioned", write: 1 }, requestLatency: { dist: "fixed", value: "10ms" }, retry: { limit: 1 } });
    const l1 = r1.consumers[0]!.lambda!;
    // One try: the handler gives up after its first pass (⌈n ÷ 16⌉ × 10 ms, under 1 s): the write ends in time, the items
    // the table did not take lost; nothing blocks (the run's losses show instead).
    expect(l1.blockedBy).toBeNull();
  });
});
