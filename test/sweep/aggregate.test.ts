// From hand-made run summaries (no simulation) to a sweep result: SLO verdicts at the one-sided upper confidence
// bound, the recommendation (cheapest configuration meeting every SLO), and why every failing configuration fails.

import { describe, expect, it } from "vitest";
import { aggregate, sloTargets } from "../../src/sweep/aggregate.js";
import { planSweep } from "../../src/sweep/plan.js";
import { tQuantile } from "../../src/sweep/stats.js";
import { CONSUMER_METRICS, COST_METRIC, metricsFor, WRITE_METRICS, type RunSummary } from "../../src/sweep/summary.js";
import { parseVary } from "../../src/sweep/vary.js";
import { ScenarioSchema, type Scenario } from "../../src/spec/index.js";

// One-sided t(0.95, 2) from a printed t-table: 3 replications at 95%.
const T2 = 2.92;

/** The upper Wilson-type bound of a percentage's mean (stats.ts), written out: the larger root of (p − π)² = a·π(1 − π). */
function percentUpper(values: number[], t: number): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const se = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) / n);
  const p = mean / 100;
  const a = (t * t * (se / 100) ** 2) / (p * (1 - p));
  return (100 * (2 * p + a + Math.sqrt(a * a + 4 * a * p * (1 - p)))) / (2 * (1 + a));
}

function scenario(shards: number, slo: Record<string, unknown>, consumers: unknown[] = []): Scenario {
  return ScenarioSchema.parse({
    name: "aggregate-test",
    duration: "2m",
    stream: { shards },
    producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    consumers,
    slo,
  });
}

interface Rep {
  throttled: number;
  cost: number;
  /** A reason, its own kind; or a reason and its kind. */
  reasons?: (string | { reason: string; kind: string })[];
}

/** 3 configurations (stream.shards=2,3,4) × 3 replications, each replication's metrics given by hand. */
function sweep(perConfig: Rep[][], slo: Record<string, unknown>, confidence = 0.95) {
  const plan = planSweep(1, [parseVary("stream.shards=2,3,4")], 3);
  const scenarios = [2, 3, 4].map((n) => scenario(n, slo));
  const summaries: RunSummary[] = plan.tasks.map((t) => {
    const rep = perConfig[t.config]![t.replication]!;
    return {
      task: t.index,
      config: t.config,
      replication: t.replication,
      seed: t.seed,
      metrics: { writeThrottledPercent: rep.throttled, monthlyCostUsd: rep.cost },
      slos: [],
      reasons: (rep.reasons ?? []).map((x) => ({ slo: "writeThrottledPercent", ...(typeof x === "string" ? { reason: x, kind: x } : x) })),
      events: 0,
    };
  });
  return aggregate(plan, scenarios, summaries, confidence);
}

const reps = (throttled: number[], cost: number, reasons: NonNullable<Rep["reasons"]>[] = []): Rep[] => throttled.map((x, i) => ({ throttled: x, cost, reasons: reasons[i] ?? [] }));

