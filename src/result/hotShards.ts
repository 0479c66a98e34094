// Which shards are hottest: those that throttled before those that did not, each by the load their writers' first
// attempts offered them (ShardResult.demand: utilisation of the tighter limit, per second of the shard's life after
// warmup), then the most throttled attempts, the highest peak-second utilisation, and shard order. One ordering for
// the result's series, the verdict and both reports.
//
// Not by throttled attempts first: they count every retry, so a writer that retries often and fast multiplies them. A
// shard offered 110% of its limit by such a writer throttles more attempts than one offered 200% by a writer that does
// not retry, yet it is the second that is over its limits. Throttled shards first, so that a throttling stream's
// hottest shard is one of those that throttled (the verdict's and the sweep's sentences name it as such).

import type { ShardResult } from "./runResult.js";

type Hotness = Pick<ShardResult, "throttledRecords" | "peakOffered" | "demand">;

export function compareHotness(a: Hotness, b: Hotness): number {
  return (
    Number(b.throttledRecords > 0) - Number(a.throttledRecords > 0) ||
    b.demand.utilisation - a.demand.utilisation ||
    b.throttledRecords - a.throttledRecords ||
    b.peakOffered.utilisation - a.peakOffered.utilisation
  );
}

/** Shard indices, hottest first (stable: ties keep shard order). */
export function hottestFirst(shards: readonly Hotness[]): number[] {
  return [...shards.keys()].sort((a, b) => compareHotness(shards[a]!, shards[b]!) || a - b);
}
