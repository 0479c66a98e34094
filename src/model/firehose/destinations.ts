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
// At the end of a run each destination says, for the records it holds, its own time for them (work()): what a
// destination keeping up makes a record wait, so that a record still on its way is not taken for one overdue.

import { LiveList } from "../../engine/liveList.js";
import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import type { DestinationSpec } from "../../spec/index.js";
import { ChunkBuffer, heldIn, oldestOf, totalOf, type Chunk, type FaultWindows, type Held } from "./buffer.js";
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
  /**
   * Redshift: a COPY ended after running `busy` µs: done, loading `objects` staged objects (its manifest); or, with
   * `objects` 0, stopped with nothing left in it (every record withdrawn: Destination.withdraw), having loaded nothing.
   */
  copied(objects: number, now: Micros, busy: Micros): void;
  /** A flush larger than the size hint went as `requests` bulk requests (OpenSearch: `requests` − 1 more than one a flush). */
  splitFlush(requests: number, now: Micros): void;
  /**
   * OpenSearch: a bulk request ended after keeping the domain busy `busy` µs — its request latency plus its bytes at the
   * domain's throughput, one request at a time — whether it wrote its documents or had them all withdrawn meanwhile.
   */
  indexed(busy: Micros, now: Micros): void;
}

/** Chunks a destination holds, with its own time for them (µs): see Destination.work. */
export interface HeldWork {
  chunks: readonly Chunk[];
  own: Micros;
}

export interface Destination {
  readonly kind: "s3" | "redshift" | "opensearch";
  /** Whether a new delivery can start now; while false the delivery stream's buffer keeps growing. */
  ready(): boolean;
  /** A flushed buffer to deliver. */
  deliver(chunks: Chunk[], now: Micros): void;
  /** What the destination stage holds (being written, waiting to retry, staged for COPY). */
  held(): Held;
  /**
   * The chunks it holds, in groups, each with the destination's own time for them: the time, as scheduled, of the
   * work under way that holds them (a put, a bulk request, a COPY) and of the work they waited behind (the bulk
   * request or COPY before theirs, and for a staged object its staging put). Work waiting to retry after a failed
   * attempt, and what waits behind it, get none; so does a COPY slower than its records came in (the cluster does
   * not keep up: see RedshiftDestination.keepsUp).
   */
  work(): HeldWork[];
  /** The own time of the work under way that a flush due now waits for (OpenSearch: the bulk request being indexed); 0 when a flush goes at once. */
  underWay(): Micros;
  /**
   * When the oldest record its DataFreshness metric counts entered the delivery stream (Infinity if none): every
   * record it holds, except for Redshift, whose metric (DeliveryToS3.DataFreshness) counts to the staging bucket.
   */
  freshnessOldest(): Micros;
  /** Bytes waiting at the destination that are not being written: behind a failing delivery, queued, staged for the next COPY. */
  backlog(): number;
  /** Called by the destination when it becomes ready again. */
  onReady: (now: Micros) => void;
  /**
   * Withdraws the chunks tagged `tag` (a consumer's sink write whose Lambda invocation the timeout ended,
   * src/model/sinks/emitters.ts): work not begun for them is never done (a put paused behind a failed one, an object staged
   * for the next COPY, a bulk request queued or waiting to retry); work under way for them (a put, a COPY, a bulk request
   * being indexed) runs its time but writes none of them — no object when they were all it held — except a COPY left
   * with nothing to load, which stops there (RedshiftDestination.withdraw). Never delivered, given up nor expired after this.
   */
  withdraw(tag: number, now: Micros): void;
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
  /**
   * Redshift: each COPY loads one staged object, the oldest, not everything staged (a consumer's sink: each writer runs
   * its own COPY of its own object; concurrent COPYs into one table wait for each other's write lock). Firehose's own
   * COPY loads every object staged when it starts (a manifest).
   */
  copyEach?: boolean;
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
  /** The time of its attempt under way, as scheduled (0 before one starts, and while it waits to retry). */
  own: Micros;
  /** The own time of the work it waited behind: the bulk request or COPY before it, when it started as that one ended. */
  behind: Micros;
}

