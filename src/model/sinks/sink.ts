// A connector sink: where a consumer writes what it processes, as the Amazon Kinesis Connector Library's record
// processor does (KinesisConnectorRecordProcessor, BasicMemoryBuffer; defaults in src/aws/limits.ts).
//
// The one entry point a consumer uses: a lane (`sink.lane(owner)`, one per record processor) takes each processed
// batch (`offer`): it goes into the lane's buffer, and when the buffer holds `buffer.records` records or
// `buffer.bytes` of record data, or `buffer.age` has passed since the last flush, everything it holds is flushed.
// The emit is synchronous in the Connector: while a flush is written the record processor waits (no next batch,
// no checkpoint). A try that leaves records unwritten (DynamoDB's UnprocessedItems) is tried again with them after
// `retry.backoff`, `retry.limit` tries in all; what is left then goes to IEmitter.fail() and is lost. When the
// flush is done the owner hears `flushed(position)`: the last record it holds is durable, the processor may go on
// and checkpoint there. A consumer that writes each batch at once (a Lambda function) offers with `flush: true`.
//
// Accounting (whole run): records offered = written + buffered + being written (a flush in progress, or waiting
// to be tried again) + lost past the retry limit + given up by the destination + expired at the destination +
// interrupted (the record processor stopped — a crash, a lost lease, a Lambda invocation the timeout ended — with them
// buffered or unwritten: never checkpointed, so the lease's next owner, or the batch's retry, processes and writes
// them again).

import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import type { Micros } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, valuesOf, type Counts } from "../../metrics/warmup.js";
import type { AnySinkSpec } from "../../spec/index.js";
import { DynamoTable } from "../dynamodb/table.js";
import { DestinationEmitter, DynamoDbEmitter, type EmitResult, type Emitter, type EmitterHooks } from "./emitters.js";
import { batchWrite, type BatchWrite, type SpentCredit } from "./batchWrite.js";

/** A processed batch handed to the sink. */
export interface Emitted {
  records: number;
  /** Data bytes of the records read (the Connector's buffer counts these). */
  dataBytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
}

/** What a lane's owner (a record processor) hears. */
export interface LaneOwner {
  /**
   * A flush is done (written, or failed past the retries): the processor may go on; `position` is the flush's last
   * record; `written` of its `records` were written.
   */
  flushed(position: number, t: Micros, written: number, records: number): void;
  /** Whether the processor is between batches (an age flush may start now; otherwise the next offer checks the age). */
  idle(): boolean;
  /** The processor waited for a flush over [from, to) (called when the flush is done, or at the end of the run). */
  waited?(from: Micros, to: Micros): void;
  /**
   * The lane was closed while a flush was being written (the processor stopped, `close`): that flush, whose last record
   * is `position`, is done at `t`, `written` of its records written before the writes stopped (the rest interrupted).
   */
  cutFlushDone?(written: number, t: Micros, position: number): void;
}

/**
 * What set a flush off: a buffer limit; `end`: a shard's end (flushNow); `invocation`: an offer with `flush: true`, a
 * Lambda function's batch, which the invocation writes before it returns (no buffer limit applies).
 */
export type FlushTrigger = "records" | "bytes" | "age" | "end" | "invocation";

/** Whole run. */
export interface SinkRunStats {
  offered: number;
  written: number;
  lostRetriesExhausted: number;
  gaveUp: number;
  expired: number;
  interrupted: number;
  flushes: Record<FlushTrigger, number>;
  /** Emit tries after the first of a flush. */
  retries: number;
}

const AFTER_WARMUP = [
  "offeredAfterWarmup",
  "writtenAfterWarmup",
  "writtenBytesAfterWarmup",
  "flushesAfterWarmup",
  "requests",
  "throttledRequests",
  "throttledItems",
  "objects",
  "objectBytes",
  "copies",
  "failedAttempts",
  "waitUs",
  "lostRetriesExhaustedAfterWarmup",
  "gaveUpAfterWarmup",
  "expiredAfterWarmup",
  "cutWrites",
  "cutBeforeRetry",
  "cutBeforeRetryRequests",
] as const;

