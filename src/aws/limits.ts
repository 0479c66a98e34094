// The real service's limits and defaults, written once, each with its source: an AWS documentation page, the
// Kinesis or Firehose API model (botocore's machine copy of the API Reference:
// https://github.com/boto/botocore/blob/develop/botocore/data/kinesis/2013-12-02/service-2.json and
// .../data/firehose/2015-08-04/service-2.json), or the client library's source on GitHub. docs/limits.md lists
// them all with links. Sizes are binary where the service's byte-level constraints are (the API model's record
// limit is 1,048,576 B; the KPL's limiter counts 1024 * 1024 B/s): 1 MiB = 1,048,576 B. Values marked
// UNCONFIRMED are assumptions, named as such in docs/limits.md; most are scenario settings.

export const LIMITS_VERSION = "kinesis-limits/2026-08-07 (botocore kinesis 2013-12-02 model @0e6e240)";

export const KiB = 1_024;
export const MiB = 1_048_576;

/**
 * Per-shard write limits: Kinesis API Reference PutRecord / PutRecords
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html) and the quotas page
 * (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html).
 */
export const SHARD_WRITE_BYTES_PER_SECOND = MiB; // data blob + partition key bytes
export const SHARD_WRITE_RECORDS_PER_SECOND = 1_000;

/**
 * Burst capacity of the per-shard write buckets, in seconds of the rate. AWS states the quotas per shard per
 * second (https://repost.aws/knowledge-center/kinesis-data-stream-throttling) but does not document the
 * enforcement algorithm: UNCONFIRMED, a scenario setting (stream.writeBurst).
 */
export const DEFAULT_WRITE_BURST_SECONDS = 1;

/**
 * Per-shard shared read limits, for polling consumers: API Reference GetRecords
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html).
 */
export const SHARD_READ_BYTES_PER_SECOND = 2 * MiB;
export const SHARD_READ_CALLS_PER_SECOND = 5;
export const GET_RECORDS_MAX_RECORDS = 10_000;
export const GET_RECORDS_MAX_BYTES = 10 * MiB;

/**
 * Record size: data + partition key, 1 MiB by default, up to 10 MiB per stream since 2025-10
 * (https://docs.aws.amazon.com/streams/latest/dev/large-records.html; API Reference UpdateMaxRecordSize).
 */
export const DEFAULT_MAX_RECORD_SIZE = MiB;
export const MAX_RECORD_SIZE_LIMIT = 10 * MiB;

/**
 * PutRecords request limits: API Reference PutRecords
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html); 5 MiB per request in the API
 * model up to 2025-10, 10 MiB from the 2025-10-27 model on (botocore kinesis service-2.json history).
 */
export const PUT_RECORDS_MAX_RECORDS = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * MiB; // 10 MiB in the 2025-10-27 model onward
export const PUT_RECORDS_MAX_BYTES_2025 = 10 * MiB;

/** Partition key: 1..256 Unicode characters (API Reference PutRecordsRequestEntry, PartitionKey). */
export const PARTITION_KEY_MAX_LENGTH = 256;

/**
 * Retention: default and minimum 24 h, maximum 8,760 h (API Reference IncreaseStreamRetentionPeriod /
 * DecreaseStreamRetentionPeriod: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html).
 */
export const RETENTION_DEFAULT_HOURS = 24;
export const RETENTION_MIN_HOURS = 24;
export const RETENTION_MAX_HOURS = 8_760;

/**
 * Shards per stream: at most 10,000 by default. UpdateShardCount API reference
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html): "By default, you cannot do the
 * following: ... Scale up to more than 10000 shards in a stream", and TargetShardCount: you cannot "Set this value to
 * more than 10000 shards in a stream (the default limit for shard count per stream is 10000 per account per region),
 * unless you request a limit increase". So a provisioned stream of more shards needs that increase first.
 */
export const MAX_SHARDS_PER_STREAM = 10_000;

/**
 * Shards per account and Region, provisioned streams (quotas page:
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html): by default 20,000 in US East
 * (N. Virginia), US West (Oregon) and Europe (Ireland); "for all other Regions, the default shard quota is 1,000
 * or 6,000 shards per AWS account" (which Regions get which is not listed). The quota is adjustable (Service
 * Quotas); CreateStream fails with LimitExceededException when a stream would pass it (API Reference
 * CreateStream: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html). Resharding's
 * short-lived shards count towards it too (API Reference UpdateShardCount:
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html).
 */
export const ACCOUNT_SHARD_QUOTA_LARGE_REGIONS: readonly string[] = ["us-east-1", "us-west-2", "eu-west-1"];
export const ACCOUNT_SHARD_QUOTA_LARGE = 20_000;
export const ACCOUNT_SHARD_QUOTA_OTHER_LOW = 1_000;
export const ACCOUNT_SHARD_QUOTA_OTHER_HIGH = 6_000;
/**
 * The default shard quota of an account in `region`: `quota` is the documented value, or for the Regions the
 * page does not name, the lower of the two it gives, with the higher as `orUpTo`.
 */
export const defaultAccountShardQuota = (region: string): { quota: number; orUpTo?: number } =>
  ACCOUNT_SHARD_QUOTA_LARGE_REGIONS.includes(region) ? { quota: ACCOUNT_SHARD_QUOTA_LARGE } : { quota: ACCOUNT_SHARD_QUOTA_OTHER_LOW, orUpTo: ACCOUNT_SHARD_QUOTA_OTHER_HIGH };

/**
 * Hash key space: 0 .. 2^128 − 1, the MD5 of the partition key (https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html;
 * API Reference HashKeyRange).
 */
export const HASH_KEY_SPACE = 1n << 128n;

/**
 * AWS SDK retry defaults (standard mode): 3 attempts in all, base delay 100 ms, delay capped at 20 s, full
 * jitter (delay = random · 2^attempt · base). Source: smithy-lang/smithy-typescript packages/util-retry/src/constants.ts
 * (DEFAULT_RETRY_DELAY_BASE = 100, MAXIMUM_RETRY_DELAY = 20 * 1000) and src/config.ts (DEFAULT_MAX_ATTEMPTS = 3),
 * used by aws-sdk-js-v3; "Exponential Backoff And Jitter", AWS Architecture Blog, 2015
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). PutRecords partial failures are
 * retried by the application, which usually copies these settings.
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
 * Read byte budget: 2 MiB/s per shard (API Reference GetRecords). A call is allowed while the budget is not in
 * debt. A call the budget covers spends its credit; a call returning more than the budget holds overdraws it and
 * is repaid in full, from nothing: the shard's calls are refused for bytes ÷ 2 MiB/s, so a 10 MiB call blocks the
 * next 5 s whatever came before (API Reference GetRecords: after a call that returns 10 MiB, calls within the
 * next 5 s are throttled). How much credit an idle shard saves is UNCONFIRMED: `stream.readBurst`, default 1 s.
 */