describe("SLO verdicts", () => {
  const result = sweep(
    [
      // Mean 0.09 is under the 0.1 target, but sd 0.04 puts the upper bound at 0.09 + 4.303·0.04/√3 = 0.18937.
      reps([0.05, 0.09, 0.13], 100),
      reps([0.02, 0.02, 0.02], 150),
      // Every replication exactly at the target.
      reps([0.1, 0.1, 0.1], 120),
    ],
    { writeThrottledPercent: 0.1 },
  );

  it("a configuration whose mean is under the target but whose upper bound is over it does not meet the SLO", () => {
    const c = result.configs[0]!;
    expect(c.metrics.writeThrottledPercent!.mean).toBeCloseTo(0.09, 12);
    expect(c.metrics.writeThrottledPercent!.sd).toBeCloseTo(0.04, 12);
    expect(c.slos).toHaveLength(1);
    expect(c.slos[0]!.name).toBe("writeThrottledPercent");
    // Wilson-type: 0.1872%, above the plain t bound 0.09 + 2.920·0.04/√3 = 0.1574% (the mean is near 0).
    expect(c.slos[0]!.upperBound).toBeCloseTo(percentUpper([0.05, 0.09, 0.13], tQuantile(0.95, 3)), 10);
    expect(c.slos[0]!.upperBound).toBeCloseTo(0.1872, 4);
    expect(c.slos[0]!.upperBound).toBeGreaterThan(0.09 + (T2 * 0.04) / Math.sqrt(3));
    expect(c.slos[0]!.met).toBe(false);
    expect(c.meetsAll).toBe(false);
  });

  it("that configuration says why: the mean met the SLO, the bound missed it, add replications", () => {
    expect(result.configs[0]!.reasons).toEqual([
      { reason: "put attempts throttled: the mean 0.09% meets the SLO (≤ 0.1%), the 95% upper bound 0.187% does not: add replications" },
    ]);
  });

  it("a configuration whose upper bound is within the target meets it", () => {
    expect(result.configs[1]!.slos[0]).toEqual({ name: "writeThrottledPercent", met: true, upperBound: 0.02 });
    expect(result.configs[1]!.meetsAll).toBe(true);
  });

  it("three replications exactly at the target (0.1, 0.1, 0.1 against 0.1) meet it", () => {
    expect(result.configs[2]!.slos[0]).toEqual({ name: "writeThrottledPercent", met: true, upperBound: 0.1 });
  });

  it("the cheaper of the two passing configurations is recommended, not the cheapest overall (which fails)", () => {
    expect(result.recommended).toBe(2);
    expect(result.recommendation).toBe("stream.shards=4: the cheapest of the 2 configuration(s) that meet every SLO at 95% confidence ($120.00 per month at its runs' rates after warmup, as if they held all month).");
  });

  it("with one replication the upper bound is the value itself", () => {
    const plan = planSweep(1, [parseVary("stream.shards=2")], 1);
    const one = aggregate(plan, [scenario(2, { writeThrottledPercent: 0.1 })], [{ task: 0, config: 0, replication: 0, seed: 1, metrics: { writeThrottledPercent: 0.09, monthlyCostUsd: 1 }, slos: [], reasons: [], events: 0 }], 0.95);
    expect(one.configs[0]!.metrics.writeThrottledPercent!.ci).toBeNull();
    expect(one.configs[0]!.slos[0]).toEqual({ name: "writeThrottledPercent", met: true, upperBound: 0.09 });
    // No interval, so no confidence is claimed (helper-51: a 1-replication sweep's "at 95% confidence" recommendation
    // failed at 8 replications).
    expect(one.recommendation).toBe("stream.shards=2: the cheapest of the 1 configuration(s) that meet every SLO, each in its single run (1 replication: no confidence bound; add --replications for one) ($1.00 per month at its runs' rates after warmup, as if they held all month).");
    expect(one.recommendation).not.toContain("confidence (");
  });

  it("a lower confidence lowers the upper bound: at 80% the [0.05, 0.09, 0.13] configuration's is the Wilson-type bound with t(0.80, 2) = 1.061", () => {
    const r80 = sweep([reps([0.05, 0.09, 0.13], 100), reps([0.02, 0.02, 0.02], 150), reps([0.1, 0.1, 0.1], 120)], { writeThrottledPercent: 0.1 }, 0.8);
    expect(Math.abs(tQuantile(0.8, 3) - 1.061)).toBeLessThan(0.0005);
    expect(r80.configs[0]!.slos[0]!.upperBound).toBeCloseTo(percentUpper([0.05, 0.09, 0.13], tQuantile(0.8, 3)), 10);
    expect(r80.configs[0]!.slos[0]!.upperBound).toBeLessThan(result.configs[0]!.slos[0]!.upperBound);
    expect(r80.recommendation).toContain("at 80% confidence");
  });
});

