// The verdict in words: the judgement of src/result (SLOs, binding limit, bottlenecks) with the descriptions
// and sentences a reviewer reads. report.json, report.md and the command line's summary all take it from here.

import { clock, formatBytes, formatDuration, formatRate, pct, thousands } from "./format.js";
import { judge, type ConsumerVerdict as ConsumerJudgement, type FirehoseVerdict as FirehoseJudgement, type PutScope, type SloVerdict as SloJudgement, type Verdict as Judgement } from "../result/judge.js";
import type { ConsumerResult, FirehoseResult, RunResult } from "../result/runResult.js";
import type { SloJson } from "./reportTypes.js";

export { flushEvery, writesToStream, type ConsumerBottleneck } from "../result/judge.js";

/** An SLO's verdict: the same shape report.json carries. */
export type SloVerdict = SloJson;
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
  consumerLostPercent: "records a consumer never processed (worst consumer)",
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
    slos: v.slos.map((s) => ({ name: s.name, description: sloDescription(s, v.putScope), unit: s.unit, target: s.target, actual: s.actual, met: s.met })),
    consumers: v.consumers.map((cv, i) => ({ ...cv, explanation: consumerExplanation(r, r.consumers[i]!, cv) })),
    firehose: v.firehose.map((fv, i) => ({ ...fv, explanation: firehoseExplanation(r.firehose[i]!, fv) })),
  };
}

/** One sentence on what holds a consumer back (or that it keeps up). */
function consumerExplanation(r: RunResult, c: ConsumerResult, cv: ConsumerJudgement): string {
  const a = c.accounting;
  const l = c.leases;
  const age = (us: number) => formatDuration(us, "tenths");
  switch (cv.bottleneck) {
    case "retention":
      return `${c.name} fell more than the retention period behind: ${a.expiredUnread} records expired before it processed them (the oldest unprocessed record reached ${age(c.maxOldestUnprocessedAge)}).`;
    case "lease table": {
      const o = c.leaseTable.onDemand;
      const cap = c.leaseTable.provisioned
        ? `${c.leaseTable.provisioned.write} WCU`
        : o
          ? `on-demand, ${thousands(Math.round(o.initial.write))} WRU/s at the start${o.raisedAt === null ? "" : `, ${thousands(Math.round(o.highest.write))} from ${clock(o.raisedAt)}`}`
          : "on-demand";
      return `${c.name}'s lease table (${cap}) throttled ${l.renewalsThrottled} lease renewals and ${l.checkpointsThrottled} checkpoints; ${l.lost} leases were lost and ${c.reprocessed} records processed again.`;
    }
    case "output stream": {
      const w = r.writers.find((x) => x.consumer === c.name)!;
      return `${c.name} writes what it processes to ${w.stream}, which throttled ${pct((100 * w.throttledAttempts) / w.attempts, 1)} of its put attempts: each batch waits until its records are in before the next batch and the checkpoint, so it falls behind (records waited up to ${age(c.maxOldestUnprocessedAge)} unprocessed).`;
    }
    case "shard read bytes":
    case "shard read calls":
      return `${cv.readThrottledPercent.toFixed(1)}% of ${c.name}'s GetRecords calls were throttled: the polling consumers together need more than the shared ${cv.bottleneck === "shard read bytes" ? "2 MiB/s" : "5 calls/s"} per shard.`;
    case "processing":
      return `${c.name} falls further behind: its oldest unprocessed record grew to ${age(c.maxOldestUnprocessedAge)} old; it processes ${cv.processedPerSecond.toFixed(0)} records/s.`;
    case "skipped records":
      return `${c.name} skipped ${thousands(c.skippedAfterWarmup)} records after warmup (${thousands(a.skipped)} in the whole run): a lease changed hands with no checkpoint and the new owner started at LATEST.`;
    case "none":
      return `${c.name} keeps up (iterator age at most ${age(c.maxIteratorAge)}; no record waited more than ${age(c.maxOldestUnprocessedAge)} unprocessed).`;
  }
}

/** What one delivery is called at each destination. */
export const DELIVERIES = { s3: "objects", redshift: "staged objects", opensearch: "bulk requests" } as const;

const GAVE_UP = {
  s3: "given up",
  opensearch: "to the S3 backup (the OpenSearch retry duration ran out)",
  redshift: "skipped to errors/ (the Redshift COPY retry duration ran out)",
} as const;

/** One sentence on a delivery stream: object size and rhythm, the binding hint, delivery p99, DataFreshness, what was not delivered and why. */
function firehoseExplanation(f: FirehoseResult, fv: FirehoseJudgement): string {
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
          ? " (interval 0: no buffering)"
          : ` (the ${binds} hint binds${f.flushes.size > 0 && f.flushes.interval > 0 ? `: ${thousands(f.flushes[binds])} of ${thousands(total)} flushes` : ""})`;
    what = `delivers ${noun} of ~${formatBytes(f.objects.bytes.mean, "rough")}${every}${hint}`;
  }
  const latency = f.deliveryLatency.count > 0 ? `, delivery p99 ${formatDuration(f.deliveryLatency.p99, "rough")}` : "";
  let text = `Delivery stream ${f.name} ${what}${latency}, DataFreshness at most ${formatDuration(f.maxDataFreshness, "rough")}; ${thousands(f.notDelivered)} records not delivered`;
  if (f.notDelivered > 0) text += ` (${pct(notDeliveredPercent, 3)} of those that came in after warmup)`;
  const a = f.accounting;
  const why = [
    ...(a.processingFailed > 0 ? [`${thousands(a.processingFailed)} to processing-failed/ (failed by the transformation)`] : []),
    ...(a.gaveUp > 0 ? [`${thousands(a.gaveUp)} ${GAVE_UP[f.destination]}`] : []),
    ...(a.expired > 0 ? [`${thousands(a.expired)} lost: S3 deliveries kept failing past the retention`] : []),
  ];
  if (why.length > 0) text += `; over the whole run ${why.join(", ")}`;
  if (a.droppedByTransform > 0) text += `; ${thousands(a.droppedByTransform)} dropped by the transformation on purpose`;
  if (dp && dp.throttled > 0) text += `; Direct PUT throttled ${pct(throttledPercent, 2)} of the records offered (quotas ${formatRate(dp.quotas.bytes, "bytes")}, ${thousands(dp.quotas.records)} records/s, ${thousands(dp.quotas.requests)} requests/s)`;
  return `${text}.`;
}
