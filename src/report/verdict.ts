// The verdict in words: the judgement of src/result (SLOs, binding limit, bottlenecks) with the descriptions
// and sentences a reviewer reads. report.json, report.md and the command line's summary all take it from here.

import { sum } from "d3-array";
import { KPL_MAX_CONNECTIONS_MAX, LAMBDA_ESM_BATCH_SIZE_MAX, LAMBDA_ESM_PARALLELIZATION_MAX, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND, FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD, FIREHOSE_LAMBDA_MAX_DURATION_S, LAMBDA_SYNC_PAYLOAD_MAX_BYTES, ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND, ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND } from "../aws/limits.js";
import { andList, clock, decimals, formatBytes, formatDuration, formatRate, formatSloValue, formatUsd, pct, thousands } from "./format.js";
import {
  censoredSets,
  crashesAndRestarts,
  hintsWait,
  deliveryStreamFaults,
  judge,
  sinkWritesBind,
  pollRoundUs,
  sinkWrittenP99,
  type ConsumerVerdict as ConsumerJudgement,
  type FirehoseBottleneck,
  type FirehoseVerdict as FirehoseJudgement,
  type LatencyStage,
  type ProcessorShares,
  type PutScope,
  type SloCause,
  type SloVerdict as SloJudgement,
  type Verdict as Judgement,
  transformBusyShare,
  TRANSFORM_SATURATED,
  SINK_WAIT_NOTED,
  noDataKind,
  type NoDataKind,
} from "../result/judge.js";
import type { ConsumerResult, CostHint, FaultResult, FirehoseResult, LambdaTimeout, PeakSecond, PriceTableUsed, RunResult, SinkResult, TransformFailureCounts } from "../result/runResult.js";
import { MAX_SHARDS_PER_STREAM, needsShardLimitIncrease } from "../result/shardLimit.js";
import { BURST_SPLIT_SHARE, proposalHot, splitForBursts, splitHelps, type LoadShare, type SplitProposal } from "../result/splitProposal.js";
import type { AddShards } from "../result/writeRemedy.js";
import type { BurstCredit } from "../result/burstCredit.js";
import type { WriteBurstDraw } from "../result/writeBurst.js";
import { REMEDY_HEADROOM, type LambdaRemedy, type SloNeed } from "../result/lambdaRemedy.js";
import type { OnDemandShortfall } from "../result/onDemandShortfall.js";
import type { ScalingReaction } from "../result/scalingReaction.js";
import { SETTLE_HOLD_US, type ScheduledChange, type WarmupAdvice } from "../result/warmup.js";
import type { ConnectionWait } from "../result/connectionWait.js";
import { growsAtEnd, soFarOf } from "../result/metSoFar.js";
import { sinkOf, writtenByFunction } from "../result/sinks.js";
import { fansOut, streamsOf } from "../spec/topology.js";
import { neverCheckpoints, type KclAppSpec } from "../spec/consumers.js";
import type { ReshardSpec } from "../spec/index.js";
import type { SloJson } from "./reportTypes.js";

export { flushEvery, sinkWrittenP99, writesToStream, type ConsumerBottleneck } from "../result/judge.js";

/** An SLO's verdict with its words (report.json carries it with the cause in milliseconds: SloJson). */
export type SloVerdict = SloJudgement & Pick<SloJson, "description" | "why">;
export type ConsumerVerdict = ConsumerJudgement & { /** One sentence for the report. */ explanation: string };
export type FirehoseVerdict = FirehoseJudgement & { /** One sentence for the report. */ explanation: string };
export type Verdict = Omit<Judgement, "slos" | "consumers" | "firehose"> & { slos: SloVerdict[]; consumers: ConsumerVerdict[]; firehose: FirehoseVerdict[] };

/** What each SLO measures, as the verdict and the SLO table say it. */
const SLO_DESCRIPTIONS: Record<string, string> = {
  recordsLostPercent: "offered records lost",
  putLatencyP50: "put latency p50",
  putLatencyP99: "put latency p99",
  putLatencyP999: "put latency p99.9",
  endToEndP50: "end-to-end latency p50 (worst consumer)",
  endToEndP99: "end-to-end latency p99 (worst consumer)",
  maxIteratorAge: "iterator age, max (worst consumer)",
  maxOldestUnprocessedAge: "oldest unprocessed record, max age (worst consumer)",
  // What lostPercent counts (ConsumerVerdict): not the records still waiting at the end (a shard blocked behind a batch
  // retried without end holds them), nor those its sink lost (recordsLostPercent counts those). helper-57's 5.
  consumerLostPercent: "records a consumer lost unprocessed: expired, skipped or discarded (worst consumer)",
  deliveryP99: "delivery latency p99 (worst delivery stream)",
  dataFreshness: "max DataFreshness (worst delivery stream)",
  firehoseNotDeliveredPercent: "records a delivery stream did not deliver (worst delivery stream)",
};
const PUT_SCOPE: Record<PutScope, string> = {
  stream: "put attempts throttled",
  "direct-put": "put attempts throttled (Direct PUT)",
  "stream and direct-put": "put attempts throttled (stream and Direct PUT)",
};

export function sloDescription(s: SloJudgement, putScope: PutScope): string {
  return s.name === "writeThrottledPercent" ? PUT_SCOPE[putScope] : SLO_DESCRIPTIONS[s.name]!;
}

/** The judgement of a run with its words. */
export function verdictOf(r: RunResult, v: Judgement = judge(r)): Verdict {
  return {
    ...v,
    slos: v.slos.map((s) => {
      const silent = s.noData ? r.consumers.find((c) => c.name === s.of) : undefined;
      const why = silent
        ? noDataKind(r, s) === "processed"
          ? noLatencyWords(silent)
          : noIteratorAgeWords(silent)
        : s.cause
          ? sloWhy(r, v, s, s.cause)
          : undefined;
      const { name, ...rest } = s;
      return { name, description: sloDescription(s, v.putScope), ...rest, ...(why ? { why } : {}) };
    }),
    consumers: v.consumers.map((cv, i) => ({ ...cv, explanation: consumerExplanation(r, r.consumers[i]!, cv, v.warmup) })),
    firehose: v.firehose.map((fv, i) => ({ ...fv, explanation: firehoseExplanation(r, r.firehose[i]!, fv) })),
  };
}

/**
 * Why a consumer's iterator-age SLO has no data: a polling consumer made no GetRecords call after warmup; a Lambda
 * consumer invoked its function with no records after warmup (Lambda publishes IteratorAge for each batch of records,
 * "the age of the last record in the event": https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html).
 */
function noIteratorAgeWords(c: ConsumerResult): string {
  const oldest = `its oldest unprocessed record reached ${formatDuration(c.maxOldestUnprocessedAge, "rough")}`;
  const fn = c.lambda;
  if (!fn) return `no data: consumer ${c.name} made no GetRecords call after warmup, so there is no iterator age to judge (CloudWatch publishes none while it does not call); ${oldest}`;
  const n = fn.invocations;
  const invoked = n === 0 ? "made no invocation after warmup" : `invoked its function ${thousands(n)} ${n === 1 ? "time" : "times"} after warmup, none with records`;
  const finals = fn.blockedOnFinalInvocation;
  const held =
    finals.length === 0
      ? ""
      : `; ${finals.length === 1 ? `${finals[0]} was` : `${finals.join(", ")} were`} held behind ${finals.length === 1 ? "its tumbling window's final invocation" : "their tumbling windows' final invocations"}, which ${finals.length === 1 ? "has" : "have"} no records and ${finals.length === 1 ? "is" : "are"} retried until ${finals.length === 1 ? "it succeeds" : "they succeed"}`;
  return `no data: Lambda consumer ${c.name} ${invoked}, so there is no iterator age to judge (Lambda publishes IteratorAge once for each batch of records, the age of its last record)${held}; ${oldest}`;
}

/**
 * Why a consumer's end-to-end SLO has no data: it processed no record after warmup, though records arrived for it
 * (judge: the records still inside at the end alone are no evidence of a pass). What became of those records.
 */