export type SinkStats = SinkRunStats & Record<(typeof AFTER_WARMUP)[number], number>;

/** Series rows: records written, items throttled, record-processor time waiting on flushes (µs), the sink's own capacity used. */
export const SINK_ROW = { written: 0, throttledItems: 1, waitUs: 2, used: 3 } as const;

/**
 * What row `used` counts: the µs the destination was busy with a write it serves one at a time for every lane — a
 * Redshift COPY, an OpenSearch bulk request (its request latency plus its bytes at the domain's throughput) — spread
 * over the steps it ran in. A DynamoDB table counts its write units in its own series; S3 has no capacity modelled.
 */

interface Flush {
  id: number;
  lane: SinkLane;
  records: number;
  dataBytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
  position: number;
  startedAt: Micros;
  tries: number;
  /** Records not yet written or lost in this flush. */
  open: number;
  /** Records of it written so far. */
  written: number;
  /** Requests its tries sent so far (EmitTry.sent). */
  requests: number;
  /** A try is under way (the emitter has not answered it). */
  trying: boolean;
}

export class Sink {
  readonly kind: AnySinkSpec["kind"];
  readonly table: DynamoTable | null;
  readonly emitter: Emitter;
  readonly series: SeriesBank;
  /** Born at the producer → written to the sink, per record written that was born after warmup. */
  readonly latency: LatencyHistogram;
  /**
   * Records born after warmup not written by the end of the run, at their age then (censored observations: their
   * latency to the sink is at least that): those its consumer had not processed (told by the consumer's finish) and
   * those buffered or being written in its open lanes (its own finish).
   */
  readonly censoredAtEnd: LatencyHistogram;
  private readonly whole: SinkRunStats = { offered: 0, written: 0, lostRetriesExhausted: 0, gaveUp: 0, expired: 0, interrupted: 0, flushes: { records: 0, bytes: 0, age: 0, end: 0, invocation: 0 }, retries: 0 };
  private readonly after: Counts<(typeof AFTER_WARMUP)[number]>;
  private readonly lanes = new Set<SinkLane>();
  /** Flushes started and not done: their record processors are waiting (counted up to the end by finish). */
  private readonly writingFlushes = new Set<Flush>();
  private nextFlush = 0;

  constructor(
    /** The consumer's name. */
    readonly name: string,
    /** A Lambda function's has no buffer: its lanes flush only when offered a batch with `flush`. */
    readonly spec: AnySinkSpec,
    readonly sim: Simulator,
    rng: RandomStream,
    private readonly warmup: Micros,
    duration: Micros,
    resolution: Micros,
  ) {
    this.kind = spec.kind;
    this.after = countsFrom(warmup, AFTER_WARMUP);
    this.series = new SeriesBank(4, duration, resolution);
    this.latency = new LatencyHistogram(warmup);
    this.censoredAtEnd = new LatencyHistogram(warmup);
    const hooks: EmitterHooks = {
      request: (t, _items, throttled) => {
        this.after.requests.add(t);
        if (throttled > 0) {
          this.after.throttledRequests.add(t);
          this.after.throttledItems.add(t, throttled);
          this.series.add(SINK_ROW.throttledItems, t, throttled);
        }
      },
      wrote: (t, bytes) => {
        this.after.objects.add(t);
        this.after.objectBytes.add(t, bytes);
      },
      copied: (t, busy, loaded) => {
        if (loaded) this.after.copies.add(t);
        this.addSpan(SINK_ROW.used, t - busy, t);
      },
      indexed: (t, busy) => this.addSpan(SINK_ROW.used, t - busy, t),
      failedAttempt: (t) => this.after.failedAttempts.add(t),
    };
    if (spec.kind === "dynamodb") {
      const table = spec.table;
      this.table = new DynamoTable(table.capacity === "provisioned" ? { ...table } : { capacity: "onDemand", previousPeak: table.previousPeak }, duration, resolution, warmup);
      this.emitter = new DynamoDbEmitter(spec, this.table, sim, rng.fork("requests"), hooks);
    } else {
      this.table = null;
      this.emitter = new DestinationEmitter(spec, sim, rng.fork("destination"), hooks);
    }
  }

