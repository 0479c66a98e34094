// Consumers: KCL applications reading by polling (GetRecords) or by enhanced fan-out (SubscribeToShard).

import { z } from "zod";
import * as L from "../aws/limits.js";
import { H, MS, NAME, NAME_MESSAGE, S, streamRef } from "./common.js";
import { duration, size } from "./fields.js";
import { LambdaConsumerSchema } from "./lambda.js";
import { LatencySchema } from "./latency.js";
import { FLINK_DESCRIPTION, flinkFields, SPARK_DESCRIPTION, sparkFields } from "./processors.js";
import { SinkSchema } from "./sinks.js";
import { PartitionKeySchema } from "./traffic.js";


export const consumerName = z.string().regex(NAME, NAME_MESSAGE).describe("Consumer application name, unique in the scenario (the lease table's name).");

export const ProcessingSchema = z.strictObject({
  perRecord: duration(0, 60 * S).prefault("0ms").describe("Processing time per record (user records, after de-aggregation)."),
  perBatch: duration(0, 600 * S).prefault("0ms").describe("Processing time per processRecords call, on top of the per-record time."),
  variability: z
    .number()
    .min(0)
    .max(10)
    .default(0)
    .describe("Coefficient of variation of a batch's processing time (lognormal around the mean); 0 = exactly the mean."),
  concurrency: z
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe("Batches a worker processes at once; more wait their turn. Default: unlimited (KCL's cached thread pool). Set it to the worker's vCPUs for CPU-bound processing."),
});

export const CheckpointSchema = z
  .strictObject({
    every: duration(1 * MS, 24 * H).optional().describe("Checkpoint after a batch when this long has passed since the last checkpoint."),
    records: z.int().min(1).max(1e12).optional().describe("Checkpoint after a batch when this many records were processed since the last checkpoint."),
  })
  .describe("When the record processor calls checkpoint() (a 1-WCU write to the lease table). Omitted: never; a new lease owner then starts at the initial position.");

export const LeaseTableSchema = z.discriminatedUnion("capacity", [
  z.strictObject({
    capacity: z.literal("provisioned"),
    read: z.int().min(1).max(40_000).default(L.KCL_PROVISIONED_RCU).describe("Provisioned read capacity units (KCL's default when it creates a provisioned table: 10)."),
    write: z.int().min(1).max(40_000).default(L.KCL_PROVISIONED_WCU).describe("Provisioned write capacity units (KCL default: 10)."),
    burst: duration(1 * S, L.DYNAMODB_BURST_SECONDS * S)
      .prefault(`${L.DYNAMODB_BURST_SECONDS}s`)
      .describe("Unused capacity DynamoDB keeps for bursts (1 s to 300 s of the provisioned rate); the table starts with it full."),
  }),
  z
    .strictObject({
      capacity: z.literal("onDemand"),
      previousPeak: z
        .strictObject({
          write: z
            .number()
            .min(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU)
            .max(L.DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU)
            .default(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU)
            .describe("Write request units per second of the table's previous peak (a new table's: 2,000)."),
          read: z
            .number()
            .min(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU)
            .max(L.DYNAMODB_ON_DEMAND_TABLE_QUOTA_RRU)
            .default(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU)
            .describe("Read request units per second of the table's previous peak (a new table's: 6,000)."),
        })
        .optional()
        .describe(
          "The highest traffic the table has served before the run, for a table that is not new (a table switched from provisioned capacity starts from its highest provisioned units). Default: a new table's previous peak, 2,000 WRU or 6,000 RRU.",
        ),
    })
    .describe(
      "Pay per request (KCL 2.3.7+ default). Serves up to twice its previous peak at once (a new table: 4,000 WRU or 12,000 RRU per second, or a linear combination), and twice a new peak from 30 minutes after it; at most 40,000 WRU and 40,000 RRU per second (the table quota).",
    ),
]);