describe("the recommendation", () => {
  const slo = { writeThrottledPercent: 1 };

  it("is the cheapest configuration that meets every SLO by mean monthly cost", () => {
    const r = sweep([reps([0, 0, 0], 300), reps([0, 0, 0], 200), reps([0, 0, 0], 250)], slo);
    expect(r.recommended).toBe(1);
    expect(r.recommendation).toBe("stream.shards=3: the cheapest of the 3 configuration(s) that meet every SLO at 95% confidence ($200.00 per month at its runs' rates after warmup, as if they held all month).");
  });

  it("compares mean costs over replications ($190, $210, $200 averages $200, cheaper than a flat $201)", () => {
    const r = sweep(
      [
        [
          { throttled: 0, cost: 190 },
          { throttled: 0, cost: 210 },
          { throttled: 0, cost: 200 },
        ],
        reps([0, 0, 0], 201),
        reps([0, 0, 0], 500),
      ],
      slo,
    );
    expect(r.configs[0]!.metrics.monthlyCostUsd!.mean).toBe(200);
    expect(r.recommended).toBe(0);
  });

  it("on a tie in cost, takes the configuration listed first", () => {
    const r = sweep([reps([0, 0, 0], 300), reps([0, 0, 0], 200), reps([0, 0, 0], 200)], slo);
    expect(r.recommended).toBe(1);
  });

  it("skips a cheaper configuration that misses an SLO", () => {
    const r = sweep([reps([5, 6, 7], 100), reps([0, 0, 0], 200), reps([0, 0, 0], 250)], slo);
    expect(r.configs[0]!.meetsAll).toBe(false);
    expect(r.recommended).toBe(1);
    expect(r.recommendation).toContain("the cheapest of the 2 configuration(s)");
  });

  it("is null when the scenario states no SLOs, and the text says to add an `slo:` section", () => {
    const r = sweep([reps([5, 6, 7], 100), reps([0, 0, 0], 200), reps([0, 0, 0], 250)], {});
    expect(r.slos).toEqual([]);
    expect(r.recommended).toBeNull();
    expect(r.recommendation).toBe("The scenario states no SLOs, so there is nothing to recommend against: add an `slo:` section.");
  });

  it("is null when no configuration passes, and the text names the three most frequent kinds of reason, most frequent first", () => {
    // Each placement of the keys makes another shard hot with another share: one kind (RunReason.kind).
    const hotKind = "a hot shard at the shard write records limit";
    const hotShards = [
      { reason: "hot shard: shardId-000000000001 gets 40.0% of the records (shard write records limit)", kind: hotKind },
      { reason: "hot shard: shardId-000000000000 gets 35.2% of the records (shard write records limit)", kind: hotKind },
    ];
    let placement = 0;
    const hot = () => hotShards[placement++ % 2]!;
    const capacity = { reason: "write capacity: shard write bytes on 2 of 2 shards", kind: "write capacity: shard write bytes" };
    const latency = "put latency (no throttling)";
    const lease = "consumer analytics: lease table";
    const r = sweep(
      [
        // capacity ×3 + hot ×1, latency ×1 (lease: 0)
        reps([5, 6, 7], 100, [[capacity], [capacity, hot()], [capacity, latency]]),
        // hot ×3, lease ×1
        reps([3, 3, 4], 150, [[hot()], [hot(), lease], [hot()]]),
        // capacity ×1, hot ×1, latency ×1 → in all: hot 5, capacity 4, latency 2, lease 1
        reps([2, 2, 2], 200, [[capacity, hot()], [latency], []]),
      ],
      slo,
    );
    expect(r.recommended).toBeNull();
    // By kind (the hot shard's id and share, and how many shards ran short, left out), in runs of the 9.
    expect(r.recommendation).toBe(
      "No configuration meets every SLO at 95% confidence. What binds: a hot shard at the shard write records limit (in 5 of the 9 runs); write capacity: shard write bytes (in 4 of the 9 runs); put latency (no throttling) (in 2 of the 9 runs).",
    );
    expect(r.recommendation).not.toContain(lease);
    // Each configuration's own reasons stay as the runs gave them, with their kind.
    expect(r.configs[1]!.reasons).toEqual([
      { reason: hotShards[1]!.reason, kind: hotKind, replications: 2 },
      { reason: lease, kind: lease, replications: 1 },
      { reason: hotShards[0]!.reason, kind: hotKind, replications: 1 },
    ]);
  });

  it("with no reasons recorded, the text says only that no configuration passes", () => {
    const r = sweep([reps([5, 6, 7], 100), reps([5, 6, 7], 100), reps([5, 6, 7], 100)], slo);
    expect(r.recommendation).toBe("No configuration meets every SLO at 95% confidence.");
  });

  it("when the only failures are bounds over means that meet the target, the text says which configurations to replicate more", () => {
    const r = sweep([reps([5, 6, 7], 100, [["capacity"], ["capacity"], ["capacity"]]), reps([0.5, 0.9, 1.3], 150), reps([0, 0.1, 1.1], 200, [[], [], ["burst"]])], slo);
    expect(r.recommended).toBeNull();
    expect(r.recommendation).toBe(
      "No configuration meets every SLO at 95% confidence. What binds: capacity (in 3 of the 9 runs); burst (in 1 of the 9 runs). The means of stream.shards=3; stream.shards=4 meet every SLO but their 95% upper bounds do not: add replications.",
    );
  });
});

