// A DynamoDB table's capacity (DynamoDB developer guide: read/write capacity modes, burst capacity, on-demand
// capacity mode; sources in src/aws/limits.ts): a KCL lease table (its renewals, checkpoints, takes and scans:
// single-item requests, write or read) and a table a consumer writes what it processes to (a connector sink:
// BatchWriteItem requests, of which the items that find no capacity come back unprocessed).
//
// Provisioned: read and write capacity units per second, each a token bucket that keeps up to `burst` seconds of
// unused capacity (at most 300 s) and starts full; a request that finds too few units is throttled
// (ProvisionedThroughputExceeded).
//
// On-demand: the table serves up to twice its previous peak. A new table's previous peak is 2,000 WRU or 6,000
// RRU, so it starts at 4,000 WRU or 12,000 RRU per second, "or any linear combination of the two"; traffic
// above twice the previous peak may be throttled until 30 minutes have passed. AWS does not document how the
// table adapts in between; shardcast's assumption (docs/limits.md):
// - capacity is counted in whole seconds of virtual time from the start of the run: the units a second serves,
//   writes plus reads weighted by previousPeak.write / previousPeak.read (1/3 for a new table: the linear
//   combination), may not pass twice the previous peak; a request that would pass it is throttled (no burst
//   credit: on-demand tables have no documented burst);
// - the previous peak is the highest of the scenario's `previousPeak` (a new table's by default) and the units
//   every second served, counted from 30 minutes after that second began: traffic that doubles and holds for 30
//   minutes may double again, never sooner;
// - each second also stays within the table quota, 40,000 WRU and 40,000 RRU.
// Cost follows requests: O(1) per request (amortised), and memory is bounded: the seconds of the last 30 minutes
// that served anything, in a ring of at most 1,800 entries.
import {
  DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU,
  DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU,
  DYNAMODB_ON_DEMAND_PEAK_MULTIPLE,
  DYNAMODB_ON_DEMAND_PEAK_WINDOW_SECONDS,
  DYNAMODB_ON_DEMAND_TABLE_QUOTA_RRU,
  DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU,
} from "../../aws/limits.js";
import { TokenBucket } from "../../engine/tokenBucket.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, type Counts } from "../../metrics/warmup.js";

/** Request units per second: writes (WRU) and reads (RRU). */
export interface Units {
  write: number;
  read: number;
}

/** An on-demand table's capacity over the run: what it started at and the most it came to. */
export interface OnDemandCapacityState {
  /** The previous peak the table started with (the scenario's `previousPeak`, a new table's by default). */
  previousPeak: Units;
  /** Capacity in force at the start: twice the previous peak, each within the table quota. */
  initial: Units;
  /** The highest capacity in force during the run (equal to `initial` when it never rose). */
  highest: Units;
  /** When the capacity first rose above `initial`, µs from the start; null when it never did. */
  raisedAt: Micros | null;
}

/** A table's capacity settings (a lease table's `leaseTable:`, a DynamoDB sink's `table:`). */
export type TableCapacity =
  | { capacity: "provisioned"; read: number; write: number; /** Seconds of unused capacity kept, µs. */ burst: Micros }
  | { capacity: "onDemand"; previousPeak?: Units | undefined };

const WINDOW = DYNAMODB_ON_DEMAND_PEAK_WINDOW_SECONDS;

/** Twice the previous peak, counted per whole second (see the file's header). */
class OnDemandCapacity {
  readonly previousPeak: Units;
  /** Write-equivalent units one read request unit takes: previousPeak.write / previousPeak.read. */
  private readonly readWeight: number;
  /** The previous peak in force, write-equivalent units per second. */
  private peak: number;
  private raisedAt: Micros | null = null;
  /** The current whole second and what it has served (write-equivalents, WRU, RRU). */
  private second = 0;
  private used = 0;
  private usedWrite = 0;
  private usedRead = 0;
  /** Past seconds that served anything and are not yet 30 minutes old: a ring of (second, units). */
  private readonly ringSecond = new Float64Array(WINDOW + 1);
  private readonly ringUnits = new Float64Array(WINDOW + 1);
  private head = 0;
  private count = 0;

  constructor(previousPeak: Units) {
    this.previousPeak = previousPeak;
    this.readWeight = previousPeak.write / previousPeak.read;
    this.peak = previousPeak.write;
  }

