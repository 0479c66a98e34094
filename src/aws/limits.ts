// The real service's limits and defaults, written once. Every value cites ../shared/KINESIS.md (section and
// source key) or the source named beside it. Sizes are binary where the service's byte-level constraints are
// (KINESIS.md §1.1 "Unit note": 1 MiB = 1,048,576 B). Values marked UNCONFIRMED are assumptions that the
// scenario can override.

export const LIMITS_VERSION = "kinesis-limits/2026-08-07 (botocore kinesis 2013-12-02 model @0e6e240)";

export const KiB = 1_024;
export const MiB = 1_048_576;

/** Per-shard write limits (KINESIS.md §1.1 [API26 PutRecord/PutRecords], [DG22 key-concepts.md]). */
export const SHARD_WRITE_BYTES_PER_SECOND = MiB; // data blob + partition key bytes
export const SHARD_WRITE_RECORDS_PER_SECOND = 1_000;

/**
 * Burst capacity of the per-shard write buckets, in seconds of the rate. AWS states the quotas per shard per
 * second but does not document the enforcement algorithm (KINESIS.md §1.3, §13): UNCONFIRMED, a scenario setting.
 */
export const DEFAULT_WRITE_BURST_SECONDS = 1;

/** Per-shard shared read limits, for polling consumers (KINESIS.md §1.1 [API26 GetRecords]). */
export const SHARD_READ_BYTES_PER_SECOND = 2 * MiB;
export const SHARD_READ_CALLS_PER_SECOND = 5;
export const GET_RECORDS_MAX_RECORDS = 10_000;
export const GET_RECORDS_MAX_BYTES = 10 * MiB;

/** Record size: data + partition key, 1 MiB by default, up to 10 MiB per stream since 2025-10 (KINESIS.md §1.2). */
export const DEFAULT_MAX_RECORD_SIZE = MiB;
export const MAX_RECORD_SIZE_LIMIT = 10 * MiB;

/** PutRecords request limits (KINESIS.md §1.2 [API26 PutRecordsRequestEntryList, PutRecords]). */
export const PUT_RECORDS_MAX_RECORDS = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * MiB; // 10 MiB in the 2025-10-27 model onward
export const PUT_RECORDS_MAX_BYTES_2025 = 10 * MiB;

/** Partition key: 1..256 Unicode characters (KINESIS.md §1.2 [API26 PartitionKey]). */
export const PARTITION_KEY_MAX_LENGTH = 256;

/** Retention: default and minimum 24 h, maximum 8,760 h (KINESIS.md §3 [API26]). */
export const RETENTION_DEFAULT_HOURS = 24;
export const RETENTION_MIN_HOURS = 24;
export const RETENTION_MAX_HOURS = 8_760;

/** Shards per stream: at most 10,000 (KINESIS.md §4 [API26 UpdateShardCount]). */
export const MAX_SHARDS_PER_STREAM = 10_000;

/** Hash key space: 0 .. 2^128 − 1 (KINESIS.md §2). */
export const HASH_KEY_SPACE = 1n << 128n;

/**
 * AWS SDK retry defaults (standard mode): 3 attempts in all, base delay 100 ms, delay capped at 20 s, full
 * jitter (delay = random · 2^attempt · base). Source: aws-sdk-js-v3 @aws-sdk/middleware-retry constants.ts
 * (DEFAULT_RETRY_DELAY_BASE = 100, MAXIMUM_RETRY_DELAY = 20 * 1000) and @smithy/util-retry DEFAULT_MAX_ATTEMPTS = 3;
 * "Exponential Backoff And Jitter", AWS Architecture Blog, 2015. PutRecords partial failures are retried by the
 * application, which usually copies these settings.
 */
export const SDK_RETRY_MAX_ATTEMPTS = 3;
export const SDK_RETRY_BASE_MS = 100;
export const SDK_RETRY_CAP_MS = 20_000;

/**
 * Put request latency (send → response). Not documented by AWS; CloudWatch PutRecords.Latency is typically
 * tens of milliseconds in-region. UNCONFIRMED: a lognormal with median 20 ms and p99 100 ms, a scenario setting.
 */
export const DEFAULT_PUT_LATENCY_MEDIAN_MS = 20;
export const DEFAULT_PUT_LATENCY_P99_MS = 100;

/** Polling read defaults. GetRecords latency is not documented: UNCONFIRMED lognormal, median 20 ms, p99 100 ms. */
export const DEFAULT_GET_LATENCY_MEDIAN_MS = 20;
export const DEFAULT_GET_LATENCY_P99_MS = 100;

