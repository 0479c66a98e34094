// report.json: the contract. Versioned (REPORT_SCHEMA), no wall-clock fields, numbers rounded to fixed
// precision, keys in a fixed order: byte-identical for the same scenario and seed on any machine.

import { sum } from "d3-array";
import type { LatencySummary } from "../metrics/latency.js";
import { hottestFirst } from "../result/hotShards.js";
import { sinkOf } from "../result/sinks.js";
import type { AgeCourse, ConsumerResult, FaultResult, FirehoseResult, KclTableResult, LambdaResult, LambdaTimeout, LeaseAssignmentResult, RunResult, ShardResult, SinkResult, StreamRun, WriterResult } from "../result/runResult.js";
import { DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU, DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU, LIMITS_VERSION } from "../aws/limits.js";
import { REPORT_SCHEMA, SHARDCAST_VERSION } from "./version.js";
import { fixed, ms, seconds, sig } from "./format.js";
import type {
  ConnectionWaitJson,
  ConsumerJson,
  AgeCourseJson,
  FaultJson,
  FirehoseJson,
  LambdaJson,
  LambdaTimedOutJson,
  KclTableJson,
  LeaseAssignmentJson,
  OnDemandCeilingJson,
  OnDemandUnitsJson,
  ReportJson,
  ShardJson,
  SinkJson,
  SizeSummaryJson,
  SloCauseJson,
  SloJson,
  SplitLoadJson,
  SplitProposalJson,
  UnjudgedLossesJson,
  WarmupJson,
  StreamJson,
  WarningJson,
  WriterJson,
  WriteBurstJson,
} from "./reportTypes.js";
import { formatPath, scenarioWarnings } from "../spec/index.js";
import type { LatencyStage, SloCause, SloVerdict, StreamVerdict } from "../result/judge.js";
import type { WarmupAdvice } from "../result/warmup.js";
import type { ConnectionWait } from "../result/connectionWait.js";
import { soFarOf, type SoFar } from "../result/metSoFar.js";
import type { LoadShare, SplitProposal } from "../result/splitProposal.js";
import { costHintSentence, faultSummary, replayRefusedWords, reshardOf, sinkSummary, sinkWrittenP99, verdictOf, warmupBound, warmupSentence, type FirehoseVerdict, type Verdict } from "./verdict.js";

export interface Provenance {
  /** The scenario file as given on the command line (relative path). */
  scenarioFile: string;
  /** SHA-256 of the scenario file's bytes. */
  scenarioSha256: string;
  /** `PATH=VALUE` of each `run --set` in force, in command-line order; absent (not empty) without any. */
  overrides?: string[];
}

const latency = (l: LatencySummary) => ({
  count: l.count,
  meanMs: ms(l.mean),
  p50Ms: ms(l.p50),
  p90Ms: ms(l.p90),
  p99Ms: ms(l.p99),
  p999Ms: ms(l.p999),
  maxMs: ms(l.max),
});

/** 40 points of a CDF (every 2.5%), in ms. */
const cdfPoints = (cdf: { value: number; fraction: number }[]) =>
  cdf.filter((_, i) => i % 5 === 4).map((c) => ({ ms: ms(c.value), fraction: fixed(c.fraction, 4) }));

/** Object sizes: HDR gives the highest value equivalent to a recorded one, so a percentile may pass the max by up to 0.1%; cap it there. */
const sizes = (l: LatencySummary): SizeSummaryJson => {
  const cap = (x: number) => sig(Math.min(x, l.max));
  return { mean: sig(l.mean), p50: cap(l.p50), p90: cap(l.p90), p99: cap(l.p99), max: l.max };
};

const share = (part: number, whole: number) => (whole > 0 ? sig(part / whole) : 0);

/** The scenario's warnings as the report lists them: the field's path written out (src/spec/warnings.ts). */
export function reportWarnings(r: RunResult): WarningJson[] {
  return scenarioWarnings(r.scenario).map((w) => ({ code: w.code, path: formatPath(w.path), message: w.message }));
}

/** An invocation that times out on every try, its mean duration in seconds. */
const timedOutJson = (t: LambdaTimeout): LambdaTimedOutJson => ({
  records: t.records,
  meanDurationSeconds: seconds(t.durationUs),
  variability: t.variability,
  successChance: sig(t.successChance),
  ...(t.write ? { sinkWriteLeastSeconds: seconds(t.write.leastUs) } : {}),
});

/** A Lambda consumer's mapping and function as report.json shows them. */
function lambdaJson(l: LambdaResult): LambdaJson {
  const secondsOrInfinite = (us: number) => (us < 0 ? -1 : seconds(us));
  return {
    reader: l.reader,
    batchSize: l.batchSize,
    batchingWindowSeconds: seconds(l.batchingWindowUs),
    parallelizationFactor: l.parallelization,
    concurrentBatchesPerShard: l.concurrentBatchesPerShard,
    maximumRetryAttempts: l.maximumRetryAttempts,
    maximumRecordAgeSeconds: secondsOrInfinite(l.maximumRecordAgeUs),
    bisectBatchOnFunctionError: l.bisectBatchOnFunctionError,
    onFailureDestination: l.onFailure,
    tumblingWindowSeconds: seconds(l.tumblingWindowUs),
    concurrencyLimit: l.concurrencyLimit,
    memoryMiB: l.memoryBytes / 1_048_576,
    timeoutSeconds: seconds(l.timeoutUs),
    throughputBoundPerSecond: sig(l.throughputBoundUnblocked ?? l.throughputBound),
    writtenThenGivenUp: l.writtenThenGivenUp,
    ...(l.failingCause ? { failingCause: l.failingCause.kind === "errors.share" ? { kind: "errors.share" } : { kind: "function-errors", fromSeconds: seconds(l.failingCause.fromUs) } } : {}),
    ...(l.blockedByTimeout ? { blockedByTimeout: timedOutJson(l.blockedByTimeout) } : {}),
    ...(l.discardedByTimeout ? { discardedByTimeout: timedOutJson(l.discardedByTimeout) } : {}),
    afterWarmup: {
      invocations: l.invocations,
      errors: l.errors,
      timeouts: l.timeouts,
      timeoutsWriting: l.timeoutsWriting,
      throttles: l.throttles,
      coldStarts: l.coldStarts,
      maxConcurrentExecutions: l.maxConcurrentExecutions,
      billedDurationSeconds: seconds(l.billedDurationUs),
      durationMs: latency(l.duration),
    },
    series: l.series,
  };
}

/**
 * Whether a report shows a lease table's on-demand capacity: when it mattered (the table throttled during the
 * run, its capacity rose, or the scenario gave it a previous peak other than a new table's).
 */
