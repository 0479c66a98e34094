// The latency-cdf chart draws an SLO's rule only beside the curves it judges: the delivery SLO (Firehose's delivery
// latency, on firehose-latency-cdf) never, an end-to-end SLO only with an end-to-end curve, a put SLO with the put curve.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCharts } from "../../src/report/charts/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";

const root = join(import.meta.dirname, "..", "..");
const report = (name: string) => JSON.parse(readFileSync(join(root, "reports", name, "report.json"), "utf8")) as ReportJson;

/** The { value, label } rows of a chart's rule layers. */
function ruleLabels(r: ReportJson, chart: string): string[] {
  const out: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { data?: { values?: Record<string, unknown>[] }; layer?: unknown[] };
    for (const row of n.data?.values ?? []) if ("value" in row && "label" in row) out.push(String(row.label));
    for (const child of n.layer ?? []) visit(child);
  };
  visit(runCharts(r).find((c) => c.name === chart)!.spec);
  return out;
}

describe("latency-cdf SLO rules", () => {
  it("firehose-buffering (put curve only; deliveryP99 ≤ 2 min): no delivery rule beside the put curve", () => {
    expect(ruleLabels(report("firehose-buffering"), "latency-cdf")).toEqual(["p99", "p50"]);
    // The delivery SLO stays on the chart of the delivery curves.
    expect(ruleLabels(report("firehose-buffering"), "firehose-latency-cdf")).toEqual(["SLO delivery p99 ≤ 2 min", "p99", "p50"]);
  });
  it("enrichment-pipeline (put and one end-to-end curve; endToEndP99 ≤ 10 s, deliveryP99 ≤ 3 min): the end-to-end rule only", () => {
    expect(ruleLabels(report("enrichment-pipeline"), "latency-cdf")).toEqual(["SLO end-to-end p99 ≤ 10 s", "p99", "p50"]);
  });
  it("quickstart (put curve, putLatencyP99 ≤ 250 ms): the put rule; an end-to-end SLO without a consumer draws none", () => {
    const r = report("quickstart");
    r.verdict.slos.push({ ...r.verdict.slos.find((s) => s.name === "putLatencyP99")!, name: "endToEndP99", target: 5_000 });
    expect(ruleLabels(r, "latency-cdf")).toEqual(["SLO put p99 ≤ 250 ms", "p99", "p50"]);
  });
});
