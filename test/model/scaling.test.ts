// Issue 12: the autoscaling policies as decision engines, against synthetic per-minute CloudWatch metrics and a fake
// stream. Every expectation is worked out by hand in the comment above it, from the rules of
// src/model/scaling/scalingUtils.ts and cloudWatchAlarms.ts (and their sources).
import { describe, expect, it } from "vitest";
import { Simulator } from "../../src/engine/index.js";
import { CloudWatchAlarmPolicy } from "../../src/model/scaling/cloudWatchAlarms.js";
import { createScalingPolicy, schedulePolicy } from "../../src/model/scaling/policy.js";
import { ScalingUtilsPolicy, newShardCount } from "../../src/model/scaling/scalingUtils.js";
import type { MinuteMetrics, ScalingOutcome, ScalingPolicy, ScalingStream } from "../../src/model/scaling/types.js";
import { AutoscalingSchema, type CloudWatchAlarmsSpec, type ScalingUtilsSpec } from "../../src/spec/index.js";

const S = 1_000_000;
const MIN = 60 * S;
const MiB = 1_048_576;

/** A stream that applies UpdateShardCount at once, stays UPDATING for `updatingUs`, and refuses an 11th call within 24 h. */
class FakeStream implements ScalingStream {
  readonly calls: [number, number][] = [];
  private okAt: number[] = [];
  private updatingUntil = -1;
  splitMergeTo?: (target: number) => "ok" | "in-use" | "invalid";
  constructor(
    public shards: number,
    private readonly clock: () => number,
    private readonly updatingUs = 0,
  ) {}
  openShards(): number {
    return this.shards;
  }
  status(): "ACTIVE" | "UPDATING" {
    return this.clock() < this.updatingUntil ? "UPDATING" : "ACTIVE";
  }
  updateShardCount(target: number, t: number): ScalingOutcome {
    this.calls.push([t, target]);
    if (this.okAt.filter((x) => x > t - 24 * 60 * MIN).length >= 10) return "limit-exceeded";
    if (target > 2 * this.shards || 2 * target < this.shards) return "invalid";
    this.okAt.push(t);
    this.shards = target;
    this.updatingUntil = t + this.updatingUs;
    return "ok";
  }
}

/** Per-minute metrics from rates per second by minute: Sum = rate × 60. */
function metricsOf(bytesPerSecond: (minute: number) => number, recordsPerSecond: (minute: number) => number = () => 100, extra: Partial<MinuteMetrics> = {}): MinuteMetrics {
  return { incomingBytes: (m) => bytesPerSecond(m) * 60, incomingRecords: (m) => recordsPerSecond(m) * 60, getRecordsBytes: () => 0, ...extra };
}

const scalingUtils = (over: object): ScalingUtilsSpec =>
  AutoscalingSchema.parse({
    policy: "scaling-utils",
    scaleOnOperation: ["PUT"],
    checkInterval: 60,
    scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 5, scaleCount: 2, coolOffMins: 15 },
    scaleDown: { scaleThresholdPct: 25, scaleAfterMins: 30, scaleCount: 1, coolOffMins: 60 },
    ...over,
  }) as ScalingUtilsSpec;

const alarms = (over: object): CloudWatchAlarmsSpec => AutoscalingSchema.parse({ policy: "cloudwatch-alarms", ...over }) as CloudWatchAlarmsSpec;

/** Runs a policy's checks on a simulator for `untilUs`; the fake stream reads the simulator's clock. */
function run(make: (stream: FakeStream) => ScalingPolicy, shards: number, untilUs: number, updatingUs = 0) {
  const sim = new Simulator();
  const stream = new FakeStream(shards, () => sim.now, updatingUs);
  const policy = make(stream);
  const checks: number[] = [];
  const tick = policy.check.bind(policy);
  policy.check = (t) => {
    checks.push(t);
    return tick(t);
  };
  schedulePolicy(sim, policy, untilUs);
  sim.runUntil(untilUs);
  return { stream, policy, checks };
}