describe("reasons per configuration", () => {
  it("counts in how many replications each reason appeared, most frequent first, ties by name", () => {
    const r = sweep(
      [
        reps([5, 6, 7], 100, [["b", "a"], ["a", "c"], ["c", "a", "b"]]),
        reps([0, 0, 0], 150),
        reps([0, 0, 0], 200),
      ],
      { writeThrottledPercent: 1 },
    );
    expect(r.configs[0]!.reasons).toEqual([
      { reason: "a", kind: "a", replications: 3 },
      { reason: "b", kind: "b", replications: 2 },
      { reason: "c", kind: "c", replications: 2 },
    ]);
    expect(r.configs[1]!.reasons).toEqual([]);
  });

  it("every failing configuration says why: a mean over the target that no run explained gets its mean against the target", () => {
    const r = sweep([reps([5, 6, 7], 100), reps([0, 0, 0], 150), reps([0, 0, 0], 200)], { writeThrottledPercent: 1 });
    expect(r.configs[0]!.meetsAll).toBe(false);
    expect(r.configs[0]!.reasons).toEqual([{ reason: "put attempts throttled: 6% on average, over the SLO's 1%" }]);
  });

  it("a configuration that meets every SLO carries no reasons, though a replication missed one (within the bound)", () => {
    // [0, 0, 0.02] against 1%: the third replication missed nothing here, but say it had recorded a reason.
    const r = sweep([reps([0, 0, 0.02], 100, [[], [], ["a hot moment"]]), reps([0, 0, 0], 150), reps([0, 0, 0], 200)], { writeThrottledPercent: 1 });
    expect(r.configs[0]!.meetsAll).toBe(true);
    expect(r.configs[0]!.reasons).toEqual([]);
  });

  it("the runs' reasons count only for the SLOs the configuration misses", () => {
    const plan = planSweep(1, [parseVary("stream.shards=2")], 2);
    const s = scenario(2, { writeThrottledPercent: 1, putLatencyP99: "500ms" });
    const run = (replication: number, throttled: number, p99: number): RunSummary => ({
      task: replication,
      config: 0,
      replication,
      seed: 1,
      metrics: { writeThrottledPercent: throttled, putLatencyP99Ms: p99, monthlyCostUsd: 1 },
      slos: [],
      reasons: [
        { slo: "writeThrottledPercent", reason: "hot shard", kind: "hot shard" },
        { slo: "putLatencyP99", reason: "put latency (no throttling)", kind: "put latency (no throttling)" },
      ],
      events: 0,
    });
    const r = aggregate(plan, [s], [run(0, 5, 100), run(1, 5, 100)], 0.95);
    expect(r.configs[0]!.slos.map((x) => [x.name, x.met])).toEqual([
      ["writeThrottledPercent", false],
      ["putLatencyP99", true],
    ]);
    expect(r.configs[0]!.reasons).toEqual([{ reason: "hot shard", kind: "hot shard", replications: 2 }]);
  });
});

describe("sloTargets", () => {
  it("converts duration SLOs from µs to the metrics' ms (endToEndP99 5s → 5000) and keeps percentages", () => {
    const s = scenario(2, { writeThrottledPercent: 0.1, endToEndP99: "5s", putLatencyP99: "250ms" }, [{ name: "analytics", kind: "kcl" }]);
    expect(sloTargets(s.slo, metricsFor(true))).toEqual([
      { name: "writeThrottledPercent", metric: "writeThrottledPercent", label: "put attempts throttled", unit: "%", target: 0.1 },
      { name: "putLatencyP99", metric: "putLatencyP99Ms", label: "put latency p99", unit: "ms", target: 250 },
      { name: "endToEndP99", metric: "endToEndP99Ms", label: "end-to-end latency p99 (worst consumer)", unit: "ms", target: 5_000 },
    ]);
  });

  it("a scenario without consumers gets the write metrics and the cost, not the consumer metrics", () => {
    expect(metricsFor(false)).toEqual([...WRITE_METRICS, COST_METRIC]);
    expect(metricsFor(true)).toEqual([...WRITE_METRICS, ...CONSUMER_METRICS, COST_METRIC]);
  });
});

describe("the AWS formula per configuration", () => {
  it("each configuration carries the formula for its own scenario (1,000 records/s of 1 KiB: 1,000 KiB/s → 1 shard)", () => {
    const r = sweep([reps([0, 0, 0], 1), reps([0, 0, 0], 1), reps([0, 0, 0], 1)], {});
    for (const c of r.configs) {
      expect(c.awsFormula.writeKiBPerSecond).toBe(1000);
      expect(c.awsFormula.shards).toBe(1);
    }
  });
});
