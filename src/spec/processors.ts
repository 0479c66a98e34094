// Stream processors: Apache Flink (Managed Service for Apache Flink, or Flink on EMR) and Spark Structured Streaming
// on EMR reading a stream with their Kinesis connectors. No lease table: a static shard → subtask (or task)
// assignment, state checkpointed by the engine. Their readers share the shard's 5 calls/s and 2 MiB/s with the other
// polling consumers, or use enhanced fan-out.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { H, MS, NAME, NAME_MESSAGE, S, streamRef } from "./common.js";
import { duration } from "./fields.js";
import { LatencySchema } from "./latency.js";

const processorName = z.string().regex(NAME, NAME_MESSAGE).describe("Consumer name, unique in the scenario (the job, or for enhanced fan-out the registered consumer).");

const processorProcessing = z
  .strictObject({
    perRecord: duration(0, 60 * S).prefault("0ms").describe("Processing time per record (user records, after de-aggregation), in the subtask's (or task's) thread."),
    perBatch: duration(0, 600 * S).prefault("0ms").describe("Processing time per fetched batch, on top of the per-record time."),
    variability: z.number().min(0).max(10).default(0).describe("Coefficient of variation of a batch's processing time (lognormal around the mean); 0 = exactly the mean."),
  })
  .describe("What the job does with each record (the operators chained to the source).");

const getRecordsLatency = () =>
  LatencySchema.prefault({ dist: "lognormal", median: `${L.DEFAULT_GET_LATENCY_MEDIAN_MS}ms`, p99: `${L.DEFAULT_GET_LATENCY_P99_MS}ms` }).describe(
    "GetRecords round trip. Default lognormal, median 20 ms, p99 100 ms (an assumption).",
  );

const propagation = () =>
  LatencySchema.prefault({ dist: "lognormal", median: `${L.EFO_PROPAGATION_MEDIAN_MS}ms`, p99: `${L.EFO_PROPAGATION_P99_MS}ms` }).describe(
    "Put-to-push delay of enhanced fan-out (reader: efo). Default lognormal, median 65 ms, p99 150 ms.",
  );

/** A Flink job's fields (src/spec/consumers.ts adds `output:` and makes the schema). */
export const flinkFields = {
  kind: z.literal("flink"),
  name: processorName,
  stream: streamRef().optional().describe("The stream it reads, by name. Default: the scenario's only stream."),
  connector: z
    .enum(["FlinkKinesisConsumer", "KinesisStreamsSource"])
    .default("FlinkKinesisConsumer")
    .describe(
      "FlinkKinesisConsumer (the legacy SourceFunction: a fetch loop per shard, GetRecords every 200 ms) or KinesisStreamsSource (the FLIP-27 source: fetches again at once after records, 250 ms after an empty response).",
    ),
  reader: z.enum(["polling", "efo"]).default("polling").describe("polling (GetRecords, shared) or efo (SubscribeToShard, enhanced fan-out: 2 MiB/s per shard for this job alone)."),
  parallelism: z.int().min(1).max(10_000).default(1).describe("Source subtasks. Each holds the shards assigned to it and processes their records one batch at a time, in one thread."),
  assigner: z
    .enum(["hash", "uniform"])
    .optional()
    .describe(
      "How shards go to subtasks. hash: the legacy default, abs(hash(stream name, shard id) mod parallelism) (some subtasks get more shards than others); uniform: by the middle of the shard's hash key range (KinesisStreamsSource's default). Default: by connector.",
    ),
  initialPosition: z.enum(["LATEST", "TRIM_HORIZON"]).default("LATEST").describe("Where the job starts reading (flink.stream.initpos / source.init.position, default LATEST). Shards discovered later are read from their start."),
  poll: z
    .strictObject({
      interval: duration(0, 3_600 * S)
        .optional()
        .describe("FlinkKinesisConsumer: SHARD_GETRECORDS_INTERVAL_MILLIS, the period of a shard's fetch loop (default 200 ms). KinesisStreamsSource: the wait after a response with records (default 0: fetch again at once)."),
      emptyInterval: duration(0, 3_600 * S)
        .optional()
        .describe("KinesisStreamsSource: the wait after an empty response (source.reader.empty-records-fetch-interval, default 250 ms). FlinkKinesisConsumer: same as interval."),
      maxRecords: z.int().min(1).max(L.GET_RECORDS_MAX_RECORDS).default(L.FLINK_GETRECORDS_MAX).describe("Records per GetRecords call (SHARD_GETRECORDS_MAX / source.shard.get-records.max-record-count: 10,000)."),
      latency: getRecordsLatency(),
      retry: z
        .strictObject({
          maxAttempts: z.int().min(1).max(1_000).optional().describe("Attempts per GetRecords, the first included. Default: 4 (FlinkKinesisConsumer, 3 retries), 50 (KinesisStreamsSource)."),
          base: duration(1 * MS, 60 * S).prefault(`${L.FLINK_GETRECORDS_BACKOFF_BASE_MS}ms`).describe("Backoff base (both connectors: 300 ms)."),
          cap: duration(1 * MS, 3_600 * S).prefault(`${L.FLINK_GETRECORDS_BACKOFF_MAX_MS}ms`).describe("Backoff cap (both connectors: 1,000 ms)."),
        })
        .prefault({})
        .describe(
          "Retries of a throttled GetRecords: FlinkKinesisConsumer sleeps random × min(cap, base × 1.5^retry) (full jitter) between attempts, each of which its AWS SDK for Java v1 client tries 4 times (equal jitter from 500 ms); KinesisStreamsSource's SDK v2 client waits min(cap, base × 2^retry) with half jitter. When the attempts run out the job fails (counted; the run goes on reading after the interval).",
        ),
    })
    .prefault({}),
  propagation: propagation(),
  discovery: duration(100 * MS, H)
    .prefault(`${L.FLINK_SHARD_DISCOVERY_INTERVAL_MS}ms`)
    .describe("Shard discovery interval (SHARD_DISCOVERY_INTERVAL_MILLIS / source.shard.discovery.interval: 10 s): the children of a reshard are read from the next discovery on."),
  checkpoint: z
    .strictObject({
      every: duration(10 * MS, 24 * H)
        .prefault(`${L.MANAGED_FLINK_CHECKPOINT_INTERVAL_MS}ms`)
        .describe("Checkpoint interval (Managed Service for Apache Flink's default: 60 s). Each checkpoint records every shard's processed position in the job's state, not in DynamoDB."),
    })
    .prefault({}),
  processing: processorProcessing.prefault({}),
};
export const FLINK_DESCRIPTION = "An Apache Flink job reading the stream with its Kinesis connector (Managed Service for Apache Flink, or Flink on EMR).";

