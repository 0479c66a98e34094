// A Lambda function reading a Kinesis stream through an event source mapping (`kind: lambda`): the mapping's
// settings as CreateEventSourceMapping names them, with their Kinesis ranges and defaults
// (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html), and the function's own
// (memory, timeout, concurrency) with the model's assumptions (duration, cold starts, errors) as settings.

import { LambdaSinkSchema } from "./sinks.js";
import { z } from "zod";
import * as L from "../aws/limits.js";
import { MS, NAME, NAME_MESSAGE, S, streamRef } from "./common.js";
import { duration, size } from "./fields.js";
import { formatDuration } from "./units.js";
import { LatencySchema } from "./latency.js";

export const LambdaFunctionSchema = z
  .strictObject({
    memory: size(L.LAMBDA_MEMORY_MIN_BYTES, L.LAMBDA_MEMORY_MAX_BYTES)
      .prefault(`${L.LAMBDA_MEMORY_DEFAULT_BYTES / L.MiB}MiB`)
      .describe("MemorySize (128 MiB .. 10,240 MiB, Lambda's default 128 MiB): the bill's GB-seconds. It does not change the duration here (set `duration` for that)."),
    timeout: duration(1 * S, L.LAMBDA_TIMEOUT_MAX_S * S)
      .prefault(`${L.LAMBDA_TIMEOUT_DEFAULT_S}s`)
      .describe("Timeout (1 s .. 900 s, Lambda's default 3 s): an invocation still running then fails with a timeout error."),
    duration: z
      .strictObject({
        perInvocation: duration(0, 900 * S).prefault("10ms").describe("Time per invocation whatever its size (an assumption: measure your function)."),
        perRecord: duration(0, 60 * S).prefault("0.5ms").describe("Time per record in the batch (an assumption: measure your function)."),
        variability: z.number().min(0).max(10).default(0.3).describe("Coefficient of variation of an invocation's duration (lognormal around perInvocation + records × perRecord); 0 = exactly the mean."),
      })
      // An invocation that takes no time makes the mapping's bound infinite (helper-68: "Infinity records/s" in report.md,
      // null in report.json); Lambda bills every invocation at least 1 ms.
      .refine((d) => d.perInvocation + d.perRecord > 0, {
        path: ["perInvocation"],
        message: "perInvocation and perRecord are both 0: an invocation takes time (Lambda bills at least 1 ms); give either a positive duration",
      })
      .prefault({})
      .describe("How long an invocation runs (without a cold start). Default 10 ms + 0.5 ms a record, CV 0.3: an assumption."),
    coldStart: z
      .strictObject({
        init: LatencySchema.prefault({ dist: "lognormal", median: `${L.LAMBDA_COLD_START_MEDIAN_MS}ms`, p99: `${L.LAMBDA_COLD_START_P99_MS}ms` }).describe(
          "Init duration of a new execution environment, added to the first invocation it serves. Default lognormal, median 250 ms, p99 1 s (an assumption).",
        ),
        idle: duration(1 * S, 24 * 3_600 * S)
          .prefault(`${L.LAMBDA_IDLE_ENVIRONMENT_MINUTES}m`)
          .describe("How long an idle execution environment stays warm before Lambda reclaims it (undocumented; default 10 minutes, an assumption)."),
      })
      .prefault({})
      .describe("Cold starts: an invocation with no idle warm environment starts a new one."),
    errors: z
      .strictObject({
        share: z.number().min(0).max(1).default(0).describe("Share of invocations that fail (a transient error: the retry may succeed)."),
        poisonRecords: z
          .number()
          .min(0)
          .max(1)
          .default(0)
          .describe("Share of records the function cannot process: every invocation whose batch holds one fails, until bisection isolates it or its retries or age run out."),
      })
      .prefault({})
      .describe("Function errors (the `function-errors` fault adds a burst). A failed batch is retried by the mapping's rules."),
    concurrency: z
      .strictObject({
        reserved: z.int().min(0).max(1_000_000).optional().describe("Reserved concurrency of the function. Omitted: the function shares the account's unreserved concurrency."),
        account: z.int().min(1).max(1_000_000).default(L.LAMBDA_ACCOUNT_CONCURRENCY).describe("The account's concurrent executions in the Region (Lambda default quota: 1,000)."),
      })
      .prefault({})
      .describe("The most invocations running at once: the reserved concurrency, else the account's. An invocation beyond it is throttled and the mapping tries it again."),
  })
  .describe("The Lambda function the mapping invokes.");

