// Whether the warmup was long enough: a start-up transient that spills past it decides maxima and skips that
// belong to the start, not to the steady state, and with them a sweep's recommendation. Numbers only.
//
// A maximum "sits at the warmup boundary" when its series is still above its steady level at the warmup's end (or,
// not yet settled since the run's start, rises above it after: with no warmup an age starts at 0), peaks before it
// settles, and settles later, before the first fault of the consumer's or delivery stream's own, or is back at its
// level when that fault comes, too soon to be seen to settle (`settleCutBy`): the start-up was still draining. An iterator age before the consumer's first read is 0 for want of a read: those steps are no
// steady level. A later fault's lag is the fault's, larger or not, and so is a climb after any scheduled change (a
// neighbour's crash whose catch-up takes the shards' reads is no relapse of the start-up). Records a KCL application skips
// while its workers balance the leases at start (a lease stolen before any checkpoint: the new owner starts at
// LATEST) are start-up skips. The warmup the run needed is the first whole minute after both, ended by the scenario's
// first scheduled change (a fault, a reshard, a traffic step or spike, a reshard a policy or the on-demand service
// called in the run): a warmup past it would hide its effect.

import { kclTakerIntervalMs } from "../aws/limits.js";
import type { ReshardSpec } from "../spec/index.js";
import type { FaultResult, ReshardResult, RunResult } from "./runResult.js";

/**
 * A change the scenario schedules, or one the run makes: a fault (of any consumer or delivery stream), a reshard or
 * capacity-mode operation (its `reshards:`), a producer group's traffic step, spike or ramp, and a reshard an
 * autoscaling policy or the on-demand service called during the run. A warmup that reaches past it hides its effect.
 */
export interface ScheduledChange {
  kind: FaultResult["kind"] | ReshardSpec["kind"] | ReshardResult["kind"] | "traffic-step" | "traffic-spike" | "traffic-ramp";
  atUs: number;
  /** The consumer or delivery stream a fault hits, the stream a reshard acts on (null: the scenario's only one), the producer group whose traffic changes. */
  of: string | null;
  /** A reshard the run made, not the scenario's `reshards:`: who called it (the autoscaling policy, "on-demand", "warm throughput"). */
  by?: string;
}

/** A maximum after warmup that belongs to the start-up. */
export interface BoundaryMaximum {
  metric: "maxIteratorAge" | "maxOldestUnprocessedAge" | "dataFreshness";
  /** The consumer or delivery stream. */
  of: string;
  valueUs: number;
  atUs: number;
  /** When the series had settled to its steady level (with `settleCutBy`: when it was back at that level). */
  settledAtUs: number;
  /**
   * The series was back at its steady level from `settledAtUs` until this fault of the consumer's or delivery stream's
   * own, its first, for less than the 30 s that show it settled: the figures after warmup hold the start-up, and the run
   * shows no more of it, but it could not be seen to settle before the fault.
   */
  settleCutBy?: { kind: FaultResult["kind"]; atUs: number };
  /**
   * The series was at its steady level at the warmup's end and rose after it, in the start-up (with no warmup, an age is
   * nothing yet at the start: a KCL 3.x application reading nothing until the leader's first assignment rises from 0).
   */
  rose?: true;
  /**
   * The series' maximum after warmup is not the start-up's but came after a fault of the consumer or delivery stream
   * (its value, when, and the latest fault of its own that began by then): a warmup would not hide it.
   */
  passedBy?: { valueUs: number; atUs: number; fault: { kind: FaultResult["kind"]; atUs: number } };
}

/** Records a consumer skipped after warmup, when, and whether during its workers' start-up lease balancing. */
export interface SkipSpan {
  of: string;
  records: number;
  fromUs: number;
  untilUs: number;
  startup: boolean;
}

