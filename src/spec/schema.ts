// The scenario language: one zod schema is the single source of truth for types, defaults (the real
// service's, with sources in src/model/limits.ts), valid ranges, error messages and the published JSON Schema.
// Input fields carry units ("64MiB", "5m", "2000/s"); the parsed Scenario holds bytes, microseconds and
// per-second rates.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { MICROS_PER_SECOND } from "../engine/time.js";
import { byteRate, duration, recordRate, size } from "./fields.js";

const S = MICROS_PER_SECOND;
const H = 3_600 * S;
const MS = 1_000;

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

// ---------------------------------------------------------------------------------------------------------
// Traffic shapes: how many records per second a producer offers over time.

const arrivalsField = (dflt: "even" | "poisson") =>
  z
    .enum(["even", "poisson"])
    .default(dflt)
    .describe("even: records evenly spaced at the rate; poisson: a Poisson process with that rate (random gaps, per-second bursts).");

const rateValue = recordRate(0, 1e9);

export const RateShapeSchema = z.discriminatedUnion("shape", [
  z
    .strictObject({
      shape: z.literal("constant"),
      value: rateValue.describe("Records per second for the whole group, e.g. 2000/s."),
      arrivals: arrivalsField("even"),
    })
    .describe("A constant rate."),
  z
    .strictObject({
      shape: z.literal("poisson"),
      value: rateValue.describe("Mean records per second."),
      arrivals: z.literal("poisson").default("poisson"),
    })
    .describe("Poisson arrivals at a constant mean rate."),
  z
    .strictObject({
      shape: z.literal("step"),
      levels: z
        .array(z.strictObject({ at: duration(0, 366 * 24 * H).describe("When this level starts."), value: rateValue.describe("Rate from then on.") }))
        .min(1)
        .describe("Rate levels from their start time on; the first starts at 0s; times ascending."),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A piecewise-constant rate."),
  z
    .strictObject({
      shape: z.literal("ramp"),
      from: rateValue.describe("Rate before and at the start of the ramp."),
      to: rateValue.describe("Rate at the end of the ramp and after."),
      start: duration(0, 366 * 24 * H).prefault("0s").describe("When the ramp starts (rate is `from` before)."),
      end: duration(0, 366 * 24 * H).optional().describe("When the ramp ends (rate is `to` after). Default: end of the run."),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A linear ramp from one rate to another."),
  z
    .strictObject({
      shape: z.literal("diurnal"),
      mean: rateValue.describe("Mean rate over a period."),
      peak: rateValue.describe("Peak rate (≥ mean, ≤ 2 × mean so the trough stays ≥ 0)."),
      period: duration(1 * S, 366 * 24 * H).prefault("24h"),
      peakAt: duration(0, 366 * 24 * H).optional().describe("Time of the (first) peak. Default: the middle of the run, so the run sees the peak."),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A sinusoid: mean + (peak − mean)·cos(2π(t − peakAt)/period)."),
  z
    .strictObject({
      shape: z.literal("spikes"),
      base: rateValue.describe("Rate outside spikes."),
      spikes: z
        .array(
          z.strictObject({
            at: duration(0, 366 * 24 * H).describe("When the spike starts."),
            for: duration(1, 366 * 24 * H).describe("How long the spike lasts."),
            value: rateValue.describe("Rate during the spike."),
          }),
        )
        .min(1),
      arrivals: arrivalsField("poisson"),
    })
    .describe("A base rate with spikes of a given rate and length."),
  z
    .strictObject({
      shape: z.literal("trace"),
      file: z
        .string()
        .min(1)
        .describe("A traffic trace: the CSV `shardcast import cloudwatch` writes (time,records,bytes per period), relative to the scenario file."),
      scale: z.number().gt(0).max(1e6).default(1).describe("Multiplies the trace's records (and bytes): growth planning."),
      within: z
        .enum(["even", "poisson", "bursty"])
        .default("poisson")
        .describe("How a period's records spread inside it, which one-minute sums hide: even, Poisson arrivals at the period's mean rate, or bursty (see peakToMean)."),
      peakToMean: z
        .number()
        .gt(1)
        .max(1_000)
        .default(4)
        .describe("For bursty: each period's records arrive within 1/peakToMean of it, at peakToMean × its mean rate (Poisson), at a random offset."),
      repeat: z
        .boolean()
        .default(false)
        .describe("Replay the trace again from its start when it ends. Default false: after the trace's last period the rate is 0 (a run can go on to watch the backlog drain)."),
    })
    .describe("Traffic replayed from a trace of real metrics (a CloudWatch export): period i of the trace covers [i·period, (i+1)·period) of the run."),
]);

// ---------------------------------------------------------------------------------------------------------
// Record sizes (data blob bytes, not counting the partition key).

const recordBytes = size(1, L.MAX_RECORD_SIZE_LIMIT);

export const RecordSizeSchema = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("fixed"), size: recordBytes }).describe("Every record has the same size."),
  z.strictObject({ dist: z.literal("uniform"), min: recordBytes, max: recordBytes }).describe("Sizes uniform between min and max."),
  z
    .strictObject({
      dist: z.literal("lognormal"),
      median: recordBytes,
      p99: recordBytes,
    })
    .describe("Lognormal sizes with the given median and 99th percentile."),
]);

// ---------------------------------------------------------------------------------------------------------
// Partition keys: which shard each record goes to (MD5 of the key, KINESIS.md §2).

const keyLength = z
  .int()
  .min(1)
  .max(L.PARTITION_KEY_MAX_LENGTH)
  .describe(`Partition key length in bytes (1..${L.PARTITION_KEY_MAX_LENGTH}); counts toward the 1 MiB/s shard write limit.`);

export const PartitionKeySchema = z.discriminatedUnion("kind", [
  z
    .strictObject({ kind: z.literal("random"), length: keyLength.default(36) })
    .describe("A fresh random key per record (e.g. a UUID): uniform over the hash key space."),
  z
    .strictObject({
      kind: z.literal("zipf"),
      keys: z.int().min(1).max(10_000_000).describe("Number of distinct keys K."),
      exponent: z.number().min(0).max(10).default(1).describe("Zipf exponent s: key of rank i has weight i^-s."),
      prefix: z.string().max(200).default("key-").describe("Key i (rank i, from 1) is the string prefix + i."),
    })
    .describe("K keys with Zipf popularity, each routed by the MD5 of its actual string."),
  z
    .strictObject({
      kind: z.literal("hotKeys"),
      keys: z
        .array(z.strictObject({ key: z.string().min(1).max(L.PARTITION_KEY_MAX_LENGTH), share: z.number().gt(0).max(1) }))
        .min(1)
        .describe("Keys and their share of the traffic; the rest of the traffic uses random keys."),
      otherLength: keyLength.default(36).describe("Length of the random keys used by the remaining traffic."),
    })
    .describe("A few hot keys with stated traffic shares; the rest random."),
  z
    .strictObject({
      kind: z.literal("explicit"),
      hashKeys: z
        .array(z.string().regex(/^(0|[1-9]\d{0,38})$/, "an ExplicitHashKey is a decimal string of at most 39 digits"))
        .min(1)
        .describe("ExplicitHashKey values (decimal, 0..2^128−1), used in turn with equal shares unless `shares` is given."),
      shares: z.array(z.number().gt(0)).optional().describe("Relative weight of each hash key."),
      length: keyLength.default(36).describe("Length of the partition key still sent with each record."),
    })
    .describe("ExplicitHashKey overrides the MD5 routing."),
]);

// ---------------------------------------------------------------------------------------------------------
// Latency distributions.

export const LatencySchema = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("fixed"), value: duration(0, 600 * S) }).describe("Always the same latency."),
  z.strictObject({ dist: z.literal("uniform"), min: duration(0, 600 * S), max: duration(0, 600 * S) }).describe("Latency uniform between min and max."),
  z
    .strictObject({ dist: z.literal("lognormal"), median: duration(1, 600 * S), p99: duration(1, 600 * S) })
    .describe("Lognormal latency with the given median and 99th percentile."),
]);