function delivery(chunks: Chunk[]): Delivery {
  const t = totalOf(chunks);
  return { chunks, records: t.records, bytes: t.bytes, oldest: oldestOf(chunks), firstAttempt: -1, slot: -1, own: 0, behind: 0 };
}

/** Takes the chunks tagged `tag` out of a delivery (Destination.withdraw); how many it held. */
function withdrawFrom(d: Delivery | null, tag: number): number {
  if (!d) return 0;
  const kept = d.chunks.filter((c) => c.tag !== tag);
  const n = d.chunks.length - kept.length;
  if (n === 0) return 0;
  d.chunks = kept;
  const t = totalOf(kept);
  d.records = t.records;
  d.bytes = t.bytes;
  d.oldest = oldestOf(kept);
  return n;
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
    // A paused delivery all withdrawn (withdraw) held the retry's turn: it gets through with nothing to put.
    if (d.records > 0) {
      this.inFlight.add(d);
      d.own = Math.round(this.putLatency(rng) * faults.slowdownAt(now));
      const done = now + d.own;
      sim.scheduleAt(done, (t) => {
        this.inFlight.delete(d);
        // All withdrawn while it was put: no object.
        if (d.records === 0) return;
        sink.wrote(d.bytes, d.records, t);
        sink.delivered(d.chunks, t);
      });
    }
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

  withdraw(tag: number): void {
    for (const d of this.inFlight) withdrawFrom(d, tag);
    // The head of the pause keeps its place (its retry is scheduled), emptied; the others waiting behind it go.
    this.paused.forEach((d) => withdrawFrom(d, tag));
    for (let i = this.paused.length - 1; i >= 1; i--) if (this.paused[i]!.records === 0) this.paused.splice(i, 1);
  }

  /** Puts under way: their own time; deliveries paused behind a failed put: none. */
  work(): HeldWork[] {
    return [...[...this.inFlight].map((d) => ({ chunks: d.chunks, own: d.own })), ...this.paused.map((d) => ({ chunks: d.chunks, own: 0 }))];
  }

  underWay(): Micros {
    return 0;
  }

  freshnessOldest(): Micros {
    return this.held().oldest;
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
  /** For each staged chunk, the own time of the staging put that wrote it (µs). */
  private stagedPut: Micros[] = [];
  private stagedRecords = 0;
  private stagedBytes = 0;
  private stagedOldest = Infinity;
  private stagedObjects = 0;
  private copying: Delivery | null = null;
  /** For each chunk of the COPY under way, the own time of its staging put. */
  private copyingPut: Micros[] = [];
  private copyingObjects = 0;
  /** When the COPY under way started running (−1: none running). */
  private copyStartedAt: Micros = -1;
  /** When the newest record of the last COPY started entered the delivery stream (−1 before the first). */
  private copiedUpTo = -1;
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
    d.own = this.putLatency(this.ctx.rng);
    this.ctx.sim.scheduleAt(now + d.own, (t) => {
      this.staging.delete(d);
      // All withdrawn while it was staged: no object.
      if (d.records === 0) return;
      this.ctx.sink.wrote(d.bytes, d.records, t);
      for (const c of d.chunks) {
        this.staged.push(c);
        this.stagedPut.push(d.own);
      }
      this.stagedRecords += d.records;
      this.stagedBytes += d.bytes;
      this.stagedOldest = Math.min(this.stagedOldest, d.oldest);
      this.stagedObjects++;
      this.startCopy(t, 0);
    });
  }

  /**
   * A COPY of everything staged (of the oldest staged object alone, with copyEach), if none is running; `behind`: the
   * own time of the COPY it follows at once (0 if none).
   */
  private startCopy(now: Micros, behind: Micros): void {
    if (this.copying || this.staged.length === 0) return;
    const n = this.ctx.copyEach ? 1 : this.staged.length;
    this.copying = delivery(this.staged.slice(0, n));
    this.copying.behind = behind;
    this.copyingPut = this.stagedPut.slice(0, n);
    this.copyingObjects = this.ctx.copyEach ? 1 : this.stagedObjects;
    this.staged = this.staged.slice(n);
    this.stagedPut = this.stagedPut.slice(n);
    this.stagedObjects -= this.copyingObjects;
    const t = totalOf(this.staged);
    this.stagedRecords = t.records;
    this.stagedBytes = t.bytes;
    this.stagedOldest = oldestOf(this.staged);
    this.attempt(this.copying, now);
  }

  private attempt(d: Delivery, now: Micros): void {
    const { sim, faults, sink } = this.ctx;
    // A COPY all withdrawn while it waited to retry is never made.
    if (d.records === 0) return this.endCopy(now, 0);
    if (d.firstAttempt < 0) d.firstAttempt = now;
    if (faults.outageAt(now)) {
      sink.failedAttempt(now);
      d.own = 0;
      const next = now + this.ctx.retryInterval;
      if (next > d.firstAttempt + this.spec.retryDuration) {
        sink.gaveUp(d.chunks, now);
        this.copying = null;
        this.startCopy(now, 0);
      } else {
        sim.scheduleAt(next, (t) => this.attempt(d, t));
      }
      return;
    }
    const copy = this.spec.copy.fixed + (this.spec.copy.perMiB * d.bytes) / MiB;
    const took = Math.round(copy * faults.slowdownAt(now));
    d.own = this.keepsUp(took, d) ? took : 0;
    this.copyStartedAt = now;
    sim.scheduleAt(now + took, (t) => {
      // Stopped with nothing left in it (withdraw).
      if (this.copying !== d) return;
      // What was withdrawn while it ran is not loaded; the COPY ran its time all the same for the rest.
      sink.delivered(d.chunks, t);
      sink.copied(this.copyingObjects, t, took);
      this.endCopy(t, d.own);
    });
  }

  /** The COPY under way is over: the next starts (`behind`: the own time of the one that ended, 0 if it did not load). */
  private endCopy(now: Micros, behind: Micros): void {
    this.copying = null;
    this.copyStartedAt = -1;
    this.startCopy(now, behind);
  }

  /**
   * Whether the cluster keeps up with this COPY: it loads the COPY's bytes no slower than they came in — its time past
   * the fixed part is no longer than the time over which its records entered the delivery stream, from the newest
   * record of the COPY before (or its own oldest, for the first) to its own newest. Firehose issues the next COPY "as
   * soon as the previous COPY command is successfully finished" (Firehose guide, data delivery frequency), so a
   * cluster that loads slower than data arrives makes each COPY longer than the last, without bound; one that keeps up
   * settles at COPYs of fixed ÷ (1 − perMiB × rate). Not from its oldest record's entry to the COPY's start: that
   * counts the wait behind the COPY before, which grows as the cluster falls behind (helper-90: a cluster loading
   * 0.83 MiB/s of 0.98 arriving read "none overdue" when the run ended in a COPY whose records had waited long enough).
   */
  private keepsUp(took: Micros, d: Delivery): boolean {
    let newest = -Infinity;
    for (const c of d.chunks) if (c.entered > newest) newest = c.entered;
    const from = this.copiedUpTo >= 0 && this.copiedUpTo < newest ? this.copiedUpTo : d.oldest;
    this.copiedUpTo = newest;
    return took - this.spec.copy.fixed <= newest - from;
  }

  held(): Held {
    const staged = { records: this.stagedRecords, bytes: this.stagedBytes, oldest: this.stagedOldest };
    return heldIn(this.staging, [staged, this.copying]);
  }

  /**
   * A staging put runs on without the chunks; staged ones leave the next COPY's manifest (a sink's write is one chunk,
   * one object). The COPY under way loads none of them: with others left in it, it runs its time for them; with
   * nothing left (a consumer's own COPY, copyEach, whose writer stopped), it stops there, loading nothing — a session
   * that ends rolls back its running transaction and releases its locks (Redshift, PG_TERMINATE_BACKEND usage notes,
   * https://docs.aws.amazon.com/redshift/latest/dg/PG_TERMINATE_BACKEND.html) — and the next COPY starts; it is not
   * counted a COPY, its time up to the stop counted as the cluster's (copied with 0 objects). One waiting to retry is
   * never made.
   */
  withdraw(tag: number, now: Micros): void {
    for (const d of this.staging) withdrawFrom(d, tag);
    const c = this.copying;
    if (c && c.chunks.some((x) => x.tag === tag)) {
      this.copyingPut = this.copyingPut.filter((_, i) => c.chunks[i]!.tag !== tag);
      this.copyingObjects -= withdrawFrom(c, tag);
      if (c.records === 0 && this.copyStartedAt >= 0) {
        this.ctx.sink.copied(0, now, now - this.copyStartedAt);
        this.endCopy(now, 0);
      }
    }
    if (!this.staged.some((x) => x.tag === tag)) return;
    this.stagedPut = this.stagedPut.filter((_, i) => this.staged[i]!.tag !== tag);
    this.stagedObjects -= this.staged.filter((x) => x.tag === tag).length;
    this.staged = this.staged.filter((x) => x.tag !== tag);
    const t = totalOf(this.staged);
    this.stagedRecords = t.records;
    this.stagedBytes = t.bytes;
    this.stagedOldest = oldestOf(this.staged);
  }

  /**
   * Staging puts under way: their own time. A staged object: its put, and the COPY under way it waits behind. A
   * COPY's objects: their puts, the COPY before it (they were staged while it ran) and the COPY itself.
   */
  work(): HeldWork[] {
    const out: HeldWork[] = [...this.staging].map((d) => ({ chunks: d.chunks, own: d.own }));
    const copying = this.copying;
    this.staged.forEach((c, i) => out.push({ chunks: [c], own: this.stagedPut[i]! + (copying?.own ?? 0) }));
    if (copying) copying.chunks.forEach((c, i) => out.push({ chunks: [c], own: this.copyingPut[i]! + copying.behind + copying.own }));
    return out;
  }

  underWay(): Micros {
    return 0;
  }

  /** DeliveryToS3.DataFreshness: the records not yet in the staging bucket are the staging puts'. */
  freshnessOldest(): Micros {
    return heldIn(this.staging).oldest;
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
  /** When the last bulk request was indexed, and its own time: a request starting then waited behind it. */
  private lastEndedAt = -1;
  private lastOwn: Micros = 0;
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
    let requests = 0;
    while (!split.empty) {
      const d = delivery(split.take(this.ctx.bufferSize, now));
      if (d.records > 0) {
        this.queue.push(d);
        requests++;
      }
    }
    if (requests > 1) this.ctx.sink.splitFlush(requests, now);
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
            // All withdrawn while it waited: nothing to send.
            if (d.records === 0) return;
            this.queue.push(d);
            this.serve(t);
          });
        }
        continue;
      }
      this.busy = d;
      const time = this.requestLatency(rng) + (d.bytes / this.spec.throughput) * MICROS_PER_SECOND;
      d.own = Math.round(time * faults.slowdownAt(now));
      d.behind = this.lastEndedAt === now ? this.lastOwn : 0;
      sim.scheduleAt(now + d.own, (t) => {
        this.busy = null;
        this.lastEndedAt = t;
        this.lastOwn = d.own;
        sink.indexed(d.own, t);
        // All withdrawn while it was indexed: the domain spent its time, nothing written.
        if (d.records > 0) {
          sink.wrote(d.bytes, d.records, t);
          sink.delivered(d.chunks, t);
        }
        this.serve(t);
      });
    }
    if (this.ready()) this.onReady(now);
  }

  held(): Held {
    return heldIn([this.busy], this.queue, this.waiting);
  }

  withdraw(tag: number, now: Micros): void {
    withdrawFrom(this.busy, tag);
    for (const d of this.waiting) withdrawFrom(d, tag);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      withdrawFrom(this.queue[i]!, tag);
      if (this.queue[i]!.records === 0) this.queue.splice(i, 1);
    }
    if (this.ready()) this.onReady(now);
  }

  /**
   * The request being indexed: its own time and that of the request it followed at once. Requests queued behind it:
   * its time. Requests waiting to retry after a failed attempt: none.
   */
  work(): HeldWork[] {
    const busy = this.busy;
    return [
      ...(busy ? [{ chunks: busy.chunks, own: busy.behind + busy.own }] : []),
      ...this.queue.map((d) => ({ chunks: d.chunks, own: busy?.own ?? 0 })),
      ...[...this.waiting].map((d) => ({ chunks: d.chunks, own: 0 })),
    ];
  }

  underWay(): Micros {
    return this.busy?.own ?? 0;
  }

  freshnessOldest(): Micros {
    return this.held().oldest;
  }

  backlog(): number {
    return heldIn(this.queue, this.waiting).bytes;
  }
}
