// The AWS sizing formula, for comparison (Kinesis Data Streams developer guide, "Resharding, scaling, and
// parallel processing" / how-do-i-size-a-stream):
//   incoming_write_bandwidth_in_KiB = average_data_size_in_KiB (rounded up to a whole KiB) × records_per_second
//   outgoing_read_bandwidth_in_KiB  = incoming_write_bandwidth_in_KiB × number_of_consumers
//   number_of_shards = max(incoming_write_bandwidth_in_KiB / 1024, outgoing_read_bandwidth_in_KiB / 2048)
// Consumers here are the polling ones: KCL applications and Firehose delivery streams reading the stream
// (enhanced fan-out consumers do not share the 2 MiB/s); writers, the producers that write to the stream
// (Direct PUT producers write to Firehose). Records are what reaches the stream: a Kinesis Agent's records are
// linesPerRecord lines, each record lines × line size × sizeFactor bytes. The average is the workload's (a
// diurnal's mean, a trace's mean), not the simulated window's. The formula ignores key skew, bursts, retries,
// partition-key bytes and the 1,000 records/s limit; the estimate also says what counting that limit would give.

import { consumerStream, producerStreams, streamsOf, type Scenario } from "../scenario/index.js";
import { agentTraffic } from "../model/producers/agent.js";
import { sizeSource } from "../model/producers/producer.js";
import { rateSummary } from "../workload/rate.js";
import type { Trace } from "../workload/trace.js";

export interface SizingEstimate {
  /** False when the scenario has no stream (every producer writes to Firehose with Direct PUT): nothing to size, all zero. */
  stream: boolean;
  recordsPerSecond: number;
  peakRecordsPerSecond: number;
  /** Record-weighted mean data size, rounded up to a whole KiB as the formula says. */
  averageRecordKiB: number;
  writeKiBPerSecond: number;
  pollingConsumers: number;
  readKiBPerSecond: number;
  /** The formula at the mean rate and at the peak rate, rounded up to whole shards. */
  shards: number;
  shardsAtPeak: number;
  /** Also counting 1,000 records/s per shard, at the peak rate. */
  shardsWithRecordLimitAtPeak: number;
}

/**
 * The formula for the scenario's first stream (the only one, usually). `traces`: the parsed traffic traces of
 * its `shape: trace` producers, by file (resolveTraces), needed for their rates and sizes.
 */
export function awsSizingEstimate(s: Scenario, traces: ReadonlyMap<string, Trace> = new Map()): SizingEstimate {
  const first = awsSizingEstimates(s, traces)[0];
  if (!first) return NO_STREAM;
  const { name: _, ...e } = first;
  return e;
}

const NO_STREAM: SizingEstimate = { stream: false, recordsPerSecond: 0, peakRecordsPerSecond: 0, averageRecordKiB: 0, writeKiBPerSecond: 0, pollingConsumers: 0, readKiBPerSecond: 0, shards: 0, shardsAtPeak: 0, shardsWithRecordLimitAtPeak: 0 };

/**
 * The formula for each stream of the scenario, in order. A stream's writers are the producers writing to it
 * (with their share) and the applications writing what they process to it: as many records as their input
 * stream carries × recordsPerRecord, each sizeFactor times as large.
 */
