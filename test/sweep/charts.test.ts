// Sweep charts from the committed clickstream-sizing sweep: valid Vega-Lite, one point per configuration with
// its mean and confidence interval, the SLO and the recommendation as rules.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts/render.js";
import { numericAxis, sweepCharts } from "../../src/sweep/charts.js";
import { aggregate } from "../../src/sweep/aggregate.js";
import { planSweep } from "../../src/sweep/plan.js";
import { sweepJsonText } from "../../src/sweep/report.js";
import type { RunSummary } from "../../src/sweep/summary.js";
import { parseVary } from "../../src/sweep/vary.js";
import { ScenarioSchema } from "../../src/spec/index.js";

const root = join(import.meta.dirname, "..", "..");
const sweep = JSON.parse(readFileSync(join(root, "reports/clickstream-sizing/sweep/sweep.json"), "utf8")) as Parameters<typeof sweepCharts>[0];

type Row = Record<string, unknown>;
function datasets(spec: unknown): Row[][] {
  const out: Row[][] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { data?: { values?: Row[] }; layer?: unknown[] };
    if (n.data?.values) out.push(n.data.values);
    for (const child of n.layer ?? []) visit(child);
  };
  visit(spec);
  return out;
}

describe("sweepCharts on clickstream-sizing (stream.shards = 4..24:4, 3 replications)", () => {
  const charts = sweepCharts(sweep);

  it("draws each SLO metric and the monthly cost against stream.shards", () => {
    expect(charts.map((c) => c.name)).toEqual(["sweep-write-throttled-percent", "sweep-records-lost-percent", "sweep-end-to-end-p99-ms", "sweep-monthly-cost-usd"]);
  });

  it("every spec validates against vega-lite-schema.json and renders to SVG", async () => {
    const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false, inlineRefs: false, code: { optimize: false } });
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, "node_modules/vega-lite/build/vega-lite-schema.json"), "utf8")) as object);
    for (const c of charts) {
      expect(validate(c.spec), `${c.name}: ${JSON.stringify(validate.errors?.slice(0, 2))}`).toBe(true);
      expect(await renderSvg(c.spec)).toContain("<svg");
    }
  }, 60_000);

  it("plots one point per configuration at its mean, with the confidence interval as the band", () => {
    const cost = charts.find((c) => c.name === "sweep-monthly-cost-usd")!;
    const points = datasets(cost.spec).find((d) => d.length === sweep.configs.length)!;
    sweep.configs.forEach((c, i) => {
      const m = (c.metrics as Record<string, { mean: number; ci: number[] }>).monthlyCostUsd!;
      expect(points[i]).toMatchObject({ x: c.values[0], mean: m.mean, lower: m.ci[0], upper: m.ci[1] });
    });
  });

  it("marks the SLO target as a rule, and no recommendation where the sweep made none", () => {
    expect(sweep.recommendation.config).toBeNull();
    const throttled = charts.find((c) => c.name === "sweep-write-throttled-percent")!;
    const rules = datasets(throttled.spec).flat().filter((r) => "value" in r && "label" in r);
    expect(rules).toContainEqual({ value: 0.1, label: "SLO ≤ 0.1 %" });
    expect(rules.filter((r) => String(r.label).startsWith("recommended"))).toEqual([]);
  });

  it("marks the recommended shard count as a rule (the same sweep, had it recommended 12 shards)", () => {
    const at12 = { ...sweep, recommendation: { ...sweep.recommendation, config: sweep.configs.findIndex((c) => c.values[0] === 12) } };
    const throttled = sweepCharts(at12).find((c) => c.name === "sweep-write-throttled-percent")!;
    const rules = datasets(throttled.spec).flat().filter((r) => "value" in r && "label" in r);
    expect(rules).toContainEqual({ value: 12, label: "recommended: 12" });
  });
});

describe("numericAxis: the first varied parameter on the x axis", () => {
  const xs = (values: (string | number | boolean)[]) => {
    const a = numericAxis(values);
    return a && { unit: a.unit, x: values.map(a.of) };
  };

  it("numbers as they are; sizes in MiB, KiB or B by the largest; durations in s; rates per second", () => {
    expect(xs([2, 4, 8])).toEqual({ unit: "", x: [2, 4, 8] });
    expect(xs(["32MiB", "64MiB", "128MiB"])).toEqual({ unit: "MiB", x: [32, 64, 128] });
    expect(xs(["512KiB", "1MB"])).toEqual({ unit: "KiB", x: [512, 976.5625] }); // 1 MB = 10^6 B < 1 MiB
    expect(xs(["100B", "2KiB"])).toEqual({ unit: "KiB", x: [100 / 1024, 2] });
    expect(xs(["60s", "5m", "900s"])).toEqual({ unit: "s", x: [60, 300, 900] });
    expect(xs(["1000/s", "60000/m"])).toEqual({ unit: "records/s", x: [1000, 1000] });
    expect(xs(["1MiB/s", "512KiB/s"])).toEqual({ unit: "MiB/s", x: [1, 0.5] });
  });

  it("nothing to plot for names, booleans or mixed kinds", () => {
    expect(numericAxis(["kcl", "fanout"])).toBeNull();
    expect(numericAxis([true, false])).toBeNull();
    expect(numericAxis(["5MiB", "60s"])).toBeNull();
    expect(numericAxis([1, "2MiB"])).toBeNull();
  });
});


