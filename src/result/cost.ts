// The monthly bill of what a run used, itemised per capacity mode: what the service bills — a provisioned stream's
// shard-hours, PUT payload units and extended retention; an on-demand stream's stream-hours (Standard) and GB in
// (each record rounded up to 1 KiB) and out; On-demand Advantage's lower rates and its minimum-throughput
// commitment; long-term retention; enhanced fan-out; the KCL lease tables; Firehose ingestion (records rounded up to
// 5 KB), its S3 PUTs and the Lambda that transforms; Lambda consumers' requests and GB-seconds; consumers' sinks (a
// DynamoDB table's capacity or write request units, S3 PUTs) — measured over the time after warmup and scaled to a 730-hour
// month at the prices of the scenario's price table (src/aws/prices.ts, with `prices.override`).

import { sum } from "d3-array";
import { KPL_AGGREGATION_MAX_SIZE, KPL_RECORD_MAX_BUFFERED_TIME_MS, MiB } from "../aws/limits.js";
import { BYTES_PER_BILLED_GB, HOURS_PER_MONTH, PRICE, PRICES_VERSION, resolvePrices, type PriceItem, type ResolvedPrices } from "../aws/prices.js";
import { fansOut, H as MICROS_PER_HOUR, S as MICROS_PER_SECOND, streamsOf, type CAPACITY_MODES } from "../spec/index.js";
import type { Model } from "../model/build.js";
import { aggregatedBilling, expectedAggregation } from "../model/producers/kplAggregation.js";
import { AggregateBills, RecordSums } from "../model/producers/aggregateBills.js";
import type { RecordBilling } from "../model/producers/producer.js";
import { TOTALS, type Stream } from "../model/kinesis/stream.js";
import type { ConsumerResult, CostHint, FirehoseResult, RunResult } from "./runResult.js";

export type CapacityMode = (typeof CAPACITY_MODES)[number];

/** What a Kinesis stream used, per second after warmup (and its settings): what its mode bills. */
export interface StreamUsage {
  name?: string;
  /** Default provisioned. */
  mode?: CapacityMode;
  /** Mean open shards after warmup (shard-hours ÷ hours): a provisioned stream bills them, and fan-out consumer-shards. */
  shards: number;
  retentionHours: number;
  /** Bytes the stream accepted per second (data and partition keys): what it stores. */
  writeBytesPerSecond: number;
  /** Provisioned: the PUT payload units (25 KB chunks) of the records it accepted, per second. */
  putPayloadUnitsPerSecond?: number;
  /** On-demand: the bytes of data in it bills per second, each record rounded up to 1 KiB. */
  billedInBytesPerSecond?: number;
  /** Bytes read per second with GetRecords (KCL applications, Firehose reading the stream). */
  pollingReadBytesPerSecond?: number;
  /** Enhanced fan-out consumers, and the bytes pushed to them per second (all of them together). */
  efoConsumers?: number;
  efoBytesPerSecond?: number;
  /** Bytes read per second of data older than 7 days (long-term retrieval). Runs do not measure it yet: 0. */
  longTermReadBytesPerSecond?: number;
  /**
   * The share of the billed time this usage covers (default 1). A piece of `byMode` covers the time its mode was in
   * force; its rates are its own bytes and units over the whole billed time, so the pieces add up.
   */
  timeShare?: number;
  /**
   * A run that switched capacity mode (UpdateStreamMode): the usage of each mode's time, billed each at its own
   * mode's prices. The bill sums these instead of the stream as a whole.
   */
  byMode?: StreamUsage[];
}

export interface UsageForCost {
  streams: StreamUsage[];
  leaseTables: { provisioned: { read: number; write: number } | null; writeUnitsPerSecond: number; readUnitsPerSecond: number }[];
  /**
   * Per Firehose delivery stream, per second: billed ingestion bytes (records rounded up to 5 KB), S3 objects
   * written, and with a transformation its Lambda invocations and GB-seconds.
   */
  firehose?: { name: string; billedBytesPerSecond: number; objectsPerSecond: number; lambda?: { invocationsPerSecond: number; gbSecondsPerSecond: number } }[];
  /** Per Lambda consumer, per second: its invocations (requests) and GB-seconds (billed duration × memory ÷ 1,024 MiB). */
  lambdas?: { name: string; invocationsPerSecond: number; gbSecondsPerSecond: number }[];
  /**
   * Per consumer sink, per second: a DynamoDB table's capacity (provisioned units, billed by the hour) or the write
   * request units it used (on-demand); the S3 PUTs of an S3 sink, or of a Redshift sink's staging objects.
   */
  sinks?: { consumer: string; table?: { provisioned: { read: number; write: number } | null; writeUnitsPerSecond: number }; s3PutsPerSecond?: number }[];
}

