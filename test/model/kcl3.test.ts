// KCL 3.x lease management through whole simulations and the leader's decision on hand-made snapshots, against
// amazon-kinesis-client 3.5.1 (docs/limits.md): the leader's assignment every leaseAssignmentIntervalMillis
// (2 × failoverTimeMillis), lease discovery through the lease-owner index every half of it less 25 ms, a KEYS_ONLY
// index query costing ceil(bytes / 4 KB) / 2 read units (eventually consistent, at least half a unit), the
// VarianceBasedLeaseAssignmentDecider's threshold and dampening, and graceful lease handoff.
//
// Runs use one producer per shard with an ExplicitHashKey at the shard's starting hash key, constant rates and
// fixed-size records, as test/model/kclLeases.test.ts does.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { decideAssignments, metricAverage, type DeciderLease, type DeciderWorker } from "../../src/model/kcl/assignmentDecider.js";
import { DYNAMODB_RCU_BYTES, LEASE_OWNER_INDEX_ITEM_BYTES } from "../../src/aws/limits.js";
import { scenarioOf, producerPerShard } from "./scenarioOf.js";

interface Run {
  shards: number;
  workers: number;
  /** Records per second into each shard, or per shard. */
  rate: number | number[];
  duration: string;
  warmup?: string;
  consumer?: Record<string, unknown>;
  kcl?: Record<string, unknown>;
  faults?: Record<string, unknown>[];
  seed?: number;
}

function kcl(o: Run): RunResult {
  const producers = producerPerShard(o.shards, o.rate);
  return simulate(
    scenarioOf({
      seed: o.seed ?? 1,
      duration: o.duration,
      ...(o.warmup ? { warmup: o.warmup } : {}),
      fidelity: { window: "1s" },
      stream: { shards: o.shards },
      producers,
      consumers: [{ name: "app", kind: "kcl", workers: o.workers, poll: { latency: { dist: "fixed", value: "20ms" } }, kcl: { version: 3, ...o.kcl }, ...o.consumer }],
      faults: (o.faults ?? []).map((f) => ({ consumer: "app", ...f })),
    }),
  );
}

const app = (r: RunResult) => r.consumers[0]!;
const la = (r: RunResult) => app(r).leaseAssignment!;

function expectBalanced(r: RunResult): void {
  const a = app(r).accounting;
  expect(a.balanced).toBe(true);
  expect(a.processed + a.unread + a.expiredUnread + a.skipped).toBe(a.accepted);
}

describe("KCL 3.x cadence", () => {
  it("the leader runs the assignment every 2 × failoverTimeMillis: 20 s by default, 30 s with a 15 s failover, or leaseAssignmentIntervalMillis", () => {
    // LeaseManagementConfig.leaseAssignmentIntervalMillis() = 2 × failoverTimeMillis unless set; the LAM runs with a
    // fixed delay on every worker and does its work only on the leader. After a 100 s warmup the leader is settled
    // (one lock, no change), so the runs after warmup are (duration − warmup) / interval, within one.
    for (const [failover, interval, set] of [
      [10, 20, undefined],
      [15, 30, undefined],
      [10, 12, "12s"],
    ] as const) {
      const r = kcl({ shards: 4, workers: 3, rate: 5, duration: "700s", warmup: "100s", consumer: { lease: { failover: `${failover}s` } }, kcl: set ? { leaseAssignmentIntervalMillis: set } : {} });
      const expected = 600 / interval;
      expect(la(r).assignmentRuns, `failover ${failover} s`).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
      expect(la(r).assignmentRuns, `failover ${failover} s`).toBeLessThanOrEqual(Math.ceil(expected) + 1);
      expect(la(r).assignmentIntervalUs).toBe(interval * 1e6);
      // Lease discovery: half the assignment interval less epsilon (25 ms), DynamoDBLeaseCoordinator.
      expect(la(r).discovery.intervalUs).toBe((interval / 2) * 1e6 - 25_000);
      expect(la(r).leaderChanges).toBe(0);
      expectBalanced(r);
    }
  });

  it("every lease is assigned and read: the first run with reporting workers assigns them all, and each worker starts its own after discovering them", () => {
    // Workers report metrics 2 s after they start; the leader's first run (within 1 s of the start) sees no worker
    // yet, its second (20 s later) assigns all 8 leases; discovery (≤ 10 s later) starts their record processors.
    const r = kcl({ shards: 8, workers: 2, rate: 10, duration: "120s" });
    expect(la(r).assigned.new).toBe(8);
    expect(app(r).leases!.perWorkerAtEnd.reduce((x, y) => x + y, 0)).toBe(8);
    expect(la(r).discovery.leasesFound).toBe(8);
    // KCL 3.x never scans from the workers: no 2.x takes or steals.
    expect(app(r).leases!.takes + app(r).leases!.steals).toBe(0);
    // An application started with its producers reads from the start, whatever the first assignment's time (LATEST).
    expect(app(r).accounting.skipped).toBe(0);
    expectBalanced(r);
  });
});

