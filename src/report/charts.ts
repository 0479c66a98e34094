// Charts as data: Vega-Lite specs built from report.json, pure and deterministic (same report, same spec).
// Each spec carries its data inline, so a .vl.json file renders on its own (vega-embed, the Vega editor).
//
//   report.json ──runCharts──▶ Chart[] { name, title, spec } ──render.ts──▶ SVG, PNG;  html.ts ──▶ report.html
//
// The first half is a kit the sweep charts reuse: a time axis in s/min/h, series binning, a line (or stacked
// area) chart with an optional confidence band, reference rules and shaded x ranges, and the shared look.
// The second half is the run's charts, one function each.

import type { Config, TopLevelSpec } from "vega-lite";
import type { Field } from "vega-lite/types_unstable/channeldef.js";
import type { LayerSpec, UnitSpec } from "vega-lite/types_unstable/spec/index.js";
import { bytesHuman, fixed, sig, thousands } from "./format.js";
import type { ReportJson } from "./reportTypes.js";

export interface Chart {
  /** File name stem: charts/<name>.vl.json, .svg, .png. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** A data row of an inline Vega-Lite dataset. */
export type Row = Record<string, number | string | null>;
type Layer = LayerSpec<Field>;
type Unit = UnitSpec<Field>;

// ─── the kit ──────────────────────────────────────────────────────────────────────────────────────────────

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 240;
/** DejaVu Sans is what the PNG renderer loads; browsers fall back to their own sans-serif. */
export const CHART_FONT = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";
/** Most points a time series chart draws (2 px each at 720 px); longer series are binned. */
export const MAX_SERIES_POINTS = 600;

/** The look every chart shares: readable type, light grid, legends below the plot. */
export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: "white",
  padding: 8,
  title: { fontSize: 15, fontWeight: "bold", anchor: "start", subtitleFontSize: 12, subtitleColor: "#444", subtitlePadding: 4, offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", titleColor: "#222", labelColor: "#333", gridColor: "#e8e8e8", labelOverlap: true, labelFlush: true },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", orient: "bottom", direction: "horizontal", labelLimit: 320, titleLimit: 400, symbolStrokeWidth: 3, columns: 3 },
  view: { stroke: "#d0d0d0" },
  line: { strokeWidth: 1.5 },
  // Tableau 10 with its red last: red is for limits and SLO rules.
  range: { category: ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22", "#d62728"] },
};

/** Wraps a view as a top-level spec: schema, title (with subtitle lines), the shared config. */
export function topLevel<S extends Layer | Unit | { vconcat: (Layer | Unit)[] }>(
  spec: S,
  title: { text: string; subtitle?: string | string[] },
  description = title.text,
): TopLevelSpec {
  const subtitle = title.subtitle === undefined ? [] : (typeof title.subtitle === "string" ? [title.subtitle] : title.subtitle).flatMap((line) => wrapText(line));
  const t = subtitle.length === 0 ? { text: title.text } : { text: title.text, subtitle };
  return { $schema: VEGA_LITE_SCHEMA, description, title: t, config: CHART_CONFIG, ...spec } as TopLevelSpec;
}

/** How a time axis counts: seconds for short runs, minutes up to 3 h, hours beyond. */
export interface TimeScale {
  unit: "s" | "min" | "h";
  secondsPerUnit: number;
  /** "time since start (min)". */
  title: string;
  /** Seconds → axis units, rounded to 6 significant digits (stable JSON). */
  at(seconds: number): number;
}

export function timeScaleFor(durationSeconds: number): TimeScale {
  const [unit, secondsPerUnit] = durationSeconds <= 180 ? (["s", 1] as const) : durationSeconds <= 3 * 3_600 ? (["min", 60] as const) : (["h", 3_600] as const);
  return { unit, secondsPerUnit, title: `time since start (${unit})`, at: (s) => sig(s / secondsPerUnit, 6) };
}

/** An x axis over the whole run, in the time scale's unit, on field `field`. */
export function timeAxis(time: TimeScale, durationSeconds: number, field = "t"): AxisField {
  return { field, title: time.title, format: ",~r", domain: [0, time.at(durationSeconds)], nice: false, zero: true };
}

/**
 * Splits text into lines of at most `width` characters at spaces. Vega sizes a chart from an estimate of
 * each text's width (0.8 × font size per character, with no canvas to measure): a subtitle line longer
 * than the plot would widen the picture with empty space, so keep lines to about 80 characters.
 */
export function wrapText(text: string, width = 80): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** "5 s", "2 min", "1.5 h": a span in the largest unit that keeps it readable. */
export function spanText(seconds: number): string {
  if (seconds < 120) return `${+seconds.toFixed(2)} s`;
  if (seconds < 7_200) return `${+(seconds / 60).toFixed(2)} min`;
  return `${+(seconds / 3_600).toFixed(2)} h`;
}

const NICE_STEPS = [1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1_200, 1_800, 3_600];

/** Steps per bin, a round number (1, 2, 3, 5, 10, 15, …), so that a series of `points` steps draws at most `maxPoints` points. */
export function stepsPerBin(points: number, maxPoints = MAX_SERIES_POINTS): number {
  const least = Math.max(1, Math.ceil(points / maxPoints));
  return NICE_STEPS.find((n) => n >= least) ?? least;
}

/** Folds a series into bins of `per` steps (the last may be shorter): mean, max or sum of each bin. */
export function binSeries(values: readonly number[], per: number, reduce: "mean" | "max" | "sum"): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += per) {
    const end = Math.min(values.length, start + per);
    let acc = reduce === "max" ? -Infinity : 0;
    for (let i = start; i < end; i++) acc = reduce === "max" ? Math.max(acc, values[i]!) : acc + values[i]!;
    out.push(reduce === "mean" ? acc / (end - start) : acc);
  }
  return out;
}

