// What an autoscaling policy did in a run, as numbers: scalings by outcome, shard-hours, seconds with throttled
// writes, and the misfires a reviewer should see (issue 12):
// - a scale-down while a consumer of the stream lags (its oldest unprocessed record older than a threshold then);
// - a scaling the stream refused with LimitExceeded, and whether the 10 UpdateShardCount calls per rolling 24 h
//   explain it (UpdateShardCount API reference; the policy's own calls are counted);
// - a hot shard the policy cannot see: a shard throttled in a minute whose stream-level utilisation, as the policy
//   computed it, stayed below its scale-up threshold (both policies read stream-level CloudWatch metrics).
// The input types are explicit (not the whole RunResult) so they can be fed from a StreamRun once it carries the
// policy's events (`scalingInputOf`), or from hand-made series in tests.

import { UPDATE_SHARD_COUNT_PER_24H } from "../aws/limits.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import type { PolicyView, ScalingEvent } from "../model/scaling/types.js";
import type { ConsumerResult, StreamRun } from "./runResult.js";

const HOUR_US = 3_600 * MICROS_PER_SECOND;
const MINUTE_US = 60 * MICROS_PER_SECOND;
const DAY_US = 24 * HOUR_US;

/** Throttled records of one shard, per step of its own length. */
export interface ShardThrottling {
  shard: string;
  stepUs: number;
  throttledRecords: readonly number[];
}

export interface ScalingInput {
  durationUs: number;
  /** The series' step (RunResult.resolutionUs). */
  resolutionUs: number;
  /** Open shards at the start of the run. */
  initialShards: number;
  /** Every scaling the policies recorded, in time order. */
  events: readonly ScalingEvent[];
  /** What each policy saw, per minute (for hidden hot shards); none: that finding is empty. */
  views?: readonly PolicyView[];
  /** Open shards per series step, when the run records it; otherwise each "ok" event sets `to` from its time on. */
  openShards?: readonly number[];
  /**
   * Every shard's life (µs: opened, closed or null): the shard-hours exactly, when given (a run's). An accepted scaling's
   * shards open when it completes, minutes after the call (helper-44: counted from the call, a 10-minute run billed 1.3
   * shard-hours for 0.87).
   */
  lives?: readonly { openedAt: number; closedAt: number | null }[];
  /** The stream's throttled records per series step. */
  throttledRecords: readonly number[];
  /** Per-shard throttling: the hot shards' series, and heatmap rows for other shards. */
  shards: readonly ShardThrottling[];
  /** The consumers of the stream: the age of the oldest unprocessed record per series step (µs). */
  consumers: readonly { name: string; oldestUnprocessedAge: readonly number[] }[];
}

export interface ScalingOptions {
  /** A consumer lags when its oldest unprocessed record is older than this (µs). Default: 60 s (a shardcast choice). */
  lagThresholdUs?: number;
}

export interface ScaleDownWhileLagging {
  event: ScalingEvent;
  consumer: string;
  lagUs: number;
}

export interface BlockedScaling {
  event: ScalingEvent;
  /** The stream's accepted scalings ("ok" events) in the 24 h up to the refused call. */
  okCallsIn24h: number;
  /** "10-per-24h" when those are 10 or more; otherwise another limit (a shard quota, or calls the policy did not make). */
  rule: "10-per-24h" | "other";
}

export interface HiddenHotShard {
  shard: string;
  policy: string;
  /** Seconds of the shard's steps with throttled writes while the policy saw the stream below its scale-up threshold. */
  throttledSeconds: number;
  throttledRecords: number;
  firstAtUs: number;
  /** The highest stream-level utilisation (%) the policy saw in those minutes, and its threshold. */
  maxSeenPct: number;
  scaleUpThresholdPct: number;
}

export interface ScalingSummary {
  events: number;
  scaleUps: number;
  scaleDowns: number;
  byOutcome: Record<ScalingEvent["outcome"], number>;
  /** Seconds of the series steps in which the stream throttled a write (steps × step length: exact at a 1 s resolution). */
  throttledSeconds: number;
  /** Open shards integrated over the run, in shard-hours; and the fewest and most open shards. */
  shardHours: number;
  minShards: number;
  maxShards: number;
  misfires: {
    scaleDownWhileLagging: ScaleDownWhileLagging[];
    blocked: BlockedScaling[];
    hiddenHotShards: HiddenHotShard[];
  };
}

