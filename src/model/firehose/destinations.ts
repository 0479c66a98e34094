// Where a Firehose delivery stream's buffers go (Firehose guide "Understand data delivery" and
// "Handle data delivery failures"):
// - S3: each delivery is an object, put with PutObject; puts run in parallel. After a failed put, delivery
//   pauses: the oldest failed delivery is retried every retryInterval and the others wait behind it, for as long
//   as their records are within the delivery stream's retention (24 h for Direct PUT, the source stream's
//   retention otherwise); records older than that are lost.
// - Redshift: each delivery is staged as an S3 object, then loaded with COPY. COPYs run one at a time; a COPY
//   loads every object staged when it starts (a manifest), so a slow cluster makes fewer, larger COPYs. A
//   failing COPY is retried every retryInterval until retryDuration after its first attempt; then its manifest
//   goes to errors/ and its records count as skipped.
// - OpenSearch: bulk requests one at a time, each of at most the buffer size hint, taking a request latency
//   plus its bytes at the domain's throughput. While requests are running or queued the delivery stream's buffer
//   keeps growing (the service raises its buffer when delivery falls behind); it then goes as several requests. A failing request is retried every retryInterval until retryDuration
//   after its first attempt; then its documents go to the S3 backup (AmazonOpenSearchService_failed/).
// During an outage an attempt fails at once; a slowdown multiplies the time of attempts started in it.

import { LiveList } from "../../engine/liveList.js";
import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import type { DestinationSpec } from "../../spec/index.js";
import { ChunkBuffer, chunksIn, heldIn, oldestOf, totalOf, type Chunk, type FaultWindows, type Held } from "./buffer.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import { MiB } from "../../aws/limits.js";

/** What a destination reports back to its delivery stream. */
export interface DeliverySink {
  /** Records that reached the destination (S3 object written, COPY done, bulk request indexed). */
  delivered(chunks: readonly Chunk[], now: Micros): void;
  /** An object (S3, or Redshift's staging object) or a bulk request written, of `bytes` holding `records`. */
  wrote(bytes: number, records: number, now: Micros): void;
  /** A delivery attempt failed (a retry follows, or the records leave by `gaveUp` / `expired`). */
  failedAttempt(now: Micros): void;
  /** Records given up on after the retry duration: the S3 backup (OpenSearch) or errors/ (Redshift). */
  gaveUp(chunks: readonly Chunk[], now: Micros): void;
  /** Records older than the delivery stream's retention while still failing: lost. */
  expired(chunks: readonly Chunk[], now: Micros): void;
  /** Redshift: a COPY finished (`objects` staged objects in its manifest). */
  copied(objects: number, now: Micros): void;
}

export interface Destination {
  readonly kind: "s3" | "redshift" | "opensearch";
  /** Whether a new delivery can start now; while false the delivery stream's buffer keeps growing. */
  ready(): boolean;
  /** A flushed buffer to deliver. */
  deliver(chunks: Chunk[], now: Micros): void;
  /** What the destination stage holds (being written, waiting to retry, staged for COPY). */
  held(): Held;
  /** The chunks it holds. */
  insideChunks(): Chunk[];
  /** Bytes waiting at the destination that are not being written: behind a failing delivery, queued, staged for the next COPY. */
  backlog(): number;
  /** Called by the destination when it becomes ready again. */
  onReady: (now: Micros) => void;
}

export interface DestinationContext {
  sim: Simulator;
  rng: RandomStream;
  faults: FaultWindows;
  sink: DeliverySink;
  retryInterval: Micros;
  /** How long the delivery stream keeps records it cannot deliver to S3. */
  retention: Micros;
  /** The buffer size hint (the largest OpenSearch bulk request). */
  bufferSize: number;
}

interface Delivery {
  chunks: Chunk[];
  records: number;
  bytes: number;
  /** When its oldest record entered the delivery stream. */
  oldest: Micros;
  /** First attempt (−1 before). */
  firstAttempt: Micros;
  /** Its place in the destination's LiveList of deliveries being written (−1 while in none). */
  slot: number;
}

function delivery(chunks: Chunk[]): Delivery {
  const t = totalOf(chunks);
  return { chunks, records: t.records, bytes: t.bytes, oldest: oldestOf(chunks), firstAttempt: -1, slot: -1 };
}

export function createDestination(spec: DestinationSpec, ctx: DestinationContext): Destination {
  switch (spec.kind) {
    case "s3":
      return new S3Destination(latencySampler(spec.putLatency), ctx);
    case "redshift":
      return new RedshiftDestination(spec, ctx);
    case "opensearch":
      return new OpenSearchDestination(spec, ctx);
  }
}

