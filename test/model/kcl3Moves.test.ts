// How KCL 3.x's rebalanced leases leave their old owner, and what the records processed again are counted to, against
// amazon-kinesis-client 3.5.1's LeaseAssignmentManager.parallelyAssignLeases: a graceful handoff only when
// isGracefulLeaseHandoffEnabled (initiateGracefulLeaseHandoff), otherwise assignLease (the new owner at once, the old
// owner's next renewal fails). Runs have no warmup, so the counts after warmup are the whole run's, as the records
// processed again are.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { PROVENANCE } from "../report/runResultFixture.js";
import { scenarioOf, producerPerShard } from "./scenarioOf.js";

// Two workers, 8 shards, 20 records/s each at 20 ms of processing (a lease is 20 % of a 2-vCPU worker): two workers
// join at 120 s reporting 0 %, and the leader moves leases off the busy ones. Checkpoints every 30 s. On-demand lease
// table (nothing throttled), no crash: the leader's rebalancing is the only thing that moves a lease after the start.
function join(kcl: Record<string, unknown>): RunResult {
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
          poll: { latency: { dist: "fixed", value: "20ms" } },
          processing: { perRecord: "20ms", concurrency: 2 },
          checkpoint: { every: "30s" },
          kcl: { version: 3, ...kcl },
        },
      ],
      faults: [{ at: "120s", kind: "worker-add", consumer: "app", workers: 2 }],
    }),
  );
}

describe("rebalanced leases, by how they left their old owner", () => {
  it("with graceful handoff off, every rebalanced lease is counted as moved at once, none as handed off, and the footnote says so", () => {
    const r = join({ gracefulLeaseHandoffConfig: { isGracefulLeaseHandoffEnabled: false } });
    const c = r.consumers[0]!;
    const a = c.leaseAssignment!;
    expect(a.assigned.rebalanced).toBeGreaterThan(0);
    expect(a.gracefulHandoff.enabled).toBe(false);
    expect(a.handoffs).toEqual({ graceful: 0, withoutCheckpoint: 0, disabled: a.assigned.rebalanced });
    // Nothing else moved a lease: every record processed again was processed by a new owner of a rebalanced lease.
    expect(a.assigned.expired).toBe(0);
    expect(c.reprocessed).toBeGreaterThan(0);
    expect(a.reprocessed).toEqual({ rebalanced: c.reprocessed, expired: 0, lost: 0, other: 0 });
    const md = buildReportMarkdown(r, PROVENANCE);
    expect(md).toContain(`| 0 / 0 / ${a.assigned.rebalanced} | ${c.reprocessed.toLocaleString("en-US")} / 0 |`);
    expect(md).toContain("Graceful lease handoff is off (isGracefulLeaseHandoffEnabled: false): the leader gives a rebalanced lease to its new owner at once, with no checkpoint");
    expect(md).not.toContain("checkpoints before its new owner starts");
  });

  it("with it on (the default), the same moves are handed off with a checkpoint: none moved at once, nothing processed again", () => {
    const r = join({});
    const a = r.consumers[0]!.leaseAssignment!;
    expect(a.assigned.rebalanced).toBeGreaterThan(0);
    expect(a.handoffs).toEqual({ graceful: a.assigned.rebalanced, withoutCheckpoint: 0, disabled: 0 });
    expect(r.consumers[0]!.reprocessed).toBe(0);
    expect(buildReportMarkdown(r, PROVENANCE)).toContain("A rebalanced lease is handed off gracefully: its old owner finishes its batch and checkpoints before its new owner starts");
  });
});

describe("records processed again, by why their record processor started", () => {
  it("a 3.x application whose renewals are throttled: the records processed again add up, and the leader's moves account for none of those after leases lost", () => {
    // 16 shards on one worker: 16 renewals every 3.3 s (4.8 writes/s) plus checkpoints every second per shard, against
    // a lease table of 5 WCU with 1 s of burst: renewals fail, leases are lost after 10 s without one, and the worker
    // finds them again through the lease-owner index and starts from their last checkpoint.
    const r = simulate(
      scenarioOf({
        seed: 3,
        duration: "300s",
        fidelity: { window: "1s" },
        stream: { shards: 16 },
        producers: producerPerShard(16, 20),
        consumers: [
          {
            name: "app",
            kind: "kcl",
            workers: 1,
            poll: { latency: { dist: "fixed", value: "20ms" } },
            checkpoint: { every: "1s" },
            leaseTable: { capacity: "provisioned", read: 100, write: 5, burst: "1s" },
            kcl: { version: 3 },
          },
        ],
      }),
    );
    const c = r.consumers[0]!;
    const a = c.leaseAssignment!;
    expect(c.leases!.lost).toBeGreaterThan(0);
    expect(c.reprocessed).toBeGreaterThan(0);
    expect(a.reprocessed.lost).toBeGreaterThan(0);
    expect(a.reprocessed.rebalanced + a.reprocessed.expired + a.reprocessed.lost + a.reprocessed.other).toBe(c.reprocessed);
    // One worker: the leader never rebalances, so nothing is processed again after a rebalance.
    expect(a.assigned.rebalanced).toBe(0);
    expect(a.reprocessed.rebalanced).toBe(0);
  });
});