function noLatencyWords(c: ConsumerResult): string {
  const lw = c.lostAfterWarmup;
  const parts = byReason([
    [lw.discarded, `discarded${c.lambda && allTimedOut(c.lambda) ? " after timing out" : ""}${c.lambda?.onFailure ? "" : " (lost)"}`],
    [lw.expiredUnread, "expired unread (lost)"],
    [lw.skipped, "skipped (lost)"],
    [lw.skippedByAge, "skipped for their age (lost)"],
    [c.censoredAtEnd, `still inside at the end${c.censoredAtEnd > 0 ? ` (up to ${formatDuration(c.endToEnd.max, "rough")} old)` : ""}`],
  ]);
  return `no data: consumer ${c.name} processed no record after warmup, so there is no end-to-end latency to judge; of the ${thousands(lw.accepted)} records that arrived after warmup${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
}

/** What a "no data" SLO lacked, in a few words (the SLO table's cell). */
const NO_DATA_CELL: Record<NoDataKind, string> = {
  getRecords: "no data (no GetRecords call after warmup)",
  iteratorAge: "no data (no IteratorAge after warmup)",
  processed: "no data (no record processed after warmup)",
};

export function noDataCell(r: RunResult, s: { name: string; of?: string }): string {
  return NO_DATA_CELL[noDataKind(r, s)];
}

/** The SLO table's note on its "no data" SLOs: why each had none. */
export function noDataNote(r: RunResult, slos: readonly { name: string; of?: string; noData?: true }[]): string {
  const reasons = new Set(slos.filter((s) => s.noData).map((s) => NO_DATA_NOTE[noDataKind(r, s)]));
  return reasons.size === 0 ? "" : ` No data: ${[...reasons].join("; ")}. Not a pass.`;
}

const NO_DATA_NOTE: Record<NoDataKind, string> = {
  getRecords: "a consumer that made no GetRecords call after warmup has no iterator age in CloudWatch",
  iteratorAge: "a Lambda function invoked with no records after warmup published no IteratorAge",
  processed: "a consumer that processed no record after warmup has no end-to-end latency",
};

/** The stages of a latency, as the "why" of a missed SLO names them. */
const STAGE_WORDS: Record<LatencyStage, string> = {
  beforeStream: "before the stream: the producers' buffering and put retries",
  readWait: "in the shard, waiting to be read",
  processing: "in the record processor: waiting for a worker slot, processing, writing on",
  beforeFirehose: "before the delivery stream: producers, and the source stream's reads",
  transform: "in the Lambda transformation",
  buffer: "in the delivery stream's buffer, waiting for a buffering hint",
  bufferRaised: "in the delivery stream's buffer past its size hint, raised while delivery fell behind",
  bufferHeld: "in the delivery stream's buffer with a flush due, held back while the destination was busy",
  destination: "at the destination: being written, retried, or staged for COPY",
};

/** The time before the stream when a KPL producer's requests waited for a connection (MaxConnections): those waits too. */
const BEFORE_STREAM_WITH_WAITS = "before the stream: the producers' buffering, put retries and waits for a connection (KPL MaxConnections)";

/** A Lambda consumer's time from a record's read to its batch's success: it has no record processor (helper-43). */
const LAMBDA_PROCESSING_WORDS = "after it was read: the batching window, waiting for its shard's lane, the invocations and their retries";

const TAIL = { p50: "slowest half", p99: "slowest 1%", p999: "slowest 0.1%" } as const;

/** Counts of records by reason in words ("11,400 discarded …"), largest first, those of 0 left out. */
function byReason(counts: readonly (readonly [number, string])[]): string[] {
  return counts
    .filter(([n]) => n > 0)
    .sort((a, b) => b[0] - a[0])
    .map(([n, words]) => `${thousands(n)} ${words}`);
}

/** A rate in requests a second: whole from 100 up, else to a tenth ("2", "9.4"). */
function requestRate(x: number): string {
  return x >= 100 ? thousands(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/**
 * A put latency pushed over its target by the records' wait for a connection (KPL MaxConnections): the wait and the
 * round trip from send, what the group's connections start against what it made, and the remedies that hold.
 */
function connectionWaitWords(r: RunResult, w: ConnectionWait, p: string, roundTripUs: number): string {
  const head =
    `requests waited for a connection: the records' first attempts took ${p} ${formatDuration(roundTripUs)} from their requests' making (the KPL's Request Time), ` +
    `from send to response alone ${p} ${formatDuration(w.sentRoundTripUs)}, within the target, and waiting for a connection ${p} ${formatDuration(w.waitUs)}; `;
  return `${head}${connectionLimitWords(r, w, "Remedies")}`;
}

/**
 * What a KPL group's connections start against the PutRecords it made, why, and what would start them: `label` leads
 * the remedies ("Remedies", or what they end when more than the wait set the latency).
 */
function connectionLimitWords(r: RunResult, w: ConnectionWait, label: string): string {
  const processes = `${thousands(w.processes)} process${w.processes === 1 ? "" : "es"}`;
  const spec = r.scenario.producers.find((x) => x.name === w.producer);
  const kpl = spec?.client === "kpl" ? spec.kpl : undefined;
  const head =
    `producer ${w.producer}'s records waited ${formatDuration(w.waitMeanUs, "rough")} on average, and ${pct(w.waitedPercent, 1)} of its PutRecords waited. ` +
    `Its ${processes} × MaxConnections ${thousands(w.maxConnections)} ÷ a mean round trip of ${formatDuration(w.meanRoundTripUs, "rough")} start at most ${requestRate(w.startsPerSecond)} PutRecords a second, ` +
    `against the ${thousands(w.busiestSecond)} it made in its busiest second (${requestRate(w.requestsPerSecond)} a second on average after warmup)` +
    // A burst within a second: its busiest second within the starts, one window's requests more than a window starts.
    (w.busiestSecond <= w.startsPerSecond * (1 + 1e-9) && w.busiestWindow > w.windowStarts * (1 + 1e-9)
      ? `, and ${thousands(w.busiestWindow)} in one ${formatDuration(w.windowUs, "rough")} window, against the ${requestRate(w.windowStarts)} they start in a window`
      : "");
  const m = w.remedies.maxConnections;
  const more =
    m <= KPL_MAX_CONNECTIONS_MAX
      ? `raise MaxConnections to ${thousands(m)} or more (the KPL takes up to ${KPL_MAX_CONNECTIONS_MAX})`
      : `MaxConnections would need ${thousands(m)}, past the KPL's ${KPL_MAX_CONNECTIONS_MAX} (which start ${requestRate((w.processes * KPL_MAX_CONNECTIONS_MAX * 1e6) / w.meanRoundTripUs)} a second)`;
  // Fewer requests: the processes' deadlines (a longer RecordMaxBufferedTime) and the full requests its records fill
  // (fewer, fuller ones); either over the starts keeps requests waiting whatever the other.
  const limit = kpl ? (w.filledBySize ? `of CollectionMaxSize ${formatBytes(kpl.collectionMaxSize)}` : `of CollectionMaxCount ${thousands(kpl.collectionMaxCount)} records`) : "";
  const bounds = [
    ...(w.deadlineBound ? [`its processes' deadlines alone made ${requestRate(w.deadlineRequestsPerSecond)} PutRecords in its busiest second, however few records each held`] : []),
    ...(w.fillBound ? [`its records filled ${requestRate(w.fullRequestsPerSecond)} PutRecords ${limit} in that second`] : []),
  ];
  const why = bounds.length > 0 ? `; ${bounds.join(", and ")}, more than its connections start` : "";
  const options: string[] = [more];
  if (w.remedies.recordMaxBufferedTimeUs !== undefined)
    options.push(`a RecordMaxBufferedTime above ${formatDuration(w.remedies.recordMaxBufferedTimeUs, "rough")} (the mean round trip ÷ MaxConnections: each process sends a PutRecords every RecordMaxBufferedTime however few records it holds; its records then buffer longer)`);
  const fewer: string[] = [];
  if (w.remedies.aggregation) fewer.push("turn aggregation on");
  if (w.remedies.collectionMaxCount && kpl) fewer.push(`raise CollectionMaxCount (${thousands(kpl.collectionMaxCount)}; up to 500)`);
  if (w.remedies.collectionMaxSize && kpl) fewer.push(`raise CollectionMaxSize (${formatBytes(kpl.collectionMaxSize)})`);
  if (fewer.length > 0) options.push(`fewer, fuller requests: ${fewer.length <= 1 ? fewer[0]! : `${fewer.slice(0, -1).join(", ")} or ${fewer[fewer.length - 1]!}`}`);
  if (w.remedies.processes !== undefined && w.remedies.processes > w.processes) options.push(`run ${thousands(w.remedies.processes)} processes (each brings MaxConnections more, its full requests staying as many)`);
  // Both bounds over the starts: fewer, fuller requests or a longer RecordMaxBufferedTime alone leave the other.
  const both = w.deadlineBound && w.fillBound ? "; fewer, fuller requests or a longer RecordMaxBufferedTime alone would not end the wait" : "";
  return `${head}${why}. ${label}: ${options.length <= 1 ? options[0]! : `${options.slice(0, -1).join("; ")}; or ${options[options.length - 1]!}`}${both}`;
}

/** Why a missed SLO was missed, in one sentence (no trailing period). */
function sloWhy(r: RunResult, v: Judgement, s: SloJudgement, cause: SloCause): string {
  switch (cause.kind) {
    case "stages": {
      const total = cause.tailMeanUs;
      const share = (us: number) => (total > 0 ? Math.round((100 * us) / total) : 0);
      const lambda = r.consumers.find((x) => x.name === s.of)?.lambda !== undefined;
      // A delivery stream reading a stream that applications write to: its records spent the time before it upstream too,
      // in the applications' streams and record processors (helper-62: 7 minutes waiting for the enricher, said to be
      // "producers, and the source stream's reads", a stream read within a second).
      const fh = r.firehose.find((x) => x.name === s.of);
      const upstream = fh ? r.writers.filter((w) => w.stream === fh.source).map((w) => w.consumer) : [];
      // A KPL producer into the consumer's stream whose requests waited for a connection: the time before the stream holds those waits.
      const into = r.consumers.find((x) => x.name === s.of)?.stream;
      const connectionWaited = r.producers.some((p) => (into === undefined || p.stream === into) && p.connections !== undefined && (p.connections.requestsWaited > 0 || p.connections.wait.max > 0 || p.connections.recordsWaitingAtEnd > 0));
      const words = (k: LatencyStage) =>
        k === "beforeStream" && connectionWaited
          ? BEFORE_STREAM_WITH_WAITS
          : lambda && k === "processing"
          ? LAMBDA_PROCESSING_WORDS
          : k === "beforeFirehose" && upstream.length > 0
            ? `before the delivery stream: producers, the application${upstream.length > 1 ? "s" : ""} writing to its source stream (${upstream.join(", ")}) and what ${upstream.length > 1 ? "they" : "it"} read, and the source stream's reads`
            : k === "bufferRaised" && fh
              ? `in the delivery stream's buffer past its ${formatBytes(fh.buffer.sizeBytes, "rough")} size hint, raised (up to ${formatBytes(fh.buffer.raisedToBytes, "rough")}) while delivery fell behind`
              : STAGE_WORDS[k];
      const parts = (Object.entries(cause.stagesUs) as [LatencyStage, number][])
        .filter(([, us]) => us > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([k, us]) => `${formatDuration(us, "rough")} (${share(us)}%) ${words(k)}`);
      let why = `the ${TAIL[cause.percentile]} of records ${s.lowerBound ? "have taken at least" : "took"} ${formatDuration(total, "rough")}${cause.inside ? " inside the delivery stream" : ""} on average — ${parts.join("; ")}`;
      const c = r.consumers.find((x) => x.name === s.of);
      const cv = v.consumers.find((x) => x.name === s.of);
      if ((cause.stage === "beforeStream" || cause.stage === "beforeFirehose") && cause.putThrottledPercent > 0) {
        // The puts its records came in by: into the consumer's stream, Direct PUT's into the delivery stream, or its source stream.
        const f = c ? undefined : r.firehose.find((x) => x.name === s.of);
        const into = c ? `stream ${c.stream}` : f ? (f.source === "direct-put" ? `delivery stream ${f.name} (Direct PUT)` : `stream ${f.source}`) : "the stream";
        why += `; ${pct(cause.putThrottledPercent, 2)} of the put attempts into ${into} were throttled`;
      }
      // Crashes and restarts of its workers that can explain the wait: the lag each added (its peak over the lag just
      // before it) is half the tail's mean time in the shard or more (60 s added does not explain a 16-minute wait).
      const waited = cause.stagesUs.readWait ?? 0;
      const crashes = crashesAndRestarts(r, s.of ?? "").filter((x) => x.effect?.kind === "lag" && x.effect.visible && x.effect.maxUs - x.effect.beforeUs >= 0.5 * waited);
      if (cause.stage === "readWait" && crashes.length > 0) {
        const from: ReprocessedFrom = { checkpoint: 0, trimHorizon: 0, latest: 0 };
        for (const x of crashes) {
          if (x.effect?.kind !== "lag") continue;
          from.checkpoint += x.effect.reprocessedFrom.checkpoint;
          from.trimHorizon += x.effect.reprocessedFrom.trimHorizon;
          from.latest += x.effect.reprocessedFrom.latest;
        }
        const again = from.checkpoint + from.trimHorizon + from.latest;
        why += `; ${crashes.map((x) => `a ${FAULT_WORDS[x.kind]} at ${clock(x.atUs)}`).join(" and ")} left shards unread until their leases were taken over`;
        if (again > 0) why += `, and ${thousands(again)} records (${reprocessedWhy(r, s.of ?? "", from)}) were processed again, late`;
        if (cv?.bottleneck === "catch-up after a fault" && !cv.fault?.outputOnly) why += `; the catch-up reads were throttled (${cv.readThrottledPercent.toFixed(1)}% of its GetRecords calls), not the steady state`;
        const o = cv?.outputCatchUp;
        if (cv?.bottleneck === "catch-up after a fault" && o)
          why += `; its puts to ${o.stream} were throttled mostly while it caught up (${pct(o.insidePercent, 1)} of its put attempts then, ${pct(o.outsidePercent, 1)} at other times)`;
      }
      // The consumer's bottleneck (a catch-up after a fault only when no crash was named above for it).
      const catchUpNamed = cv?.bottleneck === "catch-up after a fault" && cause.stage === "readWait" && crashes.length > 0;
      if ((cause.stage === "readWait" || cause.stage === "processing") && c && cv && cv.bottleneck !== "none" && !catchUpNamed) why += `; ${consumerExplanation(r, c, cv, v.warmup).replace(/\.$/, "")}`;
      const f = r.firehose.find((x) => x.name === s.of);
      const fv = v.firehose.find((x) => x.name === s.of);
      // The delivery stream's bottleneck, when it is where the slow records spent most of their time.
      if (f && fv && fv.bottleneck !== "none" && FIREHOSE_BOTTLENECK_STAGES[fv.bottleneck].includes(cause.stage)) {
        const faults = deliveryStreamFaults(r, f.name);
        why += `; the bottleneck is ${FIREHOSE_BOTTLENECK[fv.bottleneck](f, r)}`;
        // Refused reads leave a record waiting in the stream, or, come in a burst, in a buffer short of its size hint.
        if (fv.bottleneck === "source reads") why += `: ${readsWaitWords(r, f, cause.stage)}`;
        if (faults.length > 0) why += ` (${faults.map((x) => `${FAULT_WORDS[x.kind]} at ${clock(x.atUs)} for ${formatDuration(x.forUs, "rough")}`).join(", ")})`;
      }
      return why;
    }
    case "consumer": {
      const i = r.consumers.findIndex((x) => x.name === s.of);
      const c = r.consumers[i]!;
      const fault = cause.fault && r.faults.find((f) => f.kind === cause.fault!.kind && f.atUs === cause.fault!.atUs && f.target === c.name);
      // A Lambda mapping's batching window set the lag: the window first, the bottleneck besides.
      if (cause.batchingWindowUs !== undefined) {
        const spec = r.scenario.consumers.find((x) => x.name === c.name);
        const size = spec?.kind === "lambda" ? ` (BatchSize ${thousands(spec.batchSize)})` : "";
        const window = `Lambda consumer ${c.name}'s batching window (MaximumBatchingWindowInSeconds ${formatDuration(cause.batchingWindowUs, "rough")}) holds each shard's records until a batch fills${size} or the window ends: its records wait about that long by design`;
        return cause.bottleneck === "none" ? window : `${window}; besides, ${consumerExplanation(r, c, v.consumers[i]!, v.warmup).replace(/\.$/, "")}`;
      }
      // A fault set the lag's peak; the steady bottleneck, if any, made it worse. A Lambda error burst's failures may be
      // what made the bottleneck "function errors" (over 1% of the invocations failed): then it is the fault, not a
      // second cause besides it (helper-43). Without the burst's, 1% or fewer failed.
      const fn = c.lambda;
      const burstOnly =
        fault?.kind === "function-errors" &&
        fault.effect?.kind === "errors" &&
        cause.bottleneck === "function errors" &&
        fn !== undefined &&
        fn.invocations > 0 &&
        100 * Math.max(0, fn.errors - fault.effect.errors) <= fn.invocations;
      if (fault && cause.peakAtUs !== undefined && burstOnly) return `its lag peaked at ${clock(cause.peakAtUs)}, after the ${faultSummary(fault, r).replace(/\.$/, "")}`;
      // Its bottleneck the catch-up after this very fault: what follows says more of it, not of something besides.
      const cf = v.consumers[i]!.fault;
      const same = cause.bottleneck === "catch-up after a fault" && fault !== undefined && cf?.kind === fault.kind && cf.atUs === fault.atUs;
      if (fault && cause.peakAtUs !== undefined && cause.bottleneck !== "none")
        return `its lag peaked at ${clock(cause.peakAtUs)}, after the ${faultSummary(fault, r).replace(/\.$/, "")}; ${same ? "" : "besides, "}${consumerExplanation(r, c, v.consumers[i]!, v.warmup).replace(/\.$/, "")}`;
      if (cause.bottleneck !== "none" || cause.peakAtUs === undefined) return consumerExplanation(r, c, v.consumers[i]!, v.warmup).replace(/\.$/, "");
      const lag = `iterator age at most ${formatDuration(c.maxIteratorAge, "rough")}; no record waited more than ${formatDuration(c.maxOldestUnprocessedAge, "rough")} unprocessed`;
      if (fault) return `its lag peaked at ${clock(cause.peakAtUs)}, after the ${faultSummary(fault, r).replace(/\.$/, "")}; consumer ${c.name} has no steady bottleneck (${lag})`;
      return `consumer ${c.name} has no steady bottleneck (none of the report's causes applies, and it does not fall further behind) and no fault of its own was under way then: its lag peaked at ${clock(cause.peakAtUs)} (${lag})`;
    }
    case "puts": {
      // roundTripUs is the percentile of each record's first attempt's round trip: put latency had none been throttled.
      const p = s.name === "putLatencyP50" ? "p50" : s.name === "putLatencyP999" ? "p99.9" : "p99";
      const roundTrip = `the records' first attempts alone took ${p} ${formatDuration(cause.roundTripUs)} (their put latency had none been throttled)`;
      const retried = cause.retriedRecords > 0;
      const throttled = `${pct(cause.throttledPercent, 2)} of the producers' put attempts were throttled${retried ? " and retried" : ", none retried (lost)"}`;
      const w = cause.connections;
      // The slowest records' put latency, made of retries and waits for a connection: how much of each.
      const tail = s.name === "putLatencyP50" ? TAIL.p50 : s.name === "putLatencyP999" ? TAIL.p999 : TAIL.p99;
      const q = cause.parts;
      const parts = q
        ? `the ${tail} of records took ${formatDuration(q.meanUs, "rough")} on average: ${formatDuration(q.firstAttemptUs, "rough")} their first attempts from send to response, ` +
          `${formatDuration(q.retriesUs, "rough")} their retries (backoffs and the retries' round trips) and ${formatDuration(q.waitsUs, "rough")} waiting for a connection (first attempts and retries: KPL MaxConnections)`
        : "";
      if (cause.setBy === "retries and connections" && w && q)
        return `${throttled}, and requests waited for a connection: ${parts}; ${connectionLimitWords(r, w, "Against the waits")}`;
      // The wait for a connection pushed it over: the round trip from send alone is within the target.
      if (cause.setBy === "connections" && w) return `${connectionWaitWords(r, w, p, cause.roundTripUs)}${cause.throttledPercent > 0 ? `; besides, ${throttled}${q ? `: ${parts}` : ""}` : ""}`;
      // The round trip from send alone misses it; a wait for a connection, if any, is said beside it.
      const waited =
        w && w.waitUs > 0
          ? ` (from send to response alone ${p} ${formatDuration(w.sentRoundTripUs)}, besides waiting for a connection ${p} ${formatDuration(w.waitUs)}: KPL MaxConnections, ${w.producer}'s ${thousands(w.processes)} process${w.processes === 1 ? "" : "es"} × ${thousands(w.maxConnections)})`
          : "";
      if (cause.throttledPercent <= 0) return `no put attempt was throttled: it is the requests' own round trip${waited}`;
      if (cause.setBy === "retries") return `${throttled}${retried ? " after a backoff" : ""}: ${roundTrip}${cause.roundTripUs <= s.target * 1000 ? ", within the target" : ""}${q ? `; ${parts}` : ""}`;
      // The retries take it further (more than a tenth), barely move it, or bring it down (the records lost after being
      // throttled count at their round trip, and were slow ones).
      const actualUs = s.actual * 1000;
      const effect =
        actualUs > 1.1 * cause.roundTripUs ? `, which takes it to ${formatDuration(actualUs)}` : actualUs * 1.1 >= cause.roundTripUs ? ", which barely moves it" : ` (${formatDuration(actualUs)} with them)`;
      return `it is the requests' own round trip: ${roundTrip}${waited}, over the target; ${throttled}${effect}`;
    }
    case "writes": {
      const parts: string[] = [];
      if (cause.streamThrottledAttempts > 0) {
        const shards = `${cause.shardsThrottled} shard${cause.shardsThrottled === 1 ? "" : "s"} throttled${cause.hottestShard ? `; hottest: ${cause.hottestShard}` : ""}`;
        const n = thousands(cause.streamThrottledAttempts);
        parts.push(
          r.streams.length > 1
            ? `Kinesis streams throttled ${n} put attempts, stream ${cause.stream} the most, mainly by its ${cause.limit} limit (${shards})`
            : `stream ${cause.stream} throttled ${n} put attempts, mainly by its ${cause.limit} limit (${shards})`,
        );
      }
      if (cause.directPutThrottledAttempts > 0) {
        const names = cause.directPutStreams;
        parts.push(`the Direct PUT quotas of delivery stream${names.length === 1 ? "" : "s"} ${names.join(", ")} throttled ${thousands(cause.directPutThrottledAttempts)} put attempts`);
      }
      // An on-demand stream short of shards until the service's split completed: why, and what would have taken it.
      // A policy's scale-ups that came too late: the reaction time, not a capacity it could not reach.
      return parts.join("; ") + (cause.onDemand ? `. ${onDemandShortfallWords(cause.stream, cause.onDemand)}` : "") + (cause.scaling ? `. ${scalingReactionWords(r, cause.scaling)}` : "");
    }
    case "lost":
      // After warmup, as the SLO's share counts them (said, so a warmup's losses are not read as the steady state's).
      return `after warmup, ${Object.entries(cause.reasons)
        .map(([k, n]) => `${thousands(n)} ${LOST_REASONS[k] ?? k}`)
        .join(", ")}`;
    case "consumerLost": {
      const d = cause.reasons;
      const i = r.consumers.findIndex((x) => x.name === s.of);
      // A Lambda function whose every failed invocation after warmup timed out: the records that arrived then were
      // discarded after timing out (helper-80: "discarded after failing" named no cause).
      const fn = r.consumers[i]?.lambda;
      const timedOut = fn !== undefined && allTimedOut(fn);
      // Largest first. Records that aged out (expired unread, skipped for their age) did so behind the consumer's
      // bottleneck; those discarded after failing or skipped at a lease change were lost to failures and lease changes
      // (a slow consumer can leave more of them unprocessed at a lease change: the bottleneck is named besides).
      const parts = byReason([
        [d.discarded, `discarded after ${timedOut ? "timing out" : "failing"} (no on-failure destination)`],
        [d.skippedByAge, "skipped for being older than the maximum record age (no on-failure destination)"],
        [d.skipped, "skipped at a lease change"],
        [d.expiredUnread, "expired in the stream unread"],
      ]);
      // Of the records that arrived after warmup, as the SLO's share counts them (given up at any time until the end).
      const lost = `records that arrived after warmup went unprocessed: ${parts.join("; ")}`;
      if (cause.bottleneck === "none") return `it has no steady bottleneck, but ${lost}`;
      const held = consumerExplanation(r, r.consumers[i]!, v.consumers[i]!, v.warmup).replace(/\.$/, "");
      const aged = d.expiredUnread + d.skippedByAge;
      if (aged > 0) return `${lost}; those that aged out did behind its bottleneck: ${held}`;
      return `${lost}; besides, it is held back by ${cause.bottleneck}${cause.bottleneck === "function errors" && timedOut ? ", its invocations timing out" : ""}`;
    }
    case "delivery": {
      // After warmup, as the share counts them (a warmup's failures are not the steady state's: helper-43), largest first;
      // with what held the stream back, when anything did.
      const d = cause.reasons;
      const parts = byReason([
        [d.overdueAtEnd, `still inside at the end and overdue (${OVERDUE})`],
        [d.processingFailed, `failed by the transformation${transformCauses(r.firehose.find((x) => x.name === s.of))}`],
        [d.gaveUp, "given up by the destination"],
        [d.expired, "expired"],
      ]);
      if (parts.length === 0) return "no record was counted as not delivered";
      const f = r.firehose.find((x) => x.name === s.of);
      // The faults of the delivery stream (an outage, Lambda errors) under way after warmup: where its records were lost, as a rule.
      const faults = deliveryStreamFaults(r, s.of ?? "").filter((x) => x.atUs + x.forUs > r.warmupUs);
      const during = faults.length > 0 ? `; faults: ${faults.map((x) => `${FAULT_WORDS[x.kind]} at ${clock(x.atUs)} for ${formatDuration(x.forUs, "rough")}`).join(", ")}` : "";
      const held = f && cause.bottleneck !== "none" ? `; the bottleneck is ${FIREHOSE_BOTTLENECK[cause.bottleneck](f, r)}` : "";
      return `after warmup, ${parts.join("; ")}${during}${held}`;
    }
  }
}

/**
 * The price table a bill used, for "at the prices of …": its id and date, where its sources are, and each item the
 * scenario overrode with the table's amount.
 */
export function priceTableText(t: PriceTableUsed): string {
  const amount = (item: string, x: number) => (item === "advantageCommitmentMiBps" ? `${+x.toPrecision(6)} MiB/s` : `$${+x.toPrecision(6)}`);
  const base = `price table ${t.id} (compiled ${t.compiled}; each amount's source, and which are unconfirmed, in docs/limits.md)`;
  if (t.overridden.length === 0) return base;
  return `${base}, with the scenario's overrides: ${t.overridden.map((o) => `${o.item} ${amount(o.item, o.usd)} (table: ${amount(o.item, o.tableUsd)})`).join(", ")}`;
}

/** A cost hint in one sentence: what the bill's cause is, and what changing it would save a month. */
export function costHintSentence(h: CostHint): string {
  const usd = (x: number) => formatUsd(x);
  if (h.kind === "firehose-rounding") {
    const how =
      h.source === "stream"
        ? "batching several events into one record before they are put to the source stream (KPL aggregation does not do it: Firehose de-aggregates KPL records, and this model bills each user record it delivers)"
        : "putting several events into one record (newline-delimited, up to 1,000 KiB) instead of one record each";
    return `Firehose ${h.firehose} bills ingestion in 5 KB increments per record, and its records average ${formatBytes(h.meanRecordBytes)}: ${usd(h.usd)} a month pays for ${h.billedPerDataByte.toFixed(1)} × the data. ${how[0]!.toUpperCase()}${how.slice(1)} would bring it close to the data: about ${usd(h.savingUsd)} a month less (an estimate: records of 5 KB or more billed at their size).`;
  }
  if (h.kind === "on-demand-rounding") {
    const mode = h.mode === "on-demand" ? "On-demand Standard" : "On-demand Advantage";
    const commitment = h.mode === "on-demand-advantage" ? ". The saving counts the account's minimum-throughput commitment, which bills at least its floor whatever the records" : "";
    return `Stream ${h.stream} is ${mode}, which bills data in per record rounded up to 1 KiB, and its records average ${formatBytes(h.meanRecordBytes)}: ${usd(h.usd)} a month pays for ${h.billedPerDataByte.toFixed(2)} × the data it stores. Aggregating the records of ${h.producers.join(", ")} with the KPL (AggregationEnabled) would save about ${usd(h.savingUsd)} a month (an estimate: an instance's aggregate for a shard takes the records it sends that shard within RecordMaxBufferedTime, 100 ms, of the first, up to AggregationMaxSize, 51,200 B, billed in whole KiB; several events per record can save more)${commitment}.`;
  }
  return `Kinesis bills each record in 25 KB PUT payload units, and ${h.producers.join(", ")} put records of ${formatBytes(h.meanRecordBytes)} on average, ${h.unitsPerRecord.toFixed(2)} unit each: ${usd(h.usd)} a month. The KPL's aggregation would save about ${usd(h.savingUsd)} a month (an estimate: an instance's aggregate for a shard takes the records it sends that shard within RecordMaxBufferedTime, 100 ms, of the first, up to AggregationMaxSize, 51,200 B).`;
}

/** Records lost by producers and applications over the whole run, by reason: "7,585 larger than …, 12 …", or null. */
export function lostReasons(r: RunResult): string | null {
  const reasons: Record<string, number> = {};
  const add = (k: string, n: number) => {
    if (n > 0) reasons[k] = (reasons[k] ?? 0) + n;
  };
  for (const p of r.producers) for (const [k, n] of Object.entries(p.lost)) add(k, n);
  for (const w of r.writers) add("writerRetriesExhausted", w.lostRetriesExhausted);
  for (const sk of r.sinks) {
    add(writtenByFunction(r, sk) ? "functionSinkRetriesExhausted" : "sinkRetriesExhausted", sk.accounting.lost.retriesExhausted);
    add("sinkGaveUp", sk.accounting.lost.gaveUp);
    add("sinkExpired", sk.accounting.lost.expired);
  }
  const parts = Object.entries(reasons).map(([k, n]) => `${thousands(n)} ${LOST_REASONS[k] ?? k}`);
  return parts.length > 0 ? parts.join("; ") : null;
}

const LOST_REASONS: Record<string, string> = {
  throttledPastRetries: "throttled past the producers' retries",
  tooLarge: "larger than the record size limit where they were written (the stream's maxRecordSize, partition key included, or Firehose's 1,000 KiB with Direct PUT)",
  expiredKplTtl: "older than the KPL's RecordTtl",
  failedThrottled: "failed at once by the KPL (FailIfThrottled)",
  writerRetriesExhausted: "throttled past an application's retries",
  sinkRetriesExhausted: "unwritten to a consumer's sink after the emitter's tries (IEmitter.fail)",
  functionSinkRetriesExhausted: "unwritten to a Lambda consumer's sink after the function's own write tries (its handler gave those items up)",
  sinkGaveUp: "given up by a consumer's sink destination (its retry duration ran out)",
  sinkExpired: "lost by a consumer's S3 sink past its retention",
};

/**
 * A sink in one sentence: what it is, what it wrote, how busy it and the record processors were, what it lost. `c`: the
 * consumer that writes to it; a Lambda function's (`c.lambda`) has no buffer: each invocation writes its batch before
 * it returns (the mapping offers it with `flush: true`, counted as the trigger `invocation`), so its flushes are its batches.
 */
export function sinkSummary(sk: SinkResult, statSeconds: number, c?: Pick<ConsumerResult, "lambda">): string {
  const a = sk.afterWarmup;
  const flushes = sk.flushes.records + sk.flushes.bytes + sk.flushes.age + sk.flushes.end + sk.flushes.invocation;
  const trigger = (["records", "bytes", "age", "end", "invocation"] as const).reduce((x, y) => (sk.flushes[y] > sk.flushes[x] ? y : x));
  const b = sk.buffer;
  const triggerWords = {
    records: b ? `its ${thousands(b.records)}-record limit` : "",
    bytes: b ? `its ${formatBytes(b.bytes)} limit` : "",
    age: `the age limit`,
    end: "a shard's end",
    invocation: "the function's invocations",
  }[trigger];
  // Records a flush held on average (whole run, as the flushes count): a whole processed batch enters the buffer before
  // its limits are checked, so a flush set off by the record limit can hold many more (helper-47: 8,400–10,000 at 1,000).
  const meanFlush = Math.round((sk.accounting.written + sk.accounting.writing + sk.accounting.lost.retriesExhausted + sk.accounting.lost.gaveUp + sk.accounting.lost.expired) / Math.max(1, flushes));
  const why = c?.lambda ? "one for each invocation's batch, which the function writes before it returns" : `most set off by ${triggerWords}`;
  const per = flushes > 0 ? ` in ${thousands(flushes)} flushes (${why}; ${thousands(meanFlush)} records a flush on average)` : "";
  const use = a.utilisation === null ? "" : `, using ${pct(100 * a.utilisation, 0)} of its capacity`;
  const credit = sk.table?.burstCredit ? ` It ran ${burstCreditWords(sk, sk.table.burstCredit)}.` : "";
  const l = sk.accounting.lost;
  const lost = l.retriesExhausted + l.gaveUp + l.expired;
  const lostText = lost > 0 ? `; ${thousands(lost)} records lost over the whole run` : "";
  const waiting = c?.lambda ? "the function's lanes" : "the record processors";
  return `Writes ${formatRate(a.written / statSeconds, "records")} to ${sinkDescription(sk)}${per}${use}${throttledWords(sk)}; ${waiting} waited ${pct(100 * a.waitShare, 0)} of their time for flushes; ${writtenP99Words(sk)}${lostText}.${credit}`;
}

/**
 * An on-demand stream throttled for its capacity (OnDemandShortfall), in words: when its traffic passed what its open
 * shards take, the service's split it came before, the busiest minute offered, and what would have taken it at once.
 */
export function onDemandShortfallWords(stream: string, o: OnDemandShortfall): string {
  const mode = o.mode === "on-demand" ? "On-demand Standard" : "On-demand Advantage";
  const capacity = `${formatRate(o.openShards * SHARD_WRITE_BYTES_PER_SECOND, "bytes")} and ${formatRate(o.openShards * SHARD_WRITE_RECORDS_PER_SECOND, "records")}`;
  const twice = o.startShards
    ? o.previousPeakBytesPerSecond !== null
      ? `, twice the previous peak it started from (${formatRate(o.previousPeakBytesPerSecond, "bytes")})`
      : ", a new stream's (no previous peak stated)"
    : "";
  const sp = o.split;
  const split = !sp
    ? ", with no split of the service's under way"
    : sp.done
      ? `, while the service's split, decided at ${clock(sp.calledAtUs)}, was under way (it completed at ${clock(sp.doneAtUs)}: ${thousands(sp.openAfter)} open shards)`
      : `, and the service's split decided at ${clock(sp.calledAtUs)} was still under way at the end (it completes at ${clock(sp.doneAtUs)})`;
  const head = `Stream ${stream} is ${mode}: from ${clock(o.fromUs)} to ${clock(o.untilUs)} its traffic passed what its ${thousands(o.openShards)} open shards take, ${capacity}${twice}${split}. On-demand takes up to twice the previous 30 days' peak at once, and traffic above it may be throttled while the service adds shards, within about 15 minutes (Choose the data stream capacity mode)`;
  const p = o.peakOffered;
  if (!p) return head;
  const bytesBind = p.bytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND >= p.recordsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND;
  const shards = Math.ceil(Math.max(p.bytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND, p.recordsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND) - 1e-9);
  // Warm throughput opens ceil(warm ÷ 1 MiB/s) shards, each taking 1,000 records/s too: a surge bound by its records
  // needs the shards its records need (6,031 records/s of 100 B: 7 MiB/s, not the 1 MiB/s its 801 KiB/s would say).
  const warm = shards * SHARD_WRITE_BYTES_PER_SECOND;
  // A previous peak is a byte rate (stream.onDemand.previousPeak), and the service holds the shards twice it needs at
  // 1 MiB/s a shard: a surge bound by its records needs the peak that opens its shards, half of `warm` (6,031 records/s
  // of 100 B: 3.5 MiB/s, for 7 shards), not a records rate no scenario can state.
  const half = bytesBind
    ? formatRate(p.bytesPerSecond / 2, "bytes")
    : `${formatRate(warm / 2, "bytes")} (stream.onDemand.previousPeak is a byte rate: twice it opens ${thousands(shards)} shards at 1 MiB/s, each taking 1,000 records/s)`;
  const offered = `. Its writers offered up to ${formatRate(p.bytesPerSecond, "bytes")} and ${formatRate(p.recordsPerSecond, "records")} (first attempts, the minute to ${clock(p.atUs)})`;
  const remedies = [
    `a previous peak of ${half} or more (traffic that high within the 30 days before: pre-warming)`,
    `warm throughput of ${formatRate(warm, "bytes")} on On-demand Advantage, capacity ready at once${warmStated(o, warm)}`,
    `a provisioned stream of ${thousands(shards)} shards or more (at an even spread of keys)`,
  ];
  return `${head}${offered}. What would have taken it at once: ${remedies.join("; or ")}`;
}

/**
 * A stream that throttled mostly before its autoscaling policy's scale-ups completed (ScalingReaction), in words: the
 * share of the throttled time, each scale-up's timeline (throttled from, decided, done), how the policy decides, and
 * what throttles less.
 */
export function scalingReactionWords(r: RunResult, x: ScalingReaction): string {
  const secs = (s: number) => formatDuration(s * 1e6, "rough");
  const share = x.waitingSeconds >= x.throttledSeconds ? `all ${secs(x.throttledSeconds)} of it` : `${secs(x.waitingSeconds)} of the ${secs(x.throttledSeconds)}`;
  const steps = x.windows.map(
    (w) =>
      `writes throttled from ${clock(w.throttledFromUs)} (${secs(w.throttledSeconds)}), ${w.policy} decided ${w.from} → ${w.to} shards at ${clock(w.decidedAtUs)} (at ${pct(w.utilisationPct, 0)} as it computed it) and UpdateShardCount ${w.done ? "completed" : "was still under way at the end, completing"} at ${clock(w.doneAtUs)}`,
  );
  const policies = [...new Set(x.windows.map((w) => w.policy))];
  const how = policies.map((p) => policyReactionWords(r, x.stream, p)).filter((h) => h !== "");
  const last = x.windows[x.windows.length - 1]!;
  return (
    `Its autoscaling scaled up too late: of the time stream ${x.stream} throttled writes after warmup, ${share} came before a scale-up completed: ${steps.join("; then ")}` +
    `${how.length > 0 ? ` (${how.join("; ")})` : ""}. The shards it scaled to, in place before the traffic (minShards: ${last.to}), would have taken it; ` +
    `a lower threshold or fewer minutes decide sooner, but UpdateShardCount's own time stays (${secs((last.doneAtUs - last.decidedAtUs) / 1e6)} here)`
  );
}

/** How a policy decides to scale up, in a few words, from the scenario's settings ("" when it is not found). */
function policyReactionWords(r: RunResult, stream: string, policy: string): string {
  const a = r.scenario.autoscaling.find((p) => p.policy === policy && (p.stream ?? streamsOf(r.scenario)[0]?.name) === stream);
  if (!a) return "";
  const lag = `each published ${formatDuration(a.publicationLag, "rough")} after its minute`;
  if (a.policy === "scaling-utils") {
    const up = a.scaleUp;
    return up ? `${policy} scales up after ${up.scaleAfterMins} ${up.scaleAfterMins === 1 ? "minute" : "minutes"} of datapoints above ${up.scaleThresholdPct}%, ${lag}, checking every ${thousands(a.checkInterval)} s` : "";
  }
  return `${policy}'s alarm fires on ${a.scaleUpDatapointsRequired} of ${a.scaleUpEvaluationPeriod} datapoints of ${a.scalePeriodMins} min at ${pct(100 * a.scaleUpThreshold, 0)} or more, ${lag}`;
}

/** The scenario's warm throughput beside the one needed: on Standard it does nothing until the stream is Advantage. */
function warmStated(o: OnDemandShortfall, needed: number): string {
  const w = o.warmBytesPerSecond;
  if (w === null) return "";
  if (o.mode === "on-demand") return ` (the scenario's ${formatRate(w, "bytes")}${w >= needed ? " would do" : " would not"}: warm throughput applies to Advantage only)`;
  return ` (it has ${formatRate(w, "bytes")})`;
}

/** A bucket's units in words: records as a count, bytes as a size. */
function burstUnits(limit: WriteBurstDraw["limit"], units: number): string {
  return limit === "records" ? `${thousands(Math.round(units))} records` : formatBytes(units, "rough");
}

/**
 * The shards that drew on their write burst for a while (StreamVerdict.writeBurst), in words for the writes bullet:
 * with `ranOut`, those that ran out ("shardId-000000000000 took 500 records/s over its 1,000 records/s on its write
 * burst (stream.writeBurst 1 min: 60,000 records when full) from 0:03:00 until it ran out at 0:05:00, and throttled
 * from then"); otherwise those still drawing at the end, with when they run out at that pace. At most 3 named, the
 * soonest first. "" when none.
 */
export function writeBurstWords(draws: readonly WriteBurstDraw[] | undefined, limits: Limits, writeBurstSeconds: number, ranOut: boolean): string {
  const these = (draws ?? []).filter((d) => (d.ranOutAtUs !== null) === ranOut);
  if (these.length === 0) return "";
  const rate = (d: WriteBurstDraw) => (d.limit === "records" ? formatRate(limits.recordsPerSecond, "records") : formatRate(limits.bytesPerSecond, "bytes"));
  const over = (d: WriteBurstDraw) => `${d.limit === "records" ? formatRate(d.overPerSecond, "records") : formatRate(d.overPerSecond, "bytes")} over its ${rate(d)}`;
  const burst = `stream.writeBurst ${formatDuration(writeBurstSeconds * 1e6, "rough")}`;
  const more = these.length > 3 ? `; and ${thousands(these.length - 3)} more shard${these.length - 3 === 1 ? "" : "s"}` : "";
  const named = these.slice(0, 3);
  if (ranOut) {
    const one = (d: WriteBurstDraw) => `${d.shard} took ${over(d)} from ${clock(d.fromUs)} until it ran out at ${clock(d.ranOutAtUs!)} (${burstUnits(d.limit, d.fullUnits)} when full)`;
    return `Before throttling, ${named.length === 1 && these.length === 1 ? "a shard" : "shards"} kept pace only on ${these.length === 1 ? "its" : "their"} write burst (${burst}): ${named.map(one).join("; ")}${more}; throttled from then.`;
  }
  const one = (d: WriteBurstDraw) =>
    `${d.shard} has taken ${over(d)} since ${clock(d.fromUs)}, ${d.limit === "records" ? `${thousands(Math.round(d.leftAtEnd!))} of its ${burstUnits(d.limit, d.fullUnits)}` : `${burstUnits(d.limit, d.leftAtEnd!)} of its ${burstUnits(d.limit, d.fullUnits)}`} left at the end: at that pace it runs out at ${clock(d.lastsUntilUs!)}, and throttles about ${d.limit === "records" ? formatRate(d.overPerSecond, "records") : formatRate(d.overPerSecond, "bytes")} from then`;
  return `But ${these.length === 1 ? "a shard keeps" : "shards keep"} pace only on ${these.length === 1 ? "its" : "their"} write burst (${burst}), so a longer run throttles: ${named.map(one).join("; ")}${more}.`;
}

/**
 * A sink's table drawing on its burst credit at the end (SinkResult.table.burstCredit), in words: "on burst credit: it
 * took 2,000 WCU a second over its 8,000 from the credit DynamoDB keeps of unused capacity (2,400,000 units when full,
 * 5 min of it), and the credit ran out at 0:19:58; from then the table throttles about 2,000 items a second, so a longer
 * run is held back by the table".
 */
export function burstCreditWords(sk: SinkResult, b: BurstCredit): string {
  const cap = sk.capacityPerSecond ?? 0;
  const took = `on burst credit: it took ${thousands(Math.round(b.deficitPerSecond))} WCU a second over its ${thousands(cap)} from the credit DynamoDB keeps of unused capacity (${thousands(Math.round(b.fullUnits))} units when full, ${formatDuration((b.fullUnits / cap) * 1e6, "rough")} of it)`;
  const perItem = sk.table && sk.table.unitsPerItem > 0 ? sk.table.unitsPerItem : 1;
  const then = `from then the table throttles about ${thousands(Math.round(b.deficitPerSecond / perItem))} items a second, so a longer run is held back by the table`;
  if (b.ranOutAtUs !== null) return `${took}, and the credit ran out at ${clock(b.ranOutAtUs)}; ${then}`;
  return `${took}, and at that pace the ${thousands(Math.round(b.endUnits))} units left at the end run out at about ${clock(b.lastsUntilUs!)}; ${then}`;
}

/**
 * The items a sink's table throttled after warmup, split by what became of them: an item throttled on its flush's last
 * try (retry.limit) goes to IEmitter.fail() and is lost (afterWarmup.lost.retriesExhausted counts exactly those), the
 * others were tried again (or, their record processor stopped meanwhile, left to the lease's next owner). "" with none.
 */
function throttledWords(sk: SinkResult): string {
  const throttled = sk.afterWarmup.throttledItems;
  if (throttled === 0) return "";
  const noTry = Math.min(throttled, sk.afterWarmup.lost.retriesExhausted);
  const again = throttled - noTry;
  if (noTry === 0) return `; ${thousands(throttled)} items throttled and tried again`;
  if (again === 0) return `; ${thousands(throttled)} items throttled with no try left (lost)`;
  return `; ${thousands(throttled)} items throttled: ${thousands(again)} tried again, ${thousands(noTry)} with no try left (lost)`;
}

function writtenP99Words(sk: SinkResult): string {
  const p = sinkWrittenP99(sk);
  const waiting = sk.censoredAtEnd > 0 ? ` (${thousands(sk.censoredAtEnd)} still on their way at the end)` : "";
  if (!p) return `no record born after warmup was written${waiting}`;
  if (!p.atLeast) return `written p99 ${formatDuration(p.us, "rough")} after birth`;
  return `written p99 at least ${formatDuration(p.us, "rough")} after birth (${thousands(sk.censoredAtEnd)} records born after warmup not written by the end, counted at their age then)`;
}

/** A sink in words: "a DynamoDB table (provisioned 1,500 WCU, 1 WCU an item)", "Amazon S3 (an object per flush)". */
export function sinkDescription(sk: SinkResult): string {
  const t = sk.table;
  if (t) {
    const cap = t.provisioned ? `provisioned ${thousands(t.provisioned.write)} WCU` : `on-demand, ${thousands(Math.round(t.onDemand!.initial.write))} WRU/s at the start`;
    const per = t.unitsPerItem > 0 ? `, ${+t.unitsPerItem.toFixed(2)} WCU an item` : "";
    return `a DynamoDB table (${cap}${per})`;
  }
  if (sk.kind === "s3") return "Amazon S3 (an object per flush)";
  if (sk.kind === "redshift") return "Amazon Redshift (an S3 object per flush, COPY one at a time)";
  return `Amazon OpenSearch Service (a bulk request per flush, ${formatRate(sk.domainThroughput ?? 0, "bytes")})`;
}

/**
 * The latency stages each delivery-stream bottleneck shows in: Direct PUT throttling before the delivery stream; the
 * source stream's reads there too, or in the buffer (a burst of records read at last fills the size hint and leaves the
 * rest of it waiting for the next); the destination at the destination, or in the buffer behind it (a flush held back
 * while it was busy, or the size raised while delivery fell behind).
 */
const FIREHOSE_BOTTLENECK_STAGES: Record<Exclude<FirehoseBottleneck, "none">, readonly LatencyStage[]> = {
  "direct put quotas": ["beforeFirehose"],
  "source reads": ["beforeFirehose", "buffer"],
  transformation: ["transform"],
  destination: ["destination", "bufferHeld", "bufferRaised"],
};

const FIREHOSE_BOTTLENECK: Record<Exclude<FirehoseBottleneck, "none">, (f: FirehoseResult, r: RunResult) => string> = {
  "direct put quotas": () => "its Direct PUT quotas",
  "source reads": (f, r) => `its reads of ${f.source}: ${sharedReadsWords(r, f)}`,
  destination: (f) => `its destination, ${DESTINATION_NAMES[f.destination]}`,
  transformation: () => "its Lambda transformation",
};

/**
 * A delivery stream's refused reads of its source stream, and who shares them (after warmup): "336 of 360 GetRecords
 * calls (93.3%) were refused (ReadProvisionedThroughputExceeded), the shard's 5 calls/s and 2 MiB/s shared with consumers
 * a, b, c and d (every refusal while the read budget was spent)".
 */
function sharedReadsWords(r: RunResult, f: FirehoseResult): string {
  const sr = f.sourceRead!;
  const refused = `${thousands(sr.throttledCalls)} of ${thousands(sr.getRecordsCalls)} GetRecords calls (${pct(sr.getRecordsCalls > 0 ? (100 * sr.throttledCalls) / sr.getRecordsCalls : 0, 1)}) were refused (ReadProvisionedThroughputExceeded)`;
  // The others reading the stream with GetRecords: its polling consumers (not enhanced fan-out), and other delivery streams.
  const consumers = r.scenario.consumers.filter((c) => !fansOut(c) && r.consumers.find((x) => x.name === c.name)?.stream === f.source).map((c) => c.name);
  const firehoses = r.firehose.filter((x) => x !== f && x.source === f.source).map((x) => x.name);
  const others = [
    ...(consumers.length > 0 ? [`consumer${consumers.length > 1 ? "s" : ""} ${andList(consumers)}`] : []),
    ...(firehoses.length > 0 ? [`delivery stream${firehoses.length > 1 ? "s" : ""} ${andList(firehoses)}`] : []),
  ];
  const st = r.streams.find((x) => x.stream.name === f.source);
  const reads = st?.shardReads ?? [];
  const byBytes = sum(reads, (x) => x.throttledByBytes);
  const byCalls = sum(reads, (x) => x.throttledByCalls);
  const shard = st && st.stream.shardCount > 1 ? "each shard's" : "the shard's";
  if (others.length === 0) return refused;
  const why =
    byBytes + byCalls === 0
      ? ""
      : byCalls === 0
        ? " (every refusal while the read budget was spent)"
        : byBytes === 0
          ? " (every refusal over the 5 calls/s)"
          : ` (of all their refusals, ${thousands(byBytes)} while the read budget was spent, ${thousands(byCalls)} over the 5 calls/s)`;
  return `${refused}, ${shard} 5 calls/s and 2 MiB/s shared with ${andList(others)}${why}`;
}

/**
 * How refused reads made a delivery stream's records wait: in the stream for a read that got through; and where the
 * slowest records spent most in the buffer, in a buffer that the burst left short of its size hint, against what the
 * hints alone make them wait at the stream's traffic.
 */
function readsWaitWords(r: RunResult, f: FirehoseResult, stage: LatencyStage): string {
  const inStream = "records waited in the stream for a read that got through";
  if (stage !== "buffer") return inStream;
  const hints = hintsWait(r, f);
  const alone = hints === null ? "" : ` (the hints alone would make them wait about ${formatDuration(hints, "rough")} at the stream's traffic)`;
  return `${inStream}, and came in bursts that left the buffer waiting for the next to reach its size hint${alone}`;
}

/** "a", "a and b", "a, b and c". */
const DESTINATION_NAMES = { s3: "Amazon S3", redshift: "Amazon Redshift (COPY)", opensearch: "Amazon OpenSearch Service" } as const;

/**
 * When the run ended with a backlog large enough to set a reported percentile: which latencies are lower bounds
 * and why, in one sentence; null otherwise.
 */
/** How a KCL application's processing bound (processingBound) is reckoned, in its sentences. */
const BOUND_HOW = "(a batch at a time on each shard's processor, at the mean processing times)";

/**
 * Whether an SLO is met so far only: met by a figure that is a lower bound on a backlog that grows (onGrowingBacklog),
 * or met on a shard's write burst, which runs out after the end (onWriteBurst). The judgement's (soFarOf).
 */
export function metSoFar(s: Parameters<typeof soFarOf>[0]): boolean {
  return soFarOf(s) !== null;
}

/** Why a met SLO is met so far only (metSoFar), in a few words: "a lower bound on a growing backlog", how fast an age rises and when it reaches the target, or when its shard's write burst runs out. */
export function soFarWords(
  s: { onWriteBurst?: { shard: string; runsOutAtUs: number; refusedShare: number }; onGrowingBacklog?: SloVerdict["onGrowingBacklog"]; target?: number; unit?: "%" | "ms" },
  long = false,
): string {
  const b = s.onWriteBurst;
  const g = s.onGrowingBacklog;
  if (!b && g?.ageRise) {
    const who = "consumer" in g ? `consumer ${g.consumer}'s` : `delivery stream ${g.deliveryStream}'s`;
    const target = s.target !== undefined && s.unit ? ` its ${formatSloValue(s.target, s.unit)} target` : " the target";
    const pace = `${formatDuration(g.ageRise.perSecond * 60e6, "rough")} a minute`;
    if (!long) return `${who} backlog grows, its age rising ${pace}: at that pace it reaches${target} at ${clock(g.ageRise.reachesTargetAtUs)}`;
    return `met while ${who} backlog grows: its age rises ${pace} at the end, and at that pace reaches${target} at ${clock(g.ageRise.reachesTargetAtUs)}, after the end`;
  }
  if (!b) return "a lower bound on a growing backlog";
  if (!long) return `${b.shard}'s write burst runs out at ${clock(b.runsOutAtUs)} at the run's pace`;
  return `met while ${b.shard}'s write burst (stream.writeBurst) lasts: at the run's pace it runs out at ${clock(b.runsOutAtUs)}, after the end, and the shard refuses at least ${pct(100 * b.refusedShare, 0)} of its writes from then`;
}

/** SLOs met so far on a write burst (onWriteBurst), grouped by the stream and shard whose burst runs out, in order. */
export function byBurstShard<S extends { onWriteBurst?: { stream: string; shard: string } }>(slos: readonly S[]): S[][] {
  const groups = new Map<string, S[]>();
  for (const s of slos) {
    if (!s.onWriteBurst) continue;
    const key = `${s.onWriteBurst.stream}\u0000${s.onWriteBurst.shard}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()];
}

export function backlogSentence(
  r: RunResult,
  v: Parameters<typeof growsAtEnd>[0] & { slos: readonly { name: string; lowerBound?: true; of?: string }[] },
): string | null {
  const bounded = v.slos.filter((s) => s.lowerBound);
  if (bounded.length === 0) return null;
  // A backlog grows (growsAtEnd) where "a longer run would show them higher"; elsewhere the records inside at the end are
  // what its buffers, batches or a steady lag hold (helper-57: 16 s of traffic in a Redshift buffer, a Lambda's 40 s
  // batching window).
  const growing: string[] = [];
  const passing: string[] = [];
  for (const f of r.firehose) {
    if (f.atEnd.censored + f.atEnd.unread === 0 || !bounded.some((s) => s.of === f.name)) continue;
    const where = f.accounting.inside.destination >= f.accounting.inside.buffer + f.accounting.inside.transform ? (f.destination === "redshift" ? ", most staged for COPY" : ", most at the destination") : "";
    // Records born after warmup that it had not read from its source stream by the end count too (at their age then).
    const inside = `${thousands(f.atEnd.censored)} records were still inside delivery stream ${f.name} (${pct((100 * f.atEnd.censored) / Math.max(1, f.incoming.records), 1)} of those that came in after warmup${where})`;
    const words =
      f.atEnd.unread === 0
        ? inside
        : f.atEnd.censored === 0
          ? `${thousands(f.atEnd.unread)} records born after warmup were still unread by delivery stream ${f.name} in its source stream ${f.source}`
          : `${inside}, and ${thousands(f.atEnd.unread)} born after warmup were still unread in its source stream ${f.source}`;
    // Records overdue inside it (in longer than it takes when it keeps up) are not "on their way, in a backlog not growing"
    // (helper-90: a Redshift cluster falling behind, its inside count a COPY's sawtooth, read so with 38,900 overdue).
    (growsAtEnd(v, f.name) || f.atEnd.overdue > 0 ? growing : passing).push(words);
  }
  for (const c of r.consumers) {
    if (c.censoredAtEnd === 0 || !bounded.some((s) => s.of === c.name)) continue;
    // Of the records that arrived for it after warmup: its latencies' count leaves out those it lost (a Lambda discarding
    // every batch read "100 records … (100.0% of its after-warmup records)" of 36,020).
    (growsAtEnd(v, c.name) ? growing : passing).push(`${thousands(c.censoredAtEnd)} records were still unprocessed by ${c.name} (${pct((100 * c.censoredAtEnd) / Math.max(1, c.lostAfterWarmup.accepted), 1)} of those that arrived after warmup)`);
  }
  const sentences: string[] = [];
  if (growing.length > 0) sentences.push(`The run ended with a backlog: ${growing.join("; ")}. Their latencies count at their age at the end, so the figures marked ≥ are lower bounds: a longer run would show them higher.`);
  if (passing.length > 0) {
    sentences.push(
      `The run ended with records still on their way, in a backlog not growing at the end: ${passing.join("; ")}. Their latencies count at their age at the end, so the figures marked ≥ are lower bounds.`,
    );
  }
  if (bounded.some((s) => s.name.startsWith("putLatency"))) {
    const awaiting = sum(r.producers, (p) => p.inFlight.awaitingRetry);
    sentences.push(
      `The producers ended with ${thousands(awaiting)} records refused and still awaiting their retry (${pct((100 * awaiting) / Math.max(1, awaiting + r.putLatency.count), 1)} of them and the ${thousands(r.putLatency.count)} acknowledged after warmup): put latency counts only the acknowledged, and those still waiting, their put latency running, are enough to set the put-latency figures marked ≥, so those are lower bounds.`,
    );
  }
  return sentences.length > 0 ? sentences.join(" ") : null;
}

/**
 * The producers' records still in flight at the end when they are 1% or more of those offered (whole run): in their
 * buffers and awaiting retry, and how much they grew after warmup (offered − acknowledged − lost after warmup); null
 * below 1%.
 */
export function producerBacklogText(r: RunResult): string | null {
  const offered = sum(r.producers, (p) => p.offered);
  const buffered = sum(r.producers, (p) => p.inFlight.buffered);
  const awaiting = sum(r.producers, (p) => p.inFlight.awaitingRetry);
  const inFlight = buffered + awaiting;
  if (offered === 0 || inFlight < 0.01 * offered) return null;
  const where = [buffered > 0 ? `${thousands(buffered)} in producer buffers` : "", awaiting > 0 ? `${thousands(awaiting)} awaiting retry` : ""].filter(Boolean).join(", ");
  const grew = sum(r.producers, (p) => p.offeredAfterWarmup - p.acceptedAfterWarmup - p.lostAfterWarmup);
  const afterWarmup = sum(r.producers, (p) => p.offeredAfterWarmup);
  const seconds = (r.durationUs - r.warmupUs) / 1e6;
  const growth =
    afterWarmup > 0 && grew >= 0.01 * afterWarmup && seconds > 0
      ? `; they grew by ${thousands(grew)} after warmup (${thousands(Math.round(grew / seconds))} a second): the producers fall further behind, and a longer run loses or delays more`
      : "; they did not grow after warmup";
  // KPL requests waiting for a connection hold records in its buffers: without a put-latency SLO nothing else would name
  // MaxConnections (helper-110: 239,500 of 300,000 records in flight at the end, and no why).
  const waits = r.producers.flatMap((p) => {
    const c = p.connections;
    if (!c || c.requestsWaited <= 0 || c.requestsMade <= 0) return [];
    return [
      `${pct((100 * c.requestsWaited) / c.requestsMade, 1)} of ${p.name}'s PutRecords after warmup waited for a free connection, its records' first attempts ${formatDuration(c.wait.mean, "rough")} on average (KPL MaxConnections ${thousands(c.maxConnections)} a process × ${thousands(c.processes)} ${c.processes === 1 ? "process" : "processes"} ÷ a mean round trip of ${formatDuration(c.meanRoundTripUs, "rough")} start at most ${Number.isInteger(c.startsPerSecond) ? thousands(c.startsPerSecond) : decimals(c.startsPerSecond, 1)} PutRecords a second, against ${thousands(c.requestsBusiestSecond)} made in its busiest second)`,
    ];
  });
  return `${thousands(inFlight)} records (${pct((100 * inFlight) / offered, 1)} of the ${thousands(offered)} offered, whole run) were still in flight at the end (${where}), neither lost nor written${growth}${waits.length > 0 ? `; ${waits.join("; ")}` : ""}`;
}

const BOUNDARY_METRIC = { maxIteratorAge: "iterator age", maxOldestUnprocessedAge: "oldest unprocessed age", dataFreshness: "DataFreshness" } as const;

/**
 * The warmup in one sentence when it did not leave the start-up out: which maxima sit at its end and when they
 * settled, the skips of the workers' start-up lease balancing, and the warmup the run needed; null otherwise.
 */
export function warmupSentence(w: WarmupAdvice): string | null {
  const startupSkips = w.skips.filter((s) => s.startup);
  const bound = warmupBound(w);
  if ((w.suggestedUs === null && bound !== "none left") || (w.boundaryMaxima.length === 0 && startupSkips.length === 0)) return null;
  const rough = (us: number) => formatDuration(us, "rough");
  const parts = [
    ...w.boundaryMaxima.map((b) => {
      const how = b.rose ? `rose in the start-up to ${rough(b.valueUs)} at ${clock(b.atUs)}` : `peaked at ${rough(b.valueUs)} at ${clock(b.atUs)}, still draining the start-up,`;
      // A later fault's lag passed it: the maximum after warmup is the fault's, not the start-up's.
      const passed = b.passedBy ? ` (its maximum after warmup, ${rough(b.passedBy.valueUs)} at ${clock(b.passedBy.atUs)}, came after the ${FAULT_WORDS[b.passedBy.fault.kind]} at ${clock(b.passedBy.fault.atUs)})` : "";
      // Back at its level only for less than the 30 s that show it settled when a fault of its own came.
      const cut = b.settleCutBy;
      const settled = cut
        ? `was back at its level by ${clock(b.settledAtUs)}, ${rough(cut.atUs - b.settledAtUs)} before its ${FAULT_WORDS[cut.kind]} at ${clock(cut.atUs)}: too soon to see it settle, which takes 30 s at that level`
        : `settled by ${clock(b.settledAtUs)}`;
      return `${b.of}'s ${BOUNDARY_METRIC[b.metric]} ${how} and ${settled}${passed}`;
    }),
    ...startupSkips.map((s) => `${s.of} skipped ${thousands(s.records)} records between ${clock(s.fromUs)} and ${clock(s.untilUs)} while its workers balanced the leases`),
  ];
  const warmup = w.warmupUs > 0 ? `The warmup (${rough(w.warmupUs)})` : "The run, with no warmup,";
  const said = `${warmup} did not leave the start-up out: ${parts.join("; ")}. These figures describe the start, not the steady state`;
  const change = w.firstChange;
  if (bound === "none left" && change) {
    // Over only after the first scheduled change: a warmup that leaves the start-up out hides the change's effect too.
    const later = Math.ceil(w.startupOverUs / MINUTE_US) * MINUTE_US;
    // A reshard the run made (a policy's, the on-demand service's) is not scheduled: its settings decide when it comes.
    const apart =
      change.by === undefined
        ? `schedule ${changeWords(change)} at ${rough(later)} or later with \`warmup: ${warmupValue(later)}\``
        : `${changeWords(change)} would have to come at ${rough(later)} or later (the run called it: its settings decide when), with \`warmup: ${warmupValue(later)}\``;
    return `${said}, and no warmup leaves them out without hiding ${changeWords(change)} at ${clock(change.atUs)} too: the start-up was over by ${clock(w.startupOverUs)}, after it. To see the two apart, ${apart}.`;
  }
  const us = w.suggestedUs!;
  // Ended by the first scheduled change, short of the whole minute: say which, so the odd value is not rounded up.
  const ends = bound === "cut short" && change ? `, which ends by ${changeWords(change)} at ${clock(change.atUs)}: ${rough(Math.ceil(w.startupOverUs / MINUTE_US) * MINUTE_US)} would hide its effect` : "";
  // A start-up a fault of its own cut short: the warmup leaves out what the run shows of it; to see it settle, the fault must come later.
  const cut = w.boundaryMaxima.filter((b) => b.settleCutBy).map((b) => ({ of: b.of, fault: b.settleCutBy!, seenUs: Math.ceil((b.settledAtUs + SETTLE_HOLD_US) / MINUTE_US) * MINUTE_US }));
  const see = cut.map((x) => `; to see ${x.of}'s start-up settle, schedule its ${FAULT_WORDS[x.fault.kind]} at ${rough(x.seenUs)} or later`).filter((x, i, a) => a.indexOf(x) === i);
  return `${said}: a warmup of ${rough(us)} (\`warmup: ${warmupValue(us)}\`${ends}) would leave ${cut.length > 0 ? "out what the run shows of them" : "them out"}${see.join("")}.`;
}

