// Record processors and checkpoints (amazon-kinesis-client ShardConsumer, ProcessTask): a processor takes one
// fetched batch at a time from its prefetch cache, holds one of the worker's `concurrency` slots for
// perBatch + records × perRecord (lognormal around that mean with the given variability), then checkpoints when
// due (a 1-WCU write to the lease table; a throttled checkpoint is retried after the next batch). Records
// processed after the last checkpoint are processed again by the lease's next owner: the batches finished since, and
// of a batch a worker crash cut, the records processed before the crash (crashed).
//
// With a `sink:` (src/model/sinks/sink.ts), each processed batch goes into the record processor's buffer; when a
// flush starts, the processor keeps its slot and waits until the flush is written before the batch counts as
// processed (no next batch meanwhile). It checkpoints after each flush at the flush's last record (the Connector
// Library's record processor), or, with `sink.checkpoint: when-due`, when due but never past the last record written.
// A processor that loses its lease before its batch is written emits nothing of it: the batch is not processed, and
// the shard's next owner reads its records from the checkpoint.

import type { Micros } from "../../engine/time.js";
import { LEASE_WRITE_UNITS } from "../../aws/limits.js";
import type { StreamWriter } from "../producers/streamWriter.js";
import type { Delivery, Reader } from "./reader.js";
import { ACTIVITY, type Fetched, type KclState, type Session } from "./state.js";

/**
 * Where a record processor asked to shut down for a graceful handoff (KCL 3.x ShutdownNotificationTask calling
 * shutdownRequested with its checkpointer) checkpoints, having processed up to `processed`: there, or with a sink at the
 * last record its sink wrote (null: none yet), never past it — like its other checkpoints. What its buffer holds is
 * interrupted when it stops, and the lease's next owner reads those records again from the checkpoint.
 */
export function handoffPosition(session: Session, processed: number): number | null {
  return session.lane ? session.durable : processed;
}

/** The lease's checkpoint moved to `position`: what flushes wrote up to it will not be written again. */
export function checkpointedAt(session: Session, position: number): void {
  const done = session.flushedSinceCheckpoint;
  if (done && position >= done.to) session.flushedSinceCheckpoint = null;
  else if (done && position > done.from) session.flushedSinceCheckpoint = { from: position, to: done.to, written: Math.round((done.written * (done.to - position)) / (done.to - done.from)) };
}

export class RecordProcessors implements Delivery {
  private readonly sigma: number;
  private readonly concurrency: number;
  /** Wakes the reader of a session whose prefetch cache was full. */
  reader!: Reader;
  /** Where an application with an `output:` writes what it processes. */
  writer: StreamWriter | undefined;

  constructor(private readonly s: KclState) {
    const cv = s.plan.processing.variability;
    this.sigma = Math.sqrt(Math.log(1 + cv * cv));
    this.concurrency = s.plan.processing.concurrency ?? Infinity;
  }

  deliver(session: Session, batch: Fetched, t: Micros): void {
    batch.at = t;
    session.cache.push(batch);
    this.tryProcess(session, t);
  }

  private tryProcess(session: Session, t: Micros): void {
    if (!session.alive || session.processing || session.queued || session.draining || session.cache.length === 0 || session.lane?.flushing) return;
    const w = session.worker;
    if (w.busy >= this.concurrency) {
      session.queued = true;
      session.queuedSince = t;
      w.waiting.push(session);
      return;
    }
    const batch = session.cache.shift()!;
    session.processing = true;
    w.busy++;
    if (session.waitingForRoom && !this.s.plan.sequential) {
      // The reader was waiting for room in the prefetch cache.
      session.waitingForRoom = false;
      this.s.endRoom(session, t);
      this.reader.resume(session, t);
    }
    const p = this.s.plan.processing;
    let d = p.perBatch + batch.records * p.perRecord;
    if (this.sigma > 0 && d > 0) d *= Math.exp(this.sigma * this.s.rngProcessing.standardNormal() - (this.sigma * this.sigma) / 2);
    this.s.noteProcessing(session, batch, Math.round(d), t);
    session.inFlight = batch;
    session.inFlightAt = t;
    session.inFlightFor = Math.round(d);
    const gen = w.generation;
    this.s.ctx.sim.scheduleAt(t + Math.round(d), (now) => this.written(session, batch, gen, now));
  }

