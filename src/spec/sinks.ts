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

const connectorCommon = {
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
  retry: z
    .strictObject({
      limit: z.int().min(1).max(1_000_000).default(L.CONNECTOR_RETRY_LIMIT).describe("retryLimit: tries of an emit in all (Connector Library: 3); what is still unwritten then goes to IEmitter.fail() and is lost."),
      backoff: duration(0, 3_600 * S).prefault(`${L.CONNECTOR_BACKOFF_MS / 1000}s`).describe("backoffInterval: the wait before an emit is tried again (Connector Library: 10 s)."),
    })
    .prefault({})
    .describe("The record processor's emit loop (KinesisConnectorRecordProcessor.emit): an emit that left records unwritten (DynamoDB UnprocessedItems) is tried again with those records after the backoff."),
  sizeFactor: z.number().gt(0).max(100).default(1).describe("Size of what the sink stores for a record (an item, a line of an object, a document) relative to the record's data."),
  checkpoint: z
    .enum(["after-flush", "when-due"])
    .default("after-flush")
    .describe("after-flush: the record processor checkpoints after each flush is written, at its last record (the Connector Library's). when-due: at the consumer's `checkpoint:` settings, never past the last record written."),
};

const [s3Destination, redshiftDestination, opensearchDestination] = DestinationSchema.options;

export const SinkSchema = z
  .discriminatedUnion("kind", [
    z
      .strictObject({
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
        ...connectorCommon,
      })
      .describe("A DynamoDB table: each record an item (its size × sizeFactor, rounded up to whole KB = write units), written with BatchWriteItem; throttled items come back unprocessed and the emit is retried."),
    s3Destination.extend(connectorCommon).describe("Amazon S3: each flush is one object, put with PutObject (S3Emitter)."),
    redshiftDestination
      .extend(connectorCommon)
      .describe("Amazon Redshift: each flush is staged as an S3 object, then loaded with COPY, one COPY at a time for the application, each loading every object staged when it starts."),
    opensearchDestination.extend(connectorCommon).describe("Amazon OpenSearch Service: each flush is one bulk request; the domain serves one at a time at its throughput."),
  ])
  .describe(
    "Where the consumer writes what it processes, with the Amazon Kinesis Connector Library's buffering: a buffer per record processor flushes on a record count, byte size or age, and the processor waits until the flush is written.",
  );

export type SinkSpec = z.output<typeof SinkSchema>;
export type SinkTableSpec = z.output<typeof SinkTableSchema>;