export function onDemandShown(t: NonNullable<ConsumerResult["leaseTable"]>): boolean {
  const o = t.onDemand;
  if (!o) return false;
  const throttled = sum(t.series.throttledWrites) + sum(t.series.throttledReads) > 0;
  const givenPeak = o.previousPeak.write !== DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU || o.previousPeak.read !== DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU;
  return throttled || o.raisedAt !== null || givenPeak;
}

type OnDemandCapacity = NonNullable<NonNullable<ConsumerResult["leaseTable"]>["onDemand"]>;

const units = (u: OnDemandCapacity["initial"]): OnDemandUnitsJson => ({ writeUnitsPerSecond: sig(u.write), readUnitsPerSecond: sig(u.read) });

function onDemandJson(o: OnDemandCapacity): NonNullable<NonNullable<ConsumerJson["leaseTable"]>["onDemand"]> {
  return {
    previousPeak: units(o.previousPeak),
    capacityAtStart: units(o.initial),
    highestCapacity: units(o.highest),
    raisedAtSeconds: o.raisedAt === null ? null : seconds(o.raisedAt),
  };
}

function firehoseJson(f: FirehoseResult, fv: FirehoseVerdict): FirehoseJson {
  const a = f.accounting;
  const dp = f.directPut;
  const sr = f.sourceRead;
  const t = f.transform;
  const flushes = f.flushes.size + f.flushes.interval;
  return {
    name: f.name,
    source: f.source,
    destination: f.destination,
    buffer: {
      sizeBytes: f.buffer.sizeBytes,
      intervalSeconds: seconds(f.buffer.intervalUs),
      ...(f.buffer.raisedToBytes > f.buffer.sizeBytes ? { raisedToBytes: f.buffer.raisedToBytes } : {}),
    },
    explanation: fv.explanation,
    accounting: {
      in: a.in,
      delivered: a.delivered,
      inside: { transform: a.inside.transform, buffer: a.inside.buffer, destination: a.inside.destination },
      overdue: a.overdue,
      droppedByTransform: a.droppedByTransform,
      processingFailed: a.processingFailed,
      gaveUp: a.gaveUp,
      expired: a.expired,
      balanced: a.balanced,
    },
    incoming: {
      records: f.incoming.records,
      bytes: f.incoming.bytes,
      recordsPerSecond: sig(fv.incomingRecordsPerSecond),
      bytesPerSecond: sig(fv.incomingBytesPerSecond),
      billedBytes: f.incoming.billedBytes,
    },
    delivered: {
      records: f.delivered.records,
      bytes: f.delivered.bytes,
      recordsPerSecond: sig(fv.deliveredRecordsPerSecond),
      bytesPerSecond: sig(fv.deliveredBytesPerSecond),
    },
    notDelivered: f.notDelivered,
    notDeliveredPercent: sig(fv.notDeliveredPercent),
    directPut: dp
      ? {
          offered: dp.offered,
          throttled: dp.throttled,
          throttledPercent: sig(fv.throttledPercent),
          calls: dp.calls,
          throttledCalls: dp.throttledCalls,
          quotas: { recordsPerSecond: dp.quotas.records, requestsPerSecond: dp.quotas.requests, bytesPerSecond: dp.quotas.bytes },
        }
      : null,
    sourceRead: sr
      ? { read: sr.read, unread: sr.unread, expiredUnread: sr.expiredUnread, getRecordsCalls: sr.getRecordsCalls, throttledCalls: sr.throttledCalls, bytesRead: sr.bytesRead }
      : null,
    flushes: {
      size: f.flushes.size,
      interval: f.flushes.interval,
      sizeShare: share(f.flushes.size, flushes),
      intervalShare: share(f.flushes.interval, flushes),
      binds: fv.binds,
      everySeconds: fv.flushEveryUs === null ? null : seconds(fv.flushEveryUs),
    },
    objects: { count: f.objects.count, bytes: sizes(f.objects.bytes), records: sizes(f.objects.records) },
    failedAttempts: f.failedAttempts,
    copies: f.destination === "redshift" ? { count: f.copies.count, objects: f.copies.objects } : null,
    deliveryLatency: latency(f.deliveryLatency),
    deliveryLatencyCdf: cdfPoints(f.deliveryLatencyCdf),
    maxDataFreshnessSeconds: seconds(f.maxDataFreshness),
    ...(f.destination === "redshift" ? { maxUndeliveredAgeSeconds: seconds(f.maxUndeliveredAge) } : {}),
    transform: t
      ? {
          concurrency: t.concurrency,
          invocations: t.invocations,
          failedInvocations: t.failedInvocations,
          failedInvocationsBy: { ...t.failedInvocationsBy },
          retries: t.retries,
          ok: t.ok,
          dropped: t.dropped,
          processingFailed: t.processingFailed,
          failedBatches: t.failedBatches,
          failedBatchRecords: t.failedBatchRecords,
          failedBatchRecordsBy: { ...t.failedBatchRecordsBy },
          meanDurationMs: ms(t.meanDurationUs),
          maxRunning: t.maxRunning,
          ...(t.concurrencySteps.length > 1 ? { concurrencySteps: t.concurrencySteps.map((c) => ({ atSeconds: seconds(c.atUs), concurrency: c.concurrency })) } : {}),
        }
      : null,
    series: {
      incomingRecords: f.series.incomingRecords,
      incomingBytes: f.series.incomingBytes,
      deliveredRecords: f.series.deliveredRecords,
      flushesBySize: f.series.flushesBySize,
      flushesByInterval: f.series.flushesByInterval,
      notDeliveredRecords: f.series.notDeliveredRecords,
      bufferBytes: f.series.bufferBytes.map((b) => sig(b)),
      destinationBytes: f.series.destinationBytes.map((b) => sig(b)),
      dataFreshnessSeconds: f.series.dataFreshness.map(seconds),
      throttledRecords: f.series.throttledRecords,
      ...(f.buffer.raisedToBytes > f.buffer.sizeBytes ? { sizeInForceBytes: f.series.sizeInForceBytes } : {}),
    },
  };
}

const peak = (p: RunResult["shards"][number]["peakOffered"]) => ({
  atSeconds: p.at < 0 ? null : seconds(p.at),
  records: p.records,
  bytes: p.bytes,
  utilisation: sig(p.utilisation, 6),
});

const demand = (d: ShardResult["demand"]) => ({ records: d.records, bytes: d.bytes, utilisation: sig(d.utilisation, 6) });

