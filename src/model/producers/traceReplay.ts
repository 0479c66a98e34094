// The periods of a traffic trace that a run replays (a trace producer's `rate: { shape: trace }`): what the report
// describes of a trace producer and what `estimate` sizes from.

import type { Micros } from "../../engine/time.js";
import type { Trace } from "../../workload/trace.js";

/** What a run of `durationUs` replays of a trace (see replayedPeriods). */
export interface ReplayedPeriods {
  /** Run periods started (the last perhaps in part), looping when the trace repeats, none after its end when it does not. */
  periods: number;
  /** How long the last of them lasts in the run (µs; 0 when none). */
  lastPeriodUs: Micros;
  /** The trace's records and bytes (null: a records-only trace) in those periods, each counted whole. */
  records: number;
  bytes: number | null;
  /** The same with the last period counted by the part of it the run covers (what the run's records/s count). */
  inRun: { records: number; bytes: number | null };
}

/**
 * The periods a run of `durationUs` replays: those it starts, looping over the trace when `repeat`, none after its end
 * otherwise. Trace period j is replayed ⌊periods ÷ n⌋ times, once more when j < periods mod n.
 */
export function replayedPeriods(trace: Trace, repeat: boolean, durationUs: Micros): ReplayedPeriods {
  const r = replay(trace, repeat, durationUs);
  let records = 0;
  let bytes = 0;
  for (let j = 0; j < trace.records.length; j++) {
    const k = r.times(j);
    if (k === 0) continue;
    records += k * trace.records[j]!;
    if (trace.bytes) bytes += k * trace.bytes[j]!;
  }
  // The last period started, of which the run covers lastPeriodUs ÷ P.
  const j = Math.max(0, r.last);
  const inRun = { records: records - r.cut * (trace.records[j] ?? 0), bytes: trace.bytes ? bytes - r.cut * (trace.bytes[j] ?? 0) : null };
  return { periods: r.periods, lastPeriodUs: r.lastPeriodUs, records, bytes: trace.bytes ? bytes : null, inRun };
}

/** The weight of each trace period in what a run of `durationUs` replays, as replayedPeriods' inRun counts it (the last period in part). */
export function replayedWeights(trace: Trace, repeat: boolean, durationUs: Micros): (period: number) => number {
  const r = replay(trace, repeat, durationUs);
  return (j) => r.times(j) - (j === r.last ? r.cut : 0);
}

/** Periods started, how long the last lasts and the share of it cut off, which trace period it is (−1: none), how many times period j is started. */
function replay(trace: Trace, repeat: boolean, durationUs: Micros) {
  const n = trace.records.length;
  const P = trace.periodUs;
  const started = Math.ceil(durationUs / P);
  const periods = repeat ? started : Math.min(started, n);
  const lastPeriodUs = periods > 0 ? Math.min(P, durationUs - (periods - 1) * P) : 0;
  return {
    periods,
    lastPeriodUs,
    cut: periods > 0 ? 1 - lastPeriodUs / P : 0,
    last: periods > 0 ? (periods - 1) % n : -1,
    times: (j: number) => Math.floor(periods / n) + (j < periods % n ? 1 : 0),
  };
}

/**
 * The sizes of a trace's records, as a run replays them: each period's records all of its mean size (bytes ÷ records
 * × `scale`, whole bytes, at least 1), period j's records counted `weight(j)` times. P(size > l) over those records: a
 * record bills its own size rounded up, so a trace of 100 B and 1,500 B periods bills 1 KiB and 2 KiB records, not
 * their mean, 800 B, as 1 KiB. Null for a records-only trace, or when no record counts.
 */
export function traceSizeMix(trace: Trace, scale: number, weight: (period: number) => number = () => 1): { pOver: (limit: number) => number } | null {
  const bytes = trace.bytes;
  if (!bytes) return null;
  const bySize = new Map<number, number>();
  let total = 0;
  trace.records.forEach((r, j) => {
    const w = r > 0 ? r * weight(j) : 0;
    if (!(w > 0)) return;
    const size = Math.max(1, Math.round((bytes[j]! / r) * scale));
    bySize.set(size, (bySize.get(size) ?? 0) + w);
    total += w;
  });
  if (!(total > 0)) return null;
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  // above[i]: the share of the records larger than sizes[i − 1] (above[0] = 1).
  const above = new Float64Array(sizes.length + 1);
  for (let i = sizes.length - 1; i >= 0; i--) above[i] = above[i + 1]! + bySize.get(sizes[i]!)! / total;
  return {
    pOver: (limit) => {
      // The first size above the limit.
      let lo = 0;
      let hi = sizes.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sizes[mid]! > limit) hi = mid;
        else lo = mid + 1;
      }
      return Math.min(1, above[lo]!);
    },
  };
}