const MINUTE_US = 60_000_000;

/**
 * How the scenario's first scheduled change bounds the warmup advice: "cut short", the suggestion ends by it before the
 * next whole minute after the start-up; "none left", the start-up was over only after it (no suggestion); else "none".
 */
export function warmupBound(w: WarmupAdvice): "cut short" | "none left" | "none" {
  if (w.firstChange === null || w.startupOverUs <= w.warmupUs) return "none";
  if (w.startupOverUs > w.firstChange.atUs) return "none left";
  return w.suggestedUs !== null && w.suggestedUs < Math.ceil(w.startupOverUs / MINUTE_US) * MINUTE_US ? "cut short" : "none";
}

/** A warmup as the scenario writes it: whole minutes as `2m`, else seconds (`70s`). */
function warmupValue(us: number): string {
  return us % MINUTE_US === 0 ? `${us / MINUTE_US}m` : `${+(us / 1_000_000).toFixed(3)}s`;
}

const RESHARD_WORDS: Record<ReshardSpec["kind"], string> = {
  split: "split",
  merge: "merge",
  "update-shard-count": "UpdateShardCount",
  "switch-mode": "capacity-mode switch",
  "warm-throughput": "warm-throughput change",
};

/**
 * A scheduled change in words: "d's worker crash", "the split of stream events", "web's traffic spike", and the run's
 * own reshards: "the scaling-utils policy's UpdateShardCount", "the on-demand service's split".
 */
function changeWords(c: ScheduledChange): string {
  if (c.kind === "traffic-step" || c.kind === "traffic-spike" || c.kind === "traffic-ramp") return `${c.of}'s ${c.kind.replace("-", " ")}`;
  const stream = c.of ? ` of stream ${c.of}` : "";
  if (c.kind === "on-demand-split") return `the ${c.by === "warm throughput" ? "warm-throughput" : "on-demand service's"} split${stream}`;
  if (c.by !== undefined) return `the ${c.by} policy's ${RESHARD_WORDS[c.kind as ReshardSpec["kind"]]}${stream}`;
  if (c.kind in RESHARD_WORDS) return `the ${RESHARD_WORDS[c.kind as ReshardSpec["kind"]]}${stream}`;
  return `${c.of}'s ${FAULT_WORDS[c.kind as FaultResult["kind"]]}`;
}

/**
 * Why a consumer's records expired unread. A stream processor (Flink's Kinesis connectors, Spark's) reads each shard
 * from its own position, kept in the job's checkpointed state: there is no lease whose initial position a new owner
 * starts from, so it skips nothing at LATEST, and what it loses is what passed the retention before its reader got there.
 */
function expiredWhy(c: ConsumerResult, period: string): string {
  if (c.kind !== "flink" && c.kind !== "spark") return `it fell more than ${period} behind`;
  const job = c.kind === "flink" ? "Flink job" : "Spark query";
  return `they passed ${period} before the ${job} read them, as it fell that far behind; a stream processor reads each shard from its own position, kept in its checkpoints, not from a lease's initial position, so what it loses is what expires`;
}

/** One sentence on what holds a consumer back (or that it keeps up). */
function consumerExplanation(r: RunResult, c: ConsumerResult, cv: ConsumerJudgement, warmup?: WarmupAdvice): string {
  // Said in the catch-up's own sentence when the start-up's refusals stand beside a catch-up's.
  const st = cv.bottleneck === "catch-up after a fault" && cv.fault ? undefined : cv.startupThrottles;
  const held =
    bottleneckExplanation(r, c, cv, warmup) +
    growthWords(cv) +
    (st
      ? ` ${cv.readThrottledPercent.toFixed(1)}% of its GetRecords calls were throttled, ${Math.floor(100 * st.insideShare)}% of them before ${clock(st.settledAtUs)}, while the stream's consumers worked off their start-up backlogs: the start-up's reads, not its steady state.`
      : "");
  const a = c.accounting;
  // Records that expired unread, with another bottleneck: it held the consumer back that far (see consumerVerdict).
  const retention = streamsOf(r.scenario).find((x) => x.name === c.stream)?.spec.retention;
  const period = `the stream's retention period${retention !== undefined ? ` (${formatDuration(retention, "exact")})` : ""}`;
  const expired =
    cv.bottleneck !== "retention" && a.expiredUnread > 0
      ? ` ${thousands(a.expiredUnread)} ${a.expiredUnread === 1 ? "record" : "records"} expired unread (whole run): ${expiredWhy(c, period)} (a longer retention postpones that loss, not the lag).`
      : "";
  const blocked = blockedWords(c, retention) + outputCatchUpWords(r, c, cv);
  // Held back by its sink for what it throttled or lost, its table on burst credit at the end besides: more to come.
  const sk = sinkOf(r, c.name);
  const credit = cv.bottleneck === "sink" && !cv.onBurstCredit && sk?.table?.burstCredit ? ` Its table ran ${burstCreditWords(sk, sk.table.burstCredit)}.` : "";
  if (!cv.sinkAlso) return held + credit + expired + blocked;
  // Something else holds it back; its sink lost or throttled records besides.
  const fn = c.kind === "lambda";
  return `${held} Its sink, ${sinkDescription(sk!)}, is where it loses time or records besides: ${sinkTrouble(sk!, c.lambda ?? null).join("; ")}; ${fn ? "the function's lanes" : "its record processors"} waited for flushes ${pct(100 * sk!.afterWarmup.waitShare, 0)} of the time.${expired}${blocked}`;
}

/**
 * A consumer falling behind by its backlog's growth at the end, its records not old enough to say so by their age
 * (ConsumerVerdict.backlogGrowth), as a sentence ("" otherwise): the growth a second over the last half after warmup,
 * what it processed (and left unprocessed, given up or skipped) of what arrived then, and how fast its oldest unprocessed record's age rose then (as a max-age SLO
 * met so far says it: "s a minute"), still rising at the end. A reviewer read "keeps up (IteratorAge at most 46.3 s)"
 * for a Lambda consumer processing 170 of 200 records/s.
 */
function growthWords(cv: ConsumerJudgement): string {
  const g = cv.backlogGrowth;
  if (!g) return "";
  const pace = `${formatDuration(g.ageRisePerSecond * 60e6, "rough")} a minute`;
  // Those that left unprocessed (given up, skipped) are said: the growth is what arrived less both.
  const left = Math.round(g.leftPerSecond) > 0 ? ` and left ${thousands(Math.round(g.leftPerSecond))} unprocessed (given up or skipped)` : "";
  return ` Its backlog grew ${formatRate(g.perSecond, "records")} over the last half after warmup: it processed ${thousands(Math.round(g.processedPerSecond))}${left} of the ${formatRate(g.arrivingPerSecond, "records")} that arrived then, and the age of its oldest unprocessed record rose ${pace}, still rising at the end, so a longer run falls further behind.`;
}

/**
 * Its output stream's throttling in the catch-up after its own faults (ConsumerVerdict.outputCatchUp), as a sentence
 * ("" without): how much of it came while it caught up, and the throttled share of its attempts then and at other
 * times. It claims no more: the catch-up's pace is the bottleneck sentence's to give.
 */
function outputCatchUpWords(r: RunResult, c: ConsumerResult, cv: ConsumerJudgement): string {
  const o = cv.outputCatchUp;
  const w = r.writers.find((x) => x.consumer === c.name);
  if (!o || !w) return "";
  const after = o.faults > 1 ? `after its ${o.faults} faults (most after the ${FAULT_WORDS[o.kind]} at ${clock(o.atUs)})` : `after the ${FAULT_WORDS[o.kind]} at ${clock(o.atUs)}`;
  const throttled = w.attempts > 0 ? (100 * w.throttledAttempts) / w.attempts : 0;
  const head = ` Its output stream, ${o.stream}, throttled ${pct(throttled, 1)} of its put attempts after warmup, ${Math.floor(100 * o.insideShare)}% of them while it caught up ${after}`;
  if (o.outsidePercent <= 1) return `${head}: ${pct(o.insidePercent, 1)} of its attempts then, ${pct(o.outsidePercent, 1)} at other times, so the throttling is the catch-up's, not the steady state's.`;
  // Throttled at other times too, while its records waited far less than in the catch-up (see outputCatchUp).
  const age = (us: number) => formatDuration(us, "tenths");
  return `${head} (${pct(o.insidePercent, 1)} of its attempts then, its records waiting up to ${age(o.ageInsideUs)} unprocessed); at other times it throttled ${pct(o.outsidePercent, 1)} of them, while its records waited at most ${age(o.ageOutsideUs)}.`;
}

/**
 * A Lambda consumer's shards blocked at the end (LambdaResult.blockedAtEnd) and how ("" with none): behind a batch
 * holding a record its function cannot process, retried without a limit, until when they stay blocked, the records
 * behind them waiting (its lostPercent does not count those records yet: helper-57's 5); or, its function failing
 * every invocation (or their batches timing out on every try), behind batches retried until their records expire, pass
 * the maximum record age or reach the retry limit, each then given up and the next failing the same way, or behind a
 * tumbling window's final invocation retried until it succeeds (blockedByErrorsWords). Failing every invocation (or
 * its batches timing out on every try) with MaximumRetryAttempts 0 and no bisection, no shard is blocked: each batch is
 * discarded at its first failure (discardingWords).
 */
function blockedWords(c: ConsumerResult, retention: number | undefined): string {
  const fn = c.lambda;
  const ids = fn?.blockedAtEnd ?? [];
  if (fn && ids.length === 0 && discardsAtOnce(fn) && (fn.failingCause || fn.discardedByTimeout)) return discardingWords(fn, c);
  if (!fn || ids.length === 0) return "";
  if (fn.blockedBy === "function errors" || fn.blockedBy === "sink write") return blockedByErrorsWords(c, fn, ids, retention);
  const kept = retention !== undefined ? `, ${formatDuration(retention, "exact")} after they arrived` : "";
  const until =
    fn.maximumRecordAgeUs >= 0 && (retention === undefined || fn.maximumRecordAgeUs < retention)
      ? `its records pass the maximum record age (${formatDuration(fn.maximumRecordAgeUs, "exact")}) and are skipped`
      : `its records expire at the stream's retention${kept}`;
  if (ids.length === 1) {
    return ` At the end of the run ${ids[0]} was blocked behind a batch holding a record the function cannot process, retried without a limit (MaximumRetryAttempts −1): Lambda retries it until ${until}, and the shard stays blocked until then, the records behind it waiting unprocessed (not counted as lost yet).`;
  }
  // Each shard behind its own batch: "its records" and "behind it" are each batch's.
  return ` At the end of the run ${ids.join(", ")} were blocked, each behind a batch holding a record the function cannot process, retried without a limit (MaximumRetryAttempts −1): Lambda retries each batch until ${until}, and the shards stay blocked until then, the records behind those batches waiting unprocessed (not counted as lost yet).`;
}