// ---------------------------------------------------------------------------------------------------------
// Producers.

const producerName = z.string().regex(NAME, "names use letters, digits, _ . - (1..128 characters)");

const deliveryStreamField = z
  .string()
  .regex(NAME, "names use letters, digits, _ . - (1..128 characters)")
  .optional()
  .describe(
    "Write to this Firehose delivery stream (source: direct-put) with PutRecordBatch / PutRecord instead of to the Kinesis stream: no partition keys, records ≤ 1,000 KiB, requests ≤ 500 records and 4 MiB.",
  );

const RetrySchema = z.strictObject({
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
      .prefault("5MiB")
      .describe("PutRecords request size limit: 5 MiB, or 10 MiB with the 2025-10 API (KINESIS.md §1.2)."),
    latency: LatencySchema.prefault({
      dist: "lognormal",
      median: `${L.DEFAULT_PUT_LATENCY_MEDIAN_MS}ms`,
      p99: `${L.DEFAULT_PUT_LATENCY_P99_MS}ms`,
    }).describe("Put request round trip (send → response). Default lognormal, median 20 ms, p99 100 ms (an assumption)."),
    retry: RetrySchema.prefault({}).describe("Retries of failed records: exponential backoff with full jitter."),
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
  rateLimit: z.int().min(1).max(10_000).default(L.KPL_RATE_LIMIT_PERCENT).describe("RateLimit: each producer process limits itself per shard to this % of the shard's limits (KPL: 150)."),
  recordTtl: duration(100 * MS, 24 * H)
    .prefault(`${L.KPL_RECORD_TTL_MS}ms`)
    .describe("RecordTtl: a user record not put within this time fails as expired (KPL: 30 s)."),
  failIfThrottled: z.boolean().default(false).describe("FailIfThrottled: fail throttled records instead of retrying them (KPL: false)."),
});

