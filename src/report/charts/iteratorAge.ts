// iterator-age: each consumer's iterator age as CloudWatch reports it, with the maxIteratorAge SLO;
// oldest-unprocessed: the age of the oldest record each consumer has not processed yet, with its own SLO.

import { fansOut } from "../../spec/index.js";
import { sig, formatDuration } from "../format.js";
import type { ConsumerJson, ReportJson } from "../reportTypes.js";
import { binNote, binSeries, lineChart, stepsPerBin, timeAxis, timeScaleFor, timeShades, type Chart, type Row } from "./kit.js";

interface AgeMeasure {
  name: string;
  title: string;
  slo: string;
  axis: string;
  /** What the lines are, named for the consumers drawn. */
  what: (consumers: ConsumerJson[]) => string;
  series: (c: ConsumerJson) => number[];
  max: (c: ConsumerJson) => number;
}

const ITERATOR_AGE: AgeMeasure = {
  name: "iterator-age",
  title: "Iterator age (CloudWatch)",
  slo: "maxIteratorAge",
  axis: "iterator age",
  what: iteratorAgeMetrics,
  series: (c) => c.series.iteratorAgeMs,
  max: (c) => c.afterWarmup.maxIteratorAgeMs,
};

/**
 * The metric each drawn consumer's line is, only those of the kinds drawn: a Lambda function's is Lambda's own
 * IteratorAge, whichever way its mapping reads ("the age of the last record in the event", for each batch the time
 * Lambda received it minus the time its last record was written to the stream:
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html); a fan-out reader's (KCL fan-out, Flink
 * EFO) is SubscribeToShardEvent.MillisBehindLatest; any other polls GetRecords, whose IteratorAgeMilliseconds it is.
 */
function iteratorAgeMetrics(consumers: ConsumerJson[]): string {
  const lambda = consumers.some((c) => c.kind === "lambda");
  const fanOut = consumers.some((c) => c.kind !== "lambda" && fansOut({ kind: c.kind, reader: c.processor?.reader }));
  const polling = consumers.some((c) => c.kind !== "lambda" && !fansOut({ kind: c.kind, reader: c.processor?.reader }));
  const parts = [
    ...(polling ? ["GetRecords.IteratorAgeMilliseconds for polling (the age of the last record a call returned)"] : []),
    ...(fanOut ? ["MillisBehindLatest for fan-out"] : []),
    ...(lambda ? ["Lambda's IteratorAge for Lambda (for each batch, its last record's age when Lambda received it)"] : []),
  ];
  return parts.join(", ");
}

const OLDEST_UNPROCESSED: AgeMeasure = {
  name: "oldest-unprocessed",
  title: "Oldest unprocessed record (how far each consumer lags)",
  slo: "maxOldestUnprocessedAge",
  axis: "age",
  what: () => "Age of the oldest record a consumer has not processed yet",
  series: (c) => c.series.oldestUnprocessedAgeMs,
  max: (c) => c.afterWarmup.maxOldestUnprocessedAgeMs,
};

function ageChart(report: ReportJson, m: AgeMeasure): Chart | null {
  if (report.consumers.length === 0) return null;
  const s = report.series;
  const time = timeScaleFor(report.run.durationSeconds);
  const per = stepsPerBin(s.startSeconds.length);
  const maxMs = Math.max(0, ...report.consumers.flatMap(m.series));
  const slo = report.verdict.slos.find((x) => x.name === m.slo);
  const inSeconds = Math.max(maxMs, slo?.target ?? 0) >= 10_000;
  const unit = inSeconds ? "s" : "ms";
  const scale = (ms: number) => sig(inSeconds ? ms / 1_000 : ms, 6);
  const rows: Row[] = [];
  for (const c of report.consumers) {
    binSeries(m.series(c), per, "max").forEach((ms, b) => rows.push({ t: time.at(s.startSeconds[b * per]!), consumer: c.name, age: scale(ms) }));
  }
  const worst = [...report.consumers].sort((a, b) => m.max(b) - m.max(a))[0]!;
  const spec = lineChart({
    title: m.title,
    subtitle: [`${m.what(report.consumers)}, highest over its shards${binNote(report, per, "maxima")}.`, `Highest after warmup: ${formatDuration(m.max(worst), "axis", "ms")} (${worst.name}).`],
    data: rows,
    x: timeAxis(time, report.run.durationSeconds),
    y: { field: "age", title: `${m.axis} (${unit})`, format: ",~r" },
    series: { field: "consumer", title: "consumer", domain: report.consumers.map((c) => c.name) },
    shade: timeShades(report, time),
    rules: slo && slo.target > 0 ? [{ axis: "y", value: scale(slo.target), label: `SLO ≤ ${formatDuration(slo.target, "axis", "ms")}` }] : [],
  });
  return { name: m.name, title: m.title, spec };
}

export function iteratorAgeChart(report: ReportJson): Chart | null {
  return ageChart(report, ITERATOR_AGE);
}

export function oldestUnprocessedChart(report: ReportJson): Chart | null {
  return ageChart(report, OLDEST_UNPROCESSED);
}
