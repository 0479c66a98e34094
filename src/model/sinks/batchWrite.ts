// How long one write of a batch takes on a sink, from the sink's model (emitters.ts, ../firehose/destinations.ts): what a
// Lambda function's invocation spends writing its batch before it returns (its Duration counts it, and its timeout).
// - DynamoDB: BatchWriteItem requests of `itemsPerRequest` items (at most 16 MB), one after another, each its request
//   latency. Throttled items come back unprocessed and are tried again after `retry.backoff`, `retry.limit` tries in all.
// - S3: one PutObject. Redshift: a staging PutObject, then a COPY (its fixed time plus its time per MiB). OpenSearch: one
//   bulk request, its latency plus its bytes at the domain's throughput.
// The mean is the sink's when it is not throttled and serves the write alone (the Redshift cluster and the OpenSearch
// domain serve one COPY or bulk request at a time for every lane: with others waiting a write takes longer, and all the
// lanes together write at most a write's records ÷ that one-at-a-time part a second: oneAtATimeWriteOf). The least is
// what the write takes at the very least whatever the sink does: its requests at their least latency, and for a
// provisioned table whose write capacity cannot hold the batch's units, either the time the table takes to accrue them
// or the handler's backoffs until it gives up, whichever is shorter.

import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { DYNAMODB_BATCH_WRITE_MAX_BYTES, MiB } from "../../aws/limits.js";
import type { AnySinkSpec } from "../../spec/index.js";
import { latencyLeast, latencyMean } from "../latencySampler.js";
import { writeUnitsPerItem } from "./emitters.js";

/** A write's mean time as a function of its records: fixedUs + ⌈records ÷ recordsPerRequest⌉ × perRequestUs + records × perRecordUs. */
export interface WriteTime {
  fixedUs: number;
  perRequestUs: number;
  recordsPerRequest: number;
  perRecordUs: number;
  /**
   * The write's random part: a draw of `latency` once a write (its mean within fixedUs: an S3 PutObject, the Redshift
   * staging put, an OpenSearch bulk request) or once a request (perRequestUs: DynamoDB's BatchWriteItem requests, one
   * after another); the rest of the time is constant. What a lane's bound counts of the writes the timeout cuts
   * (src/model/lambda/timedTry.ts).
   */
  spread?: { latency: LatencyDraw; per: "write" | "request" };
}

/** A latency distribution as the sink's spec gives it (LatencySpec, µs), written out for the report's schema generator. */
export type LatencyDraw = { dist: "fixed"; value: number } | { dist: "uniform"; min: number; max: number } | { dist: "lognormal"; median: number; p99: number };

/**
 * One write of a batch: its mean time (µs, the sink not throttled, alone) and the least it can take (µs), set by
 * (`leastBy`): its requests at their least latency; a provisioned table's capacity accruing the units it cannot hold
 * (`units`, `heldUnits`); or the handler's backoffs until it gives up.
 */
export interface BatchWrite {
  meanUs: Micros;
  leastUs: Micros;
  leastBy: "requests" | "capacity" | "retries";
  /** DynamoDB: its BatchWriteItem requests and the least latency of one; the batch's write units, and the most a provisioned table holds unused (its burst). */
  requests?: number;
  requestLeastUs?: number;
  units?: number;
  heldUnits?: number;
  /** DynamoDB, provisioned: the table's write capacity units (a second). */
  writeCapacity?: number;
  /**
   * DynamoDB, provisioned, its burst credit spent (SpentCredit): since when (µs); `heldUnits` is then the most it has
   * held at any moment since, not its full credit.
   */
  creditSpentSinceUs?: number;
}

/** A provisioned table's burst credit spent and kept spent (src/result/burstCredit.ts creditSpent): since when (µs), and the most write units it has held at any moment since. */
export interface SpentCredit {
  sinceUs: number;
  mostUnits: number;
}

/** The mean time of a write of `records` records (µs) by its WriteTime. */
export function writeUsOf(w: WriteTime, records: number): number {
  if (records <= 0) return 0;
  return w.fixedUs + Math.ceil(records / w.recordsPerRequest) * w.perRequestUs + records * w.perRecordUs;
}

/** Items per BatchWriteItem request for items of `itemBytes` (DynamoDbEmitter: itemsPerRequest, within 16 MB). */
function itemsPerRequest(spec: Extract<AnySinkSpec, { kind: "dynamodb" }>, itemBytes: number): number {
  return Math.max(1, Math.min(spec.itemsPerRequest, Math.floor(DYNAMODB_BATCH_WRITE_MAX_BYTES / Math.max(1, itemBytes))));
}

