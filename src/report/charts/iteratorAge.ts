// iterator-age: how far each consumer lags, with the maxIteratorAge SLO.

import { sig, formatDuration } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { binNote, binSeries, lineChart, stepsPerBin, timeAxis, timeScaleFor, warmupShade, type Chart, type Row } from "./kit.js";

export function iteratorAgeChart(report: ReportJson): Chart | null {
  if (report.consumers.length === 0) return null;
  const s = report.series;
  const time = timeScaleFor(report.run.durationSeconds);
  const per = stepsPerBin(s.startSeconds.length);
  const maxMs = Math.max(0, ...report.consumers.flatMap((c) => c.series.iteratorAgeMs));
  const slo = report.verdict.slos.find((x) => x.name === "maxIteratorAge");
  const inSeconds = Math.max(maxMs, slo?.target ?? 0) >= 10_000;
  const unit = inSeconds ? "s" : "ms";
  const scale = (ms: number) => sig(inSeconds ? ms / 1_000 : ms, 6);
  const rows: Row[] = [];
  for (const c of report.consumers) {
    binSeries(c.series.iteratorAgeMs, per, "max").forEach((ms, b) => rows.push({ t: time.at(s.startSeconds[b * per]!), consumer: c.name, age: scale(ms) }));
  }
  const worst = [...report.consumers].sort((a, b) => b.afterWarmup.maxIteratorAgeMs - a.afterWarmup.maxIteratorAgeMs)[0]!;
  const spec = lineChart({
    title: "Iterator age (how far each consumer lags)",
    subtitle: [
      `Age of the oldest record a consumer has not processed yet, highest over its shards${binNote(report, per, "maxima")}.`,
      `Highest after warmup: ${formatDuration(worst.afterWarmup.maxIteratorAgeMs, "axis", "ms")} (${worst.name}).`,
    ],
    data: rows,
    x: timeAxis(time, report.run.durationSeconds),
    y: { field: "age", title: `iterator age (${unit})`, format: ",~r" },
    series: { field: "consumer", title: "consumer", domain: report.consumers.map((c) => c.name) },
    shade: warmupShade(report, time),
    rules: slo && slo.target > 0 ? [{ axis: "y", value: scale(slo.target), label: `SLO ≤ ${formatDuration(slo.target, "axis", "ms")}` }] : [],
  });
  return { name: "iterator-age", title: "Iterator age", spec };
}
