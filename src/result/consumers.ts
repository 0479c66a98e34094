// A consumer application's result: its accounting (checked), reads, latencies, iterator ages, leases and
// lease table; a Lambda consumer's, with its event source mapping's and function's figures instead of leases.

import { max, sum } from "d3-array";
import type { DynamoTable } from "../model/dynamodb/table.js";
import { KclApplication } from "../model/kcl/application.js";
import type { ConsumerApp } from "../model/kcl/consumerApp.js";
import { ACTIVITY, LOSS, START, type GivenUp } from "../model/kcl/state.js";
import type { SeriesBank } from "../metrics/series.js";
import { LAMBDA_ACTIVITY, type LambdaConsumer } from "../model/lambda/eventSourceMapping.js";
import { FUNCTION_SERIES } from "../model/lambda/function.js";
import { StreamProcessor } from "../model/processors/streamProcessor.js";
import { valuesOf } from "../metrics/warmup.js";
import type { Stream } from "../model/kinesis/stream.js";
import { shardIdName } from "../model/kinesis/hashing.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import { AccountingError, exactCounts } from "./accounting.js";
import { creditSpent } from "./burstCredit.js";
import { stageTails } from "./stages.js";
import type { ConsumerResult, KclTableResult, LeaseAssignmentResult, LostAgain } from "./runResult.js";

/** What a consumer will never process of the records that arrived after warmup (ConsumerResult.lostAfterWarmup). */
function lostAfterWarmup(stream: Stream, absorbed: Record<GivenUp, number>, pending: Record<GivenUp, number>): ConsumerResult["lostAfterWarmup"] {
  let accepted = 0;
  for (let s = 0; s < stream.shardCount; s++) accepted += stream.logs![s]!.endSeq - stream.seqAtWarmup(s);
  const n = (k: GivenUp) => absorbed[k] + pending[k];
  return { accepted, expiredUnread: n("expired"), skipped: n("skipped"), discarded: n("discarded"), skippedByAge: n("aged") };
}

/** A reader's losses series (src/model/kcl/state.ts LOSS) as ConsumerResult.series.lostAgain. */
function lostAgainOf(losses: SeriesBank): LostAgain {
  const row = (r: number) => Array.from(losses.row(r));
  return { fromCheckpoint: row(LOSS.againFromCheckpoint), fromTrimHorizon: row(LOSS.againFromTrimHorizon), atLatest: row(LOSS.againAtLatest), skipped: row(LOSS.skipped), writtenAgain: row(LOSS.writtenAgain) };
}

