// KCL leases through whole simulations, against the KCL 2.x behaviour of amazon-kinesis-client (docs/limits.md): renewals every
// failover/3 − 25 ms = 3,308 ms, a lease expired 10 s after its last renewal, the lease taker every
// (failover + 25 ms) × 2 = 20,050 ms taking expired leases first and otherwise stealing one lease from the most
// loaded worker, checkpoints as lease-table writes, a new owner starting at the checkpoint or, without one, at
// the initial position.
//
// The runs are small and exact: one producer per shard with an ExplicitHashKey at the shard's starting hash key
// (floor(2^128/N)·i, as CreateStream makes them), a constant rate with even arrivals, and 1 s producer windows, so each
// shard receives exactly `rate` records at every whole second. GetRecords takes a fixed 20 ms, so a shard is
// polled every 1,500 + 20 = 1,520 ms.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { scenarioOf } from "./scenarioOf.js";

const S = 1_000_000;
const RENEW = 3.308; // s
const TAKER = 20.05; // s
const FAILOVER = 10; // s
const POLL = 1.52; // s: 1,500 ms idle + 20 ms call

interface Run {
  shards: number;
  workers: number;
  /** Records per second into each shard. */
  rate: number;
  duration: string;
  consumer?: Record<string, unknown>;
  faults?: Record<string, unknown>[];
  seed?: number;
}

function kcl(o: Run): RunResult {
  const space = 1n << 128n;
  const producers = Array.from({ length: o.shards }, (_, i) => ({
    name: `p${i}`,
    client: "sdk",
    rate: { shape: "constant", value: `${o.rate}/s` },
    recordSize: { dist: "fixed", size: "100B" },
    partitionKey: { kind: "explicit", hashKeys: [((space / BigInt(o.shards)) * BigInt(i)).toString()] },
  }));
  const { poll, ...consumer } = o.consumer ?? {};
  return simulate(
    scenarioOf({
      seed: o.seed ?? 1,
      duration: o.duration,
      fidelity: { window: "1s" },
      stream: { shards: o.shards },
      producers,
      consumers: [
        {
          name: "app",
          kind: "kcl",
          workers: o.workers,
          poll: { latency: { dist: "fixed", value: "20ms" }, ...(poll as object | undefined) },
          ...consumer,
        },
      ],
      faults: (o.faults ?? []).map((f) => ({ consumer: "app", ...f })),
    }),
  );
}

const app = (r: RunResult) => r.consumers[0]!;

/** Every accepted record is processed, unread, expired or skipped, exactly once. */
function expectBalanced(r: RunResult): void {
  const a = app(r).accounting;
  expect(a.balanced).toBe(true);
  expect(a.processed + a.unread + a.expiredUnread + a.skipped).toBe(a.accepted);
  expect(a.accepted).toBe(r.accounting.accepted);
}

