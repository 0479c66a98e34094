// A Kinesis Client Library application: workers sharing the stream's shards through leases in a DynamoDB
// table, one record processor per leased shard (KINESIS.md §7; KCL 2.x defaults).
//
// Leases. Every renewInterval (failover/3 − 25 ms) a worker renews each lease it holds with a 1-WCU
// conditional write; a throttled renewal is retried at the next interval, and a lease not renewed within
// failoverTime is lost. Every takerInterval ((failover + 25 ms) × 2) a worker scans the table (RCU) and, if it
// holds fewer than ceil(leases / workers), takes expired leases, or else steals up to
// maxLeasesToStealAtOneTime from the most loaded worker. A worker learns that a lease was stolen when its
// next renewal fails. At start every worker races for every lease, so leases spread at random.
//
// Record processors. Per held shard: a fetcher fills a prefetch cache of up to `prefetch` batches — by
// polling (GetRecords up to maxRecords, one call per idleTimeBetweenReads after the last successful call,
// retried at once after a throttle, sharing the shard's 5 calls/s and 2 MiB/s with every polling consumer),
// or by enhanced fan-out (records pushed about 70 ms after they arrive, 2 MiB/s per shard for this app
// alone). A processor takes one batch at a time, holds one of the worker's `concurrency` slots for
// perBatch + records × perRecord, then checkpoints when due (a 1-WCU write; throttled checkpoints are retried
// after the next batch). A new owner starts from the lease's checkpoint, so records processed after it are
// processed again; with no checkpoint it starts at the initial position (LATEST skips what it has not read).
//
// Accounting per application: records the stream accepted = processed + still unread (fetched or not) +
// expired unread (past retention before processing) + skipped (a new owner started at LATEST).

import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import { TokenBucket } from "../../engine/tokenBucket.js";
import type { Micros } from "../../engine/time.js";
import { MICROS_PER_MS } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { SeriesBank } from "../../metrics/series.js";
import type { ConsumerSpec } from "../../spec/index.js";
import { DynamoTable } from "../dynamodb/table.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import {
  DYNAMODB_RCU_BYTES,
  EFO_BYTES_PER_SECOND,
  EFO_SUBSCRIPTION_SECONDS,
  GET_RECORDS_MAX_BYTES,
  GET_RECORDS_MAX_RECORDS,
  LEASE_ITEM_BYTES,
  LEASE_WRITE_UNITS,
  kclRenewIntervalMs,
  kclTakerIntervalMs,
} from "../../aws/limits.js";
import type { Slice } from "../kinesis/shardLog.js";
import type { Stream } from "../kinesis/stream.js";

export interface ConsumerContext {
  sim: Simulator;
  stream: Stream;
  rng: RandomStream;
  duration: Micros;
  warmup: Micros;
  resolution: Micros;
}

interface Lease {
  shard: number;
  /** Worker index, or −1 when the lease has never been taken. */
  owner: number;
  lastRenewal: Micros;
  /** Sequence number to restart from; null when the application never checkpointed this shard. */
  checkpoint: number | null;
}

interface Fetched {
  from: number;
  to: number;
  records: number;
  slices: Slice[];
}

interface Session {
  worker: Worker;
  shard: number;
  alive: boolean;
  position: number;
  cache: Fetched[];
  processing: boolean;
  queued: boolean;
  /** A fetch (or push) is scheduled or in flight. */
  busyFetching: boolean;
  waitingForRoom: boolean;
  lastDelivery: Micros;
  /** Consecutive throttled GetRecords calls. */
  throttleStreak: number;
  lastCheckpointAt: Micros;
  sinceCheckpoint: number;
  efo: TokenBucket | null;
}

interface Worker {
  index: number;
  alive: boolean;
  generation: number;
  sessions: Map<number, Session>;
  busy: number;
  waiting: Session[];
}

/** Counters after warmup, unless named otherwise. */
export interface ConsumerStats {
  getRecordsCalls: number;
  readThrottles: number;
  subscribeCalls: number;
  recordsRead: number;
  bytesRead: number;
  renewals: number;
  renewalsThrottled: number;
  checkpoints: number;
  checkpointsThrottled: number;
  leaseTakes: number;
  leaseSteals: number;
  leasesLost: number;
  takesThrottled: number;
  scansThrottled: number;
}

