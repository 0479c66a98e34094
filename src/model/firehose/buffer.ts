// What Firehose holds: records as chunks (a count and byte total of records born uniformly over
// [firstBorn, lastBorn] that entered the delivery stream at `entered`), buffers of chunks that flush on a size
// or an age (buffering hints), and the fault windows of a delivery stream. Chunks are split only at a buffer
// boundary, oldest records first; chunks entering a buffer within the same second coalesce, so a buffer holds
// at most one chunk per second of its age whatever the number of shards or producers.

import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { FIREHOSE_ZERO_BUFFERING_PERIOD_S } from "../../aws/limits.js";
import type { Slices } from "../kinesis/shardLog.js";
import { checkSplit, splitsChecked } from "../batch.js";

export interface Chunk {
  records: number;
  bytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
  /** When the records entered the delivery stream (DataFreshness and the 24 h retention count from here). */
  entered: Micros;
  /** When they reached the destination buffer (after the transformation, if any), and when it was flushed. */
  buffered?: Micros;
  flushed?: Micros;
  /**
   * Of their time in the destination buffer (set when it is flushed, or at the end): how long a flush was due that the
   * destination could not take yet (an OpenSearch bulk request running or queued), and how long, with none due, the
   * buffer held the size hint or more but did not flush because its size in force was raised above the hint while
   * delivery fell behind (µs; absent: 0). The rest they waited for a buffering hint. heldFrom and raisedFrom are the
   * delivery stream's clocks of those two (the time spent so far) when they reached the buffer.
   */
  heldUs?: Micros;
  raisedUs?: Micros;
  heldFrom?: Micros;
  raisedFrom?: Micros;
  /** Which write the records belong to, for a destination shared by several writers (a connector sink's flushes); chunks of different tags never coalesce. */
  tag?: number;
}

/** Splits off the oldest `k` records (0 < k < records); bytes and born times in proportion, adding up exactly. */
/** Where records enter a delivery stream (Direct PUT, a source stream's reader): at `now`, with statistics stamped at `statsAt`. */
export interface Ingest {
  ingest(chunk: Chunk, statsAt: Micros, now: Micros): void;
  /** A source reader's GetRecords result at `t`, all its slices at once (see DeliveryStream.ingestRead). */
  ingestRead(slices: Slices, t: Micros): void;
}

export function splitChunk(c: Chunk, k: number): [Chunk, Chunk] {
  const bytes = Math.round((c.bytes * k) / c.records);
  const cut = c.firstBorn + Math.round(((c.lastBorn - c.firstBorn) * k) / c.records);
  const parts: [Chunk, Chunk] = [
    { ...c, records: k, bytes, firstBorn: c.firstBorn, lastBorn: cut },
    { ...c, records: c.records - k, bytes: c.bytes - bytes, firstBorn: cut, lastBorn: c.lastBorn },
  ];
  if (splitsChecked()) checkSplit("splitChunk", c as Chunk & Record<string, unknown>, k, parts as [Chunk & Record<string, unknown>, Chunk & Record<string, unknown>], ["records", "bytes"]);
  return parts;
}

export function totalOf(chunks: readonly Chunk[]): { records: number; bytes: number } {
  let records = 0;
  let bytes = 0;
  for (const c of chunks) {
    records += c.records;
    bytes += c.bytes;
  }
  return { records, bytes };
}

/** The oldest `entered` of some chunks (Infinity if none). */
export function oldestOf(chunks: readonly Chunk[]): number {
  let t = Infinity;
  for (const c of chunks) if (c.entered < t) t = c.entered;
  return t;
}

/** Records and bytes a stage holds, and when the oldest of them entered the delivery stream (Infinity if none). */
export interface Held {
  records: number;
  bytes: number;
  oldest: Micros;
}

/** The chunks the given groups (deliveries, invocations; nulls skipped) hold. */
export function chunksIn(...groups: Iterable<{ chunks: readonly Chunk[] } | null>[]): Chunk[] {
  const out: Chunk[] = [];
  for (const group of groups) for (const g of group) if (g) out.push(...g.chunks);
  return out;
}

/** What the given groups (deliveries, invocations; nulls skipped) hold together. */
export function heldIn(...groups: Iterable<Held | null>[]): Held {
  const h = { records: 0, bytes: 0, oldest: Infinity };
  for (const group of groups) {
    for (const d of group) {
      if (!d) continue;
      h.records += d.records;
      h.bytes += d.bytes;
      if (d.oldest < h.oldest) h.oldest = d.oldest;
    }
  }
  return h;
}

const ZERO_BUFFERING_PERIOD = FIREHOSE_ZERO_BUFFERING_PERIOD_S * MICROS_PER_SECOND;

/**
 * When a buffer whose contents began to gather at `startedAt` is due by its interval hint: `interval` later; with an
 * interval of 0 (zero buffering), at the next whole FIREHOSE_ZERO_BUFFERING_PERIOD_S (1 s) of the run after it, so
 * that what arrives within a second goes out together, however finely it arrived (batch windows, single records).
 */
export function intervalDueAt(startedAt: Micros, interval: Micros): Micros {
  return interval > 0 ? startedAt + interval : (Math.floor(startedAt / ZERO_BUFFERING_PERIOD) + 1) * ZERO_BUFFERING_PERIOD;
}