describe("newShardCount: StreamScalingUtils.getNewShardCount's cases (TestScalingUtils.java:16-77)", () => {
  it.each([
    [1, 15, "UP", 2],
    [1, 70, "UP", 2],
    [10, 70, "UP", 17],
    [5, 110, "UP", 6],
    [7, 200, "UP", 14],
    [2, 300, "UP", 6],
    [8, 1100, "UP", 88],
    [3, 15, "DOWN", 3],
    [1, 500, "DOWN", 1],
    [10, 1200, "DOWN", 1],
    [1, 20, "DOWN", 1],
    [10, 20, "DOWN", 8],
    [6, 50, "DOWN", 3],
    [6, 200, "DOWN", 3],
    [5, 110, "DOWN", 4],
    [10, 300, "DOWN", 3],
  ] as const)("%i shards, scalePct %i, %s → %i", (current, pct, dir, expected) => {
    expect(newShardCount(current, undefined, pct, dir)).toBe(expected);
  });

  it("bounded: 10 shards up 70% with max 15 → 15; down by 1200% with min 3 → 3 (TestScalingUtils.java:44-50)", () => {
    expect(newShardCount(10, undefined, 70, "UP", undefined, 15)).toBe(15);
    expect(newShardCount(10, undefined, 1200, "DOWN", 3, undefined)).toBe(3);
  });

  it("scaleCount adds or removes, unclamped (the clamp is StreamScaler's)", () => {
    expect(newShardCount(4, 2, undefined, "UP", undefined, 5)).toBe(6);
    expect(newShardCount(4, 1, undefined, "DOWN", 4, undefined)).toBe(3);
  });
});

