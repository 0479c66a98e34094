// sweep.json (versioned, deterministic) and sweep.md (the recommendation first, then the comparison table).

import { monthlyCostCaveat } from "../report/billScope.js";
import { monthlyCostBasis, sig, thousands } from "../report/format.js";
import { MAX_SHARDS_PER_STREAM, needsShardLimitIncrease } from "../result/shardLimit.js";
import { LIMITS_VERSION, PRICES_VERSION, SHARDCAST_VERSION } from "../report/version.js";
import type { SweepResult } from "./aggregate.js";
import { cell, showTarget } from "./format.js";
import { replicationSeed, type SweepPlan } from "./plan.js";
import type { Estimate } from "./stats.js";

/**
 * sweep.json's schema; /2: one-sided bounds in range (stats.ts), reasons by missed SLO, replications per configuration,
 * --precision; /3: each run reason's kind; /4: SLOs met so far only (a configuration's `slos[].soFar`, `meetsAllSoFar`;
 * `meetsAll` no longer counts them).
 */
export const SWEEP_SCHEMA = "shardcast.sweep/4";

export interface SweepProvenance {
  scenarioFile: string;
  scenarioSha256: string;
  scenarioName: string;
}

const est = (e: Estimate) => ({
  n: e.n,
  mean: sig(e.mean),
  sd: sig(e.sd),
  ci: e.ci ? [sig(e.ci[0]), sig(e.ci[1])] : null,
});

/** The most replications any configuration ran (all of them, without --precision). */
function mostReplications(result: SweepResult): number {
  return Math.max(0, ...result.configs.map((c) => c.replications));
}

export function buildSweepJson(plan: SweepPlan, result: SweepResult, provenance: SweepProvenance) {
  const most = mostReplications(result);
  return {
    schema: SWEEP_SCHEMA,
    provenance: {
      shardcastVersion: SHARDCAST_VERSION,
      limitsVersion: LIMITS_VERSION,
      prices: PRICES_VERSION,
      scenarioFile: provenance.scenarioFile,
      scenarioSha256: provenance.scenarioSha256,
      seed: plan.baseSeed,
    },
    scenario: provenance.scenarioName,
    varies: plan.varies,
    replications: most,
    replicationSeeds: Array.from({ length: most }, (_, r) => replicationSeed(plan.baseSeed, r)),
    confidence: result.confidence,
    precision: result.precision ? { halfWidth: result.precision.halfWidth, maxReplications: result.precision.maxReplications, startReplications: plan.replications } : null,
    metrics: result.metrics,
    slos: result.slos.map((s) => ({ ...s, target: sig(s.target) })),
    recommendation: {
      config: result.recommended,
      label: result.recommended === null ? null : result.configs[result.recommended]!.label,
      text: result.recommendation,
    },
    configs: result.configs.map((c) => ({
      index: c.index,
      label: c.label,
      values: c.values,
      replications: c.replications,
      ...(c.precisionMet === undefined ? {} : { precisionMet: c.precisionMet }),
      meetsAll: c.meetsAll,
      ...(c.meetsAllSoFar ? { meetsAllSoFar: true } : {}),
      slos: c.slos.map((s) => ({ name: s.name, met: s.met, upperBound: sig(s.upperBound), ...(s.soFar ? { soFar: s.soFar } : {}) })),
      reasons: c.reasons,
      metrics: Object.fromEntries(Object.entries(c.metrics).map(([k, v]) => [k, est(v)])),
      awsFormula: {
        shards: c.awsFormula.shards,
        shardsAtPeak: c.awsFormula.shardsAtPeak,
        shardsWithRecordLimitAtPeak: c.awsFormula.shardsWithRecordLimitAtPeak,
        averageRecordKiB: c.awsFormula.averageRecordKiB,
        recordsPerSecond: sig(c.awsFormula.recordsPerSecond),
        peakRecordsPerSecond: sig(c.awsFormula.peakRecordsPerSecond),
        pollingConsumers: c.awsFormula.pollingConsumers,
      },
      ...(c.awsFormulaByStream.length > 1 ? { awsFormulaByStream: c.awsFormulaByStream.map((e) => ({ stream: e.name, shards: e.shards, shardsAtPeak: e.shardsAtPeak, shardsWithRecordLimitAtPeak: e.shardsWithRecordLimitAtPeak })) } : {}),
    })),
  };
}

export function sweepJsonText(plan: SweepPlan, result: SweepResult, provenance: SweepProvenance): string {
  return `${JSON.stringify(buildSweepJson(plan, result, provenance), null, 2)}\n`;
}

/** A --vary path that varies a stream's capacity mode. */
export const MODE_PATH = /^(stream|streams(\[[^\]]+\]|\.[^.]+))\.mode$/;

/**
 * sweep.md. `modeCharts`: the files of the bill of every capacity mode that are written beside it (charts/modes-<stream>.svg,
 * when the sweep varies a capacity mode and draws its charts); none when they are not written (--no-charts).
 * `afterWarmupUs`: the simulated time after warmup of every configuration, when they share one (the monthly cost's window).
 */
