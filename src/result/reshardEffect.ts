// Whether a reshard's completion or the offered load's fall ended write throttling: numbers for the reshards section.

import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import type { ReshardResult } from "./runResult.js";

/**
 * Whether the shards a completed reshard closed would have taken together what its new shards took after it (their
 * busiest step of the minute after it, openedPeak; only when they throttled nothing then, so that what they took is what
 * was offered to that hash key range):
 * then the offered load fell as it completed, and the reshard is not shown to be what ended the throttling (helper-54:
 * an on-demand split completing at 4:00 as a surge ended; with the split delayed to 6:00 throttling stopped at 4:01 all
 * the same). The closed shards' limits together: n × 1,000 records/s and n × 1 MiB/s (each child's load is within its
 * parent's range, so its parents' sum bounds what they would have had). Null for a reshard in progress at the end.
 */
export function closedShardsTakeOpenedLoad(r: ReshardResult): { closed: number; recordsLimit: number; bytesLimit: number; recordsPerSecond: number; bytesPerSecond: number; spanUs: number; within: boolean } | null {
  const peak = r.openedPeak;
  if (r.inProgressAtEnd || !peak || r.closed.length === 0) return null;
  const recordsLimit = r.closed.length * SHARD_WRITE_RECORDS_PER_SECOND;
  const bytesLimit = r.closed.length * SHARD_WRITE_BYTES_PER_SECOND;
  const { recordsPerSecond, bytesPerSecond, spanUs } = peak;
  return { closed: r.closed.length, recordsLimit, bytesLimit, recordsPerSecond, bytesPerSecond, spanUs, within: peak.throttledRecords === 0 && recordsPerSecond <= recordsLimit && bytesPerSecond <= bytesLimit };
}