export interface MonthlyCost {
  total: number;
  items: { item: string; usd: number }[];
}

/** Seconds in the billed month. */
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3_600;

/** GB in a month at this many bytes per second. */
export const gbPerMonth = (bytesPerSecond: number): number => (bytesPerSecond * SECONDS_PER_MONTH) / BYTES_PER_BILLED_GB;

/** GB-months stored at steady state when `bytesPerSecond` is kept for `hours` (from 0 when hours ≤ 0). */
const gbMonthsStored = (bytesPerSecond: number, hours: number): number => (bytesPerSecond * Math.max(0, hours) * 3_600) / BYTES_PER_BILLED_GB;

/** The item names of the bill (report.json keeps them; the report shows them as they are). */
export const COST_ITEMS = {
  shardHours: "shard-hours",
  putPayloadUnits: "PUT payload units",
  extendedRetention: "extended retention",
  longTermRetention: "long-term retention",
  longTermRetrieval: "long-term data retrieval",
  efoConsumerShardHours: "enhanced fan-out consumer-shard-hours",
  efoRetrieval: "enhanced fan-out data retrieval",
  onDemandStreamHours: "on-demand stream-hours",
  onDemandDataIn: "on-demand data in (records rounded up to 1 KiB)",
  onDemandDataOut: "on-demand data out (GetRecords)",
  onDemandEfoRetrieval: "on-demand enhanced fan-out data retrieval",
  onDemandExtendedRetention: "on-demand extended retention",
  advantageDataIn: "On-demand Advantage data in (records rounded up to 1 KiB)",
  advantageDataOut: "On-demand Advantage data out (GetRecords)",
  advantageEfoRetrieval: "On-demand Advantage enhanced fan-out data retrieval",
  advantageExtendedRetention: "On-demand Advantage extended retention",
  advantageCommitment: "On-demand Advantage minimum-throughput commitment (shortfall, account-wide)",
  leaseTables: "KCL lease tables (DynamoDB)",
} as const;

/** What a stream's mode bills, as items (USD a month), before the account-wide Advantage commitment. */
function streamItems(s: StreamUsage, p: Readonly<Record<PriceItem, number>>): { item: string; usd: number }[] {
  const h = HOURS_PER_MONTH;
  const mode = s.mode ?? "provisioned";
  const out: { item: string; usd: number }[] = [];
  const add = (item: string, usd: number) => out.push({ item, usd });
  const polling = s.pollingReadBytesPerSecond ?? 0;
  const efoBytes = s.efoBytesPerSecond ?? 0;
  const efo = s.efoConsumers ?? 0;
  const billedIn = s.billedInBytesPerSecond ?? 0;
  // Data kept 24 h .. 7 days (beyond 24 h) and beyond 7 days.
  const extendedHours = Math.min(s.retentionHours, 168) - 24;
  const longTermHours = s.retentionHours - 168;
  const longTerm = () => {
    if (longTermHours > 0) add(COST_ITEMS.longTermRetention, gbMonthsStored(s.writeBytesPerSecond, longTermHours) * p.longTermRetentionGbMonth);
  };
  const share = s.timeShare ?? 1;
  if (mode === "provisioned") {
    add(COST_ITEMS.shardHours, s.shards * h * p.shardHour);
    add(COST_ITEMS.putPayloadUnits, ((s.putPayloadUnitsPerSecond ?? 0) * SECONDS_PER_MONTH * p.putPayloadUnitPerMillion) / 1e6);
    if (extendedHours > 0) add(COST_ITEMS.extendedRetention, s.shards * h * p.extendedRetentionShardHour);
    longTerm();
    if (efo > 0) {
      add(COST_ITEMS.efoConsumerShardHours, efo * s.shards * h * p.efoConsumerShardHour);
      add(COST_ITEMS.efoRetrieval, gbPerMonth(efoBytes) * p.efoRetrievalGb);
    }
  } else if (mode === "on-demand") {
    add(COST_ITEMS.onDemandStreamHours, share * h * p.onDemandStreamHour);
    add(COST_ITEMS.onDemandDataIn, gbPerMonth(billedIn) * p.onDemandDataInGb);
    if (polling > 0) add(COST_ITEMS.onDemandDataOut, gbPerMonth(polling) * p.onDemandDataOutGb);
    if (efo > 0) add(COST_ITEMS.onDemandEfoRetrieval, gbPerMonth(efoBytes) * p.onDemandEfoRetrievalGb);
    if (extendedHours > 0) add(COST_ITEMS.onDemandExtendedRetention, gbMonthsStored(s.writeBytesPerSecond, extendedHours) * p.onDemandExtendedRetentionGbMonth);
    longTerm();
  } else {
    add(COST_ITEMS.advantageDataIn, gbPerMonth(billedIn) * p.advantageDataInGb);
    if (polling > 0) add(COST_ITEMS.advantageDataOut, gbPerMonth(polling) * p.advantageDataOutGb);
    if (efo > 0) add(COST_ITEMS.advantageEfoRetrieval, gbPerMonth(efoBytes) * p.advantageEfoRetrievalGb);
    if (extendedHours > 0) add(COST_ITEMS.advantageExtendedRetention, gbMonthsStored(s.writeBytesPerSecond, extendedHours) * p.advantageExtendedRetentionGbMonth);
    longTerm();
  }
  if ((s.longTermReadBytesPerSecond ?? 0) > 0) add(COST_ITEMS.longTermRetrieval, gbPerMonth(s.longTermReadBytesPerSecond!) * p.longTermRetrievalGb);
  return out;
}

