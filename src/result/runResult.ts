// What a run produces: plain data (numbers, arrays, typed arrays), no behaviour. Reports are pure functions
// of a RunResult; sweeps ship RunResults between worker threads.

import type { OnDemandCapacityState } from "../model/dynamodb/table.js";
import type { TransformStats } from "../model/firehose/transform.js";
import type { OnDemandCeiling } from "../model/kinesis/stream.js";
import type { PolicyView, ScalingEvent } from "../model/scaling/types.js";
import type { BatchWrite, WriteTime } from "../model/sinks/batchWrite.js";
import type { ConnectionUse, ProducerStats, PutLatencyPart } from "../model/producers/producer.js";
import type { LatencySummary } from "../metrics/latency.js";
import type { Scenario } from "../spec/index.js";
import type { BurstCredit } from "./burstCredit.js";
import type { WriteBurstDraw } from "./writeBurst.js";

export interface ShardResult {
  id: string;
  startingHashKey: string;
  endingHashKey: string;
  /**
   * Expected share of the stream's records, from the key populations' exact routing; for a stream that reshards (no one
   * routing for the run), the share of the records accepted after warmup that it took.
   */
  expectedShare: number;
  /**
   * For a stream that reshards: the shard's share of the stream's records by key routing over the shards open at the end
   * of the run (0 for a closed one), what a split of it at the end would act on. Absent otherwise (expectedShare is it).
   */
  routedShareAtEnd?: number;
  /** After warmup. */
  incomingRecords: number;
  /** User records of incomingRecords (a KPL aggregate counts its user records; not in report.json). */
  incomingUsers: number;
  incomingBytes: number;
  throttledRecords: number;
  throttledByRecordLimit: number;
  throttledByByteLimit: number;
  /** Busiest second after warmup, of records accepted and of records offered (utilisation = max of records/limit, bytes/limit). */
  peakIncoming: PeakSecond;
  peakOffered: PeakSecond;
  /**
   * After warmup, the load offered by first attempts (a retry of a throttled record does not count again): records,
   * bytes (data + partition keys), and their utilisation: max(records/s ÷ the records limit, bytes/s ÷ the bytes
   * limit) per second of the shard's life after warmup (0 for a shard not open then). What the shard was asked to
   * take, whatever its writers' retry policies: what ranks the hot shards (src/result/hotShards.ts).
   */
  demand: { records: number; bytes: number; utilisation: number };
  /** Whole run. */
  storedRecords: number;
  /** When the stream reshards: when the shard opened and closed (µs; null while open at the end) and its parents' ids. */
  life?: { openedAt: number; closedAt: number | null; parents: string[]; expiredAt?: number };
}

/** A reshard of the run: when it was called and done, the shards it closed and those it opened. */
export interface ReshardResult {
  kind: "split" | "merge" | "update-shard-count" | "on-demand-split";
  /** Who called it: "scenario" (its reshards:) or the autoscaling policy. */
  by: string;
  calledAtUs: number;
  doneAtUs: number;
  closed: string[];
  opened: string[];
  /** Open shards after it (at the end of the run, for one still in progress then). */
  openAfter: number;
  /**
   * A completed reshard: for each shard it closed, what its new shards took together (per second) in their busiest step
   * of the minute after it completed (to the next reshard's call: `spanUs`), and the attempts they throttled in it; null
   * when a new shard has several parents (its load is not one parent's).
   */
  openedLoad?: { spanUs: number; byParent: { parent: string; recordsPerSecond: number; bytesPerSecond: number; throttledRecords: number }[] | null };
  /** A reshard still in progress at the end (it completes after the run): the shards it closes, and how many it opens, when it does. */
  inProgressAtEnd?: { closing: string[]; opening: number };
}

/** A resharding call the service refused: when, what it asked for, and the rule it broke in the service's words (src/aws/shardMap.ts). */
export interface RefusedReshard {
  kind: ReshardResult["kind"];
  by: string;
  atUs: number;
  /** UpdateShardCount's target. */
  target?: number;
  /** The shards a SplitShard, MergeShards or service split named. */
  shards?: string[];
  rule: string;
  message: string;
}

export interface PeakSecond {
  /** Start of the second, µs from the start of the run (−1 when the shard saw nothing). */
  at: number;
  records: number;
  bytes: number;
  utilisation: number;
}

/** A producer group: its statistics (ProducerStats: whole-run counts, and after-warmup ones as named there), keys, latency. */
/** A bill with a cause a planner can change: what it costs now and what the change would save (USD per month). */
export type CostHint =
  /**
   * Firehose bills each record rounded up to 5 KB: small records pay for bytes they do not have. Packing them into
   * larger records (KPL aggregation on the source stream, several events per Direct PUT record) would bill the data.
   */
  | { kind: "firehose-rounding"; firehose: string; source: "stream" | "direct-put"; usd: number; savingUsd: number; meanRecordBytes: number; billedPerDataByte: number }
  /**
   * Kinesis bills each record in 25 KB PUT payload units: small records pay a whole unit each. KPL aggregation packs
   * them into aggregates of up to AggregationMaxSize (51,200 B by default: 2 units), billing about the data.
   */
  | { kind: "put-payload-units"; producers: string[]; usd: number; savingUsd: number; meanRecordBytes: number; unitsPerRecord: number }
  /**
   * An on-demand stream (Standard or Advantage) bills data in per record rounded up to 1 KiB: records of a few hundred
   * bytes pay several times their size. `producers` (SDK, Agent) putting records one by one would save `savingUsd` with
   * the KPL's aggregation: an estimate of the aggregates its instances fill within RecordMaxBufferedTime, in whole KiB.
   */
  | { kind: "on-demand-rounding"; stream: string; mode: "on-demand" | "on-demand-advantage"; producers: string[]; usd: number; savingUsd: number; meanRecordBytes: number; billedPerDataByte: number };

/** The price table a bill used: its id, when it was compiled, and the items the scenario overrode (amount used, table's). */
export interface PriceTableUsed {
  id: string;
  /** When the table was compiled (a constant of the table, like LIMITS_VERSION's date: not the run's clock). */
  compiled: string;
  overridden: { item: string; usd: number; tableUsd: number }[];
}

