// What every consumer that reads shards with workers and record processors shares (a KCL application, a stream
// processor): its state (KclState, on the ShardReaders every reader of the shards keeps), its reader (polling or
// fan-out, opened from its ReadPlan as a Lambda event source mapping opens its own) and record processors, what the
// result reads, the end of a closed shard, stopping a record processor, and the measurement and accounting. The
// subclass decides who holds which shard: leases in a DynamoDB table (KclApplication), or a static assignment
// (src/model/processors).

import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import { valuesOf } from "../../metrics/warmup.js";
import type { DynamoTable } from "../dynamodb/table.js";
import type { FanOutSubscriptions } from "./fanOut.js";
import { openReader } from "./openReader.js";
import type { Reader } from "./reader.js";
import { RecordProcessors } from "./recordProcessor.js";
import { KclState, type ConsumerContext, type ConsumerStats, type ReadPlan, type Session } from "./state.js";

export abstract class ConsumerApp {
  readonly name: string;
  protected readonly s: KclState;
  protected readonly processors: RecordProcessors;
  protected readonly reader: Reader;
  protected readonly fanOut: FanOutSubscriptions | null;

  constructor(
    name: string,
    plan: ReadPlan,
    ctx: ConsumerContext,
    table: DynamoTable | null,
    /** Where a shard with no checkpoint is read from. */
    protected readonly initialPosition: "LATEST" | "TRIM_HORIZON",
  ) {
    this.name = name;
    this.s = new KclState(name, plan, ctx, table);
    this.processors = new RecordProcessors(this.s);
    this.processors.writer = ctx.writer;
    const opened = openReader(this.s, this.processors, plan);
    this.reader = opened.reader;
    this.fanOut = opened.fanOut;
    this.processors.reader = this.reader;
    this.s.onShardEnd = (session, t) => this.shardEnd(session, t);
  }

  /** The scenario's consumer kind, and its workers (KCL workers, Flink subtasks, Spark executor cores). */
  abstract get kind(): "kcl" | "fanout" | "flink" | "spark";
  abstract get workers(): number;
  /** Whether it reads by polling (GetRecords, sharing the shards' read limits), not by enhanced fan-out. */
  get polls(): boolean {
    return this.fanOut === null;
  }
  abstract start(): void;
  /** What the result shows per worker at the end: leases held (KCL), or shards assigned (a stream processor). */
  abstract leasesPerWorker(): number[];
  abstract aliveWorkers(): number;

  // What the result reads.
  /** The stream it reads. */
  get stream() {
    return this.s.ctx.stream;
  }
  get writer() {
    return this.s.ctx.writer;
  }
  get sink() {
    return this.s.ctx.sink;
  }
  get table() {
    return this.s.table;
  }
  get stats(): Readonly<ConsumerStats> {
    return valuesOf(this.s.counts);
  }
  get endToEnd() {
    return this.s.endToEnd;
  }
  get putToProcess() {
    return this.s.putToProcess;
  }
  get censoredAtEnd() {
    return this.s.censoredAtEnd;
  }
  get stages() {
    return this.s.stages;
  }
  get consumed() {
    return this.s.consumed;
  }
  get processed() {
    return this.s.processed;
  }
  get expired() {
    return this.s.expired;
  }
  get skipped() {
    return this.s.skipped;
  }
  /** Records given up by kind, of those that arrived after the warmup (ranges processing has reached). */
  get givenUpAfterWarmup() {
    return this.s.givenUpAfterWarmup;
  }
  get reprocessed() {
    return this.s.reprocessed;
  }
  /** The records processed again (whole run) by why their record processor started (START). */
  get reprocessedBy() {
    return this.s.reprocessedBy;
  }
  /** Highest CloudWatch iterator age per shard after warmup (µs), and per series step. */
  get maxIteratorAge(): Float64Array {
    return this.s.iteratorAge.values;
  }
  get iteratorAgeSeries() {
    return this.s.iteratorAgeSeries;
  }
  /** When its first iterator age was observed (its first GetRecords response or fan-out event; µs, -1: none). */
  get firstIteratorAgeAt(): number {
    return this.s.firstIteratorAgeAt;
  }
  /** Highest age of the oldest unprocessed record per shard after warmup (µs), and per series step. */
  get maxOldestUnprocessed(): Float64Array {
    return this.s.oldestUnprocessed.values;
  }
  /** Highest age of the oldest unprocessed record per shard over the last quarter after warmup (µs). */
  get maxOldestUnprocessedLate(): Float64Array {
    return this.s.oldestUnprocessedLate.values;
  }
  get oldestUnprocessedSeries() {
    return this.s.oldestUnprocessedSeries;
  }
  get activity() {
    return this.s.activity;
  }
  /** Whole run: records its output stream took twice (a crash cut their batch's puts; processed again, it wrote them again). */
  get writtenAgain(): number {
    return this.s.writtenAgain;
  }
  /** What was lost at each step and processed again or skipped (LOSS). */
  get losses() {
    return this.s.losses;
  }
  /** Records processed again by workers started after they were lost (ShardReaders.lateReReads). */
  get lateReReads() {
    return this.s.lateReReads;
  }
  /** Per shard, over the last quarter after warmup: how its record processors spent their time (KclState.processorTime). */
  get processorTime() {
    return this.s.processorTime;
  }

