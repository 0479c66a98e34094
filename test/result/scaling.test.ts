// Issue 12: what an autoscaling policy did in a run and its misfires, from a hand-made RunResult fragment.
import { describe, expect, it } from "vitest";
import type { ScalingEvent } from "../../src/model/scaling/types.js";
import type { ConsumerResult, StreamRun } from "../../src/result/runResult.js";
import { scalingInputOf, scalingSummary } from "../../src/result/scaling.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const S = 1_000_000;
const MIN = 60 * S;
const steps = <T,>(n: number, at: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => at(i));

const event = (atMin: number, from: number, to: number, outcome: ScalingEvent["outcome"] = "ok"): ScalingEvent => ({
  atUs: atMin * MIN,
  policy: "scaling-utils",
  from,
  to,
  reason: to > from ? "scale-up" : "scale-down",
  utilisationPct: to > from ? 80 : 20,
  outcome,
});

// Two hours at one step a minute. 4 shards; up to 8 at 10 min, down to 4 at 40 min, a refused down to 2 at 70 min.
// The stream throttles in minutes 5-7 (the policy saw 80%, above its 75%) and 90 (it saw 30%). Shard 1 (a hot shard,
// per-minute series) throttles in those minutes; shard 2 (a heatmap row of 10-minute bins) in 110-120 min.
// Consumer "app" lags 5 minutes in minutes 35-45; "fast" never more than a second.
const run = {
  stream: { declared: true, name: "clicks", shardCount: 4, openShards: { atStart: 4, atEnd: 4, meanAfterWarmup: 4 }, writeBurstSeconds: 1, maxRecordSize: 1_048_576, limits: { bytesPerSecond: 1_048_576, recordsPerSecond: 1_000 } },
  series: { incomingRecords: [], incomingBytes: [], throttledRecords: steps(120, (i) => ([5, 6, 7, 90].includes(i) ? 100 : 0)), maxShardUtilisation: [] },
  hotShardSeries: [{ shard: "shardId-000000000001", incomingRecords: [], incomingBytes: [], throttledRecords: steps(120, (i) => ([5, 6, 7].includes(i) ? 100 : i === 90 ? 500 : 0)) }],
  heatmap: {
    binSeconds: 600,
    shards: ["shardId-000000000001", "shardId-000000000002"],
    utilisation: [],
    throttled: [steps(12, (b) => (b === 0 || b === 9 ? 1 : 0)), steps(12, (b) => (b === 11 ? 20 : 0))],
  },
  scaling: [event(10, 4, 8), event(40, 8, 4), event(70, 4, 2, "limit-exceeded")],
  scalingViews: [{ policy: "scaling-utils", scaleUpThresholdPct: 75, utilisationPctByMinute: steps(120, (m) => (m < 10 ? 80 : 30)) }],
} as unknown as StreamRun;
const consumer = (name: string, stream: string, age: (i: number) => number) => ({ name, stream, series: { oldestUnprocessedAge: steps(120, age) } }) as unknown as ConsumerResult;
const consumers = [
  consumer("app", "clicks", (i) => (i >= 35 && i <= 45 ? 300 * S : 0)),
  consumer("fast", "clicks", () => 1 * S),
  consumer("other-stream", "raw", () => 3_600 * S),
];

describe("scalingSummary", () => {
  const summary = scalingSummary(scalingInputOf(run, consumers, MIN, 120 * MIN));

  it("counts scalings by direction and outcome", () => {
    expect(summary).toMatchObject({ events: 3, scaleUps: 1, scaleDowns: 2, byOutcome: { ok: 2, "limit-exceeded": 1, "in-use": 0, invalid: 0, "dry-run": 0 } });
  });

  it("shard-hours from the accepted scalings: 4 × 10 min + 8 × 30 min + 4 × 80 min = 10 shard-hours; 4 to 8 shards", () => {
    expect(summary.shardHours).toBeCloseTo(10, 12);
    expect([summary.minShards, summary.maxShards]).toEqual([4, 8]);
  });

  it("throttled seconds: 4 one-minute steps with throttled writes = 240 s", () => {
    expect(summary.throttledSeconds).toBe(240);
  });

  it("a scale-down while a consumer of the stream lags: the one at 40 min, with app 300 s behind (not fast, not another stream's)", () => {
    expect(summary.misfires.scaleDownWhileLagging).toEqual([{ event: run.scaling![1], consumer: "app", lagUs: 300 * S }]);
  });

  it("a refused scaling with 2 accepted in the 24 h before: another limit than the 10 per 24 h", () => {
    expect(summary.misfires.blocked).toEqual([{ event: run.scaling![2], okCallsIn24h: 2, rule: "other" }]);
  });

  it("hot shards the policy could not see: shard 1 in minute 90 (it saw 30%), shard 2 in 110-120 min; not minutes 5-7 (it saw 80%)", () => {
    expect(summary.misfires.hiddenHotShards).toEqual([
      { shard: "shardId-000000000001", policy: "scaling-utils", throttledSeconds: 60, throttledRecords: 500, firstAtUs: 90 * MIN, maxSeenPct: 30, scaleUpThresholdPct: 75 },
      { shard: "shardId-000000000002", policy: "scaling-utils", throttledSeconds: 600, throttledRecords: 20, firstAtUs: 110 * MIN, maxSeenPct: 30, scaleUpThresholdPct: 75 },
    ]);
  });

  it("a higher lag threshold finds no scale-down misfire", () => {
    expect(scalingSummary(scalingInputOf(run, consumers, MIN, 120 * MIN), { lagThresholdUs: 600 * S }).misfires.scaleDownWhileLagging).toEqual([]);
  });
});