/** A fault of the scenario and its measured effect (src/result/faults.ts). */
export interface FaultResult {
  kind: "worker-crash" | "worker-restart" | "worker-add" | "kcl-migration" | "destination-outage" | "destination-slowdown" | "lambda-errors" | "function-errors";
  atUs: number;
  /** How long it lasted (0 for a crash or a restart, which are instants). */
  forUs: number;
  /** The consumer or delivery stream it hit. */
  target: string;
  workers?: number;
  /**
   * A crash of a KCL 3.x application's worker that held the leader lock: when the lock expired, and when another worker
   * took it (null: none by the end). Lease assignment (the crashed worker's leases among them) waited for that.
   */
  leader?: { lockExpiresAtUs: number; lockLeaseUs: number; takenAtUs: number | null };
  effect:
    /**
     * A consumer's workers' fault: the lag it caused, and the records it caused to be processed again and skipped (new
     * lease owners that started at LATEST past records never processed, with no checkpoint to resume from): those lost
     * (ConsumerResult.series.lostAgain) from the fault until the consumer's next fault of its own — for records processed
     * again, or until it caught up if sooner — whenever they were processed again or skipped (a crash's, when a worker
     * restarted later took its leases). Records processed again by where their new owner started (`reprocessedFrom`:
     * the last checkpoint, the oldest record retained with no checkpoint, LATEST while the previous owner still worked).
     * `writtenAgain`: records its output stream or sink took twice (ConsumerResult.writtenAgain) because of the fault, counted
     * likewise. Of the consumer's faults at one instant, the first in the scenario's order counts them and the others 0:
     * each record once. `reReadFor` (a worker restart or add): the records its workers processed again that count to an
     * earlier fault of the consumer's, lost then (ConsumerResult.lateReReads), by that fault (its kind and time), oldest
     * first; empty for other faults.
     */
    | ({
        kind: "lag";
        reprocessed: number;
        reprocessedFrom: { checkpoint: number; trimHorizon: number; latest: number };
        writtenAgain: number;
        skipped: number;
        reReadFor: { kind: FaultResult["kind"]; atUs: number; records: number }[];
      } & AgeCourse)
    /** A delivery stream's DataFreshness; notLoaded (Redshift): the age of the oldest record not yet loaded by COPY instead, which its DataFreshness (to the staging bucket) does not see. */
    | ({ kind: "freshness"; notDelivered: number; notLoaded?: true } & AgeCourse)
    /** A Lambda consumer's error burst: the lag it caused, its failed invocations, and the records it discarded meanwhile (to the destination, without one, or by age). */
    | ({ kind: "errors"; errors: number; discarded: number } & AgeCourse)
    | null;
}

/**
 * An age after a fault (the oldest unprocessed record's, or DataFreshness; src/result/faults.ts ageEffect), against its
 * level just before (the median of the 15 s before, µs). Visible: it rose above 1.5 × that level (plus a step); its
 * highest from the fault until it was back within that, and when (null: not by the end of the run). Not visible: it
 * never rose above that within two minutes of the fault's end (or by the end of the run) — the fault caused no maximum
 * and no recovery; the age at the end of that span (`lastUs`, the step ending at `lastAtUs`), and whether it was still
 * growing then (its median over the last 15 s above that of the 15 s before).
 */
/**
 * Per series step, whole run: what a KCL application lost then and did again or never did, counted at the step it was
 * lost in (src/model/kcl/state.ts Origin: when the shard's previous record processor stopped, or a new owner started
 * while it still worked), not the step it was processed again or skipped in. Records processed again by where their
 * record processor started (from the last checkpoint; with no checkpoint, from the oldest record its shard retains, or
 * from LATEST while the previous owner went on), records skipped, and records its output stream took twice (`output:`:
 * a crash cut a batch's puts, and the batch, processed again, wrote them again). Zero for other consumers.
 */
export interface LostAgain {
  fromCheckpoint: number[];
  fromTrimHorizon: number[];
  atLatest: number[];
  skipped: number[];
  writtenAgain: number[];
}

export type AgeCourse =
  /**
   * `trendUsPerSecond`: present when the age was already growing before the fault (by more than a step between the two
   * 15 s spans before it): the pace it grew at (µs a second), which the threshold carried on; recovery is then a return
   * to that trend, not to the level before.
   */
  | { visible: true; beforeUs: number; maxUs: number; recoveredAtUs: number | null; trendUsPerSecond?: number }
  | { visible: false; beforeUs: number; lastUs: number; lastAtUs: number; growing: boolean };

/** The stages' mean time (µs) over the slowest records of a latency: its slowest half, 1% or 0.1% (the last bucket's in part). */
export interface StageTail<S extends string> {
  /** Records in the tail, and their mean total latency (µs). */
  count: number;
  meanUs: number;
  stagesUs: Record<S, number>;
}
export type StageTails<S extends string> = { p50: StageTail<S>; p99: StageTail<S>; p999: StageTail<S> };

export interface ProducerResult
  extends Pick<
    ProducerStats,
    "offered" | "accepted" | "attempts" | "throttledAttempts" | "retriedRecords" | "offeredAfterWarmup" | "acceptedAfterWarmup" | "offeredKinesisAfterWarmup" | "offeredWriteBytesAfterWarmup" | "lostAfterWarmup" | "requests"
  > {
  name: string;
  client: "sdk" | "kpl" | "agent";
  /** The scenario's producer group (name differs for one stream's part of a group writing to several: "web → raw"). */
  group: string;
  /** The Kinesis stream it writes to; undefined when it writes to a delivery stream with Direct PUT. */
  stream?: string;
  instances: number;
  keys: string;
  /** The most popular discrete keys (up to 5): key, share of this producer's records, shard id. */
  topKeys: { key: string; share: number; shard: string }[];
  lost: { throttledPastRetries: number; tooLarge: number; expiredKplTtl: number; failedThrottled: number };
  /** The same after warmup (lostAfterWarmup by reason). */
  lostAfterWarmupByReason: { throttledPastRetries: number; tooLarge: number; expiredKplTtl: number; failedThrottled: number };
  /** KPL across a reshard, whole run: user records a wrong-shard result sent again, and those written a second time (present when any). */
  wrongShard?: { sentAgain: number; writtenAgain: number };
  inFlight: { buffered: number; awaitingRetry: number };
  putLatency: LatencySummary;
  putLatencyCdf: { value: number; fraction: number }[];
  /** Client-specific figures (KPL: user records per Kinesis record, buffering time, …). */
  clientMetrics: Record<string, number>;
  /**
   * A KPL producer's connections (MaxConnections) and the PutRecords made of them after warmup, with its acknowledged
   * records' waits for a connection (µs: each user record's, all its attempts', as putLatencyWaits counts them).
   */
  connections?: ConnectionUse & { wait: LatencySummary };
  /** For a `shape: trace` rate: what was replayed, and how each period's records were assumed to spread. */
  trace?: TraceSummary;
}

export interface TraceSummary {
  file: string;
  periods: number;
  periodUs: number;
  /** Records in the trace (before scaling), and its mean record size (bytes ÷ records), if it has bytes. */
  records: number;
  meanRecordBytes: number | null;
  scale: number;
  within: "even" | "poisson" | "bursty";
  peakToMean: number;
  repeat: boolean;
  /** Whether record sizes came from the trace (no recordSize in the scenario). */
  sizesFromTrace: boolean;
  /**
   * What the run replays: the run periods it starts (period k is trace period k mod periods when the trace repeats;
   * none after the trace's end when it does not), how much of the last one it covers (µs; the period when the run ends
   * on a boundary), and the records (before scaling) of those periods, whole, and their mean size (bytes ÷ records).
   */
  replayed: { periods: number; lastPeriodUs: number; records: number; meanRecordBytes: number | null };
}