/**
 * S3 puts, in parallel. When a put fails, delivery pauses: the oldest failed delivery is retried every
 * retryInterval while the others wait behind it (Firehose "effectively pauses stream delivery"); when it gets
 * through, the waiting ones are put at once. Records older than the retention by the next retry are lost.
 */
class S3Destination implements Destination {
  readonly kind = "s3" as const;
  onReady: (now: Micros) => void = () => {};
  /** Puts in flight. */
  private readonly inFlight = new LiveList<Delivery>();
  /** While failing: the delivery being retried, then the ones waiting behind it (oldest first). */
  private readonly paused: Delivery[] = [];

  constructor(
    private readonly putLatency: LatencySampler,
    private readonly ctx: DestinationContext,
  ) {}

  ready(): boolean {
    return true;
  }

  deliver(chunks: Chunk[], now: Micros): void {
    const d = delivery(chunks);
    if (d.records === 0) return;
    if (this.paused.length > 0) this.paused.push(d);
    else this.attempt(d, now);
  }

  private attempt(d: Delivery, now: Micros): void {
    const { sim, faults, sink, rng } = this.ctx;
    if (d.firstAttempt < 0) d.firstAttempt = now;
    if (faults.outageAt(now)) {
      sink.failedAttempt(now);
      if (this.paused[0] !== d) this.paused.unshift(d);
      const next = now + this.ctx.retryInterval;
      this.expireBefore(next - this.ctx.retention, now);
      if (this.paused.length > 0) {
        const head = this.paused[0]!;
        sim.scheduleAt(next, (t) => this.attempt(head, t));
      }
      return;
    }
    if (this.paused[0] === d) this.paused.shift();
    this.inFlight.add(d);
    const done = now + Math.round(this.putLatency(rng) * faults.slowdownAt(now));
    sim.scheduleAt(done, (t) => {
      this.inFlight.delete(d);
      sink.wrote(d.bytes, d.records, t);
      sink.delivered(d.chunks, t);
    });
    // The oldest got through: the ones that waited behind it go now.
    if (this.paused.length > 0 && d.firstAttempt >= 0) {
      const waiting = this.paused.splice(0);
      for (const w of waiting) this.attempt(w, now);
    }
  }

  /** Records that entered at or before `cutoff` are past the retention: lost (oldest deliveries first). */
  private expireBefore(cutoff: Micros, now: Micros): void {
    while (this.paused.length > 0) {
      const d = this.paused[0]!;
      const lost = d.chunks.filter((c) => c.entered <= cutoff);
      if (lost.length === 0) return;
      this.ctx.sink.expired(lost, now);
      d.chunks = d.chunks.filter((c) => c.entered > cutoff);
      const t = totalOf(d.chunks);
      d.records = t.records;
      d.bytes = t.bytes;
      d.oldest = oldestOf(d.chunks);
      if (d.records > 0) return;
      this.paused.shift();
    }
  }

  held(): Held {
    return heldIn(this.inFlight, this.paused);
  }

  insideChunks(): Chunk[] {
    return chunksIn(this.inFlight, this.paused);
  }

  backlog(): number {
    return heldIn(this.paused).bytes;
  }
}

/** S3 staging (parallel, as for S3), then COPY one manifest at a time. */
class RedshiftDestination implements Destination {
  readonly kind = "redshift" as const;
  onReady: (now: Micros) => void = () => {};
  private readonly staging = new LiveList<Delivery>();
  private staged: Chunk[] = [];
  private stagedRecords = 0;
  private stagedBytes = 0;
  private stagedOldest = Infinity;
  private stagedObjects = 0;
  private copying: Delivery | null = null;
  private copyingObjects = 0;
  private readonly putLatency: LatencySampler;

  constructor(
    private readonly spec: Extract<DestinationSpec, { kind: "redshift" }>,
    private readonly ctx: DestinationContext,
  ) {
    this.putLatency = latencySampler(spec.putLatency);
  }

  ready(): boolean {
    return true;
  }

  deliver(chunks: Chunk[], now: Micros): void {
    const d = delivery(chunks);
    if (d.records === 0) return;
    this.staging.add(d);
    this.ctx.sim.scheduleAt(now + this.putLatency(this.ctx.rng), (t) => {
      this.staging.delete(d);
      this.ctx.sink.wrote(d.bytes, d.records, t);
      for (const c of d.chunks) this.staged.push(c);
      this.stagedRecords += d.records;
      this.stagedBytes += d.bytes;
      this.stagedOldest = Math.min(this.stagedOldest, d.oldest);
      this.stagedObjects++;
      this.startCopy(t);
    });
  }