export const KplProducerSchema = z
  .strictObject({
    name: producerName.describe("Producer group name, unique in the scenario."),
    client: z.literal("kpl"),
    instances: z.int().min(1).max(1_000_000).default(1).describe("Producer processes, each with its own KPL (and its own per-shard rate limiter)."),
    rate: RateShapeSchema.describe("The group's total offered rate of user records."),
    recordSize: RecordSizeSchema.optional().describe("Size of each user record's data. Required, except with a trace rate."),
    partitionKey: PartitionKeySchema.prefault({ kind: "random" }).describe("Partition keys of the user records."),
    kpl: KplSettingsSchema.prefault({}).describe("KPL settings (KINESIS.md §8), under their KPL names."),
    latency: putLatency(),
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
    deliveryStream: deliveryStreamField,
  })
  .describe("Log files shipped by the Kinesis Agent: buffered up to maxBufferAge, sent with PutRecords, failed records retried without end.");

export const ProducerSchema = z.discriminatedUnion("client", [SdkProducerSchema, KplProducerSchema, AgentProducerSchema]);

// ---------------------------------------------------------------------------------------------------------
// Stream.

export const StreamSchema = z.strictObject({
  name: z.string().regex(NAME, "stream names use letters, digits, _ . - (1..128 characters)").optional().describe("Default: the scenario name."),
  mode: z.literal("provisioned").default("provisioned").describe("Capacity mode (on-demand comes later)."),
  shards: z.int().min(1).max(L.MAX_SHARDS_PER_STREAM).describe(`Open shards (1..${L.MAX_SHARDS_PER_STREAM}).`),
  retention: duration(L.RETENTION_MIN_HOURS * H, L.RETENTION_MAX_HOURS * H)
    .prefault(`${L.RETENTION_DEFAULT_HOURS}h`)
    .describe("Retention period: 24h (default) to 8760h."),
  maxRecordSize: size(L.DEFAULT_MAX_RECORD_SIZE, L.MAX_RECORD_SIZE_LIMIT)
    .prefault("1MiB")
    .describe("Largest record (data + partition key): 1 MiB by default, up to 10 MiB."),
  writeBurst: duration(1 * MS, 60 * S)
    .prefault(`${L.DEFAULT_WRITE_BURST_SECONDS}s`)
    .describe("Burst capacity of each shard's write buckets, in time at the limit rate. AWS does not document it (assumption: 1 s)."),
  readBurst: duration(0, 60 * S)
    .prefault(`${L.DEFAULT_READ_BURST_SECONDS}s`)
    .describe("Credit of each shard's 2 MiB/s read budget, in time at that rate; one GetRecords call may overdraw it (a 10 MiB call then blocks reads for 4–5 s). Assumption: 1 s."),
});


// ---------------------------------------------------------------------------------------------------------
// Consumers: KCL applications reading by polling (GetRecords) or by enhanced fan-out (SubscribeToShard).

const consumerName = z.string().regex(NAME, "names use letters, digits, _ . - (1..128 characters)").describe("Consumer application name, unique in the scenario (the lease table's name).");

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
  z.strictObject({ capacity: z.literal("onDemand") }).describe("Pay per request (KCL 2.3.7+ default); not throttled at lease-table scales."),
]);

export const LeaseSchema = z.strictObject({
  failover: duration(1 * S, 3_600 * S)
    .prefault(`${L.KCL_FAILOVER_MS}ms`)
    .describe("failoverTimeMillis: a lease not renewed for this long is expired and may be taken. Renewals run every failover/3 − 25 ms, the lease taker every (failover + 25 ms) × 2."),
  maxLeasesForWorker: z.int().min(1).max(1_000_000).optional().describe("Most leases one worker takes (default unlimited)."),
  maxLeasesToStealAtOneTime: z.int().min(1).max(1_000).default(1).describe("Leases a worker steals per taker run to rebalance (default 1)."),
});

