// amazon-kinesis-scaling-utils' autoscaling monitor as a decision engine. Source: awslabs/amazon-kinesis-scaling-utils
// at 23ba220 (version .9.8.8), src/main/java/com/amazonaws/services/kinesis/scaling/: auto/StreamMonitor.java (the
// loop, run() at 377-458, and the decision, processCloudwatchMetrics() at 90-374), auto/StreamMetricManager.java
// (the metrics and the capacity), auto/KinesisOperationType.java (per-shard capacity), StreamScalingUtils.java
// (getNewShardCount() at 394-450, waitForStreamStatus() at 96-113) and StreamScaler.java (updateShardCount() at
// 441-494).
//
// One check (a pass of StreamMonitor.run's loop at `now`):
// 1. For each operation of scaleOnOperation (PUT, GET) and each metric (bytes, records), the 1-minute Sums of the
//    look-back, the larger scaleAfterMins of the two directions (StreamMonitor.java:392), from the minute
//    `now − look-back` rounded down to `now` (StreamMonitor.java:401, GetMetricStatistics rounds the start down).
//    Each datapoint is Sum ÷ 60 (StreamMetricManager.java:207) ÷ the stream's capacity, open shards × 1 MiB/s and
//    1,000 records/s for PUT, 2 MiB/s and 2,000 records/s for GET (StreamMetricManager.java:107-123).
// 2. A datapoint above scaleUp.scaleThresholdPct is a high sample, below scaleDown.scaleThresholdPct a low one
//    (StreamMonitor.java:161-166); each minute of the look-back without a datapoint is a low sample, and a metric
//    with none at all counts scaleDown.scaleAfterMins more (StreamMonitor.java:132-134, 171-173).
// 3. Per operation the metric with the higher running average decides (latest = (latest + pct) / 2 over the
//    datapoints, StreamMonitor.java:155, 211-218): enough high samples vote up, else enough low ones vote down
//    (224-229). PUT and GET together: up if either votes up, down if both vote down (240-254).
// 4. Up or down, unless that direction's cool-off since its last scaling is running (272-273, 321-322): the new
//    count from scaleCount or scalePct (getNewShardCount), clamped to minShards/maxShards (StreamScaler.java:
//    456-461), with UpdateShardCount UNIFORM_SCALING (465-468). The monitor then waits for the stream to be ACTIVE
//    (DescribeStreamSummary at once, after 20 s, then every second) and only then stamps the cool-off (302, 343).
//    Refused with LimitExceeded or InvalidArgument, it falls back to splits and merges (478-493).
// 5. The capacity of step 1 is reloaded after a check that scales nothing or falls back (the report is not null,
//    414-418), and when refreshShardsNumberAfterMin has passed since the last reload (438-442): after an
//    UpdateShardCount it stays the old one until then. The next check starts checkInterval seconds after this one
//    ends (446).
//
// Choices where the source leaves it open, named in docs/model.md: datapoints are taken in time order
// (GetMetricStatistics returns them in no order, and the running average of step 3 depends on it); a minute whose
// Sum is 0 has no datapoint; a target the clamp brings back to the open shard count calls nothing (the tool would
// call UpdateShardCount with the current count).

import * as L from "../../aws/limits.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/index.js";
import type { ScalingUtilsSpec } from "../../spec/index.js";
import { MINUTE_US, MinuteView, publishedMinutes } from "./cloudWatch.js";
import type { MinuteMetrics, PolicyView, ScalingEvent, ScalingPolicy, ScalingStream } from "./types.js";

type Operation = "PUT" | "GET";
type Direction = "UP" | "DOWN";
type Vote = Direction | "NONE";

/** Capacity per shard the tool measures utilisation against (KinesisOperationType.java). */
const PER_SHARD: Record<Operation, { bytes: number; records: number }> = {
  PUT: { bytes: L.SHARD_WRITE_BYTES_PER_SECOND, records: L.SHARD_WRITE_RECORDS_PER_SECOND },
  GET: { bytes: L.SHARD_READ_BYTES_PER_SECOND, records: L.SCALING_UTILS_GET_RECORDS_PER_SHARD },
};

/**
 * The new shard count of a scaling (StreamScalingUtils.getNewShardCount, StreamScalingUtils.java:394-450): up by
 * scaleCount, or by scalePct (below 100 adds that share, from 100 multiplies, rounded up, capped at max); down by
 * scaleCount, or by scalePct (up to 100 removes that share rounded down, above 100 divides, rounded down; then at
 * least min, or 1). scaleCount takes precedence.
 */
