// A scenario's autoscaling policy as a decision engine, and its checks as events on the simulator's clock.

import type { Micros, Simulator } from "../../engine/index.js";
import type { AutoscalingSpec } from "../../spec/index.js";
import { CloudWatchAlarmPolicy } from "./cloudWatchAlarms.js";
import { ScalingUtilsPolicy } from "./scalingUtils.js";
import type { MinuteMetrics, ScalingEvent, ScalingPolicy, ScalingStream } from "./types.js";

/** The decision engine for `spec`, reading `metrics` and calling `stream`; `name` labels its events (default: the policy kind). */
export function createScalingPolicy(spec: AutoscalingSpec, stream: ScalingStream, metrics: MinuteMetrics, name?: string): ScalingPolicy {
  switch (spec.policy) {
    case "scaling-utils":
      return new ScalingUtilsPolicy(spec, stream, metrics, name);
    case "cloudwatch-alarms":
      return new CloudWatchAlarmPolicy(spec, stream, metrics, name);
  }
}

/**
 * Runs the policy's checks on the simulator until `untilUs`: one event per check, scheduled after the previous
 * one ran, at the time the policy asks for. `onEvent` hears every scaling it records.
 */
export function schedulePolicy(sim: Simulator, policy: ScalingPolicy, untilUs: Micros, onEvent?: (event: ScalingEvent) => void): void {
  const tick = (now: Micros) => {
    const event = policy.check(now);
    if (event && onEvent) onEvent(event);
    const next = policy.nextCheckAt();
    if (next <= now) throw new Error(`policy ${policy.name}: its next check (${next} µs) is not after this one (${now} µs)`);
    if (next <= untilUs) sim.scheduleAt(next, tick);
  };
  const first = policy.nextCheckAt();
  if (first <= untilUs) sim.scheduleAt(Math.max(first, sim.now), tick);
}
