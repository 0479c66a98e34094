// Autoscaling policies that change a provisioned stream's shard count while the run goes (issue 12), each in the
// shape of the real project so a planner can paste its configuration:
// - `scaling-utils`: awslabs/amazon-kinesis-scaling-utils' autoscaling monitor, with the field names of its JSON
//   configuration (README "Automatic Scaling"; AutoscalingConfiguration.java, ScalingConfig.java at 23ba220);
// - `cloudwatch-alarms`: aws-samples/kinesis-auto-scaling, two CloudWatch alarms and a Lambda, with the settings of
//   its Lambda's environment in camelCase (golang/scale.go:90-185) and its CloudFormation template's defaults.
// Both decide from per-minute, stream-level CloudWatch metrics, as the real ones do. Two settings are shardcast's
// own: how late CloudWatch publishes a minute, and what the policy knows of the time before the run.
// The decision engines are src/model/scaling/; docs/model.md ("Autoscaling policies") says how they decide.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { S, streamRef } from "./common.js";
import { duration } from "./fields.js";

const MAX_MINS = 7 * 24 * 60;

/** shardcast's settings, shared by both policies (not fields of the real projects). */
const simulatorSettings = {
  publicationLag: duration(0, 15 * 60 * S)
    .prefault(`${L.CLOUDWATCH_PUBLICATION_LAG_S}s`)
    .describe(
      `shardcast setting: how long after a minute ends CloudWatch has its datapoint; the policy sees only minutes published by then. AWS does not document it (assumption). Default: ${L.CLOUDWATCH_PUBLICATION_LAG_S}s.`,
    ),
  beforeRun: z
    .enum(["unknown", "idle"])
    .default("unknown")
    .describe(
      "shardcast setting: the minutes before the run. unknown (default): left out of the look-back, neither busy nor idle, so the policy does not act on a history the scenario does not have; idle: minutes without data, as a policy started on a new stream sees them (scaling-utils counts them as low samples).",
    ),
};

const stream = () => streamRef().optional().describe("The stream the policy scales (required when the scenario has several).");

/** scaleUp or scaleDown of scaling-utils (ScalingConfig.java; README "Automatic Scaling"). */
const scalingUtilsAction = (up: boolean) =>
  z.strictObject(
    {
      scaleThresholdPct: z
        .int()
        .min(0)
        .max(10_000)
        .describe(
          up
            ? "A minute whose utilisation (its 1-minute Sum ÷ 60 s ÷ the stream's capacity) is above this % is a high sample (StreamMonitor.java:161)."
            : "A minute whose utilisation is below this % is a low sample; so is every minute of the look-back CloudWatch has no datapoint for (StreamMonitor.java:163-173).",
        ),
      scaleAfterMins: z
        .int()
        .min(1)
        .max(L.CLOUDWATCH_GET_METRIC_STATISTICS_MAX_DATAPOINTS)
        .describe(
          up
            ? "High samples needed to scale up, counted in a look-back of the larger scaleAfterMins of the two (not necessarily consecutive) (StreamMonitor.java:224, 392)."
            : "Low samples needed to scale down, in the same look-back (StreamMonitor.java:226, 392).",
        ),
      scaleCount: z
        .int()
        .min(1)
        .max(L.MAX_SHARDS_PER_STREAM)
        .optional()
        .describe(up ? "Shards to add (StreamScalingUtils.java:399-400). Give scaleCount or scalePct." : "Shards to remove (StreamScalingUtils.java:418-419). Give scaleCount or scalePct."),
      scalePct: z
        .int()
        .min(1)
        .max(100_000)
        .optional()
        .describe(
          up
            ? "Or: below 100 adds that % of the open shards (20 → × 1.2), from 100 multiplies by it (150 → × 1.5, 200 → × 2), rounded up (StreamScalingUtils.java:402-411). 100 would keep the count."
            : "Or: up to 100 removes that % of the open shards rounded down (25 → 75 of 100 left), above 100 divides by it (200 → ½) rounded down (StreamScalingUtils.java:421-434).",
        ),
      coolOffMins: z
        .int()
        .min(0)
        .max(MAX_MINS)
        .default(0)
        .describe(
          up
            ? "Minutes after a scale-up (counted from when the stream is ACTIVE again) before the next scale-up; scale-downs are not held back (StreamMonitor.java:272-273, 302). Default: 0 (AutoscalingConfiguration.java:233-235)."
            : "Minutes after a scale-down before the next scale-down (StreamMonitor.java:321-322, 343). Default: 0 (AutoscalingConfiguration.java:230-232).",
        ),
    },
    // scaling-utils reads both directions' settings on every check (StreamMonitor.java:392-393), so both are required.
    { error: (iss) => (iss.input === undefined ? `scaling-utils needs ${up ? "scaleUp" : "scaleDown"}: { scaleThresholdPct, scaleAfterMins, scaleCount or scalePct }` : undefined) },
  );