export interface FirehoseResult {
  name: string;
  /** "direct-put" or the source stream's name. */
  source: string;
  destination: "s3" | "redshift" | "opensearch";
  /** The buffering hints, and the largest size Firehose raised the buffer to while delivery fell behind (the size hint when it never did). */
  buffer: { sizeBytes: number; intervalUs: number; raisedToBytes: number };
  /** Whole run: records in = delivered + inside + dropped + processing-failed + given up + expired. */
  accounting: {
    in: number;
    delivered: number;
    inside: { transform: number; buffer: number; destination: number };
    /**
     * Of the records inside, those overdue: in longer than the delivery stream itself takes for them (the buffer
     * intervals, the transformation's invocation, the destination's own time for the work that holds them or that they
     * wait behind; DeliveryStream.finish). The others are on their way.
     */
    overdue: number;
    droppedByTransform: number;
    processingFailed: number;
    /** OpenSearch: to the S3 backup; Redshift: manifests to errors/ (skipped). */
    gaveUp: number;
    /** S3: past the retention while deliveries kept failing. */
    expired: number;
    balanced: boolean;
  };
  /** After warmup. */
  incoming: { records: number; bytes: number; billedBytes: number };
  delivered: { records: number; bytes: number };
  /** After warmup: processing-failed, given up, expired, and overdue at the end. */
  notDelivered: number;
  /** notDelivered by reason (counted when they left, or for the overdue when they came in). */
  notDeliveredByReason: { processingFailed: number; gaveUp: number; expired: number; overdueAtEnd: number };
  directPut: { offered: number; throttled: number; calls: number; throttledCalls: number; quotas: { records: number; requests: number; bytes: number } } | null;
  /** Kinesis stream as source: whole-run reads, and records that expired in the stream unread or are still unread. */
  sourceRead: { read: number; unread: number; expiredUnread: number; getRecordsCalls: number; throttledCalls: number; bytesRead: number } | null;
  flushes: { size: number; interval: number };
  objects: { count: number; bytes: LatencySummary; records: LatencySummary };
  failedAttempts: number;
  /** Redshift, after warmup: COPY commands completed and the staged objects they loaded (0 otherwise). */
  copies: { count: number; objects: number };
  /** OpenSearch, after warmup: bulk requests beyond one a flush, from flushes larger than the size hint (0 otherwise). */
  splitRequests: number;
  /** Born → delivered, after warmup; records still inside at the end, or still unread in the source stream, included at their age then (censored). */
  deliveryLatency: LatencySummary;
  /**
   * Records born after warmup still inside at the end (in deliveryLatency at their age then), and of them the overdue
   * ones (in longer than the delivery stream takes for them when it keeps up: DeliveryStream.finish; counted in
   * notDelivered); and those still unread in the source stream at the end (within its retention; in deliveryLatency at
   * their age then, not in notDelivered: they never entered; 0 for Direct PUT).
   */
  atEnd: { censored: number; overdue: number; unread: number };
  /**
   * Where the time went for the slowest half, 1% and 0.1% of the delivered records (µs). The buffer's time is three:
   * `buffer` waiting for a buffering hint, `bufferRaised` holding the size hint or more, not flushed, the size in force
   * raised above it (delivery fell behind), `bufferHeld` with a flush due that the destination could not take yet.
   */
  stages: StageTails<"beforeFirehose" | "transform" | "buffer" | "bufferRaised" | "bufferHeld" | "destination">;
  deliveryLatencyCdf: { value: number; fraction: number }[];
  /**
   * Worst DataFreshness after warmup, µs, as CloudWatch's metric for the destination counts it: the age of the oldest
   * record not yet delivered, for Redshift to the intermediate S3 bucket (DeliveryToS3.DataFreshness: before COPY).
   */
  maxDataFreshness: number;
  /** Worst age of the oldest record not yet at the destination itself after warmup, µs: maxDataFreshness, except for Redshift (not yet loaded by COPY). */
  maxUndeliveredAge: number;
  /**
   * The Lambda transformation's counts (whole run), its concurrency (the most invocations it allowed at once during the
   * run), the limit from each time it changed (with a Kinesis stream as source it follows the shards read, a closed parent
   * until read to its end; the first from 0) and its mean invocation time (µs).
   */
  transform: (Omit<TransformStats, "busyTime"> & { concurrency: number; concurrencySteps: { atUs: number; concurrency: number }[]; meanDurationUs: number }) | null;
  /** Per series step (whole run): incoming and delivered records, flushes by trigger, the buffer's fullest bytes, worst DataFreshness (µs), Direct PUT throttled records. */
  series: {
    incomingRecords: number[];
    incomingBytes: number[];
    deliveredRecords: number[];
    flushesBySize: number[];
    flushesByInterval: number[];
    /** Records that left undelivered in the step (processing-failed, given up, expired). */
    notDeliveredRecords: number[];
    bufferBytes: number[];
    /** The most bytes at the destination: being written, waiting to retry, staged for COPY. */
    destinationBytes: number[];
    /** The largest buffer size in force in the step (the size hint, raised while delivery falls behind). */
    sizeInForceBytes: number[];
    dataFreshness: number[];
    /** The worst age of the oldest record not yet at the destination itself (µs): dataFreshness, except for Redshift (COPY included). */
    undeliveredAge: number[];
    throttledRecords: number[];
  };
}

export interface Accounting {
  offered: number;
  accepted: number;
  inFlight: { buffered: number; awaitingRetry: number };
  lost: { throttledPastRetries: number; tooLarge: number; expiredKplTtl: number; failedThrottled: number };
  balanced: boolean;
}

/**
 * An invocation of a Lambda function that times out on every try: with no duration variability every time, with it on
 * all but `successChance` of the tries (under LambdaFunction's PRACTICALLY_NEVER, 10^−9). Its records and mean duration
 * (perInvocation + records × perRecord, µs), above the function's timeout.
 */
export interface LambdaTimeout {
  records: number;
  durationUs: number;
  variability: number;
  successChance: number;
  /**
   * When the function's own work (durationUs) ends within the timeout and the invocation times out only with the write of
   * its batch to the sink: the least that write takes (src/model/sinks/batchWrite.ts), which successChance counts. Not in
   * report.json but as sinkWriteLeastSeconds.
   */
  write?: BatchWrite;
}

