// Charts as data: Vega-Lite specs built from report.json, pure and deterministic (same report, same spec).
// Each spec carries its data inline, so a .vl.json file renders on its own (vega-embed, the Vega editor).
//
//   report.json ──runCharts──▶ Chart[] { name, title, spec } ──render.ts──▶ SVG, PNG;  html.ts ──▶ report.html
//
// kit.ts is the kit the run's charts and the sweep charts share; the run's charts are one file each, listed
// here in reading order.

import type { ReportJson } from "../reportTypes.js";
import { cloudWatchVsTruth } from "./cloudwatchVsTruth.js";
import { firehoseBufferChart } from "./firehoseBuffer.js";
import { dataFreshnessChart } from "./firehoseFreshness.js";
import { deliveryLatencyCdf } from "./firehoseLatencyCdf.js";
import { iteratorAgeChart, oldestUnprocessedChart } from "./iteratorAge.js";
import type { Chart } from "./kit.js";
import { latencyCdf } from "./latencyCdf.js";
import { leaseTableChart } from "./leaseTable.js";
import { shardHeatmap } from "./shardHeatmap.js";
import { sinkChart } from "./sink.js";
import { throttledChart } from "./throttled.js";

export { minuteMeans } from "./cloudwatchVsTruth.js";
export { binSeries, lineChart, specText, stepsPerBin, timeScaleFor, withoutTooltipLayers, wrapText, type Chart, type Row } from "./kit.js";

/** Every chart a run has data for, in reading order. */
export function runCharts(report: ReportJson): Chart[] {
  // A stream no producer writes to (Direct PUT only) has no write charts worth drawing.
  const written = report.stream.written;
  return [
    written ? shardHeatmap(report) : null,
    written ? throttledChart(report) : null,
    written ? cloudWatchVsTruth(report) : null,
    latencyCdf(report),
    oldestUnprocessedChart(report),
    iteratorAgeChart(report),
    leaseTableChart(report),
    sinkChart(report),
    firehoseBufferChart(report),
    dataFreshnessChart(report),
    deliveryLatencyCdf(report),
  ].filter((c): c is Chart => c !== null);
}
