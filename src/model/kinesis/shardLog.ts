// A shard's stored records, in arrival order: what consumers read. Records are kept as entries (a batch that
// arrived at one instant: count, bytes, born range) with a running sequence (the shard's record count), so a
// position is a plain number. Appends at the same instant coalesce into one entry, so a shard holds at most
// one entry per producer window. Entries that no consumer can still need are dropped (compact); what the
// retention period has trimmed is found by arrival time (trimHorizon).

import type { Micros } from "../../engine/time.js";

/** Part of an entry returned by a read: `users` user records born uniformly over [firstBorn, lastBorn]. */
export interface Slice {
  /** User records (what a KCL record processor gets, after de-aggregation). */
  users: number;
  /** Bytes as stored (data + partition keys), and the partition keys' part of them. */
  bytes: number;
  keyBytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
  arrival: Micros;
}

export interface ReadResult {
  slices: Slice[];
  /** User records read. */
  users: number;
  /** Kinesis records read (what GetRecords' Limit counts). */
  kinesis: number;
  bytes: number;
  /** Sequence number after the last record read. */
  next: number;
}

export type AppendListener = (now: Micros) => void;

export class ShardLog {
  private start = new Float64Array(64); // sequence number of the entry's first record
  private count = new Float64Array(64); // user records (sequence numbers count user records)
  private kinesis = new Float64Array(64); // Kinesis records (aggregates count once)
  private bytes = new Float64Array(64);
  private keys = new Float64Array(64); // partition key bytes (part of `bytes`)
  private born0 = new Float64Array(64);
  private born1 = new Float64Array(64);
  private arrival = new Float64Array(64);
  private head = 0;
  private tail = 0;
  /** Records ever appended: the sequence number the next record gets. */
  endSeq = 0;
  private readonly listeners: AppendListener[] = [];

  /** Calls `listener` after every append (enhanced fan-out subscriptions use it to push). */
  onAppend(listener: AppendListener): void {
    this.listeners.push(listener);
  }

  /** Appends `users` user records in `kinesis` Kinesis records (the same number unless KPL-aggregated). */
  append(arrival: Micros, kinesis: number, users: number, bytes: number, firstBorn: Micros, lastBorn: Micros, keyBytes = 0): void {
    if (users <= 0) return;
    const records = users;
    const last = this.tail - 1;
    if (last >= this.head && this.arrival[last] === arrival) {
      this.kinesis[last]! += kinesis;
      this.count[last]! += records;
      this.bytes[last]! += bytes;
      this.keys[last]! += keyBytes;
      if (firstBorn < this.born0[last]!) this.born0[last] = firstBorn;
      if (lastBorn > this.born1[last]!) this.born1[last] = lastBorn;
    } else {
      if (this.tail === this.start.length) this.grow();
      const i = this.tail++;
      this.start[i] = this.endSeq;
      this.count[i] = records;
      this.kinesis[i] = kinesis;
      this.bytes[i] = bytes;
      this.keys[i] = keyBytes;
      this.born0[i] = firstBorn;
      this.born1[i] = lastBorn;
      this.arrival[i] = arrival;
    }
    this.endSeq += records;
    for (const l of this.listeners) l(arrival);
  }

  /** Sequence number of the first record still held (records before it were dropped). */
  get firstSeq(): number {
    return this.head < this.tail ? this.start[this.head]! : this.endSeq;
  }

  /** Entries held (for memory checks). */
  get entries(): number {
    return this.tail - this.head;
  }

