// Producers: the AWS SDK (PutRecords/PutRecord), the Kinesis Producer Library and the Kinesis Agent.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { H, MS, NAME, NAME_MESSAGE, S, streamRef } from "./common.js";
import { duration, size } from "./fields.js";
import { LatencySchema } from "./latency.js";
import { PartitionKeySchema, RateShapeSchema, RecordSizeSchema } from "./traffic.js";

// ---------------------------------------------------------------------------------------------------------
// Producers.

const producerName = z.string().regex(NAME, NAME_MESSAGE);

const deliveryStreamField = z
  .string()
  .regex(NAME, NAME_MESSAGE)
  .optional()
  .describe(
    "Write to this Firehose delivery stream (source: direct-put) with PutRecordBatch / PutRecord instead of to the Kinesis stream: no partition keys, records ≤ 1,000 KiB, requests ≤ 500 records and 4 MiB.",
  );

const streamField = streamRef()
  .optional()
  .describe("The Kinesis stream it writes to, by name. Default: the scenario's only stream (required when the scenario has several).");

/** A KPL process or an Agent host writing to several streams: each stream's share of the group's records. */
const streamsField = z
  .array(
    z.strictObject({
      name: streamRef().describe("A stream of the scenario."),
      share: z.number().gt(0).max(1).describe("Its share of the group's records (the shares add up to 1)."),
    }),
  )
  .min(1)
  .optional()
  .describe(
    "Write to several streams from the same processes: each stream gets its share of the rate, with its own per-shard buffers and limiters as the client keeps them (the KPL aggregates and rate-limits per shard of each stream; the Agent keeps a buffer per flow). Instead of `stream:`.",
  );

export const RetrySchema = z.strictObject({
  maxAttempts: z
    .int()
    .min(1)
    .max(1_000)
    .default(L.SDK_RETRY_MAX_ATTEMPTS)
    .describe(`Attempts in all, the first included (AWS SDK standard mode: ${L.SDK_RETRY_MAX_ATTEMPTS}). 1 = no retries.`),
  base: duration(1 * MS, 60 * S).prefault(`${L.SDK_RETRY_BASE_MS}ms`).describe("Backoff base (AWS SDK: 100 ms)."),
  cap: duration(1 * MS, 3_600 * S).prefault(`${L.SDK_RETRY_CAP_MS / 1000}s`).describe("Backoff cap (AWS SDK: 20 s)."),
});

export const SdkProducerSchema = z
  .strictObject({
    name: producerName.describe("Producer group name, unique in the scenario."),
    client: z.literal("sdk").describe("The client library: sdk, kpl or agent."),
    instances: z.int().min(1).max(1_000_000).default(1).describe("Producer processes; the group's rate is spread evenly over them."),
    rate: RateShapeSchema.describe("The group's total offered rate (all instances together)."),
    recordSize: RecordSizeSchema.optional().describe("Size of each record's data blob. Required, except with a trace rate whose bytes give each period's mean size."),
    partitionKey: PartitionKeySchema.prefault({ kind: "random" }).describe("How records get their partition keys (and so their shards). Default: random keys."),
    api: z
      .enum(["PutRecords", "PutRecord"])
      .default("PutRecords")
      .describe("PutRecords batches records (≤ 500, ≤ maxRequestSize); PutRecord sends one record per request."),
    linger: duration(0, 60 * S)
      .prefault("100ms")
      .describe("How long an instance waits to fill a PutRecords request before sending it (an application setting)."),
    maxBatchRecords: z
      .int()
      .min(1)
      .max(L.PUT_RECORDS_MAX_RECORDS)
      .default(L.PUT_RECORDS_MAX_RECORDS)
      .describe(`Most records in one PutRecords request (1..${L.PUT_RECORDS_MAX_RECORDS}).`),
    maxRequestSize: size(1, L.PUT_RECORDS_MAX_BYTES_2025)
      .prefault(`${L.PUT_RECORDS_MAX_BYTES_2025 / L.MiB}MiB`)
      .describe("Most bytes (data and partition keys) in one PutRecords request. Default 10 MiB, PutRecords' limit since the 2025-10 API (5 MiB before; PutRecords API reference)."),
    latency: LatencySchema.prefault({
      dist: "lognormal",
      median: `${L.DEFAULT_PUT_LATENCY_MEDIAN_MS}ms`,
      p99: `${L.DEFAULT_PUT_LATENCY_P99_MS}ms`,
    }).describe("Put request round trip (send → response). Default lognormal, median 20 ms, p99 100 ms (an assumption)."),
    retry: RetrySchema.prefault({}).describe("Retries of failed records: exponential backoff with full jitter."),
    stream: streamField,
    deliveryStream: deliveryStreamField,
  })
  .describe("An application using the AWS SDK (PutRecords or PutRecord)");


