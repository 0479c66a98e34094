// Statistics leave out the warmup; accounting does not. Counters, per-row counters and maxima here take the
// time of what they count and keep it only from the warmup on, so models count without a warmup test each.

import type { Micros } from "../engine/time.js";

/** The numeric fields of T. */
export type NumericKeys<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

/** Counters of named quantities (fields of `counts`), counted from `from` (the warmup) on. */
export class AfterWarmup<T extends object> {
  constructor(
    readonly from: Micros,
    readonly counts: T,
  ) {}

  /** Whether something at `at` counts in statistics. */
  covers(at: Micros): boolean {
    return at >= this.from;
  }

  /** Adds `n` to `key` when `at` is at or after the warmup. */
  add(key: NumericKeys<T>, at: Micros, n = 1): void {
    if (at >= this.from) (this.counts[key] as number) += n;
  }
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
    if (at >= this.from) this.values[row]! += n;
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