export function newShardCount(current: number, scaleCount: number | undefined, scalePct: number | undefined, direction: Direction, min?: number, max?: number): number {
  if (direction === "UP") {
    if (scaleCount !== undefined) return current + scaleCount;
    const factor = scalePct! < 100 ? (100 + scalePct!) / 100 : scalePct! / 100;
    const target = Math.ceil(current * factor);
    return max !== undefined && target > max ? max : target;
  }
  if (scaleCount !== undefined) return current - scaleCount;
  const factor = scalePct! / 100;
  const target = scalePct! > 100 ? Math.floor(current / factor) : current - Math.floor(current * factor);
  if (min !== undefined && target < min) return min;
  return target < 1 ? 1 : target;
}

/** One metric's samples over the look-back. */
interface Samples {
  high: number;
  low: number;
  /** The running average of the datapoints' utilisation (a fraction). */
  latest: number;
}

export class ScalingUtilsPolicy implements ScalingPolicy {
  readonly events: ScalingEvent[] = [];
  private nextAt: Micros = 0;
  /** Open shards of the capacity utilisation is measured against (StreamMetricManager.loadMaxCapacity). */
  private capacityShards: number;
  private lastRefreshUs: Micros = 0;
  private lastScaleUpUs: Micros | null = null;
  private lastScaleDownUs: Micros | null = null;
  /** After a scaling, the monitor blocks until the stream is ACTIVE again. */
  private waiting: { direction: Direction; cycleStartUs: Micros; reload: boolean; polls: number } | null = null;
  private readonly lookBackMins: number;
  private readonly operations: Operation[];
  private readonly seen: MinuteView;

  constructor(
    private readonly spec: ScalingUtilsSpec,
    private readonly stream: ScalingStream,
    private readonly metrics: MinuteMetrics,
    readonly name = "scaling-utils",
  ) {
    this.capacityShards = stream.openShards(); // loadMaxCapacity() before the loop (StreamMonitor.java:389)
    this.lookBackMins = Math.max(spec.scaleUp.scaleAfterMins, spec.scaleDown.scaleAfterMins);
    this.operations = (["PUT", "GET"] as const).filter((op) => spec.scaleOnOperation.includes(op));
    this.seen = new MinuteView(name, spec.scaleUp.scaleThresholdPct);
  }

  nextCheckAt(): Micros {
    return this.nextAt;
  }

  view(): PolicyView {
    return this.seen.snapshot();
  }

  check(t: Micros): ScalingEvent | null {
    if (t < this.nextAt) return null;
    if (this.waiting) {
      this.poll(t);
      return null;
    }
    return this.cycle(t);
  }

  /** One pass of StreamMonitor.run's loop at t. */
  private cycle(t: Micros): ScalingEvent | null {
    const votes = this.operations.map((op) => this.vote(op, t));
    // PUT and GET: up if either votes up, down if both do (StreamMonitor.java:240-254).
    const direction: Vote = votes.some((v) => v.vote === "UP") ? "UP" : votes.every((v) => v.vote === "DOWN") ? "DOWN" : "NONE";
    if (direction === "NONE") {
      this.endCycle(t, t, true); // a NoActionRequired report reloads the capacity (StreamMonitor.java:366, 414-418)
      return null;
    }
    const cfg = direction === "UP" ? this.spec.scaleUp : this.spec.scaleDown;
    const last = direction === "UP" ? this.lastScaleUpUs : this.lastScaleDownUs;
    if (last !== null && t - cfg.coolOffMins * MINUTE_US < last) {
      this.endCycle(t, t, false); // deferred until the cool-off has passed: no report
      return null;
    }
    const current = this.stream.openShards();
    const { minShards: min, maxShards: max } = this.spec;
    const proposed = newShardCount(current, cfg.scaleCount, cfg.scalePct, direction, min, max);
    if (proposed === current || proposed <= 0) {
      this.endCycle(t, t, false); // StreamMonitor.java:285, 332
      return null;
    }
    // StreamScaler.updateShardCount keeps the target within minShards and maxShards (StreamScaler.java:456-461).
    const target = min !== undefined && proposed < min ? min : max !== undefined && proposed > max ? max : proposed;
    if (target === current) {
      this.endCycle(t, t, false);
      return null;
    }
    const utilisationPct = 100 * Math.max(...votes.filter((v) => v.vote === direction).map((v) => v.latest));
    const outcome = this.stream.updateShardCount(target, t);
    const event: ScalingEvent = { atUs: t, policy: this.name, from: current, to: target, reason: direction === "UP" ? "scale-up" : "scale-down", utilisationPct, outcome };
    this.events.push(event);
    if (outcome === "ok") {
      this.waiting = { direction, cycleStartUs: t, reload: false, polls: 0 };
      this.poll(t);
    } else if (outcome === "limit-exceeded" || outcome === "invalid") {
      // Refused: split and merge shard by shard instead (StreamScaler.java:478-493), which returns a report.
      if (!this.stream.splitMergeTo) {
        event.fallback = "not-modelled";
        this.endCycle(t, t, false);
      } else {
        event.fallback = this.stream.splitMergeTo(target, t);
        if (event.fallback === "ok") {
          this.waiting = { direction, cycleStartUs: t, reload: true, polls: 0 };
          this.poll(t);
        } else this.endCycle(t, t, false); // an exception, caught and logged (StreamMonitor.java:369-371)
      }
    } else {
      this.endCycle(t, t, false); // ResourceInUseException: caught and logged, no cool-off stamped
    }
    return event;
  }

