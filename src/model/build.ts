// Wires a parsed Scenario into a model on the engine (the ns-3 "helper"): the stream, the Firehose delivery
// streams, the producers (each writing to the stream or to a delivery stream with Direct PUT), the consumer
// applications, the fault schedule, and the clocks that drive them (the producers' window clock at batch
// granularity, and a once-a-second tick for iterator ages, DataFreshness and log compaction).
//
// Construction order is part of the result: components fork their random streams from the run seed by name,
// and events scheduled for the same instant run in the order they were scheduled. Keep the order below.

import { RandomStream } from "../engine/random.js";
import { Simulator } from "../engine/simulator.js";
import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";
import { chooseResolution, seriesPoints } from "../metrics/series.js";
import { consumerStream, deliveryStreamOf, inflow, outputOf, producerStreams, streamsOf, type Flow, type Scenario, type StreamSpec, type AutoscalingSpec, onDemandMaxWrite, uniformScalingDuration, warmShards } from "../spec/index.js";
import type { Trace } from "../workload/trace.js";
import { checkBatchSplits, type Batch } from "./batch.js";
import { DeliveryStream } from "./firehose/deliveryStream.js";
import { KclApplication } from "./kcl/application.js";
import type { ConsumerApp } from "./kcl/consumerApp.js";
import { LambdaConsumer } from "./lambda/eventSourceMapping.js";
import { KPL_AGGREGATE_PARTITION_KEY } from "./lambda/keyLanes.js";
import { StreamProcessor } from "./processors/streamProcessor.js";
import { callOn, Stream, TOTALS, type ScheduledReshard } from "./kinesis/stream.js";
import { createScalingPolicy, schedulePolicy } from "./scaling/policy.js";
import { OnDemandCapacity, scheduleOnDemand } from "./scaling/onDemand.js";
import type { MinuteMetrics, ScalingStream } from "./scaling/types.js";
import { rateModel } from "../workload/rate.js";
import { sizeModel } from "../workload/recordSize.js";
import { traceMeanRecordSize } from "../workload/trace.js";
import { MAX_SHARDS_PER_STREAM, onDemandMaxShards, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND, UPDATE_SHARD_COUNT_MAX_FACTOR, UPDATE_SHARD_COUNT_PER_24H } from "../aws/limits.js";
import { ShardMap } from "../aws/shardMap.js";
import { KplProducer } from "./producers/kpl.js";
import type { ProducerModel } from "./producers/producer.js";
import { PutClientProducer } from "./producers/putClient.js";
import { StreamWriter } from "./producers/streamWriter.js";
import { sizeOrigins, WrittenBilling } from "./producers/writtenSizes.js";
import { Sink } from "./sinks/sink.js";
import type { PutTarget } from "./putTarget.js";

export interface BuildOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Traffic traces by the `rate.file` that names them (see src/scenario/traces.ts resolveTraces). */
  traces?: ReadonlyMap<string, Trace>;
  /** Check the engine's invariants and every batch split as the run goes (slower; the property tests' debug mode). */
  checks?: boolean;
}

/** A producer group (or, for a group writing to several streams, its part for one stream) and where it writes. */
export interface WiredProducer {
  model: ProducerModel;
  target: PutTarget;
  /** The Kinesis stream it writes to; undefined when it writes to a delivery stream with Direct PUT. */
  stream: Stream | undefined;
  /** True when it writes to a Kinesis stream (not to a delivery stream with Direct PUT). */
  toStream: boolean;
  trace?: Trace;
}

/** A scenario's components on one simulator, ready to run. */
export interface Model {
  scenario: Scenario;
  seed: number;
  sim: Simulator;
  duration: Micros;
  warmup: Micros;
  /** Series resolution (1 s for short runs, coarser for long ones). */
  resolution: Micros;
  /** The scenario's Kinesis streams in order (none when every producer writes to Firehose with Direct PUT). */
  streams: Stream[];
  /** The first stream (the only one, unless the scenario has `streams:`). */
  stream: Stream | undefined;
  producers: WiredProducer[];
  /** KCL applications and stream processors (Flink, Spark), in the scenario's order. */
  consumers: ConsumerApp[];
  /** Lambda functions reading streams through event source mappings (`kind: lambda`). */
  lambdas: LambdaConsumer[];
  /** What consumer applications write to other streams (`output:`). */
  writers: StreamWriter[];
  /** Where consumer applications emit what they process (`sink:`), in consumer order. */
  sinks: Sink[];
  firehoses: DeliveryStream[];
}

