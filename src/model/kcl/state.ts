// What the readers of a stream's shards share. ShardReaders is what any of them keeps — its context, the sessions
// reading each shard, the per-shard progress and the ranges given up or processed ahead, iterator ages, latencies
// by stage, censored latencies at the end, the read counters — and is read by the shared readers (the polling
// fetcher and fan-out subscriptions), configured by a ReaderPlan (how it polls, or its fan-out's delay). A Lambda
// event source mapping (src/model/lambda/) keeps just that. KclState adds what applications with workers and record
// processors keep (a KCL application, a stream processor: ConsumerApp), configured by a ReadPlan: the workers, the
// leases (shards known, their checkpoints and parents) in a lease table or none, and the prefetch cache's rule.

import type { RandomStream } from "../../engine/random.js";
import { FreeList } from "../../engine/freeList.js";
import type { Simulator } from "../../engine/simulator.js";
import type { TokenBucket } from "../../engine/tokenBucket.js";
import type { Micros } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { StageBreakdown } from "../../metrics/stages.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, MaxAfterWarmup, RowsAfterWarmup, SpansAfterWarmup, type Counts } from "../../metrics/warmup.js";
import type { KclAppSpec, LatencySpec } from "../../spec/index.js";
import { DynamoTable } from "../dynamodb/table.js";
import { Slices, type ColumnRead } from "../kinesis/shardLog.js";
import type { Stream } from "../kinesis/stream.js";
import type { StreamWriter, WriteProgress } from "../producers/streamWriter.js";
import type { Sink, SinkLane } from "../sinks/sink.js";
import { newLease, START, START_CAUSES, type Lease, type StartCause } from "./lease.js";
import { LeaseBook } from "./leaseBook.js";

export { Lease, newLease, START, type StartCause } from "./lease.js";

export interface ConsumerContext {
  sim: Simulator;
  /** The stream it reads. */
  stream: Stream;
  /** Where it writes what it processes (`output:`), if it does. */
  writer?: StreamWriter;
  /** Where it emits what it processes (`sink:`), if it does. */
  sink?: Sink;
  rng: RandomStream;
  duration: Micros;
  warmup: Micros;
  resolution: Micros;
}

/** How a reader reads a stream's shards: by polling (GetRecords) with these settings, or by enhanced fan-out with this put-to-push delay. */
export interface ReaderPlan {
  /** Polling (GetRecords); null for enhanced fan-out. */
  poll: PollPlan | null;
  /** Enhanced fan-out's put-to-push delay; null for polling. */
  propagation: LatencySpec | null;
}

/**
 * How the shared wings of an application with workers and record processors read, hand over, process and
 * checkpoint: a KCL application's settings, or a stream processor's (src/model/processors). The same reader,
 * prefetch cache, throttling retries, record processor, iterator age, latency histograms and stage attribution,
 * configured differently.
 */
export interface ReadPlan extends ReaderPlan {
  /** Worker processes (KCL Schedulers), Flink subtasks, or one Spark executor pool. */
  workers: number;
  /** The prefetch cache: a reader reads while the cache holds fewer batches, Kinesis records and data bytes than these (an empty cache always takes a batch). */
  prefetch: { batches: number; records: number; bytes: number };
  /**
   * The reader waits until the record processor has finished the batch it handed over before it reads again: the
   * fetch loop of Flink's and Spark's connectors (fetch, emit — the chained operators process — then sleep).
   */
  sequential: boolean;
  processing: { perRecord: Micros; perBatch: Micros; variability: number; concurrency?: number | undefined };
  /** When a record processor checkpoints to the lease table after a batch (KCL); null when the engine checkpoints on its own clock. */
  checkpoint: { every?: Micros | undefined; records?: number | undefined } | null;
}

/** A polling reader's settings (a KCL application's, a stream processor's connector's, a Lambda event source mapping's poller's). */
export interface PollPlan {
  /** Wait before the next GetRecords after one that returned records, and after an empty one (µs). */
  interval: Micros;
  emptyInterval: Micros;
  /** "response": the wait runs from the response (KCL idleTimeBetweenReads); "start": from the start of the call (a fetch loop that sleeps what is left of its period). */
  from: "response" | "start";
  /**
   * With from "start": the loop sleeps what is left of its period counted in whole grains of this many µs of the
   * time it has run, rounded down (FlinkKinesisConsumer: whole milliseconds), so each loop runs over its period by the
   * part of a grain its work took. Absent: exactly the period from the loop's start.
   */
  sleepGrain?: Micros;
  /** Call again at once (not after the interval) when a call returned records and did not reach the tip (a Lambda poller while it is behind). */
  whileBehind?: boolean;
  /** GetRecords Limit. */
  maxRecords: number;
  latency: LatencySpec;
  /**
   * Retries of a throttled call: delay c = min(cap, base × factor^retry), with equal jitter (in [c/2, c]), full
   * jitter (in [0, c)) or none; after maxAttempts the reader waits `exhaustedWait` and starts a new round of attempts
   * (`retriesExhausted` counts those rounds). With `sdk`, each of those attempts is itself up to sdk.maxAttempts calls
   * by the AWS SDK client below, c = min(sdk.cap, sdk.base × 2^retry) with equal jitter (FlinkKinesisConsumer over
   * the SDK for Java v1).
   */
  retry: {
    maxAttempts: number;
    base: Micros;
    cap: Micros;
    factor: number;
    jitter: "equal" | "full" | "none";
    exhaustedWait: Micros;
    sdk?: { maxAttempts: number; base: Micros; cap: Micros };
  };
}

/** Records fetched (or pushed) together: sequence numbers [from, to), with the log slices they came from. */
export interface Fetched {
  from: number;
  to: number;
  /** User records (what the record processor gets, KPL aggregates de-aggregated). */
  records: number;
  /** Kinesis records and their data bytes (partition keys not counted), as the prefetch counters count them. */
  kinesis: number;
  dataBytes: number;
  slices: Slices;
  /** When it reached the record processor's cache (the GetRecords response, or the push). */
  at: Micros;
}

