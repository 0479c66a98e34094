// shard-heatmap: write utilisation by shard over time, a cell per shard and bin.

import { fixed, formatDuration } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { CHART_WIDTH, ruleLayer, timeScaleFor, topLevel, type Chart, type Layer, type Row } from "./kit.js";

export function shardHeatmap(report: ReportJson): Chart | null {
  const h = report.series.heatmap;
  if (h.shards.length === 0 || h.utilisation[0] === undefined || h.utilisation[0].length === 0) return null;
  const time = timeScaleFor(report.run.durationSeconds);
  const duration = report.run.durationSeconds;
  const rows: Row[] = [];
  h.shards.forEach((shard, s) =>
    h.utilisation[s]!.forEach((u, b) =>
      rows.push({ shard, from: time.at(b * h.binSeconds), to: time.at(Math.min((b + 1) * h.binSeconds, duration)), u, throttled: h.throttled[s]![b]! }),
    ),
  );
  const maxU = Math.max(...rows.map((r) => r.u as number));
  const atLimit = rows.filter((r) => (r.u as number) >= 1).length;
  const step = h.shards.length <= 16 ? 20 : h.shards.length <= 32 ? 14 : 10;
  const x = { field: "from", type: "quantitative", scale: { domain: [0, time.at(duration)], nice: false, zero: true }, axis: { title: time.title, format: ",~r" } };
  const y = {
    field: "shard",
    type: "ordinal",
    sort: h.shards,
    title: "shard",
    axis: { labelExpr: "replace(datum.label, /^shardId-0*(?=\\d)/, '')", labelOverlap: false, labelFontSize: step >= 14 ? 11 : 9 },
  };
  const tooltip = [
    { field: "shard", type: "nominal", title: "shard" },
    { field: "from", type: "quantitative", title: `from (${time.unit})`, format: ",.2f" },
    { field: "to", type: "quantitative", title: `to (${time.unit})`, format: ",.2f" },
    { field: "u", type: "quantitative", title: "highest utilisation", format: ".1%" },
    { field: "throttled", type: "quantitative", title: "throttled attempts", format: "," },
  ];
  const cell = (filter: string, color: object) => ({
    transform: [{ filter }],
    mark: { type: "rect", aria: false },
    encoding: { x, x2: { field: "to" }, y, color, tooltip },
  });
  const layers: object[] = [
    cell("datum.u < 1", { field: "u", type: "quantitative", title: "write utilisation (of the shard's limit)", scale: { domain: [0, 1], scheme: "blues" }, legend: { format: ".0%", gradientLength: 260 } }),
  ];
  if (atLimit > 0) {
    layers.push(
      cell("datum.u >= 1", {
        field: "u",
        type: "quantitative",
        title: "at or over the limit (burst)",
        scale: { domain: [1, Math.max(1.5, maxU)], range: ["#fd8d3c", "#a50026"] },
        legend: { format: ".0%", gradientLength: 160 },
      }),
    );
  }
  if (report.run.warmupSeconds > 0) layers.push(ruleLayer({ axis: "x", value: time.at(report.run.warmupSeconds), label: "end of warmup", color: "#555" }));
  // Faults as rules at their start (the heat cells would hide a shaded interval).
  for (const f of report.faults ?? []) layers.push(ruleLayer({ axis: "x", value: time.at(f.atSeconds), label: `${f.kind}: ${f.target}` }));
  const throttledShards = new Set(rows.filter((r) => (r.throttled as number) > 0).map((r) => r.shard)).size;
  const subset = h.shards.length < report.stream.shards ? ` The ${h.shards.length} hottest of ${report.stream.shards} shards.` : "";
  const subtitle = [
    `Highest write utilisation (records or bytes, of the shard's 1,000 records/s and 1 MiB/s) in each ${formatDuration(h.binSeconds, "span", "s")} bin.${subset}`,
    atLimit > 0
      ? `Orange to red: at or over the limit (${atLimit} cells); ${throttledShards} shard${throttledShards === 1 ? "" : "s"} throttled.`
      : `No shard reached its limit; the busiest bin reached ${fixed(maxU * 100, 1)}%.`,
  ];
  const spec = topLevel(
    {
      width: CHART_WIDTH,
      height: { step },
      data: { values: rows },
      layer: layers,
      resolve: { scale: { color: "independent" } },
    } as unknown as Layer,
    { text: "Write utilisation by shard over time", subtitle },
  );
  return { name: "shard-heatmap", title: "Write utilisation by shard over time", spec };
}
