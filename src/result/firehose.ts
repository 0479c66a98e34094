// A Firehose delivery stream's result: its accounting (checked), ingestion, flushes, deliveries, latency,
// DataFreshness, the transformation's counts and the per-step series.

import { sum } from "d3-array";
import { FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND, FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND, FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND } from "../aws/limits.js";
import type { DeliveryStream } from "../model/firehose/deliveryStream.js";
import type { Transform } from "../model/firehose/transform.js";
import type { Stream } from "../model/kinesis/stream.js";
import type { ProducerModel } from "../model/producers/producer.js";
import { valuesOf } from "../metrics/warmup.js";
import { AccountingError, exactCounts } from "./accounting.js";
import { stageTails } from "./stages.js";
import type { FirehoseResult } from "./runResult.js";

export function firehoseResult(f: DeliveryStream, writers: readonly ProducerModel[], stream: Stream | undefined): FirehoseResult {
  const s = f.stats;
  const inside = f.inside();
  exactCounts(`delivery stream ${f.name}`, { in: s.in });
  const balanced =
    s.in === s.delivered + inside.transform + inside.buffer + inside.destination + s.droppedByTransform + s.processingFailed + s.gaveUp + s.expired;
  if (!balanced) {
    throw new AccountingError(
      `delivery stream ${f.name}: in ${s.in} ≠ delivered ${s.delivered} + inside ${inside.transform + inside.buffer + inside.destination} + dropped ${s.droppedByTransform} + processing-failed ${s.processingFailed} + given up ${s.gaveUp} + expired ${s.expired}`,
    );
  }
  if (f.directPut) {
    const accepted = sum(writers, (p) => p.stats.accepted);
    if (accepted !== s.in) throw new AccountingError(`delivery stream ${f.name}: producers saw ${accepted} records accepted, ${s.in} entered`);
  }
  const r = f.reader;
  if (r) {
    const unread = r.unread();
    if (r.read + unread + r.expiredUnread !== sum(stream!.storedUsers)) {
      throw new AccountingError(`delivery stream ${f.name}: read ${r.read} + unread ${unread} + expired ${r.expiredUnread} ≠ stream accepted ${sum(stream!.storedUsers)}`);
    }
  }
  const t = f.transform;
  const dp = f.directPut;
  return {
    name: f.name,
    source: f.spec.source,
    destination: f.spec.destination.kind,
    buffer: { sizeBytes: f.spec.buffer.size, intervalUs: f.spec.buffer.interval, raisedToBytes: f.maxSizeInForce },
    accounting: {
      in: s.in,
      delivered: s.delivered,
      inside,
      overdue: s.overdue,
      droppedByTransform: s.droppedByTransform,
      processingFailed: s.processingFailed,
      gaveUp: s.gaveUp,
      expired: s.expired,
      balanced,
    },
    incoming: { records: s.inAfterWarmup, bytes: s.inBytesAfterWarmup, billedBytes: s.billedBytesAfterWarmup },
    delivered: { records: s.deliveredAfterWarmup, bytes: s.deliveredBytesAfterWarmup },
    notDelivered: s.notDeliveredAfterWarmup,
    notDeliveredByReason: { processingFailed: s.processingFailedAfterWarmup, gaveUp: s.gaveUpAfterWarmup, expired: s.expiredAfterWarmup, overdueAtEnd: s.overdueAtEnd },
    directPut: dp
      ? {
          ...valuesOf(dp.counts),
          quotas: f.spec.quotas ?? { records: FIREHOSE_DIRECT_PUT_RECORDS_PER_SECOND, requests: FIREHOSE_DIRECT_PUT_REQUESTS_PER_SECOND, bytes: FIREHOSE_DIRECT_PUT_BYTES_PER_SECOND },
        }
      : null,
    sourceRead: r
      ? { read: r.read, unread: r.unread(), expiredUnread: r.expiredUnread, getRecordsCalls: r.counts.calls.value, throttledCalls: r.counts.throttledCalls.value, bytesRead: r.counts.bytesRead.value }
      : null,
    flushes: { ...s.flushes },
    objects: { count: f.objectBytes.count, bytes: f.objectBytes.summary(), records: f.objectRecords.summary() },
    failedAttempts: s.failedAttempts,
    copies: { count: s.copies, objects: s.objectsCopied },
    splitRequests: s.splitRequests,
    deliveryLatency: f.deliveryLatency.summary(),
    atEnd: { censored: f.censoredAtEnd.count, overdue: s.overdueAtEnd, unread: f.unreadAtEnd.count },
    stages: stageTails(f.stages, f.deliveryLatency.summary(), ["beforeFirehose", "transform", "buffer", "bufferRaised", "bufferHeld", "destination"] as const),
    deliveryLatencyCdf: f.deliveryLatency.cdf(),
    maxDataFreshness: f.maxFreshness,
    maxUndeliveredAge: f.maxUndeliveredAge,
    transform: t ? transformResult(t) : null,
    series: {
      incomingRecords: Array.from(f.series.row(0)),
      incomingBytes: Array.from(f.series.row(1)),
      deliveredRecords: Array.from(f.series.row(2)),
      flushesBySize: Array.from(f.series.row(3)),
      flushesByInterval: Array.from(f.series.row(4)),
      notDeliveredRecords: Array.from(f.series.row(5)),
      bufferBytes: Array.from(f.bufferBytesSeries),
      destinationBytes: Array.from(f.destinationBytesSeries),
      sizeInForceBytes: Array.from(f.sizeInForceSeries),
      dataFreshness: Array.from(f.freshnessSeries),
      undeliveredAge: Array.from(f.undeliveredAgeSeries),
      throttledRecords: Array.from(dp ? dp.throttledSeries.row(0) : new Float64Array(f.series.points)),
    },
  };
}

function transformResult(t: Transform): NonNullable<FirehoseResult["transform"]> {
  const { busyTime, ...counts } = t.stats;
  return {
    ...counts,
    // Copies: the model's counts go on changing if it runs on.
    failedInvocationsBy: { ...counts.failedInvocationsBy },
    failedBatchRecordsBy: { ...counts.failedBatchRecordsBy },
    concurrency: t.mostConcurrency,
    concurrencySteps: t.concurrencySteps.map((s) => ({ atUs: s.at, concurrency: s.concurrency })),
    meanDurationUs: counts.invocations > 0 ? busyTime / counts.invocations : 0,
  };
}
