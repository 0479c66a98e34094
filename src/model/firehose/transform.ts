// A Firehose data transformation (Firehose guide "Transform source data"): records gather in
// the transformation's own buffer (BufferSizeInMBs, IntervalInSeconds) and each buffered batch is one
// synchronous Lambda invocation. At most `concurrency` invocations run at once (with a Kinesis stream as source, 5 per
// shard the delivery stream reads, changing when a reshard completes and when a closed parent is read to its end);
// the rest queue. An invocation takes
// perInvocation + perMB × input MB; one longer than 5 minutes times out, one whose request or response would pass
// Lambda's synchronous payload limit (record data in base64: payloadTooLarge) fails, and a `lambda-errors` fault
// fails a share of the invocations started in its window. A failed invocation is retried NumberOfRetries times,
// then its records go to the S3 processing-failed/ prefix. A successful one answers per record: Ok (sent on,
// resized by sizeFactor), Dropped, or ProcessingFailed (to processing-failed/), by the configured shares.

import type { RandomStream } from "../../engine/random.js";
import { FreeList } from "../../engine/freeList.js";
import { LiveList } from "../../engine/liveList.js";
import type { Simulator } from "../../engine/simulator.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import type { TransformSpec } from "../../spec/index.js";
import { ChunkBuffer, chunksIn, heldIn, intervalDueAt, oldestOf, totalOf, type Chunk, type FaultWindows, type Held } from "./buffer.js";
import { FIREHOSE_LAMBDA_MAX_DURATION_S, LAMBDA_SYNC_PAYLOAD_MAX_BYTES } from "../../aws/limits.js";
import type { Slices } from "../kinesis/shardLog.js";

/**
 * Why a transformation's invocation failed: it ran past the 5-minute limit (`timeout`); its request or response, record
 * data in base64, passed Lambda's 6 MiB synchronous payload (`payload`, payloadTooLarge); or a `lambda-errors` fault
 * failed it (`fault`). One cause an invocation, in the order they happen: a request over the payload is refused before
 * the function runs, a function past the limit is stopped before it answers, an answer over the payload is refused when
 * it returns; the fault's share applies to the invocations none of these fail.
 */
export type TransformFailure = "timeout" | "payload" | "fault";

/** Counts by TransformFailure. */
export type ByTransformFailure = Record<TransformFailure, number>;

export interface TransformStats {
  invocations: number;
  failedInvocations: number;
  /** failedInvocations by cause (they add up to it). */
  failedInvocationsBy: ByTransformFailure;
  /** Invocations that were retries of a failed one. */
  retries: number;
  /** Records answered Ok, Dropped, ProcessingFailed; records of batches that failed every attempt. */
  ok: number;
  dropped: number;
  processingFailed: number;
  failedBatches: number;
  failedBatchRecords: number;
  /** failedBatchRecords by the cause of the batch's last attempt (they add up to it). */
  failedBatchRecordsBy: ByTransformFailure;
  /** Sum of invocation durations (µs) and the most invocations running at once. */
  busyTime: number;
  maxRunning: number;
}

/** The concurrency limit in force from `at` on (µs). */
export interface ConcurrencyStep {
  at: Micros;
  concurrency: number;
}

/** `n` bytes in base64: 4 bytes for every 3, the last group padded to 4. */
export function base64Bytes(n: number): number {
  return 4 * Math.ceil(n / 3);
}

/**
 * Whether an invocation of `bytes` of record data, answered at `sizeFactor` times its size, passes Lambda's
 * synchronous payload limit. "The Lambda synchronous invocation mode has a payload size limit of 6 MB for both the
 * request and the response" (Firehose guide, data-transformation.html), and both carry each record's data in base64:
 * the response's `data` is "The transformed data payload, after base64-encoding" (data-transformation-status-model.html),
 * and the event's records hold their data as bytes that JSON carries in base64 (aws/aws-lambda-go
 * events/firehose.go, KinesisFirehoseEventRecord.Data []byte). Invoke refuses more than 6 MiB
 * (LAMBDA_SYNC_PAYLOAD_MAX_BYTES). Assumptions: the events' other fields (recordId, timestamps, result) are not
 * counted, and the answer is every record's data × sizeFactor (Dropped and ProcessingFailed records' too).
 * With the largest buffer, 3 MB, the request is 4 MB in base64: the response is what binds, past a sizeFactor of
 * 6 MiB × 3/4 ÷ the buffered bytes (1.57 at 3 MB, 4.72 at the default 1 MB).
 */
export function payloadTooLarge(bytes: number, sizeFactor: number): boolean {
  return requestTooLarge(bytes) || responseTooLarge(bytes, sizeFactor);
}

