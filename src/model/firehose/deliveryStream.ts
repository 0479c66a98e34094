// An Amazon Data Firehose delivery stream: a source (Direct PUT, directPut.ts, or the scenario's Kinesis
// stream, sourceReader.ts), an optional Lambda transformation (transform.ts), a destination buffer with its
// buffering hints (buffer.ts), and a destination (destinations.ts).
//
// The destination buffer delivers when it holds `buffer.size` bytes (split at that boundary, oldest records
// first) or when its oldest record has waited `buffer.interval`, whichever comes first. A destination that
// cannot take a delivery yet (an OpenSearch bulk request running) makes the buffer grow until it can.
// Every record that enters is, at the end, delivered, still inside (by stage), dropped by the transformation,
// failed to processing-failed/, given up to the backup or errors/ prefix, or lost past the retention.

import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { StageBreakdown } from "../../metrics/stages.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, MaxAfterWarmup, valuesOf, type Counts } from "../../metrics/warmup.js";
import type { FirehoseSpec, Scenario } from "../../spec/index.js";
import { FIREHOSE_BILLING_INCREMENT_BYTES } from "../../aws/prices.js";
import { ChunkBuffer, FaultWindows, intervalDueAt, longestIntervalWait, totalOf, type Chunk, type Ingest } from "./buffer.js";
import { DirectPutTarget } from "./directPut.js";
import { SourceReader } from "./sourceReader.js";
import { createDestination, type Destination, type DeliverySink } from "./destinations.js";
import { Transform } from "./transform.js";
import {
  FIREHOSE_BUFFER_MAX_BYTES_OPENSEARCH,
  FIREHOSE_BUFFER_MAX_BYTES_S3,
  FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND,
  FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND,
  FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND,
  FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD,
  FIREHOSE_LAMBDA_MAX_DURATION_S,
  FIREHOSE_MAX_RETENTION_H,
  LAMBDA_ACCOUNT_CONCURRENCY,
} from "../../aws/limits.js";
import type { Slices } from "../kinesis/shardLog.js";
import type { Stream } from "../kinesis/stream.js";
import { incrementsOfBatch, incrementsPerRecord, type SizeSource } from "../producers/producer.js";
import { OriginBilling, type SizeOrigin } from "../producers/writtenSizes.js";

export type FlushTrigger = "size" | "interval";

/** Whole-run counts of records by where they ended (and of deliveries). */
interface WholeRun {
  /** Records that entered the delivery stream (accepted by Direct PUT, or read from the source stream). */
  in: number;
  delivered: number;
  droppedByTransform: number;
  processingFailed: number;
  /** Given up after the retry duration: OpenSearch documents to the S3 backup, Redshift manifests to errors/. */
  gaveUp: number;
  /** Past the retention while S3 deliveries kept failing: lost. */
  expired: number;
  /** Of the records still inside at the end, those overdue (see finish); the others are on their way. */
  overdue: number;
  flushes: Record<FlushTrigger, number>;
  /** Deliveries (S3 objects, Redshift staging objects, OpenSearch bulk requests) written. */
  objects: number;
  failedAttempts: number;
}

/**
 * After warmup: records and bytes in, delivered; bytes billed for ingestion (records rounded up to 5 KB);
 * Redshift COPY commands completed and the staged objects they loaded; records that left for a reason other
 * than delivery (statistics for the SLO).
 */
/**
 * The stages of a delivery: born → entered the delivery stream → in the buffer → flushed → delivered. The buffer's time
 * is three: waiting for a buffering hint; holding the size hint or more, not flushed because the size in force was
 * raised above it (delivery fell behind); and held with a flush due that the destination could not take yet.
 */
export const FIREHOSE_STAGES = { beforeFirehose: 0, transform: 1, buffer: 2, bufferRaised: 3, bufferHeld: 4, destination: 5 } as const;

