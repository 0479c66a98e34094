// Time series at a fixed resolution, bounded in memory whatever the run length: the resolution is chosen
// from the run's duration so that a series never has more than MAX_POINTS points.

import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";

export const MAX_POINTS = 3_600;
const NICE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

/** Per second for runs up to an hour; otherwise the smallest "nice" step that keeps ≤ 3,600 points. */
export function chooseResolution(duration: Micros): Micros {
  const seconds = duration / MICROS_PER_SECOND;
  for (const s of NICE_SECONDS) {
    if (seconds / s <= MAX_POINTS) return s * MICROS_PER_SECOND;
  }
  return Math.ceil(seconds / MAX_POINTS / 86_400) * 86_400 * MICROS_PER_SECOND;
}

/** Points of a series over `duration` at `resolution` (at least one). */
export function seriesPoints(duration: Micros, resolution: Micros): number {
  return Math.max(1, Math.ceil(duration / resolution));
}

/** The step of time `t` in a series of `points` steps of `resolution` (times past the end count in the last). */
function bucketAt(t: Micros, resolution: Micros, points: number): number {
  const b = Math.floor(t / resolution);
  return b >= points ? points - 1 : b;
}

/** A bank of `rows` series (e.g. one per shard) of the same length and resolution, summed per bucket. */
export class SeriesBank {
  readonly points: number;
  readonly values: Float64Array;

  constructor(
    readonly rows: number,
    readonly duration: Micros,
    readonly resolution: Micros,
  ) {
    this.points = seriesPoints(duration, resolution);
    this.values = new Float64Array(rows * this.points);
  }

  bucketOf(t: Micros): number {
    return bucketAt(t, this.resolution, this.points);
  }

  add(row: number, t: Micros, amount: number): void {
    this.addAt(row, this.bucketOf(t), amount);
  }

  /** add() at a step already worked out with bucketOf (a caller adding many amounts at one time). */
  addAt(row: number, step: number, amount: number): void {
    this.values[row * this.points + step]! += amount;
  }

  row(row: number): Float64Array {
    return this.values.subarray(row * this.points, (row + 1) * this.points);
  }

  /** Sum over rows, per bucket. */
  total(): Float64Array {
    const out = new Float64Array(this.points);
    for (let r = 0; r < this.rows; r++) {
      const base = r * this.points;
      for (let i = 0; i < this.points; i++) out[i]! += this.values[base + i]!;
    }
    return out;
  }
}

/**
 * Several per-shard series kept step-major: for each step, each shard's `metrics` values side by side, so the writes
 * of one window (every shard, the same step) fall on neighbouring memory instead of one cache line and page per shard
 * and metric, as a row-major SeriesBank of thousands of shards would. Each metric reads back as a SeriesBank would
 * (`metric(k)`: rows, points, row copies, totals summed over shards in shard order).
 */
export class ShardSeriesBank {
  readonly points: number;
  private readonly values: Float64Array;
  private readonly stride: number;

  constructor(
    readonly metrics: number,
    readonly rows: number,
    readonly duration: Micros,
    readonly resolution: Micros,
  ) {
    this.points = seriesPoints(duration, resolution);
    this.stride = rows * metrics;
    this.values = new Float64Array(this.points * this.stride);
  }

  bucketOf(t: Micros): number {
    return bucketAt(t, this.resolution, this.points);
  }

  /** Adds to metric `k` of shard `row` at time `t`. */
  add(k: number, row: number, t: Micros, amount: number): void {
    this.addAt(k, row, this.bucketOf(t), amount);
  }

  /** add() at a step already worked out with bucketOf (a caller adding for many shards at one time). */
  addAt(k: number, row: number, step: number, amount: number): void {
    this.values[step * this.stride + row * this.metrics + k]! += amount;
  }

  /** Metric `k` as a bank of per-shard series (rows are copies). */
  metric(k: number): MetricView {
    const { rows, points, resolution, duration } = this;
    const v = this.values;
    const stride = this.stride;
    const m = this.metrics;
    return {
      rows,
      points,
      resolution,
      duration,
      row: (r) => {
        const out = new Float64Array(points);
        for (let i = 0, o = r * m + k; i < points; i++, o += stride) out[i] = v[o]!;
        return out;
      },
      rowsAbove: (limitAt) => {
        // One pass in storage order (step-major): no row copied, so cheap at thousands of shards.
        const out = new Uint8Array(rows);
        for (let i = 0; i < points; i++) {
          const limit = limitAt(i);
          for (let r = 0, o = i * stride + k; r < rows; r++, o += m) if (v[o]! > limit) out[r] = 1;
        }
        return out;
      },
      // Summed in shard order, as SeriesBank.total sums its rows.
      total: () => {
        const out = new Float64Array(points);
        for (let i = 0; i < points; i++) {
          let sum = 0;
          for (let r = 0, o = i * stride + k; r < rows; r++, o += m) sum += v[o]!;
          out[i] = sum;
        }
        return out;
      },
    };
  }
}

/** One metric of a ShardSeriesBank, read as a SeriesBank: each row a fresh copy. */
export interface MetricView {
  readonly rows: number;
  readonly points: number;
  readonly resolution: Micros;
  readonly duration: Micros;
  row(row: number): Float64Array;
  /** Per row, 1 when some step's value is above `limitAt(step)` (else 0), without copying rows. */
  rowsAbove(limitAt: (step: number) => number): Uint8Array;
  total(): Float64Array;
}
