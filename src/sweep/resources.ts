// What a run will cost the machine, from the scenario alone, before anything runs: the events it schedules, the
// compute time (on a reference machine) and the memory it holds. `run` and `sweep` refuse a run whose estimate
// passes a limit (src/cli: --max-time, --max-memory), and every run whose record counts would pass 2^53.
//
// The estimate counts what the model does, part by part, with the traffic figures `estimate` uses (rateSummary,
// the stream's shard plan from build): the producers' window clock touches every shard of its target in every
// window (batch granularity) or every record (record granularity); a polling consumer calls GetRecords per shard
// per poll interval; an enhanced fan-out subscription pushes per shard per window; a delivery stream reading a
// stream polls each shard every second and ingests a slice per producer window; a KPL whose shards are throttled
// re-offers its queue of pending batches every window (up to RecordTtl of them). Memory: the series (per shard and
// per series step), the latency histograms (HDR, about 0.3 MB each), the per-shard state, and what waits inside
// the model (records born ahead at record granularity, the Firehose buffer's slices, a throttled KPL's queue, the
// shard log a consumer that cannot keep up leaves unread until retention trims it).
//
// The unit costs below were measured on the reference machine (one core of a shared 2-vCPU x86-64 VM, Node 20), the
// whole pipeline's each from runs of 1,000 shards × 10 min with and without each part: test/bench/guard.ts (the last
// part of `npm run bench`) prints how close the estimate comes to real runs, and docs/model.md quotes it.

import { seriesPointsOf, shardPlan, shardsFor } from "../model/build.js";
import { agentTraffic } from "../model/producers/agent.js";
import { consumerStream, deliveryStreamOf, inflow, outputOf, producerStreams, streamsOf, type Flow, type Scenario } from "../scenario/index.js";
import { rateSummary } from "../workload/rate.js";
import type { Trace } from "../workload/trace.js";
import { sizeSource } from "../model/producers/producer.js";
import { longestIntervalWait } from "../model/firehose/buffer.js";

/** Reference costs: microseconds of compute per unit of work, and bytes of memory per thing held. */
export const UNIT_COSTS = {
  /** A producer model's work in one window, besides its shards. */
  producerWindowUs: 2,
  /** One shard of a producer's target in one window (multinomial draw, batch, admission). */
  shardWindowUs: 0.35,
  /** A shard planned for reshards but not open, in one window (skipped). */
  plannedShardWindowUs: 0.02,
  /**
   * The same for a KPL (aggregation arithmetic, limiter, collection per shard): 1,000 shards at 80% took 4.1 CPU s for
   * 10 min and 15.1 s for 1 h (0.58 and 0.38 µs a shard-window; it was 4 when V8 pretenured the KPL's objects).
   */
  kplShardWindowUs: 0.6,
  /**
   * A throttled KPL's pending batch re-offered in one window: 100 shards offered 130% of their bytes took 89 CPU s
   * for 10 min with about 300 batches queued per shard (0.5 µs each; 14 before the KPL reused its pending records and
   * put failed batches back oldest first).
   */
  kplQueuedBatchUs: 0.8,
  /** A record at record granularity (its birth, buffering, request and response). */
  recordUs: 3.5,
  /** A polling consumer's shard for one second (the once-a-second tick: iterator age, log compaction). */
  consumerShardSecondUs: 2,
  /** One GetRecords poll of one shard with its response and processing. */
  pollUs: 20,
  /** One enhanced fan-out push (pump, delivery, processing). */
  pushUs: 2.4,
  /** A delivery stream reading a stream: one poll of one shard, and one ingested slice. */
  firehosePollUs: 0.8,
  firehoseSliceUs: 0.05,
  /** A Firehose transformation's Lambda invocation (its buffer's cut, the call, the answer on to the destination buffer). */
  firehoseInvocationUs: 2.5,
  /** Building a producer model (its histograms). */
  producerBuildUs: 6_000,
  /** A run's fixed work and memory: summarising, rendering, what the runtime keeps between collections. */
  runUs: 300_000,
  runBytes: 40_000_000,
  /** One HDR latency histogram (3 significant digits up to a year of microseconds). */
  histogramBytes: 300_000,
  /** A stream's shard: token buckets, per-shard rows and trackers (besides its series). */
  shardBytes: 1_500,
  /** A producer model's state per shard of its target: SDK or Agent, and KPL (buffers, limiters, queues). */
  putShardBytes: 16,
  kplShardBytes: 500,
  /** A consumer's state per shard (lease, session, counters). */
  consumerShardBytes: 600,
  /**
   * An application writer's (`output:`) state per shard of the stream it writes to: its per-shard counts and its key
   * routing's shares, key bytes and weights, 8 bytes each (counted, not measured).
   */
  writerShardBytes: 32,
  /** A record born ahead within its window at record granularity (a scheduled event and its batch). */
  scheduledRecordBytes: 500,
  /** An instance's buffer at record granularity. */
  instanceBytes: 150,
  /** A chunk of a Firehose buffer (one per second of its age); a KPL pending batch. */
  sliceBytes: 300,
  /** An entry of a shard's log (one producer window's records of the shard): 64 bytes in a ring up to twice the entries held. */
  logEntryBytes: 100,
} as const;

