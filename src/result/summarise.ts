// From a finished model to a RunResult: plain data (numbers and arrays), accounting checked for the producers,
// the stream, every consumer and every delivery stream; the shards with their share and peaks, the producers,
// series, the hottest shards' series and the heatmap, consumers, delivery streams and the monthly cost.

import { sum } from "d3-array";
import { DEFAULT_MAX_RECORD_SIZE, DEFAULT_WRITE_BURST_SECONDS, onDemandDefaultMaxWrite, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import { LatencyHistogram, releasingHistograms } from "../metrics/latency.js";
import { seriesPoints } from "../metrics/series.js";
import { StageBreakdown } from "../metrics/stages.js";
import { PUT_LATENCY_PARTS } from "../model/producers/producer.js";
import { stageTails } from "./stages.js";
import type { Model, WiredProducer } from "../model/build.js";
import type { Stream } from "../model/kinesis/stream.js";
import { WRITER_ROW, type StreamWriter } from "../model/producers/streamWriter.js";
import { valuesOf } from "../metrics/warmup.js";
import { replayedPeriods } from "../model/producers/traceReplay.js";
import { DEFAULT_REGION, type ProducerSpec } from "../spec/index.js";
import { account, AccountingError } from "./accounting.js";
import { faultResults } from "./faults.js";
import { consumerResult, lambdaResult } from "./consumers.js";
import { costOf } from "./cost.js";
import { firehoseResult } from "./firehose.js";
import { emptyHeatmap, heatmapOf } from "./heatmap.js";
import { hottestFirst } from "./hotShards.js";
import { hotShardTraffic } from "./shardTraffic.js";
import { sinkResult } from "./sinks.js";
import { writeBurstDraws, type WriteBurstDraw } from "./writeBurst.js";
import type { ProducerResult, ReshardResult, RunResult, ShardResult, StreamRun, TraceSummary, WriterResult } from "./runResult.js";

export interface SummariseOptions {
  /** How many hot shards get their own series in the result. */
  hotShards?: number;
}

export function summarise(model: Model, options: SummariseOptions = {}): RunResult {
  // The last reader of the model's histograms: their WebAssembly memory is freed as soon as the summary is made (the
  // finalizer alone frees it only after a garbage collection, once the event loop turns).
  return releasingHistograms(() => summariseModel(model, options));
}

function summariseModel(model: Model, options: SummariseOptions): RunResult {
  const { scenario, duration, warmup, resolution } = model;
  const producers = model.producers.map((p) => p.model);
  const accounting = account(producers);
  const streams = model.streams.map((stream) => streamRun(model, stream, options));
  const firehose = model.firehoses.map((f) =>
    firehoseResult(
      f,
      model.producers.filter((p) => p.model.spec.client !== "kpl" && (p.model.spec as { deliveryStream?: string }).deliveryStream === f.name).map((p) => p.model),
      f.reader?.source,
    ),
  );
  const allPut = new LatencyHistogram();
  const roundTrip = new LatencyHistogram();
  const connectionWait = new LatencyHistogram();
  const roundTripSent = new LatencyHistogram();
  const waits = new LatencyHistogram();
  // Put latency's parts, when every producer keeps them (each client that records put latency does).
  const parts = producers.every((p) => p.putLatencyParts) ? new StageBreakdown(PUT_LATENCY_PARTS.length) : undefined;
  for (const p of producers) {
    allPut.add(p.putLatency);
    roundTrip.add(p.putLatencyRoundTrip);
    // A client that never waits for a connection: its round trips are all sent → response, its waits 0.
    if (p.putLatencyConnectionWait) connectionWait.add(p.putLatencyConnectionWait);
    else connectionWait.record(0, p.putLatencyRoundTrip.count);
    roundTripSent.add(p.putLatencyRoundTripSent ?? p.putLatencyRoundTrip);
    if (p.putLatencyWaits) waits.add(p.putLatencyWaits);
    else waits.record(0, p.putLatency.count);
    if (parts && p.putLatencyParts) parts.add(p.putLatencyParts);
  }
  // In the scenario's order: KCL applications and Lambda consumers.
  const consumers = scenario.consumers.map((spec) => {
    const kcl = model.consumers.find((c) => c.name === spec.name);
    if (kcl) return consumerResult(kcl, kcl.stream, resolution);
    const l = model.lambdas.find((c) => c.name === spec.name)!;
    return lambdaResult(l, l.stream, resolution, l.stream.meanOpenShards(warmup, duration));
  });
  const points = seriesPoints(duration, resolution);
  const zeros = () => new Array<number>(points).fill(0);
  // The top-level stream fields are the first stream's (a scenario without a stream: no shards, zero series).
  const first: Omit<StreamRun, "accounting"> = streams[0] ?? {
    stream: {
      declared: false,
      name: "",
      shardCount: 0,
      modes: [{ atUs: 0, mode: "provisioned" }],
      openShards: { atStart: 0, atEnd: 0, meanAfterWarmup: 0 },
      writeBurstSeconds: DEFAULT_WRITE_BURST_SECONDS,
      maxRecordSize: DEFAULT_MAX_RECORD_SIZE,
      limits: { bytesPerSecond: SHARD_WRITE_BYTES_PER_SECOND, recordsPerSecond: SHARD_WRITE_RECORDS_PER_SECOND },
    },
    shards: [],
    series: { incomingRecords: zeros(), incomingBytes: zeros(), throttledRecords: zeros(), maxShardUtilisation: zeros() },
    hotShardSeries: [],
    hotShardTraffic: [],
    heatmap: emptyHeatmap(points, resolution),
    shardReads: [],
    reshards: [],
  };
  return {
    scenario,
    seed: model.seed,
    durationUs: duration,
    warmupUs: warmup,
    resolutionUs: resolution,
    granularity: scenario.fidelity.granularity,
    windowUs: scenario.fidelity.window,
    stream: first.stream,
    shards: first.shards,
    producers: model.producers.map((w) => producerResult(w, duration)),
    putLatency: allPut.summary(),
    putLatencyCdf: allPut.cdf(),
    putLatencyRoundTrip: roundTrip.summary(),
    putLatencyConnectionWait: connectionWait.summary(),
    putLatencyRoundTripSent: roundTripSent.summary(),
    putLatencyWaits: waits.summary(),
    ...(parts ? { putLatencyParts: stageTails(parts, allPut.summary(), PUT_LATENCY_PARTS) } : {}),
    accounting,
    series: first.series,
    hotShardSeries: first.hotShardSeries,
    hotShardTraffic: first.hotShardTraffic,
    heatmap: first.heatmap,
    consumers,
    firehose,
    faults: faultResults(scenario.faults, consumers, firehose, resolution),
    cost: costOf(model, consumers, firehose),
    shardReads: first.shardReads,
    reshards: first.reshards,
    ...(first.refusedReshards ? { refusedReshards: first.refusedReshards } : {}),
    ...(first.onDemandCeiling ? { onDemandCeiling: first.onDemandCeiling } : {}),
    ...(first.writeBurst ? { writeBurst: first.writeBurst } : {}),
    streams,
    writers: model.writers.map(writerResult),
    sinks: model.sinks.map((sink) => sinkResult(sink, sinkProcessors(model, sink.name), warmup, duration, resolution)),
    engine: { events: model.sim.eventsProcessed, batches: sum(model.streams, (s) => s.batchesOffered) },
  };
}

/**
 * The record processors a consumer's sink serves: a KCL application's shards at the start (one per lease); a Lambda
 * consumer's concurrent batches (its shards at the start × the batches each runs at once).
 */
function sinkProcessors(model: Model, consumer: string): number {
  const c = model.consumers.find((x) => x.name === consumer);
  if (c) return Math.max(1, c.stream.lives.filter((l) => l.openedAt === 0).length);
  const l = model.lambdas.find((x) => x.name === consumer);
  return l ? Math.max(1, l.stream.lives.filter((x) => x.openedAt === 0).length * l.lanesPerShard) : 1;
}

/** One stream: its shards, series, hottest shards, heatmap, shared reads, and its writers' accounting (checked). */
function streamRun(model: Model, stream: Stream, options: SummariseOptions): StreamRun {
  const writers = model.writers.filter((w) => w.stream === stream);
  const producers = model.producers.filter((p) => p.stream === stream).map((p) => p.model.stats);
  const offered = sum(producers, (p) => p.offered) + sum(writers, (w) => w.stats.offered);
  const accepted = sum(producers, (p) => p.accepted) + sum(writers, (w) => w.stats.accepted);
  const inFlight = sum(producers, (p) => p.buffered + p.awaitingRetry) + sum(writers, (w) => w.stats.awaitingRetry);
  const lost =
    sum(producers, (p) => p.lostRetriesExhausted + p.lostTooLarge + p.lostExpired + p.lostThrottled) + sum(writers, (w) => w.stats.lostRetriesExhausted + w.stats.interrupted);
  // The shards also hold the records a KPL wrote twice (wrong-shard results after a reshard).
  const writtenAgain = sum(producers, (p) => p.writtenAgain);
  const stored = sum(stream.storedUsers);
  if (stored !== accepted + writtenAgain) throw new AccountingError(`stream ${stream.name}: shards stored ${stored} records but its writers saw ${accepted} accepted and ${writtenAgain} written again`);
  const shards = shardResults(model, stream);
  const hotCount = Math.min(options.hotShards ?? 5, stream.createdShards);
  const polled = [...model.consumers, ...model.lambdas].some((c) => c.stream === stream && c.polls);
  return {
    stream: {
      declared: true,
      name: stream.name,
      shardCount: stream.createdShards,
      modes: stream.modes.map((m) => ({ atUs: m.at, mode: m.mode })),
      openShards: {
        atStart: stream.lives.filter((l) => l.openedAt === 0).length,
        atEnd: stream.lives.filter((l) => l.closedAt === null).length,
        meanAfterWarmup: stream.meanOpenShards(model.warmup, model.duration),
      },
      writeBurstSeconds: stream.writeBurstSeconds,
      maxRecordSize: stream.maxRecordSize,
      limits: { bytesPerSecond: SHARD_WRITE_BYTES_PER_SECOND, recordsPerSecond: SHARD_WRITE_RECORDS_PER_SECOND },
    },
    shards,
    series: {
      incomingRecords: Array.from(stream.incomingRecordsSeries.total()),
      incomingBytes: Array.from(stream.incomingBytesSeries.total()),
      throttledRecords: Array.from(stream.throttledSeries.total()),
      maxShardUtilisation: maxShardUtilisation(stream, model.resolution),
    },
    hotShardSeries: hottestFirst(shards)
      .slice(0, hotCount)
      .map((i) => ({
        shard: stream.shardIds[i]!,
        incomingRecords: Array.from(stream.incomingRecordsSeries.row(i)),
        incomingBytes: Array.from(stream.incomingBytesSeries.row(i)),
        throttledRecords: Array.from(stream.throttledSeries.row(i)),
      })),
    hotShardTraffic: hotShardTraffic(model, stream, shards),
    heatmap: heatmapOf(stream, shards, model.resolution),
    shardReads: polled ? stream.shardIds.map((_, i) => ({
          getRecordsCalls: stream.getRecordsCalls[i]!,
          throttled: stream.readThrottled[i]!,
          throttledByBytes: stream.readThrottledByBytes[i]!,
          throttledByCalls: stream.readThrottledByCalls[i]!,
          bytes: stream.bytesRead[i]!,
        })) : [],
    accounting: { offered, accepted, inFlight, lost, balanced: offered === accepted + inFlight + lost },
    reshards: reshardResults(stream, model.duration, model.resolution),
    ...refusedResults(stream),
    ...ceilingResult(stream, model.scenario.region),
    ...(stream.onDemandPeakOffered
      ? { onDemandPeakOffered: { atUs: stream.onDemandPeakOffered.at, bytesPerSecond: stream.onDemandPeakOffered.bytesPerSecond, recordsPerSecond: stream.onDemandPeakOffered.recordsPerSecond } }
      : {}),
    ...writeBurstResult(stream, model),
    ...(stream.policies.length > 0
      ? { scaling: stream.policies.flatMap((p) => p.events).sort((a, b) => a.atUs - b.atUs), scalingViews: stream.policies.map((p) => p.view()) }
      : {}),
  };
}

/** The shards that drew on their write burst for a while (writeBurstDraws), as StreamRun.writeBurst: absent when none did. */
function writeBurstResult(stream: Stream, model: Model): { writeBurst?: WriteBurstDraw[] } {
  const limits = { recordsPerSecond: SHARD_WRITE_RECORDS_PER_SECOND, bytesPerSecond: SHARD_WRITE_BYTES_PER_SECOND };
  // Only a shard that accepted more than a limit's refill in some step ever drew on that bucket (a bucket starts full,
  // and a step taking no more than its refill leaves it full: writeBurstDraws finds nothing else). Its rows alone are
  // copied, one shard at a time: every shard's three rows at once were 86 MB at 1,000 shards × 1 h (peak RSS 300 →
  // 375–395 MiB) and would be 864 MB at 10,000.
  const stepSeconds = (step: number) => (Math.min((step + 1) * model.resolution, model.duration) - step * model.resolution) / 1e6;
  // (A hair under the refill: the bucket's own arithmetic rounds its way; a shard more is only looked at.)
  const overRecords = stream.incomingRecordsSeries.rowsAbove((k) => limits.recordsPerSecond * stepSeconds(k) * (1 - 1e-9));
  const overBytes = stream.incomingBytesSeries.rowsAbove((k) => limits.bytesPerSecond * stepSeconds(k) * (1 - 1e-9));
  const series = (function* () {
    for (let i = 0; i < stream.shardIds.length; i++) {
      if (!overRecords[i] && !overBytes[i]) continue;
      yield { shard: stream.shardIds[i]!, records: stream.incomingRecordsSeries.row(i), bytes: stream.incomingBytesSeries.row(i), throttled: stream.throttledSeries.row(i) };
    }
  })();
  const draws = writeBurstDraws(series, limits, stream.writeBurstSeconds, model.warmup, model.duration, model.resolution);
  return draws.length > 0 ? { writeBurst: draws } : {};
}

function writerResult(w: StreamWriter): WriterResult {
  const s = w.stats;
  const balanced = s.offered === s.accepted + s.awaitingRetry + s.lostRetriesExhausted + s.interrupted;
  if (!balanced) {
    throw new AccountingError(`writer ${w.name}: offered ${s.offered} ≠ accepted ${s.accepted} + awaiting retry ${s.awaitingRetry} + lost ${s.lostRetriesExhausted} + interrupted ${s.interrupted}`);
  }
  const { offered, offeredWriteBytes, ...a } = valuesOf(w.after);
  return {
    name: w.name,
    consumer: w.name.slice(0, w.name.indexOf(" → ")),
    stream: w.stream.name,
    keys: w.keyDescription,
    ...s,
    offeredAfterWarmup: offered,
    offeredWriteBytesAfterWarmup: offeredWriteBytes,
    ...a,
    putLatency: w.putLatency.summary(),
    series: { attempts: Array.from(w.series.row(WRITER_ROW.attempts)), throttledAttempts: Array.from(w.series.row(WRITER_ROW.throttledAttempts)) },
  };
}

/**
 * Each shard's expected share of the traffic (from the key populations' routing, weighted by each writer's mean
 * rate: a producer's rate, an application's records offered over the run), counts and peaks. With reshards, the
 * routing is the one at the end of the run (over the shards open then).
 */
function shardResults(model: Model, stream: Stream): ShardResult[] {
  const expected = new Float64Array(stream.shardCount);
  let totalRate = 0;
  const add = (shares: Float64Array, r: number) => {
    totalRate += r;
    shares.forEach((s, i) => (expected[i]! += s * r));
  };
  for (const { model: p, stream: to } of model.producers) if (to === stream) add(p.traffic.routing.shares, p.traffic.rate.meanRate(model.duration));
  for (const w of model.writers) if (w.stream === stream) add(w.routing.shares, w.stats.offered / (model.duration / 1e6));
  // A stream that reshards has no one routing for the run: its shards' shares are what they took after warmup.
  const resharded = stream.reshardsDuringRun;
  const taken = resharded ? sum(stream.acceptedRecords) : 0;
  return stream.ranges.map((range, i) => ({
    id: stream.shardIds[i]!,
    startingHashKey: range.start.toString(),
    endingHashKey: range.end.toString(),
    expectedShare: resharded ? (taken > 0 ? stream.acceptedRecords[i]! / taken : 0) : totalRate > 0 ? expected[i]! / totalRate : 0,
    // The writers' routings are those of the shards open at the end (routeOpen): a closed shard's share is 0.
    ...(resharded ? { routedShareAtEnd: totalRate > 0 ? expected[i]! / totalRate : 0 } : {}),
    ...(resharded ? { life: shardLife(stream, i, model.duration) } : {}),
    incomingRecords: stream.acceptedRecords[i]!,
    incomingUsers: stream.acceptedUsers[i]!,
    incomingBytes: stream.acceptedBytes[i]!,
    throttledRecords: stream.throttledRecords[i]!,
    throttledByRecordLimit: stream.throttledByRecords[i]!,
    throttledByByteLimit: stream.throttledByBytes[i]!,
    peakIncoming: {
      at: stream.incomingPeak.peakAt[i]!,
      records: stream.incomingPeak.peakRecords[i]!,
      bytes: stream.incomingPeak.peakBytes[i]!,
      utilisation: stream.incomingPeak.peakUtilisation[i]!,
    },
    peakOffered: {
      at: stream.offeredPeak.peakAt[i]!,
      records: stream.offeredPeak.peakRecords[i]!,
      bytes: stream.offeredPeak.peakBytes[i]!,
      utilisation: stream.offeredPeak.peakUtilisation[i]!,
    },
    demand: demandOf(stream, i, model.warmup, model.duration),
    storedRecords: stream.storedRecords[i]!,
  }));
}

/**
 * A shard's demand after warmup: the records and bytes its writers' first attempts offered, and their utilisation of
 * the shard's tighter limit per second of its life after warmup (the whole time after warmup, unless it resharded).
 */
function demandOf(stream: Stream, i: number, warmup: number, duration: number): ShardResult["demand"] {
  const l = stream.lives[i]!;
  const seconds = (Math.min(l.closedAt ?? duration, duration) - Math.max(l.openedAt, warmup)) / 1e6;
  const records = stream.demandRecords[i]!;
  const bytes = stream.demandBytes[i]!;
  const utilisation = seconds > 0 ? Math.max(records / seconds / SHARD_WRITE_RECORDS_PER_SECOND, bytes / seconds / SHARD_WRITE_BYTES_PER_SECOND) : 0;
  return { records, bytes, utilisation };
}

/**
 * A resharded stream's shard over the run: when it opened and closed, its parents, and — for a closed shard whose
 * records all passed the retention period before the run ended — when it expired (ListShards no longer lists it).
 */
function shardLife(stream: Stream, i: number, duration: number): NonNullable<ShardResult["life"]> {
  const l = stream.lives[i]!;
  const expiredAt = l.closedAt !== null && l.closedAt + stream.retention <= duration ? l.closedAt + stream.retention : undefined;
  return { openedAt: l.openedAt, closedAt: l.closedAt, parents: l.parents.map((p) => stream.shardIds[p]!), ...(expiredAt !== undefined ? { expiredAt } : {}) };
}

/**
 * The stream's reshards with the shards they closed and opened, and the open shards after each. One still in progress
 * at the end (it completes after the run) closed and opened nothing within the run: its open shards are those at the
 * end, and `closing`/`opening` say what it does when it completes.
 */
function reshardResults(stream: Stream, duration: number, resolution: number): ReshardResult[] {
  // The service runs one reshard at a time and numbers each one's children after those of the reshards before it, so a
  // reshard's children and the open shards after it follow from the ones before it, in order: not from the shards that
  // opened at its completion, which include another's completing at the same instant (helper-68's F3).
  let next = stream.lives.filter((l) => l.parents.length === 0).length;
  let open = next;
  return stream.reshards.map((r, k) => {
    if (r.doneAt > duration) {
      const openAtEnd = stream.lives.filter((l) => l.openedAt <= duration && (l.closedAt === null || l.closedAt > duration)).length;
      return { kind: r.kind, by: r.by, calledAtUs: r.calledAt, doneAtUs: r.doneAt, closed: [], opened: [], openAfter: openAtEnd, inProgressAtEnd: { closing: r.closes.map((i) => stream.shardIds[i]!), opening: r.opens.length } };
    }
    const opened = r.opens.map((_, i) => next + i);
    next += r.opens.length;
    open += r.opens.length - r.closes.length;
    const openAfter = open;
    // What the new shards of each shard it closed took together, in their busiest step of the minute after it completed
    // (to the next reshard's call), and the attempts they throttled then.
    const until = Math.min(r.doneAt + 60_000_000, stream.reshards[k + 1]?.calledAt ?? Infinity, duration);
    const from = Math.floor(r.doneAt / resolution);
    const steps = Math.max(0, Math.min(Math.ceil(until / resolution), stream.incomingRecordsSeries.points) - from);
    const byParent = r.closes.map((parent) => {
      const rows = opened.filter((i) => stream.lives[i]!.parents.includes(parent)).map((i) => ({ records: stream.incomingRecordsSeries.row(i), bytes: stream.incomingBytesSeries.row(i), throttled: stream.throttledSeries.row(i) }));
      const peak = { parent: stream.shardIds[parent]!, recordsPerSecond: 0, bytesPerSecond: 0, throttledRecords: 0 };
      for (let p = from; p < from + steps; p++) {
        let records = 0;
        let bytes = 0;
        for (const row of rows) {
          records += row.records[p]!;
          bytes += row.bytes[p]!;
          peak.throttledRecords += row.throttled[p]!;
        }
        peak.recordsPerSecond = Math.max(peak.recordsPerSecond, (records * 1e6) / resolution);
        peak.bytesPerSecond = Math.max(peak.bytesPerSecond, (bytes * 1e6) / resolution);
      }
      return peak;
    });
    // A new shard with several parents (a merge; UpdateShardCount's children across two parents): its load is not one parent's.
    const single = opened.every((i) => stream.lives[i]!.parents.length === 1);
    const openedLoad = { spanUs: steps * resolution, byParent: single ? byParent : null };
    return { kind: r.kind, by: r.by, calledAtUs: r.calledAt, doneAtUs: r.doneAt, closed: r.closes.map((i) => stream.shardIds[i]!), opened: opened.map((i) => stream.shardIds[i]!), openAfter, openedLoad };
  });
}

/**
 * The resharding calls the service refused at run time, by the scenario or the on-demand service: an autoscaling
 * policy's refused calls are its scaling events (the autoscaling section's), not repeated here.
 */
function refusedResults(stream: Stream): Pick<StreamRun, "refusedReshards"> {
  const policies = new Set(stream.policies.map((p) => p.name));
  const refused = stream.refusedReshards.filter((x) => !policies.has(x.by)).map(({ at, ...x }) => ({ ...x, atUs: at }));
  return refused.length > 0 ? { refusedReshards: refused } : {};
}

/**
 * When the on-demand service's splits stopped at the mode's ceiling (src/model/scaling/onDemand.ts), times in µs, with
 * the scenario's `region` (us-east-1 when it states none) whose documented maximum it is, or that the scenario raised it
 * (stream.onDemand.maxWriteThroughput above the Region's); nothing when they never did.
 */
function ceilingResult(stream: Stream, stated: string | undefined): Pick<StreamRun, "onDemandCeiling"> {
  if (!stream.onDemandCeiling) return {};
  const { at, ...c } = stream.onDemandCeiling;
  const region = stated ?? DEFAULT_REGION;
  const raised = c.by === "on-demand maximum" && c.bytesPerSecond > onDemandDefaultMaxWrite(region);
  return { onDemandCeiling: { ...c, atUs: at, region, regionStated: stated !== undefined, raised } };
}

/** Per step, the highest shard utilisation (accepted load): max over shards of max(records/limit, bytes/limit) per second. */
function maxShardUtilisation(stream: Stream, resolution: number): number[] {
  const rs = stream.incomingRecordsSeries;
  const bs = stream.incomingBytesSeries;
  const stepSeconds = resolution / 1e6;
  const maxUtil = new Array<number>(rs.points).fill(0);
  for (let s = 0; s < stream.shardCount; s++) {
    const r = rs.row(s);
    const b = bs.row(s);
    for (let i = 0; i < rs.points; i++) {
      const u = Math.max(r[i]! / (SHARD_WRITE_RECORDS_PER_SECOND * stepSeconds), b[i]! / (SHARD_WRITE_BYTES_PER_SECOND * stepSeconds));
      if (u > maxUtil[i]!) maxUtil[i] = u;
    }
  }
  return maxUtil;
}

function producerResult(w: WiredProducer, durationUs: number): ProducerResult {
  const p = w.model;
  const stream = w.stream;
  return {
    name: p.name,
    client: p.spec.client,
    group: p.spec.name,
    ...(stream ? { stream: stream.name } : {}),
    instances: p.spec.instances,
    keys: p.traffic.keyDescription,
    topKeys: p.traffic.topKeys.map((k) => ({ key: k.key, share: k.share, shard: stream!.shardIds[k.shard]! })),
    offered: p.stats.offered,
    accepted: p.stats.accepted,
    lost: { throttledPastRetries: p.stats.lostRetriesExhausted, tooLarge: p.stats.lostTooLarge, expiredKplTtl: p.stats.lostExpired, failedThrottled: p.stats.lostThrottled },
    lostAfterWarmupByReason: {
      throttledPastRetries: p.stats.lostRetriesExhaustedAfterWarmup,
      tooLarge: p.stats.lostTooLargeAfterWarmup,
      expiredKplTtl: p.stats.lostExpiredAfterWarmup,
      failedThrottled: p.stats.lostThrottledAfterWarmup,
    },
    inFlight: { buffered: p.stats.buffered, awaitingRetry: p.stats.awaitingRetry },
    ...(p.stats.wrongShard > 0 ? { wrongShard: { sentAgain: p.stats.wrongShard, writtenAgain: p.stats.writtenAgain } } : {}),
    attempts: p.stats.attempts,
    throttledAttempts: p.stats.throttledAttempts,
    retriedRecords: p.stats.retriedRecords,
    offeredAfterWarmup: p.stats.offeredAfterWarmup,
    acceptedAfterWarmup: p.stats.acceptedAfterWarmup,
    offeredKinesisAfterWarmup: p.stats.offeredKinesisAfterWarmup,
    offeredWriteBytesAfterWarmup: p.stats.offeredWriteBytesAfterWarmup,
    lostAfterWarmup: p.stats.lostAfterWarmup,
    requests: p.stats.requests,
    putLatency: p.putLatency.summary(),
    putLatencyCdf: p.putLatency.cdf(),
    clientMetrics: p.clientMetrics(),
    ...(p.connectionUse && p.putLatencyWaits ? { connections: { ...p.connectionUse(), wait: p.putLatencyWaits.summary() } } : {}),
    ...(w.trace ? { trace: traceSummary(p.spec, w.trace, durationUs) } : {}),
  };
}

function traceSummary(spec: ProducerSpec, trace: NonNullable<WiredProducer["trace"]>, durationUs: number): TraceSummary {
  const rate = spec.rate;
  if (rate.shape !== "trace") throw new Error("traceSummary: not a trace rate");
  const records = trace.records.reduce((a, b) => a + b, 0);
  const bytes = trace.bytes ? trace.bytes.reduce((a, b) => a + b, 0) : null;
  const replayed = replayedPeriods(trace, rate.repeat, durationUs);
  return {
    replayed: {
      periods: replayed.periods,
      lastPeriodUs: replayed.lastPeriodUs,
      records: replayed.records,
      meanRecordBytes: replayed.bytes !== null && replayed.records > 0 ? replayed.bytes / replayed.records : null,
    },
    file: rate.file,
    periods: trace.records.length,
    periodUs: trace.periodUs,
    records,
    meanRecordBytes: bytes !== null && records > 0 ? bytes / records : null,
    scale: rate.scale,
    within: rate.within,
    peakToMean: rate.peakToMean,
    repeat: rate.repeat,
    sizesFromTrace: spec.recordSize === undefined,
  };
}