/** Where the on-demand service's splits stopped at the mode's ceiling, and what it would have held. */
function onDemandCeilingJson(c: NonNullable<StreamRun["onDemandCeiling"]>): OnDemandCeilingJson {
  return {
    atSeconds: seconds(c.atUs),
    shards: c.shards,
    writeBytesPerSecond: c.bytesPerSecond,
    by: c.by,
    openShards: c.openShards,
    region: c.region,
    regionStated: c.regionStated,
    raised: c.raised,
    offered: { writeBytesPerSecond: sig(c.offeredBytesPerSecond), writeRecordsPerSecond: sig(c.offeredRecordsPerSecond) },
    needed: { writeBytesPerSecond: sig(c.neededBytesPerSecond), writeRecordsPerSecond: sig(c.neededRecordsPerSecond), shards: c.neededShards },
  };
}

/** A stream's settings and write figures after warmup. */
function streamJson(run: Pick<StreamRun, "stream" | "shards" | "reshards" | "refusedReshards" | "onDemandCeiling">, sv: Omit<StreamVerdict, "name">, written: boolean, recordsLostPercent: number): StreamJson {
  const { stream, shards } = run;
  return {
    name: stream.name,
    mode: stream.modes[0]!.mode,
    ...(stream.modes.length > 1 ? { modeSwitches: stream.modes.slice(1).map((m) => ({ atSeconds: seconds(m.atUs), mode: m.mode })) } : {}),
    shards: stream.shardCount,
    openShards: { atStart: stream.openShards.atStart, atEnd: stream.openShards.atEnd, meanAfterWarmup: sig(stream.openShards.meanAfterWarmup) },
    ...(run.reshards.length > 0
      ? {
          reshards: run.reshards.map((r) => ({ kind: r.kind, calledAtSeconds: seconds(r.calledAtUs), doneAtSeconds: seconds(r.doneAtUs), closed: r.closed, opened: r.opened, openShardsAfter: r.openAfter, ...(r.inProgressAtEnd ? { inProgressAtEnd: r.inProgressAtEnd } : {}) })),
        }
      : {}),
    ...(run.refusedReshards
      ? {
          refusedReshards: run.refusedReshards.map((x) => ({ kind: x.kind, by: x.by, calledAtSeconds: seconds(x.atUs), ...(x.target !== undefined ? { target: x.target } : {}), ...(x.shards ? { shards: x.shards } : {}), rule: x.rule, reason: x.message })),
        }
      : {}),
    ...(run.onDemandCeiling ? { onDemandCeiling: onDemandCeilingJson(run.onDemandCeiling) } : {}),
    declared: stream.declared,
    written,
    limitsPerShard: {
      writeBytesPerSecond: stream.limits.bytesPerSecond,
      writeRecordsPerSecond: stream.limits.recordsPerSecond,
      writeBurstSeconds: stream.writeBurstSeconds,
      maxRecordSizeBytes: stream.maxRecordSize,
    },
    afterWarmup: {
      incomingRecords: sum(shards, (s) => s.incomingRecords),
      incomingBytes: sum(shards, (s) => s.incomingBytes),
      throttledRecords: sum(shards, (s) => s.throttledRecords),
      writeThrottledPercent: sig(sv.writeThrottledPercent),
      recordsLostPercent: sig(recordsLostPercent),
      meanUtilisation: { records: sig(sv.streamUtilisation.records), bytes: sig(sv.streamUtilisation.bytes) },
      ...(sv.heldBackWriters ? { heldBackWriters: sv.heldBackWriters } : {}),
      perShardRecordsPerSecond: {
        min: sig(sv.perShardRecordsPerSecond.min),
        median: sig(sv.perShardRecordsPerSecond.median),
        p90: sig(sv.perShardRecordsPerSecond.p90),
        max: sig(sv.perShardRecordsPerSecond.max),
      },
      throttledByRecordLimit: sv.binding.throttledByRecords,
      throttledByByteLimit: sv.binding.throttledByBytes,
    },
  };
}

function shardsJson(shards: ShardResult[], statSeconds: number): ShardJson[] {
  return shards.map((s) => ({
    id: s.id,
    startingHashKey: s.startingHashKey,
    endingHashKey: s.endingHashKey,
    expectedShare: sig(s.expectedShare),
    incomingRecords: s.incomingRecords,
    incomingBytes: s.incomingBytes,
    incomingRecordsPerSecond: sig(s.incomingRecords / statSeconds),
    throttledRecords: s.throttledRecords,
    throttledByRecordLimit: s.throttledByRecordLimit,
    throttledByByteLimit: s.throttledByByteLimit,
    peakIncoming: peak(s.peakIncoming),
    peakOffered: peak(s.peakOffered),
    demand: demand(s.demand),
    ...(s.life
      ? {
          life: {
            openedAtSeconds: seconds(s.life.openedAt),
            closedAtSeconds: s.life.closedAt === null ? null : seconds(s.life.closedAt),
            parents: s.life.parents,
            ...(s.life.expiredAt !== undefined ? { expiredAtSeconds: seconds(s.life.expiredAt) } : {}),
          },
        }
      : {}),
  }));
}

const hottestIds = (shards: ShardResult[]) => hottestFirst(shards).slice(0, 5).map((i) => shards[i]!.id);

function hottestShardJson(h: StreamVerdict["hottestShard"]) {
  return h ? { id: h.id, expectedShare: sig(h.expectedShare), throttledRecords: h.throttledRecords, peakOffered: peak(h.peakOffered), demand: demand(h.demand) } : null;
}

function splitLoadJson(l: LoadShare): SplitLoadJson {
  return {
    recordsPerSecond: sig(l.recordsPerSecond),
    bytesPerSecond: sig(l.bytesPerSecond),
    utilisation: sig(l.utilisation),
    peakRecordsPerSecond: sig(l.peakRecordsPerSecond),
    peakBytesPerSecond: sig(l.peakBytesPerSecond),
    peakUtilisation: sig(l.peakUtilisation),
  };
}