function traceFor(traces: ReadonlyMap<string, Trace> | undefined, file: string, producer: string): Trace {
  const t = traces?.get(file);
  if (!t) throw new Error(`producer ${producer}: the trace ${file} was not loaded (resolveTraces before build)`);
  return t;
}

/**
 * A stream's scheduled splits, merges and UpdateShardCounts in time order, each with how long it keeps the stream
 * UPDATING (stream.reshardDuration; an UpdateShardCount to a multiple of 25% of the open shards is the faster kind).
 * The scenario's rules were checked when it was read (src/spec/reshardRules.ts).
 */
function scheduledReshards(scenario: Scenario, name: string, spec: StreamSpec): ScheduledReshard[] {
  const times = spec.reshardDuration;
  const several = streamsOf(scenario).length > 1;
  let open = spec.shards;
  return scenario.reshards
    .filter((r) => (r.stream ?? (several ? undefined : name)) === name)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.at - b.r.at || a.i - b.i)
    .flatMap(({ r }): ScheduledReshard[] => {
      if (r.kind === "split") {
        open += 1;
        return [{ kind: "split", at: r.at, duration: times.splitMerge, shard: r.shard, hashKey: r.hashKey === undefined ? undefined : BigInt(r.hashKey) }];
      }
      if (r.kind === "merge") {
        open -= 1;
        return [{ kind: "merge", at: r.at, duration: times.splitMerge, shards: r.shards }];
      }
      if (r.kind === "update-shard-count") {
        const duration = uniformScalingDuration(times, open, r.target);
        open = r.target;
        return [{ kind: "update-shard-count", at: r.at, duration, target: r.target }];
      }
      return [];
    });
}

/** A stream's switch-mode and warm-throughput events, in time order (the scenario's rules were checked when it was read). */
function modeEvents(scenario: Scenario, name: string): Extract<Scenario["reshards"][number], { kind: "switch-mode" | "warm-throughput" }>[] {
  const several = streamsOf(scenario).length > 1;
  return scenario.reshards
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => (r.stream ?? (several ? undefined : name)) === name)
    .sort((a, b) => a.r.at - b.r.at || a.i - b.i)
    .flatMap(({ r }) => (r.kind === "switch-mode" || r.kind === "warm-throughput" ? [r] : []));
}

/** The stream as a policy's API calls see it: UpdateShardCount through the stream's rules, and its status. */
function scalingStreamOf(stream: Stream, spec: StreamSpec, by: string, at: (t: Micros, action: () => void) => void): ScalingStream {
  return {
    openShards: () => stream.openShards,
    status: () => stream.status,
    updateShardCount: (target, t) => {
      const open = stream.openShards;
      const duration = uniformScalingDuration(spec.reshardDuration, open, target);
      const r = stream.reshard({ kind: "update-shard-count", at: t, duration, target }, by, at);
      // LimitExceededException covers the 10-per-24h rule and the shard quota; a target outside ½..2× is InvalidArgumentException.
      return r === "ok" ? "ok" : r === "in-use" ? "in-use" : r === "limit-exceeded" || r === "quota" ? "limit-exceeded" : "invalid";
    },
  };
}

/** The stream's CloudWatch metrics per whole minute: 1-minute Sums of the accepted records and bytes and of GetRecords bytes. */
function minuteMetricsOf(stream: Stream, resolution: Micros): MinuteMetrics {
  const perMinute = Math.max(1, Math.round(60 * MICROS_PER_SECOND / resolution));
  const sumOf = (row: number) => (minute: number) => {
    const values = stream.totals.row(row);
    let n = 0;
    for (let i = minute * perMinute; i < (minute + 1) * perMinute && i < values.length; i++) n += values[i]!;
    return n;
  };
  return { incomingRecords: sumOf(TOTALS.records), incomingBytes: sumOf(TOTALS.bytes), getRecordsBytes: sumOf(TOTALS.readBytes) };
}

