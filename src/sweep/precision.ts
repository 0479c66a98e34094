// --precision: replicate until the SLO metrics are known well enough. A configuration's SLO metric is precise
// enough when its interval's half-width, (upper − lower) / 2, is within `halfWidth` (a fraction, 0.1 = 10%)
// of the larger of its mean and its SLO target: relative to the mean (the classic relative-precision rule of
// sequential simulation output analysis), but never finer than that fraction of the target, because a value
// far below its target is judged without knowing it to 10% of itself. A configuration gets one more
// replication per round until all its SLO metrics are precise enough or it has maxReplications.
//
// Replication r has the same seed in every round and every sweep (plan.ts), so a configuration that stops at
// n replications has exactly the numbers `--replications n` gives it.

import { halfWidth, type Estimate } from "./stats.js";

export interface PrecisionRule {
  /** The half-width allowed, as a fraction of max(mean, SLO target). */
  halfWidth: number;
  /** Most replications of one configuration. */
  maxReplications: number;
}

/** The half-width an SLO metric may have under the rule. */
export function allowedHalfWidth(e: Estimate, target: number, rule: PrecisionRule): number {
  return rule.halfWidth * Math.max(Math.abs(e.mean), target);
}

/** Whether every SLO metric of a configuration is as precise as the rule asks (one replication never is: no interval). */
export function precisionMet(metrics: Record<string, Estimate>, slos: readonly { metric: string; target: number }[], rule: PrecisionRule): boolean {
  return slos.every((t) => {
    const e = metrics[t.metric]!;
    return e.ci !== null && halfWidth(e) <= allowedHalfWidth(e, t.target, rule);
  });
}

/** The configurations that need another replication: not precise enough yet, and under the cap. */
export function configsToReplicate(configs: { index: number; replications: number; precisionMet?: boolean }[], rule: PrecisionRule): number[] {
  return configs.filter((c) => c.precisionMet === false && c.replications < rule.maxReplications).map((c) => c.index);
}