/** A Lambda consumer's event source mapping and function: settings as the run used them, CloudWatch's metrics after warmup. */
export interface LambdaResult {
  reader: "polling" | "fanout";
  batchSize: number;
  batchingWindowUs: number;
  parallelization: number;
  /** Batches that run at once per shard: the parallelization factor, or fewer when the shard has fewer partition keys. */
  concurrentBatchesPerShard: number;
  /** −1: infinite. */
  maximumRetryAttempts: number;
  maximumRecordAgeUs: number;
  bisectBatchOnFunctionError: boolean;
  /** The on-failure destination's kind, or null. */
  onFailure: string | null;
  tumblingWindowUs: number;
  /** The most invocations at once (reserved concurrency, else the account's). */
  concurrencyLimit: number;
  memoryBytes: number;
  timeoutUs: number;
  /** After warmup: Invocations, Errors (function errors and timeouts), Throttles, cold starts, and the billed duration (µs, each invocation rounded up to 1 ms). */
  invocations: number;
  /**
   * After warmup, the IteratorAge values Lambda published: one for each invocation with records ("the age of the last
   * record in the event"), none for a tumbling window's final invocation, which has no records. 0: no iterator age to judge.
   */
  iteratorAgePoints: number;
  errors: number;
  /** Those of the errors that timed out (after warmup; CloudWatch counts them among Errors, with no metric of their own). */
  timeouts: number;
  /**
   * Those of the timeouts that cut an invocation while it wrote its batch to the consumer's sink, the function's own work
   * done (the write is part of the invocation: the sink's time ran it out).
   */
  timeoutsWriting: number;
  /**
   * Whole run: records of batches given up (discarded, or to the on-failure destination) that the write the timeout cut
   * had written to the sink first (at-least-once: in the sink, though counted given up).
   */
  writtenThenGivenUp: number;
  /** A full batch's mean duration without its sink write (µs): perInvocation + its user records × perRecord (no cold start). */
  fullBatchComputeUs: number;
  /**
   * With a `sink:`, a full batch's mean write (µs), the sink not throttled and serving it alone (src/model/sinks/batchWrite.ts);
   * 0 without one. Each invocation writes its batch before it returns: a lane's batch takes fullBatchComputeUs + this.
   */
  fullBatchWriteUs: number;
  /**
   * Of the batch the lane's bound counts (laneBatchRecords): the chance that a try ends within the timeout (1: the
   * timeout cuts none; its duration and its sink write vary, src/model/lambda/timedTry.ts), and the lane's mean time for
   * each such batch processed, its cut tries and their retry delays included (µs; Infinity when none ends in time);
   * `fullInTime`, the chance for a try of a full batch (BatchSize records).
   */
  laneTry: { inTime: number; batchEveryUs: number; fullInTime: number };
  /** With a `sink:`, a batch's mean write time as a function of its user records (at the record size read), for the remedy; null without one. */
  writeTime: WriteTime | null;
  throttles: number;
  coldStarts: number;
  billedDurationUs: number;
  /** ConcurrentExecutions, the most after warmup. */
  maxConcurrentExecutions: number;
  /** Duration of the invocations after warmup. */
  duration: LatencySummary;
  /**
   * The batches it can run at once (boundBatches: open shards × concurrent batches per shard, or the function's
   * concurrency limit when lower) × laneThroughput (records/s): what the function can process at most.
   */
  throughputBound: number;
  /**
   * With shards blocked at the end by batches that time out on every try (blockedByTimeout): throughputBound with those
   * shards' lanes counted at 0, for they finish no batch while blocked, whatever a full batch's mean duration, which
   * throughputBound divides by; what report.md's "can process, at most" and report.json's throughputBoundPerSecond
   * show then. Null otherwise.
   */
  throughputBoundUnblocked: number | null;
  /**
   * At the end of the run, the shards (ids) with a lane held by a batch that fails every invocation (blockedBy says why):
   * the function failed every invocation then (`errors.share` 1, or a `function-errors` fault of share 1 in force at
   * the end) and the batch had failed — retried until its records expire, pass the maximum record age or reach the
   * retry limit, then discarded, the next batch failing the same way; or the batch, failed or on its first try, times
   * out on every try and is retried (blockedByTimeout); or the batch holds a record the function cannot process,
   * retried without a limit (MaximumRetryAttempts −1): blocked until that record expires or passes the maximum record age.
   */
  blockedAtEnd: string[];
  /**
   * Why blockedAtEnd's shards are blocked (null with none): a timeout is a function error; "sink write" when their batches
   * time out on every try only with the write to the sink, the function's own work ending in time (blockedByTimeout.write).
   */
  blockedBy: "function errors" | "poison record" | "sink write" | null;
  /**
   * For each of blockedAtEnd's shards, when the first of its held lane's failed tries in a row began (µs; the earliest of
   * its held lanes; −1: the batch has not failed yet, on its first try).
   */
  blockedSinceUs: number[];
  /**
   * When blockedAtEnd's shards are held because their batches (failed, or on their first try) time out on every try,
   * the function not failing every invocation otherwise: the shortest invocation the lane will try the batch with (its
   * records; one record when bisection splits it; none for a tumbling window's final invocation), a LambdaTimeout. The
   * fewest records among the blocked lanes. Null otherwise.
   */
  blockedByTimeout: LambdaTimeout | null;
  /**
   * Those of blockedAtEnd held by a tumbling window's final invocation (isFinalInvokeForWindow), which Lambda retries
   * until it succeeds whatever MaximumRetryAttempts and MaximumRecordAgeInSeconds say.
   */
  blockedOnFinalInvocation: string[];
  /**
   * What made the function fail every invocation at the end, blocked or not (null: it did not): its own `errors.share` 1,
   * or else the first `function-errors` fault of share 1 in force then (`fromUs`: when it began). With
   * MaximumRetryAttempts 0 and no bisection each batch is discarded at its first failure.
   */
  failingCause: { kind: "errors.share" } | { kind: "function-errors"; fromUs: number } | null;
  /**
   * With MaximumRetryAttempts 0 and no bisection (a failed batch is discarded at its first failure, no shard held), the
   * function not failing every invocation otherwise: at the end every batch its lanes hold times out on every try, as
   * blockedByTimeout says, so each is discarded as it times out. The fewest records among them. Null otherwise.
   */
  discardedByTimeout: LambdaTimeout | null;
  /** Batches at once the bound counts: min(open shards × concurrent batches per shard, the concurrency limit). */
  boundBatches: number;
  /**
   * A full batch's user records ÷ its mean duration, its sink write included (records/s): what one concurrent batch (a lane)
   * can process at most. When a full batch's mean duration is over the timeout (it never finishes: retried whole), that
   * of the batch within the timeout that processes the most (laneBatchRecords; src/model/lambda/laneBatch.ts).
   */
  laneThroughput: number;
  /**
   * With a Redshift or OpenSearch sink (one COPY, one bulk request at a time for every lane): the most user records a
   * second its writes let through whatever the lanes, a batch's user records (`batchUsers`, at laneBatchRecords) ÷ the
   * one-at-a-time part of its write (`writeUs`: the COPY, the bulk request); throughputBound is at most this. Beside it
   * what the lanes alone could process (`lanesPerSecond`: throughputBound without it), and that one-at-a-time part as a
   * function of a write's user records (`write`: oneAtATimeWriteOf, what a remedy changing the batch counts). Null
   * otherwise. Not in report.json.
   */
  sinkWriteBound: { perSecond: number; batchUsers: number; writeUs: number; lanesPerSecond: number; write: WriteTime } | null;
  /** The batch (records BatchSize counts) laneThroughput is counted at: BatchSize, or fewer when a full batch outlasts the timeout (0: none ends within it). */
  laneBatchRecords: number;
  /** User records per Kinesis record the mapping read: what each record BatchSize counts holds (a KPL aggregate's; 1 without aggregation). */
  userRecordsPerRecord: number;
  /**
   * Over the last quarter of the time after warmup (from fromUs, where falling behind is judged), per shard (not in
   * report.json): the µs its lane that spent the most on failed invocations spent on them, from a failed invocation's
   * start until its batch is invoked again or given up; and the µs its lane that waited the most to try again
   * invocations the concurrency limit throttled waited; and the µs its busiest lane was busy with a batch (from taking it
   * until done with it). A lane held so soon stops its shard's reader, whatever its other lanes do.
   */
  lanesLate: {
    fromUs: number;
    /** Per shard, the highest age of its oldest unprocessed record from fromUs (µs): where the shard judged is chosen. */
    oldestUnprocessedAgeByShardUs: number[];
    /** Per shard, when the mapping began reading it (−1: never; a child, when its parents were all done) and finished it (−1: not finished). */
    startedAtUs: number[];
    finishedAtUs: number[];
    mostFailingByShardUs: number[];
    mostThrottledByShardUs: number[];
    mostBusyByShardUs: number[];
    /** With a sink: per shard, the µs its lane that waited the most for its batches' flushes waited. */
    mostSinkWaitByShardUs?: number[];
  };
  /**
   * Per series step, whole run: invocations, errors, throttles, the most concurrent executions; records to the
   * on-failure destination past their retries, discarded (no destination), skipped by maximum age (no destination), and
   * to the destination for their age (ConsumerResult.accounting).
   */
  series: { invocations: number[]; errors: number[]; throttles: number[]; concurrentExecutions: number[]; toDestination: number[]; discarded: number[]; skippedByAge: number[]; toDestinationByAge: number[] };
}