/**
 * On-demand Advantage bills at least the commitment's throughput of data in and of data out, account-wide: the
 * shortfall below it, at the same rates (USD a month; 0 without an Advantage stream).
 */
export function advantageShortfallUsd(streams: readonly StreamUsage[], p: Readonly<Record<PriceItem, number>>): number {
  const pieces = billedPieces(streams);
  const adv = pieces.filter((s) => s.mode === "on-demand-advantage");
  if (adv.length === 0) return 0;
  // The commitment runs while the account has an Advantage stream: for a stream that switched to or from Advantage,
  // the share of the time it was one (the longest such share when several streams did).
  const share = Math.max(...streams.map((s) => sum(billedPieces([s]).filter((x) => x.mode === "on-demand-advantage"), (x) => x.timeShare ?? 1)));
  const floor = p.advantageCommitmentMiBps * MiB * share;
  const inBytes = sum(adv, (s) => s.billedInBytesPerSecond ?? 0);
  const outBytes = sum(adv, (s) => (s.pollingReadBytesPerSecond ?? 0) + (s.efoBytesPerSecond ?? 0));
  return gbPerMonth(Math.max(0, floor - inBytes)) * p.advantageDataInGb + gbPerMonth(Math.max(0, floor - outBytes)) * p.advantageDataOutGb;
}

/** What the bill counts of these streams: each stream, or for one that switched mode, the usage of each mode's time. */
export function billedPieces(streams: readonly StreamUsage[]): StreamUsage[] {
  return streams.flatMap((s) => s.byMode ?? [s]);
}

