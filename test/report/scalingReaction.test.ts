// A stream whose autoscaling policy scaled up too late names the policy's reaction, not "write capacity" (helper-94's
// p4: 185 s throttled before a scale-up decided at 9:00 completed at 11:00, which the sweep called "write capacity: shard
// write bytes"). amazon-kinesis-scaling-utils scales up after scaleAfterMins minutes of datapoints above its threshold,
// each readable a publication lag after its minute ends (a shardcast setting, 60 s), checking every checkInterval; the
// stream is UPDATING for UpdateShardCount's time (stream.reshardDuration: 2 min to a multiple of 25% of the open shards).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import { reasonsOf } from "../../src/sweep/summary.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

// Two shards (2 MiB/s, 2,000 records/s) taking 1,000 records/s of 1,000 B (24 B keys), 3,000/s from 3 min (2.93 MiB/s):
// over them.
// scaling-utils doubles after 2 minutes above 75%, up to `maxShards`. By hand: the minutes 3:00–5:00 are high, the
// second readable at 6:00, so it decides between 6:00 and 7:00 (a check a minute), and 2 → 4 shards (a multiple of 25%)
// completes 2 min later; 4 shards take 2.93 MiB/s.
const run = (maxShards: number, shards = 2) =>
  simulateScenario(
    scenarioOf({
      duration: "12m",
      warmup: "1m",
      stream: { name: "s", shards },
      producers: [
        {
          name: "p",
          client: "sdk",
          instances: 4,
          rate: { shape: "step", levels: [{ at: "0s", value: "1000/s" }, { at: "3m", value: "3000/s" }] },
          recordSize: { dist: "fixed", size: "1000B" },
          partitionKey: { kind: "random", length: 24 },
        },
      ],
      autoscaling: [
        {
          policy: "scaling-utils",
          scaleOnOperation: ["PUT"],
          minShards: 2,
          maxShards,
          checkInterval: 60,
          scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 2, scalePct: 200, coolOffMins: 3 },
          scaleDown: { scaleThresholdPct: 25, scaleAfterMins: 3, scalePct: 200, coolOffMins: 5 },
        },
      ],
      slo: { writeThrottledPercent: 0.1 },
    }),
  );
const scaling = (v: ReturnType<typeof verdictOf>) => {
  const c = v.slos[0]!.cause;
  return c?.kind === "writes" ? c.scaling : undefined;
};

describe("a policy that scales up after the traffic has passed the shards", () => {
  const r = run(8);
  const v = verdictOf(r);
  const x = scaling(v)!;

  it("throttled from the step until the scale-up completed, all of it before", () => {
    expect(x.windows).toHaveLength(1);
    const w = x.windows[0]!;
    expect(w.throttledFromUs / 1e6).toBeGreaterThanOrEqual(180);
    expect(w.throttledFromUs / 1e6).toBeLessThan(185);
    expect(w.decidedAtUs / 1e6).toBeGreaterThanOrEqual(360);
    expect(w.decidedAtUs / 1e6).toBeLessThanOrEqual(420);
    expect(w.doneAtUs - w.decidedAtUs).toBe(120_000_000);
    expect([w.from, w.to, w.done]).toEqual([2, 4, true]);
    expect(x.waitingSeconds).toBe(x.throttledSeconds);
  });

  it("the missed SLO and the sweep's reason name the reaction", () => {
    expect(v.slos[0]!.why).toMatch(
      /\. Its autoscaling scaled up too late: of the time stream s throttled writes after warmup, all .* of it came before a scale-up completed: writes throttled from 0:03:0\d \([^)]*\), scaling-utils decided 2 → 4 shards at 0:0[67]:\d\d \(at \d+% as it computed it\) and UpdateShardCount completed at 0:0[89]:\d\d \(scaling-utils scales up after 2 minutes of datapoints above 75%, each published 60 s after its minute, checking every 60 s\)\. The shards it scaled to, in place before the traffic \(minShards: 4\), would have taken it; /,
    );
    const reasons = reasonsOf(r, judge(r)).map((x) => x.kind);
    expect(reasons).toContain("autoscaling reaction");
    expect(reasons.some((k) => k.startsWith("write capacity"))).toBe(false);
  });

  it("the shards it scaled to, in place from the start, throttle nothing", () => {
    expect(verdictOf(run(8, 4)).putThrottledPercent).toBe(0);
  });
});

describe("a policy held at its maxShards", () => {
  it("is short of capacity, not slow: no reaction, and the sweep says write capacity", () => {
    const r = run(2);
    expect(scaling(verdictOf(r))).toBeUndefined();
    expect(reasonsOf(r, judge(r)).map((x) => x.kind)).toContain("write capacity: shard write records");
  });
});