/** Whether the request's record data, `bytes` in base64, passes Lambda's synchronous payload limit (payloadTooLarge). */
function requestTooLarge(bytes: number): boolean {
  return base64Bytes(bytes) > LAMBDA_SYNC_PAYLOAD_MAX_BYTES;
}

/** Whether the response's record data, `bytes` × sizeFactor in base64, passes Lambda's synchronous payload limit (payloadTooLarge). */
function responseTooLarge(bytes: number, sizeFactor: number): boolean {
  return base64Bytes(Math.round(bytes * sizeFactor)) > LAMBDA_SYNC_PAYLOAD_MAX_BYTES;
}

interface Invocation {
  /** Its records as chunks: objects the Invocation keeps and reuses (see invocation). */
  readonly chunks: Chunk[];
  records: number;
  bytes: number;
  oldest: Micros;
  attempts: number;
  /** Its place among the running invocations (LiveList). */
  slot: number;
  /** Why the running attempt fails (null: it does not), and its end as an action (made once per Invocation object: they are reused). */
  fails: TransformFailure | null;
  done: (now: Micros) => void;
}

/**
 * Makes `into` (an Invocation's own chunks) copies of `from`: records, bytes, born range and entry time, which is all
 * a transformation reads of a chunk (it hands Ok records on by those fields), in the objects `into` already holds.
 */
function copyChunks(into: Chunk[], from: readonly Chunk[]): void {
  // Invocations hold a chunk or two: pop trims such an array's storage in place, and the next push reuses it (measured:
  // no allocation), so a reused Invocation's chunks cost nothing after its first cuts.
  while (into.length > from.length) into.pop();
  for (let i = 0; i < from.length; i++) {
    const c = from[i]!;
    const o = into[i];
    if (o === undefined) into.push({ records: c.records, bytes: c.bytes, firstBorn: c.firstBorn, lastBorn: c.lastBorn, entered: c.entered });
    else {
      o.records = c.records;
      o.bytes = c.bytes;
      o.firstBorn = c.firstBorn;
      o.lastBorn = c.lastBorn;
      o.entered = c.entered;
    }
  }
}

export class Transform {
  readonly stats: TransformStats = {
    invocations: 0,
    failedInvocations: 0,
    failedInvocationsBy: { timeout: 0, payload: 0, fault: 0 },
    retries: 0,
    ok: 0,
    dropped: 0,
    processingFailed: 0,
    failedBatches: 0,
    failedBatchRecords: 0,
    failedBatchRecordsBy: { timeout: 0, payload: 0, fault: 0 },
    busyTime: 0,
    maxRunning: 0,
  };
  private readonly buffer = new ChunkBuffer();
  /** When the pending interval timer fires (-1: none). One at most: it re-checks the buffer's age when it fires. */
  private timerAt = -1;
  private readonly queue: Invocation[] = [];
  /** The invocations running, in the order they started. */
  private readonly running = new LiveList<Invocation>();
  /** The most invocations that may run at once now (see setConcurrency). */
  private allowed: number;
  /** The concurrency limit from each time it took a new value on, the first from 0. */
  readonly concurrencySteps: ConcurrencyStep[];

  constructor(
    private readonly spec: TransformSpec,
    concurrency: number,
    private readonly sim: Simulator,
    private readonly rng: RandomStream,
    private readonly faults: FaultWindows,
    /** Ok records, resized, on to the destination buffer: one call per chunk of the invocation that has some (see answered). */
    private readonly out: (records: number, bytes: number, firstBorn: Micros, lastBorn: Micros, entered: Micros, now: Micros) => void,
    /** Records leaving here: dropped on purpose, or to processing-failed/. */
    private readonly leave: (reason: "dropped" | "processingFailed", records: number, now: Micros) => void,
  ) {
    this.allowed = concurrency;
    this.concurrencySteps = [{ at: 0, concurrency }];
  }

  /** The most invocations the limit allowed at once during the run. */
  get mostConcurrency(): number {
    let most = 0;
    for (const s of this.concurrencySteps) if (s.concurrency > most) most = s.concurrency;
    return most;
  }

  /**
   * The limit changes at `now` (the shards read of the source stream changed): queued invocations start if it rose. When it
   * falls, those running finish (an outstanding invocation is not called back); no other starts until fewer run.
   */
  setConcurrency(concurrency: number, now: Micros): void {
    if (concurrency === this.allowed) return;
    this.allowed = concurrency;
    const steps = this.concurrencySteps;
    // Two changes in one instant (reshards completing together): the last one holds from then.
    if (steps[steps.length - 1]!.at === now) steps.pop();
    if (steps.length === 0 || steps[steps.length - 1]!.concurrency !== concurrency) steps.push({ at: now, concurrency });
    this.pump(now);
  }

