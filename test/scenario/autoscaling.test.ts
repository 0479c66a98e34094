// Issue 12: the two autoscaling policies as scenario fields, in the shape of their projects, with their defaults
// and clear errors for the settings that cannot work.
import { describe, expect, it } from "vitest";
import { AutoscalingSchema } from "../../src/spec/index.js";

const S = 1_000_000;
const problems = (input: unknown) => {
  const r = AutoscalingSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};
const up = { scaleThresholdPct: 75, scaleAfterMins: 5, scaleCount: 1 };
const down = { scaleThresholdPct: 25, scaleAfterMins: 15, scaleCount: 1 };

describe("scaling-utils", () => {
  it("takes the README's scale-count example (streamName and region replaced by stream) with the tool's defaults", () => {
    const parsed = AutoscalingSchema.parse({
      policy: "scaling-utils",
      stream: "clicks",
      scaleOnOperation: ["PUT", "GET"],
      minShards: 1,
      maxShards: 16,
      refreshShardsNumberAfterMin: 5,
      checkInterval: 300,
      scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 5, scaleCount: 1, coolOffMins: 15 },
      scaleDown: { scaleThresholdPct: 25, scaleAfterMins: 15, scaleCount: 1, coolOffMins: 60 },
    });
    expect(parsed).toMatchObject({ policy: "scaling-utils", stream: "clicks", minShards: 1, maxShards: 16, checkInterval: 300, publicationLag: 60 * S, beforeRun: "unknown" });
  });

  it("defaults: both operations, a check every 45 s, capacity reloaded every 10 minutes, no cool-off (AutoscalingConfiguration.java)", () => {
    expect(AutoscalingSchema.parse({ policy: "scaling-utils", scaleUp: up, scaleDown: down })).toEqual({
      policy: "scaling-utils",
      scaleOnOperation: ["PUT", "GET"],
      checkInterval: 45,
      refreshShardsNumberAfterMin: 10,
      scaleUp: { ...up, coolOffMins: 0 },
      scaleDown: { ...down, coolOffMins: 0 },
      publicationLag: 60 * S,
      beforeRun: "unknown",
    });
  });

  it("says what is wrong: min above max, neither or both of scaleCount and scalePct, scalePct 100 up, crossed thresholds", () => {
    expect(
      problems({
        policy: "scaling-utils",
        minShards: 8,
        maxShards: 4,
        scaleUp: { scaleThresholdPct: 50, scaleAfterMins: 5, scaleCount: 2, scalePct: 200 },
        scaleDown: { scaleThresholdPct: 60, scaleAfterMins: 15 },
      }),
    ).toEqual([
      "maxShards: maxShards (4) must be at least minShards (8)",
      "scaleUp.scalePct: give scaleUp.scaleCount or scaleUp.scalePct, not both (scaling-utils would use scaleCount and ignore scalePct)",
      "scaleDown: scaleDown needs scaleCount (shards to remove) or scalePct",
      "scaleDown.scaleThresholdPct: scaleDown.scaleThresholdPct (60) must be below scaleUp.scaleThresholdPct (50)",
    ]);
    expect(problems({ policy: "scaling-utils", scaleUp: { ...up, scaleCount: undefined, scalePct: 100 }, scaleDown: down })).toEqual([
      "scaleUp.scalePct: scaleUp.scalePct: 100 multiplies the shard count by 1, so the policy never scales up: use 200 to double, or 1–99 to add that share",
    ]);
  });

  it("needs both directions (the monitor reads both on every check)", () => {
    expect(problems({ policy: "scaling-utils", scaleUp: up })).toEqual(["scaleDown: scaling-utils needs scaleDown: { scaleThresholdPct, scaleAfterMins, scaleCount or scalePct }"]);
  });

  it("rejects fields of the real file that shardcast replaces (streamName, region) by name", () => {
    expect(problems({ policy: "scaling-utils", streamName: "clicks", scaleUp: up, scaleDown: down })[0]).toMatch(/streamName/);
  });
});

describe("cloudwatch-alarms", () => {
  it("defaults: the CloudFormation template's (0.75 in 5 of 5, 0.25 in 57 of 60, 5-minute periods, no iterator-age block, not a dry run)", () => {
    expect(AutoscalingSchema.parse({ policy: "cloudwatch-alarms", stream: "clicks" })).toEqual({
      policy: "cloudwatch-alarms",
      stream: "clicks",
      scaleUpThreshold: 0.75,
      scaleDownThreshold: 0.25,
      scalePeriodMins: 5,
      scaleUpEvaluationPeriod: 5,
      scaleUpDatapointsRequired: 5,
      scaleDownEvaluationPeriod: 60,
      scaleDownDatapointsRequired: 57,
      scaleDownMinIterAgeMins: -1,
      dryRun: false,
      publicationLag: 60 * S,
      beforeRun: "unknown",
    });
  });

  it("says what is wrong: M above N, more than a day of periods, crossed thresholds, an iterator age of 0 minutes", () => {
    expect(
      problems({ policy: "cloudwatch-alarms", scaleUpDatapointsRequired: 6, scaleDownEvaluationPeriod: 300, scaleDownThreshold: 0.8, scaleDownMinIterAgeMins: 0 }),
    ).toEqual([
      "scaleUpDatapointsRequired: scaleUpDatapointsRequired (6) must be at most scaleUpEvaluationPeriod (5): an alarm needs M of its N datapoints",
      "scaleDownEvaluationPeriod: scaleDownEvaluationPeriod × scalePeriodMins is 1500 minutes: a CloudWatch alarm with a period under an hour evaluates at most 1 day (1,440 minutes)",
      "scaleDownThreshold: scaleDownThreshold (0.8) must be below scaleUpThreshold (0.75)",
      "scaleDownMinIterAgeMins: scaleDownMinIterAgeMins: 0 divides by zero in the alarm's metric math; give minutes ≥ 1, or -1 to turn it off",
    ]);
  });

  it("publicationLag is a duration with a unit", () => {
    expect(AutoscalingSchema.parse({ policy: "cloudwatch-alarms", publicationLag: "3m" })).toMatchObject({ publicationLag: 180 * S });
    expect(problems({ policy: "cloudwatch-alarms", publicationLag: "1h" })[0]).toMatch(/out of range/);
  });
});