export const LambdaConsumerSchema = z
  .strictObject({
    kind: z.literal("lambda"),
    name: z.string().regex(NAME, NAME_MESSAGE).describe("The function's name, unique among the scenario's consumers."),
    stream: streamRef().optional().describe("The stream it reads, by name. Default: the scenario's only stream (required when the scenario has several)."),
    startingPosition: z.enum(["LATEST", "TRIM_HORIZON"]).describe("StartingPosition (required by CreateEventSourceMapping; AT_TIMESTAMP is not modelled)."),
    reader: z
      .enum(["polling", "fanout"])
      .default("polling")
      .describe("polling: a standard iterator, GetRecords on each shard sharing its 5 calls/s and 2 MiB/s with every other polling consumer; fanout: a registered stream consumer (enhanced fan-out, 2 MiB/s per shard of its own)."),
    batchSize: z.int().min(1).max(L.LAMBDA_ESM_BATCH_SIZE_MAX).default(L.LAMBDA_ESM_BATCH_SIZE_DEFAULT).describe("BatchSize: most records per invocation (1..10,000, default 100), within the 6 MB payload."),
    batchingWindow: duration(0, L.LAMBDA_ESM_BATCHING_WINDOW_MAX_S * S)
      .prefault("0s")
      .describe("MaximumBatchingWindowInSeconds (0..300 s, default 0): gather records up to this long before invoking, unless a full batch or the payload limit comes first."),
    parallelization: z
      .int()
      .min(1)
      .max(L.LAMBDA_ESM_PARALLELIZATION_MAX)
      .default(1)
      .describe("ParallelizationFactor (1..10, default 1): batches processed at once per shard, in order per partition key."),
    partitionKeysPerShard: z
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .describe(
        "Distinct partition keys in a shard's records: each key's records stay in one of its concurrent batches, so with fewer keys than the parallelization factor only that many run at once (1 for KPL aggregates that share one key). Default: many keys, records spread evenly over the concurrent batches.",
      ),
    maximumRetryAttempts: z
      .int()
      .min(-1)
      .max(L.LAMBDA_ESM_RETRY_ATTEMPTS_MAX)
      .default(-1)
      .describe("MaximumRetryAttempts: −1 (default) retries a failing batch until its records expire; 0..10,000 retries that many times, then discards it."),
    maximumRecordAge: z
      .union([z.literal(-1), duration(L.LAMBDA_ESM_RECORD_AGE_MIN_S * S, L.LAMBDA_ESM_RECORD_AGE_MAX_S * S)])
      .meta({ "x-expected": `-1 (no limit) or a duration from ${formatDuration(L.LAMBDA_ESM_RECORD_AGE_MIN_S * S)} to ${formatDuration(L.LAMBDA_ESM_RECORD_AGE_MAX_S * S)}` })
      .default(-1)
      .describe("MaximumRecordAgeInSeconds: −1 (default, infinite) or 60 s .. 7 days: records older than this when their batch is tried are discarded, not sent to the function (their batch's details go to the on-failure destination, if any)."),
    bisectBatchOnFunctionError: z.boolean().default(false).describe("BisectBatchOnFunctionError: a batch that fails is split in two and each half tried (does not count as a retry)."),
    onFailure: z
      .strictObject({ destination: z.enum(["sqs", "sns", "s3", "kafka"]).describe("The kind of destination.") })
      .optional()
      .describe("DestinationConfig.OnFailure: where the details of a batch discarded past MaximumRetryAttempts or for being older than MaximumRecordAgeInSeconds go (its shard and sequence numbers, not its records; an S3 destination gets the invocation record too). Omitted: discarded records are lost."),
    tumblingWindow: duration(0, L.LAMBDA_ESM_TUMBLING_WINDOW_MAX_S * S)
      .prefault("0s")
      .describe("TumblingWindowInSeconds (0..900 s, 0 = none): batches never span a window, and at each window's end the shard gets one more invocation (isFinalInvokeForWindow) that its next batches wait for."),
    retryDelay: duration(0, 60 * S)
      .prefault(`${L.LAMBDA_ESM_RETRY_DELAY_MS}ms`)
      .describe("Wait before a throttled or failed invocation is tried again (undocumented; default 1 s, an assumption)."),
    poll: z
      .strictObject({
        maxRecords: z.int().min(1).max(L.GET_RECORDS_MAX_RECORDS).default(L.GET_RECORDS_MAX_RECORDS).describe("The poller's GetRecords Limit (undocumented; default 10,000, the API's largest, as the KCL's: an assumption)."),
        latency: LatencySchema.prefault({ dist: "lognormal", median: `${L.DEFAULT_GET_LATENCY_MEDIAN_MS}ms`, p99: `${L.DEFAULT_GET_LATENCY_P99_MS}ms` }).describe(
          "GetRecords round trip. Default lognormal, median 20 ms, p99 100 ms (an assumption).",
        ),
        retry: z
          .strictObject({
            maxAttempts: z.int().min(1).max(100).default(L.JAVA_SDK_MAX_ATTEMPTS).describe("Attempts per call before the poller waits its whole interval (an assumption: the AWS SDK's 3)."),
            base: duration(1 * MS, 60 * S).prefault(`${L.JAVA_SDK_THROTTLED_BASE_MS}ms`).describe("Backoff base after a throttle (an assumption: the SDK's 500 ms)."),
            cap: duration(1 * MS, 3_600 * S).prefault(`${L.JAVA_SDK_MAX_BACKOFF_MS / 1000}s`).describe("Backoff cap (an assumption: the SDK's 20 s)."),
          })
          .prefault({})
          .describe("A throttled GetRecords is tried again with equal-jitter backoff; when the attempts run out the poller waits a whole poll interval (1 s)."),
      })
      .prefault({})
      .describe("The polling reader (reader: polling): GetRecords on each shard once a second, at once again while it has not reached the tip and a batch can take more."),
    propagation: LatencySchema.prefault({ dist: "lognormal", median: `${L.EFO_PROPAGATION_MEDIAN_MS}ms`, p99: `${L.EFO_PROPAGATION_P99_MS}ms` }).describe(
      "reader: fanout: put-to-push delay of enhanced fan-out (AWS: ~70 ms average). Default lognormal, median 65 ms, p99 150 ms.",
    ),
    function: LambdaFunctionSchema.prefault({}),
    sink: LambdaSinkSchema.optional().describe(
      "Where the function writes what it processes (a DynamoDB table, S3, OpenSearch, Redshift): each invocation writes its batch before it returns (no Connector buffer and no checkpoint: `buffer` and `checkpoint` are refused; the batch is the write), so a sink that cannot keep up makes the function's batches slower.",
    ),
  })
  .describe(
    "A Lambda function invoked by an event source mapping on the stream: each shard's records in batches, up to `parallelization` at once per shard, with the mapping's retry, bisect, maximum age and on-failure rules.",
  );

export type LambdaConsumerSpec = z.output<typeof LambdaConsumerSchema>;
export type LambdaFunctionSpec = z.output<typeof LambdaFunctionSchema>;
