// Number formatting for reports. JSON numbers are rounded to a fixed number of significant digits so that
// report.json does not depend on the last bits of floating-point arithmetic.

import { HOURS_PER_MONTH } from "../aws/prices.js";

/** Rounds to `digits` significant digits (integers up to 2^53 are kept exact). */
export function sig(x: number, digits = 6): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  if (Number.isInteger(x) && Math.abs(x) < 2 ** 53) return x;
  return Number(x.toPrecision(digits));
}

/** Rounds to a number of decimal places. */
export function fixed(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

export const ms = (us: number): number => fixed(us / 1_000, 3);
export const seconds = (us: number): number => fixed(us / 1_000_000, 6);

/**
 * A small figure (a rate a second) with `places` decimals ("12.3", "0.8"), unless they would show a non-zero value as
 * zero: then two significant digits ("0.048", not "0.0"; helper-57's 13). Zero reads as the decimals do ("0.0").
 */
export function decimals(x: number, places: number): string {
  const s = x.toFixed(places);
  return x !== 0 && Number(s) === 0 ? String(+x.toPrecision(2)) : s;
}

/** 1234567 → "1,234,567" (locale-independent). */
export function thousands(n: number): string {
  const neg = n < 0;
  const [int, frac] = Math.abs(n).toString().split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (neg ? "-" : "") + grouped + (frac ? `.${frac}` : "");
}

/** A percentage with `places` decimals ("16.966%"); exactly zero reads "0%", not "0.0000%". */
export function pct(x: number, places = 2): string {
  return x === 0 ? "0%" : `${fixed(x, places).toFixed(places)}%`;
}

/**
 * A share that is not nothing, as pct gives it unless it would read as nothing: "under 0.01%" where pct says "0.00%"
 * (helper-110: "keeps up; 0.00% … never processed" for 1 record of 540,906 read as none lost).
 */
export function pctNotNothing(x: number, places = 2): string {
  const unit = 10 ** -places;
  return x > 0 && x < unit / 2 ? `under ${unit.toFixed(places)}%` : pct(x, places);
}

// ---------------------------------------------------------------------------------------------------------
// Durations, sizes, rates and money in words: one function each. A style picks how precise the words are.

/**
 * How precise a duration reads:
 * - exact: "850 µs", "1.5 ms", "1.25 s", "3 min 20 s", "2 h 5 min" (tables);
 * - rough: "850 ms", "10.5 s", then as exact from 100 s (figures in sentences);
 * - tenths: "12.3 s", "4.0 min" (iterator ages in sentences);
 * - span: "90 s", "2.5 min", "1.5 h" (a length of time on a chart);
 * - axis: "850 ms", "2.5 s", "3.2 min" (latencies on a chart).
 */
export type DurationStyle = "exact" | "rough" | "tenths" | "span" | "axis";

export type TimeUnit = "µs" | "ms" | "s";
const PER_US: Record<TimeUnit, number> = { "µs": 1, ms: 1_000, s: 1_000_000 };

/** `value` (in `from`) in `to`; unchanged when the units are the same. */
function convert(value: number, from: TimeUnit, to: TimeUnit): number {
  return from === to ? value : (value * PER_US[from]) / PER_US[to];
}

/** A duration in words; `value` is in `unit` (microseconds unless said). */
export function formatDuration(value: number, style: DurationStyle = "exact", unit: TimeUnit = "µs"): string {
  const us = convert(value, unit, "µs");
  switch (style) {
    case "exact":
      return exactDuration(us);
    case "rough":
      if (us < 1_000_000) return `${Math.round(us / 1_000)} ms`;
      if (us < 100_000_000) return `${+(us / 1_000_000).toFixed(1)} s`;
      return exactDuration(us);
    case "tenths":
      return us >= 60_000_000 ? `${(us / 60_000_000).toFixed(1)} min` : `${(us / 1_000_000).toFixed(1)} s`;
    case "span": {
      const seconds = convert(value, unit, "s");
      if (seconds < 120) return `${+seconds.toFixed(2)} s`;
      if (seconds < 7_200) return `${+(seconds / 60).toFixed(2)} min`;
      return `${+(seconds / 3_600).toFixed(2)} h`;
    }
    case "axis": {
      const ms = convert(value, unit, "ms");
      if (ms < 1_000) return `${+ms.toFixed(1)} ms`;
      if (ms < 120_000) return `${+(ms / 1_000).toFixed(2)} s`;
      return `${+(ms / 60_000).toFixed(1)} min`;
    }
  }
}

function exactDuration(us: number): string {
  if (us === 0) return "0 s";
  if (us < 1_000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${+(us / 1_000).toFixed(1)} ms`;
  const s = us / 1_000_000;
  if (s < 60) return `${+s.toFixed(2)} s`;
  // Round to the smallest unit shown before splitting, so 119.6 s is "2 min", not "1 min 60 s".
  const wholeSeconds = Math.round(s);
  if (wholeSeconds < 3_600) {
    const m = Math.floor(wholeSeconds / 60);
    const r = wholeSeconds - m * 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const wholeMinutes = Math.round(s / 60);
  const h = Math.floor(wholeMinutes / 60);
  const m = wholeMinutes - h * 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * How precise a size reads (binary units):
 * - exact: "512 B", "1.25 KiB", "5 MiB" (two decimals, trailing zeros dropped);
 * - rough: three significant digits ("1.25 MiB", "512 KiB");
 * - tenths: one decimal kept ("5.0 MiB"), up to TiB.
 */
export type SizeStyle = "exact" | "rough" | "tenths";

const BINARY_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

/** A size in bytes in words. */
export function formatBytes(b: number, style: SizeStyle = "exact"): string {
  const top = style === "tenths" ? 4 : 3;
  let u = 0;
  while (u < top && b >= 1_024 ** (u + 1)) u++;
  const v = b / 1_024 ** u;
  if (u === 0) return style === "rough" ? `${+v.toPrecision(3)} B` : `${Math.round(v)} B`;
  if (style === "rough") return `${+v.toPrecision(3)} ${BINARY_UNITS[u]}`;
  if (style === "tenths") return `${v.toFixed(1)} ${BINARY_UNITS[u]}`;
  return `${+v.toFixed(2)} ${BINARY_UNITS[u]}`;
}

/** A rate per second in words: "1,234 records/s" (whole records), "1.5 MiB/s" (bytes). */
export function formatRate(perSecond: number, unit: "records" | "bytes"): string {
  return unit === "records" ? `${thousands(Math.round(perSecond))} records/s` : `${formatBytes(perSecond)}/s`;
}

/** US dollars with cents and thousands separators: "$11,024.78". */
export function formatUsd(usd: number): string {
  const [whole, cents] = Math.abs(usd).toFixed(2).split(".");
  return `${usd < 0 ? "−" : ""}$${thousands(Number(whole))}.${cents}`;
}

/**
 * An SLO's target or actual in its unit, as a reviewer reads it: a percentage to three significant digits
 * ("0.0931%", "98.3%", "0%"), a duration in ms, s, min or h ("250 ms", "4 min 21 s").
 */
export function formatSloValue(value: number, unit: "%" | "ms"): string {
  if (unit === "ms") return formatDuration(value, "exact", "ms");
  if (value === 0) return "0%";
  return `${value >= 100 ? thousands(Math.round(value)) : +value.toPrecision(3)}%`;
}

/** Seconds-from-start as h:mm:ss. */
export function clock(us: number): string {
  const total = Math.floor(us / 1_000_000);
  const h = Math.floor(total / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/**
 * What a monthly cost is, in report.md's bill and sweep.md's cost column (costOf): what `who` used after warmup —
 * `afterWarmupUs` of simulated time, when one span holds for all — at its rates in that window, as if they held for a
 * whole month. Without a capital: the caller starts its sentence.
 */
export function monthlyCostBasis(who: string, afterWarmupUs?: number): string {
  const span = afterWarmupUs === undefined ? "" : ` (${formatDuration(afterWarmupUs)} of simulated time)`;
  return `what ${who} used after warmup${span}, scaled to a ${HOURS_PER_MONTH}-hour month as if its rates in that window held all month`;
}

/** "a", "a and b", "a, b and c" ("" for none). */
export function andList(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]!}`;
}
