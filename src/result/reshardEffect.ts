// Whether a reshard's completion or the offered load's fall ended write throttling: numbers for the reshards section.

import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import type { ReshardResult } from "./runResult.js";

/** The span after a reshard that must be looked at before its new shards' load says anything (µs). */
const MIN_SPAN_US = 10_000_000;

/**
 * Whether each shard a completed reshard closed would have taken what its new shards took after it (their busiest step
 * of the minute after it, openedLoad): then the offered load fell as it completed, and the reshard is not shown to be
 * what ended the throttling (helper-54: an on-demand split completing at 4:00 as a surge ended; with the split delayed
 * to 6:00 throttling stopped at 4:01 all the same). Each parent alone, against one shard's 1,000 records/s and 1 MiB/s
 * (helper-55: a hot parent's load beside a cold one's fits two shards' limits together, not its own), and only where
 * its new shards throttled nothing then (what they took is then what was offered to its range). Null for a reshard in
 * progress at the end, one whose new shards have several parents, or a span under 10 s (a next reshard called as it
 * completed, the end of the run).
 */
export function closedShardsTakeOpenedLoad(r: ReshardResult): { closed: number; recordsPerSecond: number; bytesPerSecond: number; spanUs: number; within: boolean } | null {
  const load = r.openedLoad;
  if (r.inProgressAtEnd || !load || !load.byParent || load.byParent.length === 0 || load.spanUs < MIN_SPAN_US) return null;
  let recordsPerSecond = 0;
  let bytesPerSecond = 0;
  let within = true;
  for (const p of load.byParent) {
    recordsPerSecond = Math.max(recordsPerSecond, p.recordsPerSecond);
    bytesPerSecond = Math.max(bytesPerSecond, p.bytesPerSecond);
    if (p.throttledRecords > 0 || p.recordsPerSecond > SHARD_WRITE_RECORDS_PER_SECOND || p.bytesPerSecond > SHARD_WRITE_BYTES_PER_SECOND) within = false;
  }
  return { closed: load.byParent.length, recordsPerSecond, bytesPerSecond, spanUs: load.spanUs, within };
}
