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
  const n = trace.records.length;
  const P = trace.periodUs;
  const started = Math.ceil(durationUs / P);
  const periods = repeat ? started : Math.min(started, n);
  let records = 0;
  let bytes = 0;
  for (let j = 0; j < n; j++) {
    const k = Math.floor(periods / n) + (j < periods % n ? 1 : 0);
    if (k === 0) continue;
    records += k * trace.records[j]!;
    if (trace.bytes) bytes += k * trace.bytes[j]!;
  }
  const lastPeriodUs = periods > 0 ? Math.min(P, durationUs - (periods - 1) * P) : 0;
  // The last period started: trace period (periods − 1) mod n, of which the run covers lastPeriodUs ÷ P.
  const cut = periods > 0 ? 1 - lastPeriodUs / P : 0;
  const j = periods > 0 ? (periods - 1) % n : 0;
  const inRun = { records: records - cut * (trace.records[j] ?? 0), bytes: trace.bytes ? bytes - cut * (trace.bytes[j] ?? 0) : null };
  return { periods, lastPeriodUs, records, bytes: trace.bytes ? bytes : null, inRun };
}