  /** A request of `units` WRU (write) or RRU (read) at `now`; false when throttled. */
  tryTake(now: Micros, units: number, write: boolean): boolean {
    this.advance(Math.floor(now / MICROS_PER_SECOND));
    const cost = write ? units : units * this.readWeight;
    const capacity = DYNAMODB_ON_DEMAND_PEAK_MULTIPLE * this.peak;
    if (this.used + cost > capacity * (1 + 1e-12)) return false;
    if (write ? this.usedWrite + units > DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU : this.usedRead + units > DYNAMODB_ON_DEMAND_TABLE_QUOTA_RRU) return false;
    this.used += cost;
    if (write) this.usedWrite += units;
    else this.usedRead += units;
    return true;
  }

  /** Whole requests of `units` WRU each it would serve at `now` (takes nothing). */
  writesAvailable(now: Micros, units: number): number {
    this.advance(Math.floor(now / MICROS_PER_SECOND));
    const capacity = DYNAMODB_ON_DEMAND_PEAK_MULTIPLE * this.peak * (1 + 1e-12);
    const room = Math.min(capacity - this.used, DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU - this.usedWrite);
    return room <= 0 ? 0 : Math.floor(room / units);
  }

  /** Moves to second `k`: the second that ends goes into the ring, and seconds 30 minutes old raise the peak. */
  private advance(k: number): void {
    if (k === this.second) return;
    if (this.used > 0) {
      const at = (this.head + this.count) % this.ringSecond.length;
      this.ringSecond[at] = this.second;
      this.ringUnits[at] = this.used;
      this.count++;
    }
    this.second = k;
    this.used = this.usedWrite = this.usedRead = 0;
    while (this.count > 0 && this.ringSecond[this.head]! + WINDOW <= k) {
      this.raise(this.ringUnits[this.head]!, this.ringSecond[this.head]! + WINDOW);
      this.head = (this.head + 1) % this.ringSecond.length;
      this.count--;
    }
  }

  private raise(units: number, fromSecond: number): void {
    if (units <= this.peak) return;
    this.peak = units;
    if (this.raisedAt === null && this.rises(units)) this.raisedAt = fromSecond * MICROS_PER_SECOND;
  }

  /** Whether a previous peak of `units` puts more capacity in force than the table started with. */
  private rises(units: number): boolean {
    const now = this.inForce(units);
    const initial = this.inForce(this.previousPeak.write);
    return now.write > initial.write || now.read > initial.read;
  }

  private inForce(peak: number): Units {
    const write = DYNAMODB_ON_DEMAND_PEAK_MULTIPLE * peak;
    return { write: Math.min(write, DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU), read: Math.min(write / this.readWeight, DYNAMODB_ON_DEMAND_TABLE_QUOTA_RRU) };
  }

  /** The capacity over a run that ends at `end` (the seconds that mature before it count); changes nothing. */
  state(end: Micros): OnDemandCapacityState {
    const last = Math.ceil(end / MICROS_PER_SECOND) - 1; // the run's last second
    let peak = this.peak;
    let raisedAt = this.raisedAt;
    const consider = (second: number, units: number) => {
      if (second + WINDOW > last || units <= peak) return;
      peak = units;
      if (raisedAt === null && this.rises(units)) raisedAt = (second + WINDOW) * MICROS_PER_SECOND;
    };
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) % this.ringSecond.length;
      consider(this.ringSecond[at]!, this.ringUnits[at]!);
    }
    consider(this.second, this.used);
    return { previousPeak: { ...this.previousPeak }, initial: this.inForce(this.previousPeak.write), highest: this.inForce(peak), raisedAt };
  }
}

export class DynamoTable {
  readonly provisioned: { read: number; write: number } | null;
  private readonly readBucket: TokenBucket | null;
  private readonly writeBucket: TokenBucket | null;
  private readonly onDemandCapacity: OnDemandCapacity | null;
  /** Consumed and throttled units per series step (whole run). */
  readonly consumed: SeriesBank; // row 0: write units, row 1: read units
  readonly throttled: SeriesBank; // row 0: write requests, row 1: read requests
  /**
   * A provisioned table's write credit (the units its write bucket holds) at the end of each series step, recorded by
   * the first write at or after each step's end (the bucket is exact between takes); null on-demand (no burst credit).
   */
  private readonly credit: Float64Array | null;
  private creditSteps = 0;
  /** After warmup: units consumed, requests and throttled requests. */
  private readonly after: Counts<"writeUnits" | "readUnits" | "throttledWrites" | "throttledReads" | "writeRequests" | "readRequests">;

