// A Lambda event source mapping on a Kinesis stream (Lambda developer guide, "Using Lambda with Kinesis":
// https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html; docs/limits.md): a reader per shard — polling with
// GetRecords once a second (at once again while behind), sharing the shard's 5 calls/s and 2 MiB/s with every polling
// consumer (src/model/kcl/pollingFetcher.ts), or an enhanced fan-out subscription (src/model/kcl/fanOut.ts) — hands
// what it reads to up to ParallelizationFactor concurrent batches per shard (lanes: each partition key stays in one,
// so records keep their order per key; each lane gets the share of the shard's records whose keys hash to it,
// keyLanes.ts). A lane invokes the function with up to BatchSize records within the 6 MB payload, after the batching
// window unless a full batch or the payload limit comes first, one batch at a time:
// - a throttled invocation (the function's concurrency) is tried again after the retry delay; it is not a retry;
// - a failed one (an error, a timeout, a poison record) is bisected when BisectBatchOnFunctionError is on (the halves
//   do not use up retries), else retried until MaximumRetryAttempts; then its records are discarded;
// - records older than MaximumRecordAge when a batch is (re)tried are discarded too, not sent to the function; records
//   past the stream's retention are gone (expired) — so with the defaults (−1, −1) a failing batch blocks its lane for
//   up to the retention period.
// Discarded records, past their retries or their age, are never processed. With an on-failure destination, Lambda
// sends it each discarded batch's details, not its records: "When Lambda discards a batch of records that's too old or
// has exhausted all retries, Lambda sends details about the batch to the queue or topic" (the invocation record's
// KinesisBatchInfo: shard, first and last sequence numbers; "The actual records aren't included, so you must process
// this record and retrieve them from the stream before they expire and are lost": Lambda developer guide, "Using
// Lambda with Kinesis", and https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). They
// are counted by reason — to the destination past their retries or for their age — and as lost only with no
// destination (discarded, skipped by maximum age).
// - a successful batch is processed, and the lane takes its next batch. With a sink, the invocation writes the batch
//   before it returns (write): the write is part of the invocation — its Duration, its timeout, the concurrency it
//   holds, its bill — and a write the timeout cuts fails the invocation (what it wrote stays written: the retry writes
//   it again).
// The reader stops reading a shard while one of its lanes holds a full batch waiting, so a blocked lane soon holds
// the whole shard. A closed shard (after a reshard) is read and processed to its end before its children start.
//
// Accounting per mapping: records the stream accepted = processed + unread (or in flight) + expired + skipped at the
// start + sent to the on-failure destination past their retries + discarded + sent to it for their age + skipped by
// maximum record age.

import type { SinkLane } from "../sinks/sink.js";
import { oneAtATimeWriteOf, writeTimeOf, writeUsOf, type BatchWrite, type SpentCredit, type WriteTime } from "../sinks/batchWrite.js";
import type { RandomStream } from "../../engine/random.js";
import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import { LAMBDA_ESM_POLL_INTERVAL_MS, LAMBDA_SYNC_PAYLOAD_MAX_BYTES } from "../../aws/limits.js";
import type { FaultSpec, LambdaConsumerSpec } from "../../spec/index.js";
import type { FanOutSubscriptions } from "../kcl/fanOut.js";
import { openReader } from "../kcl/openReader.js";
import type { Delivery, Reader } from "../kcl/reader.js";
import { ACTIVITY, newSession, newWorker, ShardReaders, START, type ConsumerContext, type Fetched, type GivenUp, type ReaderPlan, type Session } from "../kcl/state.js";
import { SpansAfterWarmup } from "../../metrics/warmup.js";
import { LambdaFunction, type ErrorBurst, type FailingCause } from "./function.js";
import { allotByShares, laneSharesOf, type KeyedWriter } from "./keyLanes.js";
import { laneBatchWithin, laneCycles, type LaneTimes } from "./laneBatch.js";
import { arrivedBefore, payloadOf, pieceFrom, splitPiece, splitPieceEvenly, splitPieceInto, type Piece } from "./pieces.js";

/** The Kinesis records in pieces (what BatchSize counts: a KPL aggregate is one, whatever user records it holds). */
function kinesisIn(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += p.kinesis;
  return n;
}

/**
 * Rows of the mapping's activity series after ACTIVITY's: records to the on-failure destination past their retries,
 * discarded (past their retries, no destination), skipped by age (no destination), and to the destination for their age.
 */
export const LAMBDA_ACTIVITY = { destination: 5, discarded: 6, aged: 7, destinationByAge: 8 } as const;

/** The activity row of each kind of record the mapping gives up (LAMBDA_ACTIVITY; expired and skipped have none). */
const GIVEN_UP_ROW: Partial<Record<GivenUp, number>> = { destination: LAMBDA_ACTIVITY.destination, discarded: LAMBDA_ACTIVITY.discarded, aged: LAMBDA_ACTIVITY.aged, destinationByAge: LAMBDA_ACTIVITY.destinationByAge };

/**
 * An invocation that times out on every try, as near as can be said (LambdaFunction.timesOutWith): its records, its mean
 * duration (µs, above the timeout), the duration variability, and the chance of a try ending in time.
 */
export interface TimedOutInvocation {
  records: number;
  durationUs: Micros;
  variability: number;
  successChance: number;
  /**
   * When the function's own work ends within the timeout and the invocation times out only with its sink write: the
   * least that write takes (src/model/sinks/batchWrite.ts), counted in successChance.
   */
  write?: BatchWrite;
}

/** A batch a lane invokes the function with (a window's final invocation has no records). */
interface Batch {
  pieces: Piece[];
  records: number;
  /** Retries used (bisection's halves keep their parent's). */
  retries: number;
  final: boolean;
  /**
   * Its latest invocation (the one running, or the last) succeeds: the function is done with it, or will be when that
   * invocation ends (its sink may be writing it). False before its first invocation, after a failed one, while a
   * throttled one waits to be tried again, and for bisection's halves.
   */
  succeeds: boolean;
}

/** One of a shard's concurrent batches: records waiting for a batch, and the batches formed, the first running or retrying. */
interface Lane {
  index: number;
  /** The shard it is a lane of. */
  shard: number;
  queue: Piece[];
  queued: number;
  batches: Batch[];
  /** An invocation is running, or waits for its retry. */
  busy: boolean;
  /** When it last became busy. */
  busySince: Micros;
  /** A batching-window timer is pending. */
  timer: boolean;
  /** The tumbling window of the lane's last batch (−1: none yet). */
  window: number;
  /**
   * User records that writes the timeout cut had written of batches tried again (bisected or retried), oldest first: the
   * lane's next batches write them again, counted processed again when those batches are processed (processed()), not
   * when they are given up (failed()).
   */
  cutWritten: number;
  /** When the first of its failed tries in a row began (−1: its last try did not fail; a processed batch resets it). */
  failingSince: Micros;
}

interface ShardMapping {
  session: Session;
  lanes: Lane[];
  /** The reader read the closed shard to its end. */
  ended: boolean;
  /** The lane the next read's first part goes to. */
  nextLane: number;
  /**
   * With lanes by partition key (LambdaConsumer.laneShares): the lanes' shares of the shard's records, and what each lane
   * is owed of the records split so far (allotByShares). Null: the records are split evenly.
   */
  byKey: { shares: Float64Array; owed: Float64Array } | null;
}