/** The monthly bill of this usage at these prices (default: the built-in table), items of the same name summed. */
export function monthlyCost(u: UsageForCost, prices: Readonly<Record<PriceItem, number>> = PRICE): MonthlyCost {
  const p = prices;
  const h = HOURS_PER_MONTH;
  const items: { item: string; usd: number }[] = [];
  const add = (item: string, usd: number) => {
    const i = items.find((x) => x.item === item);
    if (i) i.usd += usd;
    else items.push({ item, usd });
  };
  const pieces = billedPieces(u.streams);
  for (const s of pieces) for (const i of streamItems(s, p)) add(i.item, i.usd);
  if (pieces.some((s) => s.mode === "on-demand-advantage")) add(COST_ITEMS.advantageCommitment, advantageShortfallUsd(u.streams, p));
  let dynamo = 0;
  for (const t of u.leaseTables) {
    if (t.provisioned) dynamo += h * (t.provisioned.write * p.dynamoWcuHour + t.provisioned.read * p.dynamoRcuHour);
    else dynamo += ((t.writeUnitsPerSecond * SECONDS_PER_MONTH) / 1e6) * p.dynamoWruPerMillion + ((t.readUnitsPerSecond * SECONDS_PER_MONTH) / 1e6) * p.dynamoRruPerMillion;
  }
  if (u.leaseTables.length > 0) add(COST_ITEMS.leaseTables, dynamo);
  for (const f of u.firehose ?? []) {
    add(`Firehose ${f.name}: ingestion`, gbPerMonth(f.billedBytesPerSecond) * p.firehoseIngestGb);
    add(`Firehose ${f.name}: S3 PUT requests`, ((f.objectsPerSecond * SECONDS_PER_MONTH) / 1_000) * p.s3PutPerThousand);
    if (f.lambda) {
      const usd = ((f.lambda.invocationsPerSecond * SECONDS_PER_MONTH) / 1e6) * p.lambdaRequestPerMillion + f.lambda.gbSecondsPerSecond * SECONDS_PER_MONTH * p.lambdaGbSecond;
      add(`Firehose ${f.name}: Lambda transformation`, usd);
    }
  }
  for (const l of u.lambdas ?? []) {
    add(`Lambda ${l.name}: requests`, ((l.invocationsPerSecond * SECONDS_PER_MONTH) / 1e6) * p.lambdaRequestPerMillion);
    add(`Lambda ${l.name}: duration (GB-seconds)`, l.gbSecondsPerSecond * SECONDS_PER_MONTH * p.lambdaGbSecond);
  }
  for (const k of u.sinks ?? []) {
    const t = k.table;
    if (t) {
      const usd = t.provisioned ? h * (t.provisioned.write * p.dynamoWcuHour + t.provisioned.read * p.dynamoRcuHour) : ((t.writeUnitsPerSecond * SECONDS_PER_MONTH) / 1e6) * p.dynamoWruPerMillion;
      add(`Sink of ${k.consumer}: DynamoDB table${t.provisioned ? "" : " (on-demand write request units)"}`, usd);
    }
    if (k.s3PutsPerSecond !== undefined) add(`Sink of ${k.consumer}: S3 PUT requests`, ((k.s3PutsPerSecond * SECONDS_PER_MONTH) / 1_000) * p.s3PutPerThousand);
  }
  return { total: items.reduce((a, b) => a + b.usd, 0), items };
}

/**
 * A stream's shard-hours after warmup: the shards open at each moment (Stream.meanOpenShards) integrated over the time
 * after warmup, so a stream that reshards pays for each parent until it closes and each child from when it opens.
 */
export function shardHoursAfterWarmup(stream: Pick<Stream, "meanOpenShards">, model: Pick<Model, "duration" | "warmup">): number {
  return (stream.meanOpenShards(model.warmup, model.duration) * (model.duration - model.warmup)) / MICROS_PER_HOUR;
}

/** The prices a scenario's bill uses: its table with its overrides. */
export function scenarioPrices(model: Pick<Model, "scenario">): ResolvedPrices {
  return resolvePrices(model.scenario.prices?.table, model.scenario.prices?.override);
}

/** The share of a whole-run series' sum after warmup that falls in [from, to) (a bucket cut by an edge counts in part). */
function seriesShare(values: Float64Array, resolution: number, warmup: number, from: number, to: number): number | undefined {
  const within = (a: number, b: number) => {
    let total = 0;
    for (let i = Math.floor(a / resolution); i < values.length && i * resolution < b; i++) {
      const lo = Math.max(a, i * resolution);
      const hi = Math.min(b, (i + 1) * resolution);
      if (hi > lo) total += (values[i]! * (hi - lo)) / resolution;
    }
    return total;
  };
  const all = within(warmup, Number.MAX_SAFE_INTEGER);
  return all > 0 ? within(from, to) / all : undefined;
}

/**
 * A stream that switched capacity mode during the billed time: its usage cut at the switches, each piece billed at
 * its own mode. Time items (shard-hours, stream-hours) follow each mode's time; data in (and PUT payload units,
 * storage) follows the bytes the stream accepted in it, data out the bytes read in it (series at the run's
 * resolution, a bucket cut by a switch counted in proportion). Undefined when one mode held all the billed time.
 */
