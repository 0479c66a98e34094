// cloudwatch-vs-truth: incoming records per second at the simulation's resolution against CloudWatch's 1-minute view.

import { sig, thousands, formatDuration } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { lineLayer, timeAxis, timeScaleFor, topLevel, timeShades, type Chart, type Row } from "./kit.js";

/** Per-minute means of a per-step count series: what CloudWatch's 1-minute Sum / 60 shows. */
export function minuteMeans(counts: readonly number[], stepSeconds: number, durationSeconds: number): { startSeconds: number; perSecond: number }[] {
  const out: { startSeconds: number; perSecond: number }[] = [];
  for (let m = 0; m * 60 < durationSeconds; m++) {
    let total = 0;
    for (let i = Math.ceil((m * 60) / stepSeconds); i * stepSeconds < (m + 1) * 60 && i < counts.length; i++) total += counts[i]!;
    // A last, partial minute is divided by the seconds it covers (CloudWatch would show it low until the minute ends).
    out.push({ startSeconds: m * 60, perSecond: total / Math.min(60, durationSeconds - m * 60) });
  }
  return out;
}

export function cloudWatchVsTruth(report: ReportJson): Chart | null {
  const s = report.series;
  if (s.resolutionSeconds >= 60 || 60 % s.resolutionSeconds !== 0 || s.incomingRecords.length === 0) return null;
  const time = timeScaleFor(report.run.durationSeconds);
  const duration = report.run.durationSeconds;
  const fine = `per ${formatDuration(s.resolutionSeconds, "span", "s")} (simulated)`;
  const coarse = "CloudWatch: 1-minute Sum / 60";
  const panel = (counts: number[], title: string, limit: number | null, height: number) => {
    const rows: Row[] = counts.map((c, i) => ({ t: time.at(s.startSeconds[i]!), view: fine, rate: sig(c / s.resolutionSeconds, 6) }));
    const means = minuteMeans(counts, s.resolutionSeconds, duration);
    for (const m of means) rows.push({ t: time.at(m.startSeconds), view: coarse, rate: sig(m.perSecond, 6) });
    // The last minute's step runs to the end of the run.
    rows.push({ t: time.at(duration), view: coarse, rate: sig(means[means.length - 1]!.perSecond, 6) });
    const layer = lineLayer({
      data: rows,
      panelTitle: title,
      height,
      interpolate: "step-after",
      x: timeAxis(time, duration),
      y: { field: "rate", title: "incoming records/s", format: ",~r", zero: false },
      series: { field: "view", title: null, domain: [fine, coarse], widths: [1, 2.5] },
      shade: timeShades(report, time),
      rules: limit === null ? [] : [{ axis: "y", value: limit, label: `limit ${thousands(limit)} records/s per shard` }],
    });
    const peak = Math.max(...counts) / s.resolutionSeconds;
    const peakMinute = Math.max(...means.map((m) => m.perSecond));
    return { layer, peak, peakMinute };
  };
  const stream = panel(s.incomingRecords, `Whole stream (${report.stream.shards} shards)`, null, 200);
  const hot = s.hotShards[0];
  const hotPanel = hot ? panel(hot.incomingRecords, `Hottest shard: ${hot.shard}`, report.stream.limitsPerShard.writeRecordsPerSecond, 200) : null;
  const lines = [
    `Incoming (accepted) records per second at the simulation's resolution, against the 1-minute average CloudWatch's IncomingRecords shows.`,
    `Stream: busiest ${formatDuration(s.resolutionSeconds, "span", "s")} at ${thousands(Math.round(stream.peak))} records/s, busiest minute ${thousands(Math.round(stream.peakMinute))}/s` +
      (hotPanel ? `; hottest shard: ${thousands(Math.round(hotPanel.peak))} against ${thousands(Math.round(hotPanel.peakMinute))}/s.` : "."),
  ];
  const spec = topLevel({ vconcat: hotPanel ? [stream.layer, hotPanel.layer] : [stream.layer] }, { text: "Per-second bursts that 1-minute metrics hide", subtitle: lines });
  return { name: "cloudwatch-vs-truth", title: "Per-second bursts that 1-minute metrics hide", spec };
}