/** The producers' peak records and bytes per second into a stream (their rate models' peaks, at the mean record size). */
function producersPeak(scenario: Scenario, name: string, spec: StreamSpec, traces: ReadonlyMap<string, Trace> | undefined): { records: number; bytes: number } {
  const duration = scenario.duration;
  let records = 0;
  let bytes = 0;
  for (const p of scenario.producers) {
    const share = producerStreams(scenario, p).find((x) => x.name === name)?.share ?? 0;
    if (share === 0) continue;
    const trace = p.rate.shape === "trace" ? traces?.get(p.rate.file) : undefined;
    const peak = rateModel(p.rate, duration, trace, RandomStream.root(0).fork("bound")).peakRate(duration) * share;
    const size = p.recordSize ? sizeModel(p.recordSize).mean : ((trace ? traceMeanRecordSize(trace, duration) : undefined) ?? spec.maxRecordSize);
    records += peak;
    bytes += peak * size;
  }
  return { records, bytes };
}

/**
 * The peak records and bytes per second written into a stream, for sizing its per-shard arrays: its producers'
 * (producersPeak) and what the applications writing to it (`output:`, StreamWriter) make of the peak into the streams
 * they read, followed up the pipeline (inflow). Peaks are summed as if they coincided; partition keys are left out.
 */
export function writersPeak(scenario: Scenario, name: string, traces: ReadonlyMap<string, Trace> | undefined): Flow {
  const streams = streamsOf(scenario);
  return inflow(scenario, name, (stream) => {
    const spec = streams.find((s) => s.name === stream)?.spec;
    return spec ? producersPeak(scenario, stream, spec, traces) : { records: 0, bytes: 0 };
  });
}

/**
 * How many times what the writers' peak needs at the split triggers the on-demand service may open (a bound of
 * the simulator, not of AWS): splits into whole children overshoot, partition keys count in the offered load the
 * service sees (not in writersPeak), and an application catching up on a backlog writes faster than its peak for a
 * while.
 */
export const ON_DEMAND_SHARD_BOUND_FACTOR = 2;

/**
 * The most shards the on-demand service may hold open on a stream during the run: ON_DEMAND_SHARD_BOUND_FACTOR times
 * what its writers' peak (writersPeak: its producers and the applications writing to it) needs with every shard at the
 * split triggers (500 KB/s, 500 records/s), at most what on-demand's maximum write throughput in the stream's Region
 * needs at 1 MiB/s a shard (onDemandMaxShards: 9,537 for 10 GB/s, 191 for 200 MB/s); at least the shards at the start, which a stream holds even past that ceiling (a
 * stated stream.shards: AWS keeps a provisioned stream's shards at a switch to on-demand); and at least those the warm
 * throughput needs, up to 10,240 for On-demand Advantage's documented 10 GiB/s (which that does not bound:
 * ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND).
 */
function onDemandShardBound(scenario: Scenario, name: string, spec: StreamSpec, warm: number, traces: ReadonlyMap<string, Trace> | undefined): number {
  const { records, bytes } = writersPeak(scenario, name, traces);
  const need = Math.max(bytes / spec.onDemand.splitTrigger, records / spec.onDemand.splitTriggerRecords);
  return Math.max(warmShards(warm), spec.shards, Math.min(onDemandMaxShards(onDemandMaxWrite(spec, scenario.region)), Math.ceil(ON_DEMAND_SHARD_BOUND_FACTOR * need)));
}

/**
 * The most shards an autoscaling policy can open on a stream, for sizing its per-shard arrays: a policy scales up
 * only while the utilisation is above its threshold, and UpdateShardCount at most doubles the open shards, so it
 * stops within twice what its writers' peak (writersPeak: producers and applications) needs at that threshold (or at
 * its maxShards); every call (up or down) opens at most that many children, and a stream takes 10 calls per rolling
 * 24 hours.
 */