describe("lease balancing by the lease taker", () => {
  it("with W workers and N shards every worker ends with floor(N/W) or ceil(N/W) leases", () => {
    // The initial race spreads leases at random; each taker run (every 20.05 s) steals at most one lease from
    // the most loaded worker until every worker holds the target ceil(N/W), or floor(N/W) when the most loaded
    // is at the target. A worker that started with none needs ceil(N/W) ≤ 4 runs: 200 s leaves a wide margin.
    let steals = 0;
    for (const [shards, workers] of [
      [8, 3],
      [7, 2],
      [6, 4],
      [5, 5],
    ] as const) {
      for (let seed = 1; seed <= 6; seed++) {
        const r = kcl({ shards, workers, rate: 2, duration: "200s", seed });
        const held = app(r).leases.perWorkerAtEnd;
        const label = `${shards} shards, ${workers} workers, seed ${seed}: ${held.join(",")}`;
        expect(held.length, label).toBe(workers);
        expect(held.reduce((x, y) => x + y, 0), label).toBe(shards);
        for (const n of held) expect([Math.floor(shards / workers), Math.ceil(shards / workers)], label).toContain(n);
        expectBalanced(r);
        steals += app(r).leases.steals;
      }
    }
    // The initial race was uneven in some runs, so stealing did the balancing there.
    expect(steals).toBeGreaterThan(0);
  });

  it("with maxLeasesForWorker no worker exceeds it, and leases beyond W × max stay unowned", () => {
    // 8 shards, 3 workers, at most 2 each: the target is min(ceil(8/3), 2) = 2, so each holds exactly 2 and two
    // shards are never read. Their 2 × 5 × 200 = 2,000 records stay unread.
    for (const seed of [1, 2]) {
      const r = kcl({ shards: 8, workers: 3, rate: 5, duration: "200s", seed, consumer: { lease: { maxLeasesForWorker: 2 } } });
      expect(app(r).leases.perWorkerAtEnd).toEqual([2, 2, 2]);
      expect(app(r).accounting.unread).toBeGreaterThanOrEqual(2_000);
      expectBalanced(r);
    }
    // 8 shards, 2 workers, at most 3: min(4, 3) = 3 each.
    const r = kcl({ shards: 8, workers: 2, rate: 5, duration: "200s", consumer: { lease: { maxLeasesForWorker: 3 } } });
    expect(app(r).leases.perWorkerAtEnd).toEqual([3, 3]);
  });
});