  /** A record processor's buffer in the application's sink, if it has one. */
  attachSink(session: Session): void {
    const sink = this.s.ctx.sink;
    if (!sink) return;
    const held = this.s.processorTime.held;
    session.lane = sink.lane({
      idle: () => !session.processing,
      waited: (from, to) => held.add(session.shard, from, to),
      flushed: (position, t, written, records) => {
        session.durable = position;
        this.flushWritten(session, position, written, records);
        if (this.s.ctx.sink?.spec.checkpoint === "after-flush") this.checkpoint(session, position, t);
        const batch = session.awaiting;
        if (batch) {
          session.awaiting = null;
          this.processed(session, batch, t);
        } else this.tryProcess(session, t);
      },
      // The record processor stopped (ConsumerApp.kill) while a flush was being written: what the sink took of it the
      // lease's next owner, reading from the checkpoint, writes again (KclState.cutWrite).
      cutFlushDone: (written, t, position) => {
        if (session.sinkFrom >= 0) this.s.cutWrite(session.shard, session.sinkFrom, position, written, t);
        session.sinkFrom = -1;
      },
    });
  }

  /**
   * A flush of the records [sinkFrom, position) is done, `written` of its `records` written: what a stopped record
   * processor's sink had written of them is written again (KclState.writtenAgainBy), and they are written and not yet
   * checkpointed (a stop before the next checkpoint leaves them to be written again).
   */
  private flushWritten(session: Session, position: number, written: number, records: number): void {
    const from = session.sinkFrom;
    session.sinkFrom = -1;
    if (from < 0 || position <= from) return;
    this.s.writtenAgainBy(session.shard, from, position, records > 0 ? written / records : 0);
    if (written <= 0) return;
    const done = session.flushedSinceCheckpoint;
    if (done && done.to === from) {
      done.to = position;
      done.written += written;
    } else if (done) {
      // Records between them the processor never had (past the retention): counted by the share each range wrote.
      session.flushedSinceCheckpoint = { from: done.from, to: position, written: done.written + written };
    } else session.flushedSinceCheckpoint = { from, to: position, written };
  }

  /** Processing is done; an application with an output or a sink writes what it made before the batch counts as processed. */
  private written(session: Session, batch: Fetched, gen: number, t: Micros): void {
    const w = session.worker;
    if (w.generation !== gen) return; // the worker crashed mid-batch: what it had processed of the batch counted then (crashed)
    session.inFlight = null;
    const writer = this.writer;
    const lane = session.lane;
    if (!writer && !lane) return this.processed(session, batch, t);
    let dataBytes = 0;
    let firstBorn = Infinity;
    let lastBorn = -Infinity;
    const sl = batch.slices;
    for (let i = 0; i < sl.length; i++) {
      dataBytes += sl.bytes(i) - sl.keyBytes(i);
      if (sl.firstBorn(i) < firstBorn) firstBorn = sl.firstBorn(i);
      if (sl.lastBorn(i) > lastBorn) lastBorn = sl.lastBorn(i);
    }
    if (lane) {
      // A lease lost mid-batch closed the lane: the batch is not emitted, so not processed (its records go back to the
      // shard's next owner, which reads them from the checkpoint).
      if (lane.isClosed) return this.abandoned(session, batch, t);
      if (session.sinkFrom < 0) session.sinkFrom = batch.from;
      if (lane.offer({ records: batch.records, dataBytes, firstBorn, lastBorn }, batch.to, t)) session.awaiting = batch;
      else this.processed(session, batch, t);
      return;
    }
    session.putSince = t;
    session.putBatch = batch;
    const progress = writer!.write({ records: batch.records, dataBytes, firstBorn, lastBorn }, t, () => w.generation === gen, (at) => {
      if (w.generation !== gen) return;
      session.putBatch = null;
      session.putProgress = null;
      this.s.endPut(session, at);
      this.processed(session, batch, at);
    });
    // (A write with nothing to put is done at once.)
    if (session.putBatch === batch) session.putProgress = progress;
  }