export interface AxisField {
  field: string;
  title: string;
  /** Default linear. A log axis drops rows whose value is ≤ 0. */
  scale?: "linear" | "log";
  /** d3-format string for labels and tooltips (",.0f", ".0%", "~s"). */
  format?: string;
  domain?: [number, number];
  /** Round the domain out to nice numbers (default true, as in Vega-Lite). */
  nice?: boolean;
  /** Include zero in a linear domain (default true for y, false for x). */
  zero?: boolean;
}

/** A reference line: axis "y" draws a horizontal rule at a y value (a limit), "x" a vertical one (an SLO target). */
export interface ReferenceRule {
  axis: "x" | "y";
  value: number;
  label: string;
  color?: string;
}

/** A shaded span of x (the warmup, a fault's duration). */
export interface ShadedRange {
  from: number;
  to: number;
  label: string;
}

export interface LineChartOptions {
  data: Row[];
  x: AxisField;
  y: AxisField;
  /**
   * One line per value of this field, coloured; `domain` fixes the order (and colours) of the legend, and
   * `widths` (same order) the stroke width of each line.
   */
  series?: { field: string; title: string | null; domain?: string[]; widths?: number[] };
  /** A confidence band drawn under the lines: y from `lower` to `upper` (fields of the same rows). */
  band?: { lower: string; upper: string };
  rules?: ReferenceRule[];
  shade?: ShadedRange[];
  /** "line" (default) or a stacked "area" (series stacked in domain order). */
  mark?: "line" | "area";
  interpolate?: "linear" | "step-after" | "monotone";
  /** Draw a dot at each point (for short series such as sweep results). */
  points?: boolean;
  /** Extra tooltip fields besides x, y and the series. */
  tooltip?: { field: string; title: string; format?: string }[];
  width?: number;
  height?: number;
  /** A title for this panel only (in a vconcat of panels). */
  panelTitle?: string;
}

const RULE_COLOR = "#b2182b";

/**
 * The description that marks a layer of invisible points carrying tooltips: it matters only in an
 * interactive view, so static renderings leave it out (see withoutTooltipLayers).
 */
export const TOOLTIP_LAYER = "tooltips (interactive only)";

