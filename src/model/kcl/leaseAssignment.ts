// KCL 3.x lease management (amazon-kinesis-client 3.5.1: DynamoDBLeaseCoordinator, DynamoDBLeaseRenewer,
// DynamoDBLeaseDiscoverer, LeaseAssignmentManager, DynamoDBLockBasedLeaderDecider, WorkerMetricStatsReporter,
// LeaseGracefulShutdownHandler; numbers in src/aws/limits.ts). Each worker:
// - renews the leases it holds every failover/3 − 25 ms (1 WCU each), writing each lease's throughput (an EMA of the
//   bytes its record processor took since the last renewal); a renewal that finds its lease handed to another worker
//   with itself as checkpointOwner (a graceful handoff) starts the record processor's shutdown;
// - reports its metrics (its CPU: processing time over its vCPUs since the last report, at most 100 %) every
//   workerMetricsReporterFreqInMillis, the first 2 s after it starts: a write to the worker metrics item;
// - every leaseAssignmentInterval / 2 − 25 ms queries the lease-owner index (KEYS_ONLY) for the leases assigned to
//   it, reads each new one (GetItem), and starts a record processor for it unless its handoff is still pending;
// - every leaseAssignmentInterval asks whether it is the leader (a consistent read of the leader lock, at most
//   every heartbeat period while it is not): the lock is taken by the first worker that finds it free or expired
//   (120 s after the last heartbeat of a leader that stopped); the leader heartbeats every 30 s (a write).
// The leader's run scans the lease table (and the worker metrics), tracks each lease's counter between its runs (a
// lease whose counter has not moved for failoverTime is expired), decides (assignmentDecider.ts) and writes each
// assignment: a conditional write, plus the index's 2 writes for the owner change (1 for a lease that had none).
// A lease moved from a running worker is handed off gracefully (on by default): the leader sets the new owner and
// the old owner as checkpointOwner; the old owner's record processor finishes its batch, checkpoints where it got
// to and releases the lease (zero records processed again; with a sink, the checkpoint is at the last record written,
// and its new owner processes again what the old owner's buffer held); past gracefulLeaseHandoffTimeoutMillis it releases
// the lease without a checkpoint, as the leader does once the pending checkpoint's own timeout has passed. With
// isGracefulLeaseHandoffEnabled false the leader assigns the lease at once (assignLease): the old owner finds it gone
// at its next renewal, and its new owner starts from the last checkpoint and processes again what came after it. A
// worker that crashes still leaves its leases to expire: their next owner starts from their last checkpoint too.
//
// Migration (a `kcl-migration` event on a 2.x application, compatible mode): workers keep the 2.x taker while they
// report metrics and DynamoDB builds the lease-owner index; the leader checks every minute that the index is active
// and that every lease owner has reported within 2 reports, flips the fleet to 3.x once that has held for 10
// minutes, and each worker switches when its version monitor next looks (every minute, the first after 1 to 1.5).

import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import type { RandomStream } from "../../engine/random.js";
import {
  DYNAMODB_GSI_WRITES_ON_KEY_CHANGE,
  DYNAMODB_RCU_BYTES,
  KCL3_ASSIGNMENT_INTERVAL_FAILOVERS,
  KCL3_CPU_OPERATING_RANGE_PERCENT,
  KCL3_DEFAULT_WORKER_VCPUS,
  KCL3_DISPATCH_POLL_MS,
  KCL3_HANDOFF_CHECK_MS,
  KCL3_LEASE_THROUGHPUT_EMA_ALPHA,
  KCL3_METRICS_CAPTURE_MS,
  KCL3_METRICS_EXPIRY_REPORTS,
  KCL3_MIGRATION_MONITOR_MS,
  KCL3_MIGRATION_STABILIZE_MS,
  KCL3_VERSION_MONITOR_JITTER,
  kclLeaseDiscoveryIntervalMs,
  kclRenewIntervalMs,
  LEASE_ITEM_BYTES,
  LEASE_OWNER_INDEX_ITEM_BYTES,
  LEASE_WRITE_UNITS,
  WORKER_METRICS_ITEM_BYTES,
} from "../../aws/limits.js";
import { decideAssignments, type DeciderLease, type DeciderWorker } from "./assignmentDecider.js";
import type { KclAppSpec } from "../../spec/index.js";
import type { DynamoTable } from "../dynamodb/table.js";
import type { LeaseHolder } from "./leaseTaker.js";
import { shuffle, START, type KclState, type Lease, type Session, type Worker } from "./state.js";
import { checkpointedAt, handoffPosition } from "./recordProcessor.js";