/**
 * The shards of a Lambda consumer whose function failed every invocation at the end: what made it fail
 * (LambdaResult.failingCause: `errors.share` 1, or the `function-errors` fault of share 1 in force then), and what the mapping does with the failing batch by its
 * settings. Lambda "retries until the records expire, exceed the maximum age, or reach the configured retry quota", then
 * "discards the records and continues processing batches from the stream"
 * (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html): with no limit the shard stays
 * blocked until the batch's records expire; with one, each batch is given up at its limit and the next fails the same way.
 */
function blockedByErrorsWords(c: ConsumerResult, fn: NonNullable<ConsumerResult["lambda"]>, all: readonly string[], retention: number | undefined): string {
  const lead = blockedLead(fn);
  // Shards held by a tumbling window's final invocation: retried until it succeeds, whatever the retry settings.
  const finals = all.filter((id) => fn.blockedOnFinalInvocation.includes(id));
  const ids = all.filter((id) => !finals.includes(id));
  if (ids.length === 0) return finalInvocationWords(c, fn, finals, lead, retention);
  // The cause once: the final invocations' shards after the others', as blocked the same way.
  const also = finals.length > 0 ? finalInvocationWords(c, fn, finals, (which, behind) => ` At the end of the run ${which} blocked by ${fn.blockedByTimeout ? "its function's timeouts" : "its errors"}${behind}`, retention) : "";
  return blockedByErrorsRetriesWords(c, fn, ids, retention, lead) + also;
}

/** The start of the sentence saying how shards were blocked (`which`: "shardId-… was"; `behind`: what holds them, or ""). */
type BlockedLead = (which: string, behind: string) => string;

/**
 * How a Lambda consumer's shards came to be blocked by its function's failures: its function failing every invocation
 * at the end (LambdaResult.failingCause), or their batches timing out on every try (LambdaResult.blockedByTimeout: the
 * shortest invocation of the batch is longer than the function's timeout, every time or with variability on all but
 * fewer than 1 try in 10^9; a timeout is a
 * function error, "The runtime returns errors for issues such as timeouts",
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), the timeout given as the cause.
 */
function blockedLead(fn: NonNullable<ConsumerResult["lambda"]>): BlockedLead {
  const t = fn.blockedByTimeout;
  // Timing out only with the write to its sink (blockedBy "sink write"): each shard since when, and the write's least time against the timeout.
  const w = t?.write;
  if (t && w) return (which, behind) => ` At the end of the run ${sinceWords(fn, which)} blocked by its sink's writes${behind}, every invocation timing out while it writes its batch (${sinkWriteWords(fn, t, w)})`;
  if (!t) return (which, behind) => ` At the end of the run its function failed every invocation (${failingWords(fn)}), and ${which} blocked by its errors${behind}`;
  return (which, behind) => ` At the end of the run ${which} blocked by its function's timeouts${behind}, every invocation timing out (${timeoutWords(fn, t)})`;
}

/**
 * Blocked shards with when their held batches began to fail ("shardId-… (timing out since 0:00:41) was"): `which` is
 * "shardId-… was" or "shardId-…, shardId-… were", as blockedAtEnd lists them (LambdaResult.blockedSinceUs).
 */
function sinceWords(fn: NonNullable<ConsumerResult["lambda"]>, which: string): string {
  const ids = fn.blockedAtEnd;
  // Blocked from when its table's burst credit was spent, its tries failing since earlier (blockedAtEnd's `since`).
  const spent = fn.blockedByTimeout?.write?.creditSpentSinceUs;
  const since = (i: number) => {
    const t = fn.blockedSinceUs[i]!;
    if (t < 0) return " (on its first try)";
    return t === spent ? ` (since its table's burst credit ran out, by ${clock(t)})` : ` (timing out since ${clock(t)})`;
  };
  if (ids.length === 1) return which.replace(ids[0]!, `${ids[0]}${since(0)}`);
  const all = ids.map((id, i) => `${id}${since(i)}`).join(", ");
  return which.replace(ids.join(", "), all);
}

/**
 * Why an invocation times out on every try only with its sink write (LambdaTimeout.write, src/model/sinks/batchWrite.ts):
 * the function's own work, then the least the write takes, by what sets it — its requests one after another at their
 * least latency, a provisioned table's capacity accruing the units it cannot hold unused, or the handler's backoffs
 * until it gives up — above the timeout. "A function makes a request to another service, which takes longer to respond"
 * is among a timeout's causes (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
 */
function sinkWriteWords(fn: NonNullable<ConsumerResult["lambda"]>, t: LambdaTimeout, w: NonNullable<LambdaTimeout["write"]>): string {
  const what = t.records === 1 ? "a single record" : `a batch of ${thousands(t.records)} records`;
  const time = (us: number) => formatDuration(us, "exact");
  const requests = w.requests !== undefined && w.requestLeastUs !== undefined ? `${thousands(w.requests)} BatchWriteItem ${w.requests === 1 ? "request" : "requests"} one after another, at ${time(w.requestLeastUs)} each at the least` : "";
  const spent = w.creditSpentSinceUs;
  // Its burst credit spent (helper-108): what the table has held at most since, in tenths (a table out of credit holds a unit or two).
  const held = w.heldUnits === undefined ? "" : spent !== undefined ? decimals(Math.floor(10 * w.heldUnits) / 10, 1) : thousands(Math.floor(w.heldUnits));
  const ranOut = spent !== undefined ? `since its burst credit ran out (by ${clock(spent)})` : "";
  const holds = spent !== undefined ? `holding at most ${held} at any moment ${ranOut}` : `holding ${held} unused at most`;
  const beyond = spent !== undefined ? `beyond the ${held} the table has held at most ${ranOut}` : `beyond the ${held} the table holds unused at most`;
  const capacity = w.units !== undefined && w.writeCapacity !== undefined ? `the ${thousands(w.units)} write units of its items, ${beyond}, come at its provisioned ${thousands(w.writeCapacity)} WCU a second` : "";
  const giveUp = w.units !== undefined ? `the table cannot give the ${thousands(w.units)} write units of its items in time, ${holds}, so the write ends only when the handler gives up after its backoffs between tries` : "";
  const why = w.leastBy === "capacity" ? capacity : w.leastBy === "retries" ? giveUp : requests;
  const own = t.variability === 0 ? `its own work takes ${time(t.durationUs)} for ${what}` : `its own work takes ${time(t.durationUs)} on average for ${what} (variability ${t.variability})`;
  const odds = t.variability === 0 ? "" : t.successChance > 0 ? `, so all but about 1 try in 10^${Math.floor(-Math.log10(t.successChance))} time out` : "";
  return `${own}, then writing it to the sink takes at least ${time(w.leastUs)}${why ? ` (${why})` : ""}, over its ${time(fn.timeoutUs)} timeout${odds}`;
}

/**
 * Why an invocation times out on every try (LambdaResult.blockedByTimeout, discardedByTimeout): "its duration, 5.01 s for
 * a batch of 100 records with no variability, is above its timeout, 3 s"; with variability, its mean and the odds of a
 * try ending in time.
 */
function timeoutWords(fn: NonNullable<ConsumerResult["lambda"]>, t: LambdaTimeout): string {
  // Its own work ends in time; with its sink write it does not (helper-102: "its duration, 20 ms …, is above its timeout, 1 s").
  if (t.write) return sinkWriteWords(fn, t, t.write);
  const what = t.records === 0 ? "with no records" : t.records === 1 ? "for a single record" : `for a batch of ${thousands(t.records)} records`;
  // Durations a hair apart would read alike in seconds ("3 s is above 3 s"): then in milliseconds.
  const [d, limit] = formatDuration(t.durationUs, "exact") === formatDuration(fn.timeoutUs, "exact") ? [`${thousands(t.durationUs / 1_000)} ms`, `${thousands(fn.timeoutUs / 1_000)} ms`] : [formatDuration(t.durationUs, "exact"), formatDuration(fn.timeoutUs, "exact")];
  if (t.variability === 0) return `its duration, ${d} ${what} with no variability, is above its timeout, ${limit}`;
  // With variability some try could end in time, at a chance below 10^−9 (helper-71: a mean ten times the timeout).
  const odds = t.successChance > 0 ? `on all but about 1 try in 10^${Math.floor(-Math.log10(t.successChance))}` : "on every try, as near as can be computed";
  return `its duration ${what}, ${d} on average with variability ${t.variability}, is above its timeout, ${limit}, ${odds}`;
}

/**
 * Those of a Lambda function's failed invocations after warmup that timed out, for "N of M invocations failed (p%, …)":
 * ", 45 of them timed out at its 3 s timeout", or nothing when none did. A timeout is a function error that the event
 * source mapping retries as any other ("The runtime returns errors for issues such as timeouts",
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), and CloudWatch counts it among Errors with
 * no metric of its own: without this the sentence did not say why they failed (stop 41).
 */
function timedOutWords(fn: Pick<NonNullable<ConsumerResult["lambda"]>, "errors" | "timeouts" | "timeoutUs">): string {
  if (fn.timeouts === 0) return "";
  const which = fn.timeouts === fn.errors ? (fn.errors === 1 ? "it" : `all ${thousands(fn.timeouts)} of them`) : `${thousands(fn.timeouts)} of them`;
  return `, ${which} timed out at its ${formatDuration(fn.timeoutUs, "exact")} timeout`;
}

/**
 * Of a Lambda consumer's records given up after failing, those a write its timeout cut had written to the sink first
 * (whole run, LambdaResult.writtenThenGivenUp): ", 7,948 of them already written to the sink by the writes the timeout
 * cut (at least once: in the sink, though given up)", or nothing when none were.
 */
function writtenFirstWords(fn: NonNullable<ConsumerResult["lambda"]>): string {
  if (fn.writtenThenGivenUp === 0) return "";
  return `, ${thousands(fn.writtenThenGivenUp)} of them already written to the sink by the writes the timeout cut (at least once: in the sink, though given up)`;
}

/**
 * A function that falls behind on its duration while some of its invocations time out (its durations vary, or its sink's
 * writes do, past its timeout now and then): what those cost, or nothing when none timed out. helper-116: batches of
 * 1,000 at 20 ms + 2 ms a record and an S3 put of median 300 ms and p99 2 s against a 3 s timeout: 116 of 673
 * invocations (17.2%) timed out, each a timeout's time of its lane for nothing, and the run processed 1,324 records/s
 * against the "at most 1,640" its mean duration gives, with no word of them.
 */
function someTimedOutWords(fn: NonNullable<ConsumerResult["lambda"]>): string {
  if (fn.timeouts === 0 || fn.invocations === 0) return "";
  const writing = fn.timeoutsWriting > 0 ? (fn.timeoutsWriting === fn.timeouts ? ", all while writing to its sink" : `, ${thousands(fn.timeoutsWriting)} of them while writing to its sink`) : "";
  const then = discardsAtOnce(fn) ? "its batch discarded (MaximumRetryAttempts 0)" : fn.bisectBatchOnFunctionError ? "its batch split in halves and tried again" : "its batch tried again whole";
  const spent = formatDuration(fn.timeouts * fn.timeoutUs, "rough");
  return `; besides, ${thousands(fn.timeouts)} of its ${thousands(fn.invocations)} invocations after warmup (${pct((100 * fn.timeouts) / fn.invocations, 1)}) timed out at its ${formatDuration(fn.timeoutUs, "exact")} timeout${writing}, each ${then}: ${spent} of lane time on tries the timeout cut. A timeout above its longest durations, or smaller batches, would spend that time on records`;
}

/** After warmup, every failed invocation of the function timed out (and some did): a timeout is a function error. */
function allTimedOut(fn: NonNullable<ConsumerResult["lambda"]>): boolean {
  return fn.errors > 0 && fn.timeouts === fn.errors;
}

/** What made a Lambda consumer's function fail every invocation at the end (LambdaResult.failingCause), in words. */
function failingWords(fn: NonNullable<ConsumerResult["lambda"]>): string {
  const f = fn.failingCause;
  if (!f) return "every invocation failing";
  return f.kind === "errors.share" ? "errors.share 1" : `the function-errors fault failing every invocation from ${clock(f.fromUs)}`;
}

/** Records given up after failing (past their retries or their maximum record age: to the on-failure destination, or lost), whole run. */
function givenUpAfterFailing(c: ConsumerResult): number {
  return (c.accounting.toDestination ?? 0) + (c.accounting.discarded ?? 0) + (c.accounting.skippedByAge ?? 0) + (c.accounting.toDestinationByAge ?? 0);
}

/** Records older than the maximum record age when their batch was tried: skipped (no destination), or sent to the on-failure destination. */
function pastMaximumAge(c: ConsumerResult): number {
  return (c.accounting.skippedByAge ?? 0) + (c.accounting.toDestinationByAge ?? 0);
}

/**
 * "; 2,399 records were older than the maximum record age and skipped (whole run)", or with an on-failure destination
 * "… and discarded, their batches' details sent to the on-failure destination (sqs)": Lambda sends it "a batch of records
 * that's too old" as one that "has exhausted all retries" (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html),
 * its shard and sequence numbers, not its records. Empty when none was. `were`: the subject ("records were", "records
 * behind them were").
 */
function byAgeWords(c: ConsumerResult, were: (one: boolean) => string): string {
  const n = pastMaximumAge(c);
  if (n <= 0) return "";
  // A mapping has an on-failure destination for the whole run, or none: all of them went to it, or none did.
  const what = (c.accounting.toDestinationByAge ?? 0) > 0 ? `discarded, their batches' details sent to the on-failure destination (${c.lambda?.onFailure ?? ""})` : "skipped";
  return `; ${thousands(n)} ${were(n === 1)} older than the maximum record age and ${what} (whole run)`;
}

/** The records behind a blocked batch: waiting unprocessed, and those already expired at the retention counted as lost. */
function behindWords(c: ConsumerResult, one: boolean): string {
  const x = c.accounting.expiredUnread;
  const lost = x > 0 ? ` until they too expire (${thousands(x)} ${x === 1 ? "record has" : "records have"} expired unread so far and ${x === 1 ? "is" : "are"} lost, whole run)` : " (not counted as lost until they expire)";
  return `the records behind ${one ? "it" : "them"} waiting unprocessed${lost}`;
}

/**
 * Shards held by a tumbling window's final invocation (LambdaResult.blockedOnFinalInvocation), which has no records:
 * Lambda "suspends further processing until a successful invocation"
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html), whatever MaximumRetryAttempts says, so
 * nothing is given up and the shard stays blocked until the function stops failing.
 */
function finalInvocationWords(c: ConsumerResult, fn: NonNullable<ConsumerResult["lambda"]>, ids: readonly string[], lead: BlockedLead, retention: number | undefined): string {
  const one = ids.length === 1;
  const which = one ? `${ids[0]} was` : `${ids.join(", ")} were`;
  const limit = fn.maximumRetryAttempts === -1 ? "" : `, whatever MaximumRetryAttempts (${thousands(fn.maximumRetryAttempts)}) says`;
  const gone = givenUpAfterFailing(c);
  const before = gone > 0 ? `; ${thousands(gone)} ${gone === 1 ? "record was" : "records were"} given up (whole run) before ${one ? "that invocation held it" : "those invocations held them"}` : "";
  return `${lead(which, ` behind ${one ? "its tumbling window's final invocation" : "their tumbling windows' final invocations"} (isFinalInvokeForWindow)`)}: Lambda retries a window's final invocation until it succeeds${limit}, so ${one ? "the shard stays" : "the shards stay"} blocked until the function stops failing, ${finalBehindWords(fn, one, retention)}${before}.`;
}

/**
 * The records behind a tumbling window's blocked final invocation. It holds no records, so none behind it is given up
 * for its failures: with a maximum record age, those older than it are skipped once the invocation succeeds (helper-67:
 * "not counted as lost until they expire" read as the retention's deadline); else they expire at the stream's retention,
 * counted as they pass it (LambdaConsumer.expireHeld; helper-67 found 899 counted of about 3,600 past it before). The
 * run's expired count, whole run, holds records that expired before the invocation held the shard too, so these words
 * give no count of their own (the retention sentence gives the run's).
 */
function finalBehindWords(fn: NonNullable<ConsumerResult["lambda"]>, one: boolean, retention: number | undefined): string {
  const behind = `the records behind ${one ? "it" : "them"} waiting unprocessed`;
  if (fn.maximumRecordAgeUs >= 0 && (retention === undefined || fn.maximumRecordAgeUs < retention)) {
    // With an on-failure destination their batches' details go there (byAgeWords).
    const fate = fn.onFailure ? `discarded, not processed, their batches' details sent to the on-failure destination (${fn.onFailure})` : "skipped, not processed";
    return `${behind}: once it succeeds, those older than the maximum record age (${formatDuration(fn.maximumRecordAgeUs, "exact")}) are ${fate}`;
  }
  return `${behind} until they expire at the stream's retention${retention !== undefined ? ` (${formatDuration(retention, "exact")} after they arrived)` : ""}`;
}

/**
 * A Lambda consumer whose function fails every invocation at the end (or whose batches then time out on every try:
 * LambdaResult.discardedByTimeout) but whose mapping discards a failed batch at once (MaximumRetryAttempts 0, no
 * bisection): no shard is blocked; each batch is given up at its first failure and the next fails the same way, "Lambda
 * discards the records and continues processing batches from the stream"
 * (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). A timeout is a function error:
 * "The runtime terminated your function because it ran out of time" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html).
 */
function discardingWords(fn: NonNullable<ConsumerResult["lambda"]>, c: ConsumerResult): string {
  const gone = givenUpAfterFailing(c);
  const where = fn.onFailure ? `to the on-failure destination (${fn.onFailure})` : "with no on-failure destination (lost)";
  const count = gone > 0 ? ` (${thousands(gone)} ${gone === 1 ? "record" : "records"} given up, whole run)` : "";
  const t = fn.failingCause ? null : fn.discardedByTimeout;
  if (t) {
    const writing = t.write ? " while writing its batch to the sink" : "";
    return ` At the end of the run every invocation of its function timed out${writing} (${timeoutWords(fn, t)}), and Lambda discards every batch at its first failure (MaximumRetryAttempts 0) ${where}, a timeout being a function error: no shard is blocked, the consumer moves on only by giving records up${count} until its invocations end within the timeout.`;
  }
  return ` At the end of the run its function failed every invocation (${failingWords(fn)}), and Lambda discards every batch at its first failure (MaximumRetryAttempts 0) ${where}: no shard is blocked, the consumer moves on only by giving records up${count} until the function stops failing.`;
}

/** A failed batch given up at once, not retried: MaximumRetryAttempts 0 and no bisection. */
function discardsAtOnce(fn: NonNullable<ConsumerResult["lambda"]>): boolean {
  return fn.maximumRetryAttempts === 0 && !fn.bisectBatchOnFunctionError;
}

/** blockedByErrorsWords for shards held by an ordinary failing batch: what the mapping's retry settings do with it. */
function blockedByErrorsRetriesWords(c: ConsumerResult, fn: NonNullable<ConsumerResult["lambda"]>, ids: readonly string[], retention: number | undefined, lead: BlockedLead): string {
  const one = ids.length === 1;
  // Blocked by its sink's writes, not by a failing function: what would end it is the writes ending within the timeout.
  const bySink = fn.blockedBy === "sink write";
  const stops = bySink ? "until its batches' writes end within the timeout" : "until the function stops failing";
  const which = one ? `${ids[0]} was` : `${ids.join(", ")} were`;
  const shards = one ? "the shard" : "the shards";
  // Before a clause of its own ("…, until …"), and before ", then discards it" (helper-67: ",, then").
  const bisectedBeforeThen = fn.bisectBatchOnFunctionError ? ", bisected down to single records (the halves use up no retries)" : "";
  const bisected = bisectedBeforeThen && `${bisectedBeforeThen},`;
  const head = lead(which, "");
  const aged = pastMaximumAge(c);
  const ageLimit = fn.maximumRecordAgeUs >= 0 && (retention === undefined || fn.maximumRecordAgeUs < retention);
  const age = ageLimit ? formatDuration(fn.maximumRecordAgeUs, "exact") : "";
  if (fn.maximumRetryAttempts === -1 && !ageLimit) {
    const kept = retention !== undefined ? `, ${formatDuration(retention, "exact")} after they arrived` : "";
    // When a batch's records expire, the next batch fails the same way: blocked while the function fails (helper-65's 5).
    return `${head}: Lambda retries the same batch without a limit (MaximumRetryAttempts −1, MaximumRecordAgeInSeconds −1)${bisected} until its records expire at the stream's retention${kept}, then the next batch fails the same way: ${shards} ${one ? "stays" : "stay"} blocked ${bySink ? "while its batches' writes outlast the timeout" : "while the function fails"}, each batch until its records expire, ${behindWords(c, one)}.`;
  }
  if (fn.maximumRetryAttempts === -1) {
    // With an on-failure destination Lambda sends it the details of "a batch of records that's too old" (byAgeWords).
    if (fn.onFailure) {
      const sent = aged > 0 ? ` (${thousands(aged)} ${aged === 1 ? "record" : "records"} discarded for their age, whole run)` : "";
      return `${head}: Lambda retries the same batch without a limit (MaximumRetryAttempts −1)${bisected} until its records pass the maximum record age (${age}), then discards them, sending their batch's details (shard, sequence numbers, not the records) to the on-failure destination (${fn.onFailure}), and the next batch fails the same way: ${shards} ${one ? "moves" : "move"} on only by discarding records for their age${sent} ${stops}.`;
    }
    const skipped = aged > 0 ? ` (${thousands(aged)} ${aged === 1 ? "record" : "records"} skipped for their age, whole run)` : "";
    return `${head}: Lambda retries the same batch without a limit (MaximumRetryAttempts −1)${bisected} until its records pass the maximum record age (${age}) and are skipped, then the next batch fails the same way: ${shards} ${one ? "moves" : "move"} on only by skipping records for their age${skipped} ${stops}.`;
  }
  const n = fn.maximumRetryAttempts;
  const retries =
    n === 0
      ? `does not retry a failed batch (MaximumRetryAttempts 0) but bisects it down to single records (the halves use up no retries)`
      : `retries a failed batch ${thousands(n)} ${n === 1 ? "time" : "times"} (MaximumRetryAttempts ${thousands(n)})${bisectedBeforeThen}`;
  const orAge = n > 0 && ageLimit ? ` or until its records pass the maximum record age (${age})` : "";
  const gone = givenUpAfterFailing(c);
  const where = fn.onFailure ? `to the on-failure destination (${fn.onFailure})` : "with no on-failure destination (lost)";
  const count = gone > 0 ? ` (${thousands(gone)} ${gone === 1 ? "record" : "records"} given up, whole run)` : "";
  return `${head}: Lambda ${retries}${orAge}, then discards it ${where}, and the next batch fails the same way: ${shards} ${one ? "moves" : "move"} on only by giving up records${count} ${stops}.`;
}

/**
 * What Lambda does with a batch whose invocation failed, by its event source mapping's settings ("retried their batches
 * (MaximumRetryAttempts −1, without a limit)"): a timeout is a function error, retried as any other
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html).
 */
function failedBatchWords(fn: NonNullable<ConsumerResult["lambda"]>, one: boolean): string {
  const n = fn.maximumRetryAttempts;
  const [batches, them] = one ? ["its batch", "it"] : ["their batches", "them"];
  const bisect = fn.bisectBatchOnFunctionError ? `, bisecting ${them}` : "";
  if (n === 0) return fn.bisectBatchOnFunctionError ? `bisected ${batches} (MaximumRetryAttempts 0, BisectBatchOnFunctionError)` : `discarded ${batches} (MaximumRetryAttempts 0)`;
  if (n < 0) return `retried ${batches}${bisect} (MaximumRetryAttempts −1, without a limit)`;
  return `retried ${batches}${bisect}, up to ${thousands(n)} ${n === 1 ? "time" : "times"} (MaximumRetryAttempts ${thousands(n)}), then gave ${them} up`;
}

/**
 * What a Lambda function's handler did with the items its table throttled: tried them again after its backoff, or — its
 * timeout cutting the write first — nothing (SinkResult.afterWarmup.cut: writes cut before their first retry, and the
 * requests they had sent). A function's write is inside its invocation, so a backoff longer than what the timeout leaves
 * is never waited out (helper-108: "were tried again after 10 s, up to 3 tries" of a 1 s function none of whose writes
 * was tried again).
 */
function throttledRetryWords(sk: SinkResult, fn: NonNullable<ConsumerResult["lambda"]> | null, tries: string): string {
  const backoff = formatDuration(sk.retry.backoffUs, "rough");
  const cut = sk.afterWarmup.cut;
  if (!fn || cut.beforeRetry === 0) return ` and were tried again after ${backoff}, up to ${tries}`;
  const requests = cut.beforeRetryRequests / cut.beforeRetry;
  const sent = `after sending ${Number.isInteger(requests) ? thousands(requests) : decimals(requests, 1)} BatchWriteItem ${requests === 1 ? "request" : "requests"}${Number.isInteger(requests) ? "" : " on average"}`;
  const one = cut.beforeRetry === 1;
  const writes = `${thousands(cut.beforeRetry)} ${one ? "write was" : "writes were"} cut by the function's ${formatDuration(fn.timeoutUs, "exact")} timeout before ${one ? "its" : "their"} first retry, ${sent}, and Lambda ${failedBatchWords(fn, one)}`;
  // No write of the run was tried again: none waited out its backoff within the timeout.
  if (sk.retries === 0) return `, to be tried again after ${backoff}, but none was: ${writes}`;
  return ` and were tried again after ${backoff}, up to ${tries}, where the timeout left the time; ${writes}`;
}

/** What a sink did wrong: the share of items it throttled, the capacity it used, the records it lost. `lambda`: its Lambda function's figures, null for a KCL application. */
function sinkTrouble(sk: SinkResult, lambda: NonNullable<ConsumerResult["lambda"]> | null): string[] {
  const fn = lambda !== null;
  const a = sk.afterWarmup;
  const sent = a.written + a.throttledItems;
  const lost = sk.accounting.lost;
  const tries = `${thousands(sk.retry.limit)} ${sk.retry.limit === 1 ? "try" : "tries"}`;
  return [
    ...(sent > 0 && a.throttledItems > 0
      ? [`it throttled ${pct((100 * a.throttledItems) / sent, 1)} of the items sent (they came back unprocessed${sk.retry.limit > 1 ? throttledRetryWords(sk, lambda, tries) : ", with no try left"})`]
      : []),
    ...(a.utilisation !== null ? [`it used ${pct(100 * a.utilisation, 0)} of its capacity${a.utilisation > 1 && sk.table?.provisioned ? " (its burst capacity included)" : ""}`] : []),
    // The Connector's emitter hands what is left to IEmitter.fail(); a Lambda function's handler simply gives it up.
    ...(lost.retriesExhausted > 0
      ? [`${thousands(lost.retriesExhausted)} ${lost.retriesExhausted === 1 ? "record was" : "records were"} still unwritten after ${fn ? `the function's ${tries} of a write and were lost (its handler gave those items up)` : `the emitter's ${tries} and were lost (IEmitter.fail)`}`]
      : []),
    ...(lost.gaveUp + lost.expired > 0 ? [`${thousands(lost.gaveUp + lost.expired)} ${lost.gaveUp + lost.expired === 1 ? "record was" : "records were"} given up by the destination`] : []),
  ];
}

/**
 * A Lambda consumer whose sink writes one batch at a time for every lane, at that bound (sinkWritesBind): "its cluster runs
 * one COPY at a time for all 8 of its lanes, so it writes at most 400 records/s whatever the lanes (a batch of 100 records
 * ÷ 250 ms a COPY), and the function processes 400 records/s, where its lanes alone could process 516 records/s; ". Empty
 * otherwise.
 */