describe("worker crash", () => {
  // 2 shards, 2 workers (balanced 1 + 1 long before the crash), 50 records/s per shard, checkpoint every 5 s.
  // The crash stops worker 1 (the highest-numbered).
  const crashRun = (at: number, extra: Partial<Run> = {}) =>
    kcl({
      shards: 2,
      workers: 2,
      rate: 50,
      duration: `${at + 45}s`,
      consumer: { checkpoint: { every: "5s" } },
      faults: [{ at: `${at}s`, kind: "worker-crash" }],
      ...extra,
    });

  it("the survivor takes the crashed worker's lease; processing of that shard stalls between 6 s and 32.6 s", () => {
    // The lease was last renewed up to 3.308 s before the crash, expires 10 s after that renewal, and the
    // survivor's taker takes it at its first run after expiry — at most one taker interval later:
    //   takeover − crash ∈ (10 − 3.308, 10 + 20.05] s.
    // The oldest record left unprocessed arrived at most one poll period (1.52 s) and one 1 s window before the
    // crash, and ages are sampled each whole second, so the oldest unprocessed age is at least floor(6.69) = 6 s and
    // at most 10 + 20.05 + 1.52 + 1 = 32.57 s. (The ~10 s rule of thumb is failover alone; the renewal phase
    // can make the lease expire up to 3.3 s earlier.)
    const ages: number[] = [];
    for (const at of [41, 45, 48, 50, 52, 55, 58, 60]) {
      const r = crashRun(at);
      const c = app(r);
      const age = c.maxOldestUnprocessedAge / S;
      ages.push(age);
      expect(age, `crash at ${at} s`).toBeGreaterThanOrEqual(6);
      expect(age, `crash at ${at} s`).toBeLessThanOrEqual(FAILOVER + TAKER + POLL + 1);
      expect(c.leases.perWorkerAtEnd, `crash at ${at} s`).toEqual([2]) // the running worker; the crashed one is not listed;
      expect(c.leases.aliveWorkersAtEnd).toBe(1);
      expect(c.leases.takes, `crash at ${at} s`).toBe(1);
      expectBalanced(r);
      // After the takeover everything is caught up: only the last poll period (plus a window) is unread.
      expect(c.accounting.unread, `crash at ${at} s`).toBeLessThanOrEqual(2 * 50 * 3);
    }
    // Where the crash falls in the taker's 20.05 s cycle decides the stall: the runs cover short and long ones.
    expect(Math.min(...ages)).toBeLessThanOrEqual(13);
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(20);
  });

  it("the takeover happens at the survivor's first taker run after expiry: 10–13 s of lag for a crash at 50 s, 20–23 s at 60 s", () => {
    // Every worker's taker first runs at 20.05 s + u (u < 1 s, its start phase), then every 20.05 s: at
    // 40.1 + u, 60.15 + u, 80.2 + u, …
    // Crash at 50 s: the lease expires in (56.69, 60] s, so the run at 60.15 + u takes it. The last record
    // processed before the crash arrived at 47–49 s (one poll period and one window before), ages are sampled
    // at whole seconds until the new owner's first batch at takeover + 20 ms: max age ∈ [60 − 50, 61 − 48].
    const at50 = app(crashRun(50)).maxOldestUnprocessedAge / S;
    expect(at50).toBeGreaterThanOrEqual(10);
    expect(at50).toBeLessThanOrEqual(13);
    // Crash at 60 s: expiry in (66.69, 70] misses the run at 60.15 + u; the run at 80.2 + u takes it.
    const at60 = app(crashRun(60)).maxOldestUnprocessedAge / S;
    expect(at60).toBeGreaterThanOrEqual(20);
    expect(at60).toBeLessThanOrEqual(23);
  });

  it("records processed after the last checkpoint are processed again by the new owner: 250 for a crash at 60 s", () => {
    // The shard's session starts at 0 (LATEST, nothing yet); batches are delivered at 1.54 + 1.52 j s. A
    // checkpoint is written after a batch once 5 s have passed since the last one, i.e. every ceil(5 / 1.52) = 4
    // polls = 6.08 s: at 6.10, 12.18, …, 54.74 s (the next would be 60.82). That checkpoint covers the records
    // that arrived by 54 s. The crashed worker then processed the batches fetched at 56.24, 57.76 and 59.28 s:
    // arrivals 55 … 59 s, 5 × 50 = 250 records, which the new owner reads again from the checkpoint.
    const r = crashRun(60);
    const c = app(r);
    expect(c.leases.steals, "precondition: the initial race gave one lease to each worker").toBe(0);
    expect(c.reprocessed).toBe(250);
    // The general bound: at most (4 − 1) polls after a checkpoint plus one window of records.
    expect(c.reprocessed).toBeLessThanOrEqual(50 * (3 * POLL + 1));
    expectBalanced(r);
  });

  it("reprocessing after a crash never exceeds one checkpoint interval's records, wherever the crash falls", () => {
    // Only what the crashed worker processed after its last checkpoint is read twice: at most 3 polls (a 4th would
    // have checkpointed) plus one window, 50 × (3 × 1.52 + 1) = 278 records. What arrived during the stall was
    // never processed before, so it is not reprocessed. A crash just after a checkpoint reprocesses nothing.
    for (const at of [41, 43, 45, 47, 50, 53, 56]) {
      const c = app(crashRun(at));
      expect(c.leases.steals, "precondition").toBe(0);
      expect(c.reprocessed, `crash at ${at} s`).toBeLessThanOrEqual(50 * (3 * POLL + 1));
    }
  });

  it("a restarted worker gets leases back by stealing, one per taker run", () => {
    // 4 shards: after the crash at 60 s worker 0 holds all 4. Worker 1 restarts at 100 s; its taker runs at
    // 100 + u and 120.05 + u (u < 1 s). Target ceil(4/2) = 2, worker 0 is 2 over, one steal per run: at 115 s
    // it holds 1, at 130 s 2.
    const run = (duration: string) =>
      kcl({
        shards: 4,
        workers: 2,
        rate: 20,
        duration,
        consumer: { checkpoint: { every: "5s" } },
        faults: [
          { at: "60s", kind: "worker-crash" },
          { at: "100s", kind: "worker-restart" },
        ],
      });
    const mid = app(run("115s"));
    expect(mid.leases.perWorkerAtEnd).toEqual([3, 1]);
    expect(mid.leases.aliveWorkersAtEnd).toBe(2);
    const end = run("130s");
    expect(app(end).leases.perWorkerAtEnd).toEqual([2, 2]);
    expect(app(end).leases.steals - mid.leases.steals).toBe(1);
    expectBalanced(end);
    expect(app(end).accounting.unread).toBeLessThanOrEqual(4 * 20 * 3);
  });
});