/** A chunk's time in each stage, delivered (or still inside) at `now`: a stage not reached yet takes nothing. */
function stagesOf(c: Chunk, now: Micros): number[] {
  const born = (c.firstBorn + c.lastBorn) / 2;
  const buffered = c.buffered ?? now;
  const flushed = c.flushed ?? now;
  const held = c.heldUs ?? 0;
  const raised = c.raisedUs ?? 0;
  return [c.entered - born, buffered - c.entered, flushed - buffered - held - raised, raised, held, now - flushed];
}

const AFTER_WARMUP = [
  "inAfterWarmup",
  "inBytesAfterWarmup",
  "deliveredAfterWarmup",
  "deliveredBytesAfterWarmup",
  "billedBytesAfterWarmup",
  "copies",
  "objectsCopied",
  "notDeliveredAfterWarmup",
  "processingFailedAfterWarmup",
  "gaveUpAfterWarmup",
  "expiredAfterWarmup",
  "overdueAtEnd",
  "splitRequests",
] as const;

/** Whole-run counts of records by where they ended, and after-warmup statistics. */
export type DeliveryStreamStats = WholeRun & Record<(typeof AFTER_WARMUP)[number], number>;

export interface DeliveryStreamContext {
  sim: Simulator;
  rng: RandomStream;
  warmup: Micros;
  duration: Micros;
  resolution: Micros;
  /** The scenario's Kinesis stream (the source when `source` names it); undefined when the scenario has none. */
  stream: Stream | undefined;
  faults: Scenario["faults"];
  /** Reading a Kinesis stream: which of the delivery streams reading it this one is, and how many do (SourceReader's polls). */
  readerPhase?: { index: number; of: number };
}

/**
 * A record still inside at the end is overdue when it has been inside longer than the delivery stream takes for it
 * (DeliveryStream.finish): its transformation's interval and invocation, the destination buffer's interval, and the
 * destination's own time for the work that holds it or that it waits behind (Destination.work, underWay), plus this:
 * chunks that enter within the same second coalesce, entered at their earliest record's time (buffer.ts), so a
 * record left after a size cut can seem up to a second older than it is.
 */
const COALESCED_WITHIN = MICROS_PER_SECOND;

/** Series rows: incoming records and bytes, delivered records, flushes by trigger. */
const ROW = { incomingRecords: 0, incomingBytes: 1, deliveredRecords: 2, flushSize: 3, flushInterval: 4, notDelivered: 5 } as const;

/** What ingestion bills for a record of these sizes on average: each record rounded up to 5 KB on its own (incrementsPerRecord). */
interface IngestionBill {
  bytes: number;
}

function ingestionBill(sizes: Pick<SizeSource, "pOver">, maxRecordSize: number): IngestionBill {
  return { bytes: FIREHOSE_BILLING_INCREMENT_BYTES * incrementsPerRecord(sizes, FIREHOSE_BILLING_INCREMENT_BYTES, maxRecordSize) };
}

export class DeliveryStream implements Ingest {
  readonly name: string;
  private readonly whole: WholeRun = {
    in: 0,
    delivered: 0,
    droppedByTransform: 0,
    processingFailed: 0,
    gaveUp: 0,
    expired: 0,
    overdue: 0,
    flushes: { size: 0, interval: 0 },
    objects: 0,
    failedAttempts: 0,
  };
  /** Born at the producer → delivered, per record delivered that was born after warmup. */
  readonly deliveryLatency: LatencyHistogram;
  /** Records still inside at the end (born after warmup), at their age then: the censored part of deliveryLatency. */
  readonly censoredAtEnd: LatencyHistogram;
  /** Records still unread in the source stream at the end (born after warmup), at their age then: censored in deliveryLatency too. */
  readonly unreadAtEnd: LatencyHistogram;
  /** Delivery latency by stage (FIREHOSE_STAGES), for records born after warmup. */
  readonly stages: StageBreakdown;
  /** Bytes and records of each delivery (S3 object, staging object, bulk request) written after warmup. */
  readonly objectBytes: LatencyHistogram;
  readonly objectRecords: LatencyHistogram;
  /** The statistics of `stats` that count only after warmup. */
  private readonly after: Counts<(typeof AFTER_WARMUP)[number]>;
  /** After warmup, the worst of: DataFreshness (row 0), the age of the oldest record not yet at the destination (row 1). */
  private readonly freshness: MaxAfterWarmup;
  readonly series: SeriesBank;
  /** Per series step: the most bytes in the destination buffer. */
  readonly bufferBytesSeries: Float64Array;
  /** Per series step: the most bytes at the destination (being written, waiting to retry, staged for COPY). */
  readonly destinationBytesSeries: Float64Array;
  /** Per series step: the largest buffer size in force (the hint, raised while delivery falls behind). */
  readonly sizeInForceSeries: Float64Array;
  /** Per series step: the worst DataFreshness (µs), as CloudWatch's metric for the destination counts it (see sample). */
  readonly freshnessSeries: Float64Array;
  /** Per series step: the worst age of the oldest record not yet at the destination itself (µs); for Redshift, not yet loaded by COPY. */
  readonly undeliveredAgeSeries: Float64Array;
  /** Whole-run counts and after-warmup statistics. */
  get stats(): Readonly<DeliveryStreamStats> {
    return { ...this.whole, ...valuesOf(this.after) };
  }

