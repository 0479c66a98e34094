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

  // From 64 shards with traffic a window's split over the shards is drawn another way (by Poisson fill, see
  // src/engine/multinomial.ts): the window's total is still drawn first, so the traffic is the same.
  // 10,000 records/s: about 1,000 a window, more than half the shards, so the fill is taken (not single draws only).
  const busy = { ...batch, rate: { shape: "poisson", value: "10000/s" } };
  it("the same offered traffic at 4, 200 and 300 shards, where the split is drawn by binomials and by Poisson fill", () => {
    const offered = [4, 200, 300].map((shards) => simulate(scenarioOf({ duration: "1m", stream: { shards }, producers: [busy] })).producers[0]!.offered);
    expect(new Set(offered).size).toBe(1);
    expect(offered[0]).toBeGreaterThan(590_000); // 10,000/s for a minute
  });

  it("the same scenario and seed give byte-identical report.json at 200 shards (the split by Poisson fill)", () => {
    const sc = scenarioOf({ duration: "1m", warmup: "10s", stream: { shards: 200 }, producers: [busy] });
    expect(reportJsonText(simulate(sc), provenance)).toBe(reportJsonText(simulate(sc), provenance));
  });
});