/** What the leader remembers of a lease between its runs (LeaseAssignmentManager.prevRunLeasesState). */
interface Seen {
  counter: number;
  lastIncrement: Micros;
  owners: string;
  /** When a pending handoff may be overridden (checkpointOwnerTimeoutTimestampMillis); null when none is pending. */
  handoffDeadline: Micros | null;
}

/** A worker's leader decider and assignment manager state. */
interface LamState {
  lastCheck: Micros;
  lastResult: boolean;
  tookOver: boolean;
  runCounter: number;
  seen: Map<Lease, Seen>;
}

/** A worker whose latest report is the lowest or highest of the fleet's. */
interface Extreme {
  w: Worker;
  value: number;
}

/** Worker utilisation as reported, for the result: per worker, and the spread over the fleet. */
export interface UtilisationStats {
  /** Per worker index: the sum and count of its reports after warmup (%). */
  sum: number[];
  count: number[];
  /** The spread (highest − lowest latest report over the running workers that reported), at each report after warmup. */
  spreadSum: number;
  spreadCount: number;
  /** Highest spread per series step (%). */
  spreadSeries: Float64Array;
}

/** Reads of `bytes` at 4 KB per read unit; eventually consistent at half price; at least one unit (half). */
export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / DYNAMODB_RCU_BYTES));
  return consistent ? units : units / 2;
}

export class LeaseAssignment {
  private readonly failover: Micros;
  private readonly renewInterval: Micros;
  readonly assignmentInterval: Micros;
  readonly discoveryInterval: Micros;
  private readonly reportInterval: Micros;
  private readonly handoffTimeout: Micros;
  private readonly leaderLease: Micros;
  private readonly heartbeat: Micros;
  private readonly vcpus: number;
  private readonly rng: RandomStream;
  private leader: Worker | null = null;
  private lockHeartbeatAt: Micros = -Infinity;
  /**
   * Each time the worker holding the leader lock stopped (a crash: a stopped KCL worker does not release the lock, so it
   * stays held until it expires, the lock's lease after its last heartbeat): when, when the lock expired, and when
   * another worker took it (null: none by the end). Few: one per crash of a leader.
   */
  readonly leaderLosses: { lostAt: Micros; lockExpiresAt: Micros; lockLease: Micros; takenAt: Micros | null }[] = [];
  private readonly lam = new Map<Worker, LamState>();
  /** Per worker: its reports in memory (the item holds what the last successful write carried). */
  private readonly memory = new Map<Worker, number[]>();
  /** When each worker's current metrics window began. */
  private readonly windowStart = new Map<Worker, Micros>();
  /** The running worker with the lowest latest report, and the one with the highest (null: to be found again). */
  private lowest: Extreme | null = null;
  private highest: Extreme | null = null;
  readonly utilisation: UtilisationStats;
  // Migration (compatible mode) state.
  mode: 2 | "compatible" | 3;
  private indexActiveAt: Micros = Infinity;
  /** Per worker, its ready monitor's stabilizer: since when it has found the fleet ready (only a leader looks). */
  private readonly readySince = new Map<Worker, Micros>();
  private flipped = false;
  /** When the leader flipped the fleet to 3.x, and when the last worker switched (µs); null before. */
  flippedAt: Micros | null = null;
  allSwitchedAt: Micros | null = null;

