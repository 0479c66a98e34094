// A missed put-latency SLO names the requests' round trip or the throttled retries by the same percentile of the records
// accepted at their first attempt (never throttled): put latency as it would be without throttling. The old rule
// compared the throttled attempts with the share of puts above the percentile, and named throttling where the round
// trip set the percentile: 1.2% of attempts throttled, p99 1.98 s, and without throttling still 1.98 s.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/**
 * One shard (1,000 records/s; a 100 ms write burst, so a Poisson load throttles a little below the limit), four SDK
 * instances of 100 B records, and a round trip with a 20 ms median and the given p99. SLOs: p50 25 ms, p99 300 ms.
 */
const run = (rate: string, roundTripP99: string) => {
  const r = simulateScenario(
    scenarioOf({
      name: "put-latency",
      seed: 3,
      duration: "4m",
      warmup: "1m",
      stream: { name: "s", shards: 1, writeBurst: "100ms" },
      producers: [
        {
          name: "p",
          client: "sdk",
          instances: 4,
          rate: { shape: "poisson", value: rate },
          recordSize: { dist: "fixed", size: "100B" },
          linger: "50ms",
          latency: { dist: "lognormal", median: "20ms", p99: roundTripP99 },
          retry: { maxAttempts: 20, base: "1ms", cap: "5ms" },
        },
      ],
      slo: { putLatencyP50: "25ms", putLatencyP99: "300ms" },
    }),
  );
  const v = verdictOf(r);
  const slo = (name: string) => v.slos.find((s) => s.name === name)!;
  return { r, v, p50: slo("putLatencyP50"), p99: slo("putLatencyP99") };
};

describe("a missed put-latency SLO's cause", () => {
  it("a slow round trip with a little throttling: the round trip, which alone misses it", () => {
    const { v, p99 } = run("900/s", "1500ms");
    expect(v.putThrottledPercent).toBeGreaterThan(1); // the old rule's share: over the 1% above p99, so it named throttling
    expect(p99.met).toBe(false);
    expect(p99.cause).toMatchObject({ kind: "puts", setBy: "round trip" });
    expect(p99.why).toMatch(/^it is the requests' own round trip: the records accepted at their first attempt \(never throttled\) had p99 1\.\d+ s, over the target; 1\.\d\d% of put attempts were throttled and retried, which barely moves it$/);
    // Counterfactuals: without throttling (a lighter load) it is still missed; with a fast round trip it is met.
    const calm = run("500/s", "1500ms");
    expect(calm.v.putThrottledPercent).toBe(0);
    expect(calm.p99.met).toBe(false);
    expect(run("900/s", "60ms").p99.met).toBe(true);
  });

  it("a fast round trip with heavy throttling: the retries, without which it is met", () => {
    const { v, p50, p99 } = run("1050/s", "60ms");
    expect(v.putThrottledPercent).toBeGreaterThan(50);
    for (const slo of [p50, p99]) {
      expect(slo.met).toBe(false);
      expect(slo.cause).toMatchObject({ kind: "puts", setBy: "retries" });
    }
    expect(p99.why).toMatch(/^\d\d\.\d\d% of put attempts were throttled and retried after a backoff: the records accepted at their first attempt \(never throttled\) had p99 \d\d\.\d ms, within the target$/);
    // Counterfactuals: below the shard's limit, both are met.
    const calm = run("500/s", "60ms");
    expect(calm.p50.met && calm.p99.met).toBe(true);
  });

  it("both slow: the round trip alone misses it, and the sentence says how far the retries take it", () => {
    const { r, p99 } = run("1050/s", "1500ms");
    expect(p99.cause).toMatchObject({ kind: "puts", setBy: "round trip" });
    // The retries more than double it: neither lever alone meets the target.
    expect(r.putLatency.p99).toBeGreaterThan(2 * r.putLatencyFirstTry.p99);
    expect(p99.why).toMatch(/, over the target; the \d\d\.\d\d% of put attempts were throttled and retried after a backoff take it to \d\.\d+ s$/);
    expect(run("1050/s", "60ms").p99.met).toBe(false);
    expect(run("500/s", "1500ms").p99.met).toBe(false);
  });

  it("the first-try latency counts only records never throttled: with no throttling it is the whole put latency", () => {
    const { r, v } = run("500/s", "1500ms");
    expect(v.putThrottledPercent).toBe(0);
    expect(r.putLatencyFirstTry).toEqual(r.putLatency);
  });
});