/**
 * Read byte budget: 2 MiB/s per shard, which one call may overdraw (KINESIS.md §1.1, §1.3 [API26 GetRecords]:
 * a call returning 10 MiB makes the next 5 s of calls fail). The budget holds `stream.readBurst` of credit
 * (default 1 s, UNCONFIRMED): a 10 MiB call from a full budget blocks the shard's calls for 4 s, from an empty
 * one for 5 s. A call is allowed while the budget is not in debt.
 */
export const DEFAULT_READ_BURST_SECONDS = 1;
export const SHARD_READ_CALL_BURST = 5; // the 5 calls/s bucket holds one second of calls (UNCONFIRMED)

/** Enhanced fan-out (KINESIS.md §6): 2 MiB/s per shard per consumer, ~70 ms, subscriptions of 5 min, 20 per stream. */
export const EFO_BYTES_PER_SECOND = 2 * MiB;
export const EFO_SUBSCRIPTION_SECONDS = 300;
export const EFO_MAX_CONSUMERS_PER_STREAM = 20;
export const EFO_PROPAGATION_MEDIAN_MS = 65;
export const EFO_PROPAGATION_P99_MS = 150;

/** KCL defaults (KINESIS.md §7.1, KCL master 3.5.1 / 2.x). */
export const KCL_IDLE_BETWEEN_READS_MS = 1_500;
export const KCL_MIN_IDLE_MS = 200;
export const KCL_FAILOVER_MS = 10_000;
export const KCL_PREFETCH_MAX_BATCHES = 3;
/** Renewal interval: failover/3 − 25 ms (3,308 ms at the default); taker interval: (failover + 25 ms) × 2 (20,050 ms). */
export const kclRenewIntervalMs = (failoverMs: number): number => Math.floor(failoverMs / 3) - 25;
export const kclTakerIntervalMs = (failoverMs: number): number => (failoverMs + 25) * 2;
/** A provisioned lease table KCL creates: 10 RCU / 10 WCU (KCL 1.x default; 2.x when provisioned is chosen). */
export const KCL_PROVISIONED_RCU = 10;
export const KCL_PROVISIONED_WCU = 10;

/**
 * DynamoDB (KINESIS.md §7.3): a lease item is well under 1 KB, so each renewal, checkpoint or take is 1 WCU
 * (UNCONFIRMED estimate); a Scan reads item bytes at 4 KB per RCU, eventually consistent at half price.
 * Provisioned tables keep up to 300 s of unused capacity for bursts.
 */
export const LEASE_WRITE_UNITS = 1;
export const LEASE_ITEM_BYTES = 400;
export const DYNAMODB_RCU_BYTES = 4_096;
export const DYNAMODB_BURST_SECONDS = 300;

/**
 * AWS SDK for Java v2 (what the KCL uses) retries throttling errors, ProvisionedThroughputExceededException
 * among them: 3 attempts in standard mode, backoff base 500 ms for throttles, cap 20 s
 * (aws-sdk-java-v2 core/sdk-core SdkDefaultRetrySetting: THROTTLED_BASE_DELAY, MAX_BACKOFF, maxAttempts;
 * throttles use equal jitter).
 */
export const JAVA_SDK_MAX_ATTEMPTS = 3;
export const JAVA_SDK_THROTTLED_BASE_MS = 500;
export const JAVA_SDK_MAX_BACKOFF_MS = 20_000;

/** KPL defaults (KINESIS.md §8.1, KPL 1.0.7 default_config.properties / configuration.h). */
export const KPL_RECORD_MAX_BUFFERED_TIME_MS = 100;
export const KPL_AGGREGATION_MAX_SIZE = 51_200;
export const KPL_COLLECTION_MAX_COUNT = 500;
export const KPL_COLLECTION_MAX_SIZE = 5_242_880;
export const KPL_COLLECTION_MIN_SIZE = 52_224;
export const KPL_RATE_LIMIT_PERCENT = 150;
export const KPL_RECORD_TTL_MS = 30_000;
/** The KPL's per-shard limiter (KINESIS.md §8.2 [KPL limiter.h]): records bucket capacity 1,000, bytes 10 MiB (1.0.6+). */
export const KPL_LIMITER_RECORDS_CAPACITY = 1_000;
export const KPL_LIMITER_BYTES_CAPACITY = 10 * MiB;
/** Aggregated record format (KINESIS.md §8.4): 4-byte magic + protobuf + 16-byte MD5. */
export const KPL_AGGREGATE_FIXED_OVERHEAD = 20;

/**
 * Kinesis Agent defaults (awslabs/amazon-kinesis-agent Constants.java, KinesisConstants.java,
 * KinesisFileFlow.java): maxBufferAgeMillis 60,000 (1,000 .. 900,000), maxBufferSizeRecords 500, maxBufferSizeBytes
 * 5 MiB, retryInitialBackoffMillis 100, retryMaxBackoffMillis 10,000; failed buffers are queued for retry
 * without a limit.
 */