function scaleOf(a: AxisField, zeroDefault: boolean) {
  const scale: Record<string, unknown> = {};
  if (a.scale === "log") scale.type = "log";
  else scale.zero = a.zero ?? zeroDefault;
  if (a.domain) scale.domain = a.domain;
  if (a.nice !== undefined) scale.nice = a.nice;
  return scale;
}

function axisOf(a: AxisField) {
  return a.format === undefined ? { title: a.title } : { title: a.title, format: a.format };
}

/** A layered line (or stacked area) view with its band, rules and shaded ranges; wrap it with topLevel. */
export function lineLayer(o: LineChartOptions): Layer {
  const width = o.width ?? CHART_WIDTH;
  const height = o.height ?? CHART_HEIGHT;
  const positive = (r: Row, a: AxisField) => a.scale !== "log" || (r[a.field] as number) > 0;
  const data = o.data.filter((r) => positive(r, o.x) && positive(r, o.y));
  const x = { field: o.x.field, type: "quantitative", scale: scaleOf(o.x, false), axis: axisOf(o.x) };
  const y = { field: o.y.field, type: "quantitative", scale: scaleOf(o.y, true), axis: axisOf(o.y) };
  const series = o.series;
  const color = series && {
    field: series.field,
    type: "nominal",
    title: series.title,
    ...(series.domain ? { scale: { domain: series.domain }, sort: series.domain } : {}),
    // Lines show as strokes in the legend, not as the circles of the tooltip points that share the scale.
    legend: { symbolType: o.points ? "circle" : o.mark === "area" ? "square" : "stroke" },
  };
  const stacked = o.mark === "area";
  const yOf = stacked ? { ...y, stack: "zero" } : y;
  const interpolate = o.interpolate ? { interpolate: o.interpolate } : {};
  const tip = (t: { field: string; title: string; format?: string }, type = "quantitative") => ({ field: t.field, type, title: t.title, ...(t.format ? { format: t.format } : {}) });
  const tooltip = [
    tip(o.x),
    ...(series ? [tip({ field: series.field, title: series.title ?? series.field }, "nominal")] : []),
    tip(o.y),
    ...(o.band ? [tip({ field: o.band.lower, title: "lower", format: o.y.format }), tip({ field: o.band.upper, title: "upper", format: o.y.format })] : []),
    ...(o.tooltip ?? []).map((t) => tip(t)),
  ];

  const layers: object[] = [];
  for (const s of o.shade ?? []) layers.push(shadeLayer(s));
  if (o.band) {
    layers.push({
      mark: { type: "area", opacity: 0.2, ...interpolate },
      encoding: { x, y: { field: o.band.lower, type: "quantitative" }, y2: { field: o.band.upper }, ...(color ? { color } : {}) },
    });
  }
  const order = stacked && series?.domain ? series.domain : null;
  layers.push({
    ...(order ? { transform: [{ calculate: `indexof(${JSON.stringify(order)}, datum[${JSON.stringify(series!.field)}])`, as: "_order" }] } : {}),
    mark: { type: stacked ? "area" : "line", ...interpolate, ...(stacked ? { opacity: 0.85 } : {}) },
    encoding: {
      x,
      y: yOf,
      ...(color ? { color } : {}),
      ...(order ? { order: { field: "_order", type: "quantitative" } } : {}),
      ...(series?.widths && series.domain ? { strokeWidth: { field: series.field, type: "nominal", sort: series.domain, scale: { domain: series.domain, range: series.widths } } } : {}),
    },
  });
  // Points carry the tooltips (a line's own tooltip would show one datum for the whole path). Invisible
  // unless asked for, they are left out of static renderings.
  layers.push({
    ...(o.points ? {} : { description: TOOLTIP_LAYER }),
    mark: { type: "point", opacity: o.points ? 1 : 0, size: o.points ? 30 : 60, filled: true, ...(o.points ? {} : { aria: false }) },
    encoding: { x, y: yOf, ...(color ? { color } : {}), tooltip },
  });
  for (const r of o.rules ?? []) layers.push(ruleLayer(r, width));

  return {
    ...(o.panelTitle ? { title: { text: wrapText(o.panelTitle, 70), fontSize: 13 } } : {}),
    width,
    height,
    data: { values: data },
    layer: layers,
  } as Layer;
}

