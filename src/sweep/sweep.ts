// The sweep pipeline:
//
//   scenario text + --vary + --replications ──plan──▶ configurations × replications (tasks)
//   tasks ──runTask (any thread, any order)──▶ run summaries ──aggregate──▶ SweepResult ──▶ sweep.json, sweep.md
//
// Only src/cli reads files, spreads tasks over worker threads and writes the outputs.

import type { Chart } from "../report/charts/kit.js";
import { parseScenario, scenarioData } from "../scenario/load.js";
import { resolveTraces } from "../scenario/traces.js";
import type { Trace } from "../workload/trace.js";
import type { Scenario } from "../scenario/index.js";
import { aggregate, type SweepResult } from "./aggregate.js";
import { configScenario, planSweep, type SweepPlan } from "./plan.js";
import { sweepJsonText, sweepMarkdown, type SweepProvenance } from "./report.js";
import { runTask, type RunSummary } from "./summary.js";
import { parseVary, type Vary } from "./vary.js";

export interface PreparedSweep {
  plan: SweepPlan;
  varies: Vary[];
  data: unknown;
  scenarios: Scenario[];
  /** Traffic traces of every configuration, by the `rate.file` that names them. */
  traces: Map<string, Trace>;
  provenance: SweepProvenance;
}

/** `read` reads a trace file (paths relative to the scenario file's folder); only needed for trace rates. */
export function prepareSweep(
  text: string,
  scenarioFile: string,
  scenarioSha256: string,
  varyArgs: string[],
  replications: number,
  read: (path: string) => string = (path) => {
    throw new Error(`cannot read ${path} here`);
  },
): PreparedSweep {
  const base = parseScenario(text, scenarioFile);
  const data = scenarioData(text, scenarioFile);
  const varies = varyArgs.map(parseVary);
  const plan = planSweep(base.seed, varies, replications);
  // Every configuration must be a valid scenario, its traces readable, before anything runs.
  const scenarios = plan.configs.map((c) => configScenario(data, varies, c));
  const traces = new Map<string, Trace>();
  for (const s of scenarios) for (const [file, trace] of resolveTraces(s, scenarioFile, read)) traces.set(file, trace);
  return { plan, varies, data, scenarios, traces, provenance: { scenarioFile, scenarioSha256, scenarioName: base.name } };
}

export function taskInputs(p: PreparedSweep, filter: (taskIndex: number) => boolean = () => true) {
  return p.plan.tasks.filter((t) => filter(t.index)).map((task) => ({ data: p.data, varies: p.varies, config: p.plan.configs[task.config]!, task, traces: p.traces }));
}

/** Runs every task in this thread, in order. */
export function runSweepHere(p: PreparedSweep): RunSummary[] {
  return taskInputs(p).map(runTask);
}

export interface SweepOutputs {
  result: SweepResult;
  files: { "sweep.json": string; "sweep.md": string };
}

export function sweepOutputs(p: PreparedSweep, summaries: RunSummary[], confidence: number): SweepOutputs {
  const sorted = [...summaries].sort((a, b) => a.task - b.task);
  const result = aggregate(p.plan, p.scenarios, sorted, confidence);
  return {
    result,
    files: {
      "sweep.json": sweepJsonText(p.plan, result, p.provenance),
      "sweep.md": sweepMarkdown(p.plan, result, p.provenance),
    },
  };
}

/** The sweep's charts as Vega-Lite specs and SVG (the same bytes on every run and machine). */
export async function sweepChartFiles(sweepJson: string): Promise<{ charts: Chart[]; files: Record<string, string> }> {
  const [{ sweepCharts }, { specText }, { renderSvg }] = await Promise.all([import("./charts.js"), import("../report/charts/kit.js"), import("../report/charts/render.js")]);
  const charts = sweepCharts(JSON.parse(sweepJson) as Parameters<typeof sweepCharts>[0]);
  const files: Record<string, string> = {};
  for (const c of charts) {
    files[`charts/${c.name}.vl.json`] = specText(c.spec);
    files[`charts/${c.name}.svg`] = await renderSvg(c.spec);
  }
  return { charts, files };
}
