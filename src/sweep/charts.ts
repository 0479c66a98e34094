// Sweep charts: each SLO metric against the (first) varied parameter, its mean with the confidence band and
// the SLO as a rule, the monthly cost the same way, the recommended configuration marked. Built as data from
// sweep.json, like the run charts from report.json.

import type { Chart, ReferenceRule, Row } from "../report/charts/kit.js";
import { lineChart } from "../report/charts/kit.js";
import { sig } from "../report/format.js";
import { parseByteRate, parseDuration, parseRecordRate, parseSize, UnitError } from "../scenario/index.js";
import type { buildSweepJson } from "./report.js";

type SweepJson = ReturnType<typeof buildSweepJson>;

const NAME_OK = /[^a-z0-9-]+/g;

type Value = string | number | boolean;

/**
 * The first varied parameter as numbers for the x axis: plain numbers, or values with units (sizes in MiB, KiB
 * or B, durations in seconds, rates per second), all of one kind. Null when they are not (names, booleans).
 */
export function numericAxis(values: Value[]): { of: (v: Value) => number; unit: string } | null {
  if (values.every((v) => typeof v === "number")) return { of: (v) => v as number, unit: "" };
  if (!values.every((v) => typeof v === "string")) return null;
  const all = (parse: (t: string) => number) => {
    try {
      return values.map((v) => parse(v as string));
    } catch (e) {
      if (e instanceof UnitError) return null;
      throw e;
    }
  };
  const byteRates = all(parseByteRate);
  if (byteRates) return { of: (v) => parseByteRate(v as string) / 1_048_576, unit: "MiB/s" };
  const recordRates = all(parseRecordRate);
  if (recordRates) return { of: (v) => parseRecordRate(v as string), unit: "records/s" };
  const sizes = all(parseSize);
  if (sizes) {
    const most = Math.max(...sizes);
    const [unit, per] = most >= 1_048_576 ? ["MiB", 1_048_576] : most >= 1_024 ? ["KiB", 1_024] : ["B", 1];
    return { of: (v) => parseSize(v as string) / per, unit };
  }
  const durations = all(parseDuration);
  if (durations) return { of: (v) => parseDuration(v as string) / 1_000_000, unit: "s" };
  return null;
}

export function sweepCharts(sweep: SweepJson): Chart[] {
  if (sweep.varies.length === 0) return [];
  const x = sweep.varies[0]!;
  const axis = numericAxis(x.values); // a first --vary with numbers (or values with units) is plotted
  if (!axis) return [];
  const xTitle = axis.unit ? `${x.path} (${axis.unit})` : x.path;
  const others = sweep.varies.slice(1);
  // A line's name is the other parameters' values, in the order of the legend's title (their paths): the paths
  // repeated in every name made the names run past the legend's label limit, cut off before the values.
  const seriesOf = (values: (string | number | boolean)[]) => (others.length === 0 ? "all" : others.map((_, i) => String(values[i + 1])).join(", "));
  const otherValues = (values: (string | number | boolean)[]) => others.map((o, i) => `${o.path}=${values[i + 1]}`).join(", ");
  const recommended = sweep.recommendation.config === null ? null : sweep.configs[sweep.recommendation.config]!;
  // The rule crosses every line at the recommended x; with other varied parameters, only one of those lines is the
  // recommended configuration (write=2000 with perRecord=1ms, not with 2.6ms), so its label and the subtitle name it.
  const recLine = recommended && others.length > 0 ? ` on the ${seriesOf(recommended.values)} line` : "";
  const recRule: ReferenceRule[] = recommended ? [{ axis: "x", value: axis.of(recommended.values[0]!), label: `recommended: ${recommended.values[0]}${recLine}`, color: "#1a9850" }] : [];
  const metrics = sweep.metrics.filter((m) => m.name === "monthlyCostUsd" || sweep.slos.some((s) => s.metric === m.name));
  const charts: Chart[] = [];
  for (const m of metrics) {
    const slo = sweep.slos.find((s) => s.metric === m.name);
    // Durations as people read them: milliseconds up to 10 s, then seconds, then minutes from 10 minutes.
    const largest = Math.max(slo?.target ?? 0, ...sweep.configs.map((c) => (c.metrics as Record<string, { mean: number; ci: number[] | null }>)[m.name]!.mean));
    const [shown, per] = m.unit !== "ms" ? [m.unit, 1] : largest >= 600_000 ? ["min", 60_000] : largest >= 10_000 ? ["s", 1_000] : ["ms", 1];
    const rows: Row[] = sweep.configs.map((c) => {
      const e = (c.metrics as Record<string, { mean: number; ci: number[] | null }>)[m.name]!;
      const v = (x: number) => sig(x / per, 6);
      return { x: axis.of(c.values[0]!), mean: v(e.mean), lower: v(e.ci ? e.ci[0]! : e.mean), upper: v(e.ci ? e.ci[1]! : e.mean), series: seriesOf(c.values), meets: c.meetsAll ? "yes" : "meetsAllSoFar" in c && c.meetsAllSoFar ? "so far only" : "no" };
    });
    const unit = m.unit === "USD/month" ? "USD per month" : shown;
    const rules: ReferenceRule[] = [...recRule];
    if (slo) rules.push({ axis: "y", value: sig(slo.target / per, 6), label: `SLO ≤ ${sig(slo.target / per, 6)} ${m.unit === "%" ? "%" : shown}` });
    const counts = sweep.configs.map((c) => c.replications);
    const [fewest, most] = [Math.min(...counts), Math.max(...counts)];
    const ci = `the band between its one-sided ${Math.round(sweep.confidence * 100)}% confidence bounds over ${fewest === most ? most : `${fewest} to ${most}`} replication(s)`;
    charts.push({
      name: `sweep-${m.name.replace(/([A-Z])/g, "-$1").toLowerCase().replace(NAME_OK, "-")}`,
      title: `${m.label} against ${x.path}`,
      spec: lineChart({
        title: `${m.label[0]!.toUpperCase()}${m.label.slice(1)} against ${x.path}`,
        subtitle: [`Mean and ${ci}${slo ? "; the dashed line is the SLO" : ""}${recommended ? `; the green line marks the recommendation${others.length > 0 ? `, ${x.path}=${recommended.values[0]} with ${otherValues(recommended.values)} (the other lines at that x are other configurations)` : ""}` : ""}.`],
        data: rows,
        x: { field: "x", title: xTitle, zero: false },
        y: { field: "mean", title: unit, format: m.unit === "USD/month" ? "$,.0f" : m.unit === "%" ? ",.3~f" : per > 1 ? ",.1~f" : ",.0f" },
        band: { lower: "lower", upper: "upper" },
        series: others.length > 0 ? { field: "series", title: others.map((o) => o.path).join(", ") } : undefined,
        rules,
        points: true,
        tooltip: [{ field: "lower", title: "CI low" }, { field: "upper", title: "CI high" }],
      }),
    });
  }
  return charts;
}
