// Stage tails for the result: where the time went for the slowest records of a latency (its slowest half, 1%, 0.1%).

import type { LatencySummary } from "../metrics/latency.js";
import type { StageBreakdown } from "../metrics/stages.js";
import type { StageTail, StageTails } from "./runResult.js";

/** The breakdown's slowest half, 1% and 0.1% of records, with the stages named in order. */
export function stageTails<S extends string>(b: StageBreakdown, latency: LatencySummary, names: readonly S[]): StageTails<S> {
  const at = (share: number, percentileUs: number): StageTail<S> => {
    const t = b.slowest(share, percentileUs);
    const stagesUs = {} as Record<S, number>;
    names.forEach((n, i) => (stagesUs[n] = t.stageMeansUs[i]!));
    return { count: t.count, meanUs: t.meanUs, stagesUs };
  };
  return { p50: at(0.5, latency.p50), p99: at(0.01, latency.p99), p999: at(0.001, latency.p999) };
}