  add(chunk: Chunk, now: Micros): void {
    this.buffer.add(chunk, now);
    this.afterAdd(now);
  }

  /**
   * A source reader's slices entering at `now`, each exactly as add() would take it (one chunk per slice: a size cut
   * falls where it would, and a slice's records merge into the buffer's chunk of this second), without an object per
   * slice. All enter at `now`, so one by one each merges into the buffer's newest chunk (the first may begin it): the
   * slices between two size cuts go in as one part, which gives the same chunk. They go in one by one until an interval
   * timer is pending (the first slice sets it, unless a cut leaves the buffer exactly empty: then the next one does),
   * so every timer is scheduled where one by one schedules it; once one is pending, no slice of this read schedules
   * another.
   */
  addSlices(slices: Slices, now: Micros): void {
    const b = this.buffer;
    const { size } = this.spec.buffer;
    let i = 0;
    for (; i < slices.length; i++) {
      const users = slices.users(i);
      if (users <= 0) continue; // ingest takes nothing from an empty slice
      b.addParts(users, slices.bytes(i) - slices.keyBytes(i), slices.firstBorn(i), slices.lastBorn(i), now, undefined, now);
      this.afterAdd(now);
      if (this.timerAt >= 0) break;
    }
    let records = 0;
    let bytes = 0;
    let firstBorn = Infinity;
    let lastBorn = -Infinity;
    for (i++; i < slices.length; i++) {
      const users = slices.users(i);
      if (users <= 0) continue;
      records += users;
      bytes += slices.bytes(i) - slices.keyBytes(i);
      if (slices.firstBorn(i) < firstBorn) firstBorn = slices.firstBorn(i);
      if (slices.lastBorn(i) > lastBorn) lastBorn = slices.lastBorn(i);
      // This slice takes the buffer to its size: a cut follows it.
      if (b.bytes + bytes >= size) {
        b.addParts(records, bytes, firstBorn, lastBorn, now, undefined, now);
        this.afterAdd(now);
        records = 0;
        bytes = 0;
        firstBorn = Infinity;
        lastBorn = -Infinity;
      }
    }
    if (records > 0) {
      b.addParts(records, bytes, firstBorn, lastBorn, now, undefined, now);
      this.afterAdd(now);
    }
  }

  /** After records entered the buffer: a cut per full buffer size, and the interval timer. */
  private afterAdd(now: Micros): void {
    const b = this.buffer;
    const { size } = this.spec.buffer;
    while (b.bytes >= size) this.cut(b.take(size, now), now);
    this.ensureTimer();
  }

  /**
   * The interval hint. The buffer restarts at every size cut (hundreds of times a second at volume), so rather
   * than a timer per start there is one pending timer: when it fires it cuts the buffer if its oldest record has
   * waited the interval (with an interval of 0, at the next whole second: intervalDueAt), and otherwise waits again
   * for the current start's due time.
   */
  private ensureTimer(): void {
    if (this.buffer.empty || this.timerAt >= 0) return; // a pending timer is due no later than the current start's
    const interval = this.spec.buffer.interval;
    this.timerAt = intervalDueAt(this.buffer.startedAt, interval);
    this.sim.scheduleAt(this.timerAt, (t) => {
      this.timerAt = -1;
      if (!this.buffer.empty && intervalDueAt(this.buffer.startedAt, interval) <= t) this.cut(this.buffer.takeAll(), t);
      this.ensureTimer();
    });
  }

  private cut(chunks: Chunk[], now: Micros): void {
    const { records, bytes } = totalOf(chunks);
    if (records === 0) return;
    const inv = this.invocation(chunks, records, bytes, oldestOf(chunks));
    // Nothing waiting and room to run (the usual case): it starts now, as pump would start it.
    if (this.queue.length === 0 && this.running.size < this.allowed) this.start(inv, now);
    else {
      this.queue.push(inv);
      this.pump(now);
    }
  }

  private pump(now: Micros): void {
    while (this.running.size < this.allowed && this.queue.length > 0) this.start(this.queue.shift()!, now);
  }

  private start(inv: Invocation, now: Micros): void {
    const s = this.stats;
    this.running.add(inv);
    if (this.running.size > s.maxRunning) s.maxRunning = this.running.size;
    s.invocations++;
    if (inv.attempts > 0) s.retries++;
    inv.attempts++;
    const { perInvocation, perMB } = this.spec.duration;
    const duration = perInvocation + Math.round((perMB * inv.bytes) / 1e6);
    const limit = FIREHOSE_LAMBDA_MAX_DURATION_S * MICROS_PER_SECOND;
    const errorShare = this.faults.lambdaErrorShareAt(now);
    // The first cause in the order they happen (TransformFailure); the fault's draw only for an invocation none fails.
    const fails: TransformFailure | null = requestTooLarge(inv.bytes)
      ? "payload"
      : duration > limit
        ? "timeout"
        : responseTooLarge(inv.bytes, this.spec.sizeFactor)
          ? "payload"
          : errorShare > 0 && this.rng.uniform() < errorShare
            ? "fault"
            : null;
    const took = Math.min(duration, limit);
    s.busyTime += took;
    inv.fails = fails;
    this.sim.scheduleAt(now + took, inv.done);
  }

