// Each fault of the scenario with its measured effect: for a consumer's workers (crash, restart), the lag it
// caused — the oldest unprocessed record's age, highest from the fault until the consumer caught up again, against
// its level just before — when it caught up, and the records processed again, skipped and written twice downstream
// (an output stream's or a sink's) that it caused: lost from the fault until the consumer's next fault, whenever they
// were processed again or skipped (a crash's re-read comes when a restarted worker takes its leases, and the restart
// points to the crash it re-read for; each record once: of its faults at one instant, the first counts them);
// or, when the age never rose above its level before, no visible effect: the age at the end of the span looked at; for a delivery stream's destination or transformation, the
// worst age of the oldest record not yet at the destination (DataFreshness; for Redshift, not yet loaded by COPY) from the fault until delivery caught up again, and the records that left undelivered
// (to a backup, errors/ or processing-failed/) meanwhile; for a Lambda consumer's error burst, the lag, its failed
// invocations and the records discarded meanwhile. Numbers only: src/report words them.

import { quantileSorted } from "d3-array";
import type { FaultSpec } from "../spec/index.js";
import type { AgeCourse, ConsumerResult, FaultResult, FirehoseResult } from "./runResult.js";

/** How long after a fault that never raised the age above its usual level its effect is looked for. */
const QUIET_HORIZON_US = 120_000_000;
/** The span before a fault whose typical age is its level "just before". */
const BEFORE_US = 15_000_000;

/** The age's median over the steps [from, until). */
function medianOver(ages: readonly number[], from: number, until: number): number {
  const window = ages.slice(Math.max(0, from), Math.max(0, until));
  return window.length > 0 ? (quantileSorted([...window].sort((a, b) => a - b), 0.5) ?? 0) : 0;
}

/**
 * The effect of a fault on a series of ages (one value per step, µs): the level just before it (the median of the steps
 * in the 15 s before: the highest age in the minute before took in a start-up backlog drained long before, helper-44),
 * then either a visible effect — the age rose above a threshold after the fault: 1.5 × that level plus one step, or,
 * for an age already growing before it (by more than a step between the two 15 s spans before), 1.5 × that level
 * carried on at the pace it grew, plus one step — with the highest age from the fault until recovery and the step it
 * recovered in, or none. Recovery is the first step after the fault's end whose age is back under the threshold once
 * it has been above it; an age that grows
 * slowly (a crash's unread shards age one second a second) is not "recovered" before it has risen. A fault that never
 * lifts the age above that level within two minutes of its end (or by the end of the run) has no visible effect: no
 * maximum and no recovery of its own (the age may have been growing before it and gone on growing: helper-47's workers
 * added to a consumer already falling behind read "back to normal" one second after, while the age climbed to the end);
 * its effect is the age at the end of the span looked at, and whether it was still growing then (the median of its last
 * 15 s above the median of the 15 s before those).
 */
export function ageEffect(ages: readonly number[], resolutionUs: number, atUs: number, endUs: number): AgeCourse & { untilStep: number } {
  const at = Math.min(ages.length - 1, Math.floor(atUs / resolutionUs));
  const end = Math.min(ages.length - 1, Math.floor(endUs / resolutionUs));
  const lookback = Math.max(1, Math.round(BEFORE_US / resolutionUs));
  const before = medianOver(ages, at - lookback, at);
  // An age already growing before the fault (its last 15 s' median more than a step above the 15 s before's) is
  // expected to go on growing at that pace: the fault shows where the age rises above 1.5 × that trend (helper-48: a
  // worker added 8 minutes before the end of a consumer falling behind 0.5 s a second was "the lag it caused").
  const earlier = medianOver(ages, at - 2 * lookback, at - lookback);
  const slope = at - 2 * lookback >= 0 && before - earlier > resolutionUs ? (before - earlier) / lookback : 0;
  // The median of [at − lookback, at) stands for the middle of that span.
  const threshold = (i: number) => 1.5 * (before + slope * (i - at + lookback / 2)) + resolutionUs;
  const trend = slope > 0 ? { trendUsPerSecond: (slope * 1e6) / resolutionUs } : {};
  const quietUntil = Math.min(ages.length - 1, end + Math.ceil(QUIET_HORIZON_US / resolutionUs));
  let max = 0;
  let risen = false;
  for (let i = at; i < ages.length; i++) {
    max = Math.max(max, ages[i]!);
    if (ages[i]! > threshold(i)) risen = true;
    if (i > end && ages[i]! <= threshold(i) && risen) return { visible: true, beforeUs: before, maxUs: max, recoveredAtUs: i * resolutionUs, ...trend, untilStep: i };
    if (!risen && i >= quietUntil) break;
  }
  if (risen) return { visible: true, beforeUs: before, maxUs: max, recoveredAtUs: null, ...trend, untilStep: ages.length - 1 };
  const last = Math.max(at, quietUntil);
  const growing = medianOver(ages, last + 1 - lookback, last + 1) > medianOver(ages, last + 1 - 2 * lookback, last + 1 - lookback);
  return { visible: false, beforeUs: before, lastUs: ages[last] ?? 0, lastAtUs: (last + 1) * resolutionUs, growing, untilStep: last };
}

