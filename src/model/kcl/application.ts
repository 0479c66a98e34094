// A Kinesis Client Library application: workers sharing the stream's shards through leases in a DynamoDB
// table, one record processor per leased shard (KCL 2.x defaults: docs/limits.md). Its wings:
// - leaseTaker.ts: lease renewal, taking and stealing (KCL 2.x), and the start-up race for the leases;
// - leaseAssignment.ts: KCL 3.x lease management (the leader's assignment, discovery, graceful handoff, migration);
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
import type { KclAppSpec } from "../../spec/index.js";
import { DynamoTable } from "../dynamodb/table.js";
import { ConsumerApp } from "./consumerApp.js";
import { LeaseAssignment } from "./leaseAssignment.js";
import { LeaseTaker, type LeaseHolder } from "./leaseTaker.js";
import { newSession, newWorker, START, START_FROM, type ConsumerContext, type Lease, type ReadPlan, type StartFrom, type Worker } from "./state.js";

export type { ConsumerContext, ConsumerStats } from "./state.js";

/** A KCL application's settings as the shared wings read them. */
export function kclReadPlan(spec: KclAppSpec): ReadPlan {
  const p = spec.prefetch;
  return {
    workers: spec.workers,
    poll:
      spec.kind === "kcl"
        ? {
            interval: spec.poll.interval,
            emptyInterval: spec.poll.interval,
            from: "response",
            maxRecords: spec.poll.maxRecords,
            latency: spec.poll.latency,
            retry: { ...spec.poll.retry, factor: 2, jitter: "equal", exhaustedWait: spec.poll.interval },
          }
        : null,
    propagation: spec.kind === "fanout" ? spec.propagation : null,
    // Fan-out applies the cache's batch limit only.
    prefetch: spec.kind === "kcl" ? p : { batches: p.batches, records: Infinity, bytes: Infinity },
    sequential: false,
    processing: spec.processing,
    checkpoint: spec.checkpoint,
  };
}

export class KclApplication extends ConsumerApp implements LeaseHolder {
  private readonly leaseTaker: LeaseTaker;
  /** KCL 3.x lease management (idle for a 2.x application unless it migrates). */
  readonly assignment: LeaseAssignment;
  /** Workers stopped by a crash and not yet restarted. */
  private stopped = 0;
  private migrationAt: Micros | null = null;

  constructor(
    readonly spec: KclAppSpec,
    ctx: ConsumerContext,
  ) {
    const table = new DynamoTable(spec.leaseTable, ctx.duration, ctx.resolution, ctx.warmup);
    super(spec.name, kclReadPlan(spec), ctx, table, spec.initialPosition);
    this.leaseTaker = new LeaseTaker(this.s, this, spec.lease, table);
    this.assignment = new LeaseAssignment(this.s, this, spec, table);
  }

  get kind(): KclAppSpec["kind"] {
    return this.spec.kind;
  }
  get workers(): number {
    return this.spec.workers;
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
      const w: Worker = newWorker(this.s.workers.length, 2, now);
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
      this.assignment.workerStopped(w, t);
      w.alive = false;
      w.generation++;
      for (const session of w.sessions.values()) {
        this.processors.crashed(session, t);
        this.kill(session, t);
      }
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
      const w: Worker = newWorker(this.s.workers.length, 2, now);
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
    let from: StartFrom = START_FROM.trimHorizon;
    if (lease.checkpoint !== null) {
      position = lease.checkpoint;
      from = START_FROM.checkpoint;
    }
    // A child shard is read from its first record: its parents' records came before it (KCL reads children at
    // TRIM_HORIZON whatever the initial position).
    else if (lease.parents.length > 0) position = log.trimHorizon(t - s.ctx.stream.retention);
    else if (this.initialPosition === "LATEST") {
      position = starting ? s.consumed[shard]! : log.endSeq;
      from = START_FROM.latest;
    } else position = log.trimHorizon(t - s.ctx.stream.retention);
    lease.everOwned = true;
    // Starting past records never processed (LATEST) skips them — unless a previous owner still works on the
    // shard: it keeps reading and processing until it notices it lost the lease, and what it has not reached
    // by then is skipped when it stops (kill).
    const previousOwnerWorking = [...s.live[shard]!].some((other) => other.worker !== w);
    // What it processes again or skips was lost when the previous owner stopped (a crash, maybe long before a restarted
    // worker takes the lease), or, while that one still works, by this start.
    const origin = { lostAt: previousOwnerWorking || s.endedAt[shard]! < 0 ? t : s.endedAt[shard]!, from, workerStartedAt: w.startedAt };
    if (!previousOwnerWorking) s.giveUp(shard, s.consumed[shard]!, position, "skipped", t, origin);
    const session = newSession(w, shard, position, t);
    session.origin = origin;
    session.cause = lease.nextStart;
    lease.nextStart = START.other;
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

  // -------------------------------------------------------------------------------------------------------
  // Measurement.

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