const consumerCommon = {
  name: consumerName,
  workers: z.int().min(1).max(10_000).default(1).describe("Worker processes (KCL Scheduler instances) sharing the application's leases."),
  initialPosition: z
    .enum(["LATEST", "TRIM_HORIZON"])
    .default("LATEST")
    .describe("Where a shard without a checkpoint is read from (KCL 2.x/3.x default for single-stream apps: LATEST)."),
  processing: ProcessingSchema.prefault({}),
  checkpoint: CheckpointSchema.prefault({}),
  lease: LeaseSchema.prefault({}),
  leaseTable: LeaseTableSchema.prefault({ capacity: "onDemand" }).describe("The application's DynamoDB lease table. Default: on-demand, as KCL 2.3.7+ creates it."),
  prefetch: z
    .int()
    .min(1)
    .max(100)
    .default(L.KCL_PREFETCH_MAX_BATCHES)
    .describe("Fetched batches a shard may hold ahead of processing (KCL prefetch cache: 3)."),
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
            "A throttled GetRecords (ProvisionedThroughputExceeded) is retried by the SDK with equal-jitter backoff, delay in [c/2, c], c = min(cap, base·2^retry); when the attempts run out the KCL calls again at once.",
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

export const ConsumerSchema = z.discriminatedUnion("kind", [KclConsumerSchema, FanoutConsumerSchema]);

// ---------------------------------------------------------------------------------------------------------
// Firehose delivery streams (KINESIS.md §9).

const firehoseName = z.string().regex(NAME, "names use letters, digits, _ . - (1..128 characters)");

export const BufferHintsSchema = z.strictObject({
  size: size(L.FIREHOSE_BUFFER_MIN_BYTES, L.FIREHOSE_BUFFER_MAX_BYTES_S3)
    .prefault(`${L.FIREHOSE_BUFFER_DEFAULT_BYTES / L.MiB}MiB`)
    .describe("SizeInMBs: deliver when the buffer holds this much (S3 and Redshift 1–128 MiB, OpenSearch 1–100 MiB; default 5 MiB)."),
  interval: duration(0, L.FIREHOSE_BUFFER_MAX_INTERVAL_S * S)
    .prefault(`${L.FIREHOSE_BUFFER_DEFAULT_INTERVAL_S}s`)
    .describe("IntervalInSeconds: deliver when the buffer's oldest record has waited this long (0–900 s; default 300 s; 0 = no buffering)."),
});

export const TransformSchema = z.strictObject({
  buffer: z
    .strictObject({
      size: size(L.FIREHOSE_LAMBDA_BUFFER_MIN_BYTES, L.FIREHOSE_LAMBDA_BUFFER_MAX_BYTES)
        .prefault("1MB")
        .describe("BufferSizeInMBs: invoke when this much is buffered (0.2–3 MB, default 1 MB)."),
      interval: duration(0, L.FIREHOSE_BUFFER_MAX_INTERVAL_S * S)
        .prefault(`${L.FIREHOSE_LAMBDA_DEFAULT_INTERVAL_S}s`)
        .describe("IntervalInSeconds: invoke when the oldest buffered record has waited this long (0–900 s, default 60 s)."),
    })
    .prefault({})
    .describe("The transformation's own buffer, before the destination buffer."),
  duration: z
    .strictObject({
      perInvocation: duration(0, L.FIREHOSE_LAMBDA_MAX_DURATION_S * S).prefault("100ms").describe("Fixed time of an invocation (start-up, a call out)."),
      perMB: duration(0, L.FIREHOSE_LAMBDA_MAX_DURATION_S * S).prefault("200ms").describe("Time per MB (10^6 bytes) of input."),
    })
    .prefault({})
    .describe("How long an invocation runs: perInvocation + perMB × input MB. Longer than 5 minutes is a timeout (a failed invocation)."),
  concurrency: z
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe(
      "Most invocations running at once. Default: 5 per shard of the source stream (Firehose's limit), or 1,000 for Direct PUT (the Lambda account default).",
    ),
  results: z
    .strictObject({
      dropped: z.number().min(0).max(1).default(0).describe("Share of records the function returns as Dropped (filtered out on purpose)."),
      processingFailed: z.number().min(0).max(1).default(0).describe("Share returned as ProcessingFailed (written to the S3 processing-failed/ prefix)."),
    })
    .prefault({})
    .describe("What the function answers per record; the rest are Ok."),
  retries: z
    .int()
    .min(0)
    .max(300)
    .default(L.FIREHOSE_LAMBDA_DEFAULT_RETRIES)
    .describe("NumberOfRetries after a failed invocation (default 3); then the batch goes to processing-failed/."),
  sizeFactor: z.number().gt(0).max(100).default(1).describe("Size of an Ok record after the transformation, relative to before."),
});

const s3Latency = () =>
  LatencySchema.prefault({ dist: "lognormal", median: "150ms", p99: "1s" }).describe(
    "One S3 PutObject of a delivery (an assumption: lognormal, median 150 ms, p99 1 s).",
  );

const retryDuration = (dflt: number) =>
  duration(0, L.FIREHOSE_RETRY_DURATION_MAX_S * S)
    .prefault(`${dflt}s`)
    .describe(`RetryOptions.DurationInSeconds: how long a delivery is retried, from its first attempt (0–7,200 s; default ${dflt} s).`);

export const DestinationSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({
      kind: z.literal("s3"),
      putLatency: s3Latency(),
    })
    .describe("Amazon S3: each delivery is an object; failed deliveries are retried for up to 24 h after their records arrived, then lost."),
  z
    .strictObject({
      kind: z.literal("redshift"),
      putLatency: s3Latency(),
      copy: z
        .strictObject({
          fixed: duration(0, 3_600 * S).prefault("5s").describe("Fixed time of a COPY (planning, commit)."),
          perMiB: duration(0, 3_600 * S).prefault("500ms").describe("Time per MiB loaded."),
        })
        .prefault({})
        .describe("How long a COPY of the staged objects takes (a property of the cluster: measure yours). COPYs run one at a time."),
      retryDuration: retryDuration(L.FIREHOSE_REDSHIFT_RETRY_DURATION_S),
    })
    .describe("Amazon Redshift: objects staged in S3, then loaded with COPY, one at a time; a COPY that keeps failing has its manifest written to errors/ (skipped)."),
  z
    .strictObject({
      kind: z.literal("opensearch"),
      throughput: byteRate(1, 100 * 1024 * L.MiB)
        .prefault("10MiB/s")
        .describe("Bulk indexing rate the domain sustains for this delivery stream (a property of the domain: measure yours)."),
      requestLatency: LatencySchema.prefault({ dist: "lognormal", median: "50ms", p99: "500ms" }).describe(
        "Fixed part of a bulk request, on top of its bytes ÷ throughput (an assumption: lognormal, median 50 ms, p99 500 ms).",
      ),
      retryDuration: retryDuration(L.FIREHOSE_OPENSEARCH_RETRY_DURATION_S),
    })
    .describe("Amazon OpenSearch Service: bulk requests one at a time at the domain's throughput; documents still failing after the retry duration go to the S3 backup."),
]);