export interface ConsumerResult {
  name: string;
  /** A KCL application (polling or enhanced fan-out), a stream processor (a Flink job, a Spark query) or a Lambda function (an event source mapping). */
  kind: "kcl" | "fanout" | "flink" | "spark" | "lambda";
  /** The stream it reads. */
  stream: string;
  /** The stream it writes to (`output:`), if it does. */
  output?: string;
  workers: number;
  /**
   * Whole run: records the stream accepted = processed + unread + expired unread + skipped; for a Lambda consumer also
   * the records its event source mapping discarded, never processed, by reason: past MaximumRetryAttempts, sent to its
   * on-failure destination (toDestination) or with none (discarded: lost); older than MaximumRecordAgeInSeconds when a
   * batch was tried, sent to its on-failure destination (toDestinationByAge) or with none (skippedByAge: lost). Lambda
   * sends the destination each such batch's details (shard, sequence numbers), not its records, for both reasons
   * (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html).
   */
  accounting: {
    accepted: number;
    processed: number;
    unread: number;
    expiredUnread: number;
    skipped: number;
    toDestination?: number;
    discarded?: number;
    skippedByAge?: number;
    toDestinationByAge?: number;
    balanced: boolean;
  };
  /**
   * Of the records that arrived in the stream after warmup (`accepted`): those it will never process, by reason, given
   * up at any time until the end (what consumerLostPercent counts, as its latencies count those records): expired
   * unread, skipped, and for a Lambda consumer discarded and skipped by its maximum record age with no on-failure
   * destination (those whose batches' details went to one are not counted lost: they can be read back from the stream
   * until its retention).
   */
  lostAfterWarmup: { accepted: number; expiredUnread: number; skipped: number; discarded: number; skippedByAge: number };
  /** Whole run: records processed again after a lease changed hands. */
  reprocessed: number;
  /**
   * Whole run: records its output stream or sink took twice, written again by a lease's next owner (duplicates
   * downstream, as KCL's at-least-once delivery makes them). An `output:` application's: a worker crash cut the puts of
   * a processed batch after these were in, the batch did not count as processed, and the lease's next owner processed it
   * again and wrote them again. A `sink:` application's: the sink had taken them from a record processor that stopped
   * (a crash, a lease lost) before a checkpoint covered them — a flush the stop cut (what a DynamoDB table took of the
   * requests sent), flushes done since the checkpoint (`checkpoint: when-due`, or a throttled checkpoint) — and the
   * lease's next owner, reading from the checkpoint, flushed them again. 0 for others.
   */
  writtenAgain: number;
  /**
   * Records processed again by workers started after they were lost (a worker restarted or added later took the
   * leases), by when they were lost and when those workers started (µs): what a restart's worker re-read for an earlier
   * crash. Empty for a Lambda consumer.
   */
  lateReReads: { lostAtUs: number; workerStartedAtUs: number; records: number }[];
  /** Records skipped after warmup (given up then: a lease changed hands without a checkpoint, at LATEST). */
  skippedAfterWarmup: number;
  /** After warmup. */
  getRecordsCalls: number;
  readThrottles: number;
  subscribeCalls: number;
  recordsRead: number;
  bytesRead: number;
  /** After warmup, records still unprocessed at the end included at their age then (censored: lower bounds). */
  endToEnd: LatencySummary;
  endToEndCdf: { value: number; fraction: number }[];
  putToProcess: LatencySummary;
  /** Records that arrived after warmup and were still unprocessed at the end (in endToEnd at their age then). */
  censoredAtEnd: number;
  /**
   * Where the time went, for the slowest half, 1% and 0.1% of the records: mean µs before the stream
   * (producer buffering and retries, or an upstream application), waiting in the shard to be read, and in the
   * record processor (waiting for it, processing, writing on).
   */
  stages: StageTails<"beforeStream" | "readWait" | "processing">;
  /**
   * Highest iterator age after warmup as CloudWatch reports it, µs, overall and per shard: polling,
   * GetRecords.IteratorAgeMilliseconds (the age of the last record a call returned; about 0 when caught up);
   * fan-out, SubscribeToShardEvent.MillisBehindLatest.
   */
  maxIteratorAge: number;
  maxIteratorAgeByShard: number[];
  /**
   * When its first iterator age came, µs (whole run; null: none): its first GetRecords response or fan-out event, for a
   * Lambda consumer its first invocation with records. Before then `series.iteratorAge` is 0 because nothing was read
   * yet (a KCL 3.x application reads nothing until the leader's first lease assignment), not because it kept up.
   */
  firstReadUs: number | null;
  /** Highest age of the oldest record not processed yet, after warmup, µs, overall and per shard (what a backlog waits). */
  maxOldestUnprocessedAge: number;
  maxOldestUnprocessedAgeByShard: number[];
  /**
   * Per series step, whole run: the ages the highest over the shards; getRecordsCalls counts refused calls too;
   * reprocessed and skipped when they were processed again or skipped, lostAgain when what they were was lost (not in
   * report.json).
   */
  series: { iteratorAge: number[]; oldestUnprocessedAge: number[]; recordsProcessed: number[]; readThrottles: number[]; getRecordsCalls: number[]; reprocessed: number[]; skipped: number[]; lostAgain: LostAgain };
  /**
   * Per shard, from `fromUs` to the end (the last quarter of the time after warmup; absent for a Lambda consumer): µs its
   * record processors spent processing, held by what they processed (a sink's flushes, puts to an output stream) and
   * queued for a slot of their worker, and its reader waiting for room in the prefetch cache (what is left of the
   * shard's open time the processors had nothing to process); the user records they processed; the highest
   * oldest-unprocessed age (µs); when the shard was finished (its SHARD_END checkpoint, µs; null: not finished); and the
   * user records that arrived in the shard from `arrivedFromUs` (the first once-a-second sample from `fromUs` on; null
   * when the run ended before one) to the end.
   */
  processorTime?: {
    fromUs: number;
    processing: number[];
    held: number[];
    queued: number[];
    room: number[];
    records: number[];
    oldestUnprocessedAge: number[];
    finishedAtUs: (number | null)[];
    arrivedFromUs: number | null;
    arrived: number[];
  };
  /** A Lambda consumer's mapping and function (absent for KCL applications and stream processors). */
  lambda?: LambdaResult;
  /** A KCL application's leases (a stream processor's: its shard assignment, no takes); absent for a Lambda consumer, whose mapping keeps its own. */
  leases?: {
    takes: number;
    steals: number;
    lost: number;
    takesThrottled: number;
    /** Takes whose condition failed (the lease moved since the taker's scan); each still cost a write unit. */
    takesFailed: number;
    renewals: number;
    renewalsThrottled: number;
    checkpoints: number;
    checkpointsThrottled: number;
    scansThrottled: number;
    perWorkerAtEnd: number[];
    aliveWorkersAtEnd: number;
  };
  /**
   * A stream processor's engine and reader, the shards each subtask (Flink) or the executor pool (Spark) holds at the
   * end, its checkpoints after warmup (Flink's periodic ones; Spark's commits after each micro-batch), the rounds of
   * GetRecords attempts that all were throttled (the job or task fails then), and Spark's completed micro-batches
   * (whole run); absent for a KCL application or a Lambda consumer.
   */
  processor?: {
    engine: "flink" | "spark";
    connector?: "FlinkKinesisConsumer" | "KinesisStreamsSource";
    reader: "polling" | "efo";
    shardsPerWorker: number[];
    checkpoints: number;
    retriesExhausted: number;
    microBatches?: number;
  };
  /** The KCL lease table; absent for a stream processor (it keeps its positions in its own checkpoints) or a Lambda consumer (its mapping keeps them). */
  leaseTable?: {
    capacity: "provisioned" | "onDemand";
    provisioned: { read: number; write: number } | null;
    /** An on-demand table's capacity over the run: its previous peak, the capacity in force at the start and the highest, when it rose (µs); null when provisioned. */
    onDemand: OnDemandCapacityState | null;
    /** After warmup: consumed units and throttled requests. */
    writeUnits: number;
    readUnits: number;
    writeRequests: number;
    readRequests: number;
    throttledWrites: number;
    throttledReads: number;
    /** Per series step, units per second consumed and requests throttled (whole run). */
    series: { writeUnitsPerSecond: number[]; readUnitsPerSecond: number[]; throttledWrites: number[]; throttledReads: number[] };
  };
  /** KCL 3.x lease management (absent for a 2.x application that does not migrate). */
  leaseAssignment?: LeaseAssignmentResult;
}