function sinkWritesWords(fn: NonNullable<ConsumerResult["lambda"]>, sk: SinkResult, processedPerSecond: number): string {
  const w = fn.sinkWriteBound;
  if (!w || !sinkWritesBind(fn, processedPerSecond)) return "";
  const lanes = fn.boundBatches === 1 ? "its one lane" : `all ${thousands(fn.boundBatches)} of its lanes`;
  const one = sk.kind === "redshift" ? ["its cluster runs one COPY", "a COPY"] : ["its domain indexes one bulk request", "a bulk request"];
  return `${one[0]} at a time for ${lanes}, so it writes at most ${formatRate(w.perSecond, "records")} whatever the lanes (a batch of ${thousands(w.batchUsers)} records ÷ ${formatDuration(w.writeUs, "exact")} ${one[1]}), and the function processes ${formatRate(processedPerSecond, "records")}, where its lanes alone could process ${formatRate(w.lanesPerSecond, "records")}; `;
}

/** The sentence for the consumer's bottleneck. */
function bottleneckExplanation(r: RunResult, c: ConsumerResult, cv: ConsumerJudgement, warmup?: WarmupAdvice): string {
  const a = c.accounting;
  const l = c.leases;
  // Ages in tenths of their unit ("12.3 s", "4.0 min"), past an hour in hours and minutes (not "1628.0 min").
  const age = (us: number) => formatDuration(us, us >= 3_600_000_000 ? "exact" : "tenths");
  switch (cv.bottleneck) {
    case "retention":
      return `Consumer ${c.name} fell more than the retention period behind: ${thousands(a.expiredUnread)} ${a.expiredUnread === 1 ? "record" : "records"} expired before it processed them (the oldest unprocessed record reached ${age(c.maxOldestUnprocessedAge)}).`;
    case "lease table": {
      if (!l || !c.leaseTable) return `Consumer ${c.name}'s lease table throttled.`;
      const o = c.leaseTable.onDemand;
      const p = c.leaseTable.provisioned;
      const a = c.leaseAssignment;
      const plural = (n: number, one: string) => `${thousands(n)} ${one}${n === 1 ? "" : "s"}`;
      const writes = [
        ...(l.renewalsThrottled > 0 ? [plural(l.renewalsThrottled, "lease renewal")] : []),
        ...(l.checkpointsThrottled > 0 ? [plural(l.checkpointsThrottled, "checkpoint")] : []),
        ...(l.takesThrottled > 0 ? [plural(l.takesThrottled, "lease take")] : []),
      ];
      // KCL 3.x: the leader's scans of the lease table (with the worker metrics in it, or in their own table), and the
      // workers' queries of the lease-owner index (a GSI with the lease table's capacity settings).
      const scans = a && a.assignmentRunsThrottled > 0 ? [`${a.assignmentRunsThrottled === a.assignmentRuns ? "all" : thousands(a.assignmentRunsThrottled) + " of"} ${thousands(a.assignmentRuns)} of the leader's lease-assignment scans${a.workerMetricsTable ? " (with its reads of the worker metrics table)" : ""}`] : [];
      const what = [...writes, ...scans];
      const units = (read: boolean, write: boolean) => {
        const of = (x: { read: number; write: number }, label: boolean) =>
          [...(read ? [`${thousands(Math.round(x.read))}${label ? " RRU/s" : ""}`] : []), ...(write ? [`${thousands(Math.round(x.write))}${label ? " WRU/s" : ""}`] : [])].join(" / ");
        if (p) return [...(read ? [`${p.read} RCU`] : []), ...(write ? [`${p.write} WCU`] : [])].join(" / ");
        if (!o) return "on-demand";
        return `on-demand, ${of(o.initial, true)} at the start${o.raisedAt === null ? "" : `, ${of(o.highest, read)} from ${clock(o.raisedAt)}`}`;
      };
      const listed = andList(what);
      const d = a?.discovery;
      const index = d && d.throttled > 0 ? `${listed ? "its" : `Consumer ${c.name}'s`} lease-owner index throttled ${d.throttled === d.queries ? "all" : thousands(d.throttled) + " of"} ${thousands(d.queries)} of its workers' queries for their leases` : null;
      const throttled = [...(listed ? [`Consumer ${c.name}'s lease table (${units(scans.length > 0, writes.length > 0)}) throttled ${listed}`] : []), ...(index ? [index] : [])];
      const said = throttled.length > 0 ? throttled.join("; ") : `Consumer ${c.name}'s lease table throttled`;
      const after = [
        ...(writes.length > 0 ? [`${thousands(l.lost)} ${l.lost === 1 ? "lease was" : "leases were"} lost and ${thousands(c.reprocessed)} ${c.reprocessed === 1 ? "record" : "records"} processed again`] : []),
        ...(a && (scans.length > 0 || index)
          ? [`${a.assigned.new + a.assigned.expired + a.assigned.rebalanced === 0 ? "no lease was assigned" : `${plural(a.assigned.new + a.assigned.expired + a.assigned.rebalanced, "lease")} ${a.assigned.new + a.assigned.expired + a.assigned.rebalanced === 1 ? "was" : "were"} assigned`} and it ${c.recordsRead === 0 ? "read nothing" : `processed ${thousands(Math.round(cv.processedPerSecond))} records/s`} after warmup`]
          : []),
      ];
      return `${said}${after.length > 0 ? `; ${after.join("; ")}` : ""}.`;
    }
    case "output stream": {
      const w = r.writers.find((x) => x.consumer === c.name)!;
      const lag = `records waited up to ${age(c.maxOldestUnprocessedAge)} unprocessed`;
      const p = cv.processor;
      const throttled = w.attempts > 0 ? (100 * w.throttledAttempts) / w.attempts : 0;
      // Judged by its record processor (its puts slow, not throttled): what it waited for, on the shard that lags most.
      const what = throttled > 1 || !p ? `, which throttled ${pct(throttled, 1)} of its put attempts` : "";
      const there = p ? `; ${shardWords(p)}, its record processor waited for its puts ${pct(100 * p.busyHeld, 0)} of that quarter and processed ${pct(100 * p.busyProcessing, 0)}, while ${roomWords(c, p)}` : "";
      return `Consumer ${c.name} writes what it processes to ${w.stream}${what}: each batch waits until its records are in before the next batch and the checkpoint${there}${cv.fallingBehind ? `, so it falls behind (${lag})` : ` (${lag})`}.`;
    }
    case "sink": {
      // A Lambda consumer whose lanes' compute alone would take its busiest shard's records, and with their sink writes cannot.
      if (cv.shardBound) return lambdaShardBoundWords(r, c, cv, cv.shardBound);
      const sk = sinkOf(r, c.name)!;
      // Keeping up on its table's burst credit: what holds it back comes when the credit runs out.
      if (cv.onBurstCredit && sk.table?.burstCredit) {
        const ages = c.lambda
          ? `Lambda's IteratorAge at most ${age(c.maxIteratorAge)}; no record waited more than ${age(c.maxOldestUnprocessedAge)} unprocessed`
          : `iterator age at most ${age(c.maxIteratorAge)}; no record waited more than ${age(c.maxOldestUnprocessedAge)} unprocessed`;
        // The credit already out and the backlog growing since (judge.ts): it kept up only while the credit lasted.
        const kept = cv.fallingBehind ? "kept up only while its sink's burst credit lasted" : "keeps up only on its sink's burst credit";
        return `${c.lambda ? "Lambda consumer" : "Consumer"} ${c.name} ${kept} (${ages}): its sink, ${sinkDescription(sk)}, used ${pct(100 * (sk.afterWarmup.utilisation ?? 0), 0)} of its capacity after warmup, ${burstCreditWords(sk, sk.table.burstCredit)}.`;
      }
      const why = sinkTrouble(sk, c.lambda ?? null);
      const lag = `iterator age up to ${age(c.maxIteratorAge)}, records waited up to ${age(c.maxOldestUnprocessedAge)} unprocessed`;
      // The sink is the bottleneck of a consumer falling behind (by its age or its backlog's growth) only while its
      // processors wait for flushes most of the time, or its processors are left short by the flushes' time (a sink
      // verdict with the processing bound beside it).
      const heldBack = cv.fallingBehind;
      const held = heldBack ? `Consumer ${c.name} is held back by its sink, ${sinkDescription(sk)}` : `Consumer ${c.name}'s sink, ${sinkDescription(sk)}, is where it loses time or records`;
      const after = cv.fallingBehind ? `, so it falls behind (${lag})` : `; it does not fall further behind (${lag})`;
      const p = cv.processor;
      const slots = p && p.queued >= 0.005 ? ` and ${pct(100 * p.queued, 0)} for ${slotWords(c)}` : "";
      const there = p ? ` (${shardWords(p)}, its record processor ${pct(100 * p.held, 0)} of that quarter${slots}, while ${roomWords(c, p)})` : "";
      const ln = cv.sinkLanes;
      if (c.kind === "lambda" && cv.timedOutWriting) {
        // Its invocations timed out writing their batches, their own work done (judge: timedOutWriting): the sink's time.
        const fn = c.lambda!;
        const holds = discardsAtOnce(fn) ? "a timed-out batch is discarded at once, not retried (MaximumRetryAttempts 0)" : "a timed-out batch holds its shard's lane while it is retried";
        const fl = cv.failingLanes;
        const lane = fl ? ` (on ${fl.shardId}, whose records waited longest, a lane spent ${pct(100 * fl.failingShare, 0)} of the last quarter on failed invocations and the waits before their retries)` : "";
        const gone = (a.toDestination ?? 0) + (a.discarded ?? 0);
        const where = gone > 0 ? `; ${thousands(gone)} records were discarded after failing${a.toDestination ? ` (${thousands(a.toDestination)} to the on-failure destination)` : " with no on-failure destination (lost)"}${writtenFirstWords(fn)}` : "";
        const writing = fn.timeoutsWriting === fn.errors ? (fn.errors === 1 ? "it" : `all ${thousands(fn.errors)} of them`) : `${thousands(fn.timeoutsWriting)} of them`;
        const failed = `${thousands(fn.errors)} of ${thousands(fn.invocations)} invocations failed (${pct(fn.invocations > 0 ? (100 * fn.errors) / fn.invocations : 0, 1)}): ${writing} timed out at its ${formatDuration(fn.timeoutUs, "exact")} timeout while writing their batches to the sink, the function's own work taking ${formatDuration(fn.fullBatchComputeUs, "exact")} a full batch (each invocation writes its batch before it returns, so the write counts against its timeout)`;
        // Its shards blocked behind batches whose writes outlast the timeout on every try (blockedWords says which, since when).
        const blockedBy = fn.blockedBy === "sink write";
        const subject = blockedBy
          ? `Lambda consumer ${c.name} is blocked by its sink's writes, ${sinkDescription(sk)}`
          : heldBack
            ? `Lambda consumer ${c.name} is held back by its sink, ${sinkDescription(sk)}`
            : `Lambda consumer ${c.name}'s sink, ${sinkDescription(sk)}, makes its invocations time out`;
        return `${subject}: ${failed}; ${holds}${lane}${where}${why.length > 0 ? `; ${why.join("; ")}` : ""}; Lambda's IteratorAge reached ${age(c.maxIteratorAge)}.`;
      }
      if (c.kind === "lambda") {
        const hot = ln ? ` (on ${ln.shardId}, whose records waited longest, a lane waited for flushes ${pct(100 * ln.waitShare, 0)} of the last quarter)` : "";
        return `${held}: ${sinkWritesWords(c.lambda!, sk, cv.processedPerSecond)}${why.length > 0 ? `${why.join("; ")}; ` : ""}each invocation writes its batch before it returns, and the function's lanes spent ${pct(100 * sk.afterWarmup.waitShare, 0)} of their time waiting for flushes${hot}${after}.${sinkBoundRemedyWords(r, c, cv)}`;
      }
      // Processing that could not keep up even with no waiting binds too: relaxing the sink alone leaves it behind (helper-57).
      const bound = cv.processingBound;
      const arriving = cv.arrivingPerSecond;
      const sinkWait = sk.afterWarmup.waitShare;
      const enough =
        heldBack && bound !== undefined && arriving !== undefined && bound >= arriving && sinkWait >= SINK_WAIT_NOTED
          ? `; with no waiting its record processors could keep up: at most ${formatRate(bound, "records")} ${BOUND_HOW}, over the ${formatRate(arriving, "records")} arriving`
          : "";
      const also =
        cv.fallingBehind && bound !== undefined && arriving !== undefined && bound < arriving
          ? `; and its record processors could not keep up even with no waiting: at most ${formatRate(bound, "records")} ${BOUND_HOW}, under the ${formatRate(arriving, "records")} arriving`
          : "";
      return `${held}: ${why.length > 0 ? `${why.join("; ")}; ` : ""}each flush holds its record processor until it is written (no next batch, no checkpoint), and the record processors spent ${pct(100 * sk.afterWarmup.waitShare, 0)} of their time waiting for flushes${there}${after}${also}${enough}.`;
    }
    case "catch-up after a fault": {
      const f = cv.fault!;
      const p = cv.processor;
      if (p && cv.outputCatchUp) {
        // Held by its puts to the output stream, throttled in the catch-up, longer than it processed: they set its pace.
        return `Consumer ${c.name} has not caught up since the ${FAULT_WORDS[f.kind]} at ${clock(f.atUs)} (${unreadWords(c)}): ${shardWords(p)}, its record processor waited for its puts to ${cv.outputCatchUp.stream} ${pct(100 * p.busyHeld, 0)} of that quarter and processed ${pct(100 * p.busyProcessing, 0)}, while ${roomWords(c, p)}: its puts set how fast it catches up; its oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)} old.`;
      }
      if (p) {
        // Judged by its record processor: it processes faster than records arrive, but has not worked off the backlog the fault left.
        return `Consumer ${c.name} has not caught up since the ${FAULT_WORDS[f.kind]} at ${clock(f.atUs)} (${unreadWords(c)}): ${shardWords(p)}, its record processor was busy processing ${pct(100 * p.busyProcessing, 0)} of that quarter, at ${thousands(Math.round(p.capacityPerSecond ?? 0))} records a second of processing, over the ${thousands(Math.round(p.incomingPerSecond ?? 0))} records/s the shard took in that quarter, and ${roomWords(c, p)}: processing sets how fast it catches up; its oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)} old.`;
      }
      if (cv.readThrottledPercent <= 1 || f.kind === "function-errors" || f.steadyThrottles || f.outputOnly) {
        // Judged by the lag the fault left, with no steady limit and no throttled reads to speak of (or a Lambda
        // consumer's error burst, whose backlog it works off faster than records arrive; or reads refused about as
        // often before the fault, while it kept up).
        const recovered = recoveredWords(r, c, f);
        const what = faultWhat(r, c, f);
        const refused =
          cv.readThrottledPercent > 1 && f.kind !== "function-errors" && !f.outputOnly
            ? `; ${cv.readThrottledPercent.toFixed(1)}% of its GetRecords calls were throttled, before the ${FAULT_WORDS[f.kind]} too (at least half as often a second as after it), while its records waited under a minute`
            : "";
        return `Consumer ${c.name} fell behind after the ${FAULT_WORDS[f.kind]} at ${clock(f.atUs)} (${what ? `${what}; ` : ""}records waited up to ${age(c.maxOldestUnprocessedAge)} unprocessed), and ${recovered}${refused}; no steady limit held it back.`;
      }
      const own = crashesAndRestarts(r, c.name);
      const restarts = own.filter((x) => x.kind === "worker-restart").length;
      const kinds = restarts === 0 ? "worker crashes" : restarts === own.length ? "worker restarts" : "worker crashes and restarts";
      const windows = own.length > 1 ? `catching up after its ${own.length} ${kinds} (most after the ${FAULT_WORDS[f.kind]} at ${clock(f.atUs)})` : `catching up after the ${FAULT_WORDS[f.kind]} at ${clock(f.atUs)}`;
      const elsewhere = f.throttledOutside > 0 ? `; ${thousands(f.throttledOutside)} ${f.throttledOutside === 1 ? "was" : "were"} throttled at other times` : "; none at other times";
      // The start-up's refusals beside the catch-up's (judge's catchUpFault): neither alone held 80% of them.
      const st = cv.startupThrottles;
      const startup = st ? `, and ${Math.floor(100 * st.insideShare)}% before ${clock(st.settledAtUs)}, while the stream's consumers worked off their start-up backlogs` : "";
      return `Consumer ${c.name}: ${cv.readThrottledPercent.toFixed(1)}% of its GetRecords calls were throttled, ${Math.floor(100 * f.insideShare)}% of them while ${windows} (the new lease owners read the backlog as fast as the shard allows)${startup}${elsewhere}.`;
    }
    case "shard read bytes": {
      const rd = cv.reads!;
      const read = `the polling consumers together read ${formatRate(rd.bytesPerSecond, "bytes")} from the busiest shard`;
      const why = rd.atLimit
        ? `${read}, at its shared 2 MiB/s: they need more than it.`
        : `${read} on average, under its shared 2 MiB/s; calls were refused while their shard's byte budget was overdrawn (a call returning more than the budget holds overdraws it, and the shard refuses every polling reader until the debt is repaid: a 10 MiB call blocks the next 5 s).`;
      return `Consumer ${c.name}: ${cv.readThrottledPercent.toFixed(1)}% of its GetRecords calls were throttled: ${why}`;
    }
    case "shard read calls": {
      const rd = cv.reads!;
      const asked = `the polling consumers together call the busiest shard ${rd.callsPerSecond.toFixed(2)} times a second (refused calls included)`;
      const why = rd.atLimit ? `${asked}, at or over its shared 5 calls/s.` : `${asked}, under its shared 5 calls/s, but bunched: at times more than 5 fall within a second.`;
      return `Consumer ${c.name}: ${cv.readThrottledPercent.toFixed(1)}% of its GetRecords calls were throttled: ${why}`;
    }
    case "fetch size": {
      const f = cv.fetch!;
      const spec = r.scenario.consumers.find((x) => x.name === c.name);
      const poll = spec?.kind === "kcl" ? spec.poll : null;
      const calls = poll
        ? `each GetRecords call returns at most ${thousands(poll.maxRecords)} records, and the next call comes ${formatDuration(poll.interval, "rough")} after its response, about ${thousands(Math.round(pollRoundUs({ poll }) / 1_000))} ms a round with the call's mean round trip (poll.maxRecords, poll.interval, poll.latency)`
        : "its calls";
      // Judged on the shard whose records waited longest (its reads at the bound): that shard's figures, in Kinesis records
      // as the bound is (a KPL aggregate is one).
      const p = cv.processor;
      const read = f.shardReadPerSecond;
      const shard =
        p && read !== undefined
          ? `; ${shardWords(p)}, its calls brought ${formatRate(read, "records")} in that quarter, ${pct((100 * read) / f.boundPerSecond, 0)} of that, and its record processor waited for records ${pct(100 * p.idle, 0)} of it`
          : "";
      return `Consumer ${c.name} falls further behind: ${calls}, so a shard is read at most ${formatRate(f.boundPerSecond, "records")}, while its busiest shard takes ${formatRate(f.busiestPerSecond, "records")}${shard}; its oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)} old.`;
    }
    case "processing": {
      // A Flink job: its busiest subtask processes the batches of all its shards in one thread.
      const p = c.processor;
      const busiest = p?.engine === "flink" ? Math.max(...p.shardsPerWorker) : 0;
      const subtask = p?.engine === "flink" ? `; its busiest subtask holds ${busiest} of ${p.shardsPerWorker.reduce((a, b) => a + b, 0)} shards and processes their batches one at a time` : "";
      const wait = sinkOf(r, c.name)?.afterWarmup.waitShare ?? 0;
      // With a sink whose flushes hold the processors, their bound is what is left of it: say both, and whether processing
      // alone could keep up (helper-57: 439 records/s was "about all … at most 769", with 43% of the time waiting for flushes).
      const bound = cv.processingBound;
      const arriving = cv.arrivingPerSecond;
      const most = bound === undefined ? "" : `at most ${thousands(Math.round(bound))}`;
      // (With no waiting enough for what arrives, the judge names the sink instead.)
      const busy =
        bound === undefined
          ? ""
          : wait < SINK_WAIT_NOTED
            ? `, about all its record processors can: ${most} ${BOUND_HOW}`
            : `, about all its record processors can in the time its sink's flushes leave them (they waited for its sink's flushes ${pct(100 * wait, 0)} of their time): ${most} with no waiting ` +
              BOUND_HOW +
              (arriving !== undefined && bound < arriving ? `, under the ${formatRate(arriving, "records")} arriving, so a faster sink alone would not keep it up` : "");
      return `Consumer ${c.name} falls further behind: its oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)} old; it processes ${thousands(Math.round(cv.processedPerSecond))} records/s${subtask}${busy}${cv.processor ? processorClause(r, c, cv, cv.processor) : ""}.`;
    }
    case "function concurrency": {
      const fn = c.lambda!;
      const tl = cv.throttledLanes;
      const lane = tl ? ` (on ${tl.shardId}, whose records waited longest, a lane spent ${pct(100 * tl.waitShare, 0)} of the last quarter waiting to try throttled invocations again)` : "";
      return `Lambda consumer ${c.name}: the function's concurrency limit (${thousands(fn.concurrencyLimit)}) throttled ${thousands(fn.throttles)} of ${thousands(fn.invocations + fn.throttles)} invocations tried (${pct((100 * fn.throttles) / (fn.invocations + fn.throttles), 1)})${lane}; the mapping wants up to ${thousands(fn.concurrentBatchesPerShard)} at once per shard, and the oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)}.`;
    }
    case "function errors": {
      const fn = c.lambda!;
      const gone = (a.toDestination ?? 0) + (a.discarded ?? 0);
      const where = gone > 0 ? `; ${thousands(gone)} records were discarded after failing${a.toDestination ? ` (${thousands(a.toDestination)} to the on-failure destination)` : " with no on-failure destination (lost)"}${writtenFirstWords(fn)}` : "";
      const byAge = byAgeWords(c, (one) => (one ? "record behind them was" : "records behind them were"));
      const fl = cv.failingLanes;
      const lane = fl ? ` (on ${fl.shardId}, whose records waited longest, a lane spent ${pct(100 * fl.failingShare, 0)} of the last quarter on failed invocations and the waits before their retries)` : "";
      const failedShare = `${thousands(fn.errors)} of ${thousands(fn.invocations)} invocations failed (${pct(fn.invocations > 0 ? (100 * fn.errors) / fn.invocations : 0, 1)}${timedOutWords(fn)})`;
      // Its function failing every invocation at the end, its shards blocked (blockedWords says how).
      if (fn.blockedBy === "function errors") {
        const nothing = cv.processedPerSecond === 0 ? ", and it processed no record after warmup" : "";
        return `Lambda consumer ${c.name} is blocked by its function's ${fn.blockedByTimeout ? "timeouts" : "errors"}: ${failedShare}${nothing}; a failing batch holds its shard's lane while it is retried${lane}${where}${byAge}; Lambda's IteratorAge reached ${age(c.maxIteratorAge)}.`;
      }
      // With MaximumRetryAttempts 0 (no bisection) nothing is retried: a failing batch is given up at once (helper-65's 4).
      const holds = discardsAtOnce(fn) ? `a ${allTimedOut(fn) ? "timed-out" : "failing"} batch is discarded at once, not retried (MaximumRetryAttempts 0)` : "a failing batch holds its shard's lane while it is retried";
      return `Lambda consumer ${c.name}: ${failedShare}; ${holds}${lane}${where}${byAge}; Lambda's IteratorAge reached ${age(c.maxIteratorAge)}.`;
    }
    case "function duration": {
      const fn = c.lambda!;
      const byAge = byAgeWords(c, (one) => (one ? "record was" : "records were"));
      const batches = `${fn.concurrentBatchesPerShard} concurrent ${fn.concurrentBatchesPerShard === 1 ? "batch" : "batches"}`;
      // The batches it runs at once: its shards' lanes, or the concurrency limit when that is lower (helper-57's 8).
      const atOnce = fn.boundBatches < fn.concurrencyLimit ? `shards × ${batches}` : `its concurrency limit, ${thousands(fn.concurrencyLimit)} batches at once,`;
      const bound = `the function can do at most ${thousands(Math.round(fn.throughputBound))} records/s (${atOnce} × ${laneBatchWords(fn)})`;
      const processes = `it processes ${thousands(Math.round(cv.processedPerSecond))} records/s`;
      const sb = cv.shardBound;
      if (sb) return lambdaShardBoundWords(r, c, cv, sb);
      const bl = cv.busyLanes;
      if (bl) {
        const one = `each lane takes one batch of at most ${thousands(fn.batchSize)} records at a time, ${fn.concurrentBatchesPerShard} ${fn.concurrentBatchesPerShard === 1 ? "lane" : "lanes"} a shard`;
        return `Lambda consumer ${c.name} falls behind on ${bl.shardId}, whose records waited longest: a lane there was busy with batches ${pct(100 * bl.busyShare, 0)} of the last quarter (${one}), so the shard's reads wait for its lanes; ${processes} in all, and the oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)}${byAge}${someTimedOutWords(fn)}.`;
      }
      if (cv.fallingBehind) return `Lambda consumer ${c.name} falls behind: ${processes}, and ${bound}; the oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)}${byAge}${someTimedOutWords(fn)}.`;
      // It ran at its bound in some step (a spike, or records aged out then), and does not fall further behind.
      // Whether it falls further behind is the backlog's to say, not the bound's (helper-100: a hot key's lane held a shard
      // at 289 of its 400 records/s, its backlog growing, and this read "does not fall further behind"): a backlog growing
      // at the end makes it fall behind (fallingBehind), so here it does not grow.
      if (cv.atBound)
        return `Lambda consumer ${c.name} fell behind while it ran at its function's bound: ${bound}, and ${processes} on average; the oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)}${byAge}, and it does not fall further behind.`;
      // Records aged out while it never ran at its bound (a failing batch retried on its shard, or one shard at its own
      // share of the bound): what happened, without a cause the numbers do not show.
      return `Lambda consumer ${c.name} skipped records for their age while under its function's bound: ${processes} on average, and ${bound}; the oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)}${byAge}.`;
    }
    case "skipped records": {
      const s = warmup?.skips.find((x) => x.of === c.name);
      const when = s ? `, between ${clock(s.fromUs)} and ${clock(s.untilUs)}` : "";
      // The faults of its workers after which it skipped (their skips counted until its next fault), and why it did.
      const faults = r.faults.filter((f) => f.target === c.name && f.effect?.kind === "lag" && f.effect.skipped > 0);
      const after = faults.length > 0 ? `, after the ${andList(faults.map((f) => `${FAULT_WORDS[f.kind]} at ${clock(f.atUs)}`))}` : "";
      const why = skippedCauseWords(r, c.name);
      const cause = why ? `: it ${why.cause}` : ": a lease changed hands with no checkpoint and the new owner started at LATEST";
      // An application that checkpoints skipped them only because a lease moved before its first checkpoint: a sooner one.
      const spec = kclAppSpec(r, c.name);
      const first = spec && !neverCheckpoints(spec) ? "A first checkpoint before the lease moved" : "Checkpointing";
      const remedy = why ? ` ${first}, or \`initialPosition: TRIM_HORIZON\` at the cost of reprocessing, would have kept them (Faults).` : "";
      // What it processed against what arrived for it after warmup, and the skips' share of the difference (helper-106:
      // 1,778 of 1,999 records/s, 218 a second of them skipped, read "held back by shard read bytes").
      const seconds = (r.durationUs - r.warmupUs) / 1e6;
      const rate =
        seconds > 0
          ? ` It processed ${formatRate(cv.processedPerSecond, "records")} after warmup, of the ${formatRate(c.lostAfterWarmup.accepted / seconds, "records")} that arrived for it; the skipped records are ${formatRate(c.skippedAfterWarmup / seconds, "records")} of those.`
          : "";
      return `Consumer ${c.name} skipped ${thousands(c.skippedAfterWarmup)} records after warmup${when}${after} (${thousands(a.skipped)} in the whole run), never processing them${cause}.${rate}${remedy}`;
    }
    case "none": {
      const s = warmup?.skips.find((x) => x.of === c.name && x.startup);
      const skipped = s
        ? `; it skipped ${thousands(s.records)} records between ${clock(s.fromUs)} and ${clock(s.untilUs)}, while its workers balanced the leases at start (a lease stolen before its first checkpoint starts the new owner at LATEST)`
        : "";
      const ages = c.lambda
        ? `Lambda's IteratorAge at most ${age(c.maxIteratorAge)}; no record waited more than ${age(c.maxOldestUnprocessedAge)} unprocessed`
        : `iterator age at most ${age(c.maxIteratorAge)}; no record waited more than ${age(c.maxOldestUnprocessedAge)} unprocessed`;
      const who = `${c.lambda ? "Lambda consumer" : "Consumer"} ${c.name}`;
      // A fault of its own put it behind: no steady bottleneck, but it did not keep up then (helper-62: "keeps up
      // (iterator age at most 3.6 min …)" after a crash).
      const b = cv.behindAfter;
      if (b) {
        const what = faultWhat(r, c, b);
        return `${who} has no steady bottleneck; the ${FAULT_WORDS[b.kind]} at ${clock(b.atUs)} left it behind${what ? ` (${what})` : ""}, and ${recoveredWords(r, c, b)} (${ages})${skipped}.`;
      }
      if (c.lambda) return `${who} keeps up (${ages}).`;
      return `${who} keeps up (${ages})${skipped}.`;
    }
  }
}

