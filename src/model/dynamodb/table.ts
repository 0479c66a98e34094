// A DynamoDB table's capacity, as a KCL lease table sees it (DynamoDB developer guide: read/write capacity
// modes, burst capacity). Provisioned: read and write
// capacity units per second, each a token bucket that keeps up to `burst` seconds of unused capacity (at most
// 300 s) and starts full; a request that finds too few units is throttled (ProvisionedThroughputExceeded).
// On-demand: not throttled at the scale of a lease table (a new on-demand table serves 4,000 WRU / 12,000 RRU
// at once), but consumed units are still counted.

import { TokenBucket } from "../../engine/tokenBucket.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, type Counts } from "../../metrics/warmup.js";
import type { LeaseTableSpec } from "../../spec/index.js";

export class DynamoTable {
  readonly provisioned: { read: number; write: number } | null;
  private readonly readBucket: TokenBucket | null;
  private readonly writeBucket: TokenBucket | null;
  /** Consumed and throttled units per series step (whole run). */
  readonly consumed: SeriesBank; // row 0: write units, row 1: read units
  readonly throttled: SeriesBank; // row 0: write requests, row 1: read requests
  /** After warmup: units consumed, requests and throttled requests. */
  private readonly after: Counts<"writeUnits" | "readUnits" | "throttledWrites" | "throttledReads" | "writeRequests" | "readRequests">;

  constructor(
    spec: LeaseTableSpec,
    duration: Micros,
    resolution: Micros,
    warmup: Micros,
  ) {
    this.after = countsFrom(warmup, ["writeUnits", "readUnits", "throttledWrites", "throttledReads", "writeRequests", "readRequests"]);
    if (spec.capacity === "provisioned") {
      const burst = spec.burst / MICROS_PER_SECOND; // 1..300 s (the schema's range)
      this.provisioned = { read: spec.read, write: spec.write };
      this.readBucket = new TokenBucket(spec.read, spec.read * burst);
      this.writeBucket = new TokenBucket(spec.write, spec.write * burst);
    } else {
      this.provisioned = null;
      this.readBucket = null;
      this.writeBucket = null;
    }
    this.consumed = new SeriesBank(2, duration, resolution);
    this.throttled = new SeriesBank(2, duration, resolution);
  }

  /** A write of `units` WCU at `now`; false when throttled. */
  write(now: Micros, units: number): boolean {
    return this.request(now, units, this.writeBucket, 0);
  }

  /** A read of `units` RCU at `now`; false when throttled. */
  read(now: Micros, units: number): boolean {
    return this.request(now, units, this.readBucket, 1);
  }

  private request(now: Micros, units: number, bucket: TokenBucket | null, row: 0 | 1): boolean {
    const write = row === 0;
    (write ? this.after.writeRequests : this.after.readRequests).add(now);
    if (bucket && !bucket.tryTake(now, units)) {
      this.throttled.add(row, now, 1);
      (write ? this.after.throttledWrites : this.after.throttledReads).add(now);
      return false;
    }
    this.consumed.add(row, now, units);
    (write ? this.after.writeUnits : this.after.readUnits).add(now, units);
    return true;
  }

  get writeUnits(): number {
    return this.after.writeUnits.value;
  }
  get readUnits(): number {
    return this.after.readUnits.value;
  }
  get throttledWrites(): number {
    return this.after.throttledWrites.value;
  }
  get throttledReads(): number {
    return this.after.throttledReads.value;
  }
  get writeRequests(): number {
    return this.after.writeRequests.value;
  }
  get readRequests(): number {
    return this.after.readRequests.value;
  }
}