  /**
   * How long one write of a flush of `records` records of `dataBytes` record data takes on this sink (batchWrite.ts):
   * its mean with the sink not throttled and serving it alone, and the least it can take (with `spent`, its provisioned
   * table's credit spent: holding no more than it has since).
   */
  writeOf(records: number, dataBytes: number, spent?: SpentCredit): BatchWrite {
    return batchWrite(this.spec, records, dataBytes, spent);
  }

  /** A buffer for one record processor (or one invocation's writes). */
  lane(owner: LaneOwner): SinkLane {
    const lane = new SinkLane(this, owner);
    this.lanes.add(lane);
    return lane;
  }

  get stats(): Readonly<SinkStats> {
    return { ...this.whole, flushes: { ...this.whole.flushes }, ...valuesOf(this.after) };
  }

  /** Records in lanes' buffers, and in flushes not done yet. */
  inside(): { buffered: number; writing: number } {
    let buffered = 0;
    let writing = 0;
    for (const l of this.lanes) {
      buffered += l.bufferedRecords;
      writing += l.writingRecords;
    }
    return { buffered, writing };
  }

  // What lanes call.

  offered(n: number, t: Micros): void {
    this.whole.offered += n;
    this.after.offeredAfterWarmup.add(t, n);
  }

  interrupted(n: number): void {
    this.whole.interrupted += n;
  }

  closed(lane: SinkLane): void {
    this.lanes.delete(lane);
  }

  /** Starts writing a flush: tries until written, out of tries, or its lane stopped. */
  flush(lane: SinkLane, f: Omit<Flush, "id" | "lane" | "tries" | "open" | "written" | "requests" | "trying">, trigger: FlushTrigger, now: Micros): Flush {
    const flush: Flush = { ...f, id: this.nextFlush++, lane, tries: 0, open: f.records, written: 0, requests: 0, trying: false };
    this.writingFlushes.add(flush);
    this.whole.flushes[trigger]++;
    this.after.flushesAfterWarmup.add(now);
    this.attempt(flush, flush.records, now);
    return flush;
  }

  private attempt(f: Flush, records: number, now: Micros): void {
    f.tries++;
    f.trying = true;
    if (f.tries > 1) this.whole.retries++;
    // The bytes of what is left, in proportion; born times as the flush's (records are not told apart within it).
    const bytes = (f.dataBytes * this.spec.sizeFactor * records) / f.records;
    this.emitter.emit(
      { tag: f.id, records, bytes, firstBorn: f.firstBorn, lastBorn: f.lastBorn, entered: f.startedAt, stopped: () => f.lane.isClosed, sent: () => f.requests++ },
      now,
      (r, at) => {
        f.trying = false;
        // A flush its invocation's cut settled (cut) hears nothing more: the emitter stopped it.
        if (this.writingFlushes.has(f)) this.tried(f, r, at);
      },
    );
  }

  private tried(f: Flush, r: EmitResult, t: Micros): void {
    this.count(f, r, t);
    if (r.unwritten === 0) return this.done(f, t);
    if (f.lane.isClosed) {
      this.whole.interrupted += r.unwritten;
      f.open -= r.unwritten;
      return this.done(f, t);
    }
    if (f.tries >= this.spec.retry.limit) {
      // IEmitter.fail(): the Connector logs them and moves on.
      this.whole.lostRetriesExhausted += r.unwritten;
      this.after.lostRetriesExhaustedAfterWarmup.add(t, r.unwritten);
      f.open -= r.unwritten;
      return this.done(f, t);
    }
    this.sim.scheduleAt(t + this.spec.retry.backoff, (now) => {
      // Settled meanwhile by its invocation's cut (cut): nothing of it is left to try.
      if (!this.writingFlushes.has(f)) return;
      if (f.lane.isClosed) {
        this.whole.interrupted += f.open;
        f.open = 0;
        return this.done(f, now);
      }
      this.attempt(f, r.unwritten, now);
    });
  }

