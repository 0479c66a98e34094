// From run summaries to a sweep result: per configuration, each metric's mean with a Student-t confidence
// interval over replications; whether each SLO is met with that confidence (the interval's upper bound within
// the target: every SLO is an upper bound); the binding reasons of the misses; and the recommendation — the
// cheapest configuration that meets every SLO, or why none does.

import { formatUsd } from "../report/format.js";
import type { Scenario, SloSpec } from "../scenario/index.js";
import { awsSizingEstimate, awsSizingEstimates, type SizingEstimate } from "./estimate.js";
import type { SweepPlan } from "./plan.js";
import { estimate, type Estimate } from "./stats.js";
import { metricsFor, type MetricDef, type RunSummary } from "./summary.js";

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
  metrics: Record<string, Estimate>;
  slos: { name: string; met: boolean; upperBound: number }[];
  meetsAll: boolean;
  /** Reasons behind missed SLOs, most frequent first, with how many replications showed them. */
  reasons: { reason: string; replications: number }[];
  awsFormula: SizingEstimate;
  /** The formula for every stream, when the scenario has several. */
  awsFormulaByStream: (SizingEstimate & { name: string })[];
}

export interface SweepResult {
  confidence: number;
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

export function aggregate(plan: SweepPlan, scenarios: Scenario[], summaries: RunSummary[], confidence: number): SweepResult {
  const base = scenarios[0]!;
  const metrics = metricsFor(base.consumers.length > 0, base.firehose.length > 0);
  const slos = sloTargets(base.slo, metrics);
  const byConfig = plan.configs.map(() => [] as RunSummary[]);
  for (const s of summaries) byConfig[s.config]!.push(s);

  const configs: ConfigResult[] = plan.configs.map((c) => {
    const runs = byConfig[c.index]!.sort((a, b) => a.replication - b.replication);
    if (runs.length !== plan.replications) throw new Error(`configuration ${c.label} has ${runs.length} of ${plan.replications} replications`);
    const m: Record<string, Estimate> = {};
    for (const def of metrics) m[def.name] = estimate(runs.map((r) => r.metrics[def.name] ?? 0), confidence);
    const sloResults = slos.map((t) => {
      const e = m[t.metric]!;
      const upperBound = e.ci ? e.ci[1] : e.mean;
      return { name: t.name, met: upperBound <= t.target, upperBound };
    });
    const counts = new Map<string, number>();
    for (const r of runs) for (const reason of r.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const reasons = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([reason, replications]) => ({ reason, replications }));
    return {
      index: c.index,
      label: c.label,
      values: c.values,
      metrics: m,
      slos: sloResults,
      meetsAll: sloResults.every((s) => s.met),
      reasons,
      awsFormula: awsSizingEstimate(scenarios[c.index]!),
      awsFormulaByStream: awsSizingEstimates(scenarios[c.index]!),
    };
  });

  let recommended: number | null = null;
  let recommendation: string;
  const pct = `${Math.round(confidence * 100)}%`;
  if (slos.length === 0) {
    recommendation = "The scenario states no SLOs, so there is nothing to recommend against: add an `slo:` section.";
  } else {
    const passing = configs.filter((c) => c.meetsAll);
    for (const c of passing) {
      if (recommended === null || c.metrics.monthlyCostUsd!.mean < configs[recommended]!.metrics.monthlyCostUsd!.mean) recommended = c.index;
    }
    if (recommended !== null) {
      const c = configs[recommended]!;
      recommendation =
        `${c.label}: the cheapest of the ${passing.length} configuration(s) that meet every SLO at ${pct} confidence ` +
        `(${formatUsd(c.metrics.monthlyCostUsd!.mean)} per month).`;
    } else {
      const reasons = new Map<string, number>();
      for (const c of configs) for (const r of c.reasons) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + r.replications);
      const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r]) => r);
      recommendation = `No configuration meets every SLO at ${pct} confidence.` + (top.length ? ` What binds: ${top.join("; ")}.` : "");
    }
  }
  return { confidence, metrics, slos, configs, recommended, recommendation };
}
