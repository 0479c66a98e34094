// KCL 3.x in report.md and the verdict: a lease table too small for the leader's scans holds the application back (it
// reads nothing until its leases are assigned), and the 3.x table's "records processed again" counts only those after
// the leader's moves, saying where the rest came from.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import type { RunResult } from "../../src/result/runResult.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

// 40 shards, 2 workers, KCL 3.x (the default), 10 min with 1 min of warmup. The leader's scan reads 40 lease items
// (400 B each) and the 2 workers' metrics items (600 B each) in the single-table format: 17,200 B, eventually
// consistent: ceil(17,200 / 4,096) / 2 = 2.5 read units. A lease table of 1 RCU with 1 s of burst holds at most 1: every
// scan is throttled, no lease is ever assigned and nothing is read. The leader runs every 20 s: 540 s / 20 s = 27 runs
// after warmup.
function run(readUnits: number): RunResult {
  return simulateScenario(
    scenarioOf({
      seed: 7,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 40 },
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "poisson", value: "400/s" }, recordSize: { dist: "fixed", size: "500B" } }],
      consumers: [{ name: "c", kind: "kcl", workers: 2, processing: { perRecord: "0.1ms" }, checkpoint: { every: "10s" }, leaseTable: { capacity: "provisioned", read: readUnits, write: 100, burst: "1s" } }],
      slo: { endToEndP99: "10s" },
    }),
  );
}

describe("a KCL 3.x leader whose lease-assignment scans the lease table throttles", () => {
  const starved = run(1);

  it("is held back by its lease table, and the sentence says what was throttled and what followed", () => {
    const a = starved.consumers[0]!.leaseAssignment!;
    expect(a.assignmentRuns).toBe(27);
    expect(a.assignmentRunsThrottled).toBe(27);
    expect(a.assignmentRunsThrottledWaiting).toBe(27);
    expect(starved.consumers[0]!.getRecordsCalls).toBe(0);
    const c = verdictOf(starved).consumers[0]!;
    expect(c.bottleneck).toBe("lease table");
    expect(c.explanation).toBe("Consumer c's lease table (1 RCU) throttled all 27 of the leader's lease-assignment scans; no lease was assigned and it read nothing after warmup.");
    expect(buildReportMarkdown(starved, PROVENANCE)).toMatch(/\| c \| 0 \| 27 \(27\) \| 0 \/ 0 \/ 0 \|/);
  });

  it("throttled index queries of workers with leases to find hold it back too", () => {
    // By hand: the scans pass, but more than 1% of the workers' lease-owner index queries were throttled while they
    // owned a lease they had not started.
    const r = structuredClone(starved);
    const a = r.consumers[0]!.leaseAssignment!;
    Object.assign(a, { assignmentRunsThrottled: 0, assignmentRunsThrottledWaiting: 0, assigned: { new: 40, expired: 0, rebalanced: 0 } });
    Object.assign(a.discovery, { queries: 100, throttled: 10, throttledWaiting: 2 });
    const c = verdictOf(r).consumers[0]!;
    expect(c.bottleneck).toBe("lease table");
    expect(c.explanation).toBe("Consumer c's lease-owner index throttled 10 of 100 of its workers' queries for their leases; 40 leases were assigned and it read nothing after warmup.");
    // Throttled only while no lease waited to be found: not what holds it back.
    a.discovery.throttledWaiting = 0;
    expect(verdictOf(r).consumers[0]!.bottleneck).not.toBe("lease table");
  });

  it("with 10 RCU every scan passes: the leases are assigned and the lease table holds nothing back", () => {
    const r = run(10);
    expect(r.consumers[0]!.leaseAssignment!.assignmentRunsThrottled).toBe(0);
    expect(verdictOf(r).consumers[0]!.bottleneck).not.toBe("lease table");
    expect(verdictOf(r).slos.every((s) => s.met)).toBe(true);
  });
});

describe("records processed again in the KCL 3.x table", () => {
  it("shows those after the leader's moves, and says where the others came from", () => {
    const r = structuredClone(run(10));
    const c = r.consumers[0]!;
    c.reprocessed = 5_120 + 300;
    c.leaseAssignment!.reprocessed = { rebalanced: 0, expired: 120, lost: 5_000, other: 300 };
    const md = buildReportMarkdown(r, PROVENANCE);
    const row = md.split("\n").find((line) => line.startsWith("| c | 0 | "))!;
    expect(row.split(" | ")[5]).toBe("0 / 120");
    expect(md).toContain("Records processed again besides those after the leader's moves: c processed 5,420 records again in all, 5,000 after a worker lost its lease (a renewal not written within the failover time) and its next owner started again from the checkpoint and 300 after other lease starts");
  });
});