  /** The worst DataFreshness after warmup (µs). */
  get maxFreshness(): number {
    return this.freshness.values[0]!;
  }

  /** The worst age of the oldest record not yet at the destination after warmup (µs): maxFreshness, except for Redshift. */
  get maxUndeliveredAge(): number {
    return this.freshness.values[1]!;
  }
  readonly directPut?: DirectPutTarget;
  readonly reader?: SourceReader;
  readonly transform?: Transform;
  readonly destination: Destination;
  /** The retention of undeliverable S3 data: 24 h for Direct PUT, the source stream's retention otherwise. */
  readonly retention: Micros;

  private readonly buffer = new ChunkBuffer();
  /** The largest buffer size in force during the run (the hint, unless delivery fell behind). */
  maxSizeInForce: number;
  /** When the pending interval timer fires (-1: none). One at most: it re-checks the buffer's age when it fires. */
  private timerAt = -1;
  /** A flush came due while the destination could not take it; it happens when the destination is ready. */
  private due: FlushTrigger | null = null;
  /**
   * The buffer's clocks (µs): how long, up to `at`, a flush has been due and held back; and, with none due, the buffer
   * has held the size hint or more, unflushed because the size in force was raised above it. A chunk's time in each is
   * its clock's advance from its arrival in the buffer (Chunk.heldFrom, raisedFrom) to its flush.
   */
  private readonly clocks = { at: 0, held: 0, raised: 0 };
  private readonly faults = new FaultWindows();
  /** What an incoming record bills, from the sizes of the records' origins (billFrom); null until then, or with none. */
  private billing: OriginBilling<IngestionBill> | null = null;

