// Autoscaling policies that change a provisioned stream's shard count while the run goes (issue 12): the
// amazon-kinesis-scaling-utils policy in its own JSON shape, and a CloudWatch-alarm policy after the aws-samples
// kinesis-auto-scaling project. Each decides from per-minute, stream-level CloudWatch metrics, as the real ones do.

import { z } from "zod";
import { streamRef } from "./common.js";

const direction = z.strictObject({
  scaleThresholdPct: z.number().min(0).max(1_000).describe("Utilisation (% of the stream's capacity) that triggers the action."),
  scaleAfterMins: z.int().min(1).max(1_440).describe("Minutes the utilisation must stay past the threshold."),
  scaleCount: z.int().min(1).max(10_000).optional().describe("Shards to add or remove."),
  scalePct: z.number().min(1).max(10_000).optional().describe("Or: the new shard count as a % of the current one."),
  coolOffMins: z.int().min(0).max(1_440).default(0).describe("Minutes after an action before the next one."),
});

export const AutoscalingSchema = z.discriminatedUnion("policy", [
  z
    .strictObject({
      policy: z.literal("scaling-utils"),
      stream: streamRef().optional(),
      scaleOnOperation: z.array(z.enum(["PUT", "GET"])).min(1).default(["PUT"]),
      minShards: z.int().min(1).max(10_000),
      maxShards: z.int().min(1).max(10_000),
      checkInterval: z.int().min(1).max(86_400).default(300).describe("Seconds between checks."),
      scaleUp: direction.optional(),
      scaleDown: direction.optional(),
    })
    .describe("awslabs/amazon-kinesis-scaling-utils: a policy in its own JSON shape."),
]);

export type AutoscalingSpec = z.output<typeof AutoscalingSchema>;
