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