describe("initial position when a lease changes hands without a checkpoint", () => {
  // Same crash at 60 s, but the application never checkpoints.
  const run = (initialPosition: "LATEST" | "TRIM_HORIZON") =>
    kcl({
      shards: 2,
      workers: 2,
      rate: 50,
      duration: "100s",
      consumer: { initialPosition },
      faults: [{ at: "60s", kind: "worker-crash" }],
    });

  it("LATEST: the new owner starts at the tip and skips what arrived during the stall (1,050–1,200 records)", () => {
    // Unprocessed since the arrival at 58–60 s, taken over at 80.2–81.2 s and started at the tip: the arrivals
    // from then to 80 or 81 s, 21 to 24 windows of 50 records, are never processed. Nothing is read twice.
    const r = run("LATEST");
    const c = app(r);
    expect(c.leases.steals, "precondition: the initial race gave one lease to each worker").toBe(0);
    expect(c.accounting.skipped).toBeGreaterThanOrEqual(21 * 50);
    expect(c.accounting.skipped).toBeLessThanOrEqual(24 * 50);
    expect(c.reprocessed).toBe(0);
    expectBalanced(r);
  });

  it("TRIM_HORIZON: nothing is skipped; the new owner re-reads the shard from its oldest record", () => {
    // The crashed worker had processed the arrivals at 1 … 58 or 59 s (one poll period before the crash): all
    // of them are processed again.
    const r = run("TRIM_HORIZON");
    const c = app(r);
    expect(c.accounting.skipped).toBe(0);
    expect(c.reprocessed).toBeGreaterThanOrEqual(57 * 50);
    expect(c.reprocessed).toBeLessThanOrEqual(59 * 50);
    expectBalanced(r);
  });

  it("a lease stolen while its old owner still holds fetched, unprocessed batches: every record is still counted once", () => {
    // Slow processing (2 s per batch, polls every 1.52 s) keeps batches in the old owner's prefetch cache. A
    // steal starts the new owner at the tip; the old owner drops its cache when its next renewal fails. Those
    // records are skipped, and the accounting must still balance (this once threw an AccountingError).
    let steals = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const r = kcl({ shards: 4, workers: 2, rate: 20, duration: "90s", seed, consumer: { processing: { perBatch: "2s" } } });
      expectBalanced(r);
      const c = app(r);
      steals += c.leases.steals;
      // Without a steal every shard keeps one reader and nothing is skipped; with one, something is.
      if (c.leases.steals === 0) expect(c.accounting.skipped, `seed ${seed}`).toBe(0);
      else expect(c.accounting.skipped, `seed ${seed}`).toBeGreaterThan(0);
    }
    expect(steals).toBeGreaterThan(0);
  });
});

describe("processing.concurrency", () => {
  // One worker, 4 shards of 150 records/s (600/s offered), GetRecords up to 300 records, 1 s per batch.
  const run = (concurrency?: number) =>
    kcl({
      shards: 4,
      workers: 1,
      rate: 150,
      duration: "60s",
      consumer: { poll: { maxRecords: 300 }, processing: { perBatch: "1s", concurrency } },
    });

  it("concurrency 1: the worker processes one batch at a time, so 300 records/s (maxRecords / perBatch) and the lag grows at 0.5 s/s", () => {
    // Saturated, every batch is a full 300 records and the single slot turns over once a second: 300/s for
    // the whole worker, whatever the number of shards (polling alone could fetch 4 × 300 / 1.52 s). Offered
    // 600/s, so the processed position falls behind arrivals at 1 − 300/600 = 0.5 s per second. The first
    // ~12 s drain batches prefetched (3 per shard) before the backlog built up, some not full: measure from 30 s.
    const c = app(run(1));
    const perSecond = c.series.recordsProcessed.slice(30, 60);
    const mean = perSecond.reduce((x, y) => x + y, 0) / perSecond.length;
    expect(mean).toBeGreaterThan(300 * 0.98);
    expect(mean).toBeLessThan(300 * 1.02);
    const age = c.series.oldestUnprocessedAge.map((x) => x / S);
    expect(age[59]! - age[29]!).toBeGreaterThan(30 * 0.5 - 2);
    expect(age[59]! - age[29]!).toBeLessThan(30 * 0.5 + 2);
    expect(c.maxOldestUnprocessedAge / S).toBeGreaterThan(25);
  });

  it("unlimited concurrency: each shard has its own processor (300 records/s each), keeps up with 150/s and the lag stays small", () => {
    // A batch of at most 1.52 s × 150 = 228 records every 1.52 s per shard, each processed in 1 s.
    const c = app(run(undefined));
    expect(c.maxOldestUnprocessedAge / S).toBeLessThan(5);
    // Unprocessed at the end: at most what arrived in the last poll period, batch and window (600/s × 3.52 s).
    expect(c.accounting.unread).toBeLessThanOrEqual(600 * (POLL + 1 + 1));
    expect(c.accounting.processed).toBeGreaterThan(600 * 60 - 600 * (POLL + 1 + 1));
  });
});