export function consumerResult(c: ConsumerApp, stream: Stream, resolution: number): ConsumerResult {
  const accepted = sum(stream.storedUsers);
  const pending = c.pendingGaps();
  const processed = sum(c.processed) + pending.processed;
  const expiredUnread = sum(c.expired) + pending.expired;
  const skipped = sum(c.skipped) + pending.skipped;
  const consumedTotal = sum(c.consumed);
  exactCounts(`consumer ${c.name}`, { accepted, consumed: consumedTotal });
  const unread = accepted - consumedTotal - pending.expired - pending.skipped - pending.processed;
  const balanced = sum(c.processed) + sum(c.expired) + sum(c.skipped) === consumedTotal && unread >= 0;
  if (!balanced) {
    throw new AccountingError(`consumer ${c.name}: processed ${processed} + expired ${expiredUnread} + skipped ${skipped} + unread ${unread} ≠ accepted ${accepted}`);
  }
  const perSecond = (row: Float64Array) => Array.from(row, (x) => x / (resolution / MICROS_PER_SECOND));
  const t = c.table;
  const leaseAssignment = c instanceof KclApplication ? leaseAssignmentResult(c) : null;
  return {
    name: c.name,
    kind: c.kind,
    stream: stream.name,
    ...(c.writer ? { output: c.writer.stream.name } : {}),
    workers: c.workers,
    accounting: { accepted, processed, unread, expiredUnread, skipped, balanced },
    lostAfterWarmup: lostAfterWarmup(stream, c.givenUpAfterWarmup, pending.afterWarmup),
    reprocessed: sum(c.reprocessed),
    writtenAgain: c.writtenAgain,
    lateReReads: [...c.lateReReads.values()].map((x) => ({ lostAtUs: x.lostAt, workerStartedAtUs: x.workerStartedAt, records: x.records })),
    skippedAfterWarmup: c.stats.skipped,
    getRecordsCalls: c.stats.getRecordsCalls,
    readThrottles: c.stats.readThrottles,
    subscribeCalls: c.stats.subscribeCalls,
    recordsRead: c.stats.recordsRead,
    bytesRead: c.stats.bytesRead,
    endToEnd: c.endToEnd.summary(),
    endToEndCdf: c.endToEnd.cdf(),
    putToProcess: c.putToProcess.summary(),
    censoredAtEnd: c.censoredAtEnd.count,
    stages: stageTails(c.stages, c.endToEnd.summary(), ["beforeStream", "readWait", "processing"] as const),
    maxIteratorAge: max(c.maxIteratorAge) ?? 0,
    maxIteratorAgeByShard: seenShards(c.maxIteratorAge, stream),
    firstReadUs: c.firstIteratorAgeAt >= 0 ? c.firstIteratorAgeAt : null,
    maxOldestUnprocessedAge: max(c.maxOldestUnprocessed) ?? 0,
    maxOldestUnprocessedAgeByShard: seenShards(c.maxOldestUnprocessed, stream),
    series: {
      iteratorAge: Array.from(c.iteratorAgeSeries),
      oldestUnprocessedAge: Array.from(c.oldestUnprocessedSeries),
      recordsProcessed: Array.from(c.activity.row(ACTIVITY.processed)),
      readThrottles: Array.from(c.activity.row(ACTIVITY.readThrottles)),
      getRecordsCalls: Array.from(c.activity.row(ACTIVITY.getRecordsCalls)),
      reprocessed: Array.from(c.activity.row(ACTIVITY.reprocessed)),
      skipped: Array.from(c.activity.row(ACTIVITY.skipped)),
      lostAgain: lostAgainOf(c.losses),
    },
    processorTime: processorTimeOf(c, stream),
    leases: {
      takes: c.stats.leaseTakes,
      steals: c.stats.leaseSteals,
      lost: c.stats.leasesLost,
      takesThrottled: c.stats.takesThrottled,
      takesFailed: c.stats.takesFailed,
      renewals: c.stats.renewals,
      renewalsThrottled: c.stats.renewalsThrottled,
      checkpoints: c.stats.checkpoints,
      checkpointsThrottled: c.stats.checkpointsThrottled,
      scansThrottled: c.stats.scansThrottled,
      perWorkerAtEnd: c.leasesPerWorker(),
      aliveWorkersAtEnd: c.aliveWorkers(),
    },
    ...(c instanceof StreamProcessor ? { processor: processorResult(c) } : {}),
    ...(t ? { leaseTable: leaseTableResult(t, perSecond) } : {}),
    ...(leaseAssignment ? { leaseAssignment } : {}),
  };
}

/** A KCL application's lease table: its capacity, units and requests after warmup, and their series. */
function leaseTableResult(t: DynamoTable, perSecond: (row: Float64Array) => number[]): NonNullable<ConsumerResult["leaseTable"]> {
  return {
    capacity: t.provisioned ? "provisioned" : "onDemand",
    provisioned: t.provisioned,
    onDemand: t.onDemand,
    writeUnits: t.writeUnits,
    readUnits: t.readUnits,
    writeRequests: t.writeRequests,
    readRequests: t.readRequests,
    throttledWrites: t.throttledWrites,
    throttledReads: t.throttledReads,
    series: {
      writeUnitsPerSecond: perSecond(t.consumed.row(0)),
      readUnitsPerSecond: perSecond(t.consumed.row(1)),
      throttledWrites: Array.from(t.throttled.row(0)),
      throttledReads: Array.from(t.throttled.row(1)),
    },
  };
}

function tableResult(t: DynamoTable): KclTableResult {
  return { provisioned: t.provisioned, writeUnits: t.writeUnits, readUnits: t.readUnits, throttledWrites: t.throttledWrites, throttledReads: t.throttledReads };
}

