// From run summaries to a sweep result: per configuration, each metric's mean with one-sided confidence bounds
// over its replications (stats.ts: bounds that stay in the metric's range); whether each SLO is met with that
// confidence (the upper bound within the target: every SLO is an upper bound); why each failing configuration
// fails, SLO by SLO (the runs' binding reasons, or, when the mean meets the SLO and only the bound misses it,
// that: add replications); which SLOs it meets so far only (a replication met it on a lower bound of a growing
// backlog, or on a shard's write burst that runs out after the end: a longer run may miss it); and the
// recommendation — the cheapest configuration that meets every SLO, none of them so far only, or why none does.

import { formatUsd } from "../report/format.js";
import type { Scenario, SloSpec } from "../scenario/index.js";
import type { Trace } from "../workload/trace.js";
import { awsSizingEstimate, awsSizingEstimates, type SizingEstimate } from "./estimate.js";
import { show, showTarget } from "./format.js";
import type { SweepPlan } from "./plan.js";
import { precisionMet, type PrecisionRule } from "./precision.js";
import { estimate, type Estimate, type MetricScale } from "./stats.js";
import { metricsFor, type MetricDef, type RunSummary } from "./summary.js";
import type { SoFar } from "../result/metSoFar.js";

export interface SloTarget {
  name: string;
  metric: string;
  label: string;
  unit: MetricDef["unit"];
  target: number;
}

export interface ConfigResult {
  index: number;
  label: string;
  values: (string | number | boolean)[];
  /** Replications run (all configurations the same, unless --precision added some). */
  replications: number;
  metrics: Record<string, Estimate>;
  /**
   * Each SLO: met (its upper bound within the target), and, when met, `soFar` if any replication met it so far only
   * (RunSummary's soFar: a lower bound on a growing backlog, a shard's write burst running out after the end): how many
   * did, why (the first such replication's kind and words).
   */
  slos: ConfigSlo[];
  /** Every SLO met, none of them so far only: what the recommendation rests on. */
  meetsAll: boolean;
  /** Every SLO met, some of them so far only (a longer run may miss them): not recommended as meeting the SLOs. */
  meetsAllSoFar: boolean;
  /**
   * Why the configuration misses SLOs: first what the statistics say (a mean within the target whose bound is
   * not: add replications), then the runs' binding reasons for the missed SLOs, most frequent first, with how
   * many replications showed them; then the SLOs it meets so far only (soFarReasons). Empty when every SLO is met
   * outright.
   */
  reasons: ConfigReason[];
  /** With --precision: whether every SLO metric's interval is as narrow as asked. */
  precisionMet?: boolean;
  awsFormula: SizingEstimate;
  /** The formula for every stream, when the scenario has several. */
  awsFormulaByStream: (SizingEstimate & { name: string })[];
}

export interface ConfigSlo {
  name: string;
  met: boolean;
  upperBound: number;
  soFar?: { replications: number; kind: SoFar; words: string };
}

export interface ConfigReason {
  reason: string;
  /** The runs' kind of the reason (RunReason.kind; absent, as replications, for what the statistics say). */
  kind?: string;
  /** Replications that showed it (absent for what the statistics say). */
  replications?: number;
}

export interface SweepResult {
  confidence: number;
  /** The --precision rule, or null. */
  precision: PrecisionRule | null;
  metrics: MetricDef[];
  slos: SloTarget[];
  configs: ConfigResult[];
  /** Index of the recommended configuration, or null. */
  recommended: number | null;
  recommendation: string;
}

/** SLO targets in the metrics' units (durations in ms). */
export function sloTargets(slo: SloSpec, metrics: MetricDef[]): SloTarget[] {
  const out: SloTarget[] = [];
  for (const m of metrics) {
    if (!m.slo) continue;
    const raw = (slo as Record<string, number | undefined>)[m.slo];
    if (raw === undefined) continue;
    out.push({ name: m.slo, metric: m.name, label: m.label, unit: m.unit, target: m.unit === "ms" ? raw / 1_000 : raw });
  }
  return out;
}

/** The range a metric's values live in: percentages 0–100, the rest (latencies, costs) ≥ 0. */
export function metricScale(def: Pick<MetricDef, "unit">): MetricScale {
  return def.unit === "%" ? "percent" : "positive";
}

export interface AggregateOptions {
  /** Traffic traces of trace-replay producers, by file (for the AWS formula). */
  traces?: ReadonlyMap<string, Trace>;
  precision?: PrecisionRule | null;
}