/** A read's result as a batch for the prefetch cache: `into` filled (one from a FetchedPool), or a new one. */
export function fetchedFrom(from: number, r: ColumnRead, into?: Fetched): Fetched {
  let keyBytes = 0;
  for (let i = 0; i < r.slices.length; i++) keyBytes += r.slices.keyBytes(i);
  if (!into) return { from, to: r.next, records: r.users, kinesis: r.kinesis, dataBytes: r.bytes - keyBytes, slices: r.slices, at: 0 };
  into.from = from;
  into.to = r.next;
  into.records = r.users;
  into.kinesis = r.kinesis;
  into.dataBytes = r.bytes - keyBytes;
  into.slices = r.slices;
  into.at = 0;
  return into;
}

/**
 * Batches (with their slices' storage) that readers reuse once processed. A fetched batch waits in the prefetch cache
 * and then for its processing, about a second: long enough that one allocated per GetRecords call at thousands of
 * shards outlives the young generation, is copied twice by the garbage collector and swept later. A reader takes one
 * for each read (reading into its slices), and whoever is done with it last (the record processor once the batch is
 * processed, Lambda once it has split the batch into pieces) gives it back; one never given back is simply garbage.
 */
export class FetchedPool {
  private readonly free = new FreeList<Fetched>();

  take(): Fetched {
    return this.free.take() ?? { from: 0, to: 0, records: 0, kinesis: 0, dataBytes: 0, slices: new Slices([], 0), at: 0 };
  }

  /** Gives back `batch` (from take): nothing may use it or its slices afterwards. */
  give(batch: Fetched): void {
    this.free.give(batch);
  }
}

/** A record processor: one worker's hold on one shard, with its read position and prefetch cache. */
export interface Session {
  worker: Worker;
  shard: number;
  alive: boolean;
  position: number;
  /** Where it started reading (its lease's checkpoint, or the initial position). */
  start: number;
  cache: Fetched[];
  processing: boolean;
  queued: boolean;
  /** A fetch (or push) is scheduled or in flight. */
  busyFetching: boolean;
  waitingForRoom: boolean;
  lastDelivery: Micros;
  /** Consecutive throttled GetRecords calls. */
  throttleStreak: number;
  /** When the current fetch loop began (its first attempt), for a reader paced from the start of its calls; null between loops. */
  loopStart: Micros | null;
  lastCheckpointAt: Micros;
  sinceCheckpoint: number;
  efo: TokenBucket | null;
  /** With a `sink:`: the record processor's buffer, the batch whose flush it waits for, and the last record written (where it may checkpoint; null before its first flush). */
  lane: SinkLane | null;
  awaiting: Fetched | null;
  durable: number | null;
  /** KCL 3.x graceful handoff: shutdown was requested; the record processor takes no new batch. */
  draining: boolean;
  /** Its reader's next call (a polling reader's GetRecords), one action made once instead of a closure per call. */
  readerCall: ((now: Micros) => void) | null;
  /** Since when it has waited for a slot of its worker (queued), and for puts of its batch to an output stream (−1: not). */
  queuedSince: Micros;
  putSince: Micros;
  /** Since when its reader has waited for room in the prefetch cache (−1: not). */
  roomSince: Micros;
  /** Why it started (START): what the records it processes again are counted to. */
  cause: StartCause;
  /** When what it processes again (or skips) was lost, and where it started (Origin): the fault they count to. */
  origin: Origin;
  /** The batch being processed (null between batches), when its processing started and how long it takes (µs): what a crash cuts. */
  inFlight: Fetched | null;
  inFlightAt: Micros;
  inFlightFor: Micros;
  /** With an `output:`: the processed batch whose puts are under way, and how far they have got (null between batches). */
  putBatch: Fetched | null;
  putProgress: WriteProgress | null;
  /**
   * With a `sink:`: the first record in its lane since the last flush began (−1: none), so a flush covers [sinkFrom, its
   * position); and what flushes written since the last checkpoint covered and wrote (null: none), which the lease's next
   * owner, processing them again from the checkpoint, writes again.
   */
  sinkFrom: number;
  flushedSinceCheckpoint: { from: number; to: number; written: number } | null;
}

/**
 * Where a record processor started reading: its lease's checkpoint; with none, the oldest record its shard retains (the
 * initial position TRIM_HORIZON, or a child shard, which KCL reads from its start whatever the initial position); or the
 * tip (the initial position LATEST).
 */
export const START_FROM = { checkpoint: 0, trimHorizon: 1, latest: 2 } as const;
export type StartFrom = (typeof START_FROM)[keyof typeof START_FROM];

/**
 * What the records a record processor processes again (or skips) count to: when the progress past its start was lost —
 * when the shard's previous record processor stopped (a worker crash, a lease lost or moved), or, for one that started
 * while that one still worked (a steal, a lease taken before its old owner noticed), its own start — and where it
 * started. A crash's records are processed again when the lease's next owner starts, maybe long after (a restart); they
 * count to the crash, not to what happened meanwhile.
 */
export interface Origin {
  lostAt: Micros;
  from: StartFrom;
  /** When the worker that started it was started (Worker.startedAt: 0, or a worker restart or add). */
  workerStartedAt: Micros;
}

/** A record processor (or a Lambda poller's hold on a shard) starting on a shard at `position`. */
export function newSession(worker: Worker, shard: number, position: number, t: Micros): Session {
  return {
    worker,
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
    loopStart: null,
    lastCheckpointAt: t,
    sinceCheckpoint: 0,
    efo: null,
    lane: null,
    awaiting: null,
    durable: null,
    draining: false,
    readerCall: null,
    queuedSince: -1,
    putSince: -1,
    roomSince: -1,
    cause: START.other,
    origin: { lostAt: t, from: START_FROM.checkpoint, workerStartedAt: worker.startedAt },
    inFlight: null,
    inFlightAt: 0,
    inFlightFor: 0,
    putBatch: null,
    putProgress: null,
    sinkFrom: -1,
    flushedSinceCheckpoint: null,
  };
}

/** A worker (KCL Scheduler instance, Flink subtask, the Spark executors, a Lambda mapping's pollers). */
export interface Worker {
  index: number;
  alive: boolean;
  generation: number;
  sessions: Map<number, Session>;
  busy: number;
  waiting: Session[];
  /** Which lease management runs a KCL worker: the 2.x taker or the 3.x assignment (a 2.x application migrating switches); 2 and unused elsewhere. */
  leaseMode: 2 | 3;
  /** Processing time its record processors took since its last metrics report (µs; the CPU it used). */
  busyMicros: number;
  /** KCL 3.x: the utilisation reports in its worker metrics item (oldest first, at most noOfPersistedMetricsPerWorkerMetrics), %. */
  reports: number[];
  /** When it last wrote its worker metrics; −Infinity before its first report. */
  reportedAt: Micros;
  /** When it started: 0, or when a worker restart or add started it. */
  startedAt: Micros;
}