/** A DynamoDB table or index of a KCL 3.x application: its capacity and what it served after warmup. */
export interface KclTableResult {
  provisioned: { read: number; write: number } | null;
  writeUnits: number;
  readUnits: number;
  throttledWrites: number;
  throttledReads: number;
}

/** What a KCL 3.x application's lease management did (counts after warmup unless named otherwise). */
export interface LeaseAssignmentResult {
  /** The KCL version at the end of the run (3; a 2.x application whose migration has not switched every worker stays 2). */
  versionAtEnd: 2 | 3;
  workerMetric: "cpu" | "throughput";
  metadataTables: "leaseTable" | "separate";
  /** A migration from 2.x: when the leader flipped the fleet to 3.x and when the last worker switched (µs); null before. */
  migration: { atUs: number; flippedAtUs: number | null; switchedAtUs: number | null } | null;
  leaderChanges: number;
  /**
   * Whole run: each crash of the worker holding the leader lock (a crashed worker does not release it), when the lock
   * expired (its lease after the leader's last heartbeat: DynamoDBLockBasedLeaderDecider) and when another worker took
   * it, null when none did by the end. Lease assignment waits for that: no worker assigns leases meanwhile.
   */
  leaderLosses: { lostAtUs: number; lockExpiresAtUs: number; lockLeaseUs: number; takenAtUs: number | null }[];
  assignmentRuns: number;
  assignmentRunsThrottled: number;
  /** Of the throttled runs: those while a lease waited for the leader (unowned, or its owner not running). */
  assignmentRunsThrottledWaiting: number;
  /** Leases the leader gave an owner: unowned, expired (their owner stopped renewing) and rebalanced (moved from a running worker). */
  assigned: { new: number; expired: number; rebalanced: number };
  /** isGracefulLeaseHandoffEnabled, and gracefulLeaseHandoffTimeoutMillis (µs). */
  gracefulHandoff: { enabled: boolean; timeoutUs: number };
  /**
   * How rebalanced leases left their old owner: handed off with a checkpoint; without one once the handoff timed out
   * (the old owner's timeout, or the leader's for the pending checkpoint); moved at once because graceful handoff is off.
   */
  handoffs: { graceful: number; withoutCheckpoint: number; disabled: number };
  /**
   * Records processed again (whole run) by why the record processor that processed them again started: after the
   * leader rebalanced its lease, after the leader reassigned it expired, after its worker lost it (a renewal not
   * written within the failover time) and found it again, or otherwise (a 2.x take or steal before a migration, a
   * restarted worker). They add up to the consumer's `reprocessed`.
   */
  reprocessed: { rebalanced: number; expired: number; lost: number; other: number };
  /** Lease-owner index queries; throttled ones; of those, the ones while the worker owned a lease it had not started; leases found. */
  discovery: { queries: number; throttled: number; throttledWaiting: number; leasesFound: number; intervalUs: number };
  assignmentIntervalUs: number;
  metricsReports: number;
  metricsReportsThrottled: number;
  /** The lease-owner index (a GSI with its own capacity). */
  leaseOwnerIndex: KclTableResult;
  /** The separate worker metrics and coordinator state tables (metadataTables: separate). */
  workerMetricsTable: KclTableResult | null;
  coordinatorStateTable: KclTableResult | null;
  /** Worker utilisation as the workers reported it (%): per running worker at the end, its mean after warmup (null without a report) and its latest. */
  utilisation: {
    meanByWorker: (number | null)[];
    latestByWorker: (number | null)[];
    /** Mean over the reports after warmup of the fleet's spread (highest − lowest latest report), and its highest per series step. */
    meanSpread: number;
    spreadSeries: number[];
  };
}

export interface ShardReads {
  /** After warmup, all polling consumers of the shard together. */
  getRecordsCalls: number;
  throttled: number;
  /** Of the throttled calls: refused while the shard's 2 MiB/s read budget was in debt, or for want of one of the 5 calls/s. */
  throttledByBytes: number;
  throttledByCalls: number;
  bytes: number;
}

/** One shard's per-step counts (whole run). */
export interface ShardSeries {
  shard: string;
  incomingRecords: number[];
  incomingBytes: number[];
  throttledRecords: number[];
}

/** Write utilisation per shard (rows) and time bin (columns): the highest of any series step in the bin, with the attempts throttled in it. */
export interface Heatmap {
  binSeconds: number;
  shards: string[];
  utilisation: number[][];
  throttled: number[][];
}

/** A Kinesis stream's settings as the run used them. */
export interface StreamInfo {
  /** False when the scenario has no stream (every producer writes to Firehose with Direct PUT): no shards then. */
  declared: boolean;
  name: string;
  /** Every shard the run saw (with a reshard: the closed parents and their children too). */
  shardCount: number;
  /** The capacity mode from each time on: the scenario's from 0, then each switch-mode (the first is at 0). */
  modes: { atUs: number; mode: "provisioned" | "on-demand" | "on-demand-advantage" }[];
  /** Open shards at the start and at the end, and on average after warmup (what the capacity and shard-hours are). */
  openShards: { atStart: number; atEnd: number; meanAfterWarmup: number };
  writeBurstSeconds: number;
  maxRecordSize: number;
  limits: { bytesPerSecond: number; recordsPerSecond: number };
}

/** Stream-level series, one value per resolution step over the whole run. */
export interface StreamSeries {
  incomingRecords: number[];
  incomingBytes: number[];
  throttledRecords: number[];
  /** Highest shard utilisation (accepted) in each step: max over shards of max(records/limit, bytes/limit) per second. */
  maxShardUtilisation: number[];
}

/** Whole run: what the stream's writers (producers and applications) offered it = accepted + in flight + lost. */
export interface StreamAccounting {
  offered: number;
  accepted: number;
  inFlight: number;
  lost: number;
  balanced: boolean;
}

