// The chart kit: Vega-Lite specs as data, pure and deterministic (same input, same spec). Each spec carries its
// data inline, so a .vl.json file renders on its own (vega-embed, the Vega editor).
//
// Shared by the run's charts (one file each beside this one, listed by index.ts) and the sweep charts
// (src/sweep/charts.ts): a time axis in s/min/h, series binning, a line (or stacked area) chart with an
// optional confidence band, reference rules and shaded x ranges, the shared look, and the text of a .vl.json
// file; last, the few helpers several run charts share (warmup shading, bin notes, latency labels).

import type { Config, TopLevelSpec } from "vega-lite";
import type { Field } from "vega-lite/types_unstable/channeldef.js";
import type { LayerSpec, UnitSpec } from "vega-lite/types_unstable/spec/index.js";
import { sig, formatDuration } from "../format.js";
import type { ReportJson } from "../reportTypes.js";

export interface Chart {
  /** File name stem: charts/<name>.vl.json, .svg, .png. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** A data row of an inline Vega-Lite dataset. */
export type Row = Record<string, number | string | null>;
export type Layer = LayerSpec<Field>;
type Unit = UnitSpec<Field>;

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
  /** A fault's interval (drawn in red) rather than the warmup (grey). */
  fault?: boolean;
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
      { mark: { type: "rect", color: s.fault ? RULE_COLOR : "#999", opacity: s.fault ? 0.12 : 0.14 }, encoding: { x: { field: "from", type: "quantitative" }, x2: { field: "to" } } },
      {
        mark: { type: "text", align: "left", baseline: "top", dx: 4, dy: s.fault ? 18 : 4, color: s.fault ? RULE_COLOR : "#555", fontSize: 11 },
        encoding: { x: { field: "from", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } },
      },
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

// ─── what several of the run's charts share ───────────────────────────────────────────────────────────────

/**
 * What every time chart shades: the warmup, and each fault as a marked interval (an instant — a crash, a
 * restart — as a band of half a percent of the run) labelled with its kind and target.
 */
export function timeShades(report: ReportJson, time: TimeScale): ShadedRange[] {
  const out: ShadedRange[] = report.run.warmupSeconds > 0 ? [{ from: 0, to: time.at(report.run.warmupSeconds), label: "warmup" }] : [];
  const instant = report.run.durationSeconds / 200;
  for (const f of report.faults ?? []) {
    out.push({ from: time.at(f.atSeconds), to: time.at(f.atSeconds + Math.max(f.forSeconds, instant)), label: `${f.kind}: ${f.target}`, fault: true });
  }
  // A reshard: the time the stream is UPDATING, from the call until the children open.
  for (const r of report.stream.reshards ?? []) {
    const p = r.inProgressAtEnd;
    const label = p ? `${r.kind} → ${r.openShardsAfter - p.closing.length + p.opening} shards, completing after the run` : `${r.kind} → ${r.openShardsAfter} shards`;
    // One completing after the run is shaded to the run's end.
    out.push({ from: time.at(r.calledAtSeconds), to: time.at(Math.min(report.run.durationSeconds, Math.max(r.doneAtSeconds, r.calledAtSeconds + instant))), label, fault: true });
  }
  return out;
}

export function binNote(report: ReportJson, per: number, what: string): string {
  return per > 1 ? ` (${what} over ${formatDuration(per * report.series.resolutionSeconds, "span", "s")})` : "";
}

export const latencySlo: Record<string, string> = {
  putLatencyP50: "put p50",
  putLatencyP99: "put p99",
  putLatencyP999: "put p99.9",
  endToEndP50: "end-to-end p50",
  endToEndP99: "end-to-end p99",
  deliveryP99: "delivery p99",
};

