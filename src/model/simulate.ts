// Runs a built model to the end of the scenario and settles what is measured at the end (peak-second
// trackers, producers' in-flight counts, consumers' last iterator ages and what expired unread, and the records
// still inside at the end as censored latency observations).

import type { Micros } from "../engine/time.js";
import type { Model } from "./build.js";

/** Where a run stands: virtual time reached and events run so far (no wall clock: the caller adds it). */
export interface SimProgress {
  virtualUs: Micros;
  durationUs: Micros;
  events: number;
}

export interface SimulateOptions {
  /**
   * Called after each 1/PROGRESS_STEPS of the scenario's virtual time, and once at the end. Absent, the run is
   * one runUntil, as if there were no hook. Present, the run advances in slices; events run in the same order
   * either way, so the results are the same.
   */
  onProgress?: (progress: SimProgress) => void;
}

/** Slices of virtual time between progress calls: each costs one runUntil and one call. */
export const PROGRESS_STEPS = 1000;

export function simulate(model: Model, options: SimulateOptions = {}): Model {
  const { sim, duration } = model;
  const onProgress = options.onProgress;
  if (onProgress) {
    for (let i = 1; i < PROGRESS_STEPS; i++) {
      // Integer microseconds, computed from i, never accumulated.
      const until = Math.floor((duration * i) / PROGRESS_STEPS);
      if (until <= sim.now) continue;
      sim.runUntil(until);
      onProgress({ virtualUs: until, durationUs: duration, events: sim.eventsProcessed });
    }
  }
  sim.runUntil(duration);
  onProgress?.({ virtualUs: duration, durationUs: duration, events: sim.eventsProcessed });
  for (const s of model.streams) s.finish();
  for (const p of model.producers) p.model.finish?.();
  for (const c of [...model.consumers, ...model.lambdas]) {
    c.sampleAges(duration);
    c.finish(duration);
  }
  for (const f of model.firehoses) f.finish(duration);
  for (const s of model.sinks) s.finish(duration);
  return model;
}