export const DEFAULT_READ_BURST_SECONDS = 1;
export const SHARD_READ_CALL_BURST = 5; // the 5 calls/s bucket holds one second of calls (UNCONFIRMED)

/**
 * Enhanced fan-out: 2 MiB/s per shard per consumer, ~70 ms, 20 consumers per stream
 * (https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html; API Reference RegisterStreamConsumer);
 * subscriptions of 5 min (API Reference SubscribeToShard). The lognormal around ~70 ms is UNCONFIRMED (a setting).
 */
export const EFO_BYTES_PER_SECOND = 2 * MiB;
export const EFO_SUBSCRIPTION_SECONDS = 300;
export const EFO_MAX_CONSUMERS_PER_STREAM = 20;
/**
 * With On-demand Advantage a stream takes 50 enhanced fan-out consumers ("Choose the data stream capacity mode";
 * RegisterStreamConsumer API reference, 2025-11).
 */
export const EFO_MAX_CONSUMERS_PER_STREAM_ADVANTAGE = 50;
export const EFO_PROPAGATION_MEDIAN_MS = 65;
export const EFO_PROPAGATION_P99_MS = 150;

/**
 * KCL defaults, KCL 3.5.1 (awslabs/amazon-kinesis-client, amazon-kinesis-client/src/main/java/software/amazon/kinesis/):
 * retrieval/polling/SimpleRecordsFetcherFactory.java (idleMillisBetweenCalls 1500, maxPendingProcessRecordsInput 3),
 * retrieval/polling/PollingConfig.java (MIN_IDLE_MILLIS_BETWEEN_READS 200), leases/LeaseManagementConfig.java
 * (failoverTimeMillis 10000, epsilonMillis 25).
 */
export const KCL_IDLE_BETWEEN_READS_MS = 1_500;
export const KCL_MIN_IDLE_MS = 200;
export const KCL_FAILOVER_MS = 10_000;
export const KCL_PREFETCH_MAX_BATCHES = 3;
/** The polling prefetch cache also stops fetching at 8 MiB of record data or 30,000 records (SimpleRecordsFetcherFactory maxByteSize, maxRecordsCount). */
export const KCL_PREFETCH_MAX_BYTES = 8 * MiB;
export const KCL_PREFETCH_MAX_RECORDS = 30_000;
/**
 * Renewal interval: failover/3 − 25 ms (3,308 ms at the default); taker interval: (failover + 25 ms) × 2 (20,050 ms)
 * (KCL leases/dynamodb/DynamoDBLeaseCoordinator.java).
 */
export const kclRenewIntervalMs = (failoverMs: number): number => Math.floor(failoverMs / 3) - 25;
export const kclTakerIntervalMs = (failoverMs: number): number => (failoverMs + 25) * 2;
/**
 * Lease taking (KCL 2.x, leases/dynamodb/DynamoDBLeaseTaker.java): a lease whose counter has not moved for
 * veryOldLeaseDurationNanosMultiplier (3) × failoverTimeMillis — or that is new and unowned, which the taker treats as
 * never renewed — is taken with priority, disregarding the target, up to maxLeasesForWorker (priority lease taking,
 * since KCL 2.3, on by default); a take that fails for capacity is tried up to TAKE_RETRIES (3) times.
 */
export const KCL_VERY_OLD_LEASE_MULTIPLIER = 3;
export const KCL_TAKE_RETRIES = 3;
/**
 * Round trip of one DynamoDB conditional write (a lease take), one after another in a taker pass: not documented
 * (DynamoDB's single-digit milliseconds at the service, plus the client): UNCONFIRMED, 10 ms.
 */
export const DYNAMODB_WRITE_LATENCY_MS = 10;
/**
 * A provisioned lease table KCL creates: 10 RCU / 10 WCU (KCL leases/LeaseManagementConfig.java
 * initialLeaseTableRead/WriteCapacity; the default billing mode is PAY_PER_REQUEST since KCL 2.3.7).
 */
export const KCL_PROVISIONED_RCU = 10;
export const KCL_PROVISIONED_WCU = 10;

/**
 * KCL 3.x lease management (KCL 3.5.1, awslabs/amazon-kinesis-client, amazon-kinesis-client/src/main/java/software/amazon/kinesis/):
 * - leases/LeaseManagementConfig.java (https://github.com/awslabs/amazon-kinesis-client/blob/master/amazon-kinesis-client/src/main/java/software/amazon/kinesis/leases/LeaseManagementConfig.java):
 *   leaseAssignmentIntervalMillis defaults to 2 × failoverTimeMillis; WorkerUtilizationAwareAssignmentConfig
 *   inMemoryWorkerMetricsCaptureFrequencyMillis 1 s, workerMetricsReporterFreqInMillis 30 s,
 *   noOfPersistedMetricsPerWorkerMetrics 10, dampeningPercentage 60, reBalanceThresholdPercentage 10,
 *   varianceBalancingFrequency 3, workerMetricsEMAAlpha 0.5; GracefulLeaseHandoffConfig
 *   isGracefulLeaseHandoffEnabled true, gracefulLeaseHandoffTimeoutMillis 30 s; dynamoDbLockBasedLeaderLeaseDurationInMillis
 *   120 s, dynamoDbLockBasedLeaderHeartbeatPeriodInMillis 30 s.
 * - leases/dynamodb/DynamoDBLeaseCoordinator.java: lease discovery every leaseAssignmentIntervalMillis / 2 − epsilon
 *   (9,975 ms at the default), at a fixed rate.
 * - coordinator/DynamicMigrationComponentsInitializer.java: the worker metrics reporter's first run after
 *   2 × inMemoryWorkerMetricsCaptureFrequencyMillis; coordinator/assignment/MigrationAwareLAMDataManager.java: a
 *   worker whose metrics are older than DEFAULT_NO_OF_SKIP_STAT_FOR_DEAD_WORKER_THRESHOLD (2) reports is left out.
 * - worker/WorkerMetricsSelector.java: the CPU metric's operating range, 100 %.
 * - leases/LeaseStatsRecorder.java: a lease's throughput is an EMA (alpha 0.5) of the bytes processed per renewal interval.
 * - lifecycle/LeaseGracefulShutdownHandler.java: the old owner checks its pending handoffs every 2 s.
 * - coordinator/CoordinatorConfig.java: shardConsumerDispatchPollIntervalMillis 1 s (how often a shutdown requested of a
 *   record processor is looked at).
 */
