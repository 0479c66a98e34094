// KCL 2.x lease coordination (DynamoDBLeaseCoordinator, DynamoDBLeaseRenewer, DynamoDBLeaseTaker in
// amazon-kinesis-client). Every renewInterval (failover/3 − 25 ms) a worker renews each lease it holds with a
// 1-WCU conditional write; a throttled renewal is retried at the next interval, and a lease not renewed within
// failoverTime is lost. A worker learns that a lease was stolen when its next renewal fails.
//
// Once when it starts, and then takerInterval ((failover + 25 ms) × 2) after each pass ends (a fixed delay), a
// worker's taker scans the table (RCU)
// and decides what to take from what the scan saw (DynamoDBLeaseTaker.computeLeasesToTake):
// - leases "very old" — never owned (a new, unowned lease counts as never renewed), or not renewed for
//   3 × failover — are taken with priority, disregarding the target, up to maxLeasesForWorker: so the first worker
//   to start takes every lease of a new application (or a restarted fleet) on its first pass;
// - otherwise, below its target ceil(leases / workers) (capped by maxLeasesForWorker), it takes expired leases, or
//   steals from the most loaded worker: min(needed, its excess, maxLeasesToStealAtOneTime), or one lease when
//   that worker is at the target and this one needs more than one.
// The takes are conditional writes, one after another (DYNAMODB_WRITE_LATENCY_MS apart), each expecting the
// lease counter the scan saw: a lease renewed, checkpointed or taken by another worker since the scan is not
// taken. Workers that start together race for the leases this way; the others steal one lease per taker interval.

import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import {
  DYNAMODB_RCU_BYTES,
  DYNAMODB_WRITE_LATENCY_MS,
  KCL_TAKE_RETRIES,
  KCL_VERY_OLD_LEASE_MULTIPLIER,
  kclRenewIntervalMs,
  kclTakerIntervalMs,
  LEASE_ITEM_BYTES,
  LEASE_WRITE_UNITS,
} from "../../aws/limits.js";
import type { KclAppSpec } from "../../spec/index.js";
import type { DynamoTable } from "../dynamodb/table.js";
import { shuffle, type KclState, type Lease, type Session, type Worker } from "./state.js";

/** What lease coordination asks of the application: start and stop record processors. */
export interface LeaseHolder {
  /** A worker now holds a lease: start its record processor for the shard. */
  startSession(w: Worker, lease: Lease, t: Micros): void;
  /** A record processor stops at once (its worker lost the lease, or crashed). */
  kill(session: Session, t: Micros): void;
  /** A take wrote a new owner (a migrating application's lease-owner index follows it). */
  ownerChanged?(t: Micros, hadOwner: boolean): void;
}

/** A lease a taker pass decided to take, with the counter its scan saw. */
interface Take {
  lease: Lease;
  counter: number;
  steal: boolean;
}

export class LeaseTaker {
  private readonly renewInterval: Micros;
  private readonly takerInterval: Micros;
  private readonly failover: Micros;
  private readonly veryOld: Micros;
  private readonly takeLatency: Micros = DYNAMODB_WRITE_LATENCY_MS * MICROS_PER_MS;
  /** A Scan reads every lease item: 4 KB per RCU, eventually consistent at half price. */
  private readonly scanUnits: number;

  constructor(
    private readonly s: KclState,
    private readonly holder: LeaseHolder,
    private readonly settings: KclAppSpec["lease"],
    private readonly table: DynamoTable,
  ) {
    const lease = settings;
    this.failover = lease.failover;
    this.veryOld = KCL_VERY_OLD_LEASE_MULTIPLIER * lease.failover;
    this.renewInterval = kclRenewIntervalMs(lease.failover / MICROS_PER_MS) * MICROS_PER_MS;
    this.takerInterval = kclTakerIntervalMs(lease.failover / MICROS_PER_MS) * MICROS_PER_MS;
    this.scanUnits = Math.max(0.5, Math.ceil((s.leases.length * LEASE_ITEM_BYTES) / DYNAMODB_RCU_BYTES) / 2);
    s.book.failover = this.failover;
  }

  /**
   * A worker's renewer and taker, from `now`. The taker's first pass runs as the worker starts, within a second
   * (workers started together are not started in the same millisecond; an assumption), then every takerInterval;
   * the renewer starts at a random phase within its interval.
   */
  startTimers(w: Worker, now: Micros): void {
    const { sim } = this.s.ctx;
    const rng = this.s.rngLeases;
    const gen = w.generation;
    const renewAt = now + Math.floor(rng.uniform() * this.renewInterval);
    const takeAt = now + Math.floor(rng.uniform() * 1_000_000);
    const renew = (t: Micros) => {
      if (!w.alive || w.generation !== gen || w.leaseMode !== 2) return;
      this.renew(w, t);
      sim.scheduleAt(t + this.renewInterval, renew);
    };
    // The taker runs with a fixed delay: the next pass starts takerInterval after this one's last take.
    const take = (t: Micros) => {
      if (!w.alive || w.generation !== gen || w.leaseMode !== 2) return;
      sim.scheduleAt(t + this.take(w, t) + this.takerInterval, take);
    };
    sim.scheduleAt(renewAt, renew);
    sim.scheduleAt(takeAt, take);
  }