export interface WarmupAdvice {
  warmupUs: number;
  boundaryMaxima: BoundaryMaximum[];
  skips: SkipSpan[];
  /** When the start-up was over: the latest of the boundary maxima's settling and the start-up skips' end (0: none). */
  startupOverUs: number;
  /** The scenario's first scheduled change after its start (null: none): a suggested warmup ends by it. */
  firstChange: ScheduledChange | null;
  /**
   * A warmup that leaves the start-up out, or null when this one does, or when none can without hiding the first
   * change's effect (the start-up was over after it: `startupOverUs` > `firstChange.atUs`). Whole minutes, or, when the
   * next whole minute would pass the first change, whole 10 s, whole seconds, or the change's time itself.
   */
  suggestedUs: number | null;
}

/**
 * The scenario's scheduled changes after its start (at > 0), in the order faults, the scenario's reshards, traffic, the
 * run's other reshards. A reshard an autoscaling policy or the on-demand service called (a stream's reshards by other
 * than "scenario", at its call) counts too: it happened in the run, and a warmup past it hides the shards it opened as
 * surely as one the scenario lists (a split for warm throughput comes at a `reshards:` or mode entry's time, already counted).
 */
export function scheduledChanges(r: RunResult): ScheduledChange[] {
  const several = r.streams.length > 1;
  const changes: ScheduledChange[] = [
    ...r.faults.map((f) => ({ kind: f.kind, atUs: f.atUs, of: f.target })),
    ...r.scenario.reshards.map((x) => ({ kind: x.kind, atUs: x.at, of: x.stream ?? null })),
    ...r.scenario.producers.flatMap((p): ScheduledChange[] => {
      const rate = p.rate;
      if (rate.shape === "step") return rate.levels.map((l) => ({ kind: "traffic-step" as const, atUs: l.at, of: p.name }));
      if (rate.shape === "spikes") return rate.spikes.map((x) => ({ kind: "traffic-spike" as const, atUs: x.at, of: p.name }));
      if (rate.shape === "ramp" && rate.from !== rate.to) return [{ kind: "traffic-ramp", atUs: rate.start, of: p.name }];
      return [];
    }),
    ...r.streams.flatMap((s) => s.reshards.filter((x) => x.by !== "scenario").map((x) => ({ kind: x.kind, atUs: x.calledAtUs, of: several ? s.stream.name : null, by: x.by }))),
  ];
  return changes.filter((c) => c.atUs > 0);
}

/** The first of scheduled changes (of changes at one time, the first in scheduledChanges' order); null: none. */
export function firstChangeOf(changes: readonly ScheduledChange[]): ScheduledChange | null {
  return changes.reduce<ScheduledChange | null>((a, c) => (a === null || c.atUs < a.atUs ? c : a), null);
}

/**
 * The warmup to suggest for a start-up over at `overUs`: the next whole minute, unless that passes `byUs` (the first
 * scheduled change), then the next whole 10 s, or whole second, that does not, else `byUs` itself. Null when the
 * start-up was over after `byUs`: a warmup that leaves it out hides the change's effect too.
 */
export function warmupToSuggest(overUs: number, byUs: number): number | null {
  if (overUs > byUs) return null;
  for (const unit of [60_000_000, 10_000_000, 1_000_000]) {
    const us = Math.ceil(overUs / unit) * unit;
    if (us <= byUs) return us;
  }
  return byUs;
}


/** How long the series must stay at its steady level to count as settled. */
export const SETTLE_HOLD_US = 30_000_000;

/**
 * The steady level of a series' steps [from, n): the lower of two medians, each of a second half, of the steps from
 * `from` and of those from its highest step. A transient above the level can only raise either. The first is the
 * level the run ends at, unless a fault of its own cuts the time short and the start-up's drain fills its second half
 * (helper-126: an age at 39.9 s at 0:40, draining to ~2 s by 0:59, a crash at 1:10: the median of 0:35–1:10 was 11.6 s,
 * its threshold 18.4 s); after its highest step the drain is the first half (2.1 s there). The second fails when a
 * change's lag near the end is the highest (an UpdateShardCount done at 4:00, after which the age climbs to 52 s at 4:52
 * of a 5 min run: the median of its last 4 s is 24.1 s), where the first holds (2.3 s).
 */
function steadyLevel(series: readonly number[], from: number, n: number): number {
  const median = (i: number) => {
    const tail = series.slice(i + Math.floor((n - i) / 2), n).sort((a, b) => a - b);
    return tail[Math.floor(tail.length / 2)]!;
  };
  let top = from;
  for (let i = from; i < n; i++) if (series[i]! > series[top]!) top = i;
  return Math.min(median(from), median(top));
}

