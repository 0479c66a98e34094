// Monthly cost of what a run used, at us-east-1 list prices (KINESIS.md §10). Cost follows what the service
// bills — shard-hours, PUT payload units, enhanced fan-out consumer-shard-hours and data retrieved, lease-table
// capacity — scaled from the simulated time after warmup to a 730-hour month. Prices come from the AWS Price
// List API values in infracost's golden test files [IC] (pull date unknown) and secondary write-ups for
// DynamoDB on-demand after the 2024-11 price cut: re-check before publishing numbers (UNCONFIRMED).

export const PRICES_VERSION = "us-east-1 list prices per KINESIS.md §10 (infracost golden files; UNCONFIRMED)";

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
  dynamoWruPerMillion: 0.625, // on-demand, since 2024-11-01
  dynamoRruPerMillion: 0.125,
  // Firehose ingestion, first 500 TB/month, each record rounded up to 5 KB (KINESIS.md §10: UNCONFIRMED current).
  firehoseIngestGb: 0.029,
  // S3 PUT requests (standard tier) for Firehose's objects: $0.005 per 1,000 (S3 pricing page; UNCONFIRMED).
  s3PutPerThousand: 0.005,
} as const;

/** A record is billed in 25 KB PUT payload units (5 KB → 1 unit, 45 KB → 2, 1 MB → 40). */
export const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;

/** Firehose bills ingestion per GB, each record rounded up to a multiple of 5 KB (Firehose pricing page). */
export const FIREHOSE_BILLING_INCREMENT_BYTES = 5 * 1_024;