const ScalingUtilsSchema = z
  .strictObject({
    policy: z.literal("scaling-utils"),
    stream: stream(),
    scaleOnOperation: z
      .array(z.enum(["PUT", "GET"]))
      .min(1)
      .default(["PUT", "GET"])
      .describe(
        "The operations whose utilisation decides: PUT (PutRecord(s) bytes and records against 1 MiB/s and 1,000 records/s per shard), GET (GetRecords bytes and records against 2 MiB/s and 2,000 records/s). With both, either voting up scales up and both voting down scales down (StreamMonitor.java:240-254). Default: both (AutoscalingConfiguration.java:225-227).",
      ),
    minShards: z.int().min(1).max(L.MAX_SHARDS_PER_STREAM).optional().describe("The fewest shards the policy scales down to (StreamScaler.java:456-461). Default: none."),
    maxShards: z.int().min(1).max(L.MAX_SHARDS_PER_STREAM).optional().describe("The most shards the policy scales up to. Default: none (UpdateShardCount's own limits still apply)."),
    checkInterval: z
      .int()
      .min(1)
      .max(86_400)
      .default(L.SCALING_UTILS_CHECK_INTERVAL_S)
      .describe(`Seconds between the end of one check and the next (StreamMonitor.java:446). Default: ${L.SCALING_UTILS_CHECK_INTERVAL_S} (AutoscalingConfiguration.java:60).`),
    refreshShardsNumberAfterMin: z
      .int()
      .min(1)
      .max(MAX_MINS)
      .default(L.SCALING_UTILS_REFRESH_SHARDS_AFTER_MIN)
      .describe(
        `The capacity utilisation is measured against is reloaded after a check that scales nothing, and at least this often; after a scaling it stays the old one until then (StreamMonitor.java:414-442). Default: ${L.SCALING_UTILS_REFRESH_SHARDS_AFTER_MIN} (AutoscalingConfiguration.java:56).`,
      ),
    scaleUp: scalingUtilsAction(true).describe("When and by how much to scale up."),
    scaleDown: scalingUtilsAction(false).describe("When and by how much to scale down."),
    ...simulatorSettings,
  })
  .superRefine((p, ctx) => {
    if (p.minShards !== undefined && p.maxShards !== undefined && p.minShards > p.maxShards) {
      ctx.addIssue({ code: "custom", path: ["maxShards"], message: `maxShards (${p.maxShards}) must be at least minShards (${p.minShards})` });
    }
    for (const dir of ["scaleUp", "scaleDown"] as const) {
      const a = p[dir];
      if (!a) continue;
      if (a.scaleCount === undefined && a.scalePct === undefined) {
        ctx.addIssue({ code: "custom", path: [dir], message: `${dir} needs scaleCount (shards to ${dir === "scaleUp" ? "add" : "remove"}) or scalePct` });
      }
      if (a.scaleCount !== undefined && a.scalePct !== undefined) {
        ctx.addIssue({ code: "custom", path: [dir, "scalePct"], message: `give ${dir}.scaleCount or ${dir}.scalePct, not both (scaling-utils would use scaleCount and ignore scalePct)` });
      }
    }
    if (p.scaleUp?.scaleCount === undefined && p.scaleUp?.scalePct === 100) {
      ctx.addIssue({ code: "custom", path: ["scaleUp", "scalePct"], message: "scaleUp.scalePct: 100 multiplies the shard count by 1, so the policy never scales up: use 200 to double, or 1–99 to add that share" });
    }
    if (p.scaleUp && p.scaleDown && p.scaleDown.scaleThresholdPct >= p.scaleUp.scaleThresholdPct) {
      ctx.addIssue({
        code: "custom",
        path: ["scaleDown", "scaleThresholdPct"],
        message: `scaleDown.scaleThresholdPct (${p.scaleDown.scaleThresholdPct}) must be below scaleUp.scaleThresholdPct (${p.scaleUp.scaleThresholdPct})`,
      });
    }
  })
  .describe(
    "awslabs/amazon-kinesis-scaling-utils' autoscaling monitor, in its own JSON shape (`stream` instead of streamName and region): every checkInterval it reads the stream's per-minute PUT and/or GET metrics and calls UpdateShardCount.",
  );