export const FirehoseSchema = z
  .strictObject({
    name: firehoseName.describe("Delivery stream name, unique in the scenario."),
    source: z
      .string()
      .min(1)
      .describe("direct-put (producers write to it with `deliveryStream:`) or the name of the scenario's Kinesis stream (read with GetRecords once per second per shard, from LATEST)."),
    quotas: z
      .strictObject({
        records: recordRate(1, 1e9).prefault(`${L.FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND}/s`).describe("Direct PUT records per second (us-east-1: 500,000)."),
        requests: recordRate(1, 1e7).prefault(`${L.FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND}/s`).describe("Direct PUT PutRecord + PutRecordBatch calls per second (us-east-1: 2,000)."),
        bytes: byteRate(1, 1e12).prefault(`${L.FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND / L.MiB}MiB/s`).describe("Direct PUT bytes per second (us-east-1: 5 MiB/s)."),
      })
      .optional()
      .describe("Direct PUT quotas (us-east-1, us-west-2, eu-west-1 defaults; most other regions 100,000/s, 1,000/s, 1 MiB/s). Only with source: direct-put."),
    buffer: BufferHintsSchema.prefault({}).describe("Destination buffering hints: whichever is reached first triggers a delivery."),
    transform: TransformSchema.optional().describe("A Lambda transformation between the source and the destination buffer."),
    destination: DestinationSchema.prefault({ kind: "s3" }).describe("Where the data goes."),
    retryInterval: duration(100 * MS, 600 * S)
      .prefault(`${L.FIREHOSE_RETRY_INTERVAL_S}s`)
      .describe("Time between a failed delivery attempt and the next (undocumented; an assumption: 5 s)."),
  })
  .describe("An Amazon Data Firehose delivery stream.");

// ---------------------------------------------------------------------------------------------------------
// Faults.

export const FaultSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("worker-crash"),
      consumer: consumerName.describe("The consumer application."),
      workers: z.int().min(1).max(10_000).default(1).describe("How many of its running workers stop (the highest-numbered first)."),
    })
    .describe("Workers stop: no renewals, no processing. Their leases expire after the failover time and are taken by the others."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("worker-restart"),
      consumer: consumerName.describe("The consumer application."),
      workers: z.int().min(1).max(10_000).default(1).describe("How many stopped workers start again (with no leases; they take or steal)."),
    })
    .describe("Stopped workers start again."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("destination-outage"),
      firehose: firehoseName.describe("The delivery stream."),
      for: duration(1 * S, 366 * 24 * H).describe("How long the destination is down."),
    })
    .describe("The destination refuses every delivery for a while; Firehose retries by its rules."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("destination-slowdown"),
      firehose: firehoseName.describe("The delivery stream."),
      for: duration(1 * S, 366 * 24 * H).describe("How long the slowdown lasts."),
      factor: z.number().min(1).max(1_000).describe("Deliveries started in the window take this many times as long."),
    })
    .describe("The destination answers slowly for a while (S3 puts, COPYs, bulk requests take `factor` times as long)."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("lambda-errors"),
      firehose: firehoseName.describe("The delivery stream (it must have a transform)."),
      for: duration(1 * S, 366 * 24 * H).describe("How long the errors last."),
      share: z.number().min(0).max(1).describe("Share of invocations that fail in the window."),
    })
    .describe("A share of the transformation's invocations fail for a while; Firehose retries them NumberOfRetries times."),
]);

// ---------------------------------------------------------------------------------------------------------
// SLOs.