function splitProposalJson(p: SplitProposal, warmupUs: number, several: boolean): SplitProposalJson {
  return {
    stream: p.stream,
    shard: p.shard,
    startingHashKey: p.startingHashKey,
    endingHashKey: p.endingHashKey,
    offered: splitLoadJson(p.load),
    shareOfStream: sig(p.shareOfStream),
    evenShare: sig(p.evenShare),
    evenlyLoaded: p.evenlyLoaded,
    belowEven: p.belowEven,
    ...(p.heldBack ? { heldBack: p.heldBack } : {}),
    writers: p.writers.map((w) => {
      const users = p.aggregating?.find((a) => a.name === w.name)?.userRecordsPerSecond;
      return { name: w.name, recordsPerSecond: sig(w.recordsPerSecond), bytesPerSecond: sig(w.bytesPerSecond), peakToMean: sig(w.peakToMean), ...(users !== undefined ? { userRecordsPerSecond: sig(users) } : {}) };
    }),
    keys: p.keys,
    aggregatedKeys: p.aggregatedKeys,
    spreadShare: sig(p.spreadShare),
    split: p.split
      ? {
          hashKey: p.split.hashKey,
          beforeKey: p.split.beforeKey,
          children: p.split.children.map((c) => ({ startingHashKey: c.startingHashKey, endingHashKey: c.endingHashKey, keys: c.keys, ...splitLoadJson(c) })),
        }
      : null,
    ...(p.bursts
      ? {
          bursts: {
            busierShare: p.bursts.busierShare === null ? null : sig(p.bursts.busierShare),
            retries: p.bursts.retries ?? [],
            requests: (p.bursts.requests ?? []).map((q) => ({
              writer: q.writer,
              lingerSeconds: seconds(q.lingerUs),
              by: q.by,
              records: sig(q.records),
              bytes: sig(q.bytes),
              onShardRecords: sig(q.onShardRecords),
              onShardBytes: sig(q.onShardBytes),
            })),
          },
        }
      : {}),
    tooHot: p.tooHot.map((k) => ({ key: k.key, hashKey: k.hashKey, ...splitLoadJson(k) })),
    fits: p.fits,
    evenChildren: p.evenChildren,
    childrenNeeded: p.childrenNeeded,
    reshard: reshardOf(p, warmupUs, several),
    ...(p.replayRefused !== undefined ? { replayRefused: replayRefusedWords(p.replayRefused) } : {}),
  };
}


function sinkJson(sk: SinkResult, statSeconds: number, c: ConsumerResult): SinkJson {
  const a = sk.afterWarmup;
  const t = sk.table;
  return {
    kind: sk.kind,
    buffer: sk.buffer === null ? null : { records: sk.buffer.records, bytes: sk.buffer.bytes, ageSeconds: sk.buffer.ageUs === null ? null : seconds(sk.buffer.ageUs) },
    retry: { limit: sk.retry.limit, backoffSeconds: seconds(sk.retry.backoffUs) },
    checkpoint: sk.checkpoint,
    summary: sinkSummary(sk, statSeconds, c),
    accounting: sk.accounting,
    flushes: sk.flushes,
    retries: sk.retries,
    processors: sk.processors,
    afterWarmup: {
      ...a,
      writtenPerSecond: sig(a.written / statSeconds),
      writtenBytes: Math.round(a.writtenBytes),
      waitShare: sig(a.waitShare, 4),
      utilisation: a.utilisation === null ? null : sig(a.utilisation, 4),
    },
    capacityPerSecond: sk.capacityPerSecond,
    table: t
      ? {
          capacity: t.capacity,
          provisioned: t.provisioned,
          ...(t.onDemand ? { onDemand: onDemandJson(t.onDemand) } : {}),
          writeUnitsPerSecond: sig(t.writeUnits / statSeconds),
          writeRequests: t.writeRequests,
          throttledWrites: t.throttledWrites,
          unitsPerItem: sig(t.unitsPerItem, 4),
          ...(t.burstCredit
            ? {
                burstCredit: {
                  fullUnits: sig(t.burstCredit.fullUnits),
                  endUnits: sig(t.burstCredit.endUnits),
                  deficitPerSecond: sig(t.burstCredit.deficitPerSecond),
                  fromSeconds: seconds(t.burstCredit.fromUs),
                  toSeconds: seconds(t.burstCredit.toUs),
                  ranOutAtSeconds: t.burstCredit.ranOutAtUs === null ? null : seconds(t.burstCredit.ranOutAtUs),
                  lastsUntilSeconds: t.burstCredit.lastsUntilUs === null ? null : seconds(t.burstCredit.lastsUntilUs),
                },
              }
            : {}),
        }
      : null,
    latency: latency(sk.latency),
    censoredAtEnd: sk.censoredAtEnd,
    latencyWithCensored: latency(sk.latencyWithCensored),
    latencyLowerBound: sinkWrittenP99(sk)?.atLeast ?? false,
    series: {
      written: sk.series.written,
      throttledItems: sk.series.throttledItems,
      waitShare: sk.series.waitShare.map((x) => sig(x, 4)),
      utilisation: sk.series.utilisation === null ? null : sk.series.utilisation.map((x) => sig(x, 4)),
    },
  };
}

function writerJson(w: WriterResult): WriterJson {
  return {
    name: w.name,
    consumer: w.consumer,
    stream: w.stream,
    keys: w.keys,
    offered: w.offered,
    accepted: w.accepted,
    awaitingRetry: w.awaitingRetry,
    lostRetriesExhausted: w.lostRetriesExhausted,
    interrupted: w.interrupted,
    requests: w.requests,
    afterWarmup: {
      offered: w.offeredAfterWarmup,
      attempts: w.attempts,
      throttledAttempts: w.throttledAttempts,
      writeThrottledPercent: sig(w.attempts > 0 ? (100 * w.throttledAttempts) / w.attempts : 0),
      retriedRecords: w.retriedRecords,
    },
    putLatency: latency(w.putLatency),
  };
}

/** The losses no stated SLO judges (Verdict.unjudgedLosses), when there are any. */
function unjudgedJson(v: Verdict): { unjudgedLosses?: UnjudgedLossesJson } {
  const u = v.unjudgedLosses;
  if (!u || (u.consumers.length === 0 && u.firehose.length === 0)) return {};
  return {
    unjudgedLosses: {
      consumers: u.consumers.map((c) => ({ name: c.name, lostPercent: sig(c.lostPercent) })),
      firehose: u.firehose.map((f) => ({ name: f.name, notDeliveredPercent: sig(f.notDeliveredPercent) })),
    },
  };
}

/** A met SLO that is met so far only: `metSoFar` and why (SloJson.metSoFar); nothing for one met outright or missed. */
const metSoFarJson = (why: SoFar | null): { metSoFar?: SoFar } => (why === null ? {} : { metSoFar: why });

/** A growing backlog an SLO is met so far on (SloJson.onGrowingBacklog): whose, and a max age's rise in seconds. */
function growingBacklogJson(g: NonNullable<SloVerdict["onGrowingBacklog"]>): NonNullable<SloJson["onGrowingBacklog"]> {
  const { ageRise, ...who } = g;
  return { ...who, ...(ageRise ? { ageRise: { perSecond: sig(ageRise.perSecond), reachesTargetAtSeconds: seconds(ageRise.reachesTargetAtUs) } } : {}) };
}

