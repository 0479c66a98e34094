// helper-54 (stop 37): a Spark job short of executor cores, its records under a minute old in a 5-minute run, was "held
// back by shard read bytes" (5.6% of its calls throttled): without the throttling its backlog was the same, with twice
// the cores it kept up. A backlog growing at about all the processors can do is processing's, whatever its age.
import { describe, expect, it } from "vitest";
import { judge } from "../../src/result/judge.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/** 4 shards, 2,000 records/s of 200 B, a Spark job processing each record in 0.6 ms on `cores` cores. */
const run = (cores: number, poll: Record<string, unknown> = {}) => {
  const r = simulateScenario(
    scenarioOf({
      seed: 7,
      duration: "5m",
      warmup: "1m",
      stream: { name: "s", shards: 4 },
      producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "200B" } }],
      consumers: [{ name: "job", kind: "spark", cores, processing: { perRecord: "0.6ms" }, poll }],
    }),
  );
  return { r, v: judge(r).consumers[0]! };
};

describe("a Spark job with 1 core for 1.2 core-seconds of work a second", () => {
  it("is held back by processing: it processes about the 1,667 records/s one core can (1 ÷ 0.6 ms), of 2,000", () => {
    const { v } = run(1);
    expect(v.bottleneck).toBe("processing");
    expect(v.processedPerSecond).toBeGreaterThan(0.9 * (1 / 0.0006));
    expect(v.processedPerSecond).toBeLessThan(1 / 0.0006 + 1);
  });

  it("the same without read throttling (maxRecords 1,000): processing again; with 2 cores it keeps up, no bottleneck", () => {
    expect(run(1, { maxRecords: 1000 }).v.bottleneck).toBe("processing");
    const two = run(2);
    expect(two.v.processedPerSecond).toBeGreaterThan(0.97 * 2000);
    expect(two.v.bottleneck).not.toBe("processing");
  });
});
