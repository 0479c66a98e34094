// A KCL application that never checkpoints (no `checkpoint:`, shardcast's default) loses records when a worker crashes:
// a lease keeps the checkpoint it was created with, the initial position (amazon-kinesis-client HierarchicalShardSyncer:
// a new lease's checkpoint is convertToCheckpoint(initialPosition)), so the crashed worker's leases' new owner starts at
// LATEST, past every record written since the last one processed. helper-106's scenario: 4 shards at 2,000 records/s,
// 2 KCL 3.x workers, the one holding the leader lock crashed at 5 min. The consumer accounting said 130,541 records
// skipped, while the verdict read "Records lost: 0%", the Faults section spoke only of the leader lock, and the
// consumer was "held back by shard read bytes" for calls refused in the first 41 s, while it worked off its start-up.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { runSummary } from "../../src/report/summary.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioWarnings } from "../../src/spec/index.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

const S = 1_000_000;

/** helper-106's nocp scenario, with `consumer` settings over the KCL application's. */
const scenario = (consumer: Record<string, unknown> = {}) =>
  scenarioOf({
    name: "nocp",
    seed: 3,
    duration: "10m",
    stream: { name: "events", shards: 4 },
    producers: [{ name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    consumers: [{ name: "scorer", kind: "kcl", workers: 2, processing: { perRecord: "0.1ms" }, ...consumer }],
    faults: [{ at: "5m", kind: "worker-crash", consumer: "scorer", workers: 1 }],
  });

const run = (consumer: Record<string, unknown> = {}) => {
  const sc = scenario(consumer);
  const r = simulateScenario(sc);
  const v = verdictOf(r);
  const md = buildReportMarkdown(r, PROVENANCE, v);
  const c = r.consumers[0]!;
  const f = r.faults[0]!;
  const e = f.effect!;
  if (e.kind !== "lag") throw new Error("a crash's effect is a lag");
  // Throttled GetRecords calls in the steps [from, until) seconds (one step a second in a 10-minute run).
  const throttled = (from: number, until: number) => c.series.readThrottles.slice(from, until).reduce((a, b) => a + b, 0);
  return { sc, r, v, cv: v.consumers[0]!, md, c, e, throttled, line: (start: string) => md.split("\n").find((l) => l.startsWith(start)) ?? "" };
};

describe("a KCL application with no checkpoint whose worker crashes", () => {
  const x = run();

  it("skips about 2 shards × 500 records/s × the time the crashed worker's leases went unprocessed", () => {
    // The crashed worker held 2 of the 4 leases (2 workers, leases balanced). Its shards went unprocessed from the
    // crash until their new owner started at LATEST; the oldest unprocessed record's age when that happened is that
    // gap: the fault's maximum lag, 129.1 s (the leader lock expired 2 min after its last heartbeat, 0:06:30, a new
    // leader at 0:06:40, the leases started at 0:07:10). 2 × 2,000/4 × 129.1 s = 129,100 records; the run's Poisson
    // arrivals and random keys leave each shard's rate within a few % of 500 a second.
    expect(x.r.resolutionUs).toBe(S);
    expect(x.e.visible).toBe(true);
    const gapSeconds = (x.e as { maxUs: number }).maxUs / S;
    expect(gapSeconds).toBeGreaterThan(120);
    const expected = 2 * (2_000 / 4) * gapSeconds;
    expect(Math.abs(x.e.skipped - expected) / expected).toBeLessThan(0.03);
    // Every record it skipped is this fault's, and counted in the accounting and after warmup (no warmup).
    expect(x.e.skipped).toBe(x.c.accounting.skipped);
    expect(x.c.lostAfterWarmup.skipped).toBe(x.c.accounting.skipped);
    expect(x.c.accounting.balanced).toBe(true);
    expect(x.e.reprocessed).toBe(0);
  });

  it("is held back by the skipped records, not by shard read bytes: every refused call came in its start-up", () => {
    // The refusals: the KCL 3.x application reads nothing until the leader's first assignment (~20 s), then reads that
    // backlog (~20 s × 500 records of 1 KiB ≈ 10 MiB a shard) in calls that overdraw the shard's 2 MiB/s budget. None
    // after the first minute: no read limit holds it in the steady state, before or after the crash.
    expect(x.cv.readThrottledPercent).toBeGreaterThan(1);
    expect(x.throttled(0, 60)).toBe(x.c.readThrottles);
    expect(x.throttled(60, 600)).toBe(0);
    expect(x.cv.bottleneck).toBe("skipped records");
    expect(x.cv.startupThrottles!.insideShare).toBe(1);
    expect(x.cv.startupThrottles!.settledAtUs).toBeLessThanOrEqual(60 * S);
    // What it processed, and what it skipped, add up to what arrived: 1,778 + 218 of 1,999 records a second.
    expect(x.cv.processedPerSecond + x.c.skippedAfterWarmup / 600).toBeCloseTo(x.c.lostAfterWarmup.accepted / 600, -1);
  });

  it("says so in the verdict: the losses bullet names who skipped what, and the consumer's bullet why and the remedy", () => {
    const lost = x.line("- Records lost:");
    expect(lost).not.toMatch(/^- Records lost: 0% of those offered after warmup\./);
    expect(lost).toContain(`but consumer scorer never processed ${x.c.lostAfterWarmup.skipped.toLocaleString("en-US")} of the ${x.c.lostAfterWarmup.accepted.toLocaleString("en-US")} records that arrived for it`);
    expect(lost).toContain("skipped at LATEST when its leases changed hands with no checkpoint");
    const consumer = x.line("- Consumer scorer");
    expect(consumer).toContain("after the worker crash at 0:05:00");
    expect(consumer).toContain("it never checkpoints (no `checkpoint:` setting)");
    expect(consumer).toContain("the start-up's reads, not its steady state");
    expect(consumer).not.toContain("shard read bytes");
    expect(consumer).not.toContain("byte budget");
    // The command line's line: not "held back by shard read bytes", nor "held back by skipped records".
    const share = ((100 * x.c.lostAfterWarmup.skipped) / x.c.lostAfterWarmup.accepted).toFixed(2);
    expect(runSummary(x.r, x.v)).toContain(`consumer scorer: skipped records (new lease owners started at LATEST); ${share}% of the records that arrived for it never processed`);
  });

  it("says so in the Faults section: how many were skipped, why, and what checkpointing or TRIM_HORIZON would do", () => {
    const fault = x.line("- worker crash (1 worker) of scorer at 0:05:00");
    expect(fault).toContain(`${x.e.skipped.toLocaleString("en-US")} records skipped, never processed`);
    expect(fault).toContain("Skipped because scorer never checkpoints (no `checkpoint:` setting)");
    expect(fault).toContain("would have processed them, late, from its last checkpoint");
    expect(fault).toContain("`initialPosition: TRIM_HORIZON` with no checkpoint skips nothing, but each new owner processes again every record its shard retains (up to the stream's retention, 24 h)");
  });

  it("with no warmup, advises one that leaves its start-up out, though the crash lags more", () => {
    // The leader's first assignment (2 × failoverTimeMillis = 20 s) and the workers' lease discovery (every 9,975 ms)
    // leave the shards unread for the first 20-30 s; the oldest unprocessed age rises from 0 to that, then the backlog is
    // read (the refusals above) and processed by 0:00:41 (startupThrottles' settledAtUs): a warmup of 1 min. The crash's
    // 129 s lag at 0:07:09 is larger; before, the advice flagged nothing ("the first step's age is 0").
    const age = x.v.warmup.boundaryMaxima.find((b) => b.metric === "maxOldestUnprocessedAge")!;
    expect(age.rose).toBe(true);
    expect(age.atUs).toBeGreaterThanOrEqual(20 * S);
    expect(age.atUs).toBeLessThanOrEqual(40 * S);
    expect(age.settledAtUs).toBe(x.cv.startupThrottles!.settledAtUs);
    expect(age.passedBy).toMatchObject({ valueUs: x.c.maxOldestUnprocessedAge, fault: { kind: "worker-crash", atUs: 300 * S } });
    expect(x.v.warmup.suggestedUs).toBe(60 * S);
    expect(x.md).toContain("- The run, with no warmup, did not leave the start-up out: scorer's iterator age rose in the start-up to");
    expect(x.md).toMatch(/scorer's oldest unprocessed age rose in the start-up to [\d.]+ s at 0:00:[234]\d and settled by 0:00:41 \(its maximum after warmup, 2 min 9 s at 0:07:09, came after the worker crash at 0:05:00\)\. These figures describe the start, not the steady state: a warmup of 60 s \(`warmup: 1m`\) would leave them out\./);
  });

  it("is warned about when the scenario is loaded", () => {
    const w = scenarioWarnings(x.sc).filter((y) => y.code === "kcl-never-checkpoints");
    expect(w).toHaveLength(1);
    expect(w[0]!.path).toEqual(["consumers", 0, "checkpoint"]);
    expect(w[0]!.message).toContain('consumer "scorer" never checkpoints');
    expect(w[0]!.message).toContain("its worker-crash at 5 min moves leases");
    expect(w[0]!.message).toContain("starts at LATEST, skipping every record written since the last one processed");
  });
});

describe("the same application checkpointing every 10 s", () => {
  const x = run({ checkpoint: { every: "10s" } });

  it("skips nothing and processes again at most the 10 s before the crash on the 2 shards it held", () => {
    // A record processor checkpoints after a batch once 10 s have passed since its last checkpoint, so at the crash
    // each of the crashed worker's 2 shards had at most ~10 s of processed records past its checkpoint: at most
    // 2 × 500 × 10 = 10,000 records processed again (5% over for the batch that ends the interval).
    expect(x.c.accounting.skipped).toBe(0);
    expect(x.e.skipped).toBe(0);
    expect(x.e.reprocessed).toBeGreaterThan(0);
    expect(x.e.reprocessed).toBeLessThanOrEqual(2 * 500 * 10 * 1.05);
    expect(x.line("- Records lost:")).toMatch(/^- Records lost: 0% of those offered after warmup\./);
    const fault = x.line("- worker crash (1 worker) of scorer at 0:05:00");
    expect(fault).toContain(`${x.e.reprocessed.toLocaleString("en-US")} records processed again (read since the last checkpoint)`);
    expect(fault).not.toContain("skipped");
    expect(scenarioWarnings(x.sc).filter((y) => y.code === "kcl-never-checkpoints")).toEqual([]);
  });

  it("is held back by the crash's catch-up, its start-up's refusals beside it, not by shard read bytes", () => {
    // The refusals: the start-up's (before ~41 s) and the crash's catch-up (the new owner reads ~130 s of backlog,
    // 65 MiB a shard, in 10 MiB calls), none between the two: no read limit holds it in the steady state.
    expect(x.throttled(60, 300)).toBe(0);
    expect(x.throttled(0, 60)).toBeGreaterThan(0);
    expect(x.cv.bottleneck).toBe("catch-up after a fault");
    expect(x.cv.fault!.atUs).toBe(300 * S);
    expect(x.cv.startupThrottles!.insideShare + x.cv.fault!.insideShare).toBeGreaterThanOrEqual(0.8);
    expect(x.cv.startupThrottles!.insideShare).toBeCloseTo(x.throttled(0, 60) / x.c.readThrottles, 2);
    expect(x.line("- Consumer scorer")).toMatch(/% of them while catching up after the worker crash at 0:05:00 \(the new lease owners read the backlog as fast as the shard allows\), and \d+% before 0:00:\d\d, while the stream's consumers worked off their start-up backlogs/);
  });
});

describe("the same application with initialPosition TRIM_HORIZON and no checkpoint", () => {
  const x = run({ initialPosition: "TRIM_HORIZON" });

  it("skips nothing, and processes again every record its 2 shards took before the crash", () => {
    // The new owner starts at the oldest record retained (24 h retention: the run's first), so it processes again all
    // the crashed worker's shards had processed: 2 × 500 records/s × ~300 s (less the ~1.3 s lag at the crash) ≈ 298,700.
    expect(x.c.accounting.skipped).toBe(0);
    expect(x.e.skipped).toBe(0);
    expect(Math.abs(x.e.reprocessed - 2 * 500 * 298.7) / (2 * 500 * 298.7)).toBeLessThan(0.03);
    expect(x.line("- worker crash (1 worker) of scorer at 0:05:00")).toContain("records processed again (scorer never checkpoints, so the new owners started at TRIM_HORIZON, the oldest record their shards retain)");
    const w = scenarioWarnings(x.sc).filter((y) => y.code === "kcl-never-checkpoints");
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toContain("starts at TRIM_HORIZON, processing again every record its shard still retains");
  });
});

describe("the kcl-never-checkpoints warning", () => {
  const warned = (consumer: Record<string, unknown>, faults: Record<string, unknown>[]) =>
    scenarioWarnings(scenarioOf({ duration: "10m", stream: { shards: 2 }, producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "10/s" }, recordSize: { dist: "fixed", size: "100B" } }], consumers: [{ name: "k", kind: "kcl", workers: 2, ...consumer }], faults })).filter((w) => w.code === "kcl-never-checkpoints").length;
  const crash = { at: "5m", kind: "worker-crash", consumer: "k", workers: 1 };
  const add = { at: "5m", kind: "worker-add", consumer: "k", workers: 1 };

  it("comes with a crash or a restart, or workers added where leases move without a checkpoint (KCL 2.x, or 3.x with handoff off)", () => {
    expect(warned({}, [crash])).toBe(1);
    expect(warned({}, [crash, { at: "7m", kind: "worker-restart", consumer: "k", workers: 1 }])).toBe(1);
    expect(warned({ kcl: { version: 2 } }, [add])).toBe(1);
    expect(warned({ kcl: { gracefulLeaseHandoffConfig: { isGracefulLeaseHandoffEnabled: false } } }, [add])).toBe(1);
  });

  it("does not come with checkpoints, a sink that checkpoints after its flushes, no lease moves, or KCL 3.x's graceful handoff", () => {
    expect(warned({ checkpoint: { every: "10s" } }, [crash])).toBe(0);
    expect(warned({ checkpoint: { records: 1000 } }, [crash])).toBe(0);
    expect(warned({}, [])).toBe(0);
    expect(warned({}, [add])).toBe(0);
    // A sink checkpoints after each flush by default (the Connector Library's); `when-due` follows `checkpoint:`, here none.
    const sink = { kind: "dynamodb", table: { capacity: "provisioned", write: 100 } };
    expect(warned({ sink }, [crash])).toBe(0);
    expect(warned({ sink: { ...sink, checkpoint: "when-due" } }, [crash])).toBe(1);
  });
});

describe("a KCL 2.x application with no checkpoint whose workers are added (helper-110)", () => {
  // 6 shards, 3,000 records/s, 2 KCL 2.x workers with no `checkpoint:`; 2 workers join at 6 min and steal leases. A
  // stolen lease's new owner starts at LATEST (the lease's checkpoint is still the initial position) while the old owner
  // goes on processing until its renewal finds the lease gone (src/model/kcl/application.ts startSession): both
  // process the records in between. No checkpoint is ever written, so "read since the last checkpoint" was untrue.
  const sc = scenarioOf({
    name: "kcl2-add",
    seed: 11,
    duration: "15m",
    warmup: "2m",
    stream: { name: "events", shards: 6 },
    producers: [{ name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: "3000/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
    consumers: [{ name: "scorer", kind: "kcl", kcl: { version: 2 }, workers: 2, processing: { perRecord: "0.1ms" } }],
    faults: [{ at: "6m", kind: "worker-add", consumer: "scorer", workers: 2 }],
  });
  const r = simulateScenario(sc);
  const md = buildReportMarkdown(r, PROVENANCE, verdictOf(r));
  const e = r.faults[0]!.effect!;

  it("processes records again with no checkpoint written, and says why: the overlap of the old and new owners", () => {
    if (e.kind !== "lag") throw new Error("a worker-add's effect is a lag");
    expect(r.consumers[0]!.leases!.checkpoints).toBe(0);
    expect(r.consumers[0]!.leases!.steals).toBeGreaterThan(0);
    expect(e.reprocessed).toBeGreaterThan(0);
    const line = md.split("\n").find((l) => l.startsWith("- workers added")) ?? "";
    expect(line).toContain(`${e.reprocessed.toLocaleString("en-US")} records processed again (scorer never checkpoints: new owners started at LATEST while the previous owners`);
    expect(line).not.toContain("since the last checkpoint");
  });

  it("is warned of what a steal at LATEST does: skips or processes twice, not 'skipping every record' (none was skipped here)", () => {
    if (e.kind !== "lag") throw new Error("a worker-add's effect is a lag");
    expect(e.skipped).toBe(0);
    const [w] = scenarioWarnings(sc).filter((y) => y.code === "kcl-never-checkpoints");
    expect(w!.message).toContain("at LATEST while the old owner goes on processing until it notices the lease is gone");
    expect(w!.message).toContain("records both process are processed twice");
    expect(w!.message).not.toContain("skipping every record written since the last one processed");
  });
});

describe("a KCL application whose lease moves before its first checkpoint (helper-110)", () => {
  // helper-106's scenario with `checkpoint: { every: 10m }`: the crash at 5 min comes before any checkpoint, so the new
  // owners start at LATEST all the same. The application checkpoints: "Checkpointing would have kept them" was no remedy.
  const x = run({ checkpoint: { every: "10m" } });

  it("skips as the application with no checkpoint does, and proposes a first checkpoint sooner, not checkpointing", () => {
    expect(x.e.skipped).toBeGreaterThan(100_000);
    expect(x.cv.bottleneck).toBe("skipped records");
    const line = x.line("- Consumer scorer");
    expect(line).toContain("it had leases change hands before their first checkpoint");
    expect(line).toContain("A first checkpoint before the lease moved, or `initialPosition: TRIM_HORIZON` at the cost of reprocessing, would have kept them (Faults).");
    expect(line).not.toContain(" Checkpointing, or");
  });
});