const CloudWatchAlarmsSchema = z
  .strictObject({
    policy: z.literal("cloudwatch-alarms"),
    stream: stream(),
    scaleUpThreshold: z
      .number()
      .min(0)
      .max(100)
      .default(L.AUTO_SCALING_UP_THRESHOLD)
      .describe(
        `SCALE_UP_THRESHOLD: the scale-up alarm's datapoint breaches at ≥ this share of the stream's capacity (1.0 = 100%), the higher of IncomingBytes ÷ (1 MiB × period × shards) and IncomingRecords ÷ (1,000 × period × shards). Default: ${L.AUTO_SCALING_UP_THRESHOLD} (kinesis_scaling_cf.yaml:25-28).`,
      ),
    scaleDownThreshold: z
      .number()
      .min(0)
      .max(100)
      .default(L.AUTO_SCALING_DOWN_THRESHOLD)
      .describe(`SCALE_DOWN_THRESHOLD: the scale-down alarm's datapoint breaches below it. Default: ${L.AUTO_SCALING_DOWN_THRESHOLD} (kinesis_scaling_cf.yaml:29-32).`),
    scalePeriodMins: z
      .int()
      .min(1)
      .max(60)
      .default(L.AUTO_SCALING_PERIOD_MINS)
      .describe(
        `SCALE_PERIOD_MINS: the alarms' period in minutes. Default: ${L.AUTO_SCALING_PERIOD_MINS} (kinesis_scaling_cf.yaml:72; the Lambda hard-codes 5 when it rewrites the alarms, scale.go:365; shardcast uses this value throughout).`,
      ),
    scaleUpEvaluationPeriod: z
      .int()
      .min(1)
      .max(1_440)
      .default(L.AUTO_SCALING_UP_EVALUATION_PERIODS)
      .describe(`SCALE_UP_EVALUATION_PERIOD: the scale-up alarm's EvaluationPeriods (N). Default: ${L.AUTO_SCALING_UP_EVALUATION_PERIODS} (kinesis_scaling_cf.yaml:74).`),
    scaleUpDatapointsRequired: z
      .int()
      .min(1)
      .max(1_440)
      .default(L.AUTO_SCALING_UP_DATAPOINTS)
      .describe(`SCALE_UP_DATAPOINTS_REQUIRED: its DatapointsToAlarm (M of N). Default: ${L.AUTO_SCALING_UP_DATAPOINTS} (kinesis_scaling_cf.yaml:75).`),
    scaleDownEvaluationPeriod: z
      .int()
      .min(1)
      .max(1_440)
      .default(L.AUTO_SCALING_DOWN_EVALUATION_PERIODS)
      .describe(`SCALE_DOWN_EVALUATION_PERIOD: the scale-down alarm's EvaluationPeriods. Default: ${L.AUTO_SCALING_DOWN_EVALUATION_PERIODS} (kinesis_scaling_cf.yaml:77).`),
    scaleDownDatapointsRequired: z
      .int()
      .min(1)
      .max(1_440)
      .default(L.AUTO_SCALING_DOWN_DATAPOINTS)
      .describe(`SCALE_DOWN_DATAPOINTS_REQUIRED: its DatapointsToAlarm. Default: ${L.AUTO_SCALING_DOWN_DATAPOINTS} (kinesis_scaling_cf.yaml:78).`),
    scaleDownMinIterAgeMins: z
      .int()
      .min(-1)
      .max(MAX_MINS)
      .default(L.AUTO_SCALING_DOWN_MIN_ITER_AGE_MINS)
      .describe(
        "SCALE_DOWN_MIN_ITER_AGE_MINS: no scale-down while GetRecords.IteratorAgeMilliseconds (Maximum) is at least this many minutes (the age, scaled so this many minutes equals the threshold, joins the scale-down alarm's MAX); -1 turns it off. Default: -1 (kinesis_scaling_cf.yaml:33-36, 349).",
      ),
    dryRun: z.boolean().default(false).describe("DRY_RUN: the Lambda logs the scaling it would do and calls nothing. Default: false (kinesis_scaling_cf.yaml:37-40)."),
    ...simulatorSettings,
  })
  .superRefine((p, ctx) => {
    for (const dir of ["scaleUp", "scaleDown"] as const) {
      const n = p[`${dir}EvaluationPeriod`];
      const m = p[`${dir}DatapointsRequired`];
      if (m > n) ctx.addIssue({ code: "custom", path: [`${dir}DatapointsRequired`], message: `${dir}DatapointsRequired (${m}) must be at most ${dir}EvaluationPeriod (${n}): an alarm needs M of its N datapoints` });
      if (p.scalePeriodMins * 60 * n > L.CLOUDWATCH_ALARM_MAX_EVALUATION_S) {
        ctx.addIssue({
          code: "custom",
          path: [`${dir}EvaluationPeriod`],
          message: `${dir}EvaluationPeriod × scalePeriodMins is ${n * p.scalePeriodMins} minutes: a CloudWatch alarm with a period under an hour evaluates at most 1 day (1,440 minutes)`,
        });
      }
    }
    if (p.scaleDownThreshold >= p.scaleUpThreshold) {
      ctx.addIssue({ code: "custom", path: ["scaleDownThreshold"], message: `scaleDownThreshold (${p.scaleDownThreshold}) must be below scaleUpThreshold (${p.scaleUpThreshold})` });
    }
    if (p.scaleDownMinIterAgeMins === 0) {
      ctx.addIssue({ code: "custom", path: ["scaleDownMinIterAgeMins"], message: "scaleDownMinIterAgeMins: 0 divides by zero in the alarm's metric math; give minutes ≥ 1, or -1 to turn it off" });
    }
  })
  .describe(
    "aws-samples/kinesis-auto-scaling: a scale-up and a scale-down CloudWatch alarm on the stream's IncomingBytes and IncomingRecords; when one goes to ALARM a Lambda doubles or halves the shard count with UpdateShardCount and rewrites both alarms for the new count.",
  );

export const AutoscalingSchema = z.discriminatedUnion("policy", [ScalingUtilsSchema, CloudWatchAlarmsSchema]);

export type AutoscalingSpec = z.output<typeof AutoscalingSchema>;
export type ScalingUtilsSpec = Extract<AutoscalingSpec, { policy: "scaling-utils" }>;
export type CloudWatchAlarmsSpec = Extract<AutoscalingSpec, { policy: "cloudwatch-alarms" }>;
