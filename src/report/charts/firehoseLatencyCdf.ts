// firehose-latency-cdf: each delivery stream's delivery latency distribution, with the deliveryP99 SLO.

import { formatDuration } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { latencySlo, lineChart, type Chart, type ReferenceRule, type Row } from "./kit.js";

/** The delivery latency CDF of each delivery stream (like latency-cdf), with the deliveryP99 SLO. */
export function deliveryLatencyCdf(report: ReportJson): Chart | null {
  const curves = report.firehose.map((f) => ({ name: f.name, cdf: f.deliveryLatencyCdf })).filter((c) => c.cdf.some((p) => p.ms > 0));
  if (curves.length === 0) return null;
  const rows: Row[] = curves.flatMap((c) => c.cdf.filter((p) => p.ms > 0).map((p) => ({ ms: p.ms, fraction: p.fraction, stream: c.name })));
  const rules: ReferenceRule[] = report.verdict.slos
    .filter((s) => s.name === "deliveryP99" && s.target > 0)
    .map((s) => ({ axis: "x", value: s.target, label: `SLO ${latencySlo[s.name]} ≤ ${formatDuration(s.target, "axis", "ms")}` }));
  rules.push({ axis: "y", value: 0.99, label: "p99", color: "#555" }, { axis: "y", value: 0.5, label: "p50", color: "#555" });
  const p99 = report.firehose.map((f) => `${f.name} ${formatDuration(f.deliveryLatency.p99Ms, "axis", "ms")}`).join(", ");
  const spec = lineChart({
    title: "Firehose delivery latency distribution",
    subtitle: [`Fraction of records delivered within each latency (log scale), from birth at the producer to delivery at the destination. p99: ${p99}.`],
    data: rows,
    x: { field: "ms", title: "delivery latency (ms, log scale)", scale: "log", format: "~s" },
    y: { field: "fraction", title: "fraction of records", format: ".0%", domain: [0, 1] },
    series: { field: "stream", title: "delivery stream", domain: curves.map((c) => c.name) },
    rules,
    points: true,
  });
  return { name: "firehose-latency-cdf", title: "Firehose delivery latency distribution", spec };
}