describe("ScalingUtilsPolicy", () => {
  // 4 shards, PUT at 80% of 4 MiB/s (3.2 MiB/s) in minutes 0-4, then 50% (2 MiB/s); 100 records/s (2.5%). A check
  // every 60 s; minute m is published at (m + 2) minutes (lag 1 min). Look-back = max(5, 30) = 30 minutes, the
  // minutes before the run left out. At 300 s minutes 0-3 are published: 4 high samples; at 360 s minutes 0-4: 5
  // high ≥ scaleAfterMins 5 → up, 4 + scaleCount 2 = 6, utilisation the bytes' running average 80%.
  const burst = (m: number) => (m < 5 ? 0.8 : 0.5) * 4 * MiB;

  it("scaleCount 2: one UpdateShardCount to 6 at the first check with minute 4 published (360 s)", () => {
    const { stream, policy } = run((s) => new ScalingUtilsPolicy(scalingUtils({}), s, metricsOf(burst)), 4, 60 * MIN);
    expect(stream.calls).toEqual([[360 * S, 6]]);
    expect(policy.events).toHaveLength(1);
    expect(policy.events[0]).toMatchObject({ atUs: 360 * S, policy: "scaling-utils", from: 4, to: 6, reason: "scale-up", outcome: "ok" });
    expect(policy.events[0]!.utilisationPct).toBeCloseTo(80, 9);
  });

  it("scalePct 150: ceil(4 × 1.5) = 6, at the same check", () => {
    const spec = scalingUtils({ scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 5, scalePct: 150, coolOffMins: 15 } });
    const { stream } = run((s) => new ScalingUtilsPolicy(spec, s, metricsOf(burst)), 4, 60 * MIN);
    expect(stream.calls).toEqual([[360 * S, 6]]);
  });

  // Traffic keeps rising: 80% of 6 shards (4.8 MiB/s) from minute 5. After the scale-up at 360 s every check wants
  // another (against the old 4-shard capacity until it is reloaded at 960 s, 10 minutes after the last reload at
  // 300 s; then minutes 5+ are 80% of 6 shards), but the cool-off holds up-scaling until 360 s + 15 min = 1260 s:
  // 6 + 2 = 8 then.
  it("the cool-off holds the next scale-up for coolOffMins after the stream is ACTIVE again", () => {
    const rising = (m: number) => (m < 5 ? 0.8 * 4 : 0.8 * 6) * MiB;
    const { stream } = run((s) => new ScalingUtilsPolicy(scalingUtils({}), s, metricsOf(rising)), 4, 30 * MIN);
    expect(stream.calls).toEqual([
      [360 * S, 6],
      [1260 * S, 8],
    ]);
  });

  // coolOffMins 0: the capacity is not reloaded after an UpdateShardCount (the call returns no report), so the
  // five 80%-of-4-shards minutes stay high samples for every check until the reload at 960 s: +2 shards a minute
  // from 360 s. The fake stream refuses the 11th call in 24 h (at 960 s): limit-exceeded, and without a split/merge
  // model the fallback is not modelled. At 960 s the capacity is reloaded (24 shards): nothing more before the
  // scale-down's 30 low samples at 1800 s.
  it("without a cool-off, the stale capacity scales at every check until the reload; the 11th call in 24 h is refused", () => {
    const spec = scalingUtils({ scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 5, scaleCount: 2 } });
    const { stream, policy } = run((s) => new ScalingUtilsPolicy(spec, s, metricsOf(burst)), 4, 29 * MIN);
    expect(stream.calls).toEqual(Array.from({ length: 11 }, (_, i) => [(360 + 60 * i) * S, 6 + 2 * i]));
    expect(policy.events.map((e) => e.outcome)).toEqual([...Array<string>(10).fill("ok"), "limit-exceeded"]);
    expect(policy.events[10]).toMatchObject({ atUs: 960 * S, from: 24, to: 26, fallback: "not-modelled" });
    expect(stream.shards).toBe(24);
  });

  it("with a split/merge fallback, a refused call reshards that way and reloads the capacity", () => {
    const spec = scalingUtils({ scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 5, scaleCount: 2 } });
    const { policy } = run(
      (s) => {
        s.splitMergeTo = (target) => {
          s.shards = target;
          return "ok";
        };
        return new ScalingUtilsPolicy(spec, s, metricsOf(burst));
      },
      4,
      29 * MIN,
    );
    expect(policy.events.at(-1)).toMatchObject({ atUs: 960 * S, to: 26, outcome: "limit-exceeded", fallback: "ok" });
    expect(policy.events).toHaveLength(11);
  });

  // 20% of 4 MiB/s throughout: at 1800 s minutes 0-28 are published, 29 low samples, plus minute 29 missing = 30
  // ≥ scaleAfterMins 30 → down. (At 1740 s: minutes 0-27, 28 low, + 1 missing; the minute before the run does not
  // count: 29.) scalePct 50: 4 − ⌊4 × 0.5⌋ = 2. The down cool-off (60 min) holds the next one.
  it("scales down at 20% after 30 minutes: the first check with 30 low samples (1800 s), scalePct 50 → 2", () => {
    const spec = scalingUtils({ scaleDown: { scaleThresholdPct: 25, scaleAfterMins: 30, scalePct: 50, coolOffMins: 60 } });
    const { stream, policy } = run((s) => new ScalingUtilsPolicy(spec, s, metricsOf(() => 0.2 * 4 * MiB)), 4, 80 * MIN);
    expect(stream.calls).toEqual([[1800 * S, 2]]);
    expect(policy.events[0]).toMatchObject({ reason: "scale-down", from: 4, to: 2 });
    expect(policy.events[0]!.utilisationPct).toBeCloseTo(20, 9);
  });

  it("beforeRun idle counts the minutes before the run as missing, so low: the first check scales down", () => {
    const spec = scalingUtils({ beforeRun: "idle", scaleDown: { scaleThresholdPct: 25, scaleAfterMins: 30, scalePct: 50, coolOffMins: 60 } });
    const { stream } = run((s) => new ScalingUtilsPolicy(spec, s, metricsOf(() => 0.2 * 4 * MiB)), 4, 10 * MIN);
    expect(stream.calls).toEqual([[0, 2]]);
  });

  it("clamps: minShards 3 stops a scalePct-50 scale-down of 4 at 3; maxShards 5 stops a +2 at 5; at maxShards it calls nothing", () => {
    const low = metricsOf(() => 0.2 * 4 * MiB);
    const down = scalingUtils({ minShards: 3, scaleDown: { scaleThresholdPct: 25, scaleAfterMins: 30, scalePct: 50, coolOffMins: 60 } });
    expect(run((s) => new ScalingUtilsPolicy(down, s, low), 4, 40 * MIN).stream.calls).toEqual([[1800 * S, 3]]);
    const burst5 = metricsOf(burst);
    expect(run((s) => new ScalingUtilsPolicy(scalingUtils({ maxShards: 5 }), s, burst5), 4, 40 * MIN).stream.calls).toEqual([[360 * S, 5]]);
    const atMax = run((s) => new ScalingUtilsPolicy(scalingUtils({ maxShards: 4 }), s, burst5), 4, 40 * MIN);
    expect(atMax.stream.calls).toEqual([]);
    expect(atMax.policy.events).toEqual([]);
  });

  // PUT and GET: GET with no reads has no datapoints, so it votes down (30 low samples and more). PUT at 80% votes
  // up: either up scales up. PUT at 50% votes nothing: down needs both. PUT at 20% votes down too: both down.
  it("PUT and GET: up if either votes up, down only if both do", () => {
    const both = (over: object = {}) => scalingUtils({ scaleOnOperation: ["PUT", "GET"], ...over });
    expect(run((s) => new ScalingUtilsPolicy(both(), s, metricsOf(burst)), 4, 10 * MIN).stream.calls).toEqual([[360 * S, 6]]);
    expect(run((s) => new ScalingUtilsPolicy(both(), s, metricsOf(() => 0.5 * 4 * MiB)), 4, 40 * MIN).stream.calls).toEqual([]);
    expect(run((s) => new ScalingUtilsPolicy(both(), s, metricsOf(() => 0.2 * 4 * MiB)), 4, 40 * MIN).stream.calls).toEqual([[1800 * S, 3]]);
  });

  // The stream stays UPDATING for 90 s after the call at 360 s: the monitor asks at once (UPDATING), after 20 s
  // (380 s), then every second until 450 s (ACTIVE); the cool-off counts from there and the next check is at 510 s.
  it("waits for ACTIVE (at once, after 20 s, then every second) before the cool-off starts and the next check", () => {
    const rising = (m: number) => (m < 5 ? 0.8 * 4 : 0.8 * 6) * MiB;
    const { stream, checks } = run((s) => new ScalingUtilsPolicy(scalingUtils({}), s, metricsOf(rising)), 4, 30 * MIN, 90 * S);
    const afterCall = checks.filter((t) => t > 360 * S && t <= 510 * S);
    expect(afterCall).toEqual([380 * S, ...Array.from({ length: 70 }, (_, i) => (381 + i) * S), 510 * S]);
    // Next scale-up: 450 s + 15 min = 1350 s (every check from 1350 s wants it: minutes 5+ at 80% of 6 shards).
    expect(stream.calls).toEqual([
      [360 * S, 6],
      [1350 * S, 8],
    ]);
  });

  it("records what it saw per minute: the highest utilisation it computed (PUT bytes at 80%, then 50%)", () => {
    const { policy } = run((s) => new ScalingUtilsPolicy(scalingUtils({}), s, metricsOf(burst)), 4, 10 * MIN);
    const seen = policy.view();
    expect(seen.scaleUpThresholdPct).toBe(75);
    expect(seen.utilisationPctByMinute.slice(0, 5).map((v) => Math.round(v!))).toEqual([80, 80, 80, 80, 80]);
    // Minute 5 (2 MiB/s) is first seen at 420 s, after the scale-up, against the 4-shard capacity not reloaded yet: 50%.
    expect(Math.round(seen.utilisationPctByMinute[5]!)).toBe(50);
  });
});

