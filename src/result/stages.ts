// Stage tails for the result: where the time went for the records at or above a percentile of a latency.

import type { LatencySummary } from "../metrics/latency.js";
import type { StageBreakdown } from "../metrics/stages.js";
import type { StageTail, StageTails } from "./runResult.js";

/** The breakdown's tails at the latency's p50, p99 and p99.9, with the stages named in order. */
export function stageTails<S extends string>(b: StageBreakdown, latency: LatencySummary, names: readonly S[]): StageTails<S> {
  const at = (thresholdUs: number): StageTail<S> => {
    const t = b.tail(thresholdUs);
    const stagesUs = {} as Record<S, number>;
    names.forEach((n, i) => (stagesUs[n] = t.stageMeansUs[i]!));
    return { count: t.count, meanUs: t.meanUs, stagesUs };
  };
  return { p50: at(latency.p50), p99: at(latency.p99), p999: at(latency.p999) };
}