/** A start-up transient: its maximum, when the series settled, and how (startupTransient). */
export interface StartupTransient {
  maxUs: number;
  atUs: number;
  settledAtUs: number;
  rose?: true;
  /**
   * The series was back at its steady level from `settledAtUs` to `untilUs`, a fault of its own, for less than the
   * 30 s hold: the run shows no more of the start-up, but the fault came before it could be seen to settle.
   */
  cut?: true;
}

/**
 * The start-up transient of a series after warmup, before `untilUs` (the first fault of the consumer or delivery stream,
 * or the end): the maximum and when the series settled, or null when it was settled by the warmup's end (or never
 * settled: then it is no transient but the run's behaviour). The start-up is still under way at the warmup's end when
 * the series is above its steady level then, or has not yet held that level for 30 s since the run's start and rises
 * above it later (`rose`: with no warmup an age is nothing at first, and a KCL 3.x application reading nothing until the
 * leader's first assignment rises from 0); the steps before `readFromUs` (the consumer's first read, for its iterator
 * age; null: it read nothing) do not count towards that hold. A fault's lag after `untilUs` is the fault's, whatever its
 * size: it neither hides the start-up's maximum nor counts as its relapse. A series back at its level when that fault
 * comes, short of the hold, is a start-up the fault cut (`cut`); at the run's end it is not (one more dip, maybe).
 * `changesUs`, the run's scheduled changes (any fault, reshard, traffic change): the start-up's maximum must top, and
 * its settling outlast, the time to the first change after its rise began (or to the hold's end, if later) only; a
 * climb after it is the change's (helper-126: c's age back up to 10.4 s at 2:39, 80 s after it settled, as another
 * consumer's new lease owner caught up after its crash at 1:10 and took c's shards' reads).
 */
export function startupTransient(
  series: readonly number[],
  resolutionUs: number,
  warmupUs: number,
  untilUs = Infinity,
  readFromUs: number | null = 0,
  changesUs: readonly number[] = [],
): StartupTransient | null {
  const from = Math.ceil(warmupUs / resolutionUs);
  const n = Math.min(series.length, Math.floor(untilUs / resolutionUs));
  if (n - from < 4) return null;
  const steady = steadyLevel(series, from, n);
  const threshold = 1.5 * steady + resolutionUs;
  const hold = Math.max(1, Math.ceil(SETTLE_HOLD_US / resolutionUs));
  // Where the start-up's excursion above the steady level begins: at the warmup's end, or the first step above it after
  // the warmup while the series has not yet held at its level for the hold since the run's start. The steps before the
  // first read (`readFromUs`; null: none) hold nothing: an iterator age is 0 there because nothing was read, not because
  // the reader kept up (a KCL 3.x application reads nothing until the leader's first assignment, 20 s in, and its other
  // workers find their leases up to 10 s later: 10.6 s at 0:30 after 30 zeros counted as steady).
  const read = readFromUs === null ? Infinity : Math.floor(readFromUs / resolutionUs);
  let start = -1;
  if (series[from]! > threshold) start = from;
  else {
    let quiet = 0;
    for (let i = 0; i < n && start < 0; i++) {
      if (series[i]! <= threshold) {
        if (i >= read && ++quiet >= hold) return null;
      } else if (i >= from) start = i;
      else quiet = 0;
    }
    if (start < 0) return null;
  }
  // Cut short by a fault of its own (untilUs before the series' end), not by the run's end.
  const byFault = n < series.length;
  let settled = -1;
  let cut = false;
  for (let i = start; i < n && settled < 0; i++) {
    if (series[i]! > threshold) continue;
    let j = i;
    while (j < n && j < i + hold && series[j]! <= threshold) j++;
    // Settled: at its steady level for the whole hold. A drop in the run's last seconds shows nothing (it may be
    // one more dip of a lag that comes and goes); one that lasts to the fault that ends the time is the start-up's end
    // as far as the run shows it, cut short.
    if (j === i + hold) settled = i;
    else if (j === n && byFault) {
      settled = i;
      cut = true;
    } else i = j;
  }
  if (settled < 0) return null;
  let m = start;
  for (let i = start; i < settled; i++) if (series[i]! > series[m]!) m = i;
  // The time the start-up answers for: to the first scheduled change after its rise began, or the hold's end if later.
  let change = Infinity;
  for (const t of changesUs) if (t > start * resolutionUs) change = Math.min(change, t);
  const end = Math.min(n, Math.max(settled + hold, Math.floor(change / resolutionUs)));
  // Only a maximum of that time is worth a flag: a transient below a later peak decides nothing.
  let peak = 0;
  for (let i = from; i < end; i++) peak = Math.max(peak, series[i]!);
  if (series[m]! < peak || series[m]! <= 2 * steady + resolutionUs) return null;
  // Settled for good: a series that climbs back past a quarter of the start-up's maximum later (a lag that comes and goes,
  // as a starved poller's does) shows the run's behaviour, not a start-up a longer warmup would leave out.
  const relapse = Math.max(threshold, series[m]! / 4);
  for (let i = settled; i < end; i++) if (series[i]! > relapse) return null;
  return {
    maxUs: series[m]!,
    atUs: m * resolutionUs,
    settledAtUs: settled * resolutionUs,
    ...(start > from ? { rose: true as const } : {}),
    ...(cut ? { cut: true as const } : {}),
  };
}