describe("KCL 3.x lease discovery read rate", () => {
  it("the lease-owner index serves W × ceil(leases held × 100 B / 4 KB) / 2 read units every discovery interval (9.975 s)", () => {
    // DynamoDBLeaseDiscoverer: one Query of the KEYS_ONLY index per worker per interval; an index query is eventually
    // consistent: ceil(bytes / 4 KB) units at half price, at least half a unit. 4 workers of 2 leases each: 0.5
    // unit per query → 4 × 0.5 / 9.975 = 0.2005 units/s. 1 worker with 100 leases: ceil(100 × 100 / 4,096) = 3
    // units → 1.5 / 9.975 = 0.1504 units/s. Over 300 s each worker makes floor or ceil(300 / 9.975) = 30 or 31 queries.
    const interval = 9.975;
    for (const [shards, workers] of [
      [8, 4],
      [100, 1],
    ] as const) {
      const r = kcl({ shards, workers, rate: 1, duration: "400s", warmup: "100s" });
      const perQuery = Math.max(1, Math.ceil(((shards / workers) * LEASE_OWNER_INDEX_ITEM_BYTES) / DYNAMODB_RCU_BYTES)) / 2;
      const label = `${shards} shards, ${workers} workers`;
      expect(la(r).discovery.queries, label).toBeGreaterThanOrEqual(workers * Math.floor(300 / interval));
      expect(la(r).discovery.queries, label).toBeLessThanOrEqual(workers * Math.ceil(300 / interval));
      expect(la(r).leaseOwnerIndex.readUnits, label).toBe(la(r).discovery.queries * perQuery);
      const rate = la(r).leaseOwnerIndex.readUnits / 300;
      expect(rate, label).toBeGreaterThanOrEqual((workers * Math.floor(300 / interval) * perQuery) / 300);
      expect(Math.abs(rate - (workers * perQuery) / interval), label).toBeLessThan((workers * perQuery) / 300 + 1e-12);
    }
  });

  it("lease table reads at 100 shards: KCL 2.x's scans by every worker against KCL 3.x's index queries, leader scan and lock checks", () => {
    // 2.x: every worker scans the table (100 × 400 B → ceil(40,000 / 4,096) = 10 units, eventually consistent: 5)
    // every taker interval (20.05 s): W × 5 / 20.05.
    // 3.x: the leader scans it every 20 s with the W worker metrics items (600 B each): ceil((40,000 + 600 W) / 4,096) / 2;
    // the leader reads the lock (1 unit, consistent) every run, the others every other run (not again within the
    // 30 s heartbeat period after finding another leader): 1/20 + (W − 1)/40; and the index: W × 0.5 / 9.975.
    for (const workers of [4, 20]) {
      const v3 = kcl({ shards: 100, workers, rate: 1, duration: "500s", warmup: "100s" });
      const v2 = kcl({ shards: 100, workers, rate: 1, duration: "500s", warmup: "100s", kcl: { version: 2 } });
      const seconds = 400;
      const v2Rate = (workers * 5) / 20.05;
      const v3Table = Math.ceil((40_000 + 600 * workers) / 4_096) / 2 / 20 + 1 / 20 + (workers - 1) / 40;
      const v3Index = (workers * 0.5) / 9.975;
      const close = (x: number, y: number, label: string) => expect(Math.abs(x / y - 1), `${label}: ${x} against ${y}`).toBeLessThan(0.06);
      close(app(v2).leaseTable!.readUnits / seconds, v2Rate, `2.x, ${workers} workers`);
      close(app(v3).leaseTable!.readUnits / seconds, v3Table, `3.x table, ${workers} workers`);
      close(la(v3).leaseOwnerIndex.readUnits / seconds, v3Index, `3.x index, ${workers} workers`);
      expect(app(v3).leaseTable!.readUnits + la(v3).leaseOwnerIndex.readUnits).toBeLessThan(app(v2).leaseTable!.readUnits);
    }
  });
});

