// KCL 2.x lease coordination (DynamoDBLeaseCoordinator, DynamoDBLeaseRenewer, DynamoDBLeaseTaker in
// amazon-kinesis-client). Every renewInterval (failover/3 − 25 ms) a worker renews each lease it holds with a
// 1-WCU conditional write; a throttled renewal is retried at the next interval, and a lease not renewed within
// failoverTime is lost. Every takerInterval ((failover + 25 ms) × 2) a worker scans the table (RCU) and, if it
// holds fewer than ceil(leases / workers), takes expired leases, or else steals up to
// maxLeasesToStealAtOneTime from the most loaded worker. A worker learns that a lease was stolen when its next
// renewal fails. At start every worker races for every lease, so leases spread at random.

import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import { DYNAMODB_RCU_BYTES, kclRenewIntervalMs, kclTakerIntervalMs, LEASE_ITEM_BYTES, LEASE_WRITE_UNITS } from "../../aws/limits.js";
import { shuffle, type KclState, type Lease, type Session, type Worker } from "./state.js";

/** What lease coordination asks of the application: start and stop record processors. */
export interface LeaseHolder {
  /** A worker now holds a lease: start its record processor for the shard. */
  startSession(w: Worker, lease: Lease, t: Micros): void;
  /** A record processor stops at once (its worker lost the lease, or crashed). */
  kill(session: Session): void;
}

export class LeaseTaker {
  private readonly renewInterval: Micros;
  private readonly takerInterval: Micros;
  private readonly failover: Micros;
  /** A Scan reads every lease item: 4 KB per RCU, eventually consistent at half price. */
  private readonly scanUnits: number;

  constructor(
    private readonly s: KclState,
    private readonly holder: LeaseHolder,
  ) {
    const { lease } = s.spec;
    this.failover = lease.failover;
    this.renewInterval = kclRenewIntervalMs(lease.failover / MICROS_PER_MS) * MICROS_PER_MS;
    this.takerInterval = kclTakerIntervalMs(lease.failover / MICROS_PER_MS) * MICROS_PER_MS;
    this.scanUnits = Math.max(0.5, Math.ceil((s.leases.length * LEASE_ITEM_BYTES) / DYNAMODB_RCU_BYTES) / 2);
  }

  /** At start every worker races for every lease: each is won by one worker at random. */
  start(): void {
    this.s.ctx.sim.scheduleAt(0, (t) => this.initialRace(t));
  }

  /** A worker's renewer and taker, from `now` (0 for the workers that start with the application). */
  startTimers(w: Worker, now: Micros): void {
    const { sim } = this.s.ctx;
    const rng = this.s.rngLeases;
    const gen = w.generation;
    // The renewer starts at a random phase within its interval. The taker runs when the worker starts (at 0
    // every worker races for the leases instead, see initialRace) and then every takerInterval: workers that
    // start together run their takers nearly in step, as they do in the KCL.
    const renewAt = now + Math.floor(rng.uniform() * this.renewInterval);
    const takeAt = now + (now === 0 ? this.takerInterval : 0) + Math.floor(rng.uniform() * 1_000_000);
    const renew = (t: Micros) => {
      if (!w.alive || w.generation !== gen) return;
      this.renew(w, t);
      sim.scheduleAt(t + this.renewInterval, renew);
    };
    const take = (t: Micros) => {
      if (!w.alive || w.generation !== gen) return;
      this.take(w, t);
      sim.scheduleAt(t + this.takerInterval, take);
    };
    sim.scheduleAt(renewAt, renew);
    sim.scheduleAt(takeAt, take);
  }

  private initialRace(t: Micros): void {
    const s = this.s;
    const alive = s.workers.filter((w) => w.alive);
    if (alive.length === 0) return;
    const cap = s.spec.lease.maxLeasesForWorker ?? Infinity;
    const counts = new Array<number>(alive.length).fill(0);
    for (const lease of s.leases) {
      // Every worker attempts the conditional write; the first to arrive wins (if none gets through the
      // table's capacity, the lease stays open for the next taker runs).
      let written = false;
      for (let i = 0; i < alive.length; i++) if (s.table.write(t, LEASE_WRITE_UNITS)) written = true;
      if (!written) continue;
      const open = alive.map((_, i) => i).filter((i) => counts[i]! < cap);
      if (open.length === 0) break;
      const i = open[s.rngLeases.int(open.length)]!;
      counts[i]!++;
      this.grant(alive[i]!, lease, t);
    }
  }

