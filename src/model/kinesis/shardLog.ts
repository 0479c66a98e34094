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

/** A read whose slices are columns (Slices): what a reader that keeps them until it processes them holds. */
export interface ColumnRead extends Omit<ReadResult, "slices"> {
  slices: Slices;
}

/** Where readSlices writes a read's slices before copying them out (grown to the longest read; filled in order, never holey). */
const scratch: number[] = [];

/** Numbers per slice in Slices, and the place of each field. */
const SW = 6;
const S_USERS = 0;
const S_BYTES = 1;
const S_KEYS = 2;
const S_BORN0 = 3;
const S_BORN1 = 4;
const S_ARRIVAL = 5;

/**
 * A read's slices as columns in one array of numbers (SW per slice) instead of an object each: a GetRecords result
 * holds about one slice per producer window it spans, and a reader keeps them until its records are processed, so
 * thousands of shards' reads would otherwise be thousands of small objects for the garbage collector to copy.
 */
export class Slices {
  /** Slices held (a read into pooled Slices sets it). */
  length: number;

  /** The first `length` slices of `d` (all of them by default). */
  constructor(
    /** The storage (a reader that reuses these Slices for its next reads has readSlices write over it). */
    readonly d: number[],
    length = d.length / SW,
  ) {
    this.length = length;
  }

  users(i: number): number {
    return this.d[i * SW + S_USERS]!;
  }
  bytes(i: number): number {
    return this.d[i * SW + S_BYTES]!;
  }
  keyBytes(i: number): number {
    return this.d[i * SW + S_KEYS]!;
  }
  firstBorn(i: number): Micros {
    return this.d[i * SW + S_BORN0]!;
  }
  lastBorn(i: number): Micros {
    return this.d[i * SW + S_BORN1]!;
  }
  arrival(i: number): Micros {
    return this.d[i * SW + S_ARRIVAL]!;
  }

  /** Slice `i` as an object. */
  at(i: number): Slice {
    return { users: this.users(i), bytes: this.bytes(i), keyBytes: this.keyBytes(i), firstBorn: this.firstBorn(i), lastBorn: this.lastBorn(i), arrival: this.arrival(i) };
  }

  toArray(): Slice[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }
}

/** No slices: `into` emptied, or new. */
function emptied(into: Slices | undefined): Slices {
  if (!into) return new Slices([], 0);
  into.length = 0;
  return into;
}

export type AppendListener = (now: Micros) => void;

/** Numbers per entry, and the place of each field in an entry (see ShardLog.e). */
const W = 8;
const START = 0;
const COUNT = 1;
const KINESIS = 2;
const BYTES = 3;
const KEYS = 4;
const BORN0 = 5;
const BORN1 = 6;
const ARRIVAL = 7;

/** Entries that arrived this long before the newest are merged into one per COARSE of arrival (µs)… */
const COALESCE_AFTER = 60_000_000;
const COARSE = 1_000_000;
/** …and those older than COARSER_AFTER into one per COARSER. */
const COARSER_AFTER = 3_600_000_000;
const COARSER = 60_000_000;

export class ShardLog {
  /**
   * The entries, one after another, W numbers each (one 64-byte cache line): the sequence number of the entry's first
   * record (START), its user records (COUNT: sequence numbers count user records), its Kinesis records (KINESIS:
   * aggregates count once), bytes (BYTES) and the partition keys' part of them (KEYS), the born range (BORN0, BORN1)
   * and the arrival time (ARRIVAL).
   *
   * Entries are numbered head..tail-1 as if they lay one after another from the start of an array of `capacity` entries,
   * which is shifted down when the entries reach its end and doubled when they fill it (and merged first: see coalesce).
   * Those numbers, and so when entries merge, are kept exactly; the storage under them is a ring of `capacity` entries
   * (a power of two), entry i at e[at(i) + field], so a shift moves no entry: it moves `base`.
   */
  private e = new Float64Array(64 * W);
  private capacity = 64;
  private head = 0;
  private tail = 0;
  /** capacity − 1. */
  private mask = 63;
  /** Ring slot of entry 0. */
  private base = 0;