  constructor(
    readonly spec: FirehoseSpec,
    private readonly ctx: DeliveryStreamContext,
  ) {
    this.name = spec.name;
    const { sim, rng, warmup, duration, resolution, stream } = ctx;
    this.after = countsFrom(warmup, AFTER_WARMUP);
    this.sizeInForce = spec.buffer.size;
    this.maxSizeInForce = spec.buffer.size;
    this.raiseUpTo = spec.buffer.raiseUpTo ?? (spec.destination.kind === "opensearch" ? FIREHOSE_BUFFER_MAX_BYTES_OPENSEARCH : FIREHOSE_BUFFER_MAX_BYTES_S3);
    this.freshness = new MaxAfterWarmup(warmup, 2);
    this.deliveryLatency = new LatencyHistogram(warmup);
    this.censoredAtEnd = new LatencyHistogram(warmup);
    this.unreadAtEnd = new LatencyHistogram(warmup);
    this.stages = new StageBreakdown(6, warmup);
    this.objectBytes = new LatencyHistogram(warmup);
    this.objectRecords = new LatencyHistogram(warmup);
    for (const f of ctx.faults) {
      if (f.kind === "destination-outage" && f.firehose === spec.name) this.faults.outages.push({ from: f.at, to: f.at + f.for });
      if (f.kind === "destination-slowdown" && f.firehose === spec.name) this.faults.slowdowns.push({ from: f.at, to: f.at + f.for, factor: f.factor });
      if (f.kind === "lambda-errors" && f.firehose === spec.name) this.faults.lambdaErrors.push({ from: f.at, to: f.at + f.for, share: f.share });
    }
    this.series = new SeriesBank(6, duration, resolution);
    this.bufferBytesSeries = new Float64Array(this.series.points);
    this.destinationBytesSeries = new Float64Array(this.series.points);
    this.sizeInForceSeries = new Float64Array(this.series.points).fill(spec.buffer.size);
    this.freshnessSeries = new Float64Array(this.series.points);
    this.undeliveredAgeSeries = new Float64Array(this.series.points);
    const direct = spec.source === "direct-put";
    this.retention = direct ? FIREHOSE_MAX_RETENTION_H * 3_600 * MICROS_PER_SECOND : stream!.retention;
    if (direct) {
      const q = spec.quotas ?? {
        records: FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND,
        requests: FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND,
        bytes: FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND,
      };
      this.directPut = new DirectPutTarget(spec.name, q, this, warmup, duration, resolution);
    } else {
      this.reader = new SourceReader(stream!, this, sim, warmup, duration, ctx.readerPhase);
    }
    if (spec.transform) {
      // With a Kinesis stream as source, 5 outstanding invocations per shard: the shards it reads (SourceReader.shardsRead),
      // the open ones at the start, then again when a reshard completes and when a closed parent has been read to its
      // end (a closed parent still being read counts; its children wait for it), not every shard the run may create.
      const reader = this.reader;
      const perShard = spec.transform.concurrency === undefined && reader !== undefined;
      const concurrency = spec.transform.concurrency ?? (reader ? FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD * reader.shardsRead : LAMBDA_ACCOUNT_CONCURRENCY);
      this.transform = new Transform(
        spec.transform,
        concurrency,
        sim,
        rng.fork("lambda"),
        this.faults,
        (records, bytes, firstBorn, lastBorn, entered, now) => this.toBufferParts(records, bytes, firstBorn, lastBorn, entered, now),
        (reason, records, now) => this.left(reason === "dropped" ? "droppedByTransform" : "processingFailed", records, now),
      );
      const transform = this.transform;
      if (perShard) {
        // After the reader's own listener (registered when it was made): its count is up to date.
        const follow = (t: Micros) => transform.setConcurrency(FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD * reader.shardsRead, t);
        stream!.onReshard(follow);
        reader.onShardEnd = follow;
      }
    }
    const sink: DeliverySink = {
      delivered: (chunks, now) => {
        const t = totalOf(chunks);
        this.whole.delivered += t.records;
        this.series.add(ROW.deliveredRecords, now, t.records);
        this.after.deliveredAfterWarmup.add(now, t.records);
        this.after.deliveredBytesAfterWarmup.add(now, t.bytes);
        for (const c of chunks) {
          this.deliveryLatency.recordAt(c.firstBorn, now - (c.firstBorn + c.lastBorn) / 2, c.records);
          this.stages.recordAt(c.firstBorn, stagesOf(c, now), c.records);
        }
      },
      wrote: (bytes, records, now) => {
        this.whole.objects++;
        this.objectBytes.recordAt(now, bytes);
        this.objectRecords.recordAt(now, records);
      },
      failedAttempt: () => {
        this.whole.failedAttempts++;
      },
      gaveUp: (chunks, now) => this.left("gaveUp", totalOf(chunks).records, now),
      expired: (chunks, now) => this.left("expired", totalOf(chunks).records, now),
      copied: (objects, now) => {
        this.after.copies.add(now);
        this.after.objectsCopied.add(now, objects);
      },
      splitFlush: (requests, now) => this.after.splitRequests.add(now, requests - 1),
      // Firehose reports no share of its domain's capacity: a bulk request's whole time (latency + bytes ÷ throughput)
      // already sets when the next one goes, and its records' delivery latency.
      indexed: () => {},
    };
    this.destination = createDestination(spec.destination, {
      sim,
      rng: rng.fork("destination"),
      faults: this.faults,
      sink,
      retryInterval: spec.retryInterval,
      retention: this.retention,
      bufferSize: spec.buffer.size,
    });
    this.destination.onReady = (now) => {
      if (this.due !== null) this.flush(this.due, now);
    };
  }

