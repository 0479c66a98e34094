// The pipeline, end to end, one call each:
//
//   scenario text ──parse──▶ Scenario ──build──▶ Model ──simulate──▶ finished Model ──summarise──▶ RunResult
//   (src/scenario)                     (src/model on src/engine)                      (src/result)
//
//   RunResult ──judge──▶ Verdict (numbers) ──render──▶ report.json, report.md
//   (src/result)                             (src/report, pure; all the prose)
//
//   report.json ──runCharts──▶ Vega-Lite specs ──renderSvg──▶ charts/*.vl.json, *.svg ──renderPng──▶ *.png
//   report.md + specs + Vega libraries ──buildReportHtml──▶ report.html
//
// Only src/cli reads the file, hashes it, finds fonts and libraries, and writes the outputs.

import { build, type BuildOptions } from "./model/build.js";
import { simulate, type SimProgress } from "./model/simulate.js";
import type { Chart } from "./report/charts/index.js";
import type { RenderOptions } from "./report/charts/render.js";
import type { HtmlLibraries } from "./report/html.js";
import type { Provenance } from "./report/json.js";
import { renderReport } from "./report/render.js";
import type { ReportJson } from "./report/reportTypes.js";
import type { Verdict } from "./report/verdict.js";
import { judge } from "./result/judge.js";
import type { RunResult } from "./result/runResult.js";
import { summarise, type SummariseOptions } from "./result/summarise.js";
import { parseScenario, type Scenario } from "./scenario/index.js";

export type { SimProgress };
/** A count passed 2^53 − 1: the run cannot account exactly (the CLI reports it as bad input, exit 1). */
export { CountOverflowError } from "./result/accounting.js";
export { ShardBoundError } from "./model/kinesis/stream.js";

export interface SimulateOptions extends BuildOptions, SummariseOptions {}

/** A scenario simulated and summarised: build → simulate → summarise. */
export function simulateScenario(scenario: Scenario, options: SimulateOptions = {}): RunResult {
  return summarise(simulate(build(scenario, options)), options);
}

export interface RunOptions extends SimulateOptions {
  granularity?: "batch" | "record";
  /** Called as virtual time advances (a thousand times a run) and at the end; only the CLI adds wall time to it. */
  onProgress?: (progress: SimProgress) => void;
}

export interface RunOutputs {
  scenario: Scenario;
  result: RunResult;
  /** The judgement in words, as the reports carry it. */
  verdict: Verdict;
  files: { "report.json": string; "report.md": string };
}

/** A parsed scenario through the pipeline: build → simulate → summarise → judge → render. */
export function runScenario(scenario: Scenario, provenance: Provenance, options: RunOptions = {}): RunOutputs {
  const effective: Scenario = options.granularity ? { ...scenario, fidelity: { ...scenario.fidelity, granularity: options.granularity } } : scenario;
  const model = build(effective, options);
  simulate(model, { onProgress: options.onProgress });
  const result = summarise(model, options);
  const judgement = judge(result);
  const { verdict, files } = renderReport(result, judgement, provenance);
  return { scenario: effective, result, verdict, files };
}

/** Scenario text through the whole pipeline: parse → build → simulate → summarise → judge → render. */
export function runScenarioText(text: string, provenance: Provenance, options: RunOptions = {}): RunOutputs {
  return runScenario(parseScenario(text, provenance.scenarioFile), provenance, options);
}

export interface ChartFiles {
  charts: Chart[];
  /** charts/<name>.vl.json and charts/<name>.svg: the same bytes on every run and machine. */
  files: Record<string, string>;
}

/** A report's charts as Vega-Lite specs and SVG, built from report.json's text (what the charts show is what the report says). */
export async function chartFiles(reportJson: string, options: RenderOptions = {}): Promise<ChartFiles> {
  // Loaded on first use: Vega takes about 0.4 s to load, and most commands draw nothing.
  const [{ runCharts, specText }, { renderSvg }] = await Promise.all([import("./report/charts/index.js"), import("./report/charts/render.js")]);
  const charts = runCharts(JSON.parse(reportJson) as ReportJson);
  const files: Record<string, string> = {};
  for (const c of charts) {
    files[`charts/${c.name}.vl.json`] = specText(c.spec);
    files[`charts/${c.name}.svg`] = await renderSvg(c.spec, options);
  }
  return { charts, files };
}

export interface ReportFileOptions extends RenderOptions {
  /** Font files for the PNG text (DejaVu Sans and its bold); empty: the system's fonts. */
  fontFiles: string[];
  /** The minified Vega, Vega-Lite and vega-embed builds, inlined into report.html. */
  libraries: HtmlLibraries;
}

/**
 * Everything a run writes besides report.json and report.md: charts/<name>.vl.json, .svg and .png for each
 * chart, and the self-contained report.html.
 */
export async function renderReportFiles(files: RunOutputs["files"], options: ReportFileOptions): Promise<Record<string, string | Uint8Array>> {
  const { charts, files: chartTexts } = await chartFiles(files["report.json"], options);
  const [{ renderPng }, { buildReportHtml }] = await Promise.all([import("./report/charts/render.js"), import("./report/html.js")]);
  const out: Record<string, string | Uint8Array> = {};
  for (const c of charts) {
    const svg = chartTexts[`charts/${c.name}.svg`]!;
    out[`charts/${c.name}.vl.json`] = chartTexts[`charts/${c.name}.vl.json`]!;
    out[`charts/${c.name}.svg`] = svg;
    out[`charts/${c.name}.png`] = renderPng(svg, options.fontFiles);
  }
  out["report.html"] = buildReportHtml({ report: JSON.parse(files["report.json"]) as ReportJson, markdown: files["report.md"], charts, libraries: options.libraries });
  return out;
}