export const KCL3_ASSIGNMENT_INTERVAL_FAILOVERS = 2;
export const kclLeaseDiscoveryIntervalMs = (assignmentIntervalMs: number): number => Math.floor(assignmentIntervalMs / 2) - 25;
export const KCL3_METRICS_CAPTURE_MS = 1_000;
export const KCL3_METRICS_REPORT_MS = 30_000;
export const KCL3_PERSISTED_METRICS = 10;
export const KCL3_DAMPENING_PERCENT = 60;
export const KCL3_REBALANCE_THRESHOLD_PERCENT = 10;
export const KCL3_VARIANCE_BALANCING_FREQUENCY = 3;
export const KCL3_WORKER_METRICS_EMA_ALPHA = 0.5;
export const KCL3_LEASE_THROUGHPUT_EMA_ALPHA = 0.5;
export const KCL3_METRICS_EXPIRY_REPORTS = 2;
export const KCL3_CPU_OPERATING_RANGE_PERCENT = 100;
export const KCL3_HANDOFF_TIMEOUT_MS = 30_000;
export const KCL3_HANDOFF_CHECK_MS = 2_000;
export const KCL3_DISPATCH_POLL_MS = 1_000;
export const KCL3_LEADER_LEASE_MS = 120_000;
export const KCL3_LEADER_HEARTBEAT_MS = 30_000;
/**
 * KCL 2.x → 3.x migration in compatible mode (CoordinatorConfig.clientVersionConfig
 * CLIENT_VERSION_CONFIG_COMPATIBLE_WITH_2X): the leader's coordinator/migration/MigrationReadyMonitor.java checks every
 * minute that the lease-owner index is active and that every lease owner reports worker metrics; once that has held
 * for 10 minutes (coordinator/Scheduler.java, flipTo3XStabilizerTimeInSeconds) it flips the client version to 3.x;
 * each worker's coordinator/migration/ClientVersionChangeMonitor.java looks every minute, the first time after
 * 1 + 0..0.5 minutes (JITTER_FACTOR), and switches to the 3.x lease assignment when it sees the flip.
 */
export const KCL3_MIGRATION_MONITOR_MS = 60_000;
export const KCL3_MIGRATION_STABILIZE_MS = 600_000;
export const KCL3_VERSION_MONITOR_JITTER = 0.5;
/**
 * How long DynamoDB takes to build the lease-owner index on an existing lease table when a 2.x application is
 * migrated: not documented (it depends on the table size). UNCONFIRMED: 5 minutes (setting: the migration event's
 * `indexActiveAfter`).
 */
export const KCL3_INDEX_BUILD_MS = 300_000;
/**
 * A worker's vCPUs, which its processing's CPU share is measured against when processing.concurrency is not set:
 * UNCONFIRMED (setting: consumers[].kcl.workerVcpus), 2.
 */
export const KCL3_DEFAULT_WORKER_VCPUS = 2;
/**
 * The CPU a KCL worker's host shows when its record processors process nothing (the JVM, the KCL's own threads, the
 * OS: the CPU metric reads the whole host, worker/metric/impl/linux/LinuxCpuWorkerMetric.java): UNCONFIRMED (setting:
 * consumers[].kcl.idleCpuPercent), 1 %.
 */
export const KCL3_IDLE_CPU_PERCENT = 1;
/**
 * DynamoDB global secondary index writes (developer guide, global secondary indexes, "Write activity":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Writes):
 * an update that changes an indexed key attribute takes 2 index writes (delete the old index item, put the new one);
 * one that gives an item the key attribute for the first time, 1; one that changes no indexed or projected attribute,
 * none. The lease-owner index (leaseOwner → leaseKey, KEYS_ONLY projection) of KCL 3.x
 * (leases/dynamodb/DynamoDBLeaseRefresher.java, createLeaseOwnerToLeaseKeyIndexIfNotExists) is created with the
 * lease table's capacity mode and, when provisioned, its read and write units. A KEYS_ONLY index item (lease key and
 * owner) and a worker metrics item: UNCONFIRMED sizes (no setting), 100 B and 600 B.
 */
export const DYNAMODB_GSI_WRITES_ON_KEY_CHANGE = 2;
export const LEASE_OWNER_INDEX_ITEM_BYTES = 100;
export const WORKER_METRICS_ITEM_BYTES = 600;

/**
 * DynamoDB: a lease item is well under 1 KB, so each renewal, checkpoint or take is 1 WCU (UNCONFIRMED estimate
 * of the item size); a Scan reads item bytes at 4 KB per RCU, eventually consistent at half price
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html). Provisioned
 * tables keep up to 300 s of unused capacity for bursts
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html).
 */
export const LEASE_WRITE_UNITS = 1;
export const LEASE_ITEM_BYTES = 400;
export const DYNAMODB_RCU_BYTES = 4_096;
export const DYNAMODB_BURST_SECONDS = 300;

/**
 * DynamoDB on-demand capacity (developer guide, on-demand capacity mode, "Initial throughput and scaling
 * properties": https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html;
 * re:Post, "Why is my on-demand DynamoDB table being throttled?":
 * https://repost.aws/knowledge-center/on-demand-table-throttling-dynamodb). A newly created on-demand table has a
 * "previous peak" of 2,000 write request units or 6,000 read request units (the guide's archived copy,
 * https://github.com/awsdocs/amazon-dynamodb-developer-guide/blob/203fb1e5e541b3f17915742032aa1837eefebd34/doc_source/HowItWorks.ReadWriteCapacityMode.md,
 * "Initial Throughput for On-Demand Capacity Mode"); it serves up to double its previous
 * peak at once (4,000 WRU or 12,000 RRU, "or any linear combination of the two"), and throttling can occur if
 * traffic exceeds double the previous peak within 30 minutes. An on-demand table is bounded by the default
 * table-level throughput quota of 40,000 RRU and 40,000 WRU (adjustable:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode-max-throughput.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#default-limits-throughput).
 * How DynamoDB adapts between those points is not documented: see src/model/dynamodb/table.ts for the
 * assumption shardcast makes.
 */
export const DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU = 2_000;
export const DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU = 6_000;
export const DYNAMODB_ON_DEMAND_PEAK_MULTIPLE = 2;
export const DYNAMODB_ON_DEMAND_PEAK_WINDOW_SECONDS = 1_800;
export const DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU = 40_000;
export const DYNAMODB_ON_DEMAND_TABLE_QUOTA_RRU = 40_000;

/**
 * DynamoDB writes to a table that a consumer writes to (a connector sink, src/model/sinks/): one write capacity
 * unit (or write request unit) writes an item of up to 1 KB, larger items take one more per KB or part of it
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html); an item is at most
 * 400 KB; BatchWriteItem takes up to 25 put or delete requests and 16 MB in one call, and returns the items that
 * were throttled as UnprocessedItems for the caller to resend
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
 */
export const DYNAMODB_WRITE_UNIT_BYTES = 1_024;
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1_024;
export const DYNAMODB_BATCH_WRITE_MAX_ITEMS = 25;
export const DYNAMODB_BATCH_WRITE_MAX_BYTES = 16 * MiB;

