// The AWS sizing formula, for comparison (Kinesis Data Streams developer guide, "Resharding, scaling, and
// parallel processing" / how-do-i-size-a-stream):
//   incoming_write_bandwidth_in_KiB = average_data_size_in_KiB (rounded up to a whole KiB) × records_per_second
//   outgoing_read_bandwidth_in_KiB  = incoming_write_bandwidth_in_KiB × number_of_consumers
//   number_of_shards = max(incoming_write_bandwidth_in_KiB / 1024, outgoing_read_bandwidth_in_KiB / 2048)
// Consumers here are the polling ones: KCL applications and Firehose delivery streams reading the stream
// (enhanced fan-out consumers do not share the 2 MiB/s); writers, the producers that write to the stream
// (Direct PUT producers write to Firehose). Records are what reaches the stream: a Kinesis Agent's records are
// linesPerRecord lines, each record lines × line size × sizeFactor bytes. The average and the peak are over the
// run (a trace: the periods the run replays), except a diurnal's average: its own mean over whole periods. The formula ignores key skew, bursts, retries,
// partition-key bytes and the 1,000 records/s limit; the estimate also says what counting that limit would give.

import { consumerStream, DEFAULT_REGION, fansOut, inPipelineOrder, onDemandMaxWrite, outputOf, pollsStream, producerStreams, streamsOf, type Scenario } from "../scenario/index.js";
import { agentTraffic } from "../model/producers/agent.js";
import { scaledSizes, sizeSource, type SizeSource } from "../model/producers/producer.js";
import { awsFormulaShards, batchBilling, billOfEveryMode, pricesOf, recordBilling, shardsReadBound, shardsTakeBytesPerSecond, type Comparison, type StreamTraffic } from "../result/modeBill.js";
import { formulaThroughputWithinShardLimit, MAX_SHARDS_PER_STREAM, needsShardLimitIncrease } from "../result/shardLimit.js";
import { andList, formatBytes, formatDuration, formatRate, formatUsd, thousands } from "../report/format.js";
import { beyondStreamsParts } from "../report/billScope.js";
import { billedBeyondStreams } from "../result/billScope.js";
import { meanKeyBytes } from "../workload/partitionKeys.js";
import { rateSummary } from "../workload/rate.js";
import type { Trace } from "../workload/trace.js";
import { replayedPeriods, replayedWeights, traceSizeMix } from "../model/producers/traceReplay.js";

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
/**
 * A stream's load at the workload's mean: records/s (mean and peak), data bytes/s, partition-key bytes/s, PUT payload
 * units/s and on-demand billed bytes/s; and where its records come from: each producer's record sizes, `scale` times
 * as large (through applications' sizeFactor), at `rate` records/s, for what an application writing them on bills.
 */
interface Load {
  rate: number;
  peak: number;
  bytes: number;
  keys: number;
  units: number;
  billed: number;
  origins: { sizes: Pick<SizeSource, "pOver">; scale: number; rate: number }[];
}

const NO_LOAD: Load = { rate: 0, peak: 0, bytes: 0, keys: 0, units: 0, billed: 0, origins: [] };

/**
 * A producer's record sizes for the formula and the bill: `sizes` as they are, or, for a trace without a recordSize,
 * those of the periods the run replays (the last in the part the run covers, as the records/s count it: helper-55), ×
 * the Agent's sizeFactor, not the whole trace's: their mean (bytes ÷ records) for the formula, and each period's records
 * at its own size for the bill, as a run bills them (a trace of 100 B and 1,500 B periods: 1 KiB and 2 KiB records,
 * not 800 B ones as 1 KiB).
 */
function replayedSizes(sizes: SizeSource, p: Scenario["producers"][number], trace: Trace | undefined, durationUs: number, factor: number): Pick<SizeSource, "mean" | "pOver"> {
  if (p.recordSize || !trace || p.rate.shape !== "trace") return sizes;
  const r = replayedPeriods(trace, p.rate.repeat, durationUs).inRun;
  if (r.bytes === null || r.records <= 0) return sizes;
  const mean = (r.bytes / r.records) * factor;
  const mix = traceSizeMix(trace, factor, replayedWeights(trace, p.rate.repeat, durationUs));
  return { mean, pOver: mix ? mix.pOver : (l) => (mean > l ? 1 : 0) };
}

