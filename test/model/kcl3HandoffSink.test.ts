// A KCL 3.x graceful lease handoff of a record processor with a sink. amazon-kinesis-client 3.5.1: the old owner's
// ShutdownNotificationTask calls the record processor's shutdownRequested(checkpointer) and then transfers the lease
// (LeaseGracefulShutdownHandler.attemptLeaseTransfer); KCL checkpoints nothing itself, the application does, and an
// application that buffers for its sink checkpoints no further than its sink wrote (as its other checkpoints do). What
// its buffer held when it stopped is interrupted in the sink's accounting, and the lease's next owner reads those records
// again from the checkpoint: processed again, and written once. (The model used to checkpoint a handoff at the last
// record processed, past the buffered records: the next owner started after them, and they were never written.)
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { PROVENANCE } from "../report/runResultFixture.js";
import { scenarioOf, producerPerShard } from "./scenarioOf.js";

// kcl3Moves.test.ts's rebalance: 8 shards of 20 records/s (100 B) on two workers at 20 ms a record, two more workers
// join at 120 s reporting 0 %, and the leader hands leases off to them (graceful handoff is on by default). No crash,
// no throttling (an on-demand lease table), no warmup. The sink is an S3 bucket whose puts take a fixed 100 ms, flushed
// only by the buffer's age (its record and byte limits are never reached).
function handoff(age: string, checkpoint: "after-flush" | "when-due", initialPosition = "LATEST"): RunResult {
  return simulate(
    scenarioOf({
      seed: 1,
      duration: "400s",
      fidelity: { window: "1s" },
      stream: { shards: 8 },
      producers: producerPerShard(8, 20),
      consumers: [
        {
          name: "app",
          kind: "kcl",
          workers: 2,
          initialPosition,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          processing: { perRecord: "20ms", concurrency: 2 },
          checkpoint: { every: "30s" },
          kcl: { version: 3 },
          sink: { kind: "s3", putLatency: { dist: "fixed", value: "100ms" }, buffer: { records: 1_000_000, bytes: "1GiB", age }, checkpoint },
        },
      ],
      faults: [{ at: "120s", kind: "worker-add", consumer: "app", workers: 2 }],
    }),
  );
}

describe("a graceful handoff with records in the sink's buffer", () => {
  it("with no flush in the whole run, every record processed is still in a buffer at the end: the handed-off leases' new owners read them again from the shard's start", () => {
    // Age 1 h > the 400 s run: nothing is ever written, so there is nothing to checkpoint and every lease keeps its
    // initial position, TRIM_HORIZON. The 8 × 20 × 400 = 64,000 records accepted are processed (less what is unread at
    // the end: the last poll of each shard, 1.5 s apart, at most 8 × 20 × 1.5 = 240, plus a batch in processing); every
    // one processed sits in the buffer of the lane of its shard's current owner, so buffered = processed. Those in the
    // old owners' buffers at the handoffs are interrupted and read again: interrupted = processed again.
    // Old code: the handoff checkpointed at the last record processed, the new owner started there, and the old owner's
    // buffered records were interrupted and never read again (processed again 0, buffered = processed − interrupted).
    const r = handoff("1h", "after-flush", "TRIM_HORIZON");
    const c = r.consumers[0]!;
    const a = r.sinks[0]!.accounting;
    expect(c.leaseAssignment!.handoffs.graceful).toBeGreaterThan(0);
    expect(c.leaseAssignment!.handoffs.withoutCheckpoint).toBe(0);
    expect(c.accounting.accepted).toBe(64_000);
    expect(c.accounting.processed).toBeGreaterThanOrEqual(64_000 - 240 - 2 * 8 * 20);
    expect(a.written).toBe(0);
    expect(a.interrupted).toBeGreaterThan(0);
    expect(a.buffered).toBe(c.accounting.processed);
    expect(c.reprocessed).toBe(a.interrupted);
    expect(c.leaseAssignment!.reprocessed.rebalanced).toBe(a.interrupted);
  });

  it.each(["after-flush", "when-due"] as const)("flushed every 60 s (checkpoint %s): what the buffers held at the handoffs is processed again and written once, none lost", (checkpoint) => {
    // Each record processed is offered to the sink once per time it is processed: offered = processed + processed again.
    // With no crash and nothing lost at the destination, each is written, buffered, being written, or interrupted; an
    // interrupted record is one a handed-off processor held, read again by its new owner, so interrupted = processed
    // again, and what is written once or more, buffered or being written is every record processed:
    // processed = written − written again + buffered + being written. Old code: 2,780 interrupted (after-flush), 0
    // processed again, so 2,780 records processed were never written.
    const r = handoff("60s", checkpoint);
    const c = r.consumers[0]!;
    const sk = r.sinks[0]!;
    const a = sk.accounting;
    expect(c.leaseAssignment!.handoffs.graceful).toBeGreaterThan(0);
    expect(a.interrupted).toBeGreaterThan(0);
    expect(a.lost).toEqual({ retriesExhausted: 0, gaveUp: 0, expired: 0 });
    expect(a.offered).toBe(c.accounting.processed + c.reprocessed);
    expect(c.reprocessed).toBe(a.interrupted);
    expect(a.written - c.writtenAgain + a.buffered + a.writing).toBe(c.accounting.processed);
    // The report says where the handed-off leases' checkpoint goes with a sink.
    expect(buildReportMarkdown(r, PROVENANCE)).toContain("at the last record its sink wrote");
  });
});