export const SloSchema = z.strictObject({
  writeThrottledPercent: z.number().min(0).max(100).optional().describe("Max % of put attempts throttled (WriteProvisionedThroughputExceeded / records put)."),
  recordsLostPercent: z.number().min(0).max(100).optional().describe("Max % of offered records lost (retries exhausted, too large)."),
  putLatencyP50: duration(0, 3_600 * S).optional().describe("Max median put latency (first attempt → acknowledgement)."),
  putLatencyP99: duration(0, 3_600 * S).optional().describe("Max p99 put latency (first attempt → acknowledgement)."),
  putLatencyP999: duration(0, 3_600 * S).optional().describe("Max p99.9 put latency."),
  endToEndP50: duration(0, 366 * 24 * H).optional().describe("Max median end-to-end latency (record born at the producer → processed), every consumer."),
  endToEndP99: duration(0, 366 * 24 * H).optional().describe("Max p99 end-to-end latency, every consumer."),
  maxIteratorAge: duration(0, 366 * 24 * H).optional().describe("Max iterator age (how far the furthest-behind shard of any consumer lags) after warmup."),
  consumerLostPercent: z.number().min(0).max(100).optional().describe("Max % of records a consumer never processed because they expired unread or were skipped."),
  deliveryP99: duration(0, 366 * 24 * H).optional().describe("Max p99 delivery latency (record born at the producer → delivered), every Firehose delivery stream."),
  dataFreshness: duration(0, 366 * 24 * H).optional().describe("Max DataFreshness (age of the oldest record not yet delivered) after warmup, every delivery stream."),
  firehoseNotDeliveredPercent: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe("Max % of the records entering a delivery stream that ended in a backup, errors/ or processing-failed/ prefix, or were lost."),
});

export const FidelitySchema = z.strictObject({
  granularity: z
    .enum(["batch", "record"])
    .default("batch")
    .describe("batch: records travel as batches (fast, the default); record: every record is its own batch (slow; for checking)."),
  window: duration(1 * MS, 10 * S)
    .prefault("100ms")
    .describe("In batch mode, the interval at which each producer group's traffic is handed to the shards."),
});

// ---------------------------------------------------------------------------------------------------------
// The scenario.

/** The Firehose delivery stream a producer writes to with Direct PUT; undefined when it writes to the Kinesis stream (the KPL always does). */
export function deliveryStreamOf(p: { client: string; deliveryStream?: string }): string | undefined {
  return p.client === "kpl" ? undefined : p.deliveryStream;
}