/**
 * What each stream receives: the producers writing to it (with their share) and the applications writing what they
 * process to it: as many records as their input stream carries × recordsPerRecord, each sizeFactor times as large.
 * A KPL producer's records count as its user records (aggregation not counted).
 */
function streamLoads(s: Scenario, traces: ReadonlyMap<string, Trace>): Map<string, Load> {
  const load = new Map<string, Load>();
  const add = (name: string, l: Load) => {
    const o = load.get(name) ?? NO_LOAD;
    load.set(name, { rate: o.rate + l.rate, peak: o.peak + l.peak, bytes: o.bytes + l.bytes, keys: o.keys + l.keys, units: o.units + l.units, billed: o.billed + l.billed, origins: [...o.origins, ...l.origins] });
  };
  const maxRecordSize = (name: string) => streamsOf(s).find((x) => x.name === name)!.spec.maxRecordSize;
  for (const p of s.producers) {
    const parts = producerStreams(s, p); // none with Direct PUT: not a stream's load
    if (parts.length === 0) continue;
    const trace = p.rate.shape === "trace" ? traces.get(p.rate.file) : undefined;
    const lines = rateSummary(p.rate, s.duration, trace);
    // An Agent's rate is in lines: linesPerRecord of them make a record, sizeFactor times their size.
    const agent = p.client === "agent" ? agentTraffic(p) : { rateDivisor: 1, sizeFactor: 1 };
    const r = lines.mean / agent.rateDivisor;
    const peak = lines.peak / agent.rateDivisor;
    // Without a recordSize, a trace's bytes ÷ records in the periods the run replays (as its rate is the run's).
    const sizes = replayedSizes(sizeSource(p, trace, agent.sizeFactor), p, trace, s.duration, agent.sizeFactor);
    for (const part of parts) {
      const n = r * part.share;
      const max = maxRecordSize(part.name);
      const b = recordBilling(sizes, max);
      add(part.name, { rate: n, peak: peak * part.share, bytes: n * sizes.mean, keys: n * meanKeyBytes(p.partitionKey), units: n * b.payloadUnits, billed: n * b.onDemandBytes, origins: [{ sizes, scale: 1, rate: n }] });
    }
  }
  // Applications' outputs, in pipeline order: an output's input stream is complete before it is used.
  const outputs = inPipelineOrder(s.consumers.flatMap((c) => {
    const output = outputOf(c);
    return output ? [{ from: consumerStream(s, c)!, output }] : [];
  }));
  for (const { from, output } of outputs) {
    const l = load.get(from) ?? NO_LOAD;
    const k = output.recordsPerRecord;
    // The output's records: each sizeFactor times the record it came from, so each producer's sizes scaled, each
    // record rounded up on its own (recordBilling), as the run bills them (writtenSizes.ts).
    const origins = l.origins.map((o) => ({ sizes: o.sizes, scale: o.scale * output.sizeFactor, rate: o.rate * k }));
    let units = 0;
    let billed = 0;
    for (const o of origins) {
      const b = recordBilling(scaledSizes(o.sizes, o.scale), maxRecordSize(output.stream));
      units += o.rate * b.payloadUnits;
      billed += o.rate * b.onDemandBytes;
    }
    add(output.stream, { rate: l.rate * k, peak: l.peak * k, bytes: l.bytes * k * output.sizeFactor, keys: l.rate * k * meanKeyBytes(output.partitionKey), units, billed, origins });
  }
  return load;
}