/** What the mapping keeps of the shards: ShardReaders, with Lambda's own iterator age and the reader's pause rule. */
class MappingState extends ShardReaders {
  /** Called by the readers' GetRecords and fan-out events: Lambda's IteratorAge is per invocation instead (observeBatch). */
  override observeIteratorAge(): void {}

  /**
   * Lambda's IteratorAge: for each batch of records processed, the time Lambda received the batch (here: the
   * invocation with it starts) minus the time its last record was written to the stream.
   */
  observeBatch(shard: number, t: Micros, age: number): void {
    super.observeIteratorAge(shard, t, age);
    if (t >= this.iteratorAge.from) this.agePoints++;
  }

  /**
   * IteratorAge values after warmup: one for each invocation with records ("the age of the last record in the event";
   * a tumbling window's final invocation, which has none, gives none). None: CloudWatch has no IteratorAge to judge.
   */
  agePoints = 0;

  /** Whether a shard's reader must wait: one of its lanes holds a full batch waiting (set by the mapping). */
  full: (shard: number) => boolean = () => false;

  protected override cacheFull(session: Session): boolean {
    return this.full(session.shard);
  }
}

/** How the mapping reads (src/model/kcl's shared readers): its poller once a second, at once again while behind; or its stream consumer's fan-out. */
export function lambdaReaderPlan(spec: LambdaConsumerSpec): ReaderPlan {
  const interval = LAMBDA_ESM_POLL_INTERVAL_MS * MICROS_PER_MS;
  return {
    poll:
      spec.reader === "polling"
        ? {
            interval,
            emptyInterval: interval,
            from: "response",
            whileBehind: true,
            maxRecords: spec.poll.maxRecords,
            latency: spec.poll.latency,
            // Equal-jitter backoff; when the attempts run out the poller waits its whole interval.
            retry: { ...spec.poll.retry, factor: 2, jitter: "equal", exhaustedWait: interval },
          }
        : null,
    propagation: spec.reader === "fanout" ? spec.propagation : null,
  };
}

export class LambdaConsumer implements Delivery {
  readonly name: string;
  readonly fn: LambdaFunction;
  private readonly s: MappingState;
  private readonly reader: Reader;
  private readonly fanOut: FanOutSubscriptions | null;
  private readonly shards: (ShardMapping | undefined)[];
  private readonly lanes: number;
  /** The mapping's pollers, as the one "worker" holding every shard's session. */
  private readonly pollers = newWorker(0);
  private readonly rngPoison: RandomStream;
  /**
   * Per shard, the lanes' shares of its records by partition key (keyLanes.ts), worked out when it opens (at the start,
   * or by a reshard); null or absent: split evenly — one lane, `partitionKeysPerShard` given, no writer with discrete
   * partition keys (random keys and ExplicitHashKeys spread evenly), or no records expected on the shard.
   */
  private readonly laneShares: (Float64Array | null)[] = [];
  /**
   * User records (whole run) that a write the timeout cut had written to the sink before its batch was given up at that
   * failure (discarded, or sent to the on-failure destination): counted among those, yet in the sink.
   */
  writtenThenGivenUp = 0;
  /** Invocations writing their batches to the sink (write): when each began. */
  private readonly writing = new Set<{ start: Micros }>();

  constructor(
    readonly spec: LambdaConsumerSpec,
    ctx: ConsumerContext,
    faults: readonly FaultSpec[],
    /** The stream's writers, their keys and records a second (asked at the start, when every writer is built). */
    private readonly writers: () => readonly KeyedWriter[] = () => [],
  ) {
    this.name = spec.name;
    this.s = new MappingState(spec.name, ctx, [], 9);
    const bursts: ErrorBurst[] = faults.flatMap((f) => (f.kind === "function-errors" && f.consumer === spec.name ? [{ from: f.at, to: f.at + f.for, share: f.share }] : []));
    this.rngPoison = ctx.rng.fork("poison");
    this.fn = new LambdaFunction(spec.function, ctx.rng.fork("function"), bursts, ctx.warmup, ctx.duration, ctx.resolution);
    this.lanes = Math.min(spec.parallelization, spec.partitionKeysPerShard ?? spec.parallelization);
    this.failingLate = new SpansAfterWarmup(this.s.lateFrom, ctx.duration, ctx.stream.shardCount * this.lanes);
    this.throttledLate = new SpansAfterWarmup(this.s.lateFrom, ctx.duration, ctx.stream.shardCount * this.lanes);
    this.busyLate = new SpansAfterWarmup(this.s.lateFrom, ctx.duration, ctx.stream.shardCount * this.lanes);
    this.sinkWaitLate = new SpansAfterWarmup(this.s.lateFrom, ctx.duration, ctx.stream.shardCount * this.lanes);
    this.startedAt = new Float64Array(ctx.stream.shardCount).fill(-1);
    this.finishedAt = new Float64Array(ctx.stream.shardCount).fill(-1);
    const opened = openReader(this.s, this, lambdaReaderPlan(spec));
    this.reader = opened.reader;
    this.fanOut = opened.fanOut;
    const n = ctx.stream.shardCount;
    this.shards = new Array<ShardMapping | undefined>(n).fill(undefined);
    this.s.full = (shard) => this.shards[shard]?.lanes.some((l) => kinesisIn(l.queue) >= spec.batchSize) ?? false;
    this.s.onShardEnd = (session, t) => {
      this.shards[session.shard]!.ended = true;
      this.maybeFinish(session.shard, t);
    };
  }

