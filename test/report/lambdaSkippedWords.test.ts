// The consumer accounting's "skipped", for a Lambda consumer: not a new lease owner starting at LATEST (a Lambda event
// source mapping has no lease to hand over), but the records before the position its mapping began a shard at
// (eventSourceMapping.ts startShard): none at the run's start, the stream being empty then, and of a child shard — begun at
// TRIM_HORIZON once its parents are done — those already past the stream's retention then. What it discards is counted
// apart: a batch failed past MaximumRetryAttempts or records older than MaximumRecordAgeInSeconds (to its on-failure
// destination for either reason, else discarded or skipped by maximum age), records past the retention before it
// processed them (expired unread).
//
// A run that is true of: one shard at 1 record/s, split into two at 1:00 (UpdateShardCount to 2), the function failing
// every invocation (MaximumRetryAttempts −1: each batch retried until its records expire), retention 24 h, run to 26 h.
// By hand: the parent's records (0:00–1:00, 3,600) expire from 24:00 to 25:00, the parent is then done and the mapping
// begins its children at TRIM_HORIZON, the oldest record still held: the children's records from 1:00, whose first pass
// the retention only at 25:00 — none skipped. They fail too, and those that arrived before 2:00 (26 h − 24 h) have
// expired by the end: 3,600 + 3,600 expired unread (less the one arriving at 2:00 exactly, as the model counts), the rest
// (24 h of 1 record/s, 86,400 + 1) still unread. Nothing processed, nothing discarded.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { lambdaScenario } from "./lambdaScenario.js";
import { PROVENANCE } from "./runResultFixture.js";

const LAMBDA_SKIPPED =
  "for a Lambda consumer, the records before the position its event source mapping began a shard at: none at the start of a run, whose stream starts empty, and of a child shard, which it begins at TRIM_HORIZON once its parents are done, those already past the stream's retention then; " +
  "the records it discards are counted apart: failed past MaximumRetryAttempts or older than MaximumRecordAgeInSeconds (to its on-failure destination for either reason, else discarded or skipped by maximum age), or past the retention before it processed them (expired unread)";

const noteOf = (r: RunResult) =>
  buildReportMarkdown(r, PROVENANCE, verdictOf(r))
    .split("\n")
    .find((l) => l.startsWith("accepted = "))!;

describe("a report whose only consumer is a Lambda function", () => {
  const r = simulateScenario(lambdaScenario({ mapping: { startingPosition: "LATEST" } }));
  const note = noteOf(r);

  it("says what skipped is for its event source mapping, not a lease owner's LATEST", () => {
    expect(note).toBe(
      `accepted = processed + still unread (fetched or not) + expired unread (past retention) + skipped (${LAMBDA_SKIPPED}) + ` +
        "sent to the on-failure destination, by reason: retries exhausted (failed past MaximumRetryAttempts) and record age (older than MaximumRecordAgeInSeconds when their batch was tried) — not processed: Lambda sends the destination each discarded batch's details (shard, first and last sequence numbers), not its records, which stay readable in the stream until its retention — + discarded (failed past MaximumRetryAttempts with no destination: lost) + skipped by the maximum record age (older than MaximumRecordAgeInSeconds when a batch was tried, with no destination: lost).",
    );
    expect(note).not.toContain("lease owner");
  });

  it("which is true of it: at LATEST from the run's start it skipped none", () => {
    expect(r.consumers[0]!.accounting.skipped).toBe(0);
    expect(r.consumers[0]!.accounting.balanced).toBe(true);
  });
});

describe("a report with a KCL application and a Lambda function", () => {
  it("says both: the KCL application's new lease owner at LATEST, and the Lambda consumer's", () => {
    const r = simulateScenario(
      scenarioOf({
        duration: "3m",
        warmup: "1m",
        stream: { shards: 1 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "random" } }],
        consumers: [
          { name: "app", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON" },
          { name: "fn", kind: "lambda", startingPosition: "TRIM_HORIZON" },
        ],
      }),
    );
    expect(noteOf(r)).toContain(`+ skipped (a KCL application's new lease owner started at LATEST; ${LAMBDA_SKIPPED}) + sent to the on-failure destination`);
  });
});

describe("a Lambda consumer blocked past the retention across a split", () => {
  const r = simulateScenario(
    scenarioOf({
      duration: "26h",
      warmup: "0s",
      stream: { shards: 1, retention: "24h" },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "1/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      reshards: [{ at: "1h", kind: "update-shard-count", target: 2 }],
      consumers: [{ name: "f", kind: "lambda", startingPosition: "TRIM_HORIZON", function: { errors: { share: 1 } } }],
    }),
  );

  it("skips none of its children (begun once the parent's last records expired); what passed the retention is expired unread", () => {
    const a = r.consumers[0]!.accounting;
    expect(a.skipped).toBe(0);
    expect(a.processed).toBe(0);
    expect(a.expiredUnread).toBe(7_200 - 1);
    expect(a.unread).toBe(86_400 + 1);
    expect(a.discarded! + a.toDestination! + a.skippedByAge!).toBe(0);
    expect(noteOf(r)).toContain(LAMBDA_SKIPPED);
  });
});