describe("CloudWatchAlarmPolicy", () => {
  // 4 shards, 80% of 4 MiB/s in minutes 0-14, then 50%. 5-minute periods; an evaluation every minute on the
  // periods ending at the last published minute (lag 1 min: at k minutes the last is k − 2, the periods end at
  // k − 1). 3 of 5: the first evaluation with three whole 80% periods is at 16 min (periods [10,15), [5,10),
  // [0,5)); at 15 min [-1,4) reaches before the run (missing) and [4,9), [9,14) make 2. The Lambda doubles: 4 → 8.
  const burst = (m: number) => (m < 15 ? 0.8 : 0.5) * 4 * MiB;

  it("scale-up after N of M datapoints: 3 of 5 → 4 × 2 = 8 at 16 min", () => {
    const spec = alarms({ scaleUpDatapointsRequired: 3 });
    const { stream, policy } = run((s) => new CloudWatchAlarmPolicy(spec, s, metricsOf(burst)), 4, 40 * MIN);
    expect(stream.calls).toEqual([[16 * MIN, 8]]);
    expect(policy.events[0]).toMatchObject({ atUs: 16 * MIN, policy: "cloudwatch-alarms", from: 4, to: 8, reason: "scale-up", outcome: "ok" });
    expect(policy.events[0]!.utilisationPct).toBeCloseTo(80, 9);
  });

  it("the default 5 of 5 needs 25 minutes of 80%: never with 15", () => {
    const { stream } = run((s) => new CloudWatchAlarmPolicy(alarms({}), s, metricsOf(burst)), 4, 60 * MIN);
    expect(stream.calls).toEqual([]);
  });

  // 80% except minutes 5-9 (50%): at 21 min the periods [15,20), [10,15), [0,5) breach and [5,10) does not: 3 of 5.
  // Earlier evaluations see at most 2 (at 15 min: [10,15) and [0,5)); a period with a 50% minute averages ≤ 74%.
  it("M of N tolerates a quiet period: 3 of 5 with minutes 5-9 at 50% alarms at 21 min", () => {
    const gap = (m: number) => (m >= 5 && m < 10 ? 0.5 : 0.8) * 4 * MiB;
    const { stream } = run((s) => new CloudWatchAlarmPolicy(alarms({ scaleUpDatapointsRequired: 3 }), s, metricsOf(gap)), 4, 22 * MIN);
    expect(stream.calls).toEqual([[21 * MIN, 8]]);
  });

  // 20% throughout; scale-down 5 of 6 below 0.25: five whole periods first at 26 min (end 25). 4 / 2 = 2; then the
  // alarms are rewritten for 2 shards: 0.8 MiB/s of 2 MiB/s = 40%, no further scaling.
  it("scale-down halves after M of N low datapoints, then the rewritten alarms see the new capacity", () => {
    const spec = alarms({ scaleDownEvaluationPeriod: 6, scaleDownDatapointsRequired: 5 });
    const { stream, policy } = run((s) => new CloudWatchAlarmPolicy(spec, s, metricsOf(() => 0.2 * 4 * MiB)), 4, 90 * MIN);
    expect(stream.calls).toEqual([[26 * MIN, 2]]);
    expect(policy.events[0]).toMatchObject({ reason: "scale-down", from: 4, to: 2 });
    expect(policy.events[0]!.utilisationPct).toBeCloseTo(20, 9);
  });

  it("a 1-shard stream's scale-down threshold is -1: never scales down, even idle", () => {
    const spec = alarms({ scaleDownEvaluationPeriod: 6, scaleDownDatapointsRequired: 5 });
    expect(run((s) => new CloudWatchAlarmPolicy(spec, s, metricsOf(() => 0, () => 0)), 1, 90 * MIN).stream.calls).toEqual([]);
  });

  // scaleDownMinIterAgeMins 30: the age term is age (min) × 0.25 / 30; 40 minutes → 0.33 ≥ 0.25 blocks; 20 → 0.17 does not.
  it("the iterator age blocks scale-downs at scaleDownMinIterAgeMins and above", () => {
    const spec = alarms({ scaleDownEvaluationPeriod: 6, scaleDownDatapointsRequired: 5, scaleDownMinIterAgeMins: 30 });
    const aged = (minutes: number) => metricsOf(() => 0.2 * 4 * MiB, () => 100, { iteratorAgeMaxMs: () => minutes * 60_000 });
    expect(run((s) => new CloudWatchAlarmPolicy(spec, s, aged(40)), 4, 40 * MIN).stream.calls).toEqual([]);
    expect(run((s) => new CloudWatchAlarmPolicy(spec, s, aged(20)), 4, 40 * MIN).stream.calls).toEqual([[26 * MIN, 2]]);
  });

  // Threshold 0.0001 with 0.5 MiB/s on 1 shard: after each doubling the alarms go to INSUFFICIENT_DATA and the next
  // evaluation (the same periods, divided by the new count: 0.5 / 1,024 ≥ 0.0001) alarms again: 26 min
  // → 2, 27 → 4, …, 35 → 1,024. The 11th call (36 min) is refused: the alarm is set to OK and alarms again at the
  // next evaluation, so the Lambda tries every minute.
  it("limit-exceeded after 10 calls in 24 h: the alarm is reset to OK and retries every minute", () => {
    const spec = alarms({ scaleUpThreshold: 0.0001, scaleDownThreshold: 0.00001 });
    const { policy } = run((s) => new CloudWatchAlarmPolicy(spec, s, metricsOf(() => 0.5 * MiB)), 1, 40 * MIN);
    expect(policy.events.map((e) => [e.atUs / MIN, e.to, e.outcome])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => [26 + i, 2 ** (i + 1), "ok"]),
      ...Array.from({ length: 5 }, (_, i) => [36 + i, 2048, "limit-exceeded"]),
    ]);
  });

  it("dryRun calls nothing and leaves the alarm in ALARM: one event while the condition holds", () => {
    const spec = alarms({ scaleUpDatapointsRequired: 3, dryRun: true });
    const { stream, policy } = run((s) => new CloudWatchAlarmPolicy(spec, s, metricsOf(() => 0.8 * 4 * MiB)), 4, 60 * MIN);
    expect(stream.calls).toEqual([]);
    expect(policy.events.map((e) => [e.atUs / MIN, e.to, e.outcome])).toEqual([[16, 8, "dry-run"]]);
  });
});

describe("createScalingPolicy and schedulePolicy", () => {
  it("builds the engine of the spec's policy kind and stops scheduling checks after the end", () => {
    const { policy, checks } = run((s) => createScalingPolicy(scalingUtils({}), s, metricsOf(() => 0)), 4, 10 * MIN);
    expect(policy).toBeInstanceOf(ScalingUtilsPolicy);
    expect(checks).toEqual(Array.from({ length: 11 }, (_, i) => i * MIN));
    const alarm = run((s) => createScalingPolicy(alarms({}), s, metricsOf(() => 0)), 4, 3 * MIN);
    expect(alarm.policy).toBeInstanceOf(CloudWatchAlarmPolicy);
    expect(alarm.checks).toEqual([1 * MIN, 2 * MIN, 3 * MIN]);
  });
});
