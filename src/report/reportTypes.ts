// The shape of report.json (schema "shardcast.report/11"), exactly as buildReportJson writes it. Charts and the
// HTML report read a report through this type, so they depend on the contract, not on RunResult. Where a field
// is a RunResult fact in the same unit, its type is taken from RunResult (Pick, or the type itself); the rest
// converts units (…Ms, …Seconds in the field names) or adds what the verdict judged. The published JSON Schema
// (src/report/reportSchema.json, `shardcast schema --report`) is generated from this file by `npm run docs`.
// `scenario` echoes the resolved scenario (sizes in bytes, durations in microseconds, rates per second).

import type { ConsumerBottleneck, LatencyStage, SloCause, SloVerdict } from "../result/judge.js";
import type { ConnectionWait } from "../result/connectionWait.js";
import type { SoFar } from "../result/metSoFar.js";
import type { Accounting, ConsumerResult, CostHint, FaultResult, FirehoseResult, Heatmap, ProducerResult, ShardReads, ShardResult, ShardSeries, SinkResult, StreamAccounting, TraceSummary, WriterResult } from "../result/runResult.js";
import type { Scenario, ScenarioWarning } from "../spec/index.js";

export interface LatencyJson {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** One point of a CDF: the fraction of observations at or below `ms`. 40 points, every 2.5%. */
export interface CdfPointJson {
  ms: number;
  fraction: number;
}

export interface PeakSecondJson {
  /** Start of the busiest second, seconds from the start of the run; null when the shard saw nothing. */
  atSeconds: number | null;
  records: number;
  bytes: number;
  /** max(records/limit, bytes/limit) in that second. */
  utilisation: number;
}

/** A fault and its measured effect, times in seconds from the start. */
/** The warmup's advice (src/result/warmup.ts) in seconds, with the sentence report.md shows. */
export interface WarmupJson {
  /**
   * The warmup that leaves the start-up out: whole minutes, or less when the next whole minute would pass the scenario's
   * first scheduled change (`firstChange`); null when the start-up was over only after that change, so no warmup leaves
   * it out without hiding the change's effect.
   */
  suggestedWarmupSeconds: number | null;
  /** When the start-up was over: its maxima settled, its lease-balancing skips ended. */
  startupOverSeconds: number;
  /**
   * The scenario's first scheduled change (a fault, a `reshards:` operation, a producer group's traffic step, spike or
   * ramp, a reshard an autoscaling policy or the on-demand service called in the run), present when it ended the
   * suggestion short of the whole minute or left none. `by`: who called a reshard the run made (the policy, "on-demand",
   * "warm throughput"); absent for the scenario's own changes.
   */
  firstChange?: { kind: string; of: string | null; atSeconds: number; by?: string };
  /**
   * `settleCutBy`: the series was back at its steady level from `settledAtSeconds` until this fault of its own, for less
   * than the 30 s that show it settled; absent when it was seen to settle.
   */
  boundaryMaxima: {
    metric: "maxIteratorAge" | "maxOldestUnprocessedAge" | "dataFreshness";
    of: string;
    valueSeconds: number;
    atSeconds: number;
    settledAtSeconds: number;
    settleCutBy?: { kind: FaultResult["kind"]; atSeconds: number };
  }[];
  startupSkips: { of: string; records: number; fromSeconds: number; untilSeconds: number }[];
  summary: string;
}

export interface FaultJson {
  kind: FaultResult["kind"];
  atSeconds: number;
  forSeconds: number;
  target: string;
  workers?: number;
  /**
   * A crash of a KCL 3.x application's worker that held the leader lock (a crashed worker does not release it): when the
   * lock expired (its lease, `lockLeaseSeconds`, after the leader's last heartbeat) and when another worker took it (null:
   * none by the end). Lease assignment waited for that.
   */
  leader?: { lockExpiresAtSeconds: number; lockLeaseSeconds: number; takenAtSeconds: number | null };
  effect:
    /**
     * The records the fault caused to be processed again (`reprocessedRecords`) and skipped (`skippedRecords`: new lease
     * owners started at LATEST past them), and the records a KCL application's output stream or sink took twice because
     * of it (`writtenAgainRecords`: an `output:` batch whose puts a crash cut after some were in; what a `sink:` had
     * taken from a record processor that stopped before a checkpoint covered it — a flush it cut, flushes done since
     * the checkpoint — written again by the lease's next owner): those lost from the fault until the consumer's next
     * fault of its own, or the end, whenever they were processed again; of its faults at one instant, the first counts
     * them, the others 0.
     */
    | ({ kind: "lag"; reprocessedRecords: number; skippedRecords: number; writtenAgainRecords: number } & AgeCourseJson)
    /** notLoaded (Redshift): the age measured is the oldest record's not yet loaded by COPY, not its DataFreshness (to the staging bucket). */
    | ({ kind: "freshness"; notDelivered: number; notLoaded?: true } & AgeCourseJson)
    | ({ kind: "errors"; failedInvocations: number; discardedRecords: number } & AgeCourseJson)
    | null;
  /** The effect in one sentence. */
  summary: string;
}

/**
 * A fault's effect on an age (the oldest unprocessed record's, or DataFreshness), against its level just before (the
 * median of the 15 s before). `visible`: it rose above 1.5 × that level (plus a step): its highest from the fault until
 * it was back within that, and when (null: not by the end of the run). Not visible: it never did within two minutes of
 * the fault's end (or by the end of the run): no maximum and no recovery are the fault's; the age at the end of that
 * span (`lastSeconds`, the step ending at `lastAtSeconds`) and whether it was still growing then.
 */
export type AgeCourseJson =
  /** `trendSecondsPerSecond`: the age was already growing at this pace before the fault; recovery is a return to that trend. */
  | { visible: true; beforeSeconds: number; maxSeconds: number; recoveredAtSeconds: number | null; trendSecondsPerSecond?: number }
  | { visible: false; beforeSeconds: number; lastSeconds: number; lastAtSeconds: number; growing: boolean };

/** An SLO's verdict with what it measures in words, and for a missed one why it was missed. */
/** Why an SLO was missed, as report.json carries it: a latency's stages in milliseconds, a lag's peak and fault in seconds. */
export type SloCauseJson =
  | (Omit<Extract<SloCause, { kind: "stages" }>, "stagesUs" | "tailMeanUs"> & { stagesMs: Partial<Record<LatencyStage, number>>; tailMeanMs: number })
  | {
      kind: "consumer";
      bottleneck: ConsumerBottleneck;
      /** For a lag SLO of a consumer with no steady bottleneck: when the lag peaked, and the fault of its workers in whose window it came. */
      peakAtSeconds?: number;
      fault?: { kind: FaultResult["kind"]; atSeconds: number };
      /** A Lambda consumer's lag set by its event source mapping's batching window (MaximumBatchingWindowInSeconds). */
      batchingWindowSeconds?: number;
    }
  /**
   * Put latency: the percentile of the records' first attempts' round trips (a wait for a connection included), in
   * milliseconds. `connections`: the records waited for a connection (KPL MaxConnections): the percentile of that wait
   * and of the rest of the round trip (sent → response); the KPL group whose records waited longest, their mean wait,
   * the share of its PutRecords that waited; its processes × MaxConnections ÷ mean round trip, the PutRecords they start
   * a second at most, against those it made a second (on average after warmup, and in its busiest second); what its
   * processes' deadlines alone make a second (deadline-bound: more than its connections start); the share of its
   * requests made because their records filled one; and the remedies that hold (see src/result/connectionWait.ts).
   */
  | (Omit<Extract<SloCause, { kind: "puts" }>, "roundTripUs" | "connections" | "parts"> & {
      roundTripMs: number;
      connections?: ConnectionWaitJson;
      /** The slowest records' put latency (above the percentile), its mean and its parts' means (ms): first attempts' round trip from send, retries, waits for a connection. */
      parts?: { meanMs: number; firstAttemptMs: number; retriesMs: number; waitsMs: number };
    })
  /**
   * Throttled writes. `onDemand`: the stream that binds is on-demand, and over the span it throttled (after warmup) it
   * accepted 90% or more of what its open shards take (1 MiB/s and 1,000 records/s a shard): its traffic passed them,
   * while the service's split (`split`: called, done, the open shards after; `done` false when it completes after the
   * end) had not completed. The shards open then and whether they are those it started with (twice its previous peak),
   * the scenario's previous peak and warm throughput (bytes/s, null when not stated), and its writers' busiest minute.
   */
  | (Omit<Extract<SloCause, { kind: "writes" }>, "onDemand" | "scaling"> & {
      /**
       * The stream that binds throttled mostly (80% or more of its throttled seconds after warmup) before its autoscaling
       * policy's scale-ups completed: per scale-up, when the throttling before it began, when the policy decided and
       * UpdateShardCount completed (`done` false: after the end), the shard counts and the utilisation it computed, and
       * the throttled seconds in that window.
       */
      scaling?: {
        stream: string;
        throttledSeconds: number;
        waitingSeconds: number;
        windows: { policy: string; throttledFromSeconds: number; decidedAtSeconds: number; doneAtSeconds: number; done: boolean; from: number; to: number; utilisationPct: number; throttledSeconds: number }[];
      };
      onDemand?: {
        mode: "on-demand" | "on-demand-advantage";
        fromSeconds: number;
        untilSeconds: number;
        openShards: number;
        startShards: boolean;
        previousPeakBytesPerSecond: number | null;
        warmBytesPerSecond: number | null;
        split: { calledAtSeconds: number; doneAtSeconds: number; openAfter: number; done: boolean } | null;
        peakOffered: { atSeconds: number; bytesPerSecond: number; recordsPerSecond: number } | null;
      };
    })
  | Exclude<SloCause, { kind: "stages" } | { kind: "consumer" } | { kind: "puts" } | { kind: "writes" }>;

/** A put latency's wait for a connection (ConnectionWait) with its times in milliseconds. */
export interface ConnectionWaitJson extends Omit<ConnectionWait, "waitUs" | "sentRoundTripUs" | "waitMeanUs" | "meanRoundTripUs" | "remedies"> {
  waitMs: number;
  sentRoundTripMs: number;
  waitMeanMs: number;
  meanRoundTripMs: number;
  remedies: Omit<ConnectionWait["remedies"], "recordMaxBufferedTimeUs"> & { recordMaxBufferedTimeMs?: number };
}

export interface SloJson extends Omit<SloVerdict, "cause" | "onWriteBurst" | "onGrowingBacklog"> {
  /**
   * Met so far only, on a growing backlog: the consumer's or delivery stream's whose backlog grows at the end. For a
   * latency (an end-to-end SLO, deliveryP99), the figure is a lower bound on it; for a max age (maxIteratorAge,
   * maxOldestUnprocessedAge, dataFreshness), `ageRise`: the age rises at the end by `perSecond` seconds a second, and at
   * that pace reaches the target at `reachesTargetAtSeconds` (from the start, after the end).
   */
  onGrowingBacklog?: ({ consumer: string } | { deliveryStream: string }) & { ageRise?: { perSecond: number; reachesTargetAtSeconds: number } };
  /** For a missed SLO: where the time went (stages: the mean of the slowest records, the share above its percentile), or what made it miss. */
  cause?: SloCauseJson;
  /**
   * Met so far only, on a shard's write burst (stream.writeBurst): the shard still drawing on it at the end that runs
   * out first, when it runs out at the run's pace (seconds from the start, after the end) and the share of the writes
   * it is offered that it refuses from then, enough that a longer run may miss this SLO (a writeThrottledPercent,
   * put-latency, recordsLostPercent or end-to-end SLO, when met; for an end-to-end SLO, the shard of its consumer's stream).
   */
  onWriteBurst?: { stream: string; shard: string; runsOutAtSeconds: number; refusedShare: number };
  /**
   * Present only on a met SLO that is met so far only, a longer run may miss it, and why: "growingBacklog" (the figure is
   * a lower bound on a backlog that grows at the end, or a max age rising with it: `onGrowingBacklog` names it) or "writeBurst" (met while a shard's
   * write burst lasts: `onWriteBurst`). Absent: met outright, or missed.
   */
  metSoFar?: SoFar;
  description: string;
  /** Missed: why, in one sentence. */
  why?: string;
}

/** Every record offered is accepted, in flight or lost with a reason (whole run). */
export type AccountingJson = Accounting;

export interface ShardJson
  extends Pick<ShardResult, "id" | "startingHashKey" | "endingHashKey" | "expectedShare" | "incomingRecords" | "incomingBytes" | "throttledRecords" | "throttledByRecordLimit" | "throttledByByteLimit"> {
  incomingRecordsPerSecond: number;
  peakIncoming: PeakSecondJson;
  peakOffered: PeakSecondJson;
  demand: ShardDemandJson;
  /** When the stream resharded: when the shard opened and closed (s from the start; null: open at the end) and its parents. */
  life?: { openedAtSeconds: number; closedAtSeconds: number | null; parents: string[]; expiredAtSeconds?: number };
}

/**
 * After warmup, the load a shard's writers offered it with their first attempts (a retry of a throttled record does not
 * count again): records, bytes (data + partition keys), and their utilisation, max(records/s ÷ the shard's records
 * limit, bytes/s ÷ its bytes limit) per second of the shard's life after warmup. What ranks the hottest shards
 * (`hottestShards`, `verdict.hottestShard`): shards that throttled first, then by this utilisation.
 */
export interface ShardDemandJson {
  records: number;
  bytes: number;
  utilisation: number;
}

/** A reshard of the run (times in s from the start). */
export interface ReshardJson {
  kind: "split" | "merge" | "update-shard-count" | "on-demand-split";
  calledAtSeconds: number;
  doneAtSeconds: number;
  /** The shards it closed and opened within the run (none for one still in progress at the end). */
  closed: string[];
  opened: string[];
  /** Open shards after it (at the end of the run, for one still in progress then). */
  openShardsAfter: number;
  /** Still in progress at the end (doneAtSeconds is after the run): the shards it closes, and how many it opens, when it completes. */
  inProgressAtEnd?: { closing: string[]; opening: number };
}

/**
 * The on-demand service's splits stopped at the mode's ceiling (times in s from the start): the open shards what
 * on-demand's documented maximum write throughput, 10 GB/s (Kinesis quotas and limits), needs at 1 MiB/s a shard, or
 * an On-demand Advantage stream's warm throughput when more. Past it the service adds no shard.
 */
export interface OnDemandCeilingJson {
  /** The first check whose splits the ceiling cut short or stopped. */
  atSeconds: number;
  /** The ceiling: the shards the mode's most write throughput needs at 1 MiB/s a shard, that throughput (bytes/s), and whose it is. */
  shards: number;
  writeBytesPerSecond: number;
  by: "on-demand maximum" | "warm throughput";
  /** The open shards then: the ceiling's, or more when the stream held more (a stated stream.shards, or shards kept at a switch from provisioned). */
  openShards: number;
  /** The scenario's region, whose documented maximum the on-demand maximum is (10 GB/s in us-east-1, us-west-2, eu-west-1; 200 MB/s elsewhere); us-east-1 when it states none (regionStated false). */
  region: string;
  regionStated: boolean;
  /** The on-demand maximum is one the scenario states above the Region's documented one (raised by a support ticket: stream.onDemand.maxWriteThroughput). */
  raised: boolean;
  /** What the stream's writers offered (first attempts) per second over that check's interval. */
  offered: { writeBytesPerSecond: number; writeRecordsPerSecond: number };
  /** What the service would have held at the last check the ceiling stopped: twice the stream's peak offered load, and the shards it needs at 1 MiB/s and 1,000 records/s a shard. */
  needed: { writeBytesPerSecond: number; writeRecordsPerSecond: number; shards: number };
}

/** A resharding call the service refused (times in s from the start): it changed nothing. */
export interface RefusedReshardJson {
  kind: "split" | "merge" | "update-shard-count" | "on-demand-split";
  /** "scenario" (its reshards:), the autoscaling policy, or the on-demand service. */
  by: string;
  calledAtSeconds: number;
  /** UpdateShardCount's target. */
  target?: number;
  /** The shards a SplitShard, MergeShards or service split named. */
  shards?: string[];
  /** The rule it broke (in-use, target, limit-exceeded, quota, not-open, no-such-shard, not-adjacent, hash-key) and the refusal in the service's words. */
  rule: string;
  reason: string;
}

export interface ProducerJson extends Pick<ProducerResult, "name" | "client" | "instances" | "keys" | "topKeys" | "offered" | "accepted" | "lost" | "inFlight" | "wrongShard" | "requests" | "clientMetrics"> {
  /** The stream it writes to (reports of scenarios with several streams). */
  stream?: string;
  afterWarmup: {
    offered: number;
    /** The Kinesis records those become (the KPL's aggregates; otherwise equal to offered). */
    offeredKinesisRecords: number;
    attempts: number;
    throttledAttempts: number;
    writeThrottledPercent: number;
    retriedRecords: number;
    lost: number;
  };
  putLatency: LatencyJson;
  /**
   * For a trace rate: the file replayed, its periods, scale, and the intra-period shape assumed (peakToMean for bursty
   * only). `replayed`: what the run replays: the run periods it starts (looping when the trace repeats, none after its
   * end when it does not), how much of the last one it covers (s), and the records (before scaling) of those periods,
   * whole, with their mean size (bytes ÷ records; null without bytes). A Kinesis Agent's trace counts lines.
   */
  trace?: Omit<TraceSummary, "periodUs" | "peakToMean" | "replayed"> & {
    periodSeconds: number;
    peakToMean?: number;
    replayed: { periods: number; lastPeriodSeconds: number; records: number; meanRecordBytes: number | null };
  };
}

export type ConsumerBottleneckJson = ConsumerBottleneck;

/** A warning about the scenario (src/spec/warnings.ts): its kind, the field it is about, what to do. */
export interface WarningJson {
  /** Stable for tools: "account-shard-quota". */
  code: ScenarioWarning["code"];
  /** The field, as in `stream.shards` or `streams`. */
  path: string;
  message: string;
}

/** Request units per second of an on-demand DynamoDB table: writes or reads. */
export interface OnDemandUnitsJson {
  writeUnitsPerSecond: number;
  readUnitsPerSecond: number;
}

/** A Lambda consumer's event source mapping and function, times in seconds and milliseconds. */
/**
 * An invocation of a Lambda function that times out on every try: its records (one when bisection splits the batch down
 * to single records, none for a tumbling window's final invocation), its mean duration (perInvocation + records ×
 * perRecord), above the function's timeout, the duration's variability, and the chance of a try ending within the
 * timeout (0 with no variability; under 10^−9 with it).
 */
export interface LambdaTimedOutJson {
  records: number;
  /** The function's own work (without its sink write): perInvocation + records × perRecord. */
  meanDurationSeconds: number;
  variability: number;
  successChance: number;
  /**
   * Present when the invocation times out only with the write of its batch to the consumer's sink, its own work ending
   * within the timeout: the least that write takes (its requests at their least latency, or a provisioned table's
   * capacity — its burst credit, or once that is spent to the end of the run the credit held since — or the handler's
   * backoffs until it gives up), which successChance counts.
   */
  sinkWriteLeastSeconds?: number;
}

export interface LambdaJson {
  reader: "polling" | "fanout";
  batchSize: number;
  batchingWindowSeconds: number;
  parallelizationFactor: number;
  /** Batches that run at once per shard (the parallelization factor, or the shard's partition keys if fewer). */
  concurrentBatchesPerShard: number;
  /** −1: infinite. */
  maximumRetryAttempts: number;
  /** −1: infinite. */
  maximumRecordAgeSeconds: number;
  bisectBatchOnFunctionError: boolean;
  onFailureDestination: string | null;
  tumblingWindowSeconds: number;
  concurrencyLimit: number;
  memoryMiB: number;
  timeoutSeconds: number;
  /**
   * The batches it can run at once (shards × concurrent batches per shard, or the concurrency limit if lower) × BatchSize ÷ a full batch's mean duration, its sink write included (the sink not throttled): the most records a second it can process.
   * Shards blocked at the end by batches that time out on every try (blockedByTimeout present) count 0, for their lanes finish no batch: the figure is then what the shards not blocked can process (0 when all are).
   * When a full batch's mean duration is over the function's timeout it never finishes (retried whole): a lane counts the batch within the timeout that processes the most a second instead.
   */
  throughputBoundPerSecond: number;
  /**
   * Whole run: records of batches given up (discarded, or sent to the on-failure destination) that a write the function's
   * timeout cut had already written to the sink (in the sink, though counted given up). 0 without a sink.
   */
  writtenThenGivenUp: number;
  /**
   * What made the function fail every invocation at the end of the run (absent when it did not): its own `errors.share`
   * 1, or else the first `function-errors` fault of share 1 in force then (`fromSeconds`: when it began).
   */
  failingCause?: { kind: "errors.share" } | { kind: "function-errors"; fromSeconds: number };
  /**
   * Present when shards were blocked at the end of the run by batches that time out on every try (a timeout is a function
   * error, retried as any other), the function not failing every invocation otherwise: the shortest invocation a blocked
   * lane will try (LambdaTimedOutJson).
   */
  blockedByTimeout?: LambdaTimedOutJson;
  /**
   * Present when, with MaximumRetryAttempts 0 and no bisection (a failed batch discarded at its first failure), every batch
   * the lanes held at the end times out on every try, so each is discarded as it times out: the shortest of them.
   */
  discardedByTimeout?: LambdaTimedOutJson;
  /** CloudWatch's Lambda metrics after warmup. */
  afterWarmup: {
    invocations: number;
    /** Failed invocations: function errors and timeouts. */
    errors: number;
    /** Those of the errors that ran to the function's timeout (CloudWatch counts them among Errors, with no metric of their own). */
    timeouts: number;
    /** Those of the timeouts that cut an invocation while it wrote its batch to the consumer's sink, its own work done. */
    timeoutsWriting: number;
    throttles: number;
    coldStarts: number;
    maxConcurrentExecutions: number;
    /** Billed duration (each invocation rounded up to 1 ms), seconds. */
    billedDurationSeconds: number;
    durationMs: LatencyJson;
  };
  /**
   * One value per series step, whole run: records to the on-failure destination past their retries (toDestination) and
   * for their age (toDestinationByAge), and with no destination discarded and skipped by maximum age, as `accounting`.
   */
  series: { invocations: number[]; errors: number[]; throttles: number[]; concurrentExecutions: number[]; toDestination: number[]; discarded: number[]; skippedByAge: number[]; toDestinationByAge: number[] };
}

/** A DynamoDB table's on-demand capacity (a lease table's, a sink's), in request units per second. */
export interface OnDemandTableJson {
  previousPeak: OnDemandUnitsJson;
  /** Twice the previous peak, within the table quota. */
  capacityAtStart: OnDemandUnitsJson;
  /** The most capacity in force during the run (twice the highest second served 30 minutes earlier). */
  highestCapacity: OnDemandUnitsJson;
  /** When the capacity first rose above capacityAtStart, seconds from the start; null when it never did. */
  raisedAtSeconds: number | null;
}

export interface ConsumerJson extends Pick<ConsumerResult, "name" | "kind" | "workers" | "accounting" | "reprocessed" | "leases"> {
  /**
   * Whole run: records its output stream or sink took twice, written again by a lease's next owner after a record
   * processor stopped (an `output:` batch whose puts a crash cut after some were in; what a `sink:` had taken past the
   * lease's checkpoint: a flush the stop cut, flushes done since the checkpoint). Not a term of `accounting` (which
   * counts the records the consumer read once each): duplicates downstream, as KCL's at-least-once delivery makes them.
   * 0 for a Lambda consumer and a stream processor.
   */
  writtenAgainRecords: number;
  /** A Lambda consumer's mapping and function (kind: lambda); it has no leases or lease table of its own to show. */
  lambda?: LambdaJson;
  /** The stream it reads (reports of scenarios with several streams, or consumers that write to one). */
  stream?: string;
  /** The stream it writes what it processes to. */
  output?: string;
  /** Where it emits what it processes (`sink:`), if it does. */
  sink?: SinkJson;
  bottleneck: ConsumerBottleneckJson;
  /** One sentence: what holds the consumer back, or that it keeps up. */
  explanation: string;
  /**
   * Falling further behind: the last quarter's oldest unprocessed record over a minute old and twice the first quarter's,
   * or over it while the consumer processed under 98% of what arrived in the last half; or, whatever its age, its backlog
   * growing at the end (`backlogGrowth`).
   */
  fallingBehind: boolean;
  /**
   * Present for a consumer falling behind by its backlog's growth at the end, its records not old enough for the age rule:
   * it processed under 98% of the user records that arrived in its stream over the last half after warmup, the age of its
   * oldest unprocessed record higher in the last quarter than in the first and rising (a positive least-squares slope)
   * over the last half, and over the last quarter at 3/4 of that pace or more. User records a second that arrived, that it processed and that left
   * its backlog unprocessed (skipped; for a Lambda consumer sent to its on-failure destination, discarded or skipped by
   * age) over the last half, the backlog's growth a second (arrived − processed − left), and the age's rise over the last
   * half (seconds a second).
   */
  backlogGrowth?: { arrivingPerSecond: number; processedPerSecond: number; leftPerSecond: number; perSecond: number; ageRisePerSecond: number };
  /**
   * The numbers behind its bottleneck, when it has them: for "shard read bytes" and "shard read calls", the busiest shard's
   * polling reads a second (all polling consumers together, after warmup) and whether they reach the limit; for "fetch
   * size", what a shard's calls can return a second and the busiest shard's incoming records a second; for "catch-up after
   * a fault", the share of its throttled calls inside the catch-up windows and those throttled outside them (judged by
   * its record processor, or by the lag a fault left in the last quarter: the share from the fault on, and those before;
   * for a Lambda consumer, the `function-errors` burst whose backlog it is still working off).
   */
  reads?: { bytesPerSecond: number; callsPerSecond: number; atLimit: boolean };
  fetch?: { boundPerSecond: number; busiestPerSecond: number };
  catchUp?: { fault: FaultResult["kind"]; atSeconds: number; insideShare: number; throttledOutside: number };
  /**
   * Present when over 1% of its GetRecords calls were throttled but 80% or more of those refusals (after warmup) came
   * while its stream's consumers worked off their start-up backlogs, before their ages settled (the warmup advice;
   * within the first quarter after warmup), and no more than 1% of its calls after that: the start-up's, not its
   * bottleneck. When the ages settled (s), and the share of the refusals before then.
   */
  startupThrottles?: { settledAtSeconds: number; insideShare: number };
  /**
   * Present (true) for a consumer with a sink that falls further behind while its record processors wait for flushes at
   * most half the time, and whose sink lost more than 1% of the records offered to it or throttled more than 1% of the
   * items sent: the sink is not its bottleneck (`bottleneck` names what holds it back), and the explanation adds the sink's trouble.
   */
  sinkAlso?: true;
  /** Its bottleneck is "sink" because it keeps up only on its sink table's burst credit, drawn at the end (its sink's `table.burstCredit`). */
  onBurstCredit?: true;
  /**
   * For a KCL application held back by "processing" while its calls were throttled: the most user records a second its
   * record processors can process (one per open shard, at most `concurrency` a worker, batches of the most a call
   * brings at the mean processing times), of which it processed 90% or more (less the share spent waiting for a sink).
   * Also for one held back by its sink: the bound with no waiting, which the verdict compares with what arrived.
   */
  processing?: { boundPerSecond: number };
  /**
   * For "processing", "sink", "output stream", "catch-up after a fault" and "fetch size" judged by it (a KCL application or a
   * stream processor falling behind): the record processor judged (docs/reports.md, "A consumer's record processors"), over
   * the last quarter after warmup, as shares of the time the shard was open (and not yet finished) then: processing
   * batches, held by what it processed (its sink's flushes, its puts to the output stream), queued for a slot of its
   * worker, idle with nothing to process; the share its reader waited for room in the prefetch cache; processing and
   * held each with its part of the queued time (a slot is taken by other shards' processors, processing or held, in
   * proportion to their time); the user records it processed a second of processing (its part of the slot waits
   * included; null: none), and the user records a second that arrived in its shard in the last quarter (null: the shard
   * was closed by then). The processor is the slower side of its shard when its reader waited for room longer than it
   * was idle.
   */
  recordProcessor?: {
    shard: string;
    processingShare: number;
    heldShare: number;
    queuedShare: number;
    idleShare: number;
    roomWaitShare: number;
    busyProcessingShare: number;
    busyHeldShare: number;
    processedPerSecondOfProcessing: number | null;
    shardIncomingPerSecond: number | null;
  };
  afterWarmup: {
    processedPerSecond: number;
    recordsRead: number;
    bytesRead: number;
    getRecordsCalls: number;
    readThrottles: number;
    readThrottledPercent: number;
    subscribeCalls: number;
    /** CloudWatch's iterator age: GetRecords.IteratorAgeMilliseconds (polling), SubscribeToShardEvent.MillisBehindLatest (fan-out). */
    maxIteratorAgeMs: number;
    /** Age of the oldest record not processed yet. */
    maxOldestUnprocessedAgeMs: number;
    /** Records skipped after warmup (a lease changed hands without a checkpoint, at LATEST). */
    skippedRecords: number;
  };
  /**
   * Of the records that arrived in the stream after warmup (`accepted`), those it will never process, by reason, given up
   * at any time until the end: expired unread, skipped, and for a Lambda consumer discarded and skipped by its maximum
   * record age with no on-failure destination (not those whose batches' details it sent to one). `lostPercent` is their
   * sum over `accepted`.
   */
  lostAfterWarmup: { accepted: number; expiredUnread: number; skipped: number; discarded: number; skippedByAge: number };
  /** The consumer's records lost unprocessed (expired, skipped, discarded), % of those that arrived after warmup (what consumerLostPercent judges). */
  lostPercent: number;
  endToEnd: LatencyJson;
  endToEndCdf: CdfPointJson[];
  putToProcess: LatencyJson;
  maxIteratorAgeMsByShard: number[];
  maxOldestUnprocessedAgeMsByShard: number[];
  /** A stream processor's engine, shards per subtask, checkpoints and exhausted GetRecords retries (kind flink or spark). */
  processor?: NonNullable<ConsumerResult["processor"]>;
  /** The KCL lease table (absent for a stream processor or a Lambda consumer: they have none). */
  leaseTable?: Pick<NonNullable<ConsumerResult["leaseTable"]>, "capacity" | "provisioned"> & {
    /**
     * An on-demand table's capacity, in request units per second (reads and writes share it, as a linear
     * combination); present only when it mattered: the table throttled, its capacity rose during the run, or the
     * scenario gave it a previous peak.
     */
    onDemand?: OnDemandTableJson;
    afterWarmup: {
      writeUnitsPerSecond: number;
      readUnitsPerSecond: number;
      writeRequests: number;
      readRequests: number;
      throttledWrites: number;
      throttledReads: number;
    };
  };
  /** KCL 3.x lease management (absent for a 2.x application that does not migrate). */
  leaseAssignment?: LeaseAssignmentJson;
  /** One value per series step (series.resolutionSeconds), whole run. */
  series: {
    /** Highest CloudWatch iterator age over the shards in the step (0 in a step without a GetRecords response or event). */
    iteratorAgeMs: number[];
    /** Highest age of the oldest unprocessed record over the shards in the step. */
    oldestUnprocessedAgeMs: number[];
    recordsProcessed: number[];
    readThrottles: number[];
    /** KCL applications only. */
    leaseTableWriteUnitsPerSecond?: number[];
    leaseTableReadUnitsPerSecond?: number[];
    leaseTableThrottledWrites?: number[];
  };
}

/** Where a consumer emits what it processes (`sink:`): settings, accounting, writes, and its own utilisation. */
export interface SinkJson extends Pick<SinkResult, "kind" | "accounting" | "flushes" | "retries" | "processors"> {
  /** The Connector's buffer limits; null for a Lambda function's sink, which has none (each invocation writes its batch before it returns). */
  buffer: { records: number; bytes: number; ageSeconds: number | null } | null;
  /** The Connector's tries of an emit (then IEmitter.fail), or a Lambda function's own tries of a write (then it gives the items up). */
  retry: { limit: number; backoffSeconds: number };
  /** When the record processor checkpoints; null for a Lambda function's sink (its event source mapping moves on when an invocation returns). */
  checkpoint: "after-flush" | "when-due" | null;
  /** One sentence: what the sink is, what it wrote, how busy it and the record processors were. */
  summary: string;
  /** After warmup. waitShare: the record processors' time waiting for flushes (0..1); utilisation: the share of the sink's capacity used (null for S3). */
  afterWarmup: Omit<SinkResult["afterWarmup"], "writtenBytes"> & { writtenPerSecond: number; writtenBytes: number };
  /**
   * The capacity utilisation is against, per second: WCU (DynamoDB); 1 (Redshift: a COPY at a time; OpenSearch: a bulk
   * request at a time, utilisation the share of time one was served, its request latency plus its bytes at the
   * domain's throughput); null for S3.
   */
  capacityPerSecond: number | null;
  /** A DynamoDB sink's table (null otherwise); its on-demand capacity like a lease table's. */
  table: {
    capacity: "provisioned" | "onDemand";
    provisioned: { read: number; write: number } | null;
    onDemand?: OnDemandTableJson;
    writeUnitsPerSecond: number;
    writeRequests: number;
    throttledWrites: number;
    unitsPerItem: number;
    /**
     * Present when the provisioned table took more than its capacity from its burst credit at the end of the run: the
     * credit when full (capacity × burst seconds) and left at the end (write units), the write units a second taken
     * beyond the capacity (the credit's fall from `fromSeconds` to `toSeconds`), and when the credit ran out (to stay out
     * to the end: `ranOutAtSeconds`) or, with some left, runs out at that pace (`lastsUntilSeconds`: the end + left ÷
     * deficit).
     */
    burstCredit?: { fullUnits: number; endUnits: number; deficitPerSecond: number; fromSeconds: number; toSeconds: number; ranOutAtSeconds: number | null; lastsUntilSeconds: number | null };
  } | null;
  /** Born at the producer → written to the sink, records born after warmup and written (count 0: none of them was written). */
  latency: LatencyJson;
  /** Records born after warmup not written by the end: unprocessed by the consumer, buffered or being written in the sink. */
  censoredAtEnd: number;
  /** `latency` with the censored records counted at their age at the end: a lower bound of their latency once all are written. */
  latencyWithCensored: LatencyJson;
  /** The censored records set the written p99 (1% of the records or more): the report quotes `latencyWithCensored`'s p99 as "at least". */
  latencyLowerBound: boolean;
  /** Per series step, whole run: records written, items throttled, the record processors' wait share, the sink's utilisation (null for S3). */
  series: { written: number[]; throttledItems: number[]; waitShare: number[]; utilisation: number[] | null };
}

/** A KCL 3.x table or index: its provisioned units (null: on-demand) and what it served after warmup. */
export interface KclTableJson {
  provisioned: { read: number; write: number } | null;
  readUnitsPerSecond: number;
  writeUnitsPerSecond: number;
  throttledReads: number;
  throttledWrites: number;
}

/** What a KCL 3.x application's lease management did. */
export interface LeaseAssignmentJson {
  /** The KCL version at the end of the run (a 2.x application stays 2 until its migration has switched every worker). */
  versionAtEnd: 2 | 3;
  /** What the workers report for the balancing: their CPU, or (no CPU metric) their leases' throughput. */
  workerMetric: "cpu" | "throughput";
  /** Where worker metrics and coordinator state live: the lease table (single-table format) or their own tables. */
  metadataTables: "leaseTable" | "separate";
  /** The leader's assignment interval and the workers' lease discovery interval. */
  assignmentIntervalSeconds: number;
  discoveryIntervalSeconds: number;
  /** A kcl-migration: when it began, when the leader flipped the fleet to 3.x, when the last worker switched (null: not yet). */
  migration: { atSeconds: number; flippedAtSeconds: number | null; switchedAtSeconds: number | null } | null;
  /** isGracefulLeaseHandoffEnabled and gracefulLeaseHandoffTimeoutMillis (in seconds). */
  gracefulLeaseHandoff: { enabled: boolean; timeoutSeconds: number };
  /**
   * Records processed again (whole run) by why the record processor that processed them again started: after the leader
   * rebalanced its lease, after the leader reassigned it expired, after its worker lost it (a renewal not written within
   * the failover time) and found it again, or otherwise (a 2.x take or steal before a migration, a restarted worker).
   * They add up to the consumer's `reprocessed`.
   */
  reprocessedRecords: { afterRebalance: number; afterExpiry: number; afterLeaseLost: number; other: number };
  afterWarmup: {
    leaderChanges: number;
    assignmentRuns: number;
    assignmentRunsThrottled: number;
    /** Of the throttled runs: those while a lease waited for the leader (unowned, or owned by a worker not running). */
    assignmentRunsThrottledWaiting: number;
    /** Leases the leader gave an owner: unowned ones, expired ones (their owner stopped renewing), rebalanced ones (moved off a running worker). */
    leasesAssigned: { new: number; expired: number; rebalanced: number };
    /** Leases that changed hands: expired + rebalanced. */
    leaseMoves: number;
    /**
     * How rebalanced leases left their old owner: handed off with a checkpoint (graceful); without one once the handoff
     * timed out (the old owner's gracefulLeaseHandoffTimeoutMillis, or the leader's timeout for the pending checkpoint);
     * moved at once with no handoff because graceful handoff is off (disabled).
     */
    handoffs: { graceful: number; withoutCheckpoint: number; disabled: number };
    discoveryQueries: number;
    discoveryThrottled: number;
    /** Of the throttled lease-owner index queries: those while the worker owned a lease it had not started. */
    discoveryThrottledWaiting: number;
    leasesDiscovered: number;
    metricsReports: number;
    metricsReportsThrottled: number;
    /** The lease-owner index (a GSI with its own capacity, billed like a table). */
    leaseOwnerIndex: KclTableJson;
    workerMetricsTable?: KclTableJson;
    coordinatorStateTable?: KclTableJson;
  };
  /** Worker utilisation as reported (%): per running worker at the end, mean after warmup and latest; the fleet's mean spread (highest − lowest). */
  utilisation: { meanPercentByWorker: (number | null)[]; latestPercentByWorker: (number | null)[]; meanSpreadPercent: number };
  /** Per series step: the highest spread of the workers' latest reports (%). */
  spreadPercentSeries: number[];
}

/** Sizes of what a delivery stream wrote: HDR values (within 0.1%), percentiles capped at the max seen. */
export interface SizeSummaryJson {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface FirehoseJson extends Pick<FirehoseResult, "name" | "source" | "destination" | "accounting" | "notDelivered" | "sourceRead" | "failedAttempts"> {
  /** The buffering hints; raisedToBytes: the largest size Firehose raised the buffer to while delivery fell behind (present only when it did). */
  buffer: { sizeBytes: number; intervalSeconds: number; raisedToBytes?: number };
  /** One sentence: object size and rhythm, the binding hint, delivery p99, DataFreshness, what was not delivered and why. */
  explanation: string;
  /** After warmup. billedBytes: each record rounded up to 5 KB, as Firehose bills ingestion. */
  incoming: { records: number; bytes: number; recordsPerSecond: number; bytesPerSecond: number; billedBytes: number };
  delivered: { records: number; bytes: number; recordsPerSecond: number; bytesPerSecond: number };
  /** notDelivered ÷ incoming.records × 100. */
  notDeliveredPercent: number;
  /** Direct PUT, after warmup: put attempts (a retried record once per try) and those throttled, PutRecord/PutRecordBatch calls; the quotas. Null for a Kinesis stream source. */
  directPut: {
    offered: number;
    throttled: number;
    throttledPercent: number;
    calls: number;
    throttledCalls: number;
    quotas: { recordsPerSecond: number; requestsPerSecond: number; bytesPerSecond: number };
  } | null;
  /** Whole run: flushes by the hint that triggered them, each one's share of all flushes, the binding hint (the trigger of most flushes; null with none); after warmup, the mean time between flushes (null with fewer than two). */
  flushes: { size: number; interval: number; sizeShare: number; intervalShare: number; binds: "size" | "interval" | null; everySeconds: number | null };
  /** After warmup: deliveries written (S3 objects, Redshift staging objects, OpenSearch bulk requests), their bytes and records. */
  objects: { count: number; bytes: SizeSummaryJson; records: SizeSummaryJson };
  /** Redshift, after warmup: COPY commands completed and the staged objects they loaded; null for other destinations. */
  copies: { count: number; objects: number } | null;
  /** Record born at the producer → delivered, records born after warmup. */
  deliveryLatency: LatencyJson;
  deliveryLatencyCdf: CdfPointJson[];
  /**
   * Highest DataFreshness after warmup, as CloudWatch's metric for the destination counts it: the age of the oldest
   * record not yet delivered; for Redshift, not yet delivered to the intermediate S3 bucket (DeliveryToS3.DataFreshness),
   * before COPY.
   */
  maxDataFreshnessSeconds: number;
  /** Redshift only: the highest age of the oldest record not yet loaded by COPY, after warmup (staging and COPY included). */
  maxUndeliveredAgeSeconds?: number;
  /** The Lambda transformation (whole run), or null. `concurrency` is the most invocations it allowed at once during the run. */
  transform:
    | (Omit<NonNullable<FirehoseResult["transform"]>, "meanDurationUs" | "concurrencySteps"> & {
        meanDurationMs: number;
        /**
         * Present only when the concurrency limit changed during the run (with a Kinesis stream as source it is 5 per shard
         * read: the open shards, and a closed parent until it is read to its end, its children from then): the limit from
         * each time on, the first from 0.
         */
        concurrencySteps?: { atSeconds: number; concurrency: number }[];
      })
    | null;
  /** One value per series step (series.resolutionSeconds), whole run: the RunResult's series, DataFreshness in seconds. */
  series: Omit<FirehoseResult["series"], "dataFreshness" | "undeliveredAge" | "sizeInForceBytes"> & {
    /** The highest DataFreshness in the step. */
    dataFreshnessSeconds: number[];
    /** The largest buffer size in force in the step (present only when Firehose raised it). */
    sizeInForceBytes?: number[];
  };
}

/** report.json without its scenario echo. */
/** A Kinesis stream's settings and write figures. */
/** A load on a shard or part of it, per second after warmup: mean offered, and with every writer at its peak rate; utilisation = max(records/s ÷ 1,000, bytes/s ÷ 1 MiB). */
export interface SplitLoadJson {
  recordsPerSecond: number;
  bytesPerSecond: number;
  utilisation: number;
  peakRecordsPerSecond: number;
  peakBytesPerSecond: number;
  peakUtilisation: number;
}

/** A throttled shard's remedy: the split that balances its traffic by hash key (src/result/splitProposal.ts). */
export interface SplitProposalJson {
  stream: string;
  shard: string;
  startingHashKey: string;
  endingHashKey: string;
  /** The shard's offered load after warmup, from its writers' keys as routed. */
  offered: SplitLoadJson;
  /**
   * The shard's expected share of the stream's records (key routing), an even spread's, whether it is within 10% of that
   * either way, and whether it is further under it (a cold shard). Neither is hot by key routing: over a shard's limits
   * such a shard shows the stream short of capacity; within them it throttled in bursts. With reshards, by the routing
   * over the shards open at the end, and an even spread over those.
   */
  shareOfStream: number;
  evenShare: number;
  evenlyLoaded: boolean;
  belowEven: boolean;
  /**
   * Its applications' writers held back by the stream's throttling (see StreamJson's heldBackWriters): every load here
   * (offered, children, keys) is a lower bound of what they would offer unthrottled, and `fits` does not show that the
   * children would fit. Absent when none was.
   */
  heldBack?: string[];
  /**
   * Each writer's load on the shard: Kinesis records and bytes per second. `userRecordsPerSecond`: present for a KPL writer
   * that aggregates, its user records per second on the shard; its recordsPerSecond then counts its aggregates, and every
   * part's load here (children, keys) counts the aggregates its processes' buffers would make of that part's user records.
   */
  writers: { name: string; recordsPerSecond: number; bytesPerSecond: number; peakToMean: number; userRecordsPerSecond?: number }[];
  /** Discrete keys at their hash keys; lighter keys beyond those listed counted as spread; share of records spread evenly over the range (random keys). */
  keys: number;
  aggregatedKeys: number;
  spreadShare: number;
  /**
   * NewStartingHashKey (decimal) and the two children's expected loads; null when the shard is not hot for its keys
   * (`evenlyLoaded` or `belowEven`: a split is not its remedy) and no split is proposed for its bursts (`bursts`), or its
   * traffic is one hash key. `beforeKey`: the key whose hash key it is.
   */
  split: { hashKey: string; beforeKey: string | null; children: (SplitLoadJson & { startingHashKey: string; endingHashKey: string; keys: number })[] } | null;
  /**
   * A cold shard (`belowEven`) that throttled in bursts, its load within a shard's limits at its writers' peak rates.
   * `busierShare`: the balancing split's busier child's share of its load (null: its traffic is one hash key); at most
   * 0.75, `split` is that split, proposed for its bursts (each child takes its part of every burst). `retries`: its SDK
   * producers that gave records up after warmup throttled past their retry.maxAttempts (on every shard they write to);
   * `requests`: those whose PutRecords requests put more on it at once than its write buckets hold (at their mean rate:
   * what ends a request, its records and bytes, and those on this shard). Absent for any other shard, and when writers held back by the
   * stream's throttling write to it.
   */
  bursts?: {
    busierShare: number | null;
    retries: { writer: string; lost: number; maxAttempts: number }[];
    requests: { writer: string; lingerSeconds: number; by: "linger" | "maxRequestSize" | "maxBatchRecords"; records: number; bytes: number; onShardRecords: number; onShardBytes: number }[];
  };
  /** Keys that alone exceed a shard's limits: no split can help them. */
  tooHot: (SplitLoadJson & { key: string; hashKey: string })[];
  /** Both children within a shard's limits at the writers' peak rates (at most 100% of them), on the loads above (lower bounds with `heldBack`). */
  fits: boolean;
  /** Shards an even split of the load would need, and the fewest its keys allow (null when a key alone is too hot). */
  evenChildren: number;
  childrenNeeded: number | null;
  /** The split as a scenario `reshards:` entry (the first of a stream's at the end of the warmup, each next when the one before has completed); null when no split is proposed (a shard not hot for its keys, a key alone too hot and no split lightening the shard, nothing to split), or the scenario cannot replay it (replayRefused). */
  reshard: { at: string; kind: "split"; stream?: string; shard: string; hashKey: string } | null;
  /** Why the scenario cannot replay the split after its warmup, in its validation's words (an on-demand stream; a shard an autoscaling policy opened). */
  replayRefused?: string;
}

export interface StreamJson {
  name: string;
  /** The capacity mode at the start (the scenario's), and each switch-mode within the run when it switched. */
  mode: "provisioned" | "on-demand" | "on-demand-advantage";
  modeSwitches?: { atSeconds: number; mode: "provisioned" | "on-demand" | "on-demand-advantage" }[];
  /** Every shard the run saw (with reshards: closed parents and their children). */
  shards: number;
  /** Open shards at the start, at the end and on average after warmup. */
  openShards: { atStart: number; atEnd: number; meanAfterWarmup: number };
  /** The stream's reshards, in order; present only when it resharded. */
  reshards?: ReshardJson[];
  /** Resharding calls the service refused at run time, in order: when, what they asked for, and the rule in the service's words; present only when one was. */
  refusedReshards?: RefusedReshardJson[];
  /** The on-demand service's splits stopped at the mode's ceiling; present only when they did. */
  onDemandCeiling?: OnDemandCeilingJson;
  /** False when the scenario has no stream (Firehose Direct PUT only): no shards, name "". */
  declared: boolean;
  /** Whether any producer or application writes to the stream (false when every producer writes to Firehose with Direct PUT). */
  written: boolean;
  limitsPerShard: {
    writeBytesPerSecond: number;
    writeRecordsPerSecond: number;
    writeBurstSeconds: number;
    maxRecordSizeBytes: number;
  };
  afterWarmup: {
    incomingRecords: number;
    incomingBytes: number;
    throttledRecords: number;
    /** Put attempts to this stream throttled, % (for the first stream of a one-stream scenario, every put attempt to Kinesis). */
    writeThrottledPercent: number;
    /** Records lost (all producers and applications, whole pipeline) ÷ records the producers offered, %. */
    recordsLostPercent: number;
    meanUtilisation: { records: number; bytes: number };
    /**
     * Applications' writers ("app → stream") held back by this stream's throttling: their application fell behind, held
     * back by its throttled puts here, so they offered what the stream let through and meanUtilisation is a lower bound
     * of their demand. Absent when none was.
     */
    heldBackWriters?: string[];
    perShardRecordsPerSecond: { min: number; median: number; p90: number; max: number };
    throttledByRecordLimit: number;
    throttledByByteLimit: number;
  };
}

/**
 * A shard that kept pace only on its write burst: the limit whose bucket it drew on, the bucket when full (records or
 * bytes), when it was last full, what it accepted over the limit a second since, and when the bucket ran out
 * (`ranOutAtSeconds`; it throttled from then) or, with `leftAtEnd` still in it at the end, runs out at that pace
 * (`lastsUntilSeconds`); the other pair is null.
 */
export interface WriteBurstJson {
  shard: string;
  limit: "records" | "bytes";
  fullUnits: number;
  fromSeconds: number;
  overPerSecond: number;
  ranOutAtSeconds: number | null;
  leftAtEnd: number | null;
  lastsUntilSeconds: number | null;
}

/** One stream of a scenario with several: its figures, judgement, shards and writers' accounting (laid out as the report's top level). */
export interface StreamPartJson {
  stream: StreamJson;
  verdict: {
    bindingLimit: "shard write records" | "shard write bytes";
    throttling: boolean;
    shardsThrottled: number;
    hottestShard: { id: string; expectedShare: number; throttledRecords: number; peakOffered: PeakSecondJson; demand: ShardDemandJson } | null;
    /** Its shards that kept pace only on their write burst (see WriteBurstJson); present only when any did. */
    writeBurst?: WriteBurstJson[];
  };
  hottestShards: string[];
  shards: ShardJson[];
  /** Whole run: records its writers offered = accepted + in flight + lost. */
  accounting: StreamAccounting;
}

/** An application writing what it processes to another stream. */
export interface WriterJson extends Pick<WriterResult, "name" | "consumer" | "stream" | "keys" | "offered" | "accepted" | "awaitingRetry" | "lostRetriesExhausted" | "interrupted" | "requests"> {
  afterWarmup: { offered: number; attempts: number; throttledAttempts: number; writeThrottledPercent: number; retriedRecords: number };
  /** Handed over by the processor → acknowledged, retries included. */
  putLatency: LatencyJson;
}

/** Verdict.unjudgedLosses in report.json. */
export interface UnjudgedLossesJson {
  consumers: { name: string; lostPercent: number }[];
  firehose: { name: string; notDeliveredPercent: number }[];
}

export interface ReportJsonBody {
  schema: string;
  provenance: {
    shardcastVersion: string;
    limitsVersion: string;
    scenarioFile: string;
    scenarioSha256: string;
    /** Fields set on the command line (`run --set PATH=VALUE`), as `PATH=VALUE`; present only when there were some. The scenario echo shows the values in force. */
    overrides?: string[];
    seed: number;
  };
  units: string;
  run: {
    durationSeconds: number;
    warmupSeconds: number;
    statisticsSeconds: number;
    resolutionSeconds: number;
    granularity: "batch" | "record";
    windowSeconds: number;
    events: number;
    batches: number;
  };
  verdict: {
    /** null when the scenario states no SLOs. */
    slosMet: boolean | null;
    slos: SloJson[];
    /**
     * With several streams: the stream whose figures `bindingLimit`, `throttling`, `shardsThrottled` and `hottestShard` are
     * (the one that binds), while the top level's `stream`, `shards`, `hottestShards` and `accounting` are the first
     * stream's: join `hottestShard.id` with that stream's `streams[].shards` (helper-62 joined it with the first stream's).
     */
    bindingStream?: string;
    bindingLimit: "shard write records" | "shard write bytes";
    /** Present when the warmup did not leave the start-up out: the maxima at its end, start-up skips, the warmup needed. */
    warmup?: WarmupJson;
    throttling: boolean;
    shardsThrottled: number;
    /** The hottest shard: of the shards that throttled (any shard, when none did), the one with the highest demand. */
    hottestShard: {
      id: string;
      expectedShare: number;
      throttledRecords: number;
      peakOffered: PeakSecondJson;
      demand: ShardDemandJson;
    } | null;
    /** The throttled shards' remedies (every stream's, up to 3 shards each, hottest first); present only when a shard throttled. */
    hotShardSplits?: SplitProposalJson[];
    /**
     * Losses that no stated SLO judges: consumers that lost records after warmup when the scenario states no
     * `slo.consumerLostPercent`, delivery streams that did not deliver some when it states no
     * `slo.firehoseNotDeliveredPercent` (% of the records that arrived after warmup). Present only when SLOs are stated
     * and something is lost unjudged: "slosMet: true" says nothing of these.
     */
    unjudgedLosses?: UnjudgedLossesJson;
    /**
     * Per stream, the throttled shards (open at the end) that hotShardSplits leaves out past its 3 hottest: how many, and how
     * many of those are hot for their keys (more than 10% over an even spread's share: each needs a split of its own, not
     * worked out); present only when a stream has any.
     */
    hotShardsNotShown?: { stream: string; throttled: number; hotForKeys: number }[];
    /**
     * The shards of the stream that binds (`bindingStream`) that took more than a write limit for a while on their write
     * buckets' burst (stream.writeBurst), those that ran out first; present only when any did (see WriteBurstJson).
     */
    writeBurst?: WriteBurstJson[];
  };
  /** What the scenario says that the real service would likely refuse or that a planner should check; present only when there is any. */
  warnings?: WarningJson[];
  /** The scenario's faults with their measured effects; present only when it has faults. */
  faults?: FaultJson[];
  /** The (first) Kinesis stream. */
  stream: StreamJson;
  /** Up to 5 shard ids of the (first) stream, hottest first: those that throttled first, then by demand (ShardDemandJson). */
  hottestShards: string[];
  shards: ShardJson[];
  /** Every stream (the first included), when the scenario has several (`streams:`). */
  streams?: StreamPartJson[];
  /** Applications writing what they process to another stream (`output:`), when there are any. */
  writers?: WriterJson[];
  producers: ProducerJson[];
  latency: {
    put: LatencyJson;
    putCdf: CdfPointJson[];
  };
  accounting: AccountingJson;
  monthlyCost: {
    totalUsd: number;
    items: { item: string; usd: number }[];
    prices: string;
    /** The price table the bill used (src/aws/prices.ts), when it was compiled (a constant of the table, not the run's clock), and the items the scenario overrode (present only when there are any): the amount used and the table's. */
    priceTable: { id: string; compiled: string; overridden?: { item: string; usd: number; tableUsd: number }[] };
    /** Where the bill has a cause a planner can change, with what the change would save; present only when there is any. */
    hints?: (CostHint & { summary: string })[];
  };
  consumers: ConsumerJson[];
  /** Firehose delivery streams, in scenario order (empty when the scenario has none). */
  firehose: FirehoseJson[];
  /** Per shard, the shared polling reads after warmup (empty when no consumer polls). */
  shardReads: ({ shard: string } & ShardReads)[];
  series: {
    resolutionSeconds: number;
    /** Start of each step, seconds from the start of the run. */
    startSeconds: number[];
    /** Counts per step (not per second). */
    incomingRecords: number[];
    incomingBytes: number[];
    throttledRecords: number[];
    maxShardUtilisation: number[];
    /** Per-step counts of the hottest shards. */
    hotShards: ShardSeries[];
    /** Write utilisation per shard (rows, in `shards` order) and time bin (columns), with the attempts throttled. */
    heatmap: Heatmap;
  };
}

/**
 * report.json as its published JSON Schema describes it (src/report/reportSchema.json): the scenario echo is
 * described there by the scenario language's own schema (its output side: bytes, microseconds, per second).
 */
export interface ReportJsonSchemaView extends ReportJsonBody {
  scenario: Record<string, unknown>;
}

/** report.json: the body and the resolved scenario it simulated. */
export interface ReportJson extends ReportJsonBody {
  scenario: Scenario;
}