function autoscalingShardBound(scenario: Scenario, name: string, spec: StreamSpec, policy: AutoscalingSpec, traces: ReadonlyMap<string, Trace> | undefined): number {
  const duration = scenario.duration;
  const { records, bytes } = writersPeak(scenario, name, traces);
  const need = Math.max(records / SHARD_WRITE_RECORDS_PER_SECOND, bytes / SHARD_WRITE_BYTES_PER_SECOND);
  const threshold = policy.policy === "scaling-utils" ? (policy.scaleUp?.scaleThresholdPct ?? 100) / 100 : policy.scaleUpThreshold;
  const byTraffic = policy.policy === "scaling-utils" && !policy.scaleUp ? spec.shards : UPDATE_SHARD_COUNT_MAX_FACTOR * Math.ceil(need / Math.max(0.01, threshold)) + 1;
  const cap = policy.policy === "scaling-utils" && policy.maxShards !== undefined ? policy.maxShards : MAX_SHARDS_PER_STREAM;
  const open = Math.min(cap, MAX_SHARDS_PER_STREAM, Math.max(spec.shards, byTraffic));
  const calls = UPDATE_SHARD_COUNT_PER_24H * Math.ceil(duration / (24 * 3_600_000_000));
  return calls * open;
}

/** Points of the run's series (per shard and per series step: what their memory grows with). */
export function seriesPointsOf(duration: Micros): number {
  return seriesPoints(duration, chooseResolution(duration));
}

/** Shards that take `records` records/s and `bytes` bytes/s within the shard write limits (at least 1 when there is traffic). */
export function shardsFor(records: number, bytes: number): number {
  return Math.ceil(Math.max(records / SHARD_WRITE_RECORDS_PER_SECOND, bytes / SHARD_WRITE_BYTES_PER_SECOND));
}

/**
 * The shards a stream may have during the run: `shardCapacity` sizes its per-shard arrays (the first shards, those
 * the scheduled reshards open, those a policy may open, and for on-demand twice the most the service may hold open:
 * each split adds at least half the children it creates). Also what `estimate` counts a run's work and memory by.
 */
export function shardPlan(scenario: Scenario, name: string, spec: StreamSpec, traces: ReadonlyMap<string, Trace> | undefined): { onDemand: boolean; maxOpen: number; shardCapacity: number } {
  // A dry run of the scheduled reshards.
  const plan = new ShardMap(spec.shards);
  for (const r of scheduledReshards(scenario, name, spec)) callOn(plan, r);
  plan.complete(Number.POSITIVE_INFINITY);
  const policies = scenario.autoscaling.filter((a) => (a.stream ?? streamsOf(scenario)[0]?.name) === name);
  const policyShards = policies.reduce((n, a) => n + autoscalingShardBound(scenario, name, spec, a, traces), 0);
  // On-demand from the start or after a switch.
  const events = modeEvents(scenario, name);
  const onDemand = spec.mode !== "provisioned" || events.some((e) => e.kind === "switch-mode" && e.mode !== "provisioned");
  const warm = Math.max(spec.onDemand.warmThroughput ?? 0, ...events.map((e) => (e.kind === "warm-throughput" ? e.value : 0)));
  const maxOpen = onDemand ? onDemandShardBound(scenario, name, spec, warm, traces) : 0;
  return { onDemand, maxOpen, shardCapacity: plan.shards.length + policyShards + 2 * maxOpen };
}