export function awsSizingEstimates(s: Scenario, traces: ReadonlyMap<string, Trace> = new Map()): (SizingEstimate & { name: string })[] {
  const load = streamLoads(s, traces);
  return streamsOf(s).map(({ name }) => {
    const { rate, peak, bytes } = load.get(name) ?? NO_LOAD;
    const avgKiB = rate > 0 ? Math.max(1, Math.ceil(bytes / rate / 1024)) : 1;
    const consumers = s.consumers.filter((c) => pollsStream(c) && consumerStream(s, c) === name).length + s.firehose.filter((f) => f.source === name).length;
    const write = avgKiB * rate;
    const read = write * consumers;
    const shardsFor = (w: number) => awsFormulaShards(w, consumers);
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
  if (!e.stream) {
    const beyond = beyondStreamsParts(billedBeyondStreams(s));
    return `${s.name}: no Kinesis stream to size or price: every producer writes to Firehose with Direct PUT.${beyond.length > 0 ? ` A run bills ${andList(beyond)}: \`shardcast run\` prices it.` : ""}`;
  }
  const all = awsSizingEstimates(s, traces);
  const span = runSpan(s);
  if (all.length > 1) return all.map((x) => estimateLines(`${s.name}, stream ${x.name}`, x, span, kplAggregatesInto(s, x.name))).join("\n\n");
  return estimateLines(s.name, e, span, kplAggregatesInto(s, all[0]?.name));
}

/** Whether a KPL producer with aggregation writes to `stream` (the formula then counts its user records, not its aggregates). */
function kplAggregatesInto(s: Scenario, stream: string | undefined): boolean {
  return s.producers.some((p) => p.client === "kpl" && p.kpl.aggregationEnabled && producerStreams(s, p).some((x) => stream === undefined || x.name === stream));
}

/** The span the records/s figures cover: the run's (a diurnal's average is its own mean over whole periods). */
function runSpan(s: Scenario): { run: string; diurnal: boolean } {
  return { run: formatDuration(s.duration), diurnal: s.producers.some((p) => p.rate.shape === "diurnal" && producerStreams(s, p).length > 0) };
}

function estimateLines(title: string, e: SizingEstimate, span: { run: string; diurnal: boolean }, kpl = false): string {
  const f = (x: number) => (Number.isInteger(x) ? x.toLocaleString("en-US") : x.toLocaleString("en-US", { maximumFractionDigits: 1 }));
  // A provisioned stream of more than 10,000 shards needs a limit increase first (UpdateShardCount API reference).
  const over = [e.shards, e.shardsAtPeak, e.shardsWithRecordLimitAtPeak].some(needsShardLimitIncrease);
  return [
    `${title}: the AWS sizing formula`,
    span.diurnal
      ? `  records/s: ${f(e.recordsPerSecond)} on average (a diurnal's own mean, over whole periods), ${f(e.peakRecordsPerSecond)} at the peak in the ${span.run} run`
      : `  records/s over the ${span.run} run: ${f(e.recordsPerSecond)} on average, ${f(e.peakRecordsPerSecond)} at the peak`,
    `  average record size: ${e.averageRecordKiB} KiB (rounded up to a whole KiB)`,
    `  write: ${f(e.writeKiBPerSecond)} KiB/s; read by ${e.pollingConsumers} polling consumer(s): ${f(e.readKiBPerSecond)} KiB/s`,
    `  shards = max(write ÷ 1024, read ÷ 2048) = ${f(e.shards)} at the average rate, ${f(e.shardsAtPeak)} at the peak`,
    `  counting the 1,000 records/s per shard limit at the peak: ${f(e.shardsWithRecordLimitAtPeak)}${kpl ? " (of user records: the KPL's aggregates put fewer Kinesis records on a shard)" : ""}`,
    ...(over ? [`  more than ${thousands(MAX_SHARDS_PER_STREAM)} shards: a provisioned stream of them needs a limit increase first (by default UpdateShardCount cannot "Scale up to more than 10000 shards in a stream")`] : []),
    `The formula ignores key skew, bursts, retries and partition-key bytes${kpl ? ", and counts a KPL producer's user records unaggregated" : ""}; \`shardcast sweep\` measures them.`,
  ].join("\n");
}

/**
 * Each stream's steady traffic at the workload's mean, with its mode and shard count: what the bill of every mode needs;
 * and on-demand's maximum write throughput for it in the scenario's Region (onDemandMaxWrite: 10 GB/s in us-east-1,
 * us-west-2 and eu-west-1, 200 MB/s elsewhere unless raised; Kinesis quotas and limits).
 */
export function streamTraffics(
  s: Scenario,
  traces: ReadonlyMap<string, Trace> = new Map(),
): { name: string; mode: string; shards: number; traffic: StreamTraffic; onDemandMax: { bytesPerSecond: number; region: string; regionStated: boolean } }[] {
  const load = streamLoads(s, traces);
  return streamsOf(s).map(({ name, spec }) => {
    const l = load.get(name) ?? NO_LOAD;
    const readers = s.consumers.filter((c) => consumerStream(s, c) === name);
    return {
      name,
      mode: spec.mode,
      shards: spec.shards,
      onDemandMax: { bytesPerSecond: onDemandMaxWrite(spec, s.region), region: s.region ?? DEFAULT_REGION, regionStated: s.region !== undefined },
      traffic: {
        bytesPerSecond: l.bytes,
        recordsPerSecond: l.rate,
        keyBytesPerRecord: l.rate > 0 ? l.keys / l.rate : 0,
        // Without traffic, what one record of any size bills at least.
        payloadUnitsPerRecord: l.rate > 0 ? l.units / l.rate : batchBilling(1, 0).payloadUnits,
        onDemandBytesPerRecord: l.rate > 0 ? l.billed / l.rate : batchBilling(1, 0).onDemandBytes,
        pollingConsumers: readers.filter((c) => pollsStream(c)).length + s.firehose.filter((f) => f.source === name).length,
        efoConsumers: readers.filter((c) => fansOut(c)).length,
        retentionHours: spec.retention / 3_600_000_000,
      },
    };
  });
}

const MODE_NAMES: Record<string, string> = { provisioned: "provisioned", "on-demand": "On-demand Standard", "on-demand-advantage": "On-demand Advantage" };

/** "cheaper: On-demand Standard up to 51 KiB/s, provisioned above" from a comparison of two modes. */
function comparisonText(c: Comparison, upTo: number, other: string): string {
  const name = (m: string) => (m === "provisioned" ? other : MODE_NAMES[m]!);
  if (c.crossings.length === 0) return `cheaper: ${name(c.cheaperFirst)} at every throughput up to ${formatRate(upTo, "bytes")}`;
  const parts = [`cheaper: ${name(c.cheaperFirst)} up to ${formatRate(c.crossings[0]!.bytesPerSecond, "bytes")}`];
  c.crossings.forEach((x, i) => {
    const next = c.crossings[i + 1];
    parts.push(`${name(x.cheaperAbove)} ${next ? `from there to ${formatRate(next.bytesPerSecond, "bytes")}` : "above"}`);
  });
  return parts.join(", ");
}

/**
 * What the bills of every mode price: the streams alone (monthlyCost's stream items), and the parts of the scenario a
 * run bills besides, which they leave out (helper-94: a Lambda consumer writing to an 8,000-WCU table, run $4,904.92
 * a month, estimate $805.92 for the same 40 shards, nothing said of the $3,796 table and $303 of Lambda).
 */
export function billScopeText(s: Scenario): string {
  const names = streamsOf(s).map((x) => x.name);
  const streams = `Kinesis stream${names.length === 1 ? "" : "s"} ${andList(names)}`;
  const items = "shard-hours or on-demand's stream-hours and data, PUT payload units, enhanced fan-out, retention";
  const beyond = beyondStreamsParts(billedBeyondStreams(s));
  if (beyond.length === 0) return `These bills price ${streams} alone (${items}): all that a run of this scenario bills.`;
  return `These bills price ${streams} alone (${items}). They leave out the rest of what a run of this scenario bills: ${andList(beyond)}. \`shardcast run\` prices the whole bill (report.md's Monthly cost).`;
}

/**
 * The monthly bill of every capacity mode for each stream's traffic at the workload's mean (steady, at the scenario's
 * price table), and the throughputs where the modes' bills cross; then what they price (billScopeText).
 */
export function modeBillText(s: Scenario, traces: ReadonlyMap<string, Trace> = new Map()): string {
  return `${streamBillsText(s, traces)}\n\n${billScopeText(s)}`;
}

function streamBillsText(s: Scenario, traces: ReadonlyMap<string, Trace>): string {
  const prices = pricesOf(s.prices);
  const kpl = s.producers.some((p) => p.client === "kpl" && p.kpl.aggregationEnabled);
  return streamTraffics(s, traces)
    .map(({ name, shards, traffic: t, onDemandMax }) => {
      const b = billOfEveryMode(t, shards, prices.usd);
      const mean = t.recordsPerSecond > 0 ? t.bytesPerSecond / t.recordsPerSecond : 0;
      // A provisioned stream of more than 10,000 shards needs a limit increase first (UpdateShardCount API reference):
      // its rows and comparisons say so (helper-79's review: a 10 GiB/s warm-throughput Advantage stream, 10,240 shards,
      // was compared with "provisioned (10240 shards)" as if it could be made).
      const shardsWords = (n: number) => `${thousands(n)} shard${n === 1 ? "" : "s"}`;
      const increase = (n: number) => (needsShardLimitIncrease(n) ? "; needs a limit increase" : "");
      const rows: [string, number, string][] = [
        [`provisioned, ${shardsWords(b.formulaShards)} (the AWS formula${increase(b.formulaShards)})`, b.provisionedAtFormula.total, ""],
        ...(b.shards !== null && b.shards !== b.formulaShards ? ([[`provisioned, ${shardsWords(b.shards)} (the scenario's${increase(b.shards)})`, b.provisionedAtShards!.total, ""]] as [string, number, string][]) : []),
        ["On-demand Standard", b.onDemand.total, t.bytesPerSecond > 0 ? `data in billed at ${((t.onDemandBytesPerRecord * t.recordsPerSecond) / t.bytesPerSecond).toFixed(2)} × the data: records rounded up to 1 KiB` : ""],
        ["On-demand Advantage", b.advantage.total, `at least the account's commitment: ${prices.usd.advantageCommitmentMiBps} MiB/s in and out`],
      ];
      const width = Math.max(...rows.map((r) => r[0].length));
      const usdWidth = Math.max(...rows.map((r) => formatUsd(r[1]).length));
      const scenarioShards = b.shards !== null ? `provisioned (${shardsWords(b.shards)}${needsShardLimitIncrease(b.shards) ? ", with a limit increase" : ""})` : "";
      const be = b.breakEvens;
      // Past this throughput the formula's shards are more than 10,000: its comparisons say where.
      const formulaWithin = formulaThroughputWithinShardLimit(t, be.upTo);
      const formulaLimit = formulaWithin < be.upTo ? `; past ${formatRate(formulaWithin, "bytes")} the formula's shards are more than ${thousands(MAX_SHARDS_PER_STREAM)}, a limit increase` : "";
      const overLimit = needsShardLimitIncrease(b.formulaShards) || (b.shards !== null && needsShardLimitIncrease(b.shards)) || formulaLimit !== "";
      // On-demand takes at most its maximum write throughput in the Region (Kinesis quotas and limits): its bills and
      // comparisons say where they pass it.
      const maxWords = onDemandMaxWords(onDemandMax);
      const onDemandLimit = onDemandMax.bytesPerSecond < be.upTo ? `; past ${formatRate(onDemandMax.bytesPerSecond, "bytes")} on-demand is over its maximum, ${maxWords}` : "";
      // The scenario's shards take at most shards × min(1 MiB/s, 1,000 records/s of the mean record) (Kinesis shard write
      // limits), partition keys included (helper-77: 6 shards of 1,000 records/s of 1,024 B "take 5.86 MiB/s", with 36 B
      // keys 5.80): its bill is compared only up to there (helper-51: "provisioned (4 shards) at every throughput up to 64
      // MiB/s", which 4 shards cannot take).
      // And, read by polling consumers, at most 2 MiB/s a shard shared by them (helper-54: 20 shards "cheaper up to 19.53
      // MiB/s, the most 20 shards take" with three KCL applications, which 20 shards serve up to 13.3 MiB/s).
      const shardsTake = b.shards === null ? be.upTo : shardsTakeBytesPerSecond(b.shards, mean, t.keyBytesPerRecord, t.pollingConsumers);
      const readBound = shardsReadBound(mean, t.keyBytesPerRecord, t.pollingConsumers);
      const withinShards = (c: Comparison) => {
        const upTo = Math.min(be.upTo, shardsTake);
        const text = comparisonText({ ...c, crossings: c.crossings.filter((x) => x.bytesPerSecond < upTo) }, upTo, scenarioShards);
        if (upTo >= be.upTo) return text;
        const most = readBound
          ? `the most ${shardsWords(b.shards!)} serve to ${t.pollingConsumers} polling readers sharing each shard's 2 MiB/s of reads`
          : `the most ${shardsWords(b.shards!)} take`;
        return text.endsWith(`up to ${formatRate(upTo, "bytes")}`) ? `${text}, ${most}` : `${text}, up to ${formatRate(upTo, "bytes")}, ${most}`;
      };
      return [
        `${name}: the monthly bill of every mode at the workload's mean, ${formatRate(t.bytesPerSecond, "bytes")} (${thousands(Math.round(t.recordsPerSecond))} records/s of ${formatBytes(mean)}), steady, at price table ${prices.table} of ${prices.date}${prices.overridden.length > 0 ? " with the scenario's overrides" : ""}`,
        ...rows.map(([label, usd, note]) => `  ${label.padEnd(width)}  ${formatUsd(usd).padStart(usdWidth)}${note ? `  (${note})` : ""}`),
        `  On-demand Standard vs provisioned at the formula's shards: ${comparisonText(be.onDemandVsFormula, be.upTo, "provisioned")}${formulaLimit}${onDemandLimit}`,
        `  On-demand Advantage vs provisioned at the formula's shards: ${comparisonText(be.advantageVsFormula, be.upTo, "provisioned")}${formulaLimit}${onDemandLimit}`,
        ...(be.onDemandVsShards ? [`  On-demand Standard vs ${scenarioShards}: ${withinShards(be.onDemandVsShards)}`] : []),
        ...(be.advantageVsShards ? [`  On-demand Advantage vs ${scenarioShards}: ${withinShards(be.advantageVsShards)}`] : []),
        ...(t.bytesPerSecond > onDemandMax.bytesPerSecond ? [`On-demand scales to at most ${maxWords}: this traffic, ${formatRate(t.bytesPerSecond, "bytes")}, is past it, so the on-demand rows bill a stream the service would throttle.`] : []),
        ...(overLimit
          ? [
              `A provisioned stream of more than ${thousands(MAX_SHARDS_PER_STREAM)} shards needs a limit increase first: by default UpdateShardCount cannot "Scale up to more than 10000 shards in a stream" (UpdateShardCount API reference), and a scenario's stream.shards stops at ${thousands(MAX_SHARDS_PER_STREAM)}.`,
            ]
          : []),
        `Steady traffic at the mean: the peak, skew and on-demand's scaling lag are not in these figures${kpl ? "; KPL records count unaggregated" : ""}.`,
      ].join("\n");
    })
    .join("\n\n");
}

/** "10 GB/s of writes in us-east-1 (the scenario states no region: assumed)": on-demand's maximum, in the quotas page's decimal units. */
function onDemandMaxWords(m: { bytesPerSecond: number; region: string; regionStated: boolean }): string {
  const rate = m.bytesPerSecond >= 1e9 ? `${+(m.bytesPerSecond / 1e9).toPrecision(3)} GB/s` : `${+(m.bytesPerSecond / 1e6).toPrecision(3)} MB/s`;
  return `${rate} of writes in ${m.region} (Kinesis quotas and limits${m.regionStated ? "" : `; the scenario states no region: ${m.region} assumed`})`;
}

/**
 * `shardcast estimate --chart DIR`: per stream, the bill of every mode against the throughput as
 * modes-<stream>.vl.json and .svg (file name → text).
 */
export async function modeBillChartFiles(s: Scenario, traces: ReadonlyMap<string, Trace> = new Map()): Promise<Record<string, string>> {
  const [{ modeBillChart }, { specText }, { renderSvg }] = await Promise.all([import("../report/charts/modeBill.js"), import("../report/charts/kit.js"), import("../report/charts/render.js")]);
  const prices = pricesOf(s.prices);
  const files: Record<string, string> = {};
  for (const { name, shards, traffic, onDemandMax } of streamTraffics(s, traces)) {
    const tableText = `price table ${prices.table} of ${prices.date}${prices.overridden.length > 0 ? " with the scenario's overrides" : ""}`;
    const chart = modeBillChart(name, traffic, billOfEveryMode(traffic, shards, prices.usd), prices.usd, tableText, onDemandMax);
    files[`${chart.name}.vl.json`] = specText(chart.spec);
    files[`${chart.name}.svg`] = await renderSvg(chart.spec);
  }
  return files;
}
