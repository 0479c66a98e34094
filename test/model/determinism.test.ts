// Determinism is the product: the same scenario and seed give the same report bytes, and components draw
// from their own named streams so adding one does not change another's draws (common random numbers).
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { reportJsonText } from "../../src/report/json.js";
import { scenarioOf } from "./scenarioOf.js";

const provenance = { scenarioFile: "x.yaml", scenarioSha256: "0".repeat(64) };

const web = {
  name: "web",
  client: "sdk",
  instances: 6,
  rate: { shape: "diurnal", mean: "3000/s", peak: "4500/s", period: "10m" },
  recordSize: { dist: "lognormal", median: "400B", p99: "3KiB" },
  partitionKey: { kind: "zipf", keys: 500, exponent: 0.9 },
};
const batch = {
  name: "batch-job",
  client: "sdk",
  instances: 2,
  rate: { shape: "poisson", value: "1000/s" },
  recordSize: { dist: "uniform", min: "100B", max: "900B" },
};

describe("determinism", () => {
  for (const granularity of ["batch", "record"] as const) {
    it(`the same scenario and seed give byte-identical report.json (${granularity})`, () => {
      const sc = scenarioOf({ duration: "2m", warmup: "10s", fidelity: { granularity }, stream: { shards: 3 }, producers: [web] });
      const a = reportJsonText(simulate(sc), provenance);
      const b = reportJsonText(simulate(sc), provenance);
      expect(a).toBe(b);
      const c = reportJsonText(simulate(sc, { seed: 2 }), provenance);
      expect(c).not.toBe(a);
    });
  }

  it("adding a second producer does not change the first producer's traffic or latency draws", () => {
    // 8 shards keep both producers below the limits, so neither is throttled and the first one's
    // outcome depends only on its own draws.
    const alone = simulate(scenarioOf({ duration: "2m", stream: { shards: 8 }, producers: [web] }));
    const together = simulate(scenarioOf({ duration: "2m", stream: { shards: 8 }, producers: [web, batch] }));
    const a = alone.producers[0]!;
    const b = together.producers[0]!;
    expect(together.producers[1]!.offered).toBeGreaterThan(0);
    expect(a.throttledAttempts + b.throttledAttempts).toBe(0);
    expect(b.offered).toBe(a.offered);
    expect(b.accepted).toBe(a.accepted);
    expect(b.requests).toBe(a.requests);
    expect(b.putLatency).toEqual(a.putLatency);
  });

  it("two scenarios differing only in shard count see the same offered traffic (common random numbers)", () => {
    const four = simulate(scenarioOf({ duration: "1m", stream: { shards: 4 }, producers: [web] }));
    const six = simulate(scenarioOf({ duration: "1m", stream: { shards: 6 }, producers: [web] }));
    expect(six.producers[0]!.offered).toBe(four.producers[0]!.offered);
  });
});