/**
 * The Amazon Kinesis Connector Library's defaults (KinesisConnectorConfiguration.java,
 * https://github.com/awslabs/amazon-kinesis-connectors/blob/master/src/main/java/com/amazonaws/services/kinesis/connectors/KinesisConnectorConfiguration.java):
 * a record processor's buffer flushes when it holds DEFAULT_BUFFER_RECORD_COUNT_LIMIT (1,000) records or
 * DEFAULT_BUFFER_BYTE_SIZE_LIMIT (1024 × 1024 B) of record data, or when DEFAULT_BUFFER_MILLISECONDS_LIMIT has passed
 * since the last flush (Long.MAX_VALUE: never, by default; BasicMemoryBuffer.shouldFlush). An emit that leaves
 * records unwritten is tried again after DEFAULT_BACKOFF_INTERVAL (10 s), DEFAULT_RETRY_LIMIT (3) tries in all; then
 * IEmitter.fail() gets what is left (KinesisConnectorRecordProcessor.emit). The DynamoDB emitter sends
 * BatchWriteItem requests of 16 items ("Max of sixteen not to exceed maximum request size", DynamoDBEmitter.java).
 */
export const CONNECTOR_BUFFER_RECORDS = 1_000;
export const CONNECTOR_BUFFER_BYTES = 1_024 * 1_024;
export const CONNECTOR_RETRY_LIMIT = 3;
export const CONNECTOR_BACKOFF_MS = 10_000;
export const CONNECTOR_DYNAMODB_BATCH_ITEMS = 16;

/**
 * AWS SDK for Java v2 (what the KCL uses) retries throttling errors, ProvisionedThroughputExceededException
 * among them: 3 attempts in standard mode, backoff base 500 ms for throttles, cap 20 s
 * (aws/aws-sdk-java-v2 core/sdk-core/src/main/java/software/amazon/awssdk/core/internal/retry/SdkDefaultRetrySetting.java:
 * THROTTLED_BASE_DELAY, MAX_BACKOFF, maxAttempts(STANDARD); throttles use equal jitter).
 */
export const JAVA_SDK_MAX_ATTEMPTS = 3;
export const JAVA_SDK_THROTTLED_BASE_MS = 500;
export const JAVA_SDK_MAX_BACKOFF_MS = 20_000;

/**
 * KPL defaults, KPL 1.0.7 (awslabs/amazon-kinesis-producer java/amazon-kinesis-producer-sample/default_config.properties,
 * aws/kinesis/core/configuration.h).
 */
export const KPL_RECORD_MAX_BUFFERED_TIME_MS = 100;
export const KPL_AGGREGATION_MAX_SIZE = 51_200;
export const KPL_COLLECTION_MAX_COUNT = 500;
export const KPL_COLLECTION_MAX_SIZE = 5_242_880;
export const KPL_COLLECTION_MIN_SIZE = 52_224;
export const KPL_RATE_LIMIT_PERCENT = 150;
export const KPL_RECORD_TTL_MS = 30_000;
/**
 * MaxConnections: "Maximum number of connections to open to the backend. HTTP requests are sent in parallel over multiple
 * connections" (default 24, 1 .. 256: awslabs/amazon-kinesis-producer default_config.properties, configuration.h
 * max_connections). The KPL hands it to the AWS SDK as ClientConfiguration.maxConnections (kinesis_producer.cc
 * make_sdk_client_cfg): the curl handle pool's size (aws-sdk-cpp CurlHandleContainer), so at most this many PutRecords
 * of a process are in flight; a further one waits for a handle (ExclusiveOwnershipResourceManager::Acquire).
 */
export const KPL_MAX_CONNECTIONS = 24;
export const KPL_MAX_CONNECTIONS_MAX = 256;
/**
 * The KPL's per-shard limiter (awslabs/amazon-kinesis-producer aws/kinesis/core/limiter.h): records bucket
 * capacity 1,000 (kRecordsPerSecLimit), bytes 10 MiB (kBytesPerRecordLimit, KPL 1.0.6+; 1 MiB before).
 */
export const KPL_LIMITER_RECORDS_CAPACITY = 1_000;
export const KPL_LIMITER_BYTES_CAPACITY = 10 * MiB;
/**
 * The KPL's collector (a PutRecords being filled, one per process and stream) is flushed as soon as the Kinesis records
 * it holds for one predicted shard reach 256 KiB, "because that makes traffic to that shard bursty"
 * (awslabs/amazon-kinesis-producer aws/kinesis/core/collector.h should_flush, `d >= 256 * 1024`, counting each record's
 * data). Records with no predicted shard, as with aggregation off (aggregator.h), are not counted.
 */
export const KPL_COLLECTOR_SHARD_FLUSH_BYTES = 256 * KiB;
/**
 * With aggregation on, a Kinesis record reaching the KPL's collector gets a deadline at least min(50 ms,
 * RecordMaxBufferedTime × 0.2) from then (awslabs/amazon-kinesis-producer aws/kinesis/core/pipeline.h collector_put,
 * `extend_deadline_from_now(putrecords_buffer_duration())`, `max_putrecords_buffer_time = 50`,
 * `putrecords_buffer_ratio = 0.2`): the collector sends what it holds that long after the first due record reaches it.
 */
export const KPL_COLLECTOR_MAX_BUFFER_MS = 50;
export const KPL_COLLECTOR_BUFFER_RATIO = 0.2;
/**
 * Aggregated record format: 4-byte magic + protobuf + 16-byte MD5 (awslabs/amazon-kinesis-producer
 * aggregation-format.md; aws/kinesis/core/kinesis_record.h kFixedOverhead).
 */
export const KPL_AGGREGATE_FIXED_OVERHEAD = 20;

/**
 * Kinesis Agent defaults (awslabs/amazon-kinesis-agent src/com/amazon/kinesis/streaming/agent/Constants.java,
 * tailing/KinesisConstants.java, tailing/KinesisFileFlow.java): maxBufferAgeMillis 60,000 (1,000 .. 900,000),
 * maxBufferSizeRecords 500, maxBufferSizeBytes 5 MiB, retryInitialBackoffMillis 100, retryMaxBackoffMillis 10,000;
 * failed buffers are queued for retry without a limit (tailing/PublishingQueue.java).
 */
export const AGENT_BUFFER_AGE_MS = 60_000;
export const AGENT_MIN_BUFFER_AGE_MS = 1_000;
export const AGENT_MAX_BUFFER_AGE_MS = 900_000;
export const AGENT_RETRY_INITIAL_BACKOFF_MS = 100;
export const AGENT_RETRY_MAX_BACKOFF_MS = 10_000;
/**
 * The agent's own record limit, data plus partition key: a record longer than its flow's getMaxRecordSizeBytes()
 * is truncated to it before it is sent, not dropped (tailing/FileTailer.java processRecordsInCurrentFile,
 * AbstractRecord.truncate). 1 MiB for a Kinesis stream flow (tailing/KinesisConstants.java MAX_RECORD_SIZE_BYTES,
 * whatever the stream's maxRecordSize), 1,000 KiB for a Firehose flow (tailing/FirehoseConstants.java).
 * shardcast does not model the truncation: src/spec/warnings.ts warns where it would happen.
 */