export const ScenarioSchema = z
  .strictObject({
    name: z.string().regex(NAME, "scenario names use letters, digits, _ . - (1..128 characters)").describe("Scenario name, used in reports."),
    description: z.string().optional().describe("Free text for the report."),
    seed: z.int().min(0).max(2 ** 31 - 1).default(1).describe("Run seed: same scenario and seed, same report."),
    duration: duration(1 * S, 366 * 24 * H).describe("Simulated time."),
    warmup: duration(0, 366 * 24 * H).prefault("0s").describe("Initial time excluded from statistics (not from accounting)."),
    fidelity: FidelitySchema.prefault({}).describe("Simulation granularity."),
    stream: StreamSchema.optional().describe("The Kinesis data stream. Leave it out when every producer writes to Firehose with Direct PUT (`deliveryStream:`) and nothing reads a stream."),
    producers: z.array(ProducerSchema).min(1).describe("Producer groups writing to the stream."),
    consumers: z.array(ConsumerSchema).default([]).describe("Consumer applications reading the stream."),
    firehose: z.array(FirehoseSchema).default([]).describe("Firehose delivery streams: Direct PUT or reading the Kinesis stream."),
    faults: z.array(FaultSchema).default([]).describe("Things that go wrong at given times."),
    slo: SloSchema.prefault({}).describe("Service level objectives the report checks."),
  })
  .superRefine((sc, ctx) => {
    if (sc.warmup >= sc.duration) {
      ctx.addIssue({ code: "custom", path: ["warmup"], message: "warmup must be shorter than duration" });
    }
    const seen = new Set<string>();
    sc.producers.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: "custom", path: ["producers", i, "name"], message: `duplicate producer name "${p.name}"` });
      seen.add(p.name);
      checkRate(p.rate, ["producers", i, "rate"], ctx);
      const rs = p.recordSize;
      if (!rs && p.rate.shape !== "trace") {
        ctx.addIssue({ code: "custom", path: ["producers", i, "recordSize"], message: "recordSize is required (only a trace rate can leave it out: its bytes give the size)" });
      }
      if (rs && rs.dist === "uniform" && rs.min > rs.max) ctx.addIssue({ code: "custom", path: ["producers", i, "recordSize", "max"], message: "max must be ≥ min" });
      if (rs && rs.dist === "lognormal" && rs.p99 < rs.median) ctx.addIssue({ code: "custom", path: ["producers", i, "recordSize", "p99"], message: "p99 must be ≥ median" });
      const lat = p.latency;
      if (lat.dist === "uniform" && lat.min > lat.max) ctx.addIssue({ code: "custom", path: ["producers", i, "latency", "max"], message: "max must be ≥ min" });
      if (lat.dist === "lognormal" && lat.p99 < lat.median) ctx.addIssue({ code: "custom", path: ["producers", i, "latency", "p99"], message: "p99 must be ≥ median" });
      const pk = p.partitionKey;
      if (pk.kind === "hotKeys") {
        const total = pk.keys.reduce((s, k) => s + k.share, 0);
        if (total > 1 + 1e-9) ctx.addIssue({ code: "custom", path: ["producers", i, "partitionKey", "keys"], message: `hot key shares add up to ${total}, more than 1` });
      }
      if (pk.kind === "explicit") {
        pk.hashKeys.forEach((h, j) => {
          if (BigInt(h) >= L.HASH_KEY_SPACE) ctx.addIssue({ code: "custom", path: ["producers", i, "partitionKey", "hashKeys", j], message: "an ExplicitHashKey must be at most 2^128 − 1" });
        });
        if (pk.shares && pk.shares.length !== pk.hashKeys.length) {
          ctx.addIssue({ code: "custom", path: ["producers", i, "partitionKey", "shares"], message: `shares has ${pk.shares.length} entries but hashKeys has ${pk.hashKeys.length}` });
        }
      }
      if (p.client === "sdk" && p.retry.cap < p.retry.base) ctx.addIssue({ code: "custom", path: ["producers", i, "retry", "cap"], message: "cap must be ≥ base" });
      if (p.client === "agent" && p.agent.retryMaxBackoff < p.agent.retryInitialBackoff) {
        ctx.addIssue({ code: "custom", path: ["producers", i, "agent", "retryMaxBackoff"], message: "retryMaxBackoff must be ≥ retryInitialBackoff" });
      }
      if (p.client === "kpl" && sc.fidelity.granularity === "record") {
        ctx.addIssue({ code: "custom", path: ["producers", i, "client"], message: "the KPL model runs at batch granularity: use fidelity.granularity: batch (the default) with client: kpl" });
      }
      if (p.client === "kpl" && sc.stream && p.kpl.aggregationMaxSize > sc.stream.maxRecordSize) {
        ctx.addIssue({ code: "custom", path: ["producers", i, "kpl", "aggregationMaxSize"], message: `aggregationMaxSize must fit the stream's record size limit (${sc.stream.maxRecordSize} B)` });
      }
    });
    const consumers = new Map<string, number>();
    sc.consumers.forEach((c, i) => {
      if (consumers.has(c.name)) ctx.addIssue({ code: "custom", path: ["consumers", i, "name"], message: `duplicate consumer name "${c.name}"` });
      consumers.set(c.name, i);
    });
    const fanout = sc.consumers.filter((c) => c.kind === "fanout").length;
    if (fanout > L.EFO_MAX_CONSUMERS_PER_STREAM) {
      ctx.addIssue({ code: "custom", path: ["consumers"], message: `${fanout} enhanced fan-out consumers: a stream allows at most ${L.EFO_MAX_CONSUMERS_PER_STREAM}` });
    }
    // Without a stream, everything must go through Firehose Direct PUT.
    if (!sc.stream) {
      const noStream = "the scenario has no `stream:` section";
      sc.producers.forEach((p, i) => {
        if (deliveryStreamOf(p) === undefined) {
          ctx.addIssue({ code: "custom", path: ["producers", i], message: `producer "${p.name}" writes to the Kinesis stream, but ${noStream}: add one, or give it \`deliveryStream:\` (Direct PUT)` });
        }
      });
      if (sc.consumers.length > 0) ctx.addIssue({ code: "custom", path: ["consumers"], message: `consumers read the Kinesis stream, but ${noStream}` });
    }
    const streamName = sc.stream ? (sc.stream.name ?? sc.name) : undefined;
    const firehoses = new Map<string, z.output<typeof FirehoseSchema>>();
    sc.firehose.forEach((f, i) => {
      if (firehoses.has(f.name)) ctx.addIssue({ code: "custom", path: ["firehose", i, "name"], message: `duplicate delivery stream name "${f.name}"` });
      firehoses.set(f.name, f);
      if (f.source !== "direct-put" && f.source !== streamName) {
        const message =
          streamName === undefined
            ? `source must be direct-put: the scenario has no \`stream:\` section for "${f.source}" to read`
            : `source must be direct-put or the stream's name "${streamName}", got "${f.source}"`;
        ctx.addIssue({ code: "custom", path: ["firehose", i, "source"], message });
      }
      if (f.quotas && f.source !== "direct-put") {
        ctx.addIssue({ code: "custom", path: ["firehose", i, "quotas"], message: "quotas apply to Direct PUT only; a delivery stream reading a Kinesis stream scales with its shards" });
      }
      if (f.destination.kind === "opensearch" && f.buffer.size > L.FIREHOSE_BUFFER_MAX_BYTES_OPENSEARCH) {
        ctx.addIssue({ code: "custom", path: ["firehose", i, "buffer", "size"], message: `an OpenSearch destination buffers at most 100 MiB (allowed 1 MiB to 100 MiB), got ${f.buffer.size} B` });
      }
      if (f.transform && f.transform.results.dropped + f.transform.results.processingFailed > 1) {
        ctx.addIssue({ code: "custom", path: ["firehose", i, "transform", "results"], message: "dropped + processingFailed must be at most 1 (the rest are Ok)" });
      }
      if (!sc.producers.some((p) => deliveryStreamOf(p) === f.name) && f.source === "direct-put") {
        ctx.addIssue({ code: "custom", path: ["firehose", i, "source"], message: `no producer writes to "${f.name}": give a producer \`deliveryStream: ${f.name}\`` });
      }
    });
    sc.producers.forEach((p, i) => {
      const target = deliveryStreamOf(p);
      if (target === undefined) return;
      const f = firehoses.get(target);
      if (!f) {
        const known = [...firehoses.keys()];
        ctx.addIssue({ code: "custom", path: ["producers", i, "deliveryStream"], message: `no delivery stream named "${target}"${known.length ? ` (delivery streams: ${known.join(", ")})` : " (the scenario has no firehose section)"}` });
      } else if (f.source !== "direct-put") {
        ctx.addIssue({ code: "custom", path: ["producers", i, "deliveryStream"], message: `delivery stream "${f.name}" reads the Kinesis stream; PutRecord and PutRecordBatch are disabled for it (use source: direct-put)` });
      }
    });
    sc.faults.forEach((f, i) => {
      if (f.at >= sc.duration) ctx.addIssue({ code: "custom", path: ["faults", i, "at"], message: "the fault happens after the end of the run" });
      if (f.kind === "destination-outage" || f.kind === "destination-slowdown" || f.kind === "lambda-errors") {
        const fh = firehoses.get(f.firehose);
        if (!fh) {
          const known = [...firehoses.keys()];
          ctx.addIssue({ code: "custom", path: ["faults", i, "firehose"], message: `no delivery stream named "${f.firehose}"${known.length ? ` (delivery streams: ${known.join(", ")})` : " (the scenario has no firehose section)"}` });
        } else if (f.kind === "lambda-errors" && !fh.transform) {
          ctx.addIssue({ code: "custom", path: ["faults", i, "firehose"], message: `delivery stream "${f.firehose}" has no transform, so there is no Lambda to fail` });
        }
        return;
      }
      const c = consumers.get(f.consumer);
      if (c === undefined) {
        const known = [...consumers.keys()];
        ctx.addIssue({ code: "custom", path: ["faults", i, "consumer"], message: `no consumer named "${f.consumer}"${known.length ? ` (consumers: ${known.join(", ")})` : " (the scenario has no consumers)"}` });
      } else if (f.workers > sc.consumers[c]!.workers) {
        ctx.addIssue({ code: "custom", path: ["faults", i, "workers"], message: `consumer "${f.consumer}" has only ${sc.consumers[c]!.workers} worker(s)` });
      }
    });
  }, {
    // Cross-field checks need every field parsed. zod runs a refinement unless an earlier issue aborted, but
    // a failed regex or min/max check does not abort: without this, `hashKeys: ["x"]` crashed in BigInt() and
    // `levels: []` crashed on levels[0]. Unknown keys leave the values intact, so the checks still run then.
    when: (payload) => payload.issues.every((issue) => issue.code === "unrecognized_keys"),
  });