/** An ageEffect without its step. */
function course(e: ReturnType<typeof ageEffect>): AgeCourse {
  const { untilStep: _, ...rest } = e;
  return rest;
}

/** The sum of a series over steps [from, until]. */
function sumOver(series: readonly number[], from: number, until: number): number {
  let n = 0;
  for (let i = Math.max(0, from); i <= until && i < series.length; i++) n += series[i]!;
  return n;
}

/**
 * The records a consumer skipped (a new lease owner started at LATEST past records never processed) that were lost
 * from a fault of its workers until its next fault of its own, or the end (series.lostAgain: when the shard's previous
 * record processor stopped, or the new owner started while it still worked): a crash's skips come when its leases' new
 * owners start, which may be long after the lag it caused began (a KCL 3.x leader's lock expiring first), after the
 * age recovered (a skip is what ends the lag), and after a later fault (a worker restart that takes the leases). Of its
 * faults at one instant (a crash and a worker add at 5:00), the first in the scenario's order counts them and the
 * others none, so each skipped record counts once.
 */
function skippedAfter(c: ConsumerResult, f: FaultSpec, faults: readonly FaultSpec[], resolutionUs: number): number {
  const until = ownSpanEnd(c, f, faults, resolutionUs);
  const skipped = c.series.lostAgain.skipped;
  return until === null ? 0 : sumOver(skipped, Math.floor(f.at / resolutionUs), Math.min(until, skipped.length - 1));
}

/**
 * The records a consumer processed again that were lost from a fault of its workers until it caught up (`untilStep`),
 * or its next fault of its own if sooner, by where their new owners started, and the records its output stream took
 * twice lost then; as skippedAfter, counted by when they were lost, not when they were processed again: a crash at
 * 0:14 whose leases a worker restarted at 0:30 took counts what that worker processed again (helper-125: the crash's
 * line said "no record processed again" and the restart's the 4 the crash had processed past the checkpoint). Of its
 * faults at one instant the first counts them and the others none (a crash and a worker add at 5:00 each counted all
 * 24,308 a KCL 3.x application processed again: twice its own count).
 */
function reprocessedAfter(c: ConsumerResult, f: FaultSpec, faults: readonly FaultSpec[], resolutionUs: number, untilStep: number) {
  const span = againSpan(c, f, faults, resolutionUs, untilStep);
  const l = c.series.lostAgain;
  const over = (series: readonly number[]) => (span === null ? 0 : sumOver(series, span.from, span.to));
  const reprocessedFrom = { checkpoint: over(l.fromCheckpoint), trimHorizon: over(l.fromTrimHorizon), latest: over(l.atLatest) };
  return { reprocessed: reprocessedFrom.checkpoint + reprocessedFrom.trimHorizon + reprocessedFrom.latest, reprocessedFrom, writtenAgain: over(l.writtenAgain) };
}

/** The steps [from, to] whose records lost and processed again a fault of a consumer's workers counts (reprocessedAfter); null: none. */
function againSpan(c: ConsumerResult, f: FaultSpec, faults: readonly FaultSpec[], resolutionUs: number, untilStep: number): { from: number; to: number } | null {
  const until = ownSpanEnd(c, f, faults, resolutionUs);
  return until === null ? null : { from: Math.floor(f.at / resolutionUs), to: Math.min(until, untilStep) };
}

/**
 * What the workers a restart or an add started (at `f.at`) processed again that counts to an earlier fault of the
 * consumer's (ConsumerResult.lateReReads: lost before they started, in that fault's againSpan), by that fault, oldest
 * first: a crash's records the restarted worker re-read when it took the crash's leases (helper-125: the restart's line
 * said nothing of them once they counted to the crash).
 */
function reReadFor(c: ConsumerResult, f: FaultSpec, spans: readonly { f: FaultSpec; span: { from: number; to: number } | null }[], resolutionUs: number) {
  const out: { kind: FaultResult["kind"]; atUs: number; records: number }[] = [];
  if (f.kind !== "worker-restart" && f.kind !== "worker-add") return out;
  for (const x of c.lateReReads) {
    if (x.workerStartedAtUs !== f.at) continue;
    const step = Math.floor(x.lostAtUs / resolutionUs);
    const by = spans.find((o) => o.f.at < f.at && o.span !== null && o.span.from <= step && step <= o.span.to);
    if (!by) continue;
    const seen = out.find((o) => o.atUs === by.f.at && o.kind === by.f.kind);
    if (seen) seen.records += x.records;
    else out.push({ kind: by.f.kind, atUs: by.f.at, records: x.records });
  }
  return out.sort((a, b) => a.atUs - b.atUs);
}

