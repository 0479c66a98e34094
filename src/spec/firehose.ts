// Amazon Data Firehose delivery streams.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { MS, NAME, NAME_MESSAGE, S } from "./common.js";
import { byteRate, duration, recordRate, size } from "./fields.js";
import { LatencySchema } from "./latency.js";


export const firehoseName = z.string().regex(NAME, NAME_MESSAGE);

export const BufferHintsSchema = z.strictObject({
  size: size(L.FIREHOSE_BUFFER_MIN_BYTES, L.FIREHOSE_BUFFER_MAX_BYTES_S3)
    .prefault(`${L.FIREHOSE_BUFFER_DEFAULT_BYTES / L.MiB}MiB`)
    .describe("SizeInMBs: deliver when the buffer holds this much (S3 and Redshift 1–128 MiB, OpenSearch 1–100 MiB; default 5 MiB)."),
  interval: duration(0, L.FIREHOSE_BUFFER_MAX_INTERVAL_S * S)
    .prefault(`${L.FIREHOSE_BUFFER_DEFAULT_INTERVAL_S}s`)
    .describe(
      "IntervalInSeconds: deliver when the buffer's oldest record has waited this long (0–900 s; default 300 s). 0 is zero buffering (delivered \"within a few seconds\"): an assumption, what has arrived is delivered at each whole second.",
    ),
  raiseUpTo: size(L.FIREHOSE_BUFFER_MIN_BYTES, L.FIREHOSE_BUFFER_MAX_BYTES_S3)
    .optional()
    .describe(
      "When delivery falls behind, Firehose raises the buffer size dynamically to catch up (Firehose developer guide); by how much is not documented. An assumption: the size in force doubles while a second full delivery already waits behind the one going out, up to this; it returns to `size` once delivery keeps up. Default: the destination's largest size hint (S3 and Redshift 128 MiB, OpenSearch 100 MiB); set it to `size` to turn raising off.",
    ),
});

export const TransformSchema = z.strictObject({
  buffer: z
    .strictObject({
      size: size(L.FIREHOSE_LAMBDA_BUFFER_MIN_BYTES, L.FIREHOSE_LAMBDA_BUFFER_MAX_BYTES)
        .prefault("1MB")
        .describe("BufferSizeInMBs: invoke when this much is buffered (0.2–3 MB, default 1 MB)."),
      interval: duration(0, L.FIREHOSE_BUFFER_MAX_INTERVAL_S * S)
        .prefault(`${L.FIREHOSE_LAMBDA_DEFAULT_INTERVAL_S}s`)
        .describe("IntervalInSeconds: invoke when the oldest buffered record has waited this long (0–900 s, default 60 s). 0: an assumption, the function is invoked on what has arrived at each whole second."),
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
      "Most invocations running at once. Default: 5 per shard read of the source stream (Firehose's limit; it changes when a reshard completes and when a closed parent has been read to its end, its children then read), or 1,000 for Direct PUT (the Lambda account default).",
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
  sizeFactor: z.number().gt(0).max(100).default(1).describe("Size of an Ok record after the transformation, relative to before. An answer over Lambda's 6 MiB payload in base64 (a sizeFactor over about 4.7 at a 1 MB buffer, 1.57 at 3 MB) fails the invocation."),
  memory: size(L.LAMBDA_MEMORY_MIN_BYTES, L.LAMBDA_MEMORY_MAX_BYTES)
    .prefault(`${L.LAMBDA_MEMORY_DEFAULT_BYTES / L.MiB}MiB`)
    .describe("The function's memory size (128 MiB .. 10,240 MiB, Lambda's default 128 MiB): the bill's GB-seconds. It does not change the invocation's duration here (set `duration` for that)."),
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

export type FirehoseSpec = z.output<typeof FirehoseSchema>;
export type TransformSpec = z.output<typeof TransformSchema>;
export type DestinationSpec = z.output<typeof DestinationSchema>;