describe("scalingSummary, other inputs", () => {
  const base = { durationUs: 120 * MIN, resolutionUs: MIN, initialShards: 4, throttledRecords: [], shards: [], consumers: [] };

  it("shard-hours from an open-shards series when the run records one: 4 × 0.5 h + 6 × 1.5 h = 11", () => {
    const s = scalingSummary({ ...base, events: [], openShards: steps(120, (i) => (i < 30 ? 4 : 6)) });
    expect(s.shardHours).toBeCloseTo(11, 12);
    expect([s.minShards, s.maxShards]).toEqual([4, 6]);
  });

  // Ten accepted scalings in minutes 0-9, a refusal at 10 min (10 in 24 h: the rule), another at 24 h 5 min (the
  // 24 h before it hold minutes 6-9: 4 calls, so another limit).
  it("the 10-per-24h rule explains a refusal after 10 accepted scalings in the rolling 24 h", () => {
    const events = [...steps(10, (i) => (i % 2 === 0 ? event(i, 4, 8) : event(i, 8, 4))), event(10, 4, 8, "limit-exceeded"), event(24 * 60 + 5, 4, 8, "limit-exceeded")];
    const s = scalingSummary({ ...base, durationUs: 25 * 60 * MIN, events });
    expect(s.misfires.blocked.map((b) => [b.event.atUs / MIN, b.okCallsIn24h, b.rule])).toEqual([
      [10, 10, "10-per-24h"],
      [24 * 60 + 5, 4, "other"],
    ]);
  });

  it("no events, no views: the initial shards for the whole run and no misfires", () => {
    const s = scalingSummary({ ...base, events: [] });
    expect(s).toMatchObject({ events: 0, shardHours: 8, minShards: 4, maxShards: 4, misfires: { scaleDownWhileLagging: [], blocked: [], hiddenHotShards: [] } });
  });
});

describe("the autoscaling section's shard-hours (helper-44)", () => {
  // 4 shards; scaling-utils doubles them at 5:00 (UpdateShardCount 4 → 8, done at 7:00) and again at 8:00 (8 → 16,
  // done at 10:00, the run's end). The shards open when a scaling completes: 4 × 7 min + 8 × 3 min = 52 shard-minutes,
  // 0.867 shard-hours. Counted from the calls it read 1.3 shard-hours. The second scaling's 16 shards open at the end
  // instant (add no shard-hours), as the run's open shards at the end say: "from 4 to 16" (helper-72).
  const r = simulateScenario(
    scenarioOf({
      name: "as",
      seed: 5,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 4 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "step", levels: [{ at: "0s", value: "2000/s" }, { at: "2m", value: "3600/s" }] }, recordSize: { dist: "fixed", size: "100B" } }],
      autoscaling: [
        {
          policy: "scaling-utils",
          scaleOnOperation: ["PUT"],
          minShards: 2,
          maxShards: 16,
          checkInterval: 60,
          scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 2, scalePct: 200 },
          scaleDown: { scaleThresholdPct: 10, scaleAfterMins: 30, scalePct: 50 },
        },
      ],
    }),
  );

  it("counts the shards from when a scaling completes, from its shards' lives", () => {
    const run = r.streams[0]!;
    expect(run.reshards.map((x) => [x.calledAtUs / S, x.doneAtUs / S])).toEqual([
      [300, 420],
      [480, 600],
    ]);
    const s = scalingSummary(scalingInputOf(run, r.consumers, r.resolutionUs, r.durationUs));
    expect(s.shardHours).toBeCloseTo((4 * 7 + 8 * 3) / 60, 9);
    expect([s.minShards, s.maxShards]).toEqual([4, 16]);
    expect(run.stream.openShards.atEnd).toBe(16);
  });
});