/** A grey band over a span of x with its label at the top left. */
export function shadeLayer(s: ShadedRange): Layer {
  return {
    data: { values: [{ from: s.from, to: s.to, label: s.label }] },
    layer: [
      { mark: { type: "rect", color: "#999", opacity: 0.14 }, encoding: { x: { field: "from", type: "quantitative" }, x2: { field: "to" } } },
      { mark: { type: "text", align: "left", baseline: "top", dx: 4, dy: 4, color: "#555", fontSize: 11 }, encoding: { x: { field: "from", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } } },
    ],
  } as Layer;
}

/** The spec without its tooltip-only layers (for SVG and PNG, where nothing hovers). */
export function withoutTooltipLayers(spec: TopLevelSpec): TopLevelSpec {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.filter((n) => !(n && typeof n === "object" && (n as { description?: unknown }).description === TOOLTIP_LAYER)).map(strip);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "layer" || k === "vconcat" || k === "hconcat" || k === "concat" ? strip(v) : v]));
    return node;
  };
  return strip(spec) as TopLevelSpec;
}

/** A dashed reference rule with its label (at the right end of a y rule, at the top of an x rule). */
export function ruleLayer(r: ReferenceRule, width = CHART_WIDTH): Layer {
  const color = r.color ?? RULE_COLOR;
  const channel = r.axis;
  const text =
    channel === "y"
      ? { mark: { type: "text", align: "right", baseline: "bottom", dy: -3, color, fontSize: 11 }, encoding: { x: { value: width - 4 }, y: { field: "value", type: "quantitative" }, text: { field: "label" } } }
      : { mark: { type: "text", align: "left", baseline: "top", dx: 4, dy: 4, color, fontSize: 11 }, encoding: { x: { field: "value", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } } };
  return {
    data: { values: [{ value: r.value, label: r.label }] },
    layer: [{ mark: { type: "rule", color, strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { [channel]: { field: "value", type: "quantitative" } } }, text],
  } as Layer;
}

/** A line chart (optionally with a confidence band, rules, shaded ranges) as a top-level spec. */
export function lineChart(o: LineChartOptions & { title: string; subtitle?: string | string[] }): TopLevelSpec {
  return topLevel(lineLayer(o), { text: o.title, subtitle: o.subtitle });
}

// ─── the run's charts ─────────────────────────────────────────────────────────────────────────────────────

/** Every chart a run has data for, in reading order. */
export function runCharts(report: ReportJson): Chart[] {
  // A stream no producer writes to (Direct PUT only) has no write charts worth drawing.
  const written = report.stream.written;
  return [
    written ? shardHeatmap(report) : null,
    written ? throttledChart(report) : null,
    written ? cloudWatchVsTruth(report) : null,
    latencyCdf(report),
    iteratorAgeChart(report),
    leaseTableChart(report),
    firehoseBufferChart(report),
    dataFreshnessChart(report),
    deliveryLatencyCdf(report),
  ].filter((c): c is Chart => c !== null);
}


function warmupShade(report: ReportJson, time: TimeScale): ShadedRange[] {
  return report.run.warmupSeconds > 0 ? [{ from: 0, to: time.at(report.run.warmupSeconds), label: "warmup" }] : [];
}

function binNote(report: ReportJson, per: number, what: string): string {
  return per > 1 ? ` (${what} over ${spanText(per * report.series.resolutionSeconds)})` : "";
}

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
  const throttledShards = new Set(rows.filter((r) => (r.throttled as number) > 0).map((r) => r.shard)).size;
  const subset = h.shards.length < report.stream.shards ? ` The ${h.shards.length} hottest of ${report.stream.shards} shards.` : "";
  const subtitle = [
    `Highest write utilisation (records or bytes, of the shard's 1,000 records/s and 1 MiB/s) in each ${spanText(h.binSeconds)} bin.${subset}`,
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

export function throttledChart(report: ReportJson): Chart {
  const s = report.series;
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
  const subtitle =
    total > 0
      ? `${thousands(total)} put attempts throttled after warmup (${report.stream.afterWarmup.writeThrottledPercent}% of attempts); at most ${thousands(Math.round(peak))} per second${binNote(report, per, "means")}.`
      : "No put attempt was throttled.";
  const spec = lineChart({
    title: "Throttled put attempts (ProvisionedThroughputExceeded)",
    subtitle,
    data: rows,
    mark: "area",
    interpolate: "step-after",
    x: timeAxis(time, report.run.durationSeconds),
    y: { field: "rate", title: "throttled attempts/s", format: ",~r", ...(peak === 0 ? { domain: [0, 1] as [number, number] } : {}) },
    series: { field: "shard", title: "shard", domain: groups.map((g) => g.name) },
    shade: warmupShade(report, time),
  });
  return { name: "throttled", title: "Throttled put attempts", spec };
}

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
  const fine = `per ${spanText(s.resolutionSeconds)} (simulated)`;
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
      shade: warmupShade(report, time),
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
    `Stream: busiest ${spanText(s.resolutionSeconds)} at ${thousands(Math.round(stream.peak))} records/s, busiest minute ${thousands(Math.round(stream.peakMinute))}/s` +
      (hotPanel ? `; hottest shard: ${thousands(Math.round(hotPanel.peak))} against ${thousands(Math.round(hotPanel.peakMinute))}/s.` : "."),
  ];
  const spec = topLevel({ vconcat: hotPanel ? [stream.layer, hotPanel.layer] : [stream.layer] }, { text: "Per-second bursts that 1-minute metrics hide", subtitle: lines });
  return { name: "cloudwatch-vs-truth", title: "Per-second bursts that 1-minute metrics hide", spec };
}

