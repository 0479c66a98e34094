// An on-demand stream throttled for its capacity: its traffic passed what its open shards take (1 MiB/s and 1,000
// records/s a shard) before the service's split completed. On-demand "accommodates up to double its previous peak write
// throughput" of the previous 30 days at once, and traffic above that may be throttled while the service adds shards,
// within about 15 minutes ("Choose the data stream capacity mode",
// https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html; src/model/scaling/onDemand.ts). What
// would have taken the traffic at once: a previous peak of half its busiest load (traffic that high within the 30 days
// before: pre-warming), warm throughput on On-demand Advantage, or provisioned shards. Numbers only: src/report words them.

import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import { streamsOf } from "../spec/topology.js";
import type { RunResult, StreamRun } from "./runResult.js";

/** An on-demand stream's throttling that its capacity set (onDemandShortfall). */
export interface OnDemandShortfall {
  mode: "on-demand" | "on-demand-advantage";
  /** The first step after warmup with a throttled attempt, and the end of the last (µs). */
  fromUs: number;
  untilUs: number;
  /** The shards open when the throttling began, and whether they are those the stream started with (twice its previous peak). */
  openShards: number;
  startShards: boolean;
  /** The scenario's stream.onDemand.previousPeak and warmThroughput (bytes/s), null when it states none. */
  previousPeakBytesPerSecond: number | null;
  warmBytesPerSecond: number | null;
  /** The service's split under way when the throttling began (or the first called during it): when called and done (µs; done after the end when `done` is false). */
  split: { calledAtUs: number; doneAtUs: number; openAfter: number; done: boolean } | null;
  /** The busiest minute's load its writers' first attempts offered (StreamRun.onDemandPeakOffered), per second; null without one. */
  peakOffered: { atUs: number; bytesPerSecond: number; recordsPerSecond: number } | null;
}

/**
 * Accepted load, over the throttled span, at or above which the span's throttling is the open shards' capacity (not hot
 * keys on a few shards, which more shards do not spread: on-demand splits a shard's hash key range evenly).
 */
export const AT_CAPACITY = 0.9;

/**
 * An on-demand stream's (at the time its throttling began) throttling after warmup, when over the span from the first
 * throttled step to the last the stream accepted AT_CAPACITY or more of what its open shards take; null otherwise, and
 * when the service's splits stopped at the mode's ceiling (the Reshards note says that).
 */
export function onDemandShortfall(r: Pick<RunResult, "scenario" | "warmupUs" | "resolutionUs" | "durationUs">, run: StreamRun): OnDemandShortfall | null {
  if (run.onDemandCeiling) return null;
  const res = r.resolutionUs;
  const thr = run.series.throttledRecords;
  let first = -1;
  let last = -1;
  for (let i = Math.floor(r.warmupUs / res); i < thr.length; i++) {
    if (thr[i]! <= 0) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return null;
  const fromUs = first * res;
  const untilUs = Math.min(r.durationUs, (last + 1) * res);
  const mode = modeAt(run, fromUs);
  if (mode === "provisioned") return null;
  const open = openShardsAt(run, fromUs);
  let bytes = 0;
  let records = 0;
  for (let i = first; i <= last; i++) {
    bytes += run.series.incomingBytes[i] ?? 0;
    records += run.series.incomingRecords[i] ?? 0;
  }
  const seconds = (untilUs - fromUs) / 1e6;
  const share = Math.max(bytes / seconds / (open * SHARD_WRITE_BYTES_PER_SECOND), records / seconds / (open * SHARD_WRITE_RECORDS_PER_SECOND));
  if (!(share >= AT_CAPACITY)) return null;
  const spec = streamsOf(r.scenario).find((x) => x.name === run.stream.name)?.spec;
  const splits = run.reshards.filter((x) => x.kind === "on-demand-split" && x.doneAtUs > fromUs && x.calledAtUs <= untilUs);
  const s = splits[0];
  return {
    mode,
    fromUs,
    untilUs,
    openShards: open,
    startShards: open === run.stream.openShards.atStart && !run.reshards.some((x) => x.doneAtUs <= fromUs),
    previousPeakBytesPerSecond: spec?.onDemand.previousPeak ?? null,
    warmBytesPerSecond: spec?.onDemand.warmThroughput ?? null,
    split: s ? { calledAtUs: s.calledAtUs, doneAtUs: s.doneAtUs, openAfter: s.openAfter, done: s.doneAtUs <= r.durationUs } : null,
    peakOffered: run.onDemandPeakOffered ?? null,
  };
}

/** The stream's capacity mode at `t`. */
function modeAt(run: StreamRun, t: number): "provisioned" | "on-demand" | "on-demand-advantage" {
  let mode = run.stream.modes[0]?.mode ?? "provisioned";
  for (const m of run.stream.modes) if (m.atUs <= t) mode = m.mode;
  return mode;
}

/** The shards open at `t`: those at the start, then each reshard's open shards once it completed. */
function openShardsAt(run: StreamRun, t: number): number {
  let open = run.stream.openShards.atStart;
  for (const x of run.reshards) if (x.doneAtUs <= t && !x.inProgressAtEnd) open = x.openAfter;
  return open;
}
