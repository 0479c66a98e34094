// A sweep's numbers in words: a metric value in its unit, and a mean with its confidence bounds.

import { fixed, formatUsd, thousands } from "../report/format.js";
import type { Estimate } from "./stats.js";

/** The decimals a value is shown with: % to 3, ms to 1, seconds (`inSeconds`) to 1, dollars to cents. */
function placesOf(unit: string): number {
  return unit === "USD/month" ? 2 : unit === "%" ? 3 : 1;
}

/** A value without its unit, to `places` decimals (of seconds when `inSeconds`). */
function bare(value: number, unit: string, inSeconds: boolean, places = placesOf(unit)): string {
  if (unit === "USD/month") {
    // Cents always, and thousands grouped as the mean's formatUsd groups them ("$12,345.60 [11,980.25, 12,710.95]").
    const [whole, cents] = Math.abs(value).toFixed(places).split(".");
    return `${value < 0 ? "−" : ""}${thousands(Number(whole))}${cents === undefined ? "" : `.${cents}`}`;
  }
  if (inSeconds) return thousands(fixed(value / 1_000, places));
  return thousands(fixed(value, places));
}

/** Up to this many decimals more than the usual ones, for a value beside a target. */
const MORE = 9;

/**
 * The decimals to show a value compared with a target (an SLO's, met when the value is at most the target) with:
 * the usual ones, or more where rounding would carry it to the target's other side. An upper bound of 1.00046%
 * against ≤ 1% is "1.0005", not "1", which reads as met while the SLO is not. Without a target, the usual ones.
 */
function placesAgainst(value: number, unit: string, inSeconds: boolean, target: number | undefined): number {
  const usual = placesOf(unit);
  if (target === undefined || unit === "USD/month") return usual;
  const scale = inSeconds ? 1_000 : 1;
  const met = value <= target;
  for (let places = usual; places < usual + MORE; places++) if (fixed(value / scale, places) <= target / scale === met) return places;
  return usual + MORE;
}

/** A value in its unit, to `places` decimals. */
function inUnit(value: number, unit: string, inSeconds: boolean, places: number): string {
  if (unit === "USD/month") return formatUsd(value);
  if (unit === "%") return `${bare(value, unit, false, places)}%`;
  if (inSeconds) return `${bare(value, unit, true, places)} s`;
  return `${bare(value, unit, false, places)} ms`;
}

/**
 * A value in its unit; ms from 10 s up (or when `inSeconds`) in seconds. With an SLO's `target`, printed on the
 * side of the target it is (placesAgainst): "the 95% upper bound 1.0005% does not [meet ≤ 1%]".
 */
export function show(value: number, unit: string, inSeconds = value >= 10_000, target?: number): string {
  const seconds = inSeconds && unit === "ms";
  return inUnit(value, unit, seconds, placesAgainst(value, unit, seconds, target));
}

/** An SLO's target as set: the usual decimals, or as many more as it has (≤ 0.0005% is not "≤ 0.001%"). */
export function showTarget(target: number, unit: string): string {
  const seconds = unit === "ms" && target >= 10_000;
  const scale = seconds ? 1_000 : 1;
  let places = placesOf(unit);
  while (places < placesOf(unit) + MORE && fixed(target / scale, places) !== target / scale) places++;
  return inUnit(target, unit, seconds, places);
}

/**
 * The mean and its bounds, the bounds in the mean's unit: "1,907 ms [1,830.2, 1,987.1]", "95.6 s [92.3, 98.9]",
 * "0.933% [0.215, 3.95]". With an SLO's `target`, the mean and the upper bound (which the SLO is judged by) are each
 * printed on the side of the target they are: "0.264% [0.069, 1.0005]" against ≤ 1%.
 */
export function cell(e: Estimate, unit: string, target?: number): string {
  if (!e.ci) return show(e.mean, unit, undefined, target);
  const inSeconds = unit === "ms" && e.mean >= 10_000;
  return `${show(e.mean, unit, inSeconds, target)} [${bare(e.ci[0], unit, inSeconds)}, ${bare(e.ci[1], unit, inSeconds, placesAgainst(e.ci[1], unit, inSeconds, target))}]`;
}