export function build(scenario: Scenario, options: BuildOptions = {}): Model {
  const seed = options.seed ?? scenario.seed;
  const { duration, warmup } = scenario;
  const resolution = chooseResolution(duration);
  const sim = new Simulator({ checks: options.checks ?? false });
  checkBatchSplits(options.checks ?? false);
  const root = RandomStream.root(seed);
  // Key names (a shuffled Zipf population's): one stream for the run, so producers and writers naming the same keys agree.
  const keyNames = root.fork("key names");
  const streamsByName = new Map<string, Stream>();
  for (const { name, spec } of streamsOf(scenario)) {
    // A stream keeps its records only when something reads them.
    const keepRecords = scenario.consumers.some((c) => consumerStream(scenario, c) === name) || scenario.firehose.some((f) => f.source === name);
    const reshards = scheduledReshards(scenario, name, spec);
    const policies = scenario.autoscaling.filter((a) => (a.stream ?? streamsOf(scenario)[0]?.name) === name);
    const events = modeEvents(scenario, name);
    const { onDemand, maxOpen, shardCapacity } = shardPlan(scenario, name, spec, options.traces);
    const stream = new Stream({ ...spec, name }, scenario.name, duration, resolution, warmup, {
      keepRecords,
      mergeOldLogEntries: scenario.fidelity.mergeOldLogEntries,
      shardCapacity,
      reshardable: reshards.length > 0 || policies.length > 0 || onDemand,
      ...(scenario.account?.shardQuota !== undefined ? { quota: scenario.account.shardQuota } : {}),
    });
    const at = (t: Micros, action: () => void) => sim.scheduleAt(t, action);
    for (const r of reshards) sim.scheduleAt(r.at, () => stream.reshard(r, "scenario", at));
    if (onDemand) {
      const capacity = new OnDemandCapacity(stream, { ...spec, name }, maxOpen, at, scenario.region);
      scheduleOnDemand(capacity, (t, action) => sim.scheduleAt(t, action), duration);
      for (const e of events) {
        sim.scheduleAt(e.at, (t) => {
          if (e.kind === "switch-mode") {
            stream.modes.push({ at: t, mode: e.mode });
            capacity.switchMode(e.mode, t);
          } else capacity.setWarmThroughput(e.value, t);
        });
      }
    } else {
      for (const e of events) if (e.kind === "switch-mode") sim.scheduleAt(e.at, (t) => void stream.modes.push({ at: t, mode: e.mode }));
    }
    for (const a of policies) {
      const policy = createScalingPolicy(a, scalingStreamOf(stream, spec, a.policy, at), minuteMetricsOf(stream, resolution), a.policy);
      stream.policies.push(policy);
      schedulePolicy(sim, policy, duration);
    }
    streamsByName.set(name, stream);
  }
  const streams = [...streamsByName.values()];
  // The delivery streams reading each Kinesis stream, in the scenario's order: their polls interleave (SourceReader).
  const readersOf = (source: string) => scenario.firehose.filter((f) => streamsByName.has(f.source) && f.source === source);
  const firehoses = scenario.firehose.map((spec) => {
    const readers = readersOf(spec.source);
    const readerPhase = { index: readers.indexOf(spec), of: Math.max(1, readers.length) };
    return new DeliveryStream(spec, { sim, rng: root.fork(`firehose:${spec.name}`), warmup, duration, resolution, stream: streamsByName.get(spec.source), faults: scenario.faults, readerPhase });
  });
  const producers: WiredProducer[] = scenario.producers.flatMap((spec) => {
    const trace = spec.rate.shape === "trace" ? traceFor(options.traces, spec.rate.file, spec.name) : undefined;
    const wire = (target: PutTarget, stream: Stream | undefined, rngName: string, part?: { name: string; share: number }): WiredProducer => {
      const ctx = { sim, target, rng: root.fork(rngName), keyNames, duration, warmup, granularity: scenario.fidelity.granularity, window: scenario.fidelity.window, trace, ...(part ? { part } : {}) };
      const model = spec.client === "kpl" ? new KplProducer(spec, ctx) : new PutClientProducer(spec, ctx);
      return { model, target, stream, toStream: stream !== undefined, ...(trace ? { trace } : {}) };
    };
    const delivery = deliveryStreamOf(spec);
    if (delivery !== undefined) return [wire(firehoses.find((f) => f.name === delivery)!.directPut!, undefined, `producer:${spec.name}`)];
    const parts = producerStreams(scenario, spec);
    if (parts.length === 1 && (spec.client === "sdk" || !spec.streams)) {
      const stream = streamsByName.get(parts[0]!.name)!;
      return [wire(stream, stream, `producer:${spec.name}`)];
    }
    // One model per stream, each with its share of the group's records and its own buffers and limiters.
    return parts.map((p) => {
      const stream = streamsByName.get(p.name)!;
      return wire(stream, stream, `producer:${spec.name}→${p.name}`, { name: `${spec.name} → ${p.name}`, share: p.share });
    });
  });
  // Where each stream's records come from, for what applications writing them on bill (writtenSizes.ts).
  const origins = sizeOrigins(
    producers.flatMap((p) => (p.stream ? [{ stream: p.stream.name, rate: p.model.traffic.rate, sizes: p.model.traffic.sizes }] : [])),
    scenario.consumers.flatMap((c) => {
      const output = outputOf(c);
      return output ? [{ from: consumerStream(scenario, c)!, output }] : [];
    }),
  );
  // What each delivery stream's incoming records bill: the sizes of the producers putting to it, or of those whose
  // records its source stream carries.
  for (const f of firehoses) {
    f.billFrom(
      f.directPut
        ? producers.flatMap((p) => (p.target === f.directPut ? [{ rate: p.model.traffic.rate, sizes: p.model.traffic.sizes, scale: 1, perRecord: 1 }] : []))
        : (origins.get(f.spec.source) ?? []),
    );
  }
  const writers: StreamWriter[] = [];
  // What each application writing to a stream writes a second on average: what reaches the stream it reads, × its recordsPerRecord.
  const writerRates = new Map<StreamWriter, number>();
  // A stream's writers as a Lambda mapping's lanes by partition key need them (asked at its start, when all are built).
  const keyedWriters = (stream: Stream) => () => [
    ...producers.flatMap((p) =>
      p.stream === stream
        ? [
            {
              population: p.model.traffic.population,
              recordsPerSecond: p.model.traffic.rate.meanRate(duration),
              ...(p.model.spec.client === "kpl" && p.model.spec.kpl.aggregationEnabled ? { recordKey: KPL_AGGREGATE_PARTITION_KEY } : {}),
            },
          ]
        : [],
    ),
    ...writers.flatMap((w) => (w.stream === stream ? [{ population: w.population, recordsPerSecond: writerRates.get(w) ?? 0 }] : [])),
  ];
  const lambdas: LambdaConsumer[] = [];
  const sinks: Sink[] = [];
  const consumers = scenario.consumers.flatMap((spec) => {
    if (spec.kind === "lambda") {
      const stream = streamsByName.get(consumerStream(scenario, spec)!)!;
      const sink = spec.sink ? new Sink(spec.name, spec.sink, sim, root.fork(`sink:${spec.name}`), warmup, duration, resolution) : undefined;
      if (sink) sinks.push(sink);
      lambdas.push(new LambdaConsumer(spec, { sim, stream, rng: root.fork(`consumer:${spec.name}`), duration, warmup, resolution, ...(sink ? { sink } : {}) }, scenario.faults, keyedWriters(stream)));
      return [];
    }
    const out = spec.output;
    const outStream = out ? streamsByName.get(out.stream)! : undefined;
    const billing = out ? new WrittenBilling(origins.get(consumerStream(scenario, spec)!) ?? [], out.sizeFactor, outStream!.maxRecordSize, duration) : undefined;
    const writer = out ? new StreamWriter(`${spec.name} → ${out.stream}`, out, outStream!, sim, root.fork(`writer:${spec.name}`), warmup, keyNames, duration, resolution, billing) : undefined;
    if (writer) {
      writers.push(writer);
      const into = (origins.get(consumerStream(scenario, spec)!) ?? []).reduce((n, o) => n + o.rate.meanRate(duration) * o.perRecord, 0);
      writerRates.set(writer, into * out!.recordsPerRecord);
    }
    const stream = streamsByName.get(consumerStream(scenario, spec)!)!;
    const sink = spec.kind !== "flink" && spec.kind !== "spark" && spec.sink ? new Sink(spec.name, spec.sink, sim, root.fork(`sink:${spec.name}`), warmup, duration, resolution) : undefined;
    if (sink) sinks.push(sink);
    const ctx = { sim, stream, rng: root.fork(`consumer:${spec.name}`), duration, warmup, resolution, ...(writer ? { writer } : {}), ...(sink ? { sink } : {}) };
    return [spec.kind === "flink" || spec.kind === "spark" ? new StreamProcessor(spec, ctx) : new KclApplication(spec, ctx)];
  });
  for (const p of producers) p.model.start();
  for (const c of consumers) c.start();
  for (const l of lambdas) l.start();
  for (const f of firehoses) f.start();
  for (const f of scenario.faults) {
    if (f.kind !== "worker-crash" && f.kind !== "worker-restart" && f.kind !== "worker-add" && f.kind !== "kcl-migration") continue; // delivery stream faults: DeliveryStream; function errors: LambdaConsumer
    const app = consumers.find((c): c is KclApplication => c.name === f.consumer && c instanceof KclApplication)!; // the scenario's check: KCL applications only
    sim.scheduleAt(f.at, (t) => {
      if (f.kind === "worker-crash") app.crash(f.workers, t);
      else if (f.kind === "worker-restart") app.restart(f.workers, t);
      else if (f.kind === "worker-add") app.add(f.workers, t);
      else app.migrate(t, f.indexActiveAfter);
    });
  }
  if (consumers.length > 0 || lambdas.length > 0 || firehoses.length > 0) scheduleSecondTicks(sim, streams, [...consumers, ...lambdas], firehoses, duration);
  if (scenario.fidelity.granularity === "batch") scheduleWindows(sim, producers, scenario.fidelity.window, duration);
  return { scenario, seed, sim, duration, warmup, resolution, streams, stream: streams[0], producers, consumers, lambdas, writers, sinks, firehoses };
}

