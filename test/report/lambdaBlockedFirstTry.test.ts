// A Lambda consumer whose function fails every invocation by its errors (no timeouts) is blocked whether the batch in
// hand has failed already or is on its first try (helper-88; helper-80 fixed the same for timeouts, 610101e). With
// MaximumRetryAttempts 2 each batch is tried 3 times, then discarded, and the next fails the same way: "Lambda retries
// until the records expire, exceed the maximum age, or reach the configured retry quota"
// (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). Before, the rule looked only at
// failed batches: a run ending in a fresh batch's first try read not blocked ("a failing batch holds its shard's lane"),
// while runs a second earlier or later read blocked by its errors.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { lambdaScenario } from "./lambdaScenario.js";

/** 200 records/s of 100 B on one shard, batches of 100, a function of 2 s an invocation (within its 3 s timeout), 1 minute of warmup. */
const run = (duration: string, fn: Record<string, unknown>, mapping: Record<string, unknown> = {}, faults: unknown[] = []) => {
  const r = simulateScenario(lambdaScenario({ duration, warmup: "1m", rate: "200/s", fn: { duration: { perInvocation: "2s", perRecord: "0ms", variability: 0 }, ...fn }, mapping, faults }));
  return { r, c: r.consumers[0]!, cv: verdictOf(r).consumers[0]! };
};

const BLOCKED =
  "At the end of the run its function failed every invocation (errors.share 1), and shardId-000000000000 was blocked by its errors: Lambda retries a failed batch 2 times (MaximumRetryAttempts 2), then discards it with no on-failure destination (lost), and the next batch fails the same way: the shard moves on only by giving up records (3,000 records given up, whole run) until the function stops failing.";

describe("a Lambda consumer failing every invocation by its errors is blocked whatever try its batch is on at the end", () => {
  // errors.share 1, MaximumRetryAttempts 2: a batch takes three tries of 2 s and the two 1 s retry delays between them,
  // 8 s, and the next is taken at once. The 30th is discarded between 241 and 241.5 s (3,000 records given up by 241.5 s,
  // 2,900 at 241 s), so the 31st's first try runs from then for 2 s: a run ending at 242 s or 243 s ends in it.
  it.each(["242s", "243s"])("ending at %s, in the 31st batch's first try: blocked by its errors, as at 241 s and 244 s", (end) => {
    const { c, cv } = run(end, { errors: { share: 1 } }, { maximumRetryAttempts: 2 });
    expect(c.accounting.discarded).toBe(3_000);
    expect(c.accounting.processed).toBe(0);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(c.lambda!.blockedBy).toBe("function errors");
    expect(cv.explanation).toMatch(/^Lambda consumer fn is blocked by its function's errors: /);
    expect(cv.explanation).toContain(BLOCKED);
  });

  it("counterfactual: at 244 s the 31st batch has failed once and waits for its retry, at 241 s the 30th its last try: blocked the same way", () => {
    const { c, cv } = run("244s", { errors: { share: 1 } }, { maximumRetryAttempts: 2 });
    expect(c.accounting.discarded).toBe(3_000);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(cv.explanation).toContain(BLOCKED);
    const early = run("241s", { errors: { share: 1 } }, { maximumRetryAttempts: 2 });
    expect(early.c.accounting.discarded).toBe(2_900);
    expect(early.c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
  });

  it("a function-errors fault of share 1 from 239 s: the first try begun under it, still running at 240 s, blocks the shard", () => {
    // Invocations of 2 s back to back: one begins in [239 s, 240 s) under the fault and fails; it is the only failure.
    const { c, cv } = run("240s", {}, {}, [{ at: "239s", kind: "function-errors", consumer: "fn", for: "1h", share: 1 }]);
    expect(c.lambda!.errors).toBe(1);
    expect(c.lambda!.failingCause).toEqual({ kind: "function-errors", fromUs: 239_000_000 });
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(cv.explanation).toContain("At the end of the run its function failed every invocation (the function-errors fault failing every invocation from 0:03:59), and shardId-000000000000 was blocked by its errors");
  });

  it("counterfactual: a fault from 239.99 s finds the batch in hand on a try begun before it, which succeeds: not blocked", () => {
    const { c, cv } = run("240s", {}, {}, [{ at: "239.99s", kind: "function-errors", consumer: "fn", for: "1h", share: 1 }]);
    expect(c.lambda!.errors).toBe(0);
    expect(c.lambda!.failingCause).toEqual({ kind: "function-errors", fromUs: 239_990_000 });
    expect(c.lambda!.blockedAtEnd).toEqual([]);
    expect(cv.explanation).not.toContain("blocked");
  });
});