export const AGENT_BUFFER_AGE_MS = 60_000;
export const AGENT_MIN_BUFFER_AGE_MS = 1_000;
export const AGENT_MAX_BUFFER_AGE_MS = 900_000;
export const AGENT_RETRY_INITIAL_BACKOFF_MS = 100;
export const AGENT_RETRY_MAX_BACKOFF_MS = 10_000;

// ---------------------------------------------------------------------------------------------------------
// Amazon Data Firehose (KINESIS.md §9).

/** Ingest (KINESIS.md §9.4 [FHAPI26 PutRecordBatch, FHDG23 limits.md]): records ≤ 1,000 KiB; PutRecordBatch ≤ 500 records, ≤ 4 MiB. */
export const FIREHOSE_MAX_RECORD_SIZE = 1_024_000;
export const FIREHOSE_PUT_BATCH_MAX_RECORDS = 500;
export const FIREHOSE_PUT_BATCH_MAX_BYTES = 4 * MiB;
/** Direct PUT quotas in us-east-1, us-west-2 and eu-west-1 (KINESIS.md §9.4); other regions 100,000 / 1,000 / 1 MiB. */
export const FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND = 500_000;
export const FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND = 2_000;
export const FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND = 5 * MiB;
/** Burst capacity of the Direct PUT quota buckets, in seconds at the quota: undocumented, UNCONFIRMED (1 s, as for shards). */
export const FIREHOSE_DIRECT_PUT_BURST_SECONDS = 1;

/** Buffering hints (KINESIS.md §9.1 [FHAPI26 BufferingHints]): S3 (and Redshift's intermediate S3) 1–128 MiB, OpenSearch 1–100 MiB; 0–900 s; 5 MiB / 300 s. */
export const FIREHOSE_BUFFER_MIN_BYTES = MiB;
export const FIREHOSE_BUFFER_MAX_BYTES_S3 = 128 * MiB;
export const FIREHOSE_BUFFER_MAX_BYTES_OPENSEARCH = 100 * MiB;
export const FIREHOSE_BUFFER_DEFAULT_BYTES = 5 * MiB;
export const FIREHOSE_BUFFER_MAX_INTERVAL_S = 900;
export const FIREHOSE_BUFFER_DEFAULT_INTERVAL_S = 300;

/**
 * Lambda transformation (KINESIS.md §9.2 [data-transformation page]): buffer 0.2–3 MB (default 1 MB; the guide
 * says MB), interval 0–900 s (default 60 s), NumberOfRetries 3, invocations up to 5 minutes, 6 MB payloads; with a
 * Kinesis stream as source at most 5 outstanding invocations per shard (FHDG23 limits.md). For Direct PUT no
 * Firehose limit is documented: the Lambda account default of 1,000 concurrent executions (Lambda quotas page).
 */
export const FIREHOSE_LAMBDA_BUFFER_MIN_BYTES = 200_000;
export const FIREHOSE_LAMBDA_BUFFER_MAX_BYTES = 3_000_000;
export const FIREHOSE_LAMBDA_BUFFER_DEFAULT_BYTES = 1_000_000;
export const FIREHOSE_LAMBDA_DEFAULT_INTERVAL_S = 60;
export const FIREHOSE_LAMBDA_DEFAULT_RETRIES = 3;
export const FIREHOSE_LAMBDA_MAX_DURATION_S = 300;
export const FIREHOSE_LAMBDA_PAYLOAD_MAX_BYTES = 6_000_000;
export const FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD = 5;
export const LAMBDA_ACCOUNT_CONCURRENCY = 1_000;

/** With a Kinesis stream as source: GetRecords once per second per shard, from LATEST (KINESIS.md §9.5). */
export const FIREHOSE_KDS_POLL_INTERVAL_MS = 1_000;

/**
 * Delivery retries (KINESIS.md §9.3; Firehose guide "Handle data delivery failures"): S3 retries for up to 24 h,
 * Firehose's longest data retention, then the data is lost; Redshift retry duration 0–7,200 s (default 3,600 s),
 * then the manifest goes to errors/; OpenSearch 0–7,200 s (default 300 s), then the documents go to the S3 backup.
 * The duration counts from the first attempt. The spacing of retries is not documented: UNCONFIRMED, 5 s.
 */
export const FIREHOSE_MAX_RETENTION_H = 24;
export const FIREHOSE_RETRY_DURATION_MAX_S = 7_200;
export const FIREHOSE_REDSHIFT_RETRY_DURATION_S = 3_600;
export const FIREHOSE_OPENSEARCH_RETRY_DURATION_S = 300;
export const FIREHOSE_RETRY_INTERVAL_S = 5;