describe("graceful lease handoff", () => {
  // Two workers, 8 shards; two workers join at 120 s. Each shard gets 20 records/s at 20 ms of processing each, so a
  // worker's CPU (2 vCPUs) is 20 % per lease: 4 leases each, 80 %. The joiners report 0 %: the leader's next
  // rebalancing run moves leases off the busy workers to them. Checkpoints every 30 s: a lease moved without a
  // checkpoint has up to 30 s of records processed again.
  const join = (kclSettings: Record<string, unknown>, extra: Record<string, unknown>[] = [], seed = 1) =>
    kcl({
      seed,
      shards: 8,
      workers: 2,
      rate: 20,
      duration: "400s",
      consumer: { processing: { perRecord: "20ms", concurrency: 2 }, checkpoint: { every: "30s" } },
      kcl: kclSettings,
      faults: [{ at: "120s", kind: "worker-add", workers: 2 }, ...extra],
    });

  it("leases rebalanced to new workers are checkpointed and released first: zero records processed again", () => {
    for (const seed of [1, 2, 3]) {
      const r = join({}, [], seed);
      expect(la(r).assigned.rebalanced).toBeGreaterThan(0);
      expect(la(r).handoffs.graceful).toBe(la(r).assigned.rebalanced);
      expect(la(r).handoffs.withoutCheckpoint).toBe(0);
      expect(app(r).reprocessed).toBe(0);
      // All four workers end with leases.
      expect(app(r).leases!.perWorkerAtEnd.filter((n) => n > 0)).toHaveLength(4);
      expectBalanced(r);
    }
  });

  it("without graceful handoff the same moves process records again; a crash does even with it", () => {
    const abrupt = join({ gracefulLeaseHandoffConfig: { isGracefulLeaseHandoffEnabled: false } });
    expect(la(abrupt).assigned.rebalanced).toBeGreaterThan(0);
    expect(la(abrupt).handoffs.graceful).toBe(0);
    expect(app(abrupt).reprocessed).toBeGreaterThan(0);
    // The 2.x taker steals without a checkpoint too.
    const v2 = join({ version: 2 });
    expect(app(v2).leases!.steals).toBeGreaterThan(0);
    expect(app(v2).reprocessed).toBeGreaterThan(0);
    // A crash: the leader reassigns the expired leases, whose new owners start from the last checkpoint.
    const crash = join({}, [{ at: "300s", kind: "worker-crash", workers: 1 }]);
    expect(la(crash).assigned.expired).toBeGreaterThan(0);
    expect(app(crash).reprocessed).toBeGreaterThan(0);
    for (const r of [abrupt, v2, crash]) expectBalanced(r);
  });

  it("a batch that outlasts gracefulLeaseHandoffTimeoutMillis releases its lease without a checkpoint", () => {
    // perBatch 40 s: the old owner's record processor is mid-batch when the handoff starts (or soon is), and the
    // 2 s timeout passes before it finishes.
    const r = kcl({
      shards: 4,
      workers: 1,
      rate: 1,
      duration: "400s",
      consumer: { processing: { perBatch: "40s", concurrency: 4 }, checkpoint: { every: "1s" } },
      kcl: { gracefulLeaseHandoffConfig: { gracefulLeaseHandoffTimeoutMillis: "2s" } },
      faults: [{ at: "150s", kind: "worker-add", workers: 1 }],
    });
    expect(la(r).assigned.rebalanced).toBeGreaterThan(0);
    expect(la(r).handoffs.withoutCheckpoint).toBeGreaterThan(0);
    expectBalanced(r);
  });
});