  // What the result reads.
  get stream() {
    return this.s.ctx.stream;
  }
  /** Whether it reads by polling (GetRecords, sharing the shards' read limits), not by enhanced fan-out. */
  get polls(): boolean {
    return this.fanOut === null;
  }
  get state(): Readonly<ShardReaders> {
    return this.s;
  }
  /** IteratorAge values after warmup (MappingState.agePoints). */
  get iteratorAgePoints(): number {
    return this.s.agePoints;
  }
  /**
   * A full batch's user records ÷ its mean duration (no cold start), its sink write included: the most user records a
   * second one lane can process. BatchSize counts Kinesis records (a KPL aggregate is one), so a full batch holds BatchSize
   * × the user records per Kinesis record the mapping read (1 without aggregation), each taking the function's perRecord;
   * with a `sink:`, the invocation then writes them before it returns (fullBatchWriteUs). When a full batch's mean
   * duration is over the function's timeout, it never finishes (retried whole, failed()): the lane finishes only smaller
   * batches, and the bound is counted at the one within the timeout that processes the most (laneBatch.ts; helper-112: two
   * shards, batches of 100 written in 7 requests of 200 ms, 1.42 s, read 70.4 records/s a lane, where only batches of up to
   * 64 records, 820 ms, end in time: 78.0).
   */
  get laneThroughput(): number {
    return this.laneBatch.perSecond;
  }
  /**
   * Of the batch laneThroughput is counted at (laneBatchRecords): the chance that a try ends within the function's
   * timeout (1: none is cut), and the lane's mean time for each such batch processed, its cut tries and their retry delays
   * included (µs; laneBatch.ts laneCycles). Infinity when none ends in time. `fullInTime`: the chance for a full batch's try.
   */
  get laneTry(): { inTime: number; batchEveryUs: number; fullInTime: number } {
    const b = this.laneBatch.records;
    const { tryOf, cycle } = laneCycles(this.laneTimes);
    const fullInTime = tryOf(this.spec.batchSize).doneChance;
    if (b <= 0) return { inTime: 0, batchEveryUs: Infinity, fullInTime };
    const c = cycle(b);
    return { inTime: tryOf(b).doneChance, batchEveryUs: c.users > 0 ? (c.us * b * this.userRecordsPerRecord) / c.users : Infinity, fullInTime };
  }
  /** The batch (Kinesis records) laneThroughput is counted at: BatchSize, or fewer when a full batch outlasts the timeout (0: none ends within it). */
  get laneBatchRecords(): number {
    return this.laneBatch.records;
  }
  private get laneBatch(): { records: number; perSecond: number } {
    // A pure function of what the mapping has read (its user records a record and data bytes a record), asked for many
    // times at the summary (the bound, its remedies, the words): worked out once for each. With a per-request sink write
    // and variability, each is a search over thousands of batch sizes (helper-133: 1–2 s a consumer at BatchSize 10,000).
    const m = this.laneBatchMemo;
    if (m && m.users === this.readUsers && m.kinesis === this.readKinesis && m.bytes === this.readDataBytes) return m.value;
    const value = laneBatchWithin(this.laneTimes, this.spec.batchSize);
    this.laneBatchMemo = { users: this.readUsers, kinesis: this.readKinesis, bytes: this.readDataBytes, value };
    return value;
  }
  private laneBatchMemo: { users: number; kinesis: number; bytes: number; value: { records: number; perSecond: number } } | null = null;
  /** What a lane's batch takes (laneBatch.ts): the function's duration and timeout, the user records a record holds, the sink write, the retry settings. */
  get laneTimes(): LaneTimes {
    const d = this.spec.function.duration;
    const spec = this.spec;
    return {
      perInvocationUs: d.perInvocation,
      perRecordUs: d.perRecord,
      usersPerRecord: this.userRecordsPerRecord,
      write: this.writeTime,
      timeoutUs: spec.function.timeout,
      variability: d.variability,
      retryDelayUs: spec.retryDelay,
      maximumRetryAttempts: spec.maximumRetryAttempts,
      bisect: spec.bisectBatchOnFunctionError,
    };
  }
  /** A full batch's user records: BatchSize × the user records per Kinesis record the mapping read. */
  private get fullBatchUsers(): number {
    return this.spec.batchSize * this.userRecordsPerRecord;
  }
  /** User records per Kinesis record the mapping read (what a record BatchSize counts holds; 1 without aggregation). */
  get userRecordsPerRecord(): number {
    return this.readKinesis > 0 ? this.readUsers / this.readKinesis : 1;
  }
  /** A full batch's mean duration without its sink write (µs, no cold start): perInvocation + its user records × perRecord. */
  get fullBatchComputeUs(): number {
    const d = this.spec.function.duration;
    return d.perInvocation + this.fullBatchUsers * d.perRecord;
  }
  /** Record data bytes per user record the mapping read (what its sink stores, at the sink's sizeFactor). */
  get dataBytesPerRecord(): number {
    return this.readUsers > 0 ? this.readDataBytes / this.readUsers : 0;
  }
  /**
   * With a `sink:`, how long the write of a batch takes as a function of its user records (src/model/sinks/batchWrite.ts:
   * the sink not throttled, serving it alone), at the record size the mapping read; null without one.
   */
  get writeTime(): WriteTime | null {
    const sink = this.s.ctx.sink;
    return sink ? writeTimeOf(sink.spec, this.dataBytesPerRecord) : null;
  }
  /**
   * With a Redshift or OpenSearch `sink:`, the most user records a second its writes let through, whatever the lanes: the
   * cluster runs one COPY at a time, the domain indexes one bulk request at a time, for every lane of every shard
   * (oneAtATimeWriteOf), so the function writes at most a batch's user records ÷ that part of its write a second — at the
   * batch laneThroughput counts (a larger write's fixed part is shared by more records, so none of its batches does
   * better). 4 shards, batches of 100 records, a COPY of 1 s: 100 records/s, not 4 lanes × 100 ÷ (compute + staging put +
   * COPY). `write`: that one-at-a-time part as a function of a write's user records (what a remedy that changes the batch
   * counts: src/result/lambdaRemedy.ts). Null without such a sink.
   */
  get sinkWriteBound(): { perSecond: number; batchUsers: number; writeUs: number; write: WriteTime } | null {
    const sink = this.s.ctx.sink;
    const w = sink ? oneAtATimeWriteOf(sink.spec, this.dataBytesPerRecord) : null;
    if (!w) return null;
    const batchUsers = this.laneBatch.records * this.userRecordsPerRecord;
    const writeUs = writeUsOf(w, batchUsers);
    return { perSecond: writeUs > 0 ? batchUsers / (writeUs / 1e6) : batchUsers > 0 ? Infinity : 0, batchUsers, writeUs, write: w };
  }
  /** A full batch's mean sink write (µs; 0 without a sink): what the invocation spends writing it when the sink is not throttled. */
  get fullBatchWriteUs(): number {
    const w = this.writeTime;
    return w ? writeUsOf(w, this.fullBatchUsers) : 0;
  }
  /** User records and Kinesis records the reader delivered (their ratio: user records per Kinesis record, for laneThroughput). */
  private readUsers = 0;
  private readKinesis = 0;
  private readDataBytes = 0;
  /**
   * The batches the mapping can run at once over `shards` open shards: shards × lanes, or the function's concurrency
   * limit when it is lower (reserved concurrency "sets both the maximum and minimum number of concurrent instances
   * allocated to your function", https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html; an
   * invocation beyond it is throttled and tried again).
   */
  boundBatches(shards: number): number {
    return Math.min(shards * this.lanes, this.fn.limit);
  }
  /**
   * boundBatches × laneThroughput, at most sinkWriteBound: the most records a second the mapping can process. With lanes by partition key
   * (laneShares), a shard processes at most laneThroughput ÷ its busiest lane's share (that lane full, the others
   * waiting with it: the reader stops while a lane holds a full batch), under its lanes' sum when a key is hot: the
   * batches are counted at the share of lane capacity the open shards can use (helper-100: a hot key of 60% on a
   * shard's 4 lanes let it process 286 records/s, and the bound read 800).
   */
  throughputBound(shards: number, blocked: readonly number[] = []): number {
    // A sink that writes one batch at a time for every lane lets through no more (sinkWriteBound).
    return Math.min(this.lanesBound(shards, blocked), this.sinkWriteBound?.perSecond ?? Infinity);
  }

  /** throughputBound's lanes alone: boundBatches × the usable lane share × laneThroughput, as if each lane's writes had the sink to themselves. */
  lanesBound(shards: number, blocked: readonly number[] = []): number {
    const batches = this.boundBatches(shards);
    return batches > 0 ? batches * this.usableLaneShare(blocked) * this.laneThroughput : 0;
  }

