// Wires a scenario's model on the engine and runs it: stream → producers → virtual time → RunResult.

import { max, sum } from "d3-array";
import { RandomStream } from "../engine/random.js";
import { Simulator } from "../engine/simulator.js";
import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";
import { KclApplication } from "./kcl/application.js";
import type { Batch } from "./batch.js";
import { LatencyHistogram } from "../metrics/latency.js";
import { chooseResolution } from "../metrics/series.js";
import { deliveryStreamOf, StreamSchema, type Scenario } from "../spec/index.js";
import {
  FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND,
  FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND,
  FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
} from "../aws/limits.js";
import type { Accounting, ConsumerResult, FirehoseResult, RunResult, ShardResult, TraceSummary } from "../result/runResult.js";
import { DeliveryStream } from "./firehose/deliveryStream.js";
import type { Transform } from "./firehose/transform.js";
import type { PutTarget } from "./putTarget.js";
import { KplProducer } from "./producers/kpl.js";
import type { ProducerContext, ProducerModel } from "./producers/producer.js";
import { PutClientProducer } from "./producers/putClient.js";
import type { Trace } from "../workload/trace.js";
import { Stream } from "./kinesis/stream.js";
import { hottestFirst } from "../result/hotShards.js";
import { monthlyCost, PRICES_VERSION } from "../aws/prices.js";

export class AccountingError extends Error {}

export interface SimulateOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** How many hot shards get their own series in the result. */
  hotShards?: number;
  /** Traffic traces by the `rate.file` that names them (see src/scenario/traces.ts resolveTraces). */
  traces?: ReadonlyMap<string, Trace>;
}

export function createProducer(spec: Scenario["producers"][number], ctx: ProducerContext): ProducerModel {
  return spec.client === "kpl" ? new KplProducer(spec, ctx) : new PutClientProducer(spec, ctx);
}

function traceFor(traces: ReadonlyMap<string, Trace> | undefined, file: string, producer: string): Trace {
  const t = traces?.get(file);
  if (!t) throw new Error(`producer ${producer}: the trace ${file} was not loaded (resolveTraces before simulate)`);
  return t;
}