/** What any reader of the shards counts after warmup (GetRecords calls, fan-out subscriptions, records read, skipped). */
export interface ReadStats {
  getRecordsCalls: number;
  readThrottles: number;
  subscribeCalls: number;
  recordsRead: number;
  bytesRead: number;
  /** Records skipped (given up at a lease change without a checkpoint), counted when they were given up. */
  skipped: number;
  /** Rounds of GetRecords attempts that all were throttled (a stream processor's job or task fails then). */
  retriesExhausted: number;
}

export const READ_STATS: readonly (keyof ReadStats)[] = ["getRecordsCalls", "readThrottles", "subscribeCalls", "recordsRead", "bytesRead", "skipped", "retriesExhausted"];

/** Counters after warmup, unless named otherwise. */
export interface ConsumerStats extends ReadStats {
  renewals: number;
  renewalsThrottled: number;
  checkpoints: number;
  checkpointsThrottled: number;
  leaseTakes: number;
  leaseSteals: number;
  /** Takes whose condition failed: the lease was renewed, checkpointed or taken by another worker since the scan. */
  takesFailed: number;
  leasesLost: number;
  takesThrottled: number;
  scansThrottled: number;
  /** KCL 3.x: the leader's assignment runs, and those whose reads were throttled. */
  assignmentRuns: number;
  assignmentRunsThrottled: number;
  /** KCL 3.x: leases the leader gave an owner: unowned ones, expired ones (taken from a worker that stopped renewing) and rebalanced ones (moved from a running worker). */
  assignedNew: number;
  assignedExpired: number;
  assignedRebalance: number;
  /**
   * KCL 3.x, how rebalanced leases left their old owner: handed off gracefully (checkpoint, then release); handoffs
   * that timed out (released by the old owner past gracefulLeaseHandoffTimeoutMillis, or given to the new owner by the
   * leader past the pending checkpoint's timeout: without a checkpoint); and moved at once with graceful handoff off
   * (isGracefulLeaseHandoffEnabled false: the old owner finds it gone at its next renewal, with no checkpoint).
   */
  handoffs: number;
  handoffsTimedOut: number;
  handoffsDisabled: number;
  /**
   * KCL 3.x: the leader's throttled runs while a lease waited for it (unowned, or owned by a worker that is not
   * running), and throttled lease-owner index queries of a worker that owned a lease it had not started.
   */
  assignmentRunsThrottledWaiting: number;
  discoveryThrottledWaiting: number;
  /** KCL 3.x: lease-owner index queries, those throttled, and leases found through them. */
  discoveryQueries: number;
  discoveryThrottled: number;
  leasesDiscovered: number;
  /** KCL 3.x: worker metrics reports written, and throttled. */
  metricsReports: number;
  metricsReportsThrottled: number;
  /** KCL 3.x: workers that became leader (took the leader lock). */
  leaderChanges: number;
}

/** The stages of a consumer's end-to-end latency: born → in the shard → in the record processor's cache → processed. */
export const STAGES = { beforeStream: 0, readWait: 1, processing: 2 } as const;

/** Row of ShardReaders.activity: records processed, GetRecords calls throttled, records processed again and records skipped (both sampled each step), GetRecords calls (refused ones included). */
export const ACTIVITY = { processed: 0, readThrottles: 1, reprocessed: 2, skipped: 3, getRecordsCalls: 4 } as const;

/**
 * Rows of ShardReaders.losses: records processed again by where their record processor started (START_FROM: rows 0–2),
 * records skipped, and records an application's output stream or sink took twice (a crash cut a batch's puts or a
 * flush, or flushes done since the last checkpoint, and they were processed and written again: KclState.cutWrite), each
 * at the step its Origin's lostAt (the cut's time) falls in (not when it was processed again or skipped).
 */
export const LOSS = { againFromCheckpoint: 0, againFromTrimHorizon: 1, againAtLatest: 2, skipped: 3, writtenAgain: 4 } as const;

/**
 * Why records beyond the processed position will not be processed (or were, out of order): expired past retention,
 * skipped (a start at LATEST), processed ahead of what lies before them; and for a Lambda event source mapping, sent
 * to its on-failure destination past MaximumRetryAttempts (destination), discarded past them with no destination
 * (discarded), older than its maximum record age with an on-failure destination (destinationByAge: Lambda sends that
 * batch's details there too) or with none (aged).
 */
export type GapKind = "expired" | "skipped" | "processed" | "destination" | "discarded" | "destinationByAge" | "aged";
/** The kinds a reader gives up (everything but processed). */
export type GivenUp = Exclude<GapKind, "processed">;

/** No record given up, by kind. */
const noneGivenUp = (): Record<GivenUp, number> => ({ expired: 0, skipped: 0, destination: 0, discarded: 0, destinationByAge: 0, aged: 0 });

/**
 * What any application reading a stream's shards keeps (a KCL application, a stream processor, a Lambda event source
 * mapping): its context, the sessions reading each shard, the per-shard progress that accounting follows, iterator
 * ages, the latency histograms by stage, and the read counters after warmup. Subclasses say when a session's cache
 * is full.
 */
export class ShardReaders<K extends string = never> {
  readonly name: string;
  readonly counts: Counts<keyof ReadStats | K>;
  /** Born at the producer → processed, and arrived in the shard → processed, for records that arrived after warmup. */
  readonly endToEnd: LatencyHistogram;
  readonly putToProcess: LatencyHistogram;
  /** Records still unprocessed at the end (arrived after warmup), at their age then: the censored part of endToEnd. */
  readonly censoredAtEnd: LatencyHistogram;
  /** End-to-end latency by stage (STAGES), for records that arrived after warmup. */
  readonly stages: StageBreakdown;
  /** Batches kept until processed: readers take them, the record processor (or Lambda) gives them back. */
  readonly batches = new FetchedPool();