/** The numbers of a run's autoscaling: see the file's header. */
export function scalingSummary(input: ScalingInput, options: ScalingOptions = {}): ScalingSummary {
  const lagThresholdUs = options.lagThresholdUs ?? 60 * MICROS_PER_SECOND;
  const byOutcome: Record<ScalingEvent["outcome"], number> = { ok: 0, "limit-exceeded": 0, "in-use": 0, invalid: 0, "dry-run": 0 };
  for (const e of input.events) byOutcome[e.outcome]++;
  const { shardHours, minShards, maxShards } = shardHoursOf(input);
  return {
    events: input.events.length,
    scaleUps: input.events.filter((e) => e.reason === "scale-up").length,
    scaleDowns: input.events.filter((e) => e.reason === "scale-down").length,
    byOutcome,
    throttledSeconds: (input.throttledRecords.filter((r) => r > 0).length * input.resolutionUs) / MICROS_PER_SECOND,
    shardHours,
    minShards,
    maxShards,
    misfires: {
      scaleDownWhileLagging: scaleDownsWhileLagging(input, lagThresholdUs),
      blocked: blockedScalings(input.events),
      hiddenHotShards: hiddenHotShards(input),
    },
  };
}

/** The input of scalingSummary from a stream of a RunResult and its consumers (those reading the stream). */
export function scalingInputOf(run: StreamRun, consumers: readonly ConsumerResult[], resolutionUs: number, durationUs: number): ScalingInput {
  const hot = new Set(run.hotShardSeries.map((s) => s.shard));
  const binUs = run.heatmap.binSeconds * MICROS_PER_SECOND;
  return {
    durationUs,
    resolutionUs,
    initialShards: run.stream.openShards.atStart,
    ...(run.shards !== undefined && run.shards.length > 0 ? { lives: run.shards.map((sh) => ({ openedAt: sh.life?.openedAt ?? 0, closedAt: sh.life?.closedAt ?? null })) } : {}),
    events: run.scaling ?? [],
    views: run.scalingViews,
    throttledRecords: run.series.throttledRecords,
    shards: [
      ...run.hotShardSeries.map((s) => ({ shard: s.shard, stepUs: resolutionUs, throttledRecords: s.throttledRecords })),
      ...run.heatmap.shards.flatMap((shard, i) => (hot.has(shard) ? [] : [{ shard, stepUs: binUs, throttledRecords: run.heatmap.throttled[i]! }])),
    ],
    consumers: consumers.filter((c) => c.stream === run.stream.name).map((c) => ({ name: c.name, oldestUnprocessedAge: c.series.oldestUnprocessedAge })),
  };
}

function shardHoursOf(input: ScalingInput): { shardHours: number; minShards: number; maxShards: number } {
  if (input.lives) return shardHoursOfLives(input.lives, input.durationUs);
  // Open shards as a step function: the series when given, else the accepted scalings from their call on.
  const steps: { fromUs: number; shards: number }[] = input.openShards
    ? input.openShards.map((shards, i) => ({ fromUs: i * input.resolutionUs, shards }))
    : [{ fromUs: 0, shards: input.initialShards }, ...input.events.filter((e) => e.outcome === "ok").map((e) => ({ fromUs: e.atUs, shards: e.to }))];
  let shardUs = 0;
  let min = Infinity;
  let max = -Infinity;
  steps.forEach((s, i) => {
    const from = Math.min(s.fromUs, input.durationUs);
    const to = Math.min(steps[i + 1]?.fromUs ?? input.durationUs, input.durationUs);
    if (to <= from && i > 0) return;
    shardUs += s.shards * Math.max(0, to - from);
    min = Math.min(min, s.shards);
    max = Math.max(max, s.shards);
  });
  return { shardHours: shardUs / HOUR_US, minShards: min, maxShards: max };
}

