// What every consumer that reads shards with record processors shares (a KCL application, a stream processor):
// its state, reader (polling or fan-out) and record processors, what the result reads, the end of a closed shard,
// stopping a record processor, and the measurement and accounting. The subclass decides who holds which shard:
// leases in a DynamoDB table (KclApplication), or a static assignment (src/model/processors).

import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import { valuesOf } from "../../metrics/warmup.js";
import type { DynamoTable } from "../dynamodb/table.js";
import { FanOutSubscriptions } from "./fanOut.js";
import { PollingFetcher } from "./pollingFetcher.js";
import type { Reader } from "./reader.js";
import { RecordProcessors } from "./recordProcessor.js";
import { ACTIVITY, KclState, type ConsumerContext, type ConsumerStats, type ReadPlan, type Session } from "./state.js";

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
    this.fanOut = plan.propagation ? new FanOutSubscriptions(this.s, this.processors) : null;
    this.reader = this.fanOut ?? new PollingFetcher(this.s, this.processors);
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
      if (s.consumed[shard]! < log.endSeq || session.cache.length > 0 || session.processing) {
        s.ctx.sim.scheduleAt(now + 100 * MICROS_PER_MS, check);
        return;
      }
      s.finishShard(shard, now);
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
    const live = s.live[shard]!;
    live.delete(session);
    // The records between the processed position and where the remaining record processors started will never
    // be processed: skipped (a new owner started at LATEST past them while this one was still working).
    if (live.size === 0) return;
    let start = Infinity;
    for (const other of live) start = Math.min(start, other.start);
    if (start > s.consumed[shard]!) s.giveUp(shard, s.consumed[shard]!, start, "skipped", t);
  }

  /** A closed shard was processed to its end and finished (a stream processor may then assign its children). */
  protected shardFinished(_shard: number, _t: Micros): void {}

  // -------------------------------------------------------------------------------------------------------
  // Measurement and accounting.

  /** Records given up, or processed out of order, that processing has not reached yet. */
  pendingGaps(): { expired: number; skipped: number; processed: number } {
    let expired = 0;
    let skipped = 0;
    let processed = 0;
    this.s.gaps.forEach((gaps, shard) => {
      let at = this.s.consumed[shard]!;
      for (const g of gaps) {
        const n = g.to - Math.max(g.from, at);
        if (n > 0) {
          if (g.kind === "expired") expired += n;
          else if (g.kind === "skipped") skipped += n;
          else processed += n;
        }
        at = Math.max(at, g.to);
      }
    });
    return { expired, skipped, processed };
  }

  /** Each shard's oldest unprocessed record: how old the oldest record not yet processed is (0 when none waits). */
  sampleAges(t: Micros): void {
    const s = this.s;
    const logs = s.ctx.stream.logs!;
    const bucket = s.activity.bucketOf(t);
    // One pass over the shards: the records processed again and skipped so far (their growth since the last sample
    // goes to the activity series), and each shard's oldest unprocessed record.
    let again = 0;
    let skipped = 0;
    for (let shard = 0; shard < logs.length; shard++) {
      again += s.reprocessed[shard]!;
      skipped += s.skipped[shard]!;
      const log = logs[shard]!;
      const seq = Math.max(s.consumed[shard]!, log.firstSeq);
      if (seq >= log.endSeq) continue;
      const arrival = log.arrivalOf(seq);
      if (arrival === undefined || arrival > t) continue;
      const age = t - arrival;
      if (age > s.oldestUnprocessedSeries[bucket]!) s.oldestUnprocessedSeries[bucket] = age;
      s.oldestUnprocessed.observe(shard, t, age);
    }
    if (again > s.reprocessedSampled) {
      s.activity.add(ACTIVITY.reprocessed, t, again - s.reprocessedSampled);
      s.reprocessedSampled = again;
    }
    if (skipped > s.skippedSampled) {
      s.activity.add(ACTIVITY.skipped, t, skipped - s.skippedSampled);
      s.skippedSampled = skipped;
    }
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
    for (const session of s.live[shard]!) {
      seq = Math.min(seq, session.position);
      for (const b of session.cache) seq = Math.min(seq, b.from);
    }
    return seq;
  }

  /** At the end of the run: records past retention that were never processed expired. */
  finish(end: Micros): void {
    const s = this.s;
    s.ctx.stream.logs!.forEach((log, shard) => {
      // What a reader has fetched is in flight, not expired: expire from the furthest read position.
      let from = s.consumed[shard]!;
      for (const session of s.live[shard]!) from = Math.max(from, session.position);
      s.giveUp(shard, from, log.trimHorizon(end - s.ctx.stream.retention), "expired", end);
      // Records still waiting to be processed at the end are censored observations: their end-to-end latency is
      // at least their age so far. They count in the latency histogram at that age (a lower bound).
      let at = s.consumed[shard]!;
      const waiting = (to: number) => {
        log.forEachBetween(at, to, (users, firstBorn, lastBorn, arrival) => {
          const born = (firstBorn + lastBorn) / 2;
          s.endToEnd.recordAt(arrival, end - born, users);
          s.censoredAtEnd.recordAt(arrival, end - born, users);
          s.stages.recordAt(arrival, [arrival - born, end - arrival, 0], users);
        });
      };
      for (const g of s.gaps[shard]!) {
        if (g.from > at) waiting(g.from);
        at = Math.max(at, g.to);
      }
      waiting(log.endSeq);
    });
  }

}