export function buildReportJson(r: RunResult, provenance: Provenance, v: Verdict = verdictOf(r)): ReportJson {
  const statSeconds = (r.durationUs - r.warmupUs) / 1e6;
  const stepSeconds = r.resolutionUs / 1e6;
  const several = r.streams.length > 1;
  // The first stream's own figures (with one stream, the verdict's).
  const first = v.streams[0] ?? v;
  const warnings = reportWarnings(r);
  const splits = v.streams.flatMap((sv) => sv.hotShardSplits);
  const notShown = v.streams.flatMap((sv) => (sv.hotShardsNotShown ? [{ stream: sv.name, ...sv.hotShardsNotShown }] : []));

  return {
    schema: REPORT_SCHEMA,
    provenance: {
      shardcastVersion: SHARDCAST_VERSION,
      limitsVersion: LIMITS_VERSION,
      scenarioFile: provenance.scenarioFile,
      scenarioSha256: provenance.scenarioSha256,
      ...(provenance.overrides && provenance.overrides.length > 0 ? { overrides: [...provenance.overrides] } : {}),
      seed: r.seed,
    },
    units: "scenario echo: sizes in bytes, durations in microseconds, rates per second; elsewhere units are in the field names",
    scenario: r.scenario,
    run: {
      durationSeconds: seconds(r.durationUs),
      warmupSeconds: seconds(r.warmupUs),
      statisticsSeconds: fixed(statSeconds, 6),
      resolutionSeconds: stepSeconds,
      granularity: r.granularity,
      windowSeconds: seconds(r.windowUs),
      events: r.engine.events,
      batches: r.engine.batches,
    },
    verdict: {
      slosMet: v.slosMet,
      slos: v.slos.map(({ cause, onWriteBurst, onGrowingBacklog, ...s }) => ({
        ...s,
        ...(onGrowingBacklog ? { onGrowingBacklog: growingBacklogJson(onGrowingBacklog) } : {}),
        target: sig(s.target),
        actual: sig(s.actual),
        ...(cause ? { cause: causeJson(cause) } : {}),
        ...(onWriteBurst ? { onWriteBurst: { stream: onWriteBurst.stream, shard: onWriteBurst.shard, runsOutAtSeconds: seconds(onWriteBurst.runsOutAtUs), refusedShare: sig(onWriteBurst.refusedShare) } } : {}),
        ...metSoFarJson(soFarOf({ ...s, onWriteBurst, onGrowingBacklog })),
      })),
      ...(several && v.bindingStream >= 0 ? { bindingStream: r.streams[v.bindingStream]!.stream.name } : {}),
      bindingLimit: v.binding.limit,
      ...warmupJson(v.warmup),
      throttling: v.binding.throttling,
      shardsThrottled: v.binding.shardsThrottled,
      hottestShard: hottestShardJson(v.hottestShard),
      ...(splits.length > 0 ? { hotShardSplits: splits.map((p) => splitProposalJson(p, r.warmupUs, several)) } : {}),
      ...unjudgedJson(v),
      ...(notShown.length > 0 ? { hotShardsNotShown: notShown } : {}),
      ...writeBurstJson(v.writeBurst),
    },
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(r.faults.length > 0 ? { faults: r.faults.map((f) => faultJson(f, r)) } : {}),
    stream: streamJson(r, several ? first : v, v.streamWritten, v.recordsLostPercent),
    hottestShards: hottestIds(r.shards),
    shards: shardsJson(r.shards, statSeconds),
    ...(several
      ? {
          streams: r.streams.map((run, i) => {
            const sv = v.streams[i]!;
            const written = r.producers.some((p) => p.stream === run.stream.name) || r.writers.some((w) => w.stream === run.stream.name);
            return {
              stream: streamJson(run, sv, written, v.recordsLostPercent),
              verdict: { bindingLimit: sv.binding.limit, throttling: sv.binding.throttling, shardsThrottled: sv.binding.shardsThrottled, hottestShard: hottestShardJson(sv.hottestShard), ...writeBurstJson(sv.writeBurst) },
              hottestShards: hottestIds(run.shards),
              shards: shardsJson(run.shards, statSeconds),
              accounting: run.accounting,
            };
          }),
        }
      : {}),
    ...(r.writers.length > 0 ? { writers: r.writers.map(writerJson) } : {}),
    producers: r.producers.map((p) => ({
      name: p.name,
      client: p.client,
      ...(several && p.stream !== undefined ? { stream: p.stream } : {}),
      instances: p.instances,
      keys: p.keys,
      topKeys: p.topKeys.map((k) => ({ key: k.key, share: sig(k.share), shard: k.shard })),
      ...(p.wrongShard ? { wrongShard: p.wrongShard } : {}),
      offered: p.offered,
      accepted: p.accepted,
      lost: p.lost,
      inFlight: p.inFlight,
      requests: p.requests,
      afterWarmup: {
        offered: p.offeredAfterWarmup,
        offeredKinesisRecords: p.offeredKinesisAfterWarmup,
        attempts: p.attempts,
        throttledAttempts: p.throttledAttempts,
        writeThrottledPercent: sig(p.attempts > 0 ? (100 * p.throttledAttempts) / p.attempts : 0),
        retriedRecords: p.retriedRecords,
        lost: p.lostAfterWarmup,
      },
      putLatency: latency(p.putLatency),
      clientMetrics: Object.fromEntries(Object.entries(p.clientMetrics).map(([k, v]) => [k, sig(v)])),
      ...(p.trace
        ? {
            trace: {
              file: p.trace.file,
              periods: p.trace.periods,
              periodSeconds: p.trace.periodUs / 1e6,
              records: p.trace.records,
              meanRecordBytes: p.trace.meanRecordBytes === null ? null : sig(p.trace.meanRecordBytes),
              scale: p.trace.scale,
              within: p.trace.within,
              ...(p.trace.within === "bursty" ? { peakToMean: p.trace.peakToMean } : {}),
              repeat: p.trace.repeat,
              sizesFromTrace: p.trace.sizesFromTrace,
              replayed: {
                periods: p.trace.replayed.periods,
                lastPeriodSeconds: p.trace.replayed.lastPeriodUs / 1e6,
                records: p.trace.replayed.records,
                meanRecordBytes: p.trace.replayed.meanRecordBytes === null ? null : sig(p.trace.replayed.meanRecordBytes),
              },
            },
          }
        : {}),
    })),
    latency: {
      put: latency(r.putLatency),
      putCdf: cdfPoints(r.putLatencyCdf),
    },
    accounting: r.accounting,
    monthlyCost: {
      totalUsd: fixed(r.cost.total, 2),
      items: r.cost.items.map((i) => ({ item: i.item, usd: fixed(i.usd, 2) })),
      prices: r.cost.prices,
      priceTable: { id: r.cost.priceTable.id, compiled: r.cost.priceTable.compiled, ...(r.cost.priceTable.overridden.length > 0 ? { overridden: r.cost.priceTable.overridden } : {}) },
      ...(r.cost.hints.length > 0 ? { hints: r.cost.hints.map((h) => ({ ...h, usd: fixed(h.usd, 2), savingUsd: fixed(h.savingUsd, 2), summary: costHintSentence(h) })) } : {}),
    },
    consumers: r.consumers.map((c, i) => {
      const cv = v.consumers[i]!;
      const lt = c.leaseTable;
      return {
        name: c.name,
        kind: c.kind,
        ...(several || c.output ? { stream: c.stream } : {}),
        ...(c.output ? { output: c.output } : {}),
        ...(sinkOf(r, c.name) ? { sink: sinkJson(sinkOf(r, c.name)!, statSeconds, c) } : {}),
        workers: c.workers,
        bottleneck: cv.bottleneck,
        explanation: cv.explanation,
        fallingBehind: cv.fallingBehind,
        ...(cv.backlogGrowth
          ? {
              backlogGrowth: {
                arrivingPerSecond: sig(cv.backlogGrowth.arrivingPerSecond),
                processedPerSecond: sig(cv.backlogGrowth.processedPerSecond),
                leftPerSecond: sig(cv.backlogGrowth.leftPerSecond),
                perSecond: sig(cv.backlogGrowth.perSecond),
                ageRisePerSecond: sig(cv.backlogGrowth.ageRisePerSecond),
              },
            }
          : {}),
        ...(cv.reads ? { reads: { bytesPerSecond: sig(cv.reads.bytesPerSecond), callsPerSecond: sig(cv.reads.callsPerSecond), atLimit: cv.reads.atLimit } } : {}),
        ...(cv.fetch ? { fetch: { boundPerSecond: sig(cv.fetch.boundPerSecond), busiestPerSecond: sig(cv.fetch.busiestPerSecond) } } : {}),
        ...(cv.fault
          ? { catchUp: { fault: cv.fault.kind, atSeconds: seconds(cv.fault.atUs), insideShare: sig(cv.fault.insideShare), throttledOutside: cv.fault.throttledOutside } }
          : {}),
        ...(cv.startupThrottles ? { startupThrottles: { settledAtSeconds: seconds(cv.startupThrottles.settledAtUs), insideShare: sig(cv.startupThrottles.insideShare) } } : {}),
        ...(cv.sinkAlso ? { sinkAlso: true as const } : {}),
        ...(cv.onBurstCredit ? { onBurstCredit: true as const } : {}),
        ...(cv.processingBound !== undefined ? { processing: { boundPerSecond: sig(cv.processingBound) } } : {}),
        ...(cv.processor
          ? {
              recordProcessor: {
                shard: cv.processor.shardId,
                processingShare: sig(cv.processor.processing, 4),
                heldShare: sig(cv.processor.held, 4),
                queuedShare: sig(cv.processor.queued, 4),
                idleShare: sig(cv.processor.idle, 4),
                roomWaitShare: sig(cv.processor.room, 4),
                busyProcessingShare: sig(cv.processor.busyProcessing, 4),
                busyHeldShare: sig(cv.processor.busyHeld, 4),
                processedPerSecondOfProcessing: cv.processor.capacityPerSecond === null ? null : sig(cv.processor.capacityPerSecond),
                shardIncomingPerSecond: cv.processor.incomingPerSecond === null ? null : sig(cv.processor.incomingPerSecond),
              },
            }
          : {}),
        accounting: c.accounting,
        reprocessed: c.reprocessed,
        writtenAgainRecords: c.writtenAgain,
        afterWarmup: {
          processedPerSecond: sig(cv.processedPerSecond),
          recordsRead: c.recordsRead,
          bytesRead: c.bytesRead,
          getRecordsCalls: c.getRecordsCalls,
          readThrottles: c.readThrottles,
          readThrottledPercent: sig(cv.readThrottledPercent),
          subscribeCalls: c.subscribeCalls,
          maxIteratorAgeMs: ms(c.maxIteratorAge),
          maxOldestUnprocessedAgeMs: ms(c.maxOldestUnprocessedAge),
          skippedRecords: c.skippedAfterWarmup,
        },
        lostAfterWarmup: c.lostAfterWarmup,
        lostPercent: sig(cv.lostPercent),
        endToEnd: latency(c.endToEnd),
        endToEndCdf: cdfPoints(c.endToEndCdf),
        putToProcess: latency(c.putToProcess),
        maxIteratorAgeMsByShard: c.maxIteratorAgeByShard.map(ms),
        maxOldestUnprocessedAgeMsByShard: c.maxOldestUnprocessedAgeByShard.map(ms),
        ...(c.leases ? { leases: c.leases } : {}),
        ...(c.processor ? { processor: c.processor } : {}),
        ...(c.lambda ? { lambda: lambdaJson(c.lambda) } : {}),
        ...(lt
          ? {
              leaseTable: {
                capacity: lt.capacity,
                provisioned: lt.provisioned,
                ...(onDemandShown(lt) ? { onDemand: onDemandJson(lt.onDemand!) } : {}),
                afterWarmup: {
                  writeUnitsPerSecond: sig(lt.writeUnits / statSeconds),
                  readUnitsPerSecond: sig(lt.readUnits / statSeconds),
                  writeRequests: lt.writeRequests,
                  readRequests: lt.readRequests,
                  throttledWrites: lt.throttledWrites,
                  throttledReads: lt.throttledReads,
                },
              },
            }
          : {}),
        ...(c.leaseAssignment ? { leaseAssignment: leaseAssignmentJson(c.leaseAssignment, statSeconds) } : {}),
        series: {
          iteratorAgeMs: c.series.iteratorAge.map(ms),
          oldestUnprocessedAgeMs: c.series.oldestUnprocessedAge.map(ms),
          recordsProcessed: c.series.recordsProcessed,
          readThrottles: c.series.readThrottles,
          ...(lt
            ? {
                leaseTableWriteUnitsPerSecond: lt.series.writeUnitsPerSecond.map((x) => sig(x)),
                leaseTableReadUnitsPerSecond: lt.series.readUnitsPerSecond.map((x) => sig(x)),
                leaseTableThrottledWrites: lt.series.throttledWrites,
              }
            : {}),
        },
      };
    }),
    firehose: r.firehose.map((f, i) => firehoseJson(f, v.firehose[i]!)),
    shardReads: r.shardReads.map((x, i) => ({ shard: r.shards[i]!.id, ...x })),
    series: {
      resolutionSeconds: stepSeconds,
      startSeconds: r.series.incomingRecords.map((_, i) => fixed(i * stepSeconds, 6)),
      incomingRecords: r.series.incomingRecords,
      incomingBytes: r.series.incomingBytes,
      throttledRecords: r.series.throttledRecords,
      maxShardUtilisation: r.series.maxShardUtilisation.map((u) => sig(u, 4)),
      hotShards: r.hotShardSeries,
      heatmap: {
        binSeconds: r.heatmap.binSeconds,
        shards: r.heatmap.shards,
        utilisation: r.heatmap.utilisation.map((row) => row.map((u) => sig(u, 4))),
        throttled: r.heatmap.throttled,
      },
    },
  };
}