/** " and 12.5 ms a record writing" (a write's time a record, its requests' shared: LambdaResult.writeTime) with a sink whose write grows with its records; "" otherwise. */
function writeARecord(fn: NonNullable<ConsumerResult["lambda"]>): string {
  const w = fn.writeTime;
  const us = w ? w.perRequestUs / w.recordsPerRequest + w.perRecordUs : 0;
  return us > 0 ? ` and ${formatDuration(us, "exact")} a record writing it to its sink` : "";
}

/**
 * The batch a lane's bound counts: "100 records ÷ a batch's mean duration" (and writeIncluded), or its cut tries counted
 * (cutTries); when a full batch's mean duration is over the timeout and it is retried whole, the batch counted instead:
 * the one that processes the most a second, its cut tries counted (LambdaResult laneBatchRecords and laneTry; helper-112:
 * 100 records in 1.42 s read 70.4 a lane where only batches of up to 64 end in time; helper-124: that batch was chosen,
 * and worded, by its mean duration though the bound counted its cut tries).
 */
export function laneBatchWords(fn: NonNullable<ConsumerResult["lambda"]>): string {
  const full = `${thousands(fn.batchSize)} records ÷ a batch's mean duration${writeIncluded(fn)}`;
  if (fn.laneBatchRecords >= fn.batchSize) return cutTries(fn) ?? full;
  const time = (us: number) => formatDuration(us, "exact");
  const d = fn.fullBatchComputeUs + fn.fullBatchWriteUs;
  const fullCut = 1 - fn.laneTry.fullInTime;
  const so = fullCut >= 1 - 1e-9 ? "so it never finishes" : `so ${pct(100 * fullCut, 1)} of its tries are cut there`;
  const why = `a full batch of ${thousands(fn.batchSize)} takes ${time(d)} on average, over its ${time(fn.timeoutUs)} timeout, ${so} (Lambda retries a timed-out batch whole)`;
  if (fn.laneBatchRecords <= 0) return `0: ${why}, and no smaller batch ends within it either`;
  const b = fn.laneBatchRecords;
  const of = `of the batches of at most ${thousands(fn.batchSize)} records, a batch of ${thousands(b)} processes the most a second`;
  const cut = 1 - fn.laneTry.inTime;
  const every = (1e6 * b * fn.userRecordsPerRecord) / fn.laneThroughput;
  if (cut < 0.0005) return `${thousands(b)} records ÷ that batch's mean duration, ${time(every)}: ${why}; ${of}`;
  return `${thousands(b)} records ÷ ${time(every)}, the lane's mean time for each batch of ${thousands(b)} it finishes (${pct(100 * cut, 1)} of its tries outlast the timeout, each holding the lane ${time(fn.timeoutUs)} and the retry delay): ${why}; ${of}, its cut tries counted`;
}

/**
 * A full batch whose tries the timeout cuts (its durations vary, or its sink's writes do: LambdaResult.laneTry, at least
 * 0.05% of them; or, bisected, its mean duration is over the timeout): "1,000 records ÷ 3.11 s, the lane's mean time for
 * each full batch it finishes: …", the cut tries counted (helper-116: the bound read 1,640 records/s by the mean duration
 * alone, and the run processed 1,324); null when none is.
 */
function cutTries(fn: NonNullable<ConsumerResult["lambda"]>): string | null {
  const cut = 1 - fn.laneTry.inTime;
  if (cut < 0.0005 || !Number.isFinite(fn.laneTry.batchEveryUs)) return null;
  const time = (us: number) => formatDuration(us, "exact");
  const mean = fn.fullBatchComputeUs + fn.fullBatchWriteUs;
  const write = fn.fullBatchWriteUs > 0 ? `, its sink write included (${time(fn.fullBatchComputeUs)} of work and ${time(fn.fullBatchWriteUs)} writing it, the sink not throttled)` : "";
  const head = `${thousands(fn.batchSize)} records ÷ ${time(fn.laneTry.batchEveryUs)}, the lane's mean time for each full batch it finishes: a batch's mean duration is ${time(mean)}${write}`;
  // Bisected, a full batch over the timeout is still taken whole each time, then split (laneBatchWithin).
  if (mean > fn.timeoutUs && fn.bisectBatchOnFunctionError) {
    const tries = cut >= 1 - 1e-9 ? "every try of it is cut there" : `${pct(100 * cut, 1)} of its tries are cut there`;
    return `${head}, over its ${time(fn.timeoutUs)} timeout: ${tries}, holding the lane ${time(fn.timeoutUs)}, and after the retry delay it is split in halves tried in turn (BisectBatchOnFunctionError), each half the timeout cuts split again`;
  }
  const vary = fn.fullBatchWriteUs > 0 ? "as its durations and its sink's writes vary" : "as its durations vary";
  const then = fn.bisectBatchOnFunctionError ? "its batch then split in halves and tried again" : "its batch then tried again whole";
  return `${head}, but ${pct(100 * cut, 1)} of its tries outlast its ${time(fn.timeoutUs)} timeout, ${vary}, each holding the lane ${time(fn.timeoutUs)} and the retry delay, ${then}`;
}

/** ", its sink write included (20 ms of work and 500 ms writing it, the sink not throttled)" for a Lambda consumer with a sink; "" without. */
function writeIncluded(fn: NonNullable<ConsumerResult["lambda"]>): string {
  if (fn.fullBatchWriteUs <= 0) return "";
  const time = (us: number) => formatDuration(us, "exact");
  return `, its sink write included: ${time(fn.fullBatchComputeUs)} of work and ${time(fn.fullBatchWriteUs)} writing a full batch, the sink not throttled`;
}

/**
 * A Lambda consumer whose busiest shard takes more than its lanes process (ConsumerVerdict.shardBound): how many shards,
 * the shard's rate against its lanes' bound (a full batch's compute and, with a sink, its write: each invocation writes
 * its batch before it returns), and what would let it keep up. With a sink whose write makes the difference (the lanes'
 * compute alone would take the shard's records: the "sink" verdict), it says so, with both rates.
 */
function lambdaShardBoundWords(r: RunResult, c: ConsumerResult, cv: ConsumerJudgement, sb: NonNullable<ConsumerJudgement["shardBound"]>): string {
  const fn = c.lambda!;
  const age = (us: number) => formatDuration(us, us >= 3_600_000_000 ? "exact" : "tenths");
  const byAge = byAgeWords(c, (one) => (one ? "record was" : "records were"));
  const batches = `${fn.concurrentBatchesPerShard} concurrent ${fn.concurrentBatchesPerShard === 1 ? "batch" : "batches"}`;
  const processes = `it processes ${thousands(Math.round(cv.processedPerSecond))} records/s`;
  const lanes = `${batches} × ${laneBatchWords(fn)}`;
  const how = cv.fallingBehind ? "falls behind" : "is held back";
  // How many shards, not only the worst (helper-94: 20 of 40 behind read as behind on one).
  const where = sb.shardsBehind > 1 ? `${how} on ${thousands(sb.shardsBehind)} of its ${thousands(sb.shards)} shards (their records waited over a minute), worst on ${sb.shardId}` : `${how} on ${sb.shardId}`;
  const others = sb.shardsOver > 1 ? `; ${thousands(sb.shardsOver)} of the ${thousands(sb.shards)} shards took more than that (the median shard ${formatRate(sb.medianPerSecond, "records")})` : "";
  const w = sb.write;
  const byWrite = cv.bottleneck === "sink" && w !== undefined;
  const sk = byWrite ? sinkOf(r, c.name) : undefined;
  const because = byWrite ? `, held back by its sink's writes${sk ? ` to ${sinkDescription(sk)}` : ""}` : "";
  const without = byWrite
    ? `; the sink write is what makes it fall short: each invocation writes its batch before it returns, and without the ${formatDuration(w.fullBatchWriteUs, "exact")} a full batch's write takes, its lanes would process ${formatRate(w.computeOnlyPerSecond, "records")}`
    : "";
  return `Lambda consumer ${c.name} ${where}${because}: its records waited up to ${age(sb.oldestUnprocessedAgeUs)}; it took ${formatRate(sb.incomingPerSecond, "records")}, over the ${formatRate(sb.boundPerSecond, "records")} the function can process on a shard (${lanes})${others}${without}; ${processes} in all${byAge}. ${lambdaRemedyWords(r, c, sb)}`;
}

/**
 * What would let a Lambda consumer's lanes take its busiest shard's records, each remedy alone (ConsumerVerdict.shardBound's
 * remedy): a parallelization factor, a larger batch, a faster function, the shard split; what would not; and a key too
 * busy for one lane, which Lambda keeps in one lane (in order) however many lanes or shards there are.
 */
function lambdaRemedyWords(r: RunResult, c: ConsumerResult, sb: NonNullable<ConsumerJudgement["shardBound"]>): string {
  const fn = c.lambda!;
  const m = sb.remedy;
  const spec = r.scenario.consumers.find((x) => x.name === c.name);
  const d = spec?.kind === "lambda" ? spec.function.duration : null;
  const lane = fn.laneThroughput;
  const time = (us: number) => formatDuration(us, "exact");
  // A bound to stay under, shown no higher than it is (0.1 ms steps from 1 ms, whole µs below).
  const under = (us: number) => time(us >= 1_000 ? Math.floor(us / 100) * 100 : Math.floor(us));
  // The shard's rate the remedies are sized to: its mean, or what an end-to-end p99 SLO needs through its peaks (lambdaRemedy).
  const target = m.targetPerSecond;
  // A key on the shard judged too busy for one lane: more lanes or shards do not help that shard on Lambda.
  const k = sb.hotKey;
  const keyHere = k !== undefined && k.shardId === sb.shardId;
  const would: string[] = [];
  const wouldNot: string[] = [];
  // A sink writing one batch at a time for all the lanes, short of the consumer's records at the batch in force: the lane
  // remedies go with the batch at which it is not (m.lanesAtBatch), or, at none, are not offered (sinkLimitWords says why).
  const sinkShort = m.sink !== null && !m.sink.carries;
  const sinkBlocks = sinkShort && m.lanesAtBatch === null;
  const withBatch = sinkShort && m.lanesAtBatch !== null ? ` with a batch of ${thousands(m.lanesAtBatch)} records` : "";
  const laneAt = sinkShort && m.lanePerSecond !== null ? m.lanePerSecond : lane;
  const carried = sinkShort && m.sink!.batchSizePerSecond !== null ? `; ${sinkName(r, c).then} ${formatRate(m.sink!.batchSizePerSecond, "records")}` : "";
  if (sinkBlocks) {
    // No lane remedy gets past the sink: said by sinkLimitWords.
  } else if (m.parallelization !== null && !keyHere) {
    const conc = m.concurrencyNeeded !== null && m.concurrencyNeeded > fn.concurrencyLimit ? `, up to ${thousands(m.concurrencyNeeded)} concurrent executions, over its concurrency limit of ${thousands(fn.concurrencyLimit)}` : "";
    would.push(`a parallelization factor of ${m.parallelization}${withBatch} (${m.parallelization} lanes a shard, ${formatRate(m.parallelization * laneAt, "records")}${conc}${carried})`);
  } else if (!keyHere) {
    const keys = spec?.kind === "lambda" ? spec.partitionKeysPerShard : undefined;
    wouldNot.push(keys !== undefined && keys < LAMBDA_ESM_PARALLELIZATION_MAX ? `more lanes (its shards' ${thousands(keys)} partition keys allow at most ${thousands(keys)})` : `a parallelization factor up to ${LAMBDA_ESM_PARALLELIZATION_MAX}${withBatch} (${formatRate(LAMBDA_ESM_PARALLELIZATION_MAX * laneAt, "records")} a shard)`);
  }
  // With a sink, each batch's write besides (LambdaResult.writeTime): a remedy counts it (lambdaRemedy).
  const writes = fn.fullBatchWriteUs > 0 ? ` and ${time(fn.fullBatchWriteUs)} writing a full batch to its sink` : "";
  if (sinkBlocks) {
    // As above.
  } else if (m.perRecordUs !== null && d) would.push(`a function under ${under(m.perRecordUs)} a record${withBatch} (it takes ${time(d.perRecord)} a record and ${time(d.perInvocation)} an invocation${writes}${carried})`);
  else if (d)
    wouldNot.push(
      `a faster time a record: ${time(d.perInvocation)} an invocation${writes ? `${writes} are` : " alone is"} more than a batch of ${thousands(m.lanesAtBatch ?? fn.batchSize)} may take (${time((1e6 * (m.lanesAtBatch ?? fn.batchSize) * fn.concurrentBatchesPerShard) / target)} for ${formatRate(target, "records")})`,
    );
  if (m.batchSize !== null)
    would.push(
      `a batch of ${thousands(m.batchSize)} records (a lane then ${formatRate(m.batchSizePerSecond ?? 0, "records")}${writes ? `, its ${m.batchSize < fn.batchSize ? "smaller" : "larger"} write included` : ""}${m.batchSize < fn.batchSize ? `, within its ${time(fn.timeoutUs)} timeout` : ""}${sinkShort && m.batchSizeSinkPerSecond !== null ? `; ${sinkName(r, c).then} ${formatRate(m.batchSizeSinkPerSecond, "records")}` : ""})`,
    );
  // A full batch already over the timeout: a larger one is too (laneBatchWords said so).
  else if (fn.laneBatchRecords < fn.batchSize) wouldNot.push(`a larger batch (a full batch already outlasts its ${time(fn.timeoutUs)} timeout)`);
  else if (d && target / fn.concurrentBatchesPerShard >= m.laneCeilingPerSecond)
    wouldNot.push(`a larger batch (at ${time(d.perRecord)} a record${writeARecord(fn)} a lane processes under ${formatRate(m.laneCeilingPerSecond, "records")}, whatever its batch)`);
  else wouldNot.push(`a larger batch within ${thousands(LAMBDA_ESM_BATCH_SIZE_MAX)} records and the 6 MB payload`);
  if (!keyHere && !sinkBlocks) would.push(`more shards, ${sb.shardId}'s records split over ${m.splitInto}${withBatch} (as far as its keys spread)`);
  const spare = `${Math.round(100 * (REMEDY_HEADROOM - 1))}% to spare`;
  const slo = m.slo;
  const reach = slo !== null && Number.isFinite(slo.perSecond);
  const goal = reach ? `keep up and meet the ${time(slo.p99Us)} end-to-end p99 SLO through its peaks, with ${spare} (${sloNeedWords(slo, fn.batchingWindowUs)})` : `keep up with ${spare}`;
  const yes = would.length > 0 ? ` What would let ${sb.shardId}'s lanes ${goal}, each alone: ${would.join("; or ")}.` : "";
  // The SLO under what a record takes once read: no rate of the lanes meets it.
  const none =
    slo !== null && !reach
      ? ` At its batches' present time no rate of its lanes meets the ${time(slo.p99Us)} end-to-end p99 SLO: a record takes ${time(slo.baseUs)} once read (${fn.batchingWindowUs > 0 ? `the ${time(fn.batchingWindowUs)} batching window and ` : ""}the lane's ${time(slo.baseUs - fn.batchingWindowUs)} for a batch), over it; only ${fn.batchingWindowUs > 0 ? "a shorter batching window or " : ""}batches that take less time (smaller, or a faster function) would.`
      : "";
  const no = wouldNot.length > 0 ? ` Not ${wouldNot.join(", nor ")}.` : "";
  // Lambda keeps a key's records in one lane, and so does the run (src/model/lambda/keyLanes.ts).
  const busy = k ? `\`${k.key}\` alone takes ${formatRate(k.perSecond, "records")} on ${k.shardId}, over the ${formatRate(k.lanePerSecond, "records")} a lane processes` : "";
  const order = "Lambda keeps each partition key's records in one lane, in order (so does this run)";
  const key = !k ? "" : keyHere ? ` Nor more lanes or shards: ${order}, and ${busy}.` : ` But ${order}: ${busy}, which no parallelization factor or shard count changes.`;
  return `${yes}${none}${sinkLimitWords(r, c, sb)}${no}${key}`.trimStart();
}

/** How the report names a sink that writes one batch at a time for all the lanes: its server, what it runs, and what a write is. */
function sinkName(r: RunResult, c: ConsumerResult): { server: string; then: string; write: string; writes: string } {
  return sinkOf(r, c.name)?.kind === "opensearch"
    ? { server: "its domain indexes one bulk request", then: "its domain then indexes", write: "a bulk request", writes: "indexes" }
    : { server: "its cluster runs one COPY", then: "its cluster then loads", write: "a COPY", writes: "loads" };
}

/**
 * For lanes over their bound whose sink writes one batch at a time for all of them (LambdaRemedy.sink), when it is short
 * of the consumer's records at the batch in force: " Its cluster runs one COPY at a time for all the lanes of its 8
 * shards: at batches of 100 records it loads at most 400 records/s (100 records ÷ 250 ms a COPY), under the 528 records/s
 * they need (their 480 records/s with 10% to spare), so more lanes, a faster function or more shards alone would leave
 * the consumer held back by its sink; a batch of at least 132 records would raise that to 528 records/s (the lane
 * remedies above go with it), as would a COPY of a batch of 100 records under 189.3 ms (it takes 250 ms)." Empty otherwise.
 */
function sinkLimitWords(r: RunResult, c: ConsumerResult, sb: NonNullable<ConsumerJudgement["shardBound"]>): string {
  const m = sb.remedy;
  const sl = m.sink;
  if (!sl || sl.carries) return "";
  const fn = c.lambda!;
  const n = sinkName(r, c);
  const time = (us: number) => formatDuration(us, "exact");
  const batch = thousands(fn.laneBatchRecords);
  const spare = `${Math.round(100 * (REMEDY_HEADROOM - 1))}% to spare`;
  const e2e = r.scenario.slo.endToEndP99;
  const need = `${formatRate(sl.streamPerSecond, "records")}${sl.throughPeaks && e2e !== undefined ? ` through their peaks for the ${time(e2e)} end-to-end p99 SLO` : ""} with ${spare}`;
  const at = `${n.server} at a time for all the lanes of its ${thousands(sb.shards)} ${sb.shards === 1 ? "shard" : "shards"}: at batches of ${batch} records it ${n.writes} at most ${formatRate(sl.perSecond, "records")} (${thousands(sl.batchUsers)} records ÷ ${time(sl.writeUs)} ${n.write}), under the ${formatRate(sl.needPerSecond, "records")} they need (their ${need})`;
  const faster = fasterWriteWords(r, c, sl);
  const ceiling = sinkCeilingWords(r, c, sl);
  const raise =
    sl.batchSize !== null
      ? `a batch of at least ${thousands(sl.batchSize)} records would raise that to ${formatRate(sl.batchSizePerSecond ?? 0, "records")} (the lane remedies above go with it), as would ${faster}`
      : `no batch would raise that enough (within ${thousands(LAMBDA_ESM_BATCH_SIZE_MAX)} records, the 6 MB payload and its ${time(fn.timeoutUs)} timeout${ceiling}); ${faster} would`;
  const cap = `${at.charAt(0).toUpperCase()}${at.slice(1)}`;
  return ` ${cap}, so more lanes, a faster function or more shards alone would leave the consumer held back by its sink; ${raise}.`;
}

/** A Redshift sink's COPY settings (copy.fixed + copy.perMiB × its MiB), null for another sink. */
function copyOf(r: RunResult, c: ConsumerResult): { fixed: number; perMiB: number } | null {
  const spec = r.scenario.consumers.find((x) => x.name === c.name);
  return spec?.kind === "lambda" && spec.sink?.kind === "redshift" ? spec.sink.copy : null;
}

/**
 * The one-at-a-time write of the batch in force under which a shared sink would carry the consumer's records: "a COPY of
 * a batch of 100 records under 189.3 ms (it takes 250 ms)", with a Redshift COPY's parts when it has a time per MiB (its
 * fixed time as it is, the time per MiB under which it would do).
 */
function fasterWriteWords(r: RunResult, c: ConsumerResult, sl: NonNullable<LambdaRemedy["sink"]>, besides = ""): string {
  const n = sinkName(r, c);
  const time = (us: number) => formatDuration(us, "exact");
  // A time to stay under, shown no higher than it is (0.1 ms steps from 1 ms, whole µs below).
  const under = (us: number) => time(us >= 1_000 ? Math.floor(us / 100) * 100 : Math.floor(us));
  const copy = copyOf(r, c);
  const perMiB = (us: number) => `${formatDuration(us, "tenths")} a MiB`;
  const copyParts =
    copy && copy.perMiB > 0 && sl.writeUs > copy.fixed
      ? `: ${time(copy.fixed)} and ${perMiB(copy.perMiB)}${sl.writeUnderUs > copy.fixed ? `; at ${time(copy.fixed)}, under ${perMiB((copy.perMiB * (sl.writeUnderUs - copy.fixed)) / (sl.writeUs - copy.fixed))}` : ""}`
      : "";
  return `${n.write} of a batch of ${thousands(c.lambda!.laneBatchRecords)} records under ${under(sl.writeUnderUs)} (it takes ${time(sl.writeUs)}${copyParts}${besides})`;
}

/** ": at 4.2 ms a record (4.2 s a MiB) it loads under 238 records/s at any batch" when no batch gets a shared sink to what it must carry; "" otherwise. */
function sinkCeilingWords(r: RunResult, c: ConsumerResult, sl: NonNullable<LambdaRemedy["sink"]>): string {
  if (!(Number.isFinite(sl.ceilingPerSecond) && sl.ceilingPerSecond <= sl.needPerSecond)) return "";
  const copy = copyOf(r, c);
  return `: at ${formatDuration(1e6 / sl.ceilingPerSecond, "exact")} a record${copy ? ` (${formatDuration(copy.perMiB, "tenths")} a MiB)` : ""} it ${sinkName(r, c).writes} under ${formatRate(sl.ceilingPerSecond, "records")} at any batch`;
}

/**
 * For a Lambda consumer held back by a sink that writes one batch at a time for all its lanes (ConsumerVerdict.sinkRemedy):
 * " What would raise that to the 528 records/s its shards need (their 480 records/s with 10% to spare), with its lanes
 * taking 66 records/s on shardId-…, its busiest shard, each alone: a batch of 132 records (its cluster then loads 528 records/s;
 * a lane 85.2 records/s); or a COPY of a batch of 100 records under 189.3 ms (it takes 250 ms; a lane then 67.2
 * records/s)." Empty without one.
 */
function sinkBoundRemedyWords(r: RunResult, c: ConsumerResult, cv: ConsumerJudgement): string {
  const sr = cv.sinkRemedy;
  const sl = sr?.remedy.sink;
  if (!sr || !sl || sl.carries) return "";
  const m = sr.remedy;
  const fn = c.lambda!;
  const n = sinkName(r, c);
  const time = (us: number) => formatDuration(us, "exact");
  const spare = `${Math.round(100 * (REMEDY_HEADROOM - 1))}% to spare`;
  const e2e = r.scenario.slo.endToEndP99;
  const need = `the ${formatRate(sl.needPerSecond, "records")} its shards need (their ${formatRate(sl.streamPerSecond, "records")}${sl.throughPeaks && e2e !== undefined ? ` through their peaks for the ${time(e2e)} end-to-end p99 SLO` : ""} with ${spare})`;
  // Lane rates to a tenth: the margin between a remedy's lane and what it must take can be under one record a second.
  const rate = (x: number) => `${decimals(x, 1)} records/s`;
  const lanesFor = `${rate(m.targetPerSecond)} on ${sr.shardId}, its busiest shard (${rate(sr.incomingPerSecond)} with ${spare})`;
  const would: string[] = [];
  const factorWords = (f: number) => (f > fn.concurrentBatchesPerShard ? ` with a parallelization factor of ${f}` : "");
  if (m.batchSize !== null && m.batchSize > fn.batchSize && m.batchSizeSinkPerSecond !== null)
    would.push(`a batch of ${thousands(m.batchSize)} records (${n.then} ${formatRate(m.batchSizeSinkPerSecond, "records")}; a lane ${rate(m.batchSizePerSecond ?? 0)})`);
  else if (sl.batchSize !== null && m.lanesAtBatch === sl.batchSize && m.parallelization !== null && m.lanePerSecond !== null)
    would.push(`a batch of ${thousands(sl.batchSize)} records${factorWords(m.parallelization)} (${n.then} ${formatRate(sl.batchSizePerSecond ?? 0, "records")}; ${m.parallelization} ${m.parallelization === 1 ? "lane" : "lanes"} a shard, ${rate(m.parallelization * m.lanePerSecond)})`);
  const f = sl.writeUnderParallelization;
  if (f !== null) {
    const lanesThen = `; a lane then ${rate(sl.writeUnderLanePerSecond)}${f > 1 ? `, ${f} a shard ${rate(f * sl.writeUnderLanePerSecond)}` : ""}`;
    would.push(`${fasterWriteWords(r, c, sl, lanesThen)}${factorWords(f)}`);
  }
  const noBatch = sl.batchSize === null ? ` No batch would (within ${thousands(LAMBDA_ESM_BATCH_SIZE_MAX)} records, the 6 MB payload and its ${time(fn.timeoutUs)} timeout${sinkCeilingWords(r, c, sl)}).` : "";
  if (would.length === 0) return `${noBatch} Nothing the mapping or the function sets raises it enough with its lanes taking ${lanesFor}.`;
  return ` What would raise that to ${need}, with its lanes taking ${lanesFor}, each alone: ${would.join("; or ")}.${noBatch}`;
}

/**
 * "at least 723 records/s a shard: at 795 a second the backlog its busiest stretch leaves waits at most 12.9 s and drains
 * in 24.2 s, a p99 wait of 12.7 s, plus the 4.1 s a record takes once read" (SloNeed, by a fluid queue of the shard's arrivals).
 */
function sloNeedWords(slo: SloNeed, windowUs: number): string {
  const time = (us: number) => formatDuration(us, "tenths");
  const at = REMEDY_HEADROOM * slo.perSecond;
  const backlog = slo.longestWaitUs > 0 ? `the backlog its peaks leave waits at most ${time(slo.longestWaitUs)} and drains in ${time(slo.drainUs)}, a p99 wait of ${time(slo.p99WaitUs)}` : "no backlog builds";
  const read = windowUs > 0 ? `the ${time(windowUs)} batching window and a batch's ${time(slo.baseUs - windowUs)}` : `a batch's ${time(slo.baseUs)}`;
  return `at least ${formatRate(slo.perSecond, "records")} a shard: at ${formatRate(at, "records")} ${backlog}, plus ${time(slo.baseUs)} once read, ${read}`;
}

/** What makes a record still inside a delivery stream at the end overdue (DeliveryStream.finish). */
export const OVERDUE =
  "in longer than the delivery stream takes for them when it keeps up: its buffer intervals, its transformation's invocation, and the destination's own time for the put, bulk request or COPY under way that holds them or that they wait behind";

/** What one delivery is called at each destination. */
export const DELIVERIES = { s3: "objects", redshift: "staged objects", opensearch: "bulk requests" } as const;