  /** Where entry i starts in e. */
  private at(i: number): number {
    return ((this.base + i) & this.mask) * W;
  }
  /** Whether old entries merge when the buffer is full (fidelity.mergeOldLogEntries; see coalesce). */
  constructor(private readonly mergeOld = true) {}

  /** Arrival of the newest entry (when any is held: merging never changes the newest entry, compaction only drops). */
  private lastArrival = -1;
  /**
   * The oldest entry's first sequence number and arrival, kept beside the entries (valid while any is held): readers
   * ask for them on every call and the compaction once a second, and the oldest entry is usually long out of the
   * cache (a reader's checkpoint holds it back tens of seconds). Set by noteHead whenever the oldest entry changes.
   */
  private headStart = 0;
  private headArrival = 0;
  /**
   * Entries ending at or before this were dropped by compact, and every entry appended since starts at or after it (so
   * ends after it): compacting to it, or to less, again drops nothing (a reader's checkpoint asks the same for many seconds).
   */
  private compactedTo = -1;

  /**
   * Where the last two reads stopped, for the next reads from there (a reader reads on from where it stopped, and a
   * log has one or two readers as a rule): the sequence number, and the entry that held it (or the next entry to come).
   * Entries move (shift, coalesce, an emptied log), so entryOf takes a hinted entry only if it holds the record: entries
   * hold consecutive records, so that entry is the one.
   */
  private readonly hintSeq = [-1, -1];
  private readonly hintEntry = [0, 0];
  private nextHint = 0;

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
    const e = this.e;
    // The newest entry's arrival is kept beside the entries, so an append at a new instant reads no old entry.
    if (this.tail > this.head && this.lastArrival === arrival) {
      const last = this.at(this.tail - 1);
      e[last + KINESIS]! += kinesis;
      e[last + COUNT]! += records;
      e[last + BYTES]! += bytes;
      e[last + KEYS]! += keyBytes;
      if (firstBorn < e[last + BORN0]!) e[last + BORN0] = firstBorn;
      if (lastBorn > e[last + BORN1]!) e[last + BORN1] = lastBorn;
    } else {
      if (this.tail === this.capacity) this.grow();
      const first = this.tail === this.head;
      const o = this.at(this.tail++);
      const f = this.e;
      f[o + START] = this.endSeq;
      f[o + COUNT] = records;
      f[o + KINESIS] = kinesis;
      f[o + BYTES] = bytes;
      f[o + KEYS] = keyBytes;
      f[o + BORN0] = firstBorn;
      f[o + BORN1] = lastBorn;
      f[o + ARRIVAL] = arrival;
      this.lastArrival = arrival;
      if (first) this.noteHead();
    }
    this.endSeq += records;
    const ls = this.listeners;
    for (let j = 0; j < ls.length; j++) ls[j]!(arrival);
  }

  /** Sequence number of the first record still held (records before it were dropped). */
  get firstSeq(): number {
    return this.head < this.tail ? this.headStart : this.endSeq;
  }

  /** Entries held (for memory checks). */
  get entries(): number {
    return this.tail - this.head;
  }

  /** The sequence number of the oldest record that arrived at or after `cutoff` (records before it are trimmed). */
  trimHorizon(cutoff: Micros): number {
    const e = this.e;
    // Usually nothing held is that old (readers ask every poll, retention is hours): the first record, without a search.
    if (this.head === this.tail || this.headArrival >= cutoff) return this.firstSeq;
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[this.at(mid) + ARRIVAL]! < cutoff) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.tail ? e[this.at(lo) + START]! : this.endSeq;
  }

  /** Arrival time of the record with sequence number `seq`, or undefined if it is not held. */
  arrivalOf(seq: number): Micros | undefined {
    const i = this.entryOf(seq);
    return i < 0 ? undefined : this.e[this.at(i) + ARRIVAL];
  }

  /** Sequence number just after the last record that arrived at or before `now`. */
  visibleEnd(now: Micros): number {
    const e = this.e;
    let i = this.tail - 1;
    while (i >= this.head && e[this.at(i) + ARRIVAL]! > now) i--;
    return i >= this.head ? e[this.at(i) + START]! + e[this.at(i) + COUNT]! : this.firstSeq;
  }

  /**
   * Reads from `from` the records that arrived at or before `now`, at most `maxRecords` records and `maxBytes`
   * bytes (at least one record when any is available). Entries are split by count, bytes and born time in
   * proportion, exactly as the producer side splits batches.
   */
  read(from: number, now: Micros, maxRecords: number, maxBytes: number): ReadResult {
    const r = this.readSlices(from, now, maxRecords, maxBytes);
    return { ...r, slices: r.slices.toArray() };
  }

  /**
   * The same read with its slices as columns. `transient`: the slices are not copied out of the scratch array they are
   * written into, so they are valid only until the next read of any shard's log (a reader that hands them on at once).
   * `into`: the slices are written into these (Slices a reader reuses once it is done with them: what they held before
   * is overwritten, and anything in their storage past the read's slices is left as it was and ignored).
   */
  readSlices(from: number, now: Micros, maxRecords: number, maxBytes: number, transient = false, into?: Slices): ColumnRead {
    // The slices are written into `into`, or into the shared scratch array and copied out at their exact size (unless transient).
    const d = into ? into.d : scratch;
    let j = 0;
    let users = 0;
    let kinesis = 0;
    let bytes = 0;
    let seq = Math.max(from, this.firstSeq);
    let i = this.entryOf(seq);
    if (i < 0) return { slices: emptied(into), users, kinesis, bytes, next: seq };
    const start = seq;
    const e = this.e;
    for (; i < this.tail && kinesis < maxRecords; i++) {
      const o = this.at(i);
      if (e[o + ARRIVAL]! > now) break;
      const n = e[o + COUNT]!;
      const offset = seq - e[o + START]!;
      const avail = n - offset;
      if (avail <= 0) continue;
      // Limits count Kinesis records and their bytes; a KPL aggregate holds n / kinesis user records.
      const perKinesis = n / e[o + KINESIS]!;
      const b = e[o + BYTES]!;
      const perBytes = b / n;
      let k = Math.min(avail, perKinesis === 1 ? maxRecords - kinesis : Math.floor((maxRecords - kinesis) * perKinesis));
      if (perBytes > 0 && bytes + k * perBytes > maxBytes) k = Math.floor((maxBytes - bytes) / perBytes);
      if (k <= 0) {
        if (users > 0) break;
        k = Math.min(avail, Math.max(1, Math.ceil(perKinesis))); // a call returns at least one record
      }
      const kb = e[o + KEYS]!;
      const b0 = e[o + BORN0]!;
      const b1 = e[o + BORN1]!;
      let sliceBytes: number;
      if (offset === 0 && k === n && Number.isInteger(b) && Number.isInteger(kb) && Number.isInteger(b0) && Number.isInteger(b1)) {
        // A whole entry (most of a read): the proportions below give its own fields exactly when they are whole numbers
        // (bytes and µs always are: x·n/n is x then, and rounding it changes nothing).
        sliceBytes = b;
        d[j + S_KEYS] = kb;
        d[j + S_BORN0] = b0;
        d[j + S_BORN1] = b1;
      } else {
        sliceBytes = Math.round((b * (offset + k)) / n) - Math.round((b * offset) / n);
        const span = b1 - b0;
        d[j + S_KEYS] = kb === 0 ? 0 : Math.round((kb * (offset + k)) / n) - Math.round((kb * offset) / n);
        d[j + S_BORN0] = b0 + Math.round((span * offset) / n);
        d[j + S_BORN1] = b0 + Math.round((span * (offset + k)) / n);
      }
      d[j + S_USERS] = k;
      d[j + S_BYTES] = sliceBytes;
      d[j + S_ARRIVAL] = e[o + ARRIVAL]!;
      j += SW;
      users += k;
      kinesis += perKinesis === 1 ? k : k / perKinesis;
      bytes += sliceBytes;
      seq += k;
      if (k < avail) break;
    }
    this.hint(start, seq, i);
    let slices: Slices;
    if (into) {
      into.length = j / SW;
      slices = into;
    } else slices = transient ? new Slices(d, j / SW) : new Slices(d.slice(0, j));
    return { slices, users, kinesis, bytes, next: seq };
  }

  /**
   * Calls `each` for the records with sequence numbers in [from, to) still held, entry by entry: how many, born
   * over which range (in proportion within an entry), and when they arrived.
   */
  forEachBetween(from: number, to: number, each: (users: number, firstBorn: Micros, lastBorn: Micros, arrival: Micros) => void): void {
    let i = this.entryOf(Math.max(from, this.firstSeq));
    if (i < 0) return;
    const e = this.e;
    for (; i < this.tail; i++) {
      const o = this.at(i);
      const start = e[o + START]!;
      if (start >= to) break;
      const n = e[o + COUNT]!;
      const a = Math.max(from, start) - start;
      const b = Math.min(to, start + n) - start;
      if (b <= a) continue;
      const b0 = e[o + BORN0]!;
      const span = e[o + BORN1]! - b0;
      each(b - a, b0 + (span * a) / n, b0 + (span * b) / n, e[o + ARRIVAL]!);
    }
  }

  /** Drops entries wholly before `seq` (no consumer can need them again). */
  compact(seq: number): void {
    if (seq <= this.compactedTo) return;
    // Entries appended from now on start at endSeq or later, so they end after min(seq, endSeq).
    this.compactedTo = Math.min(seq, this.endSeq);
    const e = this.e;
    const before = this.head;
    while (this.head < this.tail && e[this.at(this.head) + START]! + e[this.at(this.head) + COUNT]! <= seq) this.head++;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else {
      if (this.head !== before) this.noteHead();
      if (this.head > 1024 && this.head * 2 > this.tail) this.shift();
    }
  }

  /** Keeps the oldest entry's start and arrival beside the entries (call when it changes; an entry must be held). */
  private noteHead(): void {
    const o = this.at(this.head);
    this.headStart = this.e[o + START]!;
    this.headArrival = this.e[o + ARRIVAL]!;
  }

  /**
   * The entry holding record `seq` (-1 when it is not held): the last entry starting at or before it. Readers mostly
   * ask near the newest entries, so the search gallops back from the newest (1, 2, 4, … entries) before it halves.
   */
  private entryOf(seq: number): number {
    if (seq < this.firstSeq || seq >= this.endSeq) return -1;
    const e = this.e;
    for (let h = 0; h < 2; h++) {
      if (this.hintSeq[h] !== seq) continue;
      const i = this.hintEntry[h]!;
      if (i < this.head || i >= this.tail) break;
      const o = this.at(i);
      const start = e[o + START]!;
      if (start <= seq && seq < start + e[o + COUNT]!) return i;
      break;
    }
    let hi = this.tail - 1;
    if (e[this.at(hi) + START]! <= seq) return hi;
    // Entry hi starts after seq; find lo ≥ head that starts at or before it (the head does: seq ≥ firstSeq).
    let step = 1;
    let lo = hi - step;
    while (lo > this.head && e[this.at(lo) + START]! > seq) {
      hi = lo;
      step *= 2;
      lo = hi - step;
    }
    if (lo < this.head) lo = this.head;
    hi--;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (e[this.at(mid) + START]! <= seq) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Notes that a read from `start` stopped at `seq`, in entry `entry` (or before it, when that is the next to come). */
  private hint(start: number, seq: number, entry: number): void {
    // The reader that stopped at `start` last time has moved on: its slot is the one to write over.
    let h = this.hintSeq[0] === start ? 0 : this.hintSeq[1] === start ? 1 : -1;
    if (h < 0) {
      h = this.nextHint;
      this.nextHint ^= 1;
    }
    this.hintSeq[h] = seq;
    this.hintEntry[h] = entry;
  }

  /**
   * Merges old entries into coarser ones, so a log that a reader far behind holds stays bounded whatever the run's
   * length (at most about COALESCE_AFTER ÷ window + (retention − COALESCE_AFTER) ÷ COARSE entries a shard): entries
   * that arrived more than COALESCE_AFTER before the newest become one entry per COARSE of arrival, and more than
   * COARSER_AFTER before it one per COARSER. Sequence numbers, counts, bytes and born ranges are kept (a merged entry's
   * born range spans its parts'), and a merged entry arrives when its last part did: a reader that far behind sees the
   * same records, their born times spread over a second (a minute) instead of a window, and expiry by retention at most
   * that much later. A reader that keeps up never sees a merged entry (the log is compacted to it). Returns whether any
   * entries were merged.
   */
  private coalesce(): boolean {
    const e = this.e;
    const newest = e[this.at(this.tail - 1) + ARRIVAL]!;
    let out = this.head;
    let i = this.head;
    let merged = false;
    while (i < this.tail) {
      const arrival = e[this.at(i) + ARRIVAL]!;
      const age = newest - arrival;
      const bucket = age > COARSER_AFTER ? COARSER : age > COALESCE_AFTER ? COARSE : 0;
      if (bucket === 0) break;
      const key = Math.floor(arrival / bucket);
      const o = this.at(out);
      if (out !== i) this.copyEntry(o, this.at(i));
      let j = i + 1;
      for (; j < this.tail; j++) {
        const q = this.at(j);
        const a = e[q + ARRIVAL]!;
        if (Math.floor(a / bucket) !== key || newest - a <= (bucket === COARSER ? COARSER_AFTER : COALESCE_AFTER)) break;
        e[o + COUNT]! += e[q + COUNT]!;
        e[o + KINESIS]! += e[q + KINESIS]!;
        e[o + BYTES]! += e[q + BYTES]!;
        e[o + KEYS]! += e[q + KEYS]!;
        if (e[q + BORN0]! < e[o + BORN0]!) e[o + BORN0] = e[q + BORN0]!;
        if (e[q + BORN1]! > e[o + BORN1]!) e[o + BORN1] = e[q + BORN1]!;
        e[o + ARRIVAL] = a;
        merged = true;
      }
      out++;
      i = j;
    }
    if (!merged) return false;
    // The entries after the merged ones move down behind them.
    for (let k = i; k < this.tail; k++) this.copyEntry(this.at(out + k - i), this.at(k));
    this.tail = out + (this.tail - i);
    this.noteHead(); // the oldest entry may have merged with later ones: it arrives when its last part did
    return true;
  }

  private copyEntry(to: number, from: number): void {
    this.e.copyWithin(to, from, from + W);
  }

  /** The entries move down to the start of the array: in the ring, only the slot of entry 0 moves. */
  private shift(): void {
    const n = this.tail - this.head;
    this.base = (this.base + this.head) & this.mask;
    this.head = 0;
    this.tail = n;
  }

  private grow(): void {
    if (this.head > 0) {
      this.shift();
      if (this.tail < this.capacity) return;
    }
    // Full: a reader far behind holds the log. Merge its old entries before making room.
    if (this.mergeOld && this.coalesce() && this.tail <= (this.capacity * 3) / 4) return;
    // A ring twice the size, the entries laid out from its start: entries head..tail-1 are at most two runs of the old
    // ring (before and after its end), each copied in one call. (Most of grow's time is the new array itself: the
    // operating system's first touch of its pages.)
    const e = this.e;
    const b = new Float64Array(this.capacity * 2 * W);
    const from = this.at(this.head);
    const n = (this.tail - this.head) * W;
    const firstRun = Math.min(n, e.length - from);
    b.set(e.subarray(from, from + firstRun), this.head * W);
    if (firstRun < n) b.set(e.subarray(0, n - firstRun), this.head * W + firstRun);
    this.capacity *= 2;
    this.e = b;
    this.mask = this.capacity - 1;
    this.base = 0;
  }
}
