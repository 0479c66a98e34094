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
