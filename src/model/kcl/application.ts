// A Kinesis Client Library application: workers sharing the stream's shards through leases in a DynamoDB
// table, one record processor per leased shard (KCL 2.x defaults: docs/limits.md). Its wings:
// - leaseTaker.ts: lease renewal, taking and stealing (KCL 2.x), and the start-up race for the leases;
// - pollingFetcher.ts or fanOut.ts: how a record processor's records reach its prefetch cache;
// - recordProcessor.ts: processing on the worker's slots, and checkpoints;
// - state.ts: what they share, and the per-shard progress accounting follows.
// This file starts and stops record processors (sessions), crashes and restarts workers, and measures.
//
// A new owner starts from the lease's checkpoint, so records processed after it are processed again; with no
// checkpoint it starts at the initial position (LATEST skips what it has not read).
//
// Accounting per application: records the stream accepted = processed + still unread (fetched or not) +
// expired unread (past retention before processing) + skipped (a new owner started at LATEST).

import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import { KCL_PARENT_SHARD_POLL_MS, kclTakerIntervalMs } from "../../aws/limits.js";
import { FanOutSubscriptions } from "./fanOut.js";
import { LeaseAssignment } from "./leaseAssignment.js";
import { LeaseTaker, type LeaseHolder } from "./leaseTaker.js";
import { PollingFetcher } from "./pollingFetcher.js";
import type { Reader } from "./reader.js";
import { RecordProcessors } from "./recordProcessor.js";
import { valuesOf } from "../../metrics/warmup.js";
import { KclState, newWorker, type ConsumerContext, type ConsumerStats, type Lease, type Session, type Worker } from "./state.js";
import type { KclAppSpec } from "../../spec/index.js";

export type { ConsumerContext, ConsumerStats } from "./state.js";

export class KclApplication implements LeaseHolder {
  readonly name: string;
  private readonly s: KclState;
  private readonly leaseTaker: LeaseTaker;
  /** KCL 3.x lease management (idle for a 2.x application unless it migrates). */
  readonly assignment: LeaseAssignment;
  private readonly processors: RecordProcessors;
  private readonly reader: Reader;
  private readonly fanOut: FanOutSubscriptions | null;
  /** Workers stopped by a crash and not yet restarted. */
  private stopped = 0;
  private migrationAt: Micros | null = null;

  constructor(
    readonly spec: KclAppSpec,
    ctx: ConsumerContext,
  ) {
    this.name = spec.name;
    this.s = new KclState(spec, ctx);
    this.processors = new RecordProcessors(this.s);
    this.processors.writer = ctx.writer;
    this.fanOut = spec.kind === "fanout" ? new FanOutSubscriptions(this.s, this.processors, spec.propagation) : null;
    this.reader = this.fanOut ?? new PollingFetcher(this.s, this.processors, spec.kind === "kcl" ? spec.poll : null);
    this.processors.reader = this.reader;
    this.leaseTaker = new LeaseTaker(this.s, this);
    this.assignment = new LeaseAssignment(this.s, this);
    this.s.onShardEnd = (session, t) => this.shardEnd(session, t);
  }

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
  get reprocessed() {
    return this.s.reprocessed;
  }
  /** Highest CloudWatch iterator age per shard after warmup (µs), and per series step. */
  get maxIteratorAge(): Float64Array {
    return this.s.iteratorAge.values;
  }
  get iteratorAgeSeries() {
    return this.s.iteratorAgeSeries;
  }
  /** Highest age of the oldest unprocessed record per shard after warmup (µs), and per series step. */
  get maxOldestUnprocessed(): Float64Array {
    return this.s.oldestUnprocessed.values;
  }
  get oldestUnprocessedSeries() {
    return this.s.oldestUnprocessedSeries;
  }
  get activity() {
    return this.s.activity;
  }

  // -------------------------------------------------------------------------------------------------------
  // Life cycle.

  start(): void {
    this.fanOut?.start();
    for (const w of this.s.workers) this.startWorker(w, 0);
  }

  /** A worker's lease management: the 2.x taker, or 3.x assignment (both while a migration is in compatible mode). */
  private startWorker(w: Worker, now: Micros): void {
    if (this.assignment.mode !== 3) this.leaseTaker.startTimers(w, now);
    this.assignment.startWorker(w, now);
  }

  /** New workers join (a scale-out): with no leases, like a restarted worker. */
  add(count: number, now: Micros): void {
    for (let i = 0; i < count; i++) {
      const w: Worker = newWorker(this.s.workers.length);
      this.s.workers.push(w);
      this.startWorker(w, now);
    }
  }

  /** The 2.x application is redeployed as 3.x in compatible mode (a kcl-migration event). */
  migrate(t: Micros, indexActiveAfter: Micros): void {
    this.migrationAt ??= t;
    this.assignment.migrate(t, indexActiveAfter);
  }

  ownerChanged(t: Micros, hadOwner: boolean): void {
    this.assignment.ownerChanged(t, hadOwner);
  }

  /** The KCL version the application runs at the end (3 once a migration has switched every worker). */
  get version(): 2 | 3 {
    return this.assignment.mode === 3 ? 3 : 2;
  }

  crash(count: number, t: Micros): void {
    const alive = this.s.workers.filter((w) => w.alive).reverse().slice(0, count);
    for (const w of alive) {
      w.alive = false;
      w.generation++;
      for (const session of w.sessions.values()) this.kill(session, t);
      w.sessions.clear();
      w.busy = 0;
      w.waiting = [];
    }
    this.stopped += alive.length;
  }