describe("a crash of a worker whose lease arrived by graceful handoff", () => {
  // amazon-kinesis-client 3.5.1: an expired lease is not eligible for a graceful handoff (Lease.isEligibleForGracefulShutdown
  // needs !isExpiredOrUnassigned), so the leader gives a crashed worker's lease to its new owner with assignLease, and the
  // new owner starts at the lease's checkpoint (InitializeTask: checkpoint.getCheckpointObject). What it processes again
  // is what the crashed worker processed after that checkpoint — whether the lease came to it by a handoff or not.
  //
  // 4 shards of 100 records/s (10 per 100 ms producer window, put latency a fixed 20 ms) on one worker at 2 ms per
  // record: 4 × 100 × 2 ms = 0.8 s of CPU a second on 2 vCPUs, 40 %. A second worker joins at 60 s reporting idle; the
  // leader hands one lease off to it (the old owner checkpoints first), and at 150..159 s the joiner crashes (a crash
  // takes the last worker started). Its record processor calls GetRecords every 980 ms after each 20 ms response: a
  // call each 1.000 s, each returning the 100 records of the second before, processed in 100 × 2 ms = 0.2 s (no
  // variability). Checkpoints every 10 s, after the first batch to end 10 s or more after the last: batches end
  // 1.000 s apart, so every 10th batch checkpoints. A crash k batches (k = 0..9) after the checkpointing batch has
  // 100 × k records processed past the checkpoint, which the lease's next owner processes again. Crashes 1 s apart walk
  // once around the 10-batch cycle: the counts are 0, 100, ..., 900 in turn from wherever the cycle stood (the
  // discovery time sets its phase). The crash that follows the checkpointing batch but comes before the next batch
  // starts processes nothing again. (The crashes all fall at one point of the 1 s cycle, outside the 0.2 s a batch
  // takes: one that cut a batch would add the records processed of it before the crash, kclCrashMidBatch.test.ts.)
  function crashAt(seconds: number): RunResult {
    return simulate(
      scenarioOf({
        seed: 1,
        duration: "300s",
        stream: { shards: 4 },
        producers: producerPerShard(4, 100).map((p) => ({ ...p, latency: { dist: "fixed", value: "20ms" } })),
        consumers: [
          {
            name: "app",
            kind: "kcl",
            workers: 1,
            poll: { interval: "980ms", latency: { dist: "fixed", value: "20ms" } },
            processing: { perRecord: "2ms", concurrency: 2 },
            checkpoint: { every: "10s" },
            kcl: { version: 3 },
          },
        ],
        faults: [
          { at: "60s", kind: "worker-add", consumer: "app", workers: 1 },
          { at: `${seconds}s`, kind: "worker-crash", consumer: "app", workers: 1 },
        ],
      }),
    );
  }

  it("its lease's next owner processes again what it processed after its last checkpoint: 100 × the batches since, 0 right after one", () => {
    const runs = Array.from({ length: 10 }, (_, i) => crashAt(150 + i));
    const again = runs.map((r) => r.consumers[0]!.reprocessed);
    const phase = again.indexOf(0);
    expect(phase).toBeGreaterThanOrEqual(0);
    expect(again).toEqual(again.map((_, i) => 100 * ((i - phase + 10) % 10)));
    for (const r of runs) {
      const c = r.consumers[0]!;
      const a = c.leaseAssignment!;
      // The lease the crashed worker held came to it by a graceful handoff, and every record processed again is the crash's.
      expect(a.assigned.rebalanced).toBeGreaterThan(0);
      expect(a.handoffs).toEqual({ graceful: a.assigned.rebalanced, withoutCheckpoint: 0, disabled: 0 });
      expect(a.assigned.expired).toBeGreaterThan(0);
      expect(a.reprocessed).toEqual({ rebalanced: 0, expired: c.reprocessed, lost: 0, other: 0 });
      const crash = r.faults.find((f) => f.kind === "worker-crash")!;
      expect(crash.effect).toMatchObject({ kind: "lag", reprocessed: c.reprocessed, skipped: 0 });
      expect(c.accounting.balanced).toBe(true);
      // The Faults line gives the count, or says none was processed again (it said nothing of it at 0).
      const line = buildReportMarkdown(r, PROVENANCE).split("\n").find((l) => l.startsWith("- worker crash (1 worker) of app at "))!;
      if (c.reprocessed === 0) expect(line).toContain("; no record processed again");
      else expect(line).toContain(`; ${c.reprocessed.toLocaleString("en-US")} records processed again (`);
    }
  });
});