describe("the utilisation-aware decision (VarianceBasedLeaseAssignmentDecider)", () => {
  const cfg = { reBalanceThresholdPercentage: 10, dampeningPercentage: 60, allowThroughputOvershoot: true, workerMetricsEMAAlpha: 0.5, maxLeasesForWorker: Infinity, balance: true, operatingMax: 100 };
  const lease = (shard: number, owner: number, kbps: number): DeciderLease => ({ shard, owner, throughputKBps: kbps, expiredOrUnassigned: false, lastIncrement: 1, pendingShutdown: false });
  const worker = (id: number, cpu: number): DeciderWorker => ({ id, reports: [cpu], throughputMetric: false });
  const identity = <T>(a: T[]) => a;
  const reverse = <T>(a: T[]) => void a.reverse();

  it("moves one 100 KB/s lease off a worker at 80 % when the fleet averages 50 % (threshold 10 %, dampening 60 %)", () => {
    // Average 50, upper limit 55: worker 0 (80) gives up 700 KB/s × (80 − 50) / 80 × 0.6 = 157.5 KB/s. Its leases in
    // any order: the 500 KB/s one does not fit (157.5 − 500 ≤ 0), the first 100 KB/s one does (57.5 left), the
    // second does not (57.5 − 100 ≤ 0). Worker 1 (20) takes it if it stays at or below the average: the lease adds
    // 100 × 50 / 450 = 11.1 (target throughput per worker: 900 / 5 × 5 / 2 = 450) → 31.1 ≤ 50.
    const leases = [lease(0, 0, 500), lease(1, 0, 100), lease(2, 0, 100), lease(3, 1, 100), lease(4, 1, 100)];
    for (const order of [identity, reverse]) {
      const moves = decideAssignments(leases, [worker(0, 80), worker(1, 20)], cfg, order);
      expect(moves.size).toBe(1);
      const [shard, to] = [...moves][0]!;
      expect([1, 2]).toContain(shard);
      expect(to).toBe(1);
    }
  });

  it("moves nothing while every worker is within the threshold of the average (54 % and 46 % around 50 %)", () => {
    // Ten 10 KB/s leases each: target 100 KB/s per worker, so a lease adds 10 × 50 / 100 = 5 to its receiver.
    const leases = Array.from({ length: 20 }, (_, i) => lease(i, i < 10 ? 0 : 1, 10));
    expect(decideAssignments(leases, [worker(0, 54), worker(1, 46)], cfg, identity).size).toBe(0);
    // Just past it (56 against an upper limit of 55), worker 0 gives up 100 × 6 / 56 × 0.6 = 6.4 KB/s: no lease fits, so
    // the smallest goes (overshoot), and worker 1 (44 + 5 = 49 ≤ 50) takes it.
    expect(decideAssignments(leases, [worker(0, 56), worker(1, 44)], cfg, identity).size).toBe(1);
    // Not on a run that does not balance (varianceBalancingFrequency).
    expect(decideAssignments(leases, [worker(0, 90), worker(1, 10)], { ...cfg, balance: false }, identity).size).toBe(0);
  });

  it("does not move a lease that would lift the receiving worker above the average", () => {
    // Worker 0 at 62 holds the only lease of 600 KB/s; worker 1 at 38 holds two of 100. Average 50: worker 0 gives up
    // 600 × 12 / 62 × 0.6 = 69.7 KB/s, so no lease fits and the smallest (its only one, 600) overshoots; it would add
    // 600 × 50 / 400 = 75 to worker 1 → 113 > 50: the move is refused.
    const leases = [lease(0, 0, 600), lease(1, 1, 100), lease(2, 1, 100)];
    expect(decideAssignments(leases, [worker(0, 62), worker(1, 38)], cfg, identity).size).toBe(0);
  });

  it("gives expired and unowned leases to the workers furthest below the average, oldest first", () => {
    // Worker 1 at 10 % is furthest below the average (40): (40 − 10) / 10 = 3 against worker 0's (40 − 70) / 70.
    const leases: DeciderLease[] = [
      { ...lease(0, 0, 100) },
      { shard: 1, owner: null, throughputKBps: null, expiredOrUnassigned: true, lastIncrement: 0, pendingShutdown: false },
    ];
    const moves = decideAssignments(leases, [worker(0, 70), worker(1, 10)], { ...cfg, balance: false }, identity);
    expect([...moves]).toEqual([[1, 1]]);
  });

  it("by throughput (workers with no CPU metric): a worker's value is its leases' throughput against the average per worker, × 100", () => {
    // Worker 0 holds 100 + 200 KB/s, worker 1 100 KB/s: 400 / 2 = 200 per worker, so the values are 150 and 50
    // (average 100, upper limit 110). Worker 0 gives up 300 × (150 − 100) / 150 × 0.6 = 60 KB/s: no lease fits, the
    // smallest (100) overshoots, and worker 1 takes it: 50 + 100 × 100 / 200 = 100, not above the average.
    const leases = [lease(0, 0, 100), lease(1, 0, 200), lease(2, 1, 100)];
    const byThroughput = (id: number): DeciderWorker => ({ id, reports: [], throughputMetric: true });
    expect([...decideAssignments(leases, [byThroughput(0), byThroughput(1)], cfg, identity)]).toEqual([[0, 1]]);
  });

  it("the leader averages a worker's reports with an exponential moving average (alpha 0.5), skipping failed captures", () => {
    expect(metricAverage([40, 80], 0.5)).toBe(60);
    expect(metricAverage([40, -1, 80, 20], 0.5)).toBe(40);
    expect(metricAverage([], 0.5)).toBe(0);
  });
});