function modePieces(stream: Stream, model: Pick<Model, "duration" | "warmup">, whole: StreamUsage): StreamUsage[] | undefined {
  const { warmup, duration } = model;
  const span = duration - warmup;
  const intervals = stream.modes
    .map((m, i) => ({ mode: m.mode, from: Math.max(warmup, m.at), to: Math.min(duration, stream.modes[i + 1]?.at ?? duration) }))
    .filter((x) => x.to > x.from);
  if (intervals.length <= 1 || span <= 0) return undefined;
  const res = stream.totals.resolution;
  return intervals.map(({ mode, from, to }) => {
    const time = (to - from) / span;
    const written = seriesShare(stream.totals.row(TOTALS.bytes), res, warmup, from, to) ?? time;
    const read = seriesShare(stream.totals.row(TOTALS.readBytes), res, warmup, from, to) ?? time;
    return {
      ...whole,
      mode,
      timeShare: time,
      shards: stream.meanOpenShards(from, to) * time,
      writeBytesPerSecond: whole.writeBytesPerSecond * written,
      putPayloadUnitsPerSecond: (whole.putPayloadUnitsPerSecond ?? 0) * written,
      billedInBytesPerSecond: (whole.billedInBytesPerSecond ?? 0) * written,
      pollingReadBytesPerSecond: (whole.pollingReadBytesPerSecond ?? 0) * read,
      efoBytesPerSecond: (whole.efoBytesPerSecond ?? 0) * written,
    };
  });
}

/** The monthly cost of a finished model's usage after warmup. */
export function costOf(model: Model, consumers: ConsumerResult[], firehose: FirehoseResult[]): RunResult["cost"] {
  const seconds = (model.duration - model.warmup) / MICROS_PER_SECOND;
  const hours = seconds / 3_600;
  const prices = scenarioPrices(model);
  const specs = streamsOf(model.scenario);
  const fanOut = new Set(model.scenario.consumers.filter(fansOut).map((c) => c.name));
  const streams: StreamUsage[] = model.streams.map((s) => {
    const mode = specs.find((x) => x.name === s.name)?.spec.mode ?? "provisioned";
    const producers = model.producers.filter((p) => p.stream === s);
    const writers = model.writers.filter((w) => w.stream === s);
    // Enhanced fan-out consumers (registered stream consumers: KCL fan-out applications, Lambda event source mappings
    // with a stream consumer, Flink jobs reading with EFO).
    const efo = consumers.filter((c) => fanOut.has(c.name) && c.stream === s.name);
    return {
      name: s.name,
      mode,
      shards: shardHoursAfterWarmup(s, model) / hours,
      retentionHours: s.retention / MICROS_PER_HOUR,
      writeBytesPerSecond: sum(s.acceptedBytes) / seconds,
      // Each producer counts the 25 KB units of the Kinesis records it got accepted (aggregates included), and so
      // does each application writing to a stream; likewise the bytes an on-demand stream bills (1 KiB a record at least).
      putPayloadUnitsPerSecond: (sum(producers, (p) => p.model.stats.payloadUnits) + sum(writers, (w) => w.after.payloadUnits.value)) / seconds,
      billedInBytesPerSecond: (sum(producers, (p) => p.model.stats.onDemandBilledBytes) + sum(writers, (w) => w.after.onDemandBilledBytes.value)) / seconds,
      // Every GetRecords read of the shards: KCL applications and Firehose delivery streams reading the stream.
      pollingReadBytesPerSecond: sum(s.bytesRead) / seconds,
      efoConsumers: efo.length,
      efoBytesPerSecond: sum(efo, (c) => c.bytesRead) / seconds,
    };
  }).map((u, i) => {
    const byMode = modePieces(model.streams[i]!, model, u);
    return byMode ? { ...u, byMode } : u;
  });
  const runSeconds = model.duration / MICROS_PER_SECOND;
  const usage: UsageForCost = {
    streams,
    // Each application's lease table, and for KCL 3.x its lease-owner index and any separate metadata tables
    // (an index is billed as a table: its own provisioned units, or its own request units). Lambda consumers have none.
    leaseTables: consumers.flatMap((c) => {
      if (!c.leaseTable) return [];
      const la = c.leaseAssignment;
      const extra = la ? [la.leaseOwnerIndex, ...(la.workerMetricsTable ? [la.workerMetricsTable] : []), ...(la.coordinatorStateTable ? [la.coordinatorStateTable] : [])] : [];
      return [c.leaseTable, ...extra].map((t) => ({ provisioned: t.provisioned, writeUnitsPerSecond: t.writeUnits / seconds, readUnitsPerSecond: t.readUnits / seconds }));
    }),
    firehose: firehose.map((f) => {
      const memory = model.scenario.firehose.find((x) => x.name === f.name)?.transform?.memory ?? 0;
      const t = f.transform;
      return {
        name: f.name,
        billedBytesPerSecond: f.incoming.billedBytes / seconds,
        // Objects written to S3: the delivered objects of S3 and the staging objects of Redshift.
        objectsPerSecond: f.destination === "opensearch" ? 0 : f.objects.count / seconds, // after warmup
        // The transformation counts its invocations over the whole run: their rate over the whole run.
        ...(t
          ? { lambda: { invocationsPerSecond: t.invocations / runSeconds, gbSecondsPerSecond: (t.invocations * (t.meanDurationUs / MICROS_PER_SECOND) * (memory / 1_073_741_824)) / runSeconds } }
          : {}),
      };
    }),
  };
  // Lambda consumers: what they invoked after warmup, and the billed duration at their memory (GB = 1,024 MiB).
  const lambdas = consumers.flatMap((c) =>
    c.lambda ? [{ name: c.name, invocationsPerSecond: c.lambda.invocations / seconds, gbSecondsPerSecond: (c.lambda.billedDurationUs / MICROS_PER_SECOND) * (c.lambda.memoryBytes / 1_073_741_824) / seconds }] : [],
  );
  if (lambdas.length > 0) usage.lambdas = lambdas;
  if (model.sinks.length > 0) {
    usage.sinks = model.sinks.map((k) => {
      const st = k.stats;
      const t = k.table;
      return {
        consumer: k.name,
        ...(t ? { table: { provisioned: t.provisioned, writeUnitsPerSecond: t.writeUnits / seconds } } : {}),
        ...(k.kind === "s3" || k.kind === "redshift" ? { s3PutsPerSecond: st.objects / seconds } : {}),
      };
    });
  }
  const cost = monthlyCost(usage, prices.usd);
  const priceTable = { id: prices.table, compiled: prices.date, overridden: prices.overridden };
  return { ...cost, prices: PRICES_VERSION, priceTable, hints: costHints(model, firehose, cost, usage, prices.usd) };
}

