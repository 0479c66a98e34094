// latency-cdf: the put and end-to-end latency distributions, with the latency SLOs.

import { formatDuration, thousands } from "../format.js";
import { putLatencyCensored } from "../../result/judge.js";
import type { ReportJson } from "../reportTypes.js";
import { latencySlo, lineChart, type Chart, type ReferenceRule, type Row } from "./kit.js";

/** The curves each latency SLO this chart can show judges. */
const LATENCY_SLO_CURVES: Record<string, "put" | "end-to-end"> = {
  putLatencyP50: "put",
  putLatencyP99: "put",
  putLatencyP999: "put",
  endToEndP50: "end-to-end",
  endToEndP99: "end-to-end",
};

export function latencyCdf(report: ReportJson): Chart | null {
  const curves = [
    { name: "put (all producers)", family: "put", cdf: report.latency.putCdf },
    ...report.consumers.map((c) => ({ name: `end-to-end: ${c.name}`, family: "end-to-end", cdf: c.endToEndCdf })),
  ].filter((c) => c.cdf.some((p) => p.ms > 0));
  if (curves.length === 0) return null;
  const rows: Row[] = curves.flatMap((c) => c.cdf.filter((p) => p.ms > 0).map((p) => ({ ms: p.ms, fraction: p.fraction, curve: c.name })));
  // An SLO's rule only beside the curves it judges: a put SLO with the put curve, an end-to-end SLO with an end-to-end
  // curve. The delivery SLO judges Firehose's delivery latency, drawn on firehose-latency-cdf, never here: beside the
  // put curve alone its rule would read as met by it.
  const drawn = new Set(curves.map((c) => c.family));
  const rules: ReferenceRule[] = report.verdict.slos
    .filter((s) => s.name in LATENCY_SLO_CURVES && drawn.has(LATENCY_SLO_CURVES[s.name]!) && s.target > 0)
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