export const LeaseSchema = z.strictObject({
  failover: duration(1 * S, 3_600 * S)
    .prefault(`${L.KCL_FAILOVER_MS}ms`)
    .describe("failoverTimeMillis: a lease not renewed for this long is expired and may be taken. Renewals run every failover/3 − 25 ms, the lease taker every (failover + 25 ms) × 2."),
  maxLeasesForWorker: z.int().min(1).max(1_000_000).optional().describe("Most leases one worker takes (default unlimited)."),
  maxLeasesToStealAtOneTime: z.int().min(1).max(1_000).default(1).describe("Leases a worker steals per taker run to rebalance (default 1)."),
});

/**
 * The KCL's major version and its 3.x lease management settings (LeaseManagementConfig, under the KCL's names; the
 * defaults are KCL 3.5.1's, src/aws/limits.ts). 2.x: every worker scans the lease table and takes or steals leases
 * by count (`lease:`). 3.x: an elected leader assigns the leases by the workers' reported utilisation, workers find
 * theirs through the lease-owner index, and a lease moved by a rebalance is handed off gracefully.
 */
export const KclSchema = z
  .strictObject({
    version: z
      .union([z.literal(2), z.literal(3)], { error: "kcl.version must be 2 or 3" })
      .default(3)
      .describe("The KCL major version: 2 (lease taker and stealing by count) or 3 (leader assignment by worker utilisation; the current major, default)."),
    leaseAssignmentIntervalMillis: duration(1 * S, 3_600 * S)
      .optional()
      .describe("3.x: how often the elected leader runs the lease assignment (fixed delay). Default: 2 × lease.failover (20 s). Workers look for their leases every half of it, less 25 ms."),
    workerMetric: z
      .enum(["cpu", "throughput"])
      .default("cpu")
      .describe(
        "3.x: what a worker reports for the WORKER_UTILIZATION_AWARE balancing. cpu (the KCL's default on EC2, ECS and EKS): the CPU its record processing takes, busy processing time over workerVcpus; throughput (a worker with no CPU metric): the bytes/s of the leases it holds against the fleet's average.",
      ),
    workerVcpus: z
      .int()
      .min(1)
      .max(1_024)
      .optional()
      .describe("3.x, workerMetric cpu: the worker's vCPUs, which its busy processing time is measured against (at most 100 %). Default: processing.concurrency when set, else 2 (an assumption)."),
    idleCpuPercent: z
      .number()
      .min(0)
      .max(100)
      .default(L.KCL3_IDLE_CPU_PERCENT)
      .describe("3.x, workerMetric cpu: the CPU a worker's host shows while its record processors process nothing (the JVM, the KCL's threads, the OS), added to what processing takes. Default 1 % (an assumption)."),
    workerUtilizationAwareAssignmentConfig: z
      .strictObject({
        workerMetricsReporterFreqInMillis: duration(1 * S, 3_600 * S)
          .prefault(`${L.KCL3_METRICS_REPORT_MS / 1000}s`)
          .describe("How often a worker writes its metrics (the average since its last report) to the worker metrics table (KCL: 30 s)."),
        noOfPersistedMetricsPerWorkerMetrics: z.int().min(1).max(1_000).default(L.KCL3_PERSISTED_METRICS).describe("Reports a worker keeps in its item; the leader averages them (KCL: 10)."),
        workerMetricsEMAAlpha: z.number().gt(0).max(1).default(L.KCL3_WORKER_METRICS_EMA_ALPHA).describe("Weight of the newest report in the leader's exponential moving average (KCL: 0.5)."),
        reBalanceThresholdPercentage: z
          .int()
          .min(1)
          .max(1_000)
          .default(L.KCL3_REBALANCE_THRESHOLD_PERCENT)
          .describe("A worker more than this % above (or below) the fleet's average utilisation triggers a rebalance (KCL: 10)."),
        dampeningPercentage: z.int().min(1).max(100).default(L.KCL3_DAMPENING_PERCENT).describe("Share of a hot worker's excess over the average moved in one rebalance (KCL: 60)."),
        varianceBalancingFrequency: z.int().min(1).max(1_000).default(L.KCL3_VARIANCE_BALANCING_FREQUENCY).describe("The leader rebalances every this many assignment runs (KCL: 3)."),
        allowThroughputOvershoot: z.boolean().default(true).describe("When no lease fits within the throughput to move, move the smallest (KCL: true)."),
      })
      .prefault({})
      .describe("3.x: WorkerUtilizationAwareAssignmentConfig."),
    gracefulLeaseHandoffConfig: z
      .strictObject({
        isGracefulLeaseHandoffEnabled: z.boolean().default(true).describe("A lease moved by the leader is checkpointed and released by its old owner before the new one starts (KCL: true)."),
        gracefulLeaseHandoffTimeoutMillis: duration(1 * S, 3_600 * S)
          .prefault(`${L.KCL3_HANDOFF_TIMEOUT_MS / 1000}s`)
          .describe("How long the old owner waits for its record processor to finish its batch before it gives the lease up without a checkpoint (KCL: 30 s)."),
      })
      .prefault({})
      .describe("3.x: GracefulLeaseHandoffConfig."),
    dynamoDbLockBasedLeaderLeaseDurationInMillis: duration(1 * S, 3_600 * S)
      .prefault(`${L.KCL3_LEADER_LEASE_MS / 1000}s`)
      .describe("3.x: the leader lock's lease: when the leader stops, another worker becomes leader this long after its last heartbeat (KCL: 120 s)."),
    dynamoDbLockBasedLeaderHeartbeatPeriodInMillis: duration(1 * S, 3_600 * S)
      .prefault(`${L.KCL3_LEADER_HEARTBEAT_MS / 1000}s`)
      .describe("3.x: the leader's lock heartbeat, a write; the others look for a leader at most this often (KCL: 30 s)."),
    metadataTables: z
      .enum(["leaseTable", "separate"])
      .default("leaseTable")
      .describe(
        "3.x: where the worker metrics and the coordinator state (leader lock, migration state) live: leaseTable (KCL 3.5+ single-table format, the default for new applications) or separate (KCL 3.0–3.4: the WorkerMetricStats and CoordinatorState tables).",
      ),
    workerMetricsTable: LeaseTableSchema.prefault({ capacity: "onDemand" }).describe("3.x, metadataTables separate: the worker metrics table's capacity (KCL: on-demand)."),
    coordinatorStateTable: LeaseTableSchema.prefault({ capacity: "onDemand" }).describe("3.x, metadataTables separate: the coordinator state table's capacity (KCL: on-demand)."),
  })
  .describe("The KCL version and its 3.x lease management (LeaseManagementConfig and CoordinatorConfig names).");