export function reportJsonText(r: RunResult, provenance: Provenance, v: Verdict = verdictOf(r)): string {
  return `${JSON.stringify(buildReportJson(r, provenance, v), null, 2)}\n`;
}

/** A put latency's wait for a connection, its times in ms (6 significant digits), its rates and shares to 6 digits. */
function connectionWaitJson(w: ConnectionWait): ConnectionWaitJson {
  const { waitUs, sentRoundTripUs, waitMeanUs, meanRoundTripUs, remedies, ...rest } = w;
  const { recordMaxBufferedTimeUs, ...fixes } = remedies;
  return {
    ...rest,
    waitMs: sig(waitUs / 1000),
    sentRoundTripMs: sig(sentRoundTripUs / 1000),
    waitMeanMs: sig(waitMeanUs / 1000),
    waitedPercent: sig(w.waitedPercent),
    meanRoundTripMs: sig(meanRoundTripUs / 1000),
    startsPerSecond: sig(w.startsPerSecond),
    windowStarts: sig(w.windowStarts),
    requestsPerSecond: sig(w.requestsPerSecond),
    deadlineRequestsPerSecond: sig(w.deadlineRequestsPerSecond),
    filledPercent: sig(w.filledPercent),
    remedies: { ...fixes, ...(recordMaxBufferedTimeUs !== undefined ? { recordMaxBufferedTimeMs: sig(recordMaxBufferedTimeUs / 1000) } : {}) },
  };
}