export function warmupAdvice(r: RunResult): WarmupAdvice {
  const res = r.resolutionUs;
  const boundaryMaxima: BoundaryMaximum[] = [];
  const skips: SkipSpan[] = [];
  const from = Math.ceil(r.warmupUs / res);
  // A fault of the consumer or delivery stream (a crash, an outage, an error burst) that began by then: what follows is
  // the fault's, not the start-up's, and a longer warmup would hide it (helper-44: a crash at 0:55 whose lag peaked at
  // 1:49 was called "still draining the start-up", and a 2-minute warmup took it out of the verdict).
  const faultBy = (of: string, atUs: number) => r.faults.some((f) => f.target === of && f.atUs <= atUs);
  // The start-up is judged before the first fault of its own (a later crash's lag may pass the start-up's maximum: the
  // maximum is then the fault's, and the start-up still counts in the figures after warmup).
  const firstFaultUs = (of: string) => r.faults.filter((f) => f.target === of).reduce((a, f) => Math.min(a, f.atUs), Infinity);
  // Every scheduled change bounds the time a start-up answers for (startupTransient): what follows one is its effect.
  const changes = scheduledChanges(r);
  const changesUs = changes.map((c) => c.atUs);
  const boundary = (metric: BoundaryMaximum["metric"], of: string, series: readonly number[], readFromUs: number | null = 0) => {
    const untilUs = firstFaultUs(of);
    const t = startupTransient(series, res, r.warmupUs, untilUs, readFromUs, changesUs);
    if (!t || faultBy(of, t.atUs)) return;
    // The fault that cut the hold short: the first of its own (the first listed, of several at one time).
    const cutBy = t.cut ? r.faults.find((f) => f.target === of && f.atUs === untilUs) : undefined;
    let k = from;
    for (let i = from; i < series.length; i++) if (series[i]! > series[k]!) k = i;
    const fault = r.faults.filter((f) => f.target === of && f.atUs <= k * res).reduce<FaultResult | null>((a, f) => (a === null || f.atUs >= a.atUs ? f : a), null);
    boundaryMaxima.push({
      metric,
      of,
      valueUs: t.maxUs,
      atUs: t.atUs,
      settledAtUs: t.settledAtUs,
      ...(t.rose ? { rose: true as const } : {}),
      ...(cutBy ? { settleCutBy: { kind: cutBy.kind, atUs: cutBy.atUs } } : {}),
      ...(series[k]! > t.maxUs && fault ? { passedBy: { valueUs: series[k]!, atUs: k * res, fault: { kind: fault.kind, atUs: fault.atUs } } } : {}),
    });
  };
  for (const c of r.consumers) {
    boundary("maxIteratorAge", c.name, c.series.iteratorAge, c.firstReadUs);
    boundary("maxOldestUnprocessedAge", c.name, c.series.oldestUnprocessedAge);
    let first = -1;
    let last = -1;
    let records = 0;
    for (let i = from; i < c.series.skipped.length; i++) {
      if (c.series.skipped[i]! <= 0) continue;
      if (first < 0) first = i;
      last = i;
      records += c.series.skipped[i]!;
    }
    if (records > 0) {
      // KCL 2.x start-up: the first worker takes every lease; each other worker steals one per taker pass, so the
      // leases are balanced after about ceil(shards / workers) passes (src/model/kcl/leaseTaker.ts).
      const spec = r.scenario.consumers.find((x) => x.name === c.name);
      const shards = r.streams.find((s) => s.stream.name === c.stream)?.shards.length ?? 0;
      const passUs = spec && (spec.kind === "kcl" || spec.kind === "fanout") ? kclTakerIntervalMs(spec.lease.failover / 1000) * 1000 : 0;
      const balancedUs = (Math.ceil(shards / Math.max(1, c.workers)) + 2) * passUs;
      const untilUs = (last + 1) * res;
      skips.push({ of: c.name, records, fromUs: first * res, untilUs, startup: untilUs <= balancedUs && !faultBy(c.name, untilUs) });
    }
  }
  for (const f of r.firehose) boundary("dataFreshness", f.name, f.series.dataFreshness);
  let needed = 0;
  for (const b of boundaryMaxima) needed = Math.max(needed, b.settledAtUs);
  for (const s of skips) if (s.startup) needed = Math.max(needed, s.untilUs);
  // Ended by the scenario's first scheduled change (helper-120: a start-up over at 1:06 and a worker crash at 1:10 were
  // given `warmup: 2m`, which hid the crash's first 50 s), or none when the start-up was over only after it.
  const firstChange = firstChangeOf(changes);
  const suggestedUs = needed > r.warmupUs ? warmupToSuggest(needed, Math.min(firstChange?.atUs ?? Infinity, r.durationUs)) : null;
  return { warmupUs: r.warmupUs, boundaryMaxima, skips, startupOverUs: needed, firstChange, suggestedUs: suggestedUs !== null && suggestedUs > r.warmupUs ? suggestedUs : null };
}