  // Per shard, whole run: the position up to which every record is processed or given up (a record is counted
  // once whatever happens to it later), and those counts.
  readonly consumed: Float64Array;
  readonly processed: Float64Array;
  readonly expired: Float64Array;
  readonly skipped: Float64Array;
  readonly reprocessed: Float64Array;
  /**
   * A Lambda event source mapping's records given up: past MaximumRetryAttempts to the on-failure destination, or
   * discarded with none; older than the maximum record age, to the on-failure destination, or skipped with none.
   */
  readonly destination: Float64Array;
  readonly discarded: Float64Array;
  readonly destinationByAge: Float64Array;
  readonly aged: Float64Array;
  /** The records processed again (whole run, all shards) by why the record processor that processed them again started (START). */
  readonly reprocessedBy = new Float64Array(START_CAUSES);
  /** The records processed again up to the last sample (sampleAges puts the difference in the activity series). */
  reprocessedSampled = 0;
  /** The records skipped up to the last sample. */
  skippedSampled = 0;
  /**
   * Per shard, ranges beyond the processed position, in order: given up (GivenUp), or processed out of order (a new
   * owner at LATEST processing ahead while the previous owner still works through what lies before them; a Lambda
   * batch finished while an earlier concurrent batch of the shard still runs).
   */
  readonly gaps: { from: number; to: number; kind: GapKind; cause: StartCause; origin: Origin | null }[][];
  /** Per shard, when its last record processor stopped (µs; −1: none has): when what it had not checkpointed was lost. */
  readonly endedAt: Float64Array;
  /** Per series step, whole run: what was lost then (LOSS), counted when it was processed again or skipped. */
  readonly losses: SeriesBank;
  /**
   * Records processed again by workers started after they were lost (a worker restarted or added later took the
   * leases), by when they were lost and when the worker started (one entry a pair: a crash's shards share its instant).
   */
  readonly lateReReads = new Map<string, { lostAt: Micros; workerStartedAt: Micros; records: number }>();
  /** Per shard, the live sessions (usually one; two while a stolen lease's old owner has not noticed). */
  readonly live: Set<Session>[];
  /**
   * Iterator age as CloudWatch reports it (µs): for KCL polling, GetRecords.IteratorAgeMilliseconds, the age of the
   * last record a GetRecords call returned (0 when it returned none); for fan-out, a SubscribeToShardEvent's
   * MillisBehindLatest (0 when the event reaches the tip of the shard); for Lambda, its own IteratorAge metric.
   * Highest per shard after warmup, and per series step over the shards (CloudWatch's Maximum statistic).
   */
  readonly iteratorAge: MaxAfterWarmup;
  readonly iteratorAgeSeries: Float64Array;
  /**
   * When the first iterator age was observed (µs; -1: none yet): the first GetRecords response or fan-out event, for
   * Lambda the first invocation with records. Before it the iterator age series is 0 for want of a read, not because
   * the reader was caught up.
   */
  firstIteratorAgeAt: Micros = -1;
  /** Age of the oldest record not processed yet (µs), sampled every series step: highest per shard after warmup, and per step. */
  readonly oldestUnprocessed: MaxAfterWarmup;
  readonly oldestUnprocessedSeries: Float64Array;
  /**
   * The start of the last quarter of the time after warmup (where a consumer's falling behind is judged), and each
   * shard's highest oldest-unprocessed age from then on (µs).
   */
  readonly lateFrom: Micros;
  readonly oldestUnprocessedLate: MaxAfterWarmup;
  /** Per series step: records processed, GetRecords calls throttled, … (rows: ACTIVITY, then the subclass's). */
  readonly activity: SeriesBank;
  /** Called when a session has read a closed shard to its end (the application finishes it). */
  onShardEnd: ((session: Session, t: Micros) => void) | null = null;
  /**
   * Asked after each GetRecords response (the user records it returned; `caughtUp`: it reached the tip of the shard)
   * whether the reader goes on; false stops it until the application resumes it (a Spark micro-batch's task ends).
   * Null: it always goes on.
   */
  keepReading: ((session: Session, read: { records: number; caughtUp: boolean }, t: Micros) => boolean) | null = null;
  readonly rngLatency: RandomStream;

  constructor(
    name: string,
    readonly ctx: ConsumerContext,
    counters: readonly K[],
    activityRows = 5,
  ) {
    this.name = name;
    const n = ctx.stream.shardCount;
    this.counts = countsFrom<keyof ReadStats | K>(ctx.warmup, [...READ_STATS, ...counters]);
    this.endToEnd = new LatencyHistogram(ctx.warmup);
    this.putToProcess = new LatencyHistogram(ctx.warmup);
    this.censoredAtEnd = new LatencyHistogram(ctx.warmup);
    this.stages = new StageBreakdown(3, ctx.warmup);
    this.consumed = new Float64Array(n);
    this.processed = new Float64Array(n);
    this.expired = new Float64Array(n);
    this.skipped = new Float64Array(n);
    this.reprocessed = new Float64Array(n);
    this.destination = new Float64Array(n);
    this.discarded = new Float64Array(n);
    this.destinationByAge = new Float64Array(n);
    this.aged = new Float64Array(n);
    this.gaps = Array.from({ length: n }, () => []);
    this.live = Array.from({ length: n }, () => new Set<Session>());
    this.iteratorAge = new MaxAfterWarmup(ctx.warmup, n);
    this.oldestUnprocessed = new MaxAfterWarmup(ctx.warmup, n);
    this.lateFrom = ctx.duration - Math.floor((ctx.duration - ctx.warmup) / 4);
    this.oldestUnprocessedLate = new MaxAfterWarmup(this.lateFrom, n);
    this.activity = new SeriesBank(activityRows, ctx.duration, ctx.resolution);
    this.losses = new SeriesBank(5, ctx.duration, ctx.resolution);
    this.endedAt = new Float64Array(n).fill(-1);
    this.iteratorAgeSeries = new Float64Array(this.activity.points);
    this.oldestUnprocessedSeries = new Float64Array(this.activity.points);
    this.rngLatency = ctx.rng.fork("latency");
  }


  /**
   * Records [from, to) of a shard will never be processed by this application (GivenUp says why). Records before
   * `from` that a reader has fetched are still to be processed, so the range is held as a gap until processing
   * reaches it; then it counts (skipped records also at `origin`'s lostAt: what they count to).
   */
  giveUp(shard: number, from: number, to: number, kind: GivenUp, t: Micros, origin: Origin | null = null): void {
    from = Math.max(from, this.consumed[shard]!);
    if (to <= from) return;
    if (kind === "skipped") this.counts.skipped.add(t, to - from);
    const gaps = this.gaps[shard]!;
    let i = gaps.length;
    while (i > 0 && gaps[i - 1]!.from > from) i--;
    gaps.splice(i, 0, { from, to, kind, cause: START.other, origin });
    this.absorbGaps(shard);
  }