  /**
   * Of the open shards' lanes, the share of their capacity a shard's key spread lets it use (1 when records split evenly);
   * `blocked` shards' lanes (held by batches that time out on every try) count none: they finish no batch.
   */
  private usableLaneShare(blocked: readonly number[] = []): number {
    const stream = this.s.ctx.stream;
    let open = 0;
    let usable = 0;
    for (let shard = 0; shard < stream.lives.length; shard++) {
      if (!stream.isOpen(shard)) continue;
      open++;
      if (blocked.includes(shard)) continue;
      const shares = this.laneShares[shard];
      let top = 0;
      if (shares) for (const x of shares) if (x > top) top = x;
      usable += shares && top > 0 ? Math.min(1, 1 / (top * this.lanes)) : 1;
    }
    return open > 0 ? usable / open : 1;
  }
  get concurrentBatchesPerShard(): number {
    return this.lanes;
  }

  // -------------------------------------------------------------------------------------------------------
  // Life cycle.

  start(): void {
    this.fanOut?.start();
    this.splitByKeys();
    const stream = this.s.ctx.stream;
    stream.lives.forEach((l, shard) => {
      if (l.closedAt === null && l.parents.length === 0) this.startShard(shard, 0, this.spec.startingPosition === "LATEST");
    });
  }

  private startShard(shard: number, t: Micros, latest: boolean): void {
    const log = this.s.ctx.stream.logs![shard]!;
    const position = latest ? log.endSeq : log.trimHorizon(t - this.s.ctx.stream.retention);
    this.s.giveUp(shard, this.s.consumed[shard]!, position, "skipped", t);
    const session = newSession(this.pollers, shard, position, t);
    const lanes: Lane[] = Array.from({ length: this.lanes }, (_, index) => ({ index, shard, queue: [], queued: 0, batches: [], busy: false, busySince: 0, timer: false, window: -1, cutWritten: 0, failingSince: -1 }));
    const shares = this.laneShares[shard];
    const byKey = shares && !shares.every((x) => x === shares[0]) ? { shares, owed: new Float64Array(this.lanes) } : null;
    this.shards[shard] = { session, lanes, ended: false, nextLane: 0, byKey };
    this.startedAt[shard] = t;
    this.s.live[shard]!.add(session);
    this.reader.begin(session, t);
  }