/**
 * When a series (an age, one value a step) settled after the start-up rose it, before `untilUs` (a consumer's first
 * fault of its own, or the end): it rose above its steady level (1.5 × the median of the second half of the steps
 * from the warmup, or from its highest, to `untilUs`, the lower, plus a step: steadyLevel) within 30 s of the warmup's end, and then stayed at that level for 30 s.
 * Null when it never rose, rose only after holding that level for 30 s (a spike's or a slow consumer's rise, not the
 * start-up's: with a 2 min warmup, a 45 s traffic spike at 3:00 read as "the start-up's reads"), or never settled
 * before `untilUs`. Unlike startupTransient, it asks of the rise no size (twice the steady level) and no maximum of
 * the time before `untilUs`: it says when the start-up was over, not whether a warmup should leave it out.
 */
export function startupSettledAtUs(series: readonly number[], resolutionUs: number, warmupUs: number, untilUs: number): number | null {
  const from = Math.ceil(warmupUs / resolutionUs);
  const n = Math.min(series.length, Math.floor(untilUs / resolutionUs));
  if (n - from < 4) return null;
  const threshold = 1.5 * steadyLevel(series, from, n) + resolutionUs;
  const hold = Math.max(1, Math.ceil(SETTLE_HOLD_US / resolutionUs));
  // The rise must be the start-up's: under way from the warmup's end, not after the series had held its level for a
  // settle's time (30 s) — a later rise is a traffic spike's or a slow consumer's, which no start-up explains.
  let i = from;
  while (i < n && series[i]! <= threshold) i++;
  if (i - from >= hold) return null;
  for (; i + hold <= n; i++) {
    if (series[i]! > threshold) continue;
    let j = i;
    while (j < i + hold && series[j]! <= threshold) j++;
    if (j === i + hold) return i * resolutionUs;
    i = j;
  }
  return null;
}