describe("lease table traffic", () => {
  it("renewals: each held lease is renewed every 3.308 s (1 worker, 3 leases, 100 s: 30 or 31 rounds = 90 or 93)", () => {
    // The renewer starts at a phase φ < 3.308 s, so it runs floor((100 − φ)/3.308) + 1 ∈ {30, 31} times.
    const c = app(kcl({ shards: 3, workers: 1, rate: 5, duration: "100s" }));
    expect([90, 93]).toContain(c.leases.renewals);
  });

  it("renewals with 3 workers and 6 leases: about 6 × 100 / 3.308 = 181 in all", () => {
    // Per worker, leases held × duration / 3.308 s; a lease that changes hands may get one extra or one fewer.
    const c = app(kcl({ shards: 6, workers: 3, rate: 5, duration: "100s", seed: 2 }));
    expect(Math.abs(c.leases.renewals - (6 * 100) / RENEW)).toBeLessThanOrEqual(6 + 2 * c.leases.steals);
  });

  it("checkpoints every 5 s happen every 4 polls (6.08 s): 3 shards × 16 in 100 s, not 3 × 20", () => {
    // A checkpoint is written after a batch once 5 s have passed; batches come every 1.52 s, so the interval
    // rounds up to ceil(5 / 1.52) = 4 polls = 6.08 s: floor(100 / 6.08) = 16 per shard.
    const c = app(kcl({ shards: 3, workers: 1, rate: 5, duration: "100s", consumer: { checkpoint: { every: "5s" } } }));
    const perShard = Math.floor(100 / (Math.ceil(5 / POLL) * POLL));
    expect(perShard).toBe(16);
    expect(c.leases.checkpoints).toBeGreaterThanOrEqual(3 * (perShard - 1));
    expect(c.leases.checkpoints).toBeLessThanOrEqual(3 * perShard);
  });

  it("every lease-table write is a race claim, a renewal, a checkpoint, a take or a steal (1 WCU each)", () => {
    // Initial race: every worker tries every lease (shards × workers writes). Scans: one per taker run.
    const r = kcl({ shards: 4, workers: 2, rate: 5, duration: "100s", consumer: { checkpoint: { every: "5s" } } });
    const c = app(r);
    const l = c.leases;
    expect(c.leaseTable.writeRequests).toBe(4 * 2 + l.renewals + l.checkpoints + l.takes + l.steals);
    expect(c.leaseTable.writeUnits).toBe(c.leaseTable.writeRequests);
    expect(c.leaseTable.throttledWrites).toBe(0);
    // Each worker's taker runs at 20.05 + u, 40.1 + u, 60.15 + u and 80.2 + u s (u < 1): 4 scans each, of
    // 4 × 400 B ≤ 4 KB, eventually consistent: 0.5 RCU.
    expect(c.leaseTable.readRequests).toBe(2 * 4);
    expect(c.leaseTable.readUnits).toBe(2 * 4 * 0.5);
  });
});