describe("the confidence band stays in the metric's range", () => {
  // stream.shards=2,3 × 3 replications by hand: throttled [0, 1.4, 1.4] % (mean 0.933, se 0.467) and [0, 0, 0.3] %,
  // end-to-end p99 [10, 20, 600] ms (mean 210, se 195) and [100, 100, 100] ms. Student t bounds go below 0 here
  // (0.933 − 2.920·0.467 = −0.43; two-sided 0.933 − 4.303·0.467 = −1.08; 210 − 2.920·195 = −359).
  const plan = planSweep(1, [parseVary("stream.shards=2,3")], 3);
  const scenario = (shards: number) =>
    ScenarioSchema.parse({
      name: "band-test",
      duration: "2m",
      stream: { shards },
      producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
      consumers: [{ name: "app", kind: "kcl" }],
      slo: { writeThrottledPercent: 1, endToEndP99: "1s" },
    });
  const throttled = [
    [0, 1.4, 1.4],
    [0, 0, 0.3],
  ];
  const p99 = [
    [10, 20, 600],
    [100, 100, 100],
  ];
  const summaries: RunSummary[] = plan.tasks.map((t) => ({
    task: t.index,
    config: t.config,
    replication: t.replication,
    seed: t.seed,
    metrics: { writeThrottledPercent: throttled[t.config]![t.replication]!, endToEndP99Ms: p99[t.config]![t.replication]!, monthlyCostUsd: 100 + t.config },
    slos: [],
    reasons: [],
    events: 0,
  }));
  const result = aggregate(plan, [scenario(2), scenario(3)], summaries, 0.95);
  const json = JSON.parse(sweepJsonText(plan, result, { scenarioFile: "band.yaml", scenarioSha256: "0".repeat(64), scenarioName: "band-test" })) as Parameters<typeof sweepCharts>[0];
  const charts = sweepCharts(json);

  it("no lower bound below 0, no percentage above 100, in sweep.json and in every chart's points", () => {
    for (const c of result.configs) {
      for (const [name, e] of Object.entries(c.metrics)) {
        if (!e.ci) continue;
        expect(e.ci[0], `${c.label} ${name}`).toBeGreaterThanOrEqual(0);
        if (name.endsWith("Percent")) expect(e.ci[1], `${c.label} ${name}`).toBeLessThanOrEqual(100);
      }
    }
    expect(charts.map((c) => c.name)).toEqual(["sweep-write-throttled-percent", "sweep-end-to-end-p99-ms", "sweep-monthly-cost-usd"]);
    for (const chart of charts) {
      const points = datasets(chart.spec).find((d) => d.length === 2 && "lower" in d[0]!)!;
      for (const pt of points) {
        expect(pt.lower as number, chart.name).toBeGreaterThanOrEqual(0);
        expect(pt.lower as number, chart.name).toBeLessThanOrEqual(pt.mean as number);
        expect(pt.upper as number, chart.name).toBeGreaterThanOrEqual(pt.mean as number);
      }
    }
  });

  it("the bounds are above 0 where the replications are not all 0: throttled [0.24, 3.56] %, p99 [22.7, 1,941.5] ms", () => {
    const [two] = result.configs;
    expect(two!.metrics.writeThrottledPercent!.ci![0]).toBeCloseTo(0.24, 2);
    expect(two!.metrics.writeThrottledPercent!.ci![1]).toBeCloseTo(3.5586, 3);
    // se = √((200² + 190² + 390²)/2)/√3 = 195.02; (210 − μ)² = k·μ, k = t²·se²/210 = 2.920² · 195.02² / 210 = 1,544.2:
    // μ = 210 + k/2 ± √(k²/4 + 210·k) = [22.7, 1,941.5].
    const se = Math.sqrt((200 ** 2 + 190 ** 2 + 390 ** 2) / 2) / Math.sqrt(3);
    const k = (2.919986 ** 2 * se ** 2) / 210;
    expect(k).toBeCloseTo(1544.2, 1);
    const hi = 210 + k / 2 + Math.sqrt((k * k) / 4 + 210 * k);
    expect(two!.metrics.endToEndP99Ms!.ci![1]).toBeCloseTo(hi, 1);
    expect(two!.metrics.endToEndP99Ms!.ci![0]).toBeCloseTo((210 * 210) / hi, 2);
    expect(hi).toBeCloseTo(1941.5, 0);
  });
});

describe("sweep chart units", () => {
  it("shows a latency in seconds when it passes 10 s (enrichment-pipeline: 412,440 ms at 1 shard), the SLO in the same unit", () => {
    const e = JSON.parse(readFileSync(join(root, "reports/enrichment-pipeline/sweep/sweep.json"), "utf8")) as Parameters<typeof sweepCharts>[0];
    const c = sweepCharts(e).find((x) => x.name === "sweep-end-to-end-p99-ms")!;
    const spec = JSON.stringify(c.spec);
    const config = e.configs[0]!.metrics as Record<string, { mean: number }>;
    const largest = Math.max(...e.configs.map((x) => (x.metrics as Record<string, { mean: number }>).endToEndP99Ms!.mean));
    expect(largest).toBeGreaterThanOrEqual(10_000);
    expect(largest).toBeLessThan(600_000);
    const rows = datasets(c.spec).flat().filter((r) => "mean" in r);
    expect(rows[0]!.mean).toBeCloseTo(config.endToEndP99Ms!.mean / 1_000, 3);
    expect(spec).toContain('"title":"s"');
    const slo = e.slos.find((s) => s.metric === "endToEndP99Ms")!;
    expect(spec).toContain(`SLO ≤ ${Number((slo.target / 1_000).toPrecision(6))} s`);
  });

  it("keeps milliseconds below 10 s (clickstream-sizing's end-to-end p99 of about 2 s)", () => {
    const c = sweepCharts(sweep).find((x) => x.name === "sweep-end-to-end-p99-ms")!;
    expect(JSON.stringify(c.spec)).toContain('"title":"ms"');
  });
});