/** A load on a shard or part of it, per second after warmup: the mean offered, and with every writer at its peak rate. */
export interface Load {
  recordsPerSecond: number;
  bytesPerSecond: number;
  peakRecordsPerSecond: number;
  peakBytesPerSecond: number;
}

/**
 * A writer using the KPL with aggregation (kpl.aggregationEnabled): each of its processes packs the user records it has
 * for a shard into aggregated Kinesis records, one when RecordMaxBufferedTime has passed since the first of them or
 * when AggregationMaxSize is reached (KPL default_config.properties, reducer.h). So the Kinesis records it puts on a
 * part of a shard are not its Kinesis records times the part's share of its keys: they are what its processes' buffers
 * make of the part's user records (src/model/producers/kplAggregation.ts expectedAggregation, as the KPL model sends
 * them). ShardTraffic keeps its user records by key, and src/result/aggregatedLoad.ts aggregates them for any part.
 */
export interface AggregatingWriter {
  name: string;
  /** Its processes, each with its own buffer per shard. */
  instances: number;
  recordMaxBufferedTimeUs: number;
  aggregationMaxSize: number;
  /** Mean data bytes of one user record. */
  meanDataBytes: number;
  peakToMean: number;
}

/** An aggregating writer's user records on a key (or the spread), per second after warmup, and their partition keys' bytes per second. */
export interface UserRecords {
  recordsPerSecond: number;
  keyBytesPerSecond: number;
}

/**
 * A throttled shard's traffic by hash key, for the split that would balance it (src/result/splitProposal.ts): its
 * writers' offered load after warmup divided by the exact routing of their keys; bytes with partition keys. A writer
 * that sends one Kinesis record per user record (SDK, Agent, KPL without aggregation, applications) counts in the keys'
 * and the spread's Load; a KPL writer that aggregates (`aggregating`) counts in their `users`, its user records, which
 * must be aggregated anew for each part of the range (src/result/aggregatedLoad.ts).
 */
export interface ShardTraffic {
  shard: string;
  startingHashKey: string;
  endingHashKey: string;
  /**
   * Each writer with traffic on the shard (a producer, or an application "app → stream"), its Kinesis records and bytes
   * on the shard (an aggregating writer's: its aggregates, as its processes' buffers pack its user records for the shard),
   * and its peak rate ÷ mean rate (1 for applications).
   */
  writers: (Load & { name: string; peakToMean: number })[];
  /**
   * The heaviest discrete keys on the shard (at most SHARD_TRAFFIC_KEYS), sorted by hash key: the key (the first
   * writer's name for it), its hash key (decimal), the load of the writers that do not aggregate and, with aggregating
   * writers, `users`: each one's user records (by index of `aggregating`). Several writers' keys with one hash key are one entry.
   */
  keys: (Load & { key: string; hashKey: string; users?: UserRecords[] })[];
  /** Load spread evenly over the range: random keys, and the lighter discrete keys beyond the listed ones (`users` as for keys). */
  spread: Load & { users?: UserRecords[] };
  /** How many lighter discrete keys `spread` holds. */
  aggregatedKeys: number;
  /** The KPL writers that aggregate (absent or empty when none writes to the shard). */
  aggregating?: AggregatingWriter[];
}

/** One Kinesis stream of the run. */
export interface StreamRun {
  stream: StreamInfo;
  shards: ShardResult[];
  series: StreamSeries;
  /** Per-shard series of the hottest shards (src/result/hotShards.ts: throttled first, by the load their first attempts offered), same resolution. */
  hotShardSeries: ShardSeries[];
  /** The traffic by hash key of the hottest throttled shards (at most SPLIT_SHARDS, hottest first; none without throttling). */
  hotShardTraffic: ShardTraffic[];
  /**
   * Write utilisation per shard and time bin, for a heatmap: at most HEATMAP_SHARDS shards (the hottest, in
   * shard order) and HEATMAP_BINS bins. A cell is the highest utilisation of any series step in the bin
   * (max of records/limit and bytes/limit, accepted load), with the attempts throttled in the bin.
   */
  heatmap: Heatmap;
  /** Per shard, the shared polling reads (empty when no consumer polls). */
  shardReads: ShardReads[];
  accounting: StreamAccounting;
  /** The stream's reshards, in order (empty when it keeps its shards). */
  reshards: ReshardResult[];
  /** Resharding calls the service refused at run time (by the scenario or a policy), in order; absent when none was. */
  refusedReshards?: RefusedReshard[];
  /**
   * The on-demand service's splits stopped at the mode's ceiling (what on-demand's 10 GB/s, or the warm throughput when
   * more, needs at 1 MiB/s a shard): when first (µs), the load offered then and the most the service would have held;
   * absent when they never did.
   */
  onDemandCeiling?: Omit<OnDemandCeiling, "at"> & {
    atUs: number;
    /** The scenario's region (us-east-1 when it states none: regionStated false), whose documented maximum it is. */
    region: string;
    regionStated: boolean;
    /** The on-demand maximum is one the scenario states above the Region's documented one (a support ticket's: stream.onDemand.maxWriteThroughput). */
    raised: boolean;
  };
  /**
   * An on-demand stream's busiest minute (the service's check interval): the write load its writers' first attempts
   * offered over it, per second, and when it ended (µs); absent for a stream never on-demand at a check.
   */
  onDemandPeakOffered?: { atUs: number; bytesPerSecond: number; recordsPerSecond: number };
  /** The autoscaling policy's scalings, in time order (absent when the stream has no policy). */
  scaling?: ScalingEvent[];
  /** What each policy saw of the stream, per minute (src/result/scaling.ts finds the hot shards it could not see). */
  scalingViews?: PolicyView[];
  /**
   * The shards that took more than a write limit for a while on their write buckets' burst (stream.writeBurst), until
   * it ran out or to the end (src/result/writeBurst.ts); absent when none did.
   */
  writeBurst?: WriteBurstDraw[];
}

/** What an application wrote to another stream (a consumer's `output:`). */
export interface WriterResult {
  /** "app → stream". */
  name: string;
  consumer: string;
  stream: string;
  keys: string;
  /** Whole run: offered = accepted + awaiting retry + lost past retries + interrupted (a worker crashed while they waited). */
  offered: number;
  accepted: number;
  awaitingRetry: number;
  lostRetriesExhausted: number;
  interrupted: number;
  /** Records of writes not finished at the end (their batches are not processed yet). */
  unfinished: number;
  /** PutRecords calls, whole run. */
  requests: number;
  /** After warmup: records offered (once each) and their bytes with keys; records sent (each attempt counts), throttled, resent; PUT payload units accepted. */
  offeredAfterWarmup: number;
  offeredWriteBytesAfterWarmup: number;
  attempts: number;
  throttledAttempts: number;
  retriedRecords: number;
  payloadUnits: number;
  /** After warmup (by when they were handed over): records lost past the retry limit, as recordsLostPercent counts them. */
  lostAfterWarmup: number;
  /** Handed over by the processor → acknowledged, retries included. */
  putLatency: LatencySummary;
  /** Per series step, whole run: records sent (each attempt counts) and those throttled (not in report.json). */
  series: { attempts: number[]; throttledAttempts: number[] };
}

