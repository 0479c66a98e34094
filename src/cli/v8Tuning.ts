// V8 settings the command line runs with: process-wide (worker threads share them), set before any simulation.
// They change how fast a run goes, never what it computes.

import { setFlagsFromString } from "node:v8";

/**
 * The flags, as on a `node` command line (the bench starts its runs with them, so it measures what the CLI runs).
 *
 * --no-allocation-site-pretenuring: V8 moves an allocation site to the old generation when most of its objects
 * survived the last young-generation collections (Heap::ProcessPretenuringFeedback). Whether a site's per-window
 * objects (a KPL's pending Kinesis records, kept for a window) cross that line depends on where the collections fall,
 * so a run was fast or, at random, 3–4× slower for its whole length, with the same results. Measured on a KPL at
 * 1,000 shards × 25 min: with it, 16–26 CPU s in 9 runs of 9; without, 6.0–6.7 s in 6 of 6. The KPL now reuses those
 * objects (5.9–6.5 s with pretenuring on); the flag stays as the guard for any other object kept that long. The
 * pipeline of SDK producers, a KCL application and Firehose at 1,000 shards × 1 h was the same either way (22–26 s).
 */
export const V8_FLAGS: readonly string[] = ["--no-allocation-site-pretenuring"];

/** Sets V8_FLAGS in this process (once, at start-up: before the first run allocates). */
export function tuneV8(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}
