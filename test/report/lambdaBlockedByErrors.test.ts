// A Lambda consumer whose function fails every invocation (errors.share 1, or a function-errors fault of share 1 in force
// at the end) processes nothing: with the mapping's defaults (MaximumRetryAttempts −1, MaximumRecordAgeInSeconds −1)
// Lambda "retries until the records expire, exceed the maximum age, or reach the configured retry quota", and "with the
// default settings, this means that a bad record can block processing on the affected shard for up to one week"
// (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html): the shard's first batch is retried
// until its records expire at the stream's retention (24 h). With limits, each batch is given up at its limit and the next
// fails the same way. The report must say the consumer is blocked by its function's errors, and how; before, it named
// the errors only as "a failing batch holds its shard's lane" and called the iterator-age SLO "no data" (its poller,
// waiting for room, made no GetRecords call) though Lambda's IteratorAge, one value an invocation, had reached minutes.
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { lambdaScenario } from "./lambdaScenario.js";
import { PROVENANCE } from "./runResultFixture.js";

/**
 * 200 records/s of 100 B on one shard to a Lambda function (batches of 100, 10 ms + 0.1 ms a record), 4 minutes, 1 of
 * warmup; `load` sets another length and rate, `slo` other SLOs.
 */
const run = (
  fn: Record<string, unknown>,
  mapping: Record<string, unknown> = {},
  faults: unknown[] = [],
  load = { duration: "4m", warmup: "1m", rate: "200/s" },
  slo: Record<string, unknown> = { endToEndP99: "10s", maxIteratorAge: "30s" },
) => {
  const r = simulateScenario(lambdaScenario({ ...load, fn, mapping, faults, slo }));
  const v = verdictOf(r);
  const of = (name: string) => v.slos.find((s) => s.name === name)!;
  return { r, c: r.consumers[0]!, cv: v.consumers[0]!, e2e: of("endToEndP99"), age: of("maxIteratorAge"), lost: of("consumerLostPercent") };
};

