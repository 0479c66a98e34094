// What an autoscaling policy needs from the simulation, and what it records. The policies (scalingUtils.ts,
// cloudWatchAlarms.ts) are pure decision engines with no clock of their own: the simulation calls check(t) at
// nextCheckAt(), and they read the stream through ScalingStream and CloudWatch through MinuteMetrics.

import type { Micros } from "../../engine/index.js";

/** UpdateShardCount's answer: done (the stream is UPDATING), or refused with LimitExceededException, ResourceInUseException or InvalidArgumentException. */
export type ScalingOutcome = "ok" | "limit-exceeded" | "in-use" | "invalid";

/** The stream as a policy's API calls see it. */
export interface ScalingStream {
  /** DescribeStreamSummary's OpenShardCount. */
  openShards(): number;
  /** UpdateShardCount with ScalingType UNIFORM_SCALING, called at t; the stream applies its rules (½ to 2× the open shards, 10 per rolling 24 h, the quotas). */
  updateShardCount(target: number, t: Micros): ScalingOutcome;
  /** DescribeStreamSummary's StreamStatus: scaling-utils waits for ACTIVE after it reshards (StreamScalingUtils.java:96-113). */
  status(): "ACTIVE" | "UPDATING";
  /**
   * scaling-utils' fallback when UpdateShardCount is refused (LimitExceeded or InvalidArgument): SplitShard and
   * MergeShards one at a time until `target` open shards of even width (StreamScaler.java:478-493, scaleStream at
   * 288-429); status() stays UPDATING until the last one is done. Optional: without it the event records the
   * fallback as "not-modelled".
   */
  splitMergeTo?(target: number, t: Micros): "ok" | "in-use" | "invalid";
}

/**
 * The stream's CloudWatch metrics, one value per whole minute of the run (minute m covers [m, m + 1) minutes):
 * what CloudWatch's 1-minute Sum (or Maximum) would hold. A policy asks only for minutes that are complete and
 * published; 0 means no datapoint (CloudWatch has none for a minute without calls).
 */
export interface MinuteMetrics {
  /** IncomingBytes, Sum (= PutRecord.Bytes + PutRecords.Bytes: shardcast's writers call PutRecords). */
  incomingBytes(minute: number): number;
  /** IncomingRecords, Sum (= PutRecord.Success + PutRecords.Records). */
  incomingRecords(minute: number): number;
  /** GetRecords.Bytes, Sum. */
  getRecordsBytes(minute: number): number;
  /** GetRecords.Records, Sum; without it, scaling-utils' GET records metric has no datapoints. */
  getRecordsRecords?(minute: number): number;
  /** GetRecords.IteratorAgeMilliseconds, Maximum; without it, 0 (the alarm FILLs missing data with 0). */
  iteratorAgeMaxMs?(minute: number): number;
}

/** One scaling a policy decided, with what the stream answered. */
export interface ScalingEvent {
  /** When the policy called (µs from the start of the run). */
  atUs: Micros;
  policy: string;
  /** Open shards when it decided, and the target it asked for. */
  from: number;
  to: number;
  reason: "scale-up" | "scale-down";
  /** The utilisation behind the decision, % of the stream's capacity as the policy computed it. */
  utilisationPct: number;
  outcome: ScalingOutcome | "dry-run";
  /** scaling-utils, after a refused UpdateShardCount: its split/merge fallback's answer, or "not-modelled". */
  fallback?: "ok" | "in-use" | "invalid" | "not-modelled";
}

/** What a policy saw: per minute of the run, the highest utilisation (%) it computed for a datapoint covering it; null where it never looked. */
export interface PolicyView {
  policy: string;
  scaleUpThresholdPct: number;
  utilisationPctByMinute: (number | null)[];
}

/** A decision engine: the simulation calls check(t) at t = nextCheckAt(), and again at the next nextCheckAt(). */
export interface ScalingPolicy {
  readonly name: string;
  /** When the policy next looks (µs); it only moves forward after a check. */
  nextCheckAt(): Micros;
  /** Does what the real policy does at t: reads metrics, maybe calls the stream. Returns the event it recorded, if any. */
  check(t: Micros): ScalingEvent | null;
  /** Every event so far, in order. */
  readonly events: readonly ScalingEvent[];
  view(): PolicyView;
}