/** A sink's WriteTime for records of `dataBytesPerRecord` record data (the sink stores each at its sizeFactor). */
export function writeTimeOf(spec: AnySinkSpec, dataBytesPerRecord: number): WriteTime {
  const bytes = dataBytesPerRecord * spec.sizeFactor;
  switch (spec.kind) {
    case "dynamodb":
      return { fixedUs: 0, perRequestUs: latencyMean(spec.requestLatency), recordsPerRequest: itemsPerRequest(spec, bytes), perRecordUs: 0, spread: { latency: spec.requestLatency, per: "request" } };
    case "s3":
      return { fixedUs: latencyMean(spec.putLatency), perRequestUs: 0, recordsPerRequest: 1, perRecordUs: 0, spread: { latency: spec.putLatency, per: "write" } };
    case "redshift":
      return { fixedUs: latencyMean(spec.putLatency) + spec.copy.fixed, perRequestUs: 0, recordsPerRequest: 1, perRecordUs: (spec.copy.perMiB * bytes) / MiB, spread: { latency: spec.putLatency, per: "write" } };
    case "opensearch":
      return { fixedUs: latencyMean(spec.requestLatency), perRequestUs: 0, recordsPerRequest: 1, perRecordUs: (bytes / spec.throughput) * MICROS_PER_SECOND, spread: { latency: spec.requestLatency, per: "write" } };
  }
}

/**
 * The part of a write the sink serves one at a time for every writer (its lanes, a consumer's record processors): a
 * Redshift COPY (the staging put runs in parallel; COPYs into one table wait for each other's write lock, "Concurrent write
 * examples", https://docs.aws.amazon.com/redshift/latest/dg/r_Serializable_isolation_example.html), an OpenSearch bulk
 * request whole (the domain indexes one at a time: ../firehose/destinations.ts). Null for a sink that serves its writers'
 * requests side by side (S3 puts; a DynamoDB table's requests, whose shared limit is its capacity, judged by its own rules).
 * The sink then writes at most b ÷ writeUsOf(this, b) records a second, b a write's records, whatever the writers.
 */
export function oneAtATimeWriteOf(spec: AnySinkSpec, dataBytesPerRecord: number): WriteTime | null {
  const bytes = dataBytesPerRecord * spec.sizeFactor;
  switch (spec.kind) {
    case "redshift":
      return { fixedUs: spec.copy.fixed, perRequestUs: 0, recordsPerRequest: 1, perRecordUs: (spec.copy.perMiB * bytes) / MiB };
    case "opensearch":
      return writeTimeOf(spec, dataBytesPerRecord);
    default:
      return null;
  }
}

/**
 * One write of `records` records of `dataBytes` record data in all: its mean and its least time. With `spent`, a
 * provisioned table's credit since it was spent: it holds at most `spent.mostUnits`, not its full burst.
 */
export function batchWrite(spec: AnySinkSpec, records: number, dataBytes: number, spent?: SpentCredit): BatchWrite {
  if (records <= 0) return { meanUs: 0, leastUs: 0, leastBy: "requests" };
  const meanUs = writeUsOf(writeTimeOf(spec, dataBytes / records), records);
  const bytes = dataBytes * spec.sizeFactor;
  switch (spec.kind) {
    case "dynamodb": {
      const itemBytes = bytes / records;
      const requests = Math.ceil(records / itemsPerRequest(spec, itemBytes));
      const pass = requests * latencyLeast(spec.requestLatency);
      const t = spec.table;
      const req = { requests, requestLeastUs: latencyLeast(spec.requestLatency) };
      if (t.capacity !== "provisioned") return { meanUs, leastUs: pass, leastBy: "requests", ...req };
      // The table holds at most its burst seconds of write capacity unused (since its credit was spent, at most what it
      // has held since), and accrues its capacity a second: the units beyond what it holds take (units − held) ÷
      // capacity seconds. Unless the handler gives up first: it waits its backoff between tries, retry.limit tries in all.
      const units = records * writeUnitsPerItem(itemBytes);
      const full = (t.write * t.burst) / MICROS_PER_SECOND;
      const held = spent ? Math.min(full, spent.mostUnits) : full;
      const accrue = units > held ? ((units - held) / t.write) * MICROS_PER_SECOND : 0;
      const giveUp = (spec.retry.limit - 1) * spec.retry.backoff;
      const slow = Math.min(accrue, giveUp);
      return {
        meanUs,
        leastUs: Math.max(pass, slow),
        leastBy: slow <= pass ? "requests" : accrue <= giveUp ? "capacity" : "retries",
        ...req,
        units,
        heldUnits: held,
        writeCapacity: t.write,
        ...(spent ? { creditSpentSinceUs: spent.sinceUs } : {}),
      };
    }
    case "s3":
      return { meanUs, leastUs: latencyLeast(spec.putLatency), leastBy: "requests" };
    case "redshift":
      return { meanUs, leastUs: latencyLeast(spec.putLatency) + spec.copy.fixed + (spec.copy.perMiB * bytes) / MiB, leastBy: "requests" };
    case "opensearch":
      return { meanUs, leastUs: latencyLeast(spec.requestLatency) + (bytes / spec.throughput) * MICROS_PER_SECOND, leastBy: "requests" };
  }
}