  /**
   * Records [from, to) of a shard were processed ahead of the processed position, while another record processor
   * may still process what lies before them: held as a range until processing reaches it. What overlaps a range
   * already processed ahead was processed again. `cause` and `origin`: why and where the record processor that
   * processed them started (what the records processed again because of the range count to).
   */
  processedAhead(shard: number, from: number, to: number, cause: StartCause = START.other, origin: Origin | null = null): void {
    const gaps = this.gaps[shard]!;
    for (const g of gaps) {
      if (g.kind !== "processed" || g.to <= from || g.from >= to) continue;
      const overlap = Math.min(g.to, to) - Math.max(g.from, from);
      this.processedAgain(shard, overlap, cause, origin);
      // The union of the two: the new part extends the existing range where they touch.
      if (from >= g.from && to <= g.to) return;
      if (from < g.from) {
        const before = Math.min(g.from, to);
        this.processedAhead(shard, from, before, cause, origin);
      }
      if (to > g.to) this.processedAhead(shard, Math.max(g.to, from), to, cause, origin);
      return;
    }
    let i = gaps.length;
    while (i > 0 && gaps[i - 1]!.from > from) i--;
    const prev = gaps[i - 1];
    if (prev && prev.kind === "processed" && prev.to === from && prev.cause === cause && prev.origin === origin) prev.to = to;
    else gaps.splice(i, 0, { from, to, kind: "processed", cause, origin });
    this.absorbGaps(shard);
  }

  /**
   * `n` records of a shard were processed again, by a record processor that started for `cause`, and at `origin` (a
   * KCL application's or a stream processor's; a Lambda batch tried again has none: its faults count none again).
   */
  processedAgain(shard: number, n: number, cause: StartCause, origin: Origin | null = null): void {
    this.reprocessed[shard]! += n;
    this.reprocessedBy[cause]! += n;
    if (!origin) return;
    this.losses.add(origin.from === START_FROM.checkpoint ? LOSS.againFromCheckpoint : origin.from === START_FROM.trimHorizon ? LOSS.againFromTrimHorizon : LOSS.againAtLatest, origin.lostAt, n);
    // A worker started after the loss (a restart, an add) processed them again: its re-read counts to what lost them.
    if (origin.workerStartedAt > origin.lostAt) {
      const key = `${origin.lostAt}:${origin.workerStartedAt}`;
      const r = this.lateReReads.get(key);
      if (r) r.records += n;
      else this.lateReReads.set(key, { lostAt: origin.lostAt, workerStartedAt: origin.workerStartedAt, records: n });
    }
  }

  /** Counts the ranges that processing has reached. */
  absorbGaps(shard: number): void {
    const gaps = this.gaps[shard]!;
    while (gaps.length > 0 && gaps[0]!.from <= this.consumed[shard]!) {
      const g = gaps.shift()!;
      const at = this.consumed[shard]!;
      if (g.kind === "processed") {
        const again = Math.min(at, g.to) - g.from;
        if (again > 0) this.processedAgain(shard, again, g.cause, g.origin);
      }
      const n = g.to - at;
      if (n <= 0) continue;
      this.countOf(g.kind)[shard]! += n;
      if (g.kind === "skipped" && g.origin) this.losses.add(LOSS.skipped, g.origin.lostAt, n);
      if (g.kind !== "processed") this.givenUpAfterWarmup[g.kind] += this.afterWarmupPart(shard, at, g.to);
      this.consumed[shard] = g.to;
    }
  }

  /**
   * Records given up (by kind) of those that arrived after the warmup, whole run: what a consumer's loss share counts,
   * over the records that arrived after warmup (ranges still ahead of the processed position: pendingGaps).
   */
  readonly givenUpAfterWarmup: Record<GivenUp, number> = noneGivenUp();

  /** How many of a shard's records [from, to) arrived after the warmup. */
  private afterWarmupPart(shard: number, from: number, to: number): number {
    return Math.max(0, to - Math.max(from, this.ctx.stream.seqAtWarmup(shard)));
  }

  /** The per-shard counts of a kind of range. */
  countOf(kind: GapKind): Float64Array {
    switch (kind) {
      case "expired":
        return this.expired;
      case "skipped":
        return this.skipped;
      case "processed":
        return this.processed;
      case "destination":
        return this.destination;
      case "discarded":
        return this.discarded;
      case "destinationByAge":
        return this.destinationByAge;
      case "aged":
        return this.aged;
    }
  }

  /** Whether a session has no room for another read: its reader then waits for room (Reader.resume). The subclass's rule. */
  protected cacheFull(_session: Session): boolean {
    return false;
  }

  /**
   * A reader's turn to read for a session (its fetch or push is no longer pending): false when the session is gone,
   * or when it has no room (the reader then waits for room; see Reader.resume). The one place that rule is applied.
   */
  readyToRead(session: Session, t: Micros): boolean {
    session.busyFetching = false;
    if (!session.alive) return false;
    const full = this.cacheFull(session);
    if (full) {
      session.waitingForRoom = true;
      if (session.roomSince < 0) session.roomSince = t;
    }
    return !full;
  }

  /** A GetRecords response or a fan-out event for a shard at `t`, whose CloudWatch iterator age is `age` (µs). */
  observeIteratorAge(shard: number, t: Micros, age: number): void {
    if (this.firstIteratorAgeAt < 0) this.firstIteratorAgeAt = t;
    const bucket = this.activity.bucketOf(t);
    if (age > this.iteratorAgeSeries[bucket]!) this.iteratorAgeSeries[bucket] = age;
    this.iteratorAge.observe(shard, t, age);
  }