export function aggregate(plan: SweepPlan, scenarios: Scenario[], summaries: RunSummary[], confidence: number, options: AggregateOptions = {}): SweepResult {
  const traces = options.traces ?? new Map<string, Trace>();
  const precision = options.precision ?? null;
  const base = scenarios[0]!;
  const metrics = metricsFor(base.consumers.length > 0, base.firehose.length > 0);
  const slos = sloTargets(base.slo, metrics);
  const pct = `${Math.round(confidence * 100)}%`;
  const byConfig = plan.configs.map(() => [] as RunSummary[]);
  for (const s of summaries) byConfig[s.config]!.push(s);
  const expected = plan.configs.map(() => 0);
  for (const t of plan.tasks) expected[t.config]!++;

  const configs: ConfigResult[] = plan.configs.map((c) => {
    const runs = byConfig[c.index]!.sort((a, b) => a.replication - b.replication);
    if (runs.length !== expected[c.index]) throw new Error(`configuration ${c.label} has ${runs.length} of ${expected[c.index]} replications`);
    const m: Record<string, Estimate> = {};
    for (const def of metrics) m[def.name] = estimate(runs.map((r) => r.metrics[def.name] ?? 0), confidence, metricScale(def));
    const sloResults = slos.map((t) => {
      const e = m[t.metric]!;
      const upperBound = e.ci ? e.ci[1] : e.mean;
      // A run with no data for it (no GetRecords call after warmup: no iterator age) is no pass, whatever the mean.
      const noData = runs.some((r) => r.slos.some((s) => s.name === t.name && s.noData));
      const met = !noData && upperBound <= t.target;
      // Met so far in any replication: the configuration meets it so far only.
      const soFars = runs.map((r) => r.slos.find((s) => s.name === t.name)?.soFar).filter((x) => x !== undefined);
      const soFar = met && soFars.length > 0 ? { replications: soFars.length, kind: soFars[0]!.kind, words: soFars[0]!.words } : undefined;
      return { name: t.name, met, upperBound, ...(soFar ? { soFar } : {}) };
    });
    const reasons = [...reasonsFor(slos, sloResults, m, runs, pct), ...soFarReasons(slos, sloResults)];
    const allMet = sloResults.every((s) => s.met);
    const anySoFar = sloResults.some((s) => s.soFar);
    return {
      index: c.index,
      label: c.label,
      values: c.values,
      replications: runs.length,
      metrics: m,
      slos: sloResults,
      meetsAll: allMet && !anySoFar,
      meetsAllSoFar: allMet && anySoFar,
      reasons,
      ...(precision ? { precisionMet: precisionMet(m, slos, precision) } : {}),
      awsFormula: awsSizingEstimate(scenarios[c.index]!, traces),
      awsFormulaByStream: awsSizingEstimates(scenarios[c.index]!, traces),
    };
  });

  let recommended: number | null = null;
  let recommendation: string;
  if (slos.length === 0) {
    recommendation = "The scenario states no SLOs, so there is nothing to recommend against: add an `slo:` section.";
  } else {
    const passing = configs.filter((c) => c.meetsAll);
    for (const c of passing) {
      if (recommended === null || c.metrics.monthlyCostUsd!.mean < configs[recommended]!.metrics.monthlyCostUsd!.mean) recommended = c.index;
    }
    // With one replication there is no interval: a configuration "meets" an SLO by its single run (helper-51: a
    // 1-replication sweep recommended 7 shards "at 95% confidence"; 8 replications failed 7 and recommended 8).
    const single = configs.every((c) => c.replications <= 1);
    // The dollars a reviewer repeats carry what they are (helper-77): the window's rates, not the scenario's month.
    const perMonth = (c: (typeof configs)[number]) => `${formatUsd(c.metrics.monthlyCostUsd!.mean)} per month at its runs' rates after warmup, as if they held all month`;
    const judged = single ? "in its single run (1 replication: no confidence bound; add --replications for one)" : `at ${pct} confidence`;
    // Configurations that meet every SLO only so far (a lower bound on a growing backlog, a shard's write burst running
    // out after the end) are not recommended as meeting them, and the recommendation says so when they are the cheaper.
    const label = (name: string) => slos.find((t) => t.name === name)?.label ?? name;
    const soFarList = (cs: readonly ConfigResult[]) =>
      cs.map((c) => `${c.label} (${c.slos.filter((s) => s.soFar).map((s) => `${label(s.name)}: ${s.soFar!.words}`).join("; ")})`).join("; ");
    const soFar = configs.filter((c) => c.meetsAllSoFar);
    if (recommended !== null) {
      const c = configs[recommended]!;
      const cheaper = soFar.filter((x) => x.metrics.monthlyCostUsd!.mean < c.metrics.monthlyCostUsd!.mean);
      const notThese =
        cheaper.length === 0
          ? ""
          : ` Cheaper, ${soFarList(cheaper)} ${cheaper.length === 1 ? "meets" : "meet"} every SLO only so far: not recommended, as a longer run may miss them.`;
      recommendation =
        (single
          ? `${c.label}: the cheapest of the ${passing.length} configuration(s) that meet every SLO, each ${judged} (${perMonth(c)}).`
          : `${c.label}: the cheapest of the ${passing.length} configuration(s) that meet every SLO ${judged} (${perMonth(c)}).`) + notThese;
    } else {
      // The reasons by kind, counted in runs: a hot shard is a different shard, with a different share, in each placement of
      // the keys (helper-57: three "hot shard: shardId-… gets …%" reasons, 1 run each, fell behind two of write capacity).
      // What binds is what missed SLOs; the SLOs met so far only have their own sentence.
      const reasons = new Map<string, number>();
      for (const c of configs) for (const r of c.reasons) if (r.kind !== undefined && r.replications !== undefined && !SO_FAR_KINDS.has(r.kind)) reasons.set(r.kind, (reasons.get(r.kind) ?? 0) + r.replications);
      const runs = configs.reduce((n, c) => n + c.replications, 0);
      const top = [...reasons.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3).map(([r, n]) => `${r} (in ${n} of the ${runs} runs)`);
      // Configurations whose means meet every SLO: only their bounds miss (not those whose bounds meet them so far).
      const close = configs.filter((c) => !c.meetsAllSoFar && slos.every((t) => c.metrics[t.metric]!.mean <= t.target));
      recommendation =
        (soFar.length > 0
          ? `No configuration meets every SLO ${judged} beyond the run's end: ${soFarList(soFar)} ${soFar.length === 1 ? "meets" : "meet"} every SLO only so far, so a longer run may miss them.`
          : `No configuration meets every SLO ${judged}.`) +
        (top.length ? ` What binds: ${top.join("; ")}.` : "") +
        (close.length
          ? ` The means of ${close.map((c) => c.label).join("; ")} meet every SLO but their ${pct} upper bounds do not: add replications.`
          : "");
    }
  }
  return { confidence, precision, metrics, slos, configs, recommended, recommendation };
}

