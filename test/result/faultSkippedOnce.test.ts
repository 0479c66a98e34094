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