  start(): void {
    this.reader?.start();
  }

  /**
   * Where its records come from: the producers putting to it (Direct PUT), or those whose records its source stream
   * carries. Firehose bills ingestion "each record rounded up to the nearest 5KB" (https://aws.amazon.com/firehose/pricing/):
   * records of spread sizes bill more than their mean size rounded (lognormal records of median 3 KiB and p99 20 KiB
   * bill 7,066 B each on average, their mean, 4,284 B, rounds to 5,120 B). A chunk knows only its records' count and
   * bytes, so each record bills the expectation over its origins' sizes (OriginBilling, as an application's output
   * records do), worked out once per size model before the run. Records no origin accounts for bill their mean size
   * rounded up.
   */
  billFrom(origins: readonly SizeOrigin[]): void {
    // Its largest record: the Direct PUT limit, or the source stream's.
    const max = this.directPut?.maxRecordSize ?? this.reader!.source.maxRecordSize;
    this.billing = origins.length > 0 ? new OriginBilling(origins, 1, (sizes) => ingestionBill(sizes, max), this.ctx.duration) : null;
  }

  /** What ingestion bills for `records` records of `bytes` in all, born over [firstBorn, lastBorn]. */
  private billedBytes(records: number, bytes: number, firstBorn: Micros, lastBorn: Micros): number {
    const bill = this.billing?.at((firstBorn + lastBorn) / 2);
    if (bill) return records * bill.bytes;
    return incrementsOfBatch(records, bytes / records, FIREHOSE_BILLING_INCREMENT_BYTES) * FIREHOSE_BILLING_INCREMENT_BYTES;
  }

  /** Records entering the delivery stream at `now` (statistics stamped at `statsAt`). */
  ingest(chunk: Chunk, statsAt: Micros, now: Micros): void {
    if (chunk.records <= 0) return;
    this.countIn(chunk.records, chunk.bytes, this.billedBytes(chunk.records, chunk.bytes, chunk.firstBorn, chunk.lastBorn), statsAt);
    if (this.transform) this.transform.add(chunk, now);
    else this.toBuffer(chunk, now);
  }

  /**
   * A source reader's GetRecords result at `t` (data blobs: the partition keys are not delivered), counted in once
   * (the sums ingest would count slice by slice at the same instant; billed per slice, as ingest bills each chunk).
   * With a transformation, the slices go into its buffer one by one as ingest would add them (Transform.addSlices:
   * a size cut falls between the same slices), without a chunk object each. Without one, when the slices cannot fill
   * the buffer (no size flush among them), they would merge one by one into the buffer's chunk of this second
   * (ChunkBuffer.add): taken as one chunk they give the same buffer. Otherwise slice by slice, through ingest.
   */
  ingestRead(slices: Slices, t: Micros): void {
    let records = 0;
    let bytes = 0;
    let billed = 0;
    let firstBorn = Infinity;
    let lastBorn = -Infinity;
    for (let i = 0; i < slices.length; i++) {
      const k = slices.users(i);
      if (k <= 0) continue;
      const b = slices.bytes(i) - slices.keyBytes(i);
      records += k;
      bytes += b;
      billed += this.billedBytes(k, b, slices.firstBorn(i), slices.lastBorn(i));
      if (slices.firstBorn(i) < firstBorn) firstBorn = slices.firstBorn(i);
      if (slices.lastBorn(i) > lastBorn) lastBorn = slices.lastBorn(i);
    }
    if (records <= 0) return;
    if (this.transform) {
      this.countIn(records, bytes, billed, t);
      this.transform.addSlices(slices, t);
    } else if (this.buffer.bytes + bytes < this.sizeInForce) {
      this.countIn(records, bytes, billed, t);
      this.toBufferParts(records, bytes, firstBorn, lastBorn, t, t);
    } else {
      for (let i = 0; i < slices.length; i++) {
        this.ingest({ records: slices.users(i), bytes: slices.bytes(i) - slices.keyBytes(i), firstBorn: slices.firstBorn(i), lastBorn: slices.lastBorn(i), entered: t }, t, t);
      }
    }
  }