  /**
   * A record processor stopped (its lease lost, its lane closed) before its batch was written to its sink: the batch
   * is not processed (nothing of it was emitted; the shard's next owner reads its records from the checkpoint). Its
   * slot and the batch are freed.
   */
  private abandoned(session: Session, batch: Fetched, t: Micros): void {
    const w = session.worker;
    w.busy--;
    this.s.batches.give(batch);
    session.processing = false;
    this.startWaiting(w, t);
  }

  /** A worker's slot was freed: the record processors queued for one start, as many as there are slots. */
  private startWaiting(w: Session["worker"], t: Micros): void {
    while (w.busy < this.concurrency && w.waiting.length > 0) {
      const next = w.waiting.shift()!;
      next.queued = false;
      this.s.endQueued(next, t);
      this.tryProcess(next, t);
    }
  }

  /**
   * A record processor stops (its lease lost, its worker crashed): what flushes done since its last checkpoint wrote,
   * the lease's next owner, reading from the checkpoint, writes again (KclState.cutWrite; a flush the stop cut has told
   * its own: cutFlushDone). A batch waiting for its flush is abandoned with the flush's lane.
   */
  stopped(session: Session, t: Micros): void {
    const done = session.flushedSinceCheckpoint;
    if (done) this.s.cutWrite(session.shard, done.from, done.to, done.written, t);
    session.flushedSinceCheckpoint = null;
    const batch = session.awaiting;
    if (!batch) return;
    session.awaiting = null;
    this.abandoned(session, batch, t);
  }

  /**
   * The worker crashed at `t` while this record processor's batch was being processed (processRecords running, ShardConsumer's
   * ProcessTask in amazon-kinesis-client): the records it had processed by then are processed — their effects are done —
   * though the call never returned and no checkpoint covers them, so the lease's next owner, reading from the checkpoint,
   * processes them again. By the model's own times: the batch's perBatch first, then its records in order at perRecord
   * each (a drawn duration scales both alike); k = floor((t − start − perBatch) / perRecord). An application with an
   * `output:` or a `sink:` makes its effect after the processing (its puts, its sink's flush), so its cut batch had made none.
   * A crash while an `output:` application's puts of a processed batch were under way (processRecords putting its
   * results, the call not returned) leaves the batch not processed, but what the puts had put in is in the output
   * stream: the next owner, processing the batch again, writes it again (KclState.cutWrite).
   */
  crashed(session: Session, t: Micros): void {
    const putting = session.putBatch;
    if (putting && session.putProgress) this.s.cutWrite(session.shard, putting.from, putting.to, session.putProgress.accepted, t);
    session.putBatch = null;
    session.putProgress = null;
    const batch = session.inFlight;
    session.inFlight = null;
    if (!batch || this.writer || session.lane) return;
    const p = this.s.plan.processing;
    const mean = p.perBatch + batch.records * p.perRecord;
    const drawn = session.inFlightFor;
    const elapsed = t - session.inFlightAt;
    // The time elapsed in the batch's mean time (exactly it unless the duration was drawn around the mean).
    const e = drawn === mean ? elapsed : drawn > 0 ? (elapsed * mean) / drawn : mean;
    const k = p.perRecord > 0 ? Math.min(batch.records, Math.max(0, Math.floor((e - p.perBatch) / p.perRecord))) : e >= mean ? batch.records : 0;
    if (k <= 0) return;
    // As a whole batch counts (processed): from its read position, its first k records (k = records gives batch.to).
    this.count(session, batch.from, batch.to - batch.records + k, t);
    this.s.activity.add(ACTIVITY.processed, t, k);
  }

