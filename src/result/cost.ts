// The monthly bill of what a run used: what the service bills — shard-hours, PUT payload units, retention,
// enhanced fan-out consumer-shard-hours and data retrieved, lease-table capacity, Firehose ingestion and S3
// puts — measured over the time after warmup and scaled to a 730-hour month at the prices of src/aws/prices.ts.

import { sum } from "d3-array";
import { KPL_AGGREGATION_MAX_SIZE } from "../aws/limits.js";
import { HOURS_PER_MONTH, PRICE, PRICES_VERSION, PUT_PAYLOAD_UNIT_BYTES } from "../aws/prices.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import type { Model } from "../model/build.js";
import type { ConsumerResult, CostHint, FirehoseResult, RunResult } from "./runResult.js";

/** A Kinesis stream's size, retention and the bytes stored per second (for long-term retention). */
export interface StreamUsage {
  shards: number;
  retentionHours: number;
  writeBytesPerSecond: number;
}

export interface UsageForCost {
  streams: StreamUsage[];
  /** Per second after warmup. */
  putPayloadUnitsPerSecond: number;
  /** Enhanced fan-out: the shards each fan-out consumer reads, summed (consumer-shards), and bytes pushed per second. */
  efoConsumerShards: number;
  efoBytesPerSecond: number;
  leaseTables: { provisioned: { read: number; write: number } | null; writeUnitsPerSecond: number; readUnitsPerSecond: number }[];
  /** Per Firehose delivery stream, per second after warmup: billed ingestion bytes (records rounded up to 5 KB) and S3 objects written. */
  firehose?: { name: string; billedBytesPerSecond: number; objectsPerSecond: number }[];
}

export interface MonthlyCost {
  total: number;
  items: { item: string; usd: number }[];
}

const GB = 1_000_000_000;

export function monthlyCost(u: UsageForCost): MonthlyCost {
  const h = HOURS_PER_MONTH;
  const s = h * 3_600;
  const items: { item: string; usd: number }[] = [];
  const shards = sum(u.streams, (x) => x.shards);
  // No stream (Firehose Direct PUT only): no Kinesis Data Streams items.
  if (shards > 0) items.push({ item: "shard-hours", usd: shards * h * PRICE.shardHour });
  if (shards > 0 || u.putPayloadUnitsPerSecond > 0) {
    items.push({ item: "PUT payload units", usd: (u.putPayloadUnitsPerSecond * s * PRICE.putPayloadUnitPerMillion) / 1e6 });
  }
  const extended = u.streams.filter((x) => x.retentionHours > 24);
  if (extended.length > 0) {
    items.push({ item: "extended retention", usd: sum(extended, (x) => x.shards) * h * PRICE.extendedRetentionShardHour });
    const longTerm = extended.filter((x) => x.retentionHours > 168);
    if (longTerm.length > 0) {
      // Data older than 7 days, at steady state: write rate × (retention − 7 d).
      const storedGb = sum(longTerm, (x) => (x.writeBytesPerSecond * (x.retentionHours - 168) * 3_600) / GB);
      items.push({ item: "long-term retention", usd: storedGb * PRICE.longTermRetentionGbMonth });
    }
  }
  if (u.efoConsumerShards > 0) {
    items.push({ item: "enhanced fan-out consumer-shard-hours", usd: u.efoConsumerShards * h * PRICE.efoConsumerShardHour });
    items.push({ item: "enhanced fan-out data retrieval", usd: ((u.efoBytesPerSecond * s) / GB) * PRICE.efoRetrievalGb });
  }
  let dynamo = 0;
  for (const t of u.leaseTables) {
    if (t.provisioned) dynamo += h * (t.provisioned.write * PRICE.dynamoWcuHour + t.provisioned.read * PRICE.dynamoRcuHour);
    else dynamo += ((t.writeUnitsPerSecond * s) / 1e6) * PRICE.dynamoWruPerMillion + ((t.readUnitsPerSecond * s) / 1e6) * PRICE.dynamoRruPerMillion;
  }
  if (u.leaseTables.length > 0) items.push({ item: "KCL lease tables (DynamoDB)", usd: dynamo });
  for (const f of u.firehose ?? []) {
    items.push({ item: `Firehose ${f.name}: ingestion`, usd: ((f.billedBytesPerSecond * s) / GB) * PRICE.firehoseIngestGb });
    items.push({ item: `Firehose ${f.name}: S3 PUT requests`, usd: ((f.objectsPerSecond * s) / 1_000) * PRICE.s3PutPerThousand });
  }
  return { total: items.reduce((a, b) => a + b.usd, 0), items };
}