/** A Spark query's fields (src/spec/consumers.ts adds `output:` and makes the schema). */
export const sparkFields = {
  kind: z.literal("spark"),
  name: processorName,
  stream: streamRef().optional().describe("The stream it reads, by name. Default: the scenario's only stream."),
  cores: z.int().min(1).max(100_000).default(1).describe("Executor cores: tasks (one per shard in each micro-batch) that process at once; the others wait for a core."),
  initialPosition: z.enum(["LATEST", "TRIM_HORIZON"]).default("LATEST").describe("kinesis.startingPosition (default LATEST)."),
  maxFetchRecordsPerShard: z
    .int()
    .min(1)
    .max(1e9)
    .default(L.SPARK_KINESIS_MAX_FETCH_RECORDS_PER_SHARD)
    .describe("kinesis.maxFetchRecordsPerShard: the most records a micro-batch reads from a shard (100,000); a task also stops when it has caught up."),
  trigger: duration(0, 24 * H)
    .prefault("0ms")
    .describe("Processing-time trigger: a micro-batch starts at most this often. Default 0: as soon as the previous one completes."),
  poll: z
    .strictObject({
      interval: duration(0, 3_600 * S)
        .prefault(`${L.SPARK_KINESIS_FETCH_INTERVAL_MS}ms`)
        .describe("kinesis.getRecords.fetchIntervalMs: the minimum interval between two GetRecords calls of a shard (200 ms)."),
      maxRecords: z
        .int()
        .min(1)
        .max(L.GET_RECORDS_MAX_RECORDS)
        .default(L.SPARK_KINESIS_RECORDS_PER_FETCH)
        .describe("kinesis.getRecords.numberOfRecordsPerFetch (10,000)."),
      latency: getRecordsLatency(),
      retry: z
        .strictObject({
          maxAttempts: z.int().min(1).max(1_000).default(L.SPARK_KINESIS_CLIENT_RETRIES).describe("kinesis.clientNumRetries: attempts in all (5)."),
          base: duration(1 * MS, 60 * S).prefault(`${L.SPARK_KINESIS_CLIENT_RETRY_INTERVAL_MS}ms`).describe("kinesis.clientRetryIntervalsMs (1,000 ms), doubling."),
          cap: duration(1 * MS, 3_600 * S).prefault(`${L.SPARK_KINESIS_CLIENT_MAX_RETRY_INTERVAL_MS}ms`).describe("kinesis.clientMaxRetryIntervalMs (10,000 ms)."),
        })
        .prefault({})
        .describe("Retries of a throttled GetRecords, without jitter. When the attempts run out the task fails (counted; the run goes on reading after the interval)."),
    })
    .prefault({}),
  discovery: duration(100 * MS, H)
    .prefault(`${L.SPARK_KINESIS_DESCRIBE_SHARD_INTERVAL_MS}ms`)
    .describe("kinesis.describeShardInterval (1 s): the least time between two ListShards calls; a reshard's children join the next micro-batch planned after it."),
  processing: processorProcessing.prefault({}),
};
export const SPARK_DESCRIPTION =
  "A Spark Structured Streaming query reading the stream with the Kinesis connector of Amazon EMR, consumer type GetRecords (micro-batches; the connector's metadata is committed after each). The SubscribeToShard consumer type is not modelled.";