/** A missed SLO's cause with its times rounded (µs, 6 significant digits) and its percentages to 6 digits. */
function causeJson(c: SloCause): SloCauseJson {
  if (c.kind === "stages") {
    const { stagesUs, tailMeanUs, ...rest } = c;
    const stagesMs: Partial<Record<LatencyStage, number>> = {};
    for (const [k, v] of Object.entries(stagesUs) as [LatencyStage, number][]) stagesMs[k] = sig(v / 1000);
    return { ...rest, stagesMs, tailMeanMs: sig(tailMeanUs / 1000), putThrottledPercent: sig(c.putThrottledPercent) };
  }
  if (c.kind === "puts") {
    const { roundTripUs, connections: w, parts, ...rest } = c;
    return {
      ...rest,
      throttledPercent: sig(c.throttledPercent),
      roundTripMs: sig(roundTripUs / 1000),
      ...(w ? { connections: connectionWaitJson(w) } : {}),
      ...(parts ? { parts: { meanMs: sig(parts.meanUs / 1000), firstAttemptMs: sig(parts.firstAttemptUs / 1000), retriesMs: sig(parts.retriesUs / 1000), waitsMs: sig(parts.waitsUs / 1000) } } : {}),
    };
  }
  if (c.kind === "consumer") {
    return {
      kind: c.kind,
      bottleneck: c.bottleneck,
      ...(c.peakAtUs !== undefined ? { peakAtSeconds: seconds(c.peakAtUs) } : {}),
      ...(c.fault ? { fault: { kind: c.fault.kind, atSeconds: seconds(c.fault.atUs) } } : {}),
      ...(c.batchingWindowUs !== undefined ? { batchingWindowSeconds: seconds(c.batchingWindowUs) } : {}),
    };
  }
  if (c.kind === "writes") {
    const { onDemand: o, scaling: x, ...base } = c;
    const rest = x
      ? {
          ...base,
          scaling: {
            stream: x.stream,
            throttledSeconds: x.throttledSeconds,
            waitingSeconds: x.waitingSeconds,
            windows: x.windows.map((w) => ({
              policy: w.policy,
              throttledFromSeconds: seconds(w.throttledFromUs),
              decidedAtSeconds: seconds(w.decidedAtUs),
              doneAtSeconds: seconds(w.doneAtUs),
              done: w.done,
              from: w.from,
              to: w.to,
              utilisationPct: sig(w.utilisationPct),
              throttledSeconds: w.throttledSeconds,
            })),
          },
        }
      : base;
    if (!o) return rest;
    return {
      ...rest,
      onDemand: {
        mode: o.mode,
        fromSeconds: seconds(o.fromUs),
        untilSeconds: seconds(o.untilUs),
        openShards: o.openShards,
        startShards: o.startShards,
        previousPeakBytesPerSecond: o.previousPeakBytesPerSecond,
        warmBytesPerSecond: o.warmBytesPerSecond,
        split: o.split ? { calledAtSeconds: seconds(o.split.calledAtUs), doneAtSeconds: seconds(o.split.doneAtUs), openAfter: o.split.openAfter, done: o.split.done } : null,
        peakOffered: o.peakOffered ? { atSeconds: seconds(o.peakOffered.atUs), bytesPerSecond: sig(o.peakOffered.bytesPerSecond), recordsPerSecond: sig(o.peakOffered.recordsPerSecond) } : null,
      },
    };
  }
  return c;
}

function warmupJson(w: WarmupAdvice): { warmup?: WarmupJson } {
  const summary = warmupSentence(w);
  if (summary === null) return {};
  const bound = warmupBound(w);
  return {
    warmup: {
      suggestedWarmupSeconds: w.suggestedUs === null ? null : seconds(w.suggestedUs),
      startupOverSeconds: seconds(w.startupOverUs),
      ...(bound !== "none" && w.firstChange ? { firstChange: { kind: w.firstChange.kind, of: w.firstChange.of, atSeconds: seconds(w.firstChange.atUs), ...(w.firstChange.by !== undefined ? { by: w.firstChange.by } : {}) } } : {}),
      boundaryMaxima: w.boundaryMaxima.map((b) => ({ metric: b.metric, of: b.of, valueSeconds: seconds(b.valueUs), atSeconds: seconds(b.atUs), settledAtSeconds: seconds(b.settledAtUs), ...(b.settleCutBy ? { settleCutBy: { kind: b.settleCutBy.kind, atSeconds: seconds(b.settleCutBy.atUs) } } : {}) })),
      startupSkips: w.skips.filter((s) => s.startup).map((s) => ({ of: s.of, records: s.records, fromSeconds: seconds(s.fromUs), untilSeconds: seconds(s.untilUs) })),
      summary,
    },
  };
}