  /** A COPY of everything staged, if none is running. */
  private startCopy(now: Micros): void {
    if (this.copying || this.staged.length === 0) return;
    this.copying = delivery(this.staged);
    this.copyingObjects = this.stagedObjects;
    this.staged = [];
    this.stagedRecords = 0;
    this.stagedBytes = 0;
    this.stagedOldest = Infinity;
    this.stagedObjects = 0;
    this.attempt(this.copying, now);
  }

  private attempt(d: Delivery, now: Micros): void {
    const { sim, faults, sink } = this.ctx;
    if (d.firstAttempt < 0) d.firstAttempt = now;
    if (faults.outageAt(now)) {
      sink.failedAttempt(now);
      const next = now + this.ctx.retryInterval;
      if (next > d.firstAttempt + this.spec.retryDuration) {
        sink.gaveUp(d.chunks, now);
        this.copying = null;
        this.startCopy(now);
      } else {
        sim.scheduleAt(next, (t) => this.attempt(d, t));
      }
      return;
    }
    const copy = this.spec.copy.fixed + (this.spec.copy.perMiB * d.bytes) / MiB;
    sim.scheduleAt(now + Math.round(copy * faults.slowdownAt(now)), (t) => {
      sink.delivered(d.chunks, t);
      sink.copied(this.copyingObjects, t);
      this.copying = null;
      this.startCopy(t);
    });
  }

  held(): Held {
    const staged = { records: this.stagedRecords, bytes: this.stagedBytes, oldest: this.stagedOldest };
    return heldIn(this.staging, [staged, this.copying]);
  }

  insideChunks(): Chunk[] {
    return chunksIn(this.staging, [{ chunks: this.staged }, this.copying]);
  }
  backlog(): number {
    return this.stagedBytes;
  }

}

/** Bulk requests one at a time at the domain's throughput; retries queue behind. */
class OpenSearchDestination implements Destination {
  readonly kind = "opensearch" as const;
  onReady: (now: Micros) => void = () => {};
  private readonly queue: Delivery[] = [];
  private readonly waiting = new LiveList<Delivery>();
  private busy: Delivery | null = null;
  private readonly requestLatency: LatencySampler;

  constructor(
    private readonly spec: Extract<DestinationSpec, { kind: "opensearch" }>,
    private readonly ctx: DestinationContext,
  ) {
    this.requestLatency = latencySampler(spec.requestLatency);
  }

  ready(): boolean {
    return this.busy === null && this.queue.length === 0;
  }

  deliver(chunks: Chunk[], now: Micros): void {
    // A buffer that grew while the domain was busy goes as bulk requests of at most the size hint.
    const split = new ChunkBuffer();
    for (const c of chunks) split.add(c, now);
    while (!split.empty) {
      const d = delivery(split.take(this.ctx.bufferSize, now));
      if (d.records > 0) this.queue.push(d);
    }
    this.serve(now);
  }

  private serve(now: Micros): void {
    const { sim, faults, sink, rng } = this.ctx;
    while (this.busy === null && this.queue.length > 0) {
      const d = this.queue.shift()!;
      if (d.firstAttempt < 0) d.firstAttempt = now;
      if (faults.outageAt(now)) {
        sink.failedAttempt(now);
        const next = now + this.ctx.retryInterval;
        if (next > d.firstAttempt + this.spec.retryDuration) {
          sink.gaveUp(d.chunks, now);
        } else {
          this.waiting.add(d);
          sim.scheduleAt(next, (t) => {
            this.waiting.delete(d);
            this.queue.push(d);
            this.serve(t);
          });
        }
        continue;
      }
      this.busy = d;
      const time = this.requestLatency(rng) + (d.bytes / this.spec.throughput) * MICROS_PER_SECOND;
      sim.scheduleAt(now + Math.round(time * faults.slowdownAt(now)), (t) => {
        this.busy = null;
        sink.wrote(d.bytes, d.records, t);
        sink.delivered(d.chunks, t);
        this.serve(t);
      });
    }
    if (this.ready()) this.onReady(now);
  }

  held(): Held {
    return heldIn([this.busy], this.queue, this.waiting);
  }

  insideChunks(): Chunk[] {
    return chunksIn([this.busy], this.queue, this.waiting);
  }

  backlog(): number {
    return heldIn(this.queue, this.waiting).bytes;
  }
}