  /** An attempt's end: failed (retried or given up) or answered; then what waits may start. */
  private ended(inv: Invocation, t: Micros): void {
    this.running.delete(inv);
    if (inv.fails) this.failed(inv, inv.fails, t);
    else {
      this.answered(inv, t);
      this.release(inv);
    }
    this.pump(t);
  }

  /**
   * Invocations done with (answered, or failed for good), reused with their chunks: one lives as long as its Lambda
   * call (hundreds of milliseconds, thousands at once at thousands of shards), long enough to be copied and promoted by
   * the young generation's collector if made new each time. So do its chunks: a cut's own array and the chunk a size
   * cut splits off are copied into the Invocation's and die young (at 10,000 shards they were most of what the
   * collector copied).
   */
  private readonly spare = new FreeList<Invocation>();

  private invocation(chunks: Chunk[], records: number, bytes: number, oldest: Micros): Invocation {
    const inv = this.spare.take();
    if (inv) {
      copyChunks(inv.chunks, chunks);
      inv.records = records;
      inv.bytes = bytes;
      inv.oldest = oldest;
      inv.attempts = 0;
      inv.fails = null;
      return inv;
    }
    const made: Invocation = { chunks: [], records, bytes, oldest, attempts: 0, slot: -1, fails: null, done: (t) => this.ended(made, t) };
    copyChunks(made.chunks, chunks);
    return made;
  }

  /** `inv` is done with: nothing refers to it any more (its chunks stay with it, to be written over when reused). */
  private release(inv: Invocation): void {
    this.spare.give(inv);
  }

  private failed(inv: Invocation, cause: TransformFailure, now: Micros): void {
    const s = this.stats;
    s.failedInvocations++;
    s.failedInvocationsBy[cause]++;
    if (inv.attempts <= this.spec.retries) {
      this.queue.unshift(inv);
      return;
    }
    s.failedBatches++;
    s.failedBatchRecords += inv.records;
    s.failedBatchRecordsBy[cause] += inv.records;
    this.leave("processingFailed", inv.records, now);
    this.release(inv);
  }

  private answered(inv: Invocation, now: Micros): void {
    const { dropped: pd, processingFailed: pf } = this.spec.results;
    const n = inv.records;
    const dropped = pd > 0 ? this.rng.binomial(n, pd) : 0;
    const failed = pf > 0 && dropped < n ? this.rng.binomial(n - dropped, pd < 1 ? Math.min(1, pf / (1 - pd)) : 0) : 0;
    const ok = n - dropped - failed;
    this.stats.ok += ok;
    this.stats.dropped += dropped;
    this.stats.processingFailed += failed;
    if (dropped > 0) this.leave("dropped", dropped, now);
    if (failed > 0) this.leave("processingFailed", failed, now);
    if (ok <= 0) return;
    // The Ok records: each chunk's share of `ok` in whole records (oldest chunks rounded first, so the parts add
    // up to `ok` exactly), bytes in proportion and then by sizeFactor; handed on chunk by chunk.
    const chunks = inv.chunks;
    const sizeFactor = this.spec.sizeFactor;
    let before = 0;
    let given = 0;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      before += c.records;
      const upto = Math.floor((ok * before) / n);
      const k = upto - given;
      given = upto;
      if (k > 0) this.out(k, Math.round(((c.bytes * k) / c.records) * sizeFactor), c.firstBorn, c.lastBorn, c.entered, now);
    }
  }

  /** What the transformation holds: buffered, queued or being transformed. */
  held(): Held {
    const buffered = { records: this.buffer.records, bytes: this.buffer.bytes, oldest: this.buffer.oldestEntered };
    return heldIn([buffered], this.queue, this.running);
  }

  /**
   * The chunks it holds: buffered, queued or being transformed. Read them at once: an invocation's chunks are objects
   * it reuses, rewritten when it is next used.
   */
  insideChunks(): Chunk[] {
    return [...this.buffer.contents, ...chunksIn(this.queue, this.running)];
  }

  /** Bytes waiting in the transformation's buffer. */
  get bufferedBytes(): number {
    return this.buffer.bytes;
  }
}