const putLatency = () =>
  LatencySchema.prefault({
    dist: "lognormal",
    median: `${L.DEFAULT_PUT_LATENCY_MEDIAN_MS}ms`,
    p99: `${L.DEFAULT_PUT_LATENCY_P99_MS}ms`,
  }).describe("Put request round trip (send → response). Default lognormal, median 20 ms, p99 100 ms (an assumption).");

export const KplSettingsSchema = z.strictObject({
  recordMaxBufferedTime: duration(1 * MS, 60 * S)
    .prefault(`${L.KPL_RECORD_MAX_BUFFERED_TIME_MS}ms`)
    .describe("RecordMaxBufferedTime: how long a user record may wait to be aggregated and collected (KPL: 100 ms)."),
  aggregationEnabled: z.boolean().default(true).describe("AggregationEnabled: pack user records into aggregated Kinesis records (KPL: true)."),
  aggregationMaxSize: size(64, L.MAX_RECORD_SIZE_LIMIT)
    .prefault(`${L.KPL_AGGREGATION_MAX_SIZE}B`)
    .describe("AggregationMaxSize: largest aggregated record (KPL: 51,200 B; 64 B .. 10 MiB)."),
  collectionMaxCount: z.int().min(1).max(L.PUT_RECORDS_MAX_RECORDS).default(L.KPL_COLLECTION_MAX_COUNT).describe("CollectionMaxCount: Kinesis records per PutRecords (KPL: 500)."),
  collectionMaxSize: size(L.KPL_COLLECTION_MIN_SIZE, L.PUT_RECORDS_MAX_BYTES_2025)
    .prefault(`${L.KPL_COLLECTION_MAX_SIZE}B`)
    .describe("CollectionMaxSize: bytes per PutRecords (KPL: 5,242,880)."),
  rateLimit: z.int().min(1).max(10_000).default(L.KPL_RATE_LIMIT_PERCENT).describe("RateLimit: each producer process limits itself per shard to this % of the shard's limits (KPL: 150), with aggregation on only (the KPL rate-limits records whose shard it predicts, which it does only when aggregating)."),
  recordTtl: duration(100 * MS, 24 * H)
    .prefault(`${L.KPL_RECORD_TTL_MS}ms`)
    .describe("RecordTtl: a user record not put within this time fails as expired (KPL: 30 s)."),
  failIfThrottled: z.boolean().default(false).describe("FailIfThrottled: fail throttled records instead of retrying them (KPL: false)."),
  maxConnections: z
    .int()
    .min(1)
    .max(L.KPL_MAX_CONNECTIONS_MAX)
    .default(L.KPL_MAX_CONNECTIONS)
    .describe(
      `MaxConnections: PutRecords a process has in flight at once, each holding a connection for its round trip (\`latency\`); a further one waits for a connection, in turn, before it is sent (KPL: ${L.KPL_MAX_CONNECTIONS}; 1..${L.KPL_MAX_CONNECTIONS_MAX}).`,
    ),
});

