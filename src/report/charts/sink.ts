// sink: each consumer sink's own utilisation — the share of its capacity used (DynamoDB write units ÷ the table's
// capacity; the share of time a Redshift COPY ran or an OpenSearch bulk request was indexed, one at a time, its request
// latency plus its bytes at the domain's throughput) and the share of the record processors' time spent waiting for
// flushes; the panel's title counts the items the sink throttled.

import { sig, thousands } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { binNote, binSeries, lineLayer, stepsPerBin, timeAxis, timeScaleFor, topLevel, timeShades, type Chart, type Row } from "./kit.js";

export function sinkChart(report: ReportJson): Chart | null {
  const withSink = report.consumers.filter((c) => c.sink);
  if (withSink.length === 0) return null;
  const s = report.series;
  const time = timeScaleFor(report.run.durationSeconds);
  const per = stepsPerBin(s.startSeconds.length, 120);
  const used = "sink capacity used";
  const waiting = "processors waiting";
  const panels = withSink.map((c) => {
    const sk = c.sink!;
    const rows: Row[] = [];
    const wait = binSeries(sk.series.waitShare, per, "mean");
    const use = sk.series.utilisation ? binSeries(sk.series.utilisation, per, "mean") : null;
    wait.forEach((v, b) => {
      const t = time.at(s.startSeconds[b * per]!);
      rows.push({ t, what: waiting, value: sig(100 * v, 4) });
      if (use) rows.push({ t, what: used, value: sig(100 * use[b]!, 4) });
    });
    const a = sk.afterWarmup;
    const t = sk.table;
    const what = t
      ? `DynamoDB, ${t.provisioned ? `provisioned ${thousands(t.provisioned.write)} WCU` : "on-demand"}`
      : sk.kind === "s3"
        ? "Amazon S3"
        : sk.kind === "redshift"
          ? "Amazon Redshift"
          : "Amazon OpenSearch Service";
    return lineLayer({
      data: rows,
      panelTitle: `${c.name} → ${what}: ${a.utilisation === null ? "" : `${Math.round(100 * a.utilisation)}% of capacity, `}processors waiting ${Math.round(100 * a.waitShare)}%, ${thousands(a.throttledItems)} items throttled`,
      height: withSink.length > 2 ? 120 : 170,
      interpolate: "step-after",
      x: timeAxis(time, report.run.durationSeconds),
      y: { field: "value", title: "%", format: ",~r" },
      series: { field: "what", title: null, domain: [...(use ? [used] : []), waiting] },
      shade: timeShades(report, time),
      rules: [{ axis: "y" as const, value: 100, label: "100%" }],
    });
  });
  const spec = topLevel(
    { vconcat: panels },
    {
      text: "Consumer sinks: capacity and back-pressure",
      subtitle: [
        `What each consumer's sink used of its capacity (a provisioned table's burst lets it pass 100% for a while), and the share of the record processors' time spent waiting for flushes${binNote(report, per, "means")}.`,
        "A flush holds its record processor until it is written: a sink at its capacity makes the processors wait, and the backlog shows in the iterator age.",
      ],
    },
  );
  return { name: "sink", title: "Consumer sinks", spec };
}
