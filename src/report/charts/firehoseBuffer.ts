// firehose-buffer: the bytes waiting in each delivery stream's buffers, and its flushes by trigger.

import { formatBytes, sig, thousands, formatDuration } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { binSeries, lineLayer, stepsPerBin, timeAxis, timeScaleFor, topLevel, timeShades, type Chart, type Row } from "./kit.js";

const MiB = 1_048_576;

/**
 * Per delivery stream, two panels: the bytes waiting in its buffers (highest in each bin, in MiB) against the
 * size hint, and below it the flushes in each bin by trigger (size hint reached, interval expired).
 */
export function firehoseBufferChart(report: ReportJson): Chart | null {
  if (report.firehose.length === 0) return null;
  const s = report.series;
  const time = timeScaleFor(report.run.durationSeconds);
  const duration = report.run.durationSeconds;
  const per = stepsPerBin(s.startSeconds.length);
  // Flushes are counted in coarser bins (10 to 60 of them, about 3 flushes each when there are few), so a
  // bin holds a count rather than a 0/1 spike.
  const flushes = Math.max(0, ...report.firehose.map((f) => f.flushes.size + f.flushes.interval));
  const flushPer = stepsPerBin(s.startSeconds.length, Math.min(60, Math.max(10, Math.floor(flushes / 3))));
  const bySize = "size hint reached";
  const byInterval = "interval expired";
  const inBuffer = "in the buffers";
  const atDest = "at the destination";
  const inForce = "buffer size in force (raised while delivery falls behind)";
  const flushBin = formatDuration(flushPer * s.resolutionSeconds, "span", "s");
  const small = report.firehose.length > 2;
  const panels = report.firehose.flatMap((f) => {
    const fill: Row[] = [];
    const atDestination = binSeries(f.series.destinationBytes, per, "max");
    const raised = f.series.sizeInForceBytes ? binSeries(f.series.sizeInForceBytes, per, "max") : undefined;
    binSeries(f.series.bufferBytes, per, "max").forEach((b, i) => {
      const t = time.at(s.startSeconds[i * per]!);
      fill.push({ t, where: inBuffer, mib: sig(b / MiB, 6) }, { t, where: atDest, mib: sig(atDestination[i]! / MiB, 6) });
      if (raised) fill.push({ t, where: inForce, mib: sig(raised[i]! / MiB, 6) });
    });
    const sizes = binSeries(f.series.flushesBySize, flushPer, "sum");
    const intervals = binSeries(f.series.flushesByInterval, flushPer, "sum");
    const counts: Row[] = [];
    sizes.forEach((n, i) => {
      const t = time.at(s.startSeconds[i * flushPer]!);
      counts.push({ t, trigger: bySize, flushes: n }, { t, trigger: byInterval, flushes: intervals[i]! });
    });
    // The last bin's step runs to the end of the run.
    if (sizes.length > 0) counts.push({ t: time.at(duration), trigger: bySize, flushes: sizes.at(-1)! }, { t: time.at(duration), trigger: byInterval, flushes: intervals.at(-1)! });
    const binds = f.flushes.binds === null ? "no flush" : `the ${f.flushes.binds} hint binds`;
    const mostFlushes = Math.max(0, ...sizes.map((n, i) => n + intervals[i]!));
    return [
      lineLayer({
        data: fill,
        panelTitle:
          `${f.name} → ${f.destination}: buffer ${formatBytes(f.buffer.sizeBytes)} or ${formatDuration(f.buffer.intervalSeconds, "span", "s")}; ${thousands(f.flushes.size)} flushes by size, ${thousands(f.flushes.interval)} by interval (${binds})` +
          (f.buffer.raisedToBytes ? `; size raised up to ${formatBytes(f.buffer.raisedToBytes)} while delivery fell behind` : ""),
        height: small ? 110 : 160,
        x: timeAxis(time, duration),
        y: { field: "mib", title: "waiting (MiB)", format: ",~r" },
        series: { field: "where", title: "bytes waiting", domain: raised ? [inBuffer, atDest, inForce] : [inBuffer, atDest] },
        shade: timeShades(report, time),
        rules: [{ axis: "y", value: sig(f.buffer.sizeBytes / MiB, 6), label: `size hint ${formatBytes(f.buffer.sizeBytes)}` }],
      }),
      lineLayer({
        data: counts,
        height: small ? 50 : 70,
        mark: "area",
        interpolate: "step-after",
        x: timeAxis(time, duration),
        y: { field: "flushes", title: `flushes per ${flushBin}`, format: ",~r", ...(mostFlushes === 0 ? { domain: [0, 1] as [number, number] } : {}) },
        series: { field: "trigger", title: "flush trigger", domain: [bySize, byInterval] },
      }),
    ];
  });
  const spec = topLevel(
    { vconcat: panels, resolve: { scale: { color: "independent" }, legend: { color: "independent" } } },
    {
      text: "Firehose buffers and flushes",
      subtitle: [
        `Bytes waiting in each delivery stream's transformation and destination buffers, and at the destination (being written, waiting to retry, staged for COPY), the most in each ${formatDuration(per * s.resolutionSeconds, "span", "s")}, against the size hint; ` +
          `below, the flushes in each ${flushBin} by what triggered them. The hint that triggers most flushes binds.`,
      ],
    },
  );
  return { name: "firehose-buffer", title: "Firehose buffers and flushes", spec };
}