  /**
   * Stopped workers start again. A restarted KCL worker has a new worker identifier, so it owns nothing in the
   * lease table: it takes expired leases or steals like a new worker.
   */
  restart(count: number, now: Micros): void {
    const n = Math.min(count, this.stopped);
    this.stopped -= n;
    for (let i = 0; i < n; i++) {
      const w: Worker = newWorker(this.s.workers.length);
      this.s.workers.push(w);
      this.startWorker(w, now);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Record processors (sessions).

  startSession(w: Worker, lease: Lease, t: Micros): void {
    const s = this.s;
    const shard = lease.shard;
    const log = s.ctx.stream.logs![shard]!;
    // The application starts with the run, so LATEST for a lease first taken in its first taker interval is where
    // the shard stood at the start (the records written while the workers were taking their first leases are read,
    // as by an application started just before its producers). A lease first taken later (a start of thousands of
    // leases, 10 ms each) or taken again without a checkpoint starts at the tip, skipping what came before.
    // (KCL 3.x: the leader's first assignment, whenever it comes, is the application's start.)
    const starting = !lease.everOwned && (this.spec.kcl.version === 3 || t < kclTakerIntervalMs(this.spec.lease.failover / MICROS_PER_MS) * MICROS_PER_MS);
    let position: number;
    if (lease.checkpoint !== null) position = lease.checkpoint;
    // A child shard is read from its first record: its parents' records came before it (KCL reads children at
    // TRIM_HORIZON whatever the initial position).
    else if (lease.parents.length > 0) position = log.trimHorizon(t - s.ctx.stream.retention);
    else if (this.spec.initialPosition === "LATEST") position = starting ? s.consumed[shard]! : log.endSeq;
    else position = log.trimHorizon(t - s.ctx.stream.retention);
    lease.everOwned = true;
    // Starting past records never processed (LATEST) skips them — unless a previous owner still works on the
    // shard: it keeps reading and processing until it notices it lost the lease, and what it has not reached
    // by then is skipped when it stops (kill).
    const previousOwnerWorking = [...s.live[shard]!].some((other) => other.worker !== w);
    if (!previousOwnerWorking) s.giveUp(shard, s.consumed[shard]!, position, "skipped", t);
    const session: Session = {
      worker: w,
      shard,
      alive: true,
      position,
      start: position,
      cache: [],
      processing: false,
      queued: false,
      busyFetching: false,
      waitingForRoom: false,
      lastDelivery: t,
      throttleStreak: 0,
      lastCheckpointAt: t,
      sinceCheckpoint: 0,
      efo: null,
      lane: null,
      awaiting: null,
      durable: null,
      draining: false,
    };
    this.processors.attachSink(session);
    w.sessions.set(shard, session);
    s.live[shard]!.add(session);
    // BlockOnParentShardTask: a child's record processor waits until its parents are finished, checking every
    // parentShardPollIntervalMillis (10 s).
    const begin = (now: Micros) => {
      if (!session.alive) return;
      if (s.parentsDone(lease)) this.reader.begin(session, now);
      else s.ctx.sim.scheduleAt(now + KCL_PARENT_SHARD_POLL_MS * MICROS_PER_MS, begin);
    };
    begin(t);
  }

  /**
   * A record processor read its closed shard to the end: once every record it fetched is processed, it checkpoints
   * SHARD_END, the lease leaves the table and the children's leases are created (checked every 100 ms).
   */
  private shardEnd(session: Session, t: Micros): void {
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
    };
    check(t);
  }

  kill(session: Session, t: Micros): void {
    const s = this.s;
    const shard = session.shard;
    session.alive = false;
    session.lane?.close();
    const live = s.live[shard]!;
    live.delete(session);
    // The records between the processed position and where the remaining record processors started will never
    // be processed: skipped (a new owner started at LATEST past them while this one was still working).
    if (live.size === 0) return;
    let start = Infinity;
    for (const other of live) start = Math.min(start, other.start);
    if (start > s.consumed[shard]!) s.giveUp(shard, s.consumed[shard]!, start, "skipped", t);
  }

  // -------------------------------------------------------------------------------------------------------
  // Measurement and accounting.

  /** Records given up, or processed out of order, that processing has not reached yet. */
  pendingGaps() {
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
    else if (this.spec.initialPosition === "TRIM_HORIZON") seq = 0;
    return s.sessionsNeed(shard, seq);
  }

  /** At the end of the run: records past retention that were never processed expired; the rest still waiting are censored. */
  finish(end: Micros): void {
    this.s.finish(end);
  }

  /** The lease-owner index of a KCL 3.x application (null for 2.x until it migrates). */
  get leaseOwnerIndex() {
    return this.s.index;
  }
  /** The separate worker metrics and coordinator state tables (metadataTables: separate), or null. */
  get metadataTables() {
    const s = this.s;
    return s.metricsTable && s.metricsTable !== s.table ? { metrics: s.metricsTable, coordinator: s.coordinatorTable! } : null;
  }
  /** When a kcl-migration event started the migration (µs), or null. */
  get migratedAt(): Micros | null {
    return this.migrationAt;
  }
  /** The indexes of the running workers, in order. */
  aliveWorkerIndexes(): number[] {
    return this.s.workers.filter((w) => w.alive).map((w) => w.index);
  }

  /** Leases held by each running worker at the end (workers that crashed and were replaced are left out). */
  leasesPerWorker(): number[] {
    return this.s.workers.filter((w) => w.alive).map((w) => [...w.sessions.keys()].filter((shard) => this.s.leaseOf[shard]?.owner === w.index).length);
  }

  aliveWorkers(): number {
    return this.s.workers.filter((w) => w.alive).length;
  }
}