  constructor(
    spec: TableCapacity,
    private readonly duration: Micros,
    private readonly resolution: Micros,
    warmup: Micros,
  ) {
    this.after = countsFrom(warmup, ["writeUnits", "readUnits", "throttledWrites", "throttledReads", "writeRequests", "readRequests"]);
    if (spec.capacity === "provisioned") {
      const burst = spec.burst / MICROS_PER_SECOND; // 1..300 s (the schema's range)
      this.provisioned = { read: spec.read, write: spec.write };
      this.readBucket = new TokenBucket(spec.read, spec.read * burst);
      this.writeBucket = new TokenBucket(spec.write, spec.write * burst);
      this.onDemandCapacity = null;
    } else {
      this.provisioned = null;
      this.readBucket = null;
      this.writeBucket = null;
      this.onDemandCapacity = new OnDemandCapacity(spec.previousPeak ?? { write: DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU, read: DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU });
    }
    this.consumed = new SeriesBank(2, duration, resolution);
    this.throttled = new SeriesBank(2, duration, resolution);
    this.credit = this.writeBucket ? new Float64Array(this.consumed.points) : null;
  }

  /** Records the write credit at the ends of the steps that ended by `now`, before a write at `now` takes any. */
  private noteCredit(now: Micros): void {
    const c = this.credit;
    if (!c) return;
    while (this.creditSteps < c.length && (this.creditSteps + 1) * this.resolution <= now) {
      c[this.creditSteps] = this.writeBucket!.available((this.creditSteps + 1) * this.resolution);
      this.creditSteps++;
    }
  }

  /**
   * A provisioned table's write credit at the end of each series step (the last step's at the run's end), write units;
   * null on-demand. Read after the run: the steps no write reached are filled from the bucket as it is left.
   */
  writeCredit(): Float64Array | null {
    const c = this.credit;
    if (!c) return null;
    const out = Float64Array.from(c);
    for (let i = this.creditSteps; i < out.length; i++) out[i] = this.writeBucket!.available(Math.min((i + 1) * this.resolution, this.duration));
    return out;
  }

  /** A provisioned table's write credit when full (write capacity × its burst seconds), write units; null on-demand. */
  get writeCreditCapacity(): number | null {
    return this.writeBucket ? this.writeBucket.capacity : null;
  }

  /** A write of `units` WCU at `now`; false when throttled. */
  write(now: Micros, units: number): boolean {
    return this.request(now, units, this.writeBucket, 0);
  }

  /** A read of `units` RCU at `now`; false when throttled. */
  read(now: Micros, units: number): boolean {
    return this.request(now, units, this.readBucket, 1);
  }

  /**
   * A BatchWriteItem of `items` items of `unitsPerItem` WCU each at `now`: the items written (oldest first) until
   * the capacity runs out; the rest come back unprocessed. A request with any item unprocessed counts as throttled.
   */
  writeItems(now: Micros, items: number, unitsPerItem: number): number {
    this.noteCredit(now);
    this.after.writeRequests.add(now);
    const fit = this.onDemandCapacity
      ? this.onDemandCapacity.writesAvailable(now, unitsPerItem)
      : this.writeBucket
        ? Math.max(0, Math.floor(this.writeBucket.available(now) / unitsPerItem + 1e-9))
        : items;
    const k = Math.min(items, fit);
    if (k > 0) {
      if (this.onDemandCapacity) this.onDemandCapacity.tryTake(now, k * unitsPerItem, true);
      else this.writeBucket?.take(now, k * unitsPerItem);
      this.consumed.add(0, now, k * unitsPerItem);
      this.after.writeUnits.add(now, k * unitsPerItem);
    }
    if (k < items) {
      this.throttled.add(0, now, 1);
      this.after.throttledWrites.add(now);
    }
    return k;
  }

  private request(now: Micros, units: number, bucket: TokenBucket | null, row: 0 | 1): boolean {
    const write = row === 0;
    if (write) this.noteCredit(now);
    (write ? this.after.writeRequests : this.after.readRequests).add(now);
    const served = this.onDemandCapacity ? this.onDemandCapacity.tryTake(now, units, write) : !bucket || bucket.tryTake(now, units);
    if (!served) {
      this.throttled.add(row, now, 1);
      (write ? this.after.throttledWrites : this.after.throttledReads).add(now);
      return false;
    }
    this.consumed.add(row, now, units);
    (write ? this.after.writeUnits : this.after.readUnits).add(now, units);
    return true;
  }

  /** An on-demand table's capacity over the run (null for a provisioned table). */
  get onDemand(): OnDemandCapacityState | null {
    return this.onDemandCapacity ? this.onDemandCapacity.state(this.duration) : null;
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
