// A sweep's numbers in words: a metric value in its unit, and a mean with its confidence bounds.

import { fixed, formatUsd, thousands } from "../report/format.js";
import type { Estimate } from "./stats.js";

/** A value without its unit: % to 3 decimals, ms to 1, seconds (`inSeconds`) to 1, dollars to cents. */
function bare(value: number, unit: string, inSeconds: boolean): string {
  if (unit === "USD/month") return value.toFixed(2);
  if (unit === "%") return `${fixed(value, 3)}`;
  if (inSeconds) return thousands(Math.round(value / 100) / 10);
  return thousands(fixed(value, 1));
}

/** A value in its unit; ms from 10 s up (or when `inSeconds`) in seconds. */
export function show(value: number, unit: string, inSeconds = value >= 10_000): string {
  if (unit === "USD/month") return formatUsd(value);
  if (unit === "%") return `${bare(value, unit, false)}%`;
  if (inSeconds) return `${bare(value, unit, true)} s`;
  return `${bare(value, unit, false)} ms`;
}

/** The mean and its bounds, the bounds in the mean's unit: "1,907 ms [1,830.2, 1,987.1]", "95.6 s [92.3, 98.9]", "0.933% [0.215, 3.95]". */
export function cell(e: Estimate, unit: string): string {
  if (!e.ci) return show(e.mean, unit);
  const inSeconds = unit === "ms" && e.mean >= 10_000;
  return `${show(e.mean, unit, inSeconds)} [${bare(e.ci[0], unit, inSeconds)}, ${bare(e.ci[1], unit, inSeconds)}]`;
}