const latencySlo: Record<string, string> = {
  putLatencyP50: "put p50",
  putLatencyP99: "put p99",
  putLatencyP999: "put p99.9",
  endToEndP50: "end-to-end p50",
  endToEndP99: "end-to-end p99",
  deliveryP99: "delivery p99",
};

/** "850 ms", "2.5 s", "3.2 min" for a latency in ms. */
export function msText(ms: number): string {
  if (ms < 1_000) return `${+ms.toFixed(1)} ms`;
  if (ms < 120_000) return `${+(ms / 1_000).toFixed(2)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}

export function latencyCdf(report: ReportJson): Chart | null {
  const curves = [
    { name: "put (all producers)", cdf: report.latency.putCdf },
    ...report.consumers.map((c) => ({ name: `end-to-end: ${c.name}`, cdf: c.endToEndCdf })),
  ].filter((c) => c.cdf.some((p) => p.ms > 0));
  if (curves.length === 0) return null;
  const rows: Row[] = curves.flatMap((c) => c.cdf.filter((p) => p.ms > 0).map((p) => ({ ms: p.ms, fraction: p.fraction, curve: c.name })));
  const rules: ReferenceRule[] = report.verdict.slos
    .filter((s) => s.name in latencySlo && s.target > 0)
    .map((s) => ({ axis: "x", value: s.target, label: `SLO ${latencySlo[s.name]} ≤ ${msText(s.target)}` }));
  rules.push({ axis: "y", value: 0.99, label: "p99", color: "#555" }, { axis: "y", value: 0.5, label: "p50", color: "#555" });
  const put = report.latency.put;
  const subtitle = [
    `Fraction of records at or below each latency (log scale). Put: first attempt to acknowledgement, retries included (p99 ${msText(put.p99Ms)}).`,
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
      `Highest after warmup: ${msText(worst.afterWarmup.maxIteratorAgeMs)} (${worst.name}).`,
    ],
    data: rows,
    x: timeAxis(time, report.run.durationSeconds),
    y: { field: "age", title: `iterator age (${unit})`, format: ",~r" },
    series: { field: "consumer", title: "consumer", domain: report.consumers.map((c) => c.name) },
    shade: warmupShade(report, time),
    rules: slo && slo.target > 0 ? [{ axis: "y", value: scale(slo.target), label: `SLO ≤ ${msText(slo.target)}` }] : [],
  });
  return { name: "iterator-age", title: "Iterator age", spec };
}

export function leaseTableChart(report: ReportJson): Chart | null {
  if (report.consumers.length === 0) return null;
  const s = report.series;
  const time = timeScaleFor(report.run.durationSeconds);
  const per = stepsPerBin(s.startSeconds.length, 120);
  const used = "write units consumed per second";
  const throttled = "writes throttled per second";
  const panels = report.consumers.map((c) => {
    const rows: Row[] = [];
    const wu = binSeries(c.series.leaseTableWriteUnitsPerSecond, per, "mean");
    const thr = binSeries(c.series.leaseTableThrottledWrites, per, "mean");
    wu.forEach((v, b) => {
      const t = time.at(s.startSeconds[b * per]!);
      rows.push({ t, what: used, rate: sig(v, 6) }, { t, what: throttled, rate: sig(thr[b]! / s.resolutionSeconds, 6) });
    });
    const p = c.leaseTable.provisioned;
    const a = c.leaseTable.afterWarmup;
    return lineLayer({
      data: rows,
      panelTitle: `${c.name} (${p ? `provisioned ${p.write} WCU` : "on-demand"}): ${+a.writeUnitsPerSecond.toFixed(2)} WCU/s used, ${thousands(a.throttledWrites)} writes throttled`,
      height: report.consumers.length > 2 ? 120 : 170,
      interpolate: "step-after",
      x: timeAxis(time, report.run.durationSeconds),
      y: { field: "rate", title: "per second", format: ",~r" },
      series: { field: "what", title: null, domain: [used, throttled] },
      shade: warmupShade(report, time),
      rules: p ? [{ axis: "y", value: p.write, label: `provisioned ${p.write} WCU` }] : [],
    });
  });
  const spec = topLevel(
    { vconcat: panels },
    {
      text: "KCL lease tables: DynamoDB write capacity",
      subtitle: [
        `Lease renewals, checkpoints and lease taking write to each application's lease table, 1 WCU a write${binNote(report, per, "means")}.`,
        "A provisioned table throttles writes at its WCU once its burst is spent.",
      ],
    },
  );
  return { name: "lease-table", title: "KCL lease tables", spec };
}

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
  const flushBin = spanText(flushPer * s.resolutionSeconds);
  const small = report.firehose.length > 2;
  const panels = report.firehose.flatMap((f) => {
    const fill: Row[] = [];
    const atDestination = binSeries(f.series.destinationBytes, per, "max");
    binSeries(f.series.bufferBytes, per, "max").forEach((b, i) => {
      const t = time.at(s.startSeconds[i * per]!);
      fill.push({ t, where: inBuffer, mib: sig(b / MiB, 6) }, { t, where: atDest, mib: sig(atDestination[i]! / MiB, 6) });
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
        panelTitle: `${f.name} → ${f.destination}: buffer ${bytesHuman(f.buffer.sizeBytes)} or ${spanText(f.buffer.intervalSeconds)}; ${thousands(f.flushes.size)} flushes by size, ${thousands(f.flushes.interval)} by interval (${binds})`,
        height: small ? 110 : 160,
        x: timeAxis(time, duration),
        y: { field: "mib", title: "waiting (MiB)", format: ",~r" },
        series: { field: "where", title: "bytes waiting", domain: [inBuffer, atDest] },
        shade: warmupShade(report, time),
        rules: [{ axis: "y", value: sig(f.buffer.sizeBytes / MiB, 6), label: `size hint ${bytesHuman(f.buffer.sizeBytes)}` }],
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
        `Bytes waiting in each delivery stream's transformation and destination buffers, and at the destination (being written, waiting to retry, staged for COPY), the most in each ${spanText(per * s.resolutionSeconds)}, against the size hint; ` +
          `below, the flushes in each ${flushBin} by what triggered them. The hint that triggers most flushes binds.`,
      ],
    },
  );
  return { name: "firehose-buffer", title: "Firehose buffers and flushes", spec };
}

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
  const spec = lineChart({
    title: "DataFreshness (how long the oldest record has waited)",
    subtitle: [
      `Age of the oldest record each delivery stream has not delivered yet, the highest in each bin${binNote(report, per, "maxima")}. In steady state it climbs to about the time between flushes and falls back at each delivery.`,
      `Highest after warmup: ${msText(worst.maxDataFreshnessSeconds * 1_000)} (${worst.name}).`,
    ],
    data: rows,
    x: timeAxis(time, report.run.durationSeconds),
    y: { field: "freshness", title: `DataFreshness (${unit})`, format: ",~r", ...(most === 0 ? { domain: [0, 1] as [number, number] } : {}) },
    series: { field: "stream", title: "delivery stream", domain: report.firehose.map((f) => f.name) },
    interpolate: "step-after",
    shade: warmupShade(report, time),
    rules: slo && slo.target > 0 ? [{ axis: "y", value: scale(slo.target / 1_000), label: `SLO ≤ ${msText(slo.target)}` }] : [],
  });
  return { name: "firehose-freshness", title: "DataFreshness", spec };
}