export function awsSizingEstimates(s: Scenario, traces: ReadonlyMap<string, Trace> = new Map()): (SizingEstimate & { name: string })[] {
  const load = new Map<string, { rate: number; peak: number; bytes: number }>();
  const add = (name: string, rate: number, peak: number, bytes: number) => {
    const l = load.get(name) ?? { rate: 0, peak: 0, bytes: 0 };
    load.set(name, { rate: l.rate + rate, peak: l.peak + peak, bytes: l.bytes + bytes });
  };
  for (const p of s.producers) {
    const parts = producerStreams(s, p); // none with Direct PUT: not a stream's load
    if (parts.length === 0) continue;
    const trace = p.rate.shape === "trace" ? traces.get(p.rate.file) : undefined;
    const lines = rateSummary(p.rate, s.duration, trace);
    // An Agent's rate is in lines: linesPerRecord of them make a record, sizeFactor times their size.
    const agent = p.client === "agent" ? agentTraffic(p) : { rateDivisor: 1, sizeFactor: 1 };
    const r = lines.mean / agent.rateDivisor;
    const peak = lines.peak / agent.rateDivisor;
    // Without a recordSize, a trace's bytes ÷ records.
    const size = sizeSource(p, trace, agent.sizeFactor).mean;
    for (const part of parts) add(part.name, r * part.share, peak * part.share, r * part.share * size);
  }
  // Applications' outputs, in pipeline order (an output's input stream is complete before it is used: no loops).
  const pending = s.consumers.filter((c) => c.output);
  for (let guard = 0; pending.length > 0 && guard <= s.consumers.length; guard++) {
    for (let i = pending.length - 1; i >= 0; i--) {
      const c = pending[i]!;
      const from = consumerStream(s, c)!;
      if (pending.some((o) => o.output!.stream === from)) continue; // its input still waits for a writer
      const l = load.get(from) ?? { rate: 0, peak: 0, bytes: 0 };
      const k = c.output!.recordsPerRecord;
      add(c.output!.stream, l.rate * k, l.peak * k, l.bytes * k * c.output!.sizeFactor);
      pending.splice(i, 1);
    }
  }
  return streamsOf(s).map(({ name }) => {
    const { rate, peak, bytes } = load.get(name) ?? { rate: 0, peak: 0, bytes: 0 };
    const avgKiB = rate > 0 ? Math.max(1, Math.ceil(bytes / rate / 1024)) : 1;
    const consumers = s.consumers.filter((c) => c.kind === "kcl" && consumerStream(s, c) === name).length + s.firehose.filter((f) => f.source === name).length;
    const write = avgKiB * rate;
    const read = write * consumers;
    const shardsFor = (w: number) => Math.max(1, Math.ceil(Math.max(w / 1024, (w * consumers) / 2048) - 1e-9));
    return {
      name,
      stream: true,
      recordsPerSecond: rate,
      peakRecordsPerSecond: peak,
      averageRecordKiB: avgKiB,
      writeKiBPerSecond: write,
      pollingConsumers: consumers,
      readKiBPerSecond: read,
      shards: shardsFor(write),
      shardsAtPeak: shardsFor(avgKiB * peak),
      shardsWithRecordLimitAtPeak: Math.max(shardsFor(avgKiB * peak), Math.ceil(peak / 1000 - 1e-9)),
    };
  });
}

export function estimateText(s: Scenario, e: SizingEstimate, traces: ReadonlyMap<string, Trace> = new Map()): string {
  if (!e.stream) return `${s.name}: no Kinesis stream to size: every producer writes to Firehose with Direct PUT.`;
  const all = awsSizingEstimates(s, traces);
  if (all.length > 1) return all.map((x) => estimateLines(`${s.name}, stream ${x.name}`, x)).join("\n\n");
  return estimateLines(s.name, e);
}

function estimateLines(title: string, e: SizingEstimate): string {
  const f = (x: number) => (Number.isInteger(x) ? x.toLocaleString("en-US") : x.toLocaleString("en-US", { maximumFractionDigits: 1 }));
  return [
    `${title}: the AWS sizing formula`,
    `  records/s: ${f(e.recordsPerSecond)} on average, ${f(e.peakRecordsPerSecond)} at the peak`,
    `  average record size: ${e.averageRecordKiB} KiB (rounded up to a whole KiB)`,
    `  write: ${f(e.writeKiBPerSecond)} KiB/s; read by ${e.pollingConsumers} polling consumer(s): ${f(e.readKiBPerSecond)} KiB/s`,
    `  shards = max(write ÷ 1024, read ÷ 2048) = ${e.shards} at the average rate, ${e.shardsAtPeak} at the peak`,
    `  counting the 1,000 records/s per shard limit at the peak: ${e.shardsWithRecordLimitAtPeak}`,
    `The formula ignores key skew, bursts, retries and partition-key bytes; \`shardcast sweep\` measures them.`,
  ].join("\n");
}