  /** Counts what a try wrote, and what its destination gave up or let expire (what it left unwritten is the caller's). */
  private count(f: Flush, r: EmitResult, t: Micros): void {
    const bytesPer = (f.dataBytes * this.spec.sizeFactor) / f.records;
    if (r.written > 0) {
      f.written += r.written;
      this.whole.written += r.written;
      this.after.writtenAfterWarmup.add(t, r.written);
      this.after.writtenBytesAfterWarmup.add(t, r.written * bytesPer);
      this.series.add(SINK_ROW.written, t, r.written);
      this.latency.recordAt((f.firstBorn + f.lastBorn) / 2, t - (f.firstBorn + f.lastBorn) / 2, r.written);
    }
    this.whole.gaveUp += r.gaveUp;
    this.whole.expired += r.expired;
    this.after.gaveUpAfterWarmup.add(t, r.gaveUp);
    this.after.expiredAfterWarmup.add(t, r.expired);
    f.open -= r.written + r.gaveUp + r.expired;
  }

  /**
   * A flush its lane stopped before it was written (a Lambda invocation the timeout ended, a record processor that
   * stopped), told when the lane closes and counted by when the flush started (as its invocation is); before its first
   * retry when it had made one try (cut during it, or while it waited its backoff), with the requests it had sent.
   *
   * With `now` (a Lambda invocation the timeout ended: SinkLane.close(now)) the write stops there: what the sink had
   * taken by then stays written (a DynamoDB table applies a BatchWriteItem's items when it is sent, so a request sent
   * before the cut counts; an S3, Redshift or OpenSearch write counts when its put, COPY or bulk request is done), and
   * the rest of the flush is interrupted at once — its records went back to the event source mapping with the failed
   * batch, retried or discarded as its settings say — not counted "being written" until its try or its backoff (10 s by
   * default) would have ended. The emitter stops the try under way (Emitter.stop: no further request; a destination
   * withdraws the write, DestinationEmitter). A KCL record processor that stops (its worker crashed, its lease lost:
   * ConsumerApp.kill) closes its lane at that time too: the write in flight completes (a BatchWriteItem sent) or fails (a
   * put, COPY or bulk request not done), and its records not written go to the lease's next owner from the checkpoint —
   * none left "being written" until the emitter's next step or its backoff. Without `now` (a closed shard's processor,
   * its flush done before it closes) the try under way would go on to its emitter's next step.
   */
  cut(f: Flush, now?: Micros): void {
    this.after.cutWrites.add(f.startedAt);
    if (f.tries <= 1) {
      this.after.cutBeforeRetry.add(f.startedAt);
      this.after.cutBeforeRetryRequests.add(f.startedAt, f.requests);
    }
    if (now === undefined) return;
    if (f.trying) {
      f.trying = false;
      this.count(f, this.emitter.stop(f.id, now), now);
    }
    this.whole.interrupted += f.open;
    f.open = 0;
    this.done(f, now);
  }

  private done(f: Flush, t: Micros): void {
    this.writingFlushes.delete(f);
    this.addWait(f, t);
    f.lane.flushDone(f.position, t, f.written, f.records);
  }

  /** A flush's record processor waited from its start to `t` (or until it stopped waiting, if earlier: SinkLane.close). */
  private addWait(f: Flush, t: Micros): void {
    t = f.lane.waitEnd(t);
    this.addSpan(SINK_ROW.waitUs, f.startedAt, t);
    this.after.waitUs.add(t, Math.max(0, t - Math.max(f.startedAt, this.warmup)));
    f.lane.waited(f.startedAt, t);
  }

