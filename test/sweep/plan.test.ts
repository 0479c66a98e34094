// A sweep's plan: the cross product of the --vary values (first slowest), replications with common random
// numbers, and the validated scenario of each configuration.

import { describe, expect, it } from "vitest";
import { configScenario, MAX_RUNS, planSweep, replicationSeed } from "../../src/sweep/plan.js";
import { parseVary, SweepError } from "../../src/sweep/vary.js";

const shards = parseVary("stream.shards=2,4");
const workers = parseVary("consumers.analytics.workers=1,2,3");

describe("planSweep", () => {
  it("2 shard counts × 3 worker counts are 6 configurations, the first --vary changing slowest", () => {
    const plan = planSweep(7, [shards, workers], 1);
    expect(plan.configs.map((c) => c.values)).toEqual([
      [2, 1],
      [2, 2],
      [2, 3],
      [4, 1],
      [4, 2],
      [4, 3],
    ]);
    expect(plan.configs.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("labels read path=value for each --vary, in --vary order", () => {
    const plan = planSweep(7, [shards, workers], 1);
    expect(plan.configs[0]!.label).toBe("stream.shards=2, consumers.analytics.workers=1");
    expect(plan.configs[5]!.label).toBe("stream.shards=4, consumers.analytics.workers=3");
  });

  it('with no --vary there is one configuration, labelled "as written"', () => {
    const plan = planSweep(7, [], 3);
    expect(plan.configs).toEqual([{ index: 0, values: [], label: "as written" }]);
    expect(plan.tasks).toHaveLength(3);
  });

  it("6 configurations × 4 replications are 24 tasks, numbered 0..23, configuration by configuration", () => {
    const plan = planSweep(7, [shards, workers], 4);
    expect(plan.tasks).toHaveLength(24);
    expect(plan.tasks.map((t) => t.index)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(plan.tasks.slice(0, 5).map((t) => [t.config, t.replication])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 0],
    ]);
    expect(plan.tasks[23]).toMatchObject({ config: 5, replication: 3 });
  });

  it("every configuration runs replication r with the same seed (common random numbers), and replication 0 with the scenario's seed", () => {
    const plan = planSweep(42, [shards, workers], 5);
    const seedsOf = (config: number) => plan.tasks.filter((t) => t.config === config).map((t) => t.seed);
    const first = seedsOf(0);
    expect(first[0]).toBe(42);
    for (let c = 1; c < plan.configs.length; c++) expect(seedsOf(c)).toEqual(first);
    expect(first).toEqual([0, 1, 2, 3, 4].map((r) => replicationSeed(42, r)));
  });

  it("records the plan's varies, replications and base seed", () => {
    const plan = planSweep(9, [shards], 2);
    expect(plan.varies).toEqual([{ path: "stream.shards", values: [2, 4] }]);
    expect(plan.replications).toBe(2);
    expect(plan.baseSeed).toBe(9);
  });

  it("the same field given twice is rejected, however the path is written", () => {
    expect(() => planSweep(1, [parseVary("stream.shards=2"), parseVary("stream.shards=4")], 1)).toThrow(new SweepError("--vary stream.shards is given twice"));
    expect(() => planSweep(1, [parseVary("producers[0].instances=2"), parseVary("producers.0.instances=4")], 1)).toThrow(
      new SweepError("--vary producers.0.instances is given twice"),
    );
  });

  it.each([0, 1001, 2.5])("--replications %s is refused (a whole number from 1 to 1000)", (r) => {
    expect(() => planSweep(1, [shards], r)).toThrow(new SweepError(`--replications must be a whole number from 1 to 1000, got ${r}`));
  });

  it(`1,000 configurations × 100 replications (${MAX_RUNS} runs) is allowed; 1,001 × 100 is not`, () => {
    expect(planSweep(1, [parseVary("x=1..1000")], 100).tasks).toHaveLength(100_000);
    expect(() => planSweep(1, [parseVary("x=1..1001")], 100)).toThrow(
      new SweepError("the sweep has 1001 configurations × 100 replications = 100100 runs; at most 100000"),
    );
  });

  it("10,000 × 10,000 × 10,000 values are refused by their count at once, not by running out of memory building them", () => {
    const big = ["a", "b", "c"].map((p) => parseVary(`${p}=1..10000`));
    const started = performance.now();
    expect(() => planSweep(1, big, 1)).toThrow(
      new SweepError("the sweep has 1000000000000 configurations × 1 replications = 1000000000000 runs; at most 100000"),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("replicationSeed", () => {
  it("replicationSeed(seed, 0) is the seed itself, so replication 0 is what `shardcast run` simulates", () => {
    for (const seed of [0, 1, 42, 2 ** 31 - 1]) expect(replicationSeed(seed, 0)).toBe(seed);
  });

  it("replications 1..20 of seed 42 get 20 different seeds, none equal to 42, each a valid scenario seed (0 ≤ s < 2^31)", () => {
    const seeds = Array.from({ length: 20 }, (_, i) => replicationSeed(42, i + 1));
    expect(new Set([42, ...seeds]).size).toBe(21);
    for (const s of seeds) {
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(2 ** 31);
    }
  });

  it("depends on the base seed: replication 1 of seed 42 differs from replication 1 of seed 43", () => {
    expect(replicationSeed(42, 1)).not.toBe(replicationSeed(43, 1));
  });

  it("is a pure function: the same (seed, r) gives the same seed every time", () => {
    expect(replicationSeed(42, 3)).toBe(replicationSeed(42, 3));
  });
});

describe("configScenario", () => {
  const data = {
    name: "plan-test",
    duration: "2m",
    stream: { shards: 4 },
    producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    consumers: [{ name: "analytics", kind: "kcl", workers: 1 }],
  };

  it("applies every varied value of the configuration and validates the result (5m becomes 300,000,000 µs)", () => {
    const varies = [parseVary("stream.shards=8"), parseVary("duration=5m"), parseVary("consumers.analytics.workers=3")];
    const plan = planSweep(1, varies, 1);
    const s = configScenario(data, varies, plan.configs[0]!);
    expect(s.stream!.shards).toBe(8);
    expect(s.duration).toBe(5 * 60 * 1_000_000);
    expect(s.consumers[0]).toMatchObject({ workers: 3 });
    expect(data.stream.shards).toBe(4);
  });

  it("refuses to vary the stream of a scenario that has none (Direct PUT only) instead of adding one", () => {
    const direct = {
      name: "direct",
      duration: "2m",
      producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "logs" }],
      firehose: [{ name: "logs", source: "direct-put" }],
    };
    const varies = [parseVary("stream.shards=1,2")];
    const plan = planSweep(1, varies, 1);
    expect(() => configScenario(direct, varies, plan.configs[0]!)).toThrow(new SweepError("--vary stream.shards: the scenario has no stream (every producer writes to Firehose with Direct PUT)"));
    const buffer = [parseVary("firehose.logs.buffer.size=1MiB,2MiB")];
    expect(configScenario(direct, buffer, planSweep(1, buffer, 1).configs[1]!).firehose[0]!.buffer.size).toBe(2 * 1_048_576);
  });

  it("names the configuration and the field when a value is invalid (stream.shards=20000 is over the 10,000 limit)", () => {
    const varies = [parseVary("stream.shards=4,20000")];
    const plan = planSweep(1, varies, 1);
    expect(configScenario(data, varies, plan.configs[0]!).stream!.shards).toBe(4);
    let message = "";
    try {
      configScenario(data, varies, plan.configs[1]!);
    } catch (e) {
      expect(e).toBeInstanceOf(SweepError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^configuration stream\.shards=20000: stream\.shards: /);
    expect(message).toContain("10000");
  });

  it("a unit string of the wrong kind names the configuration too (duration=fast)", () => {
    const varies = [parseVary("duration=fast")];
    const plan = planSweep(1, varies, 1);
    expect(() => configScenario(data, varies, plan.configs[0]!)).toThrow(/^configuration duration=fast: duration: /);
  });
});
