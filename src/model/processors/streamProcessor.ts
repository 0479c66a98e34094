// A stream processor reading a stream with its engine's Kinesis connector: an Apache Flink job (Managed Service for
// Apache Flink, or Flink on EMR) or a Spark Structured Streaming query on EMR. The KCL's wings read and process its
// records (src/model/kcl: the polling fetcher or fan-out subscriptions, the record processors, iterator ages,
// latencies and accounting), configured by its connector's defaults (src/aws/limits.ts). What differs from a KCL
// application is who holds which shard:
// - no lease table (no DynamoDB): a static assignment of shards to subtasks (Flink: hash or uniform assigner), or
//   one task per shard in each micro-batch (Spark), on executor cores;
// - the engine checkpoints the shards' positions on its own clock (Flink: every checkpoint interval; Spark: at the
//   end of each micro-batch), not after a record processor's batch;
// - a reshard's children are found by shard discovery: every discovery interval (Flink), or when a micro-batch is
//   planned (Spark). FlinkKinesisConsumer reads a child as soon as it is discovered; KinesisStreamsSource and Spark
//   only once its parents are finished.
// A Flink subtask (or the Spark executors' cores) processes one batch at a time per thread: a subtask with more
// shards processes each one's records more slowly.

import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import {
  FLINK_GETRECORDS_BACKOFF_EXPONENT,
  FLINK_GETRECORDS_INTERVAL_MS,
  FLINK_GETRECORDS_RETRIES,
  FLINK_SOURCE_EMPTY_FETCH_INTERVAL_MS,
  FLINK_SOURCE_RETRY_MAX_ATTEMPTS,
  JAVA_SDK_V1_MAX_BACKOFF_MS,
  JAVA_SDK_V1_MAX_ERROR_RETRY,
  JAVA_SDK_V1_THROTTLED_BASE_MS,
} from "../../aws/limits.js";
import type { FlinkConsumerSpec, ProcessorSpec, SparkConsumerSpec } from "../../spec/index.js";
import { ConsumerApp } from "../kcl/consumerApp.js";
import { newSession, type ConsumerContext, type Lease, type ReadPlan, type Session, type Worker } from "../kcl/state.js";
import { hashAssign, uniformAssign } from "./shardAssigner.js";

/** No prefetch limit on records or bytes: the processors' hand-over is bounded in batches. */
const BATCHES_ONLY = { records: Infinity, bytes: Infinity };

/** A Flink job's settings as the shared wings read them (connector defaults: src/aws/limits.ts). */
export function flinkReadPlan(spec: FlinkConsumerSpec): ReadPlan {
  const legacy = spec.connector === "FlinkKinesisConsumer";
  const p = spec.poll;
  const interval = p.interval ?? (legacy ? FLINK_GETRECORDS_INTERVAL_MS * MICROS_PER_MS : 0);
  return {
    workers: spec.parallelism,
    poll:
      spec.reader === "polling"
        ? {
            interval,
            emptyInterval: p.emptyInterval ?? (legacy ? interval : FLINK_SOURCE_EMPTY_FETCH_INTERVAL_MS * MICROS_PER_MS),
            // The legacy fetch loop sleeps what is left of its period after emitting; the source waits after the response.
            from: legacy ? "start" : "response",
            // In whole milliseconds: PollingRecordPublisher.adjustRunLoopFrequency sleeps interval − elapsed ms (the
            // loop's nanoseconds ÷ 1,000,000, rounded down) and the next loop begins when Thread.sleep returns, so a loop
            // lasts its 200 ms and the part of a millisecond its work took (here: its time to the response; the real
            // one's also holds emitting the batch). Loops of exactly 200 ms ran in step with the shard's refill of a
            // call every 200 ms, and the job that held the step kept every call: of two jobs on a shard, one was
            // refused at 73% of its calls and the other at 3.5%.
            ...(legacy ? { sleepGrain: MICROS_PER_MS } : {}),
            maxRecords: p.maxRecords,
            latency: p.latency,
            retry: {
              maxAttempts: p.retry.maxAttempts ?? (legacy ? FLINK_GETRECORDS_RETRIES + 1 : FLINK_SOURCE_RETRY_MAX_ATTEMPTS),
              base: p.retry.base,
              cap: p.retry.cap,
              factor: legacy ? FLINK_GETRECORDS_BACKOFF_EXPONENT : 2,
              jitter: legacy ? "full" : "equal",
              exhaustedWait: interval,
              ...(legacy ? { sdk: { maxAttempts: JAVA_SDK_V1_MAX_ERROR_RETRY + 1, base: JAVA_SDK_V1_THROTTLED_BASE_MS * MICROS_PER_MS, cap: JAVA_SDK_V1_MAX_BACKOFF_MS * MICROS_PER_MS } } : {}),
            },
          }
        : null,
    propagation: spec.reader === "efo" ? spec.propagation : null,
    // Legacy: a shard's thread fetches, emits (the chained operators process), then fetches again. The source: the
    // fetcher hands batches to the reader through its element queue (2 batches, SourceReaderOptions).
    prefetch: { batches: legacy ? 1 : 2, ...BATCHES_ONLY },
    sequential: legacy && spec.reader === "polling",
    processing: { ...spec.processing, concurrency: 1 },
    checkpoint: null,
  };
}

