// A consumer application's result: its accounting (checked), reads, latencies, iterator ages, leases and
// lease table.

import { max, sum } from "d3-array";
import type { ConsumerApp } from "../model/kcl/consumerApp.js";
import { StreamProcessor } from "../model/processors/streamProcessor.js";
import type { Stream } from "../model/kinesis/stream.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import { AccountingError } from "./accounting.js";
import { stageTails } from "./stages.js";
import type { ConsumerResult } from "./runResult.js";

export function consumerResult(c: ConsumerApp, stream: Stream, resolution: number): ConsumerResult {
  const accepted = sum(stream.storedUsers);
  const pending = c.pendingGaps();
  const processed = sum(c.processed) + pending.processed;
  const expiredUnread = sum(c.expired) + pending.expired;
  const skipped = sum(c.skipped) + pending.skipped;
  const consumedTotal = sum(c.consumed);
  const unread = accepted - consumedTotal - pending.expired - pending.skipped - pending.processed;
  const balanced = sum(c.processed) + sum(c.expired) + sum(c.skipped) === consumedTotal && unread >= 0;
  if (!balanced) {
    throw new AccountingError(`consumer ${c.name}: processed ${processed} + expired ${expiredUnread} + skipped ${skipped} + unread ${unread} ≠ accepted ${accepted}`);
  }
  const perSecond = (row: Float64Array) => Array.from(row, (x) => x / (resolution / MICROS_PER_SECOND));
  const t = c.table;
  return {
    name: c.name,
    kind: c.kind,
    stream: stream.name,
    ...(c.writer ? { output: c.writer.stream.name } : {}),
    workers: c.workers,
    accounting: { accepted, processed, unread, expiredUnread, skipped, balanced },
    reprocessed: sum(c.reprocessed),
    skippedAfterWarmup: c.stats.skipped,
    getRecordsCalls: c.stats.getRecordsCalls,
    readThrottles: c.stats.readThrottles,
    subscribeCalls: c.stats.subscribeCalls,
    recordsRead: c.stats.recordsRead,
    bytesRead: c.stats.bytesRead,
    endToEnd: c.endToEnd.summary(),
    endToEndCdf: c.endToEnd.cdf(),
    putToProcess: c.putToProcess.summary(),
    censoredAtEnd: c.censoredAtEnd.count,
    stages: stageTails(c.stages, c.endToEnd.summary(), ["beforeStream", "readWait", "processing"] as const),
    maxIteratorAge: max(c.maxIteratorAge) ?? 0,
    maxIteratorAgeByShard: Array.from(c.maxIteratorAge),
    maxOldestUnprocessedAge: max(c.maxOldestUnprocessed) ?? 0,
    maxOldestUnprocessedAgeByShard: Array.from(c.maxOldestUnprocessed),
    series: {
      iteratorAge: Array.from(c.iteratorAgeSeries),
      oldestUnprocessedAge: Array.from(c.oldestUnprocessedSeries),
      recordsProcessed: Array.from(c.activity.row(0)),
      readThrottles: Array.from(c.activity.row(1)),
      reprocessed: Array.from(c.activity.row(2)),
      skipped: Array.from(c.activity.row(3)),
    },
    leases: {
      takes: c.stats.leaseTakes,
      steals: c.stats.leaseSteals,
      lost: c.stats.leasesLost,
      takesThrottled: c.stats.takesThrottled,
      takesFailed: c.stats.takesFailed,
      renewals: c.stats.renewals,
      renewalsThrottled: c.stats.renewalsThrottled,
      checkpoints: c.stats.checkpoints,
      checkpointsThrottled: c.stats.checkpointsThrottled,
      scansThrottled: c.stats.scansThrottled,
      perWorkerAtEnd: c.leasesPerWorker(),
      aliveWorkersAtEnd: c.aliveWorkers(),
    },
    processor: c instanceof StreamProcessor ? processorResult(c) : null,
    leaseTable: t && {
      capacity: t.provisioned ? "provisioned" : "onDemand",
      provisioned: t.provisioned,
      onDemand: t.onDemand,
      writeUnits: t.writeUnits,
      readUnits: t.readUnits,
      writeRequests: t.writeRequests,
      readRequests: t.readRequests,
      throttledWrites: t.throttledWrites,
      throttledReads: t.throttledReads,
      series: {
        writeUnitsPerSecond: perSecond(t.consumed.row(0)),
        readUnitsPerSecond: perSecond(t.consumed.row(1)),
        throttledWrites: Array.from(t.throttled.row(0)),
        throttledReads: Array.from(t.throttled.row(1)),
      },
    },
  };
}

/** A stream processor's engine, connector and reader, its shards per subtask, checkpoints and failed rounds of GetRecords retries. */
function processorResult(c: StreamProcessor): NonNullable<ConsumerResult["processor"]> {
  const spec = c.spec;
  return {
    engine: spec.kind,
    ...(spec.kind === "flink" ? { connector: spec.connector, reader: spec.reader } : { reader: "polling" as const }),
    shardsPerWorker: c.leasesPerWorker(),
    checkpoints: c.stats.checkpoints,
    retriesExhausted: c.stats.retriesExhausted,
    ...(spec.kind === "spark" ? { microBatches: c.microBatches } : {}),
  };
}
