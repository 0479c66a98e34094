// Each fault of the scenario with its measured effect: for a consumer's workers (crash, restart), the lag it
// caused — the oldest unprocessed record's age, highest from the fault until the consumer caught up again, against
// its level just before — and when it caught up; for a delivery stream's destination or transformation, the
// worst DataFreshness from the fault until delivery caught up again, and the records that left undelivered
// (to a backup, errors/ or processing-failed/) meanwhile. Numbers only: src/report words them.

import type { FaultSpec } from "../spec/index.js";
import type { ConsumerResult, FaultResult, FirehoseResult } from "./runResult.js";

/**
 * The effect of a fault on a series of ages (one value per step, µs): the level before it (the highest age in the
 * minute before), the highest age from the fault until recovery, and the step it recovered in — the first step
 * at or after the fault's end whose age is back within 1.5 × the level before (plus one step) — or null.
 */
function ageEffect(ages: readonly number[], resolutionUs: number, atUs: number, endUs: number): { beforeUs: number; maxUs: number; recoveredAtUs: number | null; untilStep: number } {
  const at = Math.min(ages.length - 1, Math.floor(atUs / resolutionUs));
  const end = Math.min(ages.length - 1, Math.floor(endUs / resolutionUs));
  const lookback = Math.max(1, Math.round(60_000_000 / resolutionUs));
  let before = 0;
  for (let i = Math.max(0, at - lookback); i < at; i++) before = Math.max(before, ages[i]!);
  const threshold = 1.5 * before + resolutionUs;
  let max = 0;
  let recovered: number | null = null;
  let i = at;
  for (; i < ages.length; i++) {
    max = Math.max(max, ages[i]!);
    if (i > end && ages[i]! <= threshold) {
      recovered = i;
      break;
    }
  }
  return { beforeUs: before, maxUs: max, recoveredAtUs: recovered === null ? null : recovered * resolutionUs, untilStep: recovered ?? ages.length - 1 };
}

export function faultResults(faults: readonly FaultSpec[], consumers: readonly ConsumerResult[], firehose: readonly FirehoseResult[], resolutionUs: number): FaultResult[] {
  return faults.map((f): FaultResult => {
    const forUs = "for" in f ? f.for : 0;
    if (f.kind === "worker-crash" || f.kind === "worker-restart") {
      const c = consumers.find((x) => x.name === f.consumer);
      const e = c ? ageEffect(c.series.oldestUnprocessedAge, resolutionUs, f.at, f.at) : null;
      return {
        kind: f.kind,
        atUs: f.at,
        forUs,
        target: f.consumer,
        workers: f.workers,
        effect: e ? { kind: "lag", beforeUs: e.beforeUs, maxUs: e.maxUs, recoveredAtUs: e.recoveredAtUs } : null,
      };
    }
    const d = firehose.find((x) => x.name === f.firehose);
    if (!d) return { kind: f.kind, atUs: f.at, forUs, target: f.firehose, effect: null };
    const e = ageEffect(d.series.dataFreshness, resolutionUs, f.at, f.at + forUs);
    const from = Math.floor(f.at / resolutionUs);
    let undelivered = 0;
    for (let i = from; i <= e.untilStep && i < d.series.notDeliveredRecords.length; i++) undelivered += d.series.notDeliveredRecords[i]!;
    return {
      kind: f.kind,
      atUs: f.at,
      forUs,
      target: f.firehose,
      effect: { kind: "freshness", beforeUs: e.beforeUs, maxUs: e.maxUs, recoveredAtUs: e.recoveredAtUs, notDelivered: undelivered },
    };
  });
}