/** The kinds of the reasons a configuration meets an SLO so far only (soFarReasons), by RunSoFar's kind. */
const SO_FAR_KIND: Record<SoFar, string> = {
  writeBurst: "met only so far: a shard's write burst runs out after the end",
  growingBacklog: "met only so far: a growing backlog (a lower bound on it, or an age rising with it)",
};
const SO_FAR_KINDS = new Set(Object.values(SO_FAR_KIND));

/**
 * Why a configuration meets SLOs so far only, SLO by SLO: "put attempts throttled: met only so far (shardId-…'s write
 * burst runs out at 0:05:00 at the run's pace)", with how many replications met it so far.
 */
function soFarReasons(slos: SloTarget[], results: ConfigSlo[]): ConfigReason[] {
  return results.flatMap((s, i) => (s.soFar ? [{ reason: `${slos[i]!.label}: met only so far (${s.soFar.words})`, kind: SO_FAR_KIND[s.soFar.kind], replications: s.soFar.replications }] : []));
}

/**
 * Why a configuration misses SLOs, SLO by SLO. A missed SLO whose mean is within the target is missed by its
 * bound alone: more replications narrow the bound (or show the mean is above after all). Then the runs' own
 * reasons for the missed SLOs, counted by replication; and an SLO missed with no reason from any run gets its
 * mean against the target, so every failing configuration says why.
 */
function reasonsFor(slos: SloTarget[], results: { name: string; met: boolean; upperBound: number }[], m: Record<string, Estimate>, runs: RunSummary[], pct: string): ConfigReason[] {
  const missed = new Set(results.filter((s) => !s.met).map((s) => s.name));
  if (missed.size === 0) return [];
  const counts = new Map<string, { kind: string; reps: Set<number> }>();
  const explained = new Set<string>();
  for (const r of runs) {
    for (const { slo, reason, kind } of r.reasons) {
      if (!missed.has(slo)) continue;
      explained.add(slo);
      let c = counts.get(reason);
      if (!c) counts.set(reason, (c = { kind, reps: new Set() }));
      c.reps.add(r.replication);
    }
  }
  const notes: ConfigReason[] = [];
  slos.forEach((t, i) => {
    const res = results[i]!;
    if (res.met) return;
    const e = m[t.metric]!;
    if (runs.some((r) => r.slos.some((s) => s.name === t.name && s.noData))) return;
    if (e.mean <= t.target) {
      notes.push({ reason: `${t.label}: the mean ${show(e.mean, t.unit, undefined, t.target)} meets the SLO (≤ ${showTarget(t.target, t.unit)}), the ${pct} upper bound ${show(res.upperBound, t.unit, undefined, t.target)} does not: add replications` });
    } else if (!explained.has(t.name)) {
      notes.push({ reason: `${t.label}: ${show(e.mean, t.unit, undefined, t.target)} on average, over the SLO's ${showTarget(t.target, t.unit)}` });
    }
  });
  const fromRuns = [...counts.entries()]
    .map(([reason, { kind, reps }]) => ({ reason, kind, replications: reps.size }))
    .sort((a, b) => b.replications - a.replications || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return [...notes, ...fromRuns];
}