/** A Spark query's settings: one executor pool whose cores process the shards' tasks. */
export function sparkReadPlan(spec: SparkConsumerSpec): ReadPlan {
  const p = spec.poll;
  return {
    workers: 1,
    poll: {
      interval: p.interval,
      emptyInterval: p.interval,
      from: "start",
      // In whole milliseconds, as FlinkKinesisConsumer's: PollingRecordBatchPublisher.adjustToFetchInterval sleeps
      // fetchIntervalMs − elapsed ms (nanoseconds ÷ 1,000,000, rounded down).
      sleepGrain: MICROS_PER_MS,
      maxRecords: p.maxRecords,
      latency: p.latency,
      retry: { ...p.retry, factor: 2, jitter: "none", exhaustedWait: p.interval },
    },
    propagation: null,
    // The task's data queue between the publisher's thread and the task: one batch.
    prefetch: { batches: 1, ...BATCHES_ONLY },
    sequential: false,
    processing: { ...spec.processing, concurrency: spec.cores },
    checkpoint: null,
  };
}

export class StreamProcessor extends ConsumerApp {
  /** Shards discovered and not yet assigned (waiting for their parents to finish, where the connector keeps order). */
  private readonly waiting: Lease[] = [];
  /** Spark: the micro-batch's tasks still running, by shard; when it started; micro-batches completed. */
  private readonly running = new Set<number>();
  private batchStart: Micros = 0;
  private readonly readThisBatch: Map<number, number> = new Map();
  private lastListing: Micros = -Infinity;
  /** Spark: the record processors whose reader has begun (a later micro-batch resumes it). */
  private readonly begun = new WeakSet<Session>();
  microBatches = 0;

  constructor(
    readonly spec: ProcessorSpec,
    ctx: ConsumerContext,
  ) {
    super(spec.name, spec.kind === "flink" ? flinkReadPlan(spec) : sparkReadPlan(spec), ctx, null, spec.initialPosition);
    this.s.childrenAtShardEnd = false;
    if (spec.kind === "spark") {
      this.s.keepReading = (session, read, t) => this.taskGoesOn(session, read, t);
      this.s.onBatchProcessed = (session, t) => this.taskMaybeDone(session, t);
    }
  }

  get kind(): ProcessorSpec["kind"] {
    return this.spec.kind;
  }
  get workers(): number {
    return this.spec.kind === "flink" ? this.spec.parallelism : this.spec.cores;
  }

  /** Whether a child shard waits until its parents are finished before it is read. */
  private get keepsOrder(): boolean {
    return this.spec.kind === "spark" || this.spec.connector === "KinesisStreamsSource";
  }

  start(): void {
    this.fanOut?.start();
    const { sim } = this.s.ctx;
    if (this.spec.kind === "flink") {
      const spec = this.spec;
      for (const lease of this.s.leases) this.assign(lease, 0);
      const every = spec.discovery;
      const discover = (t: Micros) => {
        this.discover(t);
        if (t + every <= this.s.ctx.duration) sim.scheduleAt(t + every, discover);
      };
      sim.scheduleAt(every, discover);
      // A checkpoint records each shard's processed position in the job's state (restored when the job restarts).
      const cp = spec.checkpoint.every;
      const checkpoint = (t: Micros) => {
        this.checkpointAll(t);
        if (t + cp <= this.s.ctx.duration) sim.scheduleAt(t + cp, checkpoint);
      };
      sim.scheduleAt(cp, checkpoint);
    } else {
      sim.scheduleAt(0, (t) => this.startMicroBatch(t));
    }
  }

  /** A shard goes to its subtask (Flink) or to the executor pool (Spark), and its record processor starts. */
  private assign(lease: Lease, t: Micros): void {
    const stream = this.s.ctx.stream;
    let w: Worker;
    if (this.spec.kind === "flink") {
      const n = this.spec.parallelism;
      const uniform = (this.spec.assigner ?? (this.spec.connector === "KinesisStreamsSource" ? "uniform" : "hash")) === "uniform";
      w = this.s.workers[uniform ? uniformAssign(stream.ranges[lease.shard]!, n) : hashAssign(stream.name, stream.shardIds[lease.shard]!, n)]!;
    } else w = this.s.workers[0]!;
    const log = stream.logs![lease.shard]!;
    // At the start, the initial position; a shard discovered later is read from its first record.
    const fromStart = lease.parents.length > 0 || t > 0 || this.initialPosition === "TRIM_HORIZON";
    const position = lease.checkpoint ?? (fromStart ? log.trimHorizon(t - stream.retention) : log.endSeq);
    lease.owner = w.index;
    lease.everOwned = true;
    this.s.giveUp(lease.shard, this.s.consumed[lease.shard]!, position, "skipped", t);
    const session = newSession(w, lease.shard, position, t);
    w.sessions.set(lease.shard, session);
    this.s.live[lease.shard]!.add(session);
    if (this.spec.kind === "flink") this.reader.begin(session, t);
  }

