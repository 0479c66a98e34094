// Service level objectives the report checks.

import { z } from "zod";
import { H, S } from "./common.js";
import { duration } from "./fields.js";


export const SloSchema = z.strictObject({
  writeThrottledPercent: z.number().min(0).max(100).optional().describe("Max % of put attempts throttled (WriteProvisionedThroughputExceeded / records put)."),
  recordsLostPercent: z.number().min(0).max(100).optional().describe("Max % of offered records lost (retries exhausted, too large)."),
  putLatencyP50: duration(0, 3_600 * S).optional().describe("Max median put latency (first attempt → acknowledgement)."),
  putLatencyP99: duration(0, 3_600 * S).optional().describe("Max p99 put latency (first attempt → acknowledgement)."),
  putLatencyP999: duration(0, 3_600 * S).optional().describe("Max p99.9 put latency."),
  endToEndP50: duration(0, 366 * 24 * H).optional().describe("Max median end-to-end latency (record born at the producer → processed), every consumer."),
  endToEndP99: duration(0, 366 * 24 * H).optional().describe("Max p99 end-to-end latency, every consumer."),
  maxIteratorAge: duration(0, 366 * 24 * H)
    .optional()
    .describe(
      "Max iterator age after warmup, every consumer and shard, as CloudWatch reports it: GetRecords.IteratorAgeMilliseconds for polling (the age of the last record a call returned; about 0 when caught up), SubscribeToShardEvent.MillisBehindLatest for fan-out.",
    ),
  maxOldestUnprocessedAge: duration(0, 366 * 24 * H)
    .optional()
    .describe("Max age of the oldest record a consumer has not processed yet, after warmup, every consumer and shard (how long a backlog makes records wait; no CloudWatch metric reports it)."),
  consumerLostPercent: z.number().min(0).max(100).optional().describe("Max % of the records that arrived after warmup that a consumer lost unprocessed: expired unread, skipped, or (Lambda) discarded or skipped for their age. Records still waiting at the end (behind a batch retried without end, say) and those a sink lost do not count (recordsLostPercent counts the sink's)."),
  deliveryP99: duration(0, 366 * 24 * H).optional().describe("Max p99 delivery latency (record born at the producer → delivered), every Firehose delivery stream."),
  dataFreshness: duration(0, 366 * 24 * H)
    .optional()
    .describe(
      "Max DataFreshness (age of the oldest record not yet delivered) after warmup, every delivery stream, as CloudWatch reports it: for Redshift, DeliveryToS3.DataFreshness, to the intermediate S3 bucket (before COPY).",
    ),
  firehoseNotDeliveredPercent: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe(
      "Max % of the records entering a delivery stream that ended in a backup, errors/ or processing-failed/ prefix, or were lost, or were still inside at the end and overdue (in longer than the delivery stream takes for them when it keeps up).",
    ),
});

export type SloSpec = z.output<typeof SloSchema>;