  /** waitForStreamStatus(ACTIVE): DescribeStreamSummary at once, then after 20 s, then every second (StreamScalingUtils.java:96-113). */
  private poll(t: Micros): void {
    const w = this.waiting!;
    if (this.stream.status() === "ACTIVE") {
      this.waiting = null;
      if (w.direction === "UP") this.lastScaleUpUs = t;
      else this.lastScaleDownUs = t;
      this.endCycle(t, w.cycleStartUs, w.reload);
      return;
    }
    this.nextAt = t + (w.polls === 0 ? L.SCALING_UTILS_ACTIVE_FIRST_WAIT_S : L.SCALING_UTILS_ACTIVE_POLL_S) * MICROS_PER_SECOND;
    w.polls++;
  }

  /** The end of a pass: reload the capacity if due (StreamMonitor.java:414-442), sleep checkInterval (446). */
  private endCycle(t: Micros, cycleStartUs: Micros, report: boolean): void {
    const stale = cycleStartUs - this.spec.refreshShardsNumberAfterMin * MINUTE_US > this.lastRefreshUs;
    if (report || stale) {
      this.capacityShards = this.stream.openShards();
      this.lastRefreshUs = cycleStartUs;
    }
    this.nextAt = t + this.spec.checkInterval * MICROS_PER_SECOND;
  }

  /** An operation's vote at t, and the running average of the metric that decided it (StreamMonitor.java:100-230). */
  private vote(op: Operation, t: Micros): { vote: Vote; latest: number } {
    const bytes = this.samples(op, "bytes", t);
    const records = this.samples(op, "records", t);
    const higher = bytes.latest >= records.latest ? bytes : records;
    const vote = higher.high >= this.spec.scaleUp.scaleAfterMins ? "UP" : higher.low >= this.spec.scaleDown.scaleAfterMins ? "DOWN" : "NONE";
    return { vote, latest: higher.latest };
  }

  private samples(op: Operation, metric: "bytes" | "records", t: Micros): Samples {
    const n = this.lookBackMins;
    // GetMetricStatistics from now − n minutes (rounded down to the minute) to now, exclusive.
    const first = Math.floor(t / MINUTE_US) - n;
    const last = Math.ceil(t / MINUTE_US) - 1;
    const lastPublished = Math.min(last, publishedMinutes(t, this.spec.publicationLag) - 1);
    const streamMax = this.capacityShards * PER_SHARD[op][metric];
    const up = this.spec.scaleUp.scaleThresholdPct / 100;
    const down = this.spec.scaleDown.scaleThresholdPct / 100;
    let high = 0;
    let low = 0;
    let latest = 0;
    let datapoints = 0;
    for (let m = Math.max(first, 0); m <= lastPublished; m++) {
      const sum = this.sum(op, metric, m);
      if (sum <= 0) continue;
      datapoints++;
      const pct = sum / L.CLOUDWATCH_METRIC_PERIOD_S / streamMax;
      latest = latest === 0 ? pct : (latest + pct) / 2;
      if (pct > up) high++;
      else if (pct < down) low++;
      this.seen.see(m, m + 1, 100 * pct);
    }
    // Minutes before the run: with beforeRun "unknown" they are out of the look-back, neither high nor low.
    const beforeRun = this.spec.beforeRun === "unknown" ? Math.max(0, Math.min(0, last + 1) - first) : 0;
    if (datapoints === 0 && beforeRun === 0) low = this.spec.scaleDown.scaleAfterMins;
    low += Math.max(0, n - datapoints - beforeRun);
    return { high, low, latest };
  }

  private sum(op: Operation, metric: "bytes" | "records", minute: number): number {
    const m = this.metrics;
    if (op === "PUT") return metric === "bytes" ? m.incomingBytes(minute) : m.incomingRecords(minute);
    return metric === "bytes" ? m.getRecordsBytes(minute) : (m.getRecordsRecords?.(minute) ?? 0);
  }
}