export const AGENT_MAX_RECORD_SIZE_KINESIS = MiB;
export const AGENT_MAX_RECORD_SIZE_FIREHOSE = 1_000 * 1_024;

// ---------------------------------------------------------------------------------------------------------
// Amazon Data Firehose (https://docs.aws.amazon.com/firehose/latest/dev/; API Reference
// https://docs.aws.amazon.com/firehose/latest/APIReference/).

/**
 * Ingest: records ≤ 1,000 KiB; PutRecordBatch ≤ 500 records, ≤ 4 MiB (Firehose API Reference PutRecordBatch
 * and Record: https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html).
 */
export const FIREHOSE_MAX_RECORD_SIZE = 1_024_000;
export const FIREHOSE_PUT_BATCH_MAX_RECORDS = 500;
export const FIREHOSE_PUT_BATCH_MAX_BYTES = 4 * MiB;
/**
 * Direct PUT quotas in us-east-1, us-west-2 and eu-west-1; other regions 100,000 / 1,000 / 1 MiB
 * (https://docs.aws.amazon.com/firehose/latest/dev/limits.html).
 */
export const FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND = 500_000;
export const FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND = 2_000;
export const FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND = 5 * MiB;
/** Burst capacity of the Direct PUT quota buckets, in seconds at the quota: undocumented, UNCONFIRMED (1 s, as for shards). */
export const FIREHOSE_DIRECT_PUT_BURST_SECONDS = 1;

/**
 * Buffering hints: S3 (and Redshift's intermediate S3) 1–128 MiB, OpenSearch 1–100 MiB; 0–900 s; 5 MiB / 300 s
 * (Firehose API Reference BufferingHints, AmazonopensearchserviceBufferingHints:
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html).
 */
export const FIREHOSE_BUFFER_MIN_BYTES = MiB;
export const FIREHOSE_BUFFER_MAX_BYTES_S3 = 128 * MiB;
export const FIREHOSE_BUFFER_MAX_BYTES_OPENSEARCH = 100 * MiB;
export const FIREHOSE_BUFFER_DEFAULT_BYTES = 5 * MiB;
export const FIREHOSE_BUFFER_MAX_INTERVAL_S = 900;
export const FIREHOSE_BUFFER_DEFAULT_INTERVAL_S = 300;
/**
 * Zero buffering (an interval hint of 0): "Firehose will not buffer data and will deliver data within a few seconds"
 * (https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html); how often it then writes is not documented.
 * An assumption: what has arrived is delivered at each whole second of the run, one delivery a second (more when the
 * size hint cuts), however it arrived. A second is the interval hint's unit, and how often Firehose reads each shard
 * of a Kinesis stream source. The same for the Lambda transformation's buffer with an interval of 0: one invocation a
 * second (more when its size cuts).
 */
export const FIREHOSE_ZERO_BUFFERING_PERIOD_S = 1;

/**
 * Lambda transformation (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html): buffer 0.2–3 MB
 * (default 1 MB; the guide says MB), interval 0–900 s (default 60 s), NumberOfRetries 3, invocations up to
 * 5 minutes; its payloads are Lambda's synchronous ones (LAMBDA_SYNC_PAYLOAD_MAX_BYTES, with the record data in
 * base64); with a Kinesis stream as source "When the destination is Amazon S3, Amazon Redshift, or OpenSearch Service,
 * Amazon Data Firehose allows up to 5 outstanding Lambda invocations per shard" (Firehose guide, quota,
 * https://docs.aws.amazon.com/firehose/latest/dev/limits.html): per shard it reads, a closed parent until read to its
 * end, its children from then (src/model/firehose/sourceReader.ts, shardsRead). For Direct PUT no Firehose limit
 * is documented: the Lambda account default of 1,000 concurrent executions
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); using it here is UNCONFIRMED.
 */
export const FIREHOSE_LAMBDA_BUFFER_MIN_BYTES = 200_000;
export const FIREHOSE_LAMBDA_BUFFER_MAX_BYTES = 3_000_000;
export const FIREHOSE_LAMBDA_BUFFER_DEFAULT_BYTES = 1_000_000;
export const FIREHOSE_LAMBDA_DEFAULT_INTERVAL_S = 60;
export const FIREHOSE_LAMBDA_DEFAULT_RETRIES = 3;
export const FIREHOSE_LAMBDA_MAX_DURATION_S = 300;
export const FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD = 5;
export const LAMBDA_ACCOUNT_CONCURRENCY = 1_000;

/**
 * A Lambda function's memory: 128 MB to 10,240 MB in 1 MB steps, 128 MB when CreateFunction does not set MemorySize
 * (Lambda API Reference CreateFunction, https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html; Lambda's
 * MB is 1,048,576 B: duration is billed in GB-seconds of memory ÷ 1,024, https://aws.amazon.com/lambda/pricing/).
 */
export const LAMBDA_MEMORY_MIN_BYTES = 128 * MiB;
export const LAMBDA_MEMORY_MAX_BYTES = 10_240 * MiB;
export const LAMBDA_MEMORY_DEFAULT_BYTES = 128 * MiB;

/**
 * With a Kinesis stream as source: GetRecords once per second per shard, from LATEST (Firehose guide,
 * awsdocs/amazon-kinesis-data-firehose-developer-guide doc_source/writing-with-kinesis-streams.md).
 */
export const FIREHOSE_KDS_POLL_INTERVAL_MS = 1_000;

/**
 * Delivery retries (https://docs.aws.amazon.com/firehose/latest/dev/retry.html; API Reference RedshiftRetryOptions,
 * AmazonopensearchserviceRetryOptions): S3 retries for up to 24 h,
 * Firehose's longest data retention, then the data is lost; Redshift retry duration 0–7,200 s (default 3,600 s),
 * then the manifest goes to errors/; OpenSearch 0–7,200 s (default 300 s), then the documents go to the S3 backup.
 * The duration counts from the first attempt. The spacing of retries is not documented: UNCONFIRMED, 5 s.
 */
export const FIREHOSE_MAX_RETENTION_H = 24;
export const FIREHOSE_RETRY_DURATION_MAX_S = 7_200;
export const FIREHOSE_REDSHIFT_RETRY_DURATION_S = 3_600;
export const FIREHOSE_OPENSEARCH_RETRY_DURATION_S = 300;
export const FIREHOSE_RETRY_INTERVAL_S = 5;

// ---------------------------------------------------------------------------------------------------------
// Resharding and capacity modes (issue 12).

/**
 * UpdateShardCount (UNIFORM_SCALING): the target is at most twice and at least half the open shards, and a stream
 * takes at most 10 scaling operations per rolling 24 hours (UpdateShardCount API reference, "Limits").
 */
