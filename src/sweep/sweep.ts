// The sweep pipeline:
//
//   scenario text + --vary + --replications ──plan──▶ configurations × replications (tasks)
//   tasks ──runTask (any thread, any order)──▶ run summaries ──aggregate──▶ SweepResult ──▶ sweep.json, sweep.md
//   with --precision: aggregate ──configurations not precise enough──▶ one more replication each, again
//   sweep.json ──sweepCharts──▶ charts; sweep.md + charts + Vega libraries ──buildSweepHtml──▶ sweep.html
//
// Only src/cli reads files, spreads tasks over worker threads and writes the outputs.

import type { Chart } from "../report/charts/kit.js";
import { parseScenario, scenarioData } from "../scenario/load.js";
import { resolveTraces } from "../scenario/traces.js";
import type { Trace } from "../workload/trace.js";
import type { Scenario } from "../scenario/index.js";
import type { HtmlLibraries } from "../report/html.js";
import { aggregate, sloTargets, type SweepResult } from "./aggregate.js";
import { configScenario, MAX_RUNS, planSweep, withReplications, type SweepPlan } from "./plan.js";
import { configsToReplicate, type PrecisionRule } from "./precision.js";
import { sweepJsonText, sweepMarkdown, type SweepProvenance } from "./report.js";
import { metricsFor, runTask, type RunSummary } from "./summary.js";
import { parseVary, SweepError, type Vary } from "./vary.js";

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
  precision: PrecisionRule | null = null,
): PreparedSweep {
  const base = parseScenario(text, scenarioFile);
  const data = scenarioData(text, scenarioFile);
  const varies = varyArgs.map(parseVary);
  const plan = planSweep(base.seed, varies, replications);
  if (precision) {
    if (replications < 2) throw new SweepError(`--precision needs at least 2 replications to start from (an interval); got --replications ${replications}`);
    if (precision.maxReplications < replications) throw new SweepError(`--max-replications (${precision.maxReplications}) is below --replications (${replications})`);
    if (plan.configs.length * precision.maxReplications > MAX_RUNS) {
      throw new SweepError(`the sweep may run ${plan.configs.length} configurations × ${precision.maxReplications} replications = ${plan.configs.length * precision.maxReplications} runs; at most ${MAX_RUNS}`);
    }
    if (sloTargets(base.slo, metricsFor(base.consumers.length > 0, base.firehose.length > 0)).length === 0) throw new SweepError("--precision replicates until the SLO metrics are precise, and the scenario states no SLOs: add an `slo:` section");
  }
  // Every configuration must be a valid scenario, its traces readable, before anything runs.
  const scenarios = plan.configs.map((c) => configScenario(data, varies, c));
  const traces = new Map<string, Trace>();
  for (const s of scenarios) for (const [file, trace] of resolveTraces(s, scenarioFile, read, text)) traces.set(file, trace);
  return { plan, varies, data, scenarios, traces, provenance: { scenarioFile, scenarioSha256, scenarioName: base.name } };
}

export function taskInputs(p: PreparedSweep, filter: (taskIndex: number) => boolean = () => true) {
  return p.plan.tasks.filter((t) => filter(t.index)).map((task) => ({ data: p.data, varies: p.varies, config: p.plan.configs[task.config]!, task, traces: p.traces }));
}

/** Runs tasks (in this thread or elsewhere); the summaries in any order. */
export type TaskRunner = (inputs: ReturnType<typeof taskInputs>) => Promise<RunSummary[]>;

/**
 * Runs the sweep: every task of the plan, then, with a precision rule, rounds of one more replication for each
 * configuration whose SLO metrics are not yet precise enough, until none is left or they reach the cap.
 * Returns the sweep with its final plan and every run's summary. `filter`: only these tasks (a partition's
 * slice; not with a precision rule).
 */
export async function runSweep(
  p: PreparedSweep,
  run: TaskRunner,
  confidence: number,
  precision: PrecisionRule | null = null,
  filter?: (taskIndex: number) => boolean,
): Promise<{ prepared: PreparedSweep; summaries: RunSummary[] }> {
  if (precision && filter) throw new SweepError("--precision decides the replications round by round from every configuration's results: it cannot run a slice of the sweep");
  const summaries = [...(await run(taskInputs(p, filter)))];
  let prepared = p;
  while (precision) {
    const result = aggregate(prepared.plan, prepared.scenarios, summaries, confidence, { traces: prepared.traces, precision });
    const more = configsToReplicate(result.configs, precision);
    if (more.length === 0) break;
    const done = prepared.plan.tasks.length;
    prepared = { ...prepared, plan: withReplications(prepared.plan, more) };
    summaries.push(...(await run(taskInputs(prepared, (i) => i >= done))));
  }
  return { prepared, summaries };
}

/** Runs every task in this thread, in order (no --precision rounds). */
export function runSweepHere(p: PreparedSweep): RunSummary[] {
  return taskInputs(p).map(runTask);
}

export interface SweepOutputs {
  result: SweepResult;
  files: { "sweep.json": string; "sweep.md": string };
}

/** `modeCharts`: the files of the bill of every capacity mode written beside sweep.md (sweepMarkdown), if any. */
export function sweepOutputs(p: PreparedSweep, summaries: RunSummary[], confidence: number, precision: PrecisionRule | null = null, modeCharts: readonly string[] = []): SweepOutputs {
  const sorted = [...summaries].sort((a, b) => a.config - b.config || a.replication - b.replication);
  const result = aggregate(p.plan, p.scenarios, sorted, confidence, { traces: p.traces, precision });
  return {
    result,
    files: {
      "sweep.json": sweepJsonText(p.plan, result, p.provenance),
      "sweep.md": sweepMarkdown(p.plan, result, p.provenance, { modeCharts, afterWarmupUs: sharedAfterWarmup(p.scenarios) }),
    },
  };
}

/** The simulated time after warmup of every configuration, when they share one (a sweep may vary the duration). */
function sharedAfterWarmup(scenarios: readonly Scenario[]): number | undefined {
  const spans = new Set(scenarios.map((s) => s.duration - s.warmup));
  return spans.size === 1 ? [...spans][0] : undefined;
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

/** sweep.html: sweep.md, its charts and the Vega libraries in one self-contained page. */
export async function sweepHtml(files: SweepOutputs["files"], charts: Chart[], libraries: HtmlLibraries): Promise<string> {
  const { buildSweepHtml } = await import("./html.js");
  return buildSweepHtml({ sweep: JSON.parse(files["sweep.json"]) as Parameters<typeof buildSweepHtml>[0]["sweep"], markdown: files["sweep.md"], charts, libraries });
}
