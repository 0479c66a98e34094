// latency-cdf: the put and end-to-end latency distributions, with the latency SLOs.

import { formatDuration, thousands } from "../format.js";
import { putLatencyCensored } from "../../result/judge.js";
import type { ReportJson } from "../reportTypes.js";
import { latencySlo, lineChart, type Chart, type ReferenceRule, type Row } from "./kit.js";

export function latencyCdf(report: ReportJson): Chart | null {
  const curves = [
    { name: "put (all producers)", cdf: report.latency.putCdf },
    ...report.consumers.map((c) => ({ name: `end-to-end: ${c.name}`, cdf: c.endToEndCdf })),
  ].filter((c) => c.cdf.some((p) => p.ms > 0));
  if (curves.length === 0) return null;
  const rows: Row[] = curves.flatMap((c) => c.cdf.filter((p) => p.ms > 0).map((p) => ({ ms: p.ms, fraction: p.fraction, curve: c.name })));
  const rules: ReferenceRule[] = report.verdict.slos
    .filter((s) => s.name in latencySlo && s.target > 0)
    .map((s) => ({ axis: "x", value: s.target, label: `SLO ${latencySlo[s.name]} ≤ ${formatDuration(s.target, "axis", "ms")}` }));
  rules.push({ axis: "y", value: 0.99, label: "p99", color: "#555" }, { axis: "y", value: 0.5, label: "p50", color: "#555" });
  const put = report.latency.put;
  // Records refused and still awaiting retry at the end are not in the put curve; enough of them make its p99 a lower bound.
  const awaiting = report.producers.reduce((a, p) => a + p.inFlight.awaitingRetry, 0);
  const bound = putLatencyCensored(awaiting, put.count, "p99");
  const subtitle = [
    `Fraction of records at or below each latency (log scale). Put: first attempt to acknowledgement, retries included (p99 ${bound ? "≥ " : ""}${formatDuration(put.p99Ms, "axis", "ms")}${bound ? `: the curve holds the records acknowledged, not the ${thousands(awaiting)} still awaiting retry at the end` : ""}).`,
    ...(report.consumers.length > 0 ? ["End-to-end: birth at the producer to the end of processing, per consumer."] : []),
  ];
  const spec = lineChart({
    title: "Latency distribution",
    subtitle,
    data: rows,
    x: { field: "ms", title: "latency (ms, log scale)", scale: "log", format: "~s" },
    y: { field: "fraction", title: "fraction of records", format: ".0%", domain: [0, 1] },
    series: { field: "curve", title: null, domain: curves.map((c) => c.name) },
    rules,
    points: true,
  });
  return { name: "latency-cdf", title: "Latency distribution", spec };
}