  /** Records before the trim horizon are gone: a reader behind it jumps forward, and what it missed expired. */
  skipExpired(session: Session, t: Micros): void {
    const log = this.ctx.stream.logs![session.shard]!;
    const horizon = log.trimHorizon(t - this.ctx.stream.retention);
    if (session.position < horizon) {
      this.giveUp(session.shard, session.position, horizon, "expired", t);
      session.position = horizon;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Measurement and accounting.

  /** Records given up, or processed out of order, that processing has not reached yet, by kind. */
  pendingGaps(): Record<GapKind, number> & { afterWarmup: Record<GivenUp, number> } {
    const afterWarmup = noneGivenUp();
    const out = { expired: 0, skipped: 0, processed: 0, destination: 0, discarded: 0, destinationByAge: 0, aged: 0, afterWarmup };
    this.gaps.forEach((gaps, shard) => {
      let at = this.consumed[shard]!;
      for (const g of gaps) {
        const from = Math.max(g.from, at);
        const n = g.to - from;
        if (n > 0) {
          out[g.kind] += n;
          if (g.kind !== "processed") afterWarmup[g.kind] += this.afterWarmupPart(shard, from, g.to);
        }
        at = Math.max(at, g.to);
      }
    });
    return out;
  }

  /** Each shard's oldest unprocessed record: how old the oldest record not yet processed is (0 when none waits). */
  sampleAges(t: Micros): void {
    const logs = this.ctx.stream.logs!;
    const retention = this.ctx.stream.retention;
    const bucket = this.activity.bucketOf(t);
    // One pass over the shards: the records processed again and skipped so far (their growth since the last sample
    // goes to the activity series), and each shard's oldest unprocessed record.
    let again = 0;
    let skipped = 0;
    for (let shard = 0; shard < logs.length; shard++) {
      again += this.reprocessed[shard]!;
      skipped += this.skipped[shard]!;
      const log = logs[shard]!;
      let seq = Math.max(this.consumed[shard]!, log.firstSeq);
      // Records past the retention period that no reader fetched are gone (expired, given up when a reader reaches them):
      // the oldest record still waiting is then the oldest the stream holds. Records fetched into a cache stay processable.
      // (The horizon is the first record held as a rule: the sessions are looked at only when records did pass it.)
      const horizon = log.trimHorizon(t - retention);
      if (horizon > seq) {
        let fetched = seq;
        for (const session of this.live[shard]!) if (session.position > fetched) fetched = session.position;
        if (seq >= fetched) seq = horizon;
      }
      if (seq >= log.endSeq) continue;
      const arrival = log.arrivalOf(seq);
      if (arrival === undefined || arrival > t) continue;
      const age = t - arrival;
      if (age > this.oldestUnprocessedSeries[bucket]!) this.oldestUnprocessedSeries[bucket] = age;
      this.oldestUnprocessed.observe(shard, t, age);
      this.oldestUnprocessedLate.observe(shard, t, age);
    }
    if (again > this.reprocessedSampled) {
      this.activity.add(ACTIVITY.reprocessed, t, again - this.reprocessedSampled);
      this.reprocessedSampled = again;
    }
    if (skipped > this.skippedSampled) {
      this.activity.add(ACTIVITY.skipped, t, skipped - this.skippedSampled);
      this.skippedSampled = skipped;
    }
  }

  /** At the end of the run: records past retention that were never processed expired; the rest still waiting are censored. */
  finish(end: Micros): void {
    this.ctx.stream.logs!.forEach((log, shard) => {
      // What a reader has fetched is in flight, not expired: expire from the furthest read position.
      let from = this.consumed[shard]!;
      for (const session of this.live[shard]!) from = Math.max(from, session.position);
      this.giveUp(shard, from, log.trimHorizon(end - this.ctx.stream.retention), "expired", end);
      // Records still waiting to be processed at the end are censored observations: their end-to-end latency is
      // at least their age so far. They count in the latency histogram at that age (a lower bound).
      let at = this.consumed[shard]!;
      const waiting = (to: number) => {
        log.forEachBetween(at, to, (users, firstBorn, lastBorn, arrival) => {
          const born = (firstBorn + lastBorn) / 2;
          this.endToEnd.recordAt(arrival, end - born, users);
          this.censoredAtEnd.recordAt(arrival, end - born, users);
          // Its sink, if any, has not written them either (by birth, as its latency counts them).
          this.ctx.sink?.censor(born, end - born, users);
          this.stages.record3At(arrival, arrival - born, end - arrival, 0, users);
        });
      };
      for (const g of this.gaps[shard]!) {
        if (g.from > at) waiting(g.from);
        at = Math.max(at, g.to);
      }
      waiting(log.endSeq);
    });
  }

  /** The lowest sequence number the live sessions of a shard may still read (for compacting the log), at most `seq`. */
  sessionsNeed(shard: number, seq: number): number {
    for (const session of this.live[shard]!) {
      seq = Math.min(seq, session.position);
      for (const b of session.cache) seq = Math.min(seq, b.from);
    }
    return seq;
  }
}

type LeaseStats = Exclude<keyof ConsumerStats, keyof ReadStats>;
const LEASE_STATS: readonly LeaseStats[] = [
  "renewals",
  "renewalsThrottled",
  "checkpoints",
  "checkpointsThrottled",
  "leaseTakes",
  "leaseSteals",
  "takesFailed",
  "leasesLost",
  "takesThrottled",
  "scansThrottled",
  "assignmentRuns",
  "assignmentRunsThrottled",
  "assignedNew",
  "assignedExpired",
  "assignedRebalance",
  "handoffs",
  "handoffsTimedOut",
  "handoffsDisabled",
  "assignmentRunsThrottledWaiting",
  "discoveryThrottledWaiting",
  "discoveryQueries",
  "discoveryThrottled",
  "leasesDiscovered",
  "metricsReports",
  "metricsReportsThrottled",
  "leaderChanges",
];

/**
 * What an application with workers and record processors keeps besides ShardReaders (a KCL application, a stream
 * processor): its ReadPlan, the workers, the lease table (or none), the leases, and the prefetch cache's rule.
 */
export class KclState extends ShardReaders<LeaseStats> {
  /** The lease table (KCL), or null (a stream processor keeps its positions in its own checkpoints). */
  readonly table: DynamoTable | null;
  /**
   * The leases: one per shard the application knows of and has not finished (the stream's shards at the start; a
   * child's when one of its parents is finished, or when a stream processor discovers it), and each shard's by index.
   */
  readonly leases: Lease[];
  readonly leaseOf: (Lease | undefined)[];
  /** What a scan of the lease table would find (who owns what, what is expired), kept as the leases change. */
  readonly book = new LeaseBook();
  /** Leases created so far (a new one's place in the table's scan order). */
  private created = 0;
  /** Whether finishing a shard creates its children's leases (KCL); a stream processor discovers them on its own clock. */
  childrenAtShardEnd = true;
  /**
   * Per shard, records written before their record processor stopped that its lease's next owner is to process and
   * write again: a batch whose puts to the output stream a crash cut after some were in (`written` output records), or
   * a sink's flush the stop cut and flushes done since the last checkpoint (`written` records the sink took); not yet
   * processed again: [from, to), when they were lost, how much of the range processing again has reached (`covered`)
   * and written again (`rewritten`: covered × the share of the new flush written), and of the copies counted so far.
   */
  private readonly cutWrites: { from: number; to: number; written: number; lostAt: Micros; covered: number; rewritten: number; counted: number }[][];
  /**
   * Whole run: records written twice, to the output stream (a crash cut their batch's puts; processed again, it wrote
   * them again) or to the sink (written before a record processor stopped and not checkpointed: its flush cut, or
   * flushes done since the last checkpoint; processed again, the next owner's flushes wrote them again).
   */
  writtenAgain = 0;
  /** Called when a record processor has processed a batch (a Spark task may then be done). */
  onBatchProcessed: ((session: Session, t: Micros) => void) | null = null;
  readonly workers: Worker[] = [];
  /**
   * KCL 3.x tables (null for a 2.x application until it migrates, and for a stream processor, which has no lease
   * table): the lease-owner index (its own capacity: KCL creates it with the lease table's), and where the worker
   * metrics and the coordinator state live — the lease table itself in the single-table format, or their own tables.
   */
  index: DynamoTable | null = null;
  metricsTable: DynamoTable | null = null;
  coordinatorTable: DynamoTable | null = null;
  readonly rngLeases: RandomStream;
  readonly rngProcessing: RandomStream;
  /**
   * Per shard, over the last quarter of the time after warmup (from `from` = lateFrom), how its record processors spent
   * their time (µs): processing batches (from a batch's start for its drawn duration); held by what they processed (a
   * sink's flush being written, puts to an output stream); queued for one of their worker's `concurrency` slots; and how
   * long its reader waited for room in the prefetch cache (`room`). The rest of a shard's open time they had nothing to
   * process. Also the user records they processed then (a batch's in proportion to its processing inside the window),
   * when the shard was finished (its SHARD_END checkpoint; −1: not finished), after which it has nothing to process,
   * and the user records that arrived in the shard from `arrivedFrom` (the first once-a-second sample in the window; −1
   * before it) to the end (set at the end; until then the shard's log end at `arrivedFrom`).
   */
  readonly processorTime: {
    from: Micros;
    processing: SpansAfterWarmup;
    held: SpansAfterWarmup;
    queued: SpansAfterWarmup;
    room: SpansAfterWarmup;
    records: RowsAfterWarmup;
    finishedAt: Float64Array;
    arrivedFrom: Micros;
    arrived: Float64Array;
  };

  constructor(
    name: string,
    readonly plan: ReadPlan,
    ctx: ConsumerContext,
    table: DynamoTable | null,
  ) {
    super(name, ctx, LEASE_STATS);
    const n = ctx.stream.shardCount;
    this.table = table;
    // The shards that exist when the application starts (all of them unless the stream reshards later).
    const lives = ctx.stream.lives;
    this.leaseOf = new Array<Lease | undefined>(n).fill(undefined);
    this.leases = [];
    for (let shard = 0; shard < lives.length; shard++) {
      if (lives[shard]!.closedAt === null) this.addLease(shard);
    }
    this.rngLeases = ctx.rng.fork("leases");
    this.rngProcessing = ctx.rng.fork("processing");
    const from = this.lateFrom;
    const spans = () => new SpansAfterWarmup(from, ctx.duration, n);
    this.processorTime = { from, processing: spans(), held: spans(), queued: spans(), room: spans(), records: new RowsAfterWarmup(from, n), finishedAt: new Float64Array(n).fill(-1), arrivedFrom: -1, arrived: new Float64Array(n) };
    for (let i = 0; i < plan.workers; i++) this.workers.push(newWorker(i));
    this.cutWrites = Array.from({ length: n }, () => []);
  }

  /**
   * A worker crash at `t` cut the puts to the output stream of a shard's processed batch [from, to) after `written` of
   * its output records were in: the batch does not count as processed, so the lease's next owner processes it again
   * and writes them again (KCL's at-least-once delivery: duplicates in the output stream). Likewise a record processor
   * with a sink that stopped at `t` (a crash, a lease lost) with [from, to) past its checkpoint written (`written` of
   * them): a flush it cut, or flushes done since its last checkpoint; the next owner, reading from the checkpoint,
   * flushes them again (duplicates in the sink: a DynamoDB item put again, a second S3 object).
   */
  cutWrite(shard: number, from: number, to: number, written: number, t: Micros): void {
    if (written > 0 && to > from) this.cutWrites[shard]!.push({ from, to, written, lostAt: t, covered: 0, rewritten: 0, counted: 0 });
  }

  /**
   * A shard's batch [from, to) was processed and its puts are done (with a sink: a flush of [from, to) is done, `share`
   * of its records written): of each cut write it covers, its share of the copies the cut puts had written (in
   * proportion to the part of the cut batch covered and written again, rounded; all of them once it is covered whole
   * and written) were written again. Counted at the cut's time (LOSS.writtenAgain) and in the whole run's total.
   */
  writtenAgainBy(shard: number, from: number, to: number, share = 1): void {
    const cuts = this.cutWrites[shard]!;
    for (let i = 0; i < cuts.length; ) {
      const c = cuts[i]!;
      const overlap = Math.min(to, c.to) - Math.max(from, c.from + c.covered);
      if (overlap > 0) {
        c.covered += overlap;
        c.rewritten += overlap * share;
        const due = Math.round((c.written * c.rewritten) / (c.to - c.from)) - c.counted;
        c.counted += due;
        this.writtenAgain += due;
        this.losses.add(LOSS.writtenAgain, c.lostAt, due);
      }
      if (c.covered >= c.to - c.from || from >= c.to) cuts.splice(i, 1);
      else i++;
    }
  }

  /**
   * A shard read and processed to its end (closed by a reshard): its lease is checkpointed at SHARD_END (a write)
   * and leaves the table, and a lease for each child is created if it has none yet (KCL 2.x creates the children's
   * leases when a parent ends). A new lease is unowned and never renewed: the next taker pass takes it first.
   * Without a lease table (a stream processor) only the lease's state changes, and the children wait for discovery.
   */
  finishShard(shard: number, t: Micros): void {
    const lease = this.leaseOf[shard];
    if (!lease || lease.finished) return;
    if (this.table) {
      this.table.write(t, 1);
      this.counts.checkpoints.add(t);
    }
    lease.finished = true;
    lease.counter++;
    this.processorTime.finishedAt[shard] = t;
    const i = this.leases.indexOf(lease);
    if (i >= 0) this.leases.splice(i, 1);
    this.book.remove(lease);
    if (!this.childrenAtShardEnd) return;
    const lives = this.ctx.stream.lives;
    for (let child = 0; child < lives.length; child++) {
      if (!lives[child]!.parents.includes(shard) || this.leaseOf[child]) continue;
      this.table?.write(t, 1);
      this.addLease(child);
    }
  }

  /** A lease (a shard's entry: its checkpoint, parents, whether it is finished) for a shard the application now knows of. */
  addLease(shard: number): Lease {
    const created = newLease(shard, this.ctx.stream.lives[shard]!.parents, this.created++);
    this.leases.push(created);
    this.book.add(created);
    this.leaseOf[shard] = created;
    return created;
  }

  /** Creates a KCL application's 3.x tables (once), beside its lease table. */
  openV3Tables(spec: KclAppSpec): void {
    const lease = this.table;
    if (this.index || !lease) return;
    const { ctx } = this;
    const table = (t: KclAppSpec["leaseTable"]) => new DynamoTable(t, ctx.duration, ctx.resolution, ctx.warmup);
    this.index = table(spec.leaseTable);
    const separate = spec.kcl.metadataTables === "separate";
    this.metricsTable = separate ? table(spec.kcl.workerMetricsTable) : lease;
    this.coordinatorTable = separate ? table(spec.kcl.coordinatorStateTable) : lease;
  }

  /** A record processor got a slot of its worker: its wait for one ends. */
  endQueued(session: Session, t: Micros): void {
    if (session.queuedSince >= 0) this.processorTime.queued.add(session.shard, session.queuedSince, t);
    session.queuedSince = -1;
  }

  /** A record processor's puts to its output stream are done: its wait for them ends. */
  endPut(session: Session, t: Micros): void {
    if (session.putSince >= 0) this.processorTime.held.add(session.shard, session.putSince, t);
    session.putSince = -1;
  }

  /** A record processor's reader has room again (it resumes reading): its wait for room ends. */
  endRoom(session: Session, t: Micros): void {
    if (session.roomSince >= 0) this.processorTime.room.add(session.shard, session.roomSince, t);
    session.roomSince = -1;
  }

  /** Every wait of a record processor ends (it stopped, or the run ended). */
  endWaits(session: Session, t: Micros): void {
    this.endQueued(session, t);
    this.endPut(session, t);
    this.endRoom(session, t);
  }

  /** At the end of the run also: record processors still waiting for a slot or for puts waited until then (flushes: Sink.finish). */
  override finish(end: Micros): void {
    super.finish(end);
    for (const live of this.live) for (const session of live) this.endWaits(session, end);
    const logs = this.ctx.stream.logs!;
    const pt = this.processorTime;
    if (pt.arrivedFrom >= 0) for (let s = 0; s < logs.length; s++) pt.arrived[s] = logs[s]!.endSeq - pt.arrived[s]!;
  }

  /** Also, at the first sample in the last quarter, each shard's log end: what arrives from then on is counted at the end. */
  override sampleAges(t: Micros): void {
    super.sampleAges(t);
    const pt = this.processorTime;
    if (pt.arrivedFrom >= 0 || t < pt.from) return;
    pt.arrivedFrom = t;
    const logs = this.ctx.stream.logs!;
    for (let s = 0; s < logs.length; s++) pt.arrived[s] = logs[s]!.endSeq;
  }

  /**
   * A record processor starts a batch that takes `micros` of processing: its worker's CPU time (KCL 3.x worker
   * metrics) and its lease's processed bytes (LeaseStatsRecorder, written with the next renewal).
   */
  noteProcessing(session: Session, batch: Fetched, micros: number, t: Micros): void {
    session.worker.busyMicros += micros;
    // The batch's records count in the part of its processing inside the window (all of them for an instant batch in it).
    const inside = this.processorTime.processing.add(session.shard, t, t + micros);
    if (micros > 0) this.processorTime.records.addAfterWarmup(session.shard, (batch.records * inside) / micros);
    else if (t < this.ctx.duration) this.processorTime.records.add(session.shard, t, batch.records);
    const lease = this.leaseOf[session.shard];
    if (lease) lease.bytesSinceRenewal += batch.dataBytes;
  }

  /** Whether every parent of a shard is finished (its record processor may start). */
  parentsDone(lease: Lease): boolean {
    return lease.parents.every((p) => this.leaseOf[p]?.finished ?? false);
  }

  /**
   * The prefetch cache's limits. Polling (PrefetchRecordsPublisher.PrefetchCounters.shouldGetNewRecords): an empty
   * cache always takes another batch; otherwise it must hold fewer than `prefetch.batches` batches,
   * `prefetch.records` Kinesis records and `prefetch.bytes` of record data. Fan-out: batches only. A sequential
   * reader (a stream processor's fetch loop) waits until the batch it handed over is processed.
   */
  protected override cacheFull(session: Session): boolean {
    const cache = session.cache;
    if (this.plan.sequential && (session.processing || cache.length > 0)) return true;
    if (cache.length === 0) return false;
    const limits = this.plan.prefetch;
    let full = cache.length >= limits.batches;
    if (!full && this.plan.poll) {
      let kinesis = 0;
      let bytes = 0;
      for (const b of cache) {
        kinesis += b.kinesis;
        bytes += b.dataBytes;
      }
      full = kinesis >= limits.records || bytes >= limits.bytes;
    }
    return full;
  }
}

export function newWorker(index: number, leaseMode: 2 | 3 = 2, startedAt: Micros = 0): Worker {
  return { index, alive: true, generation: 0, sessions: new Map(), busy: 0, waiting: [], leaseMode, busyMicros: 0, reports: [], reportedAt: -Infinity, startedAt };
}

export function shuffle<T>(a: T[], rng: RandomStream): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const x = a[i]!;
    a[i] = a[j]!;
    a[j] = x;
  }
}
