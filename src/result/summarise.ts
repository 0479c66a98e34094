// From a finished model to a RunResult: plain data (numbers and arrays), accounting checked for the producers,
// the stream, every consumer and every delivery stream; the shards with their share and peaks, the producers,
// series, the hottest shards' series and the heatmap, consumers, delivery streams and the monthly cost.

import { sum } from "d3-array";
import { DEFAULT_MAX_RECORD_SIZE, DEFAULT_WRITE_BURST_SECONDS, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import { LatencyHistogram } from "../metrics/latency.js";
import { seriesPoints } from "../metrics/series.js";
import type { Model, WiredProducer } from "../model/build.js";
import type { Stream } from "../model/kinesis/stream.js";
import type { ProducerSpec } from "../spec/index.js";
import { account, AccountingError } from "./accounting.js";
import { consumerResult } from "./consumers.js";
import { costOf } from "./cost.js";
import { firehoseResult } from "./firehose.js";
import { emptyHeatmap, heatmapOf } from "./heatmap.js";
import { hottestFirst } from "./hotShards.js";
import type { ProducerResult, RunResult, ShardResult, TraceSummary } from "./runResult.js";

export interface SummariseOptions {
  /** How many hot shards get their own series in the result. */
  hotShards?: number;
}

export function summarise(model: Model, options: SummariseOptions = {}): RunResult {
  const { scenario, stream, duration, warmup, resolution } = model;
  const producers = model.producers.map((p) => p.model);
  const accounting = account(producers);
  const acceptedByStream = sum(model.producers, (p) => (p.toStream ? p.model.stats.accepted : 0));
  const storedTotal = stream ? sum(stream.storedUsers) : 0;
  if (storedTotal !== acceptedByStream) {
    throw new AccountingError(`shards stored ${storedTotal} records but producers saw ${acceptedByStream} accepted`);
  }
  const firehose = model.firehoses.map((f) =>
    firehoseResult(
      f,
      model.producers.filter((p) => p.model.spec.client !== "kpl" && (p.model.spec as { deliveryStream?: string }).deliveryStream === f.name).map((p) => p.model),
      stream,
    ),
  );
  const shards = stream ? shardResults(model, stream) : [];
  const allPut = new LatencyHistogram();
  for (const p of producers) allPut.add(p.putLatency);
  const consumers = model.consumers.map((c) => consumerResult(c, stream!, resolution));
  const points = seriesPoints(duration, resolution);
  const zeros = () => new Array<number>(points).fill(0);
  const hotCount = stream ? Math.min(options.hotShards ?? 5, stream.shardCount) : 0;
  return {
    scenario,
    seed: model.seed,
    durationUs: duration,
    warmupUs: warmup,
    resolutionUs: resolution,
    granularity: scenario.fidelity.granularity,
    windowUs: scenario.fidelity.window,
    stream: {
      declared: stream !== undefined,
      name: stream?.name ?? "",
      shardCount: stream?.shardCount ?? 0,
      writeBurstSeconds: stream?.writeBurstSeconds ?? DEFAULT_WRITE_BURST_SECONDS,
      maxRecordSize: stream?.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE,
      limits: { bytesPerSecond: SHARD_WRITE_BYTES_PER_SECOND, recordsPerSecond: SHARD_WRITE_RECORDS_PER_SECOND },
    },
    shards,
    producers: model.producers.map((p) => producerResult(p, stream)),
    putLatency: allPut.summary(),
    putLatencyCdf: allPut.cdf(),
    accounting,
    series: stream
      ? {
          incomingRecords: Array.from(stream.incomingRecordsSeries.total()),
          incomingBytes: Array.from(stream.incomingBytesSeries.total()),
          throttledRecords: Array.from(stream.throttledSeries.total()),
          maxShardUtilisation: maxShardUtilisation(stream, resolution),
        }
      : { incomingRecords: zeros(), incomingBytes: zeros(), throttledRecords: zeros(), maxShardUtilisation: zeros() },
    hotShardSeries: stream
      ? hottestFirst(shards)
          .slice(0, hotCount)
          .map((i) => ({
            shard: stream.shardIds[i]!,
            incomingRecords: Array.from(stream.incomingRecordsSeries.row(i)),
            incomingBytes: Array.from(stream.incomingBytesSeries.row(i)),
            throttledRecords: Array.from(stream.throttledSeries.row(i)),
          }))
      : [],
    heatmap: stream ? heatmapOf(stream, shards, resolution) : emptyHeatmap(points, resolution),
    consumers,
    firehose,
    cost: costOf(model, consumers, firehose),
    shardReads:
      stream && model.consumers.some((c) => c.spec.kind === "kcl")
        ? stream.shardIds.map((_, i) => ({ getRecordsCalls: stream.getRecordsCalls[i]!, throttled: stream.readThrottled[i]!, bytes: stream.bytesRead[i]! }))
        : [],
    engine: { events: model.sim.eventsProcessed, batches: stream?.batchesOffered ?? 0 },
  };
}

/** Each shard's expected share of the traffic (from the key populations' routing, weighted by each producer's mean rate), counts and peaks. */
function shardResults(model: Model, stream: Stream): ShardResult[] {
  const expected = new Float64Array(stream.shardCount);
  let totalRate = 0;
  for (const { model: p } of model.producers) {
    const r = p.traffic.rate.meanRate(model.duration);
    totalRate += r;
    p.traffic.routing.shares.forEach((s, i) => (expected[i]! += s * r));
  }
  return stream.ranges.map((range, i) => ({
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

function producerResult(w: WiredProducer, stream: Stream | undefined): ProducerResult {
  const p = w.model;
  return {
    name: p.name,
    client: p.spec.client,
    instances: p.spec.instances,
    keys: p.traffic.keyDescription,
    topKeys: p.traffic.topKeys.map((k) => ({ key: k.key, share: k.share, shard: stream!.shardIds[k.shard]! })),
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
    ...(w.trace ? { trace: traceSummary(p.spec, w.trace) } : {}),
  };
}

function traceSummary(spec: ProducerSpec, trace: NonNullable<WiredProducer["trace"]>): TraceSummary {
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
