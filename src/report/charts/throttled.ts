// throttled: throttled put attempts per second over time, stacked by hot shard.

import { sum } from "d3-array";
import { formatDuration, sig, thousands } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { binSeries, lineChart, stepsPerBin, timeAxis, timeScaleFor, timeShades, type Chart, type Row } from "./kit.js";

/** The chart, or null when no put attempt was throttled in the whole run (an empty chart shows nothing). */
export function throttledChart(report: ReportJson): Chart | null {
  const s = report.series;
  if (!s.throttledRecords.some((x) => x > 0)) return null;
  const time = timeScaleFor(report.run.durationSeconds);
  const per = stepsPerBin(s.startSeconds.length);
  const perSecond = (values: number[]) => binSeries(values, per, "mean").map((v) => sig(v / s.resolutionSeconds, 6));
  const groups: { name: string; values: number[] }[] = [];
  const hot = s.hotShards.filter((h) => h.throttledRecords.some((x) => x > 0));
  for (const h of hot) groups.push({ name: h.shard, values: perSecond(h.throttledRecords) });
  const rest = s.throttledRecords.map((x, i) => x - hot.reduce((a, h) => a + h.throttledRecords[i]!, 0));
  if (rest.some((x) => x > 0) || groups.length === 0) groups.push({ name: hot.length > 0 ? "other shards" : "all shards", values: perSecond(rest) });
  const rows: Row[] = [];
  for (const g of groups) g.values.forEach((v, b) => rows.push({ t: time.at(s.startSeconds[b * per]!), shard: g.name, rate: v }));
  const total = report.stream.afterWarmup.throttledRecords;
  const peak = Math.max(0, ...s.throttledRecords) / s.resolutionSeconds;
  // The busiest series step, and, when the chart draws means over several steps, the highest of those it draws (helper-51:
  // "at most 11,637 per second (means over 10 s)" where the means it drew peaked at 11,155).
  const drawnPeak = Math.max(0, ...binSeries(s.throttledRecords, per, "mean")) / s.resolutionSeconds;
  const step = formatDuration(s.resolutionSeconds, "span", "s");
  const most =
    per > 1
      ? `at most ${thousands(Math.round(peak))} per second over the busiest ${step}; the chart draws means over ${formatDuration(per * s.resolutionSeconds, "span", "s")}, at most ${thousands(Math.round(drawnPeak))}`
      : `at most ${thousands(Math.round(peak))} per second`;
  const subtitle =
    total > 0
      ? `${thousands(total)} put attempts throttled after warmup (${report.stream.afterWarmup.writeThrottledPercent}% of attempts); ${most}.`
      : `No put attempt was throttled after warmup; ${thousands(sum(s.throttledRecords))} in the warmup, at most ${thousands(Math.round(peak))} per second.`;
  const spec = lineChart({
    title: "Throttled put attempts (ProvisionedThroughputExceeded)",
    subtitle,
    data: rows,
    mark: "area",
    interpolate: "step-after",
    x: timeAxis(time, report.run.durationSeconds),
    y: { field: "rate", title: "throttled attempts/s", format: ",~r", ...(peak === 0 ? { domain: [0, 1] as [number, number] } : {}) },
    series: { field: "shard", title: "shard", domain: groups.map((g) => g.name) },
    shade: timeShades(report, time),
  });
  return { name: "throttled", title: "Throttled put attempts", spec };
}
