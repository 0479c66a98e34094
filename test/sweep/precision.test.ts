// --precision: replications are added one round at a time to each configuration whose SLO metrics' half-width is
// over `halfWidth` × max(mean, target), until none is or they reach the cap. First with hand-made run values (no
// simulation), so the stopping points follow from the bounds' arithmetic; then with real runs of the small
// fixture: a configuration that stops at n replications has the numbers a fixed sweep of n replications gives.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allowedHalfWidth, configsToReplicate, precisionMet } from "../../src/sweep/precision.js";
import { replicationSeed } from "../../src/sweep/plan.js";
import { estimate, halfWidth } from "../../src/sweep/stats.js";
import type { RunSummary } from "../../src/sweep/summary.js";
import { runTask } from "../../src/sweep/summary.js";
import { prepareSweep, runSweep, sweepOutputs, type TaskRunner } from "../../src/sweep/sweep.js";
import { SweepError } from "../../src/sweep/vary.js";

const root = join(import.meta.dirname, "..", "..");
const FIXTURE = "test/fixtures/sweep/small-step.yaml";
const text = readFileSync(join(root, FIXTURE), "utf8");
const SLOS = [
  { name: "writeThrottledPercent", metric: "writeThrottledPercent", label: "put attempts throttled", unit: "%" as const, target: 0.1 },
  { name: "endToEndP99", metric: "endToEndP99Ms", label: "end-to-end latency p99", unit: "ms" as const, target: 5_000 },
];

describe("the precision rule", () => {
  const rule = { halfWidth: 0.05, maxReplications: 10 };

  it("allows a half-width of 5% of the mean, or of the target when that is larger", () => {
    expect(allowedHalfWidth(estimate([50, 60, 55], 0.95, "percent"), 0.1, rule)).toBeCloseTo(2.75, 12);
    expect(allowedHalfWidth(estimate([1000, 1100], 0.95, "positive"), 5_000, rule)).toBe(250);
  });

  it("[50, 60, 55] % (half-width 8.31) is not precise enough; six replications (2.60 ≤ 2.75) are", () => {
    const three = estimate([50, 60, 55], 0.95, "percent");
    expect(halfWidth(three)).toBeCloseTo(8.312, 3);
    const six = estimate([50, 60, 55, 55, 55, 55], 0.95, "percent");
    expect(halfWidth(six)).toBeCloseTo(2.598, 3);
    const flat = estimate([1000, 1000, 1000], 0.95, "positive");
    expect(precisionMet({ writeThrottledPercent: three, endToEndP99Ms: flat }, SLOS, rule)).toBe(false);
    expect(precisionMet({ writeThrottledPercent: six, endToEndP99Ms: flat }, SLOS, rule)).toBe(true);
  });

  it("one replication is never precise (no interval); all-equal replications always are", () => {
    expect(precisionMet({ writeThrottledPercent: estimate([0], 0.95, "percent"), endToEndP99Ms: estimate([1], 0.95, "positive") }, SLOS, rule)).toBe(false);
    expect(precisionMet({ writeThrottledPercent: estimate([0, 0], 0.95, "percent"), endToEndP99Ms: estimate([1, 1], 0.95, "positive") }, SLOS, rule)).toBe(true);
  });

  it("configurations not precise enough get another replication until the cap", () => {
    expect(
      configsToReplicate(
        [
          { index: 0, replications: 3, precisionMet: false },
          { index: 1, replications: 3, precisionMet: true },
          { index: 2, replications: 10, precisionMet: false },
        ],
        rule,
      ),
    ).toEqual([0]);
  });
});

