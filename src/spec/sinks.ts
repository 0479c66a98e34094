// Connector sinks: where a consumer writes what it processes, with the Amazon Kinesis Connector Library's
// buffering (a buffer per record processor that flushes on a record count, a byte size or an age) and emitters
// (a DynamoDB table with BatchWriteItem, S3 objects, OpenSearch bulk requests, Redshift COPY from S3). A consumer
// kind attaches one with its `sink:` field; the S3, Redshift and OpenSearch sinks take the same settings as a
// Firehose destination of that kind (src/spec/firehose.ts), the DynamoDB sink the capacity settings of a table.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { MS, S } from "./common.js";
import { duration, size } from "./fields.js";
import { DestinationSchema } from "./firehose.js";
import { LatencySchema } from "./latency.js";

/** A DynamoDB table's capacity: provisioned write units with burst, or on-demand. */
export const SinkTableSchema = z.discriminatedUnion("capacity", [
  z.strictObject({
    capacity: z.literal("provisioned"),
    write: z.int().min(1).max(L.DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU).describe("Provisioned write capacity units (1 WCU writes one item of up to 1 KB a second)."),
    read: z.int().min(1).max(L.DYNAMODB_ON_DEMAND_TABLE_QUOTA_RRU).default(1).describe("Provisioned read capacity units (the sink does not read; they only count in the bill)."),
    burst: duration(1 * S, L.DYNAMODB_BURST_SECONDS * S)
      .prefault(`${L.DYNAMODB_BURST_SECONDS}s`)
      .describe("Unused capacity DynamoDB keeps for bursts (1 s to 300 s of the provisioned rate); the table starts with it full."),
  }),
  z.strictObject({
    capacity: z.literal("onDemand"),
    previousPeak: z
      .strictObject({
        write: z.number().min(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU).max(L.DYNAMODB_ON_DEMAND_TABLE_QUOTA_WRU).default(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_WRU).describe("Write request units per second of the table's previous peak (a new table's: 2,000)."),
        read: z.number().min(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU).max(L.DYNAMODB_ON_DEMAND_TABLE_QUOTA_RRU).default(L.DYNAMODB_ON_DEMAND_INITIAL_PEAK_RRU).describe("Read request units per second of the table's previous peak (a new table's: 6,000)."),
      })
      .optional()
      .describe("The highest traffic the table served before the run. Default: a new table's, 2,000 WRU or 6,000 RRU."),
  }),
]);

/** The Connector's buffer per record processor (BasicMemoryBuffer) and when the processor checkpoints: a KCL application's sink. */
const connectorBuffering = {
  buffer: z
    .strictObject({
      records: z.int().min(1).max(1e9).default(L.CONNECTOR_BUFFER_RECORDS).describe("bufferRecordCountLimit: flush when the buffer holds this many records (Connector Library: 1,000)."),
      bytes: size(1, 1024 * L.MiB)
        .prefault(`${L.CONNECTOR_BUFFER_BYTES / L.MiB}MiB`)
        .describe("bufferByteSizeLimit: flush when the buffer holds this much record data (Connector Library: 1 MiB)."),
      age: duration(1 * MS, 24 * 3_600 * S)
        .optional()
        .describe("bufferMillisecondsLimit: flush when this long has passed since the last flush (Connector Library: Long.MAX_VALUE, never). The KCL calls the record processor even for empty reads, so an idle shard's buffer flushes too."),
    })
    .prefault({})
    .describe("A buffer per record processor (BasicMemoryBuffer), checked after each batch: whichever limit is reached first flushes everything it holds. While a flush is written the record processor waits: no next batch, no checkpoint."),
  checkpoint: z
    .enum(["after-flush", "when-due"])
    .default("after-flush")
    .describe("after-flush: the record processor checkpoints after each flush is written, at its last record (the Connector Library's). when-due: at the consumer's `checkpoint:` settings, never past the last record written."),
};

const connectorWrites = {
  retry: z
    .strictObject({
      limit: z.int().min(1).max(1_000_000).default(L.CONNECTOR_RETRY_LIMIT).describe("retryLimit: tries of an emit in all (Connector Library: 3); what is still unwritten then goes to IEmitter.fail() and is lost."),
      backoff: duration(0, 3_600 * S).prefault(`${L.CONNECTOR_BACKOFF_MS / 1000}s`).describe("backoffInterval: the wait before an emit is tried again (Connector Library: 10 s)."),
    })
    .prefault({})
    .describe("The record processor's emit loop (KinesisConnectorRecordProcessor.emit): an emit that left records unwritten (DynamoDB UnprocessedItems) is tried again with those records after the backoff."),
  sizeFactor: z.number().gt(0).max(100).default(1).describe("Size of what the sink stores for a record (an item, a line of an object, a document) relative to the record's data."),
};

const connectorCommon = { buffer: connectorBuffering.buffer, ...connectorWrites, checkpoint: connectorBuffering.checkpoint };

/**
 * A field of the Connector's that a Lambda function's sink refuses, with why: stated, it is an error at its line (the
 * field would do nothing: a function writes each batch before it returns). Absent from what the schema parses.
 */