/** KCL 3.x lease management, for an application that ran it (3.x, or a 2.x application that migrated). */
function leaseAssignmentResult(c: KclApplication): LeaseAssignmentResult | null {
  const a = c.assignment;
  const index = c.leaseOwnerIndex;
  if (a.mode === 2 || !index) return null;
  const st = c.stats;
  const u = a.utilisation;
  const separate = c.spec.kcl.metadataTables === "separate";
  const migration = c.migratedAt;
  const again = c.reprocessedBy;
  return {
    versionAtEnd: c.version,
    workerMetric: c.spec.kcl.workerMetric,
    metadataTables: c.spec.kcl.metadataTables,
    migration: migration === null ? null : { atUs: migration, flippedAtUs: a.flippedAt, switchedAtUs: a.allSwitchedAt },
    leaderChanges: st.leaderChanges,
    leaderLosses: a.leaderLosses.map((x) => ({ lostAtUs: x.lostAt, lockExpiresAtUs: x.lockExpiresAt, lockLeaseUs: x.lockLease, takenAtUs: x.takenAt })),
    assignmentRuns: st.assignmentRuns,
    assignmentRunsThrottled: st.assignmentRunsThrottled,
    assignmentRunsThrottledWaiting: st.assignmentRunsThrottledWaiting,
    assigned: { new: st.assignedNew, expired: st.assignedExpired, rebalanced: st.assignedRebalance },
    gracefulHandoff: { enabled: c.spec.kcl.gracefulLeaseHandoffConfig.isGracefulLeaseHandoffEnabled, timeoutUs: c.spec.kcl.gracefulLeaseHandoffConfig.gracefulLeaseHandoffTimeoutMillis },
    handoffs: { graceful: st.handoffs, withoutCheckpoint: st.handoffsTimedOut, disabled: st.handoffsDisabled },
    reprocessed: { rebalanced: again[START.rebalanced]!, expired: again[START.expired]!, lost: again[START.lost]!, other: again[START.other]! },
    discovery: { queries: st.discoveryQueries, throttled: st.discoveryThrottled, throttledWaiting: st.discoveryThrottledWaiting, leasesFound: st.leasesDiscovered, intervalUs: a.discoveryInterval },
    assignmentIntervalUs: a.assignmentInterval,
    metricsReports: st.metricsReports,
    metricsReportsThrottled: st.metricsReportsThrottled,
    leaseOwnerIndex: tableResult(index),
    workerMetricsTable: separate && c.metadataTables ? tableResult(c.metadataTables.metrics) : null,
    coordinatorStateTable: separate && c.metadataTables ? tableResult(c.metadataTables.coordinator) : null,
    utilisation: {
      meanByWorker: c.aliveWorkerIndexes().map((i) => (u.count[i] ? u.sum[i]! / u.count[i]! : null)),
      latestByWorker: a.latestUtilisation(),
      meanSpread: u.spreadCount > 0 ? u.spreadSum / u.spreadCount : 0,
      spreadSeries: Array.from(u.spreadSeries),
    },
  };
}

/** A stream processor's engine, connector and reader, its shards per subtask, checkpoints and failed rounds of GetRecords retries. */
function processorResult(c: StreamProcessor): NonNullable<ConsumerResult["processor"]> {
  const spec = c.spec;
  return {
    engine: spec.kind,
    ...(spec.kind === "flink" ? { connector: spec.connector, reader: spec.reader } : { reader: "polling" as const }),
    shardsPerWorker: c.leasesPerWorker(),
    checkpoints: c.stats.checkpoints,
    retriesExhausted: c.stats.retriesExhausted,
    ...(spec.kind === "spark" ? { microBatches: c.microBatches } : {}),
  };
}