describe("a hot shard's worker sheds its other leases", () => {
  it("3.x ends with the hot shard's worker holding less than the others, where 2.x balances the count", () => {
    // 8 shards, one at 60 records/s and seven at 10, 10 ms each on 2 vCPUs: the hot shard alone is 30 % of a worker,
    // each other 5 %. 2 workers: 2.x holds 4 / 4 (the hot worker at 45 %, the other at 20 %); 3.x moves leases off
    // the hot worker until the next would lift the other above the average.
    const rate = [60, 10, 10, 10, 10, 10, 10, 10];
    const opts = { shards: 8, workers: 2, rate, duration: "600s", warmup: "200s", consumer: { processing: { perRecord: "10ms", concurrency: 2 } } };
    const v3 = kcl(opts);
    const v2 = kcl({ ...opts, kcl: { version: 2 } });
    expect([...app(v2).leases!.perWorkerAtEnd].sort()).toEqual([4, 4]);
    const held = [...app(v3).leases!.perWorkerAtEnd].sort();
    expect(held[0]).toBeLessThan(4);
    expect(held[0]! + held[1]!).toBe(8);
    const latest = la(v3).utilisation.latestByWorker as number[];
    expect(Math.max(...latest) - Math.min(...latest)).toBeLessThan(25);
    expectBalanced(v3);
  });
});

describe("migration from 2.x in compatible mode", () => {
  it("the leader flips the fleet to 3.x 10 minutes after the index is active and every lease owner reports; workers switch within 1.5 minutes", () => {
    // Migration at 60 s, index active 5 minutes later (360 s); the ready monitor runs every minute from 120 s, so it
    // first finds the fleet ready at its first run at or after 360 s and flips 10 minutes (600 s) later, at a run
    // of the monitor: 960 s to 1,020 s. Every worker switches at its next version check (≤ 90 s after the flip).
    const r = kcl({ shards: 4, workers: 2, rate: 5, duration: "1300s", consumer: { kcl: { version: 2 }, checkpoint: { every: "10s" } }, faults: [{ at: "60s", kind: "kcl-migration" }] });
    const m = la(r).migration!;
    expect(m.atUs).toBe(60e6);
    expect(m.flippedAtUs!).toBeGreaterThanOrEqual(960e6);
    expect(m.flippedAtUs!).toBeLessThanOrEqual(1_020e6 + 1e6);
    expect(m.switchedAtUs! - m.flippedAtUs!).toBeLessThanOrEqual(90e6);
    expect(la(r).versionAtEnd).toBe(3);
    expectBalanced(r);
  });

  it("a kcl-migration needs a 2.x application", () => {
    expect(() => kcl({ shards: 1, workers: 1, rate: 1, duration: "60s", faults: [{ at: "10s", kind: "kcl-migration" }] })).toThrow(/kcl-migration needs kcl.version: 2/);
  });
});
