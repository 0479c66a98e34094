// A sink's emitter: one try at writing a flush to the real thing (the Connector Library's IEmitter.emit), built on
// the models of those things — the DynamoDB table model (src/model/dynamodb/table.ts) and Firehose's destination
// models (src/model/firehose/destinations.ts), configured for a consumer instead of a lease table or a delivery
// stream:
// - DynamoDB (DynamoDBEmitter): BatchWriteItem requests of `itemsPerRequest` items (and at most 16 MB), one after
//   another, each taking the table's write capacity at its send time; items of the flush's mean size, rounded up to
//   whole KB = write units per item. Items that find no capacity come back unprocessed: the try ends with them
//   unwritten, for the record processor's emit loop to try again after its backoff.
// - S3, Redshift, OpenSearch: the Firehose destination of that kind, one for the sink (S3 puts in parallel; one
//   COPY at a time, each loading one flush's staged object: every writer runs its own COPY, and COPYs into one table
//   wait for each other's write lock; one bulk request at a time at the domain's throughput). A flush
//   is one chunk tagged with its id, so the destination's callbacks find it again. What such a destination gives
//   up on (its own retry duration ran out) is lost; without a fault nothing fails.
// A try a Lambda invocation's timeout ends is stopped there (stop): a DynamoDB try sends no further request (the items
// of those sent are written: the table took them when sent); a destination withdraws the flush (Destination.withdraw),
// so a put, COPY or bulk request done after the cut writes none of it.

import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { DYNAMODB_BATCH_WRITE_MAX_BYTES, DYNAMODB_WRITE_UNIT_BYTES, FIREHOSE_RETRY_INTERVAL_S } from "../../aws/limits.js";
import type { AnySinkSpec, DestinationSpec } from "../../spec/index.js";
import type { DynamoTable } from "../dynamodb/table.js";
import { FaultWindows, type Chunk } from "../firehose/buffer.js";
import { createDestination, type Destination, type DeliverySink } from "../firehose/destinations.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";

/** One try at writing (part of) a flush. */
export interface EmitTry {
  /** The flush's id. */
  tag: number;
  records: number;
  /** Bytes the sink stores for them (items, object lines, documents). */
  bytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
  /** When the flush started. */
  entered: Micros;
  /** True once the record processor that flushed has stopped (crashed, lost its lease): a DynamoDB emit stops there. */
  stopped: () => boolean;
  /** A request of the try sent (a BatchWriteItem; an S3 PUT, a bulk request): the flush counts them. */
  sent: () => void;
}

/** How a try ended: records written, left unwritten (to try again), given up by the destination, lost past its retention. */
export interface EmitResult {
  written: number;
  unwritten: number;
  gaveUp: number;
  expired: number;
}

/** What an emitter reports as it goes (the sink counts it). */
export interface EmitterHooks {
  /** A request sent: a BatchWriteItem of `items` with `throttled` of them unprocessed, an S3 PUT, a bulk request. */
  request(t: Micros, items: number, throttled: number): void;
  /** An object (S3, Redshift staging) or bulk request written, of `bytes`. */
  wrote(t: Micros, bytes: number): void;
  /** A COPY ended, having run `busy` µs: done (`loaded`), or stopped with nothing left to load (its flush withdrawn). */
  copied(t: Micros, busy: Micros, loaded: boolean): void;
  /** A bulk request ended, having kept the domain busy `busy` µs (its latency plus its bytes at the throughput). */
  indexed(t: Micros, busy: Micros): void;
  failedAttempt(t: Micros): void;
}

export interface Emitter {
  emit(w: EmitTry, now: Micros, done: (r: EmitResult, at: Micros) => void): void;
  /**
   * Stops the try under way of flush `tag` at `now` (a Lambda invocation the timeout ended: Sink.cut): it sends nothing
   * more and its `done` is never called; returns what it wrote by then, and the rest as unwritten.
   */
  stop(tag: number, now: Micros): EmitResult;
}

/** Write units of one item of `bytes` (1 WCU per KB or part of it). */
export function writeUnitsPerItem(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / DYNAMODB_WRITE_UNIT_BYTES));
}

/** BatchWriteItem requests, one after another, against the table's write capacity. */
export class DynamoDbEmitter implements Emitter {
  private readonly latency: LatencySampler;
  /** Tries under way, by flush: what they have written and left unwritten so far, and what they have still to send. */
  private readonly running = new Map<number, { written: number; unwritten: number; left: number }>();

  constructor(
    private readonly spec: Extract<AnySinkSpec, { kind: "dynamodb" }>,
    readonly table: DynamoTable,
    private readonly sim: Simulator,
    private readonly rng: RandomStream,
    private readonly hooks: EmitterHooks,
  ) {
    this.latency = latencySampler(spec.requestLatency);
  }