const GAVE_UP = {
  s3: "given up",
  opensearch: "to the S3 backup (the OpenSearch retry duration ran out)",
  redshift: "skipped to errors/ (the Redshift COPY retry duration ran out)",
} as const;

/**
 * Flushes after warmup, from the flush series (from the first whole step after warmup, as flushEvery counts them).
 * OpenSearch bulk requests can outnumber them: a flush larger than the size hint (the buffer grew while the domain was
 * busy, or its size was raised while delivery fell behind) goes as bulk requests of at most the hint.
 */
function flushesAfterWarmup(r: RunResult, f: FirehoseResult): number {
  let n = 0;
  for (let i = Math.ceil(r.warmupUs / r.resolutionUs); i < f.series.flushesBySize.length; i++) n += f.series.flushesBySize[i]! + f.series.flushesByInterval[i]!;
  return n;
}

/**
 * DataFreshness as CloudWatch shows it for the destination; for Redshift, DeliveryToS3.DataFreshness stops at the
 * staging bucket (Firehose developer guide, "Monitoring with CloudWatch metrics": delivery to Amazon Redshift lists no
 * freshness metric of its own), so the sentence also gives the oldest record not yet loaded by COPY.
 */
function freshnessWords(f: FirehoseResult): string {
  const rough = (us: number) => formatDuration(us, "rough");
  if (f.destination !== "redshift") return `DataFreshness at most ${rough(f.maxDataFreshness)}`;
  return `DataFreshness (DeliveryToS3: to the staging bucket) at most ${rough(f.maxDataFreshness)}, the oldest record not yet loaded by COPY at most ${rough(f.maxUndeliveredAge)}`;
}

/** One sentence on a delivery stream: object size and rhythm, the binding hint, delivery p99, DataFreshness, what was not delivered and why, what was still on its way. */
function firehoseExplanation(r: RunResult, f: FirehoseResult, fv: FirehoseJudgement): string {
  const total = f.flushes.size + f.flushes.interval;
  const { binds, flushEveryUs, notDeliveredPercent, throttledPercent } = fv;
  const dp = f.directPut;

  let what: string;
  if (f.objects.count === 0) {
    what = `wrote no object after warmup (${thousands(f.incoming.records)} records came in)`;
  } else {
    const noun = DELIVERIES[f.destination];
    const every = flushEveryUs === null ? "" : ` every ~${formatDuration(flushEveryUs, "rough")}`;
    const hint =
      binds === null
        ? ""
        : binds === "interval" && f.buffer.intervalUs === 0
          ? "interval 0: no buffering"
          : `the ${binds} hint binds${f.flushes.size > 0 && f.flushes.interval > 0 ? `: ${thousands(f.flushes[binds])} of ${thousands(total)} flushes` : ""}`;
    // The model fills one buffer per delivery stream to its hints; Firehose may deliver smaller objects (the Firehose
    // section's note in report.md says when, with its sources).
    const notes = ` (${[hint, "a best case: Firehose may deliver smaller ones"].filter(Boolean).join("; ")})`;
    const size = `~${formatBytes(f.objects.bytes.mean, "rough")}`;
    if (f.destination === "opensearch") {
      // A flush is one bulk request unless it is larger than the size hint (flushesAfterWarmup): the rhythm is
      // the flushes' (helper-82: "bulk requests … every ~4.6 s" of 796 flushes that went as 849 requests).
      const flushes = flushesAfterWarmup(r, f);
      const split = f.splitRequests > 0 ? `, from ${thousands(flushes)} flushes: a flush larger than the size hint (the buffer grew, or its size was raised, while delivery fell behind) goes as several` : "";
      what = `delivers ${noun} of ${size} (${thousands(f.objects.count)} indexed after warmup${split}), its buffer flushing${every}${notes}`;
    } else {
      what = `delivers ${noun} of ${size}${every}${notes}`;
    }
  }
  const atLeast = censoredSets(f.atEnd.censored + f.atEnd.unread, f.deliveryLatency.count, "p99") ? "at least " : "";
  const latency = f.deliveryLatency.count > 0 ? `, delivery p99 ${atLeast}${formatDuration(f.deliveryLatency.p99, "rough")}` : "";
  let text = `Delivery stream ${f.name} ${what}${latency}, ${freshnessWords(f)}; ${thousands(f.notDelivered)} records not delivered`;
  if (f.notDelivered > 0) text += ` (${pct(notDeliveredPercent, 3)} of those that came in after warmup)`;
  const a = f.accounting;
  const why = [
    ...(a.processingFailed > 0 ? [`${thousands(a.processingFailed)} to processing-failed/ (${processingFailedWords(f)})`] : []),
    ...(a.gaveUp > 0 ? [`${thousands(a.gaveUp)} ${GAVE_UP[f.destination]}`] : []),
    ...(a.expired > 0 ? [`${thousands(a.expired)} lost: S3 deliveries kept failing past the retention`] : []),
  ];
  if (why.length > 0) text += `; over the whole run ${why.join(", ")}`;
  if (a.droppedByTransform > 0) text += `; ${thousands(a.droppedByTransform)} dropped by the transformation on purpose`;
  // Reads of the source stream refused often enough to hold it back: whose reads share the shards.
  if (fv.bottleneck === "source reads" && f.sourceRead) text += `; held back by its reads of ${f.source}: ${sharedReadsWords(r, f)}`;
  // Records still inside at the end are on their way unless overdue (accounting.overdue), not lost.
  const inside = a.inside.transform + a.inside.buffer + a.inside.destination;
  if (inside > 0) {
    text +=
      a.overdue === 0
        ? `; ${thousands(inside)} still on their way at the end, none overdue`
        : `; ${thousands(inside)} still inside at the end: ${thousands(inside - a.overdue)} on their way, ${thousands(a.overdue)} overdue (${OVERDUE})`;
  }
  // A transformation at its concurrency limit: it, not the hints, sets how fast records get through.
  const busy = transformBusyShare(f, r.durationUs);
  if (fv.bottleneck === "transformation" && busy !== null && busy >= TRANSFORM_SATURATED && f.transform) {
    text +=
      `; held back by its Lambda transformation: ${atOnceWords(f.transform.concurrencySteps)} ran ${pct(100 * Math.min(1, busy), 2)} of the run` +
      // Busy failing: the slots are held by invocations that fail (helper-88: every one timing out read as a slow transformation).
      `${f.transform.failedInvocations > 0 ? ` (${thousands(f.transform.failedInvocations)} of its ${thousands(f.transform.invocations)} invocations failed: ${andList(transformFailureParts(f.transform.failedInvocationsBy))})` : ""}, ` +
      `and it delivered ${formatRate(fv.deliveredRecordsPerSecond, "records")} of the ${formatRate(fv.incomingRecordsPerSecond, "records")} that came in after warmup`;
  }
  // A share of attempts: Direct PUT counts each attempt (a retried record once per try), not the records offered.
  if (dp && dp.throttled > 0) text += `; Direct PUT throttled ${pct(throttledPercent, 2)} of the put attempts, retries included (quotas ${formatRate(dp.quotas.bytes, "bytes")}, ${thousands(dp.quotas.records)} records/s, ${thousands(dp.quotas.requests)} requests/s)`;
  return `${text}.`;
}

/**
 * Why a transformation's invocations failed (TransformFailure in src/model/firehose/transform.ts), each a phrase after a
 * count: the function ran past Firehose's 5-minute limit ("Amazon Data Firehose supports a Lambda invocation time of up
 * to 5 minutes", https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html); its request or response,
 * record data in base64, passed Lambda's synchronous payload ("a payload size limit of 6 MB for both the request and
 * the response", same page); or the scenario's `lambda-errors` fault failed it.
 */
const TRANSFORM_FAILURE: Record<keyof TransformFailureCounts, string> = {
  timeout: `timed out at the ${FIREHOSE_LAMBDA_MAX_DURATION_S / 60}-minute limit`,
  payload: `over Lambda's ${formatBytes(LAMBDA_SYNC_PAYLOAD_MAX_BYTES)} payload in base64`,
  fault: "failed by a lambda-errors fault",
};

/**
 * Counts by cause in words, the causes with none left out: ["8 timed out at the 5-minute limit", "4 over Lambda's 6 MiB
 * payload in base64"]. Before, report.md's failed column and the verdict gave the count alone (stop 41).
 */
export function transformFailureParts(by: TransformFailureCounts): string[] {
  return (["timeout", "payload", "fault"] as const).filter((k) => by[k] > 0).map((k) => `${thousands(by[k])} ${TRANSFORM_FAILURE[k]}`);
}

/**
 * The records a transformation sent to processing-failed/, why: the records of batches that failed every try (NumberOfRetries
 * used up), by the cause of their last try, and those the function answered ProcessingFailed; "failed by the
 * transformation" when no batch failed every try.
 */
function processingFailedWords(f: FirehoseResult): string {
  const t = f.transform;
  if (!t || t.failedBatchRecords === 0) return "failed by the transformation";
  const by = transformFailureParts(t.failedBatchRecordsBy);
  // One cause: its words alone ("…, timed out at the 5-minute limit"); several: each with its count of records.
  const why = by.length === 1 ? `, ${TRANSFORM_FAILURE[(["timeout", "payload", "fault"] as const).find((k) => t.failedBatchRecordsBy[k] > 0)!]}` : ` (${andList(by)})`;
  const answered = t.processingFailed > 0 ? `; ${thousands(t.processingFailed)} answered ProcessingFailed by the function` : "";
  return `failed by the transformation: ${thousands(t.failedBatchRecords)} in batches that failed every try${why}${answered}`;
}

/** For a delivery stream's records failed by its transformation: why its batches failed every try (whole run), " (…)", or nothing. */
function transformCauses(f: FirehoseResult | undefined): string {
  const by = f?.transform?.failedBatchRecordsBy;
  if (!by) return "";
  const causes = (["timeout", "payload", "fault"] as const).filter((k) => by[k] > 0).map((k) => TRANSFORM_FAILURE[k]);
  return causes.length === 0 ? "" : ` (its batches that failed every try: ${andList(causes)}, whole run)`;
}

/**
 * A transformation's concurrency, for "held back by its Lambda transformation": the limit ("5 invocations at once"), or
 * its least and most when it followed the shards it read of the source stream during the run.
 */
function atOnceWords(steps: readonly { concurrency: number }[]): string {
  const values = steps.map((s) => s.concurrency);
  const least = Math.min(...values);
  const most = Math.max(...values);
  if (least === most) return `${thousands(most)} ${most === 1 ? "invocation" : "invocations"} at once (its concurrency)`;
  return `${thousands(least)} to ${thousands(most)} invocations at once (its concurrency, ${FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD} per shard read of the source stream as it resharded)`;
}

export const FAULT_WORDS: Record<FaultResult["kind"], string> = {
  "worker-crash": "worker crash",
  "worker-restart": "worker restart",
  "worker-add": "workers added",
  "kcl-migration": "KCL 2.x → 3.x migration",
  "destination-outage": "destination outage",
  "destination-slowdown": "destination slowdown",
  "lambda-errors": "Lambda errors",
  "function-errors": "function error burst",
};

/** A fault in words: what, when, and what it did (the lag or staleness it caused, when it recovered; or that it caused none to see). */
/** A KCL application's settings (kind kcl or fanout), by name; undefined for any other consumer. */
function kclAppSpec(r: RunResult, name: string): KclAppSpec | undefined {
  const s = r.scenario.consumers.find((x) => x.name === name);
  return s && (s.kind === "kcl" || s.kind === "fanout") ? s : undefined;
}

/** Records processed again by where their new lease owners started (FaultResult's lag effect: reprocessedFrom). */
type ReprocessedFrom = { checkpoint: number; trimHorizon: number; latest: number };

/**
 * Why a consumer's new lease owners processed records again, by where they started (src/model/kcl/application.ts
 * startSession): from the last checkpoint; from the oldest record their shards retain, when the lease had no checkpoint
 * — an application that never checkpoints, or one that had written none for that lease yet, at the initial position
 * TRIM_HORIZON (helper-106 and helper-125: both read "read since the last checkpoint"), or a child shard, which KCL reads
 * from TRIM_HORIZON whatever the initial position; or at LATEST, with no checkpoint, while the previous owner, yet to
 * find its lease taken, went on processing the shard: both processed the records in between. Each part with its count
 * when there are several (a KCL 2.x worker-add's steals: "1,705 records processed again (read since the last checkpoint)").
 */
function reprocessedWhy(r: RunResult | undefined, consumer: string, from: ReprocessedFrom): string {
  const spec = r ? kclAppSpec(r, consumer) : undefined;
  const never = spec !== undefined && neverCheckpoints(spec);
  const noCheckpoint = never ? `${consumer} never checkpoints` : `${consumer} had written no checkpoint yet for the leases that changed hands`;
  const trim =
    spec?.initialPosition === "LATEST"
      ? `${noCheckpoint}, and the new owners of child shards started at their oldest record (KCL reads a child shard from TRIM_HORIZON whatever the initial position)`
      : `${noCheckpoint}, so the new owners started at ${never ? "" : "the leases' initial position, "}TRIM_HORIZON, the oldest record their shards retain`;
  const latest = `${noCheckpoint}: new owners started at ${never ? "" : "the initial position, "}LATEST while the previous owners, yet to find their leases taken, went on processing the same shards, and both processed the records in between`;
  const parts = ([
    [from.checkpoint, "read since the last checkpoint"],
    [from.trimHorizon, trim],
    [from.latest, latest],
  ] as const).filter(([n]) => n > 0);
  if (parts.length === 1) return parts[0]![1];
  return parts.map(([n, why]) => `${thousands(n)} ${why}`).join("; ");
}

/**
 * Why a KCL application skipped records (a new lease owner started at LATEST past records never processed), and what
 * would have kept them; null for a consumer that is no KCL application. A lease keeps the checkpoint it was created
 * with, the initial position, until its record processor checkpoints (amazon-kinesis-client HierarchicalShardSyncer:
 * a new lease's checkpoint is convertToCheckpoint(initialPosition)): an application that never checkpoints starts
 * every new owner at LATEST; one that checkpoints, only the new owner of a lease that changed hands before its first
 * checkpoint. Checkpointing has the new owner resume after the last checkpoint, processing again what came after it;
 * TRIM_HORIZON with no checkpoint skips nothing but processes again every record the shard retains.
 */
export function skippedCauseWords(r: RunResult, consumer: string): { cause: string; remedy: string } | null {
  const spec = kclAppSpec(r, consumer);
  if (!spec) return null;
  const retention = streamsOf(r.scenario).find((x) => x.name === (spec.stream ?? r.stream.name))?.spec.retention;
  const retained = `every record its shard retains${retention !== undefined ? ` (up to the stream's retention, ${formatDuration(retention, "exact")})` : ""}`;
  if (!neverCheckpoints(spec)) {
    return {
      cause: `had leases change hands before their first checkpoint, and a lease with no checkpoint starts its new owner at the initial position, LATEST`,
      remedy: `A first checkpoint sooner (\`checkpoint:\`) narrows that window; \`initialPosition: TRIM_HORIZON\` closes it, at the cost of processing again ${retained} when it happens.`,
    };
  }
  return {
    cause: `never checkpoints (no \`checkpoint:\` setting), so its leases keep the initial position they were created with, LATEST, and each new owner started there, past every record written since the last one processed`,
    remedy: `An application that checkpoints (\`checkpoint: { every: 10s }\`) would have processed them, late, from its last checkpoint, processing again only what came after it; \`initialPosition: TRIM_HORIZON\` with no checkpoint skips nothing, but each new owner processes again ${retained}.`,
  };
}

/** What a KCL application's sink is, by kind: "DynamoDB table", "S3 bucket". */
const SINK_TARGET: Record<SinkResult["kind"], string> = { dynamodb: "DynamoDB table", s3: "S3 bucket", redshift: "Redshift table", opensearch: "OpenSearch domain" };

/** A consumer's sink in words, "its DynamoDB table"; null without one. */
export function sinkTargetWords(r: RunResult | undefined, consumer: string): string | null {
  const sk = r?.sinks.find((x) => x.consumer === consumer);
  return sk ? SINK_TARGET[sk.kind] : null;
}

/**
 * A fault's records written twice (FaultResult's lag effect: writtenAgain). An `output:` application's: a batch whose
 * puts the crash cut, not processed, so processed again, and what its puts had put in was written twice (helper-125:
 * they were counted nowhere). A `sink:` application's: what the sink had taken from a record processor that stopped
 * before a checkpoint covered it (a flush it cut, or flushes done since its last checkpoint), which the lease's next
 * owner, reading from the checkpoint, flushed again (KclState.cutWrite).
 */
function writtenTwiceWords(n: number, consumer: string, r: RunResult | undefined): string {
  const records = `${thousands(n)} ${n === 1 ? "record" : "records"}`;
  const sink = sinkTargetWords(r, consumer);
  if (sink)
    return `${records} written to ${consumer}'s ${sink} twice (it had taken them from a record processor that stopped before a checkpoint covered them; processed again, they were written again: duplicates in the ${sink.replace(/^\S+ /, "")})`;
  const out = r?.consumers.find((x) => x.name === consumer)?.output ?? "its output stream";
  return `${records} written to ${out} twice (the crash cut a batch's puts after they were in; processed again, the batch wrote them again: duplicates in ${out})`;
}

export function faultSummary(f: FaultResult, r?: RunResult): string {
  const what = `${FAULT_WORDS[f.kind]}${f.workers !== undefined ? ` (${f.workers} worker${f.workers === 1 ? "" : "s"})` : ""} of ${f.target} at ${clock(f.atUs)}${f.forUs > 0 ? ` for ${formatDuration(f.forUs, "rough")}` : ""}`;
  const e = f.effect;
  if (!e) return `${what}.`;
  const rough = (us: number) => formatDuration(us, "rough");
  // Redshift's DataFreshness stops at the staging bucket: a COPY fault shows in the oldest record not yet loaded.
  const freshness = e.kind === "freshness" && e.notLoaded ? "the age of the oldest record not yet loaded by COPY" : "DataFreshness";
  const age = e.kind === "freshness" ? freshness : "the oldest unprocessed record";
  // What the age did: rose and recovered (or not), or nothing the fault can be seen in — no maximum, no recovery of its
  // own, only where the age stood just before and at the end of the span looked at (helper-47).
  const course = e.visible
    ? `${age} reached ${rough(e.maxUs)} (${rough(e.beforeUs)} just before)`
    : // The age never rose above its level before: no effect of the fault's own to measure (a restart's may be the fall).
      `no rise in ${e.kind === "freshness" ? freshness : "the lag"}: ${age} was ${rough(e.beforeUs)}${e.kind === "freshness" ? "" : " old"} just before and ${rough(e.lastUs)} at ${clock(e.lastAtUs)}${e.growing ? ", still growing" : e.lastUs < e.beforeUs ? ", falling" : ""}`;
  // Against an age already growing before the fault, recovery is a return to that trend, not to the level before.
  const recovered = !e.visible
    ? ""
    : e.recoveredAtUs === null
      ? "; it had not recovered by the end of the run"
      : e.trendUsPerSecond !== undefined
        ? `; back on the trend it grew at before (${formatDuration(e.trendUsPerSecond, "rough")} a second) by ${clock(e.recoveredAtUs)}`
        : `; back to normal by ${clock(e.recoveredAtUs)}`;
  if (e.kind === "lag") {
    const leader = f.leader ? `, which took the worker holding the KCL 3.x leader lock: ${leaderWaitWords(f, f.leader)};` : ":";
    // A crash that left nothing to process again says so (helper-109: kcl3-rebalance's crash came 98 ms before its
    // worker's next batch was done, right after a checkpoint at its processed position: 0, and the line said nothing).
    const again =
      e.reprocessed > 0
        ? `; ${thousands(e.reprocessed)} records processed again (${reprocessedWhy(r, f.target, e.reprocessedFrom)})`
        : f.kind === "worker-crash" && e.skipped === 0 && e.writtenAgain === 0
          ? "; no record processed again"
          : "";
    const written = e.writtenAgain > 0 ? `; ${writtenTwiceWords(e.writtenAgain, f.target, r)}` : "";
    // A restart's (or an add's) workers that took an earlier crash's leases re-read what the crash lost: counted to the
    // crash, pointed to here (helper-125: the restart's line said nothing of its worker's re-read).
    const workers = `its worker${f.workers === 1 ? "" : "s"}`;
    const reRead = e.reReadFor.map((x) => `; ${workers} re-read ${thousands(x.records)} ${x.records === 1 ? "record" : "records"} for the ${FAULT_WORDS[x.kind]} at ${clock(x.atUs)} (processed again; counted to that ${FAULT_WORDS[x.kind]})`).join("");
    // Records never processed: the new owners of its leases started at LATEST past them (until its next fault).
    const skipped = e.skipped > 0 ? `; ${thousands(e.skipped)} ${e.skipped === 1 ? "record" : "records"} skipped, never processed` : "";
    const why = e.skipped > 0 && r ? skippedCauseWords(r, f.target) : null;
    return `${what}${leader} ${course}${again}${written}${reRead}${skipped}${recovered}.${why ? ` Skipped because ${f.target} ${why.cause}. ${why.remedy}` : ""}`;
  }
  if (e.kind === "errors") {
    const gone = e.discarded > 0 ? `; ${thousands(e.discarded)} records discarded meanwhile (past their retries or their maximum record age: to the on-failure destination, or lost without one)` : "";
    return `${what}: ${thousands(e.errors)} invocations failed${e.visible ? " and " : ", with "}${course}${gone}${recovered}.`;
  }
  const lost = e.notDelivered > 0 ? `; ${thousands(e.notDelivered)} records left undelivered meanwhile (backup, errors/ or processing-failed/)` : "";
  return `${what}: ${course}${lost}${recovered}.`;
}

// ---------------------------------------------------------------------------------------------------------
// The hot shard remedy: a split of a throttling shard, in words and as a scenario `reshards:` entry.

/** A duration as the scenario language writes it: 60000000 µs → "1m", 90 s → "90s". */
export function durationLiteral(us: number): string {
  if (us === 0) return "0s";
  if (us % 3_600_000_000 === 0) return `${us / 3_600_000_000}h`;
  if (us % 60_000_000 === 0) return `${us / 60_000_000}m`;
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1_000 === 0) return `${us / 1_000}ms`;
  return `${us}us`;
}

/**
 * A proposed split as a scenario `reshards:` entry (src/spec/reshards.ts), at its replay time (the first of a stream's at the end of the warmup); null when no split
 * is proposed (a shard not hot for its keys gets none, but for its bursts), or when the scenario could not replay it (replayRefused).
 */
export function reshardOf(p: SplitProposal, warmupUs: number, several: boolean): { at: string; kind: "split"; stream?: string; shard: string; hashKey: string } | null {
  if (!p.split || (!proposalHot(p) && !splitForBursts(p)) || (p.tooHot.length > 0 && !splitHelps(p)) || p.replayRefused !== undefined) return null;
  return { at: durationLiteral(p.replayAtUs ?? warmupUs), kind: "split", ...(several ? { stream: p.stream } : {}), shard: p.shard, hashKey: p.split.hashKey };
}

/** Why a scenario cannot replay a proposed split (SplitProposal.replayRefused), in its validation's words. */
export function replayRefusedWords(r: NonNullable<SplitProposal["replayRefused"]>): string {
  return r.reshard === null ? r.message : `its reshards[${r.reshard}] would then be refused: ${r.message}`;
}

/** The `reshards:` YAML that replays the proposed splits, or null when none is proposed. */
export function reshardsYaml(proposals: readonly SplitProposal[], warmupUs: number, several: boolean): string | null {
  const entries = proposals.map((p) => reshardOf(p, warmupUs, several)).filter((e) => e !== null);
  if (entries.length === 0) return null;
  const entry = (e: NonNullable<ReturnType<typeof reshardOf>>) =>
    `  - { at: ${e.at}, kind: split, ${e.stream !== undefined ? `stream: ${e.stream}, ` : ""}shard: ${e.shard}, hashKey: "${e.hashKey}" }`;
  return ["reshards:", ...entries.map(entry)].join("\n");
}

type Limits = { recordsPerSecond: number; bytesPerSecond: number };

/** A child's peak utilisation from which the remedy warns that its busiest seconds would be throttled. */
const NEAR_LIMIT = 0.95;

/**
 * "652 records/s" — or, on a shard a KPL writer aggregates on, "652 Kinesis records/s": its records there are aggregates
 * (SplitProposal.aggregating), not the user records the reader may count.
 */
function recordWords(p: Pick<SplitProposal, "aggregating">, perSecond: number): string {
  return p.aggregating ? `${thousands(Math.round(perSecond))} Kinesis records/s` : formatRate(perSecond, "records");
}

/** "652 records/s and 130.5 KiB/s (65.2% of a shard's 1,000 records/s)": the tighter limit named. */
function loadWords(p: Pick<SplitProposal, "aggregating">, l: LoadShare, limits: Limits, peak = false): string {
  const records = peak ? l.peakRecordsPerSecond : l.recordsPerSecond;
  const bytes = peak ? l.peakBytesPerSecond : l.bytesPerSecond;
  const byRecords = records / limits.recordsPerSecond >= bytes / limits.bytesPerSecond;
  const limit = byRecords ? `${thousands(limits.recordsPerSecond)} records/s` : `${formatBytes(limits.bytesPerSecond)}/s`;
  return `${recordWords(p, records)} and ${formatRate(bytes, "bytes")} (${pct(100 * (peak ? l.peakUtilisation : l.utilisation), 1)} of a shard's ${limit})`;
}

/**
 * What the loads of a shard a KPL writer aggregates on count, and why a split does not divide its aggregates (src/result/aggregatedLoad.ts):
 * each process packs the user records it has for a shard into one aggregated record RecordMaxBufferedTime after the first
 * of them, or sooner at AggregationMaxSize (KPL default_config.properties), so filling by time it sends each shard about
 * one aggregate per RecordMaxBufferedTime whatever the shard's share of its keys.
 */
function aggregationLine(p: SplitProposal): string | null {
  if (!p.aggregating) return null;
  const each = p.aggregating.map((w) => {
    const time = formatDuration(w.recordMaxBufferedTimeUs, "exact");
    const bound = thousands(Math.round(w.instances / (w.recordMaxBufferedTimeUs / 1_000_000)));
    return (
      `${w.name} writes with the KPL and aggregates (${thousands(Math.round(w.userRecordsPerSecond))} user records/s on this shard): each of its ${thousands(w.instances)} process${w.instances === 1 ? "" : "es"} ` +
      `packs the user records it has for a shard into one aggregated Kinesis record ${time} (RecordMaxBufferedTime) after the first of them, or sooner at ${thousands(w.aggregationMaxSize)} B (AggregationMaxSize); ` +
      `when its buffers fill by time, not size, its processes send each shard up to about ${bound} aggregates a second (${thousands(w.instances)} every ${time}), whatever the shard's share of its keys`
    );
  });
  return (
    `- ${each.join("; ")}. The Kinesis records here are the aggregates its processes would make of each part's user records: ` +
    `a child gets its keys' share of the user records but more than that share of the aggregates (a longer RecordMaxBufferedTime, or fewer processes, makes fewer).`
  );
}

const atPeak = (l: LoadShare) => l.peakUtilisation > l.utilisation * (1 + 1e-9);

/** "key `device-1` alone offers …": the hottest key too hot for any shard, and its load by the limit it passes. */
function tooHotKeyWords(p: SplitProposal, limits: Limits): string {
  const k = p.tooHot[0]!;
  const others = p.tooHot.length > 1 ? ` (and ${p.tooHot.length - 1} more key${p.tooHot.length === 2 ? "" : "s"})` : "";
  const peak = atPeak(k) && k.utilisation <= 1;
  return `key \`${k.key}\`${others} alone offers ${loadWords(p, k, limits, peak)}${peak ? " at the writers' peak rates" : ""}`;
}

/**
 * "enricher → enriched was held back by this stream's throttling": the applications' writers whose offered load is what the
 * stream let through (SplitProposal.heldBack, StreamVerdict.heldBackWriters), a lower bound of what they need.
 */