  private renew(w: Worker, t: Micros): void {
    const s = this.s;
    const shards = [...w.sessions.keys()];
    shuffle(shards, s.rngLeases);
    for (const shard of shards) {
      const lease = s.leaseOf[shard];
      if (!lease || lease.finished) continue; // its shard ended: the session is closing
      if (lease.owner !== w.index) {
        this.stop(w, shard, t); // stolen: the conditional renewal fails
        continue;
      }
      if (t - lease.lastRenewal > this.failover) {
        this.stop(w, shard, t); // not renewed in time: lost
        s.counts.leasesLost.add(t);
        continue;
      }
      const ok = this.table.write(t, LEASE_WRITE_UNITS);
      s.counts.renewals.add(t);
      if (!ok) s.counts.renewalsThrottled.add(t);
      if (ok) {
        lease.lastRenewal = t;
        lease.counter++;
      }
    }
  }

  /** One taker pass: scan, decide (computeLeasesToTake), then take one lease after another. Returns its duration. */
  private take(w: Worker, t: Micros): Micros {
    const s = this.s;
    // The scan reads the whole table (the leases of the shards known and not finished).
    if (!this.table.read(t, Math.max(0.5, Math.ceil((s.leases.length * LEASE_ITEM_BYTES) / DYNAMODB_RCU_BYTES) / 2))) {
      s.counts.scansThrottled.add(t);
      return 0;
    }
    const takes = this.decide(w, t);
    const gen = w.generation;
    takes.forEach((x, i) => {
      const at = t + (i + 1) * this.takeLatency;
      s.ctx.sim.scheduleAt(at, (now) => {
        if (w.alive && w.generation === gen) this.takeLease(w, x, now);
      });
    });
    return takes.length * this.takeLatency;
  }

  /**
   * What a pass takes, from the table as its scan saw it at `t`. What the scan finds — the very old and the expired
   * leases, each worker's unexpired ones — is read from the application's LeaseBook, in the scan's order, so a pass
   * costs what it finds and decides rather than a visit of every lease.
   */
  private decide(w: Worker, t: Micros): Take[] {
    const s = this.s;
    const book = s.book;
    book.sync(t);
    const max = this.settings.maxLeasesForWorker ?? Infinity;
    const mine = book.freshCount(w.index);
    const snapshot = (lease: Lease, steal: boolean): Take => ({ lease, counter: lease.counter, steal });
    // Very old leases first, whatever the target, up to maxLeasesForWorker.
    const veryOld = book.renewedLongerAgo(this.veryOld);
    if (veryOld.length > 0) {
      shuffle(veryOld, s.rngLeases);
      return veryOld.slice(0, Math.max(0, Math.min(max - mine, veryOld.length))).map((l) => snapshot(l, false));
    }
    // The workers holding an unexpired lease, and this one.
    const workers = book.owners + (mine > 0 ? 0 : 1);
    const n = s.leases.length;
    const target = Math.min(workers >= n ? 1 : Math.ceil(n / workers), max);
    const needed = target - mine;
    if (needed <= 0) return [];
    if (book.anyExpired) {
      const expired = book.expired();
      shuffle(expired, s.rngLeases);
      return expired.slice(0, needed).map((l) => snapshot(l, false));
    }
    // Steal from the most loaded worker (ties: the lowest index).
    const { owner: most, count: mostCount } = book.mostLoaded(w.index);
    if (most < 0 || mostCount < target) return [];
    const over = mostCount - target;
    const count = over > 0 ? Math.min(needed, over, this.settings.maxLeasesToStealAtOneTime) : needed > 1 ? 1 : 0;
    if (count <= 0) return [];
    const victims = book.freshLeasesOf(most);
    shuffle(victims, s.rngLeases);
    return victims.slice(0, count).map((l) => snapshot(l, true));
  }

  /**
   * The conditional write of one take: it fails if the lease's counter moved since the scan (a failed condition
   * still consumes its write unit).
   */
  private takeLease(w: Worker, x: Take, t: Micros): void {
    const s = this.s;
    let written = false;
    for (let i = 0; i < KCL_TAKE_RETRIES && !written; i++) written = this.table.write(t, LEASE_WRITE_UNITS);
    if (!written) {
      s.counts.takesThrottled.add(t);
      return;
    }
    if (x.lease.counter !== x.counter) {
      s.counts.takesFailed.add(t); // renewed, checkpointed or taken since the scan
      return;
    }
    (x.steal ? s.counts.leaseSteals : s.counts.leaseTakes).add(t);
    this.grant(w, x.lease, t);
  }

  private grant(w: Worker, lease: Lease, t: Micros): void {
    this.holder.ownerChanged?.(t, lease.owner >= 0);
    lease.owner = w.index;
    lease.lastRenewal = t;
    lease.counter++;
    const old = w.sessions.get(lease.shard);
    if (old) this.holder.kill(old, t);
    this.holder.startSession(w, lease, t);
  }

  /** The worker stops processing a shard whose lease it no longer holds. */
  private stop(w: Worker, shard: number, t: Micros): void {
    const session = w.sessions.get(shard);
    if (session) this.holder.kill(session, t);
    w.sessions.delete(shard);
  }
}
