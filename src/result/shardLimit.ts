// The most shards a provisioned stream takes without a limit increase (MAX_SHARDS_PER_STREAM, 10,000: UpdateShardCount
// API reference, https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html, "Scale up to more
// than 10000 shards in a stream" is refused by default), and the throughput past which the AWS sizing formula asks for
// more: what a comparison of modes may not offer as a provisioned stream without saying that it needs the increase.

import { MAX_SHARDS_PER_STREAM } from "../aws/limits.js";
import { formulaShardsAt, type StreamTraffic } from "./modeBill.js";

export { MAX_SHARDS_PER_STREAM };

/** Whether a provisioned stream of `shards` needs a shard limit increase first (more than 10,000). */
export function needsShardLimitIncrease(shards: number): boolean {
  return shards > MAX_SHARDS_PER_STREAM;
}

/**
 * The highest write throughput (bytes/s, within 1 B/s) at which the AWS formula's shards for this traffic are still at
 * most 10,000; `upTo` when they are at `upTo` itself. The formula's shards grow with the throughput, so a bisection finds it.
 */
export function formulaThroughputWithinShardLimit(t: StreamTraffic, upTo: number): number {
  if (!needsShardLimitIncrease(formulaShardsAt(t, upTo))) return upTo;
  let lo = 0;
  let hi = upTo;
  while (hi - lo > 1) {
    const mid = (lo + hi) / 2;
    if (needsShardLimitIncrease(formulaShardsAt(t, mid))) hi = mid;
    else lo = mid;
  }
  return lo;
}