  /** Records and bytes in (and the bytes ingestion bills for them), counted at `statsAt`. */
  private countIn(records: number, bytes: number, billed: number, statsAt: Micros): void {
    this.whole.in += records;
    this.series.add(ROW.incomingRecords, statsAt, records);
    this.series.add(ROW.incomingBytes, statsAt, bytes);
    this.after.inAfterWarmup.add(statsAt, records);
    this.after.inBytesAfterWarmup.add(statsAt, bytes);
    this.after.billedBytesAfterWarmup.add(statsAt, billed);
  }

  private left(reason: "droppedByTransform" | "processingFailed" | "gaveUp" | "expired", records: number, now: Micros): void {
    this.whole[reason] += records;
    if (reason !== "droppedByTransform") {
      this.after.notDeliveredAfterWarmup.add(now, records);
      this.after[`${reason}AfterWarmup`].add(now, records);
      this.series.add(ROW.notDelivered, now, records);
    }
  }

  /** Into the destination buffer. */
  private toBuffer(chunk: Chunk, now: Micros): void {
    this.toBufferParts(chunk.records, chunk.bytes, chunk.firstBorn, chunk.lastBorn, chunk.entered, now);
  }

  /** toBuffer of the (untagged) chunk with these fields, without building it. */
  private toBufferParts(records: number, bytes: number, firstBorn: Micros, lastBorn: Micros, entered: Micros, now: Micros): void {
    this.tick(now);
    this.buffer.addParts(records, bytes, firstBorn, lastBorn, entered, now, now);
    // The chunk the records joined, or began: a new one starts its clocks of the buffer's time.
    const c = this.buffer.contents[this.buffer.contents.length - 1];
    if (c && c.heldFrom === undefined) {
      c.heldFrom = this.clocks.held;
      c.raisedFrom = this.clocks.raised;
    }
    if (this.buffer.bytes >= this.sizeInForce) this.flush("size", now);
    this.ensureTimer(now);
  }

  /**
   * The interval hint: one pending timer at most, which flushes when the buffer's oldest record has waited the
   * interval (with an interval of 0, at the next whole second: intervalDueAt) and otherwise waits again for the
   * current start's due time. A flush that came due while the destination was busy needs no timer: it happens when
   * the destination is ready.
   */
  private ensureTimer(now: Micros): void {
    if (this.buffer.empty || this.timerAt >= 0 || this.due !== null) return;
    const interval = this.spec.buffer.interval;
    const at = Math.max(now, intervalDueAt(this.buffer.startedAt, interval));
    this.timerAt = at;
    this.ctx.sim.scheduleAt(at, (t) => {
      this.timerAt = -1;
      if (!this.buffer.empty && intervalDueAt(this.buffer.startedAt, interval) <= t) this.flush("interval", t);
      this.ensureTimer(t);
    });
  }