export const UPDATE_SHARD_COUNT_MAX_FACTOR = 2;
export const UPDATE_SHARD_COUNT_PER_24H = 10;
/** KCL: how often a child shard's lease checks whether its parents are done (CoordinatorConfig.parentShardPollIntervalMillis). */
export const KCL_PARENT_SHARD_POLL_MS = 10_000;
/**
 * On-demand Standard ("Choose the data stream capacity mode"): a new stream takes 4 MB/s of writes and 8 MB/s of
 * reads; the stream accommodates up to twice the peak write throughput of the previous 30 days, and traffic above
 * that within about 15 minutes may be throttled while the service adds capacity. Per shard the limits stay 1 MiB/s
 * and 1,000 records/s, so one partition key still caps there.
 */
export const ON_DEMAND_NEW_STREAM_WRITE_BYTES_PER_SECOND = 4_000_000;
export const ON_DEMAND_PEAK_MULTIPLE = 2;
export const ON_DEMAND_SCALE_DELAY_SECONDS = 900;
/**
 * The most an on-demand stream writes: "In US East (N. Virginia), US West (Oregon), and Europe (Ireland) AWS Regions,
 * data streams with the on-demand capacity mode scale up to 10 GB/s of write and 20 GB/s read throughput" (200 MB/s
 * of writes in other Regions unless a support ticket raises it to 10 GB/s), Kinesis quotas and limits
 * (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html), read as 10,000,000,000 B/s like the
 * page's 4 MB/s is 4,000,000 B/s. The on-demand shards that take it at a shard's 1 MiB/s, ceil(10^10 ÷ 2^20) = 9,537
 * (9,536 take 9,999,220,736 B/s, short of it), are ON_DEMAND_MAX_SHARDS: the shards a stream starts with from its
 * previous peak and the service's own splits both stop there. AWS states the bound in bytes only (the page gives on-demand
 * shards "no upper limit"); holding the shards to it caps a stream of small records at 9,537,000 records/s too, an
 * ASSUMPTION. Not UpdateShardCount's 10,000 shards (MAX_SHARDS_PER_STREAM): that is a provisioned stream's call.
 */
export const ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND = 10_000_000_000;
/** The on-demand shards a maximum write throughput (bytes/s) needs at a shard's 1 MiB/s: where the service's splits stop (9,537 for 10 GB/s, 191 for 200 MB/s). */
export const onDemandMaxShards = (maxWriteBytesPerSecond: number): number => Math.ceil(maxWriteBytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND);
export const ON_DEMAND_MAX_SHARDS = onDemandMaxShards(ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND);
/**
 * The Regions where on-demand takes 10 GB/s of writes by default; in every other Region, "data streams with the
 * on-demand capacity mode scale up to 200 MB/s of write and 400 MB/s read throughput", and "if you require an increase
 * to up to 10 GB/s write and 20 GB/s read capacity in those Regions, submit a support ticket" (Kinesis quotas and limits,
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html). 200 MB/s is read as 200,000,000 B/s, as
 * the 10 GB/s is; at 1 MiB/s a shard it takes ceil(2·10^8 ÷ 2^20) = 191 shards. The page names the same three Regions
 * for the larger default shard quota: one list.
 */
export const ON_DEMAND_LARGE_REGIONS: readonly string[] = ACCOUNT_SHARD_QUOTA_LARGE_REGIONS;
export const ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND_OTHER_REGIONS = 200_000_000;
/** On-demand's default maximum write throughput (bytes/s) in `region`: 10 GB/s in the three Regions above, 200 MB/s elsewhere. */
export const onDemandDefaultMaxWrite = (region: string): number =>
  ON_DEMAND_LARGE_REGIONS.includes(region) ? ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND : ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND_OTHER_REGIONS;
/**
 * On-demand: how the service adds capacity. The 2022 developer guide ("Choose the data stream capacity mode",
 * awsdocs/amazon-kinesis-data-streams-developer-guide, doc_source/how-do-i-size-a-stream.md): a shard whose incoming
 * traffic exceeds 500 KB/s is split, within 15 minutes, its hash key range split evenly. The current guide no longer
 * states the trigger, so it is an ASSUMPTION (setting: stream.onDemand.splitTrigger), read as 500,000 B/s (KB as the
 * guide's 4 MB/s is 4,000,000 B/s). The records trigger, half the shard's 1,000 records/s like the bytes trigger is
 * about half its 1 MiB/s, is an ASSUMPTION too (setting: stream.onDemand.splitTriggerRecords): no AWS text gives one.
 */
export const ON_DEMAND_SPLIT_TRIGGER_BYTES_PER_SECOND = 500_000;
export const ON_DEMAND_SPLIT_TRIGGER_RECORDS_PER_SECOND = 500;
/**
 * On-demand Advantage: warm throughput up to 10 GiB/s. UpdateStreamWarmThroughput API reference
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamWarmThroughput.html), default limits: "Scale
 * to more than 10 GiBps for an on-demand stream" is refused; its WarmThroughputMiBps is in MiB/s, so the most is
 * 10,240 MiB/s (10,737,418,240 B/s), not On-demand Standard's 10 GB/s (ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND). At 1 MiB/s
 * a shard it is 10,240 shards (ON_DEMAND_ADVANTAGE_MAX_WARM_SHARDS), which neither the 10 GB/s (9,537 shards) nor
 * UpdateShardCount's 10,000 shards (MAX_SHARDS_PER_STREAM, a limit of that provisioned-only call) bounds.
 */
export const ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND = 10 * 1_073_741_824;
export const ON_DEMAND_ADVANTAGE_MAX_WARM_SHARDS = ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND / SHARD_WRITE_BYTES_PER_SECOND;
/**
 * Switching capacity mode: at most twice per rolling 24 hours per stream ("Choose the data stream capacity mode",
 * https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html): UpdateStreamMode, between PROVISIONED and
 * ON_DEMAND. On-demand Standard ↔ Advantage is the account's UpdateAccountSettings and does not count.
 */
export const MODE_SWITCHES_PER_24H = 2;
/**
 * On-demand Advantage's minimum throughput commitment (the account's UpdateAccountSettings,
 * MinimumThroughputBillingCommitment) lasts at least 24 hours: "Commitments have a minimum duration of 24 hours that
 * must be honored before they can be disabled. If you attempt to disable a commitment before the minimum commitment
 * period ends, the commitment will be scheduled for automatic disable at the earliest allowed end time"
 * (MinimumThroughputBillingCommitmentInput API reference,
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MinimumThroughputBillingCommitmentInput.html).
 */
export const ADVANTAGE_COMMITMENT_MIN_HOURS = 24;

// ---------------------------------------------------------------------------------------------------------
// Autoscaling policies (issue 12): CloudWatch's metrics and alarms as the policies read them, and the defaults of the
// two policies shardcast replays. Sources: awslabs/amazon-kinesis-scaling-utils at 23ba220 (version .9.8.8) and
// aws-samples/kinesis-auto-scaling at e1e52f8 (golang/scale.go, kinesis_scaling_cf.yaml).