/** The longest a record waits in a buffer for its interval hint: the interval, or a zero-buffering period with none. */
export function longestIntervalWait(interval: Micros): Micros {
  return interval > 0 ? interval : ZERO_BUFFERING_PERIOD;
}

/** A buffer of chunks in arrival order. */
export class ChunkBuffer {
  private chunks: Chunk[] = [];
  records = 0;
  bytes = 0;
  /** When the buffer's current contents began to gather (-1 while empty). */
  startedAt = -1;

  get empty(): boolean {
    return this.records === 0;
  }

  /** The chunks it holds, oldest first. */
  get contents(): readonly Chunk[] {
    return this.chunks;
  }

  get oldestEntered(): number {
    return this.chunks.length > 0 ? oldestOf(this.chunks) : Infinity;
  }

  add(c: Chunk, now: Micros): void {
    if (c.records > 0 && !this.mergeIn(c.records, c.bytes, c.firstBorn, c.lastBorn, c.entered, c.tag, now)) this.chunks.push({ ...c });
  }

  /**
   * add() of an untagged chunk given by its fields: the same buffer, but no object unless the records begin a new
   * chunk (a source reader's slices, a transformation's Ok records, one by one at volume).
   */
  addParts(records: number, bytes: number, firstBorn: Micros, lastBorn: Micros, entered: Micros, buffered: Micros | undefined, now: Micros): void {
    if (records <= 0 || this.mergeIn(records, bytes, firstBorn, lastBorn, entered, undefined, now)) return;
    this.chunks.push(buffered === undefined ? { records, bytes, firstBorn, lastBorn, entered } : { records, bytes, firstBorn, lastBorn, entered, buffered });
  }

  /**
   * Counts records in (starting the buffer's clock when it was empty) and merges them into the newest chunk when they
   * may: the same tag, entered in the same second. False when they must begin a new chunk, which the caller adds.
   */
  private mergeIn(records: number, bytes: number, firstBorn: Micros, lastBorn: Micros, entered: Micros, tag: number | undefined, now: Micros): boolean {
    if (this.records === 0) this.startedAt = now;
    this.records += records;
    this.bytes += bytes;
    const last = this.chunks[this.chunks.length - 1];
    if (!last || last.tag !== tag || Math.floor(last.entered / MICROS_PER_SECOND) !== Math.floor(entered / MICROS_PER_SECOND)) return false;
    last.records += records;
    last.bytes += bytes;
    if (firstBorn < last.firstBorn) last.firstBorn = firstBorn;
    if (lastBorn > last.lastBorn) last.lastBorn = lastBorn;
    if (entered < last.entered) last.entered = entered;
    return true;
  }

  /** Takes everything. */
  takeAll(): Chunk[] {
    const out = this.chunks;
    this.chunks = [];
    this.records = 0;
    this.bytes = 0;
    this.startedAt = -1;
    return out;
  }

  /**
   * Takes the oldest records up to `maxBytes` (whole records, at least one), splitting a chunk where the limit
   * falls. What stays begins a new buffer at `now`.
   */
  take(maxBytes: number, now: Micros): Chunk[] {
    if (this.bytes <= maxBytes) return this.takeAll();
    const chunks = this.chunks;
    let whole = 0; // chunks taken whole, from the front
    let records = 0;
    let bytes = 0;
    while (bytes + chunks[whole]!.bytes <= maxBytes) {
      records += chunks[whole]!.records;
      bytes += chunks[whole]!.bytes;
      whole++;
    }
    // The chunk where the limit falls (there is one: the buffer holds more than maxBytes).
    const c = chunks[whole]!;
    const per = c.bytes / c.records;
    let k = per > 0 ? Math.floor((maxBytes - bytes) / per) : c.records;
    if (k <= 0 && whole === 0) k = 1;
    if (k >= c.records) {
      records += c.records;
      bytes += c.bytes;
      whole++;
    }
    const out = whole > 0 ? chunks.splice(0, whole) : [];
    if (k > 0 && k < c.records) {
      // The head goes out; the tail stays as the buffer's own chunk, cut in place (the buffer's array keeps its object).
      const [head, tail] = splitChunk(c, k);
      c.records = tail.records;
      c.bytes = tail.bytes;
      c.firstBorn = tail.firstBorn;
      out.push(head);
      records += k;
      bytes += head.bytes;
    }
    this.records -= records;
    this.bytes -= bytes;
    this.startedAt = this.records > 0 ? now : -1;
    return out;
  }
}

/** A delivery stream's faults: outage windows, slowdowns and Lambda error windows. */
export class FaultWindows {
  readonly outages: { from: Micros; to: Micros }[] = [];
  readonly slowdowns: { from: Micros; to: Micros; factor: number }[] = [];
  readonly lambdaErrors: { from: Micros; to: Micros; share: number }[] = [];

  outageAt(t: Micros): boolean {
    return this.outages.some((w) => t >= w.from && t < w.to);
  }

  /** The slowdown factor at `t` (the largest of the windows in force; 1 when none). */
  slowdownAt(t: Micros): number {
    let f = 1;
    for (const w of this.slowdowns) if (t >= w.from && t < w.to && w.factor > f) f = w.factor;
    return f;
  }

  /** The share of invocations failing at `t` (the largest of the windows in force; 0 when none). */
  lambdaErrorShareAt(t: Micros): number {
    let s = 0;
    for (const w of this.lambdaErrors) if (t >= w.from && t < w.to && w.share > s) s = w.share;
    return s;
  }
}
