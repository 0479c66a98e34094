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
    const b = Math.floor(t / this.resolution);
    return b >= this.points ? this.points - 1 : b;
  }

  add(row: number, t: Micros, amount: number): void {
    this.values[row * this.points + this.bucketOf(t)]! += amount;
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