/** What a consumer application writes to another stream of the scenario, after processing. */
export const OutputSchema = z
  .strictObject({
    stream: streamRef().describe("The stream it writes to (not the one it reads)."),
    recordsPerRecord: z
      .number()
      .gt(0)
      .max(1_000)
      .default(1)
      .describe("Records written per record processed: 1 writes one (enriched) record for each; less than 1 filters, more than 1 fans out."),
    sizeFactor: z.number().gt(0).max(100).default(1).describe("Size of a written record relative to the record it came from (enrichment makes records larger)."),
    partitionKey: PartitionKeySchema.prefault({ kind: "random" }).describe("Partition keys of the written records. Default: random keys."),
    latency: LatencySchema.prefault({
      dist: "lognormal",
      median: `${L.DEFAULT_PUT_LATENCY_MEDIAN_MS}ms`,
      p99: `${L.DEFAULT_PUT_LATENCY_P99_MS}ms`,
    }).describe("PutRecords round trip (send → response). Default lognormal, median 20 ms, p99 100 ms (an assumption)."),
    retry: z
      .strictObject({
        maxAttempts: z
          .int()
          .min(1)
          .max(1_000_000)
          .optional()
          .describe("Attempts in all for a record, the first included; records failing past it are lost. Default: no limit (the processor keeps trying, as an at-least-once pipeline does)."),
        base: duration(1 * MS, 60 * S).prefault(`${L.SDK_RETRY_BASE_MS}ms`).describe("Backoff base (AWS SDK: 100 ms)."),
        cap: duration(1 * MS, 3_600 * S).prefault(`${L.SDK_RETRY_CAP_MS / 1000}s`).describe("Backoff cap (AWS SDK: 20 s)."),
      })
      .prefault({})
      .describe("Retries of throttled records: exponential backoff with full jitter, doubling only while an attempt gets nothing in (an attempt that gets some records in starts again from the base). While records wait, the record processor waits: no next batch, no checkpoint."),
  })
  .describe("Write what is processed to another stream with PutRecords (≤ 500 records and the stream's request size per call), before the batch counts as processed.");

