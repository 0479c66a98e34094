// aws-samples/kinesis-auto-scaling as a decision engine: two CloudWatch metric-math alarms and the Lambda they
// trigger through SNS. Source: aws-samples/kinesis-auto-scaling at e1e52f8, kinesis_scaling_cf.yaml (the alarms
// and defaults) and golang/scale.go (the Lambda).
//
// The alarms (kinesis_scaling_cf.yaml:209-353; rewritten by the Lambda, scale.go:360-533):
// - each datapoint is a period of scalePeriodMins minutes: Sum of IncomingBytes and of IncomingRecords, missing
//   data filled with 0 (FILL(m, 0)), as usage factors IncomingBytes ÷ (1024 × 1024 × 60 × period × s1) and
//   IncomingRecords ÷ (1000 × 60 × period × s1), s1 the shard count the alarm was written for; the alarm's value
//   is the higher of the two (MAX([e3, e4])).
// - scale-up: ALARM when at least scaleUpDatapointsRequired of the last scaleUpEvaluationPeriod datapoints are
//   ≥ scaleUpThreshold (GreaterThanOrEqualToThreshold). scale-down: when enough of the last
//   scaleDownEvaluationPeriod are < the scale-down threshold (LessThanThreshold); that alarm's MAX also holds
//   the iterator age, GetRecords.IteratorAgeMilliseconds (Maximum) ÷ 1000 ÷ 60 × (threshold ÷
//   scaleDownMinIterAgeMins), which reaches the threshold when the age reaches that many minutes (a -1 makes it
//   negative: off). A stream of 1 shard gets a scale-down threshold of -1: never (cf.yaml:281, scale.go:594-598).
// - an alarm acts when it goes into ALARM from another state (OK or INSUFFICIENT_DATA).
// The Lambda (handleRequest, scale.go:78-344): reads OpenShardCount (DescribeStreamSummary), doubles it for a
// scale-up or halves it (integer division, at least 1) for a scale-down (calculateNewShardCount, 585-601), calls
// UpdateShardCount UNIFORM_SCALING (274-277) and does not wait for the stream; on success it rewrites both
// alarms for the new count and sets both to INSUFFICIENT_DATA (286-314); on an error (ResourceInUse, LimitExceeded,
// …) it sets the triggering alarm to OK (errorHandler, 740-757), so it alarms again at its next evaluation if the
// condition still holds. With DRY_RUN it calls nothing and leaves the alarm in ALARM (266-269).
//
// Timing (shardcast's reading, named in docs/model.md): alarms are evaluated every minute (an assumption), on the
// datapoints ending at the last published minute; a period that reaches before the start of the run is missing
// (beforeRun "unknown") or zero (beforeRun "idle"); an alarm with fewer datapoints than it needs stays as it was
// when it has none, else goes to OK. The alarms start in INSUFFICIENT_DATA, written for the stream's shard count
// at the start; the Lambda acts at the evaluation's instant.

import * as L from "../../aws/limits.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/index.js";
import type { CloudWatchAlarmsSpec } from "../../spec/index.js";
import { MinuteView, publishedMinutes } from "./cloudWatch.js";
import type { MinuteMetrics, PolicyView, ScalingEvent, ScalingPolicy, ScalingStream } from "./types.js";

type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";
type Alarm = "up" | "down";

const EVALUATION_US = L.CLOUDWATCH_ALARM_EVALUATION_S * MICROS_PER_SECOND;

/** An alarm's evaluation: the state it goes to (null: no datapoint, stays as it was) and its newest datapoint's value. */
interface Evaluation {
  state: AlarmState | null;
  newest: number;
}

export class CloudWatchAlarmPolicy implements ScalingPolicy {
  readonly events: ScalingEvent[] = [];
  private nextAt: Micros = EVALUATION_US;
  /** s1: the shard count the alarms' metric math divides by. */
  private alarmShards: number;
  /** The scale-down alarm's threshold in force (-1 at 1 shard). */
  private downThreshold: number;
  private state: Record<Alarm, AlarmState> = { up: "INSUFFICIENT_DATA", down: "INSUFFICIENT_DATA" };
  private readonly seen: MinuteView;

  constructor(
    private readonly spec: CloudWatchAlarmsSpec,
    private readonly stream: ScalingStream,
    private readonly metrics: MinuteMetrics,
    readonly name = "cloudwatch-alarms",
  ) {
    this.alarmShards = stream.openShards();
    this.downThreshold = this.alarmShards <= 1 ? -1 : spec.scaleDownThreshold;
    this.seen = new MinuteView(name, 100 * spec.scaleUpThreshold);
  }