/** A fault in report.json; `r`, when given, lets its summary say why records were skipped or processed again (faultSummary). */
export function faultJson(f: FaultResult, r?: RunResult): FaultJson {
  const e = f.effect;
  const at = (us: number | null) => (us === null ? null : seconds(us));
  const course = (c: AgeCourse): AgeCourseJson =>
    c.visible
      ? { visible: true, beforeSeconds: seconds(c.beforeUs), maxSeconds: seconds(c.maxUs), recoveredAtSeconds: at(c.recoveredAtUs), ...(c.trendUsPerSecond !== undefined ? { trendSecondsPerSecond: sig(c.trendUsPerSecond / 1e6) } : {}) }
      : { visible: false, beforeSeconds: seconds(c.beforeUs), lastSeconds: seconds(c.lastUs), lastAtSeconds: seconds(c.lastAtUs), growing: c.growing };
  return {
    kind: f.kind,
    atSeconds: seconds(f.atUs),
    forSeconds: seconds(f.forUs),
    target: f.target,
    ...(f.workers !== undefined ? { workers: f.workers } : {}),
    ...(f.leader ? { leader: { lockExpiresAtSeconds: seconds(f.leader.lockExpiresAtUs), lockLeaseSeconds: seconds(f.leader.lockLeaseUs), takenAtSeconds: at(f.leader.takenAtUs) } } : {}),
    effect:
      e === null
        ? null
        : e.kind === "lag"
          ? { kind: "lag", ...course(e), reprocessedRecords: e.reprocessed, skippedRecords: e.skipped, writtenAgainRecords: e.writtenAgain }
          : e.kind === "errors"
            ? { kind: "errors", ...course(e), failedInvocations: e.errors, discardedRecords: e.discarded }
            : { kind: "freshness", ...course(e), notDelivered: e.notDelivered, ...(e.notLoaded ? { notLoaded: true as const } : {}) },
    summary: faultSummary(f, r),
  };
}

function kclTableJson(t: KclTableResult, statSeconds: number): KclTableJson {
  return { provisioned: t.provisioned, readUnitsPerSecond: sig(t.readUnits / statSeconds), writeUnitsPerSecond: sig(t.writeUnits / statSeconds), throttledReads: t.throttledReads, throttledWrites: t.throttledWrites };
}

function leaseAssignmentJson(a: LeaseAssignmentResult, statSeconds: number): LeaseAssignmentJson {
  const at = (us: number | null) => (us === null ? null : fixed(us / 1e6, 3));
  const pct = (x: number | null) => (x === null ? null : fixed(x, 1));
  return {
    versionAtEnd: a.versionAtEnd,
    workerMetric: a.workerMetric,
    metadataTables: a.metadataTables,
    assignmentIntervalSeconds: fixed(a.assignmentIntervalUs / 1e6, 3),
    discoveryIntervalSeconds: fixed(a.discovery.intervalUs / 1e6, 3),
    migration: a.migration ? { atSeconds: fixed(a.migration.atUs / 1e6, 3), flippedAtSeconds: at(a.migration.flippedAtUs), switchedAtSeconds: at(a.migration.switchedAtUs) } : null,
    gracefulLeaseHandoff: { enabled: a.gracefulHandoff.enabled, timeoutSeconds: fixed(a.gracefulHandoff.timeoutUs / 1e6, 3) },
    reprocessedRecords: { afterRebalance: a.reprocessed.rebalanced, afterExpiry: a.reprocessed.expired, afterLeaseLost: a.reprocessed.lost, other: a.reprocessed.other },
    afterWarmup: {
      leaderChanges: a.leaderChanges,
      assignmentRuns: a.assignmentRuns,
      assignmentRunsThrottled: a.assignmentRunsThrottled,
      assignmentRunsThrottledWaiting: a.assignmentRunsThrottledWaiting,
      leasesAssigned: { ...a.assigned },
      leaseMoves: a.assigned.expired + a.assigned.rebalanced,
      handoffs: { ...a.handoffs },
      discoveryQueries: a.discovery.queries,
      discoveryThrottled: a.discovery.throttled,
      discoveryThrottledWaiting: a.discovery.throttledWaiting,
      leasesDiscovered: a.discovery.leasesFound,
      metricsReports: a.metricsReports,
      metricsReportsThrottled: a.metricsReportsThrottled,
      leaseOwnerIndex: kclTableJson(a.leaseOwnerIndex, statSeconds),
      ...(a.workerMetricsTable ? { workerMetricsTable: kclTableJson(a.workerMetricsTable, statSeconds) } : {}),
      ...(a.coordinatorStateTable ? { coordinatorStateTable: kclTableJson(a.coordinatorStateTable, statSeconds) } : {}),
    },
    utilisation: { meanPercentByWorker: a.utilisation.meanByWorker.map(pct), latestPercentByWorker: a.utilisation.latestByWorker.map(pct), meanSpreadPercent: fixed(a.utilisation.meanSpread, 1) },
    spreadPercentSeries: a.utilisation.spreadSeries.map((x) => fixed(x, 1)),
  };
}

/** The shards that kept pace only on their write burst (StreamVerdict.writeBurst), as report.json's `writeBurst`; nothing when none did. */
function writeBurstJson(draws: StreamVerdict["writeBurst"]): { writeBurst?: WriteBurstJson[] } {
  if (!draws || draws.length === 0) return {};
  return {
    writeBurst: draws.map((d) => ({
      shard: d.shard,
      limit: d.limit,
      fullUnits: sig(d.fullUnits),
      fromSeconds: seconds(d.fromUs),
      overPerSecond: sig(d.overPerSecond),
      ranOutAtSeconds: d.ranOutAtUs === null ? null : seconds(d.ranOutAtUs),
      leftAtEnd: d.leftAtEnd === null ? null : sig(d.leftAtEnd),
      lastsUntilSeconds: d.lastsUntilUs === null ? null : seconds(d.lastsUntilUs),
    })),
  };
}