/** A hint is worth a line when it saves at least this much a month and this share of the item. */
const HINT_MIN_USD = 10;
const HINT_MIN_SHARE = 0.25;

/**
 * The 1 KiB rounding of an on-demand stream's data in: what its records cost now, and what they would cost billed at
 * `billedIfAggregated` bytes a second (the caller's estimate with its plain producers' records aggregated by the KPL;
 * by default the data itself, every record 1 KiB or more). An Advantage stream's saving counts the account-wide
 * commitment: below it, nothing is saved. `producers`: the producers whose aggregation the saving counts. Null when
 * the saving is below the thresholds.
 */
export function onDemandRoundingHint(
  s: StreamUsage,
  all: readonly StreamUsage[],
  p: Readonly<Record<PriceItem, number>>,
  recordsPerSecond: number,
  producers: readonly string[],
  billedIfAggregated = s.writeBytesPerSecond,
): CostHint | null {
  const mode = s.mode ?? "provisioned";
  const billed = s.billedInBytesPerSecond ?? 0;
  const data = s.writeBytesPerSecond;
  if (mode === "provisioned" || billed <= 0 || data <= 0 || recordsPerSecond <= 0 || billed <= data || billedIfAggregated >= billed || producers.length === 0) return null;
  let usd: number;
  let savingUsd: number;
  if (mode === "on-demand") {
    usd = gbPerMonth(billed) * p.onDemandDataInGb;
    savingUsd = gbPerMonth(billed - billedIfAggregated) * p.onDemandDataInGb;
  } else {
    usd = gbPerMonth(billed) * p.advantageDataInGb;
    const packed = all.map((x) => (x === s ? { ...x, billedInBytesPerSecond: billedIfAggregated } : x));
    savingUsd = usd - gbPerMonth(billedIfAggregated) * p.advantageDataInGb + advantageShortfallUsd(all, p) - advantageShortfallUsd(packed, p);
  }
  if (savingUsd < HINT_MIN_USD || savingUsd < HINT_MIN_SHARE * usd) return null;
  return { kind: "on-demand-rounding", stream: s.name ?? "", mode, producers: [...producers], usd, savingUsd, meanRecordBytes: data / recordsPerSecond, billedPerDataByte: billed / data };
}