const notForLambda = (field: string, why: string) =>
  z
    .never({ error: `\`${field}\` does not apply to a Lambda consumer's sink: ${why}; remove it` })
    .optional()
    .meta({ "x-expected": "not allowed" })
    .describe(`Not allowed on a Lambda consumer's sink (a KCL application's only): ${why}.`);

/** A Lambda function's own writes: its handler's retries of what a write left unwritten, and the size of what it stores. */
const functionWrites = {
  retry: z
    .strictObject({
      limit: z
        .int()
        .min(1)
        .max(1_000_000)
        .default(L.CONNECTOR_RETRY_LIMIT)
        .describe("Tries of a write in all, the handler's own (default 3, the Connector Library's: an assumption; set what your function does); what is still unwritten then the function gives up on, and it is lost."),
      backoff: duration(0, 3_600 * S)
        .prefault(`${L.CONNECTOR_BACKOFF_MS / 1000}s`)
        .describe("The wait before the handler tries a write again (default 10 s, the Connector Library's: an assumption)."),
    })
    .prefault({})
    .describe("The function's write loop: a write that left items unwritten (DynamoDB UnprocessedItems) is tried again with those items after the backoff, inside the invocation."),
  sizeFactor: connectorWrites.sizeFactor,
  buffer: notForLambda("buffer", "the function writes each invocation's batch before it returns, so no buffer gathers records (the mapping's `batchSize` and `batchingWindow` set how many a write takes)"),
  checkpoint: notForLambda("checkpoint", "a function does not checkpoint (its event source mapping moves past a batch when the invocation returns, after the write)"),
};

const [s3Destination, redshiftDestination, opensearchDestination] = DestinationSchema.options;

/** A DynamoDB table sink's own fields. */
const dynamodbFields = {
  kind: z.literal("dynamodb"),
  table: SinkTableSchema.describe("The table's capacity mode and units."),
  itemsPerRequest: z
    .int()
    .min(1)
    .max(L.DYNAMODB_BATCH_WRITE_MAX_ITEMS)
    .default(L.CONNECTOR_DYNAMODB_BATCH_ITEMS)
    .describe("Items per BatchWriteItem request (DynamoDB allows 25 and 16 MB; the Connector's DynamoDBEmitter sends 16). Requests go one after another."),
  requestLatency: LatencySchema.prefault({ dist: "lognormal", median: `${L.DYNAMODB_WRITE_LATENCY_MS}ms`, p99: "50ms" }).describe(
    "Round trip of one BatchWriteItem request (an assumption: lognormal, median 10 ms, p99 50 ms).",
  ),
};

export const SinkSchema = z
  .discriminatedUnion("kind", [
    z
      .strictObject({ ...dynamodbFields, ...connectorCommon })
      .describe("A DynamoDB table: each record an item (its size × sizeFactor, rounded up to whole KB = write units), written with BatchWriteItem; throttled items come back unprocessed and the emit is retried."),
    s3Destination.extend(connectorCommon).describe("Amazon S3: each flush is one object, put with PutObject (S3Emitter)."),
    redshiftDestination
      .extend(connectorCommon)
      .describe("Amazon Redshift: each flush is staged as an S3 object, then loaded with its own COPY; COPYs into the table run one at a time for the application (each waits for the table's write lock)."),
    opensearchDestination.extend(connectorCommon).describe("Amazon OpenSearch Service: each flush is one bulk request; the domain serves one at a time at its throughput."),
  ])
  .describe(
    "Where the consumer writes what it processes, with the Amazon Kinesis Connector Library's buffering: a buffer per record processor flushes on a record count, byte size or age, and the processor waits until the flush is written.",
  );

/**
 * A Lambda consumer's sink: the same destinations, written by the function inside each invocation (the mapping offers
 * the batch with `flush: true`). The Connector's buffer and checkpoint policy are refused, not ignored.
 */
export const LambdaSinkSchema = z
  .discriminatedUnion("kind", [
    z
      .strictObject({ ...dynamodbFields, ...functionWrites })
      .describe("A DynamoDB table: each record an item (its size × sizeFactor, rounded up to whole KB = write units), written with BatchWriteItem; throttled items come back unprocessed and the handler tries them again."),
    s3Destination.extend(functionWrites).describe("Amazon S3: each invocation's batch is one object, put with PutObject."),
    redshiftDestination.extend(functionWrites).describe("Amazon Redshift: each invocation's batch is staged as an S3 object, then loaded with its own COPY; COPYs into the table run one at a time for the function (each waits for the table's write lock), so the function writes at most a batch ÷ a COPY's time a second, whatever its lanes."),
    opensearchDestination.extend(functionWrites).describe("Amazon OpenSearch Service: each invocation's batch is one bulk request; the domain serves one at a time at its throughput, so the function writes at most a batch ÷ a request's time a second, whatever its lanes."),
  ])
  .describe("Where the function writes what it processes: each invocation writes its batch before it returns, so a sink that cannot keep up makes the function's batches slower.");

export type SinkSpec = z.output<typeof SinkSchema>;
export type LambdaSinkSpec = z.output<typeof LambdaSinkSchema>;
/** A sink's settings, a KCL application's (with the Connector's buffer and checkpoint policy) or a Lambda function's (without). */
export type AnySinkSpec = SinkSpec | LambdaSinkSpec;
export type SinkTableSpec = z.output<typeof SinkTableSchema>;