  /**
   * A delivery is due. If the destination cannot take it yet, the buffer keeps growing until it can. If it can,
   * the buffer goes, cut at the size in force. Delivery falls behind when a second full delivery already waits
   * behind this one (the buffer and the destination's backlog hold twice the size in force): then Firehose
   * raises the buffer size (the size in force doubles, up to `raiseUpTo`); once delivery keeps up it returns to
   * the hint.
   */
  private flush(trigger: FlushTrigger, now: Micros): void {
    this.tick(now);
    if (this.buffer.empty) {
      this.due = null;
      return;
    }
    if (!this.destination.ready()) {
      this.due ??= trigger;
      return;
    }
    this.due = null;
    this.whole.flushes[trigger]++;
    this.series.add(trigger === "size" ? ROW.flushSize : ROW.flushInterval, now, 1);
    const behind = this.buffer.bytes + this.destination.backlog() >= 2 * this.sizeInForce;
    this.sizeInForce = behind ? Math.min(this.raiseUpTo, 2 * this.sizeInForce) : this.spec.buffer.size;
    if (this.sizeInForce > this.maxSizeInForce) this.maxSizeInForce = this.sizeInForce;
    const step = this.series.bucketOf(now);
    if (this.sizeInForce > this.sizeInForceSeries[step]!) this.sizeInForceSeries[step] = this.sizeInForce;
    const chunks = this.buffer.bytes <= this.sizeInForce ? this.buffer.takeAll() : this.buffer.take(this.sizeInForce, now);
    for (const c of chunks) {
      c.flushed = now;
      this.settle(c);
    }
    this.destination.deliver(chunks, now);
    if (!this.buffer.empty) {
      if (this.buffer.bytes >= this.sizeInForce) this.flush("size", now);
      else this.ensureTimer(now);
    }
  }

  /** The buffer size in force: the size hint, raised while delivery falls behind. */
  private sizeInForce: number;
  /** The most the size may be raised to (`buffer.raiseUpTo`, default the destination's largest hint). */
  private readonly raiseUpTo: number;

  /** Advances the buffer's clocks to `now`, before what they depend on changes: a flush due, the size in force, the bytes buffered. */
  private tick(now: Micros): void {
    const k = this.clocks;
    const dt = now - k.at;
    if (dt > 0) {
      if (this.due !== null) k.held += dt;
      else if (this.sizeInForce > this.spec.buffer.size && this.buffer.bytes >= this.spec.buffer.size) k.raised += dt;
    }
    k.at = now;
  }

  /** A chunk leaving the buffer (flushed, or there at the end): its time held and raised, from the clocks (at their latest tick). */
  private settle(c: Chunk): void {
    c.heldUs = this.clocks.held - (c.heldFrom ?? this.clocks.held);
    c.raisedUs = this.clocks.raised - (c.raisedFrom ?? this.clocks.raised);
  }

  /**
   * Once a second: buffer fill, DataFreshness and the age of the oldest record not yet at the destination. DataFreshness
   * is CloudWatch's metric for the destination: DeliveryToS3.DataFreshness for S3 and for Redshift ("Any record older
   * than this age has been delivered to the S3 bucket": for Redshift the intermediate bucket, before COPY),
   * DeliveryToAmazonOpenSearchService.DataFreshness for OpenSearch (Firehose developer guide, "Monitoring with
   * CloudWatch metrics", data delivery metrics). For S3 and OpenSearch the two ages are the same.
   */
  sample(t: Micros): void {
    const i = this.series.bucketOf(t);
    const bytes = this.buffer.bytes + (this.transform?.bufferedBytes ?? 0);
    if (bytes > this.bufferBytesSeries[i]!) this.bufferBytesSeries[i] = bytes;
    const atDestination = this.destination.held();
    if (atDestination.bytes > this.destinationBytesSeries[i]!) this.destinationBytesSeries[i] = atDestination.bytes;
    const before = Math.min(this.buffer.oldestEntered, this.transform?.held().oldest ?? Infinity);
    const ageOf = (oldest: number) => (oldest === Infinity ? 0 : t - oldest);
    const fresh = ageOf(Math.min(before, this.destination.freshnessOldest()));
    const undelivered = ageOf(Math.min(before, atDestination.oldest));
    if (fresh > this.freshnessSeries[i]!) this.freshnessSeries[i] = fresh;
    if (undelivered > this.undeliveredAgeSeries[i]!) this.undeliveredAgeSeries[i] = undelivered;
    this.freshness.observe(0, t, fresh);
    this.freshness.observe(1, t, undelivered);
  }