export interface ResourcePart {
  /** Its kind: producer group, consumer, delivery stream, stream, or the run. */
  kind: "producer group" | "consumer" | "delivery stream" | "stream" | "run";
  /** What it is, e.g. "producer web: 4 shards × 6,000 windows". */
  what: string;
  computeUs: number;
  bytes: number;
}

export interface ResourceEstimate {
  /** Events the simulator runs (what a run reports). */
  events: number;
  /** Compute on the reference machine, in seconds. */
  computeSeconds: number;
  /** Memory the run holds at its largest, in bytes. */
  memoryBytes: number;
  /** Records the producers offer over the run (user records; retries not counted). */
  records: number;
  /** The contributions, largest compute first. */
  parts: ResourcePart[];
}

const thousands = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * The estimate for one run of the scenario (`granularity` overrides the scenario's, as `run --granularity` does);
 * `traces` are the scenario's traffic traces (resolveTraces).
 */
export function resourceEstimate(s: Scenario, traces: ReadonlyMap<string, Trace> = new Map(), granularity: "batch" | "record" = s.fidelity.granularity): ResourceEstimate {
  const C = UNIT_COSTS;
  const D = s.duration / 1e6;
  const W = s.fidelity.window / 1e6;
  const windows = Math.ceil(D / W);
  const points = seriesPointsOf(s.duration);
  const parts: ResourcePart[] = [];
  let events = 0;
  let records = 0;
  const part = (kind: ResourcePart["kind"], what: string, computeUs: number, bytes: number) => parts.push({ kind, what, computeUs, bytes });

  // What each producer offers (records/s at the mean, after an Agent's lines per record, and the mean record size).
  const offered = s.producers.map((p) => {
    const trace = p.rate.shape === "trace" ? traces.get(p.rate.file) : undefined;
    const agent = p.client === "agent" ? agentTraffic(p) : { rateDivisor: 1, sizeFactor: 1 };
    const lines = rateSummary(p.rate, s.duration, trace).mean;
    records += lines * D;
    return { trace, rate: lines / agent.rateDivisor, size: sizeSource(p, trace, agent.sizeFactor).mean };
  });
  // Streams: their shard plan, series and per-shard state. Shards open: the scenario's, or for a stream that scales
  // (on-demand, a policy) what its mean traffic needs, within its plan. Its traffic: its producers' and what the
  // applications writing to it make of what they read (inflow).
  const streams = new Map<string, { capacity: number; open: number; retention: number; rate: number; bytes: number }>();
  const producersInto = (name: string): Flow => {
    let records = 0;
    let bytes = 0;
    s.producers.forEach((p, i) => {
      const share = producerStreams(s, p).find((x) => x.name === name)?.share ?? 0;
      records += offered[i]!.rate * share;
      bytes += offered[i]!.rate * share * offered[i]!.size;
    });
    return { records, bytes };
  };
  const memo = new Map<string, Flow>();
  for (const { name, spec } of streamsOf(s)) {
    const plan = shardPlan(s, name, spec, traces);
    const { records: rate, bytes } = inflow(s, name, producersInto, memo);
    const scales = plan.onDemand || s.autoscaling.some((a) => (a.stream ?? streamsOf(s)[0]?.name) === name);
    const need = shardsFor(rate, bytes);
    const open = Math.min(plan.shardCapacity, Math.max(spec.shards, scales ? need : 0));
    streams.set(name, { capacity: plan.shardCapacity, open, retention: spec.retention / 1e6, rate, bytes });
    const ticks = plan.onDemand || s.autoscaling.length > 0 ? D / 60 : 0;
    events += ticks;
    part("stream", `stream ${name}: ${thousands(plan.shardCapacity)} shard(s) × ${thousands(points)} series steps`, ticks * plan.shardCapacity, plan.shardCapacity * (3 * points * 8 + C.shardBytes));
  }

  // Producers: the window clock (batch) or every record (record).
  if (granularity === "batch") events += windows;
  s.producers.forEach((p, i) => {
    const { rate: mean, size } = offered[i]!;
    const direct = deliveryStreamOf(p) !== undefined;
    const targets = direct ? [{ name: "", share: 1 }] : producerStreams(s, p);
    // A group writing to several streams runs a model per stream (an SDK group, one to its only stream).
    const models = p.client === "sdk" || !p.streams ? [{ share: 1, stream: targets[0]!.name }] : targets.map((t) => ({ share: t.share, stream: t.name }));
    for (const m of models) {
      // Its target's shards: those open take the window's work, the others (planned for reshards) are skipped.
      const target = streams.get(m.stream);
      const shards = target?.open ?? 1;
      const capacity = target?.capacity ?? 1;
      const rate = mean * m.share;
      const histograms = p.client === "kpl" ? 2 : 1;
      let computeUs = C.producerBuildUs;
      let bytes = histograms * C.histogramBytes;
      let what: string;
      if (granularity === "record" && p.client !== "kpl") {
        const n = rate * D;
        const linger = p.client === "sdk" ? p.linger / 1e6 : 1;
        const requests = Math.min(n, (p.instances * D) / Math.max(linger, 1e-3));
        events += n + requests + D / W;
        computeUs += (n + requests) * C.recordUs;
        bytes += rate * W * C.scheduledRecordBytes + p.instances * C.instanceBytes + capacity * C.putShardBytes;
        what = `producer ${p.name}: ${thousands(n)} records one by one`;
      } else {
        const kpl = p.client === "kpl";
        computeUs += windows * (C.producerWindowUs + shards * (kpl ? C.kplShardWindowUs : C.shardWindowUs) + capacity * C.plannedShardWindowUs);
        bytes += capacity * (kpl ? C.kplShardBytes : C.putShardBytes);
        what = `producer ${p.name}: ${thousands(shards)} shard(s) × ${thousands(windows)} windows`;
        if (kpl) {
          // Kinesis records per shard: user records per aggregate as each process's buffer fills in RecordMaxBufferedTime.
          const perShard = rate / shards;
          const fit = p.kpl.aggregationEnabled ? Math.max(1, Math.floor(p.kpl.aggregationMaxSize / (size + 8))) : 1;
          const perBuffer = Math.min(fit, 1 + (perShard * p.kpl.recordMaxBufferedTime) / 1e6 / p.instances);
          const throttled = shardsFor(perShard / perBuffer, perShard * size) > 1;
          if (throttled) {
            const queued = Math.min(p.kpl.recordTtl / 1e6, D) / W;
            computeUs += windows * shards * queued * C.kplQueuedBatchUs;
            bytes += shards * queued * C.sliceBytes;
            what += `, a queue of ${thousands(queued)} throttled batches per shard`;
          }
        }
      }
      part("producer group", what, computeUs, bytes);
    }
  });

  // Consumers: the once-a-second tick, polls or pushes per shard, the shard log they keep.
  const readers = s.consumers.length + s.firehose.filter((f) => f.source !== "direct-put").length;
  if (readers > 0) events += D;
  for (const c of s.consumers) {
    const st = streams.get(consumerStream(s, c)!)!;
    const shards = Math.max(1, st.open);
    let computeUs = D * shards * C.consumerShardSecondUs;
    let bytes = 3 * C.histogramBytes + st.capacity * C.consumerShardBytes + 4 * points * 8;
    let what: string;
    if (c.kind === "kcl" || (c.kind === "lambda" && c.reader === "polling")) {
      // A Lambda event source mapping polls each shard once a second.
      const polls = (D * shards) / (((c.kind === "kcl" ? c.poll.interval : 1_000_000) + 20_000) / 1e6);
      events += 3 * polls;
      computeUs += polls * C.pollUs;
      what = `consumer ${c.name}: ${thousands(polls)} GetRecords polls`;
    } else {
      const pushes = Math.min(windows, D * 1e6 / 1_000) * shards;
      events += 3 * pushes;
      computeUs += pushes * 3 * C.pushUs;
      what = `consumer ${c.name}: ${thousands(pushes)} fan-out pushes`;
    }
    // The shard log: a window's slice per shard, kept two seconds by a reader that keeps up; by one that cannot
    // (a shard's records take longer to process than to arrive), until retention trims it.
    const perShard = st.rate / shards;
    // A Lambda function's work per record is spread over its concurrent batches per shard.
    const perRecord = c.kind === "lambda" ? c.function.duration.perRecord / Math.max(1, c.parallelization) : c.processing.perRecord;
    const perBatch = c.kind === "lambda" ? c.function.duration.perInvocation / Math.max(1, c.parallelization) : c.processing.perBatch;
    const busy = (perShard * perRecord) / 1e6 + perBatch / 1e6 / Math.max(W, 0.2);
    // A KCL application keeps the log from its checkpoints: every `checkpoint.every`, or every `checkpoint.records`.
    const cp = c.kind === "kcl" ? c.checkpoint : undefined;
    const sinceCheckpoint = cp ? Math.min(cp.every !== undefined ? cp.every / 1e6 : Infinity, cp.records !== undefined && perShard > 0 ? cp.records / perShard : Infinity) : 0;
    const kept = busy >= 1 ? Math.min(D, st.retention) : 2 + Math.min(D, Number.isFinite(sinceCheckpoint) ? sinceCheckpoint : 0);
    bytes += (shards * kept * C.logEntryBytes) / Math.min(W, 1);
    if (busy >= 1) what += `, falling behind: the log of ${thousands(kept / W)} slices per shard`;
    // Writing what it processes to another stream: the writer's put latency histogram, its two series and its state
    // per shard of that stream (every shard its plan holds).
    const output = outputOf(c);
    if (output) {
      const target = streams.get(output.stream)!;
      bytes += C.histogramBytes + 2 * points * 8 + target.capacity * C.writerShardBytes;
      what += `, writing to ${output.stream}`;
    }
    part("consumer", what, computeUs, bytes);
  }
  for (const f of s.firehose) {
    let computeUs = D * 20;
    let bytes = 4 * C.histogramBytes + 8 * points * 8;
    let what = `delivery stream ${f.name}`;
    if (f.source !== "direct-put") {
      const st = streams.get(f.source);
      const shards = Math.max(1, st?.open ?? 1);
      events += D * shards;
      computeUs += D * shards * (C.firehosePollUs + C.firehoseSliceUs / W);
      what += `: ${thousands(shards)} shard(s) polled for ${thousands(D)} s`;
      if (f.transform && st) {
        // One invocation per buffer size of the stream's bytes, or per interval (a second with an interval of 0) when that comes first.
        const t = f.transform.buffer;
        const invocations = D * Math.max(1e6 / longestIntervalWait(t.interval), st.bytes / Math.max(1, t.size));
        events += invocations;
        computeUs += invocations * C.firehoseInvocationUs;
        what += `, ${thousands(invocations)} Lambda invocations`;
      }
    }
    // Its buffers hold a chunk per second of their age (records entering in the same second merge), whatever the shards.
    bytes += (f.buffer.interval / 1e6 + 2) * C.sliceBytes;
    part("delivery stream", what, computeUs, bytes);
  }
  part("run", "the run itself (loading, summarising, the reports)", C.runUs, C.runBytes);
  parts.sort((a, b) => b.computeUs - a.computeUs || b.bytes - a.bytes);
  const computeUs = parts.reduce((n, x) => n + x.computeUs, 0);
  const memoryBytes = parts.reduce((n, x) => n + x.bytes, 0);
  return { events, computeSeconds: computeUs / 1e6, memoryBytes, records, parts };
}

export interface ResourceLimits {
  /** Most compute a run may take, in seconds (on the reference machine). */
  maxSeconds: number;
  /** Most memory a run may hold, in bytes. */
  maxMemoryBytes: number;
}

/** How the command line names the limits, to say how to raise them. */
export interface LimitNames {
  time: (seconds: number) => string;
  memory: (bytes: number) => string;
}

/** "3.2 days", "41 min", "2.5 s". */
export function formatSeconds(s: number): string {
  if (s >= 365 * 86_400) return `${(s / 365 / 86_400).toPrecision(3)} years`;
  if (s >= 86_400) return `${(s / 86_400).toPrecision(3)} days`;
  if (s >= 3_600) return `${(s / 3_600).toPrecision(3)} h`;
  if (s >= 60) return `${(s / 60).toPrecision(3)} min`;
  return `${s.toPrecision(2)} s`;
}

/** "2.1 GiB", "340 MiB". */
export function formatMemory(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toPrecision(3)} GiB`;
  return `${Math.max(1, Math.round(b / 2 ** 20))} MiB`;
}

/**
 * Why the run is refused, or null when it fits: its record counts would pass 2^53 (where a count stops being
 * exact: no override), its compute would pass maxSeconds, or its memory maxMemoryBytes. The message states the
 * estimate, its largest parts, the limit and the setting that raises it.
 */
export function resourceRefusal(e: ResourceEstimate, limits: ResourceLimits, names: LimitNames): string | null {
  if (e.records > Number.MAX_SAFE_INTEGER) {
    return (
      `the run would offer about ${e.records.toPrecision(3)} records, more than 2^53 = ${Number.MAX_SAFE_INTEGER.toLocaleString("en-US")}, ` +
      `past which a count is no longer exact and the accounting could not balance; shorten the duration or lower the rates (no setting overrides this)`
    );
  }
  const reasons: string[] = [];
  const raise: string[] = [];
  if (e.computeSeconds > limits.maxSeconds) {
    reasons.push(
      `would take about ${formatSeconds(e.computeSeconds)} of compute (estimated ${e.events.toPrecision(3)} events; mostly ${largest(e.parts, "computeUs", (x) => formatSeconds(x / 1e6))}), ` +
        `more than the limit of ${formatSeconds(limits.maxSeconds)}`,
    );
    raise.push(names.time(e.computeSeconds));
  }
  if (e.memoryBytes > limits.maxMemoryBytes) {
    reasons.push(`would need about ${formatMemory(e.memoryBytes)} of memory (mostly ${largest(e.parts, "bytes", formatMemory)}), more than the limit of ${formatMemory(limits.maxMemoryBytes)}`);
    raise.push(`${names.memory(e.memoryBytes)} (on a machine with that much memory for the Node.js heap)`);
  }
  if (reasons.length === 0) return null;
  return `the run ${reasons.join(", and ")}; shorten the duration, use fewer shards, consumers or producer groups, or a longer fidelity.window, or allow it with ${raise.join(" and ")}`;
}

/** The parts that make up most of a total (those above a tenth of it, at most two), several of a kind summed. */
function largest(parts: readonly ResourcePart[], key: "computeUs" | "bytes", show: (x: number) => string): string {
  const kinds = new Map<string, ResourcePart[]>();
  for (const p of parts) {
    const list = kinds.get(p.kind);
    if (list) list.push(p);
    else kinds.set(p.kind, [p]);
  }
  const grouped = [...kinds.values()].flatMap((list) => {
    if (list.length <= 2) return list.map((p) => ({ what: p.what, value: p[key] }));
    return [{ what: `${list.length.toLocaleString("en-US")} ${list[0]!.kind}s such as ${list[0]!.what}`, value: list.reduce((n, p) => n + p[key], 0) }];
  });
  const total = grouped.reduce((n, g) => n + g.value, 0);
  return grouped
    .sort((a, b) => b.value - a.value)
    .filter((g, i) => i === 0 || g.value > total / 10)
    .slice(0, 2)
    .map((g) => `${g.what}: ${show(g.value)}`)
    .join("; ");
}
