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
import { chooseResolution } from "../metrics/series.js";
import { deliveryStreamOf, type ProducerSpec, type Scenario } from "../spec/index.js";
import type { Trace } from "../workload/trace.js";
import type { Batch } from "./batch.js";
import { DeliveryStream } from "./firehose/deliveryStream.js";
import { KclApplication } from "./kcl/application.js";
import { Stream } from "./kinesis/stream.js";
import { KplProducer } from "./producers/kpl.js";
import type { ProducerModel } from "./producers/producer.js";
import { PutClientProducer } from "./producers/putClient.js";
import type { PutTarget } from "./putTarget.js";

export interface BuildOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Traffic traces by the `rate.file` that names them (see src/scenario/traces.ts resolveTraces). */
  traces?: ReadonlyMap<string, Trace>;
}

/** A producer group and where it writes. */
export interface WiredProducer {
  model: ProducerModel;
  target: PutTarget;
  /** True when it writes to the Kinesis stream (not to a delivery stream with Direct PUT). */
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
  /** The Kinesis stream; undefined when every producer writes to Firehose with Direct PUT. */
  stream: Stream | undefined;
  producers: WiredProducer[];
  consumers: KclApplication[];
  firehoses: DeliveryStream[];
}

function traceFor(traces: ReadonlyMap<string, Trace> | undefined, file: string, producer: string): Trace {
  const t = traces?.get(file);
  if (!t) throw new Error(`producer ${producer}: the trace ${file} was not loaded (resolveTraces before build)`);
  return t;
}

export function build(scenario: Scenario, options: BuildOptions = {}): Model {
  const seed = options.seed ?? scenario.seed;
  const { duration, warmup } = scenario;
  const resolution = chooseResolution(duration);
  const sim = new Simulator();
  const root = RandomStream.root(seed);
  const streamName = scenario.stream ? (scenario.stream.name ?? scenario.name) : undefined;
  const keepRecords = scenario.consumers.length > 0 || scenario.firehose.some((f) => f.source === streamName);
  const stream = scenario.stream ? new Stream(scenario.stream, scenario.name, duration, resolution, warmup, { keepRecords }) : undefined;
  const firehoses = scenario.firehose.map(
    (spec) => new DeliveryStream(spec, { sim, rng: root.fork(`firehose:${spec.name}`), warmup, duration, resolution, stream, faults: scenario.faults }),
  );
  const targetOf = (spec: ProducerSpec): PutTarget => {
    const name = deliveryStreamOf(spec);
    if (name === undefined) return stream!;
    return firehoses.find((f) => f.name === name)!.directPut!;
  };
  const producers: WiredProducer[] = scenario.producers.map((spec) => {
    const target = targetOf(spec);
    const trace = spec.rate.shape === "trace" ? traceFor(options.traces, spec.rate.file, spec.name) : undefined;
    const ctx = { sim, target, rng: root.fork(`producer:${spec.name}`), duration, warmup, granularity: scenario.fidelity.granularity, window: scenario.fidelity.window, trace };
    const model = spec.client === "kpl" ? new KplProducer(spec, ctx) : new PutClientProducer(spec, ctx);
    return { model, target, toStream: target === stream, ...(trace ? { trace } : {}) };
  });
  const consumers = scenario.consumers.map(
    (spec) => new KclApplication(spec, { sim, stream: stream!, rng: root.fork(`consumer:${spec.name}`), duration, warmup, resolution }),
  );
  for (const p of producers) p.model.start();
  for (const c of consumers) c.start();
  for (const f of firehoses) f.start();
  for (const f of scenario.faults) {
    if (f.kind !== "worker-crash" && f.kind !== "worker-restart") continue; // delivery stream faults: DeliveryStream
    const app = consumers.find((c) => c.name === f.consumer)!;
    sim.scheduleAt(f.at, (t) => (f.kind === "worker-crash" ? app.crash(f.workers) : app.restart(f.workers, t)));
  }
  if (consumers.length > 0 || firehoses.length > 0) scheduleSecondTicks(sim, stream, consumers, firehoses, duration);
  if (scenario.fidelity.granularity === "batch") scheduleWindows(sim, producers, scenario.fidelity.window, duration);
  return { scenario, seed, sim, duration, warmup, resolution, stream, producers, consumers, firehoses };
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

/**
 * Once a second: each consumer's iterator ages, each delivery stream's buffer and DataFreshness, and each
 * shard's log compacted to what some reader may still read (memory stays bounded by the furthest-behind
 * reader and the retention period).
 */
function scheduleSecondTicks(sim: Simulator, stream: Stream | undefined, consumers: KclApplication[], firehoses: DeliveryStream[], duration: Micros): void {
  const logs = stream?.logs;
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
