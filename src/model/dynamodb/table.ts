// A DynamoDB table's capacity, as a KCL lease table sees it (DynamoDB developer guide: read/write capacity
// modes, burst capacity). Provisioned: read and write
// capacity units per second, each a token bucket that keeps up to `burst` seconds of unused capacity (at most
// 300 s) and starts full; a request that finds too few units is throttled (ProvisionedThroughputExceeded).
// On-demand: not throttled at the scale of a lease table (a new on-demand table serves 4,000 WRU / 12,000 RRU
// at once), but consumed units are still counted.

import { TokenBucket } from "../../engine/tokenBucket.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { SeriesBank } from "../../metrics/series.js";
import { AfterWarmup } from "../../metrics/warmup.js";
import type { LeaseTableSpec } from "../../spec/index.js";

export class DynamoTable {
  readonly provisioned: { read: number; write: number } | null;
  private readonly readBucket: TokenBucket | null;
  private readonly writeBucket: TokenBucket | null;
  /** Consumed and throttled units per series step (whole run). */
  readonly consumed: SeriesBank; // row 0: write units, row 1: read units
  readonly throttled: SeriesBank; // row 0: write requests, row 1: read requests
  /** After warmup: units consumed, requests and throttled requests. */
  private readonly after: AfterWarmup<TableCounts>;

  constructor(
    spec: LeaseTableSpec,
    duration: Micros,
    resolution: Micros,
    warmup: Micros,
  ) {
    this.after = new AfterWarmup<TableCounts>(warmup, { writeUnits: 0, readUnits: 0, throttledWrites: 0, throttledReads: 0, writeRequests: 0, readRequests: 0 });
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
    this.after.add(write ? "writeRequests" : "readRequests", now);
    if (bucket && !bucket.tryTake(now, units)) {
      this.throttled.add(row, now, 1);
      this.after.add(write ? "throttledWrites" : "throttledReads", now);
      return false;
    }
    this.consumed.add(row, now, units);
    this.after.add(write ? "writeUnits" : "readUnits", now, units);
    return true;
  }

  get writeUnits(): number {
    return this.after.counts.writeUnits;
  }
  get readUnits(): number {
    return this.after.counts.readUnits;
  }
  get throttledWrites(): number {
    return this.after.counts.throttledWrites;
  }
  get throttledReads(): number {
    return this.after.counts.throttledReads;
  }
  get writeRequests(): number {
    return this.after.counts.writeRequests;
  }
  get readRequests(): number {
    return this.after.counts.readRequests;
  }
}

interface TableCounts {
  writeUnits: number;
  readUnits: number;
  throttledWrites: number;
  throttledReads: number;
  writeRequests: number;
  readRequests: number;
}