  /** The sequence number of the oldest record that arrived at or after `cutoff` (records before it are trimmed). */
  trimHorizon(cutoff: Micros): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.arrival[mid]! < cutoff) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.tail ? this.start[lo]! : this.endSeq;
  }

  /** Arrival time of the record with sequence number `seq`, or undefined if it is not held. */
  arrivalOf(seq: number): Micros | undefined {
    const i = this.entryOf(seq);
    return i < 0 ? undefined : this.arrival[i];
  }

  /** Sequence number just after the last record that arrived at or before `now`. */
  visibleEnd(now: Micros): number {
    let i = this.tail - 1;
    while (i >= this.head && this.arrival[i]! > now) i--;
    return i >= this.head ? this.start[i]! + this.count[i]! : this.firstSeq;
  }

  /**
   * Reads from `from` the records that arrived at or before `now`, at most `maxRecords` records and `maxBytes`
   * bytes (at least one record when any is available). Entries are split by count, bytes and born time in
   * proportion, exactly as the producer side splits batches.
   */
  read(from: number, now: Micros, maxRecords: number, maxBytes: number): ReadResult {
    const slices: Slice[] = [];
    let users = 0;
    let kinesis = 0;
    let bytes = 0;
    let seq = Math.max(from, this.firstSeq);
    let i = this.entryOf(seq);
    if (i < 0) return { slices, users, kinesis, bytes, next: seq };
    for (; i < this.tail && kinesis < maxRecords; i++) {
      if (this.arrival[i]! > now) break;
      const n = this.count[i]!;
      const offset = seq - this.start[i]!;
      const avail = n - offset;
      if (avail <= 0) continue;
      // Limits count Kinesis records and their bytes; a KPL aggregate holds n / kinesis user records.
      const perKinesis = n / this.kinesis[i]!;
      const b = this.bytes[i]!;
      const perBytes = b / n;
      let k = Math.min(avail, perKinesis === 1 ? maxRecords - kinesis : Math.floor((maxRecords - kinesis) * perKinesis));
      if (perBytes > 0 && bytes + k * perBytes > maxBytes) k = Math.floor((maxBytes - bytes) / perBytes);
      if (k <= 0) {
        if (users > 0) break;
        k = Math.min(avail, Math.max(1, Math.ceil(perKinesis))); // a call returns at least one record
      }
      const sliceBytes = Math.round((b * (offset + k)) / n) - Math.round((b * offset) / n);
      const kb = this.keys[i]!;
      const sliceKeys = kb === 0 ? 0 : Math.round((kb * (offset + k)) / n) - Math.round((kb * offset) / n);
      const b0 = this.born0[i]!;
      const span = this.born1[i]! - b0;
      slices.push({
        users: k,
        bytes: sliceBytes,
        keyBytes: sliceKeys,
        firstBorn: b0 + Math.round((span * offset) / n),
        lastBorn: b0 + Math.round((span * (offset + k)) / n),
        arrival: this.arrival[i]!,
      });
      users += k;
      kinesis += perKinesis === 1 ? k : k / perKinesis;
      bytes += sliceBytes;
      seq += k;
      if (k < avail) break;
    }
    return { slices, users, kinesis, bytes, next: seq };
  }

  /**
   * Calls `each` for the records with sequence numbers in [from, to) still held, entry by entry: how many, born
   * over which range (in proportion within an entry), and when they arrived.
   */
  forEachBetween(from: number, to: number, each: (users: number, firstBorn: Micros, lastBorn: Micros, arrival: Micros) => void): void {
    let i = this.entryOf(Math.max(from, this.firstSeq));
    if (i < 0) return;
    for (; i < this.tail; i++) {
      const start = this.start[i]!;
      if (start >= to) break;
      const n = this.count[i]!;
      const a = Math.max(from, start) - start;
      const b = Math.min(to, start + n) - start;
      if (b <= a) continue;
      const b0 = this.born0[i]!;
      const span = this.born1[i]! - b0;
      each(b - a, b0 + (span * a) / n, b0 + (span * b) / n, this.arrival[i]!);
    }
  }

  /** Drops entries wholly before `seq` (no consumer can need them again). */
  compact(seq: number): void {
    while (this.head < this.tail && this.start[this.head]! + this.count[this.head]! <= seq) this.head++;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      this.shift();
    }
  }

  private entryOf(seq: number): number {
    if (seq < this.firstSeq || seq >= this.endSeq) return -1;
    let lo = this.head;
    let hi = this.tail - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.start[mid]! <= seq) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private shift(): void {
    const n = this.tail - this.head;
    for (const a of [this.start, this.count, this.kinesis, this.bytes, this.keys, this.born0, this.born1, this.arrival]) a.copyWithin(0, this.head, this.tail);
    this.head = 0;
    this.tail = n;
  }

  private grow(): void {
    if (this.head > 0) {
      this.shift();
      if (this.tail < this.start.length) return;
    }
    const size = this.start.length * 2;
    const g = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.start = g(this.start);
    this.count = g(this.count);
    this.kinesis = g(this.kinesis);
    this.bytes = g(this.bytes);
    this.keys = g(this.keys);
    this.born0 = g(this.born0);
    this.born1 = g(this.born1);
    this.arrival = g(this.arrival);
  }
}
