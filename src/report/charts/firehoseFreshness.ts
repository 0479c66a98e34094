// firehose-freshness: each delivery stream's DataFreshness over time, with the dataFreshness SLO.

import { sig, formatDuration } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { binNote, binSeries, lineChart, stepsPerBin, timeAxis, timeScaleFor, timeShades, type Chart, type Row } from "./kit.js";

/** DataFreshness (age of the oldest record not yet delivered) over time, a line per delivery stream, with the SLO. */
export function dataFreshnessChart(report: ReportJson): Chart | null {
  if (report.firehose.length === 0) return null;
  const s = report.series;
  const time = timeScaleFor(report.run.durationSeconds);
  const per = stepsPerBin(s.startSeconds.length);
  const slo = report.verdict.slos.find((x) => x.name === "dataFreshness");
  const most = Math.max(0, ...report.firehose.flatMap((f) => f.series.dataFreshnessSeconds), (slo?.target ?? 0) / 1_000);
  const inMinutes = most >= 1_200;
  const unit = inMinutes ? "min" : "s";
  const scale = (sec: number) => sig(inMinutes ? sec / 60 : sec, 6);
  const rows: Row[] = [];
  for (const f of report.firehose) {
    binSeries(f.series.dataFreshnessSeconds, per, "max").forEach((sec, b) => rows.push({ t: time.at(s.startSeconds[b * per]!), stream: f.name, freshness: scale(sec) }));
  }
  const worst = [...report.firehose].sort((a, b) => b.maxDataFreshnessSeconds - a.maxDataFreshnessSeconds)[0]!;
  // Redshift's DataFreshness (DeliveryToS3) stops at the intermediate bucket: the COPYs are not in it.
  const redshift = report.firehose.filter((f) => f.destination === "redshift").map((f) => f.name);
  const spec = lineChart({
    title: "DataFreshness (how long the oldest record has waited)",
    subtitle: [
      `Age of the oldest record each delivery stream has not delivered yet, the highest in each bin${binNote(report, per, "maxima")}. In steady state it climbs to about the time between flushes and falls back at each delivery.`,
      `Highest after warmup: ${formatDuration(worst.maxDataFreshnessSeconds * 1_000, "axis", "ms")} (${worst.name}).`,
      ...(redshift.length > 0 ? [`Redshift (${redshift.join(", ")}): DeliveryToS3.DataFreshness, as CloudWatch shows it: delivered means in the staging bucket, before COPY.`] : []),
    ],
    data: rows,
    x: timeAxis(time, report.run.durationSeconds),
    y: { field: "freshness", title: `DataFreshness (${unit})`, format: ",~r", ...(most === 0 ? { domain: [0, 1] as [number, number] } : {}) },
    series: { field: "stream", title: "delivery stream", domain: report.firehose.map((f) => f.name) },
    interpolate: "step-after",
    shade: timeShades(report, time),
    rules: slo && slo.target > 0 ? [{ axis: "y", value: scale(slo.target / 1_000), label: `SLO ≤ ${formatDuration(slo.target, "axis", "ms")}` }] : [],
  });
  return { name: "firehose-freshness", title: "DataFreshness", spec };
}