/**
 * A producer's records after warmup as KPL aggregates with the KPL's defaults, as the KPL model makes them
 * (expectedAggregation): each instance's buffer for a shard takes the records it sends that shard within
 * RecordMaxBufferedTime of its first (its keys spread evenly over the stream's open shards, each key distinct), up to
 * AggregationMaxSize, in the aggregated record format (its magic, key table and MD5 included); a buffer of one record
 * goes plain. The Kinesis records they make, and what they bill: each aggregate its own size rounded up, in expectation
 * over how many records it holds and their sizes (AggregateBills; a trace's records at its periods' sizes, mixed). A
 * producer whose instances send a shard few records in 100 ms fills small aggregates, and saves less. Null without records.
 */
function kplAggregates(x: Model["producers"][number], model: Model, seconds: number): { kinesis: number; billing: RecordBilling } | null {
  const records = x.model.stats.offeredKinesisAfterWarmup;
  const bytes = x.model.stats.offeredWriteBytesAfterWarmup;
  if (records <= 0 || bytes <= 0 || seconds <= 0) return null;
  const routing = x.model.traffic.routing;
  let keyBytes = 0;
  routing.shares.forEach((share, s) => (keyBytes += share * routing.meanKeyBytes[s]!));
  const shards = x.stream ? Math.max(1, x.stream.meanOpenShards(model.warmup, model.duration)) : 1;
  const instances = "instances" in x.model.spec ? Math.max(1, x.model.spec.instances) : 1;
  const lambda = ((records / seconds / instances / shards) * KPL_RECORD_MAX_BUFFERED_TIME_MS) / 1000;
  const maxRecordSize = x.stream?.maxRecordSize ?? KPL_AGGREGATION_MAX_SIZE;
  const distinctKeys = (m: number) => m;
  const bills = new AggregateBills(new RecordSums(x.model.traffic.sizes, maxRecordSize, KPL_AGGREGATION_MAX_SIZE), { maxSize: KPL_AGGREGATION_MAX_SIZE, keyBytes, distinctKeys });
  const a = expectedAggregation({ users: records, dataBytes: Math.max(0, bytes - records * keyBytes), keyBytes, lambda, enabled: true, maxSize: KPL_AGGREGATION_MAX_SIZE, distinctKeys, bills });
  // What they bill as the KPL model bills them: a plain record as the producer's records bill, an aggregate its size rounded.
  const billing = aggregatedBilling(a, { payloadUnits: x.model.traffic.payloadUnitsPerRecord, onDemandBytes: x.model.traffic.onDemandBilledBytesPerRecord });
  return a.kinesis > 0 ? { kinesis: a.kinesis, billing } : null;
}

/** A producer's records accepted after warmup, counted as its PUT payload units are, at each attempt's statistics time: its attempts less those throttled. */
function acceptedAtStatsTime(x: Model["producers"][number]): number {
  return x.model.stats.attempts - x.model.stats.throttledAttempts;
}

/**
 * The PUT payload units a producer's accepted records after warmup would take as KPL aggregates (kplAggregates, of the
 * records it offered: their share accepted), as the KPL model bills them (aggregatedBilling). Its units now count the
 * accepted records only, so the aggregates are taken at the same share.
 */
function kplAggregatedUnits(x: Model["producers"][number], model: Model, seconds: number): number {
  const units = kplAggregates(x, model, seconds)?.billing.payloadUnits ?? 0;
  const offered = x.model.stats.offeredKinesisAfterWarmup;
  if (units <= 0 || offered <= 0) return 0;
  return (Math.min(offered, acceptedAtStatsTime(x)) / offered) * units;
}

/**
 * The bytes an on-demand stream would bill for a plain producer's accepted records after warmup as KPL aggregates
 * (kplAggregates, of the records it offered: their share accepted, counted as its billed bytes are), each rounded up to
 * whole KiB (ON_DEMAND_BILLING_INCREMENT_BYTES) as the KPL model bills them.
 */
function kplAggregatedBilledBytes(x: Model["producers"][number], model: Model, seconds: number): number {
  const billed = x.model.stats.onDemandBilledBytes;
  const offered = x.model.stats.offeredKinesisAfterWarmup;
  if (billed <= 0 || offered <= 0) return billed;
  const a = kplAggregates(x, model, seconds);
  if (!a) return billed;
  const acceptedShare = Math.min(1, acceptedAtStatsTime(x) / offered);
  return Math.min(billed, acceptedShare * a.billing.onDemandBytes);
}

/** Producers whose records a hint's KPL aggregation would pack: the SDK's, the Agent's, and the KPL's with aggregation off. */
function unaggregated(x: Model["producers"][number]): boolean {
  return x.model.spec.client !== "kpl" || !x.model.spec.kpl.aggregationEnabled;
}

