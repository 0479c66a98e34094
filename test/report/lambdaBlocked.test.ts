// A Lambda consumer behind a poison record retried without a limit (MaximumRetryAttempts −1, the default): Lambda
// "retries until the records expire, exceed the maximum age, or reach the configured retry quota" (AWS Lambda developer
// guide, kinesis-on-failure-destination), so the shard stays blocked until that record expires at the stream's retention
// (24 h). Its records behind it are not lost yet: consumerLostPercent (expired, skipped, discarded) is 0%, and the SLO's
// label must say what it counts, not "never processed"; the consumer's sentence says the shard stays blocked (helper-57's 5).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { lambdaScenario } from "./lambdaScenario.js";

// 200 records/s on one shard, one record in 1,000 poison: the first comes within seconds of the start (the chance that
// none is among the first 10,000 records is 0.999^10,000, 0.005%).
const poisoned = (extra: Record<string, unknown> = {}, shards = 1) => {
  const r = simulateScenario(lambdaScenario({ shards, rate: `${200 * shards}/s`, fn: { errors: { poisonRecords: 0.001 } }, mapping: extra, slo: { consumerLostPercent: 0 } }));
  const v = verdictOf(r);
  return { r, c: r.consumers[0]!, cv: v.consumers[0]!, slo: v.slos.find((s) => s.name === "consumerLostPercent")! };
};

describe("a Lambda consumer blocked behind a poison record retried without a limit", () => {
  const { c, cv, slo } = poisoned();

  it("stays blocked: nearly all its records wait unprocessed at the end, none lost yet, and the SLO says what it counts", () => {
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
    expect(c.accounting.unread).toBeGreaterThan(0.9 * c.accounting.accepted);
    expect(cv.lostPercent).toBe(0);
    expect(slo.met).toBe(true);
    expect(slo.description).toBe("records a consumer lost unprocessed: expired, skipped or discarded (worst consumer)");
  });

  it("says the shard stays blocked until its records expire at the stream's retention, 24 h", () => {
    expect(cv.explanation).toContain(
      " At the end of the run shardId-000000000000 was blocked behind a batch holding a record the function cannot process, retried without a limit (MaximumRetryAttempts −1): Lambda retries it until its records expire at the stream's retention, 24 h after they arrived, and the shard stays blocked until then, the records behind it waiting unprocessed (not counted as lost yet).",
    );
  });

  it("two shards blocked: each behind its own batch, the records behind those batches waiting (not 'behind it')", () => {
    // 400 records/s over 2 shards, one record in 1,000 poison: each shard gets one within seconds.
    const { c, cv } = poisoned({}, 2);
    expect(c.lambda!.blockedAtEnd).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    expect(cv.explanation).toContain(
      " At the end of the run shardId-000000000000, shardId-000000000001 were blocked, each behind a batch holding a record the function cannot process, retried without a limit (MaximumRetryAttempts −1): Lambda retries each batch until its records expire at the stream's retention, 24 h after they arrived, and the shards stay blocked until then, the records behind those batches waiting unprocessed (not counted as lost yet).",
    );
  });

  it("with MaximumRetryAttempts 2 the poison batches are discarded: nothing blocked, the records lost counted", () => {
    const { c, cv } = poisoned({ maximumRetryAttempts: 2 });
    expect(c.lambda!.blockedAtEnd).toEqual([]);
    expect(cv.explanation).not.toContain("blocked behind");
    expect(cv.lostPercent).toBeGreaterThan(0);
  });
});