describe("runSweep with --precision (hand-made run values)", () => {
  // stream.shards=2,3,4. Throttled % of replication r: shards=2 50, 60, then 55 for ever; shards=3 and 4 0.
  // End-to-end p99: 1,000 ms, except shards=4, which alternates 1,000 and 3,000 ms and never settles to ±5%.
  const throttled = (config: number, r: number) => (config === 0 ? ([50, 60][r] ?? 55) : 0);
  const p99 = (config: number, r: number) => (config === 2 ? (r % 2 ? 3000 : 1000) : 1000);
  const calls: [number, number][][] = [];
  const runner: TaskRunner = async (inputs) => {
    calls.push(inputs.map((i) => [i.task.config, i.task.replication]));
    return inputs.map(
      (i): RunSummary => ({
        task: i.task.index,
        config: i.task.config,
        replication: i.task.replication,
        seed: i.task.seed,
        metrics: { writeThrottledPercent: throttled(i.task.config, i.task.replication), endToEndP99Ms: p99(i.task.config, i.task.replication), monthlyCostUsd: 100 + i.task.config },
        slos: [],
        reasons: [],
        events: 0,
      }),
    );
  };
  const precision = { halfWidth: 0.05, maxReplications: 10 };
  const done = (async () => {
    const p = prepareSweep(text, FIXTURE, "0".repeat(64), ["stream.shards=2,3,4"], 3, undefined, precision);
    return runSweep(p, runner, 0.95, precision);
  })();

  it("starts with 3 replications of each, then adds one per round to the configurations not yet precise", async () => {
    await done;
    expect(calls[0]).toEqual([0, 1, 2].flatMap((c) => [0, 1, 2].map((r) => [c, r])));
    // Rounds: shards=2 and 4 get replications 3, 4, 5; then shards=2 is precise at 6 and shards=4 goes on to 10.
    expect(calls.slice(1)).toEqual([
      [
        [0, 3],
        [2, 3],
      ],
      [
        [0, 4],
        [2, 4],
      ],
      [
        [0, 5],
        [2, 5],
      ],
      [[2, 6]],
      [[2, 7]],
      [[2, 8]],
      [[2, 9]],
    ]);
  });

  it("stops each configuration when its half-width is met (shards=2 at 6, shards=3 at the start) or at the cap (shards=4 at 10)", async () => {
    const { prepared, summaries } = await done;
    const { result } = sweepOutputs(prepared, summaries, 0.95, precision);
    expect(result.configs.map((c) => [c.replications, c.precisionMet])).toEqual([
      [6, true],
      [3, true],
      [10, false],
    ]);
    const e = result.configs[0]!.metrics.writeThrottledPercent!;
    expect(halfWidth(e)).toBeLessThanOrEqual(0.05 * e.mean);
  });

  it("replication r runs with seed r's, whatever the round that added it", async () => {
    const { prepared } = await done;
    for (const t of prepared.plan.tasks) expect(t.seed).toBe(replicationSeed(11, t.replication));
    expect(prepared.plan.tasks.map((t) => t.index)).toEqual(prepared.plan.tasks.map((_, i) => i));
  });

  it("sweep.json and sweep.md say how many replications each configuration ran and whether it reached the precision", async () => {
    const { prepared, summaries } = await done;
    const { files } = sweepOutputs(prepared, summaries, 0.95, precision);
    const json = JSON.parse(files["sweep.json"]) as { replications: number; replicationSeeds: number[]; precision: unknown; configs: { replications: number; precisionMet: boolean }[] };
    expect(json.precision).toEqual({ halfWidth: 0.05, maxReplications: 10, startReplications: 3 });
    expect(json.replications).toBe(10);
    expect(json.replicationSeeds).toHaveLength(10);
    expect(json.configs.map((c) => [c.replications, c.precisionMet])).toEqual([
      [6, true],
      [3, true],
      [10, false],
    ]);
    expect(files["sweep.md"]).toContain("3 configuration(s) × 3 to 10 replication(s) (--precision: replications added one at a time until every SLO metric's half-width is within 5% of the larger of its mean and its target, or the configuration has 10)");
    expect(files["sweep.md"]).toContain("| stream.shards=4, 10 replications (precision not reached) |");
  });
});

describe("--precision on real runs of the fixture", () => {
  const here: TaskRunner = async (inputs) => inputs.map(runTask);
  const precision = { halfWidth: 0.002, maxReplications: 6 };

  it("each configuration ends with the numbers a fixed sweep of as many replications gives it", async () => {
    const p = prepareSweep(text, FIXTURE, "0".repeat(64), ["stream.shards=2,3"], 2, undefined, precision);
    const { prepared, summaries } = await runSweep(p, here, 0.95, precision);
    const precise = sweepOutputs(prepared, summaries, 0.95, precision).result;
    const counts = precise.configs.map((c) => c.replications);
    // The 2-shard configuration throttles about half its attempts and needs more replications than the 3-shard one.
    expect(counts[0]).toBeGreaterThan(counts[1]!);
    for (const c of precise.configs) {
      const fixed = prepareSweep(text, FIXTURE, "0".repeat(64), [`stream.shards=${c.values[0]}`], c.replications);
      const { summaries: s } = await runSweep(fixed, here, 0.95);
      const f = sweepOutputs(fixed, s, 0.95).result.configs[0]!;
      expect(f.metrics).toEqual(c.metrics);
    }
  }, 120_000);

  it("asks for at least 2 replications to start from, a cap not under them, and SLOs to be precise about", () => {
    expect(() => prepareSweep(text, FIXTURE, "0".repeat(64), ["stream.shards=2,3"], 1, undefined, precision)).toThrow(SweepError);
    expect(() => prepareSweep(text, FIXTURE, "0".repeat(64), ["stream.shards=2,3"], 8, undefined, precision)).toThrow("--max-replications (6) is below --replications (8)");
    const noSlo = text.replace(/slo:[\s\S]*$/, "");
    expect(() => prepareSweep(noSlo, FIXTURE, "0".repeat(64), ["stream.shards=2,3"], 3, undefined, precision)).toThrow("the scenario states no SLOs");
  });
});
