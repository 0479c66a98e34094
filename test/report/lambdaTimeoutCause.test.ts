// A Lambda consumer's failed invocations say how many of them timed out (stop 41's left-over): a timeout is a function
// error ("The runtime returns errors for issues such as timeouts", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html)
// that the event source mapping retries as any other, and CloudWatch counts it among Errors with no metric of its own.
// Before, the verdict read "60 of 60 invocations failed (100.0%)" and report.json had no timeouts, nor what the model
// found of batches timing out on every try (blockedByTimeout, discardedByTimeout).
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { lambdaScenario } from "./lambdaScenario.js";
import { PROVENANCE } from "./runResultFixture.js";

/** 200 records/s of 100 B on one shard, batches of 100, 4 minutes with 1 of warmup. */
const run = (fn: Record<string, unknown>, mapping: Record<string, unknown> = {}) => {
  const r = simulateScenario(lambdaScenario({ fn, mapping }));
  return { r, c: r.consumers[0]!, cv: verdictOf(r).consumers[0]!, json: buildReportJson(r, PROVENANCE).consumers[0]!.lambda! };
};

// 10 ms + 50 ms a record, no variability: a full batch of 100 runs 5.01 s, above Lambda's default timeout of 3 s.
const slow = { duration: { perInvocation: "10ms", perRecord: "50ms", variability: 0 } };

describe("a Lambda consumer's failed invocations say how many timed out", () => {
  it("MaximumRetryAttempts 0: 60 of 60 invocations failed, all 60 timed out; report.json has the timeouts and the batches discarded as they time out", () => {
    // Each try runs to the 3 s timeout and its batch is discarded, the next taken at once: 180 s after warmup ÷ 3 s = 60.
    const { r, c, cv, json } = run(slow, { maximumRetryAttempts: 0 });
    expect(c.lambda!.invocations).toBe(60);
    expect(cv.explanation).toContain("Lambda consumer fn: 60 of 60 invocations failed (100.0%, all 60 of them timed out at its 3 s timeout); a timed-out batch is discarded at once");
    // report.md's Lambda table: the errors column.
    expect(buildReportMarkdown(r, PROVENANCE)).toContain("| 60 (100.0%, 60 timed out) |");
    expect(json.afterWarmup).toMatchObject({ invocations: 60, errors: 60, timeouts: 60 });
    expect(json.discardedByTimeout).toEqual({ records: 100, meanDurationSeconds: 5.01, variability: 0, successChance: 0 });
    expect(json).not.toHaveProperty("blockedByTimeout");
  });

  it("retried without a limit: 45 of 45 failed, all timed out; report.json says the shard is blocked by a batch of 100 timing out at 5.01 s", () => {
    // Each try runs to the 3 s timeout, then waits the 1 s retry delay: 180 s ÷ 4 s = 45 tries.
    const { cv, json } = run(slow);
    expect(cv.explanation).toMatch(/^Lambda consumer fn is blocked by its function's timeouts: 45 of 45 invocations failed \(100\.0%, all 45 of them timed out at its 3 s timeout\), and it processed no record after warmup;/);
    expect(json.afterWarmup).toMatchObject({ invocations: 45, errors: 45, timeouts: 45 });
    expect(json.blockedByTimeout).toEqual({ records: 100, meanDurationSeconds: 5.01, variability: 0, successChance: 0 });
    expect(json).not.toHaveProperty("discardedByTimeout");
  });

  it("when only some failures are timeouts, it gives their number", () => {
    // The run above with 5 function errors besides (the words alone: a run's errors and timeouts as CloudWatch counts them).
    const { r } = run(slow, { maximumRetryAttempts: 0 });
    const fn = r.consumers[0]!.lambda!;
    fn.invocations += 5;
    fn.errors += 5;
    expect(verdictOf(r).consumers[0]!.explanation).toContain("65 of 65 invocations failed (100.0%, 60 of them timed out at its 3 s timeout)");
  });

  it("counterfactual: a function failing every invocation by its errors, within its timeout (2 s), names no timeout", () => {
    const { r, cv, json } = run({ duration: { perInvocation: "2s", perRecord: "0ms", variability: 0 }, errors: { share: 1 } }, { maximumRetryAttempts: 0 });
    expect(json.afterWarmup.timeouts).toBe(0);
    expect(json.afterWarmup.errors).toBe(json.afterWarmup.invocations);
    expect(cv.explanation).toMatch(/invocations failed \(100\.0%\); a failing batch is discarded at once/);
    expect(cv.explanation).not.toContain("timed out");
    expect(buildReportMarkdown(r, PROVENANCE)).not.toContain("timed out) |");
  });
});