  /** At the end of the run: `records` born at `born` (µs) still on their way to the sink, `ageUs` old (censoredAtEnd). */
  censor(born: Micros, ageUs: Micros, records: number): void {
    if (records > 0) this.censoredAtEnd.recordAt(born, ageUs, records);
  }

  /**
   * At the end of the run (`end`): `records` born uniformly over [firstBorn, lastBorn] still in the sink; those born
   * after warmup censored at their mean age (a lane's buffer gathers many batches: split at the warmup, not judged by
   * its midpoint).
   */
  censorSpan(firstBorn: Micros, lastBorn: Micros, records: number, end: Micros): void {
    if (records <= 0 || lastBorn < this.warmup) return;
    const from = Math.max(firstBorn, this.warmup);
    const n = lastBorn > firstBorn ? (records * (lastBorn - from)) / (lastBorn - firstBorn) : records;
    this.censor((from + lastBorn) / 2, end - (from + lastBorn) / 2, Math.round(n));
  }

  /**
   * At the end of the run: the processors of flushes still being written have waited until then; what the open lanes
   * still buffer or write is censored at its age then.
   */
  finish(end: Micros): void {
    for (const f of this.writingFlushes) this.addWait(f, end);
    this.writingFlushes.clear();
    for (const l of this.lanes) l.censor(end);
  }

  /** Spreads [from, to) µs over the series steps it covers. */
  private addSpan(row: number, from: Micros, to: Micros): void {
    const res = this.series.resolution;
    let t = Math.max(0, from);
    while (t < to) {
      const end = Math.min(to, (Math.floor(t / res) + 1) * res);
      this.series.add(row, t, end - t);
      t = end;
    }
  }
}

/** One record processor's buffer (BasicMemoryBuffer) and the flush it waits for. */
export class SinkLane {
  private records = 0;
  private dataBytes = 0;
  private firstBorn = Infinity;
  private lastBorn = -Infinity;
  private position = -1;
  private lastFlushAt: Micros;
  private writing: Flush | null = null;
  private closed = false;
  /** When its processor stopped waiting for its flush (close at a time; null: it waits until the flush is done). */
  private closedAt: Micros | null = null;
  /** When the pending age check fires (−1: none). */
  private ageCheckAt = -1;

  constructor(
    private readonly sink: Sink,
    private readonly owner: LaneOwner,
  ) {
    this.lastFlushAt = sink.sim.now;
  }

  get isClosed(): boolean {
    return this.closed;
  }
  /** Its processor waited for a flush over [from, to): told to the owner (the sink counts it in its own wait). */
  waited(from: Micros, to: Micros): void {
    this.owner.waited?.(from, to);
  }
  /** A flush is being written: the processor waits. */
  get flushing(): boolean {
    return this.writing !== null;
  }
  get bufferedRecords(): number {
    return this.records;
  }
  get writingRecords(): number {
    return this.writing ? this.writing.open : 0;
  }
  /** At the end of the run: an open lane's buffered records and its flush's unwritten ones, censored at their age (Sink.finish). */
  censor(end: Micros): void {
    if (this.closed) return;
    if (this.records > 0) this.sink.censorSpan(this.firstBorn, this.lastBorn, this.records, end);
    const f = this.writing;
    if (f && f.open > 0) this.sink.censorSpan(f.firstBorn, f.lastBorn, f.open, end);
  }

