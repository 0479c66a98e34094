// The same scenario at record granularity (every record its own batch, each request first come first served)
// and at batch granularity (one batch per shard per 100 ms window, a window's offers sharing each shard's
// capacity in proportion).
//
// Tolerances, and why:
// - Totals: with even arrivals both granularities offer exactly the same records, and below the limits
//   accept all of them: equal.
// - Put-latency percentiles below the limits: within 10% (p50, p90) and 15% (p99). Batch granularity draws one
//   request latency per window bundle (10 per second) where record granularity draws one per request; over
//   300 s that is 3,000 draws, and the p99 of 3,000 draws of the default lognormal (σ = 0.69) has a standard
//   error of about 5%.
// - Under overload with retries: records lost within 0.5 percentage points (both accept exactly what the
//   buckets allow); throttled attempts within 3 points (record granularity sends each request's records to a
//   shard in clumps that can find an empty bucket; the batch model's proportional sharing is smoother, and
//   measured about 2 points lower); latency p50 within 10% and p99 within 15%.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { verdictOf } from "../../src/report/verdict.js";
import { scenarioOf } from "./scenarioOf.js";

function both(input: Record<string, unknown>): { batch: RunResult; record: RunResult } {
  const run = (granularity: "batch" | "record") => simulate(scenarioOf({ ...input, fidelity: { granularity } }));
  return { batch: run("batch"), record: run("record") };
}

const rel = (a: number, b: number) => Math.abs(a - b) / b;

describe("record granularity vs batch granularity", () => {
  it("below the limits: same offered and accepted totals; put latency p50/p90 within 10%, p99 within 15%", () => {
    const { batch, record } = both({
      duration: "300s",
      warmup: "10s",
      stream: { shards: 2 },
      producers: [
        {
          name: "web",
          client: "sdk",
          instances: 10,
          rate: { shape: "constant", value: "1500/s" },
          recordSize: { dist: "lognormal", median: "500B", p99: "4KiB" },
        },
      ],
    });
    expect(batch.accounting.offered).toBe(450_000);
    expect(record.accounting.offered).toBe(batch.accounting.offered);
    expect(batch.accounting.accepted).toBe(batch.accounting.offered);
    expect(record.accounting.accepted + record.accounting.inFlight.buffered).toBe(record.accounting.offered);
    const b = batch.putLatency;
    const r = record.putLatency;
    expect(rel(b.p50, r.p50)).toBeLessThan(0.1);
    expect(rel(b.p90, r.p90)).toBeLessThan(0.1);
    expect(rel(b.p99, r.p99)).toBeLessThan(0.15);
  });

  it("a throttled hot shard with retries: lost within 0.5 points, throttled attempts within 3 points, latency p50 within 10%, p99 within 15%", () => {
    const { batch, record } = both({
      duration: "180s",
      warmup: "30s",
      stream: { shards: 8 },
      producers: [
        {
          name: "gateways",
          client: "sdk",
          instances: 20,
          rate: { shape: "poisson", value: "4000/s" },
          recordSize: { dist: "fixed", size: "200B" },
          partitionKey: { kind: "zipf", keys: 2000, exponent: 1.3, prefix: "device-" },
        },
      ],
    });
    const vb = verdictOf(batch);
    const vr = verdictOf(record);
    expect(vb.binding.throttling && vr.binding.throttling).toBe(true);
    expect(Math.abs(vb.recordsLostPercent - vr.recordsLostPercent)).toBeLessThan(0.5);
    expect(Math.abs(vb.writeThrottledPercent - vr.writeThrottledPercent)).toBeLessThan(3);
    expect(rel(batch.accounting.accepted, record.accounting.accepted)).toBeLessThan(0.01);
    expect(rel(batch.putLatency.p50, record.putLatency.p50)).toBeLessThan(0.1);
    expect(rel(batch.putLatency.p99, record.putLatency.p99)).toBeLessThan(0.15);
    // Both put the throttling on the same shard.
    expect(vb.hottestShard!.id).toBe(vr.hottestShard!.id);
  });
});

// A longer producer window (fidelity.window): a window's records reach the stream together at its end, so a
// record waits, on average, half its window before it is stored (born across the window, stored at its end) where
// the 100 ms default makes it wait 50 ms. A KCL application's end-to-end median should gain about half the added
// window (0.5 × 400 ms at 500 ms; polls once a second at their own phase, so within 0.3–0.7 of it), while what is
// offered and accepted does not change (the same records, below the limits). docs/model.md shows the same on the
// bundled samples.
describe("a longer batch window", () => {
  it("500 ms instead of 100 ms: same records accepted; a KCL application's end-to-end p50 later by 0.3–0.7 × 400 ms", () => {
    const run = (window: string) =>
      simulate(
        scenarioOf({
          duration: "300s",
          warmup: "30s",
          fidelity: { window },
          stream: { shards: 4 },
          producers: [{ name: "web", client: "sdk", instances: 8, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "500B" } }],
          consumers: [{ name: "app", kind: "kcl", workers: 2 }],
        }),
      );
    const short = run("100ms");
    const long = run("500ms");
    expect(short.accounting.accepted).toBe(short.accounting.offered);
    expect(long.accounting.accepted).toBe(long.accounting.offered);
    expect(rel(long.accounting.offered, short.accounting.offered)).toBeLessThan(0.01);
    const shift = long.consumers[0]!.endToEnd.p50 - short.consumers[0]!.endToEnd.p50;
    expect(shift).toBeGreaterThan(0.3 * 400_000);
    expect(shift).toBeLessThan(0.7 * 400_000);
  });
});