  /** Shard discovery: leases for the shards a reshard created; each is assigned now, or once its parents are finished. */
  private discover(t: Micros): void {
    const s = this.s;
    const lives = s.ctx.stream.lives;
    for (let shard = 0; shard < lives.length; shard++) if (!s.leaseOf[shard]) this.waiting.push(s.addLease(shard));
    this.assignReady(t);
  }

  private assignReady(t: Micros): void {
    for (let i = 0; i < this.waiting.length; ) {
      const lease = this.waiting[i]!;
      if (this.keepsOrder && !this.s.parentsDone(lease)) i++;
      else {
        this.waiting.splice(i, 1);
        if (this.spec.kind === "flink") this.assign(lease, t);
      }
    }
  }

  protected override shardFinished(shard: number, t: Micros): void {
    if (this.spec.kind === "flink") this.assignReady(t);
    else this.taskEnded(shard, t);
  }

  /** Every shard's processed position goes into the checkpoint (the job's state; no DynamoDB write). */
  private checkpointAll(t: Micros): void {
    const s = this.s;
    for (const lease of s.leases) lease.checkpoint = s.consumed[lease.shard]!;
    s.counts.checkpoints.add(t);
  }

  // -------------------------------------------------------------------------------------------------------
  // Spark micro-batches.

  /**
   * A micro-batch: the driver lists the shards (at most every describeShardInterval), then a task per shard whose
   * parents are finished reads from where the last micro-batch ended until it has caught up or read
   * maxFetchRecordsPerShard, processing as it reads; when every task is done the connector commits its metadata (the
   * checkpoint) and the next micro-batch starts, no sooner than the trigger interval after this one started.
   */
  private startMicroBatch(t: Micros): void {
    const spec = this.spec as SparkConsumerSpec;
    const s = this.s;
    this.batchStart = t;
    if (t - this.lastListing >= spec.discovery) {
      this.lastListing = t;
      this.discover(t);
    }
    for (const lease of [...s.leases]) {
      if (lease.finished || this.waiting.includes(lease)) continue;
      const w = s.workers[0]!;
      if (!w.sessions.has(lease.shard)) this.assign(lease, t);
      const session = w.sessions.get(lease.shard)!;
      this.running.add(lease.shard);
      this.readThisBatch.set(lease.shard, 0);
      if (this.begun.has(session)) this.reader.resume(session, t);
      else {
        this.begun.add(session);
        this.reader.begin(session, t);
      }
    }
    if (this.running.size === 0) this.scheduleNextBatch(t);
  }

  /** After each GetRecords response of a task: whether it reads on (not caught up, under maxFetchRecordsPerShard). */
  private taskGoesOn(session: Session, read: { records: number; caughtUp: boolean }, t: Micros): boolean {
    const spec = this.spec as SparkConsumerSpec;
    const n = (this.readThisBatch.get(session.shard) ?? 0) + read.records;
    this.readThisBatch.set(session.shard, n);
    if (!read.caughtUp && n < spec.maxFetchRecordsPerShard) return true;
    this.s.ctx.sim.scheduleAt(t, (now) => this.taskMaybeDone(session, now));
    return false;
  }

  /** A task is done when it stopped reading and processed what it read. */
  private taskMaybeDone(session: Session, t: Micros): void {
    if (!this.running.has(session.shard) || session.busyFetching || session.processing || session.queued || session.cache.length > 0) return;
    this.taskEnded(session.shard, t);
  }

  private taskEnded(shard: number, t: Micros): void {
    if (!this.running.delete(shard) || this.running.size > 0) return;
    this.microBatches++;
    this.checkpointAll(t);
    this.scheduleNextBatch(t);
  }

  private scheduleNextBatch(t: Micros): void {
    const spec = this.spec as SparkConsumerSpec;
    const next = Math.max(t, this.batchStart + spec.trigger, this.batchStart + 1);
    if (next <= this.s.ctx.duration) this.s.ctx.sim.scheduleAt(next, (now) => this.startMicroBatch(now));
  }

  // -------------------------------------------------------------------------------------------------------
  // Measurement.

  /** Shards held by each subtask at the end (Flink), or by the executor pool (Spark). */
  leasesPerWorker(): number[] {
    return this.s.workers.map((w) => w.sessions.size);
  }

  aliveWorkers(): number {
    return this.s.workers.length;
  }
}
