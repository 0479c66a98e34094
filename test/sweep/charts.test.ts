// Sweep charts from the committed clickstream-sizing sweep: valid Vega-Lite, one point per configuration with
// its mean and confidence interval, the SLO and the recommendation as rules.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts/render.js";
import { numericAxis, sweepCharts } from "../../src/sweep/charts.js";

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

  it("marks the SLO target and the recommended shard count as rules", () => {
    const throttled = charts.find((c) => c.name === "sweep-write-throttled-percent")!;
    const rules = datasets(throttled.spec).flat().filter((r) => "value" in r && "label" in r);
    expect(rules).toContainEqual({ value: 0.1, label: "SLO ≤ 0.1 %" });
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