  nextCheckAt(): Micros {
    return this.nextAt;
  }

  view(): PolicyView {
    return this.seen.snapshot();
  }

  check(t: Micros): ScalingEvent | null {
    if (t < this.nextAt) return null;
    this.nextAt = (Math.floor(t / EVALUATION_US) + 1) * EVALUATION_US;
    const up = this.evaluate("up", t);
    const down = this.evaluate("down", t);
    const fires = (alarm: Alarm, e: Evaluation) => {
      const was = this.state[alarm];
      if (e.state !== null) this.state[alarm] = e.state;
      return e.state === "ALARM" && was !== "ALARM";
    };
    const upFires = fires("up", up);
    const downFires = fires("down", down);
    let event: ScalingEvent | null = null;
    if (upFires) event = this.invoke("up", t, up.newest);
    // A second alarm raised before a scaling the first one's Lambda made is rejected as old (scale.go:238-249, 716-720).
    if (downFires && event?.outcome !== "ok") event = this.invoke("down", t, down.newest);
    return event;
  }

  /** The Lambda, invoked through SNS by `alarm` going into ALARM (scale.go:78-344). */
  private invoke(alarm: Alarm, t: Micros, newest: number): ScalingEvent {
    const from = this.stream.openShards();
    const to = alarm === "up" ? from * 2 : Math.max(1, Math.floor(from / 2));
    const event: ScalingEvent = { atUs: t, policy: this.name, from, to, reason: alarm === "up" ? "scale-up" : "scale-down", utilisationPct: 100 * newest, outcome: "dry-run" };
    this.events.push(event);
    if (this.spec.dryRun) return event;
    event.outcome = this.stream.updateShardCount(to, t);
    if (event.outcome === "ok") {
      this.alarmShards = to;
      this.downThreshold = alarm === "down" && to <= 1 ? -1 : this.spec.scaleDownThreshold;
      this.state = { up: "INSUFFICIENT_DATA", down: "INSUFFICIENT_DATA" };
    } else {
      this.state[alarm] = "OK";
    }
    return event;
  }

  /** An alarm's M-of-N evaluation at t on the periods ending at the last published minute. */
  private evaluate(alarm: Alarm, t: Micros): Evaluation {
    const s = this.spec;
    const period = s.scalePeriodMins;
    const n = alarm === "up" ? s.scaleUpEvaluationPeriod : s.scaleDownEvaluationPeriod;
    const m = alarm === "up" ? s.scaleUpDatapointsRequired : s.scaleDownDatapointsRequired;
    const end = publishedMinutes(t, s.publicationLag);
    let datapoints = 0;
    let breaching = 0;
    let newest = 0;
    for (let j = 0; j < n; j++) {
      const to = end - j * period;
      const from = to - period;
      if (from < 0 && s.beforeRun === "unknown") break; // this period and all older ones reach before the run
      const { usage, iteratorAgeMs } = this.period(Math.max(from, 0), to, period);
      let value = usage;
      if (alarm === "down") value = Math.max(value, (iteratorAgeMs / 1000 / 60) * (this.downThreshold / s.scaleDownMinIterAgeMins));
      const breaches = alarm === "up" ? value >= s.scaleUpThreshold : value < this.downThreshold;
      if (datapoints === 0) {
        newest = value;
        if (alarm === "up") this.seen.see(from, to, 100 * usage);
      }
      datapoints++;
      if (breaches) breaching++;
    }
    const state = breaching >= m ? "ALARM" : datapoints > 0 ? "OK" : null;
    return { state, newest };
  }

  /** One datapoint over minutes [from, to): the usage factor MAX([e3, e4]) and the highest iterator age (ms). */
  private period(from: number, to: number, period: number): { usage: number; iteratorAgeMs: number } {
    let bytes = 0;
    let records = 0;
    let iteratorAgeMs = 0;
    for (let minute = from; minute < to; minute++) {
      bytes += this.metrics.incomingBytes(minute);
      records += this.metrics.incomingRecords(minute);
      iteratorAgeMs = Math.max(iteratorAgeMs, this.metrics.iteratorAgeMaxMs?.(minute) ?? 0);
    }
    const seconds = L.CLOUDWATCH_METRIC_PERIOD_S * period;
    const e3 = bytes / (L.MiB * seconds * this.alarmShards);
    const e4 = records / (L.SHARD_WRITE_RECORDS_PER_SECOND * seconds * this.alarmShards);
    return { usage: Math.max(e3, e4), iteratorAgeMs };
  }
}
