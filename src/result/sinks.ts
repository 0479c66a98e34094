// A consumer's sink: its accounting (checked), its writes and throttling, and how much of its capacity and of the
// record processors' time it took.

import { sum } from "d3-array";
import type { Sink } from "../model/sinks/sink.js";
import { SINK_ROW } from "../model/sinks/sink.js";
import { writeUnitsPerItem } from "../model/sinks/emitters.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import { LatencyHistogram } from "../metrics/latency.js";
import { AccountingError } from "./accounting.js";
import { burstCreditDrawn } from "./burstCredit.js";
import type { RunResult, SinkResult } from "./runResult.js";

/** The sink a consumer emits to, if it has one. */
export function sinkOf(r: Pick<RunResult, "sinks">, consumer: string): SinkResult | undefined {
  return r.sinks.find((x) => x.consumer === consumer);
}

/**
 * Whether a Lambda function writes to the sink (in its invocations, with its own tries of a write), not a KCL
 * application through the Connector's buffer and emitter.
 */
export function writtenByFunction(r: Pick<RunResult, "consumers">, sk: Pick<SinkResult, "consumer">): boolean {
  return r.consumers.some((c) => c.name === sk.consumer && c.lambda !== undefined);
}

/** `processors`: the record processors (lanes) the sink serves, for the wait share: a KCL application's shards at the start. */
export function sinkResult(sink: Sink, processors: number, warmup: number, duration: number, resolution: number): SinkResult {
  const st = sink.stats;
  const { buffered, writing } = sink.inside();
  const lost = { retriesExhausted: st.lostRetriesExhausted, gaveUp: st.gaveUp, expired: st.expired };
  const balanced = st.offered === st.written + buffered + writing + lost.retriesExhausted + lost.gaveUp + lost.expired + st.interrupted;
  if (!balanced) {
    throw new AccountingError(
      `sink of ${sink.name}: offered ${st.offered} ≠ written ${st.written} + buffered ${buffered} + being written ${writing} + lost ${lost.retriesExhausted + lost.gaveUp + lost.expired} + interrupted ${st.interrupted}`,
    );
  }
  const spec = sink.spec;
  const stepSeconds = resolution / MICROS_PER_SECOND;
  const statSeconds = (duration - warmup) / MICROS_PER_SECOND;
  const t = sink.table;
  // A Redshift cluster and an OpenSearch domain serve one write at a time (a COPY, a bulk request): their capacity is
  // 1 s of that a second, and what they used the time they were busy with one (an OpenSearch bulk request: its request
  // latency plus its bytes at the domain's throughput, not its bytes alone, which read 0% beside a domain busy all the
  // time with requests mostly latency).
  const capacityPerSecond = spec.kind === "dynamodb" ? (t!.provisioned ? t!.provisioned.write : t!.onDemand!.initial.write) : spec.kind === "s3" ? null : 1;
  // What the capacity's unit counts per step: write units (the table's own series); COPY or bulk-request seconds.
  const usedRow = t ? t.consumed.row(0) : sink.series.row(SINK_ROW.used);
  const usedPerStep = (i: number) => (t ? usedRow[i]! : usedRow[i]! / MICROS_PER_SECOND);
  const utilisation = capacityPerSecond === null ? null : Array.from(usedRow, (_, i) => usedPerStep(i) / stepSeconds / capacityPerSecond);
  const from = Math.floor(warmup / resolution);
  let usedAfter = 0;
  if (t) usedAfter = t.writeUnits;
  else for (let i = from; i < usedRow.length; i++) usedAfter += usedPerStep(i);
  const wait = sink.series.row(SINK_ROW.waitUs);
  const credit = t?.writeCredit() ?? null;
  const burstCredit = credit && t!.provisioned && t!.writeCreditCapacity !== null ? burstCreditDrawn(credit, t!.writeCreditCapacity, t!.provisioned.write, warmup, duration, resolution) : null;
  return {
    consumer: sink.name,
    kind: spec.kind,
    // A Lambda function's sink has neither: the scenario refuses them (src/spec/sinks.ts), and the report shows none.
    buffer: spec.buffer ? { records: spec.buffer.records, bytes: spec.buffer.bytes, ageUs: spec.buffer.age ?? null } : null,
    retry: { limit: spec.retry.limit, backoffUs: spec.retry.backoff },
    checkpoint: spec.checkpoint ?? null,
    accounting: { offered: st.offered, written: st.written, buffered, writing, lost, interrupted: st.interrupted, balanced },
    flushes: { ...st.flushes },
    retries: st.retries,
    processors,
    afterWarmup: {
      offered: st.offeredAfterWarmup,
      written: st.writtenAfterWarmup,
      writtenBytes: st.writtenBytesAfterWarmup,
      flushes: st.flushesAfterWarmup,
      requests: st.requests,
      throttledRequests: st.throttledRequests,
      throttledItems: st.throttledItems,
      objects: st.objects,
      objectBytes: st.objectBytes,
      copies: st.copies,
      failedAttempts: st.failedAttempts,
      lost: { retriesExhausted: st.lostRetriesExhaustedAfterWarmup, gaveUp: st.gaveUpAfterWarmup, expired: st.expiredAfterWarmup },
      cut: { writes: st.cutWrites, beforeRetry: st.cutBeforeRetry, beforeRetryRequests: st.cutBeforeRetryRequests },
      waitShare: statSeconds > 0 ? st.waitUs / (processors * (duration - warmup)) : 0,
      utilisation: capacityPerSecond === null || statSeconds <= 0 ? null : usedAfter / statSeconds / capacityPerSecond,
    },
    capacityPerSecond,
    domainThroughput: spec.kind === "opensearch" ? spec.throughput : null,
    table: t
      ? {
          capacity: t.provisioned ? "provisioned" : "onDemand",
          provisioned: t.provisioned,
          onDemand: t.onDemand,
          writeUnits: t.writeUnits,
          writeRequests: t.writeRequests,
          throttledWrites: t.throttledWrites,
          unitsPerItem: st.writtenAfterWarmup > 0 ? writeUnitsPerItem(st.writtenBytesAfterWarmup / st.writtenAfterWarmup) : 0,
          burstCredit,
        }
      : null,
    latency: sink.latency.summary(),
    censoredAtEnd: sink.censoredAtEnd.count,
    latencyWithCensored: withCensored(sink),
    series: {
      written: Array.from(sink.series.row(SINK_ROW.written)),
      throttledItems: Array.from(sink.series.row(SINK_ROW.throttledItems)),
      waitShare: Array.from(wait, (us) => us / (processors * resolution)),
      utilisation,
    },
  };
}

/** A sink's written records' latency and its censored ones' ages at the end, together (made while the run's histograms are alive). */
function withCensored(sink: Sink): SinkResult["latencyWithCensored"] {
  const both = new LatencyHistogram(sink.latency.from);
  both.add(sink.latency);
  both.add(sink.censoredAtEnd);
  return both.summary();
}

/** Records a sink lost (past the retries, given up or expired at the destination). */
export function sinkLost(s: SinkResult): number {
  return sum(Object.values(s.accounting.lost));
}