  /**
   * A processed batch whose last record is `position`: buffered, and flushed if the buffer is due (`flush`: at once,
   * whatever it holds). True when a flush started: the processor waits for `owner.flushed`.
   */
  offer(batch: Emitted, position: number, now: Micros, flush = false): boolean {
    if (this.closed || this.writing) throw new Error(`sink ${this.sink.name}: a batch offered while its lane is ${this.closed ? "closed" : "flushing"}`);
    if (batch.records > 0) {
      this.sink.offered(batch.records, now);
      this.records += batch.records;
      this.dataBytes += batch.dataBytes;
      if (batch.firstBorn < this.firstBorn) this.firstBorn = batch.firstBorn;
      if (batch.lastBorn > this.lastBorn) this.lastBorn = batch.lastBorn;
    }
    this.position = position;
    const trigger = flush ? "invocation" : this.due(now);
    if (trigger && this.records > 0) return this.start(trigger, now);
    this.scheduleAgeCheck(now);
    return false;
  }

  /** Flushes whatever is buffered (a shard's end: the Connector emits on TERMINATE). True when a flush started. */
  flushNow(now: Micros): boolean {
    if (this.closed || this.writing || this.records === 0) return false;
    return this.start("end", now);
  }

  /**
   * The record processor stopped: what is buffered will not be written (its records were never checkpointed). With
   * `now` (a Lambda invocation the timeout ends) a flush being written stops there: what the sink had taken is written,
   * the rest interrupted at once, and the processor stops waiting (Sink.cut); a KCL record processor that stops does
   * the same. Without (a closed shard's processor, which closes only once its flush is done), a flush would stop at the
   * emitter's next step.
   */
  close(now?: Micros): void {
    if (this.closed) return;
    this.closed = true;
    if (now !== undefined) this.closedAt = now;
    this.sink.interrupted(this.records);
    this.records = 0;
    this.dataBytes = 0;
    if (this.writing) this.sink.cut(this.writing, now);
    else this.sink.closed(this);
  }

  /** The end of its processor's wait for a flush that is done (or still going) at `t`: `t`, or when it stopped waiting if earlier. */
  waitEnd(t: Micros): Micros {
    return this.closedAt === null ? t : Math.min(t, this.closedAt);
  }

  /** Called by the sink when the lane's flush is done, `written` of its `records` written. */
  flushDone(position: number, t: Micros, written: number, records: number): void {
    this.writing = null;
    this.lastFlushAt = t;
    if (this.closed) {
      this.sink.closed(this);
      this.owner.cutFlushDone?.(written, t, position);
      return;
    }
    this.owner.flushed(position, t, written, records);
  }

  private due(now: Micros): FlushTrigger | null {
    const b = this.sink.spec.buffer;
    if (this.records === 0 || !b) return null;
    if (this.records >= b.records) return "records";
    if (this.dataBytes >= b.bytes) return "bytes";
    if (b.age !== undefined && now - this.lastFlushAt >= b.age) return "age";
    return null;
  }

  private start(trigger: FlushTrigger, now: Micros): boolean {
    this.writing = this.sink.flush(this, { records: this.records, dataBytes: this.dataBytes, firstBorn: this.firstBorn, lastBorn: this.lastBorn, position: this.position, startedAt: now }, trigger, now);
    this.records = 0;
    this.dataBytes = 0;
    this.firstBorn = Infinity;
    this.lastBorn = -Infinity;
    return true;
  }

  /** With an age limit, a timer for when the buffer comes due while the processor may be idle. */
  private scheduleAgeCheck(now: Micros): void {
    const age = this.sink.spec.buffer?.age;
    if (age === undefined || this.records === 0) return;
    const at = Math.max(now, this.lastFlushAt + age);
    if (this.ageCheckAt >= 0 && this.ageCheckAt <= at) return;
    this.ageCheckAt = at;
    this.sink.sim.scheduleAt(at, (t) => {
      if (this.ageCheckAt !== at) return;
      this.ageCheckAt = -1;
      if (this.closed || this.writing || this.records === 0) return;
      if (!this.owner.idle()) return; // the processor's next offer checks the age
      if (this.due(t) === "age") this.start("age", t);
      else this.scheduleAgeCheck(t);
    });
  }
}