export class KclApplication {
  readonly name: string;
  readonly table: DynamoTable;
  readonly stats: ConsumerStats = {
    getRecordsCalls: 0,
    readThrottles: 0,
    subscribeCalls: 0,
    recordsRead: 0,
    bytesRead: 0,
    renewals: 0,
    renewalsThrottled: 0,
    checkpoints: 0,
    checkpointsThrottled: 0,
    leaseTakes: 0,
    leaseSteals: 0,
    leasesLost: 0,
    takesThrottled: 0,
    scansThrottled: 0,
  };
  /** Born at the producer → processed, and arrived in the shard → processed, for records that arrived after warmup. */
  readonly endToEnd = new LatencyHistogram();
  readonly putToProcess = new LatencyHistogram();

  // Per shard, whole run: the position up to which every record is processed, expired or skipped (a record
  // is counted once whatever happens to it later), and those counts.
  readonly consumed: Float64Array;
  readonly processed: Float64Array;
  readonly expired: Float64Array;
  readonly skipped: Float64Array;
  readonly reprocessed: Float64Array;
  /** Per shard, ranges given up beyond the processed position, in order. */
  private readonly gaps: { from: number; to: number; kind: "expired" | "skipped" }[][];
  /** Per shard, the live record processors (usually one; two while a stolen lease's old owner has not noticed). */
  private readonly live: Set<Session>[];
  /** Highest iterator age seen per shard after warmup (µs). */
  readonly maxAge: Float64Array;
  /** Per series step: highest iterator age over the shards (µs), records processed, read throttles. */
  readonly ageSeries: Float64Array;
  readonly activity: SeriesBank; // row 0: records processed, row 1: GetRecords calls throttled
  /** Leases held by each worker at the end. */

  private readonly leases: Lease[];
  private readonly workers: Worker[] = [];
  private readonly renewInterval: Micros;
  private readonly takerInterval: Micros;
  private readonly failover: Micros;
  private readonly fetchLatency: LatencySampler | null;
  private readonly propagation: LatencySampler | null;
  private readonly rngLeases: RandomStream;
  private readonly rngLatency: RandomStream;
  private readonly rngProcessing: RandomStream;
  private readonly processingSigma: number;
  private readonly concurrency: number;
  private readonly scanUnits: number;