/** The delivery latency CDF of each delivery stream (like latency-cdf), with the deliveryP99 SLO. */
export function deliveryLatencyCdf(report: ReportJson): Chart | null {
  const curves = report.firehose.map((f) => ({ name: f.name, cdf: f.deliveryLatencyCdf })).filter((c) => c.cdf.some((p) => p.ms > 0));
  if (curves.length === 0) return null;
  const rows: Row[] = curves.flatMap((c) => c.cdf.filter((p) => p.ms > 0).map((p) => ({ ms: p.ms, fraction: p.fraction, stream: c.name })));
  const rules: ReferenceRule[] = report.verdict.slos
    .filter((s) => s.name === "deliveryP99" && s.target > 0)
    .map((s) => ({ axis: "x", value: s.target, label: `SLO ${latencySlo[s.name]} ≤ ${msText(s.target)}` }));
  rules.push({ axis: "y", value: 0.99, label: "p99", color: "#555" }, { axis: "y", value: 0.5, label: "p50", color: "#555" });
  const p99 = report.firehose.map((f) => `${f.name} ${msText(f.deliveryLatency.p99Ms)}`).join(", ");
  const spec = lineChart({
    title: "Firehose delivery latency distribution",
    subtitle: [`Fraction of records delivered within each latency (log scale), from birth at the producer to delivery at the destination. p99: ${p99}.`],
    data: rows,
    x: { field: "ms", title: "delivery latency (ms, log scale)", scale: "log", format: "~s" },
    y: { field: "fraction", title: "fraction of records", format: ".0%", domain: [0, 1] },
    series: { field: "stream", title: "delivery stream", domain: curves.map((c) => c.name) },
    rules,
    points: true,
  });
  return { name: "firehose-latency-cdf", title: "Firehose delivery latency distribution", spec };
}

/**
 * A spec as the text of a .vl.json file: indented, but any value whose JSON fits on a line of 100
 * characters stays on one line (so each data row is one line: readable diffs, modest size).
 */
export function specText(spec: unknown): string {
  const format = (value: unknown, indent: string): string => {
    const flat = JSON.stringify(value) ?? "null";
    if (value === null || typeof value !== "object" || indent.length + flat.length <= 100) return flat;
    const inner = `${indent}  `;
    if (Array.isArray(value)) return value.length === 0 ? "[]" : `[\n${value.map((v) => inner + format(v, inner)).join(",\n")}\n${indent}]`;
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(",\n")}\n${indent}}`;
  };
  return `${format(spec, "")}\n`;
}