  private renew(w: Worker, t: Micros): void {
    const s = this.s;
    const shards = [...w.sessions.keys()];
    shuffle(shards, s.rngLeases);
    for (const shard of shards) {
      const lease = s.leases[shard]!;
      if (lease.owner !== w.index) {
        this.stop(w, shard); // stolen: the conditional renewal fails
        continue;
      }
      if (t - lease.lastRenewal > this.failover) {
        this.stop(w, shard); // not renewed in time: lost
        s.counts.leasesLost.add(t);
        continue;
      }
      const ok = s.table.write(t, LEASE_WRITE_UNITS);
      s.counts.renewals.add(t);
      if (!ok) s.counts.renewalsThrottled.add(t);
      if (ok) lease.lastRenewal = t;
    }
  }

  private take(w: Worker, t: Micros): void {
    const s = this.s;
    if (!s.table.read(t, this.scanUnits)) {
      s.counts.scansThrottled.add(t);
      return;
    }
    const expired: Lease[] = [];
    const perOwner = new Map<number, Lease[]>();
    for (const lease of s.leases) {
      if (lease.owner < 0 || t - lease.lastRenewal > this.failover) expired.push(lease);
      else {
        const list = perOwner.get(lease.owner);
        if (list) list.push(lease);
        else perOwner.set(lease.owner, [lease]);
      }
    }
    const workers = new Set(perOwner.keys()).add(w.index).size;
    let target = Math.ceil(s.leases.length / workers);
    if (s.spec.lease.maxLeasesForWorker !== undefined) target = Math.min(target, s.spec.lease.maxLeasesForWorker);
    const mine = perOwner.get(w.index)?.length ?? 0;
    const needed = target - mine;
    if (needed <= 0) return;
    if (expired.length > 0) {
      shuffle(expired, s.rngLeases);
      for (const lease of expired.slice(0, needed)) this.takeLease(w, lease, t, false);
      return;
    }
    // Steal from the most loaded worker (ties: the lowest index).
    let most = -1;
    let mostCount = -1;
    for (const [owner, list] of [...perOwner.entries()].sort((a, b) => a[0] - b[0])) {
      if (owner !== w.index && list.length > mostCount) {
        most = owner;
        mostCount = list.length;
      }
    }
    if (most < 0) return;
    const over = mostCount - target;
    const count = over > 0 ? Math.min(needed, over, s.spec.lease.maxLeasesToStealAtOneTime) : mostCount === target && needed > 1 ? 1 : 0;
    if (count <= 0) return;
    const victims = [...perOwner.get(most)!];
    shuffle(victims, s.rngLeases);
    for (const lease of victims.slice(0, count)) this.takeLease(w, lease, t, true);
  }

  private takeLease(w: Worker, lease: Lease, t: Micros, steal: boolean): void {
    const s = this.s;
    if (!s.table.write(t, LEASE_WRITE_UNITS)) {
      s.counts.takesThrottled.add(t);
      return;
    }
    (steal ? s.counts.leaseSteals : s.counts.leaseTakes).add(t);
    this.grant(w, lease, t);
  }

  private grant(w: Worker, lease: Lease, t: Micros): void {
    lease.owner = w.index;
    lease.lastRenewal = t;
    const old = w.sessions.get(lease.shard);
    if (old) this.holder.kill(old);
    this.holder.startSession(w, lease, t);
  }

  /** The worker stops processing a shard whose lease it no longer holds. */
  private stop(w: Worker, shard: number): void {
    const session = w.sessions.get(shard);
    if (session) this.holder.kill(session);
    w.sessions.delete(shard);
  }
}