  /** Records [from, to) of the session's shard were processed: counted once, and again what was processed before. */
  private count(session: Session, from: number, to: number, t: Micros): void {
    const s = this.s;
    const shard = session.shard;
    // A batch that starts past the processed position: a new owner started at LATEST beyond records the previous
    // owner has not processed. While that owner still works on the shard it may process them: the batch is held
    // as processed ahead. With no one left to process them, they were skipped.
    const ahead = from > s.consumed[shard]!;
    if (ahead && [...s.live[shard]!].some((other) => other !== session)) s.processedAhead(shard, from, to, session.cause, session.origin);
    else {
      if (ahead) s.giveUp(shard, s.consumed[shard]!, from, "skipped", t, session.origin);
      const before = s.consumed[shard]!;
      if (to > before) {
        s.processed[shard]! += to - Math.max(from, before);
        s.consumed[shard] = to;
        s.absorbGaps(shard);
      }
      const again = Math.min(to, before) - from;
      if (again > 0) s.processedAgain(shard, again, session.cause, session.origin);
    }
  }

  private processed(session: Session, batch: Fetched, t: Micros): void {
    const s = this.s;
    const w = session.worker;
    w.busy--;
    this.count(session, batch.from, batch.to, t);
    // Its puts are done: what a crash's cut puts had written of its records is written again.
    if (this.writer) s.writtenAgainBy(session.shard, batch.from, batch.to);
    s.activity.add(ACTIVITY.processed, t, batch.records);
    const sl = batch.slices;
    for (let i = 0; i < sl.length; i++) {
      const arrival = sl.arrival(i);
      const users = sl.users(i);
      const born = (sl.firstBorn(i) + sl.lastBorn(i)) / 2;
      s.endToEnd.recordAt(arrival, t - born, users);
      s.putToProcess.recordAt(arrival, t - arrival, users);
      s.stages.record3At(arrival, arrival - born, batch.at - arrival, t - batch.at, users);
    }
    this.checkpointIfDue(session, batch, t);
    // Nothing reads the batch after this: it goes back to the readers (what follows may read again at once).
    s.batches.give(batch);
    session.processing = false;
    if (session.waitingForRoom && this.s.plan.sequential && session.cache.length === 0) {
      // A sequential reader (a stream processor's fetch loop) reads again once its batch is processed.
      session.waitingForRoom = false;
      this.s.endRoom(session, t);
      this.reader.resume(session, t);
    }
    this.startWaiting(w, t);
    this.tryProcess(session, t);
    s.onBatchProcessed?.(session, t);
  }

  /** Checkpoints when due (every N records or T seconds), if this worker still holds the lease. */
  private checkpointIfDue(session: Session, batch: Fetched, t: Micros): void {
    const s = this.s;
    const cp = s.plan.checkpoint;
    if (!cp || !s.table) return; // the engine checkpoints on its own clock
    session.sinceCheckpoint += batch.records;
    const sink = s.ctx.sink?.spec;
    // With a sink the checkpoint follows what is written: after each flush, or when due at the last record written.
    if (sink?.checkpoint === "after-flush") return;
    const due = (cp.every !== undefined && t - session.lastCheckpointAt >= cp.every) || (cp.records !== undefined && session.sinceCheckpoint >= cp.records);
    if (!due) return;
    if (!sink) return this.checkpoint(session, batch.to, t);
    const lease = s.leaseOf[session.shard];
    if (session.durable !== null && session.durable > (lease?.checkpoint ?? -1)) this.checkpoint(session, session.durable, t);
  }

  /** A checkpoint at `position` (a 1-WCU write to the lease table), if this worker still holds the lease. */
  private checkpoint(session: Session, position: number, t: Micros): void {
    const s = this.s;
    const lease = s.leaseOf[session.shard];
    if (!lease || !s.table || !session.alive || lease.owner !== session.worker.index) return;
    const ok = s.table.write(t, LEASE_WRITE_UNITS);
    (ok ? s.counts.checkpoints : s.counts.checkpointsThrottled).add(t);
    if (ok) {
      lease.counter++;
      lease.checkpoint = position;
      session.lastCheckpointAt = t;
      session.sinceCheckpoint = 0;
      checkpointedAt(session, position);
    }
  }
}
