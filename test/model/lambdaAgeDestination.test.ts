// Records a Lambda event source mapping discards for their age go to its on-failure destination when it has one:
// "When Lambda discards a batch of records that's too old or has exhausted all retries, Lambda sends details about the
// batch to the queue or topic" (Lambda developer guide, "Using Lambda with Kinesis",
// https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html) — the batch's details (KinesisBatchInfo: shard, first
// and last sequence numbers), not its records. Without a destination they are skipped and lost.
import { describe, expect, it } from "vitest";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

/**
 * 1 shard, 10 records a second evenly for 5 minutes: the k-th record is born at k/10 s (k = 1 .. 3,000) and put at once
 * with PutRecord, a fixed 50 ms round trip, so it arrives in the stream by k/10 + 0.05 s. The function fails every
 * invocation (errors.share 1, 10 ms each), retried at once without a limit (MaximumRetryAttempts −1, retry delay 0), so
 * no record is processed and none is given up past its retries: a batch leaves its lane only as its records pass
 * MaximumRecordAgeInSeconds 60, each try leaving out those that arrived more than 60 s before it.
 */
const run = (extra: Record<string, unknown>): RunResult =>
  simulateScenario(
    scenarioOf({
      duration: "5m",
      warmup: "0s",
      stream: { shards: 1 },
      producers: [
        {
          name: "p",
          client: "sdk",
          instances: 1,
          api: "PutRecord",
          linger: "0s",
          latency: { dist: "fixed", value: "50ms" },
          rate: { shape: "constant", value: "10/s" },
          recordSize: { dist: "fixed", size: "500B" },
          partitionKey: { kind: "random" },
        },
      ],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 8,
          retryDelay: "0s",
          maximumRetryAttempts: -1,
          maximumRecordAge: "60s",
          poll: { latency: { dist: "fixed", value: "20ms" } },
          ...extra,
          function: { duration: { perInvocation: "10ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } }, errors: { share: 1 } },
        },
      ],
    }),
  );

// By hand: the last try before the end (300 s) begins after 299.99 s (a try every 10 ms), so it leaves out every record
// that arrived before 299.99 − 60 = 239.99 s and none that arrived at 240 s or later: k/10 + (0 .. 0.05) < 239.99 s for
// k ≤ 2,399 (239.9 + 0.05 = 239.95 s), and k = 2,400 arrives at 240 s or later. So 2,399 records pass the maximum age;
// the other 3,000 − 2,399 = 601 are still in the lane or unread at the end.
const AGED = 2_399;
const ACCEPTED = 3_000;

describe("records older than MaximumRecordAgeInSeconds, with and without an on-failure destination", () => {
  it("with an SQS on-failure destination: the 2,399 records past 60 s go there for their age, none skipped, none lost", () => {
    const r = run({ onFailure: { destination: "sqs" } });
    const a = r.consumers[0]!.accounting;
    expect(a.accepted).toBe(ACCEPTED);
    expect(a.toDestinationByAge).toBe(AGED);
    expect(a.skippedByAge).toBe(0);
    // None exhausted its retries (−1: without a limit), none processed.
    expect(a.toDestination).toBe(0);
    expect(a.discarded).toBe(0);
    expect(a.processed).toBe(0);
    expect(a.unread).toBe(ACCEPTED - AGED);
    expect(a.balanced).toBe(true);
    // The series step by step adds up to the whole run's count.
    expect(r.consumers[0]!.lambda!.series.toDestinationByAge.reduce((x, y) => x + y, 0)).toBe(AGED);
    // Their batches' details are at the destination, to read them back from the stream: not counted lost, as for
    // records sent there past their retries.
    expect(r.consumers[0]!.lostAfterWarmup.skippedByAge).toBe(0);
    expect(judge(r).consumers[0]!.lostPercent).toBe(0);
  });

  it("with no destination: the same 2,399 are skipped by maximum age and lost (2,399 of 3,000 = 79.97%)", () => {
    const r = run({});
    const a = r.consumers[0]!.accounting;
    expect(a.skippedByAge).toBe(AGED);
    expect(a.toDestinationByAge).toBe(0);
    expect(a.toDestination).toBe(0);
    expect(a.unread).toBe(ACCEPTED - AGED);
    expect(judge(r).consumers[0]!.lostPercent).toBeCloseTo((100 * AGED) / ACCEPTED, 9);
  });

  it("report.md counts them in the accounting's 'record age' column and says where their details went", () => {
    const r = run({ onFailure: { destination: "sqs" } });
    const md = buildReportMarkdown(r, { scenarioFile: "t.yaml", scenarioSha256: "0" });
    const lines = md.split("\n");
    const head = lines.find((x) => x.startsWith("| consumer | accepted by the stream |"))!;
    expect(head).toContain("| to on-failure destination: retries exhausted | to on-failure destination: record age | discarded | skipped by maximum age |");
    // processed 0, unread 601, expired 0, skipped 0; retries exhausted 0, record age 2,399, discarded 0, by age 0.
    expect(lines).toContain("| f | 3,000 | 0 | 601 | 0 | 0 | 0 | 2,399 | 0 | 0 | yes |");
    expect(md).toContain("2,399 records behind them were older than the maximum record age and discarded, their batches' details sent to the on-failure destination (sqs) (whole run)");
    expect(md).not.toContain("older than the maximum record age and skipped");
    // What its mapping does with the failing batch, blocked at the end (errors.share 1): discarded for its age, to SQS.
    expect(md).toContain(
      "Lambda retries the same batch without a limit (MaximumRetryAttempts −1) until its records pass the maximum record age (1 min), then discards them, sending their batch's details (shard, sequence numbers, not the records) to the on-failure destination (sqs), and the next batch fails the same way: the shard moves on only by discarding records for their age (2,399 records discarded for their age, whole run) until the function stops failing.",
    );
  });
});

describe("a mapping whose records all leave by age keeps up: its backlog stays at the maximum age", () => {
  // Records leave the lane as they pass 60 s, as fast as they arrive: the backlog holds 60 s of records, no more, with or
  // without a destination. The growing-backlog rule counts what leaves by age to the destination as leaving, as it counts
  // what is skipped by age (judge.ts backlogGrowthOf).
  for (const extra of [{}, { onFailure: { destination: "sqs" } }]) {
    it(extra.onFailure ? "with an on-failure destination" : "without", () => {
      const c = judge(run(extra)).consumers.find((x) => x.name === "f")!;
      expect(c.fallingBehind).toBe(false);
      expect(c.backlogGrowth).toBeUndefined();
    });
  }
});