describe("a Lambda consumer whose function fails every invocation", () => {
  const { c, cv, e2e, age } = run({ errors: { share: 1 } });

  it("processes nothing: its first batch is retried once a second (1 s retry delay + a 20 ms invocation), about 177 times after warmup", () => {
    expect(c.accounting.processed).toBe(0);
    // 180 s after warmup ÷ 1.02 s a try = 176.5.
    expect(c.lambda!.invocations).toBeGreaterThanOrEqual(176);
    expect(c.lambda!.invocations).toBeLessThanOrEqual(177);
    expect(c.lambda!.errors).toBe(c.lambda!.invocations);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(c.lambda!.blockedBy).toBe("function errors");
    expect(c.lambda!.failingCause).toEqual({ kind: "errors.share" });
  });

  it("is said to be blocked by its function's errors, each batch retried until its records expire at the retention, then the next", () => {
    expect(cv.bottleneck).toBe("function errors");
    expect(cv.explanation).toMatch(/^Lambda consumer fn is blocked by its function's errors: 17\d of 17\d invocations failed \(100\.0%\), and it processed no record after warmup;/);
    expect(cv.explanation).toContain(
      " At the end of the run its function failed every invocation (errors.share 1), and shardId-000000000000 was blocked by its errors: Lambda retries the same batch without a limit (MaximumRetryAttempts −1, MaximumRecordAgeInSeconds −1) until its records expire at the stream's retention, 24 h after they arrived, then the next batch fails the same way: the shard stays blocked while the function fails, each batch until its records expire, the records behind it waiting unprocessed (not counted as lost until they expire).",
    );
    expect(cv.explanation).not.toMatch(/keeps up|held back by processing|falls further behind/);
  });

  it("names the errors in its missed SLOs' causes; its iterator age is Lambda's (one an invocation), not 'no data'", () => {
    expect(e2e.met).toBe(false);
    expect(e2e.why).toContain("Lambda consumer fn is blocked by its function's errors");
    expect(age.noData).toBeUndefined();
    expect(age.met).toBe(false);
    // The first batch, read at the start, is retried to the end: its last record is about 4 minutes old.
    expect(age.actual).toBeGreaterThan(230_000);
    expect(age.why).toContain("Lambda consumer fn is blocked by its function's errors");
  });

  it("with MaximumRetryAttempts 2 and an SQS destination, each batch is discarded after 3 invocations and the next fails the same way", () => {
    const { c, cv } = run({ errors: { share: 1 } }, { maximumRetryAttempts: 2, onFailure: { destination: "sqs" } });
    expect(c.accounting.processed).toBe(0);
    // A batch of 100 takes 3 invocations of 20 ms and the 2 retry delays of 1 s between them, 2.06 s, and the next is
    // taken at once: 240 s ÷ 2.06 s = 116.5 batches over the run, about 11,600 records.
    expect(c.accounting.toDestination).toBeGreaterThanOrEqual(11_400);
    expect(c.accounting.toDestination).toBeLessThanOrEqual(11_700);
    expect(cv.bottleneck).toBe("function errors");
    expect(cv.explanation).toContain(
      "was blocked by its errors: Lambda retries a failed batch 2 times (MaximumRetryAttempts 2), then discards it to the on-failure destination (sqs), and the next batch fails the same way: the shard moves on only by giving up records",
    );
  });

  it("with a maximum record age of 90 s, the batch is retried until its records pass it and are skipped", () => {
    const { c, cv } = run({ errors: { share: 1 } }, { maximumRecordAge: "90s" });
    expect(c.accounting.processed).toBe(0);
    expect(c.accounting.skippedByAge).toBeGreaterThan(0);
    expect(cv.explanation).toContain(
      "was blocked by its errors: Lambda retries the same batch without a limit (MaximumRetryAttempts −1) until its records pass the maximum record age (1 min 30 s) and are skipped, then the next batch fails the same way",
    );
  });

  it("a function-errors fault of share 1 in force at the end blocks it the same way, and is named", () => {
    const { r, c, cv } = run({}, {}, [{ at: "30s", kind: "function-errors", consumer: "fn", for: "1h", share: 1 }]);
    expect(c.lambda!.blockedBy).toBe("function errors");
    // The model's cause, on the result and in report.json.
    expect(c.lambda!.failingCause).toEqual({ kind: "function-errors", fromUs: 30_000_000 });
    expect(buildReportJson(r, PROVENANCE).consumers[0]!.lambda!.failingCause).toEqual({ kind: "function-errors", fromSeconds: 30 });
    expect(cv.bottleneck).toBe("function errors");
    expect(cv.explanation).toContain("At the end of the run its function failed every invocation (the function-errors fault failing every invocation from 0:00:30), and shardId-000000000000 was blocked by its errors");
  });

  it("counterfactual: with errors.share 0 it keeps up, nothing blocked", () => {
    const { r, c, cv, age } = run({ errors: { share: 0 } });
    expect(c.lambda!.blockedAtEnd).toEqual([]);
    expect(c.lambda!.blockedBy).toBeNull();
    expect(c.lambda!.failingCause).toBeNull();
    expect(buildReportJson(r, PROVENANCE).consumers[0]!.lambda).not.toHaveProperty("failingCause");
    expect(cv.bottleneck).toBe("none");
    expect(cv.explanation).not.toContain("blocked");
    expect(age.met).toBe(true);
  });
});

// helper-65's 1, 4 and 5: what the words said was not what the run did with a tumbling window (its final invocation is
// retried until it succeeds, whatever MaximumRetryAttempts says), with MaximumRetryAttempts 0 (nothing retried, nothing
// blocked), and past the retention (the next batch blocks the shard; the records already expired are lost).
describe("a Lambda consumer whose function fails every invocation: tumbling windows, no retries, past the retention", () => {
  it("with a 30 s tumbling window and MaximumRetryAttempts 2, the window's final invocation holds the shard: nothing given up after the first window", () => {
    const { c, cv } = run({ errors: { share: 1 } }, { tumblingWindow: "30s", maximumRetryAttempts: 2 });
    const a = c.accounting;
    expect(a.processed).toBe(0);
    // Only the first window's records (30 s × 200/s = 6,000 at most) are discarded; the rest wait behind its final
    // invocation. Counterfactual: with no window the same mapping discards about 11,500 (the SQS case above).
    expect(a.discarded).toBeGreaterThan(0);
    expect(a.discarded).toBeLessThanOrEqual(6_000);
    expect(a.unread).toBeGreaterThanOrEqual(a.accepted - 6_000);
    expect(c.lambda!.blockedOnFinalInvocation).toEqual(["shardId-000000000000"]);
    expect(cv.explanation).toContain(
      "shardId-000000000000 was blocked by its errors behind its tumbling window's final invocation (isFinalInvokeForWindow): Lambda retries a window's final invocation until it succeeds, whatever MaximumRetryAttempts (2) says, so the shard stays blocked until the function stops failing",
    );
    expect(cv.explanation).toContain(`; ${a.discarded!.toLocaleString("en-US")} records were given up (whole run) before that invocation held it.`);
    expect(cv.explanation).not.toMatch(/moves on only by giving up records|then discards it/);
  });

  it("behind a final invocation, with a maximum record age: the records behind are skipped for their age once it succeeds, not kept to the retention (helper-67's 5)", () => {
    const { c, cv } = run({ errors: { share: 1 } }, { tumblingWindow: "30s", maximumRecordAge: "60s" });
    expect(c.lambda!.blockedOnFinalInvocation).toEqual(["shardId-000000000000"]);
    expect(cv.explanation).toContain(
      "so the shard stays blocked until the function stops failing, the records behind it waiting unprocessed: once it succeeds, those older than the maximum record age (1 min) are skipped, not processed",
    );
    expect(cv.explanation).not.toContain("until they expire");
    // With an on-failure destination Lambda sends it the details of "a batch of records that's too old" too
    // (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html): discarded, not skipped.
    const { cv: toSqs } = run({ errors: { share: 1 } }, { tumblingWindow: "30s", maximumRecordAge: "60s", onFailure: { destination: "sqs" } });
    expect(toSqs.explanation).toContain(
      "the records behind it waiting unprocessed: once it succeeds, those older than the maximum record age (1 min) are discarded, not processed, their batches' details sent to the on-failure destination (sqs)",
    );
    // Without the age limit: to the retention, with no count of its own (the run's expired count holds records that expired before the invocation held the shard too: helper-67's 2).
    const { cv: noAge } = run({ errors: { share: 1 } }, { tumblingWindow: "30s", maximumRetryAttempts: 2 });
    expect(noAge.explanation).toContain("the records behind it waiting unprocessed until they expire at the stream's retention (24 h after they arrived)");
  });

  it("held behind a final invocation since before warmup: Lambda published no IteratorAge after warmup, so the SLO has no data and is not met (helper-67's 3: met at 0 s)", () => {
    // The first window's 5,980 records are discarded batch by batch (3 invocations and 2 retry delays of 1 s each, 2.06 s
    // a batch of 100: about 2 min), then its final invocation holds the shard: from about 2:03 every invocation has no
    // records, and the warmup lasts 4 min. IteratorAge is one value for each batch of records; a final invocation has none.
    const { c, age } = run({ errors: { share: 1 } }, { tumblingWindow: "30s", maximumRetryAttempts: 2 }, [], { duration: "8m", warmup: "4m", rate: "200/s" });
    expect(c.lambda!.blockedOnFinalInvocation).toEqual(["shardId-000000000000"]);
    expect(c.lambda!.invocations).toBeGreaterThan(200);
    expect(c.lambda!.iteratorAgePoints).toBe(0);
    expect(age.noData).toBe(true);
    expect(age.met).toBe(false);
    expect(age.why).toMatch(
      /^no data: Lambda consumer fn invoked its function 2\d\d times after warmup, none with records, so there is no iterator age to judge \(Lambda publishes IteratorAge once for each batch of records, the age of its last record\); shardId-000000000000 was held behind its tumbling window's final invocation, which has no records and is retried until it succeeds; its oldest unprocessed record reached 7 min \d+ s$/,
    );
    // The same blocked mapping with a 1 min warmup: its batches before the block, after warmup, give IteratorAge values.
    const { c: early, age: earlyAge } = run({ errors: { share: 1 } }, { tumblingWindow: "30s", maximumRetryAttempts: 2 });
    expect(early.lambda!.iteratorAgePoints).toBeGreaterThan(0);
    expect(earlyAge.noData).toBeUndefined();
    expect(earlyAge.met).toBe(false);
  });

  it("MaximumRetryAttempts 2 with bisection: one comma before 'then discards it' (helper-67's 4: ',, then')", () => {
    const { cv } = run({ errors: { share: 1 } }, { maximumRetryAttempts: 2, bisectBatchOnFunctionError: true });
    expect(cv.explanation).toContain("Lambda retries a failed batch 2 times (MaximumRetryAttempts 2), bisected down to single records (the halves use up no retries), then discards it");
    expect(cv.explanation).not.toContain(",,");
  });

  it("with MaximumRetryAttempts 0, nothing is processed after warmup: the end-to-end SLO has no data and is not met (it read '≥ 500 ms: yes' from the 100 records inside at the end)", () => {
    const { r, c, e2e } = run({ errors: { share: 1 } }, { maximumRetryAttempts: 0 });
    const lw = c.lostAfterWarmup;
    // 200 records/s × 180 s after warmup: about 36,000 arrived, every batch read discarded, the last one still inside.
    expect(lw.accepted).toBeGreaterThanOrEqual(35_900);
    expect(lw.accepted).toBeLessThanOrEqual(36_100);
    expect(c.endToEnd.count - c.censoredAtEnd).toBe(0);
    expect(lw.discarded + c.censoredAtEnd).toBe(lw.accepted);
    expect(e2e.noData).toBe(true);
    expect(e2e.met).toBe(false);
    expect(e2e.why).toBe(
      `no data: consumer fn processed no record after warmup, so there is no end-to-end latency to judge; of the ${lw.accepted.toLocaleString("en-US")} records that arrived after warmup: ${lw.discarded.toLocaleString("en-US")} discarded (lost), ${c.censoredAtEnd} still inside at the end (up to ${c.endToEnd.max / 1_000} ms old)`,
    );
    const md = buildReportMarkdown(r, PROVENANCE);
    expect(md).toContain("| end-to-end latency p99 (worst: fn) | ≤ 10 s | no data (no record processed after warmup) | **no** (no data) |");
    expect(md).toContain("No data: a consumer that processed no record after warmup has no end-to-end latency. Not a pass.");
    expect(md).not.toContain("all 2 SLOs met");
  });

  it("with MaximumRetryAttempts 0, each batch is discarded at its first failure: not blocked, nothing retried", () => {
    const { c, cv } = run({ errors: { share: 1 } }, { maximumRetryAttempts: 0 });
    const a = c.accounting;
    expect(a.processed).toBe(0);
    // Every record read is discarded: 200/s × 240 s = 48,000 accepted, all but the last batch or so discarded.
    expect(a.discarded).toBeGreaterThanOrEqual(a.accepted - 200);
    expect(c.lambda!.blockedAtEnd).toEqual([]);
    expect(c.lambda!.blockedBy).toBeNull();
    expect(c.lambda!.failingCause).toEqual({ kind: "errors.share" });
    expect(cv.explanation).toContain("a failing batch is discarded at once, not retried (MaximumRetryAttempts 0)");
    expect(cv.explanation).toContain(
      `At the end of the run its function failed every invocation (errors.share 1), and Lambda discards every batch at its first failure (MaximumRetryAttempts 0) with no on-failure destination (lost): no shard is blocked, the consumer moves on only by giving records up (${a.discarded!.toLocaleString("en-US")} records given up, whole run) until the function stops failing.`,
    );
    expect(cv.explanation).not.toMatch(/while it is retried|blocked by|was blocked/);
  });

  it("behind a blocked final invocation past the 24 h retention, the records behind it expire as they pass it, counted lost (helper-67: 899 of about 3,600)", () => {
    // 25 h at 1 record/s: the producer sends its k-th record at k s (even arrivals), arriving milliseconds later, so
    // 90,000 are accepted, and at the end (90,000 s) those that arrived before 90,000 − 86,400 = 3,600 s are past the
    // stream's 24 h retention: k = 1 … 3,599. (A record the log has merged into a minute's entry expires with the entry's
    // last one, src/model/kinesis/shardLog.ts coalesce: at most 60 records late at this rate.) The first window's first
    // batch is retried until its records expire at 24 h, then the window's final invocation holds the shard to the end,
    // the records read since waiting in its lane: before, they stayed "unread" (29 expired, the oldest unprocessed 25 h).
    const { c } = run({ errors: { share: 1 } }, { tumblingWindow: "30s" }, [], { duration: "25h", warmup: "1h", rate: "1/s" });
    const a = c.accounting;
    expect(c.lambda!.blockedOnFinalInvocation).toEqual(["shardId-000000000000"]);
    expect(a.accepted).toBe(90_000);
    expect(a.processed).toBe(0);
    expect(a.expiredUnread).toBeGreaterThanOrEqual(3_599 - 60);
    expect(a.expiredUnread).toBeLessThanOrEqual(3_599);
    expect(a.processed + a.unread + a.expiredUnread + a.skipped + a.discarded! + a.toDestination! + a.skippedByAge!).toBe(a.accepted);
    expect(a.balanced).toBe(true);
    // At the time they pass it (once a second): no record waits unprocessed longer than the retention and a second.
    expect(c.maxOldestUnprocessedAge).toBeLessThanOrEqual(86_401_000_000);
    // With MaximumRetryAttempts 2 the first window's 29 records are discarded within seconds, and the final invocation
    // holds the shard from then on, 100 records queued in its lane and the reader stopped behind them: the rest of the
    // 3,599 expire, whether queued in the lane (before: 100 left "unread") or still unread in the shard.
    const { c: limited } = run({ errors: { share: 1 } }, { tumblingWindow: "30s", maximumRetryAttempts: 2 }, [], { duration: "25h", warmup: "1h", rate: "1/s" });
    const b = limited.accounting;
    expect(b.discarded).toBeGreaterThan(0);
    expect(b.discarded! + b.expiredUnread).toBeGreaterThanOrEqual(3_599 - 60);
    expect(b.discarded! + b.expiredUnread).toBeLessThanOrEqual(3_599);
    expect(b.processed + b.unread + b.expiredUnread + b.discarded!).toBe(b.accepted);
    expect(limited.maxOldestUnprocessedAge).toBeLessThanOrEqual(86_401_000_000);
  }, 20_000);

  it("with the defaults past the 24 h retention, the next batch blocks the shard and the records already expired are said to be lost", () => {
    // 25 h at 2 records/s: the records that arrived in the first hour (about 7,200) have expired unread by the end.
    const { c, cv } = run({ errors: { share: 1 } }, {}, [], { duration: "25h", warmup: "1h", rate: "2/s" });
    const x = c.accounting.expiredUnread;
    expect(x).toBeGreaterThan(7_000);
    expect(x).toBeLessThanOrEqual(7_200);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(cv.explanation).toContain(
      `until its records expire at the stream's retention, 24 h after they arrived, then the next batch fails the same way: the shard stays blocked while the function fails, each batch until its records expire, the records behind it waiting unprocessed until they too expire (${x.toLocaleString("en-US")} records have expired unread so far and are lost, whole run).`,
    );
    expect(cv.explanation).not.toMatch(/not counted as lost|until then or/);
  }, 20_000);
});

// A function whose every invocation times out fails every invocation just the same: a timeout is a function error ("The
// runtime returns errors for issues such as timeouts", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html)
// and the mapping retries the batch as for any error. Before, only errors.share 1 (or a fault of share 1) was seen as
// blocking: a function that always timed out was not reported blocked.
describe("a Lambda consumer whose function times out on every invocation", () => {
  // 10 ms + 50 ms a record, no variability: a full batch of 100 runs 10 ms + 100 × 50 ms = 5.01 s, above Lambda's default
  // timeout of 3 s (CreateFunction Timeout), so every try of it times out.
  const slow = { duration: { perInvocation: "10ms", perRecord: "50ms", variability: 0 } };

  it("is reported blocked by its function's timeouts, the timeout given as the cause", () => {
    const { c, cv } = run(slow);
    expect(c.accounting.processed).toBe(0);
    // Each try runs to the 3 s timeout, then waits the 1 s retry delay: 180 s after warmup ÷ 4 s = 45 tries, all failed.
    expect(c.lambda!.invocations).toBe(45);
    expect(c.lambda!.errors).toBe(45);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(c.lambda!.blockedBy).toBe("function errors");
    expect(c.lambda!.blockedByTimeout).toEqual({ records: 100, durationUs: 5_010_000, variability: 0, successChance: 0 });
    expect(cv.bottleneck).toBe("function errors");
    expect(cv.explanation).toMatch(/^Lambda consumer fn is blocked by its function's timeouts: 45 of 45 invocations failed \(100\.0%, all 45 of them timed out at its 3 s timeout\)/);
    expect(cv.explanation).toContain(
      " At the end of the run shardId-000000000000 was blocked by its function's timeouts, every invocation timing out (its duration, 5.01 s for a batch of 100 records with no variability, is above its timeout, 3 s): Lambda retries the same batch without a limit (MaximumRetryAttempts −1, MaximumRecordAgeInSeconds −1) until its records expire at the stream's retention",
    );
    expect(cv.explanation).not.toContain("errors.share");
  });

  it("with bisection, blocked only when a single record times out: halves of 50 records (2.51 s) fit in 3 s, one record of 4 s does not", () => {
    const { c: halves, cv } = run(slow, { bisectBatchOnFunctionError: true });
    expect(halves.accounting.processed).toBeGreaterThan(0);
    expect(halves.lambda!.blockedAtEnd).toEqual([]);
    expect(halves.lambda!.blockedByTimeout).toBeNull();
    expect(cv.explanation).not.toContain("blocked");
    const { c: one, cv: oneV } = run({ duration: { perInvocation: "10ms", perRecord: "4s", variability: 0 } }, { bisectBatchOnFunctionError: true });
    expect(one.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(one.lambda!.blockedByTimeout).toEqual({ records: 1, durationUs: 4_010_000, variability: 0, successChance: 0 });
    expect(oneV.explanation).toContain("every invocation timing out (its duration, 4.01 s for a single record with no variability, is above its timeout, 3 s)");
  });

  it("counterfactual: with variability 0.3 the same mean times out on a share of invocations only, and is not reported blocked", () => {
    // Lognormal around 5.01 s with a coefficient of variation of 0.3 (σ = √ln 1.09 = 0.294): a try is under the 3 s timeout
    // with probability Φ((ln(3 ÷ 5.01) + σ²/2) ÷ σ) = Φ(−1.60), about 5.5%, so now and then a batch succeeds.
    const { c, cv } = run({ duration: { perInvocation: "10ms", perRecord: "50ms", variability: 0.3 } });
    expect(c.accounting.processed).toBeGreaterThan(0);
    expect(c.lambda!.errors).toBeLessThan(c.lambda!.invocations);
    expect(c.lambda!.blockedAtEnd).toEqual([]);
    expect(c.lambda!.blockedBy).toBeNull();
    expect(c.lambda!.blockedByTimeout).toBeNull();
    expect(cv.explanation).not.toMatch(/blocked|timing out/);
  });

  it("with MaximumRetryAttempts 2, a run ending in a fresh batch's first try is blocked by its timeouts all the same (helper-80: it read not blocked, no timeout named)", () => {
    // A batch takes three tries of 3 s and the two 1 s retry delays between them, 11 s, and the next is taken at once:
    // the first starts at about 1 s, the 23rd at about 243 s, so at 245 s it is on its first try, not failed yet.
    const { c, cv } = run(slow, { maximumRetryAttempts: 2 }, [], { duration: "245s", warmup: "1m", rate: "200/s" });
    expect(c.accounting.discarded).toBe(22 * 100);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(c.lambda!.blockedByTimeout).toEqual({ records: 100, durationUs: 5_010_000, variability: 0, successChance: 0 });
    expect(cv.explanation).toContain(
      "shardId-000000000000 was blocked by its function's timeouts, every invocation timing out (its duration, 5.01 s for a batch of 100 records with no variability, is above its timeout, 3 s): Lambda retries a failed batch 2 times (MaximumRetryAttempts 2), then discards it with no on-failure destination (lost)",
    );
  });

  it("with MaximumRetryAttempts 0 and no on-failure destination, each batch is discarded as it times out, and the timeout is named (helper-80: 'a failing batch is discarded at once', no cause)", () => {
    // A timeout is a function error ("The runtime terminated your function because it ran out of time",
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html), and past the retry quota Lambda "discards the
    // records and continues processing batches from the stream" (kinesis-on-failure-destination.html). Each try of a
    // batch of 100 runs to the 3 s timeout and the next batch is taken at once: from about 1 s, 80 tries in 240 s, the
    // last still running at the end, so 79 batches discarded; 60 of the tries start after the 1-minute warmup.
    const { r, c, cv } = run(slow, { maximumRetryAttempts: 0 });
    expect(c.accounting.processed).toBe(0);
    expect(c.accounting.discarded).toBe(7_900);
    expect(c.lambda!.invocations).toBe(60);
    expect(c.lambda!.errors).toBe(60);
    expect(c.lambda!.timeouts).toBe(60);
    expect(c.lambda!.blockedAtEnd).toEqual([]);
    expect(c.lambda!.blockedByTimeout).toBeNull();
    expect(c.lambda!.discardedByTimeout).toEqual({ records: 100, durationUs: 5_010_000, variability: 0, successChance: 0 });
    const sentence =
      " At the end of the run every invocation of its function timed out (its duration, 5.01 s for a batch of 100 records with no variability, is above its timeout, 3 s), and Lambda discards every batch at its first failure (MaximumRetryAttempts 0) with no on-failure destination (lost), a timeout being a function error: no shard is blocked, the consumer moves on only by giving records up (7,900 records given up, whole run) until its invocations end within the timeout.";
    expect(cv.explanation).toContain("60 of 60 invocations failed (100.0%, all 60 of them timed out at its 3 s timeout); a timed-out batch is discarded at once, not retried (MaximumRetryAttempts 0)");
    expect(cv.explanation).toContain(sentence);
    expect(cv.explanation).not.toMatch(/blocked by|was blocked|errors\.share/);
    // report.md and report.json say the same.
    expect(buildReportMarkdown(r, PROVENANCE)).toContain(sentence);
    expect(buildReportJson(r, PROVENANCE).consumers[0]!.explanation).toContain(sentence);
  });

  it("with MaximumRetryAttempts 0, the records lost after warmup are said to be discarded after timing out, not after failing (helper-80)", () => {
    // 20 records/s; every invocation runs 4 s, above the 3 s timeout, whatever its batch (about 60 records, read while the
    // last one ran): each batch is discarded at its first try, nothing processed. Of the records that arrived after
    // warmup, all are discarded but those still inside at the end.
    const fourSeconds = { duration: { perInvocation: "4s", perRecord: "0ms", variability: 0 } };
    const slos = { endToEndP99: "10s", consumerLostPercent: 1 };
    const { r, c, e2e, lost } = run(fourSeconds, { maximumRetryAttempts: 0 }, [], { duration: "4m", warmup: "1m", rate: "20/s" }, slos);
    const lw = c.lostAfterWarmup;
    expect(c.accounting.processed).toBe(0);
    expect(lw.discarded + c.censoredAtEnd).toBe(lw.accepted);
    expect(c.lambda!.discardedByTimeout).toMatchObject({ durationUs: 4_000_000, variability: 0, successChance: 0 });
    const n = lw.discarded.toLocaleString("en-US");
    expect(lost.met).toBe(false);
    expect(lost.why).toBe(`records that arrived after warmup went unprocessed: ${n} discarded after timing out (no on-failure destination); besides, it is held back by function errors, its invocations timing out`);
    expect(e2e.why).toContain(`: ${n} discarded after timing out (lost), `);
    expect(buildReportMarkdown(r, PROVENANCE)).toContain(`${n} discarded after timing out (no on-failure destination)`);
    // Counterfactual: the same discards by errors (a 2 s invocation, within the timeout, every one failing) read "after failing".
    const { c: e, lost: byErrors } = run({ duration: { perInvocation: "2s", perRecord: "0ms", variability: 0 }, errors: { share: 1 } }, { maximumRetryAttempts: 0 }, [], { duration: "4m", warmup: "1m", rate: "20/s" }, slos);
    expect(e.lambda!.timeouts).toBe(0);
    expect(e.lambda!.discardedByTimeout).toBeNull();
    expect(byErrors.why).toMatch(/^records that arrived after warmup went unprocessed: [\d,]+ discarded after failing \(no on-failure destination\); besides, it is held back by function errors$/);
  });

  it("with variability 0.3 and a mean ten times the timeout (30 s against 3 s), a try ends in time about once in 10^14: blocked (helper-71's left-over)", () => {
    // 10 ms + 299.9 ms a record: a batch of 100 averages 30 s. Φ((ln(3 ÷ 30) + σ²/2) ÷ σ) with σ = √ln 1.09 = 0.2936:
    // (−2.3026 + 0.0431) ÷ 0.2936 = −7.696, Φ ≈ 7.0 × 10^−15.
    const { c, cv } = run({ duration: { perInvocation: "10ms", perRecord: "299.9ms", variability: 0.3 } });
    const sigma = Math.sqrt(Math.log(1.09));
    const z = (Math.log(3 / 30) + (sigma * sigma) / 2) / sigma;
    expect(z).toBeCloseTo(-7.696, 2);
    expect(c.accounting.processed).toBe(0);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    const t = c.lambda!.blockedByTimeout!;
    expect(t).toMatchObject({ records: 100, durationUs: 30_000_000, variability: 0.3 });
    expect(t.successChance).toBeGreaterThan(5e-15);
    expect(t.successChance).toBeLessThan(1e-14);
    expect(cv.explanation).toContain(
      "shardId-000000000000 was blocked by its function's timeouts, every invocation timing out (its duration for a batch of 100 records, 30 s on average with variability 0.3, is above its timeout, 3 s, on all but about 1 try in 10^14)",
    );
  });
});