export function heldBackWords(names: readonly string[]): string {
  const list = andList(names);
  return `${list} ${names.length === 1 ? "was" : "were"} held back by this stream's throttling`;
}

/** One sentence for the hottest-shard bullet: what a split would do for it (no trailing period). */
export function splitSentence(p: SplitProposal, limits: Limits): string {
  if (splitForBursts(p)) {
    const [a, b] = p.split!.children;
    return `It is not hot for its keys but throttled in bursts: a split at hash key ${p.split!.hashKey} would give each child its part of them, ${recordWords(p, a.recordsPerSecond)} and ${recordWords(p, b.recordsPerSecond)} expected (see Hot shard remedy)`;
  }
  if (p.bursts) return "It is not hot for its keys, and a split would keep most of its bursts on one child, so none is proposed (see Hot shard remedy)";
  if (!proposalHot(p)) return "It is not hot for its keys, so no split of it is proposed (see Hot shard remedy)";
  // The key's load by the limit it passes (records or bytes, at its mean or at the writers' peak rates).
  if (p.tooHot.length > 0 && !splitHelps(p)) return `No split of it can help: ${tooHotKeyWords(p, limits)}; see Hot shard remedy`;
  if (!p.split) return "Its traffic is one hash key: a split cannot divide it";
  const [a, b] = p.split.children;
  const held = p.heldBack ?? [];
  const rates = `${held.length > 0 ? "at least " : ""}${recordWords(p, a.recordsPerSecond)} and ${recordWords(p, b.recordsPerSecond)} expected`;
  // A key too hot for any shard: the split still moves most of the other keys off the key's shard.
  if (p.tooHot.length > 0) return `No split of it can bring it within a shard's limits: ${tooHotKeyWords(p, limits)}; a split at hash key ${p.split.hashKey} would still lighten it, leaving its children ${rates} (see Hot shard remedy)`;
  // Loads a held-back writer offered are lower bounds: children over the limits on them are over, within them not shown to fit.
  const verdict = !p.fits ? "not enough on its own" : held.length > 0 ? `${heldBackWords(held)}, so whether they fit is not shown` : "both within a shard's limits";
  return `A split at hash key ${p.split.hashKey} would leave its children ${rates}: ${verdict} (see Hot shard remedy)`;
}

/** What the remedy's words need of the run beyond the proposal: the stream's mean utilisation, the shard's busiest second, the shards over their limits. */
export interface SplitContext {
  /** The stream's mean offered load (StreamVerdict.streamUtilisation), a lower bound with held-back writers (heldBackWriters). */
  streamUtilisation: { records: number; bytes: number };
  heldBackWriters?: string[];
  peakOffered?: PeakSecond | undefined;
  /** The stream's shards not hot for their keys over a shard's limits (writeRemedy): it is short of capacity besides a hot shard's split. */
  overShards?: { shard: string; utilisation: number }[];
  /** How shards come to the stream in its mode at the end (addShardsOf); provisioned when absent. */
  addShards?: AddShards;
}

/**
 * How to add shards to a stream of `open` shards, for a remedy that calls for more (the text inside its parentheses):
 * on a provisioned stream "update-shard-count", with `doubledTo` "; doubling to 8 halves every shard's hash key range"
 * (with `aggregates`, the KPL's count before it), and past 10,000 shards that it needs a limit increase first
 * (needsShardLimitIncrease: UpdateShardCount API reference). On an on-demand stream the service adds them
 * (UpdateShardCount works on a provisioned stream only), within about 15 minutes ("Choose the data stream capacity
 * mode"), up to the mode's ceiling; past it, or at once, a switch to provisioned (UpdateStreamMode) and UpdateShardCount,
 * or what raises the ceiling: a support ticket (on-demand's maximum outside us-east-1, us-west-2 and eu-west-1, up to
 * 10 GB/s: Kinesis quotas and limits) or more warm throughput (On-demand Advantage, up to 10 GiB/s:
 * UpdateStreamWarmThroughput API reference).
 */
export function addShardsWords(a: AddShards | undefined, shards: { open: number; doubledTo?: number; aggregates?: string }): string {
  const { open, doubledTo, aggregates } = shards;
  let update = "update-shard-count";
  if (doubledTo !== undefined) {
    const increase = needsShardLimitIncrease(doubledTo) ? `; ${thousands(doubledTo)} shards, more than ${thousands(MAX_SHARDS_PER_STREAM)}, needs a limit increase first` : "";
    const doubling = `doubling to ${thousands(doubledTo)} halves every shard's hash key range${increase}`;
    update += `; ${aggregates ? `${aggregates}: ${doubling}, not its aggregates (above)` : doubling}`;
  } else if (needsShardLimitIncrease(open + 1)) {
    update += `; more than ${thousands(MAX_SHARDS_PER_STREAM)} shards needs a limit increase first`;
  }
  if (!a || a.mode === "provisioned") return update;
  const provisioned = `a switch to provisioned (UpdateStreamMode), then ${update}`;
  if (a.ceiling) {
    const c = a.ceiling;
    const raise =
      c.by === "warm throughput"
        ? c.bytesPerSecond < ON_DEMAND_ADVANTAGE_MAX_WARM_BYTES_PER_SECOND
          ? "more warm throughput (UpdateStreamWarmThroughput, up to 10 GiB/s), or "
          : ""
        : c.bytesPerSecond < ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND
          ? `a support ticket raising on-demand's maximum in ${c.region} (up to 10 GB/s), or `
          : "";
    return `on-demand: the service's splits stopped at the mode's ceiling (see Reshards) and it adds no more; more shards take ${raise}${provisioned}`;
  }
  const warm = a.mode === "on-demand-advantage" ? "more warm throughput (UpdateStreamWarmThroughput), or " : "";
  return `on-demand: the service adds them itself, splitting each shard whose offered load passes its split trigger within about 15 minutes (stream.onDemand.scaleDelay), while writes throttle; capacity ready at once takes ${warm}${provisioned}`;
}

/**
 * On an on-demand stream, what of a proposed split applies: the service splits a shard whose offered load passes its
 * split trigger, evenly, and does not isolate hot keys ("Choose the data stream capacity mode", 2022 guide: it "does not
 * detect and isolate hash keys"); a split at a chosen hash key is SplitShard's, which works on a provisioned stream only
 * (SplitShard API reference). Null on a provisioned stream.
 */
function onDemandSplitLine(a: AddShards | undefined): string | null {
  if (!a || a.mode === "provisioned") return null;
  const ceiling = a.ceiling ? " (here its splits stopped at the mode's ceiling: see Reshards)" : "";
  return (
    `- On an on-demand stream the service does the splitting: it splits a shard whose offered load passes its split trigger (stream.onDemand.splitTrigger, splitTriggerRecords), its hash key range evenly, while the open shards hold less than twice the stream's peak${ceiling}, and it does not isolate hot keys. ` +
    "The split below, at the hash key that balances this shard's load, is a SplitShard, which works on a provisioned stream only: switching the stream to provisioned (UpdateStreamMode, twice a day at most) lets you make it."
  );
}

/**
 * What a shard's share of the stream's records says, for a shard no hotter than an even spread's (SplitProposal.evenlyLoaded,
 * belowEven), or null for a hot one. Over a shard's limits at that share, the stream is short of capacity (every shard at
 * an even share would be over too). Within them, it throttled in bursts: an evenly loaded shard's are every shard's, and
 * adding shards spreads them (helper-65: 2 shards at 82% of their limits on average throttled, 3 did not), though not
 * always enough (helper-67: a producer's 20 s linger throttled 76% of the attempts at 4 shards); a cold shard's are not its share of the keys (helper-62: a cold shard at 10% of its limits was called the
 * stream's shortage, and doubling the stream left 98.8% of the attempts throttled), and nothing more follows (helper-65:
 * "so it is not short of capacity either" was refuted by one more shard). With held-back writers its load is a lower
 * bound: within the limits, nothing follows.
 */
function shareLine(p: SplitProposal, ctx: SplitContext | undefined): string | null {
  if (!p.evenlyLoaded && !p.belowEven) return null;
  const carries = `It carries ${pct(100 * p.shareOfStream, 1)} of the stream's records by key routing, ${p.evenlyLoaded ? "about" : "under"} an even spread's ${pct(100 * p.evenShare, 1)}`;
  const open = Math.round(1 / p.evenShare);
  const addShards = (aggregates?: string) => addShardsWords(ctx?.addShards, { open, doubledTo: 2 * open, aggregates });
  if (p.load.peakUtilisation > 1) {
    if (p.evenlyLoaded) {
      // Halving a shard's range does not halve the KPL's aggregates on it: the count that fits re-makes them for each
      // (this shard's load needs evenChildren shards; every shard carries about as much).
      const aggregates = p.aggregating ? `with the KPL's aggregates re-made for each shard, about ${thousands(Math.ceil(p.evenChildren / p.evenShare - 1e-9))}, ${p.evenChildren} for this shard's load` : undefined;
      return `- ${carries}: the stream is short of capacity rather than this shard hot, and adding shards to the whole stream is the remedy for all its shards at once (${addShards(aggregates)}).`;
    }
    // Under an even share and still over a shard's limits: the stream's load is over its shards' (share × total > limit).
    return `- ${carries}, yet its writers offered it ${pct(100 * p.load.peakUtilisation, 1)} of a shard's limits${atPeak(p.load) ? " at their peak rates" : ""}: the stream as a whole is short of capacity, and adding shards to it lowers this shard's load with every other's (${addShards()}).`;
  }
  if ((p.heldBack ?? []).length > 0) return `- ${carries}: it is not hot by key routing, and its load, a lower bound (above), does not show whether the stream is short of capacity.`;
  const peak = atPeak(p.load) ? ` (${pct(100 * p.load.peakUtilisation, 1)} with every writer at its peak rate)` : "";
  const ps = ctx?.peakOffered;
  const busiest = ps && ps.at >= 0 ? ` (its busiest second, at ${clock(ps.at)}, received ${pct(100 * ps.utilisation, 1)} of its limit in put attempts, retries included)` : "";
  const offered = `${carries}, and its writers offered it ${pct(100 * p.load.utilisation, 1)} of a shard's limits after warmup${peak}: it throttled in bursts above them${busiest}`;
  if (p.evenlyLoaded) {
    // Not "the remedy": bursts the writers make (a producer's linger) throttle at four times the shards too (helper-67: 90% of
    // the attempts at 2 shards, 76% at 4, 36% at 8, 0.1% without the linger).
    return `- ${offered}. Every shard carries about as much, so these bursts are every shard's rather than this shard hot: adding shards to the whole stream spreads them over more shards (${addShards()}), and a rehearsal shows whether that is enough; bursts the writers make (batching, linger) they can smooth themselves.`;
  }
  const u = ctx && (ctx.heldBackWriters ?? []).length === 0 ? Math.max(ctx.streamUtilisation.records, ctx.streamUtilisation.bytes) : null;
  const stream = u !== null ? `; the stream as a whole was offered ${pct(100 * u, 1)} of its capacity on average` : "";
  return `- ${offered}, not for its share of the keys${stream}.`;
}

/** The "Hot shard remedy" lines of one proposal (markdown bullets, no heading). */
export function splitLines(p: SplitProposal, limits: Limits, ctx?: SplitContext): string[] {
  const out: string[] = [];
  const aggregates = (name: string) => p.aggregating?.some((w) => w.name === name) ?? false;
  const writers = p.writers.map(
    (w) =>
      `${w.name} ${recordWords(p, w.recordsPerSecond)}${aggregates(w.name) ? " (aggregates)" : ""}, ${formatRate(w.bytesPerSecond, "bytes")}${w.peakToMean > 1 + 1e-9 ? ` (peak ${+w.peakToMean.toFixed(2)} × mean)` : ""}`,
  );
  const peak = atPeak(p.load) ? `; with every writer at its peak rate, ${loadWords(p, p.load, limits, true)}` : "";
  out.push(`- Offered after warmup: ${loadWords(p, p.load, limits)}${peak}. By writer: ${writers.join("; ")}.`);
  const held = p.heldBack ?? [];
  if (held.length > 0) {
    const one = held.length === 1;
    out.push(
      `- These are lower bounds of what its writers need: ${heldBackWords(held)} (${one ? "its application" : "their applications"} fell behind, ${one ? "its" : "their"} record processors waiting on ${one ? "its" : "their"} throttled puts), ` +
        `so unthrottled ${one ? "it" : "they"} would offer more. Every load below is a lower bound too.`,
    );
  }
  const aggregation = aggregationLine(p);
  if (aggregation) out.push(aggregation);
  const share = shareLine(p, ctx);
  if (share) out.push(share);
  const lighter = p.aggregatedKeys > 0 ? `the ${thousands(p.aggregatedKeys)} lightest keys, counted as spread evenly over its range` : "";
  const random = p.spreadShare > 0 && p.aggregatedKeys === 0 ? "random keys" : p.aggregatedKeys > 0 ? `random keys and ${lighter}` : "";
  if (p.keys === 0) out.push(`- Its keys: ${random || "none"}, spread evenly over its range.`);
  else {
    const spread = p.spreadShare > 0 ? `; ${pct(100 * p.spreadShare, 1)} of its ${p.aggregating ? "user " : ""}records are ${random}${p.aggregatedKeys > 0 ? "" : ", spread evenly over its range"}` : "";
    out.push(`- Its keys: ${thousands(p.keys)} key${p.keys === 1 ? "" : "s"} at their hash keys, which a split cannot divide${spread}.`);
  }
  // A cold shard that throttled in bursts: the split for them, or why none (a cold shard is never hot for its keys).
  const onDemand = onDemandSplitLine(ctx?.addShards);
  if (p.bursts) return [...out, ...(onDemand && splitForBursts(p) ? [onDemand] : []), ...burstLines(p, limits)];
  if (!proposalHot(p)) {
    if (p.tooHot.length > 0) {
      out.push(
        `- Of its keys, ${tooHotKeyWords(p, limits)}. All of a key's records go to one shard, so more shards do not lower that key's own load: the remedy for it is in the keys (spread that key's records over several partition keys).`,
      );
    }
    out.push(`- No split of it is proposed: a split is the remedy for a shard hot for its keys, more than 10% over an even spread's share of the stream's records, and this one is not (above).`);
    return out;
  }
  if (p.tooHot.length > 0 && !splitHelps(p)) {
    out.push(
      `- **No split can help: ${tooHotKeyWords(p, limits)}.** All of a key's records go to one shard, so more shards do not lower its load: the remedy is in the keys (spread that key's records over several partition keys).`,
    );
    return out;
  }
  if (p.tooHot.length > 0) {
    out.push(
      `- **No split can bring it within a shard's limits: ${tooHotKeyWords(p, limits)}.** All of a key's records go to one shard, so more shards do not lower the key's own load: the remedy for it is in the keys (spread that key's records over several partition keys). A split still moves most of the other keys to the other child, so the key's child throttles less:`,
    );
  }
  if (!p.split) {
    out.push("- Its traffic is one hash key: a split cannot divide it.");
    return out;
  }
  if (onDemand) out.push(onDemand);
  const [a, b] = p.split.children;
  const where = p.split.beforeKey !== null ? `just before key \`${p.split.beforeKey}\` (the next key's hash key: keys cannot be divided)` : "inside the spread of random keys";
  const keys = (c: typeof a) => (p.keys > 0 ? `, ${thousands(c.keys)} of the keys` : "");
  const child = (c: typeof a) =>
    `hash keys ${c.startingHashKey}..${c.endingHashKey} would get ${loadWords(p, c, limits)}${atPeak(c) ? `, at the peak rates ${pct(100 * c.peakUtilisation, 1)}` : ""}${keys(c)}`;
  out.push(`- **Split at hash key ${p.split.hashKey}** (NewStartingHashKey), ${where}. The child with ${child(a)}; the child with ${child(b)}.`);
  // With a key too hot for any shard, its child is over by the key alone (said above): no fit to judge.
  if (p.tooHot.length === 0 && p.fits && held.length > 0) {
    out.push(`- Whether both children would be within a shard's limits is not shown: their loads are lower bounds (above).`);
  } else if (p.tooHot.length === 0 && p.fits) {
    const busier = Math.max(a.peakUtilisation, b.peakUtilisation);
    const close =
      busier >= NEAR_LIMIT
        ? ` The busier child would run at ${pct(100 * busier, 1)} of them: with that noise its busiest seconds would be throttled; a third child leaves room.`
        : "";
    out.push(`- Both children would be within a shard's limits. The loads are expectations: a child's busiest second adds the arrivals' noise.${close}`);
  } else if (p.tooHot.length === 0) {
    const busier = Math.max(a.peakUtilisation, b.peakUtilisation);
    const least = held.length > 0 ? "at least " : "";
    const needed = p.childrenNeeded !== null && p.childrenNeeded > p.evenChildren ? `; its keys, which cannot be divided, allow no fewer than ${p.childrenNeeded}` : "";
    out.push(`- **One split is not enough**: the busier child would run at ${least}${pct(100 * busier, 1)} of a shard's limits. An even split of this shard's load would need ${least}${p.evenChildren} shards${needed}.`);
  }
  if (p.replayRefused !== undefined) out.push(`- This scenario cannot replay the split as a \`reshards:\` entry at the end of its warmup: ${replayRefusedWords(p.replayRefused)}.`);
  // A hot shard on a stream short of capacity besides (writeRemedy: shards not hot for their keys over a shard's limits):
  // the split takes this shard's excess, and those shards stay over (helper-73: a stream offered 150% of its capacity, a
  // cold shard over its limits; its two hot shards' splits left 34.7% of the attempts throttled, doubling the stream none).
  // Not for the stream's mean offered load over its capacity alone: each split adds a shard (4 shards offered 120%, the
  // others within their limits: the two hot shards' splits left none throttling).
  const over = (ctx?.overShards ?? []).filter((o) => o.shard !== p.shard);
  if (over.length > 0) {
    const one = over.length === 1;
    const byLoad = [...over].sort((a, b) => b.utilisation - a.utilisation);
    const list = andList(byLoad.map((o) => o.shard));
    const loads = andList(byLoad.map((o) => pct(100 * o.utilisation, 1)));
    const u = ctx && (ctx.heldBackWriters ?? []).length === 0 && held.length === 0 ? Math.max(ctx.streamUtilisation.records, ctx.streamUtilisation.bytes) : null;
    out.push(
      `- The stream is short of capacity besides this shard's keys: ${list}, not hot for ${one ? "its" : "their"} keys, ${one ? "is" : "are"} over a shard's limits too (${loads} of them), and a split of this shard leaves ${one ? "it" : "them"} so; adding shards to the stream (${addShardsWords(ctx?.addShards, { open: Math.round(1 / p.evenShare) })}) is needed as well` +
        (u !== null ? ` (the stream as a whole was offered ${pct(100 * u, 1)} of its capacity on average).` : "."),
    );
  }
  return out;
}

/**
 * The lines of a cold shard that throttled in bursts (SplitProposal.bursts): the split proposed for them, or why none is
 * (its busier child would keep more than BURST_SPLIT_SHARE of its load, and of each burst); then what else the run shows
 * would take them: its SDK producers' retries, when they gave records up throttled past them (its mean load fits, so its
 * buckets refill after a burst), and their PutRecords requests, when one puts more on it at once than its buckets hold.
 */
function burstLines(p: SplitProposal, limits: Limits): string[] {
  const b = p.bursts!;
  const out: string[] = [];
  if (splitForBursts(p)) {
    const [x, y] = p.split!.children;
    const where = p.split!.beforeKey !== null ? `just before key \`${p.split!.beforeKey}\` (the next key's hash key: keys cannot be divided)` : "inside the spread of random keys";
    const keys = (c: typeof x) => (p.keys > 0 ? `, ${thousands(c.keys)} of the keys` : "");
    const child = (c: typeof x) => `hash keys ${c.startingHashKey}..${c.endingHashKey} would get ${loadWords(p, c, limits)}${keys(c)}`;
    const share = (c: typeof x) => pct((100 * c.utilisation) / p.load.utilisation, 1);
    out.push(`- **Split at hash key ${p.split!.hashKey} for its bursts** (NewStartingHashKey), ${where}. The child with ${child(x)}; the child with ${child(y)}.`);
    out.push(
      `- The split is for its bursts, not its load: each child would take its part of the shard's load (${share(x)} and ${share(y)} of it) and, as its writers' bursts spread over their keys like their records, that part of every burst, into write buckets of its own (a shard's ${thousands(limits.recordsPerSecond)} records/s and ${formatBytes(limits.bytesPerSecond)}/s). How much of its throttling that removes, a rehearsal shows.`,
    );
    if (p.replayRefused !== undefined) out.push(`- This scenario cannot replay the split as a \`reshards:\` entry at the end of its warmup: ${replayRefusedWords(p.replayRefused)}.`);
  } else if (b.busierShare === null) {
    out.push("- No split of it is proposed: its traffic is one hash key, so a split cannot divide its bursts.");
  } else {
    out.push(
      `- No split of it is proposed: the split that balances it would leave ${pct(100 * b.busierShare, 1)} of its load on one child, and so most of each burst (over ${pct(100 * BURST_SPLIT_SHARE, 0)}: its keys do not divide).`,
    );
  }
  for (const r of b.retries ?? []) {
    out.push(
      `- Retries that wait longer take its bursts: its mean load fits, so its buckets refill after a burst. ${r.writer} gave up ${thousands(r.lost)} ${r.lost === 1 ? "record" : "records"} after warmup, throttled past its ${r.maxAttempts} ${r.maxAttempts === 1 ? "attempt" : "attempts"} (retry.maxAttempts; on every shard it writes to): more attempts, or a longer backoff, carry this shard's throttled records into the seconds after each burst.`,
    );
  }
  for (const q of b.requests ?? []) {
    const all = q.onShardRecords >= q.records * (1 - 1e-9);
    const part = all ? `all of them for this shard` : `about ${thousands(Math.round(q.onShardRecords))} of them (${formatBytes(q.onShardBytes, "rough")}) for this shard`;
    const linger = formatDuration(q.lingerUs, "exact");
    const gathered =
      q.by === "linger"
        ? `gathered over its linger of ${linger}`
        : `as many as its ${q.by} takes, which fills within its linger of ${linger}`;
    const smaller = q.by === "linger" ? "a shorter linger sends them" : `a shorter linger, or a smaller ${q.by}, sends them`;
    out.push(
      `- ${q.writer} makes its bursts: its PutRecords requests carry about ${thousands(Math.round(q.records))} records (${formatBytes(q.bytes, "rough")}) each, ${gathered}, ${part}, more at once than a shard's write buckets hold (stream.writeBurst at ${thousands(limits.recordsPerSecond)} records/s and ${formatBytes(limits.bytesPerSecond)}/s): ${smaller} in smaller bursts.`,
    );
  }
  return out;
}

/**
 * What the record processor judged (see laggingProcessor in result/judge.ts) did in the last quarter, for a consumer
 * judged "processing" by it: busy processing (and queued for a slot, held by its sink or output stream, when it was), its
 * reader waiting for room, and the reads refused meanwhile.
 */
function processorClause(r: RunResult, c: ConsumerResult, cv: ConsumerJudgement, p: ProcessorShares): string {
  const parts = [`busy processing ${pct(100 * p.processing, 0)}`];
  if (p.queued >= 0.005) parts.push(`waiting for ${slotWords(c)} ${pct(100 * p.queued, 0)}`);
  if (p.held >= 0.005) parts.push(`${sinkOf(r, c.name) ? "waiting for its sink's flushes" : "waiting for its puts to the output stream"} ${pct(100 * p.held, 0)}`);
  const list = andList(parts);
  const refused = cv.readThrottledPercent > 1 ? `, ahead of its refused reads (${cv.readThrottledPercent.toFixed(1)}% of its GetRecords calls were throttled)` : "";
  const processing = p.capacityPerSecond === null ? "" : `${thousands(Math.round(p.capacityPerSecond))} records a second of processing`;
  const took = `${thousands(Math.round(p.incomingPerSecond ?? 0))} records/s the shard took in that quarter`;
  const rate =
    p.capacityPerSecond === null
      ? ""
      : p.incomingPerSecond === null
        ? ` (${processing}, working off the backlog of a shard closed before that quarter)`
        : p.capacityPerSecond < p.incomingPerSecond
          ? ` (${processing}, under the ${took})`
          : ` (${processing}, over the ${took}: it works off its backlog at that pace)`;
  return `; ${shardWords(p)}, its record processor was ${list} of that quarter${rate}, and ${roomWords(c, p)}: processing holds that shard back${refused}`;
}

/** What a record processor waits for when its worker's slots are taken (a Flink subtask's one thread, Spark's executor cores). */
function slotWords(c: ConsumerResult): string {
  return c.kind === "flink" ? "its subtask, busy with its other shards" : c.kind === "spark" ? "an executor core other shards held" : "a slot its worker's other processors held";
}

/** Why a crash or restart left a consumer's shards unread: until their leases moved, or for good with no worker left. */
/** When a consumer caught up from a fault of its own: at the step it recovered in (or back on the trend before), or not by the end. */
function recoveredWords(r: RunResult, c: ConsumerResult, f: { kind: FaultResult["kind"]; atUs: number }): string {
  const effect = r.faults.find((x) => x.target === c.name && x.kind === f.kind && x.atUs === f.atUs)?.effect;
  if ((effect?.kind !== "lag" && effect?.kind !== "errors") || !effect.visible || effect.recoveredAtUs === null) return "it had not caught up by the end";
  return effect.trendUsPerSecond !== undefined ? `it was back on the trend it grew at before at ${clock(effect.recoveredAtUs)}` : `it caught up at ${clock(effect.recoveredAtUs)}`;
}

/** What a fault of a consumer's own left undone ("" for a kind with no words here). */
function faultWhat(r: RunResult, c: ConsumerResult, f: { kind: FaultResult["kind"]; atUs: number }): string {
  if (f.kind === "function-errors") return "its failing batches were retried while the records behind them waited";
  if (f.kind !== "worker-crash" && f.kind !== "worker-restart") return "";
  // A crash that took the KCL 3.x leader: its leases waited for a new leader to assign them.
  const leader = r.faults.find((x) => x.kind === f.kind && x.atUs === f.atUs && x.target === c.name)?.leader;
  return leader ? `${unreadWords(c)}; the crash took the leader, and ${leaderWaitWords(f, leader)}` : unreadWords(c);
}

/**
 * How long a KCL 3.x application's lease assignment waited for a new leader after a crash took the worker holding the
 * leader lock: a crashed worker does not release it, and another takes it only once it has expired, its lease (2 min
 * by default) after the leader's last heartbeat (DynamoDBLockBasedLeaderDecider, amazon-kinesis-client).
 */
function leaderWaitWords(f: { atUs: number }, l: NonNullable<FaultResult["leader"]>): string {
  const lease = `the lock expired at ${clock(l.lockExpiresAtUs)}, ${formatDuration(l.lockLeaseUs, "rough")} after the leader's last heartbeat`;
  if (l.takenAtUs === null) return `no worker took the leader lock by the end of the run (${lease}), so no lease was assigned after the crash`;
  return `lease assignment waited ${formatDuration(l.takenAtUs - f.atUs, "rough")} for a new leader, until ${clock(l.takenAtUs)}: ${lease}`;
}

function unreadWords(c: ConsumerResult): string {
  return c.leases?.aliveWorkersAtEnd === 0 ? "no worker was left to read its shards" : "its shards went unread until their leases moved";
}

/** The shard whose record processor a verdict judged, and how long its records waited in the last quarter. */
function shardWords(p: ProcessorShares): string {
  return `on ${p.shardId}, whose records waited up to ${formatDuration(p.oldestUnprocessedAgeUs, "tenths")} in the last quarter`;
}

/**
 * How long the shard's reader waited for its processor: for room in the prefetch cache (a KCL application), or for the
 * batch in hand to be processed (a stream processor reads its next batch after that).
 */
function roomWords(c: ConsumerResult, p: ProcessorShares): string {
  const what = c.kind === "flink" || c.kind === "spark" ? "its reader waited for the batch in hand to be processed" : "its reader waited for room in the prefetch cache";
  return `${what} ${pct(100 * p.room, 0)} of it`;
}