/**
 * Shard-hours from the shards' lives, and the fewest and most shards open at once over the run, its end included: a
 * reshard completing at the end has closed its parents and opened its children at that instant (the stream ACTIVE
 * again, UpdateShardCount API reference: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html),
 * as the stream's open shards at the end (RunResult openShards.atEnd) and the reshard's own count say; its children
 * add no shard-hours.
 */
function shardHoursOfLives(lives: readonly { openedAt: number; closedAt: number | null }[], durationUs: number): { shardHours: number; minShards: number; maxShards: number } {
  let shardUs = 0;
  // Open-shard count changes: +1 at an opening, −1 at a closing (closings first at the same instant).
  const changes: [number, number][] = [];
  for (const l of lives) {
    if (l.openedAt > durationUs) continue;
    const to = Math.min(l.closedAt ?? durationUs, durationUs);
    shardUs += Math.max(0, to - l.openedAt);
    changes.push([l.openedAt, 1]);
    if (l.closedAt !== null && l.closedAt <= durationUs) changes.push([l.closedAt, -1]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < changes.length; i++) {
    open += changes[i]![1];
    // The count in force after every change at this instant.
    if (i + 1 < changes.length && changes[i + 1]![0] === changes[i]![0]) continue;
    min = Math.min(min, open);
    max = Math.max(max, open);
  }
  return { shardHours: shardUs / HOUR_US, minShards: min === Infinity ? 0 : min, maxShards: max === -Infinity ? 0 : max };
}

function scaleDownsWhileLagging(input: ScalingInput, thresholdUs: number): ScaleDownWhileLagging[] {
  const found: ScaleDownWhileLagging[] = [];
  for (const event of input.events) {
    if (event.reason !== "scale-down") continue;
    for (const c of input.consumers) {
      const series = c.oldestUnprocessedAge;
      if (series.length === 0) continue;
      const lagUs = series[Math.min(Math.floor(event.atUs / input.resolutionUs), series.length - 1)]!;
      if (lagUs > thresholdUs) found.push({ event, consumer: c.name, lagUs });
    }
  }
  return found;
}

function blockedScalings(events: readonly ScalingEvent[]): BlockedScaling[] {
  return events
    .filter((e) => e.outcome === "limit-exceeded")
    .map((event) => {
      const okCallsIn24h = events.filter((e) => e.outcome === "ok" && e.atUs <= event.atUs && e.atUs > event.atUs - DAY_US).length;
      return { event, okCallsIn24h, rule: okCallsIn24h >= UPDATE_SHARD_COUNT_PER_24H ? "10-per-24h" : "other" };
    });
}

function hiddenHotShards(input: ScalingInput): HiddenHotShard[] {
  const found: HiddenHotShard[] = [];
  for (const view of input.views ?? []) {
    for (const shard of input.shards) {
      let hidden: HiddenHotShard | null = null;
      shard.throttledRecords.forEach((records, i) => {
        if (records <= 0) return;
        const fromUs = i * shard.stepUs;
        const toUs = Math.min(fromUs + shard.stepUs, input.durationUs);
        // The highest utilisation the policy saw for the minutes of the step (none seen: it was not looking).
        let seen: number | null = null;
        for (let m = Math.floor(fromUs / MINUTE_US); m * MINUTE_US < toUs; m++) {
          const v = view.utilisationPctByMinute[m];
          if (v !== null && v !== undefined) seen = seen === null ? v : Math.max(seen, v);
        }
        if (seen === null || seen >= view.scaleUpThresholdPct) return;
        hidden ??= { shard: shard.shard, policy: view.policy, throttledSeconds: 0, throttledRecords: 0, firstAtUs: fromUs, maxSeenPct: seen, scaleUpThresholdPct: view.scaleUpThresholdPct };
        hidden.throttledSeconds += (toUs - fromUs) / MICROS_PER_SECOND;
        hidden.throttledRecords += records;
        hidden.maxSeenPct = Math.max(hidden.maxSeenPct, seen);
      });
      if (hidden) found.push(hidden);
    }
  }
  return found;
}