export function sweepMarkdown(plan: SweepPlan, result: SweepResult, provenance: SweepProvenance, extras: { modeCharts?: readonly string[]; afterWarmupUs?: number } = {}): string {
  const modeCharts = extras.modeCharts ?? [];
  const out: string[] = [];
  const pct = `${Math.round(result.confidence * 100)}%`;
  out.push(`# shardcast sweep: ${provenance.scenarioName}`, "");
  out.push(`**Recommendation: ${result.recommendation}**`, "");
  const rec = result.recommended === null ? null : result.configs[result.recommended]!;
  // The formula for the recommended configuration's traffic (the first configuration's without one): a sweep that also
  // varies the traffic has a formula per configuration (helper-51: the first configuration's, at twice the rate, was
  // compared with the recommended one's shards).
  const ref = rec ?? result.configs[0]!;
  const base = ref.awsFormula;
  const byStream = ref.awsFormulaByStream;
  const formulaVaries = result.configs.some((c) => JSON.stringify(c.awsFormulaByStream) !== JSON.stringify(ref.awsFormulaByStream) || c.awsFormula.shardsAtPeak !== base.shardsAtPeak || c.awsFormula.shards !== base.shards);
  const forRef = formulaVaries ? ` For ${rec ? "the recommended configuration" : "the first configuration"} (${ref.label}), the` : "The";
  const formulaLine = byStream.length > 1
    ? `${forRef.trimStart()} AWS sizing formula (max(write KiB/s ÷ 1024, read KiB/s ÷ 2048), records rounded up to 1 KiB; an application's output counted as its input stream's records) gives, at the average rate and at the peak: ` +
      byStream.map((e) => `**${e.name}: ${thousands(e.shards)} shard(s)**, ${thousands(e.shardsAtPeak)} at the peak (${thousands(e.shardsWithRecordLimitAtPeak)} counting the 1,000 records/s limit)`).join("; ") +
      "."
    : base.stream
    ? `${forRef.trimStart()} AWS sizing formula (max(write KiB/s ÷ 1024, read KiB/s ÷ 2048), records rounded up to 1 KiB) gives ` +
      `**${thousands(base.shards)} shard(s)** at the average rate and ${thousands(base.shardsAtPeak)} at the peak ` +
      `(${thousands(base.shardsWithRecordLimitAtPeak)} counting the 1,000 records/s limit).`
    : "The scenario has no Kinesis stream (every producer writes to Firehose with Direct PUT), so the AWS shard sizing formula does not apply.";
  // A provisioned stream of more than 10,000 shards needs a limit increase first (UpdateShardCount API reference).
  const formulaCounts = byStream.length > 1 ? byStream.flatMap((e) => [e.shards, e.shardsAtPeak, e.shardsWithRecordLimitAtPeak]) : [base.shards, base.shardsAtPeak, base.shardsWithRecordLimitAtPeak];
  const overLimit = base.stream && formulaCounts.some(needsShardLimitIncrease)
    ? ` More than ${thousands(MAX_SHARDS_PER_STREAM)} shards: a provisioned stream of them needs a limit increase first (by default UpdateShardCount cannot "Scale up to more than 10000 shards in a stream"), and a swept stream.shards stops at ${thousands(MAX_SHARDS_PER_STREAM)}.`
    : "";
  out.push(formulaLine + overLimit);
  // Every varied shard count (stream.shards, or streams[name].shards of a pipeline) against the formula for its stream.
  plan.varies.forEach((vary, index) => {
    const named = /^streams(?:\[([^\]]+)\]|\.([^.]+))\.shards$/.exec(vary.path);
    if (!rec || (vary.path !== "stream.shards" && !named)) return;
    const streamName = named ? (named[1] ?? named[2]) : undefined;
    const formula = streamName === undefined ? base : rec.awsFormulaByStream.find((e) => e.name === streamName);
    if (!formula) return;
    const peak = formula.shardsAtPeak;
    const of = streamName === undefined ? "" : ` for ${streamName}`;
    const shards = Number(rec.values[index]);
    // The configuration closest to what the formula says (at or above it), with the recommended one's other values (its
    // traffic), and why it fails.
    const sameOtherwise = (c: (typeof result.configs)[number]) => c.values.every((v, j) => j === index || v === rec.values[j]);
    const atOrAbove = result.configs.filter((c) => sameOtherwise(c) && Number(c.values[index]) >= peak).sort((a, b) => Number(a.values[index]) - Number(b.values[index]));
    const formulaConfig = atOrAbove[0];
    const n = formulaConfig ? Number(formulaConfig.values[index]) : undefined;
    const why =
      formulaConfig && !formulaConfig.meetsAll
        ? ` With ${n} shards${n === peak ? " (the formula's count)" : ` (the nearest swept count at or above the formula's ${peak})`} the SLOs are ${formulaConfig.meetsAllSoFar ? "met only so far" : "missed"}: ${formulaConfig.reasons.map((r) => r.reason).join("; ") || "within the confidence interval"}.`
        : "";
    if (shards !== peak) out.push(`The sweep recommends ${shards}${of}: ${shards > peak ? "more" : "fewer"} than the formula's ${peak} at the peak.${why}`);
    else out.push(`The sweep agrees with the formula${of} at the peak rate.`);
  });
  // A sweep over capacity modes: the closed-form bill of every mode against the throughput, with its break-evens, named
  // only when its files are written (helper-77: "charts/modes-<stream>.svg" under --no-charts, where there is none).
  if (plan.varies.some((v) => MODE_PATH.test(v.path))) {
    const what = "The monthly bill of every capacity mode for this traffic, against the throughput (the break-even between provisioned and on-demand for steady traffic)";
    out.push(
      modeCharts.length > 0
        ? `${what}: ${modeCharts.join(", ")} (\`shardcast estimate --chart DIR\` draws it for any scenario).`
        : `${what}, is not drawn with this sweep (its charts were left out): \`shardcast estimate --chart DIR\` draws it.`,
    );
  }
  out.push("");
  const counts = result.configs.map((c) => c.replications);
  const fewest = Math.min(...counts);
  const most = mostReplications(result);
  const p = result.precision;
  const replicated = p
    ? `${fewest === most ? most : `${fewest} to ${most}`} replication(s) (--precision: replications added one at a time until every SLO metric's half-width is within ` +
      `${+(p.halfWidth * 100).toFixed(6)}% of the larger of its mean and its target, or the configuration has ${p.maxReplications})`
    : `${plan.replications} replication(s)`;
  out.push(
    most <= 1
      ? // One run a configuration: no variance, no bound (helper-51).
        `${plan.configs.length} configuration(s) × 1 replication: each value is one run's, with no confidence bound (a bound needs 2 replications or more: --replications), ` +
          `and an SLO counts as met when that run meets it; each configuration's run uses the same seed (common random numbers), so differences come from the configurations.`
      : `${plan.configs.length} configuration(s) × ${replicated}; each replication uses the same seed in every configuration ` +
          `(common random numbers), so differences come from the configurations. Values are means [lower, upper]: one-sided ${pct} confidence bounds on the mean ` +
          `(Student t score bounds with the variance the replications show, shrinking to 0 at the ends of the metric's range — 0 and 100% for percentages, 0 for latencies and costs — so they stay in range); ` +
          `an SLO counts as met when the upper bound is within the target.`,
    "",
  );

  const shown = result.metrics.filter((m) => result.slos.some((s) => s.metric === m.name) || m.name === "monthlyCostUsd" || m.name === "writeThrottledPercent");
  const header = ["configuration", ...shown.map((m) => {
    const slo = result.slos.find((s) => s.metric === m.name);
    return slo ? `${m.label} (SLO ≤ ${showTarget(slo.target, m.unit)})` : m.label;
  }), "meets SLOs", "what binds"];
  const rows = result.configs.map((c) => [
    `${c.index === result.recommended ? `**${c.label}** (recommended)` : c.label}${p && fewest !== most ? `, ${c.replications} replications` : ""}${c.precisionMet === false ? " (precision not reached)" : ""}`,
    ...shown.map((m) => {
      const slo = c.slos.find((s) => result.slos.find((t) => t.name === s.name)?.metric === m.name);
      // Against the SLO's target, the mean and the upper bound print on the side of it they are (cell).
      const text = cell(c.metrics[m.name]!, m.unit, result.slos.find((t) => t.name === slo?.name)?.target);
      return slo ? `${text} ${slo.met ? (slo.soFar ? "✓ so far" : "✓") : "✗"}` : text;
    }),
    result.slos.length === 0 ? "–" : c.meetsAll ? "yes" : c.meetsAllSoFar ? "so far only" : "no",
    c.reasons.map((r) => `${r.reason}${r.replications !== undefined && c.replications > 1 ? ` (${r.replications}/${c.replications})` : ""}`).join("; ") || "–",
  ]);
  out.push(`| ${header.join(" | ")} |`, `| ${header.map((_, i) => (i === 0 ? ":---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`), "");
  // What the cost column (and the recommendation's cost) is: the run's window, not a month of the scenario's mean
  // (helper-77: clickstream-sizing's 10 minutes around the daily peak billed as if the peak lasted all month).
  if (shown.some((m) => m.name === "monthlyCostUsd")) {
    const where = result.recommended === null ? "" : ", in the table and the recommendation";
    out.push(`Monthly cost${where}: ${monthlyCostBasis("each run", extras.afterWarmupUs)}. ${monthlyCostCaveat()}`, "");
  }

  out.push("## Runs", "");
  out.push(
    `Scenario file ${provenance.scenarioFile} (sha256 ${provenance.scenarioSha256.slice(0, 12)}…), seed ${plan.baseSeed}; replication seeds ${Array.from({ length: most }, (_, r) =>
      replicationSeed(plan.baseSeed, r),
    ).join(", ")}. shardcast ${SHARDCAST_VERSION}; ${LIMITS_VERSION}; prices: ${PRICES_VERSION}.`,
    "",
  );
  return out.join("\n");
}