  /** A closed shard read and processed to its end: its children whose parents are all done start at their first record. */
  private maybeFinish(shard: number, t: Micros): void {
    const m = this.shards[shard]!;
    const log = this.s.ctx.stream.logs![shard]!;
    if (!m.ended || this.s.consumed[shard]! < log.endSeq || m.lanes.some((l) => l.busy || l.queued > 0 || l.batches.length > 0)) return;
    m.session.alive = false;
    this.s.live[shard]!.delete(m.session);
    this.finishedAt[shard] = t;
    this.s.ctx.stream.lives.forEach((l, child) => {
      if (this.shards[child] || !l.parents.includes(shard)) return;
      if (l.parents.every((p) => this.finishedAt[p]! >= 0)) this.startShard(child, t, false);
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Batches.

  /**
   * With more than one lane a shard, no `partitionKeysPerShard` and a writer with discrete partition keys (Zipf, hot
   * keys) or whose records all carry one key (a KPL's aggregates: KeyedWriter.recordKey): each open shard's lanes'
   * shares of its records by partition key (laneSharesOf), now and whenever a reshard opens shards.
   */
  private splitByKeys(): void {
    if (this.lanes === 1 || this.spec.partitionKeysPerShard !== undefined) return;
    const writers = this.writers();
    if (!writers.some((w) => w.recordKey !== undefined || (w.population.count > 0 && !w.population.explicitHashKeyAt))) return;
    const stream = this.s.ctx.stream;
    const shareOpen = (which: readonly number[] | null) => {
      const open = stream.openRanges();
      const shares = laneSharesOf(writers, open.ranges, this.lanes);
      open.shards.forEach((shard, i) => {
        if (which === null || which.includes(shard)) this.laneShares[shard] = shares[i]!;
      });
    };
    shareOpen(null);
    if (stream.reshardsDuringRun) stream.onReshard((_t, opened) => shareOpen(opened));
  }

  /**
   * The reader's records: split among the shard's lanes — by their shares of the shard's partition keys (each lane's
   * count within a record of its share of everything split so far), or evenly — in contiguous parts, each with the
   * records the function cannot process.
   */
  deliver(session: Session, fetched: Fetched, t: Micros): void {
    fetched.at = t;
    this.readUsers += fetched.records;
    this.readKinesis += fetched.kinesis;
    this.readDataBytes += fetched.dataBytes;
    const m = this.shards[session.shard]!;
    const poisonShare = this.spec.function.errors.poisonRecords;
    const n = m.lanes.length;
    const whole = pieceFrom(fetched, []);
    this.s.batches.give(fetched); // the pieces hold its numbers and its slices as objects
    // Lanes in turn (the first part, with the oldest records, to the next lane each time), so that small reads spread over them all.
    let parts: { piece: Piece; lane: Lane }[];
    if (m.byKey) {
      const counts = allotByShares(m.byKey.owed, m.byKey.shares, whole.records);
      const order = Array.from({ length: n }, (_, i) => (m.nextLane + i) % n);
      const pieces = splitPieceInto(whole, order.map((l) => counts[l]!));
      parts = order.flatMap((l, i) => (pieces[i] ? [{ piece: pieces[i], lane: m.lanes[l]! }] : []));
    } else parts = splitPieceEvenly(whole, n).map((piece, i) => ({ piece, lane: m.lanes[(m.nextLane + i) % n]! }));
    for (const { piece, lane } of parts) {
      if (poisonShare > 0) {
        const k = this.rngPoison.binomial(piece.records, poisonShare);
        for (let j = 0; j < k; j++) piece.poison.push(this.rngPoison.int(piece.records));
        piece.poison.sort((a, b) => a - b);
      }
      lane.queue.push(piece);
      lane.queued += piece.records;
      this.next(session.shard, lane, t);
    }
    m.nextLane = (m.nextLane + parts.length) % n;
  }

  /** The tumbling window a record that arrived at `arrival` belongs to (−1 without tumbling windows). */
  private windowOf(arrival: Micros): number {
    const w = this.spec.tumblingWindow;
    return w > 0 ? Math.floor(arrival / w) : -1;
  }

  /** A lane's next step: its running or retrying batch goes on; otherwise a new batch when one is due. */
  private next(shard: number, lane: Lane, t: Micros): void {
    if (lane.busy) return;
    if (lane.batches.length === 0 && !this.form(shard, lane, t)) return;
    lane.busy = true;
    lane.busySince = t;
    this.invoke(shard, lane, t);
  }

  /**
   * Forms a lane's next batch from its queue: up to BatchSize records within the payload limit, of one tumbling
   * window, once the batching window has passed since its first record was read (or a full batch is there). A
   * tumbling window's first batch follows its previous window's final invocation. False when no batch is due.
   */
  private form(shard: number, lane: Lane, t: Micros): boolean {
    if (lane.queue.length === 0) return false;
    const spec = this.spec;
    const first = lane.queue[0]!;
    const window = this.windowOf(first.slices[0]!.arrival);
    if (window > lane.window && lane.window >= 0) {
      lane.window = window;
      lane.batches.push({ pieces: [], records: 0, retries: 0, final: true, succeeds: false });
      return true;
    }
    lane.window = window;
    let payload = 0;
    for (const p of lane.queue) payload += payloadOf(p);
    const waitUntil = first.at + spec.batchingWindow;
    if (kinesisIn(lane.queue) < spec.batchSize && payload < LAMBDA_SYNC_PAYLOAD_MAX_BYTES && t < waitUntil) {
      if (!lane.timer) {
        lane.timer = true;
        this.s.ctx.sim.scheduleAt(waitUntil, (now) => {
          lane.timer = false;
          this.next(shard, lane, now);
        });
      }
      return false;
    }
    const batch: Batch = { pieces: [], records: 0, retries: 0, final: false, succeeds: false };
    let bytes = 0;
    const windowEnd = window >= 0 ? (window + 1) * spec.tumblingWindow : Infinity;
    // BatchSize counts Kinesis records, as GetRecords returns them: a KPL aggregate is one, whatever user records it
    // holds (the function gets the aggregates; "batch size" is "the maximum number of records in each batch", Lambda's
    // CreateEventSourceMapping): user records are taken in proportion, at least one Kinesis record's worth a batch.
    let kinesis = 0;
    while (lane.queue.length > 0 && kinesis < spec.batchSize) {
      let p = lane.queue[0]!;
      const perKinesis = p.kinesis > 0 ? p.records / p.kinesis : 1;
      let k = Math.min(p.records, perKinesis === 1 ? Math.floor(spec.batchSize - kinesis + 1e-9) : Math.floor((spec.batchSize - kinesis) * perKinesis + 1e-9));
      if (k <= 0) {
        if (batch.records > 0) break;
        k = Math.min(p.records, Math.ceil(perKinesis));
      }
      // Within the payload (a batch takes at least one record) and the tumbling window.
      const perRecord = payloadOf(p) / p.records;
      if (perRecord > 0 && bytes + k * perRecord > LAMBDA_SYNC_PAYLOAD_MAX_BYTES) k = Math.max(batch.records === 0 ? 1 : 0, Math.floor((LAMBDA_SYNC_PAYLOAD_MAX_BYTES - bytes) / perRecord));
      if (windowEnd < Infinity) k = Math.min(k, arrivedBefore(p, windowEnd));
      if (k <= 0) break;
      if (k < p.records) {
        const [head, tail] = splitPiece(p, k);
        lane.queue[0] = tail;
        p = head;
      } else lane.queue.shift();
      lane.queued -= p.records;
      batch.pieces.push(p);
      batch.records += p.records;
      kinesis += perKinesis === 1 ? p.records : p.kinesis;
      bytes += payloadOf(p);
    }
    lane.batches.push(batch);
    this.resumeReader(shard, t);
    return true;
  }

  /**
   * Invokes the function with the lane's first batch (its records older than the maximum age or the retention left out).
   * Those older than the maximum age are discarded, their details sent to the on-failure destination when there is one
   * ("a batch of records that's too old", as for one that "has exhausted all retries": failed()).
   */
  private invoke(shard: number, lane: Lane, t: Micros): void {
    const batch = lane.batches[0]!;
    const spec = this.spec;
    if (spec.maximumRecordAge !== -1) batch.records -= this.dropBefore(shard, batch.pieces, t - spec.maximumRecordAge, spec.onFailure ? "destinationByAge" : "aged", t);
    batch.records -= this.dropBefore(shard, batch.pieces, t - this.s.ctx.stream.retention, "expired", t);
    if (batch.records === 0 && !batch.final) return this.done(shard, lane, t);
    const poisoned = batch.pieces.some((p) => p.poison.length > 0);
    // With a sink the handler writes the batch before it returns: the invocation goes on after its compute (write).
    const writes = this.s.ctx.sink !== undefined && batch.records > 0;
    const inv = this.fn.invoke(t, batch.records, poisoned, writes);
    if (!inv) {
      // Throttled (the concurrency limit): tried again until it gets in or its records age out; not a retry.
      this.throttledLate.add(this.row(lane), t, t + spec.retryDelay);
      this.s.ctx.sim.scheduleAt(t + spec.retryDelay, (now) => this.invoke(shard, lane, now));
      return;
    }
    if (batch.records > 0) {
      const last = batch.pieces[batch.pieces.length - 1]!;
      this.s.observeBatch(shard, t, t - last.slices[last.slices.length - 1]!.arrival);
    }
    batch.succeeds = inv.error === null;
    if (inv.error) {
      this.failingLate.add(this.row(lane), t, t + inv.duration);
      if (lane.failingSince < 0) lane.failingSince = t;
    }
    this.s.ctx.sim.scheduleAt(t + inv.duration, (now) => {
      if (inv.error) {
        this.fn.end(now);
        this.failed(shard, lane, batch, now);
      } else if (writes) this.write(shard, lane, batch, t, now);
      else {
        this.fn.end(now);
        this.processed(shard, lane, batch, now);
      }
    });
  }

  /** A lane's row in the per-lane spans: shard × lanes per shard + the lane's index. */
  private row(lane: Lane): number {
    return lane.shard * this.lanes + lane.index;
  }

  /** Per shard, when the mapping began reading it (µs; −1: never): at the start, or when its parents were all done. */
  readonly startedAt: Float64Array;
  /** Per shard, when the mapping finished it (µs; −1: not finished): a closed shard read and processed to its end. */
  readonly finishedAt: Float64Array;

  /**
   * Per lane (row shard × lanes per shard + the lane's index), the µs it spent on failed invocations in the last quarter
   * of the time after warmup (from lateFrom, where falling behind is judged): from a failed invocation's start until its
   * batch (or its halves) is invoked again, or until it is given up (one still running at the end, to the end).
   */
  readonly failingLate: SpansAfterWarmup;

  /** Per lane, as failingLate: the µs it waited to try again invocations the concurrency limit throttled. */
  readonly throttledLate: SpansAfterWarmup;

  /**
   * Per lane, as failingLate: the µs it was busy with a batch, from taking it until done with it (invocations, their
   * sink writes, the waits before retries, and the throttled tries), a batch still in hand at the end to the end.
   */
  readonly busyLate: SpansAfterWarmup;

  /** With a `sink:`: per lane, as failingLate, the µs it waited for its batches' flushes (one still being written at the end, to the end). */
  readonly sinkWaitLate: SpansAfterWarmup;

  /**
   * At the end of the run, the shards with a lane held by a batch that fails every invocation, and why:
   * - "function errors": the function fails every invocation at the end (`failing`: `errors.share` 1, or a
   *   `function-errors` fault of share 1 in force then) and the lane's batch is retried (or bisected), whether it has
   *   failed already or is on its first try — its invocation under way failing, or waiting to be tried again after a
   *   throttle (helper-88: with MaximumRetryAttempts 2, a run ending in a fresh batch's first try read not blocked, the
   *   consumer "a failing batch holds its shard's lane", while a run a second earlier or later read blocked by its
   *   errors). Not a batch whose invocation under way succeeds (one that began before a `function-errors` fault) nor one
   *   its sink is writing. Whatever the retry settings, it is retried (or bisected) until its records expire, pass MaximumRecordAgeInSeconds or reach MaximumRetryAttempts, then discarded, and the
   *   next batch fails the same way — the shard moves on only by losing records until the function stops failing; a
   *   tumbling window's final invocation (`final`) is retried until it succeeds, so a shard it holds does not move on.
   *   Or, the function not failing every invocation so, the lane's batch times out on every try (`timeout`), whether it
   *   has failed already or is on its first try (helper-80: a run ending in a fresh batch's first try, with
   *   MaximumRetryAttempts 2, read as not blocked and named no timeout): its shortest invocation — of the batch's
   *   records; one record when bisection will split it (the halves are tried down to single records); none for a final
   *   invocation — runs longer than the timeout (LambdaFunction.timesOutWith), and a timeout is a function error. With
   *   no duration variability that is certain; with it the model's duration is lognormal, reaching down towards 0, and
   *   the batch is said to block its lane only when the chance of a try ending in time is below 10^−9 (a mean ten times
   *   the timeout with variability 0.3: about 10^−14); a likelier success may yet come. (Not "every invocation timed out
   *   lately": that is a run's luck, and says nothing certain of the next try. A batch in hand that succeeded, its sink
   *   still writing it, ran within the timeout, which such a batch does with a chance below that.) The batches behind
   *   it are as a rule as large (the reader fills the lane's queue to a full batch while it waits), so they time out the
   *   same way. `timeout` gives the shortest such invocation's records and duration. With a sink, the invocation's
   *   least time counts its write's least (src/model/sinks/batchWrite.ts); with `spent` (its provisioned table's burst
   *   credit spent and kept spent to the end, src/result/burstCredit.ts creditSpent), a write its full credit would take
   *   in time counts the credit held since instead, and such a shard is blocked from when the credit was spent, if its
   *   failed tries in a row began earlier (`since`).
   * - "poison record": the batch holds a record the function cannot process while the mapping retries without a limit
   *   (MaximumRetryAttempts −1, the default). Bisection does not free it: the half holding the record is retried alone.
   * Lambda "retries until the records expire, exceed the maximum age, or reach the configured retry quota"; "with the
   * default settings, this means that a bad record can block processing on the affected shard for up to one week"
   * (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html), and with MaximumRetryAttempts
   * −1 "Lambda retries failed records until the record expires in the event source"
   * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
   *
   * With MaximumRetryAttempts 0 and no bisection a failed batch is not retried: Lambda "discards the records and
   * continues processing batches from the stream" (same page), so no lane is held but by a final invocation. When the
   * function does not fail every invocation otherwise and every batch the lanes hold (none a final invocation) times out
   * on every try, as above, each is discarded at its first failure, a timeout being a function error ("The runtime
   * terminated your function because it ran out of time", https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html):
   * `discarding` gives the shortest such invocation, as `timeout` does (helper-80: such a consumer read "a failing batch
   * is discarded at once", its cause not named).
   */
  blockedAtEnd(spent?: SpentCredit | null): {
    shards: number[];
    since: number[];
    by: "function errors" | "poison record" | "sink write" | null;
    final: number[];
    failing: FailingCause | null;
    timeout: TimedOutInvocation | null;
    discarding: TimedOutInvocation | null;
  } {
    const spec = this.spec;
    const failing = this.fn.failingAt(this.s.ctx.duration - 1);
    const errors = failing !== null;
    const poisonBlocks = spec.maximumRetryAttempts === -1;
    // Whether a failed batch is retried (or bisected), not discarded at its first failure: a final invocation always is (failed()).
    const discardsAtOnce = spec.maximumRetryAttempts === 0 && !spec.bisectBatchOnFunctionError;
    const retried = (b: Batch) => b.final || !discardsAtOnce;
    // The fewest records the lane will try its batch with: bisection splits it down to single records.
    const fewest = (b: Batch) => (b.final ? 0 : spec.bisectBatchOnFunctionError ? Math.min(1, b.records) : b.records);
    // Failed already or on its first try (a batch whose records all aged out has none to try).
    // With a sink, the least the write of `records` of the batch takes (its records' bytes in proportion): an invocation
    // with records writes them before it returns, so it ends in time only if its compute ends that much before the timeout.
    // With `spent` (its provisioned table's burst credit spent, to stay spent to the end: src/result/burstCredit.ts
    // creditSpent), a write that the full credit could take in time but the table's credit since cannot: every try since
    // it was spent found at most spent.mostUnits, so the write takes at least (units − mostUnits) ÷ WCU (helper-108: 200
    // items to a 1-WCU table of 300 s of burst, every try cut by a 1 s timeout once its credit was spent, not named blocked).
    const sink = this.s.ctx.sink;
    const leastWrite = (b: Batch, records: number): BatchWrite | null => {
      if (!sink || records <= 0 || b.records <= 0) return null;
      let bytes = 0;
      for (const p of b.pieces) bytes += p.dataBytes;
      const full = sink.writeOf(records, (bytes * records) / b.records);
      if (!spent || this.fn.timesOutWith(records, full.leastUs)) return full;
      return sink.writeOf(records, (bytes * records) / b.records, spent);
    };
    const timesOut = (b: Batch) => (b.final || b.records > 0) && this.fn.timesOutWith(fewest(b), leastWrite(b, fewest(b))?.leastUs ?? 0);
    // Its compute alone times out, or else its compute and its write's least time (write: the sink's time runs it out).
    const timedOut = (b: Batch, records: number): TimedOutInvocation => {
      const w = this.fn.timesOutWith(records) ? null : leastWrite(b, records);
      return { records, durationUs: this.fn.meanDuration(records), variability: this.fn.variability, successChance: this.fn.successChance(records, w?.leastUs ?? 0), ...(w ? { write: w } : {}) };
    };
    // Since when a held lane's batch times out: the first of its failed tries in a row, or — timing out only on the
    // table's spent credit — from when the credit was spent, if later (−1: on its first try).
    const sinceOf = (l: Lane): number => {
      if (l.failingSince < 0 || !byTimeout) return l.failingSince;
      const b = l.batches[0]!;
      const w = leastWrite(b, fewest(b));
      return w?.creditSpentSinceUs !== undefined ? Math.max(l.failingSince, w.creditSpentSinceUs) : l.failingSince;
    };
    // Each lane's batch in hand: running, waiting for its retry, or written by the sink.
    const inHand = this.shards.map((m) => m?.lanes.flatMap((l) => (l.batches.length > 0 ? [l.batches[0]!] : [])) ?? []);
    const lanesInHand = this.shards.map((m) => m?.lanes.filter((l) => l.batches.length > 0) ?? []);
    const byTimeout = !errors && inHand.some((bs) => bs.some((b) => retried(b) && timesOut(b)));
    // With the function failing every invocation: a batch it will be invoked with again, failed already or on its first try.
    const failsAgain = (b: Batch) => retried(b) && !b.succeeds && (b.final || b.records > 0);
    const held = (b: Batch) => (errors ? failsAgain(b) : byTimeout ? retried(b) && timesOut(b) : poisonBlocks && b.pieces.some((p) => p.poison.length > 0));
    const out: number[] = [];
    const since: number[] = [];
    const final: number[] = [];
    let timeout: TimedOutInvocation | null = null;
    inHand.forEach((bs, shard) => {
      const heldBatches = bs.filter(held);
      if (heldBatches.length > 0) {
        out.push(shard);
        // Since the first of the failed tries in a row of its held lanes (the earliest): −1 if none has failed yet.
        const starts = lanesInHand[shard]!.filter((l) => held(l.batches[0]!) && l.failingSince >= 0).map(sinceOf);
        since.push(starts.length > 0 ? Math.min(...starts) : -1);
      }
      // Held by a tumbling window's final invocation, retried until it succeeds whatever the retry settings (failed()).
      if (heldBatches.some((b) => b.final)) final.push(shard);
      if (!byTimeout) return;
      for (const b of heldBatches) {
        const records = fewest(b);
        if (!timeout || records < timeout.records) timeout = timedOut(b, records);
      }
    });
    // Timing out only with the sink's write: the sink write, not the function's own work, blocks the shards.
    const t = timeout as TimedOutInvocation | null;
    const by = out.length === 0 ? null : errors ? "function errors" : byTimeout ? (t?.write ? "sink write" : "function errors") : "poison record";
    // Discarded at their first failure: every batch in hand times out.
    const tried = inHand.flat().filter((b) => !b.final && b.records > 0);
    const fewestTried = tried.reduce<Batch | null>((m, b) => (!m || b.records < m.records ? b : m), null);
    const discarding = discardsAtOnce && !errors && fewestTried && tried.every(timesOut) ? timedOut(fewestTried, fewestTried.records) : null;
    return { shards: out, since, by, final, failing, timeout, discarding };
  }

  /** Per shard, the µs its lane that waited the most for flushes in the last quarter waited. */
  mostSinkWaitLaneUs(shards: number): number[] {
    return this.mostOfLanes(this.sinkWaitLate, shards);
  }

  /** Per shard, the µs its busiest lane in the last quarter was busy. */
  mostBusyLaneUs(shards: number): number[] {
    return this.mostOfLanes(this.busyLate, shards);
  }

  /** Per shard, the µs its lane that spent the most on failed invocations in the last quarter spent on them. */
  mostFailingLaneUs(shards: number): number[] {
    return this.mostOfLanes(this.failingLate, shards);
  }

  /** Per shard, the µs its lane that waited the most after throttled invocations in the last quarter waited. */
  mostThrottledLaneUs(shards: number): number[] {
    return this.mostOfLanes(this.throttledLate, shards);
  }

  private mostOfLanes(spans: SpansAfterWarmup, shards: number): number[] {
    const v = spans.values;
    return Array.from({ length: shards }, (_, s) => {
      let most = 0;
      for (let i = 0; i < this.lanes; i++) most = Math.max(most, v[s * this.lanes + i]!);
      return most;
    });
  }

  /** With a `sink:`: each lane's buffer in the sink (one per concurrent batch of a shard), and the invocation its flush holds. */
  private readonly sinkLanes = new Map<Lane, SinkEntry>();

  /**
   * The invocation begun at `start` has processed its batch (at `now`) and writes it to the sink before it returns: a
   * flush of its own, whatever the buffer's limits. It ends when the sink has written the batch, or given it up past its
   * retries (counted by the sink), and the batch is processed. If the write is still going at the function's timeout, the
   * timeout ends the invocation there: a timeout error, so the batch is retried, bisected or discarded as for any failed
   * invocation. The write stops there (SinkLane.close(at), Sink.cut: what the sink had taken is written, the rest is
   * interrupted at once, nothing of it left "being written"; an S3, Redshift or OpenSearch write withdrawn), and what the cut write
   * wrote, the batch's next try writes again (at-least-once): counted as processed again when the batch tried again is
   * processed (Lane.cutWritten), not if it never is (helper-100's a4b: 61 "reprocessed" with none processed).
   */
  private write(shard: number, lane: Lane, batch: Batch, start: Micros, now: Micros): void {
    const entry = this.sinkLaneOf(lane);
    let records = 0;
    let dataBytes = 0;
    let firstBorn = Infinity;
    let lastBorn = -Infinity;
    for (const p of batch.pieces) {
      for (const sl of p.slices) {
        records += sl.users;
        dataBytes += sl.bytes - sl.keyBytes;
        if (sl.firstBorn < firstBorn) firstBorn = sl.firstBorn;
        if (sl.lastBorn > lastBorn) lastBorn = sl.lastBorn;
      }
    }
    const running = { start };
    this.writing.add(running);
    entry.done = (at) => {
      this.writing.delete(running);
      this.fn.endWrite(start, at, false);
      this.processed(shard, lane, batch, at);
    };
    entry.lane.offer({ records, dataBytes, firstBorn, lastBorn }, 0, now, true);
    this.s.ctx.sim.scheduleAt(start + this.spec.function.timeout, (at) => {
      if (!this.writing.has(running)) return;
      this.writing.delete(running);
      entry.done = null;
      this.sinkLanes.delete(lane);
      const again = this.triedAgain(batch);
      // Tried again, the batch writes again what the cut write wrote; given up (discarded, or to the on-failure
      // destination), what it wrote stays in the sink though the batch is counted given up (writtenThenGivenUp).
      entry.cut = again
        ? (written) => {
            lane.cutWritten += written;
          }
        : (written) => {
            this.writtenThenGivenUp += written;
          };
      entry.lane.close(at);
      this.fn.endWrite(start, at, true);
      if (lane.failingSince < 0) lane.failingSince = start;
      batch.succeeds = false;
      this.failingLate.add(this.row(lane), start, at);
      this.failed(shard, lane, batch, at);
    });
  }

  /** A lane's buffer in the sink: made at its first write, and again after a timeout closed the last one. */
  private sinkLaneOf(lane: Lane): SinkEntry {
    const entry = this.sinkLanes.get(lane);
    if (entry) return entry;
    // The lane's owner needs the entry, the entry the lane: the lane is set at once.
    const e = { done: null, cut: null } as Omit<SinkEntry, "lane"> as SinkEntry;
    e.lane = this.s.ctx.sink!.lane({
      flushed: (_position, at) => {
        const d = e.done;
        e.done = null;
        d?.(at);
      },
      idle: () => e.done === null,
      waited: (from, to) => this.sinkWaitLate.add(this.row(lane), from, to),
      cutFlushDone: (written, at) => {
        if (written > 0) e.cut?.(written, at);
      },
    });
    this.sinkLanes.set(lane, e);
    return e;
  }

  /** Concurrent batches per shard (the lanes each shard's records are split among). */
  get lanesPerShard(): number {
    return this.lanes;
  }

  private processed(shard: number, lane: Lane, batch: Batch, t: Micros): void {
    const s = this.s;
    for (const p of batch.pieces) {
      for (const sl of p.slices) {
        const born = (sl.firstBorn + sl.lastBorn) / 2;
        s.endToEnd.recordAt(sl.arrival, t - born, sl.users);
        s.putToProcess.recordAt(sl.arrival, t - sl.arrival, sl.users);
        s.stages.record3At(sl.arrival, sl.arrival - born, p.at - sl.arrival, t - p.at, sl.users);
      }
      s.processedAhead(shard, p.from, p.to);
    }
    s.activity.add(ACTIVITY.processed, t, batch.records);
    lane.failingSince = -1;
    // What cut writes wrote of these records before, this batch has written again (the oldest records first: a cut write
    // sends its batch's oldest first, and bisection's first half holds them).
    const again = Math.min(lane.cutWritten, batch.records);
    if (again > 0) {
      lane.cutWritten -= again;
      s.processedAgain(shard, again, START.other);
    }
    this.done(shard, lane, t);
  }

  /** Whether a batch whose invocation failed is tried again (bisected or retried, failed()), not discarded. */
  private triedAgain(batch: Batch): boolean {
    const spec = this.spec;
    if (!batch.final && spec.bisectBatchOnFunctionError && batch.records > 1) return true;
    return batch.final || spec.maximumRetryAttempts === -1 || batch.retries < spec.maximumRetryAttempts;
  }

  /**
   * A failed invocation: bisected, retried, or discarded (to the on-failure destination, if any). A final invocation is
   * retried until it succeeds: "If invocation is unsuccessful, your Lambda function suspends further processing until a
   * successful invocation" (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html).
   */
  private failed(shard: number, lane: Lane, batch: Batch, t: Micros): void {
    const spec = this.spec;
    if (!batch.final && spec.bisectBatchOnFunctionError && batch.records > 1) {
      lane.batches.splice(0, 1, ...bisect(batch));
      this.failingLate.add(this.row(lane), t, t + spec.retryDelay);
      this.s.ctx.sim.scheduleAt(t + spec.retryDelay, (now) => this.invoke(shard, lane, now));
      return;
    }
    if (batch.final || spec.maximumRetryAttempts === -1 || batch.retries < spec.maximumRetryAttempts) {
      batch.retries++;
      this.failingLate.add(this.row(lane), t, t + spec.retryDelay);
      this.s.ctx.sim.scheduleAt(t + spec.retryDelay, (now) => this.invoke(shard, lane, now));
      return;
    }
    const kind: GivenUp = spec.onFailure ? "destination" : "discarded";
    for (const p of batch.pieces) this.giveUp(shard, p.from, p.to, kind, t);
    // Given up, it is not processed again: what earlier cut writes wrote of it is not counted processed again.
    lane.cutWritten -= Math.min(lane.cutWritten, batch.records);
    this.done(shard, lane, t);
  }

  /** The lane's first batch is done with: the next one. */
  private done(shard: number, lane: Lane, t: Micros): void {
    lane.batches.shift();
    lane.busy = false;
    this.busyLate.add(this.row(lane), lane.busySince, t);
    this.next(shard, lane, t);
    this.resumeReader(shard, t);
    this.maybeFinish(shard, t);
  }

  /** Gives up as `kind` the records at the head of `pieces` (a batch's, a lane's queue) that arrived before `cutoff`; returns how many. */
  private dropBefore(shard: number, pieces: Piece[], cutoff: Micros, kind: GivenUp, t: Micros): number {
    let n = 0;
    while (pieces.length > 0) {
      const p = pieces[0]!;
      const k = arrivedBefore(p, cutoff);
      if (k === 0) break;
      if (k < p.records) {
        const [head, tail] = splitPiece(p, k);
        pieces[0] = tail;
        this.giveUp(shard, head.from, head.to, kind, t);
        return n + k;
      }
      pieces.shift();
      this.giveUp(shard, p.from, p.to, kind, t);
      n += p.records;
    }
    return n;
  }

  private giveUp(shard: number, from: number, to: number, kind: GivenUp, t: Micros): void {
    this.s.giveUp(shard, from, to, kind, t);
    const row = GIVEN_UP_ROW[kind] ?? -1;
    if (row >= 0) this.s.activity.add(row, t, to - from);
  }

  /** The reader waited for room in the shard's lanes: read again when it has some. */
  private resumeReader(shard: number, t: Micros): void {
    const m = this.shards[shard]!;
    const session = m.session;
    if (!session.waitingForRoom || !session.alive || this.s.full(shard)) return;
    session.waitingForRoom = false;
    this.reader.resume(session, t);
  }

  // -------------------------------------------------------------------------------------------------------
  // Measurement and accounting.

  /** Once a second: the records past the retention that the mapping holds behind its lanes' invocations expire (expireHeld), then the ages are sampled. */
  sampleAges(t: Micros): void {
    this.expireHeld(t);
    this.s.sampleAges(t);
  }

  /**
   * Records past the stream's retention are gone from it (expired: lost), wherever the mapping holds them behind a
   * lane's invocation: queued in the lane, or in a batch formed behind the one it invokes (bisection's second half). The
   * batch a lane invokes loses its own at its next try (invoke), but one that holds no records — a tumbling window's
   * final invocation, retried until it succeeds (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html)
   * — kept the records behind it "unread" long past the retention (helper-67: 899 of about 3,600 counted expired in a
   * 25 h run). Records still unread in the shard are newer than any a lane holds: while a lane is full (the reader waits
   * for room) they are within the retention too; once expiry leaves no lane full the reader resumes, and its next call
   * gives up what has expired since (ShardReaders.skipExpired), as a KCL reader's does. Called once a second (the sample
   * tick) and at the end, so records are counted expired within a second of passing the retention. Nothing can be that
   * old before the run has lasted the retention (24 h at least), so shorter runs do no work here. At the end (`atEnd`)
   * nothing more runs: the reader is not resumed nor the shard finished.
   */
  private expireHeld(t: Micros, atEnd = false): void {
    const cutoff = t - this.s.ctx.stream.retention;
    if (cutoff <= 0) return;
    this.shards.forEach((m, shard) => {
      if (!m || !m.session.alive) return;
      let dropped = 0;
      for (const lane of m.lanes) {
        // The first batch is running, or waits for its next try, which drops what has expired by then.
        for (let i = 1; i < lane.batches.length; i++) {
          const b = lane.batches[i]!;
          const n = this.dropBefore(shard, b.pieces, cutoff, "expired", t);
          b.records -= n;
          dropped += n;
        }
        const n = this.dropBefore(shard, lane.queue, cutoff, "expired", t);
        lane.queued -= n;
        dropped += n;
      }
      if (dropped === 0 || atEnd) return;
      this.resumeReader(shard, t);
      this.maybeFinish(shard, t);
    });
  }

  finish(end: Micros): void {
    this.expireHeld(end, true);
    for (const w of this.writing) this.fn.runningAtEnd(w.start, end);
    for (const m of this.shards) for (const lane of m?.lanes ?? []) if (lane.busy) this.busyLate.add(this.row(lane), lane.busySince, end);
    this.s.finish(end);
  }

  /** The lowest sequence number the mapping may still read in a shard (for compacting the log): a shard not started yet is read from its start. */
  neededFrom(shard: number): number {
    if (!this.shards[shard]) return 0;
    return this.s.sessionsNeed(shard, this.s.consumed[shard]!);
  }
}

/** A lane's buffer in the sink, the batch its flush holds (done: the invocation ends), and what a timeout that cut its flush counts of it. */
interface SinkEntry {
  lane: SinkLane;
  done: ((t: Micros) => void) | null;
  cut: ((written: number, t: Micros) => void) | null;
}

/** A failed batch split in two halves (oldest first) by records, each keeping the retries used so far. */
function bisect(batch: Batch): [Batch, Batch] {
  const half = Math.floor(batch.records / 2);
  const a: Batch = { pieces: [], records: 0, retries: batch.retries, final: false, succeeds: false };
  const b: Batch = { pieces: [], records: 0, retries: batch.retries, final: false, succeeds: false };
  for (const p of batch.pieces) {
    const room = half - a.records;
    if (room >= p.records) {
      a.pieces.push(p);
      a.records += p.records;
    } else if (room > 0) {
      const [head, tail] = splitPiece(p, room);
      a.pieces.push(head);
      a.records += head.records;
      b.pieces.push(tail);
      b.records += tail.records;
    } else {
      b.pieces.push(p);
      b.records += p.records;
    }
  }
  return [a, b];
}