  /**
   * At the end: records still inside are censored observations — their delivery latency is at least their age
   * so far, and they count in the latency histogram at that age. A record still inside is overdue, and counts as not
   * delivered, when it has been inside longer than the delivery stream itself takes for it: its transformation's
   * (transformAllowance), the destination buffer's interval, and the destination's own time for the work that holds it
   * or that it waits behind (Destination.work; underWay for the buffer), plus COALESCED_WITHIN. The others are on their
   * way, not lost (helper-82: a Redshift stream keeping up, 1,000 records/s out for 999 in, read 12.4%
   * "not delivered" for the records staged or in the COPY under way when the run ended).
   */
  finish(end: Micros): void {
    this.tick(end);
    for (const c of this.buffer.contents) this.settle(c);
    this.censorUnread(end);
    const upToBuffer = this.transformAllowance();
    // An interval of 0 waits up to a second (zero buffering delivers at each whole second: longestIntervalWait).
    const interval = longestIntervalWait(this.spec.buffer.interval);
    const buffered = upToBuffer + interval + this.destination.underWay();
    const groups = [
      ...(this.transform?.insideChunks() ?? []).map((c) => ({ chunks: [c], allowance: upToBuffer })),
      { chunks: this.buffer.contents, allowance: buffered },
      ...this.destination.work().map((w) => ({ chunks: w.chunks, allowance: upToBuffer + interval + w.own, own: w.own })),
    ];
    for (const g of groups) {
      for (const c of g.chunks) {
        // A flushed chunk's time up to its flush is known: the allowance counts it (at most the intervals), not the whole
        // buffer interval (helper-90: a Redshift cluster falling behind at a 300 s interval, its 5 MiB hint flushing every
        // few seconds, read "none overdue" with 117,800 records staged or in COPYs). Its waits in the buffer count as keeping
        // up, a flush held back by a busy destination or a buffer raised as delivery fell behind included: a cluster that
        // keeps up with long COPYs has its buffer raised too.
        const allowance = "own" in g && c.flushed !== undefined ? Math.min(upToBuffer + interval, c.flushed - c.entered) + g.own : g.allowance;
        const age = end - (c.firstBorn + c.lastBorn) / 2;
        this.deliveryLatency.recordAt(c.firstBorn, age, c.records);
        this.censoredAtEnd.recordAt(c.firstBorn, age, c.records);
        this.stages.recordAt(c.firstBorn, stagesOf(c, end), c.records);
        if (end - c.entered > allowance + COALESCED_WITHIN) {
          this.whole.overdue += c.records;
          this.after.overdueAtEnd.add(c.entered, c.records);
          this.after.notDeliveredAfterWarmup.add(c.entered, c.records);
        }
      }
    }
  }

  /**
   * What the delivery stream itself takes for a record before its destination buffer: with a transformation, its
   * buffer's interval and the time of an invocation of a full buffer (perInvocation + perMB × size, at most the
   * 5-minute limit: invocations cut at the size hint are no larger). Waiting for a free invocation (the concurrency
   * limit) or a retry after a failed one is not in it.
   */
  private transformAllowance(): Micros {
    const t = this.spec.transform;
    if (!t) return 0;
    const full = t.duration.perInvocation + Math.round((t.duration.perMB * t.buffer.size) / 1e6);
    return longestIntervalWait(t.buffer.interval) + Math.min(full, FIREHOSE_LAMBDA_MAX_DURATION_S * MICROS_PER_SECOND);
  }

  /**
   * At the end: records still unread in the source stream (within its retention) are censored observations too — born,
   * not delivered, their delivery latency at least their age — counted at that age (unreadAtEnd), all of it before the
   * delivery stream. They have not entered it: its accounting does not count them, and none is overdue.
   */
  private censorUnread(end: Micros): void {
    this.reader?.forEachUnread(end, (users, firstBorn, lastBorn) => {
      const age = end - (firstBorn + lastBorn) / 2;
      this.deliveryLatency.recordAt(firstBorn, age, users);
      this.unreadAtEnd.recordAt(firstBorn, age, users);
      this.stages.recordAt(firstBorn, [age, 0, 0, 0, 0, 0], users);
    });
  }

  /** Records inside at the end, by stage. */
  inside(): { transform: number; buffer: number; destination: number } {
    return { transform: this.transform?.held().records ?? 0, buffer: this.buffer.records, destination: this.destination.held().records };
  }
}