  emit(w: EmitTry, now: Micros, done: (r: EmitResult, at: Micros) => void): void {
    const itemBytes = w.bytes / w.records;
    const units = writeUnitsPerItem(itemBytes);
    const perRequest = Math.max(1, Math.min(this.spec.itemsPerRequest, Math.floor(DYNAMODB_BATCH_WRITE_MAX_BYTES / Math.max(1, itemBytes))));
    const st = { written: 0, unwritten: 0, left: w.records };
    this.running.set(w.tag, st);
    const step = (t: Micros) => {
      // Stopped (stop): its result was taken then.
      if (this.running.get(w.tag) !== st) return;
      if (st.left === 0 || w.stopped()) {
        this.running.delete(w.tag);
        done({ written: st.written, unwritten: st.unwritten + st.left, gaveUp: 0, expired: 0 }, t);
        return;
      }
      const n = Math.min(st.left, perRequest);
      st.left -= n;
      w.sent();
      // The table applies the request's items when it is sent: what it takes is written.
      const k = this.table.writeItems(t, n, units);
      st.written += k;
      st.unwritten += n - k;
      this.hooks.request(t, n, n - k);
      this.sim.scheduleAt(t + this.latency(this.rng), step);
    };
    step(now);
  }

  /** The items of the requests sent are written (the table took them when sent); the rest of the try, unwritten. */
  stop(tag: number): EmitResult {
    const st = this.running.get(tag);
    this.running.delete(tag);
    return st ? { written: st.written, unwritten: st.unwritten + st.left, gaveUp: 0, expired: 0 } : { written: 0, unwritten: 0, gaveUp: 0, expired: 0 };
  }
}

/** A Firehose destination model written to by a consumer's flushes. */
export class DestinationEmitter implements Emitter, DeliverySink {
  readonly destination: Destination;
  private readonly pending = new Map<number, { left: number; r: EmitResult; done: (r: EmitResult, at: Micros) => void }>();

  constructor(
    private readonly spec: Extract<AnySinkSpec, { kind: "s3" | "redshift" | "opensearch" }>,
    sim: Simulator,
    rng: RandomStream,
    private readonly hooks: EmitterHooks,
  ) {
    this.destination = createDestination(spec as DestinationSpec, {
      sim,
      rng,
      faults: new FaultWindows(),
      sink: this,
      retryInterval: FIREHOSE_RETRY_INTERVAL_S * MICROS_PER_SECOND,
      // A consumer keeps what it could not write as long as it runs: nothing expires at the sink.
      retention: Infinity,
      // One bulk request per flush (the Connector's ElasticsearchEmitter).
      bufferSize: Infinity,
      // One COPY per flush: each writer runs its own COPY of its own object (the Connector's RedshiftBasicEmitter, a
      // function's handler); concurrent COPYs into one table wait for each other's write lock (Redshift, "Concurrent
      // write examples", https://docs.aws.amazon.com/redshift/latest/dg/r_Serializable_isolation_example.html).
      copyEach: true,
    });
  }

  emit(w: EmitTry, now: Micros, done: (r: EmitResult, at: Micros) => void): void {
    w.sent();
    this.pending.set(w.tag, { left: w.records, r: { written: 0, unwritten: 0, gaveUp: 0, expired: 0 }, done });
    const chunk: Chunk = { records: w.records, bytes: w.bytes, firstBorn: w.firstBorn, lastBorn: w.lastBorn, entered: w.entered, tag: w.tag };
    this.destination.deliver([chunk], now);
  }

  /**
   * What the destination has written of the flush by now is written; the rest is withdrawn from it (Destination.withdraw:
   * a put, COPY or bulk request under way for it runs on but writes none of it; one not begun is never made) and left
   * unwritten.
   */
  stop(tag: number, now: Micros): EmitResult {
    const p = this.pending.get(tag);
    if (!p) return { written: 0, unwritten: 0, gaveUp: 0, expired: 0 };
    this.pending.delete(tag);
    this.destination.withdraw(tag, now);
    return { ...p.r, unwritten: p.left };
  }

  private settle(chunks: readonly Chunk[], how: "written" | "gaveUp" | "expired", now: Micros): void {
    for (const c of chunks) {
      const p = this.pending.get(c.tag!);
      if (!p) continue;
      p.r[how] += c.records;
      p.left -= c.records;
      if (p.left <= 0) {
        this.pending.delete(c.tag!);
        p.done(p.r, now);
      }
    }
  }

  delivered(chunks: readonly Chunk[], now: Micros): void {
    this.settle(chunks, "written", now);
  }
  wrote(bytes: number, _records: number, now: Micros): void {
    this.hooks.request(now, 0, 0);
    this.hooks.wrote(now, bytes);
  }
  failedAttempt(now: Micros): void {
    this.hooks.failedAttempt(now);
  }
  gaveUp(chunks: readonly Chunk[], now: Micros): void {
    this.settle(chunks, "gaveUp", now);
  }
  expired(chunks: readonly Chunk[], now: Micros): void {
    this.settle(chunks, "expired", now);
  }
  /** A COPY ran `busy` µs: it loaded `objects` (a flush each), or none (stopped, all its records withdrawn). */
  copied(objects: number, now: Micros, busy: Micros): void {
    this.hooks.copied(now, busy, objects > 0);
  }
  splitFlush(): void {
    // A sink's bulk requests are counted as written (`wrote`).
  }
  /** A bulk request kept the domain busy `busy` µs (done, or with its flush withdrawn: the domain ran it all the same). */
  indexed(busy: Micros, now: Micros): void {
    this.hooks.indexed(now, busy);
  }
}