function traceSummary(spec: Scenario["producers"][number], trace: Trace): TraceSummary {
  const rate = spec.rate;
  if (rate.shape !== "trace") throw new Error("traceSummary: not a trace rate");
  const records = trace.records.reduce((a, b) => a + b, 0);
  const bytes = trace.bytes ? trace.bytes.reduce((a, b) => a + b, 0) : null;
  return {
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

export function simulate(scenario: Scenario, options: SimulateOptions = {}): RunResult {
  const seed = options.seed ?? scenario.seed;
  const duration = scenario.duration;
  const warmup = scenario.warmup;
  const resolution = chooseResolution(duration);
  const sim = new Simulator();
  const root = RandomStream.root(seed);
  // Without a stream (every producer writes to Firehose with Direct PUT) an idle one-shard stand-in keeps the
  // wiring uniform; the result leaves it out.
  const declared = scenario.stream !== undefined;
  const streamSpec = scenario.stream ?? StreamSchema.parse({ name: "none", shards: 1 });
  const streamName = declared ? (streamSpec.name ?? scenario.name) : undefined;
  const keepRecords = scenario.consumers.length > 0 || scenario.firehose.some((f) => f.source === streamName);
  const stream = new Stream(streamSpec, scenario.name, duration, resolution, warmup, { keepRecords });
  const firehoses = scenario.firehose.map(
    (spec) => new DeliveryStream(spec, { sim, rng: root.fork(`firehose:${spec.name}`), warmup, duration, resolution, stream, faults: scenario.faults }),
  );
  const targetOf = (spec: Scenario["producers"][number]): PutTarget => {
    const target = deliveryStreamOf(spec);
    if (target === undefined) return stream;
    return firehoses.find((f) => f.name === target)!.directPut!;
  };
  const producers = scenario.producers.map((spec) =>
    createProducer(spec, {
      sim,
      target: targetOf(spec),
      rng: root.fork(`producer:${spec.name}`),
      duration,
      warmup,
      granularity: scenario.fidelity.granularity,
      window: scenario.fidelity.window,
      trace: spec.rate.shape === "trace" ? traceFor(options.traces, spec.rate.file, spec.name) : undefined,
    }),
  );
  const consumers = scenario.consumers.map(
    (spec) => new KclApplication(spec, { sim, stream, rng: root.fork(`consumer:${spec.name}`), duration, warmup, resolution }),
  );
  for (const p of producers) p.start();
  for (const c of consumers) c.start();
  for (const f of firehoses) f.start();
  for (const f of scenario.faults) {
    if (f.kind !== "worker-crash" && f.kind !== "worker-restart") continue; // delivery stream faults: DeliveryStream
    const app = consumers.find((c) => c.name === f.consumer)!;
    sim.scheduleAt(f.at, (t) => (f.kind === "worker-crash" ? app.crash(f.workers) : app.restart(f.workers, t)));
  }
  if (consumers.length > 0 || firehoses.length > 0) scheduleSecondTicks(sim, stream, consumers, firehoses, duration);
  if (scenario.fidelity.granularity === "batch") {
    scheduleWindows(sim, producers.map((p, i) => ({ producer: p, target: targetOf(scenario.producers[i]!) })), scenario.fidelity.window, duration);
  }
  sim.runUntil(duration);
  stream.finish();
  for (const p of producers) p.finish?.();
  for (const c of consumers) {
    c.sampleAges(duration);
    c.finish(duration);
  }

  const accounting = account(producers);
  if (!accounting.balanced) {
    throw new AccountingError(
      `accounting does not balance: offered ${accounting.offered} ≠ accepted ${accounting.accepted} + in flight ` +
        `${accounting.inFlight.buffered + accounting.inFlight.awaitingRetry} + lost ${accounting.lost.throttledPastRetries + accounting.lost.tooLarge}`,
    );
  }
  const storedTotal = sum(stream.storedUsers);
  const acceptedByStream = sum(producers, (p, i) => (targetOf(scenario.producers[i]!) === stream ? p.stats.accepted : 0));
  if (storedTotal !== acceptedByStream) {
    throw new AccountingError(`shards stored ${storedTotal} records but producers saw ${acceptedByStream} accepted`);
  }
  const firehoseResults = firehoses.map((f) => firehoseResult(f, producers.filter((_, i) => scenario.producers[i]!.client !== "kpl" && (scenario.producers[i] as { deliveryStream?: string }).deliveryStream === f.name), stream));

  // Expected share of each shard in the stream's traffic, weighted by each producer's mean rate.
  const expected = new Float64Array(stream.shardCount);
  let totalRate = 0;
  for (const p of producers) {
    const r = p.rate.meanRate(duration);
    totalRate += r;
    p.routing.shares.forEach((s, i) => (expected[i]! += s * r));
  }
  const shards: ShardResult[] = stream.ranges.map((range, i) => ({
    id: stream.shardIds[i]!,
    startingHashKey: range.start.toString(),
    endingHashKey: range.end.toString(),
    expectedShare: totalRate > 0 ? expected[i]! / totalRate : 0,
    incomingRecords: stream.acceptedRecords[i]!,
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
    storedRecords: stream.storedRecords[i]!,
  }));

  const allPut = new LatencyHistogram();
  for (const p of producers) allPut.add(p.putLatency);

  // Per step, the highest shard utilisation (accepted load).
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

  const consumerResults = consumers.map((c) => consumerResult(c, stream, resolution));
  const hotCount = Math.min(options.hotShards ?? 5, stream.shardCount);
  const order = hottestFirst(shards);
  const hotShardSeries = order.slice(0, hotCount).map((i) => ({
    shard: stream.shardIds[i]!,
    incomingRecords: Array.from(rs.row(i)),
    incomingBytes: Array.from(bs.row(i)),
    throttledRecords: Array.from(stream.throttledSeries.row(i)),
  }));

  const result: RunResult = {
    scenario,
    seed,
    durationUs: duration,
    warmupUs: warmup,
    resolutionUs: resolution,
    granularity: scenario.fidelity.granularity,
    windowUs: scenario.fidelity.window,
    stream: {
      declared,
      name: stream.name,
      shardCount: stream.shardCount,
      writeBurstSeconds: stream.writeBurstSeconds,
      maxRecordSize: stream.maxRecordSize,
      limits: { bytesPerSecond: SHARD_WRITE_BYTES_PER_SECOND, recordsPerSecond: SHARD_WRITE_RECORDS_PER_SECOND },
    },
    shards,
    producers: producers.map((p) => ({
      name: p.name,
      client: p.spec.client,
      instances: p.spec.instances,
      keys: p.keyDescription,
      topKeys: p.topKeys.map((k) => ({ key: k.key, share: k.share, shard: stream.shardIds[k.shard]! })),
      offered: p.stats.offered,
      accepted: p.stats.accepted,
      lost: { throttledPastRetries: p.stats.lostRetriesExhausted, tooLarge: p.stats.lostTooLarge, expiredKplTtl: p.stats.lostExpired, failedThrottled: p.stats.lostThrottled },
      inFlight: { buffered: p.stats.buffered, awaitingRetry: p.stats.awaitingRetry },
      attempts: p.stats.attempts,
      throttledAttempts: p.stats.throttledAttempts,
      retriedRecords: p.stats.retriedRecords,
      offeredAfterWarmup: p.stats.offeredAfterWarmup,
      offeredKinesisAfterWarmup: p.stats.offeredKinesisAfterWarmup,
      offeredWriteBytesAfterWarmup: p.stats.offeredWriteBytesAfterWarmup,
      lostAfterWarmup: p.stats.lostAfterWarmup,
      requests: p.stats.requests,
      putLatency: p.putLatency.summary(),
      putLatencyCdf: p.putLatency.cdf(),
      clientMetrics: p.clientMetrics(),
      ...(p.spec.rate.shape === "trace" ? { trace: traceSummary(p.spec, traceFor(options.traces, p.spec.rate.file, p.name)) } : {}),
    })),
    putLatency: allPut.summary(),
    putLatencyCdf: allPut.cdf(),
    accounting,
    series: {
      incomingRecords: Array.from(rs.total()),
      incomingBytes: Array.from(bs.total()),
      throttledRecords: Array.from(stream.throttledSeries.total()),
      maxShardUtilisation: maxUtil,
    },
    hotShardSeries,
    heatmap: heatmapOf(stream, shards, resolution),
    consumers: consumerResults,
    firehose: firehoseResults,
    cost: costOf(scenario, stream, producers.filter((_, i) => targetOf(scenario.producers[i]!) === stream), consumerResults, firehoseResults, duration - warmup),
    shardReads: consumers.some((c) => c.spec.kind === "kcl")
      ? stream.shardIds.map((_, i) => ({ getRecordsCalls: stream.getRecordsCalls[i]!, throttled: stream.readThrottled[i]!, bytes: stream.bytesRead[i]! }))
      : [],
    engine: { events: sim.eventsProcessed, batches: stream.batchesOffered },
  };
  return declared ? result : withoutStream(result);
}

/** A run with no Kinesis stream: the idle stand-in's shards and series left out. */
function withoutStream(r: RunResult): RunResult {
  return {
    ...r,
    stream: { ...r.stream, name: "", shardCount: 0 },
    shards: [],
    hotShardSeries: [],
    heatmap: { binSeconds: r.heatmap.binSeconds, shards: [], utilisation: [], throttled: [] },
    shardReads: [],
  };
}

/**
 * Batch granularity: a window clock for the whole stream. At the end of each window every producer hands
 * over its requests, the stream admits them together, and each producer gets its responses.
 */
function scheduleWindows(sim: Simulator, wired: { producer: ProducerModel; target: PutTarget }[], window: Micros, duration: Micros): void {
  let start = 0;
  // Producers grouped by where they write: each target admits its window's offers together.
  const groups: { target: PutTarget; producers: ProducerModel[] }[] = [];
  for (const w of wired) {
    const g = groups.find((x) => x.target === w.target);
    if (g) g.producers.push(w.producer);
    else groups.push({ target: w.target, producers: [w.producer] });
  }
  const batches: Batch[] = [];
  const accepted: number[] = [];
  const tick = (t: Micros) => {
    for (const { target, producers } of groups) {
      const offers = producers.map((p) => p.offerWindow(start, t));
      batches.length = 0;
      let calls = 0;
      for (const reqs of offers) {
        for (const r of reqs) {
          calls += r.calls ?? 1;
          for (const b of r.batches) batches.push(b);
        }
      }
      if (batches.length > 0) {
        target.admitWindow(batches, t, accepted, start, calls);
        let offset = 0;
        producers.forEach((p, i) => (offset = p.settleWindow(offers[i]!, accepted, offset, t)));
      }
    }
    start = t;
    if (t < duration) sim.scheduleAt(Math.min(t + window, duration), tick);
  };
  sim.scheduleAt(Math.min(window, duration), tick);
}

function costOf(scenario: Scenario, stream: Stream, producers: ProducerModel[], consumers: ConsumerResult[], firehose: FirehoseResult[], statUs: Micros): RunResult["cost"] {
  const seconds = statUs / MICROS_PER_SECOND;
  const efo = consumers.filter((c) => c.kind === "fanout");
  const cost = monthlyCost({
    shards: scenario.stream ? stream.shardCount : 0,
    retentionHours: (scenario.stream?.retention ?? 24 * 3_600_000_000) / 3_600_000_000,
    // Each producer counts the 25 KB units of the Kinesis records it got accepted (aggregates included).
    putPayloadUnitsPerSecond: sum(producers, (p) => p.stats.payloadUnits) / seconds,
    writeBytesPerSecond: sum(stream.acceptedBytes) / seconds,
    efoConsumers: efo.length,
    efoBytesPerSecond: sum(efo, (c) => c.bytesRead) / seconds,
    leaseTables: consumers.map((c) => ({
      provisioned: c.leaseTable.provisioned,
      writeUnitsPerSecond: c.leaseTable.writeUnits / seconds,
      readUnitsPerSecond: c.leaseTable.readUnits / seconds,
    })),
    firehose: firehose.map((f) => ({
      name: f.name,
      billedBytesPerSecond: f.incoming.billedBytes / seconds,
      // Objects written to S3: the delivered objects of S3 and the staging objects of Redshift.
      objectsPerSecond: f.destination === "opensearch" ? 0 : f.objects.count / seconds, // after warmup
    })),
  });
  return { ...cost, prices: PRICES_VERSION };
}

export const HEATMAP_SHARDS = 64;
export const HEATMAP_BINS = 120;

function heatmapOf(stream: Stream, shards: ShardResult[], resolution: Micros): RunResult["heatmap"] {
  const points = stream.incomingRecordsSeries.points;
  const per = Math.ceil(points / Math.min(points, HEATMAP_BINS));
  const bins = Math.ceil(points / per);
  const step = resolution / MICROS_PER_SECOND;
  const chosen = hottestFirst(shards).slice(0, HEATMAP_SHARDS).sort((a, b) => a - b);
  const utilisation: number[][] = [];
  const throttled: number[][] = [];
  for (const i of chosen) {
    const r = stream.incomingRecordsSeries.row(i);
    const b = stream.incomingBytesSeries.row(i);
    const t = stream.throttledSeries.row(i);
    const u = new Array<number>(bins).fill(0);
    const th = new Array<number>(bins).fill(0);
    for (let p = 0; p < points; p++) {
      const bin = Math.floor(p / per);
      const x = Math.max(r[p]! / (SHARD_WRITE_RECORDS_PER_SECOND * step), b[p]! / (SHARD_WRITE_BYTES_PER_SECOND * step));
      if (x > u[bin]!) u[bin] = x;
      th[bin]! += t[p]!;
    }
    utilisation.push(u);
    throttled.push(th);
  }
  return { binSeconds: per * step, shards: chosen.map((i) => stream.shardIds[i]!), utilisation, throttled };
}

function consumerResult(c: KclApplication, stream: Stream, resolution: Micros): ConsumerResult {
  const accepted = sum(stream.storedUsers);
  const processed = sum(c.processed);
  const pending = c.pendingGaps();
  const expiredUnread = sum(c.expired) + pending.expired;
  const skipped = sum(c.skipped) + pending.skipped;
  const consumedTotal = sum(c.consumed);
  const unread = accepted - consumedTotal - pending.expired - pending.skipped;
  const balanced = processed + sum(c.expired) + sum(c.skipped) === consumedTotal && unread >= 0;
  if (!balanced) {
    throw new AccountingError(`consumer ${c.name}: processed ${processed} + expired ${expiredUnread} + skipped ${skipped} + unread ${unread} ≠ accepted ${accepted}`);
  }
  const perSecond = (row: Float64Array) => Array.from(row, (x) => x / (resolution / MICROS_PER_SECOND));
  const t = c.table;
  return {
    name: c.name,
    kind: c.spec.kind,
    workers: c.spec.workers,
    accounting: { accepted, processed, unread, expiredUnread, skipped, balanced },
    reprocessed: sum(c.reprocessed),
    getRecordsCalls: c.stats.getRecordsCalls,
    readThrottles: c.stats.readThrottles,
    subscribeCalls: c.stats.subscribeCalls,
    recordsRead: c.stats.recordsRead,
    bytesRead: c.stats.bytesRead,
    endToEnd: c.endToEnd.summary(),
    endToEndCdf: c.endToEnd.cdf(),
    putToProcess: c.putToProcess.summary(),
    maxIteratorAge: max(c.maxAge) ?? 0,
    maxIteratorAgeByShard: Array.from(c.maxAge),
    series: { iteratorAge: Array.from(c.ageSeries), recordsProcessed: Array.from(c.activity.row(0)), readThrottles: Array.from(c.activity.row(1)) },
    leases: {
      takes: c.stats.leaseTakes,
      steals: c.stats.leaseSteals,
      lost: c.stats.leasesLost,
      takesThrottled: c.stats.takesThrottled,
      renewals: c.stats.renewals,
      renewalsThrottled: c.stats.renewalsThrottled,
      checkpoints: c.stats.checkpoints,
      checkpointsThrottled: c.stats.checkpointsThrottled,
      scansThrottled: c.stats.scansThrottled,
      perWorkerAtEnd: c.leasesPerWorker(),
      aliveWorkersAtEnd: c.aliveWorkers(),
    },
    leaseTable: {
      capacity: t.provisioned ? "provisioned" : "onDemand",
      provisioned: t.provisioned,
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
    },
  };
}

/**
 * Once a second: each consumer's iterator ages, and each shard's log compacted to what some consumer may
 * still read (memory stays bounded by the furthest-behind reader and the retention period).
 */
function scheduleSecondTicks(sim: Simulator, stream: Stream, consumers: KclApplication[], firehoses: DeliveryStream[], duration: Micros): void {
  const logs = stream.logs;
  const readers = [...consumers, ...firehoses.flatMap((f) => (f.reader ? [f.reader] : []))];
  const tick = (t: Micros) => {
    for (const c of consumers) c.sampleAges(t);
    for (const f of firehoses) f.sample(t);
    if (logs) {
      for (let s = 0; s < logs.length; s++) {
        let need = Infinity;
        for (const r of readers) need = Math.min(need, r.neededFrom(s));
        logs[s]!.compact(need);
      }
    }
    if (t + MICROS_PER_SECOND <= duration) sim.scheduleAt(t + MICROS_PER_SECOND, tick);
  };
  sim.scheduleAt(MICROS_PER_SECOND, tick);
}

function firehoseResult(f: DeliveryStream, writers: ProducerModel[], stream: Stream): FirehoseResult {
  const s = f.stats;
  const inside = f.inside();
  const balanced =
    s.in === s.delivered + inside.transform + inside.buffer + inside.destination + s.droppedByTransform + s.processingFailed + s.gaveUp + s.expired;
  if (!balanced) {
    throw new AccountingError(
      `delivery stream ${f.name}: in ${s.in} ≠ delivered ${s.delivered} + inside ${inside.transform + inside.buffer + inside.destination} + dropped ${s.droppedByTransform} + processing-failed ${s.processingFailed} + given up ${s.gaveUp} + expired ${s.expired}`,
    );
  }
  if (f.directPut) {
    const accepted = sum(writers, (p) => p.stats.accepted);
    if (accepted !== s.in) throw new AccountingError(`delivery stream ${f.name}: producers saw ${accepted} records accepted, ${s.in} entered`);
  }
  const r = f.reader;
  if (r) {
    const unread = r.unread();
    if (r.read + unread + r.expiredUnread !== sum(stream.storedUsers)) {
      throw new AccountingError(`delivery stream ${f.name}: read ${r.read} + unread ${unread} + expired ${r.expiredUnread} ≠ stream accepted ${sum(stream.storedUsers)}`);
    }
  }
  const t = f.transform;
  const dp = f.directPut;
  return {
    name: f.name,
    source: f.spec.source,
    destination: f.spec.destination.kind,
    buffer: { sizeBytes: f.spec.buffer.size, intervalUs: f.spec.buffer.interval },
    accounting: {
      in: s.in,
      delivered: s.delivered,
      inside,
      droppedByTransform: s.droppedByTransform,
      processingFailed: s.processingFailed,
      gaveUp: s.gaveUp,
      expired: s.expired,
      balanced,
    },
    incoming: { records: s.inAfterWarmup, bytes: s.inBytesAfterWarmup, billedBytes: s.billedBytesAfterWarmup },
    delivered: { records: s.deliveredAfterWarmup, bytes: s.deliveredBytesAfterWarmup },
    notDelivered: s.notDeliveredAfterWarmup,
    directPut: dp
      ? {
          offered: dp.offered,
          throttled: dp.throttled,
          calls: dp.calls,
          throttledCalls: dp.throttledCalls,
          quotas: f.spec.quotas ?? { records: FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND, requests: FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND, bytes: FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND },
        }
      : null,
    sourceRead: r
      ? { read: r.read, unread: r.unread(), expiredUnread: r.expiredUnread, getRecordsCalls: r.calls, throttledCalls: r.throttledCalls, bytesRead: r.bytesRead }
      : null,
    flushes: { ...s.flushes },
    objects: { count: f.objectBytes.count, bytes: f.objectBytes.summary(), records: f.objectRecords.summary() },
    failedAttempts: s.failedAttempts,
    copies: { count: s.copies, objects: s.objectsCopied },
    deliveryLatency: f.deliveryLatency.summary(),
    deliveryLatencyCdf: f.deliveryLatency.cdf(),
    maxDataFreshness: f.maxFreshness,
    transform: t ? transformResult(t) : null,
    series: {
      incomingRecords: Array.from(f.series.row(0)),
      incomingBytes: Array.from(f.series.row(1)),
      deliveredRecords: Array.from(f.series.row(2)),
      flushesBySize: Array.from(f.series.row(3)),
      flushesByInterval: Array.from(f.series.row(4)),
      bufferBytes: Array.from(f.bufferBytesSeries),
      destinationBytes: Array.from(f.destinationBytesSeries),
      dataFreshness: Array.from(f.freshnessSeries),
      throttledRecords: Array.from(dp ? dp.throttledSeries.row(0) : new Float64Array(f.series.points)),
    },
  };
}

function account(producers: ProducerModel[]): Accounting {
  const a: Accounting = {
    offered: 0,
    accepted: 0,
    inFlight: { buffered: 0, awaitingRetry: 0 },
    lost: { throttledPastRetries: 0, tooLarge: 0, expiredKplTtl: 0, failedThrottled: 0 },
    balanced: false,
  };
  for (const p of producers) {
    a.offered += p.stats.offered;
    a.accepted += p.stats.accepted;
    a.inFlight.buffered += p.stats.buffered;
    a.inFlight.awaitingRetry += p.stats.awaitingRetry;
    a.lost.throttledPastRetries += p.stats.lostRetriesExhausted;
    a.lost.tooLarge += p.stats.lostTooLarge;
    a.lost.expiredKplTtl += p.stats.lostExpired;
    a.lost.failedThrottled += p.stats.lostThrottled;
  }
  const lost = a.lost.throttledPastRetries + a.lost.tooLarge + a.lost.expiredKplTtl + a.lost.failedThrottled;
  a.balanced = a.offered === a.accepted + a.inFlight.buffered + a.inFlight.awaitingRetry + lost;
  return a;
}

function transformResult(t: Transform): NonNullable<FirehoseResult["transform"]> {
  const { busyTime, ...counts } = t.stats;
  return { ...counts, concurrency: t.concurrency, meanDurationUs: counts.invocations > 0 ? busyTime / counts.invocations : 0 };
}