const consumerCommon = {
  name: consumerName,
  stream: streamRef().optional().describe("The stream it reads, by name. Default: the scenario's only stream (required when the scenario has several)."),
  workers: z.int().min(1).max(10_000).default(1).describe("Worker processes (KCL Scheduler instances) sharing the application's leases."),
  initialPosition: z
    .enum(["LATEST", "TRIM_HORIZON"])
    .default("LATEST")
    .describe("Where a shard without a checkpoint is read from (KCL 2.x/3.x default for single-stream apps: LATEST)."),
  processing: ProcessingSchema.prefault({}),
  checkpoint: CheckpointSchema.prefault({}),
  lease: LeaseSchema.prefault({}),
  kcl: KclSchema.prefault({}),
  leaseTable: LeaseTableSchema.prefault({ capacity: "onDemand" }).describe("The application's DynamoDB lease table. Default: on-demand, as KCL 2.3.7+ creates it."),
  output: OutputSchema.optional(),
  sink: SinkSchema.optional(),
  prefetch: z
    .strictObject({
      batches: z.int().min(1).max(100).default(L.KCL_PREFETCH_MAX_BATCHES).describe("maxPendingProcessRecordsInput: fetched batches waiting for the record processor (KCL: 3)."),
      bytes: size(1, 1024 * L.MiB)
        .prefault(`${L.KCL_PREFETCH_MAX_BYTES / L.MiB}MiB`)
        .describe("maxByteSize: record data waiting, summed over those batches (KCL: 8 MiB)."),
      records: z.int().min(1).max(10_000_000).default(L.KCL_PREFETCH_MAX_RECORDS).describe("maxRecordsCount: Kinesis records waiting (KCL: 30,000)."),
    })
    .prefault({})
    .describe(
      "The polling prefetch cache (PrefetchRecordsPublisher): while it holds a batch, the fetcher calls again only if it holds fewer batches, bytes and records than these; otherwise it waits for the record processor. Fan-out applications use `batches` only.",
    ),
};

export const KclConsumerSchema = z
  .strictObject({
    kind: z.literal("kcl"),
    ...consumerCommon,
    poll: z
      .strictObject({
        interval: duration(L.KCL_MIN_IDLE_MS * MS, 3_600 * S)
          .prefault(`${L.KCL_IDLE_BETWEEN_READS_MS}ms`)
          .describe("idleTimeBetweenReadsInMillis: time from a successful GetRecords to the next (KCL 2.x/3.x: 1,500 ms; 1.x: 1,000 ms; min 200 ms)."),
        maxRecords: z.int().min(1).max(L.GET_RECORDS_MAX_RECORDS).default(L.GET_RECORDS_MAX_RECORDS).describe("Records per GetRecords call (1..10,000)."),
        latency: LatencySchema.prefault({ dist: "lognormal", median: `${L.DEFAULT_GET_LATENCY_MEDIAN_MS}ms`, p99: `${L.DEFAULT_GET_LATENCY_P99_MS}ms` }).describe(
          "GetRecords round trip. Default lognormal, median 20 ms, p99 100 ms (an assumption).",
        ),
        retry: z
          .strictObject({
            maxAttempts: z.int().min(1).max(100).default(L.JAVA_SDK_MAX_ATTEMPTS).describe("Attempts per call by the AWS SDK for Java v2 (standard mode: 3)."),
            base: duration(1 * MS, 60 * S).prefault(`${L.JAVA_SDK_THROTTLED_BASE_MS}ms`).describe("Backoff base after a throttle (SDK: 500 ms)."),
            cap: duration(1 * MS, 3_600 * S).prefault(`${L.JAVA_SDK_MAX_BACKOFF_MS / 1000}s`).describe("Backoff cap (SDK: 20 s)."),
          })
          .prefault({})
          .describe(
            "A throttled GetRecords (ProvisionedThroughputExceeded) is retried by the SDK with equal-jitter backoff, delay in [c/2, c], c = min(cap, base·2^retry); when the attempts run out the KCL sleeps its whole idle time (poll.interval) before the next call (KCL 2.4.7+).",
          ),
      })
      .prefault({}),
  })
  .describe("A KCL application reading with GetRecords (polling); its calls share each shard's 5 calls/s and 2 MiB/s with every other polling consumer.");