/** A Lambda consumer's result: its accounting (checked, with the mapping's own reasons), reads, latencies, Lambda's IteratorAge, and the function's metrics. */
export function lambdaResult(l: LambdaConsumer, stream: Stream, resolution: number, meanOpenShards: number): ConsumerResult {
  const s = l.state;
  const accepted = sum(stream.storedUsers);
  const pending = s.pendingGaps();
  const processed = sum(s.processed) + pending.processed;
  const expiredUnread = sum(s.expired) + pending.expired;
  const skipped = sum(s.skipped) + pending.skipped;
  const toDestination = sum(s.destination) + pending.destination;
  const discarded = sum(s.discarded) + pending.discarded;
  const skippedByAge = sum(s.aged) + pending.aged;
  const toDestinationByAge = sum(s.destinationByAge) + pending.destinationByAge;
  const consumedTotal = sum(s.consumed);
  const givenUpAhead = pending.expired + pending.skipped + pending.processed + pending.destination + pending.discarded + pending.aged + pending.destinationByAge;
  const unread = accepted - consumedTotal - givenUpAhead;
  const counted = sum(s.processed) + sum(s.expired) + sum(s.skipped) + sum(s.destination) + sum(s.discarded) + sum(s.aged) + sum(s.destinationByAge);
  const balanced = counted === consumedTotal && unread >= 0;
  if (!balanced) {
    throw new AccountingError(
      `consumer ${l.name}: processed ${processed} + expired ${expiredUnread} + skipped ${skipped} + to destination ${toDestination} + discarded ${discarded} + to destination by age ${toDestinationByAge} + skipped by age ${skippedByAge} + unread ${unread} ≠ accepted ${accepted}`,
    );
  }
  const stats = valuesOf(s.counts);
  const fn = l.fn;
  const f = fn.stats;
  // Its sink's provisioned table, its burst credit spent to the end: a batch's write then gets no more than it held since.
  const table = l.state.ctx.sink?.table;
  const credit = table?.provisioned ? table.writeCredit() : null;
  const spent = table?.provisioned && credit && table.writeCreditCapacity !== null ? creditSpent(credit, table.writeCreditCapacity, table.provisioned.write, l.state.ctx.duration, l.state.ctx.resolution) : null;
  const blocked = l.blockedAtEnd(spent);
  const spec = l.spec;
  const row = (r: number) => Array.from(s.activity.row(r));
  const fnRow = (r: number) => Array.from(fn.series.row(r));
  return {
    name: l.name,
    kind: "lambda",
    stream: stream.name,
    workers: 0,
    accounting: { accepted, processed, unread, expiredUnread, skipped, toDestination, discarded, skippedByAge, toDestinationByAge, balanced },
    lostAfterWarmup: lostAfterWarmup(stream, s.givenUpAfterWarmup, pending.afterWarmup),
    reprocessed: sum(s.reprocessed),
    writtenAgain: 0,
    lateReReads: [],
    skippedAfterWarmup: stats.skipped,
    getRecordsCalls: stats.getRecordsCalls,
    readThrottles: stats.readThrottles,
    subscribeCalls: stats.subscribeCalls,
    recordsRead: stats.recordsRead,
    bytesRead: stats.bytesRead,
    endToEnd: s.endToEnd.summary(),
    endToEndCdf: s.endToEnd.cdf(),
    putToProcess: s.putToProcess.summary(),
    censoredAtEnd: s.censoredAtEnd.count,
    stages: stageTails(s.stages, s.endToEnd.summary(), ["beforeStream", "readWait", "processing"] as const),
    maxIteratorAge: max(s.iteratorAge.values) ?? 0,
    maxIteratorAgeByShard: seenShards(s.iteratorAge.values, stream),
    firstReadUs: s.firstIteratorAgeAt >= 0 ? s.firstIteratorAgeAt : null,
    maxOldestUnprocessedAge: max(s.oldestUnprocessed.values) ?? 0,
    maxOldestUnprocessedAgeByShard: seenShards(s.oldestUnprocessed.values, stream),
    series: {
      iteratorAge: Array.from(s.iteratorAgeSeries),
      oldestUnprocessedAge: Array.from(s.oldestUnprocessedSeries),
      recordsProcessed: row(ACTIVITY.processed),
      readThrottles: row(ACTIVITY.readThrottles),
      getRecordsCalls: row(ACTIVITY.getRecordsCalls),
      reprocessed: row(ACTIVITY.reprocessed),
      skipped: row(ACTIVITY.skipped),
      lostAgain: lostAgainOf(s.losses),
    },
    lambda: {
      reader: spec.reader,
      batchSize: spec.batchSize,
      batchingWindowUs: spec.batchingWindow,
      parallelization: spec.parallelization,
      concurrentBatchesPerShard: l.concurrentBatchesPerShard,
      maximumRetryAttempts: spec.maximumRetryAttempts,
      maximumRecordAgeUs: spec.maximumRecordAge,
      bisectBatchOnFunctionError: spec.bisectBatchOnFunctionError,
      onFailure: spec.onFailure?.destination ?? null,
      tumblingWindowUs: spec.tumblingWindow,
      concurrencyLimit: fn.limit,
      memoryBytes: spec.function.memory,
      timeoutUs: spec.function.timeout,
      invocations: f.invocations,
      iteratorAgePoints: l.iteratorAgePoints,
      errors: f.errors,
      timeouts: f.timeouts,
      timeoutsWriting: f.timeoutsWriting,
      writtenThenGivenUp: l.writtenThenGivenUp,
      fullBatchComputeUs: l.fullBatchComputeUs,
      fullBatchWriteUs: l.fullBatchWriteUs,
      writeTime: l.writeTime,
      laneTry: l.laneTry,
      throttles: f.throttles,
      coldStarts: f.coldStarts,
      billedDurationUs: f.billedDuration,
      maxConcurrentExecutions: fn.maxConcurrent,
      duration: fn.duration.summary(),
      throughputBound: l.throughputBound(meanOpenShards),
      // Shards blocked by batches that time out on every try finish no batch: their lanes count 0 (helper-108).
      throughputBoundUnblocked: blocked.timeout && blocked.shards.length > 0 ? l.throughputBound(meanOpenShards, blocked.shards) : null,
      boundBatches: l.boundBatches(meanOpenShards),
      blockedAtEnd: blocked.shards.map(shardIdName),
      blockedBy: blocked.by,
      blockedSinceUs: blocked.since,
      blockedByTimeout: blocked.timeout,
      blockedOnFinalInvocation: blocked.final.map(shardIdName),
      failingCause: blocked.failing,
      discardedByTimeout: blocked.discarding,
      laneThroughput: l.laneThroughput,
      laneBatchRecords: l.laneBatchRecords,
      sinkWriteBound: l.sinkWriteBound ? { ...l.sinkWriteBound, lanesPerSecond: l.lanesBound(meanOpenShards) } : null,
      userRecordsPerRecord: l.userRecordsPerRecord,
      lanesLate: {
        fromUs: l.state.lateFrom,
        oldestUnprocessedAgeByShardUs: seenShards(l.state.oldestUnprocessedLate.values, stream),
        startedAtUs: seenShards(l.startedAt, stream),
        finishedAtUs: seenShards(l.finishedAt, stream),
        mostFailingByShardUs: l.mostFailingLaneUs(stream.lives.length),
        mostThrottledByShardUs: l.mostThrottledLaneUs(stream.lives.length),
        mostBusyByShardUs: l.mostBusyLaneUs(stream.lives.length),
        ...(l.state.ctx.sink ? { mostSinkWaitByShardUs: l.mostSinkWaitLaneUs(stream.lives.length) } : {}),
      },
      series: {
        invocations: fnRow(FUNCTION_SERIES.invocations),
        errors: fnRow(FUNCTION_SERIES.errors),
        throttles: fnRow(FUNCTION_SERIES.throttles),
        concurrentExecutions: fnRow(FUNCTION_SERIES.concurrent),
        toDestination: row(LAMBDA_ACTIVITY.destination),
        discarded: row(LAMBDA_ACTIVITY.discarded),
        skippedByAge: row(LAMBDA_ACTIVITY.aged),
        toDestinationByAge: row(LAMBDA_ACTIVITY.destinationByAge),
      },
    },
  };
}

/** A per-shard array of the model as the shards the run saw: the model's arrays have room for children a reshard may open. */
function seenShards(v: Float64Array, stream: Stream): number[] {
  return Array.from(v.subarray(0, stream.lives.length));
}

/**
 * A KCL application's or stream processor's record processors' time per shard over the last quarter (KclState.processorTime),
 * for the shards the run saw (seenShards).
 */
function processorTimeOf(c: ConsumerApp, stream: Stream): NonNullable<ConsumerResult["processorTime"]> {
  const pt = c.processorTime;
  const of = (v: Float64Array) => seenShards(v, stream);
  return {
    fromUs: pt.from,
    processing: of(pt.processing.values),
    held: of(pt.held.values),
    queued: of(pt.queued.values),
    room: of(pt.room.values),
    records: of(pt.records.values),
    oldestUnprocessedAge: of(c.maxOldestUnprocessedLate),
    finishedAtUs: seenShards(pt.finishedAt, stream).map((t) => (t < 0 ? null : t)),
    arrivedFromUs: pt.arrivedFrom < 0 ? null : pt.arrivedFrom,
    arrived: pt.arrivedFrom < 0 ? [] : of(pt.arrived),
  };
}
