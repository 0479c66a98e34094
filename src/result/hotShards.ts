// Which shards are hottest: most throttled attempts first, then the highest peak-second utilisation, then
// shard order. One ordering for the result's series, the verdict and both reports.

import type { ShardResult } from "./runResult.js";

type Hotness = Pick<ShardResult, "throttledRecords" | "peakOffered">;

export function compareHotness(a: Hotness, b: Hotness): number {
  return b.throttledRecords - a.throttledRecords || b.peakOffered.utilisation - a.peakOffered.utilisation;
}

/** Shard indices, hottest first (stable: ties keep shard order). */
export function hottestFirst(shards: readonly Hotness[]): number[] {
  return [...shards.keys()].sort((a, b) => compareHotness(shards[a]!, shards[b]!) || a - b);
}
