// A consumer's records skipped after a fault count from that fault until its next fault of its own: two faults of one
// consumer at the same instant (a worker crash and a worker add at 5:00) each counted every record skipped from then,
// twice the consumer's own count. Each record counts once, against the first of them in the scenario's order.
// helper-106's scenario (test/report/skippedAtLatest.test.ts): 4 shards at 2,000 records/s, 2 KCL 3.x workers that
// never checkpoint, the one holding the leader lock crashed at 5:00; its leases' new owner starts at LATEST past about
// 2 shards × 500 records/s × the ~129 s they went unprocessed ≈ 129,000 records, all after 5:00 (the only faults).
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const r = simulateScenario(
  scenarioOf({
    name: "nocp",
    seed: 3,
    duration: "10m",
    stream: { name: "events", shards: 4 },
    producers: [{ name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    consumers: [{ name: "scorer", kind: "kcl", workers: 2, processing: { perRecord: "0.1ms" } }],
    faults: [
      { at: "5m", kind: "worker-crash", consumer: "scorer", workers: 1 },
      { at: "5m", kind: "worker-add", consumer: "scorer", workers: 1 },
    ],
  }),
);
const skipped = r.faults.map((f) => (f.effect?.kind === "lag" ? f.effect.skipped : NaN));

describe("two faults of one consumer at the same instant", () => {
  it("count each skipped record once: the faults' skipped records add up to the consumer's accounting", () => {
    const c = r.consumers[0]!;
    expect(c.accounting.skipped).toBeGreaterThan(100_000);
    expect(skipped[0]! + skipped[1]!).toBe(c.accounting.skipped);
  });

  it("count them against the first of the two in the scenario's order, the crash", () => {
    expect(r.faults.map((f) => f.kind)).toEqual(["worker-crash", "worker-add"]);
    expect(skipped).toEqual([r.consumers[0]!.accounting.skipped, 0]);
  });
});

// The same for records processed again: a KCL 3.x application that checkpoints every 30 s, a worker crash and a worker
// add at 5:00 (the only faults): the crash's leases go to other workers, which start from the last checkpoint and
// process again what the crashed worker had processed since it (a shard up to 30 s × 500 records/s). Each fault
// summed the consumer's reprocessed series over the same span (5:00 until it caught up), so both said 24,308, twice
// the consumer's own count (24,308 in the whole run: nothing else moved a lease).
const cp = simulateScenario(
  scenarioOf({
    name: "cp",
    seed: 3,
    duration: "10m",
    stream: { name: "events", shards: 4 },
    producers: [{ name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    consumers: [{ name: "scorer", kind: "kcl", workers: 2, processing: { perRecord: "0.1ms" }, checkpoint: { every: "30s" }, kcl: { version: 3 } }],
    faults: [
      { at: "5m", kind: "worker-crash", consumer: "scorer", workers: 1 },
      { at: "5m", kind: "worker-add", consumer: "scorer", workers: 1 },
    ],
  }),
);

describe("two faults of one consumer at the same instant, records processed again", () => {
  it("count each record processed again once, against the crash: the faults' counts add up to the consumer's", () => {
    const reprocessed = cp.faults.map((f) => (f.effect?.kind === "lag" ? f.effect.reprocessed : NaN));
    const own = cp.consumers[0]!.reprocessed;
    // Under 30 s × 500 records/s × the crashed worker's 2 shards = 30,000: a checkpoint interval's records at most.
    expect(own).toBeGreaterThan(10_000);
    expect(own).toBeLessThanOrEqual(30_000);
    expect(reprocessed).toEqual([own, 0]);
  });
});