  // -------------------------------------------------------------------------------------------------------
  // Record processors (sessions).

  /**
   * A record processor read its closed shard to the end: once every record it fetched is processed, it checkpoints
   * SHARD_END, the lease leaves the table and the children's leases are created (checked every 100 ms).
   */
  protected shardEnd(session: Session, t: Micros): void {
    const s = this.s;
    const shard = session.shard;
    const log = s.ctx.stream.logs![shard]!;
    const check = (now: Micros) => {
      if (!session.alive) return;
      // With a sink, the Connector's record processor emits what its buffer holds on TERMINATE before the SHARD_END checkpoint.
      const lane = session.lane;
      if (lane && !session.processing && !lane.flushing) lane.flushNow(now);
      if (s.consumed[shard]! < log.endSeq || session.cache.length > 0 || session.processing || (lane !== null && (lane.flushing || lane.bufferedRecords > 0))) {
        s.ctx.sim.scheduleAt(now + 100 * MICROS_PER_MS, check);
        return;
      }
      s.finishShard(shard, now);
      lane?.close();
      session.alive = false;
      s.live[shard]!.delete(session);
      session.worker.sessions.delete(shard);
      this.shardFinished(shard, now);
    };
    check(t);
  }

  kill(session: Session, t: Micros): void {
    const s = this.s;
    const shard = session.shard;
    session.alive = false;
    // A flush being written stops here (Sink.cut): what the sink had taken is written, the rest interrupted at once, for
    // the lease's next owner to process and write again from the checkpoint.
    session.lane?.close(t);
    this.processors.stopped(session, t);
    s.endWaits(session, t);
    const live = s.live[shard]!;
    live.delete(session);
    s.endedAt[shard] = t;
    // The records between the processed position and where the remaining record processors started will never
    // be processed: skipped (a new owner started at LATEST past them while this one was still working: lost by its start).
    if (live.size === 0) return;
    let first: Session | null = null;
    for (const other of live) if (!first || other.start < first.start) first = other;
    if (first!.start > s.consumed[shard]!) s.giveUp(shard, s.consumed[shard]!, first!.start, "skipped", t, first!.origin);
  }

  /** A closed shard was processed to its end and finished (a stream processor may then assign its children). */
  protected shardFinished(_shard: number, _t: Micros): void {}

  // -------------------------------------------------------------------------------------------------------
  // Measurement and accounting.

  /** Records given up, or processed out of order, that processing has not reached yet. */
  pendingGaps(): ReturnType<KclState["pendingGaps"]> {
    return this.s.pendingGaps();
  }

  /** Each shard's oldest unprocessed record: how old the oldest record not yet processed is (0 when none waits). */
  sampleAges(t: Micros): void {
    this.s.sampleAges(t);
  }

  /** The lowest sequence number this application may still read in a shard (for compacting the log). */
  neededFrom(shard: number): number {
    const s = this.s;
    const lease = s.leaseOf[shard];
    let seq = s.consumed[shard]!;
    // A shard without a lease yet (a child waiting for its parents) is read from its start.
    if (!lease) return 0;
    if (lease.checkpoint !== null) seq = Math.min(seq, lease.checkpoint);
    else if (this.initialPosition === "TRIM_HORIZON") seq = 0;
    return s.sessionsNeed(shard, seq);
  }

  /** At the end of the run: records past retention that were never processed expired; the rest still waiting are censored. */
  finish(end: Micros): void {
    this.s.finish(end);
  }
}