  constructor(
    readonly spec: ConsumerSpec,
    private readonly ctx: ConsumerContext,
  ) {
    this.name = spec.name;
    const n = ctx.stream.shardCount;
    this.table = new DynamoTable(spec.leaseTable, ctx.duration, ctx.resolution, ctx.warmup);
    this.leases = Array.from({ length: n }, (_, shard) => ({ shard, owner: -1, lastRenewal: -Infinity, checkpoint: null }));
    this.consumed = new Float64Array(n);
    this.processed = new Float64Array(n);
    this.expired = new Float64Array(n);
    this.skipped = new Float64Array(n);
    this.reprocessed = new Float64Array(n);
    this.gaps = Array.from({ length: n }, () => []);
    this.live = Array.from({ length: n }, () => new Set<Session>());
    this.maxAge = new Float64Array(n);
    this.activity = new SeriesBank(2, ctx.duration, ctx.resolution);
    this.ageSeries = new Float64Array(this.activity.points);
    this.failover = spec.lease.failover;
    this.renewInterval = kclRenewIntervalMs(spec.lease.failover / MICROS_PER_MS) * MICROS_PER_MS;
    this.takerInterval = kclTakerIntervalMs(spec.lease.failover / MICROS_PER_MS) * MICROS_PER_MS;
    this.fetchLatency = spec.kind === "kcl" ? latencySampler(spec.poll.latency) : null;
    this.propagation = spec.kind === "fanout" ? latencySampler(spec.propagation) : null;
    this.rngLeases = ctx.rng.fork("leases");
    this.rngLatency = ctx.rng.fork("latency");
    this.rngProcessing = ctx.rng.fork("processing");
    const cv = spec.processing.variability;
    this.processingSigma = Math.sqrt(Math.log(1 + cv * cv));
    this.concurrency = spec.processing.concurrency ?? Infinity;
    // A Scan reads every lease item: 4 KB per RCU, eventually consistent at half price.
    this.scanUnits = Math.max(0.5, Math.ceil((n * LEASE_ITEM_BYTES) / DYNAMODB_RCU_BYTES) / 2);
    for (let i = 0; i < spec.workers; i++) {
      this.workers.push({ index: i, alive: true, generation: 0, sessions: new Map(), busy: 0, waiting: [] });
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Life cycle.

  start(): void {
    const { sim, stream } = this.ctx;
    if (this.spec.kind === "fanout") {
      stream.logs!.forEach((log, shard) => log.onAppend((now) => this.onAppend(shard, now)));
    }
    // At start every worker races for every lease: each is won by one worker at random (each attempt is a
    // conditional write, won or lost).
    sim.scheduleAt(0, (t) => this.initialRace(t));
    for (const w of this.workers) this.startTimers(w, 0);
  }

  crash(count: number): void {
    const alive = this.workers.filter((w) => w.alive).reverse().slice(0, count);
    for (const w of alive) {
      w.alive = false;
      w.generation++;
      for (const s of w.sessions.values()) this.kill(s);
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
      const w: Worker = { index: this.workers.length, alive: true, generation: 0, sessions: new Map(), busy: 0, waiting: [] };
      this.workers.push(w);
      this.startTimers(w, now);
    }
  }

  /** Workers stopped by a crash and not yet restarted. */
  private stopped = 0;

  private startTimers(w: Worker, now: Micros): void {
    const { sim } = this.ctx;
    const gen = w.generation;
    // The renewer starts at a random phase within its interval. The taker runs when the worker starts (at 0
    // every worker races for the leases instead, see initialRace) and then every takerInterval: workers that
    // start together run their takers nearly in step, as they do in the KCL.
    const renewAt = now + Math.floor(this.rngLeases.uniform() * this.renewInterval);
    const takeAt = now + (now === 0 ? this.takerInterval : 0) + Math.floor(this.rngLeases.uniform() * 1_000_000);
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
    const alive = this.workers.filter((w) => w.alive);
    if (alive.length === 0) return;
    const cap = this.spec.lease.maxLeasesForWorker ?? Infinity;
    const counts = new Array<number>(alive.length).fill(0);
    for (const lease of this.leases) {
      // Every worker attempts the conditional write; the first to arrive wins (if none gets through the
      // table's capacity, the lease stays open for the next taker runs).
      let written = false;
      for (let i = 0; i < alive.length; i++) if (this.table.write(t, LEASE_WRITE_UNITS)) written = true;
      if (!written) continue;
      const open = alive.map((_, i) => i).filter((i) => counts[i]! < cap);
      if (open.length === 0) break;
      const i = open[this.rngLeases.int(open.length)]!;
      counts[i]!++;
      this.grant(alive[i]!, lease, t);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Leases.

  private renew(w: Worker, t: Micros): void {
    const shards = [...w.sessions.keys()];
    shuffle(shards, this.rngLeases);
    for (const shard of shards) {
      const lease = this.leases[shard]!;
      if (lease.owner !== w.index) {
        this.stop(w, shard); // stolen: the conditional renewal fails
        continue;
      }
      if (t - lease.lastRenewal > this.failover) {
        this.stop(w, shard); // not renewed in time: lost
        if (t >= this.ctx.warmup) this.stats.leasesLost++;
        continue;
      }
      const ok = this.table.write(t, LEASE_WRITE_UNITS);
      if (t >= this.ctx.warmup) {
        this.stats.renewals++;
        if (!ok) this.stats.renewalsThrottled++;
      }
      if (ok) lease.lastRenewal = t;
    }
  }

  private take(w: Worker, t: Micros): void {
    if (!this.table.read(t, this.scanUnits)) {
      if (t >= this.ctx.warmup) this.stats.scansThrottled++;
      return;
    }
    const expired: Lease[] = [];
    const perOwner = new Map<number, Lease[]>();
    for (const lease of this.leases) {
      if (lease.owner < 0 || t - lease.lastRenewal > this.failover) expired.push(lease);
      else {
        const list = perOwner.get(lease.owner);
        if (list) list.push(lease);
        else perOwner.set(lease.owner, [lease]);
      }
    }
    const workers = new Set(perOwner.keys()).add(w.index).size;
    let target = Math.ceil(this.leases.length / workers);
    if (this.spec.lease.maxLeasesForWorker !== undefined) target = Math.min(target, this.spec.lease.maxLeasesForWorker);
    const mine = perOwner.get(w.index)?.length ?? 0;
    const needed = target - mine;
    if (needed <= 0) return;
    if (expired.length > 0) {
      shuffle(expired, this.rngLeases);
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
    const count = over > 0 ? Math.min(needed, over, this.spec.lease.maxLeasesToStealAtOneTime) : mostCount === target && needed > 1 ? 1 : 0;
    if (count <= 0) return;
    const victims = [...perOwner.get(most)!];
    shuffle(victims, this.rngLeases);
    for (const lease of victims.slice(0, count)) this.takeLease(w, lease, t, true);
  }

  private takeLease(w: Worker, lease: Lease, t: Micros, steal: boolean): void {
    if (!this.table.write(t, LEASE_WRITE_UNITS)) {
      if (t >= this.ctx.warmup) this.stats.takesThrottled++;
      return;
    }
    if (t >= this.ctx.warmup) {
      if (steal) this.stats.leaseSteals++;
      else this.stats.leaseTakes++;
    }
    this.grant(w, lease, t);
  }

  private grant(w: Worker, lease: Lease, t: Micros): void {
    lease.owner = w.index;
    lease.lastRenewal = t;
    const old = w.sessions.get(lease.shard);
    if (old) this.kill(old);
    this.startSession(w, lease, t);
  }

  private kill(session: Session): void {
    session.alive = false;
    this.live[session.shard]!.delete(session);
  }

  private stop(w: Worker, shard: number): void {
    const s = w.sessions.get(shard);
    if (s) this.kill(s);
    w.sessions.delete(shard);
  }

  // -------------------------------------------------------------------------------------------------------
  // Record processors.

  private startSession(w: Worker, lease: Lease, t: Micros): void {
    const shard = lease.shard;
    const log = this.ctx.stream.logs![shard]!;
    let position: number;
    if (lease.checkpoint !== null) position = lease.checkpoint;
    else if (this.spec.initialPosition === "LATEST") position = log.endSeq;
    else position = log.trimHorizon(t - this.ctx.stream.retention);
    // Starting past records never processed (LATEST) skips them — except what a previous owner still
    // working on the shard has fetched and will process before it notices it lost the lease.
    let fetched = this.consumed[shard]!;
    for (const s of this.live[shard]!) if (s.worker !== w) fetched = Math.max(fetched, s.position);
    this.giveUp(shard, fetched, position, "skipped");
    const session: Session = {
      worker: w,
      shard,
      alive: true,
      position,
      cache: [],
      processing: false,
      queued: false,
      busyFetching: false,
      waitingForRoom: false,
      lastDelivery: t,
      throttleStreak: 0,
      lastCheckpointAt: t,
      sinceCheckpoint: 0,
      efo: this.spec.kind === "fanout" ? new TokenBucket(EFO_BYTES_PER_SECOND, EFO_BYTES_PER_SECOND, { at: t }) : null,
    };
    w.sessions.set(shard, session);
    this.live[shard]!.add(session);
    if (this.spec.kind === "fanout") {
      this.subscribe(session, t);
      this.schedulePump(session, t);
    } else {
      session.busyFetching = true;
      this.ctx.sim.scheduleAt(t, (now) => this.fetch(session, now));
    }
  }

  /** Records before the trim horizon are gone: a reader behind it jumps forward, and what it missed expired. */
  private skipExpired(session: Session, t: Micros): void {
    const log = this.ctx.stream.logs![session.shard]!;
    const horizon = log.trimHorizon(t - this.ctx.stream.retention);
    if (session.position < horizon) {
      this.giveUp(session.shard, session.position, horizon, "expired");
      session.position = horizon;
    }
  }

  /**
   * Records [from, to) of a shard will never be processed by this application (expired, or skipped by a
   * start at LATEST). Records before `from` that a reader has fetched are still to be processed, so the range
   * is held as a gap until processing reaches it; then it counts.
   */
  private giveUp(shard: number, from: number, to: number, kind: "expired" | "skipped"): void {
    from = Math.max(from, this.consumed[shard]!);
    if (to <= from) return;
    const gaps = this.gaps[shard]!;
    let i = gaps.length;
    while (i > 0 && gaps[i - 1]!.from > from) i--;
    gaps.splice(i, 0, { from, to, kind });
    this.absorbGaps(shard);
  }

  /** Counts the gaps that processing has reached. */
  private absorbGaps(shard: number): void {
    const gaps = this.gaps[shard]!;
    while (gaps.length > 0 && gaps[0]!.from <= this.consumed[shard]!) {
      const g = gaps.shift()!;
      const n = g.to - this.consumed[shard]!;
      if (n <= 0) continue;
      if (g.kind === "expired") this.expired[shard]! += n;
      else this.skipped[shard]! += n;
      this.consumed[shard] = g.to;
    }
  }

  /** Records given up but not yet reached by processing: [expired, skipped]. */
  pendingGaps(): { expired: number; skipped: number } {
    let expired = 0;
    let skipped = 0;
    this.gaps.forEach((gaps, shard) => {
      let at = this.consumed[shard]!;
      for (const g of gaps) {
        const n = g.to - Math.max(g.from, at);
        if (n > 0) {
          if (g.kind === "expired") expired += n;
          else skipped += n;
        }
        at = Math.max(at, g.to);
      }
    });
    return { expired, skipped };
  }

  /** Polling: one GetRecords call. */
  private fetch(session: Session, t: Micros): void {
    session.busyFetching = false;
    if (!session.alive) return;
    if (session.cache.length >= this.spec.prefetch) {
      session.waitingForRoom = true;
      return;
    }
    const { stream, sim, warmup } = this.ctx;
    const shard = session.shard;
    const latency = this.fetchLatency!(this.rngLatency);
    session.busyFetching = true;
    if (t >= warmup) this.stats.getRecordsCalls++;
    if (!stream.getRecordsCall(shard, t)) {
      if (t >= warmup) this.stats.readThrottles++;
      this.activity.add(1, t, 1);
      sim.scheduleAt(t + latency + this.throttleBackoff(session), (now) => this.fetch(session, now));
      return;
    }
    session.throttleStreak = 0;
    this.skipExpired(session, t);
    const spec = this.spec;
    const maxRecords = spec.kind === "kcl" ? spec.poll.maxRecords : GET_RECORDS_MAX_RECORDS;
    const from = session.position;
    const r = stream.logs![shard]!.read(from, t, maxRecords, GET_RECORDS_MAX_BYTES);
    stream.chargeRead(shard, t, r.bytes);
    session.position = r.next;
    if (t >= warmup) {
      this.stats.recordsRead += r.users;
      this.stats.bytesRead += r.bytes;
    }
    const interval = spec.kind === "kcl" ? spec.poll.interval : 0;
    sim.scheduleAt(t + latency, (now) => {
      if (!session.alive) return;
      if (r.users > 0) this.deliver(session, { from, to: r.next, records: r.users, slices: r.slices }, now);
      sim.scheduleAt(now + interval, (next) => this.fetch(session, next));
    });
  }

  /**
   * After a throttled call: the SDK retries with equal jitter, delay in [c/2, c], c = min(cap, base·2^retry);
   * when its attempts run out the exception reaches the KCL, whose idle time since the last successful call has
   * passed, so it calls again at once (a new round of SDK attempts).
   */
  private throttleBackoff(session: Session): Micros {
    const spec = this.spec;
    if (spec.kind !== "kcl") return 0;
    const { maxAttempts, base, cap } = spec.poll.retry;
    const retry = session.throttleStreak % maxAttempts;
    session.throttleStreak++;
    if (retry === maxAttempts - 1) return 0;
    const c = Math.min(cap, base * 2 ** retry);
    return Math.round(c / 2 + this.rngLatency.uniform() * (c / 2));
  }

  /** Enhanced fan-out: a new record arrived in a shard; wake its subscription. */
  private onAppend(shard: number, now: Micros): void {
    for (const s of this.live[shard]!) if (!s.busyFetching && !s.waitingForRoom) this.schedulePump(s, now);
  }

  private schedulePump(session: Session, at: Micros): void {
    session.busyFetching = true;
    this.ctx.sim.scheduleAt(at, (now) => this.pump(session, now));
  }

  private subscribe(session: Session, t: Micros): void {
    const gen = session.worker.generation;
    if (t >= this.ctx.warmup) this.stats.subscribeCalls++;
    // A subscription lasts 5 minutes; the KCL subscribes again.
    this.ctx.sim.scheduleAt(t + EFO_SUBSCRIPTION_SECONDS * 1_000_000, (now) => {
      if (session.alive && session.worker.generation === gen) this.subscribe(session, now);
    });
  }

  /** Enhanced fan-out: push what has arrived, within this consumer's 2 MiB/s for the shard. */
  private pump(session: Session, t: Micros): void {
    session.busyFetching = false;
    if (!session.alive) return;
    if (session.cache.length >= this.spec.prefetch) {
      session.waitingForRoom = true;
      return;
    }
    this.skipExpired(session, t);
    const log = this.ctx.stream.logs![session.shard]!;
    const efo = session.efo!;
    const budget = efo.available(t);
    if (log.visibleEnd(t) <= session.position) return; // wait for the next append
    if (budget <= 0) {
      this.schedulePump(session, t + Math.max(1_000, efo.waitFor(t, Math.min(EFO_BYTES_PER_SECOND / 10, efo.capacity))));
      return;
    }
    const from = session.position;
    const r = log.read(from, t, GET_RECORDS_MAX_RECORDS, Math.min(budget, GET_RECORDS_MAX_BYTES));
    if (r.users === 0) {
      this.schedulePump(session, t + Math.max(1_000, efo.waitFor(t, Math.min(EFO_BYTES_PER_SECOND / 10, efo.capacity))));
      return;
    }
    efo.take(t, r.bytes);
    session.position = r.next;
    if (t >= this.ctx.warmup) {
      this.stats.recordsRead += r.users;
      this.stats.bytesRead += r.bytes;
    }
    // Pushes keep their order.
    const at = Math.max(t + this.propagation!(this.rngLatency), session.lastDelivery);
    session.lastDelivery = at;
    const batch = { from, to: r.next, records: r.users, slices: r.slices };
    this.ctx.sim.scheduleAt(at, (now) => {
      if (session.alive) this.deliver(session, batch, now);
    });
    if (log.visibleEnd(t) > session.position) this.schedulePump(session, t + Math.max(1_000, efo.waitFor(t, Math.min(EFO_BYTES_PER_SECOND / 10, efo.capacity))));
  }

  private deliver(session: Session, batch: Fetched, t: Micros): void {
    session.cache.push(batch);
    this.tryProcess(session, t);
  }

  private tryProcess(session: Session, t: Micros): void {
    if (!session.alive || session.processing || session.queued || session.cache.length === 0) return;
    const w = session.worker;
    if (w.busy >= this.concurrency) {
      session.queued = true;
      w.waiting.push(session);
      return;
    }
    const batch = session.cache.shift()!;
    session.processing = true;
    w.busy++;
    if (session.waitingForRoom) {
      // The fetcher was waiting for room in the prefetch cache.
      session.waitingForRoom = false;
      if (this.spec.kind === "fanout") this.schedulePump(session, t);
      else {
        session.busyFetching = true;
        this.ctx.sim.scheduleAt(t, (now) => this.fetch(session, now));
      }
    }
    const p = this.spec.processing;
    let d = p.perBatch + batch.records * p.perRecord;
    if (this.processingSigma > 0 && d > 0) d *= Math.exp(this.processingSigma * this.rngProcessing.standardNormal() - (this.processingSigma * this.processingSigma) / 2);
    const gen = w.generation;
    this.ctx.sim.scheduleAt(t + Math.round(d), (now) => this.processed_(session, batch, gen, now));
  }

  private processed_(session: Session, batch: Fetched, gen: number, t: Micros): void {
    const w = session.worker;
    if (w.generation !== gen) return; // the worker crashed mid-batch: nothing was done
    w.busy--;
    const shard = session.shard;
    // A batch that starts past the processed position: a new owner started at LATEST beyond records that the
    // previous owner had fetched but did not process first (it dropped them on losing the lease, or has not
    // reached them yet). No one processes them before this batch: they were skipped.
    if (batch.from > this.consumed[shard]!) this.giveUp(shard, this.consumed[shard]!, batch.from, "skipped");
    const before = this.consumed[shard]!;
    if (batch.to > before) {
      this.processed[shard]! += batch.to - Math.max(batch.from, before);
      this.consumed[shard] = batch.to;
      this.absorbGaps(shard);
    }
    const again = Math.min(batch.to, before) - batch.from;
    if (again > 0) this.reprocessed[shard]! += again;
    this.activity.add(0, t, batch.records);
    for (const s of batch.slices) {
      if (s.arrival < this.ctx.warmup) continue;
      this.endToEnd.record(t - (s.firstBorn + s.lastBorn) / 2, s.users);
      this.putToProcess.record(t - s.arrival, s.users);
    }
    // Checkpoint when due, if this worker still holds the lease.
    session.sinceCheckpoint += batch.records;
    const cp = this.spec.checkpoint;
    const due = (cp.every !== undefined && t - session.lastCheckpointAt >= cp.every) || (cp.records !== undefined && session.sinceCheckpoint >= cp.records);
    const lease = this.leases[shard]!;
    if (due && session.alive && lease.owner === w.index) {
      const ok = this.table.write(t, LEASE_WRITE_UNITS);
      if (t >= this.ctx.warmup) {
        if (ok) this.stats.checkpoints++;
        else this.stats.checkpointsThrottled++;
      }
      if (ok) {
        lease.checkpoint = batch.to;
        session.lastCheckpointAt = t;
        session.sinceCheckpoint = 0;
      }
    }
    session.processing = false;
    while (w.busy < this.concurrency && w.waiting.length > 0) {
      const next = w.waiting.shift()!;
      next.queued = false;
      this.tryProcess(next, t);
    }
    this.tryProcess(session, t);
  }

  // -------------------------------------------------------------------------------------------------------
  // Measurement and accounting.

  /** Iterator age of each shard: how old the oldest record not yet processed is (0 when none waits). */
  sampleAges(t: Micros): void {
    const logs = this.ctx.stream.logs!;
    const bucket = this.activity.bucketOf(t);
    for (let s = 0; s < logs.length; s++) {
      const log = logs[s]!;
      const seq = Math.max(this.consumed[s]!, log.firstSeq);
      if (seq >= log.endSeq) continue;
      const arrival = log.arrivalOf(seq);
      if (arrival === undefined || arrival > t) continue;
      const age = t - arrival;
      if (age > this.ageSeries[bucket]!) this.ageSeries[bucket] = age;
      if (t >= this.ctx.warmup && age > this.maxAge[s]!) this.maxAge[s] = age;
    }
  }

  /** The lowest sequence number this application may still read in a shard (for compacting the log). */
  neededFrom(shard: number): number {
    const lease = this.leases[shard]!;
    let seq = this.consumed[shard]!;
    if (lease.checkpoint !== null) seq = Math.min(seq, lease.checkpoint);
    else if (this.spec.initialPosition === "TRIM_HORIZON") seq = 0;
    for (const s of this.live[shard]!) {
      seq = Math.min(seq, s.position);
      for (const b of s.cache) seq = Math.min(seq, b.from);
    }
    return seq;
  }

  /** At the end of the run: records past retention that were never processed expired. */
  finish(end: Micros): void {
    const logs = this.ctx.stream.logs!;
    logs.forEach((log, s) => {
      // What a reader has fetched is in flight, not expired: expire from the furthest read position.
      let from = this.consumed[s]!;
      for (const session of this.live[s]!) from = Math.max(from, session.position);
      this.giveUp(s, from, log.trimHorizon(end - this.ctx.stream.retention), "expired");
    });
  }

  /** Leases held by each running worker at the end (workers that crashed and were replaced are left out). */
  leasesPerWorker(): number[] {
    return this.workers.filter((w) => w.alive).map((w) => [...w.sessions.keys()].filter((s) => this.leases[s]!.owner === w.index).length);
  }

  aliveWorkers(): number {
    return this.workers.filter((w) => w.alive).length;
  }
}

function shuffle<T>(a: T[], rng: RandomStream): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const x = a[i]!;
    a[i] = a[j]!;
    a[j] = x;
  }
}