/** The monthly cost of a finished model's usage after warmup. */
export function costOf(model: Model, consumers: ConsumerResult[], firehose: FirehoseResult[]): RunResult["cost"] {
  const seconds = (model.duration - model.warmup) / MICROS_PER_SECOND;
  const efo = consumers.filter((c) => c.kind === "fanout");
  const shardsOf = (name: string) => model.streams.find((s) => s.name === name)?.meanOpenShards(model.warmup, model.duration) ?? 0;
  const cost = monthlyCost({
    // Shard-hours bill the shards open at each moment: a stream that reshards pays for its mean open shards.
    streams: model.streams.map((s) => ({ shards: s.meanOpenShards(model.warmup, model.duration), retentionHours: s.retention / 3_600_000_000, writeBytesPerSecond: sum(s.acceptedBytes) / seconds })),
    // Each producer counts the 25 KB units of the Kinesis records it got accepted (aggregates included), and so
    // does each application writing to a stream.
    putPayloadUnitsPerSecond: (sum(model.producers, (p) => (p.toStream ? p.model.stats.payloadUnits : 0)) + sum(model.writers, (w) => w.after.payloadUnits.value)) / seconds,
    efoConsumerShards: sum(efo, (c) => shardsOf(c.stream)),
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
  return { ...cost, prices: PRICES_VERSION, hints: costHints(model, firehose, cost) };
}

/** A hint is worth a line when it saves at least this much a month and this share of the item. */
const HINT_MIN_USD = 10;
const HINT_MIN_SHARE = 0.25;

function costHints(model: Model, firehose: FirehoseResult[], cost: MonthlyCost): CostHint[] {
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
  // Producers that put records one by one (SDK, Agent) into a stream.
  const plain = model.producers.filter((p) => p.toStream && p.model.spec.client !== "kpl");
  const units = sum(plain, (p) => p.model.stats.payloadUnits);
  const totalUnits = units + sum(model.producers, (p) => (p.toStream && p.model.spec.client === "kpl" ? p.model.stats.payloadUnits : 0)) + sum(model.writers, (w) => w.after.payloadUnits.value);
  const records = sum(plain, (p) => p.model.stats.offeredKinesisAfterWarmup);
  const bytes = sum(plain, (p) => p.model.stats.offeredWriteBytesAfterWarmup);
  const usdAll = itemUsd("PUT payload units");
  if (units > 0 && records > 0 && totalUnits > 0 && usdAll > 0) {
    const usd = (usdAll * units) / totalUnits;
    // Aggregated into AggregationMaxSize records of whole 25 KB units: about bytes ÷ 51,200 B aggregates of 2 units.
    const aggregatedUnits = Math.ceil(KPL_AGGREGATION_MAX_SIZE / PUT_PAYLOAD_UNIT_BYTES) * (bytes / KPL_AGGREGATION_MAX_SIZE);
    const savingUsd = usd * Math.max(0, 1 - aggregatedUnits / units);
    if (savingUsd >= HINT_MIN_USD && savingUsd >= HINT_MIN_SHARE * usd) {
      hints.push({ kind: "put-payload-units", producers: plain.map((p) => p.model.spec.name), usd, savingUsd, meanRecordBytes: bytes / records, unitsPerRecord: units / records });
    }
  }
  return hints;
}