/** Where a consumer emitted what it processed (`sink:`), as the Kinesis Connector Library's emitters do. */
export interface SinkResult {
  /** The consumer that writes to it. */
  consumer: string;
  kind: "dynamodb" | "s3" | "redshift" | "opensearch";
  /** The Connector's buffer limits; null for a Lambda function's sink (each invocation writes its batch before it returns). */
  buffer: { records: number; bytes: number; ageUs: number | null } | null;
  /** The Connector's tries of an emit, or a Lambda function's own tries of a write. */
  retry: { limit: number; backoffUs: number };
  /** When the record processor checkpoints; null for a Lambda function's sink (its mapping moves on when an invocation returns). */
  checkpoint: "after-flush" | "when-due" | null;
  /**
   * Whole run: records offered = written + buffered + being written (a flush in progress or awaiting a retry) + lost
   * past the retry limit + given up or expired at the destination + interrupted (the record processor stopped with
   * them unwritten; never checkpointed, the lease's next owner processes them again).
   */
  accounting: {
    offered: number;
    written: number;
    buffered: number;
    writing: number;
    lost: { retriesExhausted: number; gaveUp: number; expired: number };
    interrupted: number;
    balanced: boolean;
  };
  /**
   * Whole run: flushes by what triggered them (records, bytes, age; end: a shard's end; invocation: a Lambda function's
   * batch, which each invocation writes before it returns, 0 for a KCL application's sink), and emit tries after a flush's first.
   */
  flushes: { records: number; bytes: number; age: number; end: number; invocation: number };
  retries: number;
  /** Record processors the sink's lanes serve (the stream's shards at the start): the wait share is over them. */
  processors: number;
  /** After warmup. */
  afterWarmup: {
    offered: number;
    written: number;
    writtenBytes: number;
    flushes: number;
    /** BatchWriteItem requests, S3 PUTs (objects; staging objects for Redshift), bulk requests. */
    requests: number;
    throttledRequests: number;
    throttledItems: number;
    /** Records lost by the sink after warmup (when lost), by reason, as recordsLostPercent counts them. */
    lost: { retriesExhausted: number; gaveUp: number; expired: number };
    /**
     * Writes their lane stopped before they were done (a Lambda invocation its timeout ended, a record processor that
     * stopped), counted by when they started: all of them; those cut before their first retry (during their first
     * try, or while waiting its backoff), and the requests those had sent in all.
     */
    cut: { writes: number; beforeRetry: number; beforeRetryRequests: number };
    objects: number;
    objectBytes: number;
    /** Redshift COPY commands. */
    copies: number;
    failedAttempts: number;
    /** Share of the record processors' time spent waiting for flushes to be written (0..1). */
    waitShare: number;
    /**
     * Share of the sink's capacity used: DynamoDB write units ÷ capacity; the share of time a Redshift COPY ran, or an
     * OpenSearch bulk request was being served (its request latency plus its bytes at the domain's throughput: one at a
     * time); null for S3.
     */
    utilisation: number | null;
  };
  /** The capacity utilisation is measured against, per second: WCU (DynamoDB), 1 COPY (Redshift), 1 bulk request (OpenSearch: one at a time); null for S3. */
  capacityPerSecond: number | null;
  /** OpenSearch: the domain's indexing throughput (bytes/s) a bulk request's bytes go at, besides its latency; null otherwise. */
  domainThroughput: number | null;
  /** A DynamoDB sink's table: capacity, and after warmup the write units, requests and throttled requests; null otherwise. */
  table: {
    capacity: "provisioned" | "onDemand";
    provisioned: { read: number; write: number } | null;
    onDemand: OnDemandCapacityState | null;
    writeUnits: number;
    writeRequests: number;
    throttledWrites: number;
    /** Write units of an item of the mean size written after warmup (1 per KB or part of it). */
    unitsPerItem: number;
    /** A provisioned table drawing on its burst credit at the end of the run (burstCreditDrawn); null when it draws none, and on-demand. */
    burstCredit: BurstCredit | null;
  } | null;
  /** Born at the producer → written to the sink, records born after warmup (written ones only: count 0 when none was). */
  latency: LatencySummary;
  /**
   * Records born after warmup not written by the end of the run: unprocessed by its consumer, buffered or being written
   * in the sink (censored observations: their latency is at least their age at the end).
   */
  censoredAtEnd: number;
  /** `latency` with the censored records counted at their age at the end: a lower bound of the latency of all of them once written. */
  latencyWithCensored: LatencySummary;
  /** Per series step, whole run: records written, items throttled, the processors' wait share, the capacity used (null for S3). */
  series: { written: number[]; throttledItems: number[]; waitShare: number[]; utilisation: number[] | null };
}

/**
 * What a run produces. The top-level stream fields (stream, shards, series, hotShardSeries, heatmap,
 * shardReads) are those of the first stream; `streams` holds every stream (the first included).
 */
export interface RunResult extends Omit<StreamRun, "accounting"> {
  scenario: Scenario;
  seed: number;
  durationUs: number;
  warmupUs: number;
  resolutionUs: number;
  granularity: "batch" | "record";
  windowUs: number;
  producers: ProducerResult[];
  putLatency: LatencySummary;
  putLatencyCdf: { value: number; fraction: number }[];
  /** The producers' records' first attempts' round trips (accepted records, and those lost after being throttled): put latency had no attempt been throttled. */
  putLatencyRoundTrip: LatencySummary;
  /**
   * Of those round trips, the wait for a connection (a KPL request waits for one when its process has MaxConnections in
   * flight; 0 for the other clients' records), and the rest: sent → response.
   */
  putLatencyConnectionWait: LatencySummary;
  putLatencyRoundTripSent: LatencySummary;
  /**
   * Of each acknowledged record's put latency (putLatency's records), its waits for a connection, every attempt's (its
   * first's and a throttled record's retries'; 0 for the other clients' records).
   */
  putLatencyWaits: LatencySummary;
  /**
   * Where the put latency of its slowest records went (its slowest half, 1%, 0.1%; see StageTail): their first attempts'
   * round trip from send to response, their retries (from that response to their acknowledgement, the retries' waits for
   * a connection left out), and their waits for a connection, every attempt's. Absent when some producer keeps no parts.
   */
  putLatencyParts?: StageTails<PutLatencyPart>;
  accounting: Accounting;
  /** Every Kinesis stream of the scenario, in order (empty without one). */
  streams: StreamRun[];
  /** Applications writing to streams. */
  writers: WriterResult[];
  /** Consumers' sinks, in consumer order (empty without one). */
  sinks: SinkResult[];
  consumers: ConsumerResult[];
  firehose: FirehoseResult[];
  /** The scenario's faults, with their measured effects. */
  faults: FaultResult[];
  /** Monthly cost of what the run used after warmup, at the prices of the scenario's price table. */
  cost: { total: number; items: { item: string; usd: number }[]; prices: string; priceTable: PriceTableUsed; hints: CostHint[] };
  engine: { events: number; batches: number };
}

/**
 * A transformation's failed invocations (or records of its batches that failed every try) by cause: `timeout` (past the
 * 5-minute limit), `payload` (request or response over Lambda's 6 MiB synchronous payload, record data in base64),
 * `fault` (a `lambda-errors` fault). See src/model/firehose/transform.ts, TransformFailure.
 */
export type TransformFailureCounts = TransformStats["failedInvocationsBy"];