/**
 * Kinesis sends its stream-level (basic) metrics to CloudWatch every minute ("Monitoring the Amazon Kinesis Data
 * Streams service with Amazon CloudWatch"); both policies read 1-minute Sums (scaling-utils StreamMonitor.java:38
 * CLOUDWATCH_PERIOD = 60, StreamMetricManager.java:82 Statistic.SUM).
 */
export const CLOUDWATCH_METRIC_PERIOD_S = 60;
/**
 * How long after a minute ends its datapoint can be read. AWS does not document it: UNCONFIRMED, a scenario
 * setting (autoscaling[].publicationLag).
 */
export const CLOUDWATCH_PUBLICATION_LAG_S = 60;
/** GetMetricStatistics returns at most 1,440 datapoints a call (GetMetricStatistics API reference): scaleAfterMins ≤ 1,440. */
export const CLOUDWATCH_GET_METRIC_STATISTICS_MAX_DATAPOINTS = 1_440;
/**
 * An alarm with a period of a minute or more is evaluated once a minute: observed, not stated for such periods by
 * the CloudWatch guide ("Using Amazon CloudWatch alarms" states 10 s for 10 s and 30 s periods): UNCONFIRMED, no setting.
 */
export const CLOUDWATCH_ALARM_EVALUATION_S = 60;
/** PutMetricAlarm: for a period under an hour, Period × EvaluationPeriods ≤ 86,400 s (PutMetricAlarm API reference). */
export const CLOUDWATCH_ALARM_MAX_EVALUATION_S = 86_400;

/**
 * amazon-kinesis-scaling-utils defaults: checkInterval 45 s, refreshShardsNumberAfterMin 10, coolOffMins 0
 * (AutoscalingConfiguration.java:56, 60, 229-235). Its capacity per shard for GET is 2,097,152 B/s and 2,000
 * records/s (KinesisOperationType.java GET.getMaxCapacity; the records figure is the tool's, not a Kinesis limit);
 * for PUT 1,048,576 B/s and 1,000 records/s, the shard write limits. After UpdateShardCount it waits for ACTIVE:
 * DescribeStreamSummary at once, then after 20 s, then every second (StreamScalingUtils.java:96-113).
 */
export const SCALING_UTILS_CHECK_INTERVAL_S = 45;
export const SCALING_UTILS_REFRESH_SHARDS_AFTER_MIN = 10;
export const SCALING_UTILS_GET_RECORDS_PER_SHARD = 2_000;
export const SCALING_UTILS_ACTIVE_FIRST_WAIT_S = 20;
export const SCALING_UTILS_ACTIVE_POLL_S = 1;

/**
 * aws-samples/kinesis-auto-scaling defaults, as its CloudFormation template deploys them (kinesis_scaling_cf.yaml:
 * 25-36 parameters, 72-79 the Lambda's environment): scale up at ≥ 0.75 of the stream's capacity in 5 of 5
 * datapoints of 5 minutes, down at < 0.25 in 57 of 60, iterator-age blocking of scale-downs off (-1). The alarm
 * period is 5 minutes (kinesis_scaling_cf.yaml:230; scale.go:365 hard-codes it when the Lambda rewrites the alarms).
 */
export const AUTO_SCALING_UP_THRESHOLD = 0.75;
export const AUTO_SCALING_DOWN_THRESHOLD = 0.25;
export const AUTO_SCALING_PERIOD_MINS = 5;
export const AUTO_SCALING_UP_EVALUATION_PERIODS = 5;
export const AUTO_SCALING_UP_DATAPOINTS = 5;
export const AUTO_SCALING_DOWN_EVALUATION_PERIODS = 60;
export const AUTO_SCALING_DOWN_DATAPOINTS = 57;
export const AUTO_SCALING_DOWN_MIN_ITER_AGE_MINS = -1;

/**
 * KPL: how long after a wrong-shard result its shard map is read again (ListShards) and predictions follow the new
 * map. The KPL invalidates its shard map on a wrong-shard result and updates it (aws/kinesis/core/shard_map.cc); the
 * time it takes is an assumption (a ListShards round trip and the KPL's scheduling).
 */
export const KPL_SHARD_MAP_REFRESH_MS = 500;

/**
 * Apache Flink's legacy Kinesis consumer (FlinkKinesisConsumer; apache/flink-connector-aws
 * flink-connector-kinesis/src/main/java/org/apache/flink/streaming/connectors/kinesis/config/ConsumerConfigConstants.java,
 * 5.x): each shard's fetch loop calls GetRecords for up to SHARD_GETRECORDS_MAX (10,000) records, emits them, then
 * sleeps what is left of SHARD_GETRECORDS_INTERVAL_MILLIS (200 ms) since the loop began
 * (internals/publisher/polling/PollingRecordPublisher.java adjustRunLoopFrequency); new shards are looked for every
 * SHARD_DISCOVERY_INTERVAL_MILLIS (10 s). A throttled GetRecords is retried SHARD_GETRECORDS_RETRIES (3) times after
 * a full-jitter sleep, random × min(max, base × constant^retry), base 300 ms, max 1,000 ms, constant 1.5
 * (proxy/KinesisProxy.java getRecords, proxy/FullJitterBackoff.java); when they run out it throws "Retries exceeded
 * for getRecords operation" and the job fails.
 */
export const FLINK_GETRECORDS_INTERVAL_MS = 200;
/**
 * Below FlinkKinesisConsumer's own retries, its AWS SDK for Java v1 client (a default ClientConfiguration:
 * KinesisProxy.createKinesisClient) retries throttles too: ProvisionedThroughputExceededException is a throttling
 * error code (aws/aws-sdk-java aws-java-sdk-core/src/main/java/com/amazonaws/retry/RetryUtils.java), retried
 * DEFAULT_MAX_ERROR_RETRY (3) times with equal jitter from a 500 ms throttled base delay, capped at 20 s
 * (retry/PredefinedRetryPolicies.java, SDKDefaultBackoffStrategy THROTTLED_BASE_DELAY_IN_MILLISECONDS,
 * MAX_BACKOFF_IN_MILLISECONDS).
 */