/**
 * The last step a fault of a consumer's own counts its records in: the step before its next fault of its own strictly
 * later (Infinity: none); null when an earlier fault in the scenario's order at the same instant counts them.
 */
function ownSpanEnd(c: ConsumerResult, f: FaultSpec, faults: readonly FaultSpec[], resolutionUs: number): number | null {
  const first = faults.find((x) => "consumer" in x && x.consumer === c.name && x.at === f.at);
  if (first !== f) return null;
  const next = faults.filter((x) => "consumer" in x && x.consumer === c.name && x.at > f.at).reduce((a, x) => Math.min(a, x.at), Infinity);
  return Number.isFinite(next) ? Math.floor(next / resolutionUs) - 1 : Infinity;
}

export function faultResults(faults: readonly FaultSpec[], consumers: readonly ConsumerResult[], firehose: readonly FirehoseResult[], resolutionUs: number): FaultResult[] {
  // Each consumer's worker faults with the steps they count their records processed again in (for reReadFor).
  const spans = new Map<string, { f: FaultSpec; span: { from: number; to: number } | null }[]>();
  const results = faults.map((f): FaultResult => {
    const forUs = "for" in f ? f.for : 0;
    if (f.kind === "worker-crash" || f.kind === "worker-restart" || f.kind === "worker-add" || f.kind === "kcl-migration") {
      const c = consumers.find((x) => x.name === f.consumer);
      const e = c ? ageEffect(c.series.oldestUnprocessedAge, resolutionUs, f.at, f.at) : null;
      // A crash that took the KCL 3.x leader: lease assignment waited for another worker to take the lock.
      const lost = f.kind === "worker-crash" ? c?.leaseAssignment?.leaderLosses.find((x) => x.lostAtUs === f.at) : undefined;
      if (c && e) spans.set(c.name, [...(spans.get(c.name) ?? []), { f, span: againSpan(c, f, faults, resolutionUs, e.untilStep) }]);
      return {
        kind: f.kind,
        atUs: f.at,
        forUs,
        target: f.consumer,
        ...("workers" in f ? { workers: f.workers } : {}),
        ...(lost ? { leader: { lockExpiresAtUs: lost.lockExpiresAtUs, lockLeaseUs: lost.lockLeaseUs, takenAtUs: lost.takenAtUs } } : {}),
        effect: e ? { kind: "lag", ...course(e), ...reprocessedAfter(c!, f, faults, resolutionUs, e.untilStep), skipped: skippedAfter(c!, f, faults, resolutionUs), reReadFor: [] } : null,
      };
    }
    if (f.kind === "function-errors") {
      const c = consumers.find((x) => x.name === f.consumer);
      const l = c?.lambda;
      if (!c || !l) return { kind: f.kind, atUs: f.at, forUs, target: f.consumer, effect: null };
      const e = ageEffect(c.series.oldestUnprocessedAge, resolutionUs, f.at, f.at + forUs);
      const from = Math.floor(f.at / resolutionUs);
      const discarded = sumOver(l.series.toDestination, from, e.untilStep) + sumOver(l.series.discarded, from, e.untilStep) + sumOver(l.series.skippedByAge, from, e.untilStep) + sumOver(l.series.toDestinationByAge, from, e.untilStep);
      return {
        kind: f.kind,
        atUs: f.at,
        forUs,
        target: f.consumer,
        effect: { kind: "errors", ...course(e), errors: sumOver(l.series.errors, from, e.untilStep), discarded },
      };
    }
    const d = firehose.find((x) => x.name === f.firehose);
    if (!d) return { kind: f.kind, atUs: f.at, forUs, target: f.firehose, effect: null };
    // The age until the records reach the destination itself: for Redshift, loaded by COPY, which its DataFreshness
    // (DeliveryToS3) does not see: a COPY outage leaves it flat while the staging bucket fills.
    const e = ageEffect(d.series.undeliveredAge, resolutionUs, f.at, f.at + forUs);
    const undelivered = sumOver(d.series.notDeliveredRecords, Math.floor(f.at / resolutionUs), e.untilStep);
    return {
      kind: f.kind,
      atUs: f.at,
      forUs,
      target: f.firehose,
      effect: { kind: "freshness", ...course(e), notDelivered: undelivered, ...(d.destination === "redshift" ? { notLoaded: true as const } : {}) },
    };
  });
  // A restart's or an add's workers' re-reads for earlier faults, once every fault's span is known.
  results.forEach((x, i) => {
    const f = faults[i]!;
    const c = "consumer" in f ? consumers.find((y) => y.name === f.consumer) : undefined;
    if (x.effect?.kind === "lag" && c) x.effect.reReadFor = reReadFor(c, f, spans.get(c.name) ?? [], resolutionUs);
  });
  return results;
}