function costHints(model: Model, firehose: FirehoseResult[], cost: MonthlyCost, usage: UsageForCost, p: Readonly<Record<PriceItem, number>>): CostHint[] {
  const hints: CostHint[] = [];
  const itemUsd = (name: string) => cost.items.find((i) => i.item === name)?.usd ?? 0;
  for (const f of firehose) {
    const usd = itemUsd(`Firehose ${f.name}: ingestion`);
    const data = f.incoming.bytes;
    if (usd <= 0 || data <= 0 || f.incoming.records <= 0) continue;
    // Packed into records of 5 KB and more, the billed bytes come down to about the data itself.
    const savingUsd = usd * (1 - data / f.incoming.billedBytes);
    if (savingUsd >= HINT_MIN_USD && savingUsd >= HINT_MIN_SHARE * usd) {
      hints.push({ kind: "firehose-rounding", firehose: f.name, source: f.directPut ? "direct-put" : "stream", usd, savingUsd, meanRecordBytes: data / f.incoming.records, billedPerDataByte: f.incoming.billedBytes / data });
    }
  }
  // On-demand streams whose small records pay for a whole KiB each.
  const seconds = (model.duration - model.warmup) / MICROS_PER_SECOND;
  model.streams.forEach((s, i) => {
    const u = usage.streams[i]!;
    // A stream that switched mode pays the rounding only for part of the time: no single-mode hint for it.
    if (u.byMode) return;
    // The producers that put records one by one (SDK, Agent, the KPL with aggregation off), aggregated by the KPL; what
    // the others bill stays.
    const plain = model.producers.filter((x) => x.stream === s && unaggregated(x));
    const billedNow = sum(plain, (x) => x.model.stats.onDemandBilledBytes);
    const billedAggregated = sum(plain, (x) => kplAggregatedBilledBytes(x, model, seconds));
    const billedIfAggregated = (u.billedInBytesPerSecond ?? 0) - (billedNow - billedAggregated) / seconds;
    const hint = onDemandRoundingHint(u, usage.streams, p, sum(s.acceptedRecords) / seconds, plain.map((x) => x.model.spec.name), billedIfAggregated);
    if (hint) hints.push(hint);
  });
  // Producers that put records one by one (SDK, Agent, the KPL with aggregation off) into a provisioned stream.
  const provisioned = new Set(model.streams.filter((_, i) => billedPieces([usage.streams[i]!]).every((u) => (u.mode ?? "provisioned") === "provisioned")));
  const toProvisioned = model.producers.filter((x) => x.stream !== undefined && provisioned.has(x.stream));
  const plain = toProvisioned.filter(unaggregated);
  const units = sum(plain, (x) => x.model.stats.payloadUnits);
  const totalUnits = sum(toProvisioned, (x) => x.model.stats.payloadUnits) + sum(model.writers, (w) => (provisioned.has(w.stream) ? w.after.payloadUnits.value : 0));
  const records = sum(plain, (x) => x.model.stats.offeredKinesisAfterWarmup);
  const bytes = sum(plain, (x) => x.model.stats.offeredWriteBytesAfterWarmup);
  // The units are the accepted records' (a record refused is not billed): per record accepted, never below 1 (helper-74:
  // "0.79 unit each" was the accepted records' units over the records offered, 20.7% of them lost).
  const accepted = sum(plain, acceptedAtStatsTime);
  const usdAll = itemUsd(COST_ITEMS.putPayloadUnits);
  if (units > 0 && records > 0 && totalUnits > 0 && usdAll > 0) {
    const usd = (usdAll * units) / totalUnits;
    // Aggregated by the KPL: an instance's aggregate for a shard takes what it sends that shard within
    // RecordMaxBufferedTime (100 ms by default) of its first record, up to AggregationMaxSize (51,200 B), in whole 25 KB
    // units; its keys spread evenly over the stream's open shards.
    const aggregatedUnits = sum(plain, (x) => kplAggregatedUnits(x, model, seconds));
    const savingUsd = usd * Math.max(0, 1 - aggregatedUnits / units);
    if (savingUsd >= HINT_MIN_USD && savingUsd >= HINT_MIN_SHARE * usd) {
      hints.push({ kind: "put-payload-units", producers: plain.map((x) => x.model.spec.name), usd, savingUsd, meanRecordBytes: bytes / records, unitsPerRecord: accepted > 0 ? units / accepted : 0 });
    }
  }
  return hints;
}