export const JAVA_SDK_V1_MAX_ERROR_RETRY = 3;
export const JAVA_SDK_V1_THROTTLED_BASE_MS = 500;
export const JAVA_SDK_V1_MAX_BACKOFF_MS = 20_000;
export const FLINK_GETRECORDS_MAX = 10_000;
export const FLINK_SHARD_DISCOVERY_INTERVAL_MS = 10_000;
export const FLINK_GETRECORDS_RETRIES = 3;
export const FLINK_GETRECORDS_BACKOFF_BASE_MS = 300;
export const FLINK_GETRECORDS_BACKOFF_MAX_MS = 1_000;
export const FLINK_GETRECORDS_BACKOFF_EXPONENT = 1.5;
/**
 * Flink's newer KinesisStreamsSource (flink-connector-aws 5.x,
 * flink-connector-aws-kinesis-streams/src/main/java/org/apache/flink/connector/kinesis/source/): after a GetRecords
 * that returned records the split is fetched again at the first opportunity; after an empty one it waits
 * source.reader.empty-records-fetch-interval, 250 ms (config/KinesisSourceConfigOptions.java,
 * reader/KinesisShardSplitReaderBase.java scheduleNextFetchTime); shards are discovered every 10 s
 * (source.shard.discovery.interval) and a child split is assigned once its parents are finished (preserveShardOrder,
 * KinesisStreamsSourceBuilder.java, default true). Its AWS SDK v2 client retries with exponential backoff and half
 * jitter, 300 ms to 1,000 ms, 50 attempts (flink-connector-aws-base .../aws/config/AWSConfigOptions.java
 * retry-strategy.delay.min/max, retry-strategy.attempts.max; KinesisStreamsSource.java createExpBackoffRetryStrategy).
 */
export const FLINK_SOURCE_EMPTY_FETCH_INTERVAL_MS = 250;
export const FLINK_SOURCE_RETRY_MAX_ATTEMPTS = 50;
/**
 * Managed Service for Apache Flink checkpoints every 60,000 ms by default (CheckpointConfiguration, DEFAULT
 * configuration type: https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CheckpointConfiguration.html).
 */
export const MANAGED_FLINK_CHECKPOINT_INTERVAL_MS = 60_000;
/**
 * Spark Structured Streaming's Kinesis source on Amazon EMR 7.1+ (the spark-sql-kinesis-connector,
 * https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-spark-structured-streaming-kinesis.html; options in
 * https://github.com/awslabs/spark-sql-kinesis-connector README "Kinesis Source Configuration"): consumerType
 * GetRecords, getRecords.numberOfRecordsPerFetch 10,000, getRecords.fetchIntervalMs 200 ms (the minimum interval of
 * two GetRecords calls; retrieval/polling/PollingRecordBatchPublisher.scala sleeps what is left of it after emitting),
 * maxFetchRecordsPerShard 100,000 per micro-batch, describeShardInterval 1 s, and Kinesis API calls tried
 * clientNumRetries (5) times in all, waiting clientRetryIntervalsMs (1,000 ms) doubling to clientMaxRetryIntervalMs
 * (10,000 ms) between them, without jitter (client/KinesisClientConsumerImpl.scala retryOrTimeout). A micro-batch's task reads
 * its shard until it is caught up (MillisBehindLatest 0) or has read maxFetchRecordsPerShard
 * (KinesisV2PartitionReader.scala). With no trigger set, a micro-batch starts as soon as the previous one completes
 * (https://spark.apache.org/docs/latest/structured-streaming-programming-guide.html#triggers).
 */
export const SPARK_KINESIS_FETCH_INTERVAL_MS = 200;
export const SPARK_KINESIS_RECORDS_PER_FETCH = 10_000;
export const SPARK_KINESIS_MAX_FETCH_RECORDS_PER_SHARD = 100_000;
export const SPARK_KINESIS_DESCRIBE_SHARD_INTERVAL_MS = 1_000;
export const SPARK_KINESIS_CLIENT_RETRIES = 5;
export const SPARK_KINESIS_CLIENT_RETRY_INTERVAL_MS = 1_000;
export const SPARK_KINESIS_CLIENT_MAX_RETRY_INTERVAL_MS = 10_000;
/**
 * A Lambda event source mapping reading a Kinesis stream (CreateEventSourceMapping, Lambda API Reference:
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html; the parameters' Kinesis ranges
 * and defaults: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html). BatchSize 1–10,000,
 * default 100; MaximumBatchingWindowInSeconds 0–300, default 0; ParallelizationFactor 1–10, default 1 (concurrent
 * batches per shard, in order per partition key); MaximumRetryAttempts −1 (infinite, the default) or 0–10,000;
 * MaximumRecordAgeInSeconds −1 (infinite, the default) or 60–604,800; TumblingWindowInSeconds 0–900.
 */
export const LAMBDA_ESM_BATCH_SIZE_MAX = 10_000;
export const LAMBDA_ESM_BATCH_SIZE_DEFAULT = 100;
export const LAMBDA_ESM_BATCHING_WINDOW_MAX_S = 300;
export const LAMBDA_ESM_PARALLELIZATION_MAX = 10;
export const LAMBDA_ESM_RETRY_ATTEMPTS_MAX = 10_000;
export const LAMBDA_ESM_RECORD_AGE_MIN_S = 60;
export const LAMBDA_ESM_RECORD_AGE_MAX_S = 604_800;
export const LAMBDA_ESM_TUMBLING_WINDOW_MAX_S = 900;

/**
 * Polling: "Lambda polls each shard in your Kinesis stream for records at a base rate of once per second. When more
 * records are available, Lambda keeps processing batches until the function catches up with the stream" (Lambda
 * developer guide, "Using Lambda with Kinesis", https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html).
 */
export const LAMBDA_ESM_POLL_INTERVAL_MS = 1_000;

/**
 * The synchronous invocation payload, request and response: 6 MB each (Lambda quotas,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); Invoke refuses a request of more than
 * 6,291,456 bytes (6 × 1,048,576, RequestEntityTooLargeException). A Kinesis event carries each record's data in
 * base64, 4 bytes for every 3, and so do a Firehose transformation's request and response (the events' other fields
 * are not counted: an assumption).
 */
export const LAMBDA_SYNC_PAYLOAD_MAX_BYTES = 6 * MiB;

/**
 * A function's timeout: 1–900 s, default 3 s (CreateFunction Timeout, Lambda API Reference:
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
 */
export const LAMBDA_TIMEOUT_DEFAULT_S = 3;
export const LAMBDA_TIMEOUT_MAX_S = 900;

/** Lambda bills duration rounded up to the nearest 1 ms (https://aws.amazon.com/lambda/pricing/). */
export const LAMBDA_BILLED_DURATION_STEP_MS = 1;

/**
 * Assumptions of the Lambda consumer model, not documented by AWS (UNCONFIRMED; each is a scenario setting):
 * the poller's GetRecords Limit (10,000, the API's largest, as the KCL's), its round trip and throttle backoff (those of the KCL's
 * SDK); the wait before a throttled or failed invocation is tried again (1 s); a cold start's init duration
 * (lognormal, median 250 ms, p99 1 s) and how long an idle execution environment stays warm (10 minutes).
 */
export const LAMBDA_ESM_RETRY_DELAY_MS = 1_000;
export const LAMBDA_COLD_START_MEDIAN_MS = 250;
export const LAMBDA_COLD_START_P99_MS = 1_000;
export const LAMBDA_IDLE_ENVIRONMENT_MINUTES = 10;