  constructor(
    private readonly s: KclState,
    private readonly holder: LeaseHolder,
    /** The application's settings (lease management is a KCL application's alone). */
    private readonly spec: KclAppSpec,
    /** Its lease table. */
    private readonly table: DynamoTable,
  ) {
    const { lease, kcl, processing } = spec;
    this.failover = lease.failover;
    this.renewInterval = kclRenewIntervalMs(lease.failover / MICROS_PER_MS) * MICROS_PER_MS;
    this.assignmentInterval = kcl.leaseAssignmentIntervalMillis ?? KCL3_ASSIGNMENT_INTERVAL_FAILOVERS * lease.failover;
    this.discoveryInterval = kclLeaseDiscoveryIntervalMs(this.assignmentInterval / MICROS_PER_MS) * MICROS_PER_MS;
    this.reportInterval = kcl.workerUtilizationAwareAssignmentConfig.workerMetricsReporterFreqInMillis;
    this.handoffTimeout = kcl.gracefulLeaseHandoffConfig.gracefulLeaseHandoffTimeoutMillis;
    this.leaderLease = kcl.dynamoDbLockBasedLeaderLeaseDurationInMillis;
    this.heartbeat = kcl.dynamoDbLockBasedLeaderHeartbeatPeriodInMillis;
    this.vcpus = kcl.workerVcpus ?? processing.concurrency ?? KCL3_DEFAULT_WORKER_VCPUS;
    this.rng = s.ctx.rng.fork("assignment");
    this.mode = kcl.version === 3 ? 3 : 2;
    this.utilisation = { sum: [], count: [], spreadSum: 0, spreadCount: 0, spreadSeries: new Float64Array(s.activity.points) };
    if (kcl.version === 3) s.openV3Tables(spec);
  }

  private alive(w: Worker, gen: number): boolean {
    return w.alive && w.generation === gen;
  }

  /** A worker stopped at `t` (a crash): when it held the leader lock, the lock stays held until it expires. */
  workerStopped(w: Worker, t: Micros): void {
    if (w === this.leader && this.mode !== 2) this.leaderLosses.push({ lostAt: t, lockExpiresAt: this.lockHeartbeatAt + this.leaderLease, lockLease: this.leaderLease, takenAt: null });
  }

  /** A worker starts (at the application's start, or later): its timers for the mode the application is in. */
  startWorker(w: Worker, now: Micros): void {
    if (this.mode === 2) return;
    this.startReporter(w, now);
    if (this.mode === "compatible") this.startMigrationMonitors(w, now);
    else this.startV3(w, now);
  }

  /** The 3.x timers: renewer, lease discovery, leader decider and assignment. */
  private startV3(w: Worker, now: Micros): void {
    w.leaseMode = 3;
    const { sim } = this.s.ctx;
    const gen = w.generation;
    const on = () => this.alive(w, gen) && w.leaseMode === 3;
    const renewAt = now + Math.floor(this.rng.uniform() * this.renewInterval);
    const startAt = now + Math.floor(this.rng.uniform() * 1_000_000);
    const renew = (t: Micros) => {
      if (!on()) return;
      this.renew(w, t);
      sim.scheduleAt(t + this.renewInterval, renew);
    };
    const discover = (t: Micros) => {
      if (!on()) return;
      this.discover(w, t);
      sim.scheduleAt(t + this.discoveryInterval, discover);
    };
    const assign = (t: Micros) => {
      if (!on()) return;
      this.runAssignment(w, t);
      sim.scheduleAt(t + this.assignmentInterval, assign);
    };
    sim.scheduleAt(renewAt, renew);
    sim.scheduleAt(startAt, discover);
    sim.scheduleAt(startAt, assign);
  }

  // -------------------------------------------------------------------------------------------------------
  // Renewals and graceful handoff (the old owner's side).

