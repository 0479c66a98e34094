// A sweep chart's recommendation mark names the whole recommended configuration: with a second varied parameter,
// the rule at the recommended x crosses every line there, and only one of them is the recommendation (helper-57's 13c).
import { describe, expect, it } from "vitest";
import { sweepCharts } from "../../src/sweep/charts.js";
import { aggregate } from "../../src/sweep/aggregate.js";
import { planSweep } from "../../src/sweep/plan.js";
import { sweepJsonText } from "../../src/sweep/report.js";
import type { RunSummary } from "../../src/sweep/summary.js";
import { parseVary } from "../../src/sweep/vary.js";
import { ScenarioSchema } from "../../src/spec/index.js";

type Row = Record<string, unknown>;
function rows(spec: unknown): Row[] {
  const out: Row[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { data?: { values?: Row[] }; layer?: unknown[] };
    out.push(...(n.data?.values ?? []));
    for (const child of n.layer ?? []) visit(child);
  };
  visit(spec);
  return out;
}

describe("the recommended configuration on a chart with two varied parameters", () => {
  // Configurations in plan order: (900, 1ms), (900, 2.6ms), (2000, 1ms), (2000, 2.6ms), 2 replications each, the
  // end-to-end p99 the same in both (no spread): 3 s, 5 s, 0.5 s, 2 s against ≤ 1 s. Only (2000, 1ms) meets it, so
  // it is recommended, while the 2.6ms line at 2000 fails.
  const write = "consumers[app].sink.table.write";
  const perRecord = "consumers[app].processing.perRecord";
  const plan = planSweep(1, [parseVary(`${write}=900,2000`), parseVary(`${perRecord}=1ms,2.6ms`)], 2);
  const scenario = ScenarioSchema.parse({
    name: "two-varies",
    duration: "2m",
    stream: { shards: 2 },
    producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    consumers: [{ name: "app", kind: "kcl" }],
    slo: { endToEndP99: "1s" },
  });
  const p99 = [3_000, 5_000, 500, 2_000];
  const summaries: RunSummary[] = plan.tasks.map((t) => ({
    task: t.index,
    config: t.config,
    replication: t.replication,
    seed: t.seed,
    metrics: { writeThrottledPercent: 0, endToEndP99Ms: p99[t.config]!, monthlyCostUsd: 100 + t.config },
    slos: [],
    reasons: [],
    events: 0,
  }));
  const result = aggregate(plan, plan.configs.map(() => scenario), summaries, 0.95);
  const json = JSON.parse(sweepJsonText(plan, result, { scenarioFile: "two.yaml", scenarioSha256: "0".repeat(64), scenarioName: "two-varies" })) as Parameters<typeof sweepCharts>[0];

  it("recommends (2000, 1ms)", () => {
    expect(result.recommended).toBe(2);
  });

  it("the rule's label and the subtitle name the recommended line, not the x value alone", () => {
    const chart = sweepCharts(json).find((c) => c.name === "sweep-end-to-end-p99-ms")!;
    expect(rows(chart.spec).filter((r) => "value" in r && "label" in r)).toContainEqual({ value: 2000, label: "recommended: 2000 on the 1ms line" });
    // The lines are named by the other parameter's value under a legend titled with its path, so "the 1ms line" is one
    // the legend shows (names with the path in each ran past the legend's label limit, cut off before the value).
    expect([...new Set(rows(chart.spec).filter((r) => "mean" in r).map((r) => r.series))]).toEqual(["1ms", "2.6ms"]);
    expect(JSON.stringify(chart.spec)).toContain(`"title":"${perRecord}"`);
    const subtitle = (chart.spec as { title: { subtitle: string[] } }).title.subtitle.join(" ");
    expect(subtitle).toContain(`the green line marks the recommendation, ${write}=2000 with ${perRecord}=1ms (the other lines at that x are other configurations).`);
  });
});
