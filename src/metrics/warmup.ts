// Statistics leave out the warmup; accounting does not. Counters, per-row counters and maxima here take the
// time of what they count and keep it only from the warmup on, so models count without a warmup test each.

import type { Micros } from "../engine/time.js";

/**
 * One quantity counted from `from` (the warmup) on. A class of its own, not a field looked up by name: each
 * call site then updates one object in place (a counter looked up by key would cost an allocation per add).
 */
export class Count {
  value = 0;

  constructor(readonly from: Micros) {}

  /** Adds `n` when `at` is at or after the warmup. */
  add(at: Micros, n = 1): void {
    if (at >= this.from) this.value += n;
  }
}

/** Named counters, all counted from the same warmup. */
export type Counts<K extends string> = { readonly [P in K]: Count };

export function countsFrom<K extends string>(from: Micros, keys: readonly K[]): Counts<K> {
  const out = {} as Record<K, Count>;
  for (const k of keys) out[k] = new Count(from);
  return out;
}

/** The counters' values, by name. */
export function valuesOf<K extends string>(counts: Counts<K>): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of Object.keys(counts) as K[]) out[k] = counts[k].value;
  return out;
}

/** Per-row counters (one per shard, say), counted from `from` on. */
export class RowsAfterWarmup {
  readonly values: Float64Array;

  constructor(
    readonly from: Micros,
    rows: number,
  ) {
    this.values = new Float64Array(rows);
  }

  add(row: number, at: Micros, n = 1): void {
    if (at >= this.from) this.addAfterWarmup(row, n);
  }

  /** add() for a time already known to be at or after `from` (a caller that counts many rows at one time checks it once). */
  addAfterWarmup(row: number, n: number): void {
    this.values[row]! += n;
  }
}

/** The largest value seen per row from `from` on. */
export class MaxAfterWarmup {
  readonly values: Float64Array;

  constructor(
    readonly from: Micros,
    rows: number,
  ) {
    this.values = new Float64Array(rows);
  }

  observe(row: number, at: Micros, value: number): void {
    if (at >= this.from && value > this.values[row]!) this.values[row] = value;
  }
}

/**
 * Per row, time spent (µs) in spans [start, end), counted from `from` (the warmup's end, or later) up to `until` (the
 * run's end): a span that starts before `from` counts from it, one that runs past `until` up to it.
 */
export class SpansAfterWarmup {
  readonly values: Float64Array;

  constructor(
    readonly from: Micros,
    readonly until: Micros,
    rows: number,
  ) {
    this.values = new Float64Array(rows);
  }

  /** Adds the part of [start, end) inside [from, until) to `row`; returns that part (µs, 0 when none). */
  add(row: number, start: Micros, end: Micros): number {
    const d = Math.min(end, this.until) - Math.max(start, this.from);
    if (d <= 0) return 0;
    this.values[row]! += d;
    return d;
  }
}