function checkRate(rate: z.output<typeof RateShapeSchema>, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (rate.shape === "step") {
    if (rate.levels[0]!.at !== 0) ctx.addIssue({ code: "custom", path: [...path, "levels", 0, "at"], message: "the first level must start at 0s" });
    for (let j = 1; j < rate.levels.length; j++) {
      if (rate.levels[j]!.at <= rate.levels[j - 1]!.at) ctx.addIssue({ code: "custom", path: [...path, "levels", j, "at"], message: "level times must be strictly ascending" });
    }
  }
  if (rate.shape === "ramp" && rate.end !== undefined && rate.end <= rate.start) {
    ctx.addIssue({ code: "custom", path: [...path, "end"], message: "end must be after start" });
  }
  if (rate.shape === "diurnal") {
    if (rate.peak < rate.mean) ctx.addIssue({ code: "custom", path: [...path, "peak"], message: "peak must be ≥ mean" });
    if (rate.peak > 2 * rate.mean) ctx.addIssue({ code: "custom", path: [...path, "peak"], message: "peak must be ≤ 2 × mean (the trough would be negative)" });
  }
}

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ProducerSpec = Scenario["producers"][number];
export type SdkProducerSpec = z.output<typeof SdkProducerSchema>;
export type KplProducerSpec = z.output<typeof KplProducerSchema>;
export type AgentProducerSpec = z.output<typeof AgentProducerSchema>;
export type RateShape = z.output<typeof RateShapeSchema>;
export type RecordSizeSpec = z.output<typeof RecordSizeSchema>;
export type PartitionKeySpec = z.output<typeof PartitionKeySchema>;
export type LatencySpec = z.output<typeof LatencySchema>;
export type StreamSpec = z.output<typeof StreamSchema>;
export type SloSpec = z.output<typeof SloSchema>;
export type ConsumerSpec = z.output<typeof ConsumerSchema>;
export type KclConsumerSpec = z.output<typeof KclConsumerSchema>;
export type FanoutConsumerSpec = z.output<typeof FanoutConsumerSchema>;
export type FaultSpec = z.output<typeof FaultSchema>;
export type LeaseTableSpec = z.output<typeof LeaseTableSchema>;
export type FirehoseSpec = z.output<typeof FirehoseSchema>;
export type TransformSpec = z.output<typeof TransformSchema>;
export type DestinationSpec = z.output<typeof DestinationSchema>;