  private renew(w: Worker, t: Micros): void {
    const s = this.s;
    for (const [shard, session] of [...w.sessions]) {
      const lease = s.leaseOf[shard];
      if (!lease || lease.finished) continue;
      if (lease.checkpointOwner === w.index) {
        // The renewal's condition (no checkpointOwner) fails; the renewer reads the shutdown request and renews without it.
        if (!session.draining) {
          this.table.write(t, LEASE_WRITE_UNITS);
          this.requestShutdown(w, session, lease, t);
        }
      } else if (lease.owner !== w.index) {
        this.stop(w, shard, t); // assigned to another worker: the conditional renewal fails
        continue;
      }
      if (t - lease.lastRenewal > this.failover) {
        this.stop(w, shard, t);
        s.counts.leasesLost.add(t);
        // The next owner starts because this one lost the lease, unless it is already handed off to another (a graceful
        // handoff's old owner whose renewals failed past the failover time: its next owner starts after the rebalance).
        if (lease.owner === w.index && lease.checkpointOwner === null) lease.nextStart = START.lost;
        continue;
      }
      const ok = this.table.write(t, LEASE_WRITE_UNITS);
      s.counts.renewals.add(t);
      if (!ok) {
        s.counts.renewalsThrottled.add(t);
        continue;
      }
      lease.lastRenewal = t;
      lease.counter++;
      const kbps = lease.bytesSinceRenewal / 1024 / (this.renewInterval / 1_000_000);
      lease.throughputKBps = lease.throughputKBps === null ? kbps : KCL3_LEASE_THROUGHPUT_EMA_ALPHA * kbps + (1 - KCL3_LEASE_THROUGHPUT_EMA_ALPHA) * lease.throughputKBps;
      lease.bytesSinceRenewal = 0;
    }
  }

  /**
   * The record processor of a lease being handed off stops taking batches; once its batch in progress is done (the
   * scheduler looks every second) it checkpoints where it got to and the lease goes to its new owner. If that takes
   * past the timeout (checked every 2 s), the lease is released without a checkpoint.
   */
  private requestShutdown(w: Worker, session: Session, lease: Lease, t: Micros): void {
    const s = this.s;
    const gen = w.generation;
    session.draining = true;
    const check = KCL3_HANDOFF_CHECK_MS * MICROS_PER_MS;
    const deadline = Math.ceil((t + this.handoffTimeout) / check) * check;
    const look = (now: Micros) => {
      if (!this.alive(w, gen) || !session.alive || lease.checkpointOwner !== w.index) return;
      if (!session.processing && !session.lane?.flushing) {
        // ShutdownNotificationTask: the record processor's shutdownRequested(checkpointer) runs once its batch (and, with
        // a sink, the flush it waits for) is done; the application checkpoints there, then the lease is transferred
        // (LeaseGracefulShutdownHandler.attemptLeaseTransfer). KCL checkpoints nothing itself: where the checkpoint
        // goes is the application's, at the last record processed, or with a sink at the last record written
        // (handoffPosition): what its buffer still holds the next owner reads again.
        if (this.table.write(now, LEASE_WRITE_UNITS)) {
          s.counts.checkpoints.add(now);
          const position = handoffPosition(session, s.consumed[lease.shard]!);
          if (position !== null) {
            lease.checkpoint = Math.max(lease.checkpoint ?? 0, position);
            checkpointedAt(session, lease.checkpoint);
          }
          this.release(w, session, lease, now);
          s.counts.handoffs.add(now);
          return;
        }
        s.counts.checkpointsThrottled.add(now);
      }
      if (now >= deadline) {
        // LeaseGracefulShutdownHandler: past the timeout the lease is transferred as it is (assignLease).
        if (this.table.write(now, LEASE_WRITE_UNITS)) {
          this.release(w, session, lease, now);
          s.counts.handoffsTimedOut.add(now);
          return;
        }
      }
      s.ctx.sim.scheduleAt(Math.min(now + KCL3_DISPATCH_POLL_MS * MICROS_PER_MS, Math.max(deadline, now + 1)), look);
    };
    look(t);
  }

  /** The old owner lets the lease go: checkpointOwner cleared, the counter moves, its record processor stops. */
  private release(w: Worker, session: Session, lease: Lease, t: Micros): void {
    lease.checkpointOwner = null;
    lease.counter++;
    this.holder.kill(session, t);
    w.sessions.delete(lease.shard);
  }

  private stop(w: Worker, shard: number, t: Micros): void {
    const session = w.sessions.get(shard);
    if (session) this.holder.kill(session, t);
    w.sessions.delete(shard);
  }

  // -------------------------------------------------------------------------------------------------------
  // Lease discovery (the new owner's side).