export const FanoutConsumerSchema = z
  .strictObject({
    kind: z.literal("fanout"),
    ...consumerCommon,
    propagation: LatencySchema.prefault({ dist: "lognormal", median: `${L.EFO_PROPAGATION_MEDIAN_MS}ms`, p99: `${L.EFO_PROPAGATION_P99_MS}ms` }).describe(
      "Put-to-push delay of enhanced fan-out (AWS: ~70 ms average). Default lognormal, median 65 ms, p99 150 ms (mean 69 ms).",
    ),
  })
  .describe("A KCL application using enhanced fan-out (SubscribeToShard): 2 MiB/s per shard for itself alone, pushed.");

/** Stream processors (src/spec/processors.ts): a Flink job or a Spark query, which may write on like an application. */
export const FlinkConsumerSchema = z.strictObject({ ...flinkFields, output: OutputSchema.optional() }).describe(FLINK_DESCRIPTION);
export const SparkConsumerSchema = z.strictObject({ ...sparkFields, output: OutputSchema.optional() }).describe(SPARK_DESCRIPTION);

export const ConsumerSchema = z.discriminatedUnion("kind", [KclConsumerSchema, FanoutConsumerSchema, FlinkConsumerSchema, SparkConsumerSchema, LambdaConsumerSchema]);

export type ConsumerSpec = z.output<typeof ConsumerSchema>;
export type OutputSpec = z.output<typeof OutputSchema>;
export type KclConsumerSpec = z.output<typeof KclConsumerSchema>;
export type FanoutConsumerSpec = z.output<typeof FanoutConsumerSchema>;
/** A KCL application (polling or fan-out): the consumers with a lease table (not a stream processor, not a Lambda function). */
export type KclAppSpec = KclConsumerSpec | FanoutConsumerSpec;
export type FlinkConsumerSpec = z.output<typeof FlinkConsumerSchema>;
export type SparkConsumerSpec = z.output<typeof SparkConsumerSchema>;
/** A stream processor: no lease table, a static shard assignment. */
export type ProcessorSpec = FlinkConsumerSpec | SparkConsumerSpec;
export type LeaseTableSpec = z.output<typeof LeaseTableSchema>;
export type KclSpec = z.output<typeof KclSchema>;

/**
 * Whether a KCL application never checkpoints: no `checkpoint:` interval or record count, and no sink that checkpoints
 * after each flush (`sink.checkpoint: after-flush`). Its leases keep the checkpoint they were created with, the
 * initial position (amazon-kinesis-client HierarchicalShardSyncer: a new lease's checkpoint is
 * convertToCheckpoint(initialPosition)), so every new owner of a lease starts there: at LATEST, past whatever was
 * written since the last record processed; at TRIM_HORIZON, at the oldest record the shard retains.
 */
export function neverCheckpoints(c: KclAppSpec): boolean {
  if (c.checkpoint.every !== undefined || c.checkpoint.records !== undefined) return false;
  const sink = c.sink;
  return !(sink && "checkpoint" in sink && sink.checkpoint === "after-flush");
}
