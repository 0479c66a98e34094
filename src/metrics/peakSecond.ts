// The busiest whole second of each row (shard), exact at one-second granularity whatever the series
// resolution: a running sum for the current second per row, closed when time moves past it.

import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";

export class PeakSecondTracker {
  private readonly second: Float64Array;
  private readonly records: Float64Array;
  private readonly bytes: Float64Array;
  readonly peakUtilisation: Float64Array;
  readonly peakAt: Float64Array; // start of the peak second, µs
  readonly peakRecords: Float64Array;
  readonly peakBytes: Float64Array;

  constructor(
    readonly rows: number,
    private readonly recordLimit: number,
    private readonly byteLimit: number,
    private readonly from: Micros,
  ) {
    this.second = new Float64Array(rows).fill(-1);
    this.records = new Float64Array(rows);
    this.bytes = new Float64Array(rows);
    this.peakUtilisation = new Float64Array(rows);
    this.peakAt = new Float64Array(rows).fill(-1);
    this.peakRecords = new Float64Array(rows);
    this.peakBytes = new Float64Array(rows);
  }

  add(row: number, t: Micros, records: number, bytes: number): void {
    if (t >= this.from) this.addInSecond(row, Math.floor(t / MICROS_PER_SECOND), records, bytes);
  }

  /** add() for a time already known to be at or after `from`, in second `s` (whole seconds since the start). */
  addInSecond(row: number, s: number, records: number, bytes: number): void {
    if (s !== this.second[row]) {
      this.close(row);
      this.second[row] = s;
    }
    this.records[row]! += records;
    this.bytes[row]! += bytes;
  }

  /** Closes every open second (call once at the end of a run). */
  finish(): void {
    for (let r = 0; r < this.rows; r++) this.close(r);
  }

  private close(row: number): void {
    if (this.second[row]! < 0) return;
    const recs = this.records[row]!;
    const bytes = this.bytes[row]!;
    const u = Math.max(recs / this.recordLimit, bytes / this.byteLimit);
    if (u > this.peakUtilisation[row]!) {
      this.peakUtilisation[row] = u;
      this.peakAt[row] = this.second[row]! * MICROS_PER_SECOND;
      this.peakRecords[row] = recs;
      this.peakBytes[row] = bytes;
    }
    this.records[row] = 0;
    this.bytes[row] = 0;
    this.second[row] = -1;
  }
}