/**
 * Batch granularity: a window clock for all producers. At the end of each window every producer hands over
 * its requests, each target (the stream, a Direct PUT delivery stream) admits its window's offers together,
 * and each producer gets its responses.
 */
function scheduleWindows(sim: Simulator, wired: readonly WiredProducer[], window: Micros, duration: Micros): void {
  let start = 0;
  const groups: { target: PutTarget; producers: ProducerModel[] }[] = [];
  for (const w of wired) {
    const g = groups.find((x) => x.target === w.target);
    if (g) g.producers.push(w.model);
    else groups.push({ target: w.target, producers: [w.model] });
  }
  const batches: Batch[] = [];
  const accepted: number[] = [];
  const tick = (t: Micros) => {
    for (const { target, producers } of groups) {
      const offers = producers.map((p) => p.offerWindow(start, t));
      // The window's batches overwrite the last window's in place (emptying the array would free its storage and
      // regrow it every window).
      let n = 0;
      let calls = 0;
      for (const reqs of offers) {
        for (const r of reqs) {
          calls += r.calls ?? 1;
          for (const b of r.batches) batches[n++] = b;
        }
      }
      if (n < batches.length) batches.length = n;
      if (n > 0) {
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

/**
 * Once a second: each consumer's iterator ages, each delivery stream's buffer and DataFreshness, and each
 * shard's log compacted to what some reader may still read (memory stays bounded by the furthest-behind
 * reader and the retention period).
 */
function scheduleSecondTicks(sim: Simulator, streams: Stream[], consumers: (ConsumerApp | LambdaConsumer)[], firehoses: DeliveryStream[], duration: Micros): void {
  // Each stream's log and the readers that read it.
  const kept = streams.flatMap((stream) => {
    const logs = stream.logs;
    if (!logs) return [];
    const readers = [...consumers.filter((c) => c.stream === stream), ...firehoses.flatMap((f) => (f.reader && f.reader.source === stream ? [f.reader] : []))];
    return [{ logs, readers }];
  });
  const tick = (t: Micros) => {
    for (const c of consumers) c.sampleAges(t);
    for (const f of firehoses) f.sample(t);
    for (const { logs, readers } of kept) {
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