  private discover(w: Worker, t: Micros): void {
    const s = this.s;
    // The index's query: the leases it owns, in the table's order (kept by the application's LeaseBook, not a scan).
    const mine = s.book.ownedBy(w.index);
    s.counts.discoveryQueries.add(t);
    if (!s.index!.read(t, readUnits(mine.length * LEASE_OWNER_INDEX_ITEM_BYTES, false))) {
      s.counts.discoveryThrottled.add(t);
      // Throttled while it owned a lease it had not started (one the query would have found).
      if (mine.some((lease) => !w.sessions.has(lease.shard) && !lease.finished && lease.checkpointOwner === null)) s.counts.discoveryThrottledWaiting.add(t);
      return;
    }
    for (const lease of mine) {
      if (w.sessions.has(lease.shard) || lease.finished) continue;
      // GetItem of the lease (eventually consistent, as consistentReads defaults to false).
      if (!this.table.read(t, readUnits(LEASE_ITEM_BYTES, false))) continue;
      if (lease.checkpointOwner !== null) continue; // its handoff is still pending
      lease.lastRenewal = t;
      s.counts.leasesDiscovered.add(t);
      this.holder.startSession(w, lease, t);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Worker metrics.

  private startReporter(w: Worker, now: Micros): void {
    const { sim } = this.s.ctx;
    const gen = w.generation;
    this.windowStart.set(w, now);
    w.busyMicros = 0;
    const report = (t: Micros) => {
      if (!this.alive(w, gen)) return;
      this.report(w, t);
      sim.scheduleAt(t + this.reportInterval, report);
    };
    sim.scheduleAt(now + 2 * KCL3_METRICS_CAPTURE_MS * MICROS_PER_MS, report);
  }

  /** The average CPU since the last report goes into the worker's metrics item (the last N reports). */
  private report(w: Worker, t: Micros): void {
    const s = this.s;
    const window = t - this.windowStart.get(w)!;
    this.windowStart.set(w, t);
    const cpu = Math.min(100, this.spec.kcl.idleCpuPercent + (window > 0 ? (100 * w.busyMicros) / (this.vcpus * window) : 0));
    w.busyMicros = 0;
    const memory = this.memory.get(w) ?? [];
    memory.push(cpu);
    if (memory.length > this.spec.kcl.workerUtilizationAwareAssignmentConfig.noOfPersistedMetricsPerWorkerMetrics) memory.shift();
    this.memory.set(w, memory);
    s.counts.metricsReports.add(t);
    if (s.metricsTable!.write(t, Math.ceil(WORKER_METRICS_ITEM_BYTES / 1024))) {
      w.reports = [...memory];
      w.reportedAt = t;
    } else s.counts.metricsReportsThrottled.add(t);
    this.observeUtilisation(w, cpu, t);
  }

  private observeUtilisation(w: Worker, cpu: number, t: Micros): void {
    const u = this.utilisation;
    this.latestChanged(w, cpu);
    if (t < this.s.ctx.warmup) return;
    u.sum[w.index] = (u.sum[w.index] ?? 0) + cpu;
    u.count[w.index] = (u.count[w.index] ?? 0) + 1;
    if (this.lowest === null || this.highest === null || !this.lowest.w.alive || !this.highest.w.alive) this.findExtremes();
    const spread = (this.highest?.value ?? -Infinity) - (this.lowest?.value ?? Infinity);
    u.spreadSum += spread;
    u.spreadCount++;
    const bucket = this.s.activity.bucketOf(t);
    if (spread > u.spreadSeries[bucket]!) u.spreadSeries[bucket] = spread;
  }

  /**
   * A worker's latest report is now `value`: the lowest and highest latest reports of the running workers follow it
   * (found again by a pass over the workers only when the worker that held one of them moves away from it).
   */
  private latestChanged(w: Worker, value: number): void {
    const lo = this.lowest;
    const hi = this.highest;
    if (lo === null || hi === null || (lo.w === w && value > lo.value) || (hi.w === w && value < hi.value)) {
      this.lowest = this.highest = null;
      return;
    }
    if (value < lo.value) this.lowest = { w, value };
    else if (lo.w === w) lo.value = value;
    if (value > hi.value) this.highest = { w, value };
    else if (hi.w === w) hi.value = value;
  }

  /** The lowest and highest latest reports over the running workers that reported (null when none has). */
  private findExtremes(): void {
    let lo: Extreme | null = null;
    let hi: Extreme | null = null;
    for (const x of this.s.workers) {
      const m = this.memory.get(x);
      if (!x.alive || !m || m.length === 0) continue;
      const value = m[m.length - 1]!;
      if (lo === null || value < lo.value) lo = { w: x, value };
      if (hi === null || value > hi.value) hi = { w: x, value };
    }
    this.lowest = lo;
    this.highest = hi;
  }

  /** The latest report of each running worker (%), in worker order; null for one that has not reported. */
  latestUtilisation(): (number | null)[] {
    return this.s.workers.filter((w) => w.alive).map((w) => this.memory.get(w)?.at(-1) ?? null);
  }

  // -------------------------------------------------------------------------------------------------------
  // Leader election (DynamoDBLockBasedLeaderDecider over the coordinator state's leader lock).

  private lamState(w: Worker): LamState {
    let st = this.lam.get(w);
    if (!st) {
      st = { lastCheck: -Infinity, lastResult: false, tookOver: false, runCounter: 0, seen: new Map() };
      this.lam.set(w, st);
    }
    return st;
  }

  private isLeader(w: Worker, t: Micros): boolean {
    const s = this.s;
    const st = this.lamState(w);
    if (!st.lastResult && st.lastCheck + this.heartbeat > t) return false;
    st.lastCheck = t;
    // getLock: a consistent read of the lock item.
    if (!s.coordinatorTable!.read(t, readUnits(LEASE_ITEM_BYTES, true))) return (st.lastResult = false);
    // The lock is free when no one took it, or its holder's last heartbeat is older than the lock's lease.
    if (this.leader === null || t - this.lockHeartbeatAt > this.leaderLease) {
      if (!s.coordinatorTable!.write(t, LEASE_WRITE_UNITS)) return (st.lastResult = false);
      if (this.leader !== w) {
        s.counts.leaderChanges.add(t);
        const lost = this.leaderLosses.at(-1);
        if (lost && lost.takenAt === null) lost.takenAt = t;
      }
      this.leader = w;
      this.lockHeartbeatAt = t;
      this.startHeartbeat(w, t);
      return (st.lastResult = true);
    }
    return (st.lastResult = this.leader === w);
  }

  private startHeartbeat(w: Worker, now: Micros): void {
    const gen = w.generation;
    const beat = (t: Micros) => {
      if (!this.alive(w, gen) || this.leader !== w) return;
      if (this.s.coordinatorTable!.write(t, LEASE_WRITE_UNITS)) this.lockHeartbeatAt = t;
      this.s.ctx.sim.scheduleAt(t + this.heartbeat, beat);
    };
    this.s.ctx.sim.scheduleAt(now + this.heartbeat, beat);
  }

  // -------------------------------------------------------------------------------------------------------
  // The leader's assignment run (LeaseAssignmentManager.performAssignment).

  private runAssignment(w: Worker, t: Micros): void {
    const s = this.s;
    const st = this.lamState(w);
    if (!this.isLeader(w, t)) {
      st.tookOver = false;
      return;
    }
    if (!st.tookOver) {
      st.tookOver = true;
      st.runCounter = 0;
      st.seen.clear();
    }
    s.counts.assignmentRuns.add(t);
    // Load: a scan of the lease table (with the worker metrics items in the single-table format), and of the worker
    // metrics table when it is separate.
    const metricItems = s.workers.filter((x) => x.reportedAt > -Infinity).length;
    const separate = s.metricsTable !== this.table;
    const leaseBytes = s.leases.length * LEASE_ITEM_BYTES + (separate ? 0 : metricItems * WORKER_METRICS_ITEM_BYTES);
    if (!this.table.read(t, readUnits(leaseBytes, false)) || (separate && !s.metricsTable!.read(t, readUnits(metricItems * WORKER_METRICS_ITEM_BYTES, false)))) {
      s.counts.assignmentRunsThrottled.add(t);
      // Throttled while a lease waited for the leader: unowned, or owned by a worker that is not running.
      if (s.leases.some((lease) => !lease.finished && (lease.owner < 0 || !s.workers[lease.owner]!.alive))) s.counts.assignmentRunsThrottledWaiting.add(t);
      return;
    }
    const views: DeciderLease[] = [];
    const viewOf = new Map<number, DeciderLease>();
    const seen = new Map<Lease, Seen>();
    for (const lease of s.leases) {
      const actual = lease.checkpointOwner ?? (lease.owner >= 0 ? lease.owner : null);
      const owners = `${lease.owner}/${lease.checkpointOwner}`;
      const prev = st.seen.get(lease);
      const lastIncrement = prev === undefined ? (actual === null ? 0 : t) : lease.counter > prev.counter ? t : prev.lastIncrement;
      let handoffDeadline: Micros | null = null;
      if (lease.checkpointOwner !== null) handoffDeadline = prev?.handoffDeadline != null && prev.owners === owners ? prev.handoffDeadline : t + this.handoffTimeout + this.failover;
      seen.set(lease, { counter: lease.counter, lastIncrement, owners, handoffDeadline });
      const expired = t - lastIncrement > this.failover;
      const view: DeciderLease = { shard: lease.shard, owner: actual, throughputKBps: lease.throughputKBps, expiredOrUnassigned: expired || actual === null, lastIncrement, pendingShutdown: lease.checkpointOwner !== null };
      views.push(view);
      viewOf.set(lease.shard, view);
    }
    st.seen = seen;
    const expiry = KCL3_METRICS_EXPIRY_REPORTS * this.reportInterval;
    const throughputMetric = this.spec.kcl.workerMetric === "throughput";
    const workers: DeciderWorker[] = s.workers.filter((x) => x.reportedAt > -Infinity && t - x.reportedAt <= expiry).map((x) => ({ id: x.index, reports: x.reports, throughputMetric }));
    const cfg = this.spec.kcl.workerUtilizationAwareAssignmentConfig;
    const balance = st.runCounter === 0;
    st.runCounter = (st.runCounter + 1) % cfg.varianceBalancingFrequency;
    const decided = decideAssignments(
      views,
      workers,
      {
        reBalanceThresholdPercentage: cfg.reBalanceThresholdPercentage,
        dampeningPercentage: cfg.dampeningPercentage,
        allowThroughputOvershoot: cfg.allowThroughputOvershoot,
        workerMetricsEMAAlpha: cfg.workerMetricsEMAAlpha,
        maxLeasesForWorker: this.spec.lease.maxLeasesForWorker ?? Infinity,
        balance,
        operatingMax: KCL3_CPU_OPERATING_RANGE_PERCENT,
      },
      (a) => shuffle(a, this.rng),
    );
    // parallelyAssignLeases: a graceful handoff when isGracefulLeaseHandoffEnabled and the lease is eligible (not
    // expired or unassigned, no handoff pending), otherwise assignLease (a new owner at once, the counter moved).
    const graceful = this.spec.kcl.gracefulLeaseHandoffConfig.isGracefulLeaseHandoffEnabled;
    for (const [shard, to] of decided) {
      const lease = s.leaseOf[shard]!;
      const v = viewOf.get(shard)!;
      const deadline = seen.get(lease)!.handoffDeadline;
      // A lease whose handoff is pending and not yet past its deadline waits (blockedOnPendingCheckpoint).
      if (!v.expiredOrUnassigned && lease.checkpointOwner !== null && deadline !== null && t < deadline) continue;
      if (!this.table.write(t, LEASE_WRITE_UNITS)) continue;
      s.index!.write(t, lease.owner < 0 ? 1 : DYNAMODB_GSI_WRITES_ON_KEY_CHANGE);
      lease.nextStart = v.expiredOrUnassigned ? (v.owner === null ? START.other : START.expired) : START.rebalanced;
      if (v.expiredOrUnassigned) (v.owner === null ? s.counts.assignedNew : s.counts.assignedExpired).add(t);
      else if (lease.checkpointOwner !== null) {
        // A handoff pending past the leader's timeout for it (checkpointOwnerTimeoutTimestampMillis): the lease goes as
        // it is, without the old owner's checkpoint. The handoff's start counted the lease as rebalanced.
        s.counts.handoffsTimedOut.add(t);
      } else {
        s.counts.assignedRebalance.add(t);
        if (!graceful) s.counts.handoffsDisabled.add(t);
      }
      if (graceful && !v.expiredOrUnassigned && lease.checkpointOwner === null) {
        // initiateGracefulLeaseHandoff: the counter does not move, so the old owner's renewals go on.
        lease.checkpointOwner = lease.owner;
        lease.owner = to;
      } else {
        lease.owner = to;
        lease.checkpointOwner = null;
        lease.counter++;
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Migration from 2.x (compatible mode).

  /** The 2.x application is redeployed as 3.x in compatible mode at `t`. */
  migrate(t: Micros, indexActiveAfter: Micros): void {
    if (this.mode !== 2) return;
    this.s.openV3Tables(this.spec);
    this.mode = "compatible";
    this.indexActiveAt = t + indexActiveAfter;
    for (const w of this.s.workers) if (w.alive) this.startWorker(w, t);
  }

  /** A 2.x taker writes a new owner: the index has its 2 writes once it exists. */
  ownerChanged(t: Micros, hadOwner: boolean): void {
    if (this.s.index && this.mode !== 2) this.s.index.write(t, hadOwner ? DYNAMODB_GSI_WRITES_ON_KEY_CHANGE : 1);
  }

  private startMigrationMonitors(w: Worker, now: Micros): void {
    const { sim } = this.s.ctx;
    const gen = w.generation;
    const interval = KCL3_MIGRATION_MONITOR_MS * MICROS_PER_MS;
    const ready = (t: Micros) => {
      if (!this.alive(w, gen) || this.flipped) return;
      this.readyCheck(w, t);
      sim.scheduleAt(t + interval, ready);
    };
    const version = (t: Micros) => {
      if (!this.alive(w, gen) || w.leaseMode === 3) return;
      // The coordinator state's migration item, a consistent read.
      const read = this.s.coordinatorTable!.read(t, readUnits(LEASE_ITEM_BYTES, true));
      if (read && this.flipped) this.switchWorker(w, t);
      else sim.scheduleAt(t + interval, version);
    };
    sim.scheduleAt(now + interval, ready);
    sim.scheduleAt(now + interval + Math.floor(this.rng.uniform() * KCL3_VERSION_MONITOR_JITTER * interval), version);
  }

  /** MigrationReadyMonitor on the leader: index active and every lease owner reporting, held for 10 minutes. */
  private readyCheck(w: Worker, t: Micros): void {
    const s = this.s;
    if (!this.isLeader(w, t)) {
      this.readySince.delete(w);
      return;
    }
    const metricItems = s.workers.filter((x) => x.reportedAt > -Infinity).length;
    const separate = s.metricsTable !== this.table;
    this.table.read(t, readUnits(s.leases.length * LEASE_ITEM_BYTES + (separate ? 0 : metricItems * WORKER_METRICS_ITEM_BYTES), false));
    if (separate) s.metricsTable!.read(t, readUnits(metricItems * WORKER_METRICS_ITEM_BYTES, false));
    const expiry = KCL3_METRICS_EXPIRY_REPORTS * this.reportInterval;
    const reporting = new Set(s.workers.filter((x) => t - x.reportedAt < expiry).map((x) => x.index));
    const ready = t >= this.indexActiveAt && s.leases.every((l) => l.owner < 0 || reporting.has(l.owner));
    if (!ready) {
      this.readySince.delete(w);
      return;
    }
    const since = this.readySince.get(w);
    if (since === undefined) this.readySince.set(w, t);
    else if (t - since >= KCL3_MIGRATION_STABILIZE_MS * MICROS_PER_MS) {
      s.coordinatorTable!.write(t, LEASE_WRITE_UNITS);
      this.flipped = true;
      this.flippedAt = t;
      this.switchWorker(w, t);
    }
  }

  private switchWorker(w: Worker, t: Micros): void {
    if (w.leaseMode === 3) return;
    this.startV3(w, t);
    if (this.s.workers.every((x) => !x.alive || x.leaseMode === 3)) {
      this.mode = 3;
      this.allSwitchedAt = t;
    }
  }
}