export const KplProducerSchema = z
  .strictObject({
    name: producerName.describe("Producer group name, unique in the scenario."),
    client: z.literal("kpl"),
    instances: z.int().min(1).max(1_000_000).default(1).describe("Producer processes, each with its own KPL (and its own per-shard rate limiter)."),
    rate: RateShapeSchema.describe("The group's total offered rate of user records."),
    recordSize: RecordSizeSchema.optional().describe("Size of each user record's data. Required, except with a trace rate."),
    partitionKey: PartitionKeySchema.prefault({ kind: "random" }).describe("Partition keys of the user records."),
    kpl: KplSettingsSchema.prefault({}).describe("KPL settings, under their KPL names (defaults of KPL 1.0.x default_config.properties)."),
    latency: putLatency(),
    stream: streamField,
    streams: streamsField,
  })
  .describe("An application using the Kinesis Producer Library: aggregation, collection, a per-shard rate limiter, retries until RecordTtl.");

export const AgentSettingsSchema = z.strictObject({
  maxBufferAge: duration(L.AGENT_MIN_BUFFER_AGE_MS * MS, L.AGENT_MAX_BUFFER_AGE_MS * MS)
    .prefault(`${L.AGENT_BUFFER_AGE_MS}ms`)
    .describe("maxBufferAgeMillis: how long the agent buffers records before sending them (agent: 60 s; 1 s .. 15 min)."),
  maxBufferSizeRecords: z.int().min(1).max(L.PUT_RECORDS_MAX_RECORDS).default(L.PUT_RECORDS_MAX_RECORDS).describe("maxBufferSizeRecords: records per PutRecords (agent: 500)."),
  maxBufferSizeBytes: size(1, L.PUT_RECORDS_MAX_BYTES).prefault("5MiB").describe("maxBufferSizeBytes: bytes per PutRecords (agent: 5 MiB)."),
  linesPerRecord: z
    .number()
    .min(1)
    .max(100_000)
    .default(1)
    .describe("Lines joined into one record (multiLineStartPattern): the rate is in lines per second, a record holds this many lines on average."),
  sizeFactor: z
    .number()
    .gt(0)
    .max(100)
    .default(1)
    .describe("Size change by the agent's data conversion (dataProcessingOptions, e.g. LOGTOJSON makes records larger): record bytes = lines × line size × this."),
  retryInitialBackoff: duration(1 * MS, 600 * S).prefault(`${L.AGENT_RETRY_INITIAL_BACKOFF_MS}ms`).describe("retryInitialBackoffMillis (agent: 100 ms); doubles after each failure."),
  retryMaxBackoff: duration(1 * MS, 3_600 * S).prefault(`${L.AGENT_RETRY_MAX_BACKOFF_MS}ms`).describe("retryMaxBackoffMillis (agent: 10 s)."),
});

export const AgentProducerSchema = z
  .strictObject({
    name: producerName.describe("Producer group name, unique in the scenario."),
    client: z.literal("agent"),
    instances: z.int().min(1).max(1_000_000).default(1).describe("Hosts running the Kinesis Agent; the group's rate is spread evenly over them."),
    rate: RateShapeSchema.describe("Lines per second written to the tailed log files, all hosts together."),
    recordSize: RecordSizeSchema.optional().describe("Size of a line (a record is linesPerRecord lines, times sizeFactor). Required, except with a trace rate."),
    partitionKey: PartitionKeySchema.prefault({ kind: "random" }).describe("partitionKeyOption RANDOM (the agent's default) is random keys."),
    agent: AgentSettingsSchema.prefault({}).describe("Kinesis Agent flow settings (awslabs/amazon-kinesis-agent defaults)."),
    latency: putLatency(),
    stream: streamField,
    streams: streamsField,
    deliveryStream: deliveryStreamField,
  })
  .describe("Log files shipped by the Kinesis Agent: buffered up to maxBufferAge, sent with PutRecords, failed records retried without end.");

export const ProducerSchema = z.discriminatedUnion("client", [SdkProducerSchema, KplProducerSchema, AgentProducerSchema]);

export type SdkProducerSpec = z.output<typeof SdkProducerSchema>;
export type KplProducerSpec = z.output<typeof KplProducerSchema>;
export type AgentProducerSpec = z.output<typeof AgentProducerSchema>;
export type ProducerSpec = z.output<typeof ProducerSchema>;
